"""The lemmatiser's stored dictionaries give simplemma's own lemmas, and a bad store is ignored."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma

from factdesk.core.lemmas import CACHE_ENV, StoredDictionaries, cache_dir

WORDS = ["houses", "was", "said", "children", "ran", "officials", "Sudanese", "unknownish"]


def _lemmas(factory: StoredDictionaries, lang: str = "en") -> list[str]:
    lemmatizer = simplemma.Lemmatizer(
        lemmatization_strategy=simplemma.strategies.DefaultStrategy(dictionary_factory=factory)
    )
    return [lemmatizer.lemmatize(word, lang) for word in WORDS]


def test_a_stored_dictionary_gives_the_same_lemmas_as_simplemma(tmp_path: Path) -> None:
    expected = [simplemma.lemmatize(word, lang="en") for word in WORDS]
    first = StoredDictionaries(tmp_path)
    assert _lemmas(first) == expected
    stored = list(tmp_path.rglob("en.marshal"))
    assert len(stored) == 1
    # a new process reads the stored table instead of decoding simplemma's file
    second = StoredDictionaries(tmp_path)
    assert second._read("en") is not None
    assert _lemmas(second) == expected
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_damaged_store_is_decoded_again(tmp_path: Path) -> None:
    StoredDictionaries(tmp_path).get_dictionary("en")
    (path,) = tmp_path.rglob("en.marshal")
    path.write_bytes(b"\x00not marshal")
    again = StoredDictionaries(tmp_path)
    assert again._read("en") is None
    assert _lemmas(again) == [simplemma.lemmatize(word, lang="en") for word in WORDS]


def test_an_unwritable_store_still_lemmatises(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    factory = StoredDictionaries(blocker)
    assert _lemmas(factory) == [simplemma.lemmatize(word, lang="en") for word in WORDS]


def test_an_unknown_language_is_refused_as_simplemma_refuses_it(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        StoredDictionaries(tmp_path).get_dictionary("xx")


def test_an_empty_cache_setting_turns_the_store_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_ENV, "")
    assert cache_dir() is None
    monkeypatch.setenv(CACHE_ENV, "/somewhere")
    assert cache_dir() == Path("/somewhere")
