"""The facilitator fires an unscheduled inject at a running session (issue 14, facilitator
console): every trainee's run takes it on its next day, it acts in the model and reaches the
trainee's inbox, and a reload or restart replays it on the same day. No browser."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara

from siaga.app import facilitator, registry, resume
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import Store, use_store
from siaga.i18n import t

from .test_render import _button, _type

SETUP = ExerciseSetup(start_day=40, length=6)


@pytest.fixture(autouse=True)
def store():
    old = use_store(Store())
    yield
    use_store(old)


def _hoaxes(ex: Exercise) -> list[tuple[int, int]]:
    log = ex.model.events.frame()
    rows = log[(log["kind"] == "hoax") & (log["actors"] == "akun anonim")]
    return [(int(d), int(ex.model.region.names.index(v))) for d, v in zip(rows["day"], rows["village"])]


def test_every_trainee_takes_a_fired_inject_on_their_next_day():
    session = registry.create(SETUP)
    early, late = Exercise(SETUP, trainee="A", code=session.code), Exercise(SETUP, trainee="B", code=session.code)
    early.run_days(2)
    registry.fire_inject(session.code, "hoax", 3, "Hoaks: ulama ditangkap", "Hoax: a cleric arrested", spreaders=30)
    day_a = early.model.day
    early.run_days(1)
    late.run_days(3)  # B was behind: takes it on its own next day
    day_b = late.model.day - 3
    assert (day_a, 3) in _hoaxes(early) and (day_b, 3) in _hoaxes(late)
    assert [(m.day, m.village, m.text_id) for m in early.messages()] == [(day_a, 3, "Hoaks: ulama ditangkap")]
    assert late.messages()[0].text_en == "Hoax: a cleric arrested"
    early.run_days(1)
    assert len(early.messages()) == 1 and registry.pending_injects(session.code, early.trainee_id) == []  # taken once
    solo = Exercise(SETUP, trainee="C")  # an exercise of one's own gets none
    solo.run_days(2)
    assert solo.messages() == [] and _hoaxes(solo) == []
    for ex in (early, late, solo):
        ex.close()


def test_a_replay_takes_the_inject_on_the_same_day_again():
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee="D", code=session.code)
    ex.run_days(1)
    ex.order("mediation", 2)
    registry.fire_inject(session.code, "provocation", 5, "Provokasi di pasar")
    ex.run_days(2)
    registry.fire_inject(session.code, "report", 7, "Laporan AWAS masuk", level="AWAS")
    ex.run_days(2)
    registry.save(ex)
    back, _row, differ = resume.restore(ex.trainee_id)
    assert differ == 0
    assert back.messages() == ex.messages() and len(back.messages()) == 2
    assert back.received() == ex.received()
    assert (back.model.people.tension == ex.model.people.tension).all()
    assert registry.pending_injects(session.code, ex.trainee_id) == []  # restoring takes nothing twice
    back.run_days(1)
    assert len(back.messages()) == 2
    ex.close()
    back.close()


def test_the_console_fires_an_inject_and_refuses_one_without_a_message():
    session = registry.create(SETUP)
    _box, rc = solara.render(facilitator.InjectForm(session.code, SETUP), handle_error=False)
    _button(rc, "siaga-fac-inject-fire").click()
    assert registry.pending_injects(session.code, "nobody") == []
    assert t("fac_inject_no_text", "id") in str(rc.find(v.Alert, class_="siaga-fac-inject-status").widget.children)
    _type(rc, t("fac_inject_text", "id"), "Konvoi paslon 2 melintas")
    _button(rc, "siaga-fac-inject-fire").click()
    (fired,) = registry.pending_injects(session.code, "nobody")
    assert fired["kind"] == "message" and fired["text_id"] == "Konvoi paslon 2 melintas" and fired["text_en"] == "Konvoi paslon 2 melintas"
    assert t("fac_inject_sent", "id") in str(rc.find(v.Alert, class_="siaga-fac-inject-status").widget.children)
    with pytest.raises(ValueError):
        registry.fire_inject(session.code, "rally", 0, "x")  # not offered by the console
    with pytest.raises(ValueError):
        registry.fire_inject("NOSUCH", "message", 0, "x")
    rc.close()
