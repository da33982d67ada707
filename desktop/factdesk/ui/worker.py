"""Runs long work off the GUI thread.

A job is a plain function ``job(progress, cancel) -> result`` (the session's jobs return
a ``Loaded``); its progress callback is called in a worker thread and forwarded to the
GUI as a queued signal.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from factdesk.core import runtime
from factdesk.core.model import Cancelled, CancelToken, ProgressFn

Job = Callable[[ProgressFn, CancelToken], Any]
#: Least time between two progress signals of one stage.
PROGRESS_INTERVAL_S = 0.05


class _Signals(QObject):
    progressed = Signal(int, str, int, int)  # ticket, stage, done, total
    finished = Signal(int, object)  # ticket, result
    failed = Signal(int, str)
    cancelled = Signal(int)


class _Runnable(QRunnable):
    def __init__(self, ticket: int, job: Job, token: CancelToken, signals: _Signals) -> None:
        super().__init__()
        self._ticket, self._job, self._token, self._signals = ticket, job, token, signals
        self.setAutoDelete(True)

    def run(self) -> None:
        last: dict[str, float] = {}

        def progress(stage: str, done: int, total: int) -> None:
            self._token.check()
            # One signal per document would flood the GUI thread on large sets: a stage's
            # first and last steps always go through, the rest at most every 50 ms.
            now = time.monotonic()
            if stage in last and 0 < done < total and now - last[stage] < PROGRESS_INTERVAL_S:
                return
            last[stage] = now
            self._signals.progressed.emit(self._ticket, stage, done, total)

        try:
            # a job builds a whole set: collections meanwhile would walk all of it while
            # holding the GIL, stalling the GUI thread (see ``runtime.gc_paused``)
            with runtime.gc_paused():
                result = self._job(progress, self._token)
            if self._token.cancelled:
                raise Cancelled()
        except Cancelled:
            self._signals.cancelled.emit(self._ticket)
        except Exception as exc:  # shown to the editor, never raised into Qt
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            self._signals.failed.emit(self._ticket, detail)
        else:
            self._signals.finished.emit(self._ticket, result)


class JobRunner(QObject):
    """Starts one job at a time; a new job cancels the running one.

    Only the newest job's result is ever delivered, so a cancelled or superseded
    run never shows anything half-built.
    """

    started = Signal(str)  # description
    progressed = Signal(str, int, int)
    finished = Signal(object, str)  # result, description
    failed = Signal(str)
    cancelled = Signal()
    idle_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(2)
        self._signals = _Signals()
        self._signals.progressed.connect(self._on_job_progressed)
        self._signals.finished.connect(self._on_job_finished)
        self._signals.failed.connect(self._on_job_failed)
        self._signals.cancelled.connect(self._on_job_cancelled)
        self._ticket = 0
        self._token: CancelToken | None = None
        self._description = ""
        self.busy = False

    def run(self, job: Job, description: str) -> None:
        if self._token is not None:
            self._token.cancel()
        self._ticket += 1
        self._token = CancelToken()
        self._description = description
        self.busy = True
        self.started.emit(description)
        self.idle_changed.emit(False)
        self._pool.start(_Runnable(self._ticket, job, self._token, self._signals))

    def cancel(self) -> None:
        if self._token is not None:
            self._token.cancel()

    def wait(self, msecs: int = 30_000) -> bool:
        return self._pool.waitForDone(msecs)

    def _is_current(self, ticket: int) -> bool:
        return ticket == self._ticket and self._token is not None

    def _done(self) -> None:
        self._token = None
        self.busy = False
        self.idle_changed.emit(True)

    def _on_job_progressed(self, ticket: int, stage: str, done: int, total: int) -> None:
        if self._is_current(ticket) and not (self._token and self._token.cancelled):
            self.progressed.emit(stage, done, total)

    def _on_job_finished(self, ticket: int, result: object) -> None:
        if self._is_current(ticket):
            description = self._description
            self._done()
            self.finished.emit(result, description)

    def _on_job_failed(self, ticket: int, message: str) -> None:
        if self._is_current(ticket):
            self._done()
            self.failed.emit(message)

    def _on_job_cancelled(self, ticket: int) -> None:
        if self._is_current(ticket):
            self._done()
            self.cancelled.emit()


#: The name the window's runner has always had.
AlignmentRunner = JobRunner
