"""What runs in each benchmark subprocess: one measurement (`worker(job)`), its phase timers and
the bare mat-vec it is compared with. bench_scale.py starts one fresh process per job, so a job's
peak memory is its own. The kinds of job are described in bench_scale.py's docstring."""

from __future__ import annotations

import resource
import time

MATVEC_REPEATS = 30  # bare mat-vecs timed after a run
SOURCE_DAYS = 150  # calendar of the model a snapshot is taken from (it runs to the first campaign day)


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


class PhaseTimer:
    """Times a SiagaModel's day by phase: wraps the phase functions of simulation/day.py and
    simulation/election.py (the module attributes, which `SiagaModel.step()` calls as
    `phases.<name>` and `election.<name>`), the model's
    `_officials`, and the supporter groups', officers' and police units' methods (instance
    attributes). Only the outermost timed call counts, so nothing is counted twice. `restore()`
    puts the module functions back."""

    # key in the report -> functions of simulation/day.py ("election." : of simulation/election.py)
    PHASES = {
        "morning": ("release_detainees", "start_day"),
        "supporters": ("remember_money",),
        "election": ("election.election_day",),
        "hoax": ("counter_hoax_campaigns", "hoax_phase"),
        "legitimacy": ("legitimacy_phase",),
        "tension": ("tension_phase",),
        "escalation": ("escalation_phase",),
        "clashes": ("clash_phase", "record_incident"),
        "arrests": ("arrest_phase",),
        "alerts": ("alert_phase",),
    }

    def __init__(self, model):
        from simulation import day, election

        self.modules = {"": day, "election": election}
        # in the order of a day: morning (and officers deploying), actors, election, kernels, evening
        keys = ("morning", "deploy", "supporters", *list(self.PHASES)[2:], "officials")
        self.totals: dict[str, float] = {k: 0.0 for k in keys}
        self._depth = 0
        self._saved: dict[str, object] = {}
        for key, names in self.PHASES.items():
            for name in names:
                module, _, attr = name.rpartition(".")
                self._saved[name] = getattr(self.modules[module], attr)
                setattr(self.modules[module], attr, self._wrap(key, self._saved[name]))
        model._officials = self._wrap("officials", model._officials)
        for g in model.forces.supporter_groups:
            g.act = self._wrap("supporters", g.act)
        for o in (*model.forces.village_officers(), *model.forces.police_units()):
            o.deploy = self._wrap("deploy", o.deploy)

    def restore(self) -> None:
        for name, fn in self._saved.items():
            module, _, attr = name.rpartition(".")
            setattr(self.modules[module], attr, fn)
        self._saved = {}

    def _wrap(self, key, fn):
        def timed(*args, **kwargs):
            if self._depth:
                return fn(*args, **kwargs)
            self._depth += 1
            t = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.totals[key] += time.perf_counter() - t
                self._depth -= 1

        return timed


def time_matvec(model, repeats: int = MATVEC_REPEATS) -> dict:
    """A bare CSR mat-vec on the model's graph, `network.influence @ people.tension`, timed alone."""
    a, x = model.network.influence, model.people.tension
    a @ x  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        a @ x
        times.append(time.perf_counter() - t)
    return {"matvec_s": sum(times) / len(times), "matvec_min_s": min(times), "matvec_nnz": int(a.nnz)}


def _source(n: int, seed: int):
    from benchmarks.snapshot import take_snapshot
    from scenarios.synthetic import synthetic_scenario
    from simulation.model import SiagaModel

    t0 = time.perf_counter()
    model = SiagaModel(synthetic_scenario(n, days=SOURCE_DAYS), seed=seed)
    t1 = time.perf_counter()
    snap = take_snapshot(model)
    t2 = time.perf_counter()
    info = {"source_setup_s": t1 - t0, "source_warmup_s": t2 - t1, "start_day": snap.start_day, "villagers": snap.n}
    del model
    return snap, info


def _default_run(res: dict) -> None:
    """One full run of the default scenario: CPU time of `SiagaModel()` + `run()`."""
    from simulation.model import SiagaModel

    c0, t0 = time.process_time(), time.perf_counter()
    model = SiagaModel()
    c1 = time.process_time()
    model.run()
    c2, t2 = time.process_time(), time.perf_counter()
    res["villagers"] = model.people.n
    res["villages"] = model.region.n_villages
    res["days"] = model.calendar.n_days
    res["setup_cpu_s"] = c1 - c0
    res["run_cpu_s"] = c2 - c0  # set-up + all days
    res["run_wall_s"] = t2 - t0
    res["incidents"] = len(model.tally.incidents)
    del model
    from experiments.runner import run

    c3 = time.process_time()
    run("kepahiang_pilkada2024", seed=None)  # as experiments run it: no Villager agent objects
    res["runner_cpu_s"] = time.process_time() - c3


