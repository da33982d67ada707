"""Undoable editor corrections: one QUndoCommand per pin.

Each command holds the corrections before and after; undo and redo hand the
right one to ``apply``, which stores it and re-aligns off the GUI thread.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from factdesk.core.model import Corrections

Apply = Callable[[Corrections], None]


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _without(pairs: list[tuple[str, str]], pair: tuple[str, str]) -> list[tuple[str, str]]:
    return [p for p in pairs if _pair(*p) != pair]


def linked(corrections: Corrections, a: str, b: str) -> Corrections:
    """``corrections`` plus a forced link a-b (and no longer a forbidden one)."""
    new = copy.deepcopy(corrections)
    pair = _pair(a, b)
    new.forbidden_links = _without(new.forbidden_links, pair)
    if pair not in {_pair(*p) for p in new.forced_links}:
        new.forced_links.append(pair)
    return new


def unlinked(corrections: Corrections, pairs: list[tuple[str, str]]) -> Corrections:
    """``corrections`` with every pair forbidden (and no longer forced)."""
    new = copy.deepcopy(corrections)
    for a, b in pairs:
        pair = _pair(a, b)
        new.forced_links = _without(new.forced_links, pair)
        if pair not in {_pair(*p) for p in new.forbidden_links}:
            new.forbidden_links.append(pair)
    return new


def boilerplate_set(corrections: Corrections, passage_ids: list[str], flag: bool) -> Corrections:
    new = copy.deepcopy(corrections)
    for pid in passage_ids:
        new.boilerplate[pid] = flag
    return new


class CorrectionCommand(QUndoCommand):
    """Swap the set's corrections between two states."""

    def __init__(self, text: str, before: Corrections, after: Corrections, apply: Apply) -> None:
        super().__init__(text)
        self._before = copy.deepcopy(before)
        self._after = copy.deepcopy(after)
        self._apply = apply

    def redo(self) -> None:
        self._apply(copy.deepcopy(self._after))

    def undo(self) -> None:
        self._apply(copy.deepcopy(self._before))
