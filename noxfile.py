"""Development sessions: ``nox -s docs``, ``nox -s tests`` and friends."""

from __future__ import annotations

import re
import shutil
import tempfile
import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"
#: the default run: the tiers that need a browser, epubcheck or TeX have sessions of their own
FAST = "not browser and not themes and not epub and not pdf"


def build_site(session: nox.Session, builder: str, out: Path, *options: str) -> None:
    """Build the site as Read the Docs does: nitpicky, warnings fail."""
    doctrees = BUILD / ("doctrees" if builder == "dirhtml" else f"doctrees-{builder}")
    session.run(
        "sphinx-build", "-n", "-W", "--keep-going", "-b", builder,
        "-d", str(doctrees), str(DOCS), str(out), *options,
    )  # fmt: skip


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site as Read the Docs does: dirhtml, nitpicky, warnings fail."""
    session.install("-e", ".[docs]")
    out = BUILD / "dirhtml"
    build_site(session, "dirhtml", out, *session.posargs)
    session.log(f"The site is in {out}; open {out / 'index.html'}")


@nox.session(name="docs-live")
def docs_live(session: nox.Session) -> None:
    """Serve the site and rebuild it on every change."""
    session.install("-e", ".[docs]", "sphinx-autobuild")
    session.run(
        "sphinx-autobuild",
        "-n",
        "-b",
        "dirhtml",
        "--watch",
        "sphinx_partnerships",
        str(DOCS),
        str(BUILD / "live"),
        *session.posargs,
    )


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (without the browser checks)."""
    session.install("-e", ".[test,docs]")
    session.run("pytest", "-m", FAST, *session.posargs)


@nox.session
def coverage(session: nox.Session) -> None:
    """The fast suite with branch coverage of the package, the sphinx-build and
    command-line subprocesses included: lists the missed lines and branches, writes
    htmlcov/, and fails below ``fail_under`` of pyproject.toml's
    ``[tool.coverage.report]``. Tracing makes the run slower than ``tests``."""
    session.install("-e", ".[test,docs]")
    session.run(
        "pytest", "-m", FAST, "--cov", "--cov-report=term-missing", "--cov-report=html",
        *session.posargs,
    )  # fmt: skip
    session.log("The report is in htmlcov/index.html")


#: ``nox -s tests-matrix``: each line a Python, then pip specifiers for Sphinx,
#: docutils and myst-parser (empty: the newest that the others allow). Not the
#: full product: the oldest Python with the oldest of everything (myst-parser 4
#: goes with Sphinx 8 only), Sphinx 8.2 with the newest docutils and myst-parser
#: it takes, Sphinx 9 with the oldest docutils, and the newest Python with the
#: oldest and the newest Sphinx.
MATRIX = [
    ("3.11", "==8.0.*", "==0.20.*", "==4.0.*"),
    ("3.11", "==8.2.*", "", ""),
    ("3.12", "==9.*", "==0.20.*", ""),
    ("3.13", "==8.0.*", "", ""),
    ("3.13", "==9.*", "", ""),
]


def matrix_id(python: str, sphinx: str, docutils: str, myst: str) -> str:
    def part(name: str, spec: str) -> str:
        return f"{name}{spec.lstrip('=').removesuffix('.*')}" if spec else f"{name}-newest"

    return "-".join(
        [f"py{python}", part("sphinx", sphinx), part("docutils", docutils), part("myst", myst)]
    )


@nox.session(name="tests-matrix")
@nox.parametrize(
    ("python", "sphinx", "docutils", "myst"),
    [nox.param(*row, id=matrix_id(*row)) for row in MATRIX],
)
def tests_matrix(session: nox.Session, sphinx: str, docutils: str, myst: str) -> None:
    """The fast suite on each supported Python and Sphinx, docutils and myst-parser
    at their oldest and newest (``MATRIX`` above lists the combinations)."""
    pins = {"sphinx": sphinx, "docutils": docutils, "myst-parser": myst}
    constraints = Path(session.create_tmp()) / "constraints.txt"
    constraints.write_text("".join(f"{name}{spec}\n" for name, spec in pins.items() if spec))
    session.install("--constraint", str(constraints), "-e", ".[test,docs]")
    session.run("python", "-c", VERSIONS)
    # the system's temporary folder: under the long session folder, multiprocessing's
    # socket path (used by sphinx-sitemap) would pass the 108 characters AF_UNIX allows
    tmp = {"TMPDIR": tempfile.gettempdir()}
    session.run("pytest", "-m", FAST, "-p", "no:cacheprovider", *session.posargs, env=tmp)


