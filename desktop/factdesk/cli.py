"""The ``factdesk`` command: open the reader, or align and export from a terminal.

This module only parses arguments and prints; the work is done by ``factdesk.core``.
Qt is imported only when a window is actually opened, so ``factdesk align`` and
``factdesk export`` run on machines without a display or without Qt's libraries.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factdesk import __version__
from factdesk.core import views
from factdesk.core.bundled import sample_dir
from factdesk.core.model import EXPORT_FORMATS, ArticleSet, LoadError, ProgressFn, printable

if TYPE_CHECKING:
    from factdesk.core.files import TargetError

_WORD_RE = re.compile(r"\w+")
#: The exit status of a command whose output pipe was closed (128 + SIGPIPE).
SIGPIPE_STATUS = 141


def _is_project(path: str) -> bool:
    from factdesk.core.store import is_project

    return is_project(path)


def has_display() -> bool:
    """Whether a window could be shown (an offscreen Qt platform counts as no display)."""
    platform = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].strip().lower()
    if platform in ("offscreen", "minimal"):
        return False
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


# ----------------------------------------------------------------------------- output


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def error_line(error: LoadError) -> str:
    """``path: reason`` for a file that was not loaded, naming the file once.

    Messages from ingest start with the file's name; the path as given replaces it, so
    files of the same name in different folders can be told apart.
    """
    prefix = f"{printable(Path(error.path).name or error.path)}: "
    message = error.message[len(prefix) :] if error.message.startswith(prefix) else error.message
    # A path may hold a newline or other control characters: escaped, one error stays one line.
    return f"{printable(error.path)}: {printable(message)}"


def _print_errors(errors: Sequence[LoadError]) -> None:
    for error in errors:
        _err(error_line(error))


def _word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))


def _shorten(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def summary(article_set: ArticleSet) -> str:
    """A readable account of what was loaded and how the versions line up."""
    docs = article_set.documents
    lines = [
        f"{len(docs)} document{'s' if len(docs) != 1 else ''} loaded"
        + (f", {len(article_set.errors)} could not be read" if article_set.errors else "")
    ]
    names = {d.id: printable(d.name) for d in docs}
    name_width = max((len(name) for name in names.values()), default=0)
    for doc in docs:
        parts = [f"  {doc.id:<4} {names[doc.id]:<{name_width}}  {_word_count(doc.text):>6} words"]
        if doc.encoding:
            parts.append(doc.encoding)
        if doc.title:
            parts.append(f'"{_shorten(doc.title, 60)}"')
        lines.append("  ".join(parts))
        for note in doc.errors:
            lines.append(f"         note: {note}")
    for error in article_set.errors:
        lines.append(f"  not loaded: {error_line(error)}")

    passages = article_set.passages
    boilerplate = sum(1 for p in passages if p.boilerplate)
    same = sum(1 for link in article_set.links if link.relation == "same")
    related = len(article_set.links) - same
    shared = [g for g in article_set.groups if len({p.split(".")[0] for p in g.passages}) > 1]
    lines.append("")
    lines.append(f"Passages: {len(passages)} ({boilerplate} boilerplate)")
    lines.append(f"Links:    {len(article_set.links)} ({same} same, {related} related)")
    lines.append(
        f"Groups:   {len(article_set.groups)} ({len(shared)} shared by two or more versions)"
    )
    lines.append("")
    shown = views.stated_derivations(article_set)
    if shown:
        lines.append("Derivation:")
        for d in shown:
            lines.append(
                f"  {d.derived} {views.derivation_verdict(d, views.reverse_of(article_set, d))} {d.source} "
                f"(share {d.share:.2f}, score {d.score:.2f})"
            )
    else:
        lines.append("Derivation: no version appears to be rewritten from another")
    weak = len(article_set.derivation) - len(shown)
    if weak:
        lines.append(f"  ({weak} weaker overlaps between versions not shown; see --json)")
    for note in article_set.notes:
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def _print_json(data: dict[str, Any]) -> None:
    from factdesk.core import jsonio

    # Escape non-ASCII only when the terminal could not show it; the JSON stays lossless.
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    print(jsonio.dumps(data, ensure_ascii=encoding != "utf8"))


def _progress_printer() -> ProgressFn | None:
    if not sys.stderr.isatty():
        return None

    def progress(stage: str, done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{stage}: {done}/{total}   ", end=end, file=sys.stderr, flush=True)

    return progress


# ----------------------------------------------------------------------------- loading


def _analyse(paths: Sequence[str]) -> ArticleSet:
    from factdesk.core.pipeline import analyse

    progress = _progress_printer()
    return analyse(list(paths), progress=progress)


def _load(paths: Sequence[str]) -> ArticleSet | None:
    """A saved project (read without taking it from an open window) or freshly aligned files."""
    if len(paths) == 1 and _is_project(paths[0]):
        from factdesk.core.store import Project, ProjectError

        try:
            return Project.read(paths[0])
        except ProjectError as exc:
            _err(str(exc))
            return None
    return _analyse(paths)


def _report(article_set: ArticleSet | None) -> int:
    """Print load errors; the exit code says whether any document could be used."""
    if article_set is None:
        return 1
    _print_errors(article_set.errors)
    if not article_set.documents:
        _err("factdesk: no document could be loaded")
        return 1
    return 0


# ----------------------------------------------------------------------------- commands


def _run_gui(paths: list[str] | None, project: str | None) -> int | None:
    """Open the window; None when there is no display or Qt cannot be loaded."""
    if not has_display():
        _err("factdesk: no display available; printing the alignment summary instead")
        return None
    try:
        from factdesk.ui.app import run
    except ImportError as exc:
        _err(f"factdesk: the window cannot be opened ({exc}); printing the summary instead")
        return None
    return int(run(paths=paths, project=project))


def _gui_or_summary(paths: list[str]) -> int:
    project = paths[0] if len(paths) == 1 and _is_project(paths[0]) else None
    code = _run_gui(None if project else paths, project)
    if code is not None:
        return code
    article_set = _load(paths)
    status = _report(article_set)
    if article_set is not None and article_set.documents:
        print(summary(article_set))
    return status


def cmd_default(args: argparse.Namespace) -> int:
    seeds = sample_dir()
    if seeds is None:
        _err("factdesk: the bundled sample is missing; run `factdesk open PATH...`")
        return 1
    return _gui_or_summary([str(seeds)])


def cmd_open(args: argparse.Namespace) -> int:
    return _gui_or_summary(list(args.paths))


def cmd_align(args: argparse.Namespace) -> int:
    if args.project:
        from factdesk.core.store import overwrite_problem

        problem = overwrite_problem(args.project)
        if problem:
            _err(problem)
            return 1
    article_set = _analyse(args.paths)
    status = _report(article_set)
    if status:
        if args.json:
            # Scripts reading stdout still get valid JSON that lists what went wrong.
            from factdesk.core.jsonio import to_json

            _print_json(to_json(article_set))
        return status
    if args.project:
        from factdesk.core.store import Project, ProjectError

        try:
            Project.create(args.project, article_set).close()
        except ProjectError as exc:
            _err(str(exc))
            return 1
    if args.json:
        from factdesk.core.jsonio import to_json

        _print_json(to_json(article_set))
    else:
        print(summary(article_set))
        if args.project:
            print(f"Saved project {args.project}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        from factdesk.core.export import export
    except ImportError as exc:
        _err(f"factdesk: export is not available in this installation ({exc})")
        return 2
    from factdesk.core.files import TargetError, check_write_target, describe_os_error, write_atomic

    output = args.output if args.output and args.output != "-" else None
    if output is not None:
        # Before the (possibly long) load: never write over a project, a database or an input.
        try:
            check_write_target(output, inputs=args.paths, overwrite=args.force)
        except TargetError as exc:
            _err(_target_message(exc))
            return 1
    article_set = _load(args.paths)
    status = _report(article_set)
    if status or article_set is None:
        return status or 1
    try:
        text = export(article_set, args.format)
    except ValueError as exc:
        _err(f"factdesk: {exc}")
        return 1
    if output is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return 0
    inputs = [*args.paths, *(d.path for d in article_set.documents if d.path)]
    try:
        target = check_write_target(output, inputs=inputs, overwrite=args.force)
        write_atomic(target, text, newline="")
    except TargetError as exc:
        _err(_target_message(exc))
        return 1
    except OSError as exc:
        _err(
            f"{output}: cannot write ({describe_os_error(exc, Path(output))}); nothing was changed"
        )
        return 1
    return 0


def _target_message(exc: TargetError) -> str:
    return f"{exc}; add --force to replace it" if exc.needs_consent else str(exc)


def cmd_trace(args: argparse.Namespace) -> int:
    from factdesk.core.trace import TraceError, parse_day
    from factdesk.core.trace_dask import run_trace

    try:
        report = run_trace(
            args.inputs,
            args.out,
            workers=args.workers,
            scheduler=args.scheduler,
            projects=args.projects,
            since=parse_day(args.since),
            until=parse_day(args.until),
            show_progress=sys.stdout.isatty(),
            notify=_err,
            dashboard=None if args.dashboard.lower() == "none" else args.dashboard,
        )
    except TraceError as exc:
        _err(f"factdesk: {exc}")
        return 1
    _print_errors(report.errors)
    print(
        f"{report.articles} articles, {len(report.errors)} not read; {report.stories} stories "
        f"({report.aligned} aligned, {report.skipped} up to date); wrote {args.out}/stories.jsonl "
        f"and {args.out}/summary.html"
    )
    return 0 if report.stories else 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="factdesk",
        description=(
            "Line up every version of a news story and track which facts come from which "
            "source. With no command, FactDesk opens on its bundled sample."
        ),
    )
    parser.add_argument("--version", action="version", version=f"factdesk {__version__}")
    parser.set_defaults(func=cmd_default)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    p_open = commands.add_parser(
        "open",
        help="open articles or a project in the FactDesk window",
        description="Open articles (files or folders) or one .factdesk project in the window.",
    )
    p_open.add_argument("paths", nargs="+", metavar="PATH", help="article file, folder or project")
    p_open.set_defaults(func=cmd_open)

    p_align = commands.add_parser(
        "align",
        help="align articles and print a summary or JSON",
        description="Load, segment and align articles, then print a summary or JSON.",
    )
    p_align.add_argument("paths", nargs="+", metavar="PATH", help="article file or folder")
    p_align.add_argument("--json", action="store_true", help="print JSON (schema version 1)")
    p_align.add_argument(
        "--project", metavar="FILE", help="also save the result as a FactDesk project"
    )
    p_align.set_defaults(func=cmd_align)

    p_export = commands.add_parser(
        "export",
        help="export facts and alignment from a project",
        description=(
            "Export a project (or articles, aligned on the fly) as CSV, JSON, Markdown, "
            "HTML, W3C Web Annotations or ClaimReview."
        ),
    )
    p_export.add_argument(
        "paths", nargs="+", metavar="PROJECT", help="a .factdesk project (or article files)"
    )
    p_export.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS)
    p_export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p_export.add_argument(
        "--force",
        action="store_true",
        help="replace FILE if it exists (never a project, a database or an input file)",
    )
    p_export.set_defaults(func=cmd_export)

    p_trace = commands.add_parser(
        "trace",
        help="cut a day's articles into stories and align each story (on Dask)",
        description=(
            "Read many articles (files, folders, @lists of paths, JSON Lines feeds), group "
            "them into stories and align each story as `factdesk align` would, on a local "
            "Dask cluster or an existing one."
        ),
    )
    p_trace.add_argument(
        "inputs", nargs="+", metavar="INPUT", help="file, folder, @list.txt or feed.jsonl"
    )
    p_trace.add_argument("--out", required=True, metavar="DIR", help="folder for the results")
    p_trace.add_argument(
        "--workers", type=int, metavar="N", help="local worker processes (default: CPU count)"
    )
    p_trace.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on an existing Dask cluster (tcp://HOST:8786)"
    )
    p_trace.add_argument(
        "--projects", action="store_true", help="also write one .factdesk project per story"
    )
    p_trace.add_argument("--since", metavar="DATE", help="leave out articles dated before DATE")
    p_trace.add_argument("--until", metavar="DATE", help="leave out articles dated after DATE")
    p_trace.add_argument(
        "--dashboard",
        default=":8787",
        metavar="ADDRESS",
        help="where the local cluster serves its dashboard (:0 any free port, none for none)",
    )
    p_trace.set_defaults(func=cmd_trace)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
        sys.stdout.flush()
    except KeyboardInterrupt:
        _err("factdesk: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`factdesk align … | head`): stop quietly, as other
        # command-line tools do. Python would still try to flush stdout at exit, so it
        # is pointed at the null device first.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        return SIGPIPE_STATUS
    return code


if __name__ == "__main__":
    raise SystemExit(main())
