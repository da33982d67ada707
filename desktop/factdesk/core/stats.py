"""Figures derived from an alignment: paragraph links and how much of each version is shared."""

from __future__ import annotations

from dataclasses import dataclass

from factdesk.core.model import ArticleSet, Relation

# Shares of text live with the rest of what the views say about a set.
from factdesk.core.views import found_elsewhere, share_matrix

__all__ = ["ParagraphLink", "found_elsewhere", "paragraph_links", "share_matrix"]


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
