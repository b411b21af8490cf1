"""An experiment's results folder: one file per finished run, then consolidated Parquet tables.

Layout of DIR:
    experiment.toml        the experiment file as given (a colleague reruns from it)
    design.json            the run table and its digest; a resume must match it exactly
    parts/<run_id>.*       one run's outcomes (JSON, written last: the run's completion mark),
                           daily series and event log (Parquet)
    runs.parquet           one row per run: run_id, point, policy, replicate, seed, factors, outcomes
    timeseries.parquet     daily series of every run, tagged with run_id/policy/point/replicate
    events.parquet         event logs of every run, tagged the same way
    manifest.json          scenario hashes, package version, git revision, timings, backend

Every file is written to a temporary name and moved into place, so a run killed at any moment
leaves either a finished file or none. A lock file stops two experiments writing one folder.
"""

from __future__ import annotations

import json
import math
import os
import socket
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from experiments.design import Task
from siaga.output import atomic_write, write_json

PARTS = "parts"
LOCK = ".siaga-experiment.lock"


class StoreError(OSError):
    """The results folder cannot be used (locked, holds another experiment, not writable)."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ResultStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.parts = self.root / PARTS
        self._locked = False

    # ------------------------------------------------------------------ locking
    def acquire(self) -> None:
        """Take the folder for this process; refuse if another live experiment holds it."""
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create results folder {self.root}: {exc.strerror or exc}") from None
        if not os.access(self.root, os.W_OK):
            raise StoreError(f"results folder {self.root} is not writable")
        lock = self.root / LOCK
        me = {"pid": os.getpid(), "host": socket.gethostname()}
        for _ in range(2):
            try:
                fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                try:
                    other = json.loads(lock.read_text(encoding="utf-8"))
                except (OSError, ValueError):
                    other = {}
                same_host = other.get("host") == me["host"]
                if same_host and isinstance(other.get("pid"), int) and not _pid_alive(other["pid"]):
                    lock.unlink(missing_ok=True)  # left by a killed experiment: take over
                    continue
                raise StoreError(
                    f"another experiment is writing to {self.root} (pid {other.get('pid', '?')} on "
                    f"{other.get('host', '?')}); wait for it, or use another --out folder"
                ) from None
            except OSError as exc:
                raise StoreError(f"cannot write to results folder {self.root}: {exc.strerror or exc}") from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh)
            self._locked = True
            return
        raise StoreError(f"could not lock {self.root}")

    def release(self) -> None:
        if self._locked:
            (self.root / LOCK).unlink(missing_ok=True)
            self._locked = False

    # ------------------------------------------------------------------ design
    def check_design(self, digest: str, summary: dict[str, Any], resume: bool) -> None:
        """A fresh folder gets the design; a resumed one must hold the same design."""
        path = self.root / "design.json"
        if path.exists():
            try:
                old = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                old = {}
            if not resume:
                raise StoreError(
                    f"{self.root} already holds an experiment; add --resume to finish it, or choose another --out folder"
                )
            if old.get("digest") != digest:
                raise StoreError(
                    f"{self.root} holds a different experiment (its run table differs from this file's); "
                    "choose another --out folder"
                )
            return
        if any(self.parts.glob("*.json")):
            raise StoreError(f"{self.root} holds run results but no design.json; choose another --out folder")
        write_json({"digest": digest, **summary}, path)

    # ------------------------------------------------------------------ runs
    def done(self) -> set[str]:
        """Run ids whose outcomes file exists: finished runs, never recomputed."""
        return {p.name[: -len(".outcomes.json")] for p in self.parts.glob("*.outcomes.json")}

    def clean_temporaries(self) -> int:
        """Remove half-written files a killed process left behind."""
        stale = [p for p in self.parts.glob(".*.tmp")]
        for p in stale:
            p.unlink(missing_ok=True)
        return len(stale)

    def write_result(self, result: dict[str, Any]) -> None:
        """Series and events first, outcomes last: the outcomes file marks the run finished."""
        rid = result["run_id"]
        if "timeseries" in result:
            df = result["timeseries"]
            atomic_write(self.parts / f"{rid}.timeseries.parquet", lambda p: df.to_parquet(p, index=False))
        if "events" in result:
            ev = result["events"]
            atomic_write(self.parts / f"{rid}.events.parquet", lambda p: ev.to_parquet(p, index=False))
        record = {"run_id": rid, "outcomes": _jsonable(result["outcomes"]), "seconds": result.get("seconds")}
        write_json(record, self.parts / f"{rid}.outcomes.json")

    def read_outcomes(self, run_id: str) -> dict[str, Any]:
        return json.loads((self.parts / f"{run_id}.outcomes.json").read_text(encoding="utf-8"))

    # ------------------------------------------------------------------ consolidation
    def consolidate(self, tasks: Iterable[Task]) -> dict[str, Path]:
        """Build the tables from the parts, in run-table order (so any backend gives the same bytes)."""
        rows, series, events, seconds = [], [], [], {}
        for task in sorted(tasks, key=lambda t: t.index):
            rec = self.read_outcomes(task.run_id)
            seconds[task.run_id] = rec.get("seconds")
            rows.append({**task.row(), **{k: _nan(v) for k, v in rec["outcomes"].items()}})
            ts = self.parts / f"{task.run_id}.timeseries.parquet"
            if ts.exists():
                series.append(pd.read_parquet(ts))
            ev = self.parts / f"{task.run_id}.events.parquet"
            if ev.exists():
                events.append(pd.read_parquet(ev))
        written = {}
        runs = pd.DataFrame(rows)
        written["runs"] = self.root / "runs.parquet"
        atomic_write(written["runs"], lambda p: runs.to_parquet(p, index=False))
        if series:
            ts_all = pd.concat(series, ignore_index=True)
            written["timeseries"] = self.root / "timeseries.parquet"
            atomic_write(written["timeseries"], lambda p: ts_all.to_parquet(p, index=False))
        if events:
            ev_all = pd.concat([e for e in events if len(e)], ignore_index=True) if any(len(e) for e in events) else events[0]
            written["events"] = self.root / "events.parquet"
            atomic_write(written["events"], lambda p: ev_all.to_parquet(p, index=False))
        self.seconds = seconds
        return written


def _nan(value: Any) -> Any:
    return float("nan") if value is None else value


def _jsonable(outcomes: dict[str, Any]) -> dict[str, Any]:
    """NaN is not JSON: store it as null (read back as NaN)."""
    out = {}
    for key, value in outcomes.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and math.isnan(value):
            value = None
        out[key] = value
    return out
