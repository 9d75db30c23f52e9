"""Entries of the same date keep the reading order of their pages: the order
of the table of contents, which here is not the order of the pages' names."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from .conftest import Build, BuildRoot

READING_ORDER = ["zebra-visit", "mango-visit", "apple-visit"]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def ordered(build_root: BuildRoot) -> Build:
    return build_root("reading-order")


def shown(build: Build, name: str) -> list[str]:
    """The entries a page shows, in order, by the anchor of their "From" link."""
    links = [item.select_one(".sp-origin a") for item in build.page(name).select("li.sp-activity")]
    return [str(link["href"]).rpartition("#")[2] for link in links if link is not None]


@pytest.mark.parametrize("name", ["index", "archives/tags/visit", "archives/years/2022"])
def test_views_keep_the_reading_order(ordered: Build, name: str) -> None:
    assert ordered.warnings == ""
    assert shown(ordered, name) == READING_ORDER


def test_the_feed_and_the_export_keep_the_reading_order(ordered: Build) -> None:
    feed = ET.fromstring((ordered.outdir / "feeds" / "activities.atom").read_bytes())
    ids = [entry.findtext(f"{ATOM}id", "") for entry in feed.iter(f"{ATOM}entry")]
    assert [address.rpartition("#")[2] for address in ids] == READING_ORDER
    export = json.loads((ordered.outdir / "partnerships.json").read_text(encoding="utf-8"))
    assert [entry["id"] for entry in export["activities"]] == READING_ORDER


def test_a_tag_has_one_spelling_in_every_output(ordered: Build) -> None:
    """ "open data" (first in reading order) and "Open Data" are one tag,
    named the same by its archive page and its feed."""
    title = ordered.page("archives/tags/open-data").select_one("h1")
    assert title is not None
    assert title.get_text().rstrip("#¶ ") == "Tag: Open Data"
    feed = ET.fromstring((ordered.outdir / "feeds" / "tags" / "open-data.atom").read_bytes())
    assert feed.findtext(f"{ATOM}title") == "Reading order: Open Data"
    assert len(list(feed.iter(f"{ATOM}entry"))) == 2
