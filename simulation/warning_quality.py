"""How good are the warnings? Pure functions that judge alert levels and reports against what
actually happened (the model's incidents), as an early-warning system is judged.

A warning is an alert at or above `alarm_level` (SIAGA by default). Judged per village, with a
`horizon` (7 days by default, the week a Camat plans for):

* an **incident is warned** when its village was at the alarm level on some day of the `horizon`
  days before it (the incident day itself excluded: an alarm raised by the incident warns of
  nothing); its **lead time** is the incident day minus the first day of that uninterrupted
  alarm (how long the village had been at the alarm level when the last alarm before it was given);
* an incident is **fresh** when its village had no incident in the `horizon` days before (an
  AWAS that a previous incident raised does not count as foresight);
* an **alarm is explained** when an incident happens in its village from `follow_up` days before
  to `horizon` days after it; a **false alarm** is an alarm nothing explains, and a village-week
  (days 7w..7w+6) with an alarm is a false-alarm week when none of its alarms is explained.

`classify_reports` gives each report one verdict (`VERDICTS`) so that a debrief can mark which
reports were false alarms; `warning_quality` sums up a whole matrix of daily levels (true, as read
by the Kades, or as known at the Camat's desk). The definitions are those of docs/WARNINGS.md;
experiments/early_warning.py measures the default scenario with them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from common.levels import ALERT_LEVELS, SIAGA

__all__ = [
    "FALSE_ALARM", "FOLLOW_UP", "MISSED", "QUIET", "VERDICTS", "WARNING", "classify_reports", "incident_days",
    "warning_quality",
]

WARNING = "warning"  # at or above the alarm level, an incident follows within the horizon
FALSE_ALARM = "false_alarm"  # at or above the alarm level, no incident before or after
FOLLOW_UP = "follow_up"  # at or above the alarm level, after an incident (and none follows)
MISSED = "missed"  # below the alarm level, yet an incident follows within the horizon
QUIET = "quiet"  # below the alarm level and nothing follows: a correct all-clear
VERDICTS = (WARNING, FALSE_ALARM, FOLLOW_UP, MISSED, QUIET)


def _day_village(item: Any) -> tuple[int, int]:
    """(day, village) of an incident or report given as a mapping, a named tuple or a pair."""
    if isinstance(item, Mapping):
        return int(item["day"]), int(item["village"])
    if hasattr(item, "village") and hasattr(item, "day"):
        return int(item.day), int(item.village)
    day, village = item[0], item[1]
    return int(day), int(village)


def incident_days(incidents: Iterable[Any]) -> dict[int, np.ndarray]:
    """Village -> sorted days with an incident. Incidents are the model's (`model.incidents`:
    dicts with "day" and "village") or (day, village) pairs."""
    by_village: dict[int, list[int]] = {}
    for item in incidents:
        day, village = _day_village(item)
        by_village.setdefault(village, []).append(day)
    return {v: np.array(sorted(days), dtype=np.int64) for v, days in by_village.items()}


def _any_between(days: np.ndarray | None, first: int, last: int) -> bool:
    """Whether some day of the sorted `days` lies in [first, last]."""
    if days is None or first > last:
        return False
    i = int(np.searchsorted(days, first, side="left"))
    return i < len(days) and days[i] <= last


def _check_window(horizon: int, follow_up: int) -> None:
    if horizon < 1 or follow_up < 0:
        raise ValueError(f"horizon must be >= 1 and follow_up >= 0 days, got {horizon} and {follow_up}")


def classify_reports(
    reports: Iterable[Any], incidents: Iterable[Any], horizon: int = 7, follow_up: int = 7, alarm_level: int = SIAGA,
) -> list[str]:
    """One verdict per report, in order (`WARNING`, `FALSE_ALARM`, `FOLLOW_UP`, `MISSED`, `QUIET`).

    A report is judged by the day it describes, not the day it reached the desk. `reports` hold
    (day sent, village, level): the workshop's `Report` (fields `sent`, `village`, `level`), mappings
    with "sent" or "day", or plain triples. An incident on the day sent happened before the evening
    reading, so it makes an alarm a follow-up, not a warning.
    """
    _check_window(horizon, follow_up)
    days = incident_days(incidents)
    out = []
    for r in reports:
        if isinstance(r, Mapping):
            sent, village, level = int(r.get("sent", r.get("day"))), int(r["village"]), int(r["level"])
        elif hasattr(r, "sent"):
            sent, village, level = int(r.sent), int(r.village), int(r.level)
        else:
            sent, village, level = int(r[0]), int(r[1]), int(r[2])
        hist = days.get(village)
        ahead = _any_between(hist, sent + 1, sent + horizon)
        if level >= alarm_level:
            out.append(WARNING if ahead else FOLLOW_UP if _any_between(hist, sent - follow_up, sent) else FALSE_ALARM)
        else:
            out.append(MISSED if ahead else QUIET)
    return out


def _shares(levels: np.ndarray) -> dict[str, float]:
    """Share of cells at each level; -1 (nothing known yet) as "none"."""
    n = max(levels.size, 1)
    out = {name: float(np.count_nonzero(levels == i) / n) for i, name in enumerate(ALERT_LEVELS)}
    if (levels < 0).any():
        out["none"] = float(np.count_nonzero(levels < 0) / n)
    return out


def warning_quality(
    levels: np.ndarray, incidents: Iterable[Any], stages: Sequence[str] | None = None, horizon: int = 7,
    follow_up: int = 7, alarm_level: int = SIAGA,
) -> dict[str, Any]:
    """Judge a (days x villages) matrix of alert levels (-1: nothing known) against the incidents.

    Returns counts (so that runs can be pooled) and the shares they give: `level_share` (of
    village-days, and per stage when `stages`, one name per day, is given), `incidents`, `warned`,
    `hit_rate`, `fresh_incidents`, `fresh_warned`, `fresh_hit_rate`, `lead_days` (one per warned
    incident), `median_lead_days`, `alarm_weeks`, `false_alarm_weeks`, `false_alarm_share`,
    `village_weeks`, `incident_weeks` (village-weeks with an incident: the base rate an alarm is
    to beat), `alarm_days`, `false_alarm_days`.
    """
    _check_window(horizon, follow_up)
    lv = np.asarray(levels)
    if lv.ndim != 2:
        raise ValueError(f"levels must be a (days x villages) matrix, got shape {lv.shape}")
    n_days, n_villages = lv.shape
    if stages is not None and len(stages) != n_days:
        raise ValueError(f"stages must name each of the {n_days} days, got {len(stages)}")
    inc = [(d, v) for d, v in (_day_village(i) for i in incidents) if 0 <= d < n_days and 0 <= v < n_villages]
    days = incident_days(inc)
    alarm = lv >= alarm_level
    # incidents: warned within the horizon before, lead time from the first alarm in that window
    leads, fresh, fresh_warned = [], 0, 0
    for d, v in inc:
        window = alarm[max(0, d - horizon):d, v]
        is_fresh = not _any_between(days[v], d - horizon, d - 1)
        fresh += is_fresh
        if window.any():
            last = max(0, d - horizon) + int(np.flatnonzero(window)[-1])
            first = last  # back to the start of that uninterrupted alarm
            while first > 0 and alarm[first - 1, v]:
                first -= 1
            leads.append(d - first)
            fresh_warned += is_fresh
    # alarms: explained by an incident from follow_up days before to horizon days after
    explained = np.zeros_like(alarm)
    for v, hist in days.items():
        for d in hist:
            explained[max(0, d - horizon):min(n_days, d + follow_up + 1), v] = True
    false_day = alarm & ~explained
    n_weeks = -(-n_days // 7)
    pad = n_weeks * 7 - n_days
    week_alarm = np.pad(alarm, ((0, pad), (0, 0))).reshape(n_weeks, 7, n_villages).any(axis=1)
    week_true = np.pad(alarm & explained, ((0, pad), (0, 0))).reshape(n_weeks, 7, n_villages).any(axis=1)
    hit_week = np.zeros((n_weeks, n_villages), dtype=bool)
    for d, v in inc:
        hit_week[d // 7, v] = True
    alarm_weeks = int(week_alarm.sum())
    false_weeks = int((week_alarm & ~week_true).sum())
    out: dict[str, Any] = {
        "village_days": int(lv.size),
        "level_share": _shares(lv),
        "incidents": len(inc),
        "warned": len(leads),
        "hit_rate": len(leads) / len(inc) if inc else float("nan"),
        "fresh_incidents": int(fresh),
        "fresh_warned": int(fresh_warned),
        "fresh_hit_rate": fresh_warned / fresh if fresh else float("nan"),
        "lead_days": leads,
        "median_lead_days": float(np.median(leads)) if leads else float("nan"),
        "alarm_weeks": alarm_weeks,
        "false_alarm_weeks": false_weeks,
        "false_alarm_share": false_weeks / alarm_weeks if alarm_weeks else float("nan"),
        "village_weeks": int(n_weeks * n_villages),
        "incident_weeks": int(hit_week.sum()),
        "alarm_days": int(alarm.sum()),
        "false_alarm_days": int(false_day.sum()),
    }
    if stages is not None:
        names = np.asarray(stages)
        out["level_share_by_stage"] = {s: _shares(lv[names == s]) for s in dict.fromkeys(stages)}
        out["village_days_by_stage"] = {s: int((names == s).sum() * n_villages) for s in dict.fromkeys(stages)}
    return out
