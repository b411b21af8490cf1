"""What the national geography says about the villages of a region, in the form a scenario needs:
their kecamatan, kind, position, area and neighbours (`geography`, source [D37])."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def village_table(code: str) -> pd.DataFrame:
    """The desa/kelurahan under `code` in code order: `kode`, `nama`, `tingkat`, `kecamatan` (its
    code), `lat`, `lng` (polygon centroid, or the kecamatan's centroid when `from_kecamatan`),
    `area_km2` (polygon area; missing without a polygon), `has_geom`."""
    import geography

    vills = geography.villages_in(code).reset_index(drop=True)
    pos = geography.village_positions(code).reset_index(drop=True)
    assert list(pos["kode"]) == list(vills["kode"])
    out = vills[["kode", "nama", "tingkat"]].copy()
    out["kecamatan"] = out["kode"].str[:8]
    out["lat"] = pos["lat"].astype(float).to_numpy()
    out["lng"] = pos["lng"].astype(float).to_numpy()
    out["from_kecamatan"] = pos["from_kecamatan"].astype(bool).to_numpy()
    out["area_km2"] = vills["area_km2"].astype(float).to_numpy()
    out["has_geom"] = vills["has_geom"].astype(bool).to_numpy()
    return out


def neighbour_lists(code: str, villages: pd.DataFrame) -> dict[str, list[str]]:
    """{village: its neighbours inside the region, in code order} for every village of `villages`
    that has a polygon (an island gets []); villages without a polygon are left out: the
    adjacency table knows nothing about them (geography/data/README.md)."""
    import geography

    pairs = geography.neighbours(code, pairs="inside")
    out: dict[str, list[str]] = {k: [] for k, g in zip(villages["kode"], villages["has_geom"]) if g}
    for a, b in zip(pairs["kode_a"], pairs["kode_b"]):
        if a in out and b in out:
            out[a].append(b)
            out[b].append(a)
    for lst in out.values():
        lst.sort()
    return out


def centroid(code: str) -> tuple[float, float] | None:
    """The unit's (lat, lng) from the code list: its polygon's centroid (a province: the
    area-weighted mean of its kab/kota centroids); None where unknown."""
    import pandas as pd

    import geography

    u = geography.unit(code)
    if pd.isna(u["lat"]) or pd.isna(u["lng"]):
        return None
    return float(u["lat"]), float(u["lng"])


ALL_INDONESIA = "ID"


def expand_place(codes: tuple[str, ...]) -> dict:
    """The `[region]` fields a `region.place` stands for (`kecamatan` with every village, and
    `polres_seat`), by the rules of `siaga scenarios new` (docs/REGIONS.md): populations by the
    rule of `scenarios.populations`, kecamatan and Polres seats by `scenarios.seats`, positions,
    areas and neighbours from the village polygons. Each code is gathered on its own, so villages
    of two codes are not neighbours of each other; the Polres seat is the first code's. "ID" is
    every province. Cached per process: an experiment's runs expand it once per worker."""
    return _expand(tuple(codes))


@lru_cache(maxsize=4)
def _expand(codes: tuple[str, ...]) -> dict:
    import geography
    from scenarios.new import gather
    from scenarios.populations import rule_populations
    from scenarios.toml_text import fmt_area

    if ALL_INDONESIA in codes:
        t = geography.units()
        codes = tuple(sorted(t.loc[t["tingkat"] == "provinsi", "kode"]))
    kecamatan: list[dict] = []
    polres = None
    for code in dict.fromkeys(codes):
        r = gather(code)
        pops = rule_populations(sorted(set(r.villages["kode"].str[:5])))
        polres = polres or r.polres[0]
        for kec, group in r.villages.groupby("kecamatan", sort=True):
            villages = []
            for v in group.itertuples(index=False):
                row = {"code": v.kode, "name": v.nama, "kind": v.tingkat, "population": pops[v.kode],
                       "lat": round(float(v.lat), 6), "lng": round(float(v.lng), 6)}
                if v.has_geom and v.area_km2 == v.area_km2 and v.area_km2 > 0:
                    row["area_km2"] = float(fmt_area(v.area_km2))  # as `scenarios new` writes it
                if v.kode in r.neighbours:
                    row["neighbours"] = r.neighbours[v.kode]
                villages.append(row)
            kecamatan.append({"code": kec, "name": r.kecamatan_names[kec], "seat": r.seats[kec][0], "villages": villages})
    return {"kecamatan": kecamatan, "polres_seat": polres}


def agents_for(population: int, sampling: int) -> int:
    """Villager agents of a village of `population` people at one agent per `sampling` people."""
    return population if sampling == 1 else max(1, round(population / sampling))
