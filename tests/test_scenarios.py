"""Scenario files: every kind of mistake is a ScenarioError that names the file and the field,
`extends` variants work, and policy presets resolve (presets in order, then explicit values)."""

from __future__ import annotations

import datetime as dt

import pytest
from scenario_files import BASE, ONE_VILLAGE_REGION, error_of, write

from scenarios import ScenarioError, load_dict, load_scenario
from scenarios.loader import expand_dotted
from scenarios.schema import POLICY_PRESETS
from scenarios.synthetic import synthetic_scenario
from simulation.interventions import PRESETS, resolve_policy
from simulation.model import SiagaModel

# --------------------------------------------------------------------------- extends variants


def test_variant_extending_the_library_scenario_changes_one_key(tmp_path):
    path = write(tmp_path, "variant.toml", BASE + "[dynamics.tension]\ndecay = 0.2\n")
    variant = load_scenario(path)
    base = load_scenario("kepahiang_pilkada2024")
    assert variant.dynamics.tension.decay == 0.2
    assert base.dynamics.tension.decay != 0.2
    # everything else is inherited
    assert variant.dynamics.tension.influence == base.dynamics.tension.influence
    assert variant.region == base.region and variant.calendar == base.calendar
    assert variant.name == base.name


def test_extends_resolves_relative_to_the_extending_file(tmp_path):
    write(tmp_path, "base.toml", BASE + "seed = 99\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    path = write(sub, "child.toml", 'extends = "../base.toml"\n[dynamics.tension]\ndecay = 0.3\n')
    s = load_scenario(path)
    assert s.seed == 99 and s.dynamics.tension.decay == 0.3


def test_dotted_overrides_apply_on_top_of_the_file():
    s = load_scenario("kepahiang_pilkada2024", {"dynamics.tension.decay": 0.11, "days": 7})
    assert s.dynamics.tension.decay == 0.11 and s.total_days == 7
    assert expand_dotted({"a.b.c": 1, "a.d": 2}) == {"a": {"b": {"c": 1}, "d": 2}}


def test_library_scenario_loads_by_name_path_and_dict():
    by_name = load_scenario("kepahiang_pilkada2024")
    by_dict = load_scenario(load_dict("kepahiang_pilkada2024"))
    assert by_name == by_dict
    assert by_name.calendar.voting_day == dt.date(2024, 11, 27)


def test_synthetic_scenario_has_the_requested_size():
    s = load_scenario(synthetic_scenario(20_000, days=10))
    syn = s.region.synthetic
    assert syn.kecamatan * syn.villages_per_kecamatan * syn.people_per_village == pytest.approx(20_000, rel=0.2)
    assert s.total_days == 10 and not s.region.kecamatan


# --------------------------------------------------------------------------- errors


def test_wrong_type_names_file_and_field(tmp_path):
    path = write(tmp_path, "wrong_type.toml", BASE + '[dynamics.tension]\ndecay = "fast"\n')
    msg = error_of(path)
    assert "wrong_type.toml" in msg and "dynamics.tension.decay" in msg and "'fast'" in msg
    assert "number" in msg


def test_out_of_range_value_names_file_field_and_allowed_range(tmp_path):
    path = write(tmp_path, "out_of_range.toml", BASE + "[dynamics.tension]\ndecay = 2\n")
    msg = error_of(path)
    assert "out_of_range.toml" in msg and "dynamics.tension.decay" in msg
    assert "got 2" in msg and "≤ 1" in msg


def test_negative_value_shows_lower_bound(tmp_path):
    path = write(tmp_path, "negative.toml", BASE + "[officials]\nteam_size = 0\n")
    msg = error_of(path)
    assert "negative.toml" in msg and "officials.team_size" in msg and "≥ 1" in msg


@pytest.mark.parametrize(
    ("text", "field", "hint"),
    [
        ("[dynamics.tension]\ndecya = 0.1\n", "dynamics.tension.decya", "decay"),
        ("seeed = 3\n", "seeed", "seed"),
        ("[mechanisms]\nhaox = false\n", "mechanisms.haox", "hoax"),
    ],
)
def test_unknown_key_is_an_error_with_a_did_you_mean_hint(tmp_path, text, field, hint):
    path = write(tmp_path, "typo.toml", BASE + text)
    msg = error_of(path)
    assert "typo.toml" in msg and f"`{field}`" in msg
    assert "not part of the scenario format" in msg
    assert f"did you mean `{hint}`?" in msg


def test_missing_required_field_names_file_and_field(tmp_path):
    text = (
        'name = "no calendar"\n[region]\nname = "R"\n[region.synthetic]\nkecamatan = 1\n'
        'villages_per_kecamatan = 2\npeople_per_village = 100\n[[candidates]]\nname = "A"\nexpected_share = 1.0\n'
    )
    msg = error_of(write(tmp_path, "no_calendar.toml", text))
    assert "no_calendar.toml" in msg and "`calendar`" in msg and "required" in msg


def test_missing_nested_required_field_names_its_path(tmp_path):
    text = BASE + ONE_VILLAGE_REGION.replace("population = 100\n", "")
    msg = error_of(write(tmp_path, "no_population.toml", text))
    assert "no_population.toml" in msg and "region.kecamatan.0.villages.0.population" in msg and "required" in msg


def test_unknown_policy_preset_lists_the_known_ones(tmp_path):
    msg = error_of(write(tmp_path, "preset.toml", BASE + '[policy]\npresets = ["kades_erly"]\n'))
    assert "preset.toml" in msg and "policy.presets" in msg and "kades_erly" in msg
    assert all(p in msg for p in POLICY_PRESETS)


def test_unknown_policy_preset_as_model_argument_is_rejected():
    with pytest.raises(ScenarioError, match="policy.presets"):
        SiagaModel(synthetic_scenario(500, days=2), policy="kades_erly")


def test_partisan_split_not_summing_to_one_names_the_village_field(tmp_path):
    text = BASE + ONE_VILLAGE_REGION + "partisan_split = [0.7, 0.7]\n"
    msg = error_of(write(tmp_path, "split.toml", text))
    assert "split.toml" in msg and "region.kecamatan.0.villages.0.partisan_split" in msg
    assert "sum to 1" in msg


def test_partisan_split_of_the_wrong_length_names_the_village(tmp_path):
    text = BASE + ONE_VILLAGE_REGION + "partisan_split = [1.0]\n"
    msg = error_of(write(tmp_path, "split_len.toml", text))
    assert "split_len.toml" in msg and "partisan_split" in msg and "Desa Satu" in msg and "2 candidates" in msg


def test_candidate_shares_not_summing_to_one_are_rejected(tmp_path):
    text = BASE + '[[candidates]]\nname = "A"\nexpected_share = 0.6\n[[candidates]]\nname = "B"\nexpected_share = 0.6\n'
    msg = error_of(write(tmp_path, "shares.toml", text))
    assert "shares.toml" in msg and "expected_share" in msg and "sum to 1" in msg


def test_bad_toml_syntax_names_the_file_and_line(tmp_path):
    msg = error_of(write(tmp_path, "syntax.toml", BASE + "[dynamics.tension\ndecay = 0.1\n"))
    assert "syntax.toml" in msg and "not valid TOML" in msg and "line 2" in msg


def test_calendar_stage_ending_before_it_starts_is_rejected():
    data = load_dict("kepahiang_pilkada2024")
    data["calendar"]["stages"][0]["end"] = dt.date(2024, 8, 1)
    with pytest.raises(ScenarioError, match=r"calendar\.stages\.0.*ends \(2024-08-01\) before it starts"):
        load_scenario(data)


def test_extends_of_a_missing_file_is_an_error_with_a_hint(tmp_path):
    msg = error_of(write(tmp_path, "orphan.toml", 'extends = "kepahiang_pilkada2042"\n'))
    assert "kepahiang_pilkada2042" in msg and "not found" in msg
    assert "Did you mean 'kepahiang_pilkada2024'?" in msg


def test_extends_of_a_missing_file_names_the_extending_file_and_the_field(tmp_path):
    msg = error_of(write(tmp_path, "orphan.toml", 'extends = "no_such_base.toml"\n'))
    assert "no_such_base" in msg
    assert "orphan.toml" in msg and "extends" in msg


def test_cyclic_extends_names_the_files_and_the_field(tmp_path):
    write(tmp_path, "a.toml", 'extends = "b.toml"\n')
    b = write(tmp_path, "b.toml", 'extends = "a.toml"\n')
    msg = error_of(b)
    assert "b.toml" in msg and "a.toml" in msg and "`extends`" in msg and "cycle" in msg


def test_self_extends_is_a_cycle(tmp_path):
    msg = error_of(write(tmp_path, "self.toml", 'extends = "self.toml"\n'))
    assert "self.toml" in msg and "cycle" in msg


def test_extends_must_be_a_string(tmp_path):
    msg = error_of(write(tmp_path, "ext_int.toml", "extends = 3\n"))
    assert "ext_int.toml" in msg and "`extends`" in msg


def test_several_problems_are_all_reported(tmp_path):
    text = BASE + "[dynamics.tension]\ndecay = 2\ninfluence = -1\n"
    msg = error_of(write(tmp_path, "two.toml", text))
    assert "2 problem(s)" in msg and "dynamics.tension.decay" in msg and "dynamics.tension.influence" in msg


def test_errors_from_dict_overrides_name_the_field():
    with pytest.raises(ScenarioError, match=r"dynamics\.tension\.decay"):
        load_scenario("kepahiang_pilkada2024", {"dynamics.tension.decay": 2})
    with pytest.raises(ScenarioError, match=r"dynamics\.tension\.decay"):
        SiagaModel(synthetic_scenario(500, days=2), dynamics__tension__decay=-0.5)


def test_scenario_error_is_a_value_error():
    assert issubclass(ScenarioError, ValueError)


# --------------------------------------------------------------------------- policy presets


def test_kades_early_preset_turns_on_mediation_at_waspada():
    spec = load_scenario("kepahiang_pilkada2024", {"policy.presets": ["kades_early"]})
    pol = resolve_policy(spec.policy)
    assert pol.kades.mediation is True and pol.kades.act_level == "WASPADA"
    assert pol.kades.delay_days == 1
    assert pol.police.early_patrol is False  # other dials keep their defaults


def test_no_preset_means_reactive_baseline():
    pol = resolve_policy(load_scenario("kepahiang_pilkada2024").policy)
    assert pol.presets == ["none"]
    assert not pol.kades.mediation and not pol.police.early_patrol
    assert not pol.camat.coordination and not pol.counter_hoax.enabled


def test_joint_preset_combines_its_parts():
    pol = resolve_policy(load_scenario("kepahiang_pilkada2024", {"policy.presets": ["joint"]}).policy)
    assert pol.kades.mediation and pol.kades.act_level == "WASPADA"
    assert pol.police.early_patrol and pol.police.response_delay_days == 0
    assert pol.camat.coordination and pol.camat.convene_level == "SIAGA"
    assert pol.counter_hoax.enabled


def test_later_presets_win_over_earlier_ones():
    pol = resolve_policy(
        load_scenario("kepahiang_pilkada2024", {"policy.presets": ["kades_early", "kades_late"]}).policy
    )
    assert pol.kades.act_level == "AWAS" and pol.kades.delay_days == 5
    pol = resolve_policy(
        load_scenario("kepahiang_pilkada2024", {"policy.presets": ["kades_late", "kades_early"]}).policy
    )
    assert pol.kades.act_level == "WASPADA" and pol.kades.delay_days == 1


def test_explicit_scenario_values_override_presets(tmp_path):
    text = BASE + '[policy]\npresets = ["kades_early"]\n[policy.kades]\nact_level = "SIAGA"\n'
    pol = resolve_policy(load_scenario(write(tmp_path, "override.toml", text)).policy)
    assert pol.kades.act_level == "SIAGA"  # explicit value wins
    assert pol.kades.mediation is True and pol.kades.delay_days == 1  # the rest of the preset stays


def test_explicit_override_as_model_keyword_beats_the_policy_preset():
    m = SiagaModel(synthetic_scenario(500, days=2), policy="kades_early", policy__kades__delay_days=4)
    assert m.policy.kades.mediation is True and m.policy.kades.delay_days == 4


def test_every_schema_preset_has_a_definition():
    assert set(PRESETS) == set(POLICY_PRESETS)
    for name in POLICY_PRESETS:
        resolve_policy(load_scenario("kepahiang_pilkada2024", {"policy.presets": [name]}).policy)


def test_model_applies_the_preset_given_by_name():
    m = SiagaModel(synthetic_scenario(500, days=2), policy="joint")
    assert m.policy.kades.mediation and m.policy.police.early_patrol and m.policy.counter_hoax.enabled


def test_preset_applies_when_the_scenario_is_passed_as_a_scenario_object():
    spec = load_scenario("kepahiang_pilkada2024", {"days": 2})
    m = SiagaModel(spec, policy="joint")
    assert m.policy.presets == ["joint"]
    assert m.policy.kades.mediation and m.policy.police.early_patrol and m.policy.counter_hoax.enabled
