"""The few custom nodes, each a subclass of a standard docutils node.

Sphinx's translators dispatch along the class hierarchy, so every builder
renders these as their standard parent (inline, rubric, reference, list,
figure); HTML gets visitors for the semantic element it needs, and print
(LaTeX) and plain text for a layout that reads on paper: entries as a dated
list without numbers, cards side by side.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.writers.html5 import HTML5Translator

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: the classes of the containers of what the extension renders
COMPONENT_CLASSES = frozenset({"sp-collection", "sp-card-grid", "sp-partner"})


class time_node(nodes.inline):
    """A date; ``<time datetime="2022-06">`` in HTML."""


class date_range(nodes.inline):
    """A date range: two ``time_node`` ends and what stands between them."""


class group_heading(nodes.rubric):
    """A group title ("June 2022"); a real ``<hN>`` one level below its section."""


class new_tab_reference(nodes.reference):
    """An external link that opens in a new tab, safely."""


class visually_hidden(nodes.inline):
    """Text for screen readers only; left out by non-HTML builders."""

    @classmethod
    def of(cls, text: str) -> visually_hidden:
        return cls(text, text, classes=["sp-visually-hidden"])


class separator(nodes.inline):
    """What stands between two labelled lists of a paragraph ("Partners: …
    · Tags: …"): a space in HTML, whose stylesheet sets them apart, and a
    visible dot elsewhere, so that no label runs into the values before it."""

    @classmethod
    def between_pairs(cls) -> separator:
        return cls(" · ", " · ")


class labelled_lists(nodes.inline):
    """An entry's labelled lists ("Partners: a, b · Tags: c"), each value a
    link or words, written by the HTML writer in one step from ``lists``
    (triples of class, label, and pairs of words and address or ``None``).
    Its only child is the same words as text, for the search index and any
    other builder.

    A page of 20,000 entries names 200,000 partners and tags; as docutils
    nodes each would be five (span, link, words, separator, its words), for
    every later transform and the writer to walk. Builders that rewrite
    links (single-page, EPUB, LaTeX) get those nodes instead (``rendering``).
    """

    @classmethod
    def of(cls, lists: list[tuple[str, str, list[tuple[str, str | None]]]]) -> labelled_lists:
        words = " · ".join(
            f"{label}: " + ", ".join(text for text, _address in values)
            for _css, label, values in lists
        )
        node = cls("", words)
        node["lists"] = lists
        return node


class visually_hidden_paragraph(nodes.paragraph):
    """A paragraph for screen readers and machines only (an entry's date that
    its group heading already shows); left out by non-HTML builders."""


class caption_text(nodes.inline):
    """A card's caption text, as written: what gettext extracts and a
    translation replaces. Unwrapped once the page is read (see cards)."""

    #: set by Sphinx on translatable nodes while reading for gettext
    uid: str

    def copy(self) -> caption_text:
        # Sphinx copies the content of an internal link when it resolves it;
        # the copy must keep the id that gettext files a message under.
        duplicate = super().copy()
        if hasattr(self, "uid"):
            duplicate.uid = self.uid
        return duplicate


class card(nodes.figure):
    """An image card: a figure that is not numbered, gets no permalink, and is
    no float in print."""


class text_card(card):
    """A card without an image: a title, a body and a footer line. A card to
    every transform and builder (one link, new tab, print layout), but no
    figure in HTML: a ``<div>`` whose title is a heading."""


class card_title(nodes.paragraph):
    """A text card's title: in HTML a heading one level below its section,
    so that screen reader users can move from card to card; no section of
    the page's contents."""


class entry_node(nodes.General, nodes.Element):
    """A declared entry (activity, award, partner) while its page is read.

    It holds the entry's parsed body and names its record in the domain by
    ``kind``, ``docname`` and ``key``; it is replaced by the rendered entry
    before cross-references are resolved, wherever it stands.
    """


class collection_node(nodes.General, nodes.Element):
    """A timeline, award list or partner index while its page is read.

    Its ``entry`` children are the entries declared inside it; ``scope``,
    ``query`` and ``classes`` say what else it shows. Filled before
    cross-references are resolved, so every body it shows, its own or one
    from another page, is resolved for the page that shows it.
    """


class entry_list(nodes.enumerated_list):
    """The entries of a timeline, award list or partner index: an ordered
    list (``<ol>``) in HTML, a list without numbers in print and plain text,
    where each entry starts with its date."""


class entry_item(nodes.list_item):
    """A rendered entry: its anchor becomes a ``\\label`` in LaTeX too."""


def _visit_time(self: HTML5Translator, node: time_node) -> None:
    self.body.append(self.starttag(node, "time", "", datetime=node["datetime"]))


def _depart_time(self: HTML5Translator, node: time_node) -> None:
    self.body.append("</time>")


def _visit_group_heading(self: HTML5Translator, node: group_heading) -> None:
    level = min(6, self.section_level + self.initial_header_level)
    node["heading_level"] = level
    self.body.append(self.starttag(node, f"h{level}", ""))


def _depart_group_heading(self: HTML5Translator, node: group_heading) -> None:
    self.body.append(f"</h{node['heading_level']}>\n")


def _visit_anchored_latex(self: Any, node: nodes.Element) -> None:
    """Sphinx writes no ``\\label`` for the ids of list items and rubrics."""
    visit = self.visit_list_item if isinstance(node, nodes.list_item) else self.visit_rubric
    visit(node)
    if node["ids"]:
        self.body.append(self.hypertarget_to(node, anchor=True))


def _depart_anchored_latex(self: Any, node: nodes.Element) -> None:
    depart = self.depart_list_item if isinstance(node, nodes.list_item) else self.depart_rubric
    depart(node)


def _visit_text_card(self: HTML5Translator, node: text_card) -> None:
    self.body.append(self.starttag(node, "div", ""))


def _depart_text_card(self: HTML5Translator, node: text_card) -> None:
    self.body.append("</div>\n")


def _visit_card_title(self: HTML5Translator, node: card_title) -> None:
    level = min(6, self.section_level + self.initial_header_level)
    node["heading_level"] = level
    self.body.append(self.starttag(node, f"h{level}", ""))


def _depart_card_title(self: HTML5Translator, node: card_title) -> None:
    self.body.append(f"</h{node['heading_level']}>\n")


def _visit_card_title_latex(self: Any, node: card_title) -> None:
    self.body.append("\n\\par\\textbf{")


def _depart_card_title_latex(self: Any, node: card_title) -> None:
    self.body.append("}\\par\\smallskip\n")


def _visit_new_tab_reference(self: HTML5Translator, node: new_tab_reference) -> None:
    attributes: dict[str, Any] = {
        "href": node["refuri"],
        "target": "_blank",
        "rel": "noopener noreferrer",
        "CLASS": "reference external",
    }
    self.body.append(self.starttag(node, "a", "", **attributes))


def _depart_new_tab_reference(self: HTML5Translator, node: new_tab_reference) -> None:
    self.body.append("</a>")


def _visit_separator_html(self: HTML5Translator, node: separator) -> None:
    self.body.append(" ")
    raise nodes.SkipNode


#: the space between two cards of a row, in print
CARD_GAP = "1em"
#: the width of a card in a one-column grid, in print: a full-width image
#: would take most of a page
SINGLE_CARD_WIDTH = r"0.5\linewidth"
#: the largest of a grid's ``sp-cols-*`` classes (``sp-cols-lg-3`` → 3)
_COLUMNS = re.compile(r"^sp-cols-(?:[a-z]+-)?(\d+)$")


def print_columns(grid: nodes.Element) -> int:
    """How many cards of a grid sit side by side in print: as many as on the
    widest screen, its largest column count."""
    classes: list[str] = grid.get("classes", [])
    counts = [
        int(match.group(1))
        for match in (_COLUMNS.match(name) for name in classes)
        if match is not None
    ]
    return max(counts, default=1)


def _visit_time_latex(self: Any, node: time_node) -> None:
    # An entry's date is its heading in print, as in HTML; a group heading's
    # date is set by the heading.
    if not isinstance(node.parent, nodes.rubric):
        self.body.append("\\textbf{")


def _depart_time_latex(self: Any, node: time_node) -> None:
    if not isinstance(node.parent, nodes.rubric):
        self.body.append("}")


#: the thin spaces around a range's dash ("23 June - 2 July"), which pdfLaTeX
#: has no glyph for
_THIN_SPACES = str.maketrans({"\u2009": "\\,", "\u202f": "\\,"})


def _visit_date_range_latex(self: Any, node: date_range) -> None:
    """A range in print: one bold date, as a single date is."""
    text = self.encode(node.astext()).translate(_THIN_SPACES)
    self.body.append(f"\\textbf{{{text}}}")
    raise nodes.SkipNode


def _visit_entry_list_latex(self: Any, node: entry_list) -> None:
    # A list without labels: each entry starts with its date, and the space
    # between entries sets them apart.
    self.body.append(
        "\n\\begin{list}{}{\\setlength{\\leftmargin}{1.5em}\\setlength{\\labelwidth}{0pt}"
        "\\setlength{\\labelsep}{0pt}\\setlength{\\itemindent}{0pt}"
        "\\setlength{\\itemsep}{\\medskipamount}}\n"
    )


def _depart_entry_list_latex(self: Any, node: entry_list) -> None:
    self.body.append("\\end{list}\n")


def _visit_entry_list_text(self: Any, node: entry_list) -> None:
    self.visit_bullet_list(node)


def _depart_entry_list_text(self: Any, node: entry_list) -> None:
    self.depart_bullet_list(node)


def _visit_card_latex(self: Any, node: card) -> None:
    """In print, a card stays where it was written, with its caption as a
    plain line: a numbered float ("Figure 3") would drift to another page.

    The cards of a grid sit side by side, as many in a row as the grid has
    columns on the widest screen, each a top-aligned minipage of an equal
    share of the text width, its image as wide as the minipage.
    """
    grid = node.parent
    siblings = [child for child in grid.children if isinstance(child, card)] if grid else [node]
    columns = print_columns(grid) if grid is not None else 1
    position = siblings.index(node) % columns
    if node is siblings[0]:
        # the footnotes of links (latex_show_urls) go to the foot of the page,
        # not to the foot of a card
        self.body.append("\n\\begin{savenotes}")
    if columns == 1:
        width = SINGLE_CARD_WIDTH
        self.body.append("\n\\par\\medskip\\noindent\\hfill")
    else:
        width = f"\\dimexpr(\\linewidth-{columns - 1}\\dimexpr{CARD_GAP}\\relax)/{columns}\\relax"
        opening = "\n\\par\\medskip\\noindent" if position == 0 else f"\\hspace{{{CARD_GAP}}}"
        self.body.append(opening)
    # an image card is centred under its image; a text card reads from the left
    alignment = "\\raggedright" if isinstance(node, text_card) else "\\centering"
    self.body.append(f"\\begin{{minipage}}[t]{{{width}}}\\vspace{{0pt}}{alignment}\n")
    if node["ids"]:
        # a text card's anchor (an image card's is on its image)
        self.body.append(self.hypertarget_to(node, anchor=True))
    for child in node.children:
        if isinstance(child, nodes.caption):
            self.body.append("\n\\par\\smallskip\n")
            for part in child.children:
                part.walkabout(self)
            self.body.append("\n\\par\n")
            continue
        for image in child.findall(nodes.image):
            if "width" not in image and "scale" not in image:
                image["width"] = "100%"
        child.walkabout(self)
    self.body.append("\n\\end{minipage}%\n")
    last_of_row = position == columns - 1 or node is siblings[-1]
    if columns == 1:
        self.body.append("\\hfill\\null\\par\\medskip\n")
    elif last_of_row:
        self.body.append("\\par\\medskip\n")
    if node is siblings[-1]:
        self.body.append("\\end{savenotes}\n")
    raise nodes.SkipNode


def _visit_labelled_lists(self: HTML5Translator, node: labelled_lists) -> None:
    # the markup the writer makes of the nodes ``rendering`` builds for other
    # builders: spans, the separator's space, Sphinx's visit_reference
    body = []
    for index, (css, label, values) in enumerate(node["lists"]):
        if index:
            body.append(" ")
        body.append(f'<span class="{css}"><span class="sp-label">{self.encode(label)}: </span>')
        for position, (text, address) in enumerate(values):
            if position:
                body.append('<span class="sp-list-separator">, </span>')
            value = f'<span class="sp-value">{self.encode(text)}</span>'
            if address is not None:
                value = f'<a class="reference internal" href="{self.attval(address)}">{value}</a>'
            body.append(value)
        body.append("</span>")
    self.body.append("".join(body))
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _unrendered(self: Any, node: nodes.Node) -> None:
    # Rendered before references are resolved; should one survive, show nothing.
    raise nodes.SkipNode


#: pdfLaTeX stops at any character it has no definition for; data text with
#: half a character in it is shown with U+FFFD (``sources``), so the
#: replacement character gets one, next to Sphinx's own in ``utf8extra``.
REPLACEMENT_CHARACTER_LATEX = (
    "\n\\ifdefined\\DeclareUnicodeCharacter"
    "\\DeclareUnicodeCharacter{FFFD}{\\fbox{\\scriptsize ?}}\\fi\n"
)


def _declare_replacement_character(app: Sphinx) -> None:
    if app.builder.name == "latex" and app.config.latex_engine == "pdflatex":
        context = app.builder.context  # type: ignore[attr-defined]
        context["utf8extra"] = context.get("utf8extra", "") + REPLACEMENT_CHARACTER_LATEX


def setup_nodes(app: Sphinx) -> None:
    app.connect("builder-inited", _declare_replacement_character)
    anchored = (_visit_anchored_latex, _depart_anchored_latex)
    app.add_node(
        time_node,
        html=(_visit_time, _depart_time),
        latex=(_visit_time_latex, _depart_time_latex),
    )
    app.add_node(date_range, latex=(_visit_date_range_latex, None))
    app.add_node(group_heading, html=(_visit_group_heading, _depart_group_heading), latex=anchored)
    app.add_node(entry_item, latex=anchored)
    app.add_node(card, latex=(_visit_card_latex, None))
    app.add_node(
        text_card, html=(_visit_text_card, _depart_text_card), latex=(_visit_card_latex, None)
    )
    app.add_node(
        card_title,
        html=(_visit_card_title, _depart_card_title),
        latex=(_visit_card_title_latex, _depart_card_title_latex),
    )
    app.add_node(
        entry_list,
        latex=(_visit_entry_list_latex, _depart_entry_list_latex),
        text=(_visit_entry_list_text, _depart_entry_list_text),
    )
    app.add_node(separator, html=(_visit_separator_html, None))
    app.add_node(labelled_lists, html=(_visit_labelled_lists, None))
    app.add_node(new_tab_reference, html=(_visit_new_tab_reference, _depart_new_tab_reference))
    skip = (_skip, None)
    for hidden in (visually_hidden, visually_hidden_paragraph):
        app.add_node(hidden, latex=skip, text=skip, man=skip, texinfo=skip)
    unrendered = (_unrendered, None)
    for node_class in (entry_node, collection_node):
        app.add_node(
            node_class,
            html=unrendered,
            latex=unrendered,
            text=unrendered,
            man=unrendered,
            texinfo=unrendered,
        )
