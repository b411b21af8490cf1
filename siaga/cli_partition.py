"""`siaga run SCENARIO --partition kabupaten`: one province, a model per kab/kota coupled once a
day (simulation/federation.py), in this process or on a Dask cluster (`--scheduler ADDRESS`,
`--local-cluster N`). Writes the province's totals, each kab/kota's outcomes, the merged event log
and the day's timings."""

from __future__ import annotations

import argparse
import json
import math
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scenarios.schema import Scenario


def run_partitioned(args: argparse.Namespace, spec: Scenario, console: Any) -> int:
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.table import Table

    from simulation import federation

    parts = federation.members(spec, spec.seed)  # refusals (synthetic region, exogenous backup) before any cluster starts
    out = None
    if not args.no_write:
        from common.atomic import check_writable

        out = Path(args.out) if args.out else Path("siaga-output") / f"{Path(str(args.scenario)).stem}_seed{spec.seed}_partitioned"
        check_writable(out)
    where = "this process"
    with ExitStack() as stack:
        backend = None
        if args.scheduler or args.local_cluster:
            from distributed import Client, LocalCluster

            if args.local_cluster:
                cluster = stack.enter_context(LocalCluster(n_workers=args.local_cluster, threads_per_worker=1, processes=True,
                                                           dashboard_address=None))
                client = stack.enter_context(Client(cluster))
                where = f"a local Dask cluster of {args.local_cluster} workers"
            else:
                client = stack.enter_context(Client(args.scheduler))
                where = f"the Dask cluster at {args.scheduler}"
            backend = lambda members: federation.DaskMembers(members, client)  # noqa: E731
        console.print(f"[bold]{spec.name}[/bold]: {len(parts)} kab/kota, each its own model, on {where}; seed {spec.seed}, "
                      f"policy {'+'.join(spec.policy.presets)}")
        with Progress(TextColumn("partitioned"), BarColumn(), TextColumn("day {task.completed:.0f}/{task.total:.0f}"),
                      TimeElapsedColumn(), TimeRemainingColumn(), console=console, disable=args.quiet) as bar:
            task = bar.add_task("days", total=spec.total_days)
            result = federation.run(spec, spec.seed, backend, progress=lambda d, n: bar.update(task, completed=d, total=n))
    totals = result.outcomes
    table = Table(title=f"Summary over {len(result.codes)} kab/kota", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key in ("incidents", "deaths", "injured", "villages_with_violence", "arrests", "backup_requests", "backup_granted",
                "backup_unmet", "platoons_lent", "disputed", "ties_across"):
        table.add_row(key, f"{totals[key]:,}" if isinstance(totals[key], int) else f"{totals[key]:,.1f}")
    console.print(table)
    if out is not None:
        written = _write(result, out)
        console.print(f"Wrote {len(written)} files to {out}: {', '.join(written)}")
    return 0


def _write(result: Any, out: Path) -> list[str]:
    import pandas as pd

    from common.atomic import atomic_write
    from simulation.events import COLUMNS

    def clean(v: Any) -> Any:
        return None if isinstance(v, float) and math.isnan(v) else v

    summary = {
        "province": {k: clean(v) for k, v in result.outcomes.items()},
        "kabupaten": {c: {k: clean(v) for k, v in o.items()} for c, o in zip(result.codes, result.member_outcomes, strict=True)},
        "days": result.days,
        "seconds": {"days": sum(result.seconds_wall), "members_summed": sum(result.seconds_sum),
                    "busiest_worker": sum(result.seconds_busiest), "exchange_and_waiting": result.seconds_exchange},
    }
    atomic_write(out / "outcomes.json", lambda p: p.write_text(json.dumps(summary, indent=1, default=str), encoding="utf-8"))
    frame = pd.DataFrame(result.member_outcomes)
    frame.insert(0, "kabupaten_code", result.codes)
    atomic_write(out / "kabupaten.csv", lambda p: frame.to_csv(p, index=False))
    events = pd.DataFrame(result.events, columns=COLUMNS)
    atomic_write(out / "events.parquet", lambda p: events.to_parquet(p, index=False))
    days = pd.DataFrame({"day": range(len(result.seconds_wall)), "wall_s": result.seconds_wall,
                         "members_summed_s": result.seconds_sum, "busiest_worker_s": result.seconds_busiest})
    atomic_write(out / "days.csv", lambda p: days.to_csv(p, index=False))
    return ["outcomes.json", "kabupaten.csv", "events.parquet", "days.csv"]
