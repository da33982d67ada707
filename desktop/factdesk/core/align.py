"""N-way alignment: which sentences of which versions state the same thing.

The aligner never compares all pairs. Candidate pairs come from an inverted index over
rare content terms; each candidate is scored from

* rarity-weighted containment and overlap of content terms (lemmas, normalised numbers,
  transliteration variants of names folded together), where a term that a pair of
  documents repeats in many sentences counts for little, since it names the story's
  topic rather than a fact;
* the share of content terms both passages carry in the same order (a word-mode
  diff-match-patch diff), the sign of copied-and-edited text;
* a bonus for passages that sit between two strong links of a rewrite pair.

Links become groups by a constrained agglomeration that never chains unrelated passages
into one giant component. Documents on different topics are never linked.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from factdesk.core import diff, lexicon, runtime
from factdesk.core.model import (
    CancelToken,
    Corrections,
    Derivation,
    Document,
    Group,
    Link,
    Passage,
    ProgressFn,
    Relation,
)
from factdesk.core.text import (
    WORD_RE,
    content_terms,
    content_terms_with_surface,
    detect_language,
    is_number,
)
from factdesk.core.textfix import repair, repair_with_map

# Score above which two passages state the same fact, and above which they are related.
SAME_THRESHOLD = 0.55
RELATED_THRESHOLD = 0.3
# Candidates kept per passage and other document, and the posting-list length beyond which a term is
# too common to generate candidates (it still counts when scoring).
CANDIDATES_PER_DOC = 5
# Least summed (loose) weight of shared terms to be a candidate.
CANDIDATE_EVIDENCE = 0.5
MAX_POSTINGS = 200
# Two documents whose rarity-weighted vocabularies are less alike than this are about
# different topics: no link of any kind is made between them.
TOPIC_THRESHOLD = 0.08
# Share of a term's weight that does not depend on its rarity in the set (loose mode).
LOOSE_SET_FLOOR = 0.35
# An anchor of a rewrite pair: a loose score and shared weight at least this high.
ANCHOR_SCORE = 0.6
ANCHOR_EVIDENCE = 1.5
# A rewrite pair: this many anchors (or this share of the shorter document's passages),
# this much of them in the same order.
VERSION_MIN_ANCHORS = 3
VERSION_ANCHOR_SHARE = 0.25
VERSION_ORDER_SHARE = 0.5
VERSION_MANY_ANCHORS = 8
# ... and name the same people and places: this share of the names of the document that
# names fewer (weighted by rarity in the set), where both name at least this many.
VERSION_NAME_SHARE = 0.4
VERSION_MIN_NAMES = 4
# A name is a term written capitalised at least this often: "Crown Court" does not make
# "court" a name, since it is in court as often.
NAME_CAPITALISED = 0.8
STRONG_SCORE = 0.65
# Consecutive strong links further apart than this (in sentences) say nothing about the
# passages between them.
MAX_ORDER_GAP = 4
ORDER_BONUS = 0.12
# Least shared weight for two passages to be compared at all, between documents that are
# not versions of each other (strict) and inside a rewrite pair (loose).
MIN_EVIDENCE = 0.9
MIN_EVIDENCE_VERSION = 0.6
# Between documents that are not versions: at least this many shared terms, and no link
# below this score.
STRICT_MIN_SHARED = 3
# A sentence of at most this many content words found in this many documents is a set
# phrase: it never links documents that are not versions of one another.
SET_PHRASE_MAX_TERMS = 8
SET_PHRASE_DOCS = 3
STRICT_RELATED_THRESHOLD = 0.5
# Share of the shorter passage's content words found in the same order that marks a copy.
COPY_SHARE = 0.8
COPY_MIN_TERMS = 4
# Shared weight at which evidence reaches 63%, and at which containment counts in full.
EVIDENCE_SCALE = 1.2
SUPPORT_SCALE = 1.5
# Inside a rewrite pair a passage keeps at most this many same-links to the other version,
# each at least this share of its best score; the others are demoted to this score.
MAX_COUNTERPARTS = 2
BEST_SHARE = 0.75
DEMOTED_SCORE = 0.45
# Inside a rewrite pair, two passages that are each other's best counterpart link from
# this score up, as a diff would pair them: a heavy rewrite keeps few words.
MUTUAL_BEST_SCORE = 0.5
# Derivation scores from which a source is named as likely, or only as possible.
LIKELY_SOURCE_SCORE = 0.5
POSSIBLE_SOURCE_SCORE = 0.2
# A version whose text shared with a derived one is mostly (all but this share) also in
# its own source ranks under that source, at this share of its score.
EXPLAINED_SHARE = 0.5
UPSTREAM_RANK = 0.95
# Below this weight of evidence a derivation's direction is unknown.
DIRECTION_MARGIN = 0.1
# Spans are recorded for links where a passage has at least this many terms the other
# lacks, and only when the matching clauses cover less than this share of it.
SPAN_MIN_UNSHARED = 3
SPAN_WHOLE_SHARE = 0.85
# At most this many passages of one document in one group (a split sentence gives two).
MAX_PER_DOC_IN_GROUP = 3

_QUOTE_RE = re.compile(r'[“”«»„]|"\w|\w[.,!?]?"')
_CAPITALISED = re.compile(r"^[A-Z][\w’'-]*$")


@dataclass
class Alignment:
    links: list[Link] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    derivation: list[Derivation] = field(default_factory=list)


@dataclass
class _Unit:
    """One alignable passage with its terms."""

    passage: Passage
    doc_index: int
    order: int  # position among the document's alignable passages
    terms: list[str]  # canonical content terms in text order
    codes: str  # the terms coded one character each, for diffs
    term_set: frozenset[str]
    numbers: frozenset[str]
    length: int  # characters
    # names and numbers: what makes a statement about one story rather than any story
    specific: frozenset[str] = frozenset()
    loose_weight: float = 0.0  # sum of the loose weights of its terms, set by the scorer


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _skeleton(name: str) -> str:
    """A transliteration key: al-Sudani/al-Soudani, Taleb/Talib, Chaabi/Shaabi meet here."""
    word = name.casefold()
    for a, b in (("ch", "sh"), ("ou", "u"), ("kh", "k"), ("q", "k"), ("ph", "f"), ("ee", "i")):
        word = word.replace(a, b)
    consonants = [c for c in word if c not in "aeiouy"]
    out: list[str] = []
    for c in consonants:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _names(
    units_raw: list[tuple[list[str], list[str]]], opening: list[bool], canon: dict[str, str]
) -> set[str]:
    """Canonical terms nearly always written capitalised: the people, places and bodies
    named. A sentence's first word is capitalised whatever it is, so it does not count."""
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for (terms, surfaces), opens in zip(units_raw, opening, strict=True):
        for k, (term, surface) in enumerate(zip(terms, surfaces, strict=True)):
            if k == 0 and opens:
                continue
            term = canon.get(term, term)
            seen[term] += 1
            if surface[:1].isupper():
                capital[term] += 1
    return {t for t, n in seen.items() if capital[t] >= NAME_CAPITALISED * n}


