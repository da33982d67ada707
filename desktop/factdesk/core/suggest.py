"""Check-worthy units in every alignment group, and in which versions each appears.

Units are numbers with what they count, dates and weekdays, direct quotes with who
is quoted, named people/places/organisations (spelling and transliteration variants
merged into one entity) and attributions (``the Pentagon said``). Extraction is rule
based and language-light: it works on English-style news copy and degrades to fewer
suggestions elsewhere, never to wrong offsets.

Text is read through ``textfix.repair`` (mojibake, curly quote used as apostrophe)
and every offset is mapped back to ``Document.text`` with ``textfix.repair_with_map``,
the same map the window uses.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from factdesk.core import text as textmod
from factdesk.core.facts import next_fact_id, now_iso
from factdesk.core.lexicon import (
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    month_number,
)
from factdesk.core.model import Anchor, ArticleSet, Fact, Passage
from factdesk.core.textfix import repair, repair_with_map

KINDS = ("number", "date", "quote", "entity", "attribution")

#: One place a unit appears: (passage id, start, end, surface); offsets into Document.text.
Mention = tuple[str, int, int, str]


@dataclass
class Unit:
    """One check-worthy item found in one sentence of one version."""

    kind: str  # one of KINDS
    key: str  # items with the same key (within a group) are the same unit
    surface: str  # the words as written (repaired for display)
    doc: str
    passage: str
    start: int  # [start, end) into Document.text
    end: int
    value: str = ""  # number: normalised value; date: normalised date, weekday or year
    noun: str = ""  # number: lemma of what is counted; date: "date" | "weekday" | "year" | "day"
    qualifier: str = ""  # number: "more than", "nearly", ...
    speaker: str = ""  # quote: who is quoted; attribution: the actor as written
    actor: str = ""  # quote/attribution: normalised actor key (entity key when known)
    verb: str = ""  # attribution: "source" (said, according to) or "claim" (claimed by, ...)
    role: str = ""  # entity: the role written next to the name ("prime minister")
    entity: str = ""  # entity: cluster key


@dataclass
class Suggestion:
    """A unit found in an alignment group, with where it appears in each version."""

    kind: str
    key: str
    label: str
    group: str
    by_doc: dict[str, list[Mention]]
    variants: list[str] = field(default_factory=list)
    detail: dict[str, str] = field(default_factory=dict)

    @property
    def docs(self) -> list[str]:
        return list(self.by_doc)


@dataclass
class EntityCluster:
    key: str
    label: str
    variants: list[str]


@dataclass
class UnitIndex:
    """Every unit of every non-boilerplate sentence, plus the merged entities."""

    by_passage: dict[str, list[Unit]]
    entities: dict[str, EntityCluster]
    titled: frozenset[str] = frozenset()  # entity keys written with a title somewhere
    # lookups over the set the index was made for, so no group or document is searched for
    doc_order: dict[str, int] = field(default_factory=dict)
    group_passages: dict[str, list[str]] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Reading repaired text with offsets into the original


def _view(raw: str) -> tuple[str, Callable[[int], int]]:
    """``repair(raw)`` and a function from its offsets to offsets in ``raw``.

    A repaired character stands for a stretch of ``raw`` that may open with characters
    the repair dropped (a wire paragraph's control marker and its space); an offset maps
    past them, so a span never starts on furniture.
    """
    fixed, starts = repair_with_map(raw)

    def to_raw(i: int) -> int:
        i = max(0, min(i, len(starts) - 1))
        pos = starts[i]
        if i < len(fixed) and not fixed[i].isspace():
            end = starts[i + 1]
            while (
                pos < end - 1
                and raw[pos] != fixed[i]
                and (raw[pos].isspace() or unicodedata.category(raw[pos]) == "Cc")
            ):
                pos += 1
        return pos

    return fixed, to_raw


# ---------------------------------------------------------------------------------------------
# Tokens

# Dotted acronyms (U.S.), words with inner apostrophes/hyphens, numbers, single symbols.
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:[’'\-]\w+)*|[^\w\s]")
#: Abbreviated military ranks: written with a dot ("Maj. Gen.") and standing before a name.
_RANKS = ("maj", "gen", "col", "lt", "sgt", "capt", "cpl", "pvt", "adm")
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        *_RANKS,
        "gov",
        "sen",
        "rep",
        "rev",
        "prof",
        "jr",
        "sr",
        *MONTH_ABBREVIATIONS["en"],
        *WEEKDAY_ABBREVIATIONS["en"],
    ]
)
_POSSESSIVE = re.compile(r"[’']s$", re.IGNORECASE)
_PRONOUNS = frozenset(
    [
        "i",
        "me",
        "he",
        "him",
        "she",
        "her",
        "it",
        "they",
        "them",
        "we",
        "us",
        "you",
        "this",
        "that",
        "these",
        "those",
        "who",
        "which",
        "one",
    ]
)


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _tokenise(text: str) -> list[_Tok]:
    return [_Tok(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(text)]


def _norm_words(text: str) -> str:
    """Casefolded, accent-free words joined by spaces (for keys and comparisons)."""
    words = [textmod.strip_accents(t.casefold()) for t in textmod.WORD_RE.findall(text)]
    return " ".join(words)


# ---------------------------------------------------------------------------------------------
# Numbers

_QUALIFIERS = sorted(
    [
        "more than",
        "over",
        "nearly",
        "almost",
        "about",
        "around",
        "some",
        "at least",
        "at most",
        "up to",
        "fewer than",
        "less than",
        "roughly",
        "approximately",
        "as many as",
        "close to",
        "just over",
        "just under",
        "only",
        "an estimated",
        "upwards of",
        "in excess of",
        "no fewer than",
        "no more than",
    ],
    key=len,
    reverse=True,
)
_WORD_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "a hundred": 100,
    "a thousand": 1000,
}
_VAGUE_NUMBERS = ("dozens", "hundreds", "thousands", "millions", "scores", "tens of thousands")
_SCALES = {"hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_CURRENCY = {"$": "dollar", "€": "euro", "£": "pound", "¥": "yen"}

_NUMBER_RE = re.compile(
    r"(?<![\w\-./:])"
    r"(?:(?P<qual>" + "|".join(re.escape(q) for q in _QUALIFIERS) + r")\s+)?"
    r"(?P<cur>[$€£¥])?"
    r"(?:"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+(?:[.,]\d+)?)"
    r"|(?P<word>(?:"
    + "|".join(sorted((re.escape(w) for w in _WORD_NUMBERS), key=len, reverse=True))
    + r")(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
    r"|(?P<vague>" + "|".join(_VAGUE_NUMBERS) + r")(?=\s+of\b)"
    r")"
    r"(?:\s*(?P<scale>hundred|thousand|million|billion|trillion|bn)\b)?"
    r"(?P<pct>\s*(?:%|per\s?cent\b|percent\b))?"
    # a compound that says what is counted: "13-year sentence", "three-day strike"
    r"(?:-(?P<unit>[^\W\d_]{2,})(?:-old)?)?"
    r"(?![\w\-])",
    re.IGNORECASE,
)
_PLURAL_IRREGULAR = frozenset(
    [
        "people",
        "men",
        "women",
        "children",
        "police",
        "personnel",
        "staff",
        "cattle",
        "militiamen",
        "servicemen",
        "policemen",
        "firemen",
        "gunmen",
        "tribesmen",
        "fishermen",
        "crew",
    ]
)


def _number_value(match: re.Match[str]) -> str:
    raw_num, word, vague = match.group("num"), match.group("word"), match.group("vague")
    if vague:
        return vague.casefold()
    if word:
        low = word.casefold()
        if "-" in low:
            tens, ones = low.split("-", 1)
            value = float(_WORD_NUMBERS.get(tens, 0) + _WORD_NUMBERS.get(ones, 0))
        else:
            value = float(_WORD_NUMBERS[low])
    else:
        compact = re.sub(r"[ \u00a0\u202f]", "", raw_num)
        value = float(textmod.normalise_number(compact))
    scale = (match.group("scale") or "").casefold()
    if scale:
        value *= _SCALES.get(scale, 10**9 if scale == "bn" else 1)
    text = str(int(value)) if value == int(value) else f"{value:g}"
    return text + ("%" if match.group("pct") else "")


def _counted_noun(text: str, after: int) -> tuple[str, int]:
    """What a number counts: (lemma of the head noun, end offset of the noun phrase)."""
    words = list(textmod.NAME_WORD_RE.finditer(text[after : after + 60]))
    head = ""
    head_end = after
    taken = 0
    position = after
    for m in words:
        gap = text[position : after + m.start()]
        if gap.strip():  # punctuation breaks the noun phrase
            break
        word = m.group(0)
        low = word.casefold()
        if low in textmod.STOPWORDS or low.endswith(("ed", "ing", "ly")) or taken >= 3:
            break
        taken += 1
        position = after + m.end()
        if word[0].isupper() and taken < 3:
            continue  # a modifier like "US" in "three US service members"
        plural = (low.endswith("s") and not low.endswith("ss")) or low in _PLURAL_IRREGULAR
        head, head_end = low, position
        if plural:
            break
    if not head:
        return "", after
    return textmod.normalise(head), head_end


def _numbers(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, int, dict[str, str]]]:
    found: list[tuple[int, int, dict[str, str]]] = []
    for m in _NUMBER_RE.finditer(text):
        core_start = m.start("cur") if m.group("cur") else m.start(m.lastgroup or 0)
        for name in ("num", "word", "vague"):
            if m.group(name):
                core_start = m.start(name)
                break
        if _overlaps(core_start, m.end(), taken):
            continue
        value = _number_value(m)
        noun, end = "", m.end()
        if m.group("pct"):
            noun = "percent"
        elif m.group("unit"):
            noun = textmod.normalise(m.group("unit").casefold())
        elif m.group("cur"):
            noun = _CURRENCY[m.group("cur")]
        else:
            after = m.end()
            if m.group("vague"):
                of = re.match(r"\s+of\b", text[after:])
                after += of.end() if of else 0
            noun, end = _counted_noun(text, after)
            if not noun:
                end = m.end()
        if (m.group("word") or m.group("vague")) and not noun:
            continue  # "one of", "no one": a spelled number counting nothing is not a claim
        if re.fullmatch(r"(19|20)\d\d", m.group("num") or "") and not noun:
            continue  # a bare year is a date, handled there
        qualifier = " ".join((m.group("qual") or "").casefold().split())
        found.append((m.start(), end, {"value": value, "noun": noun, "qualifier": qualifier}))
    return found


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and end > s for s, e in spans)


# ---------------------------------------------------------------------------------------------
# Dates

# Dates are read in English: the patterns below follow English word order.
_MONTHS = MONTHS["en"]
_MONTH_ABBR = MONTH_ABBREVIATIONS["en"]
_MONTH_PAT = (
    r"(?:"
    + "|".join(m.capitalize() for m in _MONTHS)
    + "|"
    + "|".join(rf"{a.capitalize()}\.?" for a in _MONTH_ABBR)
    + r")"
)
_WEEKDAYS = tuple(WEEKDAYS["en"])
_DATE_RES = [
    re.compile(
        rf"\b(?P<month>{_MONTH_PAT})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b"
        rf"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    ),
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_PAT})"
        rf"(?:,?\s+(?P<year>(?:19|20)\d\d)\b)?"
    ),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d{2})-(?P<day>\d{2})\b"),
    re.compile(rf"\b(?P<month>{_MONTH_PAT})\s+(?P<year>(?:19|20)\d\d)\b"),
]
_WEEKDAY_RE = re.compile(
    r"(?:\b(?:on|last|next|this|since|by|until|from)\s+)?\b(?P<wd>"
    + "|".join(w.capitalize() for w in _WEEKDAYS)
    + r")\b"
)
_RELATIVE_RE = re.compile(r"\b(?P<rel>yesterday|today|tomorrow|last night)\b", re.IGNORECASE)
_YEAR_RE = re.compile(r"(?<![\w\-./])(?P<year>(?:19|20)\d\d)(?![\w\-])")


def _dates(text: str) -> list[tuple[int, int, dict[str, str]]]:
    found: list[tuple[int, int, dict[str, str]]] = []
    spans: list[tuple[int, int]] = []
    for pattern in _DATE_RES:
        for m in pattern.finditer(text):
            if _overlaps(m.start(), m.end(), spans):
                continue
            groups = m.groupdict()
            month = (
                int(groups["mnum"]) if groups.get("mnum") else month_number(groups["month"], "en")
            )
            day = int(groups["day"]) if groups.get("day") else 0
            if not 1 <= month <= 12 or day > 31:
                continue
            year = groups.get("year") or ""
            value = f"{month:02d}-{day:02d}" if day else f"{year}-{month:02d}"
            noun = "date" if day else "month"
            found.append((m.start(), m.end(), {"value": value, "noun": noun, "year": year}))
            spans.append((m.start(), m.end()))
    for m in _WEEKDAY_RE.finditer(text):
        if not _overlaps(m.start("wd"), m.end("wd"), spans):
            found.append(
                (m.start(), m.end(), {"value": m.group("wd").casefold(), "noun": "weekday"})
            )
            spans.append((m.start(), m.end()))
    for m in _RELATIVE_RE.finditer(text):
        if not _overlaps(m.start(), m.end(), spans):
            found.append((m.start(), m.end(), {"value": m.group("rel").casefold(), "noun": "day"}))
            spans.append((m.start(), m.end()))
    for m in _YEAR_RE.finditer(text):
        if not _overlaps(m.start(), m.end(), spans):
            found.append((m.start(), m.end(), {"value": m.group("year"), "noun": "year"}))
            spans.append((m.start(), m.end()))
    return sorted(found, key=lambda x: x[0])


# ---------------------------------------------------------------------------------------------
# Quotes and who is quoted

_OPENERS = {"“": "”", "„": "“", "«": "»", "‹": "›"}
#: The characters ``_quote_spans`` acts on; it skips from one to the next.
_QUOTE_MARK_RE = re.compile("[" + re.escape("".join(_OPENERS) + '"”»') + "]")
_SAID = (
    "said|says|say|stated|states|told|tells|added|adds|affirmed|declared|insisted|announced|"
    "noted|wrote|writes|explained|claimed|argued|warned|stressed|emphasized|emphasised|"
    "reiterated|indicated|confirmed|denied|asserted|maintained|remarked|commented|replied|"
    "urged|vowed|pledged|tweeted|posted|disclosed|revealed|reported|acknowledged|admitted|"
    "accused|blamed|condemned|denounced|described|called"
)
_SAID_RE = re.compile(rf"\b(?:{_SAID})\b|\baccording to\b", re.IGNORECASE)
_LEADING_ADVERBS = frozenset(
    [
        "back",
        "then",
        "earlier",
        "later",
        "meanwhile",
        "however",
        "but",
        "and",
        "also",
        "so",
        "further",
        "now",
        "still",
        "yet",
        "previously",
        "separately",
        "instead",
        "thus",
    ]
)
_STOP_AFTER = frozenset(
    [
        "that",
        "on",
        "in",
        "at",
        "as",
        "after",
        "before",
        "during",
        "when",
        "while",
        "with",
        "which",
        "who",
        "whom",
        "because",
        "since",
        "but",
        "and",
        "or",
        "for",
        "to",
        "of",
        "from",
    ]
)


def _quote_spans(text: str) -> list[tuple[int, int]]:
    """Inner spans of quoted text: curly, guillemets and straight double quotes.

    A quote opened but not closed in the sentence runs to its end (multi-sentence
    quotes are split by the sentence splitter); a closing mark with no opener starts
    the sentence inside a quote.
    """
    spans: list[tuple[int, int]] = []
    i = 0
    n = len(text)
    straight_open: int | None = None
    while i < n:
        mark = _QUOTE_MARK_RE.search(text, i)  # most sentences quote nothing
        if mark is None:
            break
        i = mark.start()
        ch = text[i]
        if ch in _OPENERS:
            close = _OPENERS[ch]
            j = text.find(close, i + 1)
            # a closer glued to a letter on both sides is an apostrophe, not the end
            while 0 <= j < n - 1 and text[j + 1].isalpha() and text[j - 1].isalpha():
                j = text.find(close, j + 1)
            end = j if j >= 0 else n
            spans.append((i + 1, end))
            i = end + 1
            continue
        if ch in "”»" and not spans and straight_open is None and i > 0:
            glued = text[i + 1 : i + 2].isalpha() and text[i - 1 : i].isalpha()
            if not glued:
                spans.append((0, i))
        if ch == '"':
            if straight_open is None:
                straight_open = i
            else:
                spans.append((straight_open + 1, i))
                straight_open = None
        i += 1
    if straight_open is not None:
        spans.append((straight_open + 1, n))
    out = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] in ",;:."):
            e -= 1
        if len(textmod.WORD_RE.findall(text[s:e])) >= 2:
            out.append((s, e))
    return out


def _phrase_before(text: str, end: int, limit: int = 8) -> tuple[int, int]:
    """The words just before ``end`` up to punctuation or quote marks (span)."""
    toks = [t for t in _tokenise(text[:end])]
    picked: list[_Tok] = []
    for tok in reversed(toks):
        if not tok.is_word and not (tok.text == "." and picked == []):
            if tok.text == "." and picked:
                break
            if tok.text in {"’", "'"}:
                continue
            break
        if tok.text == ".":
            break
        if tok.text.casefold() in {"that", "which", "who", "and", "but", "while", "as"}:
            break
        picked.append(tok)
        if len(picked) >= limit:
            break
    if not picked:
        return end, end
    return picked[-1].start, picked[0].end


def _phrase_after(text: str, start: int, limit: int = 8) -> tuple[int, int]:
    """The words just after ``start`` up to punctuation or a clause word (span)."""
    toks = _tokenise(text[start:])
    picked: list[_Tok] = []
    for k, tok in enumerate(toks):
        if not tok.is_word:
            # keep abbreviation dots (Maj. Gen.) inside the phrase
            if tok.text == "." and picked and picked[-1].text.casefold() in _ABBREVIATIONS:
                continue
            break
        low = tok.text.casefold()
        nxt = toks[k + 1].text if k + 1 < len(toks) else ""
        if picked and low in _STOP_AFTER and not (low in {"of", "in"} and nxt[:1].isupper()):
            break
        if not picked and low in _STOP_AFTER - {"the"}:
            break
        picked.append(tok)
        if len(picked) >= limit:
            break
    if not picked:
        return start, start
    return start + picked[0].start, start + picked[-1].end


def _blanked(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with the spans (quotes) replaced by spaces, so offsets stay the same."""
    masked = list(text)
    for s, e in spans:
        for k in range(s, e):
            masked[k] = " "
    return "".join(masked)


def _speaker(text: str, quote: tuple[int, int], quotes: list[tuple[int, int]]) -> str:
    """Who is quoted: the subject or object of the said-verb nearest the quote."""
    plain = _blanked(text, quotes)
    best: tuple[int, str] | None = None
    for m in _SAID_RE.finditer(plain):
        distance = min(abs(m.start() - quote[1]), abs(m.end() - quote[0]))
        who = _actor_near(plain, m)
        if who and (best is None or distance < best[0]):
            best = (distance, who)
    return best[1] if best else ""


def _actor_near(text: str, verb: re.Match[str]) -> str:
    if verb.group(0).casefold() != "according to":
        s, e = _phrase_before(text, verb.start())
        who = _clean_actor(text[s:e])
        if who:
            return who
    s, e = _phrase_after(text, verb.end())
    return _clean_actor(text[s:e])


def _clean_actor(phrase: str) -> str:
    words = phrase.split()
    if words and words[0].casefold() in _PRONOUNS:
        return ""  # "he said": who "he" is needs the previous sentence
    # "Back then Washington": start at the determiner or the name
    for k, word in enumerate(words[1:], start=1):
        if words[0].casefold() in _DETERMINERS:
            break
        if word.casefold() in {"the", "a", "an"} or (
            word[:1].isupper() and not words[0][:1].isupper()
        ):
            words = words[k:]
            break
        if word[:1].isupper() and words[0].casefold() in _LEADING_ADVERBS:
            words = words[k:]
            break
    # drop adverbs and auxiliaries glued to the verb ("the Pentagon has also said")
    while words and (
        words[-1].casefold() in {"has", "have", "had", "also", "however", "then", "later", "was"}
        or words[-1].casefold().endswith("ly")
    ):
        words.pop()
    while words and words[0].casefold() in {"and", "but", "however", "also", "then", "earlier"}:
        words.pop(0)
    cleaned = " ".join(words).strip(" ,;:“”\"'")
    if not cleaned or cleaned.casefold() in _PRONOUNS:
        return ""
    return cleaned


# ---------------------------------------------------------------------------------------------
# Attributions

_CLAIM_BY = (
    r"\b(?:claimed|carried out|conducted|launched|perpetrated|attributed|blamed|ordered|"
    r"orchestrated|staged|organised|organized)\s+(?:to|on|by)\b"
)
_SOURCE_BY = (
    r"\b(?:according to|as (?:disclosed|reported|confirmed|announced|stated|said|revealed) by|"
    r"(?:disclosed|reported|confirmed|announced|revealed) by)\b"
)
_CLAIM_RE = re.compile(_CLAIM_BY, re.IGNORECASE)
_SOURCE_RE = re.compile(_SOURCE_BY, re.IGNORECASE)
_SUBJECT_SAID_RE = re.compile(
    r"\b(?:said|says|stated|claimed|announced|insisted|maintained|argued|reported|confirmed|"
    r"denied|accused|blamed|told|added|affirmed|declared|disclosed|asserted)\b"
)
_TAKES_OBJECT = frozenset(
    [
        "claimed",
        "confirmed",
        "denied",
        "announced",
        "reported",
        "disclosed",
        "declared",
        "added",
        "told",
    ]
)
_DETERMINERS = frozenset(
    ["the", "a", "an", "its", "his", "her", "their", "our", "this", "these", "those"]
)
_RESPONSIBILITY_RE = re.compile(
    r"\b(?:claimed|took|has claimed|have claimed)\s+responsibility\b", re.IGNORECASE
)


def _attributions(
    text: str, quotes: list[tuple[int, int]]
) -> list[tuple[int, int, dict[str, str]]]:
    plain = _blanked(text, quotes)
    found: list[tuple[int, int, dict[str, str]]] = []
    for regex, verb in ((_CLAIM_RE, "claim"), (_SOURCE_RE, "source")):
        for m in regex.finditer(plain):
            s, e = _phrase_after(plain, m.end())
            actor = _clean_actor(plain[s:e])
            if actor:
                found.append((m.start(), e, {"speaker": actor, "verb": verb}))
    for m in _RESPONSIBILITY_RE.finditer(plain):
        s, e = _phrase_before(plain, m.start())
        actor = _clean_actor(plain[s:e])
        if actor:
            found.append((s, m.end(), {"speaker": actor, "verb": "claim"}))
    for m in _SUBJECT_SAID_RE.finditer(plain):
        if _overlaps(m.start(), m.end(), [(f[0], f[1]) for f in found]):
            continue
        following = plain[m.end() :].split()[:1]
        if m.group(0) in _TAKES_OBJECT and following and following[0].casefold() in _DETERMINERS:
            continue  # "the attack claimed the lives of": an object, not an attribution
        s, e = _phrase_before(plain, m.start(), limit=6)
        actor = _clean_actor(plain[s:e])
        if actor and _looks_like_actor(actor):
            # start at the actor, not at an adverb before it ("Back then Washington said")
            at = plain.find(actor, s, e)
            found.append((at if at >= 0 else s, m.end(), {"speaker": actor, "verb": "source"}))
    return sorted(found, key=lambda f: f[0])


def _looks_like_actor(phrase: str) -> bool:
    """A named or defined subject ("the Pentagon", "Iraq's PM"), not any noun phrase."""
    words = phrase.split()
    return any(w[:1].isupper() for w in words) or words[0].casefold() in {"the", "a", "an"}


# ---------------------------------------------------------------------------------------------
# Named entities

_JOINERS = frozenset(
    [
        "of",
        "for",
        "al",
        "el",
        "bin",
        "ibn",
        "bint",
        "abu",
        "abd",
        "de",
        "du",
        "da",
        "di",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
    ]
)
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|an|ar|as|at|az|ash|ul|ed|es)[-‐]", re.IGNORECASE)
_HONORIFICS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "sir",
        "dame",
        "sheikh",
        "sheik",
        *_RANKS,
        "rev",
        "prof",
        "major",
        "general",
        "colonel",
        "lieutenant",
        "sergeant",
        "captain",
        "admiral",
        "brig",
    ]
)
_ROLE_WORDS = frozenset(
    [
        "prime",
        "minister",
        "president",
        "vice",
        "deputy",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "press",
        "foreign",
        "defense",
        "defence",
        "interior",
        "finance",
        "chief",
        "commander",
        "leader",
        "ambassador",
        "senator",
        "governor",
        "mayor",
        "king",
        "queen",
        "prince",
        "emir",
        "pm",
        "premier",
        "chancellor",
        "director",
        "head",
        "envoy",
        "chairman",
        "speaker",
        "representative",
        "official",
        # occupations written before a name, in any beat
        "coach",
        "manager",
        "captain",
        "striker",
        "midfielder",
        "defender",
        "goalkeeper",
        "referee",
        "ceo",
        "founder",
        "editor",
        "correspondent",
        "analyst",
        "professor",
        "judge",
        "lawyer",
        "attorney",
        "officer",
        "inspector",
        "detective",
        "economist",
        "forecaster",
        "meteorologist",
    ]
)
#: Role words that never end a name, so a name ending in one is a title ("the Iraqi PM").
_TITLES = frozenset(
    [
        "pm",
        "minister",
        "president",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "secretary",
        "ambassador",
        "premier",
        "chancellor",
        "envoy",
        "official",
        "commander",
        "governor",
        "mayor",
        "senator",
    ]
)
_ROLE_ALIASES = {"pm": "prime minister", "premier": "prime minister"}
_NOT_NAMES = frozenset(
    [
        *(m.capitalize() for m in _MONTHS),
        *(w.capitalize() for w in _WEEKDAYS),
        *[
            "I",
            "A",
            "An",
            "The",
            "This",
            "That",
            "These",
            "Those",
            "It",
            "He",
            "She",
            "They",
            "We",
            "You",
            "Our",
            "Their",
            "His",
            "Her",
            "Its",
        ],
    ]
)


