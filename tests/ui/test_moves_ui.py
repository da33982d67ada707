"""Moved text is marked in the synoptic view and the reader, and nowhere else."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from factdesk.core.model import ArticleSet
from factdesk.core.pipeline import analyse
from factdesk.ui.models import HTML_ROLE, MOVED_ROLE, PASSAGE_IDS_ROLE, SynopticModel
from factdesk.ui.palette import theme
from factdesk.ui.reader import Legend, ReaderView
from factdesk.ui.state import ViewState

SWAPPED = (3, 6)  # the sample's fourth and seventh lines change places in the copy


@pytest.fixture(scope="module")
def swapped_set(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> ArticleSet:
    """A sample version (d0) and a copy of it (d1) with two paragraphs swapped."""
    folder = tmp_path_factory.mktemp("swapped")
    text = (seeds_dir / "000_8dddd403051cc578.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    a, b = SWAPPED
    lines[a], lines[b] = lines[b], lines[a]
    (folder / "a.txt").write_text(text, encoding="utf-8")
    (folder / "b.txt").write_text("\n".join(lines), encoding="utf-8")
    return analyse([folder / "a.txt", folder / "b.txt"])


def _swapped_passages(article_set: ArticleSet, doc: str) -> set[str]:
    return {
        p.id
        for p in article_set.passages
        if p.doc == doc and p.paragraph in SWAPPED and not p.boilerplate
    }


def _marked_cells(model: SynopticModel) -> dict[tuple[int, int], str]:
    out = {}
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            moved = model.index(r, c).data(MOVED_ROLE)
            if moved:
                out[(r, c)] = moved
    return out


def test_the_synoptic_marks_exactly_the_swapped_cells(
    qapp, qtmodeltester, swapped_set: ArticleSet
) -> None:
    state = ViewState()
    state.set_article_set(swapped_set)
    model = SynopticModel(state)
    qtmodeltester.check(model)
    assert state.focus == "d0"
    marked = _marked_cells(model)
    assert marked
    assert {c for _, c in marked} == {model.column_for_doc("d1")}
    pids = {p for r, c in marked for p in model.index(r, c).data(PASSAGE_IDS_ROLE)}
    assert pids == _swapped_passages(swapped_set, "d1")
    for r, c in marked:
        index = model.index(r, c)
        assert "⇅" in index.data(HTML_ROLE) and "moved" in index.data(HTML_ROLE)
        assert index.data(MOVED_ROLE).startswith("⇅ moved")
        assert "in ●1 this comes after sentence " in index.data(MOVED_ROLE)
        assert index.data(MOVED_ROLE) in index.data(Qt.ItemDataRole.ToolTipRole)
    unmarked = model.index(0, model.column_for_doc("d1"))
    assert (0, unmarked.column()) not in marked
    assert "moved" not in unmarked.data(HTML_ROLE)

    # with the copy as the focus, the marks move to the first version's swapped cells
    with_focus = []
    model.modelReset.connect(lambda: with_focus.append(True))
    state.set_focus("d1")
    assert with_focus
    marked = _marked_cells(model)
    assert {c for _, c in marked} == {model.column_for_doc("d0")}
    pids = {p for r, c in marked for p in model.index(r, c).data(PASSAGE_IDS_ROLE)}
    assert pids == _swapped_passages(swapped_set, "d0")
    qtmodeltester.check(model)


def test_a_set_in_one_order_marks_nothing(qapp, seeds_dir: Path, tmp_path: Path) -> None:
    text = (seeds_dir / "000_8dddd403051cc578.txt").read_text(encoding="utf-8")
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(text, encoding="utf-8")
    state = ViewState()
    state.set_article_set(analyse([tmp_path / "a.txt", tmp_path / "b.txt"]))
    assert _marked_cells(SynopticModel(state)) == {}
    assert ReaderView(state).moved_marks == {}


def test_the_reader_marks_the_focus_sentences_another_version_moved(
    qapp, swapped_set: ArticleSet
) -> None:
    state = ViewState()
    state.set_article_set(swapped_set)
    reader = ReaderView(state)
    assert set(reader.moved_marks) == _swapped_passages(swapped_set, "d0")
    assert all(
        tip.startswith("⇅ moved in ■2: there it comes after sentence ")
        for tip in reader.moved_marks.values()
    )
    assert "⇅" in reader.toPlainText()
    # hiding the version that moved them takes the marks away
    state.set_hidden("d1", True)
    assert reader.moved_marks == {}
    assert "⇅" not in reader.toPlainText()


@pytest.mark.parametrize("dark", [False, True])
def test_the_legends_name_the_moved_mark(qapp, swapped_set: ArticleSet, dark: bool) -> None:
    from factdesk.ui.palette import dark_palette

    state = ViewState()
    state.theme = theme(dark_palette() if dark else None)
    state.set_article_set(swapped_set)
    for diff_keys in (True, False):
        legend = Legend(state, diff_keys)
        assert "⇅" in legend.text()
        assert state.theme.moved_fg in legend.text()
