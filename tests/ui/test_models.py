"""Every Qt model passes Qt's model tester, on a hand-made set and on the sample."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtCore import Qt

from factdesk.core import corrections as edits
from factdesk.core.model import ArticleSet
from factdesk.ui import commands
from factdesk.ui.models import (
    DOC_ID_ROLE,
    ERROR_ROLE,
    HTML_ROLE,
    PASSAGE_IDS_ROLE,
    DocumentsModel,
    SearchResultsModel,
    SynopticModel,
)
from factdesk.ui.state import ViewState


@pytest.fixture(params=["tiny", "sample"])
def state(request, qapp, tiny_set: ArticleSet) -> ViewState:  # type: ignore[no-untyped-def]
    s = ViewState()
    if request.param == "tiny":
        s.set_article_set(tiny_set)
    else:
        s.set_article_set(copy.deepcopy(request.getfixturevalue("sample_set")))
    return s


def test_documents_model_passes_model_tester(qtmodeltester, state: ViewState) -> None:
    model = DocumentsModel(state)
    qtmodeltester.check(model)
    assert model.rowCount() == len(state.order) + len(state.article_set.errors)


def test_synoptic_model_passes_model_tester_through_focus_and_visibility_changes(
    qtmodeltester, state: ViewState
) -> None:
    model = SynopticModel(state)
    qtmodeltester.check(model)
    state.set_focus(state.order[-1])
    state.set_hidden(state.order[0], True)
    state.set_show_boilerplate(True)
    qtmodeltester.check(model)
    assert model.columnCount() == len(state.order) - 1


def test_search_results_model_passes_model_tester(qtmodeltester, state: ViewState) -> None:
    model = SearchResultsModel(state)
    word = state.article_set.documents[0].text.split()[1]
    model.set_hits(state.index.search_all([word], state.order))
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_documents_model_lists_failed_files_with_their_reason(qapp, tiny_set: ArticleSet) -> None:
    s = ViewState()
    s.set_article_set(tiny_set)
    model = DocumentsModel(s)
    error_row = len(s.order)
    assert model.index(error_row, DocumentsModel.NAME).data() == "broken.pdf"
    assert "not supported" in model.index(error_row, 0).data(ERROR_ROLE)
    assert model.index(error_row, DocumentsModel.DERIVATION).data() == "PDF files are not supported"


def test_unticking_a_version_hides_its_synoptic_column(qapp, tiny_set: ArticleSet) -> None:
    s = ViewState()
    s.set_article_set(tiny_set)
    docs, synoptic = DocumentsModel(s), SynopticModel(s)
    assert synoptic.columnCount() == 2
    docs.setData(
        docs.index(1, DocumentsModel.SHOWN),
        Qt.CheckState.Unchecked.value,
        Qt.ItemDataRole.CheckStateRole,
    )
    assert synoptic.columnCount() == 1
    assert synoptic.index(0, 0).data(DOC_ID_ROLE) == "d0"


def test_synoptic_cell_html_marks_differences_and_escapes_text(qapp, tiny_set: ArticleSet) -> None:
    text = tiny_set.documents[1].text
    tiny_set.documents[1].text = text.replace("Heavy", "H<&>y")  # same length: offsets hold
    s = ViewState()
    s.set_article_set(tiny_set)
    model = SynopticModel(s)
    row = model.row_for_passage("d0.s0")
    html = model.index(row, model.column_for_doc("d1")).data(HTML_ROLE)
    assert "&lt;&amp;&gt;" in html and "<&>" not in html
    assert "text-decoration:underline" in html  # words the focus passage lacks
    assert model.index(row, 0).data(PASSAGE_IDS_ROLE) == ["d0.s0"]


def test_documents_model_shows_the_file_name_when_a_version_has_no_title(
    qapp, tiny_set: ArticleSet
) -> None:
    tiny_set.documents[1].title = "  "
    s = ViewState()
    s.set_article_set(tiny_set)
    model = DocumentsModel(s)
    untitled = model.index(1, DocumentsModel.TITLE)
    assert untitled.data() == tiny_set.documents[1].name
    assert untitled.data(Qt.ItemDataRole.FontRole).italic()
    assert model.index(0, DocumentsModel.TITLE).data() == tiny_set.documents[0].title


def test_every_empty_synoptic_cell_says_the_passage_is_absent(qapp, tiny_set: ArticleSet) -> None:
    s = ViewState()
    s.set_article_set(tiny_set)
    s.set_show_boilerplate(True)
    model = SynopticModel(s)
    empty = [
        model.index(r, c)
        for r in range(model.rowCount())
        for c in range(model.columnCount())
        if not model.index(r, c).data(PASSAGE_IDS_ROLE)
    ]
    assert empty
    assert all("not in this version" in i.data(HTML_ROLE) for i in empty)


def test_search_hits_mark_the_matched_words(qapp, tiny_set: ArticleSet) -> None:
    s = ViewState()
    s.set_article_set(tiny_set)
    model = SearchResultsModel(s)
    model.set_hits(s.index.search_all(["roads"], s.order))
    html = model.index(0).data(HTML_ROLE)
    assert "<b" in html and "roads" in html.lower().split("<b")[1]


def _record_conflict_threads(monkeypatch) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(thread name, id of the set) of each search for conflicts from now on."""
    import threading

    from factdesk.core import analysis, conflicts

    threads: list[tuple[str, int]] = []
    real = conflicts.find_conflicts

    def spy(article_set, *args, **kwargs):  # type: ignore[no-untyped-def]
        threads.append((threading.current_thread().name, id(article_set)))
        return real(article_set, *args, **kwargs)

    monkeypatch.setattr(conflicts, "find_conflicts", spy)
    monkeypatch.setattr(analysis, "find_conflicts", spy)
    return threads


