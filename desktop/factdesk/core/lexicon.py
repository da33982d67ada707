"""News vocabulary the engine shares: words news copy swaps freely, and how common a word is.

Two rewrites of one story rarely keep every word. Some swaps carry no change of fact in
news copy ("airstrike" for "strike", "killed" for "died", "commander" for "leader"), and
counting them as unrelated words costs a match. ``SYNONYMS`` folds a small, fixed set of
such swaps onto one term. It is deliberately short and general: it names swaps that news
copy makes in every story, never the words of one story, and it is not meant to grow into
a thesaurus (a wrong fold links sentences that only share a subject).

How rare a word is in the language says more than how rare it is in a small article set,
where everything two versions share is repeated. ``background_weight`` turns a word's
frequency in a general frequency list (wordfreq's small lists) into a weight in (0, 1]:
function and everyday words weigh little, names and specific words weigh most.
"""

from __future__ import annotations

import math
from functools import cache

#: lemma (casefolded, accents stripped) -> the term it is folded onto (English copy).
SYNONYMS: dict[str, str] = {
    # attacks
    "airstrike": "strike",
    "air-strike": "strike",
    "assault": "attack",
    # death
    "kill": "die",
    "killing": "die",
    "death": "die",
    "dead": "die",
    "slay": "die",
    # people in charge
    "commander": "leader",
    "chief": "leader",
    "boss": "leader",
    # armed forces
    "soldier": "troop",
    # police and courts
    "detain": "arrest",
    "apprehend": "arrest",
    "imprison": "jail",
    "prison": "jail",
    "gaol": "jail",
    # change in figures
    "increase": "rise",
    "grow": "rise",
    "climb": "rise",
    "soar": "rise",
    "drop": "fall",
    "decline": "fall",
    "decrease": "fall",
    "plunge": "fall",
    # starting and ending
    "start": "begin",
    "launch": "begin",
    "commence": "begin",
    "finish": "end",
    "conclude": "end",
    # trade and money
    "purchase": "buy",
    "acquire": "buy",
    # speech and decisions (said/told are function words already)
    "declare": "announce",
    "pledge": "promise",
    "vow": "promise",
    # sizes and places
    "vehicle": "car",
    "inhabitant": "resident",
    "cent": "percent",
}

#: Number words written out in one version and as digits in another.
NUMBER_WORDS: dict[str, str] = {
    word: str(value)
    for value, word in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen "
        "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split()
    )
    if value >= 2  # "one" is as often a pronoun as a number
} | {
    "thirty": "30",
    "forty": "40",
    "fifty": "50",
    "sixty": "60",
    "seventy": "70",
    "eighty": "80",
    "ninety": "90",
    "hundred": "100",
    "dozen": "12",
}

#: Abbreviations that would otherwise read as a function word ("US" is not "us").
ACRONYMS: dict[str, str] = {"us": "u.s."}

# Zipf frequencies (log10 of occurrences per billion words) at which a word weighs
# least and most. Everyday words sit near 6-7, specific ones near 3, names lower.
_ZIPF_COMMON = 7.5
_ZIPF_RARE = 2.5
_MIN_WEIGHT = 0.08
#: Weight of a word in a language with no frequency list.
UNKNOWN_LANGUAGE_WEIGHT = 0.7
#: Weight of a number: a shared figure or date is strong evidence.
NUMBER_WEIGHT = 0.9


@cache
def _frequencies(lang: str) -> dict[str, float] | None:
    try:
        from wordfreq import get_frequency_dict  # loaded on first use: keeps start-up light
    except ImportError:  # pragma: no cover - wordfreq is a required dependency
        return None
    try:
        return get_frequency_dict(lang, wordlist="small")
    except (LookupError, ValueError):
        return None


def has_frequencies(lang: str) -> bool:
    return _frequencies(lang) is not None


def zipf(word: str, lang: str) -> float | None:
    """The word's Zipf frequency in ``lang``, 0 for a word the list does not hold, None
    when there is no list for the language."""
    table = _frequencies(lang)
    if table is None:
        return None
    freq = table.get(word)
    if not freq:
        return 0.0
    return math.log10(freq * 1e9)


def background_weight(words: tuple[str, ...], lang: str) -> float:
    """A weight in (0, 1] from how common the most common of ``words`` is in ``lang``.

    Pass the forms a term takes (as written, lemma): the commonest decides, so a rare
    inflection of an everyday word does not pass for a rare word.
    """
    known = [z for z in (zipf(w, lang) for w in words) if z is not None]
    if not known:
        return UNKNOWN_LANGUAGE_WEIGHT
    z = max(known)
    if z <= 0.0:
        return 1.0
    share = (_ZIPF_COMMON - z) / (_ZIPF_COMMON - _ZIPF_RARE)
    return min(1.0, max(_MIN_WEIGHT, share))
