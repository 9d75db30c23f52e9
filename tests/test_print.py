"""Print and plain text: the components in LaTeX, in a compiled PDF and in the text builder.

The tests marked ``pdf`` compile with latexmk (``nox -s pdf``): the project in
``tests/roots/test-print`` and the documentation site. The others read the
``.tex`` and ``.txt`` Sphinx writes, and run with the rest of the suite.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from defusedxml import ElementTree
from sphinx.testing.util import SphinxTestApp

from .linkcheck import undefined_latex_references
from .test_timeline import assert_clean

ROOT = Path(__file__).resolve().parent
PRINT_ROOT = ROOT / "roots" / "test-print"
DOCS = ROOT.parent / "docs"

#: the dates of the project's activities, as they start each entry or, where
#: the group heading already says it, the heading over it
ACTIVITY_DATES = ("23 June 2022", "November 2021", "12 September 2023", "2023")
#: the dates of its awards, on the line below the award's name or its heading
AWARD_DATES = ("2022", "May 2024", "March 2020")
#: dates that only their group heading shows: an entry does not repeat them
IMPLIED_DATES = ("November 2021", "2023")
#: a label/value pair, then the next one: never run together
PAIRS = (
    "Partners: Malaysia, Japan · Tags: visit, bilateral",
    "Recipients: Team A, Team B · Tags: open-data",
    "Recipients: Team C, Team D · Tags: open-data, accessibility",
)
CAPTIONS = ("Alphacard", "Bravocard", "Charliecard", "Deltacard", "upcoming events", "annual")


def numbered_entries(text: str) -> list[str]:
    """Lines where a list number stands before a date, or alone ("1." then the date)."""
    months = "January|February|March|April|May|June|July|August|September|October|November|December"
    pattern = rf"^[ \t]*\d{{1,3}}\.(?:[ \t]*$|[ \t]+(?:\d{{1,2}} )?(?:{months}) \d{{4}})"
    return re.findall(pattern, text, flags=re.MULTILINE)


# -- the .tex and .txt Sphinx writes (the fast suite) -----------------------------------


@pytest.mark.sphinx("latex", testroot="print", freshenv=True)
def test_latex_lists_cards_and_pairs(app: SphinxTestApp) -> None:
    app.build()
    assert_clean(app)
    tex = (app.outdir / "print.tex").read_text(encoding="utf-8")
    # entries are a list without numbers, and keep their anchors as labels
    assert r"\begin{enumerate}" not in tex
    # one a group: 2 + 1 of the timelines, 2 + 1 of the award lists, 4 partners
    assert tex.count(r"\begin{list}{}") == 10
    for label in ("index:rst-visit", "index:smart-city-prize", "myst:md-forum"):
        assert f"\\label{{\\detokenize{{{label}}}}}" in tex
    assert undefined_latex_references(tex) == []
    # an entry's date is set in bold; a group heading's date is not
    assert r"\textbf{23 June 2022}" in tex
    assert r"\subsubsection*{June 2022}" in tex
    # cards: a minipage each, an equal share of the text width, no float, no centre block
    assert tex.count(r"\begin{minipage}[t]{\dimexpr(\linewidth-2\dimexpr1em\relax)/3\relax}") == 4
    assert tex.count(r"\begin{minipage}[t]{\dimexpr(\linewidth-1\dimexpr1em\relax)/2\relax}") == 2
    assert tex.count(r"\begin{minipage}[t]{0.5\linewidth}") == 2
    assert r"\begin{figure}" not in tex
    assert r"\begin{center}" not in tex
    assert tex.count(r"\sphinxincludegraphics[width=1.000\linewidth]") == 8
    # the pairs of an entry's details are set apart
    assert re.search(r"\{Team B\}\} · \\DUrole\{sp-tags\}", tex)


@pytest.mark.sphinx("text", testroot="print", freshenv=True)
def test_text_lists_and_pairs(app: SphinxTestApp) -> None:
    app.build()
    assert_clean(app)
    text = (app.outdir / "index.txt").read_text(encoding="utf-8") + (
        app.outdir / "myst.txt"
    ).read_text(encoding="utf-8")
    assert numbered_entries(text) == []
    for date in ACTIVITY_DATES:
        if date in IMPLIED_DATES:
            assert f"-[ {date} ]-" in text, date
            assert f"\n* {date}\n" not in text, date
        else:
            assert f"\n* {date}\n" in text, date
    for name in ("Smart City Prize", "Service Medal", "Open Data Award"):
        assert f"\n* **{name}**" in text, name
    for pair in PAIRS:
        assert pair in text, pair
    # the partner index lists activities the same way
    assert "* 12 September 2023 — A talk at the Digital Government Forum." in text


def test_numbered_entries_finds_what_the_text_builder_numbered() -> None:
    numbered = "-[ June 2022 ]-\n\n1. June 2022\n\n   Visit.\n\n2.\n   5 May 2021\n"
    assert numbered_entries(numbered) == ["1. June 2022", "2."]
    assert numbered_entries("* June 2022\n\n  Section 1.2 of the plan, since\n2023.\n") == []


# -- compiled PDFs: ``nox -s pdf`` ------------------------------------------------------

LATEX_TOOLS = ("latexmk", "pdflatex", "pdftotext", "pdftohtml")


def require_tex() -> None:
    missing = [tool for tool in LATEX_TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: install TeX Live and poppler-utils")


def sphinx_latex(source: Path, out: Path) -> Path:
    """``sphinx-build -n -W -b latex``: no warning of any kind."""
    result = subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-n", "-W", "--keep-going", "-q", "-b", "latex"),
            *("-d", str(out / ".doctrees"), str(source), str(out / "latex")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out / "latex"


@dataclass
class Compiled:
    pdf: Path
    log: str
    text: str


def compile_pdf(latex: Path) -> Compiled:
    """latexmk in Sphinx's LaTeX folder (its latexmkrc included), stopping at an error."""
    (tex,) = latex.glob("*.tex")
    result = subprocess.run(
        [
            *("latexmk", "-pdf", "-dvi-", "-ps-"),
            *("-interaction=nonstopmode", "-halt-on-error", tex.name),
        ],
        cwd=latex,
        capture_output=True,
        text=True,
        check=False,
    )
    log_file = tex.with_suffix(".log")
    log = log_file.read_text(encoding="latin-1") if log_file.is_file() else ""
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:] + "\n".join(
        log_problems(log)
    )
    pdf = tex.with_suffix(".pdf")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return Compiled(pdf, log, text)


