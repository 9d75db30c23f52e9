"""Generated directives and data files, valid and invalid: no traceback, every problem a
located ``partnerships`` warning, and a bounded build time. Data files hold what pages
cannot (half a character, characters beyond the BMP) and names of 1,000 letters; for
each generated file, ``sphinx-partnerships check`` prints what the build warns about it.

``nox -s tests`` runs a few examples; ``nox -s fuzz`` many (``HYPOTHESIS_PROFILE=long``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from io import StringIO
from pathlib import Path

import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from sphinx_partnerships.cli import check

from .conftest import strip_colours
from .test_cli import BUILD_ONLY
from .test_cli import message_key as key_of_message

settings.register_profile(
    "fast", max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

#: a build of one small page takes well under a second; anything near this hangs
BUILD_SECONDS = 30

MARKUP = st.sampled_from("\n:{}`*[]()|<>_-.,;")
WORDS = st.text(alphabet=st.characters(exclude_categories=("Cs", "Cc")) | MARKUP, max_size=40)
#: what a data file can hold that a page cannot: half a character (a lone
#: surrogate, from a JSON or YAML escape), and characters beyond the BMP
DATA_WORDS = st.text(
    alphabet=st.characters(exclude_categories=("Cc",))
    | st.characters(categories=("Cs",))
    | st.characters(min_codepoint=0x10000)
    | MARKUP,
    max_size=40,
)
#: tag and partner names: any words, one of 1,000 letters, signs that slugs drop
NAMES = st.one_of(
    DATA_WORDS,
    st.text(alphabet="abcdefghijklmnopqrstuvwxyzé", min_size=1000, max_size=1000),
    st.sampled_from(["C++", "C#", "Open Data", "open-data", "open_data", "日本", "\U0001f600"]),
)
DATES = st.one_of(
    st.sampled_from(["2022", "2022-06", "2022-06-23", "2022-6", "2022-13", "2022-02-30", "²", ""]),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    WORDS,
)
#: each directive's options, and one it does not have
OPTIONS = {
    "timeline": ["scope", "group-by", "order", "from", "until", "partners", "tags", "limit"],
    "award-list": ["scope", "group-by", "order", "from", "until", "tags", "limit", "source"],
    "activity": ["partners", "tags", "link", "id", "class"],
    "award": ["date", "organizer", "recipients", "link", "tags", "id"],
    "card-grid": ["columns", "new-tab", "class", "source"],
    "image-card": ["alt", "decorative", "link", "new-tab", "id"],
}
EDGE_VALUES = st.sampled_from(
    ["project", "local", "year", "none", "javascript:alert(1)", "../x", "²", "0", "-1",
     "1 2 3 4 5", "99999999999999999999", "٣", "data.yaml", "/data.json", "\u00a0"]
)  # fmt: skip
OPTION_VALUES = st.one_of(EDGE_VALUES, EDGE_VALUES, DATES, WORDS)
FIELD_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(10**40), max_value=10**40),
        DATES,
        DATA_WORDS,
        NAMES,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(DATA_WORDS, inner, max_size=2),
    max_leaves=6,
)
FIELDS = st.sampled_from(["date", "text", "partners", "tags", "link", "id", "name", "colour"])
ENTRIES = st.lists(st.dictionaries(FIELDS, FIELD_VALUES, max_size=5), max_size=4)
#: each kind of data file: the directive that loads it, and its fields with one it has not
KINDS = {
    "activities": ("timeline", ["date", "text", "partners", "tags", "link", "id"]),
    "awards": ("award-list", ["name", "date", "organizer", "recipients", "tags", "text", "id"]),
    "cards": ("card-grid", ["image", "alt", "caption", "title", "text", "decorative", "link"]),
}
IMAGES = st.sampled_from(
    ["/img.png", "/.env", "/conf.py", "/../*/*.*", "img.*", "https://example.org/a.png", "x:y"]
)


def message_key(line: str) -> str:
    """The ``MESSAGES`` key of a warning line."""
    return key_of_message(line.split(": WARNING: ", 1)[1].rsplit(" [", 1)[0])


def one_line(text: str) -> str:
    return " ".join(text.split())


@st.composite
def directive(draw: st.DrawFn, name: str, depth: int = 0) -> str:
    argument = one_line(draw(DATES)) if name in ("activity", "image-card", "award") else ""
    names = st.sampled_from([*OPTIONS[name], "colour"])
    options = draw(st.dictionaries(names, OPTION_VALUES.map(one_line), max_size=4))
    body = draw(WORDS)
    if depth == 0 and name in ("timeline", "award-list"):
        inner = draw(st.lists(st.sampled_from(["activity", "award"]), max_size=3))
        body += "\n\n" + "\n\n".join(draw(directive(kind, depth + 1)) for kind in inner)
    fence = ":" * (5 - depth)
    lines = [f"{fence}{{{name}}} {argument}".rstrip()]
    lines += [f":{option}: {value}".rstrip() for option, value in options.items()]
    return "\n".join([*lines, "", body, fence])


def data_file(fmt: str, entries: list[dict[str, object]], key: str = "activities") -> str:
    if fmt == "yaml":
        return yaml.safe_dump({key: entries}, allow_unicode=True)
    if fmt == "json":
        # an entry a line, so that each problem has the line of its entry
        lines = ",\n".join(json.dumps(entry) for entry in entries)
        return f'{{"{key}": [\n{lines}\n]}}\n'
    columns = sorted({field for entry in entries for field in entry})
    rows = [",".join(columns)]
    rows += [",".join(json.dumps(str(entry.get(c, ""))) for c in columns) for entry in entries]
    return "\n".join(rows) + "\n"


def write_data_file(path: Path, fmt: str, entries: list[dict[str, object]], key: str) -> None:
    """A CSV file cannot hold half a character: it is written as the invalid
    UTF-8 that a careless program would write."""
    path.write_text(data_file(fmt, entries, key), encoding="utf-8", errors="surrogatepass")


def new_project(folder: str) -> Path:
    source = Path(folder) / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "sphinx_partnerships"]\n'
        'myst_enable_extensions = ["colon_fence"]\nshow_warning_types = True\n'
        'html_baseurl = "https://example.org/"\n'
        'partnerships_feeds = {"tags": "feeds/{tag}.xml"}\n'
    )
    return source


def run_build(source: Path) -> list[str]:
    """The extension's warnings of a build, which must be quick and never crash."""
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=source, status=StringIO(), warning=warnings)
    try:
        started = time.monotonic()
        app.build()
        assert time.monotonic() - started < BUILD_SECONDS
    finally:
        app.cleanup()
    return [
        line for line in strip_colours(warnings.getvalue()).splitlines() if "[partnerships." in line
    ]


