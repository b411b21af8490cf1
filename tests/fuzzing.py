"""The fuzz tests' toolkit (tests/test_fuzz_inputs.py): valid seed files, the hypothesis
strategies that damage them, the `extends` targets (inside, outside, devices, links), the
in-process entry points with their hang alarm, and the audit hook that records every file opened.

Kept apart from the tests so that the test module reads as what is fuzzed and what must hold.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import math
import os
import re
import signal
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

import siaga.cli as cli
from experiments.design import build_tasks
from experiments.spec import load_experiment
from scenarios import ScenarioError
from scenarios.loader import MAX_EXTENDS_DEPTH, MAX_FILE_BYTES, library_dir

DATA = Path(__file__).parent / "data"
LIBRARY = library_dir().resolve()
OUTCOMES: Counter[str] = Counter()

# A hang is judged by work done, not by the clock, so that a loaded machine cannot fail the test:
HANG_CPU_SECONDS = 10  # CPU time on one file (SIGPROF); the slowest valid one takes ~0.1 s of CPU
STALL_SECONDS = 60  # a wall-clock check: (almost) no CPU time used since the last one means blocked (a FIFO)
STALL_CPU_SHARE = 0.02  # "almost no": under 2% of the interval (a slow but working file uses far more)

# --------------------------------------------------------------------------- seeds

COMPACT = """\
name = "Fuzz seed"
description = "A compact valid scenario"
seed = 7
days = 5

[region]
name = "Seed"
area_km2 = 10.0

[[region.kecamatan]]
code = "K1"
name = "Satu"
villages = [
  { code = "V1", name = "Desa Satu", population = 120, hotspot = true, partisan_split = [0.6, 0.4] },
  { code = "V2", name = "Desa Dua", kind = "kelurahan", population = 80, x_km = 1.5, y_km = -2.0 },
]

[population]
voter_share = 0.7
identity_groups = [{ name = "a", share = 0.6 }, { name = "b", share = 0.4 }]
threshold_mean = 0.25

[network]
kin_degree = 4
online_group_size = 20

[calendar]
start = 2024-11-01
end = 2024-11-10
voting_day = 2024-11-05
result_day = 2024-11-07

[[calendar.stages]]
name = "campaign"
start = 2024-11-01
end = 2024-11-04
contact = 0.3
rallies = true

[[calendar.stages]]
name = "voting"
start = 2024-11-05
end = 2024-11-10

[[candidates]]
name = "A"
expected_share = 0.55
incumbent = true

[[candidates]]
name = "B"
expected_share = 0.45

[officials]
team_size = 5
people_per_police = 606.0

[dynamics.tension]
decay = 0.08

[dynamics.mobilisation]
activation_threshold = 0.3
ratio_rounding = "none"

[mechanisms]
hoax = true

[policy]
presets = ["kades_early"]

[policy.kades]
delay_days = 2
act_level = "WASPADA"
"""

SYNTHETIC = COMPACT[: COMPACT.index("[[region.kecamatan]]")] + """\
[region.synthetic]
kecamatan = 2
villages_per_kecamatan = 3
people_per_village = 50
hotspot_share = 0.2

""" + COMPACT[COMPACT.index("[population]") :].replace("[population]", "[population]", 1)
SYNTHETIC = SYNTHETIC.replace('name = "Fuzz seed"', 'name = "Synthetic fuzz seed"')
SYNTHETIC = re.sub(r"partisan_split = \[[^\]]*\]", "", SYNTHETIC)

EXPERIMENT = """\
name = "Fuzz experiment"
scenario = "seed.toml"
policies = ["none", "kades_early"]
replicates = 2
master_seed = 11
outcomes = ["incidents", "arrests"]
days = 3

[set]
"dynamics.tension.decay" = 0.1

[grid]
"policy.kades.delay_days" = [0, 7]

[lhs]
samples = 1

