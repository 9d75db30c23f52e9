"""The extension's own words in the build's language, and the catalogs behind them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from sphinx.testing.util import SphinxTestApp

import sphinx_partnerships

from .conftest import ROOTS, main_content

PACKAGE = Path(sphinx_partnerships.__file__).parent
LOCALE = PACKAGE / "locale"
LANGUAGES = sorted(path.name for path in LOCALE.iterdir() if path.is_dir())


def template_ids() -> set[str]:
    with (LOCALE / "sphinx_partnerships.pot").open("rb") as template:
        return {message.id for message in read_po(template) if message.id}


def test_every_language_listed_ships() -> None:
    assert LANGUAGES == ["de", "fr", "ja", "zh_CN"]


def test_the_template_holds_every_word_of_the_code() -> None:
    found = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(PACKAGE), keywords={"_": None}, comment_tags=()
        )
    }
    assert found == template_ids()


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogs_are_complete_and_compiled(language: str) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    with (folder / "sphinx_partnerships.po").open("rb") as source:
        written = {m.id: m.string for m in read_po(source) if m.id}
    with (folder / "sphinx_partnerships.mo").open("rb") as compiled:
        shipped = {m.id: m.string for m in read_mo(compiled) if m.id}
    assert set(written) == template_ids()
    assert all(written.values()), "every word is translated"
    # `nox -s translations` compiles the .mo files from the .po files
    assert shipped == written


@pytest.mark.parametrize(
    ("language", "partners", "read_more", "organizer"),
    [
        ("en", "Partners: ", "Read more", "Organizer: "),
        ("de", "Partner: ", "Weiterlesen", "Veranstalter: "),
        ("fr", "Partenaires: ", "Lire la suite", "Organisateur: "),
        ("ja", "パートナー: ", "続きを読む", "主催: "),
    ],
)
def test_labels_follow_the_build_language(
    make_app, tmp_path: Path, language: str, partners: str, read_more: str, organizer: str
) -> None:
    apps: list[SphinxTestApp] = []
    for root in ("timeline-myst", "awards-myst"):
        srcdir = tmp_path / root
        shutil.copytree(ROOTS / f"test-{root}", srcdir)
        app = make_app("html", srcdir=srcdir, confoverrides={"language": language})
        app.build()
        apps.append(app)
    timeline, awards = apps
    activity = main_content((timeline.outdir / "activity.html").read_text(encoding="utf-8"))
    entry = activity.select_one("#moh-malaysia-visit")
    assert entry.select_one(".sp-partners .sp-label").get_text() == partners
    assert entry.select_one(".sp-more a").get_text().startswith(read_more)
    listing = main_content((awards.outdir / "group-none.html").read_text(encoding="utf-8"))
    assert listing.select_one(".sp-organizer .sp-visually-hidden").get_text() == organizer
