"""Sentence splitting, paragraphs, page furniture and off-topic flagging."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk.core.model import Document, Passage
from factdesk.core.segment import flag_off_topic, is_wire_copy, segment_document, split_sentences
from factdesk.core.textfix import repair

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def sentences(text: str, **kwargs: int) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, **kwargs)]


def make_doc(text: str, doc_id: str = "d0") -> Document:
    return Document(id=doc_id, path=f"{doc_id}.txt", name=f"{doc_id}.txt", text=text)


def flagged(doc: Document) -> dict[str, str]:
    """Text of every passage mapped to its boilerplate reason ("" for story text)."""
    _, passages = segment_document(doc)
    return {doc.text[p.start : p.end]: p.boilerplate_reason for p in passages}


def check_invariants(text: str, paragraphs: list, passages: list[Passage]) -> None:
    last_end = 0
    for i, p in enumerate(passages):
        chunk = text[p.start : p.end]
        assert 0 <= p.start < p.end <= len(text)
        assert chunk == chunk.strip() and chunk.strip()
        assert p.start >= last_end, "passages overlap or are out of order"
        last_end = p.end
        assert p.index == i and p.id.endswith(f".s{i}")
        para = paragraphs[p.paragraph]
        assert para.start <= p.start and p.end <= para.end
        assert p.boilerplate == bool(p.boilerplate_reason)
    for i, para in enumerate(paragraphs):
        assert para.index == i and para.id.endswith(f".p{i}")
        assert text[para.start : para.end].strip() == text[para.start : para.end]
        assert any(p.paragraph == i for p in passages), "paragraph without a sentence"
        if i:
            assert paragraphs[i - 1].end <= para.start


# ---------------------------------------------------------------------------
# Sentence splitting


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Press secretary Maj. Gen. Pat Ryder defended the strike. He said more.",
            ["Press secretary Maj. Gen. Pat Ryder defended the strike.", "He said more."],
        ),
        (
            "On Friday, Mr. Soudani affirmed his position. Dr. Smith agreed.",
            ["On Friday, Mr. Soudani affirmed his position.", "Dr. Smith agreed."],
        ),
        (
            "Gov. Jane Roe met Sen. John Doe and Lt. Col. Ann Lee at St. Mary's. They prayed.",
            ["Gov. Jane Roe met Sen. John Doe and Lt. Col. Ann Lee at St. Mary's.", "They prayed."],
        ),
        (
            "Martin Luther King Jr. Day is a holiday. Shares of Acme Corp. rose sharply.",
            ["Martin Luther King Jr. Day is a holiday.", "Shares of Acme Corp. rose sharply."],
        ),
        (
            "France vs. Germany was a draw. Fruit, e.g. apples, i.e. red ones, etc. are sold.",
            ["France vs. Germany was a draw.", "Fruit, e.g. apples, i.e. red ones, etc. are sold."],
        ),
    ],
)
def test_sentence_split_keeps_titles_and_abbreviations_together(
    text: str, expected: list[str]
) -> None:
    assert sentences(text) == expected


def test_sentence_split_keeps_initials_with_the_name() -> None:
    text = "J. R. R. Tolkien wrote books. George W. Bush was president."
    assert sentences(text) == ["J. R. R. Tolkien wrote books.", "George W. Bush was president."]


def test_sentence_split_handles_dotted_acronyms() -> None:
    text = (
        "U.S.-led forces and U.S. forces entered the city. The U.K. agreed. "
        "Troops left the U.S. The president said nothing. He met U.S. President Joe Biden."
    )
    assert sentences(text) == [
        "U.S.-led forces and U.S. forces entered the city.",
        "The U.K. agreed.",
        "Troops left the U.S.",
        "The president said nothing.",
        "He met U.S. President Joe Biden.",
    ]


def test_sentence_split_ends_after_abbreviation_before_a_common_starter() -> None:
    text = (
        "Apples, pears etc. The market closed. It happened at 5 p.m. The police came at 6 p.m. ET."
    )
    assert sentences(text) == [
        "Apples, pears etc.",
        "The market closed.",
        "It happened at 5 p.m.",
        "The police came at 6 p.m. ET.",
    ]


def test_sentence_split_keeps_month_abbreviations_with_the_day() -> None:
    text = "On Jan. 4 the strike hit. The attacks of Sept. 11 changed everything."
    assert sentences(text) == [
        "On Jan. 4 the strike hit.",
        "The attacks of Sept. 11 changed everything.",
    ]


def test_sentence_split_keeps_decimals_and_numbered_references() -> None:
    text = (
        "The rate stayed at 5.8% in December. No. 10 said 3.5 million people were hit (see p. 5)."
    )
    assert sentences(text) == [
        "The rate stayed at 5.8% in December.",
        "No. 10 said 3.5 million people were hit (see p. 5).",
    ]


def test_sentence_split_cuts_after_closing_quote() -> None:
    text = "Al-Sudani promised to “start the dialogue for the end of this presence.” He said more."
    assert sentences(text) == [
        "Al-Sudani promised to “start the dialogue for the end of this presence.”",
        "He said more.",
    ]


def test_sentence_split_keeps_lowercase_continuation_after_question_in_quotes() -> None:
    text = "“Why?” he asked. He shouted “Stop!” Then he left. The ad said: 'Buy now.' Nobody did."
    assert sentences(text) == [
        "“Why?” he asked.",
        "He shouted “Stop!”",
        "Then he left.",
        "The ad said: 'Buy now.'",
        "Nobody did.",
    ]


def test_sentence_split_on_question_exclamation_and_ellipsis() -> None:
    assert sentences("Is it over? Yes! Wait... Then it began. Or… Not.") == [
        "Is it over?",
        "Yes!",
        "Wait...",
        "Then it began.",
        "Or…",
        "Not.",
    ]


def test_sentence_split_does_not_cut_lowercase_continuation_after_abbreviation() -> None:
    assert sentences("Costs rose approx. ten percent in the U.S. last year, Inc. said.") == [
        "Costs rose approx. ten percent in the U.S. last year, Inc. said."
    ]


def test_headline_line_without_full_stop_is_its_own_sentence() -> None:
    text = "Iraq wants an end to the coalition\nThe prime minister said so on Friday."
    assert sentences(text) == [
        "Iraq wants an end to the coalition",
        "The prime minister said so on Friday.",
    ]


def test_sentence_split_handles_french_german_and_spanish_conventions() -> None:
    assert sentences("« Nous restons ici, a-t-il dit. » Il est parti. M. Macron a parlé.") == [
        "« Nous restons ici, a-t-il dit. »",
        "Il est parti.",
        "M. Macron a parlé.",
    ]
    assert sentences("Am 4. Januar griff die Armee an. Die Regierung schwieg z.B. am Montag.") == [
        "Am 4. Januar griff die Armee an.",
        "Die Regierung schwieg z.B. am Montag.",
    ]
    assert sentences("¿Qué pasó? El Sr. García no respondió. ¡Nadie sabe!") == [
        "¿Qué pasó?",
        "El Sr. García no respondió.",
        "¡Nadie sabe!",
    ]


def test_sentence_split_repairs_a_lost_space_and_keeps_list_markers() -> None:
    assert sentences("the end of the talks.The next day was calm.") == [
        "the end of the talks.",
        "The next day was calm.",
    ]
    assert sentences("1. Introduction of the plan") == ["1. Introduction of the plan"]
    assert sentences("今天下雨。明天晴天。") == ["今天下雨。", "明天晴天。"]


def test_sentence_split_attaches_markup_scraps_to_the_sentence() -> None:
    assert sentences("The strike killed a leader in Baghdad. /p>") == [
        "The strike killed a leader in Baghdad. /p>"
    ]


def test_hard_wrapped_prose_is_not_cut_at_line_ends() -> None:
    text = (
        "The Iraqi government has announced its intent to establish a committee\n"
        "tasked with orchestrating the conclusion of the international coalition\n"
        "presence within the nation, as conveyed by the office of the prime\n"
        "minister on Friday. The committee will include military representatives\n"
        "from the coalition, as confirmed by a government official in Baghdad."
    )
    got = sentences(text)
    assert len(got) == 2
    assert got[0].endswith("on Friday.") and got[1].startswith("The committee")


#: Two sentences in one line, for scripts with their own full stop or question mark.
_SCRIPT_PAIRS = {
    "arabic question": ("هل قال ذلك؟", "نعم قال."),
    "urdu": ("یہ پہلا جملہ ہے۔", "یہ دوسرا جملہ ہے۔"),
    "hindi": ("यह पहला वाक्य है।", "यह दूसरा वाक्य है।"),
    "hindi double danda": ("यह पहला वाक्य है॥", "यह दूसरा वाक्य है।"),
    "armenian": ("Նա եկավ։", "Հետո գնաց։"),
    "amharic": ("ሰላም ነው።", "እንዴት ነህ፧"),
    "chinese": ("他说了。", "她也说了！"),
    "chinese question": ("真的吗？", "是的。"),
    "japanese": ("東京都は２０２４年に発表した。", "次の計画は未定だ。"),
    "burmese": ("ဒါက ပထမ ဝါကျ ဖြစ်တယ်။", "ဒါက ဒုတိယ ဖြစ်တယ်။"),
    "khmer": ("នេះជាប្រយោគទីមួយ។", "នេះជាប្រយោគទីពីរ។"),
    "greek question": ("Πού είναι;", "Δεν ξέρω."),
    "greek question mark character": ("Πού είναι\u037e", "Δεν ξέρω."),
}


@pytest.mark.parametrize("pair", list(_SCRIPT_PAIRS.values()), ids=list(_SCRIPT_PAIRS))
def test_sentence_split_ends_at_the_full_stops_of_other_scripts(pair: tuple[str, str]) -> None:
    first, second = pair
    assert sentences(f"{first} {second}") == [first, second]


def test_sentence_split_cuts_cjk_arabic_and_danda_marks_without_a_space() -> None:
    assert sentences("他说：“我们不会离开。”然后他走了。") == [
        "他说：“我们不会离开。”",
        "然后他走了。",
    ]
    assert sentences("هل قال ذلك؟نعم قال.") == ["هل قال ذلك؟", "نعم قال."]
    assert sentences("यह पहला वाक्य है।यह दूसरा है।") == ["यह पहला वाक्य है।", "यह दूसरा है।"]


@pytest.mark.parametrize(
    "text",
    [
        "彼は「はい。」と言った。",  # a Japanese quote goes on with its particle
        "धर्म की जय हो ॥१॥",  # a verse number after a double danda
        "Ήρθε; ναι, ήρθε.",  # a Greek question goes on in lowercase
        "Use plan a; B is next in the list.",  # a Latin semicolon is never a question mark
        "He asked the λόγος; Then he left.",  # nor after a Greek word before Latin text
        "วันนี้ฝนตก พรุ่งนี้แดดออก",  # Thai has no sentence mark; spaces are not cut
        "Он спросил: «Почему?» — и ушёл.",  # the author's words after a dash go on
    ],
)
def test_sentence_split_keeps_continuations_in_other_scripts_together(text: str) -> None:
    assert sentences(text) == [text]


def test_sentence_split_handles_russian_abbreviations_and_initials() -> None:
    assert sentences("Встреча прошла в г. Москве. Потом он ушёл.") == [
        "Встреча прошла в г. Москве.",
        "Потом он ушёл.",
    ]
    assert sentences("Это случилось в 1945 г. В Москве было тихо.") == [
        "Это случилось в 1945 г.",
        "В Москве было тихо.",
    ]
    assert sentences("Президент В. В. Путин заявил об этом. Он уехал.") == [
        "Президент В. В. Путин заявил об этом.",
        "Он уехал.",
    ]
    assert sentences("Магазин на ул. Ленина открыт, т. е. работает. Проф. Иванов рад.") == [
        "Магазин на ул. Ленина открыт, т. е. работает.",
        "Проф. Иванов рад.",
    ]
    assert sentences("Привезли яблоки, груши и т. д. Потом все ушли.") == [
        "Привезли яблоки, груши и т. д.",
        "Потом все ушли.",
    ]
    assert sentences("Бюджет составил 5 млн. руб. в прошлом году. Это рекорд.") == [
        "Бюджет составил 5 млн. руб. в прошлом году.",
        "Это рекорд.",
    ]


def test_sentence_split_handles_arabic_with_latin_numbers_and_abbreviations() -> None:
    text = "قال د. محمد إن 2500 جندي في العراق. وأضاف أن القرار نهائي (2024). هل انتهى؟ نعم."
    assert sentences(text) == [
        "قال د. محمد إن 2500 جندي في العراق.",
        "وأضاف أن القرار نهائي (2024).",
        "هل انتهى؟",
        "نعم.",
    ]


def test_sentence_split_keeps_hindi_titles_with_the_name() -> None:
    assert sentences("डॉ. शर्मा ने कहा कि यह सही है। फिर वे चले गए।") == [
        "डॉ. शर्मा ने कहा कि यह सही है।",
        "फिर वे चले गए।",
    ]


# ---------------------------------------------------------------------------
# Properties on arbitrary text

_messy_text = st.text(
    alphabet=st.one_of(
        st.characters(),
        st.sampled_from(list(".!?…\"'“”‘’«»()[] \n\n\t\r\u00a0\u2028。abcXYZ0123456789-:;,")),
    ),
    max_size=400,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_messy_text)
def test_split_sentences_spans_are_exact_trimmed_and_ordered(text: str) -> None:
    last_end = 0
    for s, e in split_sentences(text):
        assert last_end <= s < e <= len(text)
        chunk = text[s:e]
        assert chunk == chunk.strip() and chunk
        last_end = e
    covered = {i for s, e in split_sentences(text) for i in range(s, e)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


#: Letters, digits and marks of several scripts with their sentence punctuation.
_world_text = st.text(
    alphabet=st.one_of(
        st.characters(
            min_codepoint=0x0400, max_codepoint=0x04FF, categories=("Lu", "Ll")
        ),  # Cyrillic
        st.characters(min_codepoint=0x0600, max_codepoint=0x06FF),  # Arabic
        st.characters(min_codepoint=0x0900, max_codepoint=0x097F),  # Devanagari
        st.characters(min_codepoint=0x0370, max_codepoint=0x03FF),  # Greek
        st.characters(min_codepoint=0x4E00, max_codepoint=0x4E80),  # CJK
        st.characters(min_codepoint=0x3040, max_codepoint=0x30FF),  # kana
        st.sampled_from(list("。！？｡؟۔।॥։።፧။។;\u037e.?!«»“”「」』— \n0123456789")),
    ),
    max_size=300,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_world_text)
def test_split_sentences_spans_are_exact_for_non_latin_text(text: str) -> None:
    last_end = 0
    spans = split_sentences(text)
    for s, e in spans:
        assert last_end <= s < e <= len(text)
        chunk = text[s:e]
        assert chunk == chunk.strip() and chunk
        last_end = e
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)


#: Sentences that end in a mark of their own script; a Greek ";" is left out because
#: it ends a sentence only before another Greek one.
_SCRIPT_SENTENCES = [
    s for name, pair in _SCRIPT_PAIRS.items() if name != "greek question" for s in pair
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(_SCRIPT_SENTENCES), min_size=1))
def test_sentences_of_any_script_joined_by_spaces_split_back_apart(parts: list[str]) -> None:
    assert sentences(" ".join(parts)) == parts


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), _messy_text, _world_text))
def test_segment_document_passages_match_text_for_any_input(text: str) -> None:
    doc = make_doc(text)
    paragraphs, passages = segment_document(doc)
    check_invariants(text, paragraphs, passages)
    non_space = sum(1 for c in text if not c.isspace())
    assert sum(len(text[p.start : p.end]) for p in passages) >= non_space
    flag_off_topic([doc], passages)
    check_invariants(text, paragraphs, passages)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Share this news",
                "The U.S. strike hit Baghdad on Jan. 4.",
                "Mr. Soudani spoke. He left.",
                "",
                "   ",
                "date 2024-01-06 Headline here",
                "Open in full screen mode",
                "By admin",
                "(Archive photo)",
                "World",
                "PA 12:03 04/01/2024 page 3",
                "“We affirm our position,” he added.",
            ]
        ),
        max_size=25,
    )
)
def test_segment_document_invariants_hold_for_page_like_text(lines: list[str]) -> None:
    text = "\n".join(lines)
    paragraphs, passages = segment_document(make_doc(text))
    check_invariants(text, paragraphs, passages)


# ---------------------------------------------------------------------------
# Paragraphs


def test_blank_lines_separate_paragraphs_and_keep_single_newlines_together() -> None:
    text = (
        "Headline of the story\n\nFirst paragraph of the story. It has two sentences.\n\n"
        "Second paragraph here.\n\nThird paragraph.\n\nShare this news\n0 Comments\nSubscribe"
    )
    doc = make_doc(text, "d3")
    paragraphs, passages = segment_document(doc)
    check_invariants(text, paragraphs, passages)
    assert [p.id for p in paragraphs] == [f"d3.p{i}" for i in range(5)]
    assert (
        text[paragraphs[-1].start : paragraphs[-1].end] == "Share this news\n0 Comments\nSubscribe"
    )
    assert [text[p.start : p.end] for p in passages if p.paragraph == 4] == [
        "Share this news",
        "0 Comments",
        "Subscribe",
    ]
    assert passages[0].id == "d3.s0" and passages[0].doc == "d3"


def test_one_line_per_paragraph_files_split_on_single_newlines() -> None:
    text = "Headline\nFirst paragraph. Two sentences.\nSecond paragraph.\nThird paragraph."
    paragraphs, passages = segment_document(make_doc(text))
    assert [text[p.start : p.end] for p in paragraphs] == text.split("\n")
    assert [p.paragraph for p in passages] == [0, 1, 1, 2, 3]


def test_hard_wrapped_document_keeps_paragraphs_and_sentences_across_lines() -> None:
    para = (
        "The Iraqi government has announced its intent to establish a committee\n"
        "tasked with orchestrating the conclusion of the international coalition\n"
        "presence within the nation, as conveyed by the office of the prime\n"
        "minister on Friday. The committee will include military representatives\n"
        "from the coalition, as confirmed by a government official in Baghdad."
    )
    text = f"Iraq plans coalition exit\n\n{para}\n\n{para}"
    paragraphs, passages = segment_document(make_doc(text))
    check_invariants(text, paragraphs, passages)
    assert len(paragraphs) == 3
    assert [p.paragraph for p in passages] == [0, 1, 1, 2, 2]


def test_furniture_lines_inside_wrapped_prose_are_judged_on_their_own() -> None:
    text = (
        "IRAQ WANTS COALITION OUT\n"
        "By John Smith\n"
        "Iraq's prime minister said on Friday that his government would begin\n"
        "the process of ending the presence of the U.S.-led coalition in the\n"
        "country, a day after a U.S. strike killed a militia leader in Baghdad.\n"
        "Advertisement\n"
        "The coalition has about 2,500 troops in Iraq and officials said that\n"
        "the talks would start soon, according to a statement from the office.\n"
    )
    paragraphs, passages = segment_document(make_doc(text))
    check_invariants(text, paragraphs, passages)
    got = [(text[p.start : p.end].split("\n")[0], p.boilerplate_reason) for p in passages]
    assert got == [
        ("IRAQ WANTS COALITION OUT", ""),
        ("By John Smith", "byline"),
        ("Iraq's prime minister said on Friday that his government would begin", ""),
        ("Advertisement", "advertisement"),
        ("The coalition has about 2,500 troops in Iraq and officials said that", ""),
    ]


# ---------------------------------------------------------------------------
# Page furniture

_BODY_1 = "Prime Minister Mohammed Shia al-Sudani pledged to end the coalition mission in Iraq."
_BODY_2 = "The Pentagon said the January 4 strike was a proportionate act of self-defense."


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Share this news", "share widget"),
        ("Share", "share widget"),
        ("Tweet", "share widget"),
        ("0 Comments", "share widget"),
        ("View all comments", "share widget"),
        ("Subscribe", "share widget"),
        ("Notify of", "share widget"),
        ("Newest Most Voted", "share widget"),
        ("Inline Feedbacks", "share widget"),
        ("Article Rating", "share widget"),
        ("0 0 votes", "share widget"),
        ("Leave a comment", "share widget"),
        ("Click to share on Twitter (Opens in new window)", "share widget"),
        ("guest", "share widget"),
        ("Oldest", "share widget"),
        ("Partager cet article", "share widget"),
        ("Open in full screen mode", "media chrome"),
        ("Watch video", "media chrome"),
        ("Loading", "media chrome"),
        ("Loading...", "media chrome"),
        ("02:31", "media chrome"),
        ("4 min read", "media chrome"),
        ("Image 3 of 12", "media chrome"),
        ("Iraqi Prime Minister in Berlin, January 13, 2023. (Archive photo)", "caption"),
        ("Protesters gather in Baghdad (Photo: Ahmed Saad/Reuters)", "caption"),
        ("Photo: Ahmed Saad", "caption"),
        ("Troops patrol the border. Getty Images", "caption"),
        ("AFP photo of the scene", "caption"),
        ("FILE PHOTO: Iraqi security forces in Baghdad", "caption"),
        ("Tuesday, January 4, 2024", "dateline"),
        ("2024-01-06", "dateline"),
        ("Published: 06/01/2024 12:03 GMT", "dateline"),
        ("Sun. Mar 3rd, 2024", "dateline"),
        ("Updated on March 3, 2024 at 10:15 a.m.", "dateline"),
        ("By admin", "byline"),
        ("By Jane Doe", "byline"),
        ("By Jane Doe, PA News", "byline"),
        ("By Jane Doe and John Smith | Reuters", "byline"),
        ("Agence France-Presse", "byline"),
        ("Reuters", "byline"),
        ("AFP", "byline"),
        ("(AP)", "byline"),
        ("Reporting by Jane Doe; Editing by John Smith", "byline"),
        ("Related Post", "related links"),
        ("Related Posts", "related links"),
        ("Read more", "related links"),
        ("READ MORE: Iraq says coalition exit talks will start soon", "related links"),
        ("Tags: Iraq, United States, coalition", "related links"),
        ("Lire aussi", "related links"),
        ("Advertisement", "advertisement"),
        ("Story continues below advertisement", "advertisement"),
        ("PA 12:03 04/01/2024 page 3", "slug line"),
        ("BC-IRAQ-US 450 words 12:03", "slug line"),
        ("ENDS", "slug line"),
        ("\x00\x01\x02", "control characters"),
        ("© 2024 Example Media. All rights reserved.", "copyright"),
    ],
)
def test_page_furniture_is_flagged_with_its_reason(line: str, reason: str) -> None:
    text = f"Iraq wants an end to the coalition\n\n{_BODY_1}\n\n{line}\n\n{_BODY_2}"
    got = flagged(make_doc(text))
    assert {t: r for t, r in got.items() if r} == dict.fromkeys(
        (t for t in got if t not in ("Iraq wants an end to the coalition", _BODY_1, _BODY_2)),
        reason,
    )
    assert got["Iraq wants an end to the coalition"] == ""
    assert got[_BODY_1] == "" and got[_BODY_2] == ""


@pytest.mark.parametrize(
    "line",
    [
        "Share prices fell sharply on Monday after the announcement.",
        "By Friday, officials had agreed to share the intelligence with allies.",
        "By then the coalition had withdrawn most of its 2,500 troops.",
        "The photo was taken in Baghdad shortly after the strike.",
        "He was shown a file photo of the suspect before the hearing.",
        "Related talks will resume in Baghdad next week.",
        "Read the full statement, the ministry told reporters on Friday.",
        "Reuters reported that at least two people were killed in the strike.",
        "January 4, 2024 was a turning point for the coalition.",
        "The US has about 2,500 troops in Iraq and 900 in Syria.",
        "Comments by the prime minister angered Washington.",
        "Members of parliament voted to expel foreign troops in 2020.",
        "Loading of the ships resumed on Tuesday, officials said.",
    ],
)
def test_news_sentences_with_furniture_words_are_not_flagged(line: str) -> None:
    text = f"Iraq wants an end to the coalition\n\n{_BODY_1}\n\n{line}\n\n{_BODY_2}"
    got = flagged(make_doc(text))
    assert not any(got.values()), got


def test_dateline_prefix_becomes_its_own_flagged_passage() -> None:
    text = " date 2024-01-06 Baghdad accused Washington of breaching its sovereignty\n\nBody text."
    got = flagged(make_doc(text))
    assert got == {
        "date 2024-01-06": "dateline",
        "Baghdad accused Washington of breaching its sovereignty": "",
        "Body text.": "",
    }


def test_wire_dateline_prefix_is_split_from_the_lede() -> None:
    text = (
        "Iraq to end coalition mission\n"
        "BAGHDAD (Reuters) - Iraq's prime minister said on Friday that the coalition must leave.\n"
        "WASHINGTON — The Pentagon said the strike was lawful."
    )
    got = flagged(make_doc(text))
    assert got["BAGHDAD (Reuters) -"] == "dateline"
    assert got["Iraq's prime minister said on Friday that the coalition must leave."] == ""
    assert got["WASHINGTON —"] == "dateline"
    assert got["The Pentagon said the strike was lawful."] == ""


def test_wire_page_furniture_around_a_story() -> None:
    text = (
        "Iraq says it will start process to end US-led coalition presence\n\n"
        "By Timour Azhari and Ahmed Rasheed\n\n"
        "January 5, 2024 12:03 PM GMT+1 Updated 2 days ago\n\n"
        "BAGHDAD, Jan 5 (Reuters) - Iraq's prime minister said on Friday his government was "
        "setting a date. The move comes after a U.S. strike on Thursday.\n\n"
        "Reporting by Timour Azhari; Editing by Jane Merriman"
    )
    got = flagged(make_doc(text))
    assert got == {
        "Iraq says it will start process to end US-led coalition presence": "",
        "By Timour Azhari and Ahmed Rasheed": "byline",
        "January 5, 2024 12:03 PM GMT+1 Updated 2 days ago": "dateline",
        "BAGHDAD, Jan 5 (Reuters) -": "dateline",
        "Iraq's prime minister said on Friday his government was setting a date.": "",
        "The move comes after a U.S. strike on Thursday.": "",
        "Reporting by Timour Azhari; Editing by Jane Merriman": "byline",
    }


def test_french_and_german_page_furniture() -> None:
    french = (
        "International\nL'Irak veut la fin de la coalition internationale\n"
        "Publié le 05/01/2024 à 14h32\nPar Jean Dupont\n"
        "Le Premier ministre a réaffirmé vendredi sa « ferme » détermination. Il a parlé.\n"
        "Lire aussi : L'Iran frappe des cibles en Syrie\nPartager"
    )
    assert flagged(make_doc(french)) == {
        "International": "section label",
        "L'Irak veut la fin de la coalition internationale": "",
        "Publié le 05/01/2024 à 14h32": "dateline",
        "Par Jean Dupont": "byline",
        "Le Premier ministre a réaffirmé vendredi sa « ferme » détermination.": "",
        "Il a parlé.": "",
        "Lire aussi : L'Iran frappe des cibles en Syrie": "related links",
        "Partager": "share widget",
    }
    german = (
        "Politik > Ausland > Nahost\nIrak will Ende der US-geführten Koalition\n"
        "Stand: 05.01.2024 14:32 Uhr\nVon Hans Müller, ARD-Studio Kairo\n"
        "Der Regierungschef hat am 4. Januar angekündigt, die Präsenz zu beenden. "
        "Die USA haben ca. 2500 Soldaten im Irak.\nMehr zum Thema"
    )
    assert flagged(make_doc(german)) == {
        "Politik > Ausland > Nahost": "section label",
        "Irak will Ende der US-geführten Koalition": "",
        "Stand: 05.01.2024 14:32 Uhr": "dateline",
        "Von Hans Müller, ARD-Studio Kairo": "byline",
        "Der Regierungschef hat am 4. Januar angekündigt, die Präsenz zu beenden.": "",
        "Die USA haben ca. 2500 Soldaten im Irak.": "",
        "Mehr zum Thema": "related links",
    }


def test_short_lines_of_a_page_are_not_mistaken_for_wrapped_prose() -> None:
    text = (
        "Politik > Ausland > Nahost\nIrak will Ende der US-geführten Koalition\n"
        "Stand: 05.01.2024 14:32 Uhr\nVon Hans Müller, ARD-Studio Kairo\n" + _BODY_1
    )
    paragraphs, _ = segment_document(make_doc(text))
    assert len(paragraphs) == 5


def test_section_label_above_headline_is_flagged_but_headline_is_not() -> None:
    text = f"World\nIraq is aiming to remove US forces from its territory\n{_BODY_1}"
    got = flagged(make_doc(text))
    assert got["World"] == "section label"
    assert got["Iraq is aiming to remove US forces from its territory"] == ""


@pytest.mark.parametrize(
    "lede",
    [
        "Le ministre a dit « non » au projet.",
        "Officials said the 2023 / 2024 budget passed.",
        "Le ministre a dit « non » au projet » et à la loi.",
        "Iraq > Syria > Lebanon in the number of strikes this year.",
    ],
)
def test_sentences_with_quotes_or_slashes_are_not_breadcrumbs(lede: str) -> None:
    text = f"{lede}\n{_BODY_1}\n{_BODY_2}"
    got = flagged(make_doc(text))
    assert got[lede] == ""


@pytest.mark.parametrize(
    "line",
    [
        "Un « oui » / un « non »",  # guillemets around words are quotes, not a trail
        "Budget 2023 / 2024 / 2025",  # a numeric range
        "News > World",  # one separator
    ],
)
def test_lines_with_one_separator_quotes_or_numbers_are_not_breadcrumbs(line: str) -> None:
    text = f"{line}\n{_BODY_1}\n{_BODY_2}"
    assert flagged(make_doc(text))[line] != "section label"


@pytest.mark.parametrize(
    "trail",
    [
        "Accueil » Monde » Moyen-Orient",
        "Home / News / World",
        "Inicio | Internacional | Oriente Medio",
        "Главная › Мир › Ближний Восток",
    ],
)
def test_breadcrumb_trail_above_the_headline_is_a_section_label(trail: str) -> None:
    headline = "Iraq wants the coalition out"
    got = flagged(make_doc(f"{trail}\n{headline}\n{_BODY_1}"))
    assert got[trail] == "section label"
    assert got[headline] == ""


def test_french_set_keeps_the_first_sentence_of_every_document() -> None:
    ledes = [
        "Le Premier ministre a dit « non » à la présence américaine.",
        "Bagdad a répondu « jamais » aux demandes de Washington.",
        "Selon le ministre, la coalition « doit partir » avant 2025.",
    ]
    for i, lede in enumerate(ledes):
        text = f"{lede} Il a parlé vendredi.\nLa décision a été prise après une frappe."
        _, passages = segment_document(make_doc(text, f"d{i}"))
        assert text[passages[0].start : passages[0].end] == lede
        assert not passages[0].boilerplate


def test_short_headline_followed_by_body_is_not_a_section_label() -> None:
    text = f"Coalition exit\n{_BODY_1}\n{_BODY_2}"
    assert not any(flagged(make_doc(text)).values())


def test_short_line_next_to_media_chrome_is_a_caption_but_headline_is_not() -> None:
    text = (
        "Sun. Mar 3rd, 2024\n\nIraq wants an end to the coalition\n\nOpen in full screen mode\n\n"
        f"{_BODY_1}\n\nOpen in full screen mode\n\n"
        f"Members of the Iraqi security forces\n\n{_BODY_2}"
    )
    got = flagged(make_doc(text))
    assert got["Members of the Iraqi security forces"] == "caption"
    assert got["Iraq wants an end to the coalition"] == ""
    assert got[_BODY_1] == "" and got[_BODY_2] == ""


def test_caption_inside_a_long_paragraph_flags_only_that_sentence() -> None:
    body = " ".join([_BODY_1, _BODY_2] * 3)
    text = f"Headline of the story\n\n{body} (Photo: Ahmed Saad/Reuters)"
    _, passages = segment_document(make_doc(text))
    reasons = [p.boilerplate_reason for p in passages]
    assert reasons[-1] == "caption" or text[passages[-1].start :].endswith("Reuters)")
    assert reasons.count("") >= 6


# ---------------------------------------------------------------------------
# Off-topic paragraphs

_STORY = [
    "Iraq wants the US-led coalition to leave",
    "Prime Minister Mohammed Shia al-Sudani pledged to end the mission of the international "
    "coalition in Iraq after a US drone strike in Baghdad.",
    "The strike killed Mushtaq Taleb al-Saidi, a commander of the Harakat al-Nujaba militia.",
    "The Pentagon said the strike on the militia commander was an act of self-defense after "
    "attacks on US troops in Iraq and Syria.",
    "Al-Sudani said a bilateral committee would arrange the end of the coalition presence.",
    "Washington keeps about 2,500 troops in Iraq and 900 in Syria to fight Islamic State.",
    "Militia groups backed by Tehran have attacked US bases more than 110 times since October.",
]
_MORE_STORY = [
    "The Popular Mobilization Forces, an umbrella of armed factions, are part of the Iraqi state.",
    "Iraqi officials said the coalition had exceeded its mandate by striking inside Baghdad.",
    "Four years earlier a US drone strike in Baghdad killed Iranian general Qassem Soleimani.",
    "The Islamic State group claimed twin bombings at a memorial for Soleimani in Iran.",
    "Al-Sudani relies on Iran-backed factions that form a powerful bloc in his coalition.",
]
_AD = "The unemployment rate remained at 5.8% in December in Canada"
_FRENCH = [
    "L'Irak veut mettre fin à la présence de la coalition internationale",
    "Le Premier ministre irakien Mohamed Chia al-Soudani a réaffirmé vendredi sa « ferme » "
    "détermination à mettre fin à la présence en Irak de la coalition internationale.",
    "Au lendemain d'une frappe américaine qui a tué un chef d'une faction pro-iranienne à "
    "Bagdad, le gouvernement a dénoncé une agression.",
    "M. Soudani, dont le gouvernement est soutenu par des partis proches de l'Iran, a déjà "
    "signalé son souhait de voir partir les troupes étrangères.",
    "Cette nouvelle déclaration intervient dans un contexte de tensions croissantes, l'Irak "
    "subissant les répercussions du conflit entre Israël et le Hamas palestinien.",
    "Un dialogue mené par un comité bilatéral doit déterminer les modalités de la fin de cette "
    "présence, a-t-il dit selon un communiqué de ses services.",
    "Les soldats américains et la coalition, présents depuis 2014 pour combattre le groupe État "
    "islamique, sont la cible d'attaques quasi quotidiennes.",
    "La plupart de ces attaques sont revendiquées par la Résistance islamique en Irak, une "
    "nébuleuse de factions armées alliées à l'Iran.",
    "Washington déploie 2 500 soldats en Irak et 900 en Syrie dans le cadre de cette coalition, "
    "qui comprend aussi la France et l'Espagne.",
]


def _doc_from_paragraphs(paragraphs: list[str], doc_id: str) -> Document:
    return make_doc("\n\n".join(paragraphs), doc_id)


def _off_topic(docs: list[Document]) -> dict[str, set[str]]:
    passages: list[Passage] = []
    for doc in docs:
        passages.extend(segment_document(doc)[1])
    flag_off_topic(docs, passages)
    texts = {d.id: d.text for d in docs}
    out: dict[str, set[str]] = {d.id: set() for d in docs}
    for p in passages:
        if p.boilerplate_reason == "off-topic":
            out[p.doc].add(texts[p.doc][p.start : p.end])
    return out


def test_advert_for_another_story_is_flagged_off_topic_across_the_set() -> None:
    with_ad = [*_STORY[:4], f"Loading{_AD}", f"ELSEWHERE ON INFO : {_AD}", *_STORY[4:]]
    docs = [
        _doc_from_paragraphs(_STORY, "d0"),
        _doc_from_paragraphs(with_ad, "d1"),
        _doc_from_paragraphs(_STORY[:1] + _STORY[3:], "d2"),
    ]
    result = _off_topic(docs)
    assert result["d1"] == {f"Loading{_AD}", f"ELSEWHERE ON INFO : {_AD}"}
    assert result["d0"] == set() and result["d2"] == set()


def test_unique_background_paragraph_of_the_story_is_not_off_topic() -> None:
    background = (
        "The coalition was formed in 2014 to fight Islamic State militants who had seized "
        "large parts of Iraq and Syria."
    )
    docs = [
        _doc_from_paragraphs([*_STORY[:3], background, *_STORY[3:]], "d0"),
        _doc_from_paragraphs(_STORY, "d1"),
    ]
    assert _off_topic(docs) == {"d0": set(), "d1": set()}


def test_off_topic_works_with_a_single_document() -> None:
    doc = _doc_from_paragraphs([*_STORY[:4], _AD, *_STORY[4:], *_MORE_STORY], "d0")
    assert _off_topic([doc]) == {"d0": {_AD}}


def test_genuine_paragraphs_of_a_lone_translation_are_not_off_topic() -> None:
    french = _doc_from_paragraphs(_FRENCH, "d1")
    assert _off_topic([french]) == {"d1": set()}
    english = _doc_from_paragraphs(_STORY + _MORE_STORY, "d0")
    assert _off_topic([english, french]) == {"d0": set(), "d1": set()}


def test_off_topic_needs_context_before_judging() -> None:
    doc = _doc_from_paragraphs(["Iraq coalition exit", _AD, "Short closing line here."], "d0")
    assert _off_topic([doc]) == {"d0": set()}


def test_off_topic_never_flags_the_headline_or_long_paragraphs() -> None:
    long_unique = " ".join(
        f"Farmers in Saskatchewan harvested record canola crop number {i}." for i in range(8)
    )
    docs = [
        _doc_from_paragraphs([_AD, *_STORY[1:4], long_unique, *_STORY[4:]], "d0"),
        _doc_from_paragraphs(_STORY, "d1"),
    ]
    assert _off_topic(docs) == {"d0": set(), "d1": set()}


def test_off_topic_keeps_existing_reasons() -> None:
    doc = _doc_from_paragraphs([*_STORY[:4], _AD, *_STORY[4:]], "d0")
    _, passages = segment_document(doc)
    ad = next(p for p in passages if doc.text[p.start : p.end] == _AD)
    ad.boilerplate, ad.boilerplate_reason = True, "editor"
    flag_off_topic([doc], passages)
    assert ad.boilerplate_reason == "editor"
    assert not any(p.boilerplate_reason == "off-topic" for p in passages)


# ---------------------------------------------------------------------------
# Real pages and speed


def test_seed_pages_segment_cleanly() -> None:
    docs = [
        make_doc(path.read_text(encoding="utf-8"), f"d{i}")
        for i, path in enumerate(sorted(SEEDS.glob("*.txt")))
    ]
    assert docs, "no sample pages found"
    all_passages: list[Passage] = []
    segmented = []
    for doc in docs:
        paragraphs, passages = segment_document(doc)
        check_invariants(doc.text, paragraphs, passages)
        segmented.append((doc, paragraphs, passages))
        all_passages.extend(passages)
    flag_off_topic(docs, all_passages)
    # pytest shows this listing when the test fails, which is when it is worth reading
    for doc, paragraphs, passages in segmented:
        print(f"\n== {doc.id} {len(paragraphs)} paragraphs, {len(passages)} sentences")
        for p in passages:
            mark = f"[{p.boilerplate_reason}]" if p.boilerplate else ""
            print(f"  p{p.paragraph:<3}{mark:<22}{doc.text[p.start : p.end][:90]!r}")
    for doc, _, passages in segmented:
        story = [p for p in passages if not p.boilerplate]
        assert len(story) >= 0.6 * len(passages) or len(passages) - len(story) <= 12
        first = story[0]
        assert "\n" not in doc.text[first.start : first.end]


def _synthetic_set(n_docs: int, sentences_per_doc: int) -> list[Document]:
    rng = random.Random(7)
    vocab = [f"{a}{b}" for a in ("ba", "ko", "mi", "tu", "ser", "lan", "dor") for b in range(60)]
    docs = []
    for d in range(n_docs):
        paras = []
        for _ in range(sentences_per_doc // 3):
            sents = []
            for _ in range(3):
                words = rng.choices(vocab, k=rng.randint(10, 25))
                sents.append(" ".join(words).capitalize() + rng.choice([".", ".", "?", "!"]))
            paras.append(" ".join(sents))
        docs.append(_doc_from_paragraphs(["Headline words here", *paras], f"d{d}"))
    return docs


def test_two_thousand_documents_segment_into_every_sentence() -> None:
    # How long this takes is printed by benchmarks/bench_align.py ("segment s"): a CPU-time
    # assertion fails on a busy two-core machine.
    docs = _synthetic_set(2000, 30)
    passages: list[Passage] = []
    for doc in docs:
        passages.extend(segment_document(doc)[1])
    flag_off_topic(docs, passages)
    assert len(passages) >= 2000 * 30


def test_editor_override_of_the_boilerplate_flag_is_applied_and_changes_alignment() -> None:
    from factdesk.core.model import Corrections
    from factdesk.core.pipeline import build

    wire = make_doc(
        "Storm closes the coast road\n\n"
        "Heavy rain closed the coast road near Brimley on Monday, the police said.\n\n"
        "Share this article\n\n"
        "Engineers expect the road to reopen by Friday after repairs to the sea wall.",
        "d0",
    )
    copy = make_doc(
        "Coast road shut by storm\n\n"
        "The police said heavy rain closed the coast road near Brimley on Monday.\n\n"
        "Share this article\n\n"
        "Engineers expect the road to reopen by Friday after repairs to the sea wall.",
        "d1",
    )
    automatic = build([wire, copy])
    by_text = {wire.text[p.start : p.end]: p for p in automatic.passages if p.doc == "d0"}
    widget = by_text["Share this article"]
    repairs = by_text[
        "Engineers expect the road to reopen by Friday after repairs to the sea wall."
    ]
    assert widget.boilerplate and not repairs.boilerplate
    assert any(repairs.id in (link.a, link.b) for link in automatic.links)

    corrections = Corrections(boilerplate={widget.id: False, repairs.id: True})
    edited = build([wire, copy], corrections=corrections)
    passages = {p.id: p for p in edited.passages}
    assert not passages[widget.id].boilerplate
    assert passages[repairs.id].boilerplate
    assert passages[repairs.id].boilerplate_reason == "editor"
    # The aligner leaves out what the editor flagged, and nothing was deleted from the text.
    assert not any(repairs.id in (link.a, link.b) for link in edited.links)
    assert [(p.start, p.end) for p in edited.passages] == [
        (p.start, p.end) for p in automatic.passages
    ]


# ---------------------------------------------------------------------------
# Hard-wrapped plain text and agency wire copy

_EMAIL = (
    "From: Jane Doe <jane@example.org>\n"
    "Subject: Storm update\n"
    "\n"
    "Storm batters the northern coast\n"
    "\n"
    "A powerful storm struck the northern coast on Thursday night, cutting\n"
    "power to thousands of homes and forcing several towns to open emergency\n"
    "shelters, listed at https://example.org/storm/shelters/2024/january/northern-coast/list.html\n"
    "for residents. Officials said the worst of the winds had passed by Friday\n"
    "morning.\n"
    "\n"
    "Emergency crews worked through the night to clear fallen trees from the\n"
    "main roads. The regional governor promised aid to the affected families\n"
    "and said that a full assessment of the damage would take several weeks.\n"
    "\n"
    "Forecasters warned that flooding could continue along the rivers for\n"
    "days, and residents were told to stay away from the banks.\n"
)


def test_hard_wrapped_email_gives_one_paragraph_per_blank_line_block() -> None:
    doc = make_doc(_EMAIL)
    paragraphs, passages = segment_document(doc)
    check_invariants(_EMAIL, paragraphs, passages)
    blocks = [b for b in _EMAIL.split("\n\n") if b.strip()]
    assert [_EMAIL[p.start : p.end] for p in paragraphs] == [b.strip() for b in blocks]
    shown = [repair(_EMAIL[p.start : p.end]) for p in passages if p.paragraph == 2]
    assert shown == [
        "A powerful storm struck the northern coast on Thursday night, cutting power to "
        "thousands of homes and forcing several towns to open emergency shelters, listed at "
        "https://example.org/storm/shelters/2024/january/northern-coast/list.html for residents.",
        "Officials said the worst of the winds had passed by Friday morning.",
    ]
    assert [repair(_EMAIL[p.start : p.end]) for p in paragraphs][4] == (
        "Forecasters warned that flooding could continue along the rivers for days, and "
        "residents were told to stay away from the banks."
    )


def _wire_doc(body: str, doc_id: str = "d0") -> Document:
    header = (
        "12:40 05/06/01 Page 1\nCITY Jobs\n" + "=" * 40 + "\n400 JOBS TO GO AT PLANT\n"
        "By Mark Fenwick, PA City Staff\n"
    )
    return make_doc(header + body, doc_id)


def test_wire_copy_is_read_from_a_plain_text_document() -> None:
    body = (
        "\x19 A car parts maker is to close its Coventry plant with the loss of 400\n"
        "jobs, the company said today. Talks start next week.<\n"
        "\x19 The firm blamed ``falling orders'' from carmakers.<\n"
        "ends\n"
    )
    doc = _wire_doc(body)
    assert is_wire_copy(doc)
    paragraphs, passages = segment_document(doc)
    check_invariants(doc.text, paragraphs, passages)
    got = [(repair(doc.text[p.start : p.end]), p.boilerplate_reason) for p in passages]
    assert got == [
        ("12:40 05/06/01 Page 1", "slug line"),
        ("CITY Jobs", "slug line"),
        ("=" * 40, "ruler"),
        ("400 JOBS TO GO AT PLANT", ""),
        ("By Mark Fenwick, PA City Staff", "byline"),
        (
            "A car parts maker is to close its Coventry plant with the loss of 400 jobs, the "
            "company said today.",
            "",
        ),
        ("Talks start next week.", ""),
        ("The firm blamed “falling orders” from carmakers.", ""),
        ("ends", "slug line"),
    ]
    assert [p.paragraph for p in passages] == [0, 1, 2, 3, 4, 5, 5, 6, 7]


@pytest.mark.parametrize(
    "body",
    [
        # markers only, no "<", no blank lines
        "\x1a First paragraph of the story,\nwrapped once.\n\x1a Second one.\nmfl\n",
        # "<" only after the first paragraph, blank lines between the others
        "\x1c First paragraph of the story,\nwrapped once.<\n\n\x1c Second one.\n\nmfl\n",
        # two paragraphs on one line: a marker ends the one before
        "\x19 First paragraph of the story,\nwrapped once.<\x19 Second one.<\nmfl\n",
    ],
)
def test_a_marker_a_paragraph_end_or_a_blank_line_ends_a_wire_paragraph(body: str) -> None:
    doc = _wire_doc(body)
    paragraphs, passages = segment_document(doc)
    check_invariants(doc.text, paragraphs, passages)
    story = [
        repair(doc.text[para.start : para.end])
        for para in paragraphs
        if any(p.paragraph == para.index and not p.boilerplate for p in passages)
    ]
    assert story == [
        "400 JOBS TO GO AT PLANT",
        "First paragraph of the story, wrapped once.",
        "Second one.",
    ]
    assert passages[-1].boilerplate_reason == "slug line"


def test_second_take_of_a_wire_story_repeats_its_slug_as_furniture() -> None:
    body = (
        "\x19 First paragraph of page one,\nwrapped.<\nmore\n"
        "12:46 05/06/01 Page 2\nCITY Jobs\n" + "=" * 40 + "\n\x19 First of page two.<\nends\n"
    )
    doc = _wire_doc(body)
    paragraphs, passages = segment_document(doc)
    check_invariants(doc.text, paragraphs, passages)
    got = [(doc.text[p.start : p.end], p.boilerplate_reason) for p in passages][5:]
    assert got == [
        ("\x19 First paragraph of page one,\nwrapped.<", ""),
        ("more", "slug line"),
        ("12:46 05/06/01 Page 2", "slug line"),
        ("CITY Jobs", "slug line"),
        ("=" * 40, "ruler"),
        ("\x19 First of page two.<", ""),
        ("ends", "slug line"),
    ]


def test_wire_document_with_the_wire_format_is_read_as_wire_even_without_a_slug() -> None:
    text = "\x19 Only paragraph, wrapped\nat a narrow width.<\n"
    paragraphs, passages = segment_document(
        Document(id="d0", path="w.txt", name="w.txt", text=text, format="wire")
    )
    assert [repair(text[p.start : p.end]) for p in paragraphs] == [
        "Only paragraph, wrapped at a narrow width."
    ]
    assert [p.boilerplate_reason for p in passages] == [""]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(
        st.text(max_size=300),
        _messy_text,
        st.lists(
            st.sampled_from(
                [
                    "17:03 17/10/99 Page 1 of 2",
                    "HOME Court Fraud",
                    "-" * 30,
                    "HEADLINE HERE",
                    "By Jan Colley, PA News",
                    "\x19 A paragraph that opens",
                    "and goes on here.<",
                    "\x19\x14  Short one. <",
                    "a line < with a sign",
                    "",
                    "ends",
                    "\x1c",
                    "PA",
                ]
            ),
            max_size=20,
        ).map("\n".join),
    )
)
def test_wire_segmentation_keeps_the_invariants_for_any_text(text: str) -> None:
    doc = Document(id="d0", path="w.txt", name="w.txt", text=text, format="wire")
    paragraphs, passages = segment_document(doc)
    check_invariants(text, paragraphs, passages)
    non_space = sum(1 for c in text if not c.isspace())
    assert sum(len(text[p.start : p.end]) for p in passages) >= non_space
