"""Load article files from disk into ``Document`` objects.

Reads ``.txt``/``.md`` in any common encoding, ``.html``/``.htm`` through trafilatura and
``.docx`` through python-docx. The decoded text is kept exactly as written apart from
line endings (always ``"\\n"``), because every offset in FactDesk points into it;
repairs for display live in ``textfix``.

Files that cannot be read become one ``LoadError`` each, with a message naming the
file (control characters escaped, so it stays one line) and the reason in words, and
never stop the other files from loading; folders that cannot be listed too. Whatever a
file holds, reading it stays bounded: files over 20 MB are refused, Word archives are
checked before anything is unpacked and their XML never expands entities, and only the
first million characters and ten thousand lines or sentences of a text are kept.
"""

from __future__ import annotations

import codecs
import datetime as dt
import errno
import hashlib
import html
import io
import logging
import os
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

from factdesk.core import wire
from factdesk.core.lexicon import (
    AGENCIES,
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
    calendar_names,
    month_number,
)
from factdesk.core.model import CancelToken, Document, LoadError, ProgressFn, printable
from factdesk.core.text import LETTERS_RE
from factdesk.core.textfix import repair

_log = logging.getLogger(__name__)

#: Largest file FactDesk reads as one article: 20 MiB. News articles are a few
#: hundred KiB even as saved web pages; anything bigger is almost surely not one story
#: and would make alignment slow.
MAX_FILE_BYTES = 20 * 1024 * 1024

#: How much of one file's text FactDesk reads as an article: 1,000,000 characters and
#: 10,000 line or sentence ends. A long read is a few hundred paragraphs; more than this
#: is a log, a list or a book, and would make segmenting and aligning take minutes. The
#: rest of such a file is left out, with a note.
MAX_ARTICLE_CHARS = 1_000_000
MAX_ARTICLE_BREAKS = 10_000

#: A .docx file is a ZIP archive. These bound what opening one may unpack (a "zip bomb"
#: unpacks a few kilobytes into gigabytes): all members together, the XML members (the
#: text, styles and relations, which are parsed into memory), how much one large member
#: may have been compressed, and how many members there may be. Word documents stay far
#: below each: pictures hardly compress, and the text of a long report is a few MB of XML.
MAX_DOCX_UNPACKED = 64 * 1024 * 1024
MAX_DOCX_XML = 16 * 1024 * 1024
MAX_DOCX_RATIO = 100
MAX_DOCX_MEMBERS = 5_000
_DOCX_RATIO_FROM = 1024 * 1024  # small members may compress well; they cannot grow big
#: XML elements read from one Word document (a long article has a few thousand).
MAX_DOCX_ELEMENTS = 100_000

TEXT_SUFFIXES = {".txt": "txt", ".md": "md", ".markdown": "md"}
HTML_SUFFIXES = {".html": "html", ".htm": "html"}
DOCX_SUFFIXES = {".docx": "docx"}
SUPPORTED_SUFFIXES = {**TEXT_SUFFIXES, **HTML_SUFFIXES, **DOCX_SUFFIXES}
_SUPPORTED_LIST = ".txt, .md, .html, .htm and .docx"
_SUPPORTED_NONE = ".txt, .md, .html, .htm or .docx"

# How far into a text file the header (title, date, byline) may reach.
_HEADER_LINES = 8
_FOOTER_LINES = 5
_HEAD_CHARS = 16384
_TAIL_CHARS = 4096
_LINE_CHARS = 400  # longer lines are body text; only their start can hold a date label
_MAX_TITLE_CHARS = 200


class IngestError(Exception):
    """A file could not be loaded; ``str(error)`` is a message for the editor."""


# --------------------------------------------------------------------------- reading


def _size_text(size: int) -> str:
    megabytes = size / (1024 * 1024)
    if round(megabytes, 1) <= MAX_FILE_BYTES / (1024 * 1024):
        return f"{megabytes:.2f} MB"  # "20.0 MB is over the 20 MB limit" would read oddly
    return f"{megabytes:.1f} MB"


def _os_failure(name: str, exc: OSError) -> str:
    """A readable message for an OS failure while reading the file ``name``."""
    if isinstance(exc, FileNotFoundError):
        return f"{name}: the file does not exist"
    if isinstance(exc, PermissionError):
        return f"{name}: FactDesk is not allowed to read this file (permission denied)"
    if exc.errno == errno.ELOOP:
        return f"{name}: the file is a symbolic link that leads back to itself (a link loop)"
    if exc.errno == errno.ENAMETOOLONG:
        return f"{name}: the file's name or path is too long to open"
    return f"{name}: the file could not be read ({exc.strerror or 'system error'})"


def _too_big(name: str, size: int) -> IngestError:
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return IngestError(f"{name}: {_size_text(size)} is over the {limit} MB limit for one article")


