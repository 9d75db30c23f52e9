"""The ``timeline`` and ``activity`` directives, in MyST and in reStructuredText.

``test-timeline-myst`` and ``test-timeline-rst`` are the same small project
written twice, one page per behaviour. Each is built once for the module and
every behaviour is checked on both; the warning roots get a build per test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sphinx
from bs4 import BeautifulSoup, Tag
from sphinx.errors import SphinxWarning
from sphinx.testing.util import SphinxTestApp

from .conftest import BuildRoot, main_content, partnership_warnings, strip_colours

SYNTAXES = ("myst", "rst")

#: the pages of the two roots that show timelines
PAGES = (
    "group-month",
    "group-year",
    "group-none",
    "order-oldest",
    "from",
    "until",
    "partners",
    "tags",
    "limit",
    "classes",
    "activity",
    "single",
    "ties",
    "levels",
)


# -- helpers (test_awards.py uses them too) --------------------------------------


def warnings_of(app: SphinxTestApp) -> list[str]:
    """The partnerships warnings of a build, one per line, without colours."""
    return partnership_warnings(strip_colours(app.warning.getvalue()))


def assert_clean(app: SphinxTestApp) -> None:
    """No warning of any kind, no traceback, a successful build."""
    assert strip_colours(app.warning.getvalue()) == ""
    assert "Traceback" not in app.status.getvalue()
    assert app.statuscode == 0


def assert_no_traceback(app: SphinxTestApp) -> None:
    output = app.status.getvalue() + app.warning.getvalue()
    assert "Traceback" not in output
    assert "Exception occurred" not in output


def assert_warned(app: SphinxTestApp, filename: str, expected: list[tuple[int, str, str]]) -> None:
    """Exactly the ``(line, subtype, words)`` warnings, each at ``filename:line``."""
    lines = warnings_of(app)
    assert len(lines) == len(expected), "\n".join(lines)
    for line, subtype, words in expected:
        matching = [
            warning
            for warning in lines
            if f"/{filename}:{line}: WARNING: " in warning
            and warning.endswith(f"[partnerships.{subtype}]")
            and words in warning
        ]
        assert len(matching) == 1, (line, subtype, words, lines)
    for warning in lines:
        path = Path(warning.split(":", 1)[0])
        assert path.is_absolute()
        assert path.name == filename


#: Sphinx 8.1 made a strict build (-W) report every warning and fail at its end
SPHINX_8_1 = sphinx.version_info >= (8, 1)


def assert_strict_build_fails(app: SphinxTestApp, count: int) -> None:
    """A strict build fails on the extension's warnings, without a traceback."""
    if not SPHINX_8_1:
        # Sphinx 8.0 ends a strict build at its first warning
        with pytest.raises(SphinxWarning, match=r"\[partnerships\.\w+\]"):
            app.build()
        return
    app.build()
    assert app.statuscode == 1
    assert len(warnings_of(app)) == count
    assert_no_traceback(app)


def page(app: SphinxTestApp, name: str) -> BeautifulSoup:
    """The main content of a built page."""
    return main_content((app.outdir / f"{name}.html").read_text(encoding="utf-8"))


def collections(app: SphinxTestApp, name: str, component: str) -> list[Tag]:
    found = page(app, name).select(f"div.sp-collection.{component}")
    assert found, f"no {component} on {name}"
    return found


def timelines(app: SphinxTestApp, name: str) -> list[Tag]:
    return collections(app, name, "sp-timeline")


def dates(collection: Tag) -> list[str]:
    """The ``datetime`` of each entry, in the order shown: a date the group
    heading says is bare, a shown one is in the link to its year's archive page."""
    return [
        str(time["datetime"])
        for time in collection.select(
            "li.sp-entry > p.sp-meta > time, li.sp-entry > p.sp-meta > a > time"
        )
    ]


def texts(collection: Tag) -> list[str]:
    """The body text of each entry, in the order shown."""
    return [
        body.get_text(" ", strip=True) for body in collection.select("li.sp-entry > div.sp-body")
    ]


