"""``factdesk trace`` on a small Dask LocalCluster: stories, same results as align, faults, re-runs."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from factdesk import cli  # noqa: E402
from factdesk.core.trace_dask import TraceReport, run_trace  # noqa: E402
from factdesk.testing.faults import KillWorkerOnce  # noqa: E402
from factdesk.testing.tracesets import (  # noqa: E402
    DaySet,
    cross_story_links,
    score_clusters,
    trace_clusters,
    write_day,
)


@pytest.fixture(scope="module")
def threads_client() -> Iterator[object]:
    """One worker with threads in this process: no process start-up, any free port."""
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> DaySet:
    return write_day(tmp_path_factory.mktemp("day"), 48, seed=7)


@pytest.fixture(scope="module")
def traced(
    day: DaySet, threads_client: object, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, TraceReport]:
    out = tmp_path_factory.mktemp("out")
    return out, run_trace(day.inputs, out, client=threads_client)


def _stories(out: Path) -> list[dict[str, object]]:
    lines = (out / "stories.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_stories_match_the_generated_truth(day: DaySet, traced: tuple[Path, TraceReport]) -> None:
    out, report = traced
    score = score_clusters(day.truth, trace_clusters(out))
    crossing, passages = cross_story_links(out, day.truth)

    assert report.articles == 48 and not report.errors
    assert score.purity >= 0.95 and score.completeness >= 0.95
    assert score.joined == 0
    assert passages > 0 and crossing * 1000 / passages <= 1
    assert (out / "summary.html").is_file()


def test_each_story_is_what_align_gives_on_its_files_alone(
    traced: tuple[Path, TraceReport], capsys: pytest.CaptureFixture[str]
) -> None:
    out, _report = traced
    stories = _stories(out)
    assert len(stories) > 3
    for story in stories:
        paths = [d["path"] for d in story["documents"]]  # type: ignore[index]
        capsys.readouterr()
        assert cli.main(["align", *paths, "--json"]) == 0
        printed = capsys.readouterr().out
        assert (out / str(story["result"])).read_text(encoding="utf-8") == printed


def test_a_rerun_skips_stories_that_are_up_to_date(
    day: DaySet, threads_client: object, tmp_path: Path
) -> None:
    first = run_trace(day.inputs, tmp_path, client=threads_client)
    again = run_trace(day.inputs, tmp_path, client=threads_client)

    assert first.aligned == first.stories and first.skipped == 0
    assert again.skipped == again.stories and again.aligned == 0

    # an article that changes makes its story new; the others stay skipped
    changed = Path(_stories(tmp_path)[0]["documents"][0]["path"])  # type: ignore[index]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA late correction.\n")
    try:
        third = run_trace(day.inputs, tmp_path, client=threads_client)
    finally:
        changed.write_text(
            changed.read_text(encoding="utf-8").replace("\nA late correction.\n", "")
        )
    assert third.aligned == 1 and third.skipped == third.stories - 1


def test_a_killed_worker_is_replaced_and_the_trace_finishes(tmp_path: Path) -> None:
    day = write_day(tmp_path / "day", 16, seed=11)
    marker = tmp_path / "killed"
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        client.register_plugin(KillWorkerOnce(str(marker), "align_stories"))
        report = run_trace(day.inputs, tmp_path / "out", client=client)

    assert marker.is_file()  # a worker did die in the middle of an alignment
    assert int(marker.read_text()) != os.getpid()
    assert report.stories == len(_stories(tmp_path / "out"))
    assert all((tmp_path / "out" / str(s["result"])).is_file() for s in _stories(tmp_path / "out"))
    score = score_clusters(day.truth, trace_clusters(tmp_path / "out"))
    assert score.purity >= 0.95 and score.completeness >= 0.95


def test_command_traces_a_feed_into_projects(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    day = write_day(tmp_path / "day", 12, seed=4, jsonl=True)
    out = tmp_path / "out"

    code = cli.main(
        [
            "trace",
            *day.inputs,
            "--out",
            str(out),
            "--workers",
            "1",
            "--projects",
            "--dashboard",
            ":0",
        ]
    )

    assert code == 0
    assert "12 articles" in capsys.readouterr().out
    stories = _stories(out)
    for story in stories:
        assert (out / str(story["project"])).is_file()
        assert story["documents"][0]["outlet"]  # type: ignore[index]
    from factdesk.core.store import Project

    opened = Project.read(out / str(stories[0]["project"]))
    assert len(opened.documents) == len(stories[0]["documents"])  # type: ignore[arg-type]


def test_an_existing_cluster_runs_the_same_job(
    day: DaySet,
    threads_client: distributed.Client,
    traced: tuple[Path, TraceReport],
    tmp_path: Path,
) -> None:
    address = threads_client.scheduler.address

    report = run_trace(day.inputs, tmp_path, scheduler=address)

    assert report.stories == traced[1].stories
    assert (tmp_path / "stories.jsonl").read_text(encoding="utf-8") == (
        traced[0] / "stories.jsonl"
    ).read_text(encoding="utf-8")
