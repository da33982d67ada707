"""Plain data objects shared by every part of FactDesk.

Offsets are always ``[start, end)`` indices into ``Document.text``; nothing that
repairs or normalises text for display or matching may move them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

Relation = Literal["same", "related"]

#: progress(stage, done, total) -- called from whatever thread runs the work.
ProgressFn = Callable[[str, int, int], None]


class Cancelled(Exception):  # noqa: N818 -- reads better at call sites than CancelledError
    """Raised inside long work when the caller asked to stop."""


class ProjectError(Exception):
    """A project file cannot be created, opened or written; the message is for the editor."""


class CancelToken:
    """A flag the GUI sets from its thread; long work polls it between steps."""

    def __init__(self) -> None:
        self._cancelled = False

    def cancel(self) -> None:
        self._cancelled = True

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def check(self) -> None:
        if self._cancelled:
            raise Cancelled()


# Characters that would break a message line or disguise a name: C0 and C1 controls,
# line and paragraph separators, bidirectional overrides, and the lone surrogates that
# stand for bytes of a file name that are not valid in the file system's encoding.
_UNPRINTABLE_RE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group(0)
    code = ord(char)
    if char in _ESCAPES:
        return _ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:
        return f"\\x{code - 0xDC00:02x}"  # the undecodable byte itself
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to show on one line: control characters, line separators, direction
    overrides and undecodable bytes become escapes such as ``\\n`` and ``\\x1b``.

    File names may hold any of these; a name shown as it is could split a message line
    in two or make it read as something else.
    """
    return _UNPRINTABLE_RE.sub(_escape, text)


@dataclass
class LoadError:
    """A file that could not be loaded, with a message an editor can act on."""

    path: str
    message: str


@dataclass
class Document:
    """One version of the story as loaded from disk."""

    id: str  # "d0", "d1", ... in load order
    path: str
    name: str  # file name shown to the editor
    text: str  # decoded text, line endings normalised to "\n"; offsets point here
    sha256: str = ""
    encoding: str = ""
    format: str = "txt"  # txt | md | html | docx | wire (agency wire copy, from a .txt file)
    title: str = ""
    date: str = ""
    byline: str = ""
    site: str = ""
    errors: list[str] = field(default_factory=list)  # non-fatal notes about this file
    #: Slug metadata of wire copy: "time" (HH:MM), "date" (ISO), "page", "desk", "catchline";
    #: only the keys the slug gives, and empty for other documents.
    wire: dict[str, str] = field(default_factory=dict)


@dataclass
class Paragraph:
    id: str  # f"{doc}.p{index}"
    doc: str
    index: int
    start: int
    end: int


@dataclass
class Passage:
    """A sentence (the unit of alignment) inside one document."""

    id: str  # f"{doc}.s{index}"
    doc: str
    index: int  # position of the sentence within its document
    paragraph: int  # index of the paragraph holding it
    start: int
    end: int
    boilerplate: bool = False
    boilerplate_reason: str = ""  # e.g. "share widget", "caption", "off-topic"
    kind: str = "sentence"


@dataclass
class Link:
    a: str  # passage id (the one from the document earlier in load order)
    b: str
    score: float
    relation: Relation
    source: str = "auto"  # "auto" from the aligner, "editor" when pinned by hand
    # The parts that correspond, when only a clause of one or both passages does:
    # ((a_start, a_end), (b_start, b_end)) in document offsets of a's and b's documents.
    spans: tuple[tuple[int, int], tuple[int, int]] | None = None


@dataclass
class Group:
    """Passages across versions that state the same thing: one row of the synoptic view."""

    id: str  # "g0", "g1", ...
    passages: list[str]


@dataclass
class Derivation:
    source: str  # document id
    derived: str  # document id
    share: float  # share of `derived`'s text found in `source`
    score: float  # confidence that `derived` was made from `source`
    # "unknown" when nothing tells which way the text travelled: the pair shares text,
    # and `source`/`derived` are only in load order
    direction: str = "known"


@dataclass
class Corrections:
    """Editor pins the aligner must respect (kept in the project, reapplied on re-alignment)."""

    forced_links: list[tuple[str, str]] = field(default_factory=list)
    forbidden_links: list[tuple[str, str]] = field(default_factory=list)
    boilerplate: dict[str, bool] = field(default_factory=dict)  # passage id -> flag


@dataclass
class ArticleSet:
    """Everything FactDesk knows about one set of versions."""

    documents: list[Document] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    derivation: list[Derivation] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    corrections: Corrections = field(default_factory=Corrections)
    facts: list[Fact] = field(default_factory=list)

    def document(self, doc_id: str) -> Document:
        # Asked once per sentence by the analysis: a scan of the versions each time made
        # it quadratic (seconds on 1,000 versions). The table is made again whenever the
        # list is replaced or changes length.
        table = self.__dict__.get("_documents_by_id")
        if table is None or table[0] is not self.documents or table[1] != len(self.documents):
            table = (self.documents, len(self.documents), {d.id: d for d in self.documents})
            self.__dict__["_documents_by_id"] = table
        found: Document | None = table[2].get(doc_id)
        if found is not None and found.id == doc_id:
            return found
        for doc in self.documents:  # an id changed in place
            if doc.id == doc_id:
                return doc
        raise KeyError(doc_id)

    def passage_text(self, passage: Passage) -> str:
        return self.document(passage.doc).text[passage.start : passage.end]


#: The suffix of FactDesk project files.
PROJECT_SUFFIX = ".factdesk"
#: "FDK1" -- marks an SQLite file as a FactDesk project (PRAGMA application_id).
PROJECT_APPLICATION_ID = 0x46444B31
#: The formats facts export to (``factdesk.core.export``).
EXPORT_FORMATS = ("csv", "json", "md", "html", "annotations", "claimreview")

FACT_STATUSES = ("unreviewed", "confirmed", "disputed", "wrong", "needs_source")
#: How each status reads to an editor, in menus and reports.
STATUS_LABELS = {
    "unreviewed": "Unreviewed",
    "confirmed": "Confirmed",
    "disputed": "Disputed",
    "wrong": "Wrong",
    "needs_source": "Needs source",
}


@dataclass
class Anchor:
    """Where a fact sits in one version: offsets plus quote and context (TextQuoteSelector)."""

    doc: str
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    passage: str = ""  # passage id when the anchor lies in a known sentence
    confirmed: bool = False  # False: suggested from the alignment, True: the editor kept it
    orphaned: bool = False  # the quoted text is gone from the re-imported document


@dataclass
class Fact:
    """A claim under review and the passages that carry it in each version."""

    id: str  # "f1", "f2", ...
    statement: str
    anchors: list[Anchor] = field(default_factory=list)
    origin: str = ""  # document id the editor judges the fact comes from
    status: str = "unreviewed"  # one of FACT_STATUSES
    note: str = ""
    tags: list[str] = field(default_factory=list)
    created: str = ""  # ISO 8601 UTC
    modified: str = ""
