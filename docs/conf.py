"""Sphinx configuration of the sphinx-partnerships documentation site."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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

html_theme = "pydata_sphinx_theme"
html_title = "Partnerships"
html_short_title = "Partnerships"
html_logo = "_static/logo.svg"
html_favicon = "_static/favicon.svg"
html_static_path = ["_static"]
html_css_files = ["site.css"]
html_show_sourcelink = False
html_theme_options = {
    "logo": {
        "text": "Partnerships",
        "alt_text": "Partnerships documentation - home",
    },
    "navbar_align": "left",
    "header_links_before_dropdown": 4,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": [],
}
html_sidebars = {
    "index": [],
    "performance": [],
}

# Read the Docs passes the canonical address of the version being built.
if os.environ.get("READTHEDOCS_CANONICAL_URL"):
    html_baseurl = os.environ["READTHEDOCS_CANONICAL_URL"]

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
