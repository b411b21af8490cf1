"""The app in a real browser: headless Debian Chromium against `siaga ui` on 127.0.0.1.

Each test saves a screenshot to the artifacts folder. Marked `browser` (deselect with
-m "not browser"); about a minute and a half together on a 2-core machine.
"""

from __future__ import annotations

import json
import re
import time

import pytest

from .conftest import click_village

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

MAP = ".siaga-map-host svg"


def _day(page) -> int:
    text = page.locator(".siaga-day").inner_text()
    return int(re.search(r"(\d+)", text).group(1))


def _wait_day(page, day: int, timeout_s: float = 30) -> float:
    """Seconds until the page shows `day`."""
    t0 = time.perf_counter()
    page.wait_for_function(
        "d => { const e = document.querySelector('.siaga-day'); return e && e.innerText.match(/\\d+/)[0] == String(d); }",
        arg=day, timeout=timeout_s * 1000,
    )
    return time.perf_counter() - t0


def _no_traceback(page) -> None:
    text = page.locator("body").inner_text()
    assert "Traceback" not in text and "Error" not in text.replace("siaga-error", "")


def test_explorer_slider_step_and_play_change_map_and_charts(new_page, artifacts):
    page = new_page()
    page.wait_for_selector(MAP)
    assert _day(page) == 0
    page.screenshot(path=str(artifacts / "explorer_day0.png"), full_page=True)
    # a population knob: more active supporters (keyboard on the slider thumb), then apply
    label = page.locator(".siaga-slider-supporters")
    before_label = label.inner_text()
    label.locator(".v-slider__thumb-container").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("t => !document.querySelector('.siaga-slider-supporters').innerText.includes(t)", arg=before_label.split(":")[-1].strip())
    assert "0.25" in label.inner_text()
    page.locator(".siaga-apply").click()
    _wait_day(page, 0)
    map0 = page.locator(MAP).inner_html()
    charts0 = page.locator(".siaga-charts").inner_html()
    page.locator(".siaga-step").click()  # the first click also waits for the rebuild to finish
    _wait_day(page, 1)
    # single steps: time from click to the new day on screen (model step + drawing + transfer)
    timings = []
    for d in range(2, 7):
        t0 = time.perf_counter()
        page.locator(".siaga-step").click()
        _wait_day(page, d)
        timings.append(time.perf_counter() - t0)
    for d in (13, 20, 27):
        page.locator(".siaga-step7").click()
        _wait_day(page, d)
    page.locator(".siaga-play").click()
    page.wait_for_function("() => parseInt(document.querySelector('.siaga-day').innerText.match(/\\d+/)[0]) >= 33", timeout=30_000)
    page.locator(".siaga-pause").click()
    page.wait_for_selector(".siaga-play")
    assert page.locator(MAP).inner_html() != map0
    assert page.locator(".siaga-charts").inner_html() != charts0
    assert page.locator(".siaga-charts .series-tense").count() == 1
    assert page.locator(".feed-line").count() > 0
    _no_traceback(page)
    page.screenshot(path=str(artifacts / "explorer_after_steps.png"), full_page=True)
    assert page.external_requests == [], "the page fetched from outside the app (not offline)"
    (artifacts / "timings.json").write_text(json.dumps({"click_to_new_day_s": timings}, indent=1))
    assert max(timings) < 3.0, f"a step took {max(timings):.2f} s in the browser"


def test_clicking_a_village_shows_its_network(new_page, artifacts):
    page = new_page()
    page.wait_for_selector(MAP)
    for d in range(7, 92, 7):  # into the counting days, when the map has colour
        page.locator(".siaga-step7").click()
        _wait_day(page, d)
    click_village(page, 3)  # where village 3's own polygon is on top
    page.wait_for_selector(".siaga-network svg")
    svg = page.locator(".siaga-network svg").inner_html()
    assert "nodes-state-0" in svg
    page.screenshot(path=str(artifacts / "explorer_network.png"), full_page=True)  # README: docs/figures/app_explorer.png


def _refused(page, fragment: str, also: str = "") -> None:
    """Wait until a refusal message containing `fragment` (and `also`) is on the page."""
    page.wait_for_function(
        "([f, a]) => [...document.querySelectorAll('.siaga-error')].some(e => e.innerText.includes(f) && e.innerText.includes(a))",
        arg=[fragment, also], timeout=15_000)


def _cleared(page, fragment: str) -> None:
    """Wait until no message under a field mentions `fragment` (the apply banner may still do)."""
    page.wait_for_function(
        "([f]) => ![...document.querySelectorAll('.siaga-error')].some(e => e.innerText.includes(f)"
        " && !e.innerText.includes('Nilai ditolak') && !e.innerText.includes('Value refused'))",
        arg=[fragment], timeout=15_000)


