"""Shared-text figures and derivation wording the window, command line and reports share."""

from __future__ import annotations

import itertools

import pytest

from factdesk.core import views
from factdesk.core.align import LIKELY_SOURCE_SCORE, POSSIBLE_SOURCE_SCORE
from factdesk.core.model import ArticleSet, Derivation, Link


def test_share_matrix_agrees_with_the_aligners_derivation_shares(sample_set: ArticleSet) -> None:
    matrix = views.share_matrix(sample_set)
    assert sample_set.derivation
    for d in sample_set.derivation:
        assert matrix[(d.derived, d.source)] == pytest.approx(d.share, abs=1e-4)


def test_share_matrix_covers_every_pair_and_a_version_holds_itself(
    sample_set: ArticleSet,
) -> None:
    matrix = views.share_matrix(sample_set)
    ids = [d.id for d in sample_set.documents]
    assert set(matrix) == {(a, b) for a in ids for b in ids}
    assert all(matrix[(a, a)] == 1.0 for a in ids)
    assert all(0.0 <= v <= 1.0 for v in matrix.values())


def test_found_elsewhere_is_at_least_the_best_single_share(sample_set: ArticleSet) -> None:
    matrix = views.share_matrix(sample_set)
    elsewhere = views.found_elsewhere(sample_set)
    for a in elsewhere:
        best = max((v for (x, y), v in matrix.items() if x == a and y != a), default=0.0)
        assert elsewhere[a] >= best - 1e-9


def test_unique_passages_have_no_same_link_and_are_not_boilerplate(
    sample_set: ArticleSet,
) -> None:
    linked = {p for lk in sample_set.links if lk.relation == "same" for p in (lk.a, lk.b)}
    doc = sample_set.documents[0].id
    unique = views.unique_passages(sample_set, doc)
    assert unique
    assert all(p.doc == doc and not p.boilerplate and p.id not in linked for p in unique)
    assert [p.index for p in unique] == sorted(p.index for p in unique)


def test_boilerplate_never_counts_as_shared(tiny_set: ArticleSet) -> None:
    tiny_set.links.append(Link("d0.s2", "d1.s1", 0.9, "same"))
    assert "d0.s2" not in views.found_in(tiny_set)
    assert "d0" in views.found_in(tiny_set)["d1.s1"]


@pytest.mark.parametrize(
    ("score", "expected"),
    [
        (LIKELY_SOURCE_SCORE, "likely rewritten from"),
        (POSSIBLE_SOURCE_SCORE, "possibly rewritten from"),
        (POSSIBLE_SOURCE_SCORE - 0.01, ""),
    ],
)
def test_derivation_verdict_hedges_by_confidence(score: float, expected: str) -> None:
    assert views.derivation_verdict(Derivation("d0", "d1", 0.6, score)) == expected


def test_derivation_text_names_the_source_and_the_share() -> None:
    text = views.derivation_text(Derivation("d0", "d1", 0.754, 0.9), "wire")
    assert text == "likely rewritten from wire (75% of its text)"
    assert views.derivation_text(Derivation("d0", "d1", 0.9, 0.01), "wire") == ""


def test_stated_derivations_leave_out_weak_ones_and_sort_by_confidence(
    tiny_set: ArticleSet,
) -> None:
    tiny_set.derivation = [
        Derivation("d0", "d1", 0.5, 0.3),
        Derivation("d1", "d0", 0.2, 0.05),
        Derivation("d0", "d2", 0.9, 0.8),
    ]
    assert [(d.source, d.derived) for d in views.stated_derivations(tiny_set)] == [
        ("d0", "d2"),
        ("d0", "d1"),
    ]
    best = views.best_source(tiny_set, "d0")
    assert best is not None and best.source == "d1"


def test_search_is_case_insensitive_with_offsets_into_the_raw_text(tiny_set: ArticleSet) -> None:
    hits = views.search(tiny_set, " ROADS ", ["d0", "d1", "missing"])
    assert {d for d, _ in hits} == {"d0", "d1"}
    for doc, offset in hits:
        assert tiny_set.document(doc).text[offset : offset + 5].lower() == "roads"
    assert views.search(tiny_set, "  ", ["d0"]) == []


def test_search_offsets_stay_right_when_case_folding_changes_lengths() -> None:
    from factdesk.core.model import Document

    s = ArticleSet(documents=[Document("d0", "a.txt", "a.txt", "Die Straße ist zu. STRASSE")])
    hits = views.search(s, "strasse", ["d0"])
    assert [s.documents[0].text[o : o + 7] for _, o in hits] == ["STRASSE"]


def test_a_pair_with_no_sign_of_direction_is_stated_once_without_one() -> None:
    from factdesk.core.model import ArticleSet, Derivation, Document

    docs = [Document(id=f"d{i}", path=f"v{i}.txt", name=f"v{i}.txt", text="x") for i in range(2)]
    both_ways = ArticleSet(
        documents=docs,
        derivation=[Derivation("d0", "d1", 0.9, 0.44), Derivation("d1", "d0", 0.9, 0.44)],
    )
    stated = views.stated_derivations(both_ways)
    assert len(stated) == 1
    d = stated[0]
    assert views.derivation_verdict(d, views.reverse_of(both_ways, d)) == "shares its text with"
    one_way = ArticleSet(
        documents=docs,
        derivation=[Derivation("d0", "d1", 0.9, 0.7), Derivation("d1", "d0", 0.9, 0.2)],
    )
    first = views.stated_derivations(one_way)[0]
    assert (first.source, first.derived) == ("d0", "d1")
    assert (
        views.derivation_verdict(first, views.reverse_of(one_way, first)) == "likely rewritten from"
    )


def test_search_finds_the_other_spellings_of_a_name(sample_set) -> None:  # type: ignore[no-untyped-def]
    from factdesk.core import analysis, views

    units = analysis.analyse(sample_set).units
    docs = [d.id for d in sample_set.documents]
    assert "Soudani" in views.spelling_variants(units, "Sudani")
    assert "Sudani" in views.spelling_variants(units, "Soudani")
    plain = views.search(sample_set, "Sudani", docs)
    both = views.search_all(sample_set, ["Sudani", *views.spelling_variants(units, "Sudani")], docs)
    texts = {d.id: d.text for d in sample_set.documents}
    found = {texts[d][at : at + n].casefold() for d, at, n in both}
    assert found == {"sudani", "soudani"}
    assert len(both) > len(plain)
    # hits never overlap, and stay in document order
    for (d1, a1, n1), (d2, a2, _n2) in itertools.pairwise(both):
        assert docs.index(d1) < docs.index(d2) or (d1 == d2 and a1 + n1 <= a2)


def test_a_pair_saved_both_ways_is_stated_in_its_stronger_direction_only(
    tiny_set: ArticleSet,
) -> None:
    # sets saved by older versions may hold a pair twice, both confident enough to state
    tiny_set.derivation = [Derivation("d0", "d1", 0.6, 0.7), Derivation("d1", "d0", 0.5, 0.3)]
    stated = [(d.source, d.derived) for d in views.stated_derivations(tiny_set)]
    assert stated == [("d0", "d1")]
    # and the wording of the weaker way round (the Documents list) says nothing
    weaker = views.best_source(tiny_set, "d0")
    assert weaker is not None and weaker.source == "d1"
    assert views.derivation_text(weaker, "d1", views.reverse_of(tiny_set, weaker)) == ""