def _read_bytes(path: Path, name: str) -> bytes:
    """Read a whole file, turning OS failures into readable messages."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(_os_failure(name, exc)) from None
    if not path.is_file():
        # Never open pipes or devices: reading one could wait for ever or never end.
        raise IngestError(f"{name}: not a regular file")
    if size > MAX_FILE_BYTES:
        raise _too_big(name, size)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise IngestError(_os_failure(name, exc)) from None
    if len(raw) > MAX_FILE_BYTES:  # it grew after it was measured
        raise _too_big(name, len(raw))
    return raw


# --------------------------------------------------------------------------- decoding

# Signatures of common binary formats, for a more helpful message.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\x7fELF", "a program"),
    (b"{\\rtf", "an RTF document"),
    (b"OggS", "an audio file"),
    (b"ID3", "an audio file"),
    (b"fLaC", "an audio file"),
)

# C0 control bytes that never occur in text (tab, newlines, form feed and ESC excepted).
_CONTROL_BYTES = bytes([*range(0, 9), 0x0E, *range(0x0F, 0x1B), *range(0x1C, 0x20)])
_MAX_CONTROL_SHARE = 0.02
# Agency wire copy opens each paragraph with one or two control characters; those do not
# count towards the share above.
_PARAGRAPH_MARKS_RE = re.compile(r"^[ \t]*[\x14\x19\x1a\x1c](?:[ \t]*[\x14\x19\x1a\x1c])?", re.M)
#: Control characters (Unicode category Cc) other than white space and escape.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f-\x9f]")
_PARAGRAPH_MARK_BYTES_RE = re.compile(
    rb"^[ \t]*[\x14\x19\x1a\x1c](?:[ \t]*[\x14\x19\x1a\x1c])?", re.M
)

_BOMS: tuple[tuple[bytes, str, str], ...] = (
    # Order matters: the UTF-32 LE mark starts with the UTF-16 LE mark.
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

# Canonical names for what charset-normalizer and HTML declarations call encodings.
_ENCODING_NAMES = {
    "utf_8": "utf-8",
    "utf_8_sig": "utf-8-sig",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32": "utf-32",
    "latin_1": "latin-1",
    "iso8859_1": "latin-1",
    "ascii": "ascii",
}

# Non-ASCII characters that are common in Latin-script news text: accented letters of
# the European languages and typographic punctuation.
_COMMON_LATIN = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüÿßÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜŸœŒ"
    "ąćęłńśźżĄĆĘŁŃŚŹŻčďěňřšťůžČĎĚŇŘŠŤŮŽğışİŞĞőűŐŰāēīūĀĒĪŪļņķģėįųĻŅĶĢĖĮŲľĺĽĹ"
    "“”‘’‚„–—…€£¥«»°©®™•·¡¿§¶¢±×÷\u00a0"
)
# Code pages tried besides charset-normalizer's guesses, Windows-1252 first on ties.
_FALLBACK_CODECS = (
    "cp1250",
    "cp1251",
    "cp1253",
    "cp1254",
    "cp1257",
    "cp1255",
    "cp1256",
    "iso8859_15",
    "koi8_r",
    "latin-1",
)
_CJK_SCRIPTS = {"CJK", "HANGUL", "HIRAGANA", "KATAKANA", "HALFWIDTH", "IDEOGRAPHIC"}
_ASCII_PROBE = bytes(range(0x20, 0x7F))
# Old Mac and DOS code pages: they tie with the Windows ones on short samples, and news
# files are not written in them any more.
_RARE_CODEC_RE = re.compile(r"mac|cp(?:4\d\d|7\d\d|8[0-6]\d|1006|1125)$")


def _encoding_name(name: str) -> str:
    try:
        key = codecs.lookup(name).name.replace("-", "_")
    except LookupError:
        key = name.lower().replace("-", "_")
    return _ENCODING_NAMES.get(key, key.replace("_", "-") if key.startswith("utf") else key)


def _binary_reason(raw: bytes) -> str | None:
    """Why ``raw`` looks like a binary file, or None when it may be text."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    if b"\x00" in raw:
        return ""
    sample = raw[:65536]
    unmarked = _PARAGRAPH_MARK_BYTES_RE.sub(b"", sample)
    controls = len(unmarked) - len(unmarked.translate(None, _CONTROL_BYTES))
    if controls > _MAX_CONTROL_SHARE * len(sample):
        return ""
    return None


