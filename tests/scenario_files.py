"""Writing and loading scenario files in tests: shared by the scenario test modules."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import ScenarioError, load_scenario

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
