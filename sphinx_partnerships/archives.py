"""Archive pages: one page per tag, partner and year, and an index with counts.

Which archive pages a project has depends on every page's entries, known only
once every page is read. So, for the web builders (``html``, ``dirhtml``),
the pages are documents the extension makes after reading: a title and
project-wide timelines and award lists, which the same post-transform as any
page renders when the page is written. Being documents of the build, they are
written by the builder like any page: with the theme, in the site search and
the sitemap, in parallel builds too.

They are made again whenever what they hold changes, are kept from one build
to the next while it does not, and are rewritten, like every project-wide
view, when entries change. Other builders have none: the links to them stay
text.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, cast

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import NoUri
from sphinx.util import docname_join
from sphinx.util.docutils import new_document
from sphinx.util.nodes import make_refnode

from .collection import GroupBy, Query
from .dates import PartialDate
from .diagnostics import quoted, warn
from .domain import DOMAIN, PartnershipsDomain, archive_key
from .entries import Activity, Award, Entry
from .nodes import collection_node, group_heading
from .outputs import Output, register_outputs, relative_output, writes
from .rendering import RenderContext
from .translation import _
from .urls import slug, tag_groups
from .views import COMPONENTS, register_view

#: the builders whose pages archives are made for
ARCHIVE_BUILDERS = frozenset({"html", "dirhtml"})
ARCHIVE_KINDS = ("tags", "partners", "years")
INDEX_VIEW = "archive-index"
ABOUT_VIEW = "archive-about"
#: the key of the index among the archive targets
INDEX = "index"
#: the most entries of each kind an archive page shows, newest first: a page
#: costs what it shows, and a tag of thousands of entries stays one readable page
ARCHIVE_PAGE_LIMIT = 100


@dataclass(frozen=True)
class ArchivePage:
    """One archive page: what it collects and where it is written."""

    #: "tags", "partners", "years", or "index"
    kind: str
    docname: str
    title: str
    #: the tags (every spelling with this page's address), partner names or year
    values: tuple[str, ...] = ()
    #: the kinds of entries it lists ("activity", "award"), in that order
    sections: tuple[str, ...] = ()
    #: how many entries it lists
    count: int = 0
    #: how many entries of each of ``sections`` it has
    counts: tuple[int, ...] = ()

    def query(self, kind: str) -> Query:
        group_by: GroupBy = "month" if kind == Activity.kind else "year"
        shown = Query(scope="project", group_by=group_by, limit=ARCHIVE_PAGE_LIMIT)
        if self.kind == "tags":
            return replace(shown, tags=frozenset(self.values))
        if self.kind == "partners":
            return replace(shown, partners=frozenset(self.values))
        year = PartialDate(int(self.values[0]))
        return replace(shown, start=year, end=year)


# -- settings -------------------------------------------------------------------------


def check_archive_settings(kinds: Any, prefix: Any) -> tuple[list[str], str, list[str]]:
    """The usable kinds and prefix, and what is wrong with the settings."""
    problems: list[str] = []
    usable: list[str] = []
    if not isinstance(kinds, list | tuple) or not all(isinstance(kind, str) for kind in kinds):
        problems.append(
            f"partnerships_archives must be a list of {', '.join(ARCHIVE_KINDS)}, not"
            f" {quoted(kinds)}; no archive pages are made"
        )
    else:
        for kind in kinds:
            if kind in ARCHIVE_KINDS:
                usable.append(kind)
            else:
                problems.append(
                    f"partnerships_archives has an unknown kind {quoted(kind)} (known:"
                    f" {', '.join(ARCHIVE_KINDS)}); it is ignored"
                )
    folder = prefix.strip().strip("/") if isinstance(prefix, str) else ""
    parts = folder.split("/")
    if not folder or any(part in ("", ".", "..") or "\\" in part for part in parts):
        problems.append(
            "partnerships_archive_prefix must be a folder of the site, such as 'archives',"
            f" not {quoted(prefix)}; using 'archives'"
        )
        folder = "archives"
    return usable, folder, problems


# -- what the archives hold ---------------------------------------------------------------


def plan_archives(env: BuildEnvironment, kinds: Iterable[str], prefix: str) -> list[ArchivePage]:
    """Every archive page the project's entries call for, the index first
    (made also without entries where a table of contents lists it)."""
    domain = cast(PartnershipsDomain, env.get_domain(DOMAIN))
    activities, awards = domain.entries(Activity), domain.entries(Award)
    wanted = set(kinds)
    pages: list[ArchivePage] = []

    def archive(
        kind: str, key: str, title: str, values: Iterable[str], listed: Iterable[Entry]
    ) -> ArchivePage:
        # an entry once, however many of the page's values it has
        unique = {id(entry): entry for entry in listed}.values()
        present = Counter(entry.kind for entry in unique)
        sections = tuple(name for name in (Activity.kind, Award.kind) if name in present)
        docname = f"{prefix}/{kind}/{key}"
        counts = tuple(present[name] for name in sections)
        return ArchivePage(kind, docname, title, tuple(values), sections, len(unique), counts)

    if "tags" in wanted:
        groups = tag_groups([*activities, *awards])
        for key in sorted(groups, key=lambda key: _sort_key(groups[key].name)):
            group = groups[key]
            title = _("Tag: {name}").format(name=group.name)
            pages.append(archive("tags", key, title, group.spellings, group.entries))
    if "partners" in wanted:
        partners: dict[str, list[str]] = {}
        for name in domain.partners():
            partners.setdefault(slug(name), []).append(name)
        for key in sorted(partners, key=lambda key: _sort_key(min(partners[key]))):
            names = sorted(partners[key])
            title = _("Partner: {name}").format(name=names[0])
            listed = [activity for name in names for activity in domain.activities_of(name)]
            pages.append(archive("partners", key, title, names, listed))
    if "years" in wanted:
        years: dict[int, list[Entry]] = {}
        for entry in [*activities, *awards]:
            years.setdefault(entry.date.start.year, []).append(entry)
        for year in sorted(years, reverse=True):
            title = _("Year: {year}").format(year=year)
            pages.append(archive("years", str(year), title, [str(year)], years[year]))
    index = index_docname(prefix)
    if pages or _in_a_toctree(env, index):
        pages.insert(0, ArchivePage(INDEX, index, _("Archives")))
    return pages


def _sort_key(label: str) -> tuple[str, str]:
    """Alphabetical, whatever the capitals: "agreement", "Open Data", "visit"."""
    return label.casefold(), label


def _in_a_toctree(env: BuildEnvironment, docname: str) -> bool:
    return any(docname in included for included in env.toctree_includes.values())


def index_docname(prefix: str) -> str:
    return f"{prefix}/index"


def archive_doctree(page: ArchivePage, env: BuildEnvironment) -> nodes.document:
    """The document of an archive page, as a page that is read would be."""
    document = new_document(str(env.doc2path(page.docname)))
    document.settings.env = env
    section = nodes.section(ids=[slug(page.title)], names=[nodes.fully_normalize_name(page.title)])
    section += nodes.title(page.title, page.title)
    document += section
    if page.kind == INDEX:
        section += collection_node(
            kind=INDEX_VIEW, scope="project", classes=[], docname=page.docname
        )
        return document
    section += collection_node(
        kind=ABOUT_VIEW,
        scope="local",
        classes=[],
        docname=page.docname,
        archive=page.kind,
        values=list(page.values),
    )
    titles = {Activity.kind: _("Activities"), Award.kind: _("Awards")}
    for kind, count in zip(page.sections, page.counts, strict=True):
        # the entries are found on their own pages: search finds the archive by its title
        part = nodes.section(
            ids=[slug(titles[kind])], names=[nodes.fully_normalize_name(titles[kind])]
        )
        part["classes"].append("no-search")
        part += nodes.title(titles[kind], titles[kind])
        part += collection_node(
            kind=kind,
            scope="project",
            query=page.query(kind),
            classes=["sp-archive"],
            docname=page.docname,
        )
        if count > ARCHIVE_PAGE_LIMIT:
            told = _("The newest {shown} of {count} are shown.").format(
                shown=ARCHIVE_PAGE_LIMIT, count=count
            )
            part += nodes.paragraph("", told, classes=["sp-archive-more"])
        section += part
    return document


# -- making the pages ----------------------------------------------------------------------


def wanted_archives(app: Sphinx) -> tuple[list[str], str]:
    """The kinds of archive and their folder, as the settings ask."""
    kinds, prefix, _problems = check_archive_settings(
        app.config.partnerships_archives, app.config.partnerships_archive_prefix
    )
    return kinds, prefix


def makes_archive_pages(app: Sphinx) -> bool:
    return app.builder.name in ARCHIVE_BUILDERS


def keep_archive_documents(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Archive pages have no source file: kept from build to build (they are
    checked against the entries once every page is read). A page the writer
    has since given an archive page's name is read."""
    domain = cast(PartnershipsDomain, env.get_domain(DOMAIN))
    pages: dict[str, ArchivePage] = domain.data["archive_pages"]
    taken = sorted(docname for docname in pages if docname in env.found_docs)
    for docname in taken:
        del pages[docname]
    kinds, _prefix = wanted_archives(app)
    if kinds:
        removed.difference_update(pages)
    return taken


