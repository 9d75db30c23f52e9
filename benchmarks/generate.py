"""Generate the synthetic benchmark site in three variants of the same content.

``plain``
    What a writer would write without the extension: month (or year) headings
    over bullet lists for activities, year headings for awards, sphinx-design
    ``grid-item-card``s for image cards, and a hand-written overview page that
    lists the 20 newest activities.
``inline``
    The same entries as ``activity``, ``award`` and ``image-card`` directives
    inside ``timeline``, ``award-list`` and ``card-grid``, and an overview page
    with a project-wide timeline (``:scope: project``, ``:limit: 20``).
``data``
    The same entries in one YAML file per page (``activities``, ``awards`` and
    ``cards``), loaded with ``:source:``, and the same overview page.

The directive variants can also have a ``partners`` page holding a
``partner-index`` (``--partner-index``).

The content is drawn from a seeded random generator, so every variant and
every run gets exactly the same entries. It needs the standard library and PyYAML.

Usage::

    python benchmarks/generate.py DEST --variant inline --pages 50
    python benchmarks/generate.py DEST --variant plain --big-timeline 10000
    python benchmarks/generate.py DEST --variant inline --partner-index
"""

from __future__ import annotations

import argparse
import calendar
import random
import shutil
import struct
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

VARIANTS = ("plain", "inline", "data")
OVERVIEW_LIMIT = 20

CONF_PY = """\
project = "Partnerships benchmark"
extensions = ["myst_parser", "sphinx_design", "sphinx_partnerships"]
myst_enable_extensions = ["colon_fence"]
html_theme = "alabaster"
exclude_patterns = ["_build"]
# the plain variant has no archive pages: every variant writes the same pages
partnerships_archives = []
"""
#: for sites of thousands of pages: the theme's sidebar writes the whole table
#: of contents into every page, a cost that grows with the square of the pages
#: and is the same with or without the extension
NO_SIDEBARS = 'html_sidebars = {"**": []}\n'

PARTNERS = (
    "Australia",
    "Brazil",
    "Canada",
    "Chile",
    "Denmark",
    "Estonia",
    "Finland",
    "France",
    "Germany",
    "India",
    "Indonesia",
    "Japan",
    "Kenya",
    "Korea",
    "Malaysia",
    "Mexico",
    "the Netherlands",
    "New Zealand",
    "Norway",
    "Rwanda",
    "Singapore",
    "Spain",
    "Sweden",
    "Thailand",
    "the United Kingdom",
    "Uruguay",
    "Viet Nam",
    "the World Bank",
    "the OECD",
    "the United Nations",
)
TAGS = (
    "visit",
    "bilateral",
    "workshop",
    "conference",
    "agreement",
    "study-trip",
    "digital-identity",
    "open-data",
    "cloud",
    "cybersecurity",
    "ai",
    "payments",
)
EVENTS = (
    "Visit by a delegation from",
    "Workshop with",
    "Study trip to",
    "Memorandum of cooperation with",
    "Joint conference with",
    "Technical exchange with",
    "Roundtable with",
    "Signing ceremony with",
)
TOPICS = (
    "digital identity",
    "open data",
    "cloud hosting",
    "cybersecurity",
    "public service design",
    "payments",
    "data protection",
    "smart cities",
    "artificial intelligence",
    "digital skills",
)
ORGANIZERS = (
    "International Data Corporation",
    "Digital Government Council",
    "Open Government Partnership",
    "Smart City Forum",
    "Public Sector Awards Board",
)
RECIPIENTS = (
    "GovTech",
    "the Ministry of Health",
    "the Ministry of Education",
    "the Land Transport Authority",
    "the Housing Board",
    "the Data Office",
)
AWARD_NAMES = (
    "Excellence Award",
    "Innovation Prize",
    "Digital Leadership Award",
    "Public Service Medal",
    "Smart City Award",
    "Open Data Award",
)
CARD_SUBJECTS = (
    "Newsletter",
    "Annual report",
    "Podcast",
    "Case study",
    "Video",
    "Toolkit",
    "Open-source code",
    "Design system",
)
IMAGE_COLOURS = ((33, 99, 170), (170, 60, 40), (40, 140, 80), (150, 110, 20))


# -- the content --------------------------------------------------------------