def log_problems(log: str) -> list[str]:
    """What the LaTeX log of a good PDF never has: errors, undefined
    references and a running head taller than the space it is given."""
    patterns = (
        r"^! .*",
        r"LaTeX Warning: (?:Hyper )?[Rr]eference `[^']*' on page \d+\s+undefined",
        r"LaTeX Warning: Citation `[^']*' on page \d+\s+undefined",
        r"There were undefined references",
        r"\\headheight is too small",
    )
    return [
        " ".join(match.group(0).split())
        for pattern in patterns
        for match in re.finditer(pattern, log, flags=re.MULTILINE)
    ]


@dataclass(frozen=True)
class Picture:
    page: int
    top: int
    left: int
    width: int


def pictures(pdf: Path, scratch: Path) -> list[Picture]:
    """Where each image of the PDF is placed, in reading order (pdftohtml)."""
    scratch.mkdir(exist_ok=True)
    xml = subprocess.run(
        ["pdftohtml", "-xml", "-stdout", "-q", str(pdf), str(scratch / "page")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found: list[Picture] = []
    for page in ElementTree.fromstring(xml).iter("page"):
        for image in page.iter("image"):
            found.append(
                Picture(
                    int(page.get("number")),
                    int(image.get("top")),
                    int(image.get("left")),
                    int(image.get("width")),
                )
            )
    return found


def rows(found: list[Picture]) -> list[list[Picture]]:
    """Images side by side: on the same page, with the same top."""
    grouped: dict[tuple[int, int], list[Picture]] = {}
    for picture in found:
        grouped.setdefault((picture.page, picture.top), []).append(picture)
    return [sorted(row, key=lambda picture: picture.left) for row in grouped.values()]


def test_log_problems_finds_what_breaks_a_pdf() -> None:
    log = (
        "Package fancyhdr Warning: \\headheight is too small (12.0pt): \n"
        "LaTeX Warning: Hyper reference `index:missing' on page 3 undefined on input line 9.\n"
        "LaTeX Warning: Reference `myst:gone' on page 4 \nundefined on input line 12.\n"
        "! Undefined control sequence.\n"
        "LaTeX Warning: There were undefined references.\n"
    )
    assert len(log_problems(log)) == 5
    assert log_problems("Output written on print.pdf (4 pages, 9000 bytes).\n") == []


@pytest.fixture(scope="module")
def print_pdf(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    require_tex()
    out = tmp_path_factory.mktemp("print")
    shutil.copytree(PRINT_ROOT, out / "source")
    return compile_pdf(sphinx_latex(out / "source", out))


@pytest.mark.pdf
def test_print_project_compiles_cleanly(print_pdf: Compiled) -> None:
    assert log_problems(print_pdf.log) == []
    # rows of cards fit the text width exactly
    assert "Overfull \\hbox" not in print_pdf.log
    assert "Output written on print.pdf (4 pages" in print_pdf.log


@pytest.mark.pdf
def test_print_project_reads_as_lists(print_pdf: Compiled) -> None:
    text = print_pdf.text
    assert numbered_entries(text) == []
    lines = text.splitlines()
    for date in (*ACTIVITY_DATES, *AWARD_DATES):
        assert any(line.startswith(date) for line in lines), date
    flat = " ".join(text.split())
    for pair in PAIRS:
        assert pair in flat, pair
    for caption in CAPTIONS:
        assert caption in text, caption


@pytest.mark.pdf
def test_print_project_cards_sit_side_by_side(print_pdf: Compiled, tmp_path: Path) -> None:
    found = rows(pictures(print_pdf.pdf, tmp_path))
    # MyST: a grid of 2, a single card; rST: a grid of 3 (4 cards), a single card
    assert [len(row) for row in found] == [2, 1, 3, 1, 1]
    two, golf, three, delta, single = found
    text_left = two[0].left
    text_width = two[-1].left + two[-1].width - text_left
    assert three[0].left == text_left == delta[0].left
    assert abs(three[-1].left + three[-1].width - text_left - text_width) <= 1
    for row, columns in ((two, 2), (three, 3)):
        for picture in row:
            # an equal share of the width, less the gaps
            assert text_width / columns * 0.9 < picture.width < text_width / columns, row
    # the fourth card of the grid of 3 starts the next row, below the first
    assert (delta[0].page, delta[0].top) > (three[0].page, three[0].top)
    for picture in (golf[0], single[0]):
        assert abs(picture.width - text_width / 2) <= 2
        assert abs(picture.left + picture.width / 2 - (text_left + text_width / 2)) <= 2


@pytest.fixture(scope="module")
def site_pdf(tmp_path_factory: pytest.TempPathFactory) -> Compiled:
    """The site's PDF: from the LaTeX ``nox -s pdf`` wrote (``SP_PDF_SITE``),
    or built here."""
    require_tex()
    prebuilt = os.environ.get("SP_PDF_SITE")
    latex = Path(prebuilt) if prebuilt else sphinx_latex(DOCS, tmp_path_factory.mktemp("site"))
    return compile_pdf(latex)


@pytest.mark.pdf
def test_site_pdf_compiles_cleanly(site_pdf: Compiled) -> None:
    assert log_problems(site_pdf.log) == []
    flat = " ".join(site_pdf.text.split())
    assert "Recipients: GovTech, MOE, MOH" in flat
    assert "Recipients: Team A, Team B · Tags: open-data" in flat
    assert numbered_entries(site_pdf.text) == []


@pytest.mark.pdf
def test_site_pdf_cards_sit_side_by_side(site_pdf: Compiled, tmp_path: Path) -> None:
    # the page's grid of two cards (:columns: 1 2 2 2) is one row
    found = rows(pictures(site_pdf.pdf, tmp_path))
    assert [len(row) for row in found].count(2) >= 1
    assert all(len(row) <= 4 for row in found)
