"""The files the extension writes: never another's, never left behind.

Archive pages, feeds and ``partnerships.json`` each take a file of their
own: a file the writer's pages, extra or static files already give the
output folder is theirs, and two outputs never share one. After any change,
an incremental build leaves the output folder as a clean build of the same
sources makes it, but for what plain Sphinx itself leaves behind (the files
of a deleted page, empty entries of the search index, ``.buildinfo.bak``).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import partnership_warnings

Syntax = str
MakeApp = Callable[..., SphinxTestApp]

CONF = """\
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
project = "Outputs"
author = "Writers"
language = "en"
exclude_patterns = ["_build"]
show_warning_types = True
html_baseurl = "https://example.org/"
partnerships_feeds = {
    "activities": "feeds/activities.atom",
    "awards": "feeds/awards.atom",
    "tags": "feeds/tags/{tag}.atom",
}
"""

MD_PAGES = {
    "index.md": "# Outputs\n\n```{toctree}\nnews/visits\noverview\npartners\n```\n",
    "news/visits.md": (
        "# Visits\n\n::::{timeline}\n\n"
        ":::{activity} 2022-06\n:partners: Japan\n:tags: visit\n:id: tokyo\n\nTokyo visit.\n:::\n\n"
        ":::{activity} 2021-03\n:partners: Japan, Canada\n:tags: visit, forum\n\n"
        "A forum in Ottawa.\n:::\n::::\n"
    ),
    "overview.md": (
        "# Overview\n\n::::{timeline}\n:scope: project\n::::\n\n"
        "::::{award-list}\n:scope: project\n::::\n"
    ),
    "partners.md": "# Partners\n\n::::{partner-index}\n::::\n",
    # the only page naming Malaysia, "talk", "prize", 2018 and 2019
    "news/lone.md": (
        "---\norphan: true\n---\n\n# Lone\n\n"
        ":::{activity} 2019-05\n:partners: Malaysia\n:tags: talk\n\n"
        "A talk in Kuala Lumpur.\n:::\n\n"
        ":::{award} Lone Prize\n:date: 2018\n:tags: prize\n\nA prize.\n:::\n"
    ),
}

RST_PAGES = {
    "index.rst": "Outputs\n=======\n\n.. toctree::\n\n   news/visits\n   overview\n   partners\n",
    "news/visits.rst": (
        "Visits\n======\n\n.. timeline::\n\n"
        "   .. activity:: 2022-06\n      :partners: Japan\n      :tags: visit\n      :id: tokyo\n\n"
        "      Tokyo visit.\n\n"
        "   .. activity:: 2021-03\n      :partners: Japan, Canada\n      :tags: visit, forum\n\n"
        "      A forum in Ottawa.\n"
    ),
    "overview.rst": (
        "Overview\n========\n\n.. timeline::\n   :scope: project\n\n"
        ".. award-list::\n   :scope: project\n"
    ),
    "partners.rst": "Partners\n========\n\n.. partner-index::\n",
    "news/lone.rst": (
        ":orphan:\n\nLone\n====\n\n"
        ".. activity:: 2019-05\n   :partners: Malaysia\n   :tags: talk\n\n"
        "   A talk in Kuala Lumpur.\n\n"
        ".. award:: Lone Prize\n   :date: 2018\n   :tags: prize\n\n   A prize.\n"
    ),
}


def write_project(root: Path, syntax: Syntax, conf: str = CONF) -> None:
    pages = MD_PAGES if syntax == "md" else RST_PAGES
    for name, text in {"conf.py": conf, **pages}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def set_conf(root: Path, line: str) -> None:
    with (root / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(line + "\n")


def output_tree(outdir: Path) -> dict[str, bytes | None]:
    """Every file (its bytes) and folder (``None``) of an output folder.

    Two things plain Sphinx leaves after any removed page are set aside:
    ``.buildinfo.bak``, its copy of the settings of the build before a
    change, and the search index's entries for words no page has any more
    (``"talk": []``).
    """
    tree: dict[str, bytes | None] = {}
    for path in sorted(outdir.rglob("*")):
        name = path.relative_to(outdir).as_posix()
        if name == ".buildinfo.bak":
            continue
        if path.is_dir():
            tree[name] = None
        elif name == "searchindex.js":
            tree[name] = _search_index_without_empty_words(path.read_text(encoding="utf-8"))
        else:
            tree[name] = path.read_bytes()
    return tree


def _search_index_without_empty_words(text: str) -> bytes:
    match = re.fullmatch(r"Search\.setIndex\((.*)\)", text.strip(), re.S)
    assert match is not None
    index = json.loads(match.group(1))
    for words in ("terms", "titleterms"):
        index[words] = {word: at for word, at in index[words].items() if at != []}
    return json.dumps(index, sort_keys=True).encode()


def page_file(builder: str, docname: str) -> str:
    return f"{docname}.html" if builder == "html" else f"{docname}/index.html"


def deleted_page_files(builder: str, docname: str, suffix: str) -> set[str]:
    """What plain Sphinx leaves of a deleted page: its HTML and its source copy."""
    left = {page_file(builder, docname), f"_sources/{docname}{suffix}.txt"}
    if builder == "dirhtml":
        left.add(docname)
    return left


def clean_build(source: Path, target: Path, builder: str) -> Path:
    """A fresh build of a copy of ``source``, in a folder of its own."""
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target / "src", ignore=shutil.ignore_patterns("_build"))
    app = SphinxTestApp(builder, srcdir=target / "src", builddir=target / "build", freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir)


def incremental_build(source: Path, builder: str) -> tuple[Path, str]:
    app = SphinxTestApp(builder, srcdir=source, builddir=source / "_build")
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), app.warning.getvalue()


def _without_awards_feed(root: Path) -> None:
    set_conf(root, 'partnerships_feeds = {"activities": "atom/all.xml", "tags": "atom/{tag}.xml"}')


CHANGES: list[tuple[str, Callable[[Path, Syntax], None]]] = [
    (
        "delete the only page naming a partner, two tags and two years",
        lambda root, syntax: (root / f"news/lone.{syntax}").unlink(),
    ),
    (
        "remove a tag",
        lambda root, syntax: edit(root / f"news/visits.{syntax}", "visit, forum", "visit"),
    ),
    (
        "remove a partner",
        lambda root, syntax: edit(root / f"news/visits.{syntax}", "Japan, Canada", "Japan"),
    ),
    (
        "fewer kinds of archive pages",
        lambda root, syntax: set_conf(root, 'partnerships_archives = ["tags", "years"]'),
    ),
    (
        "another archive prefix",
        lambda root, syntax: set_conf(root, 'partnerships_archive_prefix = "explore/by"'),
    ),
    ("other feed paths, no awards feed", lambda root, syntax: _without_awards_feed(root)),
    ("no export", lambda root, syntax: set_conf(root, "partnerships_json_export = False")),
    (
        "no archive pages and no feeds",
        lambda root, syntax: set_conf(root, "partnerships_archives = []\npartnerships_feeds = {}"),
    ),
    (
        "archive pages, feeds and export again",
        lambda root, syntax: set_conf(
            root,
            'partnerships_archives = ["tags", "partners", "years"]\n'
            'partnerships_feeds = {"tags": "feeds/{tag}.atom"}\n'
            "partnerships_json_export = True",
        ),
    ),
]


@pytest.mark.parametrize("syntax", ["md", "rst"])
@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_after_every_change_the_output_is_a_clean_builds(
    tmp_path: Path, builder: str, syntax: Syntax
) -> None:
    source = tmp_path / "source"
    write_project(source, syntax)
    outdir, warnings = incremental_build(source, builder)
    assert partnership_warnings(warnings) == []
    first = output_tree(outdir)
    made_first = {"partnerships.json", "feeds/tags/talk.atom", "feeds/tags/prize.atom"}
    made_first.add(page_file(builder, "archives/partners/malaysia"))
    assert made_first <= first.keys()
    sphinx_leaves: set[str] = set()
    for what, change in CHANGES:
        change(source, syntax)
        if not (source / f"news/lone.{syntax}").exists():
            sphinx_leaves = deleted_page_files(builder, "news/lone", f".{syntax}")
        outdir, warnings = incremental_build(source, builder)
        assert partnership_warnings(warnings) == [], what
        incremental = output_tree(outdir)
        clean = output_tree(clean_build(source, tmp_path / "clean", builder))
        # plain Sphinx keeps the files of a deleted page: the extension leaves them too
        assert sphinx_leaves <= incremental.keys(), what
        left = sorted(incremental.keys() - clean.keys() - sphinx_leaves)
        missing = sorted(clean.keys() - incremental.keys())
        assert (left, missing) == ([], []), what
        differ = sorted(name for name in clean if incremental[name] != clean[name])
        assert differ == [], what


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_a_new_template_is_on_the_archive_pages_too(tmp_path: Path, builder: str) -> None:
    source = tmp_path / "source"
    write_project(source, "md")
    set_conf(source, 'templates_path = ["_templates"]')
    layout = source / "_templates/layout.html"
    layout.parent.mkdir()
    footer = '{%% extends "!layout.html" %%}{%% block footer %%}<p>%s</p>{%% endblock %%}\n'
    layout.write_text(footer % "Footer one")
    outdir, _warnings = incremental_build(source, builder)
    archive = outdir / page_file(builder, "archives/tags/visit")
    assert "<p>Footer one</p>" in archive.read_text()
    layout.write_text(footer % "Footer two")
    later = time.time() + 5
    os.utime(layout, (later, later))
    outdir, _warnings = incremental_build(source, builder)
    assert "<p>Footer two</p>" in archive.read_text()
    assert "<p>Footer one</p>" not in archive.read_text()


# -- a file of the extension's that is no longer its own ---------------------------------


def test_a_file_edited_since_it_was_written_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_project(source, "md")
    outdir, _warnings = incremental_build(source, "html")
    edited = outdir / "archives/tags/talk.html"
    edited.write_bytes(edited.read_bytes() + b"<!-- kept by hand -->\n")
    (source / "news/lone.md").unlink()
    outdir, _warnings = incremental_build(source, "html")
    assert edited.read_bytes().endswith(b"<!-- kept by hand -->\n")
    assert not (outdir / "archives/tags/prize.html").exists()
    assert not (outdir / "feeds/tags/talk.atom").exists()
    # and never again: it is no longer noted as the extension's
    set_conf(source, "partnerships_archives = []")
    incremental_build(source, "html")
    assert edited.is_file()


def test_a_writers_copy_of_an_output_is_never_removed(tmp_path: Path) -> None:
    """The writer publishes the export themselves, byte for byte as the
    extension wrote it, and turns the export off."""
    source = tmp_path / "source"
    write_project(source, "md")
    outdir, _warnings = incremental_build(source, "html")
    (source / "extra").mkdir()
    written = (outdir / "partnerships.json").read_bytes()
    (source / "extra/partnerships.json").write_bytes(written)
    set_conf(source, 'html_extra_path = ["extra"]\npartnerships_json_export = False')
    outdir, warnings = incremental_build(source, "html")
    assert partnership_warnings(warnings) == []
    assert (outdir / "partnerships.json").read_bytes() == written


def test_only_files_inside_the_output_folder_are_removed(tmp_path: Path) -> None:
    """The note of what was written names files; one naming a file outside
    the output folder, or a folder, is not acted on."""
    source = tmp_path / "source"
    write_project(source, "md")
    outdir, _warnings = incremental_build(source, "html")
    outside = tmp_path / "outside.txt"
    outside.write_text("mine")
    manifest = source / "_build/doctrees/partnerships-outputs.json"
    notes = json.loads(manifest.read_text(encoding="utf-8"))
    (folder,) = notes["folders"].values()
    assert "archives/tags/talk.html" in folder
    digest = hashlib.sha256(b"mine").hexdigest()
    folder["../../../outside.txt"] = digest
    folder[str(outside)] = digest
    folder["_static"] = digest
    manifest.write_text(json.dumps(notes), encoding="utf-8")
    incremental_build(source, "html")
    assert outside.read_text() == "mine"
    assert (outdir / "_static").is_dir()


# -- collisions ---------------------------------------------------------------------------


def output_warnings(warnings: str) -> list[str]:
    return [line for line in partnership_warnings(warnings) if "[partnerships.output]" in line]


def test_the_writers_extra_and_static_files_are_kept(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_project(source, "md")
    (source / "extra/feeds").mkdir(parents=True)
    (source / "extra/partnerships.json").write_text('{"mine": true}\n')
    (source / "extra/feeds/activities.atom").write_text("<feed>mine</feed>\n")
    (source / "static").mkdir()
    (source / "static/awards.atom").write_text("<feed>my awards</feed>\n")
    set_conf(
        source,
        'html_extra_path = ["extra"]\nhtml_static_path = ["static"]\n'
        'partnerships_feeds = {"activities": "feeds/activities.atom",'
        ' "awards": "_static/awards.atom"}',
    )
    outdir, warnings = incremental_build(source, "html")
    assert output_warnings(warnings) == [
        "WARNING: partnerships.json is not written: the file 'extra/partnerships.json' of"
        " html_extra_path is written to the same file 'partnerships.json' (rename it, or"
        " change partnerships_json_export) [partnerships.output]",
        "WARNING: the feed 'activities' is not written: the file"
        " 'extra/feeds/activities.atom' of html_extra_path is written to the same file"
        " 'feeds/activities.atom' (rename it, or change partnerships_feeds)"
        " [partnerships.output]",
        "WARNING: the feed 'awards' is not written: the file 'static/awards.atom' of"
        " html_static_path is written to the same file '_static/awards.atom' (rename it, or"
        " change partnerships_feeds) [partnerships.output]",
    ]
    assert (outdir / "partnerships.json").read_text() == '{"mine": true}\n'
    assert (outdir / "feeds/activities.atom").read_text() == "<feed>mine</feed>\n"
    assert (outdir / "_static/awards.atom").read_text() == "<feed>my awards</feed>\n"
    # pages do not name a feed the build does not write
    assert "application/atom+xml" not in (outdir / "overview.html").read_text()
    # once the writer's files go, the next build writes the extension's
    shutil.rmtree(source / "extra")
    shutil.rmtree(source / "static")
    outdir, warnings = incremental_build(source, "html")
    assert output_warnings(warnings) == []
    assert json.loads((outdir / "partnerships.json").read_text())["project"] == "Outputs"
    assert "<feed>mine</feed>" not in (outdir / "feeds/activities.atom").read_text()
    assert "application/atom+xml" in (outdir / "overview.html").read_text()


def test_a_file_that_becomes_the_writers_is_kept(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_project(source, "md")
    outdir, _warnings = incremental_build(source, "html")
    assert json.loads((outdir / "partnerships.json").read_text())["project"] == "Outputs"
    (source / "extra").mkdir()
    (source / "extra/partnerships.json").write_text('{"mine": true}\n')
    set_conf(source, 'html_extra_path = ["extra"]')
    outdir, warnings = incremental_build(source, "html")
    assert len(output_warnings(warnings)) == 1
    assert (outdir / "partnerships.json").read_text() == '{"mine": true}\n'


def test_a_data_file_tag_named_like_a_feed_leaves_the_feed_alone(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_project(source, "md")
    (source / "data.yaml").write_text(
        "activities:\n  - date: 2020-02\n    text: A tag named like a feed.\n"
        "    tags: [Activities]\n"
    )
    (source / "tagged.md").write_text(
        "---\norphan: true\n---\n\n# Tagged\n\n::::{timeline}\n:source: /data.yaml\n::::\n"
    )
    set_conf(
        source,
        'partnerships_feeds = {"activities": "feeds/activities.atom", "tags": "feeds/{tag}.atom"}',
    )
    outdir, warnings = incremental_build(source, "html")
    assert output_warnings(warnings) == [
        "WARNING: the feed of the tag 'Activities' is not written: the feed 'activities' is"
        " written to the same file 'feeds/activities.atom' (change partnerships_feeds)"
        " [partnerships.output]"
    ]
    feed = (outdir / "feeds/activities.atom").read_text()
    assert "<title>Outputs: activities</title>" in feed
    # every activity, the one tagged "Activities" too
    assert feed.count("<entry>") == 4
    assert "A tag named like a feed." in feed
    assert (outdir / "feeds/visit.atom").is_file()


def test_an_archive_page_keeps_its_file_from_a_feed(tmp_path: Path) -> None:
    source = tmp_path / "source"
    write_project(source, "md")
    set_conf(source, 'partnerships_feeds = {"tags": "archives/tags/{tag}.html"}')
    outdir, warnings = incremental_build(source, "html")
    shared = [line for line in output_warnings(warnings) if "'visit'" in line]
    assert shared == [
        "WARNING: the feed of the tag 'visit' is not written: the archive page"
        " 'archives/tags/visit' is written to the same file 'archives/tags/visit.html'"
        " (change partnerships_feeds)"
        " [partnerships.output]"
    ]
    assert len(output_warnings(warnings)) == 4  # forum, prize, talk, visit
    assert (outdir / "archives/tags/visit.html").read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("syntax", ["md", "rst"])
def test_a_writers_page_keeps_the_file_an_archive_page_would_take(
    tmp_path: Path, syntax: Syntax
) -> None:
    """In dirhtml, ``archives/tags/visit/index`` is written where the archive
    page ``archives/tags/visit`` would be."""
    source = tmp_path / "source"
    write_project(source, syntax)
    page = source / f"archives/tags/visit/index.{syntax}"
    page.parent.mkdir(parents=True)
    title = "My visits\n=========\n" if syntax == "rst" else "# My visits\n"
    page.write_text((":orphan:\n\n" if syntax == "rst" else "---\norphan: true\n---\n\n") + title)
    outdir, warnings = incremental_build(source, "dirhtml")
    assert output_warnings(warnings) == [
        f"{page}: WARNING: the archive page 'archives/tags/visit' is not written: the page"
        " 'archives/tags/visit/index' is written to the same file"
        " 'archives/tags/visit/index.html' (rename it, or change partnerships_archive_prefix)"
        " [partnerships.output]"
    ]
    written = (outdir / "archives/tags/visit/index.html").read_text()
    assert "My visits" in written
    assert "Tag: visit" not in written
    # the tag is text where the archive page is not made; other tags keep theirs
    visits = (outdir / "news/visits/index.html").read_text()
    assert 'href="../../archives/tags/visit/"' not in visits
    assert 'href="../../archives/tags/forum/"' in visits
    # in html the two are different files
    source_html = tmp_path / "html"
    shutil.copytree(source, source_html, ignore=shutil.ignore_patterns("_build"))
    outdir, warnings = incremental_build(source_html, "html")
    assert output_warnings(warnings) == []
    assert "Tag: visit" in (outdir / "archives/tags/visit.html").read_text()
    assert "My visits" in (outdir / "archives/tags/visit/index.html").read_text()


def test_a_renamed_page_takes_the_file_back_from_an_archive_page(tmp_path: Path) -> None:
    """The archive page was written first; then the writer's page takes its
    file, which is not removed as the archive page's when that is no longer made."""
    source = tmp_path / "source"
    write_project(source, "md")
    outdir, _warnings = incremental_build(source, "dirhtml")
    assert "Tag: visit" in (outdir / "archives/tags/visit/index.html").read_text()
    page = source / "archives/tags/visit/index.md"
    page.parent.mkdir(parents=True)
    page.write_text("---\norphan: true\n---\n\n# My visits\n")
    outdir, warnings = incremental_build(source, "dirhtml")
    assert len(output_warnings(warnings)) == 1
    assert "My visits" in (outdir / "archives/tags/visit/index.html").read_text()
    # the file stays the writer's page once the archive page would be made no more
    edit(source / "news/visits.md", ":tags: visit\n", ":tags: trip\n")
    edit(source / "news/visits.md", ":tags: visit, forum", ":tags: trip, forum")
    outdir, warnings = incremental_build(source, "dirhtml")
    assert output_warnings(warnings) == []
    assert "My visits" in (outdir / "archives/tags/visit/index.html").read_text()
