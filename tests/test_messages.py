"""Every warning the extension can give is in the reference, with its cause and fix."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import sphinx_partnerships
from sphinx_partnerships.diagnostics import MESSAGES

PACKAGE = Path(sphinx_partnerships.__file__).parent
REFERENCE = PACKAGE.parent / "docs" / "reference" / "warnings.md"


def shown(template: str) -> str:
    """A message as the reference shows it: values as an ellipsis."""
    return re.sub(r"\{\w+\}", "…", template)


def test_the_reference_lists_every_message_with_its_subtype() -> None:
    reference = REFERENCE.read_text(encoding="utf-8")
    sections = re.split(r"^### ", reference, flags=re.M)[1:]
    for key, message in MESSAGES.items():
        row = f"| `{shown(message.text)}` |"
        holding = [section for section in sections if row in section]
        assert holding, f"{key}: {shown(message.text)!r} is not in {REFERENCE.name}"
        (section,) = holding
        assert f"`partnerships.{message.subtype}`" in section.splitlines()[0], key


def named_keys() -> tuple[set[str], set[str]]:
    """The message keys the code names outside the table, and those it hands
    to ``warn`` or a problem (``DateError``, ``LinkError``, a file issue) as
    they are written."""
    strings: set[str] = set()
    handed: set[str] = set()
    # every module, in subpackages too; the table itself names every key
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "diagnostics.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                strings.add(node.value)
            if isinstance(node, ast.Call) and node.args:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                first = node.args[0]
                if name in ("warn", "DateError", "LinkError", "Issue", "_failed") and isinstance(
                    first, ast.Constant
                ):
                    handed.add(str(first.value))
    return strings, handed


def test_the_code_gives_only_listed_messages_and_every_listed_one() -> None:
    strings, handed = named_keys()
    assert handed, "no warning found in the code"
    assert handed - MESSAGES.keys() == set()
    # every listed message can be given: none is left from an older version
    assert MESSAGES.keys() - strings == set()
