"""After the fit: the posterior as tables, pyABC's diagnostics, posterior predictive checks of
every target, and the held-out targets scored with proper scoring rules.

- `posterior.parquet`: the last generation, one row per particle (parameter columns, `weight`,
  `generation`); `populations.parquet`: every generation in the same shape.
- `marginals.png`, `pairwise.png`, `ess.png`, `acceptance.png`, `epsilons.png`: pyabc.visualization.
- `ppc.csv`, `ppc.png`: for every target and part (window, category, component), the observed
  share or rate next to the posterior predictive mean and 50% / 90% intervals, from `check.draws`
  parameter sets drawn from the posterior by weight, each run on `seeds_per_particle` fresh seeds;
  with `check.baseline`, the same for the scenario's own parameters on the same seeds.
  `ppc_targets.csv`: per target, the posterior predictive p-value of its deviance.
- `scores.csv`: CRPS (scoringrules) of each share or rate, averaged over a target's parts, for the
  posterior predictive, the uncalibrated scenario and a naive forecast (equal shares); a
  qualitative target (`majority`) is scored with the Brier score. Lower is better.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from common.atomic import atomic_write, write_table
from experiments.calibration.distance import target_deviance
from experiments.calibration.simulator import TAG_CHECK, TAG_DRAWS, Simulator, run_seed
from experiments.calibration.summaries import observed as observed_counts
from experiments.calibration.summaries import pool, statistic
from experiments.calibration.targets import CategoryTarget, MajorityTarget, RateTarget, Target, TimingTarget


def posterior_tables(history: Any, names: Sequence[str], log_names: Sequence[str] = ()) -> pd.DataFrame:
    """Every generation's weighted particles: parameter columns (in the scenario's units; pyABC
    holds loguniform parameters as log10), `weight`, `generation`."""
    frames = []
    for t in range(int(history.max_t) + 1):
        df, w = history.get_distribution(m=0, t=t)
        df = df.reset_index(drop=True)
        frame = pd.DataFrame({n: 10.0 ** df[n].to_numpy(dtype=float) if n in log_names else df[n].to_numpy(dtype=float) for n in names})
        frame["weight"] = np.asarray(w, dtype=float)
        frame["generation"] = t
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def draw_parameters(final: pd.DataFrame, names: Sequence[str], draws: int, seed: int) -> list[dict[str, float]]:
    """`draws` parameter sets from the posterior, by weight, with a generator from the calibration's seed."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, TAG_DRAWS]))
    w = final["weight"].to_numpy(dtype=float)
    idx = rng.choice(len(final), size=draws, replace=True, p=w / w.sum())
    return [{n: float(final.iloc[i][n]) for n in names} for i in idx]


def _run_job(sim: Simulator, scenario: dict[str, Any], seed: int) -> tuple[dict[str, np.ndarray], float]:
    started = time.perf_counter()
    out = sim.run_one(scenario, seed)
    return out, time.perf_counter() - started


