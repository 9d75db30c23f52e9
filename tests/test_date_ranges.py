"""Date ranges: ``2022-06-23/2022-06-24`` and its short form ``2022-06-23/24``.

Parsing and formatting in every language, then real builds of the same
project in MyST and rST: HTML (one ``<time>`` per end), bounds and groups by
the start, derived ids, data files, warnings at their lines, text and LaTeX.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import babel
import pytest
from bs4 import BeautifulSoup, Tag

from sphinx_partnerships.checking import check_data_file
from sphinx_partnerships.dates import (
    DateError,
    DateRange,
    PartialDate,
    format_date_range,
    parse_date,
    parse_entry_date,
)

from .conftest import Build, BuildRoot, partnership_warnings

BABEL = tuple(int(part) for part in babel.__version__.split(".")[:2])

SYNTAXES = ("md", "rst")
ROOT = Path(__file__).parent / "roots" / "test-date-ranges-md"
EN_DASH = "\N{EN DASH}"
THIN = "\N{THIN SPACE}"


# -- parsing and formatting ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "last"),
    [
        ("2022-06-23/2022-06-24", PartialDate(2022, 6, 23), PartialDate(2022, 6, 24)),
        ("2022-06-23/24", PartialDate(2022, 6, 23), PartialDate(2022, 6, 24)),
        ("2022-06-23/07-02", PartialDate(2022, 6, 23), PartialDate(2022, 7, 2)),
        ("2022-12-30/2023-01-02", PartialDate(2022, 12, 30), PartialDate(2023, 1, 2)),
        ("2022-06/08", PartialDate(2022, 6), PartialDate(2022, 8)),
        ("2022-06/2023-02", PartialDate(2022, 6), PartialDate(2023, 2)),
        ("2021/2022", PartialDate(2021), PartialDate(2022)),
        (" 2022-06-23 / 24 ", PartialDate(2022, 6, 23), PartialDate(2022, 6, 24)),
    ],
)
def test_ranges_in_full_and_short_form(text: str, first: PartialDate, last: PartialDate) -> None:
    span = parse_entry_date(text)
    assert span == DateRange(first, last)
    assert span.iso == f"{first.iso}/{last.iso}"
    assert span.start == first.start
    assert span.end == last.end
    assert span.precision == first.precision


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("2022-06-24/23", "date-range-order"),
        ("2022-06-23/2022-06-23", "date-range-order"),
        ("2022-06/2022-07-02", "date-range-precision"),
        ("2022-06-23/2022-07", "date-range-precision"),
        ("2022/2022-07", "date-range-precision"),
        ("2022-06-23/31", "date-calendar"),
        ("2022-06-23/", "date-range-format"),
        ("/2022-06-23", "date-range-format"),
        ("2022-06-23/7", "date-range-format"),
        ("2022-06-23/24/25", "date-range-format"),
        ("2022/24", "date-range-format"),
        ("June/July", "date-range-format"),
        ("2022-06-23/2\N{SUPERSCRIPT FOUR}", "date-range-format"),
    ],
)
def test_bad_ranges_say_what_is_wrong(text: str, key: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_entry_date(text)
    assert caught.value.key == key
    assert repr(text.strip()) in str(caught.value)


def test_single_dates_are_unchanged() -> None:
    assert parse_entry_date("2022-06") == parse_date("2022-06")
    assert parse_entry_date(dt.date(2022, 6, 23)) == PartialDate(2022, 6, 23)
    assert parse_entry_date(2022) == PartialDate(2022)


def test_a_range_is_never_equal_to_a_single_date() -> None:
    span = parse_entry_date("2022-06/08")
    assert isinstance(span, DateRange)
    assert span != PartialDate(2022, 6)
    assert span.truncate("month") == PartialDate(2022, 6)
    assert span.truncate("year") == PartialDate(2022)


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        (None, "2022-06-23/24", ("23", EN_DASH, "24 June 2022")),
        ("en", "2022-06-23/07-02", ("23 June", f"{THIN}{EN_DASH}{THIN}", "2 July 2022")),
        ("en", "2022-06/08", ("June", f"{THIN}{EN_DASH}{THIN}", "August 2022")),
        pytest.param(
            "en",
            "2021/2022",
            ("2021", f"{THIN}{EN_DASH}{THIN}", "2022"),
            marks=pytest.mark.skipif(
                BABEL < (2, 19), reason="Babel before 2.19 writes this range without thin spaces"
            ),
        ),
        ("en_US", "2022-06-23/24", ("June 23", f"{THIN}{EN_DASH}{THIN}", "24, 2022")),
        ("de", "2022-06-23/24", ("23.", EN_DASH, "24. Juni 2022")),
        ("fr", "2022-06/08", ("juin", f"{THIN}{EN_DASH}{THIN}", "août 2022")),
        ("ja", "2022-06-23/24", ("2022年6月23日", "\N{FULLWIDTH TILDE}", "24日")),
        ("ja", "2022-06/08", ("2022年6月", "\N{FULLWIDTH TILDE}", "8月")),
    ],
)
def test_ranges_use_the_languages_interval_format(
    language: str | None, text: str, expected: tuple[str, str, str]
) -> None:
    span = parse_entry_date(text)
    assert isinstance(span, DateRange)
    assert format_date_range(span, language) == expected


# -- builds ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def builds(build_root: BuildRoot) -> dict[str, Build]:
    return {syntax: build_root(f"date-ranges-{syntax}") for syntax in SYNTAXES}


@pytest.fixture(params=SYNTAXES)
def built(request: pytest.FixtureRequest, builds: dict[str, Build]) -> Build:
    return builds[request.param]


def timeline(built: Build, index: int) -> Tag:
    return built.page("index").select("div.sp-timeline")[index]


def shown(collection: Tag) -> list[tuple[str, str]]:
    """``(entry id, visible date text)`` of each entry, in order."""
    return [
        (str(item["id"]), meta.get_text())
        for item in collection.select("li.sp-entry")
        if (meta := item.select_one("p.sp-meta")) is not None
    ]


def test_a_range_is_two_time_elements(built: Build) -> None:
    first = timeline(built, 0).select_one("li#two-days-in-june-2022-06-23-2022-06-24")
    assert first is not None
    meta = first.select_one("p.sp-meta")
    assert meta is not None
    assert "sp-visually-hidden" not in meta["class"]
    assert str(meta.select_one("span.sp-date-range")) == (
        '<span class="sp-date-range"><time datetime="2022-06-23">23</time>'
        f'{EN_DASH}<time datetime="2022-06-24">24 June 2022</time></span>'
    )


def test_ranges_are_ordered_and_grouped_by_their_start(built: Build) -> None:
    collection = timeline(built, 0)
    headings = [str(time["datetime"]) for time in collection.select("h2 time")]
    assert headings == ["2022-06", "2022-12"]
    # oldest first: ties keep source order; a single month under its heading
    # is for screen readers only, a range never is
    assert shown(collection) == [
        ("a-summer-2022-06-2022-08", f"June{THIN}{EN_DASH}{THIN}August 2022"),
        ("a-month-2022-06", "June 2022"),
        ("two-days-in-june-2022-06-23-2022-06-24", f"23{EN_DASH}24 June 2022"),
        ("two-days-in-june-2022-06-23-2022-06-24-2", f"23{EN_DASH}24 June 2022"),
        (
            "across-the-end-of-a-month-2022-06-28-2022-07-02",
            f"28 June{THIN}{EN_DASH}{THIN}2 July 2022",
        ),
        (
            "across-the-end-of-a-year-2022-12-30-2023-01-02",
            f"30 December 2022{THIN}{EN_DASH}{THIN}2 January 2023",
        ),
    ]
    hidden = collection.select("p.sp-meta.sp-visually-hidden")
    assert [meta.get_text() for meta in hidden] == ["June 2022"]
    # a range links to the archive page of the year it starts in, even across a year's end
    across = collection.select_one("li#across-the-end-of-a-year-2022-12-30-2023-01-02")
    assert across is not None
    assert [link["href"] for link in across.select("p.sp-meta a")] == ["archives/years/2022.html"]


def test_bounds_compare_the_start(built: Build) -> None:
    """A range that starts before ``:from:`` is out, even when it ends inside;
    one that starts inside ``:until:`` is in, even when it ends after."""
    texts = [
        body.get_text(strip=True) for body in timeline(built, 1).select("li.sp-entry .sp-body")
    ]
    assert texts == ["Started inside, ends after.", "Inside the bounds."]


def test_data_files_hold_ranges(built: Build) -> None:
    data = [shown(timeline(built, index)) for index in (2, 3, 4)]
    assert [text for _, text in data[0]] == [
        f"1{EN_DASH}3 March 2022",
        f"March{THIN}{EN_DASH}{THIN}April 2022",
    ]
    assert [text for _, text in data[1]] == [f"1{EN_DASH}3 March 2022"]
    assert [text for _, text in data[2]] == [f"1{EN_DASH}3 March 2022"]
    times = timeline(built, 4).select("time[datetime]")
    assert [str(time["datetime"]) for time in times][1:] == ["2022-03-01", "2022-03-03"]


def test_awards_take_ranges_too(built: Build) -> None:
    award = built.page("index").select_one("div.sp-award-list li.sp-entry")
    assert award is not None
    assert [str(time["datetime"]) for time in award.select("p.sp-meta time")] == ["2021", "2022"]


def test_bad_ranges_warn_at_their_line_and_skip_the_entry(built: Build) -> None:
    source = built.source("bad").name
    lines = sorted(partnership_warnings(built.warnings))
    directive_lines = {"md": (6, 10, 14, 18), "rst": (7, 11, 15, 19)}[built.syntax]
    expected = [
        ("bad.yaml", 2, "activity entry: the range '2022-06-24/23' does not end after it starts"),
        ("bad.yaml", 4, "activity entry: '2022/2022-07' mixes precisions"),
        ("bad.yaml", 6, "activity entry: '2022-06-23/' is not a date range"),
        (
            source,
            directive_lines[0],
            "activity directive: the range '2022-06-24/23' does not end after it starts",
        ),
        (source, directive_lines[1], "activity directive: '2022-06/2022-07-02' mixes precisions"),
        (
            source,
            directive_lines[2],
            "activity directive: '2022-06-23/31' is not a calendar date "
            "(day is out of range for month)",
        ),
        (source, directive_lines[3], "activity directive: '2022-06-23/7' is not a date range"),
    ]
    assert len(lines) == len(expected), lines
    for filename, line, words in expected:
        matching = [
            warning
            for warning in lines
            if f"/{filename}:{line}: WARNING: {words}" in warning
            and warning.endswith("[partnerships.date]")
        ]
        assert len(matching) == 1, (filename, line, words, lines)
    assert "Traceback" not in built.warnings
    entries = built.page("bad").select("li.sp-entry .sp-body")
    assert [body.get_text(strip=True) for body in entries] == ["Good.", "Good."]


@pytest.fixture(scope="module")
def printed(build_root: BuildRoot) -> dict[str, Build]:
    return {
        builder: build_root("date-ranges-md", buildername=builder) for builder in ("text", "latex")
    }


def test_text_builders_get_the_localised_range(printed: dict[str, Build]) -> None:
    text = (printed["text"].outdir / "index.txt").read_text(encoding="utf-8")
    assert f"* 23{EN_DASH}24 June 2022\n\n  Two days in June." in text
    assert f"* June{THIN}{EN_DASH}{THIN}August 2022\n\n  A summer." in text
    assert "<time" not in text


def test_latex_sets_a_range_as_one_bold_date(printed: dict[str, Build]) -> None:
    tex = next(Path(printed["latex"].outdir).glob("*.tex")).read_text(encoding="utf-8")
    assert r"\textbf{23\textendash{}24 June 2022}" in tex
    # pdfLaTeX has no thin space: TeX's own
    assert r"\textbf{June\,\textendash{}\,August 2022}" in tex
    assert THIN not in tex


def test_the_html_is_valid_markup(built: Build) -> None:
    html = (built.outdir / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "html.parser")
    for span in soup.select("span.sp-date-range"):
        assert len(span.select("time")) == 2


def test_the_check_command_tells_the_same_problems() -> None:
    issues, kinds = check_data_file(ROOT / "data" / "bad.yaml")
    assert kinds == ["activities"]
    assert [(issue.line, issue.key) for issue in issues] == [
        (2, "date-range-order"),
        (4, "date-range-precision"),
        (6, "date-range-format"),
    ]
    good, _ = check_data_file(ROOT / "data" / "activities.yaml")
    assert good == []


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"partnerships_language": "de"}, f"23.{EN_DASH}24. Juni 2022"),
        ({"language": "en_US"}, f"June 23{THIN}{EN_DASH}{THIN}24, 2022"),
    ],
)
def test_ranges_follow_the_build_language(
    build_root: BuildRoot, settings: dict[str, str], expected: str
) -> None:
    built = build_root("date-ranges-md", confoverrides=settings)
    item = built.page("index").select_one("li#two-days-in-june-2022-06-23-2022-06-24")
    assert item is not None
    meta = item.select_one("p.sp-meta")
    assert meta is not None
    assert meta.get_text() == expected


def test_the_partner_index_shows_the_range(built: Build) -> None:
    japan = built.page("partners").select("li.sp-entry")
    assert len(japan) == 1
    times = japan[0].select("span.sp-date-range > time")
    assert [(str(time["datetime"]), time.get_text()) for time in times] == [
        ("2022-06-23", "23"),
        ("2022-06-24", "24 June 2022"),
    ]
