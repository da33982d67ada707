"""The stable JSON form of an aligned article set (schema version 1).

The schema is documented in README.md. Version 1 never changes shape: new
information may only arrive as optional extra keys that older readers ignore.
Output is deterministic: the same article set always gives the same dict, with
scores rounded to four decimals.
"""

from __future__ import annotations

import json
import re
from typing import Any

from factdesk.core.model import (
    Anchor,
    ArticleSet,
    Corrections,
    Derivation,
    Document,
    Fact,
    Group,
    Link,
    LoadError,
    Paragraph,
    Passage,
)
from factdesk.core.stats import paragraph_links
from factdesk.core.wire import META_KEYS

VERSION = 1
SCORE_DECIMALS = 4

_STR = {"type": "string"}
_INT = {"type": "integer", "minimum": 0}
_NUM = {"type": "number"}
_STR_LIST = {"type": "array", "items": _STR}

#: JSON Schema (draft 2020-12 vocabulary) of version 1. Keys beyond the required ones are allowed.
SCHEMA_V1: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "FactDesk article set, version 1",
    "type": "object",
    "required": ["version", "documents", "passages", "links", "groups", "derivation", "errors"],
    "properties": {
        "version": {"const": VERSION},
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "required": [
                    "id",
                    "path",
                    "name",
                    "title",
                    "date",
                    "byline",
                    "encoding",
                    "text",
                    "errors",
                ],
                "properties": {
                    "id": _STR,
                    "path": _STR,
                    "name": _STR,
                    "title": _STR,
                    "date": _STR,
                    "byline": _STR,
                    "encoding": _STR,
                    "text": _STR,
                    "errors": _STR_LIST,
                    "site": _STR,
                    "sha256": _STR,
                    "format": _STR,
                    "wire": {"type": "object", "properties": {k: _STR for k in META_KEYS}},
                },
            },
        },
        "passages": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "doc", "kind", "paragraph", "start", "end", "boilerplate"],
                "properties": {
                    "id": _STR,
                    "doc": _STR,
                    "kind": {"const": "sentence"},
                    "paragraph": _INT,
                    "start": _INT,
                    "end": _INT,
                    "boilerplate": {"type": "boolean"},
                    "boilerplate_reason": _STR,
                },
            },
        },
        "links": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["a", "b", "score", "relation"],
                "properties": {
                    "a": _STR,
                    "b": _STR,
                    "score": _NUM,
                    "relation": {"enum": ["same", "related"]},
                    "source": {"enum": ["auto", "editor"]},
                    "spans": {
                        "type": "array",
                        "minItems": 2,
                        "maxItems": 2,
                        "items": {
                            "type": "array",
                            "minItems": 2,
                            "maxItems": 2,
                            "items": {"type": "integer"},
                        },
                    },
                },
            },
        },
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "passages"],
                "properties": {"id": _STR, "passages": _STR_LIST},
            },
        },
        "derivation": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["source", "derived", "share", "score"],
                "properties": {
                    "source": _STR,
                    "derived": _STR,
                    "share": _NUM,
                    "score": _NUM,
                    "direction": {"enum": ["known", "unknown"]},
                },
            },
        },
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["path", "message"],
                "properties": {"path": _STR, "message": _STR},
            },
        },
        "notes": _STR_LIST,
        "paragraphs": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id", "doc", "index", "start", "end"],
                "properties": {
                    "id": _STR,
                    "doc": _STR,
                    "index": _INT,
                    "start": _INT,
                    "end": _INT,
                },
            },
        },
        "corrections": {"type": "object"},
        "facts": {"type": "array", "items": {"type": "object"}},
    },
}


class SchemaError(ValueError):
    """The JSON does not follow FactDesk's schema."""


def _round(value: float) -> float:
    return round(float(value), SCORE_DECIMALS)


def dumps(data: dict[str, Any], *, ensure_ascii: bool = False) -> str:
    """JSON text with one top-level key, or one element of a top-level list, per line.

    As readable and diffable as an indented dump, and written by the json module's C
    encoder: a fully indented dump of a 2,000-document set spends seconds in pure Python.
    """

    def one(value: object) -> str:
        return json.dumps(value, ensure_ascii=ensure_ascii)

    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value:
            items = ",\n    ".join(one(item) for item in value)
            lines.append(f"  {one(key)}: [\n    {items}\n  ]")
        else:
            lines.append(f"  {one(key)}: {one(value)}")
    return "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"


