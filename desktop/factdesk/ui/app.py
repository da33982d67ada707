"""Start the FactDesk window.

``run()`` with neither paths nor a project opens the last project (QSettings),
else the bundled sample. With ``FACTDESK_BENCHMARK_STARTUP=1`` in the
environment the window quits right after its first paint with the set loaded
and prints ``first-paint <seconds>`` (used by ``benchmarks/bench_gui.py``).
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QSettings, QThread, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from factdesk.core import bundled
from factdesk.core.runtime import gc_paused

if TYPE_CHECKING:
    from factdesk.ui.main_window import MainWindow

BENCHMARK_ENV = "FACTDESK_BENCHMARK_STARTUP"
SWITCH_INTERVAL_S = 0.001
STARTUP_GC_LIMIT_MS = 30_000

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], object]


def sample_paths() -> list[str]:
    """The bundled sample versions."""
    return [str(p) for p in bundled.sample_paths()]


def load_style(app: QApplication) -> None:
    from factdesk.ui.window_layout import resource_path

    qss = resource_path("style.qss")
    if qss.exists():
        app.setStyleSheet(qss.read_text(encoding="utf-8"))


def make_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    # Long jobs run in worker threads under the same interpreter lock. Each call from
    # Python into Qt lets the lock go, and the GUI thread then waits up to the switch
    # interval to get it back from a busy worker: at the default 5 ms a paint of many
    # cells took several times longer while a set was being analysed.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    app.setOrganizationName("FactDesk")
    app.setApplicationName("FactDesk")
    app.setApplicationDisplayName("FactDesk")
    load_style(app)
    return app


def error_summary(exc_type: type[BaseException], exc: BaseException) -> str:
    """One line naming an exception, e.g. ``ValueError: bad offset``."""
    lines = "".join(traceback.format_exception_only(exc_type, exc)).strip().splitlines()
    return lines[-1] if lines else exc_type.__name__


def install_exception_hook(window: MainWindow) -> ExceptHook:
    """Make an exception raised in a slot visible in ``window``'s message bar.

    Qt swallows exceptions raised in slots after handing them to ``sys.excepthook``;
    without this the editor would see nothing happen. The previous hook still runs,
    so the full traceback is printed to stderr as before. Returns the installed hook.
    """
    previous = sys.excepthook

    def hook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        previous(exc_type, exc, tb)
        if issubclass(exc_type, KeyboardInterrupt):
            return
        app = QApplication.instance()
        # widgets may only be touched from the GUI thread, and only while they exist
        if app is None or QThread.currentThread() is not app.thread():
            return
        if not shiboken6.isValid(window):
            return
        with contextlib.suppress(Exception):  # reporting must never raise in turn
            window.show_message(
                f"Something went wrong: {error_summary(exc_type, exc)} "
                "(details are printed on the console)",
                "error",
            )

    sys.excepthook = hook
    return hook


def run(paths: list[str] | None = None, project: str | None = None) -> int:
    """Open the window on ``paths`` (files/folders) or ``project``; returns the exit code."""
    started = time.perf_counter()
    # Start-up makes hundreds of thousands of objects that live as long as the window
    # (modules, word lists, lemma tables); the cycle collector would walk them again and
    # again on the way to the first paint. It resumes once the first set is shown, with
    # those objects frozen out of its sight.
    startup = contextlib.ExitStack()
    startup.enter_context(gc_paused())
    app = make_application()
    from factdesk.ui.main_window import MainWindow
    from factdesk.ui.window_layout import icon

    app.setWindowIcon(icon("factdesk") or QIcon())
    settings = QSettings("FactDesk", "FactDesk")
    window = MainWindow(settings)
    install_exception_hook(window)

    def settled() -> None:
        startup.close()  # once: an exit stack forgets what it has closed

    window.set_shown.connect(settled)
    window.load_failed.connect(settled)
    QTimer.singleShot(STARTUP_GC_LIMIT_MS, settled)  # whatever happens, not for long
    benchmark = os.environ.get(BENCHMARK_ENV) == "1"
    if benchmark:

        def report() -> None:
            window.repaint()
            print(f"first-paint {time.perf_counter() - started:.3f}", flush=True)
            window.close()
            app.quit()

        window.set_shown.connect(lambda: QTimer.singleShot(0, report))
    window.show()
    open_initial(window, settings, paths, project)
    return app.exec()


def open_initial(
    window: MainWindow,
    settings: QSettings,
    paths: list[str] | None = None,
    project: str | None = None,
) -> str:
    """Open what the command line names, else the last project, else the bundled sample.

    Returns what was opened: ``"project"``, ``"paths"``, ``"last project"`` or ``"sample"``.
    """
    if project:
        window.open_project(project)
        return "project"
    if paths:
        window.open_paths(paths)
        return "paths"
    last = str(settings.value("last_project", "") or "")
    if last and Path(last).exists() and window.open_project(last):
        return "last project"
    window.open_paths(sample_paths())
    return "sample"


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv[1:] or None))
