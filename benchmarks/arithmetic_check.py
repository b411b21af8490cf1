"""Does a change to the engine's arithmetic move any outcome? Paired seeds, before and after.

Speed work that evaluates the same equations in another order (a fused operator, float32 instead
of float64) changes results at the level of rounding; threshold rules then send single runs down
other paths, so a seed-for-seed regression test cannot judge it. This check runs the same seeds
through two versions of the code and asks, outcome by outcome, whether the mean moved by more than
its Monte Carlo error (issue 11: at least 50 paired seeds).

    # 1. the old version, from a worktree of the commit before the change
    git worktree add /tmp/siaga-before <commit>
    .venv/bin/python benchmarks/arithmetic_check.py record --code /tmp/siaga-before --out /tmp/before.json
    # 2. this checkout
    .venv/bin/python benchmarks/arithmetic_check.py record --out /tmp/after.json
    # 3. the verdict
    .venv/bin/python benchmarks/arithmetic_check.py compare /tmp/before.json /tmp/after.json

The verdict, per (scenario, policy, outcome): the paired difference of the means, d = mean(after -
before) over seeds, against its standard error SE(d) (the sample standard deviation of the
per-seed differences / sqrt(n)). |d| / SE(d) is a z score; with many outcomes tested at once a few
exceed 2 by chance (one in 20 for a change that moves nothing), so the check fails only when an
outcome's |z| exceeds 3, about a Bonferroni correction at 5% for 40 comparisons. The table also
shows d against the standard error of the mean itself, the Monte Carlo error a user sees.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIOS = ("kepahiang_pilkada2024", "tanjabtim_pemilu2024")
POLICIES = ("none", "joint")
NUMERIC_SKIP = {"first_incident_date", "seed"}
Z_FAIL = 3.0


def _one(args: tuple[str, str, str, int]) -> dict:
    code, scenario, policy, seed = args
    sys.path.insert(0, code)
    from experiments import runner

    out = runner.run(scenario, seed=seed, policy=policy)
    return {k: v for k, v in out.items() if k not in NUMERIC_SKIP and isinstance(v, int | float | bool)}


def record(code: str, out: Path, seeds: int, scenarios: list[str], policies: list[str], workers: int) -> None:
    code = str(Path(code).resolve())
    rev = subprocess.run(["git", "-C", code, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", code, "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True).stdout.strip()
    jobs = [(code, s, p, seed) for s in scenarios for p in policies for seed in range(1, seeds + 1)]
    with ProcessPoolExecutor(workers) as pool:
        results = list(pool.map(_one, jobs))
    runs: dict[str, dict[str, dict]] = {}
    for (_, s, p, seed), r in zip(jobs, results):
        runs.setdefault(f"{s}/{p}", {})[str(seed)] = r
    out.write_text(json.dumps({"code": rev + (" (uncommitted changes)" if dirty else ""), "runs": runs}, indent=1) + "\n")
    print(f"{len(jobs)} runs of {rev}{' + changes' if dirty else ''} -> {out}")


def _mean_se(xs: list[float]) -> tuple[float, float]:
    n = len(xs)
    m = sum(xs) / n
    var = sum((x - m) ** 2 for x in xs) / (n - 1) if n > 1 else 0.0
    return m, math.sqrt(var / n)


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    print(f"before: {a['code']}   after: {b['code']}")
    print(f"{'case':40s} {'outcome':26s} {'n':>3s} {'mean before':>12s} {'mean after':>12s} {'d':>10s} {'SE(d)':>9s} {'z':>6s} {'d/SE(mean)':>10s}")
    worst, failed = 0.0, []
    for case, seeds_a in a["runs"].items():
        seeds_b = b["runs"].get(case, {})
        common = sorted(set(seeds_a) & set(seeds_b), key=int)
        if not common:
            continue
        for outcome in seeds_a[common[0]]:
            pairs = [(seeds_a[s].get(outcome), seeds_b[s].get(outcome)) for s in common]
            pairs = [(float(x), float(y)) for x, y in pairs if x is not None and y is not None
                     and not (isinstance(x, float) and math.isnan(x)) and not (isinstance(y, float) and math.isnan(y))]
            if len(pairs) < 2:
                continue
            ma, sea = _mean_se([x for x, _ in pairs])
            mb, _ = _mean_se([y for _, y in pairs])
            d, se_d = _mean_se([y - x for x, y in pairs])
            z = 0.0 if d == 0 else (math.inf if se_d == 0 else d / se_d)
            rel = 0.0 if d == 0 else (math.inf if sea == 0 else d / sea)
            worst = max(worst, abs(z))
            flag = "  <-- FAIL" if abs(z) > Z_FAIL else ""
            if flag:
                failed.append(f"{case} {outcome}")
            print(f"{case:40s} {outcome:26s} {len(pairs):3d} {ma:12.4g} {mb:12.4g} {d:10.3g} {se_d:9.3g} {z:6.2f} {rel:10.2f}{flag}")
    print(f"largest |z| = {worst:.2f}; " + ("PASS: no outcome's mean moved beyond its Monte Carlo error"
                                           if not failed else f"FAIL: {', '.join(failed)}"))
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="action", required=True)
    r = sub.add_parser("record", help="run the seeds through one version of the code")
    r.add_argument("--code", default=str(HERE.parent), help="root of the checkout to run (default: this one)")
    r.add_argument("--out", type=Path, required=True)
    r.add_argument("--seeds", type=int, default=50)
    r.add_argument("--scenarios", default=",".join(SCENARIOS))
    r.add_argument("--policies", default=",".join(POLICIES))
    r.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    c = sub.add_parser("compare", help="paired comparison of two recordings")
    c.add_argument("before", type=Path)
    c.add_argument("after", type=Path)
    args = ap.parse_args(argv)
    if args.action == "record":
        record(args.code, args.out, args.seeds, args.scenarios.split(","), args.policies.split(","), args.workers)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
