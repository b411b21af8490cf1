"""Fixtures for the app's browser tests: the app served by `siaga ui` on 127.0.0.1 (a free port),
and headless Debian Chromium driven by playwright (never `playwright install`).

Browser tests are skipped, loudly, when Chromium or the offline assets are missing, unless
SIAGA_REQUIRE_BROWSER=1 (set by .ci/run), where they fail instead. Screenshots and downloads go
to $SIAGA_ARTIFACTS (default tests/app/artifacts/, git-ignored).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
SERVER_START_S = 90
# a page whose connection is lost is culled (its session closed, its model freed) after this; short
# here so that tests/app/test_sessions.py can watch it happen (`siaga ui` itself uses 2 hours)
TEST_CULL_TIMEOUT = "3s"


def _unavailable(reason: str):
    if os.environ.get("SIAGA_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (SIAGA_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("SIAGA_ARTIFACTS") or ROOT / "tests" / "app" / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("FAILED_*.png"):  # from an earlier run
        old.unlink()
    return folder


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_ui(artifacts: Path, log_name: str, extra: list[str] | tuple[str, ...] = ()):
    """Start `siaga ui` (with `extra` arguments) on a free port, yield its URL once it serves,
    stop it afterwards; skipped without the offline assets. Used by the app fixtures."""
    from siaga.assets import missing_assets

    if missing_assets():
        _unavailable("the app's offline assets are missing; run `siaga assets`")
    port = _free_port()
    log = open(artifacts / log_name, "w")  # noqa: SIM115 (closed at teardown)
    siaga = [sys.executable, "-c", "import sys; from siaga.cli import main; sys.exit(main())"]
    # the workshop database in memory unless a test gives `--db` (never the tester's ~/.local/share)
    env = {**os.environ, "SOLARA_KERNEL_CULL_TIMEOUT": TEST_CULL_TIMEOUT, "SIAGA_DB": ":memory:"}
    proc = subprocess.Popen([*siaga, "ui", "--host", "127.0.0.1", "--port", str(port), *extra], stdout=log,
                            stderr=subprocess.STDOUT, cwd=ROOT, env=env)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + SERVER_START_S
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as resp:
                if resp.status == 200:
                    break
        except OSError:
            pass
        if proc.poll() is not None or time.time() > deadline:
            proc.kill()
            log.close()
            pytest.fail(f"`siaga ui` did not serve {url}; see {artifacts / log_name}")
        time.sleep(0.5)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


@pytest.fixture(scope="session")
def app_url(artifacts):
    yield from serve_ui(artifacts, "server.log")


@pytest.fixture(scope="session")
def browser():
    chromium = shutil.which("chromium")
    if chromium is None:
        _unavailable("Debian `chromium` is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        # playwright gives each launch a fresh temporary profile (user-data-dir)
        b = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if rep.when == "call" and rep.failed:
        item.stash[FAILED] = True


FAILED = pytest.StashKey[bool]()


@pytest.fixture
def new_page(request, browser, app_url, artifacts):
    """Open a page in its own browser context (own cookies: its own Solara session). Every page
    of a failed test is saved as a screenshot named after the test."""
    contexts = []

    def make(path: str = "", width: int = 1500, height: int = 1200, wait_until: str = "load"):
        ctx = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        contexts.append(ctx)
        external: list[str] = []  # anything not from the app's own server: must stay empty (offline)
        ctx.on("request", lambda req: None if req.url.startswith((app_url, "data:", "blob:")) else external.append(req.url))
        page = ctx.new_page()
        page.external_requests = external
        page.set_default_timeout(30_000)
        page.goto(app_url + path, wait_until=wait_until)  # "commit": open several pages at once
        return page

    yield make
    if request.node.stash.get(FAILED, False):
        for i, ctx in enumerate(contexts):
            for j, page in enumerate(ctx.pages):
                try:
                    page.screenshot(path=str(artifacts / f"FAILED_{request.node.name}_{i}_{j}.png"), full_page=True, timeout=10_000)
                except Exception:  # a page closed or crashed by the test
                    pass
    for ctx in contexts:
        ctx.close()


def click_village(page, village: int) -> None:
    """Click village `village` on the map where its own polygon is on top: the middle of a
    polygon's box may be a neighbour's (a concave village), which playwright's `click()` refuses."""
    point = page.evaluate("""(v) => {
      const el = document.querySelector(`.siaga-map-host [data-village="${v}"]`);
      const r = el.getBoundingClientRect();
      for (let i = 1; i < 16; i++) for (let j = 1; j < 16; j++) {
        const x = r.left + r.width * ((i * 7) % 16) / 16, y = r.top + r.height * ((j * 5) % 16) / 16;
        const hit = document.elementFromPoint(x, y);
        if (hit && hit.closest('[data-village]') === el) return [x, y];
      }
      return null;
    }""", village)
    assert point is not None, f"village {village} is nowhere on top of the map"
    page.mouse.click(*point)
