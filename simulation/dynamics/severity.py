"""Severity: the deaths, injuries and buildings damaged in one incident.

Each count is negative binomial (a Poisson whose rate varies from incident to incident, the usual
model for overdispersed event counts, here with the incident's size as its exposure):

    X ~ NegBin(mean mu, dispersion k),   mu = m * (size / s_ref)^e * f,   P(X = 0) = (k / (k + mu))^k

m is the mean per incident in the Habibie Center's count of Pilkada violence (2005-2013, nine
areas: 585 incidents, 47 deaths, 510 injured, 416 buildings damaged); k is set so that the share
of incidents with none matches the share of election locations with deaths (6%), injuries (58%)
and damage (65%) in the same study, taking its 585 incidents as spread evenly over its 104
locations (an assumption: the study gives no per-incident shares). Most incidents are then
harmless and a few are deadly, as the study says. s_ref is the mean participants of an incident of
the default scenario (so that there an incident carries the study's means), e how casualties grow
with the crowd (1: in proportion, assumed) and f the setting's lethality (deaths and injuries only;
the study found deadly incidents concentrated in Papua and Aceh). Parameters and sources:
docs/ODD.md §7.21.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np


class Severity(NamedTuple):
    deaths: int
    injured: int
    damaged: int  # buildings


def expected(size: float, mean: float, reference_size: float, elasticity: float, factor: float = 1.0) -> float:
    """mu = m (size / s_ref)^e f: the mean count for an incident of `size` participants."""
    return mean * (max(size, 0.0) / reference_size) ** elasticity * factor


def count(mu: float, dispersion: float, rng: np.random.Generator) -> int:
    """One negative binomial draw with mean `mu` and dispersion k (numpy's (n, p) = (k, k/(k + mu)))."""
    p = dispersion / (dispersion + mu) if mu > 0 else 1.0
    return int(rng.negative_binomial(dispersion, p))


def draw(
    size: int,
    rng: np.random.Generator,
    *,
    deaths_mean: float,
    injured_mean: float,
    damaged_mean: float,
    deaths_dispersion: float,
    injured_dispersion: float,
    damaged_dispersion: float,
    reference_size: float,
    size_elasticity: float,
    lethality: float,
) -> Severity:
    """The three counts of one incident, drawn in the order deaths, injured, damaged."""
    def mu(mean: float, factor: float) -> float:
        return expected(size, mean, reference_size, size_elasticity, factor)

    return Severity(
        deaths=count(mu(deaths_mean, lethality), deaths_dispersion, rng),
        injured=count(mu(injured_mean, lethality), injured_dispersion, rng),
        damaged=count(mu(damaged_mean, 1.0), damaged_dispersion, rng),
    )
