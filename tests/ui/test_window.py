"""Behaviour of the main window, driven the way an editor would."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from factdesk.core.model import ArticleSet
from factdesk.ui.app import sample_paths
from factdesk.ui.main_window import MainWindow
from factdesk.ui.models import (
    DOC_ID_ROLE,
    HIGHLIGHT_ROLE,
    LENGTH_ROLE,
    OFFSET_ROLE,
    PASSAGE_IDS_ROLE,
    DocumentsModel,
)
from factdesk.ui.palette import dark_palette

LOAD_TIMEOUT = 120_000


def _shared_passage(window: MainWindow) -> str:
    """A focus passage that at least one other version holds too."""
    s = window.state
    for p in s.index.by_doc[s.focus]:
        if not p.boilerplate and s.index.counterparts(p.id):
            return p.id
    raise AssertionError("the sample has no shared passage")


def _same_row(window: MainWindow, a: str, b: str) -> bool:
    return window.state.index.row_of[a] is window.state.index.row_of[b]


def test_opening_the_sample_shows_every_version(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.open_paths(sample_paths())
    assert window.documents.documents_model.rowCount() == len(sample_paths())
    assert window.synoptic.synoptic_model.columnCount() == len(sample_paths())
    assert window.synoptic.synoptic_model.rowCount() > 5
    assert "versions" in window.counts_label.text()
    assert not window.progress.isVisible()


def test_clicking_a_sentence_in_the_reader_shows_its_counterparts(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    win.tabs.setCurrentIndex(1)
    pid = _shared_passage(win)
    point = win.reader.passage_point(pid)
    assert point is not None
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000) as blocker:
        qtbot.mouseClick(win.reader.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert blocker.args == [pid]
    expected = {c.passage.id for c in win.state.index.counterparts(pid)}
    assert set(win.counterparts.shown_counterparts) == expected
    assert win.counterparts_dock.isVisible()
    doc_name = win.state.index.docs[win.state.index.passages[next(iter(expected))].doc].name
    assert doc_name in win.counterparts.toPlainText()


def test_clicking_a_synoptic_cell_activates_its_passage(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    model = win.synoptic.synoptic_model
    pid = _shared_passage(win)
    row, col = model.row_for_passage(pid), model.column_for_doc(win.state.focus)
    win.synoptic.scrollTo(model.index(row, col))
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.mouseClick(
            win.synoptic.viewport(),
            Qt.MouseButton.LeftButton,
            pos=win.synoptic.click_point(row, col),
        )
    assert win.state.active_passage == pid


def test_ctrl_number_switches_focus_and_reorders_rows(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    second = win.state.order[1]
    with qtbot.waitSignal(win.state.focus_changed, timeout=5000):
        qtbot.keyClick(win, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert win.state.focus == second
    model = win.synoptic.synoptic_model
    positions = [
        min(win.state.index.passages[p].index for p in model.row(r).cells[second])
        for r in range(model.rowCount())
        if second in model.row(r).cells
    ]
    assert positions == sorted(positions)
    assert win.state.index.docs[second].title[:20] in win.reader.toPlainText()


def test_hiding_a_version_removes_it_from_every_view(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    docs_model = win.documents.documents_model
    victim = win.state.order[2]
    before = win.synoptic.synoptic_model.columnCount()
    docs_model.setData(
        docs_model.index(2, DocumentsModel.SHOWN),
        Qt.CheckState.Unchecked.value,
        Qt.ItemDataRole.CheckStateRole,
    )
    assert win.synoptic.synoptic_model.columnCount() == before - 1
    assert victim not in win.synoptic.synoptic_model.docs()
    assert victim not in win.state.visible_docs()
    assert "1 hidden" in win.counts_label.text()


def test_link_and_unlink_with_undo(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    s = win.state
    focus, other = s.order[0], s.order[-1]
    a = next(
        p.id
        for p in s.index.by_doc[focus]
        if not p.boilerplate and other not in s.index.row_of[p.id].cells
    )
    b = next(
        p.id for p in s.index.by_doc[other] if not p.boilerplate and not _same_row(win, a, p.id)
    )
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.link_passages(a, b)
    assert _same_row(win, a, b)
    assert (min(a, b), max(a, b)) in [
        tuple(sorted(p)) for p in s.article_set.corrections.forced_links
    ]
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.undo()
    assert not _same_row(win, a, b)
    assert not s.article_set.corrections.forced_links

    c = _shared_passage(win)
    d = s.index.counterparts(c)[0].passage.id
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.unlink_passages([(c, d)])
    assert not _same_row(win, c, d)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.undo()
    assert _same_row(win, c, d)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.redo()
    assert not _same_row(win, c, d)


def test_marking_boilerplate_hides_the_row_and_undo_restores_it(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    pid = _shared_passage(win)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.set_boilerplate([pid], True)
    assert win.state.index.passages[pid].boilerplate
    assert win.synoptic.synoptic_model.row_for_passage(pid) == -1 or win.state.show_boilerplate
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.undo()
    assert not win.state.index.passages[pid].boilerplate
    assert win.synoptic.synoptic_model.row_for_passage(pid) >= 0


def test_search_lists_hits_across_versions_and_jumps_to_one(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    qtbot.keyClick(win, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert win.search_dock.isVisible()
    word = "Sudani"
    qtbot.keyClicks(win.search_panel.field, word)
    model = win.search_panel.results
    assert model.rowCount() > 1
    docs = {model.index(r).data(DOC_ID_ROLE) for r in range(model.rowCount())}
    assert len(docs) > 1
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.keyClick(win.search_panel.field, Qt.Key.Key_Return)
    p = win.state.index.passages[win.state.active_passage]
    assert word.lower() in win.state.index.docs[p.doc].text[p.start : p.end].lower()
    assert win.state.highlights


def test_cancel_during_a_long_alignment_keeps_the_event_loop_running(
    qtbot, sample_window: MainWindow
) -> None:
    import threading

    from factdesk.core.model import CancelToken, ProgressFn

    win = sample_window
    before = win.state.article_set
    idle = threading.Event()  # never set: the job only ever waits on it, until cancelled

    def job(progress: ProgressFn, cancel: CancelToken) -> None:
        progress("align", 0, 1)
        while True:
            cancel.check()
            idle.wait(0.005)

    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    with qtbot.waitSignal(win.runner.progressed, timeout=LOAD_TIMEOUT):
        win.runner.run(job, "open")
    assert win.progress.isVisible() and win.cancel_button.isVisible()
    qtbot.waitUntil(lambda: len(ticks) >= 3, timeout=10_000)
    with qtbot.waitSignal(win.load_cancelled, timeout=LOAD_TIMEOUT):
        qtbot.mouseClick(win.cancel_button, Qt.MouseButton.LeftButton)
    timer.stop()
    assert win.state.article_set is before  # nothing half-built was shown
    assert not win.progress.isVisible()


def test_a_bad_file_among_good_ones_is_reported_and_the_rest_loads(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    good = sample_paths()[:2]
    bad = tmp_path / "broken.docx"
    bad.write_bytes(b"PK\x03\x04 this is not really a docx file" + bytes(range(256)))
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.open_paths([*good, str(bad)])
    assert len(window.state.order) == 2
    model = window.documents.documents_model
    assert model.rowCount() == 3
    assert model.index(2, DocumentsModel.NAME).data() == "broken.docx"
    assert model.index(2, DocumentsModel.DERIVATION).data()  # the reason
    assert window.message_bar.isVisible()
    assert "broken.docx" in window.message_bar.label.text()


def _distinct_colours(image: QImage, step: int = 3) -> int:
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def test_screenshots_of_the_main_views_have_real_content(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    win = sample_window
    win.state.activate_passage(_shared_passage(win))
    for i, name in enumerate(("synoptic", "reader", "overview")):
        win.tabs.setCurrentIndex(i)
        QApplication.processEvents()
        path = tmp_path / f"{name}.png"
        assert win.grab().save(str(path))
        image = QImage(str(path))
        assert image.width() > 800
        assert _distinct_colours(image) > 40, name


def test_dark_palette_gives_light_text_on_dark_background(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    app = QApplication.instance()
    old = app.palette()
    try:
        app.setPalette(dark_palette())
        QApplication.processEvents()
        sample_window.state.refresh_theme()
        theme = sample_window.state.theme
        assert theme.dark
        assert QColor(theme.text).lightness() > QColor(theme.base).lightness() + 100
        sample_window.tabs.setCurrentIndex(1)
        image = sample_window.reader.grab().toImage()
        centre = QColor(image.pixel(QPoint(4, image.height() // 2)))  # the page margin
        assert centre.lightness() < 100
        assert _distinct_colours(image) > 20
    finally:
        app.setPalette(old)
        sample_window.state.refresh_theme()


def test_settings_remember_recent_files_and_geometry(qtbot, window: MainWindow, settings) -> None:
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.open_paths(sample_paths()[:2])
    window.close()
    assert settings.value("geometry") is not None
    assert any(sample_paths()[0] in r for r in window.recent_files())
    assert window.recent_menu.actions()


def test_corrections_are_saved_in_the_project_and_survive_reopening(
    qtbot, sample_window: MainWindow, tmp_path: Path, settings, sample_set: ArticleSet
) -> None:
    win = sample_window
    path = tmp_path / "story.factdesk"
    assert win.save_project_as(path)
    c = _shared_passage(win)
    d = win.state.index.counterparts(c)[0].passage.id
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.unlink_passages([(c, d)])
    win.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.open_project(path)
    pairs = [tuple(sorted(p)) for p in again.state.article_set.corrections.forbidden_links]
    assert tuple(sorted((c, d))) in pairs
    assert not _same_row(again, c, d)
    again.close()
    _ = copy  # the fixture copies the sample; the original stays untouched
    assert sample_set.corrections.forbidden_links == []


def test_extension_points_add_a_dock_and_highlight_spans(qtbot, sample_window: MainWindow) -> None:
    from PySide6.QtWidgets import QDockWidget, QLabel

    win = sample_window
    dock = QDockWidget("Facts")
    dock.setWidget(QLabel("facts"))
    toggle = win.add_dock(dock)
    assert toggle in win.panels_menu.actions()
    assert dock.objectName() == "facts_dock"
    pid = _shared_passage(win)
    p = win.state.index.passages[pid]
    win.highlight_spans([(p.doc, p.start, p.end)])
    model = win.synoptic.synoptic_model
    index = model.index(model.row_for_passage(pid), model.column_for_doc(p.doc))
    assert index.data(HIGHLIGHT_ROLE)
    assert win.reader.extraSelections()
    with qtbot.waitSignal(win.selection_changed, timeout=5000) as blocker:
        win.synoptic.setCurrentIndex(index)
    cell = [win.state.index.passages[x] for x in index.data(PASSAGE_IDS_ROLE)]
    assert blocker.args == [p.doc, cell[0].start, cell[-1].end]


def test_dropping_files_on_the_window_adds_them_as_versions(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    win = sample_window
    before = len(win.state.order)
    folder = tmp_path / "more"
    folder.mkdir()
    first = Path(sample_paths()[0]).read_text(encoding="utf-8", errors="replace")
    (folder / "rewrite.txt").write_text(first.replace("Iraq", "Iraqi officials say Iraq"))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(folder))])
    actions = Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), actions, mime, buttons, mods)
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(50, 50), actions, mime, buttons, mods)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        QApplication.sendEvent(win, drop)
    assert drop.isAccepted()
    assert len(win.state.order) == before + 1
    assert "rewrite.txt" in {d.name for d in win.state.article_set.documents}


def test_first_run_opens_the_sample_and_later_runs_the_last_project(
    qtbot, window: MainWindow, settings, tmp_path: Path
) -> None:
    from factdesk.ui.app import open_initial

    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        assert open_initial(window, settings) == "sample"
    assert len(window.state.order) == len(sample_paths())
    path = tmp_path / "story.factdesk"
    assert window.save_project_as(path)
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.set_shown, timeout=LOAD_TIMEOUT):
        assert open_initial(again, settings) == "last project"
    assert Path(again.project_path) == path
    assert len(again.state.order) == len(sample_paths())
    again.close()


def _menu_actions(window: MainWindow) -> list:
    out = []
    pending = [a.menu() for a in window.menuBar().actions() if a.menu()]
    while pending:
        menu = pending.pop()
        for action in menu.actions():
            if action.menu():
                pending.append(action.menu())
            elif not action.isSeparator():
                out.append(action)
    return out + [a for a in window.toolbar.actions() if not a.isSeparator()]


def test_every_menu_and_toolbar_action_has_an_explanatory_tooltip(
    sample_window: MainWindow,
) -> None:
    actions = _menu_actions(sample_window)
    assert len(actions) > 30
    bare = [
        a.text()
        for a in actions
        if not a.toolTip().strip() or a.toolTip() == a.text().replace("&", "")
    ]
    assert bare == []


def test_standard_shortcuts_are_bound(sample_window: MainWindow) -> None:
    from PySide6.QtGui import QKeySequence

    win = sample_window
    keys = QKeySequence.StandardKey
    expected = {
        win.open_files_action: keys.Open,
        win.save_action: keys.Save,
        win.undo_action: keys.Undo,
        win.redo_action: keys.Redo,
        win.find_action: keys.Find,
        win.zoom_in_action: keys.ZoomIn,
        win.zoom_out_action: keys.ZoomOut,
    }
    for action, key in expected.items():
        assert QKeySequence(key) in action.shortcuts(), action.text()
    assert win.focus_actions[8].shortcut() == QKeySequence("Ctrl+9")


def test_zoom_keys_change_the_text_size_of_the_views(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    size = win.synoptic.font().pointSizeF()
    with qtbot.waitSignal(win.state.zoom_changed, timeout=5000):
        win.zoom_in_action.trigger()
    assert win.synoptic.font().pointSizeF() > size
    with qtbot.waitSignal(win.state.zoom_changed, timeout=5000):
        qtbot.keyClick(win, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert win.state.zoom == 0


def test_go_keys_step_through_rows_and_to_the_passages_unique_to_the_focus(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    model = win.synoptic.synoptic_model
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.keyClick(win, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    first = win.synoptic.currentIndex().row()
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.keyClick(win, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert win.synoptic.currentIndex().row() > first
    unique = win.state.index.unique_to(win.state.focus)
    assert unique, "the sample's first version has a passage found nowhere else"
    win.next_unique_action.trigger()
    row = model.row(win.synoptic.currentIndex().row())
    assert list(row.cells) == [win.state.focus]
    assert win.state.active_passage in row.cells[win.state.focus]


def test_dragging_a_version_in_the_documents_list_reorders_the_columns(
    sample_window: MainWindow,
) -> None:
    win = sample_window
    model = win.documents.documents_model
    last = win.state.order[-1]
    data = model.mimeData([model.index(len(win.state.order) - 1, DocumentsModel.NAME)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1).parent())
    assert win.state.order[0] == last
    assert win.synoptic.synoptic_model.doc_at(0) == last
    assert model.index(0, DocumentsModel.NAME).data() == win.state.index.docs[last].name


def test_the_counterparts_panel_lists_the_versions_without_the_passage(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    pid = _shared_passage(win)
    win.state.activate_passage(pid)
    holders = {win.state.index.passages[pid].doc} | {
        c.passage.doc for c in win.state.index.counterparts(pid)
    }
    assert set(win.counterparts.missing_docs) == set(win.state.order) - holders
    text = win.counterparts.toPlainText()
    assert "Not found in" in text
    for doc in win.counterparts.missing_docs:
        assert win.state.index.docs[doc].name in text
    assert "score" in text


def test_chunk_map_click_jumps_to_that_passage(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    chunks = win.synoptic_chunks
    assert chunks.height() > 100
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000) as blocker:
        qtbot.mouseClick(chunks, Qt.MouseButton.LeftButton, pos=QPoint(10, chunks.height() - 4))
    last = [p for p in win.state.index.by_doc[win.state.focus] if not p.boilerplate][-1]
    assert blocker.args == [last.id]
    assert win.synoptic.currentIndex().row() == win.synoptic.synoptic_model.row_for_passage(last.id)


def test_boilerplate_rows_are_hidden_until_the_toggle_shows_them(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    model = win.synoptic.synoptic_model
    assert not win.state.show_boilerplate
    assert not any(r.boilerplate for r in model.rows())
    hidden_rows = model.rowCount()
    win.show_boilerplate_action.setChecked(True)
    assert win.state.show_boilerplate
    assert model.rowCount() > hidden_rows
    assert any(r.boilerplate for r in model.rows())


def test_reader_margin_marks_how_many_versions_hold_each_sentence(
    sample_window: MainWindow,
) -> None:
    win = sample_window
    win.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    marks = win.reader.margin.marks()
    assert marks
    pid = _shared_passage(win)
    span = next(sp for sp in win.reader.spans() if sp.passage == pid)
    assert span.mark == str(len(win.state.index.docs_with(pid)))
    unique = {p.id for p in win.state.index.unique_to(win.state.focus)}
    assert unique
    assert {sp.mark for sp in win.reader.spans() if sp.passage in unique} == {"✱"}


def test_about_box_names_the_version(monkeypatch, sample_window: MainWindow) -> None:
    from PySide6.QtWidgets import QMessageBox

    import factdesk

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _parent, _title, text: shown.append(text))
    sample_window.about_action.trigger()
    assert shown and factdesk.__version__ in shown[0]


def test_dock_layout_is_remembered(qtbot, window: MainWindow, settings) -> None:
    window.search_dock.hide()
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.show()
    assert not again.search_dock.isVisible()
    assert again.documents_dock.isVisible()
    again.close()


def test_hovering_a_reader_sentence_lists_its_counterparts(sample_window: MainWindow) -> None:
    win = sample_window
    pid = _shared_passage(win)
    tip = win.reader.counterparts_tooltip(pid)
    for c in win.state.index.counterparts(pid):
        assert win.state.index.display_text(c.passage.id)[:40] in tip.replace("&#x27;", "'")
    unique = win.state.index.unique_to(win.state.focus)
    assert "no other version" in win.reader.counterparts_tooltip(unique[0].id)


def test_an_unlink_survives_adding_a_version_and_realigning(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    win = sample_window
    c = _shared_passage(win)
    d = win.state.index.counterparts(c)[0].passage.id
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.unlink_passages([(c, d)])
    extra = tmp_path / "extra.txt"
    extra.write_text(win.state.index.docs[win.state.order[1]].text + "\nOne more line here.")
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.add_paths([str(extra)])
    assert "extra.txt" in {doc.name for doc in win.state.article_set.documents}
    assert not _same_row(win, c, d)


def test_file_menu_opens_the_bundled_sample(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.open_sample_action.trigger()
    assert window.documents.documents_model.rowCount() == len(sample_paths())


# ---------------------------------------------------------------- jobs, sets and projects
def _unlinked_pairs(window: MainWindow, count: int) -> list[tuple[str, str]]:
    """``count`` pairs of passages from the first and last version, each pair in two rows."""
    s = window.state
    first, last = s.order[0], s.order[-1]
    lefts = [p.id for p in s.index.by_doc[first] if not p.boilerplate]
    rights = [p.id for p in reversed(s.index.by_doc[last]) if not p.boilerplate]
    pairs: list[tuple[str, str]] = []
    used: set[str] = set()
    for a in lefts:
        for b in rights:
            if a in used or b in used or _same_row(window, a, b):
                continue
            pairs.append((a, b))
            used.update((a, b))
            break
        if len(pairs) == count:
            return pairs
    raise AssertionError("the sample has too few separate passages")


def _forced(corrections: Any) -> set[tuple[str, str]]:
    return {(min(a, b), max(a, b)) for a, b in corrections.forced_links}


def _pair(a: str, b: str) -> tuple[str, str]:
    return (min(a, b), max(a, b))


@pytest.mark.parametrize("job_done", [False, True], ids=["job running", "result queued"])
def test_opening_a_project_during_a_realignment_leaves_that_project_untouched(
    qtbot, sample_window: MainWindow, tiny_set: ArticleSet, tmp_path: Path, job_done: bool
) -> None:
    from factdesk.core import store

    other = tmp_path / "other.factdesk"
    store.Project.create(other, tiny_set).close()
    win = sample_window
    assert win.save_project_as(tmp_path / "sample.factdesk")
    ((a, b),) = _unlinked_pairs(win, 1)
    win.link_passages(a, b)  # re-aligns the sample off the GUI thread
    if job_done:
        win.runner.wait(LOAD_TIMEOUT)  # finished; its result waits in the event queue
    assert win.open_project(other)
    with qtbot.waitSignal(win.runner.idle_changed, timeout=LOAD_TIMEOUT, check_params_cb=bool):
        pass
    expected = [d.name for d in tiny_set.documents]
    assert [d.name for d in win.article_set.documents] == expected
    assert not win.progress.isVisible()
    win._close_project()
    assert [d.name for d in store.Project.read(other).documents] == expected
    # the correction made before switching stays with the sample's project
    assert _pair(a, b) in _forced(store.Project.read(tmp_path / "sample.factdesk").corrections)


def test_two_quick_corrections_both_take_effect_and_undo_one_at_a_time(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    (a, b), (c, d) = _unlinked_pairs(win, 2)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.link_passages(a, b)
        win.link_passages(c, d)  # before the first re-alignment has finished
    assert _forced(win.article_set.corrections) == {_pair(a, b), _pair(c, d)}
    assert _same_row(win, a, b) and _same_row(win, c, d)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.undo()
    assert _forced(win.article_set.corrections) == {_pair(a, b)}
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.undo()
        win.undo_stack.redo()
        win.undo_stack.redo()  # quick undo/redo: the last state wins
    assert _forced(win.article_set.corrections) == {_pair(a, b), _pair(c, d)}
    assert _forced(win.pending_corrections()) == _forced(win.article_set.corrections)


def test_adding_a_version_while_a_correction_realigns_keeps_both(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    win = sample_window
    (a, b), (c, d) = _unlinked_pairs(win, 2)
    first = tmp_path / "first.txt"
    first.write_text("A new version opens with a sentence nobody else has.\n")
    second = tmp_path / "second.txt"
    second.write_text("Another version, again with its own words only.\n")
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.link_passages(a, b)
        win.add_paths([first])  # while the link is still being re-aligned
        win.link_passages(c, d)  # while the version is still being added
        win.add_paths([second])
    names = {doc.name for doc in win.article_set.documents}
    assert {"first.txt", "second.txt"} <= names
    assert _forced(win.article_set.corrections) == {_pair(a, b), _pair(c, d)}
    assert _same_row(win, a, b) and _same_row(win, c, d)


def test_a_cancelled_open_keeps_the_project_and_the_undo_history(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    win = sample_window
    path = tmp_path / "story.factdesk"
    assert win.save_project_as(path)
    ((a, b),) = _unlinked_pairs(win, 1)
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.link_passages(a, b)
    title = win.windowTitle()
    shown = win.article_set
    with qtbot.waitSignal(win.load_cancelled, timeout=LOAD_TIMEOUT):
        win.open_paths(sample_paths()[:2])
        win.runner.cancel()
    assert win.project is not None and Path(win.project_path) == path
    assert win.windowTitle() == title
    assert win.article_set is shown
    assert win.undo_stack.count() == 1
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.undo_stack.undo()  # still reaches the project
    win._close_project()
    from factdesk.core import store

    assert not store.Project.read(path).corrections.forced_links


def test_save_as_onto_the_open_project_just_saves_it(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    win = sample_window
    path = tmp_path / "story.factdesk"
    assert win.save_project_as(path)
    project = win.project
    (tmp_path / "sub").mkdir()
    assert win.save_project_as(tmp_path / "sub" / ".." / "story.factdesk")
    assert win.project is project and not project.closed
    assert not win.message_bar.isVisible()
    assert "Saved story.factdesk" in win.statusBar().currentMessage()


def test_save_as_during_a_realignment_stores_the_correction_and_its_alignment(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    from factdesk.core import store

    win = sample_window
    ((a, b),) = _unlinked_pairs(win, 1)
    path = tmp_path / "story.factdesk"
    with qtbot.waitSignal(win.set_shown, timeout=LOAD_TIMEOUT):
        win.link_passages(a, b)
        assert win.save_project_as(path)  # before the re-alignment has finished
    win._close_project()
    saved = store.Project.read(path)
    assert _pair(a, b) in _forced(saved.corrections)
    assert any({a, b} <= set(g.passages) for g in saved.groups)


def test_an_exception_in_a_slot_is_shown_in_the_message_bar(qtbot, window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    from factdesk.ui.app import install_exception_hook

    def broken_slot() -> None:
        raise ValueError("offset 12 is past the end")

    action = QAction("Broken", window)
    action.triggered.connect(broken_slot)
    with qtbot.capture_exceptions() as exceptions:
        install_exception_hook(window)
        action.trigger()
    assert [e[0] for e in exceptions] == [ValueError]  # the previous hook still ran
    assert window.message_bar.isVisible()
    text = window.message_bar.label.text()
    assert "ValueError: offset 12 is past the end" in text
    assert "\n" not in text


def test_a_damaged_project_gets_a_clear_message_and_the_open_set_stays(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    damaged = tmp_path / "story.factdesk"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    before = len(sample_window.article_set.documents)
    assert sample_window.open_project(damaged) is False
    assert "story.factdesk" in sample_window.message_bar.label.text()
    assert not sample_window.message_bar.isHidden()
    assert len(sample_window.article_set.documents) == before
    assert sample_window.project is None


def test_a_sentence_matched_in_part_shows_that_part(qtbot, window: MainWindow) -> None:
    from factdesk.core import pipeline
    from factdesk.core.model import Document

    long_a = (
        "The council approved the Harlan Works contract on Monday, and separately the "
        "mayor announced that the Marrow ferry would stop running in the spring."
    )
    short_b = "Councillors approved the Harlan Works contract on Monday."
    other = "The Marrow river bridge took four years to build."
    docs = [
        Document(id=f"d{i}", path=f"v{i}.txt", name=f"v{i}.txt", text=t)
        for i, t in enumerate((f"{long_a}\n\n{other}", f"{short_b}\n\n{other}"))
    ]
    window.set_article_set(pipeline.build(docs))
    long_id = next(
        p.id for p in window.state.index.by_doc["d0"] if p.start == 0 and not p.boilerplate
    )
    with qtbot.waitSignal(window.state.passage_activated, timeout=5000):
        window.state.activate_passage(long_id)
    assert "part of the sentence" in window.counterparts.toPlainText()
    matched = QColor(window.state.theme.matched_bg)
    assert any(
        sel.format.background().color() == matched for sel in window.reader.extraSelections()
    )


def test_search_finds_every_spelling_of_a_name_and_stays_in_front(
    qtbot, sample_window: MainWindow
) -> None:
    win = sample_window
    qtbot.waitUntil(win.state.analysis_ready, timeout=60_000)
    win.search_dock.show()
    win.search_dock.raise_()
    qtbot.keyClicks(win.search_panel.field, "Sudani")
    model = win.search_panel.results
    texts = {d.id: d.text for d in win.article_set.documents}
    found = {
        texts[model.index(r).data(DOC_ID_ROLE)][
            model.index(r).data(OFFSET_ROLE) : model.index(r).data(OFFSET_ROLE)
            + model.index(r).data(LENGTH_ROLE)
        ].casefold()
        for r in range(model.rowCount())
    }
    assert found == {"sudani", "soudani"}
    assert "also spelled" in win.search_panel.count.text()
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.keyClick(win.search_panel.field, Qt.Key.Key_Return)
    assert not win.search_dock.visibleRegion().isEmpty()  # the results stay in view
    # a new set clears the hits and their count together
    win.set_article_set(copy.deepcopy(win.article_set))
    assert win.search_panel.count.text().startswith(f"{model.rowCount()} hits")


def test_a_translation_is_shown_as_written_not_as_a_word_diff(qtbot, window: MainWindow) -> None:
    from factdesk.core import pipeline
    from factdesk.ui.models import HTML_ROLE

    bilingual = Path(__file__).parents[1] / "core" / "data" / "bilingual"
    result = pipeline.analyse([bilingual / "storm_en.txt", bilingual / "storm_fr.txt"])
    window.set_article_set(result)
    en, fr = (d.id for d in result.documents)
    assert window.state.index.language(fr) == "fr" and window.state.index.language(en) == "en"
    model = window.synoptic.synoptic_model
    doc_of = {p.id: p.doc for p in result.passages}
    french = [
        lk.b if doc_of[lk.b] == fr else lk.a
        for lk in result.links
        if lk.relation == "same" and {doc_of[lk.a], doc_of[lk.b]} == {en, fr}
    ]
    assert french, "the translation is linked to its original"
    column = model.column_for_doc(fr)
    cells = [model.index(model.row_for_passage(p), column).data(HTML_ROLE) for p in french]
    assert all(cells)
    assert not [c for c in cells if "line-through" in c]  # nothing struck out as "missing"


def _built(*texts: str) -> ArticleSet:
    """An aligned set of ``texts``, as documents d0, d1, ..."""
    from factdesk.core import pipeline
    from factdesk.core.model import Document

    return pipeline.build(
        [
            Document(id=f"d{i}", path=f"{i}.txt", name=f"{i}.txt", text=t)
            for i, t in enumerate(texts)
        ]
    )


def test_paragraph_rows_line_up_whole_paragraphs_and_are_remembered_for_the_set(
    qtbot, window: MainWindow, settings, council_paragraphs: ArticleSet
) -> None:  # type: ignore[no-untyped-def]
    window.set_article_set(copy.deepcopy(council_paragraphs))
    model = window.synoptic.synoptic_model
    sentence_rows = model.rowCount()
    window.paragraph_rows_action.trigger()
    assert window.state.by_paragraph and model.rowCount() < sentence_rows
    row = model.row_for_passage("d0.s0")
    assert row == model.row_for_passage("d0.s1") == model.row_for_passage("d1.s1")
    # shown again later, the same set comes back in paragraph rows
    window.set_article_set(copy.deepcopy(council_paragraphs))
    assert window.state.by_paragraph and window.paragraph_rows_action.isChecked()
    window.paragraph_rows_action.trigger()
    assert not window.state.by_paragraph and model.rowCount() == sentence_rows


def test_paragraph_rows_mark_which_focus_sentence_each_sentence_matches(
    window: MainWindow,
) -> None:
    from factdesk.ui.models import HTML_ROLE

    a = (
        "The council approved the Harlan Works contract on Monday after a long debate. "
        "The vote was seven to two, with the mayor abstaining from the final count."
    )
    # the same two sentences, told the other way round
    b = (
        "The vote was seven to two, with the mayor abstaining from the final count. "
        "The council approved the Harlan Works contract on Monday after a long debate."
    )
    window.set_article_set(_built(a, b))
    model = window.synoptic.synoptic_model
    html_of = lambda doc: model.index(  # noqa: E731
        model.row_for_passage("d0.s0"), model.column_for_doc(doc)
    ).data(HTML_ROLE)
    assert "&nbsp;1&nbsp;" not in html_of("d1")  # sentence rows need no numbers
    if window.state.by_paragraph:
        window.paragraph_rows_action.trigger()
    window.paragraph_rows_action.trigger()
    assert window.state.by_paragraph
    row = window.state.index.row_of["d0.s0"]
    assert window.state.index.sentence_marks(row, "d0", "d0") == ["1", "2"]
    assert window.state.index.sentence_marks(row, "d1", "d0") == ["2", "1"]
    other = html_of("d1")
    assert other.index("&nbsp;2&nbsp;") < other.index("&nbsp;1&nbsp;")
    assert "&nbsp;1&nbsp;" in html_of("d0")


def test_an_opened_set_is_shown_before_its_analysis_which_follows_in_the_background(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    seen_at_show: list[bool] = []
    window.set_shown.connect(lambda: seen_at_show.append(window.state.analysis_ready()))
    with qtbot.waitSignal(window.set_shown, timeout=30_000):
        window.open_paths(sample_paths())
    assert seen_at_show == [False]  # shown as soon as it was aligned
    with qtbot.waitSignal(window.state.conflicts_changed, timeout=30_000):
        pass
    assert window.state.analysis_ready()
    assert window.facts_dock.suggestions_model.rowCount() > 0
