"""Partial calendar dates (``2022``, ``2022-06``, ``2022-06-23``) and their ranges.

A date keeps the precision the writer gave it: it is shown at that precision,
placed at the first day of its period for ordering and bounds, and written in
HTML as ``<time datetime="2022-06">``.

A range (``2022-06-23/2022-06-24``, short ``2022-06-23/24``) is two dates at
the same precision, the end after the start; it is placed by its start and
shown with the locale's interval format ("23 to 24 June 2022" with an en
dash, in English).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, TypeAlias

from babel import Locale, UnknownLocaleError
from babel.dates import (
    PATTERN_CHAR_ORDER,
    DateTimeFormat,
    format_date,
    format_skeleton,
    parse_pattern,
)

from .diagnostics import Problem, quoted

Precision = Literal["year", "month", "day"]

_ISO_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)


INTERNATIONAL_ENGLISH = "en_001"


class DateError(Problem):
    """A value that is not an ISO calendar date at year, month or day precision."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        if self.month is not None:
            return "month"
        return "year"

    @property
    def start(self) -> dt.date:
        """The first day of the period: where the date sorts and is bounded."""
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def end(self) -> dt.date:
        """The last day of the period: where an inclusive upper bound stops."""
        if self.day is not None:
            return self.start
        if self.month is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            return dt.date(self.year, self.month, last)
        return dt.date(self.year, 12, 31)

    @property
    def iso(self) -> str:
        """The value of an HTML ``datetime`` attribute, at the date's precision."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def truncate(self, precision: Precision) -> PartialDate:
        """The date at no finer than ``precision`` (``2022-06-23`` → ``2022-06``)."""
        if precision == "year":
            return PartialDate(self.year)
        if precision == "month" and self.month is not None:
            return PartialDate(self.year, self.month)
        return self

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True, slots=True)
class DateRange:
    """Two dates at the same precision, ``first`` before ``last``.

    It has what a :class:`PartialDate` has for ordering, bounds and grouping,
    all taken from its start; it never equals a single date (a group heading).
    """

    first: PartialDate
    last: PartialDate

    @property
    def precision(self) -> Precision:
        return self.first.precision

    @property
    def start(self) -> dt.date:
        return self.first.start

    @property
    def end(self) -> dt.date:
        return self.last.end

    @property
    def iso(self) -> str:
        """The ISO 8601 interval, both ends written in full."""
        return f"{self.first.iso}/{self.last.iso}"

    def truncate(self, precision: Precision) -> PartialDate:
        """The group of the range: that of its start."""
        return self.first.truncate(precision)

    def __str__(self) -> str:
        return self.iso


#: what an entry's ``date`` holds
EntryDate: TypeAlias = PartialDate | DateRange

_PARTS = {"year": 1, "month": 2, "day": 3}


def parse_entry_date(value: object) -> EntryDate:
    """An entry's date: a single date (see :func:`parse_date`) or a range.

    A range's end may repeat only the parts that differ from the start
    (``2022-06-23/07-02``, ``2022-06/08``); both ends have the same precision.
    """
    if not (isinstance(value, str) and "/" in value):
        return parse_date(value)
    text = value.strip()
    head, _, tail = text.partition("/")
    head, tail = head.strip(), tail.strip()
    try:
        first = parse_date(head)
    except DateError:
        raise DateError("date-range-format", value=quoted(text)) from None
    parts = tail.split("-")
    wanted = _PARTS[first.precision]
    if not all(part.isascii() and part.isdigit() for part in parts) or "/" in tail:
        raise DateError("date-range-format", value=quoted(text))
    if len(parts[0]) == 4:
        # written from its year: the whole end
        if len(parts) != wanted:
            raise DateError("date-range-precision", value=quoted(text))
    elif len(parts) >= wanted or any(len(part) != 2 for part in parts):
        raise DateError("date-range-format", value=quoted(text))
    else:
        # the end repeats only the parts that differ: the rest are the start's
        parts = head.split("-")[: wanted - len(parts)] + parts
    try:
        last = parse_date("-".join(parts))
    except DateError as error:
        if error.key == "date-calendar":
            raise DateError("date-calendar", value=quoted(text), **_problem(error)) from None
        raise DateError("date-range-format", value=quoted(text)) from None
    if last.start <= first.start:
        raise DateError("date-range-order", value=quoted(text))
    return DateRange(first, last)


def _problem(error: DateError) -> dict[str, object]:
    return {"problem": error.values.get("problem", "")}


def parse_date(value: object) -> PartialDate:
    """Read a date from a directive argument or a data file value.

    Strings are ISO dates at any precision; YAML also hands over
    :class:`datetime.date` values and bare integer years.
    """
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        value = f"{value:04d}"
    text = value.strip() if isinstance(value, str) else ""
    match = _ISO_PARTIAL.match(text)
    if match is None:
        raise DateError("date-format", value=quoted(value))
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    try:
        # "is None", not "or": month 00 and day 00 must fail, not become 1
        dt.date(year, 1 if month is None else month, 1 if day is None else day)
    except ValueError as error:
        raise DateError("date-calendar", value=quoted(text), problem=str(error)) from None
    return PartialDate(year, month, day)


@lru_cache(maxsize=32)
def babel_locale(language: str | None) -> Locale:
    """The Babel locale of a Sphinx ``language`` (``pt-BR``, ``zh_CN``…).

    A bare ``en`` (Sphinx's default) is international English, "23 June 2022";
    ``en_US`` asks for "June 23, 2022".
    """
    if not language or language == "en":
        return Locale.parse(INTERNATIONAL_ENGLISH)
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(INTERNATIONAL_ENGLISH)


@lru_cache(maxsize=4096)
def format_partial_date(date: PartialDate, language: str | None) -> str:
    """Localised: ``2022`` → "2022", ``2022-06`` → "June 2022"."""
    locale = babel_locale(language)
    if date.precision == "year":
        return format_skeleton("y", date.start, locale=locale)
    if date.precision == "month":
        return format_skeleton("yMMMM", date.start, locale=locale)
    return format_date(date.start, format="long", locale=locale)


#: the skeleton of each precision's interval format
_INTERVAL_SKELETONS: dict[Precision, str] = {"year": "y", "month": "yMMMM", "day": "yMMMd"}
#: what may stand between the two ends: spaces, dashes, tildes
_BETWEEN = frozenset(" \u00a0\u2009\u202f~\uff5e")


@lru_cache(maxsize=1024)
def format_date_range(span: DateRange, language: str | None) -> tuple[str, str, str]:
    """Localised: the start's words, what stands between, and the end's words.

    ``2022-06-23/24`` → ("23", en dash, "24 June 2022"), from the locale's interval
    format for the largest part that differs (Babel's ``format_interval``),
    with the month's full name as single dates have it. The three parts
    joined are the interval's text.
    """
    locale = babel_locale(language)
    skeleton = _INTERVAL_SKELETONS[span.precision]
    formats = locale.interval_formats.get(skeleton) or {}
    first, last = span.first.start, span.last.start
    patterns: list[str] | None = None
    for field in PATTERN_CHAR_ORDER:
        if field in formats and (
            DateTimeFormat(first, locale=locale).extract(field)
            != DateTimeFormat(last, locale=locale).extract(field)
        ):
            patterns = list(formats[field])
            break
    if patterns is None or len(patterns) != 2:
        fallback = str(locale.interval_formats.get(None) or "{0}\u2013{1}")
        opening, _, rest = fallback.partition("{0}")
        between, _, closing = rest.partition("{1}")
        return (
            opening + format_partial_date(span.first, language),
            between,
            format_partial_date(span.last, language) + closing,
        )
    if span.precision == "day":
        patterns = [_FULL_MONTH.sub("MMMM", pattern) for pattern in patterns]
    start_text = parse_pattern(patterns[0]).apply(first, locale)
    end_text = parse_pattern(patterns[1]).apply(last, locale)
    kept = len(start_text)
    while kept and (
        start_text[kept - 1] in _BETWEEN or unicodedata.category(start_text[kept - 1]) == "Pd"
    ):
        kept -= 1
    return start_text[:kept], start_text[kept:], end_text


#: an abbreviated month in a pattern (``MMM``), outside quoted text
_FULL_MONTH = re.compile(r"(?<![M'])M{3}(?!M)")
