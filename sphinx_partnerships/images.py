"""Which files an image field may publish.

A local image of a card is copied into the built site, where anyone can
fetch it; the path comes from a page or from a data file of other hands. A
path is therefore published only when it names a file of an image type (by
its name and by its first bytes), not hidden, inside the source directory
once symbolic links are followed, and written without a pattern: only
``name.*`` at the end, which lets each builder pick a format, and which is
resolved here to the files it may take. Sphinx never sees a pattern: the image
node names one file, and its candidates are set to the accepted files once
Sphinx has collected the page's images (:func:`use_accepted_files`).

:func:`image_path_issue` tells what is wrong with a path by itself (the
checks of a field, which ``sphinx-partnerships check`` runs too);
:func:`choose_image` finds what a path names in the project.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .diagnostics import Issue, quoted, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: the image types a field may name, by extension, as Sphinx names them
IMAGE_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".svg": "image/svg+xml",
    # only builders that take PDF images (LaTeX) pick it; the others never
    # publish it (they warn that they find no image they can show)
    ".pdf": "application/pdf",
}
REMOTE_PREFIXES = ("https://", "http://")
#: ``name.*``: each builder picks the format it supports
FORMAT_CHOICE = ".*"
PATTERN_CHARACTERS = frozenset("*?[")
#: the first bytes read to tell a file's type; an SVG may open with a long prolog
HEAD_SIZE = 4096
_SVG_ROOT = re.compile(r"<(?:[\w.-]+:)?svg[\s/>]")
#: the image node's attribute that carries the accepted files to the handler
ACCEPTED = "sp_accepted_files"
#: the image node's attribute that keeps the path as written, for warnings
WRITTEN = "sp_written"


def is_remote(written: str) -> bool:
    return written.startswith(REMOTE_PREFIXES)


def has_scheme(written: str) -> bool:
    """Whether an image path names a scheme (``data:``, ``file:`` …)."""
    return ":" in written.split("/", 1)[0]


def image_path_issue(written: str) -> Issue | None:
    """What is wrong with an image path by itself, in any project: a scheme,
    a pattern, a hidden part, a name that is no image type."""
    if is_remote(written):
        return None
    value = quoted(written)
    if has_scheme(written):
        return Issue("image-scheme", {"value": value})
    fixed = written.removesuffix(FORMAT_CHOICE)
    if PATTERN_CHARACTERS.intersection(fixed):
        return Issue("image-pattern", {"value": value})
    for part in PurePosixPath(written).parts:
        if part.startswith(".") and part not in (".", ".."):
            return Issue("image-hidden", {"value": value, "part": quoted(part)})
    suffix = os.path.splitext(written.rsplit("/", 1)[-1])[1].lower()
    if fixed == written and suffix not in IMAGE_TYPES:
        return Issue("image-type", {"value": value})
    return None


@dataclass(frozen=True, slots=True)
class ImageChoice:
    """What an image path names: the address for the image node, the files
    it may publish, and the problems of the files it refused.

    ``files`` maps a media type to a file (relative to the source directory),
    or ``"*"`` to the one file a path without ``.*`` names (but a PDF); it is
    empty for a remote image, and for a path that publishes nothing (``uri``
    is then empty).
    """

    uri: str = ""
    files: dict[str, str] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    #: files refused for what they hold: the page is read again when they change
    watched: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        return bool(self.uri)


def choose_image(written: str, srcdir: str | os.PathLike[str], folder: str) -> ImageChoice:
    """The files an image path publishes: ``written`` is relative to
    ``folder`` (the page's folder, relative to the source directory), or to
    the source directory when it starts with ``/``.

    A path with a problem of its own (:func:`image_path_issue`) publishes
    nothing and adds no issue: the field's checks tell it.
    """
    if is_remote(written):
        return ImageChoice(written)
    if image_path_issue(written) is not None:
        return ImageChoice()
    root = Path(os.path.abspath(srcdir))
    base = root if written.startswith("/") else root / folder
    place = Path(os.path.normpath(base / written.lstrip("/")))
    value = quoted(written)
    if not place.is_relative_to(root):
        return ImageChoice(issues=(Issue("image-outside", {"value": value, "place": str(place)}),))
    if written.endswith(FORMAT_CHOICE):
        return _choose_format(written, place, root)
    issue = _refusal(value, place, root)
    if issue is not None:
        return ImageChoice(issues=(issue,), watched=_watched(issue, place, root))
    relative = place.relative_to(root).as_posix()
    media_type = IMAGE_TYPES[place.suffix.lower()]
    # "*": any builder takes the file, but a PDF only one that takes PDF images
    key = media_type if media_type == "application/pdf" else "*"
    return ImageChoice("/" + relative, {key: relative})


def image_node(choice: ImageChoice, written: str, **attributes: Any) -> nodes.image:
    """The image node of a usable choice: it names one file (or a remote
    address), and carries the accepted files to :func:`use_accepted_files`."""
    image = nodes.image(uri=choice.uri, **attributes)
    if choice.files:
        image[ACCEPTED] = dict(choice.files)
        image[WRITTEN] = written
    return image


def _choose_format(written: str, place: Path, root: Path) -> ImageChoice:
    """``name.*``: every file ``name.EXT`` of an image type, each checked;
    one file per media type, as Sphinx keeps."""
    value = quoted(written)
    stem = place.name.removesuffix(FORMAT_CHOICE)
    folder = place.parent
    issues: list[Issue] = []
    watched: list[str] = []
    files: dict[str, str] = {}
    said = {"value": value, "place": str(place)}
    resolved = _resolved(folder)
    if resolved is None or not resolved.is_dir():
        return ImageChoice(issues=(Issue("image-missing", said),))
    if not _inside(resolved, root) or _hidden(resolved, root):
        return ImageChoice(issues=(Issue("image-link", {**said, "target": str(resolved)}),))
    try:
        names = sorted(entry.name for entry in os.scandir(folder))
    except OSError:
        names = []
    for name in names:
        suffix = name[len(stem) :].lower()
        if not name.startswith(stem) or suffix not in IMAGE_TYPES:
            continue
        issue = _refusal(value, folder / name, root)
        if issue is not None:
            issues.append(issue)
            watched.extend(_watched(issue, folder / name, root))
        else:
            files.setdefault(IMAGE_TYPES[suffix], (folder / name).relative_to(root).as_posix())
    if not files:
        if not issues:
            issues.append(Issue("image-missing", said))
        return ImageChoice(issues=tuple(issues), watched=tuple(watched))
    first = next(iter(files.values()))
    return ImageChoice("/" + first, files, tuple(issues), tuple(watched))


def _watched(issue: Issue, place: Path, root: Path) -> tuple[str, ...]:
    """A file of the project refused for its content, which may be corrected."""
    return (place.relative_to(root).as_posix(),) if issue.key == "image-content" else ()


def _refusal(value: str, place: Path, root: Path) -> Issue | None:
    """Why the file at ``place`` (inside ``root`` as written) may not be
    published, or ``None``."""
    said: dict[str, Any] = {"value": value, "place": str(place)}
    hidden = next((part for part in place.relative_to(root).parts if part.startswith(".")), None)
    if hidden is not None:
        return Issue("image-hidden", {"value": value, "part": quoted(hidden)})
    try:
        status = place.stat()
    except (OSError, ValueError):
        # missing, a name too long, or a NUL in it; a link to nowhere too
        return Issue("image-missing", said)
    resolved = _resolved(place)
    if resolved is None:
        return Issue("image-missing", said)
    if not _inside(resolved, root) or _hidden(resolved, root):
        # a symbolic link (or a folder that is one) to a place never published
        return Issue("image-link", {**said, "target": str(resolved)})
    if not stat.S_ISREG(status.st_mode):
        return Issue("image-special", said)
    suffix = place.suffix.lower()
    try:
        with open(resolved, "rb") as file:
            head = file.read(HEAD_SIZE)
    except OSError:
        return Issue("image-missing", said)
    if not _is_of_type(head, suffix):
        return Issue("image-content", {**said, "format": suffix.lstrip(".").upper()})
    return None


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None


def _inside(path: Path, root: Path) -> bool:
    real_root = _resolved(root) or root
    return path.is_relative_to(real_root)


def _hidden(path: Path, root: Path) -> bool:
    real_root = _resolved(root) or root
    return any(part.startswith(".") for part in path.relative_to(real_root).parts)


def _is_of_type(head: bytes, suffix: str) -> bool:
    """Whether a file's first bytes are those of the type its name says."""
    if suffix == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if suffix in (".jpg", ".jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if suffix == ".gif":
        return head.startswith((b"GIF87a", b"GIF89a"))
    if suffix == ".webp":
        return head[:4] == b"RIFF" and head[8:12] == b"WEBP"
    if suffix == ".pdf":
        return head.startswith(b"%PDF-")
    if suffix == ".svg":
        if b"\0" in head:
            return False
        text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
        return text.startswith("<") and _SVG_ROOT.search(text) is not None
    return False


def use_accepted_files(app: Sphinx, doctree: nodes.document) -> None:
    """Once Sphinx has collected the page's images, an image of ours offers
    the builders exactly the files that were accepted."""
    env = app.env
    for image in doctree.findall(nodes.image):
        files = image.attributes.pop(ACCEPTED, None)
        if not files:
            continue
        image["candidates"] = dict(files)
        image["uri"] = next(iter(files.values()))
        image.attributes.pop("original_uri", None)
        for path in files.values():
            env.note_dependency(path)
            env.images.add_file(env.docname, path)


class ImagesTheBuilderShows(SphinxPostTransform):
    """An image none of whose formats the builder takes (a PDF for HTML, an
    SVG alone for LaTeX) is left out with a warning, rather than shown as a
    link to a file that is not published."""

    # after Sphinx's downloads and conversions, which may add a format
    default_priority = 250

    def run(self, **kwargs: Any) -> None:
        # Sphinx 9 deprecates a transform's ``app``; its environment knows it since 8
        builder = (getattr(self.env, "_app", None) or self.app).builder
        taken = builder.supported_image_types
        if not taken:
            return  # a builder that shows no image, or every image as text
        for image in list(self.document.findall(nodes.image)):
            candidates: dict[str, str] = image.get("candidates", {})
            if WRITTEN not in image or {"*", "?", *taken} & set(candidates):
                continue
            formats = ", ".join(sorted(candidates))
            warn(
                "image-format",
                image,
                value=quoted(image[WRITTEN]),
                builder=builder.name,
                formats=formats,
            )
            _remove(image)


def _remove(image: nodes.image) -> None:
    """The image, the link that held only it, and a card left empty; the
    image's anchor stays, on what holds it."""
    node: nodes.Element = image
    while isinstance(node.parent, nodes.Element) and len(node.parent.children) == 1:
        if isinstance(node, nodes.figure) or isinstance(node.parent, nodes.section):
            break
        node = node.parent
    holder = node.parent
    holder.remove(node)
    holder["ids"].extend(image["ids"])


def setup_images(app: Sphinx) -> None:
    # after Sphinx's image collector (500), before the domain keeps bodies (900)
    app.connect("doctree-read", use_accepted_files, priority=600)
    app.add_post_transform(ImagesTheBuilderShows)
