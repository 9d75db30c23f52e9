"""Partial calendar dates (``2022``, ``2022-06``, ``2022-06-23``).

A date keeps the precision the writer gave it: it is shown at that precision,
placed at the first day of its period for ordering and bounds, and written in
HTML as ``<time datetime="2022-06">``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton

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
