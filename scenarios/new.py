"""`siaga scenarios new CODE`: a scenario of any province, kab/kota, kecamatan or village of
Indonesia, on its real map (docs/REGIONS.md).

From the national geography (`geography`, source [D37]): every desa/kelurahan under CODE by name,
code and kind, grouped into its kecamatan, with `lat`/`lng` (polygon centroid), `area_km2`
(polygon area) and `neighbours` (villages whose borders come within 30 m, kept only inside the
scenario; `[]` for an island). Populations by the rule of `scenarios.populations` (or the user's
CSV), seats by the rules of `scenarios.seats`, the calendar of `scenarios.elections`, N anonymous
candidate pairs with even shares, hotspots from a risk CSV (`scenarios.risk`). Everything else is
the default scenario's, by `extends`. The file's comments say what is sourced and what assumed.

The scenario is checked twice: before the geography is gathered, that it fits in this machine's
memory (`scenarios.budget`, as `siaga run` does), and at the end, that the text written parses and
validates (`scenarios.loader`) and is within the size a scenario file may have.
"""

from __future__ import annotations

import re
import shlex
import textwrap
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from scenarios import DEFAULT_SCENARIO
from scenarios.errors import ScenarioError
from scenarios.files import printable
from scenarios.place_expand import Region, gather
from scenarios.toml_text import fmt, fmt_area, toml_str

if TYPE_CHECKING:
    import pandas as pd

    from scenarios.elections import Election

MAX_CANDIDATES = 12  # scenarios/schema.py Scenario.candidates
LEVEL_WORD = {"provinsi": "Provinsi", "kecamatan": "Kecamatan", "desa": "Desa", "kelurahan": "Kelurahan"}
LICENCE = (
    "# Village names, codes and kab/kota populations: Kepmendagri No 300.2.2-2138/2025 and Dukcapil via cahyadsn/wilayah\n"
    "# (MIT licence, Copyright (c) 2017-2025 Cahya DSN); positions, areas and neighbours from village polygons of\n"
    "# cahyadsn/wilayah_boundaries (MIT licence, Copyright (c) 2024 Cahya DSN); geography/data/LICENSE."
)
NEIGHBOURS_NOTE = "assumed, as the default scenario: used only for villages without a `neighbours` list (no polygon)"
GEOGRAPHY_NOTE = (
    "# Per village, SOURCED [D37]: lat/lng (centroid of its polygon), area_km2 (its area), neighbours (villages of this\n"
    "# scenario whose borders come within 30 m; [] for an island). Villages without a polygon are placed at their\n"
    "# kecamatan's centroid and have no `neighbours` list (the model gives them their nearest villages)."
)
SEAT_NOTE = "assumed"


@dataclass
class Built:
    """A scenario made by `build`: its TOML text and what the command line reports."""

    code: str
    title: str
    slug: str
    text: str
    villages: int
    kecamatan: int
    people: int
    hotspots: int = 0
    from_csv: int = 0
    notes: list[str] = field(default_factory=list)


def comment(text: str, width: int = 116) -> list[str]:
    """`text` as comment lines of at most `width` characters."""
    return ["# " + line for line in textwrap.wrap(text, width - 2, break_long_words=False, break_on_hyphens=False)]


def display_name(unit: Any) -> str:
    """"Kabupaten Sampang", "Kecamatan Kepahiang", "Provinsi Kalimantan Selatan"."""
    word = LEVEL_WORD.get(unit["tingkat"])
    return f"{word} {unit['nama']}" if word else str(unit["nama"])


def slug(text: str) -> str:
    from geography.names import fold

    words = [fold(w) for w in re.split(r"[\s_\-/.,]+", text)]
    return "_".join(w for w in words if w) or "scenario"