def _is_name_part(word: str) -> bool:
    if word[:1].isupper():
        return True
    # al-Nujaba: a lowercase article glued to a capitalised name
    rest = _ARTICLE_PREFIX.sub("", word)
    return rest != word and rest[:1].isupper()


def _title_case(words: list[_Tok], capitalised: list[_Tok]) -> bool:
    if len(words) < 4:
        return False
    share = len(capitalised) / len(words)
    function_caps = sum(1 for t in capitalised[1:] if t.text.casefold() in textmod.STOPWORDS)
    return share > 0.85 or (share > 0.6 and function_caps >= 1)


def _entities(
    text: str, common: frozenset[str], known: frozenset[str] = frozenset()
) -> list[tuple[int, int, dict[str, str]]]:
    """Capitalised sequences (names), with a role phrase written before them if any.

    ``common`` holds words the set writes in lowercase somewhere; ``known`` holds words
    it capitalises inside a sentence. A capital that only ever starts a sentence
    ("Notably,", "Opposition lawmakers") says nothing about a name.
    """
    toks = _tokenise(text)
    words: list[_Tok] = []
    run_ends: set[int] = set()
    for t in toks:
        if t.is_word and _compound_modifier(t.text):
            # "Biden-led", "Iran-backed": the name part is a mention, the run ends there
            name = re.split(r"[-‐]", t.text)[0]
            run_ends.add(len(words))
            words.append(_Tok(name, t.start, t.start + len(name)))
        elif t.is_word or t.text == ".":
            words.append(t)
    found: list[tuple[int, int, dict[str, str]]] = []
    first_word = next((w for w in words if w.is_word), None)
    capitalised = [t for t in toks if t.is_word and t.text[:1].isupper()]
    all_words = [t for t in toks if t.is_word and not t.text.isdigit()]
    if _title_case(all_words, capitalised):
        return found  # a title-case headline: capitals say nothing about names
    i = 0
    while i < len(words):
        tok = words[i]
        if not (tok.is_word and _is_name_part(tok.text)) or tok.text in _NOT_NAMES:
            i += 1
            continue
        run = [tok]
        j = i + 1
        while j < len(words) and j - 1 not in run_ends:
            cur = words[j]
            gap = text[run[-1].end : cur.start]
            if cur.text == ".":
                if run[-1].text.casefold() in _ABBREVIATIONS and j + 1 < len(words):
                    j += 1
                    continue
                break
            if gap.strip(" .") or "\n" in gap or (gap.count(".") and not gap.startswith(".")):
                break
            if "." in gap and run[-1].text.casefold() not in _ABBREVIATIONS:
                break
            if _is_name_part(cur.text) and cur.text not in _NOT_NAMES:
                run.append(cur)
                j += 1
                continue
            nxt = words[j + 1] if j + 1 < len(words) else None
            if (
                cur.text.casefold() in _JOINERS
                and nxt is not None
                and nxt.is_word
                and _is_name_part(nxt.text)
                and not text[cur.end : nxt.start].strip()
            ):
                run.append(cur)
                j += 1
                continue
            break
        i = j
        found.extend(_entity_from_run(text, run, first_word, common, known))
    return found


