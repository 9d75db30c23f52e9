"""Measure how the extension's build time compares with plain MyST.

Builds the synthetic site of ``generate.py`` in its three variants (plain MyST,
inline directives, data files) with ``sphinx-build -b html -q``, each build in
its own process and from clean unless said otherwise, the variants taking turns
in an order that rotates every round, so that a change in the machine's load
affects them alike. Prints medians, the ratio of each variant to plain MyST
(the median of the per-round ratios) and PASS or MISS for every target; writes
every measurement to ``benchmarks/results/`` and, after a full default-size
run, the figures to ``docs/_generated/performance.md``.

Run it with ``nox -s bench`` (``nox -s bench -- --help`` for the options), or
with ``python benchmarks/run.py`` in an environment that has the package,
myst-parser and sphinx-design.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from statistics import median
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
import hostile_text  # noqa: E402

VARIANTS = generate.VARIANTS
LABELS = {"plain": "plain MyST", "inline": "inline directives", "data": "data files"}
DEFAULTS: dict[str, Any] = {
    "pages": 50,
    "activities": 40,
    "awards": 10,
    "cards": 8,
    "big_timeline": 10_000,
    "scales": [2, 4],
    "index_sizes": [2000, 4000, 8000, 16000],
    "many_pages": 2000,
    "many_activities": 20,
    "hostile_rows": 20_000,
}
#: the targets, as ratios
TARGETS = {
    "full-inline": 1.10,
    "full-data": 1.15,
    "incremental": 1.5,
    "scaling": 4.4,  # 4x the entries
    "big": 2.0,
    "index": 8.8,  # 8x the activities, with the partner index
    "many": 1.2,
    "many-memory": 1.5,
    "hostile": 2.0,  # 5 partners and 5 tags a row, against none
    "hostile-memory": 4.4,  # 4x the rows: linear, with a margin
}
PHASES = ("full", "incremental", "scaling", "big", "index", "many", "hostile", "text")
#: partners and tags of every row of the hostile phase's "with" sites
HOSTILE_FACETS = 5
DOCS_FRAGMENT = ROOT / "docs" / "_generated" / "performance.md"


# -- one build ----------------------------------------------------------------


@dataclass
class Build:
    """One ``sphinx-build`` process: what it cost."""

    wall: float  # seconds, measured around the process
    cpu: float  # seconds of user + system time of the process and its workers
    peak_rss: int  # bytes: the largest resident set among the process and its workers
    warnings: int
    written: int = 0  # HTML pages written (incremental builds)


def run_build(src: Path, out: Path, *, jobs: int = 1, clean: bool = True) -> Build:
    """Build ``src`` into ``out`` in a subprocess and measure it.

    ``os.wait4`` gives the resource usage of exactly this child and of the
    workers it waited for, so concurrent builds cannot mix up peak memory.
    """
    if clean:
        shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True, exist_ok=True)
    log_file = out.parent / f"{out.name}.log"
    command = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", str(jobs), src, out]
    before = time.time()
    with log_file.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    messages = log_file.read_text(encoding="utf-8", errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"sphinx-build failed on {src}:\n{messages[-3000:]}")
    pages = [page for page in out.rglob("*.html") if "_static" not in page.parts]
    return Build(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss=usage.ru_maxrss * 1024,  # Linux reports KiB
        warnings=sum("WARNING" in line or "ERROR" in line for line in messages.splitlines()),
        written=sum(page.stat().st_mtime >= before for page in pages),
    )


def med(builds: Sequence[Build], of: str = "wall") -> float:
    return median(getattr(build, of) for build in builds)


def paired_ratio(
    numerators: Sequence[Build], denominators: Sequence[Build], of: str = "wall"
) -> float:
    """The median of per-round ratios: each round's builds ran close together.
    ``of`` is the measure: ``wall``, ``cpu`` or ``peak_rss``."""
    pairs = zip(numerators, denominators, strict=True)
    return median(getattr(a, of) / getattr(b, of) for a, b in pairs)


def rotated(items: Sequence[Any], shift: int) -> list[Any]:
    """Round ``shift``'s order: each item takes every position in turn."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


@dataclass
class Verdict:
    name: str  # PHASE-VARIANT
    measured: float
    limit: float

    @property
    def word(self) -> str:
        return "PASS" if self.measured <= self.limit else "MISS"


