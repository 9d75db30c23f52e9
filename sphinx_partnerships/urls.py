"""The addresses of entries and their links in a built HTML site.

An address is relative to the root of the output (``news/log.html#first``,
``news/log/#first`` with ``dirhtml``), or absolute when ``html_baseurl`` is
set (``https://example.org/news/log.html#first``). Exports and feeds, which
are read away from the page, use these.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast
from urllib.parse import quote, unquote, urljoin

from sphinx.errors import NoUri

from .links import Link

if TYPE_CHECKING:
    from sphinx.builders import Builder

    from .domain import PartnershipsDomain
    from .entries import Entry


def page_url(builder: Builder, docname: str, anchor: str = "") -> str | None:
    """A page, and a place on it, relative to the output's root and quoted
    once (``news/caf%C3%A9.html#first``): ``None`` for a builder that writes
    no pages to link to. Every address the extension writes outside a page
    (feeds, ``partnerships.json``) comes from here."""
    try:
        uri = builder.get_target_uri(docname)
    except NoUri:
        return None
    path, _, fragment = uri.partition("#")
    if uri.startswith("#"):
        # the single-page build: every page is a part of the root document's
        path = builder.config.root_doc + getattr(builder, "out_suffix", ".html")
    # ``html`` quotes a page's name (``caf%C3%A9.html``), ``dirhtml`` does not
    # (``café/``): undone, then done once. A ``%`` that starts no escape is
    # kept as written by ``unquote`` and quoted by ``quote``.
    path = quote(unquote(path), safe="/")
    # dirhtml's root page is "": "./" says it is the root, also to urljoin
    path = path or "./"
    # the single-page build addresses pages as "index.html#document-news"
    fragment = quote(anchor or fragment, safe="/")
    return f"{path}#{fragment}" if fragment else path


def absolute_url(builder: Builder, uri: str, base: str | None = None) -> str:
    """``uri`` joined with ``base``, or with ``html_baseurl`` when the project
    sets one."""
    base = base or cast(str, getattr(builder.config, "html_baseurl", "") or "")
    if not base:
        return uri
    return urljoin(base if base.endswith("/") else base + "/", uri)


def entry_url(builder: Builder, entry: Entry, *, absolute: bool = True) -> str | None:
    """Where an entry is on its own page (for a data file loaded by several
    pages, the page that project-wide views send readers to)."""
    uri = page_url(builder, entry.docname, entry.id)
    if uri is None or not absolute:
        return uri
    return absolute_url(builder, uri)


def link_url(
    builder: Builder,
    domain: PartnershipsDomain,
    link: Link,
    origin: str,
    *,
    absolute: bool = True,
) -> str | None:
    """Where an entry's ``link`` leads: a web address as written, an internal
    target (page, label or entry id, written on ``origin``) resolved;
    ``None`` for a target that does not exist."""
    if link.external:
        return link.target
    landing = domain.link_target(origin, link.target)
    if landing is None:
        return None
    uri = page_url(builder, *landing)
    if uri is None or not absolute:
        return uri
    return absolute_url(builder, uri)


#: the longest readable part of a slug: a file name of any system holds it
SLUG_LENGTH = 60
_SEPARATORS = re.compile(r"[\s_-]+")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


def same_name(value: str) -> str:
    """What makes two spellings one name: ``open-data`` for "Open Data",
    "open data" and "open_data" (capitals, and spaces, hyphens and underscores
    between words, do not count)."""
    folded = unicodedata.normalize("NFC", value).casefold()
    return "-".join(part for part in _SEPARATORS.split(folded) if part)


def slug(value: str) -> str:
    """A name's part of an address and a file name (an archive page, a feed).

    ``open-data`` for "Open Data" and its other spellings (:func:`same_name`).
    It holds ASCII letters, digits and hyphens only: accents are dropped
    (``cafe`` for "Café"), and so is anything else (``+``, ``#``, letters of
    other scripts). A name that loses characters on the way, or is longer
    than :data:`SLUG_LENGTH`, ends in two hyphens and a short digest of the
    whole name, so that two names never share an address: ``c--cedb1bac`` for
    "C++", ``c--951a4d36`` for "C#", ``x--cf2abf0c`` for "日本", which has no
    ASCII letter or digit. A slug without a digest never holds two hyphens in
    a row, so it never is one with a digest.
    """
    name = same_name(value)
    decomposed = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    readable = _NOT_WORD.sub("-", decomposed).strip("-")
    if readable == name and len(readable) <= SLUG_LENGTH:
        return readable
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    readable = readable[:SLUG_LENGTH].rstrip("-")
    return f"{readable or 'x'}--{digest}"


@dataclass(frozen=True)
class TagGroup:
    """A tag as every output names it (archive page, feed, filters): all
    its spellings that share a slug, and the entries that carry any of them."""

    slug: str
    #: its spellings, sorted: the first is the one shown
    spellings: tuple[str, ...]
    #: the entries, in the order given, each once
    entries: tuple[Entry, ...]

    @property
    def name(self) -> str:
        return self.spellings[0]


def tag_groups(entries: Iterable[Entry]) -> dict[str, TagGroup]:
    """The tags of ``entries`` by slug: "Open Data" and "open-data" are one."""
    spellings: dict[str, set[str]] = {}
    tagged: dict[str, dict[int, Entry]] = {}
    for entry in entries:
        for tag in entry.tags:
            key = slug(tag)
            spellings.setdefault(key, set()).add(tag)
            tagged.setdefault(key, {}).setdefault(id(entry), entry)
    return {
        key: TagGroup(key, tuple(sorted(spellings[key])), tuple(tagged[key].values()))
        for key in spellings
    }
