"""The after-action report downloaded from the debrief in headless Chromium and read back with
pypdf: the trainee's name and the headings in Bahasa Indonesia, then in English after the switch."""

from __future__ import annotations

import io

import pytest

from .test_browser import play_evenings

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
pypdf = pytest.importorskip("pypdf")


def _play(page, name: str, start: str = "80", length: str = "2") -> None:
    """Start an exercise of one's own, give the default order, run to the end, open the debrief;
    one evening at a time (tests/app/test_browser.py `play_evenings`)."""
    page.wait_for_selector(".siaga-ws-start-button")
    page.locator(".siaga-ws-name input").fill(name)
    page.locator(".siaga-ws-start input").fill(start)
    page.locator(".siaga-ws-length input").fill(length)
    page.locator(".siaga-ws-length input").press("Enter")
    page.locator(".siaga-ws-start-button").click()
    page.wait_for_selector(".siaga-ws-give")
    page.locator(".siaga-ws-give").click()
    page.wait_for_selector(".siaga-ws-message")
    play_evenings(page, int(length))
    page.locator(".siaga-ws-finish").click()  # waits until it is there
    page.wait_for_selector(".siaga-debrief", timeout=60_000)


def _download_pdf(page, label: str, artifacts, name: str) -> tuple[str, int]:
    with page.expect_download() as dl:
        page.get_by_text(label).click()
    assert dl.value.suggested_filename.endswith(".pdf")
    path = artifacts / name
    dl.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(p.extract_text() for p in reader.pages), len(reader.pages)


def test_the_after_action_report_is_downloaded_and_reads_back_in_both_languages(new_page, artifacts):
    page = new_page("lokakarya")
    _play(page, "Camat Laporan")
    assert "Otomatis terbaik, anggaran Anda" in page.locator(".siaga-debrief").inner_text()
    page.screenshot(path=str(artifacts / "debrief_fair.png"), full_page=True)
    text, pages = _download_pdf(page, "Unduh laporan pasca-latihan (PDF)", artifacts, "after_action_id.pdf")
    assert "Camat Laporan" in text and 1 <= pages <= 3
    for heading in ("Laporan Pasca-Latihan", "Yang berjalan baik", "Area yang perlu diperbaiki", "Rencana perbaikan"):
        assert heading in text, heading
    page.locator(".siaga-lang button", has_text="en").click()
    page.wait_for_function("() => document.body.textContent.includes('Download the after-action report (PDF)')")  # innerText is upper-cased by the button's CSS
    text, _ = _download_pdf(page, "Download the after-action report (PDF)", artifacts, "after_action_en.pdf")
    assert "Camat Laporan" in text
    for heading in ("After-Action Report", "What went well", "Areas for improvement", "Improvement plan"):
        assert heading in text, heading
    assert page.external_requests == []