def _looks_like_bomless_utf16(raw: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the NUL bytes sit where UTF-16 text puts them."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even_nuls = raw[0::2].count(0)
    odd_nuls = raw[1::2].count(0)
    half = len(raw) // 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * odd_nuls:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * even_nuls:
        return "utf-16-be"
    return None


def _script(char: str) -> str:
    if char.isascii():
        return "LATIN"
    script = unicodedata.name(char, "?").split(" ")[0]
    return "CJK" if script in _CJK_SCRIPTS else script


def _plausibility(text: str) -> float:
    """How much the non-ASCII characters of ``text`` look like real writing.

    Each word should keep to one script (a misread code page puts Cyrillic or Korean
    letters inside English words), accented Latin letters sit among plain ones, and
    punctuation should be the common typographic kind rather than odd symbols.
    """
    score = 0.0
    letters = 0
    for match in LETTERS_RE.finditer(text):
        word = match.group(0)
        if word.isascii():
            continue
        foreign = [c for c in word if not c.isascii()]
        letters += len(foreign)
        scripts = {_script(c) for c in word}
        if any(unicodedata.name(c, "").endswith("FORM") for c in foreign):
            score -= 2 * len(foreign)  # presentation forms are never stored in text files
        elif "CJK" in scripts:
            cjk = sum(1 for c in word if _script(c) == "CJK")
            # Weighted by two, as each CJK character took two bytes.
            score += 2 * cjk if cjk >= len(word) - cjk and len(scripts) <= 2 else -2 * cjk
        elif len(scripts) > 1:
            score -= 2 * len(foreign)
        elif not _well_cased(word):
            score -= len(foreign)  # "ТБАїЛЧЬ": letters of a misread page, case at random
        elif scripts == {"LATIN"}:
            # Words made mostly of accented letters are what a misread Cyrillic or
            # Greek page looks like; real accents are sprinkled among plain letters.
            if len(foreign) * 2 > len(word) and len(word) >= 3:
                continue
            score += sum(1 for c in foreign if c in _COMMON_LATIN)
        else:
            score += len(foreign)
    for char in _WORD_OTHER_RE.findall(text):
        if char in _COMMON_LATIN:
            score += 1
        elif unicodedata.category(char) == "Cc":
            score -= 3
        elif not char.isspace():
            score -= 2
    return score


def _well_cased(word: str) -> bool:
    """lower, UPPER or Capitalised, as real words are (caseless scripts always pass)."""
    return word.islower() or word.isupper() or word.istitle() or word.upper() == word.lower()


_WORD_OTHER_RE = re.compile(r"[^\x00-\x7f\w]")


_ESCAPED_BYTE_RE = re.compile("[\udc80-\udcff]")
_NON_ASCII_RE = re.compile("[^\x00-\x7f\udc80-\udcff]")
_C1_BYTES_RE = re.compile(b"[\x80-\x9f]")


def _byte_char(byte: int) -> str:
    try:
        return bytes([byte]).decode("cp1252")
    except UnicodeDecodeError:
        return bytes([byte]).decode("latin-1")


# What each escaped byte (surrogateescape's U+DC80..U+DCFF) stands for, read as
# Windows-1252 (Latin-1 where that has no character).
_ESCAPED_BYTES = {chr(0xDC00 + byte): _byte_char(byte) for byte in range(0x80, 0x100)}


def _escaped_byte(match: re.Match[str]) -> str:
    return _ESCAPED_BYTES[match.group(0)]


def _utf8_counts(raw: bytes) -> tuple[int, int]:
    """(bytes that are not valid UTF-8, valid non-ASCII characters) of ``raw``.

    Counted in C, without listing them: a file that is not UTF-8 at all may hold
    millions of either.
    """
    valid = raw.decode("utf-8", errors="ignore")
    return len(raw) - len(valid.encode("utf-8")), len(valid) - len(valid.encode("ascii", "ignore"))


def _read_utf8_tolerant(raw: bytes) -> str:
    """UTF-8 with each invalid byte read as Windows-1252."""
    return _ESCAPED_BYTE_RE.sub(_escaped_byte, raw.decode("utf-8", errors="surrogateescape"))


#: A long file's code page is judged on its first megabyte, cut after a line end (where no
#: multibyte character can be split); only the chosen code page then decodes the whole.
_GUESS_SAMPLE = 1024 * 1024


def _guess_single_byte(raw: bytes, name: str) -> tuple[str, str]:
    """Decode text that is not UTF-8, choosing the code page with charset-normalizer's help.

    charset-normalizer alone misreads short texts (a few accented words come back as
    Korean or Arabic), so its guesses compete with the common code pages on how
    plausible the decoded characters are. A code page that cannot decode the whole file
    is out.
    """
    import charset_normalizer

    sample = raw
    if len(raw) > _GUESS_SAMPLE:
        line_end = raw.rfind(b"\n", 0, _GUESS_SAMPLE)
        sample = raw[: line_end + 1 if line_end > 0 else _GUESS_SAMPLE]
    results = charset_normalizer.from_bytes(sample)
    best = results.best()
    guesses = [match.encoding for match in results][:6]
    if best is not None:
        guesses.insert(0, best.encoding)
    # (plausibility, -priority, canonical name, codec, start of the decoded text)
    ranked: list[tuple[float, int, str, str, str]] = []
    seen: set[str] = set()
    for priority, encoding in enumerate(["cp1252", *guesses, *_FALLBACK_CODECS]):
        canonical = _encoding_name(encoding)
        if canonical in seen or canonical.startswith("utf") or _RARE_CODEC_RE.match(canonical):
            continue
        seen.add(canonical)
        try:
            if _ASCII_PROBE.decode(encoding).encode("ascii") != _ASCII_PROBE:
                continue  # EBCDIC and other code pages that move plain letters
            head = sample.decode(encoding)[:200_000]
        except (UnicodeError, LookupError):
            continue
        ranked.append((_plausibility(head), -priority, canonical, encoding, head))
    ranked.sort(key=lambda key: key[:2], reverse=True)
    chosen: tuple[float, int, str, str, str] | None = None
    decoded = ""
    for key in ranked:
        try:
            decoded = raw.decode(key[3])
        except UnicodeError:
            continue  # a byte past the sample that this code page does not have
        chosen = key
        break
    foreign = len(_NON_ASCII_RE.findall(chosen[4])) if chosen else 0
    if (
        chosen is None
        or (foreign and chosen[0] < -0.5 * foreign)
        or (best is None and chosen[0] <= 0)
    ):
        raise IngestError(
            f"{name}: the bytes do not form readable text in any common encoding (undecodable file)"
        )
    encoding = chosen[2]
    if encoding == "cp1252" and not _C1_BYTES_RE.search(raw):
        # Without bytes 0x80-0x9F the file reads the same as Latin-1.
        encoding = "latin-1"
    return decoded, encoding


def decode_text(raw: bytes, name: str, notes: list[str] | None = None) -> tuple[str, str]:
    """Decode the bytes of a text file: (text with "\\n" line endings, encoding name).

    Byte order marks first, then strict UTF-8, then charset-normalizer's best guess.
    Raises ``IngestError`` for empty, binary or undecodable input.
    """
    notes = notes if notes is not None else []
    if not raw:
        raise IngestError(f"{name}: the file is empty")
    text: str | None = None
    encoding = ""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            if codec == "utf-8-sig":
                text = _read_utf8_tolerant(raw[len(bom) :])
                invalid, _ = _utf8_counts(raw[len(bom) :])
                if invalid:
                    notes.append(_invalid_utf8_note(invalid))
            else:
                try:
                    text = raw.decode(codec)
                except UnicodeDecodeError:
                    raise IngestError(
                        f"{name}: the file is marked as {label.upper()} text but its bytes "
                        f"are not valid {label.upper()} (undecodable file)"
                    ) from None
            encoding = label
            break
    if text is None:
        reason = _binary_reason(raw)
        if reason is not None:
            utf16 = _looks_like_bomless_utf16(raw) if reason == "" else None
            if utf16 is None:
                raise IngestError(_binary_message(name, reason))
            try:
                text, encoding = raw.decode(utf16), utf16
            except UnicodeDecodeError:
                raise IngestError(_binary_message(name, "")) from None
    if text is None:
        try:
            text, encoding = raw.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            invalid, valid = _utf8_counts(raw)
            if valid >= 1 and valid >= 2 * invalid:
                # UTF-8 with a few stray bytes from another code page (pasted text).
                text, encoding = _read_utf8_tolerant(raw), "utf-8"
                notes.append(_invalid_utf8_note(invalid))
            else:
                text, encoding = _guess_single_byte(raw, name)
    if _control_share(text) > _MAX_CONTROL_SHARE:
        raise IngestError(_binary_message(name, ""))
    text = normalise_newlines(text)
    if not text:
        raise IngestError(f"{name}: the file is empty")  # nothing but a byte order mark
    if not text.strip():
        raise IngestError(f"{name}: the file has no text, only blank space")
    return text, encoding


def _invalid_utf8_note(count: int) -> str:
    plural = "byte was" if count == 1 else "bytes were"
    return f"{count} {plural} not valid UTF-8 and read as Windows-1252"


def _binary_message(name: str, kind: str) -> str:
    if kind:
        return f"{name}: looks like a binary file ({kind}), not text"
    return f"{name}: looks like a binary file, not text"


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    sample = text[:65536]
    unmarked = _PARAGRAPH_MARKS_RE.sub("", sample)
    # a pattern, not a look-up per character: a second a thousand files otherwise
    return len(_CONTROL_RE.findall(unmarked)) / len(sample)


_NEWLINE_RE = re.compile(r"\r\n?")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    return _NEWLINE_RE.sub("\n", text) if "\r" in text else text


# --------------------------------------------------------------------------- header metadata


def _word_set(spec: str) -> frozenset[str]:
    """Case-folded entries of a ``|``-separated list."""
    return frozenset(item.strip().casefold() for item in spec.split("|"))


# Header dates are read in English: "4 January 2024", "Jan. 4, 2024", "Thu, 4 Jan 2024".
_MONTH_NAMES = calendar_names(MONTHS, "en") + calendar_names(MONTH_ABBREVIATIONS, "en")
_WEEKDAY_NAMES = calendar_names(WEEKDAYS, "en") + calendar_names(WEEKDAY_ABBREVIATIONS, "en")
_MONTH = rf"(?P<mon>{alternation(_MONTH_NAMES)})\.?"
_WEEKDAY = rf"(?:{alternation(_WEEKDAY_NAMES)})\b\.?,?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DATE_PATTERNS = (
    re.compile(
        r"(?<![\d-])(?P<year>(?:19|20)\d{2})-(?P<num>\d{1,2})-(?P<day>\d{1,2})(?![\d-])"
        r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?",
        re.IGNORECASE,
    ),
    re.compile(r"(?<!\d)(?P<year>(?:19|20)\d{2})/(?P<num>\d{1,2})/(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"\b{_MONTH}\s+{_DAY}\b,?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"(?<!\d){_DAY}\s+(?:of\s+)?{_MONTH}\b,?\s+{_YEAR}\b", re.IGNORECASE),
)
# Words that may surround a date on a line that is only a date.
_TIMEZONES = "utc|gmt|est|edt|cst|cdt|mst|mdt|pst|pdt|bst|cet|cest|eet|eest|ist|jst|aest|aedt|msk"
# Words, times and punctuation that may surround a date on a line that is only a date.
_FILLER = (
    rf"\b{_WEEKDAY}|\b(?:published|posted|updated|last|modified|dated?|on|at|am|pm"
    rf"|a\.m\.|p\.m\.|{_TIMEZONES})\b\.?"
    r"|\b\d{1,2}[:.]\d{2}(?::\d{2})?\b|[+-]\d{2}:?\d{2}\b|[^\w]+"
)
_DATE_FILLER_RE = re.compile(_FILLER, re.IGNORECASE)
_FILLER_EDGES_RE = re.compile(rf"^(?:{_FILLER}|\s)+|(?:{_FILLER}|\s)+$", re.IGNORECASE)
_DATE_LABEL = r"(?:date[d]?|published(?:\s+on)?|posted(?:\s+on)?|updated(?:\s+on)?)"
_LABELLED_PREFIX_RE = re.compile(rf"^\W*{_DATE_LABEL}\s*:?\s*", re.IGNORECASE)

