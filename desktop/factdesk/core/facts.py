"""Facts under review: creating them from a selection and keeping their anchors attached.

An anchor keeps offsets *and* the quoted text with some context around it, like the
W3C TextQuoteSelector, so a fact survives a re-import of a slightly edited document.
A fact whose text is gone is marked orphaned, never dropped.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from datetime import UTC, datetime

from rapidfuzz import fuzz

from factdesk.core.model import Anchor, ArticleSet, Fact, Group, Passage
from factdesk.core.text import STOPWORDS, WORD_RE
from factdesk.core.textfix import repair

#: Characters of context kept on each side of an anchor's quote.
CONTEXT_CHARS = 32
#: Below this length a quote is too short to be found again by fuzzy matching.
FUZZY_MIN_CHARS = 12
#: Minimum similarity (0-100) for a fuzzy re-attachment after small edits.
FUZZY_MIN_SCORE = 80.0
#: A selection covering this share of its sentence is treated as the whole sentence.
WHOLE_PASSAGE_SHARE = 0.8
#: Minimum similarity (0-100) for narrowing a suggested anchor to part of a sentence.
PARTIAL_ANCHOR_MIN_SCORE = 75.0

_FACT_ID = re.compile(r"^f(\d+)$")
_WORD_EDGE = re.compile(r"\w+|[^\w\s]")


def now_iso() -> str:
    """The current time as ISO 8601 UTC, second precision."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def next_fact_id(facts: Iterable[Fact]) -> str:
    """The next free ``fN`` id (one more than the highest in use)."""
    highest = 0
    for fact in facts:
        match = _FACT_ID.match(fact.id)
        if match:
            highest = max(highest, int(match.group(1)))
    return f"f{highest + 1}"


def passages_overlapping(
    article_set: ArticleSet, doc_id: str, start: int, end: int
) -> list[Passage]:
    """Passages of ``doc_id`` that share at least one character with ``[start, end)``."""
    if end <= start:
        end = start + 1  # an empty selection still sits inside one sentence
    found = [p for p in article_set.passages if p.doc == doc_id and p.start < end and p.end > start]
    return sorted(found, key=lambda p: p.start)


def group_index(article_set: ArticleSet) -> dict[str, Group]:
    """Passage id -> the alignment group holding it."""
    index: dict[str, Group] = {}
    for group in article_set.groups:
        for pid in group.passages:
            index.setdefault(pid, group)
    return index


def passage_index(article_set: ArticleSet) -> dict[str, Passage]:
    return {p.id: p for p in article_set.passages}


def make_anchor(
    text: str,
    doc: str,
    start: int,
    end: int,
    context: int = CONTEXT_CHARS,
    *,
    passage: str = "",
    confirmed: bool = False,
) -> Anchor:
    """An anchor on ``text[start:end]`` with ``context`` characters of prefix and suffix."""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return Anchor(
        doc=doc,
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
        passage=passage,
        confirmed=confirmed,
    )


def new_fact(
    article_set: ArticleSet,
    doc_id: str,
    start: int,
    end: int,
    statement: str | None = None,
) -> Fact:
    """A new fact on a selection, with suggested anchors in every other aligned version.

    The selection becomes a confirmed anchor. For each sentence the selection touches,
    the sentences aligned with it in other versions become suggested anchors
    (``confirmed=False``) that the editor keeps or removes. The fact is not added to
    ``article_set.facts``; the caller decides (so the action can be undone).
    """
    doc = article_set.document(doc_id)
    start = max(0, min(start, len(doc.text)))
    end = max(start, min(end, len(doc.text)))
    selected = doc.text[start:end]
    overlapping = passages_overlapping(article_set, doc_id, start, end)
    own = make_anchor(
        doc.text,
        doc_id,
        start,
        end,
        passage=overlapping[0].id if overlapping else "",
        confirmed=True,
    )
    anchors = [own, *suggested_anchors(article_set, doc_id, start, end)]
    stamp = now_iso()
    return Fact(
        id=next_fact_id(article_set.facts),
        statement=statement if statement is not None else _clean_statement(selected),
        anchors=anchors,
        origin="",
        created=stamp,
        modified=stamp,
    )


