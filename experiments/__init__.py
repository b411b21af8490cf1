"""What a researcher asks of many runs.

- `run(scenario, seed, **params) -> outcomes`: one run, the plain function that `mesa.batch_run`,
  SALib, the EMA workbench and notebooks can drive (scenario: library name, path or dict).
- `run_experiment(file_or_spec, out)`: a replicated, paired experiment into a results folder.
- `write_report(folder)`: its HTML report; `run_sensitivity(file, out)`: Morris/Sobol indices.

These names are loaded on first use (PEP 562): importing `experiments` or one of its modules
(`experiments.spec` to check a file) does not import Mesa, matplotlib or the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from experiments.engine import run_experiment
    from experiments.report import write_report
    from experiments.runner import run
    from experiments.sensitivity import run_sensitivity

_LAZY = {
    "run": "experiments.runner",
    "run_experiment": "experiments.engine",
    "write_report": "experiments.report",
    "run_sensitivity": "experiments.sensitivity",
}
__all__ = ["run", "run_experiment", "run_sensitivity", "write_report"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
