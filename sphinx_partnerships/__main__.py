"""``python -m sphinx_partnerships``: the ``sphinx-partnerships`` command."""

from .cli import main

raise SystemExit(main())
