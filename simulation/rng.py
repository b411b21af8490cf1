"""One seed, many independent random streams: one per mechanism.

Each mechanism draws from its own `numpy.random.Generator` spawned from the run's SeedSequence,
so switching a mechanism off (or changing how many numbers it draws) never shifts another
mechanism's stream. The order of STREAMS is part of the reproducibility contract: append only.
"""

from __future__ import annotations

import numpy as np

STREAMS: tuple[str, ...] = (
    "layout",
    "population",
    "network",
    "hoax",
    "tension",
    "mobilisation",
    "clashes",
    "arrests",
    "officials",
    "supporters",
    "election",
    "tokoh",
)


class Streams:
    """Named generators derived from one seed; `streams.hoax` is the hoax mechanism's generator."""

    def __init__(self, seed: int | np.random.SeedSequence):
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
        self.seed_sequence = root
        children = root.spawn(len(STREAMS))
        self._gens = {name: np.random.default_rng(child) for name, child in zip(STREAMS, children)}

    def __getattr__(self, name: str) -> np.random.Generator:
        try:
            return self.__dict__["_gens"][name]
        except KeyError:
            raise AttributeError(f"no random stream named {name!r}; known: {', '.join(STREAMS)}") from None
