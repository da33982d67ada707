"""GUI speed figures: start-up to first paint, opening N versions, synoptic repaint, focus switch.

Run: ``PYTHONPATH=desktop python benchmarks/bench_gui.py [--runs 5] [--versions 100]``.
The first output line is one JSON object for opening ``--versions`` generated versions
through ``MainWindow.open_paths`` (what File ▸ Open calls), with a 10 ms heartbeat on the
GUI thread: ``first_paint_s`` (window created to first paint, in process), ``open_s`` and
``largest_stall_ms`` (the longest the GUI thread went without running its timers, until
half a second after the analysis came in); ``analysed_s`` is when the set's conflicts and
suggestions were known (they follow the shown set in the background).
Uses the offscreen platform unless ``--real`` is given (then run it under a display or xvfb-run).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _env(settings_dir: str, real: bool) -> dict[str, str]:
    env = dict(os.environ)
    env["FACTDESK_BENCHMARK_STARTUP"] = "1"
    # An installed FactDesk has its bytecode compiled by pip; a checkout gets the same by
    # compile_package(), and must be allowed to use it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["XDG_CONFIG_HOME"] = settings_dir  # a fresh QSettings store: first run opens the sample
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO / "desktop"), env.get("PYTHONPATH", "")])
    )
    if not real:
        env["QT_QPA_PLATFORM"] = "offscreen"
    return env


def compile_package() -> None:
    """Write FactDesk's bytecode, as ``pip install`` does, so start-up is not measured
    with every module compiled from source."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(REPO / "desktop" / "factdesk")],
        check=True,
    )


def bench_startup(runs: int, real: bool, cache_dir: str) -> tuple[list[float], list[float]]:
    """Whole-process time from spawn to the first paint with the sample loaded.

    ``cache_dir`` is FactDesk's cache folder (decoded lemmatiser tables): a fresh one
    for every run measures a first start on a new machine. Also returns each process's CPU
    time (it quits right after the first paint), which a busy machine disturbs less than
    the wall clock.
    """
    times: list[float] = []
    cpu: list[float] = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as settings_dir:
            fresh = tempfile.TemporaryDirectory() if not cache_dir else None
            env = _env(settings_dir, real)
            env["FACTDESK_CACHE_DIR"] = fresh.name if fresh else cache_dir
            start = time.perf_counter()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.Popen(
                [sys.executable, "-c", "from factdesk.ui.app import run; raise SystemExit(run())"],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                text=True,
            )
            assert proc.stdout is not None
            for line in proc.stdout:
                if line.startswith("first-paint"):
                    times.append(time.perf_counter() - start)
                    break
            proc.wait(timeout=120)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            if fresh:
                fresh.cleanup()
    return times, cpu


def _use_package(real: bool) -> None:
    """Import FactDesk from this checkout, on the offscreen platform unless ``real``."""
    if not real:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(REPO / "desktop"))


def _window(folder: Path):  # type: ignore[no-untyped-def]
    """A main window with settings of its own (a first run), not the user's."""
    from PySide6.QtCore import QSettings

    from factdesk.ui.main_window import MainWindow

    return MainWindow(QSettings(str(folder / "bench.ini"), QSettings.Format.IniFormat))


def bench_open(versions: int, real: bool) -> dict[str, float]:
    """Open ``versions`` generated files the way File ▸ Open does, watching the GUI thread."""
    _use_package(real)
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer

    from factdesk.testing import synth
    from factdesk.ui.app import make_application

    with tempfile.TemporaryDirectory() as tmp:
        synth.write_set(Path(tmp) / "set", versions, sentences=30, seed=0)
        app = make_application()
        clock = QElapsedTimer()
        clock.start()
        window = _window(Path(tmp))
        window.resize(1400, 900)
        painted = QEventLoop()
        window.first_painted.connect(painted.quit)
        window.show()
        painted.exec()
        first_paint = clock.elapsed() / 1000
        gaps: list[int] = []
        beat = QElapsedTimer()
        heartbeat = QTimer()
        heartbeat.setInterval(10)

        def on_beat() -> None:
            gaps.append(beat.restart())

        heartbeat.timeout.connect(on_beat)
        done = QEventLoop()
        window.set_shown.connect(done.quit)
        window.load_failed.connect(done.quit)
        start = time.perf_counter()
        beat.start()
        heartbeat.start()
        window.open_paths([str(Path(tmp) / "set")])
        done.exec()
        open_s = time.perf_counter() - start
        # the analysis (conflicts, suggestions) follows the shown set in the background:
        # its time and any stall it causes count too
        if not window.state.analysis_ready():
            analysed = QEventLoop()
            window.state.conflicts_changed.connect(analysed.quit)
            analysed.exec()
        analysed_s = time.perf_counter() - start
        # what the first show queues (row heights, deferred lists) counts too
        settle = QEventLoop()
        QTimer.singleShot(500, settle.quit)
        settle.exec()
        heartbeat.stop()
        window.close()
        app.processEvents()
        return {
            "versions": float(len(window.article_set.documents)),
            "first_paint_s": round(first_paint, 3),
            "open_s": round(open_s, 2),
            "analysed_s": round(analysed_s, 2),
            "largest_stall_ms": float(max(gaps or [0])),
            "gaps_over_100_ms": float(sum(1 for g in gaps if g > 100)),
        }


