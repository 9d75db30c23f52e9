"""Every file the extension writes: planned once, checked for collisions, and
removed when no longer made.

Once every page is read (``env-updated``), before anything is written, the
archive pages, the feeds and ``partnerships.json`` name the files they would
write. A file that the writer's pages, ``html_additional_pages``,
``html_extra_path`` or ``html_static_path`` already give the output folder,
or that an output planned before it takes (archive pages first, then
``partnerships.json``, then the feeds in their order), is not written: one
``partnerships.output`` warning names both, and the writer's file is kept.
Paths are compared without regard to case, as on Windows and macOS.

After a build, the files the extension made are noted with a digest of
their content, per output folder, in a small file of the doctree folder. A
file it made before and no longer makes is removed, with the folders it
leaves empty, if its content is still what was written: a file the
extension did not write is never removed.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import cast

from sphinx.application import Sphinx
from sphinx.builders import Builder
from sphinx.builders.html import StandaloneHTMLBuilder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.matching import Matcher

from .diagnostics import Location, quoted, warn

logger = logging.getLogger("sphinx_partnerships")

#: the builders the extension writes files for (archive pages, feeds, export)
OUTPUT_BUILDERS = frozenset({"html", "dirhtml", "singlehtml"})
#: the kinds of output, in the order they take a file
KINDS = ("archive", "export", "feed")
#: in the doctree folder: what the extension wrote in each output folder
MANIFEST = "partnerships-outputs.json"
MANIFEST_VERSION = 1


@dataclass(frozen=True)
class Output:
    """A file the extension means to write."""

    #: "archive", "export" or "feed"
    kind: str
    #: what it stands for, unique in its kind: a page name, a feed's key
    key: str
    #: the file, relative to the output folder, with ``/`` between folders
    path: str
    #: what it is, in a message's words: "the archive page 'archives/tags/visit'"
    what: str
    #: the setting that places it, which the writer may change
    setting: str


@dataclass(frozen=True)
class WritersFile:
    """A file of the output folder that belongs to the writer."""

    what: str
    location: Location


@dataclass
class OutputPlan:
    """The files of one build: those the extension writes, and the writer's."""

    written: dict[str, Output] = field(default_factory=dict)
    refused: set[tuple[str, str]] = field(default_factory=set)
    writers: dict[str, WritersFile] = field(default_factory=dict)

    def writes(self, kind: str, key: str) -> bool:
        return (kind, key) not in self.refused


Planner = Callable[[Sphinx], list[Output]]
_PLANNERS: list[Planner] = []
_PLANS: weakref.WeakKeyDictionary[Builder, OutputPlan] = weakref.WeakKeyDictionary()


def register_outputs(planner: Planner) -> None:
    """``planner`` names the files of one kind of output, once every page is read."""
    if planner not in _PLANNERS:
        _PLANNERS.append(planner)


def relative_output(builder: Builder, docname: str) -> str:
    """The file a page is written to, relative to the output folder:
    ``news/visit.html``, or with ``dirhtml`` ``news/visit/index.html``."""
    outfile = Path(cast(StandaloneHTMLBuilder, builder).get_outfilename(docname))
    return outfile.relative_to(builder.outdir).as_posix()


def same_file(path: str) -> str:
    """What two paths that name one file share, on any file system."""
    return posixpath.normpath(path).casefold()


# -- planning --------------------------------------------------------------------------


def plan_outputs(app: Sphinx, env: BuildEnvironment) -> None:
    """Once every page is read: every file the extension will write, each
    checked against the writer's files and the outputs before it."""
    plan = OutputPlan()
    _PLANS[app.builder] = plan
    if app.builder.name not in OUTPUT_BUILDERS:
        return
    # also without outputs: a file that was ours and is now the writer's stays
    plan.writers = writers_files(app)
    wanted = [output for planner in _PLANNERS for output in planner(app)]
    for output in sorted(wanted, key=lambda output: KINDS.index(output.kind)):
        place = same_file(output.path)
        theirs = plan.writers.get(place)
        ours = plan.written.get(place)
        if theirs is not None:
            warn(
                "output-taken",
                theirs.location,
                ours=output.what,
                theirs=theirs.what,
                path=quoted(output.path),
                setting=output.setting,
            )
        elif ours is not None:
            warn(
                "output-shared",
                None,
                ours=output.what,
                first=ours.what,
                path=quoted(output.path),
                setting=output.setting,
            )
        else:
            plan.written[place] = output
            continue
        plan.refused.add((output.kind, output.key))


def output_plan(app: Sphinx) -> OutputPlan:
    """This build's plan (empty before pages are read, and for other builders)."""
    plan = _PLANS.get(app.builder)
    return plan if plan is not None else OutputPlan()


def writes(app: Sphinx, kind: str, key: str) -> bool:
    """Whether the output ``key`` of ``kind`` has its file to itself."""
    return output_plan(app).writes(kind, key)


