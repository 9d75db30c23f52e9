"""The ``award-list`` and ``award`` directives, in MyST and in reStructuredText.

``test-awards-myst`` and ``test-awards-rst`` are the same small project written
twice, one page per behaviour, each built once for the module.
"""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import Tag
from sphinx.testing.util import SphinxTestApp

from .conftest import BuildRoot
from .test_timeline import (
    assert_clean,
    assert_no_traceback,
    assert_strict_build_fails,
    assert_warned,
    collections,
    dates,
    groups,
    page,
    stylesheets,
    texts,
)

SYNTAXES = ("myst", "rst")

#: the pages of the two roots that show award lists
PAGES = (
    "group-year",
    "group-none",
    "order-oldest",
    "bounds",
    "tags",
    "limit",
    "classes",
    "options",
    "single",
    "ties",
    "body",
)


def award_lists(app: SphinxTestApp, name: str) -> list[Tag]:
    return collections(app, name, "sp-award-list")


def names(collection: Tag) -> list[str]:
    """The name of each award, in the order shown."""
    return [
        name.get_text(strip=True) for name in collection.select("li.sp-award > p.sp-award-name")
    ]


@pytest.fixture(scope="module")
def builds(build_root: BuildRoot) -> dict[str, SphinxTestApp]:
    """Both roots, each built once for the whole module."""
    return {syntax: build_root(f"awards-{syntax}").app for syntax in SYNTAXES}


@pytest.fixture(params=SYNTAXES)
def built(request: pytest.FixtureRequest, builds: dict[str, SphinxTestApp]) -> SphinxTestApp:
    """The MyST build, then the rST build of the same project."""
    return builds[request.param]


def test_roots_build_cleanly(built: SphinxTestApp) -> None:
    assert_clean(built)


def test_myst_and_rst_render_the_same_award_lists(
    builds: dict[str, SphinxTestApp],
) -> None:
    for name in PAGES:
        myst, rst = ([str(t) for t in award_lists(builds[s], name)] for s in SYNTAXES)
        assert myst == rst, name


# -- grouping and ordering ----------------------------------------------------


def test_year_groups_are_the_default(built: SphinxTestApp) -> None:
    (awards,) = award_lists(built, "group-year")
    assert groups(awards) == [
        ("h2", "2022", "2022", ["2022-06-23", "2022"]),
        ("h2", "2021", "2021", ["2021-11"]),
        ("h2", "2020", "2020", ["2020"]),
    ]
    assert names(awards) == [
        "Open Data Award",
        "Smart City Award",
        "Service Award",
        "Digital Award",
    ]


def test_group_by_none_is_one_list_without_headings(built: SphinxTestApp) -> None:
    (awards,) = award_lists(built, "group-none")
    assert awards.select(".sp-group-heading, h1, h2, h3, h4, h5, h6") == []
    assert len(awards.select("ol.sp-entries")) == 1
    assert dates(awards) == ["2022-06-23", "2022", "2021-11", "2020"]


def test_order_oldest(built: SphinxTestApp) -> None:
    (awards,) = award_lists(built, "order-oldest")
    assert groups(awards) == [
        ("h2", "2020", "2020", ["2020"]),
        ("h2", "2021", "2021", ["2021-11"]),
        ("h2", "2022", "2022", ["2022", "2022-06-23"]),
    ]


def test_ties_keep_source_order(built: SphinxTestApp) -> None:
    newest, oldest = award_lists(built, "ties")
    assert names(newest) == ["Alpha", "Bravo", "Charlie"]
    assert names(oldest) == ["Delta", "Echo", "Foxtrot"]


# -- filters --------------------------------------------------------------------


def test_from_and_until_are_inclusive_at_their_precision(
    built: SphinxTestApp,
) -> None:
    (awards,) = award_lists(built, "bounds")
    # :from: 2021-06 drops 2021 (= 2021-01-01); :until: 2022-05 keeps
    # 2022-05-31 and 2022 (= 2022-01-01) and drops 2022-06
    assert names(awards) == ["Last day of May 2022", "Year 2022", "June 2021"]


def test_tags_keep_awards_with_any_listed_tag(built: SphinxTestApp) -> None:
    (awards,) = award_lists(built, "tags")
    assert names(awards) == ["City Award", "Care Award"]


def test_limit_keeps_the_first_awards_after_filtering_and_ordering(
    built: SphinxTestApp,
) -> None:
    plain, filtered = award_lists(built, "limit")
    assert names(plain) == ["Award 2023", "Award 2022"]
    assert names(filtered) == ["Data Award 2021", "Data Award 2022"]


def test_class_options(built: SphinxTestApp) -> None:
    awards, single = award_lists(built, "classes")
    assert {"sp-collection", "sp-award-list", "my-awards", "wide"} <= set(awards["class"])
    assert "my-award" not in awards["class"]
    assert {"sp-award-list", "sp-single", "my-award"} <= set(single["class"])
    assert "my-awards" not in single["class"]


# -- what an award shows ------------------------------------------------------------


