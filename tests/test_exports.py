"""Exports for QGIS and Gephi (siaga/exports.py, docs/EXPORTS.md), each read back: GeoPackage and
GeoJSON with pyogrio, GraphML and GEXF with networkx; and an export that fails half-way leaves no
file behind."""

from __future__ import annotations

import json
import math
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

import geography
from siaga import export_graphs
from siaga import exports as E
from siaga.cli import main
from simulation.model import SiagaModel

MINI = Path(__file__).parent / "data" / "mini_region.toml"
MIXED = {  # two villages with polygons, one placed by the scenario, one nowhere, one without a polygon
    "extends": "kepahiang_pilkada2024",
    "name": "Mixed map (tests)",
    "region": {
        "name": "Mixed",
        "kecamatan": [
            {"code": "17.08.04", "name": "Kepahiang", "villages": [
                {"code": "17.08.04.1003", "name": "Pensiunan", "kind": "kelurahan", "population": 300},
                {"code": "17.08.04.2001", "name": "Imigrasi Permu", "population": 300},
                {"code": "99.99.99.2001", "name": "Placed", "population": 200, "lat": -3.6, "lng": 102.6},
                {"code": "99.99.99.2002", "name": "Nowhere", "population": 200},
            ]},
            {"code": "11.10.09", "name": "Test", "villages": [{"code": "11.10.09.2009", "name": "Mukti Lincer", "population": 200}]},
        ],
    },
}


@pytest.fixture(scope="module")
def model():
    m = SiagaModel(days=20)
    m.run()
    return m


@pytest.fixture(scope="module")
def mixed():
    m = SiagaModel(MIXED, days=3)
    m.run()
    return m


def _frame(path: Path, layer: str | None = None) -> tuple[dict, pd.DataFrame, np.ndarray]:
    meta, table = pyogrio.read_arrow(path, layer=layer)
    geom = table.column(meta["geometry_name"] or "wkb_geometry").to_numpy(zero_copy_only=False)
    df = table.drop_columns([meta["geometry_name"] or "wkb_geometry"]).to_pandas()
    return meta, df, shapely.from_wkb(geom)


def _km2(geom) -> float:
    """Area of a lon/lat polygon in km², by a local equirectangular projection (exact enough for a village)."""
    lat0 = math.radians(geom.centroid.y)
    k = 6371.0088 * math.pi / 180
    return shapely.transform(geom, lambda xy: np.column_stack([xy[:, 0] * k * math.cos(lat0), xy[:, 1] * k])).area


def _same_outcomes(df: pd.DataFrame, model) -> None:
    vf = model.village_frame()
    got = df.set_index("code").loc[vf["code"]].reset_index()
    for col in vf.columns:
        want, have = vf[col], got[col]
        if col == "first_incident_day":  # all empty reads back as text from GeoJSON
            have = pd.to_numeric(have)
        if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
            np.testing.assert_allclose(have.to_numpy(float), want.to_numpy(float), rtol=1e-12, equal_nan=True, err_msg=col)
        else:
            assert have.tolist() == want.tolist(), col


def test_geopackage_reads_back_with_the_outcomes(model, tmp_path):
    path = E.write_villages_gpkg(model, tmp_path / "villages.gpkg")
    assert [tuple(x) for x in pyogrio.list_layers(path)] == [("villages", "MultiPolygon"), ("village_points", "Point")]
    meta, df, geoms = _frame(path, "villages")
    assert meta["crs"] == "EPSG:4326" and meta["geometry_type"] == "MultiPolygon"
    assert len(df) == model.region.n_villages
    assert df["code"].tolist() == model.region.codes and all(isinstance(c, str) for c in df["code"])
    assert "17.08.04.2001" in set(df["code"])
    _same_outcomes(df, model)
    assert set(df["leading_candidate"]) <= {c.name for c in model.spec.candidates}
    assert set(df["kades_camp"]) <= {c.name for c in model.spec.candidates} | {"none"}
    assert shapely.is_valid(geoms).all() and {g.geom_type for g in geoms} == {"MultiPolygon"}
    # one village: the polygon is the packaged one, and its area is the official polygon's
    code = "17.08.04.2001"
    mine = geoms[df.index[df["code"] == code][0]]
    packaged = geography.village_shapes(code).iloc[0]
    assert shapely.equals_exact(shapely.normalize(mine), shapely.normalize(shapely.MultiPolygon([packaged]) if packaged.geom_type == "Polygon" else packaged), 1e-9)
    official = float(geography.unit(code)["area_km2"])
    assert _km2(mine) == pytest.approx(official, rel=0.03)
    assert df.loc[df["code"] == code, "area_km2"].iloc[0] == pytest.approx(official)
    meta, points, pts = _frame(path, "village_points")
    assert len(points) == model.region.n_villages and {g.geom_type for g in pts} == {"Point"}
    assert set(points["position"]) <= {"scenario", "polygon centroid"}  # the scenario's lat/lng where it gives them
    info = pyogrio.read_info(path, layer="villages")
    assert info["dataset_metadata"]["seed"] == str(model.seed) and "Paslon" in info["dataset_metadata"]["candidates"]