def _name_canon(units_raw: list[tuple[list[str], list[str]]]) -> dict[str, str]:
    """Map spelling variants of names onto one canonical term.

    Only terms that are mostly written capitalised are names; common words are never merged,
    so ``forces``/``force`` stay the lemmatiser's business.
    """
    capital: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    for terms, surfaces in units_raw:
        for term, surface in zip(terms, surfaces, strict=True):
            seen[term] += 1
            if _CAPITALISED.match(surface):
                capital[term] += 1
    names = sorted(t for t, n in seen.items() if len(t) >= 4 and capital[t] * 2 > n)
    by_key: dict[tuple[str, str], list[str]] = defaultdict(list)
    for name in names:
        key = _skeleton(name)
        if len(key) >= 3:
            by_key[(name[0] if name[0] not in "cs" else "s", key)].append(name)
    canon: dict[str, str] = {}
    for variants in by_key.values():
        if len(variants) < 2:
            continue
        # the most frequent spelling names the entity; ties break alphabetically
        head = max(variants, key=lambda v: (seen[v], v))
        for v in variants:
            if v != head and fuzz.ratio(v, head) >= 70:
                canon[v] = head
    return canon


def _build_units(
    documents: Sequence[Document],
    passages: Sequence[Passage],
    background: dict[str, float],
    canon: dict[str, str],
    langs: dict[str, str],
) -> tuple[list[_Unit], dict[str, int]]:
    """Alignable passages with their terms; ``background`` receives each term's weight
    from how common it is in its language, ``langs`` each document's language."""
    doc_index = {doc.id: i for i, doc in enumerate(documents)}
    langs.update({doc.id: detect_language(doc.text) for doc in documents})
    texts = {doc.id: doc.text for doc in documents}
    raw: list[tuple[Passage, list[str], list[str]]] = []
    opening: list[bool] = []  # whether the first content word opens the sentence
    # versions copy sentences word for word: each (text, language) is read once
    seen: dict[tuple[str, str], tuple[list[str], list[str], bool]] = {}
    for p in passages:
        if p.boilerplate or p.doc not in doc_index:
            continue
        key = (texts[p.doc][p.start : p.end], langs[p.doc])
        found = seen.get(key)
        if found is None:
            sentence = repair(key[0])
            pairs = content_terms_with_surface(sentence, key[1])
            first = WORD_RE.search(sentence)
            opens = bool(pairs and first and sentence.startswith(pairs[0][1], first.start()))
            found = seen[key] = ([t for t, _ in pairs], [s for _, s in pairs], opens)
        raw.append((p, list(found[0]), found[1]))
        opening.append(found[2])
    canon.update(_name_canon([(t, s) for _, t, s in raw]))
    names = _names([(t, s) for _, t, s in raw], opening, canon)
    units: list[_Unit] = []
    coder = diff.TokenCoder()
    order: Counter[str] = Counter()
    for p, terms, surfaces in raw:
        terms = [canon.get(t, t) for t in terms]
        lang = langs[p.doc]
        for term, surface in zip(terms, surfaces, strict=True):
            if term not in background:
                background[term] = (
                    lexicon.NUMBER_WEIGHT
                    if is_number(term)
                    else lexicon.background_weight((surface.casefold(), term), lang)
                )
        if not terms:
            continue
        units.append(
            _Unit(
                passage=p,
                doc_index=doc_index[p.doc],
                order=order[p.doc],
                terms=terms,
                codes=coder.encode(terms),
                term_set=frozenset(terms),
                numbers=frozenset(t for t in terms if is_number(t)),
                length=p.end - p.start,
                # "two men" is no figure to tell a story by; "£4,300" is
                specific=frozenset(
                    t
                    for t, s in zip(terms, surfaces, strict=True)
                    if t in names or (is_number(t) and s[:1].isdigit())
                ),
            )
        )
        order[p.doc] += 1
    return units, doc_index