def to_json(article_set: ArticleSet) -> dict[str, Any]:
    """Turn an article set into schema version 1 (plain dicts and lists, ready for ``json.dumps``).

    Optional extras: ``paragraphs``, ``paragraph_links`` and ``notes`` always; ``corrections`` and ``facts``
    only when the set has any, so a freshly aligned set gives exactly the core keys plus those two.
    A document of wire copy also carries ``wire``, its slug metadata.
    """
    out: dict[str, Any] = {
        "version": VERSION,
        "documents": [_document_to_json(doc) for doc in article_set.documents],
        "passages": [
            {
                "id": p.id,
                "doc": p.doc,
                "kind": p.kind,
                "paragraph": p.paragraph,
                "start": p.start,
                "end": p.end,
                "boilerplate": p.boilerplate,
                "boilerplate_reason": p.boilerplate_reason,
            }
            for p in article_set.passages
        ],
        "links": [
            {
                "a": link.a,
                "b": link.b,
                "score": _round(link.score),
                "relation": link.relation,
                "source": link.source,
                **({"spans": [list(link.spans[0]), list(link.spans[1])]} if link.spans else {}),
            }
            for link in article_set.links
        ],
        "groups": [{"id": g.id, "passages": list(g.passages)} for g in article_set.groups],
        "derivation": [
            {
                "source": d.source,
                "derived": d.derived,
                "share": _round(d.share),
                "score": _round(d.score),
                **({"direction": d.direction} if d.direction != "known" else {}),
            }
            for d in article_set.derivation
        ],
        "errors": [{"path": e.path, "message": e.message} for e in article_set.errors],
        "paragraphs": [
            {"id": p.id, "doc": p.doc, "index": p.index, "start": p.start, "end": p.end}
            for p in article_set.paragraphs
        ],
        "paragraph_links": [
            {
                "a": pl.a,
                "b": pl.b,
                "score": _round(pl.score),
                "relation": pl.relation,
                "sentences": pl.sentences,
            }
            for pl in paragraph_links(article_set)
        ],
        "notes": list(article_set.notes),
    }
    corrections = article_set.corrections
    if corrections.forced_links or corrections.forbidden_links or corrections.boilerplate:
        out["corrections"] = {
            "forced_links": [[a, b] for a, b in corrections.forced_links],
            "forbidden_links": [[a, b] for a, b in corrections.forbidden_links],
            "boilerplate": dict(sorted(corrections.boilerplate.items())),
        }
    if article_set.facts:
        out["facts"] = [fact_to_json(f) for f in article_set.facts]
    return out


def _document_to_json(doc: Document) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": doc.id,
        "path": doc.path,
        "name": doc.name,
        "title": doc.title,
        "date": doc.date,
        "byline": doc.byline,
        "encoding": doc.encoding,
        "text": doc.text,
        "errors": list(doc.errors),
        "site": doc.site,
        "sha256": doc.sha256,
        "format": doc.format,
    }
    if doc.wire:  # only wire copy has slug metadata
        out["wire"] = dict(doc.wire)
    return out


def fact_to_json(fact: Fact) -> dict[str, Any]:
    """One fact with its anchors as a plain dict (the ``facts`` extra of schema version 1)."""
    return {
        "id": fact.id,
        "statement": fact.statement,
        "origin": fact.origin,
        "status": fact.status,
        "note": fact.note,
        "tags": list(fact.tags),
        "created": fact.created,
        "modified": fact.modified,
        "anchors": [
            {
                "doc": a.doc,
                "start": a.start,
                "end": a.end,
                "exact": a.exact,
                "prefix": a.prefix,
                "suffix": a.suffix,
                "passage": a.passage,
                "confirmed": a.confirmed,
                "orphaned": a.orphaned,
            }
            for a in fact.anchors
        ],
    }


def fact_from_json(d: dict[str, Any]) -> Fact:
    return Fact(
        id=str(d["id"]),
        statement=str(d.get("statement", "")),
        origin=str(d.get("origin", "")),
        status=str(d.get("status", "unreviewed")),
        note=str(d.get("note", "")),
        tags=[str(t) for t in d.get("tags", [])],
        created=str(d.get("created", "")),
        modified=str(d.get("modified", "")),
        anchors=[
            Anchor(
                doc=str(a["doc"]),
                start=int(a["start"]),
                end=int(a["end"]),
                exact=str(a.get("exact", "")),
                prefix=str(a.get("prefix", "")),
                suffix=str(a.get("suffix", "")),
                passage=str(a.get("passage", "")),
                confirmed=bool(a.get("confirmed", False)),
                orphaned=bool(a.get("orphaned", False)),
            )
            for a in d.get("anchors", [])
        ],
    )


