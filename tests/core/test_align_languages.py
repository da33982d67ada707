"""Versions of one story in two languages: what the alignment links ends up in one row."""

from __future__ import annotations

from pathlib import Path

import pytest

from factdesk.core import pipeline
from factdesk.core.align import _group
from factdesk.core.model import ArticleSet, Link
from factdesk.core.text import detect_language

BILINGUAL = Path(__file__).parent / "data" / "bilingual"


def _group_of(article_set: ArticleSet) -> dict[str, frozenset[str]]:
    return {p: frozenset(g.passages) for g in article_set.groups for p in g.passages}


def _same_partners(article_set: ArticleSet, pid: str) -> set[str]:
    out = set()
    for lk in article_set.links:
        if lk.relation == "same" and pid in (lk.a, lk.b):
            out.add(lk.b if lk.a == pid else lk.a)
    return out


@pytest.fixture(scope="module")
def seeds_with_french(seeds_dir: Path) -> ArticleSet:
    """The sample's five English versions and a French translation of the first one."""
    return pipeline.analyse([*sorted(seeds_dir.glob("*.txt")), BILINGUAL / "seed000_fr.txt"])


def test_the_test_data_is_in_two_languages() -> None:
    assert detect_language((BILINGUAL / "storm_en.txt").read_text(encoding="utf-8")) == "en"
    assert detect_language((BILINGUAL / "storm_fr.txt").read_text(encoding="utf-8")) == "fr"
    assert detect_language((BILINGUAL / "seed000_fr.txt").read_text(encoding="utf-8")) == "fr"


def test_a_translation_pair_shares_rows_where_it_is_linked() -> None:
    article_set = pipeline.analyse([BILINGUAL / "storm_en.txt", BILINGUAL / "storm_fr.txt"])
    same = [lk for lk in article_set.links if lk.relation == "same"]
    assert same, "the English and French storm reports share figures and names"
    group_of = _group_of(article_set)
    for lk in same:
        assert group_of[lk.a] == group_of[lk.b]


def test_every_linked_french_passage_sits_with_what_it_is_linked_to(
    seeds_with_french: ArticleSet,
) -> None:
    french = next(d.id for d in seeds_with_french.documents if d.path.endswith("_fr.txt"))
    group_of = _group_of(seeds_with_french)
    linked = [p.id for p in seeds_with_french.passages if p.doc == french]
    linked = [pid for pid in linked if _same_partners(seeds_with_french, pid)]
    assert len(linked) >= 5
    for pid in linked:
        partners = _same_partners(seeds_with_french, pid)
        assert group_of[pid] & partners, f"{pid} is in no row with {sorted(partners)}"
    # The English sentence the first French one was linked to sits in a group of several
    # English versions: this is the case a third-of-the-pairs rule alone refused.
    crowded = [pid for pid in linked if len(group_of[pid]) >= 5]
    assert crowded


def test_a_translation_does_not_change_how_the_english_versions_group(
    seeds_dir: Path, seeds_with_french: ArticleSet
) -> None:
    english = pipeline.analyse(sorted(seeds_dir.glob("*.txt")))
    english_ids = {p.id for p in english.passages}
    with_french = sorted(
        tuple(p for p in g.passages if p in english_ids) for g in seeds_with_french.groups
    )
    assert [g for g in with_french if g] == sorted(tuple(g.passages) for g in english.groups)


def _same(a: str, b: str, score: float = 0.8) -> Link:
    return Link(a=a, b=b, score=score, relation="same")


# Four English versions (e0..e3) whose first sentences are all linked to one another.
_EN_GROUP = [_same(f"e{i}.s0", f"e{j}.s0", 0.9) for i in range(4) for j in range(i + 1, 4)]


def _run(links: list[Link], extra: dict[str, str]) -> list[set[str]]:
    ids = sorted({p for lk in links for p in (lk.a, lk.b)})
    doc_of = {p: p.split(".")[0] for p in ids}
    langs = {doc: extra.get(doc, "en") for doc in doc_of.values()}
    return [set(g) for g in _group(ids, doc_of, links, set(), langs)]


def test_a_translated_sentence_joins_the_group_of_its_original() -> None:
    groups = _run([*_EN_GROUP, _same("f0.s0", "e0.s0")], {"f0": "fr"})
    assert {"e0.s0", "e1.s0", "e2.s0", "e3.s0", "f0.s0"} in groups


def test_one_language_still_needs_a_third_of_the_pairs_linked() -> None:
    # The same links with a fifth English version in place of the French one: one link
    # to a group of four is not enough.
    groups = _run([*_EN_GROUP, _same("e4.s0", "e0.s0")], {})
    assert {"e4.s0"} in groups


def test_a_translation_linked_to_two_groups_does_not_chain_them() -> None:
    # English groups {a0,a1,a2} and {b0,b1,b2} say different things; the French sentence is
    # linked to one member of each. It joins the stronger; the two groups stay apart.
    first = [_same(f"e{i}.s0", f"e{j}.s0", 0.9) for i in range(3) for j in range(i + 1, 3)]
    second = [_same(f"e{i}.s1", f"e{j}.s1", 0.9) for i in range(3) for j in range(i + 1, 3)]
    groups = _run(
        [*first, *second, _same("f0.s0", "e0.s0", 0.8), _same("f0.s0", "e1.s1", 0.7)],
        {"f0": "fr"},
    )
    assert {"e0.s0", "e1.s0", "e2.s0", "f0.s0"} in groups
    assert {"e0.s1", "e1.s1", "e2.s1"} in groups


def test_groups_in_one_language_merge_by_the_third_of_pairs_rule_alone() -> None:
    from factdesk.core.align import _linked_enough

    # 2 links among 12 pairs: under a third, so no merge, even though most of the pairs
    # join passages of one document, which the rule for mixed languages would leave out
    doc_of = {"a1": "d0", "a2": "d0", "a3": "d1", "b1": "d0", "b2": "d0", "b3": "d0", "b4": "d2"}
    langs = {"d0": "en", "d1": "en", "d2": "en"}
    same_with = {p: set() for p in doc_of}
    for x, y in (("a3", "b4"), ("a1", "b4")):
        same_with[x].add(y)
        same_with[y].add(x)
    assert not _linked_enough(
        ["a1", "a2", "a3"], ["b1", "b2", "b3", "b4"], same_with, doc_of, langs
    )
