"""Generated article sets whose alignment truth is known by construction.

Stories are built from real English prose shipped with FactDesk (sentences from the
documentation strings of the Python standard library). Each version
of a story keeps most of its sentences, edits their wording, splits some, merges others,
moves paragraphs, adds furniture lines, and unrelated single texts are mixed in. The truth
is which generated sentences descend from a common original sentence.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from factdesk.core.bundled import resource_path

CORPUS_FILE = "synth_corpus.txt"
_WORD = re.compile(r"[A-Za-z]+")
_ENDINGS = (
    "an el ov ia ur is en ar os ek ud im ow ay ux iz ot ab un er il ac ep ig ol "
    "um aro ine eth ova ski ton berg ville ford ley ham stad wick more dale"
).split()
_LONG_WORD = re.compile(r"\b[A-Za-z]{5,}\b")

# Word swaps a copy editor makes; both directions are used.
_SYNONYMS = {
    "said": "stated",
    "large": "big",
    "small": "little",
    "begin": "start",
    "use": "employ",
    "uses": "employs",
    "used": "employed",
    "returns": "gives back",
    "return": "give back",
    "create": "make",
    "creates": "makes",
    "created": "made",
    "provides": "offers",
    "provide": "offer",
    "contains": "holds",
    "however": "but",
    "several": "a number of",
    "many": "numerous",
    "also": "additionally",
    "must": "has to",
    "called": "named",
    "killed": "slain",
    "attack": "assault",
    "government": "administration",
    "announced": "declared",
    "support": "backing",
    "help": "assist",
    "show": "display",
    "shows": "displays",
    "value": "amount",
    "values": "amounts",
    "first": "initial",
    "end": "finish",
    "whole": "entire",
    "quickly": "rapidly",
}
_SYNONYMS.update({v: k for k, v in list(_SYNONYMS.items()) if " " not in v})

_FURNITURE = [
    "Share this article",
    "By Staff Writer",
    "Related Posts",
    "Advertisement",
    "0 Comments",
    "Click to share on Facebook",
    "Read more",
    "Subscribe to our newsletter",
]


@dataclass
class GenSentence:
    text: str
    origins: frozenset[int]  # ids of the original sentences it descends from


@dataclass
class GenDocument:
    name: str
    story: int
    paragraphs: list[list[GenSentence]] = field(default_factory=list)
    furniture: list[str] = field(default_factory=list)

    def render(self) -> tuple[str, list[tuple[int, int, frozenset[int]]]]:
        """The file text and the span and origins of every generated sentence in it."""
        parts: list[str] = []
        spans: list[tuple[int, int, frozenset[int]]] = []
        pos = 0
        blocks: list[list[GenSentence] | str] = list(self.paragraphs)
        for k, line in enumerate(self.furniture):
            blocks.insert(min(len(blocks), 1 + 3 * k), line)
        for block in blocks:
            if parts:
                parts.append("\n\n")
                pos += 2
            if isinstance(block, str):
                parts.append(block)
                pos += len(block)
                continue
            for s_index, sent in enumerate(block):
                if s_index:
                    parts.append(" ")
                    pos += 1
                spans.append((pos, pos + len(sent.text), sent.origins))
                parts.append(sent.text)
                pos += len(sent.text)
        return "".join(parts) + "\n", spans


@dataclass
class GenSet:
    documents: list[GenDocument]

    def same_pairs(
        self, passages_by_doc: dict[str, list[tuple[str, int, int]]]
    ) -> set[frozenset[str]]:
        """Pairs of passage ids (across documents) that descend from a common original.

        ``passages_by_doc`` maps a document name to its (passage id, start, end) list, so the
        truth is expressed over whatever passages the segmenter produced.
        """
        origins: dict[str, tuple[str, frozenset[int]]] = {}
        for doc in self.documents:
            _text, spans = doc.render()
            for pid, start, end in passages_by_doc.get(doc.name, []):
                found: set[int] = set()
                for s_start, s_end, o in spans:
                    if s_start < end and start < s_end:
                        found |= o
                if found:
                    origins[pid] = (doc.name, frozenset(found))
        by_origin: dict[int, list[str]] = {}
        for pid, (_name, o) in origins.items():
            for x in o:
                by_origin.setdefault(x, []).append(pid)
        pairs: set[frozenset[str]] = set()
        for pids in by_origin.values():
            for i, a in enumerate(pids):
                for b in pids[i + 1 :]:
                    if origins[a][0] != origins[b][0]:
                        pairs.add(frozenset((a, b)))
        return pairs


@lru_cache(maxsize=1)
def _corpus() -> list[list[str]]:
    """Stories of real prose, one block of sentences per story.

    The text ships in ``resources/synth_corpus.txt`` (documentation strings of the Python
    standard library), so generated sets are the same on every machine and Python version.
    """
    text = resource_path(CORPUS_FILE).read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    stories = [
        [line for line in block.splitlines() if line and not line.startswith("#")]
        for block in blocks
    ]
    return [story for story in stories if story]


def _edit_words(text: str, rng: random.Random, strength: float) -> str:
    words = text[:-1].split(" ")
    out: list[str] = []
    for w in words:
        bare = w.strip(",;:").lower()
        if bare in _SYNONYMS and rng.random() < strength:
            rep = _SYNONYMS[bare]
            if w[:1].isupper():
                rep = rep[:1].upper() + rep[1:]
            w = rep + w[len(w.rstrip(",;:")) :]
        elif bare in {"the", "a", "very", "also", "that"} and rng.random() < strength / 2:
            continue
        out.append(w)
    # move a leading clause to the end, as rewriters often do
    joined = " ".join(out)
    if rng.random() < strength and ", " in joined:
        head, tail = joined.split(", ", 1)
        if 3 <= len(head.split()) <= 10 and len(tail.split()) >= 4:
            joined = tail[:1].upper() + tail[1:] + ", " + head[:1].lower() + head[1:]
    if not joined:
        return text
    return joined[:1].upper() + joined[1:] + "."


def _split(sent: GenSentence) -> list[GenSentence] | None:
    for marker in (", and ", "; ", ", but ", ", which "):
        if marker in sent.text:
            head, tail = sent.text.split(marker, 1)
            if len(head.split()) >= 5 and len(tail.split()) >= 5:
                tail = tail[:1].upper() + tail[1:]
                if marker == ", which ":
                    tail = "This " + tail
                return [GenSentence(head + ".", sent.origins), GenSentence(tail, sent.origins)]
    return None


def _make_version(
    story_id: int,
    base: list[tuple[int, str]],
    name: str,
    rng: random.Random,
    n_sentences: int,
) -> GenDocument:
    strength = rng.choice([0.1, 0.3, 0.6])
    keep = [s for s in base if rng.random() < 0.85][:n_sentences] or base[:1]
    sents = [GenSentence(_edit_words(t, rng, strength), frozenset([o])) for o, t in keep]
    edited: list[GenSentence] = []
    k = 0
    while k < len(sents):
        s = sents[k]
        roll = rng.random()
        parts = _split(s) if roll < 0.1 else None
        if parts:
            edited.extend(parts)
        elif roll > 0.92 and k + 1 < len(sents):
            nxt = sents[k + 1]
            merged = s.text[:-1] + ", and " + nxt.text[:1].lower() + nxt.text[1:]
            edited.append(GenSentence(merged, s.origins | nxt.origins))
            k += 1
        else:
            edited.append(s)
        k += 1
    paragraphs: list[list[GenSentence]] = []
    at = 0
    while at < len(edited):
        size = rng.randint(1, 3)
        paragraphs.append(edited[at : at + size])
        at += size
    if len(paragraphs) > 3 and rng.random() < 0.5:  # move a paragraph elsewhere
        p = paragraphs.pop(rng.randrange(1, len(paragraphs)))
        paragraphs.insert(rng.randrange(1, len(paragraphs)), p)
    furniture = rng.sample(_FURNITURE, rng.randint(0, 3))
    return GenDocument(name=name, story=story_id, paragraphs=paragraphs, furniture=furniture)


def _respell(window: list[str], rng: random.Random, vocabulary: list[str]) -> list[str]:
    """Give a reused stretch of prose a vocabulary of its own, so it tells a new story.

    Every longer word is swapped, consistently, for another word of the corpus given a
    made-up ending; sentence structure and function words stay real.
    """
    mapping: dict[str, str] = {}

    def swap(match: re.Match[str]) -> str:
        word = match.group(0)
        key = word.lower()
        if key not in mapping:
            # a corpus word with a made-up ending, so that stories rarely share their words,
            # as real stories rarely share their names and places
            mapping[key] = rng.choice(vocabulary) + rng.choice(_ENDINGS)
        new = mapping[key]
        return new[:1].upper() + new[1:] if word[:1].isupper() else new

    return [_LONG_WORD.sub(swap, sentence) for sentence in window]


@lru_cache(maxsize=1)
def _vocabulary() -> list[str]:
    words = {w.lower() for story in _corpus() for s in story for w in _LONG_WORD.findall(s)}
    return sorted(words)


def generate_set(n_docs: int, *, sentences: int = 30, seed: int = 0) -> GenSet:
    """A set of ``n_docs`` documents: stories in 2-8 versions plus unrelated single texts."""
    rng = random.Random(seed)
    corpus = _corpus()
    module_order = list(range(len(corpus)))
    rng.shuffle(module_order)
    documents: list[GenDocument] = []
    cursor = 0  # modules taken so far
    story = 0
    while len(documents) < n_docs:
        # a story is ~`sentences` sentences of prose from one or more modules; once every
        # module has been used, reused prose gets a vocabulary of its own
        window: list[str] = []
        wanted = sentences + sentences // 5  # versions keep ~85% of their story
        while len(window) < wanted:
            source = corpus[module_order[cursor % len(corpus)]]
            reused = cursor >= len(corpus)
            cursor += 1
            start = rng.randrange(0, max(1, len(source) - (wanted - len(window))))
            part = source[start : start + wanted - len(window)]
            window.extend(_respell(part, rng, _vocabulary()) if reused else part)
        story += 1
        base = [(story * 100_000 + i, t) for i, t in enumerate(window)]
        versions = 1 if rng.random() < 0.2 else rng.randint(2, 8)
        versions = min(versions, n_docs - len(documents))
        for _v in range(versions):
            name = f"doc{len(documents):05d}.txt"
            documents.append(_make_version(story, base, name, rng, sentences))
    return GenSet(documents=documents)


def write_set(
    directory: str | Path, n_docs: int, *, sentences: int = 30, seed: int = 0
) -> list[Path]:
    """Write a generated set as text files and return their paths."""
    gen = generate_set(n_docs, sentences=sentences, seed=seed)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in gen.documents:
        path = folder / doc.name
        path.write_text(doc.render()[0], encoding="utf-8")
        paths.append(path)
    return paths
