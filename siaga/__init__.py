"""SIAGA: agent-based simulation of social conflict around Indonesian elections.

The front door: `from siaga import SiagaModel, run, load_scenario`. These names are loaded on first
use (PEP 562), so `import siaga` (and the command line's `--help`) does not import Mesa, pandas or
the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from common.version import __version__

if TYPE_CHECKING:
    from experiments.runner import run
    from scenarios import load_scenario
    from simulation.model import SiagaModel

_LAZY = {"SiagaModel": "simulation.model", "run": "experiments.runner", "load_scenario": "scenarios"}
__all__ = ["SiagaModel", "__version__", "load_scenario", "run"]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value  # once loaded, a plain attribute
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
