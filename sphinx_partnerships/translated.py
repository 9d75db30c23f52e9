"""Translations of what data files and entries say.

Sphinx translates a page's own text by reading each translated message with
the page's parser, every directive and role included. A translation of a
data file's text must get no more than the file itself, so the text fields
of data files are never Sphinx's messages: the extension looks each one up
in the page's catalogs (``locale_dirs``, the page's message domain, as Sphinx
does), reads a translation with the safe subset (:mod:`.safetext`), and
hands gettext the untranslated field, markup and all, once the page is read,
when no translation can parse it any more.

The names entries give (of awards, their organizers and recipients, and of
partners) are looked up the same way when an entry is shown, in the catalogs
of the page that declares it, and shown as the plain text they are.
"""

from __future__ import annotations

import gettext
import os
import weakref
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from uuid import uuid4

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.environment import BuildEnvironment
from sphinx.util.i18n import docname_to_domain

from .entries import Activity, Award, Partner, Record

#: the document attribute that holds the messages noted while it is read
_PENDING = "sp_messages"


class data_message(nodes.Element, addnodes.translatable):
    """A message for gettext: a text field of a data file, or a name, as
    written. Added to a page once it is read, and only for gettext, so that
    Sphinx's translation (which runs while the page is read) never sees it."""

    #: set for gettext, which files the message under it
    uid: str

    def preserve_original_messages(self) -> None:
        pass

    def apply_translated_message(self, original_message: str, translated_message: str) -> None:
        pass  # translated where it is read (see ``translation_of``)

    def extract_original_messages(self) -> Sequence[str]:
        return [self["message"]]


# -- catalogs ------------------------------------------------------------------------

#: msgid -> msgstr of one compiled catalog, by its path, time and size
_COMPILED: dict[tuple[str, int, int], dict[str, str]] = {}
#: the merged catalogs of each message domain, for one build's environment
_MERGED: weakref.WeakKeyDictionary[BuildEnvironment, dict[str, dict[str, str]]] = (
    weakref.WeakKeyDictionary()
)


def catalog_of(env: BuildEnvironment, docname: str) -> dict[str, str]:
    """The translations for a page: its message domain in every folder of
    ``locale_dirs``, the first folder's first (as Sphinx merges them)."""
    domain = docname_to_domain(docname, env.config.gettext_compact)
    merged = _MERGED.setdefault(env, {})
    if domain not in merged:
        merged[domain] = _read_catalogs(env, domain)
    return merged[domain]


def _read_catalogs(env: BuildEnvironment, domain: str) -> dict[str, str]:
    language = env.config.language
    if not language:
        return {}
    found: list[str] = []
    for folder in env.config.locale_dirs:
        localedir = Path(env.srcdir, folder)
        if localedir.is_dir():
            found.extend(gettext.find(domain, str(localedir), [language], all=True))
    merged: dict[str, str] = {}
    for path in reversed(found):
        merged |= _compiled(path)
    return merged


def _compiled(path: str) -> dict[str, str]:
    status = os.stat(path)
    key = (path, status.st_mtime_ns, status.st_size)
    if key not in _COMPILED:
        try:
            with open(path, "rb") as file:
                catalog: dict[Any, Any] = getattr(gettext.GNUTranslations(file), "_catalog", {})
        except (OSError, ValueError):
            catalog = {}
        _COMPILED[key] = {
            msgid: msgstr
            for msgid, msgstr in catalog.items()
            if isinstance(msgid, str) and msgid and isinstance(msgstr, str)
        }
    return _COMPILED[key]


def translation_of(env: BuildEnvironment, docname: str, message: str) -> str | None:
    """The translation of ``message`` for a page, if it has one."""
    translated = catalog_of(env, docname).get(message, "")
    return translated if translated.strip() and translated != message else None


def shown_words(env: BuildEnvironment, docname: str, words: str) -> str:
    """A name (of an award, an organizer, a recipient, a partner) as the
    page that declares it shows it: translated, as plain text."""
    return translation_of(env, docname, words) or words


def names_of(record: Record) -> list[str]:
    """The names a record shows, each translated where it is shown."""
    if isinstance(record, Award):
        return [record.name, *([record.organizer] if record.organizer else []), *record.recipients]
    if isinstance(record, Activity):
        return list(record.partners)
    if isinstance(record, Partner):
        return [record.name]
    return []


# -- messages for gettext ------------------------------------------------------------


def note_message(document: nodes.document, message: str, location: str) -> None:
    """Give gettext ``message`` (written at ``location``, ``path:line``) once
    the page is read."""
    if not message.strip():
        return
    source, _, line = location.rpartition(":")
    pending: list[tuple[str, str, int | None]] = document.__dict__.setdefault(_PENDING, [])
    pending.append((message, source, int(line) if line.isdigit() else None))


def hand_messages_to_gettext(app: Sphinx, doctree: nodes.document) -> None:
    """The messages noted while the page was read, as nodes at its end, for
    gettext only; every translation transform has run by now."""
    pending: list[tuple[str, str, int | None]] = doctree.__dict__.pop(_PENDING, [])
    if not isinstance(app.builder, MessageCatalogBuilder):
        return
    for message, source, line in pending:
        node = data_message(message=message)
        node.source, node.line = source, line
        node.uid = uuid4().hex
        doctree += node


def setup_translated(app: Sphinx) -> None:
    app.connect("doctree-read", hand_messages_to_gettext)