def worker(job: dict) -> dict:
    t_start, c_start = time.perf_counter(), time.process_time()
    import gc

    import numpy as np  # noqa: F401

    from scenarios.synthetic import synthetic_scenario
    from simulation.model import SiagaModel

    kind, n, days, seed = job["kind"], int(job["n"]), int(job["days"]), int(job.get("seed", 1))
    res: dict = {"kind": kind, "requested": n, "days": days, "seed": seed}
    res["import_s"] = time.perf_counter() - t_start
    res["import_cpu_s"] = time.process_time() - c_start
    res["rss_after_import_mib"] = _peak_rss_bytes() / 2**20
    gc.collect()

    if kind == "default":
        _default_run(res)
        res["peak_rss_mib"] = _peak_rss_bytes() / 2**20
        res["worker_s"] = time.perf_counter() - t_start
        return res
    if kind == "siaga":
        c0, t0 = time.process_time(), time.perf_counter()
        model = SiagaModel(synthetic_scenario(n, days=days), seed=seed)
        c1, t1 = time.process_time(), time.perf_counter()
        res["villagers"] = model.people.n
        res["villages"] = model.region.n_villages
        res["edges"] = int(model.network.adjacency.nnz // 2)
        res["calendar_days"] = model.calendar.n_days
        timer = PhaseTimer(model)
        per_day = []
        try:
            for _ in range(days):
                t = time.perf_counter()
                model.step()
                per_day.append(time.perf_counter() - t)
        finally:
            timer.restore()
        res["setup_s"] = t1 - t0
        res["setup_cpu_s"] = c1 - c0
        res["days_cpu_s"] = time.process_time() - c1
        res["phase_s"] = dict(timer.totals)
        res["phase_s"]["other"] = max(sum(per_day) - sum(timer.totals.values()), 0.0)
        res.update(time_matvec(model))
        res["tension_day_s"] = res["phase_s"]["tension"] / days if days else 0.0
        res["tension_vs_matvec"] = res["tension_day_s"] / res["matvec_s"] if res["matvec_s"] > 0 else None
        p = model.people
        res["final_states"] = np.bincount(p.state, minlength=5).tolist()
        res["incidents"] = len(model.tally.incidents)
    elif kind in ("kernels", "idiomatic"):
        from benchmarks.idiomatic_mesa import IdiomaticVillageModel
        from benchmarks.vectorised_kernels import VectorisedVillagerKernels

        snap, info = _source(n, seed)
        res.update(info)
        gc.collect()
        cls = VectorisedVillagerKernels if kind == "kernels" else IdiomaticVillageModel
        repeats = max(1, int(job.get("repeats", 1)))
        per_day, setups, setup_cpu, days_cpu = [], [], [], 0.0
        for _ in range(repeats):  # each repeat starts from the same snapshot
            c0, t0 = time.process_time(), time.perf_counter()
            sim = cls(snap, seed=seed)
            setups.append(time.perf_counter() - t0)
            setup_cpu.append(time.process_time() - c0)
            c1 = time.process_time()
            for _ in range(days):
                t = time.perf_counter()
                sim.step()
                per_day.append(time.perf_counter() - t)
            days_cpu += time.process_time() - c1
            arrays = sim.arrays()
            del sim
            gc.collect()
        res["repeats"] = repeats
        res["setup_s"] = setups[0]
        res["setup_cpu_s"] = setup_cpu[0]
        res["days_cpu_s"] = days_cpu / repeats
        res["final_states"] = np.bincount(arrays["state"], minlength=5).tolist()
        res["final_rumour"] = np.bincount(arrays["rumour"], minlength=3).tolist()
    else:
        raise SystemExit(f"unknown kind {kind!r}")

    res["per_day_s"] = per_day
    res["mean_day_s"] = sum(per_day) / len(per_day) if per_day else 0.0
    res["min_day_s"] = min(per_day) if per_day else 0.0
    # total = set-up + all simulated days of one run (not counting imports or the snapshot source)
    res["total_s"] = res["setup_s"] + res["mean_day_s"] * days
    # the same in CPU seconds of this process: much less sensitive to other load on the machine
    res["mean_day_cpu_s"] = res["days_cpu_s"] / days if days else 0.0
    res["total_cpu_s"] = res["setup_cpu_s"] + res["days_cpu_s"]
    res["peak_rss_mib"] = _peak_rss_bytes() / 2**20
    res["worker_s"] = time.perf_counter() - t_start
    return res


