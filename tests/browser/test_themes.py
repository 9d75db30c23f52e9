"""Every component under five themes, in headless Chromium.

``tests/roots/test-themes`` (a timeline, award lists, card grids of two and
three columns, partners and a partner index; MyST and rST) is built once per
theme and opened in light and dark mode at a desktop and a phone width. On
every page: no axe-core violation in the extension's markup, no list marker
on an entry, every timeline dot centred on its line, no horizontal overflow,
and cards in the columns their grid asks for. A screenshot of each page lands
in ``docs/_build/screenshots/themes/``.

These tests need the themes installed (``nox -s themes``, which ``nox -s
browser`` runs too).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .conftest import DOCS, ROOT, VIEWPORTS, OpenPage, Pages, build_site, load, site_pages
from .server import serve
from .test_site import describe_violations, grid_problems, horizontal_overflow

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

pytestmark = [pytest.mark.browser, pytest.mark.themes]

THEMES_ROOT = ROOT / "tests" / "roots" / "test-themes"
COMPONENTS = [[".sp-collection"], [".sp-card-grid"], [".sp-partner"]]


@dataclass(frozen=True)
class Theme:
    """A theme, and how a page tells which colour mode it shows."""

    name: str
    #: JavaScript giving the mode the page shows ("light"/"dark"); None: light only
    shown_mode: str | None


THEMES = {
    "pydata": Theme("pydata_sphinx_theme", "document.documentElement.dataset.theme"),
    "book": Theme("sphinx_book_theme", "document.documentElement.dataset.theme"),
    "furo": Theme(
        "furo",
        "(document.body.dataset.theme === 'auto'"
        " ? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light')"
        " : document.body.dataset.theme)",
    ),
    "rtd": Theme("sphinx_rtd_theme", None),
    "alabaster": Theme("alabaster", None),
}


@dataclass(frozen=True)
class ThemeSites:
    base: Path
    url: str


@pytest.fixture(scope="session")
def theme_sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ThemeSites]:
    """The themes project built once per theme, served as ``<theme key>/``."""
    base = tmp_path_factory.mktemp("themes")
    for key, theme in THEMES.items():
        build_site(
            THEMES_ROOT,
            base / key,
            base / "doctrees" / key,
            options=("-D", f"html_theme={theme.name}"),
        )
    with serve(base) as url:
        yield ThemeSites(base, url)


#: the archive pages the extension makes from the project's entries
THEMES_ARCHIVE_PAGES = (
    "archives/",
    "archives/partners/country-a/",
    "archives/partners/country-b/",
    "archives/tags/agreement/",
    "archives/tags/open-data/",
    "archives/tags/talk/",
    "archives/tags/visit/",
    "archives/tags/workshop/",
    "archives/years/2022/",
    "archives/years/2023/",
)


def themes_pages() -> list[str]:
    """The project's pages, as URL paths (the same under every theme): its
    sources' and its archive pages."""
    pages = list(THEMES_ARCHIVE_PAGES)
    for path in THEMES_ROOT.rglob("*"):
        if path.suffix in {".md", ".rst"}:
            url = path.relative_to(THEMES_ROOT).with_suffix("").as_posix()
            pages.append("" if url == "index" else url.removesuffix("/index") + "/")
    return sorted(pages)


# -- What is measured on a page ----------------------------------------------

ENTRIES_SCRIPT = """
() => {
  const problems = [];
  const describe = (element) => {
    const text = element.textContent.trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${element.tagName.toLowerCase()}.${[...element.classList].join(".")} "${text}"`;
  };
  for (const item of document.querySelectorAll(".sp-entries > .sp-entry")) {
    const style = getComputedStyle(item);
    const marker = getComputedStyle(item, "::marker").content;
    const shown = style.display === "list-item" && style.listStyleType !== "none";
    if (shown || (style.display === "list-item" && marker && marker !== "none"
                  && marker !== "normal" && marker !== '""')) {
      problems.push(`list marker (${style.listStyleType}, ${marker}) on ${describe(item)}`);
    }
  }
  for (const list of document.querySelectorAll(".sp-timeline ol.sp-entries")) {
    const box = list.getBoundingClientRect();
    const lineWidth = parseFloat(getComputedStyle(list).borderLeftWidth);
    const line = box.left + lineWidth / 2;
    for (const item of list.children) {
      const dot = getComputedStyle(item, "::before");
      const width = parseFloat(dot.width) + parseFloat(dot.borderLeftWidth)
        + parseFloat(dot.borderRightWidth);
      const centre = item.getBoundingClientRect().left + parseFloat(dot.left) + width / 2;
      if (Math.abs(centre - line) > 1) {
        problems.push(`dot centred at ${centre.toFixed(1)}px, its line at`
          + ` ${line.toFixed(1)}px: ${describe(item)}`);
      }
    }
  }
  return problems;
}
"""


def entry_problems(page: Page) -> list[str]:
    problems: list[str] = page.evaluate(ENTRIES_SCRIPT)
    return problems


def component_violations(page: Page) -> str | None:
    """axe-core's violations within the extension's markup only: a theme's own
    header or sidebar is the theme's business."""
    if not page.evaluate("document.querySelector('.sp-collection, .sp-card-grid, .sp-partner')"):
        return None
    violations = page.evaluate(
        "(include) => axe.run({include}, {resultTypes: ['violations']})"
        ".then((result) => result.violations)",
        COMPONENTS,
    )
    if not violations:
        return None
    return f"{len(violations)} axe-core violation(s):\n{describe_violations(violations)}"