def suggested_anchors(article_set: ArticleSet, doc_id: str, start: int, end: int) -> list[Anchor]:
    """Anchors in the other versions, taken from the alignment groups of the selection."""
    doc = article_set.document(doc_id)
    selected = doc.text[start:end]
    overlapping = passages_overlapping(article_set, doc_id, start, end)
    covered = sum(min(p.end, end) - max(p.start, start) for p in overlapping)
    whole = sum(p.end - p.start for p in overlapping)
    narrow = bool(whole) and covered / whole < WHOLE_PASSAGE_SHARE
    groups = group_index(article_set)
    passages = passage_index(article_set)
    seen: set[str] = set()
    anchors: list[Anchor] = []
    for own in overlapping:
        group = groups.get(own.id)
        if group is None:
            continue
        # sentences of this version in the group that the selection does not touch: the
        # other version merged them into one sentence, so only part of it carries ours
        rest = [
            article_set.passage_text(passages[pid])
            for pid in group.passages
            if pid in passages
            and passages[pid].doc == doc_id
            and all(pid != p.id for p in overlapping)
        ]
        for pid in group.passages:
            other = passages.get(pid)
            if other is None or other.doc == doc_id or pid in seen:
                continue
            seen.add(pid)
            other_text = article_set.document(other.doc).text
            span = (other.start, other.end)
            if narrow:
                span = _best_window(selected, other_text, other.start, other.end) or span
            if rest and span == (other.start, other.end):
                span = _shared_window(selected, rest, other_text, other.start, other.end) or span
            anchors.append(
                make_anchor(other_text, other.doc, span[0], span[1], passage=pid, confirmed=False)
            )
    order = {d.id: i for i, d in enumerate(article_set.documents)}
    anchors.sort(key=lambda a: (order.get(a.doc, len(order)), a.start))
    return anchors


def _content_words(text: str) -> list[tuple[str, int, int]]:
    """(normalised word, start, end) of the words of ``text`` that carry meaning."""
    out = []
    for m in re.finditer(r"\w[\w'’\-]*", text):
        word = m.group(0).casefold()
        if len(word) > 2 and word not in STOPWORDS:
            out.append((word, m.start(), m.end()))
    return out


def _shared_window(
    selected: str, rest: list[str], text: str, lo: int, hi: int
) -> tuple[int, int] | None:
    """The part of a merged sentence ``text[lo:hi]`` that carries the selection.

    Its words shared with the selection and not with the version's other merged
    sentences (``rest``) mark where the selection's content sits; the window runs
    from the first such word to the last.
    """
    mine = {w for w, _, _ in _content_words(selected)}
    theirs = {w for part in rest for w, _, _ in _content_words(part)}
    hits = [(s, e) for w, s, e in _content_words(text[lo:hi]) if w in mine and w not in theirs]
    if len(hits) < 2:
        return None
    start, end = lo + hits[0][0], lo + hits[-1][1]
    # take in the short words just before that the selection also has ("a US airstrike")
    words = {w.casefold() for w in WORD_RE.findall(selected)}
    for _ in range(3):
        before = re.search(r"(\w+)\s+$", text[lo:start])
        if before is None or before.group(1).casefold() not in words:
            break
        start = lo + before.start(1)
    if end - start >= 0.9 * (hi - lo):
        return None
    return start, end


def _clean_statement(selected: str) -> str:
    return " ".join(repair(selected).split())


def _best_window(needle: str, text: str, lo: int, hi: int) -> tuple[int, int] | None:
    """The part of ``text[lo:hi]`` most like ``needle``, snapped to word edges, if close enough."""
    hay = text[lo:hi]
    if not needle.strip() or len(needle) >= len(hay):
        return None
    found = fuzz.partial_ratio_alignment(needle, hay, score_cutoff=PARTIAL_ANCHOR_MIN_SCORE)
    if found is None:
        return None
    s, e = _refine_window(needle, hay, found.dest_start, found.dest_end)
    return lo + s, lo + e


