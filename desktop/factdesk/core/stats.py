"""Figures derived from an alignment: paragraph links and how much of each version is shared."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from factdesk.core.model import ArticleSet, Group, Relation

# Shares of text live with the rest of what the views say about a set.
from factdesk.core.views import found_elsewhere, share_matrix

__all__ = [
    "ParagraphLink",
    "found_elsewhere",
    "paragraph_groups",
    "paragraph_links",
    "share_matrix",
]


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


def paragraph_groups(article_set: ArticleSet, max_per_doc: int = 2) -> list[Group]:
    """Rows of whole paragraphs: the paragraphs whose sentences share rows, together.

    Every alignment group joins the paragraphs its sentences sit in. A join that would put
    more than ``max_per_doc`` paragraphs of one version in a row is left out, so rows stay
    paragraph-sized even where a rewrite moved sentences between paragraphs. Each group
    lists every sentence of its paragraphs; paragraphs that share nothing stay alone.
    """
    paragraph_of = {p.id: f"{p.doc}.p{p.paragraph}" for p in article_set.passages}
    doc_of_paragraph = {f"{p.doc}.p{p.paragraph}": p.doc for p in article_set.passages}
    parent: dict[str, str] = {}
    members: dict[str, Counter[str]] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for paragraph, doc in doc_of_paragraph.items():
        members[find(paragraph)] = Counter({doc: 1})
    for group in article_set.groups:
        paragraphs = list(
            dict.fromkeys(paragraph_of[p] for p in group.passages if p in paragraph_of)
        )
        for other in paragraphs[1:]:
            ra, rb = find(paragraphs[0]), find(other)
            if ra == rb:
                continue
            merged = members[ra] + members[rb]
            if max(merged.values()) > max_per_doc:
                continue
            parent[rb] = ra
            members[ra] = merged
    rows: dict[str, list[str]] = {}
    for p in article_set.passages:
        rows.setdefault(find(paragraph_of[p.id]), []).append(p.id)
    return [Group(id=f"pg{k}", passages=pids) for k, pids in enumerate(rows.values())]
