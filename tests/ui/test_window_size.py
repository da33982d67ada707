"""The window at real screen sizes: first-run layout, the synoptic's columns and headers.

Each window starts from an empty settings file (the ``window`` fixture), as on a first
run, unless a test saves a layout first.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QToolButton

from factdesk.core.model import ArticleSet
from factdesk.core.segment import split_sentences
from factdesk.ui.app import load_style, sample_paths
from factdesk.ui.main_window import MainWindow
from factdesk.ui.models import MARKER_ROLE
from factdesk.ui.palette import version_colour, version_marker
from factdesk.ui.reader import Legend
from factdesk.ui.synoptic import SynopticView, VersionHeader

VERSIONS = 16


def _variant(text: str, seed: int) -> str:
    """A rewrite of ``text``: some sentences dropped, two paragraphs swapped."""
    paragraphs = text.split("\n")
    kept = []
    for paragraph in paragraphs:
        sentences = [paragraph[a:b] for a, b in split_sentences(paragraph)]
        if len(sentences) > 1:
            sentences = [s for k, s in enumerate(sentences) if (k + seed) % 3 != 0]
        kept.append(" ".join(sentences) if sentences else paragraph)
    if len(kept) > 8:
        a = 3 + seed % 4
        kept[a], kept[a + 2] = kept[a + 2], kept[a]
    return "\n".join(kept)


@pytest.fixture(scope="module")
def sixteen_set(tmp_path_factory: pytest.TempPathFactory) -> ArticleSet:
    """Sixteen versions: the sample's five and rewrites of them, with file-hash names."""
    from factdesk.core.pipeline import analyse

    folder = tmp_path_factory.mktemp("sixteen")
    sources = [Path(p) for p in sample_paths()]
    for i in range(VERSIONS):
        text = sources[i % len(sources)].read_text(encoding="utf-8")
        if i >= len(sources):
            text = _variant(text, i)
        (folder / f"{i:03d}_{i * 7919:016x}.txt").write_text(text, encoding="utf-8")
    return analyse([folder])


