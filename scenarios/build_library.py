"""Maintainers' tool: write the seed-region scenarios and the intervention variants of the library.

    python -m scenarios.build_library

Takes each seed region's villages (names, codes, kinds), positions, areas, neighbours and kab/kota
populations from the packaged national geography (`geography`, docs/ODD.md [D37]; the same
machinery as `siaga scenarios new`, scenarios/new.py) and writes one TOML file per seed region,
plus `<region>_<policy>.toml` variants that extend it. The files it writes are committed. Numbers
in the REGIONS table carry their source (a tag of docs/ODD.md §10.2) or are marked derived,
assumed or recalled; calendars come from scenarios/elections.py.

The default scenario (kepahiang_pilkada2024.toml) is written by hand; this tool only rewrites the
part between its `# >>> villages` and `# <<< villages` lines (its kecamatan, seat and villages
with their positions, areas and neighbours), keeping the populations that file gives.

Populations stay what they were when the library was first built: each kab/kota's Dukcapil 2024
total split over its villages with kelurahan weighted 1.5x (assumed; scenarios/populations.py), and
the default scenario's own 51,000 (derived from [D6]), so the library's results do not change
until the engine uses the new fields.
"""

from __future__ import annotations

import argparse
import re
import tomllib
from pathlib import Path

from common.atomic import atomic_write
from scenarios import DEFAULT_SCENARIO
from scenarios.elections import ELECTIONS, stages_toml
from scenarios.loader import library_dir, load_dict
from scenarios.new import LICENCE, comment, gather, region_lines
from scenarios.populations import RULE_TEXT, rule_populations
from scenarios.toml_text import fmt, fmt_area, toml_str

VARIANTS = {
    "none": "reactive policing only (the base scenario's own policy)",
    "kades_early": "Kades mediate with tokoh at WASPADA, after 1 day",
    "police_early": "Bhabinkamtibmas reports trigger Polsek patrols at WASPADA",
    "joint": "early Kades + early police + Camat coordination (rakor / Tim Terpadu) + counter-hoax",
    "late": "everyone acts only at AWAS, days later",
}


