"""Archive pages: one page per tag, partner and year, and an index with counts.

``test-archives-md`` and ``test-archives-rst`` are the same small project
written in MyST and in reStructuredText: four activities over three years (one
of them a date range across a new year), two awards, a tag written two ways
("Open Data", "open-data"), a partner described by a ``partner`` directive, a
page of ``{partner}`` roles, a project-wide overview and an excluded draft.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sphinx
from bs4 import BeautifulSoup, Tag
from sphinx.errors import SphinxWarning
from sphinx.testing.util import SphinxTestApp
from sphinx.util.parallel import parallel_available

from .conftest import (
    ROOTS,
    Build,
    BuildRoot,
    build,
    main_content,
    partnership_warnings,
    strip_colours,
)
from .linkcheck import broken_links, repeated_ids

SPHINX_8_1 = sphinx.version_info >= (8, 1)
SYNTAXES = pytest.mark.parametrize("syntax", ["md", "rst"])

TAGS = ("agreement", "open-data", "service", "visit", "workshop")
PARTNERS = ("germany", "japan", "malaysia")
YEARS = ("2023", "2022", "2021")
ARCHIVES = {
    "archives/index",
    *(f"archives/tags/{tag}" for tag in TAGS),
    *(f"archives/partners/{partner}" for partner in PARTNERS),
    *(f"archives/years/{year}" for year in YEARS),
}
TITLES = {
    "archives/index": "Archives",
    "archives/tags/agreement": "Tag: agreement",
    # the two spellings share a page, titled by the first in sort order
    "archives/tags/open-data": "Tag: Open Data",
    "archives/tags/service": "Tag: service",
    "archives/tags/visit": "Tag: visit",
    "archives/tags/workshop": "Tag: workshop",
    "archives/partners/germany": "Partner: Germany",
    "archives/partners/japan": "Partner: Japan",
    "archives/partners/malaysia": "Partner: Malaysia",
    "archives/years/2023": "Year: 2023",
    "archives/years/2022": "Year: 2022",
    "archives/years/2021": "Year: 2021",
}
#: each archive page's sections and the anchors of the entries they list, in order
ENTRIES = {
    "archives/tags/agreement": {"Activities": ["germany-moc"]},
    "archives/tags/open-data": {
        "Activities": ["malaysia-visit-2023", "malaysia-data-2022"],
        "Awards": ["open-data-prize"],
    },
    "archives/tags/service": {"Awards": ["service-award"]},
    "archives/tags/visit": {"Activities": ["malaysia-visit-2023", "malaysia-data-2022"]},
    "archives/tags/workshop": {"Activities": ["japan-workshop"]},
    "archives/partners/germany": {"Activities": ["germany-moc"]},
    "archives/partners/japan": {"Activities": ["malaysia-visit-2023", "japan-workshop"]},
    "archives/partners/malaysia": {"Activities": ["malaysia-visit-2023", "malaysia-data-2022"]},
    "archives/years/2023": {"Activities": ["malaysia-visit-2023"]},
    # the range of 2022-12-30 to 2023-01-02 is where it starts
    "archives/years/2022": {
        "Activities": ["japan-workshop", "malaysia-data-2022"],
        "Awards": ["open-data-prize"],
    },
    "archives/years/2021": {"Activities": ["germany-moc"], "Awards": ["service-award"]},
}
INDEX = [
    (
        "Tags",
        [
            ("agreement", "tags/agreement.html", " (1)"),
            ("Open Data", "tags/open-data.html", " (3)"),
            ("service", "tags/service.html", " (1)"),
            ("visit", "tags/visit.html", " (2)"),
            ("workshop", "tags/workshop.html", " (1)"),
        ],
    ),
    (
        "Partners",
        [
            ("Germany", "partners/germany.html", " (1)"),
            ("Japan", "partners/japan.html", " (2)"),
            ("Malaysia", "partners/malaysia.html", " (2)"),
        ],
    ),
    (
        "Years",
        [
            ("2023", "years/2023.html", " (1)"),
            ("2022", "years/2022.html", " (3)"),
            ("2021", "years/2021.html", " (2)"),
        ],
    ),
]


# -- builds ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def site(build_root: BuildRoot) -> Callable[..., Build]:
    """``site(syntax, builder="html")``: the project's build, made once per module."""
    builds: dict[tuple[str, str], Build] = {}

    def get(syntax: str, builder: str = "html") -> Build:
        if (syntax, builder) not in builds:
            builds[syntax, builder] = build_root(f"archives-{syntax}", builder)
        return builds[syntax, builder]

    return get


def copy_root(tmp_path: Path, syntax: str = "md", name: str = "src") -> Path:
    source = tmp_path / name
    shutil.copytree(ROOTS / f"test-archives-{syntax}", source)
    return source


def build_with(tmp_path: Path, conf: str = "", syntax: str = "md", **options: Any) -> Build:
    """A fresh build of a copy of the project, with ``conf`` added to its conf.py."""
    source = copy_root(tmp_path, syntax)
    with (source / "conf.py").open("a") as stream:
        stream.write(conf)
    return build(source, tmp_path / "build", **options)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- reading the output ----------------------------------------------------------------------------