def test_geojson_reads_back_with_codes_as_text(model, tmp_path):
    path = E.write_villages_geojson(model, tmp_path / "villages.geojson")
    meta, df, geoms = _frame(path)
    assert meta["crs"] == "EPSG:4326"
    assert len(df) == model.region.n_villages and df["code"].tolist() == model.region.codes
    _same_outcomes(df, model)
    assert shapely.is_valid(geoms).all()
    raw = json.loads(path.read_text(encoding="utf-8"))  # strict JSON: no NaN
    feature = raw["features"][0]
    assert feature["id"] == feature["properties"]["code"] == model.region.codes[0]
    assert isinstance(feature["properties"]["code"], str) and isinstance(feature["properties"]["kecamatan_code"], str)
    assert "crs" not in raw  # RFC 7946: WGS 84 longitude/latitude is implied
    assert raw["features"][0]["geometry"]["type"] == "MultiPolygon"


def test_villages_without_a_polygon_are_points_and_those_without_a_place_are_left_out(mixed, tmp_path):
    layers = E.village_layers(mixed)
    assert layers.frame["position"].tolist() == ["polygon centroid", "polygon centroid", "scenario", "none", "kecamatan centroid"]
    gpkg = E.write_villages_gpkg(mixed, tmp_path / "v.gpkg", layers)
    _, polys, _ = _frame(gpkg, "villages")
    _, points, _ = _frame(gpkg, "village_points")
    assert polys["code"].tolist() == ["17.08.04.1003", "17.08.04.2001"]
    assert points["code"].tolist() == ["17.08.04.1003", "17.08.04.2001", "99.99.99.2001", "11.10.09.2009"]
    assert points["has_polygon"].tolist() == [True, True, False, False]
    description = pyogrio.read_info(gpkg, layer="villages")["layer_metadata"]["DESCRIPTION"]
    assert "99.99.99.2002" in description and "left out" in description
    gj = E.write_villages_geojson(mixed, tmp_path / "v.geojson", layers)
    _, df, geoms = _frame(gj)
    assert df["code"].tolist() == points["code"].tolist()
    assert [g.geom_type for g in geoms] == ["MultiPolygon", "MultiPolygon", "Point", "Point"]
    assert (geoms[2].x, geoms[2].y) == pytest.approx((102.6, -3.6))


def test_a_region_with_no_village_on_the_map_is_refused_before_the_run(tmp_path, capsys):
    m = SiagaModel(MINI, days=1)
    with pytest.raises(ValueError, match="has a place on the map"):
        E.write_villages_gpkg(m, tmp_path / "v.gpkg")
    with pytest.raises(ValueError, match="has a place on the map"):
        E.check_exports(m, E.parse_exports("geojson"))
    assert not list(tmp_path.iterdir())
    E.check_exports(m, E.parse_exports("graphml"))  # its networks are fine
    assert main(["run", str(MINI), "--days", "2", "--quiet", "--out", str(tmp_path / "run"), "--export", "gpkg"]) == 2
    assert "has a place on the map" in capsys.readouterr().err


def _edge_ids(path: Path) -> list[str]:
    return [e.get("id") for e in ET.parse(path).getroot().iter() if e.tag.rsplit("}", 1)[-1] == "edge"]


