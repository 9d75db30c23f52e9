"""The directive base every component shares: options, locations, bodies, data files."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.util.docutils import SphinxDirective

from .diagnostics import warn
from .entries import FieldSpec, validate_fields
from .sources import DataFile, read_data_file, report_unreadable

_COLLECTING = "sp-collecting"
_SEQUENCE = "sp-sequence"


class PermissiveOptions(dict[str, Callable[[str | None], Any]]):
    """An option spec that accepts any name, so that an unknown option becomes
    our own ``partnerships.field`` warning instead of a parser error that
    throws the whole directive away."""

    def __missing__(self, key: str) -> Callable[[str | None], Any]:
        return directives.unchanged


def option_spec(*names: str) -> PermissiveOptions:
    return PermissiveOptions(dict.fromkeys(names, directives.unchanged))


class PartnershipsDirective(SphinxDirective):
    """Shared behaviour: checked options, exact locations, markup and data files."""

    has_content = True
    optional_arguments = 1
    final_argument_whitespace = True
    option_spec: ClassVar[PermissiveOptions] = option_spec("class")  # type: ignore[misc]

    @property
    def what(self) -> str:
        return f"{self.name} directive"

    @property
    def here(self) -> tuple[str, int]:
        """``(docname, line)``: where warnings about this directive point."""
        return self.env.docname, self.lineno

    def checked_options(self) -> dict[str, str | None]:
        """The known options; a warning for every unknown one."""
        known = set(type(self).option_spec)
        for name in self.options:
            if name not in known:
                allowed = ", ".join(f":{option}:" for option in sorted(known))
                warn("field", f"{self.what}: unknown option :{name}: (known: {allowed})", self.here)
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
            fields, specs, self.here, what=self.what, list_separator=",", unknown_skips=False
        )

    def next_sequence(self) -> int:
        """Source order of entries within this document (ties keep it)."""
        sequence: int = self.env.temp_data.get(_SEQUENCE, 0)
        self.env.temp_data[_SEQUENCE] = sequence + 1
        return sequence

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

    def parse_data_text(self, text: str) -> list[nodes.Node]:
        """Markup from a data file: the page's parser, but never raw HTML or
        file inclusion, since data may come from other hands than the page's."""
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
        relative, absolute = self.env.relfn2path(source, self.env.docname)
        srcdir = Path(self.env.srcdir).resolve()
        path = Path(absolute).resolve()
        if not path.is_relative_to(srcdir):
            warn("source", f"{self.what}: :source: {source!r} is outside the source directory", self.here)
            return None
        if path.suffix.lower() not in (".yaml", ".yml", ".json", ".csv"):
            warn("source", f"{self.what}: :source: {source!r} must be .yaml, .yml, .json or .csv", self.here)
            return None
        self.env.note_dependency(str(path))
        data = read_data_file(path, key)
        if data.error is not None:
            report_unreadable(data, str(path))
        return data, str(path), path.relative_to(srcdir).as_posix()

    def validate_data_entries(
        self, data: DataFile, display: str, specs: Mapping[str, FieldSpec], singular: str
    ) -> Iterator[tuple[dict[str, Any], int]]:
        """The valid entries of a data file, each with its line."""
        for raw in data.entries:
            location = f"{display}:{raw.line}"
            if "<entry>" in raw.fields:
                warn("field", f"{singular} entry must be a mapping of fields", location)
                continue
            values = validate_fields(
                raw.fields, specs, location, what=f"{singular} entry",
                list_separator=data.list_separator, unknown_skips=True,
            )
            if values is not None:
                yield values, raw.line