def output(result: Build | SphinxTestApp, docname: str) -> Path:
    """The file the html or dirhtml builder writes ``docname`` to."""
    app = result.app if isinstance(result, Build) else result
    outdir = Path(app.outdir)
    if app.builder.name == "dirhtml":
        folder = docname.removesuffix("index").rstrip("/")
        return outdir / folder / "index.html" if folder else outdir / "index.html"
    return outdir / f"{docname}.html"


def page(result: Build | SphinxTestApp, docname: str) -> BeautifulSoup:
    return main_content(output(result, docname).read_text(encoding="utf-8"))


def title(content: BeautifulSoup) -> str:
    heading = content.h1
    assert heading is not None
    return heading.get_text().rstrip("¶")


def listed(content: BeautifulSoup) -> dict[str, list[str]]:
    """An archive page's sections, each with the anchors its entries come from."""
    found = {}
    for section in content.select("section.no-search"):
        assert section.h2 is not None
        entries = []
        for entry in section.select("li.sp-entry"):
            origin = entry.select_one(".sp-origin a")
            assert origin is not None, entry
            entries.append(str(origin["href"]).rpartition("#")[2])
        found[section.h2.get_text().rstrip("¶")] = entries
    return found


def index_lists(content: BeautifulSoup) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The archive index: each heading, with the link, address and count of its items."""
    found = []
    for heading in content.select("div.sp-archive-index > .sp-group-heading"):
        listing = heading.find_next_sibling("ul")
        assert isinstance(listing, Tag)
        assert "sp-archive-list" in listing["class"]
        items = []
        for item in listing.select("li"):
            link, count = item.select_one("a.reference.internal"), item.select_one("span.sp-count")
            assert link is not None, item
            assert count is not None, item
            items.append((link.get_text(), str(link["href"]), count.get_text()))
        found.append((heading.get_text(), items))
    return found


def entry(content: BeautifulSoup, anchor: str) -> Tag:
    found = content.select_one(f"li.sp-entry#{anchor}")
    assert found is not None, anchor
    return found


def links(element: Tag, selector: str) -> list[tuple[str, str | None]]:
    """``(text, href)`` of each value of a labelled list: ``None`` for text."""
    found = []
    for value in element.select(f"{selector} span.sp-value"):
        link = value.parent
        href = str(link["href"]) if link.name == "a" else None
        if href is not None:
            assert link["class"] == ["reference", "internal"], link
        found.append((value.get_text(), href))
    return found


def date_link(element: Tag) -> str | None:
    """Where an entry's written date leads (``None``: text)."""
    meta = element.select_one("p.sp-meta")
    assert meta is not None
    link = meta.find("a")
    if link is None:
        return None
    assert link.select_one("time") is not None
    return str(link["href"])


def heading_links(content: BeautifulSoup) -> list[tuple[str, str | None]]:
    """Each group heading's date, and where it leads."""
    found = []
    for heading in content.select(".sp-collection > .sp-group-heading"):
        link = heading.find("a")
        found.append((heading.get_text(), str(link["href"]) if link is not None else None))
    return found


def archive_links(html: str) -> list[str]:
    return re.findall(r'href="([^"]*archives/[^"]*)"', html)


def archive_docs(app: SphinxTestApp) -> set[str]:
    return {docname for docname in app.env.all_docs if docname.startswith("archives/")}


def search_index(outdir: Path) -> dict[str, Any]:
    text = (outdir / "searchindex.js").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return data


def html_files(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
    }


# -- 1. the pages ----------------------------------------------------------------------------------


@SYNTAXES
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_the_build_is_clean(site, syntax: str, builder: str) -> None:
    result = site(syntax, builder)
    assert result.warnings == ""
    assert archive_docs(result.app) == ARCHIVES


@SYNTAXES
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_archive_page_is_written_with_its_title(site, syntax: str, builder: str) -> None:
    result = site(syntax, builder)
    for docname, expected in TITLES.items():
        path = output(result, docname)
        assert path.is_file(), path
        assert title(page(result, docname)) == expected
        head = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").title
        assert head is not None
        assert head.get_text().startswith(f"{expected} "), head
    written = {
        path.relative_to(result.outdir).as_posix()
        for path in result.outdir.glob("archives/**/*.html")
    }
    assert written == {
        output(result, docname).relative_to(result.outdir).as_posix() for docname in ARCHIVES
    }


@SYNTAXES
def test_each_archive_page_lists_its_entries_newest_first(site, syntax: str) -> None:
    result = site(syntax)
    for docname, expected in ENTRIES.items():
        assert listed(page(result, docname)) == expected, docname
        # the excluded draft's entries are in no archive
        html = str(page(result, docname))
        assert "drafts/draft" not in html, docname
        assert "nobody counts" not in html, docname
    # nor are the tags, partners and years only the draft has
    assert not (result.outdir / "archives/tags/secret-plan.html").exists()
    assert not (result.outdir / "archives/partners/korea.html").exists()
    assert not (result.outdir / "archives/years/2024.html").exists()
    assert not (result.outdir / "archives/years/2020.html").exists()


