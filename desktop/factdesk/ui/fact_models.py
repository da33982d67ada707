"""Qt models over facts, suggestions, conflicts and a fact's anchors.

They adapt core objects for views and own no review logic: filtering rules come
from ``factdesk.core.review.FactFilter``, conflicts from ``factdesk.core.conflicts``.
"""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from factdesk.core.conflicts import Conflict, conflicts_for_fact
from factdesk.core.model import FACT_STATUSES, STATUS_LABELS, Anchor, Fact
from factdesk.core.review import FactFilter, fact_docs, format_tags, orphaned_count
from factdesk.core.suggest import TOP_SUGGESTIONS, Suggestion, is_trivial
from factdesk.ui.index import short_name
from factdesk.ui.palette import version_marker
from factdesk.ui.state import ViewState

FACT_ID_ROLE = Qt.ItemDataRole.UserRole + 40
FACT_ROLE = Qt.ItemDataRole.UserRole + 41
SORT_ROLE = Qt.ItemDataRole.UserRole + 42
CONFLICT_COUNT_ROLE = Qt.ItemDataRole.UserRole + 43
PASSAGES_ROLE = Qt.ItemDataRole.UserRole + 44
GROUP_ROLE = Qt.ItemDataRole.UserRole + 45
KIND_ROLE = Qt.ItemDataRole.UserRole + 46
SUGGESTION_ROLE = Qt.ItemDataRole.UserRole + 47
SPANS_ROLE = Qt.ItemDataRole.UserRole + 48

#: A glyph per status so colour is never the only signal.
STATUS_GLYPHS = {
    "unreviewed": "○",
    "confirmed": "✔",
    "disputed": "≠",
    "wrong": "✘",
    "needs_source": "?",
}
_STATUS_LIGHT = {
    "confirmed": "#00775A",
    "disputed": "#A65F00",
    "wrong": "#B23C00",
    "needs_source": "#005C99",
}
_STATUS_DARK = {
    "confirmed": "#4CD2A6",
    "disputed": "#F2B84B",
    "wrong": "#FF8F5A",
    "needs_source": "#86C8F2",
}
CONFLICT_LABELS = {
    "number": "Numbers",
    "date": "Dates",
    "name": "Names",
    "quote": "Quote → paraphrase",
    "attribution": "Attribution",
    "insertion": "Insertion",
    "variant": "Spelling variant",
}
ORPHAN_GLYPH = "⊘"
CONFLICT_GLYPH = "⚠"

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def _refilter(proxy: QSortFilterProxyModel, change: Any) -> None:
    """Apply a filter change (``begin/endFilterChange`` where Qt has them)."""
    if hasattr(proxy, "beginFilterChange"):
        proxy.beginFilterChange()
        change()
        proxy.endFilterChange()
    else:  # Qt before 6.9
        change()
        proxy.invalidateFilter()


def status_label(status: str) -> str:
    return f"{STATUS_GLYPHS.get(status, '•')} {STATUS_LABELS.get(status, status)}"


def status_colour(status: str, state: ViewState) -> QColor:
    """Text colour of a status, readable on the current palette's base colour."""
    table = _STATUS_DARK if state.theme.dark else _STATUS_LIGHT
    return QColor(table.get(status, state.theme.muted))


def _markers(state: ViewState, docs: list[str]) -> str:
    return " ".join(version_marker(state.number(d)) for d in docs if d in state.index.docs)


def _doc_label(state: ViewState, doc_id: str, limit: int = 18) -> str:
    doc = state.index.docs.get(doc_id)
    if doc is None:
        return doc_id
    return f"{version_marker(state.number(doc_id))} {short_name(doc, limit)}"


class _TableModel(QAbstractTableModel):
    """A flat read-only table of selectable cells, with a title and a tip per column."""

    COLUMNS: tuple[str, ...] = ()
    TIPS: tuple[str, ...] = ()

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.COLUMNS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.TIPS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class _DeferredTableModel(_TableModel):
    """Rows computed when first shown (``ensure_loaded``) and dropped when the set changes."""

    def __init__(self, state: ViewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._rows: list[Any] = []
        self._stale = True
        state.set_changed.connect(self._on_state_set_changed)

    def _on_state_set_changed(self) -> None:
        self.beginResetModel()
        self._rows = []
        self._stale = True
        self.endResetModel()

    def ensure_loaded(self) -> None:
        """Compute the rows unless they are up to date."""
        if not self._stale:
            return
        self.beginResetModel()
        self._stale = False
        self._rows = self._load()
        self.endResetModel()

    def _load(self) -> list[Any]:
        raise NotImplementedError

    def _row(self, row: int) -> Any:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)


