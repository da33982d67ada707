"""What keeps the window responsive on large sets, shown on the sample.

Row heights of the synoptic: the rows in view at once, the rest in slices. A slice is a
few rows here (``ROW_SLICE`` patched) so that the sample's rows take many turns of the
event loop, as a thousand versions' rows do. The focus menu: filled when it opens.
"""

from __future__ import annotations

import copy

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView

from factdesk.core.model import ArticleSet
from factdesk.ui import synoptic
from factdesk.ui.main_window import MainWindow
from factdesk.ui.synoptic import SynopticView


@pytest.fixture
def small_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synoptic, "ROW_SLICE", 3)


def _rows_in_view(view: SynopticView) -> list[int]:
    height = view.viewport().height()
    return [
        r
        for r in range(view.synoptic_model.rowCount())
        if view.rowViewportPosition(r) + view.rowHeight(r) > 0
        and view.rowViewportPosition(r) < height
    ]


def test_rows_in_view_have_their_height_before_the_rest_are_estimated(
    qtbot, window: MainWindow, sample_set: ArticleSet, small_slices: None
) -> None:
    view = window.synoptic
    window.set_article_set(copy.deepcopy(sample_set))
    rows = view.synoptic_model.rowCount()
    in_view = _rows_in_view(view)
    assert in_view and in_view[-1] < rows - 1  # more rows than fit
    # nothing painted and no slice run yet: the rows in view already have their heights
    for r in in_view:
        assert not view.row_height_pending(r)
        assert view.rowHeight(r) == view.estimated_row_height(r)
    assert view.layout_pending()
    assert view.row_height_pending(rows - 1)
    qtbot.waitUntil(lambda: not view.layout_pending(), timeout=10_000)
    assert not any(view.row_height_pending(r) for r in range(rows))
    for r in range(rows):
        # painting may grow a row whose text needs more room, never shrink it
        assert view.rowHeight(r) >= view.estimated_row_height(r)
    never_painted = [r for r in range(in_view[-1] + 1, rows) if r not in _rows_in_view(view)]
    assert never_painted
    for r in never_painted:
        assert view.rowHeight(r) == view.estimated_row_height(r)


def test_rows_estimated_above_the_view_leave_the_top_row_in_place(
    qtbot, window: MainWindow, sample_set: ArticleSet, small_slices: None
) -> None:
    view = window.synoptic
    window.set_article_set(copy.deepcopy(sample_set))
    # the editor jumps far down before the rows above have their heights
    target = view.synoptic_model.rowCount() * 2 // 3
    view.scrollTo(view.synoptic_model.index(target, 0), QAbstractItemView.ScrollHint.PositionAtTop)
    QApplication.processEvents()
    top = view.rowAt(0)
    offset = view.rowViewportPosition(top)
    assert top > 0 and view.layout_pending()
    qtbot.waitUntil(lambda: not view.layout_pending(), timeout=10_000)
    assert not any(view.row_height_pending(r) for r in range(top))
    assert view.rowAt(0) == top
    assert view.rowViewportPosition(top) == offset


def test_scrolling_to_rows_still_waiting_estimates_them_at_once(
    qtbot, window: MainWindow, sample_set: ArticleSet, small_slices: None
) -> None:
    view = window.synoptic
    window.set_article_set(copy.deepcopy(sample_set))
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum())
    for r in _rows_in_view(view):
        assert not view.row_height_pending(r)
        assert view.rowHeight(r) == view.estimated_row_height(r)


def test_the_focus_menu_lists_every_version_when_it_opens_and_follows_the_focus(
    qtbot, window: MainWindow, sample_set: ArticleSet
) -> None:
    window.set_article_set(copy.deepcopy(sample_set))
    state = window.state
    window.focus_menu.aboutToShow.emit()
    actions = window.focus_menu.actions()
    assert len(actions) == len(state.order)
    assert [a.isChecked() for a in actions] == [d == state.focus for d in state.order]
    with qtbot.waitSignal(state.focus_changed, timeout=5000):
        actions[2].trigger()
    assert state.focus == state.order[2]
    window.focus_menu.aboutToShow.emit()
    assert [a.isChecked() for a in window.focus_menu.actions()] == [
        d == state.focus for d in state.order
    ]
    assert window.focus_menu_actions() == window.focus_menu.actions()


def test_header_sizes_measured_once_follow_the_focus_and_the_text_size(
    qtbot, window: MainWindow, sample_set: ArticleSet
) -> None:
    window.set_article_set(copy.deepcopy(sample_set))
    state, view = window.state, window.synoptic
    header = view.horizontalHeader()
    other = state.order[1]

    def width() -> int:
        return header.sectionSizeFromContents(view.synoptic_model.column_for_doc(other)).width()

    before = width()
    assert width() == before  # measured once, the same after
    state.set_focus(other)  # the focus version's name is bold and says so
    focused = width()
    assert focused > before
    state.set_zoom(state.zoom + 4)
    assert width() > focused
    rows = view.verticalHeader()
    assert rows.sectionSizeFromContents(0).height() > 0
    qtbot.waitUntil(lambda: not view.layout_pending(), timeout=10_000)
    # the row header's kept hint is the one Qt works out itself
    assert rows.sizeHint() == QHeaderView.sizeHint(rows)