@SYNTAXES
def test_an_archive_page_tells_what_it_holds_and_leads_to_the_index(site, syntax: str) -> None:
    result = site(syntax)
    intros = {
        "archives/tags/open-data": "Every activity and award tagged “Open Data, open-data”,"
        " newest first. All archives",
        "archives/partners/japan": "Every activity with Japan, newest first. All archives",
        "archives/years/2022": "Every activity and award of 2022, newest first. All archives",
    }
    for docname, expected in intros.items():
        intro = page(result, docname).select("p.sp-archive-intro")
        assert [paragraph.get_text() for paragraph in intro] == [expected]
        link = intro[0].select_one("a.reference.internal")
        assert link is not None
        assert (link.get_text(), link["href"]) == ("All archives", "../index.html")
    # the entries of an archive page are shown as a project-wide view shows them
    assert page(result, "archives/years/2022").select("div.sp-collection.sp-archive")


@SYNTAXES
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_the_index_lists_every_archive_with_its_count(site, syntax: str, builder: str) -> None:
    content = page(site(syntax, builder), "archives/index")
    assert title(content) == "Archives"
    found = index_lists(content)
    if builder == "dirhtml":
        expected = [
            (heading, [(text, href.replace(".html", "/"), n) for text, href, n in items])
            for heading, items in INDEX
        ]
    else:
        expected = INDEX
    assert found == expected


@SYNTAXES
def test_a_partner_page_shows_the_partner_description(site, syntax: str) -> None:
    result = site(syntax)
    content = page(result, "archives/partners/malaysia")
    about = content.select_one("div.sp-archive-about")
    assert about is not None
    partner = about.select_one("div.sp-partner")
    assert partner is not None
    assert "Malaysia has been a partner since 2015, in the pangolin programme." in (
        partner.get_text()
    )
    # the description first, then what the page holds
    assert [child["class"] for child in about.find_all(recursive=False)] == [
        ["sp-partner", "docutils", "container"],
        ["sp-archive-intro"],
    ]
    # a partner no directive describes has none
    assert page(result, "archives/partners/japan").select("div.sp-partner") == []
    assert "pangolin" not in str(page(result, "archives/partners/japan"))


@SYNTAXES
def test_archive_pages_have_no_source(site, syntax: str) -> None:
    result = site(syntax)
    assert not (result.outdir / "_sources" / "archives").exists()
    assert (result.outdir / "_sources" / "news" / f"visits.{syntax}.txt").is_file()
    visits = output(result, "news/visits").read_text(encoding="utf-8")
    assert "_sources/news/visits" in visits
    for docname in ARCHIVES:
        assert "_sources" not in output(result, docname).read_text(encoding="utf-8"), docname


# -- 2. links to the archives ----------------------------------------------------------------------


@SYNTAXES
def test_tags_partners_and_dates_link_to_their_archive_page(site, syntax: str) -> None:
    content = page(site(syntax), "news/visits")
    visit = entry(content, "malaysia-visit-2023")
    assert links(visit, ".sp-tags") == [
        ("visit", "../archives/tags/visit.html"),
        ("Open Data", "../archives/tags/open-data.html"),
    ]
    assert links(visit, ".sp-partners") == [
        ("Malaysia", "../archives/partners/malaysia.html"),
        ("Japan", "../archives/partners/japan.html"),
    ]
    assert date_link(visit) == "../archives/years/2023.html"
    data = entry(content, "malaysia-data-2022")
    # the second spelling of the tag goes to the same page
    assert links(data, ".sp-tags") == [
        ("open-data", "../archives/tags/open-data.html"),
        ("visit", "../archives/tags/visit.html"),
    ]
    # a date range goes to the year it starts in
    workshop = entry(content, "japan-workshop")
    assert date_link(workshop) == "../archives/years/2022.html"
    range_link = workshop.select_one("p.sp-meta a .sp-date-range")
    assert range_link is not None
    assert [time["datetime"] for time in range_link.select("time")] == ["2022-12-30", "2023-01-02"]
    assert heading_links(content) == [
        ("March 2023", "../archives/years/2023.html"),
        ("December 2022", "../archives/years/2022.html"),
        ("June 2022", "../archives/years/2022.html"),
        ("November 2021", "../archives/years/2021.html"),
    ]
    awards = page(site(syntax), "news/awards")
    prize = entry(awards, "open-data-prize")
    assert links(prize, ".sp-tags") == [("Open Data", "../archives/tags/open-data.html")]
    assert date_link(prize) == "../archives/years/2022.html"
    assert heading_links(awards) == [
        ("2022", "../archives/years/2022.html"),
        ("2021", "../archives/years/2021.html"),
    ]


@SYNTAXES
def test_project_wide_views_and_roles_link_to_archive_pages(site, syntax: str) -> None:
    result = site(syntax)
    overview = page(result, "overview")
    assert [href for _text, href in heading_links(overview)] == [
        "archives/years/2023.html",
        "archives/years/2022.html",
        "archives/years/2022.html",
        "archives/years/2021.html",
        "archives/years/2022.html",
        "archives/years/2021.html",
    ]
    tags = [link for item in overview.select("li.sp-entry") for link in links(item, ".sp-tags")]
    assert ("service", "archives/tags/service.html") in tags
    assert all(href is not None for _text, href in tags)
    about = page(result, "about")
    assert [(a.get_text(), a["href"]) for a in about.select("a.reference.internal")] == [
        ("Malaysia", "archives/partners/malaysia.html"),
        ("Germany", "archives/partners/germany.html"),
    ]


