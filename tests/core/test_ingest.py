"""Loading article files: encodings, formats, metadata and readable errors."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factdesk.core import ingest, wire
from factdesk.core.ingest import IngestError, decode_text, extract_header, load_file, load_paths
from factdesk.core.model import Cancelled, CancelToken, Document, Passage
from factdesk.core.segment import segment_document
from factdesk.core.textfix import repair, repair_with_map

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

BODY = (
    "Officials said on Friday that the “worst” of the storm had passed.\n"
    "Crews worked through the night – clearing roads in Zürich and São Paulo.\n"
    "The mayor’s office promised aid… and €5 million for repairs.\n"
)


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),  # BOM in native order
        ("cp1252", "cp1252"),
    ],
)
def test_text_file_decodes_in_common_encodings(tmp_path: Path, codec: str, expected: str) -> None:
    path = write(tmp_path / "story.txt", BODY.encode(codec))
    doc = load_file(path, "d0")
    assert doc.text == BODY
    assert doc.encoding == expected
    assert doc.format == "txt"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_explicit_bom_in_either_byte_order_decodes(tmp_path: Path, codec: str) -> None:
    path = write(tmp_path / "story.txt", "\ufeff".encode(codec) + BODY.encode(codec))
    doc = load_file(path, "d0")
    assert doc.text == BODY
    assert doc.encoding == "utf-16"


def test_utf16_without_bom_is_recognised_from_its_zero_bytes(tmp_path: Path) -> None:
    path = write(tmp_path / "story.txt", BODY.encode("utf-16-le"))
    doc = load_file(path, "d0")
    assert doc.text == BODY
    assert doc.encoding == "utf-16-le"


def test_windows_1252_curly_quotes_decode_to_the_right_characters(tmp_path: Path) -> None:
    text = "He said “we’re leaving” – and left… ‘quietly’.\n"
    doc = load_file(write(tmp_path / "q.txt", text.encode("cp1252")), "d0")
    assert doc.text == text
    assert doc.encoding == "cp1252"


@pytest.mark.parametrize(
    "text",
    [
        "Le café où il a été vu à Zürich était fermé. Çà et là, des élèves.\n",
        "Straße über München, Größe und Maß.\n",
        "El niño comió piñata en España, ¿verdad? Sí.\n",
    ],
)
def test_latin1_text_decodes_to_the_right_characters(tmp_path: Path, text: str) -> None:
    doc = load_file(write(tmp_path / "l.txt", text.encode("latin-1")), "d0")
    assert doc.text == text
    assert doc.encoding in ("latin-1", "cp1252")


@pytest.mark.parametrize(
    ("codec", "text"),
    [
        ("cp1251", "Премьер-министр Ирака заявил в пятницу, что коалиция должна уйти из страны.\n"),
        ("cp1250", "Premier Iraku powiedział w piątek, że koalicja musi opuścić kraj. Żółć.\n"),
        (
            "cp1253",
            "Ο πρωθυπουργός του Ιράκ δήλωσε την Παρασκευή ότι ο συνασπισμός πρέπει να φύγει.\n",
        ),
        (
            "gb18030",
            "伊拉克总理苏达尼周五表示，政府正在启动程序，结束国际联盟部队在伊拉克的存在。\n",
        ),
        (
            "shift_jis",
            "イラクのスーダーニー首相は金曜日、政府が国際有志連合軍の撤退に向けた手続きを開始すると述べた。\n",
        ),
    ],
)
def test_other_legacy_encodings_are_detected(tmp_path: Path, codec: str, text: str) -> None:
    doc = load_file(write(tmp_path / "story.txt", text.encode(codec)), "d0")
    assert doc.text == text


@pytest.mark.parametrize("word", ["café crème", "Zürich", "naïve", "“Hi”", "Größe"])
def test_short_western_text_is_not_mistaken_for_another_script(tmp_path: Path, word: str) -> None:
    doc = load_file(write(tmp_path / "short.txt", word.encode("cp1252")), "d0")
    assert doc.text == word


def test_utf8_with_a_few_stray_windows_bytes_still_loads_with_a_note(tmp_path: Path) -> None:
    raw = "Zürich café résumé naïve São Paulo. ".encode() + b"It\x92s late.\n"
    doc = load_file(write(tmp_path / "mixed.txt", raw), "d0")
    assert doc.text == "Zürich café résumé naïve São Paulo. It’s late.\n"
    assert doc.encoding == "utf-8"
    assert any("not valid UTF-8" in note for note in doc.errors)


@pytest.mark.parametrize("newline", ["\r\n", "\r", "\n"])
def test_line_endings_become_newlines_and_nothing_else_changes(
    tmp_path: Path, newline: str
) -> None:
    lines = ["  Indented title  ", "", "Body line with trailing space ", "\tlast"]
    path = write(tmp_path / "nl.txt", newline.join(lines).encode())
    doc = load_file(path, "d0")
    assert doc.text == "\n".join(lines)


def test_sha256_is_of_the_raw_bytes(tmp_path: Path) -> None:
    import hashlib

    raw = BODY.encode("utf-16")
    doc = load_file(write(tmp_path / "h.txt", raw), "d0")
    assert doc.sha256 == hashlib.sha256(raw).hexdigest()


_TEXT_CHARS = st.characters(blacklist_categories=("Cs", "Cc", "Cf"), blacklist_characters="\r")
_TEXT = st.lists(
    st.one_of(st.text(_TEXT_CHARS, min_size=1, max_size=20), st.sampled_from(["\r\n", "\r", "\n"])),
    max_size=30,
).map("".join)


@given(_TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be"]))
def test_unicode_round_trips_apart_from_line_endings(text: str, codec: str) -> None:
    assume(text.strip())
    raw = text.encode(codec)
    if codec == "utf-16-be":
        raw = codecs_bom_be() + raw
    decoded, _ = decode_text(raw, "x.txt")
    assert decoded == text.replace("\r\n", "\n").replace("\r", "\n")


def codecs_bom_be() -> bytes:
    import codecs

    return codecs.BOM_UTF16_BE


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=150)
@given(st.binary(max_size=400))
def test_any_bytes_load_or_fail_with_a_readable_error(tmp_path: Path, raw: bytes) -> None:
    path = tmp_path / "any.txt"
    path.write_bytes(raw)
    try:
        doc = load_file(path, "d0")
    except IngestError as exc:
        assert str(exc).startswith("any.txt: ")
    else:
        assert "\r" not in doc.text
        assert doc.text.strip()


# --------------------------------------------------------------------------- html

ARTICLE_HTML = """<!DOCTYPE html>
<html><head><meta charset="{charset}">
<title>Storm hits coast | Daily Planet</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2024-01-05T10:00:00Z">
<meta property="og:site_name" content="Daily Planet">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li>Subscribe now</li></ul></nav>
<article><h1>Storm hits coast</h1>
<p>A powerful storm struck the northern coast on Thursday, cutting power to thousands of
homes and forcing several towns to open emergency shelters.</p>
<p>Officials said the “worst” of the winds had passed by Friday morning, but warned that
flooding could continue along the rivers for days.</p>
<p>Emergency crews worked through the night to clear fallen trees from the main roads, and
the regional governor promised aid to the affected families.</p>
</article>
<footer><p>Copyright 2024 Daily Planet. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


