"""The model on the real map (issue 12, docs/ODD.md §7.17 and §7.13): villages with lat/lng are
placed by a local projection whose distances agree with great-circle ones, `neighbours` lists are
the village adjacency (islands have none), the kecamatan and Polres seats are honoured, Polres
backup travels from the Polres seat, and scenarios without these fields build exactly the region
they built before."""

from __future__ import annotations

import copy
import hashlib
from collections import defaultdict

import networkx as nx
import numpy as np
import pytest

import geography
from scenarios import load_scenario
from scenarios.loader import DEFAULT_SCENARIO, load_dict
from simulation.model import SiagaModel
from simulation.region import build_region
from simulation.rng import Streams


def _base(seed: int = 1) -> dict:
    data = load_dict(DEFAULT_SCENARIO)
    data["seed"] = seed
    return data


def real_region(code: str, population: int = 20, crossing: bool = False) -> dict:
    """A `[region]` table of the villages under `code`, with lat/lng and neighbours from the national
    geography (a minimal `scenarios new`). `crossing` also lists neighbours outside the region."""
    units = geography.villages_in(code)
    pos = geography.village_positions(code).set_index("kode")
    pairs = geography.neighbours(code, "all" if crossing else "inside")
    nb: dict[str, list[str]] = defaultdict(list)
    for a, b in zip(pairs["kode_a"], pairs["kode_b"]):
        nb[a].append(b)
        nb[b].append(a)
    kec: dict[str, list[dict]] = defaultdict(list)
    for kode, nama, tingkat, induk in zip(units["kode"], units["nama"], units["tingkat"], units["kode_induk"]):
        kec[induk].append(
            dict(code=kode, name=nama, kind=tingkat, population=population,
                 lat=float(pos.at[kode, "lat"]), lng=float(pos.at[kode, "lng"]), neighbours=sorted(nb[kode]))
        )
    return dict(
        name=f"Region {code}", area_km2=100.0,
        kecamatan=[dict(code=k, name=f"Kecamatan {k}", villages=v) for k, v in kec.items()],
    )


def scenario(region: dict, seed: int = 1) -> dict:
    data = _base(seed)
    data["region"] = region
    return data


def region_of(data: dict):
    scn = load_scenario(data)
    return build_region(scn, Streams(scn.seed).layout)


def villages(region: dict) -> list[dict]:
    return [v for k in region["kecamatan"] for v in k["villages"]]


# --------------------------------------------------------------------------- positions


@pytest.mark.parametrize("code", ["17.08.04", "64.02"])  # a kecamatan (9 km across), Kutai Kartanegara (290 km)
def test_positions_follow_lat_lng_and_distances_agree_with_great_circle(code):
    spec = real_region(code)
    r = region_of(scenario(spec))
    vs = villages(spec)
    lat = np.array([v["lat"] for v in vs])
    lng = np.array([v["lng"] for v in vs])
    assert np.allclose(r.lat, lat) and np.allclose(r.lng, lng)
    assert r.origin == pytest.approx((lat.mean(), lng.mean()))
    # east is +x, north is +y
    assert np.all(np.sign(r.x_km[np.argsort(lng)][[0, -1]]) == [-1, 1])
    assert np.all(np.sign(r.y_km[np.argsort(lat)][[0, -1]]) == [-1, 1])
    i, j = np.triu_indices(len(vs), 1)
    great = geography.distance_km(lat[i], lng[i], lat[j], lng[j])
    planar = r.distance_km(i, j)
    far = great > 0.5
    assert np.max(np.abs(planar[far] - great[far]) / great[far]) < 0.01
    assert np.max(np.abs(planar[far] - great[far]) / great[far]) < 0.002  # in fact


def test_a_village_without_lat_lng_on_a_real_map_sits_near_its_kecamatan():
    spec = real_region("17.08")
    kec = spec["kecamatan"][2]
    lost = kec["villages"][0]
    del lost["lat"], lost["lng"]
    r = region_of(scenario(spec))
    codes = r.codes
    v = codes.index(lost["code"])
    assert np.isnan(r.lat[v]) and np.isfinite(r.lat).sum() == len(codes) - 1
    others = [codes.index(o["code"]) for o in kec["villages"][1:]]
    cx, cy = r.x_km[others].mean(), r.y_km[others].mean()
    radius = np.sqrt(100.0 / len(spec["kecamatan"]) / np.pi)
    assert np.hypot(r.x_km[v] - cx, r.y_km[v] - cy) < 1.5 * radius


