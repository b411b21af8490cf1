"""The ABC distance: the deviance of the observed counts under the model's pooled predictive.

Why a deviance and not share differences: ACLED's timing rests on 51 events, so a window holding
3 of them (5.9%) is uncertain by about ±3 points, while SNPK's actor split rests on about a
thousand; a squared or absolute share difference weighs both alike. The deviance of the data
under the shares the model produced (a multinomial log-likelihood ratio, the G statistic)
weighs each target by how much its data say:

    D_multinomial = 2 Σ_j o_j log( o_j / (n p̂_j) ),   p̂_j = (m_j + α) / (Σ_k m_k + K α)

(o: observed counts, n their total, m: the model's counts pooled over the particle's seeds, K
categories, α the pseudo-count, so a window the runs left empty is unlikely, not impossible), and
for totals over a known exposure (deaths over 585 incidents) the quasi-Poisson deviance

    D_rate = (2 / φ) [ o log(o / μ) − (o − μ) ],   μ = E (x + α) / (n + α)

(E: the study's incidents, x/n: the model's total per incident, φ ≥ 1 the overdispersion of a sum
of negative binomial counts). Both are 0 when the model reproduces the data exactly and grow
with how improbable the data are under the model. Independent data sets multiply likelihoods,
so the total distance is the (weighted) sum of the targets' deviances.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from experiments.calibration.targets import CategoryTarget, RateTarget, Target, TimingTarget


def multinomial_deviance(observed: np.ndarray, model_counts: np.ndarray, pseudo_count: float) -> float:
    """2 Σ o log(o / (n p̂)) with p̂ the model's shares smoothed by the pseudo-count."""
    o = np.asarray(observed, dtype=float)
    m = np.asarray(model_counts, dtype=float)
    p = (m + pseudo_count) / (m.sum() + pseudo_count * len(m))
    n = o.sum()
    pos = o > 0
    return float(2.0 * np.sum(o[pos] * np.log(o[pos] / (n * p[pos]))))


def poisson_deviance(observed: float, expected: float, dispersion: float = 1.0) -> float:
    """(2 / φ) [o log(o / μ) − (o − μ)]."""
    o, mu = float(observed), float(expected)
    term = (o * np.log(o / mu) if o > 0 else 0.0) - (o - mu)
    return float(2.0 * term / dispersion)


def rate_expected(exposure: float, model_total: float, model_incidents: float, pseudo_count: float) -> float:
    """μ = E (x + α) / (n + α): the data's incidents times the model's (smoothed) rate per incident."""
    return exposure * (model_total + pseudo_count) / (model_incidents + pseudo_count)


def used_parts(target: Target, covered: Sequence[int] | None = None, switches: Mapping[str, bool] | None = None) -> list[int]:
    """The entries of a target that enter the fit: the windows the calendar covers; the
    categories the model can produce with the scenario's mechanism `switches`."""
    if isinstance(target, TimingTarget):
        return list(covered) if covered is not None else list(range(len(target.windows)))
    if isinstance(target, CategoryTarget):
        names = list(target.categories)
        return [names.index(c) for c in target.producible(switches)]
    raise TypeError(f"target kind {type(target).__name__} has no parts")


def target_deviance(target: Target, observed: np.ndarray, model: np.ndarray, used: Sequence[int] | None, pseudo_count: float) -> float:
    """One target's deviance from its observed counts and the model's pooled counts (summaries.py layout)."""
    if isinstance(target, TimingTarget | CategoryTarget):
        idx = list(used) if used is not None else used_parts(target)
        return multinomial_deviance(np.asarray(observed)[idx], np.asarray(model)[idx], pseudo_count)
    if isinstance(target, RateTarget):
        n = model[0]
        return sum(
            poisson_deviance(c.count, rate_expected(target.exposure, model[1 + k], n, pseudo_count), c.dispersion)
            for k, c in enumerate(target.components.values())
        )
    raise TypeError(f"target kind {type(target).__name__} cannot be fitted")


class DevianceDistance:
    """pyABC's distance (a plain picklable callable): Σ_t w_t D_t(observed, simulated)."""

    def __init__(self, targets: Mapping[str, Target], used: Mapping[str, Sequence[int] | None], weights: Mapping[str, float], pseudo_count: float):
        self.targets = dict(targets)
        self.used = {k: (list(v) if v is not None else None) for k, v in used.items()}
        self.weights = {k: float(weights.get(k, 1.0)) for k in targets}
        self.pseudo_count = float(pseudo_count)

    def parts(self, simulated: Mapping[str, Any], observed: Mapping[str, Any]) -> dict[str, float]:
        """Each fitted target's deviance (unweighted)."""
        return {
            name: target_deviance(t, np.asarray(observed[name], dtype=float), np.asarray(simulated[name], dtype=float), self.used.get(name), self.pseudo_count)
            for name, t in self.targets.items()
        }

    def __call__(self, simulated: Mapping[str, Any], observed: Mapping[str, Any], *_: Any) -> float:
        return float(sum(self.weights[k] * d for k, d in self.parts(simulated, observed).items()))


__all__ = ["DevianceDistance", "multinomial_deviance", "poisson_deviance", "rate_expected", "target_deviance", "used_parts"]
