"""A run's villages on the map as GeoPackage and GeoJSON (QGIS, ArcGIS, web maps): one row per
village with the per-village outcomes (`village_frame`) and its place, in EPSG:4326 (longitude,
latitude). The GeoPackage has one geometry type per layer, as QGIS expects: `villages` holds the
MultiPolygon of every village that has one (99% nationally), `village_points` every village that
has a position (its polygon's centroid, the scenario's lat/lng, or its kecamatan's centroid). The
GeoJSON holds each village once: its MultiPolygon, or its point where it has none. A village with no
position at all (a synthetic region) is left out, and the layer's description says so. pyogrio
(GDAL) is the optional `gis` extra, imported only here (docs/EXPORTS.md).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.atomic import atomic_write

if TYPE_CHECKING:
    import pandas as pd

    from simulation.model import SiagaModel

CRS = "EPSG:4326"
VILLAGE_LAYER = "villages"
POINT_LAYER = "village_points"
NO_CANDIDATE = "none"


def _pyogrio() -> Any:
    """pyogrio (GDAL in a wheel, about 100 MB installed) is an optional extra: only the map
    exports need it, so a plain install stays lean. ValueError with the command that adds it."""
    try:
        import pyogrio
    except ImportError:
        raise ValueError(
            "the map exports (gpkg, geojson) need pyogrio, an optional extra: pip install 'siaga[gis]' "
            "(or pip install pyogrio); graphml and gexf work without it"
        ) from None
    return pyogrio


# --------------------------------------------------------------------------- villages on the map


def _candidate_names(model: SiagaModel) -> list[str]:
    return [c.name for c in model.spec.candidates]


def _camp_name(model: SiagaModel, camp: int | None) -> str:
    names = _candidate_names(model)
    return names[camp] if camp is not None and 0 <= camp < len(names) else NO_CANDIDATE


def _national_villages(codes: Sequence[str]) -> pd.DataFrame:
    """The rows of the national code list for those of `codes` that are villages in it."""
    import geography
    from geography.wilayah import VILLAGE_LEVELS

    units = geography.units()
    return units[units["kode"].isin(list(codes)) & units["tingkat"].isin(VILLAGE_LEVELS)]


def _positions(model: SiagaModel) -> tuple[Any, Any, Any, list[str]]:
    """lat, lng, placed (bool) and the source of each village's position: "scenario" (its
    lat/lng), "polygon centroid", "kecamatan centroid" (no polygon of its own) or "none"."""
    import numpy as np

    import geography

    r = model.region
    n = r.n_villages
    lat = np.full(n, np.nan)
    lng = np.full(n, np.nan)
    source = ["none"] * n
    given_lat, given_lng = getattr(r, "lat", None), getattr(r, "lng", None)
    if given_lat is None:  # a Region without lat/lng arrays: read them from the scenario
        given = [(v.lat, v.lng) for k in (model.spec.region.kecamatan or []) for v in k.villages]
        if len(given) == n:
            given_lat = np.array([np.nan if a is None else a for a, _ in given], dtype=float)
            given_lng = np.array([np.nan if b is None else b for _, b in given], dtype=float)
    if given_lat is not None and given_lng is not None:
        ok = np.isfinite(given_lat) & np.isfinite(given_lng)
        lat[ok], lng[ok] = given_lat[ok], given_lng[ok]
        for v in np.flatnonzero(ok):
            source[v] = "scenario"
    missing = [c for v, c in enumerate(r.codes) if source[v] == "none"]
    known = _national_villages(missing)["kode"].tolist() if missing else []
    if known:
        pos = geography.village_positions(known).set_index("kode")
        index = {c: v for v, c in enumerate(r.codes)}
        for code, row in pos.iterrows():
            v = index[code]
            lat[v], lng[v] = row["lat"], row["lng"]
            source[v] = "kecamatan centroid" if row["from_kecamatan"] else "polygon centroid"
    placed = np.isfinite(lat) & np.isfinite(lng)
    return lat, lng, placed, source


def _no_map_message(model: SiagaModel) -> str:
    return (
        f"none of the {model.region.n_villages} villages of {model.spec.name!r} has a place on the map: their codes "
        f"(e.g. {model.region.codes[0]}) are not in the national code list and the scenario gives no lat/lng; "
        "GeoPackage and GeoJSON need real villages (make a scenario of a real place with `siaga scenarios new CODE`)"
    )


@dataclass
class VillageLayers:
    """The villages' attributes and geometries, ready to write."""

    frame: pd.DataFrame  # one row per village, in the model's order, attributes only
    polygons: list  # shapely MultiPolygon or None per village
    points: list  # shapely Point or None per village
    notes: list[str] = field(default_factory=list)  # what was left out, and why

    @property
    def description(self) -> str:
        return " ".join(self.notes)


