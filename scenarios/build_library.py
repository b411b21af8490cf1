"""Maintainers' tool: write the seed-region scenarios and the intervention variants of the library.

    python -m scenarios.build_library   # reads scenarios/data/wilayah_seed_regions.csv (MIT, see its README)

Reads the official region codes and names (cahyadsn/wilayah, Kepmendagri 2025; MIT licence) and
writes one TOML file per seed region, plus `<region>_<policy>.toml` variants that extend it. The
files it writes are committed: SIAGA itself never reads the CSV. Numbers in the REGIONS table carry
their source (a tag of docs/ODD.md §10.2) or are marked derived, assumed or recalled.

The CSV is an extract of cahyadsn/wilayah (`db/wilayah.sql`, `db/wilayah_penduduk.sql`,
`db/wilayah_luas.sql`; docs/ODD.md [D31]) for the five seed regions (codes 17.08, 33.07, 15.07,
64.02 and 63), one row per province, kabupaten/kota, kecamatan, desa and kelurahan, with the columns
kode (official code), nama, tingkat (provinsi, kabupaten, kota, kecamatan, desa, kelurahan),
kode_induk (parent code), penduduk_2024 (Dukcapil Dec 2024 population, kabupaten and province rows
only) and luas_km2 (area in km², where given).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
from collections import defaultdict
from pathlib import Path

from scenarios.loader import library_dir, load_dict

LICENCE = "# Village names and codes: Kepmendagri No 300.2.2-2138/2025 via cahyadsn/wilayah (MIT licence,\n# Copyright (c) 2017-2025 Cahya DSN)."

PROVINCES = {"15": "Jambi", "17": "Bengkulu", "33": "Jawa Tengah", "63": "Kalimantan Selatan", "64": "Kalimantan Timur"}

VARIANTS = {
    "none": "reactive policing only (the base scenario's own policy)",
    "kades_early": "Kades mediate with tokoh at WASPADA, after 1 day",
    "police_early": "Bhabinkamtibmas reports trigger Polsek patrols at WASPADA",
    "joint": "early Kades + early police + Camat coordination (rakor / Tim Terpadu) + counter-hoax",
    "late": "everyone acts only at AWAS, days later",
}


def pilkada_calendar(voting: dt.date, campaign: tuple[dt.date, dt.date], candidacy: dt.date, result: dt.date,
                     start: dt.date, end: dt.date, disputes_end: dt.date, labels: dict[str, str]) -> dict:
    """Stage dates around one voting day; stage multipliers are the default scenario's."""
    days = dt.timedelta(days=1)
    spans = {
        "voter_data": (start, candidacy - days),
        "candidacy": (candidacy, campaign[0] - days),
        "campaign": campaign,
        "quiet_period": (campaign[1] + days, voting - days),
        "voting": (voting, voting),
        "counting": (voting + days, result - days),
        "determination": (result, result + 13 * days),
        "disputes": (result + 14 * days, disputes_end),
        "aftermath": (disputes_end + days, end),
    }
    return {"start": start, "end": end, "voting_day": voting, "result_day": result, "spans": spans, "labels": labels}


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
        "calendar": pilkada_calendar(
            voting=dt.date(2015, 12, 9), campaign=(dt.date(2015, 8, 27), dt.date(2015, 12, 5)), candidacy=dt.date(2015, 8, 24),
            result=dt.date(2015, 12, 18), start=dt.date(2015, 8, 1), end=dt.date(2016, 2, 29), disputes_end=dt.date(2016, 2, 24),
            labels={},
        ),
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
        "calendar": pilkada_calendar(
            voting=dt.date(2024, 2, 14), campaign=(dt.date(2023, 11, 28), dt.date(2024, 2, 10)), candidacy=dt.date(2023, 11, 13),
            result=dt.date(2024, 2, 22), start=dt.date(2023, 11, 1), end=dt.date(2024, 4, 30), disputes_end=dt.date(2024, 4, 22),
            labels={"candidacy": "Penetapan paslon / DCT", "determination": "Penetapan hasil nasional", "disputes": "Sengketa PHPU di MK"},
        ),
        "calendar_note": (
            "# Pemilu 2024 (PKPU 3/2022 [D33]): campaign 28 Nov 2023 - 10 Feb 2024, masa tenang 11-13 Feb, voting 14 Feb,\n"
            "# recap 15 Feb - 20 Mar 2024. result_day 22 Feb is assumed: the kabupaten-level result known 8 days after voting,\n"
            "# as in the default scenario (the national determination was 20 Mar). Penetapan paslon 13 Nov 2023 and the MK\n"
            "# ruling 22 Apr 2024 are RECALLED, not in the sources of docs/ODD.md §10.2."
        ),
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
        "calendar": pilkada_calendar(
            voting=dt.date(2020, 12, 9), campaign=(dt.date(2020, 9, 26), dt.date(2020, 12, 5)), candidacy=dt.date(2020, 9, 23),
            result=dt.date(2020, 12, 18), start=dt.date(2020, 9, 1), end=dt.date(2021, 3, 31), disputes_end=dt.date(2021, 3, 24),
            labels={},
        ),
        "calendar_note": "# Voting day 9 Dec 2020 ([D19]). Other dates RECALLED from PKPU 5/2020 as amended (campaign 26 Sep - 5 Dec,\n# masa tenang 6-8 Dec; recap and MK window approximate), not in the sources of docs/ODD.md §10.2.",
        "voter_share": (0.707, "derived: 3,045,941 provisional voters (Pilkada 2024 DPS) / 4,305,281 people ([D31], [D32])"),
        "candidates": [
            {"name": "Paslon 1", "incumbent": True, "expected_share": 0.502},
            {"name": "Paslon 2", "incumbent": False, "expected_share": 0.498},
        ],
        "candidates_note": "# Gubernur race: two pairs, a near tie that went to the MK (RECALLED, not in the sources of docs/ODD.md §10.2; shares assumed 50.2/49.8).",
        "officials": {"babinsa_per_village": (0.78, "Kodam VI 2023: Kalsel 1,561 Babinsa for 2,008 villages ([D3])"),
                      "report_delay_days": (4, "assumed slower: reports from vertical agencies hard to get (seed situation [D30])"),
                      "camat_noise": (0.2, "assumed noisier for the same reason")},
        "backup": (0.4, "assumed: 270 regions voted in 2020, fewer than in 2024"),
    },
}


