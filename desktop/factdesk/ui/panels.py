"""Dock contents: the documents list, the counterparts of a passage, and search."""

from __future__ import annotations

import html

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QResizeEvent,
    QTextDocument,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from factdesk.core import views
from factdesk.core.model import printable
from factdesk.ui.diffhtml import diff_html
from factdesk.ui.models import (
    DETAILS_ROLE,
    DOC_ID_ROLE,
    HTML_ROLE,
    LENGTH_ROLE,
    OFFSET_ROLE,
    SHARE_ROLE,
    DocumentsModel,
    SearchResultsModel,
)
from factdesk.ui.palette import blend, contrast_text, version_colour, version_marker
from factdesk.ui.state import ViewState

AnyIndex = QModelIndex | QPersistentModelIndex


def style_row_table(view: QTableView) -> None:
    """The look of FactDesk's tables of records: one selected row, striped, compact, no grid."""
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(24)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


class ShareBarDelegate(QStyledItemDelegate):
    """A small bar of how much of a version is found in other versions."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        share = index.data(SHARE_ROLE)
        if share is None or index.data(DOC_ID_ROLE) is None:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        pal = option.palette
        rect: QRect = option.rect.adjusted(4, 0, -40, 0)
        rect.setTop(option.rect.center().y() - 5)
        rect.setHeight(10)
        base = pal.color(QPalette.ColorRole.Base)
        text = pal.color(QPalette.ColorRole.Text)
        painter.save()
        if option.state & option.state.State_Selected:
            painter.fillRect(option.rect, blend(pal.color(QPalette.ColorRole.Highlight), base, 0.3))
        painter.fillRect(rect, blend(text, base, 0.12))
        filled = QRect(rect.left(), rect.top(), round(rect.width() * float(share)), rect.height())
        painter.fillRect(filled, QColor("#0072B2"))
        painter.setPen(text)
        painter.drawText(
            option.rect.adjusted(0, 0, -4, 0),
            int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
            f"{round(100 * float(share))}%",
        )
        painter.restore()


class SearchHitDelegate(QStyledItemDelegate):
    """One search hit on one line, the matched words in bold on a highlight."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        self.initStyleOption(option, index)
        pal = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        if selected:
            painter.fillRect(
                option.rect,
                blend(
                    pal.color(QPalette.ColorRole.Highlight), pal.color(QPalette.ColorRole.Base), 0.3
                ),
            )
        doc = QTextDocument()
        doc.setDocumentMargin(2)
        doc.setDefaultFont(option.font)
        colour = pal.color(QPalette.ColorRole.Text).name()
        doc.setHtml(f'<span style="color:{colour}; white-space:pre">{index.data(HTML_ROLE)}</span>')
        painter.translate(option.rect.topLeft())
        painter.setClipRect(QRect(0, 0, option.rect.width(), option.rect.height()))
        doc.drawContents(painter)
        painter.restore()


