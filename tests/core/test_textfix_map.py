"""The offset map of ``repair_with_map``: repaired characters point at the raw text they fix."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import assume, given
from hypothesis import strategies as st

from factdesk.core.textfix import repair, repair_with_map

# Damage FactDesk meets in scraped copy, with what ``repair`` makes of it.
_DAMAGED = [
    ("Ã©", "é"),
    ("â€™", "’"),
    ("Ã¼", "ü"),
    ("â€œ", "“"),
    ("&amp;", "&"),
    ("&#233;", "é"),
    ("&quot;", '"'),
    ("&#x27;", "'"),
]

_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéü😀中", min_size=1)
_pieces = st.lists(
    st.one_of(_words.map(lambda w: (w, w)), st.sampled_from(_DAMAGED)), min_size=1, max_size=12
)


def _check_shape(raw: str, repaired: str, starts: list[int]) -> None:
    assert repaired == repair(raw)
    assert len(starts) == len(repaired) + 1
    assert starts[-1] == len(raw)
    if repaired:
        assert starts[0] == 0
    assert all(a <= b for a, b in pairwise(starts))


@given(st.text(max_size=200))
def test_map_is_monotone_and_covers_the_whole_raw_text(raw: str) -> None:
    repaired, starts = repair_with_map(raw)
    _check_shape(raw, repaired, starts)


@given(st.text(alphabet=st.characters(blacklist_characters="&#<>\u201d"), max_size=200))
def test_map_is_the_identity_on_text_repair_leaves_alone(raw: str) -> None:
    assume(repair(raw) == raw)
    assert repair_with_map(raw) == (raw, list(range(len(raw) + 1)))


@given(_pieces)
def test_each_repaired_piece_maps_back_to_the_raw_piece_it_came_from(
    pieces: list[tuple[str, str]],
) -> None:
    raw = " ".join(r for r, _ in pieces)
    expected = " ".join(f for _, f in pieces)
    assume(repair(raw) == expected)
    repaired, starts = repair_with_map(raw)
    _check_shape(raw, repaired, starts)
    r0 = q0 = 0
    for bad, good in pieces:
        r1, q1 = r0 + len(bad), q0 + len(good)
        assert raw[starts[q0] : starts[q1]] == bad
        if bad != good and len(good) == 1:
            assert raw[starts[q0] : starts[q0 + 1]] == bad
        r0, q0 = r1 + 1, q1 + 1


def test_mojibake_and_entities_map_to_their_raw_spans() -> None:
    raw = "Iraqâ€™s army &amp; the cafÃ© </p> closed"
    repaired, starts = repair_with_map(raw)
    assert repaired == "Iraq’s army & the café closed"
    i = repaired.index("’")
    assert raw[starts[i] : starts[i + 1]] == "â€™"
    j = repaired.index("café")
    assert raw[starts[j] : starts[j + 4]] == "cafÃ©"
    k = repaired.index("closed")
    assert raw[starts[k] : starts[k + 6]] == "closed"


def test_wire_paragraph_maps_back_to_its_raw_text() -> None:
    raw = "\x19 Judge Hale told him: ``You betrayed\nthe `people'.''<"
    repaired, starts = repair_with_map(raw)
    assert repaired == "Judge Hale told him: “You betrayed the ‘people’.”"
    _check_shape(raw, repaired, starts)

    def raw_of(piece: str) -> str:
        i = repaired.index(piece)
        return raw[starts[i] : starts[i + len(piece)]]

    assert raw_of("Hale") == "Hale"
    assert raw_of("“") == "``"
    assert raw_of("betrayed the") == "betrayed\nthe"
    assert raw_of("‘people’") == "`people'"
    # the marker belongs to the first character, the "<" to the last
    assert raw[starts[0] : starts[1]] == "\x19 J"
    assert raw[starts[-2] : starts[-1]] == "''<"


@given(
    st.lists(
        st.sampled_from(["word", "``quote''", "`single'", "\x19", "<", "\n", "a < b", "it's"]),
        max_size=20,
    ).map(" ".join)
)
def test_map_of_wire_like_text_is_monotone_and_complete(raw: str) -> None:
    repaired, starts = repair_with_map(raw)
    _check_shape(raw, repaired, starts)
