"""Trace stories through a day's articles: the work of ``factdesk trace``, without the engine.

A newsroom's day is tens of thousands of articles and a few thousand stories. The work
falls into three stages, each a plain function here so that any engine can run it (the
Dask engine in ``factdesk.core.trace_dask`` is the one shipped):

1. ``read_features``: load a partition of articles, segment them and keep what clustering
   needs: a content hash, the article's rare terms and names (hashed).
2. ``cluster``: group articles into stories without comparing all pairs. MinHash LSH over
   the rare terms that few of the day's articles use proposes candidate pairs; each pair
   is checked on the terms it really shares, weighted by how few articles of the day use them; then constrained components
   join articles into stories, refusing joins that only a few links support, so that one
   article touching two stories cannot chain them together.
3. ``align_story``: align one story with the same call as ``factdesk align`` on the story's
   files alone (``pipeline.analyse``), so the result is the same byte for byte. Rarity
   statistics are the story's own, as they are for ``align``.

Inputs are files and folders (as ``align`` takes them), ``@list.txt`` files naming one path
a line, and JSON Lines feeds with one article a line (``id``, ``text`` and optional
``title``, ``date``, ``outlet``, ``url``). A bad line is one error; the rest goes on.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from datasketch import MinHash, MinHashLSH

from factdesk import __version__
from factdesk.core import conflicts, files, ingest, jsonio, lexicon, pipeline, segment, views
from factdesk.core.align import NAME_CAPITALISED, VERSION_NAME_SHARE
from factdesk.core.model import ArticleSet, Derivation, Document, LoadError

#: A JSON Lines article longer than this is refused: no article is that long, and reading
#: it whole would cost every worker that much memory.
MAX_LINE_BYTES = 8 * 1024 * 1024
#: MinHash permutations. 128 (1 KiB a signature) lets LSH bands of two rows reach the
#: low threshold below: fewer chance candidates than one-row bands, and better recall of
#: short articles than 64 permutations (both measured on the development sets).
NUM_PERM = 128
#: Named so that signatures keep their meaning whatever datasketch's default becomes.
MINHASH_SCHEME = "affine32"
#: LSH proposes pairs whose rare-term Jaccard similarity is about this or more. Low on
#: purpose: a paper that keeps a third of a wire story and adds its own material still
#: shares a good part of its names with it. Every candidate is checked afterwards.
LSH_THRESHOLD = 0.15
#: A word rarer than this Zipf frequency in the language is a "rare term" (names, places,
#: specific words); everyday words say nothing about which story an article tells.
RARE_ZIPF = 3.5
#: Rare terms shorter than this are mostly abbreviations and noise.
MIN_TERM_LENGTH = 4
#: An article with fewer rare terms than this is left a story of its own.
MIN_TERMS = 3
#: A candidate pair is linked when the rare terms it shares weigh this share of the smaller
#: article's rare terms (each term weighted by how few of the day's articles use it), and
#: number at least ``MIN_SHARED``.
LINK_SCORE = 0.2
MIN_SHARED = 3
#: ... and, unless the link is strong (``STRONG_LINK``), when the names they share weigh at
#: least this share of the smaller article's names. Two stories on one topic share its specific words (a robbery's "sawn-off",
#: "balaclavas", "remanded") but name different people and places; versions of one story
#: name the same ones (half of alignment's version share, ``align.VERSION_NAME_SHARE``:
#: a paper that adds its own sources still names the wire's people).
NAMES_AGREE = VERSION_NAME_SHARE / 2
#: Two groups join when the links between them reach this share of all their pairs: an
#: article joins a story when it shares with half its versions, not with one of them...
JOIN_DENSITY = 0.5
#: ... or when a single link is this strong (one article mostly inside another).
STRONG_LINK = 0.6
#: Versions rewritten by different outlets keep few rare words but name the same people
#: and places. A pair is also linked when the names they share weigh at least alignment's
#: version share (``align.VERSION_NAME_SHARE``) of the smaller article's names, and number
#: at least this many: a handful of names in common is what two stories of one place have.
MIN_SHARED_NAMES = 8
#: A name in more of the day's articles than this says nothing about which story an article
#: tells (it is also left out of the candidate pairs, which would grow with its square).
MAX_NAME_ARTICLES = 200
#: Rarity is measured in the day's articles, but a handful of articles cannot tell a rare
#: name from a common one: in five versions of one story every name they share is in
#: most of the set, and weighs next to nothing against the names each adds. A smaller set
#: is weighed as a slice of a day of this many articles, the others naming none of its
#: terms (a term in one article then weighs log 1001, in all five log 200, not log 6 and
#: log 1.2).
MIN_DAY = 1000
#: No story grows beyond this many articles; a bigger one is split where its links are weakest.
MAX_STORY = 400
#: A rare term in more of the day's articles than any story may hold is shared across
#: stories, so it is left out of the signatures. Such terms (a topic of the day, a credit
#: line) are a fixed number of terms used by a growing share of the articles: left in,
#: they made chance candidates grow with the square of the day (measured: 58,000
#: candidates for 10,000 generated articles, 903,000 for 50,000). They still count, with
#: their low weight, when a candidate pair is checked.
MAX_TERM_ARTICLES = MAX_STORY

_TERM_RE = re.compile(r"[^\W\d_][^\W_]*(?:['’-][^\W\d_]+)*")


class TraceError(Exception):
    """A trace cannot run (bad arguments, unusable output folder)."""


# ----------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class ArticleRef:
    """Where one article is: a file, or one line of a JSON Lines file."""

    path: str  # the path as given (files), or the JSON Lines file
    order: int  # position in the input, which is also the story's document order
    offset: int = -1  # byte offset of the line in a JSON Lines file; -1 for a file
    length: int = 0
    line: int = 0  # line number in a JSON Lines file (1-based)

    @property
    def is_line(self) -> bool:
        return self.offset >= 0

    @property
    def key(self) -> str:
        return f"{self.path}:{self.line}" if self.is_line else self.path


def _list_file(spec: str) -> tuple[list[str], list[LoadError]]:
    path = Path(spec[1:])
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        return [], [LoadError(str(path), f"{path.name}: cannot read the list ({exc.strerror})")]
    # relative paths are relative to the list, so a list travels with its articles
    base = path.parent
    out = []
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            given = Path(line)
            out.append(str(given if given.is_absolute() else base / given))
    return out, []


def scan_jsonl(path: str, first_order: int) -> tuple[list[ArticleRef], list[LoadError]]:
    """One reference per line of a JSON Lines file; a line too long to be an article is an error.

    Lines are found by reading the file in binary, a bounded piece at a time, so a
    50 MB line costs at most ``MAX_LINE_BYTES`` of memory before it is refused.
    """
    refs: list[ArticleRef] = []
    errors: list[LoadError] = []
    name = Path(path).name
    try:
        handle = open(path, "rb")  # noqa: SIM115 -- closed below, read in a loop
    except OSError as exc:
        return [], [LoadError(path, f"{name}: cannot read the file ({exc.strerror})")]
    with handle:
        offset = 0
        number = 0
        while True:
            piece = handle.readline(MAX_LINE_BYTES + 1)
            if not piece:
                break
            number += 1
            start = offset
            length = len(piece)
            while not piece.endswith(b"\n") and length > MAX_LINE_BYTES:
                piece = handle.readline(1024 * 1024)
                if not piece:
                    break
                length += len(piece)
            offset = start + length
            if length > MAX_LINE_BYTES:
                errors.append(
                    LoadError(
                        f"{path}:{number}",
                        f"{name}:{number}: the line is {length / 1e6:.1f} MB, longer than "
                        f"the {MAX_LINE_BYTES // (1024 * 1024)} MB an article may take",
                    )
                )
                continue
            if not piece.strip():
                continue
            refs.append(ArticleRef(path, first_order + len(refs), start, length, number))
    return refs, errors


def expand_inputs(inputs: Sequence[str]) -> tuple[list[ArticleRef], list[LoadError]]:
    """Every article named by ``inputs``, in order, without repeats."""
    errors: list[LoadError] = []
    paths: list[str] = []
    for spec in inputs:
        if spec.startswith("@"):
            listed, problems = _list_file(spec)
            paths.extend(listed)
            errors.extend(problems)
        else:
            paths.append(spec)
    refs: list[ArticleRef] = []
    seen: set[tuple[int, int] | str] = set()
    for given in paths:
        path = Path(given)
        if path.is_dir():
            files = [str(f) for f in ingest._folder_files(path, errors)]
            files += sorted(str(f) for f in path.rglob("*.jsonl") if not f.name.startswith("."))
            if not files:
                errors.append(LoadError(given, f"{path.name}: no articles in this folder"))
        elif path.exists():
            files = [given]
        else:
            errors.append(LoadError(given, f"{path.name or given}: the file does not exist"))
            continue
        for file in files:
            # what makes two paths one file, without following a link loop (that file's
            # own error reports it when it is read)
            identity = ingest._identity(Path(file))
            if identity in seen:
                continue
            seen.add(identity)
            if file.lower().endswith(".jsonl"):
                found, problems = scan_jsonl(file, len(refs))
                refs.extend(found)
                errors.extend(problems)
            else:
                refs.append(ArticleRef(file, len(refs)))
    return refs, errors


@dataclass
class ArticleInfo:
    """What the report says of an article beyond its text."""

    article: str  # the feed's id, or the file's name
    outlet: str = ""
    url: str = ""


def _text_field(record: dict[str, Any], key: str) -> str:
    value = record.get(key)
    return value.strip() if isinstance(value, str) else ""


def load_article(ref: ArticleRef, doc_id: str) -> tuple[Document, ArticleInfo]:
    """Load one article as ``Document`` ``doc_id``; raises ``ingest.IngestError``."""
    if not ref.is_line:
        path = Path(ref.path)
        doc = ingest.load_file(path, doc_id)
        return doc, ArticleInfo(article=path.name, outlet=doc.site)
    where = f"{Path(ref.path).name}:{ref.line}"
    try:
        with open(ref.path, "rb") as handle:
            handle.seek(ref.offset)
            raw = handle.read(ref.length)
    except OSError as exc:
        raise ingest.IngestError(f"{where}: cannot read the line ({exc.strerror})") from exc
    try:
        record = json.loads(raw)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ingest.IngestError(f"{where}: not valid JSON ({exc})") from exc
    if not isinstance(record, dict):
        raise ingest.IngestError(f"{where}: not an article (a JSON object was expected)")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ingest.IngestError(f"{where}: the article has no text")
    article = record.get("id")
    if not isinstance(article, (str, int)) or isinstance(article, bool) or str(article) == "":
        raise ingest.IngestError(f"{where}: the article has no id")
    text = ingest.normalise_newlines(text)
    outlet = _text_field(record, "outlet")
    doc = Document(
        id=doc_id,
        path=f"{Path(ref.path).absolute()}#{article}",
        name=str(article),
        text=text,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        format="txt",
        title=_text_field(record, "title"),
        date=_text_field(record, "date")[:10],
        site=outlet,
    )
    return doc, ArticleInfo(article=str(article), outlet=outlet, url=_text_field(record, "url"))


# ----------------------------------------------------------------------------- stage 1


@dataclass
class Features:
    """What clustering needs of one article (small, so that it travels cheaply)."""

    ref: ArticleRef
    info: ArticleInfo
    title: str
    date: str
    sha256: str
    passages: int
    terms: np.ndarray[Any, np.dtype[np.uint64]]  # sorted hashes of the rare terms
    names: np.ndarray[Any, np.dtype[np.uint64]]  # sorted hashes of the names (see ``names``)


def _term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest(), "little")


def _low_bits(term: int) -> int:
    # terms arrive hashed (see ``_term_hash``); the MinHash scheme takes 32-bit values
    return term & 0xFFFFFFFF


def rare_terms(text: str) -> set[str]:
    """The words of ``text`` that are rare in the language: names, places, specific words."""
    out: set[str] = set()
    for match in _TERM_RE.finditer(text):
        word = match.group(0).casefold()
        if len(word) < MIN_TERM_LENGTH or word in out:
            continue
        z = lexicon.zipf(word, "en")
        if z is None or z < RARE_ZIPF:
            out.add(word)
    return out


def names(text_of_sentences: Iterable[str]) -> set[str]:
    """The people, places and bodies an article names: words it nearly always writes
    capitalised, as alignment tells them (``align.NAME_CAPITALISED``). A sentence's first
    word is capitalised whatever it is, so it does not count."""
    seen: Counter[str] = Counter()
    capital: Counter[str] = Counter()
    for sentence in text_of_sentences:
        for k, match in enumerate(_TERM_RE.finditer(sentence)):
            word = match.group(0)
            if k == 0 or len(word) < MIN_TERM_LENGTH:
                continue
            term = word.casefold()
            seen[term] += 1
            if word[0].isupper():
                capital[term] += 1
    return {t for t, n in seen.items() if capital[t] >= NAME_CAPITALISED * n}


def article_features(ref: ArticleRef) -> Features:
    """Stage 1 for one article; raises ``ingest.IngestError`` when it cannot be read."""
    doc, info = load_article(ref, "d0")
    _paragraphs, passages = segment.segment_document(doc)
    # furniture (share widgets, bylines, captions) is left out: it is shared across stories
    body = " ".join(doc.text[p.start : p.end] for p in passages if not p.boilerplate)
    words = sorted(rare_terms(body))
    terms = np.array(sorted({_term_hash(w) for w in words}), dtype=np.uint64)
    sentences = (doc.text[p.start : p.end] for p in passages if not p.boilerplate)
    named = np.array(sorted({_term_hash(w) for w in names(sentences)}), dtype=np.uint64)
    return Features(
        ref=ref,
        info=info,
        title=doc.title,
        date=doc.date,
        sha256=doc.sha256,
        passages=len(passages),
        terms=terms,
        names=named,
    )


def read_features(refs: Sequence[ArticleRef]) -> tuple[list[Features], list[LoadError]]:
    """Stage 1 for one partition: features of every readable article, an error for the rest."""
    found: list[Features] = []
    errors: list[LoadError] = []
    for ref in refs:
        try:
            found.append(article_features(ref))
        except ingest.IngestError as exc:
            errors.append(LoadError(ref.key, str(exc)))
        except Exception as exc:  # one odd article must not stop a day's trace
            name = Path(ref.path).name + (f":{ref.line}" if ref.is_line else "")
            errors.append(LoadError(ref.key, f"{name}: could not be read ({exc!r})"))
    return found, errors


# ----------------------------------------------------------------------------- stage 2


@dataclass
class Story:
    id: str
    members: list[Features]  # in input order
    copies: list[tuple[Features, Features]] = field(default_factory=list)  # (copy, original)


@dataclass
class Clustering:
    stories: list[Story]
    candidate_pairs: int = 0
    links: int = 0
    refused_joins: int = 0
    outside_window: list[Features] = field(default_factory=list)


class _Groups:
    """Union-find over articles that also counts the links between groups."""

    def __init__(self, n: int) -> None:
        self.parent = list(range(n))
        self.size = [1] * n
        self.between: list[Counter[int]] = [Counter() for _ in range(n)]

    def find(self, x: int) -> int:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        if self.size[a] < self.size[b]:
            a, b = b, a
        self.parent[b] = a
        self.size[a] += self.size[b]
        counts = self.between[a]
        for other, n in self.between[b].items():
            if other == a:
                continue
            counts[other] += n
            self.between[other][a] += n
            del self.between[other][b]
        counts.pop(b, None)
        self.between[b] = Counter()


def _in_window(date: str, since: str | None, until: str | None) -> bool:
    try:
        day = dt.date.fromisoformat(date[:10]).isoformat()
    except ValueError:
        return True  # an undated article (or one dated in words) is kept: the window cannot tell
    return not ((since and day < since) or (until and day > until))


def _story_id(members: Sequence[Features]) -> str:
    digest = hashlib.sha256(f"factdesk {__version__}\n".encode())
    for f in members:
        digest.update(f"{f.ref.key}\t{f.sha256}\n".encode())
    return "s" + digest.hexdigest()[:12]


def _day_size(articles: int) -> int:
    """The number of articles rarity is measured against (see ``MIN_DAY``)."""
    return max(articles, MIN_DAY)


def _rarity(
    held: Sequence[np.ndarray[Any, Any]],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Of hashed words, one array per article: the words (sorted), how many articles use
    each, and their idf over the day (see ``MIN_DAY``)."""
    every = np.concatenate(held) if held else np.zeros(0, dtype=np.uint64)
    words, counts = np.unique(every, return_counts=True)
    return words, counts, np.log((_day_size(len(held)) + 1) / counts)


