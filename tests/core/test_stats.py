"""Paragraph rows: whole paragraphs lined up by the sentences they share."""

from __future__ import annotations

from factdesk.core.model import ArticleSet


def test_paragraph_rows_hold_whole_paragraphs_that_share_sentences(
    council_paragraphs: ArticleSet,
) -> None:
    from factdesk.core.stats import paragraph_groups

    result = council_paragraphs
    groups = paragraph_groups(result)
    every = [pid for g in groups for pid in g.passages]
    assert sorted(every) == sorted(p.id for p in result.passages)  # each sentence once
    paragraph_of = {p.id: (p.doc, p.paragraph) for p in result.passages}
    first = next(g for g in groups if "d0.s0" in g.passages)
    assert {paragraph_of[p] for p in first.passages} == {("d0", 0), ("d1", 0)}
    assert len(first.passages) == 4  # both sentences of both first paragraphs


def test_paragraph_rows_never_pile_up_paragraphs_of_one_version(sample_set) -> None:  # type: ignore[no-untyped-def]
    from collections import Counter

    from factdesk.core.stats import paragraph_groups

    paragraph_of = {p.id: (p.doc, p.paragraph) for p in sample_set.passages}
    for group in paragraph_groups(sample_set):
        per_doc = Counter(doc for doc, _ in {paragraph_of[p] for p in group.passages})
        assert max(per_doc.values()) <= 2
