"""Repairs of broken characters for display and matching."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factdesk.core.textfix import repair, repair_span


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Iraqâ€™s forces", "Iraq’s forces"),
        ("the cafÃ© was â€œclosedâ€\x9d", "the café was “closed”"),
        ("MÃ¼nchen and ZÃ¼rich", "München and Zürich"),
    ],
)
def test_repair_fixes_mojibake(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("allied to #x27;Iran and", "allied to 'Iran and"),
        ("it#39;s late", "it's late"),
        ("the minister#8217;s office", "the minister’s office"),
        ("caf#233; au lait", "café au lait"),
        ("Tom &amp; Jerry", "Tom & Jerry"),
        ("he said &quot;no&quot;", 'he said "no"'),
        ("it&#x27;s &#39;here&#39;", "it's 'here'"),
        ("double &amp;#39;escaped&amp;#39;", "double 'escaped'"),
    ],
)
def test_repair_decodes_entities_with_and_without_ampersand(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


@pytest.mark.parametrize(
    "clean",
    [
        "AT&T and R&D grew",
        "we are #1; they are #2024; fine",
        "if x < y and y > z",
        "Tom & Jerry; #hashtag",
    ],
)
def test_repair_leaves_lookalikes_of_entities_and_markup_alone(clean: str) -> None:
    assert repair(clean) == clean


def test_repair_turns_right_double_quote_between_letters_into_apostrophe() -> None:
    assert repair("Iraq”s government and Spain”s PM") == "Iraq’s government and Spain’s PM"
    assert repair("they don”t know") == "they don’t know"


def test_repair_keeps_closing_quotes_that_are_quotes() -> None:
    text = "he called it “terrorist acts.”They disagreed, saying “no”."
    assert repair(text) == text


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("in Baghdad. /p>", "in Baghdad."),
        ("in Baghdad. /p>\n\nNext paragraph", "in Baghdad.\n\nNext paragraph"),
        ("in Baghdad.<p>Next one", "in Baghdad. Next one"),
        ("a <b>bold</b> move", "a bold move"),
        ("ends here.</p>", "ends here."),
        ('<a href="https://x.example/">Link</a> text', "Link text"),
    ],
)
def test_repair_removes_stray_markup(broken: str, fixed: str) -> None:
    assert repair(broken) == fixed


def test_repair_keeps_typography_as_written() -> None:
    text = "He said “we’re leaving” – the café… ﬁnal ＡＢ e\u0301"
    assert repair(text) == text


def test_repair_span_repairs_only_the_span() -> None:
    text = "First one. Iraqâ€™s second. Third."
    start = text.index("Iraq")
    end = text.index(" Third")
    assert repair_span(text, start, end) == "Iraq’s second."


_CLEAN_WORDS = st.sampled_from(
    [
        "the",
        "Iraq’s",
        "government",
        "said",
        "on",
        "Friday",
        "café",
        "Zürich",
        "São",
        "Paulo",
        "naïve",
        "Ærø",
        "€5",
        "£10",
        "“quoted”",
        "‘single’",
        "—",
        "–",
        "…",
        "(AP)",
        "U.S.-led",
        "2,500",
        "45%",
        "Москва",
        "Ελλάδα",
        "東京",
        "don’t",
        "x/y",
        "A&B",
        "e.g.",
        "Straße",
        "Łódź",
        "İstanbul",
        "señor",
        "1.5",
        "#tag",
    ]
)
_SEPARATORS = st.sampled_from([" ", ", ", ". ", "\n", "\n\n", "; ", ": "])


@given(st.lists(st.tuples(_CLEAN_WORDS, _SEPARATORS), max_size=40))
def test_repair_returns_clean_text_unchanged(parts: list[tuple[str, str]]) -> None:
    text = "".join(word + sep for word, sep in parts)
    assert repair(text) == text


@given(st.text(max_size=200))
def test_repair_never_raises(text: str) -> None:
    assert isinstance(repair(text), str)
