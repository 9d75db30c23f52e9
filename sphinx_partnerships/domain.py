"""The project-wide store of entries, their cross-references and inventory.

Directives note a plain record per entry while their page is read; once the
page is read, the domain keeps a detached copy of each entry's body for the
views that show it elsewhere. Everything is kept per document: parallel
readers merge per document, and a page read again replaces its own only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, ClassVar, cast

from docutils import nodes
from sphinx import addnodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.domains import Domain, ObjType
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import docname_join
from sphinx.util.nodes import make_refnode
from sphinx.util.typing import RoleFunction

from .diagnostics import HeldWarning, quoted, warn
from .entries import Activity, Award, Entry, Partner, Record
from .nodes import card, collection_node, entry_node
from .travel import COPIED, pack
from .urls import slug

DOMAIN = "partnerships"
#: the explicit ``:id:`` of a card, on its figure
CARD_ID = "sp_card_id"
PARTNER_INDEX = "partner-index"
#: what the domain keeps per page
_PER_DOC = (
    "records",
    "bodies",
    "views",
    "partner_index",
    "card_ids",
    "depends_on",
    "data_files",
    "held_warnings",
)


class EntryRole(XRefRole):
    """``{activity}`id```, ``{award}`id``` and ``{partner}`Name```.

    Registered with and without the ``partnerships:`` prefix; both resolve
    in this domain.
    """

    innernodeclass = nodes.inline

    def __init__(self) -> None:
        super().__init__(warn_dangling=True)

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        self.refdomain, self.reftype = DOMAIN, self.name.rpartition(":")[2]
        self.classes = ["xref", DOMAIN, f"{DOMAIN}-{self.reftype}"]
        if self.disabled:  # ``!first``: the text, not a link
            return self.create_non_xref_node()
        made, messages = self.create_xref_node()
        line = self._line_in_paragraph()
        for node in made:
            if isinstance(node, nodes.Element) and line is not None:
                node.line = line
        return made, messages

    def _line_in_paragraph(self) -> int | None:
        """The role's own line: a role in a paragraph's third line is reported
        there, not at the paragraph's first. MyST builds the paragraph as it
        goes: the lines before the role are already in it."""
        paragraph = getattr(self.inliner, "parent", None)
        if self.lineno is None or not isinstance(paragraph, nodes.paragraph):
            return None
        return int(self.lineno) + paragraph.astext().count("\n")

    def process_link(
        self,
        env: BuildEnvironment,
        refnode: nodes.Element,
        has_explicit_title: bool,
        title: str,
        target: str,
    ) -> tuple[str, str]:
        if not has_explicit_title:
            title = title.removeprefix("~")
        if self.reftype != "partner":
            target = nodes.make_id(target)
        return title, target.removeprefix("~")


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
        "records": {},  # docname -> [Record], in the order they were declared
        "bodies": {},  # docname -> {key: the entry's body, packed}
        "views": {},  # docname -> True when it shows a project-wide view
        "partner_index": {},  # docname -> True when it holds a partner index
        "card_ids": {},  # docname -> [(explicit card id, source path, line)]
        "depends_on": {},  # docname -> {"targets", "partners"}: what its links land on
        "data_files": {},  # docname -> {data file path as written: the file it resolves to}
        "held_warnings": {},  # docname -> [HeldWarning] about the data files it loads
        "changed": False,  # records changed since views were last written
        "fingerprints": {},  # "targets"/"partners"/"archives" -> digest when pages last linked
        "archive_pages": {},  # docname -> ArchivePage, the archive pages of the build
        "archive_plan": [],  # every ArchivePage the archives have, made or not
        "archives": {},  # "tags:visit", "years:2022"… -> the docname of its archive page
        "archives_written_with": "",  # the builder and settings archive pages were written with
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._derived: dict[str, Any] = {}
        #: the pages read in this build (``env-before-read-docs``)
        self.read_now: set[str] = set()

    # -- collecting ---------------------------------------------------------------

    def note_record(self, record: Record) -> None:
        """Called by directives for every entry they declare."""
        self.data["records"].setdefault(record.docname, []).append(record)
        self._derived.clear()

    def note_data_file(self, docname: str, written: str, resolved: Path) -> None:
        """A page loads a data file: ``written`` is its path before links are
        followed, ``resolved`` the file read."""
        self.data["data_files"].setdefault(docname, {})[written] = str(resolved)

    def hold_warnings(self, docname: str, held: Iterable[HeldWarning]) -> None:
        """Warnings about a data file a page loads, told once per build."""
        self.data["held_warnings"].setdefault(docname, []).extend(held)

    def relinked_pages(self) -> list[str]:
        """Pages whose data file path now leads to another file (a link on
        the way was pointed elsewhere): Sphinx compares only the times of
        the files read, which a changed link need not change."""
        return sorted(
            docname
            for docname, files in self.data["data_files"].items()
            if any(str(Path(written).resolve()) != read for written, read in files.items())
        )

    def process_doc(self, env: BuildEnvironment, docname: str, document: nodes.document) -> None:
        card_ids: list[tuple[str, str | None, int | None]] = []
        depends_on: set[str] = set()
        for node in document.findall(nodes.Element):
            if isinstance(node, addnodes.toctree):
                # the reading order of pages, which orders ties in views, may change
                self.data["changed"] = True
            elif isinstance(node, collection_node):
                # dates and tags of entries, and group headings, link to archives
                depends_on.add("archives")
                if node["scope"] == "project":
                    key = "partner_index" if node["kind"] == PARTNER_INDEX else "views"
                    self.data[key][docname] = True
            elif isinstance(node, card) and node.get(CARD_ID):
                card_ids.append((node[CARD_ID], node.source, node.line))
            elif isinstance(node, pending_xref) and node.get("refdomain") == DOMAIN:
                depends_on.update(("targets", "partners"))
                _place_on_its_line(node)
        for record in self.data["records"].get(docname, ()):
            if isinstance(record, Entry):
                depends_on.add("archives")
            # partner names and internal links are resolved when the page is written
            if isinstance(record, Activity) and record.partners:
                depends_on.add("partners")
            link = getattr(record, "link", None)
            if link is not None and not link.external:
                depends_on.add("targets")
        if self.data["records"].get(docname):
            self.data["changed"] = True
        if card_ids:
            self.data["card_ids"][docname] = card_ids
        self._derived.clear()
        if depends_on:
            self.data["depends_on"][docname] = depends_on

    def keep_bodies(self, docname: str, document: nodes.document) -> None:
        """Once the page is read (translated, images collected): a detached
        copy of every entry body, and its text for short mentions."""
        records = {record.key: record for record in self.data["records"].get(docname, ())}
        bodies: dict[int, bytes] = {}
        for node in document.findall(entry_node):
            record = records.get(node["key"])
            if record is None or not node.children:
                continue
            body = cast(nodes.Element, node[0])
            record.summary = body.astext()
            bodies[record.key] = pack(body, document)
        if bodies:
            self.data["bodies"][docname] = bodies

    def clear_doc(self, docname: str) -> None:
        if self.data["records"].get(docname):
            self.data["changed"] = True
        for key in _PER_DOC:
            self.data[key].pop(docname, None)
        self._derived.clear()

    def merge_domaindata(self, docnames: Iterable[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            for key in _PER_DOC:
                if docname in otherdata[key]:
                    self.data[key][docname] = otherdata[key][docname]
        # a toctree or records read by a worker
        self.data["changed"] = self.data["changed"] or otherdata["changed"]
        self._derived.clear()

    def pages_to_rewrite(self) -> list[str]:
        """Pages whose output depends on other pages' records, when those changed.

        Project-wide views and the partner index show other pages' entries;
        roles and internal links land on entries; partner names link to the
        partner index while there is one.
        """
        pages: set[str] = set()
        if self.data["changed"]:
            self.data["changed"] = False
            pages.update(self.data["views"], self.data["partner_index"])
        fingerprints = {
            "targets": self._targets_digest(),
            "partners": self._partners_digest(),
            "archives": _digest(sorted(self.data["archives"].items())),
        }
        for what, digest in fingerprints.items():
            if self.data["fingerprints"].get(what) != digest:
                self.data["fingerprints"][what] = digest
                pages.update(
                    docname
                    for docname, depends_on in self.data["depends_on"].items()
                    if what in depends_on
                )
        return sorted(pages)

    def _targets_digest(self) -> str:
        targets = sorted(
            (record.kind, record.id, record.docname)
            for records in self.data["records"].values()
            for record in records
            if isinstance(record, Entry)
        )
        return _digest(targets)

    def _partners_digest(self) -> str:
        return _digest((sorted(self.partners()), self.partner_home()))

    # -- querying -----------------------------------------------------------------

    def forget_derived(self) -> None:
        """Drop what was worked out from the records (they changed)."""
        self._derived.clear()

    def _cached(self, name: str, compute: Any) -> Any:
        if name not in self._derived:
            self._derived[name] = compute()
        return self._derived[name]

    def record(self, docname: str, key: int) -> Record | None:
        by_key: dict[tuple[str, int], Record] = self._cached(
            "by_key",
            lambda: {
                (record.docname, record.key): record
                for records in self.data["records"].values()
                for record in records
            },
        )
        return by_key.get((docname, key))

    def body(self, record: Record) -> bytes | None:
        """The packed copy of an entry's body (see :mod:`.travel`)."""
        bodies: dict[int, bytes] = self.data["bodies"].get(record.docname, {})
        return bodies.get(record.key)

    def entries(
        self,
        kind: type[Entry],
        *,
        tags: Iterable[str] = (),
        partners: Iterable[str] = (),
        years: range | None = None,
    ) -> list[Entry]:
        """Every entry of a kind, once each, in a stable project order; with
        ``tags``, ``partners`` or ``years``, only those that have one of the
        tags, one of the partners, and start in one of the years.

        A data file that several pages load declares its entries once: the
        first page (in reading order) that loads it is their home. Pages
        matching ``partnerships_project_exclude`` do not count.
        """
        found: dict[str, list[Entry]] = self._cached("entries", self._project_entries)
        everything = found.get(kind.kind, [])
        wanted = [
            (facet, list(values))
            for facet, values in (("tags", tags), ("partners", partners), ("years", years or ()))
            if values
        ]
        if not wanted and years is None:
            return everything
        # an index, so that a page that shows a few entries of many (an archive
        # page) costs what it shows, not what the project holds
        index: dict[tuple[str, str, object], list[int]] = self._cached("index", self._entry_index)
        positions: set[int] | None = None
        for facet, values in wanted:
            having = {at for value in values for at in index.get((kind.kind, facet, value), ())}
            positions = having if positions is None else positions & having
        return [everything[at] for at in sorted(positions or ())]

    def _entry_index(self) -> dict[tuple[str, str, object], list[int]]:
        """Where each tag, partner and starting year is, in each kind's entries."""
        index: dict[tuple[str, str, object], list[int]] = {}
        found: dict[str, list[Entry]] = self._cached("entries", self._project_entries)
        for kind, entries in found.items():
            for at, entry in enumerate(entries):
                facets: list[tuple[str, object]] = [("years", entry.date.start.year)]
                facets += [("tags", tag) for tag in dict.fromkeys(entry.tags)]
                partners = entry.partners if isinstance(entry, Activity) else ()
                facets += [("partners", name) for name in dict.fromkeys(partners)]
                for facet, value in facets:
                    index.setdefault((kind, facet, value), []).append(at)
        return index

    def _project_entries(self) -> dict[str, list[Entry]]:
        seen: set[tuple[str, str, int | None]] = set()
        found: dict[str, list[Entry]] = {}
        for docname in self._counted_docs():
            for record in self.data["records"][docname]:
                if not isinstance(record, Entry) or (record.kind, *record.origin) in seen:
                    continue
                seen.add((record.kind, *record.origin))
                found.setdefault(record.kind, []).append(record)
        return found

    def _counted_docs(self) -> list[str]:
        """Pages whose records project-wide views show, in reading order.

        Reading order is the order of the table of contents, from the root
        document down (pages outside it follow by name), so that entries of
        the same date keep the order a reader meets them in.
        """
        order = self._toctree_order()
        return sorted(
            (docname for docname in self.data["records"] if self.is_counted(docname)),
            key=lambda docname: (order.get(docname, len(order)), docname),
        )

    def is_counted(self, docname: str) -> bool:
        """Whether project-wide views, archives and feeds count a page's entries."""
        counted: dict[str, bool] = self._cached("counted", dict)
        if docname not in counted:
            excluded = self.env.config.partnerships_project_exclude
            counted[docname] = not any(fnmatch(docname, pattern) for pattern in excluded)
        return counted[docname]

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
        """The entry a role names: on counted pages first, then anywhere."""

        def index() -> dict[tuple[str, str], Entry]:
            found: dict[tuple[str, str], Entry] = {}
            for docname in [*self._counted_docs(), *sorted(self.data["records"])]:
                for record in self.data["records"][docname]:
                    if isinstance(record, Entry):
                        found.setdefault((record.kind, record.id), record)
                        # the anchor as written, where the output's differs
                        found.setdefault((record.kind, record.page_id or record.id), record)
            return found

        by_id: dict[tuple[str, str], Entry] = self._cached("by_id", index)
        return by_id.get((kind, anchor))

    def partners(self) -> dict[str, Partner | None]:
        """Every partner name (used in ``:partners:`` or described), with its
        description where a ``partner`` directive gives one."""

        def collect() -> dict[str, Partner | None]:
            found: dict[str, Partner | None] = {}
            for activity in self.entries(Activity):
                for name in cast(Activity, activity).partners:
                    found.setdefault(name, None)
            for docname in self._counted_docs():
                for record in self.data["records"][docname]:
                    if isinstance(record, Partner) and found.get(record.name) is None:
                        found[record.name] = record
            return found

        return cast(dict[str, Partner | None], self._cached("partners", collect))

    def activities_of(self, partner: str) -> list[Activity]:
        """The activities that name a partner, newest first."""

        def collect() -> dict[str, list[Activity]]:
            newest_first = sorted(
                (cast(Activity, activity) for activity in self.entries(Activity)),
                key=lambda activity: activity.date.start,
                reverse=True,
            )
            found: dict[str, list[Activity]] = {}
            for activity in newest_first:
                for name in dict.fromkeys(activity.partners):
                    found.setdefault(name, []).append(activity)
            return found

        by_partner: dict[str, list[Activity]] = self._cached("by_partner", collect)
        return by_partner.get(partner, [])

    def archive_page(self, key: str) -> str | None:
        """The archive page of ``tags:visit``, ``partners:Japan``, ``years:2022``
        or ``index:index``, if the build made it."""
        docname: str | None = self.data["archives"].get(key)
        return docname if docname in self.env.all_docs else None

    def partner_page(self, name: str, *, archive: bool = True) -> tuple[str, str] | None:
        """Where a partner's name leads: its archive page (unless ``archive``
        is false), else its place in the partner index, if the project has
        either."""
        page = self.archive_page(archive_key("partners", name)) if archive else None
        if page is not None:
            return page, ""
        home = self.partner_home()
        if home is None or name not in self.partners():
            return None
        return home, partner_anchor(name)

    def partner_home(self) -> str | None:
        homes = sorted(self.data["partner_index"])
        return homes[0] if homes else None

    def check_consistency(self) -> None:
        """Each data file problem once, and one ``partnerships.duplicate``
        warning per id declared in two places.

        A data file that several pages load declares its entries and cards
        once, and its problems are told once: those of the pages read in this
        build, as for any page.
        """
        held = {
            warning
            for docname in self.read_now
            for warning in self.data["held_warnings"].get(docname, ())
        }
        for warning in sorted(held):
            warning.emit()
        places: dict[tuple[str, str], list[str]] = {}
        origins: set[tuple[str, str, int | None]] = set()

        def note(kind: str, anchor: str, origin: tuple[str, int | None], location: str) -> None:
            if (kind, *origin) not in origins:
                origins.add((kind, *origin))
                places.setdefault((kind, anchor), []).append(location)

        for docname in sorted(self.data["records"]):
            for record in self.data["records"][docname]:
                if isinstance(record, Entry) and record.explicit_id:
                    note(record.kind, record.page_id or record.id, record.origin, record.location)
        for docname in sorted(self.data["card_ids"]):
            for anchor, path, line in self.data["card_ids"][docname]:
                note("card", anchor, (str(path), line), f"{path}:{line}")
        for (kind, anchor), locations in places.items():
            if len(locations) < 2:
                continue
            first, *others = locations
            warn("duplicate-id", first, kind=kind, value=quoted(anchor), others=", ".join(others))

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
        """A reference, or ``None`` so that Sphinx's ``missing-reference``
        handling (intersphinx, ``nitpick_ignore``) runs as for its own roles."""
        if typ == "link":
            return self._resolve_link(env, fromdocname, builder, target, node, contnode)
        if typ == "partner":
            # the names of entries the archives leave out do not lead there
            page = self.partner_page(target)
            if page is None or (page[0] == fromdocname and not page[1]):
                return None
            return make_refnode(builder, fromdocname, *page, contnode)
        found = self.find(typ, target)
        if found is None:
            return None
        return make_refnode(builder, fromdocname, found.docname, found.id, contnode, found.id)

    def _resolve_link(
        self,
        env: BuildEnvironment,
        fromdocname: str,
        builder: Builder,
        target: str,
        node: pending_xref,
        contnode: nodes.Element,
    ) -> nodes.reference | None:
        """``:link:`` with no scheme: a page (relative to the entry's own), a
        label, or an entry id."""
        landing = self.link_target(node.get("sp_origin", fromdocname), target)
        if landing is None:
            return None
        return make_refnode(builder, fromdocname, *landing, contnode)

    def link_target(self, origin: str, target: str) -> tuple[str, str] | None:
        """The page and anchor an internal link written on ``origin`` lands on:
        a page (relative to ``origin``), a label, or an entry id."""
        docname, anchor = _linked_page(origin, target)
        if docname in self.env.all_docs:
            return docname, anchor
        anonlabels: dict[str, tuple[str, str]] = self.env.get_domain("std").data["anonlabels"]
        if target in anonlabels:
            return anonlabels[target]
        for kind in ("activity", "award"):
            found = self.find(kind, nodes.make_id(target))
            if found is not None:
                return found.docname, found.id
        return None

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
            found = self.find(kind, nodes.make_id(target))
            if found is not None:
                ref = make_refnode(builder, fromdocname, found.docname, found.id, contnode)
                results.append((f"{DOMAIN}:{kind}", ref))
        return results

    def get_objects(self) -> Iterator[tuple[str, str, str, str, str, int]]:
        for kind in (Activity, Award):
            for found in self.entries(kind):
                label = found.name if isinstance(found, Award) else found.id
                yield found.id, label, found.kind, found.docname, found.id, 1
        for name in self.partners():
            page = self.partner_page(name)
            if page is not None:
                yield name, name, "partner", page[0], page[1], 1


