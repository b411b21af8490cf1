"""A whole default exercise in the browser, as a trainee plays it: one order every third evening
and one day at a time for all its evenings, then the debrief (issue 14: "report the time a full
exercise takes in the browser tests"). The time goes to the artifacts folder (full_exercise.json).
Each click must move the day on: the desk's buttons do not jump while a day redraws, so no click
is lost (a lost click would leave the heading unchanged and time out)."""

import json
import time

import pytest

from siaga.app.exercise_setup import ExerciseSetup

from .test_browser import play_evenings


@pytest.mark.slow
def test_a_full_default_exercise_played_day_by_day(new_page, artifacts):
    setup = ExerciseSetup()
    page = new_page("lokakarya")
    page.wait_for_selector(".siaga-ws-start-button")
    page.locator(".siaga-ws-name input").fill("Camat Penuh")
    page.locator(".siaga-ws-name input").press("Enter")
    t0 = time.perf_counter()
    page.locator(".siaga-ws-start-button").click()
    page.wait_for_selector(".siaga-ws-give")

    def order(i: int) -> None:
        if i % 3 == 0:  # an order every third evening, as a trainee with a small budget would
            page.locator(".siaga-ws-give").click()
            page.wait_for_selector(".siaga-ws-message")

    play_evenings(page, setup.length, order)
    played = time.perf_counter() - t0
    page.locator(".siaga-ws-finish").click()  # waits until it is there
    page.wait_for_selector(".siaga-debrief", timeout=120_000)
    total = time.perf_counter() - t0
    assert page.locator(".siaga-ws-run").count() == 0  # the debrief replaced the desk
    (artifacts / "full_exercise.json").write_text(json.dumps(
        {"evenings": setup.length, "played_s": round(played, 1), "to_debrief_s": round(total, 1)}, indent=1))
