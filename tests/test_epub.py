"""EPUB books that epubcheck accepts: every component of the extension, and the site.

Needs Debian's ``epubcheck`` (and the Java runtime it depends on); run with
``nox -s epub``. The default test run leaves these tests out.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .conftest import strip_colours

pytestmark = pytest.mark.epub

DOCS = Path(__file__).resolve().parent.parent / "docs"
#: where Debian's package puts the jar; ``/usr/bin/epubcheck`` links to it
DEBIAN_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck_command() -> list[str]:
    """``java -jar epubcheck.jar``: the jar found on PATH, or Debian's."""
    java = shutil.which("java")
    found = shutil.which("epubcheck")
    candidates = [Path(found).resolve()] if found else []
    candidates.append(DEBIAN_JAR)
    jar = next((c for c in candidates if c.suffix == ".jar" and c.is_file()), None)
    if java is None or jar is None:
        pytest.fail("epubcheck and a Java runtime are needed: apt-get install epubcheck")
    return [java, "-jar", str(jar)]


@dataclass
class Verdict:
    """What epubcheck says of a book: its exit status and every message, one a line."""

    returncode: int
    messages: list[str]
    output: str


def epubcheck(book: Path, report: Path) -> Verdict:
    result = subprocess.run(
        [*epubcheck_command(), str(book), "--json", str(report)],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert report.is_file(), result.stdout + result.stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["checker"]["checkerVersion"], data["checker"]
    messages = [
        f"{message['severity']}({message['ID']}) {where['path']}"
        f"({where['line']},{where['column']}): {message['message']}"
        for message in data["messages"]
        for where in message["locations"] or [{"path": "-", "line": -1, "column": -1}]
    ]
    return Verdict(result.returncode, messages, result.stdout + result.stderr)


def the_book(outdir: Path) -> Path:
    (book,) = outdir.glob("*.epub")
    return book


def xhtml(outdir: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / name).read_text(encoding="utf-8"), "html.parser")


def with_stylesheet_rule(book: Path, copy: Path, rule: str) -> Path:
    """A copy of ``book`` whose partnerships.css ends with ``rule``."""
    with zipfile.ZipFile(book) as source, zipfile.ZipFile(copy, "w") as target:
        for info in source.infolist():  # mimetype first and stored, as EPUB wants
            data = source.read(info)
            if info.filename == "_static/partnerships.css":
                data += f"\n{rule}\n".encode()
            target.writestr(info, data)
    return copy


# -- every component of the extension ----------------------------------------------


@dataclass
class Components:
    outdir: Path
    warnings: str


