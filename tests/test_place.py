"""`region.place` (a region too large for a scenario file, filled in from the geography by the
loader) and `region.sampling` (one villager agent per N people): docs/REGIONS.md §9, ODD §2.1a."""

from __future__ import annotations

import tomllib

import numpy as np
import pytest

from scenarios import ScenarioError, load_scenario
from scenarios.budget import estimate
from scenarios.new import build
from scenarios.sampling import agents_for
from scenarios.synthetic import synthetic_scenario
from siaga import SiagaModel

SAMPANG = "35.27"  # 186 villages, 14 kecamatan


def _place(*codes: str, **region) -> dict:
    return {"extends": "kepahiang_pilkada2024", "name": "by place", "region": {"name": "by place", "place": list(codes), **region}}


def test_a_place_is_the_region_scenarios_new_writes():
    written = load_scenario(tomllib.loads(build(SAMPANG).text))
    by_place = load_scenario(_place(SAMPANG))
    assert by_place.region.polres_seat == written.region.polres_seat
    assert [k.model_dump() for k in by_place.region.kecamatan] == [k.model_dump() for k in written.region.kecamatan]


def test_several_places_and_what_the_scenario_had_before_is_replaced():
    scn = load_scenario(_place("17.08.04", "35.27.01"))  # the default scenario's own kecamatan are replaced
    assert [k.code for k in scn.region.kecamatan][0] == "17.08.04" and scn.region.kecamatan[-1].code == "35.27.01"
    assert scn.region.polres_seat.startswith("17.08")


def test_an_unknown_place_is_a_clear_error():
    with pytest.raises(ScenarioError, match=r"region\.place.*99"):
        load_scenario(_place("99.99"))
    with pytest.raises(ScenarioError, match=r"region\.place.*list of Kepmendagri codes"):
        load_scenario({**_place(), "region": {"name": "x", "place": "35.27"}})


def test_agents_per_village_at_a_sampling():
    assert agents_for(1234, 1) == 1234
    assert agents_for(1234, 100) == 12 and agents_for(1250, 100) == 12 and agents_for(1251, 100) == 13
    assert agents_for(30, 100) == 1  # every village keeps at least one agent


def test_sampling_divides_every_village_and_the_memory_estimate():
    full = synthetic_scenario(2000, days=3)
    m1 = SiagaModel(full, seed=1)
    data = synthetic_scenario(2000, days=3)
    data["region"]["sampling"] = 10
    m10 = SiagaModel(data, seed=1)
    np.testing.assert_array_equal(m10.region.population, [agents_for(int(p), 10) for p in m1.region.population])
    assert m10.people.n == int(m10.region.population.sum()) < m1.people.n
    assert estimate(load_scenario(data)).villagers == m10.people.n
    m10.run()  # and it runs


def test_a_place_at_a_sampling_builds_and_runs():
    m = SiagaModel(_place(SAMPANG, sampling=50), seed=1, days=3)
    people = sum(v.population for k in m.spec.region.kecamatan for v in k.villages)
    assert m.people.n == sum(agents_for(v.population, 50) for k in m.spec.region.kecamatan for v in k.villages)
    assert people / 60 < m.people.n < people / 40
    m.run()


@pytest.mark.slow
def test_the_national_scenario_validates_with_every_village_of_indonesia():
    """benchmarks/indonesia_pilkada2024.toml: all 83,762 desa/kelurahan of 514 kab/kota, each its
    own race, one agent per 100 people (its run is measured in benchmarks/README.md)."""
    from pathlib import Path

    from scenarios.budget import estimate

    scn = load_scenario(Path(__file__).parents[1] / "benchmarks" / "indonesia_pilkada2024.toml")
    villages = [v for k in scn.region.kecamatan for v in k.villages]
    assert len(villages) == 83_762 and len({v.code[:5] for v in villages}) == 514
    assert scn.region.sampling == 100 and scn.calendar.races == "kabupaten"
    assert 280e6 < sum(v.population for v in villages) < 290e6
    assert 2.8e6 < estimate(scn).villagers < 2.9e6
