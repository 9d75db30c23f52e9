"""Walk a built site: every local link and image must land on a file and anchor."""

from __future__ import annotations

import posixpath
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_LINKING = {("a", "href"), ("img", "src"), ("link", "href"), ("script", "src")}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("id", "name") and (name == "id" or tag == "a"):
                self.ids.append(value)
            if (tag, name) in _LINKING:
                self.links.append(value)


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target_file(outdir: Path, page: Path, path: str) -> Path:
    target = Path(posixpath.normpath(posixpath.join(page.parent.as_posix(), unquote(path))))
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target


def broken_links(outdir: Path, suffix: str = ".html") -> list[str]:
    """``page -> link`` for every local link whose file or anchor is missing."""
    pages = {path: _parse(path) for path in sorted(outdir.rglob(f"*{suffix}"))}
    broken: list[str] = []
    for path, page in pages.items():
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith("//"):
                continue
            target = _target_file(outdir, path, parts.path) if parts.path else path
            where = f"{path.relative_to(outdir)} -> {link}"
            if not target.is_file():
                broken.append(f"{where} (no file)")
                continue
            if not parts.fragment:
                continue
            if target not in pages:
                pages[target] = _parse(target) if target.suffix == suffix else _Page()
            if unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{where} (no anchor)")
    return broken


def repeated_ids(outdir: Path, suffix: str = ".html") -> list[str]:
    """``page: id`` for every id that appears twice on one page."""
    repeated = []
    for path in sorted(outdir.rglob(f"*{suffix}")):
        counts = Counter(_parse(path).ids)
        repeated += [f"{path.relative_to(outdir)}: {id_}" for id_, n in counts.items() if n > 1]
    return repeated


def undefined_latex_references(tex: str) -> list[str]:
    """``\\hyperref[label]`` targets with no ``\\label{label}`` in the file."""
    labels = set(re.findall(r"\\label\{(\\detokenize\{[^}]*\}|[^}]*)\}", tex))
    references = re.findall(r"\\hyperref\[(\\detokenize\{[^}]*\}|[^\]]*)\]", tex)
    return sorted({reference for reference in references if reference not in labels})
