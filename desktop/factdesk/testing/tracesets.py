"""Generated news days for ``factdesk trace``: many stories, with the story of every article known.

Built on ``synth.generate_set`` (stories in 2-8 versions plus single texts), with what
makes a real day harder to cut into stories:

* an agency credit line with the same rare names under articles of many stories, as
  wire copy carries ("Reporting by ...; editing by ...");
* follow-up stories that repeat a few sentences of an earlier story as background, which
  are still stories of their own;
* outlets and dates, so that the report and the date window have something to show.

``score_clusters`` measures purity and completeness of a clustering against the truth,
and ``cross_story_links`` counts the alignment links that join passages of different
stories in a trace's output.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from factdesk.testing.synth import GenDocument, generate_set

OUTLETS = (
    "Wire Service",
    "Morning Herald",
    "Evening Standard",
    "Daily Ledger",
    "Valley Times",
    "Coastal Post",
    "City Chronicle",
    "Northern Echo",
    "Harbour Gazette",
    "Plains Courier",
)
CREDIT_LINES = (
    "Reporting by Oluwaseun Adeyemi-Kowalczyk and Ingrid Thorvaldsdottir; editing by Priyanka Raghunathan.",
    "Additional reporting by Siobhan Featherstonehaugh in Reykjavik; writing by Tadeusz Wisniewski.",
)


@dataclass
class DaySet:
    """Where each generated article is and which story it belongs to."""

    inputs: list[str]  # what to pass to ``factdesk trace``
    truth: dict[str, int]  # article key (file path, or "feed.jsonl:line") -> story
    passages_hint: int = 0


def _text_of(doc: GenDocument, rng: random.Random, credit_share: float) -> str:
    text = doc.render()[0]
    if rng.random() < credit_share:
        text = text.rstrip("\n") + "\n\n" + rng.choice(CREDIT_LINES) + "\n"
    return text


def _with_background(
    documents: list[GenDocument], rng: random.Random, share: float
) -> dict[str, str]:
    """Texts of follow-up articles that open with two sentences of another story."""
    by_story: dict[int, list[GenDocument]] = {}
    for doc in documents:
        by_story.setdefault(doc.story, []).append(doc)
    stories = sorted(by_story)
    extra: dict[str, str] = {}
    for doc in documents:
        if rng.random() >= share or len(stories) < 2:
            continue
        other = rng.choice([s for s in stories if s != doc.story])
        donor = by_story[other][0]
        sentences = [s.text for p in donor.paragraphs for s in p][:2]
        extra[doc.name] = " ".join(sentences)
    return extra


def write_day(
    directory: str | Path,
    n_docs: int,
    *,
    seed: int = 0,
    jsonl: bool = False,
    credit_share: float = 0.3,
    background_share: float = 0.1,
) -> DaySet:
    """Write ``n_docs`` generated articles as text files (or one JSON Lines feed)."""
    rng = random.Random(seed + 1)
    gen = generate_set(n_docs, seed=seed)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    background = _with_background(gen.documents, rng, background_share)
    truth: dict[str, int] = {}
    lines: list[str] = []
    for k, doc in enumerate(gen.documents):
        text = _text_of(doc, rng, credit_share)
        if doc.name in background:
            text = background[doc.name] + "\n\n" + text
        outlet = OUTLETS[(doc.story + k) % len(OUTLETS)]
        date = f"2026-03-{1 + doc.story % 28:02d}"
        if jsonl:
            record = {"id": doc.name.removesuffix(".txt"), "text": text, "outlet": outlet}
            record["date"] = date
            lines.append(json.dumps(record))
            truth[f"{folder / 'feed.jsonl'}:{len(lines)}"] = doc.story
        else:
            path = folder / doc.name
            path.write_text(f"{outlet}\n{date}\n\n{text}", encoding="utf-8")
            truth[str(path)] = doc.story
    if jsonl:
        (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return DaySet([str(folder / "feed.jsonl")], truth)
    return DaySet([str(folder)], truth)


@dataclass
class ClusterScore:
    purity: float  # share of articles in the majority story of their cluster
    completeness: float  # share of articles in the majority cluster of their story
    whole: float  # share of stories that come out as exactly one cluster
    joined: int  # clusters holding articles of two or more stories
    stories: int
    clusters: int


def score_clusters(
    truth: Mapping[str, Hashable], clusters: Iterable[Iterable[str]]
) -> ClusterScore:
    """Purity, completeness and whole stories of ``clusters`` (article keys) against ``truth``."""
    groups = [[k for k in c if k in truth] for c in clusters]
    groups = [g for g in groups if g]
    total = sum(len(g) for g in groups) or 1
    purity = sum(Counter(truth[k] for k in g).most_common(1)[0][1] for g in groups) / total
    cluster_of = {k: i for i, g in enumerate(groups) for k in g}
    by_story: dict[Hashable, list[str]] = {}
    for k in cluster_of:
        by_story.setdefault(truth[k], []).append(k)
    completeness = (
        sum(Counter(cluster_of[k] for k in ks).most_common(1)[0][1] for ks in by_story.values())
        / total
    )
    mixed = {i for i, g in enumerate(groups) if len({truth[k] for k in g}) > 1}
    whole = sum(
        1
        for ks in by_story.values()
        if len({cluster_of[k] for k in ks}) == 1 and cluster_of[ks[0]] not in mixed
    )
    return ClusterScore(
        purity=purity,
        completeness=completeness,
        whole=whole / (len(by_story) or 1),
        joined=len(mixed),
        stories=len(by_story),
        clusters=len(groups),
    )


def trace_clusters(out_dir: str | Path) -> list[list[str]]:
    """The clusters a trace wrote to ``stories.jsonl``, as article keys (copies included)."""
    clusters = []
    for line in (Path(out_dir) / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        keys = [d["path"] for d in story["documents"]]
        keys += [c["path"] for c in story.get("copies", [])]
        clusters.append(keys)
    return clusters


def cross_story_links(out_dir: str | Path, truth: Mapping[str, Hashable]) -> tuple[int, int]:
    """(links between passages of different true stories, passages) over a trace's results."""
    out = Path(out_dir)
    crossing = 0
    passages = 0
    for line in (out / "stories.jsonl").read_text(encoding="utf-8").splitlines():
        story = json.loads(line)
        # the story's documents are listed in the result's load order: d0, d1, ...
        story_of_doc = {f"d{k}": truth.get(d["path"], -1) for k, d in enumerate(story["documents"])}
        result = json.loads((out / story["result"]).read_text(encoding="utf-8"))
        passages += len(result["passages"])
        for link in result["links"]:
            a, b = link["a"].split(".")[0], link["b"].split(".")[0]
            if story_of_doc.get(a) != story_of_doc.get(b):
                crossing += 1
    return crossing, passages
