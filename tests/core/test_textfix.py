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


# --------------------------------------------------------------------------- wire copy


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (
            "\x19 A former council leader was\njailed for two years today.<",
            "A former council leader was jailed for two years today.",
        ),
        ("\x14 Pryce will appear on\nFebruary 24. <", "Pryce will appear on February 24."),
        ("\x19\x14   Soap star quits.  <", "Soap star quits."),
        (
            "He said: ``You betrayed the trust of the people who\nelected you.''<",
            "He said: “You betrayed the trust of the people who elected you.”",
        ),
        (
            "BOGUS WATERMAN `PREYED ON ELDERLY', JURY TOLD",
            "BOGUS WATERMAN ‘PREYED ON ELDERLY’, JURY TOLD",
        ),
        ("`Soap star's fury,' he said", "‘Soap star's fury,’ he said"),
        ("He said: ``It was `awful'.''", "He said: “It was ‘awful’.”"),
        ("today.<\x19 Derek Walsh, 58, admitted it.<", "today. Derek Walsh, 58, admitted it."),
        ("a word\x19between", "a word between"),
    ],
)
def test_repair_drops_wire_furniture_and_joins_hard_wraps(raw: str, shown: str) -> None:
    assert repair(raw) == shown
    assert repair_span(f"x\n{raw}\ny", 2, 2 + len(raw)) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("if a < b then", "if a < b then"),
        ("a <\nb", "a < b"),  # a wrap after "<" between words: the sign stays
        ("the arrow <- and x <= y", "the arrow <- and x <= y"),
        ("code ```block``` stays", "code ```block``` stays"),
        ("it's the Joneses' car", "it's the Joneses' car"),
        ("Line one\n\nLine two", "Line one\n\nLine two"),
    ],
)
def test_repair_keeps_less_than_signs_apostrophes_and_blank_lines(raw: str, shown: str) -> None:
    assert repair(raw) == shown


def test_hard_wraps_are_joined_only_inside_a_span() -> None:
    assert repair("was\njailed") == "was jailed"
    assert repair("was\n  jailed today.") == "was jailed today."
    assert repair("Headline\nBody line.\n") == "Headline\nBody line.\n"  # a block keeps its lines
    assert repair("One.\n\nTwo.") == "One.\n\nTwo."


_WIRE_WORDS = st.sampled_from(
    ["council", "leader", "£40,000", "jailed", "Whitby,", "58,", "Crown", "Court", "it's", "—"]
)


@given(
    st.lists(_WIRE_WORDS, min_size=1, max_size=40),
    st.integers(min_value=10, max_value=80),
    st.sampled_from(["\x19 ", "\x14", "  \x19\x14   ", "\x1c "]),
    st.sampled_from(["<", " <", ""]),
    st.booleans(),
)
def test_repair_of_any_wrapped_wire_paragraph_is_the_paragraph(
    words: list[str], width: int, mark: str, end: str, quoted: bool
) -> None:
    import textwrap

    body = " ".join(words) + "."
    raw_body, shown = (f"``{body}''", f"“{body}”") if quoted else (body, body)
    raw = "\n".join(textwrap.wrap(raw_body, width=width, break_long_words=False)) + end
    assert repair((mark + raw).strip()) == shown
