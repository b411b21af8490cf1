"""Time SiagaModel at 10k / 100k / 1M villagers and compare it with the idiomatic Mesa version.

    python benchmarks/bench_scale.py                       # 10k, 100k, 1M x 150 days; idiomatic at 10k, 100k; default scenario
    python benchmarks/bench_scale.py --quick               # smoke run: 2,000 and 5,000 villagers, 3 days
    python benchmarks/bench_scale.py --sizes 100000 --days 20 --idiomatic-sizes 10000 --idiomatic-days 2

Every measurement runs in a fresh subprocess, so its peak memory is that process's own peak RSS
(`resource.getrusage(RUSAGE_SELF).ru_maxrss`, KiB on Linux), imports included. Four kinds:

* `siaga`      the full model: `SiagaModel(synthetic_scenario(n, days=D), seed)` then D x `step()`.
               Set-up = building the model (scenario dict, region, population, network, agents).
               The day is split by phase: the phase functions of simulation/day.py and
               `SiagaModel._officials` are wrapped by timers in the worker process. After the run,
               a bare CSR mat-vec on the same graph (`model.network.influence @ people.tension`) is
               timed in the same process, to compare the tension phase with it.
* `kernels`    SiagaModel's own villager phases (`day.hoax_phase`, `day.tension_phase`,
               `day.escalation_phase`) alone, on the rule set of the idiomatic version
               (`vectorised_kernels.py`), from the snapshot.
* `idiomatic`  the same villager rules as one Mesa agent per villager (`idiomatic_mesa.py`).
               Set-up = building the agents and their neighbour lists from the snapshot.
* `default`    one full run of the default scenario (`SiagaModel()` + `run()`), CPU time
               (`time.process_time()`) set-up included, interpreter start and imports excluded;
               the import time is reported separately.

`kernels` and `idiomatic` both start from a snapshot of a SiagaModel with the same scenario and
seed, run to the first campaign day (time reported as `source`, not part of their set-up).
Results go to benchmarks/results/latest.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).resolve().parent / "results"
GIB = 1024**3

TARGET_RATIO = 100.0  # at 100k villagers: vectorised >= 100x faster per simulated day
TARGET_RATIO_SIZE = 100_000
TARGET_BIG_SIZE = 1_000_000
TARGET_BIG_DAYS = 150
TARGET_SECONDS = 60.0
TARGET_BYTES = 4 * GIB
TARGET_SECONDS_TIGHT = 10.0  # engine v2 (issue 11): 1M x 150 days under 10 s ...
TARGET_BYTES_TIGHT = 1 * GIB  # ... with peak memory under 1 GiB
TARGET_TENSION_MATVEC = 2.0  # the tension phase within 2x of a bare CSR mat-vec on the same graph
TARGET_DEFAULT_CPU_S = 0.8  # the default scenario: at most 0.8 CPU-seconds a run, set-up included
MATVEC_REPEATS = 30

# =========================================================================== worker (subprocess)


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


class PhaseTimer:
    """Times a SiagaModel's day by phase: wraps the phase functions of simulation/day.py (the
    module attributes, which `SiagaModel.step()` calls as `phases.<name>`), the model's
    `_officials`, and the supporter groups', officers' and police units' methods (instance
    attributes). Only the outermost timed call counts, so nothing is counted twice. `restore()`
    puts the module functions back."""

    # key in the report -> functions of simulation/day.py
    PHASES = {
        "morning": ("release_detainees", "start_day"),
        "supporters": ("remember_money",),
        "election": ("count_votes", "announce_result", "polling_day"),
        "hoax": ("counter_hoax_campaigns", "hoax_phase"),
        "legitimacy": ("legitimacy_phase",),
        "tension": ("tension_phase",),
        "escalation": ("escalation_phase",),
        "clashes": ("clash_phase", "record_incident"),
        "arrests": ("arrest_phase",),
        "alerts": ("alert_phase",),
    }

    def __init__(self, model):
        from simulation import day

        self.day_module = day
        # in the order of a day: morning (and officers deploying), actors, election, kernels, evening
        keys = ("morning", "deploy", "supporters", *list(self.PHASES)[2:], "officials")
        self.totals: dict[str, float] = {k: 0.0 for k in keys}
        self._depth = 0
        self._saved: dict[str, object] = {}
        for key, names in self.PHASES.items():
            for name in names:
                self._saved[name] = getattr(day, name)
                setattr(day, name, self._wrap(key, self._saved[name]))
        model._officials = self._wrap("officials", model._officials)
        for g in model.forces.supporter_groups:
            g.act = self._wrap("supporters", g.act)
        for o in (*model.forces.village_officers(), *model.forces.police_units()):
            o.deploy = self._wrap("deploy", o.deploy)

    def restore(self) -> None:
        for name, fn in self._saved.items():
            setattr(self.day_module, name, fn)
        self._saved = {}

    def _wrap(self, key, fn):
        def timed(*args, **kwargs):
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[key] += time.perf_counter() - t
                self._depth -= 1

        return timed


def time_matvec(model, repeats: int = MATVEC_REPEATS) -> dict:
    """A bare CSR mat-vec on the model's graph, `network.influence @ people.tension`, timed alone."""
    a, x = model.network.influence, model.people.tension
    a @ x  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        a @ x
        times.append(time.perf_counter() - t)
    return {"matvec_s": sum(times) / len(times), "matvec_min_s": min(times), "matvec_nnz": int(a.nnz)}