def _each_refused(page, cases, submit: str, not_made: str) -> None:
    """Type each (field class, bad text, expected words) into its field and submit: the page must
    show the refusal and make nothing (`not_made` absent); then the field gets its old value back."""
    for cls, text, shown in cases:
        field = page.locator(f".{cls} input")
        before = field.input_value()
        field.fill(text)
        field.press("Enter")
        page.locator(submit).click()
        _refused(page, shown)
        assert page.locator(not_made).count() == 0
        field.fill(before)
        field.press("Enter")


def test_a_bad_value_is_refused_with_a_message(new_page, artifacts):
    page = new_page()
    page.wait_for_selector(MAP)
    seed = page.locator(".siaga-seed input")
    seed.fill("dua puluh")
    seed.press("Enter")
    page.wait_for_selector(".siaga-error")
    assert "bukan bilangan bulat" in page.locator(".siaga-error").first.inner_text()
    page.locator(".siaga-apply").click()
    page.wait_for_function("() => document.querySelectorAll('.siaga-error').length >= 2")
    assert "Nilai ditolak" in page.locator(".siaga-error").last.inner_text()
    days = page.locator(".siaga-days input")
    days.fill("-5")
    days.press("Enter")
    page.wait_for_function("() => document.body.innerText.includes('di luar rentang')")
    _no_traceback(page)
    page.locator(".siaga-step").click()  # the old model still works
    _wait_day(page, 1)
    page.screenshot(path=str(artifacts / "explorer_bad_value.png"), full_page=True)
    # more of what people type, in both fields: each refused under the field and on apply; the
    # model is kept (a new one would be back at day 0)
    for field, text, shown in ((seed, "NaN", "'NaN'"), (seed, "1e308", "'1e308'"), (seed, "-1", "-1 di luar"), (seed, "١٢", "'١٢'"),
                               (days, "abc", "'abc'"), (days, "0", "0 di luar"), (days, "12.5", "'12.5'"), (days, "9" * 40, "di luar rentang 1–3650")):
        field.fill(text)
        field.press("Enter")
        _refused(page, shown)
        page.locator(".siaga-apply").click()
        _refused(page, shown, also="Nilai ditolak")
        assert _day(page) == 1, f"{text!r} replaced the model"
        field.fill("")
        field.press("Enter")
        _cleared(page, shown)  # the server has taken the empty field before the next value is typed
    # in English after the switch
    page.locator(".siaga-lang button", has_text="en").click()
    page.wait_for_function("() => document.body.innerText.includes('Villages by alert level')")
    seed.fill("abc")
    seed.press("Enter")
    _refused(page, "is not a whole number")
    page.locator(".siaga-apply").click()
    _refused(page, "Value refused")
    assert _day(page) == 1
    _no_traceback(page)


def test_bad_values_in_the_workshop_and_facilitator_forms_are_refused(new_page, app_url):
    from .test_sessions import _status

    base = _status(app_url)["models"]["workshop"]
    page = new_page("lokakarya")
    page.wait_for_selector(".siaga-ws-start-button")
    _each_refused(page, (("siaga-ws-seed", "NaN", "'NaN'"), ("siaga-ws-start", "-1", "-1 di luar"), ("siaga-ws-length", "", "''"),
                         ("siaga-ws-budget", "1e308", "'1e308'"), ("siaga-ws-budget", "１２", "'１２'"), ("siaga-ws-name", "x" * 70, "terlalu panjang")),
                  submit=".siaga-ws-start-button", not_made=".siaga-ws-give")
    code = page.locator(".siaga-ws-code input")
    for text, shown in (("abc", "bukan kode sesi"), ("ZZZZZZ", "'ZZZZZZ' tidak dikenal")):
        code.fill(text)
        code.press("Enter")
        page.locator(".siaga-ws-start-button").click()
        _refused(page, shown)
    assert _status(app_url)["models"]["workshop"] == base, "a refused set-up built a model"
    _no_traceback(page)
    fac = new_page("fasilitator")
    fac.wait_for_selector(".siaga-fac-create")
    fac.locator(".siaga-lang button", has_text="en").click()
    _each_refused(fac, (("siaga-fac-length", "abc", "is not a whole number"), ("siaga-fac-budget", "-10", "is outside")),
                  submit=".siaga-fac-create", not_made=".siaga-fac-code")
    assert "Value refused" in fac.locator(".siaga-error").inner_text()


