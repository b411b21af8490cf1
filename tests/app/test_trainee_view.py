"""The facilitator's view of one trainee's desk (siaga/app/trainee_view.py), without a browser: read
live from the trainee's open exercise (day, budget, orders, the desk map of reported levels),
never stepping it and never waiting on it; from the database once the trainee's page is gone."""

from __future__ import annotations

import re
import threading
import time

import ipyvuetify as v
import numpy as np
import pytest
import solara

from siaga.app import facilitator, registry, sessions, trainee_view
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import Store, use_store
from siaga.app.ui_state import lang
from siaga.i18n import t

from .test_render import _html

SETUP = ExerciseSetup(start_day=20, length=3)
KERNEL = "trainee-view-test"


@pytest.fixture(autouse=True)
def fresh_store(tmp_path, monkeypatch):
    """A database of its own, and a pretend browser session that owns the exercises built here (as
    the trainee's page does under `siaga ui`)."""
    store = Store(tmp_path / "w.sqlite")
    old = use_store(store)
    monkeypatch.setattr(sessions, "_kernel_id", lambda: KERNEL)
    facilitator.fac_code.set(None)
    lang.set("id")
    yield store
    facilitator.fac_code.set(None)
    lang.set("id")
    sessions.release_kernel(KERNEL)
    use_store(old)
    store.close()


def _trainee(name: str = "Ani") -> Exercise:
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee=name, code=session.code)
    registry.save(ex)
    return ex


def _texts(rc) -> str:
    return str([w.children for w in rc.find(v.Html).widgets]) + str([w.children for w in rc.find(v.Alert).widgets])


def _classes(svg: str) -> list[str]:
    """Each village's level class on the drawn map, in village order."""
    return [m.group(2) for m in sorted(re.finditer(r'data-village="(\d+)" class="village level-(\w+)"', svg), key=lambda m: int(m.group(1)))]


def test_a_live_trainee_is_seen_with_their_orders_budget_day_and_desk_map():
    ex = _trainee()
    ex.order("mediation", 3)
    ex.run_days(1)
    ex.order("patrol", 5)
    registry.save(ex)
    day, steps = ex.model.day, len(ex.levels)
    view = trainee_view.desk_view(ex.trainee_id, "id")
    assert view is not None and view.live and not view.busy and view.name == "Ani"
    assert view.day == ex.today == SETUP.start_day + 1 and view.date == str(ex.model.calendar.date(ex.today))
    names = facilitator.village_names(SETUP)
    assert [(o.day, o.kind, o.village, o.place) for o in view.orders] == [
        (SETUP.start_day, "mediation", 3, names[3]), (SETUP.start_day + 1, "patrol", 5, names[5])]
    costs = [o["cost"] for o in ex.camat.orders]
    assert [o.cost for o in view.orders] == costs and min(costs) > 0
    assert view.budget == SETUP.budget and view.budget_left == pytest.approx(SETUP.budget - sum(costs)) == pytest.approx(ex.budget_left)
    # the map is the desk's: each village filled by the level last reported, grey where none came
    desk = ex.desk_levels()
    assert view.levels == tuple(desk.tolist())
    drawn = _classes(view.map_svg)
    assert len(drawn) == ex.model.region.n_villages
    assert drawn == ["none" if lvl < 0 else ("AMAN", "WASPADA", "SIAGA", "AWAS")[lvl] for lvl in desk.tolist()]
    assert "incident-ring" not in view.map_svg  # what the desk cannot see stays hidden
    # read, never stepped
    assert ex.model.day == day and len(ex.levels) == steps
    ex.close()


