"""Campaign-stage violence (simulation/dynamics/campaign.py, docs/ODD.md §7.22): each rule's
direction, that it acts on campaign days only, and that it only adds to a run (switched off, or at
zero rates, the run is the one without it)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from siaga import SiagaModel
from siaga.event_text import describe_event
from simulation.dynamics import campaign, tension

CAMPAIGN_END = 84  # the default scenario's campaign is days 24..83
ON = {"mechanisms__campaign_violence": True}
OFF = {"mechanisms__campaign_violence": False}  # on by default since the calibration (docs/CALIBRATION.md §12)


def _run(seed: int, days: int = CAMPAIGN_END, **params) -> SiagaModel:
    m = SiagaModel(seed=seed, days=days, **params)
    while m.running:
        m.step()
    return m


def _key(m: SiagaModel) -> list[tuple]:
    return [(i["day"], i["village"], i["kind"], i["size"], i["camps"]) for i in m.tally.incidents]


# ------------------------------------------------------------------ kernels


def test_convoy_hazard_grows_with_the_encounter_and_falls_with_police():
    h = lambda s, r, p=0.0: campaign.convoy_hazard(s, r, 0.01, p, 0.15)  # noqa: E731
    assert h(0, 50) == 0.0 and h(50, 0) == 0.0
    assert 0 < h(10, 10) < h(40, 10) < h(40, 40) < 1
    assert h(40, 40, p=5.0) < h(40, 40)


def test_acts_need_rivals_present_and_wound_up_supporters():
    supporters = np.array([[50, 0], [25, 25], [10, 40]])
    wound = np.array([[20, 0], [20, 0], [20, 0]])
    h = campaign.act_hazard(wound, supporters, 0.002, np.zeros(3), 0.15)
    assert h[0, 0] == 0.0  # camp 0 alone: nothing of a rival to attack
    assert np.all(h[:, 1] == 0.0)  # nobody of camp 1 wound up
    assert 0 < h[1, 0] < h[2, 0]  # more rivals around, more likely
    deterred = campaign.act_hazard(wound, supporters, 0.002, np.full(3, 10.0), 0.15)
    assert deterred[2, 0] < h[2, 0]


def test_the_victim_is_a_rival_camp_never_the_attacker():
    rng = np.random.default_rng(1)
    picks = {campaign.victim_camp(np.array([10, 30, 0]), 1, rng) for _ in range(50)}
    assert picks == {0}
    assert campaign.victim_camp(np.array([0, 30]), 1, rng) == -1


def test_actors_are_one_to_most_of_the_wound_up():
    rng = np.random.default_rng(2)
    cand = np.arange(40)
    tension_ = np.ones(40, dtype=np.float32)
    for _ in range(20):
        who = campaign.draw_actors(cand, tension_, 1.0, 5, rng)
        assert 1 <= len(who) <= 5 and set(who) <= set(cand)
    assert len(campaign.draw_actors(cand, np.zeros(40, dtype=np.float32), 0.35, 5, rng)) == 1


def test_outrage_raises_the_attacked_camps_tension_input_only():
    nv, k = 2, 2
    outrage = np.array([[0.0, 1.0], [0.0, 0.0]])
    args = (np.zeros((nv, k)), np.zeros(nv), sp.csr_matrix((nv, nv)), np.zeros((nv, k), dtype=bool), np.zeros(nv), 1.0)
    gains = dict(money_gain=0.1, violence_gain=0.1, violence_spillover=0.1, rally_rival_gain=0.1)
    without = tension.village_inputs(*args, **gains)
    with_ = tension.village_inputs(*args, **gains, outrage=outrage, outrage_gain=0.05)
    assert with_[0, 1] == pytest.approx(without[0, 1] + 0.05)
    assert np.array_equal(np.delete(with_.ravel(), 1), np.delete(without.ravel(), 1))


# ------------------------------------------------------------------ in the model


def test_switched_off_or_at_zero_rates_the_run_is_unchanged():
    off = _run(3, days=110, **OFF)
    zero = _run(3, days=110, **ON, dynamics__campaign_violence__convoy_hazard=0.0,
                dynamics__campaign_violence__act_rate=0.0, dynamics__campaign_violence__outrage_gain=0.0)
    assert _key(off) == _key(zero)
    assert np.array_equal(off.people.tension, zero.people.tension)


def test_campaign_incidents_happen_on_campaign_days_only_and_raise_the_pre_vote_count():
    kinds_seen: set[str] = set()
    more = 0
    for seed in range(4):
        on = _run(seed, days=110, **ON, dynamics__campaign_violence__act_rate=0.01,
                  dynamics__campaign_violence__convoy_share=1.0, dynamics__campaign_violence__convoy_hazard=0.05)
        off = _run(seed, days=110, **OFF)
        campaign_days = {d for d in range(110) if on.calendar.stage_spec(d).rallies}
        new = [i for i in on.tally.incidents if i["kind"] in (campaign.CONVOY, campaign.APK, campaign.ASSAULT)]
        assert all(i["day"] in campaign_days for i in new)
        kinds_seen |= {i["kind"] for i in new}
        before = lambda m: sum(i["day"] < m.calendar.voting_day for i in m.tally.incidents)  # noqa: E731
        more += before(on) - before(off)
    assert kinds_seen == {campaign.CONVOY, campaign.APK, campaign.ASSAULT}
    assert more > 0


def test_a_convoy_clash_is_next_to_a_rally_of_the_convoys_camp():
    m = SiagaModel(seed=1, days=CAMPAIGN_END, **ON, dynamics__campaign_violence__convoy_share=1.0,
                   dynamics__campaign_violence__convoy_hazard=0.05, dynamics__campaign_violence__act_rate=0.0)
    seen = 0
    adj = m.region.adjacency
    while m.running:
        m.step()
        rallies = m.today.rallies
        for i in m.tally.incidents:
            if i["kind"] == campaign.CONVOY and i["day"] == m.day - 1:
                seen += 1
                origins = {v for v, c, _ in rallies if c in i["camps"]}
                assert any(adj[v, i["village"]] for v in origins)
    assert seen > 0


def test_more_act_rate_more_acts_and_their_harm_fits_their_kind():
    def acts(rate: float) -> list[dict]:
        out = []
        for seed in range(3):
            m = _run(seed, **ON, dynamics__campaign_violence__act_rate=rate, dynamics__campaign_violence__convoy_share=0.0)
            out += [i for i in m.tally.incidents if i["kind"] in (campaign.APK, campaign.ASSAULT)]
        return out

    low, high = acts(0.002), acts(0.02)
    assert len(high) > len(low)
    for i in high:
        assert 1 <= i["size"] <= 5 and i["target"] not in i["camps"]
        if i["kind"] == campaign.APK:
            assert i["deaths"] == 0 and i["injured"] == 0
        else:
            assert i["damaged"] == 0


def test_a_seed_gives_the_same_campaign_incidents_every_time():
    a = _run(5, **ON, dynamics__campaign_violence__act_rate=0.01)
    b = _run(5, **ON, dynamics__campaign_violence__act_rate=0.01)
    assert _key(a) == _key(b) and len(_key(a)) > 0


@pytest.mark.parametrize("detail,lang,words", [
    ("konvoi dihadang", "id", "konvoi kampanye dihadang"),
    ("konvoi dihadang", "en", "convoy is blocked"),
    ("perusakan APK (Paslon 2); 0 tewas, 0 luka, 1 bangunan rusak", "id", "merusak APK (Paslon 2)"),
    ("persekusi pendukung (Paslon 1)", "en", "assault a rival supporter (Paslon 1)"),
])
def test_the_event_feed_names_each_campaign_incident(detail, lang, words):
    class Row:
        day, village, village_code, kind, actors, size = 40, "Desa X", "1", "incident", "Paslon 1", 3

    Row.detail = detail
    assert words in describe_event(Row, lang)

