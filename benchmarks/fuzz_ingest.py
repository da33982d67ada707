"""Fuzz FactDesk's ingest with generated hostile files and print what went wrong.

Usage:
    PYTHONPATH=desktop python benchmarks/fuzz_ingest.py             # 1,000 files, seed 0
    PYTHONPATH=desktop python benchmarks/fuzz_ingest.py --count 200 --seed 3 --jobs 2

Writes the files of ``factdesk.testing.hostile`` (random bytes, broken encodings, control
characters in names, malformed Word documents, entity and zip bombs, huge line counts,
heavy web pages, files at the size limit) and the file-system oddities (link loops, a
pipe, ...) to a temporary folder, then loads each one as ``factdesk align`` does (load,
segment, align) in a forked process with a time limit. Prints:

* crashes: an exception that escaped the load (a traceback) or a process that died;
* hangs: loads that took longer than the time limit (60 s) and were killed;
* peak memory per file: the largest resident set of the process that loaded one file;
* the slowest file (load, segment and align) and the slowest segmenting alone;
* unclear messages: errors that do not start with the file's name, run over more than
  one line, hold control characters, or show raw exception text.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import select
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

try:
    import factdesk  # noqa: F401
except ImportError:
    sys.path.insert(0, str(REPO / "desktop"))

from factdesk.core import ingest, pipeline, segment  # noqa: E402
from factdesk.core.model import printable  # noqa: E402
from factdesk.testing import hostile  # noqa: E402

# Raw exception text that an editor should never see.
_RAW_RE = re.compile(r"Traceback|\w+(?:Error|Exception)\(|<class |\[Errno|object at 0x|File \"")


@dataclass
class Outcome:
    label: str
    kind: str
    seconds: float = 0.0
    segmenting: float = 0.0
    max_rss_mb: float = 0.0
    crash: str = ""
    hang: bool = False
    loaded: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)


def unclear(path: str, message: str) -> str:
    """Why ``message`` about ``path`` is unclear, or ''."""
    name = printable(Path(path).name or path)
    if printable(message) != message:
        return "holds a line break or control character"
    if not message.startswith(f"{name}: "):
        return "does not start with the file's name"
    if _RAW_RE.search(message):
        return "shows raw exception text"
    return ""


def _child(path: Path, write_fd: int) -> None:
    try:
        documents, errors, _ = ingest.load_paths([path])
        started = time.perf_counter()
        for doc in documents:
            segment.segment_document(doc)
        segmenting = time.perf_counter() - started
        pipeline.build(documents)  # segments again, then aligns, as `factdesk align` does
        out = {
            "loaded": len(documents),
            "errors": [[e.path, e.message] for e in errors],
            "segmenting": segmenting,
        }
    except BaseException:
        out = {"crash": traceback.format_exc()}
    data = json.dumps(out).encode()
    view = memoryview(data)
    while view:
        view = view[os.write(write_fd, view) :]
    os._exit(0)


@dataclass
class _Running:
    outcome: Outcome
    pid: int
    fd: int
    started: float
    chunks: list[bytes] = field(default_factory=list)


def _start(path: Path, outcome: Outcome) -> _Running:
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child loads the file and reports through the pipe
        os.close(read_fd)
        _child(path, write_fd)
    os.close(write_fd)
    return _Running(outcome, pid, read_fd, time.perf_counter())


def _finish(job: _Running, killed: bool) -> Outcome:
    outcome = job.outcome
    if killed:
        os.kill(job.pid, signal.SIGKILL)
    _, status, usage = os.wait4(job.pid, 0)
    os.close(job.fd)
    outcome.seconds = time.perf_counter() - job.started
    outcome.max_rss_mb = usage.ru_maxrss / 1024  # Linux reports KiB
    if killed:
        outcome.hang = True
        return outcome
    raw = b"".join(job.chunks)
    if not raw:
        outcome.crash = f"the process died (status {status})"
        return outcome
    out = json.loads(raw)
    outcome.crash = out.get("crash", "")
    outcome.loaded = out.get("loaded", 0)
    outcome.segmenting = out.get("segmenting", 0.0)
    outcome.errors = [tuple(e) for e in out.get("errors", [])]
    return outcome


def run_all(targets: list[tuple[Path, Outcome]], jobs: int, limit: float) -> list[Outcome]:
    done: list[Outcome] = []
    running: list[_Running] = []
    pending = list(targets)
    while pending or running:
        while pending and len(running) < jobs:
            path, outcome = pending.pop(0)
            running.append(_start(path, outcome))
        now = time.perf_counter()
        wait = max(0.0, min(job.started + limit - now for job in running))
        ready, _, _ = select.select([job.fd for job in running], [], [], wait)
        for job in list(running):
            if job.fd in ready:
                chunk = os.read(job.fd, 1 << 16)
                if chunk:
                    job.chunks.append(chunk)
                    continue
                running.remove(job)
                done.append(_finish(job, killed=False))
            elif time.perf_counter() - job.started > limit:
                running.remove(job)
                done.append(_finish(job, killed=True))
    return done


def generate(folder: Path, count: int, seed: int) -> list[tuple[Path, Outcome]]:
    """``count`` hostile files (each in its own folder), drawn by the classes' weights."""
    rng = random.Random(seed)
    names = list(hostile.CLASSES)
    weights = [hostile.CLASSES[name][1] for name in names]
    targets: list[tuple[Path, Outcome]] = []
    for special in hostile.SPECIALS:
        where = folder / f"special{len(targets)}"
        where.mkdir()
        hostile.write_special(where, special)
        (where / "good.txt").write_text("The council met on Tuesday.", encoding="utf-8")
        targets.append((where, Outcome(special, "file-system oddity")))
    while len(targets) < count:
        kind = rng.choices(names, weights)[0]
        name, data = hostile.CLASSES[kind][0](rng)
        where = folder / f"case{len(targets)}"
        where.mkdir()
        path = hostile.write_file(where, name, data)
        targets.append((path, Outcome(printable(name), kind)))
    return targets


