"""docs/FIRST_HOUR.md steps 5 and 6 in a real browser: open the app that `siaga ui` serves, use the
explorer with the buttons the guide names, then play the Camat workshop as the guide describes,
from the name field to the debrief. The server is the `app_url` fixture: `siaga ui` on a free port.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .test_browser import play_evenings

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "FIRST_HOUR.md"


def _section(step: int) -> str:
    text = GUIDE.read_text(encoding="utf-8")
    start = text.index(f"## Step {step} ")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def _bold_labels(step: int) -> list[str]:
    return re.findall(r"\*\*(.+?)\*\*", _section(step))


def _day(page) -> int:
    return int(re.search(r"(\d+)", page.locator(".siaga-day").inner_text()).group(1))


def _wait_day(page, day: int) -> None:
    page.wait_for_function(
        "d => { const e = document.querySelector('.siaga-day'); return e && e.innerText.match(/\\d+/)[0] == String(d); }",
        arg=day, timeout=60_000,
    )


def test_step5_explorer_as_the_guide_describes(new_page):
    page = new_page()
    page.wait_for_selector(".siaga-map-host svg")
    body = page.locator("body").inner_text().lower()  # buttons are shown in capitals
    labels = _bold_labels(5)
    assert {"Langkah 1 hari", "+7 hari", "Putar", "Terapkan & mulai ulang"} <= set(labels), labels
    for label in labels:
        assert label.lower() in body, f"the guide names {label!r}, the explorer page does not show it"
    assert {"Penjelajah", "Tuas intervensi"} <= set(labels)
    page.get_by_role("button", name="Langkah 1 hari").click()
    _wait_day(page, 1)
    page.get_by_role("button", name="+7 hari").click()
    _wait_day(page, 8)
    assert _day(page) == 8
    page.locator(".siaga-lang button", has_text="en").click()  # "the switch at the top"
    page.wait_for_function("() => document.body.innerText.includes('Intervention levers')")


def test_step6_workshop_as_the_guide_describes(new_page):
    page = new_page("lokakarya")
    page.wait_for_selector(".siaga-ws-start-button")
    labels = _bold_labels(6)
    for expected in ("Nama peserta", "Mulai latihan", "Kode sesi"):
        assert expected in labels and expected.lower() in page.locator("body").inner_text().lower(), expected
    page.locator(".siaga-ws-name input").fill("Camat Pertama")
    # a short exercise for the test; the guide's trainee keeps the default length
    page.locator(".siaga-ws-start input").fill("80")
    page.locator(".siaga-ws-length input").fill("2")
    page.locator(".siaga-ws-length input").press("Enter")
    page.get_by_role("button", name="Mulai latihan").click()
    page.wait_for_selector(".siaga-ws-give")
    desk = page.locator("body").inner_text().lower()
    for expected in ("Desa", "Tindakan", "Beri perintah", "Jalankan hari berikutnya"):
        assert expected in labels and expected.lower() in desk, expected
    page.get_by_role("button", name="Beri perintah").click()
    page.wait_for_selector(".siaga-ws-message")
    # "Jalankan hari berikutnya", and on the last evening "Jalankan hari terakhir" (as the guide says)
    play_evenings(page, 2)
    assert "Jalankan hari terakhir" in labels
    assert "Selesai — lihat evaluasi" in labels
    page.get_by_role("button", name="Selesai — lihat evaluasi").click()
    page.wait_for_selector(".siaga-debrief", timeout=60_000)
    text = page.locator(".siaga-debrief").inner_text()
    assert "Camat Pertama" in page.locator("body").inner_text()
    assert "Tanpa intervensi" in text and "Gabungan dini" in text  # "against no intervention and early joint action"
    assert page.get_by_text("Unduh evaluasi (HTML)").count() == 1  # "Download it as HTML"
    assert page.external_requests == []
