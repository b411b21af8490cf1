"""Running a table of tasks into a results folder: resumable, atomic, any backend."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from common.atomic import OutputError, atomic_write, describe_os_error, write_json
from common.version import __version__
from experiments import backends
from experiments.design import Task, build_tasks, design_digest
from experiments.spec import ExperimentSpec, load_experiment
from experiments.store import ResultStore, StoreError

Progress = Callable[[int, int], None]


class ExperimentWriteError(OutputError):
    """A write into the results folder failed mid-experiment; finished runs are kept for --resume."""

    def __init__(self, message: str, code: int | None, folder: Path, finished: int, total: int):
        super().__init__(message, code, folder)
        self.finished, self.total = finished, total


def write_failure(exc: OSError, store: ResultStore, total: int) -> OSError:
    """One sentence: the folder, why (disk full, read-only, ...), and how many runs are safe."""
    if isinstance(exc, StoreError | ExperimentWriteError):
        return exc
    err = describe_os_error(exc, store.root)
    try:
        finished = len(store.done())
    except OSError:
        finished = 0
    return ExperimentWriteError(f"{err}; {finished} of {total} runs are finished and kept there", err.errno, store.root, finished, total)


def git_revision() -> str | None:
    """The source tree's git revision, if SIAGA runs from a checkout."""
    here = Path(__file__).resolve().parent.parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    dirty = subprocess.run(["git", "-C", str(here), "status", "--porcelain", "--untracked-files=no"], capture_output=True, text=True, timeout=5)
    return out.stdout.strip() + ("+dirty" if dirty.stdout.strip() else "")


def execute_tasks(
    tasks: Sequence[Task],
    store: ResultStore,
    workers: int | None = None,
    scheduler: Any = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run the tasks not yet finished in `store`; write each result as soon as it arrives."""
    done = store.done()
    todo = [t for t in tasks if t.run_id not in done]
    total, finished = len(tasks), len(tasks) - len(todo)
    if progress:
        progress(finished, total)
    workers = workers or backends.default_workers()
    memory_note = None
    if scheduler is None and workers > 1 and len(todo) > 1:
        workers, memory_note = workers_that_fit(todo, workers)
    if scheduler is not None:
        stream, backend = backends.dask(todo, scheduler), f"dask ({scheduler if isinstance(scheduler, str) else 'client'})"
    elif workers == 1 or len(todo) <= 1:
        stream, backend = backends.serial(todo), "serial"
    else:
        stream, backend = backends.processes(todo, workers), f"processes ({workers})"
    started = time.perf_counter()
    try:
        for result in stream:
            try:
                store.write_result(result)
            except OSError as exc:
                raise write_failure(exc, store, total) from exc
            finished += 1
            if progress:
                progress(finished, total)
    finally:
        stream.close()  # stops workers at once if a write failed (their runs could not be stored)
    stats = {"backend": backend, "skipped_finished": len(tasks) - len(todo), "computed": len(todo), "wall_seconds": time.perf_counter() - started}
    if memory_note:
        stats["memory_note"] = memory_note
    return stats


def workers_that_fit(tasks: Sequence[Task], workers: int) -> tuple[int, str | None]:
    """Each local worker process builds its own model: run only as many at once as memory holds.

    The largest design point's estimate (scenarios/budget.py) against the memory available; the
    runs and their results are the same with fewer workers, only slower."""
    from scenarios import load_scenario
    from scenarios.budget import available_memory, estimate, human_bytes

    first_of_point = {}
    for task in tasks:
        first_of_point.setdefault(task.point, task)
    need = max(estimate(load_scenario(t.scenario, t.overrides)).bytes for t in first_of_point.values())
    limit, origin = available_memory()
    fit = max(1, int(limit // need))
    if fit >= workers:
        return workers, None
    note = (f"memory: one run needs about {human_bytes(need)} and {human_bytes(limit)} is available ({origin}), "
            f"so {fit} of the {workers} workers asked for run at once")
    return fit, note


def run_experiment(
    spec_or_path: ExperimentSpec | str | Path,
    out: str | Path,
    workers: int | None = None,
    scheduler: Any = None,
    resume: bool = False,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Run (or finish) an experiment into `out`; return its manifest."""
    if isinstance(spec_or_path, ExperimentSpec):
        spec, spec_path = spec_or_path, None
    else:
        spec, spec_path = load_experiment(spec_or_path)
    tasks, facts = build_tasks(spec, spec_path)
    store = ResultStore(out)
    store.acquire()
    try:
        store.check_design(design_digest(tasks), {"experiment": spec.model_dump(mode="json"), **facts}, resume)
        store.clean_temporaries()
        if spec_path is not None and not (store.root / "experiment.toml").exists():
            atomic_write(store.root / "experiment.toml", lambda p: shutil.copyfile(spec_path, p))
        started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        stats = execute_tasks(tasks, store, workers=workers, scheduler=scheduler, progress=progress)
        written = store.consolidate(tasks)
        secs = [s for s in store.seconds.values() if s is not None]
        manifest = {
            "experiment": spec.name,
            "siaga_version": __version__,
            "git_revision": git_revision(),
            "started_at": started,
            "finished_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            **facts,
            "spec": spec.model_dump(mode="json"),
            "reference_policy": spec.reference_policy,
            "execution": stats,
            "timings": {"runs": len(secs), "run_seconds_total": sum(secs), "run_seconds_mean": (sum(secs) / len(secs)) if secs else None},
            "stages": _stage_days(tasks[0]) if tasks else [],
            "files": {k: p.name for k, p in written.items()},
        }
        write_json(manifest, store.root / "manifest.json")  # last: marks the experiment finished
        return manifest
    except OutputError as exc:  # a write failed (full disk, read-only, ...): say so, keep finished runs
        raise write_failure(exc, store, len(tasks)) from exc
    finally:
        store.release()


def _stage_days(task: Task) -> list[dict[str, Any]]:
    """Stage spans in simulation days, for shading report charts without rebuilding a model."""
    from scenarios.loader import deep_merge, expand_dotted, validate
    from simulation.calendar import Calendar

    spec = validate(deep_merge(task.scenario, expand_dotted(task.overrides)))
    cal = Calendar(spec.calendar, spec.total_days)
    spans: list[dict[str, Any]] = []
    for d in range(cal.n_days):
        st = cal.stage_spec(d)
        if spans and spans[-1]["name"] == st.name:
            spans[-1]["end_day"] = d
        else:
            spans.append({"name": st.name, "label": st.label, "start_day": d, "end_day": d})
    voting = (spec.calendar.voting_day - spec.calendar.start).days
    return [*spans, {"name": "_voting_day", "label": "voting day", "start_day": voting, "end_day": voting}]
