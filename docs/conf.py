"""Sphinx configuration of the sphinx-partnerships documentation site."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sphinx_partnerships

# -- Project ------------------------------------------------------------------

project = "sphinx-partnerships"
author = "sphinx-partnerships contributors"
copyright = "sphinx-partnerships contributors"
release = sphinx_partnerships.__version__
version = ".".join(release.split(".")[:2])
language = "en"

# -- General ------------------------------------------------------------------

extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinx_partnerships",
    "sphinx_sitemap",
    "notfound.extension",
    "sphinxext.opengraph",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
    "snippets",
    "_generated",
    "Thumbs.db",
    ".DS_Store",
]
nitpicky = True
show_warning_types = True

myst_enable_extensions = [
    "colon_fence",
    "deflist",
]
myst_heading_anchors = 3

# The guide's made-up examples stay out of project-wide views and the partner
# index, which show the site's real activities only.
partnerships_project_exclude = ["guide/*"]

# -- HTML ---------------------------------------------------------------------

# The site has two parts: the International Partnerships section, which readers
# come for, and the extension's documentation for writers (writers/index and the
# pages below it in the table of contents). The header names the section.
SITE_TITLE = "GovTech International Partnerships"
WRITERS_ROOT = "writers/index"
WRITERS_TITLE = "sphinx-partnerships"

html_theme = "pydata_sphinx_theme"
html_title = SITE_TITLE
html_short_title = "International Partnerships"
html_logo = "_static/logo.svg"
html_favicon = "_static/favicon.svg"
# The JSON Schemas of data files are published as _static/<kind>.schema.json,
# the address the "# yaml-language-server: $schema=" line of a data file names.
SCHEMAS = Path(sphinx_partnerships.__file__).parent / "schemas"
html_static_path = ["_static", *(str(path) for path in sorted(SCHEMAS.glob("*.schema.json")))]
html_css_files = ["site.css"]
html_show_sourcelink = False
html_theme_options = {
    "logo": {
        "text": SITE_TITLE,
        "alt_text": f"{SITE_TITLE} - home",
    },
    "navbar_align": "left",
    "header_links_before_dropdown": 4,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_context = {
    # The mode a first visit gets, before the reader picks one. Without it the
    # theme's script finds an empty mode and logs "Got invalid theme mode".
    "default_mode": "auto",
}
html_sidebars = {
    "index": [],
    "performance": [],
}

# The canonical address of the version being built: Read the Docs passes it;
# elsewhere the latest version's. Canonical links, the sitemap, Open Graph and
# the 404 page's links are built from it.
html_baseurl = os.environ.get(
    "READTHEDOCS_CANONICAL_URL", "https://sphinx-partnerships.readthedocs.io/en/latest/"
)
if not html_baseurl.endswith("/"):
    html_baseurl += "/"

# Atom feeds of the section's activities and awards, with links from html_baseurl.
partnerships_feeds = {
    "activities": "feeds/activities.atom",
    "awards": "feeds/awards.atom",
}
partnerships_feed_title = "GovTech International Partnerships"

# Archive pages, one per tag, partner and year, and their index at archives/:
# the html and dirhtml builders make them (the default, set here to be seen).
# Partner names lead to a partner's archive page rather than the partner index.
partnerships_archives = ["tags", "partners", "years"]
partnerships_archive_prefix = "archives"

# sitemap.xml: html_baseurl already holds the language and version.
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search/", "genindex/", "404/"]

# The 404 page links its styles, scripts and pages from the site's root path, so
# that it works at any missing address below it (on Read the Docs "/en/latest/").
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>\n"
        "<p>There is no page at this address. The"
        f' <a href="{notfound_urls_prefix}international-partnerships/">International'
        " Partnerships</a> section and the"
        f' <a href="{notfound_urls_prefix}">home page</a> lead to every page of this'
        " site; the search box finds words on them.</p>"
    ),
}

# Open Graph: a page's og:description is its meta description where it has one
# (see page_parts below), else its first words.
ogp_site_url = html_baseurl
ogp_site_name = SITE_TITLE
ogp_social_cards = {"enable": False}

# -- EPUB ---------------------------------------------------------------------

# docs/_ext/epub_support.py: sphinx-design's tab sets as headed sections, and the
# book's identifier in toc.ncx, so that epubcheck accepts the book.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))
extensions.append("epub_support")

epub_title = "sphinx-partnerships"
epub_author = author
epub_publisher = author
epub_copyright = copyright
epub_identifier = "https://sphinx-partnerships.readthedocs.io/"
epub_scheme = "URL"
# The name of the identifier element in content.opf: an XML name.
epub_uid = "sphinx_partnerships"
epub_show_urls = "no"
epub_exclude_files = ["search.html"]
# Without -d, Sphinx keeps its doctrees in the output folder, and the EPUB
# builder would warn about each of those files before leaving them out.
suppress_warnings = ["epub.unknown_project_files"]

# -- LaTeX (PDF) --------------------------------------------------------------

latex_documents = [
    (
        root_doc,
        "sphinx-partnerships.tex",
        "sphinx-partnerships",
        author,
        "manual",
    ),
]
latex_show_urls = "footnote"
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    # The running heads of 11pt text need 13.6pt; LaTeX's default 12pt makes
    # fancyhdr warn on every page.
    "geometry": r"\usepackage[headheight=14pt]{geometry}",
}


# -- The two parts of the site -------------------------------------------------


def writers_pages(env: Any) -> set[str]:
    """The documentation for writers: its root page and every page below it."""
    found: set[str] = set()
    stack = [WRITERS_ROOT]
    while stack:
        docname = stack.pop()
        if docname not in found:
            found.add(docname)
            stack.extend(env.toctree_includes.get(docname, []))
    return found


_DESCRIPTION = re.compile(r"<meta\b(?=[^>]*\bname=\"description\")[^>]*\bcontent=\"([^\"]*)\"")


# pydata-sphinx-theme's toggle for a sidebar entry's pages is a <summary> with
# only an icon in it: give it words for screen readers.
_TOGGLE = re.compile(r"(<a\b[^>]*>((?:(?!</a>).)*)</a>\s*<details\b[^>]*>\s*<summary>)", re.S)


def labelled_toggles(html: str) -> str:
    def label(match: re.Match[str]) -> str:
        title = re.sub(r"<[^>]+>", "", match[2]).strip()
        return f'{match[1]}<span class="visually-hidden">Pages under {title}</span>'

    return _TOGGLE.sub(label, html)


def sidebar_toggles(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """After the theme's own handler, which sets generate_toctree_html."""
    toctree = context.get("generate_toctree_html")
    if toctree is not None:
        context["generate_toctree_html"] = lambda *args, **kwargs: labelled_toggles(
            str(toctree(*args, **kwargs))
        )


