"""How long data text written to be slow takes to read.

A data file may hold up to 16 MiB, and a text field of a megabyte of unclosed
openers (``{{`` a million times over, ``<a`` repeated, back-quotes, ``|a``) is
where a pattern that backtracks takes hours. This times, on such texts, each
scan that the safe subset (``sphinx_partnerships.safetext``) runs over the
text, and the whole of ``parse_safe_text`` in Markdown and in
reStructuredText, at the full size and at a quarter of it; it fails when a
scan takes more than ``--limit`` seconds, or when a parse grows faster than
the text (more than ``GROWTH`` times the quarter size's time for four times
the text) or takes more than ``--parse-limit`` seconds per megabyte.

``python benchmarks/hostile_text.py`` runs it alone (``--size 100000`` for a
quick look); ``benchmarks/run.py`` runs it as its ``hostile`` phase.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sphinx_partnerships import safetext

#: four times the text may take at most this many times as long
GROWTH = 8.0
#: below this many seconds, the growth of a parse is noise
NOISE_FLOOR = 1.0
DEFAULT_SIZE = 1_000_000
DEFAULT_LIMIT = 3.0
#: docutils spends some 100 microseconds on each inline start-string without
#: an end (``*a *a *a``): a megabyte of them takes about a minute
DEFAULT_PARSE_LIMIT = 120.0


@dataclass(frozen=True)
class Case:
    name: str
    unit: str
    #: "line": one line; "lines": lines of 72 characters; "paragraphs": paragraphs
    #: of 8,000 characters (shorter than reStructuredText's longest block);
    #: "staircase": the unit on lines each indented one space more, 300 deep;
    #: "nested": the unit's opening half repeated, a word, its closing half repeated
    shape: str = "line"

    def text(self, size: int) -> str:
        if self.shape == "nested":
            opening, closing = self.unit.split(" ")
            count = size // (len(opening) + len(closing))
            return opening * count + "a" + closing * count
        if self.shape == "staircase":
            lines, total = [], 0
            while total < size:
                lines.append(" " * (len(lines) % 300) + self.unit)
                total += len(lines[-1]) + 2
            return "\n\n".join(lines)
        repeated = (self.unit * (size // len(self.unit) + 1))[:size]
        if self.shape == "line":
            return repeated
        lines = [repeated[start : start + 72] for start in range(0, len(repeated), 72)]
        if self.shape == "lines":
            return "\n".join(lines)
        per_paragraph = 8_000 // 73
        return "\n\n".join(
            "\n".join(lines[start : start + per_paragraph])
            for start in range(0, len(lines), per_paragraph)
        )


CASES = (
    Case("unclosed {{", "{{"),
    Case("unclosed {{ in lines", "{{ a ", "lines"),
    Case("{name} without code", "{a}"),
    Case("{name}`code`", "{a}`b` "),
    Case("unclosed <a", "<a"),
    Case('unclosed <a x="', '<a x="'),
    Case("<a and spaces", "<a                 "),
    Case("unclosed <!--", "<!--"),
    Case("unclosed <?", "<?"),
    Case("unclosed <!x", "<!x"),
    Case("[ repeated", "["),
    Case("]( repeated", "]("),
    Case("![ repeated", "!["),
    Case("back-quotes", "`"),
    Case("back-quote runs", "`a``a```a"),
    Case("**", "**"),
    Case("emphasis after emphasis", "*a* "),
    Case("links after links", "[a](u) "),
    Case("code after code", "`a` "),
    Case("*a and spaces", "*a ", "paragraphs"),
    Case("_a", "_a"),
    Case("|a", "|a"),
    Case("|a in paragraphs", "|a ", "paragraphs"),
    Case(":a", ":a"),
    Case(":a: in paragraphs", ":a:", "paragraphs"),
    Case("`` in paragraphs", "``a ", "paragraphs"),
    Case("newlines", "\n"),
    Case("spaces", " "),
    Case("spaces and newlines", "   \n"),
    Case(".. lines", "..\n"),
    Case("::: lines", ":::{\n"),
    Case("``` lines", "```{\n"),
    Case("indented ever deeper", "a", "staircase"),
    Case("list items ever deeper", "- a", "staircase"),
    Case("nested emphasis", "* *", "nested"),
    Case("nested links", "[ ](u)", "nested"),
    Case("backslashes", "\\"),
    Case("entities", "&#"),
)


@dataclass
class Row:
    case: Case
    scans: float
    slowest_scan: str
    markdown: float
    markdown_growth: float
    rst: float
    rst_growth: float
    problems: list[str]


def timed(work: Callable[[], Any]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def parse(text: str, markdown: bool) -> None:
    safetext.parse_safe_text(
        text, markdown=markdown, docname="index", subject="activity entry", location="data.yaml:2"
    )


def measure(case: Case, size: int, limit: float, parse_limit: float) -> Row:
    text, quarter = case.text(size), case.text(size // 4)
    scan_times = {
        name: timed(lambda scan=scan: scan(text)) for name, scan in safetext.TEXT_SCANS.items()
    }
    slowest = max(scan_times, key=scan_times.__getitem__)
    problems = [
        f"the scan for {name} took {seconds:.1f} s (at most {limit:.1f} s)"
        for name, seconds in scan_times.items()
        if seconds > limit
    ]
    results: dict[bool, tuple[float, float]] = {}
    budget = parse_limit * size / 1_000_000
    for markdown in (True, False):
        # the quarter size's best of two: a short run is the one a busy machine upsets
        small = min(timed(lambda m=markdown: parse(quarter, m)) for _ in range(2))
        full = timed(lambda m=markdown: parse(text, m))
        growth = full / small if small > 0 else 0.0
        if full >= NOISE_FLOOR and growth > GROWTH:
            # measured again before it is told: a busy machine (or a collection
            # of Python's garbage) can slow one run down by half
            small = min(small, *(timed(lambda m=markdown: parse(quarter, m)) for _ in range(2)))
            full = min(full, timed(lambda m=markdown: parse(text, m)))
            growth = full / small if small > 0 else 0.0
        results[markdown] = full, growth
        markup = "Markdown" if markdown else "reStructuredText"
        if full > budget:
            problems.append(f"{markup} took {full:.1f} s (at most {budget:.1f} s)")
        if full >= NOISE_FLOOR and growth > GROWTH:
            problems.append(
                f"{markup} took {growth:.1f} times as long for 4 times the text"
                f" (at most {GROWTH:.0f} times)"
            )
    return Row(
        case,
        sum(scan_times.values()),
        slowest,
        *results[True],
        *results[False],
        problems,
    )


def cell(text: str) -> str:
    """Text for a Markdown table's cell."""
    return text.replace("|", r"\|")


