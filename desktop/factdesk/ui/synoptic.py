"""The synoptic view: one column per version, one row per alignment group.

Painting is the hot path at 100 versions, so rendered cells are cached as laid-out
QTextDocuments per (row, version, focus, width) and row heights are estimated
from text length, then grown when a painted cell turns out taller.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QTextDocument
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from factdesk.ui.models import (
    COLOUR_ROLE,
    DOC_ID_ROLE,
    HIGHLIGHT_ROLE,
    HTML_ROLE,
    IS_FOCUS_ROLE,
    PASSAGE_IDS_ROLE,
    ROW_KEY_ROLE,
    SynopticModel,
)
from factdesk.ui.palette import blend
from factdesk.ui.state import ViewState

PAD_X = 8
PAD_Y = 5
STRIP = 3
MIN_COLUMN = 140
CACHE_SIZE = 4000


class SynopticDelegate(QStyledItemDelegate):
    """Paints a cell's diff HTML from a cache of laid-out documents."""

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._docs: OrderedDict[tuple[object, ...], QTextDocument] = OrderedDict()
        self.too_short: dict[int, int] = {}  # row -> height its content needs

    def clear(self) -> None:
        self._docs.clear()
        self.too_short.clear()

    def document(
        self, index: QModelIndex | QPersistentModelIndex, width: int, font: QFont
    ) -> QTextDocument:
        key = (
            index.data(ROW_KEY_ROLE),
            index.model().headerData(index.column(), Qt.Orientation.Horizontal, DOC_ID_ROLE),
            self._state.focus,
            width,
            font.pointSizeF(),
        )
        doc = self._docs.get(key)
        if doc is None:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(font)
            doc.setDefaultStyleSheet("")
            doc.setHtml(
                f'<div style="color:{self._state.theme.text}">{index.data(HTML_ROLE)}</div>'
            )
            doc.setTextWidth(max(width, 10))
            self._docs[key] = doc
            if len(self._docs) > CACHE_SIZE:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(key)
        return doc

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rect: QRect = option.rect
        palette: QPalette = option.palette
        theme = self._state.theme
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        base = palette.color(QPalette.ColorRole.Base)
        if selected:
            bg = blend(palette.color(QPalette.ColorRole.Highlight), base, 0.28)
        elif index.data(HIGHLIGHT_ROLE):
            bg = QColor(theme.highlight_bg)
        elif index.data(IS_FOCUS_ROLE):
            bg = QColor(theme.focus_bg)
        else:
            bg = base
        painter.fillRect(rect, bg)
        pids = index.data(PASSAGE_IDS_ROLE)
        if pids:
            colour: QColor = index.data(COLOUR_ROLE)
            painter.fillRect(QRect(rect.left(), rect.top() + 2, STRIP, rect.height() - 4), colour)
        width = rect.width() - 2 * PAD_X - STRIP
        doc = self.document(index, width, option.font)
        painter.save()
        painter.translate(rect.left() + PAD_X + STRIP, rect.top() + PAD_Y)
        clip = QRectF(0, 0, width, rect.height() - 2 * PAD_Y)
        painter.setClipRect(clip)
        doc.drawContents(painter, clip)
        painter.restore()
        need = math.ceil(doc.size().height()) + 2 * PAD_Y
        if need > rect.height():
            self.too_short[index.row()] = max(need, self.too_short.get(index.row(), 0))
        painter.setPen(QPen(QColor(theme.grid)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.topRight(), rect.bottomRight())
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(MIN_COLUMN, 40)


class SynopticView(QTableView):
    """Table of versions side by side, sharing one vertical scroll bar."""

    current_passage_changed = Signal(str)
    text_selected = Signal(str, int, int)  # doc id, start, end

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.synoptic_model = SynopticModel(state)
        self.setModel(self.synoptic_model)
        self.delegate = SynopticDelegate(state, self)
        self.setItemDelegate(self.delegate)
        self.setObjectName("synoptic")
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setMouseTracking(True)
        hh = self.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setMinimumSectionSize(80)
        hh.setDefaultSectionSize(300)
        hh.setHighlightSections(False)
        hh.setTextElideMode(Qt.TextElideMode.ElideRight)
        hh.sectionMoved.connect(self._on_header_section_moved)
        hh.sectionResized.connect(self._on_header_section_resized)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        vh.setMinimumWidth(26)
        self._heights_timer = QTimer(self, singleShot=True, interval=60)
        self._heights_timer.timeout.connect(self._on_heights_timer_timeout)
        self._grow_timer = QTimer(self, singleShot=True, interval=0)
        self._grow_timer.timeout.connect(self._on_grow_timer_timeout)
        self.synoptic_model.modelReset.connect(self._on_synoptic_model_reset)
        state.passage_activated.connect(self._on_state_passage_activated)
        state.zoom_changed.connect(self._on_state_zoom_changed)
        state.theme_changed.connect(self._on_state_theme_changed)
        self._column_widths: dict[str, int] = {}
        self._relayout()

    # -- layout ----------------------------------------------------------------
    def _on_synoptic_model_reset(self) -> None:
        self._relayout()

    def _on_state_theme_changed(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        """Drop cached cell layouts, refit the columns and estimate the row heights again."""
        self.delegate.clear()
        self._fit_columns()
        self.update_row_heights()

    def _on_state_zoom_changed(self, zoom: int) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, self._base_point_size() + zoom))
        self.setFont(font)
        self.delegate.clear()
        self.update_row_heights()

    def _base_point_size(self) -> float:
        from PySide6.QtWidgets import QApplication

        size = QApplication.font().pointSizeF()
        return size if size > 0 else 10.0

    def _fit_columns(self) -> None:
        """Share the width between versions; keep widths the editor set by hand."""
        count = self.synoptic_model.columnCount()
        if not count:
            return
        avail = max(self.viewport().width(), 600)
        width = max(MIN_COLUMN, min(520, avail // min(count, 5)))
        hh = self.horizontalHeader()
        hh.blockSignals(True)
        for col in range(count):
            doc = self.synoptic_model.doc_at(col)
            hh.resizeSection(col, self._column_widths.get(doc, width))
        hh.blockSignals(False)

    def _on_header_section_resized(self, logical: int, _old: int, new: int) -> None:
        if 0 <= logical < self.synoptic_model.columnCount():
            self._column_widths[self.synoptic_model.doc_at(logical)] = new
        self.delegate.clear()
        self._heights_timer.start()

    def resizeEvent(self, event: object) -> None:
        super().resizeEvent(event)  # type: ignore[arg-type]
        if not self._column_widths:
            self._fit_columns()
            self._heights_timer.start()

    def _on_heights_timer_timeout(self) -> None:
        self.update_row_heights()

    def update_row_heights(self) -> None:
        """Estimate each row's height from its longest cell (no text layout needed)."""
        model = self.synoptic_model
        fm = QFontMetrics(self.font())
        char_w = max(fm.averageCharWidth(), 1) * 1.08
        line_h = fm.lineSpacing()
        widths = [self.columnWidth(c) - 2 * PAD_X - STRIP for c in range(model.columnCount())]
        docs = model.docs()
        focus = self._state.focus
        index = self._state.index
        vh = self.verticalHeader()
        for r, row in enumerate(model.rows()):
            lines = 1
            focus_len = len(index.cell_text(row, focus)) if focus in row.cells else 0
            for c, doc in enumerate(docs):
                if doc not in row.cells:
                    continue
                length = len(index.cell_text(row, doc))
                if doc != focus and focus_len:
                    length += focus_len // 4  # struck-out words of the focus passage
                per_line = max(widths[c] / char_w, 8)
                lines = max(lines, math.ceil(length / per_line))
            vh.resizeSection(r, lines * line_h + 2 * PAD_Y + 2)

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        if self.delegate.too_short:
            self._grow_timer.start()

    def _on_grow_timer_timeout(self) -> None:
        """Give rows whose painted text did not fit the height it needed."""
        vh = self.verticalHeader()
        grown, self.delegate.too_short = self.delegate.too_short, {}
        for row, need in grown.items():
            if row < self.synoptic_model.rowCount() and vh.sectionSize(row) < need:
                vh.resizeSection(row, need)

    # -- columns ---------------------------------------------------------------
    def _on_header_section_moved(self, logical: int, old_visual: int, new_visual: int) -> None:
        """Dragging a column header reorders the versions everywhere."""
        hh = self.horizontalHeader()
        doc = self.synoptic_model.doc_at(logical)
        visible = self._state.visible_docs()
        hh.blockSignals(True)
        hh.moveSection(new_visual, old_visual)
        hh.blockSignals(False)
        visible.remove(doc)
        visible.insert(new_visual, doc)
        following = visible[new_visual + 1] if new_visual + 1 < len(visible) else None
        order = [d for d in self._state.order if d != doc]
        position = order.index(following) if following else len(order)
        self._state.move_doc(doc, position)

    # -- navigation ------------------------------------------------------------
    def currentChanged(
        self,
        current: QModelIndex | QPersistentModelIndex,
        previous: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().currentChanged(current, previous)
        if current.isValid():
            pids = current.data(PASSAGE_IDS_ROLE) or []
            if pids:
                first = self._state.index.passages[pids[0]]
                last = self._state.index.passages[pids[-1]]
                self.text_selected.emit(first.doc, first.start, last.end)
                self.current_passage_changed.emit(pids[0])

    def selected_passages(self) -> list[str]:
        out: list[str] = []
        for idx in self.selectionModel().selectedIndexes():
            out.extend(idx.data(PASSAGE_IDS_ROLE) or [])
        return out

    def _on_state_passage_activated(self, passage_id: str) -> None:
        self.show_passage(passage_id)

    def show_passage(self, passage_id: str) -> None:
        """Scroll to the passage's row and make its cell current (without re-emitting)."""
        row = self.synoptic_model.row_for_passage(passage_id)
        doc = (
            self._state.index.passages[passage_id].doc
            if passage_id in self._state.index.passages
            else ""
        )
        col = self.synoptic_model.column_for_doc(doc)
        if row < 0:
            return
        col = col if col >= 0 else 0
        index = self.synoptic_model.index(row, col)
        if self.currentIndex() != index:
            self.blockSignals(True)
            self.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.blockSignals(False)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)

    def step_row(self, delta: int, unique_only: bool = False) -> None:
        """Move to the next/previous row (or the next passage unique to the focus version)."""
        model = self.synoptic_model
        if not model.rowCount():
            return
        current = self.currentIndex()
        row = current.row() if current.isValid() else (-1 if delta > 0 else model.rowCount())
        col = model.column_for_doc(self._state.focus)
        col = col if col >= 0 else max(current.column(), 0)
        rows = model.rowCount()
        # rows in stepping order; the unique-passage search wraps round like a find
        order = [row + delta * k for k in range(1, rows + 1)]
        order = [r % rows for r in order] if unique_only else [r for r in order if 0 <= r < rows]
        for row in order:
            cells = model.row(row).cells
            if not unique_only or (len(cells) == 1 and self._state.focus in cells):
                target = col
                if model.doc_at(col) not in cells:  # land on a cell that holds the passage
                    held = [c for c in range(model.columnCount()) if model.doc_at(c) in cells]
                    target = held[0] if held else col
                index = model.index(row, target)
                self.setCurrentIndex(index)
                self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
                return

    def cell_rect(self, row: int, column: int) -> QRect:
        return self.visualRect(self.synoptic_model.index(row, column))

    def click_point(self, row: int, column: int) -> QPoint:
        return self.cell_rect(row, column).center()
