"""Starting an exercise does not block the page (issue 14): the days before the desk opens, and the
replay of a stored exercise, run in a background thread (siaga/app/run_up.py) that reports the
day reached, stops promptly on cancel leaving nothing stored, and gives exactly the run the
synchronous start gives. Rendered without a browser (solara.render)."""

from __future__ import annotations

import threading
import time

import ipyvuetify as v
import numpy as np
import pytest
import solara

from siaga.app import registry, resume, run_up, workshop
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.run_up import RunUp
from siaga.app.store import Store, use_store

from .test_render import _button, _type

SETUP = ExerciseSetup(start_day=40, length=3, seed=7)


@pytest.fixture(autouse=True)
def fresh_store(tmp_path):
    store = Store(tmp_path / "w.sqlite")
    old = use_store(store)
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    workshop.runup_state.set(None)
    workshop.start_error.set(None)
    resume.dismissed.set(None)
    yield store
    workshop.wait_until_ready(30)
    for ex in (workshop.exercise_state.value,):
        if ex is not None:
            ex.close()
    workshop.exercise_state.set(None)
    workshop.runup_state.set(None)
    use_store(old)
    store.close()


def _start(setup: ExerciseSetup, made: list | None = None, **kw) -> tuple[RunUp, list]:
    """A background start as the page makes it; returns the run and what reached `on_done`
    (`made` gets the exercise as soon as it is built)."""
    got: list = []

    def work(ru: RunUp) -> Exercise:
        ex = Exercise(setup, trainee="Uji", run_up_now=False)
        if made is not None:
            made.append(ex)
        ru.attach(ex)
        ex.run_up()
        return ex

    return RunUp(setup.start_day, work, got.append, **kw), got


def _same_run(a: Exercise, b: Exercise) -> None:
    assert a.model.day == b.model.day and a.today == b.today and a.seen_from == b.seen_from
    assert len(a.levels) == len(b.levels) and all(np.array_equal(x, y) for x, y in zip(a.levels, b.levels, strict=True))
    assert a.camat.received == b.camat.received
    assert np.array_equal(a.desk_levels(), b.desk_levels())
    assert a.model.rng.bit_generator.state == b.model.rng.bit_generator.state
    assert a.model.incidents == b.model.incidents


def test_a_background_start_gives_the_same_desk_as_the_synchronous_one():
    sync = Exercise(SETUP, trainee="Uji")
    ru, got = _start(SETUP)
    ru.start()
    assert ru.wait(60) and ru.state == "done"
    (bg,) = got
    assert bg.ready and bg.today == SETUP.start_day
    _same_run(sync, bg)
    for ex in (sync, bg):  # and it goes on the same way: the same orders, the same days
        ex.order("mediation", 2)
        ex.run_days(2)
        ex.order("patrol", 5)
        ex.run_days(2)
    _same_run(sync, bg)
    assert sync.camat.orders == bg.camat.orders
    np.testing.assert_equal(sync.model.outcomes(), bg.model.outcomes())  # NaN (no incident yet) equals NaN
    sync.close()
    bg.close()


def test_progress_reports_the_day_reached_up_to_the_start_day():
    days: list[int] = []
    ru, got = _start(SETUP, on_progress=lambda r: days.append(r.day), update_every_s=0)
    assert ru.fraction == 0 and ru.day == -1
    ru.start()
    assert ru.wait(60) and got
    assert days == list(range(SETUP.start_day + 1))  # every day, in order, ending on the evening the desk opens
    assert ru.fraction == 1.0
    got[0].close()


