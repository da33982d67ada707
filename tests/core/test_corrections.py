"""Editor corrections as values: pins, bans and boilerplate flags."""

from __future__ import annotations

from factdesk.core import corrections as edits
from factdesk.core.model import Corrections


def test_force_link_lifts_a_ban_on_the_same_pair_in_either_order() -> None:
    before = Corrections(forbidden_links=[("a", "b")])
    after = edits.force_link(before, "b", "a")
    assert after.forced_links == [("b", "a")]
    assert after.forbidden_links == []
    assert before.forbidden_links == [("a", "b")]  # the argument is left alone


def test_forcing_twice_keeps_one_pin() -> None:
    once = edits.force_link(Corrections(), "a", "b")
    assert edits.force_link(once, "a", "b").forced_links == [("a", "b")]


def test_forbid_links_lifts_pins_and_bans_each_pair_once() -> None:
    before = Corrections(forced_links=[("a", "b"), ("c", "d")])
    after = edits.forbid_links(before, [("b", "a"), ("e", "f"), ("f", "e")])
    assert after.forced_links == [("c", "d")]
    assert after.forbidden_links == [("b", "a"), ("f", "e")]
    assert edits.forbid_link(before, "a", "b") == edits.forbid_links(before, [("a", "b")])


def test_clear_link_forgets_pin_and_ban() -> None:
    before = Corrections(forced_links=[("a", "b")], forbidden_links=[("b", "a"), ("c", "d")])
    after = edits.clear_link(before, "a", "b")
    assert after == Corrections(forbidden_links=[("c", "d")])


def test_set_boilerplate_overrides_and_none_returns_to_automatic() -> None:
    before = Corrections(boilerplate={"a": True})
    after = edits.set_boilerplate(before, ["a", "b"], False)
    assert after.boilerplate == {"a": False, "b": False}
    assert edits.set_boilerplate(after, ["a"], None).boilerplate == {"b": False}
    assert before.boilerplate == {"a": True}
