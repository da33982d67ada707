"""The session owns the open set: open, add, re-align, re-import, facts, corrections and
projects, without Qt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from factdesk.core.facts import new_fact
from factdesk.core.model import CancelToken
from factdesk.core.session import Session
from factdesk.core.store import Project, ProjectError

STORY = (
    "The council approved the Harlan Works contract on Monday after a long debate.\n\n"
    "The mayor said the Marrow ferry would stop running in the spring of next year.\n\n"
    "Residents of the east bank have asked for a bridge for more than twenty years."
)
REWRITE = (
    "Councillors approved the Harlan Works contract on Monday after a lengthy debate.\n\n"
    "Residents of the east bank have asked for a bridge for over twenty years.\n\n"
    "The mayor said the Marrow ferry would stop running next spring."
)


@pytest.fixture
def story(tmp_path: Path) -> list[Path]:
    folder = tmp_path / "story"
    folder.mkdir()
    a, b = folder / "a.txt", folder / "b.txt"
    a.write_text(STORY, encoding="utf-8")
    b.write_text(REWRITE, encoding="utf-8")
    return [a, b]


def _record(session: Session) -> list[tuple[str, object]]:
    events: list[tuple[str, object]] = []
    session.set_replaced.connect(lambda kind: events.append(("set", kind)))
    session.fact_inserted.connect(lambda i: events.append(("inserted", i)))
    session.fact_changed.connect(lambda i: events.append(("changed", i)))
    session.fact_removed.connect(lambda i: events.append(("removed", i)))
    session.corrections_changed.connect(lambda _: events.append(("corrections", None)))
    return events


def test_opening_paths_aligns_them_and_works_out_the_analysis(story: list[Path]) -> None:
    session = Session()
    events = _record(session)
    session.open(story)
    assert [d.name for d in session.article_set.documents] == ["a.txt", "b.txt"]
    assert any(lk.relation == "same" for lk in session.article_set.links)
    assert session.analysis is not None
    assert events == [("set", "open")]


def test_adding_skips_a_file_already_in_the_set_and_keeps_the_facts(
    story: list[Path], tmp_path: Path
) -> None:
    session = Session()
    session.open(story[:1])
    fact = new_fact(session.article_set, "d0", 4, 11)
    session.put_fact(fact)
    copy = tmp_path / "copy.txt"
    shutil.copy(story[0], copy)
    session.add([story[1], copy])
    assert [d.name for d in session.article_set.documents] == ["a.txt", "b.txt"]
    assert "1 duplicate files skipped" in session.article_set.notes
    assert [f.id for f in session.facts] == [fact.id]


def test_corrections_are_in_force_at_once_and_reach_the_alignment_on_realign(
    story: list[Path],
) -> None:
    session = Session()
    session.open(story)
    link = next(lk for lk in session.article_set.links if lk.relation == "same")
    events = _record(session)
    session.unlink([(link.a, link.b)])
    assert (link.a, link.b) in session.corrections.forbidden_links
    # the shown alignment is unchanged until it is re-aligned
    assert any((lk.a, lk.b) == (link.a, link.b) for lk in session.article_set.links)
    session.realign()
    assert not any({lk.a, lk.b} == {link.a, link.b} for lk in session.article_set.links)
    assert events == [("corrections", None), ("set", "realign")]


def test_a_job_started_for_an_earlier_set_is_not_adopted(story: list[Path]) -> None:
    session = Session()
    session.open(story)
    stale = session.realign_job()
    session.open(story[:1])
    assert not session.adopt(stale(lambda *_: None, CancelToken()))
    assert len(session.article_set.documents) == 1


def test_reimport_reads_changed_files_and_re_anchors_facts(story: list[Path]) -> None:
    session = Session()
    session.open(story)
    text = session.article_set.documents[1].text
    start = text.index("Marrow ferry")
    fact = new_fact(session.article_set, "d1", start, start + len("Marrow ferry"))
    session.put_fact(fact)
    story[1].write_text("A new first paragraph.\n\n" + REWRITE, encoding="utf-8")
    session.reimport()
    doc = session.article_set.documents[1]
    assert doc.text.startswith("A new first paragraph.")
    [anchor] = [a for a in session.facts[0].anchors if a.doc == "d1"]
    assert doc.text[anchor.start : anchor.end] == "Marrow ferry"
    assert not anchor.orphaned


def test_facts_are_put_and_deleted_with_their_positions_reported(story: list[Path]) -> None:
    session = Session()
    session.open(story)
    events = _record(session)
    first = new_fact(session.article_set, "d0", 4, 11)
    session.put_fact(first)
    second = new_fact(session.article_set, "d0", 20, 30)
    session.put_fact(second)
    first.statement = "edited"
    session.put_fact(first)
    assert session.delete_fact(first.id) is first
    assert session.delete_fact("no such fact") is None
    assert [f.id for f in session.facts] == [second.id]
    assert events == [("inserted", 0), ("inserted", 1), ("changed", 0), ("removed", 0)]


def test_a_project_round_trip_keeps_facts_and_the_corrections_in_force(
    story: list[Path], tmp_path: Path
) -> None:
    session = Session()
    session.open(story)
    link = next(lk for lk in session.article_set.links if lk.relation == "same")
    session.unlink([(link.a, link.b)])  # in force, not yet re-aligned
    path = tmp_path / "story.factdesk"
    session.save_as(path)
    fact = new_fact(session.article_set, "d0", 4, 11)
    session.put_fact(fact)  # saved to the project at once
    session.close()

    reopened = Session()
    reopened.open_project(path)
    assert [f.id for f in reopened.facts] == [fact.id]
    assert (link.a, link.b) in reopened.corrections.forbidden_links
    assert reopened.project_path == str(path.absolute())
    reopened.close()


def test_a_fact_survives_realignment_in_the_project(story: list[Path], tmp_path: Path) -> None:
    session = Session()
    session.open(story)
    session.save_as(tmp_path / "p.factdesk")
    session.put_fact(new_fact(session.article_set, "d0", 4, 11))
    session.realign()
    session.close()
    assert len(Project.read(tmp_path / "p.factdesk").facts) == 1


def test_the_first_edit_without_a_project_gets_an_autosave_project(
    story: list[Path], tmp_path: Path
) -> None:
    session = Session()
    session.open(story)
    created = session.ensure_project(tmp_path / "autosave")
    assert created is not None and created.name.startswith("autosave-")
    assert session.ensure_project(tmp_path / "autosave") is None  # one is open now
    session.put_fact(new_fact(session.article_set, "d0", 4, 11))
    session.close()
    assert len(Project.read(created).facts) == 1


def test_opening_a_damaged_project_leaves_the_session_as_it_was(
    story: list[Path], tmp_path: Path
) -> None:
    session = Session()
    session.open(story)
    bad = tmp_path / "bad.factdesk"
    bad.write_text("not a project", encoding="utf-8")
    with pytest.raises(ProjectError):
        session.open_project(bad)
    assert len(session.article_set.documents) == 2
