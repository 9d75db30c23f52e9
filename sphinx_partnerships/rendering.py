"""Pieces every rendered entry is made of, shared by timelines and award lists."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from docutils import nodes

from .collection import date_node
from .domain import BODY_CLASS, RECORD, restored
from .entries import Entry, Partner
from .links import link_node
from .nodes import LabelledList, labelled_values, visually_hidden
from .translation import _


@dataclass(frozen=True)
class RenderContext:
    """Where entries are being rendered, and how to point back to their home."""

    docname: str
    language: str | None
    #: the link back to an entry declared on another page (project views only)
    origin_link: Callable[[Entry], nodes.Node | None] | None = field(default=None)

    def is_home(self, record: Entry | Partner) -> bool:
        return record.docname == self.docname


def entry_item(entry: Entry, component: str, context: RenderContext) -> nodes.list_item:
    """The list item of an entry; at home it carries the anchor and the record,
    which the domain takes, without its nodes, once the page is read."""
    item = nodes.list_item(classes=["sp-entry", component, *entry.classes])
    if context.is_home(entry):
        item["ids"].append(entry.id)
        item[RECORD] = entry
    return item


def body_container(record: Entry | Partner, context: RenderContext) -> nodes.container:
    """The record's parsed body, ready to be placed in a page: at its home the
    body itself, elsewhere a fresh copy of the stored one."""
    parsed = record.body
    if isinstance(parsed, nodes.container) and parsed.parent is None and context.is_home(record):
        return parsed
    body = nodes.container(classes=[BODY_CLASS])
    if parsed is not None:
        body.extend(child.deepcopy() for child in parsed.children)
    elif record.stored_body is not None:
        body.extend(restored(record.stored_body).children)
    return body


def meta_paragraph(entry: Entry, context: RenderContext) -> nodes.paragraph:
    meta = nodes.paragraph(classes=["sp-meta"])
    meta += date_node(entry.date, context.language)
    return meta


def details_paragraph(*lists: LabelledList) -> nodes.paragraph | None:
    """The entry's non-empty labelled lists ("Partners: …  Tags: …"), if any."""
    present = [labelled for labelled in lists if labelled[2]]
    if not present:
        return None
    return nodes.paragraph("", "", labelled_values.of(present), classes=["sp-details"])


def more_link(entry: Entry, purpose: str) -> nodes.paragraph | None:
    """ "Read more" with the entry's own words for screen readers, so that
    every such link on a page has a distinct accessible name."""
    if entry.link is None:
        return None
    paragraph = nodes.paragraph(classes=["sp-more"])
    paragraph += link_node(
        entry.link,
        [nodes.Text(_("Read more")), visually_hidden.of(f": {purpose}")],
        docname=entry.docname,
        location=(entry.source_path, entry.lineno),
    )
    return paragraph


def origin_paragraph(entry: Entry, context: RenderContext) -> nodes.paragraph | None:
    if context.is_home(entry) or context.origin_link is None:
        return None
    link = context.origin_link(entry)
    if link is None:
        return None
    paragraph = nodes.paragraph(classes=["sp-origin"])
    paragraph += link
    return paragraph


def short_text(entry: Entry, words: int = 10) -> str:
    text = entry.body.astext() if entry.body is not None else entry.summary
    parts = text.split()
    return " ".join(parts[:words]) + ("…" if len(parts) > words else "")
