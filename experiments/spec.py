"""Experiment and sensitivity files: TOML in, a validated spec out, or a message a person can act on.

An experiment file is data, never code. It names a base scenario, the policies to compare, the
factors to vary and how many replicates; everything else (seeds, the run table) is derived from it
so that a colleague with the same file gets the same table.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scenarios.loader import (
    ScenarioError,
    format_problems,
    format_validation_error,
    number_problems,
    parse_toml,
    read_text_checked,
)
from simulation.interventions import PRESETS
from simulation.metrics import OUTCOMES

NUMERIC_OUTCOMES = tuple(k for k in OUTCOMES if k != "first_incident_date")
MAX_POINTS = 100_000  # design points (grid combinations x Latin-hypercube samples); each is validated up front
MAX_RUNS = 1_000_000  # runs in one experiment: the run table alone is ~1 KB a run
DEFAULT_OUTCOMES = ["incidents", "incident_participants", "villages_with_violence", "peak_mobilised_share", "arrests", "intervention_cost"]


class ExperimentError(ScenarioError):
    """An experiment or sensitivity file could not be used; the message names file and field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)  # `nan`/`inf` are refused


def _check_policy(name: str) -> str:
    """A policy is a preset or presets joined with '+', e.g. "kades_early+counter_hoax"."""
    parts = name.split("+")
    for part in parts:
        if part not in PRESETS:
            hint = difflib.get_close_matches(part, list(PRESETS), n=1)
            extra = f"; did you mean {hint[0]!r}?" if hint else ""
            raise ValueError(f"unknown policy preset {part!r} (known: {', '.join(PRESETS)}){extra}")
    return name


def _check_outcome(name: str) -> str:
    if name not in NUMERIC_OUTCOMES:
        hint = difflib.get_close_matches(name, NUMERIC_OUTCOMES, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"unknown outcome {name!r} (known: {', '.join(NUMERIC_OUTCOMES)}){extra}")
    return name


class Range(Strict):
    """A continuous (or integer) parameter range for Latin hypercube or SALib sampling."""

    low: float
    high: float
    integer: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if not math.isfinite(self.high - self.low):
            raise ValueError(f"the range from {self.low} to {self.high} is too wide to sample")
        return self


SEED_REASON = (
    "each run's seed comes from `master_seed` and the replicate number, the same for every policy and design point "
    "(common random numbers, so that the policies are compared on the same chance events); change `master_seed` instead"
)
# keys a `[set]` table, a grid or Latin-hypercube factor or a sensitivity parameter may not hold: why, what instead
RESERVED = {
    "seed": SEED_REASON,
    "rng": SEED_REASON,
    "scenario": "the scenario is the file's top-level `scenario` key",
    "policy.presets": "the policies are the file's `policies` list (a sensitivity file's `policy`)",
}
SET_ONLY = {"days": "give the number of days as the file's top-level `days` key"}


def _dotted(table: Any, prefix: str = "") -> list[str]:
    """The dotted keys a table of overrides sets: {"policy": {"presets": [...]}} -> ["policy.presets"]."""
    if not isinstance(table, dict):
        return []
    out = []
    for key, value in table.items():
        name = f"{prefix}{key}"
        out.extend(_dotted(value, name + ".") if isinstance(value, dict) and value else [name])
    return out


def check_override_keys(table: Any, what: str, reserved: dict[str, str]) -> Any:
    """Refuse a key that would not be a plain scenario value for each run (module RESERVED)."""
    for key in _dotted(table):
        parts = key.split(".")
        for name, why in reserved.items():
            n = len(name.split("."))
            if ".".join(parts[:n]) == name or (key == "policy" and name == "policy.presets"):
                raise ValueError(f"`{key}` cannot be set in `{what}`: {why}")
    return table


def _range(value: Any) -> Any:
    """Accept `[low, high]` as shorthand for `{low = .., high = ..}`."""
    if isinstance(value, list) and len(value) == 2:
        return {"low": value[0], "high": value[1]}
    return value


