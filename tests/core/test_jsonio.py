"""Schema version 1: shape, determinism, rounding and the round trip."""

from __future__ import annotations

import copy
import json

import pytest

from factdesk.core import jsonio
from factdesk.core.model import ArticleSet, Link

CORE_KEYS = {"version", "documents", "passages", "links", "groups", "derivation", "errors"}


def test_output_follows_schema_v1(tiny_set: ArticleSet) -> None:
    data = jsonio.to_json(tiny_set)
    assert jsonio.validate(data) == []
    assert data["version"] == 1
    assert set(data) >= CORE_KEYS
    doc = data["documents"][1]
    assert {"id", "path", "name", "title", "date", "byline", "encoding", "text", "errors"} <= set(
        doc
    )
    assert doc["encoding"] == "cp1252"
    assert data["passages"][2]["boilerplate"] is True
    assert data["passages"][2]["kind"] == "sentence"
    assert data["links"][0] == {
        "a": "d0.s0",
        "b": "d1.s0",
        "score": 0.8125,
        "relation": "same",
        "source": "auto",
    }
    assert data["groups"][1] == {"id": "g1", "passages": ["d0.s1", "d1.s1"]}
    assert data["derivation"] == [{"source": "d0", "derived": "d1", "share": 0.75, "score": 0.5}]
    assert data["errors"] == [
        {"path": "/news/broken.pdf", "message": "PDF files are not supported"}
    ]


def test_output_is_plain_json_and_deterministic(tiny_set: ArticleSet) -> None:
    first = json.dumps(jsonio.to_json(tiny_set), ensure_ascii=False)
    second = json.dumps(jsonio.to_json(copy.deepcopy(tiny_set)), ensure_ascii=False)
    assert first == second
    assert json.loads(first) == jsonio.to_json(tiny_set)


def test_scores_are_rounded_to_four_decimals(tiny_set: ArticleSet) -> None:
    tiny_set.links[0] = Link("d0.s0", "d1.s0", 0.123456789, "same")
    tiny_set.derivation[0].share = 2 / 3
    data = jsonio.to_json(tiny_set)
    assert data["links"][0]["score"] == 0.1235
    assert data["derivation"][0]["share"] == 0.6667


def test_fresh_alignment_has_no_fact_or_correction_keys(tiny_set: ArticleSet) -> None:
    tiny_set.facts = []
    tiny_set.corrections.forced_links.clear()
    tiny_set.corrections.forbidden_links.clear()
    tiny_set.corrections.boilerplate.clear()
    data = jsonio.to_json(tiny_set)
    assert "facts" not in data
    assert "corrections" not in data


def test_round_trip_restores_the_whole_article_set(tiny_set: ArticleSet) -> None:
    data = json.loads(json.dumps(jsonio.to_json(tiny_set)))
    assert jsonio.from_json(data) == tiny_set


def test_round_trip_without_optional_extras_keeps_passage_indexes(tiny_set: ArticleSet) -> None:
    data = jsonio.to_json(tiny_set)
    for key in ("paragraphs", "notes", "facts", "corrections"):
        data.pop(key)
    for passage in data["passages"]:
        passage.pop("boilerplate_reason")
    restored = jsonio.from_json(data)
    assert [p.index for p in restored.passages] == [p.index for p in tiny_set.passages]
    assert restored.links == tiny_set.links
    assert restored.facts == []


def test_from_json_names_what_is_wrong(tiny_set: ArticleSet) -> None:
    data = jsonio.to_json(tiny_set)
    data["links"][1]["relation"] = "similar"
    del data["documents"][0]["text"]
    with pytest.raises(jsonio.SchemaError) as info:
        jsonio.from_json(data)
    message = str(info.value)
    assert "$.links[1].relation" in message
    assert "$.documents[0]" in message and "'text'" in message


def test_from_json_rejects_other_versions(tiny_set: ArticleSet) -> None:
    data = jsonio.to_json(tiny_set)
    data["version"] = 2
    with pytest.raises(jsonio.SchemaError, match=r"\$\.version"):
        jsonio.from_json(data)


@pytest.mark.parametrize(
    ("value", "schema", "ok"),
    [
        (True, {"type": "integer"}, False),
        (3, {"type": "number"}, True),
        (-1, {"type": "integer", "minimum": 0}, False),
        ({"a": 1}, {"type": "object", "required": ["a", "b"]}, False),
        ([1, "x"], {"type": "array", "items": {"type": "integer"}}, False),
        ("same", {"enum": ["same", "related"]}, True),
    ],
)
def test_validator_checks_the_schema_keywords_it_supports(
    value: object, schema: dict[str, object], ok: bool
) -> None:
    assert (jsonio.validate(value, schema) == []) is ok


def test_sample_set_output_validates(sample_set: ArticleSet) -> None:
    data = jsonio.to_json(sample_set)
    assert jsonio.validate(data) == []
    ids = {p["id"] for p in data["passages"]}
    docs = {d["id"] for d in data["documents"]}
    assert data["documents"], "the sample loads"
    assert all(link["a"] in ids and link["b"] in ids for link in data["links"])
    assert all(p in ids for g in data["groups"] for p in g["passages"])
    assert all(d["source"] in docs and d["derived"] in docs for d in data["derivation"])
    assert json.dumps(data, sort_keys=False) == json.dumps(jsonio.to_json(sample_set))
