"""Files that ship with FactDesk: the sample article set and the resources.

Installed, they sit inside the package (``factdesk/seeds``, ``factdesk/resources``);
in a checkout they are the top-level ``seeds/`` and ``resources/`` folders.
"""

from __future__ import annotations

from pathlib import Path

import factdesk

_PACKAGE = Path(factdesk.__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent.parent


def bundled_dir(name: str) -> Path | None:
    """The folder ``name`` ("seeds" or "resources") wherever this copy of FactDesk keeps it."""
    for candidate in (_PACKAGE / name, _CHECKOUT / name):
        if candidate.is_dir():
            return candidate
    return None


def sample_dir() -> Path | None:
    """The bundled sample article set."""
    return bundled_dir("seeds")


def sample_paths() -> list[Path]:
    """The sample's article files, sorted."""
    folder = sample_dir()
    return sorted(folder.glob("*.txt")) if folder else []


def resource_path(name: str) -> Path:
    """A file shipped in ``resources/`` (it may not exist: callers decide what to do)."""
    folder = bundled_dir("resources") or _CHECKOUT / "resources"
    return folder / name
