"""JSON Schemas of the data files (activities, awards, cards) and of ``partnerships.json``.

The data file schemas are made from the field tables of :mod:`..entries`, so
that an editor checks a file with the fields and types the build checks. A
schema cannot tell everything the build does: a 29 February outside leap
years, markup in text, a link to a page that does not exist. The files next
to this module are what :func:`schemas` gives; ``python -m
sphinx_partnerships.schemas`` writes them again after a field changes, and a
test fails while they differ.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..checking import KINDS, EntryKind
from ..entries import IMAGE_CARD_FIELDS, TEXT_CARD_FIELDS, FieldSpec
from ..images import IMAGE_TYPES

DIRECTORY = Path(__file__).parent
#: where the documentation site publishes the schemas
SITE = "https://sphinx-partnerships.readthedocs.io/en/latest/_static/"
DRAFT = "http://json-schema.org/draft-07/schema#"
EXPORT = "partnerships"

#: a case-insensitive pattern of words, as ECMAScript patterns have no flags
_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _any_case(word: str) -> str:
    return "".join(f"[{char.lower()}{char.upper()}]" if char.isalpha() else char for char in word)


def _words(words: tuple[str, ...], *, empty: bool = False) -> str:
    choices = "|".join(_any_case(word) for word in words)
    return rf"^\s*({choices}{'|' if empty else ''})\s*$"


_YEAR = r"(?!0000)[0-9]{4}"
_MONTH = r"(0[1-9]|1[0-2])"
#: a month and its day: no 30 February, no 31 April
_MONTH_DAY = r"(?!02-3|(0[469]|11)-31)(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])"
_DAY = r"(0[1-9]|[12][0-9]|3[01])"
_TO = r"\s*/\s*"
#: ``2022``, ``2022-06``, ``2022-06-23``, or a range of two at the same
#: precision whose end may leave out the parts it shares with the start
#: (``2022-06-23/2022-06-24``, ``2022-06-23/24``, ``2022-06/08``)
DATE_PATTERN = (
    rf"^\s*({_YEAR}({_TO}{_YEAR})?"
    rf"|{_YEAR}-{_MONTH}({_TO}({_YEAR}-)?{_MONTH})?"
    rf"|{_YEAR}-{_MONTH_DAY}({_TO}(({_YEAR}-)?{_MONTH_DAY}|{_DAY}))?)\s*$"
)
#: a web address, or no scheme at all (a page, label or entry id)
LINK_PATTERN = (
    r"^\s*$|^\s*([Hh][Tt][Tt][Pp][Ss]?|[Mm][Aa][Ii][Ll][Tt][Oo]):"
    r"|^(?!\s*//)(?!\s*[A-Za-z][A-Za-z0-9+.\-]*:)"
)
#: an image path as the build takes it (see :mod:`..images`): on the web, or a
#: file of the site with no scheme, no pattern but a final ``.*``, no hidden
#: part, and a name of an image type; none at all (a text card)
IMAGE_RULES: dict[str, Any] = {
    "anyOf": [
        {"type": "null"},
        {"type": "string", "pattern": r"^\s*$"},
        {"type": "string", "pattern": r"^\s*https?://"},
        {
            "type": "string",
            "allOf": [
                {"pattern": r"^\s*[^:/]*(/|$)"},
                {"pattern": r"^[^*?\[]*(\.\*)?\s*$"},
                {"not": {"pattern": r"(^\s*|/)\.(?!\.?(/|\s*$))"}},
                {
                    "pattern": r"\.("
                    + "|".join(_any_case(suffix.lstrip(".")) for suffix in IMAGE_TYPES)
                    + r"|\*)\s*$"
                },
            ],
        },
    ]
}
NOT_BLANK = r"\S"
#: larger numbers are no year, count or name a writer means
_LARGEST = 10**12
TEXT: dict[str, Any] = {"type": ["string", "number"], "minimum": -_LARGEST, "maximum": _LARGEST}


def field_schema(spec: FieldSpec) -> dict[str, Any]:
    """What one field may hold; a field that is not required may be empty."""
    schema: dict[str, Any]
    if spec.kind == "date":
        schema = {
            "type": ["string", "integer"],
            "pattern": DATE_PATTERN,
            "minimum": 1000,
            "maximum": 9999,
        }
    elif spec.kind == "list":
        schema = {"type": ["string", "array"], "items": TEXT}
    elif spec.kind == "link":
        schema = {**TEXT, "pattern": LINK_PATTERN}
    elif spec.kind == "id":
        schema = {**TEXT, "pattern": r"^\s*$|[A-Za-z0-9]"}
    elif spec.kind == "flag":
        return {
            "description": spec.description,
            "type": ["boolean", "string", "null"],
            "pattern": _words(_TRUE + _FALSE, empty=True),
        }
    else:
        schema = {**TEXT, "pattern": NOT_BLANK} if spec.required else dict(TEXT)
    if not spec.required:
        schema["type"] = [*schema["type"], "null"]
    return {"description": spec.description, **schema}


def entry_schema(fields: Mapping[str, FieldSpec]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: field_schema(spec) for name, spec in fields.items()},
        "required": [name for name, spec in fields.items() if spec.required],
        "additionalProperties": False,
    }


def _card_rules(schema: dict[str, Any]) -> dict[str, Any]:
    """What the build checks of every card besides its fields: a text
    alternative unless the image is decorative, and an image path that can
    name a file to publish."""
    given = {"required": ["alt"], "properties": {"alt": {**TEXT, "pattern": NOT_BLANK}}}
    decorative = {
        "required": ["decorative"],
        "properties": {
            "decorative": {
                "anyOf": [
                    {"const": True},
                    {"type": "null"},
                    {"type": "string", "pattern": _words(_TRUE, empty=True)},
                ]
            }
        },
    }
    schema["properties"]["image"]["allOf"] = [IMAGE_RULES]
    # A card with an image is an image card, one with a title only a text
    # card (entries.card_kind); a field of the other kind is refused, as
    # the build ignores it with a warning. Only image cards need alt text.
    ignored = {"type": ["string", "null"], "pattern": r"^\s*$"}
    schema["if"] = {"required": ["image"]}
    schema["then"] = {
        "oneOf": [given, decorative],
        "properties": {name: ignored for name in TEXT_CARD_FIELDS if name not in IMAGE_CARD_FIELDS},
    }
    schema["else"] = {
        "if": {"required": ["title"]},
        "then": {
            "properties": {
                name: ignored for name in IMAGE_CARD_FIELDS if name not in TEXT_CARD_FIELDS
            }
        },
        "else": {"required": ["image"]},
    }
    return schema


def data_file_schema(kind: EntryKind) -> dict[str, Any]:
    """A file of one kind: a mapping whose ``key`` holds the list, or the list."""
    entry = entry_schema(kind.fields)
    if kind.key == "cards":
        entry = _card_rules(entry)
    title = f"sphinx-partnerships {kind.key}"
    return {
        "$schema": DRAFT,
        "$id": f"{SITE}{kind.key}.schema.json",
        "title": title,
        "description": (
            f"A data file of {kind.key} for the sphinx-partnerships extension: a mapping"
            f" with the list under {kind.key!r} (other keys may hold other kinds), or the"
            " list alone."
        ),
        "definitions": {"entry": entry},
        "oneOf": [
            {
                "type": "object",
                "required": [kind.key],
                "properties": {
                    kind.key: {"type": "array", "items": {"$ref": "#/definitions/entry"}}
                },
            },
            {"type": "array", "items": {"$ref": "#/definitions/entry"}},
        ],
    }


def export_schema() -> dict[str, Any]:
    """``partnerships.json``, as the HTML builders write it."""
    text_or_none = {"type": ["string", "null"]}
    names = {"type": "array", "items": {"type": "string"}}
    address = {
        "type": ["string", "null"],
        "description": "Absolute with html_baseurl, else relative to the site's root.",
    }
    date = {
        "type": "string",
        "description": "ISO 8601 at the entry's precision, or an interval START/END.",
        "pattern": r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?(/[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?)?$",
    }

    def entry(kind: str, **fields: Any) -> dict[str, Any]:
        properties = {
            "id": {"type": "string", "minLength": 1},
            "kind": {"const": kind},
            "date": date,
            **fields,
            "text": {"type": "string"},
            "tags": names,
            "link": address,
            "page": address,
        }
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }

    partner_properties = {
        "name": {"type": "string", "minLength": 1},
        "kind": {"const": "partner"},
        "category": text_or_none,
        "text": {"type": "string"},
        "link": address,
        "page": address,
        "activities": names,
    }
    return {
        "$schema": DRAFT,
        "$id": f"{SITE}{EXPORT}.schema.json",
        "title": "sphinx-partnerships partnerships.json",
        "description": "Every entry of a project, written by the HTML builders.",
        "type": "object",
        "properties": {
            "schema_version": {"const": 1},
            "project": {"type": "string"},
            "activities": {"type": "array", "items": entry("activity", partners=names)},
            "awards": {
                "type": "array",
                "items": entry(
                    "award",
                    name={"type": "string", "minLength": 1},
                    organizer=text_or_none,
                    recipients=names,
                ),
            },
            "partners": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": partner_properties,
                    "required": list(partner_properties),
                    "additionalProperties": False,
                },
            },
        },
        "required": ["schema_version", "project", "activities", "awards", "partners"],
    }


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema, by the name of its file."""
    found = {f"{name}.schema.json": data_file_schema(kind) for name, kind in KINDS.items()}
    found[f"{EXPORT}.schema.json"] = export_schema()
    return found


def serialise(schema: Mapping[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write(directory: Path = DIRECTORY) -> list[Path]:
    """Write every schema into ``directory``; the paths that changed."""
    changed = []
    for name, schema in schemas().items():
        path = directory / name
        text = serialise(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
