"""Issue 11, defect 7: state that is written and never read is dead weight that readers must
understand anyway. Every attribute an agent or the engine sets on `self` is read somewhere in the
product (the faces, experiments and benchmarks count; tests do not)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WRITERS = ("agents", "simulation")
READERS = ("agents", "simulation", "siaga", "experiments", "scenarios", "common", "benchmarks")


def _attributes(folders: tuple[str, ...]) -> tuple[dict[str, str], set[str]]:
    """(attribute set on `self` -> where, attribute names read anywhere)."""
    written: dict[str, str] = {}
    read: set[str] = set()
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if isinstance(node, ast.Attribute):
                    if isinstance(node.ctx, ast.Load):
                        read.add(node.attr)
                    elif folder in WRITERS and isinstance(node.value, ast.Name) and node.value.id == "self":
                        written.setdefault(node.attr, f"{path.relative_to(ROOT)}:{node.lineno}")
                elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("getattr", "hasattr"):
                    if len(node.args) > 1 and isinstance(node.args[1], ast.Constant):
                        read.add(str(node.args[1].value))
                elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                    read.add(node.value)  # names used as strings (reporters, getattr by name)
    return written, read


def test_no_attribute_is_written_and_never_read():
    written, read = _attributes(READERS)
    dead = {name: where for name, where in written.items() if name not in read and not name.startswith("__")}
    assert not dead, f"written, never read: {dead}"
