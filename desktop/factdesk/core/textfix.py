"""Repair broken characters in a piece of text for display and matching.

Copied and scraped news text often carries damage: mojibake (``Iraqâ€™s``), HTML
entities that were never decoded (``&#x27;``, ``&amp;``), entities that lost their
ampersand on the way (``#x27;Iran``), a right double quote typed where an
apostrophe belongs (``Iraq”s``) and stray markup (``... in Baghdad. /p>``). Agency
wire copy adds its own furniture: control characters opening paragraphs, ``<`` closing
them, TeX-style ````quotes''`` and lines hard-wrapped at a fixed width.

``repair`` fixes these in a *copy* of the text. ``Document.text`` is never rewritten
with it, so offsets into the document never move. Clean text comes back unchanged,
and typographic quotes, dashes and widths are left as the author wrote them.
"""

from __future__ import annotations

import difflib
import html
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

import ftfy

from factdesk.core.wire import END_MARK_RE

# Fix encoding damage only: keep curly quotes, ligatures, widths and normal form as written.
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # entities are handled below, the same way with or without markup
    uncurl_quotes=False,
    fix_latin_ligatures=False,
    fix_character_width=False,
    fix_line_breaks=False,
    normalization=None,
    explain=False,
)

# A complete entity: numeric (decimal or hex) or named.
_ENTITY_RE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

# A numeric entity whose "&" was lost, after a letter, a space or at the start.
_STRAY_ENTITY_RE = re.compile(
    r"(?:(?<=[^\W\d_])|(?<=\s)|^)#(?:([0-9]{2,7})|[xX]([0-9a-fA-F]{2,6}));"
)

# ” between a word and an English contraction or possessive ending: Iraq”s, don”t, we”re.
_QUOTE_AS_APOSTROPHE_RE = re.compile(r"(?<=[^\W\d_])\u201d(?=(?i:s|t|re|ll|ve|d|m)\b)")

_BLOCK_TAGS = "p|br|div|li|ul|ol|h[1-6]|blockquote|section|article|figure|figcaption|hr|tr|td|th"
_INLINE_TAGS = "span|strong|em|b|i|u|a|small|sup|sub|font|mark"
# A whole tag (<p>, </p>, <br/>, <a href="...">) or a closing tag that lost its "<" (/p>).
_MARKUP_RE = re.compile(
    rf"(?P<lead>[ \t]*)"
    rf"(?:</?(?:(?P<block>{_BLOCK_TAGS})|{_INLINE_TAGS})\b(?:\s[^<>]{{0,200}})?/?>"
    rf"|(?:(?<=\s)|(?<=[.!?,;:\"”’)])|^)/(?:(?P<block2>{_BLOCK_TAGS})|{_INLINE_TAGS})>)"
    rf"(?P<trail>[ \t]*)",
    re.IGNORECASE,
)

# Cheap pre-checks so clean sentences skip the regex passes.
_HAS_ENTITY_HINT = re.compile(r"[&#]")
_HAS_MARKUP_HINT = re.compile(r">|<")


def _decode_entity(match: re.Match[str]) -> str:
    return html.unescape(match.group(0))


def _decode_stray_entity(match: re.Match[str]) -> str:
    decimal, hexadecimal = match.group(1), match.group(2)
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code > 0x10FFFF:
        return match.group(0)
    char = chr(code)
    category = unicodedata.category(char)
    # Only characters that sites really escape: punctuation, symbols, spaces, Latin letters.
    plausible = category[0] in "PS" or category == "Zs" or (category[0] == "L" and code <= 0x24F)
    return char if plausible else match.group(0)


