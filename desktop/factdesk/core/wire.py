"""Classic news-agency wire copy: recognising it, its layout and its slug metadata.

Agency feeds deliver a story as plain text laid out like this (``␙`` is the control
byte 0x19)::

    17:03 17/10/99 Page 1 of 2
    HOME Court Fraud
    ----------------------------------------------------------------------
    COUNCILLOR JAILED FOR £40,000 EXPENSES FRAUD
    By Jan Colley, PA News
    ␙ A former council leader who claimed £40,000 in bogus expenses was
    jailed for two years today.<
    ends

A slug header (time, date, page, desk code and catchline in any order, separated by
spaces or tabs; desk and catchline sometimes on a second line), rulers of dashes or
equals signs, the headline, the byline, then body paragraphs that each open with a
control character (0x19, or 0x14, 0x1A, 0x1C, or a pair such as 0x19 0x14, with or
without spaces around it) and close with ``<``, hard-wrapped at 68-80 columns, with
or without blank lines between them, and TeX-style quotes. An end line ("ends",
"mfl", "more") may close the story.

``layout`` finds these parts as offsets into the decoded text, which is never changed:
``segment`` makes paragraphs and flagged furniture of them, ``ingest`` takes the title,
byline, date and slug metadata, and ``textfix`` drops the markers for display.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from factdesk.core.lexicon import AGENCIES, alternation

__all__ = [
    "DESKS",
    "END_MARK_RE",
    "MARK_CLASS",
    "MARK_RUN_RE",
    "META_KEYS",
    "WireBlock",
    "WireLayout",
    "byline_name",
    "is_wire",
    "layout",
    "slug_fields",
]

#: Control characters that open a paragraph (0x19, 0x14, 0x1A, 0x1C and their kin); tab,
#: line breaks, form feed and escape are not among them.
MARK_CLASS = "[\x01-\x08\x0e-\x1a\x1c-\x1f]"
#: A paragraph marker: one or two control characters with the spaces of indent around them.
MARK_RUN_RE = re.compile(rf"[ \t]*{MARK_CLASS}(?:[ \t]*{MARK_CLASS})*[ \t]*")

#: ``<`` closing a paragraph: at the end of a line (or right before the next paragraph's
#: marker), directly after the text or after spaces that follow punctuation. A ``<``
#: between words, as in "a < b", never matches.
END_MARK_RE = re.compile(
    r"(?:(?<=[^\s<>=|\\/-])|(?<=[.!?,;:'\"”’»)\]])[ \t]+)<[ \t]*"
    rf"(?=\n|\Z|{MARK_CLASS})"
)

_RULER_RE = re.compile(r"[-=]{10,}")
_END_LINE_RE = re.compile(
    r"[-=(\s]*(?:ends?|mfl|more(?:\s+follows)?|endit|end\s+of\s+story|-30-)[-=)\s.]*",
    re.IGNORECASE,
)
_BYLINE_RE = re.compile(
    r"By\s+(?P<name>[A-Z][\w'’.\-]*(?:\s+[\w'’.\-]+){0,5}?)\s*(?:,\s*(?P<rest>[^\n]{1,80}?))?"
    r"\s*",
)
_CREDIT_RE = re.compile(
    r"[(\[]?(?:(?:\(c\)|©|copyright)\s*)?(?:\d{4}\s*)?(?:the\s+)?"
    rf"(?:{alternation(AGENCIES)})"
    r"(?:\s*\d{4})?(?:[,.]?\s*all\s+rights\s+reserved)?[)\].]*",
    re.IGNORECASE,
)

# Slug pieces.
_DATE_RE = re.compile(r"(?<![\d/.-])(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?![\d/.-])")
_TIME_RE = re.compile(r"(?<![\d:./-])([01]?\d|2[0-3]):([0-5]\d)(?::[0-5]\d)?(?![\d:])")
_PAGE_RE = re.compile(
    r"\b(?:page|pg)\.?\s*(\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?)\b(?!\s*[:/.]\d)", re.IGNORECASE
)
#: Desk codes that head a slug; two may stand together ("HOME CRIME"). Words such as
#: COURT, FIRE or WEATHER that open a catchline are left out on purpose.
DESKS = frozenset(
    """
    HOME COURTS SHOWBIZ SPORT SPORTS POLITICS POLITICAL CITY CRIME FOREIGN WORLD OVERSEAS
    BUSINESS FINANCE FINANCIAL ARTS MEDIA ENTERTAINMENT SCIENCE TECHNOLOGY EDUCATION
    ENVIRONMENT FEATURES DIARY RACING PARLIAMENT SCOTLAND WALES ULSTER IRELAND REGIONAL
    """.split()
)
_TERMINAL = ".!?"
#: The slug metadata kept for a document, in this order.
META_KEYS = ("time", "date", "page", "desk", "catchline")
_MAX_SLUG_CHARS = 120
_HEADER_LINES = 12  # non-blank lines the header (slug, headline, byline) may take


# --------------------------------------------------------------------------- pieces


def _iso_date(day: str, month: str, year: str) -> str:
    """ISO date of a slug's DD/MM/YY or DD/MM/YYYY; two-digit years 00-69 are 20xx."""
    number = int(year)
    if len(year) == 2:
        number += 2000 if number < 70 else 1900
    try:
        return dt.date(number, int(month), int(day)).isoformat()
    except ValueError:
        return ""


