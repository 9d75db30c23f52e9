"""``sphinx-partnerships migrate`` never destroys: what it reads, where it writes.

It reads only regular files of bounded size, writes only under ``--out`` (on the
resolved path), never over a page being migrated, over another file only with
``--force``; paths with control characters are refused, and front-matter text
never becomes markup: a migrated page with a hostile title builds, with
myst-parser, into a page that shows the title and includes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from docutils import nodes

from sphinx_partnerships.migrate import MAX_PAGE_MIB, Outputs, PageRefused

from .conftest import build
from .test_cli import run

NEWS = "---\ntitle: News\npermalink: /news.html\n---\n\nThe news.\n"


def page_file(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def files_under(folder: Path) -> dict[str, str]:
    """Every regular file under ``folder`` (not through links), and its text."""
    return {
        str(path.relative_to(folder)): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


# -- over the pages being migrated, and over existing files ---------------------------


@pytest.mark.parametrize("force", [False, True])
def test_a_page_is_never_written_over_itself(
    force: bool, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "inplace"
    news = page_file(folder, "news.md", NEWS)
    status, _, err = run(
        "migrate", news, "--out", folder, *(["--force"] if force else []), capsys=capsys
    )
    assert status == 2
    assert news.read_text(encoding="utf-8") == NEWS
    assert (
        f"{news}: error: {news} is a page being migrated: not written over, even with --force;"
        " give another --out"
    ) in err
    assert " -> " not in err


def test_a_page_is_never_written_over_another_page_being_migrated(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``first.md`` would become ``second.md``, the next page to migrate."""
    folder = tmp_path / "site"
    first = page_file(folder, "first.md", "---\ntitle: First\npermalink: /second.html\n---\n")
    second = page_file(folder, "second.md", "---\ntitle: Second\npermalink: /two/\n---\n")
    status, _, err = run("migrate", first, second, "--out", folder, "--force", capsys=capsys)
    assert status == 2
    assert f"{first}: error: {folder / 'second.md'} is a page being migrated" in err
    assert second.read_text(encoding="utf-8").startswith("---\ntitle: Second")
    assert (folder / "two" / "index.md").read_text(encoding="utf-8") == "# Second\n"


def test_a_hard_link_to_a_page_being_migrated_is_that_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = page_file(tmp_path / "old", "news.md", NEWS)
    out = tmp_path / "out"
    out.mkdir()
    os.link(news, out / "news.md")
    status, _, err = run("migrate", news, "--out", out, "--force", capsys=capsys)
    assert status == 2
    assert "is a page being migrated" in err
    assert news.read_text(encoding="utf-8") == NEWS


def test_an_existing_file_is_kept_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old"
    news = page_file(old, "news.md", NEWS)
    events = page_file(old, "events.md", "---\ntitle: Events\npermalink: /events/\n---\n")
    out = tmp_path / "out"
    mine = page_file(out, "news.md", "# My own page\n")
    status, _, err = run("migrate", news, events, "--out", out, capsys=capsys)
    assert status == 2
    assert mine.read_text(encoding="utf-8") == "# My own page\n"
    assert f"{news}: error: {mine} exists: not replaced without --force" in err
    assert f"{events} -> {out / 'events' / 'index.md'}\n" in err
    assert (out / "events" / "index.md").read_text(encoding="utf-8") == "# Events\n"


def test_force_replaces_existing_files_and_lists_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old"
    news = page_file(old, "news.md", NEWS)
    events = page_file(old, "events.md", "---\ntitle: Events\npermalink: /events/\n---\n")
    out = tmp_path / "out"
    mine = page_file(out, "news.md", "# My own page\n")
    elsewhere = tmp_path / "elsewhere.md"
    os.link(mine, elsewhere)
    status, _, err = run("migrate", news, events, "--out", out, "--force", capsys=capsys)
    assert status == 0, err
    assert f"{news} -> {mine} (replaced the file that was there)\n" in err
    assert f"{events} -> {out / 'events' / 'index.md'}\n" in err
    assert mine.read_text(encoding="utf-8") == "# News\n\nThe news.\n"
    # the file is swapped for a new one, not written through: its other name keeps its text
    assert elsewhere.read_text(encoding="utf-8") == "# My own page\n"
    assert sorted(path.name for path in out.iterdir()) == ["events", "news.md"]


