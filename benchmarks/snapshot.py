"""The starting point shared by the two implementations of the villager rules.

Both the idiomatic Mesa model (`idiomatic_mesa.py`) and the vectorised side
(`vectorised_kernels.py`, which calls SiagaModel's own phase functions) start from one
`VillagerSnapshot` taken from a real `SiagaModel`: the same people (`model.people`), the same
CSR network, the same active supporters and their same-camp structures (`model.partisans`), the
same police presence per village (`model.villages.presence`) and the same perceived legitimacy.
The snapshot is taken after the full SiagaModel has run up to `start_day` (by default the first
day of the campaign stage), so hoaxes seeded by the supporter groups are already spreading and
the rules have work to do.

During the benchmark days the village-level inputs that come from other parts of SiagaModel
(officers' presence, perceived legitimacy) are held fixed at their snapshot values, and the
stage of each day (its stakes) follows the scenario's calendar from `start_day` on.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from scenarios.schema import DynamicsSpec, Scenario
from simulation.calendar import DayStage
from simulation.model import SiagaModel
from simulation.network import SocialNetwork
from simulation.population import PERSON_FIELDS, VillagerState
from simulation.region import Region
from simulation.state import Partisans


def copy_people(people: VillagerState) -> VillagerState:
    """A deep copy of the villagers' arrays."""
    return VillagerState(
        **{f: getattr(people, f).copy() for f in PERSON_FIELDS},
        village_start=people.village_start.copy(),
        village_size=people.village_size.copy(),
    )


@dataclass
class VillagerSnapshot:
    n: int
    n_villages: int
    n_camps: int
    start_day: int
    stages: list[DayStage]  # the calendar's stage of each day from start_day to the end
    spec: Scenario  # the scenario (its `dynamics` may be replaced by `dynamics` below)
    dynamics: DynamicsSpec  # the parameters both implementations read (tests may change them)
    people: VillagerState  # a copy of model.people at start_day (each implementation copies it again)
    # per person, views of `people` (read-only: each implementation takes its own copy)
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
    cell: np.ndarray  # model.cell: each person's row of the (village, camp) input tables
    # per village
    presence: np.ndarray  # model.villages.presence at start_day
    # shared, read-only structures of the model
    region: Region
    network: SocialNetwork
    partisans: Partisans  # model.partisans: active supporters and their same-camp structures
    # for the per-agent lists of the idiomatic version
    same_camp: sp.csr_matrix  # people x people, same-camp offline ties
    same_camp_degree: np.ndarray

    @property
    def stakes(self) -> list[float]:
        return [s.stakes for s in self.stages]

    def stage_on(self, k: int) -> DayStage:
        """The stage of the k-th benchmark day (the last stage past the calendar's end)."""
        return self.stages[min(k, len(self.stages) - 1)]

    def stakes_on(self, k: int) -> float:
        """Stakes on the k-th benchmark day."""
        return self.stage_on(k).stakes


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
    p = copy_people(model.people)
    full_same_camp = model.network.same_camp(p.camp)
    disputed = bool(model.tally.result and model.tally.result.disputed)
    stages = [model.calendar.stage(d, disputed) for d in range(start_day, model.calendar.n_days)]
    return VillagerSnapshot(
        n=p.n,
        n_villages=model.region.n_villages,
        n_camps=model.n_camps,
        start_day=start_day,
        stages=stages,
        spec=model.spec,
        dynamics=model.spec.dynamics,
        people=p,
        village=p.village,
        camp=p.camp,
        partisanship=p.partisanship,
        hardship=p.hardship,
        risk_aversion=p.risk_aversion,
        threshold=p.threshold,
        legitimacy=p.legitimacy,
        tension=p.tension,
        state=p.state,
        rumour=p.rumour,
        cell=model.cell.copy(),
        presence=model.villages.presence.copy(),
        region=model.region,
        network=model.network,
        partisans=model.partisans,
        same_camp=full_same_camp,
        same_camp_degree=np.asarray(full_same_camp.sum(axis=1)).ravel().astype(np.float32),
    )


def quiet_stage(stage: DayStage) -> DayStage:
    """The day's stage with no provocations (trigger_rate 0): provocations belong to the actors."""
    return dataclasses.replace(stage, trigger_rate=0.0)