def test_the_map_follows_the_trainee_and_is_drawn_again_only_when_their_desk_changed(monkeypatch):
    ex = _trainee()
    drawn = []
    real = trainee_view.map_svg
    monkeypatch.setattr(trainee_view, "map_svg", lambda *a, **k: drawn.append(1) or real(*a, **k))
    first = trainee_view.desk_view(ex.trainee_id, "id")
    for _ in range(3):  # the console's refreshes with nothing new: no drawing
        assert trainee_view.desk_view(ex.trainee_id, "id").map_svg is first.map_svg
    assert len(drawn) == 1
    ex.run_days(2)
    later = trainee_view.desk_view(ex.trainee_id, "id")
    assert len(drawn) == 2 and later.day == first.day + 2
    ex.order("mediation", 1)
    assert len(trainee_view.desk_view(ex.trainee_id, "id").orders) == 1 and len(drawn) == 3
    ex.close()


def test_a_trainee_running_a_day_is_not_waited_for():
    ex = _trainee()
    seen = trainee_view.desk_view(ex.trainee_id, "id")
    with ex.lock:  # as while the trainee's day runs
        t0 = time.perf_counter()
        view = trainee_view.desk_view(ex.trainee_id, "id")
        waited = time.perf_counter() - t0
    assert waited < 0.5 and view.live and view.busy and view.map_svg == seen.map_svg and view.day == seen.day
    ex.close()


def test_a_trainee_whose_page_is_gone_is_shown_from_the_database():
    ex = _trainee("Budi")
    ex.order("mediation", 2)
    ex.run_days(1)
    registry.save(ex)
    token, today = ex.trainee_id, ex.today
    ex.close()  # the page closed (or the server restarted): the model is gone
    assert trainee_view.live_exercise(token) is None
    names = facilitator.village_names(SETUP)
    view = trainee_view.desk_view(token, "id", names)
    assert not view.live and view.map_svg is None and view.name == "Budi" and view.day == today
    assert [(o.day, o.kind, o.place) for o in view.orders] == [(SETUP.start_day, "mediation", names[2])]
    assert view.budget_left == pytest.approx(SETUP.budget - view.orders[0].cost) and view.orders[0].cost > 0
    assert trainee_view.desk_view("no-such-token", "id") is None


def test_two_tabs_on_one_trainee_show_the_one_further_on():
    ex = _trainee()
    other = Exercise(SETUP, trainee="Ani", code=ex.code, trainee_id=ex.trainee_id)  # the same token reopened
    other.run_days(3)
    assert trainee_view.live_exercise(ex.trainee_id) is other
    ex.close()
    other.close()


def test_the_console_shows_the_chosen_trainees_desk_in_both_languages():
    ex = _trainee("Citra")
    ex.order("mediation", 3)
    registry.save(ex)
    gone = Exercise(SETUP, trainee="Dodi", code=ex.code)
    registry.save(gone)
    gone.close()
    facilitator.fac_code.set(ex.code)
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    html = _html(rc)
    assert "Meja peserta: Citra" in _texts(rc)  # the first trainee is chosen at first
    assert "fac-trainee-orders" in html and "<svg" in html and facilitator.village_names(SETUP)[3] in html
    # the trainee whose page is gone: the database's orders and a word on the map
    rc.find(v.Select, label="Nama").widget.v_model = "Dodi (2)"
    assert "Meja peserta: Dodi" in _texts(rc) and t("fac_view_not_live", "id") in _texts(rc)
    lang.set("en")
    assert "Trainee's desk: Dodi" in _texts(rc) and t("fac_view_not_live", "en") in _texts(rc)
    rc.close()
    ex.close()


def test_the_view_is_read_while_another_thread_runs_days():
    """The console's refresh thread against a trainee running days: every view is consistent
    (its map's levels are the desk's of the day it reports), and nobody deadlocks."""
    ex = _trainee()
    views = []

    def watch(stop: threading.Event) -> None:
        while not stop.is_set():
            views.append(trainee_view.desk_view(ex.trainee_id, "id"))

    stop = threading.Event()
    th = threading.Thread(target=watch, args=(stop,))
    th.start()
    for _ in range(5):
        ex.run_days(1)
    stop.set()
    th.join(10)
    assert not th.is_alive() and views
    last = trainee_view.desk_view(ex.trainee_id, "id")
    assert last.day == ex.today and np.array_equal(np.array(last.levels), ex.desk_levels())
    ex.close()
