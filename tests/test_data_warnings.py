"""A data file's problems are told once, at the file's line, however many pages
load it; a data file reached through a link is read again when the link changes;
deep nesting is refused the same way with or without libyaml."""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

from sphinx_partnerships import sources

from .conftest import build, main_content, partnership_warnings

PROBLEMS = (
    "activities:\n"
    "  - date: 2022-06\n"
    "    text: A good activity.\n"
    "  - date: 2022-02-30\n"
    "    text: A day that does not exist.\n"
    "  - date: 2021\n"
    "    text: An activity with a misspelt field.\n"
    "    partnres: [Japan]\n"
    "awards:\n"
    "  - name: An award without a date\n"
)
#: (line, subtype) of each problem of PROBLEMS, for the activities and the awards
EXPECTED = {(4, "date"), (6, "field"), (10, "date")}


def write_project(root: Path, pages: int = 4) -> None:
    """Pages in MyST and rST that all load one data file, twice on some."""
    (root / "data").mkdir(parents=True)
    (root / "data" / "shared.yaml").write_text(PROBLEMS)
    (root / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_partnerships"]\n'
        'myst_enable_extensions = ["colon_fence"]\n'
        'exclude_patterns = ["_build"]\n'
    )
    names = [f"page{number}" for number in range(pages)]
    (root / "index.md").write_text("# Shared\n\n```{toctree}\n\n" + "\n".join(names) + "\n```\n")
    for number, name in enumerate(names):
        if number % 2:
            (root / f"{name}.rst").write_text(
                f"Page {number}\n=======\n\n"
                ".. timeline::\n   :source: /data/shared.yaml\n\n"
                ".. award-list::\n   :source: data/shared.yaml\n"
            )
        else:
            (root / f"{name}.md").write_text(
                f"# Page {number}\n\n"
                "::::{timeline}\n:source: /data/shared.yaml\n::::\n\n"
                "::::{timeline}\n:source: data/shared.yaml\n:group-by: year\n::::\n\n"
                "::::{award-list}\n:source: /data/shared.yaml\n::::\n"
            )


def problems(warnings: str, path: Path) -> Counter[tuple[int, str]]:
    """How often each (line, subtype) of ``path`` was warned about."""
    found: Counter[tuple[int, str]] = Counter()
    for line in partnership_warnings(warnings):
        match = re.match(
            rf"{re.escape(str(path))}:(\d+): WARNING: .* \[partnerships\.(\w+)\]$", line
        )
        assert match, f"a warning not located in the data file: {line}"
        found[int(match.group(1)), match.group(2)] += 1
    return found


@pytest.mark.parametrize("parallel", [1, 2], ids=["serial", "parallel"])
def test_each_problem_once_however_many_pages_load_the_file(tmp_path: Path, parallel: int) -> None:
    write_project(tmp_path)
    built = build(tmp_path, tmp_path / "_build", parallel=parallel)
    found = problems(built.warnings, tmp_path / "data" / "shared.yaml")
    assert found == Counter(dict.fromkeys(EXPECTED, 1))
    # every page still shows the good entries
    for number in range(4):
        text = main_content((built.outdir / f"page{number}.html").read_text()).get_text()
        assert "A good activity." in text
        assert "A day that does not exist." not in text


def test_a_page_read_again_tells_the_file_problems_again_once(tmp_path: Path) -> None:
    write_project(tmp_path)
    build(tmp_path, tmp_path / "_build")
    unchanged = _rebuild(tmp_path)
    assert partnership_warnings(unchanged) == []
    page = tmp_path / "page2.md"
    page.write_text(page.read_text() + "\nMore words.\n")
    edited = _rebuild(tmp_path)
    found = problems(edited, tmp_path / "data" / "shared.yaml")
    assert found == Counter(dict.fromkeys(EXPECTED, 1))


def test_the_problems_are_those_check_prints(tmp_path: Path) -> None:
    """The command line and the build tell the same problems, in the same order."""
    from sphinx_partnerships.checking import check_data_file

    write_project(tmp_path, pages=2)
    path = tmp_path / "data" / "shared.yaml"
    built = build(tmp_path, tmp_path / "_build")
    told = [
        line.split(": WARNING: ", 1)[1].rsplit(" [", 1)[0]
        for line in partnership_warnings(built.warnings)
    ]
    issues, kinds = check_data_file(path)
    assert kinds == ["activities", "awards"]
    assert [issue.text for issue in issues] == told


def _rebuild(root: Path) -> str:
    from sphinx.testing.util import SphinxTestApp

    from .conftest import strip_colours

    app = SphinxTestApp("html", srcdir=root, builddir=root / "_build", freshenv=False)
    try:
        app.build()
    finally:
        app.cleanup()
    return strip_colours(app.warning.getvalue())


def test_a_data_file_link_pointed_elsewhere_is_read_again(tmp_path: Path) -> None:
    write_project(tmp_path, pages=1)
    data = tmp_path / "data"
    (data / "spring.yaml").write_text("- date: 2022-04\n  text: Spring visit.\n")
    (data / "autumn.yaml").write_text("- date: 2022-10\n  text: Autumn visit.\n")
    # the file the link will lead to is older than the first build
    os.utime(data / "autumn.yaml", (1_600_000_000, 1_600_000_000))
    (data / "current.yaml").symlink_to("spring.yaml")
    (tmp_path / "page0.md").write_text(
        "# Now\n\n::::{timeline}\n:source: data/current.yaml\n::::\n"
    )
    built = build(tmp_path, tmp_path / "_build")
    assert "Spring visit." in (built.outdir / "page0.html").read_text()
    (data / "current.yaml").unlink()
    (data / "current.yaml").symlink_to("autumn.yaml")
    _rebuild(tmp_path)
    html = (built.outdir / "page0.html").read_text()
    assert "Autumn visit." in html
    assert "Spring visit." not in html


DEEP = "activities:\n  - date: 2022\n    text: " + "[" * 150 + "]" * 150 + "\n"


@pytest.mark.parametrize(
    "loader",
    [
        pytest.param(
            "libyaml",
            marks=pytest.mark.skipif(
                not hasattr(yaml, "CSafeLoader"), reason="libyaml is not installed"
            ),
        ),
        "python",
    ],
)
def test_deep_nesting_is_refused_with_or_without_libyaml(loader: str) -> None:
    chosen = sources._PureLineLoader if loader == "python" else sources._LineLoader
    document, failure = sources._load_yaml(DEEP, chosen)
    assert document is None
    assert failure is not None
    assert failure.failure is not None
    assert failure.failure.key == "source-nesting"
    assert failure.failure.line == 3


def test_deep_nesting_is_one_source_warning_at_its_line(tmp_path: Path) -> None:
    write_project(tmp_path, pages=1)
    (tmp_path / "data" / "shared.yaml").write_text(DEEP)
    built = build(tmp_path, tmp_path / "_build")
    (warning,) = partnership_warnings(built.warnings)
    assert warning.startswith(f"{tmp_path / 'data' / 'shared.yaml'}:3: WARNING: data file ")
    assert "more than 100 levels deep" in warning
    assert warning.endswith("[partnerships.source]")
