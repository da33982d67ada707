"""A process killed while writing fact edits loses no acknowledged edit."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from factdesk.core.model import ArticleSet, Document, Passage
from factdesk.core.store import Project

DESKTOP = Path(__file__).resolve().parents[2] / "desktop"

WRITER = r"""
import sys
from factdesk.core.model import Anchor, Fact
from factdesk.core.store import Project

project = Project.open(sys.argv[1])
i = 0
while True:
    i += 1
    fact = Fact(
        id=f"f{i}",
        statement=f"statement {i} " + "x" * (i % 50),
        anchors=[Anchor(doc="d0", start=0, end=5, exact="Alpha", confirmed=True)],
        status="confirmed" if i % 2 else "disputed",
        note=f"note {i}",
        created="2024-01-01T00:00:00Z",
        modified="2024-01-01T00:00:00Z",
    )
    project.upsert_fact(fact)
    if i > 3:
        previous = Fact(
            id=f"f{i - 3}",
            statement=f"statement {i - 3} edited",
            note=f"edited {i - 3}",
            created="2024-01-01T00:00:00Z",
            modified="2024-01-01T00:00:01Z",
        )
        project.upsert_fact(previous)
        print(f"edit f{i - 3}", flush=True)
    print(f"ack f{i}", flush=True)
"""


def _set() -> ArticleSet:
    text = "Alpha beta gamma. Delta epsilon."
    return ArticleSet(
        documents=[Document(id="d0", path="d0.txt", name="d0.txt", text=text)],
        passages=[
            Passage(id="d0.s0", doc="d0", index=0, paragraph=0, start=0, end=17),
            Passage(id="d0.s1", doc="d0", index=1, paragraph=0, start=18, end=32),
        ],
    )


def test_sigkill_during_fact_edits_keeps_every_acknowledged_edit(tmp_path: Path) -> None:
    path = tmp_path / "story.factdesk"
    Project.create(path, _set()).close()
    env = {**os.environ, "PYTHONPATH": str(DESKTOP)}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    acknowledged: set[str] = set()
    edited: set[str] = set()
    assert child.stdout is not None
    deadline = time.monotonic() + 60
    try:
        while len(acknowledged) < 40 and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            kind, fact_id = line.split()
            (acknowledged if kind == "ack" else edited).add(fact_id)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert len(acknowledged) >= 40, child.stderr.read() if child.stderr else ""

    project = Project.open(path)
    try:
        facts = {f.id: f for f in project.article_set.facts}
    finally:
        project.close()
    assert acknowledged <= set(facts)
    for fact_id in edited:
        assert facts[fact_id].note == f"edited {fact_id[1:]}"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
