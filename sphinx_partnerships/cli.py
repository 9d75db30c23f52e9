"""``sphinx-partnerships``: check data files, and migrate Jekyll pages, without a build.

``check`` prints what the build would warn about a data file, in the build's
words (``file:line: WARNING: message [partnerships.subtype]``); ``migrate``
writes MyST pages and tells what it could not convert. Exit status: 0 when all
is well, 1 when a check found problems, 2 when the command cannot do its work
(bad arguments, a file whose kind cannot be told, a page that cannot be read).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
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
            arguments.pages, arguments.out, arguments.site_url, arguments.report, sys.stderr
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
    pages: Sequence[Path], out_dir: Path, site_url: str | None, report: Path | None, err: TextIO
) -> int:
    from .migrate import ParserMissing, migrate_page

    notes: list[str] = []
    status = OK
    written: dict[Path, Path] = {}
    for page in pages:
        try:
            text = page.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            print(f"{page}: error: cannot be read: {error}", file=err)
            status = FAILED
            continue
        try:
            migrated = migrate_page(text, page.name, site_url)
        except ParserMissing as error:
            print(f"error: {error}", file=err)
            return FAILED
        target = out_dir / migrated.path
        if target in written:
            print(f"{page}: error: {target} is written from {written[target]} already", file=err)
            status = FAILED
            continue
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(migrated.text, encoding="utf-8")
        except OSError as error:
            print(f"{target}: error: cannot be written: {error}", file=err)
            status = FAILED
            continue
        written[target] = page
        print(f"{page} -> {target}", file=err)
        notes.extend(
            f"{page}:{note.line}: {note.text}" if note.line else f"{page}: {note.text}"
            for note in migrated.notes
        )
    for note in notes:
        print(note, file=err)
    if report is not None:
        try:
            report.write_text("".join(f"{note}\n" for note in notes), encoding="utf-8")
        except OSError as error:
            print(f"{report}: error: cannot be written: {error}", file=err)
            status = FAILED
    return status
