"""A run's villages and networks in the files GIS and network tools open: GeoPackage and GeoJSON
(QGIS, ArcGIS, web maps), GraphML and GEXF (Gephi, Cytoscape, yEd, networkx, igraph).

    from siaga import exports
    exports.write_villages_gpkg(model, "villages.gpkg")        # layers `villages` and `village_points`
    exports.write_villages_geojson(model, "villages.geojson")
    exports.write_graph(exports.village_graph(model), "village_graph.gexf")
    exports.write_graph(exports.social_network(model, "17.08.04.2001"), "desa.graphml")
    exports.write_exports(model, out, exports.parse_exports(["gpkg,graphml"]))   # what `siaga run --export` does

The villages on the map are in `siaga/export_map.py`, the networks in `siaga/export_graphs.py`;
this module reads what `siaga run --export` asks for and writes it. Every file is written to a
temporary name and moved into place (`common.atomic.atomic_write`). Only the standard library is
imported at first; pyogrio, pandas, shapely and networkx are imported by the function that needs
them, so `siaga --help` stays fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:

    from simulation.model import SiagaModel

from siaga.export_graphs import (
    GRAPH_FORMATS,
    MAX_NETWORK_NODES,
    _hottest_village,
    _network_villages,
    social_network,
    village_graph,
    write_graph,
)
from siaga.export_map import (
    _no_map_message,
    _positions,
    _pyogrio,
    village_layers,
    write_villages_geojson,
    write_villages_gpkg,
)

GEO_FORMATS = ("gpkg", "geojson")
FORMATS = (*GEO_FORMATS, *GRAPH_FORMATS)

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
