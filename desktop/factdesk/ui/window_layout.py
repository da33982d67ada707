"""How the main window is put together: views, docks, actions, menus and the toolbar.

``WindowLayout`` builds the widgets and actions; ``MainWindow`` (a subclass) wires them
to the session and holds the slots.
"""

from __future__ import annotations

import contextlib
import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QDragEnterEvent, QIcon, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

import factdesk
from factdesk.core import bundled
from factdesk.core.model import ArticleSet
from factdesk.core.review import set_fingerprint
from factdesk.core.session import Session
from factdesk.ui.fact_panel import FactPanel, FactPanelDock
from factdesk.ui.facts_dock import EXPORT_KEY, NEW_FACT_KEYS, FactsController, FactsDock
from factdesk.ui.messagebar import MessageBar
from factdesk.ui.overview import ChunkMap, OverviewPage
from factdesk.ui.palette import version_marker
from factdesk.ui.panels import CounterpartsPanel, DocumentsPanel, LoadNotesLabel, SearchPanel
from factdesk.ui.reader import Legend, ReaderView
from factdesk.ui.recent import RecentFiles
from factdesk.ui.state import ViewState
from factdesk.ui.synoptic import SynopticView
from factdesk.ui.worker import JobRunner

_KEYS = QKeySequence.StandardKey


def resource_path(name: str) -> Path:
    """A file shipped in ``resources/``."""
    return bundled.resource_path(name)


def icon(name: str) -> QIcon:
    path = resource_path(f"icons/{name}.svg")
    return QIcon(str(path)) if path.exists() else QIcon()


def _paragraph_key(article_set: ArticleSet) -> str:
    return f"paragraph_rows/{set_fingerprint(article_set)}"


