"""Image fields publish only images.

``test-images`` has the same cards on a MyST page, on a reStructuredText page and in
a data file: images that must never be published (a hidden file, the configuration,
text named ``.png``, a link to a file outside, a pattern that reaches outside, a file
outside), next to real images of every type. The build runs in a copy whose ``outside``
folder, beside the source directory, holds the secrets; the files git cannot hold (a
``.git`` folder, a symbolic link) are made by the fixture.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docutils import nodes
from sphinx.testing.util import SphinxTestApp

from .conftest import ROOTS, Build, build, partnership_warnings
from .test_cards import directive_line, parsed_warnings

#: each refused card (by the words of its caption) and what its warning says
REFUSED = {
    "git config": ("/.git/config", "'.git' is hidden"),
    "env file": ("/.env", "'.env' is hidden"),
    "configuration": ("/conf.py", "is not of an image type"),
    "text named png": ("/images/fake.png", "is not a PNG file"),
    "link outside": ("/images/link.png", "leads to"),
    "pattern": ("/../*/*.*", "a path cannot hold *, ? or ["),
    "hidden folder": ("/.hidden/pic.png", "'.hidden' is hidden"),
    "outside": ("/../outside/secret.png", "is outside the source directory"),
}
#: where the cards are written: the place's name in captions, and its file
PLACES = {"MyST": "index.md", "rST": "page.rst", "data": "data/cards.yaml"}
#: what the HTML pages publish: every real image once, the SVG of each format choice
PUBLISHED = {
    "anim.gif",
    "card.png",
    "choice.svg",
    "drawing.svg",
    "mixed.svg",
    "photo.jpg",
    "pic.webp",
}
TOKEN = b"attack-token"


def copy_of_root(base: Path) -> Path:
    shutil.copytree(ROOTS / "test-images", base / "images")
    site = base / "images" / "site"
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text(
        '[remote "origin"]\n\turl = https://deploy:attack-token-git@example.org/site.git\n'
    )
    (site / "images" / "link.png").symlink_to(Path("..", "..", "outside", "secret.png"))
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    base = tmp_path_factory.mktemp("images")
    return build(copy_of_root(base), base / "build")


def refused_files(site: Path) -> list[Path]:
    return [
        site / ".git" / "config",
        site / ".env",
        site / "conf.py",
        site / "images" / "fake.png",
        site / "images" / "mixed.png",
        site / ".hidden" / "pic.png",
        site.parent / "outside" / "secret.png",
        site.parent / "outside" / "secret.txt",
    ]


def test_nothing_but_the_real_images_is_published(built: Build) -> None:
    assert {path.name for path in (built.outdir / "_images").iterdir()} == PUBLISHED
    secrets = {path.read_bytes() for path in refused_files(built.srcdir)}
    for path in built.outdir.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert TOKEN not in content, path
            assert content not in secrets, path
    for name in PUBLISHED:
        published = (built.outdir / "_images" / name).read_bytes()
        assert published == (built.srcdir / "images" / name).read_bytes()


def card_line(site: Path, place: str, name: str) -> int:
    """The line the card of ``name`` starts on in ``place``."""
    path = site / PLACES[place]
    if place != "data":
        return directive_line(path, f"Caption of the {name} card ({place}).")
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines.index(f"    alt: The {name} image (data)")  # the line before, from 1


def test_each_refused_image_is_one_warning_at_its_card(built: Build) -> None:
    found = parsed_warnings(built.warnings)
    expected = []
    for place, file in PLACES.items():
        for name, (written, words) in REFUSED.items():
            line = card_line(built.srcdir, place, name)
            here = [
                message
                for path, number, type_, message in found
                if (path, number) == (str(built.srcdir / file), line)
            ]
            assert len(here) == 1, (place, name, here)
            (message,) = here
            assert message.startswith(f"image {written!r}"), message
            assert words in message, message
            assert message.endswith("; shown without the image"), message
            expected.append((str(built.srcdir / file), line, "partnerships.image"))
    # a format choice with a text named .png: that file is refused, the SVG shown
    mixed = directive_line(built.srcdir / "index.md", "Caption of the mixed card (MyST).")
    expected.append((str(built.srcdir / "index.md"), mixed, "partnerships.image"))
    assert sorted((path, line, type_) for path, line, type_, _ in found) == sorted(expected)
    # nothing else: no warning of Sphinx's own about these images
    assert len(built.warnings.strip().splitlines()) == len(expected), built.warnings


@pytest.mark.parametrize("place", PLACES)
def test_a_refused_image_leaves_its_card_with_its_caption(built: Build, place: str) -> None:
    page = built.page("page" if place == "rST" else "index")
    for name in REFUSED:
        caption = f"Caption of the {name} card ({place})."
        (figure,) = [
            figure for figure in page.select("figure.sp-card") if caption in figure.get_text()
        ]
        assert figure.select("img") == []
        assert figure.select_one("figcaption").get_text(strip=True) == caption


@pytest.mark.parametrize(
    ("place", "name", "src"),
    [
        ("MyST", "png", "_images/card.png"),
        ("MyST", "jpeg", "_images/photo.jpg"),
        ("MyST", "gif", "_images/anim.gif"),
        ("MyST", "webp", "_images/pic.webp"),
        ("MyST", "svg", "_images/drawing.svg"),
        ("MyST", "choice", "_images/choice.svg"),
        ("MyST", "mixed", "_images/mixed.svg"),
        ("MyST", "remote", "https://example.org/remote.png"),
        ("rST", "png", "_images/card.png"),
        ("rST", "svg", "_images/drawing.svg"),
        ("rST", "choice", "_images/choice.svg"),
        ("data", "jpeg", "_images/photo.jpg"),
        ("data", "choice", "_images/choice.svg"),
    ],
)
def test_real_images_are_published(built: Build, place: str, name: str, src: str) -> None:
    page = built.page("page" if place == "rST" else "index")
    (image,) = page.select(f"img[alt='The {name} image ({place})']")
    assert image["src"] == src


def test_no_pattern_reaches_sphinx(built: Build) -> None:
    """Sphinx expands ``*`` in an image's address: every image node names one file,
    and offers only the files that were accepted."""
    accepted = {f"images/{name}" for name in PUBLISHED} | {"images/choice.png", "images/choice.pdf"}
    for docname in ("index", "page"):
        doctree = built.app.env.get_doctree(docname)
        for image in doctree.findall(nodes.image):
            assert not set("*?[").intersection(image["uri"]), image["uri"]
            if image["uri"].startswith("https://"):
                continue
            assert set(image["candidates"].values()) <= accepted, image["candidates"]


def test_a_format_choice_gives_latex_its_pdf(tmp_path: Path) -> None:
    site = copy_of_root(tmp_path)
    # LaTeX downloads remote images: no network in tests
    index = site / "index.md"
    index.write_text(
        index.read_text().replace("https://example.org/remote.png", "/images/card.png")
    )
    result = build(site, tmp_path / "build", "latex")
    assert (result.outdir / "choice.pdf").is_file()
    assert not (result.outdir / "choice.svg").exists()
    names = {path.name for path in result.outdir.iterdir()}
    assert not names & {"config", ".env", "fake.png", "mixed.png", "link.png", "secret.png"}
    tex = next(result.outdir.glob("*.tex")).read_text(encoding="utf-8")
    assert "{{choice}.pdf}" in tex
    refused = [line for line in partnership_warnings(result.warnings) if "image" in line]
    # the SVG of the mixed choice, its PNG refused, is no image for LaTeX
    assert len(refused) == 3 * len(REFUSED) + 2
    assert (
        "image 'images/mixed.*': the latex builder takes none of its formats (image/svg+xml)"
        in result.warnings
    )


def test_an_image_corrected_in_place_is_shown_by_the_next_build(tmp_path: Path) -> None:
    """A file refused for what it holds is watched: saved as a real PNG, the
    incremental build reads the page again and shows it."""
    site = copy_of_root(tmp_path)
    options = {"srcdir": site, "builddir": tmp_path / "build"}
    first = build(site, tmp_path / "build")
    assert "is not a PNG file" in first.warnings
    shutil.copy(site / "images" / "card.png", site / "images" / "fake.png")
    app = SphinxTestApp("html", **options)
    try:
        app.build()
    finally:
        app.cleanup()
    page = first.page("index")
    (image,) = page.select("img[alt='The text named png image (MyST)']")
    assert image["src"] == "_images/fake.png"


@pytest.mark.parametrize("buildername", ["html", "latex"])
def test_a_pdf_is_an_image_for_latex_only(tmp_path: Path, buildername: str) -> None:
    site = tmp_path / "src"
    (site / "images").mkdir(parents=True)
    shutil.copy(ROOTS / "test-images" / "site" / "conf.py", site)
    shutil.copy(ROOTS / "test-images" / "site" / "images" / "choice.pdf", site / "images")
    (site / "index.md").write_text(
        "# PDF\n\n:::{image-card} /images/choice.pdf\n:alt: A PDF\n\nA PDF card.\n:::\n\n"
        ":::{image-card} /images/choice.pdf\n:alt: A linked PDF\n:link: https://example.org\n"
        ":id: linked-pdf\n:::\n"
    )
    result = build(site, tmp_path / "build", buildername)
    published = [path.name for path in result.outdir.rglob("*.pdf")]
    if buildername == "latex":
        assert published == ["choice.pdf"]
        assert result.warnings == ""
        return
    assert published == []
    assert result.warnings.strip().splitlines() == [
        f"{site / 'index.md'}:{line}: WARNING: image '/images/choice.pdf': the html builder"
        " takes none of its formats (application/pdf); shown without the image"
        " [partnerships.image]"
        for line in (3, 9)
    ]
    page = result.page("index")
    (card,) = page.select("figure.sp-card")
    assert card.select("img") == []
    assert card.get_text(strip=True) == "A PDF card."
    # the card that was only its linked image is gone; its anchor stays
    assert page.select_one("#linked-pdf") is not None
    assert page.select("a[href='https://example.org']") == []
