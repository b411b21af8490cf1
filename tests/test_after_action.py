"""The after-action report (siaga/app/after_action.py) read back from its PDF bytes with pypdf:
the trainee's name, the HSEEP headings in Bahasa Indonesia or English, the improvement plan's
columns, page counts, and a session's trainees side by side. Pure data in, so no model is run."""

from __future__ import annotations

import io

import pytest

pypdf = pytest.importorskip("pypdf")

from siaga.app import after_action as aar  # noqa: E402

HEADINGS = {
    "id": ("Laporan Pasca-Latihan", "Ringkasan", "Yang berjalan baik", "Area yang perlu diperbaiki", "Rencana perbaikan",
           "Penanggung", "Tindakan"),
    "en": ("After-Action Report", "Summary", "What went well", "Areas for improvement", "Improvement plan", "Owner", "Action"),
}


def _run(key: str, incidents: int, spent: float, preset: str | None = None, acted_until: int | None = None) -> dict:
    run = {"key": key, "incidents": incidents, "participants": 3 * incidents, "villages_with_violence": min(incidents, 5),
           "arrests": 1, "peak_mobilised_share": 0.004, "first_incident_day": 80 if incidents else None, "spent": spent,
           "spent_total": spent, "acted_until": acted_until, "averted_per_person_day": (9 - incidents) / spent if spent else None,
           "cumulative": [min(i // 3, incidents) for i in range(26)]}
    if preset:
        run["preset"] = preset
    return run


def _report(name: str = "Budi Santoso", **over) -> aar.TraineeReport:
    runs = {"you": _run("you", 7, 19), "none": _run("none", 9, 0), "best": _run("kades_early", 3, 38, "kades_early"),
            "typical": _run("police_early", 7, 120, "police_early", acted_until=86),
            "joint_unlimited": _run("joint_unlimited", 2, 374)}
    runs["joint_unlimited"]["spent_total"] = 707.0
    base = dict(trainee=name, scenario="Kecamatan Kepahiang, Pilkada 2024", seed=20241127, first_day=75, last_day=99,
                end_day=100, dates=("2024-11-15", "2024-12-10"), budget=120.0, charged=19.0, orders=3, runs=runs,
                early=("Dusun Kepahiang",), late=(), unordered_hit=("Tebat Monok", "Kelobak"))
    base.update(over)
    return aar.TraineeReport(**base)


def _text(pdf: bytes) -> tuple[str, int]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages), len(reader.pages)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_trainee_report_reads_back_with_name_and_headings_in_the_chosen_language(lang):
    pdf = aar.trainee_pdf(_report(), lang, stamp="2026-11-30")
    assert pdf.startswith(b"%PDF-")
    text, pages = _text(pdf)
    assert "Budi Santoso" in text
    for heading in HEADINGS[lang]:
        assert heading in text, heading
    other = "en" if lang == "id" else "id"
    for heading in HEADINGS[other][1:5]:
        assert heading not in text, heading
    assert 1 <= pages <= 3
    assert "Tebat Monok" in text  # an area for improvement, carried into the plan


def test_the_report_names_each_comparison_and_explains_its_spending():
    text, _ = _text(aar.trainee_pdf(_report(), "en", stamp="2026-11-30"))
    flat = " ".join(text.split())
    assert "Kades mediate early" in flat and "early police patrols" in flat
    assert "acted automatically on days 75–86" in flat  # the typical preset was stopped at the budget
    assert "707 person-days" in flat  # the unlimited joint policy's whole spending, said as such
    assert "not a like-for-like comparison" in flat


def test_a_name_outside_latin_1_prints():
    text, _ = _text(aar.trainee_pdf(_report("Сергей Śantoso"), "id", stamp="2026-11-30"))
    assert "Сергей Śantoso" in text


def test_the_same_data_gives_the_same_bytes():
    assert aar.trainee_pdf(_report(), "id", stamp="2026-11-30") == aar.trainee_pdf(_report(), "id", stamp="2026-11-30")


def test_objectives_are_listed_met_or_not():
    objectives = ({"kind": "no_incident", "met": False, "village": "Tebat Monok", "target": 0, "value": 2, "level": ""},
                  {"kind": "incidents_at_most", "met": True, "village": None, "target": 8, "value": 7, "level": ""})
    text, _ = _text(aar.trainee_pdf(_report(objectives=objectives, has_objectives=True), "id", stamp="2026-11-30"))
    flat = " ".join(text.split())
    assert "Tidak ada insiden di Tebat Monok (terjadi 2). — tidak tercapai" in flat
    assert "Paling banyak 8 insiden di kecamatan (terjadi 7). — tercapai" in flat
    text, _ = _text(aar.trainee_pdf(_report(), "id", stamp="2026-11-30"))
    assert "tidak menetapkan sasaran" in text


def test_strengths_and_improvements_follow_the_figures():
    r = _report()
    assert any("2 dibanding tanpa intervensi" in s for s in aar.strengths(r, "id"))
    assert any("Tebat Monok" in s for s in aar.improvements(r, "id"))
    assert any("Kades memediasi dini" in s and "4 lebih banyak" in s for s in aar.improvements(r, "id"))
    idle = _report(orders=0, charged=0.0)
    assert aar.improvements(idle, "en")[0] == "No order was given."


def _session(n: int) -> aar.SessionReport:
    trainees = []
    for i in range(n):
        window = _run("you", 5 + i % 4, 20 + i)
        trainees.append((f"Peserta {i + 1}", {"orders": 2 + i, "window": window, "unordered_hit": ["Kelobak"] if i % 2 else []}))
    refs = {k: r for k, r in _report().runs.items() if k != "you"}
    return aar.SessionReport(code="ABC234", scenario="Kecamatan Kepahiang", seed=1, first_day=75, last_day=99, budget=120.0,
                             trainees=tuple(trainees), references=refs, not_finished=("Citra",))


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_session_report_puts_every_finished_trainee_side_by_side(lang):
    text, pages = _text(aar.session_pdf(_session(2), lang, stamp="2026-11-30"))
    assert "Peserta 1" in text and "Peserta 2" in text and "Citra" in text
    assert "ABC234" in text
    for heading in HEADINGS[lang][1:]:
        assert heading in text, heading
    assert pages == 1


def test_a_big_session_runs_over_several_pages():
    text, pages = _text(aar.session_pdf(_session(60), "id", stamp="2026-11-30"))
    assert pages >= 2 and "Peserta 60" in text
    assert "Kelobak (30 peserta)" in " ".join(text.split())


def test_the_session_table_counts_objectives_met_when_the_exercise_has_them():
    s = _session(2)
    objs = [{"kind": "no_incident", "met": True}, {"kind": "incidents_at_most", "met": False}]
    trainees = tuple((n, {**res, "objectives": objs}) for n, res in s.trainees)
    header, rows = aar.session_table(aar.SessionReport(**{**s.__dict__, "trainees": trainees}), "id")
    assert header[-1] == "Sasaran latihan" and rows[0][-1] == "1/2" and rows[-1][-1] == "–"
    assert all(len(row) == len(header) for row in rows)
    header, _ = aar.session_table(s, "id")
    assert "Sasaran latihan" not in header