def expect_archive_index(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Before pages are read: the index is a page a table of contents may
    list (``archives/index``), made once every page is read."""
    kinds, prefix = wanted_archives(app)
    if kinds and not _has_source(env, index_docname(prefix)):
        env.found_docs.add(index_docname(prefix))


def _has_source(env: BuildEnvironment, docname: str) -> bool:
    """Whether a page of the project (a source file) has this name."""
    return Path(env.doc2path(docname)).is_file()


def make_archive_documents(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Once every page is read: the archive pages the entries call for, made
    again where they changed; the pages to write.

    Builders of other formats than web pages make only the index, where a
    table of contents lists it: the archives' values and counts, as text.
    """
    domain = cast(PartnershipsDomain, env.get_domain(DOMAIN))
    kinds, prefix = wanted_archives(app)
    web = makes_archive_pages(app)
    planned: list[ArchivePage] = []
    for page in plan_archives(env, kinds, prefix) if kinds else []:
        if not _has_source(env, page.docname):
            planned.append(page)
        elif web:
            warn("archive-page", (page.docname, None), page=quoted(page.docname))
    listed = _in_a_toctree(env, index_docname(prefix))
    made = {
        page.docname: page
        for page in planned
        # a web page whose file is another's is not made (outputs.py warns)
        if (web and writes(app, "archive", page.docname))
        or (not web and page.kind == INDEX and listed)
    }
    if index_docname(prefix) not in made:
        env.found_docs.discard(index_docname(prefix))
    old: dict[str, ArchivePage] = domain.data["archive_pages"]
    for docname in set(old) - set(made):
        _forget(app, env, docname)
    # the builder writes every page again when its settings (theme…) change
    written_with = _written_with(app)
    rewrite_all = domain.data["archives_written_with"] != written_with
    to_write = []
    for docname, page in made.items():
        if old.get(docname) != page or docname not in env.all_docs:
            _forget(app, env, docname)
            _read(app, env, page)
            to_write.append(docname)
        elif rewrite_all or not _is_current(app, docname):
            to_write.append(docname)
        env.found_docs.add(docname)
        # rewritten with every project-wide view when entries change
        domain.data["views"][docname] = True
    domain.data["archive_pages"] = made
    domain.data["archive_plan"] = planned
    domain.data["archives_written_with"] = written_with
    domain.data["archives"] = {
        archive_key(page.kind, value): docname
        for docname, page in made.items()
        for value in (page.values or (INDEX,))
    }
    domain.forget_derived()
    return to_write


def _written_with(app: Sphinx) -> str:
    """The builder and the digest of the settings its pages depend on."""
    info = getattr(app.builder, "build_info", None)
    hashes = (getattr(info, "config_hash", ""), getattr(info, "tags_hash", ""))
    return repr((app.builder.name, *hashes))


def _is_current(app: Sphinx, docname: str) -> bool:
    """Whether the page's file is there and newer than every template of the
    theme and the project, as Sphinx asks of the pages it writes."""
    outfile = getattr(app.builder, "get_outfilename", None)
    if outfile is None:
        return True
    try:
        written = os.stat(outfile(docname)).st_mtime
    except OSError:
        return False
    templates = getattr(app.builder, "templates", None)
    newest = templates.newest_template_mtime() if templates is not None else 0.0
    return written >= newest


def archive_outputs(app: Sphinx) -> list[Output]:
    """The files of the archive pages the entries call for (a page the writer
    gave an archive page's name is theirs: ``archive-page``)."""
    kinds, prefix = wanted_archives(app)
    if not kinds or not makes_archive_pages(app):
        return []
    return [
        Output(
            "archive",
            page.docname,
            relative_output(app.builder, page.docname),
            f"the archive page {quoted(page.docname)}",
            "partnerships_archive_prefix",
        )
        for page in plan_archives(app.env, kinds, prefix)
        if not _has_source(app.env, page.docname)
    ]


def _forget(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    if docname in env.all_docs:
        app.events.emit("env-purge-doc", env, docname)
        env.clear_doc(docname)
    getattr(env, "_pickled_doctree_cache", {}).pop(docname, None)
    getattr(env, "_write_doc_doctree_cache", {}).pop(docname, None)


def _read(app: Sphinx, env: BuildEnvironment, page: ArchivePage) -> None:
    """What reading a page does: its title, contents and metadata noted by
    Sphinx's collectors, its doctree stored for the writers."""
    env.prepare_settings(page.docname)
    document = archive_doctree(page, env)
    app.events.emit("doctree-read", document)
    env.metadata[page.docname]["orphan"] = True
    env.all_docs[page.docname] = time.time_ns() // 1_000
    if hasattr(env, "current_document"):  # Sphinx 9
        env.current_document = type(env.current_document)()
    else:
        env.temp_data.clear()
    env.ref_context.clear()
    app.builder.write_doctree(page.docname, document)


# -- the views on the pages ---------------------------------------------------------------


def render_archive_about(view: collection_node, context: RenderContext) -> nodes.Element:
    """What an archive page collects, the partner's description, and a way
    back to the index."""
    root = nodes.container(classes=["sp-archive-about"])
    values: list[str] = view["values"]
    if view["archive"] == "partners":
        described = [context.domain.partners().get(name) for name in values]
        for partner in described:
            if partner is not None:
                root += COMPONENTS[partner.kind].render(partner, context)
    intro = nodes.paragraph(classes=["sp-archive-intro"])
    shown = ", ".join(values)
    intro += nodes.Text(
        {
            "tags": _("Every activity and award tagged “{tag}”, newest first."),
            "partners": _("Every activity with {partner}, newest first."),
            "years": _("Every activity and award of {year}, newest first."),
        }[view["archive"]].format(tag=shown, partner=shown, year=shown)
    )
    index = context.domain.archive_page(archive_key(INDEX, INDEX))
    if index is not None:
        try:
            link = make_refnode(
                context.page.builder, context.where, index, "", nodes.Text(_("All archives"))
            )
        except NoUri:
            pass
        else:
            intro += nodes.Text(" ")
            intro += link
    root += intro
    return root


def render_archive_index(view: collection_node, context: RenderContext) -> nodes.Element:
    """Every archive page, by kind, with the number of entries it lists (the
    values as text where the build makes no archive pages)."""
    # found by its title: the names it lists are the titles of their own pages
    root = nodes.container(classes=["sp-archive-index", "no-search", *view["classes"]])
    domain = context.domain
    pages: list[ArchivePage] = domain.data["archive_plan"]
    made: dict[str, ArchivePage] = domain.data["archive_pages"]
    headings = {"tags": _("Tags"), "partners": _("Partners"), "years": _("Years")}
    for kind in ARCHIVE_KINDS:
        listed = [page for page in pages if page.kind == kind]
        if not listed:
            continue
        root += group_heading("", headings[kind], classes=["sp-group-heading"])
        listing = nodes.bullet_list(classes=["sp-archive-list"])
        for page in listed:
            label = page.values[0] if kind != "partners" else ", ".join(page.values)
            line = nodes.paragraph()
            try:
                if page.docname not in made:
                    raise NoUri(page.docname)
                line += make_refnode(
                    context.page.builder, context.where, page.docname, "", nodes.Text(label)
                )
            except NoUri:
                line += nodes.Text(label)
            line += nodes.inline("", f" ({page.count})", classes=["sp-count"])
            listing += nodes.list_item("", line)
        root += listing
    if len(pages) < 2:  # the index alone
        root += nodes.paragraph("", _("No archives yet."), classes=["sp-empty"])
    return root


# -- the pages in the theme ------------------------------------------------------------------


def hide_missing_source(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """An archive page has no source to show or edit."""
    domain = cast(PartnershipsDomain, app.env.get_domain(DOMAIN))
    if pagename in domain.data["archive_pages"]:
        context["sourcename"] = ""
        context["show_source"] = False
        context["theme_use_edit_page_button"] = False


def archive_links_as_text(
    app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.TextElement
) -> nodes.Node | None:
    """A ``{doc}`` link to an archive page, in a build that makes none (PDF,
    EPUB…): its words, quietly."""
    kinds, prefix = wanted_archives(app)
    if not kinds or makes_archive_pages(app) or node.get("reftype") != "doc":
        return None
    target = docname_join(node.get("refdoc", ""), node.get("reftarget", ""))
    return contnode if target.startswith(prefix + "/") else None


def setup_archives(app: Sphinx) -> None:
    app.add_config_value(
        "partnerships_archives",
        list(ARCHIVE_KINDS),
        "env",
        types=(list, tuple),
        description="Archive pages to make: tags, partners and years.",
    )
    app.add_config_value(
        "partnerships_archive_prefix",
        "archives",
        "env",
        types=(str,),
        description="The folder of the site the archive pages are written to.",
    )
    register_view(INDEX_VIEW, render_archive_index)
    register_view(ABOUT_VIEW, render_archive_about)
    register_outputs(archive_outputs)
    app.connect("env-get-outdated", keep_archive_documents)
    app.connect("env-before-read-docs", expect_archive_index)
    app.connect("env-updated", make_archive_documents)
    app.connect("html-page-context", hide_missing_source)
    app.connect("missing-reference", archive_links_as_text)
