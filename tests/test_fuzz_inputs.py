"""Fuzzing scenario and experiment files: every malformed or extreme file loads or is refused clearly.

Hypothesis generates 10,000 files (`PLANNED`; each test asserts that it really ran its share)
from real, valid seeds: a compact scenario, a synthetic-region scenario, the library's
kepahiang_pilkada2024 variants and tests/data/mini_region.toml, and the mini experiment. It
mutates them (wrong types, nan/inf, negatives, zero, huge numbers, empty tables, unicode, NUL and
right-to-left names, code-looking strings, unknown keys), garbles the text (truncation, duplicate
keys, stray bytes, deep nesting, invalid UTF-8) and builds `extends`/`scenario` chains (cycles,
too deep, missing, absolute and `../..` paths outside, /dev/zero, /etc/passwd, folders, FIFOs,
symbolic links out, oversized files). Each file goes through the real entry points in-process:
`siaga scenarios validate FILE` (`siaga.cli.main`) and an experiment's validation (`load_experiment`
+ `build_tasks`, what `siaga experiment run` does before any run). Every one must either load, or
be refused with exit status 2 / a ScenarioError whose first line names the file and a field (or
says the file itself is unreadable, not TOML, too large or nested too deeply), with no traceback.
A hang is caught by a CPU-time limit (and blocking by a check that CPU time still advances), so
that a slow or loaded machine cannot fail the test; a memory blow-up by an address-space limit and a peak-RSS check, and
reading a file outside the allowed folders by an audit hook.

Deterministic (`derandomize=True`, no example database). About 70 s on the 2-core development
machine (63 s of CPU), most of it in validating the files, not in generating them.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import tempfile
from collections import Counter
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pytest
from fuzzing import (  # the generators and the harness
    COMPACT,
    EXPERIMENT,
    LIBRARY_NAMES,
    MUST_REFUSE,
    OPENED,
    OUTCOMES,
    RECORDING,
    SCENARIO_SEEDS,
    SYNTHETIC,
    TARGETS,
    WEIGHTED_SEEDS,
    build_target,
    check_reads,
    experiment_case,
    garbled_text,
    mutated_document,
    on_alarm,
    on_cpu_limit,
    toml_value,
    validate_cli,
    validate_experiment,
    vm_bytes,
    write_text,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import siaga.cli as cli

# examples per test; their sum is the number of files fuzzed (at least 10,000, checked below)
N_SCENARIO_VALUES = 2000
N_SCENARIO_TEXT = 3500
N_EXTENDS = 2500
N_EXPERIMENT = 2000
PLANNED = N_SCENARIO_VALUES + N_SCENARIO_TEXT + N_EXTENDS + N_EXPERIMENT
COUNTS: Counter[str] = Counter()
FUZZ = settings(
    derandomize=True,
    database=None,
    deadline=None,  # the alarm below guards hangs; timing varies too much on a shared machine
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example],
)


@pytest.fixture(scope="module", autouse=True)
def guards():
    """A fixed memory limit (deterministic budget refusals), an address-space cap, a fast CLI."""
    old_env = os.environ.get("SIAGA_MEMORY_LIMIT")
    os.environ["SIAGA_MEMORY_LIMIT"] = "4GiB"
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    vm = vm_bytes()
    cap = vm + 3 * 2**30 if vm else resource.RLIM_INFINITY
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    old_handler = signal.signal(signal.SIGALRM, on_alarm)
    old_prof = signal.signal(signal.SIGPROF, on_cpu_limit)
    real_parser = cli.build_parser
    cli.build_parser = lru_cache(maxsize=1)(real_parser)  # parsing is the same; building it 10,000 times is not
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        yield
    finally:
        cli.build_parser = real_parser
        signal.signal(signal.SIGALRM, old_handler)
        signal.signal(signal.SIGPROF, old_prof)
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        if old_env is None:
            os.environ.pop("SIAGA_MEMORY_LIMIT", None)
        else:
            os.environ["SIAGA_MEMORY_LIMIT"] = old_env
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024  # KiB on Linux
    print(f"\nfuzzed {sum(COUNTS.values()):,} files {dict(COUNTS)}; outcomes {dict(OUTCOMES)}; peak RSS grew {grown:.0f} MiB")
    assert grown < 1024, f"peak RSS grew by {grown:.0f} MiB while fuzzing (measured: ~60 MiB)"


@pytest.fixture(scope="module")
def scratch():
    """Where the examples' files go: memory-backed /dev/shm when there is one (thousands of small
    files and folders; a disk makes this the slowest part), removed at the end."""
    shm = Path("/dev/shm")
    root = Path(tempfile.mkdtemp(prefix="siaga-fuzz-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None))
    yield root
    shutil.rmtree(root, ignore_errors=True)


def fresh(root: Path, label: str) -> Callable[[], Path]:
    """A new empty folder for each example (files from one example never leak into the next)."""
    root = root / label
    counter = iter(range(10**9))

    def make() -> Path:
        folder = root / f"e{next(counter)}" / "user"
        folder.mkdir(parents=True)
        return folder

    return make


# --------------------------------------------------------------------------- the fuzz tests


def test_seeds_are_valid(tmp_path):
    """The generators start from valid files, so the mutations, not the seeds, are what is refused."""
    for name, text, _ in SCENARIO_SEEDS:
        path = write_text(tmp_path, f"{name}.toml", text)
        assert validate_cli(path, [path.name]) == "ok", name
    write_text(tmp_path, "seed.toml", COMPACT)
    assert validate_experiment(write_text(tmp_path, "exp.toml", EXPERIMENT), ["exp.toml"]) == "ok"
    assert PLANNED >= 10_000


def test_fuzz_scenario_values(scratch):
    folder = fresh(scratch, "values")()  # one folder, the file overwritten by each example

    @settings(FUZZ, max_examples=N_SCENARIO_VALUES)
    @given(data=st.data())
    def run(data):
        name, seed = data.draw(st.sampled_from(WEIGHTED_SEEDS))
        text = data.draw(mutated_document(seed))
        path = write_text(folder, "scenario.toml", text)
        validate_cli(path, ["scenario.toml", *LIBRARY_NAMES])
        COUNTS["scenario values"] += 1

    run()
    assert COUNTS["scenario values"] >= N_SCENARIO_VALUES


def test_fuzz_scenario_text(scratch):
    folder = fresh(scratch, "text")()

    @settings(FUZZ, max_examples=N_SCENARIO_TEXT)
    @given(raw=garbled_text())
    def run(raw):
        path = folder / "garbled.toml"
        path.write_bytes(raw)
        validate_cli(path, ["garbled.toml", *LIBRARY_NAMES])
        COUNTS["scenario text"] += 1

    run()
    assert COUNTS["scenario text"] >= N_SCENARIO_TEXT


def test_fuzz_extends_chains(scratch):
    new_folder = fresh(scratch, "extends")

    @settings(FUZZ, max_examples=N_EXTENDS)
    @given(kind=st.sampled_from(TARGETS), seed=st.sampled_from(["compact", "synthetic"]), tweak=st.sampled_from(["", "seed = 3\n", "days = 0\n", "[network]\nkin_degree = nan\n", "oops = 1\n", "extends = 1\n"]), n=st.integers(0, 10**6))
    def run(kind, seed, tweak, n):
        folder = new_folder()
        body = COMPACT if seed == "compact" else SYNTHETIC
        ref, files = build_target(kind, folder, body)
        top = folder / "scenario.toml"
        head = "" if "extends" in tweak else f"extends = {toml_value(ref)}\n"
        top.write_text(head + tweak + f'description = "example {n}"\n', encoding="utf-8")
        names = ["scenario.toml", *(f.name for f in files), *LIBRARY_NAMES]
        OPENED.clear()
        RECORDING[0] = True
        try:
            result = validate_cli(top, names)
        finally:
            RECORDING[0] = False
        check_reads([folder])
        if kind in MUST_REFUSE and "extends" not in tweak:
            assert result != "ok", f"{kind}: {ref!r} was accepted"
            if kind not in ("library_typo", "missing"):
                assert "`extends`" in result.splitlines()[0], result
        COUNTS["extends"] += 1

    try:
        run()
    finally:
        RECORDING[0] = False
    assert COUNTS["extends"] >= N_EXTENDS


def test_fuzz_experiment_files(scratch):
    new_folder = fresh(scratch, "experiments")

    @settings(FUZZ, max_examples=N_EXPERIMENT)
    @given(case=experiment_case(), seed=st.sampled_from(["compact", "synthetic"]))
    def run(case, seed):
        text, kind = case
        folder = new_folder()
        body = COMPACT if seed == "compact" else SYNTHETIC
        write_text(folder, "seed.toml", body)
        files: list[Path] = []
        if kind != "seed" and '"scenario" = "seed.toml"' in text:
            ref, files = build_target(kind, folder, body)
            if kind == "self":
                ref = "exp.toml"
            text = text.replace('"scenario" = "seed.toml"', f'"scenario" = {toml_value(ref)}')
        path = write_text(folder, "exp.toml", text)
        names = ["exp.toml", "seed.toml", *(f.name for f in files), *LIBRARY_NAMES]
        OPENED.clear()
        RECORDING[0] = True
        try:
            result = validate_experiment(path, names)
        finally:
            RECORDING[0] = False
        check_reads([folder])
        if kind in MUST_REFUSE and kind not in ("integer", "list", "self"):
            assert result != "ok", f"{kind} was accepted"
        COUNTS["experiment"] += 1

    try:
        run()
    finally:
        RECORDING[0] = False
    assert COUNTS["experiment"] >= N_EXPERIMENT
