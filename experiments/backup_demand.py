"""When backup is asked for and who answers: the Camat's question, read from an experiment's event logs.

A run's outcomes count the asks for backup, those met and unmet and the mean wait (§7.13a). The
Camat's claim, that under a simultaneous Pilkada "the backup system may not be easy to move,
because every area is securing its own villages" (Kepahiang, 2024), is about *when* the asks come
and *who* can answer them, which the totals do not show. From `events.parquet` this adds, per run:

- `peak_asks`: the most asks for backup made in any `window` consecutive days (3 by default), a
  measure of bunching: the same 90 asks spread over four months or packed into a week differ;
- `brimob_sent`: asks the Polda's Brimob platoons served (lent by the province, or sent on the
  kabupaten Tim Terpadu's direct ask), i.e. the demand that reached the shared pool and was met.

Then, because replicate k of every design point and policy shares a seed, any two levels of a grid
factor (serentak against staggered, one platoon against four) are compared paired by replicate,
within each policy and each level of the other factors, with a 95% t interval of the mean paired
difference (few replicates: t, not the bootstrap); and the value of a policy against the reference
is compared across the two levels (its difference in differences).

    python -m experiments.backup_demand RESULTS_DIR --factor calendar.stagger_days --levels 14 0

prints the tables as Markdown (docs/EXPERIMENTS.md §8 was written from it).
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

ASK = "backup_request"
GRANT = "backup"
BRIMOB = "Polda Brimob"  # who the province's platoons are, in a grant's `actors` (agents/command.py)
SHOWN = ["incidents", "deaths", "backup_requests", "peak_asks", "brimob_sent", "backup_unmet", "backup_wait_days"]


def peak(days: np.ndarray, window: int) -> int:
    """The most of `days` (one entry per ask) falling in any `window` consecutive days."""
    if days.size == 0:
        return 0
    counts = np.bincount(days - days.min())
    return int(np.convolve(counts, np.ones(window, dtype=np.int64), mode="full").max())


def per_run(events: pd.DataFrame, run_ids: list[str], window: int = 3) -> pd.DataFrame:
    """`peak_asks` and `brimob_sent` per run (0 for a run that never asked), indexed by run_id."""
    rows = []
    asks = events[events["kind"] == ASK]
    brimob = events[(events["kind"] == GRANT) & (events["actors"] == BRIMOB)]
    ask_days = {k: g["day"].to_numpy(np.int64) for k, g in asks.groupby("run_id")}
    sent = brimob.groupby("run_id").size()
    for run_id in run_ids:
        rows.append({"run_id": run_id, "peak_asks": peak(ask_days.get(run_id, np.zeros(0, np.int64)), window),
                     "brimob_sent": int(sent.get(run_id, 0))})
    return pd.DataFrame(rows).set_index("run_id")


def load(results: Path, window: int = 3) -> pd.DataFrame:
    """runs.parquet with `peak_asks` and `brimob_sent` joined on (reads only the events it needs)."""
    runs = pd.read_parquet(results / "runs.parquet")
    events_file = results / "events.parquet"
    if not events_file.exists():
        raise FileNotFoundError(f"{events_file}: no event logs (was the experiment run with events = false, or not finished?)")
    events = pd.read_parquet(events_file, columns=["run_id", "day", "kind", "actors"], filters=[("kind", "in", [ASK, GRANT])])
    return runs.join(per_run(events, runs["run_id"].tolist(), window), on="run_id")


def t_interval(d: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean of paired differences `d` with its t interval (NaN bounds for fewer than 2)."""
    d = np.asarray(d, dtype=float)
    d = d[np.isfinite(d)]
    if d.size == 0:
        return (float("nan"),) * 3
    mean = float(d.mean())
    if d.size < 2:
        return mean, float("nan"), float("nan")
    half = float(stats.t.ppf(0.5 + level / 2, d.size - 1) * d.std(ddof=1) / np.sqrt(d.size))
    return mean, mean - half, mean + half


