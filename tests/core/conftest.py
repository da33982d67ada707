"""Builders for small hand-made article sets with known answers, shared by the core tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from factdesk.core.model import ArticleSet, Document, Group, Passage


def build_article_set(docs: dict[str, list[str]], rows: list[list[tuple[str, int]]]) -> ArticleSet:
    """An article set from sentences per version and rows of (doc, sentence index).

    Each version's text is its sentences joined by single spaces, one passage per sentence;
    each row becomes one alignment group.
    """
    result = ArticleSet()
    for doc_id, sentences in docs.items():
        text = ""
        for i, sentence in enumerate(sentences):
            start = len(text)
            text += sentence + " "
            result.passages.append(
                Passage(
                    id=f"{doc_id}.s{i}",
                    doc=doc_id,
                    index=i,
                    paragraph=0,
                    start=start,
                    end=start + len(sentence),
                )
            )
        result.documents.append(
            Document(id=doc_id, path=f"{doc_id}.txt", name=f"{doc_id}.txt", text=text)
        )
    for g, row in enumerate(rows):
        result.groups.append(Group(id=f"g{g}", passages=[f"{d}.s{i}" for d, i in row]))
    return result


@pytest.fixture
def build_set() -> Callable[..., ArticleSet]:
    """``build_set(docs, rows)``: see ``build_article_set``."""
    return build_article_set


@pytest.fixture
def pair_set() -> Callable[[str, str], ArticleSet]:
    """``pair_set(a, b)``: two one-sentence versions, d0 and d1, aligned in group g0."""

    def pair(a: str, b: str) -> ArticleSet:
        return build_article_set({"d0": [a], "d1": [b]}, [[("d0", 0), ("d1", 0)]])

    return pair
