"""Alignment behaviour on hand-made passages, generated sets and the hand-checked sample gold."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from factdesk.core import pipeline
from factdesk.core.model import Corrections, Document
from factdesk.testing import evaluate, synth

DATA = Path(__file__).parent / "data"

WIRE = """Officials said the new bridge over the Marrow river will open on March 12 after four years of work.

The structure cost 84 million euros, paid mostly by the regional council and a European fund.

Engineers had to redesign the central span in 2022 when tests found cracks in the original steel supplied by Harlan Works.

Mayor Ingrid Solberg called the bridge "a lifeline for the northern villages" at a ceremony on Tuesday.

Ferry services across the river will end once the bridge opens, the operator Nordlink confirmed."""

REWRITE = """Mayor Ingrid Solberg described the crossing as "a lifeline for the northern villages" during Tuesday's ceremony.

The new bridge spanning the Marrow river is set to open on March 12, officials said, after four years of construction.

Built for 84 million euros, the bridge was financed mostly by the regional council together with a European fund. The central span had to be redesigned in 2022. Tests had found cracks in the steel originally supplied by Harlan Works.

Nordlink, which operates the ferry, confirmed its services across the river will stop when the bridge opens."""

UNRELATED = """The orchestra announced its winter programme, which opens with a cycle of Sibelius symphonies.

Tickets for the season go on sale on Monday at the concert hall box office and online.

