"""Hoax and black-campaign spreading: the Maki-Thompson rumour model on the social network.

Ignorant / spreader / stifler (Maki & Thompson 1973; Daley & Kendall 1965). A spreader who
contacts an ignorant person makes them a spreader; a spreader who contacts a spreader or a stifler
becomes a stifler (only the initiator is stifled, as in Maki-Thompson). A day is split into
`substeps` so that simultaneous contacts approximate the continuous-time process; in the
well-mixed limit with one initial spreader the share never hearing the rumour tends to 0.203
(Sudbury 1985), which tests/test_kernels.py checks.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from common.levels import Rumour

ContactFn = Callable[[np.ndarray, np.random.Generator], np.ndarray]


def well_mixed_contacts(n: int) -> ContactFn:
    """Contacts drawn uniformly from everyone else: the classic homogeneous-mixing limit."""

    def pick(people: np.ndarray, rng: np.random.Generator) -> np.ndarray:
        other = rng.integers(0, n - 1, len(people))
        return other + (other >= people)

    return pick


def maki_thompson_substep(
    rumour: np.ndarray, contact_prob: float, contacts: ContactFn, rng: np.random.Generator
) -> int:
    """One synchronous substep; returns how many people first heard the rumour. Mutates `rumour`."""
    spreaders = np.flatnonzero(rumour == Rumour.SPREADER)
    if len(spreaders) == 0:
        return 0
    if contact_prob < 1.0:
        spreaders = spreaders[rng.random(len(spreaders)) < contact_prob]
    partner = contacts(spreaders, rng)
    ok = partner >= 0
    spreaders, partner = spreaders[ok], partner[ok]
    partner_state = rumour[partner]
    told = partner[partner_state == Rumour.IGNORANT]
    rumour[spreaders[partner_state != Rumour.IGNORANT]] = Rumour.STIFLER
    rumour[told] = Rumour.SPREADER
    return _distinct(told, len(rumour))


def _distinct(idx: np.ndarray, n: int) -> int:
    """Number of distinct values in `idx` (all < n) in O(len(idx)): write each position's number
    into a scratch array; exactly one position per distinct value reads its own number back."""
    if len(idx) < 2:
        return len(idx)
    slot = np.empty(n, dtype=np.int64)
    pos = np.arange(len(idx))
    slot[idx] = pos
    return int(np.count_nonzero(slot[idx] == pos))


def spread_day(
    rumour: np.ndarray,
    contacts_per_day: float,
    substeps: int,
    contacts: ContactFn,
    rng: np.random.Generator,
) -> int:
    """A day of spreading: `substeps` substeps with contact probability contacts_per_day/substeps."""
    if contacts_per_day <= 0:
        return 0
    per_sub = contacts_per_day / substeps
    told = 0
    # more than one contact per substep is split into whole rounds plus a fractional one
    whole, frac = int(per_sub), per_sub - int(per_sub)
    for _ in range(substeps):
        for _ in range(whole):
            told += maki_thompson_substep(rumour, 1.0, contacts, rng)
        if frac > 0:
            told += maki_thompson_substep(rumour, frac, contacts, rng)
    return told


def run_to_extinction(
    rumour: np.ndarray, contacts: ContactFn, rng: np.random.Generator, contact_prob: float = 0.1, max_substeps: int = 1_000_000
) -> int:
    """Spread until no spreader is left (the classic final-size experiment); returns substeps used."""
    for k in range(max_substeps):
        if not (rumour == Rumour.SPREADER).any():
            return k
        maki_thompson_substep(rumour, contact_prob, contacts, rng)
    return max_substeps


def inject(rumour: np.ndarray, people: np.ndarray) -> np.ndarray:
    """Seed a hoax: ignorant people among `people` become spreaders; returns who was seeded."""
    fresh = people[rumour[people] == Rumour.IGNORANT]
    rumour[fresh] = Rumour.SPREADER
    return fresh


def counter_message(rumour: np.ndarray, reached: np.ndarray, effect: float, rng: np.random.Generator) -> int:
    """Counter-messaging by tokoh or Kades: reached spreaders stop (become stiflers) with prob
    `effect`, reached ignorant people are inoculated with prob effect/2. Returns people changed."""
    if len(reached) == 0 or effect <= 0:
        return 0
    st = rumour[reached]
    u = rng.random(len(reached))
    hit = ((st == Rumour.SPREADER) & (u < effect)) | ((st == Rumour.IGNORANT) & (u < effect / 2))
    rumour[reached[hit]] = Rumour.STIFLER
    return int(hit.sum())


def forget(rumour: np.ndarray, rate: float, rng: np.random.Generator) -> None:
    """Stiflers forget the old story at `rate` per day, so a later hoax can reach them again."""
    if rate <= 0:
        return
    st = np.flatnonzero(rumour == Rumour.STIFLER)
    rumour[st[rng.random(len(st)) < rate]] = Rumour.IGNORANT
