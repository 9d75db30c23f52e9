"""``partnerships.json``: every entry of the project, for other programs.

The HTML builders write it at the root of the output once every page is
written, from the whole domain: a page read again, removed or excluded is
never left in it. It holds the entries project-wide views show (pages
matching ``partnerships_project_exclude`` are left out), newest first with
ties in reading order, and nothing that changes from one build to the next:
two builds of the same sources, serial or parallel, give the same bytes.
Cards are pictures on a page, not entries of the domain: they are not in it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

from sphinx.application import Sphinx
from sphinx.builders import Builder

from .domain import DOMAIN, PartnershipsDomain, partner_anchor
from .entries import Activity, Award, Entry, Partner
from .outputs import Output, register_outputs, writes
from .urls import absolute_url, link_url, page_url

FILENAME = "partnerships.json"
#: bumped when a field changes meaning or goes; new fields keep the version
SCHEMA_VERSION = 1
#: the builders of web sites; EPUB, help files and the others leave it out
BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})


def export(builder: Builder) -> dict[str, Any]:
    """The content of ``partnerships.json``."""
    domain = cast(PartnershipsDomain, builder.env.get_domain(DOMAIN))
    return {
        "schema_version": SCHEMA_VERSION,
        "project": builder.config.project,
        "activities": [_entry(builder, domain, entry) for entry in _ordered(domain, Activity)],
        "awards": [_entry(builder, domain, entry) for entry in _ordered(domain, Award)],
        "partners": _partners(builder, domain),
    }


def _ordered(domain: PartnershipsDomain, kind: type[Entry]) -> list[Entry]:
    # sorted() is stable: entries of the same date keep the project's reading order
    return sorted(domain.entries(kind), key=lambda entry: entry.date.start, reverse=True)


def _entry(builder: Builder, domain: PartnershipsDomain, entry: Entry) -> dict[str, Any]:
    fields: dict[str, Any] = {"id": entry.id, "kind": entry.kind, "date": date_value(entry)}
    if isinstance(entry, Award):
        fields.update(name=entry.name, organizer=entry.organizer)
        fields["recipients"] = list(entry.recipients)
    fields["text"] = _plain(entry.summary)
    if isinstance(entry, Activity):
        fields["partners"] = list(entry.partners)
    fields["tags"] = list(entry.tags)
    fields["link"] = _link(builder, domain, entry)
    fields["page"] = _url(builder, entry.docname, entry.id)
    return fields


def _partners(builder: Builder, domain: PartnershipsDomain) -> list[dict[str, Any]]:
    """Every partner name, alphabetically, with its description where one is
    written, and the ids of its activities, newest first."""
    found: list[dict[str, Any]] = []
    described_by = domain.partners()
    for name in sorted(described_by, key=lambda name: (name.casefold(), name)):
        described: Partner | None = described_by[name]
        page = domain.partner_page(name) or (
            (described.docname, partner_anchor(name)) if described is not None else None
        )
        found.append(
            {
                "name": name,
                "kind": Partner.kind,
                "category": described.category if described is not None else None,
                "text": _plain(described.summary) if described is not None else "",
                "link": _link(builder, domain, described) if described is not None else None,
                "page": _url(builder, *page) if page is not None else None,
                "activities": [activity.id for activity in domain.activities_of(name)],
            }
        )
    return found


def date_value(entry: Entry) -> str:
    """An ISO date at the precision it was written (``2022``, ``2022-06``,
    ``2022-06-23``), or of a range, an ISO interval (``2022-06-23/2022-06-24``)."""
    return entry.date.iso


def _plain(text: str) -> str:
    """Plain text: paragraphs apart by one blank line, no spaces around."""
    paragraphs = (
        "\n".join(line.rstrip() for line in part.splitlines()) for part in text.split("\n\n")
    )
    return "\n\n".join(part.strip() for part in paragraphs if part.strip())


def _link(builder: Builder, domain: PartnershipsDomain, record: Entry | Partner) -> str | None:
    if record.link is None:
        return None
    return link_url(builder, domain, record.link, record.docname)


def _url(builder: Builder, docname: str, anchor: str) -> str | None:
    uri = page_url(builder, docname, anchor)
    return None if uri is None else absolute_url(builder, uri)


def serialise(data: dict[str, Any]) -> str:
    """Stable text: keys in their given order, UTF-8 as written, two spaces."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_export(app: Sphinx, exception: Exception | None) -> None:
    """At the end of a successful HTML build: ``partnerships.json``, written
    only when its content changed."""
    if exception is not None or not app.config.partnerships_json_export:
        return
    if app.builder.name not in BUILDERS or not writes(app, "export", FILENAME):
        return
    path = Path(app.outdir) / FILENAME
    text = serialise(export(app.builder))
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def export_outputs(app: Sphinx) -> list[Output]:
    """The export's file, in the builds that write it."""
    if not app.config.partnerships_json_export or app.builder.name not in BUILDERS:
        return []
    return [Output("export", FILENAME, FILENAME, FILENAME, "partnerships_json_export")]


def setup_export(app: Sphinx) -> None:
    app.add_config_value(
        "partnerships_json_export",
        True,
        "",
        types=(bool,),
        description="Write partnerships.json, every entry, with the HTML builders.",
    )
    app.connect("build-finished", write_export)
    register_outputs(export_outputs)
