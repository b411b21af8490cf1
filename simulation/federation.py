"""A province as one simulation in parts: a SiagaModel per kabupaten/kota, coupled once a day.

`siaga run SCENARIO --partition kabupaten` (docs/ODD.md §7.13e, docs/CLUSTER.md). Each kab/kota of
the scenario becomes a member: a SiagaModel of its own kecamatan and villages, with its own seed
drawn from the run's seed and its index (`numpy.random.SeedSequence`), its own Polres teams and its
own race's calendar (shifted as `calendar.stagger_days` says). The province (`Province`) holds what
the members share: the Polda's Brimob platoons. Once a day, after every member has run the day, each
sends the asks for backup its own Polres could not meet and the violence its villages saw that day;
the province serves the asks oldest first (then kabupaten, then village), a free platoon to each
while any is free, and passes each border village the violence seen across the border next door,
and each villager who knows someone across a border that person's tension tonight
(simulation/border_ties.py); each member takes all of it in before its next day (platoons as a
Polda serves in the evening, the violence next door and the tension of contacts across into the
next day's tension, where a model reads its own). A platoon is lent for its stay and free again
from the evening it leaves.

Because the members exchange only that, a member's day depends on nothing but its own state and
what the province sent it, so the same scenario and seed give exactly the same run whether the
members run one after another in this process (`InProcess`) or each on a worker of a Dask cluster
(`DaskMembers`: one actor per member; the day's barrier is waiting for every member's answer).

What a partitioned province leaves out, next to one SiagaModel of the whole province: hoaxes
spreading, crowds and convoys across kab/kota borders (ties across carry tension only), and Brimob
and Kodam platoons served during the day (here: in the evening only). The Brimob posture is kept, wave by wave (`Province.station`), the
provincial Tim Terpadu hears the members' pictures (`Province.hear`) and the Kodam lends its
platoons (`Province.serve_kodam`). It is a different model of the same
province, not a faster way to the same numbers; `tests/test_federation.py` checks that it is one
simulation (in process = on a cluster).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import scipy.sparse as sp

from scenarios.schema import Scenario
from simulation.border_ties import Across, BorderTies
from simulation.races import Races
from simulation.region import Region, build_region
from simulation.rng import Streams

# outcomes that add up over the members (the others are per member only)
ADDITIVE = (
    "incidents", "incident_participants", "incidents_reported", "deaths", "injured", "buildings_damaged",
    "villages_with_violence", "arrests", "voting_disrupted_villages", "officer_days", "intervention_cost", "disputed",
    "hoax_injections", "backup_requests", "backup_granted", "backup_unmet", "conflict_status_days",
)


@dataclass(frozen=True)
class Member:
    """One kab/kota of a partitioned province: its scenario (a plain dict) and seed."""

    index: int
    code: str
    data: dict[str, Any]
    seed: int
    villages: tuple[str, ...]  # its village codes, in its model's order
    kodam: bool = False  # its Tim Terpadu may ask the province's Kodam (§7.13c)
    across: Across | None = None  # its people's ties across its borders (simulation/border_ties.py)


def member_seed(seed: int, index: int) -> int:
    """The member's own seed: independent streams per kab/kota, the same on any machine."""
    return int(np.random.SeedSequence([int(seed), int(index)]).generate_state(1, np.uint64)[0] & ((1 << 63) - 1))


def province_region(spec: Scenario, seed: int) -> Region:
    """The whole province's region (no people), as one model of it would build it."""
    return build_region(spec, Streams(seed).layout)


