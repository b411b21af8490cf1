"""Hotspot priors from an indicator of election risk per kab/kota or kecamatan
(`siaga scenarios new --risk ikp.csv`), for example Bawaslu's Indeks Kerawanan Pemilu (IKP).

The file: columns `kode` (a kab/kota or kecamatan code) and `skor` (the composite score, 0-100;
also accepted as `ikp`), and optionally the IKP's four dimensions `sosial_politik`,
`penyelenggaraan`, `kontestasi`, `partisipasi` (0-100 each; recorded in the scenario's comments,
not used by the mapping). Rows of units outside the region are skipped, so a national file can be
given as it is; every row is still checked.

The mapping (assumed; it is a prior, to be varied, not a calibrated relation): the IKP 2024's own
categories for kab/kota put high risk from 49.33 and low risk up to 13.46 (docs/ODD.md [D38]; its
province bands, 68.5 and 21.7, are for province scores, which this file does not take; a kecamatan
row is read on the kab/kota scale, assumed). The share of a unit's villages marked `hotspot = true`
rises linearly from 0 at a score of 13.47 to MAX_SHARE (0.3, assumed) at 49.33 and stays there above:

    share(s) = MAX_SHARE * clip((s - 13.47) / (49.33 - 13.47), 0, 1)

A unit of n villages gets k = round(share * n) hotspots (halves up). Which ones: the first k of a
random order of all the unit's villages (in code order, less those of kecamatan that have their
own row), drawn from numpy's PCG64 seeded by SeedSequence(seed, spawn_key=(RISK_STREAM, *code
groups)); never the global random state. So the same seed always marks the same villages; a
higher score marks a superset of the villages a lower one marks; and a village's mark does not
depend on how much of the unit the scenario covers (a kecamatan of Sampang gets the same hotspots
as in the scenario of all Sampang). A kecamatan's row wins over its kab/kota's row.
A hotspot doubles the village's provocation rate and adds `population.hotspot_tension_bonus` to its
initial tension (docs/ODD.md §7.3).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from scenarios.csv_input import Problems, duplicates, known_unit, read_rows, score
from scenarios.errors import ScenarioError

LOW = 13.47
"""IKP 2024 kab/kota score from which a unit is no longer low risk (low: up to 13.46 [D38]); below, no hotspots."""
HIGH = 49.33
"""IKP 2024 kab/kota score from which a unit is high risk (49.33-100 [D38]): MAX_SHARE of its villages are hotspots."""
MAX_SHARE = 0.3
"""Share of a high-risk unit's villages marked as hotspots (assumed)."""
RISK_STREAM = 7_410_000
"""First spawn-key entry of the hotspot draws, apart from any stream the model spawns from the seed."""
DIMENSIONS = ("sosial_politik", "penyelenggaraan", "kontestasi", "partisipasi")
ALIASES = {
    "ikp": "skor", "score": "skor", "nilai": "skor", "indeks": "skor", "skor_ikp": "skor", "code": "kode", "kode_wilayah": "kode",
    "konteks_sosial_politik": "sosial_politik", "sospol": "sosial_politik", "penyelenggaraan_pemilu": "penyelenggaraan",
    "penyelenggara": "penyelenggaraan",
}
MAPPING_TEXT = (
    f"share of a unit's villages marked hotspot = {MAX_SHARE:g} (assumed) x clip((score - {LOW}) / ({HIGH} - {LOW}), 0, 1): "
    f"none below {LOW} (IKP 2024 kab/kota low risk), {MAX_SHARE:.0%} from {HIGH} (kab/kota high risk), linear between"
)


def hotspot_share(s: float) -> float:
    """The share of a unit's villages marked hotspot for a risk score `s` (0-100)."""
    return MAX_SHARE * min(max((s - LOW) / (HIGH - LOW), 0.0), 1.0)


def hotspot_count(s: float, n: int) -> int:
    """How many of a unit's `n` villages are hotspots at score `s` (halves rounded up)."""
    return int(math.floor(hotspot_share(s) * n + 0.5))