def _map(jobs: list[tuple[Simulator, dict[str, Any], int]], processes: int, client: Any) -> list[tuple[dict[str, np.ndarray], float]]:
    """Run the check's model runs: on the Dask client, in local processes, or here."""
    if client is not None:
        futures = client.map(_run_job, *zip(*jobs), pure=False)
        return client.gather(futures)
    if processes <= 1 or len(jobs) <= 1:
        return [_run_job(*j) for j in jobs]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(max_workers=processes, mp_context=multiprocessing.get_context("spawn")) as pool_:
        return list(pool_.map(_run_job, *zip(*jobs), chunksize=max(1, len(jobs) // (4 * processes))))


def predictive(problem: Any, parameter_sets: Sequence[Mapping[str, float]], processes: int, client: Any) -> tuple[list[dict[str, np.ndarray]], list[float]]:
    """Pooled counts of every target for each parameter set, each on its own fresh seeds
    (SeedSequence of the calibration's seed, the check's tag and the draw's index)."""
    sim = problem.simulator(TAG_CHECK, targets=problem.targets)
    jobs, owner = [], []
    for i, params in enumerate(parameter_sets):
        scenario = sim.scenario(params)
        for k in range(problem.spec.seeds_per_particle):
            jobs.append((sim, scenario, run_seed(problem.spec.seed, TAG_CHECK, [float(i)], k)))
            owner.append(i)
    results = _map(jobs, processes, client)
    pooled = [pool(r for (r, _), o in zip(results, owner) if o == i) for i in range(len(parameter_sets))]
    return pooled, [s for _, s in results]


def _parts(target: Target, used: Sequence[int] | None) -> list[str]:
    if isinstance(target, TimingTarget):
        return [target.labels()[i] for i in used]  # type: ignore[union-attr]
    if isinstance(target, CategoryTarget):
        names = list(target.categories)
        return [names[i] for i in used]  # type: ignore[union-attr]
    if isinstance(target, RateTarget):
        return [f"{c} per incident" for c in target.components]
    return [f"share of {'/'.join(target.incident_kinds)} in {'/'.join(target.stages)}"]


def observed_statistic(target: Target, used: Sequence[int] | None) -> np.ndarray:
    if isinstance(target, MajorityTarget):
        return np.array([np.nan])  # a statement, not a number: scored as an event (Brier)
    counts = observed_counts(target)
    if isinstance(target, RateTarget):
        return counts[1:] / counts[0]
    return statistic(target, counts, used)


def _stats(target: Target, pooled: Sequence[Mapping[str, np.ndarray]], name: str, used: Sequence[int] | None) -> np.ndarray:
    return np.array([statistic(target, p[name], used) for p in pooled])  # draws x parts


def _crps(obs: float, ens: np.ndarray) -> float:
    import scoringrules as sr

    ens = ens[np.isfinite(ens)]
    if len(ens) == 0 or not np.isfinite(obs):
        return float("nan")
    return float(sr.crps_ensemble(obs, ens))


def _ppp(target: Target, obs_counts: np.ndarray, pooled: Sequence[Mapping[str, np.ndarray]], name: str, used: Sequence[int] | None,
         pseudo_count: float, seed: int) -> float:
    """Posterior predictive p-value of the deviance: the share of draws where data simulated from
    the draw's predictive (shares from a Dirichlet on its counts + α, as the distance assumes,
    then multinomial) fit it worse than the real data do. Near 0: the data
    are unusual under the fitted model. Count targets of the multinomial kind only."""
    if not isinstance(target, TimingTarget | CategoryTarget):
        return float("nan")
    rng = np.random.default_rng(np.random.SeedSequence([seed, TAG_CHECK, 0x999]))
    idx = list(used) if used is not None else list(range(len(obs_counts)))
    o = obs_counts[idx]
    n = int(o.sum())
    worse = []
    for p in pooled:
        m = np.asarray(p[name], dtype=float)[idx]
        probs = rng.dirichlet(m + pseudo_count)
        d_obs = target_deviance(target, obs_counts, np.asarray(p[name], dtype=float), idx, pseudo_count)
        rep = np.zeros_like(np.asarray(p[name], dtype=float))
        rep[idx] = rng.multinomial(n, probs)
        worse.append(target_deviance(target, rep, np.asarray(p[name], dtype=float), idx, pseudo_count) >= d_obs)
    return float(np.mean(worse))


def check_tables(problem: Any, pooled: Sequence[Mapping[str, np.ndarray]], baseline: Sequence[Mapping[str, np.ndarray]] | None
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The per-part PPC table, the per-target table (deviance p-values) and the scores table."""
    rows, trows, srows = [], [], []
    fit = set(problem.spec.targets.fit)
    for name, target in problem.targets.items():
        used = problem.used[name]
        role = "fit" if name in fit else "held out"
        parts = _parts(target, used)
        obs = observed_statistic(target, used)
        post = _stats(target, pooled, name, used)
        base = _stats(target, baseline, name, used) if baseline else None
        for j, part in enumerate(parts):
            col = post[:, j]
            q = np.nanquantile(col, [0.05, 0.25, 0.5, 0.75, 0.95]) if np.isfinite(col).any() else [np.nan] * 5
            row = {"target": name, "role": role, "part": part, "observed": obs[j], "mean": np.nanmean(col) if np.isfinite(col).any() else np.nan,
                   "q05": q[0], "q25": q[1], "median": q[2], "q75": q[3], "q95": q[4],
                   "inside_90": bool(q[0] <= obs[j] <= q[4]) if np.isfinite(obs[j]) else None,
                   "draws_without_incidents": int((~np.isfinite(col)).sum())}
            if base is not None:
                bq = np.nanquantile(base[:, j], [0.05, 0.5, 0.95]) if np.isfinite(base[:, j]).any() else [np.nan] * 3
                row.update(baseline_q05=bq[0], baseline_median=bq[1], baseline_q95=bq[2])
            rows.append(row)
        obs_counts = observed_counts(target) if not isinstance(target, MajorityTarget) else None
        if obs_counts is not None:
            devs = [target_deviance(target, obs_counts, np.asarray(p[name], dtype=float), used, problem.spec.distance.pseudo_count) for p in pooled]
            trows.append({"target": name, "role": role, "deviance_median": float(np.median(devs)),
                          "ppp_value": _ppp(target, obs_counts, pooled, name, used, problem.spec.distance.pseudo_count, problem.spec.seed),
                          "not_compared": "; ".join(problem.left_out.get(name, []))})
        srows.append(_score_row(name, role, target, obs, post, base))
    return pd.DataFrame(rows), pd.DataFrame(trows), pd.DataFrame(srows)


def _score_row(name: str, role: str, target: Target, obs: np.ndarray, post: np.ndarray, base: np.ndarray | None) -> dict[str, Any]:
    if isinstance(target, MajorityTarget):
        def brier(stats: np.ndarray) -> float:
            s = stats[:, 0][np.isfinite(stats[:, 0])]
            return float((1.0 - np.mean(s > target.threshold)) ** 2) if len(s) else float("nan")

        return {"target": name, "role": role, "rule": "Brier (event: the statement holds)", "posterior": brier(post),
                "uncalibrated": brier(base) if base is not None else np.nan, "naive": 0.25, "naive_is": "probability 1/2"}
    mean = lambda stats: float(np.nanmean([_crps(obs[j], stats[:, j]) for j in range(len(obs))]))  # noqa: E731
    naive, naive_is = np.nan, ""
    if isinstance(target, TimingTarget | CategoryTarget):
        naive, naive_is = float(np.mean(np.abs(obs - 1.0 / len(obs)))), "equal shares (a point forecast)"
    return {"target": name, "role": role, "rule": "CRPS, mean over parts", "posterior": mean(post),
            "uncalibrated": mean(base) if base is not None else np.nan, "naive": naive, "naive_is": naive_is}


def _savefig(fig: Any, path: Path) -> None:
    import matplotlib.pyplot as plt

    atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=110, bbox_inches="tight"))
    plt.close(fig)


def ppc_figure(table: pd.DataFrame, path: Path, thresholds: Mapping[str, float] | None = None) -> None:
    """One panel per target: observed against the posterior predictive's 50% and 90% intervals
    (and the uncalibrated scenario's median and 90%, offset to the right)."""
    thresholds = thresholds or {}
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(dict.fromkeys(table["target"]))
    fig, axes = plt.subplots(len(names), 1, figsize=(9, 2.8 * len(names)), squeeze=False)
    for ax, name in zip(axes[:, 0], names):
        t = table[table["target"] == name].reset_index(drop=True)
        x = np.arange(len(t))
        ax.vlines(x, t["q05"], t["q95"], color="tab:blue", lw=2, alpha=0.5, label="posterior predictive 90%")
        ax.vlines(x, t["q25"], t["q75"], color="tab:blue", lw=6, alpha=0.8, label="50%")
        if "baseline_median" in t:
            ax.plot(x + 0.2, t["baseline_median"], "x", color="grey", label="uncalibrated scenario (median)")
            ax.vlines(x + 0.2, t["baseline_q05"], t["baseline_q95"], color="grey", lw=1)
        ax.plot(x, t["observed"], "o", color="black", label="observed")
        if name in thresholds:
            ax.axhline(thresholds[name], ls="--", color="black", lw=1, label=f"the statement: above {thresholds[name]:g}")
        ax.set_xticks(x, t["part"], rotation=20, ha="right", fontsize=8)
        ax.set_xlim(-0.5, len(t) - 0.5)
        ax.set_ylabel("rate per incident" if "per incident" in str(t["part"][0]) else "share", fontsize=8)
        ax.set_title(f"{name} ({t['role'][0]})", fontsize=10)
        ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    _savefig(fig, path)


def diagnostics(history: Any, populations: pd.DataFrame, problem: Any, out: Path) -> list[str]:
    """pyABC's own plots: marginals per generation, pairwise densities, ESS, acceptance, epsilons."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pyabc.visualization as viz

    written = []
    # loguniform parameters are drawn on log10 scale, as pyABC samples them
    shown = {n: f"log10 {n}" if n in problem.log_names else n for n in problem.names}
    pops = populations.rename(columns=shown)
    for n in problem.log_names:
        pops[shown[n]] = np.log10(populations[n])
    names = list(shown.values())
    limits = {shown[n]: (np.log10(p.low), np.log10(p.high)) if n in problem.log_names else (p.low, p.high) for n, p in problem.spec.parameters.items()}
    last = int(pops["generation"].max())
    fig, axes = plt.subplots(1, len(names), figsize=(4 * len(names), 3), squeeze=False)
    for ax, n in zip(axes[0], names):
        for t in sorted(pops["generation"].unique()):
            pop = pops[pops["generation"] == t]
            viz.plot_kde_1d(pop[names], pop["weight"].to_numpy(), x=n, xmin=limits[n][0], xmax=limits[n][1], ax=ax,
                            label=f"generation {t}", alpha=1.0 if t == last else 0.4)
        ax.set_title(n, fontsize=9)
    axes[0, -1].legend(fontsize=7)
    fig.tight_layout()
    _savefig(fig, out / "marginals.png")
    written.append("marginals.png")
    if len(names) >= 2:
        pop = pops[pops["generation"] == last]
        grid = viz.plot_kde_matrix(pop[names], pop["weight"].to_numpy(), limits=limits)
        _savefig(grid.fig if hasattr(grid, "fig") else plt.gcf(), out / "pairwise.png")
        written.append("pairwise.png")
    for fname, fn in (("ess.png", viz.plot_effective_sample_sizes), ("acceptance.png", viz.plot_acceptance_rates_trajectory),
                      ("epsilons.png", viz.plot_epsilons)):
        ax = fn(history)
        _savefig(ax.get_figure(), out / fname)
        written.append(fname)
    return written


def write_outputs(problem: Any, history: Any, out: Path, processes: int, client: Any, log: Callable[[str], None]) -> dict[str, Any]:
    names = problem.names
    populations = posterior_tables(history, names, problem.log_names)
    final = populations[populations["generation"] == populations["generation"].max()].reset_index(drop=True)
    write_table(populations, out / "populations", "parquet")
    write_table(final, out / "posterior", "parquet")
    figures = diagnostics(history, populations, problem, out)
    check = problem.spec.check
    draws = draw_parameters(final, names, check.draws, problem.spec.seed)
    log(f"posterior predictive check: {check.draws} draws x {problem.spec.seeds_per_particle} run(s)"
        + (", and as many with the scenario's own parameters" if check.baseline else ""))
    started = time.perf_counter()
    pooled, secs = predictive(problem, draws, processes, client)
    baseline = None
    if check.baseline:
        baseline, bsecs = predictive(problem, [{}] * check.draws, processes, client)
        secs = [*secs, *bsecs]
    check_wall = time.perf_counter() - started
    table, per_target, scores = check_tables(problem, pooled, baseline)
    write_table(table, out / "ppc", "csv")
    write_table(per_target, out / "ppc_targets", "csv")
    write_table(scores, out / "scores", "csv")
    ppc_figure(table, out / "ppc.png", {k: t.threshold for k, t in problem.targets.items() if isinstance(t, MajorityTarget)})
    weights = final["weight"].to_numpy()
    summary = {n: {"mean": float(np.average(final[n], weights=weights)),
                   "q05": float(weighted_quantile(final[n].to_numpy(), weights, 0.05)),
                   "q95": float(weighted_quantile(final[n].to_numpy(), weights, 0.95))} for n in names}
    return {
        "posterior_summary": summary,
        "check_runs": len(secs),
        "seconds_per_run_mean": float(np.mean(secs)) if secs else None,
        "check_wall_seconds": check_wall,
        "scores": scores.to_dict(orient="records"),
        "ppp_values": per_target.set_index("target")["ppp_value"].to_dict() if len(per_target) else {},
        "files": ["posterior.parquet", "populations.parquet", "ppc.csv", "ppc_targets.csv", "scores.csv", "ppc.png", *figures, "abc.db"],
    }


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The smallest value whose cumulative weight reaches the share q of the total."""
    order = np.argsort(x)
    cw = np.cumsum(w[order]) / np.sum(w)
    return float(x[order][min(np.searchsorted(cw, q), len(x) - 1)])


__all__ = ["check_tables", "draw_parameters", "posterior_tables", "predictive", "weighted_quantile", "write_outputs"]
