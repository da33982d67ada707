"""Run ``factdesk trace`` on Dask: a ``LocalCluster`` by default, or an existing cluster.

All Dask-specific code is here; the stages themselves are plain functions in
``factdesk.core.trace``. Stage 1 (read, segment, rare terms) and stage 3 (align each
story) run as Dask tasks on the workers; stage 2 (clustering) runs where the command
runs, on the small per-article features gathered from stage 1.

Tasks carry references to the articles (paths and byte ranges), never their texts: the
workers read the files themselves, so on a real cluster the input and output folders
must be on a file system every worker sees. A worker that dies mid-task is replaced by
its nanny and the scheduler runs the task again elsewhere (up to
``distributed.scheduler.allowed-failures`` times); a task that raises is retried too.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from factdesk.core import trace
from factdesk.core.model import LoadError

#: Articles per stage-1 task: large enough that task overhead is small, small enough that
#: both workers of a small machine stay busy until the end.
READ_PARTITION = 200
#: Articles per stage-3 task (several small stories travel together; a big one alone).
ALIGN_BATCH_DOCS = 64
#: Times a task that raised is run again before the trace gives up on it.
RETRIES = 2


@dataclass
class TraceReport:
    """What a trace did, for the command line and the benchmark."""

    articles: int = 0
    stories: int = 0
    aligned: int = 0
    skipped: int = 0
    errors: list[LoadError] = field(default_factory=list)
    outside_window: int = 0
    copies: int = 0
    passages: int = 0
    candidate_pairs: int = 0
    links: int = 0
    refused_joins: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    #: CPU seconds all workers spent in each stage run on them ("read", "align").
    worker_cpu: dict[str, float] = field(default_factory=dict)
    worker_peak_mib: dict[str, float] = field(default_factory=dict)
    client_peak_mib: float = 0.0
    dashboard: str = ""
    workers: int = 0


def peak_rss_mib() -> float:
    """This process's peak resident memory in MiB (0 where the platform cannot tell)."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    """CPU time (user and system) this process has used so far."""
    times = os.times()
    return times.user + times.system


def _worker_cpu(dask: Any) -> dict[str, float]:
    try:
        return {str(k): float(v) for k, v in dask.run(cpu_seconds).items()}
    except Exception:  # a courtesy figure: never fail a trace for it
        return {}


def _spent(before: dict[str, float], after: dict[str, float]) -> float:
    # a worker that died and came back starts again from zero; its work is not counted
    return sum(max(0.0, after[k] - before[k]) for k in after if k in before)


def _chunks(items: Sequence[Any], size: int) -> list[list[Any]]:
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


@contextlib.contextmanager
def _client(
    client: Any,
    scheduler: str | None,
    workers: int | None,
    memory_limit: str,
    dashboard: str | None,
) -> Iterator[Any]:
    if client is not None:
        yield client
        return
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as remote:  # type: ignore[no-untyped-call]
            yield remote
        return
    # One single-threaded process per worker: the stages are pure Python, so threads
    # would only take turns on the GIL. Past ``memory_limit`` a worker spills to disk.
    with (
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers or os.cpu_count() or 1,
            threads_per_worker=1,
            processes=True,
            memory_limit=memory_limit,
            dashboard_address=dashboard,
        ) as cluster,
        Client(cluster) as local,  # type: ignore[no-untyped-call]
    ):
        yield local


def _run_stage(
    client: Any, func: Callable[..., Any], parts: Sequence[Any], show: bool, **kwargs: Any
) -> list[Any]:
    futures = client.map(func, parts, pure=False, retries=RETRIES, **kwargs)
    if show and futures:
        from distributed import progress

        progress(futures, notebook=False)  # type: ignore[no-untyped-call]
        print(file=sys.stdout, flush=True)
    results: list[Any] = client.gather(futures)
    return results


