"""The documentation site builds without a warning and shows the rebuilt page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from .linkcheck import broken_links, repeated_ids, undefined_latex_references

DOCS = Path(__file__).resolve().parent.parent / "docs"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as Read the Docs builds it: dirhtml, nitpicky, -W."""
    out = tmp_path_factory.mktemp("site")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-n",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "dirhtml",
            "-d",
            str(out / ".doctrees"),
            str(DOCS),
            str(out / "dirhtml"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNING" not in result.stderr, result.stderr
    return out / "dirhtml"


def page(site: Path, path: str) -> str:
    file = site / path
    assert file.is_file(), f"{path} was not built"
    return file.read_text(encoding="utf-8")


def article(site: Path, path: str) -> BeautifulSoup:
    """The page's main content, without the theme's navigation."""
    soup = BeautifulSoup(page(site, path), "html.parser")
    main = soup.select_one("article.bd-article")
    assert main is not None, f"{path} has no article"
    return main


def text_of(element: BeautifulSoup) -> str:
    return " ".join(element.get_text(" ").split())


def test_partnerships_page_is_served_at_its_original_address(site: Path) -> None:
    page(site, "international-partnerships/index.html")


@pytest.mark.parametrize(
    "fact",
    [
        "Chan Cheow Hoe",
        "United Nations Department of Economic and Social Affairs (DESA)",
        "Digital Government transformation",
        "Digital Government Exchange (DGX)",
        "These include Australia, Canada, China, Denmark, Estonia",
        "the United Nations, the World Economic Forum and the World Bank",
        "Bilateral:",
        "Multilateral:",
        "Non-Profit Organisations and Civil Societies:",
        "Knowledge sharing via the Singapore Government Development Portal:",
        "Global Government Forum",
        "Khairy Jamaluddin",
        "Visit by German delegation from\u2026",
        "The Digital Agency of Japan",
        "SCAPA 2021",
        "International Data Corporation (IDC)",
        "Smart City Index 2021",
        "Singapore ranks 1st out of 118 cities.",
        "as well as on economic and social data taken from the\u2026",
        "Singapore\u2019s Digital Government journey has garnered international\u2026",
        "GovTech, MOE and MOH for winning the 2022 IDC Smart City Asia Pacific Awards"
        " (IDC SCAPA)! Organised by the International Data Corporation (IDC)",
        "TechNews Newsletter",
        "GovTech\u2019s Publications",
    ],
)
def test_partnerships_page_keeps_the_facts(site: Path, fact: str) -> None:
    assert fact in text_of(article(site, "international-partnerships/index.html"))


@pytest.mark.parametrize(
    "not_said",
    [
        # the original's typos, corrected
        "from....",
        ", ,",
        "transfomation",
        "International Data Cooperation",
        # words the original does not say
        "won the 2022",
        "Each activity is written on the page",
    ],
)
def test_partnerships_page_adds_nothing(site: Path, not_said: str) -> None:
    """Text the original cuts off stays cut off ("from…" is a fact above);
    only its obvious typos are corrected, and nothing is added."""
    assert not_said not in text_of(article(site, "international-partnerships/index.html"))


@pytest.mark.parametrize(
    "address",
    [
        "mailto:info@tech.gov.sg",
        "https://www.tech.gov.sg/singapore-digital-government-journey"
        "#singapore-s-digital-government-story",
        "https://www.tech.gov.sg/media/corporate-publications/digital-government-exchange-reports",
        "https://www.tech.gov.sg/media/awards/",
        "https://www.developer.gov.sg",
        "https://www.tech.gov.sg/media/technews/subscribe",
        "https://www.tech.gov.sg/media/corporate-publications",
    ],
)
def test_partnerships_page_links(site: Path, address: str) -> None:
    main = article(site, "international-partnerships/index.html")
    assert address in {link.get("href") for link in main.find_all("a")}


def test_groups_are_ordered_newest_first(site: Path) -> None:
    main = article(site, "international-partnerships/index.html")
    groups = [text_of(heading) for heading in main.select(".sp-group-heading")]
    assert groups == ["June 2022", "May 2022", "2022", "2021"]
    html = str(main)
    assert html.index("Khairy Jamaluddin") < html.index("German delegation")
    assert html.index("German delegation") < html.index("Digital Agency of Japan")


def test_cards_use_the_drawn_images(site: Path) -> None:
    main = article(site, "international-partnerships/index.html")
    sources = {image.get("src", "").rsplit("/", 1)[-1] for image in main.find_all("img")}
    assert {"technews-newsletter.svg", "govtech-publications.svg"} <= sources
    assert (site / "_images" / "technews-newsletter.svg").is_file()
    assert all(image.get("alt") for image in main.find_all("img"))


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "guide/index.html",
        "guide/timelines/index.html",
        "guide/awards/index.html",
        "guide/cards/index.html",
        "guide/data-files/index.html",
        "guide/cross-references/index.html",
        "reference/directives/index.html",
        "reference/data-files/index.html",
        "reference/warnings/index.html",
        "reference/configuration/index.html",
        "reference/builders/index.html",
        "performance/index.html",
    ],
)
def test_every_section_is_built(site: Path, path: str) -> None:
    page(site, path)


def test_same_month_activities_keep_the_reading_order(site: Path) -> None:
    """Ties across pages follow the table of contents: Malaysia's visit, as in
    the original page, comes before the German delegation's."""
    timeline = article(site, "international-partnerships/index.html").select_one(".sp-timeline")
    assert timeline is not None
    bodies = [text_of(body) for body in timeline.select("li.sp-activity .sp-body")]
    assert bodies[:2] == [
        "Visit by Malaysia\u2019s Minister of Health Khairy Jamaluddin.",
        "Visit by German delegation from\u2026",
    ]


def test_every_link_and_anchor_of_the_site_resolves(site: Path) -> None:
    # the theme ships a Jinja template among its static files: not a page
    broken = [line for line in broken_links(site) if not line.startswith("_static/")]
    assert broken == []
    assert repeated_ids(site) == []


def test_every_latex_reference_of_the_site_has_its_label(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            *(sys.executable, "-m", "sphinx", "-q", "-W", "-b", "latex"),
            *("-d", str(tmp_path / ".doctrees"), str(DOCS), str(tmp_path / "latex")),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (tex,) = (tmp_path / "latex").glob("*.tex")
    text = tex.read_text(encoding="utf-8")
    assert text.count("\\hyperref[") > 20
    assert undefined_latex_references(text) == []
