"""Data text as the safe subset reads it: ordinary text gives no warning,
code is never rewritten, and text written to be slow or deep is still read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sphinx_partnerships.safetext import DEEPEST_NESTING, LONGEST_RST_BLOCK

from .conftest import ROOTS, Build, BuildRoot, build, partnership_warnings


@pytest.fixture(scope="module")
def ordinary(build_root: BuildRoot) -> Build:
    return build_root("data-text")


def entry(result: Build, page: str, anchor: str):  # type: ignore[no-untyped-def]
    found = result.page(page).select_one(f"li#{anchor} .sp-body")
    assert found is not None, anchor
    return found


def test_ordinary_text_gives_no_warning(ordinary: Build) -> None:
    assert ordinary.warnings == ""


def test_autolinks_are_links(ordinary: Build) -> None:
    body = entry(ordinary, "index", "autolinks")
    # Sphinx writes every e-mail address's @ as %40 (cloak_email_addresses)
    assert [(a["href"], a.get_text()) for a in body.select("a")] == [
        ("mailto:info%40example.org", "info@example.org"),
        ("https://example.org/news", "https://example.org/news"),
    ]


def test_less_than_in_ordinary_text_is_text(ordinary: Build) -> None:
    body = entry(ordinary, "index", "comparisons")
    assert body.get_text(strip=True) == "When a<b and c>d, x < y and List<T> hold, <see below>."
    assert body.select("b, t, see") == []


def test_code_spans_and_blocks_are_never_rewritten(ordinary: Build) -> None:
    code = entry(ordinary, "index", "code-spans").select("code")
    assert [span.get_text() for span in code] == ["feeds/{tag}", "{{ title }}", "<b>"]
    block = entry(ordinary, "index", "code-block").select_one("pre")
    assert block is not None
    assert block.get_text() == 'feed: "{{ tag }}"\nhtml: <script>\nrole: "{download}`x`"\n'
    escaped = entry(ordinary, "index", "escaped")
    assert escaped.get_text(strip=True) == "Escaped <b> and <i> are text, and so is {{ this }}."


def test_rst_literal_text_is_never_read_for_markup(ordinary: Build) -> None:
    code = entry(ordinary, "page", "literal-text").select("code")
    assert [span.get_text() for span in code] == [
        ":download:`x` role",
        "|name|",
        ".. raw:: html",
    ]
    block = entry(ordinary, "page", "literal-block").select_one("pre")
    assert block is not None
    assert block.get_text().strip() == ".. raw:: html\n:download:`secret <x>` and |name|"
    link = entry(ordinary, "page", "rst-link").select_one("a")
    assert link is not None
    assert link["href"] == "https://example.org/news"


def write(tmp_path: Path, data: dict[str, str]) -> Path:
    srcdir = tmp_path / "src"
    shutil.copytree(ROOTS / "test-data-text", srcdir)
    for name, text in data.items():
        (srcdir / "data" / name).write_text(text, encoding="utf-8")
    return srcdir


def yaml_text(*texts: str, ids: str = "entry") -> str:
    """Activities, one a text, each text a YAML literal block; ids ``entry-1`` …"""
    entries = []
    for number, text in enumerate(texts, start=1):
        body = "\n".join(f"      {line}" if line else "" for line in text.split("\n"))
        entries.append(f"  - date: 2022-{number:02}\n    id: {ids}-{number}\n    text: |\n{body}")
    return "activities:\n" + "\n".join(entries) + "\n"


def test_refused_autolinks_and_raw_html_are_still_told(tmp_path: Path) -> None:
    srcdir = write(
        tmp_path,
        {
            "ordinary-md.yaml": yaml_text(
                "Not <javascript:alert(1)>.", "A <script>alert(1)</script>."
            )
        },
    )
    result = build(srcdir)
    warnings = partnership_warnings(result.warnings)
    assert len(warnings) == 2
    assert "ordinary-md.yaml:2:" in warnings[0]
    assert "link scheme 'javascript'" in warnings[0]
    assert "ordinary-md.yaml:6:" in warnings[1]
    assert "cannot hold raw HTML" in warnings[1]
    assert entry(result, "index", "entry-1").select("a") == []
    assert "<script>alert(1)</script>" in entry(result, "index", "entry-2").get_text()


def test_text_nested_without_end_is_read_and_shown(tmp_path: Path) -> None:
    """Emphasis 3,000 deep, and 150 ever deeper indented paragraphs: the
    parsers and Sphinx's writers recurse once per level."""
    deep_emphasis = "*" * 3000 + "deep" + "*" * 3000
    staircase = "\n\n".join(" " * depth + f"step {depth}" for depth in range(150))
    srcdir = write(
        tmp_path,
        {
            "ordinary-md.yaml": yaml_text(deep_emphasis),
            "ordinary-rst.yaml": yaml_text(staircase, ids="rst"),
        },
    )
    result = build(srcdir)
    assert partnership_warnings(result.warnings) == []
    shown = entry(result, "index", "entry-1")
    assert "deep" in shown.get_text()
    # as deep as it goes; the marks deeper down are text
    assert len(shown.select("em, strong")) == DEEPEST_NESTING
    assert shown.get_text().count("*") == 2 * (3000 - 2 * DEEPEST_NESTING)
    steps = entry(result, "page", "rst-1")
    assert "step 0" in steps.get_text()
    assert "step 149" in steps.get_text()
    assert len(steps.select("blockquote")) < DEEPEST_NESTING


def test_a_very_long_rst_block_is_plain_text_with_a_warning(tmp_path: Path) -> None:
    long_paragraph = "\n".join(["A *word* and |more| words."] * (LONGEST_RST_BLOCK // 20))
    srcdir = write(tmp_path, {"ordinary-rst.yaml": yaml_text("First *paragraph*.", long_paragraph)})
    result = build(srcdir)
    [warning] = partnership_warnings(result.warnings)
    assert "ordinary-rst.yaml:6:" in warning
    assert "[partnerships.markup]" in warning
    assert "longer than 10,000 characters is shown as plain text" in warning
    shown = entry(result, "page", "entry-2")
    assert shown.select("em") == []
    assert shown.get_text().count("A *word* and |more| words.") == LONGEST_RST_BLOCK // 20
    assert entry(result, "page", "entry-1").select_one("em") is not None