def test_an_existing_folder_or_pipe_is_never_replaced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = page_file(tmp_path / "old", "news.md", NEWS)
    out = tmp_path / "out"
    (out / "news.md").mkdir(parents=True)
    status, _, err = run("migrate", news, "--out", out, "--force", capsys=capsys)
    assert status == 2
    assert f"{out / 'news.md'} is a folder, not a regular file: not replaced" in err
    assert (out / "news.md").is_dir()


def test_an_existing_report_is_kept_without_force_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = page_file(tmp_path / "old", "news.md", NEWS)
    report = page_file(tmp_path, "report.txt", "my notes\n")
    out = tmp_path / "out"
    status, _, err = run("migrate", news, "--out", out, "--report", report, capsys=capsys)
    assert status == 2
    assert f"error: {report} exists: not replaced without --force" in err
    assert report.read_text(encoding="utf-8") == "my notes\n"
    assert not out.exists()
    status, _, err = run(
        "migrate", news, "--out", out, "--report", report, "--force", capsys=capsys
    )
    assert status == 0, err
    assert f"{report}: replaced the file that was there" in err
    assert report.read_text(encoding="utf-8").startswith(f"{news}:1: ")


def test_the_report_is_never_written_over_a_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = page_file(tmp_path / "old", "news.md", NEWS)
    out = tmp_path / "out"
    status, _, err = run("migrate", news, "--out", out, "--report", news, "--force", capsys=capsys)
    assert status == 2
    assert f"error: {news} is a page being migrated: not written over, even with --force" in err
    assert news.read_text(encoding="utf-8") == NEWS
    status, _, err = run(
        "migrate", news, "--out", out, "--report", out / "news.md", "--force", capsys=capsys
    )
    assert status == 2
    assert f"error: {out / 'news.md'} is a page written just now: not written over" in err
    assert (out / "news.md").read_text(encoding="utf-8") == "# News\n\nThe news.\n"


# -- what is read ---------------------------------------------------------------------