def shown_mode(page: Page, theme: Theme) -> str:
    if theme.shown_mode is None:
        return "light"
    mode: str = page.evaluate(theme.shown_mode)
    return mode


# -- The checks ----------------------------------------------------------------


@pytest.fixture(scope="module")
def themes_screenshots(screenshots: Path) -> Path:
    folder = screenshots / "themes"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize("key", list(THEMES))
def test_components_under_theme(
    pages: Pages,
    theme_sites: ThemeSites,
    themes_screenshots: Path,
    key: str,
    mode: str,
    width: int,
) -> None:
    """A theme without a dark mode is opened with a dark preference too: the
    components must then keep the theme's light colours."""
    theme = THEMES[key]
    problems = []
    for url in themes_pages():
        page = pages.audit(
            theme_sites.url + f"{key}/{url}", mode=mode, width=width, check_mode=False
        )
        expected = mode if theme.shown_mode is not None else "light"
        shown = shown_mode(page, theme)
        assert shown == expected, f"{theme.name} shows {shown!r} mode, not {expected!r}"
        name = url.strip("/").replace("/", "-") or "index"
        page.screenshot(
            path=themes_screenshots / f"{key}-{mode}-{width}-{name}.png",
            full_page=True,
            animations="disabled",
        )
        found = [
            component_violations(page),
            horizontal_overflow(page),
            *entry_problems(page),
            *grid_problems(page, width),
        ]
        problems += [f"/{key}/{url}: {problem}" for problem in found if problem]
    where = f"{theme.name} ({mode} mode, {width}x{VIEWPORTS[width]})"
    assert not problems, f"{where}:\n" + "\n".join(problems)


def test_every_page_is_checked(theme_sites: ThemeSites) -> None:
    """The pages the checks open are the pages each theme's build wrote."""
    generated = {"genindex/", "search/"}
    for key in THEMES:
        written = [url for url in site_pages(theme_sites.base / key) if url not in generated]
        assert sorted(written) == themes_pages(), key


# -- The Themes page's pictures ------------------------------------------------

THEME_PICTURES = DOCS / "images" / "themes"
PICTURE_SIZE = {"width": 1280, "height": 1000}
PICTURE_LIMIT = 120_000
PICTURES = [
    (key, mode)
    for key, theme in THEMES.items()
    for mode in ("light", "dark")
    if mode == "light" or theme.shown_mode is not None
]

CONTENT_BOX_SCRIPT = """
() => {
  const box = document.querySelector(".sp-timeline").closest("section").getBoundingClientRect();
  return {x: box.left + window.scrollX, y: box.top + window.scrollY, width: box.width};
}
"""


@pytest.mark.parametrize(("key", "mode"), PICTURES)
def test_theme_picture(
    open_page: OpenPage, theme_sites: ThemeSites, themes_screenshots: Path, key: str, mode: str
) -> None:
    """The first page's timeline and awards as a reader sees them, small enough
    to commit: written to the screenshots folder, and with
    UPDATE_THEME_PICTURES=1 to docs/images/themes/, which the Themes page shows.
    """
    page = open_page(None, mode=mode, width=PICTURE_SIZE["width"])
    load(page, theme_sites.url + f"{key}/", mode, check_mode=False)
    box = page.evaluate(CONTENT_BOX_SCRIPT)
    margin = 16
    picture = page.screenshot(
        type="jpeg",
        quality=80,
        full_page=True,
        animations="disabled",
        clip={
            "x": max(0, box["x"] - margin),
            "y": max(0, box["y"] - margin),
            "width": min(box["width"] + 2 * margin, 760),
            "height": PICTURE_SIZE["height"],
        },
    )
    assert len(picture) <= PICTURE_LIMIT, f"{key}-{mode}.jpg is {len(picture)} bytes"
    (themes_screenshots / f"picture-{key}-{mode}.jpg").write_bytes(picture)
    if os.environ.get("UPDATE_THEME_PICTURES"):
        THEME_PICTURES.mkdir(parents=True, exist_ok=True)
        (THEME_PICTURES / f"{key}-{mode}.jpg").write_bytes(picture)


SURFACE_SCRIPT = """
() => {
  const channels = (colour) => colour.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const luminance = ([r, g, b]) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
  const award = document.querySelector(".sp-award-list .sp-entry");
  return {
    theme: document.body.dataset.theme,
    surface: luminance(channels(getComputedStyle(award).backgroundColor)),
    text: luminance(channels(getComputedStyle(award).color)),
  };
}
"""


def test_furo_follows_the_system_setting(browser: Browser, theme_sites: ThemeSites) -> None:
    """furo's automatic mode (its default) follows the reader's system
    setting, and the components follow furo: dark surfaces under light text."""
    context = browser.new_context(color_scheme="dark", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(theme_sites.url + "furo/", wait_until="load")
        shown = page.evaluate(SURFACE_SCRIPT)
    finally:
        context.close()
    assert shown["theme"] == "auto"
    assert shown["surface"] < 0.25 < 0.6 < shown["text"], shown
