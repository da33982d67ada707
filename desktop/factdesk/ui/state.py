"""What the editor is looking at: the loaded set, the focus version, column order, hidden versions.

Every view and model listens to one ``ViewState``; none of them keeps its own copy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from factdesk.core.model import ArticleSet
from factdesk.ui.index import SetIndex
from factdesk.ui.palette import Theme, theme

if TYPE_CHECKING:
    from factdesk.core.conflicts import Conflict
    from factdesk.core.suggest import UnitIndex


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
        self._units: UnitIndex | None = None
        self._conflicts: list[Conflict] | None = None
        self._conflicts_by_passage: dict[str, list[Conflict]] | None = None

    # -- the set ----------------------------------------------------------
    def set_article_set(self, article_set: ArticleSet) -> None:
        """Show a new or re-aligned set; focus, order and hidden versions carry over."""
        ids = [d.id for d in article_set.documents]
        self.article_set = article_set
        self.index = SetIndex(article_set)
        self._units = None
        self._conflicts = None
        self._conflicts_by_passage = None
        self.order = [d for d in self.order if d in ids] + [d for d in ids if d not in self.order]
        self.hidden &= set(ids)
        if self.focus not in ids:
            self.focus = ids[0] if ids else ""
        if self.active_passage not in self.index.passages:
            self.active_passage = ""
        self.set_changed.emit()

    def unit_index(self) -> UnitIndex:
        """Check-worthy units of the set (computed once per set, on first use)."""
        if self._units is None:
            from factdesk.core.suggest import index_units

            self._units = index_units(self.article_set)
        return self._units

    def conflicts(self) -> list[Conflict]:
        """Where the versions disagree, spelling variants included (once per set)."""
        if self._conflicts is None:
            from factdesk.core.conflicts import find_conflicts

            self._conflicts = find_conflicts(
                self.article_set, include_variants=True, index=self.unit_index()
            )
        return self._conflicts

    def passage_conflicts(self, passage_id: str) -> list[Conflict]:
        """Real conflicts (not spelling variants) naming this sentence."""
        if self._conflicts_by_passage is None:
            from factdesk.core.review import conflicts_by_passage

            self._conflicts_by_passage = conflicts_by_passage(self.conflicts())
        return self._conflicts_by_passage.get(passage_id, [])

    def visible_docs(self) -> list[str]:
        return [d for d in self.order if d not in self.hidden]

    def number(self, doc_id: str) -> int:
        return self.index.doc_number.get(doc_id, 0)

    # -- changes ----------------------------------------------------------
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
