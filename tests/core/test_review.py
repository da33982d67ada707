"""Editing facts under review: edits copy, tags parse, filters match, names stay stable."""

from __future__ import annotations

import pytest

from factdesk.core.conflicts import Conflict
from factdesk.core.model import Anchor, ArticleSet, Document, Fact
from factdesk.core.review import (
    FactEditError,
    FactFilter,
    all_tags,
    autosave_name,
    conflicts_by_passage,
    edited,
    fact_docs,
    fact_spans,
    orphaned_count,
    parse_tags,
    set_fingerprint,
    with_anchor_confirmed,
    without_anchor,
)


def _fact() -> Fact:
    return Fact(
        id="f1",
        statement="2,500 troops remain",
        anchors=[
            Anchor(doc="d0", start=0, end=12, exact="2,500 troops", confirmed=True),
            Anchor(doc="d1", start=5, end=17, exact="2,500 troops"),
            Anchor(doc="d2", start=3, end=3, exact="2,500 soldiers", orphaned=True),
        ],
        origin="d0",
        status="unreviewed",
        tags=["Numbers"],
        modified="2020-01-01T00:00:00Z",
    )


def test_edited_returns_a_changed_copy_and_stamps_it() -> None:
    fact = _fact()
    new = edited(fact, status="confirmed", note="checked")
    assert (new.status, new.note) == ("confirmed", "checked")
    assert (fact.status, fact.note) == ("unreviewed", "")
    assert new.modified != fact.modified
    new.anchors[0].confirmed = False
    assert fact.anchors[0].confirmed is True


def test_edited_rejects_unknown_status_and_fields() -> None:
    with pytest.raises(FactEditError):
        edited(_fact(), status="maybe")
    with pytest.raises(FactEditError):
        edited(_fact(), id="f9")


def test_parse_tags_trims_drops_blanks_and_repeats() -> None:
    assert parse_tags(" troops,  Iraq ,, troops , IRAQ,new  tag ") == ["troops", "Iraq", "new tag"]
    assert parse_tags("") == []


def test_anchor_edits_confirm_and_remove_on_a_copy() -> None:
    fact = _fact()
    kept = with_anchor_confirmed(fact, 1)
    assert kept.anchors[1].confirmed and not fact.anchors[1].confirmed
    fewer = without_anchor(fact, 1)
    assert [a.doc for a in fewer.anchors] == ["d0", "d2"]
    assert len(fact.anchors) == 3
    with pytest.raises(FactEditError):
        without_anchor(fact, 7)


def test_orphaned_anchors_count_but_are_not_live_versions() -> None:
    fact = _fact()
    assert fact_docs(fact) == ["d0", "d1"]
    assert orphaned_count(fact) == 1
    assert fact_spans(fact) == [("d0", 0, 12), ("d1", 5, 17)]


@pytest.mark.parametrize(
    ("criteria", "conflicts", "expected"),
    [
        (FactFilter(), 0, True),
        (FactFilter(status="unreviewed"), 0, True),
        (FactFilter(status="confirmed"), 0, False),
        (FactFilter(doc="d1"), 0, True),
        (FactFilter(doc="d2"), 0, False),  # only an orphaned anchor there
        (FactFilter(tag="numbers"), 0, True),
        (FactFilter(tag="dates"), 0, False),
        (FactFilter(conflicts_only=True), 0, False),
        (FactFilter(conflicts_only=True), 2, True),
        (FactFilter(text="TROOPS"), 0, True),
        (FactFilter(text="missile"), 0, False),
    ],
)
def test_fact_filter_matches(criteria: FactFilter, conflicts: int, expected: bool) -> None:
    assert criteria.matches(_fact(), conflicts) is expected


def test_all_tags_lists_each_tag_once_sorted() -> None:
    a, b = _fact(), _fact()
    b.tags = ["numbers", "army"]
    assert all_tags([a, b]) == ["army", "Numbers"]


def test_conflicts_by_passage_leaves_out_spelling_variants() -> None:
    real = Conflict("number", "g1", ["d0", "d1"], {"d0": "2", "d1": "3"}, "m", ["d0.s1", "d1.s1"])
    variant = Conflict("variant", "g1", ["d0", "d1"], {}, "v", ["d0.s1"])
    index = conflicts_by_passage([real, variant])
    assert index == {"d0.s1": [real], "d1.s1": [real]}


def test_autosave_name_is_stable_and_avoids_taken_names() -> None:
    docs = [Document(id="d0", path="a", name="a", text="one"), Document("d1", "b", "b", "two")]
    article_set = ArticleSet(documents=docs)
    name = autosave_name(article_set)
    assert name == f"autosave-{set_fingerprint(article_set)}.factdesk"
    assert autosave_name(ArticleSet(documents=list(docs))) == name
    assert autosave_name(ArticleSet(documents=docs[::-1])) != name
    stem = name.removesuffix(".factdesk")
    assert autosave_name(article_set, [name]) == f"{stem}-2.factdesk"
    assert autosave_name(article_set, [name, f"{stem}-2.factdesk"]) == f"{stem}-3.factdesk"