def _compound_modifier(word: str) -> bool:
    """A hyphenated modifier built on a name ("Iran-backed", "US-led"), not a name itself."""
    if "-" not in word and "‐" not in word:  # asked of every word: most have no hyphen
        return False
    parts = re.split(r"[-‐]", word)
    return len(parts) > 1 and parts[0][:1].isupper() and parts[-1][:1].islower()


def _entity_from_run(
    text: str,
    run: list[_Tok],
    first_word: _Tok | None,
    common: frozenset[str],
    known: frozenset[str] = frozenset(),
) -> list[tuple[int, int, dict[str, str]]]:
    role_words: list[str] = []
    original_start = run[0].start if run else 0
    # a sentence-initial capital is only a name if the word is never written lowercase
    # and, standing alone, if the set also capitalises it inside a sentence
    while run and (
        run[0].text in _NOT_NAMES
        or (
            run[0] is first_word
            and (
                run[0].text.casefold() in common
                or (len(run) == 1 and known and run[0].text not in known)
            )
        )
        or run[0].text.casefold() in textmod.STOPWORDS
        or _compound_modifier(run[0].text)
    ):
        run = run[1:]
    while run and (run[0].text.casefold() in _HONORIFICS or run[0].text.casefold() in _ROLE_WORDS):
        role_words.append(run[0].text.casefold())
        run = run[1:]
    # "Iraqi Prime Minister Mohammed ...": the name starts after the last role word
    inner = [k for k, t in enumerate(run[:-1]) if t.text.casefold() in _ROLE_WORDS]
    if inner:
        role_words.extend(
            t.text.casefold() for t in run[: inner[-1] + 1] if t.text.casefold() in _ROLE_WORDS
        )
        run = run[inner[-1] + 1 :]
    # "the Iraqi PM", "Prime Minister": a title with no name after it names no one
    while run and (run[-1].text.casefold() in _JOINERS or run[-1].text.casefold() in _TITLES):
        if run[-1].text.casefold() in _TITLES:
            role_words.append(run[-1].text.casefold())
        run = run[:-1]
    if not run:
        return []
    if len(run) == 1 and run[0].text.isupper() and len(run[0].text) < 2:
        return []
    # lowercase role words written just before the name: "press secretary Pat Ryder";
    # punctuation in between ("a militia leader, Iraq is") ends the title
    before = text[:original_start].split()
    for word in reversed(before[-3:]):
        low = word.casefold()
        if low[-1:] in ',;:()[]"“”':
            break
        low = low.strip(".")
        if low in _ROLE_WORDS or low in _HONORIFICS:
            role_words.insert(0, low)
        else:
            break
    start, end = run[0].start, run[-1].end
    surface = text[start:end]
    possessive = _POSSESSIVE.search(surface)
    if possessive:
        end -= len(possessive.group(0))
        surface = surface[: -len(possessive.group(0))]
    roles = [_ROLE_ALIASES.get(w, w) for w in role_words if w not in _HONORIFICS]
    roles = list(dict.fromkeys(roles))
    role = " ".join(roles[-2:]) if roles else ""
    return [(start, end, {"surface": surface, "role": role})]