@dataclass
class Report:
    """Everything a run measured, for the console, the JSON file and the docs."""

    settings: dict[str, Any]
    machine: dict[str, Any]
    full: dict[str, list[Build]] = field(default_factory=dict)
    parallel: dict[str, list[Build]] = field(default_factory=dict)
    parallel_serial: dict[str, list[Build]] = field(default_factory=dict)
    incremental: dict[str, list[Build]] = field(default_factory=dict)
    scaling: dict[str, dict[int, list[Build]]] = field(default_factory=dict)
    big: dict[str, list[Build]] = field(default_factory=dict)
    index: dict[str, dict[int, list[Build]]] = field(default_factory=dict)  # "with", "without"
    many: dict[str, list[Build]] = field(default_factory=dict)
    hostile: dict[str, dict[int, list[Build]]] = field(default_factory=dict)  # "with", "without"
    verdicts: list[Verdict] = field(default_factory=list)
    seconds: float = 0.0


def package_digest() -> str:
    """A digest of the extension's source, to notice a change during a run."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "sphinx_partnerships").rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine_info() -> dict[str, Any]:
    cpuinfo = Path("/proc/cpuinfo")
    models = [
        line.split(":", 1)[1].strip()
        for line in (cpuinfo.read_text().splitlines() if cpuinfo.exists() else [])
        if line.startswith("model name")
    ]

    def git(*arguments: str) -> str:
        run = subprocess.run(["git", *arguments], cwd=ROOT, capture_output=True, text=True)
        return run.stdout.strip() or "unknown"

    commit = git("rev-parse", "--short", "HEAD")
    if git("status", "--porcelain", "--", "sphinx_partnerships") != "unknown":
        commit += " with uncommitted changes to the extension"
    packages = ("sphinx", "docutils", "myst-parser", "sphinx-design", "sphinx-partnerships")
    return {
        "cpu": models[0] if models else platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        **{name: metadata.version(name) for name in packages},
        "commit": commit,
        "package_digest": package_digest(),
        "load_before": os.getloadavg()[0],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# -- the phases ---------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


def progress(label: str, build: Build) -> None:
    warned = f"  {build.warnings} warnings" if build.warnings else ""
    log(f"    {label:<28} {build.wall:7.2f} s  {build.peak_rss / 2**20:6.0f} MiB{warned}")


def make_sites(
    work: Path, label: str, pages: list[generate.Page], variants: Sequence[str], **options: bool
) -> dict[str, Path]:
    sites = {variant: work / label / variant for variant in variants}
    for variant, src in sites.items():
        generate.write_site(variant, src, pages, **options)
    return sites


def take_turns(
    sites: dict[Any, Path],
    runs: int,
    label: Callable[[Any], str],
    jobs: Callable[[Any], int] = lambda key: 1,
) -> dict[Any, list[Build]]:
    """Clean builds of every site in ``runs`` rounds, the order rotating each round."""
    builds: dict[Any, list[Build]] = {key: [] for key in sites}
    for round_number in range(runs):
        log(f"  round {round_number + 1}/{runs}")
        for key in rotated(list(sites), round_number):
            src = sites[key]
            build = run_build(src, src.with_name(f"{src.name}-out"), jobs=jobs(key))
            progress(label(key), build)
            builds[key].append(build)
    return builds


def phase_full(report: Report, sites: dict[str, Path], args: argparse.Namespace) -> None:
    """Clean builds with -j 1 and -j N, every variant and job count taking turns."""
    runs, parallel_runs, jobs = args.runs, args.parallel_runs, args.jobs
    log(f"\n== Full builds: {runs} rounds (-j 1), {parallel_runs} of them also -j {jobs}")
    serial = (
        take_turns(sites, runs - parallel_runs, LABELS.__getitem__) if runs > parallel_runs else {}
    )
    both = {(v, j): src for j in (1, jobs) for v, src in sites.items()}
    paired = take_turns(both, parallel_runs, lambda k: f"{LABELS[k[0]]} -j {k[1]}", lambda k: k[1])
    for variant in sites:
        report.parallel_serial[variant] = paired[variant, 1]
        report.parallel[variant] = paired[variant, jobs]
        report.full[variant] = paired[variant, 1] + serial.get(variant, [])


def phase_incremental(report: Report, pages: list[generate.Page], work: Path, runs: int) -> None:
    """One entry on one page changes; the site is built again without -E."""
    log(f"\n== Incremental rebuild after a one-entry edit: {runs} rounds")
    sites = make_sites(work, "incremental", pages, VARIANTS)
    page = pages[0]
    everything = (a for p in pages for a in p.activities)
    listed = {id(a) for a in generate.newest(everything, generate.OVERVIEW_LIMIT)}
    # An entry the hand-written overview does not list, so that plain MyST
    # needs one edit too; the project-wide timeline still has to be rewritten.
    index = next((i for i, a in enumerate(page.activities) if id(a) not in listed), 0)
    for variant, src in sites.items():
        run_build(src, work / "incremental" / f"{variant}-out")
        report.incremental[variant] = []
    for round_number in range(runs):
        log(f"  round {round_number + 1}/{runs}")
        for variant in rotated(list(sites), round_number):
            src, out = sites[variant], work / "incremental" / f"{variant}-out"
            marker = generate.edit_entry(variant, src, page, index, round_number + 1)
            build = run_build(src, out, clean=False)
            if marker not in (out / f"{page.docname}.html").read_text(encoding="utf-8"):
                raise SystemExit(f"the {variant} rebuild does not show the edit ({marker})")
            progress(f"{LABELS[variant]} ({build.written} pages written)", build)
            report.incremental[variant].append(build)


def phase_scaling(report: Report, args: argparse.Namespace, work: Path) -> None:
    """Half the default site with 1x, 2x and 4x the entries on every page."""
    factors = [1, *args.scales]
    log(
        f"\n== Scaling: {', '.join(f'{f}x' for f in factors)} the entries, {args.scale_runs} rounds"
    )
    sites: dict[tuple[str, int], Path] = {}
    for f in factors:
        pages = generate.make_pages(
            args.scale_pages, args.activities * f, args.awards * f, args.cards * f
        )
        for variant, src in make_sites(work, f"scale-{f}x", pages, args.scale_variants).items():
            sites[variant, f] = src
    builds = take_turns(sites, args.scale_runs, lambda key: f"{LABELS[key[0]]} {key[1]}x")
    report.scaling = {v: {f: builds[v, f] for f in factors} for v in args.scale_variants}


def phase_big(report: Report, args: argparse.Namespace, work: Path) -> None:
    """One page that holds a timeline of many activities."""
    log(f"\n== One page with a {args.big_timeline}-activity timeline: {args.big_runs} rounds")
    page = generate.make_big_timeline(args.big_timeline)
    sites = make_sites(work, "big", [page], VARIANTS, overview=False)
    report.big = take_turns(sites, args.big_runs, LABELS.__getitem__)


def phase_index(report: Report, args: argparse.Namespace, work: Path) -> None:
    """The inline site with and without a partner-index page, at several sizes."""
    sizes = args.index_sizes
    log(
        f"\n== Partner index: {', '.join(f'{n:,}' for n in sizes)} activities on"
        f" {args.pages} pages, with and without the index, {args.index_runs} rounds"
    )
    sites: dict[tuple[str, int], Path] = {}
    for size in sizes:
        pages = generate.make_pages(args.pages, size // args.pages, 0, 0)
        for kind in ("with", "without"):
            sites[kind, size] = work / f"index-{size}" / kind
            generate.write_site("inline", sites[kind, size], pages, partner_index=kind == "with")
    builds = take_turns(sites, args.index_runs, lambda key: f"{key[1]:,}, {key[0]} the index")
    report.index = {kind: {n: builds[kind, n] for n in sizes} for kind in ("with", "without")}


def phase_many(report: Report, args: argparse.Namespace, work: Path) -> None:
    """Many pages with a few activities each, and the project-wide overview page."""
    log(
        f"\n== Many pages: {args.many_pages:,} pages of {args.many_activities} activities,"
        f" {args.many_runs} rounds"
    )
    pages = generate.make_pages(args.many_pages, args.many_activities, 0, 0)
    # without the theme's sidebars, whose cost grows with the square of the pages
    sites = make_sites(work, "many", pages, ("plain", "inline"), sidebars=False)
    report.many = take_turns(sites, args.many_runs, LABELS.__getitem__)


def phase_hostile(report: Report, args: argparse.Namespace, work: Path) -> None:
    """Data from other hands at scale: one page whose CSV file has many rows,
    each naming 5 partners and 5 tags (with the default archive pages), against
    the same rows without them; a quarter, half and all of the rows."""
    top = args.hostile_rows
    sizes = sorted({max(1, top // 4), max(1, top // 2), top})
    log(
        f"\n== Hostile scale: {', '.join(f'{n:,}' for n in sizes)} CSV rows with and without"
        f" {HOSTILE_FACETS} partners and tags each, {args.hostile_runs} rounds"
    )
    sites: dict[tuple[str, int], Path] = {}
    for size in sizes:
        for kind, facets in (("with", HOSTILE_FACETS), ("without", 0)):
            sites[kind, size] = work / f"hostile-{size}" / kind
            generate.write_hostile_site(sites[kind, size], size, facets=facets)
    builds = take_turns(sites, args.hostile_runs, lambda key: f"{key[1]:,} rows, {key[0]}")
    report.hostile = {kind: {n: builds[kind, n] for n in sizes} for kind in ("with", "without")}


def phase_text(problems: list[str], size: int) -> None:
    """Data text written to be slow, read by the safe subset (hostile_text.py)."""
    log(f"\n== Hostile data text: {size:,} characters each")
    problems.extend(hostile_text.run(size, log=log))


# -- results ------------------------------------------------------------------


def judge(report: Report) -> None:
    """PASS or MISS for every target that this run measured."""

    def add(name: str, measured: float, limit: float) -> None:
        report.verdicts.append(Verdict(name, measured, limit))

    directives = ("inline", "data")
    for variant in [v for v in directives if v in report.full and "plain" in report.full]:
        ratio = paired_ratio(report.full[variant], report.full["plain"])
        add(f"full-{variant}", ratio, TARGETS[f"full-{variant}"])
    for variant in directives if report.incremental else ():
        ratio = paired_ratio(report.incremental[variant], report.incremental["plain"])
        add(f"incremental-{variant}", ratio, TARGETS["incremental"])
    for variant in [v for v in directives if v in report.scaling]:
        by_factor = report.scaling[variant]
        top = max(by_factor)
        add(
            f"scaling-{variant}",
            paired_ratio(by_factor[top], by_factor[1]),
            TARGETS["scaling"] * top / 4,
        )
    for variant in directives if report.big else ():
        add(
            f"big-{variant}", paired_ratio(report.big[variant], report.big["plain"]), TARGETS["big"]
        )
    if report.index:
        with_index = report.index["with"]
        low, high = min(with_index), max(with_index)
        ratio = paired_ratio(with_index[high], with_index[low])
        add("index-inline", ratio, TARGETS["index"] * high / low / 8)
    if report.many:
        inline, plain = report.many["inline"], report.many["plain"]
        add("many-inline", paired_ratio(inline, plain), TARGETS["many"])
        add("many-memory-inline", paired_ratio(inline, plain, "peak_rss"), TARGETS["many-memory"])
    if report.hostile:
        with_facets, without = report.hostile["with"], report.hostile["without"]
        low, high = min(with_facets), max(with_facets)
        add("hostile-data", paired_ratio(with_facets[high], without[high]), TARGETS["hostile"])
        if high > low:
            growth = paired_ratio(with_facets[high], with_facets[low], "peak_rss")
            add("hostile-memory-data", growth, TARGETS["hostile-memory"] * high / low / 4)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table, its columns padded so that it reads as plain text too."""
    widths = [max(map(len, column)) for column in zip(header, *rows, strict=True)]
    lines = [
        [cell.ljust(width) for cell, width in zip(row, widths, strict=True)]
        for row in (header, *rows)
    ]
    lines.insert(1, ["-" * width for width in widths])
    return ["| " + " | ".join(cells) + " |" for cells in lines] + [""]


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def times(value: float) -> str:
    return f"{value:.2f}x"