@pytest.fixture
def styled() -> Iterator[None]:
    """FactDesk's style sheet, as the application applies it."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.styleSheet()
    load_style(app)
    yield
    app.setStyleSheet(old)


def _settle(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    """Let the window finish laying out: first paint, dock sizes, row heights."""
    if not window._painted:
        with qtbot.waitSignal(window.first_painted, timeout=5000):
            window.update()
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not window.synoptic.layout_pending(), timeout=5000)
    for view in (window.synoptic, window.synoptic.focus_column):
        view.viewport().repaint()  # cells that need more room say so when painted
    QApplication.processEvents()
    qtbot.waitUntil(lambda: not window.synoptic.layout_pending(), timeout=5000)


def _show(qtbot, window: MainWindow, article_set: ArticleSet, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    window.resize(*size)
    _settle(qtbot, window)
    window.set_article_set(copy.deepcopy(article_set))
    _settle(qtbot, window)


def _rows_in_view(view: SynopticView) -> int:
    height = view.viewport().height()
    return sum(
        1
        for r in range(view.synoptic_model.rowCount())
        if view.rowViewportPosition(r) >= 0
        and view.rowViewportPosition(r) + view.rowHeight(r) <= height
    )


def _columns_in_view(view: SynopticView) -> list[int]:
    """Model columns shown whole in the viewport (the pinned focus column included)."""
    model = view.synoptic_model
    return [
        c
        for c in range(model.columnCount())
        if view.shown_rect(model.index(0, c)).width() == view.columnWidth(c)
    ]


# --------------------------------------------------------------------------- first run


def test_first_run_gives_the_synoptic_most_of_a_1400_by_900_window(
    qtbot, window: MainWindow, sample_set: ArticleSet, styled: None
) -> None:
    _show(qtbot, window, sample_set, (1400, 900))
    syn = window.synoptic
    share = syn.viewport().height() / window.height()
    assert share >= 0.55, share
    assert _rows_in_view(syn) >= 6
    # the fact panel has no fact to show: it waits closed; the fact list stays low
    assert window.fact_dock.isHidden()
    assert window.facts_dock.height() < 0.3 * window.height()
    # the Documents dock is no strip across the window but as tall as its list
    docs = window.documents
    assert window.dockWidgetArea(window.documents_dock) == Qt.DockWidgetArea.RightDockWidgetArea
    assert window.documents_dock.width() < 0.4 * window.width()
    last = docs.documents_model.rowCount() - 1
    assert docs.rowViewportPosition(last) + docs.rowHeight(last) <= docs.viewport().height()
    assert window.documents_dock.height() <= docs.ideal_height() + 40


def test_the_fact_panel_opens_with_the_first_fact_and_the_fact_docks_grow(
    qtbot, window: MainWindow, sample_set: ArticleSet, tmp_path: Path
) -> None:
    _show(qtbot, window, sample_set, (1400, 900))
    low = window.facts_dock.height()
    window.facts.autosave_dir = tmp_path / "autosave"
    focus = window.state.focus
    passage = next(p for p in window.state.index.by_doc[focus] if not p.boilerplate)
    window.facts.selection = (focus, passage.start, passage.end)
    with qtbot.waitSignal(window.facts.current_changed, timeout=5000):
        assert window.facts.new_fact_from_selection() is not None
    QApplication.processEvents()
    assert window.fact_dock.isVisible()
    assert window.facts_dock.height() > low
    assert window.fact_panel.statement.toPlainText()


@pytest.mark.parametrize("width", [1400, 1920])
def test_the_toolbar_fits_without_an_overflow_button(
    qtbot, window: MainWindow, sample_set: ArticleSet, styled: None, width: int
) -> None:
    _show(qtbot, window, sample_set, (width, 900))
    extension = [
        b for b in window.toolbar.findChildren(QToolButton) if b.objectName().startswith("qt_")
    ]
    assert extension and not any(b.isVisible() for b in extension)
    for action in window.toolbar.actions():
        if not action.isSeparator():
            button = window.toolbar.widgetForAction(action)
            assert button is not None and button.isVisible(), action.text()
            assert action.toolTip().replace("&", "") != action.iconText()  # the long text


def test_a_saved_layout_is_restored_not_refitted(
    qtbot, window: MainWindow, settings: QSettings, sample_set: ArticleSet
) -> None:
    _show(qtbot, window, sample_set, (1400, 900))
    window.addDockWidget(Qt.DockWidgetArea.TopDockWidgetArea, window.documents_dock)
    window.resizeDocks([window.documents_dock], [210], Qt.Orientation.Vertical)
    window.fact_dock.show()
    QApplication.processEvents()
    saved = (
        window.documents_dock.height(),
        window.facts_dock.height(),
        window.counterparts_dock.width(),
    )
    window.close()
    again = MainWindow(settings)
    qtbot.addWidget(again)
    again.resize(1400, 900)  # the offscreen platform does not restore the geometry itself
    again.show()
    _show(qtbot, again, sample_set, (1400, 900))
    assert again.dockWidgetArea(again.documents_dock) == Qt.DockWidgetArea.TopDockWidgetArea
    assert again.fact_dock.isVisible()
    restored = (
        again.documents_dock.height(),
        again.facts_dock.height(),
        again.counterparts_dock.width(),
    )
    assert restored == saved
    again.runner.cancel()
    again.runner.wait(10_000)
    again.analyser.wait(10_000)
    again.close()


# --------------------------------------------------------------------------- columns


def test_sixteen_versions_show_at_least_eight_readable_columns_at_1920(
    qtbot, window: MainWindow, sixteen_set: ArticleSet, styled: None
) -> None:
    _show(qtbot, window, sixteen_set, (1920, 1080))
    syn = window.synoptic
    shown = _columns_in_view(syn)
    assert len(shown) >= 8
    assert all(syn.columnWidth(c) >= syn.readable_width() for c in shown)
    assert syn.readable_width() >= 24 * QFontMetrics(syn.font()).averageCharWidth()


def test_choosing_version_9_pins_its_column_first_and_keeps_the_active_row_in_view(
    qtbot, window: MainWindow, sixteen_set: ArticleSet
) -> None:
    _show(qtbot, window, sixteen_set, (1920, 1080))
    syn = window.synoptic
    model = syn.synoptic_model
    s = window.state
    # an active passage far down the first version, in a column far to the right
    active = [p for p in s.index.by_doc[s.order[14]] if not p.boilerplate][-3]
    s.activate_passage(active.id)
    with qtbot.waitSignal(s.focus_changed, timeout=5000):
        qtbot.keyClick(window, Qt.Key.Key_9, Qt.KeyboardModifier.ControlModifier)
    _settle(qtbot, window)
    assert s.focus == s.order[8]
    focus_col = model.column_for_doc(s.focus)
    assert syn.horizontalHeader().visualIndex(focus_col) == 0
    assert syn.shown_docs()[0] == s.focus
    row = model.row_for_passage(active.id)
    assert not syn.shown_rect(model.index(row, focus_col)).isEmpty()
    assert not syn.shown_rect(model.index(row, model.column_for_doc(active.doc))).isEmpty()
    # scrolled all the way right, the focus column still shows, over the left edge
    bar = syn.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    pinned = syn.shown_rect(model.index(row, focus_col))
    assert pinned.left() == 0 and pinned.width() == syn.columnWidth(focus_col)
    assert syn.indexAt(QPoint(5, pinned.center().y())).column() == focus_col
    last = model.column_for_doc(syn.shown_docs()[-1])
    assert syn.shown_rect(model.index(row, last)).width() == syn.columnWidth(last)


def test_focus_from_the_menu_or_the_documents_dock_keeps_the_focus_column_first(
    qtbot, window: MainWindow, sixteen_set: ArticleSet
) -> None:
    _show(qtbot, window, sixteen_set, (1400, 900))
    syn, s = window.synoptic, window.state
    model = syn.synoptic_model
    active = [p for p in s.index.by_doc[s.order[0]] if not p.boilerplate][5]
    s.activate_passage(active.id)
    menu_action = window.focus_menu_actions()[11]
    with qtbot.waitSignal(s.focus_changed, timeout=5000):
        menu_action.trigger()
    _settle(qtbot, window)
    assert s.focus == s.order[11]
    assert syn.horizontalHeader().visualIndex(model.column_for_doc(s.focus)) == 0
    row = model.row_for_passage(active.id)
    assert not syn.shown_rect(model.index(row, model.column_for_doc(active.doc))).isEmpty()
    docs = window.documents
    cell = docs.visualRect(docs.documents_model.index(3, docs.documents_model.VERSION))
    with qtbot.waitSignal(s.focus_changed, timeout=5000):
        # the first click of a double click selects the row, the second one acts
        qtbot.mouseClick(docs.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
        qtbot.mouseDClick(docs.viewport(), Qt.MouseButton.LeftButton, pos=cell.center())
    _settle(qtbot, window)
    assert s.focus == s.order[3]
    assert syn.shown_docs()[0] == s.focus
    assert not syn.shown_rect(model.index(row, model.column_for_doc(s.focus))).isEmpty()


def test_dragging_a_column_before_the_pinned_focus_puts_it_second(
    qtbot, window: MainWindow, sample_set: ArticleSet
) -> None:
    _show(qtbot, window, sample_set, (1400, 900))
    syn, s = window.synoptic, window.state
    last = s.order[-1]
    hh = syn.horizontalHeader()
    hh.moveSection(hh.visualIndex(syn.synoptic_model.column_for_doc(last)), 0)
    assert syn.shown_docs()[:2] == [s.focus, last]
    assert s.order.index(last) < s.order.index(syn.shown_docs()[2])
    focus_col = syn.synoptic_model.column_for_doc(s.focus)
    hh.moveSection(hh.visualIndex(focus_col), 3)  # the focus does not move
    assert syn.shown_docs()[0] == s.focus


def test_headers_name_versions_in_full_in_their_tooltips(
    qtbot, window: MainWindow, sixteen_set: ArticleSet
) -> None:
    _show(qtbot, window, sixteen_set, (1400, 900))
    syn = window.synoptic
    model = syn.synoptic_model
    header = syn.horizontalHeader()
    assert isinstance(header, VersionHeader)
    assert header.minimumSectionSize() >= header.minimum_width()
    for c in range(model.columnCount()):
        doc = window.state.index.docs[model.doc_at(c)]
        tip = model.headerData(c, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert doc.name in tip
        assert version_marker(window.state.number(doc.id)) in tip
    # the names are longer than the columns: the headers elide them
    assert any(
        header.sectionSizeFromContents(c).width() > header.sectionSize(c)
        for c in range(model.columnCount())
    )


def test_only_versions_that_differ_in_the_current_row_is_an_option_remembered(
    qtbot, window: MainWindow, settings: QSettings, sixteen_set: ArticleSet
) -> None:
    _show(qtbot, window, sixteen_set, (1920, 1080))
    syn, s = window.synoptic, window.state
    model = syn.synoptic_model
    # a row the focus shares word for word with some versions and not with others
    row = next(
        r
        for r in range(model.rowCount())
        if s.focus in model.row(r).cells
        and 0
        < sum(s.index.cells_match(model.row(r), d, s.focus) for d in s.order if d != s.focus)
        < len(s.order) - 1
    )
    syn.setCurrentIndex(model.index(row, model.column_for_doc(s.focus)))
    assert len(syn.shown_docs()) == len(s.order)
    assert "differs" in window.differing_only_action.toolTip()
    window.differing_only_action.trigger()
    assert s.differing_only
    same = {d for d in s.order if d != s.focus and s.index.cells_match(model.row(row), d, s.focus)}
    assert same
    assert set(syn.shown_docs()) == set(s.order) - same
    assert syn.shown_docs()[0] == s.focus

    # moving to another row shows that row's differences
    def matching(r: int) -> set[str]:
        return {
            d for d in s.order if d != s.focus and s.index.cells_match(model.row(r), d, s.focus)
        }

    other = next(r for r in range(model.rowCount()) if matching(r) != same)
    syn.setCurrentIndex(model.index(other, model.column_for_doc(s.focus)))
    assert set(syn.shown_docs()) == set(s.order) - matching(other)
    window.differing_only_action.trigger()
    assert set(syn.shown_docs()) == set(s.order)
    window.differing_only_action.trigger()
    window.close()
    assert str(settings.value("differing_only")).lower() == "true"
    again = MainWindow(settings)
    qtbot.addWidget(again)
    assert again.state.differing_only and again.differing_only_action.isChecked()
    again.close()


# --------------------------------------------------------------------------- markers


def _chip_is_whole(header: VersionHeader, section: int) -> None:
    chip = header.marker_rect(section)
    left = header.sectionViewportPosition(section)
    bounds = QRect(left, 0, header.sectionSize(section), header.height())
    assert bounds.contains(chip), (section, chip, bounds)
    marker = str(header.model().headerData(section, Qt.Orientation.Horizontal, MARKER_ROLE))
    font = QFont(header.section_font(section))
    fm = QFontMetrics(font)
    assert chip.width() >= fm.horizontalAdvance(marker)
    assert chip.height() >= fm.tightBoundingRect(marker).height()


@pytest.mark.parametrize("zoom", [0, 8])
def test_version_markers_show_whole_in_the_headers(
    qtbot, window: MainWindow, sample_set: ArticleSet, styled: None, zoom: int
) -> None:
    _show(qtbot, window, sample_set, (1400, 900))
    window.state.set_zoom(zoom)
    syn = window.synoptic
    model = syn.synoptic_model
    focus_col = model.column_for_doc(window.state.focus)
    narrow = model.column_for_doc(window.state.order[-1])
    syn.setColumnWidth(narrow, syn.horizontalHeader().minimumSectionSize())
    _settle(qtbot, window)
    header = syn.horizontalHeader()
    pinned = syn.focus_column.horizontalHeader()
    assert isinstance(header, VersionHeader) and isinstance(pinned, VersionHeader)
    for h in (header, pinned):  # the headers follow the zoom, style sheet or not
        assert h.font().pointSizeF() == syn.font().pointSizeF()
    image = header.grab().toImage()
    for c in range(model.columnCount()):
        if c == focus_col:
            continue  # painted by the pinned column's header, checked below
        _chip_is_whole(header, c)
        chip = header.marker_rect(c)
        colour = version_colour(window.state.number(model.doc_at(c)))
        for x in (chip.left() + 1, chip.right() - 1):  # the chip's both ends are painted
            assert QColor(image.pixel(x, chip.center().y())) == colour, (c, x)
    _chip_is_whole(pinned, focus_col)


def test_the_legend_shows_every_marker_on_lines_it_has_room_for(
    qtbot, window: MainWindow, sixteen_set: ArticleSet, styled: None
) -> None:
    _show(qtbot, window, sixteen_set, (1400, 900))
    legend = next(w for w in window.findChildren(Legend) if w.isVisible())
    assert legend.height() >= legend.heightForWidth(legend.width())
    text = legend.text()
    for d in window.state.visible_docs()[:14]:
        assert f"&nbsp;{version_marker(window.state.number(d))}&nbsp;" in text


def test_derivation_labels_at_1400_overlap_no_box_and_no_other_label(
    qtbot, window: MainWindow, sixteen_set: ArticleSet, styled: None
) -> None:  # type: ignore[no-untyped-def]
    _show(qtbot, window, sixteen_set, (1400, 900))
    window.tabs.setCurrentWidget(window.overview)
    graph = window.overview.graph
    graph.repaint()
    labels = graph.edge_labels()
    assert labels, "some arrows have room for their share"
    assert len(labels) <= len(graph.edges())
    boxes = list(graph._boxes.values())
    for k, (plate, text) in enumerate(labels):
        assert text.endswith("%")
        assert graph.rect().toRectF().contains(plate)
        assert not any(plate.intersects(box) for box in boxes)
        assert not any(plate.intersects(other) for other, _ in labels[k + 1 :])
