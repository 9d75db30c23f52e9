"""Atom feeds of activities and awards, and of each tag, for the web builders.

A site that sets ``partnerships_feeds`` gets one Atom file per feed, written
by the ``html`` and ``dirhtml`` builders from the whole domain after every
build (so parallel and incremental builds give the feed of a fresh build),
and a ``<link rel="alternate">`` in the head of the pages that show its
entries. Every address in a feed is absolute: ``html_baseurl`` (on Read the
Docs, ``READTHEDOCS_CANONICAL_URL``, with its ``/en/latest/``) joined with
the page's address as the builder writes it. Dates come from the entries,
never from the clock, so two builds of the same sources give the same bytes.
A feed whose file is another's is not written (see :mod:`.outputs`).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import weakref
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, cast
from urllib.parse import quote, urlsplit

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.config import Config
from sphinx.environment import BuildEnvironment

from .diagnostics import quoted, warn
from .domain import DOMAIN, PartnershipsDomain, archive_key
from .entries import Activity, Award, Entry
from .nodes import collection_node
from .outputs import Output, register_outputs, writes
from .rendering import short_text
from .translation import _
from .urls import absolute_url, page_url, slug, tag_groups
from .views import shown_on

#: the builders whose pages have addresses on the web
FEED_BUILDERS = frozenset({"html", "dirhtml"})
#: the feeds a site can ask for; ``tags`` is a path pattern with ``{tag}``
FEED_KINDS = ("activities", "awards", "tags")
TAG_PLACEHOLDER = "{tag}"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ATOM_MEDIA_TYPE = "application/atom+xml"
#: characters XML 1.0 cannot hold, even escaped
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: the kind of record of each feed of one kind
_FEED_RECORDS = {"activities": Activity.kind, "awards": Award.kind}
#: the feeds of each builder, planned once every page is read
_PLANNED: weakref.WeakKeyDictionary[Builder, list[Feed]] = weakref.WeakKeyDictionary()


@dataclass
class Feed:
    """One feed: where it is written, its title, and its entries, newest first."""

    #: "activities", "awards", or "tag:<name>"
    key: str
    #: the file, relative to the output folder, with ``/`` between folders
    path: str
    title: str
    entries: list[Entry] = field(default_factory=list)
    #: the archive page the feed follows ("tags:visit"), if the build makes it
    archive: str = ""
    #: what it is, in a message's words: "the feed 'activities'"
    what: str = ""


def check_feed_settings(value: Any) -> tuple[dict[str, str], list[str]]:
    """The usable part of ``partnerships_feeds``, and what is wrong with the rest."""
    if not isinstance(value, dict):
        return {}, [f"must be a mapping of feed names to paths, not {quoted(value)}"]
    usable: dict[str, str] = {}
    problems: list[str] = []
    for name, path in value.items():
        if name not in FEED_KINDS:
            known = ", ".join(FEED_KINDS)
            problems.append(f"has an unknown feed {quoted(name)} (known: {known})")
        elif not isinstance(path, str) or not path.strip():
            problems.append(f"{name}: the path must be text, not {quoted(path)}")
        elif (
            path.startswith("/")
            or "\\" in path
            or ".." in path.split("/")
            or path.endswith("/")
            or urlsplit(path).scheme
        ):
            problems.append(
                f"{name}: {quoted(path)} must be a file path inside the output folder"
                " (feeds/activities.atom)"
            )
        elif name == "tags" and TAG_PLACEHOLDER not in path:
            problems.append(f"tags: {quoted(path)} must hold {TAG_PLACEHOLDER}")
        else:
            usable[name] = path.strip()
    return usable, problems


def site_address(config: Config) -> str | None:
    """``html_baseurl`` ending in ``/``, when it is an absolute web address:
    joined with a page's address, ``/en/latest/`` stays."""
    base = config.html_baseurl
    if not isinstance(base, str):
        return None
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    base = base.strip()
    return base if base.endswith("/") else base + "/"


def page_address(base: str, builder: Builder, docname: str) -> str:
    """The absolute address of a page as the builder writes it:
    ``…/en/latest/news/visit/`` (dirhtml), ``…/news/visit.html`` (html)."""
    return absolute_url(builder, page_url(builder, docname) or "./", base)


def entry_address(base: str, builder: Builder, entry: Entry) -> str:
    """The absolute address of an entry: its page, and its anchor there."""
    return absolute_url(builder, page_url(builder, entry.docname, entry.id) or "./", base)


def newest_first(entries: Iterable[Entry]) -> list[Entry]:
    """By the first day of each entry's period; ties keep the project's order."""
    return sorted(entries, key=lambda entry: entry.date.start, reverse=True)


