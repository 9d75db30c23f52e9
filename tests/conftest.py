"""Shared fixtures: real Sphinx builds of the small projects in ``tests/roots``.

Two ways to build, both fresh and both cleaned up at once (so that the next
build registers its nodes and directives afresh; output and logs stay readable):
``build_root("cards-md")`` builds a copy of ``tests/roots/test-cards-md``, the
fixture most modules use for a project built once per module; :func:`build`
builds a folder a test made or edited itself. Sphinx's own ``app`` fixture
with ``@pytest.mark.sphinx(testroot=...)`` serves tests that build once and
assert on one application.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

pytest_plugins = ["sphinx.testing.fixtures"]

ROOTS = Path(__file__).parent / "roots"


@pytest.fixture(scope="session")
def rootdir() -> Path:
    return ROOTS


def main_content(html: str) -> BeautifulSoup:
    """The page's article: what the extension renders, without theme chrome."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.select_one("div.body, article.bd-article, div[role=main]")
    assert main is not None, "no main content in the page"
    # the basic theme of Sphinx 8.0 ends the body with a float clearer, later ones do not
    for clearer in main.select("div.clearer"):
        clearer.decompose()
    return BeautifulSoup(str(main), "html.parser")


def strip_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def partnership_warnings(warnings: str) -> list[str]:
    """The extension's warning lines, without terminal colour codes."""
    return [line for line in strip_colours(warnings).splitlines() if "[partnerships." in line]


@dataclass(frozen=True)
class Build:
    """What a finished build left behind."""

    app: SphinxTestApp
    srcdir: Path
    outdir: Path
    #: the build's warnings, without terminal colour codes
    warnings: str

    @property
    def syntax(self) -> str:
        return "rst" if (self.srcdir / "index.rst").is_file() else "md"

    def page(self, name: str) -> BeautifulSoup:
        """The main content of ``name.html``."""
        return main_content((self.outdir / f"{name}.html").read_text(encoding="utf-8"))

    def source(self, name: str) -> Path:
        return self.srcdir / f"{name}.{self.syntax}"


def build(
    srcdir: Path, builddir: Path | None = None, buildername: str = "html", **options: Any
) -> Build:
    """A fresh build of ``srcdir`` (into ``srcdir/_build`` unless ``builddir``
    is given); ``options`` go to :class:`SphinxTestApp` (``confoverrides``,
    ``parallel`` …)."""
    app = SphinxTestApp(buildername, srcdir=srcdir, builddir=builddir, freshenv=True, **options)
    try:
        app.build()
    finally:
        app.cleanup()
    return Build(app, Path(app.srcdir), Path(app.outdir), strip_colours(app.warning.getvalue()))


BuildRoot = Callable[..., Build]


@pytest.fixture(scope="session")
def build_root(tmp_path_factory: pytest.TempPathFactory) -> BuildRoot:
    """``build_root(NAME, buildername="html", **options)``: a fresh build of a
    copy of ``tests/roots/test-NAME`` in a folder of its own."""

    def run(name: str, buildername: str = "html", **options: Any) -> Build:
        base = tmp_path_factory.mktemp(name)
        srcdir = base / "src"
        shutil.copytree(ROOTS / f"test-{name}", srcdir)
        return build(srcdir, base / "build", buildername, **options)

    return run