def run_bounded(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    """The command in a process of its own, with bounded memory and time: a
    regression that reads forever fails the test instead of the machine."""

    def limit_memory() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))

    return subprocess.run(
        [sys.executable, "-m", "sphinx_partnerships", *map(str, arguments)],
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limit_memory,
        check=False,
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_and_a_device_are_refused_and_the_other_pages_converted(
    tmp_path: Path,
) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    news = page_file(tmp_path / "old", "news.md", NEWS)
    out = tmp_path / "out"
    pages: list[str | Path] = [fifo, news]
    if Path("/dev/zero").exists():
        pages.insert(1, "/dev/zero")
    result = run_bounded("migrate", *pages, "--out", out)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert f"{fifo}: error: cannot be read: it is a named pipe, not a regular file" in result.stderr
    if "/dev/zero" in pages:
        assert (
            "/dev/zero: error: cannot be read: it is a device, not a regular file" in result.stderr
        )
    assert (out / "news.md").read_text(encoding="utf-8") == "# News\n\nThe news.\n"


def test_a_folder_is_not_a_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "old.md"
    folder.mkdir()
    status, _, err = run("migrate", folder, "--out", tmp_path / "out", capsys=capsys)
    assert status == 2
    assert f"{folder}: error: cannot be read: it is a folder, not a regular file" in err


def test_a_page_over_the_limit_is_refused_and_the_others_converted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    large = tmp_path / "large.md"
    with large.open("wb") as file:
        file.truncate(MAX_PAGE_MIB * 2**20 + 1)
    news = page_file(tmp_path / "old", "news.md", NEWS)
    out = tmp_path / "out"
    status, _, err = run("migrate", large, news, "--out", out, capsys=capsys)
    assert status == 2
    assert f"{large}: error: cannot be read: it is larger than {MAX_PAGE_MIB} MiB" in err
    assert files_under(out) == {"news.md": "# News\n\nThe news.\n"}


def test_a_page_that_is_not_utf8_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin = tmp_path / "latin.md"
    latin.write_bytes("# Caf\u00e9\n".encode("latin-1"))
    status, _, err = run("migrate", latin, "--out", tmp_path / "out", capsys=capsys)
    assert status == 2
    assert f"{latin}: error: cannot be read: it is not UTF-8 text (invalid" in err


# -- paths ----------------------------------------------------------------------------


@pytest.mark.parametrize("control", ["\\0", "\\e", "\\n", "\\x7f", "\\x85"])
def test_a_permalink_with_a_control_character_is_not_a_path(
    control: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = page_file(
        tmp_path / "old",
        "news.md",
        f'---\ntitle: News\npermalink: "/a{control}b/"\nredirect_from: "/{control}[31mold"\n---\n',
    )
    out = tmp_path / "out"
    status, _, err = run("migrate", news, "--out", out, capsys=capsys)
    assert status == 0, err
    assert f"{news}:1: permalink '/a" in err
    assert "b/' holds a control character: written as news.md" in err
    assert files_under(out) == {"news.md": "# News\n"}
    # front-matter text in the notes cannot drive the terminal
    assert not any(char in err for char in "\0\x1b\x7f\x85")


def test_a_file_name_with_a_control_character_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    odd = page_file(tmp_path / "old", "new\x1bs.md", "# News\n")
    news = page_file(tmp_path / "old", "news.md", NEWS)
    out = tmp_path / "out"
    status, _, err = run("migrate", odd, news, "--out", out, capsys=capsys)
    assert status == 2
    assert "new\\x1bs.md' holds a control character: not written" in err
    assert "\x1b" not in err
    assert files_under(out) == {"news.md": "# News\n\nThe news.\n"}


@pytest.mark.parametrize(
    ("permalink", "written"),
    [
        ("/../../escaped/", "news.md"),
        ("/a/../../../escaped.html", "news.md"),
        ("/..\\\\..\\\\escaped.html", "news.md"),  # a folder on Windows
        ("//inside/", "inside/index.md"),
    ],
)
def test_a_permalink_never_leads_outside_out(
    permalink: str, written: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    news = page_file(tmp_path / "old" / "deep", "news.md", f'---\npermalink: "{permalink}"\n---\n')
    out = tmp_path / "out" / "deep"
    status, _, err = run("migrate", news, "--out", out, capsys=capsys)
    assert status == 0, err
    assert [name for name in files_under(tmp_path) if not name.startswith("old/")] == [
        f"out/deep/{written}"
    ]
    if written == "news.md":
        assert "cannot be a path: written as news.md" in err


def test_a_path_under_out_is_checked_again_before_writing(tmp_path: Path) -> None:
    outputs = Outputs(tmp_path / "out", [], replace=True)
    for path in ("../escaped.md", "/escaped.md", "a/../../escaped.md"):
        with pytest.raises(PageRefused, match="is not inside"):
            outputs.target(PurePosixPath(path))


def test_a_symbolic_link_under_out_never_leads_outside(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old"
    news = page_file(old, "news.md", "---\ntitle: News\npermalink: /news/\n---\n")
    events = page_file(old, "events.md", "---\ntitle: Events\npermalink: /events.html\n---\n")
    kept = page_file(old, "kept.md", "---\ntitle: Kept\npermalink: /inside/kept.html\n---\n")
    outside = tmp_path / "outside"
    victim = page_file(outside, "victim.md", "not yours\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "news").symlink_to(outside, target_is_directory=True)
    (out / "events.md").symlink_to(victim)
    (out / "real").mkdir()
    (out / "inside").symlink_to(out / "real", target_is_directory=True)
    status, _, err = run("migrate", news, events, kept, "--out", out, "--force", capsys=capsys)
    assert status == 2
    assert (
        f"{news}: error: {out / 'news' / 'index.md'} leads to {outside.resolve() / 'index.md'},"
        f" outside {out} (through a symbolic link): not written"
    ) in err
    assert f"{events}: error: {out / 'events.md'} leads to {victim.resolve()}" in err
    assert files_under(outside) == {"victim.md": "not yours\n"}
    # a link that stays inside the folder is followed
    assert f"{kept} -> {out / 'inside' / 'kept.md'}\n" in err
    assert (out / "real" / "kept.md").read_text(encoding="utf-8") == "# Kept\n"


# -- front-matter text is never markup ------------------------------------------------

HOSTILE_TITLE = """\
Partners
```{include} secret.txt
```
:::{raw} html
<script>alert("title")</script>
:::
{{ secret }} {sub-ref}`today` <b>bold</b> [link](javascript:alert(1))
**strong** $x^2$ &amp; ~~gone~~ \\*kept\\* {#anchor} R&D &#169; ##"""

HOSTILE_PAGE = f"""\
---
title: |
{"".join(f"  {line}" + chr(10) for line in HOSTILE_TITLE.splitlines())}\
description: |
  Our partners.
  ---
  ```{{include}} secret.txt
  ```
permalink: /partners/
---

The partners page.
"""

CONF = """\
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = [
    "colon_fence", "substitution", "dollarmath", "attrs_inline", "html_image", "strikethrough"
]
myst_substitutions = {"secret": "SUBSTITUTED"}
suppress_warnings = ["myst.strikethrough"]
smartquotes = False  # the title is compared as written
exclude_patterns = ["_build", "secret.txt"]
"""


def test_a_hostile_title_builds_as_its_text_and_includes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = page_file(tmp_path / "old", "partners.md", HOSTILE_PAGE)
    srcdir = tmp_path / "src"
    status, _, err = run("migrate", page, "--out", srcdir, capsys=capsys)
    assert status == 0, err
    migrated = (srcdir / "partners" / "index.md").read_text(encoding="utf-8")
    heading = next(line for line in migrated.splitlines() if line.startswith("# "))
    assert migrated.count("\n# ") == 1, migrated
    assert heading.startswith("# Partners \\`\\`\\`\\{include\\} secret.txt"), heading
    page_file(srcdir, "secret.txt", "SECRET-INCLUDED\n")
    page_file(srcdir, "conf.py", CONF)
    page_file(srcdir, "index.md", "# Home\n\n```{toctree}\npartners/index\n```\n")
    built = build(srcdir, tmp_path / "build", "html")
    assert built.warnings == ""
    html = (built.outdir / "partners" / "index.html").read_text(encoding="utf-8")
    content = built.page("partners/index")
    shown = " ".join(HOSTILE_TITLE.split())
    title = content.select_one("h1")
    assert title is not None
    assert title.get_text().removesuffix("¶") == shown
    assert [element.name for element in title.find_all(True)] == ["a"]  # the headerlink only
    assert "SECRET-INCLUDED" not in html
    assert "SUBSTITUTED" not in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html
    assert content.select("div.math, span.math, del, s, strong, b") == []
    assert content.get_text(" ", strip=True).endswith("The partners page.")
    head = html[: html.index("</head>")]
    assert 'content="Our partners. --- ```{include} secret.txt ```"' in head
    doctree = built.app.env.get_doctree("partners/index")
    assert list(doctree.findall(nodes.raw)) == []
    assert list(doctree.findall(nodes.literal_block)) == []
    sections = list(doctree.findall(nodes.section))
    assert len(sections) == 1
    assert sections[0][0].astext() == shown
