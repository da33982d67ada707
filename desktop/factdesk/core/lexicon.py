"""News vocabulary the engine shares: swaps, how common a word is, the calendar, agencies.

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

The calendar and the news agencies are named here once for the whole core: ``MONTHS``,
``MONTH_ABBREVIATIONS``, ``WEEKDAYS`` and ``WEEKDAY_ABBREVIATIONS`` (by language, each name
with its number) for dates, datelines and sentence splitting, ``AGENCIES`` for bylines,
datelines and credit lines, ``PHOTO_AGENCIES`` for picture credits. A module whose rules
are English (dates in suggestions, "today" becoming a weekday) takes the ``"en"`` names;
segmentation, which reads datelines in every language it knows, takes them all.
``alternation`` writes a list of names as one regular expression.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
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


# --------------------------------------------------------------------------- calendar


def _numbered(table: dict[str, str]) -> dict[str, dict[str, int]]:
    """language -> {name: number} from one line of names per language, in calendar order.

    Names are separated by spaces; ``/`` joins the spellings of one name ("août/aout") and
    ``-`` marks a place the language has no name for.
    """
    return {
        lang: {
            spelling: number
            for number, names in enumerate(line.split(), start=1)
            if names != "-"
            for spelling in names.split("/")
        }
        for lang, line in table.items()
    }


#: language -> {month name (lowercase): month number, January = 1}.
MONTHS: dict[str, dict[str, int]] = _numbered(
    {
        "en": "january february march april may june july august september october "
        "november december",
        "fr": "janvier février/fevrier mars avril mai juin juillet août/aout septembre octobre "
        "novembre décembre/decembre",
        "de": "januar/jänner februar märz/maerz april mai juni juli august september oktober "
        "november dezember",
        "es": "enero febrero marzo abril mayo junio julio agosto septiembre/setiembre octubre "
        "noviembre diciembre",
    }
)
#: language -> {abbreviated month name (lowercase, without its full stop): month number}.
MONTH_ABBREVIATIONS: dict[str, dict[str, int]] = _numbered(
    {
        "en": "jan feb mar apr - jun jul aug sep/sept oct nov dec",
        "fr": "janv févr/fevr - avr - - juil - - - - déc/dec",
        "de": "- febr - - - - - - - okt - dez",
        "es": "ene - - abr - - - ago - - - dic",
    }
)
#: language -> {weekday name (lowercase): day number, Monday = 1}.
WEEKDAYS: dict[str, dict[str, int]] = _numbered(
    {
        "en": "monday tuesday wednesday thursday friday saturday sunday",
        "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
        "de": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
        "es": "lunes martes miércoles/miercoles jueves viernes sábado/sabado domingo",
    }
)
#: language -> {abbreviated weekday name (lowercase, without its full stop): day number}.
WEEKDAY_ABBREVIATIONS: dict[str, dict[str, int]] = _numbered(
    {"en": "mon tue/tues wed thu/thur/thurs fri sat sun"}
)


def calendar_names(table: dict[str, dict[str, int]], *languages: str) -> list[str]:
    """The names of ``table`` in ``languages`` (every language when none is given), in
    calendar order within each language, each once."""
    chosen = languages or tuple(table)
    return list(dict.fromkeys(name for lang in chosen for name in table[lang]))


def month_number(name: str, *languages: str) -> int:
    """The number of a month name or abbreviation (any case, full stop allowed), 0 if it is
    none; ``languages`` limits the names that count (every language when none is given)."""
    word = name.casefold().rstrip(".")
    for table in (MONTHS, MONTH_ABBREVIATIONS):
        for lang in languages or tuple(table):
            number = table.get(lang, {}).get(word)
            if number:
                return number
    return 0


# --------------------------------------------------------------------------- news agencies

#: News agencies and the words that stand for them in a credit, as written in copy. A name
#: written in two cases appears in both ("dpa", "DPA"), since datelines match case by case.
AGENCIES: tuple[str, ...] = (
    # English-language and international agencies
    "Reuters",
    "Thomson Reuters",
    "AP",
    "Associated Press",
    "The Associated Press",
    "AFP",
    "Agence France-Presse",
    "Agence France Presse",
    "Bloomberg",
    "Bloomberg News",
    "UPI",
    "United Press International",
    "PA",
    "PA Media",
    "PA News",
    "PA News Agency",
    "PA Sport",
    "PA Wire",
    "Press Association",
    "Press Association Ltd",
    "AAP",
    "Australian Associated Press",
    "Canadian Press",
    "The Canadian Press",
    # European agencies
    "dpa",
    "DPA",
    "Deutsche Presse-Agentur",
    "KNA",
    "APA",
    "SDA",
    "ANSA",
    "EFE",
    "Agencia EFE",
    "Europa Press",
    "Belga",
    "ANP",
    "TASS",
    "RIA Novosti",
    "Interfax",
    "Ukrinform",
    # Asian, Middle Eastern and other agencies
    "Xinhua",
    "Xinhua News Agency",
    "Kyodo",
    "Kyodo News",
    "Yonhap",
    "Bernama",
    "CNA",
    "ANI",
    "IANS",
    "PTI",
    "Press Trust of India",
    "AA",
    "Anadolu",
    "Anadolu Agency",
    "IRNA",
    "KUNA",
    "WAFA",
    "WAM",
    "SPA",
    # agencies unnamed
    "Agencies",
    "agencies",
    "News agencies",
    "Staff and agencies",
    "Wire services",
)

#: Agencies whose name opens a picture credit ("AP/Jane Doe", "EPA-EFE/John Roe"). Picture
#: credits are matched in any case inside any line, so the list keeps to names that are
#: never ordinary words.
PHOTO_AGENCIES: tuple[str, ...] = ("AP", "AFP", "EPA", "EPA-EFE", "Reuters", "Xinhua")


def alternation(items: Iterable[str]) -> str:
    """A regular expression (without a group) matching any of ``items``.

    Longer items come first, so an item is never cut short by one that starts it ("PA
    Media" before "PA"); a space inside an item matches any run of white space.
    """
    unique = dict.fromkeys(items)
    ordered = sorted(unique, key=len, reverse=True)
    return "|".join(r"\s+".join(re.escape(part) for part in item.split(" ")) for item in ordered)


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
