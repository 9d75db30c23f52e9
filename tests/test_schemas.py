"""The JSON Schemas of data files say what the build says of every data file."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sphinx_partnerships.checking import KINDS, check_data_file, kind_from_name, kinds_in
from sphinx_partnerships.diagnostics import Issue
from sphinx_partnerships.schemas import DIRECTORY, SITE, schemas, serialise, write
from sphinx_partnerships.sources import SUFFIXES, load_document, pick_entries

jsonschema = pytest.importorskip("jsonschema")

ROOT = Path(__file__).parent.parent
ROOTS = ROOT / "tests" / "roots"
INVALID = ROOTS / "test-data-invalid" / "data"


def data_files() -> Iterator[Path]:
    """Every data file of the test projects and of the site."""
    for folder in (ROOTS, ROOT / "docs" / "data"):
        for path in sorted(folder.rglob("*")):
            if path.suffix in SUFFIXES and "_build" not in path.parts and path.is_file():
                yield path


def kinds_of(path: Path) -> list[str]:
    document, failure = load_document(path)
    if failure is not None:
        return []
    named = kind_from_name(path)
    return kinds_in(document) or ([named] if named else [])


def as_json(value: Any) -> Any:
    """The file as an editor's YAML 1.2 or JSON reading sees it: dates are text."""
    if isinstance(value, dict):
        return {str(key): as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def validator(kind: str) -> Any:
    return jsonschema.Draft7Validator(schemas()[f"{kind}.schema.json"])


def entries_of(document: Any, kind: str) -> list[Any]:
    return list(document[kind] if isinstance(document, dict) else document)


#: what the build tells and a schema cannot: a range that ends before it starts
BEYOND_SCHEMAS = {"date-range-order"}

#: what a warning of the build is about
_FIELD_OF_KEY = {"alt-missing": "alt", "alt-decorative": "alt", "image-scheme": "image"}


def build_fields(issue: Issue) -> str:
    """The field a problem the build tells is about."""
    if issue.key == "entry-not-mapping":
        return "<entry>"
    if issue.key.startswith("date-"):
        return "date"
    if issue.key.startswith("link-"):
        return "link"
    if issue.key.startswith("image-"):
        return "image"
    if issue.key in _FIELD_OF_KEY:
        return _FIELD_OF_KEY[issue.key]
    return str(issue.values["field"]).strip("'")


def schema_fields(kind: str, entry: Any) -> set[str]:
    """The fields of an entry its schema refuses."""
    entry_schema = schemas()[f"{kind}.schema.json"]["definitions"]["entry"]
    found: set[str] = set()
    for error in jsonschema.Draft7Validator(entry_schema).iter_errors(entry):
        if error.absolute_path:
            found.add(str(error.absolute_path[0]))
        elif error.validator == "required":
            found.update(name for name in error.validator_value if name not in entry)
        elif error.validator == "additionalProperties":
            found.update(set(entry) - set(entry_schema["properties"]))
        elif error.validator == "oneOf" and "alt" in json.dumps(error.validator_value):
            found.add("alt")
        else:
            found.add("<entry>")
    return found


def compared(path: Path, kind: str) -> tuple[dict[int, set[str]], dict[int, set[str]]]:
    """Per entry of the file (by its line): the fields the build warns about,
    and those the schema refuses."""
    document, _failure = load_document(path)
    issues, _kinds = check_data_file(path, [kind])
    data = pick_entries(document, kind, path)
    if data.failure is not None:
        # no list of entries where the file should hold one
        refused = not validator(kind).is_valid(as_json(document))
        return {0: {"<file>"}}, ({0: {"<file>"}} if refused else {})
    by_build: dict[int, set[str]] = {}
    for issue in issues:
        # rows the CSV reader skipped; what no schema can tell
        if not issue.key.startswith("source-") and issue.key not in BEYOND_SCHEMAS:
            by_build.setdefault(issue.line or 0, set()).add(build_fields(issue))
    by_schema: dict[int, set[str]] = {}
    lines = [raw.line for raw in data.entries]
    for line, entry in zip(lines, entries_of(document, kind), strict=True):
        refused = schema_fields(kind, as_json(entry))
        if refused:
            by_schema[line] = refused
    return by_build, by_schema


def test_the_shipped_schemas_are_those_the_field_tables_give() -> None:
    """Run ``python -m sphinx_partnerships.schemas`` after changing a field."""
    made = schemas()
    assert sorted(made) == sorted(path.name for path in DIRECTORY.glob("*.schema.json"))
    for name, schema in made.items():
        assert (DIRECTORY / name).read_text(encoding="utf-8") == serialise(schema), name
        jsonschema.Draft7Validator.check_schema(schema)
        assert schema["$id"] == f"{SITE}{name}"


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_schema_has_the_fields_of_its_kind(kind: str) -> None:
    entry = schemas()[f"{kind}.schema.json"]["definitions"]["entry"]
    fields = KINDS[kind].fields
    assert list(entry["properties"]) == list(fields)
    assert entry["required"] == [name for name, spec in fields.items() if spec.required]
    assert entry["additionalProperties"] is False


FILES = [(path, kind) for path in data_files() for kind in kinds_of(path)]


def test_the_data_files_are_many() -> None:
    assert len(FILES) >= 40
    assert {kind for _path, kind in FILES} == set(KINDS)


@pytest.mark.parametrize(
    ("path", "kind"), FILES, ids=[f"{p.relative_to(ROOT)}:{k}" for p, k in FILES]
)
def test_schema_and_build_refuse_the_same_fields_of_every_entry(path: Path, kind: str) -> None:
    by_build, by_schema = compared(path, kind)
    assert by_schema == by_build
    document, _failure = load_document(path)
    errors = list(validator(kind).iter_errors(as_json(document)))
    assert bool(errors) == bool(by_build)


def test_the_invalid_files_are_refused_for_the_build_s_reasons() -> None:
    by_build, by_schema = compared(INVALID / "bad-activities.yaml", "activities")
    assert (
        by_schema
        == by_build
        == {
            7: {"text"},
            9: {"colour"},
            13: {"text"},
            17: {"date"},
            20: {"date"},
            22: {"link"},
            26: {"partners"},
        }
    )
    by_build, by_schema = compared(INVALID / "bad-awards.json", "awards")
    assert by_schema == by_build == {4: {"name"}, 7: {"date"}, 11: {"recipients"}, 12: {"colour"}}
    by_build, by_schema = compared(INVALID / "bad-cards.csv", "cards")
    assert by_schema == by_build == {3: {"image"}, 4: {"colour"}, 7: {"link"}}


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2022", True),
        (2022, True),
        ("2022-06", True),
        ("2022-06-30", True),
        ("2022-02-28", True),
        ("2022-13", False),
        ("2022-02-30", False),
        ("2022-04-31", False),
        ("2022-6", False),
        ("June 2022", False),
        (999, False),
        ("0000", False),
    ],
)
def test_dates(value: Any, valid: bool) -> None:
    entry = {"date": value, "text": "Some words."}
    assert (schema_fields("activities", entry) == set()) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("https://example.org", True),
        ("HTTP://example.org", True),
        ("mailto:team@example.org", True),
        ("/guide/cards", True),
        ("moc-japan", True),
        ("../news#first", True),
        ("", True),
        ("javascript:alert(1)", False),
        ("  data:text/html,x", False),
        ("//example.org", False),
    ],
)
def test_links(value: str, valid: bool) -> None:
    entry = {"date": "2022", "text": "Some words.", "link": value}
    assert (schema_fields("activities", entry) == set()) is valid


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({"alt": "A map"}, set()),
        ({"decorative": True}, set()),
        ({"decorative": "yes"}, set()),
        ({"decorative": None}, set()),
        ({}, {"alt"}),
        ({"alt": "A map", "decorative": "true"}, {"alt"}),
        ({"alt": "A map", "decorative": "false"}, set()),
        ({"alt": "A map", "decorative": "maybe"}, {"decorative"}),
    ],
)
def test_cards_need_a_text_alternative_unless_decorative(
    fields: dict[str, Any], refused: set[str]
) -> None:
    assert schema_fields("cards", {"image": "map.png", **fields}) == refused