@SYNTAXES
def test_links_to_the_page_itself_are_text(site, syntax: str) -> None:
    result = site(syntax)
    open_data = page(result, "archives/tags/open-data")
    spellings = [
        value
        for item in open_data.select("li.sp-entry")
        for value in links(item, ".sp-tags")
        if value[0] in ("Open Data", "open-data")
    ]
    assert spellings == [("Open Data", None), ("open-data", None), ("Open Data", None)]
    assert ("visit", "visit.html") in links(open_data.select("li.sp-entry")[0], ".sp-tags")

    year = page(result, "archives/years/2022")
    assert heading_links(year) == [
        ("December 2022", None),
        ("June 2022", None),
        ("2022", None),
    ]
    assert [date_link(item) for item in year.select("li.sp-entry")] == [None, None, None]
    # other years are links there
    assert [
        date_link(item) for item in page(result, "archives/tags/visit").select("li.sp-entry")
    ] == ["../years/2023.html", None]  # the second date is the heading's, hidden

    malaysia = page(result, "archives/partners/malaysia")
    first = malaysia.select("li.sp-entry")[0]
    assert links(first, ".sp-partners") == [("Malaysia", None), ("Japan", "japan.html")]
    assert page(result, "archives/index").select('a[href="index.html"], a[href=""]') == []


@SYNTAXES
def test_excluded_entries_link_to_no_archive_page(site, syntax: str) -> None:
    draft = page(site(syntax), "drafts/draft")
    visit = entry(draft, "draft-visit")
    assert links(visit, ".sp-tags") == [("visit", None), ("secret-plan", None)]
    assert heading_links(draft) == [("January 2024", None), ("2020", None)]
    prize = entry(draft, "draft-prize")
    assert links(prize, ".sp-tags") == [("Open Data", None)]


@SYNTAXES
def test_excluded_entries_partner_names_link_to_no_archive_page(site, syntax: str) -> None:
    """The draft names Japan, which has an archive page made from other pages'
    entries: the draft's entry, which no archive counts, does not link to it,
    but to Japan in the partner index."""
    draft = page(site(syntax), "drafts/draft")
    partners = links(entry(draft, "draft-visit"), ".sp-partners")
    assert partners == [("Korea", None), ("Japan", "../partners.html#partner-japan")]
    assert archive_links(str(draft)) == []


# -- 3. every link lands ---------------------------------------------------------------------------


@SYNTAXES
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_link_and_anchor_resolves(site, syntax: str, builder: str) -> None:
    result = site(syntax, builder)
    assert broken_links(result.outdir) == []
    assert repeated_ids(result.outdir) == []
    # archive pages were walked too, with their many links
    from_archives = sum(
        path.read_text(encoding="utf-8").count('href="')
        for path in result.outdir.glob("archives/**/*.html")
    )
    assert from_archives > 200


def test_dirhtml_links_are_folders(site) -> None:
    content = page(site("md", "dirhtml"), "news/visits")
    visit = entry(content, "malaysia-visit-2023")
    assert links(visit, ".sp-tags")[0] == ("visit", "../../archives/tags/visit/")
    assert date_link(visit) == "../../archives/years/2023/"
    intro = page(site("md", "dirhtml"), "archives/tags/visit").select_one("p.sp-archive-intro a")
    assert intro is not None
    assert intro["href"] == "../../"


# -- 4. search -------------------------------------------------------------------------------------


@SYNTAXES
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_search_finds_archive_pages_by_title(site, syntax: str, builder: str) -> None:
    index = search_index(site(syntax, builder).outdir)
    titles = dict(zip(index["docnames"], index["titles"], strict=True))
    assert {docname: titles.get(docname) for docname in TITLES} == TITLES
    workshop = index["titleterms"]["workshop"]
    workshop = workshop if isinstance(workshop, list) else [workshop]
    assert index["docnames"].index("archives/tags/workshop") in workshop


@pytest.mark.skipif(not SPHINX_8_1, reason="the no-search class came with Sphinx 8.1")
@SYNTAXES
def test_search_does_not_index_the_entries_of_archive_pages(site, syntax: str) -> None:
    index = search_index(site(syntax).outdir)
    docnames = index["docnames"]
    for word in ("quokka", "memorandum", "portal"):
        found = index["terms"][word]
        found = {docnames[number] for number in (found if isinstance(found, list) else [found])}
        assert found & {"news/visits", "news/awards"}, word
        assert not {docname for docname in found if docname.startswith("archives/")}, word
    # the index is found by its title too: the names it lists are other pages' titles
    for word in ("agreement", "workshop"):
        found = index["terms"][word]
        found = {docnames[number] for number in (found if isinstance(found, list) else [found])}
        assert "news/visits" in found, word
        assert "archives/index" not in found, word