def _is_upper_word(token: str) -> bool:
    letters = token.replace("-", "")
    return len(letters) >= 2 and letters.isalpha() and letters.isupper()


def _desk_and_catchline(pieces: list[list[str]]) -> tuple[str, str]:
    """Desk code and catchline from the words left of a slug, grouped by tab-separated piece."""
    tokens = [(i, t) for i, piece in enumerate(pieces) for t in piece]
    if not tokens:
        return "", ""
    # The first run of known desk codes inside one piece is the desk.
    start = next((k for k, (_, t) in enumerate(tokens) if t in DESKS), None)
    if start is None:
        if len(tokens) < 2 or not _is_upper_word(tokens[0][1]):
            return "", " ".join(t for _, t in tokens)
        start = 0
        end = 1
    else:
        end = start + 1
        while end < len(tokens) and tokens[end][1] in DESKS and tokens[end][0] == tokens[start][0]:
            end += 1
    desk = " ".join(t for _, t in tokens[start:end])
    catchline = " ".join(t for _, t in tokens[:start] + tokens[end:])
    return desk, catchline


def slug_fields(line: str) -> tuple[dict[str, str], list[list[str]]] | None:
    """Time, date (ISO), page of a slug line and the words left over, or None if it is none.

    A slug line carries at least two of time, date and page, or one of them and a desk
    code, and little else: no sentence.
    """
    line = line.strip()
    if not line or len(line) > _MAX_SLUG_CHARS or line[-1] in _TERMINAL:
        return None
    fields: dict[str, str] = {}
    rest = line
    date = _DATE_RE.search(rest)
    if date:
        iso = _iso_date(date.group(1), date.group(3), date.group(4))
        if iso:
            fields["date"] = iso
            rest = rest[: date.start()] + "\t" + rest[date.end() :]
    time = _TIME_RE.search(rest)
    if time:
        fields["time"] = f"{int(time.group(1)):02d}:{time.group(2)}"
        rest = rest[: time.start()] + "\t" + rest[time.end() :]
    page = _PAGE_RE.search(rest)
    if page:
        fields["page"] = " ".join(page.group(1).split())
        rest = rest[: page.start()] + "\t" + rest[page.end() :]
    pieces = [piece.split() for piece in re.split(r"\t|\s{3,}|\s\|\s", rest) if piece.strip()]
    words = [t for piece in pieces for t in piece]
    has_desk = any(t in DESKS for t in words)
    if len(fields) < 2 and not (fields and has_desk):
        return None
    # Catchlines are capitalised; lowercase words mean a sentence that mentions a time.
    if len(words) > 8 or sum(1 for t in words if t.islower() and len(t) > 3) > 1:
        return None
    return fields, pieces


def _desk_line(line: str) -> list[list[str]] | None:
    """The words of a slug's second line (desk code and catchline), or None."""
    line = line.strip()
    if not line or len(line) > 60 or line[-1] in _TERMINAL + ",;:":
        return None
    pieces = [piece.split() for piece in re.split(r"\t|\s{3,}", line) if piece.strip()]
    words = [t for piece in pieces for t in piece]
    if not 1 <= len(words) <= 5 or words[0] not in DESKS:
        return None
    return pieces


