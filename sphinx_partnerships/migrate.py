"""Jekyll pages written in kramdown, turned into MyST pages that use the extension.

The page is read with markdown-it (the parser MyST itself is built on), block by
block: the structure (headings, lists, raw HTML, code) comes from the parser,
and every block that is not rewritten is copied from the source as it was
written, so a writer's words, line breaks and typos stay theirs. Within a block,
only what the parser found is rewritten: links to the old site, email
autolinks, kramdown attribute lists after links.

What is rewritten:

- front matter: ``title`` becomes the page's ``# heading``, ``permalink`` the
  page's path, ``description`` its HTML meta description;
- ``### June 2022`` headings each over a bullet list: one ``timeline``;
- ``### 2022`` headings each over ``- **Name:** text`` items: one ``award-list``;
- raw HTML rows of ``<div class="col">`` with an image: a ``card-grid``.

Everything else that cannot be said in MyST is kept and told in the notes.

Front-matter text never becomes markup: a title is one line of heading text,
its markup escaped. ``read_page`` reads only regular files of bounded size;
``Outputs`` writes pages only under the output folder, never over a page being
migrated, and over another file only when the writer asks for it.
"""

from __future__ import annotations

import os
import re
import stat
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

import yaml

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

#: English month names, as Jekyll pages write them in headings (not the locale's)
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_MONTH_HEADING = re.compile(r"(?P<month>[A-Za-z]+)\.?\s+(?P<year>\d{4})")
_YEAR_HEADING = re.compile(r"\d{4}")
#: keys of the front matter that a Sphinx page does not need
DROPPED_KEYS = {"layout", "breadcrumb"}
_HEADING_ID = re.compile(r"\s*\{:?\s*#(?P<id>[\w-]+)\s*\}\s*$")
_BLOCK_IAL = re.compile(r"^\s*\{:.*\}\s*$")
_LINK_DESTINATION = re.compile(r"(?P<open>\]\(\s*)(?P<dest><[^>\n]*>|[^\s)]+)")
_REFERENCE_DEFINITION = re.compile(r"^(?P<label> {0,3}\[[^\]]+\]:\s*)(?P<dest><[^>\n]*>|\S+)")
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")
_BOLD_LABEL = re.compile(r"^(\*\*|__)(?P<label>.+?)\1\s*(?P<colon>:?)[ \t]*")
_LISTED_MARKER = re.compile(r"^(?P<indent>\s*[-*+]\s+)")
#: the kramdown attributes after a link that ``:new-tab:`` (or nothing) says
_NEW_TAB = {'{:target="_blank"}', "{:target='_blank'}"}
_EXTERNAL = ("http://", "https://", "mailto:", "tel:", "ftp://")


_Options = list[tuple[str, str | None]]
#: a directive inside a container: its name, argument, options and text
_Entry = tuple[str, str, _Options, str]


class ParserMissing(RuntimeError):
    """markdown-it-py is not installed."""


@dataclass(frozen=True, slots=True)
class Note:
    """Something the migration could not convert, or a writer must do by hand."""

    line: int | None
    text: str


@dataclass
class MigratedPage:
    """A converted page: where it goes under the output folder, and its text."""

    path: PurePosixPath
    text: str
    notes: list[Note] = field(default_factory=list)


def markdown_parser() -> MarkdownIt:
    """markdown-it, imported when a page is migrated: the extension itself needs none."""
    try:
        from markdown_it import MarkdownIt
    except ImportError as error:
        raise ParserMissing(
            "migrate needs markdown-it-py: pip install 'sphinx-partnerships[migrate]'"
        ) from error
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


