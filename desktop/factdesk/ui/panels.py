"""Dock contents: the documents list, the counterparts of a passage, and search."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPoint, QRect, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QPainter, QPalette, QTextDocument
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

from factdesk.ui.diffhtml import diff_html
from factdesk.ui.models import (
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
        rect: QRect = option.rect.adjusted(4, 6, -40, -6)
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


class DocumentsPanel(QTableView):
    """One row per version; tick to show, double-click to make it the focus, drag to reorder."""

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
        hh = self.horizontalHeader()
        hh.setStretchLastSection(True)
        for col, width in ((0, 64), (1, 170), (2, 170), (3, 80), (4, 90), (5, 56), (6, 120)):
            hh.resizeSection(col, width)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_self_context_menu)
        self.doubleClicked.connect(self._on_self_double_clicked)
        self.setToolTip(
            "Tick to show a version; double-click to review it (focus); drag rows to reorder"
        )

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


class CounterpartsPanel(QTextBrowser):
    """The active passage, each matching passage with its version, score, relation and diff."""

    unlink_requested = Signal(str, str)
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
        own_text = s.index.display_text(pid)
        num = s.number(own.doc)
        parts = [
            f"<p>{self._chip(num)} <b>{html.escape(s.index.docs[own.doc].name)}</b>"
            f' <span style="color:{t.muted}">sentence {own.index + 1}'
            f"{' · boilerplate' if own.boilerplate else ''}</span></p>"
            f'<p style="margin-left:8px">{html.escape(own_text)}</p><hr>'
        ]
        counterparts = s.index.counterparts(pid)
        if counterparts:
            found = _plural(len({c.passage.doc for c in counterparts}), "other version")
            parts.append(f"<p><b>Found in {found}</b></p>")
        for c in counterparts:
            if c.passage.doc in s.hidden:
                continue
            cnum = s.number(c.passage.doc)
            score = f"{c.score:.2f}" if c.score is not None else "–"
            source = " · pinned by editor" if c.source == "editor" else ""
            self.shown_counterparts.append(c.passage.id)
            other_text = s.index.display_text(c.passage.id)
            if c.parts is None:
                body = diff_html(own_text, other_text, t)
                partial = ""
            else:
                # Only a clause matched: diff those parts, and grey out the rest.
                (a0, a1), (b0, b1) = c.parts
                muted = f'<span style="color:{t.muted}">'
                body = (
                    f"{muted}{html.escape(other_text[:b0])}</span>"
                    f"{diff_html(own_text[a0:a1], other_text[b0:b1], t)}"
                    f"{muted}{html.escape(other_text[b1:])}</span>"
                )
                partial = " · part of the sentence"
            parts.append(
                f"<p>{self._chip(cnum)} <b>{html.escape(s.index.docs[c.passage.doc].name)}</b>"
                f' <span style="color:{t.muted}">{c.relation} · score {score}{partial}{source}'
                "</span>"
                f' &nbsp;<a href="go:{c.passage.id}">show</a>'
                f' &nbsp;<a href="unlink:{pid}|{c.passage.id}">unlink</a></p>'
                f'<p style="margin-left:8px">{body}</p>'
            )
        with_it = {own.doc} | {c.passage.doc for c in counterparts}
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

    @staticmethod
    def _chip(number: int) -> str:
        colour = version_colour(number)
        return (
            f'<span style="background:{colour.name()};color:{contrast_text(colour).name()}">'
            f"&nbsp;{version_marker(number)}&nbsp;</span>"
        )

    def _on_self_anchor_clicked(self, url: QUrl) -> None:
        target = url.toString()
        if target.startswith("go:"):
            self.passage_requested.emit(target[3:])
        elif target.startswith("unlink:") and "|" in target:
            a, b = target[7:].split("|", 1)
            self.unlink_requested.emit(a, b)


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
        self.field.setToolTip("Case-insensitive search across every loaded version (Ctrl+F)")
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

    def search(self, text: str) -> int:
        s = self._state
        hits = s.index.search(text, s.visible_docs()) if len(text.strip()) >= 2 else []
        self.results.set_hits(hits, len(text.strip()))
        docs = len({d for d, _ in hits})
        self.count.setText(f"{len(hits)} hits in {docs} versions" if text.strip() else "")
        return len(hits)

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
