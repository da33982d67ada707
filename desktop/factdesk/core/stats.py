"""Figures derived from an alignment: paragraph links and how much of each version is shared."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from factdesk.core.model import ArticleSet, Relation


@dataclass
class ParagraphLink:
    """Two paragraphs of different versions that hold linked sentences."""

    a: str  # paragraph id
    b: str
    score: float  # best score of the sentence links between them
    relation: Relation  # "same" when any of those links is
    sentences: int  # how many sentence links join them


def paragraph_links(article_set: ArticleSet) -> list[ParagraphLink]:
    """Paragraph links follow from sentence links, in passage order."""
    paragraph_of = {p.id: f"{p.doc}.p{p.paragraph}" for p in article_set.passages}
    order = {p.id: k for k, p in enumerate(article_set.paragraphs)}
    found: dict[tuple[str, str], ParagraphLink] = {}
    for link in article_set.links:
        pa, pb = paragraph_of.get(link.a), paragraph_of.get(link.b)
        if pa is None or pb is None:
            continue
        if order.get(pa, 0) > order.get(pb, 0):
            pa, pb = pb, pa
        current = found.get((pa, pb))
        if current is None:
            found[(pa, pb)] = ParagraphLink(pa, pb, link.score, link.relation, 1)
            continue
        current.score = max(current.score, link.score)
        current.sentences += 1
        if link.relation == "same":
            current.relation = "same"
    return sorted(found.values(), key=lambda pl: (order.get(pl.a, 0), order.get(pl.b, 0)))


def share_matrix(article_set: ArticleSet) -> dict[tuple[str, str], float]:
    """(source, derived) -> share of ``derived``'s text found in ``source``."""
    return {(d.source, d.derived): d.share for d in article_set.derivation}


def found_elsewhere(article_set: ArticleSet) -> dict[str, float]:
    """Share of each version's non-boilerplate text that some other version also states."""
    linked: set[str] = set()
    for link in article_set.links:
        if link.relation == "same":
            linked.update((link.a, link.b))
    total: dict[str, int] = defaultdict(int)
    shared: dict[str, int] = defaultdict(int)
    for p in article_set.passages:
        if p.boilerplate:
            continue
        total[p.doc] += p.end - p.start
        if p.id in linked:
            shared[p.doc] += p.end - p.start
    return {
        d.id: (shared[d.id] / total[d.id] if total[d.id] else 0.0) for d in article_set.documents
    }