@dataclass(frozen=True)
class Date:
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def iso(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def start(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)

    def shown(self) -> str:
        """How a writer types the date in plain Markdown ("23 June 2022")."""
        if self.month is None:
            return str(self.year)
        month = calendar.month_name[self.month]
        if self.day is None:
            return f"{month} {self.year}"
        return f"{self.day} {month} {self.year}"

    def group(self) -> Date:
        """Month group; a year-precision date gets a year group."""
        return Date(self.year, self.month)


@dataclass
class Activity:
    date: Date
    text: str
    partners: list[str]
    tags: list[str]
    link: str | None
    page: str = ""
    sequence: int = 0


@dataclass
class Award:
    name: str
    date: Date
    organizer: str
    recipients: list[str]
    tags: list[str]
    link: str | None
    text: str


@dataclass
class Card:
    image: str
    alt: str
    link: str
    caption: str


@dataclass
class Page:
    docname: str
    title: str
    activities: list[Activity] = field(default_factory=list)
    awards: list[Award] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)


def _date(rng: random.Random, first_year: int, last_year: int) -> Date:
    year = rng.randint(first_year, last_year)
    roll = rng.random()
    if roll < 0.1:
        return Date(year)
    month = rng.randint(1, 12)
    if roll < 0.8:
        return Date(year, month)
    return Date(year, month, rng.randint(1, 28))


def _activity(rng: random.Random, page: int, index: int, pages: int, docname: str) -> Activity:
    partners = rng.sample(PARTNERS, rng.choice((1, 1, 2)))
    # The entry's number is among its first words, so that every derived id is unique.
    text = (
        f"{rng.choice(EVENTS)} {partners[0]} ({page}.{index + 1})"
        f" on *{rng.choice(TOPICS)}*. The meeting covered {rng.choice(TOPICS)}"
        f" and {rng.choice(TOPICS)}, and agreed on next steps."
    )
    roll = rng.random()
    if roll < 0.4:
        link: str | None = f"https://example.org/news/{page}/{index + 1}"
    elif roll < 0.5 and pages > 1:
        link = f"page-{(page % pages) + 1:03d}"
    else:
        link = None
    return Activity(
        date=_date(rng, 2010, 2024),
        text=text,
        partners=partners,
        tags=rng.sample(TAGS, rng.choice((1, 2))),
        link=link,
        page=docname,
        sequence=index,
    )


def _award(rng: random.Random, page: int, index: int) -> Award:
    return Award(
        name=f"{rng.choice(AWARD_NAMES)} {page}.{index + 1}",
        date=_date(rng, 2010, 2024),
        organizer=rng.choice(ORGANIZERS),
        recipients=rng.sample(RECIPIENTS, rng.choice((1, 2, 3))),
        tags=rng.sample(TAGS, 1),
        link=f"https://example.org/awards/{page}/{index + 1}" if rng.random() < 0.7 else None,
        text=f"For *{rng.choice(TOPICS)}* delivered with {rng.choice(PARTNERS)}.",
    )


def _card(rng: random.Random, page: int, index: int) -> Card:
    subject = rng.choice(CARD_SUBJECTS)
    number = rng.randrange(len(IMAGE_COLOURS)) + 1
    return Card(
        image=f"/images/card-{number}.png",
        alt=f"{subject} {page}.{index + 1} cover",
        link=f"https://example.org/media/{page}/{index + 1}",
        caption=f"**{subject} {page}.{index + 1}**",
    )


def make_pages(
    pages: int, activities: int, awards: int, cards: int, *, seed: int = 2024
) -> list[Page]:
    rng = random.Random(seed)
    result = []
    for number in range(1, pages + 1):
        docname = f"page-{number:03d}"
        page = Page(docname, f"Partnership programme {number}")
        page.activities = [_activity(rng, number, i, pages, docname) for i in range(activities)]
        page.awards = [_award(rng, number, i) for i in range(awards)]
        page.cards = [_card(rng, number, i) for i in range(cards)]
        result.append(page)
    return result


def make_big_timeline(count: int, *, seed: int = 2024) -> Page:
    """One page whose timeline holds ``count`` activities (no awards, no cards)."""
    rng = random.Random(seed)
    page = Page("timeline", f"Timeline of {count} activities")
    page.activities = [_activity(rng, 1, i, 1, page.docname) for i in range(count)]
    for activity in page.activities:
        activity.date = _date(rng, 1980, 2024)
    return page


def newest(activities: Iterable[Activity], limit: int | None = None) -> list[Activity]:
    """Newest first; ties keep project order (page, then source order)."""
    ordered = sorted(activities, key=lambda a: (a.page, a.sequence))
    ordered.sort(key=lambda a: a.date.start, reverse=True)
    return ordered[:limit] if limit else ordered


