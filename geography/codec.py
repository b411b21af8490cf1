"""Polygons <-> compact integer columns: the one place that knows how shapes are stored.

Why a format of our own: the shared dataset keeps polygons as WKB (16 bytes a vertex, 45 MB for
villages, kecamatan and kab/kota together). Here every vertex is snapped to a grid of
`GRID_DEG` degrees (1e-5°, about 1.1 m) and stored as two int32 numbers; within each ring every
vertex after the first is stored as the step from the previous one, and zstd does the rest. The same
polygons then take about a third of the space, and decoding a province of 2,000 villages is a few
numpy operations and one `shapely.from_ragged_array` call.

One row per unit, four list columns, following shapely's ragged-array layout for MultiPolygons:

- `parts`: for each polygon of the unit, how many rings it has (shell first, then holes);
- `rings`: for each ring, how many vertices it has (closed: the last repeats the first);
- `x`, `y`: the vertices, longitude and latitude in units of `GRID_DEG`, ring-delta encoded.

Every geometry is decoded as a MultiPolygon when it has several parts, else as a Polygon
(EPSG:4326, longitude/latitude). `build.py` encodes, `shapes.py` decodes; both use this module so
the two cannot drift apart.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

GRID_DEG = 1e-5
"""Grid the stored vertices are snapped to, degrees (1e-5° ≈ 1.1 m; half a cell ≤ 0.8 m)."""

SHAPE_COLUMNS = ("parts", "rings", "x", "y")


def encode(geoms: np.ndarray, grid: float = GRID_DEG) -> dict[str, pa.Array]:
    """The four list columns for an array of (Multi)Polygons, already snapped to `grid`
    (`shapely.set_precision(geoms, grid)`), one row per geometry."""
    import numpy as np
    import pyarrow as pa
    import shapely

    kind, coords, offsets = shapely.to_ragged_array(geoms)  # a Polygon among MultiPolygons: one part
    if kind == shapely.GeometryType.POLYGON:
        (ring_off, poly_off), geom_off = offsets, np.arange(len(geoms) + 1)
    elif kind == shapely.GeometryType.MULTIPOLYGON:
        ring_off, poly_off, geom_off = offsets
    else:
        raise ValueError(f"expected polygons, got {kind!r}")
    xi = np.rint(coords[:, 0] / grid).astype(np.int64)
    yi = np.rint(coords[:, 1] / grid).astype(np.int64)
    if np.abs(xi).max(initial=0) >= 2**31 or np.abs(yi).max(initial=0) >= 2**31:
        raise ValueError("coordinates do not fit int32 at this grid")
    starts = ring_off[:-1]
    dx, dy = np.diff(xi, prepend=0), np.diff(yi, prepend=0)
    dx[starts], dy[starts] = xi[starts], yi[starts]  # first vertex of each ring: absolute

    def listed(values: np.ndarray, offsets: np.ndarray) -> pa.Array:
        return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), pa.array(values.astype(np.int32)))

    vertex_off = ring_off[poly_off[geom_off]]
    return {
        "parts": listed(np.diff(poly_off), geom_off),
        "rings": listed(np.diff(ring_off), poly_off[geom_off]),
        "x": listed(dx, vertex_off),
        "y": listed(dy, vertex_off),
    }


def decode(table: pa.Table, grid: float = GRID_DEG) -> np.ndarray:
    """Shapely geometries (Polygon, or MultiPolygon when a unit has several parts) for every row
    of a table with the four list columns, in row order."""
    import numpy as np
    import pyarrow as pa
    import shapely

    if table.num_rows == 0:
        return np.empty(0, dtype=object)

    def flat(name: str) -> tuple[np.ndarray, np.ndarray]:
        col = table.column(name)
        arr = col.combine_chunks() if isinstance(col, pa.ChunkedArray) else col
        values = arr.values.to_numpy()
        offsets = arr.offsets.to_numpy()
        return values[offsets[0] : offsets[-1]], offsets - offsets[0]

    parts, geom_off = flat("parts")
    rings, _ = flat("rings")
    dx, _ = flat("x")
    dy, _ = flat("y")
    ring_off = np.concatenate(([0], np.cumsum(rings, dtype=np.int64)))
    poly_off = np.concatenate(([0], np.cumsum(parts, dtype=np.int64)))
    # undo the ring-delta: cumulative sum, restarted at each ring's first vertex
    cx, cy = np.cumsum(dx, dtype=np.int64), np.cumsum(dy, dtype=np.int64)
    starts = ring_off[:-1]
    base = np.repeat(np.arange(len(rings)), rings)
    before_x = np.concatenate(([0], cx))[starts]
    before_y = np.concatenate(([0], cy))[starts]
    coords = np.empty((len(dx), 2))
    coords[:, 0] = cx - before_x[base]
    coords[:, 1] = cy - before_y[base]
    scale = round(1 / grid)
    if abs(scale * grid - 1) < 1e-12:
        coords /= scale  # 11469430 / 1e5 is the double nearest 114.6943; * 1e-5 would not always be
    else:
        coords *= grid
    geoms = shapely.from_ragged_array(shapely.GeometryType.MULTIPOLYGON, coords, (ring_off, poly_off, geom_off))
    single = np.diff(geom_off) == 1
    geoms[single] = shapely.get_geometry(geoms[single], 0)
    return geoms
