"""Docking SIAGA's Epstein configuration against Mesa's own Epstein civil violence example.

Both models run Epstein's Model I on the same 40 x 40 torus with the same parameters, movement off,
von Neumann vision of radius 7 and Mesa's `round(C/A)`. Mesa's example is run as shipped (only its
`movement` switch and scenario values are set; its per-step DataCollector is skipped for speed,
which changes no state). SIAGA's side is `simulation.classic.EpsteinOnGraph`: the lattice's
vision neighbourhoods are its graph, its kernels decide activation and arrests.

Outputs compared (docs/VALIDATION.md, check 2): active counts, outburst sizes (peak actives of
each run of ticks above 50) and intervals between outburst starts, over many seeds.

Regenerate the stored Mesa reference sample (about 7 minutes on one core):

    .venv/bin/python tests/validation/epstein_dock.py --seeds 30 --ticks 300
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.stats import ks_2samp

from simulation.classic import EpsteinOnGraph, EpsteinParams, lattice_agents, lattice_vision_graph

REFERENCE = Path(__file__).parent / "data" / "epstein_mesa_reference.npz"
OUTBURST = 50  # Epstein's convention: more than 50 actives (docs/ODD.md [S16])
BURN_IN = 50  # ticks dropped before measuring (the start from all-quiet is a transient)
THIN = 25  # active counts sampled every THIN ticks, to weaken autocorrelation


@dataclass(frozen=True)
class DockParams:
    """The docking parameter set: Mesa's geometry and rules, NetLogo's cop density and jail term,
    legitimacy 0.75 (with movement off, Mesa's published defaults give no outburst at all)."""

    width: int = 40
    height: int = 40
    citizen_density: float = 0.7
    cop_density: float = 0.04
    vision: int = 7
    legitimacy: float = 0.75
    max_jail: int = 30
    threshold: float = 0.1
    k: float = 2.3


DOCK = DockParams()
MESA_DEFAULTS_STATIC = DockParams(cop_density=0.074, legitimacy=0.8, max_jail=1000)


def mesa_model(seed: int, p: DockParams = DOCK, ticks: int = 1000):
    """Mesa's example as shipped, movement off, on the docking parameters."""
    from mesa.examples.advanced.epstein_civil_violence.model import EpsteinCivilViolence, EpsteinScenario

    scenario = EpsteinScenario(
        rng=seed, movement=False, citizen_density=p.citizen_density, cop_density=p.cop_density,
        citizen_vision=p.vision, cop_vision=p.vision, legitimacy=p.legitimacy, max_jail_term=p.max_jail,
        active_threshold=p.threshold, arrest_prob_constant=p.k, max_iters=ticks + 10,
    )
    model = EpsteinCivilViolence(width=p.width, height=p.height, scenario=scenario)
    model.datacollector.collect = lambda _model: None  # per-agent reporters only cost time
    return model


def mesa_series(seed: int, ticks: int, p: DockParams = DOCK) -> np.ndarray:
    """Active citizens after each of `ticks` steps of Mesa's example, movement off."""
    model = mesa_model(seed, p, ticks)
    out = np.empty(ticks, dtype=np.int64)
    for t in range(ticks):
        model.step()
        out[t] = model.ACTIVE
    return out


def mesa_initial_condition(seed: int, p: DockParams = DOCK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The lattice Mesa's example builds for `seed`: (kinds per cell: 0 empty, 1 citizen, 2 cop;
    hardship per cell; risk aversion per cell), cells indexed y * width + x."""
    from mesa.examples.advanced.epstein_civil_violence.agents import Citizen, Cop

    model = mesa_model(seed, p)
    kinds = np.zeros(p.width * p.height, dtype=np.int8)
    hardship, risk = np.zeros(len(kinds)), np.zeros(len(kinds))
    for agent in model.agents:
        x, y = agent.cell.coordinate
        i = y * p.width + x
        kinds[i] = 2 if isinstance(agent, Cop) else 1
        if isinstance(agent, Citizen):
            hardship[i], risk[i] = agent.hardship, agent.risk_aversion
    return kinds, hardship, risk


def epstein_params(p: DockParams, schedule: str = "random_sequential") -> EpsteinParams:
    return EpsteinParams(
        legitimacy=p.legitimacy, threshold=p.threshold, k=p.k, max_jail=p.max_jail,
        rounding="round", jail_inclusive=True, schedule=schedule,  # Mesa: randint(0, J) inclusive
    )


def siaga_model(seed: int | np.random.SeedSequence, p: DockParams = DOCK, schedule: str = "random_sequential") -> EpsteinOnGraph:
    """SIAGA's Epstein configuration on its own random lattice's von Neumann vision graph."""
    ss = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
    layout, agents = ss.spawn(2)
    kinds = lattice_agents(p.width, p.height, p.citizen_density, p.cop_density, np.random.default_rng(layout))
    graph = lattice_vision_graph(p.width, p.height, kinds > 0, p.vision, "von_neumann")
    return EpsteinOnGraph(graph, kinds[kinds > 0] == 2, epstein_params(p, schedule), seed=agents)


def siaga_series(seed: int, ticks: int, p: DockParams = DOCK, schedule: str = "random_sequential") -> np.ndarray:
    return siaga_model(seed, p, schedule).run(ticks)


def siaga_series_on_mesa_lattice(seed: int, ticks: int, p: DockParams = DOCK, schedule: str = "random_sequential") -> np.ndarray:
    """SIAGA from the exact initial condition of Mesa's run `seed` (lattice, hardship, risk);
    only the dynamics' random stream is SIAGA's own (SeedSequence([seed, 2002]))."""
    kinds, hardship, risk = mesa_initial_condition(seed, p)
    graph = lattice_vision_graph(p.width, p.height, kinds > 0, p.vision, "von_neumann")
    occ = kinds > 0
    model = EpsteinOnGraph(
        graph, kinds[occ] == 2, epstein_params(p, schedule), seed=np.random.SeedSequence([seed, 2002]),
        hardship=hardship[occ], risk=risk[occ],
    )
    return model.run(ticks)


def outbursts(series: np.ndarray, start: int = BURN_IN) -> tuple[np.ndarray, np.ndarray]:
    """(starts, peaks) of outbursts: maximal runs of ticks with more than OUTBURST actives that
    begin at or after tick `start` (a run still going at the end is kept, its peak so far)."""
    above = np.r_[False, series > OUTBURST, False]
    edges = np.flatnonzero(np.diff(above.astype(np.int8)))
    begins, ends = edges[::2], edges[1::2]
    keep = begins >= start
    peaks = np.array([series[b:e].max() for b, e in zip(begins[keep], ends[keep])], dtype=np.int64)
    return begins[keep], peaks


@dataclass
class DockSummary:
    actives: np.ndarray  # thinned active counts, pooled over runs
    run_means: np.ndarray  # mean actives per run (after burn-in)
    run_outbursts: np.ndarray  # outbursts per run
    peaks: np.ndarray  # peak size of every outburst, pooled
    intervals: np.ndarray  # ticks between consecutive outburst starts, pooled


def summarise(runs: np.ndarray) -> DockSummary:
    """Per-run and pooled measures of a (runs x ticks) array of active counts."""
    peaks, intervals, n_out = [], [], []
    for s in runs:
        b, pk = outbursts(s)
        peaks.append(pk)
        intervals.append(np.diff(b))
        n_out.append(len(b))
    return DockSummary(
        actives=runs[:, BURN_IN::THIN].ravel(),
        run_means=runs[:, BURN_IN:].mean(axis=1),
        run_outbursts=np.array(n_out),
        peaks=np.concatenate(peaks),
        intervals=np.concatenate(intervals),
    )


def per_run(series: np.ndarray, measure: str) -> list[np.ndarray]:
    """`measure` of each run separately (one array per run)."""
    return [np.atleast_1d(getattr(summarise(r[None, :]), measure)) for r in series]


def paired_permutation_ks(a: np.ndarray, b: np.ndarray, measure: str, n_perm: int = 1000, seed: int = 0) -> tuple[float, float]:
    """KS statistic D between model a's and model b's pooled `measure`, where a[i] and b[i] ran
    from the same initial condition, and its p-value by swapping the two runs of each pair at
    random (outbursts of one run are not independent, so the textbook KS p-value is too small)."""
    ra, rb = per_run(a, measure), per_run(b, measure)

    def d(swap: np.ndarray) -> float:
        x = np.concatenate([q if s else p for p, q, s in zip(ra, rb, swap)])
        y = np.concatenate([p if s else q for p, q, s in zip(ra, rb, swap)])
        return float(ks_2samp(x, y).statistic)

    observed = d(np.zeros(len(ra), dtype=bool))
    rng = np.random.default_rng(np.random.SeedSequence([1996, seed]))
    hits = sum(d(rng.random(len(ra)) < 0.5) >= observed for _ in range(n_perm))
    return observed, (hits + 1) / (n_perm + 1)


def load_reference() -> tuple[np.ndarray, DockParams, dict]:
    data = np.load(REFERENCE, allow_pickle=False)
    params = DockParams(**{k: type(getattr(DOCK, k))(data[f"param_{k}"]) for k in asdict(DOCK)})
    meta = {"mesa_version": str(data["mesa_version"]), "seeds": data["seeds"].tolist()}
    return data["series"], params, meta


def write_reference(seeds: list[int], ticks: int, p: DockParams = DOCK) -> None:
    import mesa

    t0 = time.time()
    series = np.stack([mesa_series(s, ticks, p) for s in seeds])
    REFERENCE.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        REFERENCE, series=series, seeds=np.array(seeds), mesa_version=np.array(mesa.__version__),
        **{f"param_{k}": np.array(v) for k, v in asdict(p).items()},
    )
    print(f"wrote {REFERENCE} ({len(seeds)} seeds x {ticks} ticks) in {time.time() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--ticks", type=int, default=300)
    ap.add_argument("--first-seed", type=int, default=1000)
    a = ap.parse_args()
    write_reference(list(range(a.first_seed, a.first_seed + a.seeds)), a.ticks)


if __name__ == "__main__":
    main()
