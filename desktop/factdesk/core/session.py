"""The open article set and everything that belongs to it, owned by one object.

A ``Session`` alone holds the shown set, its project (if any), the corrections in force,
the facts and the set's analysis. Nothing else changes them: the window, the command
line and the tests call its operations and listen to its callbacks.

Long operations (open, add, re-align, re-import) are split in two. ``*_job`` returns a
pure function ``job(progress, cancel) -> Loaded`` that reads a snapshot of the session
and can run in any thread; ``adopt(loaded)`` then makes its result the session's state,
on the caller's thread. A result whose session has since moved on (another set or
project was opened) is dropped, so a slow job never overwrites newer work. The
synchronous forms (``open``, ``add``, ``realign``, ``reimport``) do both at once.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar

from factdesk.core import corrections as edits
from factdesk.core import ingest, pipeline, review
from factdesk.core.analysis import Analysis, analyse
from factdesk.core.facts import reattach_facts
from factdesk.core.model import (
    PROJECT_SUFFIX,
    ArticleSet,
    CancelToken,
    Corrections,
    Document,
    Fact,
    LoadError,
    ProgressFn,
    ProjectError,
)

if TYPE_CHECKING:  # the store (and SQLite) load when a project is first used
    from factdesk.core.store import Project

T = TypeVar("T")


class Callbacks(Generic[T]):
    """Plain-Python callbacks: ``connect(fn)``, then every ``emit(value)`` calls them."""

    def __init__(self) -> None:
        self._slots: list[Callable[[T], object]] = []

    def connect(self, slot: Callable[[T], object]) -> None:
        self._slots.append(slot)

    def emit(self, value: T) -> None:
        for slot in list(self._slots):
            slot(value)


@dataclass
class Loaded:
    """What a long operation hands back for the session to adopt."""

    kind: str  # "open", "add", "realign" or "reimport"
    article_set: ArticleSet
    analysis: Analysis | None
    generation: int
    paths: list[str] = field(default_factory=list)


Job = Callable[[ProgressFn, CancelToken], Loaded]


def _noop(stage: str, done: int, total: int) -> None:
    return None


class Session:
    """One open article set: documents, alignment, corrections, facts, project, analysis."""

    def __init__(self) -> None:
        self._set = ArticleSet()
        self._analysis: Analysis | None = None
        self._corrections = Corrections()
        self.project: Project | None = None
        self.paths: list[str] = []  # what the set was opened from
        # Each new set or project starts a generation; results of jobs started in an
        # older one are not adopted.
        self.generation = 0
        self.set_replaced: Callbacks[str] = Callbacks()  # kind of change ("open", "realign"…)
        self.analysis_changed: Callbacks[None] = Callbacks()
        self.fact_inserted: Callbacks[int] = Callbacks()  # index in ``facts``
        self.fact_changed: Callbacks[int] = Callbacks()
        self.fact_removed: Callbacks[int] = Callbacks()
        self.corrections_changed: Callbacks[None] = Callbacks()
        self.project_changed: Callbacks[None] = Callbacks()

    # -- reading ----------------------------------------------------------------
    @property
    def article_set(self) -> ArticleSet:
        return self._set

    @property
    def facts(self) -> list[Fact]:
        return self._set.facts

    @property
    def analysis(self) -> Analysis | None:
        """Units and conflicts of the set, or None while they are not worked out."""
        return self._analysis

    def require_analysis(self) -> Analysis:
        """The analysis, worked out here and now if it is not known yet."""
        if self._analysis is None:
            self.adopt_analysis(analyse(self._set), self.generation)
        assert self._analysis is not None
        return self._analysis

    @property
    def corrections(self) -> Corrections:
        """The corrections in force: ahead of the set's own while a re-alignment runs."""
        return copy.deepcopy(self._corrections)

    @property
    def project_path(self) -> str:
        return str(self.project.path) if self.project is not None and self.project.path else ""

    @property
    def read_only(self) -> str:
        """Why the open project cannot be changed ("" when it can, or when there is none).

        Edits of a read-only project raise ``ProjectError`` and are not saved; saving it
        under another name (``save_as``) makes an editable copy.
        """
        return self.project.read_only if self.project is not None else ""

    def fact(self, fact_id: str) -> Fact | None:
        return next((f for f in self._set.facts if f.id == fact_id), None)

    # -- long operations: pure jobs ------------------------------------------------
    def open_job(self, paths: Sequence[str | Path], *, analysed: bool = True) -> Job:
        """Load and align ``paths`` as a new set (the current one stays until adopted).

        With ``analysed=False`` the job leaves out the analysis (conflicts, suggestions),
        so the set can be shown sooner; ``analysis_job`` then works it out.
        """
        targets = [str(p) for p in paths]
        generation = self.generation

        def job(progress: ProgressFn, cancel: CancelToken) -> Loaded:
            result = pipeline.analyse(targets, progress=progress, cancel=cancel)
            analysis = _analysed(result, progress) if analysed else None
            return Loaded("open", result, analysis, generation, targets)

        return job

    def add_job(self, paths: Sequence[str | Path]) -> Job:
        """Add the files under ``paths`` (skipping exact duplicates) and re-align."""
        return self._realign_job([str(p) for p in paths], reread=False)

    def realign_job(self) -> Job:
        """Re-align the set with the corrections in force."""
        return self._realign_job([], reread=False)

    def reimport_job(self) -> Job:
        """Read every document's file again and re-align; facts are re-anchored."""
        return self._realign_job([], reread=True)

    def _realign_job(self, adding: list[str], *, reread: bool) -> Job:
        documents = list(self._set.documents)
        errors, notes = list(self._set.errors), list(self._set.notes)
        corrections = self.corrections
        generation = self.generation
        kind = "add" if adding else "reimport" if reread else "realign"

        def job(progress: ProgressFn, cancel: CancelToken) -> Loaded:
            current = documents
            new_errors: list[LoadError] = []
            new_notes: list[str] = []
            if reread:
                current, new_errors = _reread(documents, progress, cancel)
            if adding:
                fresh, more_errors, more_notes = _load_new(
                    adding, current, progress=progress, cancel=cancel
                )
                current = current + fresh
                new_errors += more_errors
                new_notes += more_notes
            result = pipeline.build(
                current, progress=progress, cancel=cancel, corrections=corrections
            )
            result.errors = ([] if reread else errors) + new_errors
            result.notes = notes + new_notes
            return Loaded(kind, result, _analysed(result, progress), generation, adding)

        return job

    def adopt(self, loaded: Loaded) -> bool:
        """Make a job's result the session's set; False (and nothing changes) if stale."""
        if loaded.generation != self.generation:
            return False
        new = loaded.article_set
        if loaded.kind == "open":
            self._close_project()
            self.generation += 1
            self.paths = list(loaded.paths)
            self._corrections = copy.deepcopy(new.corrections)
        else:
            self._carry_over(new)
        self._set = new
        self._analysis = loaded.analysis
        self.set_replaced.emit(loaded.kind)
        if loaded.kind == "open":
            self.project_changed.emit(None)
        return True

    def _carry_over(self, new: ArticleSet) -> None:
        """Facts and the corrections in force go to a re-aligned set, re-anchored, and
        (with a project) saved with it in one transaction."""
        new.corrections = copy.deepcopy(self._corrections)
        if self.project is not None:
            self.project.article_set = self._set
            # carries the facts over and re-anchors them, in the same transaction
            self.project.save_alignment(new)
            self.project.set_corrections(copy.deepcopy(self._corrections))
        else:
            new.facts = self._set.facts
            reattach_facts(new)

    # -- long operations: synchronous forms ---------------------------------------
    def open(self, paths: Sequence[str | Path], progress: ProgressFn | None = None) -> ArticleSet:
        self.adopt(self.open_job(paths)(progress or _noop, CancelToken()))
        return self._set

    def add(self, paths: Sequence[str | Path], progress: ProgressFn | None = None) -> ArticleSet:
        self.adopt(self.add_job(paths)(progress or _noop, CancelToken()))
        return self._set

    def realign(self, progress: ProgressFn | None = None) -> ArticleSet:
        self.adopt(self.realign_job()(progress or _noop, CancelToken()))
        return self._set

    def reimport(self, progress: ProgressFn | None = None) -> ArticleSet:
        self.adopt(self.reimport_job()(progress or _noop, CancelToken()))
        return self._set

    def show(self, article_set: ArticleSet, analysis: Analysis | None = None) -> None:
        """Take an already aligned set as the session's new set (embedders and tests)."""
        self._close_project()
        self.generation += 1
        self.paths = []
        self._set = article_set
        self._analysis = analysis
        self._corrections = copy.deepcopy(article_set.corrections)
        self.set_replaced.emit("open")
        self.project_changed.emit(None)

    def adopt_analysis(self, analysis: Analysis, generation: int) -> bool:
        """Take the units and conflicts worked out for the set of ``generation``."""
        if generation != self.generation or self._analysis is not None:
            return False
        self._analysis = analysis
        self.analysis_changed.emit(None)
        return True

    def analysis_job(self) -> Callable[[ProgressFn, CancelToken], tuple[Analysis, int]]:
        """Work out the analysis of the current set (for a set shown without one)."""
        article_set, generation = self._set, self.generation

        def job(progress: ProgressFn, cancel: CancelToken) -> tuple[Analysis, int]:
            return _analysed(article_set, progress) or analyse(article_set), generation

        return job

    # -- projects ---------------------------------------------------------------------
    def open_project(self, path: str | Path) -> None:
        """Open a saved project; raises ``ProjectError`` (the session is unchanged then)."""
        from factdesk.core.store import Project

        project = Project.open(path)
        self._close_project()
        self.generation += 1
        self.project = project
        self.paths = []
        self._set = project.article_set
        self._analysis = None
        self._corrections = copy.deepcopy(self._set.corrections)
        self.set_replaced.emit("open")
        self.project_changed.emit(None)

    def save_as(self, path: str | Path) -> None:
        """Save the set, the corrections in force and the facts as a project, and keep
        working in it. Saving onto the open project changes nothing: it is saved already."""
        if self.is_open_project(path):
            return
        from factdesk.core.store import Project

        snapshot = copy.copy(self._set)
        snapshot.corrections = self.corrections
        project = Project.create(path, snapshot)
        self._close_project()
        self.project = project
        project.article_set = self._set
        self.project_changed.emit(None)

    def is_open_project(self, path: str | Path) -> bool:
        if self.project is None or self.project.path is None:
            return False
        try:
            return Path(path).resolve() == self.project.path.resolve()
        except OSError:
            return False

    def ensure_project(self, folder: Path) -> Path | None:
        """Give the set a project to save edits to: an autosave file in ``folder`` unless
        one is open. Returns the new project's path (None when one was open already)."""
        if self.project is not None:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        taken = [p.name for p in folder.glob(f"autosave-*{PROJECT_SUFFIX}")]
        path = folder / review.autosave_name(self._set, taken)
        self.save_as(path)
        return path

    def close(self) -> None:
        self._close_project()

    def _close_project(self) -> None:
        if self.project is not None:
            try:
                self.project.close()
            finally:
                self.project = None

    # -- facts -------------------------------------------------------------------------
    def put_fact(self, fact: Fact) -> None:
        """Insert or replace a fact (by id): in the project first, then in the set.

        Raises ``ProjectError`` when the project cannot take it; the fact is then kept in
        the set only, and the caller tells the editor.
        """
        index = next((i for i, f in enumerate(self._set.facts) if f.id == fact.id), None)
        try:
            self._save(lambda project: project.upsert_fact(fact))
        finally:
            # the project updates the set's facts itself; without one (or on failure) the
            # set is updated here, so it holds the fact exactly once either way
            facts = self._set.facts
            if index is None:
                if not any(f.id == fact.id for f in facts):
                    facts.append(fact)
                self.fact_inserted.emit(len(facts) - 1)
            else:
                facts[index] = fact
                self.fact_changed.emit(index)

    def delete_fact(self, fact_id: str) -> Fact | None:
        """Remove a fact; returns it (None if there was none). Raises like ``put_fact``."""
        facts = self._set.facts
        index = next((i for i, f in enumerate(facts) if f.id == fact_id), None)
        if index is None:
            return None
        fact = facts[index]
        try:
            self._save(lambda project: project.delete_fact(fact_id))
        finally:
            # the project may have replaced the list; remove the fact from whichever holds it
            self._set.facts = [f for f in self._set.facts if f.id != fact_id]
            self.fact_removed.emit(index)
        return fact

    def _save(self, write: Callable[[Project], object]) -> None:
        if self.project is None:
            return
        # The project's view of the set is the session's own: one list of facts.
        self.project.article_set = self._set
        write(self.project)

    # -- corrections ---------------------------------------------------------------
    def set_corrections(self, corrections: Corrections) -> None:
        """Put ``corrections`` in force (saved to the project at once). They reach the
        alignment at the next ``realign``; undo and redo come through here too."""
        self._corrections = copy.deepcopy(corrections)
        try:
            if self.project is not None:
                self.project.set_corrections(copy.deepcopy(corrections))
        finally:
            self.corrections_changed.emit(None)

    def linked(self, a: str, b: str) -> Corrections:
        """The corrections in force with passages ``a`` and ``b`` pinned together."""
        return edits.force_link(self._corrections, a, b)

    def unlinked(self, pairs: Sequence[tuple[str, str]]) -> Corrections:
        """The corrections in force with every pair kept apart."""
        return edits.forbid_links(self._corrections, list(pairs))

    def with_boilerplate(self, passage_ids: Sequence[str], flag: bool) -> Corrections:
        """The corrections in force with the passages flagged (or not) as boilerplate."""
        return edits.set_boilerplate(self._corrections, list(passage_ids), flag)

    def link(self, a: str, b: str) -> None:
        self.set_corrections(self.linked(a, b))

    def unlink(self, pairs: Sequence[tuple[str, str]]) -> None:
        self.set_corrections(self.unlinked(pairs))

    def set_boilerplate(self, passage_ids: Sequence[str], flag: bool) -> None:
        self.set_corrections(self.with_boilerplate(passage_ids, flag))