#: an entry with what crashed builds: half a character, a name of 1,000 letters
HOSTILE: dict[str, object] = {
    "date": "2022-06",
    "text": "Lone \ud800 surrogate.",
    "tags": ["a" * 1000, "C++", "C#", "\U0001f600"],
    "partners": ["b" * 1000, "Half \udc00"],
}


@example(page=[], fmt="json", entries=[HOSTILE], raw_file=None)
@example(page=[], fmt="yaml", entries=[HOSTILE], raw_file=None)
@given(
    # every directive in every example, each with its own drawn options and body
    page=st.tuples(*(directive(name) for name in OPTIONS)).map(list),
    fmt=st.sampled_from(["yaml", "json", "csv"]),
    entries=ENTRIES,
    raw_file=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_any_input_gives_located_warnings_and_no_traceback(
    page: list[str], fmt: str, entries: list[dict[str, object]], raw_file: bytes | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source = new_project(folder)
        data = source / f"data.{fmt}"
        if raw_file is None:
            write_data_file(data, fmt, entries, "activities")
        else:
            data.write_bytes(raw_file)
        body = "\n\n".join(page)
        loader = f"::::{{timeline}}\n:source: data.{fmt}\n::::\n"
        (source / "index.md").write_text(f"# Fuzz\n\n{loader}\n{body}\n", encoding="utf-8")
        warnings = run_build(source)
    for line in warnings:
        located = re.match(r"^(/[^:]+|[^:]*):(\d+): WARNING: ", line)
        assert located is not None, line
        assert Path(located.group(1)).name in ("index.md", f"data.{fmt}"), line
        assert int(located.group(2)) >= 1, line


@st.composite
def kind_and_entries(draw: st.DrawFn) -> tuple[str, list[dict[str, object]]]:
    kind = draw(st.sampled_from(sorted(KINDS)))
    names = st.sampled_from([*KINDS[kind][1], "colour"])
    values = st.one_of(FIELD_VALUES, IMAGES) if kind == "cards" else FIELD_VALUES
    return kind, draw(st.lists(st.dictionaries(names, values, max_size=5), max_size=4))


@given(fmt=st.sampled_from(["yaml", "json", "csv"]), drawn=kind_and_entries())
@example(fmt="json", drawn=("activities", [HOSTILE, {"\udfff": 1, "date": "2022"}]))
@example(fmt="yaml", drawn=("activities", [HOSTILE]))
@example(fmt="csv", drawn=("awards", [{"name": "Half \ud800", "date": "2022"}]))
@example(
    fmt="yaml",
    drawn=("cards", [{"image": "/.env", "alt": "x"}, {"image": "/img.png"}, {"image": "/img.*"}]),
)
def test_check_reports_what_the_build_reports(
    fmt: str, drawn: tuple[str, list[dict[str, object]]]
) -> None:
    """For every generated file, ``sphinx-partnerships check`` prints the very
    warnings the build gives about it, but those that need the project."""
    kind, entries = drawn
    with tempfile.TemporaryDirectory() as folder:
        source = new_project(folder)
        data = source / f"data.{fmt}"
        write_data_file(data, fmt, entries, kind)
        shutil.copy(
            Path(__file__).parent / "roots" / "test-images" / "site" / "images" / "card.png",
            source / "img.png",
        )
        directive = KINDS[kind][0]
        (source / "index.md").write_text(
            f"# Check\n\n::::{{{directive}}}\n:source: data.{fmt}\n::::\n", encoding="utf-8"
        )
        warnings = run_build(source)
        out = StringIO()
        check([data], kind, "text", out, StringIO())
    # a problem of the whole file without a line: the build tells it at the directive
    at_directive = f"{source / 'index.md'}:3: WARNING: "
    checked = [
        at_directive + line.removeprefix(f"{data}: WARNING: ")
        if line.startswith(f"{data}: ")
        else line
        for line in out.getvalue().splitlines()
    ]
    built = [
        line
        for line in warnings
        if line.startswith((f"{data}:", at_directive)) and message_key(line) not in BUILD_ONLY
    ]
    assert checked == built