def _officials_of(model, v: int) -> int:
    tokoh = sum(1 for t in model.forces.tokoh if t.village == v)
    officers = sum(1 for o in model.forces.village_officers() if v in o.villages)
    return 1 + tokoh + officers  # the Kades, tokoh, Bhabinkamtibmas and Babinsa


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_a_village_social_network_reads_back(mixed, tmp_path, fmt):
    model, v = mixed, 1  # villages of 300 people: the same code path as the default's 2,900, faster
    code = model.region.codes[v]
    path = E.write_graph(E.social_network(model, code), tmp_path / f"net.{fmt}")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    ids = _edge_ids(path)
    assert len(ids) == len(set(ids)) == back.number_of_edges() and None not in ids
    source = model.village_graph(v)
    assert back.number_of_nodes() == len(model.people_in(v)) + _officials_of(model, v) == source.number_of_nodes()
    assert back.number_of_edges() == source.number_of_edges()
    assert sorted(d["layer"] for _, _, d in back.edges(data=True)) == sorted(k for _, _, k in source.edges(keys=True))
    nodes = dict(back.nodes(data=True))
    assert all(d.get("label") for d in nodes.values())
    assert all(d["village_code"] == code or "villages" in d for d in nodes.values())
    roles = {d["role"] for d in nodes.values()}
    assert {"villager", "Kades", "Bhabinkamtibmas"} <= roles and any(r.startswith("tokoh ") for r in roles)
    names = {c.name for c in model.spec.candidates}
    villagers = [d for d in nodes.values() if d["role"] == "villager"]
    assert {d["lean"] for d in villagers} <= names and {d["lean"] for d in villagers} & names
    assert {d["camp"] for d in villagers} <= names | {"none"}
    row = int(model.people_in(v)[0])
    first = nodes[f"warga:{row}"]
    assert first["label"] == f"Warga {row} ({'Kelurahan' if model.region.kelurahan[v] else 'Desa'} {model.region.names[v]})"
    assert first["tension"] == pytest.approx(float(model.people.tension[row]))
    assert isinstance(first["voter"], bool) and isinstance(first["household"], int)
    assert f"kades:{code}" in nodes and nodes[f"kades:{code}"]["camp"] in names | {"none"}
    assert back.graph.get("scenario", model.spec.name) == model.spec.name


def test_a_kecamatan_network_has_the_ties_between_villages_and_a_size_limit(model):
    mini = SiagaModel(MINI, days=2)
    mini.run()
    g = E.social_network(mini, "99.01.01")
    officials = 3 + len(mini.forces.tokoh) + len(mini.forces.village_officers())
    assert g.number_of_nodes() == mini.people.n + officials
    assert "intervillage" in {d["layer"] for _, _, d in g.edges(data=True)}
    assert len({d["id"] for _, _, d in g.edges(data=True)}) == g.number_of_edges()
    with pytest.raises(ValueError, match=r"51,\d{3} nodes .* limit of 20,000 .* network=17\.08\.04\.\d{4}"):
        E.social_network(model, "17.08.04")
    with pytest.raises(ValueError, match="not a village or kecamatan"):
        E.social_network(model, "17.08.05")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_the_village_graph_round_trips(model, tmp_path, fmt):
    g = E.village_graph(model)
    path = E.write_graph(g, tmp_path / f"villages.{fmt}")
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    r = model.region
    assert sorted(back.nodes) == sorted(r.codes) and back.number_of_edges() == r.adjacency.nnz // 2
    assert {frozenset(e) for e in back.edges} == {frozenset(e) for e in g.edges}
    ids = _edge_ids(path)
    assert len(ids) == len(set(ids)) == back.number_of_edges()
    vf = model.village_frame().set_index("code")
    for v, code in enumerate(r.codes):
        d = back.nodes[code]
        assert d["code"] == code and d["label"] == r.names[v] and d["kecamatan_code"] == r.kecamatan_codes[r.kecamatan[v]]
        assert d["x"] == pytest.approx(r.x_km[v]) and d["y"] == pytest.approx(r.y_km[v])
        assert d["population"] == r.population[v] and d["incidents"] == vf.loc[code, "incidents"]
        assert d["worst_alert"] == vf.loc[code, "worst_alert"]
        assert d["leading_candidate"] in {c.name for c in model.spec.candidates}
        assert "pos" not in d
    if fmt == "gexf":  # Gephi draws it at its place, coloured by alert level
        assert "<viz:position" in path.read_text(encoding="utf-8")


