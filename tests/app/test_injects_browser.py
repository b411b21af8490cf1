"""An exercise file in a real browser: a trainee picks "Konvoi dihadang di desa lawan" by its title,
reads the briefing, and the inject's message arrives in the desk's message box on its day (not
before). Headless Debian Chromium against `siaga ui` (tests/app/conftest.py)."""

from __future__ import annotations

import time

import pytest

from scenarios.exercise_schema import get_exercise

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_an_inject_message_arrives_on_its_day(new_page, artifacts):
    spec = get_exercise("konvoi_dihadang").spec
    first = spec.injects[0]  # day 76: the Polsek's warning that the convoy will pass through
    t0 = time.perf_counter()
    page = new_page("lokakarya")
    page.wait_for_selector(".siaga-ws-start-button")
    page.locator(".siaga-ws-name input").fill("Camat Uji")
    page.locator(".siaga-ws-exercise").click()
    page.locator(".v-menu__content .v-list-item", has_text=spec.title.id).click()
    page.wait_for_selector(".siaga-ws-exercise-info")
    assert page.locator(".siaga-ws-seed").count() == 0  # the file fixes scenario, seed, days and budget
    page.locator(".siaga-ws-start-button").click()
    page.wait_for_selector(".siaga-ws-briefing")
    assert "Tebat Monok" in page.locator(".siaga-ws-briefing").inner_text()
    page.screenshot(path=str(artifacts / "workshop_briefing.png"), full_page=True)
    page.locator(".siaga-ws-begin").click()
    page.wait_for_selector(".siaga-ws-give")
    assert f"Hari {spec.window.start_day} " in page.locator(".siaga-ws-day").inner_text()
    assert first.message.id not in page.locator("body").inner_text()  # not before its day
    for day in range(spec.window.start_day + 1, first.day + 1):
        page.locator(".siaga-ws-run").click()
        page.wait_for_function("d => document.querySelector('.siaga-ws-day').innerText.includes('Hari ' + d + ' ')", arg=day)
    page.wait_for_selector(".siaga-ws-inbox-new")
    assert first.message.id in page.locator(".siaga-ws-inbox").inner_text()
    page.screenshot(path=str(artifacts / "workshop_inject.png"), full_page=True)
    print(f"picked, briefed and ran to the inject's day in {time.perf_counter() - t0:.1f} s")