#: prints the versions a session installed
VERSIONS = (
    "from importlib.metadata import version as v; "
    "print(', '.join(f'{n} {v(n)}' for n in ('sphinx', 'docutils', 'myst-parser')))"
)


def declared_minimums() -> list[str]:
    """``name==X`` for every ``name>=X`` of the package's dependencies and of the
    extras the suite installs (docs, test)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = project["dependencies"]
    for extra in ("docs", "test"):
        wanted += project["optional-dependencies"][extra]
    pins = []
    for requirement in wanted:
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([^,;]+)(,.*)?", requirement)
        if match:
            pins.append(f"{match[1]}=={match[2]}")
    return sorted(set(pins))


@nox.session(python="3.11")
def minimums(session: nox.Session) -> None:
    """The fast suite on the oldest Python with the declared minimum of every
    dependency (sphinx, docutils, PyYAML, Babel, myst-parser, sphinx-design, the
    docs' theme and extensions, the test tools): each ``>=X`` installed as ``==X``."""
    constraints = Path(session.create_tmp()) / "minimums.txt"
    constraints.write_text("".join(f"{pin}\n" for pin in declared_minimums()))
    session.log("Constraints: " + ", ".join(declared_minimums()))
    session.install("--constraint", str(constraints), "-e", ".[test,docs]")
    session.run("python", "-m", "pip", "freeze", "--exclude-editable", silent=False)
    session.run("pytest", "-m", FAST, "-p", "no:cacheprovider", *session.posargs)


@nox.session
def package(session: nox.Session) -> None:
    """Build the sdist and the wheel into dist/ and check them with ``twine check --strict``."""
    session.install("build", "twine")
    dist = ROOT / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    session.run("python", "-m", "build", "--outdir", str(dist), str(ROOT))
    session.run("twine", "check", "--strict", *sorted(str(path) for path in dist.iterdir()))


@nox.session
def hooks(session: nox.Session) -> None:
    """Every pre-commit hook of .pre-commit-config.yaml on every file.

    The ruff and mypy hooks run the versions installed here, from the lint extra.
    """
    session.install("-e", ".[lint,docs]", "pre-commit")
    session.run("pre-commit", "run", "--all-files", "--show-diff-on-failure", *session.posargs)


@nox.session
def browser(session: nox.Session) -> None:
    """Check the built site in headless Chromium (Playwright) and axe-core.

    Every page in light and dark mode at 1280 and 390 px wide: no axe-core
    violation, no horizontal overflow; keyboard order and focus on the
    International Partnerships page; card grid columns; the extension's CSS only
    where a component is and no JavaScript. Full-page screenshots land in
    docs/_build/screenshots/. Needs Chromium (Debian: ``apt-get install
    chromium``; elsewhere set ``CHROMIUM`` to its path). ``UPDATE_README_SCREENSHOT=1
    nox -s browser`` also refreshes docs/_static/screenshot.png, the README's image.
    """
    session.install("-e", ".[docs,browser,test]")
    out = BUILD / "dirhtml"
    # A fresh site: pages removed from docs/ must not linger in what is checked.
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(BUILD / "screenshots", ignore_errors=True)
    build_site(session, "dirhtml", out)
    session.run(
        "pytest",
        "-m",
        "browser and not themes",
        "tests/browser",
        *session.posargs,
        env={"SP_BROWSER_SITE": str(out), "SP_BROWSER_SCREENSHOTS": str(BUILD / "screenshots")},
    )
    session.notify("themes")


@nox.session
def themes(session: nox.Session) -> None:
    """Every component under pydata-sphinx-theme, sphinx-book-theme, furo,
    sphinx-rtd-theme and alabaster, in Chromium (tests/browser/test_themes.py).

    A session of its own: sphinx-book-theme pins its own pydata-sphinx-theme.
    ``nox -s browser`` runs it after the site's checks; screenshots land in
    docs/_build/screenshots/themes/.
    """
    session.install("-e", ".[browser,test,themes]")
    session.run(
        "pytest",
        "-m",
        "themes",
        "tests/browser",
        *session.posargs,
        env={"SP_BROWSER_SCREENSHOTS": str(BUILD / "screenshots")},
    )


@nox.session
def epub(session: nox.Session) -> None:
    """The site's EPUB and a test project's, checked by epubcheck (tests/test_epub.py).

    Fails on any error or warning of epubcheck or of the build. Debian: ``apt-get
    install epubcheck`` (it brings a Java runtime); the tests run its jar with
    ``java -jar``, as ``/usr/bin/epubcheck`` needs binfmt_misc to run.
    """
    session.install("-e", ".[docs,test]")
    session.run("pytest", "-m", "epub", *session.posargs)


@nox.session
def pdf(session: nox.Session) -> None:
    """The site's PDF and a test project's, compiled by latexmk (tests/test_print.py).

    Fails on a LaTeX error, an undefined reference or a warning of the build;
    the site's PDF is left in docs/_build/latex/. Debian: ``apt-get install
    latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended
    tex-gyre poppler-utils``.
    """
    session.install("-e", ".[docs,test]")
    out = BUILD / "latex"
    # A fresh book: pages removed from docs/ must not linger in it.
    shutil.rmtree(out, ignore_errors=True)
    build_site(session, "latex", out)
    session.run("pytest", "-m", "pdf", *session.posargs, env={"SP_PDF_SITE": str(out)})
    session.log(f"The site's PDF is {out / 'sphinx-partnerships.pdf'}")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (style and lint) and mypy (strict types)."""
    session.install("-e", ".[lint,docs]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")


@nox.session
def translations(session: nox.Session) -> None:
    """Extract the extension's words, update every language and compile the catalogs.

    ``nox -s translations -- init LANG`` starts a new language first.
    """
    session.install("babel")
    locale = ROOT / "sphinx_partnerships" / "locale"
    template = locale / "sphinx_partnerships.pot"
    catalog = ["-d", str(locale), "-D", "sphinx_partnerships"]
    session.run(
        "pybabel", "-q", "extract", "--no-default-keywords", "-k", "_", "--sort-output",
        "--project", "sphinx-partnerships", "--copyright-holder", "sphinx-partnerships authors",
        "-o", str(template), "sphinx_partnerships",
    )  # fmt: skip
    if session.posargs[:1] == ["init"] and len(session.posargs) == 2:
        session.run("pybabel", "init", "-i", str(template), *catalog, "-l", session.posargs[1])
    session.run("pybabel", "update", "--no-fuzzy-matching", "-i", str(template), *catalog)
    session.run("pybabel", "compile", "--statistics", *catalog)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Generated directives and data files, many examples (tests/test_fuzz.py)."""
    session.install("-e", ".[test]")
    long = {"HYPOTHESIS_PROFILE": "long"}
    session.run("pytest", "tests/test_fuzz.py", *session.posargs, env=long)


@nox.session
def bench(session: nox.Session) -> None:
    """Build time of the directives against plain MyST (benchmarks/README.md).

    Takes about 45 minutes on 2 cores and writes docs/_generated/performance.md;
    ``nox -s bench -- --runs 1 --pages 5 --index-sizes 200,400 --many-pages 40
    --text-size 100000 --hostile-rows 400 --docs no`` is a quick check of a few minutes that
    leaves the docs alone,
    ``nox -s bench -- --help`` lists the options.
    """
    session.install("-e", ".[docs]")
    session.run("python", "benchmarks/run.py", *session.posargs)
