"""Hostile input files for ingest: what a careless or malicious folder may hold.

Each generator takes a ``random.Random`` and gives ``(name, content)``; the fuzz test and
``benchmarks/fuzz_ingest.py`` write them to disk and load them. The classes: random
bytes, text in odd or broken encodings, control characters in file names, damaged and
malformed Word documents, XML entity bombs and external entities, zip bombs, huge line
and sentence counts, deeply nested or tag-heavy web pages, and files at the size limit.
``write_special`` makes what cannot be written as content: link loops, dangling links,
pipes, and folders named like files.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx")
_SENTENCES = (
    "The council met on Tuesday and voted to close the old bridge.",
    "Le maire a déclaré que les travaux coûteraient 5 millions d’euros.",
    "Die Stadt hat am Montag über die Brücke abgestimmt.",
    "Мэр заявил, что мост закроют в пятницу.",
    "“It is a fair deal,” said Zoë Müller – the café owner.",
    "市议会周二投票决定关闭旧桥。",
)
_NAME_CHARS = "\n\r\t\x1b\x7f\x00\x85\u2028\u2029\u202e\u200f\udcff\udc80 é日"


def _prose(rng: random.Random, sentences: int) -> str:
    return " ".join(rng.choice(_SENTENCES) for _ in range(sentences))


def _name(rng: random.Random, suffix: str | None = None) -> str:
    suffix = suffix or rng.choice(SUFFIXES)
    return f"f{rng.randrange(10**6)}{suffix}"


@cache
def base_docx() -> bytes:
    """A small valid Word document made by python-docx."""
    import docx

    document = docx.Document()
    document.add_paragraph("Bridge closes")
    document.add_paragraph("The council met on Tuesday and voted to close the old bridge.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def docx_with(
    replace: dict[str, bytes] | None = None,
    extra: dict[str, bytes] | None = None,
    *,
    stored: bool = False,
) -> bytes:
    """``base_docx`` with members replaced or added."""
    replace = replace or {}
    source = zipfile.ZipFile(io.BytesIO(base_docx()))
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, replace.get(info.filename, source.read(info.filename)))
        for member, data in (extra or {}).items():
            archive.writestr(member, data)
    return out.getvalue()


def word_xml(body: str, prolog: str = "") -> bytes:
    """A ``word/document.xml`` with ``body`` inside ``w:body``."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    ).encode()


def billion_laughs(levels: int = 10) -> str:
    """A DOCTYPE whose entity ``lol{levels - 1}`` expands to 10**levels "lol"s."""
    entities = '<!ENTITY lol0 "lol">' + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, levels)
    )
    return f"<!DOCTYPE w:document [{entities}]>"


_BOMB_XML = (
    ("root element", b"<root/>"),
    ("wrong namespace", word_xml("<w:p/>").replace(W_NS.encode(), b"http://example.com/x")),
    (
        "external entity",
        word_xml(
            "<w:p><w:r><w:t>&x;</w:t></w:r></w:p>",
            '<!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
        ),
    ),
    ("billion laughs", word_xml("<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p>", billion_laughs())),
    (
        "quadratic blowup",
        word_xml(
            "<w:p><w:r><w:t>" + "&a;" * 20_000 + "</w:t></w:r></w:p>",
            f'<!DOCTYPE w:document [<!ENTITY a "{"x" * 20_000}">]>',
        ),
    ),
    (
        "utf-16 doctype",
        f'<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY a "b">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body><w:p/></w:body></w:document>'.encode("utf-16"),
    ),
    ("not xml", b"<w:document <<< &&& not xml"),
    ("deep nesting", word_xml("<w:p>" * 5_000 + "</w:p>" * 5_000)),
    ("no body", f'<w:document xmlns:w="{W_NS}"/>'.encode()),
    ("empty", b""),
)


def random_bytes(rng: random.Random) -> tuple[str, bytes]:
    return _name(rng), rng.randbytes(rng.choice((1, 16, 400, 4096, 65_536)))


