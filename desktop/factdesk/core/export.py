"""Export reviewed facts and where they come from.

Formats: ``csv`` (one row per fact and supporting passage, spreadsheet formulas
neutralised), ``json`` (everything, schema in docs/export-json.md), ``md`` and
``html`` (a fact-review report rendered from Jinja2 templates in ``resources/``; the
HTML is self-contained, runs no script and loads nothing), ``annotations`` (W3C Web
Annotation JSON-LD) and ``claimreview`` (schema.org ClaimReview JSON-LD for facts
with a verdict).
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from factdesk.core import jsonio, views
from factdesk.core.analysis import Analysis, analyse
from factdesk.core.bundled import resource_path
from factdesk.core.conflicts import Conflict, conflicts_for_fact
from factdesk.core.facts import now_iso
from factdesk.core.files import check_write_target, describe_os_error, write_atomic
from factdesk.core.model import (
    EXPORT_FORMATS,
    STATUS_LABELS,
    ArticleSet,
    Derivation,
    Fact,
    Link,
)
from factdesk.core.textfix import repair

FORMATS = EXPORT_FORMATS
EXPORT_VERSION = 1
DEFAULT_AUTHOR = "FactDesk user"

CSV_COLUMNS = (
    "fact_id",
    "statement",
    "status",
    "note",
    "tags",
    "origin_version",
    "version",
    "passage_text",
    "start",
    "end",
    "relation",
    "score",
    "confirmed",
    "orphaned",
)

#: Verdict -> (ratingValue on a 1..5 scale, alternateName) for ClaimReview.
VERDICTS = {
    "confirmed": (5, "True"),
    "disputed": (3, "Disputed"),
    "wrong": (1, "False"),
}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

_STR = {"type": "string"}
_INT = {"type": "integer", "minimum": 0}
_NUM = {"type": "number"}
_STR_LIST = {"type": "array", "items": _STR}
_MENTION = {"type": "array", "items": {"type": "array"}}

#: JSON Schema of the ``json`` export (checked by ``jsonio.validate``; documented in
#: docs/export-json.md). ``article_set`` follows the article-set schema of ``jsonio``.
EXPORT_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "FactDesk export, version 1",
    "type": "object",
    "required": [
        "format",
        "version",
        "exported",
        "article_set",
        "facts",
        "conflicts",
        "suggestions",
    ],
    "properties": {
        "format": {"const": "factdesk-export"},
        "version": {"const": EXPORT_VERSION},
        "exported": _STR,
        "article_set": {"type": "object", "required": ["version", "documents", "passages"]},
        "facts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "statement", "status", "origin", "note", "tags", "anchors"],
                "properties": {
                    "id": _STR,
                    "statement": _STR,
                    "status": {"enum": list(STATUS_LABELS)},
                    "origin": _STR,
                    "note": _STR,
                    "tags": _STR_LIST,
                    "created": _STR,
                    "modified": _STR,
                    "conflicts": {"type": "array", "items": _INT},
                    "anchors": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["doc", "start", "end", "exact", "confirmed", "orphaned"],
                            "properties": {
                                "doc": _STR,
                                "start": _INT,
                                "end": _INT,
                                "exact": _STR,
                                "prefix": _STR,
                                "suffix": _STR,
                                "passage": _STR,
                                "confirmed": {"type": "boolean"},
                                "orphaned": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
        },
        "conflicts": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "group", "docs", "words", "message", "passages"],
                "properties": {
                    "kind": {
                        "enum": [
                            "number",
                            "date",
                            "name",
                            "quote",
                            "attribution",
                            "insertion",
                            "variant",
                        ]
                    },
                    "group": _STR,
                    "docs": _STR_LIST,
                    "words": {"type": "object"},
                    "message": _STR,
                    "passages": _STR_LIST,
                },
            },
        },
        "suggestions": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "key", "label", "group", "by_doc", "variants"],
                "properties": {
                    "kind": {"enum": ["number", "date", "quote", "entity", "attribution"]},
                    "key": _STR,
                    "label": _STR,
                    "group": _STR,
                    "by_doc": {"type": "object"},
                    "variants": _STR_LIST,
                    "detail": {"type": "object"},
                },
            },
        },
        "coverage": {"type": "array", "items": {"type": "object"}},
    },
}

#: Characters that make a spreadsheet read a cell as a formula (full-width forms included).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: formula starters get a leading quote.

    Leading spaces are looked through, since some spreadsheets trim them before
    deciding whether a cell is a formula.
    """
    text = "" if value is None else str(value)
    if text.lstrip(" \u00a0").startswith(_FORMULA_START):
        return "'" + text
    return text


