"""The directive base every component shares: options, locations, bodies, data files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .collection import GroupBy, Query, parse_query
from .diagnostics import warn
from .domain import BODY_CLASS
from .entries import Entry, FieldSpec, validate_fields
from .nodes import pending_entry
from .rendering import RenderContext
from .sources import DataFile, read_data_file, report_unreadable
from .views import make_view, render_entries

_COLLECTING = "sp-collecting"
_SEQUENCE = "sp-sequence"


def body_node(parsed: list[nodes.Node]) -> nodes.container:
    """An entry's parsed body, in the container its page shows it in."""
    return nodes.container("", *parsed, classes=[BODY_CLASS])


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

    def declaration(
        self, line: int, source_path: str, datafile: str | None = None
    ) -> dict[str, Any]:
        """Where an entry was declared, and its place in the document's order."""
        sequence = int(self.env.temp_data.get(_SEQUENCE) or 0)
        self.env.temp_data[_SEQUENCE] = sequence + 1
        return {
            "docname": self.env.docname,
            "lineno": line,
            "source_path": source_path,
            "datafile": datafile,
            "sequence": sequence,
        }

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

    def render_context(self) -> RenderContext:
        language = self.config.partnerships_language or self.config.language
        return RenderContext(self.env.docname, language)

    # -- nesting ----------------------------------------------------------------

    @contextmanager
    def collecting(self, kind: str) -> Iterator[None]:
        """While parsing a collection's content, nested entries of ``kind``
        hand over their records instead of rendering themselves."""
        previous = self.env.temp_data.get(_COLLECTING)
        self.env.temp_data[_COLLECTING] = kind
        try:
            yield
        finally:
            self.env.temp_data[_COLLECTING] = previous

    def collected_by_parent(self, kind: str) -> bool:
        return bool(self.env.temp_data.get(_COLLECTING) == kind)

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
    """``activity DATE`` / ``award NAME``: one entry, collected by its list or
    rendered in place as a one-entry list."""

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
        entry = self.record_type.from_values(
            values,
            **self.declaration(self.lineno, str(self.env.doc2path(self.env.docname))),
        )
        entry.body = body_node(self.parse_body())
        entry.id = entry.id or entry.default_id()
        entry.classes = tuple(self.css_classes(options))
        kind = self.record_type.kind
        if self.collected_by_parent(kind):
            return [pending_entry("", entry=entry)]
        classes = ["sp-single", *entry.classes]
        rendered = render_entries(
            kind, [entry], Query(group_by="none"), classes, self.render_context()
        )
        return [self.adopted(rendered)]


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
        entries = self.data_entries()
        with self.collecting(kind):
            parsed = self.parse_body()
        rest: list[nodes.Node] = []
        for node in parsed:
            pending = list(node.findall(pending_entry))
            entries.extend(holder["entry"] for holder in pending)
            if not pending:
                rest.append(node)
        context = self.render_context()
        classes = self.css_classes(options)
        if query.scope == "project":
            local = render_entries(kind, entries, Query(group_by="none"), [], context)
            return [*rest, self.adopted(make_view(kind, query, classes, local))]
        return [*rest, self.adopted(render_entries(kind, entries, query, classes, context))]

    def data_entries(self) -> list[Entry]:
        loaded = self.load_source(self.data_key)
        if loaded is None:
            return []
        data, display, relative = loaded
        entries = []
        for values, line in self.validate_data_entries(
            data, display, self.fields, self.record_type.kind
        ):
            entry = self.record_type.from_values(
                values, **self.declaration(line, display, datafile=relative)
            )
            text = values.get("text")
            parsed = self.parse_data_text(text, f"{display}:{line}") if text else []
            entry.body = body_node(parsed)
            entry.id = entry.id or entry.default_id()
            entries.append(entry)
        return entries
