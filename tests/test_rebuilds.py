"""Parallel and incremental builds of a 30-page project give the output of a clean build."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import partnership_warnings

COUNTRIES = ("Japan", "Malaysia", "Germany", "France", "Canada", "Israel", "Australia")
MAIN = re.compile(r'<div class="body" role="main">(.*?)</div>\s*</div>\s*</div>', re.S)


def write_project(root: Path) -> None:
    """Twenty-five pages of entries (every fifth in rST), a shared data file,
    the partner index, two project-wide views, a page of roles and an
    excluded draft: thirty pages."""
    (root / "pages").mkdir(parents=True)
    (root / "lists").mkdir()
    (root / "drafts").mkdir()
    (root / "data").mkdir()
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_partnerships"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'partnerships_project_exclude = ["drafts/*"]\n'
        'exclude_patterns = ["_build"]\n'
        'project = "Rebuilds"\n'
    )
    (root / "index.md").write_text(
        "# Rebuilds\n\n```{toctree}\n:glob:\n\nlists/*\npages/*\ndrafts/*\n```\n"
    )
    (root / "data" / "shared.yaml").write_text(
        "activities:\n"
        "  - date: 2020-01-05\n    text: Shared activity one.\n    partners: [Japan]\n"
        "  - date: 2020-02\n    text: Shared activity two.\n    partners: Canada\n"
    )
    for number in range(1, 26):
        (root / "pages" / page_name(number)).write_text(page_text(number))
    (root / "lists" / "partners.md").write_text(
        "# Partners\n\n:::{partner} Japan\n:kind: country\n\nA partner since 2019.\n:::\n\n"
        "::::{partner-index}\n::::\n"
    )
    (root / "lists" / "overview.md").write_text(
        "# Overview\n\n::::{timeline}\n:scope: project\n:limit: 12\n::::\n\n"
        "::::{award-list}\n:scope: project\n::::\n"
    )
    (root / "lists" / "roles.md").write_text(
        "# Roles\n\nSee {partner}`Japan`, {activity}`a-p03` and {award}`prize-p04`.\n"
    )
    (root / "drafts" / "draft.md").write_text(
        "# Draft\n\n:::{activity} 2024-01\n:partners: Korea, Japan\n\nA draft visit.\n:::\n"
    )


def page_name(number: int) -> str:
    return f"p{number:02d}.rst" if number % 5 == 0 else f"p{number:02d}.md"


def page_text(number: int) -> str:
    country = COUNTRIES[number % len(COUNTRIES)]
    other = COUNTRIES[(number + 3) % len(COUNTRIES)]
    month = number % 12 + 1
    source = ":source: /data/shared.yaml\n" if number in (1, 2) else ""
    if number % 5 == 0:
        return (
            f"Page {number}\n{'=' * (len(str(number)) + 5)}\n\n"
            f".. timeline::\n\n"
            f"   .. activity:: 2022-{month:02d}\n      :partners: {country}\n"
            f"      :id: a-p{number:02d}\n\n      Visit {number} in rST, see :activity:`a-p01`.\n\n"
            f".. award-list::\n\n"
            f"   .. award:: Prize {number}\n      :date: 2021\n      :id: prize-p{number:02d}\n\n"
            f"      Won on page {number}.\n"
        )
    return (
        f"# Page {number}\n\n::::{{timeline}}\n{source}\n"
        f":::{{activity}} 2022-{month:02d}\n:partners: {country}, {other}\n:tags: visit\n"
        f":id: a-p{number:02d}\n\nVisit {number} with {country}, see {{activity}}`a-p01`.\n:::\n\n"
        f":::{{activity}} 2021-{month:02d}-1{number % 9}\n:partners: {other}\n\n"
        f"Second visit of page {number}.\n:::\n::::\n\n"
        f"::::{{award-list}}\n\n:::{{award}} Prize {number}\n:date: 2021\n"
        f":id: prize-p{number:02d}\n:link: /lists/overview\n\nWon on page {number}.\n:::\n::::\n"
    )


def main_contents(outdir: Path) -> dict[str, str]:
    """Each page's main content: what entries change (the theme's navigation
    of neighbouring pages is Sphinx's own business)."""
    contents = {}
    for path in sorted(outdir.rglob("*.html")):
        match = MAIN.search(path.read_text(encoding="utf-8"))
        contents[path.relative_to(outdir).as_posix()] = match.group(1) if match else ""
    return contents


