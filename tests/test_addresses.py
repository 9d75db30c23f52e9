"""Every address the extension writes outside a page (feeds, the export)
names the file Sphinx wrote and links to, quoted once, for pages whose names
a web address must quote (``news/café.md``, ``my page.md``)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from .conftest import Build, BuildRoot

BASE = "https://example.org/en/latest/"
ATOM = "{http://www.w3.org/2005/Atom}"


def landing(build: Build, address: str) -> tuple[Path, str]:
    """The file an address of the site names, and its fragment."""
    assert address.startswith(BASE), address
    parts = urlsplit(address[len(BASE) :])
    # quoted once: taking the quoting off gives the file's own name
    path = build.outdir / unquote(parts.path)
    if parts.path.endswith("/") or not parts.path:
        path = path / "index.html"
    return path, unquote(parts.fragment)


def lands(build: Build, address: str) -> Path:
    """Follow an address into the output: its file exists and holds its anchor."""
    path, fragment = landing(build, address)
    assert path.is_file(), address
    if fragment:
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        assert page.find(id=fragment) is not None, address
    return path


def feed_addresses(build: Build) -> list[str]:
    found = []
    for feed in sorted((build.outdir / "feeds").rglob("*.atom")):
        root = ET.fromstring(feed.read_bytes())
        for entry in root.iter(f"{ATOM}entry"):
            found.append(entry.findtext(f"{ATOM}id", ""))
            found.extend(link.get("href", "") for link in entry.iter(f"{ATOM}link"))
        found.extend(
            link.get("href", "")
            for link in root.findall(f"{ATOM}link")
            if link.get("rel") == "alternate"
        )
    return found


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_feeds_export_and_sphinx_name_the_same_files(build_root: BuildRoot, builder: str) -> None:
    build = build_root("addresses", builder)
    assert build.warnings == ""
    feeds = feed_addresses(build)
    export = json.loads((build.outdir / "partnerships.json").read_text(encoding="utf-8"))
    exported = [entry["page"] for kind in ("activities", "awards") for entry in export[kind]]
    assert len(exported) == 2
    # each address is quoted once: no "%25", and no raw space or accent
    for address in feeds + exported:
        assert "%25" not in address, address
        assert " " not in address, address
        assert "é" not in address, address
    landed = {lands(build, address) for address in feeds + exported}
    cafe, page = (
        ("news/café.html", "my page.html")
        if builder == "html"
        else ("news/café/index.html", "my page/index.html")
    )
    assert {build.outdir / cafe, build.outdir / page} <= landed
    assert f"{BASE}{'news/caf%C3%A9.html' if builder == 'html' else 'news/caf%C3%A9/'}#first" in (
        feeds
    )
    # Sphinx's own links from the root page lead to the same files
    index = build.outdir / "index.html"
    hrefs = [
        anchor["href"]
        for anchor in BeautifulSoup(index.read_text(encoding="utf-8"), "html.parser").select(
            ".toctree-wrapper a"
        )
    ]
    sphinx_files = {lands(build, urljoin(BASE, href)) for href in hrefs}
    assert sphinx_files == {build.outdir / cafe, build.outdir / page}