def test_lat_lng_win_over_x_y_and_x_y_alone_are_km_from_the_centre():
    spec = real_region("17.08.04")
    a, b = spec["kecamatan"][0]["villages"][:2]
    a.update(x_km=500.0, y_km=500.0)  # ignored: lat/lng given
    del b["lat"], b["lng"]
    b.update(x_km=1.0, y_km=-2.0)
    r = region_of(scenario(spec))
    assert abs(r.x_km[r.codes.index(a["code"])]) < 10
    assert (r.x_km[r.codes.index(b["code"])], r.y_km[r.codes.index(b["code"])]) == (1.0, -2.0)


# --------------------------------------------------------------------------- adjacency


def test_adjacency_is_the_neighbour_lists_symmetrised_outside_codes_ignored():
    spec = real_region("17.08.04", crossing=True)
    vs = villages(spec)
    inside = {v["code"] for v in vs}
    assert any(c not in inside for v in vs for c in v["neighbours"])  # the lists do name outsiders
    # keep only one direction of each inside pair: the region must symmetrise
    for v in vs:
        v["neighbours"] = [c for c in v["neighbours"] if c not in inside or c > v["code"]]
    r = region_of(scenario(spec))
    a = r.adjacency.toarray()
    assert (a == a.T).all() and a.diagonal().sum() == 0
    expected = geography.neighbours("17.08.04")
    want = {(min(p, q), max(p, q)) for p, q in zip(expected["kode_a"], expected["kode_b"])}
    got = {(min(r.codes[i], r.codes[j]), max(r.codes[i], r.codes[j])) for i, j in zip(*np.nonzero(a))}
    assert got == want


def test_an_island_has_no_neighbour_no_spillover_partner_and_no_inter_village_tie():
    spec = real_region("17.08.04", population=60)
    vs = villages(spec)
    island = vs[5]["code"]
    for v in vs:
        v["neighbours"] = [] if v["code"] == island else [c for c in v["neighbours"] if c != island]
    m = SiagaModel(scenario(spec), days=12)
    r = m.region
    iv = r.codes.index(island)
    deg = np.asarray(r.adjacency.sum(axis=1)).ravel()
    assert deg[iv] == 0 and (np.delete(deg, iv) > 0).all()
    assert nx.number_of_isolates(r.graph()) == 1
    ties = m.network.layers["intervillage"].tocoo()
    assert ties.nnz > 0
    vil = m.people.village
    assert not np.any(vil[ties.row] == iv) and not np.any(vil[ties.col] == iv)
    assert r.adjacency[vil[ties.row], vil[ties.col]].all()  # every tie joins adjacent villages
    m.run()
    assert m.day == 12 and np.isfinite(m.people.tension).all()


def test_villages_without_a_list_keep_the_k_nearest_rule():
    spec = real_region("17.08.04")
    spec["village_neighbours"] = 2
    vs = villages(spec)
    for v in vs:
        del v["neighbours"]
    plain = region_of(scenario(spec))
    # with no list at all, the adjacency is the k-nearest graph over the projected positions
    from simulation.region import knn_adjacency

    assert (plain.adjacency != knn_adjacency(plain.x_km, plain.y_km, 2)).nnz == 0
    vs[0]["neighbours"] = []  # one island among villages of unknown borders
    mixed = region_of(scenario(spec))
    a = mixed.adjacency.toarray()
    v0 = mixed.codes.index(vs[0]["code"])
    # the island names nobody, but a village of unknown borders may still take it among its nearest
    chosen_by_others = {i for i in range(len(vs)) if i != v0 and v0 in np.argsort(plain.distance_km(i, np.arange(len(vs))))[1:3]}
    assert set(np.flatnonzero(a[v0])) == chosen_by_others


# --------------------------------------------------------------------------- seats


