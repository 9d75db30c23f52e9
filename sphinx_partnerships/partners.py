"""Partners: the ``partner`` and ``partner-index`` directives.

Every name used in ``:partners:`` is a partner; a ``partner`` directive may
describe one. The index lists them all with their activities, newest first,
and is where ``{partner}`` links land.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util.nodes import make_refnode

from .collection import date_node
from .diagnostics import warn
from .directives import PartnershipsDirective, option_spec
from .domain import DOMAIN, RECORD, PartnershipsDomain, partner_anchor
from .entries import PARTNER_FIELDS, Activity, Partner
from .links import link_node
from .nodes import collection_view, group_heading, labelled_values
from .rendering import RenderContext, body_container, short_text
from .translation import PARTNER_KINDS, _
from .views import register_view

INDEX = "partner-index"


#: the class of an activity's partner names, which link to the partner index
PARTNERS_CLASS = "sp-partners"


def link_partner_names(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Partner names in entries link to the partner index, when there is one.

    Written as plain names, they become links only once every page is read
    and the index is known; a site without an index pays nothing for it.
    """
    domain = cast(PartnershipsDomain, app.env.get_domain(DOMAIN))
    home = domain.partner_home()
    if home is None:
        return
    partners = domain.partners()

    def linked(label: str, names: Sequence[str]) -> nodes.inline:
        result = nodes.inline("", "", classes=[PARTNERS_CLASS])
        result += nodes.inline("", f"{label}: ", classes=["sp-label"])
        for index, name in enumerate(names):
            if index:
                result += nodes.Text(", ")
            value = nodes.inline("", name, classes=["sp-value"])
            result += (
                make_refnode(app.builder, docname, home, partner_anchor(name), value)
                if name in partners
                else value
            )
        return result

    for node in list(doctree.findall(labelled_values)):
        lists = node["lists"]
        if not any(css == PARTNERS_CLASS for css, _label, _values in lists):
            continue
        parts: list[nodes.Node] = []
        for labelled in lists:
            if parts:
                parts.append(nodes.Text(" "))
            css, label, values = labelled
            parts.append(
                linked(label, values) if css == PARTNERS_CLASS else labelled_values.of([labelled])
            )
        node.replace_self(parts)


class PartnerDirective(PartnershipsDirective):
    option_spec = option_spec("kind", "link", "class")

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        raw = {
            "name": self.arguments[0] if self.arguments else None,
            **{name: value for name, value in options.items() if name != "class"},
        }
        values = self.validate(raw, PARTNER_FIELDS)
        if values is None:
            return []
        category = (values.get("kind") or "").lower() or None
        if category is not None and category not in PARTNER_KINDS:
            warn(
                "field",
                f"{self.what}: :kind: must be country or organisation, not {category!r}",
                self.here,
            )
            category = None
        partner = Partner(
            name=values["name"],
            category=category,
            link=values.get("link"),
            docname=self.env.docname,
            lineno=self.lineno,
            source_path=str(self.env.doc2path(self.env.docname)),
        )
        block = nodes.container(classes=["sp-partner", *self.css_classes(options)])
        block[RECORD] = partner
        title = nodes.paragraph(classes=["sp-partner-name"])
        title += nodes.strong("", partner.name)
        if category:
            title += nodes.Text(f" ({PARTNER_KINDS[category]})")
        block += title
        block += nodes.container("", *self.parse_body(), classes=["sp-body"])
        if partner.link is not None:
            more = nodes.paragraph(classes=["sp-more"])
            more += link_node(
                partner.link,
                [nodes.Text(partner.link.target)],
                docname=self.env.docname,
                location=(partner.source_path, self.lineno),
            )
            block += more
        return [block]


class PartnerIndexDirective(PartnershipsDirective):
    option_spec = option_spec("class")
    optional_arguments = 0
    has_content = False

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        view = collection_view("", kind=INDEX)
        view["classes"] = self.css_classes(options)
        return [view]


def render_partner_index(
    domain: PartnershipsDomain, view: collection_view, context: RenderContext
) -> nodes.Element:
    root = nodes.container(classes=["sp-collection", "sp-partner-index", *view["classes"]])
    activities = sorted(
        (cast(Activity, entry) for entry in domain.entries(Activity)),
        key=lambda entry: entry.date.start,
        reverse=True,
    )
    partners = domain.partners()
    for name in sorted(partners, key=str.casefold):
        heading = group_heading("", name, classes=["sp-group-heading"], ids=[partner_anchor(name)])
        root += heading
        described = partners[name]
        if described is not None:
            root += body_container(described, context)
        listing = nodes.enumerated_list(classes=["sp-entries"], enumtype="arabic")
        for activity in activities:
            if name not in activity.partners:
                continue
            item = nodes.list_item(classes=["sp-entry", "sp-activity"])
            line = nodes.paragraph()
            line += date_node(activity.date, context.language)
            line += nodes.Text(" — ")
            line += _entry_reference(activity, short_text(activity, 16), context)
            item += line
            listing += item
        if listing.children:
            root += listing
    if not partners:
        root += nodes.paragraph("", _("No partners yet."), classes=["sp-empty"])
    return root


def _entry_reference(activity: Activity, text: str, context: RenderContext) -> nodes.Node:
    return addnodes.pending_xref(
        "",
        nodes.inline("", text),
        refdomain=DOMAIN,
        reftype="activity",
        reftarget=activity.id,
        refexplicit=True,
        refdoc=context.docname,
    )


def setup_partners(app: Sphinx) -> None:
    register_view(INDEX, render_partner_index)
    app.connect("doctree-resolved", link_partner_names)
    app.add_directive("partner", PartnerDirective)
    app.add_directive("partner-index", PartnerIndexDirective)
