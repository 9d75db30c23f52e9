"""Every Sphinx builder renders a timeline and an award list, without a warning."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from sphinx_partnerships.assets import STATIC_DIR, STYLESHEET, compact_css

from .test_timeline import assert_clean

BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "latex", "text", "gettext")

ACTIVITY_TEXTS = (
    "Visit by Malaysia",
    "Memorandum of Cooperation with Japan.",
)
AWARD_TEXTS = (
    "SCAPA 2021",
    "International Data Corporation (IDC)",
    "GovTech",
    "For winning the Smart City Asia Pacific Awards.",
    "Digital Service Award",
    "For the best digital service.",
)
DATES = ("June 2022", "5 November 2021", "March 2020")


def output(app: SphinxTestApp, name: str) -> str:
    return (app.outdir / name).read_text(encoding="utf-8")


def soup(app: SphinxTestApp, name: str) -> BeautifulSoup:
    return BeautifulSoup(output(app, name), "html.parser")


def stylesheet_links(page: BeautifulSoup) -> list[str]:
    return [
        str(link["href"]).split("?")[0]
        for link in page.select("link[rel=stylesheet]")
        if "partnerships" in str(link["href"])
    ]


def check_html(app: SphinxTestApp) -> None:
    index, awards = soup(app, "index.html"), soup(app, "awards.html")
    assert len(index.select("div.sp-timeline li.sp-activity")) == 2
    assert len(awards.select("div.sp-award-list li.sp-award")) == 2
    internal = index.select("div.sp-timeline p.sp-more a")[1]
    assert internal["href"] == "awards.html"
    assert stylesheet_links(index) == ["_static/partnerships.css"]
    # readers get the stylesheet without the comments written for maintainers
    source = (STATIC_DIR / STYLESHEET).read_text(encoding="utf-8")
    shipped = (app.outdir / "_static" / "partnerships.css").read_text(encoding="utf-8")
    assert "/*" in source
    assert "/*" not in shipped
    assert len(shipped.encode()) < 0.8 * len(source.encode())
    assert shipped == compact_css(source)
    # every one-line declaration is kept, its spaces after ":" and "," gone
    declarations = re.findall(r"^[ \t]*([-a-z]+:[^;\n]+);[ \t]*$", source, flags=re.MULTILINE)
    assert len(declarations) > 50
    compacted = [re.sub(r"([:,])\s+", r"\1", declaration) for declaration in declarations]
    assert [item for item in compacted if item not in shipped] == []
    assert "color:var(--sp-muted)" in shipped


def check_dirhtml(app: SphinxTestApp) -> None:
    index, awards = soup(app, "index.html"), soup(app, "awards/index.html")
    assert len(index.select("div.sp-timeline li.sp-activity")) == 2
    assert len(awards.select("div.sp-award-list li.sp-award")) == 2
    internal = index.select("div.sp-timeline p.sp-more a")[1]
    assert internal["href"] == "awards/"
    back = awards.select("div.sp-award-list p.sp-award-name a")[1]
    assert back["href"] == "../"
    assert stylesheet_links(index) == ["_static/partnerships.css"]
    assert stylesheet_links(awards) == ["../_static/partnerships.css"]
    assert (app.outdir / "_static" / "partnerships.css").is_file()


def check_singlehtml(app: SphinxTestApp) -> None:
    page = soup(app, "index.html")
    assert len(page.select("div.sp-timeline li.sp-activity")) == 2
    assert len(page.select("div.sp-award-list li.sp-award")) == 2
    # the link to the other page now points into the single page
    internal = page.select("div.sp-timeline p.sp-more a")[1]
    assert str(internal["href"]).startswith("#")
    assert stylesheet_links(page) == ["_static/partnerships.css"]


def check_epub(app: SphinxTestApp) -> None:
    index = output(app, "index.xhtml")
    assert '<time datetime="2022-06">June 2022</time>' in index
    assert "Memorandum of Cooperation with Japan." in index
    assert "For winning the Smart City Asia Pacific Awards." in output(app, "awards.xhtml")
    assert (app.outdir / "_static" / "partnerships.css").is_file()
    assert "_static/partnerships.css" in output(app, "content.opf")


def check_latex(app: SphinxTestApp) -> None:
    (tex_file,) = app.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    for text in (*DATES, *ACTIVITY_TEXTS, *AWARD_TEXTS):
        assert text in tex, text
    assert r"\sphinxhref{https://example.org/scapa}" in tex
    assert r"\subsubsection*{June 2022}" in tex
    # screen-reader-only text is left out of print
    assert "sp-visually-hidden" not in tex
    assert "Read more: " not in tex
    # no stylesheet for LaTeX
    assert not list(app.outdir.rglob("partnerships.css"))
    assert not (app.outdir / "_static").exists()


def check_text(app: SphinxTestApp) -> None:
    index = output(app, "index.txt").splitlines()
    for expected in (
        # the heading says June 2022: the entry does not say it again
        "* Visit by Malaysia's Minister of Health.",
        "  Partners: Malaysia",
        "* 5 November 2021",
        "  Memorandum of Cooperation with Japan.",
        "  Partners: Japan",
        "  Read more <https://example.org/news/visit>",
    ):
        assert expected in index, expected
    # each group heading comes before its entries
    assert index.index("-[ June 2022 ]-") < index.index("* Visit by Malaysia's Minister of Health.")
    assert index.index("-[ November 2021 ]-") < index.index("* 5 November 2021")
    assert "* June 2022" not in index
    # entries are a list without numbers
    assert not any(line.lstrip().startswith(("1.", "2.")) for line in index)
    awards = output(app, "awards.txt")
    for text in (
        # the awarding body is the name's subtitle; its label is for screen readers
        "  International Data Corporation (IDC)",
        "Recipients: GovTech, MOE",
        "For winning the Smart City Asia Pacific Awards.",
        "March 2020",
    ):
        assert text in awards, text
    assert "**SCAPA 2021** <https://example.org/scapa>" in awards
    # no markup and no screen-reader-only text leaks into plain text
    assert "<time" not in awards + "\n".join(index)
    assert "Read more:" not in "\n".join(index)


def check_gettext(app: SphinxTestApp) -> None:
    index = output(app, "index.pot")
    assert 'msgid "Visit by Malaysia\'s Minister of Health."' in index
    assert 'msgid "Memorandum of Cooperation with Japan."' in index
    awards = output(app, "awards.pot")
    assert 'msgid "For winning the Smart City Asia Pacific Awards."' in awards
    assert 'msgid "For the best digital service."' in awards
    # dates are written by Babel in the build's language: nothing to translate
    for date in ("June 2022", "November 2021", "2022", "2020"):
        assert f'msgid "{date}"' not in index + awards


CHECKS = {
    "html": check_html,
    "dirhtml": check_dirhtml,
    "singlehtml": check_singlehtml,
    "epub": check_epub,
    "latex": check_latex,
    "text": check_text,
    "gettext": check_gettext,
}


@pytest.mark.parametrize(
    "builder",
    [
        pytest.param(
            builder,
            marks=pytest.mark.sphinx(builder, testroot="builders", freshenv=True),
        )
        for builder in BUILDERS
    ],
)
def test_builder(app: SphinxTestApp, builder: str) -> None:
    """No warning of any kind, and output that shows the entries."""
    app.build()
    assert app.builder.name == builder
    assert_clean(app)
    CHECKS[builder](app)
