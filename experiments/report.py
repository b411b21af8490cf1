"""`siaga experiment report DIR`: one HTML page (and its PNGs) a researcher can put in a brief.

Figures are matplotlib, greyscale-safe (each policy has its own marker and line style), and the
HTML embeds them so the page travels as one file.
"""

from __future__ import annotations

import base64
import html
import json
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from common.atomic import atomic_write  # noqa: E402
from experiments.analysis import NOT_COMPARED, better_sign, comparison_table, dose_response, fan  # noqa: E402
from simulation.metrics import OUTCOMES  # noqa: E402

STYLES = [("o", "-"), ("s", "--"), ("^", "-."), ("D", ":"), ("v", "-"), ("P", "--"), ("X", "-."), ("*", ":")]
FAN_COLUMNS = {"tense": "share tense", "mobilised": "share mobilised", "cum_incidents": "incidents so far"}


class ReportError(ValueError):
    pass


def load_results(folder: Path) -> tuple[pd.DataFrame, dict[str, Any], pd.DataFrame | None]:
    runs_path, man_path = folder / "runs.parquet", folder / "manifest.json"
    if not runs_path.exists() or not man_path.exists():
        raise ReportError(f"{folder}: no finished experiment here (runs.parquet and manifest.json missing); run `siaga experiment run FILE --out {folder}` first, or `--resume` it")
    runs = pd.read_parquet(runs_path)
    manifest = json.loads(man_path.read_text(encoding="utf-8"))
    ts_path = folder / "timeseries.parquet"
    ts = pd.read_parquet(ts_path) if ts_path.exists() else None
    return runs, manifest, ts


def _style_of(policy: str, order: list[str]) -> dict[str, Any]:
    """The same marker, line and colour for a policy in every figure of a report."""
    return _style(order.index(policy) if policy in order else len(order))


def _style(i: int) -> dict[str, Any]:
    marker, ls = STYLES[i % len(STYLES)]
    return {"marker": marker, "linestyle": ls, "color": plt.get_cmap("tab10")(i % 10)}


def _png(fig, path: Path) -> Path:
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return path


def comparison_figure(table: pd.DataFrame, outcomes: list[str], reference: str, point: int, path: Path, order: list[str]) -> Path:
    """Forest plot: paired difference from the reference with 95% CI, one panel per outcome."""
    sub = table[(table["point"] == point) & (table["policy"] != reference)]
    policies = [p for p in order if p in set(sub["policy"])]
    shown = [o for o in outcomes if o not in NOT_COMPARED][:6]
    ncols = min(3, len(shown))
    nrows = (len(shown) + ncols - 1) // ncols
    fig, axes = plt.subplots(nrows, ncols, figsize=(3.6 * ncols, (0.45 * len(policies) + 1.5) * nrows), squeeze=False)
    for ax in axes.flat[len(shown):]:
        ax.set_visible(False)
    for ax, outcome in zip(axes.flat, shown):
        rows = sub[sub["outcome"] == outcome].set_index("policy").reindex(policies)
        y = np.arange(len(policies))[::-1]
        for pol, yy in zip(policies, y):
            r = rows.loc[pol]
            st = _style_of(pol, order)
            ax.errorbar(r["diff"], yy, xerr=[[r["diff"] - r["ci_low"]], [r["ci_high"] - r["diff"]]], fmt=st["marker"], color=st["color"], capsize=3)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(y, policies)
        ax.set_title(outcome.replace("_", " "), fontsize=9)
        arrow = "← better" if better_sign(outcome) < 0 else "better →"
        ax.set_xlabel(f"difference vs {reference}\n({arrow})", fontsize=8)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle("Paired difference from the reference policy: mean and bootstrap 95% CI", fontsize=10)
    fig.tight_layout()
    return _png(fig, path)