def byline_name(line: str) -> str:
    """The name in a byline such as "By Jan Colley, PA News" ("Jan Colley"), or ""."""
    match = _BYLINE_RE.fullmatch(line.strip())
    if match is None:
        return ""
    name = match.group("name").strip()
    words = name.split()
    if not words or any(not (w[0].isupper() or w.lower() in _NAME_PARTICLES) for w in words):
        return ""
    return name


_NAME_PARTICLES = frozenset("de da di du van von der den le la al el bin ibn and &".split())


def _is_ruler(line: str) -> bool:
    return bool(_RULER_RE.fullmatch(line.strip()))


def _is_end(line: str) -> bool:
    return bool(_END_LINE_RE.fullmatch(line.strip()))


def _is_credit(line: str) -> bool:
    return bool(_CREDIT_RE.fullmatch(line.strip()))


# --------------------------------------------------------------------------- detection

_LINE_MARK_RE = re.compile(rf"^[ \t]*{MARK_CLASS}", re.MULTILINE)
_ANY_MARK_RE = re.compile(MARK_CLASS)
_DETECT_CHARS = 65536


def is_wire(text: str) -> bool:
    """Whether ``text`` is agency wire copy.

    Several paragraph markers or ``<`` paragraph ends, and a slug-like first line; or
    many of both, for a feed that sends no slug.
    """
    head = text[:_DETECT_CHARS]
    if "<" not in head and not _ANY_MARK_RE.search(head):
        return False  # most texts: no marker and no "<" at all
    marks = len(_LINE_MARK_RE.findall(head))
    ends = sum(1 for _ in END_MARK_RE.finditer(head))
    if marks + ends < 2:
        return False
    if marks >= 3 and ends >= 3:
        return True
    first = next((line for line in head.split("\n", 20)[:20] if line.strip()), "")
    return slug_fields(first) is not None and (marks >= 2 or ends >= 2)


# --------------------------------------------------------------------------- layout


@dataclass
class WireBlock:
    """One part of a wire story: ``spans`` are trimmed ``[start, end)`` pieces of its lines.

    ``kind`` is "slug", "ruler", "headline", "byline", "credit", "end", "paragraph" (a
    body paragraph, its lines joined) or "line" (any other line, judged as usual).
    """

    kind: str
    spans: list[tuple[int, int]]

    @property
    def start(self) -> int:
        return self.spans[0][0]

    @property
    def end(self) -> int:
        return self.spans[-1][1]


@dataclass
class WireLayout:
    blocks: list[WireBlock] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)  # time, date, page, desk, catchline
    headline: str = ""  # the headline line as written
    byline: str = ""  # the byline line as written


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _lines(text: str) -> list[tuple[int, int]]:
    spans = []
    start = 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _header(
    text: str, lines: list[tuple[int, int]], out: WireLayout
) -> tuple[int, list[list[str]]]:
    """Classify the header lines; return the index of the first body line and slug words."""
    nonblank = [i for i, (s, e) in enumerate(lines) if text[s:e].strip()]
    if not nonblank:
        return len(lines), []
    # The header ends after the byline, or at the first line of a paragraph; with neither
    # in sight only the first line (the slug) is header.
    limit = nonblank[0] + 1
    byline_at = None
    for i in nonblank[:_HEADER_LINES]:
        line = text[slice(*lines[i])]
        if _LINE_MARK_RE.match(line) or END_MARK_RE.search(line):
            limit = i
            break
        if byline_name(line):
            byline_at, limit = i, i + 1
            break
    header = [i for i in nonblank if i < limit]
    kinds: dict[int, str] = {}
    slug_words: list[list[str]] = []
    first = header[0] if header else None
    if first is not None:
        found = slug_fields(text[slice(*lines[first])])
        if found is not None:
            kinds[first] = "slug"
            out.meta.update(found[0])
            slug_words = found[1]
    if byline_at is not None:
        kinds[byline_at] = "byline"
        out.byline = text[slice(*lines[byline_at])].strip()
    for i in header:
        if i in kinds:
            continue
        line = text[slice(*lines[i])]
        if _is_ruler(line):
            kinds[i] = "ruler"
        elif _is_credit(line):
            kinds[i] = "credit"
    rest = [i for i in header if i not in kinds]
    # A second slug line holds the desk and catchline; the last other line is the headline.
    if rest and first is not None and kinds.get(first) == "slug":
        nxt = next((i for i in header if i > first and kinds.get(i) != "ruler"), None)
        words = _desk_line(text[slice(*lines[nxt])]) if nxt is not None else None
        more = slug_fields(text[slice(*lines[nxt])]) if nxt is not None else None
        if nxt == rest[0] and (words is not None and (len(rest) > 1 or not slug_words)):
            kinds[nxt] = "slug"
            slug_words = slug_words + words
            rest = rest[1:]
        elif nxt == rest[0] and more is not None:
            kinds[nxt] = "slug"
            for key, value in more[0].items():
                out.meta.setdefault(key, value)
            slug_words = slug_words + more[1]
            rest = rest[1:]
    if rest:
        for i in rest[:-1]:
            kinds[i] = "line"
        kinds[rest[-1]] = "headline"
        out.headline = text[slice(*lines[rest[-1]])].strip()
    for i in header:
        s, e = _trim(text, *lines[i])
        out.blocks.append(WireBlock(kinds[i], [(s, e)]))
    return limit, slug_words


