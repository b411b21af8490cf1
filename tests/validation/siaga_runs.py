"""Runs of the full model for checks 4 and 5 of docs/VALIDATION.md, and the statistics on them.

Everything here is a plain function of seeds and policies, so the CI tests, the full-size tests and
tests/validation/make_report.py compute the same numbers the same way.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from scipy import stats

from simulation.model import SiagaModel

SCENARIO = "kepahiang_pilkada2024"

# ACLED Indonesia 2015-2020, 51 violent election-related events by day relative to voting day
# (docs/ODD.md [D19]: 5.9% in each of four pre-vote windows, then 19.6, 17.6, 23.5, 11.8, 3.9 %).
ACLED_WINDOWS = ("before", "voting day", "+1..+7", "+8..+30", "+31..+60", "after +60")
ACLED_COUNTS = np.array([12, 10, 9, 12, 6, 2])
WINDOW_EDGES = (0, 1, 8, 31, 61)  # day relative to voting day at which each later window starts


@dataclass(frozen=True)
class Run:
    seed: int
    incidents: tuple[dict, ...]
    voting_day: int
    village_adjacency: np.ndarray  # dense 0/1, villages x villages
    population: np.ndarray  # people per village
    cost: float  # intervention person-days

    @property
    def n(self) -> int:
        return len(self.incidents)


@functools.cache
def run(seed: int, policy: tuple[str, ...] = ("none",), overrides: tuple[tuple[str, object], ...] = ()) -> Run:
    """One full run of the default scenario (cached: tests share runs)."""
    m = SiagaModel(SCENARIO, seed=seed, policy=list(policy), **dict(overrides))
    out = m.run()
    adj = (m.region.adjacency.toarray() > 0).astype(np.int8)
    return Run(seed, tuple(m.incidents), m.calendar.voting_day, adj, np.asarray(m.region.population), float(out["intervention_cost"]))


def incidents(seeds, policy=("none",), overrides=()) -> np.ndarray:
    return np.array([run(s, tuple(policy), tuple(overrides)).n for s in seeds], dtype=np.float64)


# ---------------------------------------------------------------------------- check 4: timing


def window_of(day_rel: int) -> int:
    return int(np.searchsorted(WINDOW_EDGES, day_rel, side="right"))


def timing_counts(runs: list[Run]) -> np.ndarray:
    counts = np.zeros(len(ACLED_WINDOWS), dtype=np.int64)
    for r in runs:
        for i in r.incidents:
            counts[window_of(i["day"] - r.voting_day)] += 1
    return counts


def acled_fit_pvalue(model_counts: np.ndarray, n_sim: int = 20_000, seed: int = 0) -> float:
    """Could ACLED's 51 events be a draw from the model's timing profile? Monte Carlo G-test of the
    51 counts against the model's shares (Jeffreys +1/2 smoothing, so a window the model never
    filled in a finite sample is rare, not impossible)."""
    shares = (model_counts + 0.5) / (model_counts.sum() + 0.5 * len(model_counts))
    n = int(ACLED_COUNTS.sum())

    def g(counts: np.ndarray) -> np.ndarray:
        exp = n * shares
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(counts > 0, counts * np.log(counts / exp), 0.0)
        return 2 * terms.sum(axis=-1)

    sims = np.random.default_rng(np.random.SeedSequence([51, seed])).multinomial(n, shares, size=n_sim)
    return float((g(sims) >= g(ACLED_COUNTS)).mean())


def rate_ratio(runs: list[Run], campaign: tuple[int, int], peak: tuple[int, int]) -> float:
    """Incidents per day in `peak` (days relative to voting, inclusive) over those in `campaign`."""
    def per_day(lo: int, hi: int) -> float:
        k = sum(1 for r in runs for i in r.incidents if lo <= i["day"] - r.voting_day <= hi)
        return k / (hi - lo + 1)

    return per_day(*peak) / max(per_day(*campaign), 1e-12)


# ---------------------------------------------------------------------------- check 4: space, size


def distinct_villages_test(runs: list[Run], n_sim: int = 5_000, seed: int = 0) -> tuple[float, float, float]:
    """Do incidents pile up in fewer villages than chance? For each run, its k incidents are
    re-dealt to villages in proportion to population; returns (observed distinct villages summed
    over runs, mean under the null, one-sided p-value)."""
    rng = np.random.default_rng(np.random.SeedSequence([23, seed]))
    obs, null = 0, np.zeros(n_sim)
    for r in runs:
        if r.n < 2:
            obs += r.n
            null += r.n
            continue
        obs += len({i["village"] for i in r.incidents})
        p = r.population / r.population.sum()
        draws = rng.choice(len(p), size=(n_sim, r.n), p=p)
        srt = np.sort(draws, axis=1)
        null += 1 + (np.diff(srt, axis=1) != 0).sum(axis=1)
    return float(obs), float(null.mean()), float((null <= obs).mean())


def neighbour_join_test(runs: list[Run], n_sim: int = 2_000, seed: int = 0) -> tuple[float, float, float]:
    """Are villages with violence next to each other more often than chance? Join count: adjacent
    pairs of distinct villages that both had an incident in the same run, against the same number
    of violent villages placed at random (population-weighted, without replacement)."""
    rng = np.random.default_rng(np.random.SeedSequence([24, seed]))
    obs, null = 0, np.zeros(n_sim)
    for r in runs:
        vs = np.array(sorted({i["village"] for i in r.incidents}), dtype=np.int64)
        if len(vs) < 2:
            continue
        obs += r.village_adjacency[np.ix_(vs, vs)].sum() / 2
        p = r.population / r.population.sum()
        for s in range(n_sim):
            pick = rng.choice(len(p), size=len(vs), replace=False, p=p)
            null[s] += r.village_adjacency[np.ix_(pick, pick)].sum() / 2
    return float(obs), float(null.mean()), float((null >= obs).mean())


def sizes(runs: list[Run]) -> np.ndarray:
    return np.array([i["size"] for r in runs for i in r.incidents], dtype=np.float64)


def top_decile_share(x: np.ndarray) -> float:
    """Share of all participants who were in the largest 10% of incidents."""
    s = np.sort(x)[::-1]
    k = max(1, int(np.ceil(0.1 * len(s))))
    return float(s[:k].sum() / s.sum())


# ---------------------------------------------------------------------------- check 5: policies


def paired_bootstrap_ci(a: np.ndarray, b: np.ndarray, n_boot: int = 10_000, seed: int = 0, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of the paired differences a - b over seeds and its percentile bootstrap CI."""
    d = np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64)
    rng = np.random.default_rng(np.random.SeedSequence([95, seed]))
    means = d[rng.integers(0, len(d), size=(n_boot, len(d)))].mean(axis=1)
    lo, hi = np.quantile(means, [(1 - level) / 2, (1 + level) / 2])
    return float(d.mean()), float(lo), float(hi)


def spearman(x, y) -> tuple[float, float]:
    r = stats.spearmanr(x, y)
    return float(r.statistic), float(r.pvalue)
