"""Where a build's CPU time goes, per phase and per transform, variant by variant.

A function profiler (cProfile) charges every Python call, which inflates code
made of many small calls (markdown-it, docutils node traversal) and hides where
the time really goes. This script instead wraps a few of Sphinx's phases and
every docutils transform with ``time.process_time()`` and counts garbage
collection, so that the figures add up to the build's own CPU time::

    python benchmarks/phases.py plain inline data
    python benchmarks/phases.py plain inline --big-timeline 10000

It also counts the nodes of one page's stored doctree, since Sphinx's
transforms and writers walk every node.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import pickle
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

#: (module, attribute path, label): the phases timed in the build process
PHASES = (
    ("sphinx.builders", "Builder.read", "read (parse, transforms, collect)"),
    ("myst_parser.parsers.sphinx_", "MystParser.parse", "  MyST parse, directives included"),
    ("sphinx.transforms", "SphinxTransformer.apply_transforms", "  transforms after parsing"),
    ("sphinx.builders", "Builder.write_doctree", "  pickle doctrees"),
    ("sphinx.builders", "Builder.write", "write (resolve, translate, pages)"),
    ("sphinx.environment", "BuildEnvironment.get_and_resolve_doctree", "  resolve references"),
    ("sphinx.builders.html", "StandaloneHTMLBuilder.write_doc", "  HTML translation"),
    ("sphinx.builders.html", "StandaloneHTMLBuilder.write_doc_serialized", "  search index"),
    ("sphinx.builders.html", "StandaloneHTMLBuilder.handle_page", "  page templates"),
)
PACKAGE_PHASES = (
    ("sphinx_partnerships.directives", "EntryDirective.run", "  entry directives (run)"),
    ("sphinx_partnerships.directives", "CollectionDirective.run", "  collection directives (run)"),
    ("sphinx_partnerships.domain", "PartnershipsDomain.process_doc", "  domain process_doc"),
)


# -- inside the build process -------------------------------------------------


def _child(argv: list[str], report: Path) -> int:
    times: dict[str, float] = defaultdict(float)
    active: set[str] = set()

    def wrap(module: str, path: str, label: str) -> None:
        try:
            owner: Any = importlib.import_module(module)
            *parents, name = path.split(".")
            for parent in parents:
                owner = getattr(owner, parent)
            original = getattr(owner, name)
        except (ImportError, AttributeError):
            return

        def timed(*args: Any, **kwargs: Any) -> Any:
            if label in active:  # recursion: count the outermost call only
                return original(*args, **kwargs)
            active.add(label)
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                times[label] += time.process_time() - start
                active.discard(label)

        setattr(owner, name, timed)

    for module, path, label in (*PHASES, *PACKAGE_PHASES):
        wrap(module, path, label)

    from docutils import transforms

    transform_times: dict[str, float] = defaultdict(float)

    def apply_transforms(self: Any) -> None:  # docutils' loop, with a clock per transform
        self.document.reporter.attach_observer(self.document.note_transform_message)
        while self.transforms:
            if not self.sorted:
                self.transforms.sort(reverse=True)
                self.sorted = True
            priority, transform_class, pending, kwargs = self.transforms.pop()
            transform = transform_class(self.document, startnode=pending)
            start = time.process_time()
            transform.apply(**kwargs)
            name = f"{transform_class.__module__}.{transform_class.__qualname__}"
            transform_times[name] += time.process_time() - start
            self.applied.append((priority, transform_class, pending, kwargs))
        self.document.reporter.detach_observer(self.document.note_transform_message)

    transforms.Transformer.apply_transforms = apply_transforms  # type: ignore[method-assign]

    collections = {"seconds": 0.0, "full": 0}
    started: list[float] = []

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started.append(time.process_time())
        elif started:
            collections["seconds"] += time.process_time() - started.pop()
            collections["full"] += info["generation"] == 2

    gc.callbacks.append(on_gc)
    from sphinx.cmd.build import main

    start = time.process_time()
    status = main(argv)
    total = time.process_time() - start
    report.write_text(
        json.dumps(
            {
                "total": total,
                "phases": times,
                "transforms": transform_times,
                "gc": collections,
            }
        )
    )
    return status


# -- the parent ---------------------------------------------------------------


def doctree_nodes(path: Path) -> tuple[int, float, Counter[str]]:
    """Nodes, mean depth and node types of a stored doctree."""
    document = pickle.loads(path.read_bytes())
    kinds: Counter[str] = Counter()
    depths: list[int] = []
    stack = [(document, 0)]
    while stack:
        node, depth = stack.pop()
        kinds[type(node).__name__] += 1
        depths.append(depth)
        stack.extend((child, depth + 1) for child in getattr(node, "children", ()))
    return len(depths), sum(depths) / len(depths), kinds


def measure(variant: str, src: Path, out: Path) -> dict[str, Any]:
    report = out.parent / f"{out.name}.json"
    if out.exists():
        import shutil

        shutil.rmtree(out)
    subprocess.run(
        [sys.executable, __file__, "--child", str(report), "-b", "html", "-q", str(src), str(out)],
        check=True,
    )
    result: dict[str, Any] = json.loads(report.read_text())
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("variants", nargs="+", choices=generate.VARIANTS)
    parser.add_argument("--pages", type=int, default=50)
    parser.add_argument("--activities", type=int, default=40)
    parser.add_argument("--awards", type=int, default=10)
    parser.add_argument("--cards", type=int, default=8)
    parser.add_argument("--big-timeline", type=int, metavar="N", help="one page, N activities")
    parser.add_argument("--top", type=int, default=12, help="transforms to list")
    parser.add_argument("--work", default=str(HERE / "_work" / "phases"))
    args = parser.parse_args(argv)

    if args.big_timeline:
        pages = [generate.make_big_timeline(args.big_timeline)]
        sample = "timeline"
    else:
        pages = generate.make_pages(args.pages, args.activities, args.awards, args.cards)
        sample = pages[0].docname
    work = Path(args.work)
    results: dict[str, dict[str, Any]] = {}
    shapes: dict[str, tuple[int, float, Counter[str]]] = {}
    for variant in args.variants:
        src = work / variant
        generate.write_site(variant, src, pages, overview=not args.big_timeline)
        out = work / f"{variant}-out"
        results[variant] = measure(variant, src, out)
        shapes[variant] = doctree_nodes(out / ".doctrees" / f"{sample}.doctree")

    def row(label: str, get: Callable[[dict[str, Any]], float]) -> str:
        return f"{label:<42}" + "".join(f"{get(results[v]):>12.2f}" for v in args.variants)

    print(f"\nCPU seconds{'':<31}" + "".join(f"{v:>12}" for v in args.variants))
    print(row("whole build", lambda r: r["total"]))
    for _, _, label in (*PHASES, *PACKAGE_PHASES):
        if any(label in r["phases"] for r in results.values()):
            print(row(label, lambda r, label=label: r["phases"].get(label, 0.0)))
    print(row("garbage collection (all phases)", lambda r: r["gc"]["seconds"]))

    totals: Counter[str] = Counter()
    for r in results.values():
        totals.update(r["transforms"])
    print(f"\nTransforms, slowest first (CPU seconds){'':<3}")
    for name, _ in totals.most_common(args.top):
        short = name.rsplit(".", 1)[-1]
        print(row(short[:42], lambda r, name=name: r["transforms"].get(name, 0.0)))

    print(f"\nStored doctree of {sample}")
    print(f"{'nodes':<42}" + "".join(f"{shapes[v][0]:>12}" for v in args.variants))
    print(f"{'mean depth':<42}" + "".join(f"{shapes[v][1]:>12.1f}" for v in args.variants))
    kinds: Counter[str] = Counter()
    for shape in shapes.values():
        kinds.update(shape[2])
    for kind, _ in kinds.most_common(8):
        print(f"{'  ' + kind:<42}" + "".join(f"{shapes[v][2][kind]:>12}" for v in args.variants))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        raise SystemExit(_child(sys.argv[3:], Path(sys.argv[2])))
    main()
