"""Names of any length and spelling: every tag and partner has an address of its own
that is a valid file name, and text no file can hold is replaced with a warning.

A tag's or partner's slug is its archive page's and its feed's file name. Names that
differ (``C++``, ``C#``) never share one; spellings of one name ("Open Data", "open
data", "open-data") always do; a name of hundreds of letters is cut, with a digest,
while its title keeps it whole.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from sphinx_partnerships import sources
from sphinx_partnerships.cli import main

from .conftest import Build, build, main_content, partnership_warnings

LONG = "Interoperability" * 16  # 256 Latin letters
LONG_PARTNER = "Ministry of " + "Digital" * 40
ATOM = "{http://www.w3.org/2005/Atom}"

CONF = (
    'extensions = ["myst_parser", "sphinx_partnerships"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    "show_warning_types = True\n"
    'project = "Names"\n'
    'html_baseurl = "https://example.org/"\n'
    'partnerships_feeds = {"tags": "feeds/{tag}.xml"}\n'
)
MYST = f"""# Names

```{{toctree}}
page
```

::::{{timeline}}
:source: data.json

:::{{activity}} 2022-06
:tags: C++, Open Data, {LONG}
:partners: {LONG_PARTNER}

A C++ workshop.
:::

:::{{activity}} 2022-05
:tags: open data

An open data day.
:::
::::

:::{{partner-index}}
:::
"""
RST = """Names in reStructuredText
=========================

.. timeline::

   .. activity:: 2022-04
      :tags: C#, open-data

      A C# workshop.
"""
DATA = {
    "activities": [
        {"date": "2022-03", "text": "Lone \ud800 surrogate.", "tags": ["Open_Data"]},
        {"date": "2022-02", "text": "A tag.", "tags": ["Half\udc00tag"]},
        {"date": "2022-01", "text": "A partner.", "partners": ["Half\ud83dpartner"]},
        {"date": "2021-12", "text": "A key.", "\udfffcolour": "red"},
        {"date": "2021-11", "text": "A pair \U0001f600 is fine.", "tags": ["\U0001f600"]},
    ]
}


def project(folder: Path, **settings: object) -> Path:
    folder.mkdir()
    (folder / "conf.py").write_text(
        CONF + "".join(f"{name} = {value!r}\n" for name, value in settings.items())
    )
    (folder / "index.md").write_text(MYST, encoding="utf-8")
    (folder / "page.rst").write_text(RST, encoding="utf-8")
    # one entry a line, as JSON writers that escape what they cannot write do
    lines = ",\n".join(json.dumps(entry) for entry in DATA["activities"])
    (folder / "data.json").write_text(f'{{"activities": [\n{lines}\n]}}\n', encoding="ascii")
    return folder


@pytest.fixture(scope="module")
def names(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("names")
    return build(project(base / "src"), base / "build")


def archive_titles(result: Build, kind: str) -> dict[str, str]:
    """Each archive page of ``kind``: its file's name and its title."""
    titles = {}
    for page in (result.outdir / "archives" / kind).glob("*.html"):
        heading = main_content(page.read_text(encoding="utf-8")).select_one("h1")
        for permalink in heading.select("a.headerlink"):
            permalink.decompose()
        titles[page.name] = heading.get_text()
    return titles


def feed_title(path: Path) -> str:
    return ET.parse(path).getroot().findtext(f"{ATOM}title") or ""


def test_names_that_differ_have_pages_and_feeds_of_their_own(names: Build) -> None:
    titles = archive_titles(names, "tags")
    assert sorted(titles.values()) == sorted(
        f"Tag: {name}" for name in ("C#", "C++", "Open Data", LONG, "Half\ufffdtag", "\U0001f600")
    )
    plus = next(name for name, title in titles.items() if title == "Tag: C++")
    sharp = next(name for name, title in titles.items() if title == "Tag: C#")
    assert plus != sharp
    assert plus.startswith("c--")
    assert sharp.startswith("c--")
    feeds = {path.name: feed_title(path) for path in (names.outdir / "feeds").glob("*.xml")}
    assert feeds[plus.replace(".html", ".xml")] == "Names: C++"
    assert feeds[sharp.replace(".html", ".xml")] == "Names: C#"


def test_spellings_of_one_name_share_its_page(names: Build) -> None:
    page = main_content((names.outdir / "archives" / "tags" / "open-data.html").read_text())
    assert len(page.select("li.sp-entry, li[id]")) == 4
    feed = ET.parse(names.outdir / "feeds" / "open-data.xml").getroot()
    assert len(feed.findall(f"{ATOM}entry")) == 4


