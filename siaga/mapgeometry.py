"""Map geometry for the village maps: a region's real village polygons and kecamatan outlines,
projected once and kept per region, for the app's SVG map and the PNG `village_map`.

Two steps, each cached:

- `region_shapes(region)`: the villages' polygons (`geography.village_shapes`) and their kecamatan
  outlines (`geography.outlines`) on a local equirectangular projection in km (x east, y north,
  x scaled by the cosine of the mean latitude of the villages), with a point inside each village
  (`representative_point`) for markers and labels. Used as it is by matplotlib.
- `screen_map(region, width, height)`: the same fitted into an SVG box (aspect ratio kept),
  simplified to about a pixel (`shapely.simplify`, topology preserved, tolerance 0.6 px), written as
  SVG path strings in tenths of a pixel (relative moves; drawn inside `scale(.1)`), with the label
  positions, the scale bar and the north arrow. What changes from one day to the next (fills and
  markers) is drawn by `siaga.app.drawing.map_svg` around these pieces.

A region is drawn on its real map when its village codes are in the national code list (all but a
few: `max_missing`) and at least half of its villages have a polygon; the ~1% of villages without
one are small circles at their position (their kecamatan's centroid). Synthetic regions (codes `S.001.0001`), or scenarios whose codes are
mostly unknown, have no map: `region_shapes` is None and the callers draw today's circles
at the scenario's `x_km`/`y_km`.

Cached per region by the tuple of village codes (and names), so that every session of the same
scenario shares one copy: a province of 2,016 villages takes ~0.15 s once (plus ~1 s to read the
national polygon file, once per process).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from geography.distance import EARTH_RADIUS_KM

KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180.0
"""Length of a degree of latitude on the sphere `geography.distance_km` uses (111.195 km)."""
SIMPLIFY_PX = 0.6
"""Screen simplification tolerance, in pixels (Douglas-Peucker, topology preserved)."""
SVG_UNITS_PER_PX = 10
"""Path coordinates are whole tenths of a pixel (drawn inside `transform="scale(.1)"`)."""
KECAMATAN_LABELS_FROM = 300
"""At more villages than this the map names its kecamatan instead of its villages."""
LABEL_CAP = 40
"""At most this many names on a map (the largest places first)."""
CHAR_WIDTH_EM = 0.6
"""Width of a character of the labels' sans-serif, in em, used for the collision boxes (generous)."""
LEGEND_BAND_PX = 30


