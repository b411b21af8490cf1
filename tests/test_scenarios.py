"""Scenario files: every kind of mistake is a ScenarioError that names the file and the field,
`extends` variants work, and policy presets resolve (presets in order, then explicit values)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from scenarios import ScenarioError, load_dict, load_scenario
from scenarios.loader import expand_dotted
from scenarios.schema import POLICY_PRESETS
from scenarios.synthetic import synthetic_scenario
from simulation.interventions import PRESETS, resolve_policy
from simulation.model import SiagaModel

BASE = 'extends = "kepahiang_pilkada2024"\n'

ONE_VILLAGE_REGION = """
[region]
name = "R"
[[region.kecamatan]]
code = "K"
name = "K"
[[region.kecamatan.villages]]
code = "V1"
name = "Desa Satu"
population = 100
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return str(info.value)


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


# --------------------------------------------------------------------------- what a scenario file may read
# (scenarios/loader.py docstring: the library, the user's folder; regular files up to 1 MiB)

import os  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402

from scenarios.loader import MAX_EXTENDS_DEPTH, MAX_FILE_BYTES, library_dir  # noqa: E402

_OPENED: list[str] = []
_EVENTS: list[str] = []
_RECORD = [False]
_WATCHED = {"open", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "exec", "compile"}


def _audit(event: str, args: tuple) -> None:
    if _RECORD[0] and event in _WATCHED:
        _EVENTS.append(event)
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            _OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)


def recorded(fn, *args):
    """Call fn(*args) while recording files opened and code-running events; return (result or the
    ScenarioError, opened paths, events)."""
    load_scenario("kepahiang_pilkada2024")  # imports done before recording
    _OPENED.clear()
    _EVENTS.clear()
    _RECORD[0] = True
    try:
        result = fn(*args)
    except ScenarioError as exc:
        result = exc
    finally:
        _RECORD[0] = False
    return result, list(_OPENED), list(_EVENTS)


def user_dir(tmp_path: Path) -> Path:
    """A user's folder two levels below tmp_path, so that tmp_path/outside is outside it."""
    folder = tmp_path / "project" / "mine"
    folder.mkdir(parents=True)
    return folder


def outside_file(tmp_path: Path) -> Path:
    out = tmp_path / "outside"
    out.mkdir(exist_ok=True)
    return write(out, "secret.toml", BASE + 'name = "secret"\n')


@pytest.mark.parametrize("how", ["absolute", "dotdot", "symlink"])
def test_extends_outside_the_users_folder_is_refused_before_the_file_is_opened(tmp_path, how):
    folder, secret = user_dir(tmp_path), outside_file(tmp_path)
    ref = {"absolute": str(secret), "dotdot": "../../outside/secret.toml", "symlink": "link.toml"}[how]
    if how == "symlink":
        (folder / "link.toml").symlink_to(secret)
    path = write(folder, "mine.toml", f'extends = "{ref}"\n')
    result, opened, _ = recorded(load_scenario, path)
    assert isinstance(result, ScenarioError), result
    msg = str(result)
    assert len(msg.splitlines()) == 1
    assert str(path) in msg and "field `extends`" in msg and "outside the folders" in msg
    assert "allowed: a library scenario by name" in msg and str((tmp_path / "project").resolve()) in msg
    assert not any("secret" in p for p in opened), opened


@pytest.mark.parametrize("target", ["/etc/passwd", "/dev/zero", "/proc/self/environ", "~/.bashrc", "file:///etc/passwd"])
def test_extends_of_system_files_is_refused_and_they_are_never_opened(tmp_path, target):
    path = write(user_dir(tmp_path), "sys.toml", f'extends = "{target}"\n')
    result, opened, _ = recorded(load_scenario, path)
    assert isinstance(result, ScenarioError)
    assert "sys.toml" in str(result) and "`extends`" in str(result)
    assert not any(p.startswith(("/etc", "/dev", "/proc")) for p in opened), opened


def test_a_variant_may_extend_a_base_one_folder_up_but_not_two(tmp_path):
    folder = tmp_path / "project" / "variants"
    folder.mkdir(parents=True)
    write(tmp_path / "project", "base.toml", BASE)
    ok = write(folder, "ok.toml", 'extends = "../base.toml"\nseed = 5\n')
    assert load_scenario(ok).seed == 5
    (folder / "deeper").mkdir()
    too_far = write(folder / "deeper", "far.toml", 'extends = "../../base.toml"\n')
    msg = error_of(too_far)
    assert "far.toml" in msg and "`extends`" in msg and "outside the folders" in msg


