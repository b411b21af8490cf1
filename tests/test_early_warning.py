"""The village alerts as an early-warning system (docs/WARNINGS.md): the judging functions on
hand-made events, and the directions the reading and reporting rules must have."""

from __future__ import annotations

import json
from collections import namedtuple

import numpy as np
import pytest

from common.levels import AMAN, AWAS, SIAGA, WASPADA
from experiments import early_warning as ew
from scenarios.loader import load_scenario
from simulation.alerts import AlertScale
from simulation.model import SiagaModel
from simulation.warning_quality import FALSE_ALARM, FOLLOW_UP, MISSED, QUIET, WARNING, classify_reports, warning_quality

Report = namedtuple("Report", "arrival sent village level source")  # the workshop's desk report


# ---------------------------------------------------------------- judging, on hand-made events

def test_each_report_gets_the_verdict_the_incidents_give_it():
    incidents = [{"day": 10, "village": 0, "size": 5}, (30, 1)]
    reports = [
        (5, 0, SIAGA),  # an incident in village 0 five days later
        (10, 0, AWAS),  # raised on the incident's own evening: a follow-up, not foresight
        (15, 0, SIAGA),  # five days after it, none to come
        (18, 0, AWAS),  # eight days after it: nothing explains it
        (25, 1, WASPADA),  # below SIAGA, yet an incident in village 1 five days later
        (38, 1, AMAN),  # all quiet, and nothing follows
        (29, 0, SIAGA),  # village 1's incident does not explain village 0's alarm
    ]
    assert classify_reports(reports, incidents) == [WARNING, FOLLOW_UP, FOLLOW_UP, FALSE_ALARM, MISSED, QUIET, FALSE_ALARM]


def test_reports_are_judged_by_the_day_sent_in_any_of_their_shapes():
    incidents = [(10, 2)]
    desk = [Report(arrival=11, sent=9, village=2, level=AWAS, source="Kades")]
    assert classify_reports(desk, incidents) == [WARNING]  # arrived after the incident, described the day before
    assert classify_reports([{"day": 2, "village": 2, "level": SIAGA}], incidents) == [FALSE_ALARM]  # 8 days ahead
    assert classify_reports([{"day": 2, "village": 2, "level": SIAGA}], incidents, horizon=8) == [WARNING]
    assert classify_reports([(9, 2, SIAGA)], incidents, alarm_level=AWAS) == [MISSED]


def test_a_bad_window_is_refused_with_its_values():
    with pytest.raises(ValueError, match="horizon must be >= 1"):
        classify_reports([], [], horizon=0)
    with pytest.raises(ValueError, match="days x villages"):
        warning_quality(np.zeros(5), [])


def test_warning_quality_counts_hits_leads_and_false_alarm_weeks_by_hand():
    lv = np.zeros((28, 3), dtype=np.int8)
    lv[5:9, 0] = SIAGA  # village 0: alarm from day 5 to 8, incident day 9 -> warned, lead 4
    lv[9:12, 0] = AWAS  # the incident's own AWAS
    lv[14, 1] = WASPADA  # village 1: only WASPADA before its incident on day 16 -> not warned
    lv[21, 2] = SIAGA  # village 2: an alarm in week 3 and nothing ever happens -> false-alarm week
    q = warning_quality(lv, [(9, 0), (16, 1)], stages=["a"] * 14 + ["b"] * 14)
    assert (q["incidents"], q["warned"], q["hit_rate"]) == (2, 1, 0.5)
    assert (q["fresh_incidents"], q["fresh_warned"]) == (2, 1)
    assert q["lead_days"] == [4] and q["median_lead_days"] == 4.0
    # alarm weeks: village 0 in weeks 0 and 1 (both explained), village 2 in week 3 (false)
    assert (q["alarm_weeks"], q["false_alarm_weeks"]) == (3, 1)
    assert q["false_alarm_share"] == pytest.approx(1 / 3)
    assert q["alarm_days"] == 8 and q["false_alarm_days"] == 1
    assert (q["village_weeks"], q["incident_weeks"]) == (12, 2)
    assert q["level_share"]["SIAGA"] == pytest.approx(5 / 84)
    assert q["level_share_by_stage"]["a"]["WASPADA"] == 0.0 and q["level_share_by_stage"]["b"]["WASPADA"] == pytest.approx(1 / 42)


def test_a_second_incident_warned_only_by_the_first_is_not_fresh():
    lv = np.zeros((20, 1), dtype=np.int8)
    lv[3:6, 0] = AWAS  # the first incident's AWAS (day 3, no warning before it)
    q = warning_quality(lv, [(3, 0), (6, 0)])
    assert (q["warned"], q["fresh_incidents"], q["fresh_warned"]) == (1, 1, 0)


def test_an_unknown_desk_level_is_no_alarm_and_shown_as_none():
    lv = np.full((7, 2), -1, dtype=np.int8)
    lv[3:, 0] = WASPADA
    q = warning_quality(lv, [])
    assert q["alarm_weeks"] == 0 and np.isnan(q["false_alarm_share"]) and np.isnan(q["hit_rate"])
    assert q["level_share"]["none"] == pytest.approx(10 / 14)


# ---------------------------------------------------------------- reading and reporting rules

