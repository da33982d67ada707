"""Writing files so that nothing is ever half-written, and file-system errors in plain words.

Every file FactDesk writes (exports, project saves) goes to a temporary file beside the
target, is flushed to the disk, and then replaces the target in one atomic rename. A
crash, a full disk or an I/O error leaves the old file as it was, and the temporary file
is removed. A process killed outright cannot remove its temporary file; its name holds
the process id, so ``remove_stale_temps`` can tell that its owner is gone.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from factdesk.core.model import PROJECT_APPLICATION_ID, PROJECT_SUFFIX

SQLITE_MAGIC = b"SQLite format 3\x00"

#: Free space below which an unexplained write error is taken for a full disk.
_NEARLY_FULL = 64 * 1024


def temp_path(target: Path) -> Path:
    """The temporary file used while ``target`` is written: hidden, beside it, named after
    this process (so a later run can tell whether its writer is still alive)."""
    return target.with_name(f".{target.name}.{os.getpid()}.tmp")


def _temp_pattern(target: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.tmp(?:-journal|-wal|-shm)?$")


def pid_alive(pid: int) -> bool:
    """Whether a process with this id is running (on Windows, always assumed so)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # os.kill would end the process there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, under another user
    return True


def remove_stale_temps(target: Path) -> list[Path]:
    """Remove what a killed writer of ``target`` left behind (its temporary file and that
    file's journal), but only when the process that made them is gone. Returns them."""
    pattern = _temp_pattern(target)
    removed: list[Path] = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return removed
    for name in names:
        match = pattern.match(name)
        if match is None or pid_alive(int(match.group(1))):
            continue
        leftover = target.with_name(name)
        try:
            leftover.unlink()
        except OSError:
            continue
        removed.append(leftover)
    return removed


