"""A partitioned province (simulation/federation.py, `siaga run --partition kabupaten`): one model
per kab/kota coupled once a day through the Polda's platoons; in this process and on a Dask
cluster it is the same simulation."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from scenarios.loader import load_scenario
from siaga.cli import main
from simulation import federation
from simulation.model import SiagaModel

KALTARA = {
    "extends": "kepahiang_pilkada2024", "name": "Kalimantan Utara, partitioned", "seed": 5,
    "region": {"name": "Kalimantan Utara", "place": ["65"], "sampling": 50},  # 5 kab/kota, 15,000 agents
    "officials": {"backup_mode": "pooled", "polres_backup_units": 0, "brimob_backup_units": 1},
    "population": {"threshold_mean": 0.15}, "dynamics": {"clashes": {"base_hazard": 0.02}}, "days": 100,
}


def _spec(**changes):
    data = json.loads(json.dumps(KALTARA))
    for key, value in changes.items():
        node = data
        *path, last = key.split(".")
        for p in path:
            node = node.setdefault(p, {})
        node[last] = value
    return load_scenario(data)


def test_in_this_process_and_on_a_dask_cluster_it_is_one_simulation():
    from distributed import Client, LocalCluster

    spec = _spec()
    here = federation.run(spec, 5)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, Client(cluster) as client:
        there = federation.run(spec, 5, lambda parts: federation.DaskMembers(parts, client))
    assert here.codes == there.codes == ["65.01", "65.02", "65.03", "65.04", "65.71"]
    assert repr(here.member_outcomes) == repr(there.member_outcomes)
    assert here.events == there.events and len(here.events) > 100
    assert here.outcomes == there.outcomes and here.platoons_lent == there.platoons_lent


def test_each_member_is_its_kabupaten_with_its_own_seed():
    spec = _spec()
    parts = federation.members(spec, 5)
    full = [v.code for k in spec.region.kecamatan for v in k.villages]
    assert [c for p in parts for c in p.villages] == full  # every village once, in the region's order
    assert all(c.startswith(p.code) for p in parts for c in p.villages)
    assert len({p.seed for p in parts}) == len(parts)
    assert [p.seed for p in federation.members(spec, 5)] == [p.seed for p in parts]
    assert all(p.data["officials"]["brimob_backup_units"] == 0 for p in parts)  # the platoons are the province's
    inside = set(parts[0].villages)
    for k in parts[0].data["region"]["kecamatan"]:
        for v in k["villages"]:
            assert set(v.get("neighbours") or []) <= inside


def test_a_staggered_member_runs_its_own_race_calendar():
    spec = _spec(**{"calendar.races": "kabupaten", "calendar.stagger_days": 10, "calendar.end": dt.date(2025, 4, 30), "days": None})
    unified = SiagaModel(spec, seed=5)
    for p in federation.members(spec, 5):
        m = SiagaModel(p.data, seed=p.seed)
        r = unified.races.of_kabupaten(p.index)
        assert m.calendar.voting_day == unified.calendar.voting_days[r]
        for d in range(0, unified.calendar.n_days, 7):
            assert m.calendar.stage_spec(d).name == unified.calendar.stage_spec(d, r).name


def test_the_province_lends_a_platoon_oldest_ask_first_and_gets_it_back():
    spec = _spec()
    prov = federation.Province(spec, 5, federation.members(spec, 5))
    o = spec.officials
    g = prov.serve(10, [[(9, 0)], [(7, 3), (8, 4)], []])  # one platoon: the ask of day 7 wins
    assert g[0] == [] and [v for v, *_ in g[1]] == [3] and g[2] == []
    _, arrive, stay = g[1][0]
    assert arrive >= 10 + 1 + o.backup_delay_days + o.brimob_delay_days and stay == o.unit_stay_days
    assert prov.serve(11, [[(9, 0)], [], []]) == [[], [], []]  # still out
    leave = arrive + stay - 1
    assert prov.serve(leave, [[(9, 0)], [], []])[0] and prov.lent == 2  # free again the evening it leaves


def test_what_a_partitioned_run_cannot_do_is_refused():
    with pytest.raises(ValueError, match="backup_mode"):
        federation.members(_spec(**{"officials.backup_mode": "exogenous"}), 5)


def test_the_command_line_runs_a_partitioned_province(tmp_path, capsys):
    path = tmp_path / "kaltara.toml"
    path.write_text(
        'extends = "kepahiang_pilkada2024"\nname = "Kaltara"\ndays = 20\n[region]\nname = "Kaltara"\nplace = ["65"]\nsampling = 100\n'
        '[officials]\nbackup_mode = "pooled"\n', encoding="utf-8")
    assert main(["run", str(path), "--partition", "kabupaten", "--out", str(tmp_path / "out"), "--quiet"]) == 0
    written = json.loads((tmp_path / "out" / "outcomes.json").read_text(encoding="utf-8"))
    assert set(written["kabupaten"]) == {"65.01", "65.02", "65.03", "65.04", "65.71"} and written["days"] == 20
    assert (tmp_path / "out" / "events.parquet").exists() and (tmp_path / "out" / "kabupaten.csv").exists()
    assert main(["run", str(path), "--scheduler", "tcp://127.0.0.1:1", "--no-write"]) == 2
    assert "--partition" in capsys.readouterr().err


def test_violence_next_door_across_the_border_reaches_the_border_villages_only():
    spec = _spec()
    parts = federation.members(spec, 5)
    prov = federation.Province(spec, 5, parts)
    exposure = [np.zeros(len(p.villages)) for p in parts]
    exposure[0][:] = 1.0  # violence everywhere in the first kab/kota
    seen = prov.violence_next_door(exposure)
    assert not seen[0].any()  # nothing comes back from its own villages
    others = np.concatenate(seen[1:])
    assert others.any() and (others >= 0).all()
    # exactly the villages with a neighbour in the first member, by the province's adjacency
    full = [v.code for k in spec.region.kecamatan for v in k.villages]
    first = set(parts[0].villages)
    for p, s in zip(parts[1:], seen[1:], strict=True):
        for code, x in zip(p.villages, s, strict=True):
            v = next(v for k in spec.region.kecamatan for v in k.villages if v.code == code)
            touches = v.neighbours is not None and any(n in first for n in v.neighbours)
            assert (x > 0) == touches or v.neighbours is None, code
    assert len(full) == sum(len(p.villages) for p in parts)


def test_violence_next_door_raises_tomorrows_tension_there():
    spec = _spec()
    part = federation.members(spec, 5)[1]
    a, b = federation.MemberRun(part.data, part.seed), federation.MemberRun(part.data, part.seed)
    next_door = np.zeros(len(part.villages))
    next_door[3] = 1.0
    a.day([], None)
    b.day([], next_door)
    ta, tb = a.model.people.tension, b.model.people.tension
    rows = b.model.people_in(3)
    assert (tb[rows] >= ta[rows]).all() and (tb[rows] > ta[rows]).any()
    others = np.setdiff1d(np.arange(len(ta)), rows)
    np.testing.assert_array_equal(ta[others], tb[others])


def test_each_member_keeps_the_scenarios_policy_and_settings():
    from scenarios.schema import Scenario
    from simulation.interventions import resolve_policy

    spec = _spec(**{"policy.presets": ["joint"], "policy.kades.delay_days": 3, "dynamics.tension.decay": 0.09})
    for p in federation.members(spec, 5):
        member = Scenario.model_validate(p.data)
        assert resolve_policy(member.policy) == resolve_policy(spec.policy)
        assert member.dynamics == spec.dynamics and member.population == spec.population
        assert member.officials.model_dump(exclude={"brimob_backup_units"}) == spec.officials.model_dump(exclude={"brimob_backup_units"})


@pytest.mark.parametrize("posture", ["even", "risk"])
def test_the_posture_puts_the_platoons_under_each_wave_in_turn(posture):
    """§7.13a in a partitioned province: before each wave's voting day the free platoons go under its
    kab/kota's Polres, the previous wave handing over those it has free."""
    spec = _spec(**{"calendar.races": "kabupaten", "calendar.stagger_days": 10, "calendar.end": dt.date(2025, 4, 30),
                    "days": None, "officials.brimob_backup_units": 2, "officials.polres_backup_units": 1,
                    "policy.police.brimob_posture": posture, "policy.police.brimob_days_before_voting": 3})
    parts = federation.members(spec, 5)
    prov = federation.Province(spec, 5, parts)
    runs = federation.InProcess(parts)
    held = {}
    grants, next_door = [[] for _ in parts], [None for _ in parts]
    stationed, handed, recall = prov.station(0, [0] * 5, [0] * 5)
    for d in range(int(max(prov.station_day)) + 2):
        answers = runs.day(grants, next_door, stationed, handed, recall)
        grants = prov.serve(d, [a["asks"] for a in answers])
        next_door = prov.violence_next_door([a["exposure"] for a in answers])
        stationed, handed, recall = prov.station(d + 1, [a["returned"] for a in answers], [a["idle"] for a in answers])
        held[d] = [sum(1 for u in r.model.forces.polda.commands[0].units if u.bko) for r in runs.runs]
    for j, sd in enumerate(prov.station_day):  # on its station day each wave (one kab/kota here) holds them
        assert held[sd][j] >= 1 and sum(held[sd]) <= 2, (j, sd, held[sd])
    assert held[prov.station_day[0]][0] == 2  # the first wave gets both
    for r in runs.runs:
        assert sum(1 for e in r.model.events.rows if e[5] == "brimob_bko") >= 1


