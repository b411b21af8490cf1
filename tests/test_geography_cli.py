"""`siaga scenarios find`: the code of any region of Indonesia, from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

SIAGA = [sys.executable, "-m", "siaga.cli"]
ROOT = Path(__file__).resolve().parents[1]


def siaga(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([*SIAGA, *args], capture_output=True, text=True, timeout=120, cwd=cwd)


def _lines(stdout: str) -> list[list[str]]:
    return [line.split() for line in stdout.splitlines()[1:]]


def test_find_sampang_lists_the_kabupaten_and_its_kecamatan(tmp_path):
    res = siaga("scenarios", "find", "sampang", cwd=tmp_path)  # from any folder: no ../shared, no repo files
    assert res.returncode == 0, res.stderr
    lines = res.stdout.splitlines()
    assert "'sampang'" in lines[0]
    assert lines[1].split()[:4] == ["35.27", "kabupaten", "Kabupaten", "Sampang"] and lines[1].rstrip().endswith("Jawa Timur")
    kec = next(line for line in lines if line.split()[0] == "35.27.03")
    assert "kecamatan" in kec and "Sampang" in kec and kec.rstrip().endswith("Jawa Timur / Kabupaten Sampang")


def test_find_level_in_and_limit():
    res = siaga("scenarios", "find", "sampang", "--level", "kecamatan", "--in", "35")
    assert res.returncode == 0, res.stderr
    assert [row[0] for row in _lines(res.stdout)] == ["35.27.03"]
    res = siaga("scenarios", "find", "35.27", "--limit", "3")
    assert [row[0] for row in _lines(res.stdout)] == ["35.27", "35.27.01", "35.27.02"]
    assert "--limit 0 shows all" in res.stdout.splitlines()[0]
    res = siaga("scenarios", "find", "35.27", "--limit", "0")
    assert len(_lines(res.stdout)) == int(res.stdout.split()[0])


def test_find_bad_input_gets_a_message_not_a_traceback():
    res = siaga("scenarios", "find", "sampang", "--in", "11.1")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "11.10" in res.stderr and "read codes as text" in res.stderr
    res = siaga("scenarios", "find", "zzzqqqxx")
    assert res.returncode == 1 and "no unit matches 'zzzqqqxx'" in res.stderr
    res = siaga("scenarios", "find", "sampang", "--level", "kabupaten/kota")
    assert res.returncode == 2 and "invalid choice" in res.stderr


def test_find_is_in_the_help():
    res = siaga("scenarios", "--help")
    assert "find" in res.stdout and "siaga scenarios find sampang" in res.stdout
    res = siaga("scenarios", "find", "--help")
    assert res.returncode == 0 and "--level" in res.stdout and "--in CODE" in res.stdout


def test_the_command_line_still_starts_without_the_geography():
    code = "import json, sys, siaga.cli; siaga.cli.build_parser(); print(json.dumps(sorted(m for m in ('geography', 'pandas', 'shapely') if m in sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == []
