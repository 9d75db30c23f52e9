"""Every warning the extension gives: ``type="partnerships"``, a subtype, and its words.

The messages live in one table, so that the reference page lists each of them
with its cause and fix (a test keeps the two in step), writers silence a family
with ``suppress_warnings = ["partnerships.date"]``, and ``-W`` turns any of them
into a failed build.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, Literal, TypeAlias

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger("sphinx_partnerships")

WarningSubtype = Literal[
    "date",
    "field",
    "source",
    "link",
    "image",
    "alt",
    "duplicate",
    "structure",
    "markup",
    "feed",
    "archive",
    "output",
]

#: ``(docname, line)`` for pages, ``"/abs/path.yaml:12"`` for files, or a node.
Location: TypeAlias = tuple[str, int | None] | str | nodes.Node | None

#: the longest piece of a writer's value quoted in a message
QUOTED_LENGTH = 60


@dataclass(frozen=True)
class Message:
    subtype: WarningSubtype
    #: the words, with ``{placeholders}`` (``{subject}``: "activity directive",
    #: "award entry" …: what the problem is in)
    text: str


MESSAGES: dict[str, Message] = {
    # directives and their options
    "option-unknown": Message("field", "{subject}: unknown option :{option}: (known: {known})"),
    "option-choice": Message(
        "field", "{subject}: :{option}: must be one of {choices}, not {value}; using {default}"
    ),
    "option-limit": Message(
        "field", "{subject}: :limit: must be a whole number from 1, not {value}; showing all"
    ),
    "option-columns": Message(
        "field",
        "{subject}: :columns: takes 1 to 4 whole numbers from 1 to 6 (narrow, small,"
        " medium, wide screens), not {value}; using 1 2 3 3",
    ),
    "option-class": Message("field", "{subject}: :class: {value} is not a CSS class name"),
    "option-kind": Message(
        "field", "{subject}: :kind: must be country or organisation, not {value}; left out"
    ),
    "option-bound": Message("date", "{problem}; the bound is ignored"),
    "argument-missing": Message(
        "field", "{subject}: the {argument} is missing: write it after the directive's name"
    ),
    "body-missing": Message("field", "{subject}: the text is missing: write it below the options"),
    "option-required": Message("field", "{subject}: the :{option}: option is required"),
    "option-value": Message("field", "{subject}: :{option}: {problem}; {outcome}"),
    # data files and their entries
    "field-unknown": Message(
        "field", "{subject}: unknown field {field} (known: {known}); it is ignored"
    ),
    "field-required": Message("field", "{subject}: the {field} field is required"),
    "field-value": Message("field", "{subject}: the {field} field {problem}; {outcome}"),
    "entry-not-mapping": Message(
        "field", "{subject} must be a mapping of fields (name: value), not {value}"
    ),
    "source-outside": Message(
        "source", "{subject}: :source: {value} is outside the source directory"
    ),
    "source-suffix": Message(
        "source", "{subject}: :source: {value} must end in .yaml, .yml, .json or .csv"
    ),
    "source-missing": Message("source", "data file {path} does not exist"),
    "source-format": Message(
        "source", "data file {path} has an unknown format {value} (use .yaml, .yml, .json or .csv)"
    ),
    "source-special": Message(
        "source", "data file {path} is not a regular file (a folder, pipe or device)"
    ),
    "source-large": Message("source", "data file {path} is larger than {limit} MiB"),
    "source-unreadable": Message("source", "data file {path} cannot be read: {problem}"),
    "source-syntax": Message("source", "data file {path} is not valid {format}: {problem}"),
    "source-nesting": Message(
        "source",
        "data file {path} nests lists and mappings more than {limit} levels deep;"
        " entries need a few: the file is not read",
    ),
    "source-alias": Message(
        "source", "data file uses a YAML alias (*{value}): write the values out instead"
    ),
    "source-shape": Message(
        "source", "data file must hold a list of entries, or a mapping with an {key} list"
    ),
    "source-key-shape": Message("source", "data file: {key} must be a list of entries"),
    "source-row-cells": Message(
        "source", "data file row has {cells} cells for {columns} columns; the row is skipped"
    ),
    "source-column-twice": Message(
        "source", "data file names the column {value} twice; the later one is ignored"
    ),
    "source-unencodable": Message(
        "source",
        "data file text {value} holds a character no file can hold (a lone UTF-16"
        " surrogate, such as \\ud800 in JSON); it is replaced by U+FFFD",
    ),
    # dates
    "date-format": Message(
        "date", "{subject}: {value} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD"
    ),
    "date-calendar": Message("date", "{subject}: {value} is not a calendar date ({problem})"),
    "date-missing": Message("date", "{subject}: the date is missing: {hint}"),
    "date-range-format": Message(
        "date",
        "{subject}: {value} is not a date range: write START/END, as 2022-06-23/2022-06-24"
        " or 2022-06-23/24",
    ),
    "date-range-precision": Message(
        "date",
        "{subject}: {value} mixes precisions: both ends of a range are years, months or days",
    ),
    "date-range-order": Message(
        "date", "{subject}: the range {value} does not end after it starts"
    ),
    # links
    "link-scheme": Message(
        "link",
        "{subject}: the link scheme {value} is not allowed (use http, https, mailto or a"
        " page or label); shown without the link",
    ),
    "link-no-scheme": Message(
        "link", "{subject}: {value} needs a scheme (https://); shown without the link"
    ),
    "link-empty": Message("link", "{subject}: the link is empty"),
    "xref-entry": Message("link", "{kind} {value} does not exist (no {kind} has this :id:)"),
    "xref-partner": Message(
        "link", "partner {value} does not exist (no activity names it in :partners:)"
    ),
    "xref-no-index": Message(
        "link",
        "partner {value} cannot be linked: the project has no partner-index directive"
        " (add one to a page)",
    ),
    "xref-link": Message(
        "link", "link target {value} does not exist (not a page, label or entry id)"
    ),
    "card-caption-links": Message(
        "link",
        "image card: the links of a linked card's caption are shown as text (the whole"
        " card is one link)",
    ),
    "card-text-links": Message(
        "link",
        "text card: the links of a linked card's text are shown as text (the whole card is"
        " one link)",
    ),
    # cards and images
    "image-scheme": Message("image", "image {value}: only page-relative, /-rooted or https images"),
    "image-pattern": Message(
        "image",
        "image {value}: a path cannot hold *, ? or [, which could name other files (only"
        " name.* at the end, to let each builder pick a format); shown without the image",
    ),
    "image-hidden": Message(
        "image",
        "image {value}: {part} is hidden (its name starts with a dot), and hidden files are"
        " never published; shown without the image",
    ),
    "image-type": Message(
        "image",
        "image {value} is not of an image type: name a .png, .jpg, .jpeg, .gif, .webp, .svg"
        " or .pdf file, or name.*; shown without the image",
    ),
    "image-missing": Message(
        "image", "image file not found: {value} (looked for {place}); shown without the image"
    ),
    "image-outside": Message(
        "image",
        "image {value} is outside the source directory ({place}), and only files inside it"
        " are published; shown without the image",
    ),
    "image-link": Message(
        "image",
        "image {value} ({place}) leads to {target}, outside the source directory or hidden,"
        " which is never published; shown without the image",
    ),
    "image-special": Message(
        "image",
        "image {value} ({place}) is not a regular file (a folder, pipe or device); shown"
        " without the image",
    ),
    "image-content": Message(
        "image",
        "image {value} ({place}) is not a {format} file: its first bytes are those of"
        " another kind of file; shown without the image",
    ),
    "image-format": Message(
        "image",
        "image {value}: the {builder} builder takes none of its formats ({formats}); shown"
        " without the image",
    ),
    "card-kind-missing": Message(
        "field", "card entry: the 'image' field is required, or a 'title' for a text card"
    ),
    "card-field-kind": Message(
        "field", "card entry: the {field} field is for {kind} cards; it is ignored"
    ),
    "alt-missing": Message("alt", "image card {value} needs :alt: text (or :decorative:)"),
    "alt-decorative": Message(
        "alt",
        "image card {value} is :decorative: and has :alt: text: the text is ignored"
        " (remove one of them)",
    ),
    "alt-linked": Message(
        "alt",
        "image card {value}: a linked card without a caption needs :alt: text to name"
        " its link; shown without the link",
    ),
    # ids
    "duplicate-id": Message(
        "duplicate", "{kind} id {value} is declared twice: here and at {others}"
    ),
    "duplicate-on-page": Message(
        "duplicate",
        "{subject}: :id: {value} is already used on this page; this entry's anchor is {anchor}",
    ),
    "anchor-partner": Message(
        "duplicate",
        "{subject}: :id: {value} is the anchor of partner {partner} in the partner index;"
        " this entry's anchor is {anchor}",
    ),
    # structure
    "structure-nested": Message(
        "structure", "{what} cannot be written inside {container}; it is shown after it"
    ),
    "structure-misplaced": Message(
        "structure",
        "{what} cannot be written inside {container}; it is shown on its own, before it",
    ),
    "structure-toctree": Message(
        "structure",
        "a toctree cannot be part of {container}, which other pages may show too; it is"
        " left out (write it outside)",
    ),
    # markup
    "markup-unsafe": Message(
        "markup",
        "{subject}: text from a data file cannot hold {construct}; shown as text (see"
        " 'Text in data files' in the reference)",
    ),
    "markup-long": Message(
        "markup",
        "{subject}: a block of text from a data file longer than {limit} characters is"
        " shown as plain text, its markup not read (split it with blank lines)",
    ),
    "markup-colon-fence": Message(
        "markup",
        "this page writes {value} with colons, which MyST reads only with its colon_fence"
        ' extension: add "colon_fence" to myst_enable_extensions in conf.py',
    ),
    # feeds
    "config-feeds": Message("field", "partnerships_feeds {problem}; it is ignored"),
    "feed-baseurl": Message(
        "feed",
        "partnerships_feeds asks for Atom feeds, but html_baseurl {value} is not the site's"
        " absolute address (https://…/): no feed is written",
    ),
    # archives
    "config-archives": Message("field", "{problem}"),
    "archive-page": Message(
        "archive",
        "the archive page {page} is not made: a page of the project has that name (rename"
        " it, or set partnerships_archive_prefix)",
    ),
    # the files the extension writes
    "output-taken": Message(
        "output",
        "{ours} is not written: {theirs} is written to the same file {path} (rename it, or"
        " change {setting})",
    ),
    "output-shared": Message(
        "output",
        "{ours} is not written: {first} is written to the same file {path} (change {setting})",
    ),
    "output-manifest": Message(
        "output",
        "cannot note the files written to the output folder in {path} ({problem}): files"
        " the build no longer makes may be left there",
    ),
    # configuration
    "config-exclude": Message(
        "field",
        "partnerships_project_exclude must be a list of page patterns (text), not {value};"
        " it is ignored",
    ),
    "config-language": Message(
        "field",
        "partnerships_language must be a language code such as 'de' or 'pt_BR', not"
        " {value}; dates use the build's language",
    ),
    "config-export": Message(
        "field",
        "partnerships_json_export must be True or False, not {value}; partnerships.json is written",
    ),
}


def quoted(value: Any) -> str:
    """A writer's value as a message shows it: quoted, and never very long."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > QUOTED_LENGTH:
        text = text[: QUOTED_LENGTH - 1] + "…"
    return repr(text)


