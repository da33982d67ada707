"""HTML for word-level diffs, as Qt's rich-text engine understands it.

All article text is escaped: it comes from untrusted files.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

from factdesk.core.diff import word_diff
from factdesk.ui.palette import Theme

_TOKEN_RE = re.compile(r"\s+|\S+")
_NAME_OR_NUMBER = re.compile(r"^[\"'“‘(]*(\d|[A-ZÀ-ÖØ-Þ])")


def _marked(text: str, style: str, strong: bool) -> str:
    """Wrap ``text`` in a styled span; numbers and capitalised names are set bold."""
    if not text:
        return ""
    parts = []
    for tok in _TOKEN_RE.findall(text):
        esc = html.escape(tok)
        if strong and _NAME_OR_NUMBER.match(tok):
            esc = f"<b>{esc}</b>"
        parts.append(esc)
    return f'<span style="{style}">{"".join(parts)}</span>'


def sentence_mark(label: str, theme: Theme) -> str:
    """A small chip before a sentence: which focus sentences it says the same as."""
    return (
        f'<span style="color:{theme.moved_fg}; background-color:{theme.moved_bg};'
        f' font-size:small; font-weight:600">&nbsp;{html.escape(label)}&nbsp;</span>&nbsp;'
    )


class _Writer:
    """Appends the version's text piece by piece, with a sentence mark wherever one starts."""

    def __init__(self, marks: Mapping[int, str] | None, theme: Theme) -> None:
        self.out: list[str] = []
        self.pos = 0  # offset in the version's text
        self._marks = sorted((marks or {}).items())
        self._theme = theme

    def text(self, chunk: str, render: Callable[[str], str]) -> None:
        end = self.pos + len(chunk)
        while self._marks and self._marks[0][0] < end:
            offset, label = self._marks.pop(0)
            cut = max(offset - self.pos, 0)
            if cut:
                self.out.append(render(chunk[:cut]))
            if label:
                self.out.append(sentence_mark(label, self._theme))
            chunk, self.pos = chunk[cut:], self.pos + cut
        if chunk:
            self.out.append(render(chunk))
        self.pos = end

    def other(self, markup: str) -> None:
        self.out.append(markup)


def diff_html(
    focus_text: str, text: str, theme: Theme, marks: Mapping[int, str] | None = None
) -> str:
    """``text`` marked against ``focus_text``: what it adds, lacks and changes.

    Inserted words (not in the focus passage) get a blue tint and an underline,
    words of the focus passage it lacks are struck through on a vermillion tint,
    and a deletion followed by an insertion is a change (orange tint); changed
    numbers and names are bold. ``marks`` maps offsets in ``text`` to a label set
    before the word there (see ``sentence_mark``).
    """
    runs = list(word_diff(focus_text, text))
    ins = f"background-color:{theme.inserted_bg}; text-decoration:underline;"
    dele = (
        f"background-color:{theme.deleted_bg}; color:{theme.deleted_fg};"
        " text-decoration:line-through;"
    )
    chg = f"background-color:{theme.changed_bg}; text-decoration:underline;"
    writer = _Writer(marks, theme)
    i = 0
    while i < len(runs):
        op, chunk = runs[i]
        nxt = runs[i + 1] if i + 1 < len(runs) else None
        if op == 0:
            writer.text(chunk, html.escape)
        elif op == -1 and nxt is not None and nxt[0] == 1:
            writer.other(_marked(chunk, dele, True))
            writer.text(nxt[1], lambda c: _marked(c, chg, True))
            i += 1
        elif op == -1:
            if chunk.strip():
                writer.other(_marked(chunk, dele, True))
        else:
            writer.text(chunk, lambda c: _marked(c, ins, True))
        i += 1
    return "".join(writer.out)


def plain_html(
    text: str, theme: Theme | None = None, marks: Mapping[int, str] | None = None
) -> str:
    """``text`` escaped, with ``marks`` as in ``diff_html`` (they need a ``theme``)."""
    if not marks or theme is None:
        return html.escape(text)
    writer = _Writer(marks, theme)
    writer.text(text, html.escape)
    return "".join(writer.out)
