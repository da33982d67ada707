"""One call from paths on disk to an aligned article set; the GUI, the CLI and the tests use it."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from factdesk.core import align, ingest, runtime, segment
from factdesk.core.model import ArticleSet, CancelToken, Corrections, Document, ProgressFn


def _noop(stage: str, done: int, total: int) -> None:
    return None


def analyse(
    paths: Sequence[str | Path],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    corrections: Corrections | None = None,
) -> ArticleSet:
    """Load, segment and align every readable file under ``paths``."""
    progress = progress or _noop
    with runtime.gc_paused():
        documents, errors, notes = ingest.load_paths(paths, progress=progress, cancel=cancel)
        result = build(documents, progress=progress, cancel=cancel, corrections=corrections)
    result.errors = errors
    result.notes = notes
    return result


def build(
    documents: Sequence[Document],
    *,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
    corrections: Corrections | None = None,
) -> ArticleSet:
    """Segment and align documents that are already loaded (used when re-aligning a project)."""
    with runtime.gc_paused():
        return _build(documents, progress or _noop, cancel, corrections)


def _build(
    documents: Sequence[Document],
    progress: ProgressFn,
    cancel: CancelToken | None,
    corrections: Corrections | None,
) -> ArticleSet:
    result = ArticleSet(documents=list(documents), corrections=corrections or Corrections())
    for i, doc in enumerate(result.documents):
        if cancel is not None:
            cancel.check()
        paragraphs, passages = segment.segment_document(doc)
        result.paragraphs.extend(paragraphs)
        result.passages.extend(passages)
        progress("segment", i + 1, len(result.documents))
    segment.flag_off_topic(result.documents, result.passages)
    for passage in result.passages:
        override = result.corrections.boilerplate.get(passage.id)
        if override is not None:
            passage.boilerplate = override
            passage.boilerplate_reason = "editor" if override else ""
    alignment = align.align(
        result.documents,
        result.passages,
        corrections=result.corrections,
        progress=progress,
        cancel=cancel,
    )
    result.links = alignment.links
    result.groups = alignment.groups
    result.derivation = alignment.derivation
    return result