def _source(n: int, seed: int):
    from benchmarks.common import take_snapshot
    from scenarios.synthetic import synthetic_scenario
    from simulation.model import SiagaModel

    t0 = time.perf_counter()
    model = SiagaModel(synthetic_scenario(n, days=TARGET_BIG_DAYS), seed=seed)
    t1 = time.perf_counter()
    snap = take_snapshot(model)
    t2 = time.perf_counter()
    info = {"source_setup_s": t1 - t0, "source_warmup_s": t2 - t1, "start_day": snap.start_day, "villagers": snap.n}
    del model
    return snap, info


def _default_run(res: dict) -> None:
    """One full run of the default scenario: CPU time of `SiagaModel()` + `run()`."""
    from simulation.model import SiagaModel

    c0, t0 = time.process_time(), time.perf_counter()
    model = SiagaModel()
    c1 = time.process_time()
    model.run()
    c2, t2 = time.process_time(), time.perf_counter()
    res["villagers"] = model.people.n
    res["villages"] = model.region.n_villages
    res["days"] = model.calendar.n_days
    res["setup_cpu_s"] = c1 - c0
    res["run_cpu_s"] = c2 - c0  # set-up + all days
    res["run_wall_s"] = t2 - t0
    res["incidents"] = len(model.tally.incidents)
    del model
    from experiments.runner import run

    c3 = time.process_time()
    run("kepahiang_pilkada2024", seed=None)  # as experiments run it: no Villager agent objects
    res["runner_cpu_s"] = time.process_time() - c3