@pytest.mark.parametrize(("charset", "codec"), [("utf-8", "utf-8"), ("windows-1252", "cp1252")])
def test_html_article_text_and_metadata_are_extracted(
    tmp_path: Path, charset: str, codec: str
) -> None:
    raw = ARTICLE_HTML.format(charset=charset).replace("\n", "\r\n").encode(codec)
    doc = load_file(write(tmp_path / "page.html", raw), "d0")
    assert doc.format == "html"
    paragraphs = doc.text.split("\n\n")
    assert any(p.startswith("A powerful storm struck the northern coast") for p in paragraphs)
    assert any("the “worst” of the winds" in p for p in paragraphs)
    assert any(p.endswith("promised aid to the affected families.") for p in paragraphs)
    for junk in ("Subscribe now", "Privacy policy", "All rights reserved", "Home"):
        assert junk not in doc.text
    assert "\r" not in doc.text
    assert doc.title == "Storm hits coast"
    assert doc.byline == "Jane Doe"
    assert doc.date == "2024-01-05"
    assert doc.site == "Daily Planet"


def test_html_without_an_article_falls_back_to_all_visible_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import trafilatura

    # Stands in for a page where trafilatura finds no article.
    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *args, **kwargs: None)
    raw = (
        b"<html><head><title>Notice &amp; update</title><style>p {color: red}</style></head>"
        b"<body><div>First   block of text.</div><p>Second block.<br>Third line.</p>"
        b"<script>var hidden = 1;</script></body></html>"
    )
    doc = load_file(write(tmp_path / "bare.htm", raw), "d0")
    assert doc.text == "First block of text.\n\nSecond block.\n\nThird line."
    assert doc.title == "Notice & update"
    assert any("no article found" in note for note in doc.errors)


def test_html_with_no_visible_text_is_an_error(tmp_path: Path) -> None:
    raw = b"<html><head><script>var x = 1;</script></head><body></body></html>"
    path = write(tmp_path / "blank.html", raw)
    with pytest.raises(IngestError, match=r"^blank\.html: .*no readable text"):
        load_file(path, "d0")


# --------------------------------------------------------------------------- docx


def make_docx(path: Path) -> Path:
    import docx

    document = docx.Document()
    document.add_paragraph("Storm hits coast")
    document.add_paragraph("")
    document.add_paragraph("A powerful storm struck the coast on Thursday.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Wind"
    table.rows[0].cells[1].text = "120 km/h"
    document.add_paragraph("Crews worked through the night.")
    props = document.core_properties
    props.title = "Storm report"
    props.author = "Jane Doe"
    props.created = dt.datetime(2024, 1, 5, 9, 30)
    document.save(str(path))
    return path


def test_docx_paragraphs_are_joined_by_blank_lines_with_core_properties(tmp_path: Path) -> None:
    doc = load_file(make_docx(tmp_path / "report.docx"), "d0")
    assert doc.format == "docx"
    assert doc.text == (
        "Storm hits coast\n\nA powerful storm struck the coast on Thursday.\n\n"
        "Wind\t120 km/h\n\nCrews worked through the night."
    )
    assert doc.title == "Storm report"
    assert doc.byline == "Jane Doe"
    assert doc.date == "2024-01-05"


def test_corrupt_docx_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "broken.docx", b"this is not a zip file at all")
    with pytest.raises(IngestError, match=r"^broken\.docx: not a readable Word document"):
        load_file(path, "d0")


