"""The anchors of entries in the output: never a partner's, unique on every page.

An entry takes its anchor when its page is read: its ``:id:``, or one made
from its words and date, unique on that page. Two things are known only once
every page is read: the partners, whose headings in the partner index carry
anchors of their own (``partner-japan``), and, for the single-page build,
which entries end up on the same page (all of them). So before pages are
written, an entry whose anchor is a partner's, or in ``singlehtml`` one that
an entry before it in reading order has, takes the next free one
(``partner-japan-2``, ``visit-2022-06-2``). Links, feeds and the export use
that anchor; roles naming the ``:id:`` as written still find the entry.
"""

from __future__ import annotations

from typing import cast

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from .diagnostics import quoted, warn
from .domain import DOMAIN, PartnershipsDomain, partner_anchor
from .entries import Entry

#: the builders that put every page on one
SINGLE_PAGE_BUILDERS = frozenset({"singlehtml"})


def reserved_anchors(domain: PartnershipsDomain) -> dict[str, str]:
    """The anchors the extension gives to headings, by the partner they name:
    those of the partner index, when the project has one."""
    if domain.partner_home() is None:
        return {}
    return {partner_anchor(name): name for name in domain.partners()}


def next_free(anchor: str, taken: set[str]) -> str:
    number = 2
    while f"{anchor}-{number}" in taken:
        number += 1
    return f"{anchor}-{number}"


def assign_anchors(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every entry's anchor for this build; the pages whose entries' anchors
    changed since the last build, and those that link to them, to write again."""
    domain = cast(PartnershipsDomain, env.get_domain(DOMAIN))
    reserved = reserved_anchors(domain)
    single_page = app.builder.name in SINGLE_PAGE_BUILDERS
    order = domain._toctree_order()
    records = domain.data["records"]
    pages = sorted(records, key=lambda docname: (order.get(docname, len(order)), docname))
    entries = {
        docname: [record for record in records[docname] if isinstance(record, Entry)]
        for docname in pages
    }
    for listed in entries.values():
        for entry in listed:
            entry.page_id = entry.page_id or entry.id
    everywhere = set(reserved).union(
        *({entry.page_id for entry in listed} for listed in entries.values())
    )
    on_the_single_page: set[str] = set(reserved)
    changed: set[str] = set()
    for docname, listed in entries.items():
        if single_page:
            taken, known = on_the_single_page, everywhere
        else:
            taken, known = set(reserved), set(reserved) | {entry.page_id for entry in listed}
        for entry in listed:
            anchor = entry.page_id
            if anchor in taken:
                anchor = next_free(anchor, known | taken)
                if entry.explicit_id and entry.page_id in reserved:
                    warn(
                        "anchor-partner",
                        entry.location,
                        subject=f"{entry.kind} {'entry' if entry.datafile else 'directive'}",
                        value=quoted(entry.page_id),
                        partner=quoted(reserved[entry.page_id]),
                        anchor=quoted(anchor),
                    )
            taken.add(anchor)
            if anchor != entry.id:
                entry.id = anchor
                changed.add(docname)
    if not changed:
        return []
    domain.forget_derived()
    # the pages that show these entries elsewhere link to their anchors
    changed.update(domain.data["views"], domain.data["partner_index"])
    return sorted(changed)


def setup_anchors(app: Sphinx) -> None:
    # after the archive pages are made (500): they are among the pages that show entries
    app.connect("env-updated", assign_anchors, priority=600)