def warn_missing(app: Sphinx, domain: Domain | None, node: pending_xref) -> bool | None:
    """Our own words (and warning type) for a cross-reference that did not
    resolve; one warning for an entry however many pages show it."""
    if node.get(COPIED):
        return True  # reported where the entry is declared
    if domain is None or domain.name != DOMAIN:
        return None
    typ, target = node["reftype"], node["reftarget"]
    if typ == "link" and node.get("sp_origin", node.get("refdoc")) != node.get("refdoc"):
        return True  # an entry's link shown on another page: reported at home
    partnerships = cast(PartnershipsDomain, domain)
    if typ == "partner":
        linkable = partnerships.partner_home() is not None or any(
            key.startswith(archive_key("partners", "")) for key in partnerships.data["archives"]
        )
        key = "xref-partner" if linkable else "xref-no-index"
    else:
        key = "xref-link" if typ == "link" else "xref-entry"
    warn(key, node, kind=typ, value=quoted(target))
    return True


def _place_on_its_line(xref: pending_xref) -> None:
    """docutils gives a role the line of its paragraph's start: count the
    lines before it in the paragraph's text (MyST's roles know their line)."""
    paragraph = xref.parent
    text = getattr(paragraph, "rawsource", "") or ""
    if not isinstance(paragraph, nodes.TextElement) or paragraph.line is None:
        return
    position = text.find(xref.rawsource) if xref.rawsource else -1
    if position > 0 and xref.line == paragraph.line:
        xref.line = paragraph.line + text.count("\n", 0, position)


