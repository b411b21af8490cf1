"""Experiments: specs, the run table, common random numbers, backends, resume, reports."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.analysis import bootstrap_mean_ci, comparison_table
from experiments.design import build_tasks, replicate_seed
from experiments.engine import run_experiment
from experiments.report import write_report
from experiments.spec import ExperimentError, ExperimentSpec, load_experiment, load_sensitivity
from experiments.store import ResultStore, StoreError
from siaga.cli import main

DATA = Path(__file__).parent / "data"
MINI = DATA / "mini_experiment.toml"


def write(tmp_path: Path, text: str, name: str = "exp.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mini_file(folder: Path, replicates: int = 3, name: str = "exp.toml") -> Path:
    """The mini experiment as a file, with its region beside it (a file may only read scenarios
    from its own folder or the library)."""
    shutil.copyfile(DATA / "mini_region.toml", folder / "mini_region.toml")
    return write(folder, MINI.read_text().replace("replicates = 3", f"replicates = {replicates}"), name)


def mini_spec(**changes) -> ExperimentSpec:
    spec, _ = load_experiment(MINI)
    data = spec.model_dump()
    data["scenario"] = str(DATA / "mini_region.toml")
    data.update(changes)
    return ExperimentSpec.model_validate(data)


# ---------------------------------------------------------------------------------------- specs
BASE = 'name = "x"\nscenario = "kepahiang_pilkada2024"\npolicies = ["none", "joint"]\nreplicates = 2\nmaster_seed = 1\n'


@pytest.mark.parametrize(
    ("extra", "needles"),
    [
        ("replcates = 3\n", ["replcates", "line 6", "did you mean `replicates`"]),
        ('outcomes = ["incidnts"]\n', ["outcomes", "unknown outcome 'incidnts'", "did you mean 'incidents'"]),
        ('reference = "late"\n', ["reference 'late' is not one of the policies"]),
        ("days = 0\n", ["days", "got 0", "≥ 1"]),
        ('[grid]\n"policy.kades.delay_days" = []\n', ["no values"]),
        ('[lhs]\nsamples = 4\n[lhs.ranges]\n"x" = [2, 1]\n', ["low (2.0) must be below high (1.0)"]),
    ],
)
def test_experiment_file_errors_name_field_and_line(tmp_path, extra, needles):
    path = write(tmp_path, BASE + extra)
    with pytest.raises(ExperimentError) as err:
        load_experiment(path)
    msg = str(err.value)
    assert str(path) in msg
    for needle in needles:
        assert needle in msg, msg


def test_unknown_policy_gets_a_hint(tmp_path):
    path = write(tmp_path, BASE.replace('"joint"', '"kades_erly"'))
    with pytest.raises(ExperimentError, match="did you mean 'kades_early'"):
        load_experiment(path)


def test_bad_factor_fails_before_any_run_with_the_field_named(tmp_path):
    path = write(tmp_path, BASE + '[grid]\n"dynamics.tension.decy" = [0.1]\n')
    spec, p = load_experiment(path)
    with pytest.raises(ExperimentError, match=r"(?s)dynamics\.tension\.decy.*did you mean `decay`"):
        build_tasks(spec, p)
    path = write(tmp_path, BASE + '[grid]\n"dynamics.tension.decay" = [0.1, 7]\n')
    spec, p = load_experiment(path)
    with pytest.raises(ExperimentError, match=r"(?s)design point 1.*got 7"):
        build_tasks(spec, p)


def test_missing_scenario_is_named(tmp_path):
    path = write(tmp_path, BASE.replace("kepahiang_pilkada2024", "kepahiang_pilkada2042"))
    spec, p = load_experiment(path)
    with pytest.raises(ExperimentError, match="field `scenario`.*[Dd]id you mean 'kepahiang_pilkada2024'"):
        build_tasks(spec, p)


def test_sobol_needs_power_of_two(tmp_path):
    path = write(tmp_path, 'name="s"\nscenario="kepahiang_pilkada2024"\nmethod="sobol"\nsamples=6\nmaster_seed=1\n[parameters]\n"a.b"=[0,1]\n"c.d"=[0,1]\n')
    with pytest.raises(ExperimentError, match="power of 2.*try 8"):
        load_sensitivity(path)


# ------------------------------------------------------------------------------ design and CRN
def test_run_table_and_common_random_numbers():
    spec = mini_spec(replicates=4)
    tasks, facts = build_tasks(spec)
    assert len(tasks) == facts["runs"] == 2 * 2 * 4  # points x policies x replicates
    assert len({t.run_id for t in tasks}) == len(tasks)
    seeds = {(t.point, t.policy, t.replicate): t.seed for t in tasks}
    for k in range(4):  # replicate k: one seed whatever the policy and design point
        assert len({s for (p, pol, r), s in seeds.items() if r == k}) == 1
    assert len({replicate_seed(spec.master_seed, k) for k in range(4)}) == 4
    assert replicate_seed(11, 0) != replicate_seed(12, 0)
    delays = {t.overrides["policy.kades.delay_days"] for t in tasks}
    assert delays == {0, 7}


def test_latin_hypercube_covers_each_stratum_once():
    spec = mini_spec(grid={}, lhs={"samples": 10, "ranges": {"dynamics.tension.decay": [0.05, 0.15], "policy.kades.delay_days": {"low": 0, "high": 9, "integer": True}}})
    tasks, facts = build_tasks(spec)
    decays = sorted(p["dynamics.tension.decay"] for p in facts["points"])
    assert len(decays) == 10
    strata = np.floor((np.array(decays) - 0.05) / 0.01).astype(int)
    assert sorted(strata) == list(range(10))  # one sample per tenth of the range
    assert all(isinstance(p["policy.kades.delay_days"], int) for p in facts["points"])


def test_crn_policies_with_identical_dials_give_identical_runs(tmp_path):
    """With nobody partisan, the neutrality policy changes nothing: paired runs must be identical,
    which only holds if both policies really share every random draw."""
    spec = mini_spec(policies=["none", "neutrality"], grid={}, replicates=3, timeseries=True, events=False,
                     set={"officials.kades_partisan_share": 0.0, "officials.asn_nonneutral": 0.0})
    run_experiment(spec, tmp_path / "out", workers=1)
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    a = runs[runs.policy == "none"].set_index("replicate")
    b = runs[runs.policy == "neutrality"].set_index("replicate")
    assert a["incidents"].sum() > 0, "the test region should see incidents"
    pd.testing.assert_series_equal(a["incidents"], b["incidents"])
    pd.testing.assert_series_equal(a["peak_mobilised_share"], b["peak_mobilised_share"])
    assert a["incidents"].nunique() > 1  # replicates differ from each other


# --------------------------------------------------------------------------------- backends
def canonical_outcomes(folder: Path) -> str:
    """SHA-256 of every run's outcomes as canonical JSON (sorted keys, run order; wall time left out)."""
    import hashlib

    recs = {p.name: json.loads(p.read_text())["outcomes"] for p in sorted((folder / "parts").glob("*.outcomes.json"))}
    return hashlib.sha256(json.dumps(recs, sort_keys=True, allow_nan=False).encode()).hexdigest()


