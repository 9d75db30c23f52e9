"""Edges the writer's pages rarely reach: links refused before a build, data
files that are empty, malformed or too large, and partners without a kind,
activities or an index of their own.

The link and data-file functions are pure (a path in, a result out) and are
tested without a build; the partner cases are real builds of small projects.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sphinx_partnerships import safetext
from sphinx_partnerships.links import LinkError, parse_link
from sphinx_partnerships.sources import MAX_SIZE_MIB, read_data_file

from .conftest import Build, build, partnership_warnings

# -- links ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "external"),
    [
        ("https://example.org/a", "https://example.org/a", True),
        ("  mailto:someone@example.org ", "mailto:someone@example.org", True),
        ("guide/timelines", "guide/timelines", False),
        ("moc-japan", "moc-japan", False),
    ],
)
def test_links_are_internal_or_external(value: str, target: str, external: bool) -> None:
    link = parse_link(value)
    assert (link.target, link.external) == (target, external)


@pytest.mark.parametrize(
    ("value", "key"),
    [
        ("", "link-empty"),
        ("   ", "link-empty"),
        ("//example.org/page", "link-no-scheme"),
        ("javascript:alert(1)", "link-scheme"),
        ("java\tscript:alert(1)", "link-scheme"),  # browsers drop the tab
    ],
)
def test_refused_links_say_why(value: str, key: str) -> None:
    with pytest.raises(LinkError) as raised:
        parse_link(value)
    assert raised.value.key == key


# -- data files -------------------------------------------------------------------------


def test_an_empty_csv_file_has_no_entries(tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text("", encoding="utf-8")
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.issues == ()


def test_a_csv_file_with_a_broken_quote_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('date,text\n2022-06,"fine"\n2022-07,"open"quote\n', encoding="utf-8")
    data = read_data_file(path, "activities")
    assert data.entries == ()
    assert data.error is not None
    assert "is not valid CSV" in data.error
    assert data.error_line == 3


def test_a_file_too_large_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as file:  # sparse: no disk space taken
        file.truncate(MAX_SIZE_MIB * 2**20 + 1)
    data = read_data_file(path, "activities")
    assert data.error is not None
    assert f"larger than {MAX_SIZE_MIB} MiB" in data.error


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_named_pipe_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "pipe.json"
    os.mkfifo(path)
    data = read_data_file(path, "activities")  # would block if it were opened
    assert data.error is not None
    assert "not a regular file" in data.error or "special" in data.error


# -- partners ---------------------------------------------------------------------------


CONF = """\
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
"""


def write_project(srcdir: Path, pages: dict[str, str]) -> Path:
    srcdir.mkdir(parents=True)
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    toctree = "\n".join(name for name in pages if name != "index")
    index = pages.get("index", "# Home\n")
    (srcdir / "index.md").write_text(f"{index}\n```{{toctree}}\n{toctree}\n```\n", encoding="utf-8")
    for name, text in pages.items():
        if name != "index":
            (srcdir / f"{name}.md").write_text(text, encoding="utf-8")
    return srcdir


def test_a_partner_index_without_partners_says_so(tmp_path: Path) -> None:
    srcdir = write_project(
        tmp_path / "src", {"partners": "# Partners\n\n::::{partner-index}\n::::\n"}
    )
    result = build(srcdir)
    assert partnership_warnings(result.warnings) == []
    index = result.page("partners").select_one(".sp-partner-index")
    assert index is not None
    assert index.select_one("p.sp-empty").get_text() == "No partners yet."


def test_partners_of_an_index_without_activities_and_of_an_unknown_kind(tmp_path: Path) -> None:
    srcdir = write_project(
        tmp_path / "src",
        {
            "partners": (
                "# Partners\n\n"
                ":::{partner} Country A\n:kind: planet\n\nA partner of an unknown kind.\n:::\n\n"
                ":::{partner} Country B\n:kind: Country\n\nA country.\n:::\n\n"
                "::::{partner-index}\n::::\n"
            ),
            "again": "# Again\n\n::::{partner-index}\n::::\n",
            "news": (
                "# News\n\n::::{timeline}\n\n"
                ":::{activity} 2022-06\n:partners: Country B\n\nA visit.\n:::\n::::\n"
            ),
        },
    )
    result = build(srcdir)
    warnings = partnership_warnings(result.warnings)
    assert len(warnings) == 1, warnings
    assert "'planet'" in warnings[0]
    assert "partners.md:3" in warnings[0]
    page = result.page("partners")
    # the unknown kind is left out; the known one is shown, in the build's words
    names = [name.get_text() for name in page.select(".sp-partner-name")]
    assert names == ["Country A", "Country B (country)"]
    index = page.select_one(".sp-partner-index")
    headings = index.select(".sp-group-heading")
    assert [heading.get_text(strip=True) for heading in headings] == ["Country A", "Country B"]
    # a partner without activities gets no empty list: one list, Country B's
    assert [len(listing.select("li")) for listing in index.select("ol.sp-entries")] == [1]
    assert headings[1].find_next_sibling("ol") is not None
    # partner links land on the first index by name ("again"): only its headings are anchors
    assert not any(heading.get("id") for heading in headings)
    again = result.page("again").select(".sp-partner-index .sp-group-heading")
    assert [heading.get("id") for heading in again] == ["partner-country-a", "partner-country-b"]


def test_a_partner_without_a_name_is_left_out_with_a_warning(tmp_path: Path) -> None:
    srcdir = write_project(
        tmp_path / "src",
        {"partners": "# Partners\n\n:::{partner}\n:kind: country\n\nNo name.\n:::\n"},
    )
    result = build(srcdir)
    warnings = partnership_warnings(result.warnings)
    assert len(warnings) == 1, warnings
    assert "[partnerships.field]" in warnings[0]
    assert "No name." not in result.page("partners").get_text()


# -- structure ---------------------------------------------------------------------------


STRUCTURE = {
    "nested": """# Nested