# -- 5. parallel builds ----------------------------------------------------------------------------


@pytest.mark.skipif(not parallel_available, reason="parallel builds need fork()")
def test_a_parallel_build_writes_the_serial_pages(site, tmp_path: Path) -> None:
    serial = site("md")
    parallel = build(copy_root(tmp_path), tmp_path / "build", parallel=2)
    assert parallel.warnings == ""
    serial_files, parallel_files = html_files(serial.outdir), html_files(parallel.outdir)
    assert serial_files.keys() == parallel_files.keys()
    assert {name for name in serial_files if name.startswith("archives/")} == {
        output(serial, docname).relative_to(serial.outdir).as_posix() for docname in ARCHIVES
    }
    assert [name for name in serial_files if serial_files[name] != parallel_files[name]] == []
    assert search_index(parallel.outdir) == search_index(serial.outdir)


# -- 6. incremental builds -------------------------------------------------------------------------


def rebuild(source: Path, builddir: Path) -> tuple[SphinxTestApp, str]:
    """An incremental build into ``builddir``; the application and its status log."""
    app = SphinxTestApp("html", srcdir=source, builddir=builddir)
    try:
        app.build()
    finally:
        app.cleanup()
    return app, strip_colours(app.status.getvalue())


def mtimes(outdir: Path) -> dict[str, int]:
    """When each page was written (Sphinx writes its index and search pages every time)."""
    return {
        path.relative_to(outdir).as_posix(): path.stat().st_mtime_ns
        for path in outdir.rglob("*.html")
        if path.name not in ("genindex.html", "search.html")
    }


def main_contents(outdir: Path) -> dict[str, str]:
    return {
        path.relative_to(outdir).as_posix(): str(main_content(path.read_text(encoding="utf-8")))
        for path in sorted(outdir.rglob("*.html"))
        if path.name not in ("genindex.html", "search.html")
    }


def assert_like_a_clean_build(source: Path, outdir: Path, clean_dir: Path) -> None:
    """Every page a clean build of ``source`` writes reads the same in ``outdir``."""
    copy = clean_dir / "src"
    shutil.copytree(source, copy)
    clean = main_contents(build(copy, clean_dir / "build").outdir)
    incremental = main_contents(outdir)
    # Sphinx never deletes the output of a page that went: only what is built counts
    assert clean.keys() <= incremental.keys()
    assert [name for name in clean if incremental[name] != clean[name]] == []


def links_to(outdir: Path, target: str, skip: str = "") -> list[str]:
    """The pages with a link to the page ``target`` (``archives/tags/health.html``)."""
    found = []
    for path in outdir.rglob("*.html"):
        name = path.relative_to(outdir).as_posix()
        hrefs = re.findall(r'href="([^"#:]+)[^"]*"', path.read_text(encoding="utf-8"))
        folder = posixpath.dirname(name)
        if name != skip and any(
            posixpath.normpath(posixpath.join(folder, href)) == target for href in hrefs
        ):
            found.append(name)
    return sorted(found)


def test_incremental_builds_follow_the_entries(tmp_path: Path) -> None:
    source = copy_root(tmp_path)
    builddir = tmp_path / "build"
    app, _status = rebuild(source, builddir)
    outdir = Path(app.outdir)
    assert strip_colours(app.warning.getvalue()) == ""

    # nothing changed: nothing read, nothing written, archive pages included
    written = mtimes(outdir)
    assert {name for name in written if name.startswith("archives/")} == {
        f"{docname}.html" for docname in ARCHIVES
    }
    app, status = rebuild(source, builddir)
    assert "0 added, 0 changed, 0 removed" in status
    assert "no targets are out of date." in status
    assert mtimes(outdir) == written

    # a new tag on one page: a new archive page, a new count, fresh links to it
    visits = source / "news" / "visits.md"
    edit(visits, ":tags: agreement\n", ":tags: agreement, health\n")
    app, _status = rebuild(source, builddir)
    assert strip_colours(app.warning.getvalue()) == ""
    assert title(page(app, "archives/tags/health")) == "Tag: health"
    assert listed(page(app, "archives/tags/health")) == {"Activities": ["germany-moc"]}
    tags = dict(index_lists(page(app, "archives/index")))["Tags"]
    assert [text for text, _href, _count in tags] == [
        "agreement",
        "health",
        "Open Data",
        "service",
        "visit",
        "workshop",
    ]
    assert tags[1] == ("health", "tags/health.html", " (1)")
    assert links_to(outdir, "archives/tags/health.html") == [
        "archives/index.html",
        "archives/partners/germany.html",
        "archives/tags/agreement.html",
        "archives/years/2021.html",
        "news/visits.html",
        "overview.html",
    ]
    assert "archives/tags/health" in search_index(outdir)["docnames"]
    assert_like_a_clean_build(source, outdir, tmp_path / "clean-tag")

    # an entry's words change: the archive pages that show it show the new words
    edit(visits, "Memorandum of Cooperation", "Memorandum of Understanding")
    app, _status = rebuild(source, builddir)
    for docname in ("archives/years/2021", "archives/tags/health", "archives/partners/germany"):
        assert "Memorandum of Understanding" in page(app, docname).get_text(), docname

    # the only entry with a tag goes: its page goes from the index, the search
    # and every link
    edit(
        source / "news" / "awards.md",
        ":::{award} Service Award\n:date: 2021\n:tags: service\n:id: service-award\n\n"
        "For the service desk.\n:::\n",
        "",
    )
    app, _status = rebuild(source, builddir)
    assert strip_colours(app.warning.getvalue()) == ""
    lists = dict(index_lists(page(app, "archives/index")))
    assert "service" not in [text for text, _href, _count in lists["Tags"]]
    assert ("2021", "years/2021.html", " (1)") in lists["Years"]
    assert "archives/tags/service" not in app.env.all_docs
    assert "archives/tags/service" not in search_index(outdir)["docnames"]
    assert links_to(outdir, "archives/tags/service.html", skip="archives/tags/service.html") == []
    assert listed(page(app, "archives/years/2021")) == {"Activities": ["germany-moc"]}
    assert_like_a_clean_build(source, outdir, tmp_path / "clean-gone")

    # and nothing changed again: nothing written
    written = mtimes(outdir)
    app, status = rebuild(source, builddir)
    assert "no targets are out of date." in status
    assert mtimes(outdir) == written