def groups(collection: Tag) -> list[tuple[str, str, str, list[str]]]:
    """``(heading tag, heading datetime, heading text, entry dates)`` per group."""
    found: list[tuple[str, str, str, list[str]]] = []
    for child in collection.find_all(recursive=False):
        if child.name == "ol":
            if not found or found[-1][3]:
                found.append(("", "", "", []))
            found[-1][3].extend(dates(child))
        else:
            time = child.find("time")
            assert isinstance(time, Tag), f"group heading without a date: {child}"
            found.append((child.name, str(time["datetime"]), time.get_text(), []))
    return found


def stylesheets(app: SphinxTestApp, name: str) -> list[str]:
    html = (app.outdir / f"{name}.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    return [str(link["href"]).split("?")[0] for link in soup.select("link[rel=stylesheet]")]


# -- the two roots ---------------------------------------------------------------


@pytest.fixture(scope="module")
def builds(build_root: BuildRoot) -> dict[str, SphinxTestApp]:
    """Both roots, each built once for the whole module."""
    return {syntax: build_root(f"timeline-{syntax}").app for syntax in SYNTAXES}


@pytest.fixture(params=SYNTAXES)
def built(request: pytest.FixtureRequest, builds: dict[str, SphinxTestApp]) -> SphinxTestApp:
    """The MyST build, then the rST build of the same project."""
    return builds[request.param]


def test_roots_build_cleanly(built: SphinxTestApp) -> None:
    assert_clean(built)


def test_myst_and_rst_render_the_same_timelines(
    builds: dict[str, SphinxTestApp],
) -> None:
    for name in PAGES:
        myst, rst = ([str(t) for t in timelines(builds[s], name)] for s in SYNTAXES)
        assert myst == rst, name


# -- grouping and ordering ----------------------------------------------------


def test_month_groups_are_the_default(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "group-month")
    assert groups(timeline) == [
        ("h2", "2022-06", "June 2022", ["2022-06-23", "2022-06"]),
        # a year-precision entry gets a year group, placed at 2022-01-01
        ("h2", "2022", "2022", ["2022"]),
        ("h2", "2021-11", "November 2021", ["2021-11"]),
        ("h2", "2021", "2021", ["2021"]),
    ]
    headings = timeline.select("h2")
    assert all("sp-group-heading" in heading["class"] for heading in headings)
    # a heading's date links to its year's archive page
    assert [str(link["href"]) for link in timeline.select("h2 > a")] == [
        "archives/years/2022.html",
        "archives/years/2022.html",
        "archives/years/2021.html",
        "archives/years/2021.html",
    ]
    # an entry's date its heading already says is hidden, and no link
    hidden = timeline.select("p.sp-meta.sp-visually-hidden")
    assert [str(time["datetime"]) for p in hidden for time in p.select("time")] == [
        "2022-06",
        "2022",
        "2021-11",
        "2021",
    ]
    assert [p.select("a") for p in hidden] == [[], [], [], []]


def test_group_by_year(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "group-year")
    assert groups(timeline) == [
        ("h2", "2022", "2022", ["2022-06-23", "2022-06", "2022"]),
        ("h2", "2021", "2021", ["2021-11", "2021"]),
    ]


def test_group_by_none_is_one_list_without_headings(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "group-none")
    assert timeline.select(".sp-group-heading, h1, h2, h3, h4, h5, h6") == []
    assert len(timeline.select("ol.sp-entries")) == 1
    # newest first; "2021" counts as 2021-01-01, so it comes after 2021-11
    assert dates(timeline) == ["2022-06-23", "2022-06", "2022", "2021-11", "2021"]


def test_order_oldest(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "order-oldest")
    assert groups(timeline) == [
        ("h2", "2021", "2021", ["2021"]),
        ("h2", "2021-11", "November 2021", ["2021-11"]),
        ("h2", "2022", "2022", ["2022"]),
        ("h2", "2022-06", "June 2022", ["2022-06", "2022-06-23"]),
    ]


def test_ties_keep_source_order(built: SphinxTestApp) -> None:
    newest, oldest = timelines(built, "ties")
    assert texts(newest) == ["Alpha.", "Bravo.", "Charlie."]
    assert texts(oldest) == ["Delta.", "Echo.", "Foxtrot."]


# -- filters --------------------------------------------------------------------


def test_from_is_inclusive_at_its_precision(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "from")
    # 2021 (= 2021-01-01) and 2021-05-31 are before June 2021; the tie between
    # 2021-06 and 2021-06-01 keeps source order
    assert dates(timeline) == ["2021-11", "2021-06", "2021-06-01"]


def test_until_is_inclusive_at_its_precision(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "until")
    # :until: 2022-05 keeps all of May; 2022 counts as 2022-01-01
    assert dates(timeline) == ["2022-05-31", "2022-05", "2022"]


def test_partners_keep_entries_with_any_listed_partner(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "partners")
    assert texts(timeline) == ["With Japan.", "With Singapore and Malaysia."]


def test_tags_keep_entries_with_any_listed_tag(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "tags")
    assert texts(timeline) == ["A visit.", "A conference with an MOU."]


def test_limit_keeps_the_first_entries_after_filtering_and_ordering(
    built: SphinxTestApp,
) -> None:
    plain, filtered = timelines(built, "limit")
    assert texts(plain) == ["Newest.", "Second newest."]
    assert texts(filtered) == ["Visit 2021.", "Visit 2022."]


# -- classes, options of an activity, single activities ----------------------------


def test_class_options(built: SphinxTestApp) -> None:
    timeline, single = timelines(built, "classes")
    assert {"sp-collection", "sp-timeline", "my-timeline", "wide"} <= set(timeline["class"])
    assert "my-activity" not in timeline["class"]
    assert {"sp-timeline", "sp-single", "my-activity"} <= set(single["class"])
    assert "my-timeline" not in single["class"]


def test_activity_options(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "activity")
    items = timeline.select("li.sp-entry.sp-activity")
    assert len(items) == 5
    full, to_page, to_label, to_mail, bare = items

    assert full["id"] == "moh-malaysia-visit"
    partners = full.select(".sp-partners .sp-value")
    assert [value.get_text() for value in partners] == ["Malaysia", "Japan"]
    tags = full.select(".sp-tags .sp-value")
    assert [value.get_text() for value in tags] == ["visit", "bilateral"]
    # partner names and tags link to their archive pages, the date to its year's
    assert [link["href"] for link in full.select("p.sp-details a")] == [
        "archives/partners/malaysia.html",
        "archives/partners/japan.html",
        "archives/tags/visit.html",
        "archives/tags/bilateral.html",
    ]
    assert [link["href"] for link in full.select("p.sp-meta a")] == ["archives/years/2022.html"]
    link = full.select_one("p.sp-more a")
    assert link is not None
    assert link["href"] == "https://example.org/news/visit"
    assert "external" in link["class"]
    assert link.get_text(" ", strip=True).startswith("Read more")

    internal = to_page.select_one("p.sp-more a")
    assert internal is not None
    assert internal["href"] == "plain.html"
    assert "internal" in internal["class"]
    label = to_label.select_one("p.sp-more a")
    assert label is not None
    assert label["href"] == "#target-label"
    mail = to_mail.select_one("p.sp-more a")
    assert mail is not None
    assert str(mail["href"]).startswith("mailto:partnerships")

    # no :link: gives no link but the date's; no :partners: or :tags: gives no details
    assert bare.select(".sp-more, .sp-details") == []
    assert [link["href"] for link in bare.select("a")] == ["archives/years/2022.html"]
    # without :id: the anchor is derived from the content
    assert bare["id"]
    assert bare["id"] != full["id"]


def test_activity_outside_a_timeline_renders_in_place(built: SphinxTestApp) -> None:
    section = page(built, "single").select_one("section")
    assert section is not None
    blocks = section.find_all(recursive=False)
    assert [block.name for block in blocks] == ["h1", "p", "div", "p"]
    before, timeline, after = blocks[1:]
    assert before.get_text() == "Before the activity."
    assert after.get_text() == "After the activity."
    assert {"sp-collection", "sp-timeline", "sp-single"} <= set(timeline["class"])
    assert timeline.select(".sp-group-heading") == []
    assert len(timeline.select("ol.sp-entries > li")) == 1
    assert dates(timeline) == ["2022-06-23"]
    assert texts(timeline) == ["An activity outside any timeline."]
    assert [value.get_text() for value in timeline.select(".sp-value")] == ["Japan"]


@pytest.mark.parametrize(
    ("syntax", "source_markup"),
    [("myst", ("[the news]", "*digital*")), ("rst", ("`the news", ":emphasis:"))],
)
def test_body_is_parsed_as_the_host_markup(
    builds: dict[str, SphinxTestApp], syntax: str, source_markup: tuple[str, ...]
) -> None:
    (timeline,) = timelines(builds[syntax], "body")
    body = timeline.select_one("li.sp-entry div.sp-body p")
    assert body is not None
    link = body.select_one("a")
    assert link is not None
    assert link["href"] == "https://example.org/news"
    assert link.get_text() == "the news"
    emphasis = body.select_one("em")
    assert emphasis is not None
    assert emphasis.get_text() == "digital"
    assert body.get_text() == "See the news about the digital visit."
    for markup in source_markup:
        assert markup not in str(timeline)


# -- structure -----------------------------------------------------------------------


def test_group_headings_are_one_level_below_their_section(
    built: SphinxTestApp,
) -> None:
    found = []
    for timeline in page(built, "levels").select("div.sp-timeline"):
        section = timeline.find_parent("section")
        assert section is not None
        heading = section.find(["h1", "h2", "h3", "h4", "h5"], recursive=False)
        assert heading is not None
        group_headings = [h.name for h in timeline.select(".sp-group-heading")]
        found.append((heading.name, group_headings))
    assert found == [("h1", ["h2"]), ("h2", ["h3"]), ("h3", ["h4"])]


def test_timeline_is_an_ordered_list_of_time_elements(built: SphinxTestApp) -> None:
    (timeline,) = timelines(built, "group-none")
    (listing,) = timeline.select("ol")
    items = listing.find_all("li", recursive=False)
    assert len(items) == 5
    times = [item.select_one("p.sp-meta > a > time") for item in items]
    assert [(t["datetime"], t.get_text()) for t in times if t is not None] == [
        ("2022-06-23", "23 June 2022"),
        ("2022-06", "June 2022"),
        ("2022", "2022"),
        ("2021-11", "November 2021"),
        ("2021", "2021"),
    ]
    # each date links to its year's archive page
    assert [str(t.parent["href"]) for t in times if t is not None and t.parent is not None] == [
        "archives/years/2022.html",
        "archives/years/2022.html",
        "archives/years/2022.html",
        "archives/years/2021.html",
        "archives/years/2021.html",
    ]


def test_html_snapshots(built: SphinxTestApp, file_regression: Any) -> None:
    """One snapshot for both syntaxes: MyST and rST render alike."""
    file_regression.check(
        page(built, "group-month").prettify(),
        basename="group_month",
        extension=".html",
    )
    (timeline,) = timelines(built, "activity")
    first = timeline.select_one("li.sp-activity")
    assert first is not None
    file_regression.check(first.prettify(), basename="full_activity", extension=".html")


def test_stylesheet_is_linked_only_where_a_component_is(built: SphinxTestApp) -> None:
    assert "_static/partnerships.css" in stylesheets(built, "group-month")
    assert "_static/partnerships.css" in stylesheets(built, "single")
    plain = stylesheets(built, "plain")
    assert plain  # the theme's own stylesheets are there
    assert not [href for href in plain if "partnerships" in href]
    assert (built.outdir / "_static" / "partnerships.css").is_file()


# -- warnings ---------------------------------------------------------------------------------

#: (line, subtype, words of the message) in test-timeline-warnings/index.md
EXPECTED_WARNINGS = [
    (6, "date", "'2022-02-30' is not a calendar date"),
    (10, "date", "the date is missing"),
    (14, "field", "unknown option :colour:"),
    (20, "link", "the link scheme 'javascript' is not allowed"),
    (26, "link", "'no-such-page' does not exist"),
    (32, "date", "'2022-13' is not a calendar date"),
    (43, "date", ":from: '2022-00' is not a calendar date"),
    (43, "field", ":limit: must be a whole number from 1, not 'none'"),
    (43, "field", ":order: must be one of newest, oldest, not 'sideways'"),
]


def assert_good_entries_render(app: SphinxTestApp) -> None:
    timeline, *_ = timelines(app, "index")
    assert texts(timeline) == [
        "An unknown option.",
        "A refused link.",
        "An unresolvable link.",
        "A fine entry.",
    ]
    assert dates(timeline) == ["2022-05", "2022-04", "2022-03", "2022-01"]
    unknown, refused, unresolved, _ = timeline.select("li.sp-entry")
    # a refused link drops the link, never the entry: the only link left is
    # the date's, to its year's archive page
    assert refused.select(".sp-more") == []
    assert [link["href"] for link in refused.select("a")] == ["archives/years/2022.html"]
    assert "javascript" not in str(timeline)
    # an unresolvable internal link keeps its words and links nowhere
    assert [link["href"] for link in unresolved.select("a")] == ["archives/years/2022.html"]
    assert "Read more" in unresolved.get_text()
    assert [link["href"] for link in unknown.select("a")] == ["archives/years/2022.html"]


@pytest.mark.sphinx("html", testroot="timeline-warnings", freshenv=True)
def test_bad_entries_warn_at_their_line(app: SphinxTestApp) -> None:
    app.build()
    assert_warned(app, "index.md", EXPECTED_WARNINGS)
    assert_no_traceback(app)
    assert app.statuscode == 0
    assert_good_entries_render(app)
    # bad collection options fall back to their defaults
    _, defaults = timelines(app, "index")
    assert groups(defaults) == [("h3", "2022-01", "January 2022", ["2022-01"])]


@pytest.mark.sphinx("html", testroot="timeline-warnings-rst", freshenv=True)
def test_bad_entries_in_rst_warn_at_their_line(app: SphinxTestApp) -> None:
    app.build()
    assert_warned(
        app,
        "index.rst",
        [
            (7, "date", "'2022-02-30' is not a calendar date"),
            (11, "date", "the date is missing"),
            (15, "field", "unknown option :colour:"),
            (20, "link", "the link scheme 'javascript' is not allowed"),
            (25, "link", "'no-such-page' does not exist"),
            (30, "date", "'2022-13' is not a calendar date"),
        ],
    )
    assert_no_traceback(app)
    assert_good_entries_render(app)


@pytest.mark.sphinx(
    "html",
    testroot="timeline-warnings",
    srcdir="timeline-warnings-strict",
    freshenv=True,
    warningiserror=True,
)
def test_warnings_fail_a_strict_build(app: SphinxTestApp) -> None:
    assert_strict_build_fails(app, len(EXPECTED_WARNINGS))


@pytest.mark.sphinx(
    "html",
    testroot="timeline-warnings",
    srcdir="timeline-warnings-raise",
    freshenv=True,
    exception_on_warning=True,
)
@pytest.mark.skipif(not SPHINX_8_1, reason="exception_on_warning came with Sphinx 8.1")
def test_warnings_raise_when_asked(app: SphinxTestApp) -> None:
    with pytest.raises(SphinxWarning, match="'2022-02-30' is not a calendar date"):
        app.build()


@pytest.mark.sphinx(
    "html",
    testroot="timeline-warnings",
    srcdir="timeline-warnings-suppressed",
    freshenv=True,
    confoverrides={"suppress_warnings": ["partnerships.date"]},
)
def test_a_warning_subtype_can_be_suppressed(app: SphinxTestApp) -> None:
    app.build()
    assert_warned(
        app,
        "index.md",
        [warning for warning in EXPECTED_WARNINGS if warning[1] != "date"],
    )
