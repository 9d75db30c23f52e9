"""Work is bounded: an entry holds at most so much, and an archive page shows at
most ``ARCHIVE_PAGE_LIMIT`` entries of each kind, however many the project has."""

from __future__ import annotations

from pathlib import Path

import pytest

from sphinx_partnerships.archives import ARCHIVE_PAGE_LIMIT
from sphinx_partnerships.checking import check_data_file
from sphinx_partnerships.entries import MAX_LIST_ITEMS, MAX_TEXT_LENGTH

from .conftest import build, main_content, partnership_warnings

CONF = (
    'extensions = ["myst_parser", "sphinx_partnerships"]\n'
    'myst_enable_extensions = ["colon_fence"]\n'
    'exclude_patterns = ["_build"]\n'
)
MANY = ", ".join(f"Partner {number}" for number in range(MAX_LIST_ITEMS + 1))


def write_limits(root: Path, syntax: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "conf.py").write_text(CONF)
    data = root / "entries.yaml"
    data.write_text(
        "activities:\n"
        "  - date: 2022-01\n"
        f"    text: {'x' * (MAX_TEXT_LENGTH + 1)}\n"
        "  - date: 2022-02\n"
        "    text: Many partners.\n"
        f"    partners: [{MANY}]\n"
        "  - date: 2022-03\n"
        "    text: Within the limits.\n"
    )
    if syntax == "md":
        (root / "index.md").write_text(
            "# Limits\n\n::::{timeline}\n:source: entries.yaml\n\n"
            f":::{{activity}} 2022-04\n:tags: {MANY}\n\nToo many tags.\n:::\n::::\n"
        )
    else:
        (root / "index.rst").write_text(
            "Limits\n======\n\n.. timeline::\n   :source: entries.yaml\n\n"
            f"   .. activity:: 2022-04\n      :tags: {MANY}\n\n      Too many tags.\n"
        )
    return data


@pytest.mark.parametrize("syntax", ["md", "rst"])
def test_an_entry_over_the_limits_is_told_at_its_line(tmp_path: Path, syntax: str) -> None:
    data = write_limits(tmp_path, syntax)
    built = build(tmp_path, tmp_path / "_build")
    warnings = partnership_warnings(built.warnings)
    page = tmp_path / f"index.{syntax}"
    assert len(warnings) == 3, warnings
    assert any(
        line.startswith(f"{data}:2: ")
        and f"has {MAX_TEXT_LENGTH + 1:,} characters, more than the {MAX_TEXT_LENGTH:,}" in line
        and "the entry is left out" in line
        for line in warnings
    ), warnings
    assert any(
        line.startswith(f"{data}:4: ")
        and f"lists {MAX_LIST_ITEMS + 1} names, more than the {MAX_LIST_ITEMS}" in line
        and "it is ignored" in line
        for line in warnings
    ), warnings
    assert any(
        line.startswith(f"{page}:") and ":tags:" in line and "more than the" in line
        for line in warnings
    ), warnings
    assert all(line.endswith("[partnerships.field]") for line in warnings)
    shown = main_content((built.outdir / "index.html").read_text()).get_text()
    assert "x" * 100 not in shown
    # the entries are shown without what was refused
    assert "Many partners." in shown
    assert "Partner 7" not in shown
    assert "Too many tags." in shown
    assert "Within the limits." in shown


def test_check_refuses_what_the_build_refuses(tmp_path: Path) -> None:
    data = write_limits(tmp_path, "md")
    issues, _kinds = check_data_file(data)
    assert [issue.line for issue in issues] == [2, 4]
    assert all(issue.subtype == "field" for issue in issues)


def test_an_archive_page_shows_the_newest_entries_up_to_its_limit(tmp_path: Path) -> None:
    total = ARCHIVE_PAGE_LIMIT + 7
    (tmp_path / "conf.py").write_text(CONF)
    rows = "\n".join(
        f"2020-{1 + number % 12:02d}-{1 + number % 28:02d},Visit number {number}.,visit"
        for number in range(total)
    )
    (tmp_path / "rows.csv").write_text("date,text,tags\n" + rows + "\n")
    (tmp_path / "index.md").write_text("# Rows\n\n::::{timeline}\n:source: rows.csv\n::::\n")
    built = build(tmp_path, tmp_path / "_build")
    assert partnership_warnings(built.warnings) == []
    # the page of the data file shows every entry; the tag's page the newest ones
    assert (
        len(main_content((built.outdir / "index.html").read_text()).select("li.sp-entry")) == total
    )
    for archive in ("archives/tags/visit.html", "archives/years/2020.html"):
        page = main_content((built.outdir / archive).read_text())
        assert len(page.select("li.sp-entry")) == ARCHIVE_PAGE_LIMIT, archive
        note = page.select_one(".sp-archive-more")
        assert note is not None
        assert note.get_text() == f"The newest {ARCHIVE_PAGE_LIMIT} of {total} are shown."
        dates = [time["datetime"] for time in page.select("li.sp-entry time")]
        assert dates == sorted(dates, reverse=True)
    # the index counts them all
    index = main_content((built.outdir / "archives/index.html").read_text()).get_text()
    assert f"visit ({total})" in index
