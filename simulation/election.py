"""The election's own phases, race by race (docs/ODD.md §7.1a, §7.10, §7.20, §7.26, §7.27): who
votes and whom for, the result and its dispute, the TPS on voting day, the ballots on the road, and
the trailing camps' marches on the offices. `election_day` runs the first three in the order of
§3; `logistics_phase` and `government_phase` are incident phases the model calls with the others
(simulation/day.py).

One race over the region (`calendar.races = "region"`) is the case of one race everywhere: a
per-race value is read per person only where there are several races (`_of_person`), so one race
costs no more than before the races existed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from common.levels import NO_CAMP, Escalation
from scenarios.schema import Scenario
from simulation.calendar import Calendar
from simulation.day import GOVERNMENT, LOGISTICS
from simulation.dynamics import clashes, dispute, government, logistics, polling
from simulation.population import VillagerState
from simulation.races import Races
from simulation.region import Region
from simulation.rng import Streams
from simulation.state import ElectionResult, Tally, Today, Villages

Log = Callable[..., None]
_DETAINED = int(Escalation.DETAINED)


def _of_person(by_race: np.ndarray, races: Races, people: VillagerState) -> np.ndarray | int:
    """A per-race value for every person: the one value itself when there is one race."""
    return by_race[0] if races.n == 1 else by_race[races.of_village][people.village]


def election_day(people: VillagerState, villages: Villages, region: Region, tally: Tally, today: Today, spec: Scenario,
                 calendar: Calendar, races: Races, rng: np.random.Generator, log: Log) -> None:
    """Today's counts, results and TPS, race by race (§3): the races voting today count their
    votes (`tally.voted`: today's voters), those whose result day it is announce it, and the
    voting villages' TPS open."""
    on, day = spec.mechanisms, today.day
    voting = np.flatnonzero(calendar.voting_days == day)
    if on.election and len(voting):
        voted = None
        for r in voting.tolist():
            rows = None if races.n == 1 else np.flatnonzero(races.of_village[people.village] == r)
            n_inc = sum(1 for i in tally.incidents if races.of_village[i["village"]] == r)
            tally.votes_by_race[r], mine = count_votes(people, villages, spec, rng, n_inc, rows)
            voted = mine if voted is None else voted | mine
        tally.voted = voted
    if on.election:
        for r in np.flatnonzero(calendar.result_days == day).tolist():
            if tally.votes_by_race[r] is not None:  # one race: announced at the first kecamatan seat, as always
                announce_result(tally, spec, region, day, log, r, None if races.kabupaten is None else races.seat(r, region))
    if on.polling and len(voting) and tally.voted is not None:
        where = None if races.n == 1 else np.isin(races.of_village, voting)
        polling_day(people, villages, today, tally.voted, spec, region.n_villages, where)


def count_votes(
    people: VillagerState, villages: Villages, spec: Scenario, rng: np.random.Generator, n_incidents: int = 0,
    rows: np.ndarray | None = None,
) -> tuple[ElectionResult, np.ndarray]:
    """Voting day: who turns out, whom they vote for (money politics sways the undecided), and
    whether the losing side will dispute the result (`dynamics.election.dispute_rule`;
    `n_incidents`: the incidents so far, a cause under the rule "causes"). `rows`: the people of
    this race (a kabupaten's, §7.1a), everyone when None; the returned voters are flags over everyone."""
    e, n_camps = spec.dynamics.election, len(spec.candidates)
    sel = slice(None) if rows is None else rows
    camp, village = people.camp[sel], people.village[sel]
    vote = people.lean[sel].astype(np.int64)
    swing = np.flatnonzero(camp == NO_CAMP)
    pressure = villages.money_seen_by_camp[village[swing]]  # (swing, camps)
    if pressure.any():
        tot = pressure.sum(axis=1)
        switch = rng.random(len(swing)) < e.money_sway * np.minimum(tot, 1.0)
        buyer = np.argmax(pressure, axis=1)
        vote[swing[switch]] = buyer[switch]
    voted = people.voter[sel] & (rng.random(len(vote)) < e.turnout) & (people.state[sel] != _DETAINED)
    shares = np.bincount(vote[voted], minlength=n_camps) / max(voted.sum(), 1)
    order = np.argsort(-shares)
    margin = float(shares[order[0]] - (shares[order[1]] if n_camps > 1 else 0.0))
    p_dispute = e.dispute_probability if e.dispute_rule == "fixed" else \
        dispute_causes(camp, village, villages, int(order[0]), margin, spec, n_incidents)
    disputed = n_camps > 1 and margin <= e.dispute_margin_max and rng.random() < p_dispute
    if rows is not None:
        everyone = np.zeros(people.n, dtype=bool)
        everyone[rows] = voted
        voted = everyone
    return ElectionResult([float(s) for s in shares], int(order[0]), margin, bool(disputed), p_dispute), voted


def dispute_causes(camp: np.ndarray, village: np.ndarray, villages: Villages, winner: int, margin: float, spec: Scenario,
                   n_incidents: int) -> float:
    """The dispute's probability from its causes (simulation/dynamics/dispute.py), over the race's
    people (`camp`, `village`)."""
    e = spec.dynamics.election
    cheat = dispute.cheating_seen(camp, village, winner, villages.money_seen_by_camp,
                                  villages.partisan_kades_offends, villages.asn_visible, villages.asn_offended,
                                  villages.organiser_offends if spec.mechanisms.logistics else None)
    return dispute.probability(
        dispute.closeness(margin, e.close_margin), cheat, min(1.0, n_incidents / e.violence_reference),
        base=e.dispute_base, close_weight=e.close_weight, cheating_weight=e.cheating_weight, violence_weight=e.violence_weight,
    )


def announce_result(tally: Tally, spec: Scenario, region: Region, day: int, log: Log, race: int = 0,
                    seat: int | None = None) -> None:
    """The race's count becomes its result, announced at `seat` (the region's first kecamatan
    seat when None)."""
    tally.result_by_race[race] = r = tally.votes_by_race[race]
    seat = int(region.seat[0]) if seat is None else seat
    log(day, seat, "result", "KPU", detail=f"{spec.candidates[r.winner].name} wins by {r.margin:.1%}")
    if r.disputed:
        log(day, seat, "dispute", "losing pair", detail="gugatan ke MK")


def polling_day(people: VillagerState, villages: Villages, today: Today, voted: np.ndarray, spec: Scenario, n_villages: int,
                voting: np.ndarray | None = None) -> None:
    """Voting day: voters at the TPS feel their camp around them; Polri guard the TPS.
    `voting`: the villages voting today (a bool per village), all when None."""
    pp = spec.dynamics.polling
    today.tps_support[:] = polling.gathering_support(voted, pp.tps_support)
    today.gathering = True
    voters = np.bincount(people.village[people.voter], minlength=n_villages)
    # a crowd at one TPS sees that TPS's guard (deterrence is local, as Epstein's vision);
    # all the village's TPS guards can arrest
    if voting is None:
        villages.presence += pp.police_per_tps
        villages.arresting += polling.tps_police(voters, pp.voters_per_tps, pp.police_per_tps)
    else:
        villages.presence[voting] += pp.police_per_tps
        villages.arresting[voting] += polling.tps_police(voters[voting], pp.voters_per_tps, pp.police_per_tps)


def logistics_phase(
    people: VillagerState, villages: Villages, tally: Tally, today: Today, spec: Scenario, voting_days: np.ndarray,
    streams: Streams, races: Races,
) -> list[dict]:
    """On logistics days (simulation/dynamics/logistics.py), wound-up crowds may seize a village's
    ballots and boxes; returns the seizures as incidents. Each race's ballots move around its own
    voting day (`voting_days`, per race). Draws from the `logistics` stream only on logistics days
    with someone wound up."""
    lp, cp = spec.dynamics.logistics, spec.dynamics.clashes
    legs = [logistics.logistics_day(today.day, int(vd), lp.distribution_days, lp.return_days) for vd in voting_days]
    if all(g is None for g in legs):
        return []
    st = people.state
    hot = ((st == Escalation.TENSE) | (st == Escalation.MOBILISED)) & (people.camp >= 0)
    if any(g is None for g in legs):  # some races have no ballots on the road today
        hot &= _of_person(np.array([g is not None for g in legs]), races, people)
    # on the return leg, the camps behind in the count (-1: no count yet, or not returning)
    behind = np.array([v.winner if v is not None and g == "return" else -1 for v, g in zip(tally.votes_by_race, legs, strict=True)])
    if (behind >= 0).any():
        hot &= people.camp != _of_person(behind, races, people)
    if not hot.any():
        return []
    nv = len(villages.presence)
    wound = np.bincount(people.village[hot], minlength=nv).astype(np.float64)
    partisan = (villages.organiser_offends.sum(axis=1) > 0).astype(np.float64)
    h = logistics.seizure_hazard(wound, partisan, lp.seizure_hazard, villages.presence, lp.escort_officers, cp.police_damping)
    rng = streams.logistics
    found = []
    for v in np.flatnonzero(rng.random(nv) < h).tolist():
        idx = people.rows_of(v)
        who = clashes.draw_participants(idx[hot[idx]], people.tension, cp.participation, rng, cp.min_participants)
        if len(who) == 0:
            continue
        st[who] = Escalation.VIOLENT
        villages.voting_disrupted[v] = True
        found.append({"day": today.day, "village": v, "kind": LOGISTICS, "size": len(who),
                      "camps": tuple(int(c) for c in np.unique(people.camp[who])), "stage": today.stage.at(v).name,
                      "leg": legs[int(races.of_village[v])]})
    return found


def government_phase(
    people: VillagerState, villages: Villages, region: Region, tally: Tally, today: Today, spec: Scenario,
    voting_days: np.ndarray, log: Log, streams: Streams, races: Races,
) -> list[dict]:
    """After voting, on days with contact with the organisers: each race's trailing camps'
    mobilised supporters march to the offices at its seat (simulation/dynamics/government.py),
    race by race; a demonstration may turn violent. Draws from the `government` stream only on
    such days with someone mobilised."""
    winner = np.full(races.n, -2)  # -2: no march in this race today
    for r, votes in enumerate(tally.votes_by_race):
        if votes is not None and today.day > voting_days[r] and today.stage.of_race(r).organisers_contact > 0:
            winner[r] = votes.winner
    if (winner == -2).all():
        return []
    behind = _of_person(winner, races, people)
    out = (people.state == Escalation.MOBILISED) & (people.camp >= 0) & (people.camp != behind)
    if races.n > 1:
        out &= behind != -2
    candidates = np.flatnonzero(out)
    race_of = races.of_village[people.village[candidates]]
    found: list[dict] = []
    for r in np.unique(race_of).tolist():
        found += _march(people, villages, candidates[race_of == r], races.seat(r, region), today.stage.of_race(r), today.day,
                        spec, log, streams)
    return found


def _march(people: VillagerState, villages: Villages, candidates: np.ndarray, seat: int, stage, day: int, spec: Scenario,
           log: Log, streams: Streams) -> list[dict]:
    """One race's march on the offices at `seat`, of some of its mobilised trailing supporters
    (`candidates`, ascending)."""
    gp, cp = spec.dynamics.government_protests, spec.dynamics.clashes
    if len(candidates) == 0:
        return []
    rng = streams.government
    marchers = candidates[rng.random(len(candidates)) < gp.march_share]
    if len(marchers) < gp.min_marchers:
        return []
    log(day, seat, "demonstration", "massa pendukung", size=len(marchers), detail="unjuk rasa di kantor KPU/Bawaslu/Bupati")
    h = government.riot_hazard(len(marchers), stage.organisers_contact, gp.riot_hazard, villages.presence[seat], gp.office_guard,
                               cp.police_damping)
    if rng.random() >= h:
        return []
    who = clashes.draw_participants(marchers, people.tension, cp.participation, rng, cp.min_participants)
    people.state[who] = Escalation.VIOLENT
    return [{"day": day, "village": seat, "kind": GOVERNMENT, "size": len(who),
             "camps": tuple(int(c) for c in np.unique(people.camp[who])), "stage": stage.name}]