def test_same_tables_in_one_process_many_processes_and_dask(tmp_path):
    """Bit-identical outcome tables on 1 process, 2 processes and a Dask cluster; another master
    seed gives other results."""
    from distributed import LocalCluster

    spec = mini_spec(replicates=2)
    run_experiment(spec, tmp_path / "serial", workers=1)
    run_experiment(spec, tmp_path / "procs", workers=2)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        run_experiment(spec, tmp_path / "dask", scheduler=cluster.scheduler_address)  # as `--scheduler ADDRESS`
    for table in ("runs.parquet", "timeseries.parquet", "events.parquet"):
        ref = pd.read_parquet(tmp_path / "serial" / table)
        assert len(ref) > 0, table
        for other in ("procs", "dask"):
            pd.testing.assert_frame_equal(ref, pd.read_parquet(tmp_path / other / table), check_exact=True)
            assert (tmp_path / "serial" / table).read_bytes() == (tmp_path / other / table).read_bytes(), (table, other)
    digests = {name: canonical_outcomes(tmp_path / name) for name in ("serial", "procs", "dask")}
    assert len(set(digests.values())) == 1, digests
    man = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert man["execution"]["backend"].startswith("dask")
    assert man["scenario_sha256_16"] and man["siaga_version"]
    # the comparison can fail: another master seed must change the seeds and the outcomes
    run_experiment(mini_spec(replicates=2, master_seed=12), tmp_path / "reseeded", workers=1)
    assert canonical_outcomes(tmp_path / "reseeded") != digests["serial"]
    a, b = pd.read_parquet(tmp_path / "serial" / "runs.parquet"), pd.read_parquet(tmp_path / "reseeded" / "runs.parquet")
    assert set(a["seed"]).isdisjoint(set(b["seed"]))
    outcome_cols = ["incidents", "arrests", "peak_mobilised_share"]
    assert not a[outcome_cols].equals(b[outcome_cols]), "a different master seed gave the same outcomes"


