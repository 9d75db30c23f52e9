"""Entry records (activities, awards, cards) and the validation of their fields.

Directive options and data file entries go through the same field table, so a
writer gets the same checks and the same warnings wherever an entry comes from.
Records are plain data: they are stored in the build environment and pickled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from docutils import nodes

from .dates import EntryDate, parse_entry_date
from .diagnostics import Issue, Location, Problem, quoted, warn_issue
from .images import image_path_issue
from .links import Link, parse_link

FieldKind = Literal["text", "list", "date", "link", "id", "flag"]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    kind: FieldKind
    required: bool = False
    description: str = ""


ACTIVITY_FIELDS: dict[str, FieldSpec] = {
    "date": FieldSpec(
        "date", True, "When it happened: YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END."
    ),
    "text": FieldSpec("text", True, "What happened, in the page's markup."),
    "partners": FieldSpec("list", description="Partner names (countries, bodies)."),
    "tags": FieldSpec("list", description="Free keywords used by :tags: filters."),
    "link": FieldSpec("link", description="URL, page or label to read more."),
    "id": FieldSpec("id", description="Anchor and cross-reference target."),
}

AWARD_FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec("text", True, "The award's name."),
    "date": FieldSpec(
        "date", True, "When it was won: YYYY, YYYY-MM or YYYY-MM-DD, or a range START/END."
    ),
    "organizer": FieldSpec("text", description="Who gives the award."),
    "recipients": FieldSpec("list", description="Who won it."),
    "link": FieldSpec("link", description="URL, page or label to read more."),
    "tags": FieldSpec("list", description="Free keywords used by :tags: filters."),
    "id": FieldSpec("id", description="Anchor and cross-reference target."),
    "text": FieldSpec("text", description="Description, in the page's markup."),
}

PARTNER_FIELDS: dict[str, FieldSpec] = {
    "name": FieldSpec("text", True, "The partner's name, as used in :partners:."),
    "kind": FieldSpec("text", description="country or organisation."),
    "link": FieldSpec("link", description="The partner's own site, or a page."),
}

IMAGE_CARD_FIELDS: dict[str, FieldSpec] = {
    "image": FieldSpec("text", True, "Image path (page-relative or /-rooted) or https URL."),
    "alt": FieldSpec("text", description="Text alternative; required unless decorative."),
    "link": FieldSpec("link", description="URL, page or label the whole card opens."),
    "caption": FieldSpec("text", description="Caption, in the page's markup."),
    "decorative": FieldSpec("flag", description="The image needs no alternative text."),
    "new_tab": FieldSpec("flag", description="Open an external link in a new tab."),
    "id": FieldSpec("id", description="Anchor of the card."),
}

TEXT_CARD_FIELDS: dict[str, FieldSpec] = {
    "title": FieldSpec("text", True, "Title of a text card (a card without an image)."),
    "text": FieldSpec("text", description="Body of a text card, in the page's markup."),
    "footer": FieldSpec("text", description="A last line of a text card (a date, a source)."),
    "link": IMAGE_CARD_FIELDS["link"],
    "new_tab": IMAGE_CARD_FIELDS["new_tab"],
    "id": IMAGE_CARD_FIELDS["id"],
}

#: the fields of a data file's card: an image card has an ``image``, a text
#: card a ``title`` (see :func:`card_kind`)
CARD_FIELDS: dict[str, FieldSpec] = {
    **IMAGE_CARD_FIELDS,
    "image": FieldSpec("text", description=IMAGE_CARD_FIELDS["image"].description),
    **TEXT_CARD_FIELDS,
    "title": FieldSpec("text", description=TEXT_CARD_FIELDS["title"].description),
}

_TRUE = {"", "true", "yes", "on", "1"}
_FALSE = {"false", "no", "off", "0"}


@dataclass(kw_only=True)
class Record:
    """What the domain keeps of every declared entry: plain, picklable data.

    ``docname`` and ``key`` find the entry's node on its page while the page
    is read; the domain keeps the entry's parsed body apart, for the views
    that show it on other pages.
    """

    kind: ClassVar[str] = "record"
    docname: str = ""
    #: the entry's number on its page (``env.new_serialno``): ties keep source order
    key: int = 0
    lineno: int | None = None
    #: absolute path of the page or data file that declares the entry
    source_path: str = ""
    #: data file path relative to the source directory, when not inline
    datafile: str | None = None
    #: the body as plain text, for short mentions (the partner index)
    summary: str = ""

    @property
    def location(self) -> str:
        """``/abs/path:line``: where warnings about this entry point."""
        return f"{self.source_path}:{self.lineno}"

    @property
    def origin(self) -> tuple[str, int | None]:
        """Where it was written: a data file loaded by two pages declares it once."""
        return self.datafile or self.docname, self.lineno


@dataclass(kw_only=True)
class Entry(Record):
    """What every dated entry has besides where it was declared."""

    kind: ClassVar[str] = "entry"
    #: its anchor in the build's output (see :mod:`.anchors`)
    id: str = ""
    #: the anchor it took when its page was read, unique on that page
    page_id: str = ""
    #: a single date or a range, placed by its start
    date: EntryDate
    tags: tuple[str, ...] = ()
    link: Link | None = None
    explicit_id: bool = False
    #: CSS classes of the entry's own ``:class:``
    classes: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Mapping[str, Any], **context: Any) -> Entry:
        """A record from validated fields plus where it was declared."""
        raise NotImplementedError

    def derived_id(self, body_text: str) -> str:
        """The anchor of an entry without ``:id:``: its first words and date."""
        return derived_id(self.kind, body_text, self.date.iso)

    @staticmethod
    def common_fields(values: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": values.get("id", ""),
            "explicit_id": "id" in values,
            "date": values["date"],
            "tags": values.get("tags", ()),
            "link": values.get("link"),
        }


@dataclass(kw_only=True)
class Activity(Entry):
    kind: ClassVar[str] = "activity"
    partners: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Mapping[str, Any], **context: Any) -> Activity:
        return cls(partners=values.get("partners", ()), **cls.common_fields(values), **context)


@dataclass(kw_only=True)
class Award(Entry):
    kind: ClassVar[str] = "award"
    name: str
    organizer: str | None = None
    recipients: tuple[str, ...] = ()

    @classmethod
    def from_values(cls, values: Mapping[str, Any], **context: Any) -> Award:
        return cls(
            name=values["name"],
            organizer=values.get("organizer"),
            recipients=values.get("recipients", ()),
            **cls.common_fields(values),
            **context,
        )

    def derived_id(self, body_text: str) -> str:
        return derived_id(self.kind, self.name)


@dataclass(kw_only=True)
class Partner(Record):
    """A partner described by a ``partner`` directive."""

    kind: ClassVar[str] = "partner"
    name: str
    category: str | None = None
    link: Link | None = None
    classes: tuple[str, ...] = ()


@dataclass(kw_only=True)
class Card:
    image: str
    alt: str | None = None
    decorative: bool = False
    link: Link | None = None
    new_tab: bool = False
    caption: str | None = None
    id: str | None = None
    lineno: int | None = None


def split_list(value: str, separator: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(separator) if item.strip())


@dataclass(frozen=True)
class Declaration:
    """Where fields come from, so that a problem is told in the writer's words:
    options and the argument or body of a directive, or fields of a data file."""

    #: "activity directive", "award entry" …
    subject: str
    in_directive: bool
    #: the field the directive's argument gives ("date", "name", "image")
    argument: str | None = None
    #: the field the directive's body gives ("text")
    body: str | None = None
    #: what separates the items of a list written as text
    list_separator: str = ","

    def name(self, field: str) -> str:
        return f":{field.replace('_', '-')}:" if self.in_directive else repr(field)


#: numbers beyond this are no year, count or name a writer means
_LARGEST_NUMBER = 10**12


def validate_fields(
    raw: Mapping[str, Any], specs: Mapping[str, FieldSpec], location: Location, how: Declaration
) -> dict[str, Any] | None:
    """Check and convert one entry's fields; warn at ``location`` for each problem."""
    values, issues = check_fields(raw, specs, how)
    for issue in issues:
        warn_issue(issue, location)
    return values


