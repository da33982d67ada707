"""Fact review in the window: the controller that stores every edit, and the Facts dock.

``FactsController`` turns editor actions into ``FactCommand``s on the undo stack; each
command stores the fact through the session (``Session.put_fact`` / ``delete_fact``),
which writes it to the project at once. When the first fact is made without a project,
the session creates one in the user data folder so nothing acknowledged lives only in
memory. The controller knows the session, the view state, the undo stack and a
``Notifier``; it never reaches into the window.

The dock has three tabs: the facts (filtered and sorted), the suggestions found in
the alignment, and the conflicts between versions.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from factdesk.core.facts import new_fact, passages_overlapping
from factdesk.core.model import FACT_STATUSES, Fact
from factdesk.core.review import all_tags, edited, fact_spans
from factdesk.core.session import Session
from factdesk.core.suggest import KINDS, TOP_SUGGESTIONS, Suggestion, fact_from_suggestion
from factdesk.ui.export_dialog import ask_export_path, confirm_overwrite
from factdesk.ui.fact_commands import FactCommand
from factdesk.ui.fact_models import (
    FACT_ID_ROLE,
    SPANS_ROLE,
    SUGGESTION_ROLE,
    ConflictsModel,
    FactsModel,
    FactsProxy,
    SuggestionsModel,
    SuggestionsProxy,
    status_label,
)
from factdesk.ui.palette import version_marker
from factdesk.ui.panels import style_row_table
from factdesk.ui.state import ViewState

NEW_FACT_KEYS = ("Ctrl+E", "Ctrl+Shift+F")
EXPORT_KEY = "Ctrl+Shift+E"


def default_autosave_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("FactDesk", appauthor=False))


class Notifier(Protocol):
    """How the controller tells the editor something (the window implements it)."""

    def show_message(self, text: str, level: str = "info") -> None: ...

    def show_status(self, text: str, msecs: int = 4000) -> None: ...


class FactsController(QObject):
    """Every fact edit goes through here: undoable, and saved to the project at once."""

    current_changed = Signal(str)  # fact id shown in the fact panel ("" for none)
    exported = Signal(str, str)  # format, path
    passage_requested = Signal(str)  # a passage to bring into view and activate
    flush_requested = Signal()  # typed text still waiting is to be stored now
    project_created = Signal(str)  # path of the autosave project made for the first fact

    def __init__(
        self,
        session: Session,
        state: ViewState,
        undo_stack: QUndoStack,
        notifier: Notifier,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.state = state
        self.undo_stack = undo_stack
        self.notifier = notifier
        self.dialog_parent = parent
        self.current = ""
        self.selection: tuple[str, int, int] | None = None
        # The reader's selected text, when there is one (set by the window).
        self.text_selection: Callable[[], tuple[str, int, int] | None] = lambda: None
        self.last_dir: Callable[[], str] = lambda: str(Path.home())
        # Asked before an export replaces an existing file: (path, why) -> go ahead?
        self.confirm_overwrite: Callable[[str, str], bool] = lambda path, why: confirm_overwrite(
            self.dialog_parent, path, why
        )
        self.autosave_dir = default_autosave_dir()
        self.state.set_changed.connect(self._on_state_set_changed)

    # -- lookups --------------------------------------------------------------
    def fact(self, fact_id: str) -> Fact | None:
        return self.session.fact(fact_id)

    def set_current(self, fact_id: str) -> None:
        if fact_id != self.current:
            self.current = fact_id
            self.current_changed.emit(fact_id)

    def _on_state_set_changed(self) -> None:
        if self.current and self.fact(self.current) is None:
            self.set_current("")
        self.selection = None

    def set_selection(self, doc_id: str, start: int, end: int) -> None:
        """The editor's latest selection in any view."""
        self.selection = (doc_id, start, end)

    def selection_for_new_fact(self) -> tuple[str, int, int] | None:
        """What "New fact from selection" uses: the reader's selected text, else the
        last selection in any view if it lies in the active sentence, else that sentence."""
        s = self.state
        selected = self.text_selection()
        if selected is not None:
            return selected
        active = s.index.passages.get(s.active_passage)
        if self.selection is not None:
            doc, start, end = self.selection
            if doc in s.index.docs and (
                active is None or (active.doc == doc and active.start < end and start < active.end)
            ):
                return self.selection
        if active is not None:
            return (active.doc, active.start, active.end)
        return None

    def refuse_read_only(self) -> bool:
        """True (and the editor is told why) when the open project cannot take edits."""
        if not self.session.read_only:
            return False
        self.notifier.show_message(
            f"{Path(self.session.project_path).name} is open read-only "
            f"({self.session.read_only}): facts cannot be changed. "
            "File ▸ Save Project As… makes an editable copy.",
            "warning",
        )
        return True

    # -- creating -------------------------------------------------------------
    def new_fact_from_selection(self) -> Fact | None:
        """Make a fact from the current selection (undoable); None if nothing is selected."""
        if self.refuse_read_only():
            return None
        target = self.selection_for_new_fact()
        if target is None:
            self.notifier.show_message(
                "Select some text in the reader (or a cell in the synoptic view) first, "
                "then choose New Fact from Selection.",
                "info",
            )
            return None
        doc, start, end = target
        fact = new_fact(self.session.article_set, doc, start, end)
        fact.origin = doc
        self._push(f"New fact {fact.id}", fact.id, None, fact)
        self.set_current(fact.id)
        return self.fact(fact.id)

    def fact_from_suggestion(self, suggestion: Suggestion) -> Fact | None:
        """Turn a suggestion into a fact in one undoable step."""
        if self.refuse_read_only():
            return None
        fact = fact_from_suggestion(self.session.article_set, suggestion)
        self._push(f"Make fact from “{suggestion.label}”", fact.id, None, fact)
        self.set_current(fact.id)
        return self.fact(fact.id)

    # -- editing --------------------------------------------------------------
    def edit(self, fact_id: str, text: str = "", merge: bool = False, **changes: Any) -> None:
        """Change fields of a fact (statement, status, origin, note, tags) as one step."""
        before = self.fact(fact_id)
        if before is None:
            return
        if all(getattr(before, k) == v for k, v in changes.items()):
            return
        after = edited(before, **changes)
        label = text or f"Edit {', '.join(changes)} of {fact_id}"
        key = f"{fact_id}:{','.join(sorted(changes))}" if merge else ""
        self._push(label, fact_id, before, after, key)

    def replace(self, fact_id: str, after: Fact, text: str) -> None:
        """Store ``after`` in place of the fact (for anchor edits made by core functions)."""
        before = self.fact(fact_id)
        if before is not None:
            self._push(text, fact_id, before, after)

    def delete(self, fact_id: str) -> None:
        before = self.fact(fact_id)
        if before is not None:
            self._push(f"Delete fact {fact_id}", fact_id, before, None)

    def _push(
        self, text: str, fact_id: str, before: Fact | None, after: Fact | None, key: str = ""
    ) -> None:
        if self.refuse_read_only():
            return
        self.undo_stack.push(FactCommand(text, fact_id, before, after, self.apply, key))

    def apply(self, fact_id: str, fact: Fact | None) -> None:
        """Store one fact state through the session: in the project first, then on screen."""
        if fact is not None:
            self.ensure_project()
        project = self.session.project
        try:
            if fact is None:
                self.session.delete_fact(fact_id)
            else:
                self.session.put_fact(fact)
        except Exception as exc:  # the file may be gone, read-only or full
            self.notifier.show_message(
                f"Could not save fact {fact_id} to the project: {exc}. "
                "The change is kept in this window only.",
                "error",
            )
        else:
            if project is not None:
                self.notifier.show_status(f"Saved {fact_id} to {project.name}", 3000)
        if fact is None and self.current == fact_id:
            self.set_current("")

    def ensure_project(self) -> bool:
        """Make sure edits have a project to go to; create an autosave project if needed."""
        if self.session.project is not None:
            return True
        if not self.state.order:
            return False
        try:
            path = self.session.ensure_project(self.autosave_dir)
        except Exception as exc:  # an unwritable data folder, a full disk
            self.notifier.show_message(f"Could not create a project for the facts: {exc}", "error")
            return False
        if path is not None:
            self.project_created.emit(str(path))
            self.notifier.show_message(
                f"Facts are saved as you make them, in the project {path} "
                "(File ▸ Save Project As… to keep it elsewhere).",
                "info",
            )
        return True

    # -- navigation -----------------------------------------------------------
    def show_fact(self, fact_id: str) -> None:
        """Highlight every passage of the fact in every view and jump to the best one."""
        fact = self.fact(fact_id)
        if fact is None:
            return
        spans = fact_spans(fact)
        live = [a for a in fact.anchors if not a.orphaned]
        preferred = (
            [a for a in live if a.doc == self.state.focus]
            or [a for a in live if a.doc == fact.origin]
            or live
        )
        self.state.set_highlights(spans)
        if preferred:
            a = preferred[0]
            pid = a.passage
            if not pid:
                found = passages_overlapping(self.session.article_set, a.doc, a.start, a.end)
                pid = found[0].id if found else ""
            self.jump_to_passage(pid)

    def show_spans(self, spans: list[tuple[str, int, int]], passages: list[str]) -> None:
        self.state.set_highlights(spans)
        s = self.state
        in_focus = [
            p for p in passages if p in s.index.passages and s.index.passages[p].doc == s.focus
        ]
        target = (in_focus or passages or [""])[0]
        self.jump_to_passage(target)

    def jump_to_passage(self, passage_id: str) -> None:
        if passage_id in self.state.index.passages:
            self.passage_requested.emit(passage_id)

    # -- export ---------------------------------------------------------------
    def export_to(self, fmt: str, path: str | Path, *, overwrite: bool = False) -> Path | None:
        """Write the facts in ``fmt`` to ``path``; errors become a message, never a dialog.

        Never over the project, a database or a version's file; over another existing
        file only once the editor agrees (or ``overwrite`` says they did).
        """
        from factdesk.core.export import export_to_file
        from factdesk.core.files import TargetError

        self.flush_requested.emit()
        project = self.session.project_path
        try:
            written = export_to_file(
                self.session.article_set,
                fmt,
                path,
                analysis=self.session.analysis,
                inputs=[project] if project else [],
                overwrite=overwrite,
            )
        except TargetError as exc:
            if exc.needs_consent:
                if self.confirm_overwrite(str(path), str(exc)):
                    return self.export_to(fmt, path, overwrite=True)
                self.notifier.show_status("Export cancelled; nothing was written", 5000)
                return None
            self.notifier.show_message(f"Could not export to {Path(path).name}: {exc}", "error")
            return None
        except Exception as exc:
            self.notifier.show_message(f"Could not export to {Path(path).name}: {exc}", "error")
            return None
        self.notifier.show_status(f"Exported {fmt.upper()} to {written}", 8000)
        self.exported.emit(fmt, str(written))
        return written

    def ask_and_export(self) -> Path | None:
        if not self.state.order:
            self.notifier.show_message("Open some versions first, then export.", "info")
            return None
        project_path = self.session.project_path
        stem = (Path(project_path).stem if project_path else "") or "facts"
        chosen = ask_export_path(self.dialog_parent, self.last_dir(), stem)
        if chosen is None:
            return None
        fmt, path, confirmed = chosen
        return self.export_to(fmt, path, overwrite=confirmed)


