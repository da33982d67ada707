"""Tokens, word patterns and normalised terms shared by the core (alignment, segmentation,
diffs, facts, suggestions): a pattern that means "a word" or "a number" is written here once.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

from factdesk.core.lemmas import lemmatize
from factdesk.core.lexicon import ACRONYMS, NUMBER_WORDS, SYNONYMS

# Scripts written without spaces between words: each character is a token of its own,
# and words are approximated by overlapping character pairs.
_UNSPACED = (
    "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"  # Thai, Lao, Myanmar, Khmer
    "\u3040-\u30ff\u31f0-\u31ff"  # Hiragana, Katakana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0002fa1f"
)
_UNSPACED_CHAR = f"[{_UNSPACED}]"

# The words of the core. Patterns that mean the same thing are written once, here.
#: A number with its thousands or decimal separators ("2,500", "5.8"), to build patterns on.
NUMBER = r"\d+(?:[.,]\d+)*"
#: A run of letters (no digits, no underscore), to build patterns on.
LETTERS = r"[^\W\d_]+"
#: A run of word characters (letters, digits, underscore): the plainest word.
WORD_RE = re.compile(r"\w+")
#: A run of letters.
LETTERS_RE = re.compile(LETTERS)
#: A word that starts with a letter and keeps its inner apostrophes and hyphens
#: ("al-Nujaba", "O’Neill", "Iraq's").
NAME_WORD_RE = re.compile(r"[^\W\d_][\w’'\-]*")
#: Dotted abbreviations (U.S., U.K.), words, numbers (with their separators and a trailing
#: %), or single symbols.
TOKEN_RE = re.compile(
    rf"(?:[^\W\d_]\.){{2,}}(?![^\W\d_])|{NUMBER}%?|{_UNSPACED_CHAR}|[^\W{_UNSPACED}]+|[^\w\s]"
)
#: Display tokens keep the whitespace so a diff maps back to the exact text.
DISPLAY_TOKEN_RE = re.compile(rf"{NUMBER}%?|{_UNSPACED_CHAR}|[^\W{_UNSPACED}]+|\s+|[^\w\s]")
_UNSPACED_RE = re.compile(_UNSPACED_CHAR)
_NUMBER_RE = re.compile(rf"^{NUMBER}%?$")
_THOUSANDS_RE = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?%?$")

# Function words of the languages FactDesk meets most; rarity weighting does the rest.
STOPWORDS = frozenset(
    """
    a an the and or but nor so yet of to in on at by for with from into onto upon about as
    than then that this these those there here which who whom whose what when where why how
    is are was were be been being am has have had having do does did done will would shall
    should can could may might must it its it's he him his she her hers they them their
    theirs we us our ours you your yours i me my mine not no nor also only just very more
    most much many some any each every all both either neither other others such own same
    too s t up down out over under again further once if because while during before after
    above below between through against among within without off per via said says say told
    according one two al el la le les de des du et en un une est dans pour par sur au aux
    der die das und ein eine den dem des im ist zu mit von el los las y que por con para una
    del se lo
    """.split()
)


def strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def is_number(token: str) -> bool:
    return bool(_NUMBER_RE.match(token))


def normalise_number(token: str) -> str:
    """``2,500`` and ``2500`` compare equal; ``5,8`` (decimal comma) becomes ``5.8``."""
    if _THOUSANDS_RE.match(token):
        return token.replace(",", "")
    return token.replace(",", ".")


def tokens(text: str) -> list[str]:
    """Word and number tokens (punctuation dropped), hyphenated words split.

    A run of characters from a script without spaces gives its overlapping character
    pairs (a lone character stands for itself), the usual stand-in for words there.
    """
    found = TOKEN_RE.findall(text)
    if not _UNSPACED_RE.search(text):
        # the common case, without the per-token script check
        return [tok for tok in found if tok[0].isalnum() or tok[0] == "_"]
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) == 1:
            out.append(run[0])
        out.extend(a + b for a, b in itertools.pairwise(run))
        run.clear()

    for tok in found:
        if _UNSPACED_RE.match(tok):
            run.append(tok)
            continue
        if run:
            flush()
        if tok[0].isalnum() or tok[0] == "_":
            out.append(tok)
    if run:
        flush()
    return out


def display_tokens(text: str) -> list[str]:
    return DISPLAY_TOKEN_RE.findall(text)


@lru_cache(maxsize=200_000)
def lemma(word: str, lang: str) -> str:
    try:
        return lemmatize(word, lang)
    except ValueError:  # a language simplemma does not know
        return word


@lru_cache(maxsize=200_000)
def normalise(token: str, lang: str = "en") -> str:
    """The form under which two tokens count as the same word."""
    if is_number(token):
        return normalise_number(token)
    word = strip_accents(token.casefold())
    return strip_accents(lemma(word, lang).casefold())


def content_terms_with_surface(text: str, lang: str = "en") -> list[tuple[str, str]]:
    """(normalised term, token as written) for every content word, in text order.

    Function words and one-letter debris are dropped. ``U.S.`` and ``US`` are one term,
    never the pronoun; ``40%`` is the number and "percent"; in English, number words
    become digits and the swaps of ``lexicon.SYNONYMS`` fold onto one term.
    """
    return [(term, tok) for tok in tokens(text) for term in _token_terms(tok, lang)]


@lru_cache(maxsize=400_000)
def _token_terms(tok: str, lang: str) -> tuple[str, ...]:
    """The terms one token stands for: usually one, none for a function word."""
    if "." in tok:  # a dotted abbreviation
        bare = tok.replace(".", "")
        folded = bare.casefold()
        if bare.isupper() and folded in ACRONYMS:
            return (ACRONYMS[folded],)
        if folded not in STOPWORDS and len(folded) > 1:
            return (folded,)
        return ()
    if len(tok) < 2 and not tok.isdigit():
        return ()
    folded = tok.casefold()
    if tok.isupper() and folded in ACRONYMS:
        return (ACRONYMS[folded],)
    english = lang == "en"
    if english and folded in NUMBER_WORDS:
        return (NUMBER_WORDS[folded],)
    if folded in STOPWORDS:
        return ()
    if tok.endswith("%"):
        return (normalise_number(tok[:-1]), "percent")
    term = normalise(tok, lang)
    if term in STOPWORDS:
        return ()
    if english:
        term = SYNONYMS.get(term, term)
    return (term,)


def content_terms(text: str, lang: str = "en") -> list[str]:
    """Normalised content words in text order."""
    return [term for term, _ in content_terms_with_surface(text, lang)]


# Frequent function words that tell the common European languages apart cheaply:
# loading every lemma dictionary to guess the language would cost seconds.
_LANGUAGE_MARKERS = {
    "en": frozenset("the and of to is was that with for are have has this by from".split()),
    "fr": frozenset("le la les et des est une dans pour que qui sur avec pas du".split()),
    "de": frozenset("der die das und ist nicht mit den von sich des dem auch ein".split()),
    "es": frozenset("el los las que del por con una para como pero sus fue más".split()),
    "it": frozenset("il che della di non per sono una gli nel alla anche come".split()),
    "pt": frozenset("os que não uma para com dos das pelo foi mais como seu".split()),
    "nl": frozenset("het een van dat niet zijn voor met ook maar bij werd wordt".split()),
}


@lru_cache(maxsize=2048)
def detect_language(text: str) -> str:
    """Best guess of the language for lemmatisation; English when unsure.

    Segmentation, alignment and the window each ask it of every document (a millisecond
    each), so the answers are kept for the last couple of thousand texts.
    """
    words = [w.casefold() for w in tokens(text[:6000])]
    if not words:
        return "en"
    hits = {lang: sum(1 for w in words if w in marks) for lang, marks in _LANGUAGE_MARKERS.items()}
    best = max(sorted(hits), key=lambda lang: hits[lang])
    return best if hits[best] >= max(3, 0.03 * len(words)) else "en"
