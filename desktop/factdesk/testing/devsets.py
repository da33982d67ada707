"""Development sets with a known truth, and the figures FactDesk is judged by on them.

Three kinds live under ``tests/core/data/devsets``:

* ``rewrite/<name>``: ``source.txt``, its rewrites at three levels (``light``, ``medium``,
  ``heavy``) and a text on the same topic that copies nothing. ``truth.json`` says, for
  every body paragraph of a rewrite, which source paragraphs it was written from.
* ``wire/<name>``: agency wire copy (``wire.txt``), newspaper stories written from it and
  one written independently. ``truth.json`` says which paper paragraphs came from which
  wire paragraphs, and whether each paper is wholly, partially or not derived.
* ``mixed``: many short unrelated agency stories (a few with a paper version) that share
  furniture and set phrases; ``truth.json`` says which files tell one story.

Truth is stated on paragraphs of the files as written (blocks separated by blank lines,
the first block being the title, a "By ..." block a byline), so it does not depend on
how FactDesk segments them. Every figure is computed from ``pipeline.analyse`` output,
the same result the JSON, the window and the reports show.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from factdesk.core import pipeline, views
from factdesk.core.model import ArticleSet, Document
from factdesk.core.text import WORD_RE

_BLOCK_RE = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S.*)*", re.MULTILINE)

#: Shares of a paper's text found in the wire from which it counts as wholly / partially
#: derived; the truth uses the same cut-offs on words.
WHOLLY_SHARE = 0.8
PARTLY_SHARE = 0.2


def devsets_root() -> Path:
    """``tests/core/data/devsets`` of a source checkout."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent / "tests" / "core" / "data" / "devsets"
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the development sets live in a source checkout of FactDesk")


def set_folders(kind: str, root: Path | None = None) -> list[Path]:
    base = (root or devsets_root()) / kind
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if (p / "truth.json").is_file())


def body_blocks(text: str, *, skip_title: bool = True) -> list[tuple[int, int]]:
    """``[start, end)`` of each body paragraph: blank-line blocks after the title, bylines left out."""
    blocks = [(m.start(), m.end()) for m in _BLOCK_RE.finditer(text)]
    if skip_title and blocks:
        blocks = blocks[1:]
    return [(s, e) for s, e in blocks if not re.match(r"By\s+[A-Z]", text[s:e]) or e - s > 80]


@dataclass
class PRF:
    true_positives: int = 0
    predicted: int = 0
    expected: int = 0

    @property
    def precision(self) -> float:
        return self.true_positives / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        self.true_positives += other.true_positives
        self.predicted += other.predicted
        self.expected += other.expected

    def __str__(self) -> str:
        return f"precision {self.precision:.3f}  recall {self.recall:.3f}  F1 {self.f1:.3f}"


def _doc_named(article_set: ArticleSet, name: str) -> Document:
    return next(d for d in article_set.documents if Path(d.path).name == name)


def _passage_blocks(
    article_set: ArticleSet, doc: Document, blocks: Sequence[tuple[int, int]]
) -> dict[str, int]:
    """Passage id -> index of the truth paragraph that holds its middle."""
    out: dict[str, int] = {}
    for p in article_set.passages:
        if p.doc != doc.id:
            continue
        middle = (p.start + p.end) // 2
        for k, (s, e) in enumerate(blocks):
            if s <= middle < e:
                out[p.id] = k
                break
    return out


def _links_between(
    article_set: ArticleSet, a: Document, b: Document, relations: Iterable[str]
) -> list[tuple[str, str]]:
    """(passage of a, passage of b) for every link of the given relations between a and b."""
    doc_of = {p.id: p.doc for p in article_set.passages}
    wanted = set(relations)
    out = []
    for lk in article_set.links:
        if lk.relation not in wanted:
            continue
        da, db = doc_of[lk.a], doc_of[lk.b]
        if (da, db) == (a.id, b.id):
            out.append((lk.a, lk.b))
        elif (da, db) == (b.id, a.id):
            out.append((lk.b, lk.a))
    return out


# -- rewrite pairs --------------------------------------------------------------------


