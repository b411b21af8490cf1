"""Paired comparisons with uncertainty: the numbers behind the report.

Replicate k of every policy shares a seed, so the comparison of policy P with the reference R is
the distribution of the paired differences d_k = y_k(P) - y_k(R). We report its mean with a
percentile bootstrap 95% interval (resampling replicates), and the share of replicates where P
did strictly better and strictly worse. The bootstrap uses its own seeded generator so that a
report is the same every time it is made.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

# outcomes where more is better; everything else: less is better
HIGHER_IS_BETTER = {"final_mean_legitimacy", "first_incident_day"}
NOT_COMPARED = {"margin"}  # a property of the election, not of the policy's success


def better_sign(outcome: str) -> int:
    """+1 if a larger value is better, -1 if a smaller one is."""
    return 1 if outcome in HIGHER_IS_BETTER else -1


def prepare(outcome: str, values: pd.Series, days: int | None = None) -> np.ndarray:
    """Numbers to compare. "No incident at all" (NaN first day) counts as the day after the
    last simulated day, `days` (the caller passes the same `days` for both sides of a pair)."""
    x = values.to_numpy(dtype=float)
    if outcome == "first_incident_day":
        x = np.where(np.isnan(x), float(days if days else 10_000), x)
    return x


def bootstrap_mean_ci(x: np.ndarray, rng: np.random.Generator, n_boot: int = 2000, level: float = 0.95) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of `x` (NaN-free)."""
    x = np.asarray(x, dtype=float)
    if x.size == 0:
        return (float("nan"), float("nan"))
    if x.size == 1 or np.all(x == x[0]):
        return (float(x[0]), float(x[0]))
    idx = rng.integers(0, x.size, size=(n_boot, x.size))
    means = x[idx].mean(axis=1)
    a = (1.0 - level) / 2.0
    lo, hi = np.quantile(means, [a, 1.0 - a])
    return (float(lo), float(hi))


def paired(runs: pd.DataFrame, outcome: str, policy: str, reference: str, point: int) -> pd.DataFrame:
    """Replicates of `policy` and `reference` at one design point, matched on replicate number."""
    sel = runs[runs["point"] == point]
    a = sel[sel["policy"] == policy].set_index("replicate")[outcome]
    b = sel[sel["policy"] == reference].set_index("replicate")[outcome]
    both = pd.concat({"policy": a, "reference": b}, axis=1)
    return both.sort_index()


def comparison_table(runs: pd.DataFrame, outcomes: list[str], reference: str, seed: int, days: int | None = None) -> pd.DataFrame:
    """One row per (design point, policy, outcome): mean, median, paired difference with 95% CI,
    share of replicates better / worse than the reference."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xB007]))
    rows: list[dict[str, Any]] = []
    policies = list(dict.fromkeys(runs["policy"]))
    for point in sorted(runs["point"].unique()):
        for policy in policies:
            for outcome in outcomes:
                if outcome not in runs:
                    continue
                pr = paired(runs, outcome, policy, reference, point)
                y = prepare(outcome, pr["policy"], days)
                yr = prepare(outcome, pr["reference"], days)
                row = {"point": int(point), "policy": policy, "outcome": outcome, "n": int(np.isfinite(y).sum()),
                       "mean": _nan_stat(np.nanmean, y), "median": _nan_stat(np.nanmedian, y)}
                if policy == reference or outcome in NOT_COMPARED:
                    row.update(diff=np.nan, ci_low=np.nan, ci_high=np.nan, better=np.nan, worse=np.nan)
                else:
                    d = y - yr
                    d = d[np.isfinite(d)]
                    if d.size == 0:
                        row.update(diff=np.nan, ci_low=np.nan, ci_high=np.nan, better=np.nan, worse=np.nan)
                        rows.append(row)
                        continue
                    lo, hi = bootstrap_mean_ci(d, rng)
                    s = better_sign(outcome)
                    row.update(diff=float(d.mean()), ci_low=lo, ci_high=hi, better=float(np.mean(s * d > 0)), worse=float(np.mean(s * d < 0)))
                rows.append(row)
    return pd.DataFrame(rows)


def _nan_stat(fn, y: np.ndarray) -> float:
    return float(fn(y)) if np.isfinite(y).any() else float("nan")


def dose_response(runs: pd.DataFrame, factor: str, outcome: str, seed: int, days: int | None = None, max_levels: int = 12) -> pd.DataFrame:
    """Mean outcome (with bootstrap 95% band) against one factor, per policy, averaged over the
    other factors. Continuous factors with many values are cut into quantile bins."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0xD05E]))
    df = runs[["policy", factor, outcome]].copy()
    levels = list(dict.fromkeys(df[factor]))
    numeric = pd.api.types.is_numeric_dtype(df[factor])
    if numeric and len(levels) > max_levels:
        bins = pd.qcut(df[factor], q=min(8, len(levels)), duplicates="drop")
        df["_x"] = bins.map(lambda iv: iv.mid).astype(float)
    else:
        df["_x"] = df[factor]
    rows = []
    for policy in dict.fromkeys(df["policy"]):
        sub = df[df["policy"] == policy]
        xs = sorted(sub["_x"].unique(), key=lambda v: levels.index(v) if v in levels and not numeric else v)
        for x in xs:
            y = prepare(outcome, sub.loc[sub["_x"] == x, outcome], days)
            y = y[np.isfinite(y)]
            if y.size == 0:
                continue
            lo, hi = bootstrap_mean_ci(y, rng)
            rows.append({"policy": policy, "x": x, "mean": float(y.mean()), "ci_low": lo, "ci_high": hi, "n": int(y.size)})
    return pd.DataFrame(rows)


def fan(series: pd.DataFrame, column: str, quantiles=(0.05, 0.25, 0.5, 0.75, 0.95)) -> pd.DataFrame:
    """Per policy and day: quantiles of a daily column across runs."""
    q = series.groupby(["policy", "day"])[column].quantile(list(quantiles)).unstack()
    q.columns = [f"q{int(round(100 * c)):02d}" for c in q.columns]
    return q.reset_index()