def members(spec: Scenario, seed: int, region: Region | None = None) -> list[Member]:
    """One member per kab/kota of `spec`, in code order. Each keeps the scenario's every setting
    but its region (its own kecamatan, neighbours inside it, its Polres seat) and its calendar
    (shifted by its race's offset, §7.1a); its Brimob platoons are the province's."""
    if spec.region.synthetic is not None or not spec.region.kecamatan:
        raise ValueError("--partition kabupaten needs a real region ([[region.kecamatan]] or region.place), not a synthetic one")
    if spec.officials.backup_mode != "pooled":
        raise ValueError("--partition kabupaten needs officials.backup_mode = \"pooled\": the province lends the Polda's Brimob "
                         "platoons, which exist only in that mode")
    region = province_region(spec, seed) if region is None else region
    races = Races.build(spec.calendar, region)
    # only what the scenario set: a default written out would override a policy preset on reloading
    base = spec.model_dump(mode="python", exclude_unset=True, exclude={"region": {"place"}})
    out = []
    kab_of = {c: 0 if region.kabupaten_of_kecamatan is None else int(region.kabupaten_of_kecamatan[i])
              for i, c in enumerate(region.kecamatan_codes)}
    for j, kab in enumerate(region.kabupaten_codes):
        kecs = [k for k in spec.region.kecamatan if kab_of[k.code] == j]
        own = {v.code for k in kecs for v in k.villages}
        kec_data = []
        for k in kecs:
            kd = k.model_dump(mode="python")
            for v in kd["villages"]:
                if v.get("neighbours") is not None:
                    v["neighbours"] = [n for n in v["neighbours"] if n in own]
            kec_data.append(kd)
        data = {**base, "region": {**base["region"], "kecamatan": kec_data, "synthetic": None,
                                   "polres_seat": region.codes[region.polres_seat_of(j)], "kabupaten_code": kab}}
        offset = int(races.offsets[races.of_kabupaten(j)])
        data["calendar"] = _shifted(base["calendar"], offset)
        data["officials"] = {**base.get("officials", {}), "brimob_backup_units": 0, "kodam_units": 0}
        if spec.policy.province.enabled:  # the provincial Tim Terpadu is the province's, not a member's
            data["policy"] = {**base.get("policy", {}), "province": {**base.get("policy", {}).get("province", {}), "enabled": False}}
        out.append(Member(j, kab, data, member_seed(seed, j), tuple(v.code for k in kecs for v in k.villages),
                          bool(spec.officials.kodam_units and spec.policy.tim_terpadu.enabled)))
    return out


def _shifted(calendar: dict[str, Any], offset: int) -> dict[str, Any]:
    """The calendar of a race `offset` days later, over the same window, as one race."""
    import datetime as dt

    d = dt.timedelta(days=offset)
    stages = [{**s, "start": s["start"] + d, "end": s["end"] + d} for s in calendar["stages"]]
    out = {**calendar, "voting_day": calendar["voting_day"] + d, "result_day": calendar["result_day"] + d,
           "stages": stages, "races": "region", "stagger_days": 0}
    out.pop("stagger_waves", None)
    return out


