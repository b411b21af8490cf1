"""Injects: what an exercise makes happen in the model on a given day, in a given village.

A workshop exercise (scenarios/exercise_schema.py, docs/EXERCISES.md) schedules injects; the model
applies the day's injects once a day, after the supporter groups have acted and before the
villagers' kernels (hoax, tension, escalation, clashes), so an inject works on the same day as
the campaign events it resembles. Each kind acts through the model's own methods (the agents'
interface, agents/interface.py), never by a path of its own:

    hoax         `model.seed_hoax`: `spreaders` residents start spreading a hoax (Maki-Thompson, §7.2)
    provocation  a provocation as the tension phase makes them (§7.3): each resident is reached
                 with probability `reach` and gains `provocation_gain` x the stage's stakes
    rally        `model.hold_rally`: camp `camp`'s rally or convoy (`mass_action`) in the village;
                 its own supporters there join with probability `attendance`, the rival camps see it
    report       `camat.receive`: a report at `level` from the village's Kades (or Babinsa) reaches
                 the Camat's desk that evening, relayed like any report (it may be misread)
    message      nothing happens in the model; the trainee only receives the message

Injects are deterministic: the provocation's draws come from a generator of their own, derived
from the run's seed, the day and the inject's place in the day's list (never from another
mechanism's stream), and the hoax and rally draw from today's hoax and supporters streams as a
supporter group's hoax or rally would. Same scenario + seed + injects = same run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from common.levels import AWAS, Escalation, level_of

KINDS = ("hoax", "provocation", "rally", "report", "message")
INJECT_STREAM = 1000  # spawn-key slot of the injects' own generator: far past simulation/rng.py STREAMS (append-only)
DEFAULT_ACTORS = {"hoax": "akun anonim", "provocation": "provokator", "rally": ""}


class InjectError(ValueError):
    """An inject the model cannot apply (unknown kind, village or camp)."""


def _generator(model: Any, day: int, index: int) -> np.random.Generator:
    root = model.streams.seed_sequence
    key = (*root.spawn_key, INJECT_STREAM, day + 1, index)
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=key)))


def apply(model: Any, kind: str, village: int, index: int = 0, **params: Any) -> None:
    """Make inject `kind` happen in `village` today (`model.day`); `index` tells apart several
    injects of one day (it keys the provocation's generator)."""
    if kind not in KINDS:
        raise InjectError(f"unknown inject kind {kind!r}; kinds: {', '.join(KINDS)}")
    if not 0 <= int(village) < model.region.n_villages:
        raise InjectError(f"village {village} out of range 0..{model.region.n_villages - 1}")
    village, day = int(village), model.day
    actors = params.get("actors") or DEFAULT_ACTORS.get(kind, "")
    if kind == "hoax":
        model.seed_hoax(village, int(params.get("spreaders", 20)), actors)
    elif kind == "provocation":
        _provoke(model, village, float(params.get("reach", 0.3)), actors, _generator(model, day, index))
    elif kind == "rally":
        camp = int(params.get("camp", 0))
        if not 0 <= camp < model.n_camps:
            raise InjectError(f"camp {camp} out of range 0..{model.n_camps - 1}")
        name = actors or model.spec.candidates[camp].name
        model.hold_rally(village, camp, float(params.get("attendance", 0.5)), name, mass_action=bool(params.get("mass_action", True)))
    elif kind == "report":
        level = params.get("level", "AWAS")
        level = level_of(level) if isinstance(level, str) else int(level)
        source = params.get("source", "Kades")
        delay = model.spec.officials.report_delay_days
        # sent `delay` days ago, so that it reaches the desk this evening as every relayed report does
        model.camat_of(village).receive(max(day - delay, 0), village, min(max(level, 0), AWAS), source)
        model.log(day, village, "report", f"{source} -> Camat", detail=f"level {level}; inject")


def _provoke(model: Any, village: int, reach: float, actors: str, rng: np.random.Generator) -> None:
    """A provocation in one village, with the gain the tension phase gives one (§7.3): the
    residents it reaches (not the detained) get `provocation_gain` x today's stakes more tension."""
    rows = model.people_in(village)
    p = model.people
    hit = rows[(rng.random(len(rows)) < reach) & (p.state[rows] != Escalation.DETAINED)]
    if len(hit):
        gain = model.spec.dynamics.tension.provocation_gain * model.today.stage.at(village).stakes
        p.tension[hit] = np.minimum(p.tension[hit] + np.float32(gain), np.float32(1.0))
    model.log(model.day, village, "provocation", actors or "provokator", size=len(hit))


@dataclass
class Schedule:
    """The injects of a run by day: (kind, village, parameters) in the order they were added."""

    by_day: dict[int, list[tuple[str, int, dict[str, Any]]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, day: int, kind: str, village: int, **params: Any) -> None:
        if kind not in KINDS:
            raise InjectError(f"unknown inject kind {kind!r}; kinds: {', '.join(KINDS)}")
        self.by_day[int(day)].append((kind, int(village), dict(params)))

    def __len__(self) -> int:
        return sum(len(v) for v in self.by_day.values())

    def apply_due(self, model: Any, day: int) -> None:
        """Apply the injects of `day` (called once a day by `SiagaModel.step`)."""
        for index, (kind, village, params) in enumerate(self.by_day.get(day, ())):
            apply(model, kind, village, index=index, **params)
