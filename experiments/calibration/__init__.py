"""Calibration: fitting the model's free parameters to patterns of Indonesian election violence
with pyABC (ABC-SMC), and checking the fit on the posterior predictive (docs/CALIBRATION.md).

- targets.toml / targets.py: the data, with their sources;
- spec.py: calibration files; summaries.py: summary statistics of runs; distance.py: the deviance;
- simulator.py: what pyABC calls; engine.py: `run_calibration`; checks.py: outputs after the fit.

Importing this package imports neither pyABC nor the model; `run_calibration` does, when called.
"""

from __future__ import annotations

from typing import Any


def run_calibration(*args: Any, **kwargs: Any) -> dict[str, Any]:
    from experiments.calibration.engine import run_calibration as run

    return run(*args, **kwargs)


__all__ = ["run_calibration"]
