"""Reading scenario files: TOML in, a validated `Scenario` out, or a message a person can act on.

A scenario is data, never code: TOML is parsed with the standard library and checked by the
pydantic schema. `extends = "name-or-path"` lets a variant name a base and change a few keys.
"""

from __future__ import annotations

import copy
import difflib
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scenarios.schema import Scenario

DEFAULT_SCENARIO = "kepahiang_pilkada2024"
MAX_EXTENDS_DEPTH = 8


class ScenarioError(ValueError):
    """A scenario could not be loaded; the message names the file, the field and what is allowed."""


def library_dir() -> Path:
    return Path(str(resources.files("scenarios") / "library"))


def library_names() -> list[str]:
    return sorted(p.stem for p in library_dir().glob("*.toml"))


def resolve(name_or_path: str | Path, relative_to: Path | None = None) -> Path:
    """Find a scenario file: a path as given, relative to the extending file, or a library name."""
    raw = str(name_or_path)
    candidates = [Path(raw)]
    if relative_to is not None:
        candidates.insert(0, relative_to.parent / raw)
    stem = raw[:-5] if raw.endswith(".toml") else raw
    candidates.append(library_dir() / f"{stem}.toml")
    for path in candidates:
        if path.is_file():
            return path
    hint = difflib.get_close_matches(stem, library_names(), n=1)
    extra = f" Did you mean {hint[0]!r}?" if hint else ""
    raise ScenarioError(
        f"scenario {raw!r} not found: not a file and not in the library "
        f"({', '.join(library_names())}).{extra}"
    )


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Tables merge key by key; any other value (lists included) replaces the base's."""
    out = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def read_toml(path: Path, _chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """Parse one file and everything it extends into a single plain dict."""
    path = path.resolve()
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(f"{path}: `extends` forms a cycle: {cycle}")
    if len(_chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(f"{path}: `extends` is nested deeper than {MAX_EXTENDS_DEPTH} files")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc}") from None
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: field `extends` must be a scenario name or path, got {parent!r}")
    try:
        base_path = resolve(parent, relative_to=path)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: field `extends`: {exc}") from None
    base = read_toml(base_path, (*_chain, path))
    return deep_merge(base, data)


def _allowed(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    bounds = []
    for key, sym in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        if key in ctx:
            bounds.append(f"{sym} {ctx[key]}")
    if bounds:
        return "allowed: a number " + " and ".join(bounds)
    if "expected" in ctx:
        return f"allowed: {ctx['expected']}"
    if err["type"] == "extra_forbidden":
        return "this key is not part of the scenario format"
    if err["type"] == "missing":
        return "this field is required"
    return err["msg"]


def _did_you_mean(loc: tuple[Any, ...], root: Any = Scenario) -> str:
    """Suggest the nearest valid key for a misspelt one."""
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


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line where `loc` (a pydantic error location) is written, or its nearest written parent."""
    lines = key_lines(text)
    for n in range(len(loc), 0, -1):
        if tuple(loc[:n]) in lines:
            return lines[tuple(loc[:n])]
    return None


def exact_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest key of `loc` written in `text` (list positions ignored)."""
    lines = key_lines(text)
    keyed = tuple(loc)
    while keyed and isinstance(keyed[-1], int):
        keyed = keyed[:-1]
    return lines.get(keyed) if keyed else None


def locate_in_chain(path: Path, loc: tuple[Any, ...], _depth: int = 0) -> str:
    """" (line N)" in `path`, or " (line N of base.toml)" when an extended file set the value."""
    try:
        text = path.read_text(encoding="utf-8")
        line = exact_line(text, loc)
        if line:
            return f" (line {line})" if _depth == 0 else f" (line {line} of {path.name})"
        parent = tomllib.loads(text).get("extends")
        if isinstance(parent, str) and _depth < MAX_EXTENDS_DEPTH:
            return locate_in_chain(resolve(parent, relative_to=path), loc, _depth + 1)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ScenarioError):
        pass
    return ""


def format_validation_error(
    source: str, exc: ValidationError, model: Any = Scenario, text: str | None = None, path: Path | None = None
) -> str:
    lines = [f"{source}: {exc.error_count()} problem(s):"]
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        field = ".".join(str(p) for p in loc) or "(top level)"
        value = err.get("input")
        shown = "" if err["type"] in ("missing",) or isinstance(value, dict) else f" got {value!r};"
        hint = _did_you_mean(loc, model) if err["type"] == "extra_forbidden" else ""
        where = ""
        if path is not None and loc:
            where = locate_in_chain(path, loc)
        elif text is not None and loc:
            line = line_of(text, loc)
            where = f" (line {line})" if line else ""
        lines.append(f"  - field `{field}`{where}:{shown} {_allowed(err)}{hint}")
    return "\n".join(lines)


def validate(data: Mapping[str, Any], source: str = "<scenario>", path: Path | None = None) -> Scenario:
    try:
        return Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc, path=path)) from None


def load_dict(name_or_path: str | Path = DEFAULT_SCENARIO) -> dict[str, Any]:
    return read_toml(resolve(name_or_path))


def load_scenario(
    name_or_path: str | Path | Mapping[str, Any] | Scenario = DEFAULT_SCENARIO,
    overrides: Mapping[str, Any] | None = None,
) -> Scenario:
    """Load a scenario by library name, path, plain dict or `Scenario`, then apply overrides.

    Overrides use dotted keys (``{"policy.presets": ["kades_early"]}``) or nested dicts, so
    `mesa.batch_run` and SALib can vary any parameter by name.
    """
    path: Path | None = None
    if isinstance(name_or_path, Scenario):
        # only what was set explicitly, so that policy presets are not overridden by defaults
        data, source = name_or_path.model_dump(exclude_unset=True), f"scenario {name_or_path.name!r}"
    elif isinstance(name_or_path, Mapping):
        data, source = dict(name_or_path), "<scenario dict>"
        if "extends" in data:
            parent = data.pop("extends")
            try:
                base_path = resolve(parent)
            except ScenarioError as exc:
                raise ScenarioError(f"{source}: field `extends`: {exc}") from None
            data = deep_merge(read_toml(base_path), data)
    else:
        path = resolve(name_or_path)
        data, source = read_toml(path), str(path)
    if overrides:
        data = deep_merge(data, expand_dotted(overrides))
    return validate(data, source, path=None if overrides else path)


def expand_dotted(flat: Mapping[str, Any]) -> dict[str, Any]:
    """{"a.b": 1} -> {"a": {"b": 1}}; nested dicts pass through."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        parts = str(key).split(".")
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        if isinstance(value, Mapping) and isinstance(node.get(parts[-1]), Mapping):
            node[parts[-1]] = deep_merge(node[parts[-1]], value)
        else:
            node[parts[-1]] = value
    return out
