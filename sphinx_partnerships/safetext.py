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
docutils with no directive or role available). Constructs are found where
the parser finds them (never inside code), and every scan of the text is
linear: a text of thousands of unclosed openers is read once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from docutils import frontend, nodes
from docutils.parsers.rst import Parser, directives, roles
from docutils.utils import new_document

from .diagnostics import warn
from .links import Link, LinkError, link_node, parse_link

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline

#: what each refused construct is called in its warning
MARKDOWN_DIRECTIVES = "directives ({name} blocks)"
MARKDOWN_ROLES = "roles ({name}`…`)"
MARKDOWN_SUBSTITUTIONS = "substitutions ({{ … }})"
MARKDOWN_IMAGES = "images (![…](…))"
RAW_HTML = "raw HTML"
RST_DIRECTIVES = "directives (.. name::)"
RST_EXPLICIT_MARKUP = "explicit markup (.. …)"
RST_ROLES = "roles (:name:`…`)"
RST_SUBSTITUTIONS = "substitutions (|…|)"

#: the order warnings are given in
_ORDER = (
    MARKDOWN_DIRECTIVES,
    MARKDOWN_ROLES,
    MARKDOWN_SUBSTITUTIONS,
    MARKDOWN_IMAGES,
    RAW_HTML,
    RST_DIRECTIVES,
    RST_EXPLICIT_MARKUP,
    RST_ROLES,
    RST_SUBSTITUTIONS,
)

#: a reStructuredText block (lines between blank lines) longer than this is
#: shown as plain text: docutils reads inline markup in time that grows with
#: the square of a block's length (its own limit for one line is the same)
LONGEST_RST_BLOCK = 10_000

#: the deepest nesting of emphasis and links, and of indented reStructuredText
#: blocks (as deep as markdown-it nests Markdown's blocks); deeper openers are
#: text, deeper lines are read at that depth: docutils and the page's writers
#: recurse once per level
DEEPEST_NESTING = 20

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
    found: set[str] = set()
    linker = _Linker(docname, subject, location)
    if markdown:
        parsed = _parse_markdown(text, linker, found)
    else:
        parsed = _parse_rst(text, linker, found, subject, location)
    for construct in _ORDER:
        if construct in found:
            warn("markup-unsafe", location, subject=subject, construct=construct)
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


# -- scans of text: each linear ----------------------------------------------------


