"""``factdesk trace`` without an engine: inputs, bad feed lines, clustering, the report."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import numpy as np
import pytest

from factdesk.core import trace
from factdesk.testing.synth import generate_set
from factdesk.testing.tracesets import score_clusters, write_day


def _features(inputs: list[str]) -> tuple[list[trace.Features], list[str]]:
    refs, errors = trace.expand_inputs(inputs)
    found, problems = trace.read_features(refs)
    return found, [e.message for e in [*errors, *problems]]


def _clusters(clustering: trace.Clustering) -> list[list[str]]:
    return [
        [f.ref.key for f in s.members] + [c.ref.key for c, _o in s.copies]
        for s in clustering.stories
    ]


def test_bad_feed_lines_give_one_error_each_and_the_rest_is_read(tmp_path: Path) -> None:
    good = "The harbour authority in Quillingsby closed the Marrowdene channel on Tuesday."
    feed = tmp_path / "feed.jsonl"
    with feed.open("w", encoding="utf-8") as handle:
        handle.write(json.dumps({"id": "a1", "text": good, "outlet": "Wire"}) + "\n")
        handle.write(json.dumps({"id": "a2", "title": "no text here"}) + "\n")
        handle.write('{"id": "a3", "text": "broken\n')
        handle.write(json.dumps({"id": "a4", "text": "x" * (50 * 1024 * 1024)}) + "\n")
        handle.write("\n")
        handle.write(json.dumps({"id": "a5", "text": good + " Again.", "date": "2026-03-02"}))

    found, errors = _features([str(feed)])

    assert sorted(f.info.article for f in found) == ["a1", "a5"]
    assert len(errors) == 3
    assert any(e.startswith("feed.jsonl:2:") and "no text" in e for e in errors)
    assert any(e.startswith("feed.jsonl:3:") and "not valid JSON" in e for e in errors)
    assert any(e.startswith("feed.jsonl:4:") and "MB" in e for e in errors)
    a5 = next(f for f in found if f.info.article == "a5")
    assert a5.date == "2026-03-02"
    assert a5.ref.line == 6


def test_a_list_file_names_paths_relative_to_itself(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text("First article text.\n", encoding="utf-8")
    (folder / "two.txt").write_text("Second article text.\n", encoding="utf-8")
    listing = tmp_path / "list.txt"
    listing.write_text("# today\narticles/two.txt\narticles/one.txt\nmissing.txt\n")

    refs, errors = trace.expand_inputs([f"@{listing}"])

    assert [Path(r.path).name for r in refs] == ["two.txt", "one.txt"]
    assert [r.order for r in refs] == [0, 1]
    assert len(errors) == 1 and "does not exist" in errors[0].message


def test_generated_day_is_cut_into_its_stories(tmp_path: Path) -> None:
    day = write_day(tmp_path, 240, seed=3)
    found, errors = _features(day.inputs)

    clustering = trace.cluster(found)
    score = score_clusters(day.truth, _clusters(clustering))

    assert not errors
    assert score.purity >= 0.95
    assert score.completeness >= 0.95
    assert score.whole >= 0.95
    assert score.joined == 0


def test_development_sets_come_out_one_cluster_per_story() -> None:
    from factdesk.testing.devsets import story_of_files

    truth = {str(path): story for path, story in story_of_files().items()}
    found, errors = _features(sorted(truth))

    score = score_clusters(truth, _clusters(trace.cluster(found)))

    assert not errors
    assert score.joined == 0
    assert score.whole >= 0.95


def test_an_article_made_of_two_stories_does_not_chain_them(tmp_path: Path) -> None:
    gen = generate_set(40, seed=5)
    by_story: dict[int, list[str]] = {}
    for doc in gen.documents:
        text = doc.render()[0]
        (tmp_path / doc.name).write_text(text, encoding="utf-8")
        by_story.setdefault(doc.story, []).append(text)
    a, b = sorted(s for s, texts in by_story.items() if len(texts) >= 3)[:2]
    half_a = by_story[a][0][: len(by_story[a][0]) // 2]
    half_b = by_story[b][0][len(by_story[b][0]) // 2 :]
    (tmp_path / "roundup.txt").write_text(half_a + "\n\n" + half_b, encoding="utf-8")

    found, _errors = _features([str(tmp_path)])
    clustering = trace.cluster(found)

    story_of = {doc.name: doc.story for doc in gen.documents}
    for story in clustering.stories:
        names = [Path(f.ref.path).name for f in story.members]
        assert len({story_of[n] for n in names if n != "roundup.txt"}) <= 1


def test_exact_copies_are_read_once_and_listed_as_copies(tmp_path: Path) -> None:
    day = write_day(tmp_path / "day", 12, seed=1, credit_share=0, background_share=0)
    first = sorted((tmp_path / "day").glob("*.txt"))[0]
    copy = tmp_path / "copy.txt"
    copy.write_bytes(first.read_bytes())

    found, _errors = _features([*day.inputs, str(copy)])
    clustering = trace.cluster(found)

    holding = [s for s in clustering.stories if any(c.ref.path == str(copy) for c, _ in s.copies)]
    assert len(holding) == 1
    assert str(copy) not in {f.ref.path for s in clustering.stories for f in s.members}
    assert holding[0].copies[0][1].ref.path == str(first)


def test_the_date_window_leaves_out_articles_outside_it(tmp_path: Path) -> None:
    day = write_day(tmp_path, 60, seed=2, jsonl=True)
    found, _errors = _features(day.inputs)
    dates = sorted({f.date for f in found})
    assert len(dates) > 2

    clustering = trace.cluster(found, since=dates[1], until=dates[-2])

    kept = {f.date for s in clustering.stories for f in s.members}
    assert kept and min(kept) >= dates[1] and max(kept) <= dates[-2]
    assert {f.date for f in clustering.outside_window} & {dates[0], dates[-1]}


def test_parse_day_refuses_what_is_not_a_date() -> None:
    assert trace.parse_day("2026-03-04T10:00") == "2026-03-04"
    with pytest.raises(trace.TraceError):
        trace.parse_day("yesterday")


def test_summary_page_is_self_contained_and_sorted_by_reach() -> None:
    def story(name: str, outlets: list[str]) -> dict[str, object]:
        docs = [{"id": f"{name}{k}", "outlet": o, "kept": 0.5} for k, o in enumerate(outlets)]
        return {
            "story": name,
            "title": f"Story <{name}>",
            "source": f"{name}0",
            "reach": len(set(outlets)),
            "documents": docs,
            "conflicts": 1,
            "conflict_examples": [],
            "result": f"stories/{name}.json",
        }

    page = trace.summary_html(
        [story("small", ["A"]), story("wide", ["A", "B", "C"]), story("mid", ["A", "B"])],
        articles=6,
        errors=0,
    )

    assert page.index("stories/wide.json") < page.index("stories/mid.json")
    assert page.index("stories/mid.json") < page.index("stories/small.json")
    assert "Story &lt;wide&gt;" in page
    assert "<script" not in page and "http" not in page and "<link" not in page


def test_kept_share_is_the_part_of_the_source_another_version_carries(tmp_path: Path) -> None:
    from factdesk.core.pipeline import analyse

    source = (
        "The Quillingsby harbour authority closed the Marrowdene channel on Tuesday. "
        "Officials said the dredging of the Ostravik basin would take three weeks. "
        "Fishermen from Tarrowmouth protested outside the council offices."
    )
    (tmp_path / "a.txt").write_text(source + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(source.split(". ")[0] + ".\n", encoding="utf-8")
    article_set = analyse([tmp_path / "a.txt", tmp_path / "b.txt"])

    kept = trace.kept_shares(article_set, "d0")

    first = article_set.passages[0]
    assert kept["d1"] == pytest.approx(
        (first.end - first.start)
        / sum(p.end - p.start for p in article_set.passages if p.doc == "d0" and not p.boilerplate)
    )
    assert 0.2 < kept["d1"] < 0.5


def test_versions_rewritten_by_other_outlets_join_on_the_names_they_share(
    seeds_dir: Path,
) -> None:
    from factdesk.testing.devsets import story_of_files

    truth = {str(path): story for path, story in story_of_files().items()}
    sample = sorted(str(p) for p in seeds_dir.glob("*.txt"))
    features, errors = _features([*sample, *sorted(truth)])
    assert not errors
    clusters = _clusters(trace.cluster(features))
    # each version written by another outlet, they share few rare words but name the same
    # people and places
    home = next(c for c in clusters if sample[0] in c)
    assert set(home) == set(sample)
    score = score_clusters(truth, clusters)
    assert score.joined == 0 and score.purity == 1.0


def _story_features() -> dict[str, list[trace.Features]]:
    from factdesk.testing.devsets import story_of_files

    truth = {str(path): story for path, story in story_of_files().items()}
    features, errors = _features(sorted(truth))
    assert not errors
    by_story: dict[str, list[trace.Features]] = {}
    for f in features:
        by_story.setdefault(truth[f.ref.key], []).append(f)
    return by_story


def test_a_story_traced_alone_is_one_cluster_and_two_of_a_kind_never_join() -> None:
    # a handful of articles cannot say which names are rare; the day is read as larger
    by_story = _story_features()
    for story, features in by_story.items():
        assert len(trace.cluster(features).stories) == 1, story
    # stories of one kind (wire copy and its papers, rewrites, short agency copy) are the
    # ones most alike
    for a, b in itertools.combinations(sorted(by_story), 2):
        if a.split("/")[0] != b.split("/")[0]:
            continue
        for found in trace.cluster(by_story[a] + by_story[b]).stories:
            keys = {f.ref.key for f in found.members}
            assert not (keys & {f.ref.key for f in by_story[a]}) or keys <= {
                f.ref.key for f in by_story[a]
            }, (a, b)


def test_two_stories_on_one_topic_that_name_different_people_stay_apart() -> None:
    by_story = _story_features()
    robbery = by_story["wire/crime_robbery"]
    other = by_story["mixed/s03"]  # another armed robbery of a post office, other people
    shared = np.intersect1d(other[0].terms, robbery[2].terms)
    assert len(shared) >= trace.MIN_SHARED  # the topic's words are there ...

    clusters = _clusters(trace.cluster(robbery + other))

    assert sorted(len(c) for c in clusters) == [1, len(robbery)]  # ... the names are not


def _synthetic(order: int, terms: list[int]) -> trace.Features:
    ref = trace.ArticleRef(f"a{order}.txt", order)
    return trace.Features(
        ref=ref,
        info=trace.ArticleInfo(ref.path),
        title="",
        date="",
        sha256=f"{order:064x}",
        passages=1,
        terms=np.array(sorted(set(terms)), dtype=np.uint64),
        names=np.zeros(0, dtype=np.uint64),
    )


def test_terms_in_more_articles_than_a_story_holds_propose_no_pairs(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    common = list(range(1, 31))  # a topic of the day, in every article
    features = [_synthetic(k, common + [1000 * (k + 1) + t for t in range(10)]) for k in range(12)]

    assert trace.cluster(features).candidate_pairs > 0
    monkeypatch.setattr(trace, "MAX_TERM_ARTICLES", 6)
    clustering = trace.cluster(features)

    assert clustering.candidate_pairs == 0
    assert len(clustering.stories) == 12


def test_names_are_words_an_article_nearly_always_writes_capitalised() -> None:
    sentences = [
        "Officials in Baghdad said the Popular Mobilization Forces would stay.",
        "Later the forces met in Baghdad, as officials said.",
    ]
    found = trace.names(sentences)
    assert found == {"baghdad", "popular", "mobilization"}
    # "forces" is capitalised once of twice; "officials" and "later" only open sentences


def test_candidate_pairs_are_the_pairs_datasketch_lsh_proposes() -> None:
    from datasketch import LeanMinHash, MinHashLSH

    rng = np.random.default_rng(7)
    # small values so that bands collide often, as near-duplicates do
    signatures = rng.integers(0, 9, size=(300, trace.NUM_PERM), dtype=np.uint32)
    ids = np.arange(300, dtype=np.int64) * 3 + 5  # ids need not be row numbers

    found = {tuple(p) for p in trace.candidate_pairs(signatures, ids).tolist()}

    lsh = MinHashLSH(threshold=trace.LSH_THRESHOLD, num_perm=trace.NUM_PERM)
    sketches = [
        LeanMinHash(seed=1, hashvalues=row, scheme=trace.MINHASH_SCHEME) for row in signatures
    ]
    for key, sketch in zip(ids.tolist(), sketches, strict=True):
        lsh.insert(key, sketch)
    expected = {
        (min(a, b), max(a, b))
        for a, sketch in zip(ids.tolist(), sketches, strict=True)
        for b in lsh.query(sketch)
        if a != b
    }
    assert found == expected
    assert 0 < len(found) < 300 * 299 // 2


def test_pairs_sharing_a_key_pass_over_keys_held_by_too_many() -> None:
    keys = np.array([5, 7, 5, 9, 7, 5], dtype=np.uint64)
    ids = np.array([10, 11, 12, 13, 14, 15], dtype=np.int64)

    every = sorted(divmod(c, 100) for c in trace._pairs_sharing_a_key(keys, ids, 100).tolist())
    capped = trace._pairs_sharing_a_key(keys, ids, 100, max_run=2).tolist()

    assert every == [(10, 12), (10, 15), (11, 14), (12, 15)]
    assert [divmod(c, 100) for c in capped] == [(11, 14)]


def test_the_story_source_is_named_by_derivations_whose_direction_is_known() -> None:
    from factdesk.core.model import ArticleSet, Derivation, Document

    documents = [
        Document(id=f"d{k}", path=f"/day/{name}", name=name, text="")
        for k, name in enumerate(["first.txt", "twin.txt", "paper.txt"])
    ]
    article_set = ArticleSet(
        documents=documents,
        derivation=[
            # nothing tells which of the twins came first: stated in load order
            Derivation("d0", "d1", share=1.0, score=0.95, direction="unknown"),
            Derivation("d1", "d2", share=0.8, score=0.9),
        ],
    )
    task = trace.StoryTask(
        "s1",
        tuple(trace.ArticleRef(d.path, k) for k, d in enumerate(documents)),
        tuple(trace.ArticleInfo(d.name) for d in documents),
    )

    summary = trace._story_summary(task, article_set)

    assert summary["source"] == "twin.txt"
