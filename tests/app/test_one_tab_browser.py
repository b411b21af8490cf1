"""Two tabs with the same trainee address (?peserta=...), in headless Chromium: the second tab
restores the exercise and plays on; the first tab's next click is refused with the Bahasa notice,
its reload replays the second tab's orders, and then the second tab is the one told."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


def _orders(page) -> int:
    return page.locator(".siaga-ws-orders > *").count()


def _give(page) -> None:
    n = _orders(page)
    page.locator(".siaga-ws-give").click()
    page.wait_for_function("n => document.querySelector('.siaga-ws-orders').children.length > n", arg=n)


def test_a_second_tab_of_the_same_trainee_takes_over_and_the_first_is_told(new_page, artifacts):
    tab_a = new_page("lokakarya")
    tab_a.wait_for_selector(".siaga-ws-start-button")
    tab_a.locator(".siaga-ws-name input").fill("Gita")
    tab_a.locator(".siaga-ws-start input").fill("20")
    tab_a.locator(".siaga-ws-length input").fill("4")
    tab_a.locator(".siaga-ws-length input").press("Enter")
    tab_a.locator(".siaga-ws-start-button").click()
    tab_a.wait_for_selector(".siaga-ws-give")
    _give(tab_a)
    tab_a.wait_for_url(re.compile(r"peserta=[A-Za-z0-9_-]{6,}"))
    token = tab_a.url.split("peserta=")[1]

    tab_b = new_page(f"lokakarya?peserta={token}")  # the same address in another tab (its own session)
    tab_b.wait_for_selector(".siaga-ws-give")
    assert _orders(tab_b) == 1
    day = tab_b.locator(".siaga-ws-day").inner_text()
    tab_b.locator(".siaga-ws-run").click()  # tab B plays on: the next evening
    tab_b.wait_for_function("d => document.querySelector('.siaga-ws-day').innerText != d", arg=day)
    day_b = tab_b.locator(".siaga-ws-day").inner_text()

    tab_a.locator(".siaga-ws-run").click()  # tab A, behind, tries to run the next day
    tab_a.wait_for_selector(".siaga-ws-other-tab")
    assert "dilanjutkan di tab atau perangkat lain" in tab_a.locator(".siaga-ws-other-tab").inner_text()
    assert tab_a.locator(".siaga-ws-run").count() == 0
    tab_a.screenshot(path=str(artifacts / "one_tab_notice.png"))
    tab_a.locator(".siaga-ws-other-tab-reload").click()  # replays tab B's state
    tab_a.wait_for_selector(".siaga-ws-give")
    assert tab_a.locator(".siaga-ws-day").inner_text() == day_b and _orders(tab_a) == 1

    tab_b.locator(".siaga-ws-run").click()  # now tab B is the one behind
    tab_b.wait_for_selector(".siaga-ws-other-tab")
    assert tab_b.locator(".siaga-ws-day").count() == 0