def page_parts(app: Any, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """Keep readers and writers each in their own part of the site.

    Previous and next links stay within a part; a writers' page says
    "sphinx-partnerships" after its title in the browser's tab, a reader's page
    the site's title (a page named like the site, only its name). A page's meta
    description is also its Open Graph description.
    """
    if pagename == app.config.notfound_pagename:
        not_found_page(app, context)
    if doctree is None or app.builder.format != "html":
        return
    writers = writers_pages(app.env)
    relations = app.env.collect_relations()
    _parent, previous, following = relations.get(pagename, (None, None, None))
    own = pagename in writers
    if previous is not None and (previous in writers) != own:
        context["prev"] = None
    if following is not None and (following in writers) != own:
        context["next"] = None
    if own:
        context["docstitle"] = WRITERS_TITLE
    elif context.get("title") == context.get("docstitle"):
        context["docstitle"] = None
    description = _DESCRIPTION.search(context.get("metatags", ""))
    if description:
        context["meta"] = {**(context.get("meta") or {}), "og:description": description[1]}


def not_found_page(app: Any, context: dict) -> None:
    """The 404 page is shown at any missing address: no canonical address of its
    own, and its home link absolute like its other links."""
    context["pageurl"] = None
    pathto = context["pathto"]

    def absolute_pathto(otheruri: str, resource: bool = False, *args: Any) -> str:
        uri = pathto(otheruri, resource, *args)
        return notfound_urls_prefix if uri == "#" and not resource else uri

    context["pathto"] = absolute_pathto


def not_found_at_the_root(app: Any, exception: Exception | None) -> None:
    """dirhtml writes the 404 page to 404/index.html; Read the Docs serves
    404.html from the root of the version."""
    folder = Path(app.outdir) / app.config.notfound_pagename
    if exception is None and app.builder.name == "dirhtml" and (folder / "index.html").is_file():
        (folder / "index.html").replace(Path(app.outdir) / f"{folder.name}.html")
        folder.rmdir()


def sitemap_for_websites_only(app: Any) -> None:
    """No sitemap.xml beside an EPUB or another non-web build."""
    if app.builder.name not in {"html", "dirhtml"}:
        app.config.sitemap_excludes = ["*"]


def setup(app: Any) -> None:
    app.connect("builder-inited", sitemap_for_websites_only)
    app.connect("build-finished", not_found_at_the_root)
    # before sphinxext-opengraph (500), which reads the page's metadata
    app.connect("html-page-context", page_parts, priority=450)
    app.connect("html-page-context", sidebar_toggles, priority=900)
