"""What the editor is looking at: the focus version, column order, hidden versions.

Every view and model listens to one ``ViewState``; none of them keeps its own copy. The
set itself, its facts and its analysis belong to the ``Session`` (``factdesk.core``);
the state adapts the session's callbacks into Qt signals.

The check-worthy units and conflicts of a set take seconds on large sets, so they are
never worked out on the GUI thread when it can be helped: the session's jobs work them
out with the set, and a set shown without them gets them from a background job;
``conflicts_changed`` tells the views when they arrive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from factdesk.core.analysis import Analysis
from factdesk.core.model import ArticleSet, CancelToken, ProgressFn
from factdesk.core.session import Loaded, Session
from factdesk.core.stats import paragraph_groups
from factdesk.ui.index import SetIndex
from factdesk.ui.palette import Theme, theme
from factdesk.ui.worker import JobRunner

if TYPE_CHECKING:
    from factdesk.core.conflicts import Conflict
    from factdesk.core.suggest import UnitIndex

#: How long after a set without its analysis is shown the analysis starts (ms).
ANALYSIS_DELAY_MS = 150

#: The analysis type under the name the views have used.
SetAnalysis = Analysis


class ViewState(QObject):
    """Shared view state; emits past-tense signals after each change."""

    set_changed = Signal()
    focus_changed = Signal(str)
    columns_changed = Signal()  # order or visibility of versions
    boilerplate_visibility_changed = Signal(bool)
    differing_only_changed = Signal(bool)  # the synoptic shows only versions that differ
    rows_changed = Signal(bool)  # rows are now whole paragraphs (True) or sentences
    passage_activated = Signal(str)  # passage id the editor clicked or jumped to
    highlights_changed = Signal()
    theme_changed = Signal()
    zoom_changed = Signal(int)
    facts_changed = Signal(str)  # fact id added, edited or removed ("" for many)
    conflicts_changed = Signal()  # the units and conflicts of the shown set became known

    def __init__(
        self,
        session: Session | None = None,
        parent: QObject | None = None,
        *,
        analyser: JobRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session if session is not None else Session()
        self.index = SetIndex(self.session.article_set)
        self.focus: str = ""
        self.order: list[str] = []
        self.hidden: set[str] = set()
        self.show_boilerplate = False
        # the synoptic hides versions whose text in the current row is the focus version's
        self.differing_only = False
        self.active_passage: str = ""
        self.highlights: list[tuple[str, int, int]] = []
        self.theme: Theme = theme()
        self.zoom = 0  # points added to the base font size
        # Works out the analysis of a set shown without one, off the GUI thread. It belongs
        # to the caller, who keeps it alive (and waits for it) as long as jobs may run;
        # without one the analysis is worked out when first asked for.
        self._analyser = analyser
        self._prepared: SetIndex | None = None
        self.by_paragraph = False  # rows of whole paragraphs instead of sentences
        if analyser is not None:
            analyser.finished.connect(self._on_analyser_finished)
        self.session.set_replaced.connect(self._on_session_set_replaced)
        self.session.analysis_changed.connect(self._on_session_analysis_changed)
        for callback in (self.session.fact_inserted, self.session.fact_changed):
            callback.connect(self._on_session_fact_stored)
        self.session.fact_removed.connect(self._on_session_fact_removed)

    # -- the set ----------------------------------------------------------
    @property
    def article_set(self) -> ArticleSet:
        return self.session.article_set

    def set_article_set(self, article_set: ArticleSet) -> None:
        """Show an already aligned set (through the session, which owns it)."""
        self.session.show(article_set)

    def _on_session_set_replaced(self, _kind: str) -> None:
        """A new or re-aligned set: focus, order and hidden versions carry over."""
        article_set = self.session.article_set
        ids = [d.id for d in article_set.documents]
        prepared, self._prepared = self._prepared, None
        self.index = (
            prepared
            if prepared is not None
            and prepared.article_set is article_set
            and prepared.by_paragraph == self.by_paragraph
            else self._make_index(article_set)
        )
        self.order = [d for d in self.order if d in ids] + [d for d in ids if d not in self.order]
        self.hidden &= set(ids)
        if self.focus not in ids:
            self.focus = ids[0] if ids else ""
        if self.active_passage not in self.index.passages:
            self.active_passage = ""
        self.set_changed.emit()
        if self._analyser is not None and self.session.analysis is None and article_set.documents:
            # once the views have taken the set and painted it: a worker started at once
            # would compete with that paint for the interpreter and slow it several times
            QTimer.singleShot(ANALYSIS_DELAY_MS, self._start_analysis)

    def _start_analysis(self) -> None:
        if (
            self._analyser is not None
            and self.session.analysis is None
            and self.index.docs
            and self.session.article_set is self.index.article_set
        ):
            self._analyser.run(self.session.analysis_job(), "conflicts")

    def use_index(self, index: SetIndex) -> None:
        """Use ``index`` (built off the GUI thread) when its set is shown next."""
        self._prepared = index

    def index_job(self, job: Callable[..., Loaded]) -> Callable[..., tuple[Loaded, SetIndex]]:
        """``job`` followed, in the same thread, by the index the views will need."""
        focus, order, show_boilerplate = self.focus, list(self.order), self.show_boilerplate
        by_paragraph = self.by_paragraph

        def run(progress: ProgressFn, cancel: CancelToken) -> tuple[Loaded, SetIndex]:
            loaded = job(progress, cancel)
            article_set = loaded.article_set
            groups = paragraph_groups(article_set) if by_paragraph else None
            index = SetIndex(article_set, groups=groups)
            # the focus and column order the state will give the set (as in
            # ``_on_session_set_replaced``)
            ids = [d.id for d in loaded.article_set.documents]
            shown = [d for d in order if d in ids] + [d for d in ids if d not in order]
            index.prepare(
                focus if focus in ids else (ids[0] if ids else ""), shown, show_boilerplate
            )
            return loaded, index

        return run

    def _on_analyser_finished(self, result: tuple[Analysis, int], _description: str) -> None:
        analysis, generation = result
        self.session.adopt_analysis(analysis, generation)

    def _on_session_analysis_changed(self, _none: None) -> None:
        self.conflicts_changed.emit()

    def _on_session_fact_stored(self, index: int) -> None:
        self.facts_changed.emit(self.session.facts[index].id)

    def _on_session_fact_removed(self, _index: int) -> None:
        self.facts_changed.emit("")

    def analysis_ready(self) -> bool:
        """Whether units and conflicts of the shown set are known (no waiting for them)."""
        return self.session.analysis is not None

    def analysis(self) -> Analysis:
        """Units and conflicts of the shown set, worked out now if they are not known yet."""
        return self.session.require_analysis()

    def unit_index(self) -> UnitIndex:
        """Check-worthy units of the set (works them out if they are not known yet)."""
        return self.analysis().units

    def conflicts(self) -> list[Conflict]:
        """Where the versions disagree, spelling variants included."""
        return self.analysis().conflicts

    def passage_conflicts(self, passage_id: str) -> list[Conflict]:
        """Real conflicts (not spelling variants) naming this sentence; never waits.

        Empty until the conflicts of the set are known (``conflicts_changed``).
        """
        analysis = self.session.analysis
        if analysis is None:
            return []
        return analysis.by_passage.get(passage_id, [])

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

    def _make_index(self, article_set: ArticleSet) -> SetIndex:
        if self.by_paragraph:
            return SetIndex(article_set, groups=paragraph_groups(article_set))
        return SetIndex(article_set)

    def set_by_paragraph(self, on: bool) -> None:
        """Rows of whole paragraphs (True) or of sentences (False)."""
        if on == self.by_paragraph:
            return
        self.by_paragraph = on
        self.index = self._make_index(self.article_set)
        if self.active_passage not in self.index.passages:
            self.active_passage = ""
        self.rows_changed.emit(on)
        self.set_changed.emit()

    def set_differing_only(self, on: bool) -> None:
        if on != self.differing_only:
            self.differing_only = on
            self.differing_only_changed.emit(on)

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
