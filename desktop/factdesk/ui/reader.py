"""The reader: the focus version as running text, each sentence marked by where else it is."""

from __future__ import annotations

import bisect
import html
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFont,
    QPainter,
    QResizeEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QLabel, QTextBrowser, QTextEdit, QToolTip, QWidget

from factdesk.core.moves import Move, by_counterpart
from factdesk.ui.diffhtml import sentence_mark
from factdesk.ui.index import short_name
from factdesk.ui.palette import (
    blend,
    contrast_text,
    version_colour,
    version_glyph,
    version_marker,
)
from factdesk.ui.state import ViewState

MAX_CHIPS = 6


@dataclass
class _Span:
    qt_start: int
    qt_end: int
    doc_start: int
    doc_end: int
    passage: str
    mark: str = ""  # the margin marker: count of other versions holding it, or ✱ if none
    # Per displayed character i: its Qt position and the document offset it was repaired
    # from (each with the end appended), so selections map back to the raw text exactly.
    qt_at: list[int] = field(default_factory=list)
    doc_at: list[int] = field(default_factory=list)

    def doc_offset(self, qt_pos: int) -> int:
        """Document offset of a Qt position inside this span."""
        if not self.qt_at:
            return self.doc_start if qt_pos <= self.qt_start else self.doc_end
        # a position inside a surrogate pair belongs to the character it splits
        i = max(0, bisect.bisect_right(self.qt_at, qt_pos) - 1)
        return self.doc_at[i]

    def qt_position(self, doc_offset: int) -> int:
        """Qt position of the displayed character that shows ``doc_offset``."""
        if not self.doc_at:
            return self.qt_start if doc_offset <= self.doc_start else self.qt_end
        i = max(0, bisect.bisect_right(self.doc_at, doc_offset) - 1)
        # several characters may share an offset (a repair that grew the text): take the first
        i = bisect.bisect_left(self.doc_at, self.doc_at[i])
        return self.qt_at[i]


