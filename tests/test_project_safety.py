"""No command loses a project, and every damaged or unusual project gets a clear message
and stays exactly as it was: one test per way a project was found to go wrong."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import factdesk
from factdesk import cli
from factdesk.core import files, store
from factdesk.core.export import ExportWriteError, export_to_file
from factdesk.core.files import TargetError, check_write_target, write_atomic
from factdesk.core.model import ArticleSet, Fact
from factdesk.core.session import Session
from factdesk.core.store import (
    Project,
    ProjectDamagedError,
    ProjectDiskError,
    ProjectError,
    ProjectReadOnlyError,
)

PACKAGE_ROOT = str(Path(factdesk.__file__).resolve().parent.parent)
STORY = "Rain hit the city on Monday. Roads were closed. Officials urged people to stay home.\n"


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _bytes_of(path: Path) -> dict[str, bytes]:
    """The project file and every companion file beside it, to prove nothing changed."""
    return {p.name: p.read_bytes() for p in path.parent.iterdir() if p.name.startswith(path.name)}


@pytest.fixture
def project(tmp_path: Path, tiny_set: ArticleSet) -> Path:
    path = tmp_path / "P.factdesk"
    Project.create(path, tiny_set).close()
    return path


@pytest.fixture
def story(tmp_path: Path) -> Path:
    path = tmp_path / "story.txt"
    path.write_text(STORY, encoding="utf-8")
    return path


def _edit(path: Path, sql: str) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute(sql)
    finally:
        conn.close()


def _enospc(*_args: object, **_kwargs: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@contextlib.contextmanager
def _tiny_disk(tmp_path: Path, size: str = "320k") -> Iterator[Path]:
    """A real, small file system (needs root and permission to mount; skipped otherwise)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("mounting a small file system needs root on Linux")
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("this machine does not allow mounting a small file system")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True, check=False)


def _fill(folder: Path) -> None:
    with (folder / "filler").open("wb", buffering=0) as handle, contextlib.suppress(OSError):
        while True:
            handle.write(b"\0" * 1024)


# ----------------------------------------------------------------------------- export -o


