"""Text from data files: a safe subset of the page's markup.

Data files may come from other hands than the page's, so their ``text`` and
``caption`` fields are not given to the page's parser, whose directives,
roles and substitutions can read files, publish them, reach the page head or
run code. They are read with a subset that has none of these: paragraphs,
lists, block quotes, emphasis, strong, code, code blocks and links (web
addresses, or pages, labels and entry ids as in a ``link`` field). Anything
else is shown as the text it was written as, with one ``partnerships.markup``
warning per kind of construct at the entry's line.

Markdown pages get the subset of CommonMark (read by markdown-it, which MyST
brings); reStructuredText pages the subset of reStructuredText (read by
docutils with no directive or role available).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

from docutils import frontend, nodes
from docutils.parsers.rst import Parser, directives, roles
from docutils.utils import new_document

from .diagnostics import warn
from .links import Link, LinkError, link_node, parse_link

#: the constructs refused in text, by what shows them, for each markup
_MARKDOWN_CONSTRUCTS = {
    "directives ({name} blocks)": re.compile(r"^\s*(`{3,}|~{3,}|:{3,})\s*\{", re.M),
    "roles ({name}`…`)": re.compile(r"\{[\w:.+-]+\}`"),
    "substitutions ({{ … }})": re.compile(r"\{\{.*?\}\}", re.S),
    "images (![…](…))": re.compile(r"!\[[^\]]*\]\("),
    "raw HTML": re.compile(r"<[A-Za-z!/?][^>]*>"),
}
_RST_CONSTRUCTS = {
    "directives (.. name::)": re.compile(r"^\s*\.\.\s+[\w:.+-]+::", re.M),
    "explicit markup (.. …)": re.compile(r"^\s*\.\.(\s+(?![\w:.+-]+::)|$)", re.M),
    "roles (:name:`…`)": re.compile(r":[\w.+-]+(:[\w.+-]+)*:`|`:[\w.+-]+:"),
    "substitutions (|…|)": re.compile(r"(?<![|\w])\|[^|\s][^|]*\|(?![|\w])"),
}

#: Markdown constructs shown as written, character for character
_ESCAPED = ("roles ({name}`…`)", "substitutions ({{ … }})", "images (![…](…))")
_MARKDOWN_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def _escape_markdown(span: str) -> str:
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", span)


#: what the reStructuredText subset keeps; anything else is shown as its text
_RST_ALLOWED = (
    nodes.paragraph,
    nodes.emphasis,
    nodes.strong,
    nodes.literal,
    nodes.reference,
    nodes.bullet_list,
    nodes.enumerated_list,
    nodes.list_item,
    nodes.literal_block,
    nodes.block_quote,
    nodes.line_block,
    nodes.line,
    nodes.definition_list,
    nodes.definition_list_item,
    nodes.term,
    nodes.definition,
    nodes.title_reference,
    nodes.inline,
)


def parse_safe_text(
    text: str,
    *,
    markdown: bool,
    docname: str,
    subject: str,
    location: str,
) -> list[nodes.Node]:
    """``text`` as nodes of the safe subset; ``location`` (``path:line``) is
    where the entry is written and where every warning about it points."""
    constructs = _MARKDOWN_CONSTRUCTS if markdown else _RST_CONSTRUCTS
    for construct, pattern in constructs.items():
        if pattern.search(text):
            warn("markup-unsafe", location, subject=subject, construct=construct)
            if markdown and construct in _ESCAPED:
                # shown as written, not read as emphasis or links
                text = pattern.sub(lambda found: _escape_markdown(found.group(0)), text)
    linker = _Linker(docname, subject, location)
    parsed = _parse_markdown(text, linker) if markdown else _parse_rst(text, linker)
    source, _, line = location.rpartition(":")
    for tree in parsed:
        for node in tree.findall(nodes.Element):
            node.source, node.line = source, int(line) if line.isdigit() else None
    return parsed


class _Linker:
    """Links of data text: web addresses as they are, anything else resolved
    like a ``link`` field; a refused scheme is warned about once and dropped."""

    def __init__(self, docname: str, subject: str, location: str) -> None:
        self.docname, self.subject, self.location = docname, subject, location
        self.refused: set[str] = set()

    def link(self, target: str, children: list[nodes.Node]) -> list[nodes.Node]:
        try:
            link: Link = parse_link(target)
        except LinkError as error:
            if error.key not in self.refused:
                self.refused.add(error.key)
                warn(error.key, self.location, subject=self.subject, **error.values)
            return children
        source, _, line = self.location.rpartition(":")
        where = (source, int(line) if line.isdigit() else None)
        return [link_node(link, children, docname=self.docname, location=where)]


# -- Markdown ----------------------------------------------------------------------


def _parse_markdown(text: str, linker: _Linker) -> list[nodes.Node]:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False})
    # every address reaches our own check, which warns about a refused one
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    tokens = parser.parse(text)
    root = nodes.container()
    stack: list[nodes.Element] = [root]
    for token in tokens:
        if token.nesting == 1:
            block = _MARKDOWN_BLOCKS.get(token.tag, nodes.paragraph)()
            if token.tag == "ol" and token.attrGet("start") not in (None, 1, "1"):
                block["start"] = int(str(token.attrGet("start")))
            stack[-1] += block
            stack.append(block)
        elif token.nesting == -1:
            stack.pop()
        elif token.type in ("fence", "code_block"):
            code = nodes.literal_block(token.content, token.content)
            language = (token.info or "").strip().split(maxsplit=1)[:1]
            # a directive written as a fence is shown as the text it is
            code["language"] = language[0] if language and language[0].isalnum() else "text"
            stack[-1] += code
        elif token.type == "inline":
            target = stack[-1] if isinstance(stack[-1], nodes.TextElement) else None
            if target is None:
                target = nodes.paragraph()
                stack[-1] += target
            target.extend(_markdown_inline(token.children or [], linker))
    # list items hold inline text directly: it goes in a paragraph, as in docutils
    for item in root.findall(nodes.list_item):
        if item.children and not isinstance(item[0], nodes.Body):
            loose = list(item.children)
            item.clear()
            item += nodes.paragraph("", "", *loose)
    return list(root.children)


_MARKDOWN_BLOCKS: dict[str, Callable[[], nodes.Element]] = {
    "p": nodes.paragraph,
    "ul": nodes.bullet_list,
    "ol": lambda: nodes.enumerated_list(enumtype="arabic", prefix="", suffix="."),
    "li": nodes.list_item,
    "blockquote": nodes.block_quote,
    "hr": nodes.transition,
}


def _markdown_inline(tokens: list[Any], linker: _Linker) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    stack: list[tuple[str, list[nodes.Node], Any]] = []
    for token in tokens:
        if token.type in ("em_open", "strong_open", "link_open"):
            stack.append((token.type, result, token))
            result = []
        elif token.type in ("em_close", "strong_close", "link_close") and stack:
            kind, outer, opening = stack.pop()
            if kind == "em_open":
                made: list[nodes.Node] = [nodes.emphasis("", "", *result)]
            elif kind == "strong_open":
                made = [nodes.strong("", "", *result)]
            else:
                made = linker.link(str(opening.attrGet("href") or ""), result)
            result = [*outer, *made]
        elif token.type == "code_inline":
            result.append(nodes.literal(token.content, token.content))
        elif token.type in ("softbreak", "hardbreak"):
            result.append(nodes.Text("\n"))
        elif token.type == "image":
            alt = "".join(child.content for child in token.children or [])
            result.append(nodes.Text(f"![{alt}]({token.attrGet('src')})"))
        else:
            result.append(nodes.Text(token.content))
    return result


# -- reStructuredText ----------------------------------------------------------------


def _parse_rst(text: str, linker: _Linker) -> list[nodes.Node]:
    settings = frontend.get_default_settings(Parser)
    settings.report_level = settings.halt_level = 5
    settings.raw_enabled = settings.file_insertion_enabled = False
    settings.warning_stream = False
    document = new_document("<data text>", settings)
    with _nothing_but_markup():
        Parser().parse(text, document)
    for node in list(document.findall(nodes.Element)):
        if node is not document and node.parent is not None and _attached(node, document):
            _keep_or_show_as_text(node, linker)
    return list(document.children)


def _attached(node: nodes.Node, document: nodes.document) -> bool:
    """Whether ``node`` is still in the document (not inside one replaced before)."""
    while node.parent is not None:
        node = node.parent
    return node is document


@contextmanager
def _nothing_but_markup() -> Iterator[None]:
    """No directive and no role exists while data text is read: whatever one
    would read, publish or run, it is only text here."""

    def no_directive(*args: Any, **kwargs: Any) -> tuple[None, list[Any]]:
        return None, []

    def only_emphasis(name: str, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
        # the default role (single back-quotes) is emphasis; every named role is unknown
        return (None if name else roles.GenericRole("", nodes.emphasis)), []

    saved = directives.directive, roles.role
    directives.directive, roles.role = no_directive, cast(Any, only_emphasis)
    try:
        yield
    finally:
        directives.directive, roles.role = saved


def _keep_or_show_as_text(node: nodes.Element, linker: _Linker) -> None:
    # ``parent.replace``: ``replace_self`` refuses to drop a node's ids
    replace = node.parent.replace
    if isinstance(node, nodes.system_message):
        # an unknown directive: docutils keeps its text as a literal block
        shown = [child for child in node.children if isinstance(child, nodes.literal_block)]
        for code in shown:
            code["language"] = "text"
        replace(node, shown)
    elif isinstance(node, nodes.reference):
        if node.get("refuri"):
            replace(node, linker.link(node["refuri"], list(node.children)))
        else:  # a named or anonymous reference to a target the text cannot hold
            replace(node, list(node.children))
    elif isinstance(node, nodes.target | nodes.comment | nodes.substitution_definition):
        replace(node, [])
    elif not isinstance(node, _RST_ALLOWED):
        text = nodes.Text(node.rawsource or node.astext())
        inline = isinstance(node, nodes.Inline) or isinstance(node.parent, nodes.TextElement)
        replace(node, text if inline else nodes.paragraph("", "", text))
