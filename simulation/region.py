"""The region: kabupaten -> kecamatan -> desa/kelurahan, with positions, adjacency and attributes.

Villages are few (tens to thousands), so they live in small arrays indexed by village number.
Positions (docs/ODD.md §7.17):
* villages with `lat`/`lng` are on the real map: x_km/y_km are an equirectangular projection about
  the mean lat/lng of those villages (x = R cos(lat0) (lng - lng0), y = R (lat - lat0), radians;
  R the mean Earth radius). Distances are within 0.12% of great-circle ones across a province the
  size of Kalimantan Selatan and within 0.7% across Maluku (1,000 km), so `distance_km` stays planar;
* villages with `x_km`/`y_km` (and no lat/lng) keep them (in a region on the real map: km east and
  north of that centre);
* the rest are generated (an assumed layout: kecamatan on a grid, villages on a disc around the
  kecamatan's centre, kelurahan nearest the centre); on the real map the disc is centred on the mean
  of the kecamatan's placed villages (of all placed villages if it has none).
Village adjacency: a village's `neighbours` list (codes outside the scenario ignored; [] is an
island), and for villages without a list their k nearest villages; symmetrised. Seats: the
kecamatan's `seat`, else its most central kelurahan (or village); the Polres sits at
`region.polres_seat`, else at the kecamatan seat nearest the centre of the region.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

from geography.distance import EARTH_RADIUS_KM
from scenarios.sampling import agents_for
from scenarios.schema import Scenario

IDENTITY_CONCENTRATION = 20.0  # assumed spread of identity mixes between villages (docs/ODD.md)


@dataclass
class Region:
    name: str
    kabupaten: str
    province: str
    kecamatan_codes: list[str]
    kecamatan_names: list[str]
    codes: list[str]
    names: list[str]
    kelurahan: np.ndarray  # bool per village
    kecamatan: np.ndarray  # int index per village
    population: np.ndarray  # int per village
    x_km: np.ndarray
    y_km: np.ndarray
    hotspot: np.ndarray  # bool
    partisan_split: np.ndarray  # (villages, candidates)
    identity_split: np.ndarray  # (villages, identity groups)
    adjacency: sp.csr_matrix  # (villages, villages), symmetric 0/1
    seat: np.ndarray  # per kecamatan: index of the village that hosts Camat office and Polsek
    polres_seat: int = 0  # index of the village that hosts the Polres (its backup teams start there)
    lat: np.ndarray | None = None  # degrees per village, NaN where the scenario gives none
    lng: np.ndarray | None = None
    origin: tuple[float, float] | None = None  # (lat0, lng0) of the projection; None: no real map
    # the kabupaten/kota above the kecamatan (one Polres each under pooled backup, ODD §7.13a)
    kabupaten_codes: list[str] = field(default_factory=lambda: [""])
    kabupaten_of_kecamatan: np.ndarray | None = None  # int per kecamatan; None: all in kabupaten 0
    polres_seats: np.ndarray | None = None  # per kabupaten: the village hosting its Polres; None: polres_seat

    @property
    def n_villages(self) -> int:
        return len(self.codes)

    @property
    def n_kecamatan(self) -> int:
        return len(self.kecamatan_codes)

    @property
    def n_kabupaten(self) -> int:
        return len(self.kabupaten_codes)

    def kabupaten_of(self, village: int) -> int:
        """The kabupaten (index into `kabupaten_codes`) of a village."""
        if self.kabupaten_of_kecamatan is None:
            return 0
        return int(self.kabupaten_of_kecamatan[self.kecamatan[village]])

    @property
    def village_kabupaten(self) -> np.ndarray:
        """The kabupaten of every village (index into `kabupaten_codes`), in one gather."""
        if self.kabupaten_of_kecamatan is None:
            return np.zeros(self.n_villages, dtype=np.int32)
        return self.kabupaten_of_kecamatan[self.kecamatan]

    def polres_seat_of(self, kabupaten: int) -> int:
        return int(self.polres_seat) if self.polres_seats is None else int(self.polres_seats[kabupaten])

    def distance_km(self, a: int | np.ndarray, b: int | np.ndarray) -> np.ndarray:
        return np.hypot(self.x_km[a] - self.x_km[b], self.y_km[a] - self.y_km[b])

    def graph(self) -> nx.Graph:
        """The village graph as networkx, with names, positions and attributes on the nodes, all
        plain strings, numbers and booleans (so it writes to GraphML and GEXF as is): `x_km`,
        `y_km`, and `lat`/`lng` where the scenario gives them."""
        g = nx.from_scipy_sparse_array(self.adjacency)
        seats = set(self.seat.tolist())
        for v in range(self.n_villages):
            g.nodes[v].update(
                code=self.codes[v],
                name=self.names[v],
                kind="kelurahan" if self.kelurahan[v] else "desa",
                kecamatan=self.kecamatan_names[self.kecamatan[v]],
                kecamatan_code=self.kecamatan_codes[self.kecamatan[v]],
                population=int(self.population[v]),
                x_km=float(self.x_km[v]),
                y_km=float(self.y_km[v]),
                hotspot=bool(self.hotspot[v]),
                seat=v in seats,
                polres_seat=v == self.polres_seat,
            )
            if self.lat is not None and self.lng is not None and np.isfinite(self.lat[v]) and np.isfinite(self.lng[v]):
                g.nodes[v].update(lat=float(self.lat[v]), lng=float(self.lng[v]))
        return g


def _village_table(scn: Scenario, rng: np.random.Generator) -> list[dict]:
    rows: list[dict] = []
    if scn.region.synthetic is not None:
        syn = scn.region.synthetic
        for k in range(syn.kecamatan):
            for j in range(syn.villages_per_kecamatan):
                rows.append(
                    dict(
                        kec=k,
                        code=f"S.{k + 1:03d}.{j + 1:04d}",
                        name=f"Desa {k + 1}-{j + 1}",
                        kelurahan=j == 0,
                        population=agents_for(syn.people_per_village, scn.region.sampling),
                        x=None,
                        y=None,
                        hotspot=bool(rng.random() < syn.hotspot_share),
                        partisan=None,
                        identity=None,
                        lat=None,
                        lng=None,
                        neighbours=None,
                    )
                )
        return rows
    for k, kec in enumerate(scn.region.kecamatan):
        for v in kec.villages:
            rows.append(
                dict(
                    kec=k,
                    code=v.code,
                    name=v.name,
                    kelurahan=v.kind == "kelurahan",
                    population=agents_for(v.population, scn.region.sampling),
                    x=v.x_km,
                    y=v.y_km,
                    hotspot=v.hotspot,
                    partisan=v.partisan_split,
                    identity=v.identity_split,
                    lat=v.lat,
                    lng=v.lng,
                    neighbours=v.neighbours,
                )
            )
    return rows


def _project(rows: list[dict]) -> tuple[float, float] | None:
    """Place the villages that have lat/lng: equirectangular projection about their mean position
    (x east, y north, km). Returns the origin (lat0, lng0), or None when no village has lat/lng."""
    known = [r for r in rows if r["lat"] is not None and r["lng"] is not None]
    if not known:
        return None
    lat0 = float(np.mean([r["lat"] for r in known]))
    lng0 = float(np.mean([r["lng"] for r in known]))
    kx = EARTH_RADIUS_KM * np.cos(np.radians(lat0))
    for r in known:
        r["x"] = float(kx * np.radians(r["lng"] - lng0))
        r["y"] = float(EARTH_RADIUS_KM * np.radians(r["lat"] - lat0))
    return lat0, lng0


def _layout(
    rows: list[dict], n_kec: int, area_km2: float, rng: np.random.Generator, real_map: bool = False
) -> None:
    """Fill missing positions: kecamatan centres on a grid, villages on a jittered sunflower. On a
    real map (some villages projected from lat/lng) a kecamatan's disc is centred on the mean of its
    placed villages, or of all placed villages when it has none, instead of on the grid."""
    side = int(np.ceil(np.sqrt(n_kec)))
    kec_area = area_km2 / n_kec
    spacing = np.sqrt(kec_area)
    radius = np.sqrt(kec_area / np.pi)
    golden = np.pi * (3.0 - np.sqrt(5.0))
    placed_all = [r for r in rows if r["x"] is not None and r["y"] is not None]
    for k in range(n_kec):
        cx, cy = (k % side) * spacing, (k // side) * spacing
        members = [r for r in rows if r["kec"] == k]
        if real_map:
            placed = [r for r in members if r["x"] is not None and r["y"] is not None] or placed_all
            cx = float(np.mean([r["x"] for r in placed]))
            cy = float(np.mean([r["y"] for r in placed]))
        # kelurahan first, so they take the inner rings of the sunflower (town centre)
        members.sort(key=lambda r: not r["kelurahan"])
        n = len(members)
        for i, r in enumerate(members):
            if r["x"] is not None and r["y"] is not None:
                continue
            rr = radius * np.sqrt((i + 0.5) / n)
            theta = i * golden + rng.uniform(-0.3, 0.3)
            jitter = rng.normal(0.0, 0.05 * radius, size=2)
            r["x"] = float(cx + rr * np.cos(theta) + jitter[0])
            r["y"] = float(cy + rr * np.sin(theta) + jitter[1])


def knn_adjacency(x: np.ndarray, y: np.ndarray, k: int) -> sp.csr_matrix:
    n = len(x)
    if n == 1:
        return sp.csr_matrix((1, 1), dtype=np.int8)
    k = min(k, n - 1)
    _, idx = cKDTree(np.column_stack([x, y])).query(np.column_stack([x, y]), k=k + 1)
    rows = np.repeat(np.arange(n), k)
    cols = idx[:, 1:].ravel()
    a = sp.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(np.int8)
    a.setdiag(0)
    a.eliminate_zeros()
    return a.tocsr()


def village_adjacency(
    x: np.ndarray, y: np.ndarray, k: int, codes: list[str], lists: list[list[str] | None]
) -> sp.csr_matrix:
    """Village adjacency: each village's `neighbours` list (codes not in `codes` ignored, [] an
    island), and for a village without a list its k nearest villages; symmetrised, no self-loops.
    With no list at all this is exactly `knn_adjacency`."""
    n = len(x)
    has = np.array([lst is not None for lst in lists], dtype=bool)
    if not has.any():
        return knn_adjacency(x, y, k)
    index = {c: i for i, c in enumerate(codes)}
    rows: list[int] = []
    cols: list[int] = []
    for i, lst in enumerate(lists):
        for c in lst or ():
            j = index.get(c)
            if j is not None and j != i:
                rows.append(i)
                cols.append(j)
    guess = np.flatnonzero(~has)
    if len(guess) and n > 1:
        kk = min(k, n - 1)
        pts = np.column_stack([x, y])
        _, idx = cKDTree(pts).query(pts[guess], k=kk + 1)
        idx = np.asarray(idx).reshape(len(guess), kk + 1)
        for i, near in zip(guess, idx):
            near = [int(j) for j in near if j != i][:kk]  # self may not come first when points coincide
            rows.extend([int(i)] * len(near))
            cols.extend(near)
    a = sp.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n)).tocsr()
    a = ((a + a.T) > 0).astype(np.int8)
    a.setdiag(0)
    a.eliminate_zeros()
    return a.tocsr()


def _seats(
    scn: Scenario, codes: list[str], x: np.ndarray, y: np.ndarray, kec: np.ndarray, kel: np.ndarray, n_kec: int
) -> tuple[np.ndarray, int]:
    """Per kecamatan the village hosting the Camat and Polsek, and the village hosting the Polres."""
    index = {c: i for i, c in enumerate(codes)}
    given = [k.seat for k in scn.region.kecamatan] if scn.region.synthetic is None else [None] * n_kec
    seat = np.empty(n_kec, dtype=np.int32)
    for k in range(n_kec):
        if given[k] is not None:
            seat[k] = index[given[k]]
            continue
        members = np.flatnonzero(kec == k)
        cx, cy = x[members].mean(), y[members].mean()
        # the Camat office and Polsek sit in the most central kelurahan (or village)
        pool = members[kel[members]] if kel[members].any() else members
        seat[k] = pool[np.argmin(np.hypot(x[pool] - cx, y[pool] - cy))]
    if scn.region.polres_seat is not None:
        polres = index[scn.region.polres_seat]
    else:  # the kecamatan seat nearest the (unweighted) centre of the region's villages
        polres = int(seat[np.argmin(np.hypot(x[seat] - x.mean(), y[seat] - y.mean()))])
    return seat, int(polres)


def _kabupaten(scn: Scenario, kec_codes: list[str]) -> tuple[list[str], np.ndarray]:
    """The kabupaten/kota codes and, per kecamatan, its kabupaten: the first two parts of the
    Kepmendagri kecamatan code ("63.01.02" is in 63.01); a synthetic region's kecamatan are cut
    in order into `synthetic.kabupaten` groups."""
    if scn.region.synthetic is not None:
        parts = np.array_split(np.arange(len(kec_codes)), scn.region.synthetic.kabupaten)
        of = np.empty(len(kec_codes), dtype=np.int32)
        for j, members in enumerate(parts):
            of[members] = j
        return [f"S.K{j + 1:02d}" for j in range(len(parts))], of
    kab = [".".join(c.split(".")[:2]) for c in kec_codes]
    codes = list(dict.fromkeys(kab))
    index = {c: j for j, c in enumerate(codes)}
    return codes, np.array([index[c] for c in kab], dtype=np.int32)


def _polres_seats(
    of_kec: np.ndarray, n_kab: int, seat: np.ndarray, polres_seat: int, kec: np.ndarray, kel: np.ndarray,
    x: np.ndarray, y: np.ndarray,
) -> np.ndarray:
    """Per kabupaten the village hosting its Polres (assumed, ODD §7.13a): the region's
    `polres_seat` for the kabupaten that holds it; elsewhere the seat of the kecamatan with the
    most kelurahan (the town), nearest the kabupaten's centre on a tie (scenarios/seats.py rules 4-5)."""
    out = np.empty(n_kab, dtype=np.int64)
    kel_per_kec = np.bincount(kec[kel], minlength=len(seat))
    home = int(of_kec[kec[polres_seat]])
    for j in range(n_kab):
        if j == home:
            out[j] = polres_seat
            continue
        ks = np.flatnonzero(of_kec == j)
        members = np.flatnonzero(np.isin(kec, ks))
        cx, cy = x[members].mean(), y[members].mean()
        best = ks[kel_per_kec[ks] == kel_per_kec[ks].max()]
        s = seat[best]
        out[j] = int(s[np.argmin(np.hypot(x[s] - cx, y[s] - cy))])
    return out


