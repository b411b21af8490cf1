"""The engine: how a day unfolds. `SiagaModel` is the Mesa model; `dynamics/` holds the kernels.

`SiagaModel` is imported lazily so that `agents` (which reads `simulation.alerts`) and
`simulation.model` (which builds the agents) can be imported in either order.
"""

from typing import Any

__all__ = ["SiagaModel"]


def __getattr__(name: str) -> Any:
    if name == "SiagaModel":
        from simulation.model import SiagaModel

        return SiagaModel
    raise AttributeError(f"module 'simulation' has no attribute {name!r}")
