"""Backup from above the Polsek (docs/ODD.md §7.13a): the direction of each rule of the pooled
mode, the kabupaten it works on, and the asks counted the same way in both modes."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.errors import ScenarioError
from scenarios.synthetic import synthetic_scenario
from siaga import SiagaModel


def _scenario(kabupaten: int = 2, kecamatan: int = 4, mode: str = "pooled", polres: int = 1, brimob: int = 1, **officials):
    data = synthetic_scenario(1000, days=30)
    data["region"]["synthetic"] = {
        "kecamatan": kecamatan, "villages_per_kecamatan": 5, "people_per_village": 50, "kabupaten": kabupaten,
    }
    data.setdefault("officials", {}).update(
        backup_mode=mode, polres_backup_units=polres, brimob_backup_units=brimob, backup_expiry_days=3,
        unit_stay_days=2, backup_delay_days=1, brimob_delay_days=1, **officials,
    )
    return data


def touchy_scenario(**kw):
    """A whole calendar with touchy villagers (lower thresholds, more clashes): backup is needed."""
    data = _scenario(**kw)
    data.pop("days")
    data["region"]["synthetic"]["people_per_village"] = 500
    data.setdefault("population", {})["threshold_mean"] = 0.15
    data.setdefault("dynamics", {}).setdefault("clashes", {})["base_hazard"] = 0.02
    return data


def run_twice_alike(data: dict, seed: int) -> SiagaModel:
    """Run the scenario twice on one seed; the two runs must agree event for event."""
    runs = []
    for _ in range(2):
        m = SiagaModel(data, seed=seed)
        m.run()
        runs.append(m)
    a, b = runs
    assert a.events.rows == b.events.rows and repr(a.outcomes()) == repr(b.outcomes())
    return a


def _model(**kw) -> SiagaModel:
    return SiagaModel(_scenario(**kw), seed=1)


def _villages_in(m: SiagaModel, kabupaten: int) -> list[int]:
    return np.flatnonzero(m.region.village_kabupaten == kabupaten).tolist()


def _evenings(m: SiagaModel, asks: dict[int, list[int]], days: int = 12) -> None:
    """Drive the backup desk alone: each day the teams move (as in `SiagaModel.step`), the asks of
    that day are made by the villages' Polsek, then the evening's teams come back and the waiting
    asks are tried."""
    for d in range(days):
        for u in m.forces.polres:
            u.deploy(d)
        for v in asks.get(d, []):
            m.polsek_of(v).request_backup(d, v)
        for u in m.forces.polres:
            u.end_of_day(d)
        if m.forces.polda is not None:
            m.forces.polda.serve(d)


def _backup_events(m: SiagaModel) -> list[tuple]:
    return [r for r in m.events.rows if r[5] == "backup"]


def test_kabupaten_come_from_the_synthetic_grouping_and_each_polres_sits_in_its_own():
    m = _model(kabupaten=3, kecamatan=7)
    r = m.region
    assert r.kabupaten_codes == ["S.K01", "S.K02", "S.K03"]
    assert r.kabupaten_of_kecamatan.tolist() == [0, 0, 0, 1, 1, 2, 2]
    assert [r.kabupaten_of(int(s)) for s in r.polres_seats] == [0, 1, 2]
    assert int(r.polres_seat) in r.polres_seats.tolist()  # the region's Polres seat is its kabupaten's
    assert len(m.forces.polda.commands) == 3 and len(m.forces.polres) == 3 * 1 + 1


def test_real_kabupaten_come_from_the_kecamatan_codes():
    m = SiagaModel("kepahiang_pilkada2024", seed=1, days=1)
    assert m.region.kabupaten_codes == ["17.08"] and m.region.polres_seats.tolist() == [int(m.region.polres_seat)]
    assert m.forces.polda is None  # the default mode builds no Polres/Polda desks: results as before


def test_more_kabupaten_than_kecamatan_is_a_clear_error():
    with pytest.raises(ScenarioError, match="kabupaten"):
        _model(kabupaten=5, kecamatan=4)


@pytest.mark.parametrize("n", range(1, 8))
def test_more_asks_on_the_same_day_mean_longer_waits_and_more_unmet(n):
    """One Polres team and one Brimob platoon: each extra simultaneous ask waits at least as long on
    average, and once both are out for longer than the expiry, asks go unmet."""

    def served(k: int) -> tuple[float, int]:
        m = _model()
        _evenings(m, {0: _villages_in(m, 0)[:k]})
        t = m.tally
        return (t.backup_wait_days / t.backup_granted, t.backup_unmet + len(t.backup_open))

    wait_n, unmet_n = served(n)
    wait_more, unmet_more = served(n + 1)
    assert wait_more >= wait_n and unmet_more >= unmet_n
    if n == 1:
        assert (wait_n, unmet_n) == (0.0, 0)  # the Polres team goes the same evening
    if n >= 3:
        assert wait_more > 0 or unmet_more > 0


def test_the_polres_goes_first_and_brimob_only_when_it_has_no_team():
    m = _model()
    a, b = _villages_in(m, 0)[:2]
    _evenings(m, {0: [a], 1: [b]})
    sent = [(r[4], r[6]) for r in _backup_events(m)]
    assert sent == [(m.region.codes[a], "Polres"), (m.region.codes[b], "Polda Brimob")]
    sizes = [r[7] for r in _backup_events(m)]
    assert sizes == [m.spec.officials.team_size, m.spec.officials.brimob_team_size]


def test_another_kabupatens_demand_lengthens_the_wait_only_through_the_shared_platoons():
    """Kabupaten 1 asks twice on day 1. With kabupaten 0 quiet, its second ask gets the platoon;
    with kabupaten 0 asking twice on day 0 (its own team and then the platoon), it waits."""

    def second_wait(busy: bool) -> tuple[int, int]:
        m = _model()
        k1 = _villages_in(m, 1)[:2]
        asks = {1: k1}
        if busy:
            asks[0] = _villages_in(m, 0)[:2]
        _evenings(m, asks)
        got = {r[4]: r for r in _backup_events(m)}
        row = got.get(m.region.codes[k1[1]])
        first = got[m.region.codes[k1[0]]]
        assert first[6] == "Polres"  # its own Polres team, busy or not
        return (row[0] - 1 if row else 99), m.tally.backup_unmet + len(m.tally.backup_open)

    assert second_wait(busy=False) == (0, 0)
    wait, unmet = second_wait(busy=True)
    assert wait > 0 or unmet > 0


def test_asks_expire_and_a_waiting_village_asking_again_is_one_ask():
    m = _model(polres=0, brimob=0)
    v = _villages_in(m, 0)[0]
    _evenings(m, {0: [v], 1: [v], 2: [v]}, days=8)
    t = m.tally
    assert t.backup_requests == 1 and t.backup_granted == 0 and t.backup_unmet == 1 and not t.backup_open
    assert [r[0] for r in m.events.rows if r[5] == "backup_expired"] == [4]  # d - asked > 3


def test_exogenous_asks_are_counted_the_same_way():
    m = _model(mode="exogenous", backup_availability=0.0)
    v = _villages_in(m, 0)[0]
    _evenings(m, {0: [v], 2: [v], 5: [v]}, days=6)
    t = m.tally
    # the day-5 request comes after the first ask expired: one unmet, a new ask open
    assert (t.backup_requests, t.backup_granted, t.backup_unmet, list(t.backup_open)) == (2, 0, 1, [v])
    assert m.outcomes()["backup_unmet"] == 2


def test_a_pooled_run_over_two_kabupaten_is_reproducible_and_uses_its_backup():
    """A whole run with touchy villagers (lower thresholds, more clashes): backup is asked, sent and
    sometimes withdrawn, and the same seed gives the same run, event for event."""
    m1 = run_twice_alike(touchy_scenario(), seed=4)
    o = m1.outcomes()
    assert o["backup_requests"] > 0 and o["backup_granted"] > 0 and np.isfinite(o["backup_wait_days"])
    assert o["backup_granted"] + o["backup_unmet"] <= o["backup_requests"]
    assert {r[6] for r in _backup_events(m1)} <= {"Polres", "Polda Brimob"}


def test_a_camats_backup_order_is_sent_or_waits_under_the_pooled_rule():
    """The workshop's Camat orders backup (agents/camat.py): sent while the Polres has a team, then
    'waiting' (served when one comes back), never a flat refusal."""
    from siaga.event_text import order_text

    m = _model()
    camat = m.take_command()
    a, b = [v for v in range(m.region.n_villages) if int(m.region.kecamatan[v]) == 0][:2]
    m.forces.polda.units.clear()  # no platoons: the second order must wait
    assert camat.order("backup", a)["outcome"] == "granted"
    out = camat.order("backup", b)["outcome"]
    assert out.startswith("waiting") and b in m.tally.backup_open
    assert "Brimob" in order_text(out, "id")


def _posture_model(posture: str, brimob: int = 2) -> SiagaModel:
    data = _scenario(kabupaten=2, kecamatan=4, brimob=brimob)
    data["policy"] = {"police": {"brimob_posture": posture, "brimob_days_before_voting": 0}}
    m = SiagaModel(data, seed=1)
    # kabupaten 1 is the one at risk: every one of its villages a hotspot, none in kabupaten 0
    m.region.hotspot[:] = m.region.village_kabupaten == 1
    return m


@pytest.mark.parametrize("posture", ["even", "risk"])
def test_prepositioned_platoons_serve_only_their_host_kabupaten(posture):
    m = _posture_model(posture)
    hosts = m.forces.polda.station()
    assert hosts == ([0, 1] if posture == "even" else [1, 1]) and m.forces.polda.units == []
    sizes = [[u.team_size for u in c.units] for c in m.forces.polda.commands]
    big = m.spec.officials.brimob_team_size
    assert sizes == ([[5, big], [5, big]] if posture == "even" else [[5], [5, big, big]])


def test_risk_posture_shortens_waits_where_the_risk_is_and_lengthens_them_elsewhere():
    """Three asks in each kabupaten on day 0: with the platoons at the Polda the oldest asks of either
    kabupaten take them; with both under the risky kabupaten's Polres, kabupaten 1 is served at
    once and kabupaten 0 waits for its one team."""

    def outcome(posture: str) -> dict[int, tuple[int, int]]:
        m = _posture_model(posture)
        m.forces.polda.station()
        k0, k1 = _villages_in(m, 0)[:3], _villages_in(m, 1)[:3]
        _evenings(m, {0: k0 + k1})
        sent = {r[4]: r[0] for r in _backup_events(m)}
        return {
            k: (sum(m.region.codes[v] in sent for v in vs), sum(sent.get(m.region.codes[v], 0) for v in vs))
            for k, vs in ((0, k0), (1, k1))
        }

    reactive, risk = outcome("reactive"), outcome("risk")
    assert risk[1] == (3, 0)  # all three served the same evening by its own team and the two platoons
    assert reactive[1][0] < 3 or reactive[1][1] > 0  # sharing, kabupaten 1 could not get all three at once
    assert risk[0][0] <= reactive[0][0]  # kabupaten 0 lost the platoons: no more of its asks served


def test_platoons_come_under_the_polres_the_set_days_before_voting():
    data = _scenario(kabupaten=2, kecamatan=4, brimob=2)
    data.pop("days")
    data["policy"] = {"police": {"brimob_posture": "even", "brimob_days_before_voting": 5}}
    m = SiagaModel(data, seed=1)
    day = m.calendar.voting_day - 5
    while m.day < day:
        m.step()
    assert len(m.forces.polda.units) == 2
    m.step()
    assert m.forces.polda.units == [] and [r[0] for r in m.events.rows if r[5] == "brimob_bko"] == [day, day]