class WindowLayout(QMainWindow):
    """The window's widgets and actions, built once."""

    first_painted = Signal()

    #: (attribute, text, slot name, shortcut, tip, icon) of each plain action
    ACTION_TABLE: tuple[tuple[str, str, str, Any, str, str], ...] = ()
    settings: QSettings
    session: Session
    state: ViewState
    runner: JobRunner
    undo_stack: QUndoStack
    _painted = False  # set once the window has been painted for the first time
    _search_in_front = False  # while a search hit is being shown
    # True while the docks are where a first run puts them (no saved layout restored)
    _default_layout = False
    _fact_docks_compact = False  # the fact docks still have their small first-run height
    _documents_rows = -1  # versions listed when the Documents dock was last fitted

    #: Short labels of the toolbar's buttons (menus and tooltips keep the full text).
    TOOLBAR_LABELS: tuple[tuple[str, str], ...] = (
        ("open_files_action", "Open"),
        ("add_documents_action", "Add"),
        ("save_project_action", "Save As"),
        ("link_action", "Link"),
        ("unlink_action", "Unlink"),
        ("next_unique_action", "Next Unique"),
        ("find_action", "Find"),
        ("new_fact_action", "New Fact"),
        ("export_action", "Export"),
    )

    # made from ACTION_TABLE in _build_actions
    open_files_action: QAction
    open_folder_action: QAction
    open_sample_action: QAction
    open_project_action: QAction
    save_project_action: QAction
    save_action: QAction
    add_documents_action: QAction
    reimport_action: QAction
    quit_action: QAction
    find_action: QAction
    link_action: QAction
    unlink_action: QAction
    boilerplate_action: QAction
    zoom_in_action: QAction
    zoom_out_action: QAction
    zoom_reset_action: QAction
    next_group_action: QAction
    prev_group_action: QAction
    next_unique_action: QAction
    prev_unique_action: QAction
    about_action: QAction
    clear_recent_action: QAction

    # -- provided by the main window -------------------------------------------
    def open_paths(self, paths: Sequence[str | Path]) -> None:
        raise NotImplementedError

    def open_project(self, path: str | Path) -> bool:
        raise NotImplementedError

    def show_message(self, text: str, level: str = "info") -> None:
        raise NotImplementedError

    def show_status(self, text: str, msecs: int = 4000) -> None:
        raise NotImplementedError

    def _build_views(self) -> None:
        s = self.state
        self.message_bar = MessageBar()
        self.synoptic = SynopticView(s)
        self.reader = ReaderView(s)
        self.overview = OverviewPage(s)
        self.synoptic_chunks = ChunkMap(s)
        self.reader_chunks = ChunkMap(s)

        def page(view: QWidget, chunks: QWidget, legend: QWidget) -> QWidget:
            w = QWidget()
            outer = QVBoxLayout(w)
            outer.setContentsMargins(0, 0, 0, 0)
            outer.setSpacing(0)
            legend.setContentsMargins(8, 4, 8, 4)
            outer.addWidget(legend)
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            row.setSpacing(0)
            row.addWidget(view, 1)
            row.addWidget(chunks)
            outer.addLayout(row, 1)
            return w

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(page(self.synoptic, self.synoptic_chunks, Legend(s, True)), "Synoptic")
        self.tabs.addTab(page(self.reader, self.reader_chunks, Legend(s, False)), "Reader")
        self.tabs.addTab(self.overview, "Overview")
        self.tabs.setTabToolTip(0, "All versions side by side, one row per shared passage")
        self.tabs.setTabToolTip(
            1, "The focus version as running text, marked by where each sentence is found"
        )
        self.tabs.setTabToolTip(2, "Shared-text heat map and derivation graph")
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.message_bar)
        layout.addWidget(self.tabs, 1)
        self.setCentralWidget(central)

    def _build_docks(self) -> None:
        self.documents = DocumentsPanel(self.state)
        self.counterparts = CounterpartsPanel(self.state)
        self.search_panel = SearchPanel(self.state)
        self.load_notes = LoadNotesLabel(self.state)
        documents_box = QWidget()
        box = QVBoxLayout(documents_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.documents, 1)
        box.addWidget(self.load_notes)
        self.documents_dock = self._make_dock("Documents", "documents_dock", documents_box)
        self.counterparts_dock = self._make_dock(
            "Counterparts", "counterparts_dock", self.counterparts
        )
        self.search_dock = self._make_dock("Search", "search_dock", self.search_panel)
        # the reading views get the whole height: the versions list sits at the top of the
        # right-hand column, above the counterparts of the passage under review
        right = Qt.DockWidgetArea.RightDockWidgetArea
        self.addDockWidget(right, self.documents_dock)
        self.addDockWidget(right, self.counterparts_dock)
        self.splitDockWidget(self.documents_dock, self.counterparts_dock, Qt.Orientation.Vertical)
        self.addDockWidget(right, self.search_dock)
        self.tabifyDockWidget(self.counterparts_dock, self.search_dock)
        self.counterparts_dock.raise_()
        self.resizeDocks([self.counterparts_dock], [380], Qt.Orientation.Horizontal)
        self._documents_timer = QTimer(self, singleShot=True, interval=0)
        self._documents_timer.timeout.connect(self._on_documents_timer_timeout)

    @staticmethod
    def _make_dock(title: str, name: str, widget: QWidget) -> QDockWidget:
        dock = QDockWidget(title)
        dock.setObjectName(name)
        dock.setWidget(widget)
        return dock

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.counts_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setTextVisible(True)
        self.progress.hide()
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setToolTip("Stop loading or aligning; the current view stays as it was")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.runner.cancel)
        bar.addPermanentWidget(self.progress)
        bar.addPermanentWidget(self.cancel_button)
        bar.addPermanentWidget(self.counts_label)

    def _action(
        self,
        text: str,
        slot: Any,
        shortcut: Any = None,
        tip: str = "",
        icon_name: str = "",
        checkable: bool = False,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.setToolTip(tip or text.replace("&", "").replace("…", ""))
        action.setStatusTip(action.toolTip())
        if icon_name:
            action.setIcon(icon(icon_name))
        action.setCheckable(checkable)
        (action.toggled if checkable else action.triggered).connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        for name, text, slot, shortcut, tip, icon_name in self.ACTION_TABLE:
            setattr(self, name, self._action(text, getattr(self, slot), shortcut, tip, icon_name))
        self.zoom_in_action.setShortcuts([QKeySequence(_KEYS.ZoomIn), QKeySequence("Ctrl+=")])
        self.show_boilerplate_action = self._action(
            "Show &Boilerplate Rows",
            self.state.set_show_boilerplate,
            "Ctrl+Shift+B",
            "Show passages flagged as boilerplate (captions, share widgets…)",
            checkable=True,
        )
        self.paragraph_rows_action = self._action(
            "&Paragraph Rows",
            self.state.set_by_paragraph,
            "Ctrl+Shift+P",
            "Line up whole paragraphs instead of sentences: each row holds the paragraphs "
            "whose sentences match, diffed word by word (remembered for each set)",
            checkable=True,
        )
        self.differing_only_action = self._action(
            "Only Versions That &Differ Here",
            self.state.set_differing_only,
            "Ctrl+Shift+D",
            "Synoptic view: show only the versions whose text in the current row differs "
            "from the focus version (reworded, cut or missing there); versions with the "
            "same text as the focus in that row are hidden until you move to another row",
            checkable=True,
        )
        self.undo_action = self._stack_action(self.undo_stack.createUndoAction(self, "&Undo"))
        self.undo_action.setShortcut(QKeySequence(_KEYS.Undo))
        self.undo_action.setIcon(icon("undo"))
        self.undo_action.setToolTip("Undo the last correction or fact edit")
        self.redo_action = self._stack_action(self.undo_stack.createRedoAction(self, "&Redo"))
        self.redo_action.setShortcut(QKeySequence(_KEYS.Redo))
        self.redo_action.setIcon(icon("redo"))
        self.redo_action.setToolTip("Redo the last undone correction or fact edit")
        self.view_actions = [
            self._action(
                name,
                lambda _=False, i=i: self.tabs.setCurrentIndex(i),
                f"Ctrl+Alt+{i + 1}",
                f"Show the {name.strip('&').lower()} view",
            )
            for i, name in enumerate(("&Synoptic", "&Reader", "&Overview"))
        ]
        self.focus_actions = [
            self._action(
                f"Focus Version {i + 1}",
                lambda _=False, i=i: self._focus_nth(i),
                f"Ctrl+{i + 1}",
                f"Review version {i + 1} (make it the focus)",
            )
            for i in range(9)
        ]

    @staticmethod
    def _stack_action(action: QAction | None) -> QAction:
        assert action is not None
        return action

    def _build_facts(self) -> None:
        """Fact review: controller, Facts dock, fact panel and their actions."""
        self.facts = FactsController(self.session, self.state, self.undo_stack, self, self)
        self.facts.text_selection = self._reader_selection
        self.facts.last_dir = self._last_dir
        self.facts_dock = FactsDock(self.facts)
        self.fact_panel = FactPanel(self.facts, self.facts_dock.facts_model)
        self.fact_dock = FactPanelDock(self.fact_panel)
        self.new_fact_action = self._action(
            "New &Fact from Selection",
            self.facts.new_fact_from_selection,
            NEW_FACT_KEYS[0],
            "Make a fact from the selected text, anchored in every version that carries it",
        )
        self.new_fact_action.setShortcuts([QKeySequence(k) for k in NEW_FACT_KEYS])
        self.export_action = self._action(
            "&Export…",
            self.facts.ask_and_export,
            EXPORT_KEY,
            "Export the facts and their sources: HTML or Markdown report, CSV, JSON, "
            "W3C Web Annotations or ClaimReview",
        )
        self.facts_dock.set_actions(self.new_fact_action, self.export_action)

    def _place_fact_docks(self) -> None:
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.facts_panel_action = self.add_dock(self.facts_dock, bottom, "Ctrl+Alt+F")
        self.fact_panel_action = self.add_dock(self.fact_dock, bottom)
        self.splitDockWidget(self.facts_dock, self.fact_dock, Qt.Orientation.Horizontal)
        saved = self.settings.value("window_state")
        if not (isinstance(saved, QByteArray) and not saved.isEmpty()):
            # First run: the fact list starts low and the fact panel closed (there is no
            # fact yet); both open up when a fact is shown. Dock sizes only hold once the
            # window has its real size.
            self._default_layout = True
            self._fact_docks_compact = True
            self.fact_dock.hide()
            self.first_painted.connect(self._on_window_first_painted)
        self.fact_panel.set_new_fact_hint(
            self.new_fact_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        )

    def _on_window_first_painted(self) -> None:
        self._size_default_docks()

    def _size_default_docks(self) -> None:
        """First-run sizes: a slim right-hand column and a low fact list."""
        width = max(self.width(), 800)
        side = min(max(round(width * 0.25), 350), 430)
        self.resizeDocks([self.counterparts_dock], [side], Qt.Orientation.Horizontal)
        self._size_fact_docks()
        self._fit_documents_dock()

    def _size_fact_docks(self) -> None:
        """The fact docks' height: low while there is no fact to show, else a working one."""
        width = max(self.width(), 800)
        if self._fact_docks_compact:
            height = min(max(round(self.height() * 0.19), 150), 220)
        else:
            height = min(300, round(self.height() * 0.27))
        self.resizeDocks([self.facts_dock], [height], Qt.Orientation.Vertical)
        if not self.fact_dock.isHidden():
            self.resizeDocks(
                [self.facts_dock, self.fact_dock],
                [round(width * 0.56), round(width * 0.44)],
                Qt.Orientation.Horizontal,
            )

    def show_fact_panel(self) -> None:
        """Open the fact panel beside the fact list (a first run's low docks grow)."""
        if self.fact_dock.isHidden():
            self.fact_dock.show()
        if self._fact_docks_compact:
            self._fact_docks_compact = False
            self._size_fact_docks()

    def _on_documents_timer_timeout(self) -> None:
        self._fit_documents_dock()

    def _fit_documents_dock(self) -> None:
        """In the first-run layout, the Documents dock is as tall as its list of versions."""
        rows = self.documents.documents_model.rowCount()
        if (
            not self._default_layout
            or self.documents_dock.isHidden()
            or rows == self._documents_rows
        ):
            return
        self._documents_rows = rows
        if rows < self.documents.FIXED_ROWS_FROM:
            self.documents.resizeRowsToContents()
        box = self.documents_dock.widget()
        chrome = self.documents_dock.height() - (box.height() if box else 0)
        notes = 0
        if not self.load_notes.isHidden():
            notes = self.load_notes.heightForWidth(max(self.documents.width(), 100))
        column = self.documents_dock.height() + self.counterparts_dock.height()
        ideal = self.documents.ideal_height() + notes + max(chrome, 0)
        height = max(min(ideal, round(column * 0.5)), 80)
        self.resizeDocks(
            [self.documents_dock, self.counterparts_dock],
            [height, max(column - height, 120)],
            Qt.Orientation.Vertical,
        )

    def _add_shortcut_hints(self) -> None:
        """List each action's shortcuts in its tooltip (menus show them; buttons do not)."""
        for action in self.findChildren(QAction):
            keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()]
            tip = action.toolTip()
            if keys and tip and keys[0] not in tip:
                action.setToolTip(f"{tip} ({', '.join(keys)})")
        self.facts_dock.set_actions(self.new_fact_action, self.export_action)

    def _build_menus(self) -> None:
        mb = self.menuBar()
        file_menu = mb.addMenu("&File")
        file_menu.addActions(
            [
                self.open_files_action,
                self.open_folder_action,
                self.open_project_action,
                self.open_sample_action,
            ]
        )
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.setToolTipsVisible(True)
        file_menu.addSeparator()
        file_menu.addActions(
            [
                self.add_documents_action,
                self.reimport_action,
                self.save_action,
                self.save_project_action,
            ]
        )
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = mb.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.link_action, self.unlink_action, self.boilerplate_action])
        edit.addSeparator()
        edit.addAction(self.new_fact_action)
        edit.addSeparator()
        edit.addAction(self.find_action)
        view = mb.addMenu("&View")
        view.addActions(self.view_actions)
        view.addSeparator()
        view.addActions(
            [self.show_boilerplate_action, self.differing_only_action, self.paragraph_rows_action]
        )
        view.addSeparator()
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.zoom_reset_action])
        view.addSeparator()
        self.panels_menu = view.addMenu("&Panels")
        for dock in (self.documents_dock, self.counterparts_dock, self.search_dock):
            self._register_dock_toggle(dock)
        self.focus_menu = view.addMenu("&Focus")
        self.focus_menu.setToolTipsVisible(True)
        self._focus_menu_stale = True
        self.focus_menu.aboutToShow.connect(self._on_focus_menu_about_to_show)
        go = mb.addMenu("&Go")
        go.addActions(
            [
                self.next_group_action,
                self.prev_group_action,
                self.next_unique_action,
                self.prev_unique_action,
            ]
        )
        help_menu = mb.addMenu("&Help")
        help_menu.addAction(self.about_action)
        for menu in (file_menu, edit, view, go, help_menu):
            menu.setToolTipsVisible(True)
        # icon-only on the toolbar (text in menus and tooltips) so the bar fits without overflow
        for action in (
            self.undo_action,
            self.redo_action,
            self.prev_group_action,
            self.next_group_action,
        ):
            action.setPriority(QAction.Priority.LowPriority)
        for name, label in self.TOOLBAR_LABELS:
            getattr(self, name).setIconText(label)
        tb = QToolBar("Main")
        tb.setObjectName("main_toolbar")
        tb.setIconSize(QSize(20, 20))
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for group in (
            [self.open_files_action, self.add_documents_action, self.save_project_action],
            [self.undo_action, self.redo_action],
            [self.link_action, self.unlink_action],
            [self.prev_group_action, self.next_group_action, self.next_unique_action],
            [self.find_action],
            [self.new_fact_action, self.export_action],
        ):
            if tb.actions():
                tb.addSeparator()
            tb.addActions(group)
        self.addToolBar(tb)
        self.toolbar = tb
        self.recent = RecentFiles(
            self.settings,
            self.recent_menu,
            self.clear_recent_action,
            self.open_paths,
            self.open_project,
        )

    def _register_dock_toggle(self, dock: QDockWidget, shortcut: str | None = None) -> QAction:
        toggle = dock.toggleViewAction()
        toggle.setToolTip(f"Show or hide the {dock.windowTitle()} panel")
        if shortcut:
            toggle.setShortcut(QKeySequence(shortcut))
        self.panels_menu.addAction(toggle)
        return toggle

    def add_dock(
        self,
        dock: QDockWidget,
        area: Qt.DockWidgetArea = Qt.DockWidgetArea.RightDockWidgetArea,
        shortcut: str | None = None,
        tabify_with: QDockWidget | None = None,
    ) -> QAction:
        """Add a panel and its View ▸ Panels toggle; returns the toggle action.

        Give the dock an objectName so its place is remembered between sessions.
        """
        if not dock.objectName():
            dock.setObjectName(dock.windowTitle().lower().replace(" ", "_") + "_dock")
        self.addDockWidget(area, dock)
        if tabify_with is not None:
            self.tabifyDockWidget(tabify_with, dock)
        return self._register_dock_toggle(dock, shortcut)

    def _last_dir(self) -> str:
        return str(self.settings.value("last_dir", str(Path.home())))

    def _focus_nth(self, n: int) -> None:
        if n < len(self.state.order):
            self.state.set_focus(self.state.order[n])

    # -- what concerns only the views ----------------------------------------
    def highlight_spans(self, spans: Sequence[tuple[str, int, int]]) -> None:
        """Highlight ``(doc id, start, end)`` spans in every view (an empty list clears them)."""
        self.state.set_highlights(list(spans))

    def _on_state_boilerplate_visibility_changed(self, show: bool) -> None:
        self.show_boilerplate_action.blockSignals(True)
        self.show_boilerplate_action.setChecked(show)
        self.show_boilerplate_action.blockSignals(False)

    def _on_state_rows_changed(self, by_paragraph: bool) -> None:
        self.paragraph_rows_action.blockSignals(True)
        self.paragraph_rows_action.setChecked(by_paragraph)
        self.paragraph_rows_action.blockSignals(False)
        if self.state.order:  # remembered for this set
            self.settings.setValue(_paragraph_key(self.state.article_set), by_paragraph)

    def _restore_rows(self) -> None:
        """The row kind the editor last chose for the shown set (sentences at first)."""
        if not self.state.order:
            return
        saved = self.settings.value(_paragraph_key(self.state.article_set), False)
        self.state.set_by_paragraph(saved in (True, "true", "1", 1))

    def _on_state_differing_only_changed(self, on: bool) -> None:
        self.differing_only_action.blockSignals(True)
        self.differing_only_action.setChecked(on)
        self.differing_only_action.blockSignals(False)
        self.settings.setValue("differing_only", on)

    def _on_state_passage_activated(self, passage_id: str) -> None:
        # a hit chosen in Search keeps the results in front: the editor goes on to the next
        if not self._search_in_front:
            self.counterparts_dock.show()
            self.counterparts_dock.raise_()
        self._update_edit_actions()

    def _on_synoptic_model_reset(self) -> None:
        if self.state.active_passage:
            self.synoptic.show_passage(self.state.active_passage)
        else:
            self.synoptic.horizontalScrollBar().setValue(0)
        if self.documents.documents_model.rowCount() != self._documents_rows:
            self._documents_timer.start()

    def _on_counterparts_passage_requested(self, passage_id: str) -> None:
        self.tabs.setCurrentIndex(0)
        self.synoptic.show_passage(passage_id)

    def _on_search_hit_activated(self, doc_id: str, offset: int, length: int) -> None:
        passage = self.state.index.passage_at(doc_id, offset)
        self.highlight_spans([(doc_id, offset, offset + length)])
        if passage is not None:
            if self.tabs.currentIndex() == 1 and doc_id != self.state.focus:
                self.tabs.setCurrentIndex(0)
            if passage.boilerplate and not self.state.show_boilerplate:
                self.state.set_show_boilerplate(True)
            if doc_id in self.state.hidden:
                self.state.set_hidden(doc_id, False)
            self._search_in_front = True
            try:
                self.state.activate_passage(passage.id)
            finally:
                self._search_in_front = False

    def _on_synoptic_context_menu(self, pos: Any) -> None:
        index = self.synoptic.indexAt(pos)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        doc = self.synoptic.synoptic_model.doc_at(index.column())
        marker = version_marker(self.state.number(doc))
        menu.addAction(f"Review {marker} (make focus)", lambda: self.state.set_focus(doc))
        hide = menu.addAction(f"Hide {marker}", lambda: self.state.set_hidden(doc, True))
        hide.setEnabled(doc != self.state.focus)
        menu.addSeparator()
        menu.addAction(self.new_fact_action)
        menu.addSeparator()
        menu.addActions([self.link_action, self.unlink_action, self.boilerplate_action])
        menu.exec(self.synoptic.viewport().mapToGlobal(pos))

    def _on_reader_context_menu(self, pos: Any) -> None:
        menu = self.reader.createStandardContextMenu(pos)
        menu.setToolTipsVisible(True)
        actions = menu.actions()
        if actions:
            menu.insertAction(actions[0], self.new_fact_action)
            menu.insertSeparator(actions[0])
        else:
            menu.addAction(self.new_fact_action)
        menu.exec(self.reader.viewport().mapToGlobal(pos))

    def _on_reader_conflict_requested(self, passage_id: str) -> None:
        self.facts_dock.show()
        self.facts_dock.raise_()
        self.facts_dock.tabs.setCurrentWidget(self.facts_dock.conflicts_page)
        self.state.activate_passage(passage_id)

    def _on_synoptic_selection_changed(self, *_args: object) -> None:
        self._update_edit_actions()

    def _update_edit_actions(self) -> None:
        if not hasattr(self, "synoptic"):
            return
        selected = self.synoptic.selected_passages()
        passages = self.state.index.passages
        docs = {passages[p].doc for p in selected if p in passages}
        editable = not self.session.read_only
        self.link_action.setEnabled(editable and len(docs) >= 2)
        self.unlink_action.setEnabled(editable and bool(selected or self.state.active_passage))
        self.boilerplate_action.setEnabled(editable and bool(selected or self.state.active_passage))

    def _selected_or_active(self) -> list[str]:
        selected = self.synoptic.selected_passages()
        if not selected and self.state.active_passage:
            selected = [self.state.active_passage]
        return selected

    def _reader_selection(self) -> tuple[str, int, int] | None:
        cursor = self.reader.textCursor()
        if cursor.hasSelection() and self.state.focus:
            start = self.reader.doc_offset(cursor.selectionStart())
            end = self.reader.doc_offset(cursor.selectionEnd())
            if end > start:
                return (self.state.focus, start, end)
        return None

    def _on_zoom_in_triggered(self) -> None:
        self.state.set_zoom(self.state.zoom + 1)

    def _on_zoom_out_triggered(self) -> None:
        self.state.set_zoom(self.state.zoom - 1)

    def _on_zoom_reset_triggered(self) -> None:
        self.state.set_zoom(0)

    def _on_next_group_triggered(self) -> None:
        self._step(1)

    def _on_prev_group_triggered(self) -> None:
        self._step(-1)

    def _on_next_unique_triggered(self) -> None:
        self._step(1, True)

    def _on_prev_unique_triggered(self) -> None:
        self._step(-1, True)

    def _step(self, delta: int, unique: bool = False) -> None:
        self.tabs.setCurrentIndex(0)
        self.synoptic.step_row(delta, unique)

    def _on_find_triggered(self) -> None:
        self.search_dock.show()
        self.search_dock.raise_()
        self.search_panel.field.setFocus()
        self.search_panel.field.selectAll()

    def _on_about_triggered(self) -> None:
        QMessageBox.about(
            self,
            "About FactDesk",
            f"<h3>FactDesk {html.escape(factdesk.__version__)}</h3>"
            "<p>Line up every version of a news story, see what changed, and track where each fact "
            "comes from.</p><p>MIT licence.</p>",
        )

    def _update_counts(self) -> None:
        s = self.state
        if not s.order:
            self.counts_label.setText("No versions loaded")
            return
        shared = sum(1 for r in s.index.rows if len(r.cells) > 1)
        unique = len(s.index.unique_to(s.focus))
        hidden = f" · {len(s.hidden)} hidden" if s.hidden else ""
        errors = f" · {len(s.article_set.errors)} not loaded" if s.article_set.errors else ""
        n_notes = len(s.article_set.notes)
        errors += f" · {n_notes} note{'s' if n_notes > 1 else ''}" if n_notes else ""
        self.counts_label.setText(
            f"{len(s.order)} versions{hidden}{errors} · {len(s.article_set.passages)} passages · "
            f"{shared} shared rows · {unique} unique to focus {version_marker(s.number(s.focus))}"
        )

    def _rebuild_focus_menu(self) -> None:
        """Fill the focus menu again when it next opens: with a thousand versions, making
        its thousand entries at every change of set or focus held up the window."""
        self._focus_menu_stale = True

    def _on_focus_menu_about_to_show(self) -> None:
        self.focus_menu_actions()

    def focus_menu_actions(self) -> list[QAction]:
        """The focus menu's entries, one per version in column order (filled if stale)."""
        if self._focus_menu_stale:
            self._focus_menu_stale = False
            self._fill_focus_menu()
        return self.focus_menu.actions()

    def _fill_focus_menu(self) -> None:
        self.focus_menu.clear()
        for i, d in enumerate(self.state.order):
            doc = self.state.index.docs[d]
            act = self.focus_menu.addAction(f"{version_marker(self.state.number(d))}  {doc.name}")
            act.setCheckable(True)
            act.setChecked(d == self.state.focus)
            act.setToolTip(f"Review {doc.name}" + (f" (Ctrl+{i + 1})" if i < 9 else ""))
            act.triggered.connect(lambda _=False, d=d: self.state.set_focus(d))

    def _restore_settings(self) -> None:
        geometry = self.settings.value("geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        dock_state = self.settings.value("window_state")
        if isinstance(dock_state, QByteArray) and not dock_state.isEmpty():
            self.restoreState(dock_state)
        zoom = self.settings.value("zoom", 0)
        with contextlib.suppress(TypeError, ValueError):
            self.state.set_zoom(int(str(zoom)))
        differing = self.settings.value("differing_only", False)
        self.state.set_differing_only(str(differing).lower() in ("true", "1"))

    def save_settings(self) -> None:
        self.settings.setValue("geometry", self.saveGeometry())
        self.settings.setValue("window_state", self.saveState())
        self.settings.setValue("zoom", self.state.zoom)
        self.settings.setValue("differing_only", self.state.differing_only)
        self.settings.sync()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.state.refresh_theme()
        super().changeEvent(event)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def paintEvent(self, event: Any) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
