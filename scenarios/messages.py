"""Messages a person can act on: a refused value's file, line, field, value and what is allowed.

The first line of every message names the file and, where there is one, the field (`x.toml: field
`population.threshold_mean` (line 12): got nan; allowed: a finite number`); a value an override set
is blamed on it (`--set KEY=VALUE: field ...`). `true` and `false` are refused where a number is
expected (pydantic alone would read `true` as 1): `number_problems`.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scenarios.errors import ScenarioError
from scenarios.files import (
    MAX_EXTENDS_DEPTH,
    parse_toml,
    printable,
    read_text_checked,
    resolve,
    scenario_roots,
    shorten,
)
from scenarios.schema import Scenario

INTEGER_ERRORS = ("int_from_float", "int_parsing", "int_type")


def _allowed(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    bounds = []
    for key, sym in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        if key in ctx:
            bounds.append(f"{sym} {ctx[key]}")
    if err["type"] == BOOL_AS_NUMBER:
        kind = "a whole number" if ctx.get("integer") else "a number"
        return f"allowed: {kind}{' ' if bounds else ''}{' and '.join(bounds)}, not true or false"
    if bounds:
        return "allowed: a number " + " and ".join(bounds)
    if "expected" in ctx:
        return f"allowed: {ctx['expected']}"
    if err["type"] == "finite_number":
        return "allowed: a finite number (not nan or inf)"
    if err["type"] in INTEGER_ERRORS:
        return "allowed: a whole number"
    if err["type"] == "extra_forbidden":
        return "this key is not part of the scenario format"
    if err["type"] == "missing":
        return "this field is required"
    return err["msg"]


# pydantic's own steps in an error's location ("function-after[_ordered(), StageSpec]"), which are
# not keys; a user's key may start with "function-" too, and is kept
_VALIDATOR_STEP = re.compile(r"function-(after|before|wrap|plain)\[")


def _did_you_mean(loc: tuple[Any, ...], root: Any = Scenario) -> str:
    """Suggest the nearest valid key for a misspelt one."""
    if not loc:
        return ""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return ""
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if hasattr(a, "model_fields")), None)
        if model is None:
            return ""
    names = list(getattr(model, "model_fields", {}))
    hint = difflib.get_close_matches(str(loc[-1]), names, n=1)
    return f"; did you mean `{hint[0]}`?" if hint else ""


def _key_parts(raw: str) -> tuple[str, ...]:
    """`a.b`, `"a.b"` and `a."b.c"` as TOML reads them: quoted parts stay whole."""
    parts, buf, quote = [], "", ""
    for ch in raw.strip():
        if quote:
            if ch == quote:
                quote = ""
            else:
                buf += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    return tuple(p for p in parts if p)


def key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Map each table and key of a TOML text to its line number, arrays of tables indexed.

    A light reader for error messages only (tomllib gives no positions): it follows headers and
    `key =` lines and ignores what is inside multi-line strings and arrays.
    """
    found: dict[tuple[Any, ...], int] = {}
    current: tuple[Any, ...] = ()
    aot: dict[tuple[Any, ...], int] = {}
    in_string = False

    def concrete(parts: tuple[str, ...]) -> tuple[Any, ...]:
        path: tuple[Any, ...] = ()
        for part in parts:
            path += (part,)
            if path in aot:
                path += (aot[path],)
        return path

    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if in_string:
            in_string = s.count('"""') % 2 == 0
            continue
        if not s or s.startswith("#"):
            continue
        if s.startswith("[["):
            parts = _key_parts(s[2 : s.index("]]")] if "]]" in s else s[2:])
            array = concrete(parts[:-1]) + parts[-1:]
            aot[array] = aot.get(array, -1) + 1
            current = array + (aot[array],)
            found.setdefault(current, lineno)
        elif s.startswith("[") and "]" in s:
            current = concrete(_key_parts(s[1 : s.index("]")]))
            found.setdefault(current, lineno)
        elif "=" in s and not s.startswith(("]", "}", '"""')):
            found.setdefault(current + _key_parts(s.split("=", 1)[0]), lineno)
            if s.count('"""') % 2 == 1:
                in_string = True
    return found


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> dict[tuple[Any, ...], int]:
    """`key_lines`, computed once for the several problems of one message (read only)."""
    return key_lines(text)


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line where `loc` (a pydantic error location) is written, or its nearest written parent."""
    lines = _lines(text)
    for n in range(len(loc), 0, -1):
        if tuple(loc[:n]) in lines:
            return lines[tuple(loc[:n])]
    return None


def exact_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest key of `loc` written in `text` (list positions ignored)."""
    lines = _lines(text)
    keyed = tuple(loc)
    while keyed and isinstance(keyed[-1], int):
        keyed = keyed[:-1]
    return lines.get(keyed) if keyed else None


