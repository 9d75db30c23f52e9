"""The documentation site builds without a warning and shows the rebuilt page."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import sphinx
from bs4 import BeautifulSoup
from defusedxml import ElementTree

from .linkcheck import broken_links, repeated_ids, undefined_latex_references

DOCS = Path(__file__).resolve().parent.parent / "docs"
#: the canonical address Read the Docs would pass for the version being built
BASE = "https://partnerships.example.org/en/test/"
PREFIX = "/en/test/"
#: the documentation for writers: every other page is the readers'
WRITERS = ("writers/", "guide/", "reference/", "performance/")
SECTION = "international-partnerships/index.html"
PARTNERS = {
    "malaysia": "Visit by Malaysia\u2019s Minister of Health Khairy Jamaluddin.",
    "germany": "Visit by German delegation from\u2026",
    "japan": "Memorandum of Cooperation (MOC) between GovTech and The Digital Agency of Japan"
    " in the area of Digital Government.",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site built as Read the Docs builds it: dirhtml, nitpicky, -W, with
    the version's canonical address in ``READTHEDOCS_CANONICAL_URL``."""
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
        env={**os.environ, "READTHEDOCS_CANONICAL_URL": BASE},
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


def title_of(soup: BeautifulSoup) -> str:
    """The text of the page's first heading, without its permalink sign."""
    heading = soup.find("h1")
    assert heading is not None
    return " ".join(
        text for text in heading.find_all(string=True) if not text.find_parent(class_="headerlink")
    ).strip()


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
        "international-partnerships/partners/index.html",
        "writers/index.html",
        "guide/index.html",
        "guide/timelines/index.html",
        "guide/awards/index.html",
        "guide/cards/index.html",
        "guide/data-files/index.html",
        "guide/cross-references/index.html",
        "guide/this-site/index.html",
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
    # the theme ships a Jinja template among its static files: not a page; the
    # 404 page links from the site's root path (test_not_found_page)
    broken = [line for line in broken_links(site) if not line.startswith(("_static/", "404.html "))]
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


# -- Readers first, writers apart ---------------------------------------------


def part(url: str) -> str:
    """Which part of the site a page's URL path (from the root) is in."""
    return "writers" if url.startswith(WRITERS) else "readers"


def site_pages(site: Path) -> dict[str, Path]:
    """Every page of the site by URL path, without search, index and 404."""
    pages = {}
    for file in sorted(site.rglob("index.html")):
        url = file.parent.relative_to(site).as_posix() + "/"
        url = "" if url == "./" else url
        if not url.startswith(("_", "search/", "genindex/")):
            pages[url] = file
    return pages


def url_of(site: Path, file: Path, href: str) -> str:
    """The URL path, from the site's root, of a relative link on a page."""
    target = (file.parent / href.split("#")[0]).resolve()
    return "" if target == site.resolve() else target.relative_to(site.resolve()).as_posix() + "/"


def test_home_page_leads_readers_to_the_section(site: Path) -> None:
    home = article(site, "index.html")
    assert title_of(home) == "GovTech International Partnerships"
    links = [
        link["href"]
        for link in home.find_all("a", href=True)
        if "headerlink" not in link.get("class", [])
    ]
    # the first thing on the home page is the section, at its original address
    assert links[0] == "international-partnerships/"
    assert "international-partnerships/partners/" in links
    assert links[-1] == "writers/"
    text = text_of(home)
    assert "pip install" not in text
    assert "documentation for writers" in text


def test_header_and_titles_name_what_readers_come_for(site: Path) -> None:
    soup = BeautifulSoup(page(site, SECTION), "html.parser")
    assert text_of(soup.select_one(".navbar-brand")) == "GovTech International Partnerships"
    title = soup.find("title")
    assert title is not None
    assert (
        title.get_text() == "International Partnerships \u2014 GovTech International Partnerships"
    )
    nav = [text_of(link) for link in soup.select(".navbar-header-items a.nav-link")]
    assert nav[:2] == ["International Partnerships", "For writers"]
    home = BeautifulSoup(page(site, "index.html"), "html.parser").find("title")
    assert home is not None
    assert home.get_text() == "GovTech International Partnerships"


def test_writers_part_is_named_for_writers(site: Path) -> None:
    writers = BeautifulSoup(page(site, "writers/index.html"), "html.parser")
    assert title_of(article(site, "writers/index.html")) == (
        "sphinx-partnerships: documentation for writers"
    )
    sidebar = {link["href"] for link in writers.select(".bd-sidenav a[href]")}
    assert {"../guide/", "../reference/", "../performance/"} <= sidebar
    assert not any("international-partnerships" in href for href in sidebar)
    for path in ("guide/timelines/index.html", "reference/index.html", "performance/index.html"):
        soup = BeautifulSoup(page(site, path), "html.parser")
        title = soup.find("title")
        assert title is not None
        assert title.get_text().endswith("\u2014 sphinx-partnerships"), path
        crumbs = [text_of(crumb) for crumb in soup.select(".bd-breadcrumbs li")]
        assert "sphinx-partnerships: documentation for writers" in crumbs, path


