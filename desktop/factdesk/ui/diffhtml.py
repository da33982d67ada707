"""HTML for word-level diffs, as Qt's rich-text engine understands it.

All article text is escaped: it comes from untrusted files.
"""

from __future__ import annotations

import html
import re

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


def diff_html(focus_text: str, text: str, theme: Theme) -> str:
    """``text`` marked against ``focus_text``: what it adds, lacks and changes.

    Inserted words (not in the focus passage) get a blue tint and an underline,
    words of the focus passage it lacks are struck through on a vermillion tint,
    and a deletion followed by an insertion is a change (orange tint); changed
    numbers and names are bold.
    """
    runs = list(word_diff(focus_text, text))
    out: list[str] = []
    ins = f"background-color:{theme.inserted_bg}; text-decoration:underline;"
    dele = (
        f"background-color:{theme.deleted_bg}; color:{theme.deleted_fg};"
        " text-decoration:line-through;"
    )
    chg = f"background-color:{theme.changed_bg}; text-decoration:underline;"
    i = 0
    while i < len(runs):
        op, chunk = runs[i]
        nxt = runs[i + 1] if i + 1 < len(runs) else None
        if op == 0:
            out.append(html.escape(chunk))
        elif op == -1 and nxt is not None and nxt[0] == 1:
            out.append(_marked(chunk, dele, True))
            out.append(_marked(nxt[1], chg, True))
            i += 1
        elif op == -1:
            if chunk.strip():
                out.append(_marked(chunk, dele, True))
        else:
            out.append(_marked(chunk, ins, True))
        i += 1
    return "".join(out)


def plain_html(text: str) -> str:
    return html.escape(text)