def test_truncated_docx_is_an_error(tmp_path: Path) -> None:
    good = make_docx(tmp_path / "good.docx").read_bytes()
    path = write(tmp_path / "cut.docx", good[: len(good) // 2])
    with pytest.raises(IngestError, match=r"^cut\.docx: "):
        load_file(path, "d0")


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("raw", [b"", b"\xef\xbb\xbf", b"\xff\xfe"])
def test_empty_file_is_an_error(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path / "report.txt", raw)
    with pytest.raises(IngestError, match=r"^report\.txt: the file is empty$"):
        load_file(path, "d0")


@pytest.mark.parametrize("raw", [b"   \n\n\t  \r\n", "\ufeff \n".encode("utf-8"), b"\xa0\xa0\n"])
def test_whitespace_only_file_is_an_error(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path / "blank.txt", raw)
    with pytest.raises(IngestError, match=r"^blank\.txt: .*only blank space"):
        load_file(path, "d0")


def test_png_renamed_txt_is_reported_as_binary(tmp_path: Path) -> None:
    raw = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    path = write(tmp_path / "photo.txt", raw)
    with pytest.raises(IngestError, match=r"^photo\.txt: looks like a binary file .*not text"):
        load_file(path, "d0")


def test_control_characters_without_nul_are_reported_as_binary(tmp_path: Path) -> None:
    raw = bytes([1, 2, 3, 4, 5, 6, 0x41, 0x42, 0x14, 0x15]) * 50
    path = write(tmp_path / "data.txt", raw)
    with pytest.raises(IngestError, match=r"^data\.txt: looks like a binary file"):
        load_file(path, "d0")


@pytest.mark.parametrize(
    "raw",
    [
        b"\xff\xfe" + "odd length".encode("utf-16-le") + b"\x41",  # UTF-16 mark, broken body
        bytes(range(0x80, 0x100)) * 3,  # no code page makes text of this
    ],
)
def test_undecodable_bytes_are_an_error(tmp_path: Path, raw: bytes) -> None:
    path = write(tmp_path / "garbled.txt", raw)
    with pytest.raises(IngestError, match=r"^garbled\.txt: .*undecodable"):
        load_file(path, "d0")


def test_file_over_the_size_limit_is_refused_without_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(int(25.3 * 1024 * 1024))  # sparse: no real disk use
    with pytest.raises(IngestError) as caught:
        load_file(path, "d0")
    assert str(caught.value) == "huge.txt: 25.3 MB is over the 20 MB limit for one article"
    assert ingest.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "secret.txt", b"Some words here.")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(IngestError, match=r"^secret\.txt: .*not allowed to read"):
        load_file(path, "d0")


def test_file_without_read_permission_is_an_error_and_the_rest_still_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The refusal is raised where the operating system raises it (reading the bytes),
    # so the test also holds for root, who may read any file.
    write(tmp_path / "story.txt", b"Rain hit the city on Monday. Roads were closed.")
    write(tmp_path / "locked.txt", b"Some words here.")
    read_bytes = Path.read_bytes

    def refuse_locked(self: Path) -> bytes:
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse_locked)
    documents, errors, _ = load_paths([tmp_path])
    assert [doc.name for doc in documents] == ["story.txt"]
    assert [(Path(e.path).name, e.message) for e in errors] == [
        ("locked.txt", "locked.txt: FactDesk is not allowed to read this file (permission denied)")
    ]


def test_unsupported_file_named_explicitly_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "notes.pdf", b"%PDF-1.4")
    documents, errors, _ = load_paths([path])
    assert documents == []
    assert len(errors) == 1
    assert errors[0].message.startswith("notes.pdf: FactDesk cannot read .pdf files")


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    documents, errors, _ = load_paths([tmp_path / "gone.txt"])
    assert documents == []
    assert errors[0].message == "gone.txt: the file does not exist"
    assert errors[0].path == str(tmp_path / "gone.txt")


def test_bad_files_do_not_stop_the_good_ones(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"First version of the story.")
    write(tmp_path / "b.txt", b"\x89PNG\r\n\x1a\n\x00\x00binary")
    write(tmp_path / "c.txt", b"")
    write(tmp_path / "d.docx", b"not a docx")
    write(tmp_path / "e.txt", b"Second version of the story.")
    documents, errors, notes = load_paths([tmp_path, tmp_path / "missing.txt"])
    assert [(d.id, d.name) for d in documents] == [("d0", "a.txt"), ("d1", "e.txt")]
    assert sorted(Path(e.path).name for e in errors) == [
        "b.txt",
        "c.txt",
        "d.docx",
        "missing.txt",
    ]
    for error in errors:
        assert error.message.startswith(Path(error.path).name + ": ")
    assert notes == []


