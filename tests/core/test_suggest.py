"""Check-worthy units per alignment group, on hand-made sentences with known answers."""

from __future__ import annotations

from collections.abc import Callable

from factdesk.core.model import ArticleSet
from factdesk.core.suggest import (
    Suggestion,
    all_suggestions,
    cluster_entities,
    fact_from_suggestion,
    suggestions_for_group,
)

# Call signatures of the article-set builder fixtures in conftest.py.
BuildSet = Callable[..., ArticleSet]
PairSet = Callable[[str, str], ArticleSet]


def of_kind(suggestions: list[Suggestion], kind: str) -> list[Suggestion]:
    return [s for s in suggestions if s.kind == kind]


def surfaces(s: Suggestion) -> dict[str, list[str]]:
    return {doc: [m[3] for m in mentions] for doc, mentions in s.by_doc.items()}


def test_numbers_are_normalised_and_merged_across_versions_with_their_qualifier(
    pair_set: PairSet,
) -> None:
    found = of_kind(
        suggestions_for_group(
            pair_set(
                "Some 2,500 troops are still in the country.", "About 2500 troops remain there."
            ),
            "g0",
        ),
        "number",
    )
    assert len(found) == 1
    assert surfaces(found[0]) == {"d0": ["Some 2,500 troops"], "d1": ["About 2500 troops"]}
    assert found[0].detail["value"] == "2500"
    assert found[0].detail["counts"] == "troop"


def test_numbers_keep_what_they_count(build_set: BuildSet) -> None:
    article_set = build_set(
        {
            "d0": [
                "They were attacked on more than 110 occasions.",
                "The blasts killed nearly 100 people and 16 militiamen.",
                "Unemployment rose to 5.8% last year.",
            ]
        },
        [[("d0", 0)], [("d0", 1)], [("d0", 2)]],
    )
    numbers = of_kind(all_suggestions(article_set), "number")
    labels = sorted(s.label for s in numbers)
    assert labels == ["16 militiamen", "5.8%", "more than 110 occasions", "nearly 100 people"]
    by_label = {s.label: s.detail for s in numbers}
    assert by_label["5.8%"]["value"] == "5.8%"
    assert by_label["more than 110 occasions"]["counts"] == "occasion"


def test_dates_and_weekdays_are_found_and_merged(pair_set: PairSet) -> None:
    article_set = pair_set(
        "The strike on January 4 came after talks on Thursday.",
        "The Jan. 4, 2024 strike followed talks on Thursday and a report dated 2024-01-06.",
    )
    dates = of_kind(suggestions_for_group(article_set, "g0"), "date")
    by_value = {s.detail["value"]: surfaces(s) for s in dates}
    assert by_value["01-04"] == {"d0": ["January 4"], "d1": ["Jan. 4, 2024"]}
    assert by_value["thursday"] == {"d0": ["on Thursday"], "d1": ["on Thursday"]}
    assert by_value["01-06"] == {"d1": ["2024-01-06"]}


def test_direct_quotes_name_who_is_quoted(build_set: BuildSet) -> None:
    article_set = build_set(
        {
            "d0": ["“We condemn the attacks on our forces,” the Iraqi PM stated on Friday."],
            "d1": ["“We will not leave,” said Adrienne Watson, a spokesperson."],
        },
        [[("d0", 0)], [("d1", 0)]],
    )
    quotes = of_kind(all_suggestions(article_set), "quote")
    speakers = {surfaces(q)[next(iter(q.by_doc))][0]: q.detail.get("speaker") for q in quotes}
    assert speakers == {
        "We condemn the attacks on our forces": "the Iraqi PM",
        "We will not leave": "Adrienne Watson",
    }


def test_name_variants_are_merged_into_one_entity_with_variants_listed(pair_set: PairSet) -> None:
    article_set = pair_set(
        "Prime Minister Mohammed Shia al-Sudani met Hashd al-Shaabi and Mushtaq Taleb al-Saidi.",
        "Prime Minister Mohamed Chia al-Soudani met Hachd al-Chaabi and Mushtaq Talib al-Saidi.",
    )
    entities = of_kind(suggestions_for_group(article_set, "g0"), "entity")
    assert len(entities) == 3
    for entity in entities:
        assert set(entity.by_doc) == {"d0", "d1"}
        assert len(entity.variants) == 2
    sudani = next(e for e in entities if "Sudani" in e.label or "Soudani" in e.label)
    assert set(sudani.variants) == {"Mohammed Shia al-Sudani", "Mohamed Chia al-Soudani"}
    assert sudani.detail["role"] == "prime minister"


