"""Hostile input never stops a load: each bad file or folder is one clear error line."""

from __future__ import annotations

import errno
import os
import random
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factdesk import cli
from factdesk.core import ingest
from factdesk.core.ingest import IngestError, load_file, load_paths
from factdesk.core.model import LoadError, printable
from factdesk.core.segment import segment_document
from factdesk.testing import hostile

STORY = b"The council met on Tuesday. It voted to close the old bridge."


def good(folder: Path) -> Path:
    path = folder / "good.txt"
    path.write_bytes(STORY)
    return path


def only_error(folder: Path) -> LoadError:
    """The one error of loading ``folder``, whose good.txt must still load."""
    documents, errors, _ = load_paths([folder])
    assert [doc.name for doc in documents] == ["good.txt"]
    assert len(errors) == 1, errors
    return errors[0]


def assert_clear(error: LoadError) -> None:
    """One line, starting with the escaped file name, in words rather than exception text."""
    name = printable(Path(error.path).name or error.path)
    assert error.message.startswith(f"{name}: ")
    assert printable(error.message) == error.message
    for raw in ("Traceback", "Error(", "Exception", "[Errno", "<class"):
        assert raw not in error.message
    assert "\n" not in cli.error_line(error)


# --------------------------------------------------------------------------- links and folders


def test_a_link_to_itself_is_one_error_and_the_rest_loads(tmp_path: Path) -> None:
    good(tmp_path)
    hostile.write_special(tmp_path, "self loop")
    error = only_error(tmp_path)
    assert error.message == (
        "loop.txt: the file is a symbolic link that leads back to itself (a link loop)"
    )


def test_two_links_to_each_other_are_two_errors_and_the_rest_loads(tmp_path: Path) -> None:
    good(tmp_path)
    hostile.write_special(tmp_path, "two-file loop")
    documents, errors, _ = load_paths([tmp_path])
    assert [doc.name for doc in documents] == ["good.txt"]
    assert sorted(Path(e.path).name for e in errors) == ["a.txt", "b.txt"]
    for error in errors:
        assert "leads back to itself" in error.message
        assert_clear(error)


def test_a_link_loop_named_on_the_command_line_is_an_error(tmp_path: Path) -> None:
    loop = hostile.write_special(tmp_path, "self loop")
    documents, errors, _ = load_paths([loop, good(tmp_path)])
    assert [doc.name for doc in documents] == ["good.txt"]
    assert [Path(e.path).name for e in errors] == ["loop.txt"]


def test_a_pipe_named_like_an_article_is_refused_without_waiting(tmp_path: Path) -> None:
    good(tmp_path)
    hostile.write_special(tmp_path, "pipe")
    assert only_error(tmp_path).message == "pipe.txt: not a regular file"


