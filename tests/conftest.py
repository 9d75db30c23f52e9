"""Shared fixtures: real Sphinx builds of the small projects in ``tests/roots``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

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
    return BeautifulSoup(str(main), "html.parser")


def strip_colours(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def partnership_warnings(warnings: str) -> list[str]:
    """The extension's warning lines, without terminal colour codes."""
    return [line for line in strip_colours(warnings).splitlines() if "[partnerships." in line]