def test_the_provincial_tim_terpadu_serves_the_member_it_hears_is_worst_first():
    spec = _spec(**{"policy.tim_terpadu.enabled": True, "policy.province.enabled": True,
                    "officials.province_report_delay_days": 2, "officials.province_report_loss": 0.0})
    parts = federation.members(spec, 5)
    assert all(not p.data["policy"]["province"]["enabled"] for p in parts)  # the province's, not a member's
    prov = federation.Province(spec, 5, parts)
    quiet = [(0, 0)] * len(parts)
    prov.hear(10, [(0, 0), (3, 5), (0, 0), (0, 0), (0, 0)])
    # not heard yet (two days late): the oldest ask first
    assert [bool(g) for g in prov.serve(10, [[(4, 0)], [(9, 1)], [], [], []])] == [True, False, False, False, False]
    prov.hear(11, quiet)
    prov.hear(12, quiet)  # day 10's picture arrives now
    leave = max(prov.leave_day)
    g = prov.serve(leave, [[(4, 0)], [(9, 1)], [], [], []])
    assert [bool(x) for x in g] == [False, True, False, False, False]  # member 1 reported worse, served first


def test_a_partitioned_run_with_the_tim_terpadu_and_province_is_reproducible():
    spec = _spec(**{"policy.tim_terpadu.enabled": True, "policy.province.enabled": True, "days": 60})
    a, b = federation.run(spec, 5), federation.run(spec, 5)
    assert repr(a.member_outcomes) == repr(b.member_outcomes) and a.events == b.events
    assert any(e[5] == "tim_terpadu" for e in a.events)


