"""Fact review in the window: create, edit, undo, filter, navigate, suggest and export."""

from __future__ import annotations

import copy
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QTextCursor
from PySide6.QtWidgets import QFileDialog

from factdesk.core.conflicts import conflicts_for_fact
from factdesk.core.export import FORMATS
from factdesk.core.facts import new_fact
from factdesk.core.model import Anchor, ArticleSet, Fact
from factdesk.core.review import fact_spans
from factdesk.ui.export_dialog import EXPORT_FILTERS
from factdesk.ui.fact_models import (
    FACT_ID_ROLE,
    ORPHAN_GLYPH,
    AnchorsModel,
    ConflictsModel,
    FactsModel,
    FactsProxy,
    SuggestionsModel,
    SuggestionsProxy,
)
from factdesk.ui.main_window import MainWindow
from factdesk.ui.models import HIGHLIGHT_ROLE
from factdesk.ui.state import ViewState


@pytest.fixture
def win(qtbot, sample_window: MainWindow, tmp_path: Path) -> MainWindow:
    """The sample window, creating its autosave project under the test's folder.

    Conflicts and suggestions are worked out off the GUI thread; the tests start once
    they are in, as an editor's view would be.
    """
    sample_window.facts.autosave_dir = tmp_path / "autosave"
    qtbot.waitUntil(sample_window.state.analysis_ready, timeout=60_000)
    return sample_window


def _rows(project_path: str, sql: str, *args: object) -> list[tuple[object, ...]]:
    """Read the project file the way another program would, while the window holds it."""
    conn = sqlite3.connect(project_path)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def _shared_focus_passage(win: MainWindow, skip: int = 0) -> str:
    s = win.state
    found = [
        p.id for p in s.index.by_doc[s.focus] if not p.boilerplate and s.index.counterparts(p.id)
    ]
    return found[skip]


def _select_in_reader(win: MainWindow, passage_id: str, trim: int = 0) -> tuple[int, int]:
    """Select a sentence's text in the reader, as a mouse drag would."""
    win.tabs.setCurrentIndex(1)
    span = win.reader.passage_span(passage_id)
    assert span is not None
    cursor = QTextCursor(win.reader.document())
    cursor.setPosition(span[0] + trim)
    cursor.setPosition(span[1] - trim, QTextCursor.MoveMode.KeepAnchor)
    win.reader.setTextCursor(cursor)
    return (
        win.reader.doc_offset(cursor.selectionStart()),
        win.reader.doc_offset(cursor.selectionEnd()),
    )


def _make_fact(win: MainWindow, skip: int = 0) -> Fact:
    _select_in_reader(win, _shared_focus_passage(win, skip))
    fact = win.facts.new_fact_from_selection()
    assert fact is not None
    return fact


def _conflicted_passage(win: MainWindow) -> str:
    return next(c.passages[0] for c in win.state.conflicts() if c.is_conflict)


def _fact_on(win: MainWindow, passage_id: str) -> Fact:
    p = win.state.index.passages[passage_id]
    win.state.activate_passage(passage_id)
    win.facts.selection = (p.doc, p.start, p.end)
    fact = win.facts.new_fact_from_selection()
    assert fact is not None
    return fact


# --------------------------------------------------------------------------- models


def test_fact_models_pass_model_tester_through_edits(
    qtmodeltester, qapp, sample_set: ArticleSet
) -> None:
    s = ViewState()
    article_set = copy.deepcopy(sample_set)
    s.set_article_set(article_set)
    facts = FactsModel(s)
    proxy = FactsProxy()
    proxy.setSourceModel(facts)
    qtmodeltester.check(facts)
    qtmodeltester.check(proxy)
    doc = article_set.documents[0]
    for start in (0, 200, 400):
        fact = new_fact(article_set, doc.id, start, start + 40)
        article_set.facts.append(fact)
        s.facts_changed.emit(fact.id)
    article_set.facts[1].status = "confirmed"
    s.facts_changed.emit(article_set.facts[1].id)
    del article_set.facts[0]
    s.facts_changed.emit("f1")
    proxy.set_criteria(status="confirmed")
    assert proxy.rowCount() == 1
    qtmodeltester.check(facts)
    qtmodeltester.check(proxy)

    suggestions = SuggestionsModel(s)
    suggestions.ensure_loaded()
    assert suggestions.rowCount() > 0
    sproxy = SuggestionsProxy()
    sproxy.setSourceModel(suggestions)
    sproxy.set_filter(kind="number")
    qtmodeltester.check(suggestions)
    qtmodeltester.check(sproxy)
    assert 0 < sproxy.rowCount() < suggestions.rowCount()

    conflicts = ConflictsModel(s)
    conflicts.ensure_loaded()
    qtmodeltester.check(conflicts)
    conflicts.set_show_variants(True)
    qtmodeltester.check(conflicts)
    assert conflicts.rowCount() == len(s.conflicts())

    anchors = AnchorsModel(s)
    anchors.set_fact(article_set.facts[0])
    qtmodeltester.check(anchors)
    assert anchors.rowCount() == len(article_set.facts[0].anchors)