class MemberRun:
    """A member's SiagaModel and its side of the daily exchange (what runs on a worker)."""

    def __init__(self, data: dict[str, Any], seed: int, kodam: bool = False, across: Across | None = None):
        from agents.command import KodamDesk
        from simulation.model import SiagaModel

        self.model = SiagaModel(data, seed=seed)
        if kodam:  # the Tim Terpadu's asks for the province's Kodam go up in the evening
            self.model.forces.kodam = KodamDesk(self.model)
        self.exports = np.zeros(0, dtype=np.int64)
        if across is not None:
            people = self.model.people
            for v, p in ((across.village, across.person), (across.export_village, across.export_person)):
                if len(v) and np.any(p >= people.village_size[v]):
                    raise ValueError("a tie across the border names a person beyond its village's population: "
                                     "the province and this member disagree about the villages")
            if across.n_ties:
                self.model.tie_across(people.village_start[across.village] + across.person, across.slot, across.n_slots)
            self.exports = people.village_start[across.export_village] + across.export_person

    def exported(self) -> np.ndarray:
        """Tonight's tension of the people others read across the border (`Across.export_*`)."""
        return self.model.people.tension[self.exports].copy()

    def day(self, grants: list[tuple[int, int, int]], next_door: np.ndarray | None = None, stationed: int = 0,
            handed: int = 0, recall: bool = False, kodam: list[tuple[int, int, int]] = (),
            outside: np.ndarray | None = None) -> dict[str, Any]:
        """Take in yesterday evening's platoons (village, arrive day, stay), the violence seen next
        door across the border yesterday (per village), this morning's posture: platoons put
        under its Polres (`stationed`), free stationed platoons it hands over now (`handed`), and
        `recall`: the others go back as soon as they are free; and the tension of the people its
        villagers know across the border (`outside`, one per slot). Run one day; return the asks for
        backup left waiting tonight (first asked, village), today's violence per village, the
        stationed platoons given back tonight and those still held and free, its exports' tension
        and the seconds spent."""
        t = time.perf_counter()
        m = self.model
        polda = m.forces.polda
        polda.return_lent()
        if handed:
            polda.give_back_bko(handed)
        if recall:
            polda.recall_bko()
        if stationed:
            polda.take_bko(m.day, stationed)
        for village, arrive, stay in grants:
            polda.lend(m.day - 1, village, arrive, stay)
        desk = m.forces.kodam
        if desk is not None:
            desk.return_lent()
            for village, arrive, stay in kodam:
                desk.lend(m.day - 1, village, arrive, stay)
        if m.running:
            m.external_exposure = next_door if next_door is not None and next_door.any() else None
            m.outside_tension = outside
            m.step()
        returned = polda.give_back_bko()
        return {"day": m.day - 1, "asks": polda.waiting_asks(), "exposure": m.villages.violence_exposure.copy(),
                "returned": returned, "idle": polda.idle_bko(), "picture": self.picture(),
                "kodam_asks": desk.take_asks() if desk is not None else [], "running": bool(m.running),
                "exported": self.exported(),
                "seconds": time.perf_counter() - t, "process": os.getpid()}

    def picture(self) -> tuple[int, int]:
        """What its Tim Terpadu remembers tonight: villages at AWAS and at its convene level or
        above (what goes up to a provincial Tim Terpadu, agents/province.py); (0, 0) without one."""
        m = self.model
        if not m.forces.tim_terpadu:
            return (0, 0)
        from agents.province import picture_of

        return picture_of(m.forces.tim_terpadu[0], m.day - 1)

    def outcomes(self) -> dict[str, Any]:
        return self.model.outcomes()

    def events(self) -> list[tuple]:
        return list(self.model.events.rows)

    def n_days(self) -> int:
        return int(self.model.calendar.n_days)