class Closers:
    """Where the next closing string (``}}``, ``-->``) stands after a
    position, for scans that move forward: once one is found, or known to be
    missing, openers before it are answered without reading the text again."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._found: dict[str, tuple[int, int]] = {}

    def after(self, closer: str, start: int) -> int:
        """The position of ``closer`` at or after ``start``, or -1."""
        searched_from, position = self._found.get(closer, (len(self.text) + 1, -1))
        if searched_from <= start and (position == -1 or position >= start):
            return position
        position = self.text.find(closer, start)
        self._found[closer] = (start, position)
        return position


# An HTML tag as CommonMark reads one; possessive quantifiers: no backtracking.
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*+)"
    r"((?:\s++[A-Za-z_:][A-Za-z0-9_.:-]*+"
    r"(?:\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+)*+)"
    r"\s*+/?>"
)
_ATTRIBUTE = re.compile(
    r"\s++([A-Za-z_:][A-Za-z0-9_.:-]*+)(\s*+=\s*+(?:\"[^\"]*+\"|'[^']*+'|[^\s\"'=<>`]++))?+"
)
_DECLARATION = re.compile(r"<![A-Za-z][^<>]*+>")
#: the elements of HTML: a tag of another name is HTML only with attributes
#: written ``name="value"`` (``a<b and c>d`` is text)
HTML_ELEMENTS = frozenset(
    {
        "a",
        "abbr",
        "address",
        "area",
        "article",
        "aside",
        "audio",
        "b",
        "base",
        "bdi",
        "bdo",
        "blockquote",
        "body",
        "br",
        "button",
        "canvas",
        "caption",
        "cite",
        "code",
        "col",
        "colgroup",
        "data",
        "datalist",
        "dd",
        "del",
        "details",
        "dfn",
        "dialog",
        "div",
        "dl",
        "dt",
        "em",
        "embed",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hgroup",
        "hr",
        "html",
        "i",
        "iframe",
        "img",
        "input",
        "ins",
        "kbd",
        "label",
        "legend",
        "li",
        "link",
        "main",
        "map",
        "mark",
        "math",
        "menu",
        "meta",
        "meter",
        "nav",
        "noscript",
        "object",
        "ol",
        "optgroup",
        "option",
        "output",
        "p",
        "param",
        "picture",
        "pre",
        "progress",
        "q",
        "rp",
        "rt",
        "ruby",
        "s",
        "samp",
        "script",
        "search",
        "section",
        "select",
        "slot",
        "small",
        "source",
        "span",
        "strong",
        "style",
        "sub",
        "summary",
        "sup",
        "svg",
        "table",
        "tbody",
        "td",
        "template",
        "textarea",
        "tfoot",
        "th",
        "thead",
        "time",
        "title",
        "tr",
        "track",
        "u",
        "ul",
        "var",
        "video",
        "wbr",
    }
)
#: attributes HTML allows without a value
HTML_FLAGS = frozenset(
    {
        "allowfullscreen",
        "async",
        "autofocus",
        "autoplay",
        "checked",
        "controls",
        "default",
        "defer",
        "disabled",
        "formnovalidate",
        "hidden",
        "inert",
        "ismap",
        "itemscope",
        "loop",
        "multiple",
        "muted",
        "nomodule",
        "novalidate",
        "open",
        "playsinline",
        "readonly",
        "required",
        "reversed",
        "selected",
    }
)


def holds_html(text: str) -> bool:
    """Whether ``text`` (text of a paragraph, code left out) holds raw HTML:
    a tag of an HTML element (``<script>``, ``</b>``, ``<img src=x>``), a
    comment, a declaration or a processing instruction. ``<`` in ordinary text
    (``a<b and c>d``, ``x < y``) is none of these."""
    closers = Closers(text)
    position = text.find("<")
    while position != -1:
        if _html_at(text, position, closers):
            return True
        position = text.find("<", position + 1)
    return False


def _html_at(text: str, position: int, closers: Closers) -> bool:
    if text.startswith("<!--", position):
        return closers.after("-->", position + 4) != -1
    if text.startswith("<![CDATA[", position):
        return closers.after("]]>", position + 9) != -1
    if text.startswith("<?", position):
        return closers.after("?>", position + 2) != -1
    if text.startswith("<!", position):
        return _DECLARATION.match(text, position) is not None
    tag = _TAG.match(text, position)
    if tag is None:
        return False
    closing, name, attributes = tag.group(1), tag.group(2).lower(), tag.group(3)
    known = name in HTML_ELEMENTS or "-" in name
    if closing:
        return known and not attributes.strip()
    valued = False
    for attribute in _ATTRIBUTE.finditer(attributes):
        if attribute.group(2):
            valued = True
        elif attribute.group(1).lower() not in HTML_FLAGS:
            return False
    return known or valued


_ROLE_NAME = re.compile(r"[\w:.+-]++")


def ends_with_role_name(text: str) -> bool:
    """Whether ``text`` ends with a MyST role's ``{name}`` (the code after it
    makes it a role)."""
    if not text.endswith("}"):
        return False
    opening = text.rfind("{", 0, len(text) - 1)
    return opening != -1 and _ROLE_NAME.fullmatch(text, opening + 1, len(text) - 1) is not None


def opens_colon_fence(line: str) -> bool:
    """Whether a line of a paragraph opens a MyST directive with colons (``:::{note}``)."""
    rest = line.lstrip(" \t")
    colons = len(rest) - len(rest.lstrip(":"))
    return colons >= 3 and rest[colons:].lstrip(" \t").startswith("{")


def bounded_blocks(text: str) -> tuple[str, dict[str, str]]:
    """reStructuredText with each block longer than :data:`LONGEST_RST_BLOCK`
    replaced by a placeholder word, and lines indented deeper than
    :data:`DEEPEST_NESTING` levels read at that depth; the blocks by their
    placeholders."""
    lines = _bounded_indentation(text.split("\n"))
    kept: list[str] = []
    replaced: dict[str, str] = {}
    marker = f"SpLongBlock{secrets.token_hex(8)}N"
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            kept.append(lines[start])
            start += 1
            continue
        end, size = start, 0
        while end < len(lines) and lines[end].strip():
            size += len(lines[end]) + 1
            end += 1
        if size > LONGEST_RST_BLOCK:
            placeholder = f"{marker}{len(replaced)}"
            replaced[placeholder] = "\n".join(line.strip() for line in lines[start:end])
            indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
            kept.append(indent + placeholder)
        else:
            kept.extend(lines[start:end])
        start = end
    return "\n".join(kept), replaced


def _bounded_indentation(lines: list[str]) -> list[str]:
    """Each line indented deeper than :data:`DEEPEST_NESTING` levels (each a
    deeper indentation than the line's enclosing block) moved to that depth."""
    levels: list[int] = []
    bounded = []
    for line in lines:
        content = line.lstrip()
        if not content:
            bounded.append(line)
            continue
        width = len(line[: len(line) - len(content)].expandtabs(8))
        while levels and levels[-1] > width:
            levels.pop()
        if not levels or width > levels[-1]:
            levels.append(width)
        if len(levels) > DEEPEST_NESTING:
            del levels[DEEPEST_NESTING:]
            line = " " * levels[-1] + content
        bounded.append(line)
    return bounded


#: the scans of text, by what they find (the benchmark times each)
TEXT_SCANS: dict[str, Callable[[str], object]] = {
    RAW_HTML: holds_html,
    MARKDOWN_ROLES: ends_with_role_name,
    MARKDOWN_DIRECTIVES: opens_colon_fence,
    "long reStructuredText blocks": bounded_blocks,
}


# -- Markdown ----------------------------------------------------------------------


@cache
def _markdown_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark", {"html": False})
    # every address reaches our own check, which warns about a refused one
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    # escapes and entities stay tokens of their own: ``\<b>`` is no tag
    parser.disable("text_join")
    parser.inline.ruler.before("escape", "sp_substitution", _substitution)
    return parser


def _substitution(state: StateInline, silent: bool) -> bool:
    """A MyST substitution (``{{ … }}``) is one piece of text, shown as written."""
    start = state.pos
    if not state.src.startswith("{{", start):
        return False
    closers = state.env.get("sp_closers")
    if not isinstance(closers, Closers) or closers.text is not state.src:
        closers = state.env["sp_closers"] = Closers(state.src)
    end = closers.after("}}", start + 2)
    if end == -1 or end + 2 > state.posMax:
        return False
    if not silent:
        state.push("sp_substitution", "", 0).content = state.src[start : end + 2]
    state.pos = end + 2
    return True


def _parse_markdown(text: str, linker: _Linker, found: set[str]) -> list[nodes.Node]:
    tokens = _markdown_parser().parse(text, {})
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
            if token.type == "fence" and token.info.strip().startswith("{"):
                found.add(MARKDOWN_DIRECTIVES)
            # a directive written as a fence is shown as the text it is
            code["language"] = language[0] if language and language[0].isalnum() else "text"
            stack[-1] += code
        elif token.type == "inline":
            target = stack[-1] if isinstance(stack[-1], nodes.TextElement) else None
            if target is None:
                target = nodes.paragraph()
                stack[-1] += target
            target.extend(_markdown_inline(token.children or [], linker, found))
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
}
_LINE_BREAKS = ("softbreak", "hardbreak")


