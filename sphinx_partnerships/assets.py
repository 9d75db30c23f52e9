"""The stylesheet: shipped in the package, linked only from pages that use it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.config import Config

from .nodes import COMPONENT_CLASSES

STATIC_DIR = Path(__file__).parent / "static"
STYLESHEET = "partnerships.css"


def _uses_component(doctree: nodes.document) -> bool:
    return any(
        COMPONENT_CLASSES.intersection(node["classes"]) for node in doctree.findall(nodes.container)
    )


def _add_static_dir(app: Sphinx, config: Config) -> None:
    """Every HTML builder (single page and EPUB too) copies the stylesheet
    with the theme's own static files, and EPUB lists it in its manifest."""
    config.html_static_path = [*config.html_static_path, str(STATIC_DIR)]


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
    app.connect("config-inited", _add_static_dir)
    app.connect("html-page-context", _link_stylesheet)
