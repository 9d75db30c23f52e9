"""The query of timelines and award lists as pure functions: no build.

``parse_query`` reads the options, ``Query.keeps`` filters, ``select`` orders
and cuts, ``group`` makes the group headings' groups.
"""

from __future__ import annotations

from typing import Any

import pytest

from sphinx_partnerships import collection
from sphinx_partnerships.collection import Query, group, parse_query, select, whole_number
from sphinx_partnerships.dates import PartialDate, parse_date
from sphinx_partnerships.entries import Activity, Award


def activity(
    date: str, key: int, partners: tuple[str, ...] = (), tags: tuple[str, ...] = ()
) -> Activity:
    return Activity(id=f"a{key}", key=key, date=parse_date(date), partners=partners, tags=tags)


def award(date: str, key: int, tags: tuple[str, ...] = ()) -> Award:
    return Award(id=f"w{key}", key=key, date=parse_date(date), name=f"Award {key}", tags=tags)


def keys(entries: list[Any]) -> list[int]:
    return [entry.key for entry in entries]


@pytest.fixture
def warned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any]]]:
    """The warnings ``parse_query`` emits, as (message key, values)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(
        collection, "warn", lambda key, location, **values: seen.append((key, values))
    )
    return seen


def query(warned: list[tuple[str, dict[str, Any]]], **options: str) -> Query:
    return parse_query(options, "page:1", group_choices=("month", "year", "none"), what="timeline")


# -- whole_number ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1),
        ("5", 5),
        ("007", 7),
        ("1000000000", 10**9),
        ("0", None),  # below the smallest
        ("1000000001", None),  # above the largest
        ("10000000000", None),  # longer than the largest: never converted
        ("", None),
        ("-3", None),
        ("+3", None),
        ("3.0", None),
        (" 3", None),
        ("²", None),  # a digit to str.isdigit(), no number to a writer
        ("٣", None),  # an Arabic-Indic three
    ],
)
def test_whole_number(text: str, expected: int | None) -> None:
    assert whole_number(text, 1, 10**9) == expected


# -- parse_query ----------------------------------------------------------------------


def test_defaults(warned: list[tuple[str, dict[str, Any]]]) -> None:
    assert query(warned) == Query()
    assert warned == []


def test_every_option_is_read(warned: list[tuple[str, dict[str, Any]]]) -> None:
    parsed = query(
        warned,
        scope=" Project ",
        **{"group-by": "YEAR"},
        order="oldest",
        until="2022-06",
        partners="Japan, Malaysia,,",
        tags="visit",
        limit="3",
        **{"from": "2021"},
    )
    assert parsed == Query(
        scope="project",
        group_by="year",
        order="oldest",
        start=PartialDate(2021),
        end=PartialDate(2022, 6),
        partners=frozenset({"Japan", "Malaysia"}),
        tags=frozenset({"visit"}),
        limit=3,
    )
    assert warned == []


def test_the_first_group_choice_is_the_default(warned: list[tuple[str, dict[str, Any]]]) -> None:
    parsed = parse_query({}, None, group_choices=("year", "none"), what="award-list")
    assert parsed.group_by == "year"


def test_a_bad_choice_warns_and_uses_the_default(
    warned: list[tuple[str, dict[str, Any]]],
) -> None:
    parsed = query(warned, order="sideways", **{"group-by": "week"})
    assert (parsed.order, parsed.group_by) == ("newest", "month")
    assert [(key, values["option"], values["default"]) for key, values in warned] == [
        ("option-choice", "group-by", "month"),
        ("option-choice", "order", "newest"),
    ]


def test_a_bad_bound_warns_and_is_ignored(warned: list[tuple[str, dict[str, Any]]]) -> None:
    parsed = query(warned, until="2022-13", **{"from": "last year"})
    assert (parsed.start, parsed.end) == (None, None)
    assert [key for key, _ in warned] == ["option-bound", "option-bound"]
    assert ":from" in warned[0][1]["problem"]
    assert ":until" in warned[1][1]["problem"]


@pytest.mark.parametrize("limit", ["0", "-1", "two", "1.5", "99999999999"])
def test_a_bad_limit_warns_and_shows_all(
    warned: list[tuple[str, dict[str, Any]]], limit: str
) -> None:
    assert query(warned, limit=f" {limit} ").limit is None
    assert warned == [("option-limit", {"subject": "timeline", "value": f"'{limit}'"})]


def test_empty_options_are_no_options(warned: list[tuple[str, dict[str, Any]]]) -> None:
    options: dict[str, str | None] = {"limit": "", "from": None, "order": "  ", "tags": ""}
    parsed = parse_query(options, None, group_choices=("month",), what="timeline")
    assert parsed == Query()
    assert warned == []


# -- Query.keeps ----------------------------------------------------------------------


def test_bounds_hold_at_their_own_precision() -> None:
    kept = Query(start=parse_date("2021-06"), end=parse_date("2022"))
    assert not kept.keeps(activity("2021-05-31", 1))
    assert kept.keeps(activity("2021-06", 2))  # the month's first day
    assert kept.keeps(activity("2021", 3)) is False  # a year starts before June
    assert kept.keeps(activity("2022-12-31", 4))  # the until year's last day
    assert not kept.keeps(activity("2023-01-01", 5))


def test_tags_keep_entries_with_any_of_them() -> None:
    kept = Query(tags=frozenset({"visit", "mou"}))
    assert kept.keeps(activity("2022", 1, tags=("visit", "other")))
    assert kept.keeps(award("2022", 2, tags=("mou",)))
    assert not kept.keeps(activity("2022", 3, tags=("talk",)))
    assert not kept.keeps(activity("2022", 4))


def test_partners_keep_activities_of_any_of_them_and_no_award() -> None:
    kept = Query(partners=frozenset({"Japan", "Malaysia"}))
    assert kept.keeps(activity("2022", 1, partners=("Malaysia", "Brunei")))
    assert not kept.keeps(activity("2022", 2, partners=("Brunei",)))
    assert not kept.keeps(activity("2022", 3))
    assert not kept.keeps(award("2022", 4))


def test_no_filter_keeps_everything() -> None:
    assert Query().keeps(activity("1900", 1))
    assert Query().keeps(award("2999-12-31", 2))


# -- select ---------------------------------------------------------------------------


ENTRIES = [
    activity("2021-03", 1),
    activity("2022-06-23", 2, tags=("visit",)),
    activity("2022-06", 3, tags=("visit",)),  # starts before 2 (1 June)
    activity("2021-03-01", 4),  # ties with 1: same start
    activity("2020", 5, tags=("visit",)),
    activity("2021-03", 6),  # ties with 1 and 4
]


def test_newest_first_ties_in_source_order() -> None:
    assert keys(select(ENTRIES, Query())) == [2, 3, 1, 4, 6, 5]


def test_oldest_first_ties_in_source_order() -> None:
    assert keys(select(ENTRIES, Query(order="oldest"))) == [5, 1, 4, 6, 3, 2]


def test_limit_cuts_after_ordering_and_filtering() -> None:
    assert keys(select(ENTRIES, Query(limit=2))) == [2, 3]
    assert keys(select(ENTRIES, Query(order="oldest", limit=3))) == [5, 1, 4]
    assert keys(select(ENTRIES, Query(tags=frozenset({"visit"}), limit=2))) == [2, 3]


def test_a_limit_beyond_the_entries_keeps_them_all() -> None:
    assert keys(select(ENTRIES, Query(limit=100))) == [2, 3, 1, 4, 6, 5]


def test_select_leaves_its_input_alone() -> None:
    given = list(ENTRIES)
    select(given, Query(order="oldest", limit=1))
    assert given == ENTRIES


def test_nothing_kept_is_an_empty_list() -> None:
    assert select(ENTRIES, Query(tags=frozenset({"none"}))) == []
    assert select([], Query()) == []


# -- group ----------------------------------------------------------------------------


def test_group_by_month_with_year_precision_dates_in_a_year_group() -> None:
    ordered = select(ENTRIES, Query())
    assert [(key, keys(members)) for key, members in group(ordered, "month")] == [
        (PartialDate(2022, 6), [2, 3]),
        (PartialDate(2021, 3), [1, 4, 6]),
        (PartialDate(2020), [5]),
    ]


def test_group_by_year() -> None:
    ordered = select(ENTRIES, Query(order="oldest"))
    assert [(key, keys(members)) for key, members in group(ordered, "year")] == [
        (PartialDate(2020), [5]),
        (PartialDate(2021), [1, 4, 6]),
        (PartialDate(2022), [3, 2]),
    ]


def test_no_grouping_is_one_group_without_a_heading() -> None:
    ordered = select(ENTRIES, Query())
    assert [(key, keys(members)) for key, members in group(ordered, "none")] == [
        (None, [2, 3, 1, 4, 6, 5])
    ]


def test_no_entries_no_groups() -> None:
    assert group([], "none") == []
    assert group([], "month") == []
