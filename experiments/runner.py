"""One scenario, one seed, one outcomes dict: the function other tools call."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scenarios.loader import KEYWORDS, keyword_override, load_scenario
from simulation.model import SiagaModel


def _plain(value: Any) -> Any:
    """A NumPy scalar, as samplers hand them over, as the Python number it holds."""
    return value.item() if type(value).__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", 1) == 0 else value


def run(scenario: str | Mapping[str, Any] = "kepahiang_pilkada2024", seed: int | None = None, **params: Any) -> dict[str, Any]:
    """Build and run a model; return its outcomes (see simulation/metrics.py OUTCOMES).

    `params` are the same keyword overrides `SiagaModel` takes (`policy="joint"`, `days=40`,
    `dynamics__tension__decay=0.1`; dotted names work too), so a sampler can vary any parameter by
    name. `seed` (or Mesa's `rng`, when `seed` is not given) becomes the scenario's `seed`, so it is
    checked like any field (a whole number from 0 to 2^63-1). A refused value is named as the
    keyword that gave it: `run(officials__team_size=1.5): field `officials.team_size`: ...`.
    """
    rng = params.pop("rng", None)
    if seed is None:
        seed = rng
    overrides: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for name, value in params.items():
        if name in KEYWORDS and value is None:  # as in SiagaModel: None means "the scenario's"
            continue
        key, value = keyword_override(name, _plain(value))
        overrides[key] = value
        labels[key] = f"run({name}={value!r})"
    if seed is not None:
        overrides["seed"] = _plain(seed)
        labels["seed"] = f"run({'seed' if rng is None or seed is not rng else 'rng'}={overrides['seed']!r})"
    # only outcomes come back: no Villager agent objects (the arrays are the truth either way, so
    # results are identical); about a fifth of a default run's CPU time. An explicit
    # `villager_agents=` keyword wins.
    overrides.setdefault("villager_agents", "none")
    model = SiagaModel(load_scenario(scenario, overrides, labels=labels))
    out = model.run()
    out["seed"] = model.seed
    return out