class LatinHypercube(Strict):
    samples: int = Field(ge=1, le=100_000)
    ranges: dict[str, Range] = Field(min_length=1)

    @field_validator("ranges", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        return {k: _range(x) for k, x in v.items()} if isinstance(v, dict) else v


class ExperimentSpec(Strict):
    """What to run. Replicate k of every policy and design point uses the same seed (CRN)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    scenario: str = Field(min_length=1)
    policies: list[str] = Field(min_length=1, max_length=50)
    reference: str | None = None
    replicates: int = Field(ge=1, le=100_000)
    master_seed: int = Field(ge=0, le=2**63 - 1)
    outcomes: list[str] = Field(default_factory=lambda: list(DEFAULT_OUTCOMES), min_length=1)
    days: int | None = Field(default=None, ge=1, le=3660)
    set: dict[str, Any] = Field(default_factory=dict)
    grid: dict[str, list[Any]] = Field(default_factory=dict)
    lhs: LatinHypercube | None = None
    timeseries: bool = True
    events: bool = True
    # a `siaga calibrate` output folder (relative to this file): replicate k of every policy runs
    # with parameter set k drawn from its posterior by weight (experiments/calibration/posterior.py)
    posterior: str | None = Field(default=None, min_length=1)

    @field_validator("policies")
    @classmethod
    def _known_policies(cls, v: list[str]) -> list[str]:
        return [_check_policy(p) for p in v]

    @field_validator("outcomes")
    @classmethod
    def _known_outcomes(cls, v: list[str]) -> list[str]:
        return [_check_outcome(o) for o in v]

    @field_validator("grid")
    @classmethod
    def _grid_nonempty(cls, v: dict[str, list[Any]]) -> dict[str, list[Any]]:
        for key, values in v.items():
            if not values:
                raise ValueError(f"grid factor {key!r} has no values")
        return check_override_keys(v, "grid", RESERVED)

    @field_validator("set")
    @classmethod
    def _set_keys(cls, v: dict[str, Any]) -> dict[str, Any]:
        return check_override_keys(v, "set", {**RESERVED, **SET_ONLY})

    @model_validator(mode="after")
    def _consistent(self) -> ExperimentSpec:
        if len(set(self.policies)) != len(self.policies):
            raise ValueError("policies are listed twice")
        if self.reference is not None and self.reference not in self.policies:
            raise ValueError(f"reference {self.reference!r} is not one of the policies {self.policies}")
        if self.lhs and set(self.lhs.ranges) & set(self.grid):
            raise ValueError("a factor cannot be both on the grid and in the Latin hypercube")
        if self.lhs:
            check_override_keys(self.lhs.ranges, "lhs.ranges", RESERVED)
        if self.days is not None and "days" in self.factors:
            raise ValueError("`days` is both the top-level number of days and a factor; give one")
        points = math.prod(len(v) for v in self.grid.values()) * (self.lhs.samples if self.lhs else 1)
        if points > MAX_POINTS:
            raise ValueError(
                f"`grid` and `lhs.samples` make {points:,} design points; allowed: at most {MAX_POINTS:,} "
                "(fewer grid values or samples, or split the experiment)"
            )
        runs = points * len(self.policies) * self.replicates
        if runs > MAX_RUNS:
            raise ValueError(
                f"{points:,} design points x {len(self.policies)} `policies` x {self.replicates:,} `replicates` "
                f"= {runs:,} runs; allowed: at most {MAX_RUNS:,} (fewer replicates, policies or points)"
            )
        return self

    @property
    def reference_policy(self) -> str:
        return self.reference or self.policies[0]

    @property
    def factors(self) -> list[str]:
        return [*self.grid, *(self.lhs.ranges if self.lhs else ())]


class SensitivitySpec(Strict):
    """Global sensitivity with SALib: Morris screening or Sobol indices."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    scenario: str = Field(min_length=1)
    policy: str = "none"
    method: Literal["morris", "sobol"] = "morris"
    samples: int = Field(ge=2, le=100_000, description="Morris: trajectories; Sobol: base sample N (a power of 2)")
    levels: int = Field(default=4, ge=2, le=20)
    replicates: int = Field(default=1, ge=1, le=1000)
    master_seed: int = Field(ge=0, le=2**63 - 1)
    outcomes: list[str] = Field(default_factory=lambda: ["incidents"], min_length=1)
    days: int | None = Field(default=None, ge=1, le=3660)
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Range] = Field(min_length=2)

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, v: str) -> str:
        return _check_policy(v)

    @field_validator("outcomes")
    @classmethod
    def _known_outcomes(cls, v: list[str]) -> list[str]:
        return [_check_outcome(o) for o in v]

    @field_validator("parameters", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        return {k: _range(x) for k, x in v.items()} if isinstance(v, dict) else v

    @field_validator("parameters")
    @classmethod
    def _parameter_keys(cls, v: dict[str, Range]) -> dict[str, Range]:
        check_override_keys(dict.fromkeys(v, 0), "parameters", RESERVED)
        return v

    @field_validator("set")
    @classmethod
    def _set_keys(cls, v: dict[str, Any]) -> dict[str, Any]:
        return check_override_keys(v, "set", {**RESERVED, **SET_ONLY})

    @model_validator(mode="after")
    def _sobol_power_of_two(self) -> SensitivitySpec:
        if self.method == "sobol" and self.samples & (self.samples - 1):
            raise ValueError(f"Sobol needs samples to be a power of 2 (got {self.samples}; try {1 << self.samples.bit_length()})")
        if self.days is not None and "days" in self.parameters:
            raise ValueError("`days` is both the top-level number of days and a parameter; give one")
        return self


def read_spec_file(path: str | Path, kind: type[Strict]) -> tuple[Strict, Path]:
    """Parse and validate an experiment or sensitivity file; errors name file, line and field."""
    path = Path(path)
    try:  # a regular file of at most 4 MiB, nested at most 32 deep (scenarios.loader)
        text = read_text_checked(path)
        data = parse_toml(text, path)
    except ScenarioError as exc:
        raise ExperimentError(str(exc)) from None
    try:
        spec = kind.model_validate(data)
    except ValidationError as exc:
        raise ExperimentError(format_validation_error(str(path), exc, model=kind, text=text)) from None
    problems = number_problems(data, spec)  # `replicates = true` is not 1 replicate
    if problems:
        raise ExperimentError(format_problems(str(path), problems, model=kind, text=text))
    return spec, path


def load_experiment(path: str | Path) -> tuple[ExperimentSpec, Path]:
    return read_spec_file(path, ExperimentSpec)  # type: ignore[return-value]


def load_sensitivity(path: str | Path) -> tuple[SensitivitySpec, Path]:
    return read_spec_file(path, SensitivitySpec)  # type: ignore[return-value]


__all__ = [
    "DEFAULT_OUTCOMES",
    "ExperimentError",
    "ExperimentSpec",
    "LatinHypercube",
    "NUMERIC_OUTCOMES",
    "Range",
    "SensitivitySpec",
    "load_experiment",
    "load_sensitivity",
]
