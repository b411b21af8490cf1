"""What runs on a worker: one task in, plain data out. No files, so Dask workers on other
machines need nothing but the package."""

from __future__ import annotations

import time
from typing import Any

import pandas as pd

from experiments.design import Task
from scenarios.loader import deep_merge, expand_dotted
from simulation.model import SiagaModel


def task_scenario(task: Task) -> dict[str, Any]:
    """The run's scenario: the base with the task's overrides merged in as scenario fields (dotted
    keys), `days` included. The seed is never one of them: it is the task's own (common random
    numbers), passed to the model apart; experiments/spec.py refuses `seed` in a `[set]` or factor."""
    data = deep_merge(task.scenario, expand_dotted(task.overrides, f"run {task.run_id}"))
    if task.days is not None:
        data["days"] = task.days
    # a worker hands back tables, never agents: no Villager agent objects unless the scenario asks
    # (identical results, about a fifth less CPU time for the default scenario)
    data.setdefault("villager_agents", "none")
    return data


def execute(task: Task) -> dict[str, Any]:
    """Run one model; return its outcomes and (if asked) its daily series and event log."""
    started = time.perf_counter()
    model = SiagaModel(task_scenario(task), seed=task.seed)
    outcomes = model.run()
    result: dict[str, Any] = {"run_id": task.run_id, "index": task.index, "outcomes": outcomes}
    ids = {"run_id": task.run_id, "policy": task.policy, "point": task.point, "replicate": task.replicate}
    if task.timeseries:
        result["timeseries"] = _tag(model.timeseries(), ids)
    if task.events:
        result["events"] = _tag(model.event_frame(), ids)
    result["seconds"] = time.perf_counter() - started
    return result


def _tag(df: pd.DataFrame, ids: dict[str, Any]) -> pd.DataFrame:
    df = df.reset_index(drop=True)
    for i, (key, value) in enumerate(ids.items()):
        df.insert(i, key, value)
    return df
