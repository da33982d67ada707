"""Shared fixtures. Qt must see the offscreen platform before anything imports it."""

from __future__ import annotations

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
# Decoded lemmatiser tables go to a folder of the tests' own, never the user's cache.
os.environ.setdefault(
    "FACTDESK_CACHE_DIR", os.path.join(tempfile.gettempdir(), "factdesk-tests-cache")
)

REPO = Path(__file__).resolve().parent.parent
DESKTOP = REPO / "desktop"

# Test the installed FactDesk when there is one (PYTHONPATH=desktop puts the checkout first),
# else the checkout.
if importlib.util.find_spec("factdesk") is None:
    sys.path.insert(0, str(DESKTOP))

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

from factdesk.core.model import ArticleSet  # noqa: E402

# On CI the property tests replay the same examples every run, so a result never depends
# on luck; locally they keep exploring new ones.
settings.register_profile(
    "ci", derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(scope="session")
def repo_dir() -> Path:
    return REPO


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The sample article set shipped with FactDesk."""
    return REPO / "seeds"


@pytest.fixture(scope="session")
def sample_set(seeds_dir: Path) -> ArticleSet:
    """The sample set loaded, segmented and aligned once per test run (treat as read-only)."""
    from factdesk.core.pipeline import analyse

    return analyse([seeds_dir])


@pytest.fixture(scope="session")
def council_paragraphs() -> ArticleSet:
    """Two versions of two paragraphs, reworded sentence by sentence (treat as read-only)."""
    from factdesk.core import pipeline
    from factdesk.core.model import Document

    a = (
        "The council approved the Harlan Works contract on Monday. The vote was 7 to 2.\n\n"
        "Residents of the east bank have asked for a bridge for more than twenty years."
    )
    b = (
        "Councillors approved the Harlan Works contract on Monday. They voted 7 to 2.\n\n"
        "Residents of the east bank have wanted a bridge for over twenty years."
    )
    return pipeline.build(
        [
            Document(id="d0", path="a.txt", name="a.txt", text=a),
            Document(id="d1", path="b.txt", name="b.txt", text=b),
        ]
    )


@pytest.fixture
def tiny_set() -> ArticleSet:
    """A small hand-made set touching every part of the model (fresh for each test)."""
    from factdesk.core.model import (
        Anchor,
        Corrections,
        Derivation,
        Document,
        Fact,
        Group,
        Link,
        LoadError,
        Paragraph,
        Passage,
    )

    texts = [
        "Rain hit the city on Monday. Roads were closed.\n\nShare this article",
        "Heavy rain hit the city on Monday, officials said. Several roads were closed.",
    ]
    documents = [
        Document(
            id=f"d{i}",
            path=f"/news/v{i}.txt",
            name=f"v{i}.txt",
            text=text,
            sha256=f"{i:064x}",
            encoding="utf-8" if i == 0 else "cp1252",
            title=f"Storm {i}",
            date="2024-01-0" + str(i + 1),
            byline="Staff" if i == 0 else "",
            site="example.org" if i else "",
            errors=["decoded with replacement characters"] if i else [],
        )
        for i, text in enumerate(texts)
    ]
    paragraphs = [
        Paragraph("d0.p0", "d0", 0, 0, 47),
        Paragraph("d0.p1", "d0", 1, 49, 67),
        Paragraph("d1.p0", "d1", 0, 0, len(texts[1])),
    ]
    passages = [
        Passage("d0.s0", "d0", 0, 0, 0, 28),
        Passage("d0.s1", "d0", 1, 0, 29, 47),
        Passage("d0.s2", "d0", 2, 1, 49, 67, boilerplate=True, boilerplate_reason="share widget"),
        Passage("d1.s0", "d1", 0, 0, 0, 51),
        Passage("d1.s1", "d1", 1, 0, 52, len(texts[1])),
    ]
    return ArticleSet(
        documents=documents,
        paragraphs=paragraphs,
        passages=passages,
        links=[
            Link("d0.s0", "d1.s0", 0.8125, "same"),
            Link("d0.s1", "d1.s1", 0.6, "related", source="editor"),
        ],
        groups=[Group("g0", ["d0.s0", "d1.s0"]), Group("g1", ["d0.s1", "d1.s1"])],
        derivation=[Derivation("d0", "d1", 0.75, 0.5)],
        errors=[LoadError("/news/broken.pdf", "PDF files are not supported")],
        notes=["1 file skipped"],
        corrections=Corrections(
            forced_links=[("d0.s1", "d1.s1")],
            forbidden_links=[("d0.s0", "d1.s1")],
            boilerplate={"d0.s2": True},
        ),
        facts=[
            Fact(
                id="f1",
                statement="Roads were closed on Monday",
                anchors=[
                    Anchor("d0", 29, 47, "Roads were closed.", prefix="Monday. ", passage="d0.s1"),
                    Anchor("d1", 51, 76, "Several roads were closed", confirmed=True),
                ],
                origin="d0",
                status="confirmed",
                note="Checked with the city",
                tags=["traffic", "météo"],
                created="2024-01-02T10:00:00+00:00",
                modified="2024-01-02T11:00:00+00:00",
            ),
            Fact(id="f2", statement="It rained", status="unreviewed"),
        ],
    )
