"""Colours and markers for versions and diffs, derived from the current QPalette.

Versions use the Okabe-Ito palette (safe for the common colour-vision
deficiencies) and always carry a glyph and a number as well, so colour is
never the only signal.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QGuiApplication, QPalette

#: Okabe & Ito (2008), without black, which disappears on dark themes.
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
GLYPHS = ("●", "■", "▲", "◆", "▼", "★", "✚", "⬟", "◐", "✖")


def version_colour(number: int) -> QColor:
    """Colour of the version shown as ``#number`` (1-based)."""
    return QColor(OKABE_ITO[(number - 1) % len(OKABE_ITO)])


def version_glyph(number: int) -> str:
    return GLYPHS[(number - 1) % len(GLYPHS)]


def version_marker(number: int) -> str:
    """Glyph plus number: the label that goes with the colour everywhere."""
    return f"{version_glyph(number)}{number}"


def contrast_text(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    r, g, b = colour.redF(), colour.greenF(), colour.blueF()
    lum = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return QColor("#000000") if lum > 0.45 else QColor("#FFFFFF")


def blend(colour: QColor, base: QColor, alpha: float) -> QColor:
    """``colour`` laid over ``base`` with opacity ``alpha``."""
    return QColor(
        round(colour.red() * alpha + base.red() * (1 - alpha)),
        round(colour.green() * alpha + base.green() * (1 - alpha)),
        round(colour.blue() * alpha + base.blue() * (1 - alpha)),
    )


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


@dataclass(frozen=True)
class Theme:
    """Every colour the views paint with, for one palette."""

    text: str
    muted: str
    base: str
    alt_base: str
    inserted_bg: str
    inserted_fg: str
    deleted_bg: str
    deleted_fg: str
    changed_bg: str
    unique_bg: str
    focus_bg: str
    highlight_bg: str
    matched_bg: str  # the part of a sentence that matched another version on its own
    moved_fg: str  # the "⇅ moved" mark of a passage told out of the focus version's order
    moved_bg: str
    grid: str
    dark: bool


def theme(palette: QPalette | None = None) -> Theme:
    palette = palette or QGuiApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    dark = is_dark(palette)
    strength = 0.38 if dark else 0.22
    blue, vermillion, orange, yellow = (
        QColor(c) for c in ("#0072B2", "#D55E00", "#E69F00", "#F0E442")
    )
    sky = QColor("#56B4E9")
    moved = QColor("#8CCBF2" if dark else "#005A8C")  # Okabe-Ito blue, readable as text
    return Theme(
        text=text.name(),
        muted=blend(text, base, 0.55).name(),
        base=base.name(),
        alt_base=palette.color(QPalette.ColorRole.AlternateBase).name(),
        inserted_bg=blend(sky if dark else blue, base, strength).name(),
        inserted_fg=text.name(),
        deleted_bg=blend(vermillion, base, strength).name(),
        deleted_fg=blend(text, base, 0.7).name(),
        changed_bg=blend(orange, base, strength + 0.08).name(),
        unique_bg=blend(yellow, base, 0.16 if dark else 0.35).name(),
        focus_bg=blend(palette.color(QPalette.ColorRole.Highlight), base, 0.08).name(),
        highlight_bg=blend(QColor("#CC79A7"), base, 0.35).name(),
        matched_bg=blend(QColor("#009E73"), base, 0.3 if dark else 0.2).name(),
        grid=blend(text, base, 0.18).name(),
        moved_fg=moved.name(),
        moved_bg=blend(moved, base, 0.16 if dark else 0.1).name(),
        dark=dark,
    )


def dark_palette() -> QPalette:
    """A plain dark palette (tests and the screenshots use it to check contrast)."""
    p = QPalette()
    window, base, text = QColor("#202124"), QColor("#17181a"), QColor("#e8e8e8")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#242529"))
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor("#2b2c30"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#2b2c30"))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.Highlight, QColor("#3d7fd6"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8a8a8a"))
    p.setColor(QPalette.ColorRole.Link, QColor("#7ab8ff"))
    p.setColor(QPalette.ColorRole.Mid, QColor("#3a3b3f"))
    p.setColor(QPalette.ColorRole.Dark, QColor("#111111"))
    p.setColor(QPalette.ColorRole.Light, QColor("#444548"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#777777"))
    p.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#777777"))
    return p