def test_short_forms_join_the_full_name_but_different_names_stay_apart() -> None:
    clusters = cluster_entities(
        ["Mohammed Shia al-Sudani", "al-Sudani", "Soudani", "Sudan", "Iran", "Iranian"]
    )
    assert clusters["al-Sudani"].key == clusters["Mohammed Shia al-Sudani"].key
    assert clusters["Soudani"].key == clusters["Mohammed Shia al-Sudani"].key
    assert clusters["Sudan"].key != clusters["al-Sudani"].key
    assert clusters["Iran"].key != clusters["Iranian"].key


def test_acronyms_join_the_name_they_abbreviate() -> None:
    clusters = cluster_entities(
        ["Harakat Hezbollah al-Nujaba", "HHN", "United States", "U.S.", "US"]
    )
    assert clusters["HHN"].key == clusters["Harakat Hezbollah al-Nujaba"].key
    assert clusters["U.S."].key == clusters["US"].key == clusters["United States"].key


def test_attributions_name_the_actor(build_set: BuildSet) -> None:
    article_set = build_set(
        {
            "d0": [
                "The strike was necessary, the Pentagon said.",
                "It was an act of self-defense, according to Washington.",
                "The attack was claimed by the Islamic Resistance in Iraq.",
            ]
        },
        [[("d0", 0)], [("d0", 1)], [("d0", 2)]],
    )
    found = of_kind(all_suggestions(article_set), "attribution")
    actors = [(s.detail["actor"], s.detail["verb"]) for s in found]
    assert actors == [
        ("the Pentagon", "source"),
        ("Washington", "source"),
        ("the Islamic Resistance in Iraq", "claim"),
    ]


def test_offsets_point_into_the_original_text_even_with_mojibake(build_set: BuildSet) -> None:
    article_set = build_set(
        {"d0": ["Iraqâ€™s army counted 2,500 troops on Thursday."]}, [[("d0", 0)]]
    )
    text = article_set.documents[0].text
    for suggestion in all_suggestions(article_set):
        for _pid, start, end, surface in suggestion.by_doc["d0"]:
            assert text[start:end] == surface or surface in ("Iraq’s", "Iraq")


def test_suggestions_are_deterministic_and_ordered_by_kind(pair_set: PairSet) -> None:
    article_set = pair_set(
        "On Thursday the Pentagon said 2,500 troops stay, “for now and for good,” he added.",
        "The Pentagon said on Thursday that some 2,500 troops remain.",
    )
    first = all_suggestions(article_set)
    assert first == all_suggestions(article_set)
    kinds = [s.kind for s in first]
    order = ["number", "date", "quote", "entity", "attribution"]
    assert kinds == sorted(kinds, key=order.index)


def test_fact_from_suggestion_anchors_every_appearance(pair_set: PairSet) -> None:
    article_set = pair_set("Some 2,500 troops are still there.", "About 2500 troops remain.")
    number = of_kind(all_suggestions(article_set), "number")[0]
    fact = fact_from_suggestion(article_set, number)
    assert fact.id == "f1"
    assert fact.statement == "Some 2,500 troops are still there."
    assert [(a.doc, a.exact) for a in fact.anchors] == [
        ("d0", "Some 2,500 troops"),
        ("d1", "About 2500 troops"),
    ]
    assert fact.tags == ["number"]


def test_adjectives_of_places_and_sentence_openers_are_not_names(build_set: BuildSet) -> None:
    article_set = build_set(
        {
            "d0": [
                "Iraqi officials met American diplomats in Iraq on Monday.",
                "Notably, the Iran-backed militia left Basra.",
                "Currently the Iraqi PM is abroad, a militia leader, Karim Hassan, said.",
            ]
        },
        [[("d0", 0)], [("d0", 1)], [("d0", 2)]],
    )
    entities = {s.label: s.detail for s in of_kind(all_suggestions(article_set), "entity")}
    assert set(entities) == {"Iraq", "Iran", "Basra", "Karim Hassan"}
    assert "role" not in entities["Karim Hassan"]  # the comma ends the title before the name


