"""Behaviour of the main window, driven the way an editor would."""

from __future__ import annotations

import copy
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from factdesk.core.model import ArticleSet
from factdesk.ui.app import sample_paths
from factdesk.ui.main_window import MainWindow
from factdesk.ui.models import DocumentsModel
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
    docs = {model.index(r).data(Qt.ItemDataRole.UserRole + 1) for r in range(model.rowCount())}
    assert len(docs) > 1
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.keyClick(win.search_panel.field, Qt.Key.Key_Return)
    p = win.state.index.passages[win.state.active_passage]
    assert word.lower() in win.state.index.docs[p.doc].text[p.start : p.end].lower()
    assert win.state.highlights


def test_cancel_during_a_long_alignment_keeps_the_event_loop_running(
    qtbot, sample_window: MainWindow, tmp_path: Path
) -> None:
    from factdesk.core import synth

    win = sample_window
    before = win.state.article_set
    paths = synth.write_set(tmp_path / "big", 60, sentences=40, seed=3)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    with qtbot.waitSignal(win.runner.progressed, timeout=LOAD_TIMEOUT):
        win.open_paths([str(p) for p in paths])
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
    assert index.data(Qt.ItemDataRole.UserRole + 8)  # HIGHLIGHT_ROLE
    assert win.reader.extraSelections()
    with qtbot.waitSignal(win.selection_changed, timeout=5000) as blocker:
        win.synoptic.setCurrentIndex(index)
    cell = [win.state.index.passages[x] for x in index.data(Qt.ItemDataRole.UserRole + 4)]
    assert blocker.args == [p.doc, cell[0].start, cell[-1].end]