def migrate_page(text: str, name: str, site_url: str | None = None) -> MigratedPage:
    """Convert one Jekyll page; ``name`` is its file name (for its path when
    the front matter has no ``permalink``)."""
    parser = markdown_parser()
    notes: list[Note] = []
    front, body, offset = _split_front_matter(text, notes)
    permalink = front.get("permalink")
    path, url_path = _output_path(permalink, name, notes)
    for redirect in _as_list(front.get("redirect_from")):
        notes.append(Note(1, f"the old address {redirect} needs a redirect to the new page"))
    page_url = site_url.rstrip("/") + url_path if site_url else None
    converter = _Converter(parser, body, offset, page_url, notes)
    content = converter.convert()
    head: list[str] = []
    description = front.get("description")
    if isinstance(description, str) and _one_line(description):
        meta = {"myst": {"html_meta": {"description": _one_line(description)}}}
        dumped = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=2**31)
        head.append("---\n" + dumped + "---")
    title = front.get("title")
    if not converter.has_title:
        if isinstance(title, str | int | float) and _one_line(str(title)):
            head.append(f"# {heading_text(str(title))}")
        else:
            notes.append(Note(1, "the page has no title: add a '# Title' heading"))
    for key in front:
        if key not in {"title", "permalink", "description", "redirect_from", *DROPPED_KEYS}:
            notes.append(Note(1, f"front matter {key!r} has no place in a Sphinx page: dropped"))
    text_out = "\n\n".join(part for part in (*head, content) if part) + "\n"
    return MigratedPage(path, text_out, sorted(notes, key=lambda note: note.line or 0))


# -- reading and writing files ------------------------------------------------------

#: the largest page read: a Jekyll page is text, far smaller than this
MAX_PAGE_MIB = 4
_BINARY = getattr(os, "O_BINARY", 0)


class PageRefused(Exception):
    """A page not read, or not written where it would go; the message says why."""


