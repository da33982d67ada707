"""Precision and recall of FactDesk's alignment against a known truth.

Usage:
    python benchmarks/eval_align.py              # development sets, the sample gold, 100 and 500 generated
    python benchmarks/eval_align.py 40 2000      # other generated sizes
    python benchmarks/eval_align.py --devsets    # the development sets only

Development sets (tests/core/data/devsets, see factdesk.testing.devsets): rewrite pairs at
three levels with an independent text on the same topic, wire copy with the papers written
from it, and a mixed set of unrelated agency stories.

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

from factdesk.core import bundled, pipeline  # noqa: E402
from factdesk.core.align import SAME_THRESHOLD  # noqa: E402
from factdesk.testing import devsets, evaluate, synth  # noqa: E402


def sample_gold() -> None:
    gold = json.loads((REPO / "tests/core/data/seed_gold.json").read_text(encoding="utf-8"))
    result = pipeline.analyse([bundled.sample_dir()])
    expected = evaluate.gold_from_snippets(
        result, [[tuple(w) for w in fact["where"]] for fact in gold["facts"]]
    )
    print(f"sample gold ({len(gold['facts'])} facts, {len(expected)} sentence pairs):")
    print(f"  same links: {evaluate.score_pairs(evaluate.same_pairs(result), expected)}")
    furniture = json.loads(
        (REPO / "tests/core/data/seed_boilerplate.json").read_text(encoding="utf-8")
    )["furniture"]
    truth = evaluate.furniture_from_lines(result, [tuple(f) for f in furniture])
    print(f"  furniture: {evaluate.score_sets(evaluate.boilerplate_ids(result), truth)}")


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


def rewrite_sets() -> None:
    results = []
    print("rewrite pairs (source + one rewrite; paragraph recall, paragraph-pair precision):")
    for folder in devsets.set_folders("rewrite"):
        r = devsets.evaluate_rewrite_set(folder)
        results.append(r)
        cells = []
        for level, prf in r.levels.items():
            correct, predicted = r.pair_precision[level]
            precision = correct / predicted if predicted else 1.0
            cells.append(f"{level} R {prf.recall:.2f} P {precision:.2f}")
        print(
            f"  {r.name:22s} " + "  ".join(cells) + f"  independent links {r.independent_links}"
            f"  copied/independent {r.copied_correct}/{r.copied_total}"
        )
    total_found = total_expected = total_correct = total_predicted = 0
    for level, (prf, correct, predicted) in devsets.by_level(results).items():
        precision = correct / predicted if predicted else 1.0
        print(
            f"  all sets, {level:6s}: recall {prf.recall:.3f} ({prf.true_positives}/{prf.expected})"
            f", precision {precision:.3f} ({correct}/{predicted})"
        )
        total_found += prf.true_positives
        total_expected += prf.expected
        total_correct += correct
        total_predicted += predicted
    if total_expected:
        print(
            f"  all sets, all levels: recall {total_found / total_expected:.3f}, precision "
            f"{total_correct / max(total_predicted, 1):.3f}"
        )
    links = sum(r.independent_links for r in results)
    right = sum(r.copied_correct for r in results)
    pairs = sum(r.copied_total for r in results)
    if pairs:
        print(f"  links between texts that copied nothing: {links}")
        print(f"  copied vs independent accuracy: {right / pairs:.3f} ({right}/{pairs})")


def wire_sets() -> None:
    print("wire sets (wire + papers written from it + one independent paper):")
    words = devsets.PRF()
    classes = []
    top = derived = backwards = 0
    for folder in devsets.set_folders("wire"):
        r = devsets.evaluate_wire_set(folder)
        words.add(r.words)
        classes.extend(r.classes)
        top += r.top_source_right
        derived += r.derived_papers
        backwards += r.wire_from_paper
        print(
            f"  {r.name:22s} came-from-wire words: {r.words}; classes "
            + ", ".join(f"{n}: {t}->{p}" for n, t, p in r.classes)
        )
    if derived:
        print(f"  came-from-wire words, all sets: {words}")
        print(f"  wholly/partially/not macro F1: {devsets.macro_f1(classes):.3f}")
        print(f"  wire named top source: {top / derived:.3f} ({top}/{derived})")
        print(f"  claims that the wire was rewritten from a paper: {backwards}")


def mixed_set() -> None:
    files = devsets.story_of_files()
    if not files:
        return
    started = time.perf_counter()
    r = devsets.evaluate_mixed(files)
    elapsed = time.perf_counter() - started
    stories = len(set(files.values()))
    print(
        f"every development file as one set ({len(files)} files, {stories} stories, {elapsed:.1f} s):"
    )
    print(
        f"  passages with a link to another story: {r.per_thousand:.1f} per 1,000 "
        f"({r.cross_story_passages}/{r.passages}); cross-story links {r.cross_story_links}, "
        f"within-story links {r.within_story_links}"
    )


def main(argv: list[str]) -> None:
    only_devsets = "--devsets" in argv
    argv = [a for a in argv if a != "--devsets"]
    sizes = [] if only_devsets else ([int(a) for a in argv] or [100, 500])
    print(f"same-link threshold {SAME_THRESHOLD}")
    rewrite_sets()
    wire_sets()
    mixed_set()
    sample_gold()
    for n in sizes:
        generated(n)


if __name__ == "__main__":
    main(sys.argv[1:])
