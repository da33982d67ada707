"""File > Export: pick a format and a file name (one save dialog, format from its filter)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

#: format -> (filter shown in the dialog, file suffix)
EXPORT_FILTERS: dict[str, tuple[str, str]] = {
    "html": ("HTML fact-review report (*.html)", ".html"),
    "md": ("Markdown report (*.md)", ".md"),
    "csv": ("CSV, one row per fact and passage (*.csv)", ".csv"),
    "json": ("FactDesk JSON, everything (*.json)", ".json"),
    "annotations": ("W3C Web Annotations, JSON-LD (*.jsonld)", ".annotations.jsonld"),
    "claimreview": ("schema.org ClaimReview, JSON-LD (*.jsonld)", ".claimreview.jsonld"),
}


def format_for_filter(selected_filter: str, path: str) -> str:
    """The export format the editor chose: by the dialog's filter, else by the file name."""
    for fmt, (label, _suffix) in EXPORT_FILTERS.items():
        if selected_filter == label:
            return fmt
    name = Path(path).name.lower()
    for fmt, (_label, suffix) in sorted(EXPORT_FILTERS.items(), key=lambda item: -len(item[1][1])):
        if name.endswith(suffix):
            return fmt
    return "html"


def with_suffix(path: str, fmt: str) -> str:
    """``path`` ending in the format's suffix (added when the editor typed none)."""
    suffix = EXPORT_FILTERS[fmt][1]
    if Path(path).suffix:
        return path
    return path + suffix


def ask_export_path(
    parent: QWidget | None, directory: str, stem: str, fmt: str = "html"
) -> tuple[str, str, bool] | None:
    """Ask where to export; returns ``(format, path, confirmed)`` or None when cancelled.

    ``confirmed`` is True when the dialog itself asked before replacing ``path`` (it did
    not when FactDesk added the format's suffix to the name typed).
    """
    filters = [label for label, _ in EXPORT_FILTERS.values()]
    start = str(Path(directory) / (stem + EXPORT_FILTERS[fmt][1]))
    path, chosen = QFileDialog.getSaveFileName(
        parent, "Export facts", start, ";;".join(filters), EXPORT_FILTERS[fmt][0]
    )
    if not path:
        return None
    chosen_fmt = format_for_filter(chosen, path)
    final = with_suffix(path, chosen_fmt)
    return chosen_fmt, final, final == path


def confirm_overwrite(parent: QWidget | None, path: str | Path, reason: str) -> bool:
    """Ask before an export replaces a file that is there already."""
    answer = QMessageBox.question(
        parent,
        "Replace the file?",
        f"{reason}.\n\nReplace it with the export?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes
