"""The shared vocabulary: calendar names, news agencies and the patterns built from them."""

from __future__ import annotations

import re

import pytest

from factdesk.core import lexicon
from factdesk.core.lexicon import (
    AGENCIES,
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
    alternation,
    calendar_names,
    month_number,
)


@pytest.mark.parametrize("lang", sorted(MONTHS))
def test_every_language_names_twelve_months_and_seven_days(lang: str) -> None:
    assert set(MONTHS[lang].values()) == set(range(1, 13))
    assert set(WEEKDAYS[lang].values()) == set(range(1, 8))


def test_a_name_means_one_month_or_one_day_in_every_language() -> None:
    for table in (MONTHS, MONTH_ABBREVIATIONS, WEEKDAYS, WEEKDAY_ABBREVIATIONS):
        seen: dict[str, int] = {}
        for by_name in table.values():
            for name, number in by_name.items():
                assert name == name.casefold() and " " not in name
                assert seen.setdefault(name, number) == number, name


def test_each_abbreviation_starts_a_full_name_of_its_number() -> None:
    pairs = [(MONTH_ABBREVIATIONS, MONTHS), (WEEKDAY_ABBREVIATIONS, WEEKDAYS)]
    for short, full in pairs:
        for by_name in short.values():
            for abbreviation, number in by_name.items():
                assert any(
                    name.startswith(abbreviation) and n == number
                    for table in full.values()
                    for name, n in table.items()
                ), abbreviation


def test_names_keep_calendar_order_and_drop_repeats() -> None:
    assert calendar_names(MONTHS, "en")[:3] == ["january", "february", "march"]
    assert calendar_names(MONTH_ABBREVIATIONS, "en")[7:9] == ["sep", "sept"]
    everything = calendar_names(MONTHS)
    assert len(everything) == len(set(everything))
    assert {"mai", "märz", "setiembre"} <= set(everything)


def test_month_numbers() -> None:
    assert month_number("Sept.") == 9
    assert month_number("JANUARY", "en") == 1
    assert month_number("mars") == 3
    assert month_number("mars", "en") == 0
    assert month_number("Monday") == 0


def test_alternation_prefers_the_longer_name_and_allows_any_space() -> None:
    pattern = re.compile(alternation(["PA", "PA Media", "Agence France-Presse"]))
    assert pattern.match("PA Media").group(0) == "PA Media"
    assert pattern.fullmatch("Agence  France-Presse")
    assert not pattern.fullmatch("Agence France Presse")


def test_every_agency_matches_the_agency_pattern() -> None:
    pattern = re.compile(alternation(AGENCIES))
    assert all(pattern.fullmatch(name) for name in AGENCIES)
    assert "dpa" in AGENCIES and "DPA" in AGENCIES  # datelines match case by case
    assert set(lexicon.PHOTO_AGENCIES) - set(AGENCIES) == {"EPA", "EPA-EFE"}