# --------------------------------------------------------------------------- creating


def test_ctrl_e_on_a_reader_selection_creates_a_fact_in_a_new_project(
    qtbot, win: MainWindow, tmp_path: Path
) -> None:
    pid = _shared_focus_passage(win)
    start, end = _select_in_reader(win, pid, trim=3)
    assert win.project is None
    with qtbot.waitSignal(win.state.facts_changed, timeout=5000):
        qtbot.keyClick(win, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    facts = win.article_set.facts
    assert len(facts) == 1
    fact = facts[0]
    own = fact.anchors[0]
    assert (own.doc, own.start, own.end, own.confirmed) == (win.state.focus, start, end, True)
    assert own.exact == win.state.index.docs[win.state.focus].text[start:end]
    counterpart_docs = {c.passage.doc for c in win.state.index.counterparts(pid)}
    assert {a.doc for a in fact.anchors[1:]} == counterpart_docs
    # an autosave project was made, named in the title, and already holds the fact
    assert win.project is not None
    assert Path(win.project_path).parent == tmp_path / "autosave"
    assert Path(win.project_path).name in win.windowTitle()
    assert _rows(win.project_path, "SELECT id, statement FROM facts") == [(fact.id, fact.statement)]
    # the dock lists it and the panel edits it
    assert win.facts_dock.facts_model.rowCount() == 1
    assert win.fact_panel.statement.toPlainText() == fact.statement


def test_reader_context_menu_offers_new_fact(win: MainWindow) -> None:
    win.tabs.setCurrentIndex(1)
    menu = win.reader.createStandardContextMenu()
    assert menu is not None
    assert win.new_fact_action.text().replace("&", "") == "New Fact from Selection"
    shortcuts = {k.toString() for k in win.new_fact_action.shortcuts()}
    assert {"Ctrl+E", "Ctrl+Shift+F"} <= shortcuts
    assert "Ctrl+E" in win.new_fact_action.toolTip()


def test_fact_shortcuts_clash_with_no_other_action(win: MainWindow) -> None:
    from PySide6.QtGui import QAction

    owners: dict[str, str] = {}
    for action in win.findChildren(QAction):
        for key in action.shortcuts():
            text = key.toString(QKeySequence.SequenceFormat.PortableText)
            assert text not in owners, f"{text}: {owners.get(text)} and {action.text()}"
            owners[text] = action.text()
    assert owners["Ctrl+E"].replace("&", "") == "New Fact from Selection"
    assert owners["Ctrl+Shift+E"].replace("&", "") == "Export…"


def test_new_fact_without_any_selection_only_explains(win: MainWindow) -> None:
    win.state.active_passage = ""
    win.facts.selection = None
    assert win.facts.new_fact_from_selection() is None
    assert win.article_set.facts == []
    assert win.message_bar.isVisible()
    assert "Select some text" in win.message_bar.label.text()


# --------------------------------------------------------------------------- editing


def test_status_and_note_edits_are_in_the_project_at_once_and_undo_redo(
    qtbot, win: MainWindow
) -> None:
    fact = _make_fact(win)
    panel = win.fact_panel
    path = win.project_path
    index = panel.status.findData("disputed")
    panel.status.setCurrentIndex(index)
    panel.status.activated.emit(index)
    assert _rows(path, "SELECT status FROM facts WHERE id = ?", fact.id) == [("disputed",)]

    with qtbot.waitSignal(win.state.facts_changed, timeout=5000):
        panel.note.setFocus()
        qtbot.keyClicks(panel.note, "Ask the agency")
    assert _rows(path, "SELECT note FROM facts WHERE id = ?", fact.id) == [("Ask the agency",)]
    assert win.facts.fact(fact.id).note == "Ask the agency"  # type: ignore[union-attr]

    win.undo_action.trigger()  # the note, typed in one burst, goes in one step
    assert _rows(path, "SELECT status, note FROM facts WHERE id = ?", fact.id) == [("disputed", "")]
    assert panel.note.toPlainText() == ""
    win.undo_action.trigger()
    assert _rows(path, "SELECT status FROM facts WHERE id = ?", fact.id) == [("unreviewed",)]
    assert panel.status.currentData() == "unreviewed"
    win.undo_action.trigger()  # the fact itself
    assert _rows(path, "SELECT COUNT(*) FROM facts") == [(0,)]
    assert win.facts_dock.facts_model.rowCount() == 0

    for _ in range(3):
        win.redo_action.trigger()
    assert _rows(path, "SELECT status, note FROM facts WHERE id = ?", fact.id) == [
        ("disputed", "Ask the agency")
    ]
    assert win.facts_dock.facts_model.rowCount() == 1


def test_statement_tags_origin_and_anchor_edits_are_saved(win: MainWindow) -> None:
    fact = _make_fact(win)
    panel = win.fact_panel
    path = win.project_path
    panel.statement.setPlainText("  A shorter claim ")
    panel.flush()
    panel.tags.setText("numbers, Iraq , numbers,")
    panel.tags.editingFinished.emit()
    other = win.state.order[1]
    panel.origin.setCurrentIndex(panel.origin.findData(other))
    panel.origin.activated.emit(panel.origin.currentIndex())
    assert _rows(path, "SELECT statement, tags, origin FROM facts") == [
        ("A shorter claim", '["numbers", "Iraq"]', other)
    ]
    suggested = next(i for i, a in enumerate(fact.anchors) if not a.confirmed)
    panel.confirm_anchor(suggested)
    assert _rows(
        path,
        "SELECT confirmed FROM fact_anchors WHERE fact_id = ? AND position = ?",
        fact.id,
        suggested,
    ) == [(1,)]
    before = len(fact.anchors)
    panel.remove_anchor(suggested)
    assert _rows(path, "SELECT COUNT(*) FROM fact_anchors") == [(before - 1,)]
    assert panel.anchors_model.rowCount() == before - 1
    win.undo_stack.undo()
    assert _rows(path, "SELECT COUNT(*) FROM fact_anchors") == [(before,)]


def test_text_typed_in_the_panel_is_saved_when_the_window_closes(win: MainWindow) -> None:
    fact = _make_fact(win)
    path = win.project_path
    win.fact_panel.note.setPlainText("typed just before closing")
    win.close()
    assert _rows(path, "SELECT note FROM facts WHERE id = ?", fact.id) == [
        ("typed just before closing",)
    ]


def test_deleting_a_fact_is_undoable(win: MainWindow) -> None:
    fact = _make_fact(win)
    win.facts_dock.delete_button.click()
    assert win.article_set.facts == []
    assert _rows(win.project_path, "SELECT COUNT(*) FROM facts") == [(0,)]
    assert win.fact_panel.stack.currentIndex() == 0
    win.undo_stack.undo()
    assert [f.id for f in win.article_set.facts] == [fact.id]
    assert _rows(win.project_path, "SELECT id FROM facts") == [(fact.id,)]


# --------------------------------------------------------------------------- filtering


def test_filters_by_status_and_conflicts_only(win: MainWindow) -> None:
    conflicted = _fact_on(win, _conflicted_passage(win))
    calm_passage = next(
        p.id
        for p in win.article_set.passages
        if not p.boilerplate
        and not win.state.passage_conflicts(p.id)
        and not conflicts_for_fact(
            win.article_set,
            new_fact(win.article_set, p.doc, p.start, p.end),
            [c for c in win.state.conflicts() if c.is_conflict],
        )
    )
    calm = _fact_on(win, calm_passage)
    win.facts.edit(calm.id, status="confirmed")
    dock = win.facts_dock
    proxy = dock.facts_proxy

    def shown() -> set[str]:
        return {proxy.index(r, 0).data(FACT_ID_ROLE) for r in range(proxy.rowCount())}

    assert shown() == {conflicted.id, calm.id}
    dock.status_filter.setCurrentIndex(dock.status_filter.findData("confirmed"))
    assert shown() == {calm.id}
    assert dock.facts_count.text() == "1 of 2 facts"
    dock.status_filter.setCurrentIndex(0)
    dock.conflicts_only.setChecked(True)
    assert shown() == {conflicted.id}
    dock.conflicts_only.setChecked(False)
    dock.text_filter.setText(calm.statement[:15])
    assert calm.id in shown()
    dock.text_filter.clear()
    dock.doc_filter.setCurrentIndex(dock.doc_filter.findData(calm.anchors[0].doc))
    assert calm.id in shown()


def test_sorting_by_status_orders_rows(win: MainWindow) -> None:
    a = _make_fact(win, 0)
    b = _make_fact(win, 1)
    win.facts.edit(a.id, status="wrong")
    win.facts.edit(b.id, status="confirmed")
    view = win.facts_dock.facts_view
    view.sortByColumn(FactsModel.STATUS, Qt.SortOrder.AscendingOrder)
    proxy = win.facts_dock.facts_proxy
    assert [proxy.index(r, FactsModel.STATUS).data() for r in range(2)] == [
        "✔ Confirmed",
        "✘ Wrong",
    ]


# --------------------------------------------------------------------------- navigation


def test_clicking_a_fact_highlights_its_passages_in_every_view(qtbot, win: MainWindow) -> None:
    fact = _make_fact(win)
    win.tabs.setCurrentIndex(0)
    win.highlight_spans([])
    view = win.facts_dock.facts_view
    index = win.facts_dock.facts_proxy.index(0, 0)
    with qtbot.waitSignal(win.state.highlights_changed, timeout=5000):
        qtbot.mouseClick(
            view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(index).center()
        )
    assert win.state.highlights == fact_spans(fact)
    anchored = {a.passage for a in fact.anchors}
    assert win.state.active_passage in anchored
    synoptic = win.synoptic.synoptic_model
    for a in fact.anchors:
        row = synoptic.row_for_passage(a.passage)
        col = synoptic.column_for_doc(a.doc)
        assert synoptic.index(row, col).data(HIGHLIGHT_ROLE) is True
    assert win.facts.current == fact.id
    assert win.fact_panel.statement.toPlainText() == fact.statement


def test_reader_marks_passages_with_conflicts(win: MainWindow) -> None:
    s = win.state
    win.tabs.setCurrentIndex(1)
    marked = [
        p.id for p in s.index.by_doc[s.focus] if not p.boilerplate and s.passage_conflicts(p.id)
    ]
    assert marked, "the sample has conflicts in its first version"
    assert win.reader.toPlainText().count("⚠") == len(marked)
    tip = win.reader.conflicts_tooltip(marked[0])
    assert s.passage_conflicts(marked[0])[0].message[:30] in tip.replace("&quot;", '"')


def test_clicking_a_conflict_jumps_to_its_passages(qtbot, win: MainWindow) -> None:
    dock = win.facts_dock
    dock.tabs.setCurrentWidget(dock.conflicts_page)
    view = dock.conflicts_view
    conflict = dock.conflicts_model.conflict(0)
    assert conflict is not None
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        qtbot.mouseClick(
            view.viewport(),
            Qt.MouseButton.LeftButton,
            pos=view.visualRect(dock.conflicts_model.index(0, 0)).center(),
        )
    assert win.state.active_passage in conflict.passages
    highlighted = {
        p.id
        for d, start, end in win.state.highlights
        for p in win.state.index.by_doc[d]
        if p.start < end and start < p.end
    }
    assert set(conflict.passages) <= highlighted


# --------------------------------------------------------------------------- suggestions


def test_make_fact_from_a_suggestion_in_one_undoable_step(qtbot, win: MainWindow) -> None:
    dock = win.facts_dock
    dock.tabs.setCurrentWidget(dock.suggestions_page)
    dock.kind_filter.setCurrentIndex(dock.kind_filter.findData("number"))
    view = dock.suggestions_view
    index = dock.suggestions_proxy.index(0, 0)
    view.setCurrentIndex(index)
    suggestion = dock._current_suggestion()
    assert suggestion is not None and suggestion.kind == "number"
    assert dock.make_fact_button.isEnabled()
    with qtbot.waitSignal(win.state.facts_changed, timeout=5000):
        dock.make_fact_button.click()
    assert len(win.article_set.facts) == 1
    fact = win.article_set.facts[0]
    mentions = {(d, m[1], m[2]) for d, ms in suggestion.by_doc.items() for m in ms}
    assert {(a.doc, a.start, a.end) for a in fact.anchors} == mentions
    assert "number" in fact.tags
    assert _rows(win.project_path, "SELECT id FROM facts") == [(fact.id,)]
    assert dock.tabs.currentWidget() is dock.facts_page
    win.undo_stack.undo()
    assert win.article_set.facts == []
    assert _rows(win.project_path, "SELECT COUNT(*) FROM facts") == [(0,)]


# --------------------------------------------------------------------------- orphans


def test_orphaned_anchors_are_shown_not_dropped(win: MainWindow) -> None:
    fact = _make_fact(win)
    lost = copy.deepcopy(fact)
    lost.anchors.append(
        Anchor(doc=win.state.focus, start=0, end=0, exact="a quote now gone", orphaned=True)
    )
    win.facts.replace(fact.id, lost, "re-import")
    model = win.facts_dock.facts_model
    row = model.row_of(fact.id)
    assert model.index(row, FactsModel.STATEMENT).data().startswith(ORPHAN_GLYPH)
    assert ORPHAN_GLYPH in model.index(row, FactsModel.VERSIONS).data()
    assert "orphaned" in model.index(row, FactsModel.STATEMENT).data(Qt.ItemDataRole.ToolTipRole)
    panel_rows = [
        win.fact_panel.anchors_model.index(r).data()
        for r in range(win.fact_panel.anchors_model.rowCount())
    ]
    assert any(r.startswith(ORPHAN_GLYPH) and "a quote now gone" in r for r in panel_rows)
    assert _rows(win.project_path, "SELECT COUNT(*) FROM fact_anchors WHERE orphaned = 1") == [(1,)]


# --------------------------------------------------------------------------- export


def _check_export(fmt: str, text: str, fact: Fact) -> None:
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows and all(r["fact_id"] == fact.id for r in rows)
    elif fmt == "json":
        data = json.loads(text)
        assert [f["id"] for f in data["facts"]] == [fact.id]
        assert data["facts"][0]["status"] == "confirmed"
    elif fmt in ("annotations", "claimreview"):
        data = json.loads(text)
        assert fact.statement[:20] in json.dumps(data, ensure_ascii=False)
    elif fmt == "html":
        assert "<html" in text.lower()
        assert "Confirmed" in text
    else:
        assert "Confirmed" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_file_export_writes_each_format(
    qtbot, win: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    fact = _make_fact(win)
    win.facts.edit(fact.id, status="confirmed")
    target = tmp_path / "out" / "report"
    target.parent.mkdir()
    chosen = EXPORT_FILTERS[fmt][0]
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), chosen))
    )
    with qtbot.waitSignal(win.facts.exported, timeout=10_000) as blocker:
        win.export_action.trigger()
    written = Path(blocker.args[1])
    assert blocker.args[0] == fmt
    assert written.name == "report" + EXPORT_FILTERS[fmt][1]
    _check_export(fmt, written.read_text(encoding="utf-8"), win.facts.fact(fact.id))  # type: ignore[arg-type]
    assert written.name in win.statusBar().currentMessage()


