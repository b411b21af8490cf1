"""A small, hot synthetic region on the default scenario's calendar and parameters, shared by the
model tests: eventful enough in a few weeks that every mechanism shows, cheap enough to run often."""

from __future__ import annotations

import datetime as dt

import numpy as np

from scenarios.loader import load_dict
from simulation.model import SiagaModel

HOT = dict(
    dynamics__clashes__base_hazard=0.05,
    dynamics__mobilisation__activation_threshold=0.15,
    population__active_supporter_share=0.3,
)


def hot_scenario(villages: int = 8, people: int = 500, start: str = "2024-11-01", end: str = "2024-12-31") -> dict:
    """The default scenario's calendar, candidates and parameters over a small synthetic region,
    with the calendar cut to the weeks around voting day."""
    d = load_dict("kepahiang_pilkada2024")
    d["region"] = {
        "name": "Hot test region",
        "area_km2": 30.0,
        "synthetic": {
            "kecamatan": 1,
            "villages_per_kecamatan": villages,
            "people_per_village": people,
            "hotspot_share": 0.5,
        },
    }
    d["calendar"]["start"] = dt.date.fromisoformat(start)
    d["calendar"]["end"] = dt.date.fromisoformat(end)
    return d


def hot_model(seed: int = 1, **params) -> SiagaModel:
    return SiagaModel(hot_scenario(), seed=seed, **{**HOT, **params})


def run_recording(model: SiagaModel, days: int, attr: str) -> list[np.ndarray]:
    """Step `days` days and keep a copy of model.people.<attr> after each."""
    out = []
    for _ in range(days):
        model.step()
        out.append(getattr(model.people, attr).copy())
    return out
