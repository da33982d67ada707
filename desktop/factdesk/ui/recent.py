"""The File ▸ Open Recent menu, kept in the window's settings."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu

MAX_RECENT = 10
_PROJECT = "project:"


class RecentFiles:
    """Recently opened sets (their paths) and projects, newest first."""

    def __init__(
        self,
        settings: QSettings,
        menu: QMenu,
        clear_action: QAction,
        open_paths: Callable[[list[str]], object],
        open_project: Callable[[str], object],
    ) -> None:
        self.settings = settings
        self.menu = menu
        self._clear_action = clear_action
        self._open_paths = open_paths
        self._open_project = open_project
        self.rebuild()

    def entries(self) -> list[str]:
        value = self.settings.value("recent_files", [])
        if isinstance(value, str):
            return [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def add(self, paths: list[str], project: bool = False) -> None:
        entry = (_PROJECT if project else "") + "\n".join(str(Path(p).absolute()) for p in paths)
        recent = [r for r in self.entries() if r != entry]
        recent.insert(0, entry)
        self.settings.setValue("recent_files", recent[:MAX_RECENT])
        self.rebuild()

    def clear(self) -> None:
        self.settings.setValue("recent_files", [])
        self.rebuild()

    def rebuild(self) -> None:
        self.menu.clear()
        for entry in self.entries():
            is_project = entry.startswith(_PROJECT)
            paths = entry.removeprefix(_PROJECT).split("\n")
            label = Path(paths[0]).name + (f" +{len(paths) - 1}" if len(paths) > 1 else "")
            act = self.menu.addAction(("▣ " if is_project else "") + label)
            act.setToolTip("\n".join(paths))
            if is_project:
                act.triggered.connect(lambda _=False, p=paths[0]: self._open_project(p))
            else:
                act.triggered.connect(lambda _=False, p=paths: self._open_paths(p))
        self.menu.addSeparator()
        self.menu.addAction(self._clear_action)
        self.menu.setEnabled(True)
