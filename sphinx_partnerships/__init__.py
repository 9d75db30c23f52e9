"""Sphinx directives for dated activity timelines, award lists and image card grids.

How an entry travels: its directive (or data file row) notes a plain record in
the ``partnerships`` domain and leaves an entry node with its parsed body in
the page (``directives``); once the page is read the domain keeps a detached
copy of the body (``domain``, ``travel``); when a page is written, one
post-transform renders its entries and collections, with copies of other
pages' bodies made for it, before Sphinx resolves every cross-reference for
that page (``views``). A data file's entries are checked by one function
(``checking``), whose problems the build warns about and the command line
(``cli``) prints. The reference page "How it works" tells the same.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: bumped whenever the records stored in the environment change shape
ENV_VERSION = 11


def setup(app: Sphinx) -> ExtensionMetadata:
    """Register the directives, roles, domain, nodes and stylesheet."""
    from .anchors import setup_anchors
    from .archives import setup_archives
    from .assets import setup_assets
    from .awards import setup_awards
    from .cards import setup_cards
    from .checks import setup_checks
    from .domain import setup_domain
    from .export import setup_export
    from .feeds import setup_feeds
    from .images import setup_images
    from .links import setup_links
    from .nodes import setup_nodes
    from .outputs import setup_outputs
    from .partners import setup_partners
    from .plaintext import setup_plaintext
    from .timeline import setup_timeline
    from .translated import setup_translated
    from .translation import LOCALE_DIR, MESSAGE_CATALOG
    from .views import setup_views

    app.add_config_value(
        "partnerships_language",
        None,
        "env",
        types=(str, type(None)),
        description="Locale for dates (defaults to the build's language).",
    )
    app.add_config_value(
        "partnerships_project_exclude",
        [],
        "env",
        types=(list, tuple),
        description="Page patterns whose entries project-wide views leave out.",
    )
    setup_checks(app)
    setup_domain(app)
    setup_nodes(app)
    setup_views(app)
    setup_links(app)
    setup_timeline(app)
    setup_awards(app)
    setup_cards(app)
    setup_images(app)
    setup_partners(app)
    setup_plaintext(app)
    setup_assets(app)
    setup_feeds(app)
    setup_export(app)
    setup_archives(app)
    setup_outputs(app)
    setup_anchors(app)
    setup_translated(app)
    # Registered even without translations: unregistered, every label would
    # be looked up again on each use.
    app.add_message_catalog(MESSAGE_CATALOG, str(LOCALE_DIR))
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
