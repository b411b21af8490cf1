"""Will a scenario fit in memory? An estimate from its sizes, checked before anything is built.

The schema allows regions far larger than any machine (1,000 kecamatan x 200 villages x 100,000
people is 20 billion villagers), so a scenario is refused up front, with the estimate and the
fields to lower, when the estimate exceeds the memory available to this process.

Where the constants come from: peak RSS (`ru_maxrss`) of fresh processes building a
`SiagaModel(synthetic_scenario(n))` and running 5 days (`scenarios/budget.py` measurement of
2026-11-22 on the 2-core, 23.5 GiB benchmark machine, Python 3.12, numpy 2, scipy 1.18, Mesa 3.5):

| villagers | villager agents | kin_degree | offline ties (CSR nonzeros) per villager | RSS above imports |
|---:|---|---:|---:|---:|
| 54,400 | none | 6 | 7.4 | 27.0 MiB |
| 204,000 | none | 6 | 7.5 | 94.1 MiB (484 B per villager) |
| 204,000 | none | 40 | 41.2 | 497 MiB (2,556 B per villager) |
| 54,400 / 102,000 | all | 6 | 7.4 | +364 / +400 B per villager agent |
| 200,000 in 10,000 villages | none | 6, 50 tokoh per village | 6.6 | +489 B per extra tokoh agent |

The slope between the two 204,000 rows is 61 B per offline tie (CSR layers, their union, the
row-normalised influence matrix, the same-camp matrix and construction temporaries); what is left
per villager is about 27 B. The estimate below rounds up (64 B per villager, 62 B per tie, 500 B
per Mesa agent) and counts ties from the scenario's network parameters, which slightly
over-counts them (default parameters: 9.3 estimated vs 7.5 measured), so it errs on the high side:
for the 1.02M-villager benchmark (benchmarks/README.md, 614 MiB peak) it gives about 790 MiB.
Interpreter and imports: about 155 MiB (benchmarks/README.md), counted as 160 MiB.

The memory limit is `SIAGA_MEMORY_LIMIT` when set (bytes, or a number with KiB/MiB/GiB/TiB or
KB/MB/GB/TB, e.g. "8GiB"), else the available memory (`MemAvailable` in /proc/meminfo plus this
process's own resident memory, which the estimate counts in: its imports, and the heap an
experiment worker that ran a model before reuses; physical memory where there is no /proc). An
experiment running several local workers on one machine needs about workers x the estimate, so
it runs only as many at once as fit (experiments/engine.py, `workers_that_fit`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from scenarios.errors import ScenarioError
from scenarios.sampling import agents_for
from scenarios.schema import Scenario

BASE_BYTES = 160 * 2**20  # interpreter, numpy, scipy, Mesa (measured ~155 MiB)
BYTES_PER_VILLAGER = 64  # population arrays and per-person state (measured ~27 B, rounded up)
BYTES_PER_TIE = 62  # one offline tie (CSR nonzero) across the network's matrices (measured 61 B)
BYTES_PER_AGENT = 500  # one Mesa agent: villager, Kades, officer, tokoh (measured 364-489 B)
BYTES_PER_VILLAGE = 1024  # per-village arrays and bookkeeping (assumed; small next to the rest)
AUTO_VILLAGER_AGENTS = 10_000  # simulation.model.AUTO_VILLAGER_AGENTS (not imported: no model import here)
ENV = "SIAGA_MEMORY_LIMIT"

_UNITS = {
    "": 1, "b": 1, "k": 1000, "kb": 1000, "m": 1000**2, "mb": 1000**2, "g": 1000**3, "gb": 1000**3,
    "t": 1000**4, "tb": 1000**4, "kib": 2**10, "mib": 2**20, "gib": 2**30, "tib": 2**40,
}


@dataclass(frozen=True)
class Estimate:
    villagers: int
    villages: int
    ties_per_villager: float
    agents: int
    bytes: int

    @property
    def network_share(self) -> float:
        ties = self.villagers * self.ties_per_villager * BYTES_PER_TIE
        return ties / max(self.bytes - BASE_BYTES, 1)


def human_bytes(n: float) -> str:
    """1288490188 -> '1.2 GiB'."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB", "PiB"):
        if abs(n) < 1024 or unit == "PiB":
            return f"{n:,.0f} {unit}" if unit == "B" else f"{n:,.1f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def parse_size(text: str) -> int:
    """'8GiB' -> 8589934592; '500000000' -> 500000000. ValueError if it is not a size."""
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _UNITS:
        raise ValueError(f"{ENV}={text!r}: give a size such as 8GiB, 500MB or a number of bytes")
    return int(float(m.group(1)) * _UNITS[m.group(2).lower()])