def max_missing(n: int) -> int:
    """How many village codes may be unknown (not in the national list) for a region still to be
    drawn on its real map: a few (3, or 2% of a large region)."""
    return max(3, n // 50)


# --------------------------------------------------------------------------- region, in km


@dataclass(frozen=True, eq=False)
class RegionShapes:
    """A region's geometry in km on a local equirectangular projection (x east, y north)."""

    lon0: float  # projection origin (degrees)
    lat0: float
    kx: float  # km per degree of longitude (KM_PER_DEGREE * cos(mean latitude))
    ky: float  # km per degree of latitude
    shapes: np.ndarray  # object array per village: shapely Polygon/MultiPolygon in km, or None
    anchor: np.ndarray  # (n, 2) km: a point inside each village (its position where it has no polygon)
    area_km2: np.ndarray  # (n,) area of each projected polygon (0 without one)
    outlines: np.ndarray  # object array of kecamatan outlines in km (lines: the outlines' boundaries)
    outline_codes: list[str]
    outline_names: list[str]
    outline_anchor: np.ndarray  # (k, 2) km: a point inside each kecamatan
    outline_area_km2: np.ndarray
    bounds: tuple[float, float, float, float]  # xmin, ymin, xmax, ymax of the villages, km

    @property
    def n(self) -> int:
        return len(self.anchor)

    def project(self, lat: Any, lng: Any) -> tuple[np.ndarray, np.ndarray]:
        """(x_km, y_km) of points given in degrees."""
        return (np.asarray(lng, dtype=float) - self.lon0) * self.kx, (np.asarray(lat, dtype=float) - self.lat0) * self.ky


def _known_codes(codes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Per code: is it a desa/kelurahan code of the national list, and has it a polygon."""
    from geography import codes as C
    from geography import wilayah

    table = wilayah._table()
    tingkat, has_geom = table["tingkat"].to_numpy(), table["has_geom"].to_numpy()
    known = np.zeros(len(codes), dtype=bool)
    shaped = np.zeros(len(codes), dtype=bool)
    for i, c in enumerate(codes):
        if isinstance(c, str) and C.is_code(c) and C.depth(c) == 4:
            lo, hi = wilayah.span(c)
            known[i] = hi > lo and tingkat[lo] in wilayah.VILLAGE_LEVELS
            shaped[i] = known[i] and bool(has_geom[lo])
    return known, shaped


def region_shapes(region) -> RegionShapes | None:
    """The geometry of `region` (a `simulation.region.Region`), or None when it has no real map
    (synthetic, more than `max_missing` codes not in the national list, or fewer than half of its
    villages with a polygon). Cached by its codes."""
    codes = tuple(region.codes)
    if not _is_real(codes):
        return None
    return _region_shapes(codes, tuple(region.kecamatan_codes), tuple(region.kecamatan_names))


@functools.lru_cache(maxsize=32)
def _is_real(codes: tuple[str, ...]) -> bool:
    """Known codes but for a few, and polygons for at least half of the villages (in a few
    kecamatan of Papua Barat no village has one: they would all sit on the kecamatan's centroid)."""
    n = len(codes)
    known, shaped = _known_codes(codes)
    return n > 0 and n - int(known.sum()) <= max_missing(n) and 2 * int(shaped.sum()) >= n


@functools.lru_cache(maxsize=8)
def _region_shapes(codes: tuple[str, ...], kec_codes: tuple[str, ...], kec_names: tuple[str, ...]) -> RegionShapes:
    n = len(codes)
    known, _ = _known_codes(codes)
    import shapely

    import geography

    kc = [c for c, k in zip(codes, known) if k]
    pos = geography.village_positions(kc).set_index("kode")
    shp = geography.village_shapes(kc)
    lat = pos["lat"].to_numpy(dtype=float)
    lng = pos["lng"].to_numpy(dtype=float)
    lat0 = float(np.mean(lat))
    lon0 = float(np.mean(lng))
    ky = KM_PER_DEGREE
    kx = KM_PER_DEGREE * math.cos(math.radians(lat0))

    def to_km(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(((xy[:, 0] - lon0) * kx, (xy[:, 1] - lat0) * ky))

    shapes = np.full(n, None, dtype=object)
    anchor = np.zeros((n, 2))
    index = {c: i for i, c in enumerate(codes)}
    if len(shp):
        geoms = shapely.transform(shp.to_numpy(), to_km)
        rows = np.array([index[c] for c in shp.index], dtype=np.intp)
        shapes[rows] = geoms
        anchor[rows] = shapely.get_coordinates(shapely.point_on_surface(geoms))
    without = np.array([i for i, c in enumerate(codes) if known[i] and shapes[i] is None], dtype=np.intp)
    if len(without):  # no polygon: the village's position (its kecamatan's centroid, geography says)
        p = pos.loc[[codes[i] for i in without]]
        anchor[without] = to_km(np.column_stack((p["lng"].to_numpy(dtype=float), p["lat"].to_numpy(dtype=float))))
    has = np.array([s is not None for s in shapes])
    area = np.zeros(n)
    area[has] = shapely.area(shapes[has].astype(object)) if has.any() else 0.0
    # a few unknown codes: at their kecamatan's centre if it is known, else the middle of the region
    unknown = np.flatnonzero(~known)
    placed = known
    centre = anchor[placed].mean(axis=0) if placed.any() else np.zeros(2)
    for i in unknown:
        same_kec = np.flatnonzero(placed & np.array([c[:8] == codes[i][:8] for c in codes]))
        anchor[i] = anchor[same_kec].mean(axis=0) if len(same_kec) else centre
    xs = [anchor[:, 0]]
    ys = [anchor[:, 1]]
    if has.any():
        b = shapely.bounds(shapes[has].astype(object))
        xs += [b[:, 0], b[:, 2]]
        ys += [b[:, 1], b[:, 3]]
    xmin, xmax = float(min(a.min() for a in xs)), float(max(a.max() for a in xs))
    ymin, ymax = float(min(a.min() for a in ys)), float(max(a.max() for a in ys))
    # kecamatan outlines, as lines, clipped to the villages' extent (a region that is part of a
    # kecamatan shows only the part of its outline around the region)
    kec_of = sorted({c[:8] for c in kc})
    out = geography.outlines(kec_of, "kecamatan")
    out_km = shapely.transform(out.to_numpy(), to_km) if len(out) else np.array([], dtype=object)
    m = 0.02 * max(xmax - xmin, ymax - ymin)  # outlines were simplified apart from the villages: a margin
    lines = shapely.clip_by_rect(shapely.boundary(out_km), xmin - m, ymin - m, xmax + m, ymax + m) if len(out_km) else out_km
    own = dict(zip(kec_codes, kec_names))
    units = geography.units().set_index("kode")["nama"]
    out_names = [own.get(c) or str(units.get(c, c)) for c in out.index]
    out_anchor = shapely.get_coordinates(shapely.point_on_surface(out_km)) if len(out_km) else np.zeros((0, 2))
    return RegionShapes(
        lon0=lon0, lat0=lat0, kx=kx, ky=ky, shapes=shapes, anchor=anchor, area_km2=area,
        outlines=np.asarray(lines, dtype=object), outline_codes=list(out.index), outline_names=out_names,
        outline_anchor=out_anchor, outline_area_km2=shapely.area(out_km) if len(out_km) else np.zeros(0),
        bounds=(xmin, ymin, xmax, ymax),
    )


# --------------------------------------------------------------------------- labels


@dataclass(frozen=True)
class Label:
    x: float  # centre of the text, px
    y: float  # baseline, px
    text: str
    size: float  # font size, px
    bold: bool
    village: int  # village number, or -1 for a kecamatan name

    @property
    def box(self) -> tuple[float, float, float, float]:
        """Its bounding box (x0, y0, x1, y1), px: the box the collision test uses."""
        return text_box(self.x, self.y, self.text, self.size)


def text_box(x: float, y: float, text: str, size: float) -> tuple[float, float, float, float]:
    """A generous box around `text` centred on x with its baseline at y."""
    w = CHAR_WIDTH_EM * size * len(text) + 2
    return (x - w / 2, y - 0.85 * size - 1, x + w / 2, y + 0.3 * size + 1)


def place_labels(candidates: list[tuple[float, float, float, str, float, bool, int]], frame: tuple[float, float, float, float],
                 reserved: list[tuple[float, float, float, float]], cap: int = LABEL_CAP) -> list[Label]:
    """Greedy placement: candidates (priority, x, y, text, size, bold, village), the largest
    priority first; a label is kept if its box lies inside `frame` and overlaps neither a kept
    label nor a `reserved` box (scale bar, north arrow); at most `cap` are kept."""
    boxes = np.array(reserved, dtype=float).reshape(-1, 4)
    kept: list[Label] = []
    fx0, fy0, fx1, fy1 = frame
    for _, x, y, text, size, bold, village in sorted(candidates, key=lambda c: -c[0]):
        if len(kept) >= cap:
            break
        x0, y0, x1, y1 = text_box(x, y, text, size)
        if x0 < fx0 or y0 < fy0 or x1 > fx1 or y1 > fy1:
            continue
        if len(boxes) and np.any((boxes[:, 0] < x1) & (x0 < boxes[:, 2]) & (boxes[:, 1] < y1) & (y0 < boxes[:, 3])):
            continue
        kept.append(Label(x, y, text, size, bold, village))
        boxes = np.vstack((boxes, (x0, y0, x1, y1)))
    return kept


def nice_length(target: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above `target` (> 0)."""
    e = 10 ** math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * e <= target:
            return m * e
    return e


# --------------------------------------------------------------------------- the SVG pieces


@dataclass(frozen=True, eq=False)
class ScreenMap:
    """A region fitted into a `width` x `height` SVG box; coordinates in px (y down)."""

    shapes: RegionShapes
    names: tuple[str, ...]  # village names (the region's)
    width: int
    height: int
    px_per_km: float
    x0: float  # px of x_km = 0 ...
    y0: float  # ... and of y_km = 0
    paths: list[str]  # per village: SVG path data in tenths of a px ("" without a polygon)
    anchor: np.ndarray  # (n, 2) px: markers and labels
    area_px: np.ndarray  # (n,) drawn area, px²
    outline_path: str  # kecamatan outlines, tenths of a px
    labels: list[Label]
    scale_km: float  # the scale bar: its length in km ...
    scale_px: float  # ... and in px
    scale_at: tuple[float, float]  # its left end, px
    north_at: tuple[float, float]  # the north arrow's tip, px

    @property
    def km_per_px(self) -> float:
        return 1.0 / self.px_per_km

    def to_px(self, x_km: Any, y_km: Any) -> tuple[np.ndarray, np.ndarray]:
        return self.x0 + np.asarray(x_km) * self.px_per_km, self.y0 - np.asarray(y_km) * self.px_per_km


def _ring_path(xy: np.ndarray) -> str:
    """One closed ring as `M x y l dx dy ... z` in whole SVG units, dropping zero steps."""
    pts = np.rint(xy * SVG_UNITS_PER_PX).astype(np.int64)
    if len(pts) > 1 and (pts[0] == pts[-1]).all():
        pts = pts[:-1]
    steps = np.diff(pts, axis=0)
    steps = steps[(steps != 0).any(axis=1)]
    if len(steps) < 2:
        return ""
    body = " ".join(map(str, steps.ravel().tolist())).replace(" -", "-")
    return f"M{pts[0, 0]} {pts[0, 1]}l{body}z"


def _line_path(xy: np.ndarray) -> str:
    pts = np.rint(xy * SVG_UNITS_PER_PX).astype(np.int64)
    steps = np.diff(pts, axis=0)
    steps = steps[(steps != 0).any(axis=1)]
    if not len(steps):
        return ""
    body = " ".join(map(str, steps.ravel().tolist())).replace(" -", "-")
    return f"M{pts[0, 0]} {pts[0, 1]}l{body}"


def _svg_path(geom, closed: bool = True) -> str:
    """SVG path data of a (multi)polygon (`closed`) or (multi)line string, in px coordinates."""
    import shapely

    if geom is None or shapely.is_empty(geom):
        return ""
    out = []
    for part in shapely.get_parts(geom):
        if closed:
            rings = [part.exterior, *part.interiors]
            out += [_ring_path(np.asarray(r.coords)) for r in rings]
        elif part.geom_type in ("LineString", "LinearRing"):
            out.append(_line_path(np.asarray(part.coords)))
        else:  # a geometry collection from clipping: its lines
            for sub in shapely.get_parts(part):
                if sub.geom_type in ("LineString", "LinearRing"):
                    out.append(_line_path(np.asarray(sub.coords)))
    return "".join(out)


def screen_map(region, width: int = 560, height: int = 460, pad: int = 24) -> ScreenMap | None:
    """`region` fitted into the SVG box (the map above a legend band of 30 px), cached; None when
    the region has no real map (`region_shapes`)."""
    rs = region_shapes(region)
    return None if rs is None else _screen_map(rs, width, height, pad, tuple(region.names))


@functools.lru_cache(maxsize=16)
def _screen_map(rs: RegionShapes, width: int, height: int, pad: int, names: tuple[str, ...]) -> ScreenMap:
    import shapely

    bw, bh = width - 2 * pad, height - 2 * pad - LEGEND_BAND_PX
    xmin, ymin, xmax, ymax = rs.bounds
    ex, ey = max(xmax - xmin, 1e-6), max(ymax - ymin, 1e-6)
    s = min(bw / ex, bh / ey)
    # centre the region in the box
    x0 = pad + (bw - ex * s) / 2 - xmin * s
    y0 = pad + (bh - ey * s) / 2 + ymax * s

    def to_px(xy: np.ndarray) -> np.ndarray:
        return np.column_stack((x0 + xy[:, 0] * s, y0 - xy[:, 1] * s))

    n = rs.n
    anchor = to_px(rs.anchor) if n else np.zeros((0, 2))
    paths = [""] * n
    area_px = rs.area_km2 * s * s
    has = np.flatnonzero([g is not None for g in rs.shapes])
    if len(has):
        geoms = shapely.simplify(shapely.transform(rs.shapes[has].astype(object), to_px), SIMPLIFY_PX, preserve_topology=True)
        for i, g in zip(has, geoms):
            paths[i] = _svg_path(g)
    outline = ""
    if len(rs.outlines):
        lines = shapely.simplify(shapely.transform(rs.outlines, to_px), SIMPLIFY_PX)
        outline = "".join(_svg_path(g, closed=False) for g in lines)
    # scale bar (bottom left of the box) and north arrow (top right): reserved for labels
    scale_km = nice_length(0.22 * bw / s)
    scale_px = scale_km * s
    scale_at = (pad + 4.0, pad + bh - 6.0)
    north_at = (pad + bw - 12.0, pad + 4.0)
    reserved = [
        (scale_at[0] - 4, scale_at[1] - 18, scale_at[0] + scale_px + 30, scale_at[1] + 6),
        (north_at[0] - 12, north_at[1] - 2, north_at[0] + 12, north_at[1] + 34),
    ]
    frame = (2.0, 2.0, width - 2.0, pad + bh + 8.0)
    if n > KECAMATAN_LABELS_FROM and len(rs.outline_names) > 1:
        k = to_px(rs.outline_anchor)
        cands = [(float(a), float(p[0]), float(p[1]) + 4, name, 10.5, True, -1)
                 for a, p, name in zip(rs.outline_area_km2, k, rs.outline_names)]
    else:
        cands = [(float(area_px[v]), float(anchor[v, 0]), float(anchor[v, 1]) + 3.5, names[v], 10.0, False, v)
                 for v in range(n) if area_px[v] > 0]
    labels = place_labels(cands, frame, reserved)
    return ScreenMap(rs, names, width, height, s, x0, y0, paths, anchor, area_px, outline, labels, scale_km, scale_px, scale_at, north_at)


def clear_caches() -> None:
    _region_shapes.cache_clear()
    _screen_map.cache_clear()