class _Scorer:
    """Pair scores from how rare terms are in the language and in the set.

    A term weighs its background weight (rare in the language: heavy) times its rarity in
    the set. Between documents that are versions of one another that is all. Between other
    documents a term that both repeat in many sentences names the shared topic, not a
    fact, so it is discounted: the strict mode.
    """

    def __init__(self, units: list[_Unit], n_docs: int, background: dict[str, float]) -> None:
        self.units = units
        df: Counter[str] = Counter()
        self.per_doc: list[Counter[str]] = [Counter() for _ in range(n_docs)]
        for u in units:
            df.update(u.term_set)
            self.per_doc[u.doc_index].update(u.term_set)
        n = max(len(units), 1)
        self.df = df
        self.idf = {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}
        self.max_idf = math.log((n + 1) / 1.5) or 1.0
        # Strict: rare in the language and in the set. Loose: rarity in the set only
        # tempers the language's, since inside a rewrite pair everything shared repeats.
        self.strict = {t: background[t] * self.idf[t] / self.max_idf for t in df}
        self.loose = {
            t: background[t]
            * (LOOSE_SET_FLOOR + (1 - LOOSE_SET_FLOOR) * self.idf[t] / self.max_idf)
            for t in df
        }
        for u in units:
            # fsum is exact, so the sum does not depend on the (hash) order of the set
            u.loose_weight = math.fsum(self.loose[t] for t in u.term_set)
        self._pair_key: tuple[int, int] = (-1, -1)
        self._pair_table: dict[str, float] = {}

    def _weights(self, a: _Unit, b: _Unit, version: bool) -> dict[str, float] | None:
        if version:
            return None
        key = (a.doc_index, b.doc_index)
        if key != self._pair_key:
            # pairs come document pair by document pair: one table serves them all
            self._pair_key, self._pair_table = key, {}
        table = self._pair_table
        missing = (a.term_set | b.term_set) - table.keys()
        if missing:
            da, db = self.per_doc[a.doc_index], self.per_doc[b.doc_index]
            strict = self.strict
            # A term repeated across many sentences of both documents is the story's
            # topic, not evidence that these two sentences correspond.
            for t in missing:
                table[t] = strict[t] / math.sqrt(max(da[t], 1) * max(db[t], 1))
        return table

    def score(self, a: _Unit, b: _Unit, version: bool) -> tuple[float, float, float]:
        """(score, ordered share, shared weight) of a pair; score 0 when evidence is thin."""
        shared = a.term_set & b.term_set
        if len(shared) < 2:
            return 0.0, 0.0, 0.0
        table = self._weights(a, b, version) or self.loose
        # fsum is exact, so the sum does not depend on the (hash) order of the set
        w_shared = math.fsum(table[t] for t in shared)
        ordered = diff.shared_ordered_codes(a.codes, b.codes) / min(len(a.terms), len(b.terms))
        # Real evidence: shared rare words, a shared number, or the same run of at least
        # three content words (a copy).
        copied = ordered >= COPY_SHARE and len(shared) >= 3
        numbers = bool(a.numbers & b.numbers)
        if version:
            if w_shared < MIN_EVIDENCE_VERSION and not copied and not numbers:
                return 0.0, ordered, w_shared
        elif (
            len(shared) < STRICT_MIN_SHARED
            or (w_shared < MIN_EVIDENCE and not copied)
            or not _agree_on_names(a, b)
        ):
            # Between documents that are not versions, only plenty of rare shared words
            # (or a copied run) count: a number and a word are a coincidence there. And
            # the two must name the same people and places: court and agency copy repeat
            # whole clauses ("spoke only to confirm his name and address") across
            # unrelated stories, with other people in them.
            return 0.0, ordered, w_shared
        if version:
            w_a, w_b = a.loose_weight, b.loose_weight
        else:
            w_a = math.fsum(table[t] for t in a.term_set)
            w_b = math.fsum(table[t] for t in b.term_set)
        containment = w_shared / min(w_a, w_b)
        dice = 2 * w_shared / (w_a + w_b)
        # Evidence in units of "one rare word", saturating: two long paraphrases keep only
        # a few of each other's words, but those few are rare ones. A copied run of four
        # or more content words is evidence however everyday its words are.
        evidence = 1.0 - math.exp(-w_shared / EVIDENCE_SCALE)
        if copied and len(shared) >= COPY_MIN_TERMS:
            evidence = max(evidence, ordered * min(1.0, len(shared) / (2 * COPY_MIN_TERMS)) + 0.3)
        # A short passage fully contained in a long one is weaker evidence than two
        # long passages agreeing, so containment is tempered by how much is shared.
        support = min(1.0, w_shared / SUPPORT_SCALE)
        ratio = 0.45 * containment * support + 0.30 * dice + 0.25 * ordered
        score = 0.5 * ratio + 0.5 * evidence
        if a.numbers and b.numbers and not numbers:
            score *= 0.9
        return min(score, 1.0), ordered, w_shared


