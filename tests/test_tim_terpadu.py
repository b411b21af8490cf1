"""The kabupaten's Tim Terpadu (docs/ODD.md §7.13b): reports up with their losses and delays, when
it meets, and what a meeting sends."""

from __future__ import annotations

import numpy as np
import pytest

from common.levels import AWAS, SIAGA, WASPADA
from scenarios.errors import ScenarioError
from siaga import SiagaModel
from tests.test_backup_pools import _scenario, run_twice_alike, touchy_scenario


def _model(convene: str = "reactive", polres: int = 3, brimob: int = 1, reserve: int = 1, **officials) -> SiagaModel:
    data = _scenario(kabupaten=2, kecamatan=4, polres=polres, brimob=brimob, **officials)
    data["policy"] = {
        "tim_terpadu": {"enabled": True, "convene": convene, "convene_villages": 2, "reserve_teams": reserve, "days_before_voting": 10}
    }
    return SiagaModel(data, seed=1)


def _report(m: SiagaModel, day: int, levels: dict[int, int]) -> None:
    """Put readings into the Camats' pictures as if reports had reached them on `day`."""
    for v, lvl in levels.items():
        m.camat_of(v).known[v] = (lvl, day)


def _kab0(m: SiagaModel) -> list[int]:
    return np.flatnonzero(m.region.village_kabupaten == 0).tolist()


def test_needs_the_pooled_backup_mode():
    data = _scenario(mode="exogenous")
    data["policy"] = {"tim_terpadu": {"enabled": True}}
    with pytest.raises(ScenarioError, match="backup_mode"):
        SiagaModel(data, seed=1)


def test_one_tim_terpadu_per_kabupaten_with_its_own_camats():
    m = _model()
    tims = m.forces.tim_terpadu
    assert [t.kabupaten for t in tims] == [0, 1]
    assert [[c.kecamatan for c in t.camats] for t in tims] == [[0, 1], [2, 3]]


@pytest.mark.parametrize("delay", [0, 1, 3])
def test_reports_arrive_late_by_the_delay(delay):
    m = _model(kabupaten_report_delay_days=delay, kabupaten_report_loss=0.0, kecamatan_silent_share=0.0, kabupaten_noise=0.0)
    tim = m.forces.tim_terpadu[0]
    tim.last_meeting = 10_000  # no meeting: only the reports are looked at
    v = _kab0(m)[0]
    _report(m, 5, {v: SIAGA})
    for d in range(5, 5 + delay):
        tim.step(d)
        assert v not in tim.known
    tim.step(5 + delay)
    assert tim.known[v][0] == SIAGA


def test_silent_kecamatan_and_lost_reports_keep_the_kabupaten_blind():
    for loss, silent, seen in ((0.0, 0.0, True), (1.0, 0.0, False), (0.0, 1.0, False)):
        m = _model(kabupaten_report_delay_days=0, kabupaten_report_loss=loss, kecamatan_silent_share=silent, kabupaten_noise=0.0)
        tim = m.forces.tim_terpadu[0]
        tim.last_meeting = 10_000
        v = _kab0(m)[0]
        _report(m, 3, {v: AWAS})
        tim.step(3)
        assert (v in tim.known) is seen, (loss, silent)


def test_reactive_meets_only_when_enough_villages_are_reported():
    m = _model(kabupaten_report_delay_days=0, kabupaten_report_loss=0.0, kecamatan_silent_share=0.0, kabupaten_noise=0.0)
    tim = m.forces.tim_terpadu[0]
    a, b = _kab0(m)[:2]
    _report(m, 3, {a: WASPADA})
    tim.step(3)
    assert tim.meetings == 0
    _report(m, 4, {b: SIAGA})
    tim.step(4)
    assert tim.meetings == 1
    tim.step(5)
    assert tim.meetings == 1  # cooldown


def test_early_meets_on_schedule_without_reports():
    m = _model(convene="early")
    tim = m.forces.tim_terpadu[0]
    first = m.calendar.voting_day - 10
    tim.step(first - 1)
    assert tim.meetings == 0
    tim.step(first)
    tim.step(first + 7)
    assert tim.meetings == 2 and [r[0] for r in m.events.rows if r[5] == "tim_terpadu"][:2] == [first, first + 7]


def test_a_meeting_patrols_the_hottest_villages_keeps_a_reserve_and_asks_brimob_for_the_rest():
    m = _model(polres=3, reserve=1)
    tim = m.forces.tim_terpadu[0]
    vs = _kab0(m)[:4]
    hot = {vs[0]: (WASPADA, 3), vs[1]: (AWAS, 2), vs[2]: (SIAGA, 3), vs[3]: (AWAS, 3)}
    sent = tim.meet(3, hot)
    assert sent == [vs[3], vs[1]]  # AWAS first (the latest heard first), two of three teams, one kept
    assert sum(u.free for u in tim.polres.units) == 1
    # the hottest left uncovered (SIAGA) is asked of the Polda: its platoon is sent
    assert [r[4] for r in m.events.rows if r[5] == "backup"] == [m.region.codes[vs[2]]]
    assert m.tally.officer_days["tim_terpadu"] == m.spec.officials.tim_terpadu_person_days


