"""SiagaModel: one region's election period, one day per step.

Construction wires a validated scenario into a region, a population (numpy arrays), a multiplex
social network (CSR) and the Mesa agents (officials, supporter groups, tokoh, and villagers as a
public face). `step()` runs one day in a fixed order (docs/ODD.md §3):

  morning   release detainees, officers deploy (police presence), yesterday's decisions take effect
  actors    supporter groups rally, seed hoaxes, hand out money; the election happens on its days
  kernels   hoax spreading -> legitimacy/grievance -> tension -> mobilisation -> clashes -> arrests
  evening   alert levels; Kades, Bhabinkamtibmas, Babinsa, Camat observe and decide; Polsek dispatches

The kernel phases live in simulation/day.py (`DayPhases`); this file builds and orders.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mesa
import networkx as nx
import numpy as np

from agents import Babinsa, Bhabinkamtibmas, Camat, Kades, PoliceUnit, Polsek, SupporterGroup, Tokoh, Villager
from agents.tokoh import KINDS as TOKOH_KINDS
from scenarios.loader import DEFAULT_SCENARIO, load_scenario
from scenarios.schema import Scenario
from simulation import metrics
from simulation.calendar import Calendar
from simulation.day import DayPhases
from simulation.dynamics import arrests, hoax
from simulation.events import EventLog
from simulation.interventions import resolve_policy
from simulation.network import build_social_network
from simulation.population import NO_CAMP, Escalation, Rumour, build_population
from simulation.region import build_region
from simulation.rng import Streams

AUTO_VILLAGER_AGENTS = 100_000  # above this, Villager agents are made on request (`model.villager(i)`)
NEVER = 10_000


@dataclass
class ElectionResult:
    shares: list[float]
    winner: int
    margin: float
    disputed: bool


def _scenario_overrides(policy: Any, days: int | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword parameters (as mesa.batch_run passes them) to dotted scenario overrides:
    `policy="joint"`, `days=30`, `dynamics__tension__decay=0.1`."""
    out: dict[str, Any] = {k.replace("__", "."): v for k, v in params.items()}
    if policy is not None:
        out["policy.presets"] = [policy] if isinstance(policy, str) else list(policy)
    if days is not None:
        out["days"] = days
    return out


