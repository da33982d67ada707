"""How versions are named (Documents dock) and what Counterparts shows of each."""

from __future__ import annotations

import copy

from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QStyleOptionViewItem, QTextBrowser

from factdesk.core.model import ArticleSet, Document
from factdesk.core.textfix import repair
from factdesk.ui.index import SetIndex
from factdesk.ui.main_window import MainWindow
from factdesk.ui.models import DETAILS_ROLE, DocumentsModel

LOAD_TIMEOUT = 120_000


def _two_sentence_cell(index: SetIndex) -> tuple[str, str, list[str]]:
    """(passage, version, that version's sentences in the passage's row) for a row
    where another version has at least two sentences."""
    for row in index.rows:
        wide = [d for d, pids in row.cells.items() if len(pids) >= 2]
        single = [d for d, pids in row.cells.items() if len(pids) == 1]
        if wide and single and not row.boilerplate:
            return row.cells[single[0]][0], wide[0], row.cells[wide[0]]
    raise AssertionError("no row with a two-sentence cell")


# --------------------------------------------------------------------------- titles


def test_a_version_is_named_by_its_headline_source_and_date(sample_set: ArticleSet) -> None:
    index = SetIndex(sample_set)
    for doc in sample_set.documents:
        title = index.version_title(doc.id)
        if doc.title.strip():
            assert title.headline == " ".join(repair(doc.title).split())
            assert not title.from_lead
        else:  # the first sentence stands in, shortened at a word
            lead = next(p for p in index.by_doc[doc.id] if not p.boilerplate)
            assert title.from_lead
            assert index.display_text(lead.id).startswith(title.headline.rstrip("…"))
            assert len(title.headline) <= 110
        assert doc.name not in title.label()
    afp = next(d for d in sample_set.documents if d.byline)
    details = index.version_title(afp.id).details()
    assert afp.byline in details and afp.date in details


def test_a_version_without_title_or_text_is_named_by_its_file() -> None:
    article_set = ArticleSet(
        documents=[Document(id="d0", path="/x/empty.txt", name="empty.txt", text="")]
    )
    title = SetIndex(article_set).version_title("d0")
    assert (title.headline, title.from_lead, title.details()) == ("empty.txt", False, "")


def test_the_documents_dock_shows_titles_and_keeps_file_names_for_the_tooltip(
    sample_window: MainWindow,
) -> None:
    docs = sample_window.documents
    model = docs.documents_model
    index = sample_window.state.index
    for column in (DocumentsModel.NAME, DocumentsModel.TITLE):
        assert docs.isColumnHidden(column)
    assert not docs.isColumnHidden(DocumentsModel.VERSION)
    width = docs.columnWidth(DocumentsModel.VERSION)
    assert width >= 150
    for row, doc_id in enumerate(sample_window.state.order):
        doc = index.docs[doc_id]
        cell = model.index(row, DocumentsModel.VERSION)
        title = index.version_title(doc_id)
        assert cell.data() == title.headline
        assert cell.data(DETAILS_ROLE) == title.details()
        assert doc.name in cell.data(Qt.ItemDataRole.ToolTipRole)
        font = cell.data(Qt.ItemDataRole.FontRole)
        assert isinstance(font, QFont) and font.italic() == title.from_lead
        # the headline wraps over the lines the row has, not cut at one line
        lines = docs.version_delegate.headline_lines(title.headline, font, width - 10)
        assert len(lines) <= docs.version_delegate.LINES
        if len(title.headline) <= 60:
            assert " ".join(lines) == title.headline
        option = QStyleOptionViewItem()
        option.initFrom(docs)
        option.font = docs.font()
        option.rect = QRect(0, 0, width, 24)
        assert docs.rowHeight(row) >= docs.version_delegate.sizeHint(option, cell).height()


def test_more_columns_come_back_from_the_header_menu(sample_window: MainWindow) -> None:
    docs = sample_window.documents
    assert docs.isColumnHidden(DocumentsModel.DERIVATION)
    before = docs.columnWidth(DocumentsModel.VERSION)
    docs.show_column(DocumentsModel.WORDS, True)
    assert not docs.isColumnHidden(DocumentsModel.WORDS)
    assert docs.columnWidth(DocumentsModel.VERSION) < before  # the titles make room


# --------------------------------------------------------------------------- counterparts


def test_counterpart_cells_hold_every_sentence_of_a_version_in_the_row(
    sample_set: ArticleSet,
) -> None:
    index = SetIndex(sample_set)
    passage, wide, sentences = _two_sentence_cell(index)
    cells = {c.doc: c for c in index.counterpart_cells(passage)}
    assert [p.id for p in cells[wide].passages] == sentences
    assert cells[wide].text == " ".join(index.display_text(p) for p in sentences)
    per_passage = {c.passage.id for c in index.counterparts(passage)}
    assert {p.id for c in cells.values() for p in c.passages} == per_passage


def _unstruck_paragraphs(browser: QTextBrowser) -> list[str]:
    """The browser's paragraphs without struck-out words (those a version lacks)."""
    paragraphs = []
    block = browser.document().begin()
    while block.isValid():
        parts = []
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if not fragment.charFormat().fontStrikeOut():
                parts.append(fragment.text())
            it += 1
        paragraphs.append(" ".join("".join(parts).split()))
        block = block.next()
    return paragraphs


def test_counterparts_show_the_whole_two_sentence_cell(qtbot, sample_window: MainWindow) -> None:
    win = sample_window
    index = win.state.index
    passage, wide, sentences = _two_sentence_cell(index)
    with qtbot.waitSignal(win.state.passage_activated, timeout=5000):
        win.state.activate_passage(passage)
    # one entry for the version, whose paragraph holds all of its sentences in the row
    assert win.counterparts.toPlainText().count(index.docs[wide].name) == 1
    wanted = [" ".join(index.display_text(pid).split()) for pid in sentences]
    assert any(all(w in p for w in wanted) for p in _unstruck_paragraphs(win.counterparts))
    numbers = sorted(index.passages[p].index + 1 for p in sentences)
    assert f"sentences {numbers[0]}" in win.counterparts.toPlainText()
    assert set(sentences) <= set(win.counterparts.shown_counterparts)


def test_unlink_in_counterparts_detaches_the_passage_from_the_whole_cell(
    qtbot, window: MainWindow, sample_set: ArticleSet
) -> None:
    window.set_article_set(copy.deepcopy(sample_set))
    index = window.state.index
    passage, _wide, sentences = _two_sentence_cell(index)
    window.state.activate_passage(passage)
    url = f"unlink:{passage}|{','.join(sentences)}"
    assert url in window.counterparts.toHtml()
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.counterparts.anchorClicked.emit(QUrl(url))
    assert window.undo_stack.count() == 1
    forbidden = {tuple(sorted(p)) for p in window.state.article_set.corrections.forbidden_links}
    assert {tuple(sorted((passage, s))) for s in sentences} <= forbidden
    row = window.state.index.row_of[passage]
    assert not any(s in row.cells.get(window.state.index.passages[s].doc, []) for s in sentences)
