"""Translations of data text are data too: whatever a translator writes,
it is read with the safe subset, and names are translated as plain text."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import write_po

from .conftest import ROOTS, Build, build, partnership_warnings

REFUSED_IN_ATTRIBUTES = re.compile(r'(href|src|action)="\s*(javascript|data):', re.I)
SECRET = "secret text from outside"

#: what a translator writes that the data file itself may not do
#: (one paragraph each: Sphinx's own translation of a paragraph would take it)
HOSTILE_MARKDOWN = (
    "A visit <script>alert(1)</script> with [a script](javascript:alert(1)),"
    " {download}`the secret <../outside/secret.txt>` and"
    " {{ cycler.__init__.__globals__.os.popen('touch MARKER').read() }}"
)
HOSTILE_RST = "A :download:`secret <../outside/secret.txt>` and `a script <javascript:alert(1)>`_."
HOSTILE_RST_BLOCKS = (
    ".. raw:: html\n\n   <script>alert(1)</script>\n\n.. include:: ../outside/secret.txt"
)

#: msgid -> msgstr of each page's catalog, each language
TRANSLATIONS = {
    "de": {
        "index": {
            "A *visit* to the [agency](https://example.org/agency).": (
                "Ein *Besuch* bei der [Behörde](https://example.org/behoerde)."
            ),
            "A plain visit.": HOSTILE_MARKDOWN,
            "Signed a memorandum.": "Ein Memorandum unterzeichnet.",
            "Best exchange": "Bester Austausch",
            "The Ministry": "Das Ministerium",
            "The Team": "Das Team",
            "For the *best* exchange.": "Für den *besten* Austausch.",
            "Japan": "Nippon",
            "A harbour": "Ein Hafen",
            "The *harbour* at dawn.": "Der *Hafen* im Morgengrauen.",
            "The exchange": "Der *Austausch* <b>jetzt</b>",
            "Two weeks of *visits*.": HOSTILE_MARKDOWN,
            "Spring 2022": "Frühjahr 2022",
        },
        "page": {
            "A *visit* to the `agency <https://example.org/agency>`_.": (
                "Ein *Besuch* bei der `Behörde <https://example.org/behoerde>`_."
            ),
            "A plain visit.": HOSTILE_RST,
            "Another plain visit.": HOSTILE_RST_BLOCKS,
        },
    },
    "ja": {
        "index": {
            "A *visit* to the [agency](https://example.org/agency).": (
                "[機関](https://example.org/kikan)への*訪問*。"
            ),
            "A plain visit.": HOSTILE_MARKDOWN,
            "Signed a memorandum.": "覚書に署名した。",
            "Best exchange": "最優秀交流賞",
            "The Ministry": "省",
            "The Team": "チーム",
            "For the *best* exchange.": "*最高の*交流に対して。",
            "Japan": "日本",
            "A harbour": "港",
            "The *harbour* at dawn.": "夜明けの*港*。",
            "The exchange": "交流 <b>今</b>",
            "Two weeks of *visits*.": HOSTILE_MARKDOWN,
            "Spring 2022": "2022年春",
        },
        "page": {
            "A *visit* to the `agency <https://example.org/agency>`_.": (
                "`機関 <https://example.org/kikan>`_ への *訪問* 。"
            ),
            "A plain visit.": HOSTILE_RST,
            "Another plain visit.": HOSTILE_RST_BLOCKS,
        },
    },
}


def copy_site(base: Path) -> Path:
    """The test site, and beside it a folder "from outside" holding a secret."""
    srcdir = base / "site"
    shutil.copytree(ROOTS / "test-translated-data", srcdir)
    (base / "outside").mkdir()
    (base / "outside" / "secret.txt").write_text(SECRET, encoding="utf-8")
    return srcdir


def write_catalog(srcdir: Path, language: str, page: str, messages: dict[str, str]) -> None:
    catalog = Catalog(locale=language)
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    folder = srcdir / "locales" / language / "LC_MESSAGES"
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{page}.po").open("wb") as file:
        write_po(file, catalog)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Build:
    srcdir = copy_site(tmp_path_factory.mktemp("gettext"))
    return build(srcdir, srcdir.parent / "build", "gettext")


@pytest.fixture(scope="module", params=sorted(TRANSLATIONS))
def translated(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Build]:
    language: str = request.param
    base = tmp_path_factory.mktemp(language)
    srcdir = copy_site(base)
    for page, messages in TRANSLATIONS[language].items():
        write_catalog(srcdir, language, page, messages)
    with pytest.MonkeyPatch.context() as patch:
        # where a ``touch MARKER`` run by the build would land
        patch.chdir(base)
        result = build(srcdir, base / "build", confoverrides={"language": language})
    return language, result


def pot(result: Build, page: str) -> str:
    return (result.outdir / f"{page}.pot").read_text(encoding="utf-8")


def test_gettext_extracts_data_text_as_written(extracted: Build) -> None:
    index, page = pot(extracted, "index"), pot(extracted, "page")
    for message in TRANSLATIONS["de"]["index"]:
        assert index.count(f'msgid "{message}"') == 1, message
    for message in TRANSLATIONS["de"]["page"]:
        assert page.count(f'msgid "{message}"') == 1, message
    # each message is filed under its data file's line
    assert re.search(r"#: [^\n]*news-md\.yaml:2\nmsgid \"A \*visit\*", index)
    assert re.search(r"#: [^\n]*awards\.yaml:2\n(#: [^\n]*\n)*msgid \"Best exchange\"", index)
    # never also as the words of the parsed text, which Sphinx would
    # translate with the page's whole markup
    assert 'msgid "A visit to the agency."' not in index
    assert 'msgid "The harbour at dawn."' not in index
    assert 'msgid "A visit to the agency."' not in page


def every_output(result: Build) -> str:
    """Every file the build wrote but Sphinx's own scripts and styles, and the
    export, which holds each entry's text as plain text data (checked on its own)."""
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in result.outdir.rglob("*")
        if path.is_file()
        and path.name != "partnerships.json"
        and "_static" not in path.relative_to(result.outdir).parts
    )


