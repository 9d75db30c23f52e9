"""Partners: the ``partner`` and ``partner-index`` directives.

Every name used in ``:partners:`` is a partner; a ``partner`` directive may
describe one. The index lists them all with their activities, newest first,
and is where ``{partner}`` links and the partner names of entries land.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import NoUri
from sphinx.util.nodes import make_refnode

from .collection import date_node
from .diagnostics import quoted, warn
from .directives import PartnershipsDirective, option_spec
from .domain import PARTNER_INDEX, partner_anchor
from .entries import PARTNER_FIELDS, Activity, Partner
from .links import link_node
from .nodes import collection_node, entry_list, group_heading
from .rendering import RenderContext, short_text
from .translation import PARTNER_KINDS, _
from .views import Component, register_component, register_view


class PartnerDirective(PartnershipsDirective):
    option_spec = option_spec("kind", "link", "class")

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        raw = {
            "name": self.arguments[0] if self.arguments else None,
            **{name: value for name, value in options.items() if name != "class"},
        }
        values = self.validate(raw, PARTNER_FIELDS, argument="name")
        if values is None:
            return []
        category = (values.get("kind") or "").lower() or None
        if category is not None and category not in PARTNER_KINDS:
            warn("option-kind", self.here, subject=self.what, value=quoted(category))
            category = None
        source_path, line = self.source_and_line()
        partner = Partner(
            name=values["name"],
            category=category,
            link=values.get("link"),
            classes=tuple(self.css_classes(options)),
            **self.where(line, source_path),
        )
        parsed = self.parse_body()
        lifted = self.lift_nested(parsed, "a partner")
        return [self.adopted(self.declare(partner, parsed)), *lifted]


def render_partner(partner: Partner, context: RenderContext) -> nodes.Element:
    """A partner's description, where its directive is written."""
    body, _anchored = context.body(partner, partner_anchor(partner.name))
    block = nodes.container(classes=["sp-partner", *partner.classes])
    title = nodes.paragraph(classes=["sp-partner-name"])
    title += nodes.strong("", context.words(partner, partner.name))
    if partner.category:
        title += nodes.Text(f" ({PARTNER_KINDS[partner.category]})")
    block += title
    block += body
    if partner.link is not None:
        more = nodes.paragraph(classes=["sp-more"])
        more += link_node(
            partner.link,
            [nodes.Text(partner.link.target)],
            docname=context.where,
            origin=partner.docname,
            location=(partner.source_path, partner.lineno),
        )
        block += more
    return block


class PartnerIndexDirective(PartnershipsDirective):
    option_spec = option_spec("class")
    optional_arguments = 0
    has_content = False

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        view = collection_node(
            kind=PARTNER_INDEX,
            scope="project",
            classes=self.css_classes(options),
            docname=self.env.docname,
        )
        view.source, view.line = self.source_and_line()
        return [view]


def render_partner_index(view: collection_node, context: RenderContext) -> nodes.Element:
    """Every partner, alphabetically: its description and its activities."""
    root = nodes.container(classes=["sp-collection", "sp-partner-index", *view["classes"]])
    partners = context.domain.partners()
    # only the first partner index is where partner links land
    anchored = context.domain.partner_home() == context.where
    for name in sorted(partners, key=str.casefold):
        activities = context.domain.activities_of(name)
        # the name as the page that describes the partner, or names it last, shows it
        declaring = partners[name] or (activities[0] if activities else None)
        shown = context.words(declaring, name) if declaring is not None else name
        heading = group_heading("", shown, classes=["sp-group-heading"])
        if anchored:
            heading["ids"].append(partner_anchor(name))
        root += heading
        described = partners[name]
        if described is not None:
            body, _anchored = context.body(described, partner_anchor(name))
            root += body
        listing = entry_list(classes=["sp-entries"], enumtype="arabic")
        for activity in activities:
            listing += _activity_line(activity, context)
        if listing.children:
            root += listing
    if not partners:
        root += nodes.paragraph("", _("No partners yet."), classes=["sp-empty"])
    return root


def _activity_line(activity: Activity, context: RenderContext) -> nodes.list_item:
    """ "June 2022 — Visit by …", the words linking to the activity."""
    line = nodes.paragraph()
    line += date_node(activity.date, context.language)
    line += nodes.Text(" — ")
    words = nodes.inline("", short_text(activity, 16))
    try:
        line += make_refnode(
            context.page.builder, context.where, activity.docname, activity.id, words
        )
    except NoUri:
        line += words
    return nodes.list_item("", line, classes=["sp-entry", "sp-activity"])


def setup_partners(app: Sphinx) -> None:
    register_component(Partner.kind, Component(Partner, "", render_partner))
    register_view(PARTNER_INDEX, render_partner_index)
    app.add_directive("partner", PartnerDirective)
    app.add_directive("partner-index", PartnerIndexDirective)