def test_seats_given_are_honoured_and_the_polres_defaults_to_the_most_central_seat():
    spec = real_region("17.08")
    r = region_of(scenario(spec))
    # default Polres: the kecamatan seat nearest the centre of the region
    d = np.hypot(r.x_km[r.seat] - r.x_km.mean(), r.y_km[r.seat] - r.y_km.mean())
    assert r.polres_seat == r.seat[np.argmin(d)]
    kec = spec["kecamatan"][1]
    far_desa = kec["villages"][-1]["code"]
    kec["seat"] = far_desa
    polres = spec["kecamatan"][3]["villages"][2]["code"]
    spec["polres_seat"] = polres
    r2 = region_of(scenario(spec))
    assert r2.codes[r2.seat[1]] == far_desa
    assert r2.codes[r2.polres_seat] == polres
    assert (np.delete(r2.seat, 1) == np.delete(r.seat, 1)).all()
    g = r2.graph()
    assert g.nodes[r2.polres_seat]["polres_seat"] and g.nodes[r2.seat[1]]["seat"]


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s: s["kecamatan"][0]["villages"][0].pop("lng"), "both lat and lng"),
        (lambda s: s["kecamatan"][0]["villages"][0]["neighbours"].append(s["kecamatan"][0]["villages"][0]["code"]), "itself"),
        (lambda s: s.update(polres_seat="17.08.99.9999"), "polres_seat"),
        (lambda s: s["kecamatan"][0]["villages"].append(dict(s["kecamatan"][0]["villages"][0])), "unique"),
    ],
)
def test_inconsistent_map_fields_are_refused(change, message):
    spec = real_region("17.08.04")
    change(spec)
    with pytest.raises(ValueError, match=message):
        load_scenario(scenario(spec))


# --------------------------------------------------------------------------- travel


def test_polres_backup_reaches_a_far_village_a_day_later_than_a_near_one():
    spec = real_region("64.02", population=10)  # Kutai Kartanegara, 290 km across
    vs = villages(spec)
    lat = np.array([v["lat"] for v in vs])
    lng = np.array([v["lng"] for v in vs])
    south = int(np.argmin(lat))  # the Polres at the southern end, so the north is > 240 km away
    spec["polres_seat"] = vs[south]["code"]
    km = geography.distance_km(lat[south], lng[south], lat, lng)
    far, near = int(np.argmax(km)), int(np.argsort(km)[1])
    assert km[far] > 250 and km[near] < 20
    m = SiagaModel(scenario(spec), days=3, officials__backup_availability=1.0, officials__polres_backup_units=2)
    r = m.region
    o = m.spec.officials
    day_km = o.travel_kmh * o.road_hours_per_day / o.road_detour  # straight-line km a day: 185
    assert day_km < km[far] < 2 * day_km
    far_v, near_v = r.codes.index(vs[far]["code"]), r.codes.index(vs[near]["code"])
    polsek = m.polsek_of(near_v)
    assert polsek.backup_arrival(5, near_v) == 5 + 1 + m.spec.officials.backup_delay_days
    assert polsek.backup_arrival(5, far_v) == polsek.backup_arrival(5, near_v) + 1
    # through the request itself, as the Polsek and the Camat make it
    m.polsek_of(far_v).request_backup(5, far_v)
    m.polsek_of(near_v).request_backup(5, near_v)
    arrive = {u.village: u.arrive_day for u in m.polres_units() if u.village is not None}
    assert arrive[far_v] == arrive[near_v] + 1


