"""SiagaModel: one region's election period, one day per step.

Construction wires a validated scenario into a region, a population (numpy arrays), a multiplex
social network (CSR) and the Mesa agents (officials, supporter groups and tokoh from
simulation/forces.py, and villagers as a public face). `step()` runs one day, calling the phases of simulation/day.py in the order of
docs/ODD.md §3. The state lives in named objects (simulation/state.py): `people`, `villages`,
`partisans`, `today`, `tally`, `forces`. Agents act on the model through the methods under
"the agents' interface" (agents/interface.py), never by writing its arrays.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import mesa
import networkx as nx
import numpy as np

from agents import Camat, PoliceUnit, Polsek, Villager
from common.levels import Escalation, Rumour
from scenarios.loader import DEFAULT_SCENARIO, keyword_override, load_scenario
from scenarios.schema import Scenario
from simulation import day as phases
from simulation import election, metrics
from simulation.alerts import AlertScale
from simulation.calendar import Calendar, village_stage
from simulation.dynamics import grievance, hoax, identity, logistics, mediation, tension
from simulation.events import EventLog
from simulation.forces import build_forces
from simulation.injects import Schedule as InjectSchedule
from simulation.interventions import resolve_policy
from simulation.memory import reuse_freed_memory, without_huge_pages
from simulation.network import build_social_network
from simulation.population import build_population
from simulation.races import Races
from simulation.region import build_region
from simulation.rng import Streams
from simulation.state import ElectionResult, Partisans, Tally, Today, Villages

AUTO_VILLAGER_AGENTS = 10_000  # above this, Villager agents are made on request (`model.villager(i)`, `model.villagers`)

__all__ = ["AUTO_VILLAGER_AGENTS", "ElectionResult", "SiagaModel"]


def _scenario_overrides(policy: Any, days: int | None, params: Mapping[str, Any]) -> dict[str, Any]:
    """Keyword parameters (as mesa.batch_run passes them) to dotted scenario overrides; None
    means the scenario's own `policy` or `days`."""
    given = dict(params)
    if policy is not None:
        given["policy"] = policy if isinstance(policy, str) else list(policy)
    if days is not None:
        given["days"] = days
    return dict(keyword_override(name, value) for name, value in given.items())


