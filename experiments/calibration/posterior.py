"""Experiments over a calibration's posterior: each replicate runs with its own parameter set drawn
from the posterior by weight, so a policy comparison carries parameter uncertainty as well as chance.

Replicate k of every policy and design point uses the same draw and the same seed (the draw, like
the seed, depends only on the master seed and k: `SeedSequence([master_seed, TAG, k])`), so the
differences stay paired; adding replicates leaves the earlier replicates' draws as they were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from experiments.spec import ExperimentError

TAG_EXPERIMENT = 0x9057
NOT_PARAMETERS = ("weight", "generation")


def load_posterior(folder: str | Path, where: str = "--posterior") -> pd.DataFrame:
    """The posterior of a `siaga calibrate` output folder (posterior.parquet), checked."""
    folder = Path(folder)
    path = folder / "posterior.parquet"
    if not folder.is_dir():
        raise ExperimentError(f"{where}: {folder} is not a folder; give the --out folder of a finished `siaga calibrate`")
    if not path.is_file():
        raise ExperimentError(f"{where}: {folder} holds no posterior.parquet; is it the --out folder of a finished `siaga calibrate`?")
    try:
        table = pd.read_parquet(path)
    except Exception as exc:  # a damaged or foreign file: say which, never a traceback
        raise ExperimentError(f"{where}: {path} cannot be read as a posterior ({type(exc).__name__}: {exc})") from None
    names = parameter_names(table)
    w = table["weight"].to_numpy(dtype=float) if "weight" in table else np.array([])
    if not names or len(table) == 0 or len(w) != len(table) or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ExperimentError(f"{where}: {path} is not a posterior table (parameter columns, and `weight` ≥ 0 that sums above 0)")
    return table


def parameter_names(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c not in NOT_PARAMETERS]


def draw(table: pd.DataFrame, master_seed: int, replicate: int) -> dict[str, float]:
    """Replicate k's parameter set: one particle chosen by weight with its own generator."""
    rng = np.random.default_rng(np.random.SeedSequence([master_seed, TAG_EXPERIMENT, replicate]))
    w = table["weight"].to_numpy(dtype=float)
    i = int(rng.choice(len(table), p=w / w.sum()))
    return {n: float(table[n].iloc[i]) for n in parameter_names(table)}


def calibration_set(folder: str | Path, where: str = "--posterior") -> dict[str, Any]:
    """The calibration's own fixed changes (its `[set]`, from manifest.json): the posterior holds
    only given them (a rate of a mechanism the calibration switched on means nothing with it off)."""
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        return {}
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")).get("spec", {}).get("set", {}))
    except (ValueError, AttributeError, TypeError):
        raise ExperimentError(f"{where}: {path} cannot be read as a calibration's manifest") from None


def replicate_draws(folder: str | Path, master_seed: int, replicates: int, fixed: Mapping[str, Any], where: str = "--posterior") -> list[dict[str, Any]]:
    """One parameter set per replicate, with the calibration's `[set]`. A parameter also fixed by
    the experiment (`[set]`, a grid or Latin-hypercube factor) is refused, and so is a calibration
    `[set]` value the experiment sets otherwise: which value should win would be a guess."""
    table = load_posterior(folder, where)
    clash = sorted(set(parameter_names(table)) & set(fixed))
    if clash:
        raise ExperimentError(f"{where}: {clash} are drawn from the posterior and also set by the experiment file; remove them from the file")
    cal_set = calibration_set(folder, where)
    differ = sorted(k for k, v in cal_set.items() if k in fixed and fixed[k] != v)
    if differ:
        raise ExperimentError(f"{where}: the calibration fixed {differ} to {[cal_set[k] for k in differ]}, and the experiment file sets them "
                              "otherwise; the posterior holds only with the calibration's values")
    return [{**cal_set, **draw(table, master_seed, k)} for k in range(replicates)]


__all__ = ["calibration_set", "draw", "load_posterior", "parameter_names", "replicate_draws"]
