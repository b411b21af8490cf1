"""What the national geography says about the villages of a region, in the form a scenario needs:
their kecamatan, kind, position, area and neighbours (`geography`, source [D37])."""

from __future__ import annotations

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