class SiagaModel(DayPhases, mesa.Model):
    """The SIAGA model. `SiagaModel()` runs the embedded default scenario (Kecamatan Kepahiang).

    Args:
        scenario: library name, TOML path, plain dict or `Scenario`.
        seed: the run's seed (defaults to the scenario's). Same scenario + seed = same run.
        policy: preset name or list of names, e.g. "kades_early" or ["kades_early", "counter_hoax"].
        days: simulate only the first `days` days of the calendar.
        rng: accepted for Mesa compatibility; used as the seed when `seed` is not given.
        **params: any scenario field as a keyword, nested with "__":
            `dynamics__tension__decay=0.1`, `mechanisms__hoax=False`.
    """

    def __init__(
        self,
        scenario: str | Path | Mapping[str, Any] | Scenario = DEFAULT_SCENARIO,
        seed: int | None = None,
        policy: str | list[str] | None = None,
        days: int | None = None,
        rng: int | None = None,
        **params: Any,
    ):
        spec = load_scenario(scenario, _scenario_overrides(policy, days, params))
        if seed is None:
            seed = rng if rng is not None else spec.seed
        seed = int(seed)
        super().__init__(rng=seed)
        self.spec = spec
        self.seed = seed
        self.policy = resolve_policy(spec.policy)
        self.on = spec.mechanisms
        self.streams = Streams(seed)
        self.region = build_region(spec, self.streams.layout)
        self.people = build_population(self.region, spec.population, self.streams.population)
        self.network = build_social_network(self.people, self.region, spec.network, self.streams.network)
        self._init_partisan_index()
        self.calendar = Calendar(spec.calendar, spec.total_days)
        self.n_camps = len(spec.candidates)
        self.day = 0
        self.events = EventLog()
        self._init_village_arrays()
        self._init_agents()
        self.datacollector = mesa.DataCollector(model_reporters=metrics.model_reporters())
        self.today: dict[str, Any] = {}

    # ------------------------------------------------------------------ set-up

    def _init_partisan_index(self) -> None:
        """Only active supporters can mobilise: the escalation kernel works on their rows alone."""
        p = self.people
        k = len(self.spec.candidates)
        self.partisans = np.flatnonzero(p.camp >= 0)
        same = self.network.same_camp(p.camp)
        self.same_camp = same[self.partisans][:, self.partisans].tocsr()
        self.same_camp_degree = np.asarray(self.same_camp.sum(axis=1)).ravel().astype(np.float32)
        self.camp_groups, self.camp_group_mates = self.network.camp_groups(self.partisans, p.camp, k)
        self.camp_groups_t = self.camp_groups.T.tocsr()
        self.camp_group_member = (np.diff(self.camp_groups.indptr) > 0).astype(np.float32)
        self.village_lean = p.village.astype(np.int64) * k + p.lean  # row of a (village, camp) table
        ow = self.spec.dynamics.hoax.online_weight
        self.online_weight = np.where(self.network.group >= 0, ow, 0.0).astype(np.float32)

    def _init_village_arrays(self) -> None:
        nv, k = self.region.n_villages, self.n_camps
        z = lambda dtype=np.float64: np.zeros(nv, dtype=dtype)  # noqa: E731
        self.presence = z()  # officers in the village today (deterrence; Babinsa count half)
        self.arresting = z()  # of whom police, who can arrest (Bhabinkamtibmas, Polsek/Polres teams)
        self.mediation_today, self.mediation_next = z(), z()
        self.counter_hoax_until = np.full(nv, -1, dtype=np.int64)
        self.money_today = np.zeros((nv, k))
        self.money_seen = z()
        self.money_seen_by_camp = np.zeros((nv, k))
        self._mediators: dict[int, str] = {}
        self.rally_today = np.zeros((nv, k), dtype=bool)
        self.violence_exposure = z()
        self.days_since_incident = np.full(nv, NEVER, dtype=np.int64)
        self.alert_index = z()
        self.alert_level = z(np.int8)
        self.worst_alert = z(np.int8)
        self.village_incidents = z(np.int64)
        self.village_participants = z(np.int64)
        self.village_arrests = z(np.int64)
        self.village_first_incident = np.full(nv, -1, dtype=np.int64)
        self.village_mediation_days = z(np.int64)
        self.village_police_days = z(np.float64)
        self.voting_disrupted = z(bool)
        self.supporters_per_village = np.zeros((nv, k), dtype=np.int64)
        members = self.people.camp >= 0
        np.add.at(self.supporters_per_village, (self.people.village[members], self.people.camp[members]), 1)
        self.rally_attendee = np.zeros(self.people.n, dtype=bool)
        self.tps_support = np.zeros(self.people.n, dtype=np.float32)  # support felt at the TPS today
        self.voted: np.ndarray | None = None
        self.officer_days: dict[str, float] = defaultdict(float)
        self.officer_days_today = 0.0
        self.incidents: list[dict[str, Any]] = []
        self.total_arrests = 0
        self.hoax_injections = 0
        self.result: ElectionResult | None = None
        self._votes: ElectionResult | None = None
        self.stage_today = self.calendar.stage(0, False)
        rng = self.streams.officials
        enforcement = self.policy.neutrality.enforcement
        self.asn_visible = (rng.random(nv) < self.spec.officials.asn_nonneutral * (1 - enforcement))
        incumbent = np.array([c.incumbent for c in self.spec.candidates])
        self.asn_offended = np.where(incumbent.any(), ~incumbent, True).astype(np.float64)

    def _init_agents(self) -> None:
        spec, region, rng = self.spec, self.region, self.streams.officials
        nv = region.n_villages
        enforcement = self.policy.neutrality.enforcement
        partisan = rng.random(nv) < spec.officials.kades_partisan_share * (1 - enforcement)
        camp_of_kades = rng.integers(0, self.n_camps, nv)
        self.kades = [Kades(self, v, int(camp_of_kades[v]) if partisan[v] else None) for v in range(nv)]
        # (village, camp): 1 where the village's Kades is partisan for another camp (fixed all run)
        self.partisan_kades_offends = np.zeros((nv, self.n_camps))
        self.partisan_kades_offends[partisan] = 1.0
        self.partisan_kades_offends[np.flatnonzero(partisan), camp_of_kades[partisan]] = 0.0
        self.camats = [Camat(self, k) for k in range(region.n_kecamatan)]
        self.bhabin = self._village_officers(Bhabinkamtibmas, spec.officials.bhabinkamtibmas_per_village)
        self.babinsa = self._village_officers(Babinsa, spec.officials.babinsa_per_village)
        self.polsek = []
        o = spec.officials
        for k in range(region.n_kecamatan):
            pop = region.population[region.kecamatan == k].sum()
            n_units = max(1, int(pop / o.people_per_police * o.polsek_share * o.duty_share // o.team_size))
            units = [PoliceUnit(self, k, o.team_size) for _ in range(n_units)]
            self.polsek.append(Polsek(self, k, units))
        self.polres_units = [PoliceUnit(self, None, o.team_size, polres=True) for _ in range(o.polres_backup_units)]
        self.supporter_groups = [SupporterGroup(self, c, cand) for c, cand in enumerate(spec.candidates)]
        self.tokoh = self._make_tokoh()
        mode = spec.villager_agents
        self._villagers: dict[int, Villager] = {}
        if mode == "all" or (mode == "auto" and self.people.n <= AUTO_VILLAGER_AGENTS):
            made = Villager.create_agents(self, self.people.n, np.arange(self.people.n))
            self._villagers = {a.index: a for a in made}

    def _village_officers(self, cls, per_village: float) -> list:
        """Spread round(per_village x villages) officers over the villages, nearby villages together."""
        region = self.region
        n = int(round(per_village * region.n_villages))
        if n == 0:
            return []
        # villages ordered by kecamatan then angle around the seat keep each patch contiguous
        seat = region.seat[region.kecamatan]
        angle = np.arctan2(region.y_km - region.y_km[seat], region.x_km - region.x_km[seat])
        order = np.lexsort((angle, region.kecamatan))
        patches = np.array_split(order, min(n, region.n_villages))
        officers = [cls(self, patch) for patch in patches]
        # more officers than villages: the extras double up on the villages they are sent to
        for i in range(n - len(officers)):
            officers.append(cls(self, patches[i % len(patches)]))
        return officers

    def _make_tokoh(self) -> list[Tokoh]:
        spec, rng, people = self.spec, self.streams.tokoh, self.people
        out = []
        share = spec.network.tokoh_followers_share
        for v in range(self.region.n_villages):
            start, size = int(people.village_start[v]), int(self.region.population[v])
            for j in range(spec.officials.tokoh_per_village):
                n_f = max(1, int(round(share * size)))
                followers = start + rng.choice(size, size=min(n_f, size), replace=False)
                inflaming = bool(rng.random() < spec.officials.tokoh_inflaming_share)
                out.append(Tokoh(self, len(out), v, TOKOH_KINDS[j % len(TOKOH_KINDS)], inflaming, np.sort(followers)))
        self.tokoh_village = np.array([t.village for t in out], dtype=np.int64)
        self.tokoh_inflaming = np.array([t.inflaming for t in out], dtype=bool)
        self.tokoh_engaged_days = np.zeros(len(out), dtype=np.int64)
        return out

    # ------------------------------------------------------------------ public API

    def villager(self, index: int) -> Villager:
        """The Villager agent for row `index` (made on request in large regions)."""
        if not 0 <= index < self.people.n:
            raise IndexError(f"villager {index} out of range 0..{self.people.n - 1}")
        if index not in self._villagers:
            self._villagers[index] = Villager(self, index)
        return self._villagers[index]

    def people_in(self, village: int) -> np.ndarray:
        start = int(self.people.village_start[village])
        return np.arange(start, start + int(self.region.population[village]))

    def village_graph(self, village: int) -> nx.MultiGraph:
        """The village's social network as networkx, with its officials and tokoh as extra nodes
        linked to the people they know (edge key "knows"); villager nodes carry their state."""
        people = self.people_in(village)
        g = self.network.to_networkx(people)
        p = self.people
        for i in people:
            g.nodes[int(i)].update(
                kind="villager", state=Escalation(int(p.state[i])).name, tension=float(p.tension[i]),
                camp=int(p.camp[i]), rumour=Rumour(int(p.rumour[i])).name,
            )
        kades = f"kades:{village}"
        g.add_node(kades, kind="Kades", partisan=self.kades[village].partisan)
        for t in self.tokoh:
            if t.village == village:
                node = f"tokoh:{t.unique_id}"
                g.add_node(node, kind=f"tokoh {t.kind}", inflaming=t.inflaming)
                g.add_edge(kades, node, key="knows")
                g.add_edges_from((node, int(f), "knows") for f in t.followers)
        for o in (*self.bhabin, *self.babinsa):
            if village in o.villages:
                node = f"{o.role}:{o.unique_id}"
                g.add_node(node, kind=o.role)
                g.add_edge(node, kades, key="knows")
        return g

    def camat_of(self, village: int) -> Camat:
        return self.camats[int(self.region.kecamatan[village])]

    def take_command(self, kecamatan: int = 0, budget: float = 100.0) -> Camat:
        """A person takes the Camat's place (the workshop): his automatic rakor stops and the
        returned Camat carries out `camat.order(kind, village)` between steps, charged against
        `budget` person-days (agents/camat.py). Everything else follows the model's policy."""
        if not 0 <= kecamatan < self.region.n_kecamatan:
            raise ValueError(f"kecamatan {kecamatan} out of range 0..{self.region.n_kecamatan - 1}")
        if budget < 0:
            raise ValueError(f"budget must be >= 0, got {budget}")
        camat = self.camats[kecamatan]
        camat.manual, camat.budget = True, float(budget)
        return camat

    def run(self, days: int | None = None, progress=None) -> dict[str, Any]:
        """Run to the end of the calendar (or `days` more days); returns the outcomes."""
        end = self.calendar.n_days if days is None else min(self.day + days, self.calendar.n_days)
        while self.running and self.day < end:
            self.step()
            if progress is not None:
                progress(self.day, self.calendar.n_days)
        return self.outcomes()

    def outcomes(self) -> dict[str, Any]:
        return metrics.outcomes(self)

    def timeseries(self):
        return metrics.timeseries(self)

    def village_frame(self):
        return metrics.village_frame(self)

    def event_frame(self):
        return self.events.frame()

    # ------------------------------------------------------------------ hooks for agents

    def log(self, day: int, village: int, kind: str, actors: str, size: int = 0, detail: str = "") -> None:
        self.events.add(
            day, self.calendar.date(day), self.stage_today.name, self.region.names[village],
            self.region.codes[village], kind, actors, size, detail,
        )

    def spend(self, role: str, person_days: float) -> None:
        self.officer_days[role] += person_days
        self.officer_days_today += person_days

    def request_mediation(self, village: int, strength: float, actors: str) -> None:
        if strength > self.mediation_next[village]:
            self.mediation_next[village] = strength
            self._mediators[village] = actors

    def hold_rally(self, village: int, camp: int, attendance: float, actors: str, mass_action: bool = False) -> None:
        idx = self.people_in(village)
        own = idx[(self.people.camp[idx] == camp) & (self.people.state[idx] != Escalation.DETAINED)]
        came = own[self.streams.supporters.random(len(own)) < attendance]
        self.rally_attendee[came] = True
        self.rally_today[village, camp] = True
        self.log(self.day, village, "rally", actors, size=len(came), detail="pengerahan massa" if mass_action else "kampanye")

    def seed_hoax(self, village: int, n_seeds: int, actors: str) -> None:
        if not self.on.hoax:
            return
        idx = self.people_in(village)
        pick = self.streams.hoax.choice(idx, size=min(n_seeds, len(idx)), replace=False)
        seeded = hoax.inject(self.people.rumour, pick)
        self.hoax_injections += 1
        self.log(self.day, village, "hoax", actors, size=len(seeded), detail="hoaks/kampanye hitam")

    def money_politics(self, village: int, camp: int, intensity: float, actors: str) -> None:
        self.money_today[village, camp] += intensity
        self.log(self.day, village, "money_politics", actors, detail="serangan fajar")

    # ------------------------------------------------------------------ the day

    def step(self) -> None:
        if self.day >= self.calendar.n_days:
            self.running = False
            return
        d = self.day
        self.streams.start_day(d)
        self.stage_today = stage = self.calendar.stage(d, bool(self.result and self.result.disputed))
        self._morning(d)
        if self.on.supporters:
            for g in self.supporter_groups:
                g.act(d, stage)
        # what people remember of money politics: today's handouts, older ones fading 2% a day
        self.money_seen = np.maximum(self.money_seen * 0.98, self.money_today.sum(axis=1))
        self.money_seen_by_camp = np.maximum(self.money_seen_by_camp * 0.98, self.money_today)
        if self.on.election:
            self._election(d)
        if self.on.polling:
            self._polling(d)
        if self.on.hoax:
            self._hoax(d, stage)
        self._legitimacy(d)
        if self.on.tension:
            self._tension(d, stage)
        self._escalation(d, stage)
        n_inc, n_part = self._clashes(d, stage) if self.on.clashes else (0, 0)
        n_arr = self._arrests(d) if self.on.arrests else 0
        self._alerts()
        if self.on.officials:
            self._officials(d)
        self.today = metrics.daily_row(self, n_inc, n_part, n_arr)
        self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.calendar.n_days:
            self.running = False

    def _morning(self, d: int) -> None:
        p = self.people
        released = arrests.release(p.state, p.jail)
        if len(released):
            for v, c in zip(*np.unique(p.village[released], return_counts=True)):
                self.log(d, int(v), "release", "Polsek", size=int(c))
        self.presence[:] = 0.0
        self.arresting[:] = 0.0
        self.officer_days_today = 0.0
        self.rally_attendee[:] = False
        self.tps_support[:] = 0.0
        self.rally_today[:] = False
        self.money_today[:] = 0.0
        self.mediation_today, self.mediation_next = self.mediation_next, np.zeros_like(self.mediation_next)
        for v in np.flatnonzero(self.mediation_today):
            self.log(d, int(v), "mediation", self._mediators.get(int(v), "Kades+tokoh"), detail=f"strength {self.mediation_today[v]:.2f}")
            self.village_mediation_days[v] += 1
        self._mediators = {}
        if self.on.officials:
            for o in (*self.bhabin, *self.babinsa):
                o.deploy(d)
            for ps in self.polsek:
                for u in ps.units:
                    u.deploy(d)
            for u in self.polres_units:
                u.deploy(d)
        self.village_police_days += self.presence

    def _election(self, d: int) -> None:
        cal, p, e = self.calendar, self.people, self.spec.dynamics.election
        rng = self.streams.election
        if d == cal.voting_day:
            vote = p.lean.astype(np.int64).copy()
            swing = np.flatnonzero(p.camp == NO_CAMP)
            pressure = self.money_seen_by_camp[p.village[swing]]  # (swing, camps)
            if pressure.any():
                tot = pressure.sum(axis=1)
                switch = rng.random(len(swing)) < e.money_sway * np.minimum(tot, 1.0)
                buyer = np.argmax(pressure, axis=1)
                vote[swing[switch]] = buyer[switch]
            turnout = p.voter & (rng.random(p.n) < e.turnout) & (p.state != Escalation.DETAINED)
            self.voted = turnout
            shares = np.bincount(vote[turnout], minlength=self.n_camps) / max(turnout.sum(), 1)
            order = np.argsort(-shares)
            margin = float(shares[order[0]] - (shares[order[1]] if self.n_camps > 1 else 0.0))
            disputed = self.n_camps > 1 and margin <= e.dispute_margin_max and rng.random() < e.dispute_probability
            self._votes = ElectionResult([float(s) for s in shares], int(order[0]), margin, bool(disputed))
        if d == cal.result_day and self._votes is not None:
            self.result = r = self._votes
            seat = int(self.region.seat[0])
            self.log(d, seat, "result", "KPU", detail=f"{self.spec.candidates[r.winner].name} wins by {r.margin:.1%}")
            if r.disputed:
                self.log(d, seat, "dispute", "losing pair", detail="gugatan ke MK")

    def _officials(self, d: int) -> None:
        for k in self.kades:
            k.step(d)
        for o in (*self.bhabin, *self.babinsa):
            o.step(d)
        for c in self.camats:
            c.step(d)
        for ps in self.polsek:
            ps.dispatch(d)
            for u in ps.units:
                u.end_of_day(d)
        for u in self.polres_units:
            u.end_of_day(d)