def wanted_feeds(app: Sphinx) -> dict[str, str]:
    """The feeds this build writes: none without a web builder or site address."""
    if app.builder.name not in FEED_BUILDERS or site_address(app.config) is None:
        return {}
    feeds, _problems = check_feed_settings(app.config.partnerships_feeds)
    return feeds


def plan_feeds(app: Sphinx) -> list[Feed]:
    """Every feed of the build, with its entries, from the whole domain."""
    wanted = wanted_feeds(app)
    if not wanted:
        return []
    domain = cast(PartnershipsDomain, app.env.get_domain(DOMAIN))
    site = app.config.partnerships_feed_title or app.config.project
    activities, awards = domain.entries(Activity), domain.entries(Award)
    feeds: list[Feed] = []
    if "activities" in wanted:
        title = _("{site}: activities").format(site=site)
        feeds.append(
            Feed(
                "activities",
                wanted["activities"],
                title,
                newest_first(activities),
                what=f"the feed {quoted('activities')}",
            )
        )
    if "awards" in wanted:
        title = _("{site}: awards").format(site=site)
        feeds.append(
            Feed(
                "awards",
                wanted["awards"],
                title,
                newest_first(awards),
                what=f"the feed {quoted('awards')}",
            )
        )
    if "tags" in wanted:
        groups = tag_groups([*activities, *awards])
        for key in sorted(groups):
            group = groups[key]
            path = wanted["tags"].replace(TAG_PLACEHOLDER, key)
            feeds.append(
                Feed(
                    f"tag:{key}",
                    path,
                    _("{site}: {tag}").format(site=site, tag=group.name),
                    newest_first(group.entries),
                    archive=archive_key("tags", group.name),
                    what=f"the feed of the tag {quoted(group.name)}",
                )
            )
    return feeds


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


def _timestamp(day: dt.date) -> str:
    """Midnight UTC of a day, as Atom writes dates."""
    return f"{day.isoformat()}T00:00:00Z"


