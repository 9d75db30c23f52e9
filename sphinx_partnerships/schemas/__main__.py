"""``python -m sphinx_partnerships.schemas``: write the JSON Schemas again."""

from __future__ import annotations

from . import write

for path in write():
    print(f"wrote {path.name}")
