"""The app on a projector (1920 x 1080) and the facilitator's console on a phone (390 px), in
headless Chromium: no page scrolls sideways, the maps use the width (not a 520-560 px box in a
corner of a 1920 px screen) and no text is cut short ("…" or clipped)."""

from __future__ import annotations

import pytest

from .test_console_live_browser import join, open_session

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]

PROJECTOR = {"width": 1920, "height": 1080}
MIN_MAP_SHARE = 0.33  # of the screen's width: a map a hall can read from the back

LAYOUT = """(mapSel) => {
  const doc = document.documentElement;
  const cut = [];
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || !el.clientWidth) continue;
    const cs = getComputedStyle(el);
    const clips = cs.overflowX !== 'visible' || cs.textOverflow === 'ellipsis';
    if (clips && el.scrollWidth > el.clientWidth + 1 && cs.overflowX !== 'auto' && cs.overflowX !== 'scroll')
      cut.push(el.innerText.slice(0, 60));
  }
  const map = mapSel ? document.querySelector(mapSel) : null;
  const r = map ? map.getBoundingClientRect() : null;
  return {scrollWidth: doc.scrollWidth, clientWidth: doc.clientWidth, cut,
          map: r && {left: r.left, top: r.top, width: r.width, height: r.height, bottom: r.bottom}};
}"""


def _check(page, map_sel: str | None, where: str, min_map: float | None = MIN_MAP_SHARE) -> dict:
    o = page.evaluate(LAYOUT, map_sel)
    assert o["scrollWidth"] <= o["clientWidth"] + 1, f"{where} scrolls sideways: {o}"
    assert not o["cut"], f"{where}: text cut short: {o['cut']}"
    if map_sel is not None and min_map is not None:
        m = o["map"]
        assert m is not None, f"{where}: no map"
        assert m["width"] >= min_map * o["clientWidth"], f"{where}: the map is a small box on a {o['clientWidth']} px screen: {m}"
        assert m["height"] >= 0.6 * m["width"], f"{where}: the map is squeezed: {m}"
    return o


def test_on_a_projector_the_pages_use_the_width_and_the_console_fits_a_phone(new_page, artifacts):
    explorer = new_page("", **PROJECTOR)
    explorer.wait_for_selector(".siaga-map-host svg [data-village]")
    _check(explorer, ".siaga-map-host svg", "the explorer")
    explorer.screenshot(path=str(artifacts / "projector_explorer.png"))
    fac = new_page("fasilitator", **PROJECTOR)
    code = open_session(fac)
    ws = new_page("lokakarya", **PROJECTOR)
    join(ws, "Proyektor", code)
    ws.locator(".siaga-ws-give").click()
    ws.wait_for_selector(".siaga-ws-message")
    _check(ws, ".siaga-map-host svg", "the workshop desk")
    ws.screenshot(path=str(artifacts / "projector_desk.png"))
    fac.wait_for_selector(".siaga-fac-trainee-map svg [data-village]", timeout=30_000)  # the console's live refresh
    o = _check(fac, ".siaga-fac-trainee-map svg", "the facilitator's console")
    orders = fac.locator(".siaga-fac-trainee-orders").bounding_box()
    assert orders["y"] < o["map"]["bottom"] and orders["x"] > o["map"]["left"] + o["map"]["width"], "the orders sit beside the map"
    fac.screenshot(path=str(artifacts / "projector_facilitator.png"), full_page=True)
    # the console on a phone: the same session, nothing wider than the screen
    phone = new_page(f"fasilitator?sesi={code}", width=390, height=844)
    phone.wait_for_selector(".siaga-fac-trainee-map svg [data-village]", timeout=30_000)
    o = _check(phone, ".siaga-fac-trainee-map svg", "the console at 390 px", min_map=0.8)
    assert o["map"]["left"] >= 0 and o["map"]["left"] + o["map"]["width"] <= 390
    phone.screenshot(path=str(artifacts / "phone_facilitator.png"), full_page=True)