def test_a_failed_export_leaves_no_partial_file(model, tmp_path, monkeypatch):
    good = E.write_villages_gpkg(model, tmp_path / "villages.gpkg")
    before = good.read_bytes()
    real = pyogrio.write_arrow

    def torn(table, path, *args, **kwargs):
        real(table.slice(0, 2), path, *args, **kwargs)  # half a file, then the disk fails
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pyogrio, "write_arrow", torn)
    with pytest.raises(OSError, match="disk is full"):
        E.write_villages_gpkg(model, tmp_path / "villages.gpkg")
    with pytest.raises(OSError):
        E.write_villages_geojson(model, tmp_path / "villages.geojson")
    assert good.read_bytes() == before  # the earlier file is untouched

    def broken(graph, path, **kwargs):
        Path(path).write_text("<?xml version='1.0'?><graphml><graph>")
        raise RuntimeError("writer failed")

    monkeypatch.setattr(nx, "write_graphml", broken)
    with pytest.raises(RuntimeError):
        E.write_graph(E.village_graph(model), tmp_path / "village_graph.graphml")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["villages.gpkg"]


def test_graph_writer_refuses_what_graphml_cannot_hold(model, tmp_path):
    g = nx.Graph()
    g.add_node("a", pos=(1.0, 2.0))
    with pytest.raises(ValueError, match="'pos' is tuple"):
        E.write_graph(g, tmp_path / "g.graphml")
    with pytest.raises(ValueError, match="graphml or gexf"):
        E.write_graph(g, tmp_path / "g.txt")
    assert not list(tmp_path.iterdir())


def test_export_option_parsing():
    assert E.parse_exports(["gpkg,GeoJSON", "gpkg"]).formats == ("gpkg", "geojson")
    assert E.parse_exports("all").formats == E.FORMATS
    req = E.parse_exports("gexf,network=17.08.04.2001,network=17.08.04.1003")
    assert req.formats == ("gexf",) and req.networks == ("17.08.04.2001", "17.08.04.1003")
    assert not E.parse_exports([])
    with pytest.raises(ValueError, match="not a format"):
        E.parse_exports("shp")
    with pytest.raises(ValueError, match="name graphml or gexf"):
        E.parse_exports("gpkg,network=17.08.04.2001")


def test_siaga_run_export_writes_and_lists_the_files(tmp_path):
    out = tmp_path / "run"
    code = "17.08.04.2001"
    assert main(["run", "--days", "2", "--quiet", "--no-charts", "--out", str(out), "--export", f"gpkg,graphml,network={code}"]) == 0
    files = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["files"]
    for name in ("villages.gpkg", "village_graph.graphml", f"social_network_{code}.graphml"):
        assert (out / name).is_file() and "docs/EXPORTS.md" in files[name]
    assert not (out / "villages.geojson").exists() and not any(p.name.startswith(".") for p in out.iterdir())


def test_the_default_network_is_the_hottest_village_that_fits(model, tmp_path, monkeypatch):
    vf = model.village_frame()
    hottest = vf.sort_values(["incidents", "participants"], ascending=False, kind="stable")["code"].iloc[0]
    expected = hottest if vf["incidents"].any() else model.region.codes[int(model.region.seat[0])]
    assert E._hottest_village(model) == expected
    monkeypatch.setattr(export_graphs, "MAX_NETWORK_NODES", 100)  # no village fits: only the graph of villages is written
    written = E.write_exports(model, tmp_path, E.parse_exports("graphml"))
    assert [p.name for p in written] == ["village_graph.graphml"]


def test_without_the_gis_extra_the_map_exports_say_how_to_get_it(model, tmp_path, monkeypatch):
    """pyogrio is the optional `siaga[gis]` extra: a plain install refuses gpkg/geojson with the
    install command before the run, and still writes the graph formats."""
    monkeypatch.setitem(sys.modules, "pyogrio", None)  # import pyogrio -> ImportError
    with pytest.raises(ValueError, match=r"siaga\[gis\]"):
        E.check_exports(model, E.parse_exports("gpkg"))
    with pytest.raises(ValueError, match=r"siaga\[gis\]"):
        E.write_villages_geojson(model, tmp_path / "v.geojson")
    assert not (tmp_path / "v.geojson").exists()
    E.check_exports(model, E.parse_exports("graphml"))
