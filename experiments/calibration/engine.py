"""`run_calibration`: ABC-SMC with pyABC, from a calibration file into an output folder.

pyABC does the inference (its ABCSMC, its samplers, its SQLite history): SIAGA only supplies the
prior, the simulator (experiments/calibration/simulator.py), the distance (distance.py) and the
observed counts (targets.toml). Locally pyABC's multicore sampler runs `budget.processes`
processes; with a Dask scheduler its Dask sampler sends particles to the cluster. The history
lives in `OUT/abc.db`; `resume=True` loads it and continues with the generations still allowed.

What is reproducible: every model run's seed derives from the calibration's `seed` and the
particle's values (simulator.py), so any parameter set gives the same summaries anywhere. pyABC's
own sampling (which particles are proposed, accepted) uses numpy's global generator: it is seeded
from the calibration's seed, which makes a calibration with one process repeatable; pyABC's
multicore and Dask samplers reseed their workers from the operating system, so with more than one
process the sequence of particles (not any single run) differs between calls. docs/CALIBRATION.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from common.atomic import atomic_write, write_json
from common.version import __version__
from experiments.calibration.distance import RULE as DISTANCE_RULE
from experiments.calibration.distance import DevianceDistance, used_parts
from experiments.calibration.simulator import TAG_FIT, TAG_PYABC, Simulator
from experiments.calibration.spec import CalibrationError, CalibrationSpec, Prior, load_calibration
from experiments.calibration.summaries import observed
from experiments.calibration.targets import CategoryTarget, Target, TimingTarget, covered_windows, load_targets
from experiments.design import resolve_scenario_file, scenario_sha
from scenarios.loader import ScenarioError, deep_merge, expand_dotted, read_toml, scenario_roots, validate

DB_NAME = "abc.db"
STATE_NAME = "calibration.json"
Log = Callable[[str], None]


@dataclass
class Problem:
    """Everything the fit and the checks need, derived from the spec once."""

    spec: CalibrationSpec
    spec_path: Path | None
    scenario_file: Path
    base: dict[str, Any]
    fixed: dict[str, Any]
    targets: dict[str, Target]  # fitted and held out, in that order
    used: dict[str, list[int] | None]  # per target: windows covered / categories producible
    left_out: dict[str, list[str]]  # per target: parts not compared, and why
    first_day: int
    last_day: int

    @property
    def names(self) -> list[str]:
        return list(self.spec.parameters)

    def fit_targets(self) -> dict[str, Target]:
        return {k: self.targets[k] for k in self.spec.targets.fit}

    @property
    def log_names(self) -> list[str]:
        """Parameters pyABC samples as log10 of their value (loguniform priors)."""
        return [n for n, p in self.spec.parameters.items() if p.prior == "loguniform"]

    def simulator(self, tag: int, targets: dict[str, Target] | None = None) -> Simulator:
        return Simulator(self.base, self.fixed, self.names, targets or self.fit_targets(), self.spec.seed, self.spec.seeds_per_particle, tag,
                         log_names=self.log_names)

    def distance(self) -> DevianceDistance:
        fit = self.fit_targets()
        return DevianceDistance(fit, {k: self.used[k] for k in fit}, self.spec.targets.weights, self.spec.distance.pseudo_count)

    def observed(self) -> dict[str, np.ndarray]:
        return {k: observed(t) for k, t in self.fit_targets().items()}

    def runs_scenario(self) -> dict[str, Any]:
        """What every run of the fit shares: the validated scenario with the calibration's `[set]`,
        the library's defaults included, less the free parameters (each run sets those itself)."""
        merged = deep_merge(self.base, expand_dotted(self.fixed, "calibration"))
        scenario = validate(merged, str(self.scenario_file)).model_dump(mode="json")
        for name in self.names:
            *path, leaf = name.split(".")
            node = scenario
            for part in path:
                node = node.get(part, {}) if isinstance(node, dict) else {}
            if isinstance(node, dict):
                node.pop(leaf, None)
        return scenario

    def digest(self) -> str:
        # The budget and the check may change between calls (a resume may allow more generations).
        # The scenario enters as its runs see it, defaults included: a changed library default that
        # is not a free parameter changes the runs, so it changes the digest; a free parameter's
        # value in the scenario file or the library never reaches a run, so it does not.
        blob = json.dumps({"spec": self.spec.model_dump(mode="json", exclude={"budget", "check"}), "scenario": self.runs_scenario(),
                           "targets": {k: t.model_dump(mode="json") for k, t in self.targets.items()},
                           "distance_rule": DISTANCE_RULE}, sort_keys=True, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def prepare(spec_or_path: CalibrationSpec | str | Path) -> Problem:
    """Validate everything before the first run: the scenario at the priors' bounds and middle
    (a misspelt parameter fails in a second with the field named), the calendar's cover of the
    timing windows, the targets the model can produce."""
    if isinstance(spec_or_path, CalibrationSpec):
        spec, spec_path = spec_or_path, None
    else:
        spec, spec_path = load_calibration(spec_or_path)
    where = str(spec_path or "calibration")
    try:
        scen_path = resolve_scenario_file(spec.scenario, spec_path)
        base = read_toml(scen_path, roots=scenario_roots(spec_path) if spec_path else None)
    except ScenarioError as exc:
        raise CalibrationError(str(exc) if str(exc).startswith(where) else f"{where}: field `scenario`: {exc}") from None
    fixed: dict[str, Any] = {**spec.set, "policy.presets": spec.policy.split("+")}
    if spec.days is not None:
        fixed["days"] = spec.days
    resolved = None
    for label, pick in (("low", lambda p: p.low), ("high", lambda p: p.high), ("middle", Prior.midpoint)):
        values = {name: pick(prior) for name, prior in spec.parameters.items()}
        source = f"{where}: every parameter at its prior's {label} end" if label != "middle" else f"{where}: every parameter at its prior's middle"
        try:
            resolved = validate(deep_merge(base, expand_dotted({**fixed, **values}, source)), source)
        except ScenarioError as exc:
            raise CalibrationError(str(exc)) from None
    assert resolved is not None
    from scenarios.budget import check_memory
    from simulation.calendar import Calendar

    try:
        check_memory(resolved, where)
    except ScenarioError as exc:
        raise CalibrationError(str(exc)) from None
    cal = Calendar(resolved.calendar, resolved.total_days)
    voting = cal.voting_day
    first, last = -voting, cal.n_days - 1 - voting
    known = load_targets()
    targets = {name: known[name] for name in [*spec.targets.fit, *spec.targets.held_out]}
    used: dict[str, list[int] | None] = {}
    left_out: dict[str, list[str]] = {}
    for name, t in targets.items():
        if isinstance(t, TimingTarget):
            cov = covered_windows(t, first, last)
            used[name] = cov
            left_out[name] = [f"{t.labels()[i]} (outside the scenario's calendar, days {first:+d}..{last:+d} from voting)"
                              for i in range(len(t.windows)) if i not in cov]
            if len(cov) < 2:
                raise CalibrationError(
                    f"{where}: target {name!r}: the scenario's calendar (days {first:+d}..{last:+d} from voting day) covers "
                    f"{len(cov)} of its windows {t.labels()}; at least 2 are needed (more `days`, or another target)"
                )
        elif isinstance(t, CategoryTarget):
            switches = resolved.mechanisms.model_dump()
            used[name] = used_parts(t, switches=switches)
            left_out[name] = [
                f"{c} (needs mechanisms.{t.categories[c].mechanism} = true)" if t.categories[c].mechanism
                else f"{c} (needs mechanism: {t.categories[c].needs_mechanism})"
                for c in t.categories if c not in t.producible(switches)
            ]
        else:
            used[name] = None
            left_out[name] = []
    return Problem(spec, spec_path, scen_path, base, fixed, targets, used, left_out, first, last)


def _prior(spec: CalibrationSpec):
    import pyabc

    rvs = {}
    for name, p in spec.parameters.items():
        if p.prior == "uniform":
            rvs[name] = pyabc.RV("uniform", p.low, p.high - p.low)
        elif p.prior == "loguniform":  # pyABC works on log10 of it (its Gaussian proposals suit that scale)
            rvs[name] = pyabc.RV("uniform", math.log10(p.low), math.log10(p.high) - math.log10(p.low))
        else:
            a, b = (p.low - p.mean) / p.sd, (p.high - p.mean) / p.sd  # type: ignore[operator]
            rvs[name] = pyabc.RV("truncnorm", a, b, loc=p.mean, scale=p.sd)
    return pyabc.Distribution(**rvs)


def _whole_covariance(n: int, d: int) -> float:
    """Bandwidth factor 1: the proposal's covariance is the population's own."""
    return 1.0


def _transition(proposal: str):
    """pyABC's multivariate normal proposal. Silverman's rule shrinks the kernel by
    (4 / (n (d + 2)))^(2 / (d + 4)) (0.43 for 120 particles in 10 dimensions); where the data leave
    most parameters near their prior, so narrow a kernel makes the importance weights prior/proposal
    very uneven and the effective sample size collapses (6 of 120 measured, docs/CALIBRATION.md §1). 'wide' keeps it
    at the population's covariance."""
    import pyabc

    if proposal == "wide":
        return pyabc.MultivariateNormalTransition(bandwidth_selector=_whole_covariance)
    return pyabc.MultivariateNormalTransition()


def _sampler(processes: int, scheduler: Any):
    from pyabc import sampler as samplers

    if scheduler is not None:
        from distributed import Client

        client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
        return samplers.DaskDistributedSampler(dask_client=client), client, f"dask ({scheduler if isinstance(scheduler, str) else 'client'})"
    if processes == 1:
        return samplers.SingleCoreSampler(), None, "single process"
    return samplers.MulticoreEvalParallelSampler(n_procs=processes), None, f"multicore ({processes} processes)"


def _check_folder(out: Path, digest: str, resume: bool) -> dict[str, Any] | None:
    """Refuse to mix calibrations: a folder holding one needs --resume, a resume needs the same file."""
    state_path, db = out / STATE_NAME, out / DB_NAME
    if not resume:
        if db.exists() or (state_path.exists() and json.loads(state_path.read_text() or "{}").get("abc_id") is not None):
            raise CalibrationError(f"{out} already holds a calibration; continue it with --resume, or choose another --out folder")
        return None
    if not db.exists() or not state_path.exists():
        raise CalibrationError(f"{out} holds no calibration to resume (no {DB_NAME}); run it without --resume first")
    state = json.loads(state_path.read_text() or "{}")
    if state.get("abc_id") is None:
        raise CalibrationError(f"{out} holds a calibration stopped before its first generation; remove the folder and start again")
    if state.get("digest") != digest:
        raise CalibrationError(f"{out} holds a different calibration (another file, scenario or targets); resume it with the file it was started with, or choose another --out folder")
    return state


def run_calibration(
    spec_or_path: CalibrationSpec | str | Path,
    out: str | Path,
    scheduler: Any = None,
    resume: bool = False,
    processes: int | None = None,
    log: Log | None = None,
) -> dict[str, Any]:
    """Fit (or finish fitting) the calibration into `out`, then write the posterior, diagnostics,
    posterior predictive checks and held-out scores; return the manifest."""
    import pyabc

    say = log or (lambda _m: None)
    problem = prepare(spec_or_path)
    spec = problem.spec
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    digest = problem.digest()
    state = _check_folder(out, digest, resume)
    # a folder we cannot write to is refused now, in one sentence, not by SQLite half-way in
    write_json(state or {"digest": digest, "abc_id": None}, out / STATE_NAME)
    procs = processes or spec.budget.processes
    sampler, client, backend = _sampler(procs, scheduler)
    db_url = "sqlite:///" + str((out / DB_NAME).resolve())
    np.random.seed(np.random.SeedSequence([spec.seed, TAG_PYABC, 1 if resume else 0]).generate_state(1)[0])  # pyABC's own draws
    abc = pyabc.ABCSMC(
        problem.simulator(TAG_FIT), _prior(spec), problem.distance(), population_size=spec.budget.population_size, sampler=sampler,
        transitions=_transition(spec.budget.proposal),
    )
    started = time.perf_counter()
    try:
        if state is None:
            history = abc.new(db_url, problem.observed())
            state = {"digest": digest, "abc_id": int(history.id), "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            write_json(state, out / STATE_NAME)
            if problem.spec_path is not None:
                atomic_write(out / "calibration.toml", lambda p: shutil.copyfile(problem.spec_path, p))  # type: ignore[arg-type]
            done = 0
        else:
            history = abc.load(db_url, int(state["abc_id"]))
            done = int(history.max_t) + 1
        remaining = spec.budget.max_generations - done
        if remaining > 0:
            say(f"ABC-SMC: {remaining} generation(s) to go of {spec.budget.max_generations}, {spec.budget.population_size} particles, "
                f"{spec.seeds_per_particle} run(s) each; {backend}")
            kwargs: dict[str, Any] = {
                "minimum_epsilon": spec.budget.min_epsilon, "max_nr_populations": remaining,
                "max_walltime": dt.timedelta(minutes=spec.budget.max_walltime_minutes),
                "min_acceptance_rate": spec.budget.min_acceptance_rate,
            }
            if spec.budget.max_simulations is not None:
                kwargs["max_total_nr_simulations"] = spec.budget.max_simulations
            history = abc.run(**kwargs)
        else:
            say(f"ABC-SMC: all {spec.budget.max_generations} generations are done; writing the outputs again")
        fit_seconds = time.perf_counter() - started
        from experiments.calibration.checks import write_outputs

        results = write_outputs(problem, history, out, processes=procs, client=client, log=say)
    finally:
        if client is not None and client is not scheduler:
            client.close()
    everything = history.get_all_populations()  # t = -1: pyABC's calibration sample (population_size particles)
    pops = everything[everything["t"] >= 0]
    from experiments.engine import git_revision

    manifest = {
        "calibration": spec.name,
        "siaga_version": __version__,
        "pyabc_version": pyabc.__version__,
        "git_revision": git_revision(),
        "scenario_file": str(problem.scenario_file),
        "scenario_sha256_16": scenario_sha(problem.base),
        "digest": digest,
        "spec": spec.model_dump(mode="json"),
        "backend": backend,
        "generations": int(len(pops)),
        "epsilons": [float(e) for e in pops["epsilon"]],
        "simulations_per_generation": [int(s) for s in pops["samples"]],
        "particles_simulated": int(everything["samples"].sum()),
        "model_runs_in_fit": int(everything["samples"].sum()) * spec.seeds_per_particle,
        "effective_sample_sizes": _ess(history),
        "fit_wall_seconds_this_call": fit_seconds,
        "timing_windows_compared": {k: [problem.targets[k].labels()[i] for i in v] for k, v in problem.used.items()  # type: ignore[union-attr]
                                    if isinstance(problem.targets[k], TimingTarget) and v is not None},
        "not_compared": {k: v for k, v in problem.left_out.items() if v},
        "calendar_days_from_voting": [problem.first_day, problem.last_day],
        "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **results,
    }
    write_json(manifest, out / "manifest.json")
    return manifest


def _ess(history: Any) -> list[float]:
    """Kish's effective sample size of each generation's weights."""
    out = []
    for t in range(int(history.max_t) + 1):
        _, w = history.get_distribution(m=0, t=t)
        w = np.asarray(w, dtype=float)
        out.append(float(w.sum() ** 2 / (w**2).sum()))
    return out


__all__ = ["DB_NAME", "Problem", "prepare", "run_calibration"]
