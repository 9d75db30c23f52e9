"""The checks of a data file that need no Sphinx project.

The build and ``sphinx-partnerships check`` both call :func:`check_entries`:
it returns each entry's values and its problems, which the build turns into
warnings at the entry's line and the command prints. What needs a project
(an image file that exists, a link to a page, an id used twice across pages,
markup that depends on the page's parser) is checked by the build only.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Issue, quoted
from .entries import (
    ACTIVITY_FIELDS,
    AWARD_FIELDS,
    CARD_FIELDS,
    Declaration,
    FieldSpec,
    card_issues,
    check_fields,
)
from .sources import DataFile, load_document, pick_entries


@dataclass(frozen=True, slots=True)
class EntryKind:
    """One kind of data file entry: the file's top-level key, and its fields."""

    key: str
    singular: str
    fields: Mapping[str, FieldSpec]


KINDS: dict[str, EntryKind] = {
    "activities": EntryKind("activities", "activity", ACTIVITY_FIELDS),
    "awards": EntryKind("awards", "award", AWARD_FIELDS),
    "cards": EntryKind("cards", "card", CARD_FIELDS),
}


@dataclass(frozen=True, slots=True)
class CheckedEntry:
    """One entry of a data file: its values (``None``: it is left out), its
    line, and its problems, each on that line."""

    values: dict[str, Any] | None
    line: int
    issues: tuple[Issue, ...]


def check_entries(
    data: DataFile, specs: Mapping[str, FieldSpec], singular: str
) -> Iterator[CheckedEntry]:
    """Every entry of a loaded file, validated with the field table."""
    how = Declaration(f"{singular} entry", in_directive=False, list_separator=data.list_separator)
    for raw in data.entries:
        if "<entry>" in raw.fields:
            said = {"subject": how.subject, "value": quoted(raw.fields["<entry>"])}
            yield CheckedEntry(None, raw.line, (Issue("entry-not-mapping", said, raw.line),))
            continue
        values, issues = check_fields(raw.fields, specs, how)
        yield CheckedEntry(values, raw.line, tuple(issue.at(raw.line) for issue in issues))


def check_data_file(path: Path, kinds: list[str] | None = None) -> tuple[list[Issue], list[str]]:
    """The problems of one data file, each with its line (``None``: the file as
    a whole), and the kinds of entries it was checked for.

    ``kinds`` defaults to those the file's top-level keys name; a file that
    cannot be read has the same problem whatever it holds. With no kind
    given or found, nothing is checked and the kinds are empty.
    """
    document, failure = load_document(path)
    if failure is not None:
        return list(failure.issues), []
    if kinds is None:
        kinds = kinds_in(document)
    issues: list[Issue] = []
    for name in kinds:
        kind = KINDS[name]
        data = pick_entries(document, kind.key, path)
        issues.extend(data.issues)
        for entry in check_entries(data, kind.fields, kind.singular):
            issues.extend(entry.issues)
            if kind.key == "cards" and entry.values is not None:
                # what the build says of any card, wherever it is shown
                issues.extend(issue.at(entry.line) for issue in card_issues(entry.values))
    return in_file_order(issues), kinds


def in_file_order(issues: Iterable[Issue]) -> list[Issue]:
    """Each problem once, by line: the order the build tells a file's problems in."""
    unique = {(issue.line or 0, issue.subtype, issue.text): issue for issue in issues}
    return [unique[key] for key in sorted(unique)]


def kinds_in(document: Any) -> list[str]:
    """The kinds of entries a parsed file names by its top-level keys."""
    if not isinstance(document, dict):
        return []
    return [name for name in KINDS if name in document]


def kind_from_name(path: Path) -> str | None:
    """The kind a file's name tells (``activities.csv``, ``awards-2022.json``)
    when it names exactly one."""
    stem = path.stem.lower()
    named = [name for name in KINDS if name.rstrip("s").removesuffix("ie") in stem]
    return named[0] if len(named) == 1 else None