# --------------------------------------------------------------------------- folders and ids


def test_folder_loads_supported_files_recursively_in_path_order(tmp_path: Path) -> None:
    write(tmp_path / "v10.txt", b"Version ten text.")
    write(tmp_path / "v2.md", b"Version two text.")
    write(tmp_path / "sub" / "a.html", b"<html><body><p>Page text here.</p></body></html>")
    write(tmp_path / ".hidden.txt", b"Hidden file text.")
    write(tmp_path / ".git" / "x.txt", b"Inside a hidden folder.")
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n")
    write(tmp_path / "notes.pdf", b"%PDF-1.4")
    make_docx(tmp_path / "b.docx")
    documents, errors, _ = load_paths([tmp_path])
    names = [Path(d.path).relative_to(tmp_path).as_posix() for d in documents]
    assert names == ["b.docx", "sub/a.html", "v2.md", "v10.txt"]
    assert [d.id for d in documents] == ["d0", "d1", "d2", "d3"]
    assert errors == []


def test_explicit_paths_keep_their_order_and_start_index_offsets_ids(tmp_path: Path) -> None:
    z = write(tmp_path / "z.txt", b"Zed text.")
    a = write(tmp_path / "a.txt", b"Ay text.")
    documents, _, _ = load_paths([z, a], start_index=5)
    assert [(d.id, d.name) for d in documents] == [("d5", "z.txt"), ("d6", "a.txt")]


def test_empty_folder_is_reported(tmp_path: Path) -> None:
    folder = tmp_path / "nothing"
    folder.mkdir()
    write(folder / "x.png", b"\x89PNG")
    documents, errors, _ = load_paths([folder])
    assert documents == []
    assert errors[0].message.startswith("nothing: no ")


def test_exact_copy_is_loaded_once_with_a_note(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", b"The same story.")
    write(tmp_path / "b.txt", b"The same story.")
    write(tmp_path / "c.txt", b"Another story.")
    documents, errors, notes = load_paths([tmp_path])
    assert [(d.id, d.name) for d in documents] == [("d0", "a.txt"), ("d1", "c.txt")]
    assert notes == ["b.txt is an exact copy of a.txt and was loaded once"]
    assert errors == []


def test_same_file_named_twice_is_loaded_once_silently(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", b"The story.")
    documents, errors, notes = load_paths([path, tmp_path, str(path)])
    assert len(documents) == 1
    assert errors == [] and notes == []


def test_progress_reports_each_file_and_cancel_stops(tmp_path: Path) -> None:
    for index in range(3):
        write(tmp_path / f"{index}.txt", f"Story number {index}.".encode())
    calls: list[tuple[str, int, int]] = []
    load_paths([tmp_path], progress=lambda stage, done, total: calls.append((stage, done, total)))
    assert calls == [("load", 0, 3), ("load", 1, 3), ("load", 2, 3), ("load", 3, 3)]

    token = CancelToken()

    def cancel_after_first(stage: str, done: int, total: int) -> None:
        if done == 1:
            token.cancel()

    with pytest.raises(Cancelled):
        load_paths([tmp_path], progress=cancel_after_first, cancel=token)


# --------------------------------------------------------------------------- header metadata


def header(text: str) -> tuple[str, str, str, str]:
    return extract_header(text)


LONG_BODY = (
    "The government said on Friday that it would begin talks with its partners, after a week "
    "in which several attacks had raised tensions across the region. Officials declined to "
    "give a timetable."
)


def test_header_iso_date_prefix_is_stripped_from_the_title() -> None:
    title, date, _, _ = header(
        f" date 2024-01-06 Storm leaves thousands without power\n\n{LONG_BODY}"
    )
    assert title == "Storm leaves thousands without power"
    assert date == "2024-01-06"


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("2024-01-06", "2024-01-06"),
        ("Sun. Mar 3rd, 2024", "2024-03-03"),
        ("January 4, 2024", "2024-01-04"),
        ("4 January 2024", "2024-01-04"),
        ("Jan. 4, 2024", "2024-01-04"),
        ("Thursday, 4th of January 2024", "2024-01-04"),
        ("Published: Sept 9, 2023 10:32 am EST", "2023-09-09"),
        ("Updated 2023-11-02T08:15:00Z", "2023-11-02"),
    ],
)
def test_header_date_lines_are_normalised_to_iso(line: str, iso: str) -> None:
    title, date, _, _ = header(f"{line}\n\nStorm leaves thousands without power\n\n{LONG_BODY}")
    assert date == iso
    assert title == "Storm leaves thousands without power"


def test_impossible_dates_are_ignored() -> None:
    _, date, _, _ = header(f"2024-13-45\n\nA headline goes here\n\n{LONG_BODY}")
    assert date == ""


