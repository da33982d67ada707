"""Editor corrections as plain values: each function returns new ``Corrections``.

The project store and the desktop window's undoable commands both go through
these, so a pin made in one place reads the same in the other. The argument is
never changed. Link pairs are unordered: ``(a, b)`` and ``(b, a)`` are one pair; a
new pin or ban replaces any older entry for its pair and is kept as written.
"""

from __future__ import annotations

from collections.abc import Iterable

from factdesk.core.model import Corrections


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _without(pairs: list[tuple[str, str]], drop: set[tuple[str, str]]) -> list[tuple[str, str]]:
    return [p for p in pairs if _pair(*p) not in drop]


def _copy(corrections: Corrections) -> Corrections:
    return Corrections(
        list(corrections.forced_links),
        list(corrections.forbidden_links),
        dict(corrections.boilerplate),
    )


def force_link(corrections: Corrections, a: str, b: str) -> Corrections:
    """``corrections`` plus a pin joining a and b (and no ban on the pair any more)."""
    pair = {_pair(a, b)}
    new = _copy(corrections)
    new.forbidden_links = _without(new.forbidden_links, pair)
    new.forced_links = [*_without(new.forced_links, pair), (a, b)]
    return new


def forbid_links(corrections: Corrections, pairs: Iterable[tuple[str, str]]) -> Corrections:
    """``corrections`` with every pair kept apart (and no pin on those pairs any more)."""
    new = _copy(corrections)
    for a, b in pairs:
        pair = {_pair(a, b)}
        new.forced_links = _without(new.forced_links, pair)
        new.forbidden_links = [*_without(new.forbidden_links, pair), (a, b)]
    return new


def forbid_link(corrections: Corrections, a: str, b: str) -> Corrections:
    """``corrections`` with a and b kept apart (and no pin on the pair any more)."""
    return forbid_links(corrections, [(a, b)])


def clear_link(corrections: Corrections, a: str, b: str) -> Corrections:
    """``corrections`` without any pin or ban on the pair."""
    pair = {_pair(a, b)}
    new = _copy(corrections)
    new.forced_links = _without(new.forced_links, pair)
    new.forbidden_links = _without(new.forbidden_links, pair)
    return new


def set_boilerplate(
    corrections: Corrections, passage_ids: Iterable[str], flag: bool | None
) -> Corrections:
    """``corrections`` with the boilerplate flag of each passage overridden.

    ``None`` returns the passages to the automatic decision.
    """
    new = _copy(corrections)
    for pid in passage_ids:
        if flag is None:
            new.boilerplate.pop(pid, None)
        else:
            new.boilerplate[pid] = flag
    return new
