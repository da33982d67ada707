"""Paragraphs, sentences and page furniture of each version.

A document becomes paragraphs and sentences (``Passage``) whose offsets point into
``Document.text`` unchanged. Lines that belong to the web page rather than to the
story (share widgets, captions, datelines, bylines, ...) are kept as passages, so
nothing disappears from the reading view, but are flagged as boilerplate with a
short reason. ``flag_off_topic`` is a second, set-level pass that flags short
paragraphs about another story (adverts for other articles).

Hard-wrapped text (lines ending near one column, as in e-mail and fixed-width exports)
keeps paragraphs and sentences across its line ends. Agency wire copy is laid out by its
own markers (``factdesk.core.wire``): a control character or a ``<`` or a blank line ends
a paragraph, and its slug, rulers, byline and end lines are flagged.

Sentence splitting is rule based: a full stop ends a sentence unless the word
before it is an abbreviation, an initial or a number that keeps going; the rules
are written for English, French, German and Spanish-style text, with the common
Russian abbreviations. The full stops and question marks of other scripts (CJK,
Arabic and Urdu, Devanagari, Armenian, Ethiopic, Burmese, Khmer) end a sentence too.
"""

from __future__ import annotations

import importlib.util
import itertools
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from factdesk.core import wire
from factdesk.core.lemmas import lemmatize
from factdesk.core.lexicon import (
    AGENCIES,
    MONTH_ABBREVIATIONS,
    MONTHS,
    PHOTO_AGENCIES,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
    calendar_names,
)
from factdesk.core.model import Document, Paragraph, Passage
from factdesk.core.text import LETTERS, LETTERS_RE, NUMBER, detect_language

__all__ = ["flag_off_topic", "is_wire_copy", "segment_document", "split_sentences"]

# ---------------------------------------------------------------------------
# Abbreviations and sentence starters (all lowercase, without the full stop)


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


#: Titles written before a name: a full stop after them never ends a sentence.
_TITLES = _words(
    """
    mr mrs ms messrs mme mmes mlle mlles dr dra drs prof profs pr gen gens maj lt lieut col
    capt cpt sgt cpl pvt pfc spc adm cmdr cdr comdr brig gov govs sen sens rep reps rev
    hon pres supt insp det atty msgr rt sra srta lic ing arq hr hrn
    """
)

#: Abbreviations written lowercase before a name or a street; never close a sentence.
_TITLES_ANY = _words(
    """
    ул просп пл пер наб им проф акад доц тов ген
    डॉ प्रो
    """
)

#: Abbreviations that may also close a sentence; matched only when capitalised (the month
#: and weekday abbreviations of ``lexicon`` among them).
_AMBIGUOUS_CASED = frozenset(
    calendar_names(MONTH_ABBREVIATIONS) + calendar_names(WEEKDAY_ABBREVIATIONS)
) | _words(
    """
    inc corp ltd co bros jr sr st ste ave av avda blvd rd mt ft univ dept assn intl natl
    esq fr
    ala ariz ark calif colo conn del fla ga ill ind kan kans ky la md mass mich minn miss
    mo mont neb nev okla ore pa tenn tex va vt wash wis wyo
    """
)

#: Abbreviations that may also close a sentence, in any case.
_AMBIGUOUS_ANY = _words(
    """
    etc vs v approx appr incl cf viz esp al ca resp ibid cit usw bzw vgl ggf evtl inkl zzgl
    sog ehem env aprox mln bn bln mio mrd tsd min mins hr hrs sec secs yr yrs wk wks
    oz lb lbs
    г гг вв др пр гр тыс млн млрд руб долл коп чел см ср напр
    """
)

#: Abbreviations followed by a number ("No. 10", "p. 5").
_NUMBER_ABBREVS = _words(
    "no nos nr nrs art arts vol vols p pp fig figs ch chap sect para tel fax ed eds s n núm pág"
)

#: Month names and abbreviations of every language the dateline rules know.
_MONTH_NAMES = calendar_names(MONTHS) + calendar_names(MONTH_ABBREVIATIONS)
_MONTHS = frozenset(_MONTH_NAMES)

#: Words that commonly open a sentence: after an ambiguous abbreviation ("U.S.",
#: "etc.", "Inc.") a capitalised word from this list starts a new sentence.
_STARTERS = _words(
    """
    the a an he she it they we i you this that these those there here but and or so yet
    in on at as if when while after before however meanwhile his her its their our my
    some many most one two three several also still then now for with by from to no not
    what who why how where officials police according last next earlier later since
    le la les il elle ils elles un une des ce cette ces mais et en dans selon pour nous
    on au aux du de il lors depuis
    der die das er sie es ein eine wir ich aber und im am auf mit nach bei dies diese
    dieser dabei doch zudem laut
    el los las él ella ellos ellas pero y con por para este esta estos estas según se
    lo al del una unos unas
    в во на по но и а он она оно они мы я вы это этот эта эти так там тогда однако также
    как что когда после при для из с к у о об же ведь кроме
    """
)

_OPENERS = "\"'“‘«„‚‹([{¿¡<*_–—-•·`"
_CLOSERS = "\"'”’»›)]」』）"
#: Full stops and question marks of scripts that never use them inside a sentence:
#: CJK (also halfwidth), Arabic question mark, Urdu full stop, Devanagari danda and
#: double danda, Armenian full stop, Ethiopic full stop and question mark, Burmese and
#: Khmer sections, doubled marks and the Greek question mark character.
_SCRIPT_TERMINAL = "。！？｡؟۔।॥։።፧။។‼⁇⁈⁉\u037e"
_TERMINAL = ".!?‽…" + _SCRIPT_TERMINAL

# Terminal punctuation (a run counts once) plus the quotes and brackets that close
# after it; a guillemet set off by a space (French) closes too. A Greek question mark
# is a semicolon, so ";" counts only between Greek words where it cannot be a pause.
_BOUNDARY_RE = re.compile(
    rf"(?P<punct>[.!?‽…]+|[{_SCRIPT_TERMINAL}]+|(?<=[\u0370-\u03ff\u1f00-\u1fff]);"
    r"(?=[\"'”’»)]*\s+[\"'“«(]*[\u0391-\u03a9\u0386\u0388-\u038f\u1f08-\u1f6f]))"
    r"(?:[\"'”’»›)\]」』）]|[ \u00a0\u202f][»›](?=\s|$))*"
)
_ACRONYM_RE = re.compile(r"(?:[^\W\d_]{1,2}\.)+[^\W\d_]{1,2}")
_GLUED_PREV_RE = re.compile(r"[a-zà-ÿ]{3}$")
_GLUED_NEXT_RE = re.compile(r"[A-Z][a-z]")
_SCAN = 40  # how far to look for the words around a full stop (keeps long runs linear)