def check_fields(
    raw: Mapping[str, Any], specs: Mapping[str, FieldSpec], how: Declaration
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """Check and convert one entry's fields, and tell each problem.

    Returns the converted values, or ``None`` when the entry cannot be shown
    (a required field missing or unusable, as a date that does not exist).
    An unknown field, or a bad value of a field that is not required, is
    a problem and left out; the entry is shown without it.
    """
    values: dict[str, Any] = {}
    issues: list[Issue] = []
    usable = True
    known = ", ".join(how.name(name) for name in sorted(specs))
    for name in raw:
        if name not in specs:
            key = "option-unknown" if how.in_directive else "field-unknown"
            shown = name.replace("_", "-") if how.in_directive else quoted(name)
            said = {"subject": how.subject, "option": shown, "field": shown, "known": known}
            issues.append(Issue(key, said))
    for name, spec in specs.items():
        value = raw.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if spec.kind == "flag" and name in raw:
                values[name] = True
            elif spec.required:
                issues.append(_missing(name, spec, how))
                usable = False
            continue
        try:
            values[name] = _convert(value, spec.kind, how.list_separator)
        except Problem as problem:
            # dates and links say themselves what is wrong
            issues.append(Issue(problem.key, {"subject": how.subject, **problem.values}))
            usable = usable and not (spec.required and spec.kind == "date")
        except (TypeError, ValueError) as error:
            if spec.required:
                outcome = "the entry is left out"
                usable = False
            elif spec.kind == "flag":
                outcome, values[name] = "using false", False
            else:
                outcome = "it is ignored"
            key = "option-value" if how.in_directive else "field-value"
            told: dict[str, Any] = {
                "subject": how.subject,
                "option": name.replace("_", "-"),
                "field": quoted(name),
                "problem": error,
                "outcome": outcome,
            }
            issues.append(Issue(key, told))
    return (values if usable else None), issues


def _missing(name: str, spec: FieldSpec, how: Declaration) -> Issue:
    if not how.in_directive:
        key = "date-missing" if spec.kind == "date" else "field-required"
        return Issue(
            key, {"subject": how.subject, "field": quoted(name), "hint": f"add a {name!r} field"}
        )
    if name == how.argument:
        if spec.kind == "date":
            hint = "write it after the directive's name (activity 2022-06)"
            return Issue("date-missing", {"subject": how.subject, "hint": hint})
        return Issue("argument-missing", {"subject": how.subject, "argument": name})
    if name == how.body:
        return Issue("body-missing", {"subject": how.subject})
    if spec.kind == "date":
        hint = f"add the {how.name(name)} option"
        return Issue("date-missing", {"subject": how.subject, "hint": hint})
    return Issue("option-required", {"subject": how.subject, "option": name.replace("_", "-")})


CardKind = Literal["image", "text"]


def card_kind(values: Mapping[str, Any]) -> CardKind | None:
    """A card with an ``image`` is an image card (a ``title`` is then a field
    of the other kind), one with a ``title`` only a text card; with neither
    it cannot be shown."""
    if "image" in values:
        return "image"
    if "title" in values:
        return "text"
    return None


def card_issues(values: Mapping[str, Any]) -> list[Issue]:
    """What is wrong with a card's validated fields, whatever page shows it:
    which kind of card it is, fields of the other kind, its text alternative,
    and an image path that names no file a card may publish (see :mod:`.images`)."""
    kind = card_kind(values)
    if kind is None:
        return [Issue("card-kind-missing", {"field": quoted("image")})]
    other = TEXT_CARD_FIELDS if kind == "image" else IMAGE_CARD_FIELDS
    mine = IMAGE_CARD_FIELDS if kind == "image" else TEXT_CARD_FIELDS
    issues: list[Issue] = [
        Issue(
            "card-field-kind",
            {"field": quoted(name), "kind": "text" if kind == "image" else "image"},
        )
        for name in values
        if name in other and name not in mine
    ]
    if kind == "text":
        return issues
    image, alt, decorative = values["image"], values.get("alt"), values.get("decorative", False)
    if not decorative and not alt:
        issues.append(Issue("alt-missing", {"value": quoted(image)}))
    elif decorative and alt:
        issues.append(Issue("alt-decorative", {"value": quoted(image)}))
    path_issue = image_path_issue(image)
    if path_issue is not None:
        issues.append(path_issue)
    return issues


#: the most an entry's field may hold: an entry is shown on its page, its
#: archive pages and in feeds, so a huge one would be written many times over
MAX_TEXT_LENGTH = 20_000
MAX_LIST_ITEMS = 50


def _convert(value: Any, kind: FieldKind, list_separator: str) -> Any:
    if kind == "date":
        return parse_entry_date(value)
    if kind == "flag":
        return _to_flag(value)
    if kind == "list":
        items = _to_list(value, list_separator)
        if len(items) > MAX_LIST_ITEMS:
            raise ValueError(
                f"lists {len(items):,} names, more than the {MAX_LIST_ITEMS} an entry may have"
            )
        if sum(map(len, items)) > MAX_TEXT_LENGTH:
            raise ValueError(f"is longer than the {MAX_TEXT_LENGTH:,} characters a field may have")
        return items
    text = _to_text(value)
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(
            f"has {len(text):,} characters, more than the {MAX_TEXT_LENGTH:,} a field may have"
        )
    if kind == "link":
        return parse_link(text)
    if kind == "id":
        anchor = nodes.make_id(text)
        if not anchor:
            raise ValueError(f"must contain letters or digits, not {quoted(text)}")
        return anchor
    return text


def _to_text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float | dt.date):
        raise TypeError(f"must be text, not {_type_name(value)}")
    if isinstance(value, int) and abs(value) > _LARGEST_NUMBER:
        raise ValueError("is a number too large to be meant")
    return str(value).strip()


def _to_list(value: Any, separator: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_list(value, separator)
    if isinstance(value, list | tuple):
        return tuple(_to_text(item) for item in value if str(item).strip())
    raise TypeError(f"must be a list of names, not {_type_name(value)}")


def _type_name(value: Any) -> str:
    """What a writer calls the value's type (data files hold located mappings)."""
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    return type(value).__name__


def _to_flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"must be true or false (or empty), not {quoted(value)}")


def derived_id(kind: str, text: str, date: str = "") -> str:
    """A stable anchor from an entry's content: its first words and its date.

    Text without Latin letters or digits (Chinese, Japanese, …) gives no words
    to ``make_id``: a short digest of it keeps such anchors apart.
    """
    words = nodes.make_id(" ".join(text.split()[:8]))
    if not words:
        digest = hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:8]
        words = f"{kind}-{digest}" if text.strip() else kind
    return nodes.make_id(f"{words} {date}")
