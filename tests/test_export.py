"""partnerships.json: every entry of the project, written by the HTML builders."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, partnership_warnings

BuildFactory = Callable[..., SphinxTestApp]
BASE = "https://example.org/docs/"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project, free to edit between builds."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-export", source)
    return source


@pytest.fixture
def build(make_app: BuildFactory, project: Path) -> Callable[..., SphinxTestApp]:
    """Build ``project`` into one build directory, as repeated sphinx-builds do."""

    def run(builder: str = "html", **kwargs: Any) -> SphinxTestApp:
        app = make_app(builder, srcdir=project, builddir=project / "_build", **kwargs)
        app.build()
        return app

    return run


def exported(app: SphinxTestApp) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((app.outdir / "partnerships.json").read_text("utf-8"))
    return data


def ids(data: dict[str, Any], kind: str) -> list[str]:
    return [entry["id"] for entry in data[kind]]


def test_every_entry_of_the_project_newest_first(build) -> None:
    app = build()
    assert partnership_warnings(app.warning.getvalue()) == []
    data = exported(app)
    assert list(data) == ["schema_version", "project", "activities", "awards", "partners"]
    assert data["schema_version"] == 1
    assert data["project"] == "Export"
    # ties keep the reading order; the excluded draft is left out; the data
    # file loaded by two pages gives its entries once, at its first page
    assert ids(data, "activities") == [
        "visit-japan",
        "same-month-written-second-linking-to-the-awards-2022-06",
        "same-month-again-linking-to-an-entry-id-2022-06",
        "a-year-only-linking-to-a-label-2021",
        "shared-activity-two-2020-02",
        "shared-one",
    ]
    assert ids(data, "awards") == ["smart-city", "quiet-prize"]
    assert [partner["name"] for partner in data["partners"]] == ["Japan", "Malaysia"]
    assert data["activities"][0] == {
        "id": "visit-japan",
        "kind": "activity",
        "date": "2022-06-23",
        "text": "A visit by the Japanese delegation.\n\nA second paragraph.",
        "partners": ["Japan", "Malaysia"],
        "tags": ["visit"],
        "link": "https://example.org/visit",
        "page": "news/log.html#visit-japan",
    }
    assert data["activities"][-1]["page"] == "news/log.html#shared-one"
    assert data["awards"][0] == {
        "id": "smart-city",
        "kind": "award",
        "date": "2021-11",
        "name": "Smart City Prize",
        "organizer": "IDC",
        "recipients": ["GovTech", "MOE"],
        "text": "Won for the city\u2019s open data.",
        "tags": ["city"],
        "link": None,
        "page": "news/awards.html#smart-city",
    }
    assert data["awards"][1]["organizer"] is None
    assert data["partners"][0] == {
        "name": "Japan",
        "kind": "partner",
        "category": "country",
        "text": "A partner since 2019.",
        "link": "https://example.org/japan",
        # the partner's archive page, which the HTML builders make
        "page": "archives/partners/japan.html",
        "activities": ["visit-japan", "shared-one"],
    }


def test_internal_links_are_resolved(build) -> None:
    links = {entry["id"]: entry["link"] for entry in exported(build())["activities"]}
    assert links["same-month-written-second-linking-to-the-awards-2022-06"] == "news/awards.html"
    assert links["a-year-only-linking-to-a-label-2021"] == "news/log.html#news-log"
    assert links["same-month-again-linking-to-an-entry-id-2022-06"] == "news/log.html#visit-japan"


def addresses(data: dict[str, Any]) -> list[str]:
    """Every page and link address of the export that is not a web link out."""
    found = []
    for kind in ("activities", "awards", "partners"):
        for entry in data[kind]:
            found.append(entry["page"])
            if entry["link"] and not entry["link"].startswith("https://example.org/"):
                found.append(entry["link"])
    return found


def assert_lands_in(outdir: Path, address: str) -> None:
    """The address names a file of the site, and an element with its anchor."""
    path, _, anchor = address.partition("#")
    if path in ("", "./") or path.endswith("/"):
        path = path.removeprefix("./") + "index.html"
    page = outdir / path
    assert page.is_file(), address
    if anchor:
        assert f'id="{anchor}"' in page.read_text("utf-8"), address


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml"])
def test_every_address_lands_in_the_built_site(build, builder: str) -> None:
    app = build(builder)
    found = addresses(exported(app))
    assert len(found) == 13
    for address in found:
        assert not urlsplit(address).scheme, address
        assert_lands_in(app.outdir, address)
    if builder == "dirhtml":
        assert "news/log/#visit-japan" in found
    if builder == "singlehtml":
        assert "index.html#visit-japan" in found
    # a partner's page is its archive page; singlehtml makes none: its place in
    # the partner index
    assert [partner["page"] for partner in exported(app)["partners"]] == {
        "html": ["archives/partners/japan.html", "archives/partners/malaysia.html"],
        "dirhtml": ["archives/partners/japan/", "archives/partners/malaysia/"],
        "singlehtml": ["index.html#partner-japan", "index.html#partner-malaysia"],
    }[builder]


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_addresses_are_absolute_with_html_baseurl(build, builder: str) -> None:
    app = build(builder, confoverrides={"html_baseurl": BASE.rstrip("/")})
    for address in addresses(exported(app)):
        assert address.startswith(BASE), address
        assert_lands_in(app.outdir, address.removeprefix(BASE))


def test_parallel_build_writes_the_same_bytes(make_app: BuildFactory, tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 2):
        source = tmp_path / f"src-{jobs}"
        shutil.copytree(ROOTS / "test-export", source)
        app = make_app("html", srcdir=source, parallel=jobs)
        app.build()
        outputs.append((app.outdir / "partnerships.json").read_bytes())
    serial, parallel = outputs
    assert serial == parallel


def test_two_builds_write_the_same_bytes(make_app: BuildFactory, tmp_path: Path) -> None:
    outputs = []
    for number in (1, 2):
        source = tmp_path / f"src-{number}"
        shutil.copytree(ROOTS / "test-export", source)
        app = make_app("html", srcdir=source)
        app.build()
        outputs.append((app.outdir / "partnerships.json").read_bytes())
    assert outputs[0] == outputs[1]
    assert b"\r" not in outputs[0]
    assert outputs[0].endswith(b"}\n")


def test_incremental_builds_never_export_stale_entries(build, project: Path) -> None:
    app = build()
    export = app.outdir / "partnerships.json"
    written = export.read_bytes()
    mtime = export.stat().st_mtime_ns

    # nothing changed: the same file, not even written again
    app = build()
    assert export.read_bytes() == written
    assert export.stat().st_mtime_ns == mtime

    # an entry changes on one page
    page = project / "news" / "log.md"
    page.write_text(page.read_text().replace("*Japanese* delegation", "delegation from Japan"))
    app = build()
    assert exported(app)["activities"][0]["text"].startswith("A visit by the delegation from")

    # the data file changes
    data = project / "data" / "shared.yaml"
    data.write_text(data.read_text().replace("Shared activity one.", "Shared activity 1."))
    app = build()
    texts = [entry["text"] for entry in exported(app)["activities"]]
    assert "Shared activity 1." in texts
    assert "Shared activity one." not in texts

    # a page goes: its entries and the partners only they named go too
    page.unlink()
    index = project / "index.md"
    index.write_text(index.read_text().replace("news/log\n", ""))
    app = build()
    data_now = exported(app)
    assert "visit-japan" not in ids(data_now, "activities")
    assert [partner["name"] for partner in data_now["partners"]] == ["Japan"]
    # the data file's entries now live on the other page that loads it
    assert {entry["page"] for entry in data_now["activities"] if "shared" in entry["id"]} == {
        "news/more.html#shared-activity-two-2020-02",
        "news/more.html#shared-one",
    }


@pytest.mark.parametrize("builder", ["latex", "text", "epub", "gettext", "singlehtml"])
def test_only_the_web_builders_write_it(build, builder: str) -> None:
    app = build(builder)
    assert (app.outdir / "partnerships.json").is_file() == (builder == "singlehtml")
    assert partnership_warnings(app.warning.getvalue()) == []


def test_the_setting_turns_it_off(build) -> None:
    app = build(confoverrides={"partnerships_json_export": False})
    assert not (app.outdir / "partnerships.json").exists()


def test_a_bad_setting_warns_and_writes_it(build, project: Path) -> None:
    conf = project / "conf.py"
    conf.write_text(conf.read_text() + 'partnerships_json_export = "no"\n')
    app = build()
    assert partnership_warnings(app.warning.getvalue()) == [
        "WARNING: partnerships_json_export must be True or False, not 'no'; partnerships.json"
        " is written [partnerships.field]"
    ]
    assert (app.outdir / "partnerships.json").is_file()


def test_it_follows_its_schema(build) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    from sphinx_partnerships.schemas import DIRECTORY

    schema = json.loads((DIRECTORY / "partnerships.schema.json").read_text("utf-8"))
    for builder in ("html", "singlehtml"):
        jsonschema.validate(exported(build(builder)), schema)