def village_layers(model: SiagaModel) -> VillageLayers:
    """`village_frame` plus `kecamatan_code`, `lat`, `lng`, `position` (where the point comes
    from), `has_polygon`, `area_km2` (of the village's official polygon), `leading_candidate`
    (whom most of its villagers would vote for) and `kades_camp` (the candidate its Kades favours,
    or "none"), with each village's polygon and point (EPSG:4326)."""
    import numpy as np
    import shapely

    import geography

    r = model.region
    df = model.village_frame().copy()
    df["code"] = df["code"].astype(str)
    lat, lng, placed, source = _positions(model)
    df.insert(3, "kecamatan_code", [str(r.kecamatan_codes[k]) for k in r.kecamatan])
    national = _national_villages(r.codes).set_index("kode")
    shapes = geography.village_shapes(national.index.tolist()) if len(national) else None
    polygons: list = [None] * r.n_villages
    if shapes is not None:
        index = {c: v for v, c in enumerate(r.codes)}
        for code, geom in shapes.items():
            if geom is not None and not geom.is_empty:
                polygons[index[code]] = geom if geom.geom_type == "MultiPolygon" else shapely.MultiPolygon([geom])
    has_polygon = np.array([g is not None for g in polygons])
    area = national["area_km2"].astype("float64") if "area_km2" in national else None
    df["lat"] = lat
    df["lng"] = lng
    df["position"] = source
    df["has_polygon"] = has_polygon
    df["area_km2"] = [float(area[c]) if area is not None and c in area.index else np.nan for c in r.codes]
    names = _candidate_names(model)
    p = model.people
    counts = np.bincount(p.village.astype(np.int64) * len(names) + p.lean, minlength=r.n_villages * len(names))
    df["leading_candidate"] = [names[i] for i in counts.reshape(r.n_villages, len(names)).argmax(axis=1)]
    df["kades_camp"] = [_camp_name(model, k.partisan_camp) for k in model.forces.kades]
    points = [shapely.Point(float(lng[v]), float(lat[v])) if placed[v] else None for v in range(r.n_villages)]
    notes = []
    unplaced = [r.codes[v] for v in range(r.n_villages) if not placed[v]]
    if unplaced:
        shown = ", ".join(unplaced[:5]) + (f" and {len(unplaced) - 5} more" if len(unplaced) > 5 else "")
        notes.append(f"{len(unplaced)} of the {r.n_villages} villages {_have(len(unplaced))} no position (codes not in the national list, no lat/lng) and {'is' if len(unplaced) == 1 else 'are'} left out: {shown}.")
    without = [r.codes[v] for v in range(r.n_villages) if placed[v] and not has_polygon[v]]
    if without:
        shown = ", ".join(without[:5]) + (f" and {len(without) - 5} more" if len(without) > 5 else "")
        notes.append(f"{_villages(len(without))} {_have(len(without))} no polygon and {'is' if len(without) == 1 else 'are'} only in the points: {shown}.")
    return VillageLayers(df, polygons, points, notes)


def _villages(n: int) -> str:
    return f"{n} village" if n == 1 else f"{n} villages"


def _have(n: int) -> str:
    return "has" if n == 1 else "have"


def _arrow_table(frame: pd.DataFrame, geoms: list) -> Any:
    """Attributes plus a WKB `geometry` column (nulls where no geometry), for pyogrio.write_arrow."""
    import pyarrow as pa
    import shapely

    table = pa.Table.from_pandas(frame, preserve_index=False)
    wkb = [None if g is None else shapely.to_wkb(g) for g in geoms]
    return table.append_column("geometry", pa.array(wkb, type=pa.binary()))


def _about(model: SiagaModel) -> str:
    return f"SIAGA run of {model.spec.name}, seed {model.seed}, policy {'+'.join(model.policy.presets)}, day {model.day}"