def mib(value: float) -> str:
    return f"{value / 2**20:.0f} MiB"


def runs_text(builds: Sequence[Build]) -> str:
    return f"medians of {len(builds)} runs" if len(builds) > 1 else "1 run"


def results_tables(report: Report) -> list[str]:
    """Every table of the run, as Markdown."""
    verdicts = {v.name: v for v in report.verdicts}

    def target(name: str) -> str:
        verdict = verdicts.get(name)
        return f"<= {verdict.limit:.2f}x {verdict.word}" if verdict else "-"

    s, lines = report.settings, []
    if plain := report.full.get("plain"):
        lines += [
            f"**Full builds from clean** ({s['pages']} pages, each with {s['activities']}"
            " activities,"
            f" {s['awards']} awards and {s['cards']} image cards; `-j 1`; {runs_text(plain)})",
            "",
            *table(
                [
                    "Variant",
                    "Wall time",
                    "Ratio to plain MyST",
                    "Peak memory",
                    "CPU time",
                    "CPU time ratio",
                    "Target",
                ],
                [
                    [
                        LABELS[v],
                        seconds(med(b)),
                        times(paired_ratio(b, plain)),
                        mib(med(b, "peak_rss")),
                        seconds(med(b, "cpu")),
                        times(paired_ratio(b, plain, "cpu")),
                        target(f"full-{v}"),
                    ]
                    for v, b in report.full.items()
                ],
            ),
        ]
    if base := report.incremental.get("plain"):
        lines += [
            "**Incremental rebuild** after one activity on one page changed (the project-wide"
            f" overview page is in the site; {runs_text(base)})",
            "",
            *table(
                [
                    "Variant",
                    "Wall time",
                    "Ratio to plain MyST",
                    "CPU time ratio",
                    "HTML pages written",
                    "Target",
                ],
                [
                    [
                        LABELS[v],
                        seconds(med(b)),
                        times(paired_ratio(b, base)),
                        times(paired_ratio(b, base, "cpu")),
                        str(round(med(b, "written"))),
                        target(f"incremental-{v}"),
                    ]
                    for v, b in report.incremental.items()
                ],
            ),
        ]
    if report.parallel.get("plain"):
        j = s["jobs"]
        lines += [
            f"**Parallel build**: `-j {j}` against `-j 1` ({runs_text(report.parallel['plain'])})",
            "",
            *table(
                [
                    "Variant",
                    "-j 1",
                    f"-j {j}",
                    "Speed-up",
                    f"Peak memory (-j {j}, largest process)",
                ],
                [
                    [
                        LABELS[v],
                        seconds(med(report.parallel_serial[v])),
                        seconds(med(b)),
                        times(1 / paired_ratio(b, report.parallel_serial[v])),
                        mib(med(b, "peak_rss")),
                    ]
                    for v, b in report.parallel.items()
                ],
            ),
        ]
    if report.scaling:
        factors = sorted(next(iter(report.scaling.values())))
        top = factors[-1]
        lines += [
            f"**Scaling** with the entries on every page: {s['scale_pages']} pages with"
            f" {s['activities']}"
            f" activities, {s['awards']} awards and {s['cards']} cards each at 1x"
            f" ({runs_text(next(iter(report.scaling.values()))[1])})",
            "",
            *table(
                [
                    "Variant",
                    *(f"{f}x entries" for f in factors),
                    f"{top}x / 1x",
                    f"{top}x / 1x (CPU time)",
                    "Target",
                ],
                [
                    [
                        LABELS[v],
                        *(seconds(med(by[f])) for f in factors),
                        times(paired_ratio(by[top], by[1])),
                        times(paired_ratio(by[top], by[1], "cpu")),
                        target(f"scaling-{v}"),
                    ]
                    for v, by in report.scaling.items()
                ],
            ),
        ]
    if report.big:
        title = f"One page with a {s['big_timeline']}-activity timeline"
        lines += [f"**{title}** ({runs_text(report.big['plain'])})", ""]
        lines += against_plain(report.big, target, {"Target": "big"})
    if report.index:
        lines += index_table(report, target)
    if report.hostile:
        lines += hostile_table(report, target)
    if report.many:
        lines += [
            f"**Many pages**: {s['many_pages']:,} pages, each with {s['many_activities']}"
            " activities"
            " (no awards or cards), and the project-wide overview page"
            f" ({runs_text(report.many['plain'])})",
            "",
            *against_plain(
                report.many, target, {"Time target": "many", "Memory target": "many-memory"}
            ),
        ]
    return lines


