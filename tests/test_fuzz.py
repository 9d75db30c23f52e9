"""Generated directives and data files, valid and invalid: no traceback, every problem a
located ``partnerships`` warning, and a bounded build time.

``nox -s tests`` runs a few examples; ``nox -s fuzz`` many (``HYPOTHESIS_PROFILE=long``).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from io import StringIO
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sphinx.testing.util import SphinxTestApp

from .conftest import strip_colours

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
        st.none(), st.booleans(), st.integers(min_value=-(10**40), max_value=10**40), DATES, WORDS
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=2),
    max_leaves=6,
)
FIELDS = st.sampled_from(["date", "text", "partners", "tags", "link", "id", "name", "colour"])
ENTRIES = st.lists(st.dictionaries(FIELDS, FIELD_VALUES, max_size=5), max_size=4)


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


def data_file(fmt: str, entries: list[dict[str, object]]) -> str:
    if fmt == "yaml":
        return yaml.safe_dump({"activities": entries}, allow_unicode=True)
    if fmt == "json":
        return json.dumps({"activities": entries})
    columns = sorted({field for entry in entries for field in entry})
    rows = [",".join(columns)]
    rows += [",".join(json.dumps(str(entry.get(c, ""))) for c in columns) for entry in entries]
    return "\n".join(rows) + "\n"


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
        source = Path(folder) / "src"
        source.mkdir()
        (source / "conf.py").write_text(
            'extensions = ["myst_parser", "sphinx_partnerships"]\n'
            'myst_enable_extensions = ["colon_fence"]\nshow_warning_types = True\n'
        )
        data = source / f"data.{fmt}"
        if raw_file is None:
            data.write_text(data_file(fmt, entries), encoding="utf-8")
        else:
            data.write_bytes(raw_file)
        body = "\n\n".join(page)
        loader = f"::::{{timeline}}\n:source: data.{fmt}\n::::\n"
        (source / "index.md").write_text(f"# Fuzz\n\n{loader}\n{body}\n", encoding="utf-8")
        warnings = StringIO()
        app = SphinxTestApp("html", srcdir=source, status=StringIO(), warning=warnings)
        try:
            started = time.monotonic()
            app.build()
            assert time.monotonic() - started < BUILD_SECONDS
        finally:
            app.cleanup()
    for line in strip_colours(warnings.getvalue()).splitlines():
        if "[partnerships." not in line:
            continue
        located = re.match(r"^(/[^:]+|[^:]*):(\d+): WARNING: ", line)
        assert located is not None, line
        assert Path(located.group(1)).name in ("index.md", f"data.{fmt}"), line
        assert int(located.group(2)) >= 1, line
