"""GUI fixtures: an isolated settings store and a ready main window."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from factdesk.core.model import ArticleSet


@pytest.fixture(scope="session", autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Point every QSettings at a temporary folder so tests never touch the user's settings."""
    folder = tmp_path_factory.mktemp("qsettings")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    for fmt in (QSettings.Format.IniFormat, QSettings.Format.NativeFormat):
        for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
            QSettings.setPath(fmt, scope, str(folder))
    return folder


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "factdesk.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings) -> Iterator:  # type: ignore[no-untyped-def]
    from factdesk.ui.main_window import MainWindow

    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.resize(1400, 900)
    win.show()
    yield win
    win.runner.cancel()
    win.runner.wait(10_000)
    win.analyser.wait(10_000)


@pytest.fixture
def sample_window(window, sample_set: ArticleSet):  # type: ignore[no-untyped-def]
    """The main window showing (a private copy of) the aligned sample."""
    window.set_article_set(copy.deepcopy(sample_set))
    return window