def _drop_markup(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.start(), match.end()
    # Nothing to keep apart at the edge of the text or of a line.
    if start == 0 or end == len(text) or text[start - 1] == "\n" or text[end] == "\n":
        return ""
    spaced = bool(match.group("lead") or match.group("trail"))
    block = bool(match.group("block") or match.group("block2"))
    # A block tag between two words still separated them; an inline tag did not.
    return " " if spaced or block else ""


# --------------------------------------------------------------------------- wire copy and wraps

_CONTROL = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"
# Control characters (tab and line breaks excepted) never belong to the text; agency feeds
# open paragraphs with them (0x19, 0x14, ...). With the spaces around them they go, or
# become one space where they stood between two words.
_CONTROL_RE = re.compile(f"[ \t]*{_CONTROL}(?:[ \t]*{_CONTROL})*[ \t]*")
_HAS_CONTROL_RE = re.compile(_CONTROL)

# TeX-style quotes of wire copy: ``double'' and `single'. Runs of three or more
# backticks (Markdown code fences) are left alone.
_TEX_QUOTE_RE = re.compile(r"(?<!`)``(?!`)|(?<!`)`(?!`)|(?<=\S)'''|(?<=\S)''(?!')|'")

# Runs of white space, which an encoding repair leaves as they are.
_SPACE_RUN_RE = re.compile(r"\s+")

# A line break between two words inside a span of text: a hard wrap of the line.
_WRAP_RE = re.compile(r"(?<=\S)[ \t]*\n[ \t]*(?=\S)")


def _drop_control(match: re.Match[str]) -> str:
    text = match.string
    start, end = match.start(), match.end()
    if start == 0 or end == len(text) or text[start - 1] == "\n" or text[end] == "\n":
        return ""
    return " "


def _tex_quotes() -> Callable[[re.Match[str]], str]:
    """A replacement for ``_TEX_QUOTE_RE`` that pairs `single' quotes within one text."""
    open_single = False

    def replace(match: re.Match[str]) -> str:
        nonlocal open_single
        token = match.group(0)
        text = match.string
        after = text[match.end() : match.end() + 1]
        if token == "``":
            return "\u201c"
        if token == "`":
            if after and not after.isspace():
                open_single = True
                return "\u2018"
            return token
        if token == "'''":  # a single and a double quote closing together
            closed, open_single = open_single, False
            return "\u2019\u201d" if closed else "\u201d\u2019"
        if token == "''":
            return "\u201d"
        # A lone ' closes an open `single quote unless a letter follows (an apostrophe).
        before = text[match.start() - 1 : match.start()]
        if open_single and before and not before.isspace() and not after.isalpha():
            open_single = False
            return "\u2019"
        return token

    return replace


def _drop(_match: re.Match[str]) -> str:
    return ""


def _space(_match: re.Match[str]) -> str:
    return " "


def _apostrophe(_match: re.Match[str]) -> str:
    return "\u2019"


def _is_span(text: str) -> bool:
    """A sentence or paragraph cut from a document: it neither starts nor ends with space.

    Only inside such a span is a single line break a hard wrap; text that keeps its line
    ends (a whole file, a block of lines) keeps its line breaks.
    """
    return not text[0].isspace() and not text[-1].isspace()


# --------------------------------------------------------------------------- repair


def _run(text: str, starts: list[int] | None) -> tuple[str, list[int] | None]:
    """Every repair step on ``text``; given ``starts``, the offset map is carried along.

    The one place the repairs live: ``repair`` runs it without a map and
    ``repair_with_map`` with one, so the two never disagree.
    """
    span = _is_span(text)

    def sub(pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str]) -> None:
        nonlocal text, starts
        if starts is None:
            text = pattern.sub(replace, text)
        else:
            text, starts = _sub_step(pattern, replace, text, starts)

    # Wire copy: "<" paragraph ends first (they may sit right before a marker), then the
    # control characters that open paragraphs.
    if "<" in text:
        sub(END_MARK_RE, _drop)
    if _HAS_CONTROL_RE.search(text):
        sub(_CONTROL_RE, _drop_control)
    if not text.isascii():
        fixed = ftfy.fix_text(text, _FTFY_CONFIG)
        if fixed != text:
            if starts is None:
                text = fixed
            else:
                text, starts = _diff_step(text, starts, fixed)
    if _HAS_ENTITY_HINT.search(text):
        for _ in range(2):  # twice, for double-escaped text such as "&amp;#39;"
            before = text
            sub(_ENTITY_RE, _decode_entity)
            sub(_STRAY_ENTITY_RE, _decode_stray_entity)
            if text == before:
                break
    if _HAS_MARKUP_HINT.search(text):
        sub(_MARKUP_RE, _drop_markup)
    if "`" in text or "''" in text:
        sub(_TEX_QUOTE_RE, _tex_quotes())
    if "\u201d" in text:
        sub(_QUOTE_AS_APOSTROPHE_RE, _apostrophe)
    if span and "\n" in text:
        sub(_WRAP_RE, _space)
    return text, starts


