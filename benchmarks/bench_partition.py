"""A province in one process and split over a local Dask cluster (docs/CLUSTER.md, ODD §7.13e).

    .venv/bin/python benchmarks/bench_partition.py                      # Kalimantan Selatan, 2 workers
    .venv/bin/python benchmarks/bench_partition.py --scenario FILE --workers 4 --days 60
    .venv/bin/python benchmarks/bench_partition.py --scenario experiments/examples/scenarios/kaltara_pilkada2024.toml --modes single,partitioned --seed 0 --policy none

Each measurement runs in a fresh process: one SiagaModel of the whole province (`single`), the
partitioned province with every kab/kota model in this process (`partitioned`), and the same on a
LocalCluster of N worker processes (`cluster`): wall time, peak memory of the process and of each
worker, and per day the busiest process's kab/kota models' own seconds and the rest (exchange, Dask's
calls and the wait at the barrier). Backup is
pooled in all three (the partitioned run needs it). The partitioned runs must agree exactly; the
script checks it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _spec(args: argparse.Namespace):
    from scenarios.loader import load_scenario

    overrides = {"officials.backup_mode": "pooled"}
    if args.days:
        overrides["days"] = args.days
    if args.seed is not None:
        overrides["seed"] = args.seed
    if args.policy:
        overrides["policy.presets"] = args.policy.split("+")
    return load_scenario(args.scenario, overrides)


def measure(args: argparse.Namespace) -> dict:
    spec = _spec(args)
    t = time.perf_counter()
    out: dict = {"mode": args.mode}
    if args.mode == "single":
        from simulation.model import SiagaModel

        m = SiagaModel(spec)
        m.run()
        out.update(incidents=m.outcomes()["incidents"], people=int(m.people.n))
    else:
        from simulation import federation

        if args.mode == "partitioned":
            r = federation.run(spec, spec.seed)
        else:
            from distributed import Client, LocalCluster

            with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                    Client(cluster) as client:
                r = federation.run(spec, spec.seed, lambda parts: federation.DaskMembers(parts, client))
                out["worker_peak_mib"] = sorted(
                    v // 1024 for v in client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).values())
        out.update(incidents=r.outcomes["incidents"], members=len(r.codes), platoons_lent=r.platoons_lent, ties_across=r.ties_across,
                   days_s=round(sum(r.seconds_wall), 1), members_summed_s=round(sum(r.seconds_sum), 1),
                   busiest_worker_s=round(sum(r.seconds_busiest), 1), exchange_s=round(r.seconds_exchange, 1),
                   exchange_ms_per_day=round(1000 * r.seconds_exchange / max(r.days, 1), 1),
                   digest=hashlib.sha256(repr((r.member_outcomes, r.events)).encode()).hexdigest()[:16])
    out["wall_s"] = round(time.perf_counter() - t, 1)
    out["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scenario", default="kalsel_pilkada2020")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--days", type=int, default=None)
    ap.add_argument("--modes", default="single,partitioned,cluster")
    ap.add_argument("--seed", type=int, default=None, help="the run's seed (default: the scenario's)")
    ap.add_argument("--policy", default=None, help="policy presets joined by + (default: the scenario's), e.g. none")
    ap.add_argument("--mode", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.mode:
        print(json.dumps(measure(args)))
        return
    rows = []
    for mode in args.modes.split(","):
        cmd = [sys.executable, __file__, "--mode", mode, "--scenario", args.scenario, "--workers", str(args.workers)]
        if args.days:
            cmd += ["--days", str(args.days)]
        if args.seed is not None:
            cmd += ["--seed", str(args.seed)]
        if args.policy:
            cmd += ["--policy", args.policy]
        line = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
        rows.append(json.loads(line))
        print(rows[-1], flush=True)
    digests = {r["digest"] for r in rows if "digest" in r}
    print("partitioned runs agree:" if len(digests) <= 1 else "PARTITIONED RUNS DIFFER:", digests)


if __name__ == "__main__":
    main()