[lhs.ranges]
"population.threshold_mean" = [0.1, 0.3]
"officials.team_size" = { low = 2, high = 8, integer = true }
"""

# (name, text, weight): the library-based seeds parse the ~30 KiB base file, so they are rarer
SCENARIO_SEEDS = [
    ("compact", COMPACT, 8),
    ("synthetic", SYNTHETIC, 5),
    ("mini_region", (DATA / "mini_region.toml").read_text(encoding="utf-8"), 1),
    ("library_variant", (LIBRARY / "kepahiang_pilkada2024_joint.toml").read_text(encoding="utf-8"), 1),
]
WEIGHTED_SEEDS = [(name, text) for name, text, weight in SCENARIO_SEEDS for _ in range(weight)]

# --------------------------------------------------------------------------- values

CODE_LIKE = [
    "__import__('os').system('touch /tmp/siaga-pwned')",
    "!!python/object/apply:os.system ['id']",
    "{{7*7}}",
    "${HOME}",
    "$(id)",
    "`id`",
    "eval(compile('1','x','exec'))",
    "<script>alert(1)</script>",
    "'; DROP TABLE runs; --",
    "%s%s%s%n",
]
ODD_TEXT = [
    "",
    " ",
    "\u202eevil\u202c",  # right-to-left override
    "مرحبا",
    "🗳️🔥",
    "a\u0000b",
    "\ufeffbom",
    "x" * 5000,
    "Desa\nBaru",
    "ÅÄÖ" * 50,
    "kepahiang_pilkada2024",
    "nan",
    "0.5",
]
EXTREME = [
    float("nan"), float("inf"), float("-inf"), -1, -1.0, 0, 0.0, -0.0, 1, 2, 10**30, -(10**30), 2**31, 2**63,
    2**64, 1e308, -1e308, 5e-324, 1e-12, 0.999999999, 1.000001, True, False, [], {}, [1, 2], [0.5, 0.5],
    {"a": 1}, [[]], [{}], dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.datetime(2024, 11, 27, 7, 0),
    dt.datetime(2024, 11, 27, 7, 0, tzinfo=dt.UTC), dt.time(12, 30),
]
text_values = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
scalars = st.one_of(
    st.sampled_from(EXTREME),
    st.sampled_from(CODE_LIKE + ODD_TEXT),
    st.integers(),
    st.floats(),
    text_values,
    st.booleans(),
)
# copies: a value drawn twice (EXTREME holds lists and dicts) must not become one shared object
values = st.one_of(scalars, st.lists(scalars, max_size=3), st.dictionaries(text_values, scalars, max_size=2)).map(copy.deepcopy)
keys = st.one_of(st.sampled_from(["extends", "name", "kecamatan", "decay", "presets", "", " ", "a.b", "🗳️", "\u202ekey", "__class__", "__init__"]), text_values)


# --------------------------------------------------------------------------- TOML writing


def toml_key(key: str) -> str:
    return toml_value(str(key))


def toml_value(v: Any) -> str:
    """Any value as an inline TOML value (one line); nan and inf as TOML writes them."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(v, (dt.datetime, dt.date, dt.time)):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v))


def dumps(data: dict[str, Any]) -> str:
    return "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in data.items())


