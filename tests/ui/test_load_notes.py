"""What loading noted and what it could not load is shown in the window, not only by the CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

from factdesk.ui.app import sample_paths
from factdesk.ui.main_window import MainWindow
from factdesk.ui.models import DocumentsModel

LOAD_TIMEOUT = 120_000
SHOTS = Path("/tmp/shots_notes")


def _folder(tmp_path: Path) -> Path:
    """Three sample versions, an exact copy of the first and an empty file."""
    folder = tmp_path / "story"
    folder.mkdir()
    originals = [Path(p) for p in sample_paths()[:3]]
    for p in originals:
        shutil.copy(p, folder / p.name)
    shutil.copy(originals[0], folder / "zz_copy_of_first.txt")
    (folder / "zz_empty.txt").write_text("", encoding="utf-8")
    return folder


def test_a_copy_and_an_empty_file_are_explained_next_to_the_documents(
    qtbot, window: MainWindow, tmp_path: Path
) -> None:
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.open_paths([str(_folder(tmp_path))])
    article_set = window.state.article_set
    assert len(window.state.order) == 3
    assert len(article_set.notes) == 1 and "zz_copy_of_first.txt" in article_set.notes[0]
    assert [Path(e.path).name for e in article_set.errors] == ["zz_empty.txt"]

    notes = window.load_notes
    assert notes.isVisible()
    text = notes.text()
    assert "zz_copy_of_first.txt is an exact copy of" in text
    assert "1 file was not loaded" in text
    assert "zz_empty.txt" in notes.toolTip()
    # the notes sit in the Documents dock, under the list that names the file not loaded
    assert window.documents_dock.isAncestorOf(notes)
    model = window.documents.documents_model
    assert model.rowCount() == 4
    assert model.index(3, DocumentsModel.NAME).data() == "zz_empty.txt"

    counts = window.counts_label.text()
    assert "3 versions" in counts and "· 1 not loaded" in counts and "· 1 note" in counts

    # the first-run layout makes the dock as tall as the list and the notes under it
    docs = window.documents
    qtbot.waitUntil(
        lambda: (
            notes.height() >= notes.heightForWidth(notes.width())
            and docs.height() >= docs.ideal_height() - 4
        ),
        timeout=5000,
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "window_notes.png"))
    window.documents_dock.grab().save(str(SHOTS / "documents_dock_notes.png"))


def test_a_clean_set_shows_no_notes_line(qtbot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.set_shown, timeout=LOAD_TIMEOUT):
        window.open_paths(sample_paths()[:2])
    assert not window.load_notes.isVisible()
    assert "note" not in window.counts_label.text()
    assert "not loaded" not in window.counts_label.text()
