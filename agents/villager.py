"""A villager: a Mesa agent whose state is one row of the model's arrays.

The arrays are the truth (the vectorised kernels update them all at once); this object is the
public face, so a notebook, the DataCollector or the app can say `v.tension` or set `v.tension = 0`
and the next day's kernels see it. No per-villager `step()`: that is the kernels' job.
"""

from __future__ import annotations

import mesa

from common.levels import NO_CAMP, Escalation, Rumour


def _row(attr: str, cast=float):
    def get(self):
        return cast(getattr(self.model.people, attr)[self.index])

    def set_(self, value):
        getattr(self.model.people, attr)[self.index] = value

    return property(get, set_, doc=f"this villager's `{attr}` (a row of model.people.{attr})")


class Villager(mesa.Agent):
    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = int(index)

    tension = _row("tension")
    hardship = _row("hardship")
    legitimacy = _row("legitimacy")
    risk_aversion = _row("risk_aversion")
    partisanship = _row("partisanship")
    threshold = _row("threshold")
    identity = _row("identity", int)
    village = _row("village", int)
    household = _row("household", int)

    @property
    def grievance(self) -> float:
        """Epstein's G = H (1 - L), as the model computes it (simulation/dynamics/grievance.py)."""
        return float(self.model.grievance_of(self.index))

    @property
    def camp(self) -> int | None:
        c = int(self.model.people.camp[self.index])
        return None if c == NO_CAMP else c

    @property
    def affiliation(self) -> str | None:
        c = self.camp
        return None if c is None else self.model.spec.candidates[c].name

    @property
    def escalation(self) -> Escalation:
        return Escalation(int(self.model.people.state[self.index]))

    @escalation.setter
    def escalation(self, value: Escalation | int) -> None:
        self.model.people.state[self.index] = int(value)

    @property
    def rumour(self) -> Rumour:
        return Rumour(int(self.model.people.rumour[self.index]))

    @property
    def village_name(self) -> str:
        return self.model.region.names[self.village]

    def __repr__(self) -> str:
        return f"Villager({self.index}, {self.village_name}, {self.escalation.name}, tension={self.tension:.2f})"
