"""The parameter tables of docs/ODD.md, generated from scenarios/schema.py (the one source).

Every scenario parameter is declared in `scenarios/schema.py` with its type, range, default, unit,
source and meaning (`schema.param`). This module walks the schema and renders markdown tables; in
docs/ODD.md each table sits between markers that say which parameters it shows:

    <!-- parameters: dynamics.tension population.initial_tension_mean -->
    | Parameter | Symbol | ... |          (generated: do not edit by hand)
    <!-- /parameters -->

A selector is a table (`dynamics.tension`, `candidates[]`: all its own parameters, not those of
its sub-tables) or one parameter (`population.initial_tension_mean`). The *Kepahiang* column is
the value in the default scenario file (`scenarios/library/kepahiang_pilkada2024.toml`), "—"
where the file leaves the key to the schema default.

    python -m scenarios.parameters --write docs/ODD.md   # rewrite the blocks in place
    python -m scenarios.parameters --check docs/ODD.md   # exit 1 if a block is out of date
    python -m scenarios.parameters dynamics.tension      # print one table

`problems(text)` is what `--check` and tests/test_parameter_docs.py report: blocks that differ
from the schema, unknown selectors, parameters without a meaning, unit or source, and parameters
that no block shows.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tomllib
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from scenarios.schema import Scenario

DEFAULT_FILE = Path(__file__).resolve().parent / "library" / "kepahiang_pilkada2024.toml"
HEADER = "| Parameter | Symbol | Default | Kepahiang | Range | Unit | Source | Meaning |"
RULE = "|---|---|---|---|---|---|---|---|"
BLOCK = re.compile(r"<!-- parameters:(?P<selectors>[^>]*?)-->\n(?P<body>.*?)<!-- /parameters -->", re.DOTALL)
REQUIRED_EXTRA = ("unit", "source")
_MISSING = object()


@dataclass(frozen=True)
class Parameter:
    """One scenario parameter: its dotted path (`calendar.stages[].contact`), the table it belongs
    to (`calendar.stages[]`) and its pydantic field."""

    path: str
    table: str
    field: FieldInfo

    @property
    def extra(self) -> dict[str, Any]:
        extra = self.field.json_schema_extra
        return dict(extra) if isinstance(extra, dict) else {}


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """The annotation without `| None`, and whether None was allowed."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        return (args[0] if len(args) == 1 else annotation), True
    return annotation, False