@dataclass
class RewriteSetResult:
    name: str
    levels: dict[str, PRF] = field(default_factory=dict)
    pair_precision: dict[str, tuple[int, int]] = field(default_factory=dict)
    independent_links: int = 0
    copied_correct: int = 0
    copied_total: int = 0


def evaluate_rewrite_set(folder: Path) -> RewriteSetResult:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    source = truth["source"]
    result = RewriteSetResult(folder.name)
    for level, spec in truth["rewrites"].items():
        pair = pipeline.analyse([folder / source, folder / spec["file"]])
        prf, correct, predicted = paragraph_scores(pair, source, spec["file"], spec["paragraphs"])
        result.levels[level] = prf
        result.pair_precision[level] = (correct, predicted)
    for name in truth.get("independent", []):
        pair = pipeline.analyse([folder / source, folder / name])
        result.independent_links += len(pair.links)
    # copied vs independent, with every version loaded together
    files = [
        source,
        *(s["file"] for s in truth["rewrites"].values()),
        *truth.get("independent", []),
    ]
    together = pipeline.analyse([folder / f for f in files])
    src = _doc_named(together, source)
    copied_truth = {s["file"]: True for s in truth["rewrites"].values()}
    copied_truth.update({n: False for n in truth.get("independent", [])})
    for name, is_copy in copied_truth.items():
        other = _doc_named(together, name)
        said = any(
            {d.source, d.derived} == {src.id, other.id} for d in views.stated_derivations(together)
        )
        result.copied_total += 1
        result.copied_correct += int(said == is_copy)
    return result


def paragraph_scores(
    article_set: ArticleSet,
    source_name: str,
    rewrite_name: str,
    truth: Sequence[Sequence[int]],
    relations: Iterable[str] = ("same",),
) -> tuple[PRF, int, int]:
    """(recall over rewrite paragraphs as a PRF, correct paragraph pairs, predicted pairs)."""
    source = _doc_named(article_set, source_name)
    rewrite = _doc_named(article_set, rewrite_name)
    src_blocks = _passage_blocks(article_set, source, body_blocks(source.text))
    rw_blocks = _passage_blocks(article_set, rewrite, body_blocks(rewrite.text))
    predicted: set[tuple[int, int]] = set()
    for pa, pb in _links_between(article_set, source, rewrite, relations):
        if pa in src_blocks and pb in rw_blocks:
            predicted.add((src_blocks[pa], rw_blocks[pb]))
    expected = {(s, r) for r, sources in enumerate(truth) for s in sources}
    found = {r for s, r in predicted if (s, r) in expected}
    correct = len(predicted & expected)
    recall = PRF(len(found), len(found), sum(1 for sources in truth if sources))
    return recall, correct, len(predicted)


# -- wire sets ------------------------------------------------------------------------


@dataclass
class WireSetResult:
    name: str
    words: PRF = field(default_factory=PRF)
    classes: list[tuple[str, str, str]] = field(default_factory=list)  # (paper, truth, predicted)
    top_source_right: int = 0
    derived_papers: int = 0
    wire_from_paper: int = 0  # stated claims that the wire was rewritten from a paper


def _words_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in WORD_RE.finditer(text, start, end)]


def derived_class(share: float) -> str:
    if share >= WHOLLY_SHARE:
        return "wholly"
    if share >= PARTLY_SHARE:
        return "partially"
    return "not"