def hold_lock(folder: Path) -> subprocess.Popen:
    """Another live experiment: a process that takes the folder's lock and keeps it."""
    code = ("import sys, time\nfrom experiments.store import ResultStore\n"
            f"s = ResultStore({str(folder)!r}); s.acquire(); print('locked', flush=True); time.sleep(120)")
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_refuses_a_used_folder_without_resume_and_a_locked_one(tmp_path):
    spec = mini_spec(replicates=1, grid={})
    run_experiment(spec, tmp_path / "out", workers=1)
    with pytest.raises(StoreError, match="--resume"):
        run_experiment(spec, tmp_path / "out", workers=1)
    other = mini_spec(replicates=2, grid={})
    with pytest.raises(StoreError, match="different experiment"):
        run_experiment(other, tmp_path / "out", workers=1, resume=True)
    holder = hold_lock(tmp_path / "busy")
    try:
        with pytest.raises(StoreError, match=f"another experiment is writing to {tmp_path / 'busy'} .*pid {holder.pid} on .*, started .*choose another --out"):
            run_experiment(spec, tmp_path / "busy", workers=1)
        with pytest.raises(StoreError, match=f"another experiment is writing.*pid {holder.pid}"):
            run_experiment(spec, tmp_path / "busy", workers=1, resume=True)  # --resume does not break a live lock
        assert not (tmp_path / "busy" / "design.json").exists()
    finally:
        holder.kill()
        holder.wait()
    # a lock left by a killed process is taken over (the kernel dropped it with the process)
    assert (tmp_path / "busy" / ".siaga-experiment.lock").exists()
    run_experiment(spec, tmp_path / "busy", workers=1)
    assert not (tmp_path / "busy" / ".siaga-experiment.lock").exists()
    # a lock file naming a live pid that holds no lock (pid reused after a kill) does not block either
    (tmp_path / "reused").mkdir()
    (tmp_path / "reused" / ".siaga-experiment.lock").write_text(json.dumps({"pid": os.getppid(), "host": os.uname().nodename}))
    run_experiment(spec, tmp_path / "reused", workers=1)


