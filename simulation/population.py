"""Villagers as a structure of arrays: one row per person, one array per attribute.

A kabupaten has about a million people; their state lives here, in numpy arrays indexed by
villager number, and the `Villager` Mesa agents read and write their own row. People are stored
village by village (contiguous blocks), and households are contiguous inside a village, which
makes per-village reductions one `np.bincount` and household cliques cheap to build.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from common.levels import NO_CAMP
from scenarios.schema import PopulationSpec
from simulation.dynamics.grievance import grievance
from simulation.region import Region


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
    story: np.ndarray  # int8: the identity group the hoax one carries targets, -1 none (§7.25)
    jail: np.ndarray  # int16 days left in detention
    village_start: np.ndarray  # int64 per village: first villager index
    village_size: np.ndarray  # int per village: its villagers are rows village_start .. + village_size

    @property
    def n(self) -> int:
        return len(self.village)

    @property
    def grievance(self) -> np.ndarray:
        """Epstein (2002): G = H (1 - L) (simulation/dynamics/grievance.py)."""
        return grievance(self.hardship, self.legitimacy)

    def rows_of(self, village: int) -> np.ndarray:
        """The villager rows of one village (a contiguous block)."""
        start = int(self.village_start[village])
        return np.arange(start, start + int(self.village_size[village]))

    def take(self, villages: np.ndarray) -> VillagerState:
        """The villagers of these villages (a part of the region, e.g. one kabupaten) as a new
        state with villages renumbered 0.. in the given order; households keep their ids."""
        villages = np.asarray(villages, dtype=np.int64)
        rows = np.concatenate([self.rows_of(int(v)) for v in villages]) if len(villages) else np.zeros(0, np.int64)
        size = self.village_size[villages]
        renumber = np.full(len(self.village_size), -1, dtype=np.int32)
        renumber[villages] = np.arange(len(villages), dtype=np.int32)
        fields = {f: getattr(self, f)[rows].copy() for f in PERSON_FIELDS}
        fields["village"] = renumber[self.village[rows]]
        return VillagerState(**fields, village_start=np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64),
                             village_size=size.copy())

    @staticmethod
    def concat(parts: list[VillagerState], villages: list[np.ndarray]) -> VillagerState:
        """Put parts made by `take` back together; `villages[i]` are part i's villages in the
        whole region's numbering, and the result is in region order."""
        order = np.concatenate(villages)
        n_v = len(order)
        size = np.zeros(n_v, dtype=parts[0].village_size.dtype)
        for p, vs in zip(parts, villages):
            size[vs] = p.village_size
        start = np.concatenate([[0], np.cumsum(size)[:-1]]).astype(np.int64)
        n = int(size.sum())
        out = {}
        for f in PERSON_FIELDS:
            arr = np.empty(n, dtype=getattr(parts[0], f).dtype)
            for p, vs in zip(parts, villages):
                for j, v in enumerate(vs):
                    a, b = int(p.village_start[j]), int(p.village_start[j] + p.village_size[j])
                    arr[start[v] : start[v] + (b - a)] = getattr(p, f)[a:b]
            out[f] = arr
        out["village"] = np.repeat(np.arange(n_v, dtype=np.int32), size)
        return VillagerState(**out, village_start=start, village_size=size)


PERSON_FIELDS = ("village", "household", "voter", "lean", "camp", "partisanship", "identity", "hardship",
                 "risk_aversion", "threshold", "tension", "legitimacy", "state", "rumour", "story", "jail")


def _beta_with_mean(rng: np.random.Generator, mean: float, size: int, kappa: float = 2.0) -> np.ndarray:
    """Beta(kappa*m, kappa*(1-m)); kappa=2 and m=0.5 is Epstein's U(0,1)."""
    m = min(max(mean, 1e-3), 1 - 1e-3)
    return rng.beta(kappa * m, kappa * (1 - m), size=size).astype(np.float32)


def _categorical_by_village(rng: np.random.Generator, probs: np.ndarray, village: np.ndarray) -> np.ndarray:
    """Draw one category per person from their village's distribution (rows of `probs`)."""
    cdf = np.cumsum(probs, axis=1)
    cdf[:, -1] = 1.0
    u = rng.random(len(village))
    # the category is how many of the village's cumulative probabilities u exceeds: counted one
    # category at a time (the same counts as comparing with every row at once and summing along
    # it, without a people x categories temporary and its slow short-axis sum)
    out = np.zeros(len(village), dtype=np.int8)
    for column in cdf.T:
        out += u > column[village]
    return out


def _households(rng: np.random.Generator, village: np.ndarray, mean_size: float) -> np.ndarray:
    """Contiguous households of size 1 + Poisson(mean - 1), cut at village boundaries."""
    n = len(village)
    sizes = 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=n // max(int(mean_size), 1) + 16)
    while sizes.sum() < n:
        sizes = np.concatenate([sizes, 1 + rng.poisson(max(mean_size - 1.0, 0.0), size=1024)])
    hh = np.repeat(np.arange(len(sizes)), sizes)[:n]  # person i's household: the block that holds i
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
        story=np.full(n, -1, dtype=np.int8),
        jail=np.zeros(n, dtype=np.int16),
        village_start=start,
        village_size=pop,
    )