def test_previous_and_next_links_stay_in_their_part(site: Path) -> None:
    pages = site_pages(site)
    crossing = []
    kept = []
    for url, file in pages.items():
        soup = BeautifulSoup(file.read_text(encoding="utf-8"), "html.parser")
        links = [
            *(link["href"] for link in soup.select("a.left-prev, a.right-next")),
            *(link["href"] for link in soup.select("link[rel=prev], link[rel=next]")),
        ]
        for href in links:
            target = url_of(site, file, href)
            assert target in pages, f"/{url} -> {href}"
            (kept if part(target) == part(url) else crossing).append(f"/{url} -> /{target}")
    assert crossing == []
    # the links within each part are still there
    partners = "/international-partnerships/partners/"
    assert f"{partners}japan/ -> {partners}germany/" in kept
    assert "/writers/ -> /guide/" in kept
    assert "/ -> /international-partnerships/" in kept


def search_index(site: Path) -> tuple[list[str], dict[str, list[int]]]:
    text = page(site, "searchindex.js")
    data = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    terms: dict[str, list[int]] = {}
    for kind in ("terms", "titleterms"):
        for word, hits in data[kind].items():
            terms.setdefault(word, []).extend([hits] if isinstance(hits, int) else hits)
    return data["docnames"], terms


@pytest.mark.skipif(sphinx.version_info < (8, 1), reason="the no-search class came with Sphinx 8.1")
@pytest.mark.parametrize(
    # stems of the section's words that the guide's made-up examples use too
    "stem",
    ["deleg", "visit", "memorandum", "malaysia", "govtech", "khairi", "japan"],
)
def test_search_does_not_mix_made_up_examples_in(site: Path, stem: str) -> None:
    """The guide's examples (class no-search) are left out of the search index:
    a reader's words find the section, not the examples."""
    docnames, terms = search_index(site)
    found = {docnames[number] for number in terms[stem]}
    assert any(name.startswith("international-partnerships/") for name in found)
    # the guide and the reference name Japan in their own words (`moc-japan`, the
    # site's timeline of Japan's activities), never in made-up examples
    allowed = {
        "guide/this-site",
        "guide/timelines",
        "guide/cross-references",
        "reference/data-files",
    }
    assert {name for name in found if part(name + "/") == "writers"} <= allowed


def test_search_still_finds_the_writers_pages(site: Path) -> None:
    docnames, terms = search_index(site)
    found = {docnames[number] for number in terms["scope"]}
    assert {"guide/timelines", "reference/directives"} <= found


def test_the_section_is_not_told_how_it_is_written(site: Path) -> None:
    for path in (SECTION, "international-partnerships/partners/index.html"):
        text = text_of(article(site, path))
        for words in ("written down", "gathers", ":scope:", "directive"):
            assert words not in text, (path, words)
    guide = text_of(article(site, "guide/this-site/index.html"))
    assert "Each activity is written once, on the page of the partner it names" in guide
    assert "A project-wide timeline gathers the activities from the partners\u2019 pages" in guide


# -- Partner pages ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PARTNERS))
def test_partner_pages_show_their_activities_and_lead_back(site: Path, name: str) -> None:
    main = article(site, f"international-partnerships/partners/{name}/index.html")
    timeline = main.select_one(".sp-timeline")
    assert timeline is not None
    bodies = [text_of(body) for body in timeline.select("li.sp-activity .sp-body")]
    assert bodies == [PARTNERS[name]]
    assert main.select_one(".sp-group-heading") is not None
    hrefs = {link.get("href") for link in main.find_all("a")}
    assert {"../../", "../"} <= hrefs
    # another partner's activity is not on the page
    text = text_of(main)
    for other, activity in PARTNERS.items():
        if other != name:
            assert activity not in text


def test_japan_page_says_what_the_section_says_of_japan(site: Path) -> None:
    main = article(site, "international-partnerships/partners/japan/index.html")
    quote = main.find("blockquote")
    assert quote is not None
    assert text_of(quote) == (
        "DGX is an annual global gathering of Government Chief Information Officers (CIOs)"
        " and public sector leaders from digital governments and smart cities across the"
        " globe. These include Australia, Canada, China, Denmark, Estonia, Finland, France,"
        " Israel, Japan, New Zealand, Sweden, the Netherlands, United Kingdom (UK) and the U.S."
    )
    assert text_of(quote) in text_of(article(site, SECTION))
    assert "../../#digital-government-exchange" in {link.get("href") for link in main("a")}


def test_partners_index_lists_the_partner_pages(site: Path) -> None:
    main = article(site, "international-partnerships/partners/index.html")
    hrefs = [link.get("href") for link in main.select(".toctree-wrapper a")]
    assert hrefs == ["malaysia/", "germany/", "japan/"]
    index = main.select_one(".sp-partner-index")
    assert index is not None
    assert [text_of(h) for h in index.select(".sp-group-heading")] == [
        "Germany",
        "Japan",
        "Malaysia",
    ]


