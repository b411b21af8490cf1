"""The real village map (`siaga/mapgeometry.py`, `siaga/app/drawing.py` map_svg, `siaga/charts.py`
village_map): projection, polygons, labels, scale bar, the fallback to circles, size and speed."""

from __future__ import annotations

import re
import time
from types import SimpleNamespace

import numpy as np
import pytest

import geography
from scenarios.loader import load_dict
from siaga import mapgeometry as mg
from siaga.app.drawing import map_svg
from simulation.model import SiagaModel

KEPAHIANG = "17.08.04"


def region_of(code: str) -> SimpleNamespace:
    """What the map geometry reads of a Region, for every village under a code (no model needed)."""
    v = geography.villages_in(code)
    kec = sorted({c[:8] for c in v["kode"]})
    u = geography.units().set_index("kode")["nama"]
    return SimpleNamespace(codes=list(v["kode"]), names=list(v["nama"]), kecamatan_codes=kec, kecamatan_names=[u[k] for k in kec])


def tiny(name: str, people: int = 20, **extra) -> dict:
    """A library scenario with `people` villagers per village: its map at a fraction of the cost."""
    d = load_dict(name)
    for k in d["region"]["kecamatan"]:
        for village in k["villages"]:
            village["population"] = people
    d.update(extra)
    return d


def parse_path(d: str) -> list[np.ndarray]:
    """The rings of our SVG path data (`M x y l dx dy ... z`, whole tenths of a px), in px."""
    rings = []
    for m in re.finditer(r"M(-?\d+) (-?\d+)l([-\d ]+)z", d):
        steps = np.array([int(x) for x in re.findall(r"-?\d+", m.group(3))]).reshape(-1, 2)
        start = np.array([int(m.group(1)), int(m.group(2))])
        rings.append(np.vstack((start, start + np.cumsum(steps, axis=0))) / mg.SVG_UNITS_PER_PX)
    return rings


@pytest.fixture(scope="module")
def kepahiang():
    m = SiagaModel("kepahiang_pilkada2024", seed=1, days=40)
    for _ in range(30):
        m.step()
    return m


def test_every_village_of_kepahiang_is_a_clickable_polygon(kepahiang):
    sm = mg.screen_map(kepahiang.region)
    assert sm is not None and len(sm.paths) == 23 and all(sm.paths)
    svg = map_svg(kepahiang, selected=3)
    targets = re.findall(r'<(\w+) data-village="(\d+)"', svg)
    assert sorted(int(v) for _, v in targets) == list(range(23))
    assert {tag for tag, _ in targets} == {"path"}
    assert 'class="kecamatan-outline"' in svg and 'class="selected-village"' in svg
    assert 'class="scale-bar"' in svg and 'class="north-arrow"' in svg
    # each path covers its village: the polygon's own point inside lies inside the drawn ring
    import shapely

    for v in (0, 5, 22):
        ring = shapely.Polygon(parse_path(sm.paths[v])[0])
        assert ring.buffer(1.0).contains(shapely.Point(sm.anchor[v]))


def test_the_projection_keeps_the_aspect_ratio():
    for code in (KEPAHIANG, "63"):
        region = region_of(code)
        sm = mg.screen_map(region, 560, 460)
        pts = np.vstack([r for d in sm.paths if d for r in parse_path(d)])
        w_px, h_px = np.ptp(pts[:, 0]), np.ptp(pts[:, 1])
        lon0, lat0, lon1, lat1 = np.asarray(geography.village_shapes(region.codes).pipe(lambda s: __import__("shapely").total_bounds(s.to_numpy())))
        w_km = (lon1 - lon0) * mg.KM_PER_DEGREE * np.cos(np.radians(sm.shapes.lat0))
        h_km = (lat1 - lat0) * mg.KM_PER_DEGREE
        assert w_px / h_px == pytest.approx(w_km / h_km, rel=0.02)
        # the region fills the box along one side and fits along the other
        bw, bh = 560 - 48, 460 - 48 - mg.LEGEND_BAND_PX
        assert w_px <= bw + 1 and h_px <= bh + 1 and max(w_px / bw, h_px / bh) > 0.97


@pytest.mark.parametrize("code", [KEPAHIANG, "17.08", "63"])
def test_the_scale_bar_matches_the_distances_between_villages(code):
    region = region_of(code)
    sm = mg.screen_map(region)
    pos = geography.village_positions(region.codes)
    lat, lng = pos["lat"].to_numpy(float), pos["lng"].to_numpy(float)
    a, b = int(np.argmin(lng)), int(np.argmax(lng))  # the two villages farthest apart west-east
    km = geography.distance_km(lat[a], lng[a], lat[b], lng[b])
    x, y = sm.to_px(*sm.shapes.project(lat[[a, b]], lng[[a, b]]))
    px = float(np.hypot(x[1] - x[0], y[1] - y[0]))
    assert px * sm.km_per_px == pytest.approx(km, rel=0.01)
    # the bar drawn is a round number of km, as long as the projection says
    assert sm.scale_px == pytest.approx(sm.scale_km * sm.px_per_km)
    assert sm.scale_km in {m * 10.0 ** e for m in (1, 2, 5) for e in range(-2, 4)}
    svg_bar = re.search(r'class="scale-bar" pointer-events="none" data-km="([\d.]+)" data-px="([\d.]+)"', _svg_of(region))
    assert float(svg_bar.group(2)) / float(svg_bar.group(1)) == pytest.approx(sm.px_per_km, rel=1e-3)