def _skeleton_token(word: str) -> str:
    """A spelling-insensitive form: Soudani/Sudani, Taleb/Talib, Chaabi/Shaabi agree."""
    if word.isupper() and len(word) <= 5:
        return word.casefold().replace(".", "")
    low = textmod.strip_accents(word.casefold())
    low = _POSSESSIVE.sub("", low)
    low = _ARTICLE_PREFIX.sub("", low)
    low = re.sub(r"[^a-z]", "", low)
    if not low:
        return ""
    for a, b in (("ch", "sh"), ("kh", "k"), ("gh", "g"), ("ph", "f"), ("ck", "k"), ("q", "k")):
        low = low.replace(a, b)
    low = low.replace("ou", "u").replace("dh", "d").replace("th", "t").replace("w", "u")
    low = re.sub(r"(.)\1+", r"\1", low)
    head, body = low[0], low[1:]
    tail = ""
    if body and body[-1] in "aeiouy":
        tail = {"a": "a", "e": "a", "i": "i", "y": "i", "o": "u", "u": "u"}[body[-1]]
    consonants = re.sub(r"[aeiouy]", "", body)
    return head + consonants + tail


def _skeleton(surface: str) -> tuple[str, ...]:
    parts = [p for p in re.split(r"[\s\-‐]+", surface) if p]
    words = []
    for part in parts:
        if part.casefold() in _JOINERS:
            continue
        sk = _skeleton_token(part)
        if sk:
            words.append(sk)
    return tuple(words)


