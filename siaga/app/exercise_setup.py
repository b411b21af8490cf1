"""What a facilitator fixes for every trainee of a workshop session: scenario, seed, window, budget.

Its own module so that the session registry (`siaga.app.registry`, which keeps set-ups) and the
trainee's run (`siaga.app.exercise`, which tells the registry when a trainee leaves) both import
it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scenarios import DEFAULT_SCENARIO, ScenarioError, load_scenario
from siaga.app.state import InputError, parse_int, scenario_source, schema_default, schema_range
from siaga.i18n import t
from simulation.model import SiagaModel

REPORTING = {"policy__kades__report_level": "WASPADA"}  # Kades report from WASPADA: the desk has news
MAX_EXERCISE_DAYS = 120
MAX_BUDGET = 10_000


@dataclass(frozen=True)
class ExerciseSetup:
    """What a facilitator fixes for every trainee of a session (same scenario, seed and days)."""

    scenario: str = DEFAULT_SCENARIO
    seed: int = schema_default("seed")
    start_day: int = 75
    length: int = 25
    budget: float = 120.0

    @property
    def days(self) -> int:
        return self.start_day + self.length

    @classmethod
    def parse(cls, scenario: str, seed: str, start_day: str, length: str, budget: str, lang: str = "id") -> ExerciseSetup:
        """From the text fields of the set-up form; InputError names the field and the problem."""
        src = scenario_source(scenario)
        try:
            n_days = load_scenario(src).total_days
        except ScenarioError as exc:
            raise InputError(str(exc)) from None
        s = parse_int(seed, t("seed", lang), *schema_range("seed"), lang)
        a = parse_int(start_day, t("ws_start_day", lang), 0, n_days - 1, lang)
        n = parse_int(length, t("ws_length", lang), 1, min(MAX_EXERCISE_DAYS, n_days - a), lang)
        b = parse_int(budget, t("ws_budget", lang), 0, MAX_BUDGET, lang)
        return cls(scenario, s, a, n, float(b))

    def model(self, policy: str = "none", **extra: Any) -> SiagaModel:
        return SiagaModel(scenario_source(self.scenario), seed=self.seed, policy=policy, days=self.days, **{**REPORTING, **extra})