REGIONS = {
    "wonosobo_pilkada2015": {
        "code": "33.07",
        "title": "Kabupaten Wonosobo, Pilkada 2015",
        "description": (
            "Kabupaten Wonosobo (Central Java), Pilkada serentak 9 December 2015. The Tim Terpadu coordinates the\n"
            "Camat, Danramil and Kapolsek; early detection runs through village communication; rumours of ASN\n"
            "partisanship (\"maps of ASN support\") circulate, and police act fast on every security rumour so it does\n"
            "not \"grow wild\" (seed situations, docs/ODD.md [D30])."
        ),
        "seed": 20151209,
        "election": "Pilkada",
        "calendar": ELECTIONS["pilkada2015"].calendar,
        "calendar_note": "# Voting day 9 Dec 2015 ([D19], [D30]). Other dates RECALLED from PKPU 2/2015 as amended (campaign 27 Aug - 5 Dec,\n# masa tenang 6-8 Dec; recap and MK window approximate), not in the sources of docs/ODD.md §10.2.",
        "voter_share": (0.733, "derived: Pemilu 2024 DPT 693,625 / 945,955 people ([D31], [D32]); the 2015 list was not found"),
        "candidates": [
            {"name": "Paslon 1", "incumbent": False, "expected_share": 0.5},
            {"name": "Paslon 2", "incumbent": False, "expected_share": 0.5},
        ],
        "candidates_note": "# The 2015 pairs and result are not in the sources of docs/ODD.md §10.2: two anonymous pairs, even split (assumed).",
        "officials": {"asn_nonneutral": (0.15, "assumed high: rumours of ASN support maps (seed situation [D30])")},
        "backup": (0.4, "assumed: first simultaneous Pilkada wave, less stretched than 2024"),
    },
    "tanjabtim_pemilu2024": {
        "code": "15.07",
        "title": "Kabupaten Tanjung Jabung Timur, Pemilu 2024",
        "description": (
            "Kabupaten Tanjung Jabung Timur (Jambi), incl. Kecamatan Dendang, Pemilu 14 February 2024. Forkopimda\n"
            "coordination; black campaign and rumours without facts; money politics (\"serangan fajar\"); neutrality\n"
            "of TNI, Polri, ASN and election organisers; every village mapped (seed situations, docs/ODD.md [D30])."
        ),
        "seed": 20240214,
        "election": "Pemilu",
        "calendar": ELECTIONS["pemilu2024"].calendar,
        "calendar_note": ELECTIONS["pemilu2024"].note,
        "voter_share": (0.712, "derived: 174,464 voters (Pemilu 2024) / 244,905 people ([D31], [D32])"),
        "candidates": [
            {"name": "Paslon 01", "incumbent": False, "expected_share": 0.34, "hoaxes_per_week": 2.5, "money_politics": 0.4},
            {"name": "Paslon 02", "incumbent": False, "expected_share": 0.33, "hoaxes_per_week": 2.5, "money_politics": 0.4},
            {"name": "Paslon 03", "incumbent": False, "expected_share": 0.33, "hoaxes_per_week": 2.5, "money_politics": 0.4},
        ],
        "candidates_note": "# Three presidential pairs (Pemilu 2024), anonymous; shares assumed even. Black campaign and serangan fajar named\n# by officials: hoaxes 2.5/week and money politics 0.4 per pair (assumed, above the default 1.5 and 0.3).",
        "officials": {"asn_nonneutral": (0.1, "assumed: neutrality of TNI, Polri, ASN and organisers named as a concern")},
        "backup": (0.3, "assumed low: a national election, every area secures its own"),
        "stage_overrides": {"quiet_period": {"money_politics": (0.8, "assumed high: serangan fajar named (Bawaslu: 59 alleged handouts in the 2024 masa tenang [D14])")}},
    },
    "kukar_pilkada2024": {
        "code": "64.02",
        "title": "Kabupaten Kutai Kartanegara, Pilkada 2024",
        "description": (
            "Kabupaten Kutai Kartanegara (East Kalimantan), Pilkada 27 November 2024. Vulnerable stages named: voter\n"
            "data, campaign, logistics, voting and counting, recapitulation and determination; Camat, Lurah and Kades\n"
            "must know their area's vulnerabilities; religious, adat and youth leaders calm the people. The MK later\n"
            "ordered a re-vote (PSU, 19 Apr 2025) (seed situations and results, docs/ODD.md [D30], [D32])."
        ),
        "seed": 20241127,
        "election": "Pilkada",
        "calendar": None,  # the default scenario's Pilkada 2024 calendar
        "voter_share": (0.685, "derived: DPT 552,469 / 806,964 people ([D31], [D32])"),
        "candidates": [
            {"name": "Paslon 1", "incumbent": True, "expected_share": 0.686},
            {"name": "Paslon 2", "incumbent": False, "expected_share": 0.221},
            {"name": "Paslon 3", "incumbent": False, "expected_share": 0.093},
        ],
        "candidates_note": "# Result shares 259,489 / 83,513 / 34,763 votes ([D32]). Pair 1's incumbency is RECALLED, not in the sources of docs/ODD.md §10.2.",
        "officials": {"babinsa_per_village": (0.90, "Kodam VI 2023: Kaltim 933 Babinsa for 1,038 villages ([D3])"),
                      "travel_kmh": (20.0, "assumed slower: 26,912 km2 with river travel")},
        "backup": (0.3, "assumed low: simultaneous Pilkada 2024"),
        "tokoh": (4, "assumed: religious, adat and youth leaders named as the ones who calm people"),
    },
    "kalsel_pilkada2020": {
        "code": "63",
        "title": "Provinsi Kalimantan Selatan, Pilkada 2020",
        "description": (
            "Provinsi Kalimantan Selatan, Pilkada serentak 9 December 2020 (gubernur and kabupaten/kota races).\n"
            "Prevention first: \"once conflict happens it is hard to stop\"; recovery matters; some kabupaten lag because\n"
            "reports from vertical agencies are hard to get (seed situations, docs/ODD.md [D30]). About 4.3 million villagers:\n"
            "a heavy scenario (about 2.1 GB of memory and 2.5 minutes per run on a 2-core machine)."
        ),
        "seed": 20201209,
        "election": "Pilkada",
        "calendar": ELECTIONS["pilkada2020"].calendar,
        "calendar_note": ELECTIONS["pilkada2020"].note,
        "voter_share": (0.707, "derived: 3,045,941 provisional voters (Pilkada 2024 DPS) / 4,305,281 people ([D31], [D32])"),
        "candidates": [
            {"name": "Paslon 1", "incumbent": True, "expected_share": 0.502},
            {"name": "Paslon 2", "incumbent": False, "expected_share": 0.498},
        ],
        "candidates_note": "# Gubernur race: two pairs, a near tie that went to the MK (RECALLED, not in the sources of docs/ODD.md §10.2; shares assumed 50.2/49.8).",
        "officials": {"babinsa_per_village": (0.78, "Kodam VI 2023: Kalsel 1,561 Babinsa for 2,008 villages ([D3])"),
                      "report_delay_days": (4, "assumed slower: reports from vertical agencies hard to get (seed situation [D30])"),
                      "camat_noise": (0.2, "assumed noisier for the same reason"),
                      "backup_mode": ("pooled", "the whole province is modelled, so backup comes from its own finite pools: each "
                                      "kabupaten's Polres teams, then the Polda's Brimob shared by all (docs/ODD.md §7.13a); "
                                      "backup_availability is then unused, kept for the exogenous mode")},
        "backup": (0.4, "assumed: 270 regions voted in 2020, fewer than in 2024 (exogenous mode only)"),
    },
}


