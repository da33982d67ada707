"""The synoptic view: one column per version, one row per alignment group.

Painting is the hot path at 100 versions, so rendered cells are cached as laid-out
QTextDocuments per (row, version, focus, width) and row heights are estimated
from text length, then grown when a painted cell turns out taller. The rows in view are
estimated at once and the others a slice at a time between events, so the thousands of
rows of a large set never hold up the GUI thread. A row is at most
``MAX_ROW_LINES`` lines tall (its clipped cells say so) except the current row, which
shows whole, so one long row never fills the view.

The focus version's column is always the first and always in view: a second table
(``FocusColumn``) shows it pinned over the left edge while the other versions scroll
beneath it. Each header shows the version's marker whole and its name elided.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
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
    SignalInstance,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionHeader,
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
    MARKER_ROLE,
    NAME_ROLE,
    PASSAGE_IDS_ROLE,
    ROW_KEY_ROLE,
    SynopticModel,
)
from factdesk.ui.palette import blend, contrast_text
from factdesk.ui.state import ViewState

PAD_X = 8
PAD_Y = 5
STRIP = 3
MIN_COLUMN = 140
MAX_COLUMN = 520
READABLE_CHARS = 24  # a column narrower than this many average characters reads badly
MAX_ROW_LINES = 10  # taller rows are clipped, except the current row
MORE_LABEL = " ▾ more "
CACHE_SIZE = 4000
#: Rows whose height is estimated in one turn of the event loop (about 10 ms at 1,000
#: versions); the rows in view are always estimated first.
ROW_SLICE = 400

AnyIndex = QModelIndex | QPersistentModelIndex


class SynopticDelegate(QStyledItemDelegate):
    """Paints a cell's diff HTML from a cache of laid-out documents."""

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._docs: OrderedDict[tuple[object, ...], QTextDocument] = OrderedDict()
        self.too_short: dict[int, int] = {}  # row -> height its content needs
        self.max_height = 1 << 30  # rows this tall are clipped on purpose
        self.clipped: set[tuple[int, int]] = set()  # (row, column) painted with text cut

    def clear(self) -> None:
        self._docs.clear()
        self.too_short.clear()
        self.clipped.clear()

    def document(self, index: AnyIndex, width: int, font: QFont) -> QTextDocument:
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

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
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
        cell = (index.row(), index.column())
        if need > rect.height():
            self.too_short[index.row()] = max(need, self.too_short.get(index.row(), 0))
            if rect.height() >= self.max_height:
                self.clipped.add(cell)
                self._paint_more(painter, rect, bg, option.font)
        else:
            self.clipped.discard(cell)
        painter.setPen(QPen(QColor(theme.grid)))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.drawLine(rect.topRight(), rect.bottomRight())
        if option.state & QStyle.StateFlag.State_HasFocus:
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2))
            painter.drawRect(rect.adjusted(1, 1, -1, -1))

    def _paint_more(self, painter: QPainter, rect: QRect, bg: QColor, font: QFont) -> None:
        """Fade out the last lines of a clipped cell and say that there is more."""
        fm = QFontMetrics(font)
        line = fm.lineSpacing()
        fade = QRect(rect.left() + STRIP, rect.bottom() - 2 * line - PAD_Y, rect.width(), 0)
        fade.setBottom(rect.bottom() - 1)
        gradient = QLinearGradient(0, fade.top(), 0, fade.bottom())
        clear = QColor(bg)
        clear.setAlpha(0)
        gradient.setColorAt(0.0, clear)
        gradient.setColorAt(0.6, bg)
        painter.fillRect(fade, gradient)
        label = QRect(0, 0, fm.horizontalAdvance(MORE_LABEL), line)
        label.moveBottomRight(rect.bottomRight() - QPoint(PAD_X, 2))
        painter.save()
        painter.setPen(QColor(self._state.theme.muted))
        painter.setFont(font)
        painter.drawText(label, int(Qt.AlignmentFlag.AlignCenter), MORE_LABEL)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        return QSize(MIN_COLUMN, 40)


