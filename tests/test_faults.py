"""Experiments under faults: kill -9 at random moments, torn writes, a full disk, a read-only
folder, two experiments racing for one folder. Every test compares the final tables with an
uninterrupted run and checks that no finished run was computed twice.

Faults are injected three ways: SIGKILL to the whole process group (parent and spawn workers)
at random moments; the SIAGA_FAULT hook of common/atomic.py (kill in the middle of a given write,
or make writes fail with ENOSPC/EROFS/EACCES/EDQUOT); and, where the test runs as root, real
tmpfs mounts that fill up or are remounted read-only. FAULTS counts them; the count is printed
at the end of the session (pytest -s, or the terminal summary).
"""

from __future__ import annotations

import collections
import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from common import atomic as output
from experiments.engine import run_experiment
from siaga.cli import main

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data"
MINI = DATA / "mini_experiment.toml"
TABLES = ("runs.parquet", "timeseries.parquet", "events.parquet")
FAULTS: collections.Counter[str] = collections.Counter()
BIG = 5  # replicates: 2 points x 2 policies x 5 = 20 runs for the kill test
SMALL = 1  # 4 runs


@pytest.fixture(scope="module", autouse=True)
def count_faults(request):
    """Print how many faults the tests injected, whatever pytest's capture settings."""
    FAULTS.clear()
    yield
    line = f"faults injected by tests/test_faults.py: {sum(FAULTS.values())} ({', '.join(f'{k}: {v}' for k, v in sorted(FAULTS.items()))})"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capman = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capman is None:
        print(line)
        return
    with capman.global_and_fixture_disabled():
        reporter.write_line("\n" + line)