def evaluate_wire_set(folder: Path) -> WireSetResult:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    files = [truth["wire"], *truth["papers"]]
    article_set = pipeline.analyse([folder / f for f in files])
    wire = _doc_named(article_set, truth["wire"])
    result = WireSetResult(folder.name)
    stated = views.stated_derivations(article_set)
    passages = {p.id: p for p in article_set.passages}
    for name, spec in truth["papers"].items():
        paper = _doc_named(article_set, name)
        blocks = body_blocks(paper.text)
        if len(blocks) != len(spec["paragraphs"]):
            raise ValueError(
                f"{folder.name}/{name}: {len(blocks)} paragraphs, truth has {len(spec['paragraphs'])}"
            )
        true_words: set[int] = set()
        all_words: set[int] = set()
        for (s, e), sources in zip(blocks, spec["paragraphs"], strict=True):
            for ws, _we in _words_in(paper.text, s, e):
                all_words.add(ws)
                if sources:
                    true_words.add(ws)
        predicted_words: set[int] = set()
        for _pa, pb in _links_between(article_set, wire, paper, ("same",)):
            p = passages[pb]
            for ws, _we in _words_in(paper.text, p.start, p.end):
                if ws in all_words:
                    predicted_words.add(ws)
        result.words.add(
            PRF(len(predicted_words & true_words), len(predicted_words), len(true_words))
        )
        share = max(
            (
                d.share
                for d in article_set.derivation
                if d.source == wire.id and d.derived == paper.id
            ),
            default=0.0,
        )
        said = any(d.source == wire.id and d.derived == paper.id for d in stated)
        predicted_class = derived_class(share) if said else "not"
        result.classes.append((name, spec["derived"], predicted_class))
        if spec["derived"] != "not":
            result.derived_papers += 1
            best = views.best_source(article_set, paper.id)
            if best is not None and best.source == wire.id and said:
                result.top_source_right += 1
        if any(d.derived == wire.id and d.source == paper.id for d in stated):
            result.wire_from_paper += 1
    return result


def macro_f1(classes: Sequence[tuple[str, str, str]]) -> float:
    labels = ("wholly", "partially", "not")
    f1s = []
    for label in labels:
        tp = sum(1 for _n, t, p in classes if t == label and p == label)
        predicted = sum(1 for _n, _t, p in classes if p == label)
        expected = sum(1 for _n, t, _p in classes if t == label)
        if not expected and not predicted:
            continue
        prf = PRF(tp, predicted, expected)
        f1s.append(prf.f1)
    return sum(f1s) / len(f1s) if f1s else 1.0


# -- mixed sets -----------------------------------------------------------------------


@dataclass
class MixedResult:
    passages: int
    cross_story_passages: int
    cross_story_links: int
    within_story_links: int

    @property
    def per_thousand(self) -> float:
        return 1000 * self.cross_story_passages / self.passages if self.passages else 0.0


def story_of_files(root: Path | None = None) -> dict[Path, str]:
    """Every development-set file with the story it tells (a folder or a mixed story id)."""
    root = root or devsets_root()
    out: dict[Path, str] = {}
    for kind in ("rewrite", "wire"):
        for folder in set_folders(kind, root):
            for f in sorted(folder.glob("*.txt")):
                # a rewrite set's independent text tells a story of its own; a wire set's
                # independent paper reports the same event
                story = f"{kind}/{folder.name}"
                if kind == "rewrite" and f.name in _independent_names(folder):
                    story += f"/{f.stem}"
                out[f] = story
    mixed = root / "mixed"
    for folder in [mixed] if (mixed / "truth.json").is_file() else []:
        truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
        for story, names in truth["stories"].items():
            for name in names:
                out[folder / name] = f"mixed/{story}"
    return out


def _independent_names(folder: Path) -> set[str]:
    truth = json.loads((folder / "truth.json").read_text(encoding="utf-8"))
    return set(truth.get("independent", []))


def evaluate_mixed(files: dict[Path, str]) -> MixedResult:
    article_set = pipeline.analyse(sorted(files))
    story = {d.id: files[Path(d.path)] for d in article_set.documents}
    doc_of = {p.id: p.doc for p in article_set.passages}
    crossing: set[str] = set()
    cross = within = 0
    for lk in article_set.links:
        if story[doc_of[lk.a]] != story[doc_of[lk.b]]:
            cross += 1
            crossing.update((lk.a, lk.b))
        else:
            within += 1
    n = sum(1 for p in article_set.passages if not p.boilerplate)
    return MixedResult(n, len(crossing), cross, within)


def by_level(results: Iterable[RewriteSetResult]) -> dict[str, tuple[PRF, int, int]]:
    """Recall and pair precision summed per rewrite level over several sets."""
    total: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for r in results:
        for level, prf in r.levels.items():
            correct, predicted = r.pair_precision[level]
            t = total[level]
            t[0] += prf.true_positives
            t[1] += prf.expected
            t[2] += correct
            t[3] += predicted
    return {level: (PRF(t[0], t[0], t[1]), t[2], t[3]) for level, t in total.items()}