def newest_awards(awards: Iterable[Award]) -> list[Award]:
    return sorted(awards, key=lambda a: a.date.start, reverse=True)


# -- writing: shared ----------------------------------------------------------


def write_png(path: Path, width: int, height: int, rgb: tuple[int, int, int]) -> None:
    """A small solid-colour PNG, written with zlib alone."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def _prepare(dest: Path, *, sidebars: bool = True) -> None:
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "images").mkdir(parents=True)
    (dest / "conf.py").write_text(CONF_PY + ("" if sidebars else NO_SIDEBARS), encoding="utf-8")
    for number, colour in enumerate(IMAGE_COLOURS, start=1):
        write_png(dest / "images" / f"card-{number}.png", 160, 90, colour)


def _index(dest: Path, title: str, docnames: list[str]) -> None:
    lines = [f"# {title}", "", "```{toctree}", ":maxdepth: 1", "", *docnames, "```", ""]
    (dest / "index.md").write_text("\n".join(lines), encoding="utf-8")


def _page_head(page: Page) -> list[str]:
    return [
        f"# {page.title}",
        "",
        f"News, awards and publications of partnership programme {page.title.split()[-1]}.",
        "",
    ]


# -- writing: plain MyST ------------------------------------------------------


def _plain_link(target: str) -> str:
    """A writer's "Read more" link: a URL, or a Markdown link to another page."""
    return target if target.startswith("https://") else f"{target}.md"


def _plain_activity(activity: Activity, *, origin: Page | None = None) -> list[str]:
    details = [f"Partners: {', '.join(activity.partners)}", f"Tags: {', '.join(activity.tags)}"]
    lines = [
        f"- **{activity.date.shown()}**",
        "",
        f"  {activity.text}",
        "",
        f"  {' · '.join(details)}",
    ]
    if activity.link:
        lines += ["", f"  [Read more]({_plain_link(activity.link)})"]
    if origin is not None:
        lines += ["", f"  From [{origin.title}]({origin.docname}.md)"]
    return lines


def _plain_activities(
    activities: list[Activity], level: str, *, origins: dict[str, Page] | None = None
) -> list[str]:
    lines: list[str] = []
    current: Date | None = None
    for activity in newest(activities):
        group = activity.date.group()
        if group != current:
            current = group
            lines += [f"{level} {group.shown()}", ""]
        origin = origins[activity.page] if origins is not None else None
        lines += [*_plain_activity(activity, origin=origin), ""]
    return lines


def _plain_awards(awards: list[Award]) -> list[str]:
    lines: list[str] = []
    current: int | None = None
    for award in newest_awards(awards):
        if award.date.year != current:
            current = award.date.year
            lines += [f"### {current}", ""]
        name = f"**[{award.name}]({award.link})**" if award.link else f"**{award.name}**"
        lines += [
            f"- {name}",
            "",
            f"  {award.date.shown()} · Organizer: {award.organizer}",
            "",
            f"  Recipients: {', '.join(award.recipients)} · Tags: {', '.join(award.tags)}",
            "",
            f"  {award.text}",
            "",
        ]
    return lines


def _plain_cards(cards: list[Card]) -> list[str]:
    lines = ["::::{grid} 1 2 4 4", ""]
    for card in cards:
        lines += [
            ":::{grid-item-card}",
            f":img-top: {card.image}",
            f":img-alt: {card.alt}",
            f":link: {card.link}",
            "",
            card.caption,
            ":::",
            "",
        ]
    return [*lines, "::::", ""]


def _plain_page(page: Page) -> str:
    lines = _page_head(page)
    if page.activities:
        lines += ["## Activities", "", *_plain_activities(page.activities, "###")]
    if page.awards:
        lines += ["## Awards", "", *_plain_awards(page.awards)]
    if page.cards:
        lines += ["## Publications", "", *_plain_cards(page.cards)]
    return "\n".join(lines)


def _plain_overview(pages: list[Page]) -> str:
    latest = newest((a for page in pages for a in page.activities), OVERVIEW_LIMIT)
    origins = {page.docname: page for page in pages}
    lines = [
        "# Overview",
        "",
        f"The {OVERVIEW_LIMIT} newest activities of all programmes.",
        "",
        *_plain_activities(latest, "##", origins=origins),
    ]
    return "\n".join(lines)


# -- writing: directives ------------------------------------------------------