def read_wilayah(path: Path) -> tuple[dict[str, dict], dict[str, list[dict]]]:
    units, children = {}, defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            units[row["kode"]] = row
            if row["kode_induk"]:
                children[row["kode_induk"]].append(row)
    return units, children


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def villages_of(code: str, units: dict, children: dict) -> list[tuple[dict, list[dict], dict]]:
    """(kecamatan, villages, kabupaten) for every kecamatan under `code`."""
    out = []
    kabs = [units[code]] if units[code]["tingkat"] in ("kabupaten", "kota") else [u for u in children[code] if u["tingkat"] in ("kabupaten", "kota")]
    for kab in kabs:
        for kec in children[kab["kode"]]:
            vills = [v for v in children[kec["kode"]] if v["tingkat"] in ("desa", "kelurahan")]
            if vills:
                out.append((kec, vills, kab))
    return out


def split_population(total: int, vills: list[dict]) -> list[int]:
    """Split a kabupaten's people over its villages, kelurahan weighted 1.5x (assumed)."""
    w = [1.5 if v["tingkat"] == "kelurahan" else 1.0 for v in vills]
    s = sum(w)
    pops = [int(round(total * x / s)) for x in w]
    pops[-1] += total - sum(pops)
    return pops


def stages_toml(cal: dict, base: dict, overrides: dict) -> list[str]:
    lines = []
    for stage in base["calendar"]["stages"]:
        start, end = cal["spans"][stage["name"]]
        lines.append("[[calendar.stages]]")
        changed = overrides.get(stage["name"], {})
        for key, value in stage.items():
            if key in changed:
                lines.append(f"{key} = {fmt(changed[key][0])}  # {changed[key][1]}")
                continue
            if key == "start":
                value = start
            elif key == "end":
                value = end
            elif key == "label":
                value = cal["labels"].get(stage["name"], value)
            lines.append(f"{key} = {fmt(value)}")
        lines.append("")
    return lines


