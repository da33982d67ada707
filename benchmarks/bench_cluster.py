"""Time stage 2 of ``factdesk trace`` (clustering) alone, on generated days of growing size.

Usage:
    python benchmarks/bench_cluster.py                    # 10,000, 50,000 and 100,000
    python benchmarks/bench_cluster.py 20000 200000 --processes 2

Stage 2 runs in one process, on the features every article sends back from stage 1, so
it is the stage that decides how far one run can grow. For every size a day is written
(``factdesk.testing.tracesets.write_day``, as a JSON Lines feed), its features are read in
a process pool, and ``trace.cluster`` is timed on them, in this process. Prints the time,
the candidate pairs and links, the memory the features take and the peak while
clustering, and how well the stories were found. Prints figures only; nothing here is a
test.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _ensure_importable() -> None:
    try:
        import factdesk  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "desktop"))


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _features(refs: list) -> list:  # type: ignore[type-arg]
    _ensure_importable()
    from factdesk.core import trace

    return trace.read_features(refs)[0]


def _run(size: int, processes: int) -> None:
    _ensure_importable()
    from factdesk.core import trace
    from factdesk.testing.tracesets import score_clusters, write_day

    with (
        tempfile.TemporaryDirectory(prefix=f"bench-cluster-{size}-") as root,
        ProcessPoolExecutor(processes) as pool,
    ):
        # written by another process, so that the texts never count in this one's peak
        day = pool.submit(write_day, Path(root) / "day", size, seed=0, jsonl=True).result()
        refs, _errors = trace.expand_inputs(day.inputs)
        parts = [refs[k : k + 1000] for k in range(0, len(refs), 1000)]
        start = time.perf_counter()
        features = [f for found in pool.map(_features, parts) for f in found]
        read = time.perf_counter() - start
    held = _rss_mib()
    start = time.perf_counter()
    clustering = trace.cluster(features)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clusters = [
        [f.ref.key for f in s.members] + [c.ref.key for c, _o in s.copies]
        for s in clustering.stories
    ]
    score = score_clusters(day.truth, clusters)
    print(
        f"{size:>8,} articles: cluster {seconds:6.1f} s ({1000 * seconds / size:.3f} ms per "
        f"article); {clustering.candidate_pairs:,} candidate pairs, {clustering.links:,} links; "
        f"process {held:,.0f} MiB with the features, peak {peak:,.0f} MiB "
        f"(features read in {read:.0f} s)"
    )
    print(
        f"          {len(clustering.stories):,} stories for {score.stories:,}; purity "
        f"{score.purity:.5f}, completeness {score.completeness:.5f}, joined clusters {score.joined}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000, 50_000, 100_000])
    parser.add_argument("--processes", type=int, default=2, help="processes reading features")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _run(args.sizes[0], args.processes)
        return
    for size in args.sizes:
        # each size in a process of its own, so that every peak is that size's
        command = [sys.executable, __file__, "--child", str(size), "--processes"]
        subprocess.run([*command, str(args.processes)], check=True)


if __name__ == "__main__":
    main()