@pytest.mark.parametrize(
    ("line", "byline"),
    [
        ("Agence France-Presse", "Agence France-Presse"),
        ("AFP", "AFP"),
        ("Reuters", "Reuters"),
        ("Associated Press", "Associated Press"),
        ("By admin", "admin"),
        ("By Jane Doe, PA News", "Jane Doe, PA News"),
        ("BY JOHN SMITH AND MARÍA LÓPEZ", "JOHN SMITH AND MARÍA LÓPEZ"),
        ("Source: AFP/Reuters", "AFP/Reuters"),
    ],
)
def test_header_byline_lines_are_recognised(line: str, byline: str) -> None:
    title, _, found, _ = header(f"A headline goes here\n{line}\n{LONG_BODY}")
    assert found == byline
    assert title == "A headline goes here"


def test_byline_and_date_on_one_line() -> None:
    _, date, byline, _ = header(f"A headline goes here\nBy Jane Doe | Jan. 4, 2024\n{LONG_BODY}")
    assert (date, byline) == ("2024-01-04", "Jane Doe")


def test_by_line_near_the_end_counts_when_the_top_has_none() -> None:
    _, _, byline, _ = header(f"A headline goes here\n\n{LONG_BODY}\n\nBy admin\n\nRelated Post\n")
    assert byline == "admin"


def test_sentence_starting_with_by_is_not_a_byline() -> None:
    text = f"A headline goes here\nBy Thursday the storm had passed, officials said.\n{LONG_BODY}"
    assert header(text)[2] == ""


def test_dateline_agency_is_used_when_there_is_no_byline() -> None:
    text = f"A headline goes here\n\nBAGHDAD (Reuters) - {LONG_BODY}"
    assert header(text)[2] == "Reuters"


def test_single_word_section_label_is_not_the_title() -> None:
    assert header(f"World\nIraq moves to end coalition mission\n{LONG_BODY}")[0] == (
        "Iraq moves to end coalition mission"
    )


def test_text_that_starts_with_body_has_no_title() -> None:
    assert header(f"{LONG_BODY}\n{LONG_BODY}")[0] == ""


def test_markdown_front_matter_and_heading() -> None:
    text = (
        "---\ntitle: Storm report\ndate: 2024-01-05\nauthor: Jane Doe\n"
        "url: https://www.example.org/storm\n---\n\n# Heading\n\n" + LONG_BODY
    )
    assert header(text) == ("Storm report", "2024-01-05", "Jane Doe", "example.org")
    assert header("# Storm hits the coast\n\n" + LONG_BODY)[0] == "Storm hits the coast"


def test_labelled_header_lines() -> None:
    text = f"Title: Storm report\nAuthor: Jane Doe\nDate: 5 January 2024\n\n{LONG_BODY}"
    assert header(text)[:3] == ("Storm report", "2024-01-05", "Jane Doe")


def test_header_title_is_repaired_for_display() -> None:
    assert header(f"Iraqâ€™s leader speaks out\n{LONG_BODY}")[0] == "Iraq’s leader speaks out"


# --------------------------------------------------------------------------- sample data


@pytest.mark.skipif(not SEEDS.is_dir(), reason="sample articles not present")
def test_sample_folder_loads_every_file_with_metadata() -> None:
    documents, errors, notes = load_paths([SEEDS])
    files = sorted(p for p in SEEDS.iterdir() if p.suffix == ".txt")
    assert errors == [] and notes == []
    assert len(documents) == len(files)
    for doc in documents:
        assert doc.text.strip() and "\r" not in doc.text
        assert doc.encoding.startswith("utf-8")
        assert len(doc.title) <= 200
        if doc.title:
            assert doc.title in doc.text.replace("’", "’")
        assert doc.date == "" or len(doc.date) == 10
    assert sum(1 for doc in documents if doc.title) >= len(documents) - 1


def test_docx_template_placeholders_give_way_to_the_header_lines(tmp_path: Path) -> None:
    import docx

    document = docx.Document()  # python-docx's template: author "python-docx", dated 2013
    for line in ("Storm hits coast", "date 2024-01-06", "By Jane Doe", LONG_BODY):
        document.add_paragraph(line)
    path = tmp_path / "plain.docx"
    document.save(str(path))
    doc = load_file(path, "d0")
    assert (doc.title, doc.date, doc.byline) == ("Storm hits coast", "2024-01-06", "Jane Doe")


def test_file_just_over_the_limit_states_a_size_above_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_FILE_BYTES", 1024 * 1024)
    path = write(tmp_path / "big.txt", b"a" * (1024 * 1024 + 5000))
    with pytest.raises(IngestError) as caught:
        load_file(path, "d0")
    assert str(caught.value) == "big.txt: 1.00 MB is over the 1 MB limit for one article"


def test_folder_without_supported_files_lists_what_would_be_read(tmp_path: Path) -> None:
    folder = tmp_path / "scans"
    write(folder / "page.pdf", b"%PDF-1.4")
    _, errors, _ = load_paths([folder])
    assert [e.message for e in errors] == [
        "scans: no .txt, .md, .html, .htm or .docx files in this folder"
    ]


# --------------------------------------------------------------------------- agency wire copy