# -- 7. other builders -----------------------------------------------------------------------------


@pytest.mark.parametrize("builder", ["singlehtml", "text", "latex", "epub", "gettext"])
def test_other_builders_make_no_archive_pages(tmp_path: Path, builder: str) -> None:
    result = build(copy_root(tmp_path), tmp_path / "build", builder)
    assert partnership_warnings(result.warnings) == []
    assert result.warnings == ""
    assert archive_docs(result.app) == set()
    files = [path for path in result.outdir.rglob("*") if path.is_file()]
    assert [path for path in files if "archives" in path.relative_to(result.outdir).parts] == []
    for path in files:
        if path.suffix in (".html", ".xhtml", ".txt", ".tex", ".pot", ".opf", ".ncx"):
            text = path.read_text(encoding="utf-8")
            assert "All archives" not in text, path
            assert "Tag: visit" not in text, path
            assert archive_links(text) == [], path
            assert "archives/" not in text, path
    if builder in ("singlehtml", "epub"):
        name = "index.html" if builder == "singlehtml" else "news/visits.xhtml"
        content = main_content((result.outdir / name).read_text(encoding="utf-8"))
        visit = entry(content, "malaysia-visit-2023")
        assert links(visit, ".sp-tags") == [("visit", None), ("Open Data", None)]
        assert date_link(visit) is None
        assert all(href is None for _text, href in heading_links(content))
        # partner names lead to the partner index
        index = "#" if builder == "singlehtml" else "../partners.xhtml#"
        assert links(visit, ".sp-partners") == [
            ("Malaysia", f"{index}partner-malaysia"),
            ("Japan", f"{index}partner-japan"),
        ]
    if builder == "text":
        visits = (result.outdir / "news" / "visits.txt").read_text(encoding="utf-8")
        assert "Tags: visit, Open Data" in visits
    if builder == "gettext":
        assert not list(result.outdir.glob("archives*"))
        catalogues = "".join(path.read_text() for path in result.outdir.rglob("*.pot"))
        assert "Tag: " not in catalogues


# -- 8. settings -----------------------------------------------------------------------------------


def test_tag_archives_only(tmp_path: Path) -> None:
    result = build_with(tmp_path, 'partnerships_archives = ["tags"]\n')
    assert result.warnings == ""
    assert archive_docs(result.app) == {"archives/index", *(f"archives/tags/{tag}" for tag in TAGS)}
    assert [heading for heading, _items in index_lists(page(result, "archives/index"))] == ["Tags"]
    visits = page(result, "news/visits")
    visit = entry(visits, "malaysia-visit-2023")
    assert links(visit, ".sp-tags")[0] == ("visit", "../archives/tags/visit.html")
    # partner names lead to the partner index; dates are text
    assert links(visit, ".sp-partners") == [
        ("Malaysia", "../partners.html#partner-malaysia"),
        ("Japan", "../partners.html#partner-japan"),
    ]
    assert date_link(visit) is None
    assert all(href is None for _text, href in heading_links(visits))
    about = page(result, "about")
    assert [a["href"] for a in about.select("a.reference.internal")] == [
        "partners.html#partner-malaysia",
        "partners.html#partner-germany",
    ]
    assert broken_links(result.outdir) == []


def test_no_archives(tmp_path: Path) -> None:
    result = build_with(tmp_path, "partnerships_archives = []\n")
    assert result.warnings == ""
    assert archive_docs(result.app) == set()
    assert not (result.outdir / "archives").exists()
    for path in result.outdir.rglob("*.html"):
        assert archive_links(path.read_text(encoding="utf-8")) == [], path
    visit = entry(page(result, "news/visits"), "malaysia-visit-2023")
    assert links(visit, ".sp-tags") == [("visit", None), ("Open Data", None)]
    assert links(visit, ".sp-partners")[0] == ("Malaysia", "../partners.html#partner-malaysia")
    assert broken_links(result.outdir) == []


