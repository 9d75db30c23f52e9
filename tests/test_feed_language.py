"""Feed titles and labels in the build's language."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, partnership_warnings


@pytest.mark.parametrize(
    ("language", "activities", "awards", "visit", "organizer"),
    [
        ("en", "Feeds: activities", "Feeds: awards", "Feeds: visit", "Organizer: A Jury."),
        (
            "de",
            "Feeds: Aktivitäten",
            "Feeds: Auszeichnungen",
            "Feeds: visit",
            "Veranstalter: A Jury.",
        ),
        (
            "fr",
            "Feeds : activités",
            "Feeds : distinctions",
            "Feeds : visit",
            "Organisateur: A Jury.",
        ),
        # with a full-width colon
        ("ja", "Feeds\uff1a活動", "Feeds\uff1a受賞", "Feeds\uff1avisit", "主催: A Jury."),
    ],
)
def test_feeds_speak_the_build_language(
    tmp_path: Path, language: str, activities: str, awards: str, visit: str, organizer: str
) -> None:
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-feeds", source)
    app = SphinxTestApp(
        "html", srcdir=source, builddir=tmp_path / "build", confoverrides={"language": language}
    )
    try:
        app.build()
    finally:
        app.cleanup()
    assert partnership_warnings(app.warning.getvalue()) == []
    feed = feedparser.parse((app.outdir / "feeds/activities.atom").read_bytes())
    assert feed.feed.title == activities
    feed = feedparser.parse((app.outdir / "feeds/awards.atom").read_bytes())
    assert feed.feed.title == awards
    assert [entry.summary for entry in feed.entries if entry.title == "Digital Service Award"] == [
        organizer
    ]
    # a tag's feed: the site's name and the tag
    assert feedparser.parse((app.outdir / "feeds/tags/visit.atom").read_bytes()).feed.title == (
        visit
    )
    # the head of a page names the feed by its title
    assert f'title="{activities}"' in (app.outdir / "news/visit.html").read_text()
