"""Classic models as special cases of SIAGA's kernels, on any networkx graph.

These wrappers use the very kernels SiagaModel uses (simulation/dynamics/), with everything else
switched off, so that a test of a classic result is a test of the model's own code:

* `granovetter(graph, thresholds)`: pure threshold cascade (Granovetter 1978; Watts 2002).
* `rumour_final_size(n, seed)`: Maki-Thompson rumour in the well-mixed limit (Sudbury 1985: 0.203).
* `EpsteinOnGraph`: Epstein's (2002) civil violence, Model I, without movement: citizens and cops
  sit on the nodes of a graph whose neighbourhoods are their vision; rule A for citizens, rule C
  for cops, jail terms, "as aggrieved as they went in". `legitimacy` may be changed between steps
  (Epstein's sudden drop vs gradual erosion): grievance is recomputed from it every tick with the
  model's own `grievance` kernel.

Epstein's cop rule C (`arrests.cop_arrests`: each cop arrests one random active neighbour) is the
one rule here that SiagaModel does not use; the model's police arrest up to a capacity per village
(`arrests.arrest_in_villages`, docs/ODD.md §7.7).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import networkx as nx
import numpy as np

from common.levels import Escalation, Rumour
from simulation.dynamics import arrests, grievance, hoax, mobilisation
from simulation.dynamics.mobilisation import Rounding
from simulation.network import SocialNetwork

Schedule = Literal["synchronous", "random_sequential"]
VisionShape = Literal["von_neumann", "disk", "moore"]


def granovetter(graph: nx.Graph, thresholds: np.ndarray, as_share: bool = False) -> tuple[np.ndarray, int]:
    """Fixed point of the threshold model on `graph` (nodes in graph order); (active mask, rounds)."""
    adj = SocialNetwork.from_graph(graph).adjacency
    return mobilisation.threshold_cascade(adj, np.asarray(thresholds, dtype=np.float64), as_share=as_share)


def rumour_final_size(n: int, seed: int, initial_spreaders: int = 1, contact_prob: float = 0.05) -> float:
    """Share of a well-mixed population of `n` that never hears the rumour."""
    rng = np.random.default_rng(seed)
    rumour = np.zeros(n, dtype=np.int8)
    rumour[rng.choice(n, initial_spreaders, replace=False)] = Rumour.SPREADER
    hoax.run_to_extinction(rumour, hoax.well_mixed_contacts(n), rng, contact_prob=contact_prob)
    return float(np.mean(rumour == Rumour.IGNORANT))


@dataclass
class EpsteinParams:
    legitimacy: float = 0.82  # NetLogo Rebellion default
    threshold: float = 0.1
    k: float = 2.3
    max_jail: int = 30
    rounding: Rounding = "floor"  # NetLogo's floor; Mesa's example uses "round"
    jail_inclusive: bool = False  # NetLogo: random max-jail-term gives 0..J-1; Mesa 0..J
    # "synchronous": everyone decides on the start-of-tick state, then cops arrest (SiagaModel's
    # own day order). "random_sequential": one shuffled pass over citizens and cops together, each
    # seeing the others' current state, jail counted down in the agent's own turn (Mesa's example).
    schedule: Schedule = "synchronous"


def lattice_agents(width: int, height: int, citizen_density: float, cop_density: float, rng: np.random.Generator) -> np.ndarray:
    """Who stands on each cell of a width x height lattice (row-major): 0 empty, 1 citizen, 2 cop,
    each cell drawn independently as in Mesa's example (citizen, then cop, then empty)."""
    u = rng.random(width * height)
    return np.where(u < citizen_density, 1, np.where(u < citizen_density + cop_density, 2, 0)).astype(np.int8)


def lattice_vision_graph(width: int, height: int, occupied: np.ndarray, radius: int, shape: VisionShape = "von_neumann") -> nx.Graph:
    """The vision neighbourhoods of a torus lattice as a graph over its occupied cells.

    `von_neumann`: |dx| + |dy| <= radius (Mesa's `OrthogonalVonNeumannGrid.get_neighborhood`,
    112 cells at radius 7); `disk`: dx^2 + dy^2 <= radius^2 (NetLogo's `in-radius`, 148 cells);
    `moore`: max(|dx|, |dy|) <= radius. Nodes are cell indices y * width + x, in cell order.
    """
    offsets = [
        (dx, dy)
        for dx in range(-radius, radius + 1)
        for dy in range(-radius, radius + 1)
        if (dx, dy) != (0, 0)
        and {"von_neumann": abs(dx) + abs(dy) <= radius, "disk": dx * dx + dy * dy <= radius * radius, "moore": True}[shape]
    ]
    cells = np.flatnonzero(occupied)
    x, y = cells % width, cells // width
    g = nx.Graph()
    g.add_nodes_from(cells.tolist())
    occ = np.asarray(occupied, dtype=bool)
    for dx, dy in offsets:
        if (dx, dy) < (0, 0):
            continue  # each unordered pair once
        other = ((y + dy) % height) * width + (x + dx) % width
        keep = occ[other]
        g.add_edges_from(zip(cells[keep].tolist(), other[keep].tolist()))
    return g


