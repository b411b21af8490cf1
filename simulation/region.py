"""The region: kabupaten -> kecamatan -> desa/kelurahan, with positions, adjacency and attributes.

Villages are few (tens to thousands), so they live in small arrays indexed by village number.
Positions that the scenario does not give are generated (an assumed layout: kecamatan on a grid,
villages in a disk around the kecamatan seat, kelurahan nearest the centre). Village adjacency is
the symmetric k-nearest-neighbour graph over positions.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np
import scipy.sparse as sp
from scipy.spatial import cKDTree

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

    @property
    def n_villages(self) -> int:
        return len(self.codes)

    @property
    def n_kecamatan(self) -> int:
        return len(self.kecamatan_codes)

    def distance_km(self, a: int | np.ndarray, b: int | np.ndarray) -> np.ndarray:
        return np.hypot(self.x_km[a] - self.x_km[b], self.y_km[a] - self.y_km[b])

    def graph(self) -> nx.Graph:
        """The village graph as networkx, with names, positions and attributes on the nodes."""
        g = nx.from_scipy_sparse_array(self.adjacency)
        for v in range(self.n_villages):
            g.nodes[v].update(
                code=self.codes[v],
                name=self.names[v],
                kind="kelurahan" if self.kelurahan[v] else "desa",
                kecamatan=self.kecamatan_names[self.kecamatan[v]],
                population=int(self.population[v]),
                pos=(float(self.x_km[v]), float(self.y_km[v])),
                hotspot=bool(self.hotspot[v]),
            )
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
                        population=syn.people_per_village,
                        x=None,
                        y=None,
                        hotspot=bool(rng.random() < syn.hotspot_share),
                        partisan=None,
                        identity=None,
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
                    population=v.population,
                    x=v.x_km,
                    y=v.y_km,
                    hotspot=v.hotspot,
                    partisan=v.partisan_split,
                    identity=v.identity_split,
                )
            )
    return rows


def _layout(rows: list[dict], n_kec: int, area_km2: float, rng: np.random.Generator) -> None:
    """Fill missing positions: kecamatan centres on a grid, villages on a jittered sunflower."""
    side = int(np.ceil(np.sqrt(n_kec)))
    kec_area = area_km2 / n_kec
    spacing = np.sqrt(kec_area)
    radius = np.sqrt(kec_area / np.pi)
    golden = np.pi * (3.0 - np.sqrt(5.0))
    for k in range(n_kec):
        cx, cy = (k % side) * spacing, (k // side) * spacing
        members = [r for r in rows if r["kec"] == k]
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


def build_region(scn: Scenario, rng: np.random.Generator) -> Region:
    """Build the region from a validated scenario; `rng` is the layout stream."""
    rows = _village_table(scn, rng)
    if scn.region.synthetic is not None:
        kec_codes = [f"S.{k + 1:03d}" for k in range(scn.region.synthetic.kecamatan)]
        kec_names = [f"Kecamatan {k + 1}" for k in range(scn.region.synthetic.kecamatan)]
    else:
        kec_codes = [k.code for k in scn.region.kecamatan]
        kec_names = [k.name for k in scn.region.kecamatan]
    _layout(rows, len(kec_codes), scn.region.area_km2, rng)

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
    seat = np.empty(len(kec_codes), dtype=np.int32)
    for k in range(len(kec_codes)):
        members = np.flatnonzero(kec == k)
        cx, cy = x[members].mean(), y[members].mean()
        # the Camat office and Polsek sit in the most central kelurahan (or village)
        pool = members[kel[members]] if kel[members].any() else members
        seat[k] = pool[np.argmin(np.hypot(x[pool] - cx, y[pool] - cy))]

    return Region(
        name=scn.region.name,
        kabupaten=scn.region.kabupaten,
        province=scn.region.province,
        kecamatan_codes=kec_codes,
        kecamatan_names=kec_names,
        codes=[r["code"] for r in rows],
        names=[r["name"] for r in rows],
        kelurahan=kel,
        kecamatan=kec,
        population=np.array([r["population"] for r in rows], dtype=np.int64),
        x_km=x,
        y_km=y,
        hotspot=np.array([r["hotspot"] for r in rows], dtype=bool),
        partisan_split=partisan,
        identity_split=identity,
        adjacency=knn_adjacency(x, y, scn.region.village_neighbours),
        seat=seat,
    )
