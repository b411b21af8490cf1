"""Generated scenarios of any size, for benchmarks and scale tests.

`synthetic_scenario(1_000_000)` is a whole kabupaten: the default scenario's calendar, candidates
and parameters over a generated region of kecamatan x villages of typical Indonesian size
(~3,400 people per village, ~12 villages per kecamatan; docs/ODD.md §10.2 [D27]).
"""

from __future__ import annotations

import math
from typing import Any

from scenarios.loader import DEFAULT_SCENARIO, load_dict

PEOPLE_PER_VILLAGE = 3_400  # national mean (derived, docs/ODD.md [D27])
VILLAGES_PER_KECAMATAN = 12  # kabupaten kecamatan mean (derived, docs/ODD.md [D27])
KM2_PER_VILLAGE = 4.0  # assumed


def synthetic_scenario(villagers: int, base: str = DEFAULT_SCENARIO, days: int | None = None) -> dict[str, Any]:
    """A scenario dict with about `villagers` people (rounded to whole villages)."""
    per_village = min(PEOPLE_PER_VILLAGE, max(10, villagers))
    n_villages = max(1, round(villagers / per_village))
    n_kec = math.ceil(n_villages / VILLAGES_PER_KECAMATAN)
    per_kec = math.ceil(n_villages / n_kec)
    data = load_dict(base)
    data["name"] = f"Synthetic region, {n_kec * per_kec * per_village:,} villagers"
    data["region"] = {
        "name": "Synthetic kabupaten",
        "kabupaten": "Synthetic",
        "area_km2": KM2_PER_VILLAGE * n_kec * per_kec,
        "synthetic": {
            "kecamatan": n_kec,
            "villages_per_kecamatan": per_kec,
            "people_per_village": per_village,
        },
    }
    if days is not None:
        data["days"] = days
    return data
