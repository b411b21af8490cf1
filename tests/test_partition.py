"""A region's state can be cut by kabupaten and put back exactly (simulation/partition.py)."""

from __future__ import annotations

import copy

import numpy as np

from scenarios import load_scenario
from simulation.model import SiagaModel
from simulation.partition import join, kabupaten_codes, split
from simulation.population import PERSON_FIELDS


def two_kabupaten_scenario() -> dict:
    """The default scenario's villages dealt over two kabupaten (codes 17.08 and 17.09)."""
    data = load_scenario("kepahiang_pilkada2024").model_dump(mode="json")
    kec = data["region"]["kecamatan"][0]
    second = copy.deepcopy(kec)
    second["code"], second["name"] = "17.09.01", "Kecamatan Lain"
    second["villages"] = kec["villages"][::2]
    for i, v in enumerate(second["villages"]):
        v["code"] = f"17.09.01.{2001 + i}"
    kec["villages"] = kec["villages"][1::2]
    kec["seat"] = second["seat"] = None  # the real seat went to one half: each half takes its own central one
    data["region"]["kecamatan"] = [kec, second]
    return data


def test_kabupaten_codes_come_from_the_kecamatan_codes():
    m = SiagaModel(two_kabupaten_scenario(), seed=1, days=1)
    codes = kabupaten_codes(m.region)
    assert set(codes) == {"17.08", "17.09"}
    assert [c for c, k in zip(codes, m.region.kecamatan) if k == 1] == ["17.09"] * int((m.region.kecamatan == 1).sum())


def test_split_and_join_give_back_the_same_state_after_some_days():
    m = SiagaModel(two_kabupaten_scenario(), seed=3, policy="joint", days=100)
    m.run()
    parts = split(m.people, m.villages, kabupaten_codes(m.region))
    assert [p.code for p in parts] == ["17.08", "17.09"]
    assert sum(p.people.n for p in parts) == m.people.n
    for p in parts:  # each part is self-contained: its villagers live in its villages
        assert p.people.village.min() == 0 and p.people.village.max() == len(p.villages) - 1
        assert np.array_equal(p.people.village_size, m.people.village_size[p.villages])
        assert np.array_equal(p.state.incidents, m.villages.incidents[p.villages])
    people, villages = join(parts)
    for f in PERSON_FIELDS:
        assert np.array_equal(getattr(people, f), getattr(m.people, f)), f
    assert np.array_equal(people.village_start, m.people.village_start)
    for name, value in vars(m.villages).items():
        if isinstance(value, np.ndarray):
            assert np.array_equal(getattr(villages, name), value), name
        else:
            assert getattr(villages, name) == value, name


def test_a_part_is_a_copy_not_a_view():
    m = SiagaModel("kepahiang_pilkada2024", seed=1, days=1)
    (part,) = split(m.people, m.villages, kabupaten_codes(m.region))
    part.people.tension[:] = 0.99
    part.state.presence[:] = 7
    assert not np.any(m.people.tension == np.float32(0.99))
    assert not np.any(m.villages.presence == 7)


def test_any_labelling_of_villages_round_trips():
    """Parts need not be contiguous: villages dealt alternately to three parts come back in order."""
    m = SiagaModel("kepahiang_pilkada2024", seed=2, policy="kades_early", days=95)
    m.run()
    labels = [("a", "b", "c")[v % 3] for v in range(m.region.n_villages)]
    people, villages = join(split(m.people, m.villages, labels))
    for f in PERSON_FIELDS:
        assert np.array_equal(getattr(people, f), getattr(m.people, f)), f
    assert np.array_equal(villages.alert_level, m.villages.alert_level)
    assert villages.mediators == m.villages.mediators
