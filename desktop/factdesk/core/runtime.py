"""Process-wide settings that bulk work needs."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold off Python's cycle collector while a bulk step allocates millions of tuples.

    Those allocations trigger full collections that walk the whole heap again and again
    (a third of the alignment time on 2,000 documents), and they make no cycles worth
    collecting. Nested and concurrent use is counted, so the collector comes back once,
    when the last user leaves.

    What the step built then moves out of the collector's sight (``gc.freeze``): left in
    the youngest generation, the first collection afterwards would walk all of it, and any
    full collection later the whole set, each time for most of a second on 1,000 versions
    while holding the GIL, so a window's GUI thread stalls. The set is a tree that
    reference counting frees when it is dropped; only the few cycles made meanwhile (a
    few hundred objects a step) stay until ``gc.unfreeze``.
    """
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                gc.freeze()
                if _was_enabled:
                    gc.enable()