def test_an_unreadable_subfolder_is_reported_like_an_unreadable_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Refused where the operating system refuses (listing the folder), so the test also
    # holds for root, who may list any folder.
    good(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_bytes(STORY + b" Again.")
    scandir = os.scandir

    def refuse(path: str | os.PathLike[str] = ".") -> object:
        if Path(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    error = only_error(tmp_path)
    assert error.path == str(locked)
    assert (
        error.message == "locked: FactDesk is not allowed to read this folder (permission denied)"
    )


def test_an_unreadable_folder_is_not_called_empty(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(path: str | os.PathLike[str] = ".") -> object:
        raise PermissionError(errno.EACCES, "Permission denied", str(path))

    monkeypatch.setattr(os, "scandir", refuse)
    documents, errors, _ = load_paths([tmp_path])
    assert documents == []
    assert [e.message for e in errors] == [
        f"{tmp_path.name}: FactDesk is not allowed to read this folder (permission denied)"
    ]


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("two\nlines.txt", "two\\nlines.txt"),
        ("red\x1b[31m.txt", "red\\x1b[31m.txt"),
        ("back\rwards.txt", "back\\rwards.txt"),
        ("sep\u2028ar.txt", "sep\\u2028ar.txt"),
        ("flip\u202etxt.exe.txt", "flip\\u202etxt.exe.txt"),
        (os.fsdecode(b"byte\xff.txt"), "byte\\xff.txt"),
    ],
)
def test_control_characters_in_a_name_never_split_the_error_line(
    tmp_path: Path, name: str, shown: str
) -> None:
    good(tmp_path)
    hostile.write_file(tmp_path, name, b"\x89PNG\r\n\x1a\n\x00")
    error = only_error(tmp_path)
    assert error.message == f"{shown}: looks like a binary file (a PNG image), not text"
    assert_clear(error)
    line = cli.error_line(error)
    assert (
        line
        == f"{printable(str(tmp_path))}/{shown}: looks like a binary file (a PNG image), not text"
    )
    line.encode("utf-8")  # no lone surrogates left to fail on output


def test_a_loaded_document_with_a_newline_in_its_name_keeps_one_summary_line(
    tmp_path: Path,
) -> None:
    hostile.write_file(tmp_path, "two\nlines.txt", STORY)
    documents, _, _ = load_paths([tmp_path])
    assert documents[0].name == "two\nlines.txt"  # the real name is kept for the file
    from factdesk.core.pipeline import analyse

    text = cli.summary(analyse([tmp_path]))
    assert "two\\nlines.txt" in text
    assert not any(line.startswith("lines.txt") for line in text.splitlines())


# --------------------------------------------------------------------------- Word documents


@pytest.mark.parametrize(
    ("xml", "reason"),
    [
        (b"<root/>", "its main part holds no Word text"),
        (
            hostile.word_xml("<w:p/>").replace(hostile.W_NS.encode(), b"http://example.com/x"),
            "its main part holds no Word text",
        ),
        (
            hostile.word_xml(
                "<w:p><w:r><w:t>a &x; b</w:t></w:r></w:p>",
                '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/hostname">]>',
            ),
            "declares XML entities",
        ),
        (
            hostile.word_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", hostile.billion_laughs()),
            "declares XML entities",
        ),
        (
            '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "b">]>'
            f'<w:document xmlns:w="{hostile.W_NS}"><w:body/></w:document>'.encode("utf-16"),
            "declares XML entities",
        ),
        (f'<w:document xmlns:w="{hostile.W_NS}"/>'.encode(), "its main part holds no Word text"),
        (b"<w:document <<< not xml", "the file is damaged or not a .docx"),
        (hostile.word_xml("<w:p>" * 5000 + "</w:p>" * 5000), "the file is damaged or not a .docx"),
    ],
    ids=["root", "namespace", "external", "laughs", "utf16", "no body", "not xml", "deep"],
)
def test_a_docx_whose_document_is_not_word_text_is_one_clear_error(
    tmp_path: Path, xml: bytes, reason: str
) -> None:
    good(tmp_path)
    (tmp_path / "bad.docx").write_bytes(hostile.docx_with({"word/document.xml": xml}))
    error = only_error(tmp_path)
    assert error.message.startswith("bad.docx: ")
    assert reason in error.message
    assert_clear(error)


def test_python_docx_parses_without_expanding_or_fetching_entities() -> None:
    # The archive check refuses a declaration in any .xml part; whatever reaches
    # python-docx's parser by another name is still never expanded nor fetched.
    from docx.oxml.parser import parse_xml

    xml = hostile.word_xml(
        "<w:p><w:r><w:t>[&lol3;][&x;]</w:t></w:r></w:p>",
        '<!DOCTYPE w:document [<!ENTITY lol0 "lol"><!ENTITY lol1 "&lol0;&lol0;">'
        '<!ENTITY lol2 "&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;">'
        '<!ENTITY x SYSTEM "file:///etc/hostname">]>',
    )
    text = "".join(parse_xml(xml).itertext())
    # Both references stay references: nothing expanded, nothing read from the disk.
    assert "lollol" not in text
    assert text.endswith("[&lol3;][&x;]")


def test_a_docx_member_of_a_gigabyte_is_refused_without_unpacking_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = hostile.docx_with()  # a real document, then a 1 GiB member declared in the index
    path = tmp_path / "bomb.docx"
    path.write_bytes(_with_declared_member(data, 1 << 30))

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("a member was unpacked")

    monkeypatch.setattr(zipfile.ZipFile, "open", never)
    with pytest.raises(IngestError, match=r"^bomb\.docx: .*zip bomb does; it was not opened$"):
        load_file(path, "d0")


def _with_declared_member(docx: bytes, size: int) -> bytes:
    """``docx`` with a stored member whose index entry claims ``size`` bytes, compressed
    into 1 MB: what a zip bomb's index says, without writing a gigabyte."""
    import io

    out = io.BytesIO(docx)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/image1.png", bytes(2 * 1024 * 1024))
    raw = bytearray(out.getvalue())
    # Rewrite the member's uncompressed size in the central directory (zip64 not needed
    # below 4 GiB).
    entry = raw.rfind(b"PK\x01\x02")  # the member added last is indexed last
    assert raw[entry + 46 : entry + 46 + 21] == b"word/media/image1.png"
    raw[entry + 24 : entry + 28] = (size - 1).to_bytes(4, "little")
    return bytes(raw)


@pytest.mark.parametrize(
    ("limit", "value", "words"),
    [
        ("MAX_DOCX_UNPACKED", 1000, "would unpack to"),
        ("MAX_DOCX_XML", 1000, "would unpack to"),
        ("MAX_DOCX_MEMBERS", 3, "files inside"),
    ],
)
def test_a_docx_over_an_archive_limit_is_refused_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, limit: str, value: int, words: str
) -> None:
    path = tmp_path / "big.docx"
    path.write_bytes(hostile.base_docx())
    monkeypatch.setattr(ingest, limit, value)
    with pytest.raises(IngestError, match=rf"^big\.docx: .*{words}"):
        load_file(path, "d0")