class Province:
    """The Polda's Brimob platoons, lent to the members (agents/command.py's rule, once a day)."""

    def __init__(self, spec: Scenario, seed: int, parts: list[Member], region: Region | None = None):
        o = spec.officials
        self.o = o
        region = province_region(spec, seed) if region is None else region
        index = {c: i for i, c in enumerate(region.codes)}
        self.seat = int(region.polres_seat)
        # per member: its villages' distance from the Polda in whole days on the road
        km_per_day = o.travel_kmh * o.road_hours_per_day
        self.travel = [
            np.floor(region.distance_km(self.seat, np.array([index[c] for c in p.villages])) * o.road_detour / km_per_day).astype(int)
            for p in parts
        ]
        self.leave_day = [-1] * o.brimob_backup_units  # the last day on site of each platoon; -1: at the Polda
        self.lent = 0
        # the Brimob posture (§7.13a): before each wave's voting day the platoons go under the Polres
        # of that wave's kab/kota
        self.posture = spec.policy.police.brimob_posture
        races = Races.build(spec.calendar, region)
        ahead = spec.policy.police.brimob_days_before_voting
        voting = [int((spec.calendar.voting_day - spec.calendar.start).days + races.offsets[races.of_kabupaten(j)]) for j in range(len(parts))]
        self.station_day = [max(0, v - ahead) for v in voting]
        kab = region.village_kabupaten
        share = np.bincount(kab, weights=region.hotspot.astype(float), minlength=len(parts))
        self.risk_order = np.lexsort((-np.bincount(kab, weights=region.population.astype(float), minlength=len(parts)),
                                      -share / np.maximum(np.bincount(kab, minlength=len(parts)), 1)))
        self.host = [-1] * o.brimob_backup_units  # per platoon: the member it is stationed with (-1: the Polda's)
        self.kodam_leave = [-1] * (o.kodam_units if spec.policy.tim_terpadu.enabled else 0)  # the Kodam's platoons
        self.kodam_lent = 0
        # the provincial Tim Terpadu (§7.13d): each member's picture, late or lost, from its own stream
        self.hears = spec.policy.province.enabled
        self.rng = np.random.default_rng(np.random.SeedSequence([int(seed), len(parts), 0x50524F56]))
        self.inbox: list[tuple[int, int, int, int]] = []  # (arrival day, member, at AWAS, hot)
        self.heard: dict[int, tuple[int, int]] = {}
        # per member: (its villages x the province's villages) adjacency to villages of other members,
        # and where each member's villages sit among the province's
        kab = np.repeat(np.arange(len(parts)), [len(p.villages) for p in parts])
        where = np.array([index[c] for p in parts for c in p.villages])
        owner = np.empty(region.n_villages, dtype=np.int64)
        owner[where] = kab
        adj = region.adjacency.tocoo()
        across = owner[adj.row] != owner[adj.col]
        cross = sp.csr_matrix((adj.data[across], (adj.row[across], adj.col[across])), shape=adj.shape)
        self.where = [where[kab == j] for j in range(len(parts))]
        self.next_door = [cross[w] for w in self.where]

    def violence_next_door(self, exposure: list[np.ndarray]) -> list[np.ndarray]:
        """Per member and village: the violence its neighbours in other members saw today, summed."""
        everywhere = np.zeros(self.next_door[0].shape[1]) if self.next_door else np.zeros(0)
        for w, e in zip(self.where, exposure, strict=True):
            everywhere[w] = e
        return [np.asarray(m @ everywhere) for m in self.next_door]

    def station(self, day: int, returned: list[int], idle: list[int]) -> tuple[list[int], list[int], list[bool]]:
        """Tomorrow morning's posture (`day` is tomorrow; `returned`: platoons each member gave back
        tonight, which return to the Polda; `idle`: stationed platoons each member has free tonight).
        On a wave's station day every member outside the wave hands over its free stationed platoons
        at once and is told to give back the others when they are free (they then come to the
        Polda, to be lent on request), and the platoons at the Polda and free go under the wave's
        kab/kota (`even`: in turn; `risk`: all to the one with the largest hotspot share, then the
        most people), as one model moves them (§7.13a). Returns per member the platoons it takes,
        those it hands over now, and whether it must give back the rest."""
        n = len(self.station_day)
        for j, r in enumerate(returned):
            self._home(j, r)
        stationed, handed, recall = [0] * n, [0] * n, [False] * n
        wave = [j for j in range(n) if self.station_day[j] == day]
        if self.posture == "reactive" or not wave:
            return stationed, handed, recall
        for j in range(n):
            if j not in wave and j in self.host:
                handed[j] = idle[j]
                self._home(j, idle[j])
                recall[j] = j in self.host
        free = [i for i, h in enumerate(self.host) if h == -1 and self.leave_day[i] < day]
        top = next(int(j) for j in self.risk_order if int(j) in wave)
        for k, i in enumerate(free):
            self.host[i] = wave[k % len(wave)] if self.posture == "even" else top
            stationed[self.host[i]] += 1
        return stationed, handed, recall

    def _home(self, member: int, count: int) -> None:
        for i in [i for i, h in enumerate(self.host) if h == member][:count]:
            self.host[i] = -1

    @property
    def held(self) -> list[int]:
        return [sum(1 for h in self.host if h == j) for j in range(len(self.station_day))]

    def hear(self, day: int, pictures: list[tuple[int, int]]) -> None:
        """Tonight's pictures from the members' Tim Terpadu reach the provincial one, each lost with
        `province_report_loss` and `province_report_delay_days` late (agents/province.py's rule)."""
        if not self.hears:
            return
        o = self.o
        for j, (awas, hot) in enumerate(pictures):
            if self.rng.random() < o.province_report_loss:
                continue
            self.inbox.append((day + o.province_report_delay_days, j, awas, hot))
        for _, j, awas, hot in [r for r in self.inbox if r[0] <= day]:
            self.heard[j] = (awas, hot)
        self.inbox = [r for r in self.inbox if r[0] > day]

    def serve_kodam(self, day: int, asks: list[list[int]]) -> list[list[tuple[int, int, int]]]:
        """Tonight's Kodam platoons per member (§7.13c): the asks of Tim Terpadu under a Status
        Keadaan Konflik, member by member (the worst heard first with a provincial Tim Terpadu),
        one free platoon each, from the province's seat with `kodam_delay_days` more on the road."""
        o = self.o
        grants: list[list[tuple[int, int, int]]] = [[] for _ in asks]
        order = sorted(range(len(asks)), key=lambda j: tuple(-x for x in self.heard.get(j, (0, 0))) if self.hears else (0, 0))
        for j in order:
            for v in asks[j]:
                free = next((i for i, leave in enumerate(self.kodam_leave) if leave <= day), None)
                if free is None:
                    return grants
                arrive = day + 1 + o.backup_delay_days + o.kodam_delay_days + int(self.travel[j][v])
                self.kodam_leave[free] = arrive + o.unit_stay_days - 1
                grants[j].append((v, arrive, o.unit_stay_days))
                self.kodam_lent += 1
        return grants

    def serve(self, day: int, asks: list[list[tuple[int, int]]]) -> list[list[tuple[int, int, int]]]:
        """Tonight's grants per member, oldest ask first (then member, then village); with a
        provincial Tim Terpadu, the member it hears is worst first (§7.13d)."""
        o = self.o
        grants: list[list[tuple[int, int, int]]] = [[] for _ in asks]
        queue = sorted((asked, j, v) for j, member_asks in enumerate(asks) for asked, v in member_asks)
        if self.hears:  # stable: oldest first within a member
            queue.sort(key=lambda q: tuple(-x for x in self.heard.get(q[1], (0, 0))))
        for _asked, j, v in queue:
            free = next((i for i, leave in enumerate(self.leave_day) if leave <= day and self.host[i] == -1), None)
            if free is None:
                break
            arrive = day + 1 + o.backup_delay_days + o.brimob_delay_days + int(self.travel[j][v])
            self.leave_day[free] = arrive + o.unit_stay_days - 1
            grants[j].append((v, arrive, o.unit_stay_days))
            self.lent += 1
        return grants


