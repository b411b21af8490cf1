"""docs/FIRST_HOUR.md, step by step: every command in the guide is run as written, and every number
the guide quotes is checked against what the commands produce.

The guide marks each step's command block with `<!-- step: NAME -->` and each quoted result with
`<!-- expect: FOLDER key=value ... -->` (outcomes of a run) or `<!-- expect-comparison: ... -->`
(an experiment's report); the prose right after a marker must state the same values. Step 1 (a
fresh install) is the README's first command, which `.ci/run` executes in a brand-new virtual
environment; steps 5 and 6 (the web app) are in tests/app/test_first_hour_app.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "FIRST_HOUR.md"
BIN = Path(sys.executable).parent  # the virtual environment's bin/: where `siaga` is installed


def guide_text() -> str:
    return GUIDE.read_text(encoding="utf-8")


def step_commands(name: str) -> list[str]:
    """The command lines of the ```bash block that follows `<!-- step: NAME -->`."""
    m = re.search(rf"<!-- step: {re.escape(name)} -->\s*```bash\n(.*?)```", guide_text(), re.S)
    assert m, f"docs/FIRST_HOUR.md has no command block for step {name!r}"
    return [line for line in m.group(1).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def markers(kind: str) -> list[tuple[dict[str, str], str]]:
    """(key=value pairs, the prose paragraph that follows) for every `<!-- KIND: ... -->` marker."""
    out = []
    for m in re.finditer(rf"<!-- {kind}: (.*?) -->\n(.*?)(?:\n\n|\Z)", guide_text(), re.S):
        words = m.group(1).split()
        pairs = {"folder": words[0], **dict(w.split("=", 1) for w in words[1:])}
        out.append((pairs, m.group(2)))
    return out


def sh(command: str, cwd: Path, timeout: int = 300) -> subprocess.CompletedProcess:
    """Run one line of the guide as a user would after `source .venv/bin/activate`."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COLUMNS": "120"}
    proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"`{command}` failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    assert "Traceback" not in proc.stderr
    return proc


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A user's folder: the guide's relative paths (experiments/examples/...) resolve as in a clone."""
    (tmp_path / "experiments").symlink_to(ROOT / "experiments", target_is_directory=True)
    return tmp_path


def test_the_guide_has_the_six_steps_in_order():
    headings = re.findall(r"^## Step (\d) — (.+)$", guide_text(), re.M)
    assert [int(n) for n, _ in headings] == [1, 2, 3, 4, 5, 6]
    topics = " | ".join(t.lower() for _, t in headings)
    for word in ("install", "default", "lever", "compare", "web app", "workshop"):
        assert word in topics, f"no step about {word!r}: {topics}"


def test_install_step_is_the_readmes_first_command_which_ci_runs_in_a_fresh_venv():
    readme = subprocess.run(["bash", str(ROOT / ".ci" / "readme_commands.sh"), str(ROOT / "README.md")], capture_output=True, text=True, check=True)
    readme_cmds = readme.stdout.splitlines()
    assert len(readme_cmds) == 2, readme_cmds
    assert "siaga run" in readme_cmds[0] and "pytest" in readme_cmds[1]
    assert step_commands("install") == [readme_cmds[0]]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    # CI deletes .venv, then runs exactly the README's two lines (eval), first one first
    assert "rm -rf .venv" in ci
    assert ci.index('eval "${README_CMDS[0]}"') < ci.index('eval "${README_CMDS[1]}"')
    assert ci.index("rm -rf .venv") < ci.index('eval "${README_CMDS[0]}"')


def _check_run_markers(cwd: Path, folders: set[str]) -> None:
    checked = 0
    for pairs, prose in markers("expect"):
        if pairs["folder"] not in folders:
            continue
        outcomes = json.loads((cwd / pairs["folder"] / "outcomes.json").read_text())
        for key, quoted in pairs.items():
            if key == "folder":
                continue
            actual = outcomes[key]
            shown = f"{actual:.0f}" if isinstance(actual, float) else str(actual)
            assert shown == quoted, f"FIRST_HOUR.md quotes {key}={quoted} for {pairs['folder']}, the run gave {shown}"
            assert quoted in prose, f"the prose after the marker does not state {key}={quoted}: {prose!r}"
            checked += 1
    assert checked >= 4 * len(folders), "fewer quoted numbers than expected were checked"


def test_step2_run_default_gives_the_numbers_the_guide_quotes(workdir):
    (cmd,) = step_commands("run-default")
    out = sh(cmd, workdir)
    assert "Incidents" in out.stdout and "Wrote 8 files to hasil" in out.stdout
    for name in ("escalation.png", "village_map.png", "villages.parquet", "events.parquet"):
        assert (workdir / "hasil" / name).stat().st_size > 0, name
    _check_run_markers(workdir, {"hasil"})


def test_step3_change_one_lever(workdir):
    cmds = step_commands("lever")
    assert cmds[0] == "siaga policies"
    listing = sh(cmds[0], workdir).stdout
    assert "kades_early" in listing
    for cmd in cmds[1:]:
        sh(cmd, workdir)
    _check_run_markers(workdir, {"hasil-kades"})
    # the --set example in the prose is a valid command too (checked without writing files)
    example = re.search(r"`(siaga run --policy kades_early --set policy\.kades\.delay_days=5)`", guide_text())
    assert example, "the guide's --set example is gone"
    sh(example.group(1) + " --no-write --quiet --days 5", workdir)


def test_step3_own_scenario_file(workdir):
    for cmd in step_commands("own-scenario"):
        out = sh(cmd, workdir)
    assert out.stdout.startswith("OK: my_kecamatan.toml")
    # the edit the guide suggests: that line exists under [population]; with 0.35 it still validates
    text = (workdir / "my_kecamatan.toml").read_text(encoding="utf-8")
    section = text[text.index("\n[population]") : text.index("\n[", text.index("\n[population]") + 1)]
    assert re.search(r"^threshold_mean = 0\.27\b", section, re.M), "the guide's example line is not in [population]"
    (workdir / "my_kecamatan.toml").write_text(text.replace("threshold_mean = 0.27", "threshold_mean = 0.35", 1), encoding="utf-8")
    assert sh("siaga scenarios validate my_kecamatan.toml", workdir).stdout.startswith("OK:")
    # and a wrong value is named with its line
    (workdir / "my_kecamatan.toml").write_text(text.replace("threshold_mean = 0.27", "threshold_mean = 3.5", 1), encoding="utf-8")
    bad = subprocess.run([str(BIN / "siaga"), "scenarios", "validate", "my_kecamatan.toml"], cwd=workdir, capture_output=True, text=True)
    assert bad.returncode == 2 and "population.threshold_mean" in bad.stderr and "line" in bad.stderr


@pytest.mark.slow
def test_step4_compare_two_policies(workdir):
    (cmd,) = step_commands("compare")
    sh(cmd, workdir, timeout=600)
    ((pairs, prose),) = markers("expect-comparison")
    folder = workdir / pairs["folder"]
    assert (folder / "report" / "report.html").stat().st_size > 0
    table = pd.read_csv(folder / "report" / "comparison.csv")
    inc = table[table.outcome == "incidents"].set_index("policy")
    fmt = lambda x: f"{x:.2f}".replace("-", "−")  # noqa: E731 (the guide prints a real minus sign)
    actual = {
        "none": fmt(inc.loc["none", "mean"]),
        "kades_early": fmt(inc.loc["kades_early", "mean"]),
        "diff": fmt(inc.loc["kades_early", "diff"]),
        "better_seeds": f"{inc.loc['kades_early', 'better'] * inc.loc['kades_early', 'n']:.0f}",
    }
    for key, shown in actual.items():
        assert pairs[key] == shown, f"FIRST_HOUR.md quotes {key}={pairs[key]}, the experiment gave {shown}"
        assert shown in prose, f"the prose does not state {key}={shown}"
    # the interval the guide points to is in the report, and excludes zero
    assert inc.loc["kades_early", "ci_high"] < 0
    assert len(pd.read_parquet(folder / "runs.parquet")) == 12


def test_step5_and_6_commands_are_the_app_commands():
    assert step_commands("app") == ["siaga assets", "siaga ui"]