def against_plain(
    runs: dict[str, list[Build]], target: Callable[[str], str], targets: dict[str, str]
) -> list[str]:
    """Each variant against plain MyST; ``targets`` maps a column to a verdict's phase."""
    base = runs["plain"]
    header = [
        "Variant",
        "Wall time",
        "Ratio to plain MyST",
        "Peak memory",
        "Peak memory ratio",
        "CPU time ratio",
    ]
    return table(
        [*header, *targets],
        [
            [
                LABELS[v],
                seconds(med(b)),
                times(paired_ratio(b, base)),
                mib(med(b, "peak_rss")),
                times(paired_ratio(b, base, "peak_rss")),
                times(paired_ratio(b, base, "cpu")),
                *(target(f"{phase}-{v}") for phase in targets.values()),
            ]
            for v, b in runs.items()
        ],
    )


def index_table(report: Report, target: Callable[[str], str]) -> list[str]:
    """The partner-index phase: each size with and without the index."""
    with_index, without = report.index["with"], report.index["without"]
    sizes = sorted(with_index)
    smallest = with_index[sizes[0]]
    base = f"/ {sizes[0]:,} (with the index)"
    rows = [
        [
            f"{n:,}",
            seconds(med(with_index[n])),
            seconds(med(without[n])),
            seconds(
                median(a.wall - b.wall for a, b in zip(with_index[n], without[n], strict=True))
            ),
            times(paired_ratio(with_index[n], without[n])),
            times(paired_ratio(with_index[n], smallest)),
            times(paired_ratio(with_index[n], smallest, "cpu")),
            target("index-inline") if n == sizes[-1] else "-",
        ]
        for n in sizes
    ]
    header = ["Activities", "With the index", "Without", "The index adds", "With / without"]
    return [
        f"**Partner index**: the inline directives site of {report.settings['pages']} pages"
        " (activities only), with and without a page holding a `partner-index`"
        f" ({runs_text(smallest)})",
        "",
        *table([*header, f"Time {base}", f"CPU time {base}", "Target"], rows),
    ]


