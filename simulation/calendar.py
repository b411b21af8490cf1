"""The election calendar (tahapan): one simulated day per step, each day in one stage.

A stage sets how often rival supporters meet (contact), how often provocations happen
(trigger_rate), how much is at stake (stakes), hoax activity, whether rallies are held, money
politics and contact with election organisers. Days between declared stages take the previous
stage's values. A stage marked `requires_dispute` (the MK dispute) runs at `undisputed_factor`
(0.25, assumed) of its intensity when the result was not disputed.

With several races on staggered days (simulation/races.py, §7.1a) each race runs the same calendar
shifted by its offset: before its shifted first stage a race is in that first stage, after its last
in the last. The day's stage is then a `VillageStage`, whose fields are per village.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

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

    def at(self, village: int) -> DayStage:
        """The stage of one village (the same everywhere)."""
        return self

    def of_race(self, race: int) -> DayStage:
        """The stage of one race (the same for all)."""
        return self


@dataclass(frozen=True, eq=False)
class VillageStage:
    """The day's stage where races stand at different stages: each number is an array over the
    villages (the kernels broadcast it), `at(v)` the stage of one village."""

    by_race: tuple[DayStage, ...]
    race: np.ndarray  # of each village

    def at(self, village: int) -> DayStage:
        return self.by_race[int(self.race[village])]

    def of_race(self, race: int) -> DayStage:
        return self.by_race[race]

    def _field(self, name: str) -> np.ndarray:
        return np.array([getattr(s, name) for s in self.by_race])[self.race]

    contact = cached_property(lambda self: self._field("contact"))
    trigger_rate = cached_property(lambda self: self._field("trigger_rate"))
    stakes = cached_property(lambda self: self._field("stakes"))
    hoax = cached_property(lambda self: self._field("hoax"))
    rallies = cached_property(lambda self: self._field("rallies"))
    money_politics = cached_property(lambda self: self._field("money_politics"))
    organisers_contact = cached_property(lambda self: self._field("organisers_contact"))

    @property
    def name(self) -> str:
        return "/".join(dict.fromkeys(s.name for s in self.by_race))

    @property
    def label(self) -> str:
        return " / ".join(dict.fromkeys(s.label for s in self.by_race))


def village_stage(by_race: list[DayStage], race_of_village: np.ndarray) -> DayStage | VillageStage:
    """The day's stage from every race's: one `DayStage` when all races stand at the same stage
    (the single-race arithmetic, unchanged), else a `VillageStage`."""
    if all(s == by_race[0] for s in by_race[1:]):
        return by_race[0]
    return VillageStage(tuple(by_race), race_of_village)


class Calendar:
    def __init__(self, spec: CalendarSpec, n_days: int, offsets: np.ndarray | None = None):
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
        # per race (simulation/races.py): its calendar's shift and so its voting and result days
        self.offsets = np.zeros(1, dtype=np.int64) if offsets is None else np.asarray(offsets, dtype=np.int64)
        self.voting_days = self.voting_day + self.offsets
        self.result_days = self.result_day + self.offsets

    def date(self, day: int) -> dt.date:
        return self.start + dt.timedelta(days=int(day))

    def stage_spec(self, day: int, race: int = 0) -> StageSpec:
        d = min(max(day - int(self.offsets[race]), 0), self.n_days - 1)
        return self.stages[int(self.stage_index[d])]

    def stage(self, day: int, disputed: bool, race: int = 0) -> DayStage:
        s = self.stage_spec(day, race)
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
