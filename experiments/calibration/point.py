"""One parameter set from a posterior, for a library default: the weighted median of each parameter.

    python -m experiments.calibration.point experiments/calibration/results/kepahiang_here
    python -m experiments.calibration.point experiments/calibration/results/kepahiang_here --score 100

A default must be one number, yet the posterior is a cloud. The weighted marginal median is the
choice here because it does not depend on whether a rate was sampled on a log scale (a mean does)
and, on the shipped posterior, it scored best of the three candidates tried (median, mean, the
highest-density particle; docs/CALIBRATION.md §12). Values are rounded to two significant figures,
the precision a posterior with an effective sample of a few dozen particles can carry.

`--score N` runs the calibration's own posterior predictive check on N x seeds_per_particle seeds
for the point and for the scenario's parameters as they are now (with the calibration's `[set]`),
on the same seeds, and prints the scores: before adoption it measures what adopting the point buys;
after adoption the two columns must agree, which checks that the library carries the point.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from experiments.calibration.checks import weighted_quantile
from experiments.calibration.posterior import load_posterior, parameter_names


def round_sig(x: float, digits: int = 2) -> float:
    if x == 0 or not np.isfinite(x):
        return float(x)
    return float(f"{x:.{digits}g}")


def point_estimate(table: pd.DataFrame, digits: int = 2) -> dict[str, float]:
    """Each parameter's weighted median, rounded to `digits` significant figures."""
    w = table["weight"].to_numpy(dtype=float)
    return {n: round_sig(weighted_quantile(table[n].to_numpy(dtype=float), w, 0.5), digits) for n in parameter_names(table)}


def score(folder: Path, point: dict[str, float], draws: int, processes: int) -> pd.DataFrame:
    """Scores of the point against the scenario's current parameters on the same seeds."""
    from experiments.calibration.checks import check_tables, predictive
    from experiments.calibration.engine import prepare

    problem = prepare(folder / "calibration.toml")
    here, _ = predictive(problem, [point] * draws, processes, None)
    now, _ = predictive(problem, [{}] * draws, processes, None)
    _, per_target, scores = check_tables(problem, here, now)
    scores = scores.rename(columns={"posterior": "point", "uncalibrated": "scenario_now"})
    return scores.merge(per_target[["target", "deviance_median", "ppp_value"]], on="target", how="left")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.calibration.point", description=__doc__.split("\n\n")[0])
    ap.add_argument("folder", help="the --out folder of a finished `siaga calibrate`")
    ap.add_argument("--score", type=int, default=0, metavar="N", help="score the point and the scenario's current parameters on N draws' seeds")
    ap.add_argument("--processes", type=int, default=2)
    args = ap.parse_args(argv)
    folder = Path(args.folder)
    try:
        point = point_estimate(load_posterior(folder, "folder"))
    except Exception as exc:  # a wrong folder gets one line, not a traceback
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"# weighted posterior medians of {folder}, two significant figures")
    for name, value in point.items():
        print(f'"{name}" = {value!r}')
    if args.score:
        with pd.option_context("display.width", 200, "display.max_columns", 20):
            print(score(folder, point, args.score, args.processes).to_string(index=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