class _MeasuredHeader(QHeaderView):
    """A header that measures each section once until its model or font changes.

    Qt measures up to 200 sections every time it works out the header's size hint (each
    model reset and many layout updates); on a set of a thousand versions that was tens
    of milliseconds of Python each time. Subclasses measure in ``_measure``.
    """

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._sizes: dict[int, QSize] = {}

    def setModel(self, model: QAbstractItemModel | None) -> None:
        old = self.model()
        if old is not None:
            for signal in self._model_signals(old):
                signal.disconnect(self._on_model_changed)
        super().setModel(model)
        if model is not None:
            for signal in self._model_signals(model):
                signal.connect(self._on_model_changed)
        self._forget()

    @staticmethod
    def _model_signals(model: QAbstractItemModel) -> tuple[SignalInstance, ...]:
        return (
            model.modelReset,
            model.layoutChanged,
            model.headerDataChanged,
            model.columnsInserted,
            model.columnsRemoved,
            model.columnsMoved,
            model.rowsInserted,
            model.rowsRemoved,
            model.rowsMoved,
        )

    def _on_model_changed(self, *_args: object) -> None:
        self._forget()

    def _forget(self) -> None:
        """The model or the font changed: measure again."""
        self._sizes.clear()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._forget()
        super().changeEvent(event)

    def sectionSizeFromContents(self, logical: int) -> QSize:
        size = self._sizes.get(logical)
        if size is None:
            size = self._sizes[logical] = self._measure(logical)
        return QSize(size)

    def _measure(self, logical: int) -> QSize:
        return super().sectionSizeFromContents(logical)


class VersionHeader(_MeasuredHeader):
    """Column headers: each version's marker whole in its colour, then its name elided."""

    MARGIN = 6  # between a section's edge and its content
    CHIP_PAD = 4  # on either side of the marker inside its chip
    GAP = 6  # between the chip and the name

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHighlightSections(False)
        # chips measured per marker and font: the same markers come back with every set
        self._chips: dict[tuple[str, str], QSize] = {}

    def section_font(self, logical: int) -> QFont:
        """Semi-bold names; the focus version's in bold."""
        font = QFont(self.font())
        model = self.model()
        bold = model is not None and model.headerData(
            logical, self.orientation(), Qt.ItemDataRole.FontRole
        )
        font.setWeight(QFont.Weight.Bold if bold else QFont.Weight.DemiBold)
        return font

    def chip_size(self, marker: str, font: QFont) -> QSize:
        """Room for the marker: its advance and its ink, whichever font draws the glyph."""
        key = (marker, font.key())
        size = self._chips.get(key)
        if size is None:
            fm = QFontMetrics(font)
            ink = fm.boundingRect(marker).united(fm.tightBoundingRect(marker))
            width = max(fm.horizontalAdvance(marker), ink.width()) + 2 * self.CHIP_PAD
            size = self._chips[key] = QSize(width, max(fm.height(), ink.height()) + 2)
        return QSize(size)

    def _marker(self, logical: int) -> str:
        model = self.model()
        marker = model.headerData(logical, self.orientation(), MARKER_ROLE) if model else None
        return str(marker) if marker else ""

    def marker_rect(self, logical: int, section: QRect | None = None) -> QRect:
        """Where the marker's chip is painted, in header coordinates (empty if none)."""
        marker = self._marker(logical)
        if not marker:
            return QRect()
        if section is None:
            left = self.sectionViewportPosition(logical)
            section = QRect(left, 0, self.sectionSize(logical), self.height())
        size = self.chip_size(marker, self.section_font(logical))
        top = section.top() + (section.height() - size.height()) // 2
        return QRect(section.left() + self.MARGIN, top, size.width(), size.height())

    def minimum_width(self) -> int:
        """Room for the widest marker and the start of a name."""
        font = QFont(self.font())
        font.setWeight(QFont.Weight.Bold)
        chip = self.chip_size("⬟888", font).width()
        name = QFontMetrics(font).horizontalAdvance("xxxx…")
        return 2 * self.MARGIN + chip + self.GAP + name

    def _measure(self, logical: int) -> QSize:
        marker = self._marker(logical)
        if not marker:
            return super()._measure(logical)
        font = self.section_font(logical)
        chip = self.chip_size(marker, font)
        name = str(self.model().headerData(logical, self.orientation(), NAME_ROLE) or "")
        name_width = QFontMetrics(font).horizontalAdvance(name)
        return QSize(
            2 * self.MARGIN + chip.width() + self.GAP + name_width, chip.height() + 2 * PAD_Y
        )

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        marker = self._marker(logical)
        if not rect.isValid() or not marker:
            super().paintSection(painter, rect, logical)
            return
        model = self.model()
        painter.save()
        option = QStyleOptionHeader()
        self.initStyleOption(option)
        option.rect = rect
        option.section = logical
        option.text = ""
        self.style().drawControl(QStyle.ControlElement.CE_HeaderSection, option, painter, self)
        font = self.section_font(logical)
        chip = self.marker_rect(logical, rect)
        colour = model.headerData(logical, self.orientation(), COLOUR_ROLE)
        if not isinstance(colour, QColor):
            colour = self.palette().color(QPalette.ColorRole.Mid)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(chip, 3, 3)
        painter.setFont(font)
        painter.setPen(contrast_text(colour))
        painter.drawText(chip, int(Qt.AlignmentFlag.AlignCenter), marker)
        name = str(model.headerData(logical, self.orientation(), NAME_ROLE) or "")
        room = QRect(chip.right() + 1 + self.GAP, rect.top(), 0, rect.height())
        room.setRight(rect.right() - self.MARGIN)
        if room.width() > 0 and name:
            painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
            elided = QFontMetrics(font).elidedText(name, Qt.TextElideMode.ElideRight, room.width())
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
            painter.drawText(room, int(align), elided)
        painter.restore()


