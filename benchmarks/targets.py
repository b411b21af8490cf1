"""The benchmark's targets and ratios, computed from the measurements (plain dicts from
measure.worker): PASS / FAIL / SKIP, never hidden."""

from __future__ import annotations

from benchmarks.measure import MATVEC_REPEATS

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


