"""Qt item models over the shared ViewState. They adapt core objects and own no logic."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont

from factdesk.core.model import printable
from factdesk.core.moves import Move
from factdesk.ui.diffhtml import diff_html, plain_html
from factdesk.ui.index import Row, short_name
from factdesk.ui.palette import version_colour, version_marker
from factdesk.ui.state import ViewState

DOC_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SHARE_ROLE = Qt.ItemDataRole.UserRole + 2
COLOUR_ROLE = Qt.ItemDataRole.UserRole + 3
PASSAGE_IDS_ROLE = Qt.ItemDataRole.UserRole + 4
HTML_ROLE = Qt.ItemDataRole.UserRole + 5
ROW_KEY_ROLE = Qt.ItemDataRole.UserRole + 6
IS_FOCUS_ROLE = Qt.ItemDataRole.UserRole + 7
HIGHLIGHT_ROLE = Qt.ItemDataRole.UserRole + 8
OFFSET_ROLE = Qt.ItemDataRole.UserRole + 9
LENGTH_ROLE = Qt.ItemDataRole.UserRole + 10
ERROR_ROLE = Qt.ItemDataRole.UserRole + 11
MARKER_ROLE = Qt.ItemDataRole.UserRole + 12  # a version's glyph and number, e.g. "▲3"
NAME_ROLE = Qt.ItemDataRole.UserRole + 13  # a synoptic header's name, without the marker
DETAILS_ROLE = Qt.ItemDataRole.UserRole + 14  # a version's outlet/byline and date
IS_LEAD_ROLE = Qt.ItemDataRole.UserRole + 15  # the first sentence stands in for a title
MOVED_ROLE = Qt.ItemDataRole.UserRole + 16  # where the focus tells a moved passage ("" if not)

DOC_MIME = "application/x-factdesk-document"

AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()  # the invisible root, shared as the default parent


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class DocumentsModel(QAbstractTableModel):
    """One row per version (then one per file that failed to load)."""

    COLUMNS = (
        "Shown",
        "Version",
        "Name",
        "Title",
        "Date",
        "Byline",
        "Words",
        "Shared",
        "Derivation",
    )
    SHOWN, VERSION, NAME, TITLE, DATE, BYLINE, WORDS, SHARED, DERIVATION = range(9)

    def __init__(self, state: ViewState) -> None:
        super().__init__()
        self._state = state
        state.set_changed.connect(self._on_state_reset)
        state.columns_changed.connect(self._on_state_reset)
        state.focus_changed.connect(self._on_state_focus_changed)

    def _on_state_reset(self) -> None:
        self.beginResetModel()
        self.endResetModel()

    def _on_state_focus_changed(self, _doc: str) -> None:
        if self.rowCount():
            self.dataChanged.emit(
                self.index(0, 0), self.index(self.rowCount() - 1, self.columnCount() - 1)
            )

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        if parent.isValid():
            return 0
        return len(self._state.order) + len(self._state.article_set.errors)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def doc_id(self, row: int) -> str:
        return self._state.order[row] if 0 <= row < len(self._state.order) else ""

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.COLUMNS[section] if section != self.SHOWN else ""
            if role == Qt.ItemDataRole.ToolTipRole:
                return {
                    self.SHOWN: "Tick to show this version in every view",
                    self.VERSION: "Headline (in italics: the first sentence, when a version has "
                    "no title), outlet or byline and date; the file name is in the tooltip",
                    self.SHARED: "Share of the text found in at least one other version",
                    self.DERIVATION: "Which version this one was probably made from",
                }.get(section, self.COLUMNS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < self.rowCount()):
            return None
        row, col = index.row(), index.column()
        state = self._state
        if row >= len(state.order):
            return self._error_data(state.article_set.errors[row - len(state.order)], col, role)
        doc_id = state.order[row]
        doc = state.index.docs[doc_id]
        number = state.number(doc_id)
        is_focus = doc_id == state.focus
        if role == DOC_ID_ROLE:
            return doc_id
        if role == IS_FOCUS_ROLE:
            return is_focus
        if role == COLOUR_ROLE:
            return version_colour(number)
        if role == SHARE_ROLE:
            return state.index.coverage(doc_id)
        if col == self.VERSION and role in (DETAILS_ROLE, IS_LEAD_ROLE):
            title = state.index.version_title(doc_id)
            return title.details() if role == DETAILS_ROLE else title.from_lead
        if role == Qt.ItemDataRole.FontRole:
            if col == self.VERSION:
                font = QFont()
                font.setBold(is_focus)
                font.setItalic(state.index.version_title(doc_id).from_lead)
                return font
            untitled = col == self.TITLE and not doc.title.strip()
            if not (is_focus or untitled):
                return None
            font = QFont()
            font.setBold(is_focus)
            font.setItalic(untitled)  # the file name stands in for a missing title
            return font
        if col == self.SHOWN:
            if role == Qt.ItemDataRole.CheckStateRole:
                hidden = doc_id in state.hidden
                return Qt.CheckState.Unchecked if hidden else Qt.CheckState.Checked
            if role == Qt.ItemDataRole.DisplayRole:
                return version_marker(number) + (" ◉" if is_focus else "")
            if role == Qt.ItemDataRole.ToolTipRole:
                return (
                    "The focus version (under review)" if is_focus else "Show or hide this version"
                )
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.VERSION:
                return state.index.version_title(doc_id).headline
            if col == self.NAME:
                return doc.name
            if col == self.TITLE:
                return doc.title.strip() or doc.name
            if col == self.DATE:
                return doc.date
            if col == self.BYLINE:
                return doc.byline
            if col == self.WORDS:
                return state.index.word_count(doc_id)
            if col == self.SHARED:
                return f"{round(100 * state.index.coverage(doc_id))}%"
            if col == self.DERIVATION:
                return state.index.derivation_text(doc_id) or ("focus" if is_focus else "")
        if role == Qt.ItemDataRole.ToolTipRole:
            notes = "\n".join(doc.errors)
            tip = f"{doc.name}\n{doc.path}\nencoding {doc.encoding or '?'}, {doc.format}"
            tip += f"\n{notes}" if notes else ""
            if col == self.VERSION:
                title = state.index.version_title(doc_id)
                lead = " (first sentence; no title)" if title.from_lead else ""
                head = [f"{version_marker(number)} {title.headline}{lead}", title.details()]
                derivation = state.index.derivation_text(doc_id)
                tip = "\n".join(
                    [h for h in head if h] + [tip] + ([derivation] if derivation else [])
                )
            return tip
        if role == Qt.ItemDataRole.TextAlignmentRole and col == self.WORDS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _error_data(self, error: Any, col: int, role: int) -> Any:
        if role == ERROR_ROLE:
            return error.message
        if role == Qt.ItemDataRole.DisplayRole:
            if col == self.SHOWN:
                return "⚠"
            if col == self.NAME:
                return printable(error.path.replace("\\", "/").rsplit("/", 1)[-1])
            if col == self.VERSION:
                return printable(error.path.replace("\\", "/").rsplit("/", 1)[-1]) + " (not loaded)"
            if col == self.TITLE:
                return "not loaded"
            if col == self.DERIVATION:
                return error.message
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{printable(error.path)}\n{error.message}"
        if role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor("#D55E00"))
        return None

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            index.isValid()
            and index.column() == self.SHOWN
            and role == Qt.ItemDataRole.CheckStateRole
            and index.row() < len(self._state.order)
        ):
            checked = Qt.CheckState(value) == Qt.CheckState.Checked
            self._state.set_hidden(self._state.order[index.row()], not checked)
            return True
        return False

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        if index.row() >= len(self._state.order):
            return Qt.ItemFlag.ItemIsEnabled
        flags = (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )
        if index.column() == self.SHOWN and self._state.order[index.row()] != self._state.focus:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    # drag and drop: reorder versions
    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [DOC_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = [self.doc_id(i.row()) for i in indexes if self.doc_id(i.row())]
        if ids:
            data.setData(DOC_MIME, ids[0].encode())
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: AnyIndex
    ) -> bool:
        if not data.hasFormat(DOC_MIME):
            return False
        doc_id = bytes(data.data(DOC_MIME).data()).decode()
        target = row if row >= 0 else (parent.row() if parent.isValid() else len(self._state.order))
        current = self._state.order.index(doc_id) if doc_id in self._state.order else -1
        if current < 0:
            return False
        if target > current:
            target -= 1
        self._state.move_doc(doc_id, target)
        return False  # the move is done; the view must not remove the source row


class SynopticModel(QAbstractTableModel):
    """Rows = alignment groups ordered by the focus version; columns = visible versions."""

    def __init__(self, state: ViewState) -> None:
        super().__init__()
        self._state = state
        self._rows: list[Row] = []
        self._docs: list[str] = []
        self._column_of: dict[str, int] = {}
        self._html: dict[tuple[str, str, str], str] = {}
        self._highlighted: set[str] = set()
        self._moves: dict[str, Move] = {}  # passage id -> its move against the focus
        state.set_changed.connect(self._on_state_set_changed)
        state.columns_changed.connect(self._on_state_layout_changed)
        state.focus_changed.connect(self._on_state_layout_changed)
        state.boilerplate_visibility_changed.connect(self._on_state_layout_changed)
        state.theme_changed.connect(self._on_state_set_changed)
        state.highlights_changed.connect(self._on_state_highlights_changed)
        self._rebuild()

    def _rebuild(self) -> None:
        s = self._state
        self._rows = s.index.ordered_rows(s.focus, s.order, s.show_boilerplate)
        self._docs = s.visible_docs()
        self._column_of = {doc: c for c, doc in enumerate(self._docs)}
        self._moves = s.index.moves(s.focus) if s.focus else {}

    def _on_state_set_changed(self) -> None:
        self.beginResetModel()
        self._html.clear()
        self._rebuild()
        self._compute_highlights()
        self.endResetModel()

    def _on_state_layout_changed(self, *_args: object) -> None:
        self.beginResetModel()
        self._rebuild()
        self.endResetModel()

    def _compute_highlights(self) -> None:
        self._highlighted = set()
        index = self._state.index
        for doc, start, end in self._state.highlights:
            for p in index.by_doc.get(doc, []):
                if p.start < end and start < p.end:
                    self._highlighted.add(p.id)

    def _on_state_highlights_changed(self) -> None:
        self._compute_highlights()
        if self.rowCount() and self.columnCount():
            self.dataChanged.emit(
                self.index(0, 0),
                self.index(self.rowCount() - 1, self.columnCount() - 1),
                [HIGHLIGHT_ROLE],
            )

    # -- structure ----------------------------------------------------------
    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._docs)

    def row(self, row: int) -> Row:
        return self._rows[row]

    def rows(self) -> list[Row]:
        return self._rows

    def doc_at(self, column: int) -> str:
        return self._docs[column]

    def docs(self) -> list[str]:
        return list(self._docs)

    def row_for_passage(self, passage_id: str) -> int:
        row = self._state.index.row_of.get(passage_id)
        for i, r in enumerate(self._rows):
            if r is row:
                return i
        return -1

    def column_for_doc(self, doc_id: str) -> int:
        return self._column_of.get(doc_id, -1)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        s = self._state
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self._docs):
                return None
            doc_id = self._docs[section]
            number = s.number(doc_id)
            doc = s.index.docs[doc_id]
            star = "  ◉ focus" if doc_id == s.focus else ""
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{version_marker(number)}  {short_name(doc)}{star}"
            if role == MARKER_ROLE:
                return version_marker(number)
            if role == NAME_ROLE:
                return f"{short_name(doc, 60)}{star}"
            if role == Qt.ItemDataRole.ToolTipRole:
                title = s.index.version_title(doc_id)
                lines = [
                    f"{version_marker(number)} {doc.name}" + (" (focus)" if star else ""),
                    title.headline + (" (first sentence; no title)" if title.from_lead else ""),
                    title.details(),
                    s.index.derivation_text(doc_id),
                ]
                return "\n".join(line for line in lines if line)
            if role == COLOUR_ROLE:
                return version_colour(number)
            if role == DOC_ID_ROLE:
                return doc_id
            if role == Qt.ItemDataRole.FontRole and doc_id == s.focus:
                font = QFont()
                font.setBold(True)
                return font
            return None
        if not 0 <= section < len(self._rows):
            return None
        r = self._rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            if len(r.cells) == 1:
                return "✱" if s.focus in r.cells else "·"
            return str(len(r.cells))
        if role == Qt.ItemDataRole.ToolTipRole:
            what = "boilerplate" if r.boilerplate else ""
            if len(r.cells) == 1:
                return f"Found in one version only {what}".strip()
            return f"Found in {len(r.cells)} versions {what}".strip()
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._rows)):
            return None
        if not 0 <= index.column() < len(self._docs):
            return None
        r = self._rows[index.row()]
        doc_id = self._docs[index.column()]
        s = self._state
        if role == Qt.ItemDataRole.DisplayRole:
            return s.index.cell_text(r, doc_id)
        if role == HTML_ROLE:
            return self._cell_html(r, doc_id)
        if role == PASSAGE_IDS_ROLE:
            return list(r.cells.get(doc_id, []))
        if role == DOC_ID_ROLE:
            return doc_id
        if role == ROW_KEY_ROLE:
            return r.key
        if role == IS_FOCUS_ROLE:
            return doc_id == s.focus
        if role == COLOUR_ROLE:
            return version_colour(s.number(doc_id))
        if role == HIGHLIGHT_ROLE:
            return any(pid in self._highlighted for pid in r.cells.get(doc_id, ()))
        if role == MOVED_ROLE:
            return self._moved_text(r, doc_id)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(r, doc_id)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    # -- rendering ------------------------------------------------------------
    def _moved_text(self, r: Row, doc_id: str) -> str:
        """Where the focus tells the cell's passages, when this version moved them."""
        moves = [self._moves[p] for p in r.cells.get(doc_id, ()) if p in self._moves]
        if not moves:
            return ""
        s = self._state
        marker = version_marker(s.number(s.focus))
        move = moves[0]
        # a cell of several sentences, not all moved: say which one
        which = ""
        if len(moves) < len(r.cells.get(doc_id, ())):
            which = f" “{_clip(s.index.display_text(move.passage), 40)}”"
        if move.after is None:
            return f"⇅ moved{which}: in {marker} this opens the text"
        sentence = s.index.passages[move.after]
        quote = _clip(s.index.display_text(move.after), 60)
        return (
            f"⇅ moved{which}: in {marker} this comes after sentence {sentence.index + 1}"
            f" (“{quote}”)"
        )

    def _cell_html(self, r: Row, doc_id: str) -> str:
        s = self._state
        key = (r.key, doc_id, s.focus)
        cached = self._html.get(key)
        if cached is not None:
            return cached
        theme = s.theme
        pids = r.cells.get(doc_id)
        if not pids:
            out = f'<span style="color:{theme.muted}"><i>not in this version</i></span>'
        else:
            text = s.index.cell_text(r, doc_id)
            focus_pids = r.cells.get(s.focus)
            marks = self._sentence_marks(r, doc_id) if focus_pids else None
            # a translation has no words in common to mark: its text as it is
            if doc_id == s.focus or not focus_pids or not s.index.same_language(doc_id, s.focus):
                out = plain_html(text, theme, marks)
            else:
                out = diff_html(s.index.cell_text(r, s.focus), text, theme, marks)
            if self._moved_text(r, doc_id):
                out = (
                    f'<span style="color:{theme.moved_fg};background-color:{theme.moved_bg};'
                    f'font-size:small">&nbsp;⇅&nbsp;moved&nbsp;</span> {out}'
                )
            if all(s.index.passages[p].boilerplate for p in pids):
                reason = s.index.passages[pids[0]].boilerplate_reason or "boilerplate"
                out = (
                    f'<span style="color:{theme.muted}">[{html.escape(reason)}]</span> '
                    f'<span style="color:{theme.muted}">{out}</span>'
                )
        self._html[key] = out
        return out

    def _sentence_marks(self, r: Row, doc_id: str) -> dict[int, str] | None:
        """In paragraph rows, where each sentence of the cell starts (an offset in its cell
        text) and which focus sentences it matches; None in sentence rows, or when the row's
        cells are single sentences and a number would say nothing."""
        s = self._state
        if not s.index.by_paragraph:
            return None
        pids = r.cells.get(doc_id, [])
        if len(r.cells.get(s.focus, [])) < 2 and len(pids) < 2:
            return None
        labels = s.index.sentence_marks(r, doc_id, s.focus)
        marks: dict[int, str] = {}
        offset = 0
        for pid, label in zip(pids, labels, strict=True):
            if label:
                marks[offset] = label
            offset += len(s.index.display_text(pid)) + 1  # cell texts join sentences with a space
        return marks

    def _tooltip(self, r: Row, doc_id: str) -> str:
        s = self._state
        pids = r.cells.get(doc_id)
        if not pids:
            return "This passage is absent from this version"
        focus_pids = r.cells.get(s.focus, [])
        lines = [f"{version_marker(s.number(doc_id))} {s.index.docs[doc_id].name}"]
        moved = self._moved_text(r, doc_id)
        if moved:
            lines.append(moved)
        if doc_id != s.focus and focus_pids:
            for pid in pids:
                for fp in focus_pids:
                    link = s.index.links.get((pid, fp))
                    if link:
                        lines.append(f"{link.relation}, score {link.score:.2f} ({link.source})")
        elif doc_id != s.focus:
            lines.append("Not in the focus version")
        lines.append(f"Found in {len(r.cells)} of {len(s.order)} versions")
        return "\n".join(lines)


