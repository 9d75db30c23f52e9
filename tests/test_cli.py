"""``sphinx-partnerships check`` and ``migrate``: the command line for writers.

``check`` is held to the build: for every data file of ``test-data-invalid`` and
``test-cli-check``, it prints the very lines a real build warns (those that need
no project). ``migrate`` turns the original Jekyll page (``tests/cli/jekyll``) and
small pages, one per rule, into MyST pages that a real ``sphinx-build -W`` builds.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest
from bs4 import BeautifulSoup
from pytest_regressions.file_regression import FileRegressionFixture

from sphinx_partnerships.cli import main
from sphinx_partnerships.diagnostics import MESSAGES
from sphinx_partnerships.migrate import ParserMissing, migrate_page

from .conftest import ROOTS, main_content, partnership_warnings
from .test_cards import build

JEKYLL = Path(__file__).parent / "cli" / "jekyll"
CHECK_ROOTS = ("test-data-invalid", "test-cli-check")
#: what only a build can tell: files, pages and ids of the project, the page's markup
BUILD_ONLY = {
    "xref-link",
    "xref-entry",
    "image-missing",
    "image-outside",
    "image-link",
    "image-special",
    "image-content",
    "image-format",
    "alt-linked",
    "duplicate-id",
    "duplicate-on-page",
    "markup-unsafe",
    "card-caption-links",
}


def run(*arguments: str | Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main([str(argument) for argument in arguments])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def message_key(message: str) -> str:
    """The ``MESSAGES`` key whose words give ``message``."""
    for key, entry in MESSAGES.items():
        pattern = ".*".join(re.escape(part) for part in re.split(r"\{\w+\}", entry.text))
        if re.fullmatch(pattern, message):
            return key
    raise AssertionError(f"no message gives {message!r}")


# -- check -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_warnings(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The extension's warnings of real builds of the roots whose data files are checked."""
    lines: list[str] = []
    for root in CHECK_ROOTS:
        result = build(ROOTS / root, tmp_path_factory.mktemp(root))
        lines.extend(partnership_warnings(result.warnings))
    return lines


def data_files() -> list[Path]:
    return sorted(
        path
        for root in CHECK_ROOTS
        for path in (ROOTS / root / "data").glob("*")
        if path.suffix in {".yaml", ".json", ".csv"}
    )