def table(rows: Sequence[Row], size: int) -> list[str]:
    lines = [
        f"| Text ({size:,} characters) | Scans | Slowest scan | Markdown | x for 4x"
        " | reStructuredText | x for 4x | Verdict |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in rows:
        lines.append(
            f"| {cell(row.case.name)} | {row.scans:.2f} s | {row.slowest_scan}"
            f" | {row.markdown:.2f} s | {row.markdown_growth:.1f}"
            f" | {row.rst:.2f} s | {row.rst_growth:.1f}"
            f" | {'MISS' if row.problems else 'PASS'} |"
        )
    return lines


def run(
    size: int = DEFAULT_SIZE,
    limit: float = DEFAULT_LIMIT,
    parse_limit: float = DEFAULT_PARSE_LIMIT,
    log: Callable[[str], None] = print,
) -> list[str]:
    """Measure every case; the problems found, each told in a sentence."""
    # the parse warns about what it shows as text; here nobody reads the warnings
    safetext.warn = lambda *args, **kwargs: None  # type: ignore[assignment]
    rows = []
    for case in CASES:
        row = measure(case, size, limit, parse_limit)
        log(
            f"    {case.name:<24} scans {row.scans:6.2f} s  Markdown {row.markdown:6.2f} s"
            f"  reStructuredText {row.rst:6.2f} s{'  MISS' if row.problems else ''}"
        )
        rows.append(row)
    log("")
    log("\n".join(table(rows, size)))
    problems = [f"{row.case.name}: {problem}" for row in rows for problem in row.problems]
    log("")
    log("\n".join(problems) if problems else "Every text is read in time that grows with its size.")
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="characters per text")
    parser.add_argument(
        "--limit", type=float, default=DEFAULT_LIMIT, help="seconds a scan may take"
    )
    parser.add_argument(
        "--parse-limit",
        type=float,
        default=DEFAULT_PARSE_LIMIT,
        help="seconds a parse may take per megabyte",
    )
    args = parser.parse_args(argv)
    return 1 if run(args.size, args.limit, args.parse_limit) else 0


if __name__ == "__main__":
    sys.exit(main())
