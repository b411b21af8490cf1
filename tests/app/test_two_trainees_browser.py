"""Two trainees of one facilitator's session play at the same time in two browsers (issue 14: "with
two trainees playing, buttons jump about 100 px while a day redraws and clicks get lost").

Their clicks are interleaved and sent without waiting for the page to answer: a village on the
map, "give the order", "run the next day", on one page then the other, evening after evening;
the buttons are clicked with the mouse where they were when the desk opened (as a person aims),
so a button that had moved during a redraw would lose the click.
Afterwards every click has had its effect: each trainee's day is the evenings clicked, and the
orders the facilitator's console reads from the workshop database are the orders clicked, on
their evenings, in their villages. Meanwhile every change the pages made to their DOM was
watched: the desk's buttons never moved and never went missing during a redraw.
"""

from __future__ import annotations

import re

import pytest

from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.facilitator import village_names
from siaga.i18n import t

from .conftest import click_village

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]

BUTTONS = ("siaga-ws-give", "siaga-ws-run", "siaga-ws-run7")
EVENINGS = 4  # clicked on each page; fewer than the session's length, so no button is disabled meanwhile
LENGTH = 6
START = 75  # the facilitator form's default start day

# Records the box of each desk button after every batch of DOM changes (a MutationObserver runs
# before the browser paints, so it sees each intermediate layout of a redraw), in page coordinates.
WATCH_BUTTONS = """(classes) => {
  window.__boxes = [];
  const record = () => {
    for (const cls of classes) {
      const e = document.querySelector('.' + cls);
      if (!e) { window.__boxes.push([cls, null]); continue; }
      const r = e.getBoundingClientRect();
      window.__boxes.push([cls, [Math.round(r.left + window.scrollX), Math.round(r.top + window.scrollY),
                                 Math.round(r.width), Math.round(r.height)]]);
    }
  };
  record();
  window.__observer = new MutationObserver(record);
  window.__observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def _join(page, name: str, code: str) -> None:
    page.wait_for_selector(".siaga-ws-start-button")
    page.locator(".siaga-ws-name input").fill(name)
    page.locator(".siaga-ws-code input").fill(code)
    page.locator(".siaga-ws-code input").press("Enter")
    page.wait_for_selector(".siaga-ws-seed", state="detached")
    page.locator(".siaga-ws-start-button").click()


def _centre(page, cls: str) -> tuple[float, float]:
    box = page.locator(f".{cls}").bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _day(page) -> int:
    return int(re.search(r"(\d+)", page.locator(".siaga-ws-day").inner_text()).group(1))


def test_two_trainees_clicking_at_once_lose_no_click_and_the_buttons_stay_put(new_page, artifacts):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    fac = new_page("fasilitator")
    fac.wait_for_selector(".siaga-fac-create")
    fac.locator(".siaga-fac-length input").fill(str(LENGTH))
    fac.locator(".siaga-fac-length input").press("Enter")
    fac.locator(".siaga-fac-create").click()
    code = fac.locator(".siaga-fac-code").inner_text().split(":")[-1].strip()
    trainees = {"Ani": new_page("lokakarya", wait_until="commit"), "Budi": new_page("lokakarya", wait_until="commit")}  # both load at once
    for name, page in trainees.items():
        _join(page, name, code)
    aim = {}  # where each button was when the desk opened: clicked there, as a person aims, not where it is now
    for name, page in trainees.items():
        page.wait_for_selector(".siaga-ws-give")
        assert _day(page) == START
        page.evaluate(WATCH_BUTTONS, list(BUTTONS))
        aim[name] = {cls: _centre(page, cls) for cls in ("siaga-ws-give", "siaga-ws-run")}
    villages = {"Ani": [1, 2, 3, 4], "Budi": [5, 6, 7, 8]}  # a new village each evening: no order is refused
    for i in range(EVENINGS):  # interleaved, and no waiting for the pages to answer
        for name, page in trainees.items():
            click_village(page, villages[name][i])
        for name, page in trainees.items():
            page.mouse.click(*aim[name]["siaga-ws-give"])
        for name, page in trainees.items():
            page.mouse.click(*aim[name]["siaga-ws-run"])
    for name, page in trainees.items():
        try:  # every click answered; else the page stays short of it and the assertion says by how much
            page.wait_for_function(
                "([d, n]) => { const h = document.querySelector('.siaga-ws-day'), o = document.querySelector('.siaga-ws-orders');"
                " return h && o && h.innerText.match(/\\d+/)[0] == String(d) && o.children.length == n; }",
                arg=[START + EVENINGS, EVENINGS], timeout=20_000)
        except PlaywrightTimeout:
            pass
        shown = page.locator(".siaga-ws-orders").inner_text().count(t("order_mediation", "id"))
        assert (_day(page), shown) == (START + EVENINGS, EVENINGS), f"{name}: clicks lost (day, orders shown)"
    # the buttons: one box each, from before the first click through every redraw
    for name, page in trainees.items():
        boxes = page.evaluate("() => { window.__observer.disconnect(); return window.__boxes; }")
        assert len(boxes) > len(BUTTONS) * EVENINGS * 2, f"{name}: too few redraws seen ({len(boxes)})"  # the watch saw the redraws
        for cls in BUTTONS:
            seen = [box for c, box in boxes if c == cls]
            assert None not in seen, f"{name}: {cls} was missing during a redraw"
            assert len({tuple(b) for b in seen}) == 1, f"{name}: {cls} moved: {sorted({tuple(b) for b in seen})}"
        page.screenshot(path=str(artifacts / f"two_trainees_{name}.png"), full_page=True)
    # what is stored: the facilitator's console reads each trainee's row from the workshop database
    names = village_names(ExerciseSetup(start_day=START, length=LENGTH))
    fac.locator(".siaga-fac-refresh").click()
    fac.wait_for_function("() => { const t = document.querySelector('.fac-status'); return t && t.innerText.includes('Budi'); }")
    header = [h.strip() for h in fac.locator(".fac-status tr").first.locator("th").all_inner_texts()]
    col_day, col_orders = header.index(t("fac_col_day", "id")), header.index(t("fac_col_orders", "id"))
    for name in trainees:
        expected = "; ".join(f"{START + i}: {t('order_mediation', 'id')}, {names[v]}" for i, v in enumerate(villages[name]))
        row = fac.locator(".fac-status tr", has_text=name)
        fac.wait_for_function("([n, c, d]) => [...document.querySelectorAll('.fac-status tr')].some(r => r.innerText.includes(n)"
                              " && r.cells[c].innerText.trim() == String(d))", arg=[name, col_day, START + EVENINGS], timeout=15_000)
        cells = row.locator("td").all_inner_texts()
        assert cells[col_day] == str(START + EVENINGS), (name, cells)  # the day stored
        orders = cells[col_orders]
        assert orders.startswith(f"{EVENINGS}: "), (name, orders)
        stored = re.sub(r" \([^)]*\)", "", orders.split(": ", 1)[1])  # without each order's outcome
        assert stored == expected, (name, stored)
    fac.screenshot(path=str(artifacts / "two_trainees_facilitator.png"), full_page=True)
