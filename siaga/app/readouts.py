"""What the app's pages read off a running model: the stage of each race today, the proactive cost
so far, the event feed (newest first, by village and kind) and the villages' labels."""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

import numpy as np

from simulation.metrics import PROACTIVE_ROLES
from simulation.model import SiagaModel


def race_stages(model: SiagaModel, day: int) -> list[tuple[str, str, int]]:
    """(name, label, how many races) of each stage the scenario's races are in on `day`, in
    calendar order: one entry when every race votes on the same day; several when they are
    staggered (calendar.stagger_days, docs/ODD.md §7.1a), where the first race's stage alone
    would tell a user that a kab/kota still campaigning is already counting votes."""
    cal = model.calendar
    index, count = np.unique(cal.stage_index[np.clip(day - cal.offsets, 0, cal.n_days - 1)], return_counts=True)
    return [(cal.stages[i].name, cal.stages[i].label or cal.stages[i].name, int(n)) for i, n in zip(index.tolist(), count.tolist(), strict=True)]


def proactive_cost(model: SiagaModel) -> float:
    """Person-days of proactive work so far: `outcomes()["intervention_cost"]` at any day."""
    od = model.tally.officer_days
    return float(sum(v for k, v in od.items() if k in PROACTIVE_ROLES))


# the feed's toggles: group -> the event-log kinds it shows (simulation/events.py KINDS)
FEED_GROUPS: dict[str, tuple[str, ...]] = {
    "incidents": ("incident",),
    "actions": ("mediation", "recovery", "counter_hoax", "patrol", "response", "backup_request", "backup", "rakor", "arrest", "release"),
    "reports": ("detection", "report"),
    "other": ("hoax", "rally", "money_politics", "provocation", "result", "dispute"),
}


def feed_kinds(groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The event kinds of the chosen feed groups (an unknown group is ignored)."""
    return tuple(k for g in groups for k in FEED_GROUPS.get(g, ()))


class EventRow(NamedTuple):
    """One row of the model's event log, read by field name (the fields of simulation/events.py COLUMNS)."""

    day: int
    date: Any
    stage: str
    village: str  # the village's name: not unique (Kalimantan Selatan has three Simpang Empat)
    village_code: str  # its Kemendagri code: unique
    kind: str
    actors: str
    size: int
    detail: str


def recent_events(model: SiagaModel, village: int | None = None, limit: int = 30, kinds: tuple[str, ...] | None = None,
                  window: int = 5000) -> list[EventRow]:
    """The last `limit` events of `model`, newest first, among the last `window` rows; only those of
    village number `village` (matched by code, never by name) and of `kinds`, if given."""
    rows = [EventRow._make(r) for r in model.events.rows[-window:]]
    if village is not None:
        code = model.region.codes[village]
        rows = [r for r in rows if r.village_code == code]
    if kinds is not None:
        rows = [r for r in rows if r.kind in kinds]
    return rows[::-1][:limit]


def kelurahan_by_code(region) -> dict[str, bool]:
    """Village code -> is it a kelurahan (for "Desa X" / "Kelurahan X")."""
    return {code: bool(k) for code, k in zip(region.codes, region.kelurahan)}


def village_labels(region) -> list[str]:
    """One label per village for pickers: its name, with its code where another village shares it."""
    count = Counter(region.names)
    return [name if count[name] == 1 else f"{name} ({code})" for name, code in zip(region.names, region.codes)]