class SiagaModel(mesa.Model):
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
        reuse_freed_memory()  # large set-ups free and reallocate big blocks (simulation/memory.py)
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
        self.n_camps = len(spec.candidates)
        self.n_identity = len(spec.population.identity_groups)
        with without_huge_pages():  # arrays touched once or twice while building (simulation/memory.py)
            self.region = build_region(spec, self.streams.layout)
            self.people = build_population(self.region, spec.population, self.streams.population)
            self.network = build_social_network(self.people, self.region, spec.network, self.streams.network)
            self.partisans = Partisans.build(self.people, self.network, self.n_camps)
        # per person: the row of the (village, camp leaned to) tables of village-level inputs, and
        # the weight of their WhatsApp group in the contacts' mean tension (0 outside any group)
        # (intp: numpy's gathers are fastest with native indices)
        self.cell = self.people.village.astype(np.intp) * self.n_camps + self.people.lean
        ow = spec.dynamics.hoax.online_weight
        self.online_weight = np.where(self.network.group >= 0, ow, 0.0).astype(np.float32)
        self._tension_operator: tension.Operator | None = None
        self.races = Races.build(spec.calendar, self.region)
        self.calendar = Calendar(spec.calendar, spec.total_days, self.races.offsets)
        self.races.check_fits(spec.calendar, self.calendar)
        self.alerts = AlertScale(spec.alerts)
        self.day = 0
        self.events = EventLog()
        self.villages = Villages.empty(self.region.n_villages, self.n_camps, self.people)
        self.tally = Tally(votes_by_race=[None] * self.races.n, result_by_race=[None] * self.races.n)
        self.today = Today(0, self._stages(0)[1], np.zeros(self.people.n, dtype=bool), np.zeros(self.people.n, dtype=np.float32))
        self._neutrality()
        if self.on.logistics:  # the PPS/KPPS of some villages favour a camp (§7.26), from their own stream
            lp = spec.dynamics.logistics
            self.villages.organiser_offends = logistics.partisan_organisers(
                self.region.n_villages, self.n_camps, lp.partisan_organiser_share, self.streams.generator("logistics", None))
        self.forces = build_forces(self)
        mode = spec.villager_agents
        self._villagers: dict[int, Villager] = {}
        if mode == "all" or (mode == "auto" and self.people.n <= AUTO_VILLAGER_AGENTS):
            made = Villager.create_agents(self, self.people.n, np.arange(self.people.n))
            self._villagers = {a.index: a for a in made}
        self.datacollector = mesa.DataCollector(model_reporters=metrics.model_reporters())
        self.daily: dict[str, Any] = {}
        self._normals: list[float] = []
        self._normals_used = 0
        self.injects = InjectSchedule()  # an exercise's injects by day (simulation/injects.py)
        # yesterday's violence next door across a kab/kota border outside this model: set before a
        # day by a partitioned province (simulation/federation.py), read once by the tension phase
        self.external_exposure: np.ndarray | None = None
        # this morning's tension of the people across such a border whom villagers here know
        # (`tie_across`), one per slot: set before every day by the partitioned province
        self.outside_tension: np.ndarray | None = None

    # ------------------------------------------------------------------ set-up

    def _stages(self, day: int) -> tuple[list, Any]:
        """Each race's stage today, and the day's stage over the villages (calendar.village_stage)."""
        by_race = [self.calendar.stage(day, bool(r and r.disputed), i) for i, r in enumerate(self.tally.result_by_race)]
        return by_race, village_stage(by_race, self.races.of_village)

    def _neutrality(self) -> None:
        """Visible non-neutral civil servants (ASN) per village, and whom they offend."""
        rng, nv = self.streams.officials, self.region.n_villages
        enforcement = self.policy.neutrality.enforcement
        self.villages.asn_visible = rng.random(nv) < self.spec.officials.asn_nonneutral * (1 - enforcement)
        incumbent = np.array([c.incumbent for c in self.spec.candidates])
        self.villages.asn_offended = np.where(incumbent.any(), ~incumbent, True).astype(np.float64)

    # ------------------------------------------------------------------ public API

    @property
    def villagers(self) -> mesa.agent.AgentSet:
        """Every villager as a Mesa agent, in row order. Above AUTO_VILLAGER_AGENTS they are made
        here, on first use: the arrays are the model's state and results never depend on the
        agent objects, whose making would be a quarter of a default run's cost."""
        if len(self._villagers) < self.people.n:
            missing = np.setdiff1d(np.arange(self.people.n), np.fromiter(self._villagers, dtype=np.int64))
            for a in Villager.create_agents(self, len(missing), missing):
                self._villagers[a.index] = a
        return mesa.agent.AgentSet([self._villagers[i] for i in range(self.people.n)], random=self.random)

    def villager(self, index: int) -> Villager:
        """The Villager agent for row `index` (made on request in large regions)."""
        if not 0 <= index < self.people.n:
            raise IndexError(f"villager {index} out of range 0..{self.people.n - 1}")
        if index not in self._villagers:
            self._villagers[index] = Villager(self, index)
        return self._villagers[index]

    def people_in(self, village: int) -> np.ndarray:
        return self.people.rows_of(village)

    def tension_operator(self) -> tension.Operator:
        """The day's tension map for this network, rebuilt when the influence or decay dial moves."""
        tp = self.spec.dynamics.tension
        op = self._tension_operator
        if op is None or op.key != (float(tp.influence), float(tp.decay)):
            net = self.network
            op = self._tension_operator = tension.Operator.build(
                net.influence, net.group, net.membership_t if net.n_groups else None, net.inv_others,
                self.online_weight, tp.influence, tp.decay, net.influence_across,
            )
        return op

    def tie_across(self, people: np.ndarray, slots: np.ndarray, n_slots: int) -> None:
        """Villagers people[k] know the person in slot slots[k] across a kab/kota border outside
        this model (a partitioned province, simulation/federation.py): their tension is then read
        each day from `outside_tension` (SocialNetwork.tie_across says what crosses)."""
        self.network.tie_across(people, slots, n_slots)
        self._tension_operator = None

    def grievance_of(self, index: int) -> float:
        p = self.people
        return float(grievance.grievance(p.hardship[index], p.legitimacy[index]))

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
        g.add_node(kades, kind="Kades", partisan=self.forces.kades[village].partisan)
        for t in self.forces.tokoh:
            if t.village == village:
                node = f"tokoh:{t.unique_id}"
                g.add_node(node, kind=f"tokoh {t.kind}", inflaming=t.inflaming)
                g.add_edge(kades, node, key="knows")
                g.add_edges_from((node, int(f), "knows") for f in t.followers)
        for o in self.forces.village_officers():
            if village in o.villages:
                node = f"{o.role}:{o.unique_id}"
                g.add_node(node, kind=o.role)
                g.add_edge(node, kades, key="knows")
        return g

    def take_command(self, kecamatan: int = 0, budget: float = 100.0) -> Camat:
        """A person takes the Camat's place (the workshop): his automatic rakor stops and the
        returned Camat carries out `camat.order(kind, village)` between steps, charged against
        `budget` person-days (agents/camat.py). Everything else follows the model's policy."""
        if not 0 <= kecamatan < self.region.n_kecamatan:
            raise ValueError(f"kecamatan {kecamatan} out of range 0..{self.region.n_kecamatan - 1}")
        if budget < 0:
            raise ValueError(f"budget must be >= 0, got {budget}")
        camat = self.forces.camats[kecamatan]
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

    # read-only views the faces and tests read (the state itself is in the objects above)
    camats = property(lambda self: self.forces.camats)
    polsek = property(lambda self: self.forces.polsek)
    stage_today = property(lambda self: self.today.stage)
    incidents = property(lambda self: self.tally.incidents)
    total_arrests = property(lambda self: self.tally.arrests)
    hoax_injections = property(lambda self: self.tally.hoax_injections)
    presence = property(lambda self: self.villages.presence)
    alert_level = property(lambda self: self.villages.alert_level)
    worst_alert = property(lambda self: self.villages.worst_alert)
    village_incidents = property(lambda self: self.villages.incidents)

    # ------------------------------------------------------------------ the agents' interface

    def log(self, day: int, village: int, kind: str, actors: str, size: int = 0, detail: str = "") -> None:
        self.events.add(
            day, self.calendar.date(day), self.today.stage.at(village).name, self.region.names[village],
            self.region.codes[village], kind, actors, size, detail,
        )

    def spend(self, role: str, person_days: float) -> None:
        self.tally.officer_days[role] += person_days
        self.today.officer_days += person_days

    def observe(self, village: int, noise_sd: float) -> int:
        """An official's reading of a village today: the alert index misread with spread noise_sd
        (`AlertScale.observe`), from the day's next draw of the `observation` stream."""
        v = self.villages
        return self.alerts.observe(float(v.alert_index[village]), noise_sd, self._next_normal(), int(v.days_since_incident[village]))

    def _next_normal(self) -> float:
        """The observation stream's standard normals, drawn for the whole evening at once (the
        same numbers, in the same order, as one `normal()` call per reading: numpy's normal is
        loc + scale x the next standard normal)."""
        if self._normals_used >= len(self._normals):
            self._normals = self.streams.observation.standard_normal(max(len(self.forces.kades) + len(self.forces.bhabin) + len(self.forces.babinsa), 1)).tolist()
            self._normals_used = 0
        self._normals_used += 1
        return self._normals[self._normals_used - 1]

    def add_presence(self, village: int, deterrence: float, arresting: float) -> None:
        self.villages.presence[village] += deterrence
        if arresting:
            self.villages.arresting[village] += arresting

    def mediation_strength(self, partisan: bool) -> float:
        return mediation.kades_strength(self.policy.kades.mediation_strength, partisan, self.spec.dynamics.mediation.partisan_kades_factor)

    def request_mediation(self, village: int, strength: float, actors: str) -> None:
        """A mediation in `village` tomorrow morning (the strongest request of the evening wins)."""
        v = self.villages
        if strength > v.mediation_next[village]:
            v.mediation_next[village] = strength
            v.mediators[village] = actors

    def mediation_planned(self, village: int) -> bool:
        return bool(self.villages.mediation_next[village] > 0)

    def start_counter_hoax(self, village: int, until_day: int) -> None:
        v = self.villages
        v.counter_hoax_until[village] = max(v.counter_hoax_until[village], until_day)

    def counter_hoax_until(self, village: int) -> int:
        return int(self.villages.counter_hoax_until[village])

    def supporters_per_village(self) -> np.ndarray:
        return self.villages.supporters

    def election_result(self, village: int | None = None) -> ElectionResult | None:
        """The announced result of the race `village` votes in (of the first race when None)."""
        return self.tally.result_by_race[0 if village is None else int(self.races.of_village[village])]

    def tokoh_engaged_days(self, index: int) -> int:
        return int(self.forces.tokoh_engaged_days[index])

    def camat_of(self, village: int) -> Camat:
        return self.forces.camats[int(self.region.kecamatan[village])]

    def polsek_of(self, village: int) -> Polsek:
        return self.forces.polsek[int(self.region.kecamatan[village])]

    def polres_units(self) -> list[PoliceUnit]:
        return self.forces.polres

    def hold_rally(self, village: int, camp: int, attendance: float, actors: str, mass_action: bool = False) -> None:
        idx = self.people_in(village)
        own = idx[(self.people.camp[idx] == camp) & (self.people.state[idx] != Escalation.DETAINED)]
        came = own[self.streams.supporters.random(len(own)) < attendance]
        self.today.rally_attendee[came] = True
        self.today.rallies.append((int(village), int(camp), came))
        self.today.gathering = True
        self.villages.rally_today[village, camp] = True
        self.log(self.day, village, "rally", actors, size=len(came), detail="pengerahan massa" if mass_action else "kampanye")

    def seed_hoax(self, village: int, n_seeds: int, actors: str, camp: int | None = None) -> None:
        """Black campaign: `n_seeds` residents of `village` start spreading a hoax. With
        `mechanisms.identity` the story frames an identity group (§7.25): the group of most of
        `camp`'s rivals there (of the village's people when no camp seeds it); its own members
        among the seeds do not take it up."""
        if not self.on.hoax:
            return
        idx = self.people_in(village)
        pick = self.streams.hoax.choice(idx, size=min(n_seeds, len(idx)), replace=False)
        if self.on.identity:
            p = self.people
            rivals = idx if camp is None else idx[(p.camp[idx] >= 0) & (p.camp[idx] != camp)]
            groups = np.bincount(p.identity[rivals], minlength=self.n_identity)
            target = identity.story_target(groups, self.streams.identity)
            pick = pick[p.identity[pick] != target]
            p.story[pick[p.rumour[pick] == Rumour.IGNORANT]] = target
        seeded = hoax.inject(self.people.rumour, pick)
        self.tally.hoax_injections += 1
        self.log(self.day, village, "hoax", actors, size=len(seeded), detail="hoaks/kampanye hitam")

    def inject(self, kind: str, village: int, day: int | None = None, **params: Any) -> None:
        """Schedule an exercise's inject in `village` on `day` (default: the next day to run), where
        it acts with that day's actors (simulation/injects.py: hoax, provocation, rally, report,
        message). Between two steps is the only time a person can ask for one."""
        day = self.day if day is None else int(day)
        if day < self.day:
            raise ValueError(f"day {day} has already run (the next day is {self.day})")
        self.injects.add(day, kind, village, **params)

    def money_politics(self, village: int, camp: int, intensity: float, actors: str) -> None:
        self.villages.money_today[village, camp] += intensity
        self.log(self.day, village, "money_politics", actors, detail="serangan fajar")

    # ------------------------------------------------------------------ the day (docs/ODD.md §3)

    def step(self) -> None:
        if self.day >= self.calendar.n_days:
            self.running = False
            return
        d, spec, on, p, v = self.day, self.spec, self.on, self.people, self.villages
        self.streams.start_day(d)
        self.today.day = d
        by_race, self.today.stage = self._stages(d)
        races = self.races
        # morning
        polda = self.forces.polda
        if polda is not None:
            ahead = np.maximum(0, self.calendar.voting_days - self.policy.police.brimob_days_before_voting)
            if (ahead == d).any():  # pre-positioned platoons come under their Polres (§7.13a), wave by wave
                kab = None if self.races.kabupaten is None else self.races.kabupaten[ahead == d].tolist()
                for j in polda.station(kab):
                    seat = polda.commands[j].seat
                    self.log(d, seat, "brimob_bko", "Polda -> Polres", size=self.spec.officials.brimob_team_size)
        phases.release_detainees(p, d, self.log)
        phases.start_day(v, self.today, d, self.log)
        if self.policy.recovery.enabled:
            phases.recovery_meetings(v, self.policy.recovery, d, self.spend, self.log)
        if on.officials:
            for o in self.forces.village_officers():
                o.deploy(d)
            for u in self.forces.police_units():
                u.deploy(d)
        v.police_days += v.presence
        # actors
        if on.supporters:
            for g in self.forces.supporter_groups:
                g.act(d, by_race[g.race])
        self.injects.apply_due(self, d)  # an exercise's injects act with the day's actors
        phases.remember_money(v, spec.dynamics.grievance.money_memory)
        # the election, race by race (§7.1a)
        election.election_day(p, v, self.region, self.tally, self.today, spec, self.calendar, races, self.streams.election,
                              self.log)
        # the villagers' kernels
        spreaders = None
        if on.hoax:
            campaign = phases.counter_hoax_campaigns(v, self.forces, self.policy, d)
            stories = leaders = None
            if on.identity:
                idp, f = spec.dynamics.identity, self.forces
                stories = hoax.Stories(p.identity, p.story, idp.own_group_belief)
                followers = [t.followers for t in f.tokoh]

                def leaders() -> None:
                    identity.leaders_talk(p.rumour, p.story, p.identity, followers, f.tokoh_inflaming, idp.tokoh_talk_rate,
                                          idp.moderation_effect, idp.extremism_effect, self.streams.identity)
            spreaders = phases.hoax_phase(p, self.network, v, spec, campaign, self.policy.counter_hoax.effect, self.streams,
                                          self.spend, d, self.log, stories, leaders)
        phases.legitimacy_phase(p, v, self.tally, spec, self.cell, on.grievance, races)
        detained = None  # who is detained, as the tension phase finds them (it changes no state)
        if on.tension:
            detained = phases.tension_phase(p, v, self.region, self.forces, self.today, spec, self.cell,
                                            self.tension_operator(), spreaders, self.streams.tension, self.log,
                                            self.external_exposure, self.outside_tension)
        self.external_exposure = self.outside_tension = None
        phases.escalation_phase(p, self.partisans, v, self.today, spec, on.mobilisation, self.streams.mobilisation,
                                detained)
        n_inc = n_part = 0
        found = phases.clash_phase(p, v, self.region, self.tally, self.today, spec, self.streams, races) if on.clashes else []
        if on.campaign_violence:
            found += phases.campaign_phase(p, v, self.region, self.today, spec, self.streams)
        if on.logistics:
            found += election.logistics_phase(p, v, self.tally, self.today, spec, self.calendar.voting_days, self.streams, races)
        if on.government_protests:
            found += election.government_phase(p, v, self.region, self.tally, self.today, spec, self.calendar.voting_days,
                                               self.log, self.streams, races)
        for incident in found:
            phases.incident_severity(incident, spec, self.streams, on.severity)
            phases.incident_reported(incident, spec, self.streams, on.reporting)
            phases.record_incident(incident, v, self.tally, spec, self.log)
            if self.policy.recovery.enabled:
                phases.schedule_recovery(incident, v, self.policy.recovery)
            if on.officials:
                self.polsek_of(incident["village"]).request(incident["village"], spec.officials.incident_priority, d, "incident")
            n_inc += 1
            n_part += incident["size"]
        n_arr = phases.arrest_phase(p, v, self.tally, spec, self.streams, d, self.log) if on.arrests else 0
        # evening
        phases.alert_phase(p, v, self.alerts, spreaders)
        if on.officials:
            self._officials(d)
        self.daily = metrics.daily_row(self, n_inc, n_part, n_arr, spreaders)
        self.datacollector.collect(self)
        self.day += 1
        if self.day >= self.calendar.n_days:
            self.running = False

    def _officials(self, d: int) -> None:
        self._normals, self._normals_used = [], 0  # today's generator: draw afresh
        f = self.forces
        for k in f.kades:
            k.step(d)
        for o in f.village_officers():
            o.step(d)
        for c in f.camats:
            c.step(d)
        for t in f.tim_terpadu:
            t.step(d)
        if f.province is not None:
            f.province.step(d)
        for ps in f.polsek:
            ps.dispatch(d)
            for u in ps.units:
                u.end_of_day(d)
        for u in f.polres:
            u.end_of_day(d)
        if f.polda is not None:  # teams back this evening take the oldest waiting requests
            f.polda.serve(d)
