"""Calibration files: TOML in, a validated spec out, or a message naming file, field and what is allowed.

A calibration file is data, never code. It names the scenario (as an experiment file does), the
free parameters with their priors, the targets to fit and those held out, the distance and the
budget. Everything else (the seeds of every run, the targets' data) is derived from it and from
experiments/calibration/targets.toml, so a colleague with the same file fits the same problem.
"""

from __future__ import annotations

import difflib
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator

from experiments.calibration.targets import MajorityTarget, load_targets
from experiments.spec import (
    RESERVED,
    SET_ONLY,
    ExperimentError,
    Strict,
    _check_policy,
    check_override_keys,
    read_spec_file,
)


class CalibrationError(ExperimentError):
    """A calibration file, or its output folder, could not be used; the message says why."""


class Prior(Strict):
    """A prior of one free parameter: what pyABC samples the first generation from.

    `uniform` and `loguniform` on [low, high]; `normal` with `mean` and `sd`, truncated to
    [low, high] (both required: the scenario's fields have bounds, and an unbounded normal would
    propose values the scenario refuses)."""

    prior: Literal["uniform", "loguniform", "normal"] = "uniform"
    low: float
    high: float
    mean: float | None = None
    sd: float | None = Field(default=None, gt=0.0)

    @model_validator(mode="after")
    def _consistent(self) -> Prior:
        if not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        if not math.isfinite(self.high - self.low):
            raise ValueError(f"the range from {self.low} to {self.high} is too wide")
        if self.prior == "loguniform" and self.low <= 0:
            raise ValueError(f"a loguniform prior needs low > 0 (got {self.low})")
        if self.prior == "normal":
            if self.mean is None or self.sd is None:
                raise ValueError("a normal prior needs `mean` and `sd` (and is truncated to [low, high])")
            if not self.low <= self.mean <= self.high:
                raise ValueError(f"mean ({self.mean}) must lie in [low, high] = [{self.low}, {self.high}]")
        elif self.mean is not None or self.sd is not None:
            raise ValueError(f"`mean` and `sd` are for a normal prior; this one is {self.prior!r}")
        return self

    def midpoint(self) -> float:
        if self.prior == "normal":
            return float(self.mean)  # type: ignore[arg-type]
        if self.prior == "loguniform":
            return math.sqrt(self.low * self.high)
        return (self.low + self.high) / 2


def _prior_shorthand(value: Any) -> Any:
    """`[low, high]` is a uniform prior."""
    if isinstance(value, list) and len(value) == 2:
        return {"prior": "uniform", "low": value[0], "high": value[1]}
    return value


class Targets(Strict):
    fit: list[str] = Field(min_length=1)
    held_out: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> Targets:
        known = load_targets()
        names = [*self.fit, *self.held_out]
        if len(set(names)) != len(names):
            raise ValueError("a target is listed twice (in `fit` and `held_out`, or twice in one list)")
        for name in names:
            _check_target(name, known)
        for name in self.fit:
            if isinstance(known[name], MajorityTarget):
                raise ValueError(f"target {name!r} is a qualitative statement: it can only be held out, not fitted")
        for name, w in self.weights.items():
            if name not in self.fit:
                raise ValueError(f"weight given for {name!r}, which is not a fitted target ({', '.join(self.fit)})")
            if not (w > 0 and math.isfinite(w)):
                raise ValueError(f"weight of {name!r} must be a positive number (got {w})")
        return self


def _check_target(name: str, known: dict[str, Any]) -> None:
    if name not in known:
        hint = difflib.get_close_matches(name, list(known), n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        raise ValueError(f"unknown target {name!r} (known: {', '.join(known)}){extra}")


class Distance(Strict):
    kind: Literal["deviance"] = "deviance"
    pseudo_count: float = Field(default=0.5, gt=0.0, le=10.0)


class Budget(Strict):
    population_size: int = Field(ge=2, le=1_000_000)
    max_generations: int = Field(ge=1, le=1000)
    min_epsilon: float = Field(default=0.0, ge=0.0)
    max_walltime_minutes: float = Field(default=120.0, gt=0.0, le=60 * 24 * 60)
    max_simulations: int | None = Field(default=None, ge=1, description="particles simulated in all, each with seeds_per_particle runs")
    min_acceptance_rate: float = Field(default=0.0, ge=0.0, lt=1.0)
    processes: int = Field(default=2, ge=1, le=1024, description="local processes (multicore sampler); --scheduler uses Dask instead")
    proposal: Literal["silverman", "wide"] = Field(
        default="silverman",
        description="pyABC's Gaussian proposal around the last population: 'silverman' (pyABC's default: "
        "covariance shrunk by Silverman's rule) or 'wide' (the population's own weighted covariance), "
        "which keeps the importance weights even when many parameters stay near their prior (docs/CALIBRATION.md §1)",
    )


class Check(Strict):
    """The posterior predictive check and the held-out score, after the fit."""

    draws: int = Field(default=40, ge=2, le=100_000)
    baseline: bool = Field(default=True, description="also run the scenario's own (uncalibrated) parameters as a baseline")


class CalibrationSpec(Strict):
    """What to fit. Every model run's seed derives from `seed` (numpy SeedSequence)."""

    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    scenario: str = Field(min_length=1)
    policy: str = "none"
    days: int | None = Field(default=None, ge=1, le=3660)
    seed: int = Field(ge=0, le=2**63 - 1)
    seeds_per_particle: int = Field(default=2, ge=1, le=1000)
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Prior] = Field(min_length=1)
    targets: Targets
    distance: Distance = Field(default_factory=Distance)
    budget: Budget
    check: Check = Field(default_factory=Check)

    @field_validator("policy")
    @classmethod
    def _known_policy(cls, v: str) -> str:
        return _check_policy(v)

    @field_validator("parameters", mode="before")
    @classmethod
    def _shorthand(cls, v: Any) -> Any:
        return {k: _prior_shorthand(x) for k, x in v.items()} if isinstance(v, dict) else v

    @field_validator("parameters")
    @classmethod
    def _parameter_keys(cls, v: dict[str, Prior]) -> dict[str, Prior]:
        check_override_keys(dict.fromkeys(v, 0), "parameters", {**RESERVED, **SET_ONLY})
        return v

    @field_validator("set")
    @classmethod
    def _set_keys(cls, v: dict[str, Any]) -> dict[str, Any]:
        return check_override_keys(v, "set", {**RESERVED, **SET_ONLY})

    @model_validator(mode="after")
    def _apart(self) -> CalibrationSpec:
        both = set(self.parameters) & set(self.set)
        if both:
            raise ValueError(f"{sorted(both)} is both a free parameter and fixed in `set`; give one")
        return self


def load_calibration(path: str | Path) -> tuple[CalibrationSpec, Path]:
    """Parse and validate a calibration file; errors name file, line and field."""
    try:
        return read_spec_file(path, CalibrationSpec)  # type: ignore[return-value]
    except ExperimentError as exc:
        raise CalibrationError(str(exc)) from None


__all__ = ["Budget", "CalibrationError", "CalibrationSpec", "Check", "Distance", "Prior", "Targets", "load_calibration"]