#: The story's real paragraphs as a reader should see them, and their sentence counts.
WIRE_HEADLINE = "COUNCILLOR JAILED FOR £40,000 EXPENSES FRAUD"
WIRE_PARAGRAPHS = [
    (
        "A former council leader who claimed £40,000 in bogus expenses over six years was "
        "jailed for two years today at Teesside Crown Court.",
        1,
    ),
    (
        "Derek Walsh, 58, of Harbour Road, Whitby, admitted 12 charges of false accounting "
        "relating to mileage, meals and hotel bills between 1993 and 1999.",
        1,
    ),
    (
        "Judge Peter Hale told him: “You betrayed the trust of the people who elected you. "
        "Nobody forced you to do it.”",
        2,
    ),
    (
        "The court heard that Walsh had used the money to pay for holidays in Spain. He repaid "
        "£12,000 after his arrest. The council said it would seek the rest.",
        3,
    ),
    (
        "Outside court, council leader Ann Price said the case had been ‘a shameful episode’ "
        "for the authority. She said new rules on expenses were already in place.",
        2,
    ),
    ("Walsh's solicitor said he would not appeal.", 1),
]


@dataclass
class WireVariant:
    """One way an agency feed lays out the story above."""

    slug: list[str]
    headline: str
    byline: str
    mark: str  # what opens a paragraph, indent included
    end: str  # what closes one
    width: int
    blank_lines: bool
    tail: list[str]  # lines after the last paragraph
    encoding: str
    newline: str
    meta: dict[str, str]
    date: str
    name: str  # the byline's name part
    ruler_after_slug: bool = True


WIRE_VARIANTS = {
    "classic": WireVariant(
        slug=["17:03 17/10/99 Page 1 of 2", "HOME Court Fraud"],
        headline=WIRE_HEADLINE,
        byline="By Jan Colley, PA News",
        mark="\x19 ",
        end="<",
        width=72,
        blank_lines=False,
        tail=["ends"],
        encoding="utf-8",
        newline="\n",
        meta={
            "time": "17:03",
            "date": "1999-10-17",
            "page": "1 of 2",
            "desk": "HOME",
            "catchline": "Court Fraud",
        },
        date="1999-10-17",
        name="Jan Colley",
    ),
    "cp1252 tabs": WireVariant(
        slug=["COURTS\tFraud Trial\t14:27\t21/03/00\tPage 1"],
        headline=WIRE_HEADLINE,
        byline="By Ian Smith, Press Association Crime Correspondent",
        mark="\x14 ",
        end=" <",
        width=68,
        blank_lines=True,
        tail=["=" * 60, "Copyright Press Association Ltd 2000", "mfl"],
        encoding="cp1252",
        newline="\r\n",
        meta={
            "time": "14:27",
            "date": "2000-03-21",
            "page": "1",
            "desk": "COURTS",
            "catchline": "Fraud Trial",
        },
        date="2000-03-21",
        name="Ian Smith",
    ),
    "pair markers": WireVariant(
        slug=["Pg 1 16:48 08/11/05", "POLITICS Council Expenses"],
        headline="Former Council Leader Jailed Over Expenses",
        byline="By Sarah Brown, PA Political Staff",
        mark="  \x19\x14   ",
        end="<",
        width=78,
        blank_lines=True,
        tail=["-" * 68, "more"],
        encoding="utf-8",
        newline="\n",
        meta={
            "time": "16:48",
            "date": "2005-11-08",
            "page": "1",
            "desk": "POLITICS",
            "catchline": "Council Expenses",
        },
        date="2005-11-08",
        name="Sarah Brown",
        ruler_after_slug=False,
    ),
}


def _tex(text: str) -> str:
    """Typographic quotes as agency feeds type them: ``double'' and `single'."""
    return text.replace("“", "``").replace("”", "''").replace("‘", "`").replace("’", "'")


def wire_text(variant: WireVariant) -> str:
    """The story as the feed sends it (line ends as "\\n")."""
    import textwrap

    lines = list(variant.slug)
    ruler = "-" * 70
    if variant.ruler_after_slug:
        lines.append(ruler)
    lines += [_tex(variant.headline), variant.byline]
    if not variant.ruler_after_slug:
        lines.append(ruler)
    for paragraph, _ in WIRE_PARAGRAPHS:
        if variant.blank_lines:
            lines.append("")
        wrapped = textwrap.wrap(
            _tex(paragraph),
            width=variant.width,
            initial_indent=variant.mark,
            break_long_words=False,
            break_on_hyphens=False,
        )
        wrapped[-1] += variant.end
        lines += wrapped
    return "\n".join([*lines, *variant.tail]) + "\n"


def write_wire(folder: Path, key: str) -> Path:
    variant = WIRE_VARIANTS[key]
    data = wire_text(variant).replace("\n", variant.newline).encode(variant.encoding)
    return write(folder / f"{key.replace(' ', '_')}.txt", data)