def _plain_surface(surface: str) -> str:
    return " ".join(
        _ARTICLE_PREFIX.sub("", w) for w in _norm_words(surface.replace("-", " - ")).split()
    ).replace(" - ", " ")


@functools.lru_cache(maxsize=1 << 16)
def is_spelling_variant(a: str, b: str) -> bool:
    """Two written forms of one name that differ in spelling, not in length (Sudani/Soudani)."""
    pa, pb = _name_words(a), _name_words(b)
    if pa == pb:
        return False
    if len(pa) != len(pb):
        # a short form ("al-Sudani" for the full name) is not a spelling variant
        short, long_ = (pa, pb) if len(pa) < len(pb) else (pb, pa)
        return long_[-len(short) :] != short and _skeleton(" ".join(short)) == _skeleton(
            " ".join(long_[-len(short) :])
        )
    return True


def _name_words(surface: str) -> list[str]:
    words = []
    for part in re.split(r"[\s]+", surface):
        if not part or part.casefold() in _JOINERS:
            continue
        low = textmod.strip_accents(_POSSESSIVE.sub("", part).casefold())
        words.append(_ARTICLE_PREFIX.sub("", low))
    return words


class _UnionFind:
    """Union-find over strings; the earliest item (by ``order``) stays the root."""

    def __init__(self, order: dict[str, int]) -> None:
        self.parent = {x: x for x in order}
        self.order = order

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            # the earlier-seen surface stays the root, so keys are deterministic
            first, second = sorted((ra, rb), key=self.order.__getitem__)
            self.parent[second] = first


