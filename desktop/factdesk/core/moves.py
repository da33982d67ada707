"""Moved text: passages a version tells in another order than a reference version.

A version's passages, in reading order, are set against the positions of their
counterparts in the reference version (the focus). The longest run of passages whose
counterparts keep the reference's order is taken as the order both versions share
(a longest non-decreasing subsequence, as Meld and CollateX find transpositions);
every other linked passage is *moved*. Two paragraphs swapped mark those two
paragraphs and nothing between them (of equally long orders, the one holding more
text is kept).

A passage's counterpart is the reference passage of its alignment group (its row in
the synoptic view), else one a ``same`` link joins it to; of several, the best linked.
Boilerplate is left out on both sides. The result depends on the set alone.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from factdesk.core.model import ArticleSet, Link, Passage


@dataclass(frozen=True)
class Move:
    """A passage of a version that the reference version tells elsewhere."""

    passage: str  # the moved passage (in the version)
    counterpart: str  # its counterpart in the reference version
    after: str | None  # the reference passage just before the counterpart (None: it opens)
    #: The version's own passage just before the moved one (None: it opens the version).
    previous: str | None


class _Counterparts:
    """Links and alignment groups by passage, and each version's passages in reading order."""

    def __init__(self, article_set: ArticleSet) -> None:
        self.links: dict[str, dict[str, Link]] = defaultdict(dict)
        for link in article_set.links:
            self.links[link.a][link.b] = link
            self.links[link.b][link.a] = link
        self.group: dict[str, list[str]] = {}
        for group in article_set.groups:
            for pid in group.passages:
                self.group.setdefault(pid, group.passages)
        self.by_doc: dict[str, list[Passage]] = defaultdict(list)
        for p in article_set.passages:
            if not p.boilerplate:
                self.by_doc[p.doc].append(p)
        for plist in self.by_doc.values():
            plist.sort(key=lambda p: p.index)

    def best_in(self, passage_id: str, rank: dict[str, int]) -> str | None:
        """The counterpart of a passage among the passages ``rank`` orders.

        The reference passages of its alignment group (its row in the synoptic view),
        else those a ``same`` link joins it to; of several, the best linked, then the first.
        """
        links = self.links.get(passage_id, {})
        found = [q for q in self.group.get(passage_id, ()) if q in rank and q != passage_id]
        if not found:
            found = [q for q, link in links.items() if q in rank and link.relation == "same"]

        def key(q: str) -> tuple[int, float, int]:
            link = links.get(q)
            same = link is not None and link.relation == "same"
            return (0 if same else 1, -(link.score if link else 0.0), rank[q])

        return min(found, key=key) if found else None


def _kept(positions: list[int], sizes: list[int]) -> set[int]:
    """Indices of a longest non-decreasing subsequence of ``positions``.

    Of several equally long, the one holding the most text (``sizes``) is kept, so that of
    two paragraphs swapped around a third of the same length the swapped pair is moved;
    then the one whose passages come first. A Fenwick tree over the positions holds the
    best subsequence ending at or below each position: O(n log n).
    """
    n = len(positions)
    top = max(positions, default=-1) + 1
    tree: list[tuple[int, int, int]] = [(0, 0, 0)] * (top + 1)  # (count, size, -(index + 1))
    best: list[tuple[int, int, int]] = [(0, 0, 0)] * n
    parent = [-1] * n
    for i in range(n):
        k = positions[i] + 1
        prior = (0, 0, 0)
        while k > 0:  # best subsequence ending at a position <= positions[i]
            prior = max(prior, tree[k])
            k -= k & -k
        parent[i] = -prior[2] - 1
        best[i] = (prior[0] + 1, prior[1] + sizes[i], -(i + 1))
        k = positions[i] + 1
        while k <= top:
            tree[k] = max(tree[k], best[i])
            k += k & -k
    kept: set[int] = set()
    i = -max(best, default=(0, 0, 0))[2] - 1
    while i >= 0:
        kept.add(i)
        i = parent[i]
    return kept


def _moves(index: _Counterparts, doc_id: str, reference: str) -> dict[str, Move]:
    if doc_id == reference:
        return {}
    ref_passages = index.by_doc.get(reference, [])
    rank = {p.id: k for k, p in enumerate(ref_passages)}
    own = index.by_doc.get(doc_id, [])
    linked: list[tuple[Passage, str]] = []  # (passage, its counterpart)
    for p in own:
        counterpart = index.best_in(p.id, rank)
        if counterpart is not None:
            linked.append((p, counterpart))
    kept = _kept([rank[c] for _, c in linked], [p.end - p.start for p, _ in linked])
    previous = {p.id: (own[k - 1].id if k else None) for k, p in enumerate(own)}
    out: dict[str, Move] = {}
    for i, (p, counterpart) in enumerate(linked):
        if i in kept:
            continue
        at = rank[counterpart]
        out[p.id] = Move(
            passage=p.id,
            counterpart=counterpart,
            after=ref_passages[at - 1].id if at else None,
            previous=previous[p.id],
        )
    return out


def moved_passages(article_set: ArticleSet, doc_id: str, reference: str) -> dict[str, Move]:
    """Passage id -> ``Move`` for each passage of ``doc_id`` told out of the order of
    ``reference``. Empty for the reference itself."""
    return _moves(_Counterparts(article_set), doc_id, reference)


def all_moves(article_set: ArticleSet, reference: str) -> dict[str, Move]:
    """Passage id -> ``Move`` for the moved passages of every version against ``reference``."""
    index = _Counterparts(article_set)
    out: dict[str, Move] = {}
    for doc in article_set.documents:
        out.update(_moves(index, doc.id, reference))
    return out


def moved_in(article_set: ArticleSet, reference: str) -> dict[str, list[Move]]:
    """Reference passage id -> the moves of other versions' passages that it is the
    counterpart of (what the reader marks on the reference's own text)."""
    return by_counterpart(all_moves(article_set, reference))


def by_counterpart(moves: dict[str, Move]) -> dict[str, list[Move]]:
    """The moves of ``all_moves`` by the reference passage each is the counterpart of."""
    out: dict[str, list[Move]] = defaultdict(list)
    for move in moves.values():
        out[move.counterpart].append(move)
    return dict(out)