_INDEX_RE = re.compile(r"\.[sp](\d+)$")


def _index_from_id(item_id: str, fallback: int) -> int:
    match = _INDEX_RE.search(item_id)
    return int(match.group(1)) if match else fallback


def _spans(value: Any) -> tuple[tuple[int, int], tuple[int, int]] | None:
    if not value:
        return None
    (a0, a1), (b0, b1) = value
    return ((int(a0), int(a1)), (int(b0), int(b1)))


def from_json(d: dict[str, Any]) -> ArticleSet:
    """Rebuild an article set from schema version 1; raises ``SchemaError`` on malformed input."""
    problems = validate(d)
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise SchemaError(f"not a FactDesk article set (version 1): {shown}{more}")

    documents = [
        Document(
            id=doc["id"],
            path=doc["path"],
            name=doc["name"],
            text=doc["text"],
            sha256=doc.get("sha256", ""),
            encoding=doc["encoding"],
            format=doc.get("format", "txt"),
            title=doc["title"],
            date=doc["date"],
            byline=doc["byline"],
            site=doc.get("site", ""),
            errors=list(doc["errors"]),
            wire={str(k): str(v) for k, v in (doc.get("wire") or {}).items()},
        )
        for doc in d["documents"]
    ]
    seen_per_doc: dict[str, int] = {}
    passages = []
    for p in d["passages"]:
        position = seen_per_doc.get(p["doc"], 0)
        seen_per_doc[p["doc"]] = position + 1
        passages.append(
            Passage(
                id=p["id"],
                doc=p["doc"],
                index=_index_from_id(p["id"], position),
                paragraph=p["paragraph"],
                start=p["start"],
                end=p["end"],
                boilerplate=p["boilerplate"],
                boilerplate_reason=p.get("boilerplate_reason", ""),
                kind=p["kind"],
            )
        )
    raw_corrections = d.get("corrections") or {}
    corrections = Corrections(
        forced_links=[(str(a), str(b)) for a, b in raw_corrections.get("forced_links", [])],
        forbidden_links=[(str(a), str(b)) for a, b in raw_corrections.get("forbidden_links", [])],
        boilerplate={str(k): bool(v) for k, v in raw_corrections.get("boilerplate", {}).items()},
    )
    return ArticleSet(
        documents=documents,
        paragraphs=[
            Paragraph(id=p["id"], doc=p["doc"], index=p["index"], start=p["start"], end=p["end"])
            for p in d.get("paragraphs", [])
        ],
        passages=passages,
        links=[
            Link(
                a=link["a"],
                b=link["b"],
                score=float(link["score"]),
                relation=link["relation"],
                source=link.get("source", "auto"),
                spans=_spans(link.get("spans")),
            )
            for link in d["links"]
        ],
        groups=[Group(id=g["id"], passages=list(g["passages"])) for g in d["groups"]],
        derivation=[
            Derivation(
                source=x["source"],
                derived=x["derived"],
                share=float(x["share"]),
                score=float(x["score"]),
                direction=str(x.get("direction", "known")),
            )
            for x in d["derivation"]
        ],
        errors=[LoadError(path=e["path"], message=e["message"]) for e in d["errors"]],
        notes=list(d.get("notes", [])),
        corrections=corrections,
        facts=[fact_from_json(f) for f in d.get("facts", [])],
    )


# A small checker for the subset of JSON Schema that SCHEMA_V1 uses (type, const, enum,
# required, properties, items, minimum), so reading JSON needs no extra dependency.
_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
}


def validate(data: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """List where ``data`` breaks ``schema`` (``SCHEMA_V1`` by default); empty when valid."""
    problems: list[str] = []
    _check(data, SCHEMA_V1 if schema is None else schema, "$", problems)
    return problems


def _check(value: Any, schema: dict[str, Any], where: str, problems: list[str]) -> None:
    if "const" in schema and value != schema["const"]:
        problems.append(f"{where} must be {schema['const']!r}")
        return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where} must be one of {schema['enum']!r}")
        return
    kind = schema.get("type")
    if kind is not None:
        wanted = _TYPES[kind]
        # bool is an int in Python but not a JSON number
        if not isinstance(value, wanted) or (kind != "boolean" and isinstance(value, bool)):
            problems.append(f"{where} must be of type {kind}")
            return
    if "minimum" in schema and value < schema["minimum"]:
        problems.append(f"{where} must be >= {schema['minimum']}")
    if isinstance(value, dict):
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where} lacks {key!r}")
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                _check(value[key], sub, f"{where}.{key}", problems)
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            _check(item, schema["items"], f"{where}[{i}]", problems)
