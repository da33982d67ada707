"""FactDesk project files: one SQLite database per article set, through sqlite-utils.

A project keeps the documents exactly as loaded, their segmentation and alignment (so
opening a project never re-aligns), the editor's corrections and facts, and settings.

Every public method that changes data commits before it returns, in WAL mode with
``synchronous=FULL``, so a committed edit survives a crash or a power cut. Only one
FactDesk window may hold a project at a time: a sidecar ``<project>.lock`` file carries
an OS lock (released by the OS when the holder dies, so stale locks never block) and
the holder's pid for the error message.

The schema grows by named migrations applied in order and recorded in the
``migrations`` table; ``PRAGMA user_version`` mirrors how many have been applied.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from factdesk import __version__
from factdesk.core import corrections as edits
from factdesk.core.facts import reattach_facts
from factdesk.core.files import (
    SQLITE_MAGIC,
    describe_os_error,
    disk_nearly_full,
    filesystem_read_only,
    read_only_reason,
    remove_stale_temps,
    replacing,
    sqlite_kind,
)
from factdesk.core.model import (
    PROJECT_APPLICATION_ID,
    PROJECT_SUFFIX,
    Anchor,
    ArticleSet,
    Corrections,
    Derivation,
    Document,
    Fact,
    Group,
    Link,
    LoadError,
    Paragraph,
    Passage,
    Relation,
)
from factdesk.core.model import ProjectError as ProjectError  # callers catch it from here too

APPLICATION_ID = PROJECT_APPLICATION_ID
_SQLITE_MAGIC = SQLITE_MAGIC


class ProjectLockedError(ProjectError):
    """Another FactDesk process holds the project."""


class ProjectVersionError(ProjectError):
    """The project was written by a newer FactDesk."""


class ProjectDamagedError(ProjectError):
    """The file is not a FactDesk project, or its contents are damaged."""


class ProjectReadOnlyError(ProjectError):
    """The project cannot be changed (read-only file, folder or file system)."""

    reason = ""  # in plain words, e.g. "it is on a read-only file system"


class ProjectDiskError(ProjectError):
    """The disk is full, or reading or writing it failed; the project itself may be fine."""

    reason = ""  # in plain words, e.g. "the disk is full"


class _LockUnavailableError(ProjectError):
    """The lock file cannot be made (read-only folder or file system, full disk)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


# --------------------------------------------------------------------------- migrations

Migration = tuple[str, Callable[[Database], None]]


def _create(db: Database, name: str, columns: dict[str, Any], pk: str | tuple[str, ...]) -> None:
    # Only the SQL comes from sqlite-utils: executing it here keeps it inside the migration's
    # transaction with every sqlite-utils version (3.x commits inside Table.create).
    db.conn.execute(db.create_table_sql(name, columns, pk=pk))


def _index(db: Database, table: str, column: str) -> None:
    db.conn.execute(f'CREATE INDEX "idx_{table}_{column}" ON "{table}" ("{column}")')


def _m0001_documents_and_alignment(db: Database) -> None:
    _create(db, "meta", {"key": str, "value": str}, pk="key")
    _create(
        db,
        "documents",
        {
            "id": str,
            "position": int,
            "path": str,
            "name": str,
            "text": str,
            "sha256": str,
            "encoding": str,
            "format": str,
            "title": str,
            "date": str,
            "byline": str,
            "site": str,
            "errors": str,  # JSON list of notes about the file
        },
        pk="id",
    )
    _create(
        db, "paragraphs", {"id": str, "doc": str, "idx": int, "start": int, "end": int}, pk="id"
    )
    _create(
        db,
        "passages",
        {
            "id": str,
            "doc": str,
            "idx": int,
            "paragraph": int,
            "start": int,
            "end": int,
            "boilerplate": int,
            "boilerplate_reason": str,
            "kind": str,
        },
        pk="id",
    )
    _create(
        db,
        "links",
        {
            "position": int,
            "a": str,
            "b": str,
            "score": float,
            "relation": str,
            "source": str,
        },
        pk="position",
    )
    _create(db, "groups", {"id": str, "position": int}, pk="id")
    _create(
        db,
        "group_passages",
        {"group_id": str, "position": int, "passage": str},
        pk=("group_id", "position"),
    )
    _create(
        db,
        "derivation",
        {"position": int, "source": str, "derived": str, "share": float, "score": float},
        pk="position",
    )
    _create(db, "load_errors", {"position": int, "path": str, "message": str}, pk="position")
    _create(db, "notes", {"position": int, "text": str}, pk="position")
    _index(db, "passages", "doc")
    _index(db, "group_passages", "passage")


def _m0002_corrections_and_facts(db: Database) -> None:
    for name in ("forced_links", "forbidden_links"):
        _create(db, name, {"position": int, "a": str, "b": str}, pk="position")
    _create(db, "boilerplate_overrides", {"passage": str, "flag": int}, pk="passage")
    _create(
        db,
        "facts",
        {
            "id": str,
            "position": int,
            "statement": str,
            "origin": str,
            "status": str,
            "note": str,
            "tags": str,  # JSON list
            "created": str,
            "modified": str,
        },
        pk="id",
    )
    _create(
        db,
        "fact_anchors",
        {
            "fact_id": str,
            "position": int,
            "doc": str,
            "start": int,
            "end": int,
            "exact": str,
            "prefix": str,
            "suffix": str,
            "passage": str,
            "confirmed": int,
            "orphaned": int,
        },
        pk=("fact_id", "position"),
    )
    _index(db, "fact_anchors", "doc")


def _m0003_settings(db: Database) -> None:
    _create(db, "settings", {"key": str, "value": str}, pk="key")  # value is JSON


def _m0004_direction_and_spans(db: Database) -> None:
    # "unknown" marks a pair that shares text with no sign of which way it travelled
    db.conn.execute("ALTER TABLE derivation ADD COLUMN direction TEXT NOT NULL DEFAULT 'known'")
    # the corresponding parts of two linked passages, as JSON, when only a clause matches
    db.conn.execute("ALTER TABLE links ADD COLUMN spans TEXT")


