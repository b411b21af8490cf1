"""A run's villages and networks in the files GIS and network tools open: GeoPackage and GeoJSON
(QGIS, ArcGIS, web maps), GraphML and GEXF (Gephi, Cytoscape, yEd, networkx, igraph).

    from siaga import exports
    exports.write_villages_gpkg(model, "villages.gpkg")        # layers `villages` and `village_points`
    exports.write_villages_geojson(model, "villages.geojson")
    exports.write_graph(exports.village_graph(model), "village_graph.gexf")
    exports.write_graph(exports.social_network(model, "17.08.04.2001"), "desa.graphml")
    exports.write_exports(model, out, exports.parse_exports(["gpkg,graphml"]))   # what `siaga run --export` does

Villages (docs/EXPORTS.md): one row per village with the per-village outcomes (`village_frame`) and
its place, in EPSG:4326 (longitude, latitude). The GeoPackage has one geometry type per layer, as
QGIS expects: `villages` holds the MultiPolygon of every village that has one (99% nationally),
`village_points` every village that has a position (its polygon's centroid, the scenario's
lat/lng, or its kecamatan's centroid), so counts and joins are complete in the point layer. The
GeoJSON holds each village once: its MultiPolygon, or its point where it has no polygon. A village
with no position at all (a synthetic region) is left out, and the layer's description says so.

Networks: plain strings, numbers and booleans only (what GraphML allows), unique edge ids
(`e0`, `e1`, ...), a `label` and a `role` on every node, candidate names instead of camp numbers,
the social layer as the edge attribute `layer`, codes as strings. A social network is refused above
`MAX_NETWORK_NODES` nodes (a kecamatan of 51,000 people is 840,000 edges: 2.3 GB of memory and
30 s per file in networkx, and too large for Gephi on a laptop).

Every file is written to a temporary name and moved into place (`common.atomic.atomic_write`).
Only the standard library is imported here; pyogrio, pandas, shapely and networkx are imported by
the function that needs them, so `siaga --help` stays fast.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.atomic import atomic_write

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

    from simulation.model import SiagaModel

FORMATS = ("gpkg", "geojson", "graphml", "gexf")
GEO_FORMATS = ("gpkg", "geojson")
GRAPH_FORMATS = ("graphml", "gexf")
MAX_NETWORK_NODES = 20_000
"""Largest social network exported (people plus officials and tokoh): about 330,000 edges, 35 MB of
GraphML, 10 s and 1 GB of memory per file. A village (hundreds to a few thousand people) always fits,
so does a small kecamatan; a larger one is refused with a suggestion."""

CRS = "EPSG:4326"
VILLAGE_LAYER = "villages"
POINT_LAYER = "village_points"
ROLES = {"villager": "villager", "Kades": "Kades", "bhabinkamtibmas": "Bhabinkamtibmas", "babinsa": "Babinsa"}
NO_CANDIDATE = "none"

__all__ = [
    "FORMATS",
    "MAX_NETWORK_NODES",
    "ExportRequest",
    "check_exports",
    "parse_exports",
    "social_network",
    "village_graph",
    "village_layers",
    "write_exports",
    "write_graph",
    "write_villages_geojson",
    "write_villages_gpkg",
]


# --------------------------------------------------------------------------- what to export


@dataclass(frozen=True)
class ExportRequest:
    """The exports of one run: file formats, and the villages or kecamatan (codes) whose social
    network the graph formats write (none given: the village with the most incidents)."""

    formats: tuple[str, ...] = ()
    networks: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.formats)


def parse_exports(items: Iterable[str] | str | None) -> ExportRequest:
    """`--export` values ("gpkg,geojson", "all", "graphml,network=17.08.04.2001") as a request;
    ValueError names what is allowed."""
    if items is None:
        return ExportRequest()
    formats: list[str] = []
    networks: list[str] = []
    for item in [items] if isinstance(items, str) else items:
        for raw in str(item).split(","):
            word = raw.strip()
            if not word:
                continue
            key, eq, value = word.partition("=")
            if eq and key.strip().lower() == "network":
                if not value.strip():
                    raise ValueError(f"--export {word}: give a village or kecamatan code, e.g. network=17.08.04.2001")
                networks.append(value.strip())
            elif word.lower() == "all":
                formats.extend(FORMATS)
            elif word.lower() in FORMATS:
                formats.append(word.lower())
            else:
                raise ValueError(
                    f"--export {word!r}: not a format; allowed: {', '.join(FORMATS)}, all, "
                    "and network=CODE (a village or kecamatan) for the social network"
                )
    if networks and not any(f in GRAPH_FORMATS for f in formats):
        raise ValueError("--export network=CODE: name graphml or gexf too, e.g. --export gexf,network=" + networks[0])
    return ExportRequest(tuple(dict.fromkeys(formats)), tuple(dict.fromkeys(networks)))


def check_exports(model: SiagaModel, request: ExportRequest) -> None:
    """Refuse, before a run, exports that cannot be made: a map of a region with no village on
    it, an unknown network code, a network above the size limit (ValueError, one sentence)."""
    if any(f in GEO_FORMATS for f in request.formats):
        _pyogrio()
        placed = _positions(model)[2]
        if not placed.any():
            raise ValueError(_no_map_message(model))
    if any(f in GRAPH_FORMATS for f in request.formats):
        for place in request.networks:
            _network_villages(model, place)


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


# --------------------------------------------------------------------------- networks


def _plain(value: Any) -> Any:
    """A value GraphML and GEXF accept (str, int, float, bool), or None to drop it."""
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list | set | np.ndarray):
        return "; ".join(str(_plain(x)) for x in value)
    return str(value)


def _plain_attrs(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if key == "pos" and isinstance(value, tuple | list) and len(value) == 2:
            out["x"], out["y"] = float(value[0]), float(value[1])
            continue
        value = _plain(value)
        if value is not None and not (isinstance(value, float) and value != value):  # drop None and NaN
            out[str(key)] = value
    return out


def _graph_attrs(model: SiagaModel, what: str) -> dict[str, Any]:
    from common.version import __version__

    return {
        "name": what,
        "scenario": str(model.spec.name),
        "seed": int(model.seed),
        "policy": "+".join(model.policy.presets),
        "day": int(model.day),
        "candidates": "; ".join(_candidate_names(model)),
        "siaga_version": __version__,
    }


def village_graph(model: SiagaModel, layers: VillageLayers | None = None) -> nx.Graph:
    """The graph of villages (`model.region.graph()`) ready to write: node ids are village codes,
    `label` the village's name, `x`/`y` its position in km (and `lat`/`lng` where known), the
    per-village outcomes of `village_frame` and `leading_candidate`/`kades_camp` as candidate
    names; every edge (neighbouring villages) has a unique `id`."""
    import networkx as nx

    r = model.region
    src = r.graph()
    per_village = _village_attributes(layers or village_layers(model))
    g = nx.Graph(**_graph_attrs(model, f"villages of {r.name}"))
    for v, data in src.nodes(data=True):
        attrs = _plain_attrs(data)
        code = str(r.codes[v])
        attrs.update(per_village[code])
        attrs.setdefault("x", float(r.x_km[v]))
        attrs.setdefault("y", float(r.y_km[v]))
        attrs["code"] = code
        attrs["label"] = str(r.names[v])
        g.add_node(code, **attrs)
    for n, (a, b, data) in enumerate(sorted(src.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2])))):
        attrs = _plain_attrs(data)
        attrs.pop("weight", None)  # always 1: neighbours or not
        g.add_edge(str(r.codes[a]), str(r.codes[b]), id=f"e{n}", **attrs)
    return g


def _village_attributes(layers: VillageLayers) -> dict[str, dict[str, Any]]:
    """Per village code: the outcomes and places of `village_layers` as plain node attributes."""
    skip = {"name", "x_km", "y_km"}  # already on the region graph's nodes (or its `pos`)
    out = {}
    for row in layers.frame.to_dict(orient="records"):
        out[str(row["code"])] = _plain_attrs({k: v for k, v in row.items() if k not in skip})
    return out


def _hottest_village(model: SiagaModel) -> str | None:
    """The code of the village with the most incidents (then participants) whose network is within
    the size limit; with no incident, the first kecamatan's seat (Camat office and Polsek) if it fits.
    None if no village fits (a town of more than MAX_NETWORK_NODES people)."""
    import numpy as np

    inc, part = model.villages.incidents, model.villages.participants
    order = np.lexsort((np.arange(len(inc)), -np.asarray(part), -np.asarray(inc)))
    if not np.any(inc):
        seat = int(model.region.seat[0])
        order = np.r_[seat, order[order != seat]]
    for v in order:
        if _network_size(model, [int(v)]) <= MAX_NETWORK_NODES:
            return str(model.region.codes[int(v)])
    return None


def _network_villages(model: SiagaModel, place: int | str) -> tuple[list[int], str]:
    """The villages (indices) of a village or kecamatan and how to name them; refused above the size limit."""
    import numpy as np

    r = model.region
    if isinstance(place, bool | float):
        raise ValueError(f"network {place!r}: give a village or kecamatan code as text, e.g. {r.codes[0]}")
    if isinstance(place, int | np.integer):
        if not 0 <= int(place) < r.n_villages:
            raise ValueError(f"village {place} out of range 0..{r.n_villages - 1}")
        villages = [int(place)]
    else:
        code = str(place).strip()
        if code in r.codes:
            villages = [r.codes.index(code)]
        elif code in r.kecamatan_codes:
            villages = np.flatnonzero(r.kecamatan == r.kecamatan_codes.index(code)).tolist()
        else:
            raise ValueError(
                f"network {code!r}: not a village or kecamatan of {model.spec.name!r}; "
                f"e.g. village {r.codes[0]} ({r.names[0]}) or kecamatan {r.kecamatan_codes[0]} ({r.kecamatan_names[0]})"
            )
    if len(villages) == 1:
        v = villages[0]
        what = f"{_place_name(model, v)} ({r.codes[v]})"
    else:
        k = int(r.kecamatan[villages[0]])
        what = f"Kecamatan {r.kecamatan_names[k]} ({r.kecamatan_codes[k]})"
    nodes = _network_size(model, villages)
    if nodes > MAX_NETWORK_NODES:
        biggest = max(villages, key=lambda v: int(r.population[v]))
        raise ValueError(
            f"the social network of {what} has {nodes:,} nodes (people, officials and tokoh), above the export limit "
            f"of {MAX_NETWORK_NODES:,} (about {round(16 * nodes, -4):,} edges: too large for networkx and for Gephi on a laptop); "
            f"export one of its villages instead, e.g. network={r.codes[biggest]}"
        )
    return villages, what


def _network_size(model: SiagaModel, villages: list[int]) -> int:
    chosen = set(villages)
    people = int(sum(int(model.people.village_size[v]) for v in villages))
    tokoh = sum(1 for t in model.forces.tokoh if t.village in chosen)
    officers = sum(1 for o in model.forces.village_officers() if chosen.intersection(int(x) for x in o.villages))
    return people + len(villages) + tokoh + officers


def _place_name(model: SiagaModel, v: int) -> str:
    r = model.region
    return f"{'Kelurahan' if r.kelurahan[v] else 'Desa'} {r.names[v]}"


def social_network(model: SiagaModel, place: int | str) -> nx.MultiGraph:
    """The social network of a village (code, or index) or of a kecamatan (code), ready to write.

    Nodes: villagers (`warga:ROW`), the Kades (`kades:CODE`), tokoh (`tokoh:ID`), Bhabinkamtibmas
    and Babinsa (`bhabinkamtibmas:ID`, `babinsa:ID`), each with `label`, `role`, `village_code`
    and `village`; villagers add `state`, `tension`, `rumour`, `camp` and `lean` (candidate names,
    "none" for no camp), `household`, `voter`; the Kades `partisan` and `camp`; tokoh
    `tokoh_kind` and `inflaming`; officers `villages` (the codes of their patch). Edges: one per
    tie and layer (household, kin, intervillage, campaign_team, online, knows), attribute `layer`,
    unique id `e0`, `e1`, ... (also the edge key). ValueError above `MAX_NETWORK_NODES` nodes."""
    import networkx as nx
    import numpy as np

    from common.levels import Escalation, Rumour

    villages, what = _network_villages(model, place)
    r, p = model.region, model.people
    if len(villages) == 1:
        src = model.village_graph(villages[0])
    else:  # the kecamatan's people with every tie between them, plus each village's officials
        people = np.concatenate([p.rows_of(v) for v in villages])
        src = model.network.to_networkx(people)
        for v in villages:
            h = model.village_graph(v)
            src.add_nodes_from(h.nodes(data=True))
            src.add_edges_from(h.edges(keys=True, data=True))
    names = _candidate_names(model)
    kades_code = {f"kades:{v}": v for v in villages}
    tokoh = {f"tokoh:{t.unique_id}": t for t in model.forces.tokoh if t.village in set(villages)}
    officers = {f"{o.role}:{o.unique_id}": o for o in model.forces.village_officers()}
    relabel: dict[Any, str] = {}
    g = nx.MultiGraph(**_graph_attrs(model, f"social network of {what}"))
    for node, data in src.nodes(data=True):
        if isinstance(node, int | np.integer):
            i = int(node)
            v = int(p.village[i])
            nid = f"warga:{i}"
            camp = int(p.camp[i])
            attrs = {
                "label": f"Warga {i} ({_place_name(model, v)})",
                "role": "villager",
                "state": data.get("state", Escalation(int(p.state[i])).name),
                "tension": float(data.get("tension", p.tension[i])),
                "rumour": data.get("rumour", Rumour(int(p.rumour[i])).name),
                "camp": names[camp] if 0 <= camp < len(names) else NO_CANDIDATE,
                "lean": names[int(p.lean[i])],
                "household": int(p.household[i]),
                "voter": bool(p.voter[i]),
            }
        elif node in kades_code:
            v = kades_code[node]
            nid = f"kades:{r.codes[v]}"
            k = model.forces.kades[v]
            head = "Lurah" if r.kelurahan[v] else "Kades"
            attrs = {"label": f"{head} {_place_name(model, v)}", "role": "Kades", "partisan": bool(k.partisan), "camp": _camp_name(model, k.partisan_camp)}
        elif node in tokoh:
            t = tokoh[node]
            v = int(t.village)
            nid = str(node)
            attrs = {"label": f"Tokoh {t.kind} {t.unique_id} ({_place_name(model, v)})", "role": f"tokoh {t.kind}", "tokoh_kind": str(t.kind), "inflaming": bool(t.inflaming)}
        elif node in officers:
            o = officers[node]
            patch = [int(x) for x in o.villages]
            v = next((x for x in patch if x in villages), patch[0])
            nid = str(node)
            role = ROLES.get(o.role, str(o.role))
            attrs = {"label": f"{role} {o.unique_id} ({', '.join(_place_name(model, x) for x in patch)})", "role": role, "villages": "; ".join(r.codes[x] for x in patch)}
        else:  # a node kind this exporter does not know yet: keep it, as plain values
            nid = str(node)
            v = villages[0]
            attrs = _plain_attrs(data)
            attrs.setdefault("label", nid)
            attrs.setdefault("role", str(data.get("kind", "other")))
        attrs.update(village_code=str(r.codes[v]), village=str(r.names[v]))
        relabel[node] = nid
        g.add_node(nid, **_plain_attrs(attrs))
    edges = sorted(((relabel[a], relabel[b], str(k)) for a, b, k in src.edges(keys=True)), key=lambda e: (e[2], *sorted(e[:2])))
    for n, (a, b, layer) in enumerate(edges):
        eid = f"e{n}"
        g.add_edge(a, b, key=eid, id=eid, layer=layer)
    return g


def write_graph(graph: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write a graph from `village_graph` or `social_network` as GraphML or GEXF (by `fmt`, or the
    file's suffix), atomically. The village graph's GEXF carries Gephi's `viz` position (x, y in
    km), colour (worst alert level) and size (population)."""
    import networkx as nx

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"{path.name}: write graphs as {' or '.join(GRAPH_FORMATS)} (a .graphml or .gexf file, or fmt=)")
    _check_plain(graph)
    if fmt == "graphml":
        atomic_write(path, lambda p: nx.write_graphml(graph, p, edge_id_from_attribute="id"))
    else:
        atomic_write(path, lambda p: nx.write_gexf(_with_viz(graph), p))
    return path


