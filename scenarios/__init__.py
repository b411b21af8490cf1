"""Scenario files (TOML) and their validated schema: what a region and its election look like."""

from scenarios.loader import (
    DEFAULT_SCENARIO,
    ScenarioError,
    library_dir,
    library_names,
    load_dict,
    load_scenario,
)
from scenarios.schema import ALERT_LEVELS, Scenario

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
