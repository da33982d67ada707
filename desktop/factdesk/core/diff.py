"""Word-level diffs of two passages with diff-match-patch.

Each distinct token becomes one character, the character strings are diffed, and
the result is mapped back to words, as Meld does for its inline highlights.
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz.distance import LCSseq

from factdesk.core.text import display_tokens

try:  # the C++ build of the same algorithm; identical results, far faster
    import fast_diff_match_patch as _fast
except ImportError:  # pragma: no cover - depends on the platform having a wheel
    _fast = None

import diff_match_patch as _dmp_module

#: Seconds diff-match-patch may spend before it settles for a coarser diff.
#: Long paraphrases need more than the library's 1 s default to stay word-exact
#: in the pure-Python build; the C++ build never comes close.
DIFF_TIMEOUT = 2.0
#: Longer inputs are diffed as one replaced block: no sentence-level passage gets near this.
MAX_DIFF_CHARS = 20_000

Op = int  # -1 deleted from a, 0 equal, 1 inserted in b
Diff = list[tuple[Op, str]]

_FIRST_CODE = 0x100  # avoid control characters and ASCII


def _encode(a_tokens: list[str], b_tokens: list[str]) -> tuple[str, str, list[str]]:
    table: dict[str, int] = {}
    vocab: list[str] = []

    def code(tok: str) -> str:
        idx = table.get(tok)
        if idx is None:
            idx = len(vocab)
            table[tok] = idx
            vocab.append(tok)
        point = _FIRST_CODE + idx
        if point >= 0xD800:  # skip the surrogate block
            point += 0x800
        return chr(point)

    a = "".join(code(t) for t in a_tokens)
    b = "".join(code(t) for t in b_tokens)
    return a, b, vocab


def _decode_char(ch: str) -> int:
    point = ord(ch)
    if point >= 0xE000:
        point -= 0x800
    return point - _FIRST_CODE


def char_diff(a: str, b: str) -> Diff:
    """diff-match-patch over two strings with semantic clean-up."""
    if _fast is not None:
        raw = _fast.diff(
            a, b, counts_only=False, timelimit=DIFF_TIMEOUT, checklines=False, cleanup="Semantic"
        )
        return [({"-": -1, "=": 0, "+": 1}[op], text) for op, text in raw]
    dmp = _dmp_module.diff_match_patch()
    dmp.Diff_Timeout = DIFF_TIMEOUT
    diffs = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(diffs)
    return [(op, text) for op, text in diffs]


def token_diff(a_tokens: list[str], b_tokens: list[str]) -> list[tuple[Op, list[str]]]:
    """Diff two token lists; each run comes back as the tokens it covers."""
    a, b, vocab = _encode(a_tokens, b_tokens)
    return [(op, [vocab[_decode_char(ch)] for ch in chunk]) for op, chunk in char_diff(a, b)]


def shared_ordered(a_tokens: list[str], b_tokens: list[str]) -> int:
    """How many tokens the two sequences share in the same order (the copying signal)."""
    if not a_tokens or not b_tokens:
        return 0
    a, b, _ = _encode(a_tokens, b_tokens)
    return shared_ordered_codes(a, b)


def shared_ordered_codes(a: str, b: str) -> int:
    """:func:`shared_ordered` for token sequences already coded one character per token.

    Only the count is needed here, so an exact longest-common-subsequence count stands in
    for a full diff: the equal runs of a minimal diff add up to the same number, without
    building the edit script or checking a time limit on every step.
    """
    if not a or not b:
        return 0
    return int(LCSseq.similarity(a, b))


class TokenCoder:
    """One character per distinct token, shared by many sequences (set-wide diffs)."""

    def __init__(self) -> None:
        self._table: dict[str, str] = {}

    def encode(self, toks: list[str]) -> str:
        table = self._table
        out = []
        for tok in toks:
            ch = table.get(tok)
            if ch is None:
                point = _FIRST_CODE + len(table)
                if point >= 0xD800:
                    point += 0x800
                ch = table[tok] = chr(point)
            out.append(ch)
        return "".join(out)


@lru_cache(maxsize=20_000)
def word_diff(a: str, b: str) -> tuple[tuple[Op, str], ...]:
    """Word-level diff of ``a`` into ``b``: runs of (op, text) that rebuild both strings."""
    if len(a) + len(b) > MAX_DIFF_CHARS:
        return ((-1, a), (1, b))
    runs = token_diff(display_tokens(a), display_tokens(b))
    return tuple((op, "".join(toks)) for op, toks in runs if toks)
