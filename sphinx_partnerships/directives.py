"""The directive base every component shares: options, locations, bodies, data files."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .checking import check_entries
from .collection import GroupBy, parse_query
from .diagnostics import holding_warnings_about, quoted, warn, warn_issue
from .domain import DOMAIN, PartnershipsDomain
from .entries import Declaration, Entry, FieldSpec, Record, validate_fields
from .nodes import collection_node, entry_node
from .rendering import BODY_CLASS
from .safetext import parse_safe_text
from .sources import SUFFIXES, DataFile, read_data_file, report_problems
from .translated import names_of, note_message, translation_of

#: what a writer calls each kind of entry and collection in a warning
KIND_NAMES = {"activity": "an activity", "award": "an award", "partner": "a partner"}
COLLECTION_NAMES = {
    "activity": "a timeline",
    "award": "an award list",
    "partner-index": "a partner index",
}


class PermissiveOptions(dict[str, Callable[[str], Any]]):
    """An option spec that accepts any name, so that an unknown option becomes
    our own ``partnerships.field`` warning instead of a parser error that
    throws the whole directive away."""

    def __missing__(self, key: str) -> Callable[[str], Any]:
        return directives.unchanged


def option_spec(*names: str) -> PermissiveOptions:
    return PermissiveOptions(dict.fromkeys(names, directives.unchanged))


class PartnershipsDirective(SphinxDirective):
    """Shared behaviour: checked options, exact locations, markup and data files."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec = option_spec("class")

    @property
    def what(self) -> str:
        return f"{self.name} directive"

    def source_and_line(self) -> tuple[str, int]:
        """The file that holds the directive (an included file too) and its line."""
        source, line = self.get_source_info()
        # docutils names an included file relative to the working directory
        path = os.path.abspath(source) if source else str(self.env.doc2path(self.env.docname))
        return path, line or self.lineno

    @property
    def here(self) -> str:
        """``/path/page.md:12``: where warnings about this directive point."""
        return "{}:{}".format(*self.source_and_line())

    def checked_options(self) -> dict[str, str | None]:
        """The known options; a warning for every unknown one."""
        known = set(type(self).option_spec or ())
        allowed = ", ".join(f":{option}:" for option in sorted(known))
        for name in self.options:
            if name not in known:
                warn("option-unknown", self.here, subject=self.what, option=name, known=allowed)
        return {name: value for name, value in self.options.items() if name in known}

    def css_classes(self, options: Mapping[str, str | None]) -> list[str]:
        try:
            return directives.class_option(options.get("class") or "")
        except ValueError:
            warn("option-class", self.here, subject=self.what, value=quoted(options["class"]))
            return []

    def validate(
        self,
        raw: Mapping[str, Any],
        specs: Mapping[str, FieldSpec],
        *,
        argument: str | None = None,
        body: str | None = None,
    ) -> dict[str, Any] | None:
        """Validate a directive's argument, options and body with the data file
        rules, told in a directive's words."""
        fields = {name.replace("-", "_"): value for name, value in raw.items()}
        how = Declaration(self.what, in_directive=True, argument=argument, body=body)
        return validate_fields(fields, specs, self.here, how)

    @property
    def domain(self) -> PartnershipsDomain:
        return cast(PartnershipsDomain, self.env.get_domain(DOMAIN))

    def where(self, line: int, source_path: str, datafile: str | None = None) -> dict[str, Any]:
        """Where a record is declared, and its number in the page's order."""
        return {
            "docname": self.env.docname,
            "key": self.env.new_serialno("sp-entry"),
            "lineno": line,
            "source_path": source_path,
            "datafile": datafile,
        }

    def declare(self, record: Record, parsed: list[nodes.Node]) -> entry_node:
        """Note ``record`` in the domain; its node carries the parsed body.

        A dated entry gets its anchor here: the ``:id:``, or one derived from
        its words, unique on the page (sections and entries before it).
        """
        body = nodes.container("", *parsed, classes=[BODY_CLASS])
        for name in names_of(record):
            # shown translated wherever the entry is shown (see rendering)
            note_message(self.state.document, name, record.location)
        node = entry_node("", body, kind=record.kind, key=record.key, docname=record.docname)
        node.source, node.line = record.source_path, record.lineno
        if isinstance(record, Entry):
            record.id = self.unique_anchor(record, body.astext())
            node["ids"].append(record.id)
            self.state.document.ids[record.id] = node
        self.domain.note_record(record)
        return node

    def unique_anchor(self, record: Entry, text: str) -> str:
        wanted = record.id or record.derived_id(text)
        anchor, number = wanted, 1
        while anchor in self.state.document.ids:
            number += 1
            anchor = f"{wanted}-{number}"
        if record.explicit_id and anchor != wanted:
            warn(
                "duplicate-on-page",
                record.location,
                subject=self.what,
                value=quoted(wanted),
                anchor=quoted(anchor),
            )
        return anchor

    def lift_nested(self, parsed: list[nodes.Node], container: str) -> list[nodes.Node]:
        """Entries and collections written inside an entry or a card cannot be
        part of it: each is a warning at its line, and follows it instead.
        A ``toctree`` cannot travel with an entry to the pages that show it.
        ``parsed`` keeps the rest; the lifted nodes are returned."""
        lifted: list[nodes.Node] = []
        kept: list[nodes.Node] = []
        for tree in parsed:
            if isinstance(tree, entry_node | collection_node):
                self.warn_misplaced(tree, container, "structure-nested")
                lifted.append(tree)
                continue
            if not isinstance(tree, nodes.Element):
                kept.append(tree)
                continue
            for toctree in list(tree.findall(addnodes.toctree)):
                warn("structure-toctree", toctree, container=container)
                holder = toctree.parent
                holder.remove(toctree)
                if not holder.children and holder is not tree and holder.parent is not None:
                    holder.parent.remove(holder)
            if tree.children or not isinstance(tree, nodes.compound):
                kept.append(tree)
            while (nested := next(tree.findall(_is_entry_or_collection), None)) is not None:
                assert isinstance(nested, nodes.Element)
                self.warn_misplaced(nested, container, "structure-nested")
                nested.parent.remove(nested)
                lifted.append(nested)
        parsed[:] = kept
        return lifted

    def warn_misplaced(self, node: nodes.Element, container: str, key: str) -> None:
        names = COLLECTION_NAMES if isinstance(node, collection_node) else KIND_NAMES
        warn(key, node, what=names.get(node["kind"], node["kind"]), container=container)

    def adopted(self, tree: nodes.Element) -> nodes.Element:
        """Tie generated nodes to the page, as the parser ties its own.

        Otherwise docutils looks the document up through every ancestor each
        time a transform adds or replaces a node below them, and Sphinx's
        source workaround fills in (and logs) what is missing, node by node.
        """
        document = self.state.document
        source = document.current_source or str(self.env.doc2path(self.env.docname))
        for node in tree.findall():
            node.document = document
            if isinstance(node, nodes.TextElement) and not node.rawsource:
                node.rawsource = node.astext()
            if isinstance(node, nodes.rubric | nodes.image) and node.source is None:
                node.source, node.line = source, self.lineno
        return tree

    # -- markup -----------------------------------------------------------------

    def parse_body(self) -> list[nodes.Node]:
        """The directive's content, parsed with the page's own parser."""
        if not self.content:
            return []
        return self.parse_content_to_nodes()

    def parse_data_text(self, text: str, location: str, subject: str) -> list[nodes.Node]:
        """A ``text`` or ``caption`` field, read with the safe subset of the
        page's markup (see :mod:`.safetext`), in its translation if the page's
        catalogs have one (see :mod:`.translated`)."""
        return self.read_data_text(text, location, subject)[0]

    def read_data_text(
        self, text: str, location: str, subject: str
    ) -> tuple[list[nodes.Node], str]:
        """The nodes :meth:`parse_data_text` gives, and the words of the text
        as written: a translation does not change an entry's anchor."""
        suffix = Path(self.env.doc2path(self.env.docname)).suffix
        markdown = self.config.source_suffix.get(suffix) == "markdown"
        docname = self.env.docname
        message = text.strip()
        note_message(self.state.document, message, location)
        parsed = parse_safe_text(
            text, markdown=markdown, docname=docname, subject=subject, location=location
        )
        words = "\n\n".join(tree.astext() for tree in parsed)
        translated = translation_of(self.env, docname, message)
        if translated is not None:
            about = f"{subject} ({self.config.language} translation)"
            parsed = parse_safe_text(
                translated, markdown=markdown, docname=docname, subject=about, location=location
            )
        for tree in parsed:
            for node in tree.findall():
                node.document = self.state.document
                if isinstance(node, nodes.TextElement) and not isinstance(node, nodes.Inline):
                    # no message of the page's: Sphinx would read a
                    # translation of it with the page's whole markup
                    node["translatable"] = False
        return parsed, words

    def translated_words(self, words: str, location: str) -> str:
        """A plain text field of a data file (a card's title or footer) in
        the page's language, as plain text."""
        note_message(self.state.document, words, location)
        return translation_of(self.env, self.env.docname, words) or words

    # -- data files -------------------------------------------------------------

    @contextmanager
    def data_file(self, key: str) -> Iterator[tuple[DataFile, str, str] | None]:
        """Read ``:source:``: the data, its path for warnings, its srcdir-relative
        path (``None`` without a usable ``:source:``).

        The page is rebuilt when the file changes, or when a link on its way
        points elsewhere; a path leaving the source directory is refused.
        Warnings located in the file, while the caller reads its entries, are
        told once for the whole build, however many pages load it.
        """
        source = (self.options.get("source") or "").strip()
        path = self.data_file_path(source) if source else None
        if path is None:
            yield None
            return
        with holding_warnings_about(str(path)) as held:
            data = read_data_file(path, key)
            report_problems(data, str(path), self.here)
            srcdir = Path(self.env.srcdir).resolve()
            yield data, str(path), path.relative_to(srcdir).as_posix()
        self.domain.hold_warnings(self.env.docname, held)

    def data_file_path(self, source: str) -> Path | None:
        """The file ``:source:`` names, links resolved, or ``None`` (warned)."""
        _, absolute = self.env.relfn2path(source, self.env.docname)
        srcdir = Path(self.env.srcdir).resolve()
        path = Path(absolute).resolve()
        # as written: links on the way not followed (``relfn2path`` may follow them)
        page = Path(self.env.doc2path(self.env.docname))
        folder = self.env.srcdir if source.startswith("/") else page.parent
        written = os.path.normpath(os.path.join(folder, source.lstrip("/")))
        if not path.is_relative_to(srcdir):
            warn("source-outside", self.here, subject=self.what, value=quoted(source))
            return None
        if path.suffix.lower() not in SUFFIXES:
            warn("source-suffix", self.here, subject=self.what, value=quoted(source))
            return None
        self.env.note_dependency(str(path))
        self.domain.note_data_file(self.env.docname, written, path)
        return path

    def validate_data_entries(
        self,
        data: DataFile,
        display: str,
        specs: Mapping[str, FieldSpec],
        singular: str,
    ) -> Iterator[tuple[dict[str, Any], int]]:
        """The valid entries of a data file, each with its line; a warning for
        each problem (the checks ``sphinx-partnerships check`` runs too)."""
        for entry in check_entries(data, specs, singular):
            for issue in entry.issues:
                warn_issue(issue, f"{display}:{issue.line}")
            if entry.values is not None:
                yield entry.values, entry.line


