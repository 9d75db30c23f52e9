"""Entries shown on pages other than their own: links, anchors, bodies, ids, structure."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .conftest import main_content, partnership_warnings, strip_colours
from .linkcheck import broken_links, repeated_ids, undefined_latex_references


def warnings_of(app: SphinxTestApp) -> list[str]:
    return [line for line in strip_colours(app.warning.getvalue()).splitlines() if line.strip()]


def the_one_warning(app: SphinxTestApp) -> str:
    warnings = partnership_warnings(app.warning.getvalue())
    assert len(warnings) == 1, warnings
    return warnings[0]


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return main_content((app.outdir / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("builder", ["html", "dirhtml", "singlehtml", "epub"])
def test_every_link_and_anchor_resolves(make_app, rootdir, tmp_path, builder: str) -> None:
    app = make_app(builder, srcdir=_copy(rootdir / "test-travel", tmp_path))
    app.build()
    assert warnings_of(app) == []
    suffix = ".xhtml" if builder == "epub" else ".html"
    broken = broken_links(app.outdir, suffix)
    if builder == "singlehtml":
        # Sphinx links its own table of contents as "#document-page#section" on
        # a single page (sphinx-doc/sphinx#14221), and to pages it does not
        # write there; the next test checks every link of ours on that page
        broken = [
            line
            for line in broken
            if not line.endswith("(no file)") and not re.search(r"#document-[^#]*#", line)
        ]
    assert broken == []
    links = sum(
        1
        for path in app.outdir.rglob(f"*{suffix}")
        for _ in re.finditer(r'href="', path.read_text())
    )
    assert links > 40
    if builder != "singlehtml":  # Sphinx repeats per-page ids (footnotes) on one page
        assert repeated_ids(app.outdir, suffix) == []


def test_single_page_links_land_on_the_page(make_app, rootdir, tmp_path) -> None:
    app = make_app("singlehtml", srcdir=_copy(rootdir / "test-travel", tmp_path))
    app.build()
    content = BeautifulSoup((app.outdir / "index.html").read_text(), "html.parser")
    ids = {str(node["id"]) for node in content.select("[id]")}
    ours = content.select(
        ".sp-collection a[href], .sp-card-grid a[href], .sp-partner a[href],"
        " a[href]:has(> .partnerships)"
    )
    assert len(ours) > 25
    for link in ours:
        href = str(link["href"])
        if href.startswith(("http", "mailto:")):
            continue
        assert href.startswith("#"), href
        assert href == "#" or href[1:] in ids, href
    assert content.select_one('a[href="#first"]') is not None
    assert content.select_one('a[href="#partner-japan"]') is not None


@pytest.mark.sphinx("latex", testroot="travel")
def test_every_latex_reference_has_its_label(app: SphinxTestApp) -> None:
    app.build()
    assert warnings_of(app) == []
    tex = (app.outdir / "travel.tex").read_text()
    assert undefined_latex_references(tex) == []
    # entries, partner headings and entries' own anchors are labels
    for label in ("news/log:first", "news/more:second", "partners:partner-japan"):
        assert f"\\label{{\\detokenize{{{label}}}}}" in tex
    assert tex.count("\\hyperref[") > 15


@pytest.mark.sphinx("html", testroot="travel")
def test_bodies_travel_whole(app: SphinxTestApp) -> None:
    app.build()
    overview = page(app, "overview.html")
    first, visit, _second_visit, second, *_ = overview.select(".sp-timeline li.sp-activity")
    # the copies carry no anchor of their own
    assert overview.select(".sp-timeline li[id]") == []
    links = {a.get_text(" ", strip=True): a["href"] for a in first.select(".sp-body a")}
    assert links["second"] == "news/more.html#second"  # a role
    assert links["the introduction"] == "news/log.html#log-intro"  # an anchor of its page
    assert links["the overview"] == "#"  # a Markdown link to the showing page
    image = first.select_one(".sp-body img")
    assert image["src"] == "_images/dot.png"
    assert (app.outdir / "_images" / "dot.png").is_file()
    assert first.select_one(".highlight") is not None
    assert first.select_one(".admonition.note") is not None
    assert "e^{i\\pi}" in first.select_one(".math").get_text()
    # footnotes continue the page's numbering, each with its own id
    own = overview.select_one("aside#local .label").get_text(strip=True)
    assert own == "[1]"
    reference = first.select_one("a.footnote-reference")
    assert reference.get_text(strip=True) == "[2]"
    target = reference["href"].removeprefix("#")
    assert (
        overview.select_one(f"aside#{target}")
        .get_text(" ", strip=True)
        .endswith("The footnote\N{RIGHT SINGLE QUOTATION MARK}s text.")
    )
    assert second.select_one("a.footnote-reference").get_text(strip=True) == "[3]"
    assert second.select_one(".sp-body a[href='#']").get_text() == "Overview"  # :doc:
    # an entry's :link: is resolved from the page showing it
    assert visit.select_one(".sp-more a")["href"] == "#"
    origins = [a["href"] for a in overview.select(".sp-origin a")]
    assert origins[:2] == ["news/log.html#first", "news/log.html#visit-2022-06-23"]


@pytest.mark.parametrize("builder", ["text", "gettext", "dirhtml", "epub", "latex"])
def test_views_render_in_every_builder(make_app, rootdir, tmp_path, builder: str) -> None:
    app = make_app(builder, srcdir=_copy(rootdir / "test-travel", tmp_path))
    app.build()
    assert warnings_of(app) == []
    if builder == "text":
        overview = (app.outdir / "overview.txt").read_text()
        assert "The footnote" in overview
        assert "s text." in overview
        assert 'print("code travels")' in overview
        assert "An rST footnote." in overview
    if builder == "gettext":
        # a copy's words belong to its own page's catalog
        overview = (app.outdir / "overview.pot").read_text()
        assert "The footnote" not in overview
        assert "A visit in rST" not in overview
        assert "A visit in rST" in (app.outdir / "news.pot").read_text()


@pytest.mark.sphinx("html", testroot="travel")
def test_derived_ids_are_unique_and_stable(app: SphinxTestApp) -> None:
    app.build()
    more = page(app, "news/more.html")
    assert more.select_one("section#open-gov-prize-2023") is not None
    assert [li["id"] for li in more.select("li.sp-award")] == [
        "open-gov-prize-2023-2",
        "open-gov-prize-2023-3",
    ]
    log = page(app, "news/log.html")
    ids = [li["id"] for li in log.select("li.sp-activity")]
    assert ids[:3] == ["first", "visit-2022-06-23", "visit-2022-06-23-2"]
    chinese = ids[3:]
    assert len(chinese) == 2
    assert len(set(chinese)) == 2
    assert all(re.fullmatch(r"activity-[0-9a-f]{8}-2022-04", anchor) for anchor in chinese)
    # the same words give the same anchor in the next build
    app.build(force_all=True)
    assert [li["id"] for li in page(app, "news/log.html").select("li.sp-activity")] == ids


@pytest.mark.sphinx(
    "html", testroot="travel", srcdir="travel-missing", confoverrides={"nitpicky": True}
)
def test_missing_targets_warn_once_at_the_role(app: SphinxTestApp) -> None:
    source = app.srcdir / "news" / "log.md"
    source.write_text(source.read_text().replace("{activity}`second`", "{activity}`no-such-entry`"))
    app.build()
    # the overview shows the entry too, and says nothing more about it
    warning = the_one_warning(app)
    assert "log.md:16" in warning
    assert "activity 'no-such-entry' does not exist" in warning
    assert "[partnerships.link]" in warning


@pytest.mark.sphinx(
    "html",
    testroot="travel",
    srcdir="travel-nitpick",
    confoverrides={"nitpicky": True, "nitpick_ignore": [("partnerships:award", "nowhere")]},
)
def test_unresolved_roles_follow_sphinx_rules(app: SphinxTestApp) -> None:
    overview = app.srcdir / "overview.md"
    overview.write_text(
        overview.read_text() + "\nAlso {award}`nowhere` and {activity}`elsewhere`.\n"
    )
    resolved: list[str] = []

    def resolve_elsewhere(app, env, node, contnode):  # type: ignore[no-untyped-def]
        if node["reftarget"] == "elsewhere":
            resolved.append(node["reftarget"])
            from docutils import nodes

            return nodes.reference("", "", contnode, refuri="https://example.org/elsewhere")
        return None

    app.connect("missing-reference", resolve_elsewhere)
    app.build()
    assert partnership_warnings(app.warning.getvalue()) == []
    assert resolved == ["elsewhere"]
    assert 'href="https://example.org/elsewhere"' in (app.outdir / "overview.html").read_text()


@pytest.mark.sphinx(
    "html",
    testroot="travel",
    srcdir="travel-no-index",
    # with archive pages, partners have a page without a partner index
    confoverrides={"partnerships_archives": []},
)
def test_a_partner_role_without_a_partner_index_says_so(app: SphinxTestApp) -> None:
    partners = app.srcdir / "partners.md"
    partners.write_text(partners.read_text().replace("::::{partner-index}\n::::", ""))
    app.build()
    warning = the_one_warning(app)
    assert "overview.md:17" in warning
    assert "no partner-index" in warning
    # partner names of entries stay text, without a warning
    assert page(app, "news/log.html").select(".sp-partners a") == []


STRUCTURE_WARNINGS = [
    ("index.md:15", "an activity cannot be written inside an activity"),
    ("index.md:26", "an award cannot be written inside a timeline"),
    ("index.md:34", "an activity cannot be written inside an award list"),
    ("index.md:46", "a timeline cannot be written inside an image card"),
    ("index.md:55", "a toctree cannot be part of an activity"),
    ("rst.rst:11", "an activity cannot be written inside an activity"),
    ("rst.rst:16", "an award cannot be written inside a timeline"),
]


@pytest.mark.sphinx("html", testroot="structure")
def test_structure_mistakes_warn_at_their_line_and_drop_nothing(app: SphinxTestApp) -> None:
    app.build()
    warnings = partnership_warnings(app.warning.getvalue())
    assert len(warnings) == len(STRUCTURE_WARNINGS), warnings
    for (place, words), line in zip(STRUCTURE_WARNINGS, warnings, strict=True):
        assert f"{place}: WARNING: {words}" in line
        assert "[partnerships.structure]" in line
    index = page(app, "index.html")
    # the inner activity follows the outer one in the same timeline
    timeline = index.select(".sp-timeline")[0]
    assert [li["id"] for li in timeline.select("li")] == ["outer", "inner"]
    # prose in a timeline and misplaced entries are shown before it
    assert (
        index.select_one(".admonition.note")
        .get_text(" ", strip=True)
        .endswith("Prose inside a timeline.")
    )
    assert index.select_one("li#misplaced-award") is not None
    assert index.select_one("li#misplaced-activity") is not None
    # the timeline written in a card follows the card, not its legend
    assert index.select_one(".sp-card legend, .sp-card .sp-collection") is None
    assert index.select_one("li#with-toctree") is not None
    assert index.select_one("li#with-toctree .toctree-wrapper") is None
    rst = page(app, "rst.html")
    assert [li["id"] for li in rst.select(".sp-timeline li")] == ["rst-outer", "rst-inner"]
    assert rst.select_one("li#rst-misplaced-award") is not None
    assert repeated_ids(app.outdir) == []


@pytest.mark.sphinx("latex", testroot="structure", freshenv=True)
def test_structure_mistakes_do_not_break_print(app: SphinxTestApp) -> None:
    app.build()
    assert len(partnership_warnings(app.warning.getvalue())) == len(STRUCTURE_WARNINGS)
    tex = (app.outdir / "structure.tex").read_text()
    assert undefined_latex_references(tex) == []


def _copy(root, tmp_path):  # type: ignore[no-untyped-def]
    import shutil

    target = tmp_path / root.name
    shutil.copytree(root, target)
    return target
