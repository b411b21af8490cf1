"""Scenario files (TOML) and their validated schema: what a region and its election look like.

The names below are imported on first use, so that `import scenarios` (and `siaga --help`) does
not pay for pydantic and the schema until a scenario is actually read.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from scenarios.errors import ScenarioError

DEFAULT_SCENARIO = "kepahiang_pilkada2024"

if TYPE_CHECKING:
    from scenarios.loader import library_dir, library_names, load_dict, load_scenario
    from scenarios.schema import ALERT_LEVELS, Scenario

_LAZY = {
    "library_dir": "scenarios.loader",
    "library_names": "scenarios.loader",
    "load_dict": "scenarios.loader",
    "load_scenario": "scenarios.loader",
    "ALERT_LEVELS": "scenarios.schema",
    "Scenario": "scenarios.schema",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'scenarios' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next look-up is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "ALERT_LEVELS",
    "DEFAULT_SCENARIO",
    "Scenario",
    "ScenarioError",
    "library_dir",
    "library_names",
    "load_dict",
    "load_scenario",
]