def fmt(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value)


def region_toml(key: str, r: dict, units: dict, children: dict, base: dict) -> str:
    top = units[r["code"]]
    groups = villages_of(r["code"], units, children)
    n_vill = sum(len(v) for _, v, _ in groups)
    area = float(top["luas_km2"]) if top["luas_km2"] else 1000.0
    pops_by_kab = {}
    for kab in {g[2]["kode"] for g in groups}:
        vills = [v for kec, vs, k in groups if k["kode"] == kab for v in vs]
        pops_by_kab[kab] = dict(zip((v["kode"] for v in vills), split_population(int(units[kab]["penduduk_2024"]), vills)))
    total = sum(sum(p.values()) for p in pops_by_kab.values())
    L = [f"# SIAGA library scenario: {r['title']}.", "# Written by `python -m scenarios.build_library`; edit the generator, not this file.", "#",
         "# Every number is SOURCED (a tag of docs/ODD.md §10.2, where the sources are listed), derived, RECALLED (from memory of",
         "# public records, not confirmed in the project's sources) or assumed. Behavioural parameters are the default",
         "# scenario's (extends).", LICENCE, "", 'extends = "kepahiang_pilkada2024"', f"name = {toml_str(r['title'])}",
         f'description = """\n{r["description"]}\n"""', f"seed = {r['seed']}", "",
         "[region]", f"name = {toml_str(top['nama'])}", f"province = {toml_str(PROVINCES[top['kode'].split('.')[0]])}",
         f"kabupaten = {toml_str(top['nama'] if top['tingkat'] != 'provinsi' else '13 kabupaten/kota')}", f"kabupaten_code = {toml_str(top['kode'])}",
         f"area_km2 = {area}  # cahyadsn/wilayah ([D31])",
         "village_neighbours = 4  # assumed, as the default scenario; positions generated (assumed layout)",
         f"# {len(groups)} kecamatan, {n_vill} desa/kelurahan, {total:,} people: Dukcapil Dec 2024 population of each kabupaten/kota",
         "# ([D31]) split over its villages with kelurahan weighted 1.5x (assumed).", ""]
    for kec, vills, kab in groups:
        L += ["[[region.kecamatan]]", f"code = {toml_str(kec['kode'])}", f"name = {toml_str(kec['nama'])}", "villages = ["]
        for v in vills:
            L.append(f"  {{ code = {toml_str(v['kode'])}, name = {toml_str(v['nama'])}, kind = {toml_str(v['tingkat'])}, population = {pops_by_kab[kab['kode']][v['kode']]} }},")
        L += ["]", ""]
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


def variant_toml(base_name: str, title: str, policy: str) -> str:
    return (f"# {title}: intervention variant \"{policy}\" ({VARIANTS[policy]}).\n"
            "# Written by `python -m scenarios.build_library`. Compare variants on the same seeds with\n"
            "# `siaga experiment run` (see experiments/examples/).\n"
            f'extends = "{base_name}"\nname = "{title} — {policy}"\n\n[policy]\npresets = ["{policy}"]\n')


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--wilayah", type=Path, default=Path(__file__).with_name("data") / "wilayah_seed_regions.csv",
                    help="the CSV extract of cahyadsn/wilayah for the seed regions (columns: this module's docstring)")
    ap.add_argument("--out", type=Path, default=library_dir(), help="folder to write the TOML files to (default: the library)")
    args = ap.parse_args(argv)
    units, children = read_wilayah(args.wilayah)
    base = load_dict("kepahiang_pilkada2024")
    titles = {"kepahiang_pilkada2024": base["name"]}
    for key, r in REGIONS.items():
        (args.out / f"{key}.toml").write_text(region_toml(key, r, units, children, base), encoding="utf-8")
        titles[key] = r["title"]
    for key, title in titles.items():
        for policy in VARIANTS:
            (args.out / f"{key}_{policy}.toml").write_text(variant_toml(key, title, policy), encoding="utf-8")
    print(f"wrote {len(REGIONS)} regions and {len(titles) * len(VARIANTS)} variants to {args.out}")


if __name__ == "__main__":
    main()
