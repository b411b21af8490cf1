"""The starting point shared by the two implementations of the villager rules.

Both the idiomatic Mesa model (`idiomatic_mesa.py`) and the vectorised kernels
(`vectorised_kernels.py`) start from one `VillagerSnapshot` taken from a real `SiagaModel`: the
same people, the same CSR network (offline adjacency, same-camp matrix, WhatsApp groups), the
same police presence per village and the same perceived legitimacy. The snapshot is taken after
the full SiagaModel has run up to `start_day` (by default the first day of the campaign stage), so
hoaxes seeded by the supporter groups are already spreading and the rules have work to do.

During the benchmark days the village-level inputs that come from other parts of SiagaModel
(officers' presence, perceived legitimacy) are held fixed at their snapshot values, and the
stage's stakes follow the scenario's calendar from `start_day` on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from scenarios.schema import DynamicsSpec
from simulation.model import SiagaModel
from simulation.network import SocialNetwork


@dataclass
class VillagerSnapshot:
    n: int
    n_villages: int
    n_camps: int
    start_day: int
    stakes: list[float]  # stakes of each day from start_day to the end of the calendar
    dynamics: DynamicsSpec
    # per person (copies: each implementation takes its own)
    village: np.ndarray
    camp: np.ndarray
    partisanship: np.ndarray
    hardship: np.ndarray
    risk_aversion: np.ndarray
    threshold: np.ndarray
    legitimacy: np.ndarray
    tension: np.ndarray
    state: np.ndarray
    rumour: np.ndarray
    # per village
    presence: np.ndarray
    # network (shared, read-only)
    network: SocialNetwork
    same_camp: sp.csr_matrix  # people x people, same-camp offline ties (for per-agent lists)
    same_camp_degree: np.ndarray
    # the model's own partisan-only structures (see SiagaModel._init_partisan_index)
    partisans: np.ndarray
    partisan_same_camp: sp.csr_matrix
    partisan_degree: np.ndarray
    camp_groups: sp.csr_matrix
    camp_groups_t: sp.csr_matrix
    camp_group_mates: np.ndarray
    camp_group_member: np.ndarray

    def stakes_on(self, k: int) -> float:
        """Stakes on the k-th benchmark day (the last stage's stakes past the calendar's end)."""
        return self.stakes[min(k, len(self.stakes) - 1)]


def default_start_day(model: SiagaModel) -> int:
    """First day of the campaign stage if the calendar has one, else day 0."""
    for name, _label, first, _last in model.calendar.spans():
        if name == "campaign":
            return first
    return 0


def take_snapshot(model: SiagaModel, start_day: int | None = None) -> VillagerSnapshot:
    """Run `model` (the full SiagaModel) to `start_day` and copy what the villager rules need."""
    if start_day is None:
        start_day = default_start_day(model)
    start_day = max(0, min(int(start_day), model.calendar.n_days - 1))
    if model.day < start_day:
        model.run(days=start_day - model.day)
    p = model.people
    full_same_camp = model.network.same_camp(p.camp)
    disputed = bool(model.result and model.result.disputed)
    stakes = [model.calendar.stage(d, disputed).stakes for d in range(start_day, model.calendar.n_days)]
    return VillagerSnapshot(
        n=p.n,
        n_villages=model.region.n_villages,
        n_camps=model.n_camps,
        start_day=start_day,
        stakes=stakes,
        dynamics=model.spec.dynamics,
        village=p.village.copy(),
        camp=p.camp.copy(),
        partisanship=p.partisanship.copy(),
        hardship=p.hardship.copy(),
        risk_aversion=p.risk_aversion.copy(),
        threshold=p.threshold.copy(),
        legitimacy=p.legitimacy.copy(),
        tension=p.tension.copy(),
        state=p.state.copy(),
        rumour=p.rumour.copy(),
        presence=model.presence.copy(),
        network=model.network,
        same_camp=full_same_camp,
        same_camp_degree=np.asarray(full_same_camp.sum(axis=1)).ravel().astype(np.float32),
        partisans=model.partisans,
        partisan_same_camp=model.same_camp,
        partisan_degree=model.same_camp_degree,
        camp_groups=model.camp_groups,
        camp_groups_t=model.camp_groups_t,
        camp_group_mates=model.camp_group_mates,
        camp_group_member=model.camp_group_member,
    )