def _word_edges(text: str) -> tuple[list[int], list[int]]:
    starts = [m.start() for m in _WORD_EDGE.finditer(text)]
    ends = [m.end() for m in _WORD_EDGE.finditer(text)]
    return starts, ends


def _refine_window(needle: str, hay: str, start: int, end: int) -> tuple[int, int]:
    """Move a rough window's edges to the word boundaries that best match ``needle``."""
    slack = max(8, len(needle) // 5)
    starts, ends = _word_edges(hay)
    cand_starts = [s for s in starts if abs(s - start) <= slack] or [start]
    cand_ends = [e for e in ends if abs(e - end) <= slack] or [end]
    best = (start, end)
    best_score = -1.0
    for s in cand_starts:
        for e in cand_ends:
            if e <= s:
                continue
            score = fuzz.ratio(needle, hay[s:e])
            # prefer the higher score, then the window nearest the rough one
            if score > best_score or (
                score == best_score
                and abs(s - start) + abs(e - end) < abs(best[0] - start) + abs(best[1] - end)
            ):
                best, best_score = (s, e), score
    return best


def _context_score(anchor: Anchor, text: str, start: int, end: int) -> float:
    """How well the text around ``[start, end)`` matches the anchor's prefix and suffix (0-1)."""
    parts: list[float] = []
    if anchor.prefix:
        before = text[max(0, start - len(anchor.prefix)) : start]
        parts.append(_common_suffix(anchor.prefix, before) / len(anchor.prefix))
    if anchor.suffix:
        after = text[end : end + len(anchor.suffix)]
        parts.append(_common_prefix(anchor.suffix, after) / len(anchor.suffix))
    if not parts:
        return 1.0
    return sum(parts) / len(parts)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_suffix(a: str, b: str) -> int:
    return _common_prefix(a[::-1], b[::-1])


def reanchor(anchor: Anchor, new_text: str) -> Anchor:
    """Find the anchor again in ``new_text`` (a re-imported version of its document).

    Tries, in order: the old offsets; the exact quote, choosing the occurrence whose
    context matches best and, among equals, the one nearest the old offset; a fuzzy
    match for small edits inside the quote. If none is good enough the anchor comes
    back ``orphaned=True`` with its quote intact, so nothing is lost.
    """
    exact = anchor.exact
    if exact and new_text[anchor.start : anchor.end] == exact:
        return _moved(anchor, new_text, anchor.start, anchor.end)
    if exact:
        found = _find_exact(anchor, new_text)
        if found is not None:
            return _moved(anchor, new_text, found, found + len(exact))
        fuzzy = _find_fuzzy(anchor, new_text)
        if fuzzy is not None:
            return _moved(anchor, new_text, fuzzy[0], fuzzy[1])
    start = min(anchor.start, len(new_text))
    return dataclasses.replace(anchor, start=start, end=start, orphaned=True)


def _moved(anchor: Anchor, text: str, start: int, end: int) -> Anchor:
    fresh = make_anchor(text, anchor.doc, start, end, context=_context_len(anchor))
    return dataclasses.replace(
        anchor,
        start=fresh.start,
        end=fresh.end,
        exact=fresh.exact,
        prefix=fresh.prefix,
        suffix=fresh.suffix,
        orphaned=False,
    )


def _context_len(anchor: Anchor) -> int:
    return max(len(anchor.prefix), len(anchor.suffix), CONTEXT_CHARS)


def _find_exact(anchor: Anchor, text: str) -> int | None:
    hits: list[int] = []
    at = text.find(anchor.exact)
    while at >= 0:
        hits.append(at)
        at = text.find(anchor.exact, at + 1)
    if not hits:
        return None

    def rank(pos: int) -> tuple[float, int]:
        score = round(_context_score(anchor, text, pos, pos + len(anchor.exact)), 2)
        return (-score, abs(pos - anchor.start))

    return min(hits, key=rank)


def _find_fuzzy(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """The word-aligned window most like the quote, its context counting as tie-breaker.

    A window is accepted when the quote itself is very close (``FUZZY_MIN_SCORE``) or
    fairly close with context that still matches, so a sentence that merely looks
    alike elsewhere in the text does not capture the anchor.
    """
    needle = anchor.exact
    if len(needle.strip()) < FUZZY_MIN_CHARS or not text:
        return None
    starts, ends = _word_edges(text)
    size = len(needle)
    lo, hi = int(size * 0.7), int(size * 1.3) + 1
    floor = FUZZY_MIN_SCORE - 15
    best: tuple[float, int, int, int] | None = None  # (score, -distance, start, end)
    end_index = 0
    for start in starts:
        while end_index < len(ends) and ends[end_index] < start + lo:
            end_index += 1
        k = end_index
        while k < len(ends) and ends[k] <= start + hi:
            end = ends[k]
            k += 1
            quote_score = fuzz.ratio(needle, text[start:end], score_cutoff=floor)
            if not quote_score:
                continue
            context = _fuzzy_context(anchor, text, start, end)
            accepted = (
                quote_score >= FUZZY_MIN_SCORE + 5
                or (quote_score >= FUZZY_MIN_SCORE and context >= 0.5)
                or (quote_score >= floor and context >= 0.8)
            )
            if not accepted:
                continue
            score = quote_score + 20 * context
            key = (score, -abs(start - anchor.start), start, end)
            if best is None or key[:2] > best[:2]:
                best = key
    return (best[2], best[3]) if best else None


def _fuzzy_context(anchor: Anchor, text: str, start: int, end: int) -> float:
    """Similarity (0-1) of the text around a window to the anchor's prefix and suffix."""
    parts: list[float] = []
    if anchor.prefix:
        before = text[max(0, start - len(anchor.prefix)) : start]
        parts.append(fuzz.ratio(anchor.prefix, before) / 100)
    if anchor.suffix:
        after = text[end : end + len(anchor.suffix)]
        parts.append(fuzz.ratio(anchor.suffix, after) / 100)
    return sum(parts) / len(parts) if parts else 0.5


def reanchor_facts(article_set: ArticleSet) -> list[Anchor]:
    """Re-attach every fact anchor after documents were re-imported; returns orphaned anchors.

    Each anchor is looked for again in the current text of its document and given the
    id of the sentence it now lies in. Anchors whose document is gone are orphaned.
    """
    texts = {d.id: d.text for d in article_set.documents}
    by_doc: dict[str, list[Passage]] = {}
    for p in article_set.passages:
        by_doc.setdefault(p.doc, []).append(p)
    orphans: list[Anchor] = []
    for fact in article_set.facts:
        fresh: list[Anchor] = []
        for anchor in fact.anchors:
            text = texts.get(anchor.doc)
            if text is None:
                moved = dataclasses.replace(anchor, orphaned=True)
            else:
                moved = reanchor(anchor, text)
                if not moved.orphaned:
                    moved.passage = _passage_at(by_doc.get(anchor.doc, []), moved.start, moved.end)
            if moved.orphaned:
                orphans.append(moved)
            fresh.append(moved)
        fact.anchors = fresh
    return orphans


def reattach_facts(article_set: ArticleSet) -> list[Fact]:
    """Re-anchor every fact after a re-import; returns the facts whose anchors changed.

    The caller saves the returned facts (``Project.upsert_fact``) so the new offsets,
    and the orphaned marks, are in the project at once.
    """
    before = {f.id: [dataclasses.astuple(a) for a in f.anchors] for f in article_set.facts}
    reanchor_facts(article_set)
    return [
        f
        for f in article_set.facts
        if [dataclasses.astuple(a) for a in f.anchors] != before.get(f.id)
    ]


def _passage_at(passages: list[Passage], start: int, end: int) -> str:
    for p in passages:
        if p.start < max(end, start + 1) and p.end > start:
            return p.id
    return ""


def anchor_passages(article_set: ArticleSet, fact: Fact) -> list[str]:
    """Ids of every sentence a fact's live anchors touch, in document order."""
    ids: list[str] = []
    for anchor in fact.anchors:
        if anchor.orphaned:
            continue
        for p in passages_overlapping(article_set, anchor.doc, anchor.start, anchor.end):
            if p.id not in ids:
                ids.append(p.id)
    return ids