def test_no_hostile_translation_reaches_the_output(translated: tuple[str, Build]) -> None:
    _language, result = translated
    base = result.srcdir.parent
    published = every_output(result)
    assert "<script>alert" not in published
    assert REFUSED_IN_ATTRIBUTES.search(published) is None
    assert SECRET not in published
    assert [path for path in result.outdir.rglob("*") if "secret" in path.name] == []
    assert not (result.outdir / "_downloads").exists()
    assert not any(base.rglob("MARKER*"))
    export = json.loads((result.outdir / "partnerships.json").read_text(encoding="utf-8"))
    texts = [entry["text"] for entry in export["activities"]]
    assert any(
        text.startswith("A visit <script>alert(1)</script> with a script,") for text in texts
    )
    assert REFUSED_IN_ATTRIBUTES.search(json.dumps(export)) is None
    # shown as the text it was written as
    index, page = result.page("index"), result.page("page")
    hostile = index.select_one("li#hostile .sp-body")
    assert hostile is not None
    assert "{download}`the secret <../outside/secret.txt>`" in hostile.get_text()
    assert "cycler.__init__.__globals__" in hostile.get_text()
    rst = page.select_one("li#hostile-rst .sp-body")
    assert rst is not None
    assert ":download:`secret <../outside/secret.txt>`" in rst.get_text()
    blocks = page.select_one("li#raw-rst .sp-body")
    assert blocks is not None
    assert [code.get_text().strip() for code in blocks.select("pre")] == [
        ".. raw:: html\n\n   <script>alert(1)</script>",
        ".. include:: ../outside/secret.txt",
    ]


def test_every_hostile_translation_is_told_at_its_entry(translated: tuple[str, Build]) -> None:
    language, result = translated
    warnings = partnership_warnings(result.warnings)
    told = {
        (Path(match[1]).name, int(match[2]), match[3])
        for line in warnings
        if (match := re.match(r"(.*?):(\d+): WARNING: (.*?)(?::| \[)", line))
    }
    translation = f"({language} translation)"
    assert told == {
        ("news-md.yaml", 6, f"activity entry {translation}"),
        ("news-rst.yaml", 5, f"activity entry {translation}"),
        ("news-rst.yaml", 8, f"activity entry {translation}"),
        ("cards.yaml", 6, f"card entry {translation}"),
    }
    kinds = " ".join(warnings)
    for construct in ("raw HTML", "roles ({name}", "substitutions ({{", "directives (.. name::)"):
        assert construct in kinds
    assert "link scheme 'javascript'" in kinds


def test_benign_translations_are_shown(translated: tuple[str, Build]) -> None:
    language, result = translated
    messages = {**TRANSLATIONS[language]["index"], **TRANSLATIONS[language]["page"]}
    index, page = result.page("index"), result.page("page")
    for benign in (
        index.select_one("li#benign .sp-body"),
        page.select_one("li#benign-rst .sp-body"),
    ):
        assert benign is not None
        emphasis = benign.select_one("em")
        assert emphasis is not None
        link = benign.select_one("a")
        assert link is not None
        assert link["href"] == f"https://example.org/{'behoerde' if language == 'de' else 'kikan'}"
        assert emphasis.get_text() == ("Besuch" if language == "de" else "訪問")
    # the anchor from the words as written, whatever the language
    assert index.select_one("li#signed-a-memorandum-2022-04") is not None
    award = index.select_one("li#best")
    assert award is not None
    assert award.select_one(".sp-award-name").get_text(strip=True) == messages["Best exchange"]
    assert messages["The Ministry"] in award.select_one(".sp-organizer").get_text()
    assert award.select_one(".sp-recipients .sp-value").get_text() == messages["The Team"]
    assert award.select_one(".sp-body em") is not None
    partner = index.select_one("li#benign .sp-partners .sp-value")
    assert partner is not None
    assert partner.get_text() == messages["Japan"]
    headings = [heading.get_text(strip=True) for heading in index.select(".sp-partner-index h3")]
    assert headings == [messages["Japan"]]
    image = index.select_one("img.sp-card-image")
    assert image is not None
    assert image["alt"] == messages["A harbour"]
    caption = index.select_one(".sp-card figcaption em")
    assert caption is not None
    title = index.select_one(".sp-card-title")
    assert title is not None
    # a plain text field stays plain text in its translation
    assert title.get_text(strip=True) == messages["The exchange"]
    assert title.select("b, em") == []
    footer = index.select_one(".sp-card-footer")
    assert footer is not None
    assert footer.get_text(strip=True) == messages["Spring 2022"]
