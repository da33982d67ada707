"""What the editor is looking at: the loaded set, the focus version, column order, hidden versions.

Every view and model listens to one ``ViewState``; none of them keeps its own copy.

The check-worthy units and conflicts of a set take seconds on large sets, so they are
never worked out on the GUI thread when it can be helped: the alignment worker works
them out with the set (``remember_analysis``), and a set shown without them gets them
from a background thread; ``conflicts_changed`` tells the views when they arrive.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from factdesk.core.model import ArticleSet
from factdesk.ui.index import SetIndex
from factdesk.ui.palette import Theme, theme

if TYPE_CHECKING:
    from factdesk.core.conflicts import Conflict
    from factdesk.core.suggest import UnitIndex


@dataclass
class SetAnalysis:
    """Check-worthy units and conflicts of one set, worked out together."""

    units: UnitIndex
    conflicts: list[Conflict]
    by_passage: dict[str, list[Conflict]]  # real conflicts naming each passage


def analyse_for_view(article_set: ArticleSet) -> SetAnalysis:
    """Units and conflicts (spelling variants included) of a set; safe in any thread."""
    from factdesk.core.conflicts import find_conflicts
    from factdesk.core.review import conflicts_by_passage
    from factdesk.core.suggest import index_units

    units = index_units(article_set)
    conflicts = find_conflicts(article_set, include_variants=True, index=units)
    return SetAnalysis(units, conflicts, conflicts_by_passage(conflicts))


# Analyses worked out next to their set (in the alignment worker), by id of the set; the
# weak reference tells a live set from a new one that reuses a dead one's id.
_remembered: dict[int, tuple[weakref.ref[ArticleSet], SetAnalysis]] = {}
_remembered_lock = threading.Lock()


def remember_analysis(article_set: ArticleSet, analysis: SetAnalysis) -> None:
    """Keep ``analysis`` for when ``article_set`` is shown (call from any thread)."""
    with _remembered_lock:
        for key, (ref, _) in list(_remembered.items()):
            if ref() is None:
                del _remembered[key]
        _remembered[id(article_set)] = (weakref.ref(article_set), analysis)


def _recall_analysis(article_set: ArticleSet) -> SetAnalysis | None:
    with _remembered_lock:
        entry = _remembered.pop(id(article_set), None)
    if entry is None or entry[0]() is not article_set:
        return None
    return entry[1]


_executor: ThreadPoolExecutor | None = None


def _background() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="factdesk-analysis")
    return _executor


class ViewState(QObject):
    """Shared view state; emits past-tense signals after each change."""

    set_changed = Signal()
    focus_changed = Signal(str)
    columns_changed = Signal()  # order or visibility of versions
    boilerplate_visibility_changed = Signal(bool)
    passage_activated = Signal(str)  # passage id the editor clicked or jumped to
    highlights_changed = Signal()
    theme_changed = Signal()
    zoom_changed = Signal(int)
    facts_changed = Signal(str)  # fact id added, edited or removed ("" for many)
    conflicts_changed = Signal()  # the units and conflicts of the shown set became known

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.article_set = ArticleSet()
        self.index = SetIndex(self.article_set)
        self.focus: str = ""
        self.order: list[str] = []
        self.hidden: set[str] = set()
        self.show_boilerplate = False
        self.active_passage: str = ""
        self.highlights: list[tuple[str, int, int]] = []
        self.theme: Theme = theme()
        self.zoom = 0  # points added to the base font size
        self._analysis: SetAnalysis | None = None
        self._pending: Future[SetAnalysis] | None = None
        self._poll = QTimer(self)
        self._poll.setInterval(40)
        self._poll.timeout.connect(self._on_poll_timeout)

    # -- the set ----------------------------------------------------------
    def set_article_set(self, article_set: ArticleSet) -> None:
        """Show a new or re-aligned set; focus, order and hidden versions carry over."""
        ids = [d.id for d in article_set.documents]
        self.article_set = article_set
        self.index = SetIndex(article_set)
        self._analysis = _recall_analysis(article_set)
        if self._pending is not None:
            self._pending.cancel()  # a superseded set: skip it unless already under way
        self._pending = None
        if self._analysis is None and article_set.documents:
            self._start_analysis()
        self.order = [d for d in self.order if d in ids] + [d for d in ids if d not in self.order]
        self.hidden &= set(ids)
        if self.focus not in ids:
            self.focus = ids[0] if ids else ""
        if self.active_passage not in self.index.passages:
            self.active_passage = ""
        self.set_changed.emit()

    def _start_analysis(self) -> None:
        self._pending = _background().submit(analyse_for_view, self.article_set)
        self._poll.start()

    def _on_poll_timeout(self) -> None:
        # Polled from the GUI thread: the background thread never touches Qt objects.
        pending = self._pending
        if pending is None:
            self._poll.stop()
            return
        if not pending.done():
            return
        self._poll.stop()
        self._pending = None
        if pending.cancelled() or pending.exception() is not None:
            return  # analysis() works it out again and reports the error to its caller
        if self._analysis is None:
            self._install(pending.result())

    def _install(self, analysis: SetAnalysis) -> None:
        self._analysis = analysis
        self._pending = None
        self._poll.stop()
        self.conflicts_changed.emit()

    def analysis_ready(self) -> bool:
        """Whether units and conflicts of the shown set are known (no waiting for them)."""
        return self._analysis is not None

    def analysis(self) -> SetAnalysis:
        """Units and conflicts of the shown set, waiting for them if they are being made."""
        if self._analysis is None:
            pending = self._pending
            if pending is not None and not pending.cancelled() and pending.exception() is None:
                analysis = pending.result()
            else:
                analysis = analyse_for_view(self.article_set)
            self._install(analysis)
        assert self._analysis is not None
        return self._analysis

    def unit_index(self) -> UnitIndex:
        """Check-worthy units of the set (waits for them if they are not known yet)."""
        return self.analysis().units

    def conflicts(self) -> list[Conflict]:
        """Where the versions disagree, spelling variants included (waits if not known yet)."""
        return self.analysis().conflicts

    def passage_conflicts(self, passage_id: str) -> list[Conflict]:
        """Real conflicts (not spelling variants) naming this sentence; never waits.

        Empty until the conflicts of the set are known (``conflicts_changed``).
        """
        if self._analysis is None:
            return []
        return self._analysis.by_passage.get(passage_id, [])

    def visible_docs(self) -> list[str]:
        return [d for d in self.order if d not in self.hidden]

    def number(self, doc_id: str) -> int:
        return self.index.doc_number.get(doc_id, 0)

    # -- changes ----------------------------------------------------------
    def connect_versions_changed(self, slot: Callable[..., object]) -> None:
        """Call ``slot`` whenever what a per-version view shows may change: the set, the
        shown versions or their order, the focus, or the theme."""
        for signal in (
            self.set_changed,
            self.columns_changed,
            self.focus_changed,
            self.theme_changed,
        ):
            signal.connect(slot)

    def set_focus(self, doc_id: str) -> None:
        if doc_id == self.focus or doc_id not in self.index.docs:
            return
        self.focus = doc_id
        self.hidden.discard(doc_id)
        self.focus_changed.emit(doc_id)

    def set_hidden(self, doc_id: str, hidden: bool) -> None:
        if hidden == (doc_id in self.hidden) or doc_id not in self.index.docs:
            return
        if hidden:
            self.hidden.add(doc_id)
        else:
            self.hidden.discard(doc_id)
        self.columns_changed.emit()

    def move_doc(self, doc_id: str, new_position: int) -> None:
        if doc_id not in self.order:
            return
        order = [d for d in self.order if d != doc_id]
        new_position = max(0, min(new_position, len(order)))
        order.insert(new_position, doc_id)
        if order != self.order:
            self.order = order
            self.columns_changed.emit()

    def set_show_boilerplate(self, show: bool) -> None:
        if show != self.show_boilerplate:
            self.show_boilerplate = show
            self.boilerplate_visibility_changed.emit(show)

    def activate_passage(self, passage_id: str) -> None:
        if passage_id in self.index.passages:
            self.active_passage = passage_id
            self.passage_activated.emit(passage_id)

    def set_highlights(self, spans: list[tuple[str, int, int]]) -> None:
        self.highlights = list(spans)
        self.highlights_changed.emit()

    def refresh_theme(self) -> None:
        self.theme = theme()
        self.theme_changed.emit()

    def set_zoom(self, zoom: int) -> None:
        zoom = max(-6, min(zoom, 24))
        if zoom != self.zoom:
            self.zoom = zoom
            self.zoom_changed.emit(zoom)
