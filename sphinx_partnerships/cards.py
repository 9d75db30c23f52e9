"""Card grids: the ``image-card``, ``text-card`` and ``card-grid`` directives."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.builders.gettext import MessageCatalogBuilder
from sphinx.transforms.post_transforms import ReferencesResolver, SphinxPostTransform

from .collection import whole_number
from .diagnostics import Location, quoted, warn, warn_issue
from .directives import PartnershipsDirective, option_spec
from .domain import CARD_ID
from .entries import (
    CARD_FIELDS,
    IMAGE_CARD_FIELDS,
    TEXT_CARD_FIELDS,
    Card,
    card_issues,
    card_kind,
)
from .images import ImageChoice, choose_image, image_node
from .links import link_node
from .nodes import caption_text, card_title, new_tab_reference, text_card, visually_hidden
from .nodes import card as card_node
from .translation import _

DEFAULT_COLUMNS = (1, 2, 3, 3)
BREAKPOINTS = ("", "sm-", "md-", "lg-")
MAX_COLUMNS = 6
REMOTE_PREFIXES = ("https://", "http://")


def parse_columns(value: str | None, location: Location, what: str) -> tuple[int, ...]:
    """``"1 2 4 4"`` → (1, 2, 4, 4); one number means every screen size."""
    if not value or not value.strip():
        return DEFAULT_COLUMNS
    numbers = [whole_number(part, 1, MAX_COLUMNS) for part in value.split()]
    if 1 <= len(numbers) <= 4 and None not in numbers:
        counts = [number for number in numbers if number is not None]
        return tuple(counts + [counts[-1]] * (4 - len(counts)))
    warn("option-columns", location, subject=what, value=quoted(value))
    return DEFAULT_COLUMNS


def grid_classes(columns: tuple[int, ...]) -> list[str]:
    return [f"sp-cols-{size}{count}" for size, count in zip(BREAKPOINTS, columns, strict=True)]


class CardDirectiveBase(PartnershipsDirective):
    def choose_image(self, written: str, location: Location) -> ImageChoice:
        """What a card's image publishes; a warning at ``location`` for each
        file refused (a path's own problems are told by ``card_issues``)."""
        folder = os.path.dirname(self.env.doc2path(self.env.docname, base=False))
        choice = choose_image(written, self.env.srcdir, folder)
        for issue in choice.issues:
            warn_issue(issue, location)
        for path in choice.watched:
            self.env.note_dependency(path)
        return choice

    def build_card(
        self,
        values: dict[str, Any],
        caption: list[nodes.Node],
        location: Location,
        line: int,
        classes: list[str],
    ) -> nodes.figure | None:
        card = Card(
            image=values["image"],
            alt=values.get("alt"),
            decorative=values.get("decorative", False),
            link=values.get("link"),
            new_tab=values.get("new_tab", False),
            id=values.get("id"),
            lineno=line,
        )
        for issue in card_issues(values):
            warn_issue(issue, location)
        figure = card_node(classes=["sp-card", *classes])
        figure["sp_new_tab"] = card.new_tab
        if card.id:
            figure[CARD_ID] = card.id
        # where the card was declared (page or data file entry), for late warnings
        figure.source = (
            location.rsplit(":", 1)[0]
            if isinstance(location, str)
            else str(self.env.doc2path(self.env.docname))
        )
        figure.line = line
        image: nodes.Element | None = None
        choice = self.choose_image(card.image, location)
        if choice.usable:
            image_classes = ["sp-card-image"]
            if "dark-light" in classes:
                image_classes.append("dark-light")
            image = image_node(
                choice,
                card.image,
                alt="" if card.decorative else (card.alt or ""),
                classes=image_classes,
            )
            # builders that warn about an image (no format for LaTeX) point here
            image.source, image.line = figure.source, line
        caption_inline, legend = split_caption(caption)
        if image is None and not caption_inline:
            return None
        if image is not None:
            figure += image
        # The anchor goes on the image: a figure with an id gets a permalink
        # in its caption, a second link inside a card that must have one.
        (image if image is not None else figure)["ids"].extend([card.id] if card.id else [])
        if card.link is not None:
            source = location if isinstance(location, str) else None
            link_location = (
                (source.rsplit(":", 1)[0], line)
                if source
                else (str(self.env.doc2path(self.env.docname)), line)
            )
            if caption_inline:
                caption_inline = [
                    link_node(
                        card.link,
                        caption_inline,
                        docname=self.env.docname,
                        location=link_location,
                        classes=("sp-card-link",),
                    )
                ]
            elif image is not None and not image["alt"]:
                # a link named by nothing: leave the card unlinked
                warn("alt-linked", location, value=quoted(card.image))
            elif image is not None:
                linked = link_node(
                    card.link,
                    [image.deepcopy()],
                    docname=self.env.docname,
                    location=link_location,
                    classes=("sp-card-link",),
                )
                image.replace_self(linked)
        if caption_inline:
            figure += nodes.caption("", "", *caption_inline)
        if legend:
            figure += nodes.legend("", *legend)
        return figure

    def build_text_card(
        self,
        values: dict[str, Any],
        body: list[nodes.Node],
        location: Location,
        line: int,
        classes: list[str],
    ) -> nodes.Element:
        """A card without an image: its title (the card's one link, when it
        has one), its body and its footer line."""
        card = text_card(classes=["sp-card", "sp-text-card", *classes])
        card["sp_new_tab"] = values.get("new_tab", False)
        card.source = (
            location.rsplit(":", 1)[0] if isinstance(location, str) else self.source_and_line()[0]
        )
        card.line = line
        if values.get("id"):
            card[CARD_ID] = values["id"]
            card["ids"].append(values["id"])
        # the title's words are what gettext extracts and a translation
        # replaces, inside the card's link (see split_caption)
        words = caption_text(values["title"], values["title"], translatable=True)
        words.source, words.line = card.source, line
        title: list[nodes.Node] = [words]
        if values.get("link") is not None:
            title = [
                link_node(
                    values["link"],
                    title,
                    docname=self.env.docname,
                    location=(str(card.source), line),
                    classes=("sp-card-link",),
                )
            ]
        heading = card_title("", "", *title, classes=["sp-card-title"], translatable=False)
        heading.source, heading.line = card.source, line
        card += heading
        card.extend(body)
        if values.get("footer"):
            footer = values["footer"]
            card += nodes.paragraph(footer, footer, classes=["sp-card-footer"])
        return card


def split_caption(
    parsed: list[nodes.Node],
) -> tuple[list[nodes.Node], list[nodes.Node]]:
    """The first paragraph becomes the caption text; the rest its legend.

    The caption text is an inline that Sphinx's translations know: it keeps
    the paragraph's markup, source and line, so gettext extracts it, and a
    translation replaces its content without losing the card link around it.
    """
    if parsed and isinstance(parsed[0], nodes.paragraph):
        paragraph = parsed[0]
        text = caption_text(paragraph.rawsource, "", *paragraph.children, translatable=True)
        text.source, text.line = paragraph.source, paragraph.line
        return [text], parsed[1:]
    return [], parsed


class ImageCardDirective(CardDirectiveBase):
    option_spec = option_spec("alt", "decorative", "link", "new-tab", "id", "class")

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        raw: dict[str, Any] = {
            "image": self.arguments[0] if self.arguments else None,
            **{name: value for name, value in options.items() if name != "class"},
        }
        values = self.validate(raw, IMAGE_CARD_FIELDS)
        if values is None:
            return []
        parsed = self.parse_body()
        lifted = [*self.lift_nested(parsed, "an image card"), *_lift_cards(parsed, "an image card")]
        line = self.source_and_line()[1]
        figure = self.build_card(values, parsed, self.here, line, self.css_classes(options))
        if figure is None:
            return lifted
        # a grid of its own, which a card-grid around it takes the card from
        grid = nodes.container(classes=["sp-card-grid", "sp-single", *grid_classes((1, 1, 1, 1))])
        grid += figure
        apply_new_tab(grid, grid_new_tab=False)
        return [self.adopted(grid), *lifted]


class TextCardDirective(CardDirectiveBase):
    """``text-card TITLE``: a card without an image; its body is the text."""

    option_spec = option_spec("link", "footer", "new-tab", "id", "class")

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        raw: dict[str, Any] = {
            "title": self.arguments[0] if self.arguments else None,
            **{name: value for name, value in options.items() if name != "class"},
        }
        values = self.validate(raw, TEXT_CARD_FIELDS, argument="title")
        if values is None:
            return []
        parsed = self.parse_body()
        lifted = [*self.lift_nested(parsed, "a text card"), *_lift_cards(parsed, "a text card")]
        line = self.source_and_line()[1]
        card = self.build_text_card(values, parsed, self.here, line, self.css_classes(options))
        grid = nodes.container(classes=["sp-card-grid", "sp-single", *grid_classes((1, 1, 1, 1))])
        grid += card
        apply_new_tab(grid, grid_new_tab=False)
        return [self.adopted(grid), *lifted]


class CardGridDirective(CardDirectiveBase):
    option_spec = option_spec("columns", "new-tab", "source", "class")
    optional_arguments = 0

    def run(self) -> list[nodes.Node]:
        options = self.checked_options()
        columns = parse_columns(options.get("columns"), self.here, self.what)
        grid = nodes.container(
            classes=["sp-card-grid", *grid_classes(columns), *self.css_classes(options)]
        )
        grid.extend(self.data_cards())
        rest: list[nodes.Node] = []
        for node in self.parse_body():
            if _is_single_card(node):
                grid.extend(node.children)
            else:
                rest.append(node)
        apply_new_tab(grid, grid_new_tab="new-tab" in options)
        return [*rest, self.adopted(grid)]

    def data_cards(self) -> list[nodes.Element]:
        cards: list[nodes.Element] = []
        with self.data_file("cards") as loaded:
            if loaded is None:
                return cards
            data, display, _relative = loaded
            for values, line in self.validate_data_entries(data, display, CARD_FIELDS, "card"):
                card = self.data_card(values, f"{display}:{line}", line)
                if card is not None:
                    cards.append(card)
        return cards

    def data_card(self, values: dict[str, Any], location: str, line: int) -> nodes.Element | None:
        kind = card_kind(values)
        if kind != "image":
            for issue in card_issues(values):
                warn_issue(issue, location)
            if kind != "text":
                return None
            body = (
                self.parse_data_text(values["text"], location, "card entry")
                if values.get("text")
                else []
            )
            shown = _translated_words(self, values, location, ("title", "footer"))
            return _data_card(self.build_text_card(shown, body, location, line, []))
        caption = (
            self.parse_data_text(values["caption"], location, "card entry")
            if values.get("caption")
            else []
        )
        figure = self.build_card(values, caption, location, line, [])
        return None if figure is None else _data_card(figure, self.translated_words)


def _translated_words(
    directive: PartnershipsDirective,
    values: dict[str, Any],
    location: str,
    names: tuple[str, ...],
) -> dict[str, Any]:
    """A data card's plain text fields in the page's language."""
    return {
        name: directive.translated_words(value, location)
        if name in names and isinstance(value, str) and value
        else value
        for name, value in values.items()
    }


def _data_card(
    card: nodes.Element, translate: Callable[[str, str], str] | None = None
) -> nodes.Element:
    """A card from a data file gives Sphinx's translation nothing to read
    with the page's markup: its caption and title are translated where they
    are read, and its images' text alternatives (``translate``) too, kept
    apart until Sphinx's translation is done (see ``restore_data_alt``)."""
    for words in card.findall(caption_text):
        words["translatable"] = False
    for image in card.findall(nodes.image):
        if translate is not None and image.get("alt"):
            image[DATA_ALT] = translate(image["alt"], f"{card.source}:{card.line}")
            del image["alt"]
    return card


#: a data card image's text alternative while the page is read
DATA_ALT = "sp_data_alt"


def restore_data_alt(app: Sphinx, doctree: nodes.document) -> None:
    for image in doctree.findall(nodes.image):
        if DATA_ALT in image:
            image["alt"] = image[DATA_ALT]
            del image[DATA_ALT]


def _is_single_card(node: nodes.Node) -> bool:
    return isinstance(node, nodes.container) and {"sp-card-grid", "sp-single"} <= set(
        node["classes"]
    )


def _lift_cards(parsed: list[nodes.Node], container: str) -> list[nodes.Node]:
    """A card written in a card's text is a warning, and follows the card
    (a card inside that one goes with it)."""
    lifted: list[nodes.Node] = []
    for tree in list(parsed):
        if _is_single_card(tree):
            found = [tree]
        elif isinstance(tree, nodes.Element):
            found = [
                node
                for node in tree.findall(_is_single_card, include_self=False)
                if not any(_is_single_card(above) for above in _ancestors(node, tree))
            ]
        else:
            found = []
        for grid in found:
            what = "a text card" if next(grid.findall(text_card), None) else "an image card"
            warn(
                "structure-nested",
                grid.children[0] if grid.children else grid,
                what=what,
                container=container,
            )
            if grid is tree:
                parsed.remove(tree)
            else:
                grid.parent.remove(grid)
            lifted.append(grid)
    return lifted


def _ancestors(node: nodes.Node, top: nodes.Node) -> Iterator[nodes.Node]:
    """The nodes between ``node`` and ``top``, ``top`` left out."""
    parent = node.parent
    while parent is not None and parent is not top:
        yield parent
        parent = parent.parent


def apply_new_tab(grid: nodes.Element, *, grid_new_tab: bool) -> None:
    """Cards whose grid or own options ask for it open external links in a new tab."""
    for figure in grid.findall(nodes.figure):
        if not (grid_new_tab or figure.get("sp_new_tab")):
            continue
        for reference in list(figure.findall(nodes.reference)):
            uri = reference.get("refuri", "")
            if isinstance(reference, new_tab_reference) or not uri.startswith(REMOTE_PREFIXES):
                continue
            replacement = new_tab_reference(
                "", "", *reference.children, refuri=uri, classes=reference["classes"]
            )
            hint = _("opens in a new tab")
            replacement += visually_hidden.of(f" ({hint})")
            reference.replace_self(replacement)


class OneLinkPerCard(SphinxPostTransform):
    """A linked card is one target: links of its own caption or legend would be
    nested in the card's link, or hidden under it, so they become text."""

    default_priority = 20  # once cross-references are resolved

    def run(self, **kwargs: Any) -> None:
        cards = list(self.document.findall(card_node))
        if any(next(figure.findall(addnodes.pending_xref), None) for figure in cards):
            # A cross-reference inside an internal card link is resolved in a copy
            # of its container that the resolver never visits: resolve it now.
            ReferencesResolver(self.document).apply()
        for figure in cards:
            references = list(figure.findall(nodes.reference))
            card_link = next((ref for ref in references if _is_card_link(ref)), None)
            if card_link is None:
                continue
            # what the stylesheet's hover and focus rules for linked cards select
            figure["classes"].append("sp-card-linked")
            others = [ref for ref in references if ref is not card_link]
            if not others:
                continue
            key = "card-text-links" if isinstance(figure, text_card) else "card-caption-links"
            warn(key, figure)
            for reference in others:
                reference.replace_self(nodes.inline("", "", *reference.children))


def _is_card_link(reference: nodes.reference) -> bool:
    return "sp-card-link" in reference["classes"] or any(
        isinstance(child, nodes.inline) and "sp-card-link" in child["classes"]
        for child in reference.children
    )


def unwrap_caption_texts(app: Sphinx, doctree: nodes.document) -> None:
    """Once translations are applied, caption texts give way to their content,
    in place (Sphinx would move it to the end of the caption, after a new-tab
    hint); only gettext, which extracts them later, keeps them."""
    if isinstance(app.builder, MessageCatalogBuilder):
        return
    for text in list(doctree.findall(caption_text)):
        text.replace_self(text.children)


def setup_cards(app: Sphinx) -> None:
    app.connect("doctree-read", unwrap_caption_texts)
    app.connect("doctree-read", restore_data_alt)
    app.add_directive("image-card", ImageCardDirective)
    app.add_directive("text-card", TextCardDirective)
    app.add_directive("card-grid", CardGridDirective)
    app.add_post_transform(OneLinkPerCard)