def test_killed_experiment_resumes_without_recomputing(tmp_path):
    """kill -9 the whole process group mid-experiment, resume: same table as an uninterrupted run,
    and no run that had finished is run again."""
    exp = mini_file(tmp_path, replicates=4)
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "siaga.cli", "experiment", "run", str(exp), "--out", str(out), "--workers", "2", "--quiet", "--no-report"]
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 300  # generous: a loaded 2-core machine starts spawn workers slowly
    while time.time() < deadline:
        done = list((out / "parts").glob("*.outcomes.json")) if (out / "parts").exists() else []
        if len(done) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.1)
    assert proc.poll() is None, f"finished before it could be killed: {proc.stderr.read().decode()[-500:]}"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = {p.name: (p.stat().st_mtime_ns, p.stat().st_ino) for p in (out / "parts").glob("*.outcomes.json")}
    assert 3 <= len(before) < 16, f"{len(before)} runs had finished when the experiment was killed"
    assert not (out / "runs.parquet").exists()
    manifest = run_experiment(exp, out, workers=2, resume=True)
    assert manifest["execution"]["skipped_finished"] == len(before)
    assert manifest["execution"]["computed"] == 16 - len(before)
    for name, (mtime, inode) in before.items():
        st = (out / "parts" / name).stat()
        assert (st.st_mtime_ns, st.st_ino) == (mtime, inode), f"{name} was rewritten"
    run_experiment(exp, tmp_path / "whole", workers=2)
    for table in ("runs.parquet", "timeseries.parquet", "events.parquet"):
        pd.testing.assert_frame_equal(pd.read_parquet(out / table), pd.read_parquet(tmp_path / "whole" / table), check_exact=True)
    assert not list((out / "parts").glob(".*.tmp")) and not list(out.glob(".*.tmp"))


def test_half_written_files_are_ignored_and_cleaned(tmp_path):
    store = ResultStore(tmp_path / "s")
    store.acquire()
    (store.parts / ".p000-none-r0000.outcomes.json.abc.tmp").write_text("{")
    assert store.done() == set()
    assert store.clean_temporaries() == 1
    store.release()


def test_consolidation_streams_parts_and_reconciles_differing_types(tmp_path):
    """Parts with one schema are streamed (one row group per run, one run in memory at a time);
    parts whose types differ fall back on pandas, which reconciles them; empty parts are left out."""
    import pyarrow.parquet as pq

    from experiments.store import _concatenate

    a = pd.DataFrame({"run_id": ["x", "x"], "v": [1, 2]})
    b = pd.DataFrame({"run_id": ["y"], "v": [0.5]})
    empty = pd.DataFrame({"run_id": pd.Series([], dtype=object), "v": pd.Series([], dtype=object)})
    paths = []
    for i, df in enumerate((a, empty, a, b)):
        paths.append(tmp_path / f"{i}.parquet")
        df.to_parquet(paths[-1], index=False)
    _concatenate(paths[:3], tmp_path / "same.parquet", skip_empty=True)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "same.parquet"), pd.concat([a, a], ignore_index=True), check_exact=True)
    assert pq.read_metadata(tmp_path / "same.parquet").num_row_groups == 2  # streamed
    _concatenate(paths, tmp_path / "mixed.parquet", skip_empty=True)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "mixed.parquet"), pd.concat([a, a, b], ignore_index=True), check_exact=True)
    _concatenate(paths[1:2], tmp_path / "none.parquet", skip_empty=True)  # all empty: the empty table
    assert len(pd.read_parquet(tmp_path / "none.parquet")) == 0
    assert not list(tmp_path.glob(".*.tmp"))


# ----------------------------------------------------------------------------------- analysis
def test_paired_comparison_numbers():
    runs = pd.DataFrame({
        "point": 0, "replicate": list(range(5)) * 2,
        "policy": ["ref"] * 5 + ["p"] * 5,
        "incidents": [4, 6, 3, 5, 2] + [1, 6, 0, 2, 3],
    })
    t = comparison_table(runs, ["incidents"], "ref", seed=1).set_index("policy")
    assert t.loc["p", "mean"] == pytest.approx(2.4)
    assert t.loc["p", "diff"] == pytest.approx(-1.6)  # (-3 + 0 - 3 - 3 + 1) / 5
    assert t.loc["p", "better"] == pytest.approx(0.6)
    assert t.loc["p", "worse"] == pytest.approx(0.2)
    assert t.loc["p", "ci_low"] < -1.6 < t.loc["p", "ci_high"]
    assert np.isnan(t.loc["ref", "diff"])