# -- Public site: sitemap, 404, Open Graph ------------------------------------


def test_sitemap_lists_every_page_at_its_canonical_address(site: Path) -> None:
    root = ElementTree.fromstring(page(site, "sitemap.xml"))
    namespace = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locations = [loc.text for loc in root.iter(f"{namespace}loc")]
    assert sorted(locations) == sorted(BASE + url for url in site_pages(site))
    assert BASE + "international-partnerships/" in locations
    assert BASE in locations


def test_canonical_links_are_the_sitemaps(site: Path) -> None:
    soup = BeautifulSoup(page(site, SECTION), "html.parser")
    canonical = soup.find("link", rel="canonical")
    assert canonical is not None
    assert canonical["href"] == BASE + "international-partnerships/"


def test_not_found_page(site: Path) -> None:
    """404.html at the root, as Read the Docs serves it at any missing address:
    its styles, scripts, images and links are absolute paths under the version's
    prefix, and each lands on a file of the site."""
    soup = BeautifulSoup(page(site, "404.html"), "html.parser")
    assert text_of(soup.find("h1")) == "Page not found"
    assert soup.find("link", rel="canonical") is None
    links = [
        element.get(name)
        for element in soup.find_all(["a", "link", "script", "img"])
        for name in ("href", "src")
        if element.get(name)
    ]
    local = [link for link in links if not urlsplit(link).scheme and not link.startswith("#")]
    assets = [link for link in local if "/_static/" in link]
    assert len(assets) >= 8
    assert [link for link in local if not link.startswith(PREFIX)] == []
    missing = []
    for link in local:
        path = urlsplit(link).path.removeprefix(PREFIX)
        target = site / path
        if not (target.is_file() or (target / "index.html").is_file()):
            missing.append(link)
    assert missing == []
    hrefs = {link.get("href") for link in soup.select("article a")}
    assert {PREFIX, PREFIX + "international-partnerships/"} <= hrefs
    assert soup.select_one(".navbar-brand")["href"] == PREFIX
    assert not (site / "404").exists()


def test_open_graph_and_description(site: Path) -> None:
    soup = BeautifulSoup(page(site, SECTION), "html.parser")

    def meta(**attributes: str) -> str:
        tag = soup.find("meta", attrs=attributes)
        assert tag is not None, attributes
        return str(tag["content"])

    description = meta(name="description")
    assert description.startswith("Singapore's Government Technology Agency (GovTech)")
    assert meta(property="og:description") == description
    assert meta(property="og:title") == "International Partnerships"
    assert meta(property="og:url") == BASE + "international-partnerships/"
    assert meta(property="og:site_name") == "GovTech International Partnerships"
    assert len(soup.find_all("meta", attrs={"name": "description"})) == 1


@pytest.mark.parametrize("url", ["", "international-partnerships/partners/japan/", "guide/"])
def test_every_page_has_a_description(site: Path, url: str) -> None:
    soup = BeautifulSoup(page(site, url + "index.html"), "html.parser")
    tags = soup.find_all("meta", attrs={"name": "description"})
    assert len(tags) == 1
    assert len(tags[0]["content"]) > 40
    og = soup.find("meta", property="og:url")
    assert og is not None
    assert og["content"] == BASE + url


def test_first_visit_mode_is_valid(site: Path) -> None:
    """pydata-sphinx-theme logs "Got invalid theme mode" on a first visit when
    the mode it starts from is empty."""
    html = page(site, SECTION)
    assert 'localStorage.getItem("mode") || "auto"' in html


def test_the_extension_stays_within_its_page_weight(site: Path) -> None:
    """docs/performance.md: the stylesheet and the components' HTML add at
    most 8 KiB to a page; the stylesheet keeps under 6 KiB of that."""
    stylesheet = site / "_static" / "partnerships.css"
    assert stylesheet.stat().st_size <= 6 * 1024
    assert "/*" not in stylesheet.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["activities", "awards"])
def test_feeds_link_into_the_site_under_its_canonical_address(site: Path, name: str) -> None:
    """Every link of the site's feeds keeps /en/test/ and lands on its entry."""
    root = ElementTree.fromstring(page(site, f"feeds/{name}.atom").encode())
    atom = "{http://www.w3.org/2005/Atom}"
    links = [link.get("href", "") for link in root.iter(f"{atom}link")]
    entries = list(root.iter(f"{atom}entry"))
    assert entries
    for entry in entries:
        link = entry.find(f"{atom}link[@rel='alternate']")
        assert link is not None
        address = link.get("href", "")
        assert entry.findtext(f"{atom}id") == address
        links.append(address)
    for address in links:
        assert address.startswith(BASE), address
        path, _, anchor = address[len(BASE) :].partition("#")
        target = page(site, f"{path}index.html" if not path or path.endswith("/") else path)
        if anchor:
            assert f'id="{anchor}"' in target, address
    head = BeautifulSoup(page(site, SECTION), "html.parser").head
    assert head is not None
    assert head.select_one(f'link[rel=alternate][href$="feeds/{name}.atom"]') is not None
