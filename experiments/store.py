"""An experiment's results folder: one file per finished run, then consolidated Parquet tables.

Layout of DIR:
    experiment.toml        the experiment file as given (a colleague reruns from it)
    design.json            the run table and its digest; a resume must match it exactly
    parts/<run_id>.*       one run's outcomes (JSON, written last: the run's completion mark),
                           daily series and event log (Parquet)
    runs.parquet           one row per run: run_id, point, policy, replicate, seed, factors, outcomes
    timeseries.parquet     daily series of every run, tagged with run_id/policy/point/replicate
                           (streamed from the parts: one run's table in memory at a time)
    events.parquet         event logs of every run, tagged the same way
    manifest.json          scenario hashes, package version, git revision, timings, backend

Every file is written to a temporary name and moved into place, so a run killed at any moment
leaves either a finished file or none (`clean_temporaries` removes the temporary files it left).
An OS lock (flock) on .siaga-experiment.lock stops two experiments writing one folder; the kernel
drops it when its process dies, so a killed experiment never blocks its resume.
"""

from __future__ import annotations

import datetime as dt
import errno
import fcntl
import json
import math
import os
import socket
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from common.atomic import OutputError, atomic_write, describe_os_error, write_json
from experiments.design import Task

PARTS = "parts"
LOCK = ".siaga-experiment.lock"