def dose_figure(runs: pd.DataFrame, factor: str, outcome: str, seed: int, days: int | None, path: Path, order: list[str], by: str | None = None) -> Path:
    """Outcome against `factor`, one line per policy; with one policy and a second grid factor
    `by`, one line per level of `by` (the interaction a timing grid asks about)."""
    if by is not None:
        runs = runs.assign(policy=[f"{by.split('.')[-1]} = {v}" for v in runs[by]])
        order = list(dict.fromkeys(runs["policy"]))
    dr = dose_response(runs, factor, outcome, seed, days)
    fig, ax = plt.subplots(figsize=(6, 3.8))
    numeric = pd.api.types.is_numeric_dtype(dr["x"])
    cats = list(dict.fromkeys(runs[factor])) if not numeric else None
    for policy, sub in dr.groupby("policy", sort=False):
        x = sub["x"].astype(float) if numeric else sub["x"].map(cats.index)
        st = _style_of(policy, order)
        ax.plot(x, sub["mean"], label=policy, marker=st["marker"], linestyle=st["linestyle"], color=st["color"])
        ax.fill_between(x, sub["ci_low"], sub["ci_high"], color=st["color"], alpha=0.15)
    if cats is not None:
        ax.set_xticks(range(len(cats)), [str(c) for c in cats])
    ax.set_xlabel(factor)
    ax.set_ylabel(f"{outcome.replace('_', ' ')} (mean, 95% CI)")
    ax.set_title(f"{outcome.replace('_', ' ')} against {factor}" + (f", by {by}" if by else ""), fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return _png(fig, path)


def fan_figure(ts: pd.DataFrame, column: str, label: str, stages: list[dict[str, Any]], path: Path, order: list[str]) -> Path:
    policies = [p for p in order if p in set(ts["policy"])]
    q = fan(ts, column)
    n = len(policies)
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 2.8 * rows), squeeze=False, sharex=True, sharey=True)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    for ax, policy in zip(axes.flat, policies):
        sub = q[q["policy"] == policy]
        colour = _style_of(policy, order)["color"]
        for j, st in enumerate(s for s in stages if not s["name"].startswith("_")):
            if j % 2:
                ax.axvspan(st["start_day"] - 0.5, st["end_day"] + 0.5, color="0.92", lw=0)
        for st in stages:
            if st["name"] == "_voting_day":
                ax.axvline(st["start_day"], color="0.3", lw=0.8, ls=":")
        ax.fill_between(sub["day"], sub["q05"], sub["q95"], color=colour, alpha=0.18, lw=0, label="5–95%")
        ax.fill_between(sub["day"], sub["q25"], sub["q75"], color=colour, alpha=0.35, lw=0, label="25–75%")
        ax.plot(sub["day"], sub["q50"], color=colour, lw=1.4, label="median")
        ax.set_title(policy, fontsize=9)
        ax.grid(alpha=0.2)
    axes[0][0].legend(fontsize=7, loc="upper left")
    for ax in axes[-1]:
        ax.set_xlabel("day (grey bands: tahapan; dotted: voting day)")
    fig.suptitle(f"{label} over the calendar, across replicates", fontsize=10)
    return _png(fig, path)


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode()
    return f'<figure><img alt="{html.escape(path.stem)}" src="data:image/png;base64,{data}"><figcaption>{html.escape(path.name)}</figcaption></figure>'


def _fmt(v: Any, pct: bool = False) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "—"
    if pct:
        return f"{100 * v:.0f}%"
    if isinstance(v, float):
        return f"{v:,.3g}" if abs(v) < 1000 else f"{v:,.0f}"
    return str(v)


def table_html(table: pd.DataFrame, reference: str) -> str:
    out = ['<table><thead><tr><th>outcome</th><th>policy</th><th>n</th><th>mean</th><th>median</th>'
           f'<th>paired difference vs {html.escape(reference)} [95% CI]</th><th>better</th><th>worse</th></tr></thead><tbody>']
    for outcome, sub in table.groupby("outcome", sort=False):
        for _, r in sub.iterrows():
            ci = "—" if np.isnan(r["diff"]) else f"{_fmt(r['diff'])} [{_fmt(r['ci_low'])}, {_fmt(r['ci_high'])}]"
            strong = (not np.isnan(r["diff"])) and (r["ci_low"] > 0 or r["ci_high"] < 0)
            ci = f"<b>{ci}</b>" if strong else ci
            out.append(
                f"<tr><td>{html.escape(outcome)}</td><td>{html.escape(r['policy'])}</td><td>{r['n']}</td><td>{_fmt(r['mean'])}</td>"
                f"<td>{_fmt(r['median'])}</td><td>{ci}</td><td>{_fmt(r['better'], True)}</td><td>{_fmt(r['worse'], True)}</td></tr>"
            )
    out.append("</tbody></table>")
    return "\n".join(out)


CSS = """body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;color:#222;line-height:1.45}
table{border-collapse:collapse;font-size:0.85em;margin:1em 0}td,th{border:1px solid #bbb;padding:3px 7px;text-align:right}
td:first-child,td:nth-child(2),th{text-align:left}th{background:#eee}figure{margin:1.5em 0}img{max-width:100%}
figcaption{font-size:0.8em;color:#666}.meta td{text-align:left}"""


