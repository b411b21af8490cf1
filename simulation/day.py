"""The phases of a day, in the order of docs/ODD.md §3, each a function of named state objects.

    morning      release_detainees, start_day (mediations take place, officers deploy)
    actors       supporter groups act (agents/supporter_group.py); money politics remembered
    election     votes, results and the TPS, race by race (simulation/election.py)
    kernels      hoax -> legitimacy -> tension -> escalation -> clashes (and campaign, logistics and
                 government incidents: the last two in simulation/election.py) -> arrests
    evening      alerts; officials observe and decide (agents/)

Each phase reads and writes the objects it is given (simulation/state.py) and returns what it
counted; the mechanism's arithmetic is a pure kernel in simulation/dynamics/. `SiagaModel.step()`
(simulation/model.py) only calls these in order. `log(day, village, kind, actors, size, detail)`
writes the event log.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from common.levels import Escalation, Rumour, level_of
from scenarios.schema import PolicySpec, Scenario
from scenarios.schema_policy import RecoveryPolicy
from simulation.alerts import AlertScale
from simulation.dynamics import (
    arrests,
    campaign,
    clashes,
    grievance,
    hoax,
    mediation,
    mobilisation,
    reporting,
    severity,
    tension,
)
from simulation.network import SocialNetwork
from simulation.population import VillagerState
from simulation.races import Races
from simulation.region import Region
from simulation.rng import Streams
from simulation.state import Forces, Partisans, Tally, Today, Villages

Log = Callable[..., None]

# the codes as plain ints for comparisons over everyone: numpy compares an int8 array with an
# IntEnum member (an int subclass, not taken as a plain Python int) about ten times slower than
# with the int itself, for the same booleans
_MOBILISED, _VIOLENT, _DETAINED = int(Escalation.MOBILISED), int(Escalation.VIOLENT), int(Escalation.DETAINED)
_SPREADER = int(Rumour.SPREADER)

# the event log's words for each kind of incident (siaga/event_text.py reads them back)
INCIDENT_DETAIL = {
    "clash": "bentrok pendukung",
    "protest": "massa vs penyelenggara",
    campaign.CONVOY: "konvoi dihadang",
    campaign.APK: "perusakan APK",
    campaign.ASSAULT: "persekusi pendukung",
    "logistics": "logistik pemilu direbut",
    "government": "unjuk rasa ricuh di kantor pemerintah/KPU",
}
LOGISTICS, GOVERNMENT = "logistics", "government"
# sub-keys of an incident's own generators (severity, reporting) after the crowd clash's (day, village)
_KIND_KEY = {campaign.CONVOY: 1, campaign.APK: 2, campaign.ASSAULT: 3, LOGISTICS: 4, GOVERNMENT: 5}


def _incident_key(incident: dict) -> tuple[int, ...]:
    """(day, village) for a crowd clash or protest (at most one per village a day); the other kinds
    add their kind and first camp, so two incidents of one day and village never share numbers."""
    sub = _KIND_KEY.get(incident.get("kind", "clash"))
    if sub is None:
        return incident["day"], incident["village"]
    return incident["day"], incident["village"], sub, incident["camps"][0]


def release_detainees(people: VillagerState, day: int, log: Log) -> np.ndarray:
    released = arrests.release(people.state, people.jail)
    if len(released):
        for v, c in zip(*np.unique(people.village[released], return_counts=True)):
            log(day, int(v), "release", "Polsek", size=int(c))
    return released


def start_day(villages: Villages, today: Today, day: int, log: Log) -> None:
    """Clear yesterday's daily values; the mediations requested last evening take place."""
    v = villages
    v.presence[:] = 0.0
    v.arresting[:] = 0.0
    today.officer_days = 0.0
    if today.gathering:  # (a million-row reset only after a day that wrote them)
        today.rally_attendee[:] = False
        today.tps_support[:] = 0.0
        today.gathering = False
    v.rally_today[:] = False
    today.rallies = []
    v.money_today[:] = 0.0
    if v.outrage_next.any() or v.outrage.any():
        v.outrage, v.outrage_next = v.outrage_next, np.zeros_like(v.outrage_next)
    v.mediation, v.mediation_next = v.mediation_next, np.zeros_like(v.mediation_next)
    for i in np.flatnonzero(v.mediation):
        log(day, int(i), "mediation", v.mediators.get(int(i), "Kades+tokoh"), detail=f"strength {v.mediation[i]:.2f}")
        v.mediation_days[i] += 1
    v.mediators = {}


