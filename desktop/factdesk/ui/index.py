"""Read-only lookups over an ArticleSet for the views (pure Python, no Qt).

Everything here is presentation: which passage sits in which row, how rows are
ordered for the version under review, and how much of one version the views
should show as found in another. Nothing here changes the ArticleSet.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factdesk.core.align import LIKELY_SOURCE_SCORE, POSSIBLE_SOURCE_SCORE
from factdesk.core.model import ArticleSet, Derivation, Document, Link, Passage


@dataclass
class Row:
    """One line of the synoptic view: a group, or a passage that matches nothing."""

    key: str  # group id, or "u:<passage id>" for a passage in no group
    cells: dict[str, list[str]] = field(default_factory=dict)  # doc id -> passage ids
    boilerplate: bool = False

    @property
    def is_group(self) -> bool:
        return not self.key.startswith("u:")

    def docs(self) -> list[str]:
        return list(self.cells)


@dataclass
class Counterpart:
    passage: Passage
    score: float | None  # None when the two are grouped without a direct link
    relation: str
    source: str


def short_name(doc: Document, limit: int = 22) -> str:
    """A file stem short enough for a column header."""
    stem = Path(doc.name).stem or doc.id
    return stem if len(stem) <= limit else stem[: limit - 1] + "…"


class SetIndex:
    """Lookup tables built once per ArticleSet."""

    def __init__(self, article_set: ArticleSet) -> None:
        self.article_set = article_set
        self.docs: dict[str, Document] = {d.id: d for d in article_set.documents}
        self.doc_number: dict[str, int] = {d.id: i + 1 for i, d in enumerate(article_set.documents)}
        self.passages: dict[str, Passage] = {p.id: p for p in article_set.passages}
        self.by_doc: dict[str, list[Passage]] = {d.id: [] for d in article_set.documents}
        for p in article_set.passages:
            self.by_doc.setdefault(p.doc, []).append(p)
        for plist in self.by_doc.values():
            plist.sort(key=lambda p: p.index)
        self.links: dict[tuple[str, str], Link] = {}
        for link in article_set.links:
            self.links[(link.a, link.b)] = link
            self.links[(link.b, link.a)] = link
        self.rows: list[Row] = []
        self.row_of: dict[str, Row] = {}
        grouped: set[str] = set()
        for group in article_set.groups:
            row = Row(group.id)
            for pid in group.passages:
                p = self.passages.get(pid)
                if p is None or pid in grouped:
                    continue
                grouped.add(pid)
                row.cells.setdefault(p.doc, []).append(pid)
                self.row_of[pid] = row
            if row.cells:
                self.rows.append(row)
        for p in article_set.passages:
            if p.id not in grouped:
                row = Row("u:" + p.id, {p.doc: [p.id]})
                self.rows.append(row)
                self.row_of[p.id] = row
        for row in self.rows:
            for plist in row.cells.values():
                plist.sort(key=lambda pid: self.passages[pid].index)
            row.boilerplate = all(
                self.passages[pid].boilerplate for pids in row.cells.values() for pid in pids
            )
        self._text_cache: dict[str, str] = {}
        self._coverage: dict[str, float] | None = None
        self._heat: dict[tuple[str, str], float] | None = None

    # -- text -------------------------------------------------------------
    def raw_text(self, passage_id: str) -> str:
        p = self.passages[passage_id]
        return self.docs[p.doc].text[p.start : p.end]

    def display_text(self, passage_id: str) -> str:
        """The passage with mojibake repaired, for display only."""
        cached = self._text_cache.get(passage_id)
        if cached is None:
            cached = _repair(self.raw_text(passage_id))
            self._text_cache[passage_id] = cached
        return cached

    def cell_text(self, row: Row, doc_id: str) -> str:
        return " ".join(self.display_text(pid) for pid in row.cells.get(doc_id, ()))

    # -- ordering ---------------------------------------------------------
    def ordered_rows(
        self, focus: str | None, order: list[str], show_boilerplate: bool
    ) -> list[Row]:
        """Rows in the reading order of ``focus``; rows without it sit where they occur.

        A row that lacks the focus version is placed right after the focus row
        that precedes it in the first listed version holding it, so passages
        unique to other versions appear at their position in their own text.
        """
        rank = {d: i for i, d in enumerate(order)}
        focus_pos: dict[str, float] = {}  # row key -> position in focus text
        for p in self.by_doc.get(focus or "", []):
            row = self.row_of[p.id]
            focus_pos.setdefault(row.key, float(p.index))

        def anchor(row: Row) -> tuple[float, int, int]:
            if row.key in focus_pos:
                return (focus_pos[row.key], -1, 0)
            doc_id = min(row.cells, key=lambda d: (rank.get(d, len(rank)), d))
            first = self.passages[row.cells[doc_id][0]]
            plist = self.by_doc[doc_id]
            at = _position(plist, first)
            pos = -0.5
            for prev in reversed(plist[:at]):
                prev_row = self.row_of[prev.id]
                if prev_row.key in focus_pos:
                    pos = focus_pos[prev_row.key] + 0.5
                    break
            else:
                # nothing before it is shared with the focus: keep it just ahead of the
                # first later passage that is, rather than above the whole focus text
                for nxt in plist[at + 1 :]:
                    next_row = self.row_of[nxt.id]
                    if next_row.key in focus_pos:
                        pos = focus_pos[next_row.key] - 0.5
                        break
            return (pos, rank.get(doc_id, len(rank)), first.index)

        rows = [r for r in self.rows if show_boilerplate or not r.boilerplate]
        return sorted(rows, key=anchor)

    # -- counterparts -----------------------------------------------------
    def counterparts(self, passage_id: str) -> list[Counterpart]:
        """Passages of other versions in the same row, best link first."""
        row = self.row_of.get(passage_id)
        if row is None:
            return []
        own = self.passages[passage_id]
        result: list[Counterpart] = []
        siblings = [pid for pid in row.cells.get(own.doc, []) if pid != passage_id]
        for doc_id, pids in row.cells.items():
            if doc_id == own.doc:
                continue
            for pid in pids:
                link = self.links.get((passage_id, pid))
                if link is None:
                    link = next(
                        (self.links[(s, pid)] for s in siblings if (s, pid) in self.links), None
                    )
                result.append(
                    Counterpart(
                        self.passages[pid],
                        link.score if link else None,
                        link.relation if link else "grouped",
                        link.source if link else "group",
                    )
                )
        result.sort(key=lambda c: (-(c.score or 0.0), self.doc_number.get(c.passage.doc, 0)))
        return result

    def docs_with(self, passage_id: str) -> list[str]:
        row = self.row_of.get(passage_id)
        own = self.passages[passage_id].doc
        return [d for d in (row.cells if row else {}) if d != own]

    # -- statistics -------------------------------------------------------
    def coverage(self, doc_id: str) -> float:
        """Share of a version's (non-boilerplate) characters found in some other version."""
        if self._coverage is None:
            self._coverage = {}
            for d in self.docs:
                total = shared = 0
                for p in self.by_doc.get(d, []):
                    if p.boilerplate:
                        continue
                    size = p.end - p.start
                    total += size
                    if len(self.row_of[p.id].cells) > 1:
                        shared += size
                self._coverage[d] = shared / total if total else 0.0
        return self._coverage.get(doc_id, 0.0)

    def share(self, doc_id: str, other: str) -> float:
        """Share of ``doc_id``'s characters that sit in rows also holding ``other``."""
        if self._heat is None:
            self._heat = {}
            totals: dict[str, int] = {}
            shared: dict[tuple[str, str], int] = {}
            for p in self.article_set.passages:
                if p.boilerplate:
                    continue
                size = p.end - p.start
                totals[p.doc] = totals.get(p.doc, 0) + size
                for other_doc in self.row_of[p.id].cells:
                    if other_doc != p.doc:
                        shared[(p.doc, other_doc)] = shared.get((p.doc, other_doc), 0) + size
            for (a, b), size in shared.items():
                self._heat[(a, b)] = size / totals[a] if totals.get(a) else 0.0
        if doc_id == other:
            return 1.0
        return self._heat.get((doc_id, other), 0.0)

    def unique_to(self, doc_id: str) -> list[Passage]:
        return [
            p
            for p in self.by_doc.get(doc_id, [])
            if not p.boilerplate and len(self.row_of[p.id].cells) == 1
        ]

    def word_count(self, doc_id: str) -> int:
        return len(self.docs[doc_id].text.split())

    # -- derivation -------------------------------------------------------
    def best_source(self, doc_id: str) -> Derivation | None:
        candidates = [d for d in self.article_set.derivation if d.derived == doc_id]
        return max(candidates, key=lambda d: d.score) if candidates else None

    def derivation_text(self, doc_id: str) -> str:
        best = self.best_source(doc_id)
        if best is None or best.source not in self.docs:
            return ""
        if best.score < POSSIBLE_SOURCE_SCORE:
            return ""
        if best.share >= 0.85:
            verb = "copied from"
        elif best.share >= 0.4:
            verb = "rewritten from"
        else:
            verb = "draws on"
        hedge = "likely" if best.score >= LIKELY_SOURCE_SCORE else "possibly"
        src = self.docs[best.source]
        return f"{hedge} {verb} #{self.doc_number[src.id]} {short_name(src)}"

    # -- search -----------------------------------------------------------
    def search(self, needle: str, docs: Iterable[str], limit: int = 2000) -> list[tuple[str, int]]:
        """(doc id, offset) of case-insensitive hits of ``needle`` in the given versions."""
        needle = needle.strip().casefold()
        hits: list[tuple[str, int]] = []
        if not needle:
            return hits
        for d in docs:
            hay = self.docs[d].text.casefold()
            if len(hay) != len(self.docs[d].text):  # casefold changed lengths: use lower
                hay = self.docs[d].text.lower()
            start = hay.find(needle)
            while start >= 0 and len(hits) < limit:
                hits.append((d, start))
                start = hay.find(needle, start + max(1, len(needle)))
        return hits

    def passage_at(self, doc_id: str, offset: int) -> Passage | None:
        best: Passage | None = None
        for p in self.by_doc.get(doc_id, []):
            if p.start <= offset < p.end:
                return p
            if p.start <= offset:
                best = p
        return best


def _position(plist: list[Passage], passage: Passage) -> int:
    for i, p in enumerate(plist):
        if p.id == passage.id:
            return i
    return 0


def _repair(text: str) -> str:
    try:
        from factdesk.core.textfix import repair
    except ImportError:  # the repair step is optional for display
        return text
    return repair(text)
