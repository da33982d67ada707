"""Conflicts between aligned versions, on hand-made sentences with known answers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from factdesk.core.conflicts import (
    Conflict,
    conflicts_for_fact,
    conflicts_for_passage,
    find_conflicts,
)
from factdesk.core.facts import new_fact
from factdesk.core.model import ArticleSet, Derivation

# Call signatures of the article-set builder fixtures in conftest.py.
BuildSet = Callable[..., ArticleSet]
PairSet = Callable[[str, str], ArticleSet]


def kinds(conflicts: list[Conflict]) -> list[str]:
    return [c.kind for c in conflicts]


def test_different_numbers_for_the_same_thing_conflict(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set(
            "US air strikes have killed 16 militiamen so far.",
            "US air strikes have killed 18 militiamen.",
        )
    )
    assert kinds(conflicts) == ["number"]
    assert conflicts[0].words == {"d0": "16 militiamen", "d1": "18 militiamen"}
    assert conflicts[0].docs == ["d0", "d1"]


def test_a_version_giving_fewer_numbers_is_not_a_conflict(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set(
            "The US keeps 900 troops in Syria and 2,500 troops in Iraq.",
            "The US keeps 2500 troops in Iraq.",
        )
    )
    assert conflicts == []


def test_a_changed_hedge_on_the_same_number_is_flagged(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set("At least two people were killed.", "Two people were killed.")
    )
    assert kinds(conflicts) == ["number"]
    assert "hedge" in conflicts[0].message


def test_different_days_conflict(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set("Sudani spoke on Thursday in Baghdad.", "Sudani spoke on Friday in Baghdad.")
    )
    assert kinds(conflicts) == ["date"]
    assert conflicts[0].words == {"d0": "on Thursday", "d1": "on Friday"}


def test_different_names_for_the_same_role_conflict_but_spelling_variants_do_not(
    pair_set: PairSet,
) -> None:
    names = find_conflicts(
        pair_set(
            "Pentagon spokesman John Kirby said the strike was lawful.",
            "Pentagon spokesman Pat Ryder said the strike was lawful.",
        )
    )
    assert kinds(names) == ["name"]
    assert names[0].words == {"d0": "John Kirby", "d1": "Pat Ryder"}

    variant_set = pair_set(
        "Prime Minister Mohammed Shia al-Sudani spoke in Baghdad.",
        "Prime Minister Mohamed Chia al-Soudani spoke in Baghdad.",
    )
    assert find_conflicts(variant_set) == []
    variants = find_conflicts(variant_set, include_variants=True)
    assert kinds(variants) == ["variant"]
    assert not variants[0].is_conflict
    assert variants[0].words == {"d0": "Mohammed Shia al-Sudani", "d1": "Mohamed Chia al-Soudani"}


def test_a_quote_turned_into_paraphrase_is_flagged(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set(
            "Sudani said: “We will end the presence of the coalition in Iraq soon.”",
            "Sudani said the presence of the coalition in Iraq would end soon.",
        )
    )
    assert kinds(conflicts) == ["quote"]
    assert conflicts[0].docs == ["d0", "d1"]
    assert conflicts[0].words["d0"] == "We will end the presence of the coalition in Iraq soon"


def test_the_same_quote_in_both_versions_is_not_a_conflict(pair_set: PairSet) -> None:
    quote = "“We will end the presence of the coalition in Iraq soon,”"
    conflicts = find_conflicts(
        pair_set(f"{quote} Sudani said.", f"{quote} the prime minister said.")
    )
    assert "quote" not in kinds(conflicts)


def test_a_claim_attributed_to_different_actors_is_flagged(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set(
            "The attacks on US bases were carried out by unidentified parties.",
            "The attacks on US bases were claimed by the Islamic Resistance in Iraq.",
        )
    )
    assert kinds(conflicts) == ["attribution"]
    assert conflicts[0].words == {
        "d0": "carried out by unidentified parties",
        "d1": "claimed by the Islamic Resistance in Iraq",
    }


@pytest.fixture
def insertion_set(build_set: BuildSet) -> ArticleSet:
    article_set = build_set(
        {
            "d0": ["The strike hit Baghdad.", "Two people died."],
            "d1": [
                "The strike hit Baghdad.",
                "Share this article.",
                "Iran condemned it.",
                "Two people died.",
            ],
        },
        [[("d0", 0), ("d1", 0)], [("d1", 2)], [("d0", 1), ("d1", 3)]],
    )
    article_set.passages[3].boilerplate = True  # "Share this article."
    article_set.derivation = [Derivation(source="d0", derived="d1", share=0.9, score=0.9)]
    return article_set


def test_a_passage_absent_from_the_likely_source_is_an_insertion(insertion_set: ArticleSet) -> None:
    conflicts = find_conflicts(insertion_set)
    assert kinds(conflicts) == ["insertion"]
    assert conflicts[0].passages == ["d1.s2"]
    assert conflicts[0].docs == ["d0", "d1"]
    assert conflicts[0].words == {"d1": "Iran condemned it."}


def test_no_insertion_without_a_confident_source(insertion_set: ArticleSet) -> None:
    article_set = insertion_set
    article_set.derivation[0].score = 0.2
    assert find_conflicts(article_set) == []


def test_mutual_derivation_flags_insertions_in_one_direction_only(
    insertion_set: ArticleSet,
) -> None:
    article_set = insertion_set
    article_set.derivation.append(Derivation(source="d1", derived="d0", share=0.9, score=0.8))
    assert [c.docs for c in find_conflicts(article_set)] == [["d0", "d1"]]


def test_conflicts_can_be_asked_for_a_passage_or_a_fact(pair_set: PairSet) -> None:
    article_set = pair_set(
        "Sudani spoke on Thursday in Baghdad.", "Sudani spoke on Friday in Baghdad."
    )
    conflicts = find_conflicts(article_set)
    assert conflicts_for_passage(conflicts, "d1.s0") == conflicts
    assert conflicts_for_passage(conflicts, "d9.s0") == []
    fact = new_fact(article_set, "d0", 0, 12)
    assert conflicts_for_fact(article_set, fact, conflicts) == conflicts


def test_conflicts_are_deterministic(insertion_set: ArticleSet) -> None:
    article_set = insertion_set
    assert find_conflicts(article_set) == find_conflicts(article_set)


def test_a_country_and_its_capital_saying_the_same_thing_is_not_an_attribution_conflict(
    pair_set: PairSet,
) -> None:
    conflicts = find_conflicts(
        pair_set(
            "The United States has accused Kataib Hezbollah of the attack.",
            "Washington has accused Kataib Hezbollah of the attack.",
        )
    )
    assert "attribution" not in kinds(conflicts)


def test_two_different_organisations_credited_with_a_statement_conflict(pair_set: PairSet) -> None:
    conflicts = find_conflicts(
        pair_set(
            "About 150,000 homes lost power, according to UK Power Networks.",
            "About 150,000 homes lost power, according to the Energy Networks Association.",
        )
    )
    assert kinds(conflicts) == ["attribution"]
    assert conflicts[0].words == {
        "d0": "according to UK Power Networks",
        "d1": "according to the Energy Networks Association",
    }


def test_synonymous_hedges_are_not_a_conflict(pair_set: PairSet) -> None:
    for a, b in (("About", "Around"), ("More than", "Over"), ("Nearly", "Almost")):
        conflicts = find_conflicts(
            pair_set(f"{a} 150,000 homes lost power.", f"{b} 150,000 homes lost power.")
        )
        assert conflicts == [], (a, b)


def test_different_numbers_with_different_counted_words_conflict_when_close(
    pair_set: PairSet,
) -> None:
    conflicts = find_conflicts(
        pair_set(
            "Rovers won at Wembley before more than 85,000 fans.",
            "Rovers won at Wembley, watched by about 80,000 supporters.",
        )
    )
    assert kinds(conflicts) == ["number"]
    assert conflicts[0].words == {"d0": "more than 85,000 fans", "d1": "about 80,000 supporters"}
    far = find_conflicts(
        pair_set("The strikes hit 3 militia bases.", "The strikes killed 16 militiamen.")
    )
    assert "number" not in kinds(far)


def test_a_rewritten_headline_is_not_an_insertion(insertion_set: ArticleSet) -> None:
    article_set = insertion_set
    article_set.documents[1].title = "Iran condemned it."
    assert find_conflicts(article_set) == []


def test_a_fact_no_longer_carried_by_a_version_drops_that_versions_conflicts(
    build_set: BuildSet,
) -> None:
    article_set = build_set(
        {
            "d0": ["Sudani spoke on Thursday in Baghdad."],
            "d1": ["Sudani spoke on Friday in Baghdad."],
            "d2": ["Sudani spoke on Thursday in Baghdad."],
        },
        [[("d0", 0), ("d1", 0), ("d2", 0)]],
    )
    conflicts = find_conflicts(article_set)
    fact = new_fact(article_set, "d0", 0, 12)
    assert {tuple(c.docs) for c in conflicts_for_fact(article_set, fact, conflicts)} == {
        ("d0", "d1"),
        ("d1", "d2"),
    }
    fact.anchors = [a for a in fact.anchors if a.doc != "d1"]  # the editor removed d1
    assert conflicts_for_fact(article_set, fact, conflicts) == []


def _pair_set(a: str, b: str, date_a: str = "", date_b: str = ""):  # type: ignore[no-untyped-def]
    from factdesk.core import pipeline
    from factdesk.core.model import Document

    return pipeline.build(
        [
            Document(id="d0", path="a.txt", name="a.txt", text=a, date=date_a),
            Document(id="d1", path="b.txt", name="b.txt", text=b, date=date_b),
        ]
    )


def test_today_in_the_wire_and_yesterday_in_next_days_paper_are_one_day() -> None:
    from factdesk.core.conflicts import find_conflicts

    wire = "The driver from Leeds was jailed today after a three-day trial at the Crown Court."
    paper = "The driver from Leeds was jailed yesterday after a three-day trial at the Crown Court."
    same_day = _pair_set(wire, paper, "2024-01-02", "2024-01-03")
    assert not [c for c in find_conflicts(same_day) if c.kind == "date"]
    other_day = _pair_set(wire, paper, "2024-01-02", "2024-01-05")
    assert [c for c in find_conflicts(other_day) if c.kind == "date"]
    undated = _pair_set(wire, paper)
    assert not [c for c in find_conflicts(undated) if c.kind == "date"]


def test_hyphenated_numbers_that_disagree_are_a_conflict() -> None:
    from factdesk.core.conflicts import find_conflicts

    found = find_conflicts(
        _pair_set(
            "A 13-year sentence was handed to the driver, the court in Leeds heard.",
            "A 14-year sentence was handed to the driver, the court in Leeds heard.",
        )
    )
    [conflict] = [c for c in found if c.kind == "number"]
    assert "13-year" in conflict.message and "14-year" in conflict.message


def test_separator_lines_are_furniture_and_make_no_conflict() -> None:
    from factdesk.core.conflicts import find_conflicts

    result = _pair_set(
        "Rain hit Leeds on Monday.\n\n----------\n\nRoads were closed.",
        "Rain hit Leeds on Monday.\n\n* * * * *\n\nRoads were shut.",
    )
    rulers = [p for p in result.passages if not any(c.isalnum() for c in result.passage_text(p))]
    assert rulers and all(p.boilerplate and p.boilerplate_reason == "ruler" for p in rulers)
    ruler_ids = {p.id for p in rulers}
    assert not [c for c in find_conflicts(result) if set(c.passages) & ruler_ids]
