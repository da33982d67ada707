"""Moved text: passages a version tells in another order than the focus version."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from factdesk.core.model import ArticleSet, Link
from factdesk.core.moves import all_moves, moved_in, moved_passages
from factdesk.core.pipeline import analyse

PARAGRAPHS = [
    "The council met on Monday to discuss the budget.",
    "Flooding closed the river road for three days.",
    "The mayor said repairs would cost 2 million euros.",
    "Residents asked for a new bridge.",
    "Engineers will inspect the dam in June.",
    "The next meeting is on 4 March.",
]


def _swapped(items: list[str], i: int, j: int) -> list[str]:
    out = list(items)
    out[i], out[j] = out[j], out[i]
    return out


def test_two_swapped_paragraphs_are_the_only_moved_passages(
    build_set: Callable[..., ArticleSet],
) -> None:
    order = _swapped(list(range(6)), 1, 4)  # paragraphs 2 and 5 change places
    article_set = build_set(
        {"d0": PARAGRAPHS, "d1": [PARAGRAPHS[k] for k in order]},
        [[("d0", k), ("d1", order.index(k))] for k in range(6)],
    )
    moves = moved_passages(article_set, "d1", "d0")
    assert set(moves) == {"d1.s1", "d1.s4"}
    # d1.s1 tells paragraph 5, which the focus tells after its paragraph 4
    assert moves["d1.s1"].counterpart == "d0.s4"
    assert moves["d1.s1"].after == "d0.s3"
    assert moves["d1.s1"].previous == "d1.s0"
    assert moves["d1.s4"].counterpart == "d0.s1"
    assert moves["d1.s4"].after == "d0.s0"
    # and the other way round, the same two paragraphs
    assert set(moved_passages(article_set, "d0", "d1")) == {"d0.s1", "d0.s4"}
    assert moved_passages(article_set, "d0", "d0") == {}
    assert set(moved_in(article_set, "d0")) == {"d0.s4", "d0.s1"}


def test_a_moved_passage_that_opens_the_focus_has_nothing_before_it(
    build_set: Callable[..., ArticleSet],
) -> None:
    order = [1, 2, 3, 0]
    article_set = build_set(
        {"d0": PARAGRAPHS[:4], "d1": [PARAGRAPHS[k] for k in order]},
        [[("d0", k), ("d1", order.index(k))] for k in range(4)],
    )
    moves = moved_passages(article_set, "d1", "d0")
    assert list(moves) == ["d1.s3"]
    assert moves["d1.s3"].after is None


def test_the_best_link_gives_the_counterpart_outside_any_group(
    build_set: Callable[..., ArticleSet],
) -> None:
    order = _swapped(list(range(6)), 1, 4)
    article_set = build_set({"d0": PARAGRAPHS, "d1": [PARAGRAPHS[k] for k in order]}, [])
    for k in range(6):
        article_set.links.append(Link(f"d0.s{k}", f"d1.s{order.index(k)}", 0.95, "same"))
    # a weak "related" link must not stand in for the real counterpart
    article_set.links.append(Link("d0.s0", "d1.s4", 0.3, "related"))
    random.Random(7).shuffle(article_set.links)
    assert set(moved_passages(article_set, "d1", "d0")) == {"d1.s1", "d1.s4"}


def _lnds_length(values: list[int]) -> int:
    best = [1] * len(values)
    for i in range(len(values)):
        for j in range(i):
            if values[j] <= values[i]:
                best[i] = max(best[i], best[j] + 1)
    return max(best, default=0)


@given(st.permutations(list(range(9))))
def test_moved_passages_are_the_fewest_that_leave_the_rest_in_order(order: list[int]) -> None:
    from tests.core.conftest import build_article_set

    sentences = [f"Sentence number {k} of the story." for k in range(9)]
    article_set = build_article_set(
        {"d0": sentences, "d1": [sentences[k] for k in order]},
        [[("d0", k), ("d1", order.index(k))] for k in range(9)],
    )
    moves = moved_passages(article_set, "d1", "d0")
    assert len(moves) == 9 - _lnds_length(order)
    kept = [k for i, k in enumerate(order) if f"d1.s{i}" not in moves]
    assert kept == sorted(kept)
    assert moves == moved_passages(article_set, "d1", "d0")


def _copy_with(tmp_path: Path, seeds_dir: Path, swap: tuple[int, int] | None) -> ArticleSet:
    text = (seeds_dir / "000_8dddd403051cc578.txt").read_text(encoding="utf-8")
    lines = text.split("\n")
    if swap:
        lines = _swapped(lines, *swap)
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("\n".join(lines), encoding="utf-8")
    return analyse([tmp_path / "a.txt", tmp_path / "b.txt"])


def test_a_sample_version_and_its_copy_in_the_same_order_move_nothing(
    tmp_path: Path, seeds_dir: Path
) -> None:
    article_set = _copy_with(tmp_path, seeds_dir, None)
    assert moved_passages(article_set, "d1", "d0") == {}
    assert moved_passages(article_set, "d0", "d1") == {}


def test_swapping_two_sample_paragraphs_moves_exactly_their_sentences(
    tmp_path: Path, seeds_dir: Path
) -> None:
    article_set = _copy_with(tmp_path, seeds_dir, (3, 6))  # lines 4 and 7 change places
    swapped = {
        p.id
        for p in article_set.passages
        if p.doc == "d1" and p.paragraph in (3, 6) and not p.boilerplate
    }
    assert swapped
    assert set(moved_passages(article_set, "d1", "d0")) == swapped


def test_the_sample_keeps_most_of_its_order_and_the_rest_is_shared_order(
    sample_set: ArticleSet,
) -> None:
    flagged = linked = 0
    for reference in sample_set.documents:
        moves = all_moves(sample_set, reference.id)
        assert not any(pid.startswith(reference.id + ".") for pid in moves)
        assert moves == all_moves(sample_set, reference.id)
        ref_rank = {p.id: p.index for p in sample_set.passages if p.doc == reference.id}
        group_of = {pid: g.passages for g in sample_set.groups for pid in g.passages}
        for doc in sample_set.documents:
            own = sorted(
                (p for p in sample_set.passages if p.doc == doc.id and not p.boilerplate),
                key=lambda p: p.index,
            )
            # the one focus passage in each passage's row (rows holding several are left out)
            counterpart = {}
            for p in own:
                found = [q for q in group_of.get(p.id, ()) if q in ref_rank]
                if len(found) == 1:
                    counterpart[p.id] = ref_rank[found[0]]
            # within an unchanged order nothing is flagged: what stays is in the focus's order
            kept = [counterpart[p.id] for p in own if p.id in counterpart and p.id not in moves]
            assert kept == sorted(kept)
            flagged += sum(p.id in moves for p in own)
            linked += sum(any(q in ref_rank for q in group_of.get(p.id, ())) for p in own)
    assert flagged <= linked // 4  # the sample's versions mostly keep one another's order
