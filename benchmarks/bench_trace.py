"""Time ``factdesk trace`` on generated news days, with 1 and 2 local Dask workers.

Usage:
    python benchmarks/bench_trace.py                  # 10,000 articles, 1 and 2 workers
    python benchmarks/bench_trace.py 2000 10000       # these sizes
    python benchmarks/bench_trace.py --workers 2 50000

For every size the day is written once (``factdesk.testing.tracesets.write_day``: stories
in 2-8 versions, single texts, shared credit lines, follow-ups that repeat background),
then each worker count runs in a child process of its own, into a fresh output folder.
Prints per-stage wall times, peak memory of every worker and of the process that
clusters, and how well the stories were found. Prints figures only; nothing here is a test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _ensure_importable() -> None:
    try:
        import factdesk  # noqa: F401
    except ImportError:
        sys.path.insert(0, str(REPO / "desktop"))


def _child(inputs: list[str], out: str, workers: int, truth_file: str) -> None:
    _ensure_importable()
    from factdesk.core.trace_dask import run_trace
    from factdesk.testing.tracesets import cross_story_links, score_clusters, trace_clusters

    start = time.perf_counter()
    report = run_trace(inputs, out, workers=workers, dashboard=":0")
    total = time.perf_counter() - start
    truth = json.loads(Path(truth_file).read_text(encoding="utf-8"))
    score = score_clusters(truth, trace_clusters(out))
    crossing, passages = cross_story_links(out, truth)
    print(
        json.dumps(
            {
                "total": total,
                "seconds": report.seconds,
                "worker_peak_mib": report.worker_peak_mib,
                "worker_cpu": report.worker_cpu,
                "client_peak_mib": report.client_peak_mib,
                "stories": report.stories,
                "articles": report.articles,
                "passages": passages,
                "crossing": crossing,
                "purity": score.purity,
                "completeness": score.completeness,
                "whole": score.whole,
                "joined": score.joined,
                "true_stories": score.stories,
            }
        )
    )


def _run(size: int, workers_list: list[int], keep: bool) -> None:
    _ensure_importable()
    from factdesk.testing.tracesets import write_day

    root = Path(tempfile.mkdtemp(prefix=f"bench-trace-{size}-"))
    start = time.perf_counter()
    day = write_day(root / "day", size, seed=0)
    truth_file = root / "truth.json"
    truth_file.write_text(json.dumps(day.truth), encoding="utf-8")
    print(f"{size} generated articles written in {time.perf_counter() - start:.1f} s ({root})")
    env = dict(os.environ, PYTHONPATH=str(REPO / "desktop"))
    base: float | None = None
    for workers in workers_list:
        out = root / f"out-{workers}"
        command = [sys.executable, __file__, "--child", str(workers), str(out), str(truth_file)]
        command += day.inputs
        done = subprocess.run(command, env=env, check=True, capture_output=True, text=True)
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        s = figures["seconds"]
        base = base or figures["total"]
        peaks = sorted(figures["worker_peak_mib"].values())
        print(
            f"  {workers} worker{'s' if workers > 1 else ' '}: total {figures['total']:7.1f} s  "
            f"(start {s['start']:.1f}, scan {s['scan']:.1f}, read {s['read']:.1f}, cluster {s['cluster']:.1f}, align {s['align']:.1f}, "
            f"write {s['write']:.1f})  speed-up {base / figures['total']:.2f}x"
        )
        cpu = figures["worker_cpu"]
        print(
            f"             worker CPU: read {cpu.get('read', 0):.1f} s, align {cpu.get('align', 0):.1f} s "
            f"({1000 * (cpu.get('read', 0) + cpu.get('align', 0)) / figures['articles']:.1f} ms per article)"
        )
        print(
            f"             peak memory: workers {', '.join(f'{p:.0f}' for p in peaks)} MiB, "
            f"clustering process {figures['client_peak_mib']:.0f} MiB"
        )
        per_k = figures["crossing"] * 1000 / max(1, figures["passages"])
        print(
            f"             {figures['stories']} stories for {figures['true_stories']} true; "
            f"purity {figures['purity']:.4f}, completeness {figures['completeness']:.4f}, "
            f"whole stories {figures['whole']:.2%}, joined clusters {figures['joined']}, "
            f"cross-story links {per_k:.3f} per 1,000 passages"
        )
    if not keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        workers, out, truth = int(sys.argv[2]), sys.argv[3], sys.argv[4]
        _child(sys.argv[5:], out, workers, truth)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[10_000])
    parser.add_argument("--workers", default="1,2", help="worker counts, e.g. 1,2")
    parser.add_argument("--keep", action="store_true", help="keep the generated files")
    args = parser.parse_args()
    print(
        f"load before: {Path('/proc/loadavg').read_text().strip()}"
        if Path("/proc/loadavg").exists()
        else ""
    )
    for size in args.sizes:
        _run(size, [int(w) for w in args.workers.split(",")], args.keep)
    if Path("/proc/loadavg").exists():
        print(f"load after: {Path('/proc/loadavg').read_text().strip()}")


if __name__ == "__main__":
    main()