class ExportError(ValueError):
    """An export that cannot be made (an unknown format, a file that cannot be written)."""


class ExportWriteError(ExportError):
    """The file system refused the export (full disk, read-only, no permission)."""


def export(
    article_set: ArticleSet,
    fmt: str,
    *,
    author: str = DEFAULT_AUTHOR,
    include_variants: bool = True,
    analysis: Analysis | None = None,
) -> str:
    """The article set's facts in format ``fmt`` (one of ``FORMATS``) as text.

    Pass the set's ``analysis`` when it is known already (the window and the session
    keep it); otherwise it is worked out once, for the formats that need it.
    """
    writers: dict[str, Callable[[ArticleSet, _Context], str]] = {
        "csv": _to_csv,
        "json": _to_json,
        "md": _to_markdown,
        "html": _to_html,
        "annotations": _to_annotations,
        "claimreview": _to_claimreview,
    }
    if fmt not in writers:
        raise ExportError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    context = _Context(
        article_set, author=author, include_variants=include_variants, analysis=analysis
    )
    return writers[fmt](article_set, context)


def export_to_file(
    article_set: ArticleSet,
    fmt: str,
    path: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    analysis: Analysis | None = None,
    inputs: Iterable[str | Path] = (),
    overwrite: bool = False,
) -> Path:
    """Write an export all at once or not at all, and return the path written.

    ``inputs`` are the files the set was read from (a project, say); they, the set's own
    documents, projects and other databases are never overwritten, and an existing file
    only with ``overwrite`` (see ``files.check_write_target``). Raises
    ``files.TargetError``, or ``ExportWriteError`` when the file system refuses (the old
    file then stays).
    """
    sources = [*inputs, *(d.path for d in article_set.documents if d.path)]
    target = check_write_target(path, inputs=sources, overwrite=overwrite)
    data = export(article_set, fmt, author=author, analysis=analysis)
    try:
        write_atomic(target, data, newline="" if fmt == "csv" else None)
    except OSError as exc:
        raise ExportWriteError(
            f"{Path(path)}: cannot write the export ({describe_os_error(exc, target)}); "
            "nothing was changed"
        ) from exc
    return target


# ---------------------------------------------------------------------------------------------


class _Context:
    """Things several formats need, computed once per export."""

    def __init__(
        self,
        article_set: ArticleSet,
        *,
        author: str,
        include_variants: bool,
        analysis: Analysis | None,
    ) -> None:
        self.article_set = article_set
        self.author = author
        self.include_variants = include_variants
        self._analysis = analysis
        self.passages = {p.id: p for p in article_set.passages}
        self.links: dict[frozenset[str], Link] = {}
        for link in article_set.links:
            self.links[frozenset((link.a, link.b))] = link

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = analyse(self.article_set)
        return self._analysis

    @property
    def conflicts(self) -> list[Conflict]:
        if self.include_variants:
            return self.analysis.conflicts
        return self.analysis.real_conflicts()

    def doc_name(self, doc_id: str) -> str:
        try:
            doc = self.article_set.document(doc_id)
        except KeyError:
            return doc_id
        return doc.name or doc.id

    def origin_passage(self, fact: Fact) -> str:
        for anchor in fact.anchors:
            if anchor.doc == fact.origin and anchor.passage and not anchor.orphaned:
                return anchor.passage
        return ""

    def link_between(self, a: str, b: str) -> Link | None:
        if not a or not b or a == b:
            return None
        return self.links.get(frozenset((a, b)))


def _to_csv(article_set: ArticleSet, ctx: _Context) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for fact in article_set.facts:
        origin_pid = ctx.origin_passage(fact)
        base = [
            fact.id,
            fact.statement,
            fact.status,
            fact.note,
            "; ".join(fact.tags),
            ctx.doc_name(fact.origin) if fact.origin else "",
        ]
        if not fact.anchors:
            writer.writerow([neutralise_cell(v) for v in [*base, "", "", "", "", "", "", "", ""]])
            continue
        for anchor in fact.anchors:
            link = ctx.link_between(origin_pid, anchor.passage)
            row = [
                *base,
                ctx.doc_name(anchor.doc),
                anchor.exact,
                anchor.start,
                anchor.end,
                link.relation if link else "",
                f"{link.score:.4f}" if link else "",
                "yes" if anchor.confirmed else "no",
                "yes" if anchor.orphaned else "no",
            ]
            writer.writerow([neutralise_cell(v) for v in row])
    return out.getvalue()


def _conflict_json(c: Conflict) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "group": c.group_id,
        "docs": list(c.docs),
        "words": dict(c.words),
        "message": c.message,
        "passages": list(c.passages),
    }


