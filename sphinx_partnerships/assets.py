"""The stylesheet: shipped in the package, linked only from pages that use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.fileutil import copy_asset_file

STATIC_DIR = Path(__file__).parent / "static"
STYLESHEET = "partnerships.css"
_MARKER = "sp-collection"
_CARD_MARKER = "sp-card-grid"


def _uses_component(doctree: nodes.document) -> bool:
    return any(
        _MARKER in node["classes"] or _CARD_MARKER in node["classes"]
        for node in doctree.findall(nodes.container)
    )


def _copy_stylesheet(app: Sphinx) -> list[tuple[str, dict[str, Any], str]]:
    """Write ``_static/partnerships.css`` while the HTML builder finishes,
    early enough for EPUB to list it in its manifest. Adds no pages."""
    static = Path(app.builder.outdir, "_static")
    static.mkdir(parents=True, exist_ok=True)
    copy_asset_file(STATIC_DIR / STYLESHEET, static / STYLESHEET, force=True)
    return []


def _link_stylesheet(
    app: Sphinx,
    pagename: str,
    templatename: str,
    context: dict[str, Any],
    doctree: nodes.document | None,
) -> None:
    if doctree is not None and _uses_component(doctree):
        app.add_css_file(STYLESHEET)


def setup_assets(app: Sphinx) -> None:
    app.connect("html-collect-pages", _copy_stylesheet)
    app.connect("html-page-context", _link_stylesheet)