def test_an_award_shows_every_field(built: SphinxTestApp) -> None:
    (awards,) = award_lists(built, "options")
    full, to_page, to_label, bare = awards.select("li.sp-entry.sp-award")

    assert full["id"] == "scapa-2021"
    link = full.select_one("p.sp-award-name a")
    assert link is not None
    assert link["href"] == "https://example.org/scapa"
    assert link.get_text(strip=True) == "SCAPA 2021"
    organizer = full.select_one(".sp-organizer .sp-value")
    assert organizer is not None
    assert organizer.get_text() == "International Data Corporation (IDC)"
    recipients = full.select(".sp-recipients .sp-value")
    assert [value.get_text() for value in recipients] == ["GovTech", "MOE", "MOH"]
    assert [value.get_text() for value in full.select(".sp-tags .sp-value")] == ["smart-city"]
    # a tag links to its archive page
    assert [link["href"] for link in full.select(".sp-tags a")] == ["archives/tags/smart-city.html"]
    assert texts(awards)[0] == ("For winning the 2022 IDC Smart City Asia Pacific Awards.")
    # the date links to its year's archive page
    time = full.select_one("p.sp-meta > a > time")
    assert time is not None
    assert (time["datetime"], time.get_text()) == ("2022", "2022")
    assert time.parent is not None
    assert time.parent["href"] == "archives/years/2022.html"

    internal = to_page.select_one("p.sp-award-name a")
    assert internal is not None
    assert internal["href"] == "plain.html"
    assert internal.get_text(strip=True) == "Page Award"
    label = to_label.select_one("p.sp-award-name a")
    assert label is not None
    assert label["href"] == "#award-label"

    # only what was given is shown; the one link is the date's
    assert bare.select(".sp-organizer, .sp-recipients, .sp-tags, .sp-body") == []
    assert [link["href"] for link in bare.select("a")] == ["archives/years/2020.html"]
    assert bare.get_text(" ", strip=True) == "Bare Award 2020"
    assert bare["id"] == "bare-award"


def test_award_outside_a_list_renders_in_place(built: SphinxTestApp) -> None:
    section = page(built, "single").select_one("section")
    assert section is not None
    blocks = section.find_all(recursive=False)
    assert [block.name for block in blocks] == ["h1", "p", "div", "p"]
    before, awards, after = blocks[1:]
    assert before.get_text() == "Before the award."
    assert after.get_text() == "After the award."
    assert {"sp-collection", "sp-award-list", "sp-single"} <= set(awards["class"])
    assert awards.select(".sp-group-heading") == []
    assert names(awards) == ["Lone Award"]
    assert dates(awards) == ["2022-06-23"]
    assert texts(awards) == ["An award outside any list."]
    organizer = awards.select_one(".sp-organizer .sp-value")
    assert organizer is not None
    assert organizer.get_text() == "Lone Organizer"


@pytest.mark.parametrize(
    ("syntax", "source_markup"),
    [("myst", ("[the citation]", "*whole*")), ("rst", ("`the citation", ":emphasis:"))],
)
def test_body_is_parsed_as_the_host_markup(
    builds: dict[str, SphinxTestApp], syntax: str, source_markup: tuple[str, ...]
) -> None:
    (awards,) = award_lists(builds[syntax], "body")
    body = awards.select_one("li.sp-award div.sp-body p")
    assert body is not None
    link = body.select_one("a")
    assert link is not None
    assert link["href"] == "https://example.org/citation"
    emphasis = body.select_one("em")
    assert emphasis is not None
    assert emphasis.get_text() == "whole"
    assert body.get_text() == "Read the citation for the whole story."
    for markup in source_markup:
        assert markup not in str(awards)


def test_html_snapshots(built: SphinxTestApp, file_regression: Any) -> None:
    """One snapshot for both syntaxes: MyST and rST render alike."""
    file_regression.check(
        page(built, "group-year").prettify(), basename="group_year", extension=".html"
    )
    (awards,) = award_lists(built, "options")
    first = awards.select_one("li.sp-award")
    assert first is not None
    file_regression.check(first.prettify(), basename="full_award", extension=".html")


def test_stylesheet_is_linked_only_where_a_component_is(built: SphinxTestApp) -> None:
    assert "_static/partnerships.css" in stylesheets(built, "group-year")
    assert "_static/partnerships.css" in stylesheets(built, "single")
    plain = stylesheets(built, "plain")
    assert plain
    assert not [href for href in plain if "partnerships" in href]


# -- warnings ---------------------------------------------------------------------------

EXPECTED_WARNINGS = [
    (6, "date", "'2022-02-30' is not a calendar date"),
    (10, "date", "the date is missing"),
    (14, "field", "unknown option :colour:"),
    (19, "link", "the link scheme 'javascript' is not allowed"),
    (24, "link", "'no-such-page' does not exist"),
    (36, "field", "award-list directive: unknown option :partners:"),
    (36, "field", ":group-by: must be one of year, none, not 'month'"),
]


@pytest.mark.sphinx("html", testroot="awards-warnings", freshenv=True)
def test_bad_awards_warn_at_their_line(app: SphinxTestApp) -> None:
    app.build()
    assert_warned(app, "index.md", EXPECTED_WARNINGS)
    assert_no_traceback(app)

    first, second = award_lists(app, "index")
    assert names(first) == [
        "Unknown Option Award",
        "Refused Link Award",
        "Unresolvable Link Award",
        "Fine Award",
    ]
    _, refused, unresolved, _ = first.select("li.sp-award")
    # no link from the name: the one link is the date's, to its year's archive page
    assert [link["href"] for link in refused.select("a")] == ["archives/years/2022.html"]
    assert "javascript" not in str(first)
    assert [link["href"] for link in unresolved.select("a")] == ["archives/years/2022.html"]
    # a bad :group-by: falls back to the default, year groups
    assert groups(second) == [("h3", "2021", "2021", ["2021"])]


@pytest.mark.sphinx(
    "html",
    testroot="awards-warnings",
    srcdir="awards-warnings-strict",
    freshenv=True,
    warningiserror=True,
)
def test_warnings_fail_a_strict_build(app: SphinxTestApp) -> None:
    assert_strict_build_fails(app, len(EXPECTED_WARNINGS))
