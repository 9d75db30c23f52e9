"""Atom feeds: absolute links that keep Read the Docs' /en/latest/, stable ids,
dates from the entries, the same bytes from every build, a link in the head of
the pages that show their entries."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from sphinx.testing.util import SphinxTestApp

from sphinx_partnerships.feeds import check_feed_settings, site_address

from .conftest import ROOTS, partnership_warnings

BASE = "https://example.org/en/latest/"
ATOM = "{http://www.w3.org/2005/Atom}"
FEEDS = ("feeds/activities.atom", "feeds/awards.atom")
TAG_FEEDS = ("agreement", "bilateral", "smart-city", "visit")
ACTIVITY_IDS = (
    "second-visit-of-june-after-the-first-in-2022-06",
    "moh-malaysia-visit",
    "moc-japan",
    "study-visit-from-germany-r-d-talks-where-3-2020",
)


def copy_root(tmp_path: Path, name: str = "src") -> Path:
    source = tmp_path / name
    shutil.copytree(ROOTS / "test-feeds", source)
    return source


def build(
    source: Path, builder: str = "html", *, parallel: int = 0, fresh: bool = True, **conf: Any
) -> SphinxTestApp:
    app = SphinxTestApp(
        builder,
        srcdir=source,
        builddir=source / "_build",
        freshenv=fresh,
        parallel=parallel,
        confoverrides=conf or None,
    )
    try:
        app.build()
    finally:
        app.cleanup()
    return app


def feed_files(outdir: Path) -> dict[str, bytes]:
    return {
        path.relative_to(outdir).as_posix(): path.read_bytes()
        for path in sorted(outdir.rglob("*.atom"))
    }


@pytest.fixture(scope="module")
def html(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return build(copy_root(tmp_path_factory.mktemp("html")), "html")


@pytest.fixture(scope="module")
def dirhtml(tmp_path_factory: pytest.TempPathFactory) -> SphinxTestApp:
    return build(copy_root(tmp_path_factory.mktemp("dirhtml")), "dirhtml")


def parsed(app: SphinxTestApp, path: str) -> Any:
    feed = feedparser.parse((app.outdir / path).read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def follow(outdir: Path, url: str) -> None:
    """The file and the anchor an absolute link of the feed lands on."""
    assert url.startswith(BASE), url
    parts = urlsplit(url[len(BASE) :])
    target = outdir / parts.path
    if not parts.path or parts.path.endswith("/"):
        target = target / "index.html"
    assert target.is_file(), url
    if parts.fragment:
        page = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
        assert page.find(id=parts.fragment) is not None, url


def head_feeds(outdir: Path, page: str) -> list[tuple[str, str]]:
    soup = BeautifulSoup((outdir / page).read_text(encoding="utf-8"), "html.parser")
    assert soup.head is not None
    links = soup.head.select('link[rel=alternate][type="application/atom+xml"]')
    return [(str(link["title"]), str(link["href"])) for link in links]


def test_the_build_is_clean(html: SphinxTestApp, dirhtml: SphinxTestApp) -> None:
    assert partnership_warnings(html.warning.getvalue()) == []
    assert partnership_warnings(dirhtml.warning.getvalue()) == []


def test_activities_feed_holds_every_counted_activity_newest_first(html: SphinxTestApp) -> None:
    feed = parsed(html, "feeds/activities.atom")
    assert feed.version == "atom10"
    assert feed.feed.title == "Feeds: activities"
    assert feed.feed.id == BASE + "feeds/activities.atom"
    assert feed.feed.updated == "2022-06-01T00:00:00Z"
    assert feed.feed.author == "Feed Writers"
    assert [entry.id.rpartition("#")[2] for entry in feed.entries] == list(ACTIVITY_IDS)
    dates = [entry.updated for entry in feed.entries]
    assert dates == ["2022-06-01T00:00:00Z"] * 2 + ["2021-11-05T00:00:00Z", "2020-01-01T00:00:00Z"]
    assert [entry.published for entry in feed.entries] == dates
    # the draft page is left out of project-wide views, and of the feeds
    assert all("draft" not in entry.id for entry in feed.entries)
    malaysia = feed.entries[1]
    assert (
        malaysia.title == "Visit by Malaysia\u2019s Minister of Health & his delegation <to>\u2026"
    )
    assert malaysia.summary.endswith("<to> the agency.")
    assert [tag.term for tag in malaysia.tags] == ["visit", "bilateral"]
    assert [link.href for link in malaysia.links if link.rel == "related"] == [
        "https://example.org/news/moh-visit"
    ]


def test_awards_feed(html: SphinxTestApp) -> None:
    feed = parsed(html, "feeds/awards.atom")
    assert [entry.title for entry in feed.entries] == ["SCAPA 2021", "Digital Service Award"]
    scapa, service = feed.entries
    assert scapa.id == BASE + "awards.html#scapa-2021"
    assert scapa.summary == "For winning the Smart City Asia Pacific Awards."
    # an award without words: who gave it
    assert service.summary == "Organizer: A Jury."
    assert feed.feed.link == BASE + "awards.html"


def test_tag_feeds_hold_activities_and_awards(html: SphinxTestApp) -> None:
    assert sorted(feed_files(html.outdir)) == sorted(
        [*FEEDS, *(f"feeds/tags/{tag}.atom" for tag in TAG_FEEDS)]
    )
    visit = parsed(html, "feeds/tags/visit.atom")
    assert visit.feed.title == "Feeds: visit"
    assert len(visit.entries) == 3
    city = parsed(html, "feeds/tags/smart-city.atom")
    assert city.feed.title == "Feeds: smart city"
    assert [entry.title for entry in city.entries] == ["SCAPA 2021"]


def test_text_stays_text(html: SphinxTestApp) -> None:
    """Words from pages and data files are escaped text, never markup."""
    data = (html.outdir / "feeds/activities.atom").read_bytes()
    root = ElementTree.fromstring(data)
    summaries = [element.text for element in root.iter(f"{ATOM}summary")]
    assert "Study visit from Germany: R&D talks where 3 < 5 and ]]> stays text." in summaries
    assert all(element.get("type") == "text" for element in root.iter(f"{ATOM}summary"))
    assert b"3 &lt; 5" in data
    assert b"<to>" not in data


@pytest.mark.parametrize("builder", ["html", "dirhtml"])
def test_every_link_lands_on_its_entry(
    builder: str, html: SphinxTestApp, dirhtml: SphinxTestApp
) -> None:
    app = html if builder == "html" else dirhtml
    for path in feed_files(app.outdir):
        feed = parsed(app, path)
        follow(app.outdir, feed.feed.link)
        assert feed.feed.id == BASE + path
        for entry in feed.entries:
            assert entry.link.startswith(BASE)
            assert entry.id == entry.link
            follow(app.outdir, entry.link)


def test_dirhtml_links_are_folders(dirhtml: SphinxTestApp) -> None:
    feed = parsed(dirhtml, "feeds/activities.atom")
    assert feed.entries[1].link == BASE + "news/visit/#moh-malaysia-visit"
    assert parsed(dirhtml, "feeds/awards.atom").entries[0].link == BASE + "awards/#scapa-2021"


def test_html_links_are_files(html: SphinxTestApp) -> None:
    feed = parsed(html, "feeds/activities.atom")
    assert feed.entries[1].link == BASE + "news/visit.html#moh-malaysia-visit"


@pytest.mark.parametrize(
    ("page", "titles"),
    [
        (
            "news/visit.html",
            ["Feeds: activities", "Feeds: agreement", "Feeds: bilateral", "Feeds: visit"],
        ),
        ("news/more.html", ["Feeds: activities", "Feeds: bilateral", "Feeds: visit"]),
        ("awards.html", ["Feeds: awards", "Feeds: smart city"]),
        ("index.html", []),
        ("about.html", []),
        ("drafts/draft.html", []),
    ],
)
def test_pages_that_show_entries_advertise_their_feeds(
    html: SphinxTestApp, page: str, titles: list[str]
) -> None:
    links = head_feeds(html.outdir, page)
    assert [title for title, _href in links] == titles
    for _title, href in links:
        assert (html.outdir / page).parent.joinpath(href).resolve().is_file()


def test_dirhtml_head_links_are_relative(dirhtml: SphinxTestApp) -> None:
    assert head_feeds(dirhtml.outdir, "awards/index.html")[0] == (
        "Feeds: awards",
        "../feeds/awards.atom",
    )


def test_two_builds_give_the_same_bytes(html: SphinxTestApp, tmp_path: Path) -> None:
    again = build(copy_root(tmp_path), "html")
    assert feed_files(again.outdir) == feed_files(html.outdir)


def test_parallel_build_gives_the_serial_feeds(html: SphinxTestApp, tmp_path: Path) -> None:
    parallel = build(copy_root(tmp_path), "html", parallel=2)
    assert feed_files(parallel.outdir) == feed_files(html.outdir)


def move_japan_to_2023(source: Path) -> None:
    page = source / "news" / "visit.md"
    page.write_text(page.read_text().replace("2021-11-05", "2023-01-02"))


def test_incremental_build_gives_the_fresh_feeds(tmp_path: Path) -> None:
    source = copy_root(tmp_path)
    build(source, "html")
    move_japan_to_2023(source)
    incremental = build(source, "html", fresh=False)
    feed = parsed(incremental, "feeds/activities.atom")
    assert feed.entries[0].id == BASE + "news/visit.html#moc-japan"
    assert feed.feed.updated == "2023-01-02T00:00:00Z"
    fresh_source = copy_root(tmp_path, "fresh")
    move_japan_to_2023(fresh_source)
    fresh = build(fresh_source, "html")
    assert feed_files(incremental.outdir) == feed_files(fresh.outdir)


def test_a_base_url_without_its_slash_keeps_its_last_part(tmp_path: Path) -> None:
    app = build(copy_root(tmp_path), "dirhtml", html_baseurl=BASE.rstrip("/"))
    feed = parsed(app, "feeds/activities.atom")
    assert all(entry.link.startswith(BASE) for entry in feed.entries)


def test_without_a_base_url_one_warning_and_no_feed(tmp_path: Path) -> None:
    app = build(copy_root(tmp_path), "html", html_baseurl="")
    warnings = partnership_warnings(app.warning.getvalue())
    assert len(warnings) == 1
    assert "html_baseurl '' is not the site's absolute address" in warnings[0]
    assert "[partnerships.feed]" in warnings[0]
    assert feed_files(app.outdir) == {}
    assert head_feeds(app.outdir, "news/visit.html") == []


def test_without_a_base_url_w_fails_the_build(tmp_path: Path) -> None:
    source = copy_root(tmp_path)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            "-D",
            "html_baseurl=",
            str(source),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "SOURCE_DATE_EPOCH": "0"},
    )
    assert result.returncode != 0
    assert "partnerships.feed" in result.stderr or "html_baseurl" in result.stderr


@pytest.mark.parametrize("builder", ["latex", "text", "epub", "singlehtml"])
def test_other_builders_write_no_feed_and_say_nothing(builder: str, tmp_path: Path) -> None:
    app = build(copy_root(tmp_path), builder)
    assert partnership_warnings(app.warning.getvalue()) == []
    assert feed_files(app.outdir) == {}
    assert not (app.outdir / "feeds").exists()


def test_a_feed_without_entries_is_dated_by_source_date_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    source = copy_root(tmp_path)
    (source / "awards.rst").write_text("Awards\n======\n\nNone yet.\n")
    app = build(source, "html")
    feed = parsed(app, "feeds/awards.atom")
    assert feed.entries == []
    assert feed.feed.updated == "2023-11-14T22:13:20Z"
    # no entries to stand for: the feed's page is the root page
    assert feed.feed.link == BASE + "index.html"


def test_settings_are_checked(tmp_path: Path) -> None:
    app = build(
        copy_root(tmp_path),
        "html",
        partnerships_feeds={
            "activities": "feeds/activities.atom",
            "news": "feeds/news.atom",
            "awards": "../awards.atom",
            "tags": "feeds/tags.atom",
        },
    )
    warnings = partnership_warnings(app.warning.getvalue())
    assert len(warnings) == 3, warnings
    assert all("[partnerships.field]" in line for line in warnings)
    assert any("unknown feed 'news'" in line for line in warnings)
    assert sorted(feed_files(app.outdir)) == ["feeds/activities.atom"]


@pytest.mark.parametrize(
    ("value", "usable", "problems"),
    [
        ({}, {}, 0),
        ([], {}, 1),
        ({"activities": "a.atom", "awards": 3}, {"activities": "a.atom"}, 1),
        ({"activities": "/a.atom", "awards": "https://x/a.atom"}, {}, 2),
        ({"activities": "feeds\\a.atom", "awards": "feeds/"}, {}, 2),
        ({"tags": "tags/{tag}.xml"}, {"tags": "tags/{tag}.xml"}, 0),
    ],
)
def test_feed_settings(value: object, usable: dict[str, str], problems: int) -> None:
    found, told = check_feed_settings(value)
    assert found == usable
    assert len(told) == problems


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("https://example.org/en/latest/", "https://example.org/en/latest/"),
        ("https://example.org/en/latest", "https://example.org/en/latest/"),
        ("", None),
        ("/en/latest/", None),
        ("ftp://example.org/", None),
    ],
)
def test_site_address(base: str, expected: str | None) -> None:
    class Config:
        html_baseurl = base

    assert site_address(Config()) == expected  # type: ignore[arg-type]
