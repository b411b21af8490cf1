"""What a scenario file may do: read only the library and the user's folder (regular files up to
4 MiB, checked before opening), never run code, hold only finite numbers, and be refused in one
line naming the file and the field (scenarios/loader.py docstring)."""

from __future__ import annotations

# --------------------------------------------------------------------------- what a scenario file may read
import os
import signal
import sys
from pathlib import Path

import pytest
from scenario_files import BASE, ONE_VILLAGE_REGION, error_of, write

from scenarios import ScenarioError, load_scenario
from scenarios.loader import MAX_EXTENDS_DEPTH, MAX_FILE_BYTES, library_dir

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
        for name, needle in (("dir.toml", "a folder"), ("pipe.toml", "a device, pipe or socket"), ("huge.toml", "at most 4,194,304 bytes")):
            path = write(folder, "x.toml", f'extends = "{name}"\n')
            result, opened, _ = recorded(load_scenario, path)
            assert isinstance(result, ScenarioError), name
            assert "x.toml" in str(result) and "`extends`" in str(result) and needle in str(result)
            assert not any(name in p for p in opened), opened
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def test_a_file_given_directly_must_be_a_regular_file_of_at_most_4_mib(tmp_path):
    big = tmp_path / "big.toml"
    big.write_text(BASE + "# " + "x" * MAX_FILE_BYTES + "\n")
    msg = error_of(big)
    assert "big.toml" in msg and "4 MiB" in msg
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