class SearchResultsModel(QAbstractListModel):
    """Hits of a search across all versions."""

    def __init__(self, state: ViewState) -> None:
        super().__init__()
        self._state = state
        self._hits: list[tuple[str, int, int]] = []  # version, offset, length
        state.set_changed.connect(self._on_state_set_changed)

    def _on_state_set_changed(self) -> None:
        self.beginResetModel()
        self._hits = []
        self.endResetModel()

    def set_hits(self, hits: list[tuple[str, int, int]]) -> None:
        """Show ``(version id, offset, length)`` hits."""
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        doc_id, offset, length = self._hits[index.row()]
        s = self._state
        if role in (Qt.ItemDataRole.DisplayRole, HTML_ROLE):
            # little context before the hit so it shows even in a narrow dock
            text = s.index.docs[doc_id].text
            lo = max(0, offset - 24)
            before = ("…" if lo else "") + text[lo:offset].replace("\n", " ")
            hit = text[offset : offset + length]
            after = text[offset + length : offset + length + 60].replace("\n", " ")
            marker = version_marker(s.number(doc_id))
            if role == Qt.ItemDataRole.DisplayRole:
                return f"{marker}  {before}{hit}{after}…"
            return (
                f"{marker}&nbsp; {html.escape(before)}"
                f'<b style="background-color:{s.theme.highlight_bg}">{html.escape(hit)}</b>'
                f"{html.escape(after)}…"
            )
        if role == DOC_ID_ROLE:
            return doc_id
        if role == OFFSET_ROLE:
            return offset
        if role == LENGTH_ROLE:
            return length
        if role == COLOUR_ROLE:
            return version_colour(s.number(doc_id))
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{s.index.docs[doc_id].name}, character {offset}"
        return None
