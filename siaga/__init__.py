"""SIAGA: agent-based simulation of social conflict around Indonesian elections.

The front door: `from siaga import SiagaModel, run, load_scenario`.
"""

from experiments.runner import run
from scenarios import load_scenario
from simulation.model import SiagaModel

__version__ = "0.1.0"
__all__ = ["SiagaModel", "__version__", "load_scenario", "run"]
