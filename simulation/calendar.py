"""The election calendar (tahapan): one simulated day per step, each day in one stage.

A stage sets how often rival supporters meet (contact), how often provocations happen
(trigger_rate), how much is at stake (stakes), hoax activity, whether rallies are held, money
politics and contact with election organisers. Days between declared stages take the previous
stage's values. A stage marked `requires_dispute` (the MK dispute) runs at `undisputed_factor`
(0.25, assumed) of its intensity when the result was not disputed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from scenarios.schema import CalendarSpec, StageSpec


@dataclass(frozen=True)
class DayStage:
    name: str
    label: str
    contact: float
    trigger_rate: float
    stakes: float
    hoax: float
    rallies: bool
    money_politics: float
    organisers_contact: float


class Calendar:
    def __init__(self, spec: CalendarSpec, n_days: int):
        self.spec = spec
        self.start = spec.start
        self.n_days = n_days
        self.stages = list(spec.stages)
        idx = np.full(n_days, -1, dtype=np.int16)
        for i, st in enumerate(self.stages):
            a = max((st.start - spec.start).days, 0)
            b = min((st.end - spec.start).days, n_days - 1)
            if b >= a:
                idx[a : b + 1] = i
        # gaps take the previous stage (or the first stage before any)
        last = 0
        for d in range(n_days):
            if idx[d] < 0:
                idx[d] = last
            last = idx[d]
        self.stage_index = idx
        self.voting_day = (spec.voting_day - spec.start).days
        self.result_day = (spec.result_day - spec.start).days

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))

    def stage_spec(self, day: int) -> StageSpec:
        return self.stages[int(self.stage_index[min(day, self.n_days - 1)])]

    def stage(self, day: int, disputed: bool) -> DayStage:
        s = self.stage_spec(day)
        f = self.spec.undisputed_factor if (s.requires_dispute and not disputed) else 1.0
        return DayStage(
            name=s.name,
            label=s.label or s.name,
            contact=s.contact * f,
            trigger_rate=s.trigger_rate * f,
            stakes=s.stakes * f,
            hoax=s.hoax * f,
            rallies=s.rallies,
            money_politics=s.money_politics,
            organisers_contact=s.organisers_contact * f,
        )

    def spans(self) -> list[tuple[str, str, int, int]]:
        """(name, label, first day, last day) of each stage inside the simulated window."""
        out = []
        for i, st in enumerate(self.stages):
            days = np.flatnonzero(self.stage_index == i)
            if len(days):
                out.append((st.name, st.label or st.name, int(days[0]), int(days[-1])))
        return out
