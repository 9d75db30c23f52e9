"""Pieces every rendered entry is made of, shared by timelines, award lists and partners."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from docutils import nodes

from .collection import date_node
from .dates import PartialDate
from .domain import archive_key
from .entries import Activity, Entry, Record
from .links import link_node
from .nodes import (
    entry_item,
    labelled_lists,
    separator,
    visually_hidden,
    visually_hidden_paragraph,
)
from .translated import shown_words
from .translation import _
from .travel import ShowingPage, unpack

if TYPE_CHECKING:
    from .domain import PartnershipsDomain

BODY_CLASS = "sp-body"
#: the class of an activity's partner names, which link to the partner index
PARTNERS_CLASS = "sp-partners"


@dataclass
class RenderContext:
    """Where entries are being rendered: the page, and the bodies declared there."""

    domain: PartnershipsDomain
    page: ShowingPage
    #: the page the collection (or single entry) is written on
    where: str
    language: str | None
    #: key -> body of the entries declared inside the collection being rendered
    declared: dict[int, nodes.Element] = field(default_factory=dict)
    #: the date of the group heading over the entry being rendered, if any
    heading: PartialDate | None = None

    def under(self, heading: PartialDate | None) -> RenderContext:
        """This context for an entry under a group heading of that date."""
        return replace(self, heading=heading)

    def is_home(self, record: Record) -> bool:
        return record.docname == self.where

    def words(self, record: Record, name: str) -> str:
        """A name the record gives (an award's, a partner's), translated by
        the catalogs of the page that declares the record."""
        return shown_words(self.domain.env, record.docname, name)

    def body(self, record: Record, anchor: str) -> tuple[nodes.Element, bool]:
        """The record's body for this page, and whether this is where it was
        declared (then it carries the entry's anchor)."""
        if self.is_home(record) and record.key in self.declared:
            return self.declared.pop(record.key), True
        packed = self.domain.body(record)
        if packed is None:
            return nodes.container(classes=[BODY_CLASS]), False
        copy = unpack(packed, home=record.docname, where=self.where, anchor=anchor, page=self.page)
        return copy, False


def new_item(record: Entry, component: str, anchored: bool) -> entry_item:
    item = entry_item(classes=["sp-entry", component, *record.classes])
    if anchored:
        item["ids"].append(record.id)
    return item


def date_paragraph(entry: Entry, context: RenderContext) -> nodes.paragraph:
    """The entry's date; where its group heading says the same ("June 2022"
    over an entry of June 2022), only for screen readers and machines.
    A range says more than any heading: it is never implied."""
    implied = context.heading is not None and context.heading == entry.date
    paragraph = (visually_hidden_paragraph if implied else nodes.paragraph)(classes=["sp-meta"])
    if implied:
        paragraph["classes"].append("sp-visually-hidden")
    date: nodes.Node = date_node(entry.date, context.language)
    if not implied:
        date = archive_link(entry, context, "years", str(entry.date.start.year), date)
    paragraph += date
    return paragraph


def archive_link(
    entry: Entry, context: RenderContext, kind: str, value: str, content: nodes.Node
) -> nodes.Node:
    """An entry's ``content`` (its date) as a link to its archive page; text
    for entries the archives leave out (on pages of
    ``partnerships_project_exclude``)."""
    if not context.domain.is_counted(entry.docname):
        return content
    return archive_xref(context, kind, value, content)


def archive_target(context: RenderContext, kind: str, value: str) -> tuple[str, str] | None:
    """The archive page of a tag, partner or year (``kind`` "tags",
    "partners", "years"), if the build made it."""
    archive = context.domain.archive_page(archive_key(kind, value))
    return (archive, "") if archive is not None else None


def archive_xref(context: RenderContext, kind: str, value: str, content: nodes.Node) -> nodes.Node:
    """A link to the archive page of a tag, partner or year; text where the
    build has none, and on that page."""
    return link_to(context, archive_target(context, kind, value), content)


def link_to(
    context: RenderContext, target: tuple[str, str] | None, content: nodes.Node
) -> nodes.Node:
    """``content`` as a link to a page (and a place on it) of this build, made
    as the entry is rendered: archive pages and the partner index are known
    by then, and a reference Sphinx resolves later would cost as much again.
    Text without a target, on the target page itself, and in a builder that
    writes no pages to link to."""
    address = None if target is None else context.page.address(context.where, *target)
    if address is None:
        return content
    # what ``sphinx.util.nodes.make_refnode`` makes, with the address known
    reference = nodes.reference("", "", content, internal=True)
    if target is not None and target[0] == context.where:
        reference["refid"] = target[1]
    else:
        reference["refuri"] = address
    return reference


#: builders that write links as they are given; the others (single-page,
#: EPUB, LaTeX, text) rewrite or print them from the nodes themselves
LINKS_AS_GIVEN = frozenset({"html", "dirhtml"})

#: a value of a labelled list: its words, and where they link to (a page,
#: and a place on it), if anywhere
Value = tuple[str, "tuple[str, str] | None"]


@dataclass(frozen=True)
class LabelledList:
    """ "Tags: a, b": a label and its values."""

    css: str
    label: str
    values: Sequence[Value]


def tag_list(entry: Entry, context: RenderContext) -> LabelledList | None:
    """ "Tags: a, b", each tag linking to its archive page."""
    if not entry.tags:
        return None
    context.page.tags_shown.update(entry.tags)
    counted = context.domain.is_counted(entry.docname)
    values = [
        (tag, archive_target(context, "tags", tag) if counted else None) for tag in entry.tags
    ]
    return LabelledList("sp-tags", _("Tags"), values)


def partner_names(entry: Activity, context: RenderContext) -> LabelledList | None:
    """ "Partners: Japan, Malaysia", each name a link to the partner's
    archive page or its place in the partner index, which stays text where
    the project has neither; the names of entries the archives leave out
    (``partnerships_project_exclude``) lead to the index only."""
    if not entry.partners:
        return None
    counted = context.domain.is_counted(entry.docname)
    values = [
        (context.words(entry, name), context.domain.partner_page(name, archive=counted))
        for name in entry.partners
    ]
    return LabelledList(PARTNERS_CLASS, _("Partners"), values)


def details_paragraph(
    context: RenderContext, *lists: LabelledList | None
) -> nodes.paragraph | None:
    """The entry's non-empty labelled lists ("Partners: … · Tags: …"), if any,
    set apart by a separator that every builder shows in its own way."""
    present = [listing for listing in lists if listing is not None]
    if not present:
        return None
    paragraph = nodes.paragraph(classes=["sp-details"])
    if context.page.builder.name in LINKS_AS_GIVEN:
        written = [
            (listing.css, listing.label, [addressed(context, value) for value in listing.values])
            for listing in present
        ]
        paragraph += labelled_lists.of(written)
        return paragraph
    for index, listing in enumerate(present):
        if index:
            paragraph += separator.between_pairs()
        paragraph += labelled_list_nodes(context, listing)
    return paragraph


def addressed(context: RenderContext, value: Value) -> tuple[str, str | None]:
    words, target = value
    return words, None if target is None else context.page.address(context.where, *target)


def labelled_list_nodes(context: RenderContext, listing: LabelledList) -> nodes.inline:
    """A labelled list as nodes: the label and each value in a span of its
    own, linked where the value has a target."""
    tree = nodes.inline("", "", nodes.inline("", f"{listing.label}: ", classes=["sp-label"]))
    tree["classes"].append(listing.css)
    for index, (words, target) in enumerate(listing.values):
        if index:
            tree += nodes.inline("", ", ", classes=["sp-list-separator"])
        tree += link_to(context, target, nodes.inline("", words, classes=["sp-value"]))
    return tree


def more_link(entry: Entry, purpose: str, context: RenderContext) -> nodes.paragraph | None:
    """ "Read more" with the entry's own words for screen readers, so that
    every such link on a page has a distinct accessible name."""
    if entry.link is None:
        return None
    paragraph = nodes.paragraph(classes=["sp-more"])
    paragraph += link_node(
        entry.link,
        [nodes.Text(_("Read more")), visually_hidden.of(f": {purpose}")],
        docname=context.where,
        origin=entry.docname,
        location=(entry.source_path, entry.lineno),
    )
    return paragraph


def origin_paragraph(
    entry: Entry, context: RenderContext, named: Sequence[str] = ()
) -> nodes.paragraph | None:
    """ "From <page>": where an entry shown by a view on another page lives;
    left out where the page is a partner the entry already ``named``, which
    would give two links of the same words."""
    if context.is_home(entry):
        return None
    title = context.domain.env.titles.get(entry.docname)
    text = title.astext() if title is not None else entry.docname
    if text.casefold() in {name.casefold() for name in named}:
        return None
    reference = link_to(context, (entry.docname, entry.id), nodes.Text(text))
    if not isinstance(reference, nodes.reference):
        return None
    paragraph = nodes.paragraph(classes=["sp-origin"])
    paragraph += nodes.inline(
        "", "", nodes.Text(_("From") + " "), reference, classes=["sp-origin-link"]
    )
    return paragraph


def short_text(record: Record, words: int = 10) -> str:
    parts = record.summary.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
