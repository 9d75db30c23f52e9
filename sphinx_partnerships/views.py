"""Project-wide views: placeholders filled once every page has been read.

A ``:scope: project`` collection can only be completed after all pages are
read, so it is written as a :class:`collection_view` and rendered when its page
is resolved, from the records in the domain.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from docutils import nodes
from docutils.utils import new_document
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri

from .collection import Query, render_collection
from .domain import DOMAIN, PartnershipsDomain
from .entries import Entry
from .nodes import collection_view
from .rendering import RenderContext
from .translation import _


@dataclass(frozen=True)
class Component:
    """How one kind of entry is rendered inside a collection."""

    record_type: type[Entry]
    css_class: str
    render_entry: Callable[[Entry, RenderContext], nodes.list_item]


COMPONENTS: dict[str, Component] = {}

ViewRenderer = Callable[[PartnershipsDomain, collection_view, RenderContext], nodes.Element]
#: views that are not a collection of one kind (the partner index)
OTHER_VIEWS: dict[str, ViewRenderer] = {}


def register_component(kind: str, component: Component) -> None:
    COMPONENTS[kind] = component


def register_view(kind: str, renderer: ViewRenderer) -> None:
    OTHER_VIEWS[kind] = renderer


def make_view(kind: str, query: Query, classes: list[str], local: nodes.Element) -> collection_view:
    """A placeholder; ``local`` holds this page's own entries until it is filled."""
    view = collection_view("", local, kind=kind, query=query)
    view["classes"] = classes
    return view


def render_entries(
    kind: str,
    entries: list[Entry],
    query: Query,
    classes: list[str],
    context: RenderContext,
) -> nodes.container:
    component = COMPONENTS[kind]
    return render_collection(
        entries,
        query,
        component=component.css_class,
        classes=classes,
        language=context.language,
        render_entry=lambda entry: component.render_entry(entry, context),
    )


def fill_views(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    views = list(doctree.findall(collection_view))
    if not views:
        return
    domain = cast(PartnershipsDomain, app.env.get_domain(DOMAIN))
    context = RenderContext(
        docname=docname,
        language=app.config.partnerships_language or app.config.language,
        origin_link=_origin_linker(app, docname),
    )
    for view in views:
        kind = view["kind"]
        rendered: nodes.Element
        if kind in COMPONENTS:
            entries = domain.entries(COMPONENTS[kind].record_type)
            rendered = render_entries(kind, entries, view["query"], view["classes"], context)
        else:
            rendered = OTHER_VIEWS[kind](domain, view, context)
        _resolve_references(app, rendered, doctree, docname)
        view.replace_self(rendered)


def _origin_linker(app: Sphinx, docname: str) -> Callable[[Entry], nodes.Node | None]:
    env = app.env

    def link(entry: Entry) -> nodes.Node | None:
        try:
            uri = app.builder.get_relative_uri(docname, entry.docname)
        except NoUri:
            return None
        title = env.titles.get(entry.docname)
        label = title.astext() if title is not None else entry.docname
        reference = nodes.reference("", "", refuri=f"{uri}#{entry.id}", internal=True)
        reference += nodes.Text(label)
        return nodes.inline(
            "", "", nodes.Text(_("From") + " "), reference, classes=["sp-origin-link"]
        )

    return link


def _resolve_references(
    app: Sphinx, rendered: nodes.Element, doctree: nodes.document, docname: str
) -> None:
    """Resolve the cross-references inside a late view, as a page of its own."""
    holder = new_document(doctree.get("source", ""), doctree.settings)
    holder += rendered
    app.env.resolve_references(holder, docname, app.builder)
    holder.remove(rendered)


def note_changes(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Unchanged pages that show or link to changed records are written again."""
    domain = cast(PartnershipsDomain, env.get_domain(DOMAIN))
    return domain.pages_to_rewrite()