class FactsDock(QDockWidget):
    """Facts, Suggestions and Conflicts, each a filtered, sortable table."""

    def __init__(self, controller: FactsController, parent: QWidget | None = None) -> None:
        super().__init__("Facts", parent)
        self.setObjectName("facts_dock")
        self._actions_connected = False
        self.controller = controller
        state = controller.state
        self.state = state
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.setWidget(self.tabs)

        # facts -----------------------------------------------------------------
        self.facts_model = FactsModel(state, self)
        self.facts_proxy = FactsProxy(self)
        self.facts_proxy.setSourceModel(self.facts_model)
        self.facts_view = self._table(self.facts_proxy, "facts_table")
        self.facts_view.setSortingEnabled(True)
        self.facts_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        hh = self.facts_view.horizontalHeader()
        hh.setSectionResizeMode(FactsModel.STATEMENT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 112), (2, 120), (3, 64), (4, 74), (5, 100)):
            hh.resizeSection(col, width)
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any status", "")
        for status in FACT_STATUSES:
            self.status_filter.addItem(status_label(status), status)
        self.status_filter.setToolTip("Show only facts with this review status")
        self.doc_filter = QComboBox()
        self.doc_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.doc_filter.setMinimumContentsLength(12)
        self.doc_filter.setToolTip("Show only facts found in (or coming from) this version")
        self.tag_filter = QComboBox()
        self.tag_filter.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.tag_filter.setMinimumContentsLength(8)
        self.tag_filter.setToolTip("Show only facts with this tag")
        self.conflicts_only = QCheckBox("Conflicts only")
        self.conflicts_only.setToolTip("Show only facts whose passages disagree between versions")
        self.text_filter = QLineEdit()
        self.text_filter.setPlaceholderText("Filter…")
        self.text_filter.setClearButtonEnabled(True)
        self.text_filter.setToolTip("Show facts whose statement, note or tags contain this text")
        self.new_button = QPushButton("New from Selection")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete the selected fact (undo with Ctrl+Z)")
        self.export_button = QPushButton("Export…")
        self.facts_count = QLabel()
        self.facts_count.setObjectName("factscount")
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        for w in (self.status_filter, self.doc_filter, self.tag_filter):
            filters.addWidget(w)
        filters.addWidget(self.conflicts_only)
        filters.addWidget(self.text_filter, 1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch(1)
        buttons.addWidget(self.facts_count)
        buttons.addWidget(self.export_button)
        self.facts_page = self._page([filters, buttons], self.facts_view)
        self.tabs.addTab(self.facts_page, "Facts")
        self.tabs.setTabToolTip(0, "Facts under review; click one to see its passages")

        # suggestions --------------------------------------------------------------
        self.suggestions_model = SuggestionsModel(state, self)
        self.suggestions_proxy = SuggestionsProxy(self)
        self.suggestions_proxy.setSourceModel(self.suggestions_model)
        self.suggestions_view = self._table(self.suggestions_proxy, "suggestions_table")
        self.suggestions_view.setSortingEnabled(True)
        self.suggestions_view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        sh = self.suggestions_view.horizontalHeader()
        sh.setSectionResizeMode(SuggestionsModel.LABEL, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 100), (2, 150), (3, 60)):
            sh.resizeSection(col, width)
        self.kind_filter = QComboBox()
        self.kind_filter.addItem("Every kind", "")
        for kind in KINDS:
            self.kind_filter.addItem(kind.capitalize(), kind)
        self.kind_filter.setToolTip("Show only numbers, dates, quotes, names or attributions")
        self.row_only = QCheckBox("Current row only")
        self.row_only.setToolTip("Show only the suggestions of the passage row you clicked last")
        self.names_too = QCheckBox("Names")
        self.names_too.setToolTip(
            "Also list bare names (people, places, bodies); figures, quotes, dates and "
            "attributions are listed first either way"
        )
        self.show_all = QCheckBox("All")
        self.show_all.setToolTip(
            f"List every suggestion, not only the first {TOP_SUGGESTIONS} in review order"
        )
        self.make_fact_button = QPushButton("Make Fact")
        self.make_fact_button.setToolTip(
            "Turn the selected suggestion into a fact, anchored in every version "
            "(also: double-click; undo with Ctrl+Z)"
        )
        self.make_fact_button.setEnabled(False)
        self.suggestions_count = QLabel()
        srow = QHBoxLayout()
        srow.setContentsMargins(0, 0, 0, 0)
        srow.addWidget(self.kind_filter)
        srow.addWidget(self.row_only)
        srow.addWidget(self.names_too)
        srow.addWidget(self.show_all)
        srow.addStretch(1)
        srow.addWidget(self.suggestions_count)
        srow.addWidget(self.make_fact_button)
        self.suggestions_page = self._page([srow], self.suggestions_view)
        self.tabs.addTab(self.suggestions_page, "Suggestions")
        self.tabs.setTabToolTip(
            1, "Numbers, dates, quotes, names and attributions found in each passage row"
        )

        # conflicts -----------------------------------------------------------------
        self.conflicts_model = ConflictsModel(state, self)
        self.conflicts_view = self._table(self.conflicts_model, "conflicts_table")
        ch = self.conflicts_view.horizontalHeader()
        ch.setSectionResizeMode(ConflictsModel.MESSAGE, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 150), (1, 80), (2, 260)):
            ch.resizeSection(col, width)
        self.show_variants = QCheckBox("Show spelling variants")
        self.show_variants.setToolTip(
            "Also list names spelled differently across versions (not conflicts)"
        )
        self.conflicts_count = QLabel()
        crow = QHBoxLayout()
        crow.setContentsMargins(0, 0, 0, 0)
        crow.addWidget(self.show_variants)
        crow.addStretch(1)
        crow.addWidget(self.conflicts_count)
        self.conflicts_page = self._page([crow], self.conflicts_view)
        self.tabs.addTab(self.conflicts_page, "Conflicts")
        self.tabs.setTabToolTip(2, "Where versions disagree; click one to see the passages")

        self._connect()
        self._refresh_filters()
        self._on_state_set_changed()

    def sizeHint(self) -> QSize:
        return QSize(860, 300)

    @staticmethod
    def _table(model: Any, name: str) -> QTableView:
        view = QTableView()
        view.setObjectName(name)
        view.setModel(model)
        style_row_table(view)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.horizontalHeader().setHighlightSections(False)
        return view

    @staticmethod
    def _page(rows: list[QHBoxLayout], view: QTableView) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        for row in rows:
            layout.addLayout(row)
        layout.addWidget(view, 1)
        return page

    def set_actions(self, new_fact: QAction, export: QAction) -> None:
        """Buttons that trigger the window's actions (and share their tooltips)."""
        self.new_button.setToolTip(new_fact.toolTip())
        self.export_button.setToolTip(export.toolTip())
        if not self._actions_connected:
            self.new_button.clicked.connect(new_fact.trigger)
            self.export_button.clicked.connect(export.trigger)
            self._actions_connected = True

    def _connect(self) -> None:
        s = self.state
        c = self.controller
        s.set_changed.connect(self._on_state_set_changed)
        s.conflicts_changed.connect(self._on_state_set_changed)
        s.facts_changed.connect(self._on_state_facts_changed)
        s.passage_activated.connect(self._on_state_passage_activated)
        c.current_changed.connect(self._on_controller_current_changed)
        self.status_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.doc_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.tag_filter.currentIndexChanged.connect(self._on_filters_changed)
        self.conflicts_only.toggled.connect(self._on_filters_changed)
        self.text_filter.textChanged.connect(self._on_filters_changed)
        self.facts_view.selectionModel().currentRowChanged.connect(self._on_facts_current_changed)
        self.facts_view.clicked.connect(self._on_facts_view_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.facts_proxy.rowsInserted.connect(self._on_facts_proxy_rows_changed)
        self.facts_proxy.rowsRemoved.connect(self._on_facts_proxy_rows_changed)
        self.facts_proxy.modelReset.connect(self._on_facts_proxy_rows_changed)
        self.facts_proxy.layoutChanged.connect(self._on_facts_proxy_rows_changed)
        self.facts_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.facts_view.customContextMenuRequested.connect(self._on_facts_context_menu)
        self.kind_filter.currentIndexChanged.connect(self._on_suggestion_filters_changed)
        self.row_only.toggled.connect(self._on_suggestion_filters_changed)
        self.names_too.toggled.connect(self._on_suggestion_filters_changed)
        self.show_all.toggled.connect(self._on_suggestion_filters_changed)
        self.suggestions_view.selectionModel().currentRowChanged.connect(
            self._on_suggestion_current_changed
        )
        self.suggestions_view.clicked.connect(self._on_suggestion_clicked)
        self.suggestions_view.doubleClicked.connect(self._on_suggestion_double_clicked)
        self.make_fact_button.clicked.connect(self._on_make_fact_clicked)
        self.show_variants.toggled.connect(self._on_show_variants_toggled)
        self.conflicts_view.clicked.connect(self._on_conflict_clicked)
        self.conflicts_view.selectionModel().currentRowChanged.connect(self._on_conflict_clicked)

    # -- state ----------------------------------------------------------------
    def _on_state_set_changed(self) -> None:
        # the analysis runs off the GUI thread; until it is in, the lists fill later
        if self.state.analysis_ready():
            self.suggestions_model.ensure_loaded()
            self.conflicts_model.ensure_loaded()
        self._refresh_filters()
        self._on_suggestion_filters_changed()
        self._update_counts()

    def _on_state_facts_changed(self, _fact_id: str) -> None:
        self._refresh_tags()
        self.facts_proxy.invalidate()
        self._update_counts()

    def _refresh_filters(self) -> None:
        s = self.state
        current = self.doc_filter.currentData() or ""
        self.doc_filter.blockSignals(True)
        self.doc_filter.clear()
        self.doc_filter.addItem("Any version", "")
        for d in s.order:
            self.doc_filter.addItem(f"{version_marker(s.number(d))}  {s.index.docs[d].name}", d)
        self.doc_filter.setCurrentIndex(max(0, self.doc_filter.findData(current)))
        self.doc_filter.blockSignals(False)
        self._refresh_tags()
        self._on_filters_changed()

    def _refresh_tags(self) -> None:
        current = self.tag_filter.currentData() or ""
        self.tag_filter.blockSignals(True)
        self.tag_filter.clear()
        self.tag_filter.addItem("Any tag", "")
        for tag in all_tags(self.state.article_set.facts):
            self.tag_filter.addItem(tag, tag)
        index = self.tag_filter.findData(current)
        self.tag_filter.setCurrentIndex(max(0, index))
        self.tag_filter.blockSignals(False)
        if current and index < 0:
            self._on_filters_changed()

    def _on_filters_changed(self, *_args: object) -> None:
        self.facts_proxy.set_criteria(
            status=self.status_filter.currentData() or "",
            doc=self.doc_filter.currentData() or "",
            tag=self.tag_filter.currentData() or "",
            conflicts_only=self.conflicts_only.isChecked(),
            text=self.text_filter.text().strip(),
        )
        self._update_counts()

    def _on_facts_proxy_rows_changed(self, *_args: object) -> None:
        self._update_counts()

    def _update_counts(self) -> None:
        total = self.facts_model.rowCount()
        shown = self.facts_proxy.rowCount()
        self.facts_count.setText(
            f"{shown} of {total} facts" if shown != total else f"{total} facts"
        )
        self.tabs.setTabText(0, f"Facts ({total})")
        n_sug = self.suggestions_model.rowCount()
        self.tabs.setTabText(1, f"Suggestions ({n_sug})")
        self._show_suggestion_count()
        real = sum(
            1
            for r in range(self.conflicts_model.rowCount())
            if (c := self.conflicts_model.conflict(r)) is not None and c.is_conflict
        )
        self.tabs.setTabText(2, f"Conflicts ({real})")
        self.conflicts_count.setText(f"{self.conflicts_model.rowCount()} listed")
        self.delete_button.setEnabled(bool(self.controller.current))

    # -- facts ----------------------------------------------------------------
    def select_fact(self, fact_id: str) -> None:
        """Make ``fact_id`` the selected row (clearing filters that hide it)."""
        row = self.facts_model.row_of(fact_id)
        if row < 0:
            return
        index = self.facts_proxy.mapFromSource(self.facts_model.index(row, 0))
        if not index.isValid():
            self.status_filter.setCurrentIndex(0)
            self.doc_filter.setCurrentIndex(0)
            self.tag_filter.setCurrentIndex(0)
            self.conflicts_only.setChecked(False)
            self.text_filter.clear()
            index = self.facts_proxy.mapFromSource(self.facts_model.index(row, 0))
        if index.isValid() and self.facts_view.currentIndex().row() != index.row():
            self.facts_view.setCurrentIndex(index)
        if index.isValid():
            self.facts_view.scrollTo(index)

    def _on_controller_current_changed(self, fact_id: str) -> None:
        if fact_id:
            self.tabs.setCurrentWidget(self.facts_page)
            self.select_fact(fact_id)
        else:
            self.facts_view.clearSelection()
        self._update_counts()

    def _on_facts_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        fact_id = current.data(FACT_ID_ROLE) if current.isValid() else ""
        if fact_id:
            self.controller.set_current(fact_id)

    def _on_facts_view_clicked(self, index: QModelIndex) -> None:
        fact_id = index.data(FACT_ID_ROLE)
        if fact_id:
            self.controller.set_current(fact_id)
            self.controller.show_fact(fact_id)

    def _on_delete_clicked(self) -> None:
        if self.controller.current:
            self.controller.delete(self.controller.current)

    def _status_setter(self, fact_id: str, status: str) -> Callable[[], None]:
        def set_status() -> None:
            self.controller.edit(fact_id, f"Set {fact_id} {status}", status=status)

        return set_status

    def _on_facts_context_menu(self, pos: Any) -> None:
        index = self.facts_view.indexAt(pos)
        fact_id = index.data(FACT_ID_ROLE) if index.isValid() else ""
        if not fact_id:
            return
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        menu.addAction("Show in Every View", lambda: self.controller.show_fact(fact_id))
        status_menu = menu.addMenu("Set Status")
        for status in FACT_STATUSES:
            status_menu.addAction(status_label(status), self._status_setter(fact_id, status))
        menu.addSeparator()
        menu.addAction("Delete Fact", lambda: self.controller.delete(fact_id))
        menu.exec(self.facts_view.viewport().mapToGlobal(pos))

    # -- suggestions ------------------------------------------------------------
    def _on_state_passage_activated(self, passage_id: str) -> None:
        if self.row_only.isChecked():
            self._on_suggestion_filters_changed()

    def _current_group(self) -> str:
        row = self.state.index.row_of.get(self.state.active_passage)
        return row.key if row is not None and row.is_group else "-"

    def _on_suggestion_filters_changed(self, *_args: object) -> None:
        self.suggestions_proxy.set_filter(
            kind=self.kind_filter.currentData() or "",
            group=self._current_group() if self.row_only.isChecked() else "",
            names=self.names_too.isChecked(),
            show_all=self.show_all.isChecked(),
        )
        self._show_suggestion_count()

    def _show_suggestion_count(self) -> None:
        proxy = self.suggestions_proxy
        shown, matching = proxy.rowCount(), max(proxy.matching, proxy.rowCount())
        rest = f" of {matching}" if matching > shown else ""
        self.suggestions_count.setText(f"{shown}{rest} shown")

    def _current_suggestion(self) -> Suggestion | None:
        index = self.suggestions_view.currentIndex()
        return index.data(SUGGESTION_ROLE) if index.isValid() else None

    def _on_suggestion_current_changed(self, current: QModelIndex, _prev: QModelIndex) -> None:
        self.make_fact_button.setEnabled(current.isValid())

    def _on_suggestion_clicked(self, index: QModelIndex) -> None:
        sug = index.data(SUGGESTION_ROLE)
        if sug is not None:
            passages = [m[0] for ms in sug.by_doc.values() for m in ms]
            self.controller.show_spans(index.data(SPANS_ROLE) or [], passages)

    def _on_suggestion_double_clicked(self, index: QModelIndex) -> None:
        sug = index.data(SUGGESTION_ROLE)
        if sug is not None:
            self.controller.fact_from_suggestion(sug)

    def _on_make_fact_clicked(self) -> None:
        sug = self._current_suggestion()
        if sug is not None:
            self.controller.fact_from_suggestion(sug)

    # -- conflicts --------------------------------------------------------------
    def _on_show_variants_toggled(self, show: bool) -> None:
        self.conflicts_model.set_show_variants(show)
        self._update_counts()

    def _on_conflict_clicked(self, index: QModelIndex, *_args: object) -> None:
        if not index.isValid():
            return
        conflict = self.conflicts_model.conflict(index.row())
        if conflict is not None:
            self.controller.show_spans(index.data(SPANS_ROLE) or [], list(conflict.passages))