def _linked_page(origin: str, target: str) -> tuple[str | None, str]:
    """The page (and anchor) a link target names, if it names one."""
    page, _, anchor = target.partition("#")
    if not page:
        return None, anchor
    return docname_join(origin, page.removesuffix(".md").removesuffix(".rst")), anchor


def _digest(value: object) -> str:
    return hashlib.sha256(repr(value).encode()).hexdigest()


def archive_key(kind: str, value: str) -> str:
    """How entries name an archive page: ``tags:visit``, ``years:2022``."""
    return f"{kind}:{value}"


def partner_anchor(name: str) -> str:
    """A partner's place in the partner index: distinct for distinct names
    ("C++" and "C#"), as their archive pages are."""
    return "partner-" + slug(name)


def keep_bodies(app: Sphinx, doctree: nodes.document) -> None:
    domain = cast(PartnershipsDomain, app.env.get_domain(DOMAIN))
    domain.keep_bodies(app.env.docname, doctree)


def note_pages_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    cast(PartnershipsDomain, env.get_domain(DOMAIN)).read_now = set(docnames)


def relinked_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    return cast(PartnershipsDomain, env.get_domain(DOMAIN)).relinked_pages()


def setup_domain(app: Sphinx) -> None:
    app.add_domain(PartnershipsDomain)
    app.connect("env-before-read-docs", note_pages_read)
    app.connect("env-get-outdated", relinked_pages)
    for role in ("activity", "award", "partner"):
        app.add_role(role, PartnershipsDomain.roles[role])
    # after Sphinx's own collectors (images, footnote numbers): copies are complete
    app.connect("doctree-read", keep_bodies, priority=900)
    app.connect("warn-missing-reference", warn_missing)
    app.connect(
        "env-get-updated",
        lambda app, env: cast(PartnershipsDomain, env.get_domain(DOMAIN)).pages_to_rewrite(),
    )