class EpsteinOnGraph:
    """Epstein's civil violence with the graph as everyone's field of vision.

    `cops` marks which nodes hold cops; the other nodes hold citizens. Each step: every citizen
    is active iff G - R P > T with P = 1 - exp(-k C/A) (C cops among its neighbours, A = 1 +
    active citizens among them); each cop arrests one random active neighbour; jailed citizens
    sit out their term and return with their old hardship and risk aversion. The order of these
    decisions within a tick is `params.schedule`.
    """

    def __init__(
        self,
        graph: nx.Graph,
        cops: np.ndarray,
        params: EpsteinParams,
        seed: int | np.random.SeedSequence,
        hardship: np.ndarray | None = None,
        risk: np.ndarray | None = None,
    ):
        """`hardship` and `risk` (per node, U(0,1) drawn from `seed` when not given) let a run
        start from another implementation's exact initial condition."""
        self.adj = SocialNetwork.from_graph(graph).adjacency
        self.rng = np.random.default_rng(seed)
        self.p = params
        n = self.adj.shape[0]
        self.cop = np.asarray(cops, dtype=bool)
        self.citizen = ~self.cop
        self.hardship = self.rng.random(n) if hardship is None else np.asarray(hardship, dtype=np.float64)
        self.risk = self.rng.random(n) if risk is None else np.asarray(risk, dtype=np.float64)
        self.legitimacy = params.legitimacy
        self.state = np.zeros(n, dtype=np.int8)
        self.jail = np.zeros(n, dtype=np.int16)
        self.cops_seen = self.adj @ self.cop.astype(np.float64)
        if params.schedule == "random_sequential":
            # P for every (cops seen, actives seen) pair, from the same kernel, looked up per turn
            c, a = np.meshgrid(np.arange(int(self.cops_seen.max()) + 1), np.arange(n + 2), indexing="ij")
            self._p_table = mobilisation.arrest_probability(c, a, params.k, params.rounding)
            self._actives_seen = np.zeros(n, dtype=np.int64)

    @property
    def grievance(self) -> np.ndarray:
        """G = H (1 - L) at the current legitimacy."""
        return grievance.grievance(self.hardship, self.legitimacy)

    @property
    def active(self) -> np.ndarray:
        return self.state == Escalation.MOBILISED

    def _jail_term(self, n: int) -> np.ndarray:
        return self.rng.integers(0, self.p.max_jail + (1 if self.p.jail_inclusive else 0), n)

    def step(self) -> int:
        """One tick; returns the number of active citizens at its end."""
        if self.p.schedule == "random_sequential":
            self._sequential_tick()
            return int(self.active.sum())
        free = self.citizen & (self.state != Escalation.DETAINED)
        actives_seen = 1 + self.adj @ self.active.astype(np.float64)
        prob = mobilisation.arrest_probability(self.cops_seen, actives_seen, self.p.k, self.p.rounding)
        act = free & mobilisation.activation(self.grievance, self.risk, prob, self.p.threshold)
        self.state[free] = np.where(act[free], Escalation.MOBILISED, Escalation.CALM)
        taken = arrests.cop_arrests(np.flatnonzero(self.cop), self.adj, self.active, self.rng)
        if len(taken):
            self.state[taken] = Escalation.DETAINED
            self.jail[taken] = self._jail_term(len(taken)) + 1  # +1: serve today's tick
        arrests.release(self.state, self.jail)
        return int(self.active.sum())

    def _set_active(self, i: int, on: bool) -> None:
        nb = self.adj.indices[self.adj.indptr[i] : self.adj.indptr[i + 1]]
        self._actives_seen[nb] += 1 if on else -1

    def _sequential_tick(self) -> None:
        """Mesa's `shuffle_do("step")`: citizens and cops in one random order, each acting on the
        current state; a jailed citizen spends its turn counting its sentence down."""
        mob, calm, jailed = Escalation.MOBILISED, Escalation.CALM, Escalation.DETAINED
        state, jail, p_table, seen = self.state, self.jail, self._p_table, self._actives_seen
        cops_seen = self.cops_seen.astype(np.int64)
        g = self.grievance
        for i in self.rng.permutation(len(state)).tolist():
            if self.cop[i]:
                taken = arrests.cop_arrests(np.array([i]), self.adj, state == mob, self.rng)
                if len(taken):
                    a = int(taken[0])
                    state[a] = jailed
                    jail[a] = self._jail_term(1)[0]
                    self._set_active(a, False)
                continue
            if jail[i] > 0:
                jail[i] -= 1
                continue
            prob = p_table[cops_seen[i], 1 + seen[i]]
            now = bool(mobilisation.activation(g[i], self.risk[i], prob, self.p.threshold))
            was = state[i] == mob
            state[i] = mob if now else calm
            if now != was:
                self._set_active(i, now)

    def run(self, ticks: int) -> np.ndarray:
        return np.array([self.step() for _ in range(ticks)])
