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
from factdesk.core.store import Project, is_project

PACKAGE_ROOT = str(Path(factdesk.__file__).resolve().parent.parent)
DERIVATION_LINE = re.compile(
    r"^  d\d+ (?:likely rewritten from|possibly rewritten from|shares its text with) d\d+ \(share [01]\.\d\d, score [01]\.\d\d\)$",
    re.M,
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
    assert is_project(tmp_path / "renamed.db")
    assert is_project(tmp_path / "new.factdesk")
    assert not is_project(tmp_path / "story.txt")
    assert not is_project(tmp_path)


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


# ----------------------------------------------------------------------------- formats and errors

STORY = (
    "Heavy rain hit the city of Zürich on Monday, officials said.\n"
    "Several roads were closed and the mayor’s office promised €5 million in aid.\n"
)


def _story_folder(folder: Path) -> dict[str, str]:
    """One version of the story in every supported format and common encoding."""
    import docx

    folder.mkdir()
    encodings = {
        "a_utf8.txt": ("utf-8", "\n"),
        "b_utf8_bom.txt": ("utf-8-sig", "\n"),
        "c_utf16.txt": ("utf-16", "\r\n"),
        "d_cp1252.txt": ("cp1252", "\r\n"),
        "e_latin1.md": ("latin-1", "\r"),
    }
    for i, (name, (codec, newline)) in enumerate(encodings.items()):
        text = STORY.replace("Monday", f"Monday {i}")
        if codec == "latin-1":
            text = text.replace("’", "'").replace("€", "EUR ")
        (folder / name).write_bytes(text.replace("\n", newline).encode(codec))
    (folder / "f_page.html").write_text(
        "<html><head><title>Rain floods Zürich</title>"
        '<meta name="author" content="Jane Doe">'
        '<meta property="article:published_time" content="2024-01-06"></head><body>'
        "<article><h1>Rain floods Zürich</h1>"
        + "".join(f"<p>{line}</p>" for line in STORY.splitlines())
        + "</article></body></html>",
        encoding="utf-8",
    )
    word = docx.Document()
    for line in ("Rain floods Zürich", "By Jane Doe", *STORY.splitlines()):
        word.add_paragraph(line)
    word.save(str(folder / "g_report.docx"))
    expected = {name: codec for name, (codec, _) in encodings.items()}
    return {**expected, "f_page.html": "utf-8", "g_report.docx": ""}


def test_every_format_and_encoding_loads_through_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _story_folder(tmp_path / "story")
    assert cli.main(["align", str(tmp_path / "story"), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    data = json.loads(captured.out)
    assert jsonio.validate(data) == []
    assert data["errors"] == []
    assert {d["name"]: d["encoding"] for d in data["documents"]} == expected
    texts = {d["id"]: d["text"] for d in data["documents"]}
    for doc in data["documents"]:
        assert "\r" not in doc["text"]
        assert "Zürich" in doc["text"]
    by_name = {d["name"]: d for d in data["documents"]}
    assert by_name["f_page.html"]["title"] == "Rain floods Zürich"
    assert by_name["f_page.html"]["byline"] == "Jane Doe"
    assert by_name["f_page.html"]["date"] == "2024-01-06"
    assert by_name["g_report.docx"]["byline"] == "Jane Doe"
    assert "mayor’s office promised €5 million" in by_name["d_cp1252.txt"]["text"]
    for passage in data["passages"]:
        assert texts[passage["doc"]][passage["start"] : passage["end"]].strip()


def _bad_files(folder: Path) -> dict[str, str]:
    """Files that cannot be loaded, each with a word its message must contain."""
    folder.mkdir(exist_ok=True)
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_bytes(b"  \r\n\t\n")
    (folder / "undecodable.txt").write_bytes(bytes(range(0x80, 0x100)) * 8)
    (folder / "huge.txt").write_bytes(b"word " * 300)
    (folder / "corrupt.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "nothing.html").write_text("<html><body><script>x()</script></body></html>")
    return {
        "binary.txt": "binary",
        "empty.txt": "empty",
        "blank.md": "no text",
        "undecodable.txt": "undecodable",
        "huge.txt": "limit",
        "corrupt.docx": "Word document",
        "nothing.html": "no readable text",
    }


def test_each_bad_file_gets_one_message_and_the_good_one_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from factdesk.core import ingest

    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1000)
    folder = tmp_path / "mixed"
    reasons = _bad_files(folder)
    (folder / "story.txt").write_text(STORY, encoding="utf-8")
    assert cli.main(["align", str(folder), "--json"]) == 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert [d["name"] for d in data["documents"]] == ["story.txt"]
    lines = captured.err.strip().splitlines()
    assert len(lines) == len(reasons)
    for name, reason in reasons.items():
        (line,) = [line for line in lines if line.startswith(f"{folder / name}: ")]
        assert reason in line
        assert line.count(name) == 1  # named once, by the path given
    assert sorted(Path(e["path"]).name for e in data["errors"]) == sorted(reasons)
    assert all(e["message"] for e in data["errors"])


def test_json_lists_the_errors_even_when_nothing_loaded(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    reasons = _bad_files(tmp_path / "bad")
    (tmp_path / "bad" / "huge.txt").unlink()  # readable without a lowered size limit
    assert cli.main(["align", str(tmp_path / "bad"), "--json"]) != 0
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert jsonio.validate(data) == []
    assert data["documents"] == [] and data["links"] == []
    assert len(data["errors"]) == len(reasons) - 1
    assert "no document could be loaded" in captured.err


def test_folder_with_nothing_supported_fails_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "scans"
    folder.mkdir()
    (folder / "page.pdf").write_bytes(b"%PDF-1.4")
    assert cli.main(["align", str(folder)]) != 0
    err = capsys.readouterr().err
    assert f"{folder}: no .txt, .md, .html, .htm or .docx files in this folder" in err
    assert "no document could be loaded" in err


# ----------------------------------------------------------------------------- JSON schema v1

DOCUMENT_KEYS = {
    "id": str,
    "path": str,
    "name": str,
    "title": str,
    "date": str,
    "byline": str,
    "encoding": str,
    "text": str,
    "errors": list,
}
PASSAGE_KEYS = {
    "id": str,
    "doc": str,
    "kind": str,
    "paragraph": int,
    "start": int,
    "end": int,
    "boilerplate": bool,
}
LINK_KEYS = {"a": str, "b": str, "score": float, "relation": str}
GROUP_KEYS = {"id": str, "passages": list}
DERIVATION_KEYS = {"source": str, "derived": str, "share": float, "score": float}


def _has_types(item: dict[str, object], keys: dict[str, type]) -> bool:
    return all(
        key in item
        and isinstance(item[key], kind)
        and (kind is bool or not isinstance(item[key], bool))
        for key, kind in keys.items()
    )


def test_align_json_has_the_documented_keys_and_types(
    seeds_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["align", str(seeds_dir), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["version"] == 1
    assert data["errors"] == []
    tables = {
        "documents": DOCUMENT_KEYS,
        "passages": PASSAGE_KEYS,
        "links": LINK_KEYS,
        "groups": GROUP_KEYS,
        "derivation": DERIVATION_KEYS,
    }
    for table, keys in tables.items():
        assert data[table], table
        assert all(_has_types(item, keys) for item in data[table]), table
    docs = {d["id"]: d for d in data["documents"]}
    passages = {p["id"]: p for p in data["passages"]}
    for p in data["passages"]:
        assert p["kind"] == "sentence"
        assert 0 <= p["start"] < p["end"] <= len(docs[p["doc"]]["text"])
    for link in data["links"]:
        assert link["relation"] in ("same", "related")
        assert 0.0 <= link["score"] <= 1.0
        assert passages[link["a"]]["doc"] != passages[link["b"]]["doc"]
    for group in data["groups"]:
        assert set(group["passages"]) <= set(passages)
    for d in data["derivation"]:
        assert d["source"] in docs and d["derived"] in docs and d["source"] != d["derived"]
        assert 0.0 <= d["share"] <= 1.0 and 0.0 <= d["score"] <= 1.0


# ----------------------------------------------------------------------------- --project


def test_align_will_not_overwrite_a_file_that_is_not_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    assert cli.main(["align", str(story), "--project", str(story)]) != 0
    assert "not a FactDesk project" in capsys.readouterr().err
    assert story.read_text(encoding="utf-8") == STORY


def test_align_keeps_a_project_that_holds_the_editors_work(
    tmp_path: Path, tiny_set: ArticleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    assert tiny_set.facts
    path = tmp_path / "work.factdesk"
    Project.create(path, tiny_set).close()
    before = path.read_bytes()
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    assert cli.main(["align", str(story), "--project", str(path)]) != 0
    assert "facts" in capsys.readouterr().err
    assert path.read_bytes() == before


def test_align_replaces_a_project_that_holds_only_an_alignment(
    tmp_path: Path, tiny_set: ArticleSet, capsys: pytest.CaptureFixture[str]
) -> None:
    tiny_set.facts = []
    tiny_set.corrections = type(tiny_set.corrections)()
    path = tmp_path / "old.factdesk"
    Project.create(path, tiny_set).close()
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    assert cli.main(["align", str(story), "--project", str(path)]) == 0
    assert [d.name for d in Project.read(path).documents] == ["story.txt"]


def test_second_process_saving_an_open_project_gets_a_clear_message(
    tmp_path: Path, tiny_set: ArticleSet
) -> None:
    tiny_set.facts = []
    tiny_set.corrections = type(tiny_set.corrections)()
    path = tmp_path / "shared.factdesk"
    Project.create(path, tiny_set).close()
    story = tmp_path / "story.txt"
    story.write_text(STORY, encoding="utf-8")
    holder_code = (
        "import sys\n"
        "from factdesk.core.store import Project\n"
        f"project = Project.open({str(path)!r})\n"
        "print('holding', flush=True)\n"
        "sys.stdin.readline()\n"
        "project.close()\n"
    )
    env = dict(os.environ, PYTHONPATH=PACKAGE_ROOT)
    with subprocess.Popen(
        [sys.executable, "-c", holder_code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    ) as holder:
        assert holder.stdout is not None and holder.stdin is not None
        assert holder.stdout.readline().strip() == "holding"
        before = path.read_bytes()
        result = _run("align", str(story), "--project", str(path))
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=60)
    assert result.returncode != 0
    assert "already open" in result.stderr and str(holder.pid) in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before
    # Once the holder is gone the same command succeeds.
    assert _run("align", str(story), "--project", str(path)).returncode == 0


def test_a_closed_output_pipe_ends_the_command_quietly(seeds_dir: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(Path(factdesk.__file__).parent.parent))
    with subprocess.Popen(
        [sys.executable, "-m", "factdesk", "align", str(seeds_dir), "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.read(10)
        proc.stdout.close()  # like `| head -c 10`
        errors = proc.stderr.read().decode("utf-8", "replace")
        status = proc.wait(timeout=120)
    assert "Traceback" not in errors and "BrokenPipe" not in errors
    assert status in (0, cli.SIGPIPE_STATUS)
