"""How many people live in each village: the kab/kota total spread by a documented rule, or the
user's own numbers (`siaga scenarios new --populations desa.csv`).

The sources give populations only for kab/kota and provinces (Dukcapil, December 2024 [D37]), not
for villages. The rule (assumed, the library's since its first seed regions): a kab/kota's total is
split over all its desa and kelurahan, each kelurahan (urban) counting 1.5 times a desa; shares are
rounded to whole people and the rounding remainder goes to the kab/kota's last village in code
order, so the villages of a kab/kota sum exactly to its total. A region that is only part of a
kab/kota (a kecamatan, a village) gets its villages' values of that split, so its total is its
villages' share of the kab/kota total. Weighting by village area was considered and not taken:
population density falls with area (large villages are the sparsely settled ones), so an area rule
would be worse than an even one, and no documented density rule for Indonesian villages was found.

A CSV with columns `kode,penduduk` replaces the rule's value for the villages it lists; the others
keep the rule's value (the scenario file says how many came from where).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from scenarios.csv_input import Problems, duplicates, known_unit, read_rows, whole_number

KELURAHAN_WEIGHT = 1.5
"""Weight of a kelurahan against a desa (1.0) in the split of a kab/kota total (assumed)."""
MAX_VILLAGE_POPULATION = 2_000_000  # scenarios/schema_region.py VillageSpec.population
RULE_TEXT = (
    "the Dukcapil Dec 2024 population of each kab/kota ([D37]) split over all its desa/kelurahan, kelurahan "
    f"weighted {KELURAHAN_WEIGHT:g}x (assumed); rounding remainder to the kab/kota's last village"
)


def split_population(total: int, kinds: Sequence[str] | Sequence[Mapping[str, str]]) -> list[int]:
    """Split a kab/kota's people over its villages in code order, kelurahan weighted 1.5x
    (assumed). `kinds`: each village's `tingkat` ("desa"/"kelurahan"), or rows with a `tingkat`."""
    kinds = [k if isinstance(k, str) else k["tingkat"] for k in kinds]
    w = [KELURAHAN_WEIGHT if k == "kelurahan" else 1.0 for k in kinds]
    s = sum(w)
    pops = [int(round(total * x / s)) for x in w]
    pops[-1] += total - sum(pops)
    return pops


def rule_populations(kab_codes: Iterable[str]) -> dict[str, int]:
    """{village code: people} for every village of each kab/kota in `kab_codes`, by the rule."""
    import pandas as pd

    import geography

    out: dict[str, int] = {}
    for kab in sorted(set(kab_codes)):
        total = geography.unit(kab)["penduduk_2024"]
        vills = geography.villages_in(kab)
        if pd.isna(total) or int(total) < len(vills):  # no population, or too few people for one per village
            raise ValueError(f"{kab}: no Dukcapil population for this kab/kota in the geography; give every village's with --populations")
        out.update(zip(vills["kode"], split_population(int(total), vills["tingkat"].tolist())))
    return out


def read_populations(path: str | Path, region: str, members: Iterable[str]) -> dict[str, tuple[int, int]]:
    """{village code: (people, line)} from a `kode,penduduk` CSV for the villages of `region`
    (`members`: their codes). ScenarioError listing every problem with its line: an unknown code, a
    code of a unit that is not a village or lies outside the region, a number that is not a whole
    number of at least 1, a code given twice, a missing header."""
    from geography import unit, wilayah

    path = Path(path)
    what = "--populations"
    rows = read_rows(path, what, ("kode", "penduduk"), aliases={"code": "kode", "kode_wilayah": "kode", "kode_desa": "kode",
                                                                "population": "penduduk", "jumlah_penduduk": "penduduk"},
                     example="35.27.03.2001,4210")
    members = set(members)
    problems = Problems(path, what)
    out: dict[str, tuple[int, int]] = {}
    region_name = f"{region} {unit(region)['nama']}"
    for row in rows:
        code, n = row.values["kode"], row.line
        found = known_unit(code, n, problems)
        if found is None:
            continue
        if found["tingkat"] not in ("desa", "kelurahan"):
            problems.add(n, f"{code} is {found['tingkat']} {found['nama']}, not a desa/kelurahan: give one row per village")
            continue
        if code not in members:
            problems.add(n, f"{code} ({found['tingkat']} {found['nama']}, {_parents(code, wilayah)}) is outside the region {region_name}")
            continue
        value, why = whole_number(row.values["penduduk"], 1, MAX_VILLAGE_POPULATION, "penduduk")
        if why:
            zero = row.values["penduduk"].strip() in ("0", "+0", "-0")
            problems.add(n, f"{code}: {why}" + (" (every village needs at least 1 resident)" if zero else ""))
            continue
        out.setdefault(code, (value, n))
    for code, lines in duplicates((r.values["kode"], r.line) for r in rows).items():
        if code in out:
            problems.add(lines[1], f"{code} is given again (first on line {lines[0]}); give each village once")
    problems.items.sort(key=lambda item: item[0] or 0)
    problems.raise_if_any()
    return out


def _parents(code: str, wilayah) -> str:
    t = wilayah.units()
    names = []
    for anc in (code[:5], code[:2]):
        lo, hi = wilayah.span(anc)
        if hi > lo:
            names.append(str(t["nama"].iat[lo]))
    return " / ".join(names)
