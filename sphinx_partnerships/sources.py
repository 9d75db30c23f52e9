"""Data files (YAML, JSON, CSV) read into raw entries that remember their line.

Every entry of a file keeps the line it starts on, so that a problem in it is
reported at ``path/to/file.yaml:LINE`` and only that entry is skipped.
"""

from __future__ import annotations

import csv
import io
import json
import json.decoder
import json.scanner
import re
import stat
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Issue, Location, quoted, warn_issue

SUFFIXES = (".yaml", ".yml", ".json", ".csv")
#: a data file holds entries written by people; more than this is no such file
MAX_SIZE_MIB = 16


@dataclass(frozen=True, slots=True)
class RawEntry:
    fields: dict[str, Any]
    line: int


@dataclass(frozen=True, slots=True)
class DataFile:
    """A loaded file: its entries, or why (and where) it could not be read,
    and the problems of single rows that were skipped."""

    entries: tuple[RawEntry, ...] = ()
    failure: Issue | None = None
    skipped: tuple[Issue, ...] = ()
    #: CSV separates list items with ";"; YAML and JSON with "," in text
    list_separator: str = ","

    @property
    def issues(self) -> tuple[Issue, ...]:
        """The problems of the file as a whole and of the rows it skipped."""
        return (*self.skipped, *([self.failure] if self.failure else []))

    @property
    def error(self) -> str | None:
        return self.failure.text if self.failure else None

    @property
    def error_line(self) -> int | None:
        return self.failure.line if self.failure else None


def _failed(message_key: str, line: int | None = None, **values: Any) -> DataFile:
    return DataFile(failure=Issue(message_key, values, line))


class _Located(dict[str, Any]):
    """A mapping that knows the line it starts on."""

    line: int = 0


# -- YAML ---------------------------------------------------------------------

#: deeper than any entry needs; libyaml refuses 1,000 levels, Python's own
#: parser runs out of stack before that
MAX_NESTING = 100


class _PureLineLoader(yaml.SafeLoader):
    """The loader in Python, where libyaml is not installed."""


_LineLoader: type[Any] = type("_LineLoader", (getattr(yaml, "CSafeLoader", _PureLineLoader),), {})


def _construct_located_map(loader: Any, node: yaml.MappingNode) -> Iterator[_Located]:
    data = _Located()
    data.line = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))


def _construct_timestamp(loader: Any, node: yaml.ScalarNode) -> Any:
    """A date-like value that is no calendar date (``2022-02-30``) stays text,
    so that its entry alone is refused with a ``date`` warning."""
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


for _loader in (_LineLoader, _PureLineLoader):
    _loader.add_constructor("tag:yaml.org,2002:map", _construct_located_map)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _load_yaml(text: str, loader: type[Any] = _LineLoader) -> tuple[Any, DataFile | None]:
    """``loader`` is libyaml's where it is installed; both read the same."""
    try:
        refused = _refused_shape(yaml.parse(text, Loader=loader))
        if refused is not None:
            return None, refused
        return yaml.load(text, Loader=loader), None
    except RecursionError:
        return None, _failed("source-syntax", format="YAML", problem="nested too deeply")
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        return None, _failed("source-syntax", line, format="YAML", problem=error.problem)
    except yaml.reader.ReaderError as error:
        # a character YAML does not allow (a NUL byte): told by position
        line = text.count("\n", 0, error.position) + 1
        problem = f"character {error.character!r} is not allowed"
        return None, _failed("source-syntax", line, format="YAML", problem=problem)
    except (yaml.YAMLError, ValueError, TypeError) as error:
        # explicit tags with impossible values (``!!int abc``) fail while
        # constructing, outside the parser's marked errors
        return None, _failed("source-syntax", format="YAML", problem=quoted(str(error)))