def test_a_shown_set_gets_its_conflicts_off_the_gui_thread(
    qtbot, monkeypatch, sample_set: ArticleSet
) -> None:  # type: ignore[no-untyped-def]
    import threading

    from factdesk.ui.worker import JobRunner

    threads = _record_conflict_threads(monkeypatch)
    analyser = JobRunner()
    state = ViewState(analyser=analyser)
    with qtbot.waitSignal(state.conflicts_changed, timeout=30_000):
        state.set_article_set(copy.deepcopy(sample_set))
        assert state.passage_conflicts(state.article_set.passages[0].id) is not None
    analyser.wait()
    mine = [name for name, set_id in threads if set_id == id(state.article_set)]
    assert mine and threading.main_thread().name not in mine
    assert state.analysis_ready()
    named = {pid for c in state.conflicts() if c.is_conflict for pid in c.passages}
    assert named, "the sample's versions disagree somewhere"
    assert all(state.passage_conflicts(pid) for pid in named)
    assert len([1 for _, set_id in threads if set_id == id(state.article_set)]) == 1


def test_asking_for_conflicts_before_they_arrive_waits_for_them(
    qapp, sample_set: ArticleSet
) -> None:
    state = ViewState()
    state.set_article_set(copy.deepcopy(sample_set))
    found = state.conflicts()
    assert state.analysis_ready()
    assert state.unit_index() is state.analysis().units
    assert found is state.conflicts()


def test_the_alignment_worker_hands_over_conflicts_with_the_set(qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import threading

    from factdesk.core.bundled import sample_dir
    from factdesk.core.session import Session
    from factdesk.ui.worker import AlignmentRunner

    threads = _record_conflict_threads(monkeypatch)
    session = Session()
    runner = AlignmentRunner()
    with qtbot.waitSignal(runner.finished, timeout=30_000) as blocker:
        runner.run(session.open_job([sample_dir()]), "open")
    loaded = blocker.args[0]
    result = loaded.article_set
    mine = [name for name, set_id in threads if set_id == id(result)]
    assert mine and threading.main_thread().name not in mine
    state = ViewState(session)
    with qtbot.assertNotEmitted(state.conflicts_changed, wait=100):
        session.adopt(loaded)
        assert state.analysis_ready()
    assert len([1 for _, set_id in threads if set_id == id(result)]) == 1
    runner.wait()


def test_the_undo_commands_build_corrections_with_the_core_functions() -> None:
    assert commands.linked is edits.force_link
    assert commands.unlinked is edits.forbid_links
    assert commands.boilerplate_set is edits.set_boilerplate