def _check_plain(graph: nx.Graph) -> None:
    """Refuse, with the attribute named, what GraphML cannot hold (tuples, None, objects)."""
    def bad(data: dict) -> str | None:
        return next((k for k, v in data.items() if not isinstance(v, bool | int | float | str)), None)

    for node, data in graph.nodes(data=True):
        if (key := bad(data)) is not None:
            raise ValueError(f"node {node!r}: attribute {key!r} is {type(data[key]).__name__}; GraphML holds only text, numbers and booleans")
    for a, b, data in graph.edges(data=True):
        if (key := bad(data)) is not None:
            raise ValueError(f"edge {a!r}-{b!r}: attribute {key!r} is {type(data[key]).__name__}; GraphML holds only text, numbers and booleans")


def _with_viz(graph: nx.Graph) -> nx.Graph:
    """For the village graph: Gephi's viz position, colour by worst alert level and size by population."""
    if not all("worst_alert" in d and "x" in d and "y" in d for _, d in graph.nodes(data=True)):
        return graph
    from siaga.charts import ALERT_COLOURS

    g = graph.copy()
    top = max((int(d.get("population", 0)) for _, d in g.nodes(data=True)), default=1) or 1
    for _, d in g.nodes(data=True):
        colour = ALERT_COLOURS.get(str(d["worst_alert"]), "#9e9e9e").lstrip("#")
        d["viz"] = {
            "position": {"x": float(d["x"]), "y": float(d["y"]), "z": 0.0},
            "color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0},
            "size": 1.0 + 4.0 * int(d.get("population", 0)) / top,
        }
    return g


