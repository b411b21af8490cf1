"""Where SiagaModel's time goes: cProfile of the set-up and of a few days, separately.

    python benchmarks/profile_model.py                          # 1M villagers, set-up + 3 days
    python benchmarks/profile_model.py --villagers 100000 --days 5 --skip 24 --top 30

Prints the top functions by own time (tottime) and by cumulative time for the set-up
(`SiagaModel(synthetic_scenario(n))`) and for the profiled days, and the peak RSS. `--skip N`
runs N days unprofiled first (e.g. 24 to start at the campaign). cProfile adds overhead to
Python-level calls, so absolute times read higher than in bench_scale.py; the ranking is what
matters.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _print_stats(title: str, prof: cProfile.Profile, top: int) -> None:
    for key in ("tottime", "cumulative"):
        buf = io.StringIO()
        st = pstats.Stats(prof, stream=buf)
        st.strip_dirs().sort_stats(key).print_stats(top)
        text = buf.getvalue()
        body = text[text.find("   ncalls") :] if "   ncalls" in text else text
        print(f"\n=== {title}: top {top} by {key} ===")
        print(body.rstrip())


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))  # run as a script: the project's packages on the path
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--villagers", type=int, default=1_000_000)
    ap.add_argument("--days", type=int, default=3)
    ap.add_argument("--skip", type=int, default=0, help="days to run unprofiled before profiling")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--top", type=int, default=25)
    a = ap.parse_args(argv)

    t = time.perf_counter()
    from scenarios.synthetic import synthetic_scenario
    from simulation.model import SiagaModel

    print(f"imports {time.perf_counter() - t:.2f} s")

    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    model = SiagaModel(synthetic_scenario(a.villagers, days=150), seed=a.seed)
    prof.disable()
    print(
        f"set-up {time.perf_counter() - t:.2f} s (under cProfile); {model.people.n:,} villagers, "
        f"{model.region.n_villages:,} villages, {model.network.adjacency.nnz // 2:,} offline edges, "
        f"{len(model.agents):,} Mesa agents; peak RSS so far {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    _print_stats("set-up", prof, a.top)

    for _ in range(a.skip):
        model.step()
    prof = cProfile.Profile()
    t = time.perf_counter()
    prof.enable()
    for _ in range(a.days):
        model.step()
    prof.disable()
    el = time.perf_counter() - t
    print(
        f"\n{a.days} days from day {a.skip}: {el:.2f} s, {1e3 * el / max(a.days, 1):.0f} ms/day (under cProfile); "
        f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )
    _print_stats(f"{a.days} days", prof, a.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
