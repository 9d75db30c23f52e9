"""The project-wide store of entries, their cross-references and inventory.

Entries are collected from each page once it has been read and transformed,
as plain records per document: parallel readers merge them per document,
and a page that is read again replaces its own records only.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from collections.abc import Iterable, Iterator
from dataclasses import replace
from fnmatch import fnmatch
from typing import Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.addnodes import pending_xref
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import docname_join
from sphinx.util.nodes import make_refnode
from sphinx.util.typing import RoleFunction

from .diagnostics import warn
from .entries import Activity, Award, Entry, Partner
from .nodes import card, collection_view

DOMAIN = "partnerships"
RECORD = "sp_record"
BODY_CLASS = "sp-body"
#: the explicit ``:id:`` of a card, on its figure
CARD_ID = "sp_card_id"
#: what the domain keeps per page besides its records
_PER_DOC = ("views", "partner_index", "card_ids", "xref_docs")


class EntryRole(XRefRole):
    """``{activity}`id```, ``{award}`id``` and ``{partner}`Name```.

    Registered with and without the ``partnerships:`` prefix; both resolve
    in this domain.
    """

    innernodeclass = nodes.inline

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = DOMAIN, self.name.rpartition(":")[2]
        self.classes = ["xref", DOMAIN, f"{DOMAIN}-{self.reftype}"]
        return self.create_xref_node()

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: nodes.Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        if self.reftype != "partner":
            target = nodes.make_id(target)
        return title, target


class PartnershipsDomain(Domain):
    name = DOMAIN
    label = "Partnerships"
    object_types = {  # noqa: RUF012 (Domain API)
        "activity": ObjType("activity", "activity"),
        "award": ObjType("award", "award"),
        "partner": ObjType("partner", "partner"),
    }
    roles: ClassVar[dict[str, RoleFunction | XRefRole]] = {
        "activity": EntryRole(),
        "award": EntryRole(),
        "partner": EntryRole(),
    }
    initial_data: ClassVar[dict[str, Any]] = {
        "entries": {},  # docname -> [Entry]
        "views": {},  # docname -> True when it shows a project-wide view
        "partner_index": {},  # docname -> True when it holds a partner index
        "card_ids": {},  # docname -> [(explicit card id, source path, line)]
        "xref_docs": {},  # docname -> True when it cross-references entries or partners
        "changed": False,  # entries changed since views were last written
        "linked_home": None,  # the partner index partner names last linked to
        "targets": "",  # fingerprint of the entry ids and partners links last saw
    }

    @property
    def entries_by_doc(self) -> dict[str, list[Any]]:
        """docname -> the records (entries and partners) it declares."""
        return cast(dict[str, list[Any]], self.data["entries"])

    @property
    def view_docs(self) -> dict[str, bool]:
        return cast(dict[str, bool], self.data["views"])

    # -- collecting ---------------------------------------------------------------

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        collected: list[Entry | Partner] = []
        card_ids: list[tuple[str, str | None, int | None]] = []
        for node in document.findall(nodes.Element):
            record = node.attributes.pop(RECORD, None)
            if isinstance(record, Entry | Partner):
                body = _body_of(node)
                summary = body.astext() if body is not None else ""
                # The record leaves the page's doctree for the environment, and
                # holds no nodes: a view on another page unpickles the body it
                # shows from these few bytes, instead of the page's whole doctree.
                light = replace(record, body=None, summary=summary, stored_body=stored(body))
                if isinstance(light, Entry):
                    light.text = None
                collected.append(light)
            elif isinstance(node, addnodes.toctree):
                # the reading order of pages, which orders ties in views, may change
                self.data["changed"] = True
            elif isinstance(node, collection_view):
                key = "partner_index" if node["kind"] == "partner-index" else "views"
                self.data[key][docname] = True
            elif isinstance(node, card) and node.get(CARD_ID):
                card_ids.append((node[CARD_ID], node.source, node.line))
            elif isinstance(node, addnodes.pending_xref) and _may_target_a_record(env, node):
                self.data["xref_docs"][docname] = True
        if collected:
            self.entries_by_doc[docname] = collected
            self.data["changed"] = True
            self._forget_derived()
        if card_ids:
            self.data["card_ids"][docname] = card_ids

    def clear_doc(self, docname: str) -> None:
        if self.entries_by_doc.pop(docname, None):
            self.data["changed"] = True
            self._forget_derived()
        for key in _PER_DOC:
            self.data[key].pop(docname, None)

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["entries"]:
                self.entries_by_doc[docname] = otherdata["entries"][docname]
                self.data["changed"] = True
                self._forget_derived()
            for key in _PER_DOC:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
            # a toctree read by a worker may change the reading order
            self.data["changed"] = self.data["changed"] or otherdata["changed"]

    def pages_to_rewrite(self) -> list[str]:
        """Pages whose output depends on other pages' records, when those changed.

        Project-wide views and the partner index show other pages' entries;
        cross-references point at them; partner names link to the partner
        index only while there is one.
        """
        pages: set[str] = set()
        if self.data["changed"]:
            self.data["changed"] = False
            pages.update(self.view_docs, self.data["partner_index"])
            targets = self._targets_fingerprint()
            if targets != self.data["targets"]:
                self.data["targets"] = targets
                pages.update(self.data["xref_docs"])
        home = self.partner_home()
        if home != self.data["linked_home"]:
            self.data["linked_home"] = home
            pages.update(self.entries_by_doc)
        return sorted(pages)

    def _targets_fingerprint(self) -> str:
        """What cross-references can land on: entry ids and pages, partners."""
        targets = sorted(
            (entry.kind, entry.id, entry.docname)
            for records in self.entries_by_doc.values()
            for entry in records
            if isinstance(entry, Entry)
        )
        partners = sorted(self.partners())
        return hashlib.sha256(repr((targets, partners)).encode()).hexdigest()

    # -- querying -----------------------------------------------------------------

    def entries(self, kind: type[Entry]) -> list[Entry]:
        """Every entry of a kind, once each, in a stable project order.

        A data file that several pages load declares its entries once: the
        first page (by name) that renders them is their home. Pages matching
        ``partnerships_project_exclude`` do not count.
        """
        seen: set[tuple[str, int | None]] = set()
        found: list[Entry] = []
        for docname in self._counted_docs():
            for entry in self.entries_by_doc[docname]:
                if type(entry) is not kind:
                    continue
                origin = (entry.datafile or entry.docname, entry.lineno)
                if origin in seen:
                    continue
                seen.add(origin)
                found.append(entry)
        return found

    def _counted_docs(self) -> list[str]:
        """Pages whose records project-wide views show, in reading order.

        Reading order is the order of the table of contents, from the root
        document down (pages outside it follow by name), so that entries of
        the same date keep the order a reader meets them in.
        """
        excluded = self.env.config.partnerships_project_exclude
        order = self._toctree_order()
        return sorted(
            (
                docname
                for docname in self.entries_by_doc
                if not any(fnmatch(docname, pattern) for pattern in excluded)
            ),
            key=lambda docname: (order.get(docname, len(order)), docname),
        )

    def _toctree_order(self) -> dict[str, int]:
        order: dict[str, int] = {}
        pending = [self.env.config.root_doc]
        while pending:
            docname = pending.pop()
            if docname in order:
                continue
            order[docname] = len(order)
            pending.extend(reversed(self.env.toctree_includes.get(docname, [])))
        return order

    def find(self, kind: str, anchor: str) -> Entry | None:
        for docname in sorted(self.entries_by_doc):
            for entry in self.entries_by_doc[docname]:
                if isinstance(entry, Entry) and entry.kind == kind and entry.id == anchor:
                    return entry
        return None

    def partners(self) -> dict[str, Partner | None]:
        """Every partner name (used in ``:partners:`` or described), with its
        description where a ``partner`` directive gives one."""
        cached: dict[str, Partner | None] | None = getattr(self, "_partners", None)
        if cached is not None:
            return cached
        found: dict[str, Partner | None] = {}
        for entry in self.entries(Activity):
            for name in cast(Activity, entry).partners:
                found.setdefault(name, None)
        for docname in self._counted_docs():
            for record in self.entries_by_doc[docname]:
                if isinstance(record, Partner) and found.get(record.name) is None:
                    found[record.name] = record
        self._partners: dict[str, Partner | None] | None = found
        return found

    def _forget_derived(self) -> None:
        self._partners = None

    def report_duplicates(self) -> None:
        """One ``partnerships.duplicate`` warning per id declared in two places.

        A data file that several pages load declares its entries and cards once.
        """
        places: dict[tuple[str, str], list[str]] = {}
        origins: set[tuple[str, str, int | None]] = set()

        def note(kind: str, anchor: str, origin: tuple[str, int | None], location: str) -> None:
            if (kind, *origin) not in origins:
                origins.add((kind, *origin))
                places.setdefault((kind, anchor), []).append(location)

        for docname in sorted(self.entries_by_doc):
            for entry in self.entries_by_doc[docname]:
                if isinstance(entry, Entry) and entry.explicit_id:
                    origin = (entry.datafile or entry.docname, entry.lineno)
                    note(entry.kind, entry.id, origin, entry.location)
        for docname in sorted(self.data["card_ids"]):
            for anchor, path, line in self.data["card_ids"][docname]:
                note("card", anchor, (path, line), f"{path}:{line}")
        for (kind, anchor), locations in places.items():
            if len(locations) < 2:
                continue
            first, *others = locations
            warn(
                "duplicate",
                f"{kind} id {anchor!r} is declared twice: here and at {', '.join(others)}",
                first,
            )

    # -- cross-references -----------------------------------------------------------

    def resolve_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        typ: str,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        resolved: nodes.reference | None
        if typ == "link":
            resolved = self._resolve_link(env, fromdocname, builder, target, node, contnode)
        elif typ == "partner":
            resolved = self._resolve_partner(fromdocname, builder, target, contnode)
        else:
            entry = self.find(typ, target)
            resolved = (
                make_refnode(builder, fromdocname, entry.docname, entry.id, contnode, entry.id)
                if entry
                else None
            )
        if resolved is None:
            noun = "link target" if typ == "link" else f"{typ}"
            warn("link", f"{noun} {target!r} does not exist", node)
            return cast(nodes.reference, contnode)
        return resolved

    def _resolve_link(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        origin = node.get("sp_origin", fromdocname)
        docname, anchor = _linked_page(origin, target)
        if docname in env.all_docs:
            return make_refnode(builder, fromdocname, docname, anchor, contnode)
        std = env.get_domain("std")
        labels: dict[str, tuple[str, str, str]] = std.data["labels"]
        anonlabels: dict[str, tuple[str, str]] = std.data["anonlabels"]
        if target in labels or target in anonlabels:
            label_doc, label_id = anonlabels[target][:2]
            return make_refnode(builder, fromdocname, label_doc, label_id, contnode)
        for kind in ("activity", "award"):
            entry = self.find(kind, nodes.make_id(target))
            if entry is not None:
                return make_refnode(builder, fromdocname, entry.docname, entry.id, contnode)
        return None

    def _resolve_partner(
        self, fromdocname: str, builder: Builder, target: str, contnode: nodes.Element
    ) -> nodes.reference | None:
        home = self.partner_home()
        if target not in self.partners() or home is None:
            return None
        return make_refnode(builder, fromdocname, home, partner_anchor(target), contnode)

    def partner_home(self) -> str | None:
        homes = sorted(self.data["partner_index"])
        return homes[0] if homes else None

    def resolve_any_xref(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> list[tuple[str, nodes.reference]]:
        results = []
        for kind in ("activity", "award"):
            entry = self.find(kind, nodes.make_id(target))
            if entry is not None:
                ref = make_refnode(builder, fromdocname, entry.docname, entry.id, contnode)
                results.append((f"{DOMAIN}:{kind}", ref))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for kind in (Activity, Award):
            for entry in self.entries(kind):
                label = entry.name if isinstance(entry, Award) else entry.id
                yield entry.id, label, entry.kind, entry.docname, entry.id, 1
        home = self.partner_home()
        if home is not None:
            for name in self.partners():
                yield name, name, "partner", home, partner_anchor(name), 1


def _linked_page(origin: str, target: str) -> tuple[str | None, str]:
    """The page (and anchor) a link target names, if it names one."""
    page, _, anchor = target.partition("#")
    if not page:
        return None, anchor
    return docname_join(origin, page.removesuffix(".md").removesuffix(".rst")), anchor


def _may_target_a_record(env: BuildEnvironment, xref: addnodes.pending_xref) -> bool:
    """Whether a cross-reference may land on an entry or partner: a role, or a
    link that names no page (it may name an entry's id)."""
    if xref.get("refdomain") != DOMAIN:
        return False
    if xref.get("reftype") != "link":
        return True
    origin = xref.get("sp_origin") or env.docname
    docname, _anchor = _linked_page(origin, xref.get("reftarget", ""))
    return docname not in env.found_docs


def _body_of(node: nodes.Element) -> nodes.Element | None:
    return next(
        (
            child
            for child in node.children
            if isinstance(child, nodes.Element) and BODY_CLASS in child["classes"]
        ),
        None,
    )


class _BodyPickler(pickle.Pickler):
    """Pickles a body and what it holds, but not the page around it."""

    def __init__(self, file: io.BytesIO, body: nodes.Element) -> None:
        super().__init__(file, pickle.HIGHEST_PROTOCOL)
        self.outside = {id(node) for node in (body.parent, body.document) if node is not None}

    def persistent_id(self, obj: object) -> str | None:
        return "outside" if id(obj) in self.outside else None


class _BodyUnpickler(pickle.Unpickler):
    def persistent_load(self, pid: object) -> None:
        return None


def stored(body: nodes.Element | None) -> bytes | None:
    """A parsed body as bytes, without its page: the environment stays small
    and quick to save, and a view gets a fresh copy each time it loads one."""
    if body is None or not body.children:
        return None
    buffer = io.BytesIO()
    _BodyPickler(buffer, body).dump(body)
    return buffer.getvalue()


def restored(data: bytes) -> nodes.Element:
    return cast(nodes.Element, _BodyUnpickler(io.BytesIO(data)).load())


def partner_anchor(name: str) -> str:
    return "partner-" + nodes.make_id(name)
