"""The ``image-card`` and ``card-grid`` directives, in MyST and in reStructuredText.

``test-cards-md`` and ``test-cards-rst`` are the same small project written
twice: every behaviour is checked on both, and their card grids are compared
with one shared snapshot. ``test-cards-builders-*`` is a clean card grid that
every builder must build without a warning.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from pytest_regressions.file_regression import FileRegressionFixture

from .conftest import ROOTS, Build, BuildRoot, build, main_content

SYNTAXES = ("md", "rst")
HINT = " (opens in a new tab)"

_DIRECTIVE_START = re.compile(r"^\s*(?::{3,}\{[\w-]+\}|\.\. [\w-]+::)")
_WARNING = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): WARNING: (?P<message>.*) \[(?P<type>[\w.]+)\]$"
)


# -- helpers --------------------------------------------------------------------


def directive_line(source: Path, marker: str) -> int:
    """The line of the directive whose text contains ``marker``."""
    lines = source.read_text(encoding="utf-8").splitlines()
    index = next(number for number, line in enumerate(lines) if marker in line)
    while not _DIRECTIVE_START.match(lines[index]):
        index -= 1
    return index + 1


def parsed_warnings(warnings: str) -> list[tuple[str, int, str, str]]:
    """``(path, line, type, message)`` of every warning that has a line."""
    found = []
    for line in warnings.splitlines():
        match = _WARNING.match(line)
        if match:
            found.append((match["path"], int(match["line"]), match["type"], match["message"]))
    return found


def card_with(content: BeautifulSoup, text: str) -> Tag:
    """The card whose caption or image alt text contains ``text``."""
    for figure in content.select("figure.sp-card"):
        alts = " ".join(str(image.get("alt", "")) for image in figure.select("img"))
        if text in figure.get_text() or text in alts:
            return figure
    raise AssertionError(f"no card with {text!r}")


def one(tag: Tag, selector: str) -> Tag:
    """The single element ``selector`` finds in ``tag``."""
    [found] = tag.select(selector)
    return found


def accessible_name(link: Tag) -> str:
    """Text plus image alternatives: what a screen reader announces."""
    parts = []
    for node in link.descendants:
        if isinstance(node, Tag) and node.name == "img":
            parts.append(str(node.get("alt", "")))
        elif isinstance(node, str):
            parts.append(node)
    return " ".join("".join(parts).split())


def column_classes(grid: Tag) -> list[str]:
    return [name for name in grid["class"] if name.startswith("sp-cols-")]


def expected_columns(narrow: int, small: int, medium: int, wide: int) -> list[str]:
    return [
        f"sp-cols-{narrow}",
        f"sp-cols-sm-{small}",
        f"sp-cols-md-{medium}",
        f"sp-cols-lg-{wide}",
    ]


@pytest.fixture(scope="module", params=SYNTAXES)
def cards(request: pytest.FixtureRequest, build_root: BuildRoot) -> Build:
    return build_root(f"cards-{request.param}")


# -- card-grid ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("marker", "columns"),
    [
        ("four-numbers", (1, 2, 3, 4)),
        ("one-number", (2, 2, 2, 2)),
        ("two-numbers", (1, 3, 3, 3)),
        ("no-columns", (1, 2, 3, 3)),
    ],
)
def test_columns_become_one_class_per_screen_size(
    cards: Build, marker: str, columns: tuple[int, int, int, int]
) -> None:
    grid = cards.page("columns").select_one(f"div.sp-card-grid.{marker}")
    assert grid is not None
    assert column_classes(grid) == expected_columns(*columns)


@pytest.mark.parametrize("marker", ["five-numbers", "not-numbers", "zero"])
def test_invalid_columns_warn_and_use_the_default(cards: Build, marker: str) -> None:
    grid = cards.page("columns").select_one(f"div.sp-card-grid.{marker}")
    assert grid is not None
    assert column_classes(grid) == expected_columns(1, 2, 3, 3)
    line = directive_line(cards.source("columns"), f":class: {marker}")
    located = [
        (type_, message)
        for path, number, type_, message in parsed_warnings(cards.warnings)
        if path == str(cards.source("columns")) and number == line
    ]
    assert len(located) == 1, cards.warnings
    assert located[0][0] == "partnerships.field"
    assert ":columns:" in located[0][1]


def test_only_invalid_columns_warn(cards: Build) -> None:
    columns_page = str(cards.source("columns"))
    lines = sorted(
        number for path, number, _, _ in parsed_warnings(cards.warnings) if path == columns_page
    )
    assert lines == sorted(
        directive_line(cards.source("columns"), f":class: {marker}")
        for marker in ("five-numbers", "not-numbers", "zero")
    )


def test_grid_class_option_adds_classes(cards: Build) -> None:
    grid = cards.page("index").select_one("div.sp-card-grid.partner-grid")
    assert grid is not None
    assert "wide" in grid["class"]
    assert column_classes(grid) == expected_columns(1, 2, 4, 4)
    assert len(grid.select(":scope > figure.sp-card")) == 6


def test_a_card_outside_a_grid_gets_a_grid_of_its_own(cards: Build) -> None:
    figure = card_with(cards.page("index"), "Lonely card")
    grid = figure.parent
    assert isinstance(grid, Tag)
    assert "sp-card-grid" in grid["class"]
    assert "sp-single" in grid["class"]
    assert column_classes(grid) == expected_columns(1, 1, 1, 1)


# -- image-card ---------------------------------------------------------------------


def test_alt_text_is_the_image_alternative(cards: Build) -> None:
    image = card_with(cards.page("index"), "External card").select_one("img")
    assert image is not None
    assert image["alt"] == "Local picture"


def test_decorative_image_has_an_empty_alt(cards: Build) -> None:
    image = card_with(cards.page("index"), "Internal page card").select_one("img")
    assert image is not None
    assert image.has_attr("alt")
    assert image["alt"] == ""


def test_id_is_an_anchor_inside_the_card(cards: Build) -> None:
    content = cards.page("index")
    [anchored] = content.select("#external-card")
    holder = anchored if anchored.name == "figure" else anchored.find_parent("figure")
    assert holder is card_with(content, "External card")


def test_card_class_option_adds_classes(cards: Build) -> None:
    figure = card_with(cards.page("index"), "External card")
    assert {"sp-card", "featured", "dark-light"} <= set(figure["class"])
    image = figure.select_one("img")
    assert image is not None
    # pydata-sphinx-theme leaves images with this class alone in dark mode
    assert "dark-light" in image["class"]


def test_body_is_the_caption_and_the_rest_its_legend(cards: Build) -> None:
    figure = card_with(cards.page("index"), "External card")
    caption = figure.select_one("figcaption")
    assert caption is not None
    strong = caption.select_one("strong")
    assert strong is not None
    assert strong.get_text() == "External card"
    legend = caption.select_one(".legend")
    assert legend is not None
    assert legend.get_text(strip=True) == "More about the external card."


def test_external_link(cards: Build) -> None:
    link = card_with(cards.page("index"), "External card").select_one("a")
    assert link is not None
    assert link["href"] == "https://example.org/external"
    assert not link.has_attr("target")


def test_mailto_link(cards: Build) -> None:
    link = card_with(cards.page("index"), "Mail card").select_one("a")
    assert link is not None
    assert str(link["href"]).startswith("mailto:team")


@pytest.mark.parametrize(
    ("page", "caption", "href"),
    [
        ("index", "Internal page card", "other.html"),
        ("index", "Label card", "#card-section"),
        ("index", "Grid internal card", "other.html"),
        ("sub/page", "Rooted card", "../other.html"),
    ],
)
def test_internal_link_resolves_like_a_cross_reference(
    cards: Build, page: str, caption: str, href: str
) -> None:
    link = card_with(cards.page(page), caption).select_one("a")
    assert link is not None
    assert link["href"] == href
    assert "internal" in link["class"]


def test_unresolvable_internal_link_warns_and_renders_unlinked(cards: Build) -> None:
    figure = card_with(cards.page("problems"), "Unresolved card")
    assert figure.select("a") == []
    line = directive_line(cards.source("problems"), ":alt: Unresolved picture")
    assert (str(cards.source("problems")), line, "partnerships.link") in {
        warning[:3] for warning in parsed_warnings(cards.warnings)
    }


def test_javascript_link_is_refused(cards: Build) -> None:
    html = (cards.outdir / "problems.html").read_text(encoding="utf-8")
    assert "javascript:" not in html
    figure = card_with(main_content(html), "Script card")
    assert figure.select("a") == []
    assert figure.select_one("img") is not None
    line = directive_line(cards.source("problems"), ":alt: Script picture")
    [message] = [
        message
        for path, number, type_, message in parsed_warnings(cards.warnings)
        if (path, number, type_) == (str(cards.source("problems")), line, "partnerships.link")
    ]
    assert "javascript" in message


def test_grid_new_tab_opens_its_external_links_in_a_new_tab(cards: Build) -> None:
    content = cards.page("index")
    link = card_with(content, "Grid tab card").select_one("a")
    assert link is not None
    assert link["href"] == "https://example.org/grid-tab"
    assert link["target"] == "_blank"
    assert link["rel"] == ["noopener", "noreferrer"]
    hint = link.select_one(".sp-visually-hidden")
    assert hint is not None
    assert hint.get_text() == HINT
    # an internal link stays in the same tab
    internal = card_with(content, "Grid internal card").select_one("a")
    assert internal is not None
    assert not internal.has_attr("target")
    assert internal.select(".sp-visually-hidden") == []


def test_card_new_tab_applies_to_that_card_only(cards: Build) -> None:
    content = cards.page("index")
    own = card_with(content, "Own tab card").select_one("a")
    assert own is not None
    assert own["target"] == "_blank"
    assert own["rel"] == ["noopener", "noreferrer"]
    assert own.get_text() == "Own tab card" + HINT
    same = card_with(content, "Same tab card").select_one("a")
    assert same is not None
    assert not same.has_attr("target")
    assert same.get_text() == "Same tab card"


# -- one card, one link, one name -----------------------------------------------------

LINKED = (
    "External card",
    "Internal page card",
    "Label card",
    "Image only link",
    "Mail card",
    "Grid tab card",
    "Grid internal card",
    "Own tab card",
    "Same tab card",
)


@pytest.mark.parametrize("caption", LINKED)
def test_a_linked_card_is_exactly_one_named_link(cards: Build, caption: str) -> None:
    figure = card_with(cards.page("index"), caption)
    [link] = figure.select("a")
    name = accessible_name(link).removesuffix(HINT.strip()).strip(" (")
    assert name
    text = figure.select_one("figcaption .caption-text")
    if text is not None:
        # the caption is the link's name; no image alt repeats it
        assert link.select("img") == []
        assert " ".join(link.get_text().replace(HINT, "").split()) == " ".join(
            text.get_text().replace(HINT, "").split()
        )
    else:
        # no caption: the image is linked, and its alt text names the link
        image = link.select_one("img")
        assert image is not None
        assert image["alt"] == name == "Image only link"


def test_cards_have_no_permalink_or_empty_link(cards: Build) -> None:
    for page in ("index", "sub/page", "problems"):
        for figure in cards.page(page).select("figure.sp-card"):
            assert figure.select("a.headerlink") == []
            for link in figure.select("a"):
                assert accessible_name(link), figure


def test_links_inside_a_linked_card_become_text(cards: Build) -> None:
    figure = card_with(cards.page("problems"), "Nested link picture")
    [link] = figure.select("a")
    assert link["href"] == "https://example.org/outer"
    assert "its own link" in link.get_text()
    assert "another link" in figure.get_text()
    line = directive_line(cards.source("problems"), ":alt: Nested link picture")
    assert (str(cards.source("problems")), line, "partnerships.link") in {
        warning[:3] for warning in parsed_warnings(cards.warnings)
    }


def test_linked_card_without_caption_or_alt_is_not_linked(cards: Build) -> None:
    content = cards.page("problems")
    [figure] = [
        figure
        for figure in content.select("figure.sp-card")
        if figure.select_one("figcaption") is None
    ]
    assert figure.select("a") == []
    image = figure.select_one("img")
    assert image is not None
    assert image["alt"] == ""
    line = directive_line(cards.source("problems"), ":link: https://example.org/nameless")
    assert (str(cards.source("problems")), line, "partnerships.alt") in {
        warning[:3] for warning in parsed_warnings(cards.warnings)
    }


# -- images -------------------------------------------------------------------------


def test_local_images_are_copied(cards: Build) -> None:
    for name in ("local.png", "rooted.png", "near.png"):
        assert (cards.outdir / "_images" / name).is_file(), name
    index = cards.page("index")
    assert one(card_with(index, "External card"), "img")["src"] == "_images/local.png"
    assert one(card_with(index, "Internal page card"), "img")["src"] == "_images/rooted.png"
    sub = cards.page("sub/page")
    assert one(card_with(sub, "Near card"), "img")["src"] == "../_images/near.png"
    assert one(card_with(sub, "Rooted card"), "img")["src"] == "../_images/rooted.png"


def test_remote_image_is_referenced_not_copied(cards: Build) -> None:
    image = card_with(cards.page("index"), "Remote card").select_one("img")
    assert image is not None
    assert image["src"] == "https://example.org/remote.png"
    assert not (cards.outdir / "_images" / "remote.png").exists()


def test_missing_image_warns_at_the_directive(cards: Build) -> None:
    figure = card_with(cards.page("problems"), "Missing image card")
    assert figure.select("img") == []
    line = directive_line(cards.source("problems"), "images/missing.png")
    [message] = [
        message
        for path, number, type_, message in parsed_warnings(cards.warnings)
        if (path, number, type_) == (str(cards.source("problems")), line, "partnerships.image")
    ]
    assert "images/missing.png" in message


def test_card_without_alt_warns(cards: Build) -> None:
    image = card_with(cards.page("problems"), "No alt card").select_one("img")
    assert image is not None
    assert image["alt"] == ""
    line = directive_line(cards.source("problems"), "No alt card")
    assert (str(cards.source("problems")), line, "partnerships.alt") in {
        warning[:3] for warning in parsed_warnings(cards.warnings)
    }


def test_unknown_option_warns_and_the_card_still_renders(cards: Build) -> None:
    figure = card_with(cards.page("problems"), "Unknown option card")
    assert figure.select_one("img") is not None
    line = directive_line(cards.source("problems"), ":alt: Sized picture")
    [message] = [
        message
        for path, number, type_, message in parsed_warnings(cards.warnings)
        if (path, number, type_) == (str(cards.source("problems")), line, "partnerships.field")
    ]
    assert ":width:" in message


def test_every_problem_warns_once_and_nothing_else_warns(cards: Build) -> None:
    source = cards.source("problems")
    expected = {
        (directive_line(source, "images/missing.png"), "partnerships.image"),
        (directive_line(source, "No alt card"), "partnerships.alt"),
        (directive_line(source, ":alt: Unresolved picture"), "partnerships.link"),
        (directive_line(source, ":alt: Script picture"), "partnerships.link"),
        (directive_line(source, ":alt: Sized picture"), "partnerships.field"),
        (directive_line(source, "https://example.org/nameless"), "partnerships.alt"),
        (directive_line(source, ":alt: Nested link picture"), "partnerships.link"),
    }
    found = [
        (number, type_)
        for path, number, type_, _ in parsed_warnings(cards.warnings)
        if path == str(source)
    ]
    assert sorted(found) == sorted(expected)
    other_pages = [
        line
        for line in cards.warnings.splitlines()
        if line.strip() and str(source) not in line and str(cards.source("columns")) not in line
    ]
    assert other_pages == []


# -- the same in MyST and rST ----------------------------------------------------------


@pytest.mark.parametrize("page", ["index", "columns", "problems", "sub/page"])
def test_md_and_rst_render_the_same_grids(
    cards: Build, page: str, file_regression: FileRegressionFixture
) -> None:
    grids = cards.page(page).select("div.sp-card-grid")
    assert grids
    html = "\n".join(grid.prettify() for grid in grids)
    file_regression.check(html, basename=f"cards_{page.replace('/', '_')}", extension=".html")


def test_stylesheet_is_linked_only_from_pages_with_cards(cards: Build) -> None:
    assert (cards.outdir / "_static" / "partnerships.css").is_file()
    index = (cards.outdir / "index.html").read_text(encoding="utf-8")
    other = (cards.outdir / "other.html").read_text(encoding="utf-8")
    assert "_static/partnerships.css" in index
    assert "partnerships.css" not in other


# -- every builder ----------------------------------------------------------------------

BUILDERS = ("html", "dirhtml", "singlehtml", "epub", "latex", "text", "gettext")


@pytest.fixture(scope="module")
def builder_outputs(build_root: BuildRoot) -> dict[str, Build]:
    """Every builder over both builder roots, built once for the module."""
    return {
        f"{syntax}-{buildername}": build_root(f"cards-builders-{syntax}", buildername)
        for syntax in SYNTAXES
        for buildername in BUILDERS
    }


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize("buildername", BUILDERS)
def test_every_builder_builds_cards_without_warnings(
    builder_outputs: dict[str, Build], syntax: str, buildername: str
) -> None:
    result = builder_outputs[f"{syntax}-{buildername}"]
    assert result.warnings == ""


@pytest.mark.parametrize("syntax", SYNTAXES)
@pytest.mark.parametrize(
    ("buildername", "page", "images", "about_href"),
    [
        ("html", "index.html", "_images", "about.html"),
        ("dirhtml", "index.html", "_images", "about/"),
        ("singlehtml", "index.html", "_images", "#document-about"),
        ("epub", "index.xhtml", "_images", "about.xhtml"),
    ],
)
def test_html_builders_show_linked_cards_with_copied_images(
    builder_outputs: dict[str, Build],
    syntax: str,
    buildername: str,
    page: str,
    images: str,
    about_href: str,
) -> None:
    result = builder_outputs[f"{syntax}-{buildername}"]
    content = BeautifulSoup((result.outdir / page).read_text(encoding="utf-8"), "html.parser")
    first = card_with(content, "First caption")
    [link] = first.select("a")
    assert link["href"] == "https://example.org/first-card"
    assert link["target"] == "_blank"
    [second] = card_with(content, "Second caption").select("a")
    assert second["href"] == about_href
    assert (result.outdir / images / "first.png").is_file()
    assert (result.outdir / images / "second.png").is_file()


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_text_shows_captions_and_link_addresses(
    builder_outputs: dict[str, Build], syntax: str
) -> None:
    text = (builder_outputs[f"{syntax}-text"].outdir / "index.txt").read_text(encoding="utf-8")
    for caption in ("First caption", "Second caption", "Third caption"):
        assert caption in text
    # the text writer may wrap a long address; it is still all there, once
    assert "".join(text.split()).count("<https://example.org/first-card>") == 1
    assert "opens in a new tab" not in text


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_latex_shows_captions_and_urls(builder_outputs: dict[str, Build], syntax: str) -> None:
    result = builder_outputs[f"{syntax}-latex"]
    [tex_file] = result.outdir.glob("*.tex")
    tex = tex_file.read_text(encoding="utf-8")
    assert r"\sphinxhref{https://example.org/first-card}{First caption}" in tex
    assert "Second caption" in tex
    assert "Third caption" in tex
    assert tex.count(r"\sphinxincludegraphics") == 3
    # cards stay in place, unnumbered: no floating figures, no \caption
    assert r"\begin{figure}" not in tex
    assert r"\caption{" not in tex
    # side by side, as many in a row as the grid's columns (2): each a minipage
    # of half the width, less the gap
    half = r"\begin{minipage}[t]{\dimexpr(\linewidth-1\dimexpr1em\relax)/2\relax}"
    assert tex.count(half) == 3
    assert "opens in a new tab" not in tex
    assert (result.outdir / "first.png").is_file()
    assert (result.outdir / "second.png").is_file()


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_gettext_builds_a_catalog(builder_outputs: dict[str, Build], syntax: str) -> None:
    pot = (builder_outputs[f"{syntax}-gettext"].outdir / "index.pot").read_text(encoding="utf-8")
    assert 'msgid "First picture"' in pot


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_gettext_extracts_card_captions(builder_outputs: dict[str, Build], syntax: str) -> None:
    pot = (builder_outputs[f"{syntax}-gettext"].outdir / "index.pot").read_text(encoding="utf-8")
    for caption in ("First caption", "Second caption", "Third caption"):
        assert pot.count(f'msgid "{caption}"') == 1
    # the location is the caption's own line in the page
    line = directive_line(builder_outputs[f"{syntax}-html"].source("index"), "Third caption")
    assert re.search(rf"#: [^\n]*index\.{syntax}:(\d+)\nmsgid \"Third caption\"", pot)
    found = int(re.search(rf"index\.{syntax}:(\d+)\nmsgid \"Third caption\"", pot)[1])
    assert line < found <= line + 4


@pytest.mark.parametrize("syntax", SYNTAXES)
def test_translated_captions_keep_their_card_links(syntax: str, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / f"test-cards-builders-{syntax}", srcdir)
    catalog = srcdir / "locales" / "de" / "LC_MESSAGES"
    catalog.mkdir(parents=True)
    (catalog / "index.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        + "".join(
            f'msgid "{english}"\nmsgstr "{german}"\n\n'
            for english, german in (
                ("First caption", "Erste Beschriftung"),
                ("Second caption", "Zweite Beschriftung"),
                ("Third caption", "Dritte Beschriftung"),
            )
        ),
        encoding="utf-8",
    )
    page = build(srcdir, confoverrides={"language": "de", "locale_dirs": ["locales"]}).page("index")
    captions = {
        caption.get_text(" ", strip=True): caption.find("a")
        for caption in page.select(".sp-card figcaption")
    }
    assert set(captions) == {
        "Erste Beschriftung (öffnet in einem neuen Tab)",
        "Zweite Beschriftung",
        "Dritte Beschriftung",
    }
    assert captions["Erste Beschriftung (öffnet in einem neuen Tab)"]["href"] == (
        "https://example.org/first-card"
    )
    assert captions["Zweite Beschriftung"]["href"] == "about.html"
    assert captions["Dritte Beschriftung"] is None
    assert page.select(".sp-card figcaption span[translatable]") == []


@pytest.mark.parametrize("jobs", [0, 4])
def test_the_same_card_id_twice_is_one_warning_naming_both(tmp_path: Path, jobs: int) -> None:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-cards-builders-md", srcdir)
    card = ":::{{image-card}} /second.png\n:alt: {alt}\n:id: {id}\n\n{alt}\n:::\n"
    about = srcdir / "about.md"
    (srcdir / "cards.yaml").write_text(
        "cards:\n  - image: /second.png\n    alt: Shared\n    id: shared-card\n", encoding="utf-8"
    )
    shared = "::::{card-grid}\n:source: /cards.yaml\n::::\n"
    about.write_text(
        about.read_text(encoding="utf-8")
        + "\n::::{card-grid}\n\n"
        + card.format(alt="About card", id="same-card")
        + "::::\n\n"
        + shared,
        encoding="utf-8",
    )
    index = srcdir / "index.md"
    index.write_text(
        index.read_text(encoding="utf-8")
        + "\n::::{card-grid}\n\n"
        + card.format(alt="Index card", id="same-card")
        + "::::\n\n"
        + shared,
        encoding="utf-8",
    )
    result = build(srcdir, parallel=jobs)
    duplicates = [
        line for line in result.warnings.splitlines() if "[partnerships.duplicate]" in line
    ]
    # the data file both pages load declares its card once: no warning for it
    assert len(duplicates) == 1, duplicates
    [warning] = duplicates
    assert "card id 'same-card'" in warning
    about_line = directive_line(about, "About card")
    index_line = directive_line(index, "Index card")
    assert f"about.md:{about_line}" in warning
    assert f"index.md:{index_line}" in warning
