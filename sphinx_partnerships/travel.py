"""Entry bodies that are shown on pages other than their own.

A body is parsed once, on its page. :func:`pack` keeps a detached copy of it
once the page is read (footnotes it refers to included, since MyST puts their
text at the end of the page); :func:`unpack` gives a view a fresh copy that
works on the page showing it: ids renamed so that none repeats there, links
to anchors of the entry's own page pointing to that page, footnotes numbered
after the page's own, and cross-references resolved from the showing page.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass, field
from typing import cast

from docutils import nodes
from sphinx import addnodes
from sphinx.builders import Builder
from sphinx.errors import NoUri
from sphinx.util import docname_join

#: marks cross-references inside a copy
COPIED = "sp_copied"


def pack(body: nodes.Element, document: nodes.document) -> bytes:
    """A detached copy of ``body`` with the footnotes it cites from elsewhere,
    pickled: thousands of bodies weigh little in the environment, and each
    view that shows one unpickles a fresh copy of its own."""
    packed = body.deepcopy()
    inside = {id_ for node in body.findall(nodes.Element) for id_ in node["ids"]}
    for reference in body.findall(nodes.footnote_reference):
        refid = reference.get("refid")
        footnote = document.ids.get(refid) if refid else None
        if isinstance(footnote, nodes.footnote) and refid not in inside:
            packed += footnote.deepcopy()
            inside.update(footnote["ids"])
    for message in list(packed.findall(nodes.system_message)):
        message.parent.remove(message)
    for node in packed.findall():
        # a copy still names the page it came from: pickling it would store
        # the whole page with it
        node.document = None  # type: ignore[assignment]
    return pickle.dumps(packed, pickle.HIGHEST_PROTOCOL)


@dataclass
class ShowingPage:
    """What copies placed on one page must not clash with: its ids and its
    footnote numbers, read from the page when the first copy is placed."""

    document: nodes.document
    builder: Builder
    #: copies already placed per entry id, so the same entry shown twice differs
    shown: dict[str, int] = field(default_factory=dict)
    #: the kinds of entry (``activity``, ``award``) whose collections the page shows
    kinds_shown: set[str] = field(default_factory=set)
    #: the tags of the entries the page shows in its collections
    tags_shown: set[str] = field(default_factory=set)
    _used_ids: set[str] | None = None
    _footnote_number: int = 0
    _page_addresses: dict[tuple[str, str], str | None] = field(default_factory=dict)

    def address(self, where: str, target: str, anchor: str = "") -> str | None:
        """The address of ``target`` (and ``anchor`` on it) from the page
        ``where``, as a reference made by Sphinx's ``make_refnode`` gives it;
        ``#anchor`` on the page itself; ``None`` in a builder that writes no
        page to link to. A page links to a few archive pages thousands of
        times, so each page's address is worked out once."""
        if target == where:
            return f"#{anchor}" if anchor else None
        key = (where, target)
        if key not in self._page_addresses:
            try:
                self._page_addresses[key] = self.builder.get_relative_uri(where, target)
            except NoUri:
                self._page_addresses[key] = None
        page = self._page_addresses[key]
        if page is None:
            return None
        return f"{page}#{anchor}" if anchor else page

    @property
    def used_ids(self) -> set[str]:
        return self._scanned()

    def next_footnote_number(self) -> int:
        self._scanned()
        self._footnote_number += 1
        return self._footnote_number

    def _scanned(self) -> set[str]:
        """The page's ids, and its highest footnote number, read once: most
        pages show only their own entries and never need this walk."""
        if self._used_ids is None:
            self._used_ids = set()
            for node in self.document.findall(nodes.Element):
                self._used_ids.update(node["ids"])
                label = node.children[0] if isinstance(node, nodes.footnote) else None
                if isinstance(label, nodes.label) and label.astext().isdigit():
                    self._footnote_number = max(self._footnote_number, int(label.astext()))
        return self._used_ids

    def unique(self, wanted: str) -> str:
        candidate, number = wanted, 1
        while candidate in self.used_ids:
            number += 1
            candidate = f"{wanted}-{number}"
        self.used_ids.add(candidate)
        return candidate


def unpack(
    packed: bytes, *, home: str, where: str, anchor: str, page: ShowingPage
) -> nodes.Element:
    """A copy of a packed body for the page ``where``; ``home`` is the entry's page."""
    body = cast(nodes.Element, pickle.loads(packed))
    copy_number = page.shown.get(anchor, 0) + 1
    page.shown[anchor] = copy_number
    prefix = anchor if copy_number == 1 else f"{anchor}-{copy_number}"
    renamed = {
        old: page.unique(f"{prefix}-{old}")
        for node in body.findall(nodes.Element)
        for old in node["ids"]
    }
    for node in list(body.findall(nodes.Element)):
        node["ids"] = [renamed[old] for old in node["ids"]]
        if "backrefs" in node:
            node["backrefs"] = [renamed[old] for old in node["backrefs"] if old in renamed]
        refid = node.get("refid")
        if refid is not None:
            if refid in renamed:
                node["refid"] = renamed[refid]
            else:
                _point_home(node, home, where, page.builder)
        if isinstance(node, addnodes.pending_xref):
            _resolve_from(node, where)
            # a target it misses is reported once, where the entry is declared
            node[COPIED] = True
    _renumber_footnotes(body, page)
    return body


def _point_home(node: nodes.Element, home: str, where: str, builder: Builder) -> None:
    """A link to an anchor of the entry's own page, from the showing page."""
    refid = node.attributes.pop("refid")
    if not isinstance(node, nodes.reference):
        return
    try:
        uri = builder.get_relative_uri(where, home)
    except NoUri:
        node.replace_self(nodes.inline("", "", *node.children))
        return
    node["refuri"] = f"{uri}#{refid}"
    node["internal"] = True


def _resolve_from(xref: addnodes.pending_xref, docname: str) -> None:
    """Sphinx writes a cross-reference relative to its ``refdoc``: the page
    showing the copy. A document path stays relative to the entry's page."""
    origin = xref.get("refdoc", docname)
    if xref.get("reftype") == "doc" and xref.get("refdomain") in ("std", ""):
        xref["reftarget"] = "/" + docname_join(origin, xref["reftarget"])
    xref["refdoc"] = docname


def _renumber_footnotes(body: nodes.Element, page: ShowingPage) -> None:
    """Numbered footnotes of a copy continue the numbering of the showing page."""
    footnotes = list(body.findall(nodes.footnote))
    references = list(body.findall(nodes.footnote_reference))
    for footnote in footnotes:
        label = footnote.children[0] if footnote.children else None
        if not isinstance(label, nodes.label) or not label.astext().isdigit():
            continue
        number = str(page.next_footnote_number())
        label.replace_self(nodes.label("", number))
        for reference in references:
            if reference.get("refid") in footnote["ids"]:
                reference[:] = [nodes.Text(number)]
