"""Summary statistics of model runs, in the shape of each target's data: one job, counting.

A run's summary is, per target, a vector of counts (never shares: the distance needs to know how
many incidents a share rests on, and counts of several runs of one particle add up):

- `timing`: the run's incidents in each window of days relative to voting day;
- `categories`: its incidents in each category (by incident kind), then one count of incidents
  whose kind no category claims (a new mechanism's kind not yet mapped in targets.toml);
- `rates`: [incidents, then each component's total (deaths, injured, buildings damaged)];
- `majority`: [incidents of the kinds named in the stages named, incidents of those kinds].

`statistic` turns pooled counts into what a person compares with the data (shares, rates per
incident), for the posterior predictive checks.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from experiments.calibration.targets import CategoryTarget, MajorityTarget, RateTarget, Target, TimingTarget


def run_summary(incidents: Iterable[Mapping[str, Any]], voting_day: int, targets: Mapping[str, Target]) -> dict[str, np.ndarray]:
    """The counts of one run, per target. `incidents`: the model's records (`SiagaModel.incidents`:
    day, kind, stage, deaths, injured, damaged, reported); `voting_day`: the model day of voting.

    Only the incidents marked `reported` count (docs/ODD.md §7.23): every target's data set (ACLED,
    SNPK, the Habibie Center's count) was coded from newspapers, so what the model is compared with
    is what a newspaper would have carried. With `mechanisms.reporting` off every incident is
    reported."""
    incidents = [i for i in incidents if i.get("reported", True)]
    return {name: _counts(t, incidents, voting_day) for name, t in targets.items()}


def _counts(target: Target, incidents: Sequence[Mapping[str, Any]], voting_day: int) -> np.ndarray:
    if isinstance(target, TimingTarget):
        rel = np.array([int(i["day"]) - voting_day for i in incidents], dtype=np.int64)
        return np.array([np.count_nonzero((rel >= a) & (rel <= b)) for a, b in target.windows], dtype=float)
    if isinstance(target, CategoryTarget):
        which = {kind: k for k, c in enumerate(target.categories.values()) for kind in c.incident_kinds}
        out = np.zeros(len(target.categories) + 1)
        for inc in incidents:
            out[which.get(inc["kind"], len(target.categories))] += 1
        return out
    if isinstance(target, RateTarget):
        return np.array([len(incidents), *(sum(int(i.get(c.outcome, 0)) for i in incidents) for c in target.components.values())], dtype=float)
    if isinstance(target, MajorityTarget):
        kinds, stages = set(target.incident_kinds), set(target.stages)
        mine = [i for i in incidents if i["kind"] in kinds]
        return np.array([sum(i["stage"] in stages for i in mine), len(mine)], dtype=float)
    raise TypeError(f"unknown target kind {type(target).__name__}")


def pool(summaries: Iterable[Mapping[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Counts of several runs of one parameter set, added up."""
    out: dict[str, np.ndarray] = {}
    for s in summaries:
        for key, value in s.items():
            out[key] = out[key] + value if key in out else np.asarray(value, dtype=float).copy()
    return out


def statistic(target: Target, counts: np.ndarray, used: Sequence[int] | None = None) -> np.ndarray:
    """What the data say, from pooled counts: shares over the windows or categories `used`,
    rates per incident, or the share of the named incidents in the named stages (NaN where the
    runs had no incident to share out)."""
    counts = np.asarray(counts, dtype=float)
    if isinstance(target, TimingTarget | CategoryTarget):
        part = counts[list(used)] if used is not None else counts
        total = part.sum()
        return part / total if total > 0 else np.full(len(part), np.nan)
    if isinstance(target, RateTarget):
        n = counts[0]
        return counts[1:] / n if n > 0 else np.full(len(counts) - 1, np.nan)
    if isinstance(target, MajorityTarget):
        return np.array([counts[0] / counts[1] if counts[1] > 0 else np.nan])
    raise TypeError(f"unknown target kind {type(target).__name__}")


def observed(target: Target, used: Sequence[int] | None = None) -> np.ndarray:
    """The data as counts in the layout `statistic` reads (categories: the `used` ones)."""
    if isinstance(target, TimingTarget):
        return np.asarray(target.counts, dtype=float)
    if isinstance(target, CategoryTarget):
        return np.array([c.count for c in target.categories.values()] + [0], dtype=float)
    if isinstance(target, RateTarget):
        return np.array([target.exposure, *(c.count for c in target.components.values())], dtype=float)
    raise TypeError(f"target kind {type(target).__name__} has no counts")


__all__ = ["observed", "pool", "run_summary", "statistic"]