def worker(job: dict) -> dict:
    t_start, c_start = time.perf_counter(), time.process_time()
    import gc

    import numpy as np  # noqa: F401

    from scenarios.synthetic import synthetic_scenario
    from simulation.model import SiagaModel

    kind, n, days, seed = job["kind"], int(job["n"]), int(job["days"]), int(job.get("seed", 1))
    res: dict = {"kind": kind, "requested": n, "days": days, "seed": seed}
    res["import_s"] = time.perf_counter() - t_start
    res["import_cpu_s"] = time.process_time() - c_start
    res["rss_after_import_mib"] = _peak_rss_bytes() / 2**20
    gc.collect()

    if kind == "default":
        _default_run(res)
        res["peak_rss_mib"] = _peak_rss_bytes() / 2**20
        res["worker_s"] = time.perf_counter() - t_start
        return res
    if kind == "siaga":
        c0, t0 = time.process_time(), time.perf_counter()
        model = SiagaModel(synthetic_scenario(n, days=days), seed=seed)
        c1, t1 = time.process_time(), time.perf_counter()
        res["villagers"] = model.people.n
        res["villages"] = model.region.n_villages
        res["edges"] = int(model.network.adjacency.nnz // 2)
        res["calendar_days"] = model.calendar.n_days
        timer = PhaseTimer(model)
        per_day = []
        try:
            for _ in range(days):
                t = time.perf_counter()
                model.step()
                per_day.append(time.perf_counter() - t)
        finally:
            timer.restore()
        res["setup_s"] = t1 - t0
        res["setup_cpu_s"] = c1 - c0
        res["days_cpu_s"] = time.process_time() - c1
        res["phase_s"] = dict(timer.totals)
        res["phase_s"]["other"] = max(sum(per_day) - sum(timer.totals.values()), 0.0)
        res.update(time_matvec(model))
        res["tension_day_s"] = res["phase_s"]["tension"] / days if days else 0.0
        res["tension_vs_matvec"] = res["tension_day_s"] / res["matvec_s"] if res["matvec_s"] > 0 else None
        p = model.people
        res["final_states"] = np.bincount(p.state, minlength=5).tolist()
        res["incidents"] = len(model.tally.incidents)
    elif kind in ("kernels", "idiomatic"):
        from benchmarks.idiomatic_mesa import IdiomaticVillageModel
        from benchmarks.vectorised_kernels import VectorisedVillagerKernels

        snap, info = _source(n, seed)
        res.update(info)
        gc.collect()
        cls = VectorisedVillagerKernels if kind == "kernels" else IdiomaticVillageModel
        repeats = max(1, int(job.get("repeats", 1)))
        per_day, setups, setup_cpu, days_cpu = [], [], [], 0.0
        for _ in range(repeats):  # each repeat starts from the same snapshot
            c0, t0 = time.process_time(), time.perf_counter()
            sim = cls(snap, seed=seed)
            setups.append(time.perf_counter() - t0)
            setup_cpu.append(time.process_time() - c0)
            c1 = time.process_time()
            for _ in range(days):
                t = time.perf_counter()
                sim.step()
                per_day.append(time.perf_counter() - t)
            days_cpu += time.process_time() - c1
            arrays = sim.arrays()
            del sim
            gc.collect()
        res["repeats"] = repeats
        res["setup_s"] = setups[0]
        res["setup_cpu_s"] = setup_cpu[0]
        res["days_cpu_s"] = days_cpu / repeats
        res["final_states"] = np.bincount(arrays["state"], minlength=5).tolist()
        res["final_rumour"] = np.bincount(arrays["rumour"], minlength=3).tolist()
    else:
        raise SystemExit(f"unknown kind {kind!r}")

    res["per_day_s"] = per_day
    res["mean_day_s"] = sum(per_day) / len(per_day) if per_day else 0.0
    res["min_day_s"] = min(per_day) if per_day else 0.0
    # total = set-up + all simulated days of one run (not counting imports or the snapshot source)
    res["total_s"] = res["setup_s"] + res["mean_day_s"] * days
    # the same in CPU seconds of this process: much less sensitive to other load on the machine
    res["mean_day_cpu_s"] = res["days_cpu_s"] / days if days else 0.0
    res["total_cpu_s"] = res["setup_cpu_s"] + res["days_cpu_s"]
    res["peak_rss_mib"] = _peak_rss_bytes() / 2**20
    res["worker_s"] = time.perf_counter() - t_start
    return res


# =========================================================================== driver


def run_job(job: dict, timeout: float) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(job)]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {**job, "error": f"timed out after {timeout:.0f} s", "process_wall_s": time.perf_counter() - t}
    wall = time.perf_counter() - t
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("RESULT "):
            res = json.loads(line[len("RESULT ") :])
            res["process_wall_s"] = wall
            return res
    tail = (proc.stderr or proc.stdout)[-2000:]
    return {**job, "error": f"exit {proc.returncode}: {tail}", "process_wall_s": wall}


