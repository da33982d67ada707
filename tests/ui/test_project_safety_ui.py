"""The window with unusual projects: read-only ones, and exports that would destroy one."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from factdesk import cli
from factdesk.core.model import Fact
from factdesk.core.store import Project
from factdesk.ui.export_dialog import EXPORT_FILTERS
from factdesk.ui.main_window import MainWindow


def _saved_project(win: MainWindow, tmp_path: Path) -> Path:
    path = tmp_path / "story.factdesk"
    assert win.save_project_as(path)
    win.session.put_fact(Fact(id="f1", statement="Rain hit the city"))
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes")
def test_a_read_only_project_shows_a_banner_and_turns_editing_off(
    sample_window: MainWindow, tmp_path: Path
) -> None:
    win = sample_window
    path = _saved_project(win, tmp_path)
    win.session.close()
    path.chmod(0o444)
    assert win.open_project(path)
    assert win.message_bar.isVisible()
    banner = win.message_bar.label.text()
    assert "read-only" in banner and "the file is read-only" in banner
    assert "(read-only)" in win.windowTitle()
    for action in (
        win.link_action,
        win.unlink_action,
        win.boilerplate_action,
        win.new_fact_action,
        win.add_documents_action,
        win.reimport_action,
    ):
        assert not action.isEnabled(), action.text()
    assert not win.fact_panel.isEnabled()
    passage = next(iter(win.state.index.passages.values()))
    win.facts.selection = (passage.doc, passage.start, passage.end)
    assert win.facts.new_fact_from_selection() is None
    assert [f.id for f in win.session.facts] == ["f1"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.factdesk"]
    # Saving under another name gives an editable copy.
    assert win.save_project_as(tmp_path / "copy.factdesk")
    assert win.new_fact_action.isEnabled() and win.fact_panel.isEnabled()
    assert "(read-only)" not in win.windowTitle()


def test_exporting_onto_the_open_project_is_refused_and_editing_goes_on(
    sample_window: MainWindow, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    win = sample_window
    path = _saved_project(win, tmp_path)
    before = Project.read(path)
    assert win.facts.export_to("csv", path) is None
    assert "Could not export" in win.message_bar.label.text()
    assert cli.main(["export", str(path), "-f", "csv", "-o", str(path), "--force"]) != 0
    assert "is one of the files being exported" in capsys.readouterr().err
    win.session.put_fact(Fact(id="f2", statement="saved after both refusals"))
    after = Project.read(path)
    assert [f.id for f in after.facts] == ["f1", "f2"]
    assert after.documents == before.documents


def test_export_over_an_existing_file_asks_first(sample_window: MainWindow, tmp_path: Path) -> None:
    win = sample_window
    out = tmp_path / "facts.csv"
    out.write_text("keep me", encoding="utf-8")
    asked: list[str] = []
    answer = False

    def confirm(path: str, why: str) -> bool:
        asked.append(why)
        return answer

    win.facts.confirm_overwrite = confirm
    assert win.facts.export_to("csv", out) is None
    assert out.read_text(encoding="utf-8") == "keep me"
    assert asked == [f"{out}: exists already"]
    answer = True
    assert win.facts.export_to("csv", out) == out
    assert out.read_text(encoding="utf-8").startswith("fact_id,")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.csv"]


def test_a_replacement_the_save_dialog_confirmed_is_not_asked_again(
    sample_window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    win = sample_window
    out = tmp_path / "facts.csv"
    out.write_text("old", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(out), EXPORT_FILTERS["csv"][0])),
    )
    win.facts.confirm_overwrite = lambda path, why: pytest.fail("asked twice")
    assert win.facts.ask_and_export() == out
    assert out.read_text(encoding="utf-8").startswith("fact_id,")
    # A suffix FactDesk adds names a file the dialog never asked about.
    (tmp_path / "report.md").write_text("old report", encoding="utf-8")
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *a, **k: (str(tmp_path / "report"), EXPORT_FILTERS["md"][0])),
    )
    asked: list[str] = []
    win.facts.confirm_overwrite = lambda path, why: asked.append(why) is None and False
    assert win.facts.ask_and_export() is None
    assert asked and (tmp_path / "report.md").read_text(encoding="utf-8") == "old report"
