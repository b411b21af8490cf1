"""Indonesia's national geography: every province, kab/kota, kecamatan and village of the 2025
official code list, with village polygons, outlines, neighbours and distances.

A leaf package (it imports nothing of SIAGA but `common`) so that scenarios, the model and the
faces can all use it. The data are packaged in `geography/data/` (about 18 MB; README.md there says
what, from where, how simplified, and the MIT notices of the sources). Nothing is read and nothing
heavy (pandas, shapely) is imported until a function is first called, so `import geography` is free.

    import geography
    geography.find("sampang")                 # units by name or code, best first
    geography.unit("35.27")                   # one unit; UnknownCode (a ValueError) says what is close
    geography.villages_in("17.08.04")         # the desa/kelurahan under any unit, in code order
    geography.village_shapes("63")            # shapely polygons of the 2,016 villages of Kalimantan Selatan
    geography.outlines("63", "kecamatan")     # their kecamatan outlines
    geography.neighbours("17.08.04")          # neighbouring village pairs inside the kecamatan
    geography.village_positions("17.08.04")   # lat/lng per village, with a flag where it is the kecamatan's
    geography.distance_km(lat1, lng1, lat2, lng2)

Codes are always strings (`11.10` is Kabupaten Aceh Singkil; as a float it would be 11.1).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from geography.errors import UnknownCode

if TYPE_CHECKING:
    from geography.adjacency import neighbours
    from geography.distance import distance_km
    from geography.search import find
    from geography.shapes import outlines, village_shapes
    from geography.wilayah import unit, units, village_positions, villages_in

_API = {
    "units": "geography.wilayah",
    "unit": "geography.wilayah",
    "villages_in": "geography.wilayah",
    "village_positions": "geography.wilayah",
    "find": "geography.search",
    "village_shapes": "geography.shapes",
    "outlines": "geography.shapes",
    "neighbours": "geography.adjacency",
    "distance_km": "geography.distance",
}

__all__ = [
    "UnknownCode",
    "distance_km",
    "find",
    "neighbours",
    "outlines",
    "unit",
    "units",
    "village_positions",
    "village_shapes",
    "villages_in",
]


def __getattr__(name: str) -> Any:
    """Import the module behind a public function on first use (PEP 562), keeping the import light."""
    if name in _API:
        value = getattr(importlib.import_module(_API[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geography' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