class _Blank(dict[str, Any]):
    def __missing__(self, name: str) -> str:
        return ""


class Problem(ValueError):
    """A bad value, told by the message ``key`` and the values it names; the
    place that catches it names the subject."""

    def __init__(self, key: str, **values: Any) -> None:
        super().__init__(MESSAGES[key].text.format_map(_Blank(values)).removeprefix(": "))
        self.key = key
        self.values = values


def message(message_key: str, /, **values: Any) -> str:
    return MESSAGES[message_key].text.format(**values)


@dataclass(frozen=True, slots=True)
class Issue:
    """A problem found without a build: a message key, its values, and the
    line of the data file it is on (``None``: the whole file, or not known yet).

    The checks return issues; the build turns each into a warning (``warn_issue``)
    and the command line prints it (``sphinx-partnerships check``).
    """

    key: str
    values: dict[str, Any] = field(default_factory=dict)
    line: int | None = None

    @property
    def subtype(self) -> WarningSubtype:
        return MESSAGES[self.key].subtype

    @property
    def text(self) -> str:
        return message(self.key, **self.values)

    def at(self, line: int | None) -> Issue:
        """The same issue on ``line``."""
        return replace(self, line=line)


@dataclass(frozen=True, order=True, slots=True)
class HeldWarning:
    """A warning about a data file, held back while a page reads the file:
    every page that loads the file finds the same problems, and the build
    tells each once (see ``PartnershipsDomain.check_consistency``)."""

    path: str
    line: int
    subtype: WarningSubtype
    text: str

    def emit(self) -> None:
        location = f"{self.path}:{self.line}" if self.line else self.path
        logger.warning(self.text, type="partnerships", subtype=self.subtype, location=location)


