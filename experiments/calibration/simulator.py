"""One particle in, its pooled summary counts out: the function pyABC calls, on any worker.

The object holds plain data only (the scenario as a dict, the overrides, the targets), so it
pickles to local processes and to Dask workers, which need nothing but the package.

Seeds. Every model run is seeded from numpy's SeedSequence built from the calibration's `seed`,
a tag for the phase (fit, posterior predictive), the particle's parameter values (their float64
bytes, hashed) and the replicate k. The same parameter set therefore always gives the same runs,
whichever process or machine runs it, and two particles never share their random events (common
random numbers across particles would make the posterior a fit to those few seeds).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from experiments.calibration.summaries import pool, run_summary
from experiments.calibration.targets import Target
from scenarios.loader import deep_merge, expand_dotted

TAG_FIT, TAG_CHECK, TAG_PYABC, TAG_DRAWS = 0xF17, 0xC4EC, 0xABC, 0xD4A


def run_seed(master_seed: int, tag: int, values: Sequence[float], replicate: int) -> int:
    """A 63-bit seed from SeedSequence([master_seed, tag, hash of the values..., replicate])."""
    digest = hashlib.blake2b(np.asarray(values, dtype=np.float64).tobytes(), digest_size=16).digest()
    words = [int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4)]
    state = np.random.SeedSequence([master_seed, tag, *words, replicate]).generate_state(2, dtype=np.uint32)
    return int(state[0]) << 31 | int(state[1]) >> 1


class Simulator:
    """`sim(params) -> {target: pooled counts}` over `seeds_per_particle` runs of the scenario.

    `scenario`, `seeds` and `run_one` take values in the scenario's units; `__call__` takes
    pyABC's particle, where a loguniform parameter is log10 of its value (`log_names`)."""

    def __init__(
        self,
        base: Mapping[str, Any],
        fixed: Mapping[str, Any],
        names: Sequence[str],
        targets: Mapping[str, Target],
        master_seed: int,
        seeds_per_particle: int,
        tag: int = TAG_FIT,
        log_names: Sequence[str] = (),
    ):
        self.base = dict(base)
        self.fixed = dict(fixed)
        self.names = list(names)
        self.targets = dict(targets)
        self.master_seed = int(master_seed)
        self.seeds_per_particle = int(seeds_per_particle)
        self.tag = int(tag)
        self.log_names = list(log_names)

    def natural(self, params: Mapping[str, Any]) -> dict[str, float]:
        """pyABC's values in the scenario's units: loguniform parameters come as log10 of the value."""
        return {n: 10.0 ** float(params[n]) if n in self.log_names else float(params[n]) for n in self.names}

    def values(self, params: Mapping[str, Any]) -> list[float]:
        return [float(params[n]) for n in self.names]

    def scenario(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """The base scenario with the fixed overrides and the particle's values (dotted names)."""
        overrides = {**self.fixed, **{n: float(params[n]) for n in self.names if n in params}}
        data = deep_merge(self.base, expand_dotted(overrides, "calibration"))
        data.setdefault("villager_agents", "none")  # results identical; no agent objects to build
        return data

    def seeds(self, params: Mapping[str, Any]) -> list[int]:
        return [run_seed(self.master_seed, self.tag, self.values(params), k) for k in range(self.seeds_per_particle)]

    def run_one(self, scenario: Mapping[str, Any], seed: int) -> dict[str, np.ndarray]:
        from simulation.model import SiagaModel

        model = SiagaModel(dict(scenario), seed=seed)
        model.run()
        return run_summary(model.incidents, int(model.calendar.voting_day), self.targets)

    def __call__(self, params: Mapping[str, Any]) -> dict[str, np.ndarray]:
        """pyABC's entry: a particle (in pyABC's units) to its pooled counts."""
        natural = self.natural(params)
        data = self.scenario(natural)
        return pool(self.run_one(data, s) for s in self.seeds(natural))


__all__ = ["Simulator", "run_seed"]