def _sizes(text: str) -> list[int]:
    return [int(float(s)) for s in text.replace("_", "").split(",") if s.strip()]


def _machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import mesa
    import numpy
    import scipy

    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "mem_total_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB, 1),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "scipy": scipy.__version__,
        "mesa": mesa.__version__,
        "platform": platform.platform(),
    }


def _find(results: list[dict], kind: str, n: int) -> dict | None:
    for r in results:
        if r.get("kind") == kind and r.get("requested") == n and "error" not in r:
            return r
    return None


def ratios(results: list[dict], sizes: list[int]) -> list[dict]:
    out = []
    for n in sizes:
        idi = _find(results, "idiomatic", n)
        if idi is None:
            continue
        row = {"villagers": idi["villagers"], "requested": n, "idiomatic_day_s": idi["mean_day_s"]}
        ker = _find(results, "kernels", n)
        if ker is not None:
            row["kernels_day_s"] = ker["mean_day_s"]
            row["ratio_kernels"] = idi["mean_day_s"] / ker["mean_day_s"]
            if ker.get("mean_day_cpu_s") and idi.get("mean_day_cpu_s"):
                row["ratio_kernels_cpu"] = idi["mean_day_cpu_s"] / ker["mean_day_cpu_s"]
        full = _find(results, "siaga", n)
        if full is not None:
            row["siaga_day_s"] = full["mean_day_s"]
            row["ratio_full_day"] = idi["mean_day_s"] / full["mean_day_s"]
            villager_phases = sum(full["phase_s"][k] for k in ("hoax", "legitimacy", "tension", "escalation"))
            row["siaga_villager_phases_day_s"] = villager_phases / full["days"]
            row["ratio_villager_phases"] = idi["mean_day_s"] / row["siaga_villager_phases_day_s"]
        out.append(row)
    return out


