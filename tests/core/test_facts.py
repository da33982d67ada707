"""Facts from a selection, suggested anchors, and re-anchoring after a re-import."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from factdesk.core.facts import make_anchor, new_fact, next_fact_id, reanchor, reanchor_facts
from factdesk.core.model import ArticleSet, Fact

# Call signature of the article-set builder fixture in conftest.py.
BuildSet = Callable[..., ArticleSet]


@pytest.fixture
def sample(build_set: BuildSet) -> ArticleSet:
    """Two versions aligned sentence by sentence, and one unrelated version."""
    return build_set(
        {
            "d0": [
                "The strike hit the headquarters on Thursday.",
                "At least two people were killed, including the leader of Iraqâ€™s militia.",
            ],
            "d1": [
                "A US drone strike hit the headquarters on Thursday.",
                "Two people died, among them the leader of the militia.",
            ],
            "d2": ["Something unrelated happened elsewhere."],
        },
        [[("d0", 0), ("d1", 0)], [("d0", 1), ("d1", 1)], [("d2", 0)]],
    )


def span(article_set: ArticleSet, doc: str, needle: str) -> tuple[int, int]:
    start = article_set.document(doc).text.index(needle)
    return start, start + len(needle)


def test_new_fact_prefills_repaired_statement_and_confirms_the_selection(
    sample: ArticleSet,
) -> None:
    start, end = span(
        sample, "d0", "At least two people were killed, including the leader of Iraqâ€™s militia."
    )
    fact = new_fact(sample, "d0", start, end)
    assert (
        fact.statement == "At least two people were killed, including the leader of Iraq’s militia."
    )
    own = fact.anchors[0]
    assert (own.doc, own.start, own.end, own.confirmed) == ("d0", start, end, True)
    assert own.passage == "d0.s1"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", fact.created)
    assert fact.modified == fact.created


def test_new_fact_suggests_anchors_in_every_aligned_version_only(sample: ArticleSet) -> None:
    start, end = span(sample, "d0", "The strike hit the headquarters on Thursday.")
    fact = new_fact(sample, "d0", start, end)
    others = fact.anchors[1:]
    assert [(a.doc, a.passage, a.confirmed) for a in others] == [("d1", "d1.s0", False)]
    assert others[0].exact == "A US drone strike hit the headquarters on Thursday."


def test_narrow_selection_suggests_the_matching_words_in_the_other_version(
    sample: ArticleSet,
) -> None:
    start, end = span(sample, "d0", "hit the headquarters")
    fact = new_fact(sample, "d0", start, end)
    assert fact.anchors[1].exact == "hit the headquarters"
    assert fact.anchors[1].passage == "d1.s0"


def test_fact_ids_take_the_next_free_number() -> None:
    facts = [Fact(id="f1", statement=""), Fact(id="f7", statement=""), Fact(id="x", statement="")]
    assert next_fact_id(facts) == "f8"
    assert next_fact_id([]) == "f1"


TEXT = (
    "Officials said 2,500 troops remain in Iraq. Later, officials said 900 troops remain in Syria."
)


def anchor_on(text: str, needle: str, occurrence: int = 0):  # type: ignore[no-untyped-def]
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(needle, start + 1)
    return make_anchor(text, "d0", start, start + len(needle))


def test_make_anchor_keeps_quote_and_context() -> None:
    anchor = anchor_on(TEXT, "2,500 troops", 0)
    assert anchor.exact == "2,500 troops"
    assert anchor.prefix.endswith("Officials said ")
    assert anchor.suffix.startswith(" remain in Iraq.")


def test_reanchor_keeps_offsets_when_text_is_unchanged() -> None:
    anchor = anchor_on(TEXT, "900 troops")
    assert reanchor(anchor, TEXT) == anchor


def test_reanchor_follows_an_insertion_before_the_quote() -> None:
    anchor = anchor_on(TEXT, "900 troops remain in Syria")
    edited = "BAGHDAD (Reuters) - " + TEXT
    moved = reanchor(anchor, edited)
    assert not moved.orphaned
    assert edited[moved.start : moved.end] == "900 troops remain in Syria"


def test_reanchor_picks_the_occurrence_with_matching_context() -> None:
    anchor = anchor_on(TEXT, "troops remain in", 1)  # the Syria one
    edited = "Update: " + TEXT.replace("Later, officials", "Later on, officials")
    moved = reanchor(anchor, edited)
    assert edited[moved.end : moved.end + 6] == " Syria"


def test_reanchor_survives_a_small_edit_inside_the_quote() -> None:
    anchor = anchor_on(TEXT, "Officials said 2,500 troops remain in Iraq.")
    edited = TEXT.replace("2,500 troops", "2,500 soldiers")
    moved = reanchor(anchor, edited)
    assert not moved.orphaned
    assert moved.exact == "Officials said 2,500 soldiers remain in Iraq."


def test_reanchor_marks_a_deleted_quote_orphaned_and_keeps_its_text() -> None:
    anchor = anchor_on(TEXT, "Later, officials said 900 troops remain in Syria.")
    edited = "Officials said 2,500 troops remain in Iraq. Nothing else was reported today at all."
    moved = reanchor(anchor, edited)
    assert moved.orphaned
    assert moved.exact == "Later, officials said 900 troops remain in Syria."


def test_reanchor_facts_updates_passages_and_orphans_missing_documents(build_set: BuildSet) -> None:
    article_set = build_set({"d0": ["Alpha beta gamma delta.", "The number was 42 exactly."]}, [])
    start, end = span(article_set, "d0", "The number was 42 exactly.")
    fact = new_fact(article_set, "d0", start, end)
    fact.anchors.append(make_anchor("gone", "d9", 0, 4))
    article_set.facts.append(fact)
    reimported = build_set(
        {"d0": ["A new first line.", "Alpha beta gamma delta.", "The number was 42 exactly."]}, []
    )
    reimported.facts = article_set.facts
    orphans = reanchor_facts(reimported)
    moved = reimported.facts[0].anchors[0]
    assert moved.passage == "d0.s2" and not moved.orphaned
    assert [a.doc for a in orphans] == ["d9"]
    assert len(reimported.facts[0].anchors) == 2  # nothing dropped


def test_a_suggested_anchor_in_a_merged_sentence_covers_only_the_selected_part(
    build_set: BuildSet,
) -> None:
    article_set = build_set(
        {
            "d0": [
                "The minister pledged to close the northern border crossings.",
                "The decision follows a flood that destroyed three bridges near the river.",
            ],
            "d1": [
                "The minister promised to close the northern border crossings after a flood "
                "destroyed three bridges near the river."
            ],
        },
        [[("d0", 0), ("d0", 1), ("d1", 0)]],
    )
    start, end = span(article_set, "d0", article_set.passage_text(article_set.passages[1]))
    fact = new_fact(article_set, "d0", start, end)
    suggested = [a for a in fact.anchors if a.doc == "d1"]
    assert len(suggested) == 1
    assert "flood destroyed three bridges near the river" in suggested[0].exact
    assert "border" not in suggested[0].exact


def test_saving_a_reimport_in_the_project_reattaches_its_facts(
    tmp_path: Path, build_set: BuildSet
) -> None:
    from factdesk.core.store import Project

    original = build_set(
        {
            "d0": [
                "Officials said 2,500 troops remain in the country.",
                "The talks ended on Thursday without a deal.",
                "A spokesman declined to comment on the matter.",
            ]
        },
        [],
    )
    path = tmp_path / "story.factdesk"
    project = Project.create(path, original)
    for needle in ("2,500 troops remain in the country", "A spokesman declined to comment"):
        start, end = span(project.article_set, "d0", needle)
        project.upsert_fact(new_fact(project.article_set, "d0", start, end))
    # the same version re-imported: a line added on top, a word changed, a sentence gone
    edited = build_set(
        {
            "d0": [
                "Updated at noon.",
                "Officials said 2,500 troops still remain in the country.",
                "The talks ended on Thursday without a deal.",
            ]
        },
        [],
    )
    project.save_alignment(edited)  # re-anchors and saves the facts in one transaction
    project.close()

    reopened = Project.open(path)
    try:
        facts = {f.id: f for f in reopened.article_set.facts}
        text = reopened.article_set.document("d0").text
    finally:
        reopened.close()
    moved = facts["f1"].anchors[0]
    assert not moved.orphaned
    assert text[moved.start : moved.end] == moved.exact
    assert "2,500 troops" in moved.exact and moved.passage == "d0.s1"
    lost = facts["f2"].anchors[0]
    assert lost.orphaned  # shown as orphaned, never dropped
    assert lost.exact == "A spokesman declined to comment"
