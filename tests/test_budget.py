"""The memory budget (scenarios/budget.py): regions too large for this machine are refused up front
with an estimate, at load, for every experiment design point, and before any run table is built."""

from __future__ import annotations

import pytest
from scenario_files import BASE, error_of, write

from scenarios import ScenarioError, load_dict, load_scenario
from scenarios.synthetic import synthetic_scenario
from simulation.model import SiagaModel

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