def test_a_whole_run_with_the_tim_terpadu_is_reproducible_and_it_acts():
    data = touchy_scenario(kabupaten=2, kecamatan=4, polres=2, brimob=2)
    data["policy"] = {"presets": ["joint"], "tim_terpadu": {"enabled": True, "convene": "early"}}
    m1 = run_twice_alike(data, seed=2)
    first = m1.calendar.voting_day - m1.spec.policy.tim_terpadu.days_before_voting
    meetings = sorted({r[0] for r in m1.events.rows if r[5] == "tim_terpadu"})
    assert meetings and meetings[0] == first and all(b - a >= 7 for a, b in zip(meetings, meetings[1:], strict=False))
    n = sum(1 for r in m1.events.rows if r[5] == "tim_terpadu")  # one per kabupaten and meeting
    assert m1.outcomes()["officer_days_tim_terpadu"] == n * m1.spec.officials.tim_terpadu_person_days


def _kinds(m: SiagaModel, kind: str) -> list[int]:
    return [r[0] for r in m.events.rows if r[5] == kind]


def test_status_keadaan_konflik_only_when_polri_cannot_cope_then_tni_comes_after_the_delay():
    """UU 7/2012 and PP 2/2015 as the model follows them (§7.13c): enough villages at AWAS and no
    Polres team free -> the Bupati moves; `status_delay_days` later it is declared; only then do TNI
    platoons go, to the villages the Polres could not cover; it ends after `status_days`."""
    m = _model(polres=1, reserve=0, brimob=0, status_awas_villages=3, status_delay_days=2, status_days=5, tni_units=2)
    tim = m.forces.tim_terpadu[0]
    vs = _kab0(m)[:5]
    # two villages at AWAS: Polri's one team goes, no move yet
    tim.meet(1, {vs[0]: (AWAS, 1), vs[1]: (AWAS, 1)})
    assert _kinds(m, "status_move") == [] and not tim.under_status(1)
    # four at AWAS, still no free team: the Bupati moves; no TNI before the declaration
    sent = tim.meet(2, {v: (AWAS, 2) for v in vs[1:5]})
    assert sent == [] and _kinds(m, "status_move") == [2]
    assert not any(r[6].startswith("TNI") for r in m.events.rows)
    for d in range(2, 12):
        tim._status(d)
    assert _kinds(m, "status_declared") == [4] and (tim.status_from, tim.status_until) == (4, 8)
    assert _kinds(m, "status_ended") == [9] and m.tally.conflict_status_days == 5
    # under the status the TNI go to the hottest villages left uncovered, and deter without arresting
    m2 = _model(polres=1, reserve=0, brimob=0, status_awas_villages=3, status_delay_days=0, tni_units=2)
    tim2 = m2.forces.tim_terpadu[0]
    tim2.status_from, tim2.status_until = 0, 50
    sent = tim2.meet(3, {vs[0]: (AWAS, 3), vs[1]: (SIAGA, 3), vs[2]: (WASPADA, 3)})
    assert sent == [vs[0], vs[1], vs[2]]
    assert [r[6] for r in m2.events.rows if r[5] == "patrol"] == ["Polres (Tim Terpadu)"] + ["TNI (Status Keadaan Konflik)"] * 2
    tni = tim2.tni[0]
    tni.status, tni.village = "on_site", vs[1]
    m2.villages.presence[:] = 0
    m2.villages.arresting[:] = 0
    tni.deploy(5)
    w = m2.spec.officials.babinsa_presence_weight
    assert m2.villages.presence[vs[1]] == tni.team_size * w and m2.villages.arresting[vs[1]] == 0


def test_no_status_while_the_polres_still_has_a_free_team():
    m = _model(polres=3, reserve=2, brimob=0, status_awas_villages=2)
    tim = m.forces.tim_terpadu[0]
    vs = _kab0(m)[:4]
    tim.meet(1, {v: (AWAS, 1) for v in vs})  # one team sent, two kept in reserve: Polri can still act
    assert _kinds(m, "status_move") == []


def _province_model(**officials) -> SiagaModel:
    data = _scenario(kabupaten=2, kecamatan=4, polres=1, brimob=1, **officials)
    data["policy"] = {"tim_terpadu": {"enabled": True}, "province": {"enabled": True}}
    return SiagaModel(data, seed=1)


def test_the_province_needs_the_kabupaten_tim_terpadu():
    data = _scenario()
    data["policy"] = {"province": {"enabled": True}}
    with pytest.raises(ScenarioError, match="tim_terpadu"):
        SiagaModel(data, seed=1)


