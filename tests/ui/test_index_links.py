"""Counterparts list what the alignment linked, in the passage's row or not (no Qt)."""

from __future__ import annotations

from pathlib import Path

from factdesk.core import pipeline
from factdesk.core.model import ArticleSet, Group
from factdesk.ui.index import SetIndex

BILINGUAL = Path(__file__).parents[1] / "core" / "data" / "bilingual"


def test_a_same_link_outside_the_row_is_a_counterpart(tiny_set: ArticleSet) -> None:
    # d0.s0 and d1.s0 are linked as the same, but each sits in a row of its own.
    tiny_set.groups = [Group("g1", ["d0.s1", "d1.s1"])]
    index = SetIndex(tiny_set)
    assert index.row_of["d0.s0"] is not index.row_of["d1.s0"]
    (c,) = index.counterparts("d0.s0")
    assert (c.passage.id, c.score, c.relation) == ("d1.s0", 0.8125, "same")
    (cell,) = index.counterpart_cells("d0.s0")
    assert [p.id for p in cell.passages] == ["d1.s0"]
    assert cell.text == index.display_text("d1.s0")
    assert [c.passage.id for c in index.counterparts("d1.s0")] == ["d0.s0"]


def test_a_related_link_outside_the_row_is_not_listed(tiny_set: ArticleSet) -> None:
    tiny_set.groups = [Group("g0", ["d0.s0", "d1.s0"])]
    index = SetIndex(tiny_set)
    assert index.counterparts("d0.s1") == []


def test_a_row_member_is_listed_once(tiny_set: ArticleSet) -> None:
    index = SetIndex(tiny_set)
    assert [c.passage.id for c in index.counterparts("d0.s0")] == ["d1.s0"]


def test_every_french_passage_with_a_same_link_has_its_partner_in_counterparts(
    seeds_dir: Path,
) -> None:
    article_set = pipeline.analyse([*sorted(seeds_dir.glob("*.txt")), BILINGUAL / "seed000_fr.txt"])
    index = SetIndex(article_set)
    french = article_set.documents[-1].id
    checked = 0
    for lk in article_set.links:
        if lk.relation != "same" or french not in (lk.a.split(".")[0], lk.b.split(".")[0]):
            continue
        own, other = (lk.a, lk.b) if lk.a.startswith(french + ".") else (lk.b, lk.a)
        assert other in {c.passage.id for c in index.counterparts(own)}
        assert own in {c.passage.id for c in index.counterparts(other)}
        cells = index.counterpart_cells(own)
        assert any(other in [p.id for p in cell.passages] for cell in cells)
        checked += 1
    assert checked >= 5
