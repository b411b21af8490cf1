"""The benchmark's report on the terminal: one rich table per kind of measurement, then the
ratios and the targets."""

from __future__ import annotations


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