def _story_paragraphs(doc: Document) -> list[tuple[str, list[Passage]]]:
    """Repaired text and story passages of every paragraph holding story text."""
    paragraphs, passages = segment_document(doc)
    out = []
    for para in paragraphs:
        story = [p for p in passages if p.paragraph == para.index and not p.boilerplate]
        if story:
            out.append((repair(doc.text[para.start : para.end]), story))
    return out


@pytest.mark.parametrize("key", list(WIRE_VARIANTS))
def test_wire_copy_is_recognised_with_its_headline_date_byline_and_slug(
    tmp_path: Path, key: str
) -> None:
    variant = WIRE_VARIANTS[key]
    doc = load_file(write_wire(tmp_path, key), "d0")
    assert doc.format == "wire"
    assert doc.text == wire_text(variant)  # decoded text kept as written, line ends aside
    assert doc.title == variant.headline  # never the slug
    assert doc.date == variant.date
    assert doc.byline == variant.name
    assert doc.wire == variant.meta
    if variant.encoding == "cp1252":
        assert doc.encoding in ("cp1252", "latin-1") and "£" in doc.text


@pytest.mark.parametrize("key", list(WIRE_VARIANTS))
def test_wire_copy_gives_its_real_paragraphs_and_sentences(tmp_path: Path, key: str) -> None:
    doc = load_file(write_wire(tmp_path, key), "d0")
    story = _story_paragraphs(doc)
    assert [text for text, _ in story] == [
        WIRE_VARIANTS[key].headline,
        *(p for p, _ in WIRE_PARAGRAPHS),
    ]
    for (text, passages), (_, count) in zip(story[1:], WIRE_PARAGRAPHS, strict=True):
        assert len(passages) == count
        shown = [repair(doc.text[p.start : p.end]) for p in passages]
        # Sentence spans sit exactly on the sentences: together they give the paragraph.
        assert " ".join(shown) == text
        for p, sentence in zip(passages, shown, strict=True):
            raw = doc.text[p.start : p.end]
            assert raw == raw.strip() and len(raw) <= 400
            assert not any(c in sentence for c in "\n<`\x14\x19\x1a\x1c")
            assert "''" not in sentence
            repaired, starts = repair_with_map(raw)
            assert repaired == sentence and starts[-1] == len(raw)


@pytest.mark.parametrize("key", list(WIRE_VARIANTS))
def test_wire_furniture_is_flagged_with_its_reason(tmp_path: Path, key: str) -> None:
    variant = WIRE_VARIANTS[key]
    doc = load_file(write_wire(tmp_path, key), "d0")
    _, passages = segment_document(doc)
    reasons = {doc.text[p.start : p.end]: p.boilerplate_reason for p in passages}
    for line in variant.slug:
        assert reasons[line] == "slug line"
    assert reasons[variant.byline] == "byline"
    for line in variant.tail:
        expected = {"=": "ruler", "-": "ruler", "C": "agency credit"}.get(line[0], "slug line")
        assert reasons[line] == expected  # end lines ("ends", "mfl", "more") as in other texts
    assert reasons["-" * 70] == "ruler"
    assert reasons[_tex(variant.headline)] == ""
    story = [p for p in passages if not p.boilerplate]
    assert len(story) == 1 + sum(count for _, count in WIRE_PARAGRAPHS)


def test_wire_slug_dates_and_pieces() -> None:
    def fields(line: str) -> dict[str, str]:
        found = wire.slug_fields(line)
        assert found is not None, line
        return found[0]

    assert fields("17:03 17/10/69 Page 1 of 2")["date"] == "2069-10-17"
    assert fields("17:03 17/10/70 Page 1 of 2")["date"] == "1970-10-17"
    assert fields("17:03 17/10/00 Pg 1")["date"] == "2000-10-17"
    assert fields("Page 2 9:05 01/02/2001 HOME Fire") == {
        "date": "2001-02-01",
        "time": "09:05",
        "page": "2",
    }
    assert wire.slug_fields("He arrived at 17:03 on 17/10/99 and was arrested.") is None
    assert wire.slug_fields("COUNCILLOR JAILED FOR £40,000 EXPENSES FRAUD") is None
    text = "HOME CRIME Raid 16:52 03/02/00 Page 1\n\x19 A man was held.<\n\x19 He was bailed.<\n"
    assert wire.layout(text).meta == {
        "time": "16:52",
        "date": "2000-02-03",
        "page": "1",
        "desk": "HOME CRIME",
        "catchline": "Raid",
    }


@pytest.mark.parametrize(
    "text",
    [
        BODY,
        "If a < b and b < c then a < c.\nIt is <\nnot wire copy.\n",
        "12:03 04/01/2024 Page 3\nOne line that ends with a marker.<\nAnother plain line.\n",
        "Notes\n\x19 only one marked line<\nand nothing else\n",
    ],
)
def test_text_that_is_not_wire_copy_stays_txt(tmp_path: Path, text: str) -> None:
    doc = load_file(write(tmp_path / "plain.txt", text.encode("utf-8")), "d0")
    assert doc.format == "txt" and doc.wire == {}