def split_sentences(text: str, *, wrap_width: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans inside ``text`` (a paragraph), trimmed so ``text[s:e]`` is the sentence.

    A line break ends a sentence (headlines, lists, widget lines) unless the text is
    hard-wrapped prose; ``wrap_width`` gives the wrap width (0: not wrapped), by
    default it is guessed from ``text`` itself.
    """
    if wrap_width is None:
        wrap_width = _wrap_width(_line_spans(text), text)
    return _split(text, wrap_width, line_breaks=True)


def _split(text: str, wrap_width: int, *, line_breaks: bool) -> list[tuple[int, int]]:
    """``split_sentences``; without ``line_breaks`` no line end ends a sentence by itself.

    That is for paragraphs whose ends are marked (wire copy), where every line break
    inside is a hard wrap; ``wrap_width`` must then be non-zero.
    """
    n = len(text)
    cuts: set[int] = set()
    for m in _BOUNDARY_RE.finditer(text):
        end = m.end()
        j = end
        while j < n and text[j].isspace():
            j += 1
        if j >= n:
            continue
        punct = m.group("punct")
        if j == end:
            if _glued_sentence(text, m.start(), punct, j):
                cuts.add(end)
            continue
        if not wrap_width and "\n" in text[end:j]:
            continue  # the line break below cuts here anyway
        prev = _word_before(text, m.start())
        line_start = _at_line_start(text, m.start() - len(prev))
        tokens = text[j : min(n, j + _SCAN)].split(None, 2)
        nxt = tokens[0]
        if len(tokens) > 1 and not nxt.lstrip(_OPENERS):
            nxt += tokens[1]  # «Почему?» — спросил он: the word after the dash decides
        if _ends_sentence(prev, punct, nxt, line_start):
            cuts.add(end)
    if line_breaks:
        cuts.update(_line_breaks(text, wrap_width))
    return _pieces(text, sorted(cuts))


def _glued_sentence(text: str, punct_start: int, punct: str, nxt: int) -> bool:
    """``end.The next`` with the space lost in scraping; CJK needs no space at all."""
    if punct[0] in _SCRIPT_TERMINAL:
        # these marks never sit inside a word; but a verse number follows a danda and
        # a Japanese quote goes on with its particle: 「はい。」と言った
        if punct[0] in "।॥" and text[nxt].isdigit():
            return False
        return not (text[nxt] == "と" and text[nxt - 1] in "」』")
    if punct not in (".", "!", "?"):
        return False
    prev = _word_before(text, punct_start)
    if not _GLUED_PREV_RE.search(prev) or any(c in prev for c in "./@:\\_"):
        return False
    return bool(_GLUED_NEXT_RE.match(text, nxt))


def _word_before(text: str, pos: int) -> str:
    i = pos
    stop = max(0, pos - _SCAN)
    while i > stop and not text[i - 1].isspace():
        i -= 1
    return text[i:pos]


def _at_line_start(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] != "\n":
        if not text[i].isspace():
            return False
        i -= 1
    return True


def _ends_sentence(prev: str, punct: str, nxt: str, line_start: bool) -> bool:
    """Whether terminal punctuation after ``prev`` and before the token ``nxt`` ends a sentence."""
    body = nxt.lstrip(_OPENERS) or nxt
    first = body[0]
    quoted = len(body) < len(nxt)  # an opening quote or bracket came first
    word_m = LETTERS_RE.match(body)
    word = word_m.group(0) if word_m else ""
    kind = _abbreviation_kind(prev, line_start) if punct == "." else None
    if first.islower():
        # "U.S. forces", "Why?" he asked: lowercase goes on, except "... ended. iPhone sales".
        return punct == "." and kind is None and any(c.isupper() for c in word[1:])
    if punct != ".":
        return True  # ? ! ... before a capital, digit or another script
    if kind is None:
        return True
    if kind == "title":
        return False
    if kind == "number":
        return not first.isdigit()
    if kind == "ordinal":  # "am 4. Januar", but "killed 16. The"
        return word.lower() not in _MONTHS
    if first.isdigit():  # "Sept. 11", "U.S. 2024"
        return False
    initial = len(word) == 1 and body[1:2] == "."  # "В. В. Путин", "John A. B. Smith"
    starter = word.lower() in _STARTERS and (len(word) == 1 or word[1:].islower()) and not initial
    return starter or (quoted and first.isupper())


def _abbreviation_kind(prev: str, line_start: bool) -> str | None:
    """How a full stop after ``prev`` behaves: None for a plain word that ends a sentence."""
    core = prev.lstrip(_OPENERS)
    if not core:
        return None
    if core.isdigit():
        if len(core) > 2:
            return None
        return "title" if line_start else "ordinal"  # a list marker "1." or a German ordinal
    if len(core) == 1 and core.isalpha():
        if core.isupper() or not core.islower() or core in _AMBIGUOUS_ANY:
            # initials ("George W. Bush"), a lone letter of a script without case
            # (Arabic "د. محمد") and Russian "г." (year or city) need a starter after them
            return "ambiguous"
        return "number"
    if _ACRONYM_RE.fullmatch(core):
        return "ambiguous"  # U.S, e.g, a.m, Ph.D
    low = core.lower()
    cased = core[0].isupper()
    if (low in _TITLES and cased) or low in _TITLES_ANY:
        return "title"
    if low in _NUMBER_ABBREVS:
        return "number"
    if (low in _AMBIGUOUS_CASED and cased) or low in _AMBIGUOUS_ANY:
        return "ambiguous"
    return None


def _line_breaks(text: str, wrap_width: int) -> Iterable[int]:
    """Positions of line breaks that end a sentence."""
    pos = text.find("\n")
    line_start = 0
    while pos != -1:
        if not wrap_width:
            yield pos
        else:
            line = text[line_start:pos].strip()
            rest = text[pos + 1 : pos + 1 + _SCAN].lstrip()
            # In wrapped prose only a short line without a continuation mark ends here.
            if (
                line
                and rest
                and len(line) < 0.6 * wrap_width
                and line[-1] not in ",;:-–(&/"
                and (rest[0].isupper() or rest[0].isdigit() or rest[0] in _OPENERS)
            ):
                yield pos
        line_start = pos + 1
        pos = text.find("\n", line_start)


def _pieces(text: str, cuts: list[int]) -> list[tuple[int, int]]:
    """Trimmed non-empty spans between cuts; punctuation-only scraps join the sentence before."""
    spans: list[tuple[int, int]] = []
    begin = 0
    for cut in [*cuts, len(text)]:
        s, e = _trim(text, begin, cut)
        begin = cut
        if s >= e:
            continue
        scrap = not _has_word(text, s, e) or _TAG_SCRAP_RE.fullmatch(text, s, e)
        if spans and scrap and "\n" not in text[spans[-1][1] : s]:
            spans[-1] = (spans[-1][0], e)
        else:
            spans.append((s, e))
    return spans


#: Leftover markup such as "/p>" or "</div>" after a sentence.
_TAG_SCRAP_RE = re.compile(r"(?:</?[A-Za-z][\w-]*\s*/?>|/[A-Za-z]+>|[A-Za-z]+/>)+")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _has_word(text: str, start: int, end: int) -> bool:
    return any(c.isalnum() for c in text[start:end])


# ---------------------------------------------------------------------------
# Layout: lines, paragraphs, hard wrapping


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Every line as ``(start, end)`` without its ``\\n``."""
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _is_blank(text: str, span: tuple[int, int]) -> bool:
    s, e = span
    return s == e or text[s:e].isspace()


def _wrap_width(lines: list[tuple[int, int]], text: str) -> int:
    """The width of hard-wrapped prose, or 0 when lines are not wrapped at a fixed width."""
    inner: list[tuple[str, str]] = []
    for (s, e), (s2, e2) in itertools.pairwise(lines):
        line = text[s:e].strip()
        nxt = text[s2:e2].strip()
        if line and nxt:
            inner.append((line, nxt))
    if len(inner) < 3:
        return 0
    # The longest line, or, when a few lines run far past the others (an address or a
    # table row that could not be wrapped), the longest of the lines of ordinary length.
    lengths = sorted(len(line) for line, _ in inner)
    median = lengths[len(lengths) // 2]
    ordinary = max(n for n in lengths if n <= 1.25 * median)
    for width in dict.fromkeys((lengths[-1], ordinary)):
        if _wrapped_at(inner, width):
            return width
    return 0


def _wrapped_at(inner: list[tuple[str, str]], width: int) -> bool:
    """Whether lines (each with the line after it) read as prose hard-wrapped at ``width``."""
    if not 40 <= width <= 160:
        return False
    # Wrapped prose: many lines of nearly one width, mostly broken mid-sentence before a
    # lowercase word; headlines, bylines and widgets between them are short and ignored.
    full = [(line, nxt) for line, nxt in inner if len(line) >= width - 25]
    if len(full) < 3 or len(full) < 0.4 * len(inner):
        return False
    open_end = sum(1 for line, _ in full if line[-1] not in _TERMINAL + _CLOSERS) / len(full)
    lower_next = sum(1 for _, nxt in full if nxt[0].islower()) / len(full)
    return open_end >= 0.5 and lower_next >= 0.25


@dataclass
class _Unit:
    """A stretch classified as one piece: a line, a dateline prefix, or wrapped lines."""

    paragraph: int
    sentences: list[tuple[int, int]]  # offsets into the document text
    reason: str = ""
    prefix: bool = False  # a dateline prefix split off its line

    @property
    def start(self) -> int:
        return self.sentences[0][0]

    @property
    def end(self) -> int:
        return self.sentences[-1][1]


def _paragraph_blocks(text: str) -> tuple[list[list[tuple[int, int]]], int]:
    """Paragraphs as lists of trimmed non-blank line spans, and the wrap width."""
    lines = _line_spans(text)
    width = _wrap_width(lines, text)
    blank_gaps = single_gaps = 0
    seen_text = False
    gap_blank = False
    for span in lines:
        if _is_blank(text, span):
            gap_blank = True
            continue
        if seen_text:
            if gap_blank:
                blank_gaps += 1
            else:
                single_gaps += 1
        seen_text = True
        gap_blank = False
    line_mode = not width and (blank_gaps == 0 or single_gaps > blank_gaps)

    blocks: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    for span in lines:
        if _is_blank(text, span):
            if current:
                blocks.append(current)
                current = []
            continue
        s, e = _trim(text, *span)
        current.append((s, e))
        line = text[s:e]
        ends_paragraph = line_mode or (
            width
            and not blank_gaps
            and line[-1] in _TERMINAL + _CLOSERS
            and len(line) < 0.7 * width
        )
        if ends_paragraph:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks, width


# ---------------------------------------------------------------------------
# Boilerplate patterns

# Month and weekday names match in any case, even inside case-sensitive patterns.
_MONTH_RE = f"(?i:{alternation(_MONTH_NAMES)})"
_WEEKDAY_RE = (
    f"(?i:{alternation(calendar_names(WEEKDAYS) + calendar_names(WEEKDAY_ABBREVIATIONS))})"
)
_TIME = (
    r"\d{1,2}[:h.]\d{2}(?::\d{2})?(?:\s*[ap]\.?m\.?)?(?:\s*(?:uhr|hrs)\b)?"
    r"(?:\s*(?-i:[A-Z]{2,4})(?:[+-]\d{1,2}(?::?\d{2})?)?\b)?"
)
_RELATIVE = (
    r"(?:(?:\d+|an?|one)\s+(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|"
    r"years?)\s+ago|(?:il\s+y\s+a|vor|hace)\s+\d+\s+\w+|yesterday|today|hier|aujourd'hui|"
    r"gestern|heute|ayer|hoy)"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th|er|e|º|\.)?"
_DATE = (
    rf"(?:(?:{_WEEKDAY_RE})\.?,?\s+(?:the\s+|le\s+|den\s+|el\s+)?)?"
    r"(?:"
    r"\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?)?"
    r"|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}"
    rf"|(?:{_MONTH_RE})\.?\s+{_DAY}(?:,?\s+\d{{4}})?"
    rf"|{_DAY}\s+(?:de\s+)?(?:{_MONTH_RE})\.?(?:,?\s+(?:de\s+)?\d{{4}})?"
    rf"|(?:{_MONTH_RE})\.?\s+\d{{4}}"
    r")"
    rf"(?:\s*(?:,|at|à|um|a las|-|–|—|\|)?\s*{_TIME})?"
)
_DATE_LABEL = (
    r"(?:(?:last\s+)?(?:published|updated|posted|modified|created|date[d]?|publié|publiée|"
    r"mis\s+à\s+jour|modifié|veröffentlicht|aktualisiert|stand|publicado|actualizado|fecha)"
    r"(?:\s+(?:on|le|am|el|at))?\s*:?\s*)"
)
_DATE_ITEM = rf"{_DATE_LABEL}?(?:{_DATE}|{_TIME}|{_RELATIVE})"
_DATELINE_RE = re.compile(
    rf"{_DATE_ITEM}(?:\s*(?:[|,/•·–—-]|and|et|y|und)?\s*{_DATE_ITEM})*[\s.,;:|–—-]*",
    re.IGNORECASE,
)
_DATE_PREFIX_RE = re.compile(
    rf"(?P<label>{_DATE_LABEL})?(?P<date>{_DATE})(?P<sep>\s*[|•·:–—-]+)?(?=\s+\S)",
    re.IGNORECASE,
)
_ISO_OR_NUMERIC_RE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{2,4}")

_AGENCY = f"(?:{alternation(AGENCIES)})"
_WIRE_DATELINE_RE = re.compile(
    rf"(?P<prefix>"
    rf"(?:[A-Z][A-Z'’.\-]+(?:\s+[A-Z][A-Z'’.\-]+){{0,3}}(?:,\s*[A-Z][\w.'’\-]*(?:\s+[A-Z][\w.'’\-]*){{0,2}})?"
    rf"(?:,\s*{_DATE})?\s*(?:\(\s*{_AGENCY}(?:\s*/\s*{_AGENCY})*\s*\))?"
    rf"|(?:[A-Z][\w'’.\-]+(?:\s+[A-Z][\w'’.\-]+){{0,2}}(?:,\s*{_DATE})?\s*)?"
    rf"\(\s*{_AGENCY}(?:\s*/\s*{_AGENCY})*\s*\))"
    r"\s*[-–—]{1,2})(?=\s+\S)"
)
_AGENCY_LINE_RE = re.compile(
    rf"\(?(?:with\s+|source\s*:\s*|via\s+|quelle\s*:\s*|fuente\s*:\s*|avec\s+)?{_AGENCY}"
    rf"(?:\s*(?:/|,|&|and|et|y|und|with)\s*{_AGENCY})*\)?\.?",
    re.IGNORECASE,
)
_BYLINE_HEAD_RE = re.compile(
    r"(?:(?:written|posted|reported|edited|compiled|words|text|texte|text\s+von)\s+by|by|par|von|por|door)"
    r"\s+(?=\S)",
    re.IGNORECASE,
)
_BYLINE_SPLIT_RE = re.compile(r"\s*(?:,|\||\s[-–—/]\s|\sin\s|\sfor\s|\sat\s)\s*")
_NAME_PARTICLES = _words("and & de da di du van von der den al el bin ibn und et y e la le del")
_BYLINE_TAIL_WORDS = _words(
    "staff writer reporter correspondent editor news desk agency political senior chief in for at"
)
_BYLINE_LABEL_RE = re.compile(
    r"(?:author|authors|autor|autora|auteur|auteurs|writer|reporter|redaktion|rédaction|"
    r"source|sources|quelle|fuente|credits?)\s*:\s*[^.!?]{1,80}\.?"
    r"|(?:additional\s+)?(?:reporting|writing|editing|compiled|translated)\s+by\s+.{1,200}"
    r"|(?:staff|news|web|online)\s+(?:writer|reporter|desk|correspondent|report)s?",
    re.IGNORECASE,
)
_CAPTION_RES = (
    re.compile(
        r"[(\[]\s*(?:[\w'’.\-]+\s+){0,3}(?:photos?|photographs?|pictures?|images?|pics?|fotos?|"
        r"archives?|file|illustration|screenshot|screengrab|video\s+still)\b[^)\]]{0,80}[)\]]"
        r"[\s.]*$",
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:^|[|/•·]\s*)(?:[\w'’]+\s+){0,2}(?:photos?|photographs?|pictures?|images?|pics?|fotos?|"
        r"bild|crédits?|credits?|crédito|illustration)(?:\s+(?:credit|by|courtesy|source))?\s*:\s*\S",
        re.IGNORECASE,
    ),
    re.compile(
        r"getty\s+images|shutterstock|\bimago\b|\bafp\s+photo\b|\bap\s+photo\b|\bfile\s+photo\b\s*[:)]"
        rf"|\b(?:{alternation(PHOTO_AGENCIES)})\s*/\s*[A-Z]"
        r"|\b(?:photo|picture|image)\s+(?:by|courtesy\s+of)\s+[A-Z]"
        r"|^\s*(?:file|archive|handout)\s+(?:photo|picture|image)\b",
        re.IGNORECASE,
    ),
)
#: Words one of the caption patterns needs; checked first because most lines have none.
_CAPTION_HINTS = (
    "phot",
    "pictur",
    "image",
    "pic",
    "foto",
    "bild",
    "archiv",
    "file",
    "illustration",
    "screen",
    "video",
    "credit",
    "crédit",
    "getty",
    "shutterstock",
    "imago",
    "handout",
    "courtesy",
    "/",
)
_RELATED_RE = re.compile(
    r"(?:related(?:\s+(?:posts?|articles?|stories|story|news|content|coverage|topics|links|"
    r"reading|videos?|items?))?\b"
    r"|read\s+(?:more|also|next|on|the\s+full\s+(?:story|article))\b|also\s+read\b|see\s+also\b"
    r"|more\s+(?:on\s+this|from|news|stories|articles|like\s+this|in)\b"
    r"|you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested|want)"
    r"|recommended(?:\s+(?:for\s+you|articles|stories|reading))?\b"
    r"|most\s+(?:read|popular|viewed|shared|commented)\b|trending(?:\s+(?:now|stories|news))?\b"
    r"|top\s+stories\b|(?:previous|next)\s+(?:post|article|story)\b|continue\s+reading\b"
    r"|(?:à\s+)?lire\s+(?:aussi|également|la\s+suite)\b|voir\s+aussi\b|sur\s+le\s+même\s+sujet\b"
    r"|lesen\s+sie\s+(?:auch|mehr|weiter)\b|mehr\s+zum\s+thema\b|auch\s+interessant\b"
    r"|(?:lea|lee|leer)\s+(?:también|más)\b|te\s+puede\s+interesar\b|noticias\s+relacionadas\b"
    r"|(?:tags?|topics?|keywords?|categor(?:y|ies)|filed\s+under|schlagwörter|etiquetas)\s*:)",
    re.IGNORECASE,
)
_ADVERT_RE = re.compile(
    r"(?:advertisement|advertising|advert|ads?|sponsored(?:\s+(?:content|post|links?|stories))?"
    r"|paid\s+(?:content|post|partnership)|promoted(?:\s+(?:content|stories))?|publicité"
    r"|anzeige|werbung|publicidad|scroll\s+to\s+continue(?:\s+with\s+content)?"
    r"|(?:story|article)\s+continues\s+(?:below|after)(?:\s+(?:the\s+)?advertisement)?"
    r"|continue\s+reading\s+(?:below|the\s+main\s+story))",
    re.IGNORECASE,
)
_COPYRIGHT_RE = re.compile(
    r"(?:©|\(c\)\s*\d{4}|copyright\b)|.*all\s+rights\s+reserved", re.IGNORECASE
)
_END_MARK_RE = re.compile(
    r"(?:-*\s*ends?\s*-*|-30-|#{3,}|\(end\)|more\s+follows|\+{3,}|[-—]\s*end\s*[-—]|xxx+)",
    re.IGNORECASE,
)
_BREADCRUMB_SEPARATORS = ">›»/|"

_WIDGET_CORE = _words(
    """
    share shares sharing tweet facebook twitter whatsapp telegram linkedin pinterest reddit
    email e-mail print pin comment comments reply replies subscribe notify newest oldest
    newsletter newsletters sign-up signup unsubscribe
    voted votes vote feedbacks feedback rating ratings guest login like likes bookmark copy
    flipboard messenger partager partagez commentaires commentaire commenter réagir teilen
    kommentare kommentar abonnieren drucken compartir comentarios comentario suscribirse
    imprimir
    """
)
_WIDGET_WORDS = _WIDGET_CORE | _words(
    """
    this news article story post page on via x mail sms link url save saved view all show
    our up today free daily weekly inbox get for
    load more see hide leave a add your write new follow-up follow up us most inline rate
    in log sign register liked loading click to opens window tab and or be the first
    threads bluesky mastodon tumblr vk ok cet sur s abonner abonnez vous diesen artikel
    este artículo noticia el en de of it
    """
)
_MEDIA_CORE = _words(
    """
    screen fullscreen play playing pause video videos audio watch listen mute unmute volume
    replay autoplay skip gallery slideshow enlarge expand zoom caption captions player
    loading subtitles podcast
    """
)
_MEDIA_WORDS = _MEDIA_CORE | _words(
    """
    open opens in full mode exit enter close to this article ad ads next previous prev image
    images photo photos of click tap view more now live duration settings quality hd cc
    please wait media the now toggle hide show min mins minute minutes sec seconds read
    reading time and on a an story
    """
)
_WIDGET_TOKEN_RE = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*|\d+")
_DURATION_RE = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?")
_READ_TIME_RE = re.compile(r"\d+\s*(?:min|mins|minutes?)\.?\s+(?:read|de\s+lecture|lesezeit)", re.I)
_IMAGE_COUNT_RE = re.compile(
    r"(?:(?:image|photo|picture|slide)\s+)?\d+\s*(?:of|/|sur|von|de)\s*\d+", re.I
)

_SLUG_FEATURES = (
    re.compile(r"\b\d{1,2}:\d{2}\b"),
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"),
    re.compile(r"\b(?:page|pg|p|seite|pág)\.?\s*\d+\b", re.IGNORECASE),
    re.compile(r"\b\d+\s*(?:words|wds)\b", re.IGNORECASE),
    re.compile(r"\b[A-Z]{2,}(?:-[A-Z0-9]{2,})+\b"),
)
_LOWER_WORD_RE = re.compile(r"\b[a-zà-ÿ]{4,}\b")
_SLUG_NEUTRAL = frozenset({"page", "words", "seite", "urgent", "update", "updated"})


def _tokens_lower(text: str) -> list[str]:
    return [t.lower() for t in _WIDGET_TOKEN_RE.findall(text)]


def _is_widget(text: str) -> bool:
    if len(text) > 100:
        return False
    toks = _tokens_lower(text)
    if not toks or len(toks) > 10:
        return False
    words = [t for t in toks if not t.isdigit()]
    return (
        bool(words)
        and all(t in _WIDGET_WORDS for t in words)
        and any(t in _WIDGET_CORE for t in words)
    )


def _is_media_chrome(text: str) -> bool:
    if len(text) > 100:
        return False
    stripped = text.strip(" .…:|-–—()[]")
    if _DURATION_RE.fullmatch(stripped) or _READ_TIME_RE.fullmatch(stripped):
        return True
    if _IMAGE_COUNT_RE.fullmatch(stripped) and not stripped.isdigit():
        return True
    toks = _tokens_lower(text)
    if not toks or len(toks) > 8:
        return False
    words = [t for t in toks if not t.isdigit()]
    return (
        bool(words)
        and all(t in _MEDIA_WORDS for t in words)
        and any(t in _MEDIA_CORE for t in words)
    )


def _is_slug(text: str) -> bool:
    if len(text) > 120 or text.endswith("."):
        return False
    if _END_MARK_RE.fullmatch(text):
        return True
    features = sum(1 for rx in _SLUG_FEATURES if rx.search(text))
    lower = [w for w in _LOWER_WORD_RE.findall(text) if w not in _SLUG_NEUTRAL]
    return features >= 2 and len(lower) <= 1 and not _DATELINE_RE.fullmatch(text)


def _is_byline(text: str, first: bool) -> bool:
    """A credit line: "By Jane Doe, PA News", "By admin", "Agence France-Presse", "(AP)"."""
    if len(text) > 120 and not text.lower().startswith(("reporting by", "additional reporting")):
        return False
    if _AGENCY_LINE_RE.fullmatch(text) or _BYLINE_LABEL_RE.fullmatch(text):
        return True
    head = _BYLINE_HEAD_RE.match(text)
    if head is None or first or text[-1] in ".!?;":
        return False  # a sentence such as "By Friday, officials had agreed." ends with a stop
    parts = _BYLINE_SPLIT_RE.split(text[head.end() :], maxsplit=1)
    names = parts[0].split()
    tail = parts[1] if len(parts) > 1 else ""
    if not names or len(names) > 6 or len(tail) > 60:
        return False
    lowercase_tail = [
        w for w in re.findall(r"[^\W\d_]{3,}", tail) if w.islower() and w not in _BYLINE_TAIL_WORDS
    ]
    if lowercase_tail:
        return False
    if len(names) == 1:
        return len(names[0]) <= 30  # "By admin", "By Reuters"
    return all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in names)


def _is_related(bare: str, text: str) -> bool:
    """ "Related posts", "Read more: <other story>", "Tags: ..." but not "Related talks resume."."""
    m = _RELATED_RE.match(bare)
    if m is None:
        return False
    rest = bare[m.end() :].lstrip()
    if not rest or m.group(0).endswith(":") or rest[0] in ":|»›>-–—":
        return True
    return len(bare.split()) <= 6 and not _ends_with_terminal(text)


def _is_caption(text: str) -> bool:
    low = text.lower()
    if not any(hint in low for hint in _CAPTION_HINTS):
        return False
    return any(rx.search(text) for rx in _CAPTION_RES)


def _is_control(text: str) -> bool:
    if text.isprintable():
        return False
    controls = sum(
        1
        for c in text
        if not c.isprintable() and not c.isspace() and unicodedata.category(c)[0] == "C"
    )
    if not controls:
        return False
    return not any(c.isalnum() for c in text) or controls >= 0.3 * len(text)


def _line_reason(text: str, first: bool) -> str:
    """The furniture a whole line (or wrapped paragraph) is, or "" for story text."""
    if _is_control(text):
        return "control characters"
    n = len(text)
    if n > 300:
        return ""  # furniture is short; most story paragraphs stop here
    if text.strip() and not any(c.isalnum() for c in text):
        return "ruler"  # a separator line of dashes, stars or dots
    bare = text.strip(" \t.…:|•·–—-»›>")
    if not bare:
        return ""
    if n <= 100:
        if _is_widget(bare):
            return "share widget"
        if _is_media_chrome(text):
            return "media chrome"
        if _ADVERT_RE.fullmatch(bare):
            return "advertisement"
    if n <= 250 and _is_related(bare, text):
        return "related links"
    if n <= 160 and _DATELINE_RE.fullmatch(text) and any(c.isdigit() for c in text):
        return "dateline"
    if n <= 120 and _is_slug(text):
        return "slug line"
    if _is_byline(text, first):
        return "byline"
    if _is_caption(text):
        return "caption"
    if n <= 200 and _COPYRIGHT_RE.match(bare):
        return "copyright"
    return ""


def _sentence_reason(text: str) -> str:
    """Furniture found inside a long line, judged one sentence at a time."""
    if _is_control(text):
        return "control characters"
    if len(text) <= 200 and _is_caption(text):
        return "caption"
    if len(text) <= 200 and _is_related(text, text):
        return "related links"
    return ""


def _dateline_prefix(text: str) -> int:
    """Length of a dateline opening a line ("date 2024-01-06 ", "BAGHDAD (Reuters) -"), or 0."""
    if _DATELINE_RE.fullmatch(text):
        return 0  # the whole line is a date
    m = _DATE_PREFIX_RE.match(text)
    if m and (m.group("label") or m.group("sep") or _ISO_OR_NUMERIC_RE.match(m.group("date"))):
        return m.end()
    w = _WIRE_DATELINE_RE.match(text)
    if w:
        prefix = w.group("prefix")
        # a capitalised city ("BAGHDAD") or an agency in brackets marks a wire dateline
        if "(" in prefix or re.match(r"[A-Z]{3,}", prefix):
            return w.end("prefix")
    return 0


_HEADLINE_WORDS = 25


def _ends_with_terminal(text: str) -> bool:
    return text.rstrip(_CLOSERS + " ")[-1:] in tuple(_TERMINAL + ":;")


def _classify(text: str, units: list[_Unit]) -> None:
    """Set ``reason`` on every unit that is page furniture rather than story text."""
    first_seen = False
    for unit in units:
        chunk = text[unit.start : unit.end]
        if unit.prefix:
            unit.reason = "dateline"
            continue
        unit.reason = _line_reason(chunk, first=not first_seen)
        if not unit.reason:
            first_seen = True

    # Section labels and breadcrumbs above the headline, then the headline itself.
    story = [u for u in units if not u.reason]
    headline: _Unit | None = None
    for i, unit in enumerate(story[:3]):
        chunk = text[unit.start : unit.end]
        following = story[i + 1] if i + 1 < len(story) else None
        after = text[following.start : following.end] if following is not None else None
        if after is not None and _is_section_label(chunk, after):
            unit.reason = "section label"
            continue
        headline = unit
        break

    # A short line without a full stop beside media furniture is its caption.
    for i, unit in enumerate(units):
        if unit.reason or unit is headline:
            continue
        chunk = text[unit.start : unit.end]
        if len(chunk) > 150 or len(chunk.split()) > 20 or _ends_with_terminal(chunk):
            continue
        neighbours = units[max(0, i - 1) : i] + units[i + 1 : i + 2]
        if any(n.reason in ("media chrome", "caption") for n in neighbours):
            unit.reason = "caption"


@cache
def _breadcrumb_re(separators: str) -> re.Pattern[str]:
    seps = re.escape(separators)
    return re.compile(rf"\S(?:[^{seps}]{{0,30}}\s[{seps}]\s){{2,5}}[^{seps}]{{1,30}}")


def _is_breadcrumb(chunk: str) -> bool:
    """``Home > World > Middle East``: two or more separators between short items.

    A sentence (it ends in a full stop), quoted guillemets (« non ») and numbers
    ("2023 / 2024") are never a trail.
    """
    if len(chunk) > 80 or _ends_with_terminal(chunk):
        return False
    seps = _BREADCRUMB_SEPARATORS
    if "«" in chunk:
        seps = seps.replace("»", "")
    if "‹" in chunk:
        seps = seps.replace("›", "")
    if not _breadcrumb_re(seps).fullmatch(chunk):
        return False
    items = re.split(rf"\s[{re.escape(seps)}]\s", chunk)
    return all(LETTERS_RE.search(item) for item in items)


def _is_section_label(chunk: str, following: str) -> bool:
    if _is_breadcrumb(chunk):
        return True
    words = chunk.split()
    if not 1 <= len(words) <= 3 or len(chunk) > 30 or _ends_with_terminal(chunk):
        return False
    if any(c.isdigit() for c in chunk):
        return False
    # Only a label if a headline still follows; otherwise this short line is the headline.
    return not _ends_with_terminal(following) and len(following.split()) <= _HEADLINE_WORDS


# ---------------------------------------------------------------------------
# Documents


def _line_groups(
    text: str, lines: list[tuple[int, int]], width: int
) -> list[list[tuple[int, int]]]:
    """Sentences of one paragraph, grouped by the lines they fill.

    Without wrapping every line is a group. In wrapped prose a group runs until a
    sentence ends at a line end, so a headline, byline or advert line inside a
    paragraph is still judged on its own.
    """
    if not width:
        return [
            [(s + a, s + b) for a, b in split_sentences(text[s:e], wrap_width=0)] for s, e in lines
        ]
    start, end = lines[0][0], lines[-1][1]
    groups: list[list[tuple[int, int]]] = []
    prev_end = -1
    for a, b in split_sentences(text[start:end], wrap_width=width):
        s, e = start + a, start + b
        if not groups or "\n" in text[prev_end:s]:
            groups.append([])
        groups[-1].append((s, e))
        prev_end = e
    return groups


def _split_prefix(text: str, paragraph: int, group: list[tuple[int, int]]) -> list[_Unit]:
    """Split a dateline opening the group ("date 2024-01-06 Headline") into its own unit."""
    cut = _dateline_prefix(text[group[0][0] : group[-1][1]])
    if not cut:
        return [_Unit(paragraph, group)]
    ps, pe = _trim(text, group[0][0], group[0][0] + cut)
    rest = []
    for s, e in group:
        if s < pe:
            s, e = _trim(text, pe, e)
        if s < e:
            rest.append((s, e))
    units = [_Unit(paragraph, [(ps, pe)], prefix=True)]
    if rest:
        units.append(_Unit(paragraph, rest))
    return units


def is_wire_copy(doc: Document) -> bool:
    """Whether ``doc`` is agency wire copy (loaded as such, or a text that reads as one)."""
    return doc.format == "wire" or (doc.format == "txt" and wire.is_wire(doc.text))


#: Boilerplate reasons of the parts of a wire story ("" for story text). The aligner takes
#: a "slug line" as the sign of wire copy; end lines ("ends", "mfl") share that reason,
#: as they do in other texts.
_WIRE_REASONS = {
    "slug": "slug line",
    "ruler": "ruler",
    "byline": "byline",
    "credit": "agency credit",
    "end": "slug line",
    "headline": "",
}
#: Any non-zero width: inside a wire paragraph every line break is a hard wrap.
_WIRE_WRAP = 1


def _wire_units(doc: Document) -> tuple[list[Paragraph], list[_Unit]]:
    """Paragraphs and classified units of wire copy, one paragraph per part of the story."""
    text = doc.text
    paragraphs: list[Paragraph] = []
    units: list[_Unit] = []
    for block in wire.layout(text).blocks:
        p_index = len(paragraphs)
        start, end = block.start, block.end
        paragraphs.append(
            Paragraph(id=f"{doc.id}.p{p_index}", doc=doc.id, index=p_index, start=start, end=end)
        )
        if block.kind == "paragraph":
            chunk = text[start:end]
            spans = [
                (start + a, start + b) for a, b in _split(chunk, _WIRE_WRAP, line_breaks=False)
            ]
            # Judge the paragraph without its marker and "<" ("By ...", "Picture: PA").
            bare = wire.END_MARK_RE.sub("", wire.MARK_RUN_RE.sub(" ", chunk)).strip()
            reason = _line_reason(bare, first=False) if bare else "control characters"
            units.append(_Unit(p_index, spans, reason=reason))
        elif block.kind == "line":
            for s, e in block.spans:
                spans = [(s + a, s + b) for a, b in split_sentences(text[s:e], wrap_width=0)]
                units.append(_Unit(p_index, spans, reason=_line_reason(text[s:e], first=False)))
        else:
            units.append(_Unit(p_index, list(block.spans), reason=_WIRE_REASONS[block.kind]))
    return paragraphs, units


def segment_document(doc: Document) -> tuple[list[Paragraph], list[Passage]]:
    """Paragraphs and sentences of ``doc`` with page furniture flagged as boilerplate.

    Wire copy is read by its own layout: each body paragraph runs from its control
    character to its ``<`` (or the next marker or blank line), its hard-wrapped lines
    joined; slug, rulers, byline, credits and end lines are flagged.
    """
    text = doc.text
    if is_wire_copy(doc):
        paragraphs, units = _wire_units(doc)
        return paragraphs, _passages(doc, units)
    blocks, width = _paragraph_blocks(text)
    paragraphs = []
    units = []
    for p_index, lines in enumerate(blocks):
        start, end = lines[0][0], lines[-1][1]
        paragraphs.append(
            Paragraph(id=f"{doc.id}.p{p_index}", doc=doc.id, index=p_index, start=start, end=end)
        )
        for group in _line_groups(text, lines, width):
            if group:
                units.extend(_split_prefix(text, p_index, group))

    _classify(text, units)
    return paragraphs, _passages(doc, units)


def _passages(doc: Document, units: list[_Unit]) -> list[Passage]:
    """One passage per sentence of each unit, flagged with the unit's reason."""
    text = doc.text
    passages: list[Passage] = []
    for unit in units:
        several = len(unit.sentences) > 1
        for s, e in unit.sentences:
            reason = unit.reason or (_sentence_reason(text[s:e]) if several else "")
            passages.append(
                Passage(
                    id=f"{doc.id}.s{len(passages)}",
                    doc=doc.id,
                    index=len(passages),
                    paragraph=unit.paragraph,
                    start=s,
                    end=e,
                    boilerplate=bool(reason),
                    boilerplate_reason=reason,
                )
            )
    return passages


# ---------------------------------------------------------------------------
# Off-topic paragraphs across the set

#: Stoplist names (justext) of the languages ``text.detect_language`` tells apart.
_LANGS = {
    "en": "English",
    "fr": "French",
    "de": "German",
    "es": "Spanish",
    "it": "Italian",
    "pt": "Portuguese",
    "nl": "Dutch",
}
_TERM_RE = re.compile(rf"{NUMBER}|{LETTERS}")
_OFF_TOPIC_MAX_CHARS = 320
_OFF_TOPIC_MAX_SENTENCES = 3
_OFF_TOPIC_MIN_TERMS = 4
_OFF_TOPIC_MIN_TERMS_SENTENCE = 6
_OFF_TOPIC_MAX_SHARED = 0.2  # share of its terms a teaser line may have elsewhere
_OFF_TOPIC_MIN_CONTEXT = 60  # terms needed elsewhere before anything can be judged off-topic
_STEM = 5  # terms compare on their first letters so "américain"/"américains" or "Iraq's" match


@cache
def _stoplist(lang: str) -> frozenset[str]:
    """justext's stoplist for ``lang`` (justext is a dependency of trafilatura, and its
    stoplists cover every language we meet)."""
    name = _LANGS.get(lang, "English")
    # Read the list's file directly: importing justext pulls in lxml.html and urllib,
    # 60 ms of start-up that plain text never needs.
    spec = importlib.util.find_spec("justext")
    folders = spec.submodule_search_locations if spec else None
    for folder in folders or ():
        path = Path(folder) / "stoplists" / f"{name}.txt"
        if path.is_file():
            words = path.read_text(encoding="utf-8").splitlines()
            return frozenset(word.lower() for word in words)
    import justext

    return frozenset(justext.get_stoplist(name))


class _Terms:
    """Content terms (lowercased lemmas without stopwords), cached per language and word."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, str]] = {}

    def __call__(self, words: Iterable[str], lang: str) -> set[str]:
        cache = self._cache.setdefault(lang, {})
        stop = _stoplist(lang)
        out = set()
        for word in words:
            term = cache.get(word)
            if term is None:
                term = self._normalise(word, lang, stop)
                cache[word] = term
            if term:
                out.add(term)
        return out

    @staticmethod
    def _normalise(word: str, lang: str, stop: frozenset[str]) -> str:
        if word[0].isdigit():
            return word if len(word) >= 2 else ""
        if len(word) < 3 or word in stop:
            return ""
        lemma = lemmatize(word, lang).lower()
        return "" if lemma in stop else lemma[:_STEM]


def flag_off_topic(documents: Sequence[Document], passages: list[Passage]) -> None:
    """Flag short paragraphs whose content words appear nowhere else in the set.

    A short paragraph counts as off-topic (an advert for another story, a stray
    teaser) when its content terms occur in no other document and in none of the
    paragraphs of its own document that are not next to it; a headline-like line
    without a full stop may share one term in five. The first paragraph of each
    document (the headline) is never flagged, and nothing is judged without
    enough text elsewhere to compare with.
    """
    texts = {doc.id: doc.text for doc in documents}
    # doc id -> ordered paragraph index -> its story passages
    by_doc: dict[str, dict[int, list[Passage]]] = {}
    for p in passages:
        if p.boilerplate or p.doc not in texts:
            continue
        by_doc.setdefault(p.doc, {}).setdefault(p.paragraph, []).append(p)

    terms_of = _Terms()
    doc_paragraphs: dict[str, list[tuple[list[Passage], set[str], int]]] = {}
    doc_frequency: Counter[str] = Counter()
    for doc_id, paras in by_doc.items():
        text = texts[doc_id]
        words_by_para = {
            idx: [w.lower() for p in ps for w in _TERM_RE.findall(text, p.start, p.end)]
            for idx, ps in paras.items()
        }
        lang = detect_language(text)  # the language alignment reads the document in
        entries = []
        for idx in sorted(paras):
            ps = paras[idx]
            chars = sum(p.end - p.start for p in ps)
            entries.append((ps, terms_of(words_by_para[idx], lang), chars))
        doc_paragraphs[doc_id] = entries
        doc_frequency.update(set().union(*(t for _, t, _ in entries)))

    total_terms = sum(doc_frequency.values())
    for entries in doc_paragraphs.values():
        own: Counter[str] = Counter()
        for _, terms, _ in entries:
            own.update(terms)
        own_size = sum(len(t) for _, t, _ in entries)
        others_size = total_terms - len(own)
        for i, (ps, terms, chars) in enumerate(entries):
            if i == 0 or chars > _OFF_TOPIC_MAX_CHARS or len(ps) > _OFF_TOPIC_MAX_SENTENCES:
                continue
            # Teasers read like headlines; a real sentence needs more evidence to be flagged.
            last = ps[-1]
            teaser = not _ends_with_terminal(texts[last.doc][last.start : last.end])
            min_terms = _OFF_TOPIC_MIN_TERMS if teaser else _OFF_TOPIC_MIN_TERMS_SENTENCE
            if len(terms) < min_terms:
                continue
            near = [entries[j][1] for j in (i - 1, i + 1) if 0 <= j < len(entries)]
            context = others_size + own_size - len(terms) - sum(len(t) for t in near)
            if context < _OFF_TOPIC_MIN_CONTEXT:
                continue
            shared = 0
            for term in terms:
                elsewhere_in_doc = own[term] - 1 - sum(1 for t in near if term in t)
                if doc_frequency[term] > 1 or elsewhere_in_doc > 0:
                    shared += 1
            if shared <= (_OFF_TOPIC_MAX_SHARED * len(terms) if teaser else 0):
                for p in ps:
                    if not p.boilerplate_reason:
                        p.boilerplate = True
                        p.boilerplate_reason = "off-topic"