def html_files(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.html"))
    }


@pytest.fixture
def clean_build(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> Callable[..., Path]:
    """A clean build of a copy of ``source``; returns its output folder."""
    counter = iter(range(1000))

    def build(source: Path, parallel: int = 0) -> Path:
        copy = tmp_path / f"clean-{next(counter)}"
        shutil.copytree(source, copy, ignore=shutil.ignore_patterns("_build"))
        app = make_app("html", srcdir=copy, parallel=parallel, freshenv=True)
        app.build()
        return Path(app.outdir)

    return build


def test_parallel_output_equals_serial_byte_for_byte(tmp_path: Path, clean_build) -> None:
    source = tmp_path / "source"
    write_project(source)
    serial = html_files(clean_build(source, parallel=1))
    parallel = html_files(clean_build(source, parallel=4))
    assert len(serial) >= 30
    assert serial.keys() == parallel.keys()
    different = [name for name in serial if serial[name] != parallel[name]]
    assert different == []


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new))


CHANGES: list[tuple[str, Callable[[Path], None]]] = [
    ("edit an entry", lambda root: edit(root / "pages/p03.md", "Visit 3 with", "Trip 3 with")),
    ("change a date", lambda root: edit(root / "pages/p04.md", "2022-05", "2019-05")),
    ("rename an id", lambda root: edit(root / "pages/p03.md", ":id: a-p03", ":id: a-p03-new")),
    ("delete a page", lambda root: (root / "pages/p07.md").unlink()),
    ("add a page", lambda root: (root / "pages/p26.md").write_text(page_text(26))),
    (
        "move the partner index to another page",
        lambda root: (root / "lists/partners.md").rename(root / "lists/people.md"),
    ),
    (
        "name a draft's partner on another page",
        lambda root: edit(root / "pages/p08.md", ":partners: Malaysia, Canada", ":partners: Korea"),
    ),
    (
        "edit a data file",
        lambda root: edit(root / "data/shared.yaml", "Shared activity two.", "Shared visit two."),
    ),
    ("delete a data file", lambda root: (root / "data/shared.yaml").unlink()),
]


def test_incremental_builds_equal_clean_builds(
    make_app: Callable[..., SphinxTestApp], tmp_path: Path, clean_build
) -> None:
    source = tmp_path / "source"
    write_project(source)
    app = make_app("html", srcdir=source, builddir=source / "_build")
    app.build()
    assert partnership_warnings(app.warning.getvalue()) == []
    for what, change in CHANGES:
        change(source)
        app = make_app("html", srcdir=source, builddir=source / "_build")
        app.build()
        incremental = main_contents(Path(app.outdir))
        clean = main_contents(clean_build(source))
        # Sphinx never deletes the output of a deleted page: only what is built counts
        assert clean.keys() <= incremental.keys(), what
        stale = [name for name in clean if incremental[name] != clean[name]]
        assert stale == [], what


def test_stale_cases_are_fresh(make_app: Callable[..., SphinxTestApp], tmp_path: Path) -> None:
    """The two incremental builds once found stale, looked at directly."""
    source = tmp_path / "source"
    write_project(source)

    def build() -> Path:
        # without archive pages, partner names link to the partner index, which moves
        app = make_app(
            "html",
            srcdir=source,
            builddir=source / "_build",
            confoverrides={"partnerships_archives": []},
        )
        app.build()
        return Path(app.outdir)

    outdir = build()
    assert 'href="partners.html#partner-japan"' in (outdir / "lists/roles.html").read_text()
    draft = (outdir / "drafts/draft.html").read_text()
    assert "partner-korea" not in draft
    (source / "lists/partners.md").rename(source / "lists/people.md")
    edit(source / "pages/p08.md", ":partners: Malaysia, Canada", ":partners: Korea")
    outdir = build()
    roles = (outdir / "lists/roles.html").read_text()
    assert 'href="people.html#partner-japan"' in roles
    assert "partners.html" not in roles
    assert 'href="../lists/people.html#partner-korea"' in (outdir / "drafts/draft.html").read_text()
