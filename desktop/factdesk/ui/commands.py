"""Undoable editor corrections: one QUndoCommand per pin.

Each command holds the corrections before and after (made with
``factdesk.core.corrections``); undo and redo hand the right one to ``apply``,
which stores it and re-aligns off the GUI thread.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from factdesk.core import corrections as edits
from factdesk.core.model import Corrections

Apply = Callable[[Corrections], None]

# The corrections themselves are core functions, shared with the project store; the
# window builds each command's "after" state with them.
linked = edits.force_link
unlinked = edits.forbid_links
boilerplate_set = edits.set_boilerplate


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
