"""The same trainee in two tabs, rendered without a browser (solara.render): the tab left behind is
refused, says so in Bahasa Indonesia (English after the switch) and offers to reload; the database
keeps the other tab's orders."""

from __future__ import annotations

import ipyvuetify as v
import pytest
import solara

from siaga.app import one_tab, registry, resume, workshop
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import Store, use_store
from siaga.app.ui_state import lang
from siaga.i18n import t

from .test_render import _button

SETUP = ExerciseSetup(start_day=20, length=4)


@pytest.fixture(autouse=True)
def fresh(tmp_path):
    store = Store(tmp_path / "w.sqlite")
    old = use_store(store)
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    one_tab.stale_exercise.set(None)
    yield store
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    one_tab.stale_exercise.set(None)
    lang.set("id")
    use_store(old)
    store.close()


def _alerts(rc) -> str:
    return str([w.children for w in rc.find(v.Alert).widgets])


@pytest.mark.parametrize("lg", ["id", "en"])
def test_the_tab_left_behind_is_refused_and_offered_a_reload(lg):
    lang.set(lg)
    tab_a = Exercise(SETUP, trainee="Ani")
    tab_a.order("mediation", 3)
    registry.save(tab_a)
    workshop.exercise_state.set(tab_a)
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    # the same address opened in a second tab: restored, saved, one more order there
    tab_b = resume.restore(tab_a.trainee_id)[0]
    registry.save(tab_b)
    tab_b.order("patrol", 5)
    registry.save(tab_b)

    day = tab_a.today
    _button(rc, "siaga-ws-run").click()  # tab A tries to run the next day
    assert tab_a.today == day, "a tab left behind must not run days that cannot be kept"
    assert t("ws_other_tab", lg) in _alerts(rc)
    stored = registry.trainee(tab_a.trainee_id)
    assert [o["kind"] for o in stored["orders"]] == ["mediation", "patrol"]
    assert not rc.find(v.Btn, class_="siaga-ws-run").widgets  # the desk is gone, the notice stands

    _button(rc, "siaga-ws-other-tab-reload").click()  # the page forgets its copy; the address restores the stored one
    assert workshop.exercise_state.value is None and tab_a.closed and one_tab.stale_exercise.value is None
    rc.close()
    tab_b.close()


def test_an_order_saved_after_the_other_tab_moved_on_is_refused():
    tab_a = Exercise(SETUP, trainee="Budi")
    registry.save(tab_a)
    tab_b = resume.restore(tab_a.trainee_id)[0]
    registry.save(tab_b)
    tab_a.order("rakor", None)
    assert not one_tab.publish(tab_a) and one_tab.is_stale(tab_a) and not one_tab.is_stale(tab_b)
    assert registry.trainee(tab_a.trainee_id)["orders"] == []
    assert one_tab.publish(tab_b)
    for x in (tab_a, tab_b):
        x.close()
