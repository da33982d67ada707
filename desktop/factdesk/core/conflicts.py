"""Where aligned versions disagree.

Inside one alignment group (sentences that say the same thing) FactDesk flags:
different numbers for the same counted thing, different dates or days, different
names for the same role, a direct quote turned into paraphrase, a claim attributed
to different actors, and insertions (a sentence of a derived version with no
counterpart in the version it was most likely made from). Spelling variants of one
name are reported as ``variant``, which is not a conflict.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from factdesk.core import text as textmod
from factdesk.core.facts import anchor_passages, group_index
from factdesk.core.model import ArticleSet, Fact, Passage
from factdesk.core.suggest import (
    Unit,
    UnitIndex,
    group_units,
    index_units,
    is_person_or_organisation,
    is_spelling_variant,
)

CONFLICT_KINDS = ("number", "date", "name", "quote", "attribution", "insertion")
#: A derivation at least this confident names the version a derived one was made from.
INSERTION_MIN_SCORE = 0.5
#: Quotes shorter than this many words are scare quotes, not statements.
QUOTE_MIN_WORDS = 4
#: Share of a quote's content words the other version must carry to count as paraphrase.
PARAPHRASE_MIN_OVERLAP = 0.3


@dataclass
class Conflict:
    """One disagreement between versions, with the differing words in each version."""

    kind: str  # one of CONFLICT_KINDS, or "variant" (not a conflict)
    group_id: str  # "" for an insertion whose sentence is in no group
    docs: list[str]
    words: dict[str, str]  # doc id -> the differing words in that version
    message: str
    passages: list[str] = field(default_factory=list)

    @property
    def is_conflict(self) -> bool:
        return self.kind != "variant"


def find_conflicts(
    article_set: ArticleSet,
    *,
    include_variants: bool = False,
    index: UnitIndex | None = None,
) -> list[Conflict]:
    """Every conflict in the set, in group order then kind order (deterministic)."""
    index = index or index_units(article_set)
    names = {d.id: d.name or d.id for d in article_set.documents}
    dates = {d.id: d.date for d in article_set.documents}
    passages = {p.id: p for p in article_set.passages}
    out: list[Conflict] = []
    for group in article_set.groups:
        units = group_units(article_set, index, group.id)
        by_doc: dict[str, list[Unit]] = {}
        for u in units:
            by_doc.setdefault(u.doc, []).append(u)
        if len(by_doc) < 2:
            continue
        found: list[Conflict] = []
        found += _value_conflicts(group.id, by_doc, "number", names)
        found += _unmatched_numbers(group.id, by_doc, names)
        found += _value_conflicts(group.id, _dated(by_doc, dates), "date", names)
        found += _name_conflicts(group.id, by_doc, names, include_variants)
        found += _quote_conflicts(article_set, passages, group.id, group.passages, by_doc, names)
        found += _without_named(_attribution_conflicts(group.id, by_doc, names, index), found)
        rank = {k: i for i, k in enumerate((*CONFLICT_KINDS, "variant"))}
        out += sorted(found, key=lambda c: rank[c.kind])
    out += _insertions(article_set, names)
    return out


def _without_named(attributions: list[Conflict], found: list[Conflict]) -> list[Conflict]:
    """Drop attribution conflicts that only restate a name conflict ("Kirby said")."""
    named = [c for c in found if c.kind == "name"]

    def restated(c: Conflict) -> bool:
        return any(
            n.docs == c.docs and all(n.words[d] in c.words[d] for d in c.docs) for n in named
        )

    return [c for c in attributions if not restated(c)]


def _doc_pairs(docs: Iterable[str]) -> list[tuple[str, str]]:
    ordered = list(docs)
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


def _nested(a: set[str], b: set[str]) -> bool:
    return a <= b or b <= a


def _between(
    kind: str,
    group_id: str,
    names: dict[str, str],
    a: str,
    units_a: Sequence[Unit],
    b: str,
    units_b: Sequence[Unit],
    *,
    lead: str,
    verb: str = "says",
    distinct: bool = False,
) -> Conflict:
    """A disagreement of versions ``a`` and ``b`` over these units.

    Worded "{lead}: {a} {verb} “…”, {b} {verb} “…”."; ``distinct`` lists each surface once.
    """

    def surfaces(units: Sequence[Unit]) -> str:
        found = (u.surface for u in units)
        return "; ".join(dict.fromkeys(found) if distinct else found)

    words = {a: surfaces(units_a), b: surfaces(units_b)}
    says = f" {verb} " if verb else " "
    return Conflict(
        kind=kind,
        group_id=group_id,
        docs=[a, b],
        words=words,
        message=f"{lead}: {names[a]}{says}“{words[a]}”, {names[b]}{says}“{words[b]}”.",
        passages=sorted({u.passage for u in (*units_a, *units_b)}),
    )


#: Days from a document's own date that a relative day names.
_RELATIVE_DAYS = {"today": 0, "yesterday": -1, "last night": -1, "tomorrow": 1}


def _dated(by_doc: dict[str, list[Unit]], dates: dict[str, str]) -> dict[str, list[Unit]]:
    """Relative days ("today", "yesterday") as the dates they stand for in each version.

    A paper printed the next day says "yesterday" where the wire said "today": the same
    day. Against each version's own date they compare as dates; in a version with no date
    they say nothing that could disagree, so they are left out.
    """
    out: dict[str, list[Unit]] = {}
    for doc, units in by_doc.items():
        day = _parse_date(dates.get(doc, ""))
        kept: list[Unit] = []
        for u in units:
            if u.kind == "date" and u.noun == "day":
                if day is None or u.value not in _RELATIVE_DAYS:
                    continue
                when = day + datetime.timedelta(days=_RELATIVE_DAYS[u.value])
                u = dataclasses.replace(u, value=f"{when.month:02d}-{when.day:02d}", noun="date")
            kept.append(u)
        out[doc] = kept
    return out


def _parse_date(value: str) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _value_conflicts(
    group_id: str, by_doc: dict[str, list[Unit]], kind: str, names: dict[str, str]
) -> list[Conflict]:
    """Same counted thing (or same kind of date) with values that cannot both be right.

    One version giving fewer values than another (it left one out) is not a conflict;
    two versions each giving a value the other lacks is.
    """
    out: list[Conflict] = []
    for a, b in _doc_pairs(by_doc):
        slots_a = _slots(by_doc[a], kind)
        slots_b = _slots(by_doc[b], kind)
        for slot in sorted(set(slots_a) & set(slots_b)):
            values_a = {u.value for u in slots_a[slot]}
            values_b = {u.value for u in slots_b[slot]}
            if _nested(values_a, values_b):
                if kind == "number" and values_a == values_b:
                    out += _qualifier_conflict(group_id, a, b, slots_a[slot], slots_b[slot], names)
                continue
            only_a = [u for u in slots_a[slot] if u.value not in values_b]
            only_b = [u for u in slots_b[slot] if u.value not in values_a]
            what = {"number": "numbers", "date": "dates"}[kind]
            if kind == "date":
                what = {"weekday": "days", "year": "years", "day": "days"}.get(slot, "dates")
            out.append(
                _between(kind, group_id, names, a, only_a, b, only_b, lead=f"Different {what}")
            )
    return out


#: Two lone numbers this close (smaller / larger) may count the same thing differently named.
NEAR_VALUE_RATIO = 0.5


def _numeric(value: str) -> float | None:
    try:
        return float(value.rstrip("%"))
    except ValueError:
        return None


def _unmatched_numbers(
    group_id: str, by_doc: dict[str, list[Unit]], names: dict[str, str]
) -> list[Conflict]:
    """One counted number per version, named differently and of similar size.

    "more than 85,000 fans" / "about 80,000 supporters": the counted words differ, so
    the slot comparison misses them, yet in one aligned passage they most likely
    count the same crowd. Flagged only when each version has exactly one such
    number that the other version neither repeats nor counts with the same word.
    """
    out: list[Conflict] = []
    for a, b in _doc_pairs(by_doc):
        nums_a = [u for u in by_doc[a] if u.kind == "number" and u.noun]
        nums_b = [u for u in by_doc[b] if u.kind == "number" and u.noun]
        nouns_a, nouns_b = {u.noun for u in nums_a}, {u.noun for u in nums_b}
        values_a, values_b = {u.value for u in nums_a}, {u.value for u in nums_b}
        lone_a = [u for u in nums_a if u.noun not in nouns_b and u.value not in values_b]
        lone_b = [u for u in nums_b if u.noun not in nouns_a and u.value not in values_a]
        if len(lone_a) != 1 or len(lone_b) != 1:
            continue
        x, y = lone_a[0], lone_b[0]
        vx, vy = _numeric(x.value), _numeric(y.value)
        if vx is None or vy is None or vx <= 0 or vy <= 0:
            continue
        if x.value.endswith("%") != y.value.endswith("%"):
            continue
        if min(vx, vy) / max(vx, vy) < NEAR_VALUE_RATIO:
            continue
        lead = "Different numbers, likely for the same thing"
        out.append(_between("number", group_id, names, a, [x], b, [y], lead=lead))
    return out


def _slots(units: list[Unit], kind: str) -> dict[str, list[Unit]]:
    """Units grouped by what they measure: the counted noun, or the type of date."""
    slots: dict[str, list[Unit]] = {}
    for u in units:
        if u.kind != kind:
            continue
        if kind == "number" and not u.noun:
            continue  # a bare number: no way to know it counts the same thing
        slot = u.noun
        slots.setdefault(slot, []).append(u)
    return slots


#: Hedges that say the same thing about a number ("about" = "around", "over" = "more than").
_HEDGES = {
    **dict.fromkeys(
        ("about", "around", "some", "roughly", "approximately", "an estimated", "close to"),
        "about",
    ),
    **dict.fromkeys(
        (
            "more than",
            "over",
            "at least",
            "upwards of",
            "in excess of",
            "no fewer than",
            "just over",
        ),
        "at least",
    ),
    **dict.fromkeys(
        (
            "nearly",
            "almost",
            "fewer than",
            "less than",
            "at most",
            "up to",
            "no more than",
            "just under",
        ),
        "at most",
    ),
    "only": "",
    "as many as": "at most",
}


def _hedge(qualifier: str) -> str:
    return _HEDGES.get(qualifier, qualifier)


def _qualifier_conflict(
    group_id: str, a: str, b: str, units_a: list[Unit], units_b: list[Unit], names: dict[str, str]
) -> list[Conflict]:
    quals_a = {_hedge(u.qualifier) for u in units_a}
    quals_b = {_hedge(u.qualifier) for u in units_b}
    if quals_a == quals_b or (not (quals_a - {""}) and not (quals_b - {""})):
        return []
    lead = "Same number, different hedge"
    return [_between("number", group_id, names, a, units_a, b, units_b, lead=lead)]


def _name_conflicts(
    group_id: str, by_doc: dict[str, list[Unit]], names: dict[str, str], include_variants: bool
) -> list[Conflict]:
    out: list[Conflict] = []
    for a, b in _doc_pairs(by_doc):
        roles_a = _roles(by_doc[a])
        roles_b = _roles(by_doc[b])
        for role in sorted(set(roles_a) & set(roles_b)):
            ents_a = {u.entity for u in roles_a[role]}
            ents_b = {u.entity for u in roles_b[role]}
            if ents_a & ents_b:
                continue
            out.append(
                _between(
                    "name",
                    group_id,
                    names,
                    a,
                    roles_a[role],
                    b,
                    roles_b[role],
                    lead=f"Different names for the {role}",
                    verb="names",
                    distinct=True,
                )
            )
        if include_variants:
            out += _variants(group_id, a, b, by_doc, names)
    return out


def _roles(units: list[Unit]) -> dict[str, list[Unit]]:
    roles: dict[str, list[Unit]] = {}
    for u in units:
        if u.kind == "entity" and u.role:
            roles.setdefault(u.role, []).append(u)
    return roles


def _variants(
    group_id: str, a: str, b: str, by_doc: dict[str, list[Unit]], names: dict[str, str]
) -> list[Conflict]:
    out: list[Conflict] = []
    ents_a: dict[str, list[Unit]] = {}
    ents_b: dict[str, list[Unit]] = {}
    for u in by_doc[a]:
        if u.kind == "entity":
            ents_a.setdefault(u.entity, []).append(u)
    for u in by_doc[b]:
        if u.kind == "entity":
            ents_b.setdefault(u.entity, []).append(u)
    for entity in sorted(set(ents_a) & set(ents_b)):
        pairs = [
            (x, y)
            for x in ents_a[entity]
            for y in ents_b[entity]
            if is_spelling_variant(x.surface, y.surface)
        ]
        if not pairs:
            continue
        x, y = pairs[0]
        lead = "Spelling variant (same name)"
        out.append(_between("variant", group_id, names, a, [x], b, [y], lead=lead, verb="writes"))
    return out


def _content(text: str) -> set[str]:
    return set(textmod.content_terms(text))


def _quote_conflicts(
    article_set: ArticleSet,
    passages: dict[str, Passage],
    group_id: str,
    passage_ids: list[str],
    by_doc: dict[str, list[Unit]],
    names: dict[str, str],
) -> list[Conflict]:
    """A direct quote in one version whose words another version gives without quote marks."""
    text_by_doc: dict[str, list[tuple[str, str]]] = {}
    for pid in passage_ids:
        p = passages.get(pid)
        if p is not None and not p.boilerplate:
            text_by_doc.setdefault(p.doc, []).append((pid, article_set.passage_text(p)))
    out: list[Conflict] = []
    for a in by_doc:
        for quote in (u for u in by_doc[a] if u.kind == "quote"):
            if len(textmod.WORD_RE.findall(quote.surface)) < QUOTE_MIN_WORDS:
                continue
            terms = _content(quote.surface)
            if not terms:
                continue
            for b, texts in text_by_doc.items():
                if b == a:
                    continue
                quotes_b = [u.surface for u in by_doc.get(b, []) if u.kind == "quote"]
                if any(fuzz.partial_ratio(_norm(quote.surface), _norm(q)) >= 80 for q in quotes_b):
                    continue
                joined = " ".join(t for _, t in texts)
                overlap = len(terms & _content(joined)) / len(terms)
                if overlap < PARAPHRASE_MIN_OVERLAP:
                    continue
                who = f" ({quote.speaker})" if quote.speaker else ""
                out.append(
                    Conflict(
                        kind="quote",
                        group_id=group_id,
                        docs=[a, b],
                        words={a: quote.surface, b: " ".join(joined.split())},
                        message=(
                            f"Quote turned into paraphrase: {names[a]} quotes{who} "
                            f"“{_short(quote.surface)}”, {names[b]} gives it without quote marks."
                        ),
                        passages=sorted({quote.passage, *(pid for pid, _ in texts)}),
                    )
                )
    return out


def _norm(text: str) -> str:
    return " ".join(textmod.WORD_RE.findall(text.casefold()))


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _attribution_conflicts(
    group_id: str, by_doc: dict[str, list[Unit]], names: dict[str, str], index: UnitIndex
) -> list[Conflict]:
    """The same claim credited to different actors (claimed by X vs carried out by Y).

    Two named actors disagree only when both are people or organisations and not
    spellings of one name: a country and its capital or government ("the United
    States" / "Washington") are often the same actor written two ways. A claim
    credited to an unnamed actor in one version and to a named group in another
    ("unidentified parties" / "the Islamic Resistance") is a disagreement.
    """
    out: list[Conflict] = []

    def actor_ok(u: Unit) -> bool:
        return is_person_or_organisation(index, u.speaker, u.actor)

    for a, b in _doc_pairs(by_doc):
        for verb in ("claim", "source"):
            units_a = [u for u in by_doc[a] if u.kind == "attribution" and u.verb == verb]
            units_b = [u for u in by_doc[b] if u.kind == "attribution" and u.verb == verb]
            if not units_a or not units_b:
                continue
            actors_a = {u.actor for u in units_a}
            actors_b = {u.actor for u in units_b}
            if actors_a & actors_b:
                continue
            if any(is_spelling_variant(x.speaker, y.speaker) for x in units_a for y in units_b):
                continue
            named_a = [u for u in units_a if u.actor.startswith("entity:")]
            named_b = [u for u in units_b if u.actor.startswith("entity:")]
            if verb == "source" and (len(named_a) < len(units_a) or len(named_b) < len(units_b)):
                continue  # "officials said" vs "a press release": too vague to disagree
            if named_a and named_b and not all(actor_ok(u) for u in named_a + named_b):
                continue  # a place standing for its government may be the same actor
            if not named_a and not named_b:
                continue  # two vague actors ("officials" / "sources") do not disagree
            what = "claim" if verb == "claim" else "statement"
            out.append(
                _between(
                    "attribution",
                    group_id,
                    names,
                    a,
                    units_a,
                    b,
                    units_b,
                    lead=f"The {what} is attributed differently",
                    verb="",
                    distinct=True,
                )
            )
    return out


def likely_sources(article_set: ArticleSet) -> dict[str, str]:
    """Derived doc id -> the doc it was most confidently made from (score >= threshold)."""
    best: dict[str, tuple[float, str]] = {}
    for d in article_set.derivation:
        if d.score < INSERTION_MIN_SCORE or d.source == d.derived:
            continue
        current = best.get(d.derived)
        if current is None or d.score > current[0]:
            best[d.derived] = (d.score, d.source)
    # two versions that each look made from the other: keep the more confident direction
    for derived, (score, source) in list(best.items()):
        back = best.get(source)
        if back is not None and back[1] == derived and (back[0], derived) > (score, source):
            del best[derived]
    return {derived: source for derived, (_, source) in best.items()}


def _insertions(article_set: ArticleSet, names: dict[str, str]) -> list[Conflict]:
    groups = group_index(article_set)
    docs_of_passage = {p.id: p.doc for p in article_set.passages}
    sources = likely_sources(article_set)
    titles = {d.id: d.title for d in article_set.documents}
    out: list[Conflict] = []
    for passage in article_set.passages:
        source = sources.get(passage.doc)
        if source is None or passage.boilerplate:
            continue
        group = groups.get(passage.id)
        members = group.passages if group else [passage.id]
        if any(docs_of_passage.get(pid) == source for pid in members):
            continue
        text = " ".join(article_set.passage_text(passage).split())
        if text and text == " ".join(titles.get(passage.doc, "").split()):
            continue  # each version writes its own headline; a new one is no insertion
        out.append(
            Conflict(
                kind="insertion",
                group_id=group.id if group else "",
                docs=[source, passage.doc],
                words={passage.doc: text},
                message=(
                    f"Insertion: {names[passage.doc]} has “{_short(text)}”, which is not in "
                    f"{names[source]}, the version it was most likely made from."
                ),
                passages=[passage.id],
            )
        )
    return out


def conflicts_for_passage(conflicts: Iterable[Conflict], passage_id: str) -> list[Conflict]:
    """Conflicts that name this sentence."""
    return [c for c in conflicts if passage_id in c.passages]


def conflicts_for_fact(
    article_set: ArticleSet, fact: Fact, conflicts: Iterable[Conflict]
) -> list[Conflict]:
    """Conflicts in the sentences (or their alignment groups) that carry a fact.

    Only disagreements between versions that still carry the fact count: once the
    editor removes a version's passage from a fact, that version's conflicts with
    the others are no longer the fact's.
    """
    pids = set(anchor_passages(article_set, fact))
    docs = {a.doc for a in fact.anchors if not a.orphaned}
    groups = group_index(article_set)
    gids = {groups[pid].id for pid in pids if pid in groups}

    def relevant(c: Conflict) -> bool:
        if c.kind == "insertion":
            return bool(pids & set(c.passages))
        near = bool(pids & set(c.passages)) or bool(c.group_id and c.group_id in gids)
        return near and set(c.docs) <= docs

    return [c for c in conflicts if relevant(c)]