def test_the_kodam_lends_its_platoons_to_the_tim_terpadu_asking_for_them():
    spec = _spec(**{"policy.tim_terpadu.enabled": True, "officials.kodam_units": 1, "officials.kodam_delay_days": 2})
    parts = federation.members(spec, 5)
    assert all(p.kodam and p.data["officials"]["kodam_units"] == 0 for p in parts)  # the platoons are the province's
    prov = federation.Province(spec, 5, parts)
    o = spec.officials
    g = prov.serve_kodam(10, [[3], [7, 8], [], [], []])  # one platoon: the first asking member's
    assert [v for v, *_ in g[0]] == [3] and g[1] == [] and prov.kodam_lent == 1
    _, arrive, stay = g[0][0]
    assert arrive >= 10 + 1 + o.backup_delay_days + 2 and stay == o.unit_stay_days
    assert prov.serve_kodam(11, [[], [7], [], [], []]) == [[], [], [], [], []]  # still out
    run = federation.MemberRun(parts[0].data, parts[0].seed, kodam=True)
    desk = run.model.forces.kodam
    assert desk.send(0, 3) is False and desk.take_asks() == [3] and desk.take_asks() == []
    run.day([], None, 0, 0, False, [(3, 2, 2)])
    assert [e[3] for e in run.model.events.rows if e[6] == "TNI Kodam (Status Keadaan Konflik)"] == [run.model.region.names[3]]
    assert any(u.force == "TNI" and u.lent for u in run.model.forces.polres)
