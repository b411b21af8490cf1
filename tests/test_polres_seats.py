"""Each kabupaten's Polres seat (simulation/region.py `_polres_seats`, docs/ODD.md §7.13a) against
the full capital rules of scenarios/seats.py, on the province scenario of the library."""

from __future__ import annotations

import numpy as np

from scenarios.loader import load_scenario
from scenarios.seats import capital_kecamatan
from simulation.region import build_region


def test_kalsel_polres_seats_are_in_each_kabupatens_capital_kecamatan():
    r = build_region(load_scenario("kalsel_pilkada2020"), np.random.default_rng(0))
    assert len(r.kabupaten_codes) == 13
    got = [r.kecamatan_codes[r.kecamatan[int(s)]] for s in r.polres_seats]
    assert got == [capital_kecamatan(k)[0] for k in r.kabupaten_codes]
    assert int(r.polres_seat) == int(r.polres_seats[r.kabupaten_codes.index("63.72")])  # Banjarbaru: the Polda's
