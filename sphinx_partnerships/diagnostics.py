"""One place for the extension's warnings: ``type="partnerships"`` plus a subtype.

Writers silence a family with ``suppress_warnings = ["partnerships.date"]`` and
``-W`` turns any of them into a failed build.
"""

from __future__ import annotations

from typing import Literal, TypeAlias

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger("sphinx_partnerships")

WarningSubtype = Literal[
    "date", "field", "source", "link", "image", "alt", "duplicate", "structure"
]

#: ``(docname, line)`` for pages, ``"/abs/path.yaml:12"`` for data files, or a node.
Location: TypeAlias = tuple[str, int | None] | str | nodes.Node | None


def warn(subtype: WarningSubtype, message: str, location: Location) -> None:
    """Emit one partnerships warning at an exact place."""
    logger.warning(message, type="partnerships", subtype=subtype, location=location)