def _status(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def targets(results: list[dict], rat: list[dict]) -> list[dict]:
    out = []
    r100 = next((r for r in rat if r["requested"] == TARGET_RATIO_SIZE), None)
    for key, what in (
        ("ratio_kernels", "same villager rules: SiagaModel's own phase functions vs idiomatic Mesa"),
        ("ratio_full_day", "full SiagaModel day (does more) vs idiomatic villager rules"),
    ):
        name = f">= {TARGET_RATIO:.0f}x faster per day at 100k ({what})"
        if r100 is None or key not in r100:
            out.append({"target": name, "status": "SKIP", "value": None, "note": "not measured in this run"})
        else:
            v = r100[key]
            out.append({"target": name, "status": _status(v >= TARGET_RATIO), "value": round(v, 1)})

    big = _find(results, "siaga", TARGET_BIG_SIZE)
    ok_days = big is not None and big["days"] >= TARGET_BIG_DAYS
    size_targets = (
        (f"1M villagers x {TARGET_BIG_DAYS} days, set-up included, < {TARGET_SECONDS:.0f} s", "time", TARGET_SECONDS),
        (f"1M villagers x {TARGET_BIG_DAYS} days, peak memory < {TARGET_BYTES / GIB:.0f} GiB", "memory", TARGET_BYTES),
        (
            f"1M villagers x {TARGET_BIG_DAYS} days, set-up included, < {TARGET_SECONDS_TIGHT:.0f} s (engine v2)",
            "time",
            TARGET_SECONDS_TIGHT,
        ),
        (
            f"1M villagers x {TARGET_BIG_DAYS} days, peak memory < {TARGET_BYTES_TIGHT / GIB:.0f} GiB (engine v2)",
            "memory",
            TARGET_BYTES_TIGHT,
        ),
    )
    for name, what, limit in size_targets:
        if not ok_days:
            note = "not measured in this run" if big is None else f"only {big['days']} days were run"
            out.append({"target": name, "status": "SKIP", "value": None, "note": note})
        elif what == "time":
            t = big["total_s"]
            cpu = f"; CPU time {big['total_cpu_s']:.1f} s" if "total_cpu_s" in big else ""
            out.append(
                {
                    "target": name,
                    "status": _status(t < limit),
                    "value": round(t, 1),
                    "note": f"wall, in-process set-up + days{cpu}; whole process incl. interpreter start and imports "
                    f"{big.get('process_wall_s', float('nan')):.1f} s",
                }
            )
        else:
            m = big["peak_rss_mib"]
            out.append(
                {
                    "target": name,
                    "status": _status(m * 2**20 < limit),
                    "value": round(m, 1),
                    "note": "peak RSS of the process, MiB (imports included)",
                }
            )

    name = f"tension phase within {TARGET_TENSION_MATVEC:.0f}x of a bare CSR mat-vec on the same graph (1M)"
    if big is None or not big.get("matvec_s"):
        out.append({"target": name, "status": "SKIP", "value": None, "note": "not measured in this run"})
    else:
        v = big["tension_day_s"] / big["matvec_s"]
        out.append(
            {
                "target": name,
                "status": _status(v <= TARGET_TENSION_MATVEC),
                "value": round(v, 2),
                "note": f"tension phase {1e3 * big['tension_day_s']:.1f} ms/day (mean over {big['days']} days) vs "
                f"influence @ tension {1e3 * big['matvec_s']:.1f} ms (mean of {MATVEC_REPEATS}), same process",
            }
        )

    name = f"default scenario: <= {TARGET_DEFAULT_CPU_S} CPU-seconds a run, set-up included"
    dflt = next((r for r in results if r.get("kind") == "default" and "error" not in r), None)
    if dflt is None:
        out.append({"target": name, "status": "SKIP", "value": None, "note": "not measured in this run"})
    else:
        v = dflt["run_cpu_s"]
        out.append(
            {
                "target": name,
                "status": _status(v <= TARGET_DEFAULT_CPU_S),
                "value": round(v, 2),
                "note": f"fresh process, SiagaModel() + run(), {dflt['villagers']:,} villagers x {dflt['days']} days; "
                f"imports (not counted) {dflt['import_cpu_s']:.2f} CPU-s; as experiments run it "
                f"(experiments.runner.run, no Villager agent objects) {dflt['runner_cpu_s']:.2f} CPU-s",
            }
        )
    return out


def report(results: list[dict], rat: list[dict], tg: list[dict]) -> None:
    from rich.console import Console
    from rich.table import Table

    con = Console()
    if not con.is_terminal or con.width < 150:
        con = Console(width=170)  # wide tables stay readable in logs and narrow terminals
    t = Table(title="SIAGA scale benchmark (one fresh process per row)")
    for col in (
        "version",
        "villagers",
        "days",
        "set-up s",
        "per day ms (mean)",
        "per day ms (min)",
        "total s",
        "CPU: per day ms",
        "CPU: total s",
        "peak RSS MiB",
        "process s",
    ):
        t.add_column(col, justify="right" if col != "version" else "left")
    label = {"siaga": "SiagaModel (full day)", "kernels": "SiagaModel villager phases", "idiomatic": "idiomatic Mesa"}
    for r in results:
        if r.get("kind") == "default" and "error" not in r:
            continue  # its own table below
        if "error" in r:
            t.add_row(
                label.get(r["kind"], r["kind"]), f"{r['n']:,}", str(r["days"]), "ERROR", r["error"][:60], *[""] * 6
            )
            continue
        days = f"{r['days']}" + (f" x{r['repeats']}" if r.get("repeats", 1) > 1 else "")
        t.add_row(
            label[r["kind"]],
            f"{r['villagers']:,}",
            days,
            f"{r['setup_s']:.2f}",
            f"{1e3 * r['mean_day_s']:.1f}",
            f"{1e3 * r['min_day_s']:.1f}",
            f"{r['total_s']:.2f}",
            f"{1e3 * r['mean_day_cpu_s']:.1f}",
            f"{r['total_cpu_s']:.2f}",
            f"{r['peak_rss_mib']:.0f}",
            f"{r['process_wall_s']:.1f}",
        )
    con.print(t)

    ph = [r for r in results if r.get("kind") == "siaga" and "error" not in r]
    if ph:
        keys = list(ph[0]["phase_s"].keys())
        pt = Table(title="SiagaModel.step() by phase, mean ms per simulated day")
        pt.add_column("villagers", justify="right")
        for k in keys:
            pt.add_column(k, justify="right")
        for r in ph:
            pt.add_row(f"{r['villagers']:,}", *(f"{1e3 * r['phase_s'][k] / r['days']:.1f}" for k in keys))
        con.print(pt)
        mt = Table(title="Tension phase vs a bare CSR mat-vec on the same graph (same process)")
        for col in (
            "villagers",
            "offline ties (nnz)",
            "tension phase ms/day",
            "influence @ tension ms (mean)",
            "(min)",
            "tension / mat-vec",
        ):
            mt.add_column(col, justify="right")
        for r in ph:
            if r.get("matvec_s"):
                mt.add_row(
                    f"{r['villagers']:,}",
                    f"{r['matvec_nnz']:,}",
                    f"{1e3 * r['tension_day_s']:.2f}",
                    f"{1e3 * r['matvec_s']:.2f}",
                    f"{1e3 * r['matvec_min_s']:.2f}",
                    f"{r['tension_day_s'] / r['matvec_s']:.1f}x",
                )
        con.print(mt)

    if rat:
        rt = Table(title="Speed-up per simulated day (idiomatic Mesa day / SiagaModel day)")
        for col in (
            "villagers",
            "idiomatic ms",
            "villager phases ms",
            "x (villager rules)",
            "x (villager rules, CPU)",
            "SiagaModel full day ms",
            "x (full day)",
            "villager phases in full run ms",
            "x (phases in full run)",
        ):
            rt.add_column(col, justify="right")
        f = lambda r, k, s=1e3, fmt="{:.1f}": fmt.format(r[k] * s) if k in r else "-"  # noqa: E731
        for r in rat:
            rt.add_row(
                f"{r['villagers']:,}",
                f(r, "idiomatic_day_s"),
                f(r, "kernels_day_s"),
                f(r, "ratio_kernels", 1, "{:.0f}x"),
                f(r, "ratio_kernels_cpu", 1, "{:.0f}x"),
                f(r, "siaga_day_s"),
                f(r, "ratio_full_day", 1, "{:.0f}x"),
                f(r, "siaga_villager_phases_day_s"),
                f(r, "ratio_villager_phases", 1, "{:.0f}x"),
            )
        con.print(rt)
        con.print(
            "[dim]x (villager rules): the same rule set, SiagaModel's own hoax_phase / tension_phase / "
            "escalation_phase (simulation/day.py) with the village-level inputs at zero vs the idiomatic Mesa agents "
            "(apples to apples). x (full day): the whole SiagaModel day, which also runs officials, supporter groups, "
            "the election, clashes, arrests, alerts and logging, averaged over all calendar days. x (phases in full "
            "run): SiagaModel's hoax + legitimacy + tension + escalation phases inside the full run (with their "
            "village-level inputs). Ratios use wall time; the CPU-time column is less sensitive to other load on "
            "the machine.[/dim]"
        )

    dflt = [r for r in results if r.get("kind") == "default" and "error" not in r]
    if dflt:
        dt_ = Table(title="Default scenario (kepahiang_pilkada2024), one run in a fresh process")
        for col in (
            "villagers",
            "days",
            "imports s (CPU)",
            "set-up CPU s",
            "run CPU s (set-up + days)",
            "run wall s",
            "run() as experiments call it, CPU s",
            "peak RSS MiB",
        ):
            dt_.add_column(col, justify="right")
        for r in dflt:
            dt_.add_row(
                f"{r['villagers']:,}",
                str(r["days"]),
                f"{r['import_s']:.2f} ({r['import_cpu_s']:.2f})",
                f"{r['setup_cpu_s']:.2f}",
                f"{r['run_cpu_s']:.2f}",
                f"{r['run_wall_s']:.2f}",
                f"{r['runner_cpu_s']:.2f}",
                f"{r['peak_rss_mib']:.0f}",
            )
        con.print(dt_)

    tt = Table(title="Targets")
    tt.add_column("target")
    tt.add_column("value", justify="right")
    tt.add_column("result")
    tt.add_column("note")
    colour = {"PASS": "green", "FAIL": "red", "SKIP": "yellow"}
    for x in tg:
        v = "-" if x["value"] is None else str(x["value"])
        tt.add_row(x["target"], v, f"[{colour[x['status']]}]{x['status']}[/]", x.get("note", ""))
    con.print(tt)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="villagers for the full SiagaModel runs")
    ap.add_argument("--days", type=int, default=150, help="simulated days for the full SiagaModel runs")
    ap.add_argument("--idiomatic-sizes", default="10000,100000", help="villagers for idiomatic vs kernels")
    ap.add_argument("--idiomatic-days", type=int, default=3, help="simulated days for idiomatic vs kernels")
    ap.add_argument(
        "--kernel-repeats",
        type=int,
        default=5,
        help="repeat the kernels' days this many times from the snapshot (less noise; cheap)",
    )
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-default", action="store_true", help="skip the default-scenario CPU-time run")
    ap.add_argument("--quick", action="store_true", help="smoke run: 2,000 and 5,000 villagers, 3 days")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per measurement process")
    ap.add_argument("--out", default=str(RESULTS / "latest.json"))
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args(argv)

    if a.worker:
        print("RESULT " + json.dumps(worker(json.loads(a.worker))), flush=True)
        return 0

    if a.quick:
        a.sizes, a.days, a.idiomatic_sizes, a.idiomatic_days = "2000,5000", 3, "2000,5000", 3
    sizes, isizes = _sizes(a.sizes), _sizes(a.idiomatic_sizes)
    jobs = [] if a.no_default else [{"kind": "default", "n": 0, "days": 0}]  # the scenario's own seed
    jobs += [{"kind": "siaga", "n": n, "days": a.days, "seed": a.seed} for n in sizes]
    for n in isizes:
        jobs.append({"kind": "kernels", "n": n, "days": a.idiomatic_days, "seed": a.seed, "repeats": a.kernel_repeats})
        jobs.append({"kind": "idiomatic", "n": n, "days": a.idiomatic_days, "seed": a.seed})

    started = dt.datetime.now().astimezone()
    load_before = os.getloadavg()
    results = []
    for job in jobs:
        what = "scenario=default" if job["kind"] == "default" else f"n={job['n']:>9,} days={job['days']}"
        print(f"running {job['kind']:>9} {what} ...", end=" ", flush=True)
        r = run_job(job, a.timeout)
        results.append(r)
        print(
            "error" if "error" in r else f"{r['process_wall_s']:.1f} s (load avg {os.getloadavg()[0]:.2f})", flush=True
        )
        if "error" in r:
            print(r["error"], file=sys.stderr)
    rat = ratios(results, isizes)
    tg = targets(results, rat)
    report(results, rat, tg)

    out = {
        "command": "python benchmarks/bench_scale.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "started": started.isoformat(timespec="seconds"),
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
        "machine": _machine(),
        "results": results,
        "ratios": rat,
        "targets": tg,
    }
    path = Path(a.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=2))
    print(f"saved {path}")
    return 1 if any("error" in r for r in results) else 0


if __name__ == "__main__":
    # run as a script, this folder is sys.path[0], and its common.py would shadow the project's
    # `common` package: the project root goes first instead
    here = Path(__file__).resolve().parent
    sys.path[:] = [str(ROOT)] + [s for s in sys.path if Path(s or ".").resolve() not in (here, ROOT)]
    raise SystemExit(main())
