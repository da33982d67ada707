"""Word-level diffs: they rebuild both texts and mark whole words."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from factdesk.core import diff


def _sides(runs) -> tuple[str, str]:
    a = "".join(text for op, text in runs if op <= 0)
    b = "".join(text for op, text in runs if op >= 0)
    return a, b


@given(st.text(max_size=300), st.text(max_size=300))
def test_word_diff_rebuilds_both_texts(a: str, b: str) -> None:
    assert _sides(diff.word_diff(a, b)) == (a, b)


def test_word_diff_marks_whole_changed_words() -> None:
    runs = diff.word_diff(
        "Some 2,500 troops remain in the country.", "Some 2,600 troops remain in the country."
    )
    changed = [text for op, text in runs if op != 0]
    assert changed == ["2,500", "2,600"]


def test_word_diff_of_identical_text_is_one_equal_run() -> None:
    text = "The Pentagon said the strike was proportionate."
    assert diff.word_diff(text, text) == ((0, text),)


def test_oversized_input_is_one_replaced_block() -> None:
    a = "word " * (diff.MAX_DIFF_CHARS // 4)
    b = a + "extra"
    assert diff.word_diff(a, b) == ((-1, a), (1, b))


def test_pure_python_and_fast_builds_agree() -> None:
    a = "Prime Minister al-Sudani pledged to launch a process to expel the coalition."
    b = "Prime Minister al-Soudani promised to start a process expelling coalition forces."
    fast = diff.char_diff(a, b)
    saved, diff._fast = diff._fast, None
    try:
        slow = diff.char_diff(a, b)
    finally:
        diff._fast = saved
    assert fast == slow


def test_shared_ordered_counts_common_subsequence_tokens() -> None:
    assert diff.shared_ordered(["a", "b", "c", "d"], ["a", "x", "c", "d"]) == 3
    assert diff.shared_ordered([], ["a"]) == 0
