"""Read-only lookups over an ArticleSet for the views (pure Python, no Qt).

Everything here is presentation: which passage sits in which row and how rows are
ordered for the version under review. Figures and wording (shares, unique passages,
likely sources, search) come from ``factdesk.core.views`` so the window, the command
line and the reports agree; this class only caches them per set. Nothing here changes
the ArticleSet.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from factdesk.core import views
from factdesk.core.model import ArticleSet, Derivation, Document, Group, Link, Passage
from factdesk.core.moves import Move, all_moves
from factdesk.core.text import detect_language
from factdesk.core.textfix import repair, repair_with_map

#: How many characters of a version's first sentence stand in for a missing title.
LEAD_CHARS = 110
_SPACES = re.compile(r"\s+")


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
    # Where only part of either sentence matched: (own part, counterpart's part), each in
    # its passage's display text. None when the sentences match as wholes.
    parts: tuple[tuple[int, int], tuple[int, int]] | None = None


@dataclass
class CounterpartCell:
    """What one other version has in the row of a passage: all of its sentences there."""

    doc: str
    passages: list[Passage]  # in reading order
    text: str  # the display text of those sentences, joined
    score: float | None  # the best link score between the passage and this cell
    relation: str
    source: str
    # Set only when the cell is one sentence that matched in part (see ``Counterpart``).
    parts: tuple[tuple[int, int], tuple[int, int]] | None = None


@dataclass(frozen=True)
class VersionTitle:
    """The best title of a version: its headline, where it comes from and its date."""

    headline: str  # the document's title, else the start of its first sentence
    from_lead: bool  # True when the document has no title and its first sentence stands in
    source: str  # outlet and/or byline, when known
    date: str

    def details(self) -> str:
        """Date and outlet or byline, e.g. ``2024-03-03 · Agence France-Presse``."""
        return " · ".join(part for part in (self.date, self.source) if part)

    def label(self) -> str:
        """The title on one line: ``headline — date · outlet``."""
        details = self.details()
        return f"{self.headline} — {details}" if details else self.headline


def _squeeze(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def _shorten(text: str, limit: int) -> str:
    """``text`` cut at a word boundary to at most ``limit`` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "…"


def short_name(doc: Document, limit: int = 22) -> str:
    """A file stem short enough for a column header."""
    stem = Path(doc.name).stem or doc.id
    return stem if len(stem) <= limit else stem[: limit - 1] + "…"