@lru_cache(maxsize=65536)
def repair(text: str) -> str:
    """Return ``text`` with broken characters repaired; clean text comes back unchanged.

    Besides encoding damage, entities and stray markup, the furniture of agency wire
    copy goes: control characters, ``<`` paragraph ends and TeX-style quotes
    (````x''`` becomes “x”, ```x'`` becomes ‘x’). Inside a span of a document (text
    that neither starts nor ends with blank space) a single line break between words
    is a hard wrap and becomes one space; blank lines stay.
    """
    if not text:
        return text
    return _run(text, None)[0]


def repair_with_map(text: str) -> tuple[str, list[int]]:
    """``repair(text)`` and, for each repaired character, the offset in ``text`` it came from.

    ``starts`` has one entry per repaired character plus the end: repaired character
    ``i`` stands for ``text[starts[i]:starts[i + 1]]``. It never decreases, starts at 0
    (when anything is left) and ends at ``len(text)``, so every raw character belongs
    to exactly one repaired character; characters a repair drops belong to the one
    before them (or to the first one, at the start of the text).
    """
    repaired = repair(text)
    if repaired == text:
        return text, list(range(len(text) + 1))
    fixed, mapped = _run(text, list(range(len(text) + 1)))
    starts = list(range(len(text) + 1)) if mapped is None else mapped
    if fixed != repaired:  # both run ``_run``; a safety net that keeps the map exact
        fixed, starts = _diff_step(text, list(range(len(text) + 1)), repaired)
    if fixed and starts[0] != 0:
        starts[0] = 0  # text dropped at the very start belongs to the first character
    return fixed, starts


def _sub_step(
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str],
    text: str,
    starts: list[int],
) -> tuple[str, list[int]]:
    """``pattern.sub(replace, text)`` with ``starts`` carried over.

    A replacement stands for its whole match: its first character maps to the match
    start and the rest to the same place, so the match is never split.
    """
    out: list[str] = []
    new: list[int] = []
    at = 0
    for match in pattern.finditer(text):
        s, e = match.span()
        out.append(text[at:s])
        new.extend(starts[at:s])
        piece = replace(match)
        out.append(piece)
        new.extend([starts[s]] * len(piece))
        at = e
    out.append(text[at:])
    new.extend(starts[at:])  # the rest, end included
    return "".join(out), new


def _diff_step(text: str, starts: list[int], fixed: str) -> tuple[str, list[int]]:
    """Map ``fixed`` (a repair of ``text``) onto ``text`` by a character diff.

    Unchanged runs map one to one; a changed run maps all its new characters to the
    start of the old run it replaces, so mojibake such as ``Ã©`` maps to ``é`` whole.
    When the repair kept every run of white space (encoding damage sits inside words),
    the words are diffed one by one, so a character repeated elsewhere in the text never
    pulls a match out of its word.
    """
    new: list[int] = []
    gaps = [m.span() for m in _SPACE_RUN_RE.finditer(text)]
    fixed_gaps = [m.span() for m in _SPACE_RUN_RE.finditer(fixed)]
    if len(gaps) == len(fixed_gaps) and all(
        text[s:e] == fixed[t:u] for (s, e), (t, u) in zip(gaps, fixed_gaps, strict=True)
    ):
        a0 = b0 = 0
        for (s, e), (t, u) in zip(gaps, fixed_gaps, strict=True):
            _diff_into(new, text, starts, a0, s, fixed[b0:t])
            new.extend(starts[s:e])
            a0, b0 = e, u
        _diff_into(new, text, starts, a0, len(text), fixed[b0:])
    else:
        _diff_into(new, text, starts, 0, len(text), fixed)
    new.append(starts[len(text)])
    return fixed, new


def _diff_into(
    new: list[int], text: str, starts: list[int], start: int, end: int, fixed: str
) -> None:
    """Append the map of ``fixed`` onto ``text[start:end]`` to ``new``."""
    old = text[start:end]
    if old == fixed:
        new.extend(starts[start:end])
        return
    matcher = difflib.SequenceMatcher(None, old, fixed, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            new.extend(starts[start + a0 : start + a1])
        elif op in ("replace", "insert"):
            new.extend([starts[start + a0]] * (b1 - b0))


def repair_span(text: str, start: int, end: int) -> str:
    """Repaired copy of ``text[start:end]`` (a sentence or a paragraph of a document).

    The same as ``repair`` of the slice: the span's hard wraps become spaces.
    """
    return repair(text[start:end])