def report(outcomes: list[Outcome], limit: float) -> None:
    by_kind: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_kind[outcome.kind].append(outcome)
    problems: Counter[str] = Counter()
    unclear_lines: list[str] = []
    print(
        f"{'class':28s} {'files':>5s} {'loaded':>6s} {'errors':>6s} {'crash':>5s} "
        f"{'hang':>4s} {'max s':>6s} {'max MB':>7s}"
    )
    for kind, group in sorted(by_kind.items()):
        crashes = sum(1 for o in group if o.crash)
        hangs = sum(1 for o in group if o.hang)
        print(
            f"{kind:28s} {len(group):5d} {sum(o.loaded for o in group):6d} "
            f"{sum(len(o.errors) for o in group):6d} {crashes:5d} {hangs:4d} "
            f"{max(o.seconds for o in group):6.1f} {max(o.max_rss_mb for o in group):7.0f}"
        )
        for o in group:
            for path, message in o.errors:
                why = unclear(path, message)
                if why:
                    problems["unclear"] += 1
                    unclear_lines.append(f"  {kind}: {why}: {message[:160]!r}")
    crashes = [o for o in outcomes if o.crash]
    hangs = [o for o in outcomes if o.hang]
    peak = max(outcomes, key=lambda o: o.max_rss_mb)
    slowest = max(outcomes, key=lambda o: o.seconds)
    slowest_segmenting = max(outcomes, key=lambda o: o.segmenting)
    print()
    print(f"files: {len(outcomes)}")
    print(f"crashes (tracebacks or dead processes): {len(crashes)}")
    for o in crashes[:5]:
        print(f"  {o.kind} {o.label}:\n    " + o.crash.strip().replace("\n", "\n    ")[-1500:])
    print(f"hangs over {limit:.0f} s: {len(hangs)}")
    for o in hangs[:5]:
        print(f"  {o.kind} {o.label}")
    print(f"peak memory per file: {peak.max_rss_mb:.0f} MB ({peak.kind} {peak.label})")
    print(f"slowest file: {slowest.seconds:.1f} s ({slowest.kind} {slowest.label})")
    print(
        f"slowest segmenting: {slowest_segmenting.segmenting:.2f} s "
        f"({slowest_segmenting.kind} {slowest_segmenting.label})"
    )
    print(f"unclear messages: {problems['unclear']}")
    for line in unclear_lines[:10]:
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--jobs", type=int, default=1, help="files loaded at the same time")
    parser.add_argument("--limit", type=float, default=60.0, help="seconds before a hang")
    args = parser.parse_args()
    # Import the readers once, so each forked load starts warm, as in a running window.
    import charset_normalizer  # noqa: F401
    import docx  # noqa: F401
    import trafilatura  # noqa: F401

    pipeline.analyse([REPO / "seeds"])
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        targets = generate(Path(tmp), args.count, args.seed)
        print(f"generated {len(targets)} hostile files in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        outcomes = run_all(targets, args.jobs, args.limit)
        print(f"loaded in {time.perf_counter() - started:.0f} s ({args.jobs} at a time)\n")
    report(outcomes, args.limit)


if __name__ == "__main__":
    main()