class VersionTitleDelegate(QStyledItemDelegate):
    """A version's headline on up to three lines, then its outlet or byline and date, muted."""

    LINES = 3
    PAD = 3

    def _fonts(self, option: QStyleOptionViewItem, index: AnyIndex) -> tuple[QFont, QFont]:
        font = index.data(Qt.ItemDataRole.FontRole)
        title = QFont(font) if isinstance(font, QFont) else QFont(option.font)
        title.setPointSizeF(option.font.pointSizeF())
        details = QFont(option.font)
        details.setPointSizeF(max(6.0, option.font.pointSizeF() - 1))
        return title, details

    def headline_lines(self, text: str, font: QFont, width: int) -> list[str]:
        """The headline wrapped at ``width``; the last line shown ends in an ellipsis if cut."""
        layout = QTextLayout(text, font)
        layout.beginLayout()
        spans: list[tuple[int, int]] = []
        while len(spans) < self.LINES:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(max(width, 10))
            spans.append((line.textStart(), line.textLength()))
        layout.endLayout()
        lines = [text[start : start + length].strip() for start, length in spans]
        if spans and sum(spans[-1]) < len(text):  # more text than lines: elide the last one
            rest = text[spans[-1][0] :].strip()
            fm = QFontMetrics(font)
            lines[-1] = fm.elidedText(rest, Qt.TextElideMode.ElideRight, max(width, 10))
        return lines or [""]

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        self.initStyleOption(option, index)
        widget = option.widget
        style = widget.style() if widget is not None else None
        text = option.text
        option.text = ""
        if style is not None:  # background, selection and focus as the other cells
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, widget)
        title_font, details_font = self._fonts(option, index)
        rect = option.rect.adjusted(self.PAD + 2, self.PAD, -self.PAD - 2, -self.PAD)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        pal = option.palette
        ink = pal.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        painter.save()
        painter.setClipRect(option.rect)
        painter.setPen(ink)
        painter.setFont(title_font)
        fm = QFontMetrics(title_font)
        y = rect.top()
        for line in self.headline_lines(text, title_font, rect.width()):
            painter.drawText(QRect(rect.left(), y, rect.width(), fm.height()), 0, line)
            y += fm.lineSpacing()
        details = str(index.data(DETAILS_ROLE) or "")
        if details:
            dm = QFontMetrics(details_font)
            painter.setFont(details_font)
            painter.setPen(ink if selected else blend(ink, pal.color(QPalette.ColorRole.Base), 0.6))
            elided = dm.elidedText(details, Qt.TextElideMode.ElideRight, rect.width())
            painter.drawText(QRect(rect.left(), y, rect.width(), dm.height()), 0, elided)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        self.initStyleOption(option, index)
        title_font, details_font = self._fonts(option, index)
        width = option.rect.width() if option.rect.width() > 0 else 240
        lines = self.headline_lines(option.text, title_font, width - 2 * self.PAD - 4)
        height = len(lines) * QFontMetrics(title_font).lineSpacing()
        if index.data(DETAILS_ROLE):
            height += QFontMetrics(details_font).lineSpacing()
        return QSize(width, height + 2 * self.PAD)