def _offset_tables(
    qt_start: int, doc_start: int, text: str, starts: list[int]
) -> tuple[list[int], list[int]]:
    """Qt positions (UTF-16 units) and document offsets of each displayed character."""
    qt_at = [qt_start]
    for ch in text:
        qt_at.append(qt_at[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return qt_at, [doc_start + s for s in starts]


MARGIN = 34


class MarginMarks(QWidget):
    """The reader's left margin: each sentence's marker on the line where it starts.

    The number of other (shown) versions that hold the sentence, or ✱ when no other
    version does, so the version colours are never the only signal.
    """

    def __init__(self, reader: ReaderView) -> None:
        super().__init__(reader)
        self._reader = reader
        self.setObjectName("reader_margin")
        self.setToolTip("How many other versions hold each sentence (✱: found in no other version)")

    def marks(self) -> list[tuple[int, list[str]]]:
        """(y in viewport pixels, markers) per visual line that starts a marked sentence."""
        reader = self._reader
        by_line: dict[int, list[str]] = {}
        height = reader.viewport().height()
        for span in reader.spans():
            if not span.mark:
                continue
            cursor = QTextCursor(reader.document())
            cursor.setPosition(span.qt_start)
            rect = reader.cursorRect(cursor)
            if rect.bottom() < 0:
                continue
            if rect.top() > height:
                break
            by_line.setdefault(rect.center().y(), []).append(span.mark)
        return sorted(by_line.items())

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        theme = self._reader.state.theme
        painter.fillRect(self.rect(), QColor(theme.base))
        painter.setPen(QColor(theme.grid))
        painter.drawLine(self.width() - 1, 0, self.width() - 1, self.height())
        font = QFont(self._reader.font())
        font.setPointSizeF(max(6.0, font.pointSizeF() - 1))
        painter.setFont(font)
        fm = painter.fontMetrics()
        top = self._reader.viewport().y() - self.y()
        for y, labels in self.marks():
            text = " ".join(labels[:2]) + ("…" if len(labels) > 2 else "")
            unique = labels[0] == "✱"
            painter.setPen(QColor(theme.text if not unique else theme.muted))
            rect = QRect(0, top + y - fm.height() // 2, self.width() - 5, fm.height())
            painter.drawText(
                rect, int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), text
            )
        painter.end()


class ReaderView(QTextBrowser):
    """Running text of the focus version; a click on a sentence activates it."""

    text_selected = Signal(str, int, int)  # doc id, start, end
    conflict_requested = Signal(str)  # passage id whose conflict badge was clicked

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._spans: list[_Span] = []
        self._starts: list[int] = []
        #: passage id -> the tooltip of its ⇅ mark: the versions that tell it elsewhere
        self.moved_marks: dict[str, str] = {}
        self.setObjectName("reader")
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setReadOnly(True)
        self.setMouseTracking(True)
        self.anchorClicked.connect(self._on_self_anchor_clicked)
        self.highlighted.connect(self._on_self_highlighted)
        self.selectionChanged.connect(self._on_self_selection_changed)
        self.margin = MarginMarks(self)
        self.setViewportMargins(MARGIN, 0, 0, 0)
        self.verticalScrollBar().valueChanged.connect(self.margin.update)
        for sig in (
            state.set_changed,
            state.focus_changed,
            state.columns_changed,
            state.boilerplate_visibility_changed,
            state.theme_changed,
            state.zoom_changed,
            state.conflicts_changed,  # the ⚠ badges, once conflicts are known
        ):
            sig.connect(self._on_state_changed)
        state.passage_activated.connect(self._on_state_passage_activated)
        state.highlights_changed.connect(self._on_state_highlights_changed)
        self.rebuild()

    @property
    def state(self) -> ViewState:
        return self._state

    def spans(self) -> list[_Span]:
        return self._spans

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        rect = self.contentsRect()
        self.margin.setGeometry(QRect(rect.left(), rect.top(), MARGIN, rect.height()))

    # -- building ----------------------------------------------------------------
    def _on_state_changed(self, *_args: object) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        """Lay out the focus version again from the current state."""
        s = self._state
        theme = s.theme
        doc = QTextDocument(self)
        font = QFont(self.font())
        base = QFont().pointSizeF()
        font.setPointSizeF(max(7.0, (base if base > 0 else 10.0) + 1.5 + s.zoom))
        doc.setDefaultFont(font)
        doc.setDocumentMargin(18)
        cursor = QTextCursor(doc)
        self._spans = []
        focus = s.focus
        if not focus:
            cursor.insertText("No version loaded.")
            self.setDocument(doc)
            return
        fdoc = s.index.docs[focus]
        title_fmt = QTextCharFormat()
        title_fmt.setFontWeight(QFont.Weight.Bold)
        title_fmt.setFontPointSize(font.pointSizeF() + 4)
        title_fmt.setForeground(QColor(theme.text))
        cursor.insertText(
            f"{version_marker(s.number(focus))}  {fdoc.title or fdoc.name}", title_fmt
        )
        meta = " · ".join(x for x in (fdoc.name, fdoc.date, fdoc.byline, fdoc.site) if x)
        block = QTextBlockFormat()
        block.setTopMargin(4)
        block.setBottomMargin(10)
        meta_fmt = QTextCharFormat()
        meta_fmt.setForeground(QColor(theme.muted))
        cursor.insertBlock(block)
        cursor.insertText(meta, meta_fmt)
        para_block = QTextBlockFormat()
        para_block.setBottomMargin(9)
        para_block.setLineHeight(135, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        visible = set(s.visible_docs())
        rank = {d: i for i, d in enumerate(s.order)}
        moved = by_counterpart(s.index.moves(focus))
        self.moved_marks = {}
        current_para = None
        for p in s.index.by_doc.get(focus, []):
            if p.boilerplate and not s.show_boilerplate:
                continue
            if p.paragraph != current_para:
                cursor.insertBlock(para_block)
                current_para = p.paragraph
            else:
                cursor.insertText(" ", QTextCharFormat())
            # in column order; a scan of the order per passage is slow with 1,000 versions
            others = sorted(
                (d for d in s.index.docs_with(p.id) if d in visible), key=rank.__getitem__
            )
            fmt = QTextCharFormat()
            fmt.setAnchor(True)
            fmt.setAnchorHref(f"p:{p.id}")
            fmt.setForeground(QColor(theme.muted if p.boilerplate else theme.text))
            if p.boilerplate:
                fmt.setFontItalic(True)
            elif not s.index.docs_with(p.id):
                fmt.setBackground(QColor(theme.unique_bg))
            text, starts = s.index.display_map(p.id)
            start = cursor.position()
            cursor.insertText(text, fmt)
            unique = not s.index.docs_with(p.id)
            mark = "" if p.boilerplate else ("✱" if unique else str(len(others)))
            qt_at, doc_at = _offset_tables(start, p.start, text, starts)
            self._spans.append(
                _Span(start, cursor.position(), p.start, p.end, p.id, mark, qt_at, doc_at)
            )
            self._insert_chips(cursor, others, p.boilerplate, not s.index.docs_with(p.id), font)
            moves = [m for m in moved.get(p.id, ()) if s.index.passages[m.passage].doc in visible]
            if moves and not p.boilerplate:
                self._insert_moved_badge(cursor, p.id, moves, font)
            if not p.boilerplate and s.passage_conflicts(p.id):
                self._insert_conflict_badge(cursor, p.id, font)
        self._starts = [sp.qt_start for sp in self._spans]
        scroll = self.verticalScrollBar().value()
        self.setDocument(doc)
        self.verticalScrollBar().setValue(scroll)
        self._update_extra_selections()
        self.margin.update()

    def _insert_chips(
        self, cursor: QTextCursor, others: list[str], boilerplate: bool, unique: bool, font: QFont
    ) -> None:
        size = max(6.0, font.pointSizeF() - 3)
        cursor.insertText("\u2009", QTextCharFormat())
        if unique and not boilerplate:
            fmt = QTextCharFormat()
            fmt.setFontPointSize(size + 1)
            fmt.setFontItalic(True)
            fmt.setForeground(QColor(self._state.theme.muted))
            cursor.insertText("✱ only here", fmt)
            return
        shown = others if len(others) <= MAX_CHIPS else others[: MAX_CHIPS - 1]
        for d in shown:
            number = self._state.number(d)
            colour = version_colour(number)
            fmt = QTextCharFormat()
            fmt.setBackground(colour)
            fmt.setForeground(contrast_text(colour))
            fmt.setFontPointSize(size)
            fmt.setFontWeight(QFont.Weight.Bold)
            fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
            fmt.setToolTip(self._state.index.docs[d].name)
            cursor.insertText(f"\u2009{version_glyph(number)}{number}\u2009", fmt)
            cursor.insertText("\u200a", QTextCharFormat())
        if len(others) > len(shown):
            fmt = QTextCharFormat()
            fmt.setFontPointSize(size)
            fmt.setForeground(QColor(self._state.theme.muted))
            fmt.setVerticalAlignment(QTextCharFormat.VerticalAlignment.AlignSuperScript)
            cursor.insertText(f"+{len(others) - len(shown)}", fmt)

    def _insert_conflict_badge(self, cursor: QTextCursor, passage_id: str, font: QFont) -> None:
        """A ⚠ chip after a sentence that versions disagree on; hover lists the conflicts."""
        theme = self._state.theme
        colour = QColor("#FF8F5A" if theme.dark else "#B23C00")  # vermillion, readable on base
        count = len(self._state.passage_conflicts(passage_id))
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(f"c:{passage_id}")
        fmt.setForeground(colour)
        fmt.setBackground(blend(colour, QColor(theme.base), 0.14))
        fmt.setFontPointSize(max(6.0, font.pointSizeF() - 1))
        fmt.setFontWeight(QFont.Weight.Bold)
        cursor.insertText("\u2009", QTextCharFormat())
        label = f"⚠\u2009{count}" if count > 1 else "⚠"
        cursor.insertText(f"\u2009{label}\u2009", fmt)

    def _insert_moved_badge(
        self, cursor: QTextCursor, passage_id: str, moves: list[Move], font: QFont
    ) -> None:
        """A ⇅ mark after a sentence that other versions tell elsewhere; hover says where."""
        s = self._state
        theme = s.theme
        lines = []
        for move in sorted(moves, key=lambda m: s.order.index(s.index.passages[m.passage].doc)):
            version = s.index.passages[move.passage].doc
            marker = version_marker(s.number(version))
            if move.previous is None:
                lines.append(f"⇅ moved in {marker}: there it opens the text")
                continue
            before = s.index.passages[move.previous]
            quote = s.index.display_text(before.id)
            quote = quote if len(quote) <= 60 else quote[:59].rstrip() + "…"
            lines.append(
                f"⇅ moved in {marker}: there it comes after sentence {before.index + 1} (“{quote}”)"
            )
        tip = "\n".join(lines)
        self.moved_marks[passage_id] = tip
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(theme.moved_fg))
        fmt.setBackground(QColor(theme.moved_bg))
        fmt.setFontPointSize(max(6.0, font.pointSizeF() - 1))
        fmt.setFontWeight(QFont.Weight.Bold)
        fmt.setToolTip(tip)
        cursor.insertText("\u2009", QTextCharFormat())
        cursor.insertText(f"\u2009⇅\u2009{len(moves) if len(moves) > 1 else ''}", fmt)

    def conflicts_tooltip(self, passage_id: str) -> str:
        s = self._state
        found = s.passage_conflicts(passage_id)
        if not found:
            return ""
        items = "".join(f"<li>{html.escape(c.message)}</li>" for c in found[:8])
        more = f"<p>…and {len(found) - 8} more</p>" if len(found) > 8 else ""
        return (
            f"<p><b>⚠ Versions disagree here</b></p><ul>{items}</ul>{more}"
            "<p><i>Click to list the conflicts.</i></p>"
        )

    # -- offsets -----------------------------------------------------------------
    def doc_offset(self, qt_pos: int) -> int:
        """Offset in the focus document of a position in the displayed text."""
        if not self._spans:
            return 0
        i = max(0, bisect.bisect_right(self._starts, qt_pos) - 1)
        sp = self._spans[i]
        if qt_pos >= sp.qt_end:
            return sp.doc_end
        return sp.doc_offset(qt_pos)

    def qt_position(self, doc_offset: int) -> int:
        """Position in the displayed text of an offset in the focus document."""
        for sp in self._spans:
            if doc_offset < sp.doc_end:
                if doc_offset <= sp.doc_start:
                    return sp.qt_start
                return sp.qt_position(doc_offset)
        return self._spans[-1].qt_end if self._spans else 0

    def passage_span(self, passage_id: str) -> tuple[int, int] | None:
        for sp in self._spans:
            if sp.passage == passage_id:
                return sp.qt_start, sp.qt_end
        return None

    def passage_point(self, passage_id: str) -> QPoint | None:
        """Viewport point inside the sentence (used to click it)."""
        span = self.passage_span(passage_id)
        if span is None:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(span[0] + 1)
        return self.cursorRect(cursor).center()

    # -- interaction -------------------------------------------------------------
    def _on_self_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("p:"):
            self._state.activate_passage(target[2:])
        elif target.startswith("c:"):
            self.conflict_requested.emit(target[2:])

    def _on_self_highlighted(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("c:"):
            QToolTip.showText(QCursor.pos(), self.conflicts_tooltip(target[2:]), self)
            return
        if not target.startswith("p:"):
            QToolTip.hideText()
            return
        QToolTip.showText(QCursor.pos(), self.counterparts_tooltip(target[2:]), self)

    def counterparts_tooltip(self, passage_id: str) -> str:
        s = self._state
        if passage_id not in s.index.passages:
            return ""
        parts = []
        for c in s.index.counterparts(passage_id)[:8]:
            num = s.number(c.passage.doc)
            colour = version_colour(num)
            score = f" {c.score:.2f}" if c.score is not None else ""
            parts.append(
                f'<p><span style="background:{colour.name()};color:{contrast_text(colour).name()}">'
                f"&nbsp;{version_marker(num)}&nbsp;</span> <i>{c.relation}{score}</i><br>"
                f"{html.escape(s.index.display_text(c.passage.id)[:220])}</p>"
            )
        if not parts:
            return "<i>Found in no other version</i>"
        return "".join(parts)

    def _on_self_selection_changed(self) -> None:
        cursor = self.textCursor()
        if cursor.hasSelection() and self._state.focus:
            start = self.doc_offset(cursor.selectionStart())
            end = self.doc_offset(cursor.selectionEnd())
            if end > start:
                self.text_selected.emit(self._state.focus, start, end)

    def _on_state_passage_activated(self, passage_id: str) -> None:
        self._update_extra_selections()
        span = self.passage_span(passage_id)
        if span is not None:
            cursor = QTextCursor(self.document())
            cursor.setPosition(span[0])
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def _on_state_highlights_changed(self) -> None:
        self._update_extra_selections()

    def _update_extra_selections(self) -> None:
        s = self._state
        selections = []
        for doc, start, end in s.highlights:
            if doc != s.focus or not self._spans:
                continue
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(self.qt_position(start))
            sel.cursor.setPosition(
                max(self.qt_position(end), self.qt_position(start) + 1),
                QTextCursor.MoveMode.KeepAnchor,
            )
            sel.format.setBackground(QColor(s.theme.highlight_bg))
            selections.append(sel)
        span = self.passage_span(s.active_passage) if s.active_passage else None
        if span is not None and s.active_passage:
            # The parts of the active sentence that another version matched on their own
            for start, end in s.index.matched_spans(s.active_passage):
                sel = QTextEdit.ExtraSelection()
                sel.cursor = QTextCursor(self.document())
                sel.cursor.setPosition(self.qt_position(start))
                sel.cursor.setPosition(self.qt_position(end), QTextCursor.MoveMode.KeepAnchor)
                sel.format.setBackground(QColor(s.theme.matched_bg))
                sel.format.setToolTip("This part matches another version on its own")
                selections.append(sel)
            sel = QTextEdit.ExtraSelection()
            sel.cursor = QTextCursor(self.document())
            sel.cursor.setPosition(span[0])
            sel.cursor.setPosition(span[1], QTextCursor.MoveMode.KeepAnchor)
            sel.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SingleUnderline)
            sel.format.setUnderlineColor(self.palette().highlight().color())
            sel.format.setFontUnderline(True)
            selections.append(sel)
        self.setExtraSelections(selections)


class Legend(QLabel):
    """Colour, glyph and number of each visible version, and the diff marks."""

    def __init__(
        self, state: ViewState, show_diff_keys: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._diff_keys = show_diff_keys
        self.setObjectName("legend")
        self.setWordWrap(True)
        self.setTextFormat(self.textFormat().RichText)
        state.connect_versions_changed(self._on_state_changed)
        state.rows_changed.connect(self._on_state_changed)
        self.refresh()

    def _on_state_changed(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the chips of the visible versions and the marks used by the view."""
        s = self._state
        t = s.theme
        chips = []
        visible = s.visible_docs()
        for d in visible[:14]:
            num = s.number(d)
            colour = version_colour(num)
            focus = "&nbsp;(focus)" if d == s.focus else ""
            chips.append(
                f'<span style="background:{colour.name()};color:{contrast_text(colour).name()}">'
                f"&nbsp;{version_marker(num)}&nbsp;</span>&nbsp;"
                f"{html.escape(short_name(s.index.docs[d], 16)).replace(' ', '&nbsp;')}{focus}"
            )
        if len(visible) > 14:
            chips.append(f"+{len(visible) - 14} more")
        keys = ""
        if self._diff_keys:
            keys = (
                "&nbsp;&nbsp;│&nbsp;&nbsp;"
                f'<span style="background:{t.inserted_bg};text-decoration:underline">added</span>'
                f' <span style="background:{t.deleted_bg};text-decoration:line-through">'
                "missing</span>"
                f' <span style="background:{t.changed_bg};text-decoration:underline">changed</span>'
                " <b>names/numbers</b> in bold"
                f' <span style="color:{t.moved_fg};background:{t.moved_bg}">&nbsp;⇅&nbsp;moved'
                "&nbsp;</span>&nbsp;told&nbsp;in&nbsp;another&nbsp;order&nbsp;than&nbsp;the&nbsp;focus"
            )
            if s.index.by_paragraph:
                keys += (
                    " "
                    + sentence_mark("2", t)
                    + ("says&nbsp;the&nbsp;same&nbsp;as&nbsp;the&nbsp;focus's&nbsp;sentence&nbsp;2")
                )
        else:
            keys = (
                "&nbsp;&nbsp;│&nbsp;&nbsp;"
                f'<span style="background:{t.unique_bg}">✱ only in this version</span>'
                f'&nbsp;&nbsp;<span style="color:{"#FF8F5A" if t.dark else "#B23C00"}">'
                "<b>⚠</b></span>&nbsp;versions&nbsp;disagree&nbsp; "
                f'&nbsp;&nbsp;<span style="color:{t.moved_fg};background:{t.moved_bg}">'
                "&nbsp;<b>⇅</b>&nbsp;</span>&nbsp;moved&nbsp;in&nbsp;another&nbsp;version&nbsp; "
                "&nbsp;margin&nbsp;<b>3</b>:&nbsp;held&nbsp;by&nbsp;3&nbsp;other&nbsp;versions"
            )
        # ordinary spaces between chips let the legend wrap instead of widening the window
        self.setText("&nbsp; ".join(chips) + keys.replace("&nbsp;&nbsp;│", "&nbsp; │", 1))
