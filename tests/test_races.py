"""A race per kabupaten and staggered voting days (docs/ODD.md §7.1a): who votes when, each race's
count, result and dispute, the stage each village is in, and what staggering does to the demand
for backup."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import scipy.sparse as sp
from test_backup_pools import run_twice_alike, touchy_scenario

from scenarios.errors import ScenarioError
from scenarios.loader import load_scenario
from scenarios.synthetic import synthetic_scenario
from siaga import SiagaModel
from simulation.dynamics import grievance, logistics, tension


def _races(kabupaten: int = 3, stagger: int = 0, waves: int | None = None, extend: int = 0, **kw) -> dict:
    data = touchy_scenario(kabupaten=kabupaten, kecamatan=2 * kabupaten, **kw)
    cal = data["calendar"]
    cal.update(races="kabupaten", stagger_days=stagger)
    if waves is not None:
        cal["stagger_waves"] = waves
    cal["end"] = dt.date.fromisoformat(str(cal["end"])) + dt.timedelta(days=extend)
    return data


def _run_to(m: SiagaModel, day: int) -> None:
    """Run days 0..day (the model's day is then day + 1)."""
    while m.day <= day:
        m.step()


def test_one_race_over_the_region_by_default():
    m = SiagaModel(synthetic_scenario(500, days=5), seed=1)
    assert m.races.n == 1 and m.races.kabupaten is None
    assert m.calendar.voting_days.tolist() == [m.calendar.voting_day]
    assert len(m.forces.supporter_groups) == m.n_camps


def test_stagger_needs_a_race_per_kabupaten():
    data = synthetic_scenario(500, days=5)
    data["calendar"]["stagger_days"] = 7
    with pytest.raises(ScenarioError, match="stagger_days.*races"):
        load_scenario(data)


def test_waves_in_code_order_round_robin():
    m = SiagaModel(_races(kabupaten=5, stagger=14, extend=60), seed=1)
    assert m.races.offsets.tolist() == [0, 14, 28, 42, 56]
    assert m.calendar.voting_days.tolist() == [m.calendar.voting_day + o for o in (0, 14, 28, 42, 56)]
    m = SiagaModel(_races(kabupaten=5, stagger=14, waves=2, extend=20), seed=1)
    assert m.races.offsets.tolist() == [0, 14, 0, 14, 0]
    assert m.races.staggered


def test_a_race_that_cannot_finish_is_a_clear_error():
    data = _races(kabupaten=3, stagger=50)
    with pytest.raises(ValueError, match=r"calendar\.end .*set calendar\.end to \d{4}-\d\d-\d\d"):
        SiagaModel(data, seed=1)


def test_each_race_counts_and_announces_its_own_result_at_its_seat():
    m = SiagaModel(_races(kabupaten=3, stagger=10, extend=30), seed=2)
    m.run()
    ev = m.event_frame()
    results = ev[ev.kind == "result"]
    assert results["day"].tolist() == m.calendar.result_days.tolist()
    seats = [m.region.names[m.region.polres_seat_of(k)] for k in range(3)]
    assert results["village"].tolist() == seats
    assert all(r is not None for r in m.tally.result_by_race)
    assert m.outcomes()["disputed"] == sum(r.disputed for r in m.tally.result_by_race)
    assert m.outcomes()["margin"] == pytest.approx(np.mean([r.margin for r in m.tally.result_by_race]))


def test_every_village_is_at_its_own_race_stage():
    m = SiagaModel(_races(kabupaten=3, stagger=10, extend=30), seed=2)
    day = int(m.calendar.voting_days[1])
    _run_to(m, day)
    stage = m.today.stage
    for v in range(m.region.n_villages):
        r = int(m.races.of_village[v])
        assert stage.at(v).name == m.calendar.stage_spec(day, r).name
    assert stage.at(int(m.races.villages(1)[0])).name == "voting"
    assert {stage.at(int(m.races.villages(r)[0])).name for r in (0, 2)} != {"voting"}
    # only the race voting today is at the TPS
    at_tps = m.today.tps_support > 0
    assert at_tps.any()
    assert set(np.unique(m.races.of_village[m.people.village[at_tps]]).tolist()) == {1}


def test_serentak_races_stand_at_one_stage():
    m = SiagaModel(_races(kabupaten=3), seed=2)
    assert not m.races.staggered
    _run_to(m, int(m.calendar.voting_day))
    assert isinstance(m.today.stage.name, str) and m.today.stage.name == "voting"
    assert m.today.stage.at(0) is m.today.stage


def test_campaigns_logistics_and_counts_follow_each_race():
    m = SiagaModel(_races(kabupaten=3, stagger=20, extend=45), seed=4, mechanisms__logistics=True)
    m.run()
    ev = m.event_frame()
    code_race = dict(zip(m.region.codes, m.races.of_village.tolist()))
    rallies = ev[(ev.kind == "rally") & (ev.detail == "kampanye")]  # not the mass action after a dispute
    assert len(rallies)
    for _, row in rallies.iterrows():  # a campaign rally only where that village's race is campaigning
        spec = m.calendar.stage_spec(int(row["day"]), code_race[row["village_code"]])
        assert spec.rallies, (row["day"], row["village"], spec.name)
    lp = m.spec.dynamics.logistics
    for i in m.tally.incidents:
        if i["kind"] == "logistics":
            r = int(m.races.of_village[i["village"]])
            assert i["leg"] == logistics.logistics_day(i["day"], int(m.calendar.voting_days[r]), lp.distribution_days, lp.return_days)
    groups = m.forces.supporter_groups
    assert len(groups) == 3 * m.n_camps
    for g in groups:  # each kabupaten's tim sukses works there alone
        assert np.all(m.races.of_village[g.villages] == g.race)
        assert not g.members_per_village[m.races.of_village != g.race].any()


def test_staggered_runs_are_reproducible():
    run_twice_alike(_races(kabupaten=3, stagger=15, extend=30), seed=5)


def test_brimob_goes_to_the_kabupaten_voting_next():
    data = _races(kabupaten=3, stagger=20, extend=45, brimob=3)
    data.setdefault("policy", {})["police"] = {"brimob_posture": "even", "brimob_days_before_voting": 3}
    m = SiagaModel(data, seed=1)
    polda = m.forces.polda
    for r in range(3):
        _run_to(m, int(m.calendar.voting_days[r]) - 3)
        hosts = [c.kabupaten for c in polda.commands for u in c.units if u.force == "Brimob"]
        assert hosts == [r, r, r], (r, hosts)


def test_village_inputs_per_village_stakes_equal_one_village_at_a_time():
    rng = np.random.default_rng(0)
    nv, k = 6, 3
    money = rng.random((nv, k)) * 0.5
    expo = rng.random(nv)
    adj = sp.random(nv, nv, density=0.4, random_state=1, format="csr")
    rally = rng.random((nv, k)) < 0.3
    relief = rng.random(nv) * 0.1
    outrage = (rng.random((nv, k)) < 0.2).astype(float)
    stakes = rng.random(nv)
    kw = dict(money_gain=0.1, violence_gain=0.2, violence_spillover=0.3, rally_rival_gain=0.05, outrage=outrage, outrage_gain=0.1)
    per_village = tension.village_inputs(money, expo, adj, rally, relief, stakes, **kw)
    for v in range(nv):
        one = tension.village_inputs(money, expo, adj, rally, relief, float(stakes[v]), **kw)
        np.testing.assert_array_equal(per_village[v], one[v])


def test_a_disputed_win_costs_legitimacy_only_in_its_own_race():
    nv, k = 4, 2
    kw = dict(money_penalty=0.1, violence_penalty=0.1, violence_cap=0.5, asn_penalty=0.1, partisan_kades_penalty=0.1,
              dispute_penalty=0.2)
    z = np.zeros(nv)
    zz = np.zeros((nv, k))
    winner = np.array([1, 1, -1, 0])
    table = grievance.penalty_table(z, z, np.zeros(nv, dtype=bool), np.ones(k), zz, winner, **kw)
    np.testing.assert_allclose(table, [[0.2, 0.0], [0.2, 0.0], [0.0, 0.0], [0.0, 0.2]])


def test_staggering_spreads_the_demand_for_backup():
    """The Camat's claim as a rule of the model: the same province asks for the same shared Brimob
    platoons on one day when it votes at once, on different days when staggered, so asks wait
    longer or go unmet more often under serentak (summed over paired seeds)."""
    totals = {}
    for stagger in (0, 30):
        unmet = waited = 0.0
        for seed in range(4):
            data = _races(kabupaten=3, stagger=stagger, extend=70, polres=0, brimob=1)
            o = SiagaModel(data, seed=seed).run()
            unmet += o["backup_unmet"]
            waited += o["backup_wait_days"] * o["backup_granted"]
        totals[stagger] = (unmet, waited)
    assert totals[0][0] + totals[0][1] > totals[30][0] + totals[30][1], totals