def test_extends_of_a_folder_a_fifo_or_a_huge_file_is_refused_without_reading_it(tmp_path):
    folder = user_dir(tmp_path)
    (folder / "dir.toml").mkdir()
    os.mkfifo(folder / "pipe.toml")
    with open(folder / "huge.toml", "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    old = signal.signal(signal.SIGALRM, lambda *_: (_ for _ in ()).throw(TimeoutError("blocked on the FIFO")))
    signal.alarm(10)
    try:
        for name, needle in (("dir.toml", "a folder"), ("pipe.toml", "a device, pipe or socket"), ("huge.toml", "at most 1,048,576 bytes")):
            path = write(folder, "x.toml", f'extends = "{name}"\n')
            result, opened, _ = recorded(load_scenario, path)
            assert isinstance(result, ScenarioError), name
            assert "x.toml" in str(result) and "`extends`" in str(result) and needle in str(result)
            assert not any(name in p for p in opened), opened
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_a_file_given_directly_must_be_a_regular_file_of_at_most_1_mib(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text(BASE + "# " + "x" * MAX_FILE_BYTES + "\n")
    msg = error_of(big)
    assert "big.toml" in msg and "1 MiB" in msg
    with pytest.raises(ScenarioError, match="a device, pipe or socket"):
        load_scenario("/dev/zero")
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(ScenarioError, match="a folder"):
        load_scenario(tmp_path / "folder.toml")


def test_extends_must_name_a_toml_file(tmp_path):
    folder = user_dir(tmp_path)
    write(folder, "notes.txt", BASE)
    msg = error_of(write(folder, "x.toml", 'extends = "notes.txt"\n'))
    assert "x.toml" in msg and "`extends`" in msg and "not a .toml file" in msg


def test_chains_up_to_the_limit_load_and_one_more_is_refused(tmp_path):
    n = MAX_EXTENDS_DEPTH
    for i in range(n):  # f0 -> f1 -> ... -> f7 -> the library file
        nxt = f'extends = "f{i + 1}.toml"\n' if i < n - 1 else BASE
        write(tmp_path, f"f{i}.toml", nxt + f"seed = {i}\n")
    assert load_scenario(tmp_path / "f1.toml").seed == 1  # f1 .. f7 and the library file: 8 files
    msg = error_of(tmp_path / "f0.toml")  # 9 files
    assert f"f{n - 1}.toml: field `extends`" in msg and f"more than {n} files" in msg and len(msg.splitlines()) == 1


def test_a_library_file_reached_by_extends_only_extends_library_files(tmp_path):
    s = load_scenario(write(tmp_path, "v.toml", 'extends = "kepahiang_pilkada2024_joint"\n'))
    assert s.policy.presets == ["joint"]
    lib = library_dir().resolve()
    result, opened, _ = recorded(load_scenario, tmp_path / "v.toml")
    assert not isinstance(result, ScenarioError)
    for p in opened:
        if p in ("/proc/meminfo", "/proc/self/statm"):  # the memory budget's reading of available memory
            continue
        real = Path(p).resolve()
        assert real.parent in (lib, tmp_path.resolve()) or real.suffix in (".py", ".pyc"), real


# --------------------------------------------------------------------------- scenario files are only data


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('touch {marker}')",
        "!!python/object/apply:os.system ['touch {marker}']",
        "{{{{7*7}}}}",
        "$(touch {marker})",
        "`touch {marker}`",
        "eval(compile('open(\"{marker}\", \"w\")', 'x', 'exec'))",
    ],
)
def test_code_in_a_scenario_file_stays_a_string(tmp_path, text):
    marker = tmp_path / "pwned"
    value = text.format(marker=marker).replace('"', '\\"')
    path = write(tmp_path, "code.toml", BASE + f'name = "{value}"\ndescription = "{value}"\n[region]\nname = "{value}"\n')
    scn, opened, events = recorded(load_scenario, path)
    assert not isinstance(scn, ScenarioError), scn
    assert scn.name == text.format(marker=marker) and scn.region.name == scn.name  # only ever data
    assert not marker.exists()
    assert not (set(events) - {"open"}), events  # no exec, compile, system, subprocess, fork
    # where a value must be one of a list, code is simply an unknown value
    bad = write(tmp_path, "code_preset.toml", BASE + f'[policy]\npresets = ["{value}"]\n')
    msg = error_of(bad)
    assert "policy.presets" in msg and "unknown preset" in msg and not marker.exists()


# --------------------------------------------------------------------------- nan and inf


