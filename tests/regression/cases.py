"""The runs compared seed for seed by tests/regression/test_same_results.py. First recorded from the
engine before "Engine v2" (main 45562f1), which the restructuring reproduced exactly; re-recorded
on purpose when the tension update became one affine operator (float32 rounding; checked on 200
paired runs, docs/ODD.md §7.18a), and again when the library regions moved onto their real map
(positions, neighbours, seats and Polres travel from the national geography, issue 12), then
with one outcome more each for severity (§7.21) and the reporting filter (§7.23: `incidents_reported`;
every other number of every case unchanged, compared key by key), and when the calibrated
parameters became the library's defaults (docs/CALIBRATION.md §12: ten behavioural parameters and
campaign-stage violence on; every case changes). `record.py` re-records them (only ever on purpose: a changed
baseline must be explained in the commit and in docs/ODD.md)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import numpy as np

REGIONS = ("kepahiang_pilkada2024", "tanjabtim_pemilu2024", "wonosobo_pilkada2015", "kukar_pilkada2024", "kalsel_pilkada2020")
VARIANTS = ("", "_none", "_joint", "_kades_early", "_late", "_police_early")

# (scenario, seed, days or None for the whole calendar, slow?)
CASES: list[tuple[str, int, int | None, bool]] = []
for _v in VARIANTS:
    for _s in (1, 2, 3):
        CASES.append((f"kepahiang_pilkada2024{_v}", _s, None, _s == 3))
    CASES.append((f"tanjabtim_pemilu2024{_v}", 1, None, _v not in ("", "_joint")))
    CASES.append((f"wonosobo_pilkada2015{_v}", 1, 40, True))
    CASES.append((f"kukar_pilkada2024{_v}", 1, 40, _v != "_joint"))
CASES.append(("kalsel_pilkada2020", 1, 6, True))


def _digest(*arrays: Any) -> str:
    h = hashlib.sha256()
    for a in arrays:
        a = np.asarray(a)
        if a.dtype.kind in "biufcmM":  # numbers, booleans, dates: their exact bytes
            a = np.ascontiguousarray(a)
            h.update(str(a.dtype).encode())
            h.update(a.tobytes())
        else:  # text (object arrays hold pointers, so hash the values themselves)
            h.update("\x1f".join(map(str, a.tolist())).encode())
    return h.hexdigest()[:20]


def fingerprint(model: Any) -> dict[str, Any]:
    """What a run produced: its outcomes, and digests of the daily series, the event log and the
    villagers' final state (so a change anywhere in the arithmetic shows)."""
    out = model.outcomes()
    ts = model.timeseries()
    ev = model.event_frame()
    p = model.people
    return {
        "outcomes": json.loads(json.dumps(out, default=float)),
        "timeseries": _digest(*(ts[c].to_numpy() for c in sorted(ts.columns))),
        "events": hashlib.sha256(ev.to_csv(index=False).encode()).hexdigest()[:20],
        "n_events": len(ev),
        "people": _digest(p.tension, p.legitimacy, p.state, p.rumour, p.jail),
    }


def case_id(scenario: str, seed: int, days: int | None) -> str:
    return f"{scenario}-seed{seed}-days{days or 'all'}"