@pytest.mark.parametrize(
    "path", data_files(), ids=lambda path: f"{path.parent.parent.name}/{path.name}"
)
def test_check_says_what_the_build_says(
    path: Path, built_warnings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = [
        line
        for line in built_warnings
        if line.startswith(f"{path}:")
        and message_key(line.split(": WARNING: ", 1)[1].rsplit(" [", 1)[0]) not in BUILD_ONLY
    ]
    # the files whose key and name say no kind: the one the page's directive reads
    kind = ["--kind", "activities"] if path.name in {"broken.json", "other-key.yaml"} else []
    status, out, err = run("check", path, *kind, capsys=capsys)
    assert out.splitlines() == expected
    assert status == (1 if expected else 0), err


def test_check_finds_every_kind_of_problem_a_file_can_have(
    built_warnings: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Between them, the checked files give every message that needs no project."""
    _, out, _ = run("check", *data_files(), capsys=capsys)
    given = {
        message_key(line.split(": WARNING: ", 1)[1].rsplit(" [", 1)[0]) for line in out.splitlines()
    }
    assert {
        "entry-not-mapping",
        "field-unknown",
        "field-required",
        "field-value",
        "date-format",
        "date-calendar",
        "date-missing",
        "link-scheme",
        "alt-missing",
        "alt-decorative",
        "image-scheme",
        "image-pattern",
        "image-hidden",
        "image-type",
        "source-syntax",
        "source-alias",
        "source-key-shape",
        "source-row-cells",
        "source-column-twice",
    } <= given


def test_a_missing_file_has_the_builds_message_at_the_file(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The build tells it at the directive that names the file; the command at the file."""
    status, out, _ = run("check", "nowhere/activities.yaml", capsys=capsys)
    assert status == 1
    assert out == (
        "nowhere/activities.yaml: WARNING: data file 'activities.yaml' does not exist"
        " [partnerships.source]\n"
    )


def test_a_clean_file_passes_silently(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("check", ROOTS / "test-data-md" / "data", capsys=capsys) == (0, "", "")


def test_the_kind_comes_from_the_key_the_name_or_the_option(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "entries.yaml"
    bare.write_text("- date: 2022\n", encoding="utf-8")
    status, out, err = run("check", bare, capsys=capsys)
    assert (status, out) == (2, "")
    assert "give --kind" in err
    status, out, _ = run("check", bare, "--kind", "activities", capsys=capsys)
    assert status == 1
    assert "activity entry: the 'text' field is required [partnerships.field]" in out
    named = tmp_path / "awards-2022.yaml"
    named.write_text("- date: 2022\n", encoding="utf-8")
    status, out, _ = run("check", named, capsys=capsys)
    assert "award entry: the 'name' field is required" in out
    other = ROOTS / "test-cli-check" / "data" / "other-key.yaml"
    assert run("check", other, capsys=capsys)[0] == 2
    status, out, _ = run("check", other, "--kind", "activities", capsys=capsys)
    assert "a mapping with an 'activities' list [partnerships.source]" in out


def test_a_folder_is_searched_but_not_its_build_or_hidden_folders(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, err = run("check", ROOTS / "test-cli-check", capsys=capsys)
    assert status == 1
    assert "_build" not in out
    # other-key.yaml names no kind: a folder's such files are left out, not errors
    assert "other-key.yaml" not in out + err
    assert "awards-bare.json:3:" in out


def test_json_output_for_tools(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOTS / "test-data-invalid" / "data" / "bad-awards.json"
    status, out, _ = run("check", "--format", "json", path, capsys=capsys)
    assert status == 1
    problems = json.loads(out)
    assert problems[0] == {
        "file": str(path),
        "line": 4,
        "type": "partnerships",
        "subtype": "field",
        "message": "award entry: the 'name' field is required",
    }
    assert [problem["line"] for problem in problems] == [4, 7, 11, 12]
    assert (
        json.loads(
            run("check", "--format", "json", ROOTS / "test-data-md" / "data", capsys=capsys)[1]
        )
        == []
    )


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["check", "--kind", "events", "x.yaml"])
    assert exited.value.code == 2
    with pytest.raises(SystemExit):
        main([])
    capsys.readouterr()


def test_python_m_runs_the_command() -> None:
    path = ROOTS / "test-data-invalid" / "data" / "broken.yaml"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx_partnerships", "check", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:5: WARNING: data file 'broken.yaml' is not valid YAML")


def test_check_needs_no_sphinx_application(tmp_path: Path) -> None:
    """The check runs without a Sphinx project, and loads none of Sphinx's
    application (a pre-commit hook starts it for every commit)."""
    path = tmp_path / "news.yaml"
    path.write_text("activities:\n  - date: 2022-06\n    text: A visit.\n", encoding="utf-8")
    script = (
        "import sys\n"
        "from sphinx_partnerships.cli import main\n"
        f"code = main(['check', {str(path)!r}])\n"
        "print(code, 'sphinx.application' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.split()[-2:] == ["0", "False"]


def test_the_pre_commit_hook_runs_the_check() -> None:
    hooks = (Path(__file__).parent.parent / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "id: sphinx-partnerships-check" in hooks
    assert "entry: sphinx-partnerships check" in hooks


# -- migrate ---------------------------------------------------------------------------

#: each page, the address of its old site, and where its MyST page is written
PAGES = {
    "international-partnerships.md": (
        "https://www.tech.gov.sg",
        "international-partnerships/index.md",
    ),
    "oldest-first.md": ("https://example.org/", "news/older.md"),
    "newest-first.md": ("https://example.org", "newest-first.md"),
    "leave-alone.md": ("https://example.org", "ordinary/index.md"),
    "cards.md": ("https://example.org", "cards/index.md"),
}

CONF = """\
extensions = ["myst_parser", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3
project = "Migrated"
exclude_patterns = ["_build"]
"""


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The pages migrated into one project, built with ``sphinx-build -W``:
    the source folder, the output folder, and the notes."""
    srcdir = tmp_path_factory.mktemp("migrated")
    notes = ""
    for name, (site, _) in PAGES.items():
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "sphinx_partnerships",
                "migrate",
                str(JEKYLL / name),
                "--out",
                str(srcdir),
                "--site-url",
                site,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        notes += result.stderr
    (srcdir / "conf.py").write_text(CONF, encoding="utf-8")
    pages = "\n".join(target.removesuffix(".md") for _, target in PAGES.values())
    (srcdir / "index.md").write_text(
        f"# Migrated\n\n```{{toctree}}\n{pages}\n```\n", encoding="utf-8"
    )
    outdir = srcdir / "_build"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "dirhtml",
            str(srcdir),
            str(outdir),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    return srcdir, outdir, notes


def page(outdir: Path, target: str) -> BeautifulSoup:
    path = target.removesuffix(".md").removesuffix("index").strip("/")
    return main_content((outdir / path / "index.html").read_text(encoding="utf-8"))


def plain(text: str) -> str:
    """Text as the original writes it: Sphinx's smart quotes and ellipses undone,
    spaces collapsed."""
    text = text.replace("\u2026", "...").replace("\u2019", "'").replace("\u2018", "'")
    return " ".join(text.split())


#: every fact of the original page, in its order, in its words (typos and cut-off text too)
FACTS = [
    "International Partnerships",
    "Singapore realized very early on that we are not alone in Digital Government journey.",
    "Singapore's Government Technology Agency (GovTech)'s active engagements on the"
    " international front",
    "We are keen to explore international collaboration opportunities",
    "United Nations Department of Economic and Social Affairs (DESA)",
    "Chan Cheow Hoe sharing key learning points from Singapore's Digital Government transfomation.",
    "View the videos on the Digital Government page here",
    "Digital Government Exchange",
    "is the Digital Government Exchange (DGX).",
    "These include Australia, , Canada, China, Denmark, Estonia, Finland, France, Israel,"
    " Japan, New Zealand, Sweden, the Netherlands, United Kingdom (UK) and the U.S.",
    "Organised by the Smart Nation and Digital Government Group since 2016",
    "the United Nations, the World Economic Forum and the World Bank also attend these"
    " discussions.",
    "Find out more about DGX reports here.",
    "Our multi-prong international partnerships approaches include, inter alia, the following:",
    "Bilateral: Hosting foreign delegations keen to learn from our experiences.",
    "Multilateral: Engagement of international organizations and governments",
    "Non-Profit Organisations and Civil Societies: Sharing Singapore's digital transformation",
    "Knowledge sharing via the Singapore Government Development Portal: The portal is a repository",
    "Global Government Forum",
    "looking to learn about Singapore' journey",
    "Through these engagements, we want to help, and learn from one another.",
    "Here are some of more recent key partnership activities by GovTech.",
    "June 2022",
    "Visit by Malaysia's Minister of Health Khairy Jamaluddin.",
    "Visit by German delegation from....",
    "May 2022",
    "Memorandum of Cooperation (MOC) between GovTech and The Digital Agency of Japan in the"
    " area of Digital Government.",
    "Achievements",
    "Singapore's Digital Government journey has garnered international... Here are some of"
    " the recent awards that Singapore government agencies including GovTech have won.",
    "SCAPA 2021",
    "GovTech, MOE and MOH for winning the 2022 IDC Smart City Asia Pacific Awards (IDC SCAPA)!"
    " Organised by the International Data Cooperation (IDC), IDC SCAPA recognises top Smart"
    " City projects and initiatives in Asia Pacific.",
    "Smart City Index 2021",
    "Singapore ranks 1st out of 118 cities.",
    "as well as on economic and social data taken from the...",
    "Find out more about the Singapore's Digital Government achievements here.",
    "Contact Information",
    "Contact us at info@tech.gov.sg if you would like to collaborate on various digital"
    " government projects.",
    "Resources",
    "Visit the Singapore Government Developer Portal for more information",
    "TechNews Newsletter",
    "GovTech's Publications",
    "Sign up for TechNews here to receive updates about our digital government efforts.",
    "To view GovTech's publications, you can refer to this link.",
]


def test_the_original_page_keeps_every_fact_in_order(migrated: tuple[Path, Path, str]) -> None:
    _, outdir, _ = migrated
    text = plain(page(outdir, "international-partnerships/index.md").get_text())
    position = 0
    for fact in FACTS:
        found = text.find(fact, position)
        assert found >= 0, f"{fact!r} is missing after {text[max(0, position - 80) : position]!r}"
        position = found + len(fact)


def test_the_original_page_uses_the_directives(migrated: tuple[Path, Path, str]) -> None:
    _, outdir, _ = migrated
    content = page(outdir, "international-partnerships/index.md")
    groups = [plain(heading.get_text()) for heading in content.select(".sp-group-heading")]
    assert groups == ["June 2022", "May 2022", "2022", "2021"]
    assert [time["datetime"] for time in content.select(".sp-timeline li.sp-entry time")] == [
        "2022-06",
        "2022-06",
        "2022-05",
    ]
    assert len(content.select(".sp-award-list li.sp-entry, .sp-awards li.sp-entry")) == 2
    cards = content.select("figure.sp-card")
    assert [card.select_one("img")["alt"] for card in cards] == [
        "TechNews Newsletter",
        "GovTech's Publications",
    ]
    assert all(card.select_one("figcaption strong") for card in cards)
    # Sphinx cloaks email addresses by default (docutils' cloak_email_addresses)
    links = {unquote(str(link.get("href"))) for link in content.find_all("a")}
    assert {
        "mailto:info@tech.gov.sg",
        "https://www.tech.gov.sg/singapore-digital-government-journey"
        "#singapore-s-digital-government-story",
        "https://www.tech.gov.sg/media/corporate-publications/digital-government-exchange-reports",
        "https://www.tech.gov.sg/media/awards/",
        "https://www.developer.gov.sg",
        "https://www.tech.gov.sg/media/technews/subscribe",
        "https://www.tech.gov.sg/media/corporate-publications",
        "https://www.tech.gov.sg/media/corporate-publications/",
    } <= links
    # the cards' links open in a new tab; links of the text are plain links
    assert cards[0].select_one("a")["target"] == "_blank"
    assert all(link.get("target") is None for link in content.select("p > a"))


def test_the_original_page_as_markdown(file_regression: FileRegressionFixture) -> None:
    text = (JEKYLL / "international-partnerships.md").read_text(encoding="utf-8")
    migrated_page = migrate_page(text, "international-partnerships.md", "https://www.tech.gov.sg")
    assert str(migrated_page.path) == "international-partnerships/index.md"
    assert migrated_page.notes == []
    file_regression.check(migrated_page.text, extension=".md")


def test_months_oldest_first_and_year_labels(migrated: tuple[Path, Path, str]) -> None:
    srcdir, outdir, notes = migrated
    text = (srcdir / "news" / "older.md").read_text(encoding="utf-8")
    assert "::::{timeline}\n:order: oldest\n" in text
    assert ":::{activity} 2021-01\n" in text
    assert "Workshop in *Tokyo*,\nover two days." in text
    assert ":::{award} Best Portal\n:date: 2020\n\nfor the new portal.\n:::" in text
    assert ":::{award} Open Data Prize\n:date: 2020\n:link: https://example.org/prize\n" in text
    # a link's kramdown attributes: a plain link; relative addresses from the page's address
    assert "[the team](https://example.org/about/team/)." in text
    assert "(https://example.org/news/reports/2021.pdf)" in text
    content = page(outdir, "news/older.md")
    assert [time["datetime"] for time in content.select(".sp-timeline li.sp-entry time")] == [
        "2021-01",
        "2021-03",
        "2021-03",
    ]
    page_notes = [line for line in notes.splitlines() if "oldest-first.md:" in line]
    assert any(":1: " in line and "/news/older/" in line for line in page_notes)
    assert any(":1: " in line and "/old-news/ needs a redirect" in line for line in page_notes)
    assert any(":1: " in line and "'author'" in line for line in page_notes)
    assert not any("layout" in line for line in page_notes)


def test_a_year_after_months_is_a_year_of_activities(migrated: tuple[Path, Path, str]) -> None:
    srcdir, _, notes = migrated
    text = (srcdir / "newest-first.md").read_text(encoding="utf-8")
    assert text.count("{timeline}") == 1
    assert "{award" not in text
    assert ":::{activity} 2021\n\nA year-long exchange." in text
    assert ":::{activity} 2020\n\n**Not an award:** a year" in text
    # the page's own heading is its title; cut-off text stays cut off
    assert text.startswith("# Newest first\n")
    assert "Visit by a delegation from...." in text
    assert "newest-first.md:1: no permalink: the page is written as newest-first.md" in notes


def test_ordinary_lists_and_headings_are_left_alone(migrated: tuple[Path, Path, str]) -> None:
    srcdir, _, notes = migrated
    text = (srcdir / "ordinary" / "index.md").read_text(encoding="utf-8")
    original = (JEKYLL / "leave-alone.md").read_text(encoding="utf-8")
    assert "{timeline}" not in text
    assert "{award" not in text
    for kept in (
        "- **Bilateral:** Hosting foreign delegations.",
        "### 2022\n\n- A plain item under a year, which is no award.",
        "### June 2022\n\nThis month has a paragraph, not a list.",
        "```markdown\n### May 2022\n\n- Not an activity: this is code.\n```",
        '<p class="note">Some raw HTML that is no card row.</p>',
        "[our page](#approaches)",
        "[ref link][home]",
    ):
        assert kept in text
        assert kept in original
    assert "Write to [team@example.org](mailto:team@example.org)" in text
    assert "[home]: https://example.org/home/" in text
    assert "{: .lead}" not in text
    # what could not be converted, at its line of the original page
    assert "leave-alone.md:20: the heading 'June 2022' has no list below it" in notes
    assert "leave-alone.md:30: the anchor #approaches is kept" in notes
    assert "leave-alone.md:33: kramdown attributes {: .lead} dropped" in notes
    assert "leave-alone.md:35: raw HTML is kept as it is" in notes


def test_html_card_rows_become_a_card_grid(migrated: tuple[Path, Path, str]) -> None:
    srcdir, outdir, notes = migrated
    text = (srcdir / "cards" / "index.md").read_text(encoding="utf-8")
    assert text.startswith("# Cards\n\n::::{card-grid}\n:columns: 1 2 3 3\n\n")
    assert (
        ":::{image-card} https://example.org/images/one.png\n:alt: First picture\n"
        ":link: https://example.org/one\n:new-tab:\n\n**One** and *more*\n:::"
    ) in text
    assert (
        ":::{image-card} https://example.org/cards/images/two.png\n:decorative:\n"
        ":link: https://example.org/two/\n\nTwo & three\n:::"
    ) in text
    assert "cards.md:6: the caption's link to /three is left out" in notes
    content = page(outdir, "cards/index.md")
    assert len(content.select("figure.sp-card")) == 2


def test_without_a_site_address_links_stay_and_are_noted(tmp_path: Path) -> None:
    page_text = "---\ntitle: T\npermalink: /t/\n---\n\nSee [this](/x/) and [that](https://a.org).\n"
    migrated_page = migrate_page(page_text, "t.md")
    assert "[this](/x/)" in migrated_page.text
    assert [(note.line, note.text) for note in migrated_page.notes] == [
        (6, "the site link /x/ is kept relative: give --site-url")
    ]


def test_the_report_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    report = tmp_path / "report.txt"
    status, _, err = run(
        "migrate",
        JEKYLL / "leave-alone.md",
        "--out",
        tmp_path / "out",
        "--report",
        report,
        capsys=capsys,
    )
    assert status == 0
    assert (tmp_path / "out" / "ordinary" / "index.md").is_file()
    lines = report.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 6  # four notes, and the two site links without --site-url
    assert all(line in err for line in lines)
    assert lines[0].startswith(f"{JEKYLL / 'leave-alone.md'}:20: ")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\ntitle: [unclosed\n---\n# T\n",
        "---\nno end\n",
        '<div class="row"><div class="col"><img src="a.png" alt="A">',
        '<div class="row">\n  <div class="col"><p>words</p></div>\n</div>\n',
        "### June 2022\n\n1. an ordered list\n",
        "### June 2022\n\n-\n",
        "\x00\ufeff### 2022\n\n- ****:** x\n",
        "---\npermalink: /../../etc/\n---\n",
        "---\n- a list\n---\n",
    ],
)
def test_bad_pages_give_notes_not_tracebacks(text: str, tmp_path: Path) -> None:
    migrated_page = migrate_page(text, "odd.md", "https://example.org")
    assert ".." not in str(migrated_page.path)


def test_a_missing_parser_is_said_clearly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "markdown_it", None)
    with pytest.raises(ParserMissing, match=r"pip install 'sphinx-partnerships\[migrate\]'"):
        migrate_page("# T\n", "t.md")
    status, _, err = run("migrate", JEKYLL / "cards.md", "--out", tmp_path, capsys=capsys)
    assert status == 2
    assert "migrate needs markdown-it-py" in err


def test_an_unreadable_page_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run("migrate", tmp_path / "none.md", "--out", tmp_path, capsys=capsys)
    assert status == 2
    assert "none.md: error: cannot be read" in err


def test_a_reader_that_stops_reading_gets_no_traceback() -> None:
    """``check … | head``: the command stops quietly when its reader does."""
    data = ROOTS / "test-data-invalid" / "data"
    command = [sys.executable, "-m", "sphinx_partnerships", "check", "--format", "json", str(data)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.read(10)
        process.stdout.close()
        errors = process.stderr.read().decode()
        process.wait(timeout=60)
    assert "Traceback" not in errors, errors