def _written_here(data: Any, loc: tuple[Any, ...]) -> bool:
    """Whether the value at `loc` (or the list or value it lies in) comes from this file's own
    `data`: tables merge key by key across `extends`, so a key missing here came from a base;
    anything else (a list, a value) replaces the base's whole."""
    node = data
    for part in loc:
        if isinstance(node, Mapping):
            if part not in node:
                return False
            node = node[part]
        else:
            return True  # inside a list or a value this file wrote
    return True


def locate_in_chain(
    path: Path,
    loc: tuple[Any, ...],
    _depth: int = 0,
    roots: tuple[Path, ...] | None = None,
    _files: dict[Path, tuple[str, Any]] | None = None,
) -> str:
    """" (line N)" in `path`, or " (line N of base.toml)" when an extended file set the value.

    The file that set the value is the first in the chain whose own table holds it (an inline
    table or an array written there counts: the line is then that of the nearest key written).
    `_files` caches each file's text and parsed table across the problems of one message."""
    files = {} if _files is None else _files
    try:
        if roots is None:
            roots = scenario_roots(path)
        if path not in files:
            text = read_text_checked(path)
            files[path] = (text, parse_toml(text, path))
        text, data = files[path]
        line = exact_line(text, loc)
        if not line and _written_here(data, loc):
            line = line_of(text, loc)
        if line:
            return f" (line {line})" if _depth == 0 else f" (line {line} of {path.name})"
        parent = data.get("extends")
        if isinstance(parent, str) and _depth < MAX_EXTENDS_DEPTH:
            return locate_in_chain(resolve(parent, relative_to=path, roots=roots), loc, _depth + 1, roots, files)
    except ScenarioError:
        pass
    return ""


