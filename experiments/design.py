"""From an experiment spec to the table of runs: design points x policies x replicates.

Common random numbers: the seed of a run depends only on the master seed and the replicate
number, never on the policy or the design point. Replicate k of "kades_early" and replicate k of
"late" therefore face the same villages, networks, hoaxes and provocations (the model draws every
policy-dependent choice from its own stream), and their difference is a paired comparison.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import qmc

from experiments.spec import ExperimentError, ExperimentSpec
from scenarios.budget import check_memory
from scenarios.loader import ScenarioError, deep_merge, expand_dotted, read_toml, resolve, scenario_roots, validate


def replicate_seed(master_seed: int, replicate: int) -> int:
    """The seed every policy and design point uses for replicate `replicate` (CRN)."""
    state = np.random.SeedSequence([master_seed, replicate]).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1  # 63 bits: fits int64 columns and JSON


@dataclass(frozen=True)
class Task:
    """One model run: everything a worker needs, picklable, no file access on the worker."""

    index: int
    run_id: str
    point: int
    policy: str
    replicate: int
    seed: int
    factors: dict[str, Any]
    overrides: dict[str, Any]
    scenario: dict[str, Any] = field(repr=False)
    days: int | None = None
    timeseries: bool = True
    events: bool = True

    def row(self) -> dict[str, Any]:
        """The run's identifying columns in the results table."""
        return {"run_id": self.run_id, "point": self.point, "policy": self.policy, "replicate": self.replicate, "seed": self.seed, **self.factors}


def design_points(spec: ExperimentSpec) -> list[dict[str, Any]]:
    """Grid factors crossed with Latin-hypercube samples; one empty point when nothing varies."""
    grid = [dict(zip(spec.grid, combo)) for combo in itertools.product(*spec.grid.values())] if spec.grid else [{}]
    if spec.lhs is None:
        return grid
    names = list(spec.lhs.ranges)
    sampler = qmc.LatinHypercube(d=len(names), rng=np.random.default_rng(np.random.SeedSequence([spec.master_seed, 0x1A7])))
    unit = sampler.random(spec.lhs.samples)
    samples = []
    for row in unit:
        point = {}
        for name, u in zip(names, row):
            r = spec.lhs.ranges[name]
            value = r.low + u * (r.high - r.low)
            point[name] = int(round(value)) if r.integer else float(value)
        samples.append(point)
    return [{**g, **s} for g in grid for s in samples]


def resolve_scenario_file(spec_scenario: str, spec_path: Path | None) -> Path:
    """A scenario named in an experiment file: a library name, or a .toml file in the experiment
    file's folder (scenarios.loader: what a file may read); any file when there is no spec file."""
    try:
        return resolve(spec_scenario, relative_to=spec_path, roots=scenario_roots(spec_path) if spec_path else None)
    except ScenarioError as exc:
        where = f"{spec_path}: " if spec_path else ""
        raise ExperimentError(f"{where}field `scenario`: {exc}") from None


def _short(factors: dict[str, Any], limit: int = 120) -> str:
    text = str(factors)
    return text if len(text) <= limit else text[:limit] + "...}"


def scenario_sha(data: dict[str, Any]) -> str:
    blob = json.dumps(data, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def build_tasks(
    spec: ExperimentSpec, spec_path: Path | None = None
) -> tuple[list[Task], dict[str, Any]]:
    """The full, ordered run table and the facts about it the manifest records.

    Every design point is validated here, before anything runs, so that a typo in a factor
    name fails in a second with the field named rather than after an hour of runs.
    """
    scen_path = resolve_scenario_file(spec.scenario, spec_path)
    where = f"{spec_path or 'experiment'}: field `scenario`"
    try:
        # the scenario's own `extends` chain stays in the experiment file's folders too
        base = read_toml(scen_path, roots=scenario_roots(spec_path) if spec_path else None)
    except ScenarioError as exc:
        raise ExperimentError(f"{where}: {exc}") from None
    points = design_points(spec)
    draws = posterior_draws(spec, spec_path)  # one parameter set per replicate, or none
    hashes: dict[int, str] = {}
    tasks: list[Task] = []
    for p, factors in enumerate(points):
        for policy in spec.policies:
            overrides = {**spec.set, **factors, "policy.presets": policy.split("+")}
            if spec.days is not None:
                overrides["days"] = spec.days
            if policy == spec.policies[0]:
                try:
                    source = f"{spec_path or 'experiment'}: design point {p} {_short(factors)}"
                    data = deep_merge(base, expand_dotted({**overrides, **(draws[0] if draws else {})}, source))
                    resolved = validate(data, source)
                    check_memory(resolved, source)  # a grid over people_per_village is checked point by point
                except ScenarioError as exc:
                    raise ExperimentError(str(exc)) from None
                hashes[p] = scenario_sha(resolved.model_dump(mode="json", exclude={"policy"}))
            for k in range(spec.replicates):
                tasks.append(
                    Task(
                        index=len(tasks),
                        run_id=f"p{p:03d}-{policy}-r{k:04d}",
                        point=p,
                        policy=policy,
                        replicate=k,
                        seed=replicate_seed(spec.master_seed, k),
                        factors={**factors, **(draws[k] if draws else {})},
                        overrides={**overrides, **draws[k]} if draws else overrides,
                        scenario=base,
                        days=spec.days,
                        timeseries=spec.timeseries,
                        events=spec.events,
                    )
                )
    # policies only differ in presets: check each once (on point 0) so a bad combination fails early
    for policy in spec.policies[1:]:
        try:
            source = f"{spec_path or 'experiment'}: policy {policy!r}"
            validate(deep_merge(base, expand_dotted({**spec.set, **points[0], "policy.presets": policy.split("+")}, source)), source)
        except ScenarioError as exc:
            raise ExperimentError(str(exc)) from None
    facts = {
        "scenario_file": str(scen_path),
        "scenario_name": base.get("name", scen_path.stem),
        "scenario_sha256_16": scenario_sha(base),
        "point_scenario_sha256_16": {str(p): h for p, h in hashes.items()},
        "points": [{"point": p, **f} for p, f in enumerate(points)],
        "runs": len(tasks),
    }
    return tasks, facts


def posterior_draws(spec: ExperimentSpec, spec_path: Path | None) -> list[dict[str, Any]]:
    """With `posterior`: replicate k's parameter set, drawn from the calibration's posterior."""
    if spec.posterior is None:
        return []
    from experiments.calibration.posterior import replicate_draws

    folder = spec_path.parent / spec.posterior if spec_path is not None else Path(spec.posterior)
    fixed = {**spec.set, **dict.fromkeys(spec.factors)}
    return replicate_draws(folder, spec.master_seed, spec.replicates, fixed, where=f"{spec_path}: field `posterior`" if spec_path else "--posterior")


def design_digest(tasks: list[Task]) -> str:
    """One hash of the whole run table: a resumed experiment must have exactly the same one."""
    rows = [{**t.row(), "overrides": t.overrides, "days": t.days, "ts": t.timeseries, "ev": t.events} for t in tasks]
    base = tasks[0].scenario if tasks else {}
    blob = json.dumps({"rows": rows, "scenario": base}, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()
