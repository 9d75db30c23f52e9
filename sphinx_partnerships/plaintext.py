"""Plain-text output: a reader of a text file cannot click a link."""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from .nodes import COMPONENT_CLASSES

SHOWN_SCHEMES = ("https://", "http://", "mailto:")


class ShowUrlsInText(SphinxPostTransform):
    """Write the address of each external link of a component after it."""

    default_priority = 400
    formats = ("text",)

    def run(self, **kwargs: Any) -> None:
        done: set[int] = set()
        for container in self.document.findall(nodes.container):
            if not COMPONENT_CLASSES.intersection(container["classes"]):
                continue
            for reference in list(container.findall(nodes.reference)):
                uri = reference.get("refuri", "")
                if id(reference) in done or not uri.startswith(SHOWN_SCHEMES):
                    continue
                done.add(id(reference))
                address = uri.removeprefix("mailto:")
                reference.parent.insert(
                    reference.parent.index(reference) + 1, nodes.Text(f" <{address}>")
                )


def setup_plaintext(app: Sphinx) -> None:
    app.add_post_transform(ShowUrlsInText)