def hostile_table(report: Report, target: Callable[[str], str]) -> list[str]:
    """The hostile phase: each size with and without partners and tags."""
    with_facets, without = report.hostile["with"], report.hostile["without"]
    sizes = sorted(with_facets)
    rows = [
        [
            f"{n:,}",
            seconds(med(with_facets[n])),
            seconds(med(without[n])),
            times(paired_ratio(with_facets[n], without[n])),
            times(paired_ratio(with_facets[n], without[n], "cpu")),
            mib(med(with_facets[n], "peak_rss")),
            mib(med(without[n], "peak_rss")),
            target("hostile-data") if n == sizes[-1] else "-",
        ]
        for n in sizes
    ]
    header = [
        "CSV rows",
        "With partners and tags",
        "Without",
        "With / without",
        "CPU time ratio",
        "Peak memory with",
        "Peak memory without",
        "Target",
    ]
    return [
        f"**Hostile scale**: one page whose timeline reads a CSV file, each row with"
        f" {HOSTILE_FACETS} of 50 partners and {HOSTILE_FACETS} of 20 tags, against the same"
        f" rows without them; archive pages on ({runs_text(with_facets[sizes[-1]])}). Memory"
        f" grows {times(paired_ratio(with_facets[sizes[-1]], with_facets[sizes[0]], 'peak_rss'))}"
        f" from {sizes[0]:,} to {sizes[-1]:,} rows ({target('hostile-memory-data')}).",
        "",
        *table(header, rows),
    ]


