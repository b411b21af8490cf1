"""How good are the village alerts as an early-warning system? Measured over many seeds.

    .venv/bin/python -m experiments.early_warning --seeds 30 [--scenario NAME] [--set KEY=VALUE ...]

Runs the scenario (default: the default scenario) under the reactive baseline, as the workshop
runs it (Kades report to the Camat from WASPADA on, `siaga.app.exercise_setup.REPORTING`), and
judges three pictures of the villages, day by day, against the incidents that followed
(simulation/warning_quality.py; the definitions are docs/WARNINGS.md's):

* **true**: the noise-free alert level (what the model's pictures show);
* **Kades**: the level each Kades takes his village to be at each evening (`Kades.level`, what he
  would report);
* **desk**: what the Camat knows, each village's last report heard (-1 before any), as the
  workshop's desk map shows it.

Prints a table and writes every figure, pooled and per seed, as JSON (`--out`). Under the
reactive baseline no official acts on a reading, so the readings leave the run itself unchanged:
the same seeds give the same incidents whatever the alert settings.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from common.atomic import OutputError, write_json
from common.levels import ALERT_LEVELS
from experiments.design import replicate_seed
from scenarios import DEFAULT_SCENARIO, ScenarioError, load_scenario
from scenarios.loader import check_nesting
from simulation.model import SiagaModel
from simulation.warning_quality import VERDICTS, classify_reports, warning_quality

REPORTING = {"policy.kades.report_level": "WASPADA"}  # as the workshop (siaga/app/exercise_setup.py)
CALM_STAGES = ("voter_data", "campaign", "quiet_period")  # before voting day: few incidents, if any
PICTURES = ("true", "kades", "desk")
DEFAULT_OUT = Path("siaga-output") / "early_warning" / "early_warning.json"


def parse_set(items: Sequence[str]) -> dict[str, Any]:
    """`["alerts.cutoffs=[0.2,0.3,0.45]"]` -> {"alerts.cutoffs": [0.2, 0.3, 0.45]}: values read as
    TOML, as `siaga run --set` reads them (experiments do not import the CLI)."""
    out: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise ScenarioError(f"--set {item!r}: expected KEY=VALUE, e.g. officials.kades_noise=0.1")
        check_nesting(f"v = {raw}", f"--set {item}")
        try:
            out[key.strip()] = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            raise ScenarioError(f"--set {item!r}: {raw!r} is not a value (numbers as 0.1, text in quotes, lists as [1, 2])") from None
    return out


def run_one(scenario: str, seed: int, overrides: dict[str, Any]) -> dict[str, Any]:
    """One run: the three pictures (days x villages), the incidents, the stages and the reports."""
    m = SiagaModel(load_scenario(scenario, {**REPORTING, **overrides}), seed=seed)
    camat = m.forces.camats
    pictures: dict[str, list[np.ndarray]] = {p: [] for p in PICTURES}
    stages = []
    while m.running:
        m.step()
        stages.append(m.today.stage.name)
        pictures["true"].append(m.alert_level.astype(np.int8))
        pictures["kades"].append(np.array([k.level for k in m.forces.kades], dtype=np.int8))
        desk = np.full(m.region.n_villages, -1, dtype=np.int8)
        for c in camat:
            for v, (lvl, _day) in c.known.items():
                desk[v] = lvl
        pictures["desk"].append(desk)
    reports = [(sent, v, lvl, src) for c in camat for (_arr, sent, v, lvl, src) in c.received]
    return {
        "seed": seed,
        "levels": {p: np.array(rows) for p, rows in pictures.items()},
        "incidents": [(i["day"], i["village"]) for i in m.incidents],
        "stages": stages,
        "reports": reports,
    }


def judge(run: dict[str, Any]) -> dict[str, Any]:
    """Every picture of one run judged (warning_quality), plus the verdicts of its Kades reports."""
    out = {p: warning_quality(run["levels"][p], run["incidents"], run["stages"]) for p in PICTURES}
    kades = [r for r in run["reports"] if r[3] == "Kades"]
    verdicts = classify_reports(kades, run["incidents"])
    out["kades_reports"] = {
        "total": len(kades),
        "by_level": {name: sum(1 for r in kades if r[2] == i) for i, name in enumerate(ALERT_LEVELS)},
        "verdicts": {v: verdicts.count(v) for v in VERDICTS},
    }
    return out


def _pool_shares(runs: Sequence[dict[str, Any]], picture: str, stages: Sequence[str] | None) -> dict[str, float]:
    """Share of village-days at each level, pooled over runs (over `stages` only, if given)."""
    counts: dict[str, float] = {}
    total = 0
    for r in runs:
        q = r[picture]
        if stages is None:
            parts = [(q["level_share"], q["village_days"])]
        else:
            parts = [(q["level_share_by_stage"][s], q["village_days_by_stage"][s]) for s in stages if s in q["level_share_by_stage"]]
        for shares, n in parts:
            total += n
            for k, v in shares.items():
                counts[k] = counts.get(k, 0.0) + v * n
    return {k: v / total for k, v in counts.items()} if total else {}


def pool(runs: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The figures over all runs: counts summed, then the shares they give."""
    out: dict[str, Any] = {}
    for p in PICTURES:
        s = {k: sum(r[p][k] for r in runs) for k in ("incidents", "warned", "fresh_incidents", "fresh_warned",
                                                       "alarm_weeks", "false_alarm_weeks", "alarm_days", "false_alarm_days",
                                                       "village_weeks", "incident_weeks")}
        leads = [d for r in runs for d in r[p]["lead_days"]]
        s["hit_rate"] = s["warned"] / s["incidents"] if s["incidents"] else float("nan")
        s["fresh_hit_rate"] = s["fresh_warned"] / s["fresh_incidents"] if s["fresh_incidents"] else float("nan")
        s["false_alarm_share"] = s["false_alarm_weeks"] / s["alarm_weeks"] if s["alarm_weeks"] else float("nan")
        s["median_lead_days"] = float(np.median(leads)) if leads else float("nan")
        s["level_share"] = _pool_shares(runs, p, None)
        s["level_share_calm_stages"] = _pool_shares(runs, p, CALM_STAGES)
        out[p] = s
    reports = [r["kades_reports"] for r in runs]
    out["kades_reports"] = {
        "per_run": sum(r["total"] for r in reports) / max(len(reports), 1),
        "by_level": {k: sum(r["by_level"][k] for r in reports) for k in ALERT_LEVELS},
        "verdicts": {k: sum(r["verdicts"][k] for r in reports) for k in VERDICTS},
    }
    return out