def _next_nonblank(text: str, lines: list[tuple[int, int]], i: int) -> str | None:
    # By index: slicing ``lines`` would copy the rest of the file for every line.
    for j in range(i + 1, len(lines)):
        s, e = lines[j]
        if text[s:e].strip():
            return text[s:e]
    return None


def _body(text: str, lines: list[tuple[int, int]], begin: int, out: WireLayout) -> None:
    """Body paragraphs and the furniture between and after them."""
    para: list[tuple[int, int]] = []

    def close() -> None:
        if para:
            out.blocks.append(WireBlock("paragraph", list(para)))
            para.clear()

    def furniture(kind: str, s: int, e: int) -> None:
        close()
        out.blocks.append(WireBlock(kind, [_trim(text, s, e)]))

    for i in range(begin, len(lines)):
        s, e = lines[i]
        line = text[s:e]
        if not line.strip():
            close()
            continue
        starts = [m.start() for m in MARK_RUN_RE.finditer(line)]
        if not starts:
            following = _next_nonblank(text, lines, i)
            ends_story = following is None or bool(
                _LINE_MARK_RE.match(following) or _is_ruler(following) or _is_end(following)
            )
            if _is_ruler(line):
                furniture("ruler", s, e)
                continue
            if _is_end(line) and (not para or ends_story):
                furniture("end", s, e)
                continue
            if not para:
                # A later take repeats the slug (and its desk line) before its paragraphs.
                after_slug = bool(out.blocks) and out.blocks[-1].kind == "slug"
                if slug_fields(line) is not None or (after_slug and _desk_line(line)):
                    furniture("slug", s, e)
                    continue
                if _is_credit(line):
                    furniture("credit", s, e)
                    continue
                if byline_name(line):
                    furniture("byline", s, e)
                    continue
        # Text before the first marker goes on with the open paragraph; each marker opens one.
        bounds = starts if starts and starts[0] == 0 else [0, *starts]
        for k, a in enumerate(bounds):
            b = bounds[k + 1] if k + 1 < len(bounds) else len(line)
            ps, pe = _trim(text, s + a, s + b)
            if ps >= pe:
                continue
            if a in starts:
                close()
            para.append((ps, pe))
        if any(m.end() == len(line) for m in END_MARK_RE.finditer(line)):
            close()
    close()


def layout(text: str) -> WireLayout:
    """The parts of a wire story as offsets into ``text`` (works on any text)."""
    out = WireLayout()
    lines = _lines(text)
    begin, slug_words = _header(text, lines, out)
    desk, catchline = _desk_and_catchline(slug_words)
    if desk:
        out.meta["desk"] = desk
    if catchline:
        out.meta["catchline"] = catchline
    _body(text, lines, begin, out)
    # One-line paragraphs that are nothing but an agency credit or an end mark are furniture.
    for block in out.blocks:
        if block.kind == "paragraph" and len(block.spans) == 1:
            chunk = END_MARK_RE.sub("", MARK_RUN_RE.sub("", text[block.start : block.end]))
            if _is_credit(chunk):
                block.kind = "credit"
            elif _is_end(chunk):
                block.kind = "end"
    out.meta = {k: out.meta[k] for k in META_KEYS if k in out.meta}
    return out
