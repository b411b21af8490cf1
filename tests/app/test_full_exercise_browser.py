"""A whole default exercise in the browser, as a trainee plays it: one order and one day at a
time for all its evenings, then the debrief (issue 14: "report the time a full exercise takes in
the browser tests"). The time goes to the artifacts folder (full_exercise.json)."""

import json
import time

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from siaga.app.exercise_setup import ExerciseSetup


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
    evenings = lost = 0
    while not page.locator(".siaga-ws-run").is_disabled():  # disabled once the last evening has run
        day = page.locator(".siaga-ws-day").inner_text() if page.locator(".siaga-ws-day").count() else ""
        if evenings % 3 == 0:  # an order every third evening, as a trainee with a small budget would
            page.locator(".siaga-ws-give").click()
            page.wait_for_selector(".siaga-ws-message")
        for _attempt in range(3):  # a click that lands while the page redraws is lost: a trainee clicks again
            page.locator(".siaga-ws-run").click()
            try:
                page.wait_for_function("(d) => !document.body.innerText.includes(d) || d === ''", arg=day, timeout=30_000)
                break
            except PlaywrightTimeout:
                lost += 1
        else:
            raise AssertionError(f"the day did not advance after three clicks: {day}")
        evenings += 1
        assert evenings <= setup.length + 2, "the exercise did not end"
    played = time.perf_counter() - t0
    page.locator(".siaga-ws-finish").click()  # waits for it to appear
    page.wait_for_selector(".siaga-debrief", timeout=120_000)
    total = time.perf_counter() - t0
    assert evenings == setup.length
    assert lost == 0, f"{lost} clicks on a day button were lost while the page redrew"
    (artifacts / "full_exercise.json").write_text(json.dumps(
        {"evenings": evenings, "played_s": round(played, 1), "to_debrief_s": round(total, 1), "lost_clicks": lost}, indent=1))
