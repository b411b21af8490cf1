"""What a researcher asks of many runs. For now: `run(scenario, seed)` -> outcomes dict, the plain
function SALib, the EMA workbench and notebooks can drive."""

from experiments.runner import run

__all__ = ["run"]