def _markdown_inline(tokens: list[Any], linker: _Linker, found: set[str]) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    stack: list[tuple[str, list[nodes.Node], Any]] = []
    for index, token in enumerate(tokens):
        before = tokens[index - 1] if index else None
        if token.type in ("em_open", "strong_open", "link_open"):
            if len(stack) >= DEEPEST_NESTING:
                # as deep as it goes: the marks are text, a link its words
                stack.append(("too deep", result, token))
                if token.type != "link_open":
                    result.append(nodes.Text(token.markup))
                continue
            stack.append((token.type, result, token))
            result = []
        elif token.type in ("em_close", "strong_close", "link_close") and stack:
            kind, outer, opening = stack.pop()
            if kind == "too deep":
                if token.type != "link_close":
                    result.append(nodes.Text(token.markup))
                continue
            if kind == "em_open":
                made: list[nodes.Node] = [nodes.emphasis("", "", *result)]
            elif kind == "strong_open":
                made = [nodes.strong("", "", *result)]
            else:
                made = linker.link(str(opening.attrGet("href") or ""), result)
            outer.extend(made)
            result = outer
        elif token.type == "code_inline":
            if before is not None and before.type == "text" and ends_with_role_name(before.content):
                # a role is shown as written: its name, then its back-quoted text
                found.add(MARKDOWN_ROLES)
                result.append(nodes.Text(f"{token.markup}{token.content}{token.markup}"))
            else:
                result.append(nodes.literal(token.content, token.content))
        elif token.type in _LINE_BREAKS:
            result.append(nodes.Text("\n"))
        elif token.type == "image":
            found.add(MARKDOWN_IMAGES)
            alt = "".join(child.content for child in token.children or [])
            result.append(nodes.Text(f"![{alt}]({token.attrGet('src')})"))
        elif token.type == "sp_substitution":
            found.add(MARKDOWN_SUBSTITUTIONS)
            result.append(nodes.Text(token.content))
        else:
            if token.type == "text":
                if holds_html(token.content):
                    found.add(RAW_HTML)
                starts_line = before is None or before.type in _LINE_BREAKS
                if starts_line and opens_colon_fence(token.content):
                    found.add(MARKDOWN_DIRECTIVES)
            # text, and escaped characters and entities (``text_special``)
            result.append(nodes.Text(token.content))
    return result


