"""One seed, many independent random streams: one per mechanism, fresh each day.

Each mechanism draws from its own `numpy.random.Generator`, derived from the run's SeedSequence
by (mechanism, day): set-up draws use day key 0, simulated day d uses key d + 1. So switching a
mechanism off, or a policy that makes officials draw more numbers today (more reports, more
counter-hoax messages), never shifts another mechanism's draws, nor the same mechanism's draws on
later days. That makes runs of two policies on the same seed "common random numbers" as far as
the dynamics allow, which is what paired comparisons need. The order of STREAMS is part of the
reproducibility contract: append only.
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
    "observation",  # officials' noisy readings of villages (a fixed number of draws a day)
    "reports",  # misreading of relayed reports (as many draws as reports)
    "interventions",  # counter-hoax reach, Polres backup availability (policy-dependent counts)
    "severity",  # deaths, injuries, damage: one generator per incident (day, village), see `generator`
    "campaign",  # convoys and acts against a rival's campaign (§7.22)
    "reporting",  # whether an incident is reported: one generator per incident, like `severity`
    "identity",  # SARA: the group a hoax frames, the tokoh's talks (§7.25)
    "logistics",  # partisan organisers (set-up), seizures of ballots and boxes (§7.26)
    "government",  # demonstrations at the offices (§7.27)
    "kabupaten",  # reports up to the kabupaten: silent kecamatan (set-up), losses and misreadings (§7.13b)
)
_INDEX = {name: i for i, name in enumerate(STREAMS)}
_WORD = 2**32 - 1  # a spawn-key int up to this is one uint32 word of the assembled entropy


def _words(n: int) -> list[int]:
    """A non-negative int as numpy's SeedSequence reads it: uint32 words, least significant first."""
    out = [n & _WORD]
    n >>= 32
    while n:
        out.append(n & _WORD)
        n >>= 32
    return out


def _assembled_prefix(root: np.random.SeedSequence) -> tuple[int, ...] | None:
    """What SeedSequence(root.entropy, spawn_key=(*root.spawn_key, ...)) assembles before the
    key's own words: the run entropy as uint32 words, zero-padded to the pool size (a spawn key is
    always present here), then the root's spawn key. A generator is made about seven times a day
    and twice per incident, and handing this array to SeedSequence spares numpy converting every
    int of the key each time (more than half the cost of a generator). None for an entropy that is
    not one non-negative int (then `generator` takes numpy's own path)."""
    ent = root.entropy
    if not isinstance(ent, int | np.integer) or int(ent) < 0 or any(int(k) < 0 for k in root.spawn_key):
        return None
    run = _words(int(ent))
    run += [0] * (root.pool_size - len(run))
    spawn = [w for k in root.spawn_key for w in _words(int(k))]
    return (*run, *spawn)


class Streams:
    """Named generators: `streams.hoax` is the hoax mechanism's generator for the current day."""

    def __init__(self, seed: int | np.random.SeedSequence):
        root = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(int(seed))
        self.seed_sequence = root
        self.day: int | None = None
        self._gens: dict[str, np.random.Generator] = {}
        self._words = _assembled_prefix(root)

    def start_day(self, day: int) -> None:
        """Switch every stream to day `day`'s generator (made on first use)."""
        for name in self._gens:
            self.__dict__.pop(name, None)
        self.day = day
        self._gens = {}

    def generator(self, name: str, day: int | None, *sub: int) -> np.random.Generator:
        """The generator of `name` for `day` (None: set-up), independent of any other's use.
        `sub` keys one generator further (e.g. an incident's village): then each such item's
        numbers depend on nothing drawn for the others that day."""
        if name not in _INDEX:
            raise AttributeError(f"no random stream named {name!r}; known: {', '.join(STREAMS)}")
        tail = (_INDEX[name], 0 if day is None else day + 1, *(int(k) for k in sub))
        if self._words is not None and 0 <= min(tail) and max(tail) <= _WORD:
            # the entropy SeedSequence(entropy, spawn_key=key) would assemble, given as one array:
            # the same pool, hence the same generator, without converting the key's ints each time
            words = np.array((*self._words, *tail), dtype=np.uint32)
            return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))
        root = self.seed_sequence
        key = (*root.spawn_key, *tail)
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))

    def __getattr__(self, name: str) -> np.random.Generator:
        gens = self.__dict__.get("_gens")
        if gens is None or name.startswith("_"):
            raise AttributeError(name)
        if name not in gens:
            gens[name] = self.generator(name, self.__dict__["day"])
            self.__dict__[name] = gens[name]  # later reads of today's stream skip __getattr__
        return gens[name]
