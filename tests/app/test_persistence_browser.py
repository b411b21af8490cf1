"""Nothing lost, in headless Chromium: a trainee who reloads mid-exercise is back on the same day
with the same orders and budget; the server is stopped and restarted at once on the same port
(its connections still in TIME-WAIT); the trainee's page says so in Bahasa Indonesia, a reload
resumes the exercise, and the facilitator's page (reloaded, or a fresh one given the old code)
shows the session and the trainee. Its own `siaga ui` with a database file in a temporary folder.
Writes `persistence.json` (timings, database size) to the artifacts folder.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT, SERVER_START_S, _free_port, _unavailable

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]

SIAGA = [sys.executable, "-c", "import sys; from siaga.cli import main; sys.exit(main())"]


class Server:
    """`siaga ui` on a fixed port and database file, stopped and started again by the test."""

    def __init__(self, port: int, db, log):
        self.port, self.db, self.log = port, db, log
        self.url = f"http://127.0.0.1:{port}/"
        self.proc: subprocess.Popen | None = None

    def start(self) -> float:
        t0 = time.perf_counter()
        env = {**os.environ, "SOLARA_KERNEL_CULL_TIMEOUT": "3s"}
        env.pop("SIAGA_DB", None)
        self.proc = subprocess.Popen([*SIAGA, "ui", "--host", "127.0.0.1", "--port", str(self.port), "--db", str(self.db)],
                                     stdout=self.log, stderr=subprocess.STDOUT, cwd=ROOT, env=env)
        while True:
            try:
                with urllib.request.urlopen(self.url, timeout=5) as resp:
                    if resp.status == 200:
                        return time.perf_counter() - t0
            except OSError:
                pass
            if self.proc.poll() is not None or time.perf_counter() - t0 > SERVER_START_S:
                pytest.fail(f"`siaga ui` did not serve {self.url} (exit {self.proc.poll()}); see the log {self.log.name}")
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def server(artifacts, tmp_path):
    from siaga.assets import missing_assets

    if missing_assets():
        _unavailable("the app's offline assets are missing; run `siaga assets`")
    with open(artifacts / "persistence_server.log", "w") as log:
        srv = Server(_free_port(), tmp_path / "workshop.sqlite", log)
        srv.start_s = srv.start()
        yield srv
        srv.stop()


def _desk(page) -> dict:
    page.wait_for_selector(".siaga-ws-give")
    return {k: page.locator(sel).inner_text() for k, sel in
            (("day", ".siaga-ws-day"), ("budget", ".siaga-ws-budget-left"), ("orders", ".siaga-ws-orders"))}


def _page(browser, url: str):
    ctx = browser.new_context(viewport={"width": 1300, "height": 1000}, accept_downloads=True)
    page = ctx.new_page()
    page.set_default_timeout(30_000)
    page.goto(url)
    return page


def test_reload_and_restart_lose_nothing(browser, server, artifacts):
    marks: dict[str, float] = {"first_start_s": round(server.start_s, 1)}
    fac = _page(browser, server.url + "fasilitator")
    fac.wait_for_selector(".siaga-fac-create")
    fac.locator(".siaga-fac-length input").fill("5")
    fac.locator(".siaga-fac-length input").press("Enter")
    fac.locator(".siaga-fac-create").click()
    fac.wait_for_selector(".siaga-fac-code")
    code = fac.locator(".siaga-fac-code").inner_text().split(":")[-1].strip()
    fac.wait_for_url(re.compile(f"sesi={code}"))

    trainee = _page(browser, server.url + "lokakarya")
    trainee.wait_for_selector(".siaga-ws-start-button")
    trainee.locator(".siaga-ws-name input").fill("Fitri")
    trainee.locator(".siaga-ws-code input").fill(code)
    trainee.locator(".siaga-ws-code input").press("Enter")
    trainee.wait_for_selector(".siaga-ws-seed", state="detached")
    trainee.locator(".siaga-ws-start-button").click()
    first = _desk(trainee)
    for _ in range(2):  # an order (a mediation in the first village), then a day
        trainee.locator(".siaga-ws-give").click()
        trainee.wait_for_function("n => document.querySelector('.siaga-ws-orders').children.length > n",
                                  arg=trainee.locator(".siaga-ws-orders > *").count())
        day = trainee.locator(".siaga-ws-day").inner_text()
        trainee.locator(".siaga-ws-run").click()
        trainee.wait_for_function("d => document.querySelector('.siaga-ws-day').innerText != d", arg=day)
    before = _desk(trainee)
    assert before["day"] != first["day"] and before["budget"] != first["budget"] and before["orders"].count("\n") == 1
    trainee.wait_for_url(re.compile(r"peserta=[A-Za-z0-9_-]{6,}"))
    token_url = trainee.url

    # 1. a reload in the middle of the exercise: the same day, orders and budget
    t0 = time.perf_counter()
    trainee.reload()
    assert _desk(trainee) == before
    marks["reload_resumed_s"] = round(time.perf_counter() - t0, 1)
    assert trainee.url == token_url

    # 2. the server stops and starts again at once on the same port
    server.stop()
    t0 = time.perf_counter()
    marks["restart_s"] = round(server.start(), 1)
    # the trainee's page learns that its session is gone: Solara's notice, in Bahasa Indonesia
    trainee.wait_for_function("() => document.body.innerText.includes('Sesi tidak dapat dipulihkan')", timeout=60_000)
    body = trainee.locator("body").inner_text()
    assert "Could not restore" not in body and "This website runs on" not in body
    trainee.screenshot(path=str(artifacts / "persistence_after_restart.png"), full_page=True)
    trainee.reload()
    assert _desk(trainee) == before
    marks["resumed_after_restart_s"] = round(time.perf_counter() - t0, 1)
    day = trainee.locator(".siaga-ws-day").inner_text()
    trainee.locator(".siaga-ws-run").click()  # and it goes on
    trainee.wait_for_function("d => document.querySelector('.siaga-ws-day').innerText != d", arg=day)

    # 3. the facilitator: a reload reopens the session of the address; a fresh page opens the old code
    fac.reload()
    fac.wait_for_selector(".siaga-fac-code")
    assert code in fac.locator(".siaga-fac-code").inner_text()
    fac.wait_for_function("() => document.querySelector('.fac-status') && document.querySelector('.fac-status').innerText.includes('Fitri')")
    other = _page(browser, server.url + "fasilitator")
    other.wait_for_selector(".siaga-fac-open-code")
    other.locator(".siaga-fac-open-code input").fill(code.lower())
    other.locator(".siaga-fac-open-code input").press("Enter")
    other.locator(".siaga-fac-open").click()
    other.wait_for_function("() => document.querySelector('.fac-status') && document.querySelector('.fac-status').innerText.includes('Fitri')")
    row = other.locator(".fac-status tr", has_text="Fitri").inner_text()
    assert "Mediasi" in row or "mediasi" in row, row
    size = sum(os.path.getsize(p) for p in (server.db, f"{server.db}-wal") if os.path.exists(p))
    (artifacts / "persistence.json").write_text(json.dumps({**marks, "db_bytes_one_session_one_trainee": size}, indent=1))
    for p in (fac, trainee, other):
        p.context.close()


def test_an_address_with_an_unknown_exercise_says_so(new_page):
    """A link to an exercise that is not stored (removed by the facilitator, or from another
    server) opens the start form with a notice, not a silent empty form."""
    page = new_page("lokakarya?peserta=tidakadaxyz123")
    page.wait_for_selector(".siaga-ws-unknown-token")
    assert "tidak ditemukan" in page.locator(".siaga-ws-unknown-token").inner_text()
    assert page.locator(".siaga-ws-start-button").count() == 1
    page.wait_for_url(lambda url: "peserta=" not in url)  # the dead token is dropped from the address