def cluster_entities(surfaces: list[str]) -> dict[str, EntityCluster]:
    """Merge written forms that name the same entity; returns surface -> cluster.

    Forms merge when their transliteration skeletons agree (al-Sudani/al-Soudani,
    Hashd al-Shaabi/Hachd al-Chaabi), when they are very close (rapidfuzz), or when a
    shorter form is the tail of exactly one longer name (al-Sudani for Mohammed Shia
    al-Sudani).
    """
    order: dict[str, int] = {}
    for s in surfaces:
        order.setdefault(s, len(order))
    uniq = list(order)
    uf = _UnionFind(order)
    skeletons = {s: _skeleton(s) for s in uniq}
    by_skeleton: dict[tuple[str, ...], str] = {}
    for s in uniq:
        sk = skeletons[s]
        if not sk:
            continue
        if sk in by_skeleton:
            uf.union(by_skeleton[sk], s)
        else:
            by_skeleton[sk] = s
    keys = list(by_skeleton)
    # Close forms have as many words, each with the same first letter: only forms alike
    # in that are compared (all pairs of thousands of names took seconds).
    alike: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for sk in keys:
        alike.setdefault(tuple(w[:1] for w in sk), []).append(sk)
    for bucket in alike.values():
        for i, a in enumerate(bucket):
            ja = " ".join(a)
            for b in bucket[i + 1 :]:
                jb = " ".join(b)
                if min(len(ja), len(jb)) >= 6 and fuzz.ratio(ja, jb) >= 88:
                    uf.union(by_skeleton[a], by_skeleton[b])
    # short forms: the tail of exactly one longer name
    longer_ending_in: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    for long_ in keys:
        for cut in range(1, len(long_)):
            longer_ending_in.setdefault(long_[cut:], []).append(long_)
    for short in keys:
        holders = {uf.find(by_skeleton[long_]) for long_ in longer_ending_in.get(short, ())}
        if len(holders) == 1 and len(short[-1]) >= 3:
            uf.union(holders.pop(), by_skeleton[short])
    # acronyms: "HHN" for Harakat Hezbollah al-Nujaba, "US" for United States
    initials: dict[str, set[str]] = {}
    for s in uniq:
        words = _name_words(s)
        if len(words) >= 2:
            initials.setdefault("".join(w[0] for w in words if w), set()).add(uf.find(s))
    for s in uniq:
        acronym = s.replace(".", "")
        if acronym.isupper() and 2 <= len(acronym) <= 6:
            holders = initials.get(acronym.casefold(), set())
            if len(holders) == 1:
                uf.union(holders.pop(), s)
    members: dict[str, list[str]] = {}
    for s in uniq:
        members.setdefault(uf.find(s), []).append(s)
    out: dict[str, EntityCluster] = {}
    counts = Counter(surfaces)
    for root, forms in members.items():
        longest = max(len(skeletons[f]) for f in forms)
        label = sorted(
            (f for f in forms if len(skeletons[f]) == longest),
            key=lambda f: (-counts[f], order[f]),
        )[0]
        key = "entity:" + (" ".join(skeletons[root]) or _norm_words(root))
        cluster = EntityCluster(key=key, label=label, variants=forms)
        for f in forms:
            out[f] = cluster
    return out


# ---------------------------------------------------------------------------------------------
# Indexing a whole set


def _common_words(article_set: ArticleSet) -> frozenset[str]:
    """Words the set writes in lowercase somewhere: a capital on them only starts a sentence."""
    words: set[str] = set(textmod.STOPWORDS)
    for doc in article_set.documents:
        words.update(w.casefold() for w in re.findall(r"\b[a-z][\w’'\-]*", doc.text))
    return frozenset(words)


def _live_passages(article_set: ArticleSet) -> list[Passage]:
    return [p for p in article_set.passages if not p.boilerplate]


def _known_capitals(article_set: ArticleSet) -> frozenset[str]:
    """Words the set capitalises inside a sentence somewhere (not as its first word)."""
    known: set[str] = set()
    for passage in _live_passages(article_set):
        words = textmod.NAME_WORD_RE.findall(article_set.passage_text(passage))
        known.update(w for w in words[1:] if w[:1].isupper())
    return frozenset(known)


#: Endings that make a demonym or adjective of a place name (Iranian, Iraqi, Chinese).
_DEMONYM_ENDINGS = ("ian", "ean", "ican", "ese", "ish", "an", "i")
#: Of those, the ones that almost never end a name themselves.
_ADJECTIVE_ENDINGS = ("ian", "ean", "ican", "ese", "ish")


def _is_demonym(surface: str, names: frozenset[str], next_word: str) -> bool:
    """A single capitalised word used as an adjective of a place: "Iraqi", "American troops".

    It is one when the set also names the place it is made from (Iraqi/Iraq,
    Syrian/Syria, Chinese/China), or when it has an adjective ending and stands
    before a lowercase word ("Iranian general").
    """
    if not re.fullmatch(r"[^\W\d_][\w’']*", surface) or not surface[:1].isupper():
        return False
    low = textmod.strip_accents(surface.casefold())
    if low.endswith("s") and not low.endswith(("ss", "is")):
        low = low[:-1]  # Iraqis, Americans
    if not low.endswith(_DEMONYM_ENDINGS):
        return False
    for cut in range(1, 5):
        base = low[:-cut]
        if len(base) >= 3 and (base in names or base + "a" in names):
            return True
    return low.endswith(_ADJECTIVE_ENDINGS) and next_word[:1].islower()


def _drop_demonyms(raw_units: dict[str, list[Unit]], texts: dict[str, str]) -> None:
    """Remove entity units that are adjectives of a place rather than names."""
    entity_units = [u for units in raw_units.values() for u in units if u.kind == "entity"]
    clusters = cluster_entities([u.surface for u in entity_units])
    names = frozenset(textmod.strip_accents(u.surface.casefold()) for u in entity_units)
    drop: set[int] = set()
    for unit in entity_units:
        # a short form of a longer name ("Sudani" for Mohammed Shia al-Sudani) is a name
        if any(" " in v for v in clusters[unit.surface].variants):
            continue
        after = re.match(r"\s*([^\s]*)", texts[unit.doc][unit.end : unit.end + 40])
        if _is_demonym(unit.surface, names, after.group(1) if after else ""):
            drop.add(id(unit))
    for pid, units in raw_units.items():
        raw_units[pid] = [u for u in units if id(u) not in drop]


def index_units(article_set: ArticleSet) -> UnitIndex:
    """Extract every unit of every non-boilerplate sentence of the set."""
    common = _common_words(article_set)
    known = _known_capitals(article_set)
    texts = {d.id: d.text for d in article_set.documents}
    raw_units: dict[str, list[Unit]] = {}
    # versions copy each other's sentences word for word: each text is read once
    seen: dict[str, list[_FoundUnit]] = {}
    for passage in _live_passages(article_set):
        raw = texts[passage.doc][passage.start : passage.end]
        found = seen.get(raw)
        if found is None:
            found = seen[raw] = _text_units(raw, common, known)
        raw_units[passage.id] = _placed(found, passage)
    _drop_demonyms(raw_units, texts)
    entity_surfaces = [
        u.surface for units in raw_units.values() for u in units if u.kind == "entity"
    ]
    clusters = cluster_entities(entity_surfaces)
    actor_clusters = _actor_keys(clusters)
    for units in raw_units.values():
        for unit in units:
            if unit.kind == "entity":
                unit.entity = clusters[unit.surface].key
                unit.key = unit.entity
            elif unit.kind in ("attribution", "quote") and unit.speaker:
                unit.actor = actor_clusters(unit.speaker)
                if unit.kind == "attribution":
                    unit.key = f"attribution:{unit.verb}:{unit.actor}"
    by_cluster = {c.key: c for c in clusters.values()}
    titled = frozenset(u.entity for units in raw_units.values() for u in units if u.role)
    return UnitIndex(
        by_passage=raw_units,
        entities=by_cluster,
        titled=titled,
        doc_order={d.id: i for i, d in enumerate(article_set.documents)},
        group_passages={g.id: g.passages for g in article_set.groups},
    )


