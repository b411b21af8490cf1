"""The `siaga` command end to end: a run writes every promised file; bad input gets a message, not a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

SIAGA = [sys.executable, "-m", "siaga.cli"]


def siaga(*args: str, timeout: int = 300, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*SIAGA, *args], capture_output=True, text=True, timeout=timeout, cwd=cwd)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    res = siaga("run", "--days", "95", "--seed", "3", "--quiet", "--out", str(out))
    assert res.returncode == 0, res.stderr
    return out, res.stdout


def test_run_writes_tables_charts_and_manifest(run_dir):
    out, _ = run_dir
    for name in ("timeseries.parquet", "villages.parquet", "events.parquet", "outcomes.json",
                 "scenario.json", "manifest.json", "escalation.png", "village_map.png"):
        assert (out / name).stat().st_size > 0, name
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts) == 95 and ts["day"].tolist() == list(range(95))
    villages = pd.read_parquet(out / "villages.parquet")
    assert len(villages) == 23 and "Kelilik" in set(villages["name"])
    assert set(villages["worst_alert"]) <= {"AMAN", "WASPADA", "SIAGA", "AWAS"}
    events = pd.read_parquet(out / "events.parquet")
    assert {"hoax", "rally"} <= set(events["kind"])
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["days"] == 95
    assert not list(out.glob(".*.tmp")), "temporary files left behind"


def test_run_prints_the_summary_table(run_dir):
    _, stdout = run_dir
    for label in ("Incidents", "Villages that reached violence", "Peak mobilised share", "First incident", "Arrests", "Officer-days spent"):
        assert label in stdout


def test_csv_format_and_same_seed_same_tables(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        res = siaga("run", "--days", "20", "--seed", "11", "--quiet", "--no-charts", "--format", "csv", "--out", str(out))
        assert res.returncode == 0, res.stderr
    for name in ("timeseries.csv", "villages.csv", "events.csv", "outcomes.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


@pytest.mark.parametrize(
    "args, must_say",
    [
        (["run", "--set", "dynamics.tension.decay=2"], ["dynamics.tension.decay", "≤ 1"]),
        (["run", "--set", "dynamics.tension.decai=0.1"], ["decai", "did you mean `decay`"]),
        (["run", "--policy", "kades_erly"], ["presets", "kades_early"]),
        (["run", "no_such_scenario"], ["not found", "kepahiang_pilkada2024"]),
        (["run", "--set", "seed"], ["KEY=VALUE"]),
        (["run", "--days", "0"], ["days", "≥ 1"]),
        (["run", "--days", "2", "--out", "/proc/siaga-cannot-write-here"], ["cannot write results to /proc/siaga-cannot-write-here"]),
    ],
)
def test_bad_input_gets_a_clear_message_not_a_traceback(args, must_say):
    res = siaga(*args)
    assert res.returncode == 2
    assert "Traceback" not in res.stderr + res.stdout
    for text in must_say:
        assert text in res.stderr


def test_broken_scenario_file_names_the_file(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('extends = "kepahiang_pilkada2024"\n[officials]\nteam_size = "five"\n')
    res = siaga("scenarios", "validate", str(bad))
    assert res.returncode == 2
    assert str(bad) in res.stderr and "officials.team_size" in res.stderr


def test_help_and_listing_commands():
    assert "run" in siaga("--help").stdout
    assert "--policy" in siaga("run", "--help").stdout
    assert "kepahiang_pilkada2024" in siaga("scenarios", "list").stdout
    assert "OK" in siaga("scenarios", "validate", "kepahiang_pilkada2024").stdout
    listing = siaga("policies").stdout
    assert "kades_early" in listing and "joint" in listing


def test_results_go_to_a_default_folder_named_after_the_run_unless_told_not_to(tmp_path):
    res = siaga("run", "--days", "3", "--seed", "5", "--quiet", "--no-charts", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    folder = tmp_path / "siaga-output" / "kepahiang_pilkada2024_seed5_none"
    assert (folder / "manifest.json").exists() and str(folder.relative_to(tmp_path)) in res.stdout.replace("\n", "")
    quiet = tmp_path / "quiet"
    quiet.mkdir()
    res = siaga("run", "--days", "3", "--quiet", "--no-write", cwd=quiet)
    assert res.returncode == 0 and "Incidents" in res.stdout
    assert not any(quiet.iterdir())
