"""Polygons for drawing: villages, kecamatan and kab/kota outlines as shapely geometries.

Longitude/latitude, EPSG:4326 (wrap in `geopandas.GeoSeries(..., crs=4326)` if you use geopandas).
They are the shared dataset's polygons (Douglas-Peucker, 0.0008° ≈ 89 m, topology preserved)
snapped to a 1e-5° grid: every stored vertex is within 0.8 m of the source; data/README.md says
what else the snapping removed. Kecamatan and kab/kota outlines are unions of their villages'
original polygons, simplified separately, so drawn borders may differ from village borders by up to
about 90 m. Areas, centroids and adjacency always come from the original polygons, not these.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from geography import codec, store, wilayah
from geography import codes as C

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

OUTLINE_LEVELS = {"kecamatan": "kecamatan", "kabupaten": "kabupaten", "kota": "kabupaten"}
"""Levels `outlines` draws, and the shape file each reads (kab and kota share one)."""


@functools.cache
def _shapes(kind: str) -> tuple[pa.Table, np.ndarray]:
    """The shape table of `kind` (desa, kecamatan, kabupaten) and its codes (sorted), read once."""
    t = store.table(store.SHAPE_FILES[kind])
    return t, t.column("kode").to_numpy(zero_copy_only=False).astype(object)


def _decode(kind: str, wanted: list[str]) -> pd.Series:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    t, kode = _shapes(kind)
    want = np.asarray(wanted, dtype=object)
    pos = np.searchsorted(kode, want)
    found = pos < len(kode)
    found[found] = kode[pos[found]] == want[found]
    pos = pos[found]  # codes without a polygon are left out
    if len(pos) and np.all(np.diff(pos) == 1):
        sub = t.slice(int(pos[0]), len(pos))  # one region: a contiguous run, no copy
    else:
        sub = t.take(pa.array(pos, type=pa.int64()))
    geoms = codec.decode(sub.select(list(codec.SHAPE_COLUMNS)))
    return pd.Series(geoms, index=pd.Index(kode[pos], name="kode", dtype="str"), name="geometry", dtype=object)


def village_shapes(codes: str | Iterable[str]) -> pd.Series:
    """The polygons of the villages under `codes` (units of any level; a village code stands for
    itself): a Series of shapely Polygon/MultiPolygon indexed by village code, in code order.

    Villages without a polygon (829 of 83,762; `units().has_geom` is False) are left out: draw them
    with `village_positions`, which puts them at their kecamatan's centroid. A province of 2,000
    villages takes a few tens of milliseconds once the file is read (about 0.2 s, once per process)."""
    return _decode("desa", wilayah.village_codes(codes))


def outlines(codes: str | Iterable[str], level: str) -> pd.Series:
    """Outlines of kecamatan or kab/kota (`level` "kecamatan", "kabupaten" or "kota"): a Series of
    shapely geometries indexed by code, in code order.

    Each code may be at the level itself, above it (all units of the level under it:
    `outlines("63", "kecamatan")` gives the 156 kecamatan of Kalimantan Selatan) or below it (the
    unit containing it: `outlines("17.08.04.2001", "kecamatan")` is Kecamatan Kepahiang). Every
    kecamatan and kab/kota has an outline (79 of them are the source's coarser layer polygon where
    villages lack polygons; data/README.md)."""
    import numpy as np

    if level not in OUTLINE_LEVELS:
        raise ValueError(f"level {level!r}: outlines exist for {', '.join(OUTLINE_LEVELS)} (villages: village_shapes)")
    kind = OUTLINE_LEVELS[level]
    depth = C.DEPTH[kind]
    _, kode = _shapes(kind)
    wanted: set[str] = set()
    for code in [codes] if isinstance(codes, str) else codes:
        code = wilayah.check(code)
        if C.depth(code) >= depth:
            wanted.add(".".join(code.split(".")[:depth]))
        else:
            lo = int(np.searchsorted(kode, code + "."))
            hi = int(np.searchsorted(kode, code + "/"))
            wanted.update(kode[lo:hi])
    return _decode(kind, sorted(wanted))
