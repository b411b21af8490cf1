"""One scenario, one seed, one outcomes dict: the function other tools call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from simulation.model import SiagaModel


def run(scenario: str | Mapping[str, Any] = "kepahiang_pilkada2024", seed: int | None = None, **params: Any) -> dict[str, Any]:
    """Build and run a model; return its outcomes (see simulation/metrics.py OUTCOMES).

    `params` are the same keyword overrides `SiagaModel` takes (`policy="joint"`,
    `dynamics__tension__decay=0.1`), so a sampler can vary any parameter by name.
    """
    model = SiagaModel(scenario, seed=seed, **params)
    out = model.run()
    out["seed"] = model.seed
    return out
