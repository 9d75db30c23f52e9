"""``:source:`` data files on ``timeline``, ``award-list`` and ``card-grid``.

``test-data-md`` and ``test-data-rst`` load the same files from pages in a
subfolder (page-relative and ``/``-rooted paths, every format); the other
``test-data-*`` roots hold bad entries, markup and raw HTML in data fields, paths
leaving the source directory, and a project that is built twice.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from pytest_regressions.file_regression import FileRegressionFixture
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_escape_sequences

from .conftest import ROOTS, Build, BuildRoot, build, main_content
from .test_cards import card_with, directive_line, one, parsed_warnings

SYNTAXES = ("md", "rst")


def entry_line(path: Path, marker: str) -> int:
    """The line an entry starts on: a YAML ``- `` item, a JSON ``{``, a CSV record."""
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(number for number, line in enumerate(lines) if marker in line)
    if path.suffix in (".yaml", ".yml"):
        while not lines[index].lstrip().startswith("- "):
            index -= 1
    elif path.suffix == ".json":
        while "{" not in lines[index]:
            index -= 1
    return index + 1


def ids(collection: Tag) -> list[str]:
    return [str(item["id"]) for item in collection.select("li.sp-entry")]


def datetimes(collection: Tag) -> list[str]:
    return [str(time["datetime"]) for time in collection.select("li.sp-entry p.sp-meta time")]


def values(item: Tag, css_class: str) -> list[str]:
    return [value.get_text() for value in item.select(f".{css_class} .sp-value")]


@pytest.fixture(scope="module", params=SYNTAXES)
def data(request: pytest.FixtureRequest, build_root: BuildRoot) -> Build:
    return build_root(f"data-{request.param}")


@pytest.fixture(scope="module")
def invalid(build_root: BuildRoot) -> Build:
    return build_root("data-invalid")


@pytest.fixture(scope="module", params=SYNTAXES)
def markup(request: pytest.FixtureRequest, build_root: BuildRoot) -> Build:
    return build_root(f"data-markup-{request.param}")


# -- formats, paths and mixing -------------------------------------------------------


def test_data_files_build_without_warnings(data: Build) -> None:
    assert data.warnings == ""


def test_timeline_from_a_page_relative_yaml_mixes_with_nested_activities(data: Build) -> None:
    timeline = data.page("news/timeline").select_one("div.sp-timeline.relative-yaml")
    assert timeline is not None
    # newest first, file entries and nested directives in one list
    assert ids(timeline) == [
        "moh-visit",
        "nested-activity-in-may-2022-2022-05",
        "memorandum-signed-in-march-2022-03",
        "year-long-exchange-programme-2021",
        "nested-activity-in-2020-2020",
    ]
    # a YAML date (2022-06-23), a quoted month and a YAML integer year
    assert datetimes(timeline) == ["2022-06-23", "2022-05", "2022-03", "2021", "2020"]


def test_yaml_fields_become_the_activity(data: Build) -> None:
    timeline = data.page("news/timeline").select_one("div.sp-timeline.relative-yaml")
    assert timeline is not None
    visit = timeline.select_one("li#moh-visit")
    assert visit is not None
    assert one(visit, ".sp-body").get_text(strip=True) == (
        "Visit by the Minister of Health of Malaysia."
    )
    assert values(visit, "sp-partners") == ["Malaysia"]
    assert values(visit, "sp-tags") == ["visit", "bilateral"]
    more = visit.select_one("p.sp-more a")
    assert more is not None
    assert more["href"] == "https://example.org/moh-visit"
    # a single string is a one-item list
    exchange = timeline.select_one("li#year-long-exchange-programme-2021")
    assert exchange is not None
    assert values(exchange, "sp-partners") == ["Japan"]


def test_timeline_from_a_rooted_json_bare_list(data: Build) -> None:
    timeline = data.page("news/timeline").select_one("div.sp-timeline.rooted-json")
    assert timeline is not None
    assert datetimes(timeline) == ["2019-05", "2018"]
    first = timeline.select_one("li.sp-entry")
    assert first is not None
    assert values(first, "sp-partners") == ["Korea"]


def test_timeline_from_a_rooted_csv_splits_lists_on_semicolons(data: Build) -> None:
    timeline = data.page("news/timeline").select_one("div.sp-timeline.rooted-csv")
    assert timeline is not None
    assert datetimes(timeline) == ["2017-09-01", "2016"]
    first, second = timeline.select("li.sp-entry")
    assert values(first, "sp-partners") == ["Australia", "Canada"]
    assert values(first, "sp-tags") == ["visit", "study"]
    # empty cells are absent fields
    assert second.select(".sp-partners, .sp-tags") == []


def test_award_list_from_a_page_relative_yml_mixes_with_nested_awards(data: Build) -> None:
    awards = data.page("news/awards").select_one("div.sp-award-list.relative-yml")
    assert awards is not None
    assert ids(awards) == ["scapa-2021", "nested-award", "digital-excellence"]
    assert datetimes(awards) == ["2022", "2021-07", "2020-11"]
    scapa = awards.select_one("li#scapa-2021")
    assert scapa is not None
    assert values(scapa, "sp-organizer") == ["International Data Corporation (IDC)"]
    assert values(scapa, "sp-recipients") == ["GovTech", "MOE"]
    assert one(scapa, ".sp-body").get_text(strip=True) == (
        "For winning the Smart City Asia Pacific Awards."
    )
    name_link = scapa.select_one("p.sp-award-name a")
    assert name_link is not None
    assert name_link["href"] == "https://example.org/scapa"


@pytest.mark.parametrize(
    ("marker", "name", "date", "recipients"),
    [
        ("rooted-json", "JSON award", "2015-02", ["Team A", "Team B"]),
        ("rooted-csv", "CSV award", "2014", ["Team C", "Team D"]),
    ],
)
def test_award_list_from_rooted_json_and_csv(
    data: Build, marker: str, name: str, date: str, recipients: list[str]
) -> None:
    awards = data.page("news/awards").select_one(f"div.sp-award-list.{marker}")
    assert awards is not None
    [item] = awards.select("li.sp-entry")
    assert one(item, ".sp-award-name").get_text(strip=True) == name
    assert datetimes(awards) == [date]
    assert values(item, "sp-recipients") == recipients


def test_card_grid_from_a_page_relative_yaml_then_its_nested_cards(data: Build) -> None:
    grid = data.page("news/cards").select_one("div.sp-card-grid.relative-yaml")
    assert grid is not None
    captions = [figure.get_text(" ", strip=True) for figure in grid.select("figure.sp-card")]
    assert captions == ["Relative data card", "Rooted data card", "Nested card"]
    relative, rooted, nested = grid.select("figure.sp-card img")
    # data file images are paths like the page's own: relative to the page, or rooted
    assert relative["src"] == "../_images/near.png"
    assert relative["alt"] == "Card beside the page"
    assert rooted["src"] == "../_images/card.png"
    assert rooted["alt"] == ""
    assert nested["src"] == "../_images/near.png"
    [link] = card_with(grid, "Relative data card").select("a")
    assert link["href"] == "https://example.org/relative-card"
    assert (data.outdir / "_images" / "near.png").is_file()
    assert (data.outdir / "_images" / "card.png").is_file()


def test_card_grid_from_a_rooted_json_bare_list_with_new_tab(data: Build) -> None:
    grid = data.page("news/cards").select_one("div.sp-card-grid.rooted-json")
    assert grid is not None
    [figure] = grid.select("figure.sp-card")
    [link] = figure.select("a")
    assert link["href"] == "https://example.org/json-card"
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener", "noreferrer"]
    assert one(figure, "img")["alt"] == "JSON card picture"


def test_card_grid_from_a_rooted_csv(data: Build) -> None:
    grid = data.page("news/cards").select_one("div.sp-card-grid.rooted-csv")
    assert grid is not None
    [figure] = grid.select("figure.sp-card")
    [link] = figure.select("a")
    assert link["href"] == "https://example.org/csv-card"
    assert link.get_text() == "CSV card"
    assert not link.has_attr("target")


@pytest.mark.parametrize("page", ["news/timeline", "news/awards", "news/cards"])
def test_md_and_rst_pages_render_data_files_the_same(
    data: Build, page: str, file_regression: FileRegressionFixture
) -> None:
    components = data.page(page).select("div.sp-collection, div.sp-card-grid")
    assert components
    html = "\n".join(component.prettify() for component in components)
    file_regression.check(html, basename=f"data_{page.replace('/', '_')}", extension=".html")


# -- validation -----------------------------------------------------------------------

BAD_ACTIVITIES = "data/bad-activities.yaml"
BAD_AWARDS = "data/bad-awards.json"
BAD_CARDS = "data/bad-cards.csv"

#: (file, a text inside the entry, subtype, words of the message)
BAD_ENTRIES = [
    (BAD_ACTIVITIES, '"2022-02"', "partnerships.field", "'text' field is required"),
    (BAD_ACTIVITIES, "colour: red", "partnerships.field", "unknown field 'colour'"),
    (BAD_ACTIVITIES, "nested: mapping", "partnerships.field", "'text' field must be text"),
    (BAD_ACTIVITIES, "2022-02-30", "partnerships.date", "2022-02-30"),
    (BAD_ACTIVITIES, "Missing date activity", "partnerships.date", "date is missing"),
    (BAD_ACTIVITIES, "Japan: yes", "partnerships.field", "'partners' field must be a list"),
    (BAD_ACTIVITIES, "javascript:alert(1)", "partnerships.link", "javascript"),
    (BAD_AWARDS, '"date": "2020"', "partnerships.field", "'name' field is required"),
    (BAD_AWARDS, "2020-13", "partnerships.date", "2020-13"),
    (BAD_AWARDS, '"a": 1', "partnerships.field", "'recipients' field must be a list"),
    (BAD_AWARDS, '"colour"', "partnerships.field", "unknown field 'colour'"),
    (BAD_CARDS, "Missing image card", "partnerships.field", "'image' field is required"),
    (BAD_CARDS, "Unknown column card", "partnerships.field", "unknown field 'colour'"),
    (BAD_CARDS, "javascript:alert(1)", "partnerships.link", "javascript"),
    (BAD_CARDS, "no-such-page", "partnerships.link", "no-such-page"),
]


@pytest.mark.parametrize(
    ("relative", "marker", "subtype", "words"),
    BAD_ENTRIES,
    ids=[f"{entry[0].split('/')[-1]}-{entry[3]}" for entry in BAD_ENTRIES],
)
def test_bad_entry_warns_at_its_line_in_the_file(
    invalid: Build, relative: str, marker: str, subtype: str, words: str
) -> None:
    path = invalid.srcdir / relative
    line = entry_line(path, marker)
    located = [
        (type_, message)
        for found, number, type_, message in parsed_warnings(invalid.warnings)
        if (found, number) == (str(path), line)
    ]
    assert [type_ for type_, _ in located] == [subtype], invalid.warnings
    assert words in located[0][1]


def test_each_bad_entry_warns_once_and_nothing_else(invalid: Build) -> None:
    data_warnings = [
        warning for warning in parsed_warnings(invalid.warnings) if "/data/" in warning[0]
    ]
    # the 15 bad entries, plus the two files that cannot be parsed
    assert len(data_warnings) == len(BAD_ENTRIES) + 2


def test_bad_entries_are_skipped_and_the_others_rendered(invalid: Build) -> None:
    content = invalid.page("index")
    activities = content.select_one("div.bad-yaml")
    assert activities is not None
    # an entry is left out only when it cannot be shown (no text, no usable
    # date); an unknown field or a bad optional value is left out alone
    assert [one(item, ".sp-body").get_text(strip=True) for item in activities.select("li")] == [
        "Typed partners activity.",
        "Good May activity.",
        "Unknown field activity.",
        "Good January activity.",
    ]
    assert activities.select(".sp-partners") == []
    # a refused link only drops the link: the links left are the dates', to
    # their year's archive page
    assert activities.select(".sp-more") == []
    assert [link["href"] for link in activities.select("a")] == ["archives/years/2022.html"] * 4
    awards = content.select_one("div.bad-json")
    assert awards is not None
    assert [name.get_text() for name in awards.select(".sp-award-name")] == [
        "Good JSON award",
        "Typed award",
        "Second good JSON award",
    ]
    grid = content.select_one("div.bad-csv")
    assert grid is not None
    captions = [" ".join(figure.get_text().split()) for figure in grid.select("figure")]
    assert captions == [
        "Good CSV card",
        "Unknown column card",
        "Caption over two lines",
        "Last CSV card",
        "Unresolved CSV card",
    ]
    assert grid.select("a") == []
    assert "javascript:" not in (invalid.outdir / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("relative", "lines", "words"),
    [
        ("data/broken.yaml", {4, 5}, "not valid YAML"),
        ("data/broken.json", {3}, "not valid JSON"),
    ],
)
def test_syntax_error_warns_source_at_its_line(
    invalid: Build, relative: str, lines: set[int], words: str
) -> None:
    path = str(invalid.srcdir / relative)
    [(line, type_, message)] = [
        (number, type_, message)
        for found, number, type_, message in parsed_warnings(invalid.warnings)
        if found == path
    ]
    assert line in lines
    assert type_ == "partnerships.source"
    assert words in message


@pytest.mark.parametrize(
    ("marker", "words"),
    [("data/missing.yaml", "does not exist"), ("data/awards.txt", ".yaml")],
)
def test_unusable_source_warns_at_the_directive(invalid: Build, marker: str, words: str) -> None:
    page = invalid.source("index")
    line = directive_line(page, marker)
    [(type_, message)] = [
        (type_, message)
        for found, number, type_, message in parsed_warnings(invalid.warnings)
        if (found, number) == (str(page), line)
    ]
    assert type_ == "partnerships.source"
    assert words in message
    assert marker.split("/")[-1] in message


def test_unreadable_files_render_empty_collections(invalid: Build) -> None:
    content = invalid.page("index")
    for marker in ("broken-yaml", "broken-json", "missing-file", "wrong-suffix"):
        collection = content.select_one(f"div.{marker}")
        assert collection is not None
        assert collection.select("li") == []


def test_no_warning_names_a_file_without_a_line(invalid: Build) -> None:
    for line in invalid.warnings.splitlines():
        if "[partnerships." in line:
            assert line.split(": WARNING")[0].rsplit(":", 1)[-1].isdigit(), line


# -- markup and raw HTML in data fields ---------------------------------------------------


def test_text_fields_use_the_page_markup(markup: Build) -> None:
    item = markup.page("index").select_one("li#markup-link")
    assert item is not None
    link = item.select_one(".sp-body a")
    assert link is not None
    assert link["href"] == "https://example.org/agency"
    assert link.get_text() == "the agency"
    emphasis = item.select_one(".sp-body em")
    assert emphasis is not None
    assert emphasis.get_text() == "the plan"
    award_link = markup.page("index").select_one("li.sp-award .sp-body a")
    assert award_link is not None
    assert award_link["href"] == "https://example.org/award"
    caption_link = card_with(markup.page("index"), "Caption").select_one("a")
    assert caption_link is not None
    assert caption_link["href"] == "https://example.org/caption-link"


def test_raw_html_in_data_is_shown_as_text(markup: Build) -> None:
    html = (markup.outdir / "index.html").read_text(encoding="utf-8")
    content = main_content(html)
    assert content.select("script, b, i") == []
    assert "<script>alert" not in html
    assert "<b>x</b>" not in html
    inline = content.select_one("li#inline-html .sp-body")
    assert inline is not None
    assert inline.get_text(strip=True) == "Inline <script>alert(1)</script> and <b>x</b> here."
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    block = content.select_one("li#block-html .sp-body")
    assert block is not None
    assert block.get_text(strip=True) == "<script>alert(2)</script>"
    award = content.select_one("li.sp-award")
    assert award is not None
    assert one(award, ".sp-award-name").get_text() == "<b>Bold</b> award"
    assert values(award, "sp-organizer") == ["<script>alert(4)</script>"]
    assert values(award, "sp-recipients") == ["<i>Team</i>"]
    assert "Won <script>alert(5)</script> with" in award.get_text()
    figure = card_with(content, "alert(7)")
    assert "Caption <script>alert(7)</script> with <b>x</b>" in figure.get_text()
    image = figure.select_one("img")
    assert image is not None
    assert image["alt"] == '"><script>alert(6)</script>'


def test_raw_and_include_directives_in_data_do_nothing(markup: Build) -> None:
    html = (markup.outdir / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(3)" not in html
    # shown as the text they were written as
    raw = main_content(html).select_one("li#raw-directive .sp-body")
    assert raw is not None
    assert "alert(3)" in raw.get_text()
    included = main_content(html).select_one("li#include-directive")
    assert included is not None
    assert "extensions" not in included.get_text()


def test_refused_link_schemes_in_data_markup_are_not_links(markup: Build) -> None:
    html = (markup.outdir / "index.html").read_text(encoding="utf-8")
    content = main_content(html)
    for link in content.select("a[href]"):
        assert not str(link["href"]).lower().startswith(("javascript:", "data:")), link
    figure = card_with(content, "bad link")
    assert figure.select("a") == []
    if markup.syntax == "rst":
        # reStructuredText makes links of them: they are refused at the entry
        path = markup.srcdir / "data" / "cards.yaml"
        line = entry_line(path, "Script link picture")
        assert (str(path), line, "partnerships.link") in {
            warning[:3] for warning in parsed_warnings(markup.warnings)
        }


# -- paths leaving the source directory -----------------------------------------------------


def test_sources_outside_the_source_directory_are_refused(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-data-outside", srcdir)
    secret = "- date: 2022\n  text: Outside secret.\n"
    (tmp_path / "outside.yaml").write_text(secret, encoding="utf-8")
    (tmp_path / "x.yaml").write_text(secret, encoding="utf-8")
    (srcdir / "data" / "link.yaml").symlink_to(tmp_path / "outside.yaml")

    result = build(srcdir, tmp_path / "build")

    page = srcdir / "index.md"
    expected = {
        directive_line(page, marker)
        for marker in ("../outside.yaml", "/../x.yaml", "data/../../outside.yaml", "link.yaml")
    }
    refused = {
        number
        for found, number, type_, message in parsed_warnings(result.warnings)
        if found == str(page)
        and type_ == "partnerships.source"
        and "outside the source directory" in message
    }
    assert refused == expected
    html = (result.outdir / "index.html").read_text(encoding="utf-8")
    assert "Outside secret" not in html
    assert "Inside activity." in html


# -- incremental builds ------------------------------------------------------------------------


def test_editing_a_data_file_rereads_only_the_pages_that_use_it(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-data-incremental", srcdir)
    app = SphinxTestApp("html", srcdir=srcdir, builddir=tmp_path / "build")
    read: list[set[str]] = []
    app.connect("env-before-read-docs", lambda app, env, docnames: read.append(set(docnames)))
    try:
        app.build()
        assert read[-1] == {"index", "first", "second", "other", "plain"}
        untouched = {
            name: (app.outdir / f"{name}.html").stat().st_mtime_ns for name in ("plain", "other")
        }

        shared = srcdir / "data" / "shared.yaml"
        shared.write_text(
            shared.read_text(encoding="utf-8")
            .replace("Original shared activity.", "Edited shared activity, longer now.")
            .replace("Original shared card.", "Edited shared card, longer now."),
            encoding="utf-8",
        )
        app.build()
        assert read[-1] == {"first", "second"}
        first = (app.outdir / "first.html").read_text(encoding="utf-8")
        assert "Edited shared activity, longer now." in first
        assert "Original shared activity." not in first
        second = (app.outdir / "second.html").read_text(encoding="utf-8")
        assert "Edited shared card, longer now." in second
        assert "Original shared card." not in second
        for name, mtime in untouched.items():
            assert (app.outdir / f"{name}.html").stat().st_mtime_ns == mtime, name

        other = srcdir / "data" / "other.csv"
        other.write_text(
            other.read_text(encoding="utf-8").replace("Original other card.", "Edited other."),
            encoding="utf-8",
        )
        app.build()
        assert read[-1] == {"other"}
        assert "Edited other." in (app.outdir / "other.html").read_text(encoding="utf-8")

        app.build()
        assert read[-1] == set()
        assert strip_escape_sequences(app.warning.getvalue()) == ""
    finally:
        app.cleanup()


def test_a_new_app_on_the_same_build_directory_sees_the_edit(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-data-incremental", srcdir)
    builddir = tmp_path / "build"
    first = SphinxTestApp("html", srcdir=srcdir, builddir=builddir)
    try:
        first.build()
    finally:
        first.cleanup()
    other = srcdir / "data" / "other.csv"
    # same size as before: a cache keyed on size alone would not notice
    other.write_text(
        other.read_text(encoding="utf-8").replace("Original", "Replaced"), encoding="utf-8"
    )
    second = SphinxTestApp("html", srcdir=srcdir, builddir=builddir)
    read: list[str] = []
    second.connect("env-before-read-docs", lambda app, env, docnames: read.extend(docnames))
    try:
        second.build()
    finally:
        second.cleanup()
    assert read == ["other"]
    html = (second.outdir / "other.html").read_text(encoding="utf-8")
    assert "Replaced other card." in html
    assert BeautifulSoup(html, "html.parser").find(string="Original other card.") is None