def test_a_prefix_moves_the_archives(tmp_path: Path) -> None:
    result = build_with(tmp_path, 'partnerships_archive_prefix = "explore/by"\n')
    assert result.warnings == ""
    moved = {docname.replace("archives/", "explore/by/", 1) for docname in ARCHIVES}
    assert {docname for docname in result.app.env.all_docs if docname in moved} == moved
    assert archive_docs(result.app) == set()
    assert not (result.outdir / "archives").exists()
    assert index_lists(page(result, "explore/by/index")) == INDEX
    assert title(page(result, "explore/by/tags/open-data")) == "Tag: Open Data"
    visit = entry(page(result, "news/visits"), "malaysia-visit-2023")
    assert links(visit, ".sp-tags")[0] == ("visit", "../explore/by/tags/visit.html")
    assert date_link(visit) == "../explore/by/years/2023.html"
    assert broken_links(result.outdir) == []
    assert repeated_ids(result.outdir) == []


BAD_SETTINGS = [
    pytest.param(
        'partnerships_archives = "tags"\n',
        "partnerships_archives must be a list of tags, partners, years, not 'tags';"
        " no archive pages are made",
        set(),
        id="a string",
    ),
    pytest.param(
        'partnerships_archives = ["tags", "months"]\n',
        "partnerships_archives has an unknown kind 'months' (known: tags, partners, years);"
        " it is ignored",
        {"archives/index", *(f"archives/tags/{tag}" for tag in TAGS)},
        id="an unknown kind",
    ),
    pytest.param(
        'partnerships_archive_prefix = "../x"\n',
        "partnerships_archive_prefix must be a folder of the site, such as 'archives',"
        " not '../x'; using 'archives'",
        ARCHIVES,
        id="a prefix out of the site",
    ),
    pytest.param(
        'partnerships_archive_prefix = ""\n',
        "partnerships_archive_prefix must be a folder of the site, such as 'archives',"
        " not ''; using 'archives'",
        ARCHIVES,
        id="an empty prefix",
    ),
]


@pytest.mark.parametrize(("conf", "problem", "made"), BAD_SETTINGS)
def test_a_bad_setting_warns_and_falls_back(
    tmp_path: Path, conf: str, problem: str, made: set[str]
) -> None:
    result = build_with(tmp_path, conf)
    assert partnership_warnings(result.warnings) == [f"WARNING: {problem} [partnerships.field]"]
    assert archive_docs(result.app) == made
    assert not (result.outdir.parent / "x").exists()
    assert broken_links(result.outdir) == []


def add_a_page_at(source: Path, docname: str) -> None:
    """A page of the writer's own where an archive page would go."""
    path = source / f"{docname}.md"
    path.parent.mkdir(parents=True)
    path.write_text("# Our visits\n\nWritten by hand.\n", encoding="utf-8")
    edit(source / "index.md", "drafts/draft\n", f"drafts/draft\n{docname}\n")


def test_a_page_of_the_project_keeps_its_name(tmp_path: Path) -> None:
    source = copy_root(tmp_path)
    add_a_page_at(source, "archives/tags/visit")
    result = build(source, tmp_path / "build")
    [warning] = partnership_warnings(result.warnings)
    location, _, text = warning.partition("WARNING: ")
    assert text == (
        "the archive page 'archives/tags/visit' is not made: a page of the project has that"
        " name (rename it, or set partnerships_archive_prefix) [partnerships.archive]"
    )
    # at the page that has the name
    assert location == f"{source / 'archives' / 'tags' / 'visit.md'}: "
    content = page(result, "archives/tags/visit")
    assert title(content) == "Our visits"
    assert "Written by hand." in content.get_text()
    assert content.select(".sp-archive-about, .sp-collection") == []
    assert (result.outdir / "_sources" / "archives" / "tags" / "visit.md.txt").is_file()
    # the other archive pages are made
    for docname in ARCHIVES - {"archives/tags/visit"}:
        assert title(page(result, docname)) == TITLES[docname]
    tags = dict(index_lists(page(result, "archives/index")))["Tags"]
    assert "visit" not in [text for text, _href, _count in tags]
    assert broken_links(result.outdir) == []


STRICT = [
    pytest.param(lambda source: add_a_page_at(source, "archives/tags/visit"), "archive", id="page"),
    pytest.param(
        lambda source: edit(
            source / "conf.py", "language", 'partnerships_archives = "x"\nlanguage'
        ),
        "field",
        id="setting",
    ),
]


@pytest.mark.parametrize(("change", "subtype"), STRICT)
def test_a_strict_build_fails_on_archive_warnings(
    tmp_path: Path, change: Callable[[Path], None], subtype: str
) -> None:
    source = copy_root(tmp_path)
    change(source)

    def strict_build() -> SphinxTestApp:
        app = SphinxTestApp(
            "html", srcdir=source, builddir=tmp_path / "build", freshenv=True, warningiserror=True
        )
        try:
            app.build()
        finally:
            app.cleanup()
        return app

    if not SPHINX_8_1:
        # Sphinx 8.0 ends a strict build at its first warning (a setting's: before reading)
        with pytest.raises(SphinxWarning, match=rf"\[partnerships\.{subtype}\]"):
            strict_build()
        return
    app = strict_build()
    assert app.statuscode == 1
    [warning] = partnership_warnings(app.warning.getvalue())
    assert warning.endswith(f"[partnerships.{subtype}]")


