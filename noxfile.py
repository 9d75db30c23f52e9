"""Development sessions: ``nox -s docs``, ``nox -s tests`` and friends."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["lint", "tests", "docs"]
nox.options.reuse_existing_virtualenvs = True

ROOT = Path(__file__).parent
DOCS = ROOT / "docs"
BUILD = DOCS / "_build"


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site as Read the Docs does: dirhtml, nitpicky, warnings fail."""
    session.install("-e", ".[docs]")
    out = BUILD / "dirhtml"
    session.run(
        "sphinx-build",
        "-n",
        "-W",
        "--keep-going",
        "-b",
        "dirhtml",
        "-d",
        str(BUILD / "doctrees"),
        str(DOCS),
        str(out),
        *session.posargs,
    )
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
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session(name="tests-sphinx")
@nox.parametrize("sphinx", ["8.2", "9"])
def tests_sphinx(session: nox.Session, sphinx: str) -> None:
    """Run the suite against each supported Sphinx major release."""
    session.install("-e", ".[test,docs]", f"sphinx~={sphinx}.0")
    session.run("pytest", "-m", "not browser", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (style and lint) and mypy (strict types)."""
    session.install("-e", ".[lint,docs]")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    session.run("mypy")