def read_page(path: Path) -> str:
    """The text of a page: a regular file of at most ``MAX_PAGE_MIB``, in UTF-8.

    A named pipe would wait forever and a device never end: such files are
    refused before they are opened, and checked again once open.
    """
    limit = MAX_PAGE_MIB * 2**20
    try:
        _check_readable(os.stat(path), limit)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | _BINARY)
        with os.fdopen(descriptor, "rb") as file:
            _check_readable(os.fstat(file.fileno()), limit)
            data = file.read(limit + 1)
    except OSError as error:
        raise PageRefused(f"cannot be read: {error.strerror or error}") from error
    except ValueError as error:  # a NUL in the path
        raise PageRefused(f"cannot be read: {error}") from error
    if len(data) > limit:
        raise PageRefused(f"cannot be read: it is larger than {MAX_PAGE_MIB} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PageRefused(f"cannot be read: it is not UTF-8 text ({error.reason})") from error
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_readable(status: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(status.st_mode):
        raise PageRefused(f"cannot be read: it is {_kind_of(status.st_mode)}, not a regular file")
    if status.st_size > limit:
        raise PageRefused(f"cannot be read: it is larger than {MAX_PAGE_MIB} MiB")


def _kind_of(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


class Outputs:
    """Where ``migrate`` may write: under one folder, checked on the resolved
    path; never over a page being migrated; over another existing file only
    when told to replace it."""

    def __init__(self, folder: Path, pages: Sequence[Path], replace: bool) -> None:
        self.folder = folder
        self.root = folder.resolve()
        self.replace = replace
        self.inputs: set[tuple[int, int]] = set()
        self.input_paths: set[Path] = set()
        for page in pages:
            try:
                status = os.stat(page)
                self.input_paths.add(page.resolve())
            except (OSError, ValueError, RuntimeError):
                continue
            self.inputs.add((status.st_dev, status.st_ino))

    def target(self, relative: PurePosixPath) -> Path:
        """The resolved path a page's path under the folder leads to."""
        shown = self.folder / relative
        if any(_is_control(char) for char in str(relative)):
            raise PageRefused(f"{str(shown)!r} holds a control character: not written")
        if relative.is_absolute() or ".." in relative.parts:
            raise PageRefused(f"{shown} is not inside {self.folder}: not written")
        try:
            target = (self.root / relative).resolve()
        except (OSError, RuntimeError) as error:
            raise PageRefused(f"{shown} cannot be written: {error}") from error
        if target == self.root or not target.is_relative_to(self.root):
            raise PageRefused(
                f"{shown} leads to {target}, outside {self.folder} (through a symbolic link):"
                " not written"
            )
        return target

    def is_input(self, path: Path, status: os.stat_result) -> bool:
        identity = (status.st_dev, status.st_ino)
        return path in self.input_paths or (status.st_ino != 0 and identity in self.inputs)

    def check_writable(self, path: Path, shown: Path) -> os.stat_result | None:
        """What is at the resolved ``path`` now (``None``: nothing), when it may
        be written; ``PageRefused`` when it may not."""
        try:
            existing: os.stat_result | None = os.lstat(path)
        except FileNotFoundError:
            existing = None
        if existing is not None:
            if self.is_input(path, existing):
                raise PageRefused(
                    f"{shown} is a page being migrated: not written over, even with --force;"
                    " give another --out"
                )
            if not stat.S_ISREG(existing.st_mode):
                raise PageRefused(
                    f"{shown} is {_kind_of(existing.st_mode)}, not a regular file: not replaced"
                )
            if not self.replace:
                raise PageRefused(f"{shown} exists: not replaced without --force")
        return existing

    def write(self, path: Path, text: str, shown: Path) -> bool:
        """Write ``text`` to the resolved ``path``; ``True`` when it replaced a file.

        A replaced file is swapped for the new one in one step, so that a failed
        write leaves it whole, and a file linked from elsewhere keeps its text.
        """
        existing = self.check_writable(path, shown)
        data = text.encode("utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        if existing is None:
            try:
                descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
            except FileExistsError as error:
                raise PageRefused(f"{shown} exists: not replaced without --force") from error
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            return False
        _replace_file(path, data, stat.S_IMODE(existing.st_mode))
        return True


def _replace_file(path: Path, data: bytes, mode: int) -> None:
    for attempt in range(100):
        temporary = path.with_name(f".{path.name}.{os.getpid()}-{attempt}.tmp")
        try:
            descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, mode)
        except FileExistsError:
            continue
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
            os.chmod(temporary, mode)
            os.replace(temporary, path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise
        return
    raise FileExistsError(f"no free temporary name next to {path}")


# -- front matter and addresses -----------------------------------------------------

#: what starts inline markup within a heading's line: code spans and roles,
#: emphasis, links and images, raw HTML, substitutions and attributes, math,
#: strikethrough, a closing ``#`` sequence, the escape itself, and an ``&``
#: that begins an entity (``&amp;``; a lone ``&`` is text)
_INLINE_MARKUP = re.compile(r"[\\`*_\[\]<>{}$~#]|&(?=#?\w+;)")


def heading_text(title: str) -> str:
    """A front-matter title as the text of a ``#`` heading: one line, its
    markup escaped, so that it shows as written and never starts a directive,
    a role, raw HTML or an include."""
    return _INLINE_MARKUP.sub(lambda match: "\\" + match.group(0), _one_line(title))


def _one_line(text: str) -> str:
    """``text`` with its line breaks, control characters and runs of spaces
    made single spaces."""
    return " ".join("".join(" " if _is_control(char) else char for char in text).split())


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc"


def _split_front_matter(text: str, notes: list[Note]) -> tuple[dict[str, Any], str, int]:
    """The front matter's fields, the body, and the body's first line (0-based)."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return {}, text, 0
    # as in Jekyll, the closing line starts the line: an indented one is YAML text
    end = next((index for index in range(1, len(lines)) if lines[index].rstrip() == "---"), None)
    if end is None:
        notes.append(Note(1, "the front matter has no closing '---': read as text"))
        return {}, text, 0
    body = "\n".join(lines[end + 1 :])
    try:
        front = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError as error:
        notes.append(Note(1, f"the front matter is not valid YAML ({error}): dropped"))
        return {}, body, end + 1
    if not isinstance(front, dict):
        return {}, body, end + 1
    return {str(key): value for key, value in front.items()}, body, end + 1


def _output_path(permalink: Any, name: str, notes: list[Note]) -> tuple[PurePosixPath, str]:
    """The page's path under the output folder, and its address on the old site.

    ``/a/b/`` becomes ``a/b/index.md`` (served at ``/a/b/`` by ``dirhtml``),
    ``/a/b.html`` becomes ``a/b.md``.
    """
    stem = PurePosixPath(name).stem
    default = PurePosixPath(f"{stem}.md"), f"/{stem}.html"
    if permalink is None:
        notes.append(Note(1, f"no permalink: the page is written as {stem}.md"))
        return default
    link = str(permalink).strip()
    parts = [part for part in link.split("/") if part]
    if any(_is_control(char) for char in link):
        notes.append(Note(1, f"permalink {link!r} holds a control character: written as {stem}.md"))
        return default
    if (
        not link.startswith("/")
        or ":" in link
        or "\\" in link
        or any(part in {".", ".."} for part in parts)
    ):
        notes.append(Note(1, f"permalink {link!r} cannot be a path: written as {stem}.md"))
        return default
    if not parts:
        return PurePosixPath("index.md"), "/"
    if link.endswith("/"):
        return PurePosixPath(*parts, "index.md"), link
    last = PurePosixPath(parts[-1])
    if last.suffix == ".html":
        notes.append(
            Note(
                1,
                f"the old address {link} is served as {link} by the html builder; with"
                f" dirhtml it needs a redirect to /{'/'.join([*parts[:-1], last.stem])}/",
            )
        )
        return PurePosixPath(*parts[:-1], f"{last.stem}.md"), link
    notes.append(Note(1, f"the old address {link} needs a redirect to {link}/ (dirhtml)"))
    return PurePosixPath(*parts, "index.md"), link


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list):
        return [str(item) for item in value]
    return [str(value)]


# -- blocks ---------------------------------------------------------------------


@dataclass
class _Block:
    """A top-level block of the page: its kind, its lines, its tokens."""

    kind: str
    start: int
    end: int
    tokens: list[Token]

    @property
    def inline(self) -> Token | None:
        return next((token for token in self.tokens if token.type == "inline"), None)


def _blocks(tokens: list[Token]) -> list[_Block]:
    blocks: list[_Block] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        end = index
        if token.nesting == 1:
            closing = token.type.removesuffix("_open") + "_close"
            end = next(
                position
                for position in range(index + 1, len(tokens))
                if tokens[position].type == closing and tokens[position].level == token.level
            )
        start_line, end_line = token.map or (0, 0)
        kind = token.type.removesuffix("_open")
        blocks.append(_Block(kind, start_line, end_line, tokens[index : end + 1]))
        index = end + 1
    return blocks


@dataclass
class _Group:
    """One heading over its list: a month of activities or a year of awards."""

    kind: str
    date: str
    heading: _Block
    items: list[tuple[str, int, Token | None]]


class _Converter:
    def __init__(
        self,
        parser: MarkdownIt,
        body: str,
        offset: int,
        page_url: str | None,
        notes: list[Note],
    ) -> None:
        self.parser = parser
        self.lines = body.splitlines()
        self.offset = offset
        self.page_url = page_url
        self.notes = notes
        self.has_title = False
        self.blocks = _blocks(parser.parse(body))

    def note(self, line: int, text: str) -> None:
        """A note at a 0-based line of the body."""
        self.notes.append(Note(line + self.offset + 1, text))

    def source(self, start: int, end: int) -> str:
        return "\n".join(self.lines[start:end]).rstrip()

    def convert(self) -> str:
        parts: list[str] = []
        previous_end = 0
        index = 0
        while index < len(self.blocks):
            block = self.blocks[index]
            parts.extend(self.gap(previous_end, block.start))
            converted, index = self.special(index)
            if converted is None:
                converted, index = self.plain(block), index + 1
            parts.append(converted)
            previous_end = self.blocks[index - 1].end
        parts.extend(self.gap(previous_end, len(self.lines)))
        return "\n\n".join(part for part in parts if part.strip())

    def gap(self, start: int, end: int) -> list[str]:
        """Lines no block holds: link reference definitions, kept with their
        addresses made absolute."""
        kept = []
        for number in range(start, end):
            line = self.lines[number]
            if not line.strip():
                continue
            match = _REFERENCE_DEFINITION.match(line)
            if match:
                new = self.address(match["dest"].strip("<>"), number)
                if new is not None:
                    line = match["label"] + new + line[match.end() :]
            kept.append(line)
        return ["\n".join(kept)] if kept else []

    # -- what is rewritten --------------------------------------------------------

    def special(self, index: int) -> tuple[str | None, int]:
        block = self.blocks[index]
        if block.kind == "heading":
            return self.entry_sections(index)
        if block.kind == "html_block":
            return self.card_rows(index)
        return None, index

    def plain(self, block: _Block) -> str:
        text = self.source(block.start, block.end)
        if block.kind in {"fence", "code_block"}:
            return text
        if block.kind == "html_block":
            self.note(block.start, "raw HTML is kept as it is: rewrite it in Markdown")
            return text
        if block.kind == "heading":
            return self.heading(block, text)
        if block.kind == "paragraph":
            lines = text.splitlines()
            if lines and _BLOCK_IAL.match(lines[-1]):
                self.note(block.end - 1, f"kramdown attributes {lines[-1].strip()} dropped")
                text = "\n".join(lines[:-1])
                if not text.strip():
                    return ""
        return self.inline(text, block.tokens, block.start)

    def heading(self, block: _Block, text: str) -> str:
        level = int(block.tokens[0].tag[1])
        if level == 1:
            self.has_title = True
        match = _HEADING_ID.search(text.splitlines()[0])
        label = ""
        if match:
            label = f"({match['id']})=\n"
            text = text[: match.start()] + text[len(text.splitlines()[0]) :]
        return label + self.inline(text, block.tokens, block.start)

    def inline(self, text: str, tokens: list[Token], line: int) -> str:
        """Rewrite what the parser found in a block's inline content: links to the
        old site, email autolinks, kramdown attributes after a link."""
        addresses: dict[str, str] = {}
        emails: list[str] = []
        attributes: list[str] = []
        for token in tokens:
            if token.type != "inline" or not token.children:
                continue
            here = token.map[0] if token.map else line
            children = token.children
            for position, child in enumerate(children):
                if child.type == "link_open" and child.markup == "autolink":
                    href = str(child.attrs.get("href", ""))
                    if href.startswith("mailto:"):
                        emails.append(children[position + 1].content)
                elif child.type in {"link_open", "image"}:
                    href = str(child.attrs.get("href" if child.type == "link_open" else "src"))
                    new = self.address(href, here)
                    if new is not None:
                        addresses[href] = new
                elif child.type == "text" and child.content.startswith("{:"):
                    if position and children[position - 1].type == "link_close":
                        attribute = child.content[: child.content.find("}") + 1]
                        attributes.append(attribute)
                        if attribute.replace(" ", "") not in {
                            '{:target="_blank"}',
                            "{:target='_blank'}",
                        }:
                            self.note(here, f"kramdown attributes {attribute} dropped")
                elif child.type == "html_inline":
                    self.note(here, f"inline HTML {child.content} is kept as it is")
                if child.type == "text" and ("{{" in child.content or "{%" in child.content):
                    self.note(here, "Liquid template code is kept as text")

        def rewrite(segment: str) -> str:
            for email in emails:
                segment = segment.replace(f"<{email}>", f"[{email}](mailto:{email})")
            for attribute in attributes:
                segment = segment.replace(")" + attribute, ")", 1)
            if addresses:
                segment = _LINK_DESTINATION.sub(
                    lambda match: self.replace_destination(match, addresses), segment
                )
            return segment

        return _outside_code(text, rewrite)

    def replace_destination(self, match: re.Match[str], addresses: dict[str, str]) -> str:
        destination = match["dest"].strip("<>")
        new = addresses.get(self.parser.normalizeLink(destination))
        return match["open"] + new if new is not None else match.group(0)

    def address(self, href: str, line: int) -> str | None:
        """The absolute address of a link to the old site; ``None``: keep it."""
        if href.startswith(_EXTERNAL) or not href or href.startswith("#"):
            if href.startswith("#"):
                self.note(
                    line,
                    f"the anchor {href} is kept: check that the page still has it"
                    " (MyST makes heading anchors with myst_heading_anchors)",
                )
            return None
        if urlsplit(href).scheme:
            return None
        if self.page_url is None:
            self.note(line, f"the site link {href} is kept relative: give --site-url")
            return None
        return urljoin(self.page_url, href)

    # -- timelines and award lists -------------------------------------------------

    def entry_sections(self, index: int) -> tuple[str | None, int]:
        """Headings with a month or a year, each over its list, in a row."""
        groups: list[_Group] = []
        position = index
        level = self.blocks[index].tokens[0].tag
        while position + 1 < len(self.blocks):
            heading, listed = self.blocks[position], self.blocks[position + 1]
            if heading.kind != "heading" or heading.tokens[0].tag != level:
                break
            group = self.group(heading, listed, groups[0].kind if groups else None)
            if group is None:
                break
            groups.append(group)
            position += 2
        if not groups:
            heading = self.blocks[index]
            title = heading.inline.content.strip() if heading.inline else ""
            if _date_of(title) and not (
                index + 1 < len(self.blocks) and self.blocks[index + 1].kind == "bullet_list"
            ):
                self.note(
                    heading.start,
                    f"the heading {title!r} has no list below it: kept as a heading",
                )
            return None, index
        if groups[0].kind == "activity":
            return self.timeline(groups), position
        return self.award_list(groups), position

    def group(self, heading: _Block, listed: _Block, kind: str | None) -> _Group | None:
        title = heading.inline.content.strip() if heading.inline else ""
        date = _date_of(title)
        if date is None or listed.kind != "bullet_list":
            return None
        items = list(self.items(listed))
        labelled = all(_bold_label(token) is not None for _, _, token in items)
        if len(date) == 7:
            group_kind = "activity"
        elif labelled and kind in {None, "award"}:
            group_kind = "award"
        elif kind == "activity":
            group_kind = "activity"
        else:
            return None
        if kind is not None and group_kind != kind:
            return None
        return _Group(group_kind, date, heading, items)

    def items(self, listed: _Block) -> Iterator[tuple[str, int, Token | None]]:
        """Each item of a list: its text without the marker, its line, its inline."""
        depth = listed.tokens[0].level + 1
        for position, token in enumerate(listed.tokens):
            if token.type != "list_item_open" or token.level != depth or not token.map:
                continue
            start, end = token.map
            closing = next(
                index
                for index in range(position, len(listed.tokens))
                if listed.tokens[index].type == "list_item_close"
                and listed.tokens[index].level == depth
            )
            tokens = listed.tokens[position : closing + 1]
            lines = self.lines[start:end]
            marker = _LISTED_MARKER.match(lines[0])
            width = len(marker.group(0)) if marker else 0
            body = [lines[0][width:]] + [
                line[width:] if line[:width].strip() == "" else line.lstrip() for line in lines[1:]
            ]
            text = self.inline("\n".join(body).strip(), tokens, start)
            first = next((t for t in tokens if t.type == "inline"), None)
            yield text, start, first

    def order_options(self, groups: list[_Group], what: str) -> _Options:
        """``:order: oldest`` for groups written oldest first; a note for
        groups in no order, which the collection shows newest first."""
        starts = [_start(group.date) for group in groups]
        if starts == sorted(starts, reverse=True):
            return []
        if starts == sorted(starts):
            return [("order", "oldest")]
        self.note(groups[0].heading.start, what)
        return []

    def timeline(self, groups: list[_Group]) -> str:
        options = self.order_options(
            groups, "the months are not in order: the timeline shows them newest first"
        )
        entries: list[_Entry] = []
        for group in groups:
            for text, _line, _token in group.items:
                entries.append(("activity", group.date, [], text))
        return _nested("timeline", options, entries)

    def award_list(self, groups: list[_Group]) -> str:
        options = self.order_options(
            groups, "the years are not in order: the award list shows them newest first"
        )
        entries: list[_Entry] = []
        for group in groups:
            for text, line, _token in group.items:
                match = _BOLD_LABEL.match(text)
                if match is None:  # the parser saw a label the source hides (escapes)
                    self.note(line, "the award's name could not be read: kept as its text")
                    entries.append(("award", group.date, [("date", group.date)], text))
                    continue
                name, link = _label_and_link(match["label"].rstrip().removesuffix(":"))
                award_options: _Options = [("date", group.date)]
                if link:
                    award_options.append(("link", link))
                entries.append(("award", name, award_options, text[match.end() :].strip()))
        return _nested("award-list", options, entries)

    # -- card grids -----------------------------------------------------------------

    def card_rows(self, index: int) -> tuple[str | None, int]:
        """Raw HTML blocks in a row (a blank line ends an HTML block for the
        parser, not for kramdown), read as rows of image cards."""
        position = index
        while position + 1 < len(self.blocks) and self.blocks[position + 1].kind == "html_block":
            position += 1
        first, last = self.blocks[index], self.blocks[position]
        markup = self.source(first.start, last.end)
        builder = _TreeBuilder()
        try:
            builder.feed(markup)
            builder.close()
        except (ValueError, AssertionError):
            return None, index
        rows = _card_rows(builder.root)
        if rows is None:
            return None, index
        grids = []
        for row in rows:
            grids.append(self.card_grid(row, first.start))
        return "\n\n".join(grids), position + 1

    def card_grid(self, row: _CardRow, line: int) -> str:
        count = min(row.columns, 6)
        columns = [1, min(2, count), count, count]
        linked = [card for card in row.cards if card.link]
        grid_new_tab = bool(linked) and all(card.new_tab for card in linked)
        options: _Options = [("columns", " ".join(map(str, columns)))]
        if grid_new_tab:
            options.append(("new-tab", None))
        entries: list[_Entry] = []
        for card in row.cards:
            image = self.address(card.image, line) or card.image
            if image.startswith("/") or not urlsplit(image).scheme:
                self.note(line, f"the image {card.image} must be copied into the project")
            card_options: _Options = []
            if card.alt is None:
                self.note(line, f"the image {card.image} has no alt text: write one")
            elif card.alt == "":
                card_options.append(("decorative", None))
            else:
                card_options.append(("alt", " ".join(card.alt.split())))
            if card.link:
                card_options.append(("link", self.address(card.link, line) or card.link))
                if card.new_tab and not grid_new_tab:
                    card_options.append(("new-tab", None))
            if card.link and card.figcaption is not None:
                for anchor in card.figcaption.descendants():
                    if anchor.tag == "a":
                        anchor.tag = "span"
                        self.note(
                            line,
                            f"the caption's link to {anchor.attrs.get('href')} is left out:"
                            " a linked card is one link",
                        )
            caption = card.caption(lambda href: self.address(href, line) or href)
            entries.append(("image-card", image, card_options, caption))
        return _nested("card-grid", options, entries)


def _date_of(title: str) -> str | None:
    """``June 2022`` → ``2022-06``; ``2022`` → ``2022``; other titles: ``None``."""
    if _YEAR_HEADING.fullmatch(title):
        return title
    match = _MONTH_HEADING.fullmatch(title)
    if match is None:
        return None
    name = match["month"].lower()
    found = [
        number
        for number, month in enumerate(MONTHS, 1)
        if month == name or (len(name) == 3 and month.startswith(name))
    ]
    return f"{match['year']}-{found[0]:02d}" if found else None


def _start(date: str) -> str:
    """Where a date is placed: ``2021`` counts as January 2021, as in a timeline."""
    return date if len(date) > 4 else f"{date}-01"


def _bold_label(inline: Token | None) -> str | None:
    """The bold label an item starts with (``**Name:** text``), as the parser read it."""
    if inline is None or not inline.children:
        return None
    children = [
        child for child in inline.children if not (child.type == "text" and not child.content)
    ]
    if len(children) < 3 or children[0].type != "strong_open":
        return None
    closing = next(
        (index for index, child in enumerate(children) if child.type == "strong_close"), None
    )
    if closing is None:
        return None
    label = "".join(child.content for child in children[1:closing])
    after = children[closing + 1].content if closing + 1 < len(children) else ""
    if label.rstrip().endswith(":") or after.startswith(":"):
        return label.rstrip().removesuffix(":").strip()
    return None


def _label_and_link(label: str) -> tuple[str, str | None]:
    """An award name written as a link: its words, and the address."""
    match = re.fullmatch(r"\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)", label.strip())
    if match:
        return match["text"].strip(), match["href"]
    return label.strip(), None


def _outside_code(text: str, rewrite: Callable[[str], str]) -> str:
    """``rewrite`` applied to the text outside code spans."""
    parts: list[str] = []
    position = 0
    for match in _CODE_SPAN.finditer(text):
        parts.append(rewrite(text[position : match.start()]))
        parts.append(match.group(0))
        position = match.end()
    parts.append(rewrite(text[position:]))
    return "".join(parts)


def _nested(
    name: str,
    options: _Options,
    entries: list[_Entry],
) -> str:
    """A container directive and its entries, fenced with colons (MyST ``colon_fence``).

    The fences are longer than any colon fence the entries' text holds.
    """
    longest = max(
        [
            len(match.group(1))
            for _, _, _, text in entries
            for match in re.finditer(r"^\s*(:{3,})", text, re.M)
        ],
        default=0,
    )
    inner = ":" * max(3, longest + 1)
    outer = inner + ":"
    lines = [f"{outer}{{{name}}}", *_options(options), ""]
    for directive, argument, entry_options, text in entries:
        lines.append(f"{inner}{{{directive}}} {argument}".rstrip())
        lines.extend(_options(entry_options))
        if text:
            lines.extend(["", text])
        lines.extend([inner, ""])
    lines.append(outer)
    return "\n".join(lines)


def _options(options: _Options) -> list[str]:
    return [f":{name}: {value}" if value else f":{name}:" for name, value in options]


# -- HTML card rows -------------------------------------------------------------------

_VOID = {"img", "br", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed"}


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str | None]
    children: list[_Element | str] = field(default_factory=list)
    parent: _Element | None = None

    @property
    def classes(self) -> list[str]:
        return (self.attrs.get("class") or "").split()

    def elements(self) -> list[_Element]:
        return [child for child in self.children if isinstance(child, _Element)]

    def descendants(self) -> Iterator[_Element]:
        for child in self.elements():
            yield child
            yield from child.descendants()

    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)


class _TreeBuilder(HTMLParser):
    """A small element tree from HTML, enough to see rows, columns and images."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("root", {})
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, dict(attrs), parent=self.current)
        self.current.children.append(element)
        if tag not in _VOID:
            self.current = element

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(_Element(tag, dict(attrs), parent=self.current))

    def handle_endtag(self, tag: str) -> None:
        node: _Element | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


@dataclass
class _Card:
    image: str
    alt: str | None
    link: str | None
    new_tab: bool
    figcaption: _Element | None

    def caption(self, address: Callable[[str], str]) -> str:
        if self.figcaption is None:
            return ""
        return " ".join(_markdown_of(self.figcaption, address).split())


@dataclass
class _CardRow:
    columns: int
    cards: list[_Card]


def _card_rows(root: _Element) -> list[_CardRow] | None:
    """Rows of ``<div class="col">`` holding one image each (and spacers), or
    ``None`` when the HTML is anything else."""
    if any(isinstance(child, str) and child.strip() for child in root.children):
        return None
    rows = []
    for row in root.elements():
        if row.tag != "div" or "row" not in row.classes:
            return None
        if any(isinstance(child, str) and child.strip() for child in row.children):
            return None
        columns = row.elements()
        cards = []
        for column in columns:
            if column.tag != "div" or not any(name.startswith("col") for name in column.classes):
                return None
            try:
                card = _card_in(column)
            except _NotCards:
                return None
            if card is not None:
                cards.append(card)
        if not cards:
            return None
        rows.append(_CardRow(len(columns), cards))
    return rows or None


class _NotCards(ValueError):
    """The HTML is something other than rows of image cards."""


def _card_in(column: _Element) -> _Card | None:
    """The card a column holds; ``None`` for an empty one."""
    images = [element for element in column.descendants() if element.tag == "img"]
    if not images:
        if column.text().strip():
            raise _NotCards
        return None
    if len(images) > 1 or not images[0].attrs.get("src"):
        raise _NotCards
    image = images[0]
    captions = [element for element in column.descendants() if element.tag == "figcaption"]
    if len(captions) > 1:
        raise _NotCards
    link = image.parent if image.parent is not None and image.parent.tag == "a" else None
    # words outside the caption would be lost
    outside = _text_outside(column, captions[0] if captions else None)
    if outside.strip():
        raise _NotCards
    return _Card(
        image=str(image.attrs["src"]),
        alt=image.attrs.get("alt"),
        link=link.attrs.get("href") if link is not None else None,
        new_tab=link is not None and link.attrs.get("target") == "_blank",
        figcaption=captions[0] if captions else None,
    )


def _text_outside(element: _Element, skipped: _Element | None) -> str:
    return "".join(
        child
        if isinstance(child, str)
        else ("" if child is skipped else _text_outside(child, skipped))
        for child in element.children
    )


_INLINE_MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}


def _markdown_of(element: _Element, address: Callable[[str], str]) -> str:
    """A caption's HTML as Markdown: bold, italics, code and links kept."""
    parts = []
    for child in element.children:
        if isinstance(child, str):
            parts.append(_escaped(child))
            continue
        inner = _markdown_of(child, address)
        mark = _INLINE_MARKS.get(child.tag)
        if mark and inner.strip():
            parts.append(f"{mark}{inner.strip()}{mark}")
        elif child.tag == "a" and child.attrs.get("href"):
            parts.append(f"[{inner.strip()}]({address(str(child.attrs['href']))})")
        elif child.tag == "br":
            parts.append(" ")
        else:
            parts.append(inner)
    return "".join(parts)


def _escaped(text: str) -> str:
    """Text from HTML, with the characters Markdown would read as markup escaped."""
    return re.sub(r"([\\`*_\[\]<>])", r"\\\1", text)
