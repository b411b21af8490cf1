"""`siaga experiment sensitivity FILE`: which parameters move the outcomes, with SALib.

Morris elementary effects screen many parameters cheaply (mu* with a bootstrap CI, sigma for
non-linearity/interaction); Sobol indices apportion the variance (first-order S1 and total ST,
with CIs). Samples run through the same engine and results folder as experiments, so a killed
analysis resumes. Each sample is run with the same `replicates` seeds (common random numbers)
and its outcome averaged over them, which removes seed noise from the differences between samples.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.atomic import atomic_write, write_json
from common.version import __version__
from experiments.design import Task, design_digest, replicate_seed, resolve_scenario_file, scenario_sha
from experiments.engine import execute_tasks, git_revision
from experiments.spec import ExperimentError, SensitivitySpec, load_sensitivity
from experiments.store import ResultStore
from scenarios.budget import check_memory
from scenarios.loader import ScenarioError, deep_merge, expand_dotted, read_toml, scenario_roots, validate


def problem(spec: SensitivitySpec) -> dict[str, Any]:
    names = list(spec.parameters)
    return {"num_vars": len(names), "names": names, "bounds": [[spec.parameters[n].low, spec.parameters[n].high] for n in names]}


def sample(spec: SensitivitySpec) -> np.ndarray:
    from SALib.sample import morris as morris_sample
    from SALib.sample import sobol as sobol_sample

    prob = problem(spec)
    if spec.method == "morris":
        x = morris_sample.sample(prob, spec.samples, num_levels=spec.levels, seed=spec.master_seed % (2**32))
    else:
        x = sobol_sample.sample(prob, spec.samples, calc_second_order=False, seed=spec.master_seed % (2**32))
    for j, name in enumerate(prob["names"]):
        if spec.parameters[name].integer:
            x[:, j] = np.round(x[:, j])
    return x


def build_tasks(spec: SensitivitySpec, spec_path: Path | None) -> tuple[list[Task], np.ndarray, dict[str, Any]]:
    scen_path = resolve_scenario_file(spec.scenario, spec_path)
    try:
        # the scenario's own `extends` chain stays in the sensitivity file's folders, as for experiments
        base = read_toml(scen_path, roots=scenario_roots(spec_path) if spec_path else None)
    except ScenarioError as exc:
        raise ExperimentError(f"{spec_path or 'sensitivity'}: field `scenario`: {exc}") from None
    x = sample(spec)
    names = list(spec.parameters)
    tasks: list[Task] = []
    for i, row in enumerate(x):
        factors = {n: (int(v) if spec.parameters[n].integer else float(v)) for n, v in zip(names, row)}
        overrides = {**spec.set, **factors, "policy.presets": spec.policy.split("+")}
        if spec.days is not None:
            overrides["days"] = spec.days
        try:  # every sample, before anything runs: a range over a size must fit in memory at its top
            source = f"{spec_path or 'sensitivity'}: parameters, sample {i}"
            check_memory(validate(deep_merge(base, expand_dotted(overrides, source)), source), source)
        except ScenarioError as exc:
            raise ExperimentError(str(exc)) from None
        for k in range(spec.replicates):
            tasks.append(Task(index=len(tasks), run_id=f"s{i:05d}-r{k:03d}", point=i, policy=spec.policy, replicate=k,
                              seed=replicate_seed(spec.master_seed, k), factors=factors, overrides=overrides, scenario=base,
                              days=spec.days, timeseries=False, events=False))
    facts = {"scenario_file": str(scen_path), "scenario_name": base.get("name", scen_path.stem), "scenario_sha256_16": scenario_sha(base), "samples": len(x), "runs": len(tasks)}
    return tasks, x, facts


def analyse(spec: SensitivitySpec, x: np.ndarray, y: np.ndarray) -> pd.DataFrame:
    from SALib.analyze import morris as morris_analyze
    from SALib.analyze import sobol as sobol_analyze

    prob = problem(spec)
    seed = spec.master_seed % (2**32)
    if spec.method == "morris":
        res = morris_analyze.analyze(prob, x, y, conf_level=0.95, num_resamples=1000, num_levels=spec.levels, seed=seed)
        return pd.DataFrame({"parameter": prob["names"], "mu_star": res["mu_star"], "mu_star_conf": res["mu_star_conf"], "mu": res["mu"], "sigma": res["sigma"]})
    res = sobol_analyze.analyze(prob, y, calc_second_order=False, conf_level=0.95, num_resamples=1000, seed=seed)
    return pd.DataFrame({"parameter": prob["names"], "S1": res["S1"], "S1_conf": res["S1_conf"], "ST": res["ST"], "ST_conf": res["ST_conf"]})


def chart(spec: SensitivitySpec, tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """Tornado-style horizontal bars, largest effect on top, 95% CI whiskers."""
    import matplotlib  # like SALib above: only when a chart is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(len(tables), 1, figsize=(7.5, (0.42 * len(spec.parameters) + 1.6) * len(tables)), squeeze=False)
    for ax, (outcome, t) in zip(axes[:, 0], tables.items()):
        if spec.method == "morris":
            t = t.sort_values("mu_star")
            y = np.arange(len(t))
            ax.barh(y, t["mu_star"], xerr=t["mu_star_conf"], color="0.55", capsize=3, label="μ* (95% CI)")
            ax.plot(t["sigma"], y, "o", ms=6, mfc="white", mec="black", label="σ (spread of effects: non-linearity, interactions)")
            ax.set_xlabel("Morris μ* (mean |elementary effect| per normalised range) and σ")
        else:
            t = t.sort_values("ST")
            y = np.arange(len(t))
            ax.barh(y + 0.2, t["ST"], height=0.4, xerr=t["ST_conf"], color="0.35", capsize=3, label="total ST")
            ax.barh(y - 0.2, t["S1"], height=0.4, xerr=t["S1_conf"], color="0.75", capsize=3, label="first-order S1")
            ax.set_xlabel("Sobol index (95% CI)")
        ax.set_yticks(y, t["parameter"], fontsize=8)
        ax.set_title(outcome.replace("_", " "), fontsize=10)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"{spec.name}\n({'Morris screening' if spec.method == 'morris' else 'Sobol indices'}, 95% CI)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130, bbox_inches="tight")
    plt.close(fig)
    return path


def run_sensitivity(spec_or_path: SensitivitySpec | str | Path, out: str | Path, workers: int | None = None, scheduler: Any = None,
                    resume: bool = False, progress=None) -> dict[str, Any]:
    if isinstance(spec_or_path, SensitivitySpec):
        spec, spec_path = spec_or_path, None
    else:
        spec, spec_path = load_sensitivity(spec_or_path)
    tasks, x, facts = build_tasks(spec, spec_path)
    store = ResultStore(out)
    store.acquire()
    try:
        store.check_design(design_digest(tasks), {"sensitivity": spec.model_dump(mode="json"), **facts}, resume)
        store.clean_temporaries()
        stats = execute_tasks(tasks, store, workers=workers, scheduler=scheduler, progress=progress)
        store.consolidate(tasks)
        runs = pd.read_parquet(store.root / "runs.parquet")
        tables = {}
        for outcome in spec.outcomes:
            y = runs.groupby("point")[outcome].mean().reindex(range(len(x))).to_numpy(dtype=float)
            if np.isnan(y).any():
                raise ExperimentError(f"outcome {outcome!r} is undefined (NaN) in some samples; choose another outcome")
            tables[outcome] = analyse(spec, x, y)
        long = pd.concat([t.assign(outcome=o) for o, t in tables.items()], ignore_index=True)
        table_path = store.root / "indices.csv"
        atomic_write(table_path, lambda p: long.to_csv(p, index=False))
        chart_path = chart(spec, tables, store.root / "sensitivity.png")
        key = "mu_star" if spec.method == "morris" else "ST"
        lines = [f"{spec.name} ({spec.method}, {len(x)} samples x {spec.replicates} seeds = {len(tasks)} runs)"]
        for outcome, t in tables.items():
            top = t.sort_values(key, ascending=False).head(5)
            lines.append(f"  {outcome}: " + ", ".join(f"{r.parameter} {key}={getattr(r, key):.3g}" for r in top.itertuples()))
        summary = "\n".join(lines)
        html_path = store.root / "sensitivity.html"
        import base64

        img = base64.b64encode(chart_path.read_bytes()).decode()
        page = (f"<!doctype html><html><head><meta charset='utf-8'><title>{spec.name}</title></head><body style='font-family:sans-serif;max-width:1000px;margin:2em auto'>"
                f"<h1>{spec.name}</h1><p>{spec.description}</p><pre>{summary}</pre>{long.to_html(index=False, float_format=lambda v: f'{v:.3g}')}"
                f"<img style='max-width:100%' src='data:image/png;base64,{img}'></body></html>")
        atomic_write(html_path, lambda p: p.write_text(page, encoding="utf-8"))
        manifest = {"sensitivity": spec.name, "siaga_version": __version__, "git_revision": git_revision(), **facts,
                    "spec": spec.model_dump(mode="json"), "execution": stats, "files": ["runs.parquet", "indices.csv", "sensitivity.png", "sensitivity.html"]}
        write_json(manifest, store.root / "manifest.json")
        write_json({"names": list(spec.parameters), "samples": x.tolist()}, store.root / "samples.json")
        return {"summary": summary, "table": table_path, "chart": chart_path, "html": html_path, "manifest": manifest}
    finally:
        store.release()