def _m0005_document_wire(db: Database) -> None:
    # the slug metadata of wire copy as a JSON object; "" for other documents
    db.conn.execute("ALTER TABLE documents ADD COLUMN wire TEXT NOT NULL DEFAULT ''")


#: Applied in order; append new ones, never edit or reorder applied ones.
MIGRATIONS: list[Migration] = [
    ("0001_documents_and_alignment", _m0001_documents_and_alignment),
    ("0002_corrections_and_facts", _m0002_corrections_and_facts),
    ("0003_settings", _m0003_settings),
    ("0004_direction_and_spans", _m0004_direction_and_spans),
    ("0005_document_wire", _m0005_document_wire),
]
SCHEMA_VERSION = len(MIGRATIONS)

_DERIVED_TABLES = (
    "documents",
    "paragraphs",
    "passages",
    "links",
    "groups",
    "group_passages",
    "derivation",
    "load_errors",
    "notes",
)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@contextlib.contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction: everything inside commits together or not at all."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        # SQLite may already have rolled back (disk full, I/O error)
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def applied_migrations(db: Database) -> list[str]:
    """Names of the migrations recorded in the project, in the order they were applied."""
    if not db.table("migrations").exists():
        return []
    return [str(row[0]) for row in db.execute("SELECT name FROM migrations ORDER BY id")]


def check_version(db: Database, name: str, migrations: list[Migration] | None = None) -> None:
    """Refuse a project this FactDesk cannot safely migrate; reads only, never writes.

    Raises ``ProjectVersionError`` when the file records migrations this FactDesk does
    not know (a newer version wrote it), and ``ProjectDamagedError`` when its record of
    migrations is missing or does not match its format number.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    known = [m[0] for m in migrations]
    applied = applied_migrations(db)
    user_version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if any(a not in known for a in applied) or user_version > len(migrations):
        found = max(user_version, len(applied))
        raise ProjectVersionError(
            f"{name} was saved by a newer version of FactDesk (project format {found}; "
            f"this version reads formats up to {len(migrations)}). "
            "Update FactDesk to open it."
        )
    if applied != known[: len(applied)]:
        raise _damaged_project(name, "the migrations table lists its migrations out of order")
    if user_version > len(applied):
        what = "is missing" if not db.table("migrations").exists() else "lacks entries"
        raise _damaged_project(
            name, f"the migrations table {what}, though the file says format {user_version}"
        )
    if not applied:
        tables = {str(row[0]) for row in db.execute("SELECT name FROM sqlite_master")}
        if tables & {"meta", "documents", "facts"}:
            raise _damaged_project(name, "the migrations table is missing")


def migrate(db: Database, name: str, migrations: list[Migration] | None = None) -> list[str]:
    """Apply pending migrations, each in its own transaction; return the names applied.

    Checks first (see ``check_version``): a project it refuses is left as it was.
    """
    migrations = MIGRATIONS if migrations is None else migrations
    check_version(db, name, migrations)
    applied = applied_migrations(db)
    done: list[str] = []
    if len(applied) == len(migrations):
        return done
    if not db.table("migrations").exists():
        _create(db, "migrations", {"id": int, "name": str, "applied_at": str}, pk="id")
    for number, (migration_name, function) in enumerate(migrations, start=1):
        if migration_name in applied:
            continue
        with _transaction(db.conn):
            function(db)
            db.conn.execute(
                "INSERT INTO migrations (name, applied_at) VALUES (?, ?)",
                (migration_name, _now()),
            )
            db.conn.execute(f"PRAGMA user_version = {number}")
        done.append(migration_name)
    return done


# --------------------------------------------------------------------------- locking


class _ProjectLock:
    """Exclusive hold on a project through an OS lock on ``<project>.lock``.

    The OS drops the lock when its holder exits or crashes, so a lock file left by a
    dead process is simply taken over. The file also records the holder's pid.
    """

    def __init__(self, project: Path) -> None:
        self.path = project.with_name(project.name + ".lock")
        self.project_name = project.name
        self._fd: int | None = None

    def _holder(self) -> str:
        try:
            with self.path.open("rb") as handle:
                handle.seek(1)  # byte 0 may be locked (Windows locks are mandatory)
                pid = handle.read(32).decode("ascii", errors="replace").strip()
        except OSError:
            return "unknown"
        return pid or "unknown"

    def _locked(self) -> ProjectLockedError:
        return ProjectLockedError(
            f"{self.project_name} is already open in another FactDesk window (pid {self._holder()})"
        )

    def acquire(self) -> None:
        for _ in range(5):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                reason = describe_os_error(exc, self.path)
                raise _LockUnavailableError(
                    f"{self.project_name}: cannot create the lock file {self.path.name} ({reason})",
                    reason,
                ) from exc
            if not _try_lock(fd):
                os.close(fd)
                raise self._locked()
            # Another holder may have removed the file between our open and lock; then the
            # lock we hold is on an orphan inode and protects nothing, so start again.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.path))
            except OSError:
                same = False
            if not same:
                os.close(fd)
                continue
            # Byte 0 carries the Windows lock, so the pid starts after it. The pid only
            # serves the message others get: a full disk must not stop the lock.
            with contextlib.suppress(OSError):
                os.lseek(fd, 0, os.SEEK_SET)
                os.ftruncate(fd, 0)
                os.write(fd, f" {os.getpid()}\n".encode("ascii"))
            self._fd = fd
            return
        raise self._locked()

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        if sys.platform != "win32":
            # Remove while still holding the lock; acquire() re-checks the inode.
            with contextlib.suppress(OSError):
                os.unlink(self.path)
        os.close(fd)  # closing drops the OS lock
        if sys.platform == "win32":
            with contextlib.suppress(OSError):
                os.unlink(self.path)


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False
        return True


# --------------------------------------------------------------------------- checks


def _damaged(name: str, detail: str) -> ProjectError:
    return ProjectDamagedError(
        f"{name}: not a FactDesk project or the file is damaged ({_first_problem([detail])})"
    )


def _damaged_project(name: str, detail: str) -> ProjectError:
    """A FactDesk project (by its mark) whose contents cannot be used."""
    return ProjectDamagedError(f"{name}: the project is damaged ({detail})")


# Primary SQLite result codes (the low byte of the extended code)
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14


def _sqlite_problem(exc: sqlite3.Error, path: Path | None) -> tuple[type[ProjectError], str]:
    """What an SQLite error means for the editor: the kind of problem and plain words.

    Only a corrupt or foreign file is "damaged"; a full disk, an I/O error or a read-only
    file system is said as such, since the project itself may be fine.
    """
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    text = str(exc)
    if primary == _SQLITE_FULL or "disk is full" in text:
        return ProjectDiskError, "the disk is full"
    if primary == _SQLITE_IOERR or "disk I/O error" in text:
        if path is not None and disk_nearly_full(path):
            return ProjectDiskError, "the disk is full"
        return ProjectDiskError, "a read or write error on the disk (disk I/O error)"
    if primary == _SQLITE_READONLY or "readonly database" in text:
        reason = (read_only_reason(path) if path is not None else "") or "it is read-only"
        return ProjectReadOnlyError, reason
    if primary == _SQLITE_CANTOPEN or "unable to open database" in text:
        if path is not None and filesystem_read_only(path):
            return ProjectReadOnlyError, "it is on a read-only file system"
        if path is not None and not os.access(path, os.R_OK):
            return ProjectError, "permission denied"
        if path is not None and disk_nearly_full(path):
            return ProjectDiskError, "the disk is full"
        return ProjectError, f"the file cannot be opened ({text})"
    return ProjectDamagedError, text


def _save_failed(what: str, exc: sqlite3.Error, path: Path | None) -> ProjectError:
    """``what`` ("x: cannot write the project") and why; a failed write says nothing of the
    file's health, so it is never called damage."""
    kind, reason = _sqlite_problem(exc, path)
    if kind is ProjectDamagedError:
        kind = ProjectError
    return kind(f"{what} ({reason})")