class RowHeader(_MeasuredHeader):
    """Row headers: how many versions hold the row (measured once, see the base class).

    The synoptic model gives a row header its text and nothing else, so rows with the
    same text have the same size, whatever the set.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._by_label: dict[str, QSize] = {}
        self._hint: QSize | None = None

    def _forget(self) -> None:
        super()._forget()
        self._hint = None

    def sizeHint(self) -> QSize:
        # Qt forgets its own hint whenever a row changes height, and then measures two
        # hundred rows again; the hint only depends on the labels (rows are never hidden)
        if self._hint is None:
            self._hint = super().sizeHint()
        return QSize(self._hint)

    def _measure(self, logical: int) -> QSize:
        model = self.model()
        label = str(model.headerData(logical, self.orientation()) if model is not None else "")
        size = self._by_label.get(label)
        if size is None:
            size = self._by_label[label] = super()._measure(logical)
        return size

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._by_label.clear()
        super().changeEvent(event)


class FocusColumn(QTableView):
    """The focus version's column, pinned over the left edge of the synoptic view.

    It shares the view's model, selection and delegate. The view keeps its rows, width,
    scroll position and place in step, and takes the keyboard focus for it.
    """

    def __init__(self, view: SynopticView) -> None:
        super().__init__(view)
        self._view = view
        self.setObjectName("synoptic_focus_column")
        self.setHorizontalHeader(VersionHeader(self))
        self.setModel(view.model())
        self.setSelectionModel(view.selectionModel())
        self.setItemDelegate(view.itemDelegate())
        self.setFocusProxy(view)
        self.setFrameShape(QTableView.Shape.NoFrame)
        self.setWordWrap(True)
        self.setShowGrid(False)
        self.setMouseTracking(True)
        self.setSelectionMode(view.selectionMode())
        self.setSelectionBehavior(view.selectionBehavior())
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        self._view.grow_rows_later()


class SynopticView(QTableView):
    """Table of versions side by side, sharing one vertical scroll bar."""

    current_passage_changed = Signal(str)
    text_selected = Signal(str, int, int)  # doc id, start, end

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._pinning = False  # the focus column is being moved to the front
        self._fitting = False  # the columns are being sized to the view
        self._expanded = -1  # the current row, shown whole
        self._column_widths: dict[str, int] = {}
        self.synoptic_model = SynopticModel(state)
        self.setHorizontalHeader(VersionHeader(self))
        self.setVerticalHeader(RowHeader(self))
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
        self.focus_column = FocusColumn(self)
        frozen = self.focus_column
        hh = self.horizontalHeader()
        hh.setSectionsMovable(True)
        hh.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        hh.setDefaultSectionSize(300)
        hh.sectionMoved.connect(self._on_header_section_moved)
        hh.sectionResized.connect(self._on_header_section_resized)
        frozen.horizontalHeader().sectionResized.connect(self._on_focus_header_section_resized)
        frozen.customContextMenuRequested.connect(self._on_focus_column_context_menu_requested)
        self.verticalScrollBar().valueChanged.connect(frozen.verticalScrollBar().setValue)
        frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.viewport().stackUnder(frozen)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        vh.setMinimumWidth(26)
        self._heights_timer = QTimer(self, singleShot=True, interval=60)
        self._heights_timer.timeout.connect(self._on_heights_timer_timeout)
        self._grow_timer = QTimer(self, singleShot=True, interval=0)
        self._grow_timer.timeout.connect(self._on_grow_timer_timeout)
        # rows still at the default height (1 each) and the order the slices take them in
        self._unsized = bytearray()
        self._row_queue: list[int] = []
        self._queue_at = 0
        self._height_basis: tuple[QFontMetrics, list[int], dict[str, int], int] | None = None
        self._slice_timer = QTimer(self, singleShot=True, interval=0)
        self._slice_timer.timeout.connect(self._on_slice_timer_timeout)
        self.verticalScrollBar().valueChanged.connect(self._on_vertical_scroll_value_changed)
        self.synoptic_model.modelReset.connect(self._on_synoptic_model_reset)
        state.passage_activated.connect(self._on_state_passage_activated)
        state.zoom_changed.connect(self._on_state_zoom_changed)
        state.theme_changed.connect(self._on_state_theme_changed)
        state.differing_only_changed.connect(self._on_state_differing_only_changed)
        self._relayout()

    # -- layout ----------------------------------------------------------------
    def _on_synoptic_model_reset(self) -> None:
        self._relayout()

    def _on_state_theme_changed(self) -> None:
        self._relayout()

    def _relayout(self) -> None:
        """Drop cached cell layouts, refit the columns and estimate the row heights again."""
        self.delegate.clear()
        self._expanded = -1
        self._pin_focus_column()
        self._size_headers()
        self._fit_columns()
        self.update_row_heights()
        self._apply_differing_only()
        self._place_focus_column()

    def _on_state_zoom_changed(self, zoom: int) -> None:
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, self._base_point_size() + zoom))
        self.setFont(font)
        self.focus_column.setFont(font)
        for header in (self.horizontalHeader(), self.focus_column.horizontalHeader()):
            header.setFont(font)  # a style sheet would otherwise keep the headers' own size
        self.delegate.clear()
        self._size_headers()
        self.update_row_heights()
        self._place_focus_column()

    def _base_point_size(self) -> float:
        size = QApplication.font().pointSizeF()
        return size if size > 0 else 10.0

    def _size_headers(self) -> None:
        for header in (self.horizontalHeader(), self.focus_column.horizontalHeader()):
            if isinstance(header, VersionHeader):
                header.setMinimumSectionSize(header.minimum_width())

    def readable_width(self) -> int:
        """The narrowest column that still reads comfortably at the current text size."""
        char_w = max(QFontMetrics(self.font()).averageCharWidth(), 1) * 1.08
        return math.ceil(READABLE_CHARS * char_w) + 2 * PAD_X + STRIP

    def _fit_columns(self) -> None:
        """As many readable columns as fit share the width; widths set by hand are kept."""
        count = self.synoptic_model.columnCount()
        if not count:
            return
        avail = max(self.viewport().width(), 400)
        readable = self.readable_width()
        shown = max(1, min(count, avail // readable))
        width = max(readable, min(MAX_COLUMN, avail // shown))
        hh = self.horizontalHeader()
        self._fitting = True
        try:
            for col in range(count):
                doc = self.synoptic_model.doc_at(col)
                hh.resizeSection(col, self._column_widths.get(doc, width))
        finally:
            self._fitting = False
        # once for all the columns (see ``_on_header_section_resized``)
        self.delegate.clear()
        self._place_focus_column()

    def _on_header_section_resized(self, logical: int, _old: int, new: int) -> None:
        if self._fitting:
            # ``_fit_columns`` does the rest once it has sized every column, and whoever
            # called it estimates the row heights
            return
        model = self.synoptic_model
        if new > 0 and 0 <= logical < model.columnCount():
            self._column_widths[model.doc_at(logical)] = new
        if logical == self.focus_column_index():
            self._place_focus_column()
        self.delegate.clear()
        self._heights_timer.start()

    def _on_focus_header_section_resized(self, logical: int, _old: int, new: int) -> None:
        """The editor resized the pinned focus column: the table follows."""
        if logical == self.focus_column_index() and new > 0 and self.columnWidth(logical) != new:
            self.setColumnWidth(logical, new)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            if not self._column_widths:
                self._fit_columns()
                self._heights_timer.start()
        elif self._slice_timer.isActive():  # only taller or shorter: rows may come into view
            self._size_rows_in_view()
        self._place_focus_column()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        if hasattr(self, "focus_column"):  # also called while the view is being built
            self._place_focus_column()

    def _on_heights_timer_timeout(self) -> None:
        self.update_row_heights()

    def max_row_height(self) -> int:
        """Rows that need more are clipped, except the current row."""
        return MAX_ROW_LINES * QFontMetrics(self.font()).lineSpacing() + 2 * PAD_Y + 2

    def _cell_widths(self) -> list[int]:
        hh = self.horizontalHeader()
        return [
            0 if hh.isSectionHidden(c) else hh.sectionSize(c) - 2 * PAD_X - STRIP
            for c in range(self.synoptic_model.columnCount())
        ]

    def _row_estimate(
        self,
        r: int,
        widths: list[int],
        fm: QFontMetrics,
        column_of: dict[str, int] | None = None,
    ) -> int:
        """A row's height from its longest cell (no text layout needed)."""
        model = self.synoptic_model
        if column_of is None:
            column_of = {doc: c for c, doc in enumerate(model.docs())}
        char_w = max(fm.averageCharWidth(), 1) * 1.08
        row = model.row(r)
        focus = self._state.focus
        index = self._state.index
        lines = 1
        focus_len = len(index.cell_text(row, focus)) if focus in row.cells else 0
        # only the versions the row holds: with many versions most columns are empty
        for doc in row.cells:
            c = column_of.get(doc)
            if c is None or widths[c] <= 0:
                continue
            length = len(index.cell_text(row, doc))
            if doc != focus and focus_len:
                length += focus_len // 4  # struck-out words of the focus passage
            per_line = max(widths[c] / char_w, 8)
            lines = max(lines, math.ceil(length / per_line))
        return lines * fm.lineSpacing() + 2 * PAD_Y + 2

    def update_row_heights(self) -> None:
        """Estimate each row's height from its longest cell, clipped at ``max_row_height``.

        The rows in view get theirs now; the others follow in slices of ``ROW_SLICE``
        rows between events, first those below the view, then those above it (the rows
        in view keep their place). Scrolling meanwhile estimates the rows it brings into
        view at once. ``layout_pending`` tells whether rows are still to be estimated.
        """
        self._heights_timer.stop()
        cap = self.max_row_height()
        self.delegate.max_height = cap
        column_of = {doc: c for c, doc in enumerate(self.synoptic_model.docs())}
        self._height_basis = (QFontMetrics(self.font()), self._cell_widths(), column_of, cap)
        rows = self.synoptic_model.rowCount()
        top = max(self.rowAt(0), 0)
        self._unsized = bytearray(b"\x01") * rows
        self._row_queue = [*range(top, rows), *range(top)]
        self._queue_at = 0
        self._size_rows_in_view()
        if self._queue_at < len(self._row_queue):
            self._slice_timer.start()

    def _size_row(self, row: int) -> None:
        assert self._height_basis is not None
        fm, widths, column_of, cap = self._height_basis
        height = self._row_estimate(row, widths, fm, column_of)
        self._set_row_height(row, height if row == self._expanded else min(height, cap))
        self._unsized[row] = 0

    def estimated_row_height(self, row: int) -> int:
        """The height ``update_row_heights`` gives ``row`` (before painting grows it)."""
        fm = QFontMetrics(self.font())
        height = self._row_estimate(row, self._cell_widths(), fm)
        return height if row == self._expanded else min(height, self.max_row_height())

    def row_height_pending(self, row: int) -> bool:
        """Whether ``row`` still waits for its estimated height."""
        return 0 <= row < len(self._unsized) and bool(self._unsized[row])

    def _size_rows_in_view(self) -> None:
        """Estimate the rows in view that are still at the default height."""
        rows = len(self._unsized)
        row = self.rowAt(0)
        if row < 0 or not any(self._unsized):
            return
        y, bottom = self.rowViewportPosition(row), self.viewport().height()
        while row < rows and y < bottom:
            if self._unsized[row]:
                self._size_row(row)
            y += self.rowHeight(row)
            row += 1

    def _on_slice_timer_timeout(self) -> None:
        """Estimate the next ``ROW_SLICE`` rows; the top row in view stays where it is."""
        anchor = self.rowAt(0)
        anchor_y = self.rowViewportPosition(anchor) if anchor >= 0 else 0
        queue, sized = self._row_queue, 0
        while self._queue_at < len(queue) and sized < ROW_SLICE:
            row = queue[self._queue_at]
            self._queue_at += 1
            if self._unsized[row]:
                self._size_row(row)
                sized += 1
        shift = self.rowViewportPosition(anchor) - anchor_y if anchor >= 0 else 0
        if shift:  # rows above the view changed height
            self.updateGeometries()  # the scroll range takes in the new heights first
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + shift)
        if self._queue_at < len(queue):
            self._slice_timer.start()

    def _on_vertical_scroll_value_changed(self, _value: int) -> None:
        if self._slice_timer.isActive():
            self._size_rows_in_view()

    def _set_row_height(self, row: int, height: int) -> None:
        self.verticalHeader().resizeSection(row, height)
        self.focus_column.verticalHeader().resizeSection(row, height)

    def _expand_row(self, row: int) -> None:
        """Show ``row`` whole; the row shown whole before is clipped again."""
        if row == self._expanded:
            return
        previous, self._expanded = self._expanded, row
        for r in (previous, row):  # sized here, not again by a pending slice
            if 0 <= r < len(self._unsized):
                self._unsized[r] = 0
        fm = QFontMetrics(self.font())
        widths = self._cell_widths()
        rows = self.synoptic_model.rowCount()
        if 0 <= previous < rows:
            height = self._row_estimate(previous, widths, fm)
            self._set_row_height(previous, min(height, self.max_row_height()))
        if 0 <= row < rows:
            height = self._row_estimate(row, widths, fm)
            self._set_row_height(row, max(height, self.rowHeight(row)))

    def paintEvent(self, event: object) -> None:
        super().paintEvent(event)  # type: ignore[arg-type]
        self.grow_rows_later()

    def layout_pending(self) -> bool:
        """Whether row heights are still to be estimated or grown."""
        return (
            self._heights_timer.isActive()
            or self._slice_timer.isActive()
            or self._grow_timer.isActive()
        )

    def grow_rows_later(self) -> None:
        """Rows whose painted text did not fit get the room once painting is over."""
        if self.delegate.too_short:
            self._grow_timer.start()

    def _on_grow_timer_timeout(self) -> None:
        """Give rows whose painted text did not fit the height it needed (up to the cap)."""
        vh = self.verticalHeader()
        cap = self.max_row_height()
        grown, self.delegate.too_short = self.delegate.too_short, {}
        for row, need in grown.items():
            need = need if row == self._expanded else min(need, cap)
            if row < self.synoptic_model.rowCount() and vh.sectionSize(row) < need:
                self._set_row_height(row, need)

    # -- the focus column ----------------------------------------------------------
    def focus_column_index(self) -> int:
        """The model column of the focus version (-1 when no version is shown)."""
        return self.synoptic_model.column_for_doc(self._state.focus)

    def _pin_focus_column(self) -> None:
        """Show the focus version first, whatever the order of the others."""
        col = self.focus_column_index()
        hh = self.horizontalHeader()
        if col >= 0 and hh.visualIndex(col) != 0:
            self._pinning = True
            try:
                hh.moveSection(hh.visualIndex(col), 0)
            finally:
                self._pinning = False
        for c in range(self.synoptic_model.columnCount()):
            self.focus_column.setColumnHidden(c, c != col)

    def _place_focus_column(self) -> None:
        """Lay the pinned focus column over the place of the first column."""
        frozen = self.focus_column
        col = self.focus_column_index()
        if col < 0:
            frozen.hide()
            return
        viewport = self.viewport().geometry()
        header = self.horizontalHeader().height()
        width = self.columnWidth(col)
        if frozen.columnWidth(col) != width:
            frozen.setColumnWidth(col, width)
        frozen.horizontalHeader().setFixedHeight(header)
        frozen.setGeometry(
            viewport.x(),
            viewport.y() - header,
            min(width, viewport.width()),
            viewport.height() + header,
        )
        frozen.verticalScrollBar().setValue(self.verticalScrollBar().value())
        frozen.show()
        frozen.raise_()

    def pinned_width(self) -> int:
        """How much of the viewport's left the pinned focus column covers."""
        return self.focus_column.width() if not self.focus_column.isHidden() else 0

    def shown_rect(self, index: AnyIndex) -> QRect:
        """The part of a cell the editor sees, in viewport coordinates (empty if none)."""
        if not index.isValid() or self.isColumnHidden(index.column()):
            return QRect()
        viewport = QRect(0, 0, self.viewport().width(), self.viewport().height())
        if index.column() == self.focus_column_index() and not self.focus_column.isHidden():
            return self.focus_column.visualRect(index).intersected(viewport)
        viewport.setLeft(self.pinned_width())
        return self.visualRect(index).intersected(viewport)

    def indexAt(self, pos: QPoint) -> QModelIndex:
        pinned = hasattr(self, "focus_column") and not self.focus_column.isHidden()
        if pinned and 0 <= pos.x() < self.pinned_width():
            frozen = self.focus_column.viewport()
            return self.focus_column.indexAt(frozen.mapFromGlobal(self.viewport().mapToGlobal(pos)))
        return super().indexAt(pos)

    def scrollTo(
        self,
        index: AnyIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        """Bring a cell into view; for the pinned focus column only the rows scroll."""
        if not index.isValid():
            return
        bar = self.horizontalScrollBar()
        keep = bar.value()
        super().scrollTo(index, hint)
        if index.column() == self.focus_column_index():
            bar.setValue(keep)
            return
        covered = self.pinned_width() - self.visualRect(index).left()
        if covered > 0:  # under the pinned column: scroll it out from beneath
            bar.setValue(bar.value() - covered)

    def _on_focus_column_context_menu_requested(self, pos: QPoint) -> None:
        frozen = self.focus_column.viewport()
        self.customContextMenuRequested.emit(self.viewport().mapFromGlobal(frozen.mapToGlobal(pos)))

    # -- versions that differ --------------------------------------------------------
    def _on_state_differing_only_changed(self, _on: bool) -> None:
        self._apply_differing_only()
        if self.currentIndex().isValid():
            self.scrollTo(self.currentIndex())

    def _apply_differing_only(self) -> None:
        """With the option on, hide the versions whose text in the current row is the
        focus version's (the focus and the current cell stay)."""
        model = self.synoptic_model
        focus = self._state.focus
        current = self.currentIndex()
        on = self._state.differing_only and current.isValid() and bool(focus)
        row = model.row(current.row()) if on else None
        keep = {self.focus_column_index(), current.column()}
        for c in range(model.columnCount()):
            hide = (
                row is not None
                and c not in keep
                and self._state.index.cells_match(row, model.doc_at(c), focus)
            )
            if self.isColumnHidden(c) != hide:
                self.setColumnHidden(c, hide)

    def shown_docs(self) -> list[str]:
        """The versions whose columns are shown, in the order they appear."""
        hh = self.horizontalHeader()
        model = self.synoptic_model
        logical = [hh.logicalIndex(v) for v in range(hh.count())]
        return [model.doc_at(c) for c in logical if not hh.isSectionHidden(c)]

    # -- columns ---------------------------------------------------------------
    def _on_header_section_moved(self, logical: int, old_visual: int, new_visual: int) -> None:
        """Dragging a column header reorders the versions everywhere; the focus stays first."""
        if self._pinning:
            return
        hh = self.horizontalHeader()
        model = self.synoptic_model
        doc = model.doc_at(logical)
        after = [model.doc_at(hh.logicalIndex(v)) for v in range(hh.count())]
        self._pinning = True
        try:
            hh.moveSection(new_visual, old_visual)
        finally:
            self._pinning = False
        focus = self._state.focus
        if doc == focus:
            return
        others = [d for d in after if d != focus]
        at = others.index(doc)
        following = others[at + 1] if at + 1 < len(others) else None
        order = [d for d in self._state.order if d != doc]
        position = order.index(following) if following else len(order)
        self._state.move_doc(doc, position)

    # -- navigation ------------------------------------------------------------
    def currentChanged(
        self,
        current: QModelIndex | QPersistentModelIndex,
        previous: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if current.row() != previous.row() or not current.isValid():
            self._expand_row(current.row() if current.isValid() else -1)
        self._apply_differing_only()
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
