"""Activity timelines: the ``activity`` and ``timeline`` directives."""

from __future__ import annotations

from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx

from .collection import QUERY_OPTIONS, Query, parse_query
from .directives import PartnershipsDirective, option_spec
from .entries import ACTIVITY_FIELDS, Activity, Entry, derived_id
from .nodes import pending_entry
from .rendering import (
    RenderContext,
    _,
    body_container,
    details_paragraph,
    entry_item,
    labelled,
    meta_paragraph,
    more_link,
    origin_paragraph,
    short_text,
)
from .views import Component, make_view, register_component, render_entries

KIND = "activity"
CSS_CLASS = "sp-timeline"


def render_activity(entry: Entry, context: RenderContext) -> nodes.list_item:
    activity = cast(Activity, entry)
    item = entry_item(activity, "sp-activity", context)
    item += meta_paragraph(activity, context)
    item += body_container(activity)
    details = details_paragraph(
        labelled(_("Partners"), activity.partners, "sp-partners") if activity.partners else None,
        labelled(_("Tags"), activity.tags, "sp-tags") if activity.tags else None,
    )
    for part in (details, more_link(activity, context, short_text(activity)),
                 origin_paragraph(activity, context)):
        if part is not None:
            item += part
    return item


class CollectionDirective(PartnershipsDirective):
    """What ``timeline`` and ``award-list`` share: query, nesting, data, scope."""

    kind: str
    css_class: str
    data_key: str
    group_choices: tuple[str, ...]

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        query = parse_query(
            options, self.here, group_choices=self.group_choices,  # type: ignore[arg-type]
            what=self.what,
        )
        with self.collecting(self.kind):
            parsed = self.parse_body()
        entries: list[Entry] = list(self.data_entries())
        for node in parsed:
            for pending in list(node.findall(pending_entry)):
                entries.append(pending["entry"])
                if pending is not node:
                    node.remove(pending) if pending.parent is node else pending.parent.remove(pending)
        rest = [node for node in parsed if not isinstance(node, pending_entry)]
        context = RenderContext(self.env.docname, self.config.partnerships_language
                                or self.config.language)
        classes = self.css_classes(options)
        if query.scope == "project":
            local = render_entries(self.kind, entries, Query(group_by="none"), [], context)
            return [*rest, make_view(self.kind, query, classes, local)]
        return [*rest, render_entries(self.kind, entries, query, classes, context)]

    def data_entries(self) -> list[Entry]:
        raise NotImplementedError


class TimelineDirective(CollectionDirective):
    option_spec = option_spec("source", "class", *QUERY_OPTIONS)  # type: ignore[assignment]
    optional_arguments = 0
    kind = KIND
    css_class = CSS_CLASS
    data_key = "activities"
    group_choices = ("month", "year", "none")

    def data_entries(self) -> list[Entry]:
        loaded = self.load_source(self.data_key)
        if loaded is None:
            return []
        data, display, relative = loaded
        return [
            make_activity(self, values, line, text_nodes=self.parse_data_text(values["text"]),
                          source_path=display, datafile=relative)
            for values, line in self.validate_data_entries(data, display, ACTIVITY_FIELDS, "activity")
        ]


def make_activity(
    directive: PartnershipsDirective, values: dict[str, Any], line: int, *,
    text_nodes: list[nodes.Node], source_path: str, datafile: str | None,
) -> Activity:
    body = nodes.container()
    body.extend(text_nodes)
    return Activity(
        id=values.get("id") or derived_id(values["text"], values["date"].iso),
        explicit_id="id" in values,
        date=values["date"],
        partners=values.get("partners", ()),
        tags=values.get("tags", ()),
        link=values.get("link"),
        text=values["text"],
        docname=directive.env.docname,
        lineno=line,
        datafile=datafile,
        source_path=source_path,
        sequence=directive.next_sequence(),
        body=body,
    )


class ActivityDirective(PartnershipsDirective):
    option_spec = option_spec("partners", "tags", "link", "id", "class")  # type: ignore[assignment]

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        text = "\n".join(self.content).strip()
        values = self.validate(
            {
                "date": self.arguments[0] if self.arguments else None,
                "text": text,
                **{name: value for name, value in options.items() if name != "class"},
            },
            ACTIVITY_FIELDS,
        )
        if values is None:
            return []
        activity = make_activity(
            self, values, self.lineno, text_nodes=self.parse_body(),
            source_path=str(self.env.doc2path(self.env.docname)), datafile=None,
        )
        if self.collected_by_parent(KIND):
            return [pending_entry("", entry=activity)]
        context = RenderContext(self.env.docname, self.config.partnerships_language
                                or self.config.language)
        single = Query(group_by="none")
        classes = ["sp-single", *self.css_classes(options)]
        return [render_entries(KIND, [activity], single, classes, context)]


def setup_timeline(app: Sphinx) -> None:
    register_component(KIND, Component(Activity, CSS_CLASS, render_activity))
    app.add_directive("activity", ActivityDirective)
    app.add_directive("timeline", TimelineDirective)
