"""Fixtures for the browser checks: built sites, their servers and one Chromium.

The site is the one in ``docs/_build/dirhtml`` (``nox -s browser`` builds it
first; it is built here when missing). Playwright and axe-core are imported
only when a browser test runs, so the fast suite collects without them.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .server import serve

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
SITE = Path(os.environ.get("SP_BROWSER_SITE", BUILD / "dirhtml"))
SCREENSHOTS = Path(os.environ.get("SP_BROWSER_SCREENSHOTS", BUILD / "screenshots"))
CARDS_ROOT = ROOT / "tests" / "roots" / "test-browser-cards"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MODES = ("light", "dark")
VIEWPORTS = {1280: 900, 390: 844}


def build_site(source: Path, out: Path, doctrees: Path, options: Sequence[str] = ()) -> None:
    """Build ``source`` as the ``docs`` session does: dirhtml, nitpicky, -W."""
    command = [
        sys.executable,
        "-m",
        "sphinx",
        "-n",
        "-W",
        "--keep-going",
        "-b",
        "dirhtml",
        *options,
        "-d",
        str(doctrees),
        str(source),
        str(out),
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"sphinx-build of {source} failed:\n{result.stdout}\n{result.stderr}",
            pytrace=False,
        )


#: the 404 page, which links from the version's root path (``/en/latest/``)
NOT_FOUND = "404.html"
NOT_FOUND_PREFIX = "en/latest/"


def site_pages(site: Path) -> list[str]:
    """Every page of a built dirhtml site, as a URL path relative to its root;
    not the 404 page, which is checked where Read the Docs serves it."""
    pages = []
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site)
        if any(part.startswith(("_", ".")) for part in relative.parts):
            continue
        if relative.as_posix() == NOT_FOUND:
            continue
        url = relative.as_posix()
        if url == "index.html" or url.endswith("/index.html"):
            url = url.removesuffix("index.html")
        pages.append(url)
    return pages


def page_file(site: Path, url: str) -> Path:
    """The HTML file behind a page's URL path."""
    return site / (url + "index.html" if not url or url.endswith("/") else url)


def page_id(url: str) -> str:
    return url.rstrip("/") or "index"


def page_url(docname: str) -> str:
    """A document's URL path in a dirhtml site: ``a/index`` is ``a/``, ``a/b`` is ``a/b/``."""
    if docname == "index" or docname.endswith("/index"):
        return docname.removesuffix("index")
    return docname + "/"


#: pages the HTML builder writes without a source file
GENERATED_PAGES = ("genindex/", "search/")
#: the site's archive pages, which the extension makes from the entries once they
#: are read (test_the_pages_checked_are_the_pages_built keeps the list current)
SITE_ARCHIVE_PAGES = (
    "archives/",
    "archives/partners/germany/",
    "archives/partners/japan/",
    "archives/partners/malaysia/",
    "archives/tags/agreement/",
    "archives/tags/visit/",
    "archives/years/2021/",
    "archives/years/2022/",
)


def source_pages(docs: Path = DOCS) -> list[str]:
    """The URL paths :func:`site_pages` finds once the site is built, read from
    its sources as Sphinx finds them (``exclude_patterns`` of its conf.py), so
    that collecting the tests builds nothing."""
    from sphinx.config import Config
    from sphinx.project import Project
    from sphinx.util.tags import Tags

    config = Config.read(docs.resolve(), overrides={}, tags=Tags())
    docnames = Project(docs.resolve(), config.source_suffix).discover(config.exclude_patterns)
    pages = [page_url(name) for name in docnames]
    return sorted([*pages, *GENERATED_PAGES, *SITE_ARCHIVE_PAGES])


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "site_page" in metafunc.fixturenames:
        pages = source_pages()
        metafunc.parametrize("site_page", pages, ids=[page_id(page) for page in pages])


@pytest.fixture(scope="session")
def site_url() -> Iterator[str]:
    """The documentation site, served over HTTP."""
    if not (SITE / "index.html").is_file():
        build_site(DOCS, SITE, BUILD / "doctrees")
    with serve(SITE) as url:
        yield url