def _refused_shape(events: Iterator[yaml.Event]) -> DataFile | None:
    """Refuse, before anything is built, what no data file needs and what
    would cost without bound: aliases, and nesting past ``MAX_NESTING``."""
    depth = 0
    for event in events:
        line = event.start_mark.line + 1 if event.start_mark else None
        if isinstance(event, yaml.AliasEvent):
            # An alias repeats what its anchor holds: a few hundred bytes of them
            # expand to gigabytes ("billion laughs"). Entries need none.
            return _failed("source-alias", line, value=event.anchor)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                return _failed("source-nesting", line, format="YAML", limit=MAX_NESTING)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


# -- JSON ---------------------------------------------------------------------


class _LineDecoder(json.JSONDecoder):
    """A JSON decoder whose objects know their line (pure-Python scanner)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        line_starts = [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]
        parse_plain_object = json.decoder.JSONObject  # type: ignore[attr-defined]

        def parse_object(
            s_and_end: tuple[str, int], *args: Any, **kwargs: Any
        ) -> tuple[_Located, int]:
            values, end = parse_plain_object(s_and_end, *args, **kwargs)
            located = _Located(values)
            located.line = bisect_right(line_starts, s_and_end[1] - 1)
            return located, end

        self.parse_object: Callable[..., Any] = parse_object
        self.scan_once = json.scanner.py_make_scanner(self)  # type: ignore[attr-defined]


def _load_json(text: str) -> tuple[Any, DataFile | None]:
    try:
        return _LineDecoder(text).decode(text), None
    except json.JSONDecodeError as error:
        return None, _failed("source-syntax", error.lineno, format="JSON", problem=error.msg)
    except RecursionError:
        # the line-tracking scanner is recursive: refuse absurd nesting, do not crash
        return None, _failed("source-syntax", format="JSON", problem="nested too deeply")
    except ValueError as error:
        # a number of thousands of digits, which Python refuses to convert
        return None, _failed("source-syntax", format="JSON", problem=quoted(str(error)))


# -- CSV ----------------------------------------------------------------------


def _load_csv(text: str) -> tuple[Any, DataFile | None]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    skipped: list[Issue] = []
    try:
        header = next(reader, None)
        if header is None:
            return [], None
        names = [name.strip() for name in header]
        for index, name in enumerate(names):
            if name and name in names[:index]:
                skipped.append(Issue("source-column-twice", {"value": quoted(name)}, 1))
        rows: list[_Located] = []
        line = reader.line_num + 1
        for cells in reader:
            if len(cells) > len(names) and any(cell.strip() for cell in cells[len(names) :]):
                values = {"cells": len(cells), "columns": len(names)}
                skipped.append(Issue("source-row-cells", values, line))
            elif any(cell.strip() for cell in cells):
                row = _Located()
                for name, cell in zip(names, cells, strict=False):
                    if cell.strip() and name not in row:
                        row[name] = cell
                row.line = line
                rows.append(row)
            line = reader.line_num + 1
    except csv.Error as error:
        return None, _failed("source-syntax", reader.line_num, format="CSV", problem=str(error))
    return _Rows(rows, skipped), None


class _Rows(list[_Located]):
    """The rows of a CSV file, and the problems of those that were skipped."""

    def __init__(self, rows: list[_Located], skipped: list[Issue]) -> None:
        super().__init__(rows)
        self.skipped = tuple(skipped)


_LOADERS = {
    ".yaml": _load_yaml,
    ".yml": _load_yaml,
    ".json": _load_json,
    ".csv": _load_csv,
}


def read_data_file(path: Path, key: str) -> DataFile:
    """Read ``path`` and pick the entries under ``key`` (or a bare list)."""
    document, failure = load_document(path)
    if failure is not None:
        return failure
    return pick_entries(document, key, path)


def load_document(path: Path) -> tuple[Any, DataFile | None]:
    """The parsed file, or a ``DataFile`` that tells why it could not be read.

    Only a regular file is read: a pipe would wait forever, a device never end.
    """
    if path.suffix.lower() not in SUFFIXES:
        return None, _failed("source-format", path=quoted(path.name), value=quoted(path.suffix))
    try:
        status = path.stat()
    except OSError:
        return None, _failed("source-missing", path=quoted(path.name))
    if not stat.S_ISREG(status.st_mode):
        return None, _failed("source-special", path=quoted(path.name))
    if status.st_size > MAX_SIZE_MIB * 2**20:
        return None, _failed("source-large", path=quoted(path.name), limit=MAX_SIZE_MIB)
    return _parse_cached(path, status.st_mtime_ns, status.st_size)


def pick_entries(document: Any, key: str, path: Path) -> DataFile:
    """The entries of a parsed file under ``key`` (or its bare list)."""
    separator = ";" if path.suffix.lower() == ".csv" else ","
    skipped = getattr(document, "skipped", ())
    if document is None:
        return DataFile(list_separator=separator)
    items = document
    if isinstance(document, dict):
        if key not in document:
            return _failed("source-shape", getattr(document, "line", None), key=quoted(key))
        items = document[key]
    if not isinstance(items, list):
        return _failed("source-key-shape", getattr(document, "line", None), key=quoted(key))
    fallback_line = getattr(document, "line", 1)
    entries: list[RawEntry] = []
    replaced: list[Issue] = []
    for item in items:
        line = item.line if isinstance(item, _Located) else fallback_line
        fields, changed = _writable(dict(item) if isinstance(item, _Located) else {"<entry>": item})
        if changed is not None:
            replaced.append(Issue("source-unencodable", {"value": quoted(changed)}, line))
        entries.append(RawEntry(fields, line))
    return DataFile(entries=tuple(entries), skipped=(*skipped, *replaced), list_separator=separator)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _writable(value: Any) -> tuple[Any, str | None]:
    """``value`` with every text (keys too) writable as UTF-8, and the first
    text that was not: a lone surrogate (JSON's ``"\\ud800"``) becomes U+FFFD.

    An escaped pair that YAML leaves as two halves is joined into its character.
    """
    if isinstance(value, str):
        if not _SURROGATE.search(value):
            return value, None
        joined = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        return joined, (joined if joined.count("\ufffd") > value.count("\ufffd") else None)
    if isinstance(value, list):
        items = [_writable(item) for item in value]
        return [item for item, _ in items], next((c for _, c in items if c is not None), None)
    if isinstance(value, dict):
        fixed: dict[Any, Any] = {}
        if isinstance(value, _Located):
            fixed = _Located()
            fixed.line = value.line
        first: str | None = None
        for key, item in value.items():
            new_key, key_changed = _writable(key)
            fixed[new_key], item_changed = _writable(item)
            first = first or key_changed or item_changed
        return fixed, first
    return value, None


@lru_cache(maxsize=64)
def _parse_cached(path: Path, _mtime_ns: int, _size: int) -> tuple[Any, DataFile | None]:
    """The parsed file, once per version of it: one file often feeds a
    timeline, an award list and a card grid on the same page."""
    loader = _LOADERS[path.suffix.lower()]
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, _failed("source-unreadable", path=quoted(path.name), problem=error)
    document, failure = loader(text)
    if failure is not None and failure.failure is not None:
        # a syntax error without a line is reported at the directive: name the file
        issue = failure.failure
        failure = DataFile(
            failure=Issue(issue.key, {"path": quoted(path.name), **issue.values}, issue.line)
        )
    return document, failure


def report_problems(data: DataFile, display_path: str, fallback: Location = None) -> None:
    """Warn ``partnerships.source`` for a file that gave no entries, and for
    each row that was skipped.

    The warning points into the file where the problem has a line; otherwise
    (a missing or undecodable file) at ``fallback``, the directive that asked
    for it: a bare path would be taken for a document name.
    """
    for issue in data.issues:
        location = f"{display_path}:{issue.line}" if issue.line else fallback
        warn_issue(issue, location)