# -- reStructuredText ----------------------------------------------------------------


def _parse_rst(
    text: str, linker: _Linker, found: set[str], subject: str, location: str
) -> list[nodes.Node]:
    text, long_blocks = bounded_blocks(text)
    if long_blocks:
        warn("markup-long", location, subject=subject, limit=f"{LONGEST_RST_BLOCK:,}")
    settings = frontend.get_default_settings(Parser)
    settings.report_level = settings.halt_level = 5
    settings.raw_enabled = settings.file_insertion_enabled = False
    settings.warning_stream = False
    document = new_document("<data text>", settings)
    with _nothing_but_markup(found):
        Parser().parse(text, document)
    _keep_only_the_subset(document, linker, found)
    if long_blocks:
        _restore_long_blocks(document, long_blocks)
    return list(document.children)


def _keep_only_the_subset(document: nodes.document, linker: _Linker, found: set[str]) -> None:
    """Every node the subset does not hold shown as its text, or left out;
    each element's children rebuilt once, whatever their number."""
    stack: list[nodes.Element] = [document]
    while stack:
        element = stack.pop()
        pending = list(reversed(element.children))
        kept: list[nodes.Node] = []
        while pending:
            child = pending.pop()
            if not isinstance(child, nodes.Element):
                kept.append(child)
                continue
            _note_construct(child, element, found)
            if isinstance(child, nodes.system_message):
                # an unknown directive: docutils keeps its text as a literal block
                for code in [
                    node for node in child.children if isinstance(node, nodes.literal_block)
                ]:
                    code["language"] = "text"
                    kept.append(code)
            elif isinstance(child, nodes.reference):
                words = list(child.children)
                linked = linker.link(child["refuri"], words) if child.get("refuri") else words
                if linked is words:
                    # a refused address, or a named reference to a target the
                    # text cannot hold: its words only
                    pending.extend(reversed(words))
                else:
                    kept.extend(linked)
                    stack.extend(node for node in linked if isinstance(node, nodes.Element))
            elif isinstance(child, nodes.target | nodes.comment | nodes.substitution_definition):
                continue
            elif not isinstance(child, _RST_ALLOWED):
                shown = nodes.Text(child.rawsource or child.astext())
                inline = isinstance(child, nodes.Inline) or isinstance(element, nodes.TextElement)
                kept.append(shown if inline else nodes.paragraph("", "", shown))
            else:
                kept.append(child)
                stack.append(child)
        element.clear()
        element.extend(kept)


def _note_construct(node: nodes.Element, parent: nodes.Element, found: set[str]) -> None:
    """The constructs docutils finds in the tree (directives and roles are
    noted when docutils looks them up)."""
    if isinstance(node, nodes.substitution_reference):
        found.add(RST_SUBSTITUTIONS)
    elif isinstance(
        node,
        nodes.comment | nodes.footnote | nodes.citation | nodes.substitution_definition,
    ) or (isinstance(node, nodes.target) and not isinstance(parent, nodes.TextElement)):
        # (a target inside a paragraph is a link's own, `words <address>`_)
        found.add(RST_EXPLICIT_MARKUP)


def _restore_long_blocks(document: nodes.document, long_blocks: dict[str, str]) -> None:
    for text in list(document.findall(nodes.Text)):
        words = str(text)
        if not any(placeholder in words for placeholder in long_blocks):
            continue
        for placeholder, block in long_blocks.items():
            words = words.replace(placeholder, block)
        text.parent.replace(text, nodes.Text(words))


@contextmanager
def _nothing_but_markup(found: set[str]) -> Iterator[None]:
    """No directive and no role exists while data text is read: whatever one
    would read, publish or run, it is only text here. Each one docutils looks
    up is noted in ``found``."""

    def no_directive(*args: Any, **kwargs: Any) -> tuple[None, list[Any]]:
        found.add(RST_DIRECTIVES)
        return None, []

    def only_emphasis(name: str, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
        # the default role (single back-quotes) is emphasis; every named role is unknown
        if name:
            found.add(RST_ROLES)
            return None, []
        return roles.GenericRole("", nodes.emphasis), []

    saved = directives.directive, roles.role
    directives.directive, roles.role = no_directive, cast(Any, only_emphasis)
    try:
        yield
    finally:
        directives.directive, roles.role = saved