def _candidates(
    units: list[_Unit], scorer: _Scorer, cancel: CancelToken | None
) -> dict[tuple[int, int], list[tuple[int, int]]]:
    """Pairs of units worth scoring, by the pair of documents they join.

    Each unit keeps its best few partners in every other document (by the weight of the
    rarer terms they share). Partners that share fewer than two terms are then dropped:
    they could never score, and most document pairs are joined by nothing else.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        for t in u.term_set:
            postings[t].append(i)
    floor = CANDIDATE_EVIDENCE
    weight = scorer.loose
    docs = [u.doc_index for u in units]
    by_docs: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for i, u in enumerate(units):
        if cancel is not None and i % 256 == 0:
            cancel.check()
        acc: dict[int, float] = defaultdict(float)
        own = u.doc_index
        for t in sorted(u.term_set):  # a fixed order keeps float sums identical across runs
            plist = postings[t]
            if len(plist) > MAX_POSTINGS:
                continue
            w = weight[t]
            # postings are in unit order: only the later units are this one's to pair
            for j in itertools.islice(plist, bisect.bisect_right(plist, i), None):
                if docs[j] != own:
                    acc[j] += w
        # keep the best candidates in every other document, not just overall
        best_per_doc: dict[int, list[tuple[float, int]]] = defaultdict(list)
        for j, w in acc.items():
            if w >= floor:
                best_per_doc[docs[j]].append((w, j))
        for other, cands in best_per_doc.items():
            if len(cands) > CANDIDATES_PER_DOC:
                cands.sort(key=lambda x: (-x[0], x[1]))
            doc_pair = (own, other) if own < other else (other, own)
            for _w, j in cands[:CANDIDATES_PER_DOC]:
                if len(u.term_set & units[j].term_set) >= 2:
                    by_docs[doc_pair].append((i, j))
    for doc_pairs in by_docs.values():
        doc_pairs.sort()
    return by_docs


def _topic_similarity(
    scorer: _Scorer, n_docs: int, wanted: set[tuple[int, int]]
) -> dict[tuple[int, int], float]:
    """Cosine of the set-rarity-weighted vocabularies of the document pairs in ``wanted``.

    Only pairs that have candidate passages are ever asked about, so the cost follows the
    candidates rather than the square of the number of documents.
    """
    vectors: list[dict[str, float]] = [{} for _ in range(n_docs)]
    for d in {d for pair in wanted for d in pair}:
        for t, c in scorer.per_doc[d].items():
            vectors[d][t] = c * scorer.idf[t]
    norms = [math.sqrt(math.fsum(v * v for v in vec.values())) or 1.0 for vec in vectors]
    out: dict[tuple[int, int], float] = {}
    for da, db in sorted(wanted):
        va, vb = vectors[da], vectors[db]
        if len(vb) < len(va):
            va, vb = vb, va
        dot = math.fsum(va[t] * vb[t] for t in va.keys() & vb.keys())
        out[(da, db)] = dot / (norms[da] * norms[db])
    return out


def _longest_increasing(seq: list[int]) -> int:
    tails: list[int] = []
    for x in seq:
        k = bisect.bisect_left(tails, x)
        if k == len(tails):
            tails.append(x)
        else:
            tails[k] = x
    return len(tails)


Scored = dict[tuple[int, int], tuple[float, float, float]]  # (score, ordered, shared weight)


def _doc_pair(a: _Unit, b: _Unit) -> tuple[int, int]:
    return (a.doc_index, b.doc_index) if a.doc_index < b.doc_index else (b.doc_index, a.doc_index)


def _set_phrases(units: list[_Unit]) -> set[str]:
    """Short sentences that many documents repeat word for word: "The case continues.",
    "A spokesman declined to comment." Between stories they are furniture, not facts."""
    docs: dict[str, set[int]] = defaultdict(set)
    for u in units:
        if len(u.terms) <= SET_PHRASE_MAX_TERMS:
            docs[u.codes].add(u.doc_index)
    return {codes for codes, where in docs.items() if len(where) >= SET_PHRASE_DOCS}


def _version_pairs(units: list[_Unit], loose: Scored, scorer: _Scorer) -> set[tuple[int, int]]:
    """Document pairs that are versions of one another: several strong links, mostly in order.

    Like Meld's sync points: a pair of documents that shares many passages, each with
    plenty of rare words and in much the same order, is a rewrite pair, and inside it the
    passages between those anchors correspond too.
    """
    anchors: dict[tuple[int, int], list[tuple[float, int, int]]] = defaultdict(list)
    alignable: Counter[int] = Counter(u.doc_index for u in units)
    for (i, j), (s, o, w) in loose.items():
        copied = o >= COPY_SHARE and w >= MIN_EVIDENCE
        if s >= ANCHOR_SCORE and (w >= ANCHOR_EVIDENCE or copied):
            a, b = units[i], units[j]
            if a.doc_index > b.doc_index:
                a, b = b, a
            anchors[(a.doc_index, b.doc_index)].append((-s, a.order, b.order))
    names: dict[int, set[str]] = defaultdict(set)
    for u in units:
        names[u.doc_index].update(t for t in u.specific if not is_number(t))
    out: set[tuple[int, int]] = set()
    for (da, db), candidates in anchors.items():
        # one anchor per passage on each side, best first: repeated lines count once
        candidates.sort()
        used_a: set[int] = set()
        used_b: set[int] = set()
        pairs: list[tuple[int, int]] = []
        for _s, oa, ob in candidates:
            if oa not in used_a and ob not in used_b:
                used_a.add(oa)
                used_b.add(ob)
                pairs.append((oa, ob))
        n = len(pairs)
        smaller = min(alignable[da], alignable[db])
        if n < 2 or (n < VERSION_MIN_ANCHORS and n < VERSION_ANCHOR_SHARE * smaller):
            continue
        pairs.sort()
        in_order = _longest_increasing([b for _a, b in pairs])
        # Many anchors make a rewrite pair however it was reordered; a few must agree on
        # the order too.
        if n < VERSION_MANY_ANCHORS and in_order < VERSION_ORDER_SHARE * n:
            continue
        if _name_share(names[da], names[db], scorer.idf) < VERSION_NAME_SHARE:
            continue
        out.add((da, db))
    return out


def _agree_on_names(a: _Unit, b: _Unit) -> bool:
    """The two name a figure or someone in common, and most names of the passage with
    fewer are the other's too. Figures only need to meet once: a changed number is a
    conflict to show, not a sign of another story."""
    if a.specific.isdisjoint(b.specific):
        return False
    names_a = {t for t in a.specific if not is_number(t)}
    names_b = {t for t in b.specific if not is_number(t)}
    if not names_a or not names_b:
        return True
    return 2 * len(names_a & names_b) > min(len(names_a), len(names_b))


def _name_share(a: set[str], b: set[str], idf: dict[str, float]) -> float:
    """How much of the less named document's names the other names too, weighted by
    rarity in the set; 1.0 when either names too little to tell.

    Versions of one story name the same people and places. Two stories written to the
    same template (court, crime, showbusiness copy) share whole sentences but not names.
    """
    if len(a) < VERSION_MIN_NAMES or len(b) < VERSION_MIN_NAMES:
        return 1.0
    w_a = math.fsum(idf[t] for t in a)
    w_b = math.fsum(idf[t] for t in b)
    return math.fsum(idf[t] for t in a & b) / (min(w_a, w_b) or 1.0)


def _order_bonus(
    units: list[_Unit],
    scored: Scored,
    scorer: _Scorer,
    versions: set[tuple[int, int]],
) -> None:
    """Raise pairs that sit strictly between consecutive strong links of a rewrite pair."""
    strong: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for (i, j), (s, _o, _w) in scored.items():
        if s >= STRONG_SCORE:
            a, b = units[i], units[j]
            if (a.doc_index, b.doc_index) in versions:
                strong[(a.doc_index, b.doc_index)].append((a.order, b.order))
    at: dict[tuple[int, int], int] = {(u.doc_index, u.order): i for i, u in enumerate(units)}
    raised: set[tuple[int, int]] = set()
    for (da, db), anchors in sorted(strong.items()):
        if len(anchors) < 2:
            continue
        anchors.sort()
        for (a0, b0), (a1, b1) in itertools.pairwise(anchors):
            if b1 <= b0 or a1 - a0 > MAX_ORDER_GAP or b1 - b0 > MAX_ORDER_GAP:
                continue  # out of order, or too far apart to say what lies between
            for oa in range(a0 + 1, a1):
                for ob in range(b0 + 1, b1):
                    x, y = at.get((da, oa)), at.get((db, ob))
                    if x is None or y is None or (x, y) in raised:
                        continue
                    s, o, w = scored.get((x, y)) or scorer.score(units[x], units[y], True)
                    if s > 0:
                        scored[(x, y)] = (min(1.0, s + ORDER_BONUS), o, w)
                        raised.add((x, y))


def _best_matches(units: list[_Unit], scored: Scored, versions: set[tuple[int, int]]) -> None:
    """Inside a rewrite pair a passage has one or two counterparts, as in a diff.

    A pair that is not among the best two of both of its passages is only ``related``:
    kept under the same-link threshold. A pair just under it whose passages are each
    other's best counterpart is raised to it.
    """
    ranked: dict[tuple[int, int], list[tuple[float, int]]] = defaultdict(list)
    docs = [u.doc_index for u in units]
    inside: list[tuple[int, int]] = []  # candidate counterparts inside rewrite pairs
    for (i, j), (s, _o, _w) in scored.items():
        if s < MUTUAL_BEST_SCORE:
            continue
        da, db = docs[i], docs[j]
        if ((da, db) if da < db else (db, da)) not in versions:
            continue
        inside.append((i, j))
        ranked[(i, db)].append((-s, j))
        ranked[(j, da)].append((-s, i))
    keep: dict[tuple[int, int], set[int]] = {}
    for (i, _other), partners in ranked.items():
        partners.sort()
        best = -partners[0][0]
        kept = [partners[0][1]]
        covered = set(units[i].term_set & units[kept[0]].term_set)
        for s, j in partners[1:MAX_COUNTERPARTS]:
            # A close second, or one that matches another part of the passage: a merged
            # sentence has a counterpart for each of its halves.
            shared = units[i].term_set & units[j].term_set
            new = len(shared - covered)
            if -s >= BEST_SHARE * best or (new >= 2 and 2 * new >= len(shared)):
                kept.append(j)
                covered |= shared
        keep[(i, _other)] = set(kept)
    for i, j in inside:
        s, o, w = scored[(i, j)]
        if s < SAME_THRESHOLD:
            # Below the bar, but each is the other's best counterpart: a diff aligns them.
            if ranked[(i, docs[j])][0][1] == j and ranked[(j, docs[i])][0][1] == i:
                scored[(i, j)] = (SAME_THRESHOLD, o, w)
        elif j not in keep[(i, docs[j])] or i not in keep[(j, docs[i])]:
            scored[(i, j)] = (min(s, DEMOTED_SCORE), o, w)


def _group(
    passage_ids: list[str],
    doc_of: dict[str, str],
    links: list[Link],
    forbidden: set[frozenset[str]],
    lang_of_doc: dict[str, str] | None = None,
) -> list[list[str]]:
    """Constrained agglomeration of ``same`` links into groups, strongest links first.

    Two groups merge when at least a third of the pairs between them are linked, so
    that A~B and B~C do not chain A and C although nothing joins them. Across languages
    links are sparse (only names, numbers and cognates carry over, so a translation links
    to the one or two versions it was made from), and the rule is also met when it holds
    among the pairs of one language alone, or, when the groups share no language, when
    the links between them reach a third of the smaller group.
    """
    lang_of_doc = lang_of_doc or {}
    parent = {p: p for p in passage_ids}
    members: dict[str, list[str]] = {p: [p] for p in passage_ids}
    same_with: dict[str, set[str]] = defaultdict(set)
    for lk in links:
        if lk.relation == "same":
            same_with[lk.a].add(lk.b)
            same_with[lk.b].add(lk.a)

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    ordered = sorted(
        (lk for lk in links if lk.relation == "same"),
        key=lambda lk: (-(2.0 if lk.source == "editor" else lk.score), lk.a, lk.b),
    )
    for lk in ordered:
        ra, rb = find(lk.a), find(lk.b)
        if ra == rb:
            continue
        ga, gb = members[ra], members[rb]
        merged = ga + gb
        per_doc = Counter(doc_of[p] for p in merged)
        if max(per_doc.values()) > MAX_PER_DOC_IN_GROUP:
            continue
        if forbidden and any(frozenset((x, y)) in forbidden for x in ga for y in gb):
            continue
        if lk.source != "editor" and not _linked_enough(ga, gb, same_with, doc_of, lang_of_doc):
            continue
        parent[rb] = ra
        members[ra] = merged
        del members[rb]
    return [members[r] for r in members]


def _linked_enough(
    ga: list[str],
    gb: list[str],
    same_with: dict[str, set[str]],
    doc_of: dict[str, str],
    lang_of_doc: dict[str, str],
) -> bool:
    """Whether enough pairs between two groups are linked for them to merge (``_group``)."""
    in_b = set(gb)
    linked = sum(len(same_with[x] & in_b) for x in ga)
    if 3 * linked >= len(ga) * len(gb):
        return True
    langs_a = Counter(lang_of_doc.get(doc_of[x], "") for x in ga)
    langs_b = Counter(lang_of_doc.get(doc_of[y], "") for y in gb)
    if len(langs_a) == 1 and set(langs_a) == set(langs_b):
        return False  # one language on both sides: the rule above is the whole rule
    # Pairs that could be linked in one language: two passages of one document never are.
    same_pairs = linked_same = 0
    for x in ga:
        lang, doc = lang_of_doc.get(doc_of[x], ""), doc_of[x]
        for y in gb:
            if doc_of[y] != doc and lang_of_doc.get(doc_of[y], "") == lang:
                same_pairs += 1
                linked_same += y in same_with[x]
    if same_pairs == 0:
        return 3 * linked >= min(len(ga), len(gb))
    return 3 * linked_same >= same_pairs


#: The share of each text left over (outside what the pair shares) that gives the hub
#: signal its full weight. Two versions that share nearly all their text leave a sentence
#: or two over, and which third version happens to share those says little: at full
#: weight on such leftovers, the signal named a medium rewrite the source of its original
#: in two of the six rewrite development sets.
HUB_FULL_LEFTOVER = 0.25


def _derivation(
    documents: Sequence[Document],
    passages: Sequence[Passage],
    links: list[Link],
    ordered_share: dict[frozenset[str], float],
) -> list[Derivation]:
    """One entry per pair of versions that share text: which way it travelled, and how sure.

    Every pair is stated once. Where nothing tells the direction the entry says so
    (``direction="unknown"``) instead of naming a source.
    """
    doc_index = {d.id: i for i, d in enumerate(documents)}
    size: Counter[str] = Counter()
    length = {}
    for p in passages:
        length[p.id] = p.end - p.start
        if not p.boilerplate:
            size[p.doc] += p.end - p.start
    found: dict[tuple[str, str], set[str]] = defaultdict(set)  # (in doc, of doc) -> passages
    linked_to: dict[str, set[str]] = defaultdict(set)  # passage -> documents it is found in
    copy_signal: dict[tuple[str, str], list[float]] = defaultdict(list)
    doc_of = {p.id: p.doc for p in passages}
    for lk in links:
        if lk.relation != "same":
            continue
        da, db = doc_of[lk.a], doc_of[lk.b]
        found[(da, db)].add(lk.b)
        found[(db, da)].add(lk.a)
        linked_to[lk.a].add(db)
        linked_to[lk.b].add(da)
        o = ordered_share.get(frozenset((lk.a, lk.b)), 1.0)
        copy_signal[(da, db)].append(o)
        copy_signal[(db, da)].append(o)

    def share(source: str, derived: str) -> float:
        total = size[derived]
        if not total:
            return 0.0
        return min(1.0, sum(length[p] for p in found[(source, derived)]) / total)

    own: dict[str, list[str]] = defaultdict(list)
    for p in passages:
        if not p.boilerplate:
            own[p.doc].append(p.id)

    def leftovers_used(doc: str, other: str) -> float | None:
        """Of ``doc``'s text not found in ``other``, the share some third version has.

        A source's leftovers are what other rewrites took; a rewrite's own additions are
        found nowhere else. None when no third version shares anything with ``doc``.
        """
        rest = [p for p in own[doc] if other not in linked_to[p]]
        if not rest or not any(linked_to[p] - {other} for p in own[doc]):
            return None
        total = sum(length[p] for p in rest)
        used = sum(length[p] for p in rest if linked_to[p] - {other})
        return used / total if total else None

    dates = {d.id: d.date for d in documents}
    quoted = _quoted_share(documents, passages, found)
    doc_of_passage, cues = _cues(documents, passages, links)
    trimmed = _trimmed_quotes(links, doc_of_passage, cues)
    weekdays = _today_became_a_day(links, doc_of_passage, cues)
    wire = {p.doc for p in passages if p.boilerplate_reason == "slug line"}
    wire |= {d.id for d in documents if d.format == "wire"}
    out: list[Derivation] = []
    pairs = sorted(
        {(a, b) if doc_index[a] < doc_index[b] else (b, a) for a, b in found},
        key=lambda ab: (doc_index[ab[0]], doc_index[ab[1]]),
    )
    for first, second in pairs:
        s_fwd = share(first, second)  # part of second's text found in first
        s_back = share(second, first)
        if s_fwd <= 0 and s_back <= 0:
            continue
        # Positive: the text travelled from ``first`` to ``second``.
        # A derived version keeps most of its source, and the source usually holds more
        # than the derived one takes; rewrites turn direct quotes into reported speech far
        # more often than the reverse; a source cannot postdate its copy.
        direction = 2.0 * (s_fwd - s_back)
        direction += 0.6 * (quoted[(first, second)] - quoted[(second, first)])
        # Copies cut quotes short far more often than they lengthen them.
        direction += 0.8 * math.tanh(trimmed[(first, second)] - trimmed[(second, first)])
        # "today" in the source becomes "yesterday" or a weekday in the copy.
        direction += 0.8 * math.tanh(weekdays[(first, second)] - weekdays[(second, first)])
        # Wire copy, recognisable by its slug line, is what other versions are made from.
        direction += 3.0 * ((first in wire) - (second in wire))
        # The hub: what a source leaves out, other rewrites took; what a rewrite adds is
        # its own.
        left_first, left_second = leftovers_used(first, second), leftovers_used(second, first)
        if left_first is not None and left_second is not None:
            # leftovers of a few sentences say little: weighed by how much is left over
            spare = min(1.0 - s_fwd, 1.0 - s_back) / HUB_FULL_LEFTOVER
            direction += 2.0 * (left_first - left_second) * min(1.0, max(0.0, spare))
        if dates[first] and dates[second] and dates[first] != dates[second]:
            direction += 2.0 if dates[first] < dates[second] else -2.0
        source, derived = (first, second) if direction >= 0 else (second, first)
        taken = s_fwd if direction >= 0 else s_back
        signals = copy_signal[(source, derived)]
        copying = math.fsum(signals) / len(signals) if signals else 0.0
        known = abs(direction) >= DIRECTION_MARGIN
        likely = 1.0 / (1.0 + math.exp(-3.0 * abs(direction)))
        # unknown direction: the confidence that one was made from the other, either way
        score = taken * (0.6 + 0.4 * copying) * (likely if known else 1.0)
        if not known:
            # no sign of direction: stated once, in load order, as shared text
            source, derived, taken = first, second, s_fwd
        out.append(
            Derivation(
                source=source,
                derived=derived,
                share=round(taken, 4),
                score=round(score, 4),
                direction="known" if known else "unknown",
            )
        )
    _explain_by_upstream(out, found, length, size)
    out.sort(key=lambda d: (doc_index[d.derived], doc_index[d.source]))
    return out


def _explain_by_upstream(
    out: list[Derivation],
    found: dict[tuple[str, str], set[str]],
    length: dict[str, int],
    size: Counter[str],
) -> None:
    """Credit text to the source it came from, not to a sibling that copied it too.

    When W is the source of both X and C, what C shares with X that W also has is
    what both took from W: only the rest says that C was made from X. Without this a
    close copy of the wire looks as good a source of every other paper as the wire.
    """
    known = {(d.source, d.derived): d for d in out if d.direction == "known"}
    sources_of: dict[str, set[str]] = defaultdict(set)
    for w, x in known:
        sources_of[x].add(w)
    for d in out:
        if d.direction != "known":
            continue
        upstream = sorted(sources_of[d.source] & sources_of[d.derived])
        if not upstream or not size[d.derived]:
            continue
        from_upstream = set().union(*(found[(w, d.derived)] for w in upstream))
        own = found[(d.source, d.derived)] - from_upstream
        share = sum(length[p] for p in own) / size[d.derived]
        if share < EXPLAINED_SHARE * d.share:
            # The sibling stays a possible source, ranked below the one it copied.
            best_upstream = max(known[(w, d.derived)].score for w in upstream)
            d.score = min(d.score, round(UPSTREAM_RANK * best_upstream, 4))


_TODAY_RE = re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.IGNORECASE)
_DAY_RE = re.compile(
    rf"\b(?:yesterday|last night|{lexicon.alternation(lexicon.WEEKDAYS['en'])})\b", re.IGNORECASE
)


@dataclass(frozen=True)
class _Cues:
    """What a passage says about which way text travelled, read once per passage."""

    today: bool  # "today", "tonight", "this morning"
    day: bool  # "yesterday" or a weekday
    quotes: tuple[str, ...]  # its direct quotes, compared loosely (``_quote_key``)


def _cues(
    documents: Sequence[Document], passages: Sequence[Passage], links: list[Link]
) -> tuple[dict[str, str], dict[str, _Cues]]:
    """(doc of each passage, cues of every passage on a ``same`` link)."""
    text = {d.id: d.text for d in documents}
    by_id = {p.id: p for p in passages}
    cues: dict[str, _Cues] = {}
    for lk in links:
        if lk.relation != "same":
            continue
        for pid in (lk.a, lk.b):
            if pid not in cues:
                p = by_id[pid]
                t = text[p.doc][p.start : p.end]
                cues[pid] = _Cues(
                    bool(_TODAY_RE.search(t)),
                    bool(_DAY_RE.search(t)),
                    tuple(_quote_key(q) for q in _QUOTED_SPAN_RE.findall(t)),
                )
    return {p.id: p.doc for p in passages}, cues


def _today_became_a_day(
    links: list[Link], doc_of: dict[str, str], cues: dict[str, _Cues]
) -> Counter[tuple[str, str]]:
    """(doc A, doc B): linked passages where A says "today" and B names the day instead."""
    out: Counter[tuple[str, str]] = Counter()
    for lk in links:
        if lk.relation != "same":
            continue
        ca, cb = cues[lk.a], cues[lk.b]
        if ca.today and not cb.today and cb.day:
            out[(doc_of[lk.a], doc_of[lk.b])] += 1
        if cb.today and not ca.today and ca.day:
            out[(doc_of[lk.b], doc_of[lk.a])] += 1
    return out


_QUOTED_SPAN_RE = re.compile(r'[“"«„]([^”"»“]{8,})[”"»“]')


def _trimmed_quotes(
    links: list[Link], doc_of: dict[str, str], cues: dict[str, _Cues]
) -> Counter[tuple[str, str]]:
    """(doc A, doc B): how many linked quotes B gives as a shortened part of A's quote."""
    out: Counter[tuple[str, str]] = Counter()
    for lk in links:
        if lk.relation != "same":
            continue
        qa, qb = cues[lk.a].quotes, cues[lk.b].quotes
        if not qa or not qb:
            continue
        da, db = doc_of[lk.a], doc_of[lk.b]
        if any(len(y) + 3 <= len(x) and y in x for x in qa for y in qb):
            out[(da, db)] += 1
        if any(len(x) + 3 <= len(y) and x in y for x in qa for y in qb):
            out[(db, da)] += 1
    return out