def _dataset_metadata(model: SiagaModel) -> dict[str, str]:
    from common.version import __version__

    return {
        "siaga_version": __version__,
        "scenario": str(model.spec.name),
        "seed": str(model.seed),
        "policy": "+".join(model.policy.presets),
        "days": str(model.day),
        "candidates": "; ".join(_candidate_names(model)),
    }


def _by_gdal(write: Callable[[Path], None], suffix: str) -> Callable[[Path], None]:
    """For `atomic_write`: GDAL writes a new file named with the format's suffix next to the
    temporary file (it checks the suffix and creates the file itself), then it becomes the
    temporary file; on failure nothing of it is left, SQLite's side files included."""

    def run(tmp: Path) -> None:
        work = tmp.with_name(tmp.name + suffix)
        try:
            work.unlink(missing_ok=True)
            write(work)
            os.replace(work, tmp)
        finally:
            for extra in ("", "-journal", "-wal", "-shm", ".aux.xml"):
                Path(f"{work}{extra}").unlink(missing_ok=True)

    return run


def write_villages_gpkg(model: SiagaModel, path: str | Path, layers: VillageLayers | None = None) -> Path:
    """The villages with their outcomes as a GeoPackage: layer `villages` (MultiPolygon, every
    village with a polygon) and layer `village_points` (Point, every village with a position)."""
    pyogrio = _pyogrio()

    path = Path(path)
    layers = layers or village_layers(model)
    if not any(g is not None for g in layers.points):
        raise ValueError(_no_map_message(model))
    with_polygon = [v for v, g in enumerate(layers.polygons) if g is not None]
    placed = [v for v, g in enumerate(layers.points) if g is not None]
    polygons = _arrow_table(layers.frame.iloc[with_polygon], [layers.polygons[v] for v in with_polygon])
    points = _arrow_table(layers.frame.iloc[placed], [layers.points[v] for v in placed])
    about = _about(model)

    def write(tmp: Path) -> None:
        common = dict(driver="GPKG", geometry_name="geometry", crs=CRS)
        pyogrio.write_arrow(
            polygons, tmp, layer=VILLAGE_LAYER, geometry_type="MultiPolygon",
            dataset_metadata=_dataset_metadata(model),
            layer_options={"DESCRIPTION": f"Villages with their outcomes, as polygons. {about}. {layers.description}".strip(), "SPATIAL_INDEX": "YES"},
            **common,
        )
        pyogrio.write_arrow(
            points, tmp, layer=POINT_LAYER, geometry_type="Point", append=True,
            layer_options={"DESCRIPTION": f"Every village with a position, as a point (see column `position`). {about}."},
            **common,
        )

    atomic_write(path, _by_gdal(write, ".gpkg"))
    return path


def write_villages_geojson(model: SiagaModel, path: str | Path, layers: VillageLayers | None = None) -> Path:
    """The villages with their outcomes as one GeoJSON FeatureCollection (RFC 7946: WGS 84
    longitude/latitude, 7 decimals): each village's MultiPolygon, or its Point where it has no
    polygon; the feature id is the village code."""
    pyogrio = _pyogrio()

    path = Path(path)
    layers = layers or village_layers(model)
    keep = [v for v in range(len(layers.points)) if layers.points[v] is not None]
    if not keep:
        raise ValueError(_no_map_message(model))
    geoms = [layers.polygons[v] if layers.polygons[v] is not None else layers.points[v] for v in keep]
    frame = layers.frame.iloc[keep]
    table = _arrow_table(frame.assign(id=frame["code"]), geoms)  # the feature id, and `code` stays a property
    mixed = any(layers.polygons[v] is None for v in keep)
    description = f"Villages with their outcomes. {_about(model)}. {layers.description}".strip()

    def write(tmp: Path) -> None:
        pyogrio.write_arrow(
            table, tmp, layer=VILLAGE_LAYER, driver="GeoJSON", geometry_name="geometry",
            geometry_type="Unknown" if mixed else "MultiPolygon", crs=CRS,
            layer_options={"RFC7946": "YES", "ID_FIELD": "id", "DESCRIPTION": description},
        )

    atomic_write(path, _by_gdal(write, ".geojson"))
    return path
