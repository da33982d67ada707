"""Precision and recall of FactDesk's `same` links against a known truth.

Usage:
    python benchmarks/eval_align.py              # the sample's hand-checked gold, 100 and 500 generated
    python benchmarks/eval_align.py 40 2000      # other generated sizes

The sample gold (tests/core/data/seed_gold.json) lists, by reading the five texts, which
sentences of different versions state the same fact. Generated sets know their truth by
construction: which sentences descend from one original sentence. Prints figures only.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

try:
    import factdesk  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO / "desktop"))

from factdesk.core import bundled, evaluate, pipeline, synth  # noqa: E402
from factdesk.core.align import SAME_THRESHOLD  # noqa: E402


def sample_gold() -> None:
    gold = json.loads((REPO / "tests/core/data/seed_gold.json").read_text(encoding="utf-8"))
    result = pipeline.analyse([bundled.sample_dir()])
    expected = evaluate.gold_from_snippets(
        result, [[tuple(w) for w in fact["where"]] for fact in gold["facts"]]
    )
    print(f"sample gold ({len(gold['facts'])} facts, {len(expected)} sentence pairs):")
    print(f"  same links: {evaluate.score_pairs(evaluate.same_pairs(result), expected)}")


def generated(n_docs: int, seed: int = 0) -> None:
    gen = synth.generate_set(n_docs, seed=seed)
    with tempfile.TemporaryDirectory() as folder:
        for doc in gen.documents:
            (Path(folder) / doc.name).write_text(doc.render()[0], encoding="utf-8")
        started = time.perf_counter()
        result = pipeline.analyse([folder])
        elapsed = time.perf_counter() - started
    truth = evaluate.truth_from_generated(result, gen)
    score = evaluate.score_pairs(evaluate.same_pairs(result), truth)
    print(f"generated {n_docs} documents (seed {seed}, {elapsed:.1f} s): {score}")


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [100, 500]
    print(f"same-link threshold {SAME_THRESHOLD}")
    sample_gold()
    for n in sizes:
        generated(n)


if __name__ == "__main__":
    main(sys.argv[1:])
