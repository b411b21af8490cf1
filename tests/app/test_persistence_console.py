"""The facilitator's console and the questions asked before something is lost, rendered without a
browser (solara.render): the PIN gate, "Buat sesi" again and "Ulang" ask first, pause holds the
trainees, rename/remove, the CSV of the comparison and the ZIP of evaluations."""

from __future__ import annotations

import csv
import io
import zipfile

import ipyvuetify as v
import pypdf
import pytest
import solara

from siaga.app import facilitator, registry, workshop
from siaga.app.debrief import Debrief
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import Store, use_store
from siaga.i18n import t

from .test_render import _button, _html, _type

SETUP = ExerciseSetup(start_day=20, length=2)


@pytest.fixture(autouse=True)
def fresh_store(tmp_path):
    store = Store(tmp_path / "w.sqlite")
    old = use_store(store)
    facilitator.fac_code.set(None)
    facilitator.fac_unlocked.set(False)
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    yield store
    facilitator.fac_code.set(None)
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    use_store(old)
    store.close()


def _texts(rc) -> str:
    return str([w.children for w in rc.find(v.Html).widgets]) + str([w.children for w in rc.find(v.Alert).widgets])


def test_the_console_stays_closed_without_the_pin(monkeypatch):
    monkeypatch.setenv(facilitator.PIN_ENV, "4821")
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    assert not rc.find(v.Btn, class_="siaga-fac-create").widgets
    _type(rc, "PIN fasilitator", "1234")
    _button(rc, "siaga-fac-pin-enter").click()
    assert "PIN salah" in _texts(rc) and not facilitator.fac_unlocked.value
    _type(rc, "PIN fasilitator", "4821")
    _button(rc, "siaga-fac-pin-enter").click()
    assert facilitator.fac_unlocked.value
    rc.find(v.Btn, class_="siaga-fac-create").assert_single()
    rc.close()


def test_creating_a_second_session_asks_first():
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    _type(rc, "Lama latihan (hari)", "2")
    _button(rc, "siaga-fac-create").click()  # no session shown yet: no question
    first = facilitator.fac_code.value
    assert first is not None
    _button(rc, "siaga-fac-create").click()
    assert facilitator.fac_code.value == first and first in _texts(rc)  # the question names the code kept
    _button(rc, "siaga-fac-create-cancel").click()
    assert facilitator.fac_code.value == first
    _button(rc, "siaga-fac-create").click()
    _button(rc, "siaga-fac-create-yes").click()
    assert facilitator.fac_code.value not in (None, first)
    assert registry.get(first) is not None  # the first one can still be opened
    rc.close()


def test_the_facilitator_sees_renames_removes_and_pauses():
    session = registry.create(SETUP)
    exes = [Exercise(SETUP, trainee=name, code=session.code) for name in ("Ani", "Budi", "Budi")]
    exes[0].order("mediation", 3)
    registry.save(exes[0])
    for ex in exes[1:]:
        registry.save(ex)
    facilitator.fac_code.set(session.code)
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    html = _html(rc)
    assert html.count("<tr>") == 4 and "<td>Ani</td>" in html and f"<td>{SETUP.budget - 2:g}</td>" in html
    village = facilitator.village_names(SETUP)[3]
    assert f"{SETUP.first_day}: {t('order_mediation', 'id')}, {village} (" in html  # what Ani ordered, where, on which day
    # the second Budi is renamed, the first removed (it asks first)
    rc.find(v.Select, label="Nama").widget.v_model = "Budi (3)"
    _type(rc, "Nama baru", "Budi Meja 4")
    _button(rc, "siaga-fac-rename").click()
    rc.find(v.Select, label="Nama").widget.v_model = "Budi (2)"
    _button(rc, "siaga-fac-remove").click()
    _button(rc, "siaga-fac-remove-yes").click()
    assert [tr.name for tr in registry.snapshot(session.code)[1]] == ["Ani", "Budi Meja 4"]
    # paused: the trainee's "run the next day" is refused with a message, the day stays
    _button(rc, "siaga-fac-pause").click()
    assert registry.get(session.code).state == "paused"
    ex = exes[0]
    workshop.exercise_state.set(ex)
    wbox, wrc = solara.render(workshop.Workshop(), handle_error=False)
    day = ex.today
    _button(wrc, "siaga-ws-run").click()
    assert ex.today == day and "menjeda" in _texts(wrc)
    _button(rc, "siaga-fac-resume").click()
    _button(wrc, "siaga-ws-run").click()
    assert ex.today == day + 1
    wrc.close()
    rc.close()
    for e in exes:
        e.close()


def test_csv_and_zip_of_a_session():
    session = registry.create(SETUP)
    done = Exercise(SETUP, trainee="Citra", code=session.code)
    done.order("mediation", 3)
    done.run_days(5)
    deb = Debrief.build(done)
    registry.save(done, finished=True, result=deb.result_row())
    registry.save(Exercise(SETUP, trainee="Dodi, \"Pak\"", code=session.code))
    rows = list(csv.reader(io.StringIO(facilitator.comparison_csv(session.code, "id").decode("utf-8-sig"))))
    assert rows[0][:6] == ["session", "trainee", "status", "day", "orders", "budget_left"] and "incidents" in rows[0]
    names = [r[1] for r in rows[1:]]
    assert names == ["Citra", 'Dodi, "Pak"', t("db_none", "id"), t("db_joint", "id")]
    assert rows[1][2] == "selesai" and rows[1][rows[0].index("incidents")] == str(deb.result_row()["incidents"])
    with zipfile.ZipFile(io.BytesIO(facilitator.evaluations_zip(session.code, "id"))) as zf:
        html_name, pdf_name = sorted(zf.namelist())
        doc = zf.read(html_name).decode("utf-8")
        pdf = zf.read(pdf_name)
    assert html_name.endswith("Citra.html") and doc.startswith("<!DOCTYPE html>") and "Citra" in doc
    assert pdf_name.endswith("Citra.pdf") and pdf.startswith(b"%PDF")
    session_report = pypdf.PdfReader(io.BytesIO(facilitator.session_pdf(session.code, "id")))
    assert "Citra" in "".join(page.extract_text() for page in session_report.pages)
    done.close()


def test_ulang_asks_before_the_evaluation_goes():
    ex = Exercise(SETUP, trainee="Eka")
    ex.run_days(5)
    workshop.exercise_state.set(ex)
    workshop.debrief_state.set(Debrief.build(ex))
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    _button(rc, "siaga-ws-again").click()
    assert workshop.debrief_state.value is not None and "tersimpan" in _texts(rc)
    _button(rc, "siaga-ws-again-cancel").click()
    assert workshop.debrief_state.value is not None
    _button(rc, "siaga-ws-again").click()
    _button(rc, "siaga-ws-again-yes").click()
    assert workshop.debrief_state.value is None and workshop.exercise_state.value is None
    rc.close()
    ex.close()


def test_the_console_follows_the_trainees_without_a_click(monkeypatch):
    import time

    monkeypatch.setattr(facilitator, "LIVE_EVERY_S", 0.2)
    session = registry.create(SETUP)
    facilitator.fac_code.set(session.code)
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    assert "Gita" not in _html(rc)
    ex = Exercise(SETUP, trainee="Gita", code=session.code)
    registry.save(ex)
    deadline = time.monotonic() + 10
    while "Gita" not in _html(rc) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "<td>Gita</td>" in _html(rc)
    rc.close()
    ex.close()