@pytest.fixture(scope="module")
def components(rootdir: Path, tmp_path_factory: pytest.TempPathFactory) -> Components:
    """tests/roots/test-epub built with ``epub``: MyST and rST pages, data files,
    timelines, award lists, card grids, single entries and cards, partners, the
    partner index, roles and project-wide views of other pages' entries."""
    base = tmp_path_factory.mktemp("epub")
    srcdir = base / "test-epub"
    shutil.copytree(rootdir / "test-epub", srcdir)
    app = SphinxTestApp("epub", srcdir=srcdir, builddir=base / "build", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return Components(app.outdir, strip_colours(app.warning.getvalue()))


def test_components_build_without_a_warning(components: Components) -> None:
    assert components.warnings == ""


def test_every_component_is_in_the_book(components: Components) -> None:
    """The book epubcheck reads holds each component, so its verdict covers them."""
    out = components.outdir
    index = xhtml(out, "index.xhtml")
    assert len(index.select("div.sp-timeline li.sp-activity")) == 6  # 3 inline, 2 data, 1 alone
    assert index.select_one("time[datetime='2022-05-10']") is not None  # from the YAML file
    awards = xhtml(out, "awards.xhtml")
    assert len(awards.select("li.sp-award")) == 4  # 2 inline, 1 from JSON, 1 alone
    cards = xhtml(out, "cards.xhtml")
    assert len(cards.select(".sp-card")) == 7  # 4 in a grid, 2 from CSV, 1 alone
    assert {img["src"] for img in cards.select("img")} == {
        "_images/card.png",
        "_images/report.svg",
    }
    partners = xhtml(out, "partners.xhtml")
    assert {"partner-japan", "partner-malaysia", "partner-open-data-institute"} <= {
        str(element["id"]) for element in partners.select("[id]")
    }
    overview = xhtml(out, "news/overview.xhtml")
    hrefs = {str(link["href"]) for link in overview.select("a[href]")}
    # entries from other pages link back to their anchors there; roles and
    # partner names land on their targets
    assert {
        "../index.xhtml#malaysia-visit",
        "../index.xhtml#data-visit",
        "../awards.xhtml#scapa-2021",
        "../awards.xhtml#smart-city-index",
        "../partners.xhtml#partner-japan",
        "../index.xhtml#germany-visit",
        "../awards.xhtml#open-data-prize",
    } <= hrefs
    assert len(overview.select(".sp-card")) == 2  # from the YAML file
    manifest = (out / "content.opf").read_text(encoding="utf-8")
    for item in ("_static/partnerships.css", "_images/card.png", "_images/report.svg"):
        assert f'href="{item}"' in manifest, item


def test_epubcheck_accepts_the_components(components: Components, tmp_path: Path) -> None:
    verdict = epubcheck(the_book(components.outdir), tmp_path / "report.json")
    assert verdict.messages == []
    assert verdict.returncode == 0, verdict.output
    assert "No errors or warnings detected." in verdict.output


def test_epubcheck_reads_the_stylesheet(components: Components, tmp_path: Path) -> None:
    """The check above would catch the :has() selectors the stylesheet once had."""
    book = with_stylesheet_rule(
        the_book(components.outdir),
        tmp_path / "has.epub",
        ".sp-card:has(.sp-card-link):hover { color: red; }",
    )
    verdict = epubcheck(book, tmp_path / "report.json")
    assert verdict.returncode != 0
    assert [m for m in verdict.messages if "(CSS-008) _static/partnerships.css(" in m]
    assert all("partnerships.css" in m for m in verdict.messages), verdict.messages


# -- the documentation site --------------------------------------------------------


@pytest.fixture(scope="module")
def site_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """docs/ built with ``epub``, nitpicky, warnings fail, as Read the Docs would."""
    out = tmp_path_factory.mktemp("site-epub")
    result = subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q", "-b", "epub"),
            *("-d", str(out / ".doctrees"), str(DOCS), str(out / "epub")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out / "epub"


def test_epubcheck_accepts_the_site(site_book: Path, tmp_path: Path) -> None:
    verdict = epubcheck(the_book(site_book), tmp_path / "report.json")
    assert verdict.messages == []
    assert verdict.returncode == 0, verdict.output


def test_site_tab_sets_are_headed_sections(site_book: Path) -> None:
    """The guide's "Result" / "MyST source" tabs follow each other, each under
    its label as a heading; no radio button or label is left."""
    guide = sorted((site_book / "guide").glob("*.xhtml"))
    assert len(guide) >= 6
    headings: dict[str, list[str]] = {}
    for page in guide:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<(input|label)\b", text), page.name
        assert "sd-tab" not in text, page.name
        soup = BeautifulSoup(text, "html.parser")
        headings[page.stem] = [h.get_text() for h in soup.select("h3.rubric, h4.rubric")]
    assert headings["timelines"][:2] == ["Result", "MyST source"]
    assert headings["awards"].count("Data file") == 1
    # the tabs' content is all there: the example and its source
    timelines = xhtml(site_book, "guide/timelines.xhtml")
    section = timelines.select_one("section#activities-in-a-timeline")
    assert section is not None
    assert section.select_one(".sp-timeline") is not None
    assert "::::{timeline}" in section.get_text()


def test_site_book_identifier(site_book: Path) -> None:
    """The identifier element's name is an XML name, and toc.ncx repeats the
    identifier itself, as epubcheck's NCX-001 asks."""
    opf = (site_book / "content.opf").read_text(encoding="utf-8")
    unique = re.search(r'unique-identifier="([^"]*)"', opf)
    assert unique is not None
    assert unique.group(1) == "sphinx_partnerships"
    identifier = re.search(rf'<dc:identifier id="{unique.group(1)}">([^<]*)<', opf)
    assert identifier is not None
    assert identifier.group(1) == "https://sphinx-partnerships.readthedocs.io/"
    ncx = (site_book / "toc.ncx").read_text(encoding="utf-8")
    assert f'<meta name="dtb:uid" content="{identifier.group(1)}"/>' in ncx
