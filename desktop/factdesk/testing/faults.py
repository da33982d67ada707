"""Faults to inject into a Dask cluster, to show that ``factdesk trace`` survives them."""

from __future__ import annotations

import os
import signal
from typing import Any

from distributed.diagnostics.plugin import WorkerPlugin


class KillWorkerOnce(WorkerPlugin):
    """Kill the worker process (SIGKILL) the first time any worker starts a matching task.

    The first worker to create ``marker`` dies; the marker stays, so the task that was
    running, rescheduled elsewhere, finishes. Nothing is cleaned up: as when a machine
    of a cluster goes down.
    """

    def __init__(self, marker: str, task_prefix: str) -> None:
        self.marker = marker
        self.task_prefix = task_prefix

    def transition(self, key: Any, start: str, finish: str, **kwargs: Any) -> None:
        name = key[0] if isinstance(key, tuple) else key
        if finish != "executing" or not str(name).startswith(self.task_prefix):
            return
        try:
            fd = os.open(self.marker, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            return
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)
