"""The HTML report renders in headless Chromium and nothing from an article runs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from factdesk.core.export import export_to_file
from factdesk.core.facts import new_fact
from factdesk.core.model import ArticleSet, Derivation

PWN_SCRIPT = (
    "<script>document.title='pwned';"
    "document.body.appendChild(document.createElement('pwned-marker'))</script>"
)
PWN_IMG = "<img src=x onerror=\"document.title='pwned'\">"


def _chromium() -> str | None:
    for candidate in ("/usr/bin/chromium", "chromium", "chromium-browser"):
        found = (
            shutil.which(candidate)
            if not candidate.startswith("/")
            else (candidate if Path(candidate).exists() else None)
        )
        if found:
            return found
    return None


def _hostile_set(build_set: Callable[..., ArticleSet]) -> ArticleSet:
    article_set = build_set(
        {
            "d0": [
                f"The strike killed 16 militiamen {PWN_SCRIPT} on Thursday.",
                f"Officials {PWN_IMG} said so.",
            ],
            "d1": ["The strike killed 18 militiamen on Friday.", "Officials said so."],
        },
        [[("d0", 0), ("d1", 0)], [("d0", 1), ("d1", 1)]],
    )
    for doc in article_set.documents:
        doc.title = f"{PWN_IMG} headline"
    article_set.derivation = [Derivation(source="d0", derived="d1", share=0.8, score=0.9)]
    text = article_set.documents[0].text
    fact = new_fact(article_set, "d0", 0, text.index(" on Thursday"))
    fact.status = "disputed"
    article_set.facts.append(fact)
    return article_set


def _run(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_report_renders_in_chromium_and_injected_script_does_not_run(
    tmp_path: Path, build_set: Callable[..., ArticleSet]
) -> None:
    browser = _chromium()
    if browser is None:
        pytest.skip(
            "Chromium is not installed (Debian package 'chromium'); cannot render the report"
        )
    report = export_to_file(_hostile_set(build_set), "html", tmp_path / "report.html")
    url = report.resolve().as_uri()

    shot = tmp_path / "report.png"
    _run(browser, tmp_path / "profile1", f"--screenshot={shot}", "--window-size=1200,1600", url)
    assert shot.exists(), "Chromium wrote no screenshot"
    assert shot.stat().st_size > 10_000, "the screenshot is too small to show a rendered report"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    dom = _run(
        browser, tmp_path / "profile2", "--virtual-time-budget=3000", "--dump-dom", url
    ).stdout
    assert "<title>" in dom, "Chromium dumped no document"
    title = dom.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title != "pwned" and title.startswith("Fact review")
    assert "<pwned-marker" not in dom
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()
    assert "&lt;script&gt;document.title='pwned'" in dom  # the article text is shown, inert
