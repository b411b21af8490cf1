"""Issue 11, input handling: `--set` of the keys the model takes as keywords, deep nesting and the
audit hook, clear messages (the option or override that set a value, BOM, seeds, booleans, NumPy
numbers), no unused dependency, no import cycle, a `siaga --help` that imports nothing heavy."""

from __future__ import annotations

import ast
import contextlib
import gc
import io
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import fuzzing
import numpy as np
import pytest

import scenarios.loader as loader
import siaga.cli as cli
from experiments.design import Task, build_tasks
from experiments.spec import ExperimentError, load_experiment, load_sensitivity
from scenarios import ScenarioError, load_scenario
from scenarios.loader import MAX_NESTING, library_dir, parse_toml

ROOT = Path(__file__).resolve().parents[1]
MINI = Path(__file__).parent / "data" / "mini_region.toml"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """The mini region copied into the test's folder, so that files there may extend it."""
    path = tmp_path / "mini_region.toml"
    path.write_bytes(MINI.read_bytes())
    return path


def siaga(*argv: str) -> tuple[int, str, str]:
    """`siaga ARGV` in-process: (exit status, stdout, stderr); argparse's own exits included."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(argv))
        except SystemExit as exc:
            code = exc.code
    return code, out.getvalue(), err.getvalue()


def run_header(*argv: str) -> str:
    """The first lines `siaga run` prints for the mini region, one day, nothing written."""
    code, out, err = siaga("run", str(MINI), "--no-write", "--quiet", "--no-charts", *argv)
    assert code == 0, err
    assert "Traceback" not in out + err
    return " ".join(out.split())


# --------------------------------------------------------------------------- 1. keys the model takes as keywords


def test_set_seed_sets_the_scenario_seed_and_seed_option_wins():
    assert "seed 5," in run_header("--days", "1", "--set", "seed=5")
    assert "seed 7," in run_header("--days", "1", "--set", "seed=5", "--seed", "7")


def test_set_days_sets_the_scenario_days_and_days_option_wins():
    assert "2 days from" in run_header("--set", "days=2")
    assert "1 days from" in run_header("--set", "days=2", "--days", "1")


def test_set_policy_is_the_presets():
    assert "policy joint" in run_header("--days", "1", "--set", "policy=joint")
    assert "policy kades_early+counter_hoax" in run_header("--days", "1", "--set", 'policy=["kades_early", "counter_hoax"]')
    assert "policy none" in run_header("--days", "1", "--set", "policy=joint", "--policy", "none")


def test_set_scenario_is_refused_clearly():
    code, out, err = siaga("run", str(MINI), "--no-write", "--set", "scenario=x")
    assert code == 2 and "Traceback" not in out + err
    assert err.startswith("siaga: --set scenario=x: field `scenario`: not a scenario field"), err
    assert "siaga run x" in err


def test_help_says_which_option_wins():
    code, out, _ = siaga("run", "--help")
    help_text = " ".join(out.split())
    assert code == 0
    assert "--seed, --days and --policy win over --set" in help_text
    assert "--set policy=NAME means policy.presets" in help_text


EXPERIMENT = 'name = "x"\nscenario = "{scenario}"\npolicies = ["none", "joint"]\nreplicates = 2\nmaster_seed = 1\n'


@pytest.mark.parametrize(
    "table, must_say",
    [
        ('[set]\n"seed" = 5\n', ["`seed` cannot be set in `set`", "master_seed", "common random numbers"]),
        ('[set]\nrng = 5\n', ["`rng` cannot be set in `set`", "master_seed"]),
        ('[set]\nscenario = "x"\n', ["`scenario` cannot be set in `set`", "top-level `scenario`"]),
        ('[set]\ndays = 30\n', ["`days` cannot be set in `set`", "top-level `days`"]),
        ('[set]\npolicy = "joint"\n', ["`policy` cannot be set in `set`", "`policies`"]),
        ('[set.policy]\npresets = ["joint"]\n', ["`policy.presets` cannot be set in `set`", "`policies`"]),
        ('[grid]\nseed = [1, 2]\n', ["`seed` cannot be set in `grid`", "master_seed"]),
        ('[lhs]\nsamples = 2\n[lhs.ranges]\nseed = [1, 9]\n', ["`seed` cannot be set in `lhs.ranges`"]),
        ('days = 5\n[grid]\ndays = [3, 4]\n', ["`days` is both the top-level number of days and a factor"]),
    ],
)
def test_experiment_keys_the_model_takes_as_keywords_are_refused_naming_the_file(tmp_path, table, must_say):
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(scenario=MINI) + table, encoding="utf-8")
    with pytest.raises(ExperimentError) as info:
        load_experiment(path)
    message = str(info.value)
    assert message.startswith(f"{path}: field `"), message
    for text in must_say:
        assert text in message, message


def test_sensitivity_seed_parameter_is_refused(tmp_path):
    path = tmp_path / "sens.toml"
    path.write_text(f'name = "s"\nscenario = "{MINI}"\nsamples = 2\nmaster_seed = 3\n[parameters]\nseed = [0, 9]\n"dynamics.tension.decay" = [0.04, 0.12]\n', encoding="utf-8")
    with pytest.raises(ExperimentError, match=r"`seed` cannot be set in `parameters`.*master_seed"):
        load_sensitivity(path)


def test_worker_runs_a_days_factor_instead_of_dropping_it():
    """A grid over `days` reaches the model (the worker used to drop every `days` override)."""
    from experiments.worker import execute

    base = tomllib.loads(MINI.read_text(encoding="utf-8"))
    task = Task(index=0, run_id="p000-none-r0000", point=0, policy="none", replicate=0, seed=3, factors={"days": 2},
                overrides={"days": 2, "policy.presets": ["none"]}, scenario=base, days=None, timeseries=True, events=False)
    result = execute(task)
    assert len(result["timeseries"]) == 2


def test_experiment_grid_over_days_builds(tmp_path, mini):
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(scenario=mini.name) + "[grid]\ndays = [3, 4]\n", encoding="utf-8")
    tasks, _ = build_tasks(*load_experiment(path))
    assert sorted({t.overrides["days"] for t in tasks}) == [3, 4]


# --------------------------------------------------------------------------- 2. deep nesting and the audit hook

_PROBE = [False]


def _probe_hook(event: str, args: tuple) -> None:
    if _PROBE[0] and event == "siaga.test.gc":
        pass  # a Python-level hook: calling it at the recursion limit is what failed


sys.addaudithook(_probe_hook)


@contextlib.contextmanager
def audit_events_during_gc():
    """Raise an audit event at every garbage collection, and collect at every allocation, so that
    any Python-level recursion to the limit (tomllib's on a deeply nested file) hits the hook
    there, as a collection at the wrong moment did on a loaded machine."""

    def on_gc(phase, info):
        sys.audit("siaga.test.gc")

    threshold = gc.get_threshold()
    gc.callbacks.append(on_gc)
    gc.set_threshold(1)
    _PROBE[0] = True
    try:
        yield
    finally:
        _PROBE[0] = False
        gc.set_threshold(*threshold)
        gc.callbacks.remove(on_gc)


@pytest.mark.parametrize("text", [
    "deep = " + "[" * 5000 + "]" * 5000 + "\n",
    "nested = " + "{ a = " * 3000 + "1" + " }" * 3000 + "\n",
])
def test_deep_nesting_is_refused_before_any_recursion(tmp_path, text):
    path = tmp_path / "deep.toml"
    path.write_text(text, encoding="utf-8")
    with audit_events_during_gc():
        code, out, err = siaga("scenarios", "validate", str(path))
    assert code == 2
    assert "Exception ignored" not in err and "RecursionError" not in err, err
    assert err == f"siaga: {path}: tables or arrays are nested more than {MAX_NESTING} deep; scenario and experiment files need at most 7\n"


def test_deep_set_value_is_refused_before_any_recursion():
    with audit_events_during_gc():
        code, out, err = siaga("run", str(MINI), "--no-write", "--set", "x=" + "[" * 5000 + "]" * 5000)
    assert code == 2
    assert "Exception ignored" not in err and "Traceback" not in err, err
    assert err.startswith("siaga: --set x=[[[") and f"nested more than {MAX_NESTING} deep" in err


@pytest.mark.parametrize("text, depth", [
    ('a = "[[[[{{{"\n', 0),
    ("a = '[[[['\n", 0),
    ('a = """\n[[[[ "" \\""" ]\n"""\nb = [1]\n', 1),
    ("a = '''\n[[[[ '' ]\n'''''\nb = [[1]]\n", 2),
    ('a = """x""""\nb = [[[1]]]\n', 3),  # four quotes: one of them is the string's
    ('# [[[[[[\na = [ # [[[[\n  1, "]]]", \'[\' ]\n', 1),
    ('[[a.b]]\nc = { d = [ { e = 1 } ] }\n', 3),
    ('a = "\\"[[["\nb = [ "\\\\", [2] ]\n', 2),
])
def test_nesting_scan_reads_strings_and_comments_as_toml_does(text, depth):
    tomllib.loads(text)  # each is valid TOML
    assert loader.bracket_depth(text) == depth


def test_nesting_scan_accepts_every_library_file():
    for path in library_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert loader.bracket_depth(text) <= 7, path
        parse_toml(text, path)


def test_fuzz_hang_guard_does_not_fail_a_slow_machine(monkeypatch):
    """A file that takes long on the wall clock while using little CPU (a loaded machine) is not a
    hang; a loop that uses the CPU is, and so is a process that makes no progress at all."""
    monkeypatch.setattr(fuzzing, "HANG_SECONDS", 1, raising=False)  # the old wall-clock alarm
    monkeypatch.setattr(fuzzing, "HANG_CPU_SECONDS", 1, raising=False)
    monkeypatch.setattr(fuzzing, "STALL_SECONDS", 2, raising=False)
    old_alarm = signal.signal(signal.SIGALRM, fuzzing.on_alarm)
    old_prof = signal.signal(signal.SIGPROF, getattr(fuzzing, "on_cpu_limit", signal.SIG_IGN))
    try:
        with fuzzing.alarm():  # 3 s of wall time, at most 10% of it on the CPU (0.3 s): slow, not hung
            end = time.monotonic() + 3
            while time.monotonic() < end:
                spin = time.process_time() + 0.002
                while time.process_time() < spin:
                    pass
                time.sleep(0.02)
        with pytest.raises(fuzzing.Hang), fuzzing.alarm():  # a loop
            while True:
                pass
        with pytest.raises(fuzzing.Hang), fuzzing.alarm():  # blocked
            time.sleep(5)
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old_alarm)
        signal.signal(signal.SIGPROF, old_prof)


# --------------------------------------------------------------------------- 3. messages


def test_set_value_error_names_the_set_option_not_the_scenario_file():
    code, out, err = siaga("run", str(MINI), "--no-write", "--set", "dynamics.tension.decay=2")
    assert code == 2
    assert err.startswith("siaga: --set dynamics.tension.decay=2: field `dynamics.tension.decay`: got 2;"), err
    assert "mini_region" not in err and "kepahiang" not in err


def test_set_and_file_problems_together_name_each_source(tmp_path, mini):
    path = tmp_path / "s.toml"
    path.write_text(f'extends = "{mini.name}"\n[network]\nkin_degree = -3\n', encoding="utf-8")
    code, _, err = siaga("run", str(path), "--no-write", "--set", "dynamics.tension.decay=2")
    assert code == 2
    assert "field `network.kin_degree` (line 3): got -3" in err, err
    assert "field `dynamics.tension.decay` (set by --set dynamics.tension.decay=2): got 2" in err, err


def test_inline_table_value_of_an_extending_file_is_blamed_on_its_line(tmp_path, mini):
    (tmp_path / "base.toml").write_text(f'extends = "{mini.name}"\n\n[dynamics.tension]\ndecay = 0.1\n', encoding="utf-8")
    variant = tmp_path / "variant.toml"
    variant.write_text('extends = "base.toml"\nname = "v"\ndynamics = { tension = { decay = 2.0 } }\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(variant)
    message = str(info.value)
    assert message.startswith(f"{variant}: field `dynamics.tension.decay` (line 3): got 2.0;"), message
    assert "base.toml" not in message


def test_value_in_an_inline_array_of_an_extending_file_is_blamed_on_its_line(tmp_path, mini):
    variant = tmp_path / "variant.toml"
    variant.write_text(f'extends = "{mini.name}"\n[population]\nidentity_groups = [{{ name = "a", share = 2.0 }}]\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(variant)
    assert "(line 3)" in str(info.value) and "mini_region" not in str(info.value), str(info.value)


def test_utf8_with_byte_order_mark_is_read(tmp_path, mini):
    path = tmp_path / "notepad.toml"
    path.write_bytes(b"\xef\xbb\xbf" + f'extends = "{mini.name}"\r\nname = "Notepad"\r\n'.encode())
    assert load_scenario(path).name == "Notepad"
    code, out, err = siaga("scenarios", "validate", str(path))
    assert code == 0 and out.startswith("OK: "), err


@pytest.mark.parametrize("seed", ["-1", str(10**30), str(2**63), "1.5", "abc"])
def test_seed_option_is_checked_and_named(seed):
    code, out, err = siaga("run", str(MINI), "--no-write", "--quiet", "--days", "1", "--seed", seed)
    assert code == 2, out
    assert "argument --seed" in err and "0 to 9,223,372,036,854,775,807 (2^63-1)" in err, err
    assert "Traceback" not in err


def test_seed_option_accepts_the_whole_range():
    assert f"seed {2**63 - 1}," in run_header("--days", "1", "--seed", str(2**63 - 1))
    assert "seed 0," in run_header("--days", "1", "--seed", "0")


def test_set_rng_is_refused_with_a_pointer_to_seed():
    code, out, err = siaga("run", str(MINI), "--no-write", "--quiet", "--days", "1", "--set", "rng=5")
    assert code == 2, out
    assert err.startswith("siaga: --set rng=5: field `rng`: not a scenario field"), err
    assert "--seed 5" in err


def test_boolean_where_a_number_is_expected_is_refused(tmp_path):
    path = tmp_path / "s.toml"
    text = MINI.read_text(encoding="utf-8").replace("population = 300 }", "population = true }", 1)
    text = text.replace('extends = "kepahiang_pilkada2024"', 'extends = "kepahiang_pilkada2024"\nseed = false')
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert message.startswith(f"{path}: 2 problem(s):"), message
    assert re.search(r"field `region\.kecamatan\.0\.villages\.1\.population` \(line 13\): got true; allowed: a whole number ≥ 1 and ≤ 2000000, not true or false", message), message
    assert "field `seed` (line 4): got false; allowed: a whole number ≥ 0" in message, message


def test_boolean_for_a_number_in_set_and_experiment_is_refused(tmp_path):
    code, _, err = siaga("run", str(MINI), "--no-write", "--set", "population.threshold_mean=true")
    assert code == 2 and err.startswith("siaga: --set population.threshold_mean=true: field `population.threshold_mean`: got true;"), err
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(scenario=MINI).replace("replicates = 2", "replicates = true"), encoding="utf-8")
    with pytest.raises(ExperimentError, match=r"exp\.toml: field `replicates` \(line 4\): got true; allowed: a whole number ≥ 1 and ≤ 100000, not true or false"):
        load_experiment(path)


def test_numpy_number_from_a_sampler_is_shown_plain_and_blamed_on_the_override():
    with pytest.raises(ScenarioError) as info:
        load_scenario("kepahiang_pilkada2024", {"officials.team_size": np.float64(1.3333)})
    message = str(info.value)
    assert message == "override officials.team_size=1.3333: field `officials.team_size`: got 1.3333; allowed: a whole number", message


def test_numpy_number_given_to_run_names_the_keyword():
    from experiments.runner import run

    with pytest.raises(ScenarioError) as info:
        run("kepahiang_pilkada2024", seed=1, officials__team_size=np.float64(1.3333))
    message = str(info.value)
    assert message.startswith("run(officials__team_size=1.3333): field `officials.team_size`: got 1.3333;"), message
    assert "np.float64" not in message and "library" not in message


def test_lhs_sample_for_an_integer_field_names_the_experiment_file(tmp_path, mini):
    path = tmp_path / "exp.toml"
    path.write_text(EXPERIMENT.format(scenario=mini.name) + '[lhs]\nsamples = 2\n[lhs.ranges]\n"officials.team_size" = [1.2, 1.4]\n', encoding="utf-8")
    with pytest.raises(ExperimentError) as info:
        build_tasks(*load_experiment(path))
    message = str(info.value)
    assert message.startswith(f"{path}: design point 0"), message
    assert "field `officials.team_size`" in message and "np." not in message and "allowed: a whole number" in message


# --------------------------------------------------------------------------- 4. no unused dependency


def test_tqdm_is_not_a_declared_dependency_and_nothing_imports_it():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    assert not [d for d in deps if re.match(r"tqdm\b", d, re.I)]
    for folder in ("siaga", "scenarios", "simulation", "agents", "experiments", "common"):
        for path in (ROOT / folder).rglob("*.py"):
            assert not re.search(r"^\s*(import|from)\s+tqdm\b", path.read_text(encoding="utf-8"), re.M), path


# --------------------------------------------------------------------------- 5. no import cycle


def _imports(path: Path) -> tuple[set[str], list[str]]:
    """(modules imported at the top of `path`, modules imported inside a function)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {n.module for n in tree.body if isinstance(n, ast.ImportFrom) and n.module}
    inner = [n.module for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)
             for n in ast.walk(f) if isinstance(n, ast.ImportFrom) and n.module]
    return top, inner


def test_loader_and_budget_do_not_import_each_other():
    import scenarios
    import scenarios.budget
    import scenarios.errors
    import scenarios.loader

    loader_top, loader_inner = _imports(ROOT / "scenarios" / "loader.py")
    budget_top, budget_inner = _imports(ROOT / "scenarios" / "budget.py")
    assert "scenarios.loader" not in budget_top and not budget_inner
    assert "scenarios.budget" in loader_top and not [m for m in loader_inner if m.startswith("scenarios")]
    assert scenarios.ScenarioError is scenarios.loader.ScenarioError is scenarios.errors.ScenarioError
    assert scenarios.budget.ScenarioError is scenarios.errors.ScenarioError


# --------------------------------------------------------------------------- 6. a fast `siaga --help`

HEAVY = ("simulation.model", "mesa", "pandas", "matplotlib", "experiments.engine", "experiments.runner", "solara", "dask",
         "distributed", "SALib", "numpy", "scipy", "rich", "pydantic")


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"], ["experiment", "--help"], ["experiment", "run", "--help"], ["scenarios", "--help"]])
def test_help_imports_nothing_heavy(argv):
    code = (
        "import sys, contextlib, io\n"
        "import siaga.cli as cli\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        f"        cli.main({argv!r})\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "[]", f"`siaga {' '.join(argv)}` imported {res.stdout.strip()}"


def test_a_key_named_like_a_pydantic_step_is_still_named(tmp_path):
    """Found by the fuzz test: a key that starts with "function-" was dropped from the error's
    location as if it were one of pydantic's validator steps, and the message crashed."""
    path = tmp_path / "s.toml"
    path.write_text('extends = "kepahiang_pilkada2024"\n"function-" = 1\n[dynamics.tension]\n"function-x" = 2\n', encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "field `function-` (line 2)" in str(err.value)
    assert "field `dynamics.tension.function-x` (line 4)" in str(err.value)