def verdict_text(name: str, limit: float, s: dict[str, Any]) -> str:
    phase, _, variant = name.rpartition("-")
    label, at_most = LABELS[variant], f"at most {limit:.2f}x"
    return {
        "full": f"Full build, {label}: {at_most} plain MyST",
        "incremental": f"Incremental rebuild after a one-entry edit, {label}:"
        f" {at_most} plain MyST's",
        "scaling": f"{max(s['scales'])}x the entries, {label}: {at_most} the time",
        "big": f"One page with a {s['big_timeline']:,}-activity timeline, {label}:"
        f" {at_most} plain MyST",
        "index": f"Partner index over {max(s['index_sizes']):,} activities, {label}:"
        f" {at_most} the time at {min(s['index_sizes']):,}",
        "many": f"{s['many_pages']:,} pages of {s['many_activities']} activities, {label}:"
        f" {at_most} plain MyST's time",
        "many-memory": f"{s['many_pages']:,} pages of {s['many_activities']} activities, {label}:"
        f" {at_most} plain MyST's peak memory",
        "hostile": f"{s['hostile_rows']:,} CSV rows with {HOSTILE_FACETS} partners and"
        f" {HOSTILE_FACETS} tags each: {at_most} the time of the same rows without them",
        "hostile-memory": f"{s['hostile_rows']:,} CSV rows with partners and tags: {at_most}"
        " the peak memory of a quarter of the rows",
    }[phase]


