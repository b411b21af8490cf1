"""The engine: how a day unfolds. `simulation.model.SiagaModel` is the Mesa model (`from siaga
import SiagaModel` is the front door); `day.py` holds the day's phases, `state.py` the state they
read and write, and `dynamics/` the kernels, each a pure function that can be used alone."""