def schedule_recovery(incident: dict, villages: Villages, recovery: RecoveryPolicy) -> None:
    """After an incident, reconciliation meetings in its village from `delay_days` on (a new
    incident starts the series again, from the later date if one was due sooner)."""
    v = incident["village"]
    villages.recovery_next[v] = max(int(villages.recovery_next[v]), incident["day"] + max(recovery.delay_days, 1))
    villages.recovery_left[v] = recovery.sessions


def recovery_meetings(villages: Villages, recovery: RecoveryPolicy, day: int, spend: Callable[[str, float], None], log: Log) -> None:
    """Today's reconciliation meetings (pemulihan, §7.24): a mediation of the policy's strength
    (tension relief, counter-messaging, dispersal) that also lifts part of the violence penalty on
    legitimacy, at its cost in person-days."""
    v = villages
    for i in np.flatnonzero((v.recovery_next == day) & (v.recovery_left > 0)).tolist():
        if recovery.strength > v.mediation[i]:
            v.mediation[i] = recovery.strength
        v.healed[i] = min(float(v.incidents[i]), v.healed[i] + recovery.heal)
        v.recovery_left[i] -= 1
        v.recovery_next[i] = day + recovery.interval_days if v.recovery_left[i] > 0 else -1
        spend("recovery", recovery.person_days)
        log(day, i, "recovery", "Kades+tokoh+Tim Terpadu", detail=f"pemulihan; sisa {int(v.recovery_left[i])}")


def remember_money(villages: Villages, memory: float) -> None:
    """What people remember of money politics: today's handouts, older ones fading."""
    v = villages
    v.money_seen = np.maximum(v.money_seen * memory, v.money_today.sum(axis=1))
    v.money_seen_by_camp = np.maximum(v.money_seen_by_camp * memory, v.money_today)


def hoax_phase(
    people: VillagerState, network: SocialNetwork, villages: Villages, spec: Scenario, campaign: np.ndarray,
    campaign_effect: float, streams: Streams, spend: Callable[[str, float], None], day: int, log: Log,
    stories: hoax.Stories | None = None, leaders: Callable[[], None] | None = None,
) -> np.ndarray:
    """Spreading, then counter-messaging where a counter-hoax campaign runs (`campaign`) or a
    mediation takes place, then (identity, §7.25: `stories` and the tokoh's talks, `leaders`) the
    leaders' word, then forgetting. Returns who is spreading at the end of the day (ascending): the
    tension phase reads it instead of scanning everyone again."""
    hp, rng = spec.dynamics.hoax, streams.hoax
    state = people.state  # read for the day's spreaders only, not compared for everyone

    def contacts(who: np.ndarray, g: np.random.Generator) -> np.ndarray:
        partner = network.random_neighbour(who, g, hp.online_weight)
        partner[state[who] == _DETAINED] = -1  # no phone in a cell: detained spreaders reach nobody
        return partner

    spreaders = hoax.spread_day(people.rumour, hp.contacts_per_day, hp.substeps, contacts, rng, stories).spreaders
    effect = mediation.counter_message_effect(villages.mediation, campaign, campaign_effect, spec.dynamics.mediation.counter_message)
    active = np.flatnonzero(campaign | (villages.mediation > 0))
    if len(active):
        changed = hoax.counter_message_villages(people.rumour, people.village_start, people.village_size, active,
                                                effect[active], streams.interventions)
        for v, n in zip(active.tolist(), changed.tolist()):
            if campaign[v]:
                spend("counter_hoax", 1.0)
            if n:
                log(day, v, "counter_hoax", "tokoh+Kades", size=n)
    if leaders is not None:
        leaders()  # extreme tokoh can talk followers back into spreading: scan again below
    hoax.forget(people.rumour, hp.forget_rate, rng)
    if leaders is not None:
        spreaders = np.flatnonzero(people.rumour == _SPREADER)
    else:  # counter-messaging stifled some of them; forgetting only turns stiflers ignorant
        spreaders = spreaders[people.rumour[spreaders] == _SPREADER]
    return spreaders