def _own_rss() -> int:
    """This process's resident memory: the imports the estimate counts in, and heap a worker that
    ran a model before can reuse."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def available_memory() -> tuple[int, str]:
    """(bytes, where the number came from): SIAGA_MEMORY_LIMIT (for the whole process), else
    MemAvailable plus what this process already holds, else physical memory."""
    env = os.environ.get(ENV)
    if env:
        return parse_size(env), ENV
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024 + _own_rss(), "MemAvailable"
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES"), "physical memory"
    except (OSError, ValueError, AttributeError):
        return 2**62, "unknown"


def estimate(spec: Scenario) -> Estimate:
    """Peak memory of building and running `spec`'s model, from its sizes (module docstring)."""
    region = spec.region
    if region.synthetic is not None:
        syn = region.synthetic
        villages = syn.kecamatan * syn.villages_per_kecamatan
        villagers = villages * agents_for(syn.people_per_village, region.sampling)
    else:
        villages = sum(len(k.villages) for k in region.kecamatan)
        villagers = sum(agents_for(v.population, region.sampling) for k in region.kecamatan for v in k.villages)
    net, pop, off = spec.network, spec.population, spec.officials
    ties = (
        (pop.household_size - 1)
        + (net.kin_degree // 2) * 2
        + net.inter_village_ties
        + 2 * net.team_ties * pop.active_supporter_share
    )
    villager_agents = spec.villager_agents == "all" or (spec.villager_agents == "auto" and villagers <= AUTO_VILLAGER_AGENTS)
    per_village_agents = 1 + off.bhabinkamtibmas_per_village + off.babinsa_per_village + off.tokoh_per_village
    agents = int(villages * per_village_agents) + (villagers if villager_agents else 0)
    total = (
        BASE_BYTES
        + villagers * (BYTES_PER_VILLAGER + BYTES_PER_TIE * ties)
        + agents * BYTES_PER_AGENT
        + villages * BYTES_PER_VILLAGE
    )
    return Estimate(villagers, villages, ties, agents, int(total))


def check_memory(spec: Scenario, source: str = "<scenario>") -> Estimate:
    """Refuse (ScenarioError naming the fields to lower) a scenario that would not fit in memory."""
    est = estimate(spec)
    try:
        limit, origin = available_memory()
    except ValueError as exc:
        raise ScenarioError(f"{source}: {exc}") from None
    if est.bytes <= limit:
        return est
    if spec.region.synthetic is not None:
        fields = "`region.synthetic.people_per_village`, `region.synthetic.villages_per_kecamatan` or `region.synthetic.kecamatan`"
    else:
        fields = "the villages' `population` in `region.kecamatan`"
    if est.network_share > 0.5:
        fields += ", or `network.kin_degree` / `network.inter_village_ties` / `network.team_ties`"
    if est.agents > est.villagers // 2 and est.villages:
        fields += ", or `officials.tokoh_per_village` / `villager_agents`"
    where = f"{ENV}" if origin == ENV else f"{origin}; set {ENV} to override"
    raise ScenarioError(
        f"{source}: region size: {est.villagers:,} villagers in {est.villages:,} villages would need about "
        f"{human_bytes(est.bytes)} of memory; this machine has {human_bytes(limit)} available ({where}). Lower {fields}."
    )