def test_cancel_stops_the_run_up_promptly_and_nothing_is_stored(fresh_store):
    setup = ExerciseSetup(start_day=150, length=3)  # a long run-up
    stopped_at: list[float] = []
    made: list[Exercise] = []
    ru, got = _start(setup, made, update_every_s=0)

    def progress(r: RunUp) -> None:
        if r.day == 10 and not stopped_at:
            stopped_at.append(time.monotonic())
            assert r.cancel() is True  # as the page's click does (from any thread)

    ru.on_progress = progress
    ru.start()
    assert ru.wait(60)
    waited = time.monotonic() - stopped_at[0]
    assert ru.state == "cancelled" and got == []  # never handed to the page
    assert ru.day == 10 and waited < 5.0, (ru.day, waited)  # not one day more (a day takes milliseconds here)
    (ex,) = made
    assert ex.closed and ex.model is None and ru.exercise is None  # its model is dropped in the worker
    assert fresh_store.trainee(ex.trainee_id) is None  # nothing stored: the facilitator never sees it
    assert ru.cancel() is True and ru.state == "cancelled"  # a second cancel is harmless


def test_cancel_while_the_model_is_being_built_halts_it_at_once():
    gate = threading.Event()
    made: list[Exercise] = []

    def work(ru: RunUp) -> Exercise:
        gate.wait(10)  # building the model
        ex = Exercise(SETUP, run_up_now=False)
        made.append(ex)
        ru.attach(ex)
        ex.run_up()
        return ex

    got: list = []
    ru = RunUp(SETUP.start_day, work, got.append).start()
    assert ru.cancel() is True
    gate.set()
    assert ru.wait(60)
    assert got == [] and made[0].closed and made[0].model is None and ru.day == -1  # not one day run


def test_a_cancel_after_the_hand_over_is_refused():
    ru, got = _start(SETUP)
    ru.start()
    assert ru.wait(60) and got
    assert ru.cancel() is False and ru.state == "done" and not got[0].closed
    got[0].close()


def test_a_failed_start_says_why_and_leaves_nothing():
    errors: list[Exception] = []

    def work(ru: RunUp) -> Exercise:
        ex = Exercise(SETUP, run_up_now=False)
        ru.attach(ex)
        raise ValueError("scenario changed")

    ru = RunUp(SETUP.start_day, work, lambda _: pytest.fail("handed over"), on_error=errors.append).start()
    assert ru.wait(60)
    assert ru.state == "failed" and [str(e) for e in errors] == ["scenario changed"] and ru.exercise is None


def _gated(monkeypatch, pause_day: int) -> threading.Event:
    """The page's exercises run up to `pause_day`, then wait for the returned gate."""
    gate = threading.Event()
    gate.made = []  # type: ignore[attr-defined]

    class Gated(Exercise):
        def run_up(self) -> bool:
            gate.made.append(self)
            with self.lock:
                self._run(pause_day + 1 - self.model.day)
            gate.wait(30)
            return super().run_up()

    monkeypatch.setattr(workshop, "Exercise", Gated)
    monkeypatch.setattr(run_up, "UPDATE_EVERY_S", 0.0)
    return gate


def _texts(rc) -> str:
    return str([w.children for w in rc.find(v.Html).widgets])