def _idf(
    features: Sequence[Features],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The day's rare terms, their idf, and whether each is used by few enough articles
    to tell stories apart (see ``MAX_TERM_ARTICLES``)."""
    terms, counts, idf = _rarity([f.terms for f in features])
    return terms, idf, counts <= MAX_TERM_ARTICLES


class _Names:
    """The day's names: how few articles use each, and what two articles share."""

    def __init__(self, unique: Sequence[Features]) -> None:
        self.unique = unique
        self.vocabulary, _counts, self.idf = _rarity([f.names for f in unique])
        self.weight = [float(self._weigh(f.names)) for f in unique]

    def _weigh(self, names: np.ndarray[Any, Any]) -> float:
        return float(self.idf[np.searchsorted(self.vocabulary, names)].sum())

    def share(self, i: int, j: int) -> float | None:
        """The weight of the names ``i`` and ``j`` share, as a share of the smaller one's
        names; None when either names nobody, so that names cannot tell."""
        smaller = min(self.weight[i], self.weight[j])
        if smaller <= 0:
            return None
        common = np.intersect1d(self.unique[i].names, self.unique[j].names, assume_unique=True)
        return self._weigh(common) / smaller

    def edges(self) -> list[tuple[float, int, int]]:
        """Pairs that name the same people and places (see ``MIN_SHARED_NAMES``), from an
        inverted index over names, with the weighted share of names as their score."""
        n = len(self.unique)
        if n < 2:
            return []
        held = np.concatenate([f.names for f in self.unique])
        owner = np.repeat(np.arange(n, dtype=np.int64), [len(f.names) for f in self.unique])
        codes = _pairs_sharing_a_key(held, owner, n, MAX_NAME_ARTICLES)
        pairs, counts = np.unique(codes, return_counts=True)
        edges = []
        for code in pairs[counts >= MIN_SHARED_NAMES].tolist():
            i, j = divmod(code, n)
            score = self.share(i, j) or 0.0
            if score >= VERSION_NAME_SHARE:
                edges.append((score, i, j))
        return edges


def _merge_edges(
    *sources: list[tuple[float, int, int]],
) -> list[tuple[float, int, int]]:
    """One edge per pair, with the best score any source gave it."""
    best: dict[tuple[int, int], float] = {}
    for edges in sources:
        for score, i, j in edges:
            key = (i, j) if i < j else (j, i)
            best[key] = max(score, best.get(key, 0.0))
    return [(score, i, j) for (i, j), score in sorted(best.items())]


#: Candidate pairs found in this many bands are merged into one list before the next.
MERGE_BANDS = 16


def candidate_pairs(
    signatures: np.ndarray[Any, Any], ids: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """The pairs of ``ids`` (rows of ``signatures``) whose MinHash signatures agree on all
    the rows of at least one LSH band, each once and ordered, as an array of shape (k, 2).

    The bands are datasketch's for ``LSH_THRESHOLD``. Its index keeps a dictionary entry per
    band and article (about 13 GB for a million articles); grouping each band by sorting
    takes 8 bytes per band and article, and yields the same pairs.
    """
    layout = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM).hashranges
    span = int(ids.max()) + 1 if len(ids) else 0
    found: list[np.ndarray[Any, Any]] = []
    for start, end in layout:
        band = np.ascontiguousarray(signatures[:, start:end])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * (end - start)))).ravel()
        found.append(_pairs_sharing_a_key(keys, ids, span))
        if len(found) >= MERGE_BANDS:
            # pairs of one story meet in most bands: merged every few bands, they are held
            # once, not once a band
            found = [np.unique(np.concatenate(found))]
    codes = np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)
    return np.column_stack((codes // max(span, 1), codes % max(span, 1)))


def _pairs_sharing_a_key(
    keys: np.ndarray[Any, Any], ids: np.ndarray[Any, Any], span: int, max_run: int = 0
) -> np.ndarray[Any, Any]:
    """Every pair of ``ids`` whose ``keys`` are equal, coded ``smaller * span + larger``
    (with repeats when a pair shares several keys); keys held by more than ``max_run`` ids
    are passed over when ``max_run`` is set."""
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    # runs of equal keys; each member pairs with the members after it in its run
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    sizes = np.diff(np.r_[starts, len(ordered)])
    if max_run:
        sizes_each = np.repeat(sizes, sizes)
        keep = sizes_each <= max_run
        order, sizes = order[keep], sizes[sizes <= max_run]
        starts = np.cumsum(sizes) - sizes
    run_end = np.repeat(starts + sizes, sizes)
    later = run_end - np.arange(len(order)) - 1
    left = np.repeat(np.arange(len(order)), later)
    first_partner = np.repeat(np.cumsum(later) - later, later)
    right = left + 1 + np.arange(len(left)) - first_partner
    a, b = ids[order[left]], ids[order[right]]
    codes: np.ndarray[Any, Any] = np.minimum(a, b) * span + np.maximum(a, b)
    return codes


def cluster(
    features: Sequence[Features], *, since: str | None = None, until: str | None = None
) -> Clustering:
    """Stage 2: group articles into stories, without comparing every pair."""
    ordered = sorted(features, key=lambda f: f.ref.order)
    outside = [f for f in ordered if not _in_window(f.date, since, until)]
    kept = [f for f in ordered if _in_window(f.date, since, until)]
    originals: dict[str, int] = {}
    unique: list[Features] = []
    copies: dict[int, list[tuple[Features, Features]]] = {}
    for f in kept:
        first = originals.get(f.sha256)
        if first is None:
            originals[f.sha256] = len(unique)
            unique.append(f)
        else:
            copies.setdefault(first, []).append((f, unique[first]))

    vocabulary, idf, spread = _idf(unique)
    named = _Names(unique)
    totals = np.zeros(len(unique))
    usable: list[int] = []
    # one row per article with enough telling terms, filled in place: a million articles
    # take 512 MB here, and per-article arrays would double that
    signatures = np.zeros((len(unique), NUM_PERM), dtype=np.uint32)
    # one set of permutations for every signature: making them is most of a MinHash's cost
    blank = MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME, hashfunc=_low_bits)
    for i, f in enumerate(unique):
        places = np.searchsorted(vocabulary, f.terms)
        totals[i] = idf[places].sum()
        telling = f.terms[spread[places]]
        if len(telling) >= MIN_TERMS:
            minhash = blank.copy()
            minhash.update_batch(telling.tolist())
            signatures[len(usable)] = minhash.hashvalues
            usable.append(i)
    pairs = candidate_pairs(signatures[: len(usable)], np.array(usable, dtype=np.int64))
    del signatures
    edges: list[tuple[float, int, int]] = []
    # a chunk at a time: a list of all the pairs as Python tuples would take 110 bytes each
    for i, j in itertools.chain.from_iterable(
        pairs[k : k + 65536].tolist() for k in range(0, len(pairs), 65536)
    ):
        shared = np.intersect1d(unique[i].terms, unique[j].terms, assume_unique=True)
        if len(shared) < MIN_SHARED:
            continue
        smaller = min(totals[i], totals[j])
        weight = idf[np.searchsorted(vocabulary, shared)].sum()
        score = float(weight / smaller) if smaller > 0 else 0.0
        if score < LINK_SCORE:
            continue
        agree = named.share(i, j) if score < STRONG_LINK else None
        if agree is not None and agree < NAMES_AGREE:
            continue
        edges.append((score, i, j))

    edges = _merge_edges(edges, named.edges())
    groups = _Groups(len(unique))
    for _score, i, j in edges:
        groups.between[i][j] += 1
        groups.between[j][i] += 1
    refused = 0
    # strongest links first, so that a story forms before weak links can pull it elsewhere
    for score, i, j in sorted(edges, key=lambda e: (-e[0], e[1], e[2])):
        a, b = groups.find(i), groups.find(j)
        if a == b:
            continue
        size_a, size_b = groups.size[a], groups.size[b]
        density = groups.between[a][b] / (size_a * size_b)
        if size_a + size_b > MAX_STORY or (density < JOIN_DENSITY and score < STRONG_LINK):
            refused += 1
            continue
        groups.union(a, b)

    members: dict[int, list[int]] = {}
    for i in range(len(unique)):
        members.setdefault(groups.find(i), []).append(i)
    stories = []
    for indices in sorted(members.values(), key=lambda m: m[0]):
        story_members = [unique[i] for i in indices]
        story_copies = [c for i in indices for c in copies.get(i, [])]
        stories.append(Story(_story_id(story_members), story_members, story_copies))
    return Clustering(stories, len(pairs), len(edges), refused, outside)


# ----------------------------------------------------------------------------- stage 3


def result_json(article_set: ArticleSet) -> str:
    """The text ``factdesk align --json`` prints for ``article_set`` (UTF-8 output)."""
    return jsonio.dumps(jsonio.to_json(article_set)) + "\n"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    files.write_atomic(path, text, newline="")


@dataclass(frozen=True)
class StoryTask:
    """Everything a worker needs to align one story (references only, no texts)."""

    id: str
    refs: tuple[ArticleRef, ...]
    infos: tuple[ArticleInfo, ...]


def story_task(story: Story) -> StoryTask:
    return StoryTask(
        story.id, tuple(f.ref for f in story.members), tuple(f.info for f in story.members)
    )


def result_path(out_dir: Path, story_id: str) -> Path:
    return out_dir / "stories" / f"{story_id}.json"


def _meta_path(out_dir: Path, story_id: str) -> Path:
    return out_dir / "stories" / f".{story_id}.meta.json"


def project_path(out_dir: Path, story_id: str) -> Path:
    return out_dir / "projects" / f"{story_id}.factdesk"


def align_set(task: StoryTask) -> ArticleSet:
    """The story aligned by the same functions, and in the same order, as ``factdesk align``."""
    if all(not ref.is_line for ref in task.refs):
        return pipeline.analyse([ref.path for ref in task.refs])
    documents: list[Document] = []
    errors: list[LoadError] = []
    for ref in task.refs:
        try:
            documents.append(load_article(ref, f"d{len(documents)}")[0])
        except ingest.IngestError as exc:
            errors.append(LoadError(ref.key, str(exc)))
    result = pipeline.build(documents)
    result.errors = errors
    return result


def kept_shares(article_set: ArticleSet, source: str) -> dict[str, float]:
    """For every other version, the share of the source's text (its characters outside
    boilerplate) in sentences that version carries, as the alignment links them."""
    passages = {p.id: p for p in article_set.passages}
    body = {p.id: p.end - p.start for p in article_set.passages if p.doc == source}
    body = {pid: n for pid, n in body.items() if not passages[pid].boilerplate}
    total = sum(body.values())
    carried: dict[str, set[str]] = {}
    for link in article_set.links:
        for mine, theirs in ((link.a, link.b), (link.b, link.a)):
            if mine in body and theirs in passages:
                carried.setdefault(passages[theirs].doc, set()).add(mine)
    return {
        doc: sum(body[pid] for pid in pids) / total if total else 0.0
        for doc, pids in carried.items()
        if doc != source
    }


def _story_summary(task: StoryTask, article_set: ArticleSet) -> dict[str, Any]:
    """What stories.jsonl and the report say of a story, in terms of its articles."""
    # documents are matched to their articles by path: one that could not be read is missing
    position = {}
    for k, (ref, info) in enumerate(zip(task.refs, task.infos, strict=True)):
        path = str(Path(ref.path).absolute())
        position[f"{path}#{info.article}" if ref.is_line else path] = k
    index = {doc.id: position.get(doc.path, -1) for doc in article_set.documents}
    by_doc = {
        doc.id: (doc, task.infos[index[doc.id]] if index[doc.id] >= 0 else ArticleInfo(doc.name))
        for doc in article_set.documents
    }
    article_of = {doc_id: info.article for doc_id, (_d, info) in by_doc.items()}
    stated = views.stated_derivations(article_set)
    # each derivation's reverse, as ``views.reverse_of`` finds it, without a scan per lookup
    reverse: dict[tuple[str, str], Derivation] = {}
    for d in article_set.derivation:
        reverse.setdefault((d.derived, d.source), d)
    # the source is the version the others were most often rewritten from. A pair whose
    # direction nothing tells is stated in load order, so it names no source here; the
    # surer derivations, then the first loaded (as in the window), break ties.
    sourced: Counter[str] = Counter()
    sureness: dict[str, float] = {}
    for d in stated:
        if not views.direction_unclear(d, reverse.get((d.source, d.derived))):
            sourced[d.source] += 1
            sureness[d.source] = sureness.get(d.source, 0.0) + d.score
    order = {doc.id: k for k, doc in enumerate(article_set.documents)}
    source = (
        min(order, key=lambda d: (-sourced[d], -sureness.get(d, 0.0), order[d])) if order else ""
    )
    kept = kept_shares(article_set, source) if source else {}
    found = [c for c in conflicts.find_conflicts(article_set) if c.is_conflict]
    documents = []
    for doc in article_set.documents:
        info = by_doc[doc.id][1]
        documents.append(
            {
                "id": info.article,
                "doc": doc.id,
                "path": task.refs[index[doc.id]].key if index[doc.id] >= 0 else doc.path,
                "title": doc.title,
                "date": doc.date,
                "outlet": info.outlet or doc.site,
                **({"url": info.url} if info.url else {}),
                "kept": 1.0 if doc.id == source else round(kept.get(doc.id, 0.0), 4),
            }
        )
    derivation = [
        {
            "source": article_of.get(d.source, d.source),
            "derived": article_of.get(d.derived, d.derived),
            "share": round(d.share, 4),
            "score": round(d.score, 4),
            "verdict": views.derivation_verdict(d, reverse.get((d.source, d.derived))),
        }
        for d in stated
    ]
    outlets = {d["outlet"] or d["id"] for d in documents}
    return {
        "story": task.id,
        "title": by_doc[source][0].title if source else "",
        "source": article_of.get(source, ""),
        "reach": len(outlets),
        "documents": documents,
        "derivation": derivation,
        "passages": len(article_set.passages),
        "links": len(article_set.links),
        "conflicts": len(found),
        "conflict_examples": [c.message for c in found[:3]],
        "errors": [{"path": e.path, "message": e.message} for e in article_set.errors],
        "result": f"stories/{task.id}.json",
    }


def align_story(task: StoryTask, out_dir: str, projects: bool = False) -> dict[str, Any]:
    """Stage 3 for one story: write its result (and project), or skip it when up to date.

    A story's id is a digest of its articles' paths and contents and of FactDesk's
    version, so a summary already written under that id belongs to the same input.
    """
    folder = Path(out_dir)
    meta = _meta_path(folder, task.id)
    project = project_path(folder, task.id)
    done = meta.is_file() and result_path(folder, task.id).is_file()
    if done and (not projects or project.is_file()):
        with contextlib.suppress(OSError, ValueError):
            summary: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
            summary["skipped"] = True
            return summary
    article_set = align_set(task)
    _write_atomic(result_path(folder, task.id), result_json(article_set))
    summary = _story_summary(task, article_set)
    if projects:
        from factdesk.core.store import Project, ProjectError, overwrite_problem

        problem = overwrite_problem(project)
        if problem is None:
            project.parent.mkdir(parents=True, exist_ok=True)
            try:
                Project.create(project, article_set).close()
            except ProjectError as exc:
                problem = str(exc)
        if problem is not None:
            summary["errors"].append({"path": str(project), "message": problem})
        else:
            summary["project"] = f"projects/{task.id}.factdesk"
    _write_atomic(meta, json.dumps(summary, ensure_ascii=False))
    summary["skipped"] = False
    return summary


def align_stories(
    tasks: Sequence[StoryTask], out_dir: str, projects: bool = False
) -> list[dict[str, Any]]:
    """Stage 3 for a batch of stories (one engine task aligns several small stories).

    A story whose alignment fails is reported in its summary and the others go on; a
    worker that dies, by contrast, takes the whole batch with it and the engine runs it
    again.
    """
    out = []
    for task in tasks:
        try:
            out.append(align_story(task, out_dir, projects))
        except Exception as exc:  # one odd story must not stop a day's trace
            out.append(_failed_summary(task, exc))
    return out


def _failed_summary(task: StoryTask, exc: Exception) -> dict[str, Any]:
    documents: list[dict[str, Any]] = [
        {"id": i.article, "path": r.key, "title": "", "date": "", "outlet": i.outlet, "kept": 0.0}
        for r, i in zip(task.refs, task.infos, strict=True)
    ]
    return {
        "story": task.id,
        "title": "",
        "source": documents[0]["id"] if documents else "",
        "reach": len({d["outlet"] or d["id"] for d in documents}),
        "documents": documents,
        "derivation": [],
        "passages": 0,
        "links": 0,
        "conflicts": 0,
        "conflict_examples": [],
        "errors": [{"path": task.id, "message": f"the story could not be aligned ({exc!r})"}],
        "result": "",
        "skipped": False,
    }


def batch_tasks(tasks: Sequence[StoryTask], max_docs: int = 64) -> list[list[StoryTask]]:
    """Stories batched so that each batch holds about ``max_docs`` articles."""
    batches: list[list[StoryTask]] = []
    current: list[StoryTask] = []
    size = 0
    for task in tasks:
        if current and size + len(task.refs) > max_docs:
            batches.append(current)
            current, size = [], 0
        current.append(task)
        size += len(task.refs)
    if current:
        batches.append(current)
    return batches


# ----------------------------------------------------------------------------- output


def story_lines(stories: Sequence[Story], summaries: dict[str, dict[str, Any]]) -> Iterator[str]:
    """The lines of stories.jsonl, one story a line, in input order."""
    for story in stories:
        summary = summaries[story.id]
        line = {
            "story": story.id,
            "documents": [
                {k: d[k] for k in ("id", "path", "title", "date", "outlet")}
                for d in summary["documents"]
            ],
            "derivation": summary["derivation"],
            "result": summary["result"],
        }
        if story.copies:
            line["copies"] = [
                {"id": c.info.article, "path": c.ref.key, "copy_of": o.info.article}
                for c, o in story.copies
            ]
        if summary.get("project"):
            line["project"] = summary["project"]
        if summary["errors"]:
            line["errors"] = summary["errors"]
        yield json.dumps(line, ensure_ascii=False)


_SUMMARY_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>FactDesk trace: {{ stories|length }} stories</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222}
h1{font-size:1.4em} table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4} td.n{text-align:right;white-space:nowrap}
.bar{display:inline-block;height:.7em;background:#4a7;vertical-align:middle}
.muted{color:#777} .conf{color:#b30}
</style></head><body>
<h1>FactDesk trace</h1>
<p>{{ articles }} articles in {{ stories|length }} stories{% if errors %}, {{ errors }} not read{% endif %}.
Sorted by reach: the number of outlets that ran the story.</p>
<table><thead><tr><th>Story</th><th class="n">Reach</th><th>Outlets and share of the source kept</th>
<th class="n">Conflicts</th><th>Result</th></tr></thead><tbody>
{% for s in stories %}<tr>
<td><b>{{ s.title or s.source }}</b><br><span class="muted">{{ s.story }} &middot; source {{ s.source }}</span></td>
<td class="n">{{ s.reach }}</td>
<td>{% for d in s.documents %}{{ d.outlet or d.id }}{% if d.id != s.source %}
<span class="bar" style="width:{{ (d.kept * 6)|round(1) }}em"></span> {{ (d.kept * 100)|round|int }}%{% else %} <span class="muted">(source)</span>{% endif %}<br>{% endfor %}</td>
<td class="n{% if s.conflicts %} conf{% endif %}" title="{{ s.conflict_examples|join('\n') }}">{{ s.conflicts }}</td>
<td>{% if s.result %}<a href="{{ s.result }}">{{ s.result }}</a>{% else %}<span class="conf">not aligned</span>{% endif %}{% if s.project %}<br><a href="{{ s.project }}">project</a>{% endif %}</td>
</tr>
{% endfor %}</tbody></table></body></html>
"""


def summary_html(summaries: Iterable[dict[str, Any]], *, articles: int, errors: int) -> str:
    """A self-contained report (no scripts, styles or images from elsewhere), sorted by reach."""
    from jinja2 import Environment

    ordered = sorted(summaries, key=lambda s: (-s["reach"], -len(s["documents"]), s["story"]))
    env = Environment(autoescape=True)
    return env.from_string(_SUMMARY_TEMPLATE).render(
        stories=ordered, articles=articles, errors=errors
    )


def write_outputs(
    out_dir: Path,
    clustering: Clustering,
    summaries: dict[str, dict[str, Any]],
    errors: Sequence[LoadError],
) -> None:
    """stories.jsonl, summary.html and errors.jsonl (when any article could not be read)."""
    lines = list(story_lines(clustering.stories, summaries))
    _write_atomic(out_dir / "stories.jsonl", "".join(line + "\n" for line in lines))
    articles = sum(len(s.members) + len(s.copies) for s in clustering.stories)
    page = summary_html(summaries.values(), articles=articles, errors=len(errors))
    _write_atomic(out_dir / "summary.html", page)
    error_file = out_dir / "errors.jsonl"
    if errors:
        text = "".join(
            json.dumps({"path": e.path, "message": e.message}, ensure_ascii=False) + "\n"
            for e in errors
        )
        _write_atomic(error_file, text)
    elif error_file.exists():
        error_file.unlink()


def parse_day(value: str | None) -> str | None:
    """An ISO day for ``--since``/``--until``; raises ``TraceError`` on anything else."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10]).isoformat()
    except ValueError as exc:
        raise TraceError(f"not a date (YYYY-MM-DD): {value!r}") from exc
