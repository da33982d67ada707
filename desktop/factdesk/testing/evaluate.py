"""Precision and recall of ``same`` links against a known truth.

The truth is a set of passage-id pairs. It comes either from a hand-checked list of
facts (a snippet of each sentence that states them) or from a generated set.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from factdesk.core.model import ArticleSet
from factdesk.testing.synth import GenSet

Pair = frozenset[str]
T = TypeVar("T")


@dataclass
class Score:
    precision: float
    recall: float
    true_positives: int
    predicted: int
    expected: int

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __str__(self) -> str:
        return (
            f"precision {self.precision:.3f} ({self.true_positives}/{self.predicted}), "
            f"recall {self.recall:.3f} ({self.true_positives}/{self.expected}), "
            f"F1 {self.f1:.3f}"
        )


def score_pairs(predicted: set[Pair], expected: set[Pair]) -> Score:
    return score_sets(predicted, expected)


def score_sets(predicted: set[T], expected: set[T]) -> Score:
    tp = len(predicted & expected)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(expected) if expected else 1.0
    return Score(precision, recall, tp, len(predicted), len(expected))


def same_pairs(article_set: ArticleSet) -> set[Pair]:
    return {frozenset((lk.a, lk.b)) for lk in article_set.links if lk.relation == "same"}


def gold_from_snippets(
    article_set: ArticleSet, facts: Iterable[Sequence[tuple[str, str]]]
) -> set[Pair]:
    """Pairs of passages in different documents that state one fact of the list.

    Each fact is a list of (file-name prefix, snippet); the passage holding the start of the
    snippet is the one meant.
    """
    by_name = {Path(d.path).name: d for d in article_set.documents}
    pairs: set[Pair] = set()
    for where in facts:
        found: list[tuple[str, str]] = []
        for prefix, snippet in where:
            doc = next(d for name, d in sorted(by_name.items()) if name.startswith(prefix))
            at = doc.text.find(snippet)
            if at < 0:
                raise ValueError(f"snippet not found in {doc.name}: {snippet!r}")
            passage = next(
                p
                for p in article_set.passages
                if p.doc == doc.id and p.start <= at < max(p.end, p.start + 1)
            )
            found.append((doc.id, passage.id))
        for i, (da, pa) in enumerate(found):
            for db, pb in found[i + 1 :]:
                if da != db:
                    pairs.add(frozenset((pa, pb)))
    return pairs


def furniture_from_lines(article_set: ArticleSet, furniture: Iterable[tuple[str, str]]) -> set[str]:
    """Passages that a hand-made list names as furniture: (file-name prefix, line as written)."""
    wanted: dict[str, set[str]] = {}
    for prefix, line in furniture:
        wanted.setdefault(prefix, set()).add(" ".join(line.split()))
    out: set[str] = set()
    for doc in article_set.documents:
        name = Path(doc.path).name
        lines = set().union(*(v for k, v in wanted.items() if name.startswith(k)))
        for p in article_set.passages:
            if p.doc == doc.id and " ".join(doc.text[p.start : p.end].split()) in lines:
                out.add(p.id)
    return out


def boilerplate_ids(article_set: ArticleSet) -> set[str]:
    return {p.id for p in article_set.passages if p.boilerplate}


def truth_from_generated(article_set: ArticleSet, gen: GenSet) -> set[Pair]:
    """The pairs a generated set says descend from one original sentence."""
    by_doc: dict[str, list[tuple[str, int, int]]] = {}
    name_of = {d.id: Path(d.path).name for d in article_set.documents}
    for p in article_set.passages:
        if not p.boilerplate:
            by_doc.setdefault(name_of[p.doc], []).append((p.id, p.start, p.end))
    return gen.same_pairs(by_doc)
