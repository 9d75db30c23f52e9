"""The directive base every component shares: options, locations, bodies, data files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar, cast

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .collection import GroupBy, parse_query
from .diagnostics import warn
from .domain import DOMAIN, PartnershipsDomain
from .entries import Entry, FieldSpec, Record, validate_fields
from .nodes import collection_node, entry_node
from .rendering import BODY_CLASS
from .sources import DataFile, read_data_file, report_unreadable

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

    @property
    def here(self) -> tuple[str, int]:
        """``(docname, line)``: where warnings about this directive point."""
        return self.env.docname, self.lineno

    def checked_options(self) -> dict[str, str | None]:
        """The known options; a warning for every unknown one."""
        known = set(type(self).option_spec or ())
        for name in self.options:
            if name not in known:
                allowed = ", ".join(f":{option}:" for option in sorted(known))
                warn(
                    "field",
                    f"{self.what}: unknown option :{name}: (known: {allowed})",
                    self.here,
                )
        return {name: value for name, value in self.options.items() if name in known}

    def css_classes(self, options: Mapping[str, str | None]) -> list[str]:
        try:
            return directives.class_option(options.get("class") or "")
        except ValueError as error:
            warn("field", f"{self.what}: :class: {error}", self.here)
            return []

    def validate(
        self, raw: Mapping[str, Any], specs: Mapping[str, FieldSpec]
    ) -> dict[str, Any] | None:
        """Validate directive arguments and options with the data file rules."""
        fields = {name.replace("-", "_"): value for name, value in raw.items()}
        return validate_fields(
            fields,
            specs,
            self.here,
            what=self.what,
            list_separator=",",
            unknown_skips=False,
        )

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
                "duplicate",
                f"{self.what}: :id: {wanted!r} is already used on this page;"
                f" this entry's anchor is {anchor!r}",
                record.location,
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
                self.warn_misplaced(tree, f"inside {container}", "it is shown after it")
                lifted.append(tree)
                continue
            if not isinstance(tree, nodes.Element):
                kept.append(tree)
                continue
            for toctree in list(tree.findall(addnodes.toctree)):
                warn(
                    "structure",
                    f"a toctree cannot be part of {container}, which other pages may"
                    " show too; it is left out (write it outside)",
                    toctree,
                )
                holder = toctree.parent
                holder.remove(toctree)
                if not holder.children and holder is not tree and holder.parent is not None:
                    holder.parent.remove(holder)
            if tree.children or not isinstance(tree, nodes.compound):
                kept.append(tree)
            while (nested := next(tree.findall(_is_entry_or_collection), None)) is not None:
                assert isinstance(nested, nodes.Element)
                self.warn_misplaced(nested, f"inside {container}", "it is shown after it")
                nested.parent.remove(nested)
                lifted.append(nested)
        parsed[:] = kept
        return lifted

    def warn_misplaced(self, node: nodes.Element, place: str, outcome: str) -> None:
        names = COLLECTION_NAMES if isinstance(node, collection_node) else KIND_NAMES
        name = names.get(node["kind"], node["kind"])
        warn("structure", f"{name} cannot be written {place}; {outcome}", node)

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

    def parse_data_text(
        self, text: str, location: str | tuple[str, int | None] | None = None
    ) -> list[nodes.Node]:
        """Markup from a data file: the page's parser, but never raw HTML, file
        inclusion or links with refused schemes (``javascript:``), since data
        may come from other hands than the page's. ``location`` is where a
        refused link is reported (the entry; by default the directive)."""
        from .links import LinkError, parse_link

        settings = self.state.document.settings
        saved = settings.raw_enabled, settings.file_insertion_enabled
        settings.raw_enabled = settings.file_insertion_enabled = False
        try:
            parsed = self.parse_text_to_nodes(text)
        finally:
            settings.raw_enabled, settings.file_insertion_enabled = saved
        for raw in [node for tree in parsed for node in tree.findall(nodes.raw)]:
            shown = nodes.Text(raw.astext())
            if isinstance(raw.parent, nodes.TextElement):
                raw.replace_self(shown)
            else:
                raw.replace_self(nodes.paragraph("", "", shown))
        linking = [
            node
            for tree in parsed
            for node in tree.findall(nodes.Element)
            if isinstance(node, nodes.reference | nodes.target) and node.get("refuri")
        ]
        refused: set[str] = set()
        for node in linking:
            try:
                parse_link(node["refuri"])
            except LinkError as error:
                if node["refuri"] not in refused:
                    refused.add(node["refuri"])
                    warn("link", f"{error}; shown without the link", location or self.here)
                if isinstance(node, nodes.target):
                    # ``.. _name: javascript:…`` would lend its address to the
                    # references resolved later: it becomes a plain anchor
                    del node["refuri"]
                else:
                    node.replace_self(nodes.inline("", "", *node.children))
        return [node for node in parsed if not isinstance(node, nodes.raw)]

    # -- data files -------------------------------------------------------------

    def load_source(self, key: str) -> tuple[DataFile, str, str] | None:
        """Read ``:source:``: the data, its path for warnings, its srcdir-relative path.

        The page is rebuilt when the file changes; a path leaving the source
        directory is refused.
        """
        source = (self.options.get("source") or "").strip()
        if not source:
            return None
        _, absolute = self.env.relfn2path(source, self.env.docname)
        srcdir = Path(self.env.srcdir).resolve()
        path = Path(absolute).resolve()
        if not path.is_relative_to(srcdir):
            warn(
                "source",
                f"{self.what}: :source: {source!r} is outside the source directory",
                self.here,
            )
            return None
        if path.suffix.lower() not in (".yaml", ".yml", ".json", ".csv"):
            warn(
                "source",
                f"{self.what}: :source: {source!r} must be .yaml, .yml, .json or .csv",
                self.here,
            )
            return None
        self.env.note_dependency(str(path))
        data = read_data_file(path, key)
        if data.error is not None:
            report_unreadable(data, str(path), self.here)
        return data, str(path), path.relative_to(srcdir).as_posix()

    def validate_data_entries(
        self,
        data: DataFile,
        display: str,
        specs: Mapping[str, FieldSpec],
        singular: str,
    ) -> Iterator[tuple[dict[str, Any], int]]:
        """The valid entries of a data file, each with its line."""
        for raw in data.entries:
            location = f"{display}:{raw.line}"
            if "<entry>" in raw.fields:
                warn("field", f"{singular} entry must be a mapping of fields", location)
                continue
            values = validate_fields(
                raw.fields,
                specs,
                location,
                what=f"{singular} entry",
                list_separator=data.list_separator,
                unknown_skips=True,
            )
            if values is not None:
                yield values, raw.line


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
        values = self.validate(raw, self.fields)
        if values is None:
            return []
        source_path, line = self.get_source_info()
        declared = self.where(line or self.lineno, source_path)
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
        view.source, view.line = self.get_source_info()
        view.extend(self.data_entries())
        rest: list[nodes.Node] = []
        for node in self.parse_body():
            if isinstance(node, entry_node) and node["kind"] == kind:
                view += node
                continue
            if isinstance(node, entry_node | collection_node):
                self.warn_misplaced(
                    node, f"inside {COLLECTION_NAMES[kind]}", "it is shown on its own, before it"
                )
            rest.append(node)
        return [*rest, self.adopted(view)]

    def data_entries(self) -> list[entry_node]:
        loaded = self.load_source(self.data_key)
        if loaded is None:
            return []
        data, display, relative = loaded
        declared = []
        for values, line in self.validate_data_entries(
            data, display, self.fields, self.record_type.kind
        ):
            record = self.record_type.from_values(
                values, **self.where(line, display, datafile=relative)
            )
            text = values.get("text")
            parsed = self.parse_data_text(text, f"{display}:{line}") if text else []
            declared.append(self.declare(record, parsed))
        return declared


def _is_entry_or_collection(node: nodes.Node) -> bool:
    return isinstance(node, entry_node | collection_node)
