"""Project files: round trip, edits that commit at once, migrations, damage and locking."""

from __future__ import annotations

import copy
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlite_utils import Database

import factdesk
from factdesk.core import store
from factdesk.core.model import Anchor, ArticleSet, Corrections, Fact, Link
from factdesk.core.store import Project, ProjectError, ProjectLockedError, ProjectVersionError

PACKAGE_ROOT = str(Path(factdesk.__file__).resolve().parent.parent)


def _run_python(code: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_created_project_reopens_to_an_equal_article_set(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    path = tmp_path / "storm.factdesk"
    expected = copy.deepcopy(tiny_set)
    Project.create(path, tiny_set).close()
    with Project.open(path) as project:
        assert project.article_set == expected


def test_open_restores_stored_alignment_without_realigning(
    tmp_path: Path, tiny_set: ArticleSet, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Scores no aligner would produce come back unchanged, and no alignment code runs.
    tiny_set.links[0].score = 0.123456789
    Project.create(tmp_path / "p.factdesk", tiny_set).close()
    monkeypatch.setitem(sys.modules, "factdesk.core.align", None)
    with Project.open(tmp_path / "p.factdesk") as project:
        assert project.article_set.links[0].score == 0.123456789


def test_create_replaces_an_existing_project_and_leaves_no_temporary_file(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    path = tmp_path / "p.factdesk"
    Project.create(path, tiny_set).close()
    smaller = copy.deepcopy(tiny_set)
    smaller.documents = smaller.documents[:1]
    smaller.facts = []
    Project.create(path, smaller).close()
    with Project.open(path) as project:
        assert [d.id for d in project.article_set.documents] == ["d0"]
        assert project.article_set.facts == []
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("p.factdesk")) == []


def test_project_uses_wal_and_full_sync(tmp_path: Path, tiny_set: ArticleSet) -> None:
    with Project.create(tmp_path / "p.factdesk", tiny_set) as project:
        assert project.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert project.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_save_alignment_replaces_derived_data_and_keeps_facts_and_corrections(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    path = tmp_path / "p.factdesk"
    facts = copy.deepcopy(tiny_set.facts)
    corrections = copy.deepcopy(tiny_set.corrections)
    with Project.create(path, tiny_set) as project:
        realigned = copy.deepcopy(tiny_set)
        realigned.facts = []
        realigned.corrections = Corrections()
        realigned.links = [Link("d0.s1", "d1.s0", 0.4, "related")]
        realigned.groups = []
        project.save_alignment(realigned)
        assert project.article_set is realigned
        assert _fact_content(realigned.facts) == _fact_content(facts)
    with Project.open(path) as project:
        restored = project.article_set
    assert restored.links == [Link("d0.s1", "d1.s0", 0.4, "related")]
    assert restored.groups == []
    # re-anchoring may fill in the sentence an anchor lies in; what the editor wrote stays
    assert _fact_content(restored.facts) == _fact_content(facts)
    assert restored.facts == realigned.facts
    assert restored.corrections == corrections


def _fact_content(facts: list) -> list:
    return [
        (
            f.id,
            f.statement,
            f.status,
            f.note,
            f.tags,
            f.origin,
            [(a.doc, a.start, a.end, a.exact, a.confirmed, a.orphaned) for a in f.anchors],
        )
        for f in facts
    ]


def test_fact_edits_are_kept_in_order_across_reopen(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "p.factdesk"
    with Project.create(path, tiny_set) as project:
        project.upsert_fact(Fact(id="f3", statement="Schools shut", tags=["education"]))
        changed = copy.deepcopy(project.article_set.facts[0])
        changed.status = "disputed"
        changed.anchors = [Anchor("d1", 0, 10, "Heavy rain", orphaned=True)]
        project.upsert_fact(changed)
        assert project.delete_fact("f2") is True
        assert project.delete_fact("f99") is False
    with Project.open(path) as project:
        facts = project.article_set.facts
    assert [f.id for f in facts] == ["f1", "f3"]
    assert facts[0].status == "disputed"
    assert facts[0].anchors == [Anchor("d1", 0, 10, "Heavy rain", orphaned=True)]
    assert facts[0].tags == ["traffic", "météo"]
    assert facts[1].tags == ["education"]


def test_correction_edits_persist(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "p.factdesk"
    with Project.create(path, tiny_set) as project:
        project.force_link("d1.s1", "d0.s0")  # lifts the ban on the same pair
        project.forbid_link("d0.s1", "d1.s1")  # lifts the pin on the same pair
        project.set_boilerplate("d0.s2", None)
        project.set_boilerplate("d1.s0", False)
    with Project.open(path) as project:
        corrections = project.article_set.corrections
        assert corrections.forced_links == [("d1.s1", "d0.s0")]
        assert corrections.forbidden_links == [("d0.s1", "d1.s1")]
        assert corrections.boilerplate == {"d1.s0": False}
        project.clear_link_correction("d0.s0", "d1.s1")
        project.set_corrections(Corrections(boilerplate={"d0.s0": True}))
    with Project.open(path) as project:
        assert project.article_set.corrections == Corrections(boilerplate={"d0.s0": True})


def test_settings_hold_json_values(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "p.factdesk"
    with Project.create(path, tiny_set) as project:
        assert project.get_setting("columns", ["d0"]) == ["d0"]
        project.set_setting("columns", ["d1", "d0"])
    with Project.open(path) as project:
        assert project.get_setting("columns") == ["d1", "d0"]


def test_committed_edit_survives_a_process_that_dies_without_closing(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    path = tmp_path / "p.factdesk"
    Project.create(path, tiny_set).close()
    result = _run_python(
        f"""
        import os
        from factdesk.core.model import Fact
        from factdesk.core.store import Project
        project = Project.open({str(path)!r})
        project.upsert_fact(Fact(id="f9", statement="saved before the crash"))
        os._exit(0)
        """
    )
    assert result.returncode == 0, result.stderr
    # The dead process's lock is taken over and its committed edit is there.
    with Project.open(path) as project:
        assert project.article_set.facts[-1].statement == "saved before the crash"


def test_second_process_gets_a_clear_locked_error(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "p.factdesk"
    with Project.create(path, tiny_set):
        result = _run_python(
            f"""
            import sys
            from factdesk.core.store import Project, ProjectLockedError
            try:
                Project.open({str(path)!r})
            except ProjectLockedError as exc:
                print(exc)
                sys.exit(3)
            """
        )
        assert result.returncode == 3, result.stderr
        assert (
            result.stdout.strip()
            == f"p.factdesk is already open in another FactDesk window (pid {os.getpid()})"
        )
    # Once closed, the project opens again.
    Project.open(path).close()


def test_second_open_in_the_same_process_is_refused(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "p.factdesk"
    with Project.create(path, tiny_set):
        with pytest.raises(ProjectLockedError, match="already open"):
            Project.open(path)
        with pytest.raises(ProjectLockedError):
            Project.create(path, tiny_set)


def test_read_works_while_another_window_holds_the_project(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    path = tmp_path / "p.factdesk"
    expected = copy.deepcopy(tiny_set)
    with Project.create(path, tiny_set) as project:
        project.delete_fact("f2")
        expected.facts = expected.facts[:1]
        assert Project.read(path) == expected


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"", "the file is empty"),
        (b"Rain hit the city on Monday.\n" * 50, "not an SQLite database"),
    ],
)
def test_non_project_files_give_a_readable_error(
    tmp_path: Path, content: bytes, detail: str
) -> None:
    path = tmp_path / "x.factdesk"
    path.write_bytes(content)
    with pytest.raises(ProjectError) as info:
        Project.open(path)
    assert str(info.value) == (
        f"x.factdesk: not a FactDesk project or the file is damaged ({detail})"
    )
    assert not isinstance(info.value, ProjectLockedError)


def test_sqlite_file_of_another_program_is_not_a_project(tmp_path: Path) -> None:
    path = tmp_path / "x.factdesk"
    db = Database(path)
    db.table("things").insert({"a": 1})
    db.close()
    with pytest.raises(ProjectError, match=r"^x\.factdesk: not a FactDesk project or the file"):
        Project.open(path)


def test_damaged_project_gives_a_readable_error(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "x.factdesk"
    tiny_set.documents[0].text = "storm " * 20000  # several pages to damage
    Project.create(path, tiny_set).close()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page, len(data) - page, page):  # keep the header page intact
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match=r"^x\.factdesk: not a FactDesk project or the file"):
        Project.open(path)
    # The failed open released the lock.
    assert not (tmp_path / "x.factdesk.lock").exists()


def test_missing_project_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project file"):
        Project.open(tmp_path / "nothing.factdesk")


def test_migrations_are_recorded_in_order(tmp_path: Path, tiny_set: ArticleSet) -> None:
    with Project.create(tmp_path / "p.factdesk", tiny_set) as project:
        assert project.migrations() == [name for name, _ in store.MIGRATIONS]
        assert project.db.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION


def test_older_project_is_upgraded_on_open(tmp_path: Path) -> None:
    path = tmp_path / "old.factdesk"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    db = Database(conn)
    applied = store.migrate(db, path.name, store.MIGRATIONS[:1])
    assert applied == [store.MIGRATIONS[0][0]]
    conn.close()
    with Project.open(path) as project:
        assert project.migrations() == [name for name, _ in store.MIGRATIONS]
        assert project.article_set == ArticleSet()
        project.upsert_fact(Fact(id="f1", statement="new table works"))


def test_project_from_a_newer_factdesk_is_refused(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "new.factdesk"
    with Project.create(path, tiny_set) as project:
        project.db.conn.execute(
            "INSERT INTO migrations (name, applied_at) VALUES ('9999_future', '2099-01-01')"
        )
    with pytest.raises(ProjectVersionError, match="newer version of FactDesk"):
        Project.open(path)
    with pytest.raises(ProjectVersionError, match="newer version of FactDesk"):
        Project.read(path)


def test_memory_project_accepts_edits(tiny_set: ArticleSet) -> None:
    with Project.create(":memory:", tiny_set) as project:
        project.upsert_fact(Fact(id="f5", statement="in memory"))
        assert [f.id for f in project.article_set.facts] == ["f1", "f2", "f5"]


def test_edit_after_close_is_an_error(tmp_path: Path, tiny_set: ArticleSet) -> None:
    project = Project.create(tmp_path / "p.factdesk", tiny_set)
    project.close()
    project.close()  # closing twice is harmless
    with pytest.raises(ProjectError, match="closed"):
        project.upsert_fact(Fact(id="f7", statement="too late"))


def test_sample_set_round_trips_through_a_project(tmp_path: Path, sample_set: ArticleSet) -> None:
    path = tmp_path / "sample.factdesk"
    original = copy.deepcopy(sample_set)
    Project.create(path, copy.deepcopy(sample_set)).close()
    assert Project.read(path) == original


def test_damage_report_is_one_short_line(tmp_path: Path, tiny_set: ArticleSet) -> None:
    path = tmp_path / "x.factdesk"
    tiny_set.documents[0].text = "storm " * 20000
    Project.create(path, tiny_set).close()
    data = bytearray(path.read_bytes())
    for offset in range(2 * 4096 + 100, len(data) - 4096, 4096):  # scramble inside pages
        data[offset : offset + 200] = bytes((i * 37) % 251 for i in range(200))
    path.write_bytes(bytes(data))
    with pytest.raises(ProjectError) as caught:
        Project.read(path)
    message = str(caught.value)
    assert message.startswith("x.factdesk: not a FactDesk project or the file is damaged")
    assert "\n" not in message and len(message) < 220
