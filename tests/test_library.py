"""The scenario library: seed regions, their intervention variants, and error positions."""

from __future__ import annotations

import tomllib

import pytest

from scenarios import ScenarioError, library_names, load_scenario
from scenarios.build_library import REGIONS, VARIANTS
from scenarios.loader import key_lines, library_dir
from siaga.cli import main

# sizes from docs/ODD.md [D6], [D31] (Dukcapil Dec 2024 population; desa + kelurahan from Kepmendagri 2025 codes)
SIZES = {
    "kepahiang_pilkada2024": (23, 51_000),
    "wonosobo_pilkada2015": (265, 945_955),
    "tanjabtim_pemilu2024": (93, 244_905),
    "kukar_pilkada2024": (237, 806_964),
    "kalsel_pilkada2020": (2016, 4_305_281),
}


@pytest.mark.parametrize("name", sorted(SIZES))
def test_seed_region_has_its_official_size(name):
    scn = load_scenario(name)
    villages = [v for k in scn.region.kecamatan for v in k.villages]
    assert (len(villages), sum(v.population for v in villages)) == SIZES[name]
    assert len({v.code for v in villages}) == len(villages)  # codes unique


def test_every_library_file_is_a_valid_scenario():
    names = library_names()
    assert len(names) == len(SIZES) * (1 + len(VARIANTS))
    for name in names:
        load_scenario(name)


@pytest.mark.parametrize("region", sorted(SIZES))
@pytest.mark.parametrize("policy", sorted(VARIANTS))
def test_variant_changes_only_the_policy(region, policy):
    raw = tomllib.loads((library_dir() / f"{region}_{policy}.toml").read_text(encoding="utf-8"))
    assert raw["extends"] == region
    base, variant = load_scenario(region), load_scenario(f"{region}_{policy}")
    assert variant.policy.presets == [policy]
    assert variant.model_dump(exclude={"policy", "name"}) == base.model_dump(exclude={"policy", "name"})


def test_regions_carry_the_concerns_their_officials_named():
    tanjab = load_scenario("tanjabtim_pemilu2024")
    kepahiang = load_scenario("kepahiang_pilkada2024")
    assert tanjab.calendar.election == "Pemilu" and tanjab.calendar.voting_day.isoformat() == "2024-02-14"
    assert all(c.hoaxes_per_week > kepahiang.candidates[0].hoaxes_per_week for c in tanjab.candidates)  # black campaign
    quiet = {s.name: s for s in tanjab.calendar.stages}["quiet_period"]
    assert quiet.money_politics > {s.name: s for s in kepahiang.calendar.stages}["quiet_period"].money_politics  # serangan fajar
    assert load_scenario("wonosobo_pilkada2015").officials.asn_nonneutral > kepahiang.officials.asn_nonneutral  # ASN maps
    assert load_scenario("kalsel_pilkada2020").officials.report_delay_days > kepahiang.officials.report_delay_days  # slow reports
    kukar = load_scenario("kukar_pilkada2024")
    assert [round(c.expected_share, 3) for c in kukar.candidates] == [0.686, 0.221, 0.093]
    assert set(REGIONS) | {"kepahiang_pilkada2024"} == set(SIZES)


@pytest.mark.parametrize("name", ["tanjabtim_pemilu2024", "kukar_pilkada2024"])
def test_seed_region_runs(name):
    from simulation.model import SiagaModel

    model = SiagaModel(name, seed=1, days=3)
    model.run()
    assert model.people.n == SIZES[name][1]


def test_scenarios_list_groups_variants_under_their_base(capsys):
    assert main(["scenarios", "list"]) == 0
    out = capsys.readouterr().out
    for name in SIZES:
        assert name in out
    assert "variants: joint, kades_early, late, none, police_early" in out
    assert "kepahiang_pilkada2024_joint" not in out.split("variants")[0]


def test_validation_error_in_an_extended_file_points_at_its_line(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text('extends = "kepahiang_pilkada2024"\nname = "b"\n\n[dynamics.tension]\ndecay = 3.0\n')
    child = tmp_path / "child.toml"
    child.write_text('extends = "base.toml"\nname = "c"\n\n[[candidates]]\nname = "A"\nexpected_share = 0.5\n\n[[candidates]]\nname = "B"\nexpected_share = -1\n')
    with pytest.raises(ScenarioError) as err:
        load_scenario(child)
    msg = str(err.value)
    assert "`candidates.1.expected_share` (line 10)" in msg
    assert "`dynamics.tension.decay` (line 5 of base.toml)" in msg


def test_key_lines_follow_tables_arrays_and_dotted_keys():
    text = 'a = 1\n[b]\nc.d = 2\n"e.f" = 3\n[[g]]\nh = 4\n[[g]]\nh = 5\n[[g.i]]\nj = 6\nk = """\nx = 1\n"""\n'
    lines = key_lines(text)
    assert lines[("a",)] == 1 and lines[("b", "c", "d")] == 3 and lines[("b", "e.f")] == 4
    assert lines[("g", 0, "h")] == 6 and lines[("g", 1, "h")] == 8 and lines[("g", 1, "i", 0, "j")] == 10
    assert ("g", 1, "i", 0, "x") not in lines  # inside a multi-line string