def region_lines(r: Region, header: Sequence[str], pops: dict[str, int], summary: Sequence[str],
                 hotspots: set[str] = frozenset(), pop_lines: dict[str, int] | None = None, csv_name: str = "") -> list[str]:
    """The `[region]` table (its `header` lines first: name, province, ...) and every kecamatan
    with its villages, one inline table per village."""
    pop_lines = pop_lines or {}
    polres, polres_why = r.polres
    L = ["[region]", *header, f"village_neighbours = 4  # {NEIGHBOURS_NOTE}", *comment(f"Polres seat (assumed): {polres_why}."),
         f"polres_seat = {toml_str(polres)}", *summary, GEOGRAPHY_NOTE, ""]
    for kec, group in r.villages.groupby("kecamatan", sort=True):
        seat, why = r.seats[kec]
        L += ["[[region.kecamatan]]", f"code = {toml_str(kec)}", f"name = {toml_str(r.kecamatan_names[kec])}",
              f"seat = {toml_str(seat)}  # {SEAT_NOTE}: {why}", "villages = ["]
        for v in group.itertuples(index=False):
            parts = [f"code = {toml_str(v.kode)}", f"name = {toml_str(v.nama)}", f"kind = {toml_str(v.tingkat)}",
                     f"population = {pops[v.kode]}", f"lat = {round(float(v.lat), 6)!r}", f"lng = {round(float(v.lng), 6)!r}"]
            if v.has_geom and v.area_km2 == v.area_km2 and v.area_km2 > 0:
                parts.append(f"area_km2 = {fmt_area(v.area_km2)}")
            if v.kode in r.neighbours:
                parts.append(f"neighbours = {fmt(r.neighbours[v.kode])}")
            if v.kode in hotspots:
                parts.append("hotspot = true")
            notes = []
            if v.from_kecamatan:
                notes.append("no polygon: at the kecamatan's centroid")
            if v.kode in pop_lines:
                notes.append(f"population: {csv_name} line {pop_lines[v.kode]}")
            L.append("  { " + ", ".join(parts) + " }," + (f"  # {'; '.join(notes)}" if notes else ""))
        L += ["]", ""]
    return L


def _kabs(villages: pd.DataFrame) -> list[str]:
    return sorted(set(villages["kode"].str[:5]))


def check_fits(code: str, label: str, villages: pd.DataFrame, pops: dict[str, int], base: dict[str, Any]) -> None:
    """Refuse, before anything heavy, a region this machine's memory cannot run (`scenarios.budget`,
    the estimate `siaga run` uses), with the estimate and what to do instead."""
    from scenarios.budget import ENV, available_memory, estimate, human_bytes
    from scenarios.loader import deep_merge, validate

    kecs = [{"code": k, "name": k, "villages": [{"code": c, "name": c, "population": pops[c]} for c in g["kode"]]}
            for k, g in villages.groupby("kecamatan", sort=True)]
    spec = validate(deep_merge(base, {"region": {"name": label, "kecamatan": kecs}}), f"scenarios new {code}")
    est = estimate(spec)
    try:
        limit, origin = available_memory()
    except ValueError as exc:
        raise ScenarioError(f"scenarios new {code}: {exc}") from None
    if est.bytes <= limit:
        return
    where = ENV if origin == ENV else f"{origin}; set {ENV} to plan for a larger machine"
    raise ScenarioError(
        f"scenarios new {code} ({label}): region size: {est.villagers:,} villagers in {est.villages:,} villages would need about "
        f"{human_bytes(est.bytes)} of memory to run; this machine has {human_bytes(limit)} available ({where}). "
        f"Make a scenario of part of it instead: one of its kab/kota or kecamatan (list them with `siaga scenarios find {code} --limit 0`)"
    )


def candidates_lines(n: int, base: dict[str, Any]) -> list[str]:
    """N anonymous pairs with even expected shares (assumed) and the default scenario's strategies."""
    if not 1 <= n <= MAX_CANDIDATES:
        raise ScenarioError(f"--candidates {n}: give 1 to {MAX_CANDIDATES} candidate pairs")
    strategy = {k: v for k, v in base["candidates"][0].items() if k not in ("name", "incumbent", "expected_share")}
    shares = [round(1.0 / n, 6)] * n
    shares[-1] = round(1.0 - sum(shares[:-1]), 6)
    L = [f"# {n} anonymous candidate pair{'s' if n > 1 else ''} (--candidates {n}): expected shares even, no incumbent, and the",
         "# default scenario's campaign strategies (all assumed). Put in the real pairs, their incumbency and expected shares."]
    for i, share in enumerate(shares, 1):
        L += ["[[candidates]]", f"name = {toml_str(f'Paslon {i:02d}')}", "incumbent = false", f"expected_share = {share!r}"]
        L += [f"{k} = {fmt(v)}" for k, v in strategy.items()]
        L.append("")
    return L