class FactsModel(_TableModel):
    """One row per fact of the set, in the order the editor made them."""

    COLUMNS = ("Fact", "Status", "Origin", "Versions", "Conflicts", "Tags")
    STATEMENT, STATUS, ORIGIN, VERSIONS, CONFLICTS, TAGS = range(6)
    TIPS = (
        "The statement under review",
        "Review status",
        "The version the fact originally comes from",
        "How many versions carry the fact",
        "Disagreements between versions in the fact's passages",
        "Tags",
    )

    def __init__(self, state: ViewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._ids: list[str] = []
        self._by_id: dict[str, Fact] = {}
        self._conflicts: dict[str, list[Conflict]] = {}
        state.set_changed.connect(self._on_state_set_changed)
        state.facts_changed.connect(self._on_state_facts_changed)
        state.theme_changed.connect(self._on_state_theme_changed)
        self._ids = [f.id for f in self._facts()]
        self._refresh_lookup()

    def _facts(self) -> list[Fact]:
        return self._state.article_set.facts

    def _refresh_lookup(self) -> None:
        self._by_id = {f.id: f for f in self._facts()}

    def _on_state_set_changed(self) -> None:
        self.beginResetModel()
        self._conflicts.clear()
        self._ids = [f.id for f in self._facts()]
        self._refresh_lookup()
        self.endResetModel()

    def _on_state_theme_changed(self) -> None:
        self._emit_all_changed()

    def _emit_all_changed(self) -> None:
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(self.COLUMNS) - 1)
            )

    def _on_state_facts_changed(self, fact_id: str) -> None:
        """Follow the facts list with the smallest change Qt views can keep selections over."""
        if fact_id:
            self._conflicts.pop(fact_id, None)
        else:
            self._conflicts.clear()
        self._refresh_lookup()
        old, new = self._ids, [f.id for f in self._facts()]
        if new == old:
            if fact_id in old:
                row = old.index(fact_id)
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.COLUMNS) - 1))
            else:
                self._emit_all_changed()
            return
        if len(new) == len(old) + 1:
            i = next(
                (k for k, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(old)
            )
            if new[:i] + new[i + 1 :] == old:
                self.beginInsertRows(_ROOT, i, i)
                self._ids = new
                self.endInsertRows()
                return
        if len(new) == len(old) - 1:
            i = next(
                (k for k, (a, b) in enumerate(zip(old, new, strict=False)) if a != b), len(new)
            )
            if old[:i] + old[i + 1 :] == new:
                self.beginRemoveRows(_ROOT, i, i)
                self._ids = new
                self.endRemoveRows()
                return
        self.beginResetModel()
        self._ids = new
        self.endResetModel()

    # -- lookups -------------------------------------------------------------
    def fact_at(self, row: int) -> Fact | None:
        if not 0 <= row < len(self._ids):
            return None
        return self._by_id.get(self._ids[row])

    def row_of(self, fact_id: str) -> int:
        return self._ids.index(fact_id) if fact_id in self._ids else -1

    def conflicts_of(self, fact: Fact) -> list[Conflict]:
        """Real conflicts (not spelling variants) in the passages of the fact, cached."""
        found = self._conflicts.get(fact.id)
        if found is None:
            real = [c for c in self._state.conflicts() if c.is_conflict]
            found = conflicts_for_fact(self._state.article_set, fact, real)
            self._conflicts[fact.id] = found
        return found

    # -- model ---------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._ids)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.column() >= len(self.COLUMNS):
            return None
        fact = self.fact_at(index.row())
        if fact is None:
            return None
        col = index.column()
        if role == FACT_ID_ROLE:
            return fact.id
        if role == FACT_ROLE:
            return fact
        if role == CONFLICT_COUNT_ROLE:
            return len(self.conflicts_of(fact))
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(fact, col)
        if role == SORT_ROLE:
            return self._sort_key(fact, col)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(fact, col)
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == self.STATUS:
                return QBrush(status_colour(fact.status, self._state))
            if col == self.CONFLICTS and self.conflicts_of(fact):
                return QBrush(status_colour("wrong", self._state))
            if col == self.VERSIONS and orphaned_count(fact):
                return QBrush(status_colour("disputed", self._state))
        if role == Qt.ItemDataRole.FontRole and col == self.STATUS and fact.status != "unreviewed":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and col in (self.VERSIONS, self.CONFLICTS):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _display(self, fact: Fact, col: int) -> str:
        s = self._state
        if col == self.STATEMENT:
            orphan = f"{ORPHAN_GLYPH} " if orphaned_count(fact) else ""
            return f"{orphan}{fact.statement or '(no statement)'}"
        if col == self.STATUS:
            return status_label(fact.status)
        if col == self.ORIGIN:
            return _doc_label(s, fact.origin, 10) if fact.origin else "—"
        if col == self.VERSIONS:
            lost = orphaned_count(fact)
            return f"{len(fact_docs(fact))}" + (f" +{lost}{ORPHAN_GLYPH}" if lost else "")
        if col == self.CONFLICTS:
            n = len(self.conflicts_of(fact))
            return f"{CONFLICT_GLYPH} {n}" if n else ""
        return format_tags(fact.tags)

    def _sort_key(self, fact: Fact, col: int) -> Any:
        if col == self.STATEMENT:
            return fact.statement.casefold()
        if col == self.STATUS:
            return FACT_STATUSES.index(fact.status) if fact.status in FACT_STATUSES else 99
        if col == self.ORIGIN:
            return self._state.number(fact.origin) if fact.origin else 999_999
        if col == self.VERSIONS:
            return len(fact_docs(fact))
        if col == self.CONFLICTS:
            return len(self.conflicts_of(fact))
        return format_tags(fact.tags).casefold()

    def _tooltip(self, fact: Fact, col: int) -> str:
        s = self._state
        if col == self.STATEMENT:
            lines = [f"{fact.id}: {fact.statement}"]
            if fact.note:
                lines.append(f"Note: {fact.note}")
            lost = orphaned_count(fact)
            if lost:
                lines.append(
                    f"{ORPHAN_GLYPH} {lost} passage(s) orphaned: their text is gone from the "
                    "re-imported version; the quote is kept"
                )
            return "\n".join(lines)
        if col == self.ORIGIN:
            doc = s.index.docs.get(fact.origin)
            return doc.name if doc else "No origin chosen yet"
        if col == self.VERSIONS:
            names = [s.index.docs[d].name for d in fact_docs(fact) if d in s.index.docs]
            return "Found in:\n" + "\n".join(names) if names else "No live passages"
        if col == self.CONFLICTS:
            found = self.conflicts_of(fact)
            return "\n".join(c.message for c in found) if found else "No conflict found"
        if col == self.STATUS:
            return f"Status: {STATUS_LABELS.get(fact.status, fact.status)}"
        return format_tags(fact.tags) or "No tags"


class FactsProxy(QSortFilterProxyModel):
    """Filters and sorts the facts list; the rule itself is ``FactFilter.matches``."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.criteria = FactFilter()
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def set_criteria(self, **changes: Any) -> None:
        def change() -> None:
            for name, value in changes.items():
                setattr(self.criteria, name, value)

        _refilter(self, change)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        fact = index.data(FACT_ROLE)
        if fact is None:
            return False
        count = int(index.data(CONFLICT_COUNT_ROLE) or 0) if self.criteria.conflicts_only else 0
        return self.criteria.matches(fact, count)


class SuggestionsModel(_DeferredTableModel):
    """Check-worthy units found in each alignment group, and the versions they appear in."""

    COLUMNS = ("Kind", "Unit", "Versions", "Row")
    TIPS = (
        "What kind of check-worthy unit",
        "The unit as first written",
        "Versions it appears in",
        "Alignment row (group) it belongs to",
    )
    KIND, LABEL, VERSIONS, GROUP = range(4)

    def _load(self) -> list[Any]:
        s = self._state
        return list(s.analysis().review) if s.order else []  # ranked with the analysis

    def suggestion(self, row: int) -> Suggestion | None:
        found: Suggestion | None = self._row(row)
        return found

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        sug = self.suggestion(index.row())
        if sug is None or index.column() >= len(self.COLUMNS):
            return None
        col = index.column()
        s = self._state
        if role == SUGGESTION_ROLE:
            return sug
        if role == KIND_ROLE:
            return sug.kind
        if role == GROUP_ROLE:
            return sug.group
        if role == SPANS_ROLE:
            return [(d, m[1], m[2]) for d, ms in sug.by_doc.items() for m in ms]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if col == self.KIND:
                return sug.kind
            if col == self.LABEL:
                if role == SORT_ROLE:
                    return sug.label.casefold()
                return sug.label + _also(sug)
            if col == self.VERSIONS:
                if role == SORT_ROLE:
                    return len(sug.by_doc)
                return f"{len(sug.by_doc)}  {_markers(s, sug.docs)}"
            if role == SORT_ROLE:
                return int(sug.group[1:]) if sug.group[1:].isdigit() else 0
            return sug.group
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"{sug.kind}: {sug.label}"]
            for doc, mentions in sug.by_doc.items():
                surfaces = "; ".join(dict.fromkeys(m[3] for m in mentions))
                lines.append(f"{_doc_label(s, doc)}: “{surfaces}”")
            if len(sug.variants) > 1:
                lines.append("Variants: " + ", ".join(sug.variants))
            lines += [f"{k}: {v}" for k, v in sug.detail.items()]
            lines.append("Double-click or “Make fact” to review it as a fact")
            return "\n".join(lines)
        return None


def _also(sug: Suggestion, limit: int = 3) -> str:
    """The other written forms merged into a suggestion, for its row: "  · also: a, b"."""
    others = [v for v in sug.variants if v != sug.label and f"“{v}”" not in sug.label]
    if not others:
        return ""
    more = f" +{len(others) - limit}" if len(others) > limit else ""
    return "   · also: " + ", ".join(others[:limit]) + more


class SuggestionsProxy(QSortFilterProxyModel):
    """Suggestions of one kind and/or one alignment row; by default the first
    ``TOP_SUGGESTIONS`` claims, bare names left out (``show_all``, ``names``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.kind = ""
        self.group = ""
        self.show_all = False
        self.names = False
        self.matching = 0  # rows that pass the filters, before the top-N cut
        self._top: set[int] | None = None
        self.setSortRole(SORT_ROLE)

    def set_filter(
        self,
        *,
        kind: str | None = None,
        group: str | None = None,
        show_all: bool | None = None,
        names: bool | None = None,
    ) -> None:
        wanted = {"kind": kind, "group": group, "show_all": show_all, "names": names}
        if self._top is not None and all(
            value is None or getattr(self, name) == value for name, value in wanted.items()
        ):
            return  # the rows shown stay the same: filtering thousands again is not free

        def change() -> None:
            if kind is not None:
                self.kind = kind
            if group is not None:
                self.group = group
            if show_all is not None:
                self.show_all = show_all
            if names is not None:
                self.names = names
            self._top = None

        _refilter(self, change)

    def _passes(self, source_row: int) -> bool:
        sug = self.sourceModel().index(source_row, 0).data(SUGGESTION_ROLE)
        if sug is None:
            return False
        if self.kind and sug.kind != self.kind:
            return False
        if not self.names and not self.kind and is_trivial(sug):
            return False
        return not (self.group and sug.group != self.group)

    def _top_rows(self) -> set[int]:
        if self._top is None:
            # the source lists suggestions in review order: the first N that pass are kept
            passing = [r for r in range(self.sourceModel().rowCount()) if self._passes(r)]
            self.matching = len(passing)
            self._top = set(passing if self.show_all else passing[:TOP_SUGGESTIONS])
        return self._top

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        return source_row in self._top_rows()

    def setSourceModel(self, source: QAbstractItemModel) -> None:
        super().setSourceModel(source)
        # before the proxy filters the new rows, the old top rows are forgotten
        source.modelAboutToBeReset.connect(self._on_source_model_about_to_be_reset)

    def _on_source_model_about_to_be_reset(self) -> None:
        self._top = None


class ConflictsModel(_DeferredTableModel):
    """Disagreements between versions: kind, versions, differing words, message."""

    COLUMNS = ("Kind", "Versions", "Differing words", "Message")
    TIPS = (
        "What differs",
        "The versions that disagree",
        "The words that differ, per version",
        "What FactDesk found",
    )
    KIND, VERSIONS, WORDS, MESSAGE = range(4)

    def __init__(self, state: ViewState, parent: QObject | None = None) -> None:
        super().__init__(state, parent)
        self.show_variants = False
        state.theme_changed.connect(self._on_state_set_changed)

    def _load(self) -> list[Any]:
        found = self._state.conflicts() if self._state.order else []
        return [c for c in found if self.show_variants or c.is_conflict]

    def set_show_variants(self, show: bool) -> None:
        self.show_variants = show
        self._stale = True
        self.ensure_loaded()

    def conflict(self, row: int) -> Conflict | None:
        found: Conflict | None = self._row(row)
        return found

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        c = self.conflict(index.row())
        if c is None or index.column() >= len(self.COLUMNS):
            return None
        s = self._state
        col = index.column()
        if role == PASSAGES_ROLE:
            return list(c.passages)
        if role == GROUP_ROLE:
            return c.group_id
        if role == KIND_ROLE:
            return c.kind
        if role == SPANS_ROLE:
            return [
                (p.doc, p.start, p.end)
                for p in (s.index.passages.get(pid) for pid in c.passages)
                if p is not None
            ]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            if col == self.KIND:
                label = CONFLICT_LABELS.get(c.kind, c.kind)
                return f"{CONFLICT_GLYPH} {label}" if c.is_conflict else label
            if col == self.VERSIONS:
                return _markers(s, c.docs)
            if col == self.WORDS:
                return "  ·  ".join(
                    f"{version_marker(s.number(d))} “{w}”" for d, w in c.words.items()
                )
            return c.message
        if role == Qt.ItemDataRole.ToolTipRole:
            words = "".join(
                f"<br><b>{html.escape(_doc_label(s, d))}</b>: {html.escape(w)}"
                for d, w in c.words.items()
            )
            return f"<p>{html.escape(c.message)}</p><p>{words}</p>"
        if role == Qt.ItemDataRole.ForegroundRole and col == self.KIND and c.is_conflict:
            return QBrush(status_colour("wrong", s))
        return None


class AnchorsModel(QAbstractListModel):
    """The passages that carry one fact: kept by the editor, suggested, or orphaned."""

    def __init__(self, state: ViewState, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._anchors: list[Anchor] = []

    def set_fact(self, fact: Fact | None) -> None:
        self.beginResetModel()
        self._anchors = list(fact.anchors) if fact is not None else []
        self.endResetModel()

    def anchor(self, row: int) -> Anchor | None:
        return self._anchors[row] if 0 <= row < len(self._anchors) else None

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._anchors)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self.anchor(index.row())
        if a is None or index.column() != 0:
            return None
        s = self._state
        if role == Qt.ItemDataRole.DisplayRole:
            quote = " ".join(a.exact.split())
            if len(quote) > 120:
                quote = quote[:119] + "…"
            mark = ORPHAN_GLYPH if a.orphaned else ("✔" if a.confirmed else "◌")
            if not quote.startswith(("“", '"', "«", "„", "‘")):
                quote = f"“{quote}”"
            return f"{mark}  {version_marker(s.number(a.doc))}  {quote}"
        if role == Qt.ItemDataRole.ToolTipRole:
            doc = s.index.docs.get(a.doc)
            name = doc.name if doc else a.doc
            if a.orphaned:
                what = "Orphaned: this text is gone from the re-imported version (quote kept)"
            elif a.confirmed:
                what = "Kept by the editor"
            else:
                what = "Suggested from the alignment: confirm or remove it"
            return f"{name}\n{what}\n\n{a.exact}"
        if role == Qt.ItemDataRole.FontRole and not a.confirmed:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if a.orphaned:
                return QBrush(status_colour("disputed", s))
            if not a.confirmed:
                return QBrush(QColor(s.theme.muted))
        if role == SPANS_ROLE:
            return [] if a.orphaned else [(a.doc, a.start, a.end)]
        return None