@pytest.fixture(scope="session")
def versioned_site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site served under ``/en/latest/``, as Read the Docs serves a version;
    yields the server's root URL."""
    if not (SITE / "index.html").is_file():
        build_site(DOCS, SITE, BUILD / "doctrees")
    root = tmp_path_factory.mktemp("versioned")
    (root / NOT_FOUND_PREFIX).parent.mkdir(parents=True)
    (root / NOT_FOUND_PREFIX.rstrip("/")).symlink_to(SITE.resolve(), target_is_directory=True)
    with serve(root) as url:
        yield url


@pytest.fixture(scope="session")
def cards_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The small card grid project of ``tests/roots``, built and served."""
    base = tmp_path_factory.mktemp("browser-cards")
    build_site(CARDS_ROOT, base / "dirhtml", base / "doctrees")
    with serve(base / "dirhtml") as url:
        yield url


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def chromium_executable() -> str:
    candidates = [
        os.environ.get("CHROMIUM", ""),
        "/usr/bin/chromium",
        shutil.which("chromium") or "",
        shutil.which("chromium-browser") or "",
    ]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return candidate
    pytest.fail(
        "Chromium not found: install it (Debian: `apt-get install chromium`) or set"
        " CHROMIUM to its path",
        pytrace=False,
    )


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole run."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("Playwright is missing: pip install -e '.[browser]'", pytrace=False)
    executable = chromium_executable()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


THEME_SCRIPT = """
try {
  localStorage.setItem("mode", MODE);
  localStorage.setItem("theme", MODE);
} catch (error) {}
"""


def theme_script(mode: str) -> str:
    """Choose the light or dark mode before the page loads, where the theme
    keeps it: pydata-sphinx-theme (and sphinx-book-theme) read "mode" and
    "theme" from local storage, furo "theme"."""
    return THEME_SCRIPT.replace("MODE", json.dumps(mode))


def load(page: Page, url: str, mode: str = "light", *, check_mode: bool = True) -> None:
    """Go to ``url``, wait for its fonts; check pydata-sphinx-theme's mode took."""
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready.then(() => true)")
    if check_mode:
        theme = page.evaluate("document.documentElement.dataset.theme")
        assert theme == mode, f"html[data-theme] is {theme!r}, not {mode!r} on {url}"


class Pages:
    """Browser contexts per theme mode and viewport, made once and reused."""

    def __init__(self, browser: Browser) -> None:
        self.browser = browser
        self._contexts: dict[tuple[str, int, bool], BrowserContext] = {}
        self._audit: dict[tuple[str, int], Page] = {}

    def context(self, mode: str, width: int, *, axe: bool = False) -> BrowserContext:
        key = (mode, width, axe)
        if key not in self._contexts:
            context = self.browser.new_context(
                viewport={"width": width, "height": VIEWPORTS.get(width, 900)},
                color_scheme="dark" if mode == "dark" else "light",
                reduced_motion="reduce",
            )
            context.add_init_script(theme_script(mode))
            if axe:
                from axe_playwright_python.sync_playwright import Axe

                context.add_init_script(Axe().axe_script)
            self._contexts[key] = context
        return self._contexts[key]

    def new(self, url: str | None, *, mode: str = "light", width: int = 1280) -> Page:
        """A new page (tab); loads ``url`` unless it is None."""
        page = self.context(mode, width).new_page()
        if url is not None:
            load(page, url, mode)
        return page

    def audit(self, url: str, *, mode: str, width: int, check_mode: bool = True) -> Page:
        """``url`` in one reused page per mode and width, with axe-core loaded."""
        key = (mode, width)
        if key not in self._audit:
            self._audit[key] = self.context(mode, width, axe=True).new_page()
        page = self._audit[key]
        load(page, url, mode, check_mode=check_mode)
        return page

    def close(self) -> None:
        for context in self._contexts.values():
            context.close()


@pytest.fixture(scope="session")
def pages(browser: Browser) -> Iterator[Pages]:
    reused = Pages(browser)
    yield reused
    reused.close()


OpenPage = Callable[..., "Page"]


@pytest.fixture
def open_page(pages: Pages) -> Iterator[OpenPage]:
    """Open a URL in a new tab at a theme mode and width; closed after the test."""
    opened: list[Page] = []

    def _open(url: str | None, *, mode: str = "light", width: int = 1280) -> Page:
        page = pages.new(url, mode=mode, width=width)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.close()
