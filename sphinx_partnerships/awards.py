"""Award lists: the ``award`` and ``award-list`` directives."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .collection import QUERY_OPTIONS
from .directives import CollectionDirective, EntryDirective, option_spec
from .entries import AWARD_FIELDS, Award
from .links import link_node
from .nodes import visually_hidden
from .rendering import (
    LabelledList,
    RenderContext,
    date_paragraph,
    details_paragraph,
    new_item,
    origin_paragraph,
    tag_list,
)
from .translation import _
from .views import Component, register_component


def render_award(award: Award, context: RenderContext) -> nodes.list_item:
    body, anchored = context.body(award, award.id)
    item = new_item(award, "sp-award", anchored)
    name = nodes.strong("", context.words(award, award.name))
    title = nodes.paragraph(classes=["sp-award-name"])
    title += (
        link_node(
            award.link,
            [name],
            docname=context.where,
            origin=award.docname,
            location=(award.source_path, award.lineno),
        )
        if award.link is not None
        else name
    )
    item += title
    if award.organizer:
        # the awarding body, as the name's subtitle; its label for screen readers
        subtitle = nodes.paragraph(classes=["sp-organizer"])
        subtitle += visually_hidden.of(_("Organizer") + ": ")
        subtitle += nodes.inline("", context.words(award, award.organizer), classes=["sp-value"])
        item += subtitle
    item += date_paragraph(award, context)
    for part in (
        body if body.children else None,
        details_paragraph(
            context,
            LabelledList(
                "sp-recipients",
                _("Recipients"),
                [(context.words(award, recipient), None) for recipient in award.recipients],
            )
            if award.recipients
            else None,
            tag_list(award, context),
        ),
        origin_paragraph(award, context),
    ):
        if part is not None:
            item += part
    return item


class AwardDirective(EntryDirective):
    option_spec = option_spec("date", "organizer", "recipients", "link", "tags", "id", "class")
    record_type = Award
    fields = AWARD_FIELDS
    argument_field = "name"


class AwardListDirective(CollectionDirective):
    option_spec = option_spec(
        "source", "class", *(name for name in QUERY_OPTIONS if name != "partners")
    )
    record_type = Award
    fields = AWARD_FIELDS
    data_key = "awards"
    group_choices = ("year", "none")


def setup_awards(app: Sphinx) -> None:
    register_component(Award.kind, Component(Award, "sp-award-list", render_award))
    app.add_directive("award", AwardDirective)
    app.add_directive("award-list", AwardListDirective)