The conductor, who joined last year, said she wanted to bring younger audiences to classical music."""


def _docs(*texts: str) -> list[Document]:
    return [
        Document(id=f"d{i}", path=f"v{i}.txt", name=f"v{i}.txt", text=t)
        for i, t in enumerate(texts)
    ]


def _text_of(result, passage_id: str) -> str:
    p = next(p for p in result.passages if p.id == passage_id)
    return result.passage_text(p)


def _same_texts(result) -> set[frozenset[str]]:
    """Same links as pairs of 20-character sentence openings."""
    return {
        frozenset((_text_of(result, lk.a)[:20], _text_of(result, lk.b)[:20]))
        for lk in result.links
        if lk.relation == "same"
    }


def _pair(a: str, b: str) -> frozenset[str]:
    return frozenset((a[:20], b[:20]))


def test_reordered_and_paraphrased_sentences_are_linked() -> None:
    result = pipeline.build(_docs(WIRE, REWRITE))
    same = _same_texts(result)
    assert _pair("Mayor Ingrid Solberg called t", "Mayor Ingrid Solberg describe") in same
    assert _pair("Officials said the new bridge ", "The new bridge spanning the Ma") in same
    assert _pair("Ferry services across the riv", "Nordlink, which operates the f") in same


def test_split_sentence_links_to_both_parts() -> None:
    result = pipeline.build(_docs(WIRE, REWRITE))
    same = _same_texts(result)
    assert _pair("Engineers had to redesign the", "The central span had to be red") in same
    assert _pair("Engineers had to redesign the", "Tests had found cracks in the ") in same
    group = next(
        g
        for g in result.groups
        if any(_text_of(result, p).startswith("Engineers had") for p in g.passages)
    )
    texts = {_text_of(result, p)[:20] for p in group.passages}
    assert {"The central span had", "Tests had found crac"} <= texts


def test_documents_on_different_topics_get_no_links_at_all() -> None:
    result = pipeline.build(_docs(WIRE, REWRITE, UNRELATED))
    docs_linked = {frozenset((lk.a.split(".")[0], lk.b.split(".")[0])) for lk in result.links}
    assert frozenset(("d0", "d1")) in docs_linked
    assert not any("d2" in pair for pair in docs_linked)


def test_same_input_gives_identical_output() -> None:
    first = pipeline.build(_docs(WIRE, REWRITE, UNRELATED))
    second = pipeline.build(_docs(WIRE, REWRITE, UNRELATED))
    assert first.links == second.links
    assert first.groups == second.groups
    assert first.derivation == second.derivation


def test_every_passage_is_in_exactly_one_group() -> None:
    result = pipeline.build(_docs(WIRE, REWRITE, UNRELATED))
    counts = Counter(p for g in result.groups for p in g.passages)
    assert set(counts) == {p.id for p in result.passages}
    assert max(counts.values()) == 1


def test_editor_pins_are_respected() -> None:
    plain = pipeline.build(_docs(WIRE, REWRITE))
    link = next(lk for lk in plain.links if lk.relation == "same")
    loose = next(
        (a.id, b.id)
        for a in plain.passages
        for b in plain.passages
        if a.doc == "d0"
        and b.doc == "d1"
        and not a.boilerplate
        and not b.boilerplate
        and not any({lk.a, lk.b} == {a.id, b.id} for lk in plain.links)
    )
    corrections = Corrections(forced_links=[loose], forbidden_links=[(link.a, link.b)])
    pinned = pipeline.build(_docs(WIRE, REWRITE), corrections=corrections)
    pairs = {frozenset((lk.a, lk.b)): lk for lk in pinned.links}
    assert frozenset((link.a, link.b)) not in pairs
    forced = pairs[frozenset(loose)]
    assert forced.relation == "same" and forced.source == "editor"
    assert any(set(loose) <= set(g.passages) for g in pinned.groups)


def test_derivation_names_the_longer_source_of_a_shortened_copy() -> None:
    short = "\n\n".join(WIRE.split("\n\n")[:3])
    result = pipeline.build(_docs(WIRE, short))
    best = max(result.derivation, key=lambda d: d.score)
    assert (best.source, best.derived) == ("d0", "d1")
    assert best.share > 0.9


@pytest.mark.parametrize("n_docs,seed", [(12, 3), (40, 7)])
def test_generated_sets_are_aligned_close_to_their_truth(n_docs: int, seed: int, tmp_path) -> None:
    gen = synth.generate_set(n_docs, seed=seed)
    for doc in gen.documents:
        (tmp_path / doc.name).write_text(doc.render()[0], encoding="utf-8")
    result = pipeline.analyse([tmp_path])
    truth = evaluate.truth_from_generated(result, gen)
    score = evaluate.score_pairs(evaluate.same_pairs(result), truth)
    # The generated prose is documentation, full of near-identical sentences written
    # independently, so precision here is a floor, not the target for news sets.
    assert score.recall >= 0.85, score
    assert score.precision >= 0.6, score


def test_groups_never_chain_into_a_giant_component(tmp_path) -> None:
    gen = synth.generate_set(40, seed=11)
    for doc in gen.documents:
        (tmp_path / doc.name).write_text(doc.render()[0], encoding="utf-8")
    result = pipeline.analyse([tmp_path])
    biggest = max(len(g.passages) for g in result.groups)
    most_versions = max(Counter(d.story for d in gen.documents).values())
    assert biggest <= 3 * most_versions


def test_sample_gold_precision_and_recall(seeds_dir) -> None:
    gold = json.loads((DATA / "seed_gold.json").read_text(encoding="utf-8"))
    result = pipeline.analyse([seeds_dir])
    expected = evaluate.gold_from_snippets(
        result, [[tuple(w) for w in f["where"]] for f in gold["facts"]]
    )
    score = evaluate.score_pairs(evaluate.same_pairs(result), expected)
    print("sample gold:", score)
    # Heavy paraphrase across independent outlets is the hard case; precision must hold.
    assert score.precision >= 0.8, score
    # target F1 0.70; about 0.68 today
    assert score.recall >= 0.5, score
    assert score.f1 >= 0.65, score


def test_sample_furniture_is_flagged_and_its_text_is_not(seeds_dir) -> None:
    gold = json.loads((DATA / "seed_boilerplate.json").read_text(encoding="utf-8"))
    result = pipeline.analyse([seeds_dir])
    truth = evaluate.furniture_from_lines(result, [tuple(f) for f in gold["furniture"]])
    assert len(truth) == len(gold["furniture"])  # every listed line is found
    score = evaluate.score_sets(evaluate.boilerplate_ids(result), truth)
    assert score.f1 >= 0.85, score


def test_paragraph_links_follow_from_sentence_links() -> None:
    from factdesk.core.stats import paragraph_links

    result = pipeline.build(_docs(WIRE, REWRITE))
    para_of = {p.id: f"{p.doc}.p{p.paragraph}" for p in result.passages}
    expected = {frozenset((para_of[lk.a], para_of[lk.b])) for lk in result.links}
    got = paragraph_links(result)
    assert {frozenset((pl.a, pl.b)) for pl in got} == expected
    assert sum(pl.sentences for pl in got) == len(result.links)
    for pl in got:
        scores = [lk.score for lk in result.links if {para_of[lk.a], para_of[lk.b]} == {pl.a, pl.b}]
        assert pl.score == max(scores)


def test_alignment_is_identical_whatever_the_hash_seed(seeds_dir) -> None:
    """Set iteration order changes with the hash seed; the output must not."""
    import os
    import subprocess
    import sys

    import factdesk

    root = str(Path(factdesk.__file__).resolve().parent.parent)
    outputs = []
    for seed in ("1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=seed, PYTHONPATH=root)
        done = subprocess.run(
            [sys.executable, "-m", "factdesk", "align", str(seeds_dir), "--json"],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=300,
        )
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]


def test_chinese_versions_are_aligned_sentence_by_sentence() -> None:
    first = "北京时间周二，暴雨袭击了南方城市。袭击造成三人死亡。市政府宣布关闭所有学校。气象部门预计降雨将持续到周末。"
    second = "市政府宣布关闭全市所有学校。周二，一场暴雨袭击了南方城市。袭击造成三人死亡。气象部门预计降雨会持续到周末。"
    result = pipeline.build(_docs(first, second))
    same = _same_texts(result)
    assert _pair("袭击造成三人死亡。", "袭击造成三人死亡。") in same
    assert _pair("市政府宣布关闭所有学校。", "市政府宣布关闭全市所有学校。") in same
    assert _pair("气象部门预计降雨将持续到周末。", "气象部门预计降雨会持续到周末。") in same


WIRE_COPY = """FLOODS Town
PA 09:15 03/02/2021 page 1 of 1