def test_a_docx_of_too_many_elements_loads_its_beginning_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "".join(f"<w:p><w:r><w:t>Paragraph {i}.</w:t></w:r></w:p>" for i in range(100))
    path = tmp_path / "long.docx"
    path.write_bytes(hostile.docx_with({"word/document.xml": hostile.word_xml(body)}))
    monkeypatch.setattr(ingest, "MAX_DOCX_ELEMENTS", 40)
    doc = load_file(path, "d0")
    assert doc.text.startswith("Paragraph 0.\n\nParagraph 1.")
    assert "Paragraph 99." not in doc.text
    assert doc.errors and doc.errors[0].startswith("too long for one article")


def test_a_docx_table_keeps_its_cells_in_order(tmp_path: Path) -> None:
    row = "".join(
        f"<w:tc><w:p><w:r><w:t>{cell}</w:t></w:r></w:p></w:tc>" for cell in ("Wind", "Rain", "Rain")
    )
    xml = hostile.word_xml(
        f"<w:tbl><w:tr>{row}</w:tr></w:tbl><w:p><w:r><w:t>After.</w:t></w:r></w:p>"
    )
    path = tmp_path / "table.docx"
    path.write_bytes(hostile.docx_with({"word/document.xml": xml}))
    assert load_file(path, "d0").text == "Wind\tRain\n\nAfter."


# --------------------------------------------------------------------------- pathological text


@pytest.mark.parametrize(
    "content",
    [b"a\n" * 50_000, b"a. " * 400_000, b"\x14a <\n" * 50_000, b"word " * 300_000],
    ids=["one-letter lines", "one-letter sentences", "wire marks", "one endless line"],
)
def test_a_text_past_one_article_is_cut_with_a_note_and_segments_boundedly(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(content)
    doc = load_file(path, "d0")
    assert len(doc.text) <= ingest.MAX_ARTICLE_CHARS
    assert doc.errors[-1].startswith("too long for one article: only the first ")
    assert content.decode().startswith(doc.text)
    _, passages = segment_document(doc)
    assert 0 < len(passages) <= 2 * ingest.MAX_ARTICLE_BREAKS + 2


def test_an_ordinary_article_is_never_cut(tmp_path: Path) -> None:
    text = ("The council met on Tuesday. It voted to close the bridge.\n\n" * 2000).encode()
    path = tmp_path / "long.txt"
    path.write_bytes(text)
    doc = load_file(path, "d0")
    assert doc.text == text.decode()
    assert doc.errors == []


def test_a_page_of_too_many_tags_is_read_up_to_the_limit_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest, "MAX_HTML_TAGS", 200)
    paragraphs = "".join(f"<p>Paragraph number {i} of the story.</p>" for i in range(500))
    path = tmp_path / "page.html"
    path.write_text(f"<html><body><article>{paragraphs}</article></body></html>", "utf-8")
    doc = load_file(path, "d0")
    assert doc.errors[0].startswith("the page is too long: only its first ")
    assert "Paragraph number 0 " in doc.text
    assert "Paragraph number 499 " not in doc.text


