"""Writing a run's results to a self-describing folder, atomically.

Each file is written to a temporary name in the same folder and moved into place with
`os.replace`, so an interrupted run never leaves a half-written table that looks finished.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from simulation.model import SiagaModel


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp_path)` then move the finished file onto `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(df: pd.DataFrame, path: Path, fmt: str) -> Path:
    target = path.with_suffix(f".{fmt}")
    if fmt == "parquet":
        atomic_write(target, lambda p: df.to_parquet(p, index=False))
    else:
        atomic_write(target, lambda p: df.to_csv(p, index=False))
    return target


def write_json(obj: Any, path: Path) -> Path:
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path


def scenario_hash(model: SiagaModel) -> str:
    blob = json.dumps(model.spec.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def write_run(model: SiagaModel, out: Path, fmt: str = "parquet", charts: bool = True) -> list[Path]:
    """Write time series, per-village results, event log, outcomes, charts and a manifest."""
    from siaga import __version__

    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_table(model.timeseries(), out / "timeseries", fmt),
        write_table(model.village_frame(), out / "villages", fmt),
        write_table(model.event_frame(), out / "events", fmt),
        write_json(model.outcomes(), out / "outcomes.json"),
        write_json(model.spec.model_dump(mode="json"), out / "scenario.json"),
    ]
    if charts:
        from siaga.charts import escalation_chart, village_map

        written.append(escalation_chart(model, out / "escalation.png"))
        written.append(village_map(model, out / "village_map.png"))
    manifest = {
        "siaga_version": __version__,
        "scenario": model.spec.name,
        "scenario_sha256_16": scenario_hash(model),
        "seed": model.seed,
        "policy_presets": model.policy.presets,
        "days": model.day,
        "villagers": model.people.n,
        "villages": model.region.n_villages,
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "files": {p.name: _describe(p.name) for p in written},
    }
    written.append(write_json(manifest, out / "manifest.json"))
    return written


def _describe(name: str) -> str:
    stem = name.split(".")[0]
    return {
        "timeseries": "one row per simulated day: shares calm/tense/mobilised/violent/detained, incidents, alert levels",
        "villages": "one row per desa/kelurahan: incidents, participants, arrests, worst alert level, police and mediation days",
        "events": "event log: day, date, stage, village, kind, actors, size, detail",
        "outcomes": "the run's outcome measures (see docs/ODD.md, Observation)",
        "scenario": "the fully resolved scenario this run used",
        "escalation": "escalation over the calendar with the election stages shaded",
        "village_map": "villages at their positions, coloured by their worst alert level",
    }.get(stem, "")
