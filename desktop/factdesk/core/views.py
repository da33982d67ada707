"""What every view of a set says about it: shared text, unique passages, likely sources.

The desktop window, the command line and the reports all take their figures and
wording from here, so the same set reads the same everywhere. Shares follow the
aligner's own ``same`` links, as ``Derivation.share`` does: a passage counts as
found in another version when a ``same`` link joins it to a passage of that version.
Boilerplate never counts, on either side of the fraction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz

from factdesk.core.align import LIKELY_SOURCE_SCORE, POSSIBLE_SOURCE_SCORE
from factdesk.core.model import ArticleSet, Derivation, Passage
from factdesk.core.suggest import UnitIndex

#: Derivation scores closer than this, one each way, say nothing about the direction.
UNCLEAR_MARGIN = 0.05


def found_in(article_set: ArticleSet) -> dict[str, set[str]]:
    """Passage id -> the other versions a ``same`` link finds it in (boilerplate left out)."""
    passages = {p.id: p for p in article_set.passages}
    found: dict[str, set[str]] = defaultdict(set)
    for link in article_set.links:
        if link.relation != "same":
            continue
        a, b = passages.get(link.a), passages.get(link.b)
        if a is None or b is None or a.doc == b.doc:
            continue
        if not a.boilerplate:
            found[a.id].add(b.doc)
        if not b.boilerplate:
            found[b.id].add(a.doc)
    return dict(found)


def _sizes(article_set: ArticleSet) -> dict[str, int]:
    total: dict[str, int] = defaultdict(int)
    for p in article_set.passages:
        if not p.boilerplate:
            total[p.doc] += p.end - p.start
    return total


def found_elsewhere(
    article_set: ArticleSet, where: dict[str, set[str]] | None = None
) -> dict[str, float]:
    """Version id -> share of its (non-boilerplate) text some other version also states.

    ``where`` is the set's ``found_in``, when the caller already has it.
    """
    where = found_in(article_set) if where is None else where
    total = _sizes(article_set)
    shared: dict[str, int] = defaultdict(int)
    for p in article_set.passages:
        if where.get(p.id):
            shared[p.doc] += p.end - p.start
    return {
        d.id: (shared[d.id] / total[d.id] if total[d.id] else 0.0) for d in article_set.documents
    }


def share_matrix(
    article_set: ArticleSet, where: dict[str, set[str]] | None = None
) -> dict[tuple[str, str], float]:
    """(version, other) -> share of ``version``'s text found in ``other``, for every pair.

    The share of ``derived``'s text found in ``source`` is ``Derivation.share``.
    A version holds all of its own text. ``where`` is the set's ``found_in``, if known.
    """
    where = found_in(article_set) if where is None else where
    total = _sizes(article_set)
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for p in article_set.passages:
        for other in where.get(p.id, ()):
            shared[(p.doc, other)] += p.end - p.start
    ids = [d.id for d in article_set.documents]
    return {
        (a, b): 1.0 if a == b else (min(1.0, shared[(a, b)] / total[a]) if total[a] else 0.0)
        for a in ids
        for b in ids
    }


def unique_passages(
    article_set: ArticleSet, doc_id: str, where: dict[str, set[str]] | None = None
) -> list[Passage]:
    """The (non-boilerplate) passages of a version found in no other version, in text order.

    ``where`` is the set's ``found_in``, when the caller already has it (it walks every
    link of the set: a tenth of a second on 1,000 versions).
    """
    where = found_in(article_set) if where is None else where
    own = [
        p
        for p in article_set.passages
        if p.doc == doc_id and not p.boilerplate and not where.get(p.id)
    ]
    return sorted(own, key=lambda p: p.index)


# -- derivation wording ------------------------------------------------------------------


def best_source(article_set: ArticleSet, doc_id: str) -> Derivation | None:
    """The most likely source of a version, whatever its confidence."""
    candidates = [d for d in article_set.derivation if d.derived == doc_id]
    return max(candidates, key=lambda d: (d.score, d.share)) if candidates else None


def reverse_of(article_set: ArticleSet, derivation: Derivation) -> Derivation | None:
    """The same pair of versions the other way round."""
    for d in article_set.derivation:
        if d.source == derivation.derived and d.derived == derivation.source:
            return d
    return None


def direction_unclear(derivation: Derivation, reverse: Derivation | None) -> bool:
    """Nothing tells which of two versions came first (no dates, quotes or asymmetry).

    The aligner states such a pair once with ``direction="unknown"``; sets saved by older
    versions state it both ways with close scores.
    """
    if derivation.direction == "unknown":
        return True
    return reverse is not None and abs(derivation.score - reverse.score) < UNCLEAR_MARGIN


def derivation_verdict(derivation: Derivation, reverse: Derivation | None = None) -> str:
    """ "likely rewritten from", "possibly rewritten from", or "shares its text with" when
    the evidence points neither way (pass the ``reverse`` derivation to detect that).

    Empty below ``POSSIBLE_SOURCE_SCORE``: too weak to state. How much was taken is
    told by the share, written next to the verdict (``derivation_text``).
    """
    if derivation.score < POSSIBLE_SOURCE_SCORE:
        return ""
    if direction_unclear(derivation, reverse):
        return "shares its text with"
    if reverse is not None and reverse.score > derivation.score:
        return ""  # a pair saved both ways: only its stronger direction is stated
    hedge = "likely" if derivation.score >= LIKELY_SOURCE_SCORE else "possibly"
    return f"{hedge} rewritten from"


def derivation_text(
    derivation: Derivation, source_name: str, reverse: Derivation | None = None
) -> str:
    """The verdict on one derivation with its share: "likely rewritten from X (75% of its text)"."""
    verdict = derivation_verdict(derivation, reverse)
    if not verdict:
        return ""
    return f"{verdict} {source_name} ({round(100 * derivation.share)}% of its text)"


def stated_derivations(article_set: ArticleSet) -> list[Derivation]:
    """Derivations confident enough to state, most confident first.

    A pair whose direction is unclear is stated once.
    """
    order = {d.id: k for k, d in enumerate(article_set.documents)}
    stated = []
    for d in article_set.derivation:
        reverse = reverse_of(article_set, d)
        if not derivation_verdict(d, reverse):
            continue
        if (
            reverse is not None
            and direction_unclear(d, reverse)
            and order.get(d.derived, 0) > order.get(d.source, 0)
        ):
            continue  # a pair saved both ways by an older version: state it once
        stated.append(d)
    return sorted(stated, key=lambda d: (-d.score, d.derived, d.source))


# -- search ------------------------------------------------------------------------------


def search(
    article_set: ArticleSet, needle: str, docs: Iterable[str], limit: int = 2000
) -> list[tuple[str, int]]:
    """(version id, offset) of case-insensitive hits of ``needle`` in the given versions.

    Offsets point into ``Document.text``; hits do not overlap.
    """
    needle = needle.strip()
    hits: list[tuple[str, int]] = []
    if not needle:
        return hits
    texts = {d.id: d.text for d in article_set.documents}
    folded = needle.casefold()
    for doc_id in docs:
        text = texts.get(doc_id)
        if text is None:
            continue
        hay, key = text.casefold(), folded
        if len(hay) != len(text):  # casefold changed lengths (ß -> ss): offsets would drift
            hay, key = text.lower(), needle.lower()
        start = hay.find(key)
        while start >= 0 and len(hits) < limit:
            hits.append((doc_id, start))
            start = hay.find(key, start + max(1, len(key)))
    return hits


def spelling_variants(units: UnitIndex, needle: str) -> list[str]:
    """Other spellings of ``needle`` that the set's names use ("Soudani" for "Sudani").

    Taken from the entity clusters of the set's analysis: a variant that spells the needle
    differently (not one that merely contains it, which a plain search finds anyway).
    """
    folded = needle.strip().casefold()
    if len(folded) < 3:
        return []
    out: dict[str, str] = {}  # folded -> as written
    for cluster in units.entities.values():
        if not any(folded in v.casefold() for v in cluster.variants):
            continue
        for variant in cluster.variants:
            for word in variant.replace("-", " ").split():
                key = word.casefold()
                if (
                    folded not in key
                    and len(key) >= 3
                    and fuzz.ratio(key, folded) >= SPELLING_RATIO
                    and key not in out
                ):
                    out[key] = word
    return [out[k] for k in sorted(out)]


#: How alike (rapidfuzz ratio) two spellings of a name must be to be searched together.
SPELLING_RATIO = 75


def search_all(
    article_set: ArticleSet, needles: Iterable[str], docs: Iterable[str], limit: int = 2000
) -> list[tuple[str, int, int]]:
    """(version id, offset, length) of case-insensitive hits of any of ``needles``,
    in document order; overlapping hits keep the earlier, longer one."""
    wanted = list(docs)
    found: list[tuple[str, int, int]] = []
    for needle in dict.fromkeys(n.strip() for n in needles if n.strip()):
        found += [(d, at, len(needle)) for d, at in search(article_set, needle, wanted, limit)]
    order = {d: i for i, d in enumerate(wanted)}
    found.sort(key=lambda h: (order[h[0]], h[1], -h[2]))
    out: list[tuple[str, int, int]] = []
    for doc, at, length in found:
        if out and out[-1][0] == doc and at < out[-1][1] + out[-1][2]:
            continue
        out.append((doc, at, length))
    return out[:limit]