class SetIndex:
    """Lookup tables built once per ArticleSet."""

    def __init__(self, article_set: ArticleSet, groups: list[Group] | None = None) -> None:
        """``groups`` replaces the set's alignment groups as the rows (paragraph rows)."""
        self.article_set = article_set
        self.by_paragraph = groups is not None
        self.docs: dict[str, Document] = {d.id: d for d in article_set.documents}
        self.doc_number: dict[str, int] = {d.id: i + 1 for i, d in enumerate(article_set.documents)}
        self.passages: dict[str, Passage] = {p.id: p for p in article_set.passages}
        self.by_doc: dict[str, list[Passage]] = {d.id: [] for d in article_set.documents}
        for p in article_set.passages:
            self.by_doc.setdefault(p.doc, []).append(p)
        for plist in self.by_doc.values():
            plist.sort(key=lambda p: p.index)
        self.links: dict[tuple[str, str], Link] = {}
        self._linked: dict[str, list[str]] = {}
        for link in article_set.links:
            self.links[(link.a, link.b)] = link
            self.links[(link.b, link.a)] = link
            self._linked.setdefault(link.a, []).append(link.b)
            self._linked.setdefault(link.b, []).append(link.a)
        self.rows: list[Row] = []
        self.row_of: dict[str, Row] = {}
        grouped: set[str] = set()
        for group in article_set.groups if groups is None else groups:
            row = Row(group.id)
            for pid in group.passages:
                member = self.passages.get(pid)
                if member is None or pid in grouped:
                    continue
                grouped.add(pid)
                row.cells.setdefault(member.doc, []).append(pid)
                self.row_of[pid] = row
            if row.cells:
                self.rows.append(row)
        for p in article_set.passages:
            if p.id not in grouped:
                row = Row("u:" + p.id, {p.doc: [p.id]})
                self.rows.append(row)
                self.row_of[p.id] = row
        for row in self.rows:
            for cell in row.cells.values():
                cell.sort(key=lambda pid: self.passages[pid].index)
            row.boilerplate = all(
                self.passages[pid].boilerplate for pids in row.cells.values() for pid in pids
            )
        self._text_cache: dict[str, tuple[str, list[int]]] = {}
        self._found: dict[str, set[str]] | None = None
        self._coverage: dict[str, float] | None = None
        self._heat: dict[tuple[str, str], float] | None = None
        self._unique: dict[str, list[Passage]] = {}
        self._titles: dict[str, VersionTitle] = {}
        self._languages: dict[str, str] = {}
        self._cell_texts: dict[tuple[str, str], str] = {}
        self._sentence_group: dict[str, str] | None = None
        self._moves: dict[str, dict[str, Move]] = {}
        self._ordered: dict[tuple[str, tuple[str, ...], bool], list[Row]] = {}

    # -- text -------------------------------------------------------------
    def raw_text(self, passage_id: str) -> str:
        p = self.passages[passage_id]
        return self.docs[p.doc].text[p.start : p.end]

    def display_text(self, passage_id: str) -> str:
        """The passage with mojibake repaired, for display only."""
        return self.display_map(passage_id)[0]

    def display_map(self, passage_id: str) -> tuple[str, list[int]]:
        """The displayed passage and, per character, its offset in the passage's raw text."""
        cached = self._text_cache.get(passage_id)
        if cached is None:
            cached = repair_with_map(self.raw_text(passage_id))
            self._text_cache[passage_id] = cached
        return cached

    def display_span(self, passage_id: str, start: int, end: int) -> tuple[int, int]:
        """Document offsets ``start``-``end`` as offsets into the passage's display text."""
        p = self.passages[passage_id]
        text, raw_at = self.display_map(passage_id)
        lo = bisect.bisect_left(raw_at, start - p.start)
        hi = bisect.bisect_left(raw_at, end - p.start)
        return min(lo, len(text)), min(max(hi, lo), len(text))

    def matched_spans(self, passage_id: str) -> list[tuple[int, int]]:
        """Document offsets of the parts of a passage that its partial links matched (on
        this side; a link that matched all of this passage and part of the other has none)."""
        p = self.passages[passage_id]
        out = set()
        for other in self._linked.get(passage_id, ()):
            link = self.links[(passage_id, other)]
            if link.spans is not None:
                start, end = link.spans[0] if link.a == passage_id else link.spans[1]
                if (start, end) != (p.start, p.end):
                    out.add((start, end))
        return sorted(out)

    def _parts(
        self, link: Link, own: str, other: str
    ) -> tuple[tuple[int, int], tuple[int, int]] | None:
        if link.spans is None or {link.a, link.b} != {own, other}:
            return None
        mine, theirs = link.spans if link.a == own else (link.spans[1], link.spans[0])
        return self.display_span(own, *mine), self.display_span(other, *theirs)

    def cell_text(self, row: Row, doc_id: str) -> str:
        """The display text of a version's cell in ``row`` (its sentences, joined)."""
        key = (row.key, doc_id)
        text = self._cell_texts.get(key)
        if text is None:
            text = " ".join(self.display_text(pid) for pid in row.cells.get(doc_id, ()))
            self._cell_texts[key] = text
        return text

    def sentence_marks(self, row: Row, doc_id: str, focus: str) -> list[str]:
        """For each sentence of a version's cell, the numbers of the focus cell's sentences
        it says the same as ("1", "2+3" for a merge, "" for none), in reading order.

        The focus cell's own sentences are numbered 1, 2, ... A sentence matches a focus
        sentence when the alignment grouped or linked the two. Used by paragraph rows,
        where a cell is a whole paragraph and the sentence links would otherwise be lost.
        """
        focus_pids = row.cells.get(focus, [])
        pids = row.cells.get(doc_id, [])
        if doc_id == focus:
            return [str(n) for n in range(1, len(pids) + 1)]
        if self._sentence_group is None:
            self._sentence_group = {
                pid: group.id for group in self.article_set.groups for pid in group.passages
            }
        group_of = self._sentence_group
        marks = []
        for pid in pids:
            group = group_of.get(pid)
            numbers = [
                str(n)
                for n, fp in enumerate(focus_pids, 1)
                if (group is not None and group_of.get(fp) == group) or (pid, fp) in self.links
            ]
            marks.append("+".join(numbers))
        return marks

    def cells_match(self, row: Row, doc_id: str, other: str) -> bool:
        """Whether two versions have the same words in ``row`` (white space aside).

        Two versions that both lack the row match; one that lacks it matches no other.
        """
        return _squeeze(self.cell_text(row, doc_id)) == _squeeze(self.cell_text(row, other))

    def moves(self, reference: str) -> dict[str, Move]:
        """Passages of other versions told out of ``reference``'s order (worked out once)."""
        if reference not in self._moves:
            self._moves[reference] = all_moves(self.article_set, reference)
        return self._moves[reference]

    def language(self, doc_id: str) -> str:
        """The language a version is written in (best guess, English when unsure)."""
        lang = self._languages.get(doc_id)
        if lang is None:
            lang = self._languages[doc_id] = detect_language(self.docs[doc_id].text)
        return lang

    def same_language(self, doc_id: str, other: str) -> bool:
        """Whether a word diff between the two versions can say anything."""
        return self.language(doc_id) == self.language(other)

    # -- titles -----------------------------------------------------------
    def version_title(self, doc_id: str) -> VersionTitle:
        """The title to show for a version: headline (or first sentence), source, date."""
        cached = self._titles.get(doc_id)
        if cached is not None:
            return cached
        doc = self.docs[doc_id]
        headline = _squeeze(repair(doc.title))
        from_lead = not headline
        if from_lead:
            lead = next((p for p in self.by_doc.get(doc_id, []) if not p.boilerplate), None)
            if lead is None and self.by_doc.get(doc_id):
                lead = self.by_doc[doc_id][0]
            headline = _shorten(_squeeze(self.display_text(lead.id)), LEAD_CHARS) if lead else ""
        if not headline:
            headline, from_lead = doc.name, False
        sources: list[str] = []
        for part in (doc.site, doc.byline):
            part = _squeeze(repair(part))
            if part and part.casefold() not in (s.casefold() for s in sources):
                sources.append(part)
        title = VersionTitle(headline, from_lead, " · ".join(sources), _squeeze(doc.date))
        self._titles[doc_id] = title
        return title

    # -- ordering ---------------------------------------------------------
    def ordered_rows(
        self, focus: str | None, order: list[str], show_boilerplate: bool
    ) -> list[Row]:
        """Rows in the reading order of ``focus``; rows without it sit where they occur.

        A row that lacks the focus version is placed right after the focus row
        that precedes it in the first listed version holding it, so passages
        unique to other versions appear at their position in their own text.
        """
        key = (focus or "", tuple(order), show_boilerplate)
        cached = self._ordered.get(key)
        if cached is None:
            cached = self._ordered[key] = self._order_rows(focus, order, show_boilerplate)
        return list(cached)

    def _order_rows(self, focus: str | None, order: list[str], show_boilerplate: bool) -> list[Row]:
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
            # a version that shares nothing with the focus follows the whole focus text
            pos = math.inf
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
        """Passages of other versions in the same row, best link first.

        A passage of another version with a ``same`` link to this one that the grouping
        put in another row is listed too, so nothing the alignment linked goes unseen.
        """
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
                        self._parts(link, passage_id, pid) if link else None,
                    )
                )
        in_row = {pid for pids in row.cells.values() for pid in pids}
        for pid in self._linked.get(passage_id, ()):
            link = self.links[(passage_id, pid)]
            other = self.passages.get(pid)
            if link.relation != "same" or pid in in_row or other is None or other.doc == own.doc:
                continue
            result.append(
                Counterpart(
                    other,
                    link.score,
                    link.relation,
                    link.source,
                    self._parts(link, passage_id, pid),
                )
            )
        result.sort(key=lambda c: (-(c.score or 0.0), self.doc_number.get(c.passage.doc, 0)))
        return result

    def counterpart_cells(self, passage_id: str) -> list[CounterpartCell]:
        """What each other version has in the passage's row, whole cells, best link first.

        A version whose cell holds several sentences (a split, or text added around the
        passage) is one entry holding all of them, so none of its text goes unseen.
        """
        row = self.row_of.get(passage_id)
        if row is None:
            return []
        by_doc: dict[str, list[Counterpart]] = {}
        for c in self.counterparts(passage_id):  # best link first
            by_doc.setdefault(c.passage.doc, []).append(c)
        cells = []
        for doc_id, found in by_doc.items():
            best = found[0]
            pids = list(row.cells.get(doc_id, []))
            # with what a direct link reaches in another row, in reading order
            pids += [c.passage.id for c in found if c.passage.id not in pids]
            pids.sort(key=lambda p: self.passages[p].index)
            single = len(pids) == 1 and len(row.cells.get(self.passages[passage_id].doc, [])) == 1
            cells.append(
                CounterpartCell(
                    doc_id,
                    [self.passages[pid] for pid in pids],
                    " ".join(self.display_text(pid) for pid in pids),
                    best.score,
                    best.relation,
                    best.source,
                    best.parts if single else None,
                )
            )
        return cells

    def docs_with(self, passage_id: str) -> list[str]:
        row = self.row_of.get(passage_id)
        own = self.passages[passage_id].doc
        return [d for d in (row.cells if row else {}) if d != own]

    # -- statistics (from core.views) ---------------------------------------
    def prepare(self, focus: str, order: list[str], show_boilerplate: bool) -> None:
        """Work out now, in whatever thread builds the index, what showing the set with
        ``focus`` asks for first: how much of each version is found elsewhere, what
        moved against the focus and what is found nowhere else, the rows in its order and
        the text of every cell."""
        self.coverage(focus)
        if focus in self.docs:
            self.moves(focus)
            self.unique_to(focus)
        self.ordered_rows(focus, order, show_boilerplate)
        for row in self.rows:  # the texts row heights and cells are made from
            for doc_id in row.cells:
                self.cell_text(row, doc_id)

    def found_in(self) -> dict[str, set[str]]:
        """Passage id -> the other versions a ``same`` link finds it in (worked out once)."""
        if self._found is None:
            self._found = views.found_in(self.article_set)
        return self._found

    def coverage(self, doc_id: str) -> float:
        """Share of a version's (non-boilerplate) text found in some other version."""
        if self._coverage is None:
            self._coverage = views.found_elsewhere(self.article_set, self.found_in())
        return self._coverage.get(doc_id, 0.0)

    def share(self, doc_id: str, other: str) -> float:
        """Share of ``doc_id``'s text found in ``other`` (``Derivation.share`` of the pair)."""
        if self._heat is None:
            self._heat = views.share_matrix(self.article_set, self.found_in())
        return self._heat.get((doc_id, other), 1.0 if doc_id == other else 0.0)

    def unique_to(self, doc_id: str) -> list[Passage]:
        """Passages of a version found in no other version."""
        if doc_id not in self._unique:
            self._unique[doc_id] = views.unique_passages(self.article_set, doc_id, self.found_in())
        return self._unique[doc_id]

    def word_count(self, doc_id: str) -> int:
        return len(self.docs[doc_id].text.split())

    # -- derivation -------------------------------------------------------
    def best_source(self, doc_id: str) -> Derivation | None:
        return views.best_source(self.article_set, doc_id)

    def derivation_text(self, doc_id: str) -> str:
        """The verdict on a version's likeliest source; empty when too weak to state."""
        best = self.best_source(doc_id)
        if best is None or best.source not in self.docs:
            return ""
        src = self.docs[best.source]
        return views.derivation_text(
            best,
            f"#{self.doc_number[src.id]} {short_name(src)}",
            views.reverse_of(self.article_set, best),
        )

    # -- search -----------------------------------------------------------
    def search(self, needle: str, docs: Iterable[str], limit: int = 2000) -> list[tuple[str, int]]:
        """(doc id, offset) of case-insensitive hits of ``needle`` in the given versions."""
        return views.search(self.article_set, needle, docs, limit)

    def search_all(
        self, needles: Iterable[str], docs: Iterable[str], limit: int = 2000
    ) -> list[tuple[str, int, int]]:
        """(doc id, offset, length) of hits of any of ``needles``, in document order."""
        return views.search_all(self.article_set, needles, docs, limit)

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