def _others(runs: pd.DataFrame, factor: str, factors: list[str]) -> list[str]:
    return [f for f in factors if f != factor and runs[f].nunique() > 1]


def means(runs: pd.DataFrame, factors: list[str], outcomes: list[str]) -> pd.DataFrame:
    """Mean of each outcome per design cell (factors that vary, then policy), in the runs' order."""
    keys = [f for f in factors if runs[f].nunique() > 1] + ["policy"]
    cols = [o for o in outcomes if o in runs]
    return runs.groupby(keys, sort=False)[cols].mean().reset_index()


def contrast(runs: pd.DataFrame, outcome: str, factor: str, a: Any, b: Any, factors: list[str]) -> pd.DataFrame:
    """Level a minus level b of `factor`, paired by replicate, within each policy and each level
    of the other varying factors."""
    keys = _others(runs, factor, factors) + ["policy"]
    rows = []
    for group, sub in runs.groupby(keys, sort=False):
        ya = sub[sub[factor] == a].set_index("replicate")[outcome]
        yb = sub[sub[factor] == b].set_index("replicate")[outcome]
        both = pd.concat({"a": ya, "b": yb}, axis=1).dropna()
        mean, lo, hi = t_interval((both["a"] - both["b"]).to_numpy())
        rows.append({**dict(zip(keys, group if isinstance(group, tuple) else (group,), strict=True)),
                     "outcome": outcome, "diff": mean, "ci_low": lo, "ci_high": hi, "n": len(both)})
    return pd.DataFrame(rows)


def policy_value(runs: pd.DataFrame, outcome: str, factor: str, a: Any, b: Any, reference: str, factors: list[str]) -> pd.DataFrame:
    """Each policy minus the reference (paired by replicate) at level a and at level b of `factor`,
    and the difference between the two (is the policy worth more at a than at b?)."""
    keys = _others(runs, factor, factors)
    rows = []
    groups = runs.groupby(keys, sort=False) if keys else [((), runs)]
    for group, sub in groups:
        group = group if isinstance(group, tuple) else (group,)
        ref = sub[sub["policy"] == reference]
        for policy in dict.fromkeys(sub["policy"]):
            if policy == reference:
                continue
            pol = sub[sub["policy"] == policy]
            gaps = {}
            for level in (a, b):
                y = pol[pol[factor] == level].set_index("replicate")[outcome]
                r = ref[ref[factor] == level].set_index("replicate")[outcome]
                gaps[level] = (y - r).dropna()
            row = {**dict(zip(keys, group, strict=True)), "policy": policy, "outcome": outcome}
            for name, level in (("at_a", a), ("at_b", b)):
                m, lo, hi = t_interval(gaps[level].to_numpy())
                row.update({name: m, f"{name}_low": lo, f"{name}_high": hi})
            did = pd.concat({"a": gaps[a], "b": gaps[b]}, axis=1).dropna()
            m, lo, hi = t_interval((did["a"] - did["b"]).to_numpy())
            row.update(diff=m, ci_low=lo, ci_high=hi, n=len(did))
            rows.append(row)
    return pd.DataFrame(rows)


def _fmt(x: float, digits: int = 1) -> str:
    return "n/a" if not np.isfinite(x) else f"{x:+.{digits}f}"


def _ci_text(frame: pd.DataFrame, mean: str, low: str, high: str, digits: int = 1) -> list[str]:
    """"mean [low, high]" per row of `frame`, from its three columns."""
    return [f"{_fmt(m, digits)} [{_fmt(lo, digits)}, {_fmt(hi, digits)}]" for m, lo, hi in zip(frame[mean], frame[low], frame[high], strict=True)]


def markdown(frame: pd.DataFrame, digits: int = 1) -> str:
    """A plain Markdown table (numbers rounded), without the optional `tabulate` package."""
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = []
    for row in frame.itertuples(index=False):
        cells = [f"{v:.{digits}f}" if isinstance(v, float) else str(v) for v in row]
        body.append("| " + " | ".join(cells) + " |")
    return "\n".join([head, rule, *body])