def test_the_province_hears_the_kabupaten_late_or_not_at_all():
    for loss, delay in ((0.0, 0), (0.0, 2), (1.0, 0)):
        m = _province_model(province_report_loss=loss, province_report_delay_days=delay)
        prov, tim1 = m.forces.province, m.forces.tim_terpadu[1]
        v = _villages_in_kab(m, 1)[0]
        tim1.known[v] = (AWAS, 3)
        for d in range(3, 3 + delay):
            prov.step(d)
            assert 1 not in prov.picture
        prov.step(3 + delay)
        assert (prov.picture.get(1, (0,))[0] == 1) is (loss == 0.0)


def _villages_in_kab(m: SiagaModel, k: int) -> list[int]:
    return np.flatnonzero(m.region.village_kabupaten == k).tolist()


@pytest.mark.parametrize("province", [False, True])
def test_the_platoon_goes_to_the_kabupaten_the_province_hears_is_worst(province):
    """Both Polres teams out; kabupaten 0 asked first, kabupaten 1 is reported with three villages at
    AWAS. Without the province the one platoon serves the older ask; with it, kabupaten 1."""
    m = _province_model(province_report_loss=0.0, province_report_delay_days=0)
    if not province:
        m.forces.province = None
    for c in m.forces.polda.commands:
        for u in c.units:
            u.status = "on_site"  # every Polres team busy
    k0, k1 = _villages_in_kab(m, 0), _villages_in_kab(m, 1)
    for v in k1[:3]:
        m.forces.tim_terpadu[1].known[v] = (AWAS, 4)
    if province:
        m.forces.province.step(4)
    m.polsek_of(k0[0]).request_backup(4, k0[0])  # the one platoon is free: it goes at once
    assert [r[4] for r in m.events.rows if r[5] == "backup"] == [m.region.codes[k0[0]]]
    # the platoon comes back; then two asks wait on the same evening, kabupaten 0's older
    m.forces.polda.units[0].status = "on_site"
    m.polsek_of(k0[1]).request_backup(5, k0[1])
    m.polsek_of(k1[3]).request_backup(6, k1[3])
    m.forces.polda.units[0].status = "free"
    m.forces.polda.serve(7)
    last = [r[4] for r in m.events.rows if r[5] == "backup"][-1]
    assert last == m.region.codes[k1[3] if province else k0[1]]


def test_a_refused_platoon_is_an_unmet_ask_and_leaves_a_polsek_ask_waiting():
    m = _model(brimob=0)
    polda = m.forces.polda
    a, b = _kab0(m)[:2]
    assert polda.send_platoon(3, a) is False
    assert m.tally.backup_unmet == 1 and a not in m.tally.backup_open
    for u in polda.commands[0].units:
        u.status = "on_site"
    m.polsek_of(b).request_backup(3, b)  # waits at its Polres
    assert polda.send_platoon(4, b) is False
    assert m.tally.backup_open[b] == 3 and b in polda.commands[0].waiting and m.tally.backup_unmet == 1


def test_the_kodam_is_one_tni_pool_for_every_kabupaten_under_a_status():
    """§7.13c: with its own Kodim platoons out, a kabupaten under a Status Keadaan Konflik gets a
    Kodam platoon if one is free; two kabupaten under a status at once compete for the same one;
    without a status nobody gets one."""
    assert _model().forces.kodam is None  # none by default
    m = _model(polres=1, reserve=0, brimob=0, status_delay_days=0, tni_units=0, kodam_units=1)
    t0, t1 = m.forces.tim_terpadu
    v0 = _kab0(m)
    v1 = np.flatnonzero(m.region.village_kabupaten == 1).tolist()
    assert t0.meet(3, {v0[0]: (AWAS, 3), v0[1]: (AWAS, 3)}) == [v0[0]]  # no status: the Polres team only
    assert not any(r[6].startswith("TNI") for r in m.events.rows)
    t0.status_from, t0.status_until = 4, 50
    t1.status_from, t1.status_until = 4, 50
    assert t0.meet(4, {v0[2]: (AWAS, 4), v0[3]: (SIAGA, 4)}) == [v0[2]]  # its Polres team is out: the Kodam's, to the hottest
    kodam_rows = [r for r in m.events.rows if r[6] == "TNI Kodam (Status Keadaan Konflik)"]
    assert len(kodam_rows) == 1 and m.forces.kodam.units[0].village == v0[2]
    assert t1.meet(4, {v1[0]: (AWAS, 4), v1[1]: (AWAS, 4)}) == [v1[0]]  # its own Polres team; the Kodam platoon is out
    assert len([r for r in m.events.rows if r[6].startswith("TNI Kodam")]) == 1
    assert m.forces.kodam.units[0] in m.forces.polres  # it deploys and comes back like the other teams