# --------------------------------------------------------------------------- a run's exports


def _safe(code: str) -> str:
    return re.sub(r"[^0-9A-Za-z._-]", "_", code)


def write_exports(model: SiagaModel, out: str | Path, request: ExportRequest) -> list[Path]:
    """The files `siaga run --export` writes into `out`: villages.gpkg, villages.geojson,
    village_graph.graphml/.gexf and social_network_CODE.graphml/.gexf."""
    out = Path(out)
    written: list[Path] = []
    geo = [f for f in request.formats if f in GEO_FORMATS]
    graph_formats = [f for f in request.formats if f in GRAPH_FORMATS]
    layers = village_layers(model) if geo or graph_formats else None
    if geo:
        if "gpkg" in geo:
            written.append(write_villages_gpkg(model, out / "villages.gpkg", layers))
        if "geojson" in geo:
            written.append(write_villages_geojson(model, out / "villages.geojson", layers))
    if graph_formats:
        vg = village_graph(model, layers)
        for fmt in graph_formats:
            written.append(write_graph(vg, out / f"village_graph.{fmt}", fmt))
        default = _hottest_village(model) if not request.networks else None
        for place in request.networks or ((default,) if default is not None else ()):
            villages, _ = _network_villages(model, place)
            code = model.region.codes[villages[0]] if len(villages) == 1 else model.region.kecamatan_codes[int(model.region.kecamatan[villages[0]])]
            sn = social_network(model, place)
            for fmt in graph_formats:
                written.append(write_graph(sn, out / f"social_network_{_safe(str(code))}.{fmt}", fmt))
    return written


DESCRIPTIONS = {
    "villages.gpkg": "GeoPackage (QGIS): layer `villages`, one MultiPolygon per village with its outcomes; layer `village_points`, every village as a point (EPSG:4326; docs/EXPORTS.md)",
    "villages.geojson": "GeoJSON: every village with its outcomes, its polygon (or point where it has none), WGS 84 (docs/EXPORTS.md)",
    "village_graph": "graph of neighbouring villages with their outcomes, for Gephi (docs/EXPORTS.md)",
    "social_network": "social network of one village or kecamatan: villagers, Kades, tokoh, Bhabinkamtibmas, Babinsa, one edge per tie and layer, for Gephi (docs/EXPORTS.md)",
}


def describe(name: str) -> str:
    """What an export file holds, for the run's manifest ('' if `name` is not an export)."""
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    for prefix in ("village_graph", "social_network"):
        if name.startswith(prefix) and name.endswith((".graphml", ".gexf")):
            return DESCRIPTIONS[prefix]
    return ""