def build(code: str, election: str | None = None, candidates: int = 2, populations: str | Path | None = None,
          risk: str | Path | None = None, name: str | None = None, seed: int | None = None,
          command: str | None = None) -> Built:
    """The scenario of `code` as TOML text (not written; see `write`). ScenarioError (or the
    geography's UnknownCode) for anything a user can fix."""
    import geography
    from scenarios.elections import calendar_toml
    from scenarios.elections import election as pick_election
    from scenarios.loader import load_dict
    from scenarios.populations import RULE_TEXT, read_populations, rule_populations

    unit = geography.unit(code)  # UnknownCode, with suggestions
    code = str(unit["kode"])
    e: Election = pick_election(election)
    if not 1 <= candidates <= MAX_CANDIDATES:
        raise ScenarioError(f"--candidates {candidates}: give 1 to {MAX_CANDIDATES} candidate pairs")
    if seed is None:
        seed = e.seed
    if not 0 <= seed <= 2**63 - 1:
        raise ScenarioError(f"--seed {seed}: allowed 0 to 2^63-1")
    label = display_name(unit)
    title = name.strip() if name and name.strip() else f"{label}, {e.title}"
    if len(title) > 200:
        raise ScenarioError(f"--name: at most 200 characters (got {len(title)})")
    base = load_dict(DEFAULT_SCENARIO)

    # populations first (cheap): the memory check needs them
    members = geography.villages_in(code)
    if members.empty:
        raise ScenarioError(f"{code} {unit['nama']} ({unit['tingkat']}) has no desa or kelurahan under it")
    members = members.assign(kecamatan=members["kode"].str[:8])
    rule = rule_populations(_kabs(members))
    pops = {c: rule[c] for c in members["kode"]}
    csv_rows: dict[str, int] = {}
    if populations is not None:
        given = read_populations(populations, code, pops)
        for c, (value, line) in given.items():
            pops[c], csv_rows[c] = value, line
    check_fits(code, label, members, pops, base)

    region = gather(code)
    hotspots: set[str] = set()
    risk_notes: list[str] = []
    if risk is not None:
        from scenarios.risk import MAPPING_TEXT, choose_hotspots, read_risk

        hotspots, risk_notes = choose_hotspots(read_risk(risk), pops, seed, risk)
        risk_notes = [*comment(f"Hotspots (hotspot = true) from --risk {printable(Path(risk).name)}, seed {seed}: {MAPPING_TEXT}; which "
                               "villages: the first of a random order of each unit's villages drawn from the seed "
                               "(scenarios/risk.py, docs/REGIONS.md). Per row:"), *risk_notes]

    n_vill, people = len(pops), sum(pops.values())
    kabs = _kabs(region.villages)
    province = str(geography.unit(code[:2])["nama"])
    area, area_why = _area(unit, region.villages)
    header = [f"name = {toml_str(label)}", f"province = {toml_str(province)}",
              f"kabupaten = {toml_str(str(geography.unit(kabs[0])['nama']) if len(kabs) == 1 else f'{len(kabs)} kabupaten/kota')}",
              f"kabupaten_code = {toml_str(kabs[0] if len(kabs) == 1 else code)}", f"area_km2 = {fmt_area(area)}  # {area_why}"]
    n_rule = n_vill - len(csv_rows)
    text = f"{len(region.seats)} kecamatan, {n_vill:,} desa/kelurahan, {people:,} people. Populations: "
    if csv_rows:
        text += (f"{len(csv_rows):,} villages from --populations {printable(Path(populations).name)} (marked on their line); the other "
                 f"{n_rule:,} keep the rule's value: {RULE_TEXT}.")
    else:
        text += f"{RULE_TEXT}. Give your own with --populations desa.csv (columns kode,penduduk)."
    if len(kabs) == 1 and unit["tingkat"] not in ("kabupaten", "kota"):
        text += f" This region is part of {geography.unit(kabs[0])['nama']}: it has its villages' share of the kab/kota total."
    summary = comment(text + " Seats: the kelurahan (else the village) nearest each kecamatan's centroid (assumed); polres_seat: "
                      "see its line.")

    cmd = printable(command or f"siaga scenarios new {code}")
    L = [f"# SIAGA scenario: {label} ({code}), {province}; {e.title}.",
         f"# Written by `{cmd}`.",
         "# Edit it freely; check it with `siaga scenarios validate FILE`, run it with `siaga run FILE`.",
         "#",
         f"# SOURCED (tags of docs/ODD.md §10.2): the {n_vill:,} desa/kelurahan by name, code and kind, grouped into their",
         "# kecamatan (Kepmendagri No 300.2.2-2138/2025); each village's position, area and neighbours (village polygons)",
         "# and the kab/kota population (Dukcapil Dec 2024): the national geography [D37].",
         "# ASSUMED: each village's share of the population (the rule below), the kecamatan and Polres seats, the",
         "# candidates, the stages' multipliers, the hotspots (if any), and every value this file does not set: those are",
         f"# the default scenario's ({DEFAULT_SCENARIO}, by `extends`; its file gives the source of each), e.g. police",
         "# per person [D1], village officers [D2, D3], the network and the people's behaviour.",
         LICENCE, "",
         f"extends = {toml_str(DEFAULT_SCENARIO)}", f"name = {toml_str(title)}",
         'description = """',
         f"{label} ({code}, {province}), {e.title}: every desa and kelurahan on its real map, written by",
         "`siaga scenarios new`. Behaviour, officials and the social network are the default scenario's",
         "(Kecamatan Kepahiang): adapt them to the place.",
         '"""', f"seed = {seed}  # " + ("given with --seed" if seed != e.seed else "convention: the voting date"), ""]
    L += region_lines(region, header, pops, [*summary, *risk_notes], hotspots, csv_rows,
                      printable(Path(populations).name) if populations else "")
    L += ["[population]",
          f"voter_share = {base['population']['voter_share']!r}  # assumed: the default scenario's (Kab. Kepahiang [D6]); put this region's DPT / population",
          "", "# Identity groups are not used by any mechanism yet (docs/ODD.md); no census breakdown in the sources.",
          "[[population.identity_groups]]", 'name = "semua"', "share = 1.0", ""]
    L += ["# Stage multipliers (contact, trigger_rate, stakes, hoax, money_politics, ...): the default scenario's (assumed;",
          "# shaped by the sourced ordering of risk [D16] and the timing of violence [D19], see its file)."]
    L += calendar_toml(e, base)
    L += candidates_lines(candidates, base)
    text = "\n".join(L)
    _check_text(text, code)
    built = Built(code, title, slug(f"{label} {e.key}"), text, n_vill, len(region.seats), people, len(hotspots), len(csv_rows))
    built.notes = [f"polres_seat {region.polres[0]}: {region.polres[1]}"]
    return built


