"""Entries and collections become their rendered form, before references are resolved.

Pages are read with entries as :class:`~.nodes.entry` nodes (the body parsed
by the page's parser) and timelines, award lists and partner indexes as
:class:`~.nodes.collection` nodes. When a page is written, every builder first
runs :class:`RenderEntries`: it reads the records from the domain, places each
entry's body (its own where it was declared, a copy made for this page
everywhere else) and leaves cross-references for Sphinx's resolvers, which
come next and resolve them for the page that shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .collection import Query, render_collection
from .domain import DOMAIN, PartnershipsDomain
from .entries import Entry, Record
from .nodes import collection_node, entry_node
from .rendering import RenderContext, archive_xref
from .travel import ShowingPage


@dataclass(frozen=True)
class Component:
    """How one kind of entry is rendered: in a collection, and on its own."""

    record_type: type[Record]
    #: the class of its collections ("sp-timeline"); empty for kinds without one
    css_class: str
    render: Callable[[Any, RenderContext], nodes.Element]


COMPONENTS: dict[str, Component] = {}

#: the attribute of a written page's document that says what it shows
SHOWN = "partnerships_shown"


@dataclass(frozen=True)
class Shown:
    """What a page shows, recorded as it is rendered (feeds advertise theirs
    on the pages that show their entries)."""

    #: the kinds of entry whose collections (or single entries) it shows
    kinds: frozenset[str] = frozenset()
    #: the tags of the entries it shows
    tags: frozenset[str] = frozenset()


def shown_on(document: nodes.document) -> Shown:
    shown = document.get(SHOWN)
    return shown if isinstance(shown, Shown) else Shown()


ViewRenderer = Callable[[collection_node, RenderContext], nodes.Element]
#: collections that are not a list of one kind of entry (the partner index)
OTHER_VIEWS: dict[str, ViewRenderer] = {}


def register_component(kind: str, component: Component) -> None:
    COMPONENTS[kind] = component


def register_view(kind: str, renderer: ViewRenderer) -> None:
    OTHER_VIEWS[kind] = renderer


class RenderEntries(SphinxPostTransform):
    """Render entries and collections for the page being written."""

    # before MyST's (9) and Sphinx's (10) reference resolvers
    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        collections: list[collection_node] = []
        singles: list[entry_node] = []
        for node in self.document.findall(_is_placeholder):
            if isinstance(node, collection_node):
                collections.append(node)
            elif not isinstance(node.parent, collection_node):
                singles.append(cast(entry_node, node))
        if not collections and not singles:
            return
        domain = cast(PartnershipsDomain, self.env.get_domain(DOMAIN))
        # Sphinx 9 deprecates a transform's ``app``; its environment knows it since 8
        app = getattr(self.env, "_app", None) or self.app
        page = ShowingPage(self.document, app.builder)
        language = self.config.partnerships_language or self.config.language

        def context(node: nodes.Element) -> RenderContext:
            return RenderContext(domain, page, node["docname"], language)

        # ``parent.replace``: ``replace_self`` would hand the placeholder's ids
        # and classes to the rendered container too
        for view in collections:
            view.parent.replace(view, render_view(view, context(view)))
        for single in singles:
            single.parent.replace(single, render_single(single, context(single)))
        self.document[SHOWN] = Shown(frozenset(page.kinds_shown), frozenset(page.tags_shown))


def render_view(view: collection_node, context: RenderContext) -> nodes.Element:
    kind = view["kind"]
    if kind in OTHER_VIEWS:
        return OTHER_VIEWS[kind](view, context)
    component = COMPONENTS[kind]
    context.page.kinds_shown.add(kind)
    declared: list[Entry] = []
    for child in view.children:
        if not isinstance(child, entry_node):
            continue
        record = context.domain.record(context.where, child["key"])
        if isinstance(record, Entry):
            declared.append(record)
            context.declared[record.key] = body_of(child)
    query: Query = view["query"]
    if query.scope == "project":
        years = (
            range(query.start.start.year, query.end.end.year + 1)
            if query.start is not None and query.end is not None
            else None
        )
        shown = context.domain.entries(
            cast(type[Entry], component.record_type),
            tags=query.tags,
            partners=query.partners,
            years=years,
        )
    else:
        shown = declared

    def hidden(selected: list[Entry]) -> list[str]:
        keys = {record.key for record in selected if context.is_home(record)}
        return [record.id for record in declared if record.key not in keys]

    return render_collection(
        shown,
        query,
        component=component.css_class,
        classes=view["classes"],
        language=context.language,
        render_entry=lambda record, heading: cast(
            nodes.list_item, component.render(record, context.under(heading))
        ),
        anchors_of_hidden=hidden,
        link_heading=lambda key, text: (
            archive_xref(context, "years", str(key.year), text)
            # a page's own entries, when the archives count them
            if query.scope == "project" or context.domain.is_counted(context.where)
            else text
        ),
    )


def render_single(node: entry_node, context: RenderContext) -> nodes.Element:
    """An entry outside any collection: rendered in place, on its own."""
    record = context.domain.record(context.where, node["key"])
    if record is None:
        return nodes.container()
    context.declared[record.key] = body_of(node)
    context.page.kinds_shown.add(record.kind)
    component = COMPONENTS[record.kind]
    if not isinstance(record, Entry):
        return component.render(record, context)
    return render_collection(
        [record],
        Query(group_by="none"),
        component=component.css_class,
        classes=["sp-single", *record.classes],
        language=context.language,
        render_entry=lambda record, heading: cast(
            nodes.list_item, component.render(record, context.under(heading))
        ),
    )


def _is_placeholder(node: nodes.Node) -> bool:
    return isinstance(node, entry_node | collection_node)


def body_of(node: entry_node) -> nodes.Element:
    body = node.children[0] if node.children else nodes.container(classes=["sp-body"])
    return cast(nodes.Element, body)


def setup_views(app: Sphinx) -> None:
    app.add_post_transform(RenderEntries)
