"""Award lists: the ``award`` and ``award-list`` directives."""

from __future__ import annotations

from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx

from .collection import QUERY_OPTIONS, Query
from .directives import PartnershipsDirective, option_spec
from .entries import AWARD_FIELDS, Award, Entry, derived_id
from .links import link_node
from .nodes import pending_entry
from .rendering import (
    RenderContext,
    _,
    body_container,
    details_paragraph,
    entry_item,
    labelled,
    meta_paragraph,
    origin_paragraph,
)
from .timeline import CollectionDirective
from .views import Component, register_component, render_entries

KIND = "award"
CSS_CLASS = "sp-award-list"


def render_award(entry: Entry, context: RenderContext) -> nodes.list_item:
    award = cast(Award, entry)
    item = entry_item(award, "sp-award", context)
    title = nodes.paragraph(classes=["sp-award-name"])
    name = nodes.strong("", award.name)
    title += (
        link_node(award.link, [name], docname=award.docname,
                  location=(award.source_path, award.lineno))
        if award.link is not None else name
    )
    item += title
    meta = meta_paragraph(award, context)
    if award.organizer:
        meta += nodes.Text(" · ")
        meta += labelled(_("Organizer"), [award.organizer], "sp-organizer")
    item += meta
    recipients = details_paragraph(
        labelled(_("Recipients"), award.recipients, "sp-recipients") if award.recipients else None,
        labelled(_("Tags"), award.tags, "sp-tags") if award.tags else None,
    )
    if recipients is not None:
        item += recipients
    if award.body is not None and award.body.children:
        item += body_container(award)
    origin = origin_paragraph(award, context)
    if origin is not None:
        item += origin
    return item


def make_award(
    directive: PartnershipsDirective, values: dict[str, Any], line: int, *,
    text_nodes: list[nodes.Node], source_path: str, datafile: str | None,
) -> Award:
    body = nodes.container()
    body.extend(text_nodes)
    return Award(
        id=values.get("id") or derived_id(values["name"]),
        explicit_id="id" in values,
        name=values["name"],
        date=values["date"],
        organizer=values.get("organizer"),
        recipients=values.get("recipients", ()),
        tags=values.get("tags", ()),
        link=values.get("link"),
        text=values.get("text"),
        docname=directive.env.docname,
        lineno=line,
        datafile=datafile,
        source_path=source_path,
        sequence=directive.next_sequence(),
        body=body,
    )


class AwardListDirective(CollectionDirective):
    option_spec = option_spec(  # type: ignore[assignment]
        "source", "class", *(name for name in QUERY_OPTIONS if name != "partners")
    )
    optional_arguments = 0
    kind = KIND
    css_class = CSS_CLASS
    data_key = "awards"
    group_choices = ("year", "none")

    def data_entries(self) -> list[Entry]:
        loaded = self.load_source(self.data_key)
        if loaded is None:
            return []
        data, display, relative = loaded
        return [
            make_award(
                self, values, line,
                text_nodes=self.parse_data_text(values["text"]) if values.get("text") else [],
                source_path=display, datafile=relative,
            )
            for values, line in self.validate_data_entries(data, display, AWARD_FIELDS, "award")
        ]


class AwardDirective(PartnershipsDirective):
    option_spec = option_spec(  # type: ignore[assignment]
        "date", "organizer", "recipients", "link", "tags", "id", "class"
    )

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        values = self.validate(
            {
                "name": self.arguments[0] if self.arguments else None,
                **{name: value for name, value in options.items() if name != "class"},
            },
            AWARD_FIELDS,
        )
        if values is None:
            return []
        award = make_award(
            self, values, self.lineno, text_nodes=self.parse_body(),
            source_path=str(self.env.doc2path(self.env.docname)), datafile=None,
        )
        if self.collected_by_parent(KIND):
            return [pending_entry("", entry=award)]
        context = RenderContext(self.env.docname, self.config.partnerships_language
                                or self.config.language)
        classes = ["sp-single", *self.css_classes(options)]
        return [render_entries(KIND, [award], Query(group_by="none"), classes, context)]


def setup_awards(app: Sphinx) -> None:
    register_component(KIND, Component(Award, CSS_CLASS, render_award))
    app.add_directive("award", AwardDirective)
    app.add_directive("award-list", AwardListDirective)
