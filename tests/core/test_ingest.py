"""Loading article files: encodings, formats, metadata and readable errors."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from factdesk.core import ingest
from factdesk.core.ingest import IngestError, decode_text, extract_header, load_file, load_paths
from factdesk.core.model import Cancelled, CancelToken

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


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root can read any file"
)
def test_file_without_read_permission_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path / "locked.txt", b"Some words here.")
    path.chmod(0)
    try:
        documents, errors, _ = load_paths([path])
    finally:
        path.chmod(0o644)
    assert documents == []
    assert "locked.txt" in errors[0].message


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