def write_report(folder: Path, out: Path | None = None) -> Path:
    """Make the HTML report and PNGs for a finished experiment folder; return the HTML path."""
    folder = Path(folder)
    runs, manifest, ts = load_results(folder)
    spec = manifest["spec"]
    out = Path(out) if out else folder / "report"
    out.mkdir(parents=True, exist_ok=True)
    reference = manifest.get("reference_policy") or spec["policies"][0]
    order = list(spec["policies"])
    outcomes = [o for o in spec["outcomes"] if o in runs]
    seed = int(spec["master_seed"])
    stage_ends = [st["end_day"] for st in manifest.get("stages", [])]
    days = spec.get("days") or (max(stage_ends) + 1 if stage_ends else None)  # "no incident" = after the last day
    table = comparison_table(runs, outcomes, reference, seed, days)
    atomic_write(out / "comparison.csv", lambda p: table.to_csv(p, index=False))
    points = manifest.get("points", [{"point": 0}])
    factors = [k for k in spec.get("grid", {})] + list((spec.get("lhs") or {}).get("ranges", {}))
    sections: list[str] = []
    for pt in points[:12]:
        p = pt["point"]
        label = ", ".join(f"{k} = {v}" for k, v in pt.items() if k != "point") or "all runs"
        figs_here = [comparison_figure(table, outcomes, reference, p, out / f"comparison_p{p:03d}.png", order)] if len(runs["policy"].unique()) > 1 else []
        sections.append(f"<h3>Design point {p}: {html.escape(label)}</h3>" + table_html(table[table["point"] == p], reference) + "".join(_img(f) for f in figs_here))
    if len(points) > 12:
        sections.append(f"<p>{len(points) - 12} more design points: see comparison.csv.</p>")
    dose_html = []
    grid = list(spec.get("grid", {}))
    for factor in factors:
        others = [g for g in grid if g != factor]
        by = others[0] if len(order) == 1 and len(others) == 1 and runs[others[0]].nunique() <= 6 else None
        for outcome in outcomes[:2]:
            f = dose_figure(runs, factor, outcome, seed, days, out / f"dose_{_slug(factor)}_{outcome}.png", order, by=by)
            dose_html.append(_img(f))
    fan_html = []
    if ts is not None and len(ts):
        ts = ts.sort_values(["run_id", "day"]).copy()
        ts["cum_incidents"] = ts.groupby("run_id")["incidents"].cumsum()
        for column, label in FAN_COLUMNS.items():
            f = fan_figure(ts, column, label, manifest.get("stages", []), out / f"fan_{column}.png", order)
            fan_html.append(_img(f))
    meta = {
        "experiment": manifest["experiment"],
        "scenario": f"{manifest.get('scenario_name')} ({manifest.get('scenario_file')}, sha256/16 {manifest.get('scenario_sha256_16')})",
        "policies": ", ".join(spec["policies"]) + f" — reference: {reference}",
        "replicates": f"{spec['replicates']} per policy and design point, common random numbers (master seed {seed})",
        "runs": manifest["runs"],
        "SIAGA": f"{manifest.get('siaga_version')} (git {manifest.get('git_revision') or 'n/a'})",
        "finished": manifest.get("finished_at"),
    }
    outcome_notes = "".join(f"<li><b>{html.escape(o)}</b>: {html.escape(OUTCOMES.get(o, ''))}</li>" for o in outcomes)
    page = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(manifest['experiment'])} — SIAGA experiment report</title><style>{CSS}</style></head><body>
<h1>{html.escape(manifest['experiment'])}</h1>
<p>{html.escape(spec.get('description') or '')}</p>
<table class="meta">{''.join(f'<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>' for k, v in meta.items())}</table>
<h2>Comparison with {html.escape(reference)}</h2>
<p>Replicate <i>k</i> of every policy used the same seed, so differences are paired. "Paired difference" is the mean of
policy − reference over replicates with a percentile bootstrap 95% interval (2,000 resamples; bold when it excludes 0);
"better"/"worse" are the shares of replicates where the policy did strictly better/worse than the reference on that outcome.
For first_incident_day, runs without an incident count as the last day.</p>
<ul>{outcome_notes}</ul>
{''.join(sections)}
{'<h2>Dose–response</h2><p>Mean with bootstrap 95% band; other factors averaged over.</p>' + ''.join(dose_html) if dose_html else ''}
{'<h2>Over the calendar</h2><p>Median, 25–75% and 5–95% of replicates, per policy.</p>' + ''.join(fan_html) if fan_html else ''}
<p style="font-size:0.8em;color:#666">Made by <code>siaga experiment report</code>. Tables: comparison.csv next to this file; raw runs: runs.parquet.</p>
</body></html>"""
    target = out / "report.html"
    atomic_write(target, lambda p: p.write_text(page, encoding="utf-8"))
    return target


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name).strip("_")