def bench_views(versions: int, real: bool) -> dict[str, float]:
    _use_package(real)
    from PySide6.QtWidgets import QApplication

    from factdesk.core import pipeline
    from factdesk.testing import synth
    from factdesk.ui.app import make_application

    with tempfile.TemporaryDirectory() as tmp:
        synth.write_set(Path(tmp) / "set", versions, sentences=30, seed=0)
        t0 = time.perf_counter()
        article_set = pipeline.analyse([Path(tmp) / "set"])
        analyse_s = time.perf_counter() - t0
        app = make_application()
        window = _window(Path(tmp))
        window.resize(1600, 1000)
        window.show()
        t0 = time.perf_counter()
        window.set_article_set(article_set)
        QApplication.processEvents()
        window.synoptic.viewport().repaint()
        show_s = time.perf_counter() - t0
        view = window.synoptic
        bar = view.verticalScrollBar()

        def scroll_paints() -> list[float]:
            paints = []
            bar.setValue(0)
            step = max(view.viewport().height() // 3, 1)
            while True:
                QApplication.processEvents()
                start = time.perf_counter()
                view.viewport().repaint()
                paints.append((time.perf_counter() - start) * 1000)
                if bar.value() >= bar.maximum() or len(paints) >= 400:
                    return paints
                bar.setValue(bar.value() + step)

        cold = scroll_paints()  # first visit: diffs computed and laid out
        warm = scroll_paints()
        hscroll = view.horizontalScrollBar()
        hscroll.setValue(hscroll.maximum() // 2)
        warm_mid = scroll_paints()
        focus_ms = []
        for doc in window.state.order[1:11]:
            start = time.perf_counter()
            window.state.set_focus(doc)
            QApplication.processEvents()
            view.viewport().repaint()
            focus_ms.append((time.perf_counter() - start) * 1000)
        window.close()
        app.processEvents()
        return {
            "versions": float(len(article_set.documents)),
            "rows": float(view.synoptic_model.rowCount()),
            "analyse_s": analyse_s,
            "show_s": show_s,
            "paint_cold_median_ms": statistics.median(cold),
            "paint_warm_median_ms": statistics.median(warm + warm_mid),
            "paint_warm_p90_ms": sorted(warm + warm_mid)[int(0.9 * (len(warm) + len(warm_mid)))],
            "focus_median_ms": statistics.median(focus_ms),
            "focus_max_ms": max(focus_ms),
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument(
        "--real", action="store_true", help="use the real display instead of offscreen"
    )
    parser.add_argument("--skip-startup", action="store_true")
    parser.add_argument(
        "--open-only", action="store_true", help="only the JSON line for opening the versions"
    )
    parser.add_argument(
        "--startup-only", action="store_true", help="only the start-up to first paint figures"
    )
    args = parser.parse_args()
    if not args.startup_only:
        print(json.dumps(bench_open(args.versions, args.real)), flush=True)
        if args.open_only:
            return 0
    if not args.skip_startup:
        compile_package()
        with tempfile.TemporaryDirectory() as kept_cache:
            for label, cache in (("first start", ""), ("later starts", kept_cache)):
                if cache:
                    bench_startup(1, args.real, cache)  # fills the cache
                times, cpu = bench_startup(args.runs, args.real, cache)
                print(
                    f"startup to first paint (sample, {label}): median "
                    f"{statistics.median(times):.2f} s over {len(times)} runs "
                    f"(min {min(times):.2f}, max {max(times):.2f}; CPU median "
                    f"{statistics.median(cpu):.2f} s); target <= 1.0 s"
                )
        if args.startup_only:
            return 0
    figures = bench_views(args.versions, args.real)
    print(
        f"{int(figures['versions'])} versions, {int(figures['rows'])} synoptic rows "
        f"(analyse {figures['analyse_s']:.2f} s, first show {figures['show_s'] * 1000:.0f} ms)"
    )
    print(
        f"synoptic viewport repaint: median {figures['paint_warm_median_ms']:.1f} ms warm "
        f"(p90 {figures['paint_warm_p90_ms']:.1f} ms), "
        f"{figures['paint_cold_median_ms']:.1f} ms on first visit; "
        "target < 16 ms"
    )
    print(
        f"focus switch: median {figures['focus_median_ms']:.0f} ms, "
        f"max {figures['focus_max_ms']:.0f} ms; "
        "target <= 300 ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