@pytest.mark.parametrize("detour, days", [(1.3, 1), (1.0, 0)])
def test_polsek_travel_uses_the_real_distance_from_the_kecamatan_seat(detour, days):
    a = dict(code="99.01.01.2001", name="Seat", population=20, lat=-3.6, lng=102.5, neighbours=["99.01.01.2002"])
    b = dict(code="99.01.01.2002", name="Next door", population=20, lat=-3.62, lng=102.52, neighbours=[])
    c = dict(code="99.01.01.2003", name="Across the water", population=20, lat=-3.6, lng=104.3, neighbours=[])
    region = dict(name="Wide", area_km2=100.0, kecamatan=[dict(code="99.01.01", name="Wide", seat=a["code"], villages=[a, b, c])])
    m = SiagaModel(scenario(region), days=2, officials__road_detour=detour)
    o = m.spec.officials
    assert o.travel_kmh * o.road_hours_per_day == 240  # the defaults
    polsek, seat = m.forces.polsek[0], int(m.region.seat[0])
    assert m.region.codes[seat] == a["code"] and m.region.polres_seat == seat
    km = geography.distance_km(-3.6, 102.5, -3.6, 104.3)
    assert 190 < km < 240
    assert m.region.distance_km(seat, 2) == pytest.approx(km, rel=1e-3)
    # 200 km in a straight line: 260 km of road with the default detour, more than a day's 240
    assert polsek.travel_days(1, seat) == 0 and polsek.travel_days(2, seat) == days
    assert polsek.backup_arrival(3, 2) == 3 + 1 + o.backup_delay_days + days
    assert m.region.adjacency[2].nnz == 0 and m.region.adjacency[0, 1] == 1  # b is named by a


# --------------------------------------------------------------------------- scenarios without the fields


def _plain_named_region() -> dict:
    kec = []
    for k, n in enumerate((5, 8, 1, 12)):
        vs = [dict(code=f"99.01.{k + 1:02d}.{2001 + j}", name=f"Desa {k}-{j}",
                   kind="kelurahan" if j % 4 == 0 else "desa", population=40 + 7 * j) for j in range(n)]
        kec.append(dict(code=f"99.01.{k + 1:02d}", name=f"Kecamatan {k}", villages=vs))
    kec[1]["villages"][2].update(x_km=3.0, y_km=-1.5)  # a given position, as old files could have
    return dict(name="Plain", area_km2=300.0, village_neighbours=3, kecamatan=kec)


def _synthetic_region() -> dict:
    return dict(name="Synthetic", area_km2=800.0,
                synthetic=dict(kecamatan=7, villages_per_kecamatan=9, people_per_village=30, hotspot_share=0.2))


def _digest(r) -> str:
    h = hashlib.sha256()
    for a in (np.round(r.x_km, 6), np.round(r.y_km, 6), r.adjacency.indptr, r.adjacency.indices, r.seat, r.hotspot):
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()[:16]


# recorded with the code before real geography (simulation/region.py at eb81db9)
BEFORE = {
    ("plain", 1): "0052a5d212a4929e",
    ("plain", 7): "1ce8ce4ef345b2d5",
    ("synthetic", 1): "8c06c9528100a45d",
    ("synthetic", 7): "1a332fc503b2a3a8",
}


@pytest.mark.parametrize("kind, seed", sorted(BEFORE))
def test_regions_without_map_fields_are_laid_out_exactly_as_before(kind, seed):
    region = _plain_named_region() if kind == "plain" else _synthetic_region()
    r = region_of(scenario(copy.deepcopy(region), seed=seed))
    assert _digest(r) == BEFORE[(kind, seed)]
    assert r.origin is None and np.isnan(r.lat).all()
    d = np.hypot(r.x_km[r.seat] - r.x_km.mean(), r.y_km[r.seat] - r.y_km.mean())
    assert r.polres_seat == r.seat[np.argmin(d)]


# --------------------------------------------------------------------------- exports


def test_the_village_graph_writes_to_graphml_and_gexf(tmp_path):
    spec = real_region("17.08.04")
    del spec["kecamatan"][0]["villages"][3]["lat"], spec["kecamatan"][0]["villages"][3]["lng"]
    r = region_of(scenario(spec))
    g = r.graph()
    nx.write_graphml(g, tmp_path / "villages.graphml")
    nx.write_gexf(g, tmp_path / "villages.gexf")
    back = nx.read_graphml(tmp_path / "villages.graphml")
    assert back.number_of_nodes() == r.n_villages and back.number_of_edges() == r.adjacency.nnz // 2
    node = back.nodes["0"]
    assert node["code"] == r.codes[0] and node["lat"] == pytest.approx(r.lat[0]) and node["x_km"] == pytest.approx(r.x_km[0])
    assert "lat" not in back.nodes["3"]
    assert nx.read_gexf(tmp_path / "villages.gexf").number_of_nodes() == r.n_villages
