"""Severity of incidents (docs/ODD.md §7.21): the distribution reproduces the Habibie Center
means it is built from, grows with the crowd and the setting's lethality, and never disturbs
anything else in a run."""

import numpy as np
import pytest

from scenarios import DEFAULT_SCENARIO, load_scenario
from scenarios.schema import SeverityParams
from simulation import metrics
from simulation.day import incident_severity
from simulation.dynamics import severity
from simulation.model import SiagaModel
from simulation.rng import Streams

DEFAULTS = SeverityParams()


def _params(**change) -> dict:
    p = DEFAULTS.model_dump()
    p.update(change)
    return p


def _many(size: int, n: int, seed: int = 1, **change) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.array([severity.draw(size, rng, **_params(**change)) for _ in range(n)])


def test_at_the_reference_size_the_study_s_means_and_zero_shares_come_back():
    # an incident of exactly the reference size (3.6 participants: not a whole crowd, but the
    # formula takes any size) carries the study's means
    rng = np.random.default_rng(7)
    draws = np.array([severity.draw(DEFAULTS.reference_size, rng, **_params()) for _ in range(200_000)])
    deaths, injured, damaged = draws.T
    assert injured.mean() == pytest.approx(510 / 585, rel=0.05)
    assert damaged.mean() == pytest.approx(416 / 585, rel=0.05)
    assert deaths.mean() == pytest.approx(47 / 585, rel=0.25)  # a very heavy tail: the mean converges slowly
    # shares of incidents with none: 1.1%, 14% and 17% harmful, from the location shares (§7.21)
    assert np.mean(deaths > 0) == pytest.approx(0.0109, abs=0.002)
    assert np.mean(injured > 0) == pytest.approx(0.143, abs=0.005)
    assert np.mean(damaged > 0) == pytest.approx(0.170, abs=0.005)
    assert deaths[deaths > 0].mean() > 3  # the few deadly incidents are deadly


def test_bigger_crowds_and_deadlier_settings_mean_more_harm():
    small, big = _many(2, 40_000), _many(20, 40_000)
    assert big[:, 1].mean() > 5 * small[:, 1].mean()  # injured, in proportion to size (e = 1)
    assert big[:, 2].mean() > 5 * small[:, 2].mean()
    calm = _many(10, 40_000, seed=3, lethality=0.5)
    deadly = _many(10, 40_000, seed=3, lethality=4.0)
    assert deadly[:, 1].mean() > 4 * calm[:, 1].mean()
    assert calm[:, 2].mean() == pytest.approx(deadly[:, 2].mean(), rel=0.1)  # lethality leaves buildings alone
    flat = _many(20, 20_000, seed=5, size_elasticity=0.0)
    assert flat[:, 1].mean() == pytest.approx(DEFAULTS.injured_mean, rel=0.1)  # e = 0: size does not matter
    assert not _many(5, 1000, deaths_mean=0.0, injured_mean=0.0, damaged_mean=0.0).any()


def test_an_incident_s_numbers_depend_only_on_its_day_and_village():
    spec = load_scenario(DEFAULT_SCENARIO)
    a = {"day": 40, "village": 3, "size": 12}
    b = {"day": 40, "village": 5, "size": 30}
    first = Streams(11)
    incident_severity(dict(b), spec, first, True)  # another incident drawn before it
    incident_severity(a, spec, first, True)
    alone = {"day": 40, "village": 3, "size": 12}
    incident_severity(alone, spec, Streams(11), True)
    assert (a["deaths"], a["injured"], a["damaged"]) == (alone["deaths"], alone["injured"], alone["damaged"])
    off = {"day": 40, "village": 3, "size": 12}
    incident_severity(off, spec, Streams(11), False)
    assert (off["deaths"], off["injured"], off["damaged"]) == (0, 0, 0)


def test_severity_adds_to_a_run_without_changing_anything_else():
    runs = {}
    for on in (True, False):
        m = SiagaModel(seed=4, mechanisms__severity=on)
        m.run()
        runs[on] = (metrics.outcomes(m), metrics.village_frame(m), m)
    (with_, frame_on, m_on), (without, _frame_off, _m) = runs[True], runs[False]
    harm = ("deaths", "injured", "buildings_damaged")
    # Whether an incident is reported reads its harm (§7.23, harm_gain) from its own generator, so
    # severity can only add reported incidents: each one reported without severity is reported with it.
    read = ("incidents_reported",)
    assert {k: v for k, v in with_.items() if k not in harm + read} == pytest.approx(
        {k: v for k, v in without.items() if k not in harm + read}, nan_ok=True)
    reported_off = {(i["day"], i["village"], i["size"]) for i in _m.tally.incidents if i["reported"]}
    reported_on = {(i["day"], i["village"], i["size"]) for i in m_on.tally.incidents if i["reported"]}
    assert reported_off <= reported_on and with_["incidents_reported"] >= without["incidents_reported"]
    assert all(without[k] == 0 for k in harm)
    assert with_["incidents"] > 0
    for k, key in zip(harm, ("deaths", "injured", "damaged")):
        assert with_[k] == sum(i[key] for i in m_on.tally.incidents) == int(frame_on[k].sum())
    # the event log says it, in the words the feed reads back (siaga/event_text.py `describe_event`)
    logged = m_on.events.frame().query("kind == 'incident'")
    for i in m_on.tally.incidents:
        row = logged[(logged["day"] == i["day"]) & (logged["size"] == i["size"])]
        harm_text = f"{i['deaths']} tewas, {i['injured']} luka, {i['damaged']} bangunan rusak"
        assert row["detail"].str.contains(harm_text).any() == bool(i["deaths"] or i["injured"] or i["damaged"])