def test_exporting_a_project_onto_itself_is_refused_and_the_project_stays(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = _bytes_of(project)
    assert cli.main(["export", str(project), "-f", "csv", "-o", str(project)]) != 0
    err = capsys.readouterr().err
    assert "P.factdesk" in err and "Traceback" not in err
    assert _bytes_of(project) == before
    assert len(Project.read(project).facts) == 2


def test_exporting_onto_a_project_open_in_a_window_leaves_the_window_working(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Project.open(project) as window:
        assert cli.main(["export", str(project), "-f", "csv", "-o", str(project)]) != 0
        assert cli.main(["export", str(project), "-f", "csv", "-o", str(project), "--force"]) != 0
        window.upsert_fact(Fact(id="f9", statement="saved after the refused export"))
    assert "f9" in [f.id for f in Project.read(project).facts]
    assert "exported" in capsys.readouterr().err


def test_export_never_writes_onto_another_project_or_any_sqlite_file(
    project: Path, tmp_path: Path, tiny_set: ArticleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.factdesk"
    Project.create(other, tiny_set).close()
    renamed = tmp_path / "renamed.csv"  # a project under another name
    renamed.write_bytes(other.read_bytes())
    database = tmp_path / "notes.db"
    _edit(database, "CREATE TABLE notes (text TEXT)")
    for target in (other, renamed, database, Path(str(other) + "-wal")):
        before = target.read_bytes() if target.exists() else None
        assert cli.main(["export", str(project), "-f", "md", "-o", str(target), "--force"]) != 0
        assert (target.read_bytes() if target.exists() else None) == before
    err = capsys.readouterr().err
    assert "is a FactDesk project" in err and "is an SQLite database" in err
    assert "belongs to the database other.factdesk" in err


def test_export_over_an_existing_file_needs_force(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "facts.csv"
    out.write_text("keep me", encoding="utf-8")
    assert cli.main(["export", str(project), "-f", "csv", "-o", str(out)]) == 1
    assert "exists already; add --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "keep me"
    assert cli.main(["export", str(project), "-f", "csv", "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("fact_id,")
    assert _listing(tmp_path) == ["P.factdesk", "facts.csv"]


def test_export_resolves_links_and_relative_paths_before_deciding(
    project: Path,
    tmp_path: Path,
    story: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    before = project.read_bytes()
    # a relative path and a link both naming the project
    assert cli.main(["export", str(project), "-f", "csv", "-o", "../P.factdesk"]) != 0
    (tmp_path / "link.csv").symlink_to(project)
    assert cli.main(["export", str(project), "-f", "csv", "-o", "../link.csv", "--force"]) != 0
    assert project.read_bytes() == before
    # an article being exported, reached through a link
    (tmp_path / "story-link.md").symlink_to(story)
    assert cli.main(["export", str(story), "-f", "md", "-o", "../story-link.md", "--force"]) != 0
    assert story.read_text(encoding="utf-8") == STORY
    # a link to an ordinary file counts as a file that is there already
    plain = tmp_path / "plain.md"
    plain.write_text("old", encoding="utf-8")
    (tmp_path / "to-plain.md").symlink_to(plain)
    assert cli.main(["export", str(project), "-f", "md", "-o", "../to-plain.md"]) == 1
    err = capsys.readouterr().err
    assert "a link to" in err and "is one of the files being exported" in err
    assert plain.read_text(encoding="utf-8") == "old"
    assert cli.main(["export", str(project), "-f", "md", "-o", "../to-plain.md", "--force"]) == 0
    assert (tmp_path / "to-plain.md").is_symlink()
    assert plain.read_text(encoding="utf-8").startswith("#")


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "facts.json"
    out.write_text("the previous export", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", _enospc)
    assert cli.main(["export", str(project), "-f", "json", "-o", str(out), "--force"]) == 1
    assert "the disk is full" in capsys.readouterr().err
    with pytest.raises(ExportWriteError, match=r"the disk is full\); nothing was changed"):
        export_to_file(Project.read(project), "csv", out, overwrite=True)
    assert out.read_text(encoding="utf-8") == "the previous export"
    assert _listing(tmp_path) == ["P.factdesk", "facts.json"]


def test_export_on_a_really_full_disk_keeps_the_old_file(
    tmp_path: Path, tiny_set: ArticleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    with _tiny_disk(tmp_path) as disk:
        path = disk / "P.factdesk"
        Project.create(path, tiny_set).close()
        out = disk / "facts.json"
        out.write_text("the previous export", encoding="utf-8")
        _fill(disk)
        assert cli.main(["export", str(path), "-f", "json", "-o", str(out), "--force"]) == 1
        err = capsys.readouterr().err
        assert "the disk is full" in err and "damaged" not in err
        assert out.read_text(encoding="utf-8") == "the previous export"
        assert _listing(disk) == ["P.factdesk", "facts.json", "filler"]


def test_a_temporary_file_of_a_killed_export_goes_at_the_next_export(
    project: Path, tmp_path: Path
) -> None:
    # 999999999 is above any process id Linux hands out
    (tmp_path / ".facts.md.999999999.tmp").write_text("half an export", encoding="utf-8")
    assert cli.main(["export", str(project), "-f", "md", "-o", str(tmp_path / "facts.md")]) == 0
    assert _listing(tmp_path) == ["P.factdesk", "facts.md"]


def test_write_atomic_keeps_the_permissions_of_the_file_it_replaces(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    write_atomic(out, "new")
    assert out.read_text(encoding="utf-8") == "new"
    assert out.stat().st_mode & 0o777 == 0o640


def test_a_folder_or_a_missing_folder_is_no_export_target(tmp_path: Path) -> None:
    with pytest.raises(TargetError, match="is a folder"):
        check_write_target(tmp_path)
    with pytest.raises(TargetError, match="does not exist"):
        check_write_target(tmp_path / "missing" / "x.csv")


# ----------------------------------------------------------------------------- damaged contents

DAMAGE = {
    "a facts column is missing": (
        "ALTER TABLE facts DROP COLUMN note",
        "(table facts has no column note)",
    ),
    "tags hold bad JSON": (
        "UPDATE facts SET tags = '[\"traffic\", ' WHERE id = 'f1'",
        "(table facts, row f1: tags is not valid JSON)",
    ),
    "a document has no text": (
        "UPDATE documents SET text = NULL WHERE id = 'd1'",
        "(table documents, row d1: text is empty (NULL))",
    ),
}


@pytest.mark.parametrize("case", list(DAMAGE))
def test_bad_cells_are_reported_as_damage_in_open_export_and_align(
    case: str, project: Path, story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sql, detail = DAMAGE[case]
    _edit(project, sql)
    before = _bytes_of(project)
    expected = f"P.factdesk: the project is damaged {detail}"
    with pytest.raises(ProjectDamagedError) as caught:
        Project.open(project)
    assert str(caught.value) == expected
    assert cli.main(["export", str(project), "-f", "csv"]) == 1
    assert cli.main(["align", str(story), "--project", str(project)]) == 1
    err = capsys.readouterr().err
    assert err.count(expected) == 2 and "Traceback" not in err
    assert _bytes_of(project) == before
    assert not (project.parent / "P.factdesk.lock").exists()


def test_sentences_outside_their_document_are_damage(project: Path) -> None:
    _edit(project, "UPDATE passages SET \"end\" = 100000 WHERE id = 'd0.s0'")
    with pytest.raises(ProjectDamagedError, match=r"table passages, row d0\.s0: start 0 and end"):
        Project.read(project)


# ----------------------------------------------------------------------------- migrations


def test_a_project_without_its_migrations_table_is_refused_and_left_as_it_was(
    project: Path, story: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit(project, "DROP TABLE migrations")
    before = _bytes_of(project)
    with pytest.raises(ProjectDamagedError) as caught:
        Project.open(project)
    assert str(caught.value) == (
        "P.factdesk: the project is damaged (the migrations table is missing, though the "
        f"file says format {store.SCHEMA_VERSION})"
    )
    with pytest.raises(ProjectDamagedError):
        Project.read(project)
    assert cli.main(["align", str(story), "--project", str(project)]) == 1
    assert "already exists" not in capsys.readouterr().err
    assert _bytes_of(project) == before


def test_an_older_project_with_damage_is_not_migrated_before_it_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.factdesk"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    store.migrate(store.Database(conn), path.name, store.MIGRATIONS[:3])
    conn.execute("INSERT INTO facts (id, position, statement, tags) VALUES ('f1', 0, 's', '{')")
    conn.close()
    before = _bytes_of(path)
    with pytest.raises(ProjectDamagedError, match="tags is not valid JSON"):
        Project.open(path)
    assert _bytes_of(path) == before


def test_a_project_from_a_newer_factdesk_is_not_touched(project: Path) -> None:
    _edit(project, "INSERT INTO migrations (name, applied_at) VALUES ('9999_future', 'later')")
    before = _bytes_of(project)
    with pytest.raises(store.ProjectVersionError):
        Project.open(project)
    assert _bytes_of(project) == before


# ----------------------------------------------------------------------------- read-only


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_read_only_project_opens_read_only_and_leaves_nothing_that_blocks_edits(
    project: Path,
) -> None:
    project.chmod(0o444)
    with Project.open(project) as opened:
        assert opened.read_only == "the file is read-only"
        assert len(opened.article_set.facts) == 2
        with pytest.raises(ProjectReadOnlyError, match="open read-only"):
            opened.upsert_fact(Fact(id="f3", statement="not saved"))
    assert Project.read(project).facts[0].id == "f1"
    assert _listing(project.parent) == ["P.factdesk"]
    project.chmod(0o644)
    with Project.open(project) as opened:
        assert opened.read_only == ""
        opened.upsert_fact(Fact(id="f3", statement="saved once writable again"))
    assert [f.id for f in Project.read(project).facts] == ["f1", "f2", "f3"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_read_only_write_ahead_files_left_by_older_versions_no_longer_block_edits(
    project: Path,
) -> None:
    # What an earlier FactDesk left after reading a read-only project.
    project.chmod(0o444)
    conn = sqlite3.connect(f"{project.as_uri()}?mode=ro", uri=True)
    conn.execute("SELECT COUNT(*) FROM facts").fetchone()
    conn.close()
    shm = project.parent / "P.factdesk-shm"
    assert not shm.stat().st_mode & 0o222
    project.chmod(0o644)
    with Project.open(project) as opened:
        assert opened.read_only == ""
        opened.upsert_fact(Fact(id="f3", statement="saved"))
        assert shm.stat().st_mode & 0o200  # made afresh, writable
    assert [f.id for f in Project.read(project).facts][-1] == "f3"


def test_a_project_on_a_read_only_file_system_opens_read_only_and_exports(
    project: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    real_open = os.open

    def read_only_fs(path: object, flags: int, *args: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and str(path).startswith(str(project)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", read_only_fs)
    before = _bytes_of(project)
    with Project.open(project) as opened:
        assert opened.read_only == "the file system is read-only"
        with pytest.raises(ProjectReadOnlyError):
            opened.delete_fact("f1")
    assert cli.main(["export", str(project), "-f", "csv"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("fact_id,") and "damaged" not in out.err
    assert _bytes_of(project) == before
    assert _listing(tmp_path) == ["P.factdesk"]


def test_a_project_on_a_really_read_only_file_system(
    tmp_path: Path, tiny_set: ArticleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    with _tiny_disk(tmp_path, "1m") as disk:
        path = disk / "P.factdesk"
        Project.create(path, tiny_set).close()
        remount = ["mount", "-o", "remount,ro", str(disk)]
        if subprocess.run(remount, capture_output=True, check=False).returncode != 0:
            pytest.skip("cannot remount read-only")
        with Project.open(path) as opened:
            assert opened.read_only == "it is on a read-only file system"
        assert cli.main(["export", str(path), "-f", "csv"]) == 0
        assert "damaged" not in capsys.readouterr().err


def test_the_session_says_when_its_project_is_read_only(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "filesystem_read_only", lambda path: True)
    session = Session()
    session.open_project(project)
    assert session.read_only == "it is on a read-only file system"
    with pytest.raises(ProjectError, match="read-only"):
        session.put_fact(Fact(id="f5", statement="kept in this window only"))
    session.close()
    assert Session().read_only == ""


# ----------------------------------------------------------------------------- disk errors


def test_a_full_disk_while_taking_the_lock_gives_a_message(
    project: Path, story: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    real_open = os.open
    real_write = os.write

    def no_space_for_lock(path: object, flags: int, *args: object) -> int:
        if str(path).endswith(".lock") and flags & os.O_CREAT:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    # Writing the pid into the lock file fails: the lock still holds.
    monkeypatch.setattr(os, "write", _enospc)
    with Project.open(project) as opened:
        assert opened.read_only == ""
    monkeypatch.setattr(os, "write", real_write)
    # The lock file cannot even be made: the project opens read-only, saying why.
    monkeypatch.setattr(os, "open", no_space_for_lock)
    with Project.open(project) as opened:
        assert opened.read_only == "the disk is full"
    with pytest.raises(ProjectError, match=r"cannot write the project \(the disk is full\)"):
        Project.create(project.with_name("new.factdesk"), Project.read(project))
    assert cli.main(["align", str(story), "--project", str(project.with_name("new.factdesk"))]) == 1
    assert "the disk is full" in capsys.readouterr().err


def test_a_full_disk_during_an_edit_says_so(project: Path) -> None:
    with Project.open(project) as opened:
        pages = opened.db.execute("PRAGMA page_count").fetchone()[0]
        opened.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(ProjectDiskError, match=r"could not be saved \(the disk is full\)"):
            opened.upsert_fact(Fact(id="f3", statement="x" * 200_000))
        opened.db.execute("PRAGMA max_page_count = 1073741823")
        opened.upsert_fact(Fact(id="f3", statement="fits"))


def test_disk_errors_are_named_not_called_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def error(code: int, text: str) -> sqlite3.OperationalError:
        exc = sqlite3.OperationalError(text)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        return exc

    where = tmp_path / "P.factdesk"
    monkeypatch.setattr(store, "disk_nearly_full", lambda path: False)
    assert store._sqlite_problem(error(13, "database or disk is full"), where) == (
        ProjectDiskError,
        "the disk is full",
    )
    kind, reason = store._sqlite_problem(error(10 | (4 << 8), "disk I/O error"), where)
    assert kind is ProjectDiskError and "disk I/O error" in reason
    monkeypatch.setattr(store, "disk_nearly_full", lambda path: True)
    assert store._sqlite_problem(error(10, "disk I/O error"), where)[1] == "the disk is full"
    monkeypatch.setattr(store, "filesystem_read_only", lambda path: True)
    assert store._sqlite_problem(error(14, "unable to open database file"), where) == (
        ProjectReadOnlyError,
        "it is on a read-only file system",
    )
    assert store._sqlite_problem(error(11, "database disk image is malformed"), where)[0] is (
        ProjectDamagedError
    )


def test_a_project_on_a_really_full_disk_opens_read_only_and_edits_say_the_disk_is_full(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    with _tiny_disk(tmp_path) as disk:
        path = disk / "P.factdesk"
        Project.create(path, tiny_set).close()
        with Project.open(path) as opened:
            _fill(disk)
            with pytest.raises(ProjectDiskError, match="the disk is full"):
                for i in range(200):
                    opened.upsert_fact(Fact(id=f"n{i}", statement="x" * 4000))
        with Project.open(path) as opened:
            assert opened.read_only in ("", "the disk is full")
        (disk / "filler").unlink()
        assert len(Project.read(path).facts) >= 2


# ----------------------------------------------------------------------------- killed saves

KILLED_SAVE = r"""
import os, signal, sys
from factdesk.core import store

def die(conn, article_set):
    conn.execute("INSERT INTO notes (position, text) VALUES (0, 'half-written')")
    os.kill(os.getpid(), signal.SIGKILL)

store._write_all = die
store.Project.create(sys.argv[1], store.ArticleSet())
"""


def _killed_save(path: Path) -> int:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([PACKAGE_ROOT, *sys.path]))
    child = subprocess.run(
        [sys.executable, "-c", KILLED_SAVE, str(path)],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    return int(next(p.name.split(".")[3] for p in path.parent.glob(f".{path.name}.*.tmp")))


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_leftovers_of_a_killed_save_are_removed_when_the_project_next_opens(
    project: Path,
) -> None:
    pid = _killed_save(project)
    leftovers = {f".P.factdesk.{pid}.tmp", f".P.factdesk.{pid}.tmp-journal"}
    assert leftovers <= set(_listing(project.parent))
    # a save still running in a live process is left alone
    live = project.with_name(f".P.factdesk.{os.getppid()}.tmp")
    live.write_bytes(b"")
    with Project.open(project) as opened:
        assert len(opened.article_set.facts) == 2
    assert _listing(project.parent) == sorted(["P.factdesk", live.name])


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_leftovers_of_a_killed_first_save_are_removed_by_the_next_save(
    tmp_path: Path, story: Path
) -> None:
    path = tmp_path / "new.factdesk"
    _killed_save(path)
    assert not path.exists()
    assert cli.main(["align", str(story), "--project", str(path)]) == 0
    assert _listing(tmp_path) == ["new.factdesk", "story.txt"]


def test_remove_stale_temps_keeps_files_of_other_targets(tmp_path: Path) -> None:
    target = tmp_path / "P.factdesk"
    others = [".P.factdesk.x.tmp", ".Q.factdesk.999999999.tmp", "P.factdesk.999999999.tmp"]
    for name in [*others, ".P.factdesk.999999999.tmp"]:
        (tmp_path / name).write_bytes(b"")
    removed = files.remove_stale_temps(target)
    assert [p.name for p in removed] == [".P.factdesk.999999999.tmp"]
    assert _listing(tmp_path) == sorted(others)
