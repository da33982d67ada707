"""Selections in the reader map to the exact raw text, through repairs and astral characters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QTextCursor

from factdesk.core.model import ArticleSet
from factdesk.core.pipeline import analyse
from factdesk.core.textfix import repair

# Mojibake (UTF-8 read as cp1252) and emoji, which Qt counts as two positions each.
RAW = (
    "The aide said Iraq\u00e2\u20ac\u2122s army \u00e2\u20ac\u0153would leave the "
    "caf\u00c3\u00a9 base by Friday. \U0001f600\U0001f600 Officials confirmed 2,500 troops "
    "remained near the caf\u00c3\u00a9.\n"
)
CLEAN = (
    "The aide said Iraq's army would leave the cafe base by Friday. "
    "Officials confirmed 2,500 troops remained near the cafe.\n"
)
# (words as displayed, the same words in the raw text)
WORDS = [
    ("Iraq\u2019s army \u201cwould", "Iraq\u00e2\u20ac\u2122s army \u00e2\u20ac\u0153would"),
    ("caf\u00e9 base", "caf\u00c3\u00a9 base"),
    ("\U0001f600\U0001f600 Officials", "\U0001f600\U0001f600 Officials"),
    ("2,500 troops", "2,500 troops"),
    ("near the caf\u00e9.", "near the caf\u00c3\u00a9."),
]


@pytest.fixture
def damaged_set(tmp_path: Path) -> ArticleSet:
    (tmp_path / "a.txt").write_text(RAW, encoding="utf-8")
    (tmp_path / "b.txt").write_text(CLEAN, encoding="utf-8")
    return analyse([tmp_path])


def _qt_pos(text: str, index: int) -> int:
    """Qt position (UTF-16 units) of a Python string index."""
    return len(text[:index].encode("utf-16-le")) // 2


def test_the_sample_text_really_is_repaired_for_display() -> None:
    assert repair(RAW) != RAW
    assert all(shown in repair(RAW) and raw in RAW for shown, raw in WORDS)


@pytest.mark.parametrize(("shown", "raw"), WORDS)
def test_selecting_repaired_words_quotes_the_raw_words(
    window, damaged_set: ArticleSet, shown: str, raw: str
) -> None:  # type: ignore[no-untyped-def]
    window.set_article_set(damaged_set)
    window.state.set_focus("d0")
    reader = window.reader
    text = reader.document().toPlainText()
    i = text.index(shown)
    cursor = reader.textCursor()
    cursor.setPosition(_qt_pos(text, i))
    cursor.setPosition(_qt_pos(text, i + len(shown)), QTextCursor.MoveMode.KeepAnchor)
    reader.setTextCursor(cursor)
    assert cursor.selectedText() == shown
    doc, start, end = window.facts.selection_for_new_fact()
    assert doc == "d0"
    assert damaged_set.document("d0").text[start:end] == raw


@pytest.mark.parametrize(("shown", "raw"), WORDS)
def test_a_raw_span_highlights_the_repaired_words(
    window, damaged_set: ArticleSet, shown: str, raw: str
) -> None:  # type: ignore[no-untyped-def]
    window.set_article_set(damaged_set)
    window.state.set_focus("d0")
    reader = window.reader
    text = reader.document().toPlainText()
    start = damaged_set.document("d0").text.index(raw)
    i = text.index(shown)
    assert reader.qt_position(start) == _qt_pos(text, i)
    assert reader.qt_position(start + len(raw)) == _qt_pos(text, i + len(shown))
