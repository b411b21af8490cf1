"""The model's state, named: who the villagers are (`VillagerState`, simulation/population.py),
what each village is living through (`Villages`), the structures only active supporters need
(`Partisans`), what today is (`Today`), what the run has produced so far (`Tally`) and who acts
(`Forces`). The day's phases (simulation/day.py) read and write these objects and nothing else.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from common.levels import NO_CAMP
from simulation.calendar import DayStage
from simulation.network import SocialNetwork
from simulation.population import VillagerState

NEVER = 10_000  # "days since the last incident" of a village that never had one


@dataclass
class Villages:
    """Per-village arrays (one row per desa/kelurahan; `(nv, camps)` where per camp)."""

    # today's, cleared each morning
    presence: np.ndarray  # officers in the village (deterrence; Babinsa count `babinsa_presence_weight`)
    arresting: np.ndarray  # of whom police, who can arrest
    mediation: np.ndarray  # strength of today's mediation (0 none)
    money_today: np.ndarray  # (nv, k) money politics handed out today, by camp
    rally_today: np.ndarray  # (nv, k) bool: a camp rallied here today
    violence_exposure: np.ndarray  # how much violence people saw here today (0..1)
    outrage: np.ndarray  # (nv, k) a camp attacked here yesterday (campaign violence, §7.22)
    # carried from day to day
    mediation_next: np.ndarray  # requested for tomorrow morning
    mediators: dict[int, str]  # who asked for tomorrow's mediation
    outrage_next: np.ndarray  # (nv, k) attacks today, felt tomorrow
    counter_hoax_until: np.ndarray  # last day of a running counter-hoax campaign (-1 none)
    money_seen: np.ndarray  # remembered money politics (fading)
    money_seen_by_camp: np.ndarray  # (nv, k)
    days_since_incident: np.ndarray
    alert_index: np.ndarray
    alert_level: np.ndarray
    worst_alert: np.ndarray
    # totals over the run
    incidents: np.ndarray
    participants: np.ndarray
    arrests: np.ndarray
    first_incident: np.ndarray  # day, -1 none
    mediation_days: np.ndarray
    healed: np.ndarray  # incidents' worth of the violence penalty lifted by reconciliation (§7.24)
    recovery_next: np.ndarray  # day of the next reconciliation meeting (-1 none)
    recovery_left: np.ndarray  # meetings still to hold
    police_days: np.ndarray
    voting_disrupted: np.ndarray
    # fixed for the run
    supporters: np.ndarray  # (nv, k) active supporters
    asn_visible: np.ndarray  # visible non-neutral civil servants
    asn_offended: np.ndarray  # (k,) camps offended by them
    partisan_kades_offends: np.ndarray  # (nv, k) 1 where the Kades favours another camp
    organiser_offends: np.ndarray  # (nv, k) 1 where the PPS/KPPS favour another camp (§7.26)

    @classmethod
    def empty(cls, n_villages: int, n_camps: int, people: VillagerState) -> Villages:
        nv, k = n_villages, n_camps

        def z(dtype: Any = np.float64) -> np.ndarray:
            return np.zeros(nv, dtype=dtype)

        supporters = np.zeros((nv, k), dtype=np.int64)
        members = people.camp != NO_CAMP
        np.add.at(supporters, (people.village[members], people.camp[members]), 1)
        return cls(
            presence=z(), arresting=z(), mediation=z(), money_today=np.zeros((nv, k)),
            rally_today=np.zeros((nv, k), dtype=bool), violence_exposure=z(), outrage=np.zeros((nv, k)),
            mediation_next=z(), mediators={}, outrage_next=np.zeros((nv, k)), counter_hoax_until=np.full(nv, -1, dtype=np.int64),
            money_seen=z(), money_seen_by_camp=np.zeros((nv, k)),
            days_since_incident=np.full(nv, NEVER, dtype=np.int64),
            alert_index=z(), alert_level=z(np.int8), worst_alert=z(np.int8),
            incidents=z(np.int64), participants=z(np.int64), arrests=z(np.int64),
            first_incident=np.full(nv, -1, dtype=np.int64), mediation_days=z(np.int64),
            healed=z(), recovery_next=np.full(nv, -1, dtype=np.int64), recovery_left=z(np.int64),
            police_days=z(np.float64), voting_disrupted=z(bool),
            supporters=supporters, asn_visible=z(bool), asn_offended=np.ones(k),
            partisan_kades_offends=np.zeros((nv, k)), organiser_offends=np.zeros((nv, k)),
        )

    def take(self, villages: np.ndarray) -> Villages:
        """The rows of these villages (a part of the region), as a new object."""
        out = {}
        for name, value in vars(self).items():
            if name == "mediators":
                out[name] = {i: value[int(v)] for i, v in enumerate(villages) if int(v) in value}
            elif name == "asn_offended":
                out[name] = value.copy()
            else:
                out[name] = value[villages].copy()
        return Villages(**out)

    @classmethod
    def concat(cls, parts: list[Villages], villages: list[np.ndarray]) -> Villages:
        """Put parts taken with `take` back in region order (`villages[i]` are part i's rows)."""
        order = np.concatenate(villages)
        inverse = np.empty_like(order)
        inverse[order] = np.arange(len(order))
        out: dict[str, Any] = {}
        for name in vars(parts[0]):
            if name == "mediators":
                out[name] = {int(rows[i]): who for p, rows in zip(parts, villages) for i, who in p.mediators.items()}
            elif name == "asn_offended":
                out[name] = parts[0].asn_offended.copy()
            else:
                out[name] = np.concatenate([getattr(p, name) for p in parts])[inverse]
        return cls(**out)


@dataclass(frozen=True)
class Partisans:
    """Active supporters (the only people who can mobilise) and their same-camp structure: the
    escalation kernel works on these rows alone."""

    index: np.ndarray  # villager rows
    same_camp: sp.csr_matrix  # offline ties between supporters of the same camp
    camp_groups: sp.csr_matrix  # supporter x (WhatsApp group, camp) incidence
    camp_groups_t: sp.csr_matrix
    group_member: np.ndarray  # float32 1 if in a group
    contacts: np.ndarray  # float32 same-camp contacts, offline plus group-mates

    @classmethod
    def build(cls, people: VillagerState, network: SocialNetwork, n_camps: int) -> Partisans:
        index = np.flatnonzero(people.camp >= 0)
        same = network.same_camp_among(people.camp, index)  # = same_camp(camp)[index][:, index]
        degree = np.asarray(same.sum(axis=1)).ravel().astype(np.float32)
        groups, mates = network.camp_groups(index, people.camp, n_camps)
        return cls(
            index=index, same_camp=same, camp_groups=groups, camp_groups_t=groups.T.tocsr(),
            group_member=(np.diff(groups.indptr) > 0).astype(np.float32), contacts=degree + mates,
        )

    # lazily, for `support`'s few-out path: the offline ties by column (CSC) and whether every
    # structure holds only ones (so every sum below is a small whole number)
    _by_column: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def support(self, out: np.ndarray) -> np.ndarray:
        """Same-camp contacts already out, offline and in one's WhatsApp group (one sparse round trip).

        When few are out (a small share of supporters on most days), the same numbers from those
        few people's ties alone: with 0/1 flags and structures of ones, every product and sum is a
        whole number below 2**24, exact in float32 whatever the order of addition, so counting
        the ties of the people out gives every entry bit for bit (zeros included: +0.0 both ways)."""
        n = len(out)
        nz = np.flatnonzero(out)
        if 8 * len(nz) <= n and self._unit_structures() and out.dtype == np.float32 and bool(np.all(out[nz] == 1)):
            return self._support_of_few(nz, n)
        return self.same_camp @ out + self.camp_groups @ (self.camp_groups_t @ out) - out * self.group_member

    def _unit_structures(self) -> bool:
        c = self._by_column
        if "unit" not in c:
            s, g = self.same_camp, self.camp_groups
            gt = self.camp_groups_t
            unit = (
                s.dtype == np.float32 and g.dtype == np.float32 and gt.dtype == np.float32
                and self.group_member.dtype == np.float32
                and bool(np.all(s.data == 1)) and bool(np.all(g.data == 1)) and bool(np.all(gt.data == 1))
            )
            if unit and s.shape[0]:
                # the largest any partial sum can be (all out): every count below stays under 2**24
                reach = g @ np.diff(gt.indptr).astype(np.float64) if g.shape[1] else np.zeros(g.shape[0])
                unit = float(np.diff(s.indptr).max() + reach.max(initial=0.0)) < 2**24
            if unit:
                c["offline"] = s.tocsc()  # column j: who has j among their ties
                unit = bool(np.all(c["offline"].data == 1))
            c["unit"] = unit
        return c["unit"]

    def _support_of_few(self, nz: np.ndarray, n: int) -> np.ndarray:
        if len(nz) == 0:
            return np.zeros(n, dtype=np.float32)
        cols = self._by_column["offline"]
        counts = np.bincount(_segments(cols.indptr, cols.indices, nz), minlength=n)  # offline ties out
        gt = self.camp_groups_t
        in_group = np.bincount(_segments(self.camp_groups.indptr, self.camp_groups.indices, nz), minlength=gt.shape[0])
        groups = np.flatnonzero(in_group)
        if len(groups):
            members = _segments(gt.indptr, gt.indices, groups)
            lengths = gt.indptr[groups + 1] - gt.indptr[groups]
            counts = counts + np.bincount(members, weights=np.repeat(in_group[groups], lengths), minlength=n).astype(np.int64)
        counts[nz] -= self.group_member[nz].astype(np.int64)  # oneself, counted in one's own group
        return counts.astype(np.float32)


def _segments(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """indices of the given CSR rows, one row after another."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    offsets = np.cumsum(lengths) - lengths
    return indices[np.repeat(starts - offsets, lengths) + np.arange(total)]


@dataclass
class Today:
    """What is particular to the day being simulated."""

    day: int
    stage: DayStage
    rally_attendee: np.ndarray  # per person: at a rally of their camp today
    tps_support: np.ndarray  # per person: support felt at the TPS today
    officer_days: float = 0.0
    gathering: bool = False  # a rally or the TPS today: the two arrays above hold something
    rallies: list[tuple[int, int, np.ndarray]] = field(default_factory=list)  # (village, camp, who came) today


@dataclass
class ElectionResult:
    shares: list[float]
    winner: int
    margin: float
    disputed: bool
    dispute_probability: float = float("nan")  # what the dispute was decided with


@dataclass
class Tally:
    """What the run has produced so far (read by simulation/metrics.py)."""

    incidents: list[dict[str, Any]] = field(default_factory=list)
    arrests: int = 0
    hoax_injections: int = 0
    officer_days: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    # per race (simulation/races.py): counted on its voting day, announced on its result day
    votes_by_race: list[ElectionResult | None] = field(default_factory=lambda: [None])
    result_by_race: list[ElectionResult | None] = field(default_factory=lambda: [None])
    voted: np.ndarray | None = None  # who voted in the latest count
    # backup asked of the level above (ODD §7.13a): one "ask" per village from its first request
    # until it is granted, withdrawn or given up after `officials.backup_expiry_days`
    backup_open: dict[int, int] = field(default_factory=dict)  # village -> day first asked
    backup_requests: int = 0
    backup_granted: int = 0
    backup_unmet: int = 0
    backup_wait_days: int = 0  # summed over granted asks: grant day - day first asked
    conflict_status_days: int = 0  # kabupaten-days under a Status Keadaan Konflik (§7.13c)

    def backup_ask(self, village: int, day: int, expiry_days: int) -> bool:
        """Count a request for backup; True when it opens a new ask (an ask older than
        `expiry_days` is given up, counted unmet, and a new one opens)."""
        asked = self.backup_open.get(village)
        if asked is not None and day - asked <= expiry_days:
            return False
        if asked is not None:
            self.backup_unmet += 1
        self.backup_open[village] = day
        self.backup_requests += 1
        return True

    def backup_grant(self, village: int, day: int) -> None:
        asked = self.backup_open.pop(village, day)
        self.backup_granted += 1
        self.backup_wait_days += day - asked

    def backup_close(self, village: int, unmet: bool) -> None:
        """An ask ends without backup: given up (`unmet`), or withdrawn because a team got there."""
        if self.backup_open.pop(village, None) is not None and unmet:
            self.backup_unmet += 1

    @property
    def votes(self) -> ElectionResult | None:
        """The first race's count (with one race over the region: the count)."""
        return self.votes_by_race[0]

    @property
    def result(self) -> ElectionResult | None:
        """The first race's announced result (with one race over the region: the result)."""
        return self.result_by_race[0]

    @property
    def disputed_winner(self) -> int | None:
        r = self.result
        return r.winner if r is not None and r.disputed else None

    def disputed_winner_of(self, race_of_village: np.ndarray) -> int | np.ndarray | None:
        """Whose win is disputed: one camp (or None) with one race, else per village (-1: none)."""
        if len(self.result_by_race) == 1:
            return self.disputed_winner
        w = np.array([r.winner if r is not None and r.disputed else -1 for r in self.result_by_race])
        return w[race_of_village] if (w >= 0).any() else None

    def winner_of(self, race_of_village: np.ndarray, announced: bool = True) -> np.ndarray:
        """Per village, the winner of its race's count (`announced`: once announced), -1 before."""
        by_race = self.result_by_race if announced else self.votes_by_race
        return np.array([r.winner if r is not None else -1 for r in by_race])[race_of_village]


@dataclass
class Forces:
    """Who acts: officials, police, supporter groups and tokoh (Mesa agents), plus the tokoh's
    table for the vectorised daily effect."""

    kades: list
    camats: list
    bhabin: list
    babinsa: list
    polsek: list
    polres: list  # every backup team above the Polsek: Polres teams (and Brimob platoons, pooled)
    supporter_groups: list
    tokoh: list
    tokoh_village: np.ndarray
    tokoh_inflaming: np.ndarray
    tokoh_engaged_days: np.ndarray
    polda: Any = None  # agents.command.Polda under `officials.backup_mode = "pooled"`, else None
    tim_terpadu: list = field(default_factory=list)  # agents.tim_terpadu.TimTerpadu per kabupaten, when on
    province: Any = None  # agents.province.ProvincialTimTerpadu, when on
    kodam: Any = None  # agents.command.Kodam: the province's TNI platoons, with the Tim Terpadu

    def village_officers(self) -> tuple:
        return (*self.bhabin, *self.babinsa)

    def police_units(self) -> list:
        return [u for ps in self.polsek for u in ps.units] + list(self.polres)
