"""`siaga scenarios new CODE`: a valid scenario of any region of Indonesia on its real map, with
populations by rule or from a CSV, hotspots from risk scores, and refusals a user can act on."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

import geography
from scenarios import ScenarioError, load_scenario
from scenarios.elections import ELECTIONS, election
from scenarios.new import build, write
from scenarios.populations import KELURAHAN_WEIGHT, rule_populations, split_population
from scenarios.risk import HIGH, LOW, MAX_SHARE, choose_hotspots, hotspot_count, hotspot_share, read_risk
from scenarios.seats import PROVINCE_CAPITALS
from siaga.cli import main

KEPAHIANG = "17.08.04"  # 16 desa + 7 kelurahan
SAMPANG = "35.27"  # 186 villages, 14 kecamatan
ISLANDS = "31.01.02"  # Kepulauan Seribu Selatan: three island kelurahan


def new(tmp_path: Path, code: str, name: str = "s.toml", **kw) -> tuple[Path, dict]:
    path = write(build(code, **kw), tmp_path / name)
    return path, tomllib.loads(path.read_text(encoding="utf-8"))


def villages(raw: dict) -> list[dict]:
    return [v for k in raw["region"]["kecamatan"] for v in k["villages"]]


def test_a_kecamatan_loads_validates_and_keeps_codes_as_strings(tmp_path):
    path, raw = new(tmp_path, "11.10.01")  # in Kabupaten Aceh Singkil, 11.10 (11.1 as a number)
    scn = load_scenario(path)
    assert raw["region"]["kabupaten_code"] == "11.10" and scn.region.kabupaten_code == "11.10"
    assert [k.code for k in scn.region.kecamatan] == ["11.10.01"]
    vs = villages(raw)
    assert [v["code"] for v in vs] == list(geography.villages_in("11.10.01")["kode"])
    assert all(isinstance(v["code"], str) and all(isinstance(n, str) for n in v.get("neighbours", [])) for v in vs)
    assert all(isinstance(v["lat"], float) and isinstance(v["lng"], float) and v["area_km2"] > 0 for v in vs)
    assert raw["extends"] == "kepahiang_pilkada2024"
    text = path.read_text(encoding="utf-8")
    assert "SOURCED" in text and "ASSUMED" in text and "[D37]" in text and "Cahya DSN" in text


def test_every_village_kind_seat_and_position_comes_from_the_geography(tmp_path):
    path, raw = new(tmp_path, KEPAHIANG)
    vs = villages(raw)
    table = geography.villages_in(KEPAHIANG).set_index("kode")
    pos = geography.village_positions(KEPAHIANG).set_index("kode")
    for v in vs:
        assert v["name"] == table.loc[v["code"], "nama"] and v["kind"] == table.loc[v["code"], "tingkat"]
        assert v["lat"] == pytest.approx(pos.loc[v["code"], "lat"], abs=1e-6)
        assert v["area_km2"] == pytest.approx(table.loc[v["code"], "area_km2"], abs=1e-3)
    kec = raw["region"]["kecamatan"][0]
    assert {v["code"]: v["kind"] for v in vs}[kec["seat"]] == "kelurahan"  # the seat is a kelurahan where there is one
    assert raw["region"]["polres_seat"] == kec["seat"]  # Kepahiang is the kabupaten's capital kecamatan
    assert sum(v["kind"] == "kelurahan" for v in vs) == 7 and len(vs) == 23


def test_neighbours_are_symmetric_inside_the_region_and_an_island_gets_an_empty_list(tmp_path):
    _, raw = new(tmp_path, SAMPANG)
    vs = {v["code"]: v for v in villages(raw)}
    for code, v in vs.items():
        for n in v["neighbours"]:
            assert n in vs and code in vs[n]["neighbours"] and n != code
    pairs = geography.neighbours(SAMPANG)
    assert sum(len(v["neighbours"]) for v in vs.values()) == 2 * len(pairs)
    _, raw = new(tmp_path, ISLANDS, "islands.toml")
    isl = villages(raw)
    assert isl and all(v["neighbours"] == [] for v in isl)
    path, raw = new(tmp_path, "35.27.01", "part.toml")  # neighbours in other kecamatan are left out
    inside = {v["code"] for v in villages(raw)}
    assert all(set(v["neighbours"]) <= inside for v in villages(raw))


def test_villages_without_a_polygon_sit_at_their_kecamatan_without_a_neighbour_list(tmp_path):
    path, raw = new(tmp_path, "92.03.01")  # Fak-Fak: no village polygons
    vs = villages(raw)
    kec = geography.unit("92.03.01")
    assert all("neighbours" not in v and "area_km2" not in v for v in vs)
    assert all(v["lat"] == pytest.approx(kec["lat"]) for v in vs)
    assert "no polygon: at the kecamatan's centroid" in path.read_text(encoding="utf-8")
    load_scenario(path)


def test_populations_follow_the_rule_and_sum_to_the_kab_kota_share(tmp_path):
    _, raw = new(tmp_path, "21.72")  # Kota Tanjung Pinang: the whole kota
    total = int(geography.unit("21.72")["penduduk_2024"])
    assert sum(v["population"] for v in villages(raw)) == total
    _, raw = new(tmp_path, KEPAHIANG, "kec.toml")  # part of Kabupaten Kepahiang: its villages' share
    rule = rule_populations(["17.08"])
    vs = villages(raw)
    assert sum(rule.values()) == int(geography.unit("17.08")["penduduk_2024"])
    assert {v["code"]: v["population"] for v in vs} == {c: rule[c] for c in (v["code"] for v in vs)}
    kel = {v["population"] for v in vs if v["kind"] == "kelurahan"}
    desa = {v["population"] for v in vs if v["kind"] == "desa"}
    assert max(kel) / max(desa) == pytest.approx(KELURAHAN_WEIGHT, rel=0.01)
    assert split_population(10, ["desa", "kelurahan", "desa"]) == [3, 4, 3]


def test_populations_csv_overrides_the_listed_villages_only(tmp_path):
    csv = tmp_path / "desa.csv"
    csv.write_bytes(b"\xef\xbb\xbfkode;penduduk;nama\n17.08.04.2001;4321;Kelilik\n# a comment\n\n17.08.04.1003;99;Pensiunan\n")
    path, raw = new(tmp_path, KEPAHIANG, populations=csv)  # BOM and semicolons (Excel) accepted
    pops = {v["code"]: v["population"] for v in villages(raw)}
    rule = rule_populations(["17.08"])
    assert pops["17.08.04.2001"] == 4321 and pops["17.08.04.1003"] == 99
    assert all(pops[c] == rule[c] for c in pops if c not in ("17.08.04.2001", "17.08.04.1003"))
    text = path.read_text(encoding="utf-8")
    assert "2 villages from --populations desa.csv" in text and "the other 21 keep the rule's value" in text
    assert "population: desa.csv line 2" in text


def _csv_error(tmp_path: Path, content: str, code: str = KEPAHIANG, name: str = "desa.csv") -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        build(code, populations=path)
    msg = str(err.value)
    assert str(path) in msg
    return msg


def test_populations_csv_problems_are_named_by_line(tmp_path):
    msg = _csv_error(tmp_path, (
        "kode,penduduk\n"
        "17.08.04.2001,1200\n"      # 2 fine
        "17.08.04.9999,100\n"       # 3 unknown code
        "35.27.03.2001,100\n"       # 4 outside the region
        "17.08.04.2002,12.5\n"      # 5 not whole
        "17.08.04.2006,-3\n"        # 6 negative
        "17.08.04.2001,1300\n"      # 7 duplicate of line 2
        "1708042007,10\n"           # 8 digits without dots
        "1.70804E+12,10\n"          # 9 scientific notation
        "17.08.04,500\n"            # 10 a kecamatan, not a village
        "17.08.04.2008,0\n"         # 11 zero
        "17.08.04.2009,1.234\n"     # 12 thousands separator
    ))
    assert "problems" in msg
    assert "line 3: unknown code '17.08.04.9999'" in msg
    assert "line 4: 35.27.03.2001" in msg and "outside the region 17.08.04 Kepahiang" in msg
    assert "line 5: 17.08.04.2002: penduduk '12.5' is not a whole number" in msg
    assert "line 6: 17.08.04.2006: penduduk -3 is negative" in msg
    assert "line 7: 17.08.04.2001 is given again (first on line 2)" in msg
    assert "line 8: '1708042007': codes are written with dots; did you mean 17.08.04.2007?" in msg
    assert "line 9:" in msg and "scientific notation" in msg and "format the column as Text" in msg
    assert "line 10: 17.08.04 is kecamatan Kepahiang, not a desa/kelurahan" in msg
    assert "line 11:" in msg and "at least 1 resident" in msg
    assert "line 12:" in msg and "without thousands separators" in msg


def test_populations_csv_file_level_problems(tmp_path):
    msg = _csv_error(tmp_path, "17.08.04.2001,1200\n")
    assert "line 1: missing header column kode, penduduk" in msg and "add the header line first" in msg
    msg = _csv_error(tmp_path, "kode,jumlah\n17.08.04.2001,1200\n")
    assert "missing header column penduduk" in msg
    msg = _csv_error(tmp_path, "kode,penduduk\n")
    assert "no data rows" in msg
    msg = _csv_error(tmp_path, "kode,penduduk\n17.08.04.2001,1,200\n")
    assert "line 2: 3 columns, but the header has 2" in msg and "thousands separators" in msg
    path = tmp_path / "utf16.csv"
    path.write_bytes("kode,penduduk\n".encode("utf-16"))
    with pytest.raises(ScenarioError, match="UTF-16"):
        build(KEPAHIANG, populations=path)
    path.write_bytes(b"kode,penduduk\n17.08.04.2001,12\nK\xe9lilik,1\n")
    with pytest.raises(ScenarioError, match=r"line 3: not UTF-8 text"):
        build(KEPAHIANG, populations=path)
    with pytest.raises(ScenarioError, match="no such file"):
        build(KEPAHIANG, populations=tmp_path / "missing.csv")
    msg = _csv_error(tmp_path, "kode,penduduk\n11.1,5\n", code="11.10.01")
    assert "did you mean 11.10" in msg


def test_the_risk_mapping_is_monotone_and_bounded():
    scores = [0, 10, LOW, 30, 45.5, 60, HIGH, 80, 100]
    shares = [hotspot_share(s) for s in scores]
    assert shares == sorted(shares) and shares[0] == shares[2] == 0.0 and shares[-3] == shares[-1] == MAX_SHARE
    assert hotspot_share((LOW + HIGH) / 2) == pytest.approx(MAX_SHARE / 2)
    counts = [hotspot_count(s, 186) for s in range(101)]
    assert counts == sorted(counts) and counts[-1] == round(MAX_SHARE * 186)


def test_risk_hotspots_are_deterministic_for_a_seed_and_grow_with_the_score(tmp_path):
    members = list(geography.villages_in(SAMPANG)["kode"])

    def hot(score: float, seed: int) -> set[str]:
        f = tmp_path / f"ikp_{score}_{seed}.csv"
        f.write_text(f"kode,skor\n{SAMPANG},{score}\n", encoding="utf-8")
        return choose_hotspots(read_risk(f), members, seed)[0]

    assert hot(50, 1) == hot(50, 1)
    assert hot(50, 1) != hot(50, 2)
    low, mid, high = hot(20, 3), hot(35, 3), hot(90, 3)
    assert low <= mid <= high and len(low) < len(mid) < len(high) == round(MAX_SHARE * len(members))
    assert hot(LOW - 1, 3) == set()
    # a kecamatan of Sampang gets the same marks as in the scenario of all Sampang
    f = tmp_path / "ikp.csv"
    f.write_text(f"kode,skor\n{SAMPANG},50\n", encoding="utf-8")
    part = [m for m in members if m.startswith("35.27.01.")]
    assert choose_hotspots(read_risk(f), part, 3)[0] == hot(50, 3) & set(part)


def test_risk_file_sets_hotspots_and_records_the_mapping(tmp_path):
    f = tmp_path / "ikp.csv"
    f.write_text("kode,ikp,sosial_politik,penyelenggaraan,kontestasi,partisipasi\n35.27,74.2,80,60.5,90,\n"
                 "35.27.03,10,,,,\n11.10,99\n", encoding="utf-8")
    path, raw = new(tmp_path, SAMPANG, risk=f, seed=11)
    vs = villages(raw)
    hot = {v["code"] for v in vs if v.get("hotspot")}
    assert not any(c.startswith("35.27.03.") for c in hot)  # the kecamatan's low score wins over the kabupaten's
    assert len(hot) == hotspot_count(74.2, 186 - 18)
    text = path.read_text(encoding="utf-8")
    assert "clip((score - 13.47) / (49.33 - 13.47), 0, 1)" in text and "seed 11" in text and "kontestasi 90" in text
    assert "1 row of units outside the region skipped" in text
    assert {v["code"] for v in villages(new(tmp_path, SAMPANG, "again.toml", risk=f, seed=11)[1]) if v.get("hotspot")} == hot


def test_risk_file_problems(tmp_path):
    f = tmp_path / "ikp.csv"
    f.write_text("kode,skor,kontestasi\n35.27,120,\n35.27.03.2001,50,\n35,50,\n35.27.01,40,abc\n35.27.01,40,\n99.99,4,\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        read_risk(f)
    msg = str(err.value)
    assert "line 2: 35.27: skor 120 is out of range: allowed 0 to 100" in msg
    assert "line 3: 35.27.03.2001 is desa" in msg and "give kab/kota or kecamatan codes" in msg
    assert "line 4: 35 is provinsi" in msg
    assert "line 5: 35.27.01: kontestasi 'abc' is not a number" in msg
    assert "line 6: 35.27.01 is given again (first on line 5)" in msg
    assert "line 7:" in msg and "99.99" in msg
    f.write_text("kode,skor\n11.10,50\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="none of its 1 rows is a kab/kota or kecamatan of the region"):
        build(KEPAHIANG, risk=f)


def test_elections_and_candidates(tmp_path):
    for key, e in ELECTIONS.items():
        path, raw = new(tmp_path, KEPAHIANG, f"{key}.toml", election=key)
        scn = load_scenario(path)
        assert scn.calendar.voting_day == e.voting_day and scn.seed == e.seed
        assert [s.name for s in scn.calendar.stages][4] == "voting" and scn.calendar.stages[4].start == e.voting_day
    assert load_scenario(new(tmp_path, KEPAHIANG, "p24.toml")[0]).calendar.model_dump() == load_scenario("kepahiang_pilkada2024").calendar.model_dump()
    path, raw = new(tmp_path, KEPAHIANG, "2029.toml", election="2029-11-28", candidates=3)
    scn = load_scenario(path)
    shift = dt.date(2029, 11, 28) - dt.date(2024, 11, 27)
    base = load_scenario("kepahiang_pilkada2024").calendar
    assert scn.calendar.voting_day == dt.date(2029, 11, 28) and scn.calendar.start == base.start + shift
    assert [(s.start - b.start, s.end - b.end) for s, b in zip(scn.calendar.stages, base.stages)] == [(shift, shift)] * 9
    assert "ASSUMED: the Pilkada 2024" in path.read_text(encoding="utf-8")
    assert len(scn.candidates) == 3 and sum(c.expected_share for c in scn.candidates) == pytest.approx(1.0)
    assert not any(c.incumbent for c in scn.candidates)
    for bad in ("pilkada2019", "2024-02-30", "tomorrow"):
        with pytest.raises(ScenarioError, match="--election"):
            election(bad)
    with pytest.raises(ScenarioError, match="--candidates 13: give 1 to 12"):
        build(KEPAHIANG, candidates=13)


def test_province_capitals_are_kab_kota_of_their_province():
    provinces = geography.units().query("tingkat == 'provinsi'")["kode"].tolist()
    assert sorted(PROVINCE_CAPITALS) == sorted(provinces)
    for prov, (kab, kec, _town) in PROVINCE_CAPITALS.items():
        u = geography.unit(kab)
        assert u["kode_induk"] == prov and u["tingkat"] in ("kabupaten", "kota")
        if kec is not None:
            assert geography.unit(kec)["kode_induk"] == kab


def test_a_region_outside_the_capital_gets_its_seat_nearest_the_polres(tmp_path):
    path, raw = new(tmp_path, "35.27.01")  # Sreseh; the capital is Kecamatan Sampang (35.27.03)
    assert raw["region"]["polres_seat"] in {v["code"] for v in villages(raw)}
    assert "outside this region" in path.read_text(encoding="utf-8")


def test_unknown_code_out_refusal_and_too_large(tmp_path, capsys, monkeypatch):
    assert main(["scenarios", "new", "11.1", "--out", str(tmp_path / "x.toml")]) == 2
    assert "did you mean 11.10 Kabupaten Aceh Singkil" in capsys.readouterr().err
    assert main(["scenarios", "new", "sampang", "--out", str(tmp_path / "x.toml")]) == 2
    assert "35.27 Kabupaten Sampang" in capsys.readouterr().err
    out = tmp_path / "kec.toml"
    out.write_text("keep me", encoding="utf-8")
    assert main(["scenarios", "new", KEPAHIANG, "--out", str(out)]) == 2
    assert "the file exists" in capsys.readouterr().err and out.read_text(encoding="utf-8") == "keep me"
    assert main(["scenarios", "new", KEPAHIANG, "--out", str(out), "--force"]) == 0
    assert load_scenario(out).region.kecamatan[0].code == KEPAHIANG
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", "400MB")
    started = time.perf_counter()
    assert main(["scenarios", "new", SAMPANG, "--out", str(tmp_path / "big.toml")]) == 2
    err = capsys.readouterr().err
    assert "1,033,926 villagers in 186 villages would need about" in err and "SIAGA_MEMORY_LIMIT" in err
    assert "one of its kab/kota or kecamatan" in err and not (tmp_path / "big.toml").exists()
    assert time.perf_counter() - started < 30


def test_command_line_end_to_end(tmp_path):
    res = subprocess.run([sys.executable, "-m", "siaga.cli", "scenarios", "new", KEPAHIANG, "--election", "pemilu2024",
                          "--candidates", "3", "--name", "Kepahiang, uji", "--seed", "5"],
                         capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    path = tmp_path / "kecamatan_kepahiang_pemilu2024.toml"
    assert f"Wrote {path.name}" in res.stdout and "23 villages" in res.stdout
    scn = load_scenario(path)
    assert scn.name == "Kepahiang, uji" and scn.seed == 5 and len(scn.candidates) == 3
    assert scn.calendar.election == "Pemilu"
    head = path.read_text(encoding="utf-8").splitlines()[1]
    assert "siaga scenarios new 17.08.04 --election pemilu2024 --candidates 3 --name 'Kepahiang, uji' --seed 5" in head
    res = subprocess.run([sys.executable, "-m", "siaga.cli", "scenarios", "validate", str(path)], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0 and "23" not in res.stderr
    res = subprocess.run([sys.executable, "-m", "siaga.cli", "scenarios", "new", "--help"], capture_output=True, text=True, timeout=60)
    assert "--populations CSV" in res.stdout and "--risk CSV" in res.stdout and "YYYY-MM-DD" in res.stdout


def test_library_regions_are_on_their_real_map():
    for name in ("kepahiang_pilkada2024", "tanjabtim_pemilu2024"):
        scn = load_scenario(name)
        vs = [v for k in scn.region.kecamatan for v in k.villages]
        codes = {v.code for v in vs}
        assert all(v.lat is not None and v.lng is not None and v.neighbours is not None for v in vs)
        assert all(set(v.neighbours) <= codes for v in vs)
        assert all(k.seat in {v.code for v in k.villages} for k in scn.region.kecamatan)
    assert load_scenario("kepahiang_pilkada2024").region.polres_seat is None  # inherited by files with other villages
    assert load_scenario("kukar_pilkada2024").region.polres_seat.startswith("64.02.06.")  # Tenggarong


@pytest.mark.slow
def test_a_province(tmp_path):
    started = time.perf_counter()
    path, raw = new(tmp_path, "63")
    took = time.perf_counter() - started
    vs = villages(raw)
    assert len(vs) == 2016 and len(raw["region"]["kecamatan"]) == 156
    assert sum(v["population"] for v in vs) == int(geography.unit("63")["penduduk_2024"])
    assert sum("neighbours" not in v for v in vs) == 8  # the 8 new villages of Tanah Bumbu without a polygon
    assert raw["region"]["polres_seat"].startswith("63.72.")  # Banjarbaru
    load_scenario(path)
    assert took < 60