::::::{timeline}

:::::{activity} 2022-06

Outer activity.

::::{note}
:::{activity} 2022-05

Inner activity.
:::
::::
:::::

::::::
""",
    "toctree": """# Toctree

::::::{timeline}

:::::{activity} 2022-06

Activity with a contents list.

::::{note}
```{toctree}
```
::::
:::::

::::::
""",
    "same": """# Twice

::::{timeline}

:::{activity} 2022-06
:id: same

First.
:::

:::{activity} 2022-05
:id: same

Second.
:::
::::
""",
}


@pytest.fixture(scope="module")
def structure(tmp_path_factory: pytest.TempPathFactory) -> tuple[Build, list[str]]:
    srcdir = write_project(tmp_path_factory.mktemp("structure") / "src", STRUCTURE)
    result = build(srcdir)
    return result, partnership_warnings(result.warnings)


def warned_on(warnings: list[str], page: str) -> list[str]:
    return [warning for warning in warnings if f"{page}.md:" in warning]


def test_an_entry_inside_an_entrys_admonition_follows_it(
    structure: tuple[Build, list[str]],
) -> None:
    result, warnings = structure
    [warning] = warned_on(warnings, "nested")
    assert "an activity cannot be written inside an activity" in warning
    assert warning.endswith("[partnerships.structure]")
    entries = result.page("nested").select("li.sp-entry")
    assert [entry.select_one(".sp-body").get_text(" ", strip=True) for entry in entries] == [
        "Outer activity. Note",
        "Inner activity.",
    ]


def test_a_toctree_inside_an_entry_is_left_out(structure: tuple[Build, list[str]]) -> None:
    result, warnings = structure
    [warning] = warned_on(warnings, "toctree")
    assert "a toctree cannot be part of an activity" in warning
    assert "Activity with a contents list." in result.page("toctree").get_text()


def test_an_explicit_id_twice_on_a_page_gets_a_second_anchor(
    structure: tuple[Build, list[str]],
) -> None:
    result, warnings = structure
    on_page = [warning for warning in warned_on(warnings, "same") if "already used" in warning]
    assert len(on_page) == 1, warnings
    assert "'same'" in on_page[0]
    assert "'same-2'" in on_page[0]
    ids = [entry["id"] for entry in result.page("same").select("li.sp-entry")]
    assert ids == ["same", "same-2"]


CARD_IN_CARD = """# Cards

:::::{card-grid}

::::{image-card} https://example.org/outer.png
:alt: Outer

Outer caption.

:::{image-card} https://example.org/inner.png
:alt: Inner

Inner caption.
:::
::::
:::::
"""


def test_a_card_inside_a_card_follows_it(tmp_path: Path) -> None:
    result = build(write_project(tmp_path / "src", {"cards": CARD_IN_CARD}))
    [warning] = partnership_warnings(result.warnings)
    assert "an image card cannot be written inside an image card" in warning
    captions = [
        caption.get_text(strip=True) for caption in result.page("cards").select("figcaption")
    ]
    assert captions == ["Outer caption.", "Inner caption."]


# -- data text, read with the safe subset -------------------------------------------------


@pytest.fixture
def safe_warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    monkeypatch.setattr(safetext, "warn", lambda key, location, **values: seen.append(key))
    return seen


def read(text: str, *, markdown: bool) -> str:
    parsed = safetext.parse_safe_text(
        text, markdown=markdown, docname="news", subject="activity", location="/data.yaml:3"
    )
    return "".join(str(node) for node in parsed)


def test_markdown_images_and_breaks_stay_text(safe_warnings: list[str]) -> None:
    shown = read("A ![logo](logo.png) here,  \nthen `code` and *words*.", markdown=True)
    assert "<image" not in shown
    assert "![logo](logo.png)" in shown
    assert "<literal>code</literal>" in shown
    assert "<emphasis>words</emphasis>" in shown
    assert "here,\nthen" in shown


def test_rst_targets_comments_and_named_references_keep_only_their_words(
    safe_warnings: list[str],
) -> None:
    shown = read(
        "See `the agency`_ and `elsewhere <https://example.org/x>`_.\n\n"
        ".. _the agency: https://example.org/agency\n\n"
        ".. a comment a reader never sees\n",
        markdown=False,
    )
    assert "comment" not in shown
    assert "<target" not in shown
    # a named reference to a target the text cannot hold keeps its words only
    assert "the agency" in shown
    assert 'refuri="https://example.org/agency"' not in shown
    assert 'refuri="https://example.org/x"' in shown


def test_rst_directives_are_shown_as_text(safe_warnings: list[str]) -> None:
    shown = read(".. raw:: html\n\n   <script>alert(1)</script>\n\nAfter.", markdown=False)
    assert "<raw" not in shown
    assert "After." in shown
    assert safe_warnings == ["markup-unsafe"]


def test_markdown_lists_keep_their_start_and_their_items_paragraphs(
    safe_warnings: list[str],
) -> None:
    shown = read("Steps:\n\n3. first\n4. second\n\n- tight\n- list\n", markdown=True)
    assert 'start="3"' in shown
    assert "<list_item><paragraph>first</paragraph></list_item>" in shown
    assert "<list_item><paragraph>tight</paragraph></list_item>" in shown