def test_both_forms_of_a_file() -> None:
    entry = {"date": "2022", "text": "Some words."}
    check = validator("activities")
    assert check.is_valid({"activities": [entry]})
    assert check.is_valid([entry])
    assert check.is_valid({"activities": [entry], "awards": "not checked here"})
    assert check.is_valid({"$schema": SITE + "activities.schema.json", "activities": [entry]})
    assert not check.is_valid({"activity": [entry]})
    assert not check.is_valid({"activities": entry})


def test_the_site_s_data_files_name_their_schema() -> None:
    for path in sorted((ROOT / "docs" / "data").rglob("*.yaml")):
        (kind,) = kinds_of(path)
        line = f"# yaml-language-server: $schema={SITE}{kind}.schema.json"
        assert line in path.read_text(encoding="utf-8").splitlines(), path


def test_the_export_follows_its_schema() -> None:
    export = {
        "schema_version": 1,
        "project": "P",
        "activities": [
            {
                "id": "a",
                "kind": "activity",
                "date": "2022-06-23/2022-06-24",
                "text": "",
                "partners": ["Japan"],
                "tags": [],
                "link": None,
                "page": "index.html#a",
            }
        ],
        "awards": [],
        "partners": [],
    }
    check = jsonschema.Draft7Validator(schemas()["partnerships.schema.json"])
    assert check.is_valid(export)
    export["activities"][0]["date"] = "June 2022"
    assert not check.is_valid(export)
    assert json.loads(serialise(export)) == export


def test_write_puts_every_schema_in_a_folder_and_rewrites_only_changes(tmp_path: Path) -> None:
    written = write(tmp_path)
    assert sorted(path.name for path in written) == sorted(schemas())
    assert write(tmp_path) == []
    stale = tmp_path / "cards.schema.json"
    stale.write_text("{}\n", encoding="utf-8")
    assert write(tmp_path) == [stale]


def test_the_shipped_schemas_are_current() -> None:
    """``python -m sphinx_partnerships.schemas`` finds nothing to write."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_partnerships.schemas"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == ""