def _float_fields(model, prefix=()):
    """Dotted paths of every float field reachable through nested tables (not lists)."""
    from pydantic import BaseModel

    for name, field in model.model_fields.items():
        ann = field.annotation
        if getattr(ann, "__origin__", None) is list:
            continue
        args = getattr(ann, "__args__", ())
        if ann is float or float in args:
            yield (*prefix, name)
        sub = next((a for a in (ann, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
        if sub is not None:
            yield from _float_fields(sub, (*prefix, name))


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_every_float_field_refuses_nan_and_inf_naming_the_field(tmp_path, value):
    from scenarios.schema import Scenario

    fields = [f for f in _float_fields(Scenario) if f[:2] != ("region", "synthetic")]
    assert len(fields) > 60  # the walk found the parameters
    tables: dict[str, list[str]] = {}
    for field in fields:
        tables.setdefault(".".join(field[:-1]), []).append(f"{field[-1]} = {value}\n")
    text = BASE + "".join(f"[{table}]\n" + "".join(keys) for table, keys in tables.items())
    msg = error_of(write(tmp_path, "nonfinite.toml", text))
    lines = msg.splitlines()
    assert lines[0].endswith(f"nonfinite.toml: {len(fields)} problem(s):"), lines[0]
    for field in fields:
        line = next((ln for ln in lines if f"field `{'.'.join(field)}`" in ln), None)
        assert line is not None and f"got {value.lstrip('+')}" in line and "a finite number" in line, (field, msg)
    # one at a time, a non-finite value is one line naming the file and the field
    one = error_of(write(tmp_path, "one_nonfinite.toml", BASE + f"[dynamics.clashes]\nbase_hazard = {value}\n"))
    assert one.startswith(f"{tmp_path / 'one_nonfinite.toml'}: field `dynamics.clashes.base_hazard` (line 3):") and "\n" not in one


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('[[candidates]]\nname = "A"\nexpected_share = nan\n[[candidates]]\nname = "B"\nexpected_share = 0.5\n', "candidates.0.expected_share"),
        ("[[calendar.stages]]\nname = 's'\nstart = 2024-11-01\nend = 2024-11-02\ncontact = inf\n", "calendar.stages.0.contact"),
        ("[population]\nidentity_groups = [{ name = 'a', share = nan }]\n", "population.identity_groups.0.share"),
        (ONE_VILLAGE_REGION + "x_km = nan\n", "region.kecamatan.0.villages.0.x_km"),
        (ONE_VILLAGE_REGION + "partisan_split = [inf, 0.5]\n", "region.kecamatan.0.villages.0.partisan_split.0"),
    ],
)
def test_nan_and_inf_inside_lists_are_refused_naming_the_field(tmp_path, text, field):
    msg = error_of(write(tmp_path, "list_nan.toml", BASE + text))
    assert f"`{field}`" in msg and "finite" in msg, msg


def test_one_problem_is_one_line_naming_file_field_line_and_what_is_allowed(tmp_path):
    path = write(tmp_path, "one.toml", BASE + "[population]\nthreshold_mean = nan\n")
    msg = error_of(path)
    assert msg == f"{path}: field `population.threshold_mean` (line 3): got nan; allowed: a finite number (not nan or inf)"


def test_keys_with_control_characters_stay_on_one_line(tmp_path):
    msg = error_of(write(tmp_path, "ctl.toml", BASE + '"bad\\nkey\\u202e" = 1\n'))
    assert len(msg.splitlines()) == 1 and "bad\\nkey\\u202e" in msg


def test_a_dotted_override_under_a_plain_value_is_refused_naming_the_key():
    with pytest.raises(ScenarioError, match=r"field `days\.x`.*`days` is already set"):
        load_scenario("kepahiang_pilkada2024", {"days": 3, "days.x": 1})


# --------------------------------------------------------------------------- memory budget


def test_a_region_too_large_for_memory_is_refused_up_front_with_an_estimate(tmp_path, monkeypatch):
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", "8GiB")
    text = BASE + "[region]\nname = 'huge'\nkecamatan = []\n[region.synthetic]\nkecamatan = 1000\nvillages_per_kecamatan = 200\npeople_per_village = 100000\n"
    msg = error_of(write(tmp_path, "huge.toml", text))
    assert len(msg.splitlines()) == 1
    assert "huge.toml: region size: 20,000,000,000 villagers in 200,000 villages would need about" in msg
    assert "TiB of memory; this machine has 8.0 GiB available (SIAGA_MEMORY_LIMIT)" in msg
    assert "`region.synthetic.people_per_village`" in msg


def test_the_model_refuses_a_huge_region_before_allocating_anything(monkeypatch):
    import resource

    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", "4GiB")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    data = load_dict("kepahiang_pilkada2024")
    data["region"] = {"name": "huge", "synthetic": {"kecamatan": 1000, "villages_per_kecamatan": 200, "people_per_village": 100_000}}
    with pytest.raises(ScenarioError, match="region size: 20,000,000,000 villagers"):
        SiagaModel(data, days=2)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB: nothing was built


def test_every_library_scenario_fits_a_4_gib_budget(monkeypatch):
    """The largest (Kalimantan Selatan, 4.3M villagers) is estimated at about 2.7 GiB."""
    from scenarios import library_names
    from scenarios.budget import estimate

    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", "4GiB")
    for name in library_names():
        est = estimate(load_scenario(name))
        assert est.bytes < 4 * 2**30, (name, est)


def test_the_estimate_errs_high_against_the_measured_benchmark():
    from scenarios.budget import AUTO_VILLAGER_AGENTS, estimate
    from simulation import model

    assert AUTO_VILLAGER_AGENTS == model.AUTO_VILLAGER_AGENTS
    est = estimate(load_scenario(synthetic_scenario(1_020_000)))
    assert 614 * 2**20 <= est.bytes <= 2 * 614 * 2**20  # benchmarks/README.md: 614 MiB peak RSS


def test_the_memory_limit_setting_is_checked(monkeypatch):
    from scenarios.budget import parse_size

    assert parse_size("8GiB") == 8 * 2**30 and parse_size("500MB") == 500 * 10**6 and parse_size("1234") == 1234
    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", "lots")
    with pytest.raises(ScenarioError, match="SIAGA_MEMORY_LIMIT='lots'"):
        load_scenario("kepahiang_pilkada2024")


def test_an_experiment_grid_over_region_size_is_checked_point_by_point(tmp_path, monkeypatch):
    from experiments.design import build_tasks
    from experiments.spec import ExperimentError, load_experiment

    monkeypatch.setenv("SIAGA_MEMORY_LIMIT", "4GiB")
    write(tmp_path, "syn.toml", BASE + "[region]\nname = 's'\nkecamatan = []\n[region.synthetic]\nkecamatan = 1000\nvillages_per_kecamatan = 200\npeople_per_village = 10\n")
    exp = write(tmp_path, "exp.toml", 'name = "e"\nscenario = "syn.toml"\npolicies = ["none"]\nreplicates = 1\nmaster_seed = 1\n[grid]\n"region.synthetic.people_per_village" = [10, 100000]\n')
    spec, path = load_experiment(exp)
    with pytest.raises(ExperimentError) as err:
        build_tasks(spec, path)
    first = str(err.value).splitlines()[0]
    assert "exp.toml: design point 1" in first and "region size" in first and "people_per_village" in first


def test_experiment_scenario_outside_its_folder_is_refused(tmp_path):
    from experiments.design import build_tasks
    from experiments.spec import ExperimentError, load_experiment

    folder, secret = user_dir(tmp_path), outside_file(tmp_path)
    exp = write(folder, "exp.toml", f'name = "e"\nscenario = "{secret}"\npolicies = ["none"]\nreplicates = 1\nmaster_seed = 1\n')
    spec, path = load_experiment(exp)
    result, opened, _ = recorded(build_tasks, spec, path)
    assert isinstance(result, ExperimentError)
    assert "exp.toml" in str(result) and "field `scenario`" in str(result) and "outside the folders" in str(result)
    assert not any("secret" in p for p in opened)


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        ("replicates = 100000\n[grid]\n\"days\" = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n", "runs; allowed: at most 1,000,000"),
        ("replicates = 1\n[grid]\n" + "".join(f'"a.b{i}" = [{", ".join(["1"] * 20)}]\n' for i in range(5)), "design points; allowed: at most 100,000"),
        ("replicates = 1\n[lhs]\nsamples = 2\n[lhs.ranges]\n\"days\" = [-1e308, 1e308]\n", "too wide to sample"),
        ("replicates = 1\n[lhs]\nsamples = 2\n[lhs.ranges]\n\"days\" = [0, inf]\n", "finite"),
    ],
)
def test_experiment_sizes_are_refused_before_the_run_table_is_built(tmp_path, extra, needle):
    from experiments.spec import ExperimentError, load_experiment

    exp = write(tmp_path, "big.toml", 'name = "e"\nscenario = "kepahiang_pilkada2024"\npolicies = ["none", "joint"]\nmaster_seed = 1\n' + extra)
    with pytest.raises(ExperimentError) as err:
        load_experiment(exp)
    assert "big.toml" in str(err.value).splitlines()[0] and needle in str(err.value), str(err.value)