def _per(x: float | np.ndarray, where: np.ndarray) -> float | np.ndarray:
    """A stage's number at `where` (village indices): the number itself where it is the same in
    every village, so the single-race arithmetic is untouched."""
    return x if np.ndim(x) == 0 else x[where]


def _losing(winner: np.ndarray, n_camps: int) -> np.ndarray:
    """(village, camp): the camp is not the winner of the village's race (all camps before a result)."""
    out = np.ones((len(winner), n_camps), dtype=bool)
    rows = np.flatnonzero(winner >= 0)
    out[rows, winner[rows]] = False
    return out


def _gather(table: np.ndarray, cell: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    """table[cell] (into `out` if given). Where every entry of the small table has the same bits
    (the tension inputs on a quiet day: all zero) a fill gives the very same array without reading
    the million cell numbers."""
    bits = table.view(np.uint32) if table.dtype == np.float32 else None
    if bits is not None and len(bits) and bool(np.all(bits == bits[0])):
        if out is None:
            return np.full(len(cell), table[0], dtype=table.dtype)
        out.fill(table[0])
        return out
    if out is None:
        return np.take(table, cell)
    # mode "clip": every cell is in the table by construction, and with `out` numpy's default
    # mode "raise" gathers into a temporary copy first, which took 2.5x as long
    return np.take(table, cell, out=out, mode="clip")


def legitimacy_phase(people: VillagerState, villages: Villages, tally: Tally, spec: Scenario, cell: np.ndarray, on: bool,
                     races: Races) -> None:
    g = spec.dynamics.grievance
    if not on:
        people.legitimacy[:] = g.legitimacy
        return
    table = grievance.penalty_table(
        villages.money_seen, villages.incidents - villages.healed, villages.asn_visible, villages.asn_offended,
        villages.partisan_kades_offends, tally.disputed_winner_of(races.of_village),
        money_penalty=g.money_politics_penalty, violence_penalty=g.violence_penalty, violence_cap=g.violence_penalty_cap,
        asn_penalty=g.asn_penalty, partisan_kades_penalty=g.partisan_kades_penalty, dispute_penalty=g.dispute_penalty,
        organiser_offends=villages.organiser_offends if spec.mechanisms.logistics else None,
        organiser_penalty=spec.dynamics.logistics.organiser_penalty,
    )
    # clip(L0 - pen) per (village, camp) cell, then one gather: the same numbers as per person
    _gather(grievance.perceived_legitimacy(g.legitimacy, table.ravel()), cell, out=people.legitimacy)


def tension_phase(
    people: VillagerState, villages: Villages, region: Region, forces: Forces, today: Today, spec: Scenario,
    cell: np.ndarray, operator: tension.Operator, spreaders: np.ndarray | None, rng: np.random.Generator, log: Log,
    external_exposure: np.ndarray | None = None, outside_tension: np.ndarray | None = None,
) -> np.ndarray:
    """Today's inputs per person, then everyone's tension moves at once (`tension.Operator`,
    built by the model for the scenario's network and dials); the detained keep theirs.
    `outside_tension`: this morning's tension of contacts across a kab/kota border outside this
    model (a partitioned province), one per slot of the operator's `across` ties.
    `spreaders`: today's hoax spreaders from the hoax phase (None when hoaxes are switched off).
    Returns the detained rows (ascending): the escalation phase, next, reads them instead of
    scanning everyone's state again (this phase changes no state)."""
    tp, med, s = spec.dynamics.tension, spec.dynamics.mediation, today.stage.stakes
    relief = mediation.tension_relief(villages.mediation, tp.mediation_relief)
    table = tension.village_inputs(
        villages.money_today, villages.violence_exposure, region.adjacency, villages.rally_today, relief, s,
        money_gain=tp.money_gain, violence_gain=tp.violence_gain, violence_spillover=tp.violence_spillover,
        rally_rival_gain=tp.rally_rival_gain,
        outrage=villages.outrage, outrage_gain=spec.dynamics.campaign_violence.outrage_gain,
        external_exposure=external_exposure,
    )
    inputs = _gather(table.ravel().astype(np.float32), cell)  # cast the small table, then gather
    if spreaders is not None and len(spreaders):
        inputs[spreaders] += tension.hoax_input(people.partisanship[spreaders], spec.dynamics.hoax.tension_gain,
                                                _per(s, people.village[spreaders]))
    # provocations: Poisson events per village, each reaching a share of the village
    n_prov = rng.poisson(today.stage.trigger_rate * (1 + region.hotspot), region.n_villages)
    provoked_villages = np.flatnonzero(n_prov)
    if len(provoked_villages):
        # everyone in the provoked villages at once (consecutive draws: the same numbers as per village)
        sizes = people.village_size[provoked_villages].astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        rows = np.repeat(people.village_start[provoked_villages] - offsets, sizes) + np.arange(int(sizes.sum()))
        hit = tension.provoked(tp.provocation_reach, np.repeat(n_prov[provoked_villages], sizes), rng.random(len(rows)))
        inputs[rows[hit]] += tp.provocation_gain * _per(s, people.village[rows[hit]])
        for v, n in zip(provoked_villages.tolist(), np.add.reduceat(hit, offsets, dtype=np.int64).tolist()):
            log(today.day, v, "provocation", "provokator", size=n)
    if tp.mobilised_arousal > 0:
        inputs[people.state == _MOBILISED] += tp.mobilised_arousal
    if len(forces.tokoh):
        at_home = villages.mediation[forces.tokoh_village]
        effect = mediation.tokoh_effect(forces.tokoh_inflaming, at_home, _per(s, forces.tokoh_village), tp.mediation_relief,
                                        med.tokoh_relay, tp.tokoh_inflame_gain)
        # only the few tokoh active today touch their followers' rows (an inflaming tokoh
        # every day, a calming one on mediation days): cheaper than a people x tokoh product
        for t in np.flatnonzero(effect):
            inputs[forces.tokoh[t].followers] += effect[t]
        forces.tokoh_engaged_days += ~forces.tokoh_inflaming & (at_home > 0)
    new = operator.apply(people.tension, people.partisanship, tp.decay * tp.stake_level * _per(s, people.village), inputs,
                         out=inputs, outside=outside_tension)
    # the detained (a few dozen at most) keep their tension: put it back into `new`, then one
    # plain copy (a masked copy and its negated mask cost twice as much)
    held = np.flatnonzero(people.state == _DETAINED)
    new[held] = people.tension[held]
    people.tension[:] = new
    return held


def escalation_phase(
    people: VillagerState, partisans: Partisans, villages: Villages, today: Today, spec: Scenario, mobilise_on: bool,
    rng: np.random.Generator, detained: np.ndarray | None = None,
) -> None:
    """Calm or tense from tension; active supporters mobilise (simulation/dynamics/mobilisation.py).
    `detained`: who is detained (ascending), as the tension phase found them; None: scan."""
    state = mobilisation.escalation_state(people.tension, people.state, spec.dynamics.tension.tense_threshold, detained)
    if mobilise_on and len(partisans.index):
        mp, pi = spec.dynamics.mobilisation, partisans.index
        v = people.village[pi]
        drive = mobilisation.drive(people.hardship[pi], people.legitimacy[pi], people.tension[pi], mp.grievance_weight, mp.tension_weight)
        # support felt at a rally or the TPS; none on most days (then the share alone decides,
        # which compares exactly as against max(share, 0))
        floor = np.maximum(mp.rally_support * today.rally_attendee[pi], today.tps_support[pi]) if today.gathering else None
        go_home = mediation.dispersal(mp.dispersal, villages.mediation[v], spec.dynamics.mediation.dispersal) \
            if villages.mediation.any() else mp.dispersal  # the same number: base + (1 - base) * d * 0
        mob = mobilisation.mobilise(
            people.state[pi], drive, people.risk_aversion[pi], people.threshold[pi], v, villages.presence,
            partisans.support, partisans.contacts, floor, go_home,
            arrest_k=mp.arrest_k, crowd_per_officer=mp.crowd_per_officer, rounding=mp.ratio_rounding,
            activation_threshold=mp.activation_threshold, cascade_rounds=mp.cascade_rounds, rng=rng,
        )
        state[pi[mob]] = Escalation.MOBILISED
    people.state[:] = state


def clash_phase(
    people: VillagerState, villages: Villages, region: Region, tally: Tally, today: Today, spec: Scenario,
    streams: Streams, races: Races,
) -> list[dict]:
    """Where rival crowds meet (or a losing camp's crowd meets the organisers), incidents; returns them.
    Draws from the `clashes` stream only on days with a crowd somewhere. The losers are those of
    the village's own race (`races`)."""
    cp, n_camps, nv = spec.dynamics.clashes, len(spec.candidates), region.n_villages
    stage = today.stage
    villages.violence_exposure = np.zeros(nv)
    villages.days_since_incident += 1
    mob = people.state == _MOBILISED
    if not mob.any():
        return []
    rng = streams.clashes
    crowds = clashes.crowd_sizes(people.village, people.camp, mob, nv, n_camps)
    h = clashes.clash_hazard(crowds, region.adjacency, cp.base_hazard, stage.contact, cp.neighbour_contact, villages.presence, cp.police_damping)
    losing = _losing(tally.winner_of(races.of_village), n_camps)  # (village, camp)
    loser_crowd = (crowds * losing).sum(axis=1)
    h_org = clashes.organisers_hazard(loser_crowd, cp.organisers_hazard, stage.organisers_contact, villages.presence, cp.police_damping)
    fight = rng.random(nv) < h
    protest = ~fight & (rng.random(nv) < h_org)
    found = []
    for v in np.flatnonzero(fight | protest):
        idx = people.rows_of(int(v))
        present = idx[mob[idx] & (losing[v][people.camp[idx]] | bool(fight[v]))]
        who = clashes.draw_participants(present, people.tension, cp.participation, rng, cp.min_participants)
        if len(who) == 0:
            continue
        people.state[who] = Escalation.VIOLENT
        camps = tuple(int(c) for c in np.unique(people.camp[who]))
        found.append({"day": today.day, "village": int(v), "kind": "clash" if fight[v] else "protest", "size": len(who),
                      "camps": camps, "stage": stage.at(v).name})
    return found


def campaign_phase(
    people: VillagerState, villages: Villages, region: Region, today: Today, spec: Scenario, streams: Streams,
) -> list[dict]:
    """Campaign days only (stages with rallies): convoys through rival villages, then acts against a
    rival's campaign material or tim sukses (simulation/dynamics/campaign.py); returns the incidents.
    Draws from the `campaign` stream only on campaign days with someone wound up."""
    if not np.any(today.stage.rallies):
        return []
    cv, cp = spec.dynamics.campaign_violence, spec.dynamics.clashes
    nv, k = region.n_villages, len(spec.candidates)
    st = people.state
    hot = (st == Escalation.TENSE) | (st == Escalation.MOBILISED)
    if not hot.any():
        return []
    rng = streams.campaign
    wound = clashes.crowd_sizes(people.village, people.camp, hot, nv, k)  # H[v, c]: as the crowds of §7.6, of the wound-up
    found: list[dict] = []
    struck = np.zeros(nv, dtype=bool)  # one convoy clash per village a day
    adj = region.adjacency
    for v, c, came in today.rallies:
        came = came[st[came] != Escalation.DETAINED]
        if len(came) == 0 or rng.random() >= cv.convoy_share:
            continue
        for u in campaign.convoy_route(adj.indices[adj.indptr[v]:adj.indptr[v + 1]], cv.convoy_villages, rng).tolist():
            rivals = float(wound[u].sum() - wound[u, c])
            h = campaign.convoy_hazard(len(came), rivals, cv.convoy_hazard, villages.presence[u], cp.police_damping)
            if struck[u] or rng.random() >= h:
                continue
            idx = people.rows_of(int(u))
            theirs = idx[hot[idx] & (people.camp[idx] >= 0) & (people.camp[idx] != c)]
            who = clashes.draw_participants(np.concatenate([came, theirs]), people.tension, cp.participation, rng,
                                            cp.min_participants)
            if len(who) == 0:
                continue
            struck[u] = True
            st[who] = Escalation.VIOLENT
            hit = np.unique(people.camp[theirs]) if len(theirs) else np.array([], dtype=np.int64)
            villages.outrage_next[u, c] = 1.0
            villages.outrage_next[u, hit] = 1.0
            found.append({"day": today.day, "village": int(u), "kind": campaign.CONVOY, "size": len(who),
                          "camps": tuple(sorted({int(c), *(int(x) for x in hit)})), "stage": today.stage.at(u).name})
            break  # a convoy ends at its first clash
    h = campaign.act_hazard(wound, villages.supporters, cv.act_rate, villages.presence, cp.police_damping)
    if np.ndim(today.stage.rallies):  # races at different stages: acts only where a campaign runs
        h = h * today.stage.rallies[:, None]
    acts = np.argwhere(rng.random(h.shape) < h)  # (village, camp), in village order
    for v, c in acts.tolist():
        idx = people.rows_of(int(v))
        mine = idx[hot[idx] & (people.camp[idx] == c)]
        victim = campaign.victim_camp(villages.supporters[v], c, rng)
        if victim < 0 or len(mine) == 0:
            continue
        kind = campaign.APK if rng.random() < cv.apk_share else campaign.ASSAULT
        who = campaign.draw_actors(mine, people.tension, cp.participation, cv.act_max_participants, rng)
        st[who] = Escalation.VIOLENT
        villages.outrage_next[v, victim] = 1.0
        found.append({"day": today.day, "village": int(v), "kind": kind, "size": len(who), "camps": (int(c),),
                      "target": victim, "stage": today.stage.at(v).name})
    return found


def incident_severity(incident: dict, spec: Scenario, streams: Streams, on: bool) -> None:
    """Deaths, injuries and buildings damaged (simulation/dynamics/severity.py) into the incident,
    each incident from its own generator (day, village): a policy that changes one incident never
    changes another's numbers. Switched off: all zero."""
    if not on:
        incident.update(deaths=0, injured=0, damaged=0)
        return
    sv = spec.dynamics.severity
    rng = streams.generator("severity", *_incident_key(incident))
    harm = severity.draw(
        incident["size"], rng, deaths_mean=sv.deaths_mean, injured_mean=sv.injured_mean, damaged_mean=sv.damaged_mean,
        deaths_dispersion=sv.deaths_dispersion, injured_dispersion=sv.injured_dispersion,
        damaged_dispersion=sv.damaged_dispersion, reference_size=sv.reference_size,
        size_elasticity=sv.size_elasticity, lethality=sv.lethality,
    )
    kind = incident.get("kind")
    if kind == campaign.APK:  # property: the material or a posko, nobody hurt
        harm = harm._replace(deaths=0, injured=0)
    elif kind == campaign.ASSAULT:  # a person attacked, no building
        harm = harm._replace(damaged=0)
    incident.update(harm._asdict())


def incident_reported(incident: dict, spec: Scenario, streams: Streams, on: bool) -> None:
    """Whether a newspaper-coded data set would record the incident (simulation/dynamics/
    reporting.py), from its own generator keyed like its severity's; switched off: always."""
    if not on:
        incident["reported"] = True
        return
    rp = spec.dynamics.reporting
    p = reporting.probability(incident["size"], incident.get("deaths", 0), incident.get("injured", 0),
                              incident.get("damaged", 0), base=rp.base, size_gain=rp.size_gain,
                              harm_gain=rp.harm_gain, death_weight=rp.death_weight)
    incident["reported"] = bool(streams.generator("reporting", *_incident_key(incident)).random() < p)


def record_incident(incident: dict, villages: Villages, tally: Tally, spec: Scenario, log: Log) -> None:
    v, d, size = incident["village"], incident["day"], incident["size"]
    tally.incidents.append(incident)
    villages.incidents[v] += 1
    villages.participants[v] += size
    if villages.first_incident[v] < 0:
        villages.first_incident[v] = d
    villages.days_since_incident[v] = 0
    exposure = min(1.0, size / spec.dynamics.tension.violence_exposure_size)
    villages.violence_exposure[v] = max(villages.violence_exposure[v], exposure)
    if incident["stage"] in ("voting", "counting"):
        villages.voting_disrupted[v] = True
    names = " vs ".join(spec.candidates[c].name for c in incident["camps"]) or "massa"
    detail = INCIDENT_DETAIL[incident["kind"]]
    if "target" in incident:
        detail += f" ({spec.candidates[incident['target']].name})"
    harm = (incident.get("deaths", 0), incident.get("injured", 0), incident.get("damaged", 0))
    if any(harm):  # the words describe_event (siaga/event_text.py) reads back
        detail += "; {} tewas, {} luka, {} bangunan rusak".format(*harm)
    log(d, v, "incident", names, size=size, detail=detail)


def arrest_phase(people: VillagerState, villages: Villages, tally: Tally, spec: Scenario, streams: Streams, day: int, log: Log) -> int:
    """Police present arrest up to their capacity; draws from the `arrests` stream only when there
    is someone to arrest."""
    ap = spec.dynamics.arrests
    if ap.target == "mobilised":
        targets = np.flatnonzero((people.state == _MOBILISED) | (people.state == _VIOLENT))
    else:
        targets = np.flatnonzero(people.state == _VIOLENT)
    if len(targets) == 0:
        return 0
    rng = streams.arrests
    taken = arrests.arrest_in_villages(targets, people.village, villages.arresting, ap.arrests_per_officer, rng)
    if len(taken):
        arrests.detain(people.state, people.jail, taken, ap.max_jail_days, rng)
        tally.arrests += len(taken)
        for v, c in zip(*np.unique(people.village[taken], return_counts=True)):
            villages.arrests[v] += c
            log(day, int(v), "arrest", "Polsek", size=int(c))
    return len(taken)


def _count_per_village(flags: np.ndarray, village_start: np.ndarray) -> np.ndarray:
    """How many flags are set in each village's block of rows: the same counts as a segment sum,
    from the positions of the (usually few) set flags, without widening a million booleans."""
    return _count_rows_per_village(np.flatnonzero(flags), village_start, len(flags))


def _count_rows_per_village(rows: np.ndarray, village_start: np.ndarray, n: int) -> np.ndarray:
    """How many of `rows` (ascending, each once) fall in each village's block of the n rows."""
    ends = np.append(village_start[1:], n)
    return np.searchsorted(rows, ends) - np.searchsorted(rows, village_start)


def _out_in_crowds(state: np.ndarray) -> np.ndarray:
    """state == MOBILISED or VIOLENT, in two passes instead of three: the two codes differ only in
    the lowest bit, so clearing it and comparing once tests both (exactly, for any int8 value)."""
    if state.dtype != np.int8:  # pragma: no cover - the model keeps states as int8
        return (state == Escalation.MOBILISED) | (state == Escalation.VIOLENT)
    cleared = np.bitwise_and(state, np.int8(~1))
    return np.equal(cleared, Escalation.MOBILISED, out=cleared.view(np.bool_))


def _rows_in_crowds(state: np.ndarray) -> np.ndarray:
    """np.flatnonzero(state == MOBILISED or VIOLENT): the rows at or above MOBILISED (one
    comparison over everyone, a few rows), then the two codes tested on those rows alone."""
    rows = np.flatnonzero(state >= _MOBILISED)
    s = state[rows]
    return rows[(s == _MOBILISED) | (s == _VIOLENT)]


assert Escalation.VIOLENT == Escalation.MOBILISED | 1 and Escalation.MOBILISED & 1 == 0  # _out_in_crowds


def alert_phase(people: VillagerState, villages: Villages, scale: AlertScale, spreaders: np.ndarray | None = None) -> None:
    """The noise-free alert index and level of every village (what the pictures show).
    `spreaders`: who is spreading, ascending, as the hoax phase left them (nothing changes the
    rumour states after it in a day), which spares a scan of everyone; None: scan."""
    start, pop = people.village_start, people.village_size
    # villagers are stored village by village, so per-village sums are segment sums
    mean_t = np.add.reduceat(people.tension, start, dtype=np.float64) / pop
    mob = _count_rows_per_village(_rows_in_crowds(people.state), start, people.n) / pop
    if spreaders is None:
        spreaders = np.flatnonzero(people.rumour == _SPREADER)
    spr = _count_rows_per_village(spreaders, start, people.n) / pop
    villages.alert_index = scale.index(mean_t, mob, spr)
    villages.alert_level = scale.levels(villages.alert_index, villages.days_since_incident)
    villages.worst_alert = np.maximum(villages.worst_alert, villages.alert_level)


def counter_hoax_campaigns(villages: Villages, forces: Forces, policy: PolicySpec, day: int) -> np.ndarray:
    """Villages where a counter-hoax campaign runs today: ordered by a rakor or the Camat, or under
    a counter-hoax policy where the Kades's reading (yesterday's) is at the policy's level."""
    campaign = villages.counter_hoax_until >= day
    ch = policy.counter_hoax
    if ch.enabled:
        seen = np.array([k.level for k in forces.kades])
        campaign |= seen >= level_of(ch.level)
    return campaign

