"""Text cards: ``text-card TITLE`` and data file cards with a ``title``.

The same project in MyST and rST, built for HTML (structure, the one link,
new tabs, warnings at their lines), plain text and LaTeX; the data file
checks of ``sphinx-partnerships check``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import Tag
from pytest_regressions.file_regression import FileRegressionFixture

from sphinx_partnerships.checking import check_data_file

from .conftest import ROOTS, Build, BuildRoot, build, partnership_warnings

SYNTAXES = ("md", "rst")
HINT = " (opens in a new tab)"


@pytest.fixture(scope="module")
def builds(build_root: BuildRoot) -> dict[str, Build]:
    return {syntax: build_root(f"text-cards-{syntax}") for syntax in SYNTAXES}


@pytest.fixture(params=SYNTAXES)
def built(request: pytest.FixtureRequest, builds: dict[str, Build]) -> Build:
    return builds[request.param]


def text_cards(built: Build, page: str = "index") -> list[Tag]:
    return built.page(page).select("div.sp-card-grid > div.sp-text-card")


def card(built: Build, title: str, page: str = "index") -> Tag:
    found = [
        card
        for card in text_cards(built, page)
        if (heading := card.select_one(".sp-card-title")) is not None
        and heading.get_text(strip=True).removesuffix(HINT.strip()).strip() == title
    ]
    assert len(found) == 1, title
    return found[0]


def test_myst_and_rst_render_the_same(builds: dict[str, Build]) -> None:
    for page in ("index", "bad"):
        rendered = [
            "\n".join(
                grid.prettify() for grid in builds[syntax].page(page).select("div.sp-card-grid")
            )
            for syntax in SYNTAXES
        ]
        assert rendered[0] == rendered[1]


def test_html_snapshot(builds: dict[str, Build], file_regression: FileRegressionFixture) -> None:
    grids = builds["md"].page("index").select("div.sp-card-grid")
    html = "\n".join(grid.prettify() for grid in grids)
    file_regression.check(html, basename="text_cards_index", extension=".html")


def test_a_text_card_is_a_titled_block_in_the_same_grid(built: Build) -> None:
    grid = built.page("index").select("div.sp-card-grid")[0]
    kinds = [
        "text" if "sp-text-card" in child["class"] else child.name
        for child in grid.find_all(recursive=False)
    ]
    # the data file's cards first, then those written in the grid
    assert kinds == ["text", "figure", "text", "text", "text", "figure"]
    exchange = card(built, "Digital government exchange")
    assert exchange["id"] == "exchange"
    assert exchange.find("figure") is None
    assert exchange.find("img") is None
    children = exchange.find_all(recursive=False)
    # a heading one level below the section ("Grid", an h2), not a section
    assert [child.name for child in children] == ["h3", "p", "p"]
    assert children[0]["class"] == ["sp-card-title"]
    assert children[-1]["class"] == ["sp-card-footer"]
    assert children[-1].get_text() == "Since 2022"
    assert "highlight" in card(built, "Open data")["class"]
    on_its_own = built.page("index").select_one("div.sp-card-grid.sp-single > div.sp-text-card")
    assert on_its_own is not None
    assert on_its_own.h3 is not None
    assert on_its_own.h3.get_text(strip=True) == "On its own"


def test_a_linked_text_card_is_one_link_named_by_its_title(built: Build) -> None:
    exchange = card(built, "Digital government exchange")
    assert "sp-card-linked" in exchange["class"]
    links = exchange.find_all("a")
    assert len(links) == 1
    assert links[0].parent.name == "h3"
    assert links[0]["href"] == "https://example.org/exchange"
    assert "sp-card-link" in links[0]["class"]
    assert links[0].get_text(strip=True) == "Digital government exchange"
    # the body's own link is shown as text
    assert "with a link" in exchange.get_text(" ", strip=True)
    internal = card(built, "Guide to cards")
    assert [a["href"] for a in internal.find_all("a")] == ["#"]
    unlinked = card(built, "Open data")
    assert "sp-card-linked" not in unlinked["class"]
    assert [a["href"] for a in unlinked.find_all("a")] == ["https://example.org/open"]


def test_new_tab_opens_external_links_only(built: Build) -> None:
    partner = card(built, "Partner site")
    (link,) = partner.find_all("a")
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener", "noreferrer"]
    assert link.get_text().strip().endswith(HINT.strip())
    # :new-tab: on an internal link changes nothing
    internal = card(built, "Guide to cards")
    assert internal.find("a", target="_blank") is None


def test_data_files_hold_text_cards(built: Build) -> None:
    yaml = card(built, "From YAML")
    assert yaml.select_one("h3 > a")["href"] == "https://example.org/yaml"  # type: ignore[index]
    assert yaml.select_one("p > em") is not None
    assert yaml.select_one("p.sp-card-footer").get_text() == "2024"  # type: ignore[union-attr]
    json = card(built, "From JSON", page="bad")
    assert json.select_one("a[target=_blank]") is not None
    csv = card(built, "From CSV", page="bad")
    assert csv.select_one("p.sp-card-footer").get_text() == "CSV footer"  # type: ignore[union-attr]
    assert csv.find("a") is None


def test_bad_text_cards_warn_at_their_line(built: Build) -> None:
    page = f"bad.{built.syntax}"
    index = f"index.{built.syntax}"
    lines = {"md": (6, 11, 17, 15), "rst": (7, 12, 17, 16)}[built.syntax]
    expected = [
        ("bad-cards.yaml", 2, "field", "card entry: the 'image' field is required, or a 'title'"),
        ("bad-cards.yaml", 3, "field", "card entry: the 'title' field is for text cards"),
        ("bad-cards.yaml", 6, "field", "card entry: the 'alt' field is for image cards"),
        ("bad-cards.yaml", 8, "field", "card entry: the 'footer' field is for text cards"),
        (page, lines[0], "field", "text-card directive: the title is missing"),
        (page, lines[1], "field", "text-card directive: unknown option :alt:"),
        (page, lines[2], "link", "text-card directive: the link scheme 'javascript'"),
        (index, lines[3], "link", "text card: the links of a linked card's text are shown as"),
    ]
    warnings = partnership_warnings(built.warnings)
    assert len(warnings) == len(expected), warnings
    for filename, line, subtype, words in expected:
        matching = [
            warning
            for warning in warnings
            if f"/{filename}:{line}: WARNING: {words}" in warning
            and warning.endswith(f"[partnerships.{subtype}]")
        ]
        assert len(matching) == 1, (filename, line, words, warnings)
    assert "Traceback" not in built.warnings
    titles = [
        " ".join(heading.get_text().split())
        for heading in built.page("bad").select(".sp-card-title")
    ]
    # a card with an image and a title is an image card, its title ignored
    both = built.page("bad").select_one("figure.sp-card img[alt=Both]")
    assert both is not None
    assert titles == [
        "Text card with alt",
        "Good",
        "Unknown option",
        "Bad link",
        "From JSON" + HINT,
        "From CSV",
    ]


@pytest.fixture(scope="module")
def printed(build_root: BuildRoot) -> dict[str, Build]:
    return {
        builder: build_root("text-cards-md", buildername=builder) for builder in ("text", "latex")
    }


def test_text_builders_show_title_body_and_footer(printed: dict[str, Build]) -> None:
    text = (printed["text"].outdir / "index.txt").read_text(encoding="utf-8")
    assert (
        "   Digital government exchange <https://example.org/exchange>\n\n"
        "   A yearly exchange of *practitioners*, with a link.\n\n"
        "   Since 2022\n"
    ) in text
    assert "   On its own\n\n   Outside a grid.\n\n   Footer line\n" in text


def test_latex_sets_text_cards_side_by_side_with_bold_titles(printed: dict[str, Build]) -> None:
    tex = next(Path(printed["latex"].outdir).glob("*.tex")).read_text(encoding="utf-8")
    section = tex.split(r"\label{\detokenize{index:grid}}", 1)[1]
    grid = section.split(r"\begin{savenotes}", 1)[1].split(r"\end{savenotes}", 1)[0]
    # six cards of three columns: two rows, text cards from the left
    assert grid.count(r"\begin{minipage}") == 6
    assert grid.count(r"\par\medskip\noindent\begin{minipage}") == 2
    assert grid.count(r"\vspace{0pt}\raggedright") == 4
    assert grid.count(r"\vspace{0pt}\centering") == 2
    assert (
        r"\par\textbf{\sphinxhref{https://example.org/exchange}{Digital government exchange}}"
        r"\par\smallskip"
    ) in grid
    assert r"\label{\detokenize{index:exchange}}" in grid
    assert "opens in a new tab" not in tex


def test_the_check_command_tells_the_card_problems() -> None:
    data = ROOTS / "test-text-cards-md" / "data"
    issues, kinds = check_data_file(data / "bad-cards.yaml")
    assert kinds == ["cards"]
    assert [(issue.line, issue.key) for issue in issues] == [
        (2, "card-kind-missing"),
        (3, "card-field-kind"),
        (6, "card-field-kind"),
        (8, "card-field-kind"),
    ]
    for good in ("cards.yaml", "cards.json", "cards.csv"):
        assert check_data_file(data / good)[0] == []


def test_translated_titles_keep_their_card_links(tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-text-cards-md", srcdir)
    pot = build(srcdir, tmp_path / "gettext", "gettext").outdir / "index.pot"
    catalog = pot.read_text(encoding="utf-8")
    for title in ("Digital government exchange", "Partner site", "On its own"):
        assert catalog.count(f'msgid "{title}"') == 1, title
    messages = srcdir / "locales" / "de" / "LC_MESSAGES"
    messages.mkdir(parents=True)
    (messages / "index.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Digital government exchange"\nmsgstr "Austausch"\n\n'
        'msgid "Partner site"\nmsgstr "Partnerseite"\n\n'
        'msgid "On its own"\nmsgstr "Allein"\n',
        encoding="utf-8",
    )
    page = build(srcdir, confoverrides={"language": "de", "locale_dirs": ["locales"]}).page("index")
    titles = {
        " ".join(title.get_text().split()): title.find("a")
        for title in page.select(".sp-card-title")
    }
    assert titles["Austausch"]["href"] == "https://example.org/exchange"  # type: ignore[index]
    assert titles["Partnerseite (öffnet in einem neuen Tab)"]["target"] == "_blank"  # type: ignore[index]
    assert titles["Allein"] is None
    assert page.select(".sp-card-title [translatable]") == []
