"""Entry anchors never take a partner heading's, and are unique on the
single page of ``singlehtml``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from .conftest import partnership_warnings

CONF = """\
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
project = "Anchors"
language = "en"
exclude_patterns = ["_build"]
show_warning_types = True
partnerships_archives = []
"""

DATA = """\
activities:
  - date: 2022-06
    text: Visit of the Japanese delegation.
    partners: [Japan]
    id: partner-japan
"""


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in {"conf.py": CONF, **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


def build(root: Path, builder: str = "html", fresh: bool = True) -> tuple[Path, str]:
    app = SphinxTestApp(builder, srcdir=root, builddir=root / "_build", freshenv=fresh)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), app.warning.getvalue()


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def repeated_ids(page: BeautifulSoup) -> list[str]:
    counts = Counter(str(element["id"]) for element in page.select("[id]"))
    return sorted(anchor for anchor, count in counts.items() if count > 1)


PARTNER_PAGES = {
    "md": {
        "index.md": "# Anchors\n\n```{toctree}\npartners\nroles\n```\n",
        "partners.md": (
            "# Partners\n\n::::{partner-index}\n::::\n\n"
            "::::{timeline}\n:source: data.yaml\n::::\n\n"
            ":::{activity} 2021-05\n:partners: Japan\n:id: partner-japan\n\nA second one.\n:::\n"
        ),
        "roles.md": "# Roles\n\nSee {activity}`partner-japan` and {partner}`Japan`.\n",
    },
    "rst": {
        "index.rst": "Anchors\n=======\n\n.. toctree::\n\n   partners\n   roles\n",
        "partners.rst": (
            "Partners\n========\n\n.. partner-index::\n\n"
            ".. timeline::\n   :source: data.yaml\n\n"
            ".. activity:: 2021-05\n   :partners: Japan\n   :id: partner-japan\n\n"
            "   A second one.\n"
        ),
        "roles.rst": "Roles\n=====\n\nSee :activity:`partner-japan` and :partner:`Japan`.\n",
    },
}


@pytest.mark.parametrize("syntax", ["md", "rst"])
def test_an_entry_never_takes_a_partners_anchor(tmp_path: Path, syntax: str) -> None:
    write(tmp_path, {**PARTNER_PAGES[syntax], "data.yaml": DATA})
    outdir, warnings = build(tmp_path)
    page = tmp_path / f"partners.{syntax}"
    line = 10 if syntax == "md" else 9
    assert partnership_warnings(warnings) == [
        # on its page, the directive's anchor is taken by the data file's entry
        f"{page}:{line}: WARNING: activity directive: :id: 'partner-japan' is already used on"
        " this page; this entry's anchor is 'partner-japan-2' [partnerships.duplicate]",
        f"{tmp_path / 'data.yaml'}:2: WARNING: activity entry: :id: 'partner-japan' is the"
        " anchor of partner 'Japan' in the partner index; this entry's anchor is"
        " 'partner-japan-3' [partnerships.duplicate]",
    ]
    partners = soup(outdir / "partners.html")
    assert repeated_ids(partners) == []
    heading = partners.find(id="partner-japan")
    assert heading is not None
    assert "sp-group-heading" in heading["class"]
    data_entry = partners.find(id="partner-japan-3")
    assert data_entry is not None
    assert "Japanese delegation" in data_entry.get_text()
    second = partners.find(id="partner-japan-2")
    assert second is not None
    assert "A second one" in second.get_text()
    # the partner index lists both activities, each linking to its own anchor
    index = partners.select_one(".sp-partner-index")
    hrefs = [a["href"] for a in index.select("a.reference")]
    assert hrefs == ["#partner-japan-3", "#partner-japan-2"]
    # a role naming the :id: as written finds the first entry with it
    roles = soup(outdir / "roles.html")
    hrefs = [a["href"] for a in roles.select("div.body a.reference")]
    assert hrefs == ["partners.html#partner-japan-3", "partners.html#partner-japan"]


def test_without_a_partner_index_the_id_is_kept(tmp_path: Path) -> None:
    """No partner heading has the anchor; then one appears on another page,
    and the entry's page, unchanged and naming no partner, is written again
    with its new anchor."""
    write(
        tmp_path,
        {
            "index.md": "# Anchors\n\n::::{timeline}\n:source: data.yaml\n::::\n",
            "data.yaml": DATA.replace("    partners: [Japan]\n", ""),
        },
    )
    outdir, warnings = build(tmp_path)
    assert partnership_warnings(warnings) == []
    assert soup(outdir / "index.html").find(id="partner-japan") is not None
    (tmp_path / "partners.md").write_text(
        "---\norphan: true\n---\n\n# Partners\n\n::::{partner-index}\n::::\n\n"
        ":::{activity} 2023\n:partners: Japan\n\nA visit to Japan.\n:::\n"
    )
    outdir, warnings = build(tmp_path, fresh=False)
    assert len(partnership_warnings(warnings)) == 1
    index = soup(outdir / "index.html")
    assert index.find(id="partner-japan") is None
    assert index.find(id="partner-japan-2") is not None
    assert soup(outdir / "partners.html").find(id="partner-japan") is not None


SINGLE_PAGES = {
    "md": {
        "index.md": "# Anchors\n\n```{toctree}\nnews/a\nnews/b\npartners\n```\n",
        "news/a.md": "# From A\n\n:::{activity} 2022-06\n:partners: Japan\n\nVisit.\n:::\n",
        "news/b.md": "# From B\n\n:::{activity} 2022-06\n:partners: Japan\n\nVisit.\n:::\n",
        "partners.md": "# Partners\n\n::::{partner-index}\n::::\n",
    },
    "rst": {
        "index.rst": "Anchors\n=======\n\n.. toctree::\n\n   news/a\n   news/b\n   partners\n",
        "news/a.rst": "From A\n======\n\n.. activity:: 2022-06\n   :partners: Japan\n\n   Visit.\n",
        "news/b.rst": "From B\n======\n\n.. activity:: 2022-06\n   :partners: Japan\n\n   Visit.\n",
        "partners.rst": "Partners\n========\n\n.. partner-index::\n",
    },
}


@pytest.mark.parametrize("syntax", ["md", "rst"])
def test_singlehtml_gives_every_entry_an_anchor_of_its_own(tmp_path: Path, syntax: str) -> None:
    write(tmp_path, SINGLE_PAGES[syntax])
    outdir, warnings = build(tmp_path, "singlehtml")
    assert partnership_warnings(warnings) == []
    page = soup(outdir / "index.html")
    assert repeated_ids(page) == []
    links = page.select(".sp-partner-index a.reference")
    # newest first, ties in reading order: A's, then B's
    assert [link["href"] for link in links] == ["#visit-2022-06", "#visit-2022-06-2"]
    for link, home in zip(links, ("document-news/a", "document-news/b"), strict=True):
        entry = page.find(id=link["href"][1:])
        assert entry is not None
        page_start = entry.find_previous(id=lambda anchor: str(anchor).startswith("document-"))
        assert page_start["id"] == home
    # pages of their own keep the anchor their page gave
    outdir, warnings = build(tmp_path, "html")
    for name in ("a", "b"):
        assert soup(outdir / f"news/{name}.html").find(id="visit-2022-06") is not None
    hrefs = [a["href"] for a in soup(outdir / "partners.html").select(".sp-partner-index a")]
    assert hrefs == ["news/a.html#visit-2022-06", "news/b.html#visit-2022-06"]
