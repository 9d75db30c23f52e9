"""Activity timelines: the ``activity`` and ``timeline`` directives."""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx

from .collection import QUERY_OPTIONS
from .directives import CollectionDirective, EntryDirective, option_spec
from .entries import ACTIVITY_FIELDS, Activity
from .rendering import (
    RenderContext,
    date_paragraph,
    details_paragraph,
    more_link,
    new_item,
    origin_paragraph,
    partner_names,
    short_text,
    tag_list,
)
from .views import Component, register_component


def render_activity(activity: Activity, context: RenderContext) -> nodes.list_item:
    body, anchored = context.body(activity, activity.id)
    item = new_item(activity, "sp-activity", anchored)
    item += date_paragraph(activity, context)
    item += body
    for part in (
        details_paragraph(
            context,
            partner_names(activity, context),
            tag_list(activity, context),
        ),
        more_link(activity, short_text(activity), context),
        origin_paragraph(activity, context, named=activity.partners),
    ):
        if part is not None:
            item += part
    return item


class ActivityDirective(EntryDirective):
    option_spec = option_spec("partners", "tags", "link", "id", "class")
    record_type = Activity
    fields = ACTIVITY_FIELDS
    argument_field = "date"
    body_is_text = True


class TimelineDirective(CollectionDirective):
    option_spec = option_spec("source", "class", *QUERY_OPTIONS)
    record_type = Activity
    fields = ACTIVITY_FIELDS
    data_key = "activities"
    group_choices = ("month", "year", "none")


def setup_timeline(app: Sphinx) -> None:
    register_component(Activity.kind, Component(Activity, "sp-timeline", render_activity))
    app.add_directive("activity", ActivityDirective)
    app.add_directive("timeline", TimelineDirective)
