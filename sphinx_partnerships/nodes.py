"""The few custom nodes, each a subclass of a standard docutils node.

Sphinx's translators dispatch along the class hierarchy, so every builder
renders these as their standard parent (inline, rubric, reference, container);
only HTML gets visitors for the semantic element it needs.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator

#: the classes of the containers of what the extension renders
COMPONENT_CLASSES = frozenset({"sp-collection", "sp-card-grid", "sp-partner"})


class time_node(nodes.inline):
    """A date; ``<time datetime="2022-06">`` in HTML."""


class group_heading(nodes.rubric):
    """A group title ("June 2022"); a real ``<hN>`` one level below its section."""


class new_tab_reference(nodes.reference):
    """An external link that opens in a new tab, safely."""


class visually_hidden(nodes.inline):
    """Text for screen readers only; left out by non-HTML builders."""

    @classmethod
    def of(cls, text: str) -> visually_hidden:
        return cls(text, text, classes=["sp-visually-hidden"])


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


def _visit_card_latex(self: Any, node: card) -> None:
    """In print, a card stays where it was written, with its caption as a
    plain line: a numbered float ("Figure 3") would drift to another page."""
    self.body.append("\n\\begin{center}\n")
    for child in node.children:
        if isinstance(child, nodes.caption):
            self.body.append("\n\\par\n")
            for part in child.children:
                part.walkabout(self)
        else:
            child.walkabout(self)
    self.body.append("\n\\end{center}\n")
    raise nodes.SkipNode


def _skip(self: Any, node: nodes.Node) -> None:
    raise nodes.SkipNode


def _unrendered(self: Any, node: nodes.Node) -> None:
    # Rendered before references are resolved; should one survive, show nothing.
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    anchored = (_visit_anchored_latex, _depart_anchored_latex)
    app.add_node(time_node, html=(_visit_time, _depart_time))
    app.add_node(group_heading, html=(_visit_group_heading, _depart_group_heading), latex=anchored)
    app.add_node(entry_item, latex=anchored)
    app.add_node(card, latex=(_visit_card_latex, None))
    app.add_node(new_tab_reference, html=(_visit_new_tab_reference, _depart_new_tab_reference))
    skip = (_skip, None)
    app.add_node(visually_hidden, latex=skip, text=skip, man=skip, texinfo=skip)
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