# -- 10. the index in a table of contents, and {doc} links -----------------------------------------


def with_the_index_listed(tmp_path: Path) -> Path:
    """A copy of the project whose root lists the archive index in its table of
    contents, and whose overview links to a tag's page with ``{doc}``."""
    source = copy_root(tmp_path)
    edit(source / "index.md", "drafts/draft\n", "drafts/draft\narchives/index\n")
    with (source / "overview.md").open("a", encoding="utf-8") as stream:
        stream.write("\nVisits: {doc}`the visits </archives/tags/visit>`.\n")
    return source


def test_the_index_stands_in_a_table_of_contents(tmp_path: Path) -> None:
    result = build(with_the_index_listed(tmp_path), tmp_path / "build")
    assert result.warnings == ""
    root = (result.outdir / "index.html").read_text(encoding="utf-8")
    toctree = BeautifulSoup(root, "html.parser").select_one("div.toctree-wrapper")
    assert toctree is not None
    assert ("Archives", "archives/index.html") in [
        (a.get_text(), a["href"]) for a in toctree.select("a.reference.internal")
    ]
    overview = page(result, "overview")
    assert ("the visits", "archives/tags/visit.html") in [
        (a.get_text(), a["href"]) for a in overview.select("a.reference.internal")
    ]
    assert broken_links(result.outdir) == []


@pytest.mark.parametrize("builder", ["latex", "text", "singlehtml"])
def test_other_builders_make_the_listed_index_as_text(tmp_path: Path, builder: str) -> None:
    """Where the index stands in a table of contents, every builder makes it: the
    values and their counts, as text; a ``{doc}`` link to an archive page is its words."""
    result = build(with_the_index_listed(tmp_path), tmp_path / "build", builder)
    assert result.warnings == ""
    assert archive_docs(result.app) == {"archives/index"}
    if builder == "latex":
        text = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
        assert re.search(r"\\(chapter|section)\{Archives\}", text)
        assert "\nvisit\\DUrole{sp-count}{ (2)}\n" in text
        assert "archives/tags" not in text
        # the link's words, in the roles' markup of the Sphinx version, and no link
        visits = re.search(r"\nVisits: (.*)\.\n", text)
        assert visits is not None
        assert "{the visits}" in visits.group(1)
        assert "ref" not in visits.group(1).replace("xref", "")
    elif builder == "text":
        index = (result.outdir / "archives" / "index.txt").read_text(encoding="utf-8")
        assert "* visit (2)" in index
        assert "* Japan (2)" in index
        assert "* 2022 (3)" in index
        overview = (result.outdir / "overview.txt").read_text(encoding="utf-8")
        assert "Visits: *the visits*." in overview
    else:
        content = main_content((result.outdir / "index.html").read_text(encoding="utf-8"))
        archive = content.select_one("section#archives")
        assert archive is not None
        assert "visit (1)" not in archive.get_text()
        assert "visit (2)" in archive.get_text()
        assert archive_links(str(content)) == []


def test_the_listed_index_is_made_without_entries(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["myst_parser", "sphinx_partnerships"]\n')
    (source / "index.md").write_text("# Home\n\n```{toctree}\narchives/index\n```\n")
    result = build(source, tmp_path / "build")
    assert result.warnings == ""
    archives = page(result, "archives/index")
    assert title(archives) == "Archives"
    assert archives.select_one("p.sp-empty").get_text() == "No archives yet."


def test_without_entries_or_a_listing_there_is_no_index(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["myst_parser", "sphinx_partnerships"]\n')
    (source / "index.md").write_text("# Home\n\nNo entries.\n")
    result = build(source, tmp_path / "build", "dirhtml")
    assert result.warnings == ""
    assert "archives/index" not in result.app.env.found_docs
    assert not (result.outdir / "archives").exists()


# -- 11. feeds -------------------------------------------------------------------------------------


def test_a_tag_feed_stands_for_the_tag_page(tmp_path: Path) -> None:
    result = build_with(
        tmp_path,
        'html_baseurl = "https://example.org/en/latest/"\n'
        'partnerships_feeds = {"tags": "feeds/{tag}.atom", "activities": "feeds/all.atom"}\n',
    )
    assert result.warnings == ""
    feed = (result.outdir / "feeds" / "visit.atom").read_text(encoding="utf-8")
    alternate = re.search(r'<link rel="alternate" type="text/html" href="([^"]+)"', feed)
    assert alternate is not None
    assert alternate.group(1) == "https://example.org/en/latest/archives/tags/visit.html"
    # the feed of all activities stands for the writer's overview, not an archive page
    everything = (result.outdir / "feeds" / "all.atom").read_text(encoding="utf-8")
    assert 'type="text/html" href="https://example.org/en/latest/overview.html"' in everything
    # the tag's page names its feed in its head
    head = output(result, "archives/tags/visit").read_text(encoding="utf-8")
    assert 'href="../../feeds/visit.atom"' in head