#: Words that make a name an organisation ("Islamic Resistance", "Defence Ministry").
_ORGANISATION_WORDS = frozenset(
    [
        "agency",
        "alliance",
        "army",
        "association",
        "authority",
        "bank",
        "board",
        "brigade",
        "brigades",
        "bureau",
        "club",
        "coalition",
        "commission",
        "committee",
        "company",
        "corporation",
        "council",
        "court",
        "department",
        "federation",
        "force",
        "forces",
        "foundation",
        "front",
        "fund",
        "group",
        "guard",
        "inc",
        "institute",
        "league",
        "ltd",
        "militia",
        "ministry",
        "movement",
        "network",
        "office",
        "organisation",
        "organization",
        "party",
        "police",
        "resistance",
        "service",
        "team",
        "union",
        "university",
    ]
)


def is_person_or_organisation(index: UnitIndex, phrase: str, actor_key: str) -> bool:
    """Whether an actor is a person or an organisation rather than a place or a vague subject.

    A person is written with a title somewhere in the set ("Prime Minister X",
    "spokesman X") or has the shape of a personal name whose surname the set also
    uses alone; an organisation carries a word like ministry, council or forces. A
    country or a capital standing for its government ("Washington said") is neither,
    which keeps metonyms from looking like different actors.
    """
    cluster = index.entities.get(actor_key)
    forms = [phrase, *(cluster.variants if cluster else [])]
    words = {w for form in forms for w in _norm_words(form).split()}
    words |= {w[:-1] for w in words if w.endswith("s")}  # "Networks", "Forces"
    if words & _ORGANISATION_WORDS or words & (_ROLE_WORDS | _HONORIFICS) - {"head", "leader"}:
        return True
    if cluster is None:
        return False
    if actor_key in index.titled:
        return True
    # a personal name: a full form of two or more words and its last word used alone
    full = [v for v in cluster.variants if len(_name_words(v)) >= 2]
    short = {_name_words(v)[-1] for v in cluster.variants if len(_name_words(v)) == 1}
    return any(_name_words(v)[-1] in short for v in full)


def _actor_keys(clusters: dict[str, EntityCluster]) -> Callable[[str], str]:
    """Map an actor phrase to the entity it names, or to its plain words."""
    lookup = {_plain_surface(s): c.key for s, c in clusters.items()}
    by_skeleton = {_skeleton(s): c.key for s, c in clusters.items() if _skeleton(s)}

    def key(phrase: str) -> str:
        plain = _plain_surface(phrase)
        words = plain.split()
        # the longest run of the phrase that is a known entity
        for size in range(len(words), 0, -1):
            for k in range(len(words) - size + 1):
                part = " ".join(words[k : k + size])
                if part in lookup:
                    return lookup[part]
        sk = _skeleton(phrase)
        for size in range(len(sk), 0, -1):
            for k in range(len(sk) - size + 1):
                found = by_skeleton.get(sk[k : k + size])
                if found:
                    return found
        content = [w for w in words if w not in textmod.STOPWORDS]
        return "actor:" + " ".join(content or words)

    return key


#: A unit found in a sentence's text: kind, key, surface, start and end in the text,
#: and the rest of the ``Unit``'s fields.
_FoundUnit = tuple[str, str, str, int, int, dict[str, str]]


def _placed(found: list[_FoundUnit], passage: Passage) -> list[Unit]:
    """The units of a sentence's text as units of ``passage`` (document offsets)."""
    return [
        Unit(
            kind=kind,
            key=key,
            surface=surface,
            doc=passage.doc,
            passage=passage.id,
            start=passage.start + start,
            end=passage.start + end,
            **info,
        )
        for kind, key, surface, start, end, info in found
    ]


def _text_units(
    raw: str, common: frozenset[str], known: frozenset[str] = frozenset()
) -> list[_FoundUnit]:
    """The units of one sentence's raw text, with offsets into that text."""
    text, to_raw = _view(raw)
    units: list[_FoundUnit] = []

    def add(kind: str, key: str, s: int, e: int, **info: str) -> None:
        surface = " ".join(text[s:e].split())
        units.append((kind, key, surface, to_raw(s), to_raw(e), info))

    dates = _dates(text)
    for s, e, info in dates:
        add(
            "date",
            f"date:{info['noun']}:{info['value']}",
            s,
            e,
            value=info["value"],
            noun=info["noun"],
        )
    date_spans = [(s, e) for s, e, _ in dates]
    for s, e, info in _numbers(text, date_spans):
        add(
            "number",
            f"number:{info['value']}:{info['noun']}",
            s,
            e,
            value=info["value"],
            noun=info["noun"],
            qualifier=info["qualifier"],
        )
    quotes = _quote_spans(text)
    for s, e in quotes:
        speaker = _speaker(text, (s, e), quotes)
        add("quote", "quote:" + _norm_words(text[s:e]), s, e, speaker=speaker)
    for s, e, info in _attributions(text, quotes):
        add("attribution", "", s, e, speaker=info["speaker"], verb=info["verb"])
    for s, e, info in _entities(text, common, known):
        add("entity", "", s, e, role=info["role"])
    return units


# ---------------------------------------------------------------------------------------------
# Suggestions per group


def _doc_order(article_set: ArticleSet) -> dict[str, int]:
    return {d.id: i for i, d in enumerate(article_set.documents)}


def _merge_keys(units: list[Unit]) -> dict[int, str]:
    """Final merge key per unit (by position in ``units``) inside one group."""
    keys: dict[int, str] = {}
    # numbers: a value with no counted noun joins the only noun counted with that value
    nouns_by_value: dict[str, set[str]] = {}
    for u in units:
        if u.kind == "number" and u.noun:
            nouns_by_value.setdefault(u.value, set()).add(u.noun)
    # the same value counting differently named things in different versions of one
    # passage ("110 times" / "110 occasions", "100 people" / "100 lives") is one unit,
    # unless a version itself counts two things with that value
    per_doc: dict[tuple[str, str], set[str]] = {}
    first_noun: dict[str, str] = {}
    for u in units:
        if u.kind == "number" and u.noun:
            per_doc.setdefault((u.value, u.doc), set()).add(u.noun)
            first_noun.setdefault(u.value, u.noun)
    shared_value = {
        value
        for value in first_noun
        if all(len(n) == 1 for (v, _d), n in per_doc.items() if v == value)
    }
    quote_reps: list[tuple[str, str]] = []  # (key, normalised words)
    for i, u in enumerate(units):
        key = u.key
        if u.kind == "number" and u.value in shared_value:
            key = f"number:{u.value}:{first_noun[u.value]}"
        elif u.kind == "number" and not u.noun and len(nouns_by_value.get(u.value, ())) == 1:
            key = f"number:{u.value}:{next(iter(nouns_by_value[u.value]))}"
        elif u.kind == "date" and u.noun == "date":
            key = f"date:date:{u.value}"
        elif u.kind == "quote":
            words = key.split(":", 1)[1]
            for rep_key, rep_words in quote_reps:
                if fuzz.ratio(words, rep_words) >= 85 or (
                    min(len(words), len(rep_words)) >= 20
                    and fuzz.partial_ratio(words, rep_words) >= 92
                ):
                    key = rep_key
                    break
            else:
                quote_reps.append((key, words))
        keys[i] = key
    return keys