class InProcess:
    """The members one after another in this process."""

    def __init__(self, parts: list[Member]):
        self.runs = [MemberRun(p.data, p.seed, p.kodam, p.across) for p in parts]

    def day(self, *per_member: list) -> list[dict[str, Any]]:
        """One day of every member; `per_member`: the day's arguments, each a list over the members."""
        return [r.day(*a) for r, *a in zip(self.runs, *per_member, strict=True)]

    def call(self, name: str) -> list[Any]:
        return [getattr(r, name)() for r in self.runs]

    def close(self) -> None:
        pass


class DaskMembers:
    """Each member an actor on a dask.distributed worker; a day waits for all of them."""

    def __init__(self, parts: list[Member], client: Any):
        self.client = client
        futures = [client.submit(MemberRun, p.data, p.seed, p.kodam, p.across, actor=True, pure=False) for p in parts]
        self.runs = [f.result() for f in futures]

    def day(self, *per_member: list) -> list[dict[str, Any]]:
        """One day of every member, all at once on their workers; waits for every answer."""
        pending = [r.day(*a) for r, *a in zip(self.runs, *per_member, strict=True)]
        return [p.result() for p in pending]

    def call(self, name: str) -> list[Any]:
        pending = [getattr(r, name)() for r in self.runs]
        return [p.result() for p in pending]

    def close(self) -> None:
        self.runs = []