def _directive_activity(activity: Activity) -> list[str]:
    lines = [
        f":::{{activity}} {activity.date.iso}",
        f":partners: {', '.join(activity.partners)}",
        f":tags: {', '.join(activity.tags)}",
    ]
    if activity.link:
        lines.append(f":link: {activity.link}")
    return [*lines, "", activity.text, ":::", ""]


def _directive_award(award: Award) -> list[str]:
    lines = [
        f":::{{award}} {award.name}",
        f":date: {award.date.iso}",
        f":organizer: {award.organizer}",
        f":recipients: {', '.join(award.recipients)}",
        f":tags: {', '.join(award.tags)}",
    ]
    if award.link:
        lines.append(f":link: {award.link}")
    return [*lines, "", award.text, ":::", ""]


def _directive_card(card: Card) -> list[str]:
    return [
        f":::{{image-card}} {card.image}",
        f":alt: {card.alt}",
        f":link: {card.link}",
        "",
        card.caption,
        ":::",
        "",
    ]


def _inline_page(page: Page) -> str:
    lines = _page_head(page)
    if page.activities:
        lines += ["## Activities", "", "::::{timeline}", ""]
        for activity in page.activities:
            lines += _directive_activity(activity)
        lines += ["::::", ""]
    if page.awards:
        lines += ["## Awards", "", "::::{award-list}", ""]
        for award in page.awards:
            lines += _directive_award(award)
        lines += ["::::", ""]
    if page.cards:
        lines += ["## Publications", "", "::::{card-grid}", ":columns: 1 2 4 4", ""]
        for card in page.cards:
            lines += _directive_card(card)
        lines += ["::::", ""]
    return "\n".join(lines)


def _data_page(page: Page) -> str:
    source = f":source: /data/{page.docname}.yaml"
    lines = _page_head(page)
    if page.activities:
        lines += ["## Activities", "", ":::{timeline}", source, ":::", ""]
    if page.awards:
        lines += ["## Awards", "", ":::{award-list}", source, ":::", ""]
    if page.cards:
        lines += ["## Publications", "", ":::{card-grid}", ":columns: 1 2 4 4", source, ":::", ""]
    return "\n".join(lines)


def _data_file(page: Page) -> str:
    document: dict[str, list[dict[str, object]]] = {}
    if page.activities:
        document["activities"] = [
            {"date": a.date.iso, "text": a.text, "partners": a.partners, "tags": a.tags}
            | ({"link": a.link} if a.link else {})
            for a in page.activities
        ]
    if page.awards:
        document["awards"] = [
            {"name": w.name, "date": w.date.iso, "organizer": w.organizer}
            | {"recipients": w.recipients, "tags": w.tags}
            | ({"link": w.link} if w.link else {})
            | {"text": w.text}
            for w in page.awards
        ]
    if page.cards:
        document["cards"] = [
            {"image": c.image, "alt": c.alt, "link": c.link, "caption": c.caption}
            for c in page.cards
        ]
    return _yaml(document)


def _yaml(document: object) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=10**6)


DIRECTIVE_OVERVIEW = f"""\
# Overview

The {OVERVIEW_LIMIT} newest activities of all programmes.

::::{{timeline}}
:scope: project
:limit: {OVERVIEW_LIMIT}
::::
"""

PARTNER_INDEX = """\
# Partners

Every partner of the programmes, with its activities.

::::{partner-index}
::::
"""


# -- writing: sites -----------------------------------------------------------


def write_site(
    variant: str,
    dest: Path,
    pages: list[Page],
    *,
    overview: bool = True,
    partner_index: bool = False,
    sidebars: bool = True,
) -> None:
    """Write one variant of the site to ``dest`` (replacing what is there).

    ``partner_index`` adds a ``partners`` page with a ``partner-index``
    (directive variants only); ``sidebars=False`` leaves the theme's out.
    """
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r} (use one of {', '.join(VARIANTS)})")
    if partner_index and variant == "plain":
        raise ValueError("plain MyST has no partner index")
    _prepare(dest, sidebars=sidebars)
    if variant == "data":
        (dest / "data").mkdir()
    for page in pages:
        if variant == "plain":
            text = _plain_page(page)
        elif variant == "inline":
            text = _inline_page(page)
        else:
            text = _data_page(page)
            (dest / "data" / f"{page.docname}.yaml").write_text(_data_file(page), encoding="utf-8")
        (dest / f"{page.docname}.md").write_text(text, encoding="utf-8")
    docnames = [page.docname for page in pages]
    if overview:
        text = _plain_overview(pages) if variant == "plain" else DIRECTIVE_OVERVIEW
        (dest / "overview.md").write_text(text, encoding="utf-8")
        docnames.insert(0, "overview")
    if partner_index:
        (dest / "partners.md").write_text(PARTNER_INDEX, encoding="utf-8")
        docnames.append("partners")
    _index(dest, "Partnerships benchmark", docnames)


