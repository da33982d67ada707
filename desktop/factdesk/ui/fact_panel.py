"""The fact panel: edit the selected fact; every change is one undoable, saved step.

Combo boxes commit when the editor picks a value; the statement and note commit
after a short pause in typing, when the field loses focus, or before anything
else happens (``flush``), and bursts of typing in one field undo as one step.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from factdesk.core.model import FACT_STATUSES, Fact
from factdesk.core.review import (
    format_tags,
    orphaned_count,
    parse_tags,
    with_anchor_confirmed,
    without_anchor,
)
from factdesk.ui.fact_models import (
    CONFLICT_GLYPH,
    CONFLICT_LABELS,
    ORPHAN_GLYPH,
    SPANS_ROLE,
    AnchorsModel,
    FactsModel,
    status_colour,
    status_label,
)
from factdesk.ui.facts_dock import FactsController
from factdesk.ui.palette import contrast_text, version_colour, version_marker

#: Milliseconds of quiet after typing before the statement or note is saved.
TYPING_PAUSE_MS = 700


class FactPanel(QWidget):
    """Statement, status, origin, tags and note of one fact, its passages and conflicts."""

    def __init__(
        self, controller: FactsController, facts_model: FactsModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("factpanel")
        self.controller = controller
        self.state = controller.state
        controller.flush_requested.connect(self._on_controller_flush_requested)
        self._facts_model = facts_model
        self._fact_id = ""
        self._loading = False
        self._pending: set[str] = set()
        self._timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

        self.stack = QStackedWidget()
        self.empty = QLabel()
        self.empty.setObjectName("factempty")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)

        self.header = QLabel()
        self.header.setObjectName("factheader")
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.header.setMinimumWidth(120)
        self.show_button = QPushButton("Show")
        self.show_button.setToolTip("Highlight this fact's passages in every view and go there")
        self.delete_button = QPushButton("Delete")
        self.delete_button.setToolTip("Delete this fact (undo with Ctrl+Z)")
        self.statement = QPlainTextEdit()
        self.statement.setObjectName("factstatement")
        self.statement.setPlaceholderText("The claim under review")
        self.statement.setToolTip("The statement under review; saved as you type")
        self.statement.setTabChangesFocus(True)
        margin = self.statement.document().documentMargin()
        self.statement.setFixedHeight(
            round(self.fontMetrics().lineSpacing() * 4 + 2 * margin)
            + 2 * self.statement.frameWidth()
        )
        self.status = QComboBox()
        for status in FACT_STATUSES:
            self.status.addItem(status_label(status), status)
        self.status.setToolTip("Review status")
        self.origin = QComboBox()
        self.origin.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.origin.setMinimumContentsLength(10)
        self.origin.setToolTip("The version this fact originally comes from")
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("comma, separated, tags")
        self.tags.setToolTip("Tags, separated by commas; saved when you press Enter or leave")
        self.note = QPlainTextEdit()
        self.note.setPlaceholderText("Your note: sources checked, who to call…")
        self.note.setToolTip("A note for this fact; saved as you type")
        self.note.setTabChangesFocus(True)

        self.anchors_model = AnchorsModel(self.state, self)
        self.anchors = QListView()
        self.anchors.setObjectName("factanchors")
        self.anchors.setModel(self.anchors_model)
        self.anchors.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.anchors.setAlternatingRowColors(True)
        self.anchors.setWordWrap(True)
        self.anchors.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.anchors.setSpacing(1)
        self.anchors.setToolTip(
            "✔ kept by you · ◌ suggested from the alignment · "
            f"{ORPHAN_GLYPH} orphaned (text gone after re-import). Click to show it."
        )
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setToolTip("Keep the selected passage as carrying this fact")
        self.remove_button = QPushButton("Remove")
        self.remove_button.setToolTip("Remove the selected passage from this fact")
        self.passages_label = QLabel("<b>Passages</b>")
        self.conflicts = QTextBrowser()
        self.conflicts.setObjectName("factconflicts")
        self.conflicts.setOpenLinks(False)
        self.conflicts.setToolTip("Where the versions carrying this fact disagree")

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow("Statement", self.statement)
        form.addRow("Status", self.status)
        form.addRow("Origin", self.origin)
        form.addRow("Tags", self.tags)
        form.addRow("Note", self.note)

        anchor_buttons = QHBoxLayout()
        anchor_buttons.setContentsMargins(0, 0, 0, 0)
        anchor_buttons.addWidget(self.passages_label)
        anchor_buttons.addStretch(1)
        anchor_buttons.addWidget(self.confirm_button)
        anchor_buttons.addWidget(self.remove_button)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(4)
        right.addLayout(anchor_buttons)
        right.addWidget(self.anchors, 3)
        self.conflicts_label = QLabel("<b>Conflicts</b>")
        right.addWidget(self.conflicts_label)
        right.addWidget(self.conflicts, 2)

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.header, 1)
        top.addWidget(self.show_button)
        top.addWidget(self.delete_button)
        editor = QWidget()
        grid = QGridLayout(editor)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(6)
        grid.addLayout(top, 0, 0, 1, 2)
        grid.addLayout(form, 1, 0)
        grid.addLayout(right, 1, 1)
        grid.setColumnStretch(0, 5)
        grid.setColumnStretch(1, 4)
        self.stack.addWidget(editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)

        self._connect()
        self._fill_origins()
        self.show_fact("")

    def set_new_fact_hint(self, hint: str) -> None:
        self._hint = hint
        if not self._fact_id:
            self._show_empty()

    def _connect(self) -> None:
        c, s = self.controller, self.state
        c.current_changed.connect(self._on_controller_current_changed)
        s.facts_changed.connect(self._on_state_facts_changed)
        s.set_changed.connect(self._on_state_set_changed)
        s.theme_changed.connect(self._on_state_theme_changed)
        self.status.activated.connect(self._on_status_activated)
        self.origin.activated.connect(self._on_origin_activated)
        self.tags.editingFinished.connect(self._on_tags_editing_finished)
        self.statement.textChanged.connect(self._on_statement_text_changed)
        self.note.textChanged.connect(self._on_note_text_changed)
        self.statement.installEventFilter(self)
        self.note.installEventFilter(self)
        self.show_button.clicked.connect(self._on_show_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.anchors.clicked.connect(self._on_anchor_clicked)
        self.anchors.selectionModel().currentRowChanged.connect(
            self._on_anchors_current_row_changed
        )

    # -- showing ----------------------------------------------------------------
    def fact(self) -> Fact | None:
        return self.controller.fact(self._fact_id) if self._fact_id else None

    def show_fact(self, fact_id: str) -> None:
        """Show ``fact_id`` (saving what was typed into the previous fact first)."""
        if fact_id != self._fact_id:
            self.flush()
        self._fact_id = fact_id
        fact = self.fact()
        if fact is None:
            self._fact_id = ""
            self.anchors_model.set_fact(None)
            self._show_empty()
            return
        self.stack.setCurrentIndex(1)
        self._load(fact, force=True)

    def _show_empty(self) -> None:
        hint = getattr(self, "_hint", "Ctrl+E")
        self.empty.setText(
            "<p><b>No fact selected</b></p>"
            "<p>Pick a fact in the Facts list, select text in the reader and press "
            f"{html.escape(hint)}, or turn a suggestion into a fact.</p>"
        )
        self.stack.setCurrentIndex(0)

    def _load(self, fact: Fact, force: bool = False) -> None:
        """Put the fact's values in the widgets, leaving alone a field that already shows them."""
        self._loading = True
        try:
            s = self.state
            created = fact.created.replace("T", " ").removesuffix("Z")
            modified = fact.modified.replace("T", " ").removesuffix("Z")
            colour = status_colour(fact.status, s).name()
            lost = orphaned_count(fact)
            orphan = (
                f' &nbsp;<span style="color:{status_colour("disputed", s).name()}">'
                f"{ORPHAN_GLYPH} {lost} orphaned</span>"
                if lost
                else ""
            )
            self.header.setText(
                f'<b>{html.escape(fact.id)}</b> &nbsp;<span style="color:{colour}"><b>'
                f"{html.escape(status_label(fact.status))}</b></span>{orphan}"
                f' &nbsp;<span style="color:{s.theme.muted}">created {html.escape(created)}'
                f" · changed {html.escape(modified)}</span>"
            )
            if force or self.statement.toPlainText() != fact.statement:
                self.statement.setPlainText(fact.statement)
            if force or self.note.toPlainText() != fact.note:
                self.note.setPlainText(fact.note)
            if force or parse_tags(self.tags.text()) != fact.tags:
                self.tags.setText(format_tags(fact.tags))
            self.status.setCurrentIndex(max(0, self.status.findData(fact.status)))
            self._select_origin(fact.origin)
            selected = self.anchors.currentIndex().row()
            self.anchors_model.set_fact(fact)
            if 0 <= selected < self.anchors_model.rowCount() and not force:
                self.anchors.setCurrentIndex(self.anchors_model.index(selected))
            self._update_anchor_buttons()
            self._show_conflicts(fact)
            if force:
                self._pending.clear()
        finally:
            self._loading = False

    def _fill_origins(self) -> None:
        s = self.state
        self.origin.blockSignals(True)
        self.origin.clear()
        self.origin.addItem("— not chosen —", "")
        for d in s.order:
            self.origin.addItem(f"{version_marker(s.number(d))}  {s.index.docs[d].name}", d)
        self.origin.blockSignals(False)

    def _select_origin(self, doc_id: str) -> None:
        index = self.origin.findData(doc_id)
        if index < 0 and doc_id:
            self.origin.addItem(f"{doc_id} (not loaded)", doc_id)
            index = self.origin.count() - 1
        self.origin.setCurrentIndex(max(0, index))

    def _show_conflicts(self, fact: Fact) -> None:
        s = self.state
        found = self._facts_model.conflicts_of(fact)
        self.conflicts_label.setText(f"<b>Conflicts</b> ({len(found)})")
        if not found:
            self.conflicts.setHtml(
                f'<p style="color:{s.theme.muted}">The versions carrying this fact agree '
                "(no differing numbers, dates, names, quotes or attributions found).</p>"
            )
            return
        warn = status_colour("wrong", s).name()
        parts = []
        for c in found:
            chips = " ".join(self._chip(d) for d in c.docs)
            words = "<br>".join(
                f"{self._chip(d)} {html.escape(w)}" for d, w in c.words.items() if w
            )
            parts.append(
                f'<p><span style="color:{warn}"><b>{CONFLICT_GLYPH} '
                f"{html.escape(CONFLICT_LABELS.get(c.kind, c.kind))}</b></span> {chips}<br>"
                f"{html.escape(c.message)}<br>{words}</p>"
            )
        self.conflicts.setHtml("".join(parts))

    def _chip(self, doc_id: str) -> str:
        number = self.state.number(doc_id)
        colour = version_colour(number)
        return (
            f'<span style="background:{colour.name()};color:{contrast_text(colour).name()}">'
            f"&nbsp;{version_marker(number)}&nbsp;</span>"
        )

    # -- signals from outside -------------------------------------------------------
    def _on_controller_current_changed(self, fact_id: str) -> None:
        self.show_fact(fact_id)

    def _on_state_facts_changed(self, fact_id: str) -> None:
        if not self._fact_id or (fact_id and fact_id != self._fact_id):
            return
        fact = self.fact()
        if fact is None:
            self.show_fact("")
        else:
            self._load(fact)

    def _on_state_set_changed(self) -> None:
        self._fill_origins()
        self.show_fact(self._fact_id if self.fact() is not None else "")

    def _on_state_theme_changed(self) -> None:
        fact = self.fact()
        if fact is not None:
            self._load(fact)

    # -- edits -------------------------------------------------------------------
    def _on_status_activated(self, _index: int) -> None:
        status = self.status.currentData()
        if self._fact_id and status:
            self.controller.edit(
                self._fact_id, f"Mark {self._fact_id} {_status_words(status)}", status=status
            )

    def _on_origin_activated(self, _index: int) -> None:
        if self._fact_id:
            doc = self.origin.currentData() or ""
            self.controller.edit(self._fact_id, f"Set origin of {self._fact_id}", origin=doc)

    def _on_tags_editing_finished(self) -> None:
        if self._fact_id and not self._loading:
            self.controller.edit(
                self._fact_id, f"Tag {self._fact_id}", tags=parse_tags(self.tags.text())
            )

    def _on_statement_text_changed(self) -> None:
        if not self._loading and self._fact_id:
            self._pending.add("statement")
            self._timer.start()

    def _on_note_text_changed(self) -> None:
        if not self._loading and self._fact_id:
            self._pending.add("note")
            self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched in (self.statement, self.note):
            self.flush()
        return super().eventFilter(watched, event)

    def _on_timer_timeout(self) -> None:
        self.flush()

    def _on_controller_flush_requested(self) -> None:
        self.flush()

    def flush(self) -> None:
        """Save typed text that is still waiting for the typing pause."""
        self._timer.stop()
        pending, self._pending = self._pending, set()
        if not self._fact_id or not pending:
            return
        if "statement" in pending:
            self.controller.edit(
                self._fact_id,
                f"Edit statement of {self._fact_id}",
                merge=True,
                statement=self.statement.toPlainText().strip(),
            )
        if "note" in pending:
            self.controller.edit(
                self._fact_id,
                f"Edit note of {self._fact_id}",
                merge=True,
                note=self.note.toPlainText(),
            )

    # -- anchors -----------------------------------------------------------------
    def _selected_anchor(self) -> int:
        index = self.anchors.currentIndex()
        return index.row() if index.isValid() else -1

    def _on_anchors_current_row_changed(self, *_args: object) -> None:
        self._update_anchor_buttons()

    def _update_anchor_buttons(self) -> None:
        anchor = self.anchors_model.anchor(self._selected_anchor())
        self.confirm_button.setEnabled(anchor is not None and not anchor.orphaned)
        self.confirm_button.setText(
            "Unconfirm" if anchor is not None and anchor.confirmed else "Confirm"
        )
        self.remove_button.setEnabled(anchor is not None)
        total = self.anchors_model.rowCount()
        kept = sum(1 for r in range(total) if (a := self.anchors_model.anchor(r)) and a.confirmed)
        self.passages_label.setText(f"<b>Passages</b> {kept}/{total} ✔")
        self.passages_label.setToolTip(f"{kept} of {total} passages confirmed by you")

    def confirm_anchor(self, row: int, confirmed: bool = True) -> None:
        fact = self.fact()
        if fact is None or not 0 <= row < len(fact.anchors):
            return
        what = "Confirm" if confirmed else "Unconfirm"
        marker = version_marker(self.state.number(fact.anchors[row].doc))
        self.controller.replace(
            fact.id, with_anchor_confirmed(fact, row, confirmed), f"{what} {marker} in {fact.id}"
        )

    def remove_anchor(self, row: int) -> None:
        fact = self.fact()
        if fact is None or not 0 <= row < len(fact.anchors):
            return
        marker = version_marker(self.state.number(fact.anchors[row].doc))
        self.controller.replace(
            fact.id, without_anchor(fact, row), f"Remove {marker} from {fact.id}"
        )

    def _on_confirm_clicked(self) -> None:
        row = self._selected_anchor()
        anchor = self.anchors_model.anchor(row)
        if anchor is not None:
            self.confirm_anchor(row, not anchor.confirmed)

    def _on_remove_clicked(self) -> None:
        self.remove_anchor(self._selected_anchor())

    def _on_anchor_clicked(self, index: QModelIndex) -> None:
        anchor = self.anchors_model.anchor(index.row())
        if anchor is None:
            return
        if anchor.orphaned:
            self.controller.notifier.show_status(
                "This passage is orphaned: its text is gone from the re-imported version.", 6000
            )
            return
        self.controller.show_spans(index.data(SPANS_ROLE) or [], [anchor.passage])

    def _on_show_clicked(self) -> None:
        if self._fact_id:
            self.controller.show_fact(self._fact_id)

    def _on_delete_clicked(self) -> None:
        if self._fact_id:
            self.controller.delete(self._fact_id)


def _status_words(status: str) -> str:
    return status.replace("_", " ")


class FactPanelDock(QDockWidget):
    """The fact panel in its own dock."""

    def sizeHint(self) -> QSize:
        return QSize(560, 300)

    def __init__(self, panel: FactPanel, parent: QWidget | None = None) -> None:
        super().__init__("Fact", parent)
        self.setObjectName("fact_dock")
        self.setWidget(panel)
        self.panel = panel
