"""The fair evaluation (siaga/app/fair_evaluation.py) and the debrief built on it
(siaga/app/debrief.py): automatic policies held to the trainee's budget, the same window for
every run, day numbers only from the exercise, objectives, and the PDF download."""

from __future__ import annotations

import io
import re

import pytest
import solara

from siaga.app import debrief, registry, workshop
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.fair_evaluation import FAIR, FairCache, evaluate

SETUP = ExerciseSetup(start_day=75, length=10, budget=60.0)


@pytest.fixture(scope="module")
def fair():
    return FAIR.get(SETUP)


def _played(setup: ExerciseSetup, name: str = "Camat Uji", orders: bool = True) -> Exercise:
    ex = Exercise(setup, trainee=name)
    if orders:
        ex.order("mediation", 3)
        ex.order("patrol", 5)
    while not ex.finished:
        ex.run_days(3)
    return ex


def test_automatic_policies_never_spend_more_than_the_trainee_budget(fair):
    assert {r.key for r in fair.capped} == {"kades_early", "police_early", "counter_hoax", "camat_coordination", "joint"}
    for run in fair.capped:
        assert run.spent <= SETUP.budget + 1e-9, run
    stopped = [r for r in fair.capped if r.acted_until is not None]
    assert stopped, "at 60 person-days some preset must have been stopped"
    # the unlimited joint policy is the one comparison that spends beyond the budget, and says so
    assert fair.joint_unlimited.spent_total > SETUP.budget


def test_a_preset_within_budget_acts_the_whole_window_and_the_cap_binds_only_when_needed():
    rich = evaluate(ExerciseSetup(start_day=75, length=10, budget=10_000.0), presets=("kades_early", "police_early"))
    assert all(r.acted_until is None for r in rich.capped)
    poor = evaluate(ExerciseSetup(start_day=75, length=10, budget=20.0), presets=("police_early",))
    (police,) = poor.capped
    assert police.acted_until is not None and police.spent <= 20.0
    assert police.spent < rich.capped[1].spent


def test_best_has_fewest_incidents_and_typical_is_the_median(fair):
    counts = sorted(r.incidents for r in fair.capped)
    assert fair.best.incidents == counts[0]
    assert fair.typical.incidents == counts[len(counts) // 2]


def test_no_orders_equals_no_intervention_over_the_window(fair):
    ex = _played(SETUP, orders=False)
    you = fair.you(ex.model)
    assert you.incidents == fair.none.incidents and you.cumulative == fair.none.cumulative
    assert you.spent == 0 and you.averted_per_person_day(fair.none) is None


def test_an_evaluation_is_computed_once_per_setup():
    cache = FairCache()
    small = ExerciseSetup(start_day=20, length=2)
    assert cache.get(small) is cache.get(small)


def test_the_debrief_shows_only_exercise_days_and_explains_each_comparison(fair):
    ex = _played(SETUP)
    deb = debrief.Debrief.build(ex)
    a, b = SETUP.start_day, SETUP.days - 1
    rows = deb.seen_rows("id")
    assert rows
    for row in rows:
        for cell in row[2:6]:  # true SIAGA, first reports, first order
            assert cell in ("–", "sebelum latihan") or a <= int(cell) <= b, row
    html_id = deb.body_html("id")
    for sentence in ("Tanpa intervensi: 0 orang-hari", "tanpa batas anggaran", "Otomatis terbaik, anggaran Anda",
                     "Otomatis tipikal, anggaran Anda", "Insiden dicegah per orang-hari"):
        assert sentence in html_id, sentence
    assert f"hari {a}–{b - 1}" in html_id  # the evenings at the desk
    ticks = [int(d) for d in re.findall(r'class="axis-date" data-day="(\d+)"', deb.chart("id"))]
    assert ticks and max(ticks) <= b - a  # the chart spans the exercise days only
    for o in ex.camat.orders:
        assert f"hari {o['day']}" in html_id and a <= o["day"] <= b
    assert "Best automatic, your budget" in deb.body_html("en")


def test_the_result_row_carries_the_window_for_the_session_report(fair):
    deb = debrief.Debrief.build(_played(SETUP, "Ani"))
    row = deb.result_row()
    assert row["window"]["incidents"] == deb.you.incidents and row["orders"] == 2
    session = registry.create(SETUP)
    registry.update(session.code, "t1", "Ani", SETUP.days - 1, finished=True, result=row)
    registry.update(session.code, "t2", "Budi", SETUP.start_day, finished=False)
    pdf = debrief.session_after_action_pdf(session.code, "id")
    pypdf = pytest.importorskip("pypdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert "Ani" in text and "Belum selesai: Budi" in text and session.code in text
    assert debrief.session_after_action_pdf("ZZZZZZ", "id") is None


def test_objectives_of_an_exercise_file_are_shown_met_or_not():
    setup = ExerciseSetup.from_exercise("konvoi_dihadang")
    ex = _played(setup, orders=False)
    deb = debrief.Debrief.build(ex)
    report = deb.report()
    assert report.has_objectives and len(report.objectives) == 3
    html = deb.body_html("id")
    assert "Sasaran latihan" in html and "Tebat Monok" in html
    assert ("db-met" in html) or ("db-not-met" in html)


def test_the_debrief_view_offers_the_pdf(fair):
    deb = debrief.Debrief.build(_played(SETUP))
    box, rc = solara.render(workshop.DebriefView(deb), handle_error=False)
    try:
        labels = str([w.children for w in rc.find(v_btn()).widgets])
        assert "Unduh laporan pasca-latihan (PDF)" in labels and "Unduh evaluasi (HTML)" in labels
    finally:
        rc.close()
    pdf = deb.pdf("id")
    pypdf = pytest.importorskip("pypdf")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert "Camat Uji" in reader.pages[0].extract_text() and 1 <= len(reader.pages) <= 3


def v_btn():
    import ipyvuetify as v

    return v.Btn


def test_the_evaluation_marks_which_reports_were_false_alarms():
    ex = _played(SETUP)
    deb = debrief.Debrief.build(ex)
    pairs = deb.report_verdicts()
    assert pairs, "no report reached the desk in the window"
    assert all(SETUP.first_day <= r.arrival <= ex.today for r, _ in pairs)
    from simulation.warning_quality import classify_reports

    assert [v for _, v in pairs] == classify_reports([r for r, _ in pairs], ex.model.incidents)
    html_id, html_en = deb.verdicts_html("id"), deb.verdicts_html("en")
    false = sum(1 for _, v in pairs if v == "false_alarm")
    assert f"{false} alarm palsu" in html_id and f"{false} false alarms" in html_en
    shown = [v for _, v in pairs if v in ("warning", "false_alarm", "follow_up")][-40:]  # the table's rows
    assert html_id.count("<tr class='db-verdict-false_alarm'>") == shown.count("false_alarm")
    assert deb.verdicts_html("id") in deb.body_html("id")
    ex.close()
