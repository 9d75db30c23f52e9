"""Data from other hands: nothing runs, nothing from outside is published, nothing is injected;
every mistake is a clear warning at its true place."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, main_content, partnership_warnings

REFUSED_IN_ATTRIBUTES = re.compile(
    r'(href|src|action|content)="\s*(javascript|data|vbscript):', re.I
)


@pytest.fixture
def attacked(make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> SphinxTestApp:
    """The attack site built in a copy whose parent holds the files "from outside";
    the build runs in that parent, where a ``touch MARKER`` would land."""
    shutil.copytree(ROOTS / "test-attacks", tmp_path / "attacks")
    monkeypatch.chdir(tmp_path / "attacks")
    app = make_app("html", srcdir=tmp_path / "attacks" / "site")
    app.build()
    return app


def test_no_code_from_data_runs(attacked: SphinxTestApp) -> None:
    """MyST's substitution extension is on: a data file's Jinja never reaches it."""
    root = attacked.srcdir.parent
    assert not any(root.rglob("MARKER*"))
    assert not any(Path.cwd().rglob("MARKER*"))
    index = main_content((attacked.outdir / "index.html").read_text())
    assert "cycler.__init__.__globals__" in index.get_text()  # shown as text


@pytest.mark.parametrize("page", ["index.html", "page.html"])
def test_nothing_reaches_the_head_or_a_refused_address(attacked: SphinxTestApp, page: str) -> None:
    html = (attacked.outdir / page).read_text()
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select("meta[http-equiv]") == []
    assert "evil.example" not in str(soup.head)
    assert REFUSED_IN_ATTRIBUTES.search(html) is None
    assert soup.select("script[src*=alert], script:-soup-contains('alert(1)')") == []


def test_no_file_from_outside_is_published(attacked: SphinxTestApp) -> None:
    published = [path.name for path in attacked.outdir.rglob("*") if "secret" in path.name]
    assert published == []
    assert "secret text" not in "".join(
        path.read_text(errors="ignore") for path in attacked.outdir.rglob("*.html")
    )


def test_every_refused_construct_is_one_warning_at_its_entry(attacked: SphinxTestApp) -> None:
    warnings = partnership_warnings(attacked.warning.getvalue())
    site = attacked.srcdir
    expected = {
        ("attacks-md.yaml", 2, "substitutions"),
        ("attacks-md.yaml", 4, "directives"),
        ("attacks-md.yaml", 10, "directives"),
        ("attacks-md.yaml", 14, "roles"),
        ("attacks-md.yaml", 16, "images"),
        ("attacks-md.yaml", 18, "raw HTML"),
        ("attacks-rst.yaml", 2, "directives"),
        ("attacks-rst.yaml", 6, "directives"),
        ("attacks-rst.yaml", 9, "roles"),
        ("attacks-rst.yaml", 11, "directives"),
        ("attacks-rst.yaml", 14, "directives"),
        ("attacks-rst.yaml", 17, "directives"),
        ("attacks-rst.yaml", 22, "substitutions"),
        ("cards.yaml", 5, "substitutions"),
    }
    found = set()
    for line in warnings:
        match = re.match(r"(.*?):(\d+): WARNING: .*cannot hold (\w+( HTML)?)", line)
        if match and "[partnerships.markup]" in line:
            found.add((Path(match.group(1)).name, int(match.group(2)), match.group(3)))
    assert found == expected
    assert all(str(site / "data") in line for line in warnings)
    # the refused link and the card image from outside, each once
    assert sum("link scheme 'javascript'" in line for line in warnings) == 2
    outside = "image '../../outside/secret.png' is outside the source directory"
    assert sum(outside in line for line in warnings) == 1


def test_safe_markup_still_works(attacked: SphinxTestApp) -> None:
    index = main_content((attacked.outdir / "index.html").read_text())
    fine = index.select_one("li[id^=fine-strong]")
    assert fine.select_one("strong").get_text() == "strong"
    assert fine.select_one("em").get_text() == "emphasis"
    assert fine.select_one("code").get_text() == "code"
    assert fine.select_one("a")["href"] == "page.html"
    assert [li.get_text() for li in fine.select(".sp-body li")] == ["a list item", "another"]
    rst = main_content((attacked.outdir / "page.html").read_text())
    fine_rst = rst.select_one("li[id^=fine-strong]")
    assert fine_rst.select_one("a")["href"] == "https://example.org"
    # raw HTML is text
    assert "<script>alert(1)</script>" in index.get_text()


def test_special_files_are_refused_not_read(make_app, tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_partnerships"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
    )
    os.mkfifo(source / "pipe.yaml")
    (source / "index.md").write_text("# Pipe\n\n::::{timeline}\n:source: pipe.yaml\n::::\n")
    app = make_app("html", srcdir=source)
    app.build()  # a FIFO would block here if it were opened
    (warning,) = partnership_warnings(app.warning.getvalue())
    assert "index.md:3" in warning
    assert "is not a regular file" in warning
    assert "[partnerships.source]" in warning


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("limit", "²", ":limit: must be a whole number from 1, not '²'"),
        ("limit", "99999999999999", ":limit: must be a whole number from 1"),
    ],
)
def test_odd_numbers_are_warnings(make_app, tmp_path: Path, option, value, words) -> None:
    source = _project(tmp_path, f"::::{{timeline}}\n:{option}: {value}\n::::\n")
    app = make_app("html", srcdir=source)
    app.build()
    (warning,) = partnership_warnings(app.warning.getvalue())
    assert words in warning


def test_odd_columns_are_warnings(make_app, tmp_path: Path) -> None:
    source = _project(tmp_path, "::::{card-grid}\n:columns: ² 2\n::::\n")
    app = make_app("html", srcdir=source)
    app.build()
    (warning,) = partnership_warnings(app.warning.getvalue())
    assert ":columns: takes 1 to 4 whole numbers" in warning


@pytest.mark.parametrize(
    ("setting", "value", "words"),
    [
        ("partnerships_project_exclude", [1], "partnerships_project_exclude must be a list"),
        ("partnerships_language", 5, "partnerships_language must be a language code"),
    ],
)
def test_bad_settings_fall_back_with_a_warning(
    make_app, tmp_path: Path, setting: str, value: object, words: str
) -> None:
    source = _project(
        tmp_path, "::::{timeline}\n:scope: project\n\n:::{activity} 2022-06\nA.\n:::\n::::\n"
    )
    app = make_app("html", srcdir=source, confoverrides={setting: value})
    app.build()
    ours = partnership_warnings(app.warning.getvalue())
    assert len(ours) == 1, ours
    assert words in ours[0]
    assert "June 2022" in (app.outdir / "index.html").read_text()


def test_bad_flags_fall_back_and_keep_the_card(make_app, tmp_path: Path) -> None:
    shutil.copy(ROOTS / "test-travel" / "news" / "dot.png", tmp_path / "dot.png")
    source = _project(
        tmp_path, ":::{image-card} /dot.png\n:alt: A dot\n:new-tab: maybe\n\nCaption.\n:::\n"
    )
    shutil.copy(tmp_path / "dot.png", source / "dot.png")
    app = make_app("html", srcdir=source)
    app.build()
    (warning,) = partnership_warnings(app.warning.getvalue())
    assert ":new-tab: must be true or false (or empty), not 'maybe'; using false" in warning
    assert "index.md:3" in warning
    assert main_content((app.outdir / "index.html").read_text()).select("figure.sp-card")


def test_lists_split_alike_in_options_and_data_files(make_app, tmp_path: Path) -> None:
    source = _project(
        tmp_path,
        "::::{timeline}\n:source: data.yaml\n\n"
        ":::{activity} 2022-06\n:tags: cloud, security\n\nA.\n:::\n::::\n",
    )
    (source / "data.yaml").write_text("- date: 2022-05\n  text: B.\n  tags: cloud, security\n")
    app = make_app("html", srcdir=source)
    app.build()
    content = main_content((app.outdir / "index.html").read_text())
    tags = [
        [value.get_text() for value in item.select(".sp-tags .sp-value")]
        for item in content.select("li")
    ]
    assert tags == [["cloud", "security"], ["cloud", "security"]]


def test_colon_fences_without_the_extension_are_one_clear_warning(make_app, tmp_path: Path) -> None:
    source = _project(tmp_path, "::::{timeline}\n\n:::{activity} 2022-06\nA.\n:::\n::::\n")
    app = make_app("html", srcdir=source, confoverrides={"myst_enable_extensions": []})
    app.build()
    (warning,) = partnership_warnings(app.warning.getvalue())
    assert "index.md:3" in warning
    assert "colon_fence" in warning
    assert "[partnerships.markup]" in warning


def _project(tmp_path: Path, body: str) -> Path:
    source = tmp_path / "project"
    source.mkdir(exist_ok=True)
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_partnerships"]\n'
        'myst_enable_extensions = ["colon_fence"]\nshow_warning_types = True\n'
    )
    (source / "index.md").write_text(f"# Project\n\n{body}")
    return source


# -- true places ---------------------------------------------------------------------


@pytest.mark.sphinx("html", testroot="locations")
def test_every_warning_points_at_its_true_file_and_line(app: SphinxTestApp) -> None:
    app.build()
    found = sorted(
        (Path(line.split(":")[0]).name, int(line.split(":")[1]), line.rsplit("[", 1)[1])
        for line in partnership_warnings(app.warning.getvalue())
    )
    assert found == [
        ("entries.yaml", 5, "partnerships.link]"),  # a link inside a data file's text
        ("index.md", 14, "partnerships.alt]"),  # :decorative: with :alt:
        ("index.md", 14, "partnerships.image]"),
        ("nested.rst", 10, "partnerships.field]"),  # nested in a timeline of an rST page
        ("r.rst", 10, "partnerships.field]"),  # after an include
        ("roles-rst.rst", 6, "partnerships.link]"),  # the role's own line, in rST too
        ("roles.md", 5, "partnerships.link]"),  # the role's own line in its paragraph
        ("snippet.rst", 3, "partnerships.field]"),  # in the included file
    ]
    roles = main_content((app.outdir / "roles.html").read_text())
    # ``!`` writes the text without a link; ``~`` is dropped from the shown title
    assert "not-a-link" in roles.get_text()
    assert roles.select_one("a:-soup-contains('not-a-link')") is None
    assert roles.select_one("a[href='#first']").get_text() == "first"
