"""simplemma's lemmatiser, with its dictionaries kept decoded between runs.

simplemma decodes a language's dictionary from its compressed, front-coded file the first
time the language is used: 0.2-0.3 s per language and process, a third of opening a small
set. The decoded table is stored once per simplemma version in FactDesk's cache folder, in
``marshal`` form (the fastest format the standard library reads back), so later runs load
it in about 50 ms. A missing, stale or unreadable cache only costs the decoding again.

``FACTDESK_CACHE_DIR`` overrides the folder; an empty value turns the store off.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from collections.abc import Mapping
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import DefaultDictionaryFactory

from factdesk.core.files import write_atomic

CACHE_ENV = "FACTDESK_CACHE_DIR"
_MAGIC = b"FactDesk lemmas 1\n"
_PIECE = 8_000  # entries per marshal call: a few milliseconds each


def cache_dir() -> Path | None:
    """Where decoded dictionaries are kept, or None when storing is turned off."""
    configured = os.environ.get(CACHE_ENV)
    if configured is not None:
        return Path(configured) if configured else None
    import platformdirs  # only on a first decoding: keeps start-up light

    return Path(platformdirs.user_cache_dir("FactDesk", appauthor=False))


def _version() -> str:
    try:
        return metadata.version("simplemma")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


class StoredDictionaries:
    """A simplemma dictionary factory that reads each language's table from the cache
    folder when it is there, and decodes and stores it when it is not."""

    def __init__(self, folder: Path | None) -> None:
        self._folder = folder / f"simplemma-{_version()}" if folder else None
        self._decoder = DefaultDictionaryFactory()
        self._tables: dict[str, Mapping[str, str]] = {}

    def get_dictionary(self, lang: str) -> Mapping[str, str]:
        table = self._tables.get(lang)
        if table is None:
            table = self._read(lang)
            if table is None:
                # raises ValueError for a language simplemma does not know, as simplemma does
                table = dict(self._decoder.get_dictionary(lang).items())
                self._write(lang, table)
            self._tables[lang] = table
        return table

    def _path(self, lang: str) -> Path | None:
        if self._folder is None or not lang.isalnum():
            return None
        return self._folder / f"{lang}.marshal"

    def _read(self, lang: str) -> dict[str, str] | None:
        path = self._path(lang)
        if path is None:
            return None
        table: dict[str, str] = {}
        try:
            with path.open("rb") as stored:
                header = stored.read(len(_MAGIC))
                if header != _MAGIC:
                    return None
                # piece by piece: one marshal call holds the GIL for its whole length, and a
                # window reading the set in another thread would freeze that long
                while size := int.from_bytes(stored.read(4), "little"):
                    piece = marshal.loads(stored.read(size))
                    if not isinstance(piece, dict):
                        return None
                    table.update(piece)
        except (OSError, ValueError, EOFError, TypeError):
            return None
        return table or None

    def _write(self, lang: str, table: dict[str, str]) -> None:
        path = self._path(lang)
        if path is None:
            return
        stored = bytearray(_MAGIC)
        items = list(table.items())
        for start in range(0, len(items), _PIECE):
            piece = marshal.dumps(dict(items[start : start + _PIECE]))
            stored += len(piece).to_bytes(4, "little") + piece
        stored += (0).to_bytes(4, "little")
        # a cache is a convenience: any failure to store it leaves the run as it was
        with contextlib.suppress(OSError):
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(path, bytes(stored))


@lru_cache(maxsize=1)
def lemmatizer() -> Lemmatizer:
    """The process's lemmatiser (what ``simplemma.lemmatize(word, lang=...)`` does)."""
    return Lemmatizer(
        lemmatization_strategy=DefaultStrategy(dictionary_factory=StoredDictionaries(cache_dir()))
    )


def lemmatize(word: str, lang: str) -> str:
    """simplemma's lemma of ``word`` in ``lang``; ValueError for a language it does not know."""
    return str(lemmatizer().lemmatize(word, lang))
