"""The few custom nodes, each a subclass of a standard docutils node.

Sphinx's translators dispatch along the class hierarchy, so every builder
renders these as their standard parent (inline, rubric, reference, container);
only HTML gets visitors for the semantic element it needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.writers.html5 import HTML5Translator


class time_node(nodes.inline):
    """A date; ``<time datetime="2022-06">`` in HTML."""


class group_heading(nodes.rubric):
    """A group title ("June 2022"); a real ``<hN>`` one level below its section."""


class new_tab_reference(nodes.reference):
    """An external link that opens in a new tab, safely."""


#: ``(css class, label, values)``: one labelled list of an entry ("Tags: a, b")
LabelledList = tuple[str, str, Sequence[str]]


class labelled_values(nodes.inline):
    """ "Partners: Japan, Malaysia Tags: visit": an entry's labelled lists in one node.

    Every builder writes its text; HTML gives each list, its label and each
    value a span of their own (tags become chips). A page carries dozens of
    these, and every transform walks every node: one node instead of one per
    value keeps large timelines about as cheap to build as hand-written lists.
    """

    @classmethod
    def of(cls, lists: Sequence[LabelledList]) -> labelled_values:
        text = " ".join(f"{label}: {', '.join(values)}" for _, label, values in lists)
        return cls(text, text, lists=[(css, label, list(values)) for css, label, values in lists])


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


class collection_view(nodes.General, nodes.Element):
    """Placeholder for a ``:scope: project`` view, filled once all pages are read."""


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


def _visit_labelled_values(self: HTML5Translator, node: labelled_values) -> None:
    self.body.append(
        " ".join(
            f'<span class="{css}"><span class="sp-label">{self.encode(label)}: </span>'
            + ", ".join(f'<span class="sp-value">{self.encode(value)}</span>' for value in values)
            + "</span>"
            for css, label, values in node["lists"]
        )
    )
    raise nodes.SkipNode


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


def _visit_collection_view(self: Any, node: nodes.Node) -> None:
    # Replaced when the page is resolved; should one survive, show nothing of it.
    raise nodes.SkipNode


def setup_nodes(app: Sphinx) -> None:
    app.add_node(time_node, html=(_visit_time, _depart_time))
    app.add_node(group_heading, html=(_visit_group_heading, _depart_group_heading))
    app.add_node(labelled_values, html=(_visit_labelled_values, None))
    app.add_node(card, latex=(_visit_card_latex, None))
    app.add_node(new_tab_reference, html=(_visit_new_tab_reference, _depart_new_tab_reference))
    skip = (_skip, None)
    app.add_node(
        visually_hidden,
        latex=skip,
        text=skip,
        man=skip,
        texinfo=skip,
    )
    hidden = (_visit_collection_view, None)
    for node_class in (collection_view, pending_entry):
        app.add_node(
            node_class,
            html=hidden,
            latex=hidden,
            text=hidden,
            man=hidden,
            texinfo=hidden,
        )


class pending_entry(nodes.General, nodes.Element):
    """An entry handed from a nested directive to its collection; never written."""
