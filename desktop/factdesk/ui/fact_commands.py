"""Undoable fact edits: one QUndoCommand swaps a fact between two states.

A state is a whole ``Fact`` (or ``None`` for "no such fact"), so creating,
editing and deleting are the same command. ``apply`` stores the state in the
project at once; the command only remembers copies.
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from factdesk.core.model import Fact

#: apply(fact_id, fact or None): store the fact (None deletes it).
Apply = Callable[[str, Fact | None], None]

#: Command id for edits that merge when typed in a row (same fact, same field).
MERGE_ID = 0x4643


class FactCommand(QUndoCommand):
    """Replace fact ``fact_id`` by ``after`` (redo) or ``before`` (undo).

    With ``merge_key`` set, a following command with the same key (same fact and
    field, e.g. typing a note) folds into this one, so undo takes the whole
    burst back in one step.
    """

    def __init__(
        self,
        text: str,
        fact_id: str,
        before: Fact | None,
        after: Fact | None,
        apply: Apply,
        merge_key: str = "",
    ) -> None:
        super().__init__(text)
        self.fact_id = fact_id
        self._before = copy.deepcopy(before)
        self._after = copy.deepcopy(after)
        self._apply = apply
        self.merge_key = merge_key

    def id(self) -> int:
        return MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, FactCommand) or not self.merge_key:
            return False
        if other.merge_key != self.merge_key or other.fact_id != self.fact_id:
            return False
        self._after = copy.deepcopy(other._after)
        return True

    def redo(self) -> None:
        self._apply(self.fact_id, copy.deepcopy(self._after))

    def undo(self) -> None:
        self._apply(self.fact_id, copy.deepcopy(self._before))