Hundreds of homes in the market town of Ashby were flooded overnight after the river Mease burst its banks.

Fire crews rescued 37 people from cars and houses, the county fire service said.

Council leader Joan Price said: "We have never seen water rise this fast, and our first job is to get every family somewhere warm and dry tonight."

The Environment Agency issued six severe flood warnings for the area.

Forecasters expect more rain on Thursday."""

PAPER_COPY = """Town under water

Hundreds of homes in Ashby were flooded overnight when the river Mease burst its banks.

Fire crews pulled 37 people from cars and homes.

Council leader Joan Price said: "We have never seen water rise this fast."

Six severe flood warnings were issued for the area by the Environment Agency.

Residents have started a fund for families who lost everything."""


def test_wire_copy_is_named_the_source_of_a_newspaper_rewrite() -> None:
    result = pipeline.build(_docs(PAPER_COPY, WIRE_COPY))
    best = max(result.derivation, key=lambda d: d.score)
    assert (best.source, best.derived) == ("d1", "d0")
    assert best.direction == "known"
    # a pair of versions is stated once: never both ways
    assert not [d for d in result.derivation if d.source == "d0" and d.derived == "d1"]


def test_a_shortened_quote_points_to_the_version_that_kept_it_whole() -> None:
    # No slug line, no dates: the trimmed quote alone tells the direction.
    wire = "\n\n".join(WIRE_COPY.split("\n\n")[1:])
    result = pipeline.build(_docs(PAPER_COPY, wire))
    [stated] = result.derivation
    assert (stated.source, stated.derived, stated.direction) == ("d1", "d0", "known")


def test_a_link_that_shares_one_clause_records_the_matching_parts() -> None:
    long_a = (
        "The council approved the Harlan Works contract on Monday, and separately the "
        "mayor announced that the Marrow ferry would stop running in the spring."
    )
    short_b = "Councillors approved the Harlan Works contract on Monday."
    other = "The Marrow river bridge took four years to build."
    result = pipeline.build(_docs(f"{long_a}\n\n{other}", f"{short_b}\n\n{other}"))
    link = next(
        lk
        for lk in result.links
        if _text_of(result, lk.a).startswith("The council") and lk.spans is not None
    )
    (a0, a1), (b0, b1) = link.spans
    text_a, text_b = result.documents[0].text, result.documents[1].text
    assert "Harlan Works contract" in text_a[a0:a1]
    assert "ferry" not in text_a[a0:a1]
    assert text_b[b0:b1].strip(" .") in short_b


def test_us_with_dots_is_one_term_and_never_the_pronoun() -> None:
    from factdesk.core.text import content_terms

    assert content_terms("A U.S. strike") == content_terms("A US strike")
    assert "u.s." in content_terms("the U.S. strike")
    assert "u.s." not in content_terms("he told us")


def _court_story(accused: str, age: int, town: str, victim: str, court: str) -> str:
    return "\n\n".join(
        [
            f"{accused}, {age}, appeared at {town} Magistrates' Court today charged with an "
            "armed robbery in which a shopkeeper was threatened with a sawn-off shotgun.",
            f"{accused} is accused of taking the takings from {victim}'s shop in {town} last week.",
            "The court heard that two men wearing balaclavas burst into the shop shortly "
            f"after it opened and ordered {victim} to empty the safe.",
            f"{accused}, who spoke only to confirm his name and address, made no "
            "application for bail and was remanded in custody.",
            f"He will appear at {court} Crown Court next month.",
            "Detectives are still hunting a second man and police are appealing for "
            "witnesses to come forward.",
        ]
    )


def test_stories_written_to_one_template_about_different_people_do_not_link() -> None:
    salford = _court_story("Lee Hargreaves", 31, "Salford", "Pauline Cheung", "Manchester")
    wakefield = _court_story("Darren Pryce", 27, "Wakefield", "Margaret Hollis", "Leeds")
    result = pipeline.build(_docs(salford, wakefield))
    assert not [lk for lk in result.links if lk.relation == "same"]


def test_a_version_that_names_the_same_people_is_linked_throughout() -> None:
    salford = _court_story("Lee Hargreaves", 31, "Salford", "Pauline Cheung", "Manchester")
    rewrite = salford.replace("today", "yesterday").replace("shopkeeper", "shop owner")
    result = pipeline.build(_docs(salford, rewrite))
    assert len([lk for lk in result.links if lk.relation == "same"]) == 6
