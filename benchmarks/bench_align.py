"""Time FactDesk's alignment on the bundled sample and on generated article sets.

Usage:
    python benchmarks/bench_align.py                 # sample + 10, 100, 500, 2000 documents
    python benchmarks/bench_align.py 10 100          # quick: only these generated sizes
    python benchmarks/bench_align.py --no-sample 500 # skip the sample measurements

Prints figures only; nothing here is a test. Each generated size runs in a child
process of its own so that its peak memory (max RSS) is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SIZES = (10, 100, 500, 2000)


def _ensure_importable() -> None:
    try:
        import factdesk  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "desktop"))


def _package_root() -> str:
    import factdesk

    return str(Path(factdesk.__file__).resolve().parent.parent)


def _peak_rss_mib() -> float | None:
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # KiB on Linux, bytes on macOS
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def bench_sample(runs: int) -> None:
    from factdesk.cli import sample_dir
    from factdesk.core import align, ingest, segment

    seeds = sample_dir()
    if seeds is None:
        print("sample: not found, skipped")
        return
    env = dict(os.environ, PYTHONPATH=_package_root(), QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, "-m", "factdesk", "align", str(seeds), "--json"]
    wall = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        wall.append(time.perf_counter() - start)

    documents, _errors, _notes = ingest.load_paths([seeds])
    passages = []
    for doc in documents:
        passages.extend(segment.segment_document(doc)[1])
    segment.flag_off_topic(documents, passages)
    align_times = []
    for _ in range(runs):
        start = time.perf_counter()
        align.align(documents, passages)
        align_times.append(time.perf_counter() - start)

    print(f"sample ({len(documents)} documents, {len(passages)} passages)")
    print(f"  `factdesk align seeds --json`, whole process: {statistics.median(wall):.3f} s")
    print(f"  alignment only, in process (warm):           {statistics.median(align_times):.3f} s")
    print(f"  (median of {runs} runs)")


def child(n_docs: int, sentences: int) -> None:
    """Measure one generated size; prints one JSON line for the parent."""
    from factdesk.core import align, ingest, runtime, segment
    from factdesk.testing import synth

    with tempfile.TemporaryDirectory(prefix="factdesk-bench-") as tmp:
        paths = synth.write_set(tmp, n_docs, sentences=sentences, seed=0)
        # One-off costs (language data loaded on first use) are timed apart from scaling.
        w0 = time.perf_counter()
        warm_docs, _, _ = ingest.load_paths(paths[:2])
        warm_passages = [p for d in warm_docs for p in segment.segment_document(d)[1]]
        align.align(warm_docs, warm_passages)
        warm_up = time.perf_counter() - w0
        # as `pipeline.analyse` does: the cycle collector waits until the set is built
        with runtime.gc_paused():
            c0 = time.process_time()
            t0 = time.perf_counter()
            documents, errors, _notes = ingest.load_paths(paths)
            t1 = time.perf_counter()
            passages = []
            for doc in documents:
                passages.extend(segment.segment_document(doc)[1])
            segment.flag_off_topic(documents, passages)
            t2 = time.perf_counter()
            result = align.align(documents, passages)
            t3 = time.perf_counter()
            cpu = time.process_time() - c0
    print(
        json.dumps(
            {
                "docs": len(documents),
                "errors": len(errors),
                "passages": len(passages),
                "links": len(result.links),
                "groups": len(result.groups),
                "load": t1 - t0,
                "segment": t2 - t1,
                "align": t3 - t2,
                "total": t3 - t0,
                "cpu": cpu,
                "warm_up": warm_up,
                "peak_mib": _peak_rss_mib(),
            }
        )
    )


def bench_generated(sizes: list[int], sentences: int) -> None:
    env = dict(os.environ, PYTHONPATH=_package_root())
    results: dict[int, dict[str, float]] = {}
    print(f"generated sets (~{sentences} sentences per document, seed 0)")
    print("  warm-up: first alignment in a fresh process (language data), not in the total")
    print(
        f"  {'docs':>5} {'passages':>8} {'links':>7} {'warm-up s':>9} {'load s':>7} "
        f"{'segment s':>9} {'align s':>8} {'total s':>8} {'CPU s':>6} {'peak MiB':>9}"
    )
    for n in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(n), "--sentences", str(sentences)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        results[n] = r
        peak = f"{r['peak_mib']:.0f}" if r["peak_mib"] is not None else "n/a"
        print(
            f"  {r['docs']:>5} {r['passages']:>8} {r['links']:>7} {r['warm_up']:>9.2f} "
            f"{r['load']:>7.2f} "
            f"{r['segment']:>9.2f} {r['align']:>8.2f} {r['total']:>8.2f} {r['cpu']:>6.2f} "
            f"{peak:>9}",
            flush=True,
        )
    if 100 in results and 500 in results and results[100]["total"] > 0:
        ratio = results[500]["total"] / results[100]["total"]
        align_ratio = results[500]["align"] / max(results[100]["align"], 1e-9)
        print(f"  time(500) / time(100): {ratio:.1f} total, {align_ratio:.1f} alignment")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, help="generated set sizes to time")
    parser.add_argument("--runs", type=int, default=7, help="runs for the sample medians")
    parser.add_argument("--sentences", type=int, default=30)
    parser.add_argument("--no-sample", action="store_true", help="skip the sample set")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    _ensure_importable()
    if args.child is not None:
        child(args.child, args.sentences)
        return
    if not args.no_sample:
        bench_sample(args.runs)
    sizes = args.sizes or list(DEFAULT_SIZES)
    bench_generated(sizes, args.sentences)


if __name__ == "__main__":
    main()