#: the hostile-scale site: partner and tag names drawn for each CSV row
HOSTILE_PARTNERS = tuple(f"Partner {number:02d}" for number in range(50))
HOSTILE_TAGS = tuple(f"topic-{number:02d}" for number in range(20))
HOSTILE_CONF = 'project = "Hostile rows"\nextensions = ["myst_parser", "sphinx_partnerships"]\n'
HOSTILE_CONF += 'myst_enable_extensions = ["colon_fence"]\nexclude_patterns = ["_build"]\n'
HOSTILE_CONF += 'html_theme = "alabaster"\n'


def write_hostile_site(dest: Path, rows: int, *, facets: int, seed: int = 2024) -> None:
    """One page whose timeline reads a CSV file of ``rows`` activities, each
    with ``facets`` partners and ``facets`` tags (0: none), with the default
    settings: archive pages per tag, partner and year."""
    if dest.exists():
        shutil.rmtree(dest)
    (dest / "data").mkdir(parents=True)
    (dest / "conf.py").write_text(HOSTILE_CONF, encoding="utf-8")
    rng = random.Random(seed)
    lines = ["date,text,partners,tags"]
    for number in range(rows):
        date = f"{rng.randint(2000, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        partners = ";".join(rng.sample(HOSTILE_PARTNERS, facets))
        tags = ";".join(rng.sample(HOSTILE_TAGS, facets))
        lines.append(f"{date},Activity number {number} of the exchange.,{partners},{tags}")
    (dest / "data" / "rows.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    page = "# Rows\n\n::::{timeline}\n:source: data/rows.csv\n::::\n"
    (dest / "index.md").write_text(page, encoding="utf-8")


def edit_entry(variant: str, dest: Path, page: Page, index: int, revision: int) -> str:
    """Change the text of one activity of ``page`` in place, as a writer would.

    Returns the new text, which the rebuilt page must show.
    """
    activity = page.activities[index]
    marker = f"({activity.text.split('(', 1)[1].split(')', 1)[0]})"
    revised = activity.text.replace(
        "and agreed on next steps.", f"and agreed on next steps (revision {revision})."
    )
    if revision > 1:
        previous = f"and agreed on next steps (revision {revision - 1})."
        current = activity.text.replace("and agreed on next steps.", previous)
    else:
        current = activity.text
    if variant == "data":
        path = dest / "data" / f"{page.docname}.yaml"
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        entry = document["activities"][index]
        if entry["text"] != current:
            raise RuntimeError(f"entry {marker} not found in {path}")
        entry["text"] = revised
        path.write_text(_yaml(document), encoding="utf-8")
        return f"revision {revision}"
    path = dest / f"{page.docname}.md"
    text = path.read_text(encoding="utf-8")
    if text.count(current) != 1:
        raise RuntimeError(f"entry {marker} not found once in {path}")
    path.write_text(text.replace(current, revised), encoding="utf-8")
    return f"revision {revision}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("dest", type=Path, help="folder to write the site to (replaced)")
    parser.add_argument("--variant", choices=VARIANTS, default="inline")
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--activities", type=int, default=40, help="per page")
    parser.add_argument("--awards", type=int, default=10, help="per page")
    parser.add_argument("--cards", type=int, default=8, help="per page")
    parser.add_argument(
        "--big-timeline",
        type=int,
        metavar="N",
        help="instead: one page holding a timeline of N activities",
    )
    parser.add_argument(
        "--partner-index",
        action="store_true",
        help="also write a page with a partner-index (directive variants)",
    )
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    if args.big_timeline:
        pages = [make_big_timeline(args.big_timeline, seed=args.seed)]
        write_site(args.variant, args.dest, pages, overview=False, partner_index=args.partner_index)
    else:
        pages = make_pages(args.pages, args.activities, args.awards, args.cards, seed=args.seed)
        write_site(args.variant, args.dest, pages, partner_index=args.partner_index)
    print(f"wrote the {args.variant} site to {args.dest}")


if __name__ == "__main__":
    main()