def test_bootstrap_interval_covers_the_true_mean_about_95_percent():
    rng = np.random.default_rng(5)
    hits = 0
    for _ in range(300):
        x = rng.normal(1.0, 2.0, size=40)
        lo, hi = bootstrap_mean_ci(x, rng, n_boot=1000)
        hits += lo <= 1.0 <= hi
    assert 0.90 <= hits / 300 <= 0.98


def test_report_on_a_tiny_experiment(tmp_path):
    run_experiment(mini_spec(), tmp_path / "out", workers=1)
    html = write_report(tmp_path / "out")
    text = html.read_text()
    assert "Paired difference" in text or "paired difference" in text
    assert "kades_early" in text and "data:image/png;base64" in text
    figs = {p.name for p in html.parent.glob("*.png")}
    assert {"comparison_p000.png", "fan_tense.png", "fan_cum_incidents.png"} <= figs
    assert any(name.startswith("dose_policy_kades_delay_days") for name in figs)
    table = pd.read_csv(html.parent / "comparison.csv")
    assert set(table["policy"]) == {"none", "kades_early"} and set(table["point"]) == {0, 1}


# ---------------------------------------------------------------------------------------- CLI
def test_cli_experiment_run_and_report(tmp_path, capsys):
    exp = mini_file(tmp_path, replicates=1)
    assert main(["experiment", "run", str(exp), "--out", str(tmp_path / "o"), "--workers", "1", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "4 runs" in out and "report.html" in out
    assert main(["experiment", "report", str(tmp_path / "o"), "--out", str(tmp_path / "r")]) == 0
    assert (tmp_path / "r" / "report.html").exists()


def test_cli_experiment_bad_input_is_one_message(tmp_path, capsys):
    assert main(["experiment", "run", str(tmp_path / "nope.toml")]) == 2
    assert "no such file" in capsys.readouterr().err
    assert main(["experiment", "report", str(tmp_path)]) == 2
    assert "no finished experiment here" in capsys.readouterr().err
    assert main(["experiment", "run", str(MINI), "--workers", "0"]) == 2
    assert "--workers must be at least 1" in capsys.readouterr().err


@pytest.mark.parametrize("path", sorted((Path(__file__).parent.parent / "experiments" / "examples").glob("*.toml")), ids=lambda p: p.stem)
def test_shipped_examples_are_valid(path):
    from experiments import sensitivity

    if path.stem.startswith("sensitivity"):
        spec, p = load_sensitivity(path)
        tasks, x, _ = sensitivity.build_tasks(spec, p)
        assert len(x) == spec.samples * (len(spec.parameters) + 1)
    else:
        spec, p = load_experiment(path)
        tasks, _ = build_tasks(spec, p)
    assert len(tasks) <= 100  # "small enough to run in minutes here"


def test_run_function_drives_a_scenario_dict_like_batch_run():
    from experiments import run
    from scenarios import load_dict

    data = load_dict(DATA / "mini_region.toml")
    a = run(data, seed=3, policy="joint", days=40)
    b = run(data, seed=3, policy="joint", days=40)
    assert pd.Series(a).equals(pd.Series(b))  # NaN-aware: same seed, same outcomes
    assert a["seed"] == 3 and "incidents" in a


def test_sensitivity_ranks_a_known_function():
    """SALib wiring: y = 10 a + b + 0 c must rank a > b > c (Morris mu*) and give S_T(c) ~ 0 (Sobol)."""
    from experiments.sensitivity import analyse, sample
    from experiments.spec import SensitivitySpec

    for method, samples, key in (("morris", 20, "mu_star"), ("sobol", 256, "ST")):
        spec = SensitivitySpec.model_validate({"name": "t", "scenario": "x", "method": method, "samples": samples, "master_seed": 1,
                                               "parameters": {"a": [0, 1], "b": [0, 1], "c": [0, 1]}})
        x = sample(spec)
        y = 10 * x[:, 0] + x[:, 1]
        t = analyse(spec, x, y).set_index("parameter")[key]
        assert t["a"] > t["b"] > t["c"]
        assert t["c"] == pytest.approx(0, abs=0.02)


def test_tiny_sensitivity_run_end_to_end(tmp_path):
    from experiments.sensitivity import run_sensitivity

    shutil.copyfile(DATA / "mini_region.toml", tmp_path / "mini_region.toml")
    path = write(tmp_path, 'name="s"\nscenario="mini_region.toml"\nsamples=2\nmaster_seed=3\ndays=40\noutcomes=["peak_mobilised_share"]\n'
                 '[parameters]\n"dynamics.tension.decay"=[0.04, 0.12]\n"population.threshold_mean"=[0.1, 0.3]\n')
    res = run_sensitivity(path, tmp_path / "out", workers=1)
    table = pd.read_csv(res["table"])
    assert set(table["parameter"]) == {"dynamics.tension.decay", "population.threshold_mean"}
    assert (table["mu_star"] >= 0).all() and res["chart"].exists() and res["html"].exists()


def test_sensitivity_keeps_scenarios_in_its_folder_and_checks_memory_at_every_sample(tmp_path, monkeypatch):
    """The rules of experiment files hold for sensitivity files: the scenario (and its `extends`)
    must be a library name or lie in the file's folder, and every sample must fit in memory."""
    from experiments.sensitivity import build_tasks
    from experiments.spec import load_sensitivity
    from scenarios import load_scenario
    from scenarios.budget import estimate

    outside = tmp_path / "elsewhere" / "deep"
    outside.mkdir(parents=True)
    shutil.copyfile(DATA / "mini_region.toml", outside / "mini_region.toml")
    study = tmp_path / "studies" / "mine" / "here"
    study.mkdir(parents=True)
    body = 'samples=2\nmaster_seed=3\ndays=5\noutcomes=["incidents"]\n[parameters]\n"network.kin_degree"={low=2, high=60, integer=true}\n"dynamics.tension.decay"=[0.04, 0.12]\n'
    path = write(study, f'name="s"\nscenario="{outside / "mini_region.toml"}"\n' + body, "s.toml")
    with pytest.raises(ExperimentError) as err:
        build_tasks(*load_sensitivity(path))
    assert "s.toml" in str(err.value) and "scenario" in str(err.value)

    shutil.copyfile(DATA / "mini_region.toml", study / "mini_region.toml")
    path = write(study, 'name="s"\nscenario="mini_region.toml"\n' + body, "s.toml")
    small = estimate(load_scenario(study / "mini_region.toml", {"network.kin_degree": 2})).bytes
    large = estimate(load_scenario(study / "mini_region.toml", {"network.kin_degree": 60})).bytes
    assert large > small
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", str(large + 1))
    tasks, _, _ = build_tasks(*load_sensitivity(path))
    assert tasks
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", str((small + large) // 2))
    with pytest.raises(ExperimentError) as err:
        build_tasks(*load_sensitivity(path))
    assert "memory" in str(err.value) and "sample" in str(err.value)


def test_local_workers_are_limited_to_what_memory_holds(tmp_path, monkeypatch):
    """Each worker process builds its own model: asking for more workers than memory holds runs
    fewer at once (here one), with a note, and the same results."""
    from experiments.design import build_tasks as tasks_of
    from experiments.engine import workers_that_fit
    from scenarios import load_scenario
    from scenarios.budget import estimate

    need = estimate(load_scenario(MINI.parent / "mini_region.toml")).bytes
    spec = mini_spec(replicates=2, days=10)
    tasks, _ = tasks_of(spec, MINI)
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", str(int(need * 2.5)))
    assert workers_that_fit(tasks, 8)[0] == 2
    assert workers_that_fit(tasks, 2) == (2, None)
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", str(int(need * 1.5)))
    fit, note = workers_that_fit(tasks, 2)
    assert fit == 1 and "1 of the 2 workers" in note and "SIAGA_MEMORY_LIMIT" in note
    man = run_experiment(spec, tmp_path / "limited", workers=2)
    assert man["execution"]["backend"] == "serial" and "memory" in man["execution"]["memory_note"]
