"""Editing facts under review: small pure functions the fact panel and facts list rely on.

Every edit returns a new ``Fact`` (the old one is left untouched) with a fresh
``modified`` stamp, so an edit can be undone by putting the old object back.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from factdesk.core.conflicts import Conflict
from factdesk.core.facts import now_iso
from factdesk.core.model import FACT_STATUSES, ArticleSet, Fact

#: Fields of a fact the editor may change directly.
EDITABLE_FIELDS = ("statement", "status", "origin", "note", "tags")


class FactEditError(ValueError):
    """An edit that would leave the fact invalid (unknown status, field or version)."""


def edited(fact: Fact, **changes: Any) -> Fact:
    """A copy of ``fact`` with ``changes`` applied and ``modified`` set to now."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise FactEditError(f"cannot edit {', '.join(sorted(unknown))}")
    if "status" in changes and changes["status"] not in FACT_STATUSES:
        raise FactEditError(f"unknown status {changes['status']!r}")
    if "tags" in changes:
        changes["tags"] = list(changes["tags"])
    new = copy.deepcopy(fact)
    for name, value in changes.items():
        setattr(new, name, value)
    new.modified = now_iso()
    return new


def parse_tags(text: str) -> list[str]:
    """Tags typed as a comma-separated list: trimmed, blanks dropped, duplicates once."""
    tags: list[str] = []
    for part in text.split(","):
        tag = " ".join(part.split())
        if tag and tag.casefold() not in {t.casefold() for t in tags}:
            tags.append(tag)
    return tags


def format_tags(tags: Iterable[str]) -> str:
    return ", ".join(tags)


def with_anchor_confirmed(fact: Fact, index: int, confirmed: bool = True) -> Fact:
    """A copy with anchor ``index`` kept (or returned to suggested) by the editor."""
    if not 0 <= index < len(fact.anchors):
        raise FactEditError(f"{fact.id} has no anchor {index}")
    new = copy.deepcopy(fact)
    new.anchors[index].confirmed = confirmed
    new.modified = now_iso()
    return new


def without_anchor(fact: Fact, index: int) -> Fact:
    """A copy without anchor ``index`` (the editor removed a wrong suggestion)."""
    if not 0 <= index < len(fact.anchors):
        raise FactEditError(f"{fact.id} has no anchor {index}")
    new = copy.deepcopy(fact)
    del new.anchors[index]
    new.modified = now_iso()
    return new


def fact_docs(fact: Fact) -> list[str]:
    """Versions in which the fact has a live (not orphaned) anchor, first appearance first."""
    docs: list[str] = []
    for anchor in fact.anchors:
        if not anchor.orphaned and anchor.doc not in docs:
            docs.append(anchor.doc)
    return docs


def orphaned_count(fact: Fact) -> int:
    return sum(1 for a in fact.anchors if a.orphaned)


def fact_spans(fact: Fact) -> list[tuple[str, int, int]]:
    """``(doc, start, end)`` of every live anchor, for highlighting."""
    return [(a.doc, a.start, a.end) for a in fact.anchors if not a.orphaned]


@dataclass
class FactFilter:
    """What the facts list shows: every criterion left empty lets every fact through."""

    status: str = ""
    doc: str = ""  # facts with an anchor in (or originating from) this version
    tag: str = ""
    conflicts_only: bool = False
    text: str = ""  # case-insensitive, in statement, note and tags

    def matches(self, fact: Fact, conflict_count: int = 0) -> bool:
        if self.status and fact.status != self.status:
            return False
        if self.doc and self.doc != fact.origin and self.doc not in fact_docs(fact):
            return False
        if self.tag and self.tag.casefold() not in {t.casefold() for t in fact.tags}:
            return False
        if self.conflicts_only and conflict_count <= 0:
            return False
        if self.text:
            needle = self.text.casefold()
            hay = " ".join((fact.statement, fact.note, *fact.tags)).casefold()
            if needle not in hay:
                return False
        return True


def all_tags(facts: Iterable[Fact]) -> list[str]:
    """Every tag in use, once, sorted case-insensitively."""
    seen: dict[str, str] = {}
    for fact in facts:
        for tag in fact.tags:
            seen.setdefault(tag.casefold(), tag)
    return sorted(seen.values(), key=str.casefold)


def conflicts_by_passage(conflicts: Iterable[Conflict]) -> dict[str, list[Conflict]]:
    """Passage id -> the real conflicts (spelling variants left out) naming it."""
    out: dict[str, list[Conflict]] = {}
    for conflict in conflicts:
        if not conflict.is_conflict:
            continue
        for pid in conflict.passages:
            out.setdefault(pid, []).append(conflict)
    return out


def set_fingerprint(article_set: ArticleSet, length: int = 12) -> str:
    """A short stable name for a set of versions (from their contents, in load order)."""
    digest = hashlib.sha256()
    for doc in article_set.documents:
        digest.update((doc.sha256 or hashlib.sha256(doc.text.encode()).hexdigest()).encode())
        digest.update(b"\0")
    return digest.hexdigest()[:length]


def autosave_name(article_set: ArticleSet, taken: Sequence[str] = ()) -> str:
    """A project file name for a set opened without a project, avoiding names in ``taken``."""
    stem = f"autosave-{set_fingerprint(article_set)}"
    name = f"{stem}.factdesk"
    n = 2
    while name in taken:
        name = f"{stem}-{n}.factdesk"
        n += 1
    return name
