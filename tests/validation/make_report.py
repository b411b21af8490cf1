"""Regenerate the figures and numbers of docs/VALIDATION.md.

    .venv/bin/python tests/validation/make_report.py            # 30 seeds: ~25 min on 2 cores
    .venv/bin/python tests/validation/make_report.py --seeds 10 # quick look

Writes docs/figures/validation_*.png and tests/validation/data/report_results.json. The Mesa side
of the Epstein docking is read from the stored reference (tests/validation/data/, regenerate with
tests/validation/epstein_dock.py); everything else is recomputed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
from scipy.stats import ks_2samp  # noqa: E402

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import epstein_dock as ed  # noqa: E402
import siaga_runs as sr  # noqa: E402
from test_validation_classic import PUBLISHED, maki_thompson_limit, model_day_final_size  # noqa: E402

from simulation.classic import granovetter, rumour_final_size  # noqa: E402

FIG = HERE.parent.parent / "docs" / "figures"
RESULTS = HERE / "data" / "report_results.json"
POLICIES = {
    "late": ("late",),
    "kades_early": ("kades_early",),
    "police_early": ("police_early",),
    "kades+police early": ("kades_early", "police_early"),
    "joint": ("joint",),
}
DELAYS = (0, 1, 3, 7, 14, 28)


def granovetter_figure(out: dict) -> None:
    g = nx.complete_graph(100)
    ks = np.arange(1, 99)
    sizes = []
    for k in ks:
        t = np.arange(100)
        t[k] = k + 1
        sizes.append(int(granovetter(g, t)[0].sum()))
    full = int(granovetter(g, np.arange(100))[0].sum())
    out["granovetter"] = {"uniform": full, "threshold_1_to_2": sizes[0], "final_size_equals_k": bool(np.array_equal(sizes, ks))}
    fig, ax = plt.subplots(figsize=(5, 3.5))
    ax.plot(ks, sizes, ".", ms=4, label="SIAGA kernel")
    ax.plot(ks, ks, "-", lw=0.8, color="grey", label="Granovetter: riot stops at k")
    ax.set(xlabel="threshold k raised to k+1", ylabel="people who riot", title="Check 1: Granovetter's riot (N = 100)")
    ax.legend(frameon=False)
    fig.tight_layout()
    fig.savefig(FIG / "validation_granovetter.png", dpi=120)
    plt.close(fig)


def rumour_figure(out: dict, n_seeds: int) -> None:
    fine = np.array([rumour_final_size(10_000, s) for s in range(n_seeds)])
    day = np.array([model_day_final_size(10_000, s) for s in range(n_seeds)])
    out["rumour"] = {
        "limit": maki_thompson_limit(), "fine_mean": fine.mean(), "fine_sd": fine.std(ddof=1),
        "model_day_mean": day.mean(), "model_day_sd": day.std(ddof=1), "n_seeds": n_seeds,
    }
    fig, ax = plt.subplots(figsize=(5, 3.5))
    bins = np.linspace(0.17, 0.23, 25)
    ax.hist(fine, bins, alpha=0.6, label="contact prob. 0.05 per substep")
    ax.hist(day, bins, alpha=0.6, label="model day step (4 substeps)")
    ax.axvline(PUBLISHED, color="k", lw=1, label="Maki-Thompson limit 0.203")
    ax.axvspan(PUBLISHED - 0.01, PUBLISHED + 0.01, color="grey", alpha=0.15, label="tolerance")
    ax.set(xlabel="share never hearing the rumour (N = 10^4)", ylabel="runs", title="Check 3: rumour final size")
    ax.legend(frameon=False, fontsize=7)
    fig.tight_layout()
    fig.savefig(FIG / "validation_rumour.png", dpi=120)
    plt.close(fig)


def ecdf(ax, x, label):
    s = np.sort(x)
    ax.step(s, np.arange(1, len(s) + 1) / len(s), where="post", label=label)


def epstein_figure(out: dict, n_seeds: int) -> None:
    mesa, _, meta = ed.load_reference()
    seeds = meta["seeds"][:n_seeds]
    mesa = mesa[: len(seeds)]
    paired = np.stack([ed.siaga_series_on_mesa_lattice(s, mesa.shape[1]) for s in seeds])
    own = np.stack([ed.siaga_series(s, mesa.shape[1]) for s in range(len(seeds))])
    n_sync = min(len(seeds), 10)
    sync = np.stack([ed.siaga_series_on_mesa_lattice(s, mesa.shape[1], schedule="synchronous") for s in seeds[:n_sync]])
    sm, sp, so, sy = (ed.summarise(x) for x in (mesa, paired, own, sync))
    res = {"runs": len(seeds), "mesa_version": meta["mesa_version"], "measures": {}}
    fig, axes = plt.subplots(2, 2, figsize=(9, 6.5))
    axes[0, 0].plot(mesa[0], lw=0.8, label=f"Mesa example (seed {seeds[0]})")
    axes[0, 0].plot(paired[0], lw=0.8, label="SIAGA EpsteinOnGraph, same lattice")
    axes[0, 0].axhline(ed.OUTBURST, color="grey", lw=0.6, ls="--")
    axes[0, 0].set(xlabel="tick", ylabel="active citizens", title="Punctuated equilibrium, movement off")
    axes[0, 0].legend(frameon=False, fontsize=7)
    labels = ("active citizens (every 25 ticks)", "outburst peak size", "ticks between outbursts")
    for ax, m, label in zip(axes.ravel()[1:], ("actives", "peaks", "intervals"), labels):
        a, b, o, c = (getattr(x, m) for x in (sm, sp, so, sy))
        d, p = ed.paired_permutation_ks(paired, mesa, m)
        ds, ps = ed.paired_permutation_ks(sync, mesa[:n_sync], m) if len(c) else (None, None)
        r_own = ks_2samp(o, a)
        res["measures"][m] = {
            "mesa_n": len(a), "siaga_n": len(b), "mesa_mean": float(a.mean()), "siaga_mean": float(b.mean()),
            "ks_D": d, "perm_p": p,
            "own_lattices_mean": float(o.mean()), "own_lattices_ks_D": float(r_own.statistic), "own_lattices_naive_p": float(r_own.pvalue),
            "synchronous_n": len(c), "synchronous_mean": float(c.mean()) if len(c) else None, "synchronous_ks_D": ds, "synchronous_perm_p": ps,
        }
        ecdf(ax, a, f"Mesa (n={len(a)})")
        ecdf(ax, b, f"SIAGA, same lattices (n={len(b)}): D={d:.2f}, p={p:.2f}")
        ecdf(ax, o, f"SIAGA, own lattices (n={len(o)})")
        if len(c):
            ecdf(ax, c, f"SIAGA synchronous, 10 lattices (n={len(c)})")
        ax.set(xlabel=label, ylabel="ECDF")
        ax.legend(frameon=False, fontsize=6)
    res["run_means"] = {"mesa": float(sm.run_means.mean()), "siaga": float(sp.run_means.mean()), "siaga_own_lattices": float(so.run_means.mean())}
    res["run_outbursts"] = {"mesa": float(sm.run_outbursts.mean()), "siaga": float(sp.run_outbursts.mean()), "siaga_own_lattices": float(so.run_outbursts.mean())}
    res["cops_per_lattice"] = {
        "mesa": float(np.mean([(ed.mesa_initial_condition(s)[0] == 2).sum() for s in seeds])),
        "siaga_own": float(np.mean([ed.siaga_model(s).cop.sum() for s in range(len(seeds))])),
    }
    out["epstein"] = res
    fig.suptitle("Check 2: Epstein docking, SIAGA vs Mesa's example (L 0.75, cops 4%, J 30, von Neumann 7, round)", fontsize=9)
    fig.tight_layout()
    fig.savefig(FIG / "validation_epstein.png", dpi=120)
    plt.close(fig)


def facts_figure(out: dict, seeds) -> None:
    runs = [sr.run(s) for s in seeds]
    counts = sr.timing_counts(runs)
    x = sr.sizes(runs)
    d_obs, d_null, d_p = sr.distinct_villages_test(runs)
    j_obs, j_null, j_p = sr.neighbour_join_test(runs, n_sim=500)
    out["facts"] = {
        "n_runs": len(runs), "incidents": int(counts.sum()), "timing_counts": dict(zip(sr.ACLED_WINDOWS, counts.tolist())),
        "acled_counts": dict(zip(sr.ACLED_WINDOWS, sr.ACLED_COUNTS.tolist())), "acled_fit_p": sr.acled_fit_pvalue(counts),
        "rate_ratio_peak_vs_campaign": sr.rate_ratio(runs, (-63, -4), (0, 21)),
        "distinct_villages": [d_obs, d_null, d_p], "neighbour_joins": [j_obs, j_null, j_p],
        "size_median": float(np.median(x)), "size_cv": float(x.std() / x.mean()), "size_max": float(x.max()),
        "size_top_decile_share": sr.top_decile_share(x),
    }
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.8))
    w = np.arange(len(sr.ACLED_WINDOWS))
    a1.bar(w - 0.2, counts / counts.sum(), 0.4, label=f"SIAGA, policy none ({counts.sum()} incidents, {len(runs)} runs)")
    a1.bar(w + 0.2, sr.ACLED_COUNTS / sr.ACLED_COUNTS.sum(), 0.4, label="ACLED Indonesia 2015-2020 (51 violent events)")
    a1.set_xticks(w, sr.ACLED_WINDOWS, fontsize=7)
    a1.set(ylabel="share of incidents", title="Timing relative to voting day")
    a1.legend(frameon=False, fontsize=7)
    values = np.unique(x)
    a2.loglog(values, [(x >= v).mean() for v in values], "o-", ms=3, lw=0.8)
    a2.set(xlabel="participants in an incident", ylabel="share of incidents at least this large", title="Event sizes (CCDF)")
    fig.suptitle("Check 4: stylised facts, default scenario, no early intervention", fontsize=9)
    fig.tight_layout()
    fig.savefig(FIG / "validation_facts.png", dpi=120)
    plt.close(fig)


def policy_figure(out: dict, seeds) -> None:
    base = sr.incidents(seeds)
    res = {"none_mean": float(base.mean()), "n_seeds": len(seeds), "policies": {}, "kades_delay": {}}
    for name, pol in POLICIES.items():
        y = sr.incidents(seeds, pol)
        m, lo, hi = sr.paired_bootstrap_ci(y, base)
        cost = float(np.mean([sr.run(s, pol).cost for s in seeds]))
        res["policies"][name] = {"mean": float(y.mean()), "diff": m, "ci": [lo, hi], "cost": cost,
                                 "better": float(np.mean(y < base)), "worse": float(np.mean(y > base))}
    for dly in DELAYS:
        y = sr.incidents(seeds, ("kades_early",), (("policy__kades__delay_days", dly),))
        m, lo, hi = sr.paired_bootstrap_ci(y, base)
        res["kades_delay"][dly] = {"mean": float(y.mean()), "diff": m, "ci": [lo, hi]}
    out["policy"] = res
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.8))
    names = list(res["policies"])
    d = [res["policies"][n]["diff"] for n in names]
    ci = np.array([res["policies"][n]["ci"] for n in names])
    a1.errorbar(d, np.arange(len(names)), xerr=[np.array(d) - ci[:, 0], ci[:, 1] - np.array(d)], fmt="o", capsize=3)
    a1.axvline(0, color="grey", lw=0.8)
    a1.set_yticks(np.arange(len(names)), names)
    a1.set(xlabel="incidents per run, policy minus reactive (95% CI)", title=f"Paired over {len(seeds)} seeds")
    dd = np.array([res["kades_delay"][k]["diff"] for k in DELAYS])
    dci = np.array([res["kades_delay"][k]["ci"] for k in DELAYS])
    a2.errorbar(DELAYS, dd, yerr=[dd - dci[:, 0], dci[:, 1] - dd], fmt="o-", capsize=3)
    a2.axhline(0, color="grey", lw=0.8)
    a2.set(xlabel="Kades act after this many days at WASPADA", ylabel="incidents vs reactive (95% CI)", title="Decay of the Kades effect with delay")
    fig.suptitle("Check 5: early intervention against reactive response, default scenario (Kepahiang)", fontsize=9)
    fig.tight_layout()
    fig.savefig(FIG / "validation_policy.png", dpi=120)
    plt.close(fig)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--only", nargs="*", default=["granovetter", "rumour", "epstein", "facts", "policy"])
    ap.add_argument("--results", type=Path, default=RESULTS, help="JSON file the numbers are merged into")
    a = ap.parse_args()
    FIG.mkdir(parents=True, exist_ok=True)
    out = {}
    seeds = tuple(range(a.seeds))
    steps = {
        "granovetter": lambda: granovetter_figure(out),
        "rumour": lambda: rumour_figure(out, 20),
        "epstein": lambda: epstein_figure(out, a.seeds),
        "facts": lambda: facts_figure(out, seeds),
        "policy": lambda: policy_figure(out, seeds),
    }
    for name in a.only:
        t0 = time.time()
        steps[name]()
        out.setdefault("timings_s", {})[name] = round(time.time() - t0, 1)
        # merge into what is on disk, so that steps run by separate commands keep each other's numbers
        merged = json.loads(a.results.read_text()) if a.results.exists() else {}
        merged.setdefault("timings_s", {}).update(out.pop("timings_s"))
        merged.update(out)
        out = {"timings_s": {}}
        a.results.write_text(json.dumps(merged, indent=1, default=float))
        print(f"{name}: {time.time() - t0:.0f} s", flush=True)


if __name__ == "__main__":
    main()
