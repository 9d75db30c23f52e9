"""Checks of the project around the directives: settings, and MyST's colon fences."""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .archives import check_archive_settings
from .diagnostics import quoted, warn
from .feeds import check_feed_settings

DIRECTIVES = (
    "timeline",
    "activity",
    "award-list",
    "award",
    "card-grid",
    "image-card",
    "text-card",
    "partner-index",
    "partner",
)
_COLON_FENCE = re.compile(
    r"^[ \t]*:{3,}[ \t]*\{(" + "|".join(map(re.escape, DIRECTIVES)) + r")\}", re.M
)


def check_settings(app: Sphinx, config: Config) -> None:
    """Bad settings fall back to their defaults, with a warning each."""
    exclude = config.partnerships_project_exclude
    if not isinstance(exclude, list | tuple) or not all(isinstance(p, str) for p in exclude):
        warn("config-exclude", None, value=quoted(exclude))
        config.partnerships_project_exclude = []
    language = config.partnerships_language
    if language is not None and (not isinstance(language, str) or not language.strip()):
        warn("config-language", None, value=quoted(language))
        config.partnerships_language = None
    feeds, problems = check_feed_settings(config.partnerships_feeds)
    for problem in problems:
        warn("config-feeds", None, problem=problem)
    if problems:
        config.partnerships_feeds = feeds
    kinds, prefix, problems = check_archive_settings(
        config.partnerships_archives, config.partnerships_archive_prefix
    )
    for problem in problems:
        warn("config-archives", None, problem=problem)
    if problems:
        config.partnerships_archives, config.partnerships_archive_prefix = kinds, prefix
    if not isinstance(config.partnerships_json_export, bool):
        warn("config-export", None, value=quoted(config.partnerships_json_export))
        config.partnerships_json_export = True


def check_colon_fences(app: Sphinx, docname: str, source: list[str]) -> None:
    """Without MyST's colon_fence, ``:::{timeline}`` is page text: say so once."""
    suffix = Path(app.env.doc2path(docname)).suffix
    if app.config.source_suffix.get(suffix) != "markdown":
        return
    if "colon_fence" in getattr(app.config, "myst_enable_extensions", ()):
        return
    match = _COLON_FENCE.search(source[0])
    if match is not None:
        line = source[0].count("\n", 0, match.start()) + 1
        warn("markup-colon-fence", (docname, line), value=quoted(match.group(0).strip()))


def setup_checks(app: Sphinx) -> None:
    app.connect("config-inited", check_settings)
    app.connect("source-read", check_colon_fences)