def _model(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def _walk(model: type[BaseModel], prefix: str) -> Iterator[Parameter]:
    for name, field in model.model_fields.items():
        path = f"{prefix}.{name}" if prefix else name
        ann, _ = _unwrap(field.annotation)
        sub = _model(ann)
        if sub is not None:  # a sub-table: its fields are the parameters
            yield from _walk(sub, path)
            continue
        yield Parameter(path, prefix, field)
        if typing.get_origin(ann) is list:
            (item,) = typing.get_args(ann)
            if _model(item) is not None:  # a list of tables: the list, then its items' fields
                yield from _walk(item, f"{path}[]")


@cache
def parameters() -> tuple[Parameter, ...]:
    """Every scenario parameter, in schema order."""
    return tuple(_walk(Scenario, ""))


def tables() -> dict[str, list[Parameter]]:
    """Table path (`""` for the top level) -> its own parameters."""
    out: dict[str, list[Parameter]] = {}
    for p in parameters():
        out.setdefault(p.table, []).append(p)
    return out


def select(selectors: str) -> list[Parameter]:
    """The parameters that a marker's selectors name, in the order named."""
    by_path = {p.path: p for p in parameters()}
    by_table = tables()
    out: list[Parameter] = []
    for sel in selectors.split():
        if sel in by_table and sel:
            out += by_table[sel]
        elif sel in by_path:
            out.append(by_path[sel])
        else:
            raise KeyError(f"unknown parameter or table {sel!r}")
    return out


# --------------------------------------------------------------------------- cells


def _num(x: float | int) -> str:
    if isinstance(x, float) and x.is_integer():
        x = int(x)
        if x == 1_000_000:
            return "10⁶"
    text = f"{x:,}" if isinstance(x, int) and abs(x) >= 10_000 else repr(x)
    return text.replace("-", "−")


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


def _value(v: Any) -> str:
    """A value as the tables show it (TOML spelling for booleans)."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "unset"
    if isinstance(v, float):
        return repr(v).replace("-", "−")
    if isinstance(v, int):
        return str(v).replace("-", "−")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, str):
        if not v:
            return '""'
        return "(text)" if len(v) > 40 or "\n" in v else v
    if isinstance(v, BaseModel):
        v = v.model_dump()
    if isinstance(v, list):
        if v and all(isinstance(i, dict) for i in v):
            if all({"name", "share"} <= set(i) for i in v):
                return ", ".join(f"{i['name']} {_value(i['share'])}" for i in v)
            return _entries(len(v))
        return ", ".join(_value(i) for i in v) if v else "none"
    return str(v)


def default_cell(p: Parameter) -> str:
    if "shown_default" in p.extra:
        return str(p.extra["shown_default"])
    if p.field.is_required():
        return "required"
    factory = p.field.default_factory
    value = factory() if factory is not None else p.field.default
    if isinstance(value, list):
        value = [i.model_dump() if isinstance(i, BaseModel) else i for i in value]
    return _value(value)


def range_cell(p: Parameter) -> str:
    if "shown_range" in p.extra:
        return str(p.extra["shown_range"])
    ann, _ = _unwrap(p.field.annotation)
    lo = hi = None
    lo_open = hi_open = False
    min_len = max_len = None
    for m in p.field.metadata:  # annotated_types constraints, read by attribute
        if getattr(m, "ge", None) is not None:
            lo = m.ge
        elif getattr(m, "gt", None) is not None:
            lo, lo_open = m.gt, True
        elif getattr(m, "le", None) is not None:
            hi = m.le
        elif getattr(m, "lt", None) is not None:
            hi, hi_open = m.lt, True
        elif getattr(m, "min_length", None) is not None:
            min_len = m.min_length
        elif getattr(m, "max_length", None) is not None:
            max_len = m.max_length
    if ann is bool:
        return "bool"
    if typing.get_origin(ann) is typing.Literal:
        return ", ".join(str(a) for a in typing.get_args(ann))
    if ann is dt.date:
        return "date"
    if ann is str:
        if min_len and max_len:
            return f"text, {min_len}–{max_len} characters"
        return "text" if not min_len else "text, not empty"
    if typing.get_origin(ann) is list:
        if min_len and max_len:
            return f"{min_len}–{max_len} entries"
        return f"at least {_entries(min_len)}" if min_len else "list"
    if lo is None and hi is None:
        return "any number"
    left = ("(" if lo_open else "[") + (_num(lo) if lo is not None else "−∞")
    right = (_num(hi) if hi is not None else "∞") + (")" if hi_open else "]")
    return f"{left}, {right}"


@cache
def _default_file() -> dict[str, Any]:
    with DEFAULT_FILE.open("rb") as f:
        return tomllib.load(f)


def _lookup(node: Any, parts: list[str]) -> list[Any]:
    """The values at a path in raw TOML data: one per list item on the way, `_MISSING` where unset."""
    if not parts:
        return [node]
    head, rest = parts[0], parts[1:]
    key = head.removesuffix("[]")
    if not isinstance(node, dict) or key not in node:
        return [_MISSING]
    child = node[key]
    if head.endswith("[]"):
        return [v for item in child for v in _lookup(item, rest)] if child else [_MISSING]
    return _lookup(child, rest)


def kepahiang_cell(p: Parameter) -> str:
    values = _lookup(_default_file(), p.path.split("."))
    if all(v is _MISSING for v in values):
        return "—"
    if len(values) == 1:
        return _value(values[0])
    shown = [default_cell(p) if v is _MISSING else _value(v) for v in values]
    if len(set(shown)) == 1:
        return shown[0]
    return " / ".join(shown) if len(shown) <= 3 else f"varies ({_entries(len(shown))})"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def row(p: Parameter) -> str:
    extra = p.extra
    cells = [
        f"`{p.path}`",
        extra.get("symbol", ""),
        default_cell(p),
        kepahiang_cell(p),
        range_cell(p),
        extra.get("unit", ""),
        extra.get("source", ""),
        p.field.description or "",
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def render(selectors: str) -> str:
    """The generated block body for a marker's selectors: the table between blank lines, so that
    markdown sees the markers and the table as separate blocks."""
    return "\n" + "\n".join([HEADER, RULE, *(row(p) for p in select(selectors))]) + "\n\n"


# --------------------------------------------------------------------------- documents


def rewrite(text: str) -> str:
    """`text` with every parameter block regenerated."""
    return BLOCK.sub(lambda m: f"<!-- parameters:{m['selectors']}-->\n{render(m['selectors'])}<!-- /parameters -->", text)


def undocumented() -> list[str]:
    """Parameters that lack a meaning, a unit or a source in the schema."""
    out = []
    for p in parameters():
        missing = [k for k in REQUIRED_EXTRA if not p.extra.get(k)]
        if not p.field.description:
            missing.insert(0, "description")
        if missing:
            out.append(f"{p.path}: no {', '.join(missing)} (declare it with scenarios.schema.param)")
    return out


def problems(text: str) -> list[str]:
    """Everything wrong with a document's parameter blocks, as lines a person can act on."""
    out = undocumented()
    shown: set[str] = set()
    blocks = list(BLOCK.finditer(text))
    if not blocks:
        out.append("no <!-- parameters: ... --> blocks found")
    for m in blocks:
        line = text.count("\n", 0, m.start()) + 1
        try:
            chosen = select(m["selectors"])
        except KeyError as e:
            out.append(f"line {line}: {e.args[0]}")
            continue
        shown.update(p.path for p in chosen)
        if m["body"] != render(m["selectors"]):
            out.append(f"line {line}: the table for `{m['selectors'].strip()}` differs from scenarios/schema.py")
    out += [f"{p.path}: in no parameter block" for p in parameters() if p.path not in shown]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scenarios.parameters",
        description="Generate the parameter tables of docs/ODD.md from scenarios/schema.py.",
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", metavar="FILE", type=Path, help="rewrite the parameter blocks of FILE in place")
    group.add_argument("--check", metavar="FILE", type=Path, help="exit 1 if FILE's parameter blocks are out of date")
    parser.add_argument("selectors", nargs="*", help="print the table for these tables or parameters")
    args = parser.parse_args(argv)
    if args.write or args.check:
        path: Path = args.write or args.check
        text = path.read_text(encoding="utf-8")
        if args.write:
            new = rewrite(text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                print(f"{path}: parameter tables rewritten")
            text = new
        found = problems(text)
        for line in found:
            print(f"{path}: {line}", file=sys.stderr)
        if found and args.check:
            print(f"run: python -m scenarios.parameters --write {path}", file=sys.stderr)
        return 1 if found else 0
    if args.selectors:
        sys.stdout.write(render(" ".join(args.selectors)))
    else:
        for table, params in tables().items():
            sys.stdout.write(f"\n{table or '(top level)'}\n\n{render(' '.join(p.path for p in params))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