class DocumentsPanel(QTableView):
    """One row per version; tick to show, double-click to make it the focus, drag to reorder.

    Each version is named by its best title; the file name and the other details are in
    the tooltip, and more columns can be shown from the header's context menu.
    """

    #: columns shown until the editor picks others (the rest is in the Version tooltip)
    DEFAULT_COLUMNS = (DocumentsModel.SHOWN, DocumentsModel.VERSION, DocumentsModel.SHARED)
    MAX_ROWS = 8  # the panel's natural height shows at most this many versions
    #: From this many versions rows get one fixed height: fitting each row to its wrapped
    #: title would lay out every title again at each resize.
    FIXED_ROWS_FROM = 60

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.documents_model = DocumentsModel(state)
        self.setModel(self.documents_model)
        self.setObjectName("documents")
        self.setItemDelegateForColumn(DocumentsModel.SHARED, ShareBarDelegate(self))
        style_row_table(self)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragDropOverwriteMode(False)
        self.setDropIndicatorShown(True)
        self.version_delegate = VersionTitleDelegate(self)
        self.setItemDelegateForColumn(DocumentsModel.VERSION, self.version_delegate)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        state.set_changed.connect(self._on_state_set_changed)
        hh = self.horizontalHeader()
        hh.setStretchLastSection(False)
        hh.setMinimumSectionSize(40)
        widths = {
            DocumentsModel.SHOWN: 68,
            DocumentsModel.NAME: 170,
            DocumentsModel.TITLE: 170,
            DocumentsModel.DATE: 80,
            DocumentsModel.BYLINE: 110,
            DocumentsModel.WORDS: 56,
            DocumentsModel.DERIVATION: 320,
        }
        for col, width in widths.items():
            hh.resizeSection(col, width)
        shared = hh.sectionSizeFromContents(DocumentsModel.SHARED).width()
        hh.resizeSection(DocumentsModel.SHARED, max(84, shared))
        for col in range(self.documents_model.columnCount()):
            self.setColumnHidden(col, col not in self.DEFAULT_COLUMNS)
        hh.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        hh.customContextMenuRequested.connect(self._on_header_context_menu_requested)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_self_context_menu)
        self.doubleClicked.connect(self._on_self_double_clicked)
        self.setToolTip(
            "Tick to show a version; double-click to review it (focus); drag rows to reorder"
        )

    def ideal_height(self) -> int:
        """Height that shows the header and up to ``MAX_ROWS`` versions without scrolling."""
        model = self.documents_model
        rows = min(model.rowCount(), self.MAX_ROWS)
        option = QStyleOptionViewItem()
        option.initFrom(self)
        option.font = self.font()
        option.rect = QRect(0, 0, max(self.columnWidth(DocumentsModel.VERSION), 40), 24)
        body = 0
        for r in range(rows):
            title = self.version_delegate.sizeHint(option, model.index(r, model.VERSION))
            body += max(title.height(), self.verticalHeader().defaultSectionSize())
        body = body or self.verticalHeader().defaultSectionSize()
        scroll = self.horizontalScrollBar()
        bar = scroll.sizeHint().height() if scroll.isVisible() else 0
        return self.horizontalHeader().sizeHint().height() + body + 2 * self.frameWidth() + bar

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_version_column()

    def _fit_version_column(self) -> None:
        """The Version column takes the width the other columns leave. Room for a vertical
        scroll bar is always kept, so titles wrap the same whether it shows or not."""
        hh = self.horizontalHeader()
        others = sum(
            hh.sectionSize(c)
            for c in range(self.documents_model.columnCount())
            if c != DocumentsModel.VERSION and not hh.isSectionHidden(c)
        )
        bar = self.verticalScrollBar()
        room = self.width() - 2 * self.frameWidth() - others
        room -= 0 if bar.isVisible() else bar.sizeHint().width()
        room -= bar.width() if bar.isVisible() else 0
        hh.resizeSection(DocumentsModel.VERSION, max(room, 120))

    def _on_state_set_changed(self) -> None:
        many = self.documents_model.rowCount() >= self.FIXED_ROWS_FROM
        header = self.verticalHeader()
        if many:
            header.setDefaultSectionSize(2 * self.fontMetrics().lineSpacing() + 8)
        header.setSectionResizeMode(
            QHeaderView.ResizeMode.Fixed if many else QHeaderView.ResizeMode.ResizeToContents
        )

    def _on_header_context_menu_requested(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.setToolTipsVisible(True)
        model = self.documents_model
        for col in range(model.columnCount()):
            if col in (DocumentsModel.SHOWN, DocumentsModel.VERSION):
                continue
            action = menu.addAction(model.COLUMNS[col])
            action.setCheckable(True)
            action.setChecked(not self.isColumnHidden(col))
            action.setToolTip(f"Show or hide the {model.COLUMNS[col]} column")
            action.toggled.connect(lambda on, col=col: self.show_column(col, on))
        menu.exec(self.horizontalHeader().mapToGlobal(pos))

    def show_column(self, column: int, shown: bool) -> None:
        """Show or hide a column; the Version column takes what room is left."""
        self.setColumnHidden(column, not shown)
        self._fit_version_column()

    def _on_self_double_clicked(self, index: QModelIndex) -> None:
        doc = self.documents_model.doc_id(index.row())
        if doc:
            self._state.set_focus(doc)

    def _on_self_context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        doc = self.documents_model.doc_id(index.row()) if index.isValid() else ""
        if not doc:
            return
        menu = QMenu(self)
        menu.addAction("Review this version (focus)", lambda: self._state.set_focus(doc))
        hidden = doc in self._state.hidden
        act = menu.addAction(
            "Show in every view" if hidden else "Hide from every view",
            lambda: self._state.set_hidden(doc, not hidden),
        )
        act.setEnabled(doc != self._state.focus)
        menu.exec(self.viewport().mapToGlobal(pos))


class LoadNotesLabel(QLabel):
    """Under the Documents list: what loading the set noted (exact copies loaded once,
    repaired encodings) and how many files were not loaded; hidden when there is none."""

    MAX_LINES = 4  # notes shown in full; the tooltip holds all of them

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setObjectName("load_notes")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setContentsMargins(6, 3, 6, 3)
        self.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        state.set_changed.connect(self._on_state_set_changed)
        self._on_state_set_changed()

    def lines(self) -> list[str]:
        """The lines shown: each note, then a line for the files that were not loaded."""
        article_set = self._state.article_set
        notes = article_set.notes
        lines = [f"Note: {note}" for note in notes[: self.MAX_LINES]]
        if len(notes) > self.MAX_LINES:
            lines.append(f"… {len(notes) - self.MAX_LINES} more notes in the tooltip")
        n = len(article_set.errors)
        if n:
            files = "file was" if n == 1 else "files were"
            lines.append(f"{n} {files} not loaded: listed above, the reason in the tooltip")
        return lines

    def _on_state_set_changed(self) -> None:
        lines = self.lines()
        self.setText("\n".join(lines))
        article_set = self._state.article_set
        self.setToolTip(
            "\n".join(
                [
                    *article_set.notes,
                    *(f"{printable(e.path)}: {e.message}" for e in article_set.errors),
                ]
            )
        )
        self.setVisible(bool(lines))


class CounterpartsPanel(QTextBrowser):
    """The active passage, each matching passage with its version, score, relation and diff."""

    unlink_requested = Signal(str, list)  # the passage, the counterpart passages to unlink
    passage_requested = Signal(str)

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setObjectName("counterparts")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_self_anchor_clicked)
        self.shown_counterparts: list[str] = []
        self.missing_docs: list[str] = []
        state.connect_versions_changed(self._on_state_changed)
        state.passage_activated.connect(self._on_state_changed)
        self.refresh()

    def _on_state_changed(self, *_args: object) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Show the active passage and where else it appears."""
        s = self._state
        t = s.theme
        pid = s.active_passage
        self.shown_counterparts = []
        self.missing_docs = []
        if not pid or pid not in s.index.passages:
            self.setHtml(
                f'<p style="color:{t.muted}">Click a sentence in the reader or a cell in the '
                "synoptic "
                "view to see where else it appears.</p>"
            )
            return
        own = s.index.passages[pid]
        row = s.index.row_of.get(pid)
        own_cell = list(row.cells.get(own.doc, [pid])) if row is not None else [pid]
        own_text = " ".join(s.index.display_text(p) for p in own_cell)
        num = s.number(own.doc)
        if len(own_cell) > 1:
            # the other sentences of this version in the row, greyed, around the passage
            where = f"sentence {own.index + 1} of {self._sentences(own_cell)}"
            shown = " ".join(
                html.escape(s.index.display_text(p))
                if p == pid
                else f'<span style="color:{t.muted}">{html.escape(s.index.display_text(p))}</span>'
                for p in own_cell
            )
        else:
            where = f"sentence {own.index + 1}"
            shown = html.escape(own_text)
        parts = [
            f"<p>{self._chip(num)} <b>{html.escape(s.index.docs[own.doc].name)}</b>"
            f' <span style="color:{t.muted}">{where}'
            f"{' · boilerplate' if own.boilerplate else ''}</span></p>"
            f'<p style="margin-left:8px">{shown}</p><hr>'
        ]
        cells = s.index.counterpart_cells(pid)
        if cells:
            found = _plural(len(cells), "other version")
            parts.append(f"<p><b>Found in {found}</b></p>")
        for cell in cells:
            if cell.doc in s.hidden:
                continue
            cnum = s.number(cell.doc)
            score = f"{cell.score:.2f}" if cell.score is not None else "–"
            source = " · pinned by editor" if cell.source == "editor" else ""
            ids = [p.id for p in cell.passages]
            self.shown_counterparts.extend(ids)
            if not s.index.same_language(cell.doc, own.doc):
                body = html.escape(cell.text)  # a translation: a word diff says nothing
                partial = ""
            elif cell.parts is None:
                body = diff_html(own_text, cell.text, t)
                partial = ""
            else:
                # Only a clause matched: diff those parts, and grey out the rest.
                (a0, a1), (b0, b1) = cell.parts
                muted = f'<span style="color:{t.muted}">'
                body = (
                    f"{muted}{html.escape(cell.text[:b0])}</span>"
                    f"{diff_html(own_text[a0:a1], cell.text[b0:b1], t)}"
                    f"{muted}{html.escape(cell.text[b1:])}</span>"
                )
                partial = " · part of the sentence"
            several = f" · {self._sentences(ids)}" if len(ids) > 1 else ""
            parts.append(
                f"<p>{self._chip(cnum)} <b>{html.escape(s.index.docs[cell.doc].name)}</b>"
                f' <span style="color:{t.muted}">{cell.relation} · score {score}{several}'
                f"{partial}{source}</span>"
                f' &nbsp;<a href="go:{ids[0]}">show</a>'
                f' &nbsp;<a href="unlink:{pid}|{",".join(ids)}">unlink</a></p>'
                f'<p style="margin-left:8px">{body}</p>'
            )
        with_it = {own.doc} | {cell.doc for cell in cells}
        self.missing_docs = [d for d in s.order if d not in with_it]
        if self.missing_docs:
            chips = " ".join(
                f"{self._chip(s.number(d))}&nbsp;{html.escape(s.index.docs[d].name)}"
                for d in self.missing_docs
            )
            parts.append(
                f"<hr><p><b>Not found in</b> {len(self.missing_docs)} versions:</p><p>{chips}</p>"
            )
        else:
            parts.append("<hr><p>Found in every version.</p>")
        self.setHtml("".join(parts))

    def _sentences(self, passage_ids: list[str]) -> str:
        """``sentences 3–4`` (or ``sentences 3, 7``) of one version."""
        numbers = sorted(self._state.index.passages[p].index + 1 for p in passage_ids)
        if numbers == list(range(numbers[0], numbers[-1] + 1)):
            return f"sentences {numbers[0]}–{numbers[-1]}"
        return "sentences " + ", ".join(str(n) for n in numbers)

    @staticmethod
    def _chip(number: int) -> str:
        colour = version_colour(number)
        return (
            f'<span style="background:{colour.name()};color:{contrast_text(colour).name()}">'
            f"&nbsp;{version_marker(number)}&nbsp;</span>"
        )

    def _on_self_anchor_clicked(self, url: QUrl) -> None:
        # the path decoded: QUrl.toString() would give the "|" as "%7C"
        scheme, target = url.scheme(), url.path()
        if scheme == "go":
            self.passage_requested.emit(target)
        elif scheme == "unlink" and "|" in target:
            a, others = target.split("|", 1)
            self.unlink_requested.emit(a, [b for b in others.split(",") if b])


class SearchPanel(QWidget):
    """Search across all versions; activating a hit jumps to it."""

    hit_activated = Signal(str, int, int)  # doc id, offset, length

    def __init__(self, state: ViewState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self.setObjectName("search")
        self.field = QLineEdit()
        self.field.setPlaceholderText("Search all versions…")
        self.field.setClearButtonEnabled(True)
        self.field.setToolTip(
            "Case-insensitive search across every loaded version (Ctrl+F); a name is "
            "searched in every spelling the versions use"
        )
        self.results = SearchResultsModel(state)
        self.list = QListView()
        self.list.setModel(self.results)
        self.list.setUniformItemSizes(True)
        self.list.setItemDelegate(SearchHitDelegate(self.list))
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.count = QLabel("")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        layout.addWidget(self.list, 1)
        self.field.textChanged.connect(self._on_field_text_changed)
        self.field.returnPressed.connect(self._on_field_return_pressed)
        self.list.activated.connect(self._on_list_activated)
        self.list.clicked.connect(self._on_list_activated)
        state.set_changed.connect(self._on_state_set_changed)
        state.conflicts_changed.connect(self._on_state_conflicts_changed)

    def _on_state_conflicts_changed(self) -> None:
        # the set's names (and their spellings) are known now
        if self.field.text().strip():
            self.search(self.field.text())

    def search(self, text: str) -> int:
        """Search every shown version for ``text`` and its other spellings in the set."""
        s = self._state
        needle = text.strip()
        variants: list[str] = []
        if len(needle) >= 2:
            if s.analysis_ready():  # never wait for the analysis while typing
                variants = views.spelling_variants(s.analysis().units, needle)
            hits = s.index.search_all([needle, *variants], s.visible_docs())
        else:
            hits = []
        self.results.set_hits(hits)
        docs = len({d for d, _, _ in hits})
        also = ""
        if variants:
            spelled = ", ".join(f"“{v}”" for v in variants)
            also = f" (also spelled {spelled})"
        self.count.setText(f"{len(hits)} hits in {docs} versions{also}" if needle else "")
        return len(hits)

    def _on_state_set_changed(self) -> None:
        # the hits and their count belong to the set that was shown
        self.search(self.field.text())

    def _on_field_text_changed(self, text: str) -> None:
        self.search(text)

    def _on_field_return_pressed(self) -> None:
        if self.results.rowCount():
            current = self.list.currentIndex()
            row = (current.row() + 1) % self.results.rowCount() if current.isValid() else 0
            index = self.results.index(row)
            self.list.setCurrentIndex(index)
            self._on_list_activated(index)

    def _on_list_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.hit_activated.emit(
                index.data(DOC_ID_ROLE), index.data(OFFSET_ROLE), index.data(LENGTH_ROLE)
            )
