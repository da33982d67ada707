"""Overview widgets: the shared-text heat map, the chunk map strip and the derivation graph."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, QSizeF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QLabel, QSplitter, QToolTip, QVBoxLayout, QWidget

from factdesk.core.align import POSSIBLE_SOURCE_SCORE
from factdesk.ui.index import short_name
from factdesk.ui.palette import blend, contrast_text, version_colour, version_marker
from factdesk.ui.state import ViewState

SHARED = QColor("#0072B2")
UNIQUE = QColor("#D55E00")


def _repaint_when_versions_change(state: ViewState, widget: QWidget) -> None:
    """Repaint ``widget`` when the set, the shown versions, the focus or the theme change."""
    state.connect_versions_changed(widget.update)


class ChunkMap(QWidget):
    """A strip showing where in the focus version the shared and unique passages are.

    Blue bands are shared (darker = found in more versions), vermillion hatched
    bands are unique to the focus version; a click jumps to the passage.
    """

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._bands: list[tuple[float, float, str, int]] = []  # y0, y1 (0..1), passage, versions
        self.setObjectName("chunkmap")
        self.setFixedWidth(22)
        self.setMouseTracking(True)
        self.setToolTip("Where the focus version's shared (blue) and unique (hatched) passages are")
        for sig in (
            state.set_changed,
            state.focus_changed,
            state.columns_changed,
            state.boilerplate_visibility_changed,
        ):
            sig.connect(self._on_state_changed)
        state.passage_activated.connect(self.update)
        self._on_state_changed()

    def _on_state_changed(self, *_args: object) -> None:
        s = self._state
        plist = [
            p for p in s.index.by_doc.get(s.focus, []) if s.show_boilerplate or not p.boilerplate
        ]
        total = sum(p.end - p.start for p in plist) or 1
        y = 0.0
        self._bands = []
        for p in plist:
            h = (p.end - p.start) / total
            self._bands.append((y, y + h, p.id, len(s.index.docs_with(p.id))))
            y += h
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        base = self.palette().color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), base)
        others = max(len(self._state.order) - 1, 1)
        h = self.height() - 2
        for y0, y1, pid, count in self._bands:
            rect = QRectF(3, 1 + y0 * h, self.width() - 6, max((y1 - y0) * h - 1, 1))
            if count == 0:
                painter.fillRect(rect, blend(UNIQUE, base, 0.85))
                painter.fillRect(rect, QColor(0, 0, 0, 0))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(Qt.BrushStyle.BDiagPattern)
                painter.drawRect(rect)
            else:
                painter.fillRect(rect, blend(SHARED, base, 0.25 + 0.75 * count / others))
            if pid == self._state.active_passage:
                painter.setPen(QPen(self.palette().color(QPalette.ColorRole.Text), 2))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(rect.adjusted(-2, 0, 2, 0))
        painter.end()

    def _band_at(self, y: float) -> tuple[float, float, str, int] | None:
        frac = (y - 1) / max(self.height() - 2, 1)
        for band in self._bands:
            if band[0] <= frac < band[1]:
                return band
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        band = self._band_at(event.position().y())
        if band:
            self._state.activate_passage(band[2])

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        band = self._band_at(event.position().y())
        if band:
            text = self._state.index.display_text(band[2])[:160]
            where = f"in {band[3]} other versions" if band[3] else "only in the focus version"
            QToolTip.showText(event.globalPosition().toPoint(), f"{where}\n{text}", self)

    def sizeHint(self) -> QSize:
        return QSize(22, 400)


class HeatMap(QWidget):
    """Share of each version's text (rows) found in each other version (columns)."""

    focus_requested = Signal(str)

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setObjectName("heatmap")
        self.setMouseTracking(True)
        self.setMinimumSize(240, 240)
        _repaint_when_versions_change(state, self)

    def _geometry(self) -> tuple[list[str], float, float, float]:
        docs = self._state.visible_docs()
        label = 40.0
        size = min(self.width() - label - 8, self.height() - label - 8) / max(len(docs), 1)
        return docs, label, label, max(size, 2.0)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        base = pal.color(QPalette.ColorRole.Base)
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))
        docs, x0, y0, size = self._geometry()
        font = QFont(self.font())
        font.setPointSizeF(max(6.0, min(9.0, size / 4)))
        painter.setFont(font)
        # with many versions the chips no longer fit: a colour tick per version and the
        # number on every k-th one, so each row and column can still be named
        every = {True: max(1, -(-14 // int(size))), False: max(1, -(-22 // int(size)))}
        small = QFont(font)
        small.setPointSizeF(7.0)
        for i, a in enumerate(docs):
            num = self._state.number(a)
            colour = version_colour(num)
            for row_label, rect in (
                (True, QRectF(x0 - 36, y0 + i * size, 32, size)),
                (False, QRectF(x0 + i * size, y0 - 36, size, 32)),
            ):
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                if size >= (17 if row_label else 30):
                    chip = QRectF(rect.center().x() - 14, rect.center().y() - 8, 28, 16)
                    painter.drawRoundedRect(chip, 4, 4)
                    painter.setPen(contrast_text(colour))
                    painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, version_marker(num))
                    continue
                if row_label:
                    painter.drawRect(QRectF(x0 - 6, rect.top(), 4, max(size - 1, 1)))
                    text_rect = QRectF(rect.left(), rect.center().y() - 7, 26, 14)
                    align = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                else:
                    painter.drawRect(QRectF(rect.left(), y0 - 6, max(size - 1, 1), 4))
                    text_rect = QRectF(rect.center().x() - 12, y0 - 24, 24, 14)
                    align = Qt.AlignmentFlag.AlignCenter
                if i % every[row_label] == 0 or a == self._state.focus:
                    painter.setFont(small)
                    painter.setPen(pal.color(QPalette.ColorRole.WindowText))
                    painter.drawText(text_rect, align, str(num))
                    painter.setFont(font)
            for j, b in enumerate(docs):
                value = self._state.index.share(a, b)
                rect = QRectF(x0 + j * size, y0 + i * size, size - 1, size - 1)
                colour = base if i == j else blend(SHARED, base, 0.08 + 0.92 * value)
                painter.fillRect(rect, colour)
                if a == self._state.focus or b == self._state.focus:
                    painter.fillRect(rect, QColor(255, 255, 255, 0))
                if size >= 30 and i != j:
                    painter.setPen(contrast_text(colour))
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"{round(100 * value)}")
        if self._state.focus in docs:
            k = docs.index(self._state.focus)
            painter.setPen(QPen(pal.color(QPalette.ColorRole.Text), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(QRectF(x0 - 1, y0 + k * size - 1, len(docs) * size + 1, size + 1))
        painter.end()

    def _cell_at(self, x: float, y: float) -> tuple[str, str] | None:
        docs, x0, y0, size = self._geometry()
        i, j = int((y - y0) // size), int((x - x0) // size)
        if 0 <= i < len(docs) and 0 <= j < len(docs) and y >= y0 and x >= x0:
            return docs[i], docs[j]
        if 0 <= i < len(docs) and x < x0 and y >= y0:
            return docs[i], docs[i]
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self._cell_at(event.position().x(), event.position().y())
        if cell:
            a, b = cell
            s = self._state
            da, db = s.index.docs[a], s.index.docs[b]
            tip = (
                f"{round(100 * s.index.share(a, b))}% of {version_marker(s.number(a))} {da.name}\n"
                f"is found in {version_marker(s.number(b))} {db.name}\n"
                "(click: make the row version the focus)"
            )
            QToolTip.showText(event.globalPosition().toPoint(), tip, self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self._cell_at(event.position().x(), event.position().y())
        if cell:
            self.focus_requested.emit(cell[0])


class DerivationGraph(QWidget):
    """Which version was likely made from which: a left-to-right layered drawing."""

    focus_requested = Signal(str)

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._boxes: dict[str, QRectF] = {}
        self._edge_labels: list[tuple[QRectF, str]] = []
        self.setObjectName("derivation")
        self.setMinimumSize(300, 200)
        self.setMouseTracking(True)
        _repaint_when_versions_change(state, self)

    def edges(self) -> dict[str, str]:
        """derived -> source, strongest guesses first, skipping any that would close a cycle."""
        s = self._state
        docs = set(s.visible_docs())
        guesses = [s.index.best_source(d) for d in docs]
        parent: dict[str, str] = {}
        for g in sorted((g for g in guesses if g is not None), key=lambda g: -g.score):
            if g.source not in docs or g.source == g.derived:
                continue
            ancestor: str | None = g.source
            while ancestor is not None and ancestor != g.derived:
                ancestor = parent.get(ancestor)
            if ancestor is None:
                parent[g.derived] = g.source
        return parent

    def _layout(self) -> dict[str, tuple[int, int]]:
        s = self._state
        docs = s.visible_docs()
        parent = self.edges()
        depth: dict[str, int] = {}

        def depth_of(d: str, seen: frozenset[str] = frozenset()) -> int:
            if d in depth:
                return depth[d]
            if d not in parent or parent[d] in seen:
                depth[d] = 0
                return 0
            depth[d] = depth_of(parent[d], seen | {d}) + 1
            return depth[d]

        layers: dict[int, list[str]] = {}
        for d in docs:
            layers.setdefault(depth_of(d), []).append(d)
        return {d: (lvl, i) for lvl, ds in layers.items() for i, d in enumerate(ds)}

    def paintEvent(self, event: QPaintEvent) -> None:
        s = self._state
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        painter.fillRect(self.rect(), pal.color(QPalette.ColorRole.Window))
        pos = self._layout()
        if not pos:
            painter.end()
            return
        n_layers = max(lvl for lvl, _ in pos.values()) + 1
        per_layer: dict[int, int] = {}
        for lvl, _ in pos.values():
            per_layer[lvl] = per_layer.get(lvl, 0) + 1
        col_w = self.width() / n_layers
        box_w = min(190.0, col_w - 40)
        fm = QFontMetrics(self.font())
        box_h = fm.height() * 2 + 10
        self._boxes = {}
        for d, (lvl, i) in pos.items():
            rows = per_layer[lvl]
            row_h = (self.height() - 20) / rows
            h = max(min(box_h, row_h - 4), fm.height() + 2)
            x = lvl * col_w + (col_w - box_w) / 2
            y = 10 + i * row_h + (row_h - h) / 2
            self._boxes[d] = QRectF(x, y, box_w, h)
        text_colour = pal.color(QPalette.ColorRole.Text)
        labels: list[tuple[float, QPainterPath, str]] = []
        for d, source in self.edges().items():
            best = s.index.best_source(d)
            if best is None or source not in self._boxes or d not in self._boxes:
                continue
            a, b = self._boxes[best.source], self._boxes[d]
            start = QPointF(a.right(), a.center().y())
            end = QPointF(b.left(), b.center().y())
            path = QPainterPath(start)
            mid = (start.x() + end.x()) / 2
            path.cubicTo(QPointF(mid, start.y()), QPointF(mid, end.y()), end)
            pen = QPen(
                blend(text_colour, pal.color(QPalette.ColorRole.Window), 0.6), 1.5 + 2 * best.score
            )
            if best.score < POSSIBLE_SOURCE_SCORE:  # too weak to state in words: dashed
                pen.setStyle(Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)
            painter.setBrush(blend(text_colour, pal.color(QPalette.ColorRole.Window), 0.6))
            painter.drawPolygon(QPolygonF([end, end + QPointF(-8, -4), end + QPointF(-8, 4)]))
            labels.append((best.score, path, f"{round(100 * best.share)}%"))
        self._draw_edge_labels(painter, labels, fm, text_colour)
        for d, rect in self._boxes.items():
            num = s.number(d)
            colour = version_colour(num)
            painter.setPen(
                QPen(text_colour if d == s.focus else colour, 2.5 if d == s.focus else 1.5)
            )
            painter.setBrush(pal.color(QPalette.ColorRole.Base))
            painter.drawRoundedRect(rect, 6, 6)
            chip = QRectF(
                rect.left() + 6,
                rect.top()
                + (5 if rect.height() >= box_h - 1 else (rect.height() - fm.height()) / 2),
                34,
                fm.height(),
            )
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(chip, 4, 4)
            painter.setPen(contrast_text(colour))
            painter.drawText(chip, Qt.AlignmentFlag.AlignCenter, version_marker(num))
            painter.setPen(text_colour)
            room = int(rect.width() - 50)
            # the version's headline reads better than a file name; too narrow a box shows
            # the marker alone (the tooltip names the version)
            if room >= fm.horizontalAdvance("Abcdef…"):
                name = fm.elidedText(
                    s.index.version_title(d).headline or short_name(s.index.docs[d], 40),
                    Qt.TextElideMode.ElideRight,
                    room,
                )
                painter.drawText(QPointF(rect.left() + 46, chip.top() + fm.ascent()), name)
            if rect.height() >= box_h - 1:  # the second line only when the box has room
                share = f"{round(100 * s.index.coverage(d))}%"
                sub_room = rect.width() - 14
                sub = next(
                    (
                        t
                        for t in (f"{share} found elsewhere", f"{share} shared")
                        if fm.horizontalAdvance(t) <= sub_room
                    ),
                    share,
                )
                painter.setPen(blend(text_colour, pal.color(QPalette.ColorRole.Base), 0.6))
                painter.drawText(
                    QPointF(rect.left() + 8, rect.top() + 8 + fm.height() + fm.ascent()), sub
                )
        painter.end()

    def _draw_edge_labels(
        self,
        painter: QPainter,
        labels: list[tuple[float, QPainterPath, str]],
        fm: QFontMetrics,
        text_colour: QColor,
    ) -> None:
        """Each arrow's share on its own curve, where it overlaps no box and no other label.

        With many copies of one source the arrows fan out close together; a label that finds
        no free place along its arrow is left out (the version's tooltip still gives it)
        rather than drawn over another. Stronger guesses are placed first.
        """
        taken = [box.adjusted(-2, -2, 2, 2) for box in self._boxes.values()]
        self._edge_labels = []
        for _score, path, label in sorted(labels, key=lambda item: -item[0]):
            size = QSizeF(fm.horizontalAdvance(label) + 6, fm.height())
            for t in (0.75, 0.6, 0.88, 0.45, 0.3):
                at = path.pointAtPercent(t)
                plate = QRectF(at - QPointF(size.width() / 2, size.height() / 2), size)
                if self.rect().toRectF().contains(plate) and not any(
                    plate.intersects(other) for other in taken
                ):
                    break
            else:
                continue
            taken.append(plate)
            self._edge_labels.append((plate, label))
            # on a plate of the background so the curves behind do not cross the figures
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(self.palette().color(QPalette.ColorRole.Window))
            painter.drawRoundedRect(plate, 3, 3)
            painter.setPen(text_colour)
            painter.drawText(plate, Qt.AlignmentFlag.AlignCenter, label)

    def edge_labels(self) -> list[tuple[QRectF, str]]:
        """The share labels drawn at the last paint, with where they are."""
        return list(self._edge_labels)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for d, rect in self._boxes.items():
            if rect.contains(event.position()):
                self.focus_requested.emit(d)
                return

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        s = self._state
        for d, rect in self._boxes.items():
            if rect.contains(event.position()) and d in s.index.docs:
                lines = [
                    f"{version_marker(s.number(d))} {s.index.docs[d].name}",
                    f"{round(100 * s.index.coverage(d))}% found elsewhere",
                    s.index.derivation_text(d),
                    "(click: make it the focus)",
                ]
                tip = "\n".join(x for x in lines if x)
                QToolTip.showText(event.globalPosition().toPoint(), tip, self)
                return
        QToolTip.hideText()


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)  # a caption must never set the page's minimum width
    return label


class OverviewPage(QWidget):
    """Heat map and derivation graph side by side with a one-line summary."""

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setObjectName("overview")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.heatmap = HeatMap(state)
        self.graph = DerivationGraph(state)
        split = QSplitter(Qt.Orientation.Horizontal)
        heat_box = QWidget()
        heat_layout = QVBoxLayout(heat_box)
        heat_layout.addWidget(
            _caption("<b>Shared text</b> — row version's text found in column version (%)")
        )
        heat_layout.addWidget(self.heatmap, 1)
        graph_box = QWidget()
        graph_layout = QVBoxLayout(graph_box)
        graph_layout.addWidget(
            _caption(
                "<b>Derivation</b> — arrows point from the likely source to the copy;"
                " on an arrow, the share of the copy found in its source"
            )
        )
        graph_layout.addWidget(self.graph, 1)
        split.addWidget(heat_box)
        split.addWidget(graph_box)
        split.setSizes([500, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        for sig in (state.set_changed, state.focus_changed):
            sig.connect(self._on_state_changed)
        self._on_state_changed()

    def _on_state_changed(self, *_args: object) -> None:
        s = self._state
        if not s.focus:
            self.summary.setText("No versions loaded.")
            return
        unique = len(s.index.unique_to(s.focus))
        self.summary.setText(
            f"{len(s.order)} versions, {sum(1 for r in s.index.rows if len(r.cells) > 1)} "
            f"shared passages. Focus {version_marker(s.number(s.focus))} "
            f"{s.index.docs[s.focus].name}: "
            f"{round(100 * s.index.coverage(s.focus))}% found elsewhere, "
            f"{unique} passage{'' if unique == 1 else 's'} found nowhere else."
        )