def _svg_of(region) -> str:
    """map_svg of a model-less region: every village AMAN, nothing happening."""
    n = len(region.codes)
    zeros = np.zeros(n, dtype=np.int64)
    vs = SimpleNamespace(days_since_incident=np.full(n, 99), presence=zeros, arresting=zeros, mediation=zeros)
    model = SimpleNamespace(region=SimpleNamespace(**vars(region), n_villages=n), alert_level=zeros, village_incidents=zeros,
                            villages=vs, incidents=[], day=0, spec=SimpleNamespace(officials=SimpleNamespace(team_size=4)))
    return map_svg(model)


@pytest.mark.parametrize("code,kind", [(KEPAHIANG, "village"), ("17.08", "village"), ("64.02", "village"), ("63", "kecamatan")])
def test_labels_do_not_overlap_and_are_capped(code, kind):
    region = region_of(code)
    for size in ((560, 460), (520, 420), (360, 300)):
        sm = mg.screen_map(region, *size)
        boxes = np.array([lab.box for lab in sm.labels])
        assert 0 < len(boxes) <= mg.LABEL_CAP
        x0, y0, x1, y1 = boxes.T
        overlap = (x0[:, None] < x1[None, :]) & (x0[None, :] < x1[:, None]) & (y0[:, None] < y1[None, :]) & (y0[None, :] < y1[:, None])
        np.fill_diagonal(overlap, False)
        assert not overlap.any()
        assert (x0 >= 0).all() and (x1 <= size[0]).all() and (y0 >= 0).all()
        assert all((lab.village >= 0) == (kind == "village") for lab in sm.labels)
        # nor the scale bar
        sx, sy = sm.scale_at
        assert not ((x0 < sx + sm.scale_px + 30) & (sx < x1) & (y0 < sy + 4) & (sy - 14 < y1)).any()
    # the largest village (kecamatan) is named
    top = int(np.argmax(sm.area_px)) if kind == "village" else -1
    if kind == "village":
        assert top in {lab.village for lab in mg.screen_map(region).labels}


def test_villages_without_a_polygon_are_small_circles():
    region = region_of("63")
    shapes = geography.village_shapes(region.codes)
    missing = sorted(set(region.codes) - set(shapes.index))
    assert 0 < len(missing) < 20
    svg = _svg_of(region)
    for code in missing:
        v = region.codes.index(code)
        assert f'<circle data-village="{v}"' in svg
    assert svg.count("data-village=") == len(region.codes)


def test_a_few_unknown_codes_keep_the_real_map_more_fall_back_to_circles():
    region = region_of(KEPAHIANG)
    region.codes[0] = "17.08.04.9999"  # not in the list
    assert mg.region_shapes(region) is not None
    region.codes[1:5] = ["17.08.04.9991", "17.08.04.9992", "17.08.04.9993", "17.08.04.9994"]
    assert mg.region_shapes(region) is None
    # a kecamatan of Fak-Fak (Papua Barat) where no village has a polygon: circles, not a pile on one point
    assert not geography.units().set_index("kode").loc[region_of("92.03.01").codes, "has_geom"].any()
    assert mg.region_shapes(region_of("92.03.01")) is None


def test_a_synthetic_region_falls_back_to_circles(tmp_path):
    from scenarios.synthetic import synthetic_scenario
    from siaga.charts import village_map

    d = synthetic_scenario(10_000, days=10)
    d["region"]["synthetic"] = {"kecamatan": 2, "villages_per_kecamatan": 5, "people_per_village": 40}
    m = SiagaModel(d, seed=1)
    m.step()
    assert mg.region_shapes(m.region) is None and mg.screen_map(m.region) is None
    svg = map_svg(m, selected=2)
    assert "real-map" not in svg and svg.count('<g data-village="') == 10 and svg.count("<circle") >= 10
    assert 'class="scale-bar"' in svg and "north-arrow" not in svg  # the layout is assumed: no north
    assert village_map(m, tmp_path / "map.png").stat().st_size > 10_000


def test_the_png_draws_the_real_map(kepahiang, tmp_path):
    from siaga.charts import village_map

    path = village_map(kepahiang, tmp_path / "village_map.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 30_000


def test_a_day_redraws_fills_and_markers_only(kepahiang):
    before = map_svg(kepahiang, selected=None)
    st = re.sub(r'class="village level-\w+"|<title>[^<]*</title>', "", before)
    saved = kepahiang.alert_level.copy()
    kepahiang.alert_level[:] = 3
    after = map_svg(kepahiang, selected=None)
    kepahiang.alert_level[:] = saved
    assert after.count("village level-AWAS") == 23
    assert re.sub(r'class="village level-\w+"|<title>[^<]*</title>', "", after).split('<g class="markers"')[0] == st.split('<g class="markers"')[0]
    desk = map_svg(kepahiang, 0, levels=np.full(23, -1), show_incidents=False, width=520, height=420)
    assert desk.count("village level-none") == 23 and "incident-ring" not in desk


def test_a_province_map_is_small_and_quick():
    """Kalimantan Selatan, 2,016 villages (20 people each): the SVG stays a few hundred KB and a day's
    redraw takes a few ms in Python once the region's geometry is made."""
    m = SiagaModel(tiny("kalsel_pilkada2020", days=20), seed=1)
    m.step()
    map_svg(m)  # geometry, once per region
    times = []
    for _ in range(5):
        m.step()
        t0 = time.perf_counter()
        svg = map_svg(m, selected=7)
        times.append(time.perf_counter() - t0)
    assert svg.count("data-village=") == 2016
    assert len(svg.encode()) < 450_000, f"{len(svg) / 1024:.0f} KB"
    assert sorted(times)[2] < 0.05, f"median redraw {1000 * sorted(times)[2]:.1f} ms"
    labels = mg.screen_map(m.region).labels
    assert labels and all(lab.village == -1 for lab in labels)  # kecamatan names at this size
