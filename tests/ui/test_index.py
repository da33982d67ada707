"""Row ordering and lookups the views rely on (no Qt)."""

from __future__ import annotations

from factdesk.core import views
from factdesk.core.model import ArticleSet, Group
from factdesk.ui.index import SetIndex


def test_rows_follow_the_focus_version_order(tiny_set: ArticleSet) -> None:
    index = SetIndex(tiny_set)
    keys = [r.key for r in index.ordered_rows("d0", ["d0", "d1"], show_boilerplate=True)]
    assert keys == ["g0", "g1", "u:d0.s2"]


def test_boilerplate_rows_are_hidden_unless_asked(tiny_set: ArticleSet) -> None:
    index = SetIndex(tiny_set)
    keys = [r.key for r in index.ordered_rows("d0", ["d0", "d1"], show_boilerplate=False)]
    assert "u:d0.s2" not in keys


def test_unmatched_passage_sits_after_the_focus_row_that_precedes_it(tiny_set: ArticleSet) -> None:
    # d1.s1 matches nothing: it must come right after g0 (its predecessor d1.s0 is in g0)
    tiny_set.groups = [Group("g0", ["d0.s0", "d1.s0"])]
    index = SetIndex(tiny_set)
    keys = [r.key for r in index.ordered_rows("d0", ["d0", "d1"], show_boilerplate=False)]
    assert keys.index("u:d1.s1") == keys.index("g0") + 1
    assert keys.index("u:d0.s1") > keys.index("g0")


def test_counterparts_report_link_score_and_relation(tiny_set: ArticleSet) -> None:
    index = SetIndex(tiny_set)
    (c,) = index.counterparts("d0.s1")
    assert c.passage.id == "d1.s1"
    assert (c.score, c.relation, c.source) == (0.6, "related", "editor")


def test_coverage_share_and_wording_come_from_core_views(sample_set: ArticleSet) -> None:
    index = SetIndex(sample_set)
    elsewhere = views.found_elsewhere(sample_set)
    matrix = views.share_matrix(sample_set)
    for doc in sample_set.documents:
        assert index.coverage(doc.id) == elsewhere[doc.id]
        assert index.unique_to(doc.id) == views.unique_passages(sample_set, doc.id)
        for other in sample_set.documents:
            assert index.share(doc.id, other.id) == matrix[(doc.id, other.id)]
    for d in sample_set.derivation:
        assert abs(index.share(d.derived, d.source) - d.share) < 1e-3
    stated = views.stated_derivations(sample_set)
    assert stated, "the sample has versions rewritten from others"
    best = index.best_source(stated[0].derived)
    assert best is not None
    text = index.derivation_text(stated[0].derived)
    assert text.startswith(views.derivation_verdict(best) + " #")


def test_related_links_do_not_count_as_found_elsewhere(tiny_set: ArticleSet) -> None:
    index = SetIndex(tiny_set)
    # d0.s0 has a "same" link, d0.s1 only a "related" one and d0.s2 is boilerplate
    s0, s1 = (index.passages[p] for p in ("d0.s0", "d0.s1"))
    size = s0.end - s0.start
    assert index.coverage("d0") == size / (size + s1.end - s1.start)
    assert [p.id for p in index.unique_to("d0")] == ["d0.s1"]
    assert index.share("d0", "d0") == 1.0


def test_search_finds_case_insensitive_hits_in_every_version(tiny_set: ArticleSet) -> None:
    index = SetIndex(tiny_set)
    hits = index.search("ROADS", ["d0", "d1"])
    assert {d for d, _ in hits} == {"d0", "d1"}
    for doc, offset in hits:
        assert index.docs[doc].text[offset : offset + 5].lower() == "roads"


def test_rows_of_a_version_sharing_nothing_with_the_focus_come_after_the_focus_text() -> None:
    from factdesk.core.model import ArticleSet, Document, Group, Passage
    from factdesk.ui.index import SetIndex

    docs = [
        Document(id="d0", path="a.txt", name="a.txt", text="One. Two."),
        Document(id="d1", path="b.txt", name="b.txt", text="Other. Story."),
    ]
    passages = [
        Passage("d0.s0", "d0", 0, 0, 0, 4),
        Passage("d0.s1", "d0", 1, 0, 5, 9),
        Passage("d1.s0", "d1", 0, 0, 0, 6),
        Passage("d1.s1", "d1", 1, 0, 7, 13),
    ]
    groups = [Group(f"g{k}", [p.id]) for k, p in enumerate(passages)]
    index = SetIndex(ArticleSet(documents=docs, passages=passages, groups=groups))
    rows = index.ordered_rows("d0", ["d0", "d1"], show_boilerplate=False)
    order = [next(iter(r.cells)) for r in rows]
    assert order == ["d0", "d0", "d1", "d1"]


def _clause_set() -> ArticleSet:
    from factdesk.core import pipeline
    from factdesk.core.model import Document

    long_a = (
        "The council approved the Harlan Works contract on Monday, and separately the "
        "mayor announced that the Marrow ferry would stop running in the spring."
    )
    short_b = "Councillors approved the Harlan Works contract on Monday."
    other = "The Marrow river bridge took four years to build."
    texts = (f"{long_a}\n\n{other}", f"{short_b}\n\n{other}")
    return pipeline.build(
        [
            Document(id=f"d{i}", path=f"v{i}.txt", name=f"v{i}.txt", text=t)
            for i, t in enumerate(texts)
        ]
    )


def test_a_partial_counterpart_names_the_parts_that_matched() -> None:
    article_set = _clause_set()
    index = SetIndex(article_set)
    long_id = next(p.id for p in index.by_doc["d0"] if "council" in index.raw_text(p.id))
    (c,) = [c for c in index.counterparts(long_id) if c.parts is not None]
    (a0, a1), (b0, b1) = c.parts
    own, other = index.display_text(long_id), index.display_text(c.passage.id)
    assert "Harlan Works contract" in own[a0:a1]
    assert "ferry" not in own[a0:a1]
    assert "Harlan Works contract" in other[b0:b1]
    [(start, end)] = index.matched_spans(long_id)
    assert article_set.documents[0].text[start:end] == own[a0:a1]
