"""Links of entries and cards: external URLs, internal targets, refused schemes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .diagnostics import Problem, quoted
from .nodes import COMPONENT_CLASSES

if TYPE_CHECKING:
    from sphinx.application import Sphinx

EXTERNAL_SCHEMES = ("http", "https", "mailto")

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Browsers ignore ASCII control characters and white space inside a scheme
# ("java\tscript:"), so they must not hide one from us either.
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]+")


class LinkError(Problem):
    """A link with a scheme that could run code or read local files."""


@dataclass(frozen=True, slots=True)
class Link:
    target: str
    external: bool


def parse_link(value: str) -> Link:
    """Classify a link; raise :class:`LinkError` for a refused scheme."""
    target = value.strip()
    if not target:
        raise LinkError("link-empty")
    match = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", target))
    if match is None:
        if target.startswith("//"):
            raise LinkError("link-no-scheme", value=quoted(target))
        return Link(target, external=False)
    scheme = match.group(1).lower()
    if scheme in EXTERNAL_SCHEMES:
        return Link(target, external=True)
    raise LinkError("link-scheme", value=quoted(scheme))


def link_node(
    link: Link,
    children: list[nodes.Node],
    *,
    docname: str,
    location: tuple[str | None, int | None],
    classes: tuple[str, ...] = (),
    origin: str | None = None,
) -> nodes.Element:
    """A reference for a URL, or a cross-reference Sphinx resolves for a target.

    ``docname`` is the page the link is shown on, ``origin`` the page it was
    written for (relative page names start there). ``location`` is ``(source
    path, line)`` of the declaration, so that an internal target that does not
    resolve is reported where it was written.
    """
    if link.external:
        return nodes.reference("", "", *children, refuri=link.target, classes=list(classes))
    xref = addnodes.pending_xref(
        "",
        nodes.inline("", "", *children, classes=list(classes)),
        refdomain="partnerships",
        reftype="link",
        reftarget=link.target,
        refdoc=docname,
        refexplicit=True,
        refwarn=True,
        sp_origin=origin or docname,
    )
    xref.source, xref.line = location
    return xref


class SinglePageAnchors(SphinxPostTransform):
    """On a single page, ``#document-news/log#first`` lands nowhere (Sphinx
    writes cross-references to other pages that way): the links of entries,
    cards and partner roles go to ``#first``, which is on the page."""

    builders = ("singlehtml",)
    default_priority = 20  # once cross-references are resolved

    def run(self, **kwargs: Any) -> None:
        for reference in self.document.findall(nodes.reference):
            uri = reference.get("refuri", "")
            if not uri.startswith("#") or uri.count("#") < 2 or not _is_ours(reference):
                continue
            reference["refuri"] = "#" + uri.rpartition("#")[2]


def _is_ours(reference: nodes.reference) -> bool:
    if any(
        "partnerships" in child.get("classes", ())
        for child in reference.children
        if isinstance(child, nodes.Element)
    ):
        return True
    node: nodes.Element | None = reference
    while node is not None:
        if COMPONENT_CLASSES.intersection(node.get("classes", ())):
            return True
        node = node.parent
    return False


def setup_links(app: Sphinx) -> None:
    app.add_post_transform(SinglePageAnchors)
