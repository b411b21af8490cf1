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
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if __name__ == "__main__":  # run as a script: the project's packages, `benchmarks` included, on the path
    sys.path.insert(0, str(ROOT))

from benchmarks.measure import worker  # noqa: E402
from benchmarks.tables import report  # noqa: E402
from benchmarks.targets import GIB, ratios, targets  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"



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
    raise SystemExit(main())