def _analysed(article_set: ArticleSet, progress: ProgressFn) -> Analysis | None:
    if not article_set.documents:
        return None
    progress("conflicts", 0, 1)
    result = analyse(article_set)
    progress("conflicts", 1, 1)
    return result


def _load_new(
    paths: list[str],
    known_docs: list[Document],
    *,
    progress: ProgressFn,
    cancel: CancelToken,
) -> tuple[list[Document], list[LoadError], list[str]]:
    """Documents under ``paths`` that are not already in the set (by content)."""
    new_docs, errors, notes = ingest.load_paths(
        paths, progress=progress, cancel=cancel, start_index=len(known_docs)
    )
    known = {d.sha256 for d in known_docs if d.sha256}
    fresh: list[Document] = []
    for doc in new_docs:
        if not doc.sha256 or doc.sha256 not in known:
            fresh.append(doc)
            known.add(doc.sha256)
    skipped = len(new_docs) - len(fresh)
    if skipped:
        notes = [*notes, f"{skipped} duplicate files skipped"]
    return fresh, errors, notes


def _reread(
    documents: list[Document], progress: ProgressFn, cancel: CancelToken
) -> tuple[list[Document], list[LoadError]]:
    """Every document read again from its file, keeping its id; a file that cannot be
    read any more keeps its last text and is reported."""
    out: list[Document] = []
    errors: list[LoadError] = []
    for i, doc in enumerate(documents):
        cancel.check()
        try:
            fresh = ingest.load_file(Path(doc.path), doc.id)
        except (ingest.IngestError, OSError) as exc:
            errors.append(LoadError(doc.path, f"{exc}; its previous text is kept"))
            out.append(doc)
        else:
            out.append(fresh)
        progress("load", i + 1, len(documents))
    return out, errors


__all__ = ["PROJECT_SUFFIX", "Callbacks", "Job", "Loaded", "ProjectError", "Session"]