def writers_files(app: Sphinx) -> dict[str, WritersFile]:
    """The files the builder writes or copies for the writer: pages,
    additional pages, extra and static files."""
    builder, config = app.builder, app.config
    files: dict[str, WritersFile] = {}

    def note(path: str, what: str, location: Location) -> None:
        files.setdefault(same_file(path), WritersFile(what, location))

    env = app.env
    # the pages with a source: the archive pages are among the found documents
    found = sorted(docname for docname in env.found_docs if Path(env.doc2path(docname)).is_file())
    pages = [config.root_doc] if builder.name == "singlehtml" else found
    for docname in pages:
        note(relative_output(builder, docname), f"the page {quoted(docname)}", (docname, None))
    for pagename in getattr(config, "html_additional_pages", {}):
        what = f"the page {quoted(pagename)} of html_additional_pages"
        note(relative_output(builder, pagename), what, None)
    confdir = Path(app.confdir)

    def named(source: Path, setting: str) -> str:
        shown = os.path.relpath(source, confdir).replace(os.sep, "/")
        return f"the file {quoted(shown)} of {setting}"

    extra = Matcher(config.exclude_patterns)
    for entry in getattr(config, "html_extra_path", ()):
        for path, source in _copied(confdir / entry, extra, rendered=False):
            note(path, named(source, "html_extra_path"), None)
    static = Matcher([*config.exclude_patterns, "**/.*"])
    for entry in getattr(config, "html_static_path", ()):
        for path, source in _copied(confdir / entry, static, rendered=True):
            note(f"_static/{path}", named(source, "html_static_path"), None)
    return files


def _copied(source: Path, excluded: Matcher, *, rendered: bool) -> Iterable[tuple[str, Path]]:
    """The files Sphinx copies from an extra or static path, as it walks them:
    their paths in the folder they are copied to, and where they come from."""
    if source.is_file():
        yield _rendered_name(source.name, rendered), source
        return
    for root, folders, names in os.walk(source, followlinks=True):
        here = Path(root)
        # Sphinx matches "./name" at the top: the same strings match the same files
        folder = os.path.relpath(here, source).replace(os.sep, "/")
        folders[:] = [name for name in folders if not excluded(posixpath.join(folder, name))]
        for name in sorted(names):
            if excluded(posixpath.join(folder, name)):
                continue
            path = posixpath.normpath(posixpath.join(folder, _rendered_name(name, rendered)))
            yield path, here / name


def _rendered_name(name: str, rendered: bool) -> str:
    """A static template (``style.css_t``, ``style.css.jinja``) is written
    without its template suffix."""
    if rendered and name.lower().endswith("_t"):
        return name[:-2]
    if rendered and name.lower().endswith(".jinja"):
        return name[: -len(".jinja")]
    return name


# -- after the build -------------------------------------------------------------------


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _manifest_file(app: Sphinx) -> Path:
    return Path(app.doctreedir) / MANIFEST


def read_manifest(app: Sphinx) -> dict[str, str]:
    """What the extension wrote in this output folder before: path -> digest."""
    try:
        data = json.loads(_manifest_file(app).read_text(encoding="utf-8"))
        written = data["folders"][str(Path(app.outdir).resolve())]
    except (OSError, ValueError, KeyError, TypeError):
        return {}
    if not isinstance(written, dict):
        return {}
    return {
        path: value
        for path, value in written.items()
        if isinstance(path, str) and isinstance(value, str)
    }


def _write_manifest(app: Sphinx, written: dict[str, str]) -> None:
    target = _manifest_file(app)
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
        folders = data["folders"] if data.get("version") == MANIFEST_VERSION else {}
        if not isinstance(folders, dict):
            folders = {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        folders = {}
    folders[str(Path(app.outdir).resolve())] = dict(sorted(written.items()))
    text = json.dumps({"version": MANIFEST_VERSION, "folders": folders}, indent=1) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    except OSError as error:
        warn("output-manifest", None, path=quoted(str(target)), problem=error.strerror or error)


def _inside(outdir: Path, path: str) -> Path | None:
    """The file a manifest's path names, if it is one inside the output folder."""
    parts = path.split("/")
    if not path or path.startswith("/") or "\\" in path or any(p in ("", ".", "..") for p in parts):
        return None
    target = outdir.joinpath(*parts)
    try:
        target.resolve().relative_to(outdir.resolve())
    except ValueError:
        return None
    return target


def remove_stale_outputs(app: Sphinx, exception: BaseException | None) -> None:
    """After a build: the files the extension made before and no longer
    makes are removed, if they hold what it wrote; the files it made are noted."""
    if exception is not None or app.builder.name not in OUTPUT_BUILDERS:
        return
    outdir = Path(app.outdir)
    plan = output_plan(app)
    made: dict[str, str] = {}
    for output in plan.written.values():
        target = _inside(outdir, output.path)
        if target is not None and target.is_file():
            made[output.path] = digest(target)
    removed = 0
    kept = {same_file(path) for path in made}
    for path, written in read_manifest(app).items():
        if same_file(path) in kept or same_file(path) in plan.writers:
            continue
        target = _inside(outdir, path)
        if target is None or target.is_symlink() or not target.is_file():
            continue
        if digest(target) != written:
            continue  # no longer what the extension wrote: someone else's now
        target.unlink()
        removed += 1
        _remove_empty_folders(target.parent, outdir)
    if removed:
        logger.info("partnerships: removed %d file(s) the build no longer makes", removed)
    _write_manifest(app, made)


def _remove_empty_folders(folder: Path, outdir: Path) -> None:
    """The folders a removed file leaves empty, up to the output folder."""
    root = outdir.resolve()
    while folder.resolve() != root and root in folder.resolve().parents:
        try:
            folder.rmdir()
        except OSError:
            return  # not empty
        folder = folder.parent


def setup_outputs(app: Sphinx) -> None:
    # before the archive pages are made (500): they ask which files they may take
    app.connect("env-updated", plan_outputs, priority=400)
    # after the feeds and the export are written (500)
    app.connect("build-finished", remove_stale_outputs, priority=900)