def build_region(scn: Scenario, rng: np.random.Generator) -> Region:
    """Build the region from a validated scenario; `rng` is the layout stream."""
    rows = _village_table(scn, rng)
    if scn.region.synthetic is not None:
        kec_codes = [f"S.{k + 1:03d}" for k in range(scn.region.synthetic.kecamatan)]
        kec_names = [f"Kecamatan {k + 1}" for k in range(scn.region.synthetic.kecamatan)]
    else:
        kec_codes = [k.code for k in scn.region.kecamatan]
        kec_names = [k.name for k in scn.region.kecamatan]
    origin = _project(rows)
    _layout(rows, len(kec_codes), scn.region.area_km2, rng, real_map=origin is not None)

    shares = np.array([c.expected_share for c in scn.candidates])
    conc = scn.population.partisan_concentration
    id_shares = np.array([g.share for g in scn.population.identity_groups])
    partisan = np.empty((len(rows), len(shares)))
    identity = np.empty((len(rows), len(id_shares)))
    for i, r in enumerate(rows):
        partisan[i] = r["partisan"] if r["partisan"] is not None else rng.dirichlet(conc * shares + 1e-3)
        identity[i] = (
            r["identity"]
            if r["identity"] is not None
            else rng.dirichlet(IDENTITY_CONCENTRATION * id_shares + 1e-3)
        )

    x = np.array([r["x"] for r in rows])
    y = np.array([r["y"] for r in rows])
    kec = np.array([r["kec"] for r in rows], dtype=np.int32)
    kel = np.array([r["kelurahan"] for r in rows], dtype=bool)
    codes = [r["code"] for r in rows]
    seat, polres_seat = _seats(scn, codes, x, y, kec, kel, len(kec_codes))
    kab_codes, of_kec = _kabupaten(scn, kec_codes)
    polres_seats = _polres_seats(of_kec, len(kab_codes), seat, polres_seat, kec, kel, x, y)
    nan = float("nan")

    return Region(
        name=scn.region.name,
        kabupaten=scn.region.kabupaten,
        province=scn.region.province,
        kecamatan_codes=kec_codes,
        kecamatan_names=kec_names,
        codes=codes,
        names=[r["name"] for r in rows],
        kelurahan=kel,
        kecamatan=kec,
        population=np.array([r["population"] for r in rows], dtype=np.int64),
        x_km=x,
        y_km=y,
        hotspot=np.array([r["hotspot"] for r in rows], dtype=bool),
        partisan_split=partisan,
        identity_split=identity,
        adjacency=village_adjacency(x, y, scn.region.village_neighbours, codes, [r["neighbours"] for r in rows]),
        seat=seat,
        polres_seat=polres_seat,
        lat=np.array([nan if r["lat"] is None or r["lng"] is None else r["lat"] for r in rows], dtype=np.float64),
        lng=np.array([nan if r["lat"] is None or r["lng"] is None else r["lng"] for r in rows], dtype=np.float64),
        origin=origin,
        kabupaten_codes=kab_codes,
        kabupaten_of_kecamatan=of_kec,
        polres_seats=polres_seats,
    )