@pytest.mark.parametrize(("kind", "name"), [("tags", LONG), ("partners", LONG_PARTNER)])
def test_a_long_name_is_cut_in_its_file_name_and_whole_in_its_title(
    names: Build, kind: str, name: str
) -> None:
    titles = archive_titles(names, kind)
    (page,) = [page for page, title in titles.items() if name in title]
    assert len(page) <= 80
    assert page.removesuffix(".html").rsplit("--", 1)[0] in name.lower().replace(" ", "-")


def test_a_long_tag_has_its_feed_without_archive_pages(tmp_path: Path) -> None:
    result = build(project(tmp_path / "src", partnerships_archives=[]), tmp_path / "build")
    assert not (result.outdir / "archives").exists()
    titles = [feed_title(path) for path in (result.outdir / "feeds").glob("*.xml")]
    assert f"Names: {LONG}" in titles
    assert all(len(path.name) <= 80 for path in (result.outdir / "feeds").iterdir())


def test_text_no_file_can_hold_is_replaced_with_one_warning_an_entry(names: Build) -> None:
    data = names.srcdir / "data.json"
    replaced = [line for line in partnership_warnings(names.warnings) if "U+FFFD" in line]
    assert [line.split(": WARNING: ")[0] for line in replaced] == [
        f"{data}:{line}" for line in (2, 3, 4, 5)
    ]
    assert all("[partnerships.source]" in line for line in replaced)
    assert "'Lone \ufffd surrogate.'" in replaced[0]
    # the build finished: the export, the inventory and every page are written
    export = json.loads((names.outdir / "partnerships.json").read_text(encoding="utf-8"))
    texts = [entry["text"] for entry in export["activities"]]
    assert "Lone \ufffd surrogate." in texts
    assert "A pair \U0001f600 is fine." in texts
    assert (names.outdir / "objects.inv").is_file()
    partners = main_content((names.outdir / "index.html").read_text(encoding="utf-8"))
    assert "Half\ufffdpartner" in partners.get_text()


def test_check_replaces_the_same_text_with_the_same_warnings(
    names: Build, capsys: pytest.CaptureFixture[str]
) -> None:
    data = names.srcdir / "data.json"
    assert main(["check", str(data)]) == 1
    out = capsys.readouterr().out.splitlines()
    built = [line for line in partnership_warnings(names.warnings) if line.startswith(f"{data}:")]
    assert out == built


HALF_IN_YAML = 'activities:\n  - date: 2022\n    text: "Lone \\ud800 surrogate."\n'


def test_half_a_character_in_yaml_is_replaced_without_libyaml() -> None:
    document, failure = sources._load_yaml(HALF_IN_YAML, sources._PureLineLoader)
    assert failure is None
    data = sources.pick_entries(document, "activities", Path("data.yaml"))
    assert data.entries[0].fields["text"] == "Lone \ufffd surrogate."
    assert [(issue.key, issue.line) for issue in data.issues] == [("source-unencodable", 2)]


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="libyaml is not installed")
def test_half_a_character_in_yaml_is_a_syntax_error_for_libyaml() -> None:
    document, failure = sources._load_yaml(HALF_IN_YAML, sources._LineLoader)
    assert document is None
    assert failure is not None
    assert failure.failure is not None
    assert (failure.failure.key, failure.failure.line) == ("source-syntax", 3)


def test_half_a_character_in_yaml_is_one_located_warning(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(CONF)
    (source / "index.md").write_text("# YAML\n\n::::{timeline}\n:source: data.yaml\n::::\n")
    (source / "data.yaml").write_text(HALF_IN_YAML)
    result = build(source, tmp_path / "build")
    (warning,) = partnership_warnings(result.warnings)
    assert warning.startswith(f"{source / 'data.yaml'}:")
    assert warning.endswith("[partnerships.source]")


def test_partners_of_names_that_differ_have_places_of_their_own(tmp_path: Path) -> None:
    """ "C++" and "C#" keep one anchor each in the partner index, and each name leads to its own."""
    (tmp_path / "conf.py").write_text(CONF + "partnerships_archives = []\n")
    (tmp_path / "index.md").write_text(
        "# Partners\n\n:::{activity} 2022-06\n:partners: C++\n\nA workshop.\n:::\n\n"
        ":::{activity} 2022-05\n:partners: C#\n\nA meetup.\n:::\n\n::::{partner-index}\n::::\n"
    )
    built = build(tmp_path, tmp_path / "_build")
    page = main_content((built.outdir / "index.html").read_text())
    anchors = [item["id"] for item in page.select(".sp-partner-index [id^=partner-]")]
    assert len(anchors) == len(set(anchors)) == 2, anchors
    links = {link.get_text(): link["href"] for link in page.select(".sp-partners a")}
    assert links["C++"] != links["C#"]
    assert {href.split("#")[1] for href in links.values()} == set(anchors)
