"""What the site needs for a valid EPUB (checked by epubcheck in ``nox -s epub``).

- sphinx-design's tab sets are radio inputs and labels switched by CSS: not
  valid EPUB XHTML, and an e-reader could not switch them anyway. For the
  ``epub`` builder only, each tab set becomes its tabs one after the other,
  each under its label as a heading ("Result", then "MyST source").
- Sphinx writes ``epub_uid`` (the name of the OPF identifier element) into
  toc.ncx where the identifier itself belongs (sphinx-doc/sphinx#11184), which
  epubcheck reports as NCX-001. The ``epub`` builder here writes the identifier.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.transforms.post_transforms import SphinxPostTransform


def _component(node: nodes.Node, name: str) -> bool:
    return isinstance(node, nodes.Element) and node.get("design_component") == name


def _heading_level(node: nodes.Element) -> int:
    """One level below the section the node is in (``h1`` is the page title)."""
    depth, parent = 0, node.parent
    while parent is not None:
        if isinstance(parent, nodes.section):
            depth += 1
        parent = parent.parent
    return min(depth + 1, 6)


class TabSetsAsSections(SphinxPostTransform):
    """Each tab of a tab set in turn, headed by its label (EPUB only).

    Runs before sphinx-design's own HTML transform (priority 200), which then
    finds no tab set left to turn into inputs and labels.
    """

    default_priority = 199
    builders = ("epub",)

    def run(self, **kwargs: Any) -> None:
        for tab_set in list(self.document.findall(lambda n: _component(n, "tab-set"))):
            level = _heading_level(tab_set)
            replacement: list[nodes.Node] = []
            for child in tab_set.children:
                if not _component(child, "tab-item"):
                    replacement.append(child)  # targets and the like stay
                    continue
                label, content = child.children
                assert isinstance(label, nodes.rubric)
                assert isinstance(content, nodes.Element)
                label["classes"] = [c for c in label["classes"] if not c.startswith("sd-")]
                label["heading-level"] = level
                label["ids"] = [*label["ids"], *child["ids"]]
                section = nodes.container(
                    "",
                    label,
                    *content.children,
                    classes=["tab-as-section"],
                    ids=content["ids"],
                )
                replacement.append(section)
            # replace_self() hands the tab set's ids and classes to the first node
            tab_set["classes"] = [c for c in tab_set["classes"] if not c.startswith("sd-")]
            tab_set.replace_self(replacement)


class Epub3BuilderWithNcxIdentifier(Epub3Builder):
    """Sphinx's EPUB 3 builder, with the book's identifier in toc.ncx."""

    def toc_metadata(self, level: int, navpoints: list[Any]) -> dict[str, Any]:
        metadata = super().toc_metadata(level, navpoints)
        metadata["uid"] = html.escape(self.config.epub_identifier)
        return metadata


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_builder(Epub3BuilderWithNcxIdentifier, override=True)
    app.add_post_transform(TabSetsAsSections)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
