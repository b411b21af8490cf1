"""The facilitator watches a trainee live (headless Chromium against `siaga ui`): the trainee gives
an order and runs an evening; without a click, the console shows that order (day, village, cost)
and the trainee's desk map, village for village as the trainee sees it."""

from __future__ import annotations

import re

import pytest

from .test_browser import play_evenings

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

LEVELS = """(sel) => [...document.querySelectorAll(sel + ' [data-village]')]
  .sort((a, b) => a.dataset.village - b.dataset.village)
  .map(e => (e.getAttribute('class') || '').match(/level-(\\S+)/)[1])"""


def open_session(fac, length: str = "3") -> str:
    """Create a session on the facilitator's page; its code."""
    fac.wait_for_selector(".siaga-fac-create")
    fac.locator(".siaga-fac-length input").fill(length)
    fac.locator(".siaga-fac-length input").press("Enter")
    fac.locator(".siaga-fac-create").click()
    fac.wait_for_selector(".siaga-fac-code")
    return fac.locator(".siaga-fac-code").inner_text().split(":")[-1].strip()


def join(ws, name: str, code: str) -> None:
    """A trainee joins session `code` and waits for the desk."""
    ws.wait_for_selector(".siaga-ws-start-button")
    ws.locator(".siaga-ws-name input").fill(name)
    ws.locator(".siaga-ws-code input").fill(code)
    ws.locator(".siaga-ws-code input").press("Enter")
    ws.wait_for_selector(".siaga-ws-seed", state="detached")
    ws.locator(".siaga-ws-start-button").click()
    ws.wait_for_selector(".siaga-ws-give", timeout=60_000)


def test_the_facilitator_sees_a_trainees_order_and_desk_map_without_a_click(new_page, artifacts):
    fac = new_page("fasilitator")
    code = open_session(fac)
    ws = new_page("lokakarya")
    join(ws, "Ani", code)
    first_day = int(re.search(r"\d+", ws.locator(".siaga-ws-day").inner_text()).group())
    village = ws.locator(".siaga-ws-village .v-select__selection").inner_text().strip()
    ws.locator(".siaga-ws-give").click()  # the default order: a mediation team
    ws.wait_for_selector(".siaga-ws-message")
    play_evenings(ws, 1)
    day = int(re.search(r"\d+", ws.locator(".siaga-ws-day").inner_text()).group())
    assert day == first_day + 1
    # the console's live refresh (every 5 s) brings the trainee's day, order and map: no click here
    fac.wait_for_function(
        """([v, d]) => { const o = document.querySelector('.fac-trainee-orders'), h = document.querySelector('.siaga-fac-trainee-day');
                         return o && h && o.innerText.includes(v) && h.innerText.includes('Hari ' + d)
                                && document.querySelector('.siaga-fac-trainee-map svg [data-village]'); }""",
        arg=[village, day], timeout=30_000)
    assert "Meja peserta: Ani" in fac.locator(".siaga-fac-trainee").inner_text()
    cells = fac.locator(".fac-trainee-orders tr.fac-trainee-order td").all_inner_texts()
    assert cells[0] == str(first_day) and cells[2] == village and float(cells[3]) > 0, cells
    assert "Sisa anggaran: " in fac.locator(".siaga-fac-trainee-day").inner_text()
    # the map is the trainee's desk map: each village at the level the trainee sees
    seen = ws.evaluate(LEVELS, ".siaga-map-host svg")
    shown = fac.evaluate(LEVELS, ".siaga-fac-trainee-map svg")
    assert len(seen) >= 10 and shown == seen
    assert fac.locator(".siaga-fac-trainee-not-live").count() == 0
    fac.screenshot(path=str(artifacts / "facilitator_trainee_desk.png"), full_page=True)