def _open_failed(name: str, exc: sqlite3.Error, path: Path | None) -> ProjectError:
    kind, reason = _sqlite_problem(exc, path)
    if kind is ProjectDamagedError:
        return _damaged(name, reason)
    error = kind(f"{name}: cannot open the project ({reason})")
    if isinstance(error, ProjectDiskError | ProjectReadOnlyError):
        error.reason = reason
    return error


def _check_header(path: Path) -> None:
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except FileNotFoundError:
        raise ProjectError(f"{path.name}: no such project file") from None
    except OSError as exc:
        raise ProjectError(
            f"{path.name}: cannot read the project ({describe_os_error(exc, path)})"
        ) from exc
    if header != _SQLITE_MAGIC:
        detail = "the file is empty" if not header else "not an SQLite database"
        raise _damaged(path.name, detail)


def _check_database(db: Database, name: str, path: Path | None = None) -> None:
    """Reject SQLite files that are damaged or belong to another program."""
    try:
        app_id = int(db.execute("PRAGMA application_id").fetchone()[0])
        if app_id != APPLICATION_ID:
            raise _damaged(name, "an SQLite database made by another program")
        result = [str(row[0]) for row in db.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        raise _open_failed(name, exc, path) from exc
    if result != ["ok"]:
        raise _damaged(name, "\n".join(result))


def _first_problem(report: list[str]) -> str:
    """The first line of an SQLite error or integrity report, short enough for a message box."""
    for row in report:
        for line in row.splitlines():
            line = line.strip()
            if line and not line.startswith("***"):
                return line if len(line) <= 100 else line[:99] + "…"
    return "the database failed its integrity check"


def _configure(conn: sqlite3.Connection) -> None:
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")


def _connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    # isolation_level=None: FactDesk issues BEGIN/COMMIT itself, so nothing commits behind its back.
    return sqlite3.connect(target, uri=uri, isolation_level=None, check_same_thread=False)


def _companion(target: Path, suffix: str) -> Path:
    return target.with_name(target.name + suffix)


def _snapshot(target: Path, *, locked: bool, quiet: bool = False) -> sqlite3.Connection:
    """The project copied into memory through a read-only connection.

    Nothing is written to the project. Without unsaved write-ahead data, and when nobody
    can be writing (this process holds the project: ``locked``; the file is read-only;
    or ``quiet`` says so), the file is read as immutable, which makes no ``-wal``/``-shm``
    files at all. Otherwise such files that the read had to make are removed again when
    this process holds the project.
    """
    wal, shm = _companion(target, "-wal"), _companion(target, "-shm")
    existed = {path: path.exists() for path in (wal, shm)}
    try:
        pending = wal.stat().st_size > 0
    except FileNotFoundError:
        pending = False
    except OSError:
        pending = True
    quiet = quiet or locked or bool(read_only_reason(target))
    query = "immutable=1" if quiet and not pending else "mode=ro"
    snapshot = _connect(":memory:")
    try:
        source = _connect(f"{target.as_uri()}?{query}", uri=True)
        try:
            source.backup(snapshot)
        finally:
            source.close()
    except BaseException:
        snapshot.close()
        raise
    finally:
        if locked:
            for path, was_there in existed.items():
                if not was_there:
                    with contextlib.suppress(OSError):
                        path.unlink()
    return snapshot


def _clear_blocking_companions(target: Path) -> None:
    """Write-ahead files a read-only open made (with the file's read-only permissions)
    would keep refusing edits after the file is made writable again. With the project
    held, nobody uses them: the index (``-shm``) is rebuilt on open, and an empty log
    (``-wal``) holds nothing, so both can go; a log with data is made writable."""
    try:
        mode = target.stat().st_mode & 0o666
    except OSError:
        return
    for suffix in ("-shm", "-wal"):
        path = _companion(target, suffix)
        try:
            info = path.stat()
        except OSError:
            continue
        if os.access(path, os.W_OK) and info.st_mode & 0o200:
            continue
        with contextlib.suppress(OSError):
            if suffix == "-shm" or info.st_size == 0:
                path.unlink()
            else:
                os.chmod(path, mode | 0o200)


# --------------------------------------------------------------------------- rows


def _insert(conn: sqlite3.Connection, table: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        [tuple(row[c] for c in columns) for row in rows],
    )


def _write_derived(conn: sqlite3.Connection, article_set: ArticleSet) -> None:
    for table in _DERIVED_TABLES:
        conn.execute(f'DELETE FROM "{table}"')
    _insert(
        conn,
        "documents",
        [
            {
                "id": d.id,
                "position": i,
                "path": d.path,
                "name": d.name,
                "text": d.text,
                "sha256": d.sha256,
                "encoding": d.encoding,
                "format": d.format,
                "title": d.title,
                "date": d.date,
                "byline": d.byline,
                "site": d.site,
                "errors": json.dumps(d.errors, ensure_ascii=False),
                "wire": json.dumps(d.wire, ensure_ascii=False) if d.wire else "",
            }
            for i, d in enumerate(article_set.documents)
        ],
    )
    _insert(
        conn,
        "paragraphs",
        [
            {"id": p.id, "doc": p.doc, "idx": p.index, "start": p.start, "end": p.end}
            for p in article_set.paragraphs
        ],
    )
    _insert(
        conn,
        "passages",
        [
            {
                "id": p.id,
                "doc": p.doc,
                "idx": p.index,
                "paragraph": p.paragraph,
                "start": p.start,
                "end": p.end,
                "boilerplate": int(p.boilerplate),
                "boilerplate_reason": p.boilerplate_reason,
                "kind": p.kind,
            }
            for p in article_set.passages
        ],
    )
    _insert(
        conn,
        "links",
        [
            {
                "position": i,
                "a": link.a,
                "b": link.b,
                "score": float(link.score),
                "relation": link.relation,
                "source": link.source,
                "spans": json.dumps(link.spans) if link.spans else None,
            }
            for i, link in enumerate(article_set.links)
        ],
    )
    _insert(conn, "groups", [{"id": g.id, "position": i} for i, g in enumerate(article_set.groups)])
    _insert(
        conn,
        "group_passages",
        [
            {"group_id": g.id, "position": j, "passage": passage}
            for g in article_set.groups
            for j, passage in enumerate(g.passages)
        ],
    )
    _insert(
        conn,
        "derivation",
        [
            {
                "position": i,
                "source": d.source,
                "derived": d.derived,
                "share": float(d.share),
                "score": float(d.score),
                "direction": d.direction,
            }
            for i, d in enumerate(article_set.derivation)
        ],
    )
    _insert(
        conn,
        "load_errors",
        [
            {"position": i, "path": e.path, "message": e.message}
            for i, e in enumerate(article_set.errors)
        ],
    )
    _insert(
        conn, "notes", [{"position": i, "text": note} for i, note in enumerate(article_set.notes)]
    )


def _write_corrections(conn: sqlite3.Connection, corrections: Corrections) -> None:
    for table in ("forced_links", "forbidden_links", "boilerplate_overrides"):
        conn.execute(f'DELETE FROM "{table}"')
    _insert(
        conn,
        "forced_links",
        [{"position": i, "a": a, "b": b} for i, (a, b) in enumerate(corrections.forced_links)],
    )
    _insert(
        conn,
        "forbidden_links",
        [{"position": i, "a": a, "b": b} for i, (a, b) in enumerate(corrections.forbidden_links)],
    )
    _insert(
        conn,
        "boilerplate_overrides",
        [{"passage": k, "flag": int(v)} for k, v in sorted(corrections.boilerplate.items())],
    )


def _write_fact(conn: sqlite3.Connection, fact: Fact) -> None:
    row = conn.execute("SELECT position FROM facts WHERE id = ?", (fact.id,)).fetchone()
    if row is None:
        top = conn.execute("SELECT COALESCE(MAX(position), -1) FROM facts").fetchone()
        position = int(top[0]) + 1
    else:
        position = int(row[0])
    conn.execute("DELETE FROM fact_anchors WHERE fact_id = ?", (fact.id,))
    conn.execute("DELETE FROM facts WHERE id = ?", (fact.id,))
    _insert(
        conn,
        "facts",
        [
            {
                "id": fact.id,
                "position": position,
                "statement": fact.statement,
                "origin": fact.origin,
                "status": fact.status,
                "note": fact.note,
                "tags": json.dumps(fact.tags, ensure_ascii=False),
                "created": fact.created,
                "modified": fact.modified,
            }
        ],
    )
    _insert(
        conn,
        "fact_anchors",
        [
            {
                "fact_id": fact.id,
                "position": i,
                "doc": a.doc,
                "start": a.start,
                "end": a.end,
                "exact": a.exact,
                "prefix": a.prefix,
                "suffix": a.suffix,
                "passage": a.passage,
                "confirmed": int(a.confirmed),
                "orphaned": int(a.orphaned),
            }
            for i, a in enumerate(fact.anchors)
        ],
    )


def _write_all(conn: sqlite3.Connection, article_set: ArticleSet) -> None:
    _write_derived(conn, article_set)
    _write_corrections(conn, article_set.corrections)
    conn.execute("DELETE FROM fact_anchors")
    conn.execute("DELETE FROM facts")
    for fact in article_set.facts:
        _write_fact(conn, fact)


class _BadCellError(Exception):
    """A row that cannot be read back; reported as damage naming its table and row."""


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


_TEXT, _INT, _NUM = "text", "integer", "number"
#: What each table must hold: (column, kind, default); a default of None means the value
#: is needed, and a NULL there is damage. Others stand in for a NULL.
_CELLS: dict[str, tuple[tuple[str, str, object], ...]] = {
    "documents": (
        ("id", _TEXT, None),
        ("path", _TEXT, ""),
        ("name", _TEXT, ""),
        ("text", _TEXT, None),
        ("sha256", _TEXT, ""),
        ("encoding", _TEXT, ""),
        ("format", _TEXT, "txt"),
        ("title", _TEXT, ""),
        ("date", _TEXT, ""),
        ("byline", _TEXT, ""),
        ("site", _TEXT, ""),
        ("errors", _TEXT, ""),
        ("wire", _TEXT, ""),
    ),
    "paragraphs": (
        ("id", _TEXT, None),
        ("doc", _TEXT, None),
        ("idx", _INT, None),
        ("start", _INT, None),
        ("end", _INT, None),
    ),
    "passages": (
        ("id", _TEXT, None),
        ("doc", _TEXT, None),
        ("idx", _INT, None),
        ("paragraph", _INT, None),
        ("start", _INT, None),
        ("end", _INT, None),
        ("boilerplate", _INT, 0),
        ("boilerplate_reason", _TEXT, ""),
        ("kind", _TEXT, "sentence"),
    ),
    "links": (
        ("a", _TEXT, None),
        ("b", _TEXT, None),
        ("score", _NUM, None),
        ("relation", _TEXT, ""),
        ("source", _TEXT, "auto"),
        ("spans", _TEXT, ""),
    ),
    "groups": (("id", _TEXT, None),),
    "group_passages": (("group_id", _TEXT, None), ("passage", _TEXT, None)),
    "derivation": (
        ("source", _TEXT, None),
        ("derived", _TEXT, None),
        ("share", _NUM, None),
        ("score", _NUM, None),
        ("direction", _TEXT, "known"),
    ),
    "load_errors": (("path", _TEXT, ""), ("message", _TEXT, "")),
    "notes": (("text", _TEXT, ""),),
    "forced_links": (("a", _TEXT, None), ("b", _TEXT, None)),
    "forbidden_links": (("a", _TEXT, None), ("b", _TEXT, None)),
    "boilerplate_overrides": (("passage", _TEXT, None), ("flag", _INT, 0)),
    "fact_anchors": (
        ("fact_id", _TEXT, None),
        ("doc", _TEXT, None),
        ("start", _INT, None),
        ("end", _INT, None),
        ("exact", _TEXT, ""),
        ("prefix", _TEXT, ""),
        ("suffix", _TEXT, ""),
        ("passage", _TEXT, ""),
        ("confirmed", _INT, 0),
        ("orphaned", _INT, 0),
    ),
    "facts": (
        ("id", _TEXT, None),
        ("statement", _TEXT, ""),
        ("origin", _TEXT, ""),
        ("status", _TEXT, "unreviewed"),
        ("note", _TEXT, ""),
        ("tags", _TEXT, ""),
        ("created", _TEXT, ""),
        ("modified", _TEXT, ""),
    ),
}
#: The order rows are read in, and the columns naming a row in damage reports.
_ORDER = {
    "group_passages": "group_id, position",
    "fact_anchors": "fact_id, position",
    "boilerplate_overrides": "passage",
    "paragraphs": "",
    "passages": "",
}
_KEYS: dict[str, tuple[str, ...]] = {
    "group_passages": ("group_id", "position"),
    "fact_anchors": ("fact_id", "position"),
    "boilerplate_overrides": ("passage",),
}
_TYPES = {_TEXT: ("text",), _INT: ("integer",), _NUM: ("integer", "real")}
_PROBLEMS = {
    "null": "is empty (NULL)",
    "blob": "holds binary data",
    "text": "holds text where a number belongs",
    "real": "is not a whole number",
    "integer": "holds a number where text belongs",
}


def _quote(value: object) -> str:
    return str(value) if isinstance(value, int) else "'" + str(value).replace("'", "''") + "'"


def _cells(db: Database, table: str) -> list[tuple[Any, ...]]:
    """The table's rows, each value checked for its kind in SQL (one pass, no Python per
    cell); a NULL with a default comes back as the default."""
    spec = _CELLS[table]
    key = _KEYS.get(table) or (("id",) if spec[0][0] == "id" else ("position",))
    allowed = {
        column: (*_TYPES[kind], *(("null",) if default is not None else ()))
        for column, kind, default in spec
    }
    bad = " OR ".join(
        f'typeof("{column}") NOT IN ({", ".join(_quote(t) for t in types)})'
        for column, types in allowed.items()
    )
    keys = ", ".join(f'"{k}"' for k in key)
    kinds = ", ".join(f'typeof("{column}")' for column in allowed)
    row = db.execute(f'SELECT {keys}, {kinds} FROM "{table}" WHERE {bad} LIMIT 1').fetchone()
    if row is not None:
        where = ", ".join(_short(v) for v in row[: len(key)])
        for (column, types), found in zip(allowed.items(), row[len(key) :], strict=True):
            if found not in types:
                problem = _PROBLEMS.get(str(found), "holds a value of the wrong kind")
                raise _BadCellError(f"table {table}, row {where}: {column} {problem}")
    columns = ", ".join(
        f'"{column}"' if default is None else f'COALESCE("{column}", {_quote(default)})'
        for column, _kind, default in spec
    )
    order = _ORDER.get(table, "position")
    sql = f'SELECT {columns}, {keys} FROM "{table}"' + (f" ORDER BY {order}" if order else "")
    return db.execute(sql).fetchall()


def _json_cell(table: str, key: object, column: str, raw: str, kind: type) -> Any:
    if not raw:
        return kind()
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        value = None
        problem = "is not valid JSON"
    else:
        problem = f"holds JSON of the wrong kind (not a {kind.__name__})"
    if not isinstance(value, kind):
        raise _BadCellError(f"table {table}, row {_short(key)}: {column} {problem}")
    return value


def _strings(table: str, key: object, column: str, raw: str) -> list[str]:
    items = _json_cell(table, key, column, raw, list)
    if not all(isinstance(item, str | int | float) for item in items):
        raise _BadCellError(
            f"table {table}, row {_short(key)}: {column} holds a list of something other than text"
        )
    return [str(item) for item in items]


def _spans(key: object, raw: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    if not raw:
        return None
    value = _json_cell("links", key, "spans", raw, list)
    try:
        (a0, a1), (b0, b1) = value
        return ((int(a0), int(a1)), (int(b0), int(b1)))
    except (TypeError, ValueError):
        raise _BadCellError(
            f"table links, row {_short(key)}: spans is not a pair of ranges"
        ) from None


@functools.cache
def _expected_columns() -> dict[str, tuple[str, ...]]:
    """Every table of a current project and its columns, from the migrations themselves."""
    conn = _connect(":memory:")
    try:
        migrate(Database(conn), ":memory:")
        tables = [
            str(r[0])
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not str(r[0]).startswith("sqlite_")
        ]
        return {
            t: tuple(str(r[1]) for r in conn.execute(f'PRAGMA table_info("{t}")')) for t in tables
        }
    finally:
        conn.close()


def _check_schema(db: Database) -> None:
    present = {str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table, columns in _expected_columns().items():
        if table not in present:
            raise _BadCellError(f"table {table} is missing")
        have = {str(r[1]) for r in db.execute(f'PRAGMA table_info("{table}")')}
        missing = [c for c in columns if c not in have]
        if missing:
            raise _BadCellError(f"table {table} has no column {missing[0]}")


def _relation(value: str) -> Relation:
    return "same" if value == "same" else "related"


def _read_article_set(db: Database, name: str) -> ArticleSet:
    """Rebuild the whole article set from the tables, without re-aligning anything.

    Raises ``ProjectDamagedError`` naming the table and row of any cell that cannot be
    read back (a missing column, a NULL where a value is needed, broken JSON, a sentence
    pointing outside its document).
    """
    try:
        _check_schema(db)
        result = _article_set_rows(db)
        _check_references(result)
    except _BadCellError as exc:
        raise _damaged_project(name, str(exc)) from None
    return result


def _article_set_rows(db: Database) -> ArticleSet:
    result = ArticleSet()
    for r in _cells(db, "documents"):
        errors = _strings("documents", r[0], "errors", r[11])
        wire = _json_cell("documents", r[0], "wire", r[12], dict)
        result.documents.append(
            Document(
                id=r[0],
                path=r[1],
                name=r[2],
                text=r[3],
                sha256=r[4],
                encoding=r[5],
                format=r[6],
                title=r[7],
                date=r[8],
                byline=r[9],
                site=r[10],
                errors=errors,
                wire={str(k): str(v) for k, v in wire.items()},
            )
        )
    doc_order = {d.id: i for i, d in enumerate(result.documents)}
    last = len(doc_order)
    paragraphs = [
        Paragraph(id=r[0], doc=r[1], index=r[2], start=r[3], end=r[4])
        for r in _cells(db, "paragraphs")
    ]
    result.paragraphs = sorted(paragraphs, key=lambda p: (doc_order.get(p.doc, last), p.index))
    passages = [
        Passage(
            id=r[0],
            doc=r[1],
            index=r[2],
            paragraph=r[3],
            start=r[4],
            end=r[5],
            boilerplate=bool(r[6]),
            boilerplate_reason=r[7],
            kind=r[8],
        )
        for r in _cells(db, "passages")
    ]
    result.passages = sorted(passages, key=lambda p: (doc_order.get(p.doc, last), p.index))
    result.links = [
        Link(
            a=r[0],
            b=r[1],
            score=float(r[2]),
            relation=_relation(r[3]),
            source=r[4],
            spans=_spans(r[6], r[5]),
        )
        for r in _cells(db, "links")
    ]
    members: dict[str, list[str]] = {}
    for r in _cells(db, "group_passages"):
        members.setdefault(r[0], []).append(r[1])
    result.groups = [Group(id=r[0], passages=members.get(r[0], [])) for r in _cells(db, "groups")]
    result.derivation = [
        Derivation(source=r[0], derived=r[1], share=float(r[2]), score=float(r[3]), direction=r[4])
        for r in _cells(db, "derivation")
    ]
    result.errors = [LoadError(path=r[0], message=r[1]) for r in _cells(db, "load_errors")]
    result.notes = [r[0] for r in _cells(db, "notes")]
    result.corrections = Corrections(
        forced_links=[(r[0], r[1]) for r in _cells(db, "forced_links")],
        forbidden_links=[(r[0], r[1]) for r in _cells(db, "forbidden_links")],
        boilerplate={r[0]: bool(r[1]) for r in _cells(db, "boilerplate_overrides")},
    )
    anchors: dict[str, list[Anchor]] = {}
    for r in _cells(db, "fact_anchors"):
        anchors.setdefault(r[0], []).append(
            Anchor(
                doc=r[1],
                start=r[2],
                end=r[3],
                exact=r[4],
                prefix=r[5],
                suffix=r[6],
                passage=r[7],
                confirmed=bool(r[8]),
                orphaned=bool(r[9]),
            )
        )
    result.facts = [
        Fact(
            id=r[0],
            statement=r[1],
            anchors=anchors.get(r[0], []),
            origin=r[2],
            status=r[3],
            note=r[4],
            tags=_strings("facts", r[0], "tags", r[5]),
            created=r[6],
            modified=r[7],
        )
        for r in _cells(db, "facts")
    ]
    return result


def _check_references(result: ArticleSet) -> None:
    """Sentences and paragraphs lie inside their documents (the views cut the text there)."""
    lengths = {d.id: len(d.text) for d in result.documents}
    for table, items in (("paragraphs", result.paragraphs), ("passages", result.passages)):
        for item in items:
            length = lengths.get(item.doc)
            if length is not None and not 0 <= item.start <= item.end <= length:
                raise _BadCellError(
                    f"table {table}, row {_short(item.id)}: start {item.start} and end "
                    f"{item.end} lie outside document {_short(item.doc)}"
                )


# --------------------------------------------------------------------------- project


def _held_snapshot(target: Path) -> Database:
    """The project copied into memory, holding it meanwhile when nobody else does."""
    lock = _ProjectLock(target)
    held = quiet = False
    try:
        lock.acquire()
        held = quiet = True
    except _LockUnavailableError:
        quiet = True  # no lock file could be made here, so nobody holds one
    except ProjectError:
        pass  # a window holds it and may be writing
    try:
        return Database(_snapshot(target, locked=held, quiet=quiet))
    except sqlite3.Error as exc:
        raise _open_failed(target.name, exc, target) from exc
    finally:
        if held:
            lock.release()


def _checked_article_set(db: Database, name: str) -> ArticleSet:
    """The article set of an in-memory copy of a project, after every check: what made
    it, its integrity, its format (migrated in memory when older) and its contents."""
    try:
        _check_database(db, name)
        migrate(db, name)
        return _read_article_set(db, name)
    except sqlite3.Error as exc:
        raise _open_failed(name, exc, None) from exc


def is_project(path: str | Path) -> bool:
    """True for a FactDesk project file (by suffix, or an SQLite file under any name)."""
    p = Path(path)
    return p.suffix.lower() == PROJECT_SUFFIX or (p.is_file() and bool(sqlite_kind(p)))


def overwrite_problem(path: str | Path) -> str | None:
    """Why a new project must not be written at ``path``, or None when it may be.

    A new file, or a project holding nothing but an alignment, may be replaced. Anything
    else (an article, another program's database, a project with the editor's facts or
    corrections) is kept, since writing the project would destroy it.
    """
    path = Path(path)
    if not path.exists():
        return None
    if path.is_dir():
        return f"{path}: is a folder, not a project file"
    try:
        with path.open("rb") as handle:
            header = handle.read(len(_SQLITE_MAGIC))
    except OSError as exc:
        return f"{path}: cannot read it to check what it holds ({exc.strerror or exc})"
    if not header:
        return None
    keep = "FactDesk will not overwrite it; choose another file name"
    if header != _SQLITE_MAGIC:
        return f"{path}: exists and is not a FactDesk project; {keep}"
    try:
        existing = Project.read(path)
    except ProjectError as exc:
        return f"{exc}; {keep}"
    corrections = existing.corrections
    if (
        existing.facts
        or corrections.forced_links
        or corrections.forbidden_links
        or corrections.boilerplate
    ):
        return (
            f"{path}: this project holds {len(existing.facts)} facts and the editor's "
            f"corrections; {keep}, or open it with `factdesk open`"
        )
    return None


class Project:
    """An open project file. Use ``Project.create`` or ``Project.open``; call ``close()``.

    ``read_only`` is "" for a project open for editing, else the reason it cannot be
    changed (a read-only file, folder or file system, a full disk); every edit then
    raises ``ProjectReadOnlyError`` and the file is never written.
    """

    def __init__(
        self,
        path: Path | None,
        db: Database,
        lock: _ProjectLock | None,
        *,
        read_only: str = "",
    ) -> None:
        self.path = path
        self.db = db
        self._lock = lock
        self._closed = False
        self.read_only = read_only
        self.article_set = ArticleSet()

    @property
    def name(self) -> str:
        return self.path.name if self.path is not None else ":memory:"

    # ----------------------------------------------------------------- create / open

    @classmethod
    def create(cls, path: str | Path, article_set: ArticleSet) -> Project:
        """Write ``article_set`` (alignment, corrections and facts) to a new project file.

        An existing file at ``path`` is replaced only once the new one is complete: it is
        written beside it and moved over it in one atomic rename. ``":memory:"`` gives a
        project that lives only in memory.
        """
        if str(path) == ":memory:":
            db = Database(_connect(":memory:"))
            _configure(db.conn)
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            migrate(db, ":memory:")
            with _transaction(db.conn):
                _write_all(db.conn, article_set)
                _set_meta(db.conn, {"created": _now()})
            project = cls(None, db, None)
            project.article_set = article_set
            return project

        target = Path(path).absolute()
        lock = _ProjectLock(target)
        try:
            lock.acquire()
        except _LockUnavailableError as exc:
            raise ProjectError(f"{target.name}: cannot write the project ({exc.reason})") from exc
        try:
            with replacing(target) as temp:  # also removes what killed writers left
                conn = _connect(str(temp))
                try:
                    db = Database(conn)
                    conn.execute("PRAGMA synchronous = FULL")
                    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                    migrate(db, target.name)
                    with _transaction(conn):
                        _write_all(conn, article_set)
                        _set_meta(conn, {"created": _now()})
                finally:
                    conn.close()
                # Write-ahead files of an older project at this path would be replayed into
                # the new one; we hold the lock, so nobody else is using them.
                for extra in ("-wal", "-shm", "-journal"):
                    _companion(target, extra).unlink(missing_ok=True)
            project = cls._attach(target, lock)
        except sqlite3.Error as exc:
            lock.release()
            raise _save_failed(f"{target.name}: cannot write the project", exc, target) from exc
        except OSError as exc:
            lock.release()
            raise ProjectError(
                f"{target.name}: cannot write the project ({describe_os_error(exc, target)})"
            ) from exc
        except BaseException:
            lock.release()
            raise
        project.article_set = article_set
        return project

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open an existing project; ``.article_set`` is rebuilt from the file.

        Everything is checked through a read-only connection before anything is written,
        so a project that is refused stays exactly as it was. A project that cannot be
        changed opens read-only (see ``read_only``). Leftovers of a killed save are
        removed. Raises ``ProjectLockedError`` if another FactDesk holds it,
        ``ProjectVersionError`` if a newer FactDesk wrote it, ``ProjectDamagedError`` if
        it is not a readable project and ``ProjectDiskError`` when the disk fails.
        """
        target = Path(path).absolute()
        _check_header(target)
        reason = read_only_reason(target)
        if reason:
            return cls._open_read_only(target, reason)
        lock = _ProjectLock(target)
        try:
            lock.acquire()
        except _LockUnavailableError as exc:
            return cls._open_read_only(target, exc.reason)
        try:
            remove_stale_temps(target)
            _clear_blocking_companions(target)
            snapshot = Database(_snapshot(target, locked=True))
        except sqlite3.Error as exc:
            lock.release()
            raise _open_failed(target.name, exc, target) from exc
        except BaseException:
            lock.release()
            raise
        try:
            article_set = _checked_article_set(snapshot, target.name)
            companions = [_companion(target, suffix) for suffix in ("-wal", "-shm")]
            existed = [path for path in companions if path.exists()]
            try:
                project = cls._attach(target, lock, checked=True)
            except (ProjectDiskError, ProjectReadOnlyError) as exc:
                # Readable but not writable (a full disk, say): open it read-only rather
                # than not at all, leaving no write-ahead files the failed attempt made.
                for path in companions:
                    if path not in existed:
                        with contextlib.suppress(OSError):
                            path.unlink()
                lock.release()
                reason = exc.reason or str(exc)
                project = cls(target, snapshot, None, read_only=reason)
                project.article_set = article_set
                return project
        except BaseException:
            snapshot.conn.close()
            lock.release()
            raise
        snapshot.conn.close()
        project.article_set = article_set
        return project

    @classmethod
    def _open_read_only(cls, target: Path, reason: str) -> Project:
        snapshot = _held_snapshot(target)
        try:
            article_set = _checked_article_set(snapshot, target.name)
        except BaseException:
            snapshot.conn.close()
            raise
        project = cls(target, snapshot, None, read_only=reason)
        project.article_set = article_set
        return project

    @classmethod
    def _attach(cls, target: Path, lock: _ProjectLock, *, checked: bool = False) -> Project:
        """Connect for editing; ``checked`` when a copy was just checked under this lock."""
        _check_header(target)
        conn = _connect(str(target))
        try:
            db = Database(conn)
            if not checked:
                _check_database(db, target.name, target)
            migrate(db, target.name)
            db.enable_wal()
            _configure(conn)
        except sqlite3.Error as exc:
            conn.close()
            raise _open_failed(target.name, exc, target) from exc
        except BaseException:
            conn.close()
            raise
        return cls(target, db, lock)

    @staticmethod
    def read(path: str | Path) -> ArticleSet:
        """Read a project without holding it (for export while a window has it open).

        Works on a consistent snapshot copied into memory; never writes to the file.
        """
        target = Path(path).absolute()
        _check_header(target)
        snapshot = _held_snapshot(target)
        try:
            return _checked_article_set(snapshot, target.name)
        finally:
            snapshot.conn.close()

    # ----------------------------------------------------------------- edits (commit at once)

    def save_alignment(self, article_set: ArticleSet) -> None:
        """Replace documents, segmentation and alignment in one transaction.

        Facts and corrections stay as the project holds them; they are carried over to
        ``article_set``, which becomes ``self.article_set``. A re-imported document may have
        moved or lost the text a fact quotes, so facts are re-anchored (or marked orphaned,
        never dropped) and saved in the same transaction.
        """
        article_set.facts = self.article_set.facts
        article_set.corrections = self.article_set.corrections
        moved = reattach_facts(article_set)
        with self._write() as conn:
            _write_derived(conn, article_set)
            for fact in moved:
                _write_fact(conn, fact)
            _set_meta(conn, {"aligned": _now()})
        self.article_set = article_set

    def upsert_fact(self, fact: Fact) -> None:
        """Insert or replace a fact and its anchors (matched by ``fact.id``)."""
        with self._write() as conn:
            _write_fact(conn, fact)
        facts = self.article_set.facts
        for i, existing in enumerate(facts):
            if existing.id == fact.id:
                facts[i] = fact
                break
        else:
            facts.append(fact)

    def delete_fact(self, fact_id: str) -> bool:
        """Remove a fact; returns False if there was none with that id."""
        with self._write() as conn:
            cursor = conn.execute("DELETE FROM facts WHERE id = ?", (fact_id,))
            conn.execute("DELETE FROM fact_anchors WHERE fact_id = ?", (fact_id,))
            existed = cursor.rowcount > 0
        self.article_set.facts = [f for f in self.article_set.facts if f.id != fact_id]
        return existed

    def set_corrections(self, corrections: Corrections) -> None:
        """Replace all editor corrections (pinned, forbidden links and boilerplate flags)."""
        with self._write() as conn:
            _write_corrections(conn, corrections)
        self.article_set.corrections = corrections

    def force_link(self, a: str, b: str) -> None:
        """Pin two passages together (and lift any ban on the pair)."""
        self.set_corrections(edits.force_link(self.article_set.corrections, a, b))

    def forbid_link(self, a: str, b: str) -> None:
        """Keep two passages apart (and lift any pin on the pair)."""
        self.set_corrections(edits.forbid_link(self.article_set.corrections, a, b))

    def clear_link_correction(self, a: str, b: str) -> None:
        """Forget any pin or ban on the pair."""
        self.set_corrections(edits.clear_link(self.article_set.corrections, a, b))

    def set_boilerplate(self, passage_id: str, flag: bool | None) -> None:
        """Override the boilerplate flag of a passage; ``None`` returns it to automatic."""
        self.set_corrections(
            edits.set_boilerplate(self.article_set.corrections, [passage_id], flag)
        )

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        """Store a JSON-serialisable value (window layout, view options...)."""
        with self._write() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)",
                (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
            )

    def migrations(self) -> list[str]:
        """Names of the migrations applied to this project, oldest first."""
        return applied_migrations(self.db)

    # ----------------------------------------------------------------- lifetime

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Close the database and let other windows open the project."""
        if self._closed:
            return
        self._closed = True
        try:
            self.db.conn.close()
        finally:
            if self._lock is not None:
                self._lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise ProjectError(f"{self.name} is closed")
        if self.read_only:
            raise ProjectReadOnlyError(
                f"{self.name} is open read-only ({self.read_only}); the change was not saved. "
                "Save the project under another name to make changes."
            )
        try:
            with _transaction(self.db.conn):
                yield self.db.conn
        except sqlite3.Error as exc:
            what = f"{self.name}: the change could not be saved"
            raise _save_failed(what, exc, self.path) from exc


def _set_meta(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    items = {"app_version": __version__, **values}
    conn.executemany(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", sorted(items.items())
    )
