"""Classic models as special cases of SIAGA's kernels, on any networkx graph.

These wrappers use the very kernels SiagaModel uses (simulation/dynamics/), with everything else
switched off, so that a test of a classic result is a test of the model's own code:

* `granovetter(graph, thresholds)`: pure threshold cascade (Granovetter 1978; Watts 2002).
* `rumour_final_size(n, seed)`: Maki-Thompson rumour in the well-mixed limit (Sudbury 1985: 0.203).
* `EpsteinOnGraph`: Epstein's (2002) civil violence, Model I, without movement: citizens and cops
  sit on the nodes of a graph whose neighbourhoods are their vision; rule A for citizens, rule C
  for cops, jail terms, "as aggrieved as they went in".
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import numpy as np

from simulation.dynamics import arrests, hoax, mobilisation
from simulation.dynamics.mobilisation import Rounding
from simulation.network import SocialNetwork
from simulation.population import Escalation, Rumour


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


class EpsteinOnGraph:
    """Epstein's civil violence with the graph as everyone's field of vision.

    `cops` marks which nodes hold cops; the other nodes hold citizens. Each step: every citizen
    is active iff G - R P > T with P = 1 - exp(-k C/A) (C cops among its neighbours, A = 1 +
    active citizens among them); then each cop arrests one random active neighbour; jailed
    citizens sit out their term and return with their old hardship and risk aversion.
    """

    def __init__(self, graph: nx.Graph, cops: np.ndarray, params: EpsteinParams, seed: int):
        self.adj = SocialNetwork.from_graph(graph).adjacency
        self.rng = np.random.default_rng(seed)
        self.p = params
        n = self.adj.shape[0]
        self.cop = np.asarray(cops, dtype=bool)
        self.citizen = ~self.cop
        self.hardship = self.rng.random(n)
        self.risk = self.rng.random(n)
        self.grievance = self.hardship * (1 - params.legitimacy)
        self.state = np.zeros(n, dtype=np.int8)
        self.jail = np.zeros(n, dtype=np.int16)
        self.cops_seen = self.adj @ self.cop.astype(np.float64)

    @property
    def active(self) -> np.ndarray:
        return self.state == Escalation.MOBILISED

    def step(self) -> int:
        """One tick; returns the number of active citizens after arrests."""
        free = self.citizen & (self.state != Escalation.DETAINED)
        actives_seen = 1 + self.adj @ self.active.astype(np.float64)
        prob = mobilisation.arrest_probability(self.cops_seen, actives_seen, self.p.k, self.p.rounding)
        act = free & mobilisation.activation(self.grievance, self.risk, prob, self.p.threshold)
        self.state[free] = np.where(act[free], Escalation.MOBILISED, Escalation.CALM)
        taken = arrests.cop_arrests(np.flatnonzero(self.cop), self.adj, self.active, self.rng)
        if len(taken):
            hi = self.p.max_jail + (1 if self.p.jail_inclusive else 0)
            self.state[taken] = Escalation.DETAINED
            self.jail[taken] = self.rng.integers(0, hi, len(taken)) + 1  # +1: serve today's tick
        arrests.release(self.state, self.jail)
        return int(self.active.sum())

    def run(self, ticks: int) -> np.ndarray:
        return np.array([self.step() for _ in range(ticks)])
