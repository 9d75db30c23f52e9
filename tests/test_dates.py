"""Partial dates: parsing at three precisions, bounds, and localised display."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from sphinx.testing.util import SphinxTestApp

from sphinx_partnerships.dates import (
    DateError,
    PartialDate,
    format_partial_date,
    parse_date,
)

from .conftest import main_content
from .test_timeline import assert_clean

# -- parsing ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected", "precision"),
    [
        ("2022", PartialDate(2022), "year"),
        ("2022-06", PartialDate(2022, 6), "month"),
        ("2022-06-23", PartialDate(2022, 6, 23), "day"),
        ("  2022-06 ", PartialDate(2022, 6), "month"),
        ("2024-02-29", PartialDate(2024, 2, 29), "day"),
        (dt.date(2022, 6, 23), PartialDate(2022, 6, 23), "day"),
        (dt.datetime(2022, 6, 23, 10, 30), PartialDate(2022, 6, 23), "day"),
        (2022, PartialDate(2022), "year"),
    ],
)
def test_parse_keeps_the_given_precision(
    value: object, expected: PartialDate, precision: str
) -> None:
    parsed = parse_date(value)
    assert parsed == expected
    assert parsed.precision == precision


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("date: 2022-06-23", PartialDate(2022, 6, 23)),  # a YAML date
        ("date: 2022", PartialDate(2022)),  # a YAML integer
        ("date: 2022-06", PartialDate(2022, 6)),  # a YAML string
        ("date: '2022'", PartialDate(2022)),
    ],
)
def test_parse_accepts_what_yaml_hands_over(text: str, expected: PartialDate) -> None:
    value = yaml.safe_load(text)["date"]
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    "value",
    [
        "2022-02-30",  # no such day
        "2021-02-29",  # not a leap year
        "2022-13",  # no such month
        "2022-00",
        "2022-06-00",
        "2022-06-32",
        "",
        "   ",
        "June 2022",
        "22-06",
        "2022/06/23",
        "2022-6",  # two digits for the month, as the reference says
        "2022-06-1",
        "20220623",
        "2022-06-23T10:00",
        "2022-06-23 extra",
        "garbage",
        22,  # not four digits
        -2022,
        True,  # YAML "yes" is no year
        2022.5,
        None,
        ["2022"],
        {"year": 2022},
    ],
)
def test_parse_refuses_what_is_not_a_date(value: object) -> None:
    with pytest.raises(DateError):
        parse_date(value)


def test_date_errors_say_what_is_wrong() -> None:
    with pytest.raises(DateError, match="'2022-02-30' is not a calendar date"):
        parse_date("2022-02-30")
    with pytest.raises(DateError, match="YYYY, YYYY-MM or YYYY-MM-DD"):
        parse_date("June 2022")
    assert issubclass(DateError, ValueError)


@pytest.mark.parametrize(
    ("date", "start", "end", "iso"),
    [
        (PartialDate(2022), dt.date(2022, 1, 1), dt.date(2022, 12, 31), "2022"),
        (PartialDate(2022, 5), dt.date(2022, 5, 1), dt.date(2022, 5, 31), "2022-05"),
        (PartialDate(2023, 2), dt.date(2023, 2, 1), dt.date(2023, 2, 28), "2023-02"),
        (PartialDate(2024, 2), dt.date(2024, 2, 1), dt.date(2024, 2, 29), "2024-02"),
        (
            PartialDate(2022, 6, 23),
            dt.date(2022, 6, 23),
            dt.date(2022, 6, 23),
            "2022-06-23",
        ),
        (PartialDate(987), dt.date(987, 1, 1), dt.date(987, 12, 31), "0987"),
    ],
)
def test_a_date_spans_its_period(date: PartialDate, start: dt.date, end: dt.date, iso: str) -> None:
    assert (date.start, date.end, date.iso, str(date)) == (start, end, iso, iso)


def test_truncate_never_adds_precision() -> None:
    day = PartialDate(2022, 6, 23)
    assert day.truncate("month") == PartialDate(2022, 6)
    assert day.truncate("year") == PartialDate(2022)
    assert day.truncate("day") == day
    assert PartialDate(2022).truncate("month") == PartialDate(2022)


# -- localised display ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "year", "month", "day"),
    [
        ("en", "2022", "June 2022", "23 June 2022"),
        ("en_US", "2022", "June 2022", "June 23, 2022"),
        (None, "2022", "June 2022", "23 June 2022"),
        ("de", "2022", "Juni 2022", "23. Juni 2022"),
        ("fr", "2022", "juin 2022", "23 juin 2022"),
        ("ja", "2022年", "2022年6月", "2022年6月23日"),
        ("pt-BR", "2022", "junho de 2022", "23 de junho de 2022"),
        ("zh_CN", "2022年", "2022年6月", "2022年6月23日"),
        ("xx", "2022", "June 2022", "23 June 2022"),  # unknown: English
    ],
)
def test_format_at_each_precision(language: str | None, year: str, month: str, day: str) -> None:
    assert format_partial_date(PartialDate(2022), language) == year
    assert format_partial_date(PartialDate(2022, 6), language) == month
    assert format_partial_date(PartialDate(2022, 6, 23), language) == day


def localised(expected: list[str], language: str, **overrides: Any) -> Any:
    """A build of ``test-timeline-dates`` in a source directory of its own."""
    settings = {"language": language, **overrides}
    name = "-".join(f"{key}-{value}" for key, value in settings.items())
    return pytest.param(
        expected,
        marks=pytest.mark.sphinx(
            "html",
            testroot="timeline-dates",
            srcdir=f"timeline-dates-{name}",
            confoverrides=settings,
        ),
        id=name,
    )


def shown_dates(app: SphinxTestApp) -> list[tuple[str, str]]:
    app.build()
    assert_clean(app)
    content = main_content((app.outdir / "index.html").read_text(encoding="utf-8"))
    return [(str(t["datetime"]), t.get_text()) for t in content.select("time")]


@pytest.mark.parametrize(
    "expected",
    [
        localised(
            ["June 2022", "23 June 2022", "June 2022", "2021", "2021", "June 2022"],
            "en",
        ),
        localised(
            ["Juni 2022", "23. Juni 2022", "Juni 2022", "2021", "2021", "Juni 2022"],
            "de",
        ),
        localised(
            ["juin 2022", "23 juin 2022", "juin 2022", "2021", "2021", "juin 2022"],
            "fr",
        ),
        localised(
            ["2022年6月", "2022年6月23日", "2022年6月", "2021年", "2021年", "2022年6月"],
            "ja",
        ),
    ],
)
def test_dates_follow_the_build_language(app: SphinxTestApp, expected: list[str]) -> None:
    shown = shown_dates(app)
    # group heading, its entries, ...; then the award on its own
    assert [iso for iso, _ in shown] == [
        "2022-06",
        "2022-06-23",
        "2022-06",
        "2021",
        "2021",
        "2022-06",
    ]
    assert [text for _, text in shown] == expected


@pytest.mark.parametrize(
    "expected",
    [localised(["Juni 2022", "23. Juni 2022"], "en", partnerships_language="de")],
)
def test_partnerships_language_overrides_the_build_language(
    app: SphinxTestApp, expected: list[str]
) -> None:
    shown = shown_dates(app)
    assert [text for _, text in shown[:2]] == expected
    # only the dates change: the page itself stays in the build's language
    html = (app.outdir / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in html