def _area(unit: Any, villages: pd.DataFrame) -> tuple[float, str]:
    """The region's area and where it comes from."""
    import pandas as pd

    if not pd.isna(unit["luas_km2"]) and float(unit["luas_km2"]) > 0:
        return float(unit["luas_km2"]), "official area (BIG), via cahyadsn/wilayah [D37]"
    if not pd.isna(unit["area_km2"]) and float(unit["area_km2"]) > 0:
        return float(unit["area_km2"]), "area of its polygon [D37]"
    known = villages["area_km2"].dropna()
    if len(known):
        return float(known.sum()), "sum of its villages' polygon areas [D37]"
    import geography

    kec = geography.unit(str(villages["kecamatan"].iat[0]))
    n = len(geography.villages_in(kec["kode"]))
    return float(kec["area_km2"]) / n, f"assumed: its kecamatan's area / its {n} villages (no polygon)"


def _check_text(text: str, code: str) -> None:
    """The text parses, validates and is small enough to be read back as a scenario file."""
    from scenarios.files import MAX_FILE_BYTES
    from scenarios.loader import load_scenario

    size = len(text.encode("utf-8"))
    if size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"scenarios new {code}: the scenario file would be {size / 2**20:.1f} MiB, and scenario files are read up to "
            f"{MAX_FILE_BYTES / 2**20:.0f} MiB; make one scenario per kab/kota (list them with "
            f"`siaga scenarios find {code} --level kabupaten --limit 0` and `--level kota`)"
        )
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # a bug here, not the user's
        raise AssertionError(f"scenarios new {code} wrote text that is not TOML: {exc}") from exc
    load_scenario(data, check_memory=False)


def default_out(built: Built) -> Path:
    return Path(f"{built.slug}.toml")


def write(built: Built, out: str | Path | None = None, force: bool = False) -> Path:
    """Write the scenario to `out` (default `<slug>.toml` here; a folder: `<slug>.toml` in it),
    atomically; an existing file only with `force`."""
    from common.atomic import atomic_write

    path = Path(out) if out is not None else default_out(built)
    if path.is_dir():
        path = path / default_out(built)
    check_target(path, force)
    atomic_write(path, lambda p: p.write_text(built.text, encoding="utf-8"))
    return path


def check_target(path: Path, force: bool) -> None:
    """Refuse to overwrite an existing file without `force` (checked before anything is built)."""
    if path.suffix != ".toml":
        raise ScenarioError(f"--out {path}: a scenario file must end in .toml")
    if (path.exists() or path.is_symlink()) and not force:
        raise ScenarioError(f"--out {path}: the file exists; choose another name with --out, or add --force to overwrite it")
    if path.exists() and not path.is_file():
        raise ScenarioError(f"--out {path}: not a regular file")


def command_line(argv: Sequence[str]) -> str:
    """The command as a user would retype it, for the file's header."""
    return "siaga " + " ".join(shlex.quote(a) for a in argv)
