"""What a facilitator fixes for every trainee of a workshop session: scenario, seed, window, budget.

Its own module so that the session registry (`siaga.app.registry`, which keeps set-ups) and the
trainee's run (`siaga.app.exercise`, which tells the registry when a trainee leaves) both import
it without importing each other.

Day numbers (one convention for the desk, the registry and the debrief): the trainee sits at the
desk on the evenings of days `first_day` = `start_day` ... `last_day` = `start_day + length - 1`
(the model's day numbers, day 0 = the calendar's first day), after that day has run, as the
automatic Camat decides (agents/camat.py). Days 0..`start_day` run unattended first; the last
evening's orders act on one more day, `last_day + 1`, so a model of `days` = `start_day + length + 1`
days. A set-up may come from an exercise file (`exercise`: scenarios/exercise_schema.py): then
its scenario, seed, window and budget are the file's, and its injects are scheduled in every model
the set-up makes, the trainee's and the counterfactuals alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenarios import DEFAULT_SCENARIO, ScenarioError, load_scenario
from scenarios.exercise_schema import (
    MAX_BUDGET,
    MAX_EXERCISE_DAYS,
    Exercise,
    exercise_names,
    exercises_dir,
    get_exercise,
)
from siaga.app.inputs import InputError, parse_int
from siaga.app.scenario_picker import scenario_source
from siaga.app.state import schema_default, schema_range
from siaga.i18n import t
from simulation.model import SiagaModel

REPORTING = {"policy__kades__report_level": "WASPADA"}  # Kades report from WASPADA: the desk has news
__all__ = ["MAX_BUDGET", "MAX_EXERCISE_DAYS", "REPORTING", "ExerciseSetup"]


@dataclass(frozen=True)
class ExerciseSetup:
    """What a facilitator fixes for every trainee of a session (same scenario, seed and days)."""

    scenario: str = DEFAULT_SCENARIO
    seed: int = schema_default("seed")
    start_day: int = 75
    length: int = 25
    budget: float = 120.0
    exercise: str | None = None  # an exercise file (shipped name or path) whose injects every model gets

    @property
    def first_day(self) -> int:
        """The first evening at the desk."""
        return self.start_day

    @property
    def last_day(self) -> int:
        """The last evening at the desk."""
        return self.start_day + self.length - 1

    @property
    def days(self) -> int:
        """Days the trainee's model (and each counterfactual) runs: up to the day after the last evening."""
        return self.start_day + self.length + 1

    @classmethod
    def from_exercise(cls, name_or_path: str) -> ExerciseSetup:
        """The set-up an exercise file fixes; InputError (the file's own message) if it is refused."""
        try:
            ex = get_exercise(name_or_path)
        except ScenarioError as exc:
            raise InputError(str(exc)) from None
        s = ex.spec
        shipped = ex.path.parent == exercises_dir() and ex.name in exercise_names()
        # a shipped exercise by name (the same on every install; a stored session finds it again), any other by path
        return cls(ex.scenario_source, s.seed, s.window.start_day, s.window.days, float(s.budget), ex.name if shipped else str(ex.path))

    def exercise_file(self) -> Exercise | None:
        """The exercise this set-up comes from (re-read only when the file changed), or None."""
        return None if self.exercise is None else get_exercise(self.exercise)

    @classmethod
    def parse(cls, scenario: str, seed: str, start_day: str, length: str, budget: str, lang: str = "id") -> ExerciseSetup:
        """From the text fields of the set-up form; InputError names the field and the problem."""
        src = scenario_source(scenario)
        try:
            n_days = load_scenario(src).total_days
        except ScenarioError as exc:
            raise InputError(str(exc)) from None
        s = parse_int(seed, t("seed", lang), *schema_range("seed"), lang)
        a = parse_int(start_day, t("ws_start_day", lang), 0, n_days - 2, lang)
        n = parse_int(length, t("ws_length", lang), 1, min(MAX_EXERCISE_DAYS, n_days - 1 - a), lang)
        b = parse_int(budget, t("ws_budget", lang), 0, MAX_BUDGET, lang)
        return cls(scenario, s, a, n, float(b))

    def model(self, policy: str = "none", **extra: Any) -> SiagaModel:
        """The set-up's model under `policy`, with the exercise's injects scheduled (if any)."""
        ex = self.exercise_file()
        src = ex.scenario_source if ex is not None else scenario_source(self.scenario)
        m = SiagaModel(src, seed=self.seed, policy=policy, days=self.days, **{**REPORTING, **extra})
        if ex is not None:
            for day, kind, village, params in ex.injects_model():
                m.injects.add(day, kind, village, **params)
        return m