def table(pooled: dict[str, Any]) -> str:
    """The pooled figures as a Markdown table (the one docs/WARNINGS.md shows)."""
    rows = [
        ("village-days AMAN (desk: or nothing reported yet), calm stages",
         lambda q: f"{q['level_share_calm_stages'].get('AMAN', 0) + q['level_share_calm_stages'].get('none', 0):.1%}"),
        ("village-days SIAGA or AWAS, calm stages",
         lambda q: f"{q['level_share_calm_stages'].get('SIAGA', 0) + q['level_share_calm_stages'].get('AWAS', 0):.1%}"),
        ("village-days AMAN / WASPADA / SIAGA / AWAS, whole run",
         lambda q: " / ".join(f"{q['level_share'].get(n, 0):.1%}" for n in ALERT_LEVELS)
         + (f" (none {q['level_share']['none']:.1%})" if "none" in q["level_share"] else "")),
        ("incidents warned (SIAGA+ within 7 days before)", lambda q: f"{q['hit_rate']:.0%} of {q['incidents']}"),
        ("fresh incidents warned", lambda q: f"{q['fresh_hit_rate']:.0%} of {q['fresh_incidents']}"),
        ("SIAGA/AWAS village-weeks without an incident", lambda q: f"{q['false_alarm_share']:.0%} of {q['alarm_weeks']}"),
        ("median lead time (days)", lambda q: f"{q['median_lead_days']:g}"),
        ("village-weeks with an incident (base rate)", lambda q: f"{q['incident_weeks'] / q['village_weeks']:.1%}"),
    ]
    lines = ["| measure | true level | Kades' reading | Camat's desk |", "|---|---|---|---|"]
    for name, fmt in rows:
        lines.append(f"| {name} | " + " | ".join(fmt(pooled[p]) for p in PICTURES) + " |")
    k = pooled["kades_reports"]
    lines.append("")
    lines.append(f"Kades reports per run: {k['per_run']:.1f}; in all, as heard at the desk: "
                 + ", ".join(f"{n} {k['by_level'][n]}" for n in ALERT_LEVELS)
                 + "; verdicts (simulation/warning_quality.py): " + ", ".join(f"{v} {k['verdicts'][v]}" for v in VERDICTS))
    return "\n".join(lines)


def measure(scenario: str, seeds: Sequence[int], overrides: dict[str, Any], progress: bool = False) -> dict[str, Any]:
    judged = []
    for i, seed in enumerate(seeds):
        judged.append({"seed": seed, **judge(run_one(scenario, seed, overrides))})
        if progress:
            print(f"  seed {i + 1}/{len(seeds)} done", file=sys.stderr)
    return {"scenario": scenario, "seeds": list(seeds), "overrides": overrides, "reporting": REPORTING,
            "pooled": pool(judged), "per_seed": judged}


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m experiments.early_warning", description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=int, default=30, help="how many seeds (default 30)")
    ap.add_argument("--scenario", default=DEFAULT_SCENARIO, help="library name or TOML file (default: the default scenario)")
    ap.add_argument("--master-seed", type=int, default=None, help="seeds are derived from this (default: the scenario's seed)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="any scenario value, as `siaga run --set`")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"JSON file to write (default {DEFAULT_OUT})")
    ap.add_argument("--quiet", action="store_true", help="no progress lines")
    args = ap.parse_args(argv)
    if not 1 <= args.seeds <= 10_000:
        print(f"error: --seeds must be between 1 and 10000, got {args.seeds}", file=sys.stderr)
        return 2
    try:
        overrides = parse_set(args.set)
        master = args.master_seed if args.master_seed is not None else load_scenario(args.scenario, {**REPORTING, **overrides}).seed
    except (ScenarioError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:  # before the runs: a folder that cannot be written is said at once, not after minutes
        args.out.parent.mkdir(parents=True, exist_ok=True)
        write_json({}, args.out.with_name(args.out.name + ".check"))
        args.out.with_name(args.out.name + ".check").unlink()
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    seeds = [replicate_seed(master, k) for k in range(args.seeds)]
    result = measure(args.scenario, seeds, overrides, progress=not args.quiet)
    print(table(result["pooled"]))
    try:
        write_json(result, args.out)
    except OutputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"\nwritten: {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