def test_relative_reading_error_keeps_a_calm_village_calm():
    scale = AlertScale(load_scenario().alerts)
    calm = 0.12  # a campaign-day village, well under WASPADA (0.2)
    assert scale.observe(calm, 0.15, 3.0, 100) == AMAN  # a three-sigma slip is still AMAN
    assert scale.observe(0.0, 5.0, 5.0, 100) == AMAN  # nothing to misread
    absolute = AlertScale(load_scenario(overrides={"alerts.reading_error": "absolute"}).alerts)
    assert absolute.observe(calm, 0.15, 3.0, 100) == AWAS  # the rule before: calm read as AWAS
    assert absolute.observe(calm, 0.15, 3.0, 100) == absolute.read(calm + 0.15 * 3.0, 100)
    assert scale.observe(calm, 0.15, 0.0, 1) == AWAS  # the incident rule still holds


def test_with_zero_noise_every_kades_reads_the_true_level():
    m = SiagaModel(seed=3, days=110, officials__kades_noise=0.0, officials__confirm_days=1)
    seen = set()
    while m.running:
        m.step()
        read = np.array([k.level for k in m.forces.kades])
        assert (read == m.alert_level).all(), m.day
        seen |= set(read.tolist())
    assert len(seen) >= 2  # the run went through more than one level


def test_a_kades_calls_a_level_once_he_has_read_it_two_evenings_running():
    m = SiagaModel(seed=3, days=110, officials__kades_noise=0.0, officials__confirm_days=2)
    yesterday = None
    lowered = 0
    while m.running:
        m.step()
        today = m.alert_level.copy()
        incident = m.villages.days_since_incident < m.alerts.recent_days
        want = today if yesterday is None else np.where(incident, today, np.minimum(today, yesterday))
        assert (np.array([k.level for k in m.forces.kades]) == want).all(), m.day
        lowered += int((want < today).sum())
        yesterday = today
    assert lowered > 0  # some one-evening rises were not (yet) called


def _kades_fed(readings: list[int], calm_report_days: int) -> list[tuple[int, int]]:
    """The reports (day sent, level) one Kades sends when his evening readings are `readings`."""
    m = SiagaModel(days=5, policy__kades__report_level="WASPADA", officials__calm_report_days=calm_report_days,
                   officials__camat_noise=0.0, officials__confirm_days=1)
    k = m.forces.kades[0]
    feed = iter(readings)
    k.observe = lambda: next(feed)  # noqa: E731 (the reading is what this test is about)
    for day in range(len(readings)):
        k.step(day)
    return [(sent, lvl) for _arr, sent, v, lvl, src in m.camat_of(0).received if v == 0 and src == "Kades"]


def test_a_village_that_calms_down_is_reported_aman_again():
    readings = [AMAN, SIAGA, SIAGA, WASPADA, AMAN, AMAN, AMAN, AMAN]
    assert _kades_fed(readings, 3) == [(1, SIAGA), (5, WASPADA)]  # three evenings under SIAGA, the highest of them
    assert _kades_fed(readings + [AMAN, AMAN], 3) == [(1, SIAGA), (5, WASPADA), (8, AMAN)]
    assert _kades_fed([SIAGA, AMAN, AMAN, AMAN], 0) == [(0, SIAGA)]  # 0: he never reports a calm-down
    assert _kades_fed([SIAGA, AMAN, SIAGA, AMAN, AMAN], 2) == [(0, SIAGA), (4, AMAN)]  # a relapse starts the count anew


def test_higher_reading_noise_raises_false_alarms():
    seeds = (1, 2)
    quiet = ew.measure(ew.DEFAULT_SCENARIO, seeds, {"days": 120, "officials.kades_noise": 0.02})["pooled"]["kades"]
    noisy = ew.measure(ew.DEFAULT_SCENARIO, seeds, {"days": 120, "officials.kades_noise": 0.6})["pooled"]["kades"]
    assert noisy["false_alarm_weeks"] > quiet["false_alarm_weeks"]
    assert noisy["level_share_calm_stages"]["AMAN"] < quiet["level_share_calm_stages"]["AMAN"]


def test_the_measurement_prints_a_table_and_writes_json(tmp_path, capsys):
    out = tmp_path / "ew.json"
    assert ew.main(["--seeds", "1", "--quiet", "--set", "days=95", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "| measure | true level | Kades' reading | Camat's desk |" in text and "median lead time" in text
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["overrides"] == {"days": 95} and len(data["per_seed"]) == 1
    assert set(data["pooled"]) >= {"true", "kades", "desk", "kades_reports"}


def test_the_measurement_refuses_bad_input_with_a_message(capsys):
    assert ew.main(["--seeds", "0"]) == 2
    assert ew.main(["--seeds", "1", "--set", "alerts.reading_error=sideways"]) == 2
    err = capsys.readouterr().err
    assert "--seeds must be between 1 and 10000" in err and "reading_error" in err and "Traceback" not in err


def test_an_unwritable_output_is_refused_before_any_run(tmp_path, capsys, monkeypatch):
    ran = []
    monkeypatch.setattr(ew, "measure", lambda *a, **k: ran.append(1))
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    assert ew.main(["--seeds", "1", "--quiet", "--out", str(blocker / "ew.json")]) == 1
    assert ran == [] and "error:" in capsys.readouterr().err
