"""The extension loads and a minimal project builds cleanly."""

from __future__ import annotations

import pytest
from sphinx.testing.util import SphinxTestApp

import sphinx_partnerships

from .conftest import main_content


def test_setup_declares_version_and_parallel_safety() -> None:
    class Recorder:
        def __getattr__(self, name: str) -> object:
            return lambda *args, **kwargs: None

    metadata = sphinx_partnerships.setup(Recorder())  # type: ignore[arg-type]
    assert metadata["version"] == sphinx_partnerships.__version__
    assert metadata["parallel_read_safe"] is True
    assert metadata["parallel_write_safe"] is True


@pytest.mark.sphinx("html", testroot="basic")
def test_minimal_project_builds(app: SphinxTestApp) -> None:
    app.build()
    assert app.warning.getvalue() == ""
    content = main_content((app.outdir / "index.html").read_text())
    time = content.select_one("li.sp-activity time")
    assert time is not None
    assert time["datetime"] == "2022-06"
    assert time.get_text() == "June 2022"