def test_two_browser_sessions_keep_separate_models(new_page):
    a = new_page()
    b = new_page()
    a.wait_for_selector(MAP)
    b.wait_for_selector(MAP)
    a.locator(".siaga-step7").click()
    _wait_day(a, 7)
    b.locator(".siaga-step").click()
    _wait_day(b, 1)
    a.reload()  # a reload is a new session: it starts over
    a.wait_for_selector(MAP)
    assert _day(a) == 0
    assert _day(b) == 1


def test_language_switch_and_navigation_keep_the_session(new_page):
    page = new_page()
    page.wait_for_selector(MAP)
    page.locator(".siaga-step").click()
    _wait_day(page, 1)
    page.locator(".siaga-nav", has_text="Lokakarya Camat").click()
    page.wait_for_selector(".siaga-ws-start-button")
    page.locator(".siaga-nav", has_text="Penjelajah").click()
    page.wait_for_selector(MAP)
    assert _day(page) == 1  # the same session's model, not a new one
    page.locator(".siaga-lang button", has_text="en").click()
    page.wait_for_function("() => document.body.innerText.includes('Villages by alert level')")
    assert "Intervention levers" in page.locator("body").inner_text()


def _join_and_play(page, name: str, code: str | None, artifacts=None, start: str = "80", length: str = "3"):
    page.wait_for_selector(".siaga-ws-start-button")
    page.locator(".siaga-ws-name input").fill(name)
    if code:
        page.locator(".siaga-ws-code input").fill(code)
        page.locator(".siaga-ws-code input").press("Enter")
        page.wait_for_selector(".siaga-ws-seed", state="detached")
    else:
        page.locator(".siaga-ws-start input").fill(start)
        page.locator(".siaga-ws-length input").fill(length)
        page.locator(".siaga-ws-length input").press("Enter")
    page.locator(".siaga-ws-start-button").click()
    page.wait_for_selector(".siaga-ws-give")
    # the default order: a mediation team to the first village
    page.locator(".siaga-ws-give").click()
    page.wait_for_selector(".siaga-ws-message")
    if artifacts is not None:
        page.screenshot(path=str(artifacts / "workshop_desk.png"), full_page=True)
    play_evenings(page, int(length))
    page.locator(".siaga-ws-finish").click()  # waits until it is there
    page.wait_for_selector(".siaga-debrief", timeout=60_000)


def play_evenings(page, n: int, on_evening=None) -> None:
    """Run the desk's `n` evenings one at a time, as a trainee does: click the day button, then
    wait until the day heading has changed. Counting evenings (not watching for the end) matters:
    the page's widgets update one message at a time, so just after the last day the heading can
    be new while the button is not yet disabled, and a click then waits on a dead button.
    `on_evening(i)` runs before the i-th click (e.g. to give an order)."""
    for i in range(n):
        if on_evening is not None:
            on_evening(i)
        day = page.locator(".siaga-ws-day").inner_text()
        page.locator(".siaga-ws-run").click()
        page.wait_for_function(
            "(d) => { const h = document.querySelector('.siaga-ws-day'); return h && h.innerText !== d; }", arg=day, timeout=60_000)


def test_workshop_played_to_the_debrief_and_downloaded(new_page, artifacts):
    page = new_page("lokakarya")
    _join_and_play(page, "Camat Uji", None, artifacts)
    text = page.locator(".siaga-debrief").inner_text()
    assert "Tanpa intervensi" in text and "Gabungan dini" in text
    assert page.locator(".db-seen tr").count() >= 1
    page.screenshot(path=str(artifacts / "workshop_debrief.png"), full_page=True)
    with page.expect_download() as dl:
        page.get_by_text("Unduh evaluasi (HTML)").click()
    path = artifacts / dl.value.suggested_filename
    dl.value.save_as(path)
    html = path.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Camat Uji" in html and "<svg" in html


def test_facilitator_sees_two_trainees_side_by_side(new_page, artifacts):
    fac = new_page("fasilitator")
    fac.wait_for_selector(".siaga-fac-create")
    fac.locator(".siaga-fac-length input").fill("2")
    fac.locator(".siaga-fac-length input").press("Enter")
    fac.locator(".siaga-fac-create").click()
    fac.wait_for_selector(".siaga-fac-code")
    code = fac.locator(".siaga-fac-code").inner_text().split(":")[-1].strip()
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    for name in ("Ani", "Budi"):
        _join_and_play(new_page("lokakarya"), name, code, length="2")  # the session's length
    fac.locator(".siaga-fac-refresh").click()
    fac.wait_for_function("() => document.querySelector('.fac-results') && document.querySelector('.fac-results').innerText.includes('Budi')", timeout=60_000)
    header = fac.locator(".fac-results tr").first.inner_text()
    assert "Ani" in header and "Budi" in header and "Tanpa intervensi" in header
    fac.screenshot(path=str(artifacts / "facilitator.png"), full_page=True)