def test_an_unexpected_failure_in_a_reader_is_one_plain_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good(tmp_path)
    (tmp_path / "odd.md").write_bytes(STORY)

    def broken(raw: bytes, name: str, doc: object) -> None:
        if name == "odd.md":
            raise AttributeError("'NoneType' object has no attribute 'body'\nsecond line")
        return real(raw, name, doc)  # type: ignore[arg-type]

    real = ingest._load_text
    monkeypatch.setattr(ingest, "_load_text", broken)
    error = only_error(tmp_path)
    assert error.message == (
        "odd.md: the file could not be read; its contents are damaged or in a form "
        "FactDesk does not understand"
    )


# --------------------------------------------------------------------------- fuzzing

_GENERATORS = [generator for generator, _ in hostile.CLASSES.values()]
# Scaled down for the suite: the benchmark loads the full-size files.
_SMALL = {hostile.huge_lines, hostile.heavy_html, hostile.zip_bomb, hostile.near_limit}


def _scaled(generator: object, rng: random.Random) -> tuple[str, bytes]:
    if generator is hostile.huge_lines:
        unit = rng.choice((b"a\n", b"a. ", b"\x14a", b"a<", b"\n", b"word ", b"!"))
        return f"f{rng.randrange(1000)}.txt", unit * rng.choice((100, 12_000))
    if generator is hostile.heavy_html:
        unit = rng.choice(("<div>", "<p>a</p>", "<b><i>", "&amp;"))
        return f"f{rng.randrange(1000)}.html", f"<html><body>{unit * 3000}</body></html>".encode()
    if generator is hostile.zip_bomb:
        return f"f{rng.randrange(1000)}.docx", _with_declared_member(hostile.base_docx(), 1 << 30)
    return generator(rng)  # type: ignore[operator]


@settings(
    max_examples=100,
    deadline=timedelta(seconds=20),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    picks=st.lists(
        st.tuples(
            st.sampled_from([g for g in _GENERATORS if g is not hostile.near_limit]),
            st.randoms(use_true_random=False),
        ),
        min_size=1,
        max_size=4,
    ),
    raw=st.binary(max_size=300),
    name=st.text(
        st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)), max_size=12
    ),
    suffix=st.sampled_from(hostile.SUFFIXES),
)
def test_any_hostile_folder_loads_what_it_can_and_names_every_failure(
    tmp_path_factory: pytest.TempPathFactory,
    picks: list[tuple[object, random.Random]],
    raw: bytes,
    name: str,
    suffix: str,
) -> None:
    folder = tmp_path_factory.mktemp("hostile")
    written = {hostile.write_file(folder, f"x{name}{suffix}", raw).name}
    for i, (generator, rng) in enumerate(picks):
        file_name, data = _scaled(generator, rng)
        written.add(hostile.write_file(folder, f"{i}{file_name}", data).name)
    good(folder)
    documents, errors, notes = load_paths([folder])
    assert "good.txt" in {doc.name for doc in documents}
    copies = sum(1 for note in notes if "exact copy" in note)
    assert len(documents) + len(errors) + copies == len(written) + 1
    for error in errors:
        assert_clear(error)
    for doc in documents:
        assert len(doc.text) <= ingest.MAX_ARTICLE_CHARS
        assert "lollol" not in doc.text  # no entity was expanded
        _, passages = segment_document(doc)
        assert len(passages) <= 2 * ingest.MAX_ARTICLE_BREAKS + 2
        assert all(0 <= p.start < p.end <= len(doc.text) for p in passages)