def experiment_file(folder: Path, replicates: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(DATA / "mini_region.toml", folder / "mini_region.toml")
    path = folder / f"exp{replicates}.toml"
    path.write_text(MINI.read_text().replace("replicates = 3", f"replicates = {replicates}"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """Uninterrupted runs (one process) of the two experiments the tests use."""
    base = tmp_path_factory.mktemp("reference")
    refs = {}
    for n in (SMALL, BIG):
        exp = experiment_file(base, n)
        run_experiment(exp, base / f"out{n}", workers=1)
        refs[n] = (exp, base / f"out{n}")
    return refs


def cli(exp: Path, out: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "siaga.cli", "experiment", "run", str(exp), "--out", str(out), "--quiet", "--no-report", *extra]


def finished(out: Path) -> dict[str, tuple[int, int]]:
    """Finished runs: outcome file -> (inode, mtime_ns). A rewritten file changes both."""
    parts = out / "parts"
    result = {}
    for p in parts.glob("*.outcomes.json") if parts.exists() else ():
        try:
            st = p.stat()
        except FileNotFoundError:
            continue
        result[p.name] = (st.st_ino, st.st_mtime_ns)
    return result


def temporaries(out: Path) -> list[Path]:
    return [*out.glob(".*.tmp"), *(out / "parts").glob(".*.tmp")]


def assert_unchanged(before: dict[str, tuple[int, int]], out: Path) -> None:
    now = finished(out)
    lost = sorted(set(before) - set(now))
    rewritten = sorted(name for name in before if name in now and now[name] != before[name])
    assert not lost and not rewritten, f"finished runs lost {lost} or recomputed {rewritten}"


def assert_same_tables(out: Path, ref: Path) -> None:
    for table in TABLES:
        pd.testing.assert_frame_equal(pd.read_parquet(out / table), pd.read_parquet(ref / table), check_exact=True)
        assert (out / table).read_bytes() == (ref / table).read_bytes(), table
    assert len(finished(out)) == len(pd.read_parquet(ref / "runs.parquet"))
    assert json.loads((out / "manifest.json").read_text())["runs"] == len(pd.read_parquet(ref / "runs.parquet"))
    assert not temporaries(out), temporaries(out)
    assert not (out / ".siaga-experiment.lock").exists()


def start(cmd: list[str], **env: str) -> subprocess.Popen:
    """In its own process group, so kill -9 reaches the spawn workers too."""
    return subprocess.Popen(cmd, cwd=ROOT, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, **env})


def kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


# --------------------------------------------------------------------------- kill -9 and resume
def test_repeated_kill_9_torn_writes_and_killed_consolidation_then_resume(tmp_path, reference):
    """kill -9 the whole experiment (parent and workers) 4 times at random moments, kill it in the
    middle of writing a run's file and in the middle of consolidation, resume each time: the
    final tables are the uninterrupted run's, byte for byte, and no finished run is recomputed."""
    exp, ref = reference[BIG]
    total = len(pd.read_parquet(ref / "runs.parquet"))
    out = tmp_path / "out"
    rng = random.Random(20241127)
    seen: dict[str, tuple[int, int]] = {}
    kills = 0
    while kills < 4:
        args = ("--workers", "2") + (("--resume",) if kills else ())
        proc = start(cli(exp, out, *args))
        target = min(len(seen) + rng.randint(1, 2), total - 4)
        deadline = time.monotonic() + 240  # generous: spawn workers start slowly on a loaded machine
        while len(finished(out)) < target and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        time.sleep(rng.uniform(0.0, 0.4))  # a random moment: mid-run, mid-write, between runs
        assert proc.poll() is None, f"ended before the kill (rc {proc.returncode}): {proc.stderr.read()[-800:]}"
        kill_group(proc)
        kills += 1
        FAULTS["kill -9 at a random moment"] += 1
        assert_unchanged(seen, out)
        seen = finished(out)
        assert not (out / "manifest.json").exists()
    assert len(seen) <= total - 2, f"{len(seen)} of {total} runs finished before the last kill: too few left to test"

    # killed in the middle of a run's outcomes file (the 3rd write: timeseries, events, outcomes)
    proc = start(cli(exp, out, "--workers", "1", "--resume"), SIAGA_FAULT="kill:3")  # 1: spares two imports
    assert proc.wait(timeout=240) == 137, proc.stderr.read()[-800:]
    kill_group(proc)  # its orphaned workers
    FAULTS["kill -9 in the middle of writing a run's file"] += 1
    torn = list((out / "parts").glob(".*.outcomes.json.*.tmp"))
    assert len(torn) == 1, "the hook should leave a torn temporary file"
    assert_unchanged(seen, out)
    seen = finished(out)

    # let every run finish, then kill while the consolidated tables are written (after runs.parquet)
    left = total - len(seen)
    proc = start(cli(exp, out, "--workers", "2", "--resume"), SIAGA_FAULT=f"kill:{3 * left + 2}")
    assert proc.wait(timeout=240) == 137, proc.stderr.read()[-800:]
    kill_group(proc)
    FAULTS["kill -9 during consolidation"] += 1
    assert len(finished(out)) == total and (out / "runs.parquet").exists()
    assert list(out.glob(".timeseries.parquet.*.tmp")) and not (out / "manifest.json").exists()
    assert_unchanged(seen, out)
    seen = finished(out)

    res = subprocess.run(cli(exp, out, "--workers", "2", "--resume"), cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert res.returncode == 0, res.stderr[-800:]
    assert "0 computed, 20 already finished" in res.stdout
    assert_unchanged(seen, out)
    assert_same_tables(out, ref)


def test_a_killed_experiment_without_any_finished_run_starts_over(tmp_path, reference):
    """Killed while writing its very first file (design.json): the folder holds nothing finished,
    and the next run, with or without --resume, gives the uninterrupted tables."""
    exp, ref = reference[SMALL]
    out = tmp_path / "out"
    proc = start(cli(exp, out, "--workers", "1"), SIAGA_FAULT="kill:1")
    assert proc.wait(timeout=240) == 137
    FAULTS["kill -9 in the middle of writing design.json"] += 1
    assert list(out.glob(".design.json.*.tmp")) and not (out / "design.json").exists()
    assert main(["experiment", "run", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-report"]) == 0
    assert_same_tables(out, ref)


def test_an_outcomes_file_cut_short_is_computed_again(tmp_path, reference, capsys):
    """What a power cut can leave (no fsync): an empty outcomes file. It is not a finished run."""
    exp, ref = reference[SMALL]
    out = tmp_path / "out"
    assert run_in_process(exp, out, capsys)[0] == 0
    victim = sorted((out / "parts").glob("*.outcomes.json"))[1]
    victim.write_bytes(b"")
    FAULTS["outcomes file cut short"] += 1
    others = {k: v for k, v in finished(out).items() if k != victim.name}
    manifest = run_experiment(exp, out, workers=1, resume=True)
    assert (manifest["execution"]["computed"], manifest["execution"]["skipped_finished"]) == (1, 3)
    assert_unchanged(others, out)
    assert_same_tables(out, ref)


# ----------------------------------------------------------------------- two experiments, one folder
RACER = """
import contextlib, os, sys, time
from pathlib import Path
from siaga.cli import main
import experiments.engine  # everything imported before the start line
base, attempts, args = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
for i in range(attempts):
    print("ready", i, flush=True)
    go = base / f"go{i}"
    while not go.exists():
        time.sleep(0.0005)
    with open(base / f"err{i}-{os.getpid()}", "w") as err, contextlib.redirect_stderr(err), contextlib.redirect_stdout(err):
        rc = main([*args, "--out", str(base / f"out{i}")])
    print("done", i, rc, err.name, flush=True)
"""


def test_two_experiments_started_together_on_one_folder(tmp_path, reference):
    """Two processes released at the same instant on the same folder (fresh, or holding a lock
    left by a killed experiment): exactly one runs, the other is refused with exit 2 and the
    message; the folder holds exactly one run's tables. Repeated 3 times (by the same two
    processes, to spare imports)."""
    exp, ref = reference[SMALL]
    attempts = 3
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    for i in range(1, attempts):  # a lock file left by a killed experiment: both racers find it
        (tmp_path / f"out{i}").mkdir()
        (tmp_path / f"out{i}" / ".siaga-experiment.lock").write_text(json.dumps({"pid": dead.pid, "host": os.uname().nodename}))
    args = ["experiment", "run", str(exp), "--workers", "1", "--quiet", "--no-report"]
    procs = [subprocess.Popen([sys.executable, "-c", RACER, str(tmp_path), str(attempts), *args], cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        for i in range(attempts):
            for p in procs:
                line = p.stdout.readline().split()
                assert line == ["ready", str(i)], (line, p.stderr.read() if p.poll() is not None else "")
            (tmp_path / f"go{i}").touch()  # both start at this instant
            results = []
            for p in procs:
                _, n, rc, err = p.stdout.readline().split()
                results.append((int(rc), Path(err).read_text()))
            FAULTS["two experiments racing for one folder"] += 1
            assert sorted(rc for rc, _ in results) == [0, 2], results
            loser = next(err for rc, err in results if rc == 2)
            assert f"siaga: error: another experiment is writing to {tmp_path / f'out{i}'} (pid " in loser, loser
            assert "Traceback" not in loser and len(loser.strip().splitlines()) == 1, loser
            assert_same_tables(tmp_path / f"out{i}", ref)
    finally:
        for p in procs:
            p.kill()
            p.wait()


def test_resume_is_refused_while_another_experiment_holds_the_folder(tmp_path, reference, capsys):
    exp, _ = reference[SMALL]
    out = tmp_path / "out"
    holder = subprocess.Popen([sys.executable, "-c", "import time\nfrom experiments.store import ResultStore\n"
                               f"s = ResultStore({str(out)!r}); s.acquire(); print('locked', flush=True); time.sleep(120)"],
                              cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        rc, err = run_in_process(exp, out, capsys, "--resume")
        assert rc == 2
        assert f"siaga: error: another experiment is writing to {out} (pid {holder.pid} on" in err, err
        assert "wait for it or choose another --out folder" in err and len(err.strip().splitlines()) == 1, err
        assert not (out / "design.json").exists()
    finally:
        holder.kill()
        holder.wait()


# --------------------------------------------------------------- full disk, read-only (injected)
@pytest.mark.parametrize(
    ("code", "write", "needle"),
    [
        ("ENOSPC", 6, "the disk is full"),  # run 2's first part (1 design.json, 2 experiment.toml, 3-5 run 1)
        ("EDQUOT", 10, "the disk is full for this user"),  # run 3's events
        ("EROFS", 15, "the folder is on a read-only file system"),  # consolidation: runs.parquet (after 4 runs x 3 parts)
        ("EACCES", 9, "permission denied (the folder is read-only for this user)"),  # run 3's series
    ],
)
def test_write_errors_give_one_message_and_resume_completes(tmp_path, reference, capsys, monkeypatch, code, write, needle):
    exp, ref = reference[SMALL]
    out = tmp_path / "out"
    monkeypatch.setenv("SIAGA_FAULT", f"{code}:{write}")
    monkeypatch.setattr(output, "_writes", 0)
    args = ["experiment", "run", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-report"]
    assert main(args) == 2
    FAULTS[code] += 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert f"cannot write to {out}: {needle}" in err, err
    assert f"continue with: siaga experiment run {exp} --out {out} --resume" in err, err
    kept = min((write - 3) // 3, 4)
    assert f"{kept} of 4 runs are finished and kept there" in err, err
    assert len(finished(out)) == kept
    assert not temporaries(out) and not (out / ".siaga-experiment.lock").exists()
    before = finished(out)
    monkeypatch.delenv("SIAGA_FAULT")  # space is back / the folder is writable again
    assert main([*args, "--resume"]) == 0
    assert_unchanged(before, out)
    assert_same_tables(out, ref)


def test_siaga_run_on_a_full_disk_says_so_and_leaves_no_half_files(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    monkeypatch.setenv("SIAGA_FAULT", "ENOSPC:3")
    monkeypatch.setattr(output, "_writes", 0)
    assert main(["run", str(DATA / "mini_region.toml"), "--days", "10", "--quiet", "--no-charts", "--out", str(out)]) == 2
    FAULTS["ENOSPC"] += 1
    err = capsys.readouterr().err
    assert f"cannot write to {out}: the disk is full" in err and "Traceback" not in err, err
    assert sorted(p.name for p in out.iterdir()) == ["timeseries.parquet", "villages.parquet"]  # whole files or none


def test_fault_hook_is_inert_without_the_variable(tmp_path, monkeypatch):
    monkeypatch.delenv("SIAGA_FAULT", raising=False)
    monkeypatch.setattr(output, "_writes", 0)
    for i in range(3):
        output.write_json({"i": i}, tmp_path / f"{i}.json")
    assert output._writes == 0 and len(list(tmp_path.iterdir())) == 3
    assert oct((tmp_path / "0.json").stat().st_mode & 0o777) != oct(0o600)  # readable by a colleague (umask), not mkstemp's 0600


def test_an_os_error_is_described_with_its_folder_and_reason(tmp_path):
    err = output.describe_os_error(OSError(errno.ENOSPC, "No space left on device"), tmp_path)
    assert str(err) == f"cannot write to {tmp_path}: the disk is full (No space left on device)" and err.errno == errno.ENOSPC
    pyarrow_like = OSError("Error writing bytes to file. Detail: [errno 30] Read-only file system")
    assert "read-only file system" in str(output.describe_os_error(pyarrow_like, tmp_path))


# ------------------------------------------------------------ full disk, read-only (real mounts)
def _can_mount() -> str | None:
    if os.geteuid() != 0:
        return "needs root to mount a tmpfs"
    if shutil.which("mount") is None:
        return "no mount command"
    probe = Path(f"/tmp/siaga-mount-probe-{os.getpid()}")
    probe.mkdir(exist_ok=True)
    try:
        res = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(probe)], capture_output=True, text=True)
        if res.returncode != 0:
            return f"cannot mount a tmpfs here: {res.stderr.strip()}"
        subprocess.run(["umount", str(probe)], check=True)
        return None
    finally:
        probe.rmdir()


MOUNT_SKIP = _can_mount()


@pytest.fixture
def tmpfs(tmp_path):
    """Mount a real tmpfs; yields a function to (re)mount it with options; unmounted at the end."""
    point = tmp_path / "mnt"
    point.mkdir()
    mounted = []

    def mount(options: str) -> Path:
        if mounted:
            subprocess.run(["mount", "-o", f"remount,{options}", str(point)], check=True)
        else:
            subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], check=True)
            mounted.append(point)
        return point

    yield mount
    if mounted:
        if subprocess.run(["umount", str(point)]).returncode != 0:
            subprocess.run(["umount", "-l", str(point)])


def run_in_process(exp: Path, out: Path, capsys, *extra: str) -> tuple[int, str]:
    rc = main(["experiment", "run", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-report", *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 1, err
    return rc, err


@pytest.mark.skipif(MOUNT_SKIP is not None, reason=MOUNT_SKIP or "")
def test_real_full_disk_then_space_returns(tmpfs, reference, capsys, monkeypatch):
    monkeypatch.delenv("SIAGA_FAULT", raising=False)
    exp, ref = reference[SMALL]
    disk = tmpfs("size=96k")  # room for about two runs' files
    out = disk / "out"
    rc, err = run_in_process(exp, out, capsys)
    FAULTS["ENOSPC (real tmpfs)"] += 1
    assert rc == 2, err
    assert f"cannot write to {out}: the disk is full" in err and "free some space, then continue with" in err, err
    assert 0 < len(finished(out)) < 4 and not temporaries(out)
    before = finished(out)
    tmpfs("size=4m")  # space returns
    assert run_in_process(exp, out, capsys, "--resume")[0] == 0
    assert_unchanged(before, out)
    assert_same_tables(out, ref)


@pytest.mark.skipif(MOUNT_SKIP is not None, reason=MOUNT_SKIP or "")
def test_real_read_only_folder_then_writable_again(tmpfs, reference, capsys, monkeypatch):
    exp, ref = reference[SMALL]
    disk = tmpfs("size=4m")
    out = disk / "out"
    monkeypatch.setenv("SIAGA_FAULT", "ENOSPC:9")  # two runs finish, then the experiment stops
    monkeypatch.setattr(output, "_writes", 0)
    assert run_in_process(exp, out, capsys)[0] == 2
    monkeypatch.delenv("SIAGA_FAULT")
    before = finished(out)
    assert len(before) == 2
    tmpfs("ro")
    rc, err = run_in_process(exp, out, capsys, "--resume")
    FAULTS["EROFS (real read-only mount)"] += 1
    assert rc == 2, err
    assert f"cannot write to {out}: the folder is on a read-only file system" in err, err
    assert "make the folder writable, then continue with" in err, err
    assert main(["run", str(DATA / "mini_region.toml"), "--days", "5", "--quiet", "--no-charts", "--out", str(disk / "single")]) == 2
    err = capsys.readouterr().err
    FAULTS["EROFS (real read-only mount)"] += 1
    assert str(disk / "single") in err and "read-only file system" in err.lower() and "Traceback" not in err, err
    tmpfs("rw")
    assert run_in_process(exp, out, capsys, "--resume")[0] == 0
    assert_unchanged(before, out)
    assert_same_tables(out, ref)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod 0555 folder anyway; the tmpfs tests cover root")
def test_read_only_folder_for_this_user(tmp_path, reference, capsys):
    exp, ref = reference[SMALL]
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        assert main(["experiment", "run", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-report"]) == 2
        FAULTS["EACCES (chmod 0555)"] += 1
        err = capsys.readouterr().err
        assert f"cannot write to {out}" in err and "read-only for this user" in err and "Traceback" not in err, err
    finally:
        out.chmod(0o755)
    assert main(["experiment", "run", str(exp), "--out", str(out), "--workers", "1", "--quiet", "--no-report", "--resume"]) == 0
    assert_same_tables(out, ref)