def bad_encoding(rng: random.Random) -> tuple[str, bytes]:
    text = _prose(rng, rng.randrange(1, 40))
    codec = rng.choice(
        ("utf-16-le", "utf-16-be", "utf-32", "cp1252", "koi8_r", "shift_jis", "gb18030", "utf-8")
    )
    raw = bytearray(text.encode(codec, errors="replace"))
    for _ in range(rng.choice((0, 1, 5, 50))):  # stray or damaged bytes
        if raw:
            raw[rng.randrange(len(raw))] = rng.randrange(256)
    if rng.random() < 0.3:
        raw = (
            bytearray(rng.choice((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00")))
            + raw
        )
    return _name(rng, rng.choice((".txt", ".md", ".html"))), bytes(raw)


def control_name(rng: random.Random) -> tuple[str, bytes]:
    chars = "".join(rng.choice(_NAME_CHARS) for _ in range(rng.randrange(1, 6))).replace("\x00", "")
    name = f"f{rng.randrange(1000)}{chars}{rng.choice(('.txt', '.md'))}"
    content = rng.choice((_prose(rng, 3).encode(), b"\x89PNG\r\n\x1a\n\x00", b""))
    return name, content


def malformed_docx(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.randrange(5)
    if kind == 0:
        _, xml = rng.choice(_BOMB_XML)
        data = docx_with({"word/document.xml": xml})
    elif kind == 1:  # flipped bytes anywhere in the archive
        raw = bytearray(base_docx())
        for _ in range(rng.choice((1, 10, 100))):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        data = bytes(raw)
    elif kind == 2:  # cut short
        data = base_docx()[: rng.randrange(len(base_docx()))]
    elif kind == 3:  # other parts replaced by junk or bombs
        member = rng.choice(
            ("[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/styles.xml")
        )
        _, xml = rng.choice(_BOMB_XML)
        data = docx_with({member: rng.choice((xml, rng.randbytes(200)))})
    else:  # random text in the body, control characters included
        text = "".join(
            rng.choice("ab <>&\x01\x0b\ufffe\ud7ff'\"") for _ in range(rng.randrange(50))
        )
        data = docx_with(
            {"word/document.xml": word_xml(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>")}
        )
    return _name(rng, ".docx"), data


def entity_bomb(rng: random.Random) -> tuple[str, bytes]:
    bomb = billion_laughs(rng.choice((3, 10)))
    if rng.random() < 0.5:
        _, xml = rng.choice(_BOMB_XML[2:6])
        return _name(rng, ".docx"), docx_with({"word/document.xml": xml})
    page = f"{bomb}<html><body><p>&lol9; &amp; a story about the bridge.</p></body></html>"
    return _name(rng, rng.choice((".html", ".txt", ".md"))), page.encode()


@cache
def zeros_member(size: int) -> bytes:
    """A Word document with a member of ``size`` zero bytes (compressed about 1000:1)."""
    out = io.BytesIO(base_docx())
    with (
        zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/media/image1.png", "w", force_zip64=True) as member,
    ):
        chunk = bytes(1 << 22)
        for _ in range(size // len(chunk)):
            member.write(chunk)
    return out.getvalue()


def zip_bomb(rng: random.Random) -> tuple[str, bytes]:
    kind = rng.randrange(3)
    if kind == 0:  # one member of 1 GiB (or 64 MiB)
        return _name(rng, ".docx"), zeros_member(rng.choice((1 << 30, 1 << 26)))
    if kind == 1:  # many members
        extra = {f"word/media/x{i}.bin": b"" for i in range(rng.choice((100, 6_000)))}
        return _name(rng, ".docx"), docx_with(extra=extra)
    # A body of many small elements, stored uncompressed so no ratio limit applies.
    unit = rng.choice(("<w:p/>", "<w:p><w:r><w:t>a</w:t></w:r></w:p>", "<w:r><w:t>a</w:t></w:r>"))
    count = rng.choice((10_000, 1_000_000))
    body = unit * count if unit != "<w:r><w:t>a</w:t></w:r>" else f"<w:p>{unit * count}</w:p>"
    return _name(rng, ".docx"), docx_with({"word/document.xml": word_xml(body)}, stored=True)


def huge_lines(rng: random.Random) -> tuple[str, bytes]:
    count = rng.choice((10_000, 100_000, 1_000_000))
    unit = rng.choice((b"a\n", b"a. ", b"\x14a", b"a<", b"\n", b"word ", b"!", b"a.b"))
    return _name(rng, rng.choice((".txt", ".md"))), unit * count


def heavy_html(rng: random.Random) -> tuple[str, bytes]:
    count = rng.choice((1_000, 100_000, 1_000_000))
    unit = rng.choice(("<div>", "<p>a</p>", "<b><i>", "<p>" + _SENTENCES[0] + "</p>\n", "&amp;"))
    return _name(rng, ".html"), f"<html><body>{unit * count}</body></html>".encode()


def near_limit(rng: random.Random) -> tuple[str, bytes]:
    """Just under the 20 MB limit: prose, one endless line, or text in a legacy code page."""
    size = 19_900_000
    kind = rng.randrange(3)
    if kind == 0:
        block = (_prose(rng, 20) + "\n\n").encode()
    elif kind == 1:
        block = b"x" * 4096
    else:
        block = ("Zoë said “café” – €5. " * 50 + "\n").encode("cp1252")
    data = block * (size // len(block))
    return _name(rng, rng.choice((".txt", ".md"))), data


#: Each class of hostile file, with how often the fuzz benchmark draws it.
CLASSES: dict[str, tuple[Callable[[random.Random], tuple[str, bytes]], int]] = {
    "random bytes": (random_bytes, 200),
    "bad encoding": (bad_encoding, 150),
    "control characters in name": (control_name, 120),
    "malformed docx": (malformed_docx, 200),
    "entity bomb": (entity_bomb, 80),
    "zip bomb": (zip_bomb, 40),
    "huge line count": (huge_lines, 80),
    "heavy html": (heavy_html, 60),
    "near the size limit": (near_limit, 10),
}


def write_file(folder: Path, name: str, data: bytes) -> Path:
    """Write ``data`` under ``name`` (which may hold undecodable-byte escapes)."""
    path = folder / name
    with open(os.fsencode(path), "wb") as file:
        file.write(data)
    return path


def write_special(folder: Path, kind: str) -> Path:
    """A file-system oddity named like an article: see ``SPECIALS``."""
    if kind == "self loop":
        path = folder / "loop.txt"
        path.symlink_to("loop.txt")
    elif kind == "two-file loop":
        path = folder / "a.txt"
        path.symlink_to("b.txt")
        (folder / "b.txt").symlink_to("a.txt")
    elif kind == "dangling link":
        path = folder / "gone.txt"
        path.symlink_to("nowhere.txt")
    elif kind == "pipe":
        path = folder / "pipe.txt"
        os.mkfifo(path)
    elif kind == "folder named like a file":
        path = folder / "folder.txt"
        path.mkdir()
        (path / "inside.md").write_text("A story inside a folder.", encoding="utf-8")
    elif kind == "folder loop":
        path = folder / "up"
        path.symlink_to(".", target_is_directory=True)
    else:
        raise ValueError(kind)
    return path


SPECIALS = (
    "self loop",
    "two-file loop",
    "dangling link",
    "pipe",
    "folder named like a file",
    "folder loop",
)
