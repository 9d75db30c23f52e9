"""Project-wide collections: scope, roles, partners, duplicates, -j and incremental builds."""

from __future__ import annotations

import pickle
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.inventory import InventoryFile

from sphinx_partnerships.nodes import entry_node

from .conftest import ROOTS, main_content, partnership_warnings

BuildFactory = Callable[..., SphinxTestApp]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A private copy of the project root, free to edit between builds."""
    source = tmp_path / "src"
    shutil.copytree(ROOTS / "test-project", source)
    return source


@pytest.fixture
def build(make_app: BuildFactory, project: Path) -> Callable[..., SphinxTestApp]:
    """Build ``project`` into one build directory, as repeated plain sphinx-builds do."""

    def run(**kwargs: object) -> SphinxTestApp:
        app = make_app("html", srcdir=project, builddir=project / "_build", **kwargs)
        app.build()
        return app

    return run


def status(app: SphinxTestApp) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", app.status.getvalue())


def inventory_uri(item: object) -> str:
    """The URI of an inventory item (an object in Sphinx 9, a tuple in Sphinx 8)."""
    uri = getattr(item, "uri", None)
    return str(uri if uri is not None else item[2])  # type: ignore[index]


def overview_sections(app: SphinxTestApp) -> dict[str, str]:
    content = main_content((app.outdir / "index.html").read_text())
    return {
        section.h2.get_text(strip=True).rstrip("¶"): str(section)
        for section in content.select("section section")
        if section.h2 is not None
    }


def texts(html: str, selector: str) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    return [node.get_text(" ", strip=True) for node in soup.select(selector)]


def test_project_scope_gathers_every_page_with_filters_and_limit(build) -> None:
    app = build()
    assert partnership_warnings(app.warning.getvalue()) == []
    sections = overview_sections(app)

    latest = texts(sections["Latest activities"], "li.sp-activity .sp-body")
    assert len(latest) == 5
    assert latest[0] == "A joint visit written in reStructuredText."  # 2023-01-15
    from bs4 import BeautifulSoup

    times = BeautifulSoup(sections["Latest activities"], "html.parser").select(
        "li.sp-activity .sp-meta time"
    )
    stamps = [str(time["datetime"]) for time in times]
    assert stamps == ["2023-01-15", "2022-12", "2022-09", "2022-06", "2022-03"]

    awards = texts(sections["Awards"], "li.sp-award .sp-award-name")
    assert len(awards) == 13
    assert texts(sections["Awards"], "h3") == ["2022", "2021", "2020"]

    visits = texts(sections["Visits only"], "li.sp-activity .sp-body")
    assert "Activity with Japan number 1." not in visits  # tagged agreement
    assert len(visits) == 13


def test_entries_from_other_pages_link_back_to_their_home(build) -> None:
    app = build()
    sections = overview_sections(app)
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(sections["Awards"], "html.parser")
    origins = [a["href"] for a in soup.select(".sp-origin a")]
    assert "pages/p01.html#award-japan" in origins
    # the copies on the overview carry no anchors of their own
    assert soup.select("li.sp-award[id]") == []


def test_from_is_left_out_where_a_partner_already_names_the_page(build, project: Path) -> None:
    """An entry written on its partner's page ("Malaysia") names that page in
    its partners: a "From Malaysia" line would be a second link of the same
    words. Entries from other pages keep theirs."""
    (project / "pages" / "p13.md").write_text(
        "# Malaysia\n\n"
        ":::{activity} 2023-05\n:partners: Malaysia\n:tags: visit\n\n"
        "A visit by a delegation of Malaysia.\n:::\n"
    )
    app = build()
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(overview_sections(app)["Latest activities"], "html.parser")
    entries = soup.select("li.sp-activity")
    assert "A visit by a delegation of Malaysia." in entries[0].get_text()
    assert entries[0].select(".sp-origin") == []
    assert [a.get_text() for a in entries[0].select(".sp-partners a")] == ["Malaysia"]
    others = [entry.select_one(".sp-origin a") for entry in entries[1:]]
    assert others, "the timeline shows entries of other pages too"
    assert all(link is not None and link.get_text().startswith("Page ") for link in others)


def test_roles_resolve_without_prefix_and_warn_at_the_role(build, project: Path) -> None:
    (project / "pages" / "p13.md").write_text(
        "# Broken\n\nSee {activity}`no-such-activity` and {partner}`Atlantis`.\n"
    )
    app = build()
    content = main_content((app.outdir / "index.html").read_text())
    # the roles, not the entries' links
    links = {a.get_text(): a["href"] for a in content.select("section > p a.reference")}
    # a partner's page is its archive page when the build makes one
    assert links == {
        "moc-japan": "pages/p01.html#moc-japan",
        "award-japan": "pages/p01.html#award-japan",
        "Japan": "archives/partners/japan.html",
    }

    rst = main_content((app.outdir / "pages" / "p14.html").read_text())
    roles = {a.get_text(): a["href"] for a in rst.select("section > p a.reference")}
    assert roles == {
        "moc-japan": "p01.html#moc-japan",
        "Malaysia": "../archives/partners/malaysia.html",
    }
    # partner names of entries too, though the project has a partner index
    assert [a["href"] for a in rst.select("#joint-visit .sp-partners a")] == [
        "../archives/partners/japan.html",
        "../archives/partners/malaysia.html",
    ]

    warnings = partnership_warnings(app.warning.getvalue())
    assert any(
        "p13.md:3" in line and "no-such-activity" in line and "[partnerships.link]" in line
        for line in warnings
    ), warnings
    assert any("p13.md:3" in line and "Atlantis" in line for line in warnings), warnings


def test_inventory_lists_activities_awards_and_partners(build) -> None:
    app = build()
    with (app.outdir / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org", lambda *a: "/".join(a))
    activities = inventory["partnerships:activity"]
    assert inventory_uri(activities["moc-japan"]).endswith("pages/p01.html#moc-japan")
    assert "award-japan" in inventory["partnerships:award"]
    japan = inventory["partnerships:partner"]["Japan"]
    assert inventory_uri(japan) == "https://example.org/archives/partners/japan.html"


def test_partner_index_lists_partners_alphabetically_with_activities(build) -> None:
    app = build()
    content = main_content((app.outdir / "partners.html").read_text())
    names = [h.get_text() for h in content.select(".sp-partner-index h2")]
    assert names == sorted(names, key=str.casefold)
    assert names[0] == "Australia"
    japan = content.select_one("#partner-japan")
    assert japan is not None
    description = japan.find_next_sibling("div")
    assert "Described partner" in description.get_text()
    japan_activities = japan.find_next_sibling("ol").select("li")
    assert [li.time["datetime"] for li in japan_activities] == ["2023-01-15", "2021-02"]


#: a build without archive pages: partners have their place in the partner index only
NO_ARCHIVES = {"partnerships_archives": []}
#: the partners of the project's activities, as their anchors in the partner index end
PARTNER_ANCHORS = (
    "australia",
    "canada",
    "china",
    "denmark",
    "estonia",
    "finland",
    "france",
    "germany",
    "israel",
    "japan",
    "malaysia",
    "new-zealand",
    "sweden",
)


def test_partner_names_in_entries_link_to_the_partner_index(build) -> None:
    app = build(confoverrides=NO_ARCHIVES)
    assert not (app.outdir / "archives").exists()
    page = main_content((app.outdir / "pages" / "p14.html").read_text())
    partners = page.select_one("#joint-visit .sp-partners")
    assert partners.select_one(".sp-label").get_text() == "Partners: "
    links = {a.get_text(): a["href"] for a in partners.select("a")}
    assert links == {
        "Japan": "../partners.html#partner-japan",
        "Malaysia": "../partners.html#partner-malaysia",
    }
    # entries filled into a project-wide view are linked too
    overview = main_content((app.outdir / "index.html").read_text())
    hrefs = {a["href"] for a in overview.select(".sp-timeline .sp-partners a")}
    assert hrefs == {f"partners.html#partner-{name}" for name in PARTNER_ANCHORS}
    # the {partner} role and the inventory lead there too
    roles = {a.get_text(): a["href"] for a in overview.select("section > p a.reference")}
    assert roles["Japan"] == "partners.html#partner-japan"
    with (app.outdir / "objects.inv").open("rb") as stream:
        inventory = InventoryFile.load(stream, "https://example.org", lambda *a: "/".join(a))
    japan = inventory["partnerships:partner"]["Japan"]
    assert inventory_uri(japan) == "https://example.org/partners.html#partner-japan"
    # without archive pages, dates and tags are text
    assert overview.select('a[href*="archives/"]') == []


def test_partner_names_link_within_a_single_page(make_app, project: Path) -> None:
    app = make_app("singlehtml", srcdir=project, builddir=project / "_build")
    app.build()
    content = main_content((app.outdir / "index.html").read_text())
    partners = content.select_one("#joint-visit .sp-partners")
    hrefs = [a["href"] for a in partners.select("a")]
    # Sphinx 8.2 and later write "#document-partners#partner-japan" for every
    # cross-reference in a single page (sphinx-doc/sphinx#14221): only the end counts
    assert [href.rpartition("#")[2] for href in hrefs] == ["partner-japan", "partner-malaysia"]
    assert all(href.startswith("#") for href in hrefs)
    assert content.select_one("#partner-japan") is not None


def test_partner_names_are_text_without_a_partner_index(build, project: Path) -> None:
    (project / "partners.md").write_text("# Partners\n\nNo index here.\n")
    app = build(confoverrides=NO_ARCHIVES)
    page = main_content((app.outdir / "pages" / "p14.html").read_text())
    partners = page.select_one("#joint-visit .sp-partners")
    assert [value.get_text() for value in partners.select(".sp-value")] == ["Japan", "Malaysia"]
    assert partners.select("a") == []


def test_duplicate_id_is_one_warning_naming_both_places(build, project: Path) -> None:
    page = project / "pages" / "p02.md"
    page.write_text(page.read_text().replace(":id: visit-malaysia", ":id: moc-japan"))
    app = build()
    duplicates = [
        line for line in partnership_warnings(app.warning.getvalue()) if ".duplicate]" in line
    ]
    assert len(duplicates) == 1, duplicates
    assert "p01.md:3" in duplicates[0]
    assert "p02.md:3" in duplicates[0]


def test_duplicate_id_is_reported_in_parallel_builds_too(build, project: Path) -> None:
    page = project / "pages" / "p02.md"
    page.write_text(page.read_text().replace(":id: visit-malaysia", ":id: moc-japan"))
    app = build(parallel=4)
    duplicates = [
        line for line in partnership_warnings(app.warning.getvalue()) if ".duplicate]" in line
    ]
    assert len(duplicates) == 1, duplicates


def html_files(outdir: Path) -> dict[str, str]:
    return {
        path.relative_to(outdir).as_posix(): path.read_text()
        for path in sorted(outdir.rglob("*.html"))
    }


def test_parallel_build_gives_the_same_html(make_app: BuildFactory, tmp_path: Path) -> None:
    outputs = []
    for jobs in (1, 4):
        source = tmp_path / f"src-{jobs}"
        shutil.copytree(ROOTS / "test-project", source)
        app = make_app("html", srcdir=source, parallel=jobs)
        app.build()
        assert partnership_warnings(app.warning.getvalue()) == []
        outputs.append(html_files(app.outdir))
    serial, parallel = outputs
    assert len(serial) >= 16
    assert serial == parallel


def test_metadata_declares_parallel_safety(build) -> None:
    app = build()
    extension = app.extensions["sphinx_partnerships"]
    assert extension.parallel_read_safe is True
    assert extension.parallel_write_safe is True


def overview_bodies(app: SphinxTestApp) -> list[str]:
    return texts(overview_sections(app)["Visits only"], "li.sp-activity .sp-body")


def partner_names(app: SphinxTestApp) -> list[str]:
    content = main_content((app.outdir / "partners.html").read_text())
    return [h.get_text() for h in content.select(".sp-partner-index h2")]


def test_incremental_builds_never_show_stale_entries(build, project: Path) -> None:
    app = build()
    assert "Activity with Canada number 6." in overview_bodies(app)

    # edit an activity on one page
    page = project / "pages" / "p06.md"
    page.write_text(page.read_text().replace("number 6.", "number six."))
    app = build()
    assert "updating environment: 0 added, 1 changed, 0 removed" in status(app)
    bodies = overview_bodies(app)
    assert "Activity with Canada number six." in bodies
    assert "Activity with Canada number 6." not in bodies

    # add an activity with a new partner
    page.write_text(
        page.read_text()
        + "\n:::{activity} 2019-03\n:partners: Singapore\n:tags: visit\n\nAdded later.\n:::\n"
    )
    app = build()
    assert "Added later." in overview_bodies(app)
    assert "Singapore" in partner_names(app)

    # delete it again
    page.write_text(page.read_text().split("\n:::{activity} 2019-03")[0])
    app = build()
    assert "Added later." not in overview_bodies(app)
    assert "Singapore" not in partner_names(app)

    # delete a whole page
    (project / "pages" / "p07.md").unlink()
    app = build()
    assert "Activity with France number 7." not in overview_bodies(app)
    assert "France" not in partner_names(app)
    assert "award-france" not in (app.outdir / "index.html").read_text()


@pytest.mark.parametrize("jobs", [0, 4])
def test_unchanged_pages_linking_to_a_removed_entry_are_written_again(
    build, project: Path, jobs: int
) -> None:
    app = build(parallel=jobs)
    rst = main_content((app.outdir / "pages" / "p14.html").read_text())
    assert rst.select_one('a[href="p01.html#moc-japan"]') is not None

    # an edit that keeps every id leaves the linking page alone
    linking_page = app.outdir / "pages" / "p14.html"
    written = linking_page.stat().st_mtime_ns
    page = project / "pages" / "p01.md"
    page.write_text(page.read_text().replace("Japan number 1.", "Japan number one."))
    app = build(parallel=jobs)
    assert linking_page.stat().st_mtime_ns == written

    page.write_text(page.read_text().replace(":id: moc-japan", ":id: moc-japan-renamed"))
    app = build(parallel=jobs)
    assert "updating environment: 0 added, 1 changed, 0 removed" in status(app)
    rst = main_content((app.outdir / "pages" / "p14.html").read_text())
    assert rst.select_one('a[href="p01.html#moc-japan"]') is None
    assert any(
        "p14.rst:11" in line and "'moc-japan' does not exist" in line
        for line in partnership_warnings(app.warning.getvalue())
    )


def test_partner_names_follow_the_partner_index_from_build_to_build(build, project: Path) -> None:
    def partner_links(app: SphinxTestApp) -> list[str]:
        page = main_content((app.outdir / "pages" / "p14.html").read_text())
        return [a["href"] for a in page.select("#joint-visit .sp-partners a")]

    app = build(confoverrides=NO_ARCHIVES)
    assert partner_links(app) == [
        "../partners.html#partner-japan",
        "../partners.html#partner-malaysia",
    ]
    index = project / "partners.md"
    original = index.read_text()
    index.write_text(original.replace("::::{partner-index}\n::::", "No index for now."))
    app = build(confoverrides=NO_ARCHIVES)
    assert partner_links(app) == []
    index.write_text(original)
    app = build(confoverrides=NO_ARCHIVES)
    assert partner_links(app) == [
        "../partners.html#partner-japan",
        "../partners.html#partner-malaysia",
    ]


def test_rebuild_without_changes_reads_and_writes_nothing(build, project: Path) -> None:
    app = build()
    pages = [app.outdir / f"{docname}.html" for docname in sorted(app.env.found_docs)]
    before = [page.stat().st_mtime_ns for page in pages]
    app = build()
    assert "0 added, 0 changed, 0 removed" in status(app)
    assert "no targets are out of date." in status(app)
    assert [page.stat().st_mtime_ns for page in pages] == before


def test_saved_environment_does_not_grow(build, project: Path) -> None:
    page = project / "pages" / "p03.md"
    original = page.read_text()
    sizes = []
    for round_ in range(4):
        page.write_text(original if round_ % 2 == 0 else original.replace("number 3", "n3"))
        app = build()
        with (app.doctreedir / "environment.pickle").open("rb") as stream:
            environment = pickle.load(stream)
        data = environment.domaindata["partnerships"]
        # per page, so that the order pages were read in does not matter
        sizes.append(
            sum(
                len(pickle.dumps(per_doc))
                for key in ("records", "bodies")
                for per_doc in data[key].values()
            )
        )
        assert (
            sum(len(records) for records in data["records"].values()) == 28
        )  # 14 activities, 13 awards, 1 partner
    assert sizes[0] == sizes[2]
    assert sizes[1] == sizes[3]


def test_stored_doctrees_name_records_by_key(build) -> None:
    """A stored page holds its entries as nodes with plain attributes; the
    records themselves live in the environment only."""
    app = build()
    with (app.doctreedir / "pages" / "p01.doctree").open("rb") as stream:
        doctree = pickle.load(stream)
    entries = list(doctree.findall(entry_node))
    assert [node["ids"] for node in entries] == [["moc-japan"], ["award-japan"]]
    plain = (str, int, bool, list, type(None))
    for node in entries:
        assert all(isinstance(value, plain) for value in node.attributes.values()), node.attributes
    records = app.env.domaindata["partnerships"]["records"]["pages/p01"]
    assert [(record.kind, record.key) for record in records] == [
        (node["kind"], node["key"]) for node in entries
    ]