def region_toml(key: str, r: dict, base: dict) -> str:
    """The scenario file of one seed region: geography from `geography`, the rest from REGIONS."""
    import geography

    region = gather(r["code"])
    top = geography.unit(r["code"])
    pops = rule_populations(sorted(set(region.villages["kode"].str[:5])))
    pops = {c: pops[c] for c in region.villages["kode"]}
    total = sum(pops.values())
    n_kab = len(set(region.villages["kode"].str[:5]))
    area = float(top["luas_km2"]) if top["luas_km2"] == top["luas_km2"] and top["luas_km2"] else 1000.0
    header = [f"name = {toml_str(top['nama'])}", f"province = {toml_str(geography.unit(r['code'][:2])['nama'])}",
              f"kabupaten = {toml_str(top['nama'] if top['tingkat'] != 'provinsi' else f'{n_kab} kabupaten/kota')}",
              f"kabupaten_code = {toml_str(top['kode'])}", f"area_km2 = {area}  # official area (BIG) via cahyadsn/wilayah ([D31], [D37])"]
    summary = comment(f"{len(region.seats)} kecamatan, {len(pops)} desa/kelurahan, {total:,} people: {RULE_TEXT}.")
    L = [f"# SIAGA library scenario: {r['title']}.", "# Written by `python -m scenarios.build_library`; edit the generator, not this file.", "#",
         "# Every number is SOURCED (a tag of docs/ODD.md §10.2, where the sources are listed), derived, RECALLED (from memory of",
         "# public records, not confirmed in the project's sources) or assumed. Behavioural parameters are the default",
         "# scenario's (extends).", LICENCE, "", f"extends = {toml_str(DEFAULT_SCENARIO)}", f"name = {toml_str(r['title'])}",
         f'description = """\n{r["description"]}\n"""', f"seed = {r['seed']}", ""]
    L += region_lines(region, header, pops, summary)
    share, why = r["voter_share"]
    L += ["[population]", f"voter_share = {share}  # {why}", "",
          "# Identity groups are not used by any mechanism yet (docs/ODD.md); no census breakdown in the sources.",
          "[[population.identity_groups]]", 'name = "semua"', "share = 1.0", ""]
    cal = r["calendar"]
    if cal is not None:
        L += [r["calendar_note"], "[calendar]", f"election = {toml_str(r['election'])}", f"start = {cal['start']}", f"end = {cal['end']}",
              f"voting_day = {cal['voting_day']}", f"result_day = {cal['result_day']}", ""]
        L += stages_toml(cal, base, r.get("stage_overrides", {}))
    else:
        L += ["# Calendar: the default scenario's Pilkada 2024 tahapan (PKPU 2/2024 [D10]), inherited.", ""]
    L.append(r["candidates_note"])
    for c in r["candidates"]:
        L.append("[[candidates]]")
        for k, v in c.items():
            L.append(f"{k} = {fmt(v)}")
        L.append("")
    L.append("[officials]")
    val, why = r["backup"]
    L.append(f"backup_availability = {val}  # {why}")
    for k, (v, why) in r.get("officials", {}).items():
        L.append(f"{k} = {fmt(v)}  # {why}")
    if "tokoh" in r:
        L.append(f"tokoh_per_village = {r['tokoh'][0]}  # {r['tokoh'][1]}")
    L.append("")
    return "\n".join(L)


