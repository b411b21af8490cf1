"""The engine: how a day unfolds. `SiagaModel` is the Mesa model; `dynamics/` holds the kernels."""

from simulation.model import SiagaModel

__all__ = ["SiagaModel"]
