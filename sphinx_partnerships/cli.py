"""``sphinx-partnerships``: check data files, and migrate Jekyll pages, without a build.

``check`` prints what the build would warn about a data file, in the build's
words (``file:line: WARNING: message [partnerships.subtype]``); ``migrate``
writes MyST pages and tells what it could not convert. Exit status: 0 when all
is well, 1 when a check found problems, 2 when the command cannot do its work
(bad arguments, a file whose kind cannot be told, a page that cannot be read,
or written where it would go).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .checking import KINDS, check_data_file, kind_from_name
from .diagnostics import Issue
from .sources import SUFFIXES

OK, PROBLEMS, FAILED = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        if arguments.command == "check":
            return check(arguments.paths, arguments.kind, arguments.format, sys.stdout, sys.stderr)
        return migrate(
            arguments.pages,
            arguments.out,
            arguments.site_url,
            arguments.report,
            sys.stderr,
            force=arguments.force,
        )
    except BrokenPipeError:
        # the reader stopped reading (``| head``): nothing more to say, and
        # nothing for Python to complain about when it flushes at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sphinx-partnerships",
        description="Check partnership data files and migrate Jekyll pages, without a build.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check_command = commands.add_parser(
        "check",
        help="validate YAML, JSON and CSV data files as the build does",
        description="Validate data files as the build does, with its messages and lines."
        " A folder is searched for .yaml, .yml, .json and .csv files.",
    )
    check_command.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    check_command.add_argument(
        "--kind",
        choices=sorted(KINDS),
        help="what the files hold (default: from their top-level key, or their name)",
    )
    check_command.add_argument(
        "--format", choices=("text", "json"), default="text", help="how problems are printed"
    )
    migrate_command = commands.add_parser(
        "migrate",
        help="turn Jekyll/kramdown pages into MyST pages",
        description="Turn Jekyll/kramdown pages into MyST pages that use the extension's"
        " directives; print what could not be converted.",
    )
    migrate_command.add_argument("pages", nargs="+", type=Path, metavar="PAGE")
    migrate_command.add_argument(
        "--out", type=Path, required=True, help="folder the MyST pages are written to"
    )
    migrate_command.add_argument(
        "--site-url",
        metavar="URL",
        help="address of the old site, to make its relative links absolute",
    )
    migrate_command.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the notes to FILE"
    )
    migrate_command.add_argument(
        "--force",
        action="store_true",
        help="replace files that exist already (never a page being migrated)",
    )
    return parser


# -- check -----------------------------------------------------------------------------


def check(paths: Sequence[Path], kind: str | None, output: str, out: TextIO, err: TextIO) -> int:
    problems: list[tuple[str, Issue]] = []
    status = OK
    for path, named in _data_files(paths):
        kinds = [kind] if kind else None
        if kinds is None and (guessed := kind_from_name(path)) is not None:
            issues, found = check_data_file(path)
            if not found and not issues:
                issues, found = check_data_file(path, [guessed])
        else:
            issues, found = check_data_file(path, kinds)
        if not found and not issues:
            if named:
                print(
                    f"{path}: error: cannot tell whether it holds activities, awards or cards"
                    " (no such top-level key or word in its name): give --kind",
                    file=err,
                )
                status = FAILED
            continue
        problems.extend((str(path), issue) for issue in issues)
    if output == "json":
        json.dump([_as_json(shown, issue) for shown, issue in problems], out, indent=2)
        out.write("\n")
    else:
        for shown, issue in problems:
            out.write(format_issue(shown, issue) + "\n")
    if problems and status == OK:
        status = PROBLEMS
    return status


def format_issue(path: str, issue: Issue) -> str:
    """An issue as Sphinx prints a warning with ``show_warning_types``."""
    where = f"{path}:{issue.line}" if issue.line else path
    return f"{where}: WARNING: {issue.text} [partnerships.{issue.subtype}]"


def _as_json(path: str, issue: Issue) -> dict[str, object]:
    return {
        "file": path,
        "line": issue.line,
        "type": "partnerships",
        "subtype": issue.subtype,
        "message": issue.text,
    }


def _data_files(paths: Sequence[Path]) -> Iterator[tuple[Path, bool]]:
    """Each file to check, and whether it was named (not found in a folder).

    A folder is searched recursively; folders whose name starts with ``.`` or
    ``_`` (``.git``, ``_build``, ``_static``) are left out.
    """
    for path in paths:
        if not path.is_dir():
            yield path, True
            continue
        for found in sorted(path.rglob("*")):
            hidden = any(part.startswith((".", "_")) for part in found.relative_to(path).parts[:-1])
            if found.suffix.lower() in SUFFIXES and found.is_file() and not hidden:
                yield found, False


# -- migrate ---------------------------------------------------------------------------


def migrate(
    pages: Sequence[Path],
    out_dir: Path,
    site_url: str | None,
    report: Path | None,
    err: TextIO,
    *,
    force: bool = False,
) -> int:
    from .migrate import Outputs, PageRefused, ParserMissing, migrate_page, read_page

    def say(line: str) -> None:
        print(_printable(line), file=err)

    # a report that cannot be written is said before any page is
    try:
        outputs = Outputs(out_dir, pages, force)
        report_path = report.resolve() if report is not None else None
        if report is not None and report_path is not None:
            outputs.check_writable(report_path, report)
    except (OSError, RuntimeError, PageRefused) as error:
        say(f"error: {error}")
        return FAILED
    notes: list[str] = []
    status = OK
    written: dict[Path, Path] = {}
    for page in pages:
        try:
            text = read_page(page)
        except PageRefused as error:
            say(f"{page}: error: {error}")
            status = FAILED
            continue
        try:
            migrated = migrate_page(text, page.name, site_url)
        except ParserMissing as error:
            say(f"error: {error}")
            return FAILED
        shown = out_dir / migrated.path
        try:
            target = outputs.target(migrated.path)
            if target in written:
                raise PageRefused(f"{shown} is written from {written[target]} already")
            replaced = outputs.write(target, migrated.text, shown)
        except PageRefused as error:
            say(f"{page}: error: {error}")
            status = FAILED
            continue
        except OSError as error:
            say(f"{shown}: error: cannot be written: {error}")
            status = FAILED
            continue
        written[target] = page
        say(f"{page} -> {shown}" + (" (replaced the file that was there)" if replaced else ""))
        notes.extend(
            f"{page}:{note.line}: {note.text}" if note.line else f"{page}: {note.text}"
            for note in migrated.notes
        )
    for note in notes:
        say(note)
    if report is not None and report_path is not None:
        try:
            if report_path in written:
                raise PageRefused(f"{report} is a page written just now: not written over")
            text = "".join(f"{_printable(note)}\n" for note in notes)
            if outputs.write(report_path, text, report):
                say(f"{report}: replaced the file that was there")
        except PageRefused as error:
            say(f"error: {error}")
            status = FAILED
        except OSError as error:
            say(f"{report}: error: cannot be written: {error}")
            status = FAILED
    return status


def _printable(text: str) -> str:
    """``text`` with its control characters (from a page's front matter, or a
    file name) written as escapes, so that they cannot drive the terminal."""
    return "".join(
        char if char == "\t" or unicodedata.category(char) != "Cc" else repr(char)[1:-1]
        for char in text
    )
