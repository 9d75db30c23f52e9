"""The stylesheet: shipped in the package, linked only from pages that use it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from .nodes import COMPONENT_CLASSES

STATIC_DIR = Path(__file__).parent / "static"
STYLESHEET = "partnerships.css"


def _uses_component(doctree: nodes.document) -> bool:
    return any(
        COMPONENT_CLASSES.intersection(node["classes"]) for node in doctree.findall(nodes.container)
    )


def compact_css(text: str) -> str:
    """The stylesheet without its comments and the spaces that only help
    maintainers read it (a third of its size): a rule to a line.

    Spaces go only around ``{ } ; , >`` and parentheses and after ``:``, never
    around ``+`` and ``-`` (``calc()`` needs them) or before ``:`` (``a :hover``
    is not ``a:hover``)."""
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    text = re.sub(r"\s+", " ", text)
    text = re.sub(r"\s*([{};,>])\s*", r"\1", text)
    text = re.sub(r"\(\s+", "(", re.sub(r"\s+\)", ")", text))
    text = re.sub(r":\s+", ":", text).replace(";}", "}")
    return text.strip().replace("}", "}\n")


def _write_stylesheet(app: Sphinx) -> None:
    """Every HTML builder (single page and EPUB too) gets the stylesheet in
    its ``_static`` folder before it writes anything, so that EPUB lists it
    in its manifest; it is written from the package's commented source."""
    if not isinstance(app.builder, StandaloneHTMLBuilder):
        return
    folder = Path(app.outdir) / "_static"
    folder.mkdir(parents=True, exist_ok=True)
    source = (STATIC_DIR / STYLESHEET).read_text(encoding="utf-8")
    (folder / STYLESHEET).write_text(compact_css(source), encoding="utf-8")


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
    app.connect("builder-inited", _write_stylesheet)
    app.connect("html-page-context", _link_stylesheet)
