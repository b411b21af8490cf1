"""What a `region.place` stands for (docs/REGIONS.md): every village of some Kepmendagri codes
with its kecamatan, seats, position, area, neighbours and population, by the rules of `siaga
scenarios new` (which writes the same region into a file, scenarios/new.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from scenarios.errors import ScenarioError

if TYPE_CHECKING:
    import pandas as pd

ALL_INDONESIA = "ID"


@dataclass
class Region:
    """What a scenario's [region] is made of, gathered from the geography."""

    code: str
    level: str
    nama: str
    villages: pd.DataFrame
    neighbours: dict[str, list[str]]
    seats: dict[str, tuple[str, str]]
    polres: tuple[str, str]
    kecamatan_names: dict[str, str]


def gather(code: str) -> Region:
    """The region's villages, neighbours and seats from the geography."""
    import geography
    from scenarios.place import neighbour_lists, village_table
    from scenarios.seats import kecamatan_seats, polres_seat

    unit = geography.unit(code)
    vills = village_table(code)
    if vills.empty:
        raise ScenarioError(f"{code} {unit['nama']} ({unit['tingkat']}) has no desa or kelurahan under it")
    t = geography.units()
    kec_names = dict(t.loc[t["kode"].isin(set(vills["kecamatan"])), ["kode", "nama"]].itertuples(index=False, name=None))
    seats = kecamatan_seats(vills)
    return Region(code, str(unit["tingkat"]), str(unit["nama"]), vills, neighbour_lists(code, vills), seats,
                  polres_seat(code, vills, seats), kec_names)


def expand_place(codes: tuple[str, ...]) -> dict[str, Any]:
    """The `[region]` fields a `region.place` stands for: `kecamatan` with every village, and
    `polres_seat`. Populations by the rule of `scenarios.populations`, kecamatan and Polres seats by
    `scenarios.seats`, positions, areas and neighbours from the village polygons, exactly as `siaga
    scenarios new` writes them. Each code is gathered on its own, so villages of two codes are not
    neighbours of each other; the Polres seat is the first code's. "ID" is every province. Cached
    per process: an experiment's runs expand it once per worker."""
    return _expand(tuple(codes))


@lru_cache(maxsize=4)
def _expand(codes: tuple[str, ...]) -> dict[str, Any]:
    import geography
    from scenarios.populations import rule_populations
    from scenarios.toml_text import fmt_area

    if ALL_INDONESIA in codes:
        t = geography.units()
        codes = tuple(sorted(t.loc[t["tingkat"] == "provinsi", "kode"]))
    kecamatan: list[dict[str, Any]] = []
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
