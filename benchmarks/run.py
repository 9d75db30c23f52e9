"""Measure how the extension's build time compares with plain MyST.

Builds the synthetic site of ``generate.py`` in its three variants (plain MyST,
inline directives, data files) with ``sphinx-build -b html -q``, each build in
its own process and from clean unless said otherwise, the variants taking turns
so that a change in the machine's load affects them alike. Prints medians, the
ratio of each variant to plain MyST (the median of the per-round ratios) and
PASS or MISS for every target; writes every measurement to
``benchmarks/results/`` and, after a full default-size run, the figures to
``docs/_generated/performance.md``.

Run it with ``nox -s bench`` (``nox -s bench -- --help`` for the options), or
with ``python benchmarks/run.py`` in an environment that has the package,
myst-parser and sphinx-design.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

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
}
#: the targets of the issue, as (name, limit)
TARGETS = {
    "inline": 1.10,
    "data": 1.15,
    "incremental": 1.5,
    "scaling": 4.4,
    "big": 2.0,
    "index": 8.8,  # 8x the activities (with the partner index)
    "many": 1.2,
    "many-memory": 1.5,
}
#: the partner-index phase builds each size with and without the index page
INDEX_KINDS = ("with", "without")
DOCS_FRAGMENT = ROOT / "docs" / "_generated" / "performance.md"
REPRODUCE = "nox -s bench"


# -- one build ----------------------------------------------------------------


@dataclass
class Build:
    """One ``sphinx-build`` process: what it cost."""

    wall: float  # seconds, measured around the process
    cpu: float  # seconds of user + system time of the process and its workers
    peak_rss: int  # bytes: the largest resident set among the process and its workers
    warnings: int
    written: int = 0  # HTML pages written (incremental builds)


def sphinx_build_command() -> list[str]:
    script = Path(sys.executable).with_name("sphinx-build")
    return [str(script)] if script.exists() else [sys.executable, "-m", "sphinx"]


def run_build(src: Path, out: Path, *, jobs: int = 1, clean: bool = True) -> Build:
    """Build ``src`` into ``out`` in a subprocess and measure it.

    ``os.wait4`` returns the resource usage of exactly this child (and of the
    worker processes it waited for), so concurrent builds cannot mix up peak
    memory the way ``RUSAGE_CHILDREN`` maxima across many children could.
    """
    if clean and out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    log = out.parent / f"{out.name}.log"
    command = [*sphinx_build_command(), "-b", "html", "-q", "-j", str(jobs), str(src), str(out)]
    before = time.time()
    with log.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    messages = log.read_text(encoding="utf-8", errors="replace")
    if process.returncode != 0:
        raise RuntimeError(
            f"sphinx-build failed ({process.returncode}) on {src}:\n{messages[-3000:]}"
        )
    written = sum(
        1
        for page in out.rglob("*.html")
        if "_static" not in page.parts and page.stat().st_mtime >= before
    )
    return Build(
        wall=wall,
        cpu=usage.ru_utime + usage.ru_stime,
        peak_rss=usage.ru_maxrss * 1024,  # Linux reports KiB
        warnings=sum(1 for line in messages.splitlines() if "WARNING" in line or "ERROR" in line),
        written=written,
    )


# -- statistics ---------------------------------------------------------------


def median(values: Iterable[float]) -> float:
    return statistics.median(list(values))


def paired_ratio(
    numerators: Sequence[Build], denominators: Sequence[Build], *, of: str = "wall"
) -> float:
    """The median of per-round ratios: each round's builds ran close together.

    ``of`` is the measure: ``wall``, ``cpu`` or ``peak_rss``.
    """
    pairs = zip(numerators, denominators, strict=True)
    return median(getattr(a, of) / getattr(b, of) for a, b in pairs)


def rotated(items: Sequence[Any], shift: int) -> list[Any]:
    """Round ``shift``'s order: each item takes every position in turn."""
    shift %= len(items)
    return [*items[shift:], *items[:shift]]