def _fixed_time() -> str:
    """The time of a feed without entries: ``SOURCE_DATE_EPOCH``, else 1970."""
    try:
        seconds = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
        moment = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        moment = dt.datetime.fromtimestamp(0, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _text(text)
    return element


def entry_title(entry: Entry) -> str:
    if isinstance(entry, Award):
        return entry.name
    return short_text(entry) or entry.id


def entry_summary(entry: Entry) -> str:
    """The entry's words as plain text; an award's body, else who gave and won it."""
    text = " ".join(entry.summary.split())
    if isinstance(entry, Award) and not text:
        # the award list's labels, in the build's language
        given = [f"{_('Organizer')}: {entry.organizer}."] if entry.organizer else []
        if entry.recipients:
            given.append(f"{_('Recipients')}: {', '.join(entry.recipients)}.")
        text = " ".join(given)
    return text


def feed_document(feed: Feed, *, base: str, builder: Builder, config: Config) -> bytes:
    """The feed as Atom XML: every text escaped by ElementTree, no markup passed on."""
    root = ET.Element("feed", {"xmlns": ATOM_NAMESPACE})
    if config.language:
        root.set("xml:lang", str(config.language).replace("_", "-"))
    self_address = base + quote(feed.path, safe="/")
    home = _alternate_page(feed, builder.env)
    _sub(root, "id", self_address)
    _sub(root, "title", feed.title)
    _sub(root, "link", rel="self", type=ATOM_MEDIA_TYPE, href=self_address)
    _sub(root, "link", rel="alternate", type="text/html", href=page_address(base, builder, home))
    updated = _timestamp(feed.entries[0].date.start) if feed.entries else _fixed_time()
    _sub(root, "updated", updated)
    author = _sub(root, "author")
    _sub(author, "name", config.author)
    _sub(root, "generator", "sphinx-partnerships")
    for entry in feed.entries:
        item = _sub(root, "entry")
        address = entry_address(base, builder, entry)
        _sub(item, "id", address)
        _sub(item, "title", entry_title(entry), type="text")
        _sub(item, "link", rel="alternate", type="text/html", href=address)
        if entry.link is not None and entry.link.external:
            _sub(item, "link", rel="related", href=entry.link.target)
        day = _timestamp(entry.date.start)
        _sub(item, "published", day)
        _sub(item, "updated", day)
        summary = entry_summary(entry)
        if summary:
            _sub(item, "summary", summary, type="text")
        for tag in dict.fromkeys(entry.tags):
            _sub(item, "category", term=_text(tag))
    ET.indent(root)
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _alternate_page(feed: Feed, env: BuildEnvironment) -> str:
    """The page a feed stands for: a tag's archive page; for the feed of a
    kind, the first page in reading order with a project-wide view of that
    kind (a writer's page, not an archive page); else the page that holds
    most of its entries (the first of them); else the root document."""
    domain = cast(PartnershipsDomain, env.get_domain(DOMAIN))
    archive = domain.archive_page(feed.archive) if feed.archive else None
    if archive is not None:
        return archive
    kind = _FEED_RECORDS.get(feed.key)
    if kind is not None:
        order = domain._toctree_order()
        written = set(domain.data["views"]) - set(domain.data["archive_pages"])
        for docname in sorted(written, key=lambda name: (order.get(name, len(order)), name)):
            views = env.get_doctree(docname).findall(collection_node)
            if any(view["kind"] == kind and view["scope"] == "project" for view in views):
                return str(docname)
    counts: dict[str, int] = {}
    for entry in feed.entries:
        counts[entry.docname] = counts.get(entry.docname, 0) + 1
    if not counts:
        return str(env.config.root_doc)
    return max(counts, key=lambda docname: counts[docname])


def write_feeds(app: Sphinx, exception: BaseException | None) -> None:
    """After a web build, every feed from the whole domain; a file that
    would not change is left as it is."""
    if exception is not None:
        return
    base = site_address(app.config)
    for feed in _feed_index(app):
        assert base is not None
        data = feed_document(feed, base=base, builder=app.builder, config=app.config)
        target = Path(app.outdir, *feed.path.split("/"))
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def check_site_address(app: Sphinx) -> None:
    """Feeds asked for in a web build without the site's address: one warning."""
    if app.builder.name not in FEED_BUILDERS:
        return
    feeds, _problems = check_feed_settings(app.config.partnerships_feeds)
    if feeds and site_address(app.config) is None:
        warn("feed-baseurl", None, value=quoted(app.config.html_baseurl))


def feeds_shown(doctree: nodes.document) -> tuple[set[str], set[str]]:
    """The feeds whose entries a page shows: its kinds of collection, and the
    tags of the entries in them, as its rendering recorded them."""
    shown = shown_on(doctree)
    kinds = {feed for feed, kind in _FEED_RECORDS.items() if kind in shown.kinds}
    return kinds, set(shown.tags)


def advertise_feeds(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    """``<link rel="alternate">`` in the head of a page that shows a feed's
    entries (pages left out of project-wide views show none of them)."""
    if doctree is None:
        return
    wanted = wanted_feeds(app)
    if not wanted:
        return
    if any(fnmatch(pagename, pattern) for pattern in app.config.partnerships_project_exclude):
        return
    kinds, tags = feeds_shown(doctree)
    if not kinds:
        return
    shown = {feed.key for feed in _feed_index(app)}
    wanted_keys: list[str] = [kind for kind in ("activities", "awards") if kind in kinds]
    wanted_keys += sorted({f"tag:{slug(tag)}" for tag in tags})
    links = []
    for feed in _feed_index(app):
        if feed.key in wanted_keys and feed.key in shown:
            href = context["pathto"](feed.path, resource=True)
            links.append(
                f'<link rel="alternate" type="{ATOM_MEDIA_TYPE}"'
                f' title="{html.escape(feed.title)}" href="{html.escape(href)}" />'
            )
    if links:
        context["metatags"] = context.get("metatags", "") + "\n    " + "\n    ".join(links)


def _feed_index(app: Sphinx) -> list[Feed]:
    """The build's feeds that have their file to themselves, planned once
    every page is read: the domain does not change while pages are written."""
    builder = app.builder
    if builder not in _PLANNED:
        _PLANNED[builder] = plan_feeds(app)
    return [feed for feed in _PLANNED[builder] if writes(app, "feed", feed.key)]


def feed_outputs(app: Sphinx) -> list[Output]:
    """The files of the build's feeds."""
    feeds = _PLANNED[app.builder] = plan_feeds(app)
    return [Output("feed", feed.key, feed.path, feed.what, "partnerships_feeds") for feed in feeds]


def setup_feeds(app: Sphinx) -> None:
    app.add_config_value(
        "partnerships_feeds",
        {},
        "html",
        types=(dict,),
        description="Atom feeds to write: activities, awards and tags, each a path.",
    )
    app.add_config_value(
        "partnerships_feed_title",
        None,
        "html",
        types=(str, type(None)),
        description="The site's name in feed titles (defaults to project).",
    )
    app.connect("builder-inited", check_site_address)
    register_outputs(feed_outputs)
    app.connect("html-page-context", advertise_feeds)
    app.connect("build-finished", write_feeds)