def test_export_failure_is_a_message_not_a_dialog(win: MainWindow, tmp_path: Path) -> None:
    _make_fact(win)
    assert win.facts.export_to("json", tmp_path / "missing" / "x.json") is None
    assert win.message_bar.isVisible()
    assert "Could not export" in win.message_bar.label.text()


def test_cancelled_export_dialog_writes_nothing(
    win: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert win.facts.ask_and_export() is None


def test_suggestion_rows_list_the_merged_variants(qapp, sample_set: ArticleSet) -> None:
    s = ViewState()
    s.set_article_set(copy.deepcopy(sample_set))
    model = SuggestionsModel(s)
    model.ensure_loaded()
    rows = [model.suggestion(r) for r in range(model.rowCount())]
    row = next(
        r
        for r, sug in enumerate(rows)
        if sug is not None and sug.kind == "entity" and len(sug.variants) > 1
    )
    sug = rows[row]
    assert sug is not None
    shown = model.data(model.index(row, SuggestionsModel.LABEL))
    assert shown.startswith(sug.label)
    for variant in [v for v in sug.variants if v != sug.label][:3]:
        assert variant in shown


def test_the_suggestions_list_shows_the_first_claims_and_counts_the_rest(
    qtbot, sample_window
) -> None:  # type: ignore[no-untyped-def]
    from factdesk.core.suggest import TOP_SUGGESTIONS, is_trivial
    from factdesk.ui.fact_models import SUGGESTION_ROLE

    dock = sample_window.facts_dock
    dock.tabs.setCurrentWidget(dock.suggestions_page)
    qtbot.waitUntil(lambda: dock.suggestions_model.rowCount() > 0, timeout=30_000)
    proxy = dock.suggestions_proxy
    shown = [proxy.index(r, 0).data(SUGGESTION_ROLE) for r in range(proxy.rowCount())]
    assert 0 < len(shown) <= TOP_SUGGESTIONS
    assert not [s for s in shown if is_trivial(s)]  # bare names wait behind "Names"
    if proxy.matching > len(shown):
        assert f"of {proxy.matching}" in dock.suggestions_count.text()
    dock.show_all.setChecked(True)
    dock.names_too.setChecked(True)
    assert proxy.rowCount() == dock.suggestions_model.rowCount()