def group_units(article_set: ArticleSet, index: UnitIndex, group_id: str) -> list[Unit]:
    passage_ids = index.group_passages.get(group_id)
    if passage_ids is None:
        group = next((g for g in article_set.groups if g.id == group_id), None)
        if group is None:
            raise KeyError(group_id)
        passage_ids = group.passages
    order = index.doc_order or _doc_order(article_set)
    units = [u for pid in passage_ids for u in index.by_passage.get(pid, [])]
    return sorted(units, key=lambda u: (order.get(u.doc, 0), u.start, u.end))


def _suggestions(article_set: ArticleSet, index: UnitIndex, group_id: str) -> list[Suggestion]:
    units = group_units(article_set, index, group_id)
    keys = _merge_keys(units)
    order = index.doc_order or _doc_order(article_set)
    merged: dict[str, list[Unit]] = {}
    for i, u in enumerate(units):
        merged.setdefault(keys[i], []).append(u)
    out: list[Suggestion] = []
    for key, members in merged.items():
        first = members[0]
        by_doc: dict[str, list[Mention]] = {}
        for u in sorted(members, key=lambda u: (order.get(u.doc, 0), u.start)):
            mention = (u.passage, u.start, u.end, u.surface)
            if mention not in by_doc.setdefault(u.doc, []):
                by_doc[u.doc].append(mention)
        surfaces = list(dict.fromkeys(u.surface for u in members))
        detail: dict[str, str] = {}
        label = first.surface
        variants: list[str] = []
        if first.kind == "entity":
            cluster = index.entities.get(first.entity)
            label = cluster.label if cluster else first.surface
            variants = list(cluster.variants) if cluster else surfaces
            roles = sorted({u.role for u in members if u.role})
            if roles:
                detail["role"] = ", ".join(roles)
        elif first.kind == "quote":
            speakers = list(dict.fromkeys(u.speaker for u in members if u.speaker))
            if speakers:
                detail["speaker"] = "; ".join(speakers)
            label = f"“{first.surface}”" + (f" ({speakers[0]})" if speakers else "")
            variants = surfaces
        elif first.kind == "number":
            detail["value"] = first.value
            nouns = list(dict.fromkeys(u.noun for u in members if u.noun))
            if nouns:
                detail["counts"] = " / ".join(nouns)
            variants = surfaces
        elif first.kind == "date":
            detail["value"] = first.value
            detail["type"] = first.noun
            variants = surfaces
        elif first.kind == "attribution":
            detail["actor"] = first.speaker
            detail["verb"] = first.verb
            variants = surfaces
        out.append(
            Suggestion(
                kind=first.kind,
                key=key,
                label=label,
                group=group_id,
                by_doc=by_doc,
                variants=variants,
                detail=detail,
            )
        )
    rank = {k: i for i, k in enumerate(KINDS)}

    def position(s: Suggestion) -> tuple[int, int, int]:
        doc = next(iter(s.by_doc))
        return (rank[s.kind], order.get(doc, 0), s.by_doc[doc][0][1])

    return sorted(out, key=position)


def suggestions_for_group(
    article_set: ArticleSet, group_id: str, index: UnitIndex | None = None
) -> list[Suggestion]:
    """Check-worthy units of one alignment group, ordered by kind then first appearance."""
    return _suggestions(article_set, index or index_units(article_set), group_id)


def all_suggestions(article_set: ArticleSet, index: UnitIndex | None = None) -> list[Suggestion]:
    """Suggestions for every group, in group order."""
    index = index or index_units(article_set)
    out: list[Suggestion] = []
    for group in article_set.groups:
        out.extend(_suggestions(article_set, index, group.id))
    return out


def fact_from_suggestion(article_set: ArticleSet, suggestion: Suggestion) -> Fact:
    """Turn a suggestion into a fact: the sentence that carries it, anchored in every version.

    The statement is the sentence of its first appearance (repaired), the kind becomes a
    tag and the unit a note; every appearance becomes an anchor the editor confirms.
    The fact is not added to ``article_set.facts``.
    """
    from factdesk.core.facts import make_anchor  # local: facts imports nothing from here

    passages = {p.id: p for p in article_set.passages}
    anchors: list[Anchor] = []
    statement = suggestion.label
    for doc_id, mentions in suggestion.by_doc.items():
        text = article_set.document(doc_id).text
        for pid, start, end, _surface in mentions:
            anchors.append(make_anchor(text, doc_id, start, end, passage=pid, confirmed=False))
    if anchors:
        first = passages.get(anchors[0].passage)
        if first is not None:
            statement = " ".join(repair(article_set.passage_text(first)).split())
    stamp = now_iso()
    return Fact(
        id=next_fact_id(article_set.facts),
        statement=statement,
        anchors=anchors,
        tags=[suggestion.kind],
        note=f"Suggested {suggestion.kind}: {suggestion.label}",
        created=stamp,
        modified=stamp,
    )


# ---------------------------------------------------------------------------------------------
# What to review first

#: Kinds in the order an editor checks them: figures, quotes and dates are claims that can
#: be wrong; a bare name says little by itself.
REVIEW_ORDER = ("number", "quote", "date", "attribution", "entity")
#: How many suggestions a review list shows before "show all".
TOP_SUGGESTIONS = 30


def is_trivial(suggestion: Suggestion) -> bool:
    """A name on its own ("Iraq"): found everywhere, rarely a claim to check."""
    return suggestion.kind == "entity"


def for_review(suggestions: Iterable[Suggestion]) -> list[Suggestion]:
    """Suggestions in the order to review them, each unit once.

    The same unit found in several rows (a country named in every paragraph) is one
    suggestion: its first row, with every version's mentions and ``detail["rows"]``.
    Claims come first (figures, quotes, dates, attributions, then names), those carried
    by more versions before those in fewer; ties keep the text order.
    """
    merged: dict[tuple[str, str], Suggestion] = {}
    rows: dict[tuple[str, str], int] = {}
    for sug in suggestions:
        key = (sug.kind, sug.key or sug.label.casefold())
        first = merged.get(key)
        if first is None:
            # copies of what gets added to, so the suggestions given stay as they were
            merged[key] = dataclasses.replace(
                sug,
                by_doc={d: list(m) for d, m in sug.by_doc.items()},
                detail=dict(sug.detail),
                variants=list(sug.variants),
            )
            rows[key] = 1
            continue
        rows[key] += 1
        for doc, mentions in sug.by_doc.items():
            first.by_doc.setdefault(doc, []).extend(mentions)
        for variant in sug.variants:
            if variant not in first.variants:
                first.variants.append(variant)
    out = list(merged.values())
    for key, sug in merged.items():
        if rows[key] > 1:
            sug.detail["rows"] = str(rows[key])
    rank = {kind: i for i, kind in enumerate(REVIEW_ORDER)}
    position = {id(s): i for i, s in enumerate(out)}
    return sorted(out, key=lambda s: (rank.get(s.kind, len(rank)), -len(s.by_doc), position[id(s)]))