def paths_in(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every key path and list position inside a parsed TOML document."""
    out = []
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for k, v in items:
        out.append((*prefix, k))
        out.extend(paths_in(v, (*prefix, k)))
    return out


def set_at(data: Any, path: tuple, value: Any, delete: bool = False) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    if delete:
        del node[path[-1]]
    else:
        node[path[-1]] = value


@st.composite
def mutated_document(draw, seed: str) -> str:
    """A seed parsed, changed 1-3 ways at random places, written back as TOML."""
    data = tomllib.loads(seed)
    for _ in range(draw(st.integers(1, 3))):
        paths = paths_in(data)
        op = draw(st.sampled_from(["set", "set", "set", "delete", "add", "empty", "extends"]))
        if op == "add" or not paths:
            containers = [p for p in paths if isinstance(_get(data, p), dict)] + [()]
            where = draw(st.sampled_from(containers))
            _get(data, where)[draw(keys)] = draw(values)
            continue
        path = draw(st.sampled_from(paths))
        if op == "set":
            set_at(data, path, draw(values))
        elif op == "delete":
            set_at(data, path, None, delete=True)
        elif op == "empty":
            old = _get(data, path)
            set_at(data, path, {} if isinstance(old, dict) else [] if isinstance(old, list) else draw(st.sampled_from(["", 0, {}])))
        else:
            data["extends"] = draw(st.one_of(st.sampled_from(["kepahiang_pilkada2024", "kepahiang_pilkada2042", "", "/etc/passwd", "../../x.toml"]), values))
    return dumps(data)


def _get(data: Any, path: tuple) -> Any:
    for part in path:
        data = data[part]
    return data


# --------------------------------------------------------------------------- running the entry points


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so no `except` in the code under test can swallow it."""


def vm_bytes() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def on_cpu_limit(signum, frame):
    """SIGPROF: the process used HANG_CPU_SECONDS of CPU time on one file (a loop, not a slow machine)."""
    raise Hang(f"more than {HANG_CPU_SECONDS} s of CPU time on one file")


_CPU_AT_LAST_CHECK = [0.0]


def on_alarm(signum, frame):
    """SIGALRM every STALL_SECONDS: a hang only when no CPU time at all was used since the last
    check (blocked on a FIFO or a device): less than STALL_CPU_SHARE of the interval, since waking
    for the signal itself costs a few milliseconds on a loaded machine; a process that is merely
    slow keeps being re-armed.
    The main thread's own CPU time (the handler runs there): a helper thread of pytest-xdist or of
    a library that happens to be busy must not make a blocked file look alive."""
    now = time.thread_time()
    if now - _CPU_AT_LAST_CHECK[0] < STALL_CPU_SHARE * STALL_SECONDS:
        raise Hang(f"blocked: almost no CPU time used in {STALL_SECONDS} s")
    _CPU_AT_LAST_CHECK[0] = now
    signal.alarm(STALL_SECONDS)


@contextlib.contextmanager
def alarm():
    """Guard one file against a loop (CPU time) and against blocking (no progress at all)."""
    _CPU_AT_LAST_CHECK[0] = time.thread_time()
    signal.setitimer(signal.ITIMER_PROF, HANG_CPU_SECONDS)
    signal.alarm(STALL_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.alarm(0)


FILE_REASONS = ("not valid TOML", "cannot be read", "no such file", "nested more than", "nested too deeply", "region size")


def assert_clear(message: str, names: list[str]) -> None:
    """One refusal: first line names one of the files and a field (or a reason about the file)."""
    assert message.strip(), "empty message"
    assert "Traceback" not in message and 'File "' not in message, message
    assert not re.search(r"<[\w.]+ object at 0x[0-9a-f]+>", message), message
    lines = message.strip().splitlines()
    first = lines[0]
    assert any(n in first for n in names), f"the first line names none of {names}: {first!r}"
    if re.search(r": \d+ problem\(s\):$", first):
        assert len(lines) >= 3 and all(line.startswith("  - field `") for line in lines[1:]), message
    else:
        assert "`" in first or any(r in first for r in FILE_REASONS), f"no field named: {first!r}"


def validate_cli(path: Path, names: list[str]) -> str:
    """`siaga scenarios validate PATH` in-process: exit 0 with OK, or exit 2 with a clear message."""
    out, err = io.StringIO(), io.StringIO()
    with alarm(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["scenarios", "validate", str(path)])
    if code == 0:
        assert out.getvalue().startswith("OK: "), out.getvalue()
        OUTCOMES["scenario ok"] += 1
        return "ok"
    assert code == 2, (code, err.getvalue())
    assert err.getvalue().startswith("siaga: "), err.getvalue()
    assert_clear(err.getvalue(), names)
    OUTCOMES["scenario refused"] += 1
    return err.getvalue()


def validate_experiment(path: Path, names: list[str]) -> str:
    try:
        with alarm():
            spec, spec_path = load_experiment(path)
            build_tasks(spec, spec_path)
    except ScenarioError as exc:
        assert_clear(str(exc), names)
        OUTCOMES["experiment refused"] += 1
        return str(exc)
    OUTCOMES["experiment ok"] += 1
    return "ok"


def write_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    return path


LIBRARY_NAMES = [p.name for p in LIBRARY.glob("*.toml")]


@st.composite
def garbled_text(draw) -> bytes:
    """A seed's text damaged as a text editor or a bad copy might."""
    _, seed = draw(st.sampled_from(WEIGHTED_SEEDS))
    text = seed
    for _ in range(draw(st.integers(1, 3))):
        op = draw(st.sampled_from(["truncate", "duplicate", "insert", "number", "nest", "inline", "crlf", "delete"]))
        lines = text.splitlines(keepends=True) or [""]
        i = draw(st.integers(0, len(lines) - 1))
        if op == "truncate":
            text = text[: draw(st.integers(0, len(text)))]
        elif op == "duplicate":  # a real duplicate key (or table header)
            lines.insert(i, lines[i].replace("= ", "= ", 1))
            text = "".join(lines)
        elif op == "insert":
            lines.insert(i, draw(st.one_of(text_values, st.sampled_from(["[", "]]", "= 1", "a = ", "[a]\n[a]", "x = 1\nx = 2", '"""', "'''", "\\", "#"]))) + "\n")
            text = "".join(lines)
        elif op == "number":
            repl = draw(st.sampled_from(["nan", "inf", "-inf", "+nan", "1e999", "-0", "0x10", "1_000", "00", "1e-400", "99999999999999999999999", "-9223372036854775809", "0.", ".5", "true"]))
            text = re.sub(r"(?<=[= ])-?\d+(\.\d+)?(?=\s*(,|\n|}|]))", repl, text, count=draw(st.integers(1, 3)))
        elif op == "nest":
            depth = draw(st.sampled_from([2, 31, 33, 200, 5000, 100_000]))
            text += f"\ndeep = {'[' * depth}{']' * depth}\n"
        elif op == "inline":
            depth = draw(st.sampled_from([3, 33, 600, 3000]))
            text += "\nnested = " + "{ a = " * depth + "1" + " }" * depth + "\n"
        elif op == "crlf":
            text = text.replace("\n", "\r\n")
        else:
            del lines[i]
            text = "".join(lines)
    raw = text.encode("utf-8")
    if draw(st.integers(0, 9)) == 0:  # invalid UTF-8, a BOM or a NUL byte somewhere
        pos = draw(st.integers(0, len(raw)))
        raw = raw[:pos] + draw(st.sampled_from([b"\xff\xfe", b"\xc3", b"\x00", b"\xef\xbb\xbf", b"\x80abc"])) + raw[pos:]
    return raw


# --------------------------------------------------------------------------- extends chains

OPENED: list[str] = []
RECORDING = [False]


def _audit(event: str, args: tuple) -> None:
    if RECORDING[0] and event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        OPENED.append(os.fsdecode(args[0]))


sys.addaudithook(_audit)

# what an `extends` (or an experiment's `scenario`) can point at; "outside" ones must be refused
TARGETS = [
    "library", "library_typo", "missing", "sibling", "subfolder", "chain", "cycle", "self", "too_deep",
    "parent_escape", "absolute_outside", "symlink_outside", "symlink_dev_zero", "dev_zero", "etc_passwd",
    "proc_environ", "folder", "fifo", "huge", "unicode_name", "nul", "long", "empty", "not_toml", "home",
    "url", "integer", "list",
]
MUST_REFUSE = {
    "library_typo", "missing", "cycle", "self", "too_deep", "parent_escape", "absolute_outside", "symlink_outside",
    "symlink_dev_zero", "dev_zero", "etc_passwd", "proc_environ", "folder", "fifo", "huge", "nul", "long", "empty",
    "not_toml", "home", "url", "integer", "list",
}
FORBIDDEN_READS = ("/dev/zero", "/etc/passwd", "/proc/self/environ")


def build_target(kind: str, folder: Path, body: str) -> tuple[Any, list[Path]]:
    """Make what `kind` points at under `folder` (the user's folder); return the reference and the
    files an honest loader may name. `body` is a valid scenario body without `extends`."""
    outside = folder.parent.parent / "outside"  # two levels up: outside the user's folder
    secret = outside / "secret.toml"
    if kind in ("parent_escape", "absolute_outside", "symlink_outside") and not secret.exists():
        outside.mkdir(exist_ok=True)
        secret.write_text(body, encoding="utf-8")
    if kind == "library":
        return "kepahiang_pilkada2024", []
    if kind == "library_typo":
        return "kepahiang_pilkada2042", []
    if kind == "missing":
        return "nowhere.toml", []
    if kind in ("sibling", "unicode_name"):
        name = "base.toml" if kind == "sibling" else "dasar_🗳️_\u202eأساس.toml"
        write_text(folder, name, body)
        return name, [folder / name]
    if kind == "subfolder":
        (folder / "sub").mkdir()
        write_text(folder / "sub", "base.toml", body)
        return "sub/base.toml", [folder / "sub" / "base.toml"]
    if kind in ("chain", "too_deep", "cycle"):
        n = MAX_EXTENDS_DEPTH - 2 if kind == "chain" else MAX_EXTENDS_DEPTH + 2 if kind == "too_deep" else 3
        files = [folder / f"link{i}.toml" for i in range(n)]
        for i, f in enumerate(files):
            nxt = f'extends = "link{i + 1}.toml"\n' if i + 1 < n else ('extends = "link0.toml"\n' if kind == "cycle" else "")
            f.write_text(nxt + (body if i + 1 == n else f'description = "link {i}"\n'), encoding="utf-8")
        return "link0.toml", files
    if kind == "self":
        return "scenario.toml", []
    if kind == "parent_escape":
        return "../../outside/secret.toml", [secret]
    if kind == "absolute_outside":
        return str(secret), [secret]
    if kind == "symlink_outside":
        (folder / "link.toml").symlink_to(secret)
        return "link.toml", [folder / "link.toml", secret]
    if kind == "symlink_dev_zero":
        (folder / "zero.toml").symlink_to("/dev/zero")
        return "zero.toml", [folder / "zero.toml"]
    if kind == "dev_zero":
        return "/dev/zero", []
    if kind == "etc_passwd":
        return "/etc/passwd", []
    if kind == "proc_environ":
        return "/proc/self/environ", []
    if kind == "folder":
        (folder / "dir.toml").mkdir()
        return "dir.toml", [folder / "dir.toml"]
    if kind == "fifo":
        os.mkfifo(folder / "pipe.toml")
        return "pipe.toml", [folder / "pipe.toml"]
    if kind == "huge":
        with open(folder / "huge.toml", "wb") as fh:
            fh.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
        return "huge.toml", [folder / "huge.toml"]
    if kind == "nul":
        return "base\x00.toml", []
    if kind == "long":
        return "a" * 5000 + ".toml", []
    if kind == "empty":
        return "", []
    if kind == "not_toml":
        write_text(folder, "notes.txt", body)
        return "notes.txt", [folder / "notes.txt"]
    if kind == "home":
        return "~/.bashrc", []
    if kind == "url":
        return "file:///etc/passwd", []
    if kind == "integer":
        return 42, []
    return ["a.toml", "b.toml"], []


def check_reads(allowed: list[Path]) -> None:
    """Every file opened while loading lies in the user's folder, the library or Python's own files."""
    roots = [p.resolve() for p in allowed] + [LIBRARY, Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]
    for opened in OPENED:
        assert opened not in FORBIDDEN_READS, f"read {opened}"
        if opened.endswith((".py", ".pyc")):  # a module imported on first use
            continue
        real = Path(opened).resolve()
        assert any(real == r or r in real.parents for r in roots), f"read {real}, outside {roots}"


# --------------------------------------------------------------------------- experiment files


@st.composite
def experiment_case(draw) -> tuple[str, str]:
    """(experiment text, kind of `scenario` target)."""
    data = tomllib.loads(EXPERIMENT)
    kind = draw(st.sampled_from(["seed"] * 6 + TARGETS))
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["set", "set", "delete", "add", "grid", "big"]))
        paths = paths_in(data)
        if op == "set" and paths:
            set_at(data, draw(st.sampled_from(paths)), draw(values))
        elif op == "delete" and paths:
            set_at(data, draw(st.sampled_from(paths)), None, delete=True)
        elif op == "add":
            data[draw(keys)] = draw(values)
        elif op == "grid":  # a factor over the region's size, as a scale study would
            data.setdefault("grid", {})
            if isinstance(data["grid"], dict):
                data["grid"][draw(st.sampled_from(["region.synthetic.people_per_village", "region.synthetic.kecamatan", "network.kin_degree", "days", "region", "region.synthetic", "policy.presets", "x.y.z"]))] = draw(st.lists(values, min_size=0, max_size=3))
        else:  # sizes that multiply into an enormous run table
            data["replicates"] = draw(st.sampled_from([1, 3, 10**5, 10**9]))
            size = draw(st.sampled_from([1, 2, 400]))  # 400 x 400 points is refused before any is built
            data["grid"] = {f"dynamics.tension.decay{'' if i == 0 else '_' + str(i)}": [0.1] * size for i in range(draw(st.integers(2, 4)))}
    return dumps(data), kind
