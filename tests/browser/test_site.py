"""The built site in headless Chromium: accessibility, layout, keyboard and assets.

Every page is opened in light and dark mode at a desktop and a phone width and
must have no axe-core violation and no horizontal overflow; a full-page
screenshot of each is written to ``docs/_build/screenshots/``.
"""

from __future__ import annotations

import base64
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from .conftest import (
    DOCS,
    MODES,
    NOT_FOUND,
    NOT_FOUND_PREFIX,
    SITE,
    VIEWPORTS,
    OpenPage,
    Pages,
    load,
    page_file,
    site_pages,
    source_pages,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SECTION = "international-partnerships/"
README_SCREENSHOT = DOCS / "_static" / "screenshot.png"
README_SCREENSHOT_LIMIT = 250_000
COLUMN_BREAKPOINTS = ((992, "lg-"), (768, "md-"), (576, "sm-"), (0, ""))


# -- Reports ------------------------------------------------------------------


def describe_violations(violations: list[dict[str, Any]]) -> str:
    """axe-core's violations, one block per rule, one line per element."""
    lines = []
    for violation in violations:
        lines.append(
            f"* {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f"\n  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            html = re.sub(r"\s+", " ", node.get("html", ""))[:200]
            lines.append(f"  - {target}\n    {html}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"    {line.strip()}" for line in summary.splitlines()[1:])
    return "\n".join(lines)


def run_axe(page: Page) -> list[dict[str, Any]]:
    """Run the axe-core that ``Pages.audit`` loaded into the page."""
    violations: list[dict[str, Any]] = page.evaluate(
        "axe.run(document, {resultTypes: ['violations']}).then((r) => r.violations)"
    )
    return violations


OVERFLOW_SCRIPT = """
() => {
  const width = window.innerWidth;
  const scrollWidth = document.scrollingElement.scrollWidth;
  const describe = (element) => {
    let text = element.tagName.toLowerCase();
    if (element.id) text += "#" + element.id;
    for (const name of element.classList) text += "." + name;
    return text;
  };
  const clipped = (element) => {
    for (let e = element.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflowX !== "visible") return true;
    }
    return false;
  };
  const offenders = [];
  if (scrollWidth > width) {
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 0.5) continue;
      const parent = element.parentElement.getBoundingClientRect();
      if (parent.right > width + 0.5 || clipped(element)) continue;
      offenders.push(`${describe(element)} (right edge at ${Math.round(box.right)}px)`);
      if (offenders.length === 10) break;
    }
  }
  return {width, scrollWidth, offenders};
}
"""


def horizontal_overflow(page: Page) -> str | None:
    result = page.evaluate(OVERFLOW_SCRIPT)
    if result["scrollWidth"] <= result["width"]:
        return None
    offenders = "".join(f"\n  - {item}" for item in result["offenders"])
    return (
        f"horizontal overflow: scrollWidth {result['scrollWidth']}px >"
        f" innerWidth {result['width']}px; widest elements:{offenders}"
    )


def screenshot_path(root: Path, mode: str, width: int, url: str) -> Path:
    name = url.rstrip("/") or "index"
    path = root / f"{mode}-{width}" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


# -- Every page: axe-core, overflow, screenshot ------------------------------


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("mode", MODES)
def test_page(
    pages: Pages,
    site_url: str,
    site_page: str,
    mode: str,
    width: int,
    screenshots: Path,
) -> None:
    page = pages.audit(site_url + site_page, mode=mode, width=width)
    page.screenshot(
        path=screenshot_path(screenshots, mode, width, site_page),
        full_page=True,
        animations="disabled",
    )
    problems = []
    violations = run_axe(page)
    if violations:
        problems.append(
            f"{len(violations)} axe-core violation(s):\n{describe_violations(violations)}"
        )
    overflow = horizontal_overflow(page)
    if overflow:
        problems.append(overflow)
    where = f"/{site_page} ({mode} mode, {width}x{VIEWPORTS[width]})"
    assert not problems, f"{where}:\n" + "\n".join(problems)


# -- The 404 page, where Read the Docs serves it -------------------------------


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("mode", MODES)
def test_not_found_page(pages: Pages, versioned_site_url: str, mode: str, width: int) -> None:
    """404.html shown for a missing address deep under /en/latest/: styles,
    scripts and the theme load from the version's root, axe-core finds nothing."""
    failed: list[str] = []
    page = pages.context(mode, width, axe=True).new_page()
    page.on(
        "response",
        lambda response: (
            failed.append(f"{response.url} ({response.status})") if response.status >= 400 else None
        ),
    )
    # the server has no 404 handler of its own: open the page at a deep address
    # by fulfilling that address with 404.html, as Read the Docs does
    missing = f"{versioned_site_url}{NOT_FOUND_PREFIX}some/missing/page/"
    body = (SITE / NOT_FOUND).read_bytes()
    page.route(
        missing,
        lambda route: route.fulfill(status=404, body=body, content_type="text/html"),
    )
    try:
        load(page, missing, mode)
        assert page.evaluate("getComputedStyle(document.body).fontFamily") != ""
        assert page.locator(".bd-header").is_visible()
        assert failed == [] or failed == [f"{missing} (404)"], failed
        violations = run_axe(page)
        assert not violations, describe_violations(violations)
        assert horizontal_overflow(page) is None
        home = page.locator("a.navbar-brand").get_attribute("href")
        assert home == "/" + NOT_FOUND_PREFIX
    finally:
        page.close()


# -- Console: no error or warning on a first visit -----------------------------


def test_no_console_error_on_a_first_visit(browser: Any, site_url: str, site_page: str) -> None:
    """A reader's first visit, with nothing in local storage: the page logs no
    error (pydata-sphinx-theme's "Got invalid theme mode" was one)."""
    context = browser.new_context()
    messages: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                messages.append(f"{message.type}: {message.text}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda error: messages.append(f"pageerror: {error}"))
        page.goto(site_url + site_page, wait_until="load")
        page.evaluate("document.fonts.ready.then(() => true)")
        assert page.evaluate("document.documentElement.dataset.mode") == "auto"
    finally:
        context.close()
    assert messages == [], f"/{site_page}: {messages}"


# -- Assets: no JavaScript, the stylesheet only where a component is ---------


ASSETS_SCRIPT = """
() => ({
  scripts: [...document.scripts].map((script) => script.src).filter(Boolean),
  stylesheets: [...document.querySelectorAll("link[rel~=stylesheet]")]
    .map((link) => link.href),
  components: document.querySelectorAll(".sp-collection, .sp-card-grid").length,
})
"""


def test_assets(open_page: OpenPage, site_url: str, site_page: str) -> None:
    requested: list[tuple[str, str]] = []
    failed: dict[str, str] = {}

    def on_response(response: Any) -> None:
        if response.url.startswith(site_url) and response.status >= 400:
            failed[response.url] = f"HTTP {response.status}"

    def on_failure(request: Any) -> None:
        if request.url.startswith(site_url):
            failed.setdefault(request.url, str(request.failure))

    page = open_page(None)
    page.on("request", lambda request: requested.append((request.resource_type, request.url)))
    page.on("response", on_response)
    page.on("requestfailed", on_failure)
    load(page, site_url + site_page)
    assets = page.evaluate(ASSETS_SCRIPT)

    scripts = set(assets["scripts"]) | {url for kind, url in requested if kind == "script"}
    extension_scripts = sorted(
        url for url in scripts if "partnerships" in url.removeprefix(site_url).split("?")[0].lower()
    )
    assert not extension_scripts, f"/{site_page} loads {extension_scripts}"

    linked = any(
        href.split("?")[0].endswith("_static/partnerships.css") for href in assets["stylesheets"]
    )
    if assets["components"]:
        assert linked, (
            f"/{site_page} has {assets['components']} sp-collection/sp-card-grid"
            " element(s) but does not link _static/partnerships.css"
        )
    else:
        assert not linked, f"/{site_page} has no component but links _static/partnerships.css"
    broken = [f"{url.removeprefix(site_url)} ({why})" for url, why in failed.items()]
    assert not broken, f"/{site_page}: resources that did not load: {broken}"


# -- Card grids: the columns the classes ask for ------------------------------


GRIDS_SCRIPT = """
() => [...document.querySelectorAll(".sp-card-grid")].map((grid) => ({
  id: grid.id || grid.closest("section[id]")?.id || "",
  classes: [...grid.classList],
  xs: [...grid.children]
    .filter((child) => child.classList.contains("sp-card"))
    .map((card) => Math.round(card.getBoundingClientRect().x)),
}))
"""


def expected_columns(classes: list[str], width: int) -> int:
    """The column count the grid's ``sp-cols-*`` classes give at a viewport width."""
    for breakpoint, size in COLUMN_BREAKPOINTS:
        if width < breakpoint:
            continue
        for name in classes:
            match = re.fullmatch(rf"sp-cols-{size}(\d+)", name)
            if match:
                return int(match.group(1))
    return 1


def grid_problems(page: Page, width: int) -> list[str]:
    problems = []
    grids = page.evaluate(GRIDS_SCRIPT)
    for number, grid in enumerate(grids, start=1):
        columns = expected_columns(grid["classes"], width)
        expected = min(columns, len(grid["xs"]))
        found = len(set(grid["xs"]))
        if found != expected:
            problems.append(
                f"grid {number} (#{grid['id']}, {' '.join(grid['classes'])}):"
                f" {found} column(s) at {width}px, classes ask for {columns}"
                f" ({len(grid['xs'])} cards at x = {sorted(set(grid['xs']))})"
            )
    return problems


@pytest.mark.parametrize("width", [390, 600, 800, 1280])
def test_card_columns(open_page: OpenPage, cards_url: str, width: int) -> None:
    page = open_page(cards_url, width=width)
    grids = page.evaluate(GRIDS_SCRIPT)
    assert [len(grid["xs"]) for grid in grids] == [8, 4, 6]
    problems = grid_problems(page, width)
    assert not problems, "\n".join(problems)


def test_the_pages_checked_are_the_pages_built(site_url: str) -> None:
    """The page list comes from the sources, so that collecting builds nothing:
    it must name every page of the built site and no other."""
    assert sorted(site_pages(SITE)) == source_pages()


@pytest.mark.parametrize("width", [390, 600, 800, 1280])
def test_site_card_columns(open_page: OpenPage, site_url: str, width: int) -> None:
    pages = [
        url
        for url in site_pages(SITE)
        if "sp-card-grid" in page_file(SITE, url).read_text(encoding="utf-8")
    ]
    problems = []
    for url in pages:
        page = open_page(site_url + url, width=width)
        problems += [f"/{url}: {problem}" for problem in grid_problems(page, width)]
    assert not problems, "\n".join(problems)


# -- Keyboard: every component link in reading order, visibly focused ---------


TARGETS_SCRIPT = """
() => {
  const style = (element) => {
    if (!element) return null;
    const s = getComputedStyle(element);
    return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset, s.boxShadow];
  };
  window.__spStyle = style;
  const article = document.querySelector("article") || document.body;
  const focusable = "a[href], button, input, select, textarea, summary, [tabindex]";
  [...article.querySelectorAll(focusable)].forEach((element, index) => {
    element.dataset.spDom = String(index);
  });
  const links = [...document.querySelectorAll(
    ".sp-card-grid a[href], .sp-collection a[href]")];
  return links.map((link, index) => {
    link.dataset.spOrder = String(index);
    return {
      text: link.textContent.trim().replace(/\\s+/g, " ").slice(0, 60),
      href: link.getAttribute("href"),
      link: style(link),
      card: style(link.closest(".sp-card")),
    };
  });
}
"""

FOCUSED_SCRIPT = """
() => {
  const element = document.activeElement;
  const dom = element && element.dataset && element.dataset.spDom;
  if (!element || !element.dataset || element.dataset.spOrder === undefined) {
    return {order: null, dom: dom === undefined ? null : Number(dom)};
  }
  return {
    order: Number(element.dataset.spOrder),
    dom: Number(dom),
    link: window.__spStyle(element),
    card: window.__spStyle(element.closest(".sp-card")),
  };
}
"""

FOCUSABLE_COUNT = (
    "document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]').length"
)


def visible_change(before: list[str] | None, after: list[str] | None) -> bool:
    """An outline or box-shadow appeared or changed with focus."""
    if before is None or after is None or before == after:
        return False
    style, width, _color, _offset, shadow = after
    outline = style != "none" and width not in ("0px", "")
    return outline or shadow != "none"


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("mode", MODES)
def test_keyboard(open_page: OpenPage, site_url: str, mode: str, width: int) -> None:
    page = open_page(site_url + SECTION, mode=mode, width=width)
    targets = page.evaluate(TARGETS_SCRIPT)
    assert targets, f"/{SECTION} has no card, timeline or award link"
    presses = page.evaluate(FOCUSABLE_COUNT) + 20
    reached: list[int] = []
    article_order: list[int] = []
    unfocused_look: list[str] = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED_SCRIPT)
        if focused["dom"] is not None and focused["dom"] not in article_order:
            article_order.append(focused["dom"])
        order = focused["order"]
        if order is None or order in reached:
            continue
        reached.append(order)
        target = targets[order]
        if not (
            visible_change(target["link"], focused["link"])
            or visible_change(target["card"], focused["card"])
        ):
            unfocused_look.append(
                f"{order}: {target['text']!r} -> {target['href']} (focused: link"
                f" {focused['link']}, card {focused['card']})"
            )
        if len(reached) == len(targets):
            break
    where = f"/{SECTION} ({mode} mode, {width}px)"
    missing = [
        f"{index}: {target['text']!r} -> {target['href']}"
        for index, target in enumerate(targets)
        if index not in reached
    ]
    assert not missing, f"{where}: Tab never reaches:\n" + "\n".join(missing)
    assert reached == sorted(reached), (
        f"{where}: Tab reaches the component links in the order {reached}, not in reading order"
    )
    assert article_order == sorted(article_order), (
        f"{where}: Tab moves through the article's focusable elements in the order"
        f" {article_order}, not in reading order"
    )
    assert not unfocused_look, f"{where}: no visible focus indicator on:\n" + "\n".join(
        unfocused_look
    )


# -- The README's screenshot of the section -----------------------------------


DOWNSCALE_SCRIPT = """
async ([data, scale]) => {
  const image = new Image();
  image.src = "data:image/png;base64," + data;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  const context = canvas.getContext("2d");
  context.imageSmoothingQuality = "high";
  context.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL("image/png").split(",")[1];
}
"""


def test_readme_screenshot(open_page: OpenPage, site_url: str, screenshots: Path) -> None:
    """The section at 1280 px, light mode, from the timeline down 1400 px
    (timeline, awards and the start of the cards), small enough to commit.

    Written to docs/_build/screenshots/readme.png; with UPDATE_README_SCREENSHOT=1
    also to docs/_static/screenshot.png, the image the README shows.
    """
    page = open_page(site_url + SECTION, mode="light", width=1280)
    top = page.evaluate(
        "() => document.querySelector('.sp-timeline').getBoundingClientRect().top + window.scrollY"
    )
    full = page.screenshot(
        full_page=True,
        animations="disabled",
        clip={"x": 0, "y": max(0, top - 160), "width": 1280, "height": 1400},
    )
    canvas = open_page(None)
    data = base64.b64encode(full).decode("ascii")
    for scale in (0.75, 0.625, 0.5):
        png = base64.b64decode(canvas.evaluate(DOWNSCALE_SCRIPT, [data, scale]))
        if len(png) <= README_SCREENSHOT_LIMIT:
            break
    assert len(png) <= README_SCREENSHOT_LIMIT, f"screenshot is {len(png)} bytes"
    (screenshots / "readme.png").write_bytes(png)
    if os.environ.get("UPDATE_README_SCREENSHOT"):
        README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        README_SCREENSHOT.write_bytes(png)
