"""What timelines and award lists share: the query, its filters, ordering and grouping.

A collection directive turns its options into a :class:`Query`; the same query
selects entries from one page or from the whole project, and the same layout
(group headings over an ordered list) renders them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, TypeVar

from docutils import nodes

from .dates import (
    DateError,
    DateRange,
    EntryDate,
    PartialDate,
    format_date_range,
    format_partial_date,
    parse_date,
)
from .diagnostics import Location, message, quoted, warn
from .entries import Activity, Entry, split_list
from .nodes import date_range, entry_list, group_heading, time_node
from .translation import _

GroupBy = Literal["year", "month", "none"]
Order = Literal["newest", "oldest"]
Scope = Literal["local", "project"]

E = TypeVar("E", bound=Entry)

QUERY_OPTIONS = (
    "scope",
    "group-by",
    "order",
    "from",
    "until",
    "partners",
    "tags",
    "limit",
)


@dataclass(frozen=True, slots=True)
class Query:
    scope: Scope = "local"
    group_by: GroupBy = "month"
    order: Order = "newest"
    start: PartialDate | None = None
    end: PartialDate | None = None
    partners: frozenset[str] = frozenset()
    tags: frozenset[str] = frozenset()
    limit: int | None = None

    def keeps(self, entry: Entry) -> bool:
        # a range is where it starts: one that starts before :from: is out,
        # even when it ends inside the bounds
        if self.start is not None and entry.date.start < self.start.start:
            return False
        if self.end is not None and entry.date.start > self.end.end:
            return False
        if self.tags and not self.tags.intersection(entry.tags):
            return False
        return not (
            self.partners
            and not (isinstance(entry, Activity) and self.partners.intersection(entry.partners))
        )


def parse_query(
    options: Mapping[str, str | None],
    location: Location,
    *,
    group_choices: Sequence[GroupBy],
    what: str,
) -> Query:
    """Read the shared options; warn for each bad value and use its default."""

    def choice(name: str, choices: Sequence[str], default: str) -> str:
        value = (options.get(name) or "").strip().lower()
        if not value:
            return default
        if value not in choices:
            warn(
                "option-choice",
                location,
                subject=what,
                option=name,
                choices=", ".join(choices),
                value=quoted(value),
                default=default,
            )
            return default
        return value

    def bound(name: str) -> PartialDate | None:
        value = options.get(name)
        if not value:
            return None
        try:
            return parse_date(value)
        except DateError as error:
            problem = message(error.key, subject=f"{what}: :{name}", **error.values)
            warn("option-bound", location, problem=problem)
            return None

    limit: int | None = None
    if options.get("limit"):
        raw_limit = (options.get("limit") or "").strip()
        limit = whole_number(raw_limit, 1, 10**9)
        if limit is None:
            warn("option-limit", location, subject=what, value=quoted(raw_limit))

    return Query(
        scope=choice("scope", ("local", "project"), "local"),  # type: ignore[arg-type]
        group_by=choice("group-by", group_choices, group_choices[0]),  # type: ignore[arg-type]
        order=choice("order", ("newest", "oldest"), "newest"),  # type: ignore[arg-type]
        start=bound("from"),
        end=bound("until"),
        partners=frozenset(split_list(options.get("partners") or "", ",")),
        tags=frozenset(split_list(options.get("tags") or "", ",")),
        limit=limit,
    )


def whole_number(text: str, smallest: int, largest: int) -> int | None:
    """``text`` as a whole number in a range, or ``None``: only ASCII digits
    count (``"²"`` is a digit to Python, but no number a writer means)."""
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(largest)):
        return None
    number = int(text)
    return number if smallest <= number <= largest else None


def select(entries: Iterable[E], query: Query) -> list[E]:
    """Filter, order (ties keep source order) and cut to ``:limit:``."""
    kept = [entry for entry in entries if query.keeps(entry)]
    # sort() is stable, also with reverse=True: ties keep their given order
    kept.sort(key=lambda entry: entry.date.start, reverse=query.order == "newest")
    return kept[: query.limit] if query.limit else kept


def group(entries: Sequence[E], group_by: GroupBy) -> list[tuple[PartialDate | None, list[E]]]:
    """Consecutive groups by year or month; year-precision dates get a year group."""
    if group_by == "none":
        return [(None, list(entries))] if entries else []
    groups: dict[PartialDate, list[E]] = {}
    for entry in entries:
        groups.setdefault(entry.date.truncate(group_by), []).append(entry)
    return list(groups.items())


def date_node(date: EntryDate, language: str | None) -> time_node | date_range:
    """A date in the build's language; a range holds one ``time`` for each end
    (``<time>23</time>``, an en dash, ``<time>24 June 2022</time>``)."""
    if isinstance(date, DateRange):
        start, between, end = format_date_range(date, language)
        return date_range(
            "",
            "",
            time_node("", start, datetime=date.first.iso),
            nodes.Text(between),
            time_node("", end, datetime=date.last.iso),
            classes=["sp-date-range"],
        )
    return time_node("", format_partial_date(date, language), datetime=date.iso)


def render_collection(
    entries: Sequence[E],
    query: Query,
    *,
    component: str,
    classes: Sequence[str],
    language: str | None,
    render_entry: Callable[[E, PartialDate | None], nodes.list_item],
    anchors_of_hidden: Callable[[list[E]], Sequence[str]] = lambda shown: (),
    link_heading: Callable[[PartialDate, nodes.Node], nodes.Node] = lambda key, text: text,
) -> nodes.container:
    """Group headings over ordered lists of entries, in one tagged container.

    ``render_entry`` gets each entry with the date of its group's heading
    (``None`` without groups), which an entry need not repeat.

    ``anchors_of_hidden`` names the anchors of entries declared here that the
    query leaves out: links to them land on the collection. ``link_heading``
    makes a group heading's date a link (to its year's archive page).
    """
    root = nodes.container(classes=["sp-collection", component, *classes])
    shown = select(entries, query)
    hidden = anchors_of_hidden(shown)
    if hidden:
        root += nodes.target("", "", ids=list(hidden))
    groups = group(shown, query.group_by)
    for key, members in groups:
        if key is not None:
            # a date Babel already wrote in the build's language: nothing to translate
            heading = group_heading("", "", classes=["sp-group-heading"], translatable=False)
            heading += link_heading(key, date_node(key, language))
            root += heading
        listing = entry_list(classes=["sp-entries"], enumtype="arabic")
        listing.extend(render_entry(entry, key) for entry in members)
        root += listing
    if not groups:
        root += nodes.paragraph("", _("No entries."), classes=["sp-empty"])
    return root
