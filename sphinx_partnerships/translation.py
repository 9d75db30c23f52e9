"""The extension's own words (labels, hints), in the build's language.

The catalogs in ``locale/`` are compiled from their ``.po`` sources with
``nox -s translations``.
"""

from __future__ import annotations

from pathlib import Path

from sphinx.locale import get_translation

MESSAGE_CATALOG = "sphinx_partnerships"
LOCALE_DIR = Path(__file__).parent / "locale"

_ = get_translation(MESSAGE_CATALOG)

# Words that reach ``_`` as variables; listed here so that extraction finds them.
PARTNER_KINDS = {"country": _("country"), "organisation": _("organisation")}