def test_wire_copy_with_many_short_paragraphs_is_not_taken_for_binary(tmp_path: Path) -> None:
    paras = ["Police said a man was held.", "No one was hurt.", "The road reopened."] * 4
    text = "09:15 02/05/00 Page 1 HOME Crash\n" + "".join(f"\x19\x14 {p}<\n" for p in paras)
    doc = load_file(write(tmp_path / "short.txt", text.encode("utf-8")), "d0")
    assert doc.format == "wire" and doc.wire["desk"] == "HOME"


def test_wire_metadata_survives_json_and_project_round_trips(tmp_path: Path) -> None:
    from factdesk.core import jsonio, pipeline
    from factdesk.core.store import Project

    wire_path = write_wire(tmp_path / "in", "cp1252 tabs")
    write(tmp_path / "in" / "paper.txt", BODY.encode("utf-8"))
    result = pipeline.analyse([tmp_path / "in"])
    meta = WIRE_VARIANTS["cp1252 tabs"].meta
    wire_doc = next(d for d in result.documents if d.path == str(wire_path.absolute()))

    data = json.loads(json.dumps(jsonio.to_json(result)))
    assert jsonio.validate(data) == []
    by_name = {d["name"]: d for d in data["documents"]}
    assert by_name[wire_path.name]["wire"] == meta
    assert by_name[wire_path.name]["format"] == "wire"
    assert "wire" not in by_name["paper.txt"]  # optional: only wire copy carries it
    back = jsonio.from_json(data)
    for before, after in zip(result.documents, back.documents, strict=True):
        assert (after.wire, after.format, after.title, after.date, after.byline) == (
            before.wire,
            before.format,
            before.title,
            before.date,
            before.byline,
        )
    assert [p.boilerplate_reason for p in back.passages] == [
        p.boilerplate_reason for p in result.passages
    ]
    bad = json.loads(json.dumps(data))
    bad["documents"][0]["wire"] = {"time": 1703}
    assert jsonio.validate(bad) == ["$.documents[0].wire.time must be of type string"]

    path = tmp_path / "story.factdesk"
    Project.create(path, result).close()
    assert [d.wire for d in Project.read(path).documents] == [d.wire for d in result.documents]
    with Project.open(path) as project:
        reopened = next(d for d in project.article_set.documents if d.id == wire_doc.id)
        assert reopened.wire == meta and reopened.format == "wire"
        assert (reopened.title, reopened.date) == (wire_doc.title, wire_doc.date)
        assert "0005_document_wire" in project.migrations()


def test_project_saved_before_wire_metadata_opens_with_none(tmp_path: Path) -> None:
    import sqlite3

    from sqlite_utils import Database

    from factdesk.core import store

    path = tmp_path / "old.factdesk"
    conn = sqlite3.connect(path, isolation_level=None)
    db = Database(conn)
    conn.execute(f"PRAGMA application_id = {store.APPLICATION_ID}")
    names = [name for name, _ in store.MIGRATIONS]
    store.migrate(db, path.name, store.MIGRATIONS[: names.index("0005_document_wire")])
    conn.execute(
        "INSERT INTO documents (id, position, path, name, text, sha256, encoding, format, "
        "title, date, byline, site, errors) "
        "VALUES ('d0', 0, '/a.txt', 'a.txt', 'Text.', '', 'utf-8', 'txt', '', '', '', '', '[]')"
    )
    conn.close()
    with store.Project.open(path) as project:
        assert project.migrations() == names
        assert project.article_set.documents[0].wire == {}


# --------------------------------------------------------------------------- development sets

DEVSETS = Path(__file__).resolve().parent / "data" / "devsets"


def _devset_wire_files() -> list[Path]:
    files = sorted(DEVSETS.glob("wire/*/wire.txt")) + sorted(DEVSETS.glob("mixed/*_wire.txt"))
    return [f for f in files if (f.parent / "truth.json").is_file()]


@pytest.mark.parametrize("path", _devset_wire_files(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_devset_wire_files_give_their_paragraphs_and_metadata(path: Path) -> None:
    truth = json.loads((path.parent / "truth.json").read_text(encoding="utf-8"))
    doc = load_file(path, "d0")
    assert doc.format == "wire"
    story = _story_paragraphs(doc)
    assert story and story[0][0] == doc.title  # the headline comes first
    first_line = doc.text.split("\n", 1)[0].strip()
    assert doc.title and doc.title != first_line
    assert doc.date and doc.date == doc.wire["date"]
    for text, passages in story[1:]:
        assert 1 <= len(passages) <= 3, text
        assert all(p.end - p.start <= 400 for p in passages), text
        assert not any(c in text for c in "\n<`\x14\x19\x1a\x1c") and "''" not in text
    if "wire_paragraphs" in truth:
        assert [text for text, _ in story[1:]] == truth["wire_paragraphs"]
    meta = truth.get("wire_meta")
    if meta:
        assert doc.title == meta["title"]
        assert doc.date == meta["date"]
        for key in wire.META_KEYS:
            if key in meta:
                assert doc.wire.get(key) == meta[key], key
        if meta.get("byline"):
            assert doc.byline == meta["byline"].split(",")[0].strip()
