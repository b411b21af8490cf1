"""The random streams' fast path (simulation/rng.py) must make exactly the generator numpy's own
`SeedSequence(entropy, spawn_key=key)` makes: it assembles numpy's entropy words itself to save
time, so a numpy release that assembled them differently would change every run silently. This
test is the tripwire."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from simulation.rng import STREAMS, Streams

KEY = st.integers(0, 2**40)


def reference(root: np.random.SeedSequence, name: str, day: int | None, *sub: int) -> np.random.Generator:
    key = (*root.spawn_key, STREAMS.index(name), 0 if day is None else day + 1, *sub)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))


@settings(max_examples=100, deadline=None)
@given(
    entropy=st.integers(0, 2**128),
    spawn=st.lists(st.integers(0, 2**33), max_size=3),
    name=st.sampled_from(STREAMS),
    day=st.one_of(st.none(), st.integers(0, 400)),
    sub=st.lists(KEY, max_size=3),
)
def test_fast_generator_equals_numpys(entropy, spawn, name, day, sub):
    root = np.random.SeedSequence(entropy, spawn_key=tuple(spawn))
    fast = Streams(root).generator(name, day, *sub)
    assert fast.bit_generator.state == reference(root, name, day, *sub).bit_generator.state


def test_a_plain_seed_and_the_daily_streams_match_numpy():
    s = Streams(20241127)
    s.start_day(5)
    got = s.hoax.random(4)
    want = reference(np.random.SeedSequence(20241127), "hoax", 5).random(4)
    assert np.array_equal(got, want)
