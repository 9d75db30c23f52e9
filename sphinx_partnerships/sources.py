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
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Location, warn

SUFFIXES = (".yaml", ".yml", ".json", ".csv")


@dataclass(frozen=True, slots=True)
class RawEntry:
    fields: dict[str, Any]
    line: int


@dataclass(frozen=True, slots=True)
class DataFile:
    """A loaded file: its entries, or the reason (and line) it could not be read."""

    entries: tuple[RawEntry, ...] = ()
    error: str | None = None
    error_line: int | None = None
    #: CSV separates list items with ";"; YAML and JSON have real lists
    list_separator: str | None = None


class _Located(dict[str, Any]):
    """A mapping that knows the line it starts on."""

    line: int = 0


# -- YAML ---------------------------------------------------------------------

_YamlBase: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_YamlBase):  # type: ignore[misc]
    pass


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


_LineLoader.add_constructor("tag:yaml.org,2002:map", _construct_located_map)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _load_yaml(text: str) -> tuple[Any, DataFile | None]:
    try:
        return yaml.load(text, Loader=_LineLoader), None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        return None, DataFile(error=f"not valid YAML: {error.problem}", error_line=line)
    except (yaml.YAMLError, ValueError, TypeError) as error:
        # explicit tags with impossible values (``!!int abc``) fail while
        # constructing, outside the parser's marked errors
        return None, DataFile(error=f"not valid YAML: {error}")


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
        return None, DataFile(error=f"not valid JSON: {error.msg}", error_line=error.lineno)
    except RecursionError:
        # the line-tracking scanner is recursive: refuse absurd nesting, do not crash
        return None, DataFile(error="not valid JSON: nested too deeply")


# -- CSV ----------------------------------------------------------------------


def _load_csv(text: str) -> tuple[Any, DataFile | None]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return [], None
        names = [name.strip() for name in header]
        rows: list[_Located] = []
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(cells) > len(names):
                    return None, DataFile(
                        error=f"a row has {len(cells)} cells for {len(names)} columns",
                        error_line=line,
                    )
                row = _Located(
                    (name, cell) for name, cell in zip(names, cells, strict=False) if cell.strip()
                )
                row.line = line
                rows.append(row)
            line = reader.line_num + 1
    except csv.Error as error:
        return None, DataFile(error=f"not valid CSV: {error}", error_line=reader.line_num)
    return rows, None


_LOADERS = {
    ".yaml": _load_yaml,
    ".yml": _load_yaml,
    ".json": _load_json,
    ".csv": _load_csv,
}


def read_data_file(path: Path, key: str) -> DataFile:
    """Read ``path`` and pick the entries under ``key`` (or a bare list)."""
    try:
        stat = path.stat()
    except OSError:
        return DataFile(error="the file does not exist")
    document, failure = _parse_cached(path, stat.st_mtime_ns, stat.st_size)
    if failure is not None:
        return failure
    separator = ";" if path.suffix.lower() == ".csv" else None
    if document is None:
        return DataFile(list_separator=separator)
    items = document
    if isinstance(document, dict):
        if key not in document:
            return DataFile(
                error=f"expected a list, or a mapping with a {key!r} list",
                error_line=getattr(document, "line", None),
            )
        items = document[key]
    if not isinstance(items, list):
        return DataFile(
            error=f"{key!r} must be a list of entries",
            error_line=getattr(document, "line", None),
        )
    fallback_line = getattr(document, "line", 1)
    entries = tuple(
        RawEntry(dict(item), item.line)
        if isinstance(item, _Located)
        else RawEntry({"<entry>": item}, fallback_line)
        for item in items
    )
    return DataFile(entries=entries, list_separator=separator)


@lru_cache(maxsize=64)
def _parse_cached(path: Path, _mtime_ns: int, _size: int) -> tuple[Any, DataFile | None]:
    """The parsed file, once per version of it: one file often feeds a
    timeline, an award list and a card grid on the same page."""
    loader = _LOADERS.get(path.suffix.lower())
    if loader is None:
        return None, DataFile(
            error=f"unknown data format {path.suffix!r} (use {', '.join(SUFFIXES)})"
        )
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        return None, DataFile(error=f"cannot be read: {error}")
    return loader(text)


def report_unreadable(data: DataFile, display_path: str, fallback: Location = None) -> None:
    """Warn ``partnerships.source`` for a file that gave no entries.

    The warning points into the file where the problem has a line; otherwise
    (a missing or undecodable file) at ``fallback``, the directive that asked
    for it: a bare path would be taken for a document name.
    """
    if data.error is None:
        return
    if data.error_line:
        warn("source", f"data file {data.error}", f"{display_path}:{data.error_line}")
    else:
        warn("source", f"data file {display_path}: {data.error}", fallback)