def _until(cond, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_the_page_shows_the_day_reached_and_cancel_returns_to_the_form(monkeypatch, fresh_store):
    gate = _gated(monkeypatch, pause_day=12)
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    _type(rc, "Nama peserta", "Rina")
    _type(rc, "Mulai pada hari", "30")
    _type(rc, "Lama latihan (hari)", "2")
    _button(rc, "siaga-ws-start-button").click()
    _until(lambda: "hari 12 dari 30" in _texts(rc))  # the progress, in Bahasa Indonesia
    assert "Menyiapkan latihan: model sudah berjalan sampai hari 12 dari 30" in _texts(rc)
    assert _button(rc, "siaga-ws-start-button").disabled  # one start at a time
    rc.find(v.ProgressLinear, class_="siaga-ws-runup-bar").assert_single()
    ru = workshop.runup_state.value
    _button(rc, "siaga-ws-runup-cancel").click()
    # back at the form at once, with what was typed; nothing on the desk, nothing stored
    assert workshop.runup_state.value is None and workshop.exercise_state.value is None
    _until(lambda: not rc.find(v.Btn, class_="siaga-ws-runup-cancel").widgets)  # drawn by whichever thread draws last
    assert rc.find(v.TextField, label="Nama peserta").widget.v_model == "Rina"
    gate.set()
    assert ru.wait(30) and ru.state == "cancelled" and ru.day == 12
    (gone,) = gate.made
    assert gone.closed and fresh_store.trainee(gone.trainee_id) is None and workshop.exercise_state.value is None
    # start again: the desk opens on day 30, and the trainee is stored only now
    _button(rc, "siaga-ws-start-button").click()
    assert workshop.wait_until_ready(60)
    ex = workshop.exercise_state.value
    assert ex is not None and ex.today == 30 and ex.trainee == "Rina"
    assert fresh_store.trainee(ex.trainee_id)["name"] == "Rina"
    _until(lambda: len(rc.find(v.Btn, class_="siaga-ws-give").widgets) == 1)  # the desk
    rc.close()


def test_the_progress_is_in_english_after_the_switch(monkeypatch):
    from siaga.app.ui_state import lang

    gate = _gated(monkeypatch, pause_day=5)
    lang.set("en")
    try:
        box, rc = solara.render(workshop.Workshop(), handle_error=False)
        _type(rc, "Start on day", "20")
        _button(rc, "siaga-ws-start-button").click()
        _until(lambda: "the model has run to day 5 of 20" in _texts(rc))
        assert rc.find(v.Btn, class_="siaga-ws-runup-cancel").widget.children == ["Cancel"]
        gate.set()
        assert workshop.wait_until_ready(60) and workshop.exercise_state.value.today == 20
        rc.close()
    finally:
        lang.set("id")


def test_a_reload_replays_in_the_background_and_equals_the_stored_run(fresh_store):
    ex = Exercise(SETUP, trainee="Sari")
    ex.order("mediation", 1)
    ex.run_days(2)
    ex.order("patrol", 3)
    ex.run_days(1)
    registry.save(ex)
    got: list = []
    days: list[int] = []
    row = registry.trainee(ex.trainee_id)
    ru = RunUp(row["model_day"] - 1, lambda r: resume.restore(ex.trainee_id, attach=r.attach), got.append,
               on_progress=lambda r: days.append(r.day), update_every_s=0, purpose="restore", token=ex.trainee_id).start()
    assert ru.wait(60)
    back, _row, differ = got[0]
    assert differ == 0 and back.camat.orders == ex.camat.orders
    _same_run(ex, back)
    assert days == list(range(ex.today + 1))  # the progress counts up to the evening restored
    ex.close()
    back.close()


def test_a_cancelled_reload_goes_to_the_form_and_keeps_the_stored_run(monkeypatch, fresh_store):
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee="Tono", code=session.code)
    ex.order("mediation", 1)
    ex.run_days(2)
    registry.save(ex)
    ex.close()  # the page went: the facilitator sees "left" on day 42
    stored = fresh_store.trainee(ex.trainee_id)
    gate = _gated(monkeypatch, pause_day=3)
    monkeypatch.setattr(resume, "Exercise", workshop.Exercise)  # the gated one
    workshop._restore_in_background(ex.trainee_id, registry.trainee(ex.trainee_id))
    ru = workshop.runup_state.value
    box, rc = solara.render(workshop.RunUpProgress(), handle_error=False)
    _until(lambda: "Memulihkan latihan Anda: hari 3 dari 42" in _texts(rc))  # up to the evening stored
    _button(rc, "siaga-ws-runup-cancel").click()
    assert workshop.runup_state.value is None and resume.dismissed.value == ex.trainee_id  # not replayed again here
    gate.set()
    assert ru.wait(30) and ru.state == "cancelled" and workshop.exercise_state.value is None
    after = fresh_store.trainee(ex.trainee_id)  # the stored run is the facilitator's still, not the half-made replay's
    assert {k: v for k, v in after.items() if k != "updated"} == {k: v for k, v in stored.items() if k != "updated"}
    assert after["day"] == SETUP.start_day + 2 and after["orders"]
    rc.close()
