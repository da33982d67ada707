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
from collections.abc import Iterator
from pathlib import Path

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
    "describe_os_error",
    "disk_nearly_full",
    "filesystem_read_only",
    "fsync_dir",
    "pid_alive",
    "read_only_reason",
    "remove_stale_temps",
    "replacing",
    "temp_path",
    "write_atomic",
]
