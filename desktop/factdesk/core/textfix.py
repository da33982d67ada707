"""Repair broken characters in a piece of text for display and matching.

Copied and scraped news text often carries damage: mojibake (``Iraqâ€™s``), HTML
entities that were never decoded (``&#x27;``, ``&amp;``), entities that lost their
ampersand on the way (``#x27;Iran``), a right double quote typed where an
apostrophe belongs (``Iraq”s``) and stray markup (``... in Baghdad. /p>``).

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


def _repair_entities(text: str) -> str:
    # Twice, for double-escaped text such as "&amp;#39;".
    for _ in range(2):
        fixed = _ENTITY_RE.sub(_decode_entity, text)
        fixed = _STRAY_ENTITY_RE.sub(_decode_stray_entity, fixed)
        if fixed == text:
            break
        text = fixed
    return text


@lru_cache(maxsize=65536)
def repair(text: str) -> str:
    """Return ``text`` with broken characters repaired; clean text comes back unchanged."""
    if not text:
        return text
    fixed = text
    if not fixed.isascii():
        fixed = ftfy.fix_text(fixed, _FTFY_CONFIG)
    if _HAS_ENTITY_HINT.search(fixed):
        fixed = _repair_entities(fixed)
    if _HAS_MARKUP_HINT.search(fixed):
        fixed = _MARKUP_RE.sub(_drop_markup, fixed)
    if "\u201d" in fixed:
        fixed = _QUOTE_AS_APOSTROPHE_RE.sub("\u2019", fixed)
    return fixed


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
    fixed, starts = text, list(range(len(text) + 1))
    # The same steps as ``repair``, each carrying the map along.
    if not fixed.isascii():
        fixed, starts = _diff_step(fixed, starts, ftfy.fix_text(fixed, _FTFY_CONFIG))
    if _HAS_ENTITY_HINT.search(fixed):
        for _ in range(2):
            before = fixed
            fixed, starts = _sub_step(_ENTITY_RE, _decode_entity, fixed, starts)
            fixed, starts = _sub_step(_STRAY_ENTITY_RE, _decode_stray_entity, fixed, starts)
            if fixed == before:
                break
    if _HAS_MARKUP_HINT.search(fixed):
        fixed, starts = _sub_step(_MARKUP_RE, _drop_markup, fixed, starts)
    if "\u201d" in fixed:
        fixed, starts = _sub_step(_QUOTE_AS_APOSTROPHE_RE, lambda _m: "\u2019", fixed, starts)
    if fixed != repaired:  # a step above drifted from ``repair``: align the results directly
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
    """
    new: list[int] = []
    matcher = difflib.SequenceMatcher(None, text, fixed, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            new.extend(starts[a0:a1])
        elif op in ("replace", "insert"):
            new.extend([starts[a0]] * (b1 - b0))
    new.append(starts[len(text)])
    return fixed, new


def repair_span(text: str, start: int, end: int) -> str:
    """Repaired copy of ``text[start:end]`` (a sentence or a paragraph of a document)."""
    return repair(text[start:end])
