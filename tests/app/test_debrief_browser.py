"""The after-action report downloaded from the debrief in headless Chromium and read back with
pypdf: the trainee's name and the headings in Bahasa Indonesia, then in English after the switch."""

from __future__ import annotations

import io

import pytest

from .test_browser import _join_and_play

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
pypdf = pytest.importorskip("pypdf")


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
    _join_and_play(page, "Camat Laporan", None, length="2")  # an exercise of one's own, one order, to the debrief
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