def _level(runs: pd.DataFrame, factor: str, text: str) -> Any:
    """The factor's level written as `text`, in the column's own type."""
    for value in runs[factor].unique():
        if str(value) == text or (isinstance(value, (int, float, np.number)) and _number(text) == value):
            return value
    raise SystemExit(f"{factor} has no level {text!r}; its levels: {', '.join(map(str, runs[factor].unique()))}")


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _reference(results: Path) -> str | None:
    """The experiment's own reference policy, from the copy of its file in the results folder."""
    try:
        return tomllib.loads((results / "experiment.toml").read_text(encoding="utf-8")).get("reference")
    except (OSError, tomllib.TOMLDecodeError):
        return None


def report(results: Path, factor: str, a_text: str, b_text: str, window: int = 3, reference: str | None = None) -> str:
    runs = load(results, window)
    known = {"run_id", "point", "policy", "replicate", "seed"}
    factors = [c for c in runs.columns if "." in c and c not in known]
    if factor not in runs:
        raise SystemExit(f"{results}: no factor {factor!r}; its factors: {', '.join(factors) or 'none'}")
    a, b = _level(runs, factor, a_text), _level(runs, factor, b_text)
    reference = reference or _reference(results) or str(runs["policy"].iloc[0])
    out = [f"# Backup demand in {results}", "",
           f"Means per run (peak_asks: most asks for backup in any {window} days; brimob_sent: asks the Polda's Brimob served):", "",
           markdown(means(runs, factors, SHOWN)), "",
           f"## {factor} = {a} minus {factor} = {b}, paired by replicate (mean, 95% t interval)", ""]
    for outcome in ["incidents", "deaths", "peak_asks", "brimob_sent", "backup_unmet", "backup_wait_days"]:
        if outcome not in runs:
            continue
        c = contrast(runs, outcome, factor, a, b, factors)
        c["difference"] = _ci_text(c, "diff", "ci_low", "ci_high", 2)
        out += [f"### {outcome}", "", markdown(c.drop(columns=["diff", "ci_low", "ci_high", "outcome"])), ""]
    v = policy_value(runs, "incidents", factor, a, b, reference, factors)
    if len(v):
        v["minus_ref_at_a"] = _ci_text(v, "at_a", "at_a_low", "at_a_high")
        v["minus_ref_at_b"] = _ci_text(v, "at_b", "at_b_low", "at_b_high")
        v["a_minus_b"] = _ci_text(v, "diff", "ci_low", "ci_high")
        keep = [c for c in v.columns if c in factors or c in ("policy", "minus_ref_at_a", "minus_ref_at_b", "a_minus_b", "n")]
        out += [f"## Incidents: each policy minus {reference} at {factor} = {a} and = {b}, and their difference", "",
                markdown(v[keep]), ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m experiments.backup_demand", description=__doc__.split("\n\n")[0])
    p.add_argument("results", type=Path, help="an experiment's results folder (runs.parquet, events.parquet)")
    p.add_argument("--factor", default="calendar.stagger_days", help="the grid factor to contrast (default: calendar.stagger_days)")
    p.add_argument("--levels", nargs=2, metavar=("A", "B"), default=["14", "0"], help="report level A minus level B (default: 14 0)")
    p.add_argument("--window", type=int, default=3, help="days in the window of peak_asks (default 3)")
    p.add_argument("--reference", help="the policy others are compared with (default: the experiment's reference)")
    args = p.parse_args(argv)
    if args.window < 1:
        p.error("--window must be at least 1")
    if not (args.results / "runs.parquet").exists():
        p.error(f"{args.results}: no runs.parquet (not an experiment's results folder, or the experiment has not finished)")
    try:
        print(report(args.results, args.factor, args.levels[0], args.levels[1], args.window, args.reference))
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