def test_titles_and_occupations_before_a_name_are_roles_in_any_beat(pair_set: PairSet) -> None:
    article_set = pair_set(
        "Striker Lena Oberdorf scored twice, coach Pia Sundhage said.",
        "Forecaster Tom Yates expects rain, the Met Office said.",
    )
    entities = {
        s.label: s.detail for s in of_kind(suggestions_for_group(article_set, "g0"), "entity")
    }
    assert entities["Lena Oberdorf"]["role"] == "striker"
    assert entities["Pia Sundhage"]["role"] == "coach"
    assert entities["Tom Yates"]["role"] == "forecaster"
    assert "Met Office" in entities


def test_one_number_counting_differently_named_things_is_one_suggestion(pair_set: PairSet) -> None:
    numbers = of_kind(
        suggestions_for_group(
            pair_set(
                "Police were called more than 110 times; nearly 100 people died.",
                "Police came on over 110 occasions and nearly 100 lives were lost.",
            ),
            "g0",
        ),
        "number",
    )
    by_value = {s.detail["value"]: surfaces(s) for s in numbers}
    assert by_value["110"] == {"d0": ["more than 110 times"], "d1": ["over 110 occasions"]}
    assert set(by_value["100"]) == {"d0", "d1"}
    assert len(numbers) == 2


def test_suggestions_work_on_a_sports_story(pair_set: PairSet) -> None:
    article_set = pair_set(
        "Manchester Rovers beat Leeds City 3-1 at Wembley on Saturday before more than "
        "85,000 fans, the club said.",
        "Manchester Rovers defeated Leeds City at Wembley on Sunday, watched by about "
        "80,000 supporters, according to the Football Association.",
    )
    found = suggestions_for_group(article_set, "g0")
    labels = {(s.kind, s.label) for s in found}
    assert ("entity", "Manchester Rovers") in labels
    assert ("entity", "Wembley") in labels
    assert ("number", "more than 85,000 fans") in labels
    assert {("date", "on Saturday"), ("date", "on Sunday")} <= labels
    actors = {s.detail["actor"] for s in of_kind(found, "attribution")}
    assert actors == {"the club", "the Football Association"}


def test_suggestions_in_wire_copy_never_start_on_a_paragraph_marker() -> None:
    import unicodedata

    from factdesk.core import pipeline, suggest
    from factdesk.testing import devsets

    folder = devsets.set_folders("wire")[0]
    article_set = pipeline.analyse(sorted(folder.glob("*.txt")))
    text = {d.id: d.text for d in article_set.documents}
    firsts = [
        text[doc][start]
        for sug in suggest.all_suggestions(article_set)
        for doc, mentions in sug.by_doc.items()
        for _pid, start, _end, _surface in mentions
    ]
    assert firsts
    assert not [c for c in firsts if c.isspace() or unicodedata.category(c) == "Cc"]


def test_review_order_puts_claims_first_and_names_each_unit_once(sample_set) -> None:  # type: ignore[no-untyped-def]
    from factdesk.core import suggest

    raw = suggest.all_suggestions(sample_set)
    review = suggest.for_review(raw)
    kinds = [s.kind for s in review]
    order = {k: i for i, k in enumerate(suggest.REVIEW_ORDER)}
    assert [order[k] for k in kinds] == sorted(order[k] for k in kinds)
    keys = [(s.kind, s.key or s.label.casefold()) for s in review]
    assert len(keys) == len(set(keys)) < len(raw)
    # a repeated unit keeps every version's mentions and says in how many rows it is
    repeated = [s for s in review if "rows" in s.detail]
    assert repeated
    for sug in repeated:
        same = [
            r
            for r in raw
            if (r.kind, r.key or r.label.casefold()) == (sug.kind, sug.key or sug.label.casefold())
        ]
        assert int(sug.detail["rows"]) == len(same)
        assert sum(len(m) for m in sug.by_doc.values()) == sum(
            len(m) for r in same for m in r.by_doc.values()
        )


def test_review_order_leaves_the_suggestions_it_ranks_as_they_were(sample_set) -> None:  # type: ignore[no-untyped-def]
    import copy

    from factdesk.core import suggest
    from factdesk.core.analysis import analyse

    raw = suggest.all_suggestions(sample_set)
    before = copy.deepcopy(raw)
    first = suggest.for_review(raw)
    assert raw == before
    # ranked once with the analysis, the same as ranking its suggestions again
    analysis = analyse(sample_set)
    assert analysis.suggestions == before
    assert analysis.review == first == suggest.for_review(raw)