def fsync_dir(directory: Path) -> None:
    """Make a rename in ``directory`` durable (POSIX; a no-op where folders cannot be opened)."""
    if sys.platform == "win32":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def replacing(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; when the block ends without an error,
    the temporary file atomically replaces ``target``. On any error it is removed (with
    the journal SQLite may have made for it) and ``target`` stays as it was."""
    final = Path(target)
    temp = temp_path(final)
    extras = [temp.with_name(temp.name + suffix) for suffix in ("-journal", "-wal", "-shm")]
    remove_stale_temps(final)  # what killed writers of the same file left
    for path in (temp, *extras):
        path.unlink(missing_ok=True)  # left by an earlier run of this very process id
    try:
        yield temp
        _copy_mode(final, temp)
        os.replace(temp, final)
    except BaseException:
        for path in (temp, *extras):
            with contextlib.suppress(OSError):
                path.unlink()
        raise
    for path in extras:
        with contextlib.suppress(OSError):
            path.unlink()
    fsync_dir(final.parent)


def _copy_mode(target: Path, temp: Path) -> None:
    """The new file gets the permissions of the one it replaces, else the usual ones."""
    try:
        mode = target.stat().st_mode & 0o7777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with contextlib.suppress(OSError):
        os.chmod(temp, mode)


def write_atomic(
    target: str | Path,
    data: str | bytes,
    *,
    encoding: str = "utf-8",
    newline: str | None = None,
) -> Path:
    """Write ``data`` to ``target`` all at once or not at all; returns ``target``.

    Text is encoded with ``encoding``; ``newline`` works as for ``open``. Raises
    ``OSError`` (see ``describe_os_error``) with the old file untouched.
    """
    final = Path(target)
    with replacing(final) as temp:
        payload = data.encode(encoding) if isinstance(data, str) else data
        if isinstance(data, str) and newline not in (None, "", "\n"):
            payload = data.replace("\n", newline).encode(encoding)
        elif isinstance(data, str) and newline is None and os.linesep != "\n":
            payload = data.replace("\n", os.linesep).encode(encoding)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
        fd = os.open(temp, flags, 0o600)
        with open(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    return final


def filesystem_read_only(path: Path) -> bool:
    """Whether ``path`` lies on a file system mounted read-only."""
    statvfs = getattr(os, "statvfs", None)
    if statvfs is None:
        return False
    try:
        flags = statvfs(path).f_flag
    except OSError:
        return False
    return bool(flags & getattr(os, "ST_RDONLY", 1))


def disk_nearly_full(path: Path) -> bool:
    """Whether the file system holding ``path`` has (almost) no free space left."""
    probe = path if path.exists() else path.parent
    try:
        return shutil.disk_usage(probe).free < _NEARLY_FULL
    except OSError:
        return False


def read_only_reason(path: Path) -> str:
    """Why ``path`` (an existing file) cannot be changed, in plain words; "" when it can.

    A file nobody may write (``chmod a-w``) counts as read-only even for an administrator,
    since that is how people protect a file.
    """
    if filesystem_read_only(path):
        return "it is on a read-only file system"
    try:
        mode = path.stat().st_mode
    except OSError:
        return ""
    if sys.platform != "win32" and not mode & 0o222:
        return "the file is read-only"
    if not os.access(path, os.W_OK):
        return "the file is read-only" if sys.platform == "win32" else "you may not write to it"
    if sys.platform != "win32" and not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only"
    return ""


def sqlite_kind(path: str | Path) -> str:
    """``"project"`` for a FactDesk project, ``"database"`` for another SQLite file, else ""."""
    try:
        with Path(path).open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return ""
    if not header.startswith(SQLITE_MAGIC):
        return ""
    if Path(path).suffix.lower() == PROJECT_SUFFIX:
        return "project"
    app_id = int.from_bytes(header[68:72], "big") if len(header) >= 72 else 0
    return "project" if app_id == PROJECT_APPLICATION_ID else "database"


class TargetError(ValueError):
    """A file FactDesk must not write (or only with the editor's consent).

    ``needs_consent`` is True when the only objection is that a file (or a link) is there
    already: the command line's ``--force`` or a confirmation in the window lifts it.
    """

    def __init__(self, message: str, *, needs_consent: bool = False) -> None:
        super().__init__(message)
        self.needs_consent = needs_consent


def _same_file(a: Path, b: Path) -> bool:
    if os.path.realpath(a) == os.path.realpath(b):
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_write_target(
    path: str | Path, *, inputs: Iterable[str | Path] = (), overwrite: bool = False
) -> Path:
    """The file that writing to ``path`` would replace (symbolic links followed, relative
    paths made absolute), after making sure that writing it destroys nothing.

    Never allowed: a folder, a FactDesk project or its companion files, any SQLite
    database, or one of ``inputs`` (the files the data was read from). A file already
    there (or a link at ``path``) is replaced only when ``overwrite`` is true. Raises
    ``TargetError`` otherwise.
    """
    given = Path(path)
    shown = str(given)
    target = Path(os.path.realpath(given))
    if given.is_symlink():
        shown = f"{given} (a link to {target})"
    keep = "choose another file name"
    if target.is_dir():
        raise TargetError(f"{shown}: is a folder; {keep}")
    if not target.parent.is_dir():
        raise TargetError(f"{shown}: the folder {target.parent} does not exist")
    for source in inputs:
        if _same_file(Path(source), target):
            raise TargetError(f"{shown}: is one of the files being exported; {keep}")
    if target.suffix.lower() == PROJECT_SUFFIX:
        raise TargetError(
            f"{shown}: a {PROJECT_SUFFIX} file is a FactDesk project, which an export never "
            f"replaces; {keep}"
        )
    for companion in ("-wal", "-shm", "-journal", ".lock"):
        if target.name.endswith(companion):
            owner = target.with_name(target.name[: -len(companion)])
            if owner.suffix.lower() == PROJECT_SUFFIX or sqlite_kind(owner):
                raise TargetError(
                    f"{shown}: belongs to the database {owner.name} and writing it would "
                    f"damage it; {keep}"
                )
    kind = sqlite_kind(target)
    if kind:
        what = "a FactDesk project" if kind == "project" else "an SQLite database"
        raise TargetError(f"{shown}: is {what}, which an export would destroy; {keep}")
    if (given.is_symlink() or target.exists()) and not overwrite:
        raise TargetError(f"{shown}: exists already", needs_consent=True)
    return target


def describe_os_error(exc: OSError, path: Path | None = None) -> str:
    """What went wrong, in plain words ("the disk is full", not "errno 28")."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if code == errno.EROFS:
        return "the file system is read-only"
    if code in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if code == errno.ENOENT:
        return "no such file or folder"
    if code == errno.ENOTDIR:
        return "a part of the path is not a folder"
    if code == errno.EISDIR:
        return "it is a folder"
    if code == errno.EIO:
        if path is not None and disk_nearly_full(path):
            return "the disk is full"
        return "a read or write error on the disk (input/output error)"
    if path is not None and disk_nearly_full(path):
        return "the disk is full"
    return exc.strerror or str(exc)


__all__ = [
    "SQLITE_MAGIC",
    "TargetError",
    "check_write_target",
    "describe_os_error",
    "disk_nearly_full",
    "filesystem_read_only",
    "fsync_dir",
    "pid_alive",
    "read_only_reason",
    "remove_stale_temps",
    "replacing",
    "sqlite_kind",
    "temp_path",
    "write_atomic",
]