@dataclass
class Verdict:
    name: str
    measured: float
    limit: float

    @property
    def passed(self) -> bool:
        return self.measured <= self.limit

    @property
    def word(self) -> str:
        return "PASS" if self.passed else "MISS"


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
    index: dict[str, dict[int, list[Build]]] = field(default_factory=dict)  # INDEX_KINDS
    many: dict[str, list[Build]] = field(default_factory=dict)
    verdicts: list[Verdict] = field(default_factory=list)
    seconds: float = 0.0


# -- the machine --------------------------------------------------------------


def package_digest() -> str:
    """A digest of the extension's source, to notice a change during a run."""
    import hashlib

    import sphinx_partnerships

    digest = hashlib.sha256()
    for path in sorted(Path(sphinx_partnerships.__file__).parent.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass

    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "not installed"

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        commit = git("rev-parse", "--short", "HEAD")
        if git("status", "--porcelain", "--", "sphinx_partnerships"):
            commit += " with uncommitted changes to the extension"
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "sphinx": version("sphinx"),
        "docutils": version("docutils"),
        "myst-parser": version("myst-parser"),
        "sphinx-design": version("sphinx-design"),
        "sphinx-partnerships": version("sphinx-partnerships"),
        "commit": commit,
        "package_digest": package_digest(),
        "load_before": os.getloadavg()[0],
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


# -- the phases ---------------------------------------------------------------


def log(message: str) -> None:
    print(message, flush=True)


def progress(label: str, build: Build) -> None:
    log(
        f"    {label:<28} {build.wall:7.2f} s  {build.peak_rss / 2**20:6.0f} MiB"
        + (f"  {build.warnings} warnings" if build.warnings else "")
    )


def make_sites(
    work: Path,
    label: str,
    pages: list[generate.Page],
    variants: Sequence[str],
    *,
    overview: bool = True,
    sidebars: bool = True,
) -> dict[str, Path]:
    sites = {}
    for variant in variants:
        src = work / label / variant
        generate.write_site(variant, src, pages, overview=overview, sidebars=sidebars)
        sites[variant] = src
    return sites


def check_clean(sites: dict[str, Path], work: Path, label: str) -> None:
    """One untimed build each: warms caches and proves the variants build cleanly."""
    for variant, src in sites.items():
        build = run_build(src, work / label / f"{variant}-out")
        log(f"    warm-up {LABELS[variant]:<20} {build.wall:7.2f} s")
        if build.warnings:
            text = (work / label / f"{variant}-out.log").read_text()
            raise SystemExit(
                f"the {variant} site of {label!r} builds with warnings:\n{text[:3000]}"
            )


def take_turns(
    sites: dict[Any, Path], runs: int, label: Callable[[Any], str]
) -> dict[Any, list[Build]]:
    """Clean builds of every site in ``runs`` rounds, the order rotating each round."""
    builds: dict[Any, list[Build]] = {key: [] for key in sites}
    for round_number in range(runs):
        log(f"  round {round_number + 1}/{runs}")
        for key in rotated(list(sites), round_number):
            src = sites[key]
            build = run_build(src, src.with_name(f"{src.name}-out"))
            progress(label(key), build)
            builds[key].append(build)
    return builds


def phase_full(
    report: Report, sites: dict[str, Path], work: Path, runs: int, parallel_runs: int, jobs: int
) -> None:
    """Clean builds with -j 1 and -j N, every variant and job count taking turns."""
    log(f"\n== Full builds: {runs} rounds (-j 1), {parallel_runs} of them also -j {jobs}")
    for variant in sites:
        report.full[variant] = []
        report.parallel[variant] = []
        report.parallel_serial[variant] = []
    for round_number in range(runs):
        combos = [(v, 1) for v in sites]
        if round_number < parallel_runs:
            combos += [(v, jobs) for v in sites]
        log(f"  round {round_number + 1}/{runs}")
        for variant, j in rotated(combos, round_number):
            build = run_build(sites[variant], work / "default" / f"{variant}-out", jobs=j)
            progress(f"{LABELS[variant]} -j {j}", build)
            if j == 1:
                report.full[variant].append(build)
                if round_number < parallel_runs:
                    report.parallel_serial[variant].append(build)
            else:
                report.parallel[variant].append(build)


def phase_incremental(report: Report, pages: list[generate.Page], work: Path, runs: int) -> None:
    """One entry on one page changes; the site is built again without -E."""
    log(f"\n== Incremental rebuild after a one-entry edit: {runs} rounds")
    sites = make_sites(work, "incremental", pages, VARIANTS)
    page = pages[0]
    newest = {
        id(a)
        for a in generate.newest((a for p in pages for a in p.activities), generate.OVERVIEW_LIMIT)
    }
    # An entry the hand-written overview does not list, so that plain MyST
    # needs one edit too; the project-wide timeline still has to be rewritten.
    index = next((i for i, a in enumerate(page.activities) if id(a) not in newest), 0)
    for variant, src in sites.items():
        run_build(src, work / "incremental" / f"{variant}-out")
        report.incremental[variant] = []
    for round_number in range(runs):
        log(f"  round {round_number + 1}/{runs}")
        for variant in rotated(list(sites), round_number):
            src, out = sites[variant], work / "incremental" / f"{variant}-out"
            marker = generate.edit_entry(variant, src, page, index, round_number + 1)
            build = run_build(src, out, clean=False)
            shown = (out / f"{page.docname}.html").read_text(encoding="utf-8")
            if marker not in shown:
                raise SystemExit(f"the {variant} rebuild does not show the edit ({marker})")
            progress(f"{LABELS[variant]} ({build.written} pages written)", build)
            report.incremental[variant].append(build)


def phase_scaling(report: Report, args: argparse.Namespace, work: Path) -> None:
    """The default site with 1x, 2x and 4x the entries on every page."""
    factors = [1, *args.scales]
    log(
        f"\n== Scaling: {', '.join(f'{f}x' for f in factors)} the entries, {args.scale_runs} rounds"
    )
    sites: dict[tuple[str, int], Path] = {}
    for factor in factors:
        pages = generate.make_pages(
            args.scale_pages, args.activities * factor, args.awards * factor, args.cards * factor
        )
        for variant, src in make_sites(
            work, f"scale-{factor}x", pages, args.scale_variants
        ).items():
            sites[variant, factor] = src
    builds = take_turns(sites, args.scale_runs, lambda key: f"{LABELS[key[0]]} {key[1]}x")
    report.scaling = {v: {f: builds[v, f] for f in factors} for v in args.scale_variants}


def phase_big(report: Report, args: argparse.Namespace, work: Path) -> None:
    """One page that holds a timeline of many activities."""
    log(f"\n== One page with a {args.big_timeline}-activity timeline: {args.big_runs} rounds")
    sites = make_sites(
        work, "big", [generate.make_big_timeline(args.big_timeline)], VARIANTS, overview=False
    )
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
        for kind in INDEX_KINDS:
            sites[kind, size] = work / f"index-{size}" / kind
            generate.write_site("inline", sites[kind, size], pages, partner_index=kind == "with")
    builds = take_turns(sites, args.index_runs, lambda key: f"{key[1]:,}, {key[0]} the index")
    report.index = {kind: {size: builds[kind, size] for size in sizes} for kind in INDEX_KINDS}


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


# -- results ------------------------------------------------------------------


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def runs_text(count: int) -> str:
    return f"medians of {count} runs" if count > 1 else "1 run"


def mib(value: float) -> str:
    return f"{value / 2**20:.0f} MiB"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """A Markdown table (readable as plain text too)."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    return [
        line(header),
        "| " + " | ".join("-" * w for w in widths) + " |",
        *(line(row) for row in rows),
    ]


def verdict_cell(verdicts: dict[str, Verdict], key: str) -> str:
    verdict = verdicts.get(key)
    if verdict is None:
        return "-"
    return f"<= {verdict.limit:.2f}x {verdict.word}"


def results_tables(report: Report) -> list[str]:
    """Every table of the run, as Markdown."""
    verdicts = {v.name: v for v in report.verdicts}
    lines: list[str] = []
    s = report.settings
    plain = report.full.get("plain")
    if plain:
        lines += [
            f"**Full builds from clean** ({s['pages']} pages, each with"
            f" {s['activities']} activities, {s['awards']} awards and {s['cards']}"
            f" image cards; `-j 1`; {runs_text(len(plain))})",
            "",
        ]
        rows = []
        for variant, builds in report.full.items():
            ratio = paired_ratio(builds, plain)
            rows.append(
                [
                    LABELS[variant],
                    seconds(median(b.wall for b in builds)),
                    f"{ratio:.2f}x",
                    mib(median(b.peak_rss for b in builds)),
                    seconds(median(b.cpu for b in builds)),
                    f"{paired_ratio(builds, plain, of='cpu'):.2f}x",
                    verdict_cell(verdicts, f"full-{variant}") if variant != "plain" else "-",
                ]
            )
        lines += [
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
                rows,
            ),
            "",
        ]
    if report.incremental:
        base = report.incremental["plain"]
        lines += [
            "**Incremental rebuild** after one activity on one page changed (the"
            " project-wide overview page is in the site;"
            f" {runs_text(len(base))})",
            "",
        ]
        rows = []
        for variant, builds in report.incremental.items():
            rows.append(
                [
                    LABELS[variant],
                    seconds(median(b.wall for b in builds)),
                    f"{paired_ratio(builds, base):.2f}x",
                    f"{paired_ratio(builds, base, of='cpu'):.2f}x",
                    str(round(median(b.written for b in builds))),
                    verdict_cell(verdicts, f"incremental-{variant}") if variant != "plain" else "-",
                ]
            )
        lines += [
            *table(
                [
                    "Variant",
                    "Wall time",
                    "Ratio to plain MyST",
                    "CPU time ratio",
                    "HTML pages written",
                    "Target",
                ],
                rows,
            ),
            "",
        ]
    if report.parallel and any(report.parallel.values()):
        jobs = s["jobs"]
        lines += [
            f"**Parallel build**: `-j {jobs}` against `-j 1` ("
            f"{runs_text(len(report.parallel['plain']))})",
            "",
        ]
        rows = []
        for variant, builds in report.parallel.items():
            serial = report.parallel_serial[variant]
            rows.append(
                [
                    LABELS[variant],
                    seconds(median(b.wall for b in serial)),
                    seconds(median(b.wall for b in builds)),
                    f"{1 / paired_ratio(builds, serial):.2f}x",
                    mib(median(b.peak_rss for b in builds)),
                ]
            )
        lines += [
            *table(
                [
                    "Variant",
                    "-j 1",
                    f"-j {jobs}",
                    "Speed-up",
                    f"Peak memory (-j {jobs}, largest process)",
                ],
                rows,
            ),
            "",
        ]
    if report.scaling:
        factors = sorted(next(iter(report.scaling.values())))
        runs = len(next(iter(report.scaling.values()))[factors[0]])
        lines += [
            f"**Scaling** with the entries on every page: {s['scale_pages']} pages with"
            f" {s['activities']} activities, {s['awards']} awards and {s['cards']} cards"
            f" each at 1x ({runs_text(runs)})",
            "",
        ]
        rows = []
        for variant, by_factor in report.scaling.items():
            top = factors[-1]
            ratio = paired_ratio(by_factor[top], by_factor[1])
            rows.append(
                [
                    LABELS[variant],
                    *(seconds(median(b.wall for b in by_factor[f])) for f in factors),
                    f"{ratio:.2f}x",
                    f"{paired_ratio(by_factor[top], by_factor[1], of='cpu'):.2f}x",
                    verdict_cell(verdicts, f"scaling-{variant}") if variant != "plain" else "-",
                ]
            )
        lines += [
            *table(
                [
                    "Variant",
                    *(f"{f}x entries" for f in factors),
                    f"{factors[-1]}x / 1x",
                    f"{factors[-1]}x / 1x (CPU time)",
                    "Target",
                ],
                rows,
            ),
            "",
        ]
    if report.big:
        lines += [
            f"**One page with a {s['big_timeline']}-activity timeline**"
            f" ({runs_text(len(report.big['plain']))})",
            "",
            *against_plain(report.big, verdicts, {"Target": "big"}),
            "",
        ]
    if report.index:
        lines += [*index_table(report, verdicts), ""]
    if report.many:
        lines += [
            f"**Many pages**: {s['many_pages']:,} pages, each with {s['many_activities']}"
            " activities (no awards or cards), and the project-wide overview page"
            f" ({runs_text(len(report.many['plain']))})",
            "",
            *against_plain(
                report.many, verdicts, {"Time target": "many", "Memory target": "many-memory"}
            ),
            "",
        ]
    return lines


def against_plain(
    runs: dict[str, list[Build]], verdicts: dict[str, Verdict], targets: dict[str, str]
) -> list[str]:
    """Each variant against plain MyST; ``targets`` maps a column to a verdict's phase."""
    base = runs["plain"]
    rows = [
        [
            LABELS[variant],
            seconds(median(b.wall for b in builds)),
            f"{paired_ratio(builds, base):.2f}x",
            mib(median(b.peak_rss for b in builds)),
            f"{paired_ratio(builds, base, of='peak_rss'):.2f}x",
            f"{paired_ratio(builds, base, of='cpu'):.2f}x",
            *(verdict_cell(verdicts, f"{phase}-{variant}") for phase in targets.values()),
        ]
        for variant, builds in runs.items()
    ]
    header = ["Variant", "Wall time", "Ratio to plain MyST", "Peak memory", "Peak memory ratio"]
    return table([*header, "CPU time ratio", *targets], rows)


def index_table(report: Report, verdicts: dict[str, Verdict]) -> list[str]:
    """The partner-index phase: each size with and without the index."""
    with_index, without = (report.index[kind] for kind in INDEX_KINDS)
    sizes = sorted(with_index)
    smallest = with_index[sizes[0]]
    rows = []
    for size in sizes:
        builds, bare = with_index[size], without[size]
        rows.append(
            [
                f"{size:,}",
                seconds(median(b.wall for b in builds)),
                seconds(median(b.wall for b in bare)),
                seconds(median(a.wall - b.wall for a, b in zip(builds, bare, strict=True))),
                f"{paired_ratio(builds, bare):.2f}x",
                f"{paired_ratio(builds, smallest):.2f}x",
                f"{paired_ratio(builds, smallest, of='cpu'):.2f}x",
                verdict_cell(verdicts, "index-inline") if size == sizes[-1] else "-",
            ]
        )
    base = f"/ {sizes[0]:,} (with the index)"
    return [
        f"**Partner index**: the inline directives site of {report.settings['pages']} pages"
        " (activities only), with and without a page holding a `partner-index`"
        f" ({runs_text(len(smallest))})",
        "",
        *table(
            [
                "Activities",
                "With the index",
                "Without",
                "The index adds",
                "With / without",
                f"Time {base}",
                f"CPU time {base}",
                "Target",
            ],
            rows,
        ),
    ]


def judge(report: Report) -> None:
    """PASS or MISS for every target that this run measured."""
    verdicts = report.verdicts
    if report.full.get("plain"):
        for variant in ("inline", "data"):
            if variant in report.full:
                ratio = paired_ratio(report.full[variant], report.full["plain"])
                verdicts.append(Verdict(f"full-{variant}", ratio, TARGETS[variant]))
    if report.incremental:
        for variant in ("inline", "data"):
            ratio = paired_ratio(report.incremental[variant], report.incremental["plain"])
            verdicts.append(Verdict(f"incremental-{variant}", ratio, TARGETS["incremental"]))
    if report.scaling:
        for variant in [v for v in ("inline", "data") if v in report.scaling]:
            by_factor = report.scaling[variant]
            top = max(by_factor)
            ratio = paired_ratio(by_factor[top], by_factor[1])
            verdicts.append(Verdict(f"scaling-{variant}", ratio, TARGETS["scaling"] * top / 4))
    if report.big:
        for variant in ("inline", "data"):
            ratio = paired_ratio(report.big[variant], report.big["plain"])
            verdicts.append(Verdict(f"big-{variant}", ratio, TARGETS["big"]))
    if report.index:
        with_index = report.index["with"]
        low, high = min(with_index), max(with_index)
        ratio = paired_ratio(with_index[high], with_index[low])
        verdicts.append(Verdict("index-inline", ratio, TARGETS["index"] * high / low / 8))
    if report.many:
        inline, plain = report.many["inline"], report.many["plain"]
        verdicts.append(Verdict("many-inline", paired_ratio(inline, plain), TARGETS["many"]))
        ratio = paired_ratio(inline, plain, of="peak_rss")
        verdicts.append(Verdict("many-memory-inline", ratio, TARGETS["many-memory"]))


def verdict_text(name: str, limit: float, settings: dict[str, Any]) -> str:
    phase, _, variant = name.rpartition("-")
    label = LABELS[variant]
    if phase == "full":
        return f"Full build, {label}: at most {limit:.2f}x plain MyST"
    if phase == "incremental":
        return (
            f"Incremental rebuild after a one-entry edit, {label}:"
            f" at most {limit:.2f}x plain MyST's"
        )
    if phase == "scaling":
        top = max(settings["scales"])
        return f"{top}x the entries, {label}: at most {limit:.2f}x the time"
    if phase == "index":
        sizes = settings["index_sizes"]
        return (
            f"Partner index over {max(sizes):,} activities, {label}:"
            f" at most {limit:.2f}x the time at {min(sizes):,}"
        )
    if phase.startswith("many"):
        what = "peak memory" if phase == "many-memory" else "time"
        return (
            f"{settings['many_pages']:,} pages of {settings['many_activities']} activities,"
            f" {label}: at most {limit:.2f}x plain MyST's {what}"
        )
    return (
        f"One page with a {settings['big_timeline']:,}-activity timeline, {label}:"
        f" at most {limit:.2f}x plain MyST"
    )


def machine_line(report: Report) -> str:
    m = report.machine
    return (
        f"Measured on {m['date']} on {m['cpu']} ({m['cores']} cores), {m['os']}, "
        f"Python {m['python']}, Sphinx {m['sphinx']}, docutils {m['docutils']}, "
        f"myst-parser {m['myst-parser']}, sphinx-design {m['sphinx-design']}, "
        f"sphinx-partnerships {m['sphinx-partnerships']} (commit {m['commit']}); "
        f"load average {m['load_before']:.1f} before and {m['load_after']:.1f} after the run, "
        f"which took {report.seconds / 60:.1f} min."
        + (" The extension's source changed during the run." if m.get("changed_during_run") else "")
    )


def verdict_lines(report: Report) -> list[str]:
    return [
        f"- **{v.word}** {verdict_text(v.name, v.limit, report.settings)}:"
        f" measured {v.measured:.2f}x"
        for v in report.verdicts
    ]


def write_docs(report: Report, path: Path) -> None:
    lines = [
        "<!-- Written by benchmarks/run.py from measured figures; do not edit by hand. -->",
        "",
        machine_line(report),
        f"Reproduce with `{report.settings['command']}`.",
        "",
        *results_tables(report),
        "**Targets**",
        "",
        *verdict_lines(report),
        "",
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")


#: the fields of a Report that hold builds
MEASURED = ("full", "parallel", "parallel_serial", "incremental", "scaling", "big", "index", "many")


def as_json(value: Any) -> Any:
    """Builds, in lists and dicts of them, as JSON values."""
    if isinstance(value, Build):
        return asdict(value)
    if isinstance(value, list):
        return [as_json(item) for item in value]
    return {str(key): as_json(item) for key, item in value.items()}


def save_json(report: Report, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = directory / f"bench-{stamp}.json"
    data = {
        "settings": report.settings,
        "machine": report.machine,
        "seconds": report.seconds,
        **{name: as_json(getattr(report, name)) for name in MEASURED},
        "verdicts": [{**asdict(v), "passed": v.passed} for v in report.verdicts],
    }
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


# -- profiling ----------------------------------------------------------------


def profile(args: argparse.Namespace, work: Path) -> None:
    """cProfile one clean build of one variant and print its top entries."""
    import pstats

    variant, _, size = args.profile.partition("-")
    if size == "big":
        pages = [generate.make_big_timeline(args.big_timeline)]
        src = make_sites(work, "profile", pages, [variant], overview=False)[variant]
    else:
        pages = generate.make_pages(args.pages, args.activities, args.awards, args.cards)
        src = make_sites(work, "profile", pages, [variant])[variant]
    out = work / "profile" / f"{variant}-out"
    shutil.rmtree(out, ignore_errors=True)
    results = Path(args.results)
    results.mkdir(parents=True, exist_ok=True)
    prof = results / f"{args.profile}.prof"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            str(src),
            str(out),
        ],
        check=True,
    )
    stats = pstats.Stats(str(prof))
    stats.sort_stats("cumulative").print_stats(r"sphinx_partnerships", 30)
    stats.sort_stats("tottime").print_stats(25)
    log(f"profile saved to {prof} (open with `python -m pstats {prof}`)")


# -- main ---------------------------------------------------------------------


PHASES = ("full", "incremental", "scaling", "big", "index", "many")


def numbers(text: str) -> list[int]:
    """``"2,4"`` as ``[2, 4]``: sorted, without repeats."""
    return sorted({int(part) for part in text.split(",") if part.strip()})


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Build time of the directives against plain MyST (see benchmarks/README.md).",
    )
    size = parser.add_argument_group("site size")
    size.add_argument("--pages", type=int, default=DEFAULTS["pages"])
    size.add_argument("--activities", type=int, default=DEFAULTS["activities"], help="per page")
    size.add_argument("--awards", type=int, default=DEFAULTS["awards"], help="per page")
    size.add_argument("--cards", type=int, default=DEFAULTS["cards"], help="per page")
    size.add_argument(
        "--big-timeline",
        type=int,
        default=DEFAULTS["big_timeline"],
        metavar="N",
        help="activities on the one-page timeline",
    )
    size.add_argument(
        "--scales",
        type=numbers,
        default=DEFAULTS["scales"],
        help="entry multipliers of the scaling phase (default: 2,4)",
    )
    size.add_argument(
        "--index-sizes",
        type=numbers,
        default=DEFAULTS["index_sizes"],
        help="activities in all of the partner-index phase's sites, each a multiple of"
        " --pages (default: 2000,4000,8000,16000)",
    )
    size.add_argument(
        "--many-pages",
        type=int,
        default=DEFAULTS["many_pages"],
        help="pages of the many-pages phase (default: 2000)",
    )
    size.add_argument(
        "--many-activities",
        type=int,
        default=DEFAULTS["many_activities"],
        help="activities per page of the many-pages phase (default: 20)",
    )
    runs = parser.add_argument_group("runs")
    runs.add_argument(
        "--runs",
        type=int,
        default=5,
        help="rounds of full builds and incremental rebuilds (default: 5)",
    )
    runs.add_argument(
        "--parallel-runs",
        type=int,
        help="rounds that also build with -j JOBS (default: 3, at most --runs)",
    )
    runs.add_argument("--jobs", type=int, default=2, help="-j of the parallel builds")
    runs.add_argument(
        "--scale-runs", type=int, help="rounds of the scaling phase (default: 3, at most --runs)"
    )
    runs.add_argument(
        "--scale-pages",
        type=int,
        help="pages of the scaling phase's sites (default: half of --pages, so that its 4x"
        " site, twice the default site, keeps the full run short)",
    )
    runs.add_argument(
        "--scale-variants",
        default="inline,data",
        help="variants of the scaling phase (default: inline,data; the"
        " targets concern the directives, plain doubles the phase's time)",
    )
    runs.add_argument(
        "--big-runs", type=int, help="rounds of the big-timeline phase (default: 3, at most --runs)"
    )
    runs.add_argument(
        "--index-runs",
        type=int,
        help="rounds of the partner-index phase (default: 3, at most --runs)",
    )
    runs.add_argument(
        "--many-runs", type=int, help="rounds of the many-pages phase (default: 3, at most --runs)"
    )
    runs.add_argument(
        "--skip", action="append", choices=PHASES, default=[], help="leave out a phase (repeatable)"
    )
    output = parser.add_argument_group("output")
    output.add_argument("--work", default=str(HERE / "_work"), help="scratch folder")
    output.add_argument(
        "--results", default=str(HERE / "results"), help="folder for the JSON results and profiles"
    )
    output.add_argument(
        "--docs",
        choices=("auto", "yes", "no"),
        default="auto",
        help="write docs/_generated/performance.md: auto = only after a"
        " full default-size run of at least 5 rounds",
    )
    parser.add_argument(
        "--profile",
        metavar="VARIANT",
        choices=[*VARIANTS, *(f"{v}-big" for v in VARIANTS)],
        help="instead of benchmarking, cProfile one clean build of VARIANT"
        " (plain, inline, data; -big for the big timeline)",
    )
    args = parser.parse_args(argv)
    sizes = args.index_sizes
    if "index" not in args.skip and (len(sizes) < 2 or any(n % args.pages for n in sizes)):
        parser.error("--index-sizes: give at least two sizes, each a multiple of --pages")
    args.scale_variants = [v.strip() for v in args.scale_variants.split(",") if v.strip()]
    unknown = set(args.scale_variants) - set(VARIANTS)
    if unknown or not args.scale_variants:
        parser.error(f"--scale-variants: use some of {', '.join(VARIANTS)}")
    for name in ("parallel_runs", "scale_runs", "big_runs", "index_runs", "many_runs"):
        if getattr(args, name) is None:
            setattr(args, name, min(3, args.runs))
    args.parallel_runs = min(args.parallel_runs, args.runs)
    if args.scale_pages is None:
        args.scale_pages = max(1, (args.pages + 1) // 2)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(args.work)
    if args.profile:
        profile(args, work)
        return 0
    started = time.perf_counter()
    command = " ".join([REPRODUCE, *(["--", *sys.argv[1:]] if sys.argv[1:] else [])])
    report = Report(
        settings={
            "pages": args.pages,
            "activities": args.activities,
            "awards": args.awards,
            "cards": args.cards,
            "big_timeline": args.big_timeline,
            "scales": args.scales,
            "runs": args.runs,
            "parallel_runs": args.parallel_runs,
            "jobs": args.jobs,
            "scale_runs": args.scale_runs,
            "scale_variants": args.scale_variants,
            "scale_pages": args.scale_pages,
            "big_runs": args.big_runs,
            "index_sizes": args.index_sizes,
            "index_runs": args.index_runs,
            "many_pages": args.many_pages,
            "many_activities": args.many_activities,
            "many_runs": args.many_runs,
            "skip": args.skip,
            "command": command,
        },
        machine=machine_info(),
    )
    m = report.machine
    log(
        f"{m['cpu']}, {m['cores']} cores, Python {m['python']}, Sphinx {m['sphinx']},"
        f" load average {m['load_before']:.1f}"
    )
    pages = generate.make_pages(args.pages, args.activities, args.awards, args.cards)
    log("\n== Generating the sites and building each once (untimed)")
    sites = make_sites(work, "default", pages, VARIANTS)
    check_clean(sites, work, "default")

    phases: dict[str, Callable[[], None]] = {
        "full": lambda: phase_full(report, sites, work, args.runs, args.parallel_runs, args.jobs),
        "incremental": lambda: phase_incremental(report, pages, work, args.runs),
        "scaling": lambda: phase_scaling(report, args, work),
        "big": lambda: phase_big(report, args, work),
        "index": lambda: phase_index(report, args, work),
        "many": lambda: phase_many(report, args, work),
    }
    for name, phase in phases.items():
        if name not in args.skip:
            phase()

    report.seconds = time.perf_counter() - started
    report.machine["load_after"] = os.getloadavg()[0]
    if package_digest() != report.machine["package_digest"]:
        log("\nWARNING: the extension's source changed during the run; measure again.")
        report.machine["changed_during_run"] = True
    judge(report)
    log("\n== Results\n")
    log(machine_line(report) + "\n")
    log("\n".join(results_tables(report)))
    log("Targets:")
    log("\n".join(verdict_lines(report)))
    saved = save_json(report, Path(args.results))
    log(f"\nEvery measurement: {saved}")

    default_size = all(getattr(args, k) == v for k, v in DEFAULTS.items())
    complete = default_size and args.runs >= 5 and not args.skip
    if args.docs == "yes" or (args.docs == "auto" and complete):
        write_docs(report, DOCS_FRAGMENT)
        log(f"Figures written to {DOCS_FRAGMENT.relative_to(ROOT)}")
    else:
        log(
            f"{DOCS_FRAGMENT.relative_to(ROOT)} left as it is (not a full default-size run;"
            " --docs yes writes it anyway)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
