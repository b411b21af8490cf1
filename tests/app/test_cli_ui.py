"""`siaga ui` and `siaga assets`: clear messages instead of a blank page or a traceback."""

import io
import os
import socket
import subprocess
import sys
import tarfile
from pathlib import Path

from siaga.assets import ESSENTIAL_FILES, _unpack, missing_assets

SIAGA = [sys.executable, "-c", "import sys; from siaga.cli import main; sys.exit(main())"]


def _siaga(*args, env=None):
    return subprocess.run([*SIAGA, *args], capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})})


def test_ui_without_offline_assets_says_which_command_to_run(tmp_path):
    r = _siaga("ui", env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2
    assert "siaga assets" in r.stderr and "blank" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr


def test_assets_check_reports_missing_files(tmp_path):
    r = _siaga("assets", "--check", env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 1 and "run `siaga assets`" in r.stdout


def test_ui_on_a_busy_port_is_refused_with_a_message(tmp_path):
    _fake_assets(tmp_path)  # pretend the assets are there
    assert missing_assets(tmp_path) == []
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = _siaga("ui", "--port", str(port), env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2 and f"127.0.0.1:{port}" in r.stderr and "--port" in r.stderr


def test_unpacking_an_npm_tarball_strips_package_and_refuses_escapes(tmp_path):
    tgz = tmp_path / "pkg.tgz"
    with tarfile.open(tgz, "w:gz") as tar:
        for name, data in (("package/dist/a.js", b"ok"), ("package/../../evil.js", b"no")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    dest = tmp_path / "cdn" / "pkg@1.0.0"
    dest.parent.mkdir()
    _unpack(tgz, dest)
    assert (dest / "dist" / "a.js").read_bytes() == b"ok"
    assert not any(p.name == "evil.js" for p in Path(tmp_path).rglob("*"))


def _fake_assets(folder: Path) -> None:
    for f in ESSENTIAL_FILES:
        (folder / f).parent.mkdir(parents=True, exist_ok=True)
        (folder / f).write_text("x")


def test_ui_refuses_a_bad_scenario_file_before_serving(tmp_path):
    _fake_assets(tmp_path)
    bad = tmp_path / "desa_saya.toml"
    bad.write_text('extends = "kepahiang_pilkada2024"\n[dynamics.tension]\ndecai = 0.1\n')
    r = _siaga("ui", "--scenario", str(bad), env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2 and "decai" in r.stderr and "Traceback" not in r.stderr


def test_a_scenario_file_given_to_ui_appears_in_the_picker(tmp_path, monkeypatch):
    from siaga.app.scenario_picker import scenario_choices
    from siaga.app.state import Settings, Sim

    own = tmp_path / "kecamatan_saya.toml"
    own.write_text('extends = "kepahiang_pilkada2024"\nname = "Kecamatan saya"\ndays = 5\n')
    monkeypatch.setenv("SIAGA_APP_SCENARIOS", str(own))
    assert "kecamatan_saya" in scenario_choices()
    sim = Sim(Settings(scenario="kecamatan_saya"))
    assert sim.model.spec.name == "Kecamatan saya" and sim.model.calendar.n_days == 5
