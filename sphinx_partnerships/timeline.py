"""Activity timelines: the ``activity`` and ``timeline`` directives."""

from __future__ import annotations

from typing import cast

from docutils import nodes
from sphinx.application import Sphinx

from .collection import QUERY_OPTIONS
from .directives import CollectionDirective, EntryDirective, option_spec
from .entries import ACTIVITY_FIELDS, Activity, Entry
from .partners import PARTNERS_CLASS
from .rendering import (
    RenderContext,
    body_container,
    details_paragraph,
    entry_item,
    meta_paragraph,
    more_link,
    origin_paragraph,
    short_text,
)
from .translation import _
from .views import Component, register_component


def render_activity(entry: Entry, context: RenderContext) -> nodes.list_item:
    activity = cast(Activity, entry)
    item = entry_item(activity, "sp-activity", context)
    item += meta_paragraph(activity, context)
    item += body_container(activity, context)
    details = details_paragraph(
        (PARTNERS_CLASS, _("Partners"), activity.partners),
        ("sp-tags", _("Tags"), activity.tags),
    )
    for part in (
        details,
        more_link(activity, short_text(activity)),
        origin_paragraph(activity, context),
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