# Agency names that may stand alone as a byline ("Reuters", "AFP/dpa", "Staff and agencies").
_AGENCIES = frozenset(name.casefold() for name in AGENCIES)
_AGENCY_SPLIT_RE = re.compile(r"\s*(?:/|,|;|&|\band\b|\bwith\b)\s*", re.IGNORECASE)
_AGENCY_PREFIX_RE = re.compile(r"^(?:source|credit|via|by|from)\s*:?\s+", re.IGNORECASE)
_BYLINE_RE = re.compile(
    r"^(?:(?:written|reported|reporting|words|story|text)\s+)?by\s*:?\s+(?P<who>.+)$",
    re.IGNORECASE,
)
_NAME_CONNECTORS = _word_set(
    "and|&|de|da|das|do|dos|du|del|della|der|den|di|la|le|van|von|ter|bin|ibn|al|el|in|of|for|"
    "the|staff"
)
_DATELINE_AGENCY_RE = re.compile(
    rf"^[^\n]{{0,80}}?\((?P<agency>{alternation(AGENCIES)})\)"
    r"\s*[-—–:]",
)
_LABEL_RE = re.compile(
    r"^\W*(?P<key>title|headline|date|published|author|authors|byline|source|site|url)"
    r"\s*:\s*(?P<value>\S.*)$",
    re.IGNORECASE,
)
_URL_RE = re.compile(r"https?://(?:www\.)?(?P<host>[\w.-]+\.[a-z]{2,})", re.IGNORECASE)
_SEGMENT_SPLIT_RE = re.compile(r"\s+(?:\||•|·|—|–|-{1,2})\s+")
_SENTENCE_END_RE = re.compile(r"[.!?][\"”’)]?(?:\s|$)")
_MONTH_OR_DAY_RE = re.compile(rf"^(?:{_MONTH}|{_WEEKDAY})$", re.IGNORECASE)


@dataclass
class _Header:
    title: str = ""
    date: str = ""
    byline: str = ""
    site: str = ""


def _parse_date(match: re.Match[str]) -> str:
    groups = match.groupdict()
    mon = groups.get("mon")
    month = month_number(mon, "en") if mon else int(groups["num"])
    try:
        return dt.date(int(groups["year"]), month, int(groups["day"])).isoformat()
    except ValueError:
        return ""