def _quote_key(quote: str) -> str:
    """A quote compared without case, closing punctuation and spacing differences."""
    return " ".join(quote.casefold().strip(" .,;:!?").split())


def _quoted_share(
    documents: Sequence[Document],
    passages: Sequence[Passage],
    found: dict[tuple[str, str], set[str]],
) -> dict[tuple[str, str], float]:
    """For (doc A, doc B): the share of A's passages shared with B that hold a direct quote."""
    text = {d.id: d.text for d in documents}
    by_id = {p.id: p for p in passages}
    quotes: dict[str, bool] = {}
    out: dict[tuple[str, str], float] = defaultdict(float)
    for (other, doc), pids in found.items():
        if not pids:
            continue
        for pid in pids:
            if pid not in quotes:
                p = by_id[pid]
                quotes[pid] = bool(_QUOTE_RE.search(text[doc][p.start : p.end]))
        out[(doc, other)] = sum(1 for pid in pids if quotes[pid]) / len(pids)
    return out


def align(
    documents: Sequence[Document],
    passages: Sequence[Passage],
    *,
    corrections: Corrections | None = None,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> Alignment:
    """Link the passages of all documents that state the same thing, and group them."""
    with runtime.gc_paused():
        return _align(documents, passages, corrections, progress, cancel)


def _align(
    documents: Sequence[Document],
    passages: Sequence[Passage],
    corrections: Corrections | None,
    progress: ProgressFn | None,
    cancel: CancelToken | None,
) -> Alignment:
    progress = progress or _noop
    corrections = corrections or Corrections()
    progress("align", 0, 4)
    background: dict[str, float] = {}
    canon: dict[str, str] = {}
    langs: dict[str, str] = {}
    units, _doc_index = _build_units(documents, passages, background, canon, langs)
    scorer = _Scorer(units, len(documents), background)
    progress("align", 1, 4)
    by_docs = _candidates(units, scorer, cancel)
    topic = _topic_similarity(scorer, len(documents), set(by_docs))
    progress("align", 2, 4)
    # First level: which documents are versions of one another, from loose scores.
    loose: Scored = {}
    # A loose score depends on the two sentences' terms alone, and versions repeat each
    # other's sentences: the same two texts meet again in many pairs of versions.
    loose_of: dict[tuple[str, str], tuple[float, float, float]] = {}
    for n, (doc_pair, doc_pairs) in enumerate(sorted(by_docs.items())):
        if cancel is not None and n % 64 == 0:
            cancel.check()
        if topic[doc_pair] < TOPIC_THRESHOLD:
            continue
        for i, j in doc_pairs:
            a, b = units[i], units[j]
            result = loose_of.get((a.codes, b.codes))
            if result is None:
                result = loose_of[(a.codes, b.codes)] = scorer.score(a, b, True)
            loose[(i, j)] = result
    versions = _version_pairs(units, loose, scorer)
    phrases = _set_phrases(units)
    # Second level: inside a rewrite pair align like a diff; elsewhere stay strict.
    scored: Scored = {}
    for doc_pair, doc_pairs in sorted(by_docs.items()):
        if doc_pair in versions:
            for key in doc_pairs:
                result = loose.get(key)
                if result is not None and result[0] > 0:
                    scored[key] = result
            continue
        for i, j in doc_pairs:
            if (i, j) not in loose:
                continue
            a, b = units[i], units[j]
            if a.codes == b.codes and a.codes in phrases:
                continue
            result = scorer.score(a, b, False)
            if result[0] >= STRICT_RELATED_THRESHOLD:
                scored[(i, j)] = result
    _order_bonus(units, scored, scorer, versions)
    _best_matches(units, scored, versions)
    progress("align", 3, 4)

    forbidden = {frozenset(pair) for pair in corrections.forbidden_links}
    links: list[Link] = []
    ordered_share: dict[frozenset[str], float] = {}
    for (i, j), (s, o, _w) in scored.items():
        if s < RELATED_THRESHOLD:
            continue
        first, second = units[i].passage, units[j].passage
        if units[i].doc_index > units[j].doc_index:
            first, second = second, first
        if frozenset((first.id, second.id)) in forbidden:
            continue
        relation: Relation = "same" if s >= SAME_THRESHOLD else "related"
        links.append(Link(a=first.id, b=second.id, score=round(s, 4), relation=relation))
        ordered_share[frozenset((first.id, second.id))] = o
    pid_order = {p.id: k for k, p in enumerate(passages)}
    existing = {frozenset((lk.a, lk.b)): lk for lk in links}
    for x, y in corrections.forced_links:
        if x not in pid_order or y not in pid_order:
            continue
        a_id, b_id = (x, y) if pid_order[x] <= pid_order[y] else (y, x)
        prior = existing.get(frozenset((a_id, b_id)))
        if prior is not None:
            links.remove(prior)
        links.append(Link(a=a_id, b=b_id, score=1.0, relation="same", source="editor"))
    links.sort(key=lambda lk: (pid_order[lk.a], pid_order[lk.b]))

    # Keep only each passage's best related links so the view is not flooded.
    links = _prune_related(links)
    _mark_spans(documents, passages, links, units, canon, langs)

    doc_of = {p.id: p.doc for p in passages}
    raw_groups = _group([p.id for p in passages], doc_of, links, forbidden, langs)
    raw_groups = [sorted(g, key=pid_order.__getitem__) for g in raw_groups]
    raw_groups.sort(key=lambda g: pid_order[g[0]])
    groups = [Group(id=f"g{k}", passages=g) for k, g in enumerate(raw_groups)]
    derivation = _derivation(documents, passages, links, ordered_share)
    progress("align", 4, 4)
    return Alignment(links=links, groups=groups, derivation=derivation)


# A clause runs to a comma before a space (not the one in 2,500), a semicolon, a colon,
# a bracket or a dash.
_CLAUSE_RE = re.compile(r"(?:[^,;:()\u2013\u2014]|,(?=\S))+(?:[,;:()\u2013\u2014]+|$)")


def _mark_spans(
    documents: Sequence[Document],
    passages: Sequence[Passage],
    links: list[Link],
    units: list[_Unit],
    canon: dict[str, str],
    langs: dict[str, str],
) -> None:
    """Record which part of each passage matched, where only a clause of one of them does.

    One sentence often holds several facts; a rewrite that keeps one of them shares only
    that clause. The span runs from the first to the last clause holding a shared term.
    """
    texts = {d.id: d.text for d in documents}
    by_id = {p.id: p for p in passages}
    terms = {u.passage.id: u.term_set for u in units}
    clauses: dict[str, _Clauses] = {}
    for lk in links:
        if lk.source != "auto" or lk.relation != "same" or lk.a not in terms or lk.b not in terms:
            continue
        shared = terms[lk.a] & terms[lk.b]
        if len(terms[lk.a]) - len(shared) < SPAN_MIN_UNSHARED and (
            len(terms[lk.b]) - len(shared) < SPAN_MIN_UNSHARED
        ):
            continue
        sides = []
        for pid in (lk.a, lk.b):
            if pid not in clauses:
                p = by_id[pid]
                clauses[pid] = _Clauses(texts[p.doc], p, langs[p.doc], canon)
            sides.append(clauses[pid].span(shared))
        if sides[0] is None and sides[1] is None:
            continue
        pa, pb = by_id[lk.a], by_id[lk.b]
        lk.spans = (sides[0] or (pa.start, pa.end), sides[1] or (pb.start, pb.end))


class _Clauses:
    """A passage cut into clauses, each with its canonical terms: many links ask about
    the same passage."""

    def __init__(self, text: str, passage: Passage, lang: str, canon: dict[str, str]) -> None:
        self.passage = passage
        raw = text[passage.start : passage.end]
        self.fixed, self.starts = repair_with_map(raw)
        self.clauses = [
            (
                m.start(),
                m.end(),
                {canon.get(t, t) for t in content_terms(self.fixed[m.start() : m.end()], lang)},
            )
            for m in _CLAUSE_RE.finditer(self.fixed)
        ]

    def span(self, shared: frozenset[str]) -> tuple[int, int] | None:
        """Document offsets of the clauses that hold shared terms, or None when that is
        (nearly) the whole passage."""
        if len(self.clauses) < 2:
            return None
        hits = [(s, e) for s, e, terms in self.clauses if not terms.isdisjoint(shared)]
        if not hits:
            return None
        fixed = self.fixed
        start, end = hits[0][0], hits[-1][1]
        while start < end and not fixed[start].isalnum():
            start += 1
        while end > start and not fixed[end - 1].isalnum():
            end -= 1
        if end - start >= SPAN_WHOLE_SHARE * len(fixed.strip()):
            return None
        return self.passage.start + self.starts[start], self.passage.start + self.starts[end]


def _prune_related(links: list[Link], per_passage: int = 2) -> list[Link]:
    best: dict[str, list[float]] = defaultdict(list)
    for lk in links:
        if lk.relation == "related":
            best[lk.a].append(lk.score)
            best[lk.b].append(lk.score)
    cutoff = {p: sorted(s, reverse=True)[:per_passage][-1] for p, s in best.items()}
    return [
        lk
        for lk in links
        if lk.relation == "same" or (lk.score >= cutoff[lk.a] and lk.score >= cutoff[lk.b])
    ]