def _to_json(article_set: ArticleSet, ctx: _Context) -> str:
    conflicts = ctx.conflicts
    position = {id(c): i for i, c in enumerate(conflicts)}
    facts = []
    for fact in article_set.facts:
        item = jsonio.fact_to_json(fact)
        item["conflicts"] = [
            position[id(c)] for c in conflicts_for_fact(article_set, fact, conflicts)
        ]
        facts.append(item)
    suggestions = [
        {
            "kind": s.kind,
            "key": s.key,
            "label": s.label,
            "group": s.group,
            "by_doc": {
                doc: [
                    {"passage": pid, "start": start, "end": end, "surface": surface}
                    for pid, start, end, surface in mentions
                ]
                for doc, mentions in s.by_doc.items()
            },
            "variants": list(s.variants),
            "detail": dict(s.detail),
        }
        for s in ctx.analysis.suggestions
    ]
    data = {
        "format": "factdesk-export",
        "version": EXPORT_VERSION,
        "exported": now_iso(),
        "article_set": jsonio.to_json(article_set),
        "facts": facts,
        "conflicts": [_conflict_json(c) for c in conflicts],
        "suggestions": suggestions,
        "coverage": [
            {"doc": row["doc"], "shares": {k: v for k, v in row["shares"].items()}}
            for row in _coverage(article_set)
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Report data shared by the Markdown and HTML templates


def _coverage(article_set: ArticleSet) -> list[dict[str, Any]]:
    """For each version, the share of its (non-boilerplate) text found in each other version."""
    matrix = views.share_matrix(article_set)
    return [
        {
            "doc": doc.id,
            "shares": {
                other.id: round(matrix[(doc.id, other.id)], 4)
                for other in article_set.documents
                if other.id != doc.id
            },
        }
        for doc in article_set.documents
    ]


def _display(text: str) -> str:
    return " ".join(repair(text).split())


def _inline(text: str) -> str:
    """Repaired text with runs of whitespace made one space, edges kept (for context)."""
    return re.sub(r"\s+", " ", repair(text))


def _report_data(article_set: ArticleSet, ctx: _Context) -> dict[str, Any]:
    docs = [
        {
            "id": d.id,
            "name": d.name or d.id,
            "title": _display(d.title),
            "date": d.date,
            "site": d.site,
            "encoding": d.encoding,
            "words": len(d.text.split()),
        }
        for d in article_set.documents
    ]
    conflicts = ctx.conflicts
    facts = []
    counts = {status: 0 for status in STATUS_LABELS}
    for fact in article_set.facts:
        counts[fact.status] = counts.get(fact.status, 0) + 1
        by_doc: dict[str, list[dict[str, Any]]] = {}
        for anchor in fact.anchors:
            by_doc.setdefault(anchor.doc, []).append(
                {
                    "prefix": _inline(anchor.prefix)[-40:],
                    "exact": _inline(anchor.exact),
                    "suffix": _inline(anchor.suffix)[:40],
                    "confirmed": anchor.confirmed,
                    "orphaned": anchor.orphaned,
                    "start": anchor.start,
                    "end": anchor.end,
                }
            )
        facts.append(
            {
                "id": fact.id,
                "statement": fact.statement,
                "status": fact.status,
                "status_label": STATUS_LABELS.get(fact.status, fact.status),
                "note": fact.note,
                "tags": list(fact.tags),
                "origin": ctx.doc_name(fact.origin) if fact.origin else "",
                "modified": fact.modified,
                "versions": [
                    {"doc": d, "name": ctx.doc_name(d), "quotes": quotes}
                    for d, quotes in by_doc.items()
                ],
                "conflicts": [
                    {"kind": c.kind, "message": c.message}
                    for c in conflicts_for_fact(article_set, fact, conflicts)
                ],
            }
        )
    coverage = _coverage(article_set)
    matrix = [
        {
            "doc": row["doc"],
            "name": ctx.doc_name(row["doc"]),
            "cells": [
                {"other": d.id, "share": row["shares"].get(d.id)} for d in article_set.documents
            ],
        }
        for row in coverage
    ]
    derivation = [
        {
            "source": d.source,
            "source_name": ctx.doc_name(d.source),
            "derived": d.derived,
            "derived_name": ctx.doc_name(d.derived),
            "share": d.share,
            "score": d.score,
        }
        for d in sorted(article_set.derivation, key=lambda d: (-d.score, d.source, d.derived))
    ]
    real = [c for c in conflicts if c.is_conflict]
    return {
        "title": _report_title(article_set),
        "generated": now_iso(),
        "docs": docs,
        "facts": facts,
        "counts": counts,
        "status_labels": STATUS_LABELS,
        "matrix": matrix,
        "derivation": derivation,
        "graph": _derivation_svg(article_set, ctx),
        "conflicts": [
            {
                "kind": c.kind,
                "group": c.group_id,
                "docs": [ctx.doc_name(d) for d in c.docs],
                "message": c.message,
            }
            for c in real
        ],
        "variants": [
            {"group": c.group_id, "message": c.message} for c in conflicts if not c.is_conflict
        ],
        "csp": CSP,
    }


def _report_title(article_set: ArticleSet) -> str:
    for doc in article_set.documents:
        if doc.title.strip():
            return _display(doc.title)
    # no title: the first real sentence of the first version is usually its headline
    for passage in article_set.passages:
        if not passage.boilerplate:
            text = _display(article_set.passage_text(passage))
            return text if len(text) <= 100 else text[:99].rstrip() + "…"
    return "Untitled set"


def _esc(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


#: Derivations below this confidence are listed in the table but not drawn.
GRAPH_MIN_SCORE = 0.15


def _graph_edges(article_set: ArticleSet) -> list[Derivation]:
    """The most likely source of each derived version (one arrow each, no two-way pairs)."""
    best: dict[str, Derivation] = {}
    for d in article_set.derivation:
        if d.score < GRAPH_MIN_SCORE or d.source == d.derived:
            continue
        if d.derived not in best or d.score > best[d.derived].score:
            best[d.derived] = d
    edges = []
    for d in best.values():
        back = best.get(d.source)
        if back is not None and back.source == d.derived and back.score > d.score:
            continue
        edges.append(d)
    return sorted(edges, key=lambda d: (d.source, d.derived))


def _derivation_svg(article_set: ArticleSet, ctx: _Context) -> Markup:
    """An inline SVG of the derivation graph: versions on a circle, arrows source -> derived.

    Built from escaped text only; it holds no script, link or external reference.
    """
    docs = [d.id for d in article_set.documents]
    if not docs:
        return Markup("")
    width, height = 560, 360 if len(docs) > 2 else 200
    cx, cy = width / 2, height / 2
    radius = min(cx, cy) - 50
    pos: dict[str, tuple[float, float]] = {}
    for i, doc in enumerate(docs):
        angle = -math.pi / 2 + 2 * math.pi * i / len(docs)
        pos[doc] = (cx + radius * 1.6 * math.cos(angle) * 0.8, cy + radius * math.sin(angle))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Derivation graph">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" '
        'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        'fill="#4a5568"/></marker></defs>',
    ]
    node_w, node_h = 112, 34
    for d in _graph_edges(article_set):
        if d.source not in pos or d.derived not in pos:
            continue
        (x1, y1), (x2, y2) = pos[d.source], pos[d.derived]
        length = math.hypot(x2 - x1, y2 - y1) or 1.0
        ux, uy = (x2 - x1) / length, (y2 - y1) / length
        # start and stop the arrow at the edges of the node boxes
        edge = min(
            (node_w / 2) / abs(ux) if ux else math.inf,
            (node_h / 2) / abs(uy) if uy else math.inf,
        )
        sx, sy = x1 + ux * edge, y1 + uy * edge
        ex, ey = x2 - ux * (edge + 2), y2 - uy * (edge + 2)
        opacity = 0.35 + 0.65 * max(0.0, min(1.0, d.score))
        parts.append(
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#4a5568" '
            f'stroke-width="{1 + 2 * d.score:.1f}" stroke-opacity="{opacity:.2f}" '
            'marker-end="url(#arrow)"/>'
        )
        mx, my = (sx + ex) / 2, (sy + ey) / 2
        parts.append(
            f'<text x="{mx:.1f}" y="{my - 4:.1f}" font-size="11" fill="#2d3748" '
            f'text-anchor="middle">{d.share:.0%}</text>'
        )
    for doc in docs:
        x, y = pos[doc]
        name = ctx.doc_name(doc)
        short = name if len(name) <= 16 else name[:15] + "…"
        parts.append(
            f'<rect x="{x - node_w / 2:.1f}" y="{y - node_h / 2:.1f}" width="{node_w}" '
            f'height="{node_h}" rx="6" fill="#ebf4ff" stroke="#2b6cb0"/>'
            f'<text x="{x:.1f}" y="{y - 2:.1f}" font-size="12" font-weight="600" fill="#1a365d" '
            f'text-anchor="middle">{_esc(doc)}</text>'
            f'<text x="{x:.1f}" y="{y + 11:.1f}" font-size="10" fill="#2d3748" '
            f'text-anchor="middle">{_esc(short)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _template_env(autoescape: bool) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(str(resource_path("")))
    env = jinja2.Environment(
        loader=loader,
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["pct"] = lambda v: "–" if v is None else f"{float(v):.0%}"
    return env


def _to_html(article_set: ArticleSet, ctx: _Context) -> str:
    template = _template_env(autoescape=True).get_template("report.html.j2")
    return template.render(**_report_data(article_set, ctx))


_MD_SPECIAL = re.compile(r"([\\`*_\[\]()#|~!])")
_MD_LINE_START = re.compile(r"^([-+>]|\d+(?=[.)]))")


def markdown_escape(value: object) -> str:
    """Text that Markdown shows literally: markup characters escaped, HTML as entities."""
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return _MD_LINE_START.sub(r"\\\1", text)


def _to_markdown(article_set: ArticleSet, ctx: _Context) -> str:
    template = _template_env(autoescape=False).get_template("report.md.j2")
    return template.render(**_report_data(article_set, ctx))


# ---------------------------------------------------------------------------------------------
# W3C Web Annotation and ClaimReview


def _to_annotations(article_set: ArticleSet, ctx: _Context) -> str:
    items = []
    for fact in article_set.facts:
        for i, anchor in enumerate(fact.anchors):
            try:
                doc = article_set.document(anchor.doc)
                source = doc.path or doc.name or doc.id
            except KeyError:
                source = anchor.doc
            bodies: list[dict[str, Any]] = [
                {"type": "TextualBody", "purpose": "describing", "value": fact.statement},
                {"type": "TextualBody", "purpose": "assessing", "value": fact.status},
            ]
            if fact.note:
                bodies.append({"type": "TextualBody", "purpose": "commenting", "value": fact.note})
            bodies.extend(
                {"type": "TextualBody", "purpose": "tagging", "value": t} for t in fact.tags
            )
            selectors: list[dict[str, Any]] = [
                {
                    "type": "TextQuoteSelector",
                    "exact": anchor.exact,
                    "prefix": anchor.prefix,
                    "suffix": anchor.suffix,
                }
            ]
            if not anchor.orphaned:
                selectors.append(
                    {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end}
                )
            item: dict[str, Any] = {
                "@context": "http://www.w3.org/ns/anno.jsonld",
                "id": f"urn:factdesk:{fact.id}:{i}",
                "type": "Annotation",
                "motivation": "assessing",
                "body": bodies,
                "target": {"source": source, "selector": selectors},
            }
            if fact.created:
                item["created"] = fact.created
            if fact.modified:
                item["modified"] = fact.modified
            items.append(item)
    collection = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:factdesk:annotations",
        "type": "AnnotationCollection",
        "label": _report_title(article_set),
        "total": len(items),
        "first": {"type": "AnnotationPage", "startIndex": 0, "items": items},
    }
    return json.dumps(collection, ensure_ascii=False, indent=2) + "\n"


def _to_claimreview(article_set: ArticleSet, ctx: _Context) -> str:
    reviews = []
    for fact in article_set.facts:
        if fact.status not in VERDICTS:
            continue
        value, name = VERDICTS[fact.status]
        appearances = []
        seen: set[str] = set()
        for anchor in fact.anchors:
            if anchor.doc in seen or anchor.orphaned:
                continue
            seen.add(anchor.doc)
            try:
                doc = article_set.document(anchor.doc)
            except KeyError:
                continue
            work: dict[str, Any] = {"@type": "CreativeWork", "name": doc.name or doc.id}
            if doc.title:
                work["headline"] = _display(doc.title)
            if doc.site:
                work["publisher"] = {"@type": "Organization", "name": doc.site}
            if doc.date:
                work["datePublished"] = doc.date
            if re.match(r"https?://", doc.path):
                work["url"] = doc.path
            appearances.append(work)
        claim: dict[str, Any] = {"@type": "Claim", "appearance": appearances}
        if fact.origin:
            first = next((a for a in appearances if a["name"] == ctx.doc_name(fact.origin)), None)
            if first is not None:
                claim["firstAppearance"] = first
        published = (fact.modified or fact.created or now_iso())[:10]
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "claimReviewed": fact.statement,
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": value,
                "bestRating": 5,
                "worstRating": 1,
                "alternateName": name,
            },
            "itemReviewed": claim,
            "author": {"@type": "Organization", "name": ctx.author},
            "datePublished": published,
        }
        if fact.note:
            review["reviewBody"] = fact.note
        reviews.append(review)
    return json.dumps(reviews, ensure_ascii=False, indent=2) + "\n"