class EntryDirective(PartnershipsDirective):
    """``activity DATE`` / ``award NAME``: one entry, shown by the collection
    it is written in, or in place on its own."""

    record_type: ClassVar[type[Entry]]
    fields: ClassVar[Mapping[str, FieldSpec]]
    #: the field the directive's argument fills ("date", "name")
    argument_field: ClassVar[str]
    #: whether the body is the entry's required ``text``
    body_is_text: ClassVar[bool] = False

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        raw: dict[str, Any] = {
            self.argument_field: self.arguments[0] if self.arguments else None,
            **{name: value for name, value in options.items() if name != "class"},
        }
        if self.body_is_text:
            raw["text"] = "\n".join(self.content).strip()
        values = self.validate(
            raw,
            self.fields,
            argument=self.argument_field,
            body="text" if self.body_is_text else None,
        )
        if values is None:
            return []
        source_path, line = self.source_and_line()
        declared = self.where(line, source_path)
        record = self.record_type.from_values(values, **declared)
        record.classes = tuple(self.css_classes(options))
        parsed = self.parse_body()
        lifted = self.lift_nested(parsed, KIND_NAMES[record.kind])
        return [self.adopted(self.declare(record, parsed)), *lifted]


class CollectionDirective(PartnershipsDirective):
    """``timeline`` / ``award-list``: entries nested, from ``:source:``, or
    (``:scope: project``) from the whole project."""

    optional_arguments = 0
    record_type: ClassVar[type[Entry]]
    fields: ClassVar[Mapping[str, FieldSpec]]
    data_key: ClassVar[str]
    group_choices: ClassVar[tuple[GroupBy, ...]]

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        query = parse_query(options, self.here, group_choices=self.group_choices, what=self.what)
        kind = self.record_type.kind
        view = collection_node(
            kind=kind,
            scope=query.scope,
            query=query,
            classes=self.css_classes(options),
            docname=self.env.docname,
        )
        view.source, view.line = self.source_and_line()
        view.extend(self.data_entries())
        rest: list[nodes.Node] = []
        for node in self.parse_body():
            if isinstance(node, entry_node) and node["kind"] == kind:
                view += node
                continue
            if isinstance(node, entry_node | collection_node):
                self.warn_misplaced(node, COLLECTION_NAMES[kind], "structure-misplaced")
            rest.append(node)
        return [*rest, self.adopted(view)]

    def data_entries(self) -> list[entry_node]:
        declared: list[entry_node] = []
        with self.data_file(self.data_key) as loaded:
            if loaded is None:
                return declared
            data, display, relative = loaded
            for values, line in self.validate_data_entries(
                data, display, self.fields, self.record_type.kind
            ):
                record = self.record_type.from_values(
                    values, **self.where(line, display, datafile=relative)
                )
                text = values.get("text")
                subject = f"{self.record_type.kind} entry"
                parsed, words = (
                    self.read_data_text(text, f"{display}:{line}", subject) if text else ([], "")
                )
                if not record.id:
                    # the anchor from the words as written, whatever the language shown
                    record.id = record.derived_id(words)
                declared.append(self.declare(record, parsed))
        return declared


def _is_entry_or_collection(node: nodes.Node) -> bool:
    return isinstance(node, entry_node | collection_node)