@dataclass
class PartitionedRun:
    """What a partitioned run gives: the province's totals, each member's outcomes, the events."""

    codes: list[str]
    member_outcomes: list[dict[str, Any]]
    events: list[tuple]
    platoons_lent: int
    days: int
    seconds_wall: list[float] = field(default_factory=list)  # per day: the whole day, exchange included
    seconds_sum: list[float] = field(default_factory=list)  # per day: the members' own time, summed
    seconds_busiest: list[float] = field(default_factory=list)  # per day: the busiest process's members' time
    kodam_lent: int = 0
    ties_across: int = 0  # social ties across the members' borders (simulation/border_ties.py)

    @property
    def seconds_exchange(self) -> float:
        """What the days cost beyond the busiest worker's own work (its members run one after
        another): the exchange, Dask's calls and the barrier's wait. In one process, the
        province's own bookkeeping."""
        return sum(self.seconds_wall) - sum(self.seconds_busiest)

    @property
    def outcomes(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: sum(o[k] for o in self.member_outcomes) for k in ADDITIVE}
        out["largest_incident"] = max((o["largest_incident"] for o in self.member_outcomes), default=0)
        firsts = [o["first_incident_day"] for o in self.member_outcomes if o["first_incident_day"] == o["first_incident_day"]]
        out["first_incident_day"] = float(min(firsts)) if firsts else float("nan")
        out["members"] = len(self.member_outcomes)
        out["platoons_lent"] = self.platoons_lent
        out["kodam_platoons_lent"] = self.kodam_lent
        out["ties_across"] = self.ties_across
        return out


def run(spec: Scenario, seed: int, backend: Callable[[list[Member]], Any] | None = None,
        progress: Callable[[int, int], None] | None = None) -> PartitionedRun:
    """Run the partitioned province: `backend(parts)` makes the members (InProcess by default,
    or `lambda parts: DaskMembers(parts, client)`)."""
    region = province_region(spec, seed)  # built once, for both
    parts = members(spec, seed, region)
    province = Province(spec, seed, parts, region)
    ties = BorderTies.build(region, province.where, spec.network.inter_village_ties, seed)
    parts = [replace(p, across=a) for p, a in zip(parts, ties.members, strict=True)]
    group = (backend or InProcess)(parts)
    try:
        n_days = max(group.call("n_days"))
        outside = ties.outside(group.call("exported"))  # the first morning reads everyone's starting tension
        grants: list[list[tuple[int, int, int]]] = [[] for _ in parts]
        next_door: list[np.ndarray | None] = [None for _ in parts]
        stationed, handed, recall = province.station(0, [0] * len(parts), [0] * len(parts))
        kodam: list[list[tuple[int, int, int]]] = [[] for _ in parts]
        wall, summed, slowest = [], [], []
        for d in range(n_days):
            t = time.perf_counter()
            answers = group.day(grants, next_door, stationed, handed, recall, kodam, outside)
            province.hear(d, [a["picture"] for a in answers])
            grants = province.serve(d, [a["asks"] for a in answers])
            kodam = province.serve_kodam(d, [a["kodam_asks"] for a in answers])
            next_door = province.violence_next_door([a["exposure"] for a in answers])
            outside = ties.outside([a["exported"] for a in answers])
            stationed, handed, recall = province.station(d + 1, [a["returned"] for a in answers], [a["idle"] for a in answers])
            wall.append(time.perf_counter() - t)
            summed.append(sum(a["seconds"] for a in answers))
            per_process: dict[int, float] = {}
            for a in answers:
                per_process[a["process"]] = per_process.get(a["process"], 0.0) + a["seconds"]
            slowest.append(max(per_process.values()))
            if progress is not None:
                progress(d + 1, n_days)
        member_outcomes = group.call("outcomes")
        events = _merge_events(group.call("events"))
    finally:
        group.close()
    return PartitionedRun([p.code for p in parts], member_outcomes, events, province.lent, n_days, wall, summed, slowest,
                          province.kodam_lent, ties.n_ties)


def _merge_events(per_member: Iterable[list[tuple]]) -> list[tuple]:
    """Every member's event log in one, by day (then member, then the order they were logged)."""
    rows = [(r[0], j, i, r) for j, rows in enumerate(per_member) for i, r in enumerate(rows)]
    return [r for *_k, r in sorted(rows, key=lambda x: (x[0], x[1], x[2]))]


__all__ = ["DaskMembers", "InProcess", "Member", "MemberRun", "PartitionedRun", "Province", "member_seed", "members", "run"]