def _plain(value: Any) -> Any:
    """A NumPy scalar (what samplers hand over) as the Python number it holds."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        try:
            return value.item()
        except (TypeError, ValueError):  # pragma: no cover - an array, not a scalar
            return value
    return value


def shown_value(value: Any) -> str:
    """A refused value as the message shows it: its repr (true/false for booleans, as TOML writes
    them; a NumPy number as the plain number), cut short, on one line."""
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        text = repr(value)
    except RecursionError:  # pragma: no cover - nesting is capped when files are read
        text = f"<{type(value).__name__}>"
    return shorten(text)


SetBy = Iterable[tuple[tuple[str, ...], str]]  # (dotted key as parts, how a message names who set it)


def _set_by(loc: tuple[Any, ...], set_by: SetBy) -> str | None:
    """The label of the override that set the value at `loc` (the longest key that covers it)."""
    best: tuple[int, str] | None = None
    for key, label in set_by:
        n = min(len(key), len(loc))
        if loc and tuple(loc[:n]) == tuple(key[:n]) and (best is None or len(key) > best[0]):
            best = (len(key), label)
    return best[1] if best else None


def format_problems(
    source: str,
    errors: Iterable[Mapping[str, Any]],
    model: Any = Scenario,
    text: str | None = None,
    path: Path | None = None,
    set_by: SetBy = (),
) -> str:
    """One line naming the field when there is one problem; a count and one line per field otherwise.

    `errors` are pydantic's (`ValidationError.errors()`) or `number_problems`'. A value that an
    override set (`set_by`: `--set KEY=VALUE`, a keyword) is blamed on the override, not a file line;
    one such problem is the whole message, led by the override's label."""
    set_by = tuple(set_by)
    problems: list[tuple[str | None, str, str, str]] = []  # (override label, field, where, what is wrong)
    files: dict[Path, tuple[str, Any]] = {}
    for err in errors:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _VALIDATOR_STEP.match(p)))
        field = printable(".".join(str(p) for p in loc)) or "(top level)"
        value = err.get("input")
        shown = "" if err["type"] in ("missing",) or isinstance(value, dict) else f" got {shown_value(value)};"
        hint = _did_you_mean(loc, model) if err["type"] == "extra_forbidden" else ""
        label = _set_by(loc, set_by) if set_by else None
        where = ""
        if label is not None:
            where = f" (set by {label})"
        elif path is not None and loc:
            where = locate_in_chain(path, loc, _files=files)
        elif text is not None and loc:
            line = line_of(text, loc)
            where = f" (line {line})" if line else ""
        allowed = " ".join(_allowed(dict(err)).split())  # pydantic's own messages may span lines
        problems.append((label, f"field `{shorten(field)}`", where, f":{shown} {allowed}{hint}"))
    if len(problems) == 1:
        label, field, where, wrong = problems[0]
        return f"{label}: {field}{wrong}" if label is not None else f"{source}: {field}{where}{wrong}"
    return "\n".join([f"{source}: {len(problems)} problem(s):", *(f"  - {f}{w}{x}" for _, f, w, x in problems)])


def format_validation_error(
    source: str, exc: ValidationError, model: Any = Scenario, text: str | None = None, path: Path | None = None, set_by: SetBy = ()
) -> str:
    """`format_problems` for a pydantic ValidationError."""
    return format_problems(source, exc.errors(), model=model, text=text, path=path, set_by=set_by)


BOOL_AS_NUMBER = "bool_as_number"


def number_problems(data: Any, validated: Any) -> list[dict[str, Any]]:
    """Where `data` gave true or false and the validated model holds a number (pydantic reads
    `population = true` as 1 villager): one error per such value, in the shape pydantic's have.

    Walks the raw data and the validated model side by side; a part whose shape changed in
    validation (a shorthand expanded) is skipped."""
    found: list[dict[str, Any]] = []
    stack: list[tuple[Any, Any, tuple[Any, ...], Any]] = [(data, validated, (), None)]
    while stack:
        raw, value, loc, field = stack.pop()
        if isinstance(raw, bool):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ctx: dict[str, Any] = {"integer": isinstance(value, int)}
                for meta in getattr(field, "metadata", ()):
                    for key in ("ge", "gt", "le", "lt"):
                        if getattr(meta, key, None) is not None:
                            ctx[key] = getattr(meta, key)
                found.append({"type": BOOL_AS_NUMBER, "loc": loc, "input": raw, "msg": "a number, not true or false", "ctx": ctx})
            continue
        if isinstance(raw, Mapping):
            for key, child in raw.items():
                if isinstance(value, BaseModel):
                    info = type(value).model_fields.get(key) if isinstance(key, str) else None
                    if info is not None:
                        stack.append((child, getattr(value, key), (*loc, key), info))
                elif isinstance(value, Mapping) and key in value:
                    stack.append((child, value[key], (*loc, key), None))
        elif isinstance(raw, list) and isinstance(value, (list, tuple)) and len(raw) == len(value):
            stack.extend((r, v, (*loc, i), None) for i, (r, v) in enumerate(zip(raw, value)))
    return sorted(found, key=lambda e: [str(p) for p in e["loc"]])


