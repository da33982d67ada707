"""The factdesk command: summaries, JSON, projects, exit codes and when a window opens."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import types
from pathlib import Path

import pytest

import factdesk
from factdesk import cli
from factdesk.core import jsonio
from factdesk.core.model import ArticleSet
from factdesk.core.store import Project

PACKAGE_ROOT = str(Path(factdesk.__file__).resolve().parent.parent)
DERIVATION_LINE = re.compile(
    r"^  d\d+ (?:likely|possibly) rewritten from d\d+ \(share [01]\.\d\d, score [01]\.\d\d\)$", re.M
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "factdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.fixture
def headless(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture
def fake_gui(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """Stand in for the window so tests see what it would have been asked to open."""
    calls: list[dict[str, object]] = []

    def run(paths: list[str] | None = None, project: str | None = None) -> int:
        calls.append({"paths": paths, "project": project})
        return 0

    module = types.ModuleType("factdesk.ui.app")
    module.run = run  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "factdesk.ui.app", module)
    monkeypatch.setattr(cli, "has_display", lambda: True)
    return calls


def test_version_is_printed(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out.strip() == f"factdesk {factdesk.__version__}"


@pytest.mark.parametrize("command", [[], ["open"], ["align"], ["export"]])
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main([*command, "--help"])
    assert info.value.code == 0
    assert "usage: factdesk" in capsys.readouterr().out


def test_bundled_sample_is_found(seeds_dir: Path) -> None:
    found = cli.sample_dir()
    assert found is not None
    assert sorted(p.name for p in found.glob("*.txt")) == sorted(
        p.name for p in seeds_dir.glob("*.txt")
    )


def test_project_files_are_recognised(tmp_path: Path, tiny_set: ArticleSet) -> None:
    Project.create(tmp_path / "renamed.db", tiny_set).close()
    (tmp_path / "story.txt").write_text("Rain.", encoding="utf-8")
    assert cli.is_project(tmp_path / "renamed.db")
    assert cli.is_project(tmp_path / "new.factdesk")
    assert not cli.is_project(tmp_path / "story.txt")
    assert not cli.is_project(tmp_path)


def test_align_prints_a_readable_summary(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["align", str(seeds_dir)]) == 0
    out = capsys.readouterr().out
    n_files = len(list(seeds_dir.glob("*.txt")))
    assert out.startswith(f"{n_files} documents loaded")
    assert re.search(r"^  d0 .* +\d+ words", out, re.M)
    assert re.search(r"^Passages: \d+ \(\d+ boilerplate\)$", out, re.M)
    assert re.search(r"^Links: +\d+ \(\d+ same, \d+ related\)$", out, re.M)
    assert re.search(r"^Groups: +\d+", out, re.M)
    assert "Derivation" in out


def test_summary_states_derivation(tiny_set: ArticleSet) -> None:
    text = cli.summary(tiny_set)
    expected = "  d1 likely rewritten from d0 (share 0.75, score 0.50)"
    assert DERIVATION_LINE.findall(text) == [expected]
    assert "not loaded: /news/broken.pdf: PDF files are not supported" in text


def test_align_json_follows_schema_v1(seeds_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["align", str(seeds_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert jsonio.validate(data) == []
    assert len(data["documents"]) == len(list(seeds_dir.glob("*.txt")))


def test_unreadable_files_are_reported_one_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "story.txt"
    good.write_text("Heavy rain hit the city on Monday. Several roads were closed.\n")
    missing = [tmp_path / "gone1.txt", tmp_path / "gone2.txt"]
    assert cli.main(["align", str(good), *map(str, missing)]) == 0
    err_lines = capsys.readouterr().err.strip().splitlines()
    assert len(err_lines) == 2
    for path, line in zip(missing, err_lines, strict=True):
        assert line.startswith(f"{path}: ")


def test_nothing_loaded_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["align", str(tmp_path / "nothing.txt")]) != 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "nothing.txt" in captured.err
    assert "no document could be loaded" in captured.err


def test_align_saves_a_project(
    seeds_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "sample.factdesk"
    assert cli.main(["align", str(seeds_dir), "--json", "--project", str(path)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert jsonio.to_json(Project.read(path)) == printed


def test_export_without_the_export_module_says_so(
    tmp_path: Path,
    tiny_set: ArticleSet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "p.factdesk"
    Project.create(path, tiny_set).close()
    monkeypatch.setitem(sys.modules, "factdesk.core.export", None)
    assert cli.main(["export", str(path), "--format", "csv"]) == 2
    assert "export is not available" in capsys.readouterr().err


def test_export_passes_the_project_and_format_through(
    tmp_path: Path,
    tiny_set: ArticleSet,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    seen: list[tuple[ArticleSet, str]] = []

    def export(article_set: ArticleSet, fmt: str) -> str:
        seen.append((article_set, fmt))
        return f"{fmt}:{len(article_set.facts)} facts"

    module = types.ModuleType("factdesk.core.export")
    module.export = export  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "factdesk.core.export", module)
    path = tmp_path / "p.factdesk"
    Project.create(path, tiny_set).close()
    # A window holding the project does not block an export.
    with Project.open(path):
        assert cli.main(["export", str(path), "-f", "md"]) == 0
    assert capsys.readouterr().out == "md:2 facts\n"
    out_file = tmp_path / "out.html"
    assert cli.main(["export", str(path), "--format", "html", "-o", str(out_file)]) == 0
    assert out_file.read_text(encoding="utf-8") == "html:2 facts"
    assert seen[0][0] == tiny_set


def test_export_of_a_damaged_project_fails_with_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    module = types.ModuleType("factdesk.core.export")
    module.export = lambda article_set, fmt: ""  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "factdesk.core.export", module)
    path = tmp_path / "x.factdesk"
    path.write_bytes(b"not a database at all" * 10)
    assert cli.main(["export", str(path), "--format", "json"]) != 0
    assert "x.factdesk: not a FactDesk project or the file is damaged" in capsys.readouterr().err


def test_no_arguments_without_display_prints_the_sample_summary(
    headless: None, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main([]) == 0
    captured = capsys.readouterr()
    assert "documents loaded" in captured.out
    assert "no display" in captured.err


def test_no_arguments_opens_the_window_on_the_sample(fake_gui: list[dict[str, object]]) -> None:
    assert cli.main([]) == 0
    sample = cli.sample_dir()
    assert fake_gui == [{"paths": [str(sample)], "project": None}]


def test_open_passes_articles_or_a_project_to_the_window(
    fake_gui: list[dict[str, object]], tmp_path: Path
) -> None:
    assert cli.main(["open", "a.txt", "b.html"]) == 0
    assert cli.main(["open", str(tmp_path / "story.factdesk")]) == 0
    assert fake_gui == [
        {"paths": ["a.txt", "b.html"], "project": None},
        {"paths": None, "project": str(tmp_path / "story.factdesk")},
    ]


def test_open_without_display_summarises_a_project(
    headless: None, tmp_path: Path, tiny_set: ArticleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.factdesk"
    Project.create(path, tiny_set).close()
    assert cli.main(["open", str(path)]) == 0
    assert DERIVATION_LINE.search(capsys.readouterr().out)


def test_align_runs_as_a_process_without_importing_qt(seeds_dir: Path) -> None:
    code = (
        "import sys\n"
        "from factdesk.cli import main\n"
        f"status = main(['align', {str(seeds_dir)!r}, '--json'])\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "sys.exit(status or (3 if qt else 0))\n"
    )
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert jsonio.validate(json.loads(result.stdout)) == []


def test_module_entry_point_reports_missing_files(tmp_path: Path) -> None:
    result = _run("align", str(tmp_path / "absent.txt"))
    assert result.returncode != 0
    assert "absent.txt" in result.stderr
    assert "Traceback" not in result.stderr