#: while a data file is read for a page: the warnings located in that file
_held: list[HeldWarning] | None = None
_held_path = ""


@contextmanager
def holding_warnings_about(path: str) -> Iterator[list[HeldWarning]]:
    """Warnings located in the data file ``path`` are collected, not emitted."""
    global _held, _held_path
    saved = _held, _held_path
    _held, _held_path = [], path
    try:
        yield _held
    finally:
        _held, _held_path = saved


def _held_back(subtype: WarningSubtype, text: str, location: Location) -> bool:
    if _held is None or not isinstance(location, str):
        return False
    if location == _held_path:
        line = 0
    else:
        path, _, number = location.rpartition(":")
        if path != _held_path or not number.isdigit():
            return False
        line = int(number)
    _held.append(HeldWarning(_held_path, line, subtype, text))
    return True


def warn(message_key: str, location: Location, /, **values: Any) -> None:
    """Emit one partnerships warning at an exact place."""
    subtype = MESSAGES[message_key].subtype
    text = message(message_key, **values)
    if not _held_back(subtype, text, location):
        logger.warning(text, type="partnerships", subtype=subtype, location=location)


def warn_issue(issue: Issue, location: Location) -> None:
    """Emit the warning an issue stands for, at ``location``."""
    warn(issue.key, location, **issue.values)
