"""Normalisation that decides when two words count as the same."""

from __future__ import annotations

from factdesk.core import text


def test_thousands_separators_do_not_change_a_number() -> None:
    assert text.normalise("2,500") == text.normalise("2500") == "2500"


def test_decimal_comma_reads_as_decimal_point() -> None:
    assert text.normalise("5,8%") == text.normalise("5.8%")


def test_content_terms_drop_function_words_and_lemmatise() -> None:
    terms = text.content_terms("The forces were killed in the attacks")
    assert "the" not in terms and "were" not in terms
    assert "force" in terms and "attack" in terms


def test_accents_are_folded() -> None:
    assert text.normalise("Québec") == text.normalise("Quebec")


def test_language_detection_falls_back_to_english() -> None:
    assert text.detect_language("") == "en"
    assert text.detect_language("Le gouvernement a annoncé la fin de la mission.") == "fr"


def test_text_without_spaces_gives_overlapping_character_pairs() -> None:
    assert text.tokens("袭击造成三人死亡。") == [
        "袭击",
        "击造",
        "造成",
        "成三",
        "三人",
        "人死",
        "死亡",
    ]
    assert text.tokens("美国称 2,500 troops") == ["美国", "国称", "2,500", "troops"]


def test_spaced_scripts_keep_whole_words() -> None:
    assert text.tokens("Прокуратура заявила, что") == ["Прокуратура", "заявила", "что"]
    assert text.tokens("قال الوزير") == ["قال", "الوزير"]
