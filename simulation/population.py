"""Villagers as a structure of arrays: one row per person, one array per attribute.

A kabupaten has about a million people; their state lives here, in numpy arrays indexed by
villager number, and the `Villager` Mesa agents read and write their own row. People are stored
village by village (contiguous blocks), and households are contiguous inside a village, which
makes per-village reductions one `np.bincount` and household cliques cheap to build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np

from scenarios.schema import PopulationSpec
from simulation.region import Region


class Escalation(IntEnum):
    """Escalation state of a villager (DESIGN: calm -> tense -> mobilised -> violent, plus detained)."""

    CALM = 0
    TENSE = 1
    MOBILISED = 2
    VIOLENT = 3
    DETAINED = 4


class Rumour(IntEnum):
    """Maki-Thompson rumour states."""

    IGNORANT = 0
    SPREADER = 1
    STIFLER = 2


NO_CAMP = -1


@dataclass
class VillagerState:
    village: np.ndarray  # int32
    household: np.ndarray  # int32, global household id
    voter: np.ndarray  # bool
    lean: np.ndarray  # int8: candidate the person would vote for
    camp: np.ndarray  # int8: candidate the person actively supports, or NO_CAMP
    partisanship: np.ndarray  # float32 0..1
    identity: np.ndarray  # int8
    hardship: np.ndarray  # float32 0..1
    risk_aversion: np.ndarray  # float32 0..1
    threshold: np.ndarray  # float32 0..1: share of same-camp contacts mobilised needed to join
    tension: np.ndarray  # float32 0..1
    legitimacy: np.ndarray  # float32 0..1, perceived
    state: np.ndarray  # int8 Escalation
    rumour: np.ndarray  # int8 Rumour
    jail: np.ndarray  # int16 days left in detention
    village_start: np.ndarray  # int64 per village: first villager index
    extra: dict = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.village)

    @property
    def grievance(self) -> np.ndarray:
        """Epstein (2002): G = H (1 - L)."""
        return self.hardship * (1.0 - self.legitimacy)


def _beta_with_mean(rng: np.random.Generator, mean: float, size: int, kappa: float = 2.0) -> np.ndarray:
    """Beta(kappa*m, kappa*(1-m)); kappa=2 and m=0.5 is Epstein's U(0,1)."""
    m = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(kappa * m, kappa * (1 - m), size=size).astype(np.float32)


def _categorical_by_village(rng: np.random.Generator, probs: np.ndarray, village: np.ndarray) -> np.ndarray:
    """Draw one category per person from their village's distribution (rows of `probs`)."""
    cdf = np.cumsum(probs, axis=1)
    cdf[:, -1] = 1.0
    u = rng.random(len(village))
    return (u[:, None] > cdf[village]).sum(axis=1).astype(np.int8)


def _households(rng: np.random.Generator, village: np.ndarray, mean_size: float) -> np.ndarray:
    """Contiguous households of size 1 + Poisson(mean - 1), cut at village boundaries."""
    n = len(village)
    sizes = 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=n // max(int(mean_size), 1) + 16)
    while sizes.sum() < n:
        sizes = np.concatenate([sizes, 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=1024)])
    hh = np.searchsorted(np.cumsum(sizes), np.arange(n), side="right")
    change = np.empty(n, dtype=bool)
    change[0] = False
    change[1:] = (hh[1:] != hh[:-1]) | (village[1:] != village[:-1])
    return np.cumsum(change).astype(np.int32)


def build_population(region: Region, spec: PopulationSpec, rng: np.random.Generator) -> VillagerState:
    """Draw every villager's attributes from the region and population spec; `rng` is the population stream."""
    pop = region.population
    n = int(pop.sum())
    village = np.repeat(np.arange(region.n_villages, dtype=np.int32), pop)
    start = np.concatenate([[0], np.cumsum(pop)[:-1]]).astype(np.int64)

    household = _households(rng, village, spec.household_size)
    voter = rng.random(n) < spec.voter_share
    lean = _categorical_by_village(rng, region.partisan_split, village)
    active = voter & (rng.random(n) < spec.active_supporter_share)
    camp = np.where(active, lean, NO_CAMP).astype(np.int8)
    partisanship = np.where(active, rng.beta(5, 2, n), rng.beta(2, 5, n)).astype(np.float32)
    # identity (suku) is shared by a household: draw it once per household, from its village's mix
    first = np.r_[0, np.flatnonzero(household[1:] != household[:-1]) + 1]
    identity = _categorical_by_village(rng, region.identity_split, village[first])[household]
    hardship = _beta_with_mean(rng, spec.hardship_mean, n)
    risk = rng.random(n).astype(np.float32)
    threshold = np.clip(rng.normal(spec.threshold_mean, spec.threshold_sd, n), 0.0, 1.0).astype(np.float32)
    base = rng.exponential(spec.initial_tension_mean, n) if spec.initial_tension_mean > 0 else np.zeros(n)
    tension = np.clip(base + spec.hotspot_tension_bonus * region.hotspot[village], 0.0, 1.0).astype(np.float32)

    return VillagerState(
        village=village,
        household=household,
        voter=voter,
        lean=lean,
        camp=camp,
        partisanship=partisanship,
        identity=identity,
        hardship=hardship,
        risk_aversion=risk,
        threshold=threshold,
        tension=tension,
        legitimacy=np.ones(n, dtype=np.float32),
        state=np.zeros(n, dtype=np.int8),
        rumour=np.zeros(n, dtype=np.int8),
        jail=np.zeros(n, dtype=np.int16),
        village_start=start,
    )
