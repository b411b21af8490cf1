"""Writing a run's results to a self-describing folder, atomically.

Every file goes through `common.atomic.atomic_write` (a temporary name, then `os.replace`), so an
interrupted run never leaves a half-written table that looks finished; a failed write raises
`OutputError`, one plain sentence naming the folder. `OutputError`, `describe_os_error`,
`atomic_write` and `write_json` are re-exported here for the command line.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.atomic import OutputError, atomic_write, describe_os_error, write_json, write_table
from common.version import __version__

if TYPE_CHECKING:
    from siaga.exports import ExportRequest
    from simulation.model import SiagaModel

__all__ = ["OutputError", "atomic_write", "describe_os_error", "scenario_hash", "write_json", "write_run", "write_table"]


def scenario_hash(model: SiagaModel) -> str:
    blob = json.dumps(model.spec.model_dump(mode="json"), sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def write_run(
    model: SiagaModel, out: Path, fmt: str = "parquet", charts: bool = True, exports: ExportRequest | None = None
) -> list[Path]:
    """Write time series, per-village results, event log, outcomes, charts, the exports asked for
    (`siaga.exports`: GeoPackage, GeoJSON, GraphML, GEXF) and a manifest."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise describe_os_error(exc, out) from exc
    written = [
        write_table(model.timeseries(), out / "timeseries", fmt),
        write_table(model.village_frame(), out / "villages", fmt),
        write_table(model.event_frame(), out / "events", fmt),
        write_json(model.outcomes(), out / "outcomes.json"),
        write_json(model.spec.model_dump(mode="json"), out / "scenario.json"),
    ]
    if charts:
        from siaga.charts import escalation_chart, village_map  # matplotlib, only when charts are drawn

        written.append(_chart(escalation_chart, model, out / "escalation.png"))
        written.append(_chart(village_map, model, out / "village_map.png"))
    if exports:
        from siaga.exports import write_exports  # pyogrio and networkx writers, only when asked

        written.extend(write_exports(model, out, exports))
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


def _chart(draw: Callable[[SiagaModel, Any], Any], model: SiagaModel, path: Path) -> Path:
    """Draw into memory (PNG, matplotlib's default format), then write the file atomically."""
    buf = io.BytesIO()
    draw(model, buf)
    atomic_write(path, lambda p: p.write_bytes(buf.getvalue()))
    return path


def _describe(name: str) -> str:
    from siaga.exports import describe

    if export := describe(name):
        return export
    stem = name.split(".")[0]
    return {
        "timeseries": "one row per simulated day: shares calm/tense/mobilised/violent/detained, incidents, alert levels",
        "villages": "one row per desa/kelurahan: incidents, participants, arrests, worst alert level, police and mediation days",
        "events": "event log: day, date, stage, village, village_code, kind, actors, size, detail",
        "outcomes": "the run's outcome measures (see docs/ODD.md §4.11 Observation)",
        "scenario": "the fully resolved scenario this run used",
        "escalation": "escalation over the calendar with the election stages shaded",
        "village_map": "the villages on their real map (circles at assumed positions for synthetic regions), coloured by their worst alert level",
    }.get(stem, "")