def find_date(text: str) -> tuple[str, re.Match[str] | None]:
    """The earliest parseable date in ``text`` as ISO ``YYYY-MM-DD`` and its match."""
    found: list[tuple[int, str, re.Match[str]]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            iso = _parse_date(match)
            if iso:
                found.append((match.start(), iso, match))
                break
    if not found:
        return "", None
    found.sort(key=lambda item: item[0])
    return found[0][1], found[0][2]


def _is_filler(text: str) -> bool:
    return not _DATE_FILLER_RE.sub(" ", text).strip()


def _agency_only(segment: str) -> str:
    """The segment itself when it names only news agencies (``AFP``, ``Reuters/AP``)."""
    cleaned = segment.strip(" \t()[]—–-:*_")
    cleaned = _AGENCY_PREFIX_RE.sub("", cleaned).strip()
    if not cleaned or len(cleaned) > 80:
        return ""
    parts = [p.strip(" .()") for p in _AGENCY_SPLIT_RE.split(cleaned) if p.strip(" .()")]
    if parts and all(part.casefold() in _AGENCIES for part in parts):
        return cleaned
    return ""


def _looks_like_name(who: str) -> bool:
    words = who.replace(",", " , ").split()
    if not words or len(words) > 12 or len(who) > 80:
        return False
    if _MONTH_OR_DAY_RE.match(words[0]):
        return False
    if len(words) <= 2 and all(w[:1].isalnum() for w in words if w != ","):
        # "By admin", "By staff": short handles are common on blogs.
        return not _SENTENCE_END_RE.search(who)
    for word in words:
        if word == "," or word.casefold() in _NAME_CONNECTORS:
            continue
        bare = word.strip(".'’\"()")
        if not bare:
            continue
        if bare[0].isupper() or bare.casefold() in _AGENCIES:
            continue
        return False
    return True


def _byline_of(segment: str) -> str:
    """The author part of a ``By ...`` segment, or the agency names, or ''."""
    cleaned = segment.strip(" \t*_")
    match = _BYLINE_RE.match(cleaned)
    if match:
        who = match.group("who").strip(" \t*_|")
        return who if _looks_like_name(who) else ""
    return _agency_only(cleaned)


def _segment_meta(segment: str) -> tuple[str, str, str] | None:
    """(date, byline, site) of one header segment; None when it is something else."""
    if _is_filler(segment):
        return "", "", ""  # a time or a label beside a date: "10:31 AM EST"
    iso, match = find_date(segment)
    if match is not None:
        # "Posted on Jan 4, 2024 by admin", "By Jane Doe, 4 January 2024 10:30 GMT".
        byline = ""
        for part in (segment[: match.start()], segment[match.end() :]):
            if _is_filler(part):
                continue
            who = _byline_of(_FILLER_EDGES_RE.sub("", part))
            if not who or byline:
                return None
            byline = who
        return iso, byline, ""
    who = _byline_of(segment)
    if who:
        return "", who, ""
    url = _URL_RE.match(segment)
    if url and not any(c.isspace() for c in segment):
        return "", "", url.group("host").lower()
    return None


def _classify(line: str) -> tuple[str, str, str]:
    """(date, byline, site) that a header line carries; empty strings when it is not one.

    A line counts only when every part of it (split at ``|``, dashes and bullets) is a
    date, a byline or a web address, so "Headline - Reuters" stays a headline.
    """
    date = byline = site = ""
    for segment in _SEGMENT_SPLIT_RE.split(line):
        segment = segment.strip()
        if not segment:
            continue
        meta = _segment_meta(segment)
        if meta is None:
            return "", "", ""
        date, byline, site = date or meta[0], byline or meta[1], site or meta[2]
    return date, byline, site


def _strip_markdown(line: str) -> str:
    line = line.strip()
    line = re.sub(r"^#{1,6}\s+", "", line)
    line = re.sub(r"^>\s*", "", line)
    return line.strip("*_ \t").strip()


def _looks_like_title(line: str) -> bool:
    if len(line) > _MAX_TITLE_CHARS or len(line.split()) < 2:
        return False
    if _URL_RE.match(line):
        return False
    # Headlines hold at most one sentence; a line of several is body text.
    return len(_SENTENCE_END_RE.findall(line)) <= 1


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """Simple ``key: value`` pairs of a leading ``---`` block, and the lines it uses."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    values: dict[str, str] = {}
    for index, line in enumerate(lines[1:40], start=1):
        if line.strip() in ("---", "..."):
            return values, index + 1
        key, sep, value = line.partition(":")
        if sep and key.strip():
            values[key.strip().lower()] = value.strip().strip("'\"")
    return {}, 0


def extract_header(text: str) -> tuple[str, str, str, str]:
    """Guess (title, ISO date, byline, site) from the top and bottom lines of a text."""
    header = _Header()
    # Only the ends matter; a huge file must not cost a scan of every line.
    all_lines = text[:_HEAD_CHARS].split("\n")
    front, skip = _front_matter(all_lines)
    if front:
        header.title = front.get("title", "")
        header.date = find_date(front.get("date", ""))[0]
        header.byline = front.get("author", "") or front.get("byline", "")
        site = front.get("site", "") or front.get("source", "")
        url = _URL_RE.search(front.get("url", ""))
        header.site = site or (url.group("host").lower() if url else "")
    lines = [line for line in all_lines[skip:] if line.strip()]
    top = lines[:_HEADER_LINES]
    title_done = bool(header.title)
    markdown_title = ""
    for raw_line in top:
        is_heading = raw_line.lstrip().startswith("#")
        line = _strip_markdown(raw_line[:_LINE_CHARS])
        if not line:
            continue
        label = _LABEL_RE.match(line)
        if label:
            _apply_label(header, label.group("key").lower(), label.group("value").strip())
            continue
        date, byline, site = _classify(line)
        if date or byline or site:
            header.date = header.date or date
            header.byline = header.byline or byline
            header.site = header.site or site
            continue
        # "date 2024-01-06 Headline": a labelled or ISO date leading the title.
        rest = _leading_date(line, header)
        if rest is not None:
            line = rest
            if not line:
                continue
        if is_heading and not markdown_title and _looks_like_title(line):
            markdown_title = line
        if title_done:
            continue
        if len(line.split()) < 2:
            continue  # a section label such as "World"
        if _looks_like_title(line):
            header.title = line
        # The first substantive line decides: body text means the file has no headline.
        title_done = True
    if markdown_title and not front.get("title"):
        header.title = markdown_title
    if not header.byline:
        tail = [line for line in text[-_TAIL_CHARS:].split("\n") if line.strip()]
        header.byline = _footer_byline(tail) or _dateline_agency(lines)
    return (
        repair(header.title).strip(),
        header.date,
        repair(header.byline).strip(),
        header.site,
    )


def _apply_label(header: _Header, key: str, value: str) -> None:
    if key in ("title", "headline"):
        header.title = header.title or value
    elif key in ("date", "published"):
        header.date = header.date or find_date(value)[0]
    elif key in ("author", "authors", "byline"):
        header.byline = header.byline or (_byline_of(value) or value)
    elif key in ("source", "site"):
        url = _URL_RE.search(value)
        header.site = header.site or (url.group("host").lower() if url else value)
        if not header.byline and _agency_only(value):
            header.byline = _agency_only(value)
    elif key == "url":
        url = _URL_RE.search(value)
        if url:
            header.site = header.site or url.group("host").lower()


def _leading_date(line: str, header: _Header) -> str | None:
    """The rest of ``line`` after a leading labelled or ISO date, else None."""
    label = _LABELLED_PREFIX_RE.match(line)
    body = line[label.end() :] if label else line
    iso, match = find_date(body)
    if match is None or match.start() != len(body) - len(body.lstrip()):
        return None
    if not label and not match.group(0)[:4].isdigit():
        return None  # an unlabelled written date opening a sentence is body text
    header.date = header.date or iso
    return body[match.end() :].strip(" \t-—–|:,")


def _footer_byline(lines: list[str]) -> str:
    for line in reversed(lines[-_FOOTER_LINES:]):
        match = _BYLINE_RE.match(_strip_markdown(line[:_LINE_CHARS]))
        if match:
            who = match.group("who").strip()
            if _looks_like_name(who):
                return who
    return ""


def _dateline_agency(lines: list[str]) -> str:
    for line in lines[:_HEADER_LINES]:
        match = _DATELINE_AGENCY_RE.match(line[:_LINE_CHARS])
        if match:
            return match.group("agency")
    return ""


# --------------------------------------------------------------------------- formats


# Where a line or a sentence may end: a line break, a run of the punctuation that ends
# sentences (the Greek question mark is a semicolon), or a wire paragraph mark. Each
# passage ends at one.
_BREAK_RE = re.compile(rf"\n|[.!?‽…;。！？｡؟۔।॥։።፧။។‼⁇⁈⁉\u037e]+|{wire.MARK_CLASS}+")


def _bounded(text: str, notes: list[str]) -> str:
    """``text`` cut to what FactDesk reads as one article, with a note when it was cut.

    The cut falls after the last line or sentence end within the limits (at a space when
    a stretch holds none), so segmenting stays quick whatever the file holds.
    """
    if len(text) < MAX_ARTICLE_BREAKS:
        return text  # too short to hold that many ends: nothing to count
    cut = 0
    breaks = 0
    for match in _BREAK_RE.finditer(text, 0, MAX_ARTICLE_CHARS + 1):
        if match.end() > MAX_ARTICLE_CHARS:
            break
        breaks += 1
        cut = match.end()
        if breaks >= MAX_ARTICLE_BREAKS:
            break
    else:
        if len(text) <= MAX_ARTICLE_CHARS:
            return text
    if breaks < MAX_ARTICLE_BREAKS and cut < MAX_ARTICLE_CHARS // 2:
        # No sentence end near the limit: cut at the last space before it instead.
        space = max(text.rfind(" ", 0, MAX_ARTICLE_CHARS), text.rfind("\t", 0, MAX_ARTICLE_CHARS))
        cut = space if space > cut else MAX_ARTICLE_CHARS
    kept = text[:cut].rstrip()
    notes.append(
        f"too long for one article: only the first {len(kept):,} of its {len(text):,} "
        f"characters were loaded (FactDesk reads up to {MAX_ARTICLE_CHARS:,} characters "
        f"and {MAX_ARTICLE_BREAKS:,} lines or sentences of a file)"
    )
    return kept


def _load_text(raw: bytes, name: str, doc: Document) -> None:
    text, encoding = decode_text(raw, name, doc.errors)
    text = _bounded(text, doc.errors)
    if not text.strip():
        raise IngestError(f"{name}: the file has no text, only blank space")
    doc.text = text
    doc.encoding = encoding
    doc.title, doc.date, doc.byline, doc.site = extract_header(text)
    if doc.format == "txt" and wire.is_wire(text):
        _read_wire(doc)


def _read_wire(doc: Document) -> None:
    """Title, byline, date and slug metadata of agency wire copy.

    The title is the headline, never the slug; the byline is the name in "By Jan Colley,
    PA News"; the date is the slug's unless a labelled date line heads the story.
    """
    found = wire.layout(doc.text)
    doc.format = "wire"
    doc.wire = dict(found.meta)
    doc.title = " ".join(repair(found.headline).split())
    head_end = next((b.start for b in found.blocks if b.kind == "paragraph"), len(doc.text))
    labelled = extract_header(doc.text[:head_end])[1]
    doc.date = labelled or found.meta.get("date", "") or doc.date
    name = wire.byline_name(found.byline) if found.byline else ""
    doc.byline = " ".join(repair(name).split()) or doc.byline


_META_CHARSET_RE = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)


def _decode_html(raw: bytes, name: str, notes: list[str]) -> tuple[str, str]:
    if not any(raw.startswith(bom) for bom, _, _ in _BOMS):
        declared = _META_CHARSET_RE.search(raw[:4096])
        if declared:
            label = declared.group(1).decode("ascii", "replace").lower()
            try:
                codec = codecs.lookup(label).name
            except LookupError:
                codec = ""
            if codec in ("latin-1", "iso8859-1", "ascii", "us-ascii"):
                codec = "cp1252"  # what browsers do with these labels
            if codec and _binary_reason(raw) is None:
                try:
                    text = raw.decode(codec)
                except UnicodeDecodeError:
                    pass
                else:
                    if text.strip():
                        return normalise_newlines(text), _encoding_name(codec)
    return decode_text(raw, name, notes)


#: How much of a web page is read: 4,000,000 characters and 60,000 tags of markup. Saved
#: news pages hold a few thousand tags; the article extractor spends tens of microseconds
#: on each, so a page of millions would take minutes.
MAX_HTML_CHARS = 4_000_000
MAX_HTML_TAGS = 60_000


def _bounded_markup(markup: str, notes: list[str]) -> str:
    """``markup`` cut before the tag that passes the limits, with a note when it was cut."""
    if len(markup) <= MAX_HTML_CHARS and markup.count("<") <= MAX_HTML_TAGS:
        return markup
    cut = min(len(markup), MAX_HTML_CHARS)
    tags = 0
    position = markup.find("<")
    while position != -1 and position < cut:
        tags += 1
        if tags > MAX_HTML_TAGS:
            cut = position
            break
        position = markup.find("<", position + 1)
    else:
        before = markup.rfind("<", 0, cut)
        cut = before if before > 0 else cut
    notes.append(
        f"the page is too long: only its first {cut:,} of {len(markup):,} characters of markup "
        f"were read (FactDesk reads up to {MAX_HTML_CHARS:,} characters and "
        f"{MAX_HTML_TAGS:,} tags of a page)"
    )
    return markup[:cut]


class _TagStripper(HTMLParser):
    """Visible text of a page, one block element per line."""

    _SKIP: ClassVar[frozenset[str]] = _word_set("script|style|noscript|template|head|svg")
    _BLOCK: ClassVar[frozenset[str]] = _word_set(
        "p|div|br|li|h1|h2|h3|h4|h5|h6|tr|section|article|blockquote|title"
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip = 0
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._in_title = True
        if tag in self._SKIP:
            self._skip += 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
        if not self._skip:
            self.parts.append(data)


def _paragraphs(text: str) -> str:
    """One paragraph per non-empty line, separated by blank lines."""
    lines = (" ".join(line.split()) for line in normalise_newlines(text).split("\n"))
    return "\n\n".join(line for line in lines if line)


def _load_html(raw: bytes, name: str, doc: Document) -> None:
    markup, encoding = _decode_html(raw, name, doc.errors)
    doc.encoding = encoding
    markup = _bounded_markup(markup, doc.errors)
    extracted: Any = None
    try:
        import trafilatura

        extracted = trafilatura.bare_extraction(
            markup, with_metadata=True, include_comments=False, include_tables=True
        )
    except Exception:  # trafilatura and lxml raise many kinds of parse errors
        extracted = None
    text = _paragraphs(getattr(extracted, "text", None) or "") if extracted else ""
    text = _bounded(text, doc.errors)
    if text.strip():
        doc.text = text
        doc.title = (getattr(extracted, "title", None) or "").strip()
        doc.byline = (getattr(extracted, "author", None) or "").strip()
        doc.date = find_date(getattr(extracted, "date", None) or "")[0]
        doc.site = (
            getattr(extracted, "sitename", None) or getattr(extracted, "hostname", None) or ""
        ).strip()
        return
    stripper = _TagStripper()
    try:
        stripper.feed(markup)
        stripper.close()
    except Exception:  # html.parser is lenient, but be safe with damaged input
        raise IngestError(f"{name}: the web page is damaged and could not be read") from None
    title = " ".join(html.unescape(stripper.title).split())
    body = _paragraphs("".join(stripper.parts))
    if title and body.startswith(title):
        body = body[len(title) :].lstrip("\n")
    body = _bounded(body, doc.errors)
    if not body.strip():
        raise IngestError(f"{name}: the web page holds no readable text")
    doc.text = body
    doc.errors.append("no article found in the page; all of its visible text was loaded")
    doc.title, doc.date, doc.byline, doc.site = extract_header(body)
    doc.title = title or doc.title


# Author names that word processors fill in by themselves; they say nothing about the story.
_PLACEHOLDER_AUTHORS = _word_set(
    "python-docx|Windows User|Microsoft Office User|Microsoft Office-Benutzer|"
    "Utilisateur de Microsoft Office|Usuario de Microsoft Office|Author|Unknown|User"
)

_TEMPLATE_CREATED = dt.datetime(2013, 12, 23, 23, 15)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


# A document type declaration is where XML entities are declared; the Office Open XML
# packaging standard forbids one in every part, and no word processor writes one. Checked
# in the encodings an XML part may use.
_DOCTYPE_MARKS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _check_docx_archive(raw: bytes, name: str) -> None:
    """Refuse, before anything is unpacked, a .docx that would unpack too much, or whose
    XML declares entities.

    The sizes are those the archive declares; Python's zipfile never unpacks a member
    past its declared size (it stops and reports the archive as damaged), so they bound
    what python-docx may unpack. The parser python-docx uses also never expands entities
    nor fetches anything from outside the file (``resolve_entities=False``; lxml's
    ``no_network`` default); refusing a declaration here keeps even its text out.
    """
    damaged = f"{name}: not a readable Word document (the file is damaged or not a .docx)"
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise IngestError(damaged) from None
    with archive:
        members = archive.infolist()
        if len(members) > MAX_DOCX_MEMBERS:
            raise IngestError(
                f"{name}: the Word document holds {len(members):,} files inside; "
                f"FactDesk opens at most {MAX_DOCX_MEMBERS:,} (the file is damaged or not a .docx)"
            )
        total = sum(member.file_size for member in members)
        xml_members = [m for m in members if m.filename.lower().endswith((".xml", ".rels"))]
        xml_total = sum(member.file_size for member in xml_members)
        packed = max(
            (m for m in members if m.file_size > _DOCX_RATIO_FROM),
            key=lambda m: m.file_size / max(m.compress_size, 1),
            default=None,
        )
        if packed is not None and packed.file_size > MAX_DOCX_RATIO * max(packed.compress_size, 1):
            raise IngestError(
                f"{name}: the Word document would unpack to far more than it holds "
                f"({_megabytes(packed.file_size)} from {packed.compress_size:,} bytes), as a "
                "zip bomb does; it was not opened"
            )
        if total > MAX_DOCX_UNPACKED or xml_total > MAX_DOCX_XML:
            raise IngestError(
                f"{name}: the Word document would unpack to {_megabytes(total)} "
                f"({_megabytes(xml_total)} of it text and layout), over FactDesk's limits of "
                f"{_megabytes(MAX_DOCX_UNPACKED)} and {_megabytes(MAX_DOCX_XML)}; it was not opened"
            )
        for member in xml_members:
            try:
                data = archive.read(member)
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
                raise IngestError(damaged) from None
            if any(mark in data for mark in _DOCTYPE_MARKS):
                raise IngestError(
                    f"{name}: the Word document declares XML entities (a DOCTYPE), which Word "
                    "documents never do; it was not read, for safety"
                )


def _docx_blocks(document: Any) -> tuple[list[str], bool]:
    """The paragraphs and table rows of a Word document's body, as text, in order, and
    whether the body was too long to read to its end.

    Elements are visited one by one (python-docx's ``iter_inner_content`` first lists
    them all) and counted, so a body of millions of empty paragraphs or runs is cut short
    rather than read for minutes.
    """
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    body = document.element.body
    paragraph_tag, table_tag = qn("w:p"), qn("w:tbl")
    blocks: list[str] = []
    elements = chars = 0
    for element in body.iterchildren(paragraph_tag, table_tag):
        elements += sum(1 for _ in element.iter())
        if elements > MAX_DOCX_ELEMENTS or chars > MAX_ARTICLE_CHARS:
            return blocks, True
        if not len(element):
            continue  # an empty paragraph: no text to ask python-docx for
        if element.tag == table_tag:
            # Each cell as written (w:tc): python-docx's row.cells looks up vertically
            # merged cells row by row, which is slow on long tables.
            for row in element.iterchildren(qn("w:tr")):
                cells: list[str] = []
                for cell in row.iterchildren(qn("w:tc")):
                    value = "\n".join(
                        Paragraph(p, document).text for p in cell.iterchildren(paragraph_tag)
                    ).strip()
                    if value and (not cells or cells[-1] != value):  # merged cells repeat
                        cells.append(value)
                if cells:
                    blocks.append("\t".join(cells))
                    chars += len(blocks[-1])
        else:
            value = normalise_newlines(Paragraph(element, document).text)
            if value.strip():
                blocks.append(value)
                chars += len(value)
    return blocks, False


def _load_docx(raw: bytes, name: str, doc: Document) -> None:
    import docx
    from docx.oxml.ns import qn

    if not raw:
        raise IngestError(f"{name}: the file is empty")
    _check_docx_archive(raw, name)
    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception:  # python-docx raises zipfile, KeyError, lxml and its own errors
        raise IngestError(
            f"{name}: not a readable Word document (the file is damaged or not a .docx)"
        ) from None
    if document.element.tag != qn("w:document") or document.element.body is None:
        raise IngestError(
            f"{name}: not a readable Word document (its main part holds no Word text; "
            "the file is damaged or was not made by a word processor)"
        )
    blocks, cut_short = _docx_blocks(document)
    notes: list[str] = []
    text = _bounded("\n\n".join(blocks), notes)
    if cut_short:  # the note above could not know how long the whole document is
        notes = [
            f"too long for one article: only the first {len(text):,} characters of the Word "
            f"document were loaded (FactDesk reads up to {MAX_DOCX_ELEMENTS:,} of its XML "
            f"elements, {MAX_ARTICLE_CHARS:,} characters and {MAX_ARTICLE_BREAKS:,} lines "
            "or sentences)"
        ]
    if not text.strip():
        where = f"in its first {MAX_DOCX_ELEMENTS:,} XML elements" if cut_short else "at all"
        raise IngestError(f"{name}: the Word document has no text {where}")
    doc.errors.extend(notes)
    doc.text = text
    doc.encoding = ""
    title, date, byline, site = extract_header(text)
    props = document.core_properties
    author = (props.author or "").strip()
    if author.casefold() in _PLACEHOLDER_AUTHORS:
        author = ""
    created = props.created
    if isinstance(created, dt.datetime) and created.replace(tzinfo=None) == _TEMPLATE_CREATED:
        created = None  # python-docx's template date, kept by documents made from it
    doc.title = (props.title or "").strip() or title
    doc.byline = author or byline
    doc.date = created.date().isoformat() if isinstance(created, dt.datetime) else date
    doc.site = site


# --------------------------------------------------------------------------- public API


def _unexpected(name: str, exc: BaseException) -> str:
    """A message for a failure no reader anticipated, in words rather than an exception."""
    if isinstance(exc, OSError):
        return _os_failure(name, exc)
    if isinstance(exc, MemoryError):
        return f"{name}: the file is too large or too complex to read with the memory available"
    if isinstance(exc, RecursionError):
        return f"{name}: the file is nested too deeply to be read"
    return (
        f"{name}: the file could not be read; its contents are damaged or in a form "
        "FactDesk does not understand"
    )


def load_file(path: Path, doc_id: str) -> Document:
    """Load one file as ``Document`` ``doc_id``; raises ``IngestError`` with a readable message.

    Whatever goes wrong while reading the file, it ends as an ``IngestError`` naming the
    file (with control characters escaped, so the message stays on one line).
    """
    path = Path(path)
    name = printable(path.name or str(path))
    try:
        return _load_file(path, name, doc_id)
    except IngestError:
        raise
    except Exception as exc:  # damaged input may break any parser in any way
        _log.debug("unexpected failure reading %r", str(path), exc_info=True)
        raise IngestError(_unexpected(name, exc)) from None


def _load_file(path: Path, name: str, doc_id: str) -> Document:
    suffix = path.suffix.lower()
    fmt = SUPPORTED_SUFFIXES.get(suffix)
    if fmt is None:
        kind = f"{printable(suffix)} files" if suffix else "files without an extension"
        raise IngestError(f"{name}: FactDesk cannot read {kind}; it reads {_SUPPORTED_LIST}")
    raw = _read_bytes(path, name)
    doc = Document(
        id=doc_id,
        path=str(path.absolute()),
        name=path.name,
        text="",
        sha256=hashlib.sha256(raw).hexdigest(),
        format=fmt,
    )
    if fmt == "docx":
        _load_docx(raw, name, doc)
    elif fmt == "html":
        _load_html(raw, name, doc)
    else:
        _load_text(raw, name, doc)
    return doc


def _natural_key(relative: str) -> list[tuple[int, int | str]]:
    # "version 2" sorts before "version 10"; case does not matter.
    return [
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.split(r"(\d+)", relative.casefold())
        if part
    ]


def _is_hidden(name: str) -> bool:
    # Dot files and the lock files Word leaves beside open documents.
    return name.startswith((".", "~$"))


def _folder_failure(name: str, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"{name}: FactDesk is not allowed to read this folder (permission denied)"
    if exc.errno == errno.ELOOP:
        return f"{name}: the folder is a symbolic link that leads back to itself (a link loop)"
    return f"{name}: the folder could not be read ({exc.strerror or 'system error'})"


def _folder_files(folder: Path, errors: list[LoadError]) -> list[Path]:
    """Supported files under ``folder`` in natural order; folders that cannot be listed
    become errors, as unreadable files do."""
    found: list[tuple[list[tuple[int, int | str]], str, Path]] = []

    def unreadable(exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else folder
        errors.append(
            LoadError(str(where), _folder_failure(printable(where.name or str(where)), exc))
        )

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs[:] = [d for d in dirs if not _is_hidden(d)]
        for file_name in files:
            if _is_hidden(file_name) or Path(file_name).suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            full = Path(root) / file_name
            relative = full.relative_to(folder).as_posix()
            found.append((_natural_key(relative), relative, full))
    found.sort(key=lambda item: (item[0], item[1]))
    return [full for _, _, full in found]


def _identity(file: Path) -> tuple[int, int] | str:
    """What makes two paths one file: device and inode, or the path when it cannot be
    followed (a link loop, a missing target), which its own error will then report."""
    try:
        info = file.stat()
    except (OSError, ValueError):
        return os.path.abspath(file)
    return info.st_dev, info.st_ino


def _expand(paths: Sequence[str | Path], errors: list[LoadError]) -> list[Path]:
    """Every file to load, in order, without repeats; missing paths become errors."""
    files: list[Path] = []
    seen: set[tuple[int, int] | str] = set()

    def add(file: Path) -> None:
        key = _identity(file)
        if key not in seen:
            seen.add(key)
            files.append(file)

    for given in paths:
        path = Path(given)
        name = printable(path.name or str(path))
        try:
            if path.is_dir():
                before = len(errors)
                inside = _folder_files(path, errors)
                if not inside and len(errors) == before:
                    errors.append(
                        LoadError(str(path), f"{name}: no {_SUPPORTED_NONE} files in this folder")
                    )
                for file in inside:
                    add(file)
            elif path.exists() or path.is_symlink():
                add(path)
            else:
                errors.append(LoadError(str(path), f"{name}: the file does not exist"))
        except Exception as exc:  # a name no file system accepts, a folder that vanished
            _log.debug("unexpected failure listing %r", str(path), exc_info=True)
            errors.append(LoadError(str(path), _unexpected(name, exc)))
    return files


def load_paths(
    paths: Sequence[str | Path],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    start_index: int = 0,
) -> tuple[list[Document], list[LoadError], list[str]]:
    """Load files and folders (searched recursively) as documents ``d{start_index}`` on.

    Returns the documents, one ``LoadError`` per file or folder that could not be read,
    and notes for the editor (such as exact copies, which are loaded once). A file that
    cannot be read never stops the others.
    """
    errors: list[LoadError] = []
    notes: list[str] = []
    documents: list[Document] = []
    files = _expand(paths, errors)
    by_hash: dict[str, Document] = {}
    total = len(files)
    if progress is not None:
        progress("load", 0, total)
    for done, file in enumerate(files, start=1):
        if cancel is not None:
            cancel.check()
        try:
            doc = load_file(file, f"d{start_index + len(documents)}")
        except IngestError as exc:
            errors.append(LoadError(str(file), str(exc)))
        else:
            original = by_hash.get(doc.sha256)
            if original is not None:
                notes.append(
                    f"{printable(doc.name)} is an exact copy of {printable(original.name)} "
                    "and was loaded once"
                )
            else:
                by_hash[doc.sha256] = doc
                documents.append(doc)
        if progress is not None:
            progress("load", done, total)
    return documents, errors, notes