def run_trace(
    inputs: Sequence[str],
    out_dir: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    client: Any = None,
    projects: bool = False,
    since: str | None = None,
    until: str | None = None,
    show_progress: bool = False,
    notify: Callable[[str], None] | None = None,
    memory_limit: str = "2GiB",
    dashboard: str | None = ":8787",
) -> TraceReport:
    """Trace ``inputs`` into ``out_dir``; see ``factdesk.core.trace`` for the stages.

    ``client`` runs the job on a Dask client the caller owns (and closes); otherwise
    ``scheduler`` names an existing cluster, or a ``LocalCluster`` of ``workers``
    processes is started for the job and stopped after it.
    """
    say = notify or (lambda message: None)
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise trace.TraceError(f"{out}: is a file, not a folder")
    out.mkdir(parents=True, exist_ok=True)
    report = TraceReport()
    clock = time.perf_counter()
    refs, errors = trace.expand_inputs(inputs)
    report.seconds["scan"] = time.perf_counter() - clock
    clock = time.perf_counter()
    with _client(client, scheduler, workers, memory_limit, dashboard) as dask:
        report.seconds["start"] = time.perf_counter() - clock
        clock = time.perf_counter()
        report.workers = len(dask.scheduler_info().get("workers", {}))
        report.dashboard = str(getattr(dask, "dashboard_link", "") or "")
        if report.dashboard and show_progress:
            say(f"Dask dashboard: {report.dashboard}")

        cpu = _worker_cpu(dask)
        say(f"1/3 read, segment and extract terms: {len(refs)} articles")
        parts = _chunks(refs, READ_PARTITION)
        features: list[trace.Features] = []
        for found, problems in _run_stage(dask, trace.read_features, parts, show_progress):
            features.extend(found)
            errors.extend(problems)
        report.seconds["read"] = time.perf_counter() - clock
        cpu_read = _worker_cpu(dask)
        report.worker_cpu["read"] = _spent(cpu, cpu_read)

        clock = time.perf_counter()
        clustering = trace.cluster(features, since=since, until=until)
        report.seconds["cluster"] = time.perf_counter() - clock
        say(
            f"2/3 cluster: {len(features)} articles in {len(clustering.stories)} stories "
            f"({clustering.candidate_pairs} candidate pairs, {clustering.links} links, "
            f"{clustering.refused_joins} weak joins refused)"
        )

        clock = time.perf_counter()
        say(f"3/3 align each story: {len(clustering.stories)} stories")
        tasks = [trace.story_task(story) for story in clustering.stories]
        batches = trace.batch_tasks(tasks, ALIGN_BATCH_DOCS)
        summaries: dict[str, dict[str, Any]] = {}
        for batch in _run_stage(
            dask, trace.align_stories, batches, show_progress, out_dir=str(out), projects=projects
        ):
            for summary in batch:
                summaries[summary["story"]] = summary
        report.seconds["align"] = time.perf_counter() - clock
        report.worker_cpu["align"] = _spent(cpu_read, _worker_cpu(dask))
        with contextlib.suppress(Exception):  # memory figures are a courtesy
            peaks = dask.run(peak_rss_mib)
            report.worker_peak_mib = {str(k): float(v) for k, v in peaks.items()}

    for summary in summaries.values():
        # stories that could not be aligned, projects that could not be written
        errors.extend(LoadError(e["path"], e["message"]) for e in summary["errors"])
    clock = time.perf_counter()
    trace.write_outputs(out, clustering, summaries, errors)
    report.seconds["write"] = time.perf_counter() - clock
    report.articles = len(refs)
    report.stories = len(clustering.stories)
    report.skipped = sum(1 for s in summaries.values() if s.get("skipped"))
    report.aligned = len(summaries) - report.skipped
    report.errors = errors
    report.outside_window = len(clustering.outside_window)
    report.copies = sum(len(s.copies) for s in clustering.stories)
    report.passages = sum(int(s["passages"]) for s in summaries.values())
    report.candidate_pairs = clustering.candidate_pairs
    report.links = clustering.links
    report.refused_joins = clustering.refused_joins
    report.client_peak_mib = peak_rss_mib()
    return report