class StoreError(OutputError):
    """The results folder cannot be used (locked, holds another experiment, not writable)."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_holder(fd: int) -> dict[str, Any]:
    """Who holds the lock, for the message (the holder writes it just after locking)."""
    for _ in range(20):
        try:
            data = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
            if isinstance(data, dict):
                return data
        except (OSError, ValueError):
            pass
        time.sleep(0.05)
    return {}


class ResultStore:
    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.parts = self.root / PARTS
        self._lock_fd: int | None = None

    # ------------------------------------------------------------------ locking
    def acquire(self) -> None:
        """Take the folder for this process; refuse if another live experiment holds it.

        The lock is an OS lock (flock) on DIR/.siaga-experiment.lock, held open for the whole
        experiment: the kernel releases it when the process ends in any way (kill -9 included), so
        a lock left by a killed experiment never blocks a resume, and two experiments that start at
        the same moment cannot both get it. The file holds pid, host and start time for the message.
        """
        try:
            self.parts.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            err = describe_os_error(exc, self.root)
            raise StoreError(str(err), err.errno, self.root) from None
        if not os.access(self.root, os.W_OK):
            code = errno.EROFS if os.statvfs(self.root).f_flag & os.ST_RDONLY else errno.EACCES
            err = describe_os_error(OSError(code, os.strerror(code)), self.root)
            raise StoreError(str(err), code, self.root)
        lock = self.root / LOCK
        for _ in range(50):  # a retry only when a finishing holder removed the file we opened
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                err = describe_os_error(exc, self.root)
                raise StoreError(str(err), err.errno, self.root) from None
            try:
                got = self._flock(fd, lock)
            except BaseException:
                os.close(fd)
                raise
            if got is None:  # the file we locked was removed meanwhile: lock the new one
                os.close(fd)
                continue
            if got is False:
                other = _read_holder(fd)
                os.close(fd)
                raise StoreError(
                    f"another experiment is writing to {self.root} (pid {other.get('pid', '?')} on "
                    f"{other.get('host', '?')}, started {other.get('started', '?')}); wait for it or choose another --out folder",
                    errno.EBUSY, self.root,
                )
            me = {"pid": os.getpid(), "host": socket.gethostname(),
                  "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}
            try:
                os.ftruncate(fd, 0)
                os.pwrite(fd, json.dumps(me).encode("utf-8"), 0)
            except OSError as exc:
                os.close(fd)
                err = describe_os_error(exc, self.root)
                raise StoreError(str(err), err.errno, self.root) from None
            self._lock_fd = fd
            return
        raise StoreError(f"could not lock {self.root}: its lock file keeps changing", errno.EBUSY, self.root)

    @staticmethod
    def _flock(fd: int, lock: Path) -> bool | None:
        """True: locked; False: another process holds it; None: `lock` no longer names this file."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError as exc:
            if exc.errno not in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS, errno.EINVAL):
                raise
            # a file system without flock: fall back on the pid written in the file
            other = _read_holder(fd)
            same_host = other.get("host") == socket.gethostname()
            pid = other.get("pid")
            if isinstance(pid, int) and pid != os.getpid() and (not same_host or _pid_alive(pid)):
                return False
            return True
        try:
            on_disk = os.stat(lock)
        except FileNotFoundError:
            return None
        mine = os.fstat(fd)
        return True if (mine.st_dev, mine.st_ino) == (on_disk.st_dev, on_disk.st_ino) else None

    def release(self) -> None:
        """Remove the lock file, then let the lock go (a waiting process re-checks the file)."""
        if self._lock_fd is not None:
            try:
                (self.root / LOCK).unlink(missing_ok=True)
            except OSError:
                pass  # e.g. the folder became read-only: the kernel lock still goes with the close
            os.close(self._lock_fd)
            self._lock_fd = None

    @property
    def locked(self) -> bool:
        return self._lock_fd is not None

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
        """Run ids whose outcomes file exists and reads back: finished runs, never recomputed.

        (A file cut short by a power failure, which atomic moves cannot prevent without fsync,
        is not a finished run: it is computed again and overwritten.)"""
        finished = set()
        for p in self.parts.glob("*.outcomes.json"):
            try:
                rec = json.loads(p.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if isinstance(rec, dict) and isinstance(rec.get("outcomes"), dict):
                finished.add(p.name[: -len(".outcomes.json")])
        return finished

    def clean_temporaries(self) -> int:
        """Remove half-written files a killed process left behind (run parts and consolidated tables).

        Only called with the lock held, so no other writer's temporary file can be removed."""
        stale = [*self.parts.glob(".*.tmp"), *self.root.glob(".*.tmp")]
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
        """Build the tables from the parts, in run-table order (so any backend gives the same bytes).

        Series and event logs are streamed part by part into the consolidated file (one run's
        table in memory at a time), unless their column types differ between runs; then pandas
        concatenates them in memory, reconciling the types."""
        rows, series, events, seconds = [], [], [], {}
        for task in sorted(tasks, key=lambda t: t.index):
            rec = self.read_outcomes(task.run_id)
            seconds[task.run_id] = rec.get("seconds")
            rows.append({**task.row(), **{k: _nan(v) for k, v in rec["outcomes"].items()}})
            ts = self.parts / f"{task.run_id}.timeseries.parquet"
            if ts.exists():
                series.append(ts)
            ev = self.parts / f"{task.run_id}.events.parquet"
            if ev.exists():
                events.append(ev)
        written = {}
        runs = pd.DataFrame(rows)
        written["runs"] = self.root / "runs.parquet"
        atomic_write(written["runs"], lambda p: runs.to_parquet(p, index=False))
        if series:
            written["timeseries"] = self.root / "timeseries.parquet"
            _concatenate(series, written["timeseries"])
        if events:
            written["events"] = self.root / "events.parquet"
            _concatenate(events, written["events"], skip_empty=True)
        self.seconds = seconds
        return written


def _concatenate(paths: list[Path], target: Path, skip_empty: bool = False) -> None:
    """The part files, one after another, into `target` (atomically). `skip_empty`: leave out
    empty parts (their column types are often undetermined), unless all are empty."""
    import pyarrow.parquet as pq

    if skip_empty:
        paths = [p for p in paths if pq.read_metadata(p).num_rows > 0] or paths[:1]
    schemas = [pq.read_schema(p) for p in paths]
    if all(s.equals(schemas[0], check_metadata=False) for s in schemas[1:]):
        def stream(tmp: Path) -> None:
            with pq.ParquetWriter(tmp, schemas[0]) as writer:
                for p in paths:
                    writer.write_table(pq.read_table(p))

        atomic_write(target, stream)
        return
    frame = pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)
    atomic_write(target, lambda p: frame.to_parquet(p, index=False))


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