def summary(report: Report) -> list[str]:
    """The machine, the tables and the verdicts: what the console and the docs show."""
    m = report.machine
    machine = (
        f"Measured on {m['date']} on {m['cpu']} ({m['cores']} cores), {m['os']}, "
        f"Python {m['python']}, Sphinx {m['sphinx']}, docutils {m['docutils']}, "
        f"myst-parser {m['myst-parser']}, sphinx-design {m['sphinx-design']}, "
        f"sphinx-partnerships {m['sphinx-partnerships']} (commit {m['commit']}); "
        f"load average {m['load_before']:.1f} before and {m['load_after']:.1f} after the run, "
        f"which took {report.seconds / 60:.1f} min."
        + (" The extension's source changed during the run." if m.get("changed_during_run") else "")
    )
    verdicts = [
        f"- **{v.word}** {verdict_text(v.name, v.limit, report.settings)}:"
        f" measured {v.measured:.2f}x"
        for v in report.verdicts
    ]
    return [
        machine,
        f"Reproduce with `{report.settings['command']}`.",
        "",
        *results_tables(report),
        "**Targets**",
        "",
        *verdicts,
        "",
    ]


# -- main ---------------------------------------------------------------------


def numbers(text: str) -> list[int]:
    """``"2,4"`` as ``[2, 4]``: sorted, without repeats."""
    return sorted({int(part) for part in text.split(",") if part.strip()})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Build time of the directives against plain MyST (see benchmarks/README.md)."
    )
    add = parser.add_argument
    add("--pages", type=int, default=DEFAULTS["pages"])
    add("--activities", type=int, default=DEFAULTS["activities"], help="per page")
    add("--awards", type=int, default=DEFAULTS["awards"], help="per page")
    add("--cards", type=int, default=DEFAULTS["cards"], help="per page")
    add(
        "--big-timeline",
        type=int,
        default=DEFAULTS["big_timeline"],
        metavar="N",
        help="activities on the one-page timeline",
    )
    add(
        "--scales",
        type=numbers,
        default=DEFAULTS["scales"],
        help="entry multipliers of the scaling phase (default: 2,4)",
    )
    add(
        "--index-sizes",
        type=numbers,
        default=DEFAULTS["index_sizes"],
        help="activities in all of the partner-index phase's sites, each a multiple of"
        " --pages (default: 2000,4000,8000,16000)",
    )
    add(
        "--many-pages",
        type=int,
        default=DEFAULTS["many_pages"],
        help="pages of the many-pages phase (default: 2000)",
    )
    add(
        "--many-activities",
        type=int,
        default=DEFAULTS["many_activities"],
        help="activities per page there (default: 20)",
    )
    add(
        "--hostile-rows",
        type=int,
        default=DEFAULTS["hostile_rows"],
        help="CSV rows of the hostile phase's largest site (default: 20000)",
    )
    add(
        "--runs",
        type=int,
        default=5,
        help="rounds of full builds and incremental rebuilds (default: 5)",
    )
    for phase in ("parallel", "scale", "big", "index", "many", "hostile"):
        add(
            f"--{phase}-runs",
            type=int,
            help=f"rounds of the {phase} phase (default: 3, at most --runs)",
        )
    add(
        "--text-size",
        type=int,
        default=hostile_text.DEFAULT_SIZE,
        metavar="N",
        help="characters of each text of the text phase (default: 1000000)",
    )
    add("--jobs", type=int, default=2, help="-j of the parallel builds")
    add(
        "--scale-pages",
        type=int,
        help="pages of the scaling phase's sites (default: half of --pages)",
    )
    add(
        "--scale-variants",
        type=lambda text: [v for v in text.split(",") if v],
        default=["inline", "data"],
        help="variants of the scaling phase (default: inline,data)",
    )
    add(
        "--skip", action="append", choices=PHASES, default=[], help="leave out a phase (repeatable)"
    )
    add("--work", type=Path, default=HERE / "_work", help="scratch folder")
    add("--results", type=Path, default=HERE / "results", help="folder for the JSON results")
    add(
        "--docs",
        choices=("auto", "yes", "no"),
        default="auto",
        help=f"write {DOCS_FRAGMENT.relative_to(ROOT)}: auto = only after a full"
        " default-size run of at least 5 rounds",
    )
    args = parser.parse_args(argv)
    if "index" not in args.skip and (
        len(args.index_sizes) < 2 or any(n % args.pages for n in args.index_sizes)
    ):
        parser.error("--index-sizes: give at least two sizes, each a multiple of --pages")
    if not args.scale_variants or set(args.scale_variants) - set(VARIANTS):
        parser.error(f"--scale-variants: use some of {', '.join(VARIANTS)}")
    for phase in ("parallel", "scale", "big", "index", "many", "hostile"):
        runs = getattr(args, f"{phase}_runs")
        setattr(args, f"{phase}_runs", min(3 if runs is None else runs, args.runs))
    args.scale_pages = args.scale_pages or max(1, (args.pages + 1) // 2)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    given = sys.argv[1:] if argv is None else list(argv)
    started = time.perf_counter()
    settings = {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}
    settings["command"] = " ".join(["nox -s bench", *(["--", *given] if given else [])])
    report = Report(settings=settings, machine=machine_info())
    m = report.machine
    log(
        f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, Sphinx {m['sphinx']},"
        f" load average {m['load_before']:.1f}"
    )

    pages = generate.make_pages(args.pages, args.activities, args.awards, args.cards)
    log("\n== Generating the sites and building each once (untimed)")
    sites = make_sites(args.work, "default", pages, VARIANTS)
    for variant, src in sites.items():  # warms the caches; every variant must build cleanly
        build = run_build(src, src.with_name(f"{variant}-out"))
        log(f"    warm-up {LABELS[variant]:<20} {build.wall:7.2f} s")
        if build.warnings:
            raise SystemExit(f"the {variant} site builds with warnings: see {src}-out.log")

    hostile_problems: list[str] = []
    phases: dict[str, Callable[[], None]] = {
        "full": lambda: phase_full(report, sites, args),
        "incremental": lambda: phase_incremental(report, pages, args.work, args.runs),
        "scaling": lambda: phase_scaling(report, args, args.work),
        "big": lambda: phase_big(report, args, args.work),
        "index": lambda: phase_index(report, args, args.work),
        "many": lambda: phase_many(report, args, args.work),
        "hostile": lambda: phase_hostile(report, args, args.work),
        "text": lambda: phase_text(hostile_problems, args.text_size),
    }
    for name in PHASES:
        if name not in args.skip:
            phases[name]()

    report.seconds = time.perf_counter() - started
    report.machine["load_after"] = os.getloadavg()[0]
    if package_digest() != report.machine["package_digest"]:
        log("\nWARNING: the extension's source changed during the run; measure again.")
        report.machine["changed_during_run"] = True
    judge(report)
    lines = summary(report)
    log("\n== Results\n\n" + "\n".join(lines))

    args.results.mkdir(parents=True, exist_ok=True)
    saved = args.results / f"bench-{dt.datetime.now():%Y%m%d-%H%M%S}.json"
    saved.write_text(json.dumps(asdict(report), indent=2), encoding="utf-8")
    log(f"Every measurement: {saved}")

    complete = (
        all(getattr(args, k) == v for k, v in DEFAULTS.items()) and args.runs >= 5 and not args.skip
    )
    if args.docs == "yes" or (args.docs == "auto" and complete):
        DOCS_FRAGMENT.parent.mkdir(parents=True, exist_ok=True)
        header = "<!-- Written by benchmarks/run.py from measured figures; do not edit by hand. -->"
        DOCS_FRAGMENT.write_text("\n".join([header, "", *lines]), encoding="utf-8")
        log(f"Figures written to {DOCS_FRAGMENT.relative_to(ROOT)}")
    else:
        log(
            f"{DOCS_FRAGMENT.relative_to(ROOT)} left as it is (not a full default-size run;"
            " --docs yes writes it anyway)"
        )
    return 1 if hostile_problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
