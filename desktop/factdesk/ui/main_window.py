"""The FactDesk main window: views, docks, menus and actions wired to the session.

The window holds no domain state. The ``Session`` (``factdesk.core.session``) owns the
open set, its project, corrections and facts; the window turns actions into session
calls, runs the session's long jobs on a ``JobRunner`` and shows what the session
reports. View state (focus, order, hidden versions) lives in the ``ViewState``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import (
    QCloseEvent,
    QDropEvent,
    QKeySequence,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QWidget,
)

from factdesk.core import bundled
from factdesk.core.model import ArticleSet, Corrections, ProjectError
from factdesk.core.session import PROJECT_SUFFIX, Session
from factdesk.ui.commands import CorrectionCommand
from factdesk.ui.palette import version_marker
from factdesk.ui.state import ViewState
from factdesk.ui.window_layout import WindowLayout, icon
from factdesk.ui.worker import JobRunner

STAGE_NAMES = {"load": "Loading", "segment": "Segmenting", "align": "Aligning"}
ARTICLE_FILTER = "Articles (*.txt *.md *.html *.htm *.docx);;All files (*)"
PROJECT_FILTER = f"FactDesk projects (*{PROJECT_SUFFIX})"
_KEYS = QKeySequence.StandardKey

#: The window's plain actions: attribute, text, slot (a method name), shortcut, tip, icon.
ACTIONS: tuple[tuple[str, str, str, Any, str, str], ...] = (
    ("open_files_action", "&Open Article Set…", "_on_open_files_triggered", _KEYS.Open,
     "Open the versions of a story (files)", "open"),
    ("open_folder_action", "Open &Folder…", "_on_open_folder_triggered", "Ctrl+Shift+O",
     "Open every version in a folder", "folder"),
    ("open_sample_action", "Open the &Sample Set", "_on_open_sample_triggered", None,
     "Open the sample story that ships with FactDesk (five versions of one report)", ""),
    ("open_project_action", "Open &Project…", "_on_open_project_triggered", "Ctrl+Alt+O",
     "Open a saved FactDesk project", ""),
    ("save_project_action", "&Save Project As…", "_on_save_project_triggered", _KEYS.SaveAs,
     "Save the versions, alignment and corrections as a project", "save"),
    ("save_action", "Save", "_on_save_triggered", _KEYS.Save,
     "Save the project (corrections are saved as you make them)", ""),
    ("add_documents_action", "&Add Documents…", "_on_add_documents_triggered", "Ctrl+Shift+A",
     "Add more versions to this set", "add"),
    ("reimport_action", "&Re-import Changed Files", "_on_reimport_triggered", "Ctrl+Shift+R",
     "Read every version's file again and re-align; facts are re-anchored", ""),
    ("quit_action", "&Quit", "close", _KEYS.Quit, "Close FactDesk", ""),
    ("find_action", "&Find in All Versions…", "_on_find_triggered", _KEYS.Find,
     "Search across every version", "search"),
    ("link_action", "&Link Selected Passages", "_on_link_triggered", "Ctrl+L",
     "Pin two selected passages of different versions together", "link"),
    ("unlink_action", "&Unlink Passage", "_on_unlink_triggered", "Ctrl+Shift+L",
     "Take the selected passage out of its row (forbid its links)", "unlink"),
    ("boilerplate_action", "Toggle &Boilerplate", "_on_boilerplate_triggered", "Ctrl+B",
     "Mark or unmark the selected passages as boilerplate", ""),
    ("zoom_in_action", "Zoom &In", "_on_zoom_in_triggered", _KEYS.ZoomIn, "Larger text", ""),
    ("zoom_out_action", "Zoom &Out", "_on_zoom_out_triggered", _KEYS.ZoomOut, "Smaller text", ""),
    ("zoom_reset_action", "&Reset Zoom", "_on_zoom_reset_triggered", "Ctrl+0",
     "Default text size", ""),
    ("next_group_action", "&Next Passage", "_on_next_group_triggered", "Alt+Down",
     "Go to the next row", "down"),
    ("prev_group_action", "&Previous Passage", "_on_prev_group_triggered", "Alt+Up",
     "Go to the previous row", "up"),
    ("next_unique_action", "Next &Unique to Focus", "_on_next_unique_triggered", "Alt+N",
     "Go to the next passage found only in the focus version", "unique"),
    ("prev_unique_action", "Previous Uni&que to Focus", "_on_prev_unique_triggered",
     "Alt+Shift+N", "Go to the previous passage found only in the focus version", ""),
    ("about_action", "&About FactDesk", "_on_about_triggered", None, "Version and licence", ""),
    ("clear_recent_action", "Clear Recent", "_on_clear_recent_triggered", None,
     "Forget the recently opened files", ""),
)  # fmt: skip


class MainWindow(WindowLayout):
    """Reader window. Extension points: ``add_dock``, ``selection_changed``, ``highlight_spans``."""

    selection_changed = Signal(str, int, int)  # doc id, start, end of the current selection
    set_shown = Signal()  # a (re)aligned set is on screen
    load_failed = Signal(str)
    load_cancelled = Signal()

    def __init__(self, settings: QSettings | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings or QSettings("FactDesk", "FactDesk")
        self.session = Session()
        self.runner = JobRunner(self)  # open, add, re-align, re-import
        self.analyser = JobRunner(self)  # the analysis of a set shown without one
        self.state = ViewState(self.session, self, analyser=self.analyser)
        self.undo_stack = QUndoStack(self)
        self._painted = False
        self._job_description = ""
        self._pending_add: list[str] = []  # versions being added, not yet shown
        self.setObjectName("mainwindow")
        self.setWindowTitle("FactDesk")
        self.setWindowIcon(icon("factdesk"))
        self.setAcceptDrops(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )
        self._build_views()
        self._build_docks()
        self._build_status_bar()
        self._build_actions()
        self._build_facts()
        self._build_menus()
        self._place_fact_docks()
        self._connect()
        self._update_edit_actions()
        self._add_shortcut_hints()
        self._restore_settings()
        self._update_counts()

    ACTION_TABLE = ACTIONS

    # ------------------------------------------------------------------ the session
    @property
    def article_set(self) -> ArticleSet:
        return self.session.article_set

    @property
    def project(self) -> Any:
        """The open ``factdesk.core.store.Project``, or None."""
        return self.session.project

    @property
    def project_path(self) -> str:
        return self.session.project_path

    def _connect(self) -> None:
        s = self.state
        s.set_changed.connect(self._on_state_changed)
        s.focus_changed.connect(self._on_state_changed)
        s.columns_changed.connect(self._on_state_changed)
        s.boilerplate_visibility_changed.connect(self._on_state_boilerplate_visibility_changed)
        s.differing_only_changed.connect(self._on_state_differing_only_changed)
        s.rows_changed.connect(self._on_state_rows_changed)
        self.set_shown.connect(self._on_window_set_shown)
        s.passage_activated.connect(self._on_state_passage_activated)
        self.session.project_changed.connect(self._on_session_project_changed)
        self.runner.started.connect(self._on_runner_started)
        self.runner.progressed.connect(self._on_runner_progressed)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.runner.cancelled.connect(self._on_runner_cancelled)
        self.selection_changed.connect(self.facts.set_selection)
        self.facts.passage_requested.connect(self._on_facts_passage_requested)
        self.facts.project_created.connect(self._on_facts_project_created)
        self.facts.current_changed.connect(self._on_facts_current_changed)
        self.synoptic.text_selected.connect(self.selection_changed)
        self.reader.text_selected.connect(self.selection_changed)
        self.synoptic.current_passage_changed.connect(s.activate_passage)
        self.synoptic.selectionModel().selectionChanged.connect(self._on_synoptic_selection_changed)
        self.synoptic.synoptic_model.modelReset.connect(self._on_synoptic_model_reset)
        self.synoptic.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.synoptic.customContextMenuRequested.connect(self._on_synoptic_context_menu)
        self.reader.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.reader.customContextMenuRequested.connect(self._on_reader_context_menu)
        self.reader.conflict_requested.connect(self._on_reader_conflict_requested)
        self.counterparts.unlink_requested.connect(self._on_counterparts_unlink_requested)
        self.counterparts.passage_requested.connect(self._on_counterparts_passage_requested)
        self.search_panel.hit_activated.connect(self._on_search_hit_activated)
        self.overview.heatmap.focus_requested.connect(s.set_focus)
        self.overview.graph.focus_requested.connect(s.set_focus)

    # ------------------------------------------------------------------ public API
    def show_message(self, text: str, level: str = "info") -> None:
        """Non-blocking message: the inline bar above the views and the status bar."""
        self.message_bar.show_message(text, level)
        self.statusBar().showMessage(text.split("\n")[0], 8000)

    def show_status(self, text: str, msecs: int = 4000) -> None:
        self.statusBar().showMessage(text, msecs)

    def set_article_set(self, article_set: ArticleSet) -> None:
        """Show an already aligned set (used by embedders and tests).

        The shown set takes over: a running job started for the previous one is cancelled
        and its result, should it still arrive, is dropped.
        """
        self._stop_jobs()
        self.session.show(article_set)
        self._report_errors(article_set)
        self.set_shown.emit()

    def open_paths(self, paths: Sequence[str | Path]) -> None:
        """Load and align files or folders off the GUI thread; replaces the current set.

        The current set, project and undo history stay until the new set has loaded, so a
        cancelled or failed open changes nothing.
        """
        if not paths:
            return
        self.fact_panel.flush()
        self._pending_add = []
        # the set is shown as soon as it is aligned; its analysis follows in the background
        self._run(self.session.open_job(paths, analysed=False), "open")

    def add_paths(self, paths: Sequence[str | Path]) -> None:
        """Add versions to the current set and re-align with the same corrections."""
        if not paths or (self.state.order and self._refuse_edit()):
            return
        if not self.state.order:
            self.open_paths(paths)
            return
        # versions still loading from an earlier add stay in the queue
        self._pending_add = self._pending_add + [str(p) for p in paths]
        self._start_alignment()

    def reimport(self) -> None:
        """Read every version's file again and re-align, re-anchoring the facts."""
        if self.state.order and not self._refuse_edit():
            self.fact_panel.flush()
            self._run(self.session.reimport_job(), "reimport")

    def realign(self, corrections: Corrections) -> None:
        """Put ``corrections`` in force and re-align off the GUI thread.

        They take effect at once: saved to the project and used by the next correction,
        even before the re-alignment has finished.
        """
        try:
            self.session.set_corrections(corrections)
        except ProjectError as exc:  # the project file may be gone or read-only
            self.show_message(f"Could not save the correction to the project: {exc}", "error")
        self._start_alignment()

    def pending_corrections(self) -> Corrections:
        """The corrections in force, including those whose re-alignment is still running."""
        return self.session.corrections

    def _start_alignment(self) -> None:
        """Re-align the shown set (plus any versions being added) with the corrections."""
        if self._pending_add:
            self._run(self.session.add_job(self._pending_add), "add")
        else:
            self._run(self.session.realign_job(), "realign")

    def _run(self, job: Any, description: str) -> None:
        self._job_description = description
        # the views' index of the new set is built in the worker too, not on the GUI thread
        self.runner.run(self.state.index_job(job), description)

    def _stop_jobs(self) -> None:
        """Another set or project takes over: a running job's result no longer applies."""
        self._pending_add = []
        self.runner.cancel()
        self._hide_progress()

    def open_project(self, path: str | Path) -> bool:
        self.fact_panel.flush()
        self._stop_jobs()
        try:
            self.session.open_project(path)
        except ProjectError as exc:
            self.show_message(str(exc), "error")
            return False
        self.undo_stack.clear()
        self._remember_project(path)
        self._report_errors(self.session.article_set)
        self._show_read_only()
        self.set_shown.emit()
        return True

    def save_project_as(self, path: str | Path) -> bool:
        """Save the set, its corrections and facts as a project and keep working in it.

        A re-alignment still running goes on and is saved to the new project when done:
        the set is the same, only the file changes.
        """
        self.fact_panel.flush()
        if self.session.is_open_project(path):
            self.show_status(
                f"Saved {Path(path).name} (the open project; changes are saved as you make them)",
                5000,
            )
            return True
        try:
            self.session.save_as(path)
        except ProjectError as exc:
            self.show_message(str(exc), "error")
            return False
        self._remember_project(path)
        self.show_status(f"Saved {Path(path).name}", 5000)
        return True

    def _remember_project(self, path: str | Path) -> None:
        self.settings.setValue("last_project", str(Path(path).absolute()))
        self.recent.add([str(path)], project=True)

    def _close_project(self) -> None:
        self.session.close()
        self._on_session_project_changed(None)

    # corrections ----------------------------------------------------------
    def _push_correction(self, text: str, after: Corrections) -> None:
        if self._refuse_edit():
            return
        before = self.session.corrections
        self.undo_stack.push(CorrectionCommand(text, before, after, self.realign))

    def link_passages(self, a: str, b: str) -> None:
        """Pin two passages of different versions together (undoable)."""
        idx = self.state.index
        if (
            a not in idx.passages
            or b not in idx.passages
            or idx.passages[a].doc == idx.passages[b].doc
        ):
            self.show_message(
                "Select two passages from different versions to link them.", "warning"
            )
            return
        label = f"Link {self._label(a)} with {self._label(b)}"
        self._push_correction(label, self.session.linked(a, b))

    def unlink_passages(self, pairs: Sequence[tuple[str, str]], text: str = "") -> None:
        """Forbid links between the given passage pairs (undoable, one command)."""
        if not pairs:
            return
        label = text or f"Unlink {self._label(pairs[0][0])} from {self._label(pairs[0][1])}"
        self._push_correction(label, self.session.unlinked(pairs))

    def detach_passage(self, passage_id: str) -> None:
        """Take a passage out of its row: forbid its links with every other passage there."""
        index = self.state.index
        row = index.row_of.get(passage_id)
        own_doc = index.passages[passage_id].doc if passage_id in index.passages else ""
        others = [p for d, pids in (row.cells.items() if row else []) if d != own_doc for p in pids]
        if not others:
            self.show_message("This passage is not linked to any other version.", "info")
            return
        self.unlink_passages([(passage_id, o) for o in others], f"Unlink {self._label(passage_id)}")

    def set_boilerplate(self, passage_ids: Sequence[str], flag: bool) -> None:
        if passage_ids:
            what = "Mark" if flag else "Unmark"
            self._push_correction(
                f"{what} {len(passage_ids)} passage(s) as boilerplate",
                self.session.with_boilerplate(passage_ids, flag),
            )

    def _label(self, passage_id: str) -> str:
        p = self.state.index.passages.get(passage_id)
        if p is None:
            return passage_id
        return f"{version_marker(self.state.number(p.doc))} sentence {p.index + 1}"

    # ------------------------------------------------------------------ job slots
    def _on_runner_started(self, description: str) -> None:
        self.progress.setRange(0, 0)
        self.progress.setFormat(
            {"open": "Loading…", "add": "Adding…", "reimport": "Re-importing…"}.get(
                description, "Re-aligning…"
            )
        )
        self.progress.show()
        self.cancel_button.show()
        self.show_status(self.progress.format(), 0)

    def _on_runner_progressed(self, stage: str, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setFormat(f"{STAGE_NAMES.get(stage, stage.capitalize())} %v/%m")

    def _on_runner_finished(self, result: object, description: str) -> None:
        self._hide_progress()
        if isinstance(result, tuple):
            loaded, index = result
            self.state.use_index(index)
        else:
            loaded = result
        if description in ("add", "reimport", "realign"):
            self._pending_add = []
        try:
            adopted = self.session.adopt(loaded)
        except ProjectError as exc:
            self.show_message(f"Could not save the alignment to the project: {exc}", "error")
            adopted = True
        if not adopted:
            return  # started for a set or project that has since been replaced
        if loaded.kind == "open":
            self.undo_stack.clear()
            self.recent.add(loaded.paths)
            self.message_bar.hide()
            self._on_session_project_changed(None)
        self._report_errors(self.session.article_set)
        self.set_shown.emit()
        done = {"open": "Loaded", "add": "Documents added", "reimport": "Re-imported"}
        self.show_status(done.get(description, "Re-aligned"), 4000)

    def _on_runner_failed(self, message: str) -> None:
        self._hide_progress()
        self._pending_add = []
        self.show_message(f"Could not finish: {message}", "error")
        self.load_failed.emit(message)

    def _on_runner_cancelled(self) -> None:
        self._hide_progress()
        self._pending_add = []
        text = {
            "realign": "Re-alignment cancelled; the corrections are kept and apply at the next one",
            "add": "Adding cancelled; no version was added",
        }.get(self._job_description, "Cancelled; nothing was changed")
        self.show_status(text, 5000)
        self.load_cancelled.emit()

    def _hide_progress(self) -> None:
        self.progress.hide()
        self.cancel_button.hide()
        self.progress.setRange(0, 1)
        self.progress.setValue(0)

    def _report_errors(self, article_set: ArticleSet) -> None:
        lines = [
            e.message
            if e.message.startswith(Path(e.path).name)
            else f"{Path(e.path).name}: {e.message}"
            for e in article_set.errors
        ]
        if lines:
            n = len(lines)
            head = f"{n} file{'s' if n > 1 else ''} could not be loaded (see the Documents list):"
            self.show_message(
                head + "\n" + "\n".join(lines[:6]) + ("\n…" if n > 6 else ""), "warning"
            )
        elif not article_set.documents:
            self.show_message("No readable versions were found.", "warning")

    # ------------------------------------------------------------------ other slots
    def _on_window_set_shown(self) -> None:
        self._restore_rows()

    def _refuse_edit(self) -> bool:
        """True (and the editor is told why) when the open project cannot take edits."""
        if not self.session.read_only:
            return False
        self._show_read_only()
        return True

    def _show_read_only(self) -> None:
        """The banner of a read-only project (it stays until dismissed)."""
        reason = self.session.read_only
        if reason:
            self.show_message(
                f"{Path(self.session.project_path).name} is open read-only ({reason}): "
                "editing is turned off. File ▸ Save Project As… makes an editable copy.",
                "warning",
            )

    def _on_session_project_changed(self, _none: None) -> None:
        read_only = bool(self.session.read_only)
        for action in (self.add_documents_action, self.reimport_action, self.new_fact_action):
            action.setEnabled(not read_only)
        self.fact_panel.setEnabled(not read_only)
        self._update_edit_actions()
        path = self.session.project_path
        paths = self.session.paths
        if path:
            title = Path(path).name
        elif len(paths) == 1:
            title = Path(paths[0]).name
        elif paths:
            title = f"{Path(paths[0]).name} and {len(paths) - 1} more"
        else:
            title = ""
        if title and read_only:
            title += " (read-only)"
        self.setWindowTitle(f"{title} — FactDesk" if title else "FactDesk")

    def _on_facts_project_created(self, path: str) -> None:
        self._remember_project(path)

    def _on_facts_current_changed(self, fact_id: str) -> None:
        if fact_id:
            self.show_fact_panel()

    def _on_facts_passage_requested(self, passage_id: str) -> None:
        s = self.state
        p = s.index.passages[passage_id]
        if self.tabs.currentIndex() == 2 or (self.tabs.currentIndex() == 1 and p.doc != s.focus):
            self.tabs.setCurrentIndex(0)
        if p.boilerplate and not s.show_boilerplate:
            s.set_show_boilerplate(True)
        if p.doc in s.hidden:
            s.set_hidden(p.doc, False)
        s.activate_passage(passage_id)

    def _on_state_changed(self, *_args: object) -> None:
        self._update_counts()
        self._rebuild_focus_menu()

    def _on_counterparts_unlink_requested(self, a: str, others: list[str]) -> None:
        self.unlink_passages([(a, b) for b in others])

    def _on_link_triggered(self) -> None:
        first_by_doc: dict[str, str] = {}
        for pid in self.synoptic.selected_passages():
            first_by_doc.setdefault(self.state.index.passages[pid].doc, pid)
        picks = list(first_by_doc.values())
        if len(picks) != 2:
            self.show_message(
                "Select two cells from two different versions (Ctrl+click), then Link.", "info"
            )
            return
        self.link_passages(picks[0], picks[1])

    def _on_unlink_triggered(self) -> None:
        selected = self._selected_or_active()
        if selected:
            self.detach_passage(selected[0])

    def _on_boilerplate_triggered(self) -> None:
        selected = self._selected_or_active()
        if selected:
            flag = not all(self.state.index.passages[p].boilerplate for p in selected)
            self.set_boilerplate(selected, flag)

    def _on_open_files_triggered(self) -> None:
        title = "Open the versions of a story"
        files, _ = QFileDialog.getOpenFileNames(self, title, self._last_dir(), ARTICLE_FILTER)
        if files:
            self.settings.setValue("last_dir", str(Path(files[0]).parent))
            self.open_paths(files)

    def _on_open_folder_triggered(self) -> None:
        title = "Open a folder of versions"
        folder = QFileDialog.getExistingDirectory(self, title, self._last_dir())
        if folder:
            self.settings.setValue("last_dir", folder)
            self.open_paths([folder])

    def _on_open_sample_triggered(self) -> None:
        self.open_paths([str(p) for p in bundled.sample_paths()])

    def _on_open_project_triggered(self) -> None:
        title = "Open a FactDesk project"
        filters = f"{PROJECT_FILTER};;All files (*)"
        path, _ = QFileDialog.getOpenFileName(self, title, self._last_dir(), filters)
        if path:
            self.open_project(path)

    def _on_save_project_triggered(self) -> None:
        title = "Save project as"
        path, _ = QFileDialog.getSaveFileName(self, title, self._last_dir(), PROJECT_FILTER)
        if path:
            if not path.endswith(PROJECT_SUFFIX):
                path += PROJECT_SUFFIX
            self.save_project_as(path)

    def _on_save_triggered(self) -> None:
        if self.session.project is None:
            self._on_save_project_triggered()
        else:
            self.show_status("Corrections are saved to the project as you make them", 4000)

    def _on_add_documents_triggered(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(
            self, "Add versions", self._last_dir(), ARTICLE_FILTER
        )
        if files:
            self.add_paths(files)

    def _on_reimport_triggered(self) -> None:
        self.reimport()

    def _on_clear_recent_triggered(self) -> None:
        self.recent.clear()

    # ------------------------------------------------------------------ status

    def recent_files(self) -> list[str]:
        return self.recent.entries()

    # ------------------------------------------------------------------ settings & lifetime

    def closeEvent(self, event: QCloseEvent) -> None:
        self.runner.cancel()
        self.runner.wait(5000)
        self.analyser.wait(5000)
        self.fact_panel.flush()  # text typed into the fact panel is saved before closing
        self.save_settings()
        with contextlib.suppress(Exception):  # closing must never stop the window closing
            self.session.close()
        super().closeEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            if len(paths) == 1 and paths[0].endswith(PROJECT_SUFFIX):
                self.open_project(paths[0])
            else:
                self.add_paths(paths)
