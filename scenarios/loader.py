"""Loading a scenario: a name or a file (with its `extends` chain) and any overrides in, a
validated `Scenario` out, or a `ScenarioError` a person can act on.

A scenario is data, never code. What a scenario file may read, and how its text is parsed, is
scenarios/files.py; how a refused value is named (file, line, field, value, what is allowed) is
scenarios/messages.py; merging is scenarios/merge.py. This module puts them together and
re-exports their public names, so `from scenarios.loader import ...` keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from scenarios import DEFAULT_SCENARIO
from scenarios.budget import check_memory as check_scenario_memory
from scenarios.errors import ScenarioError
from scenarios.files import (
    BOM,
    MAX_EXTENDS_DEPTH,
    MAX_FILE_BYTES,
    MAX_NESTING,
    SHOWN_CHARS,
    bracket_depth,
    check_nesting,
    check_regular,
    is_inside,
    library_dir,
    library_names,
    library_real,
    parse_toml,
    printable,
    read_text_checked,
    real_path,
    resolve,
    scenario_roots,
    shorten,
    user_folder,
)
from scenarios.merge import deep_merge
from scenarios.messages import (
    BOOL_AS_NUMBER,
    INTEGER_ERRORS,
    SetBy,
    exact_line,
    format_problems,
    format_validation_error,
    key_lines,
    line_of,
    locate_in_chain,
    number_problems,
    shown_value,
)
from scenarios.place_expand import expand_place
from scenarios.schema import Scenario

__all__ = [  # the loader's own names, and those of scenarios/files.py and scenarios/messages.py it re-exports
    "BOM", "BOOL_AS_NUMBER", "DEFAULT_SCENARIO", "INTEGER_ERRORS", "MAX_EXTENDS_DEPTH", "MAX_FILE_BYTES",
    "MAX_NESTING", "SHOWN_CHARS", "ScenarioError", "SetBy", "bracket_depth", "check_nesting", "check_regular",
    "deep_merge", "exact_line", "expand_dotted", "format_problems", "format_validation_error", "key_lines", "keyword_override", "KEYWORDS",
    "library_dir", "library_names", "line_of", "load_dict", "load_scenario", "locate_in_chain",
    "number_problems", "parse_toml", "read_text_checked", "read_toml", "resolve", "scenario_roots",
    "user_folder", "validate",
]


def read_toml(path: Path, _chain: tuple[Path, ...] = (), roots: tuple[Path, ...] | None = None) -> dict[str, Any]:
    """Parse one file and everything it extends into a single plain dict.

    `roots`: the folders `extends` targets must lie in (default: `scenario_roots(path)`, for a file
    the user gave); an experiment passes its own file's, so the whole chain stays in them.
    """
    path = real_path(Path(path)) or Path(path).absolute()
    if roots is None or is_inside(path, library_real()):
        roots = scenario_roots(path)  # a library file extends only library files
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(f"{_chain[-1]}: field `extends` forms a cycle: {cycle}")
    if len(_chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            f"{_chain[-1]}: field `extends` chains more than {MAX_EXTENDS_DEPTH} files "
            f"({' -> '.join(p.name for p in _chain[:3])} -> ...); allowed: at most {MAX_EXTENDS_DEPTH}"
        )
    data = parse_toml(read_text_checked(path), path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: field `extends` must be a scenario name or path, got {shorten(repr(parent))}")
    try:
        base_path = resolve(parent, relative_to=path, roots=roots)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: field `extends`: {exc}") from None
    base = read_toml(base_path, (*_chain, path), roots)
    return deep_merge(base, data)


def validate(data: Mapping[str, Any], source: str = "<scenario>", path: Path | None = None, set_by: SetBy = ()) -> Scenario:
    """A validated Scenario, or a ScenarioError naming `source` (or the override that `set_by`
    says set the refused value), the field and what is allowed."""
    data = _with_place(data, source)
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc, path=path, set_by=set_by)) from None
    except RecursionError:
        raise ScenarioError(f"{source}: values are nested too deeply") from None
    problems = number_problems(data, scenario)
    if problems:
        raise ScenarioError(format_problems(source, problems, path=path, set_by=set_by))
    return scenario


def _with_place(data: Mapping[str, Any], source: str) -> Mapping[str, Any]:
    """A `region.place` in place of the kecamatan it stands for (scenarios/place.py): those, their
    villages and the Polres seat replace any the scenario or what it extends had."""
    region = data.get("region")
    place = region.get("place") if isinstance(region, Mapping) else None
    if not place:
        return data
    if not isinstance(place, list) or not all(isinstance(c, str) for c in place):
        raise ScenarioError(f"{source}: field `region.place` must be a list of Kepmendagri codes (\"ID\": all of Indonesia), "
                            f"got {shown_value(place)}")
    try:
        expanded = expand_place(tuple(place))
    except ValueError as exc:  # an unknown code (geography.UnknownCode), a kab/kota without a population
        raise ScenarioError(f"{source}: field `region.place`: {exc.args[0] if exc.args else exc}") from None
    region = {k: v for k, v in region.items() if k != "synthetic"}
    return {**data, "region": {**region, **expanded}}


def load_dict(name_or_path: str | Path = DEFAULT_SCENARIO) -> dict[str, Any]:
    return read_toml(resolve(name_or_path))


def load_scenario(
    name_or_path: str | Path | Mapping[str, Any] | Scenario = DEFAULT_SCENARIO,
    overrides: Mapping[str, Any] | None = None,
    check_memory: bool = True,
    labels: Mapping[str, str] | None = None,
) -> Scenario:
    """Load a scenario by library name, path, plain dict or `Scenario`, then apply overrides.

    Overrides use dotted keys (``{"policy.presets": ["kades_early"]}``) or nested dicts, so
    `mesa.batch_run` and SALib can vary any parameter by name. A value an override set that is
    refused is blamed on the override: `labels` names each override key as the caller knows it
    (`{"seed": "--seed 5"}`); by default "override KEY=VALUE". A scenario too large for this
    machine's memory is refused (`scenarios.budget`) unless `check_memory` is False.
    """
    path: Path | None = None
    if isinstance(name_or_path, Scenario):
        # only what was set explicitly, so that policy presets are not overridden by defaults
        data, source = name_or_path.model_dump(exclude_unset=True), f"scenario {name_or_path.name!r}"
    elif isinstance(name_or_path, Mapping):
        data, source = dict(name_or_path), "<scenario dict>"
        if "extends" in data:
            parent = data.pop("extends")
            if not isinstance(parent, (str, Path)):
                raise ScenarioError(f"{source}: field `extends` must be a scenario name or path, got {shown_value(parent)}")
            try:
                base_path = resolve(parent)
            except ScenarioError as exc:
                raise ScenarioError(f"{source}: field `extends`: {exc}") from None
            data = deep_merge(read_toml(base_path), data)
    else:
        path = resolve(name_or_path)
        data, source = read_toml(path), str(path)
    set_by: list[tuple[tuple[str, ...], str]] = []
    if overrides:
        data = deep_merge(data, expand_dotted(overrides, source))
        for key, value in overrides.items():
            label = (labels or {}).get(key) or f"override {shorten(printable(str(key)))}={shown_value(value)}"
            set_by.append((tuple(str(key).split(".")), label))
    scenario = validate(data, source, path=path, set_by=set_by)
    if check_memory:
        check_scenario_memory(scenario, source)
    return scenario


KEYWORDS = {"policy": "policy.presets", "days": "days"}  # SiagaModel's keywords that are not `a__b` field names


def keyword_override(name: str, value: Any) -> tuple[str, Any]:
    """One keyword as `SiagaModel`, `run()` and `mesa.batch_run` pass it, as a dotted scenario
    override: `policy="joint"` -> ("policy.presets", ["joint"]), `days=30` -> ("days", 30),
    `dynamics__tension__decay=0.1` -> ("dynamics.tension.decay", 0.1). The one place these
    keywords are mapped (the CLI's `--set policy=NAME` too)."""
    key = KEYWORDS.get(name, name.replace("__", "."))
    if key == "policy.presets" and isinstance(value, str):
        value = [value]
    return key, value


def expand_dotted(flat: Mapping[str, Any], source: str = "<overrides>") -> dict[str, Any]:
    """{"a.b": 1} -> {"a": {"b": 1}}; nested dicts pass through."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        parts = str(key).split(".")
        node = out
        for i, part in enumerate(parts[:-1]):
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif isinstance(child, Mapping):
                child = node[part] = dict(child)  # a copy: the caller's dict is not changed
            else:
                prefix = ".".join(parts[: i + 1])
                raise ScenarioError(
                    f"{source}: field `{shorten(printable(str(key)))}`: `{shorten(printable(prefix))}` is already set to a single value, "
                    "so it cannot also have sub-keys; set one or the other"
                )
            node = child
        if isinstance(value, Mapping) and isinstance(node.get(parts[-1]), Mapping):
            node[parts[-1]] = deep_merge(node[parts[-1]], value)
        else:
            node[parts[-1]] = value
    return out
