"""The national geography (`geography/`): the 2025 code list, polygons, neighbours and distances,
read from the packaged files only (no ../shared at test time), with codes that stay strings."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import shapely

import geography
from geography import codec, store
from geography.codes import dotted, number_repairs
from geography.distance import EARTH_RADIUS_KM

ROOT = Path(__file__).resolve().parents[1]
VILLAGE = ["desa", "kelurahan"]


def _fresh(code: str) -> str:
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_import_geography_reads_nothing_and_loads_no_heavy_library():
    loaded = json.loads(_fresh(
        "import json, sys, geography; "
        "print(json.dumps([m for m in ('pandas', 'pyarrow', 'shapely', 'numpy', 'geography.wilayah') if m in sys.modules]))"
    ))
    assert loaded == []


def test_the_national_table_loads_well_under_two_seconds():
    took = float(_fresh("import time, geography; t = time.perf_counter(); geography.units(); geography.find('sampang'); print(time.perf_counter() - t)"))
    assert took < 2.0, f"units() + find() took {took:.2f} s in a fresh process"


def test_codes_stay_strings():
    u = geography.units()
    assert all(isinstance(k, str) for k in u["kode"].head(1000))
    codes = set(u["kode"])
    assert "11.10" in codes and "11.1" not in codes
    assert geography.unit("11.10")["nama"] == "Kabupaten Aceh Singkil"
    assert geography.unit("11.10.01")["kode_induk"] == "11.10"
    assert list(u["kode"]) == sorted(u["kode"]), "string order is code order"


def test_counts_of_the_2025_code_list():
    u = geography.units()
    by = u["tingkat"].value_counts()
    assert len(u) == 91_599
    assert by["provinsi"] == 38
    assert by["kabupaten"] + by["kota"] == 514
    assert by["kecamatan"] == 7_285
    assert by["desa"] + by["kelurahan"] == 83_762
    villages = u[u["tingkat"].isin(VILLAGE)]
    assert villages["has_geom"].sum() == 82_933
    assert villages.loc[villages["has_geom"], ["lat", "lng"]].notna().all().all()
    assert u.loc[u["tingkat"] == "provinsi", "penduduk_2024"].sum() == 284_973_643


def test_units_is_a_copy_callers_may_change():
    u = geography.units()
    u["nama"] = "x"
    u["extra"] = 1
    again = geography.units()
    assert "extra" not in again.columns and again["nama"].iloc[0] == "Aceh"


def test_kepahiang_has_its_villages():
    v = geography.villages_in("17.08.04")
    assert len(v) == 23
    assert v["kode"].str.startswith("17.08.04.").all() and list(v["kode"]) == sorted(v["kode"])
    assert set(v["tingkat"]) <= set(VILLAGE) and v["has_geom"].all()
    assert "Kelilik" in set(v["nama"])
    assert list(geography.villages_in("17.08.04.2001")["kode"]) == ["17.08.04.2001"]


def test_kalimantan_selatan_villages_and_their_shapes():
    v = geography.villages_in("63")
    assert len(v) == 2_016  # issue 12: "Kalimantan Selatan: 2,016 villages"
    assert v["has_geom"].sum() == 2_008  # 8 new villages of Kab. Tanah Bumbu have no polygon
    started = time.perf_counter()
    shapes = geography.village_shapes("63")
    took = time.perf_counter() - started
    assert list(shapes.index) == list(v.loc[v["has_geom"], "kode"])
    assert shapely.is_valid(shapes.to_numpy()).all()
    assert set(shapely.get_type_id(shapes.to_numpy())) <= {3, 6}  # Polygon, MultiPolygon
    assert took < 2.0, f"village_shapes('63') took {took:.2f} s"
    lng, lat = shapely.get_coordinates(shapes.to_numpy()).T
    assert 114 < lng.min() and lng.max() < 118 and -5 < lat.min() and lat.max() < -1  # Kalimantan Selatan, islands of Kotabaru included


def test_village_areas_and_centroids_agree_with_the_shapes():
    v = geography.villages_in("17.08")
    shapes = geography.village_shapes("17.08")
    area = shapely.area(shapes.to_numpy()) * (111.32 * np.cos(np.radians(3.6))) * 111.32  # deg² -> km² near 3.6°S
    ratio = area / v.set_index("kode").loc[shapes.index, "area_km2"].to_numpy()
    assert np.median(ratio) == pytest.approx(1.0, abs=0.02)
    inside = shapely.contains_xy(shapes.to_numpy(), v.set_index("kode").loc[shapes.index, "lng"], v.set_index("kode").loc[shapes.index, "lat"])
    assert inside.mean() > 0.9


def test_find_sampang_puts_the_kabupaten_first():
    found = geography.find("sampang")
    assert found["kode"].iloc[0] == "35.27" and found["tingkat"].iloc[0] == "kabupaten"
    kab = found[found["tingkat"].isin(["kabupaten", "kota"])]
    assert kab["kode"].iloc[0] == "35.27"
    row = found.set_index("kode").loc["35.27.03"]
    assert (row["nama"], row["tingkat"], row["induk"]) == ("Sampang", "kecamatan", "Jawa Timur / Kabupaten Sampang")
    assert found["match"].iloc[0] == "exact"
    order = found["match"].map({"exact": 0, "prefix": 1, "contains": 2}).to_numpy()
    assert (np.diff(order) >= 0).all(), "exact, then prefix, then substring"


@pytest.mark.parametrize(
    "query, first",
    [
        ("SAMPANG", "35.27"),
        ("kota baru", "63.02"),  # Kabupaten Kotabaru
        ("kab sampang", "35.27"),
        ("kec. kepahiang", "17.08.04"),
        ("jakarta pusat", "31.71"),  # Kota Administrasi Jakarta Pusat
        ("raas", "35.29.22"),  # Ra'as
        ("35.27", "35.27"),
        ("3527", "35.27"),
        ("17.08.04", "17.08.04"),
    ],
)
def test_find_is_forgiving_about_case_spaces_punctuation_and_codes(query, first):
    assert geography.find(query)["kode"].iloc[0] == first


def test_find_filters_and_limits():
    assert list(geography.find("sampang", level="kecamatan", within="35")["kode"]) == ["35.27.03"]
    assert set(geography.find("sampang", level=["desa", "kelurahan"])["tingkat"]) <= set(VILLAGE)
    some = geography.find("a", limit=5)
    assert len(some) == 5 and some.attrs["total"] > 5
    assert len(geography.find("a", limit=None)) == some.attrs["total"]
    assert geography.find("35.2", limit=None)["kode"].str.startswith("35.2").all()
    assert geography.find("zzzqqqxx").empty
    with pytest.raises(ValueError, match="choose from"):
        geography.find("sampang", level="kabupaten/kota")
    with pytest.raises(geography.UnknownCode):
        geography.find("sampang", within="35.99")


@pytest.mark.parametrize(
    "code, says",
    [
        ("35.99", ["35.99", "Jawa Timur", "35.79"]),
        ("11.1", ["did you mean 11.10 Kabupaten Aceh Singkil", "read codes as text"]),
        (11.1, ["a number", "11.10"]),
        ("3527", ["with dots", "35.27 Kabupaten Sampang"]),
        ("99", ["no province 99", "11 to 96"]),
        ("sampang", ["not a code", "35.27 Kabupaten Sampang"]),
        ("17.08.04.9999", ["17.08.04 Kepahiang", "closest"]),
    ],
)
def test_unknown_code_says_what_is_close(code, says):
    with pytest.raises(geography.UnknownCode) as info:
        geography.unit(code)
    assert isinstance(info.value, KeyError) and isinstance(info.value, ValueError)
    for text in says:
        assert text in str(info.value)


def test_code_helpers():
    assert dotted("3527") == "35.27" and dotted("1708042001") == "17.08.04.2001" and dotted("352") is None
    assert number_repairs("11.1") == ["11.10"] and "31" in number_repairs("31.0")


def test_adjacency_is_symmetric_unique_and_between_villages():
    p = geography.neighbours(geography.units().query("tingkat == 'provinsi'")["kode"], pairs="all")
    assert len(p) == 241_979
    assert (p["kode_a"] < p["kode_b"]).all()
    assert not p.duplicated(["kode_a", "kode_b"]).any()
    with_geom = set(geography.units().query("has_geom and tingkat in @VILLAGE")["kode"])
    assert set(p["kode_a"]) | set(p["kode_b"]) <= with_geom
    assert (p["gap_m"].between(0, 30)).all() and (p["shared_border_km"] >= 0).all()


def test_neighbours_inside_and_crossing_a_kecamatan():
    members = set(geography.villages_in("17.08.04")["kode"])
    inside = geography.neighbours("17.08.04")
    assert len(inside) > 0 and set(inside["kode_a"]) | set(inside["kode_b"]) <= members
    crossing = geography.neighbours("17.08.04", pairs="crossing")
    assert len(crossing) > 0
    assert crossing["kode_a"].isin(members).all() and not crossing["kode_b"].isin(members).any()
    with pytest.raises(ValueError, match="inside, crossing or all"):
        geography.neighbours("17.08.04", pairs="outside")  # type: ignore[arg-type]


def test_neighbouring_villages_really_touch():
    pairs = geography.neighbours("17.08")
    shapes = geography.village_shapes("17.08")
    a, b = shapes.loc[pairs["kode_a"]].to_numpy(), shapes.loc[pairs["kode_b"]].to_numpy()
    gap_deg = shapely.distance(a, b)
    # 30 m adjacency + both borders simplified independently by up to 89 m: under 0.002° (≈ 220 m)
    assert gap_deg.max() < 0.002
    assert (gap_deg == 0).mean() > 0.8
    far = shapes.loc[["17.08.04.2001"]].to_numpy()[0].distance(shapes.loc[["17.08.01.2001"]].to_numpy()[0])
    assert far > 0.01  # villages of different kecamatan far apart are not neighbours


def test_distance_km_against_known_values():
    assert geography.distance_km(0, 0, 1, 0) == pytest.approx(2 * np.pi * EARTH_RADIUS_KM / 360)  # one degree: 111.195 km
    assert geography.distance_km(0, 0, 0, 90) == pytest.approx(np.pi * EARTH_RADIUS_KM / 2)
    assert geography.distance_km(0, 0, 1, 0) == pytest.approx(110.574, rel=0.006)  # WGS 84 meridian degree at the equator
    # Monas, Jakarta -> Tugu Pahlawan, Surabaya: 662 km on the WGS 84 ellipsoid
    assert geography.distance_km(-6.1754, 106.8272, -7.2458, 112.7378) == pytest.approx(662, rel=0.005)
    lat, lng = np.array([-3.6, -3.7, -3.8]), np.array([102.6, 102.7, 102.8])
    m = geography.distance_km(lat[:, None], lng[:, None], lat[None, :], lng[None, :])
    assert m.shape == (3, 3) and np.allclose(m, m.T) and np.allclose(np.diag(m), 0)
    assert isinstance(geography.distance_km(0, 0, 1, 1), float)


def test_villages_without_a_polygon_get_their_kecamatan_position():
    pos = geography.village_positions("92.03")  # Kab. Fak Fak: no village polygons in the source
    assert len(pos) > 0 and pos["from_kecamatan"].all() and pos[["lat", "lng"]].notna().all().all()
    kec = geography.unit(pos["kode"].iloc[0][:8])
    assert (pos["lat"].iloc[0], pos["lng"].iloc[0]) == (kec["lat"], kec["lng"])
    own = geography.village_positions("17.08.04")
    assert not own["from_kecamatan"].any() and len(own) == 23
    assert geography.village_shapes("92.03").empty


def test_outlines():
    kec = geography.outlines("63", "kecamatan")
    assert len(kec) == 156 and kec.index.str.startswith("63.").all()
    assert list(geography.outlines("17.08.04.2001", "kecamatan").index) == ["17.08.04"]
    assert list(geography.outlines(["35.78", "35.27.03"], "kota").index) == ["35.27", "35.78"]
    kab = geography.outlines("17.08", "kabupaten").iloc[0]
    villages = geography.village_shapes("17.08")
    assert kab.buffer(0.001).contains(shapely.union_all(villages.to_numpy()).buffer(-0.001))
    with pytest.raises(ValueError, match="outlines exist for"):
        geography.outlines("63", "provinsi")


def test_codec_round_trip_is_exact_on_the_grid():
    square = shapely.Polygon([(0, 0), (1, 0), (1, 1), (0, 1)], holes=[[(0.2, 0.2), (0.4, 0.2), (0.4, 0.4)]])
    multi = shapely.MultiPolygon([shapely.box(100, -5, 100.5, -4.5), shapely.box(101.123456, -3, 101.2, -2.9)])
    geoms = shapely.set_precision(np.array([square, multi, shapely.box(-1, -1, 0, 0)]), codec.GRID_DEG)
    import pyarrow as pa

    back = codec.decode(pa.table(codec.encode(geoms)))
    assert [g.geom_type for g in back] == ["Polygon", "MultiPolygon", "Polygon"]
    assert all(shapely.equals_exact(back, geoms, tolerance=1e-12))
    assert back[1].geoms[1].bounds[0] == 101.12346


def test_packaged_data_is_complete_small_and_untouched():
    sizes = {p.name: p.stat().st_size for p in store.DATA_DIR.iterdir()}
    assert set(store.DATA_FILES) | {"README.md", "LICENSE"} <= set(sizes)
    assert sum(sizes.values()) < 40e6, f"geography/data is {sum(sizes.values()) / 1e6:.1f} MB"
    manifest = json.loads((store.DATA_DIR / store.MANIFEST_FILE).read_text(encoding="utf-8"))
    for name, info in manifest["files"].items():
        data = (store.DATA_DIR / name).read_bytes()
        assert len(data) == info["bytes"] and hashlib.sha256(data).hexdigest() == info["sha256"], name
    assert manifest["parameters"]["grid_deg"] == codec.GRID_DEG
    assert manifest["sources"]["wilayah"]["commit"] == "b7ad440a1322e7be3189a16a8cac35f7d4c3d7f7"
    assert manifest["sources"]["boundaries"]["commit"] == "bdf9c3d755f030080ddc3f3e4530d46c4432b809"
    readme = (store.DATA_DIR / "README.md").read_text(encoding="utf-8")
    for name in store.DATA_FILES:
        assert f"`{name}`" in readme, f"data/README.md does not describe {name}"


def test_the_licence_notices_travel_with_the_data():
    text = (store.DATA_DIR / "LICENSE").read_text(encoding="utf-8")
    assert "cahyadsn/wilayah — MIT License, Copyright (c) 2017-2025 Cahya DSN" in text
    assert "cahyadsn/wilayah_boundaries — MIT License, Copyright (c) 2024 Cahya DSN" in text
    assert "Permission is hereby granted, free of charge" in text and 'THE SOFTWARE IS PROVIDED "AS IS"' in text


def test_only_the_build_script_knows_the_shared_dataset():
    for path in (ROOT / "geography").glob("*.py"):
        if path.name != "build.py":
            text = path.read_text(encoding="utf-8")
            assert "../shared" not in text and "shared/data" not in text, f"{path.name} refers to ../shared"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"geography" = ["data/*"]' in pyproject


def test_the_public_api_is_what_the_package_says():
    assert set(geography.__all__) == {"UnknownCode", *geography._API}
    for name in geography.__all__:
        assert callable(getattr(geography, name)), name
        assert getattr(geography, name).__doc__, f"geography.{name} has no docstring"


def test_scattered_and_contiguous_selections_give_the_same_shapes():
    run = geography.village_shapes("17.08.04")  # one contiguous run of rows
    picked = ["17.08.04.2001", "63.01.01.2001", "17.08.04.2010", "92.03.01.2007"]  # scattered; the last has no polygon
    scattered = geography.village_shapes(picked)
    assert list(scattered.index) == ["17.08.04.2001", "17.08.04.2010", "63.01.01.2001"]
    for code in ("17.08.04.2001", "17.08.04.2010"):
        assert shapely.equals_exact(scattered[code], run[code], tolerance=0)
    assert geography.village_shapes([]).empty
