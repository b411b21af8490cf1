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
from typing import NamedTuple

import numpy as np

from common.levels import Rumour
from simulation.dynamics.identity import believe as _believe

ContactFn = Callable[[np.ndarray, np.random.Generator], np.ndarray]

# plain ints for the comparisons over many people: an int8 array against an IntEnum member is
# about ten times slower than against the int itself (the same booleans)
_IGNORANT, _SPREADER, _STIFLER = int(Rumour.IGNORANT), int(Rumour.SPREADER), int(Rumour.STIFLER)


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
    return _substep(rumour, np.flatnonzero(rumour == Rumour.SPREADER), contact_prob, contacts, rng)[0]


class Stories(NamedTuple):
    """Identity (SARA) in hoaxes (simulation/dynamics/identity.py): each person's group, the group
    the story they carry targets (-1 none), and how likely a story against one's own group is believed."""

    identity: np.ndarray
    target: np.ndarray
    own_group_belief: float


def _substep(
    rumour: np.ndarray, spreaders: np.ndarray, contact_prob: float, contacts: ContactFn, rng: np.random.Generator,
    stories: Stories | None = None,
) -> tuple[int, np.ndarray]:
    """A substep given the current spreaders (ascending); returns (newly told, spreaders after it),
    so that a day's substeps need not scan everyone for spreaders each time. With `stories`, the
    told take the story up only if they believe it (else they drop it: stiflers) and carry its target."""
    if len(spreaders) == 0:
        return 0, spreaders
    active = spreaders
    if contact_prob < 1.0:
        active = spreaders[rng.random(len(spreaders)) < contact_prob]
    partner = contacts(active, rng)
    ok = partner >= 0
    active, partner = active[ok], partner[ok]
    partner_state = rumour[partner]
    told = partner[partner_state == _IGNORANT]
    stifled = active[partner_state != _IGNORANT]
    rumour[stifled] = Rumour.STIFLER
    if stories is not None and len(told):
        target = stories.target[active[partner_state == Rumour.IGNORANT]]
        ok = _believe(stories.identity[told], target, stories.own_group_belief, rng)
        stories.target[told] = target
        rumour[told[~ok]] = Rumour.STIFLER
        told = told[ok]
    rumour[told] = Rumour.SPREADER
    # still spreading: those not stifled; then the newly told, merged in ascending order
    kept = spreaders[rumour[spreaders] == _SPREADER]
    if len(told) == 0:
        return 0, kept
    new = np.sort(told)
    first = np.empty(len(new), dtype=bool)  # each newly told person once (np.r_ costs more than the test)
    first[0] = True
    np.not_equal(new[1:], new[:-1], out=first[1:])
    new = new[first]
    # two ascending runs: the stable sort (a merge of runs) is several times faster than the
    # default quicksort here, and integers sort to the same array either way
    return len(new), np.sort(np.concatenate([kept, new]), kind="stable")


class DaySpread(NamedTuple):
    told: int  # people who first heard the story today
    spreaders: np.ndarray  # everyone spreading at the end of the day, ascending


def spread_day(
    rumour: np.ndarray,
    contacts_per_day: float,
    substeps: int,
    contacts: ContactFn,
    rng: np.random.Generator,
    stories: Stories | None = None,
) -> DaySpread:
    """A day of spreading: `substeps` substeps with contact probability contacts_per_day/substeps.
    The day's spreaders come back with the count, so that later phases need not scan everyone."""
    spreaders = np.flatnonzero(rumour == _SPREADER)
    if contacts_per_day <= 0:
        return DaySpread(0, spreaders)
    per_sub = contacts_per_day / substeps
    told = 0
    # more than one contact per substep is split into whole rounds plus a fractional one
    whole, frac = int(per_sub), per_sub - int(per_sub)
    for _ in range(substeps):
        for _ in range(whole):
            n, spreaders = _substep(rumour, spreaders, 1.0, contacts, rng, stories)
            told += n
        if frac > 0:
            n, spreaders = _substep(rumour, spreaders, frac, contacts, rng, stories)
            told += n
    return DaySpread(told, spreaders)


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


def counter_message(rumour: np.ndarray, reached: np.ndarray, effect: float | np.ndarray, rng: np.random.Generator) -> int:
    """Counter-messaging by tokoh or Kades: reached spreaders stop (become stiflers) with prob
    `effect`, reached ignorant people are inoculated with prob effect/2. Returns people changed.
    `effect` may be one number or one per person reached."""
    return int(_counter_hits(rumour, reached, effect, rng).sum())


def counter_message_villages(
    rumour: np.ndarray, village_start: np.ndarray, village_size: np.ndarray, villages: np.ndarray, effects: np.ndarray,
    rng: np.random.Generator,
) -> np.ndarray:
    """Counter-messaging in several villages at once (everyone in each is reached, with the
    village's effect); returns the people changed per village. The same draws as one
    `counter_message` call per village in this order: consecutive uniforms are one batch."""
    counts = np.zeros(len(villages), dtype=np.int64)
    live = effects > 0  # a village with no effect draws nothing, as counter_message does
    if not live.any():
        return counts
    vs, sizes = villages[live], village_size[villages[live]].astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rows = np.repeat(village_start[vs] - offsets, sizes) + np.arange(int(sizes.sum()))
    hit = _counter_hits(rumour, rows, np.repeat(effects[live], sizes), rng)
    counts[live] = np.add.reduceat(hit, offsets, dtype=np.int64)
    return counts


def _counter_hits(rumour: np.ndarray, reached: np.ndarray, effect: float | np.ndarray, rng: np.random.Generator) -> np.ndarray:
    if len(reached) == 0 or np.all(np.asarray(effect) <= 0):
        return np.zeros(len(reached), dtype=bool)
    st = rumour[reached]
    u = rng.random(len(reached))
    hit = ((st == Rumour.SPREADER) & (u < effect)) | ((st == Rumour.IGNORANT) & (u < effect / 2))
    rumour[reached[hit]] = Rumour.STIFLER
    return hit


def forget(rumour: np.ndarray, rate: float, rng: np.random.Generator) -> None:
    """Stiflers forget the old story at `rate` per day, so a later hoax can reach them again."""
    if rate <= 0:
        return
    st = np.flatnonzero(rumour == _STIFLER)
    rumour[st[rng.random(len(st)) < rate]] = Rumour.IGNORANT