DEFAULT_BEGIN = "# >>> villages: written by `python -m scenarios.build_library` from the national geography [D37]"
DEFAULT_END = "# <<< villages"
DEFAULT_CODE = "17.08.04"


def default_villages(text: str) -> str:
    """The default scenario's text with its kecamatan block (between DEFAULT_BEGIN and DEFAULT_END)
    rewritten from the geography, keeping the populations the file gives (derived from [D6])."""
    m = re.search(rf"^{re.escape(DEFAULT_BEGIN)}.*?\n(.*?)^{re.escape(DEFAULT_END)}.*?$", text, flags=re.S | re.M)
    if m is None:
        raise SystemExit(f"{DEFAULT_SCENARIO}.toml: the lines {DEFAULT_BEGIN!r} and {DEFAULT_END!r} around its villages are missing")
    given = {v["code"]: v for k in tomllib.loads(text)["region"]["kecamatan"] for v in k["villages"]}
    region = gather(DEFAULT_CODE)
    codes = list(region.villages["kode"])
    if sorted(given) != codes:
        raise SystemExit(f"{DEFAULT_SCENARIO}.toml: its villages differ from the geography's for {DEFAULT_CODE}")
    seat, why = region.seats[DEFAULT_CODE]
    L = [DEFAULT_BEGIN, "# Names, codes, kinds, lat/lng (polygon centroids), area_km2 (polygon areas) and neighbours (borders within",
         "# 30 m) SOURCED [D37]; populations as given by hand. No `polres_seat`: the Polres of Kab. Kepahiang is in this",
         "# kecamatan, whose seat it would be (the default when it is not given), and a file extending this one with its",
         "# own villages must not inherit a seat that is not among them.",
         "[[region.kecamatan]]", f"code = {toml_str(DEFAULT_CODE)}", f"name = {toml_str(region.kecamatan_names[DEFAULT_CODE])}",
         f"seat = {toml_str(seat)}  # assumed: {why}", ""]
    for v in region.villages.itertuples(index=False):
        g = given[v.kode]
        L += ["[[region.kecamatan.villages]]", f"code = {toml_str(v.kode)}", f"name = {toml_str(v.nama)}", f"kind = {toml_str(v.tingkat)}",
              f"population = {g['population']}  # assumed: 51,000 (derived, [D6]) split with kelurahan weighted 1.5x",
              f"lat = {round(float(v.lat), 6)!r}", f"lng = {round(float(v.lng), 6)!r}", f"area_km2 = {fmt_area(v.area_km2)}",
              f"neighbours = {fmt(region.neighbours[v.kode])}", ""]
    L.append(DEFAULT_END)
    return text[: m.start()] + "\n".join(L) + text[m.end():]


def write_text(path: Path, text: str) -> None:
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def variant_toml(base_name: str, title: str, policy: str) -> str:
    return (f"# {title}: intervention variant \"{policy}\" ({VARIANTS[policy]}).\n"
            "# Written by `python -m scenarios.build_library`. Compare variants on the same seeds with\n"
            "# `siaga experiment run` (see experiments/examples/).\n"
            f'extends = "{base_name}"\nname = "{title} — {policy}"\n\n[policy]\npresets = ["{policy}"]\n')


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=library_dir(), help="folder to write the TOML files to (default: the library)")
    args = ap.parse_args(argv)
    default = library_dir() / f"{DEFAULT_SCENARIO}.toml"
    write_text(args.out / default.name, default_villages(default.read_text(encoding="utf-8")))
    base = load_dict(DEFAULT_SCENARIO)
    titles = {DEFAULT_SCENARIO: base["name"]}
    for key, r in REGIONS.items():
        write_text(args.out / f"{key}.toml", region_toml(key, r, base))
        titles[key] = r["title"]
    for key, title in titles.items():
        for policy in VARIANTS:
            write_text(args.out / f"{key}_{policy}.toml", variant_toml(key, title, policy))
    print(f"wrote {len(REGIONS)} regions, the default's villages and {len(titles) * len(VARIANTS)} variants to {args.out}")


if __name__ == "__main__":
    main()