@dataclass(frozen=True)
class RiskRow:
    code: str
    name: str
    level: str
    score: float
    line: int
    dimensions: dict[str, float] = field(default_factory=dict)


def read_risk(path: str | Path) -> list[RiskRow]:
    """Every row of a risk CSV, checked: a known kab/kota or kecamatan code, written as text, each
    once; a score and any dimensions from 0 to 100. ScenarioError listing every problem by line."""

    path = Path(path)
    what = "--risk"
    rows = read_rows(path, what, ("kode", "skor"), DIMENSIONS, ALIASES, example="35.27,74.2")
    problems = Problems(path, what)
    out: list[RiskRow] = []
    for row in rows:
        code, n = row.values["kode"], row.line
        found = known_unit(code, n, problems)
        if found is None:
            continue
        if found["tingkat"] not in ("kabupaten", "kota", "kecamatan"):
            problems.add(n, f"{code} is {found['tingkat']} {found['nama']}: give kab/kota or kecamatan codes")
            continue
        value, why = score(row.values["skor"], 0.0, 100.0, "skor")
        dims = {}
        for d in DIMENSIONS:
            if why is None and row.values.get(d, "") != "":
                dims[d], why = score(row.values[d], 0.0, 100.0, d)
        if why:
            problems.add(n, f"{code}: {why}")
            continue
        out.append(RiskRow(code, str(found["nama"]), str(found["tingkat"]), value, n, dims))
    for code, lines in duplicates((r.values["kode"], r.line) for r in rows).items():
        problems.add(lines[1], f"{code} is given again (first on line {lines[0]}); give each unit once")
    problems.items.sort(key=lambda item: item[0] or 0)
    problems.raise_if_any()
    return out


def choose_hotspots(rows: list[RiskRow], members: Iterable[str], seed: int, path: str | Path = "") -> tuple[set[str], list[str]]:
    """(the villages of `members` marked hotspot, comment lines for the scenario file saying what
    each row that reached the region gave). ScenarioError if no row reaches the region."""
    import numpy as np

    import geography

    members = sorted(set(members))
    member_set = set(members)
    kec_rows = {r.code for r in rows if r.level == "kecamatan"}
    region_kabs = {m[:5] for m in members}
    region_kecs = {m[:8] for m in members}
    used = [r for r in rows if (r.code in region_kabs if r.level != "kecamatan" else r.code in region_kecs)]
    if not used:
        raise ScenarioError(
            f"--risk {path}: none of its {len(rows):,} rows is a kab/kota or kecamatan of the region "
            f"(its kab/kota: {', '.join(sorted(region_kabs)[:5])}{'...' if len(region_kabs) > 5 else ''})"
        )
    hot: set[str] = set()
    notes = []
    for r in sorted(used, key=lambda r: r.code):
        vills = geography.villages_in(r.code)["kode"].tolist()
        if r.level != "kecamatan":
            vills = [v for v in vills if v[:8] not in kec_rows]
        k = hotspot_count(r.score, len(vills))
        seq = np.random.SeedSequence(seed, spawn_key=(RISK_STREAM, *(int(g) for g in r.code.split("."))))
        order = np.random.Generator(np.random.PCG64(seq)).permutation(len(vills))
        chosen = {vills[i] for i in order[:k]}
        inside = chosen & member_set
        hot |= inside
        dims = "".join(f", {d} {v:g}" for d, v in r.dimensions.items())
        rest = " (villages of kecamatan with their own row excluded)" if r.level != "kecamatan" and any(
            c.startswith(r.code + ".") for c in kec_rows) else ""
        notes.append(f"#   {r.code} {r.name} (line {r.line}): skor {r.score:g}{dims} -> {hotspot_share(r.score):.1%} of its "
                     f"{len(vills):,} villages{rest} = {k:,} hotspots, {len(inside):,} of them in this region")
    skipped = len(rows) - len(used)
    if skipped:
        notes.append(f"#   {skipped:,} row{'s' if skipped != 1 else ''} of units outside the region skipped.")
    return hot, notes
