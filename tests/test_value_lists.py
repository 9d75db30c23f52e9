"""Labelled lists ("Partners: …", "Tags: …", "Recipients: …") are written in
one step by the HTML and directory builders, and as docutils nodes for the
others: both must give the same markup."""

from __future__ import annotations

import re

import pytest

from .conftest import BuildRoot

HREF = re.compile(r'href="[^"]*"')


def labelled_lists(html: str) -> list[str]:
    """The paragraphs of labelled lists of a page, their addresses blanked
    (they differ by builder), from the raw HTML: a parser would tidy away
    what differs."""
    paragraphs = re.findall(r'<p class="sp-details">(.*?)</p>', html, re.DOTALL)
    return [HREF.sub('href=""', paragraph) for paragraph in paragraphs]


@pytest.mark.parametrize(
    ("root", "linked"), [("archives-md", True), ("archives-rst", True), ("builders", False)]
)
def test_lists_written_at_once_match_the_writers_own(
    build_root: BuildRoot, root: str, linked: bool
) -> None:
    # no archive pages: the single page has none, and its links must match
    overrides = {"partnerships_archives": []}
    direct = build_root(root, "html", confoverrides=overrides)
    nodes = build_root(root, "singlehtml", confoverrides=overrides)
    assert direct.warnings == nodes.warnings == ""
    pages = sorted(direct.outdir.rglob("*.html"))
    written = [
        paragraph
        for page in pages
        if "_static" not in page.parts
        for paragraph in labelled_lists(page.read_text(encoding="utf-8"))
    ]
    single = labelled_lists((nodes.outdir / "index.html").read_text(encoding="utf-8"))
    assert written
    assert any('class="sp-list-separator">, </span>' in listing for listing in written)
    # partner names link to the partner index, where the project has one
    assert any("<a " in listing for listing in written) is linked
    # every page's lists are on the single page, as the writer makes them there
    assert sorted(written) == sorted(single)
