"""The workshop's exercise, without any Solara: a trainee takes the Camat's place in one model.

The trainee's model runs the scenario with no automatic intervention (policy "none") except that
Kades report to the Camat from WASPADA on, so reports reach the desk; these reports arrive
`report_delay_days` late and are sometimes misread by a level (agents/camat.py). The model is run
unattended up to `start_day`; then each exercise day the trainee reads the reports, gives orders
(`model.take_command`), and the day runs. The counterfactuals are the same scenario and seed with
no orders at all, and with the early joint policy, over the same days (`siaga.app.debrief`).
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from agents.camat import ORDERS, OrderRefused
from siaga.app import registry, sessions
from siaga.app.exercise_setup import ExerciseSetup


class Report(NamedTuple):
    """A report on the Camat's desk, as the Camat keeps it (agents/camat.py `received`)."""

    arrival: int  # the day it reached the desk
    sent: int  # the day the Kades or Babinsa sent it
    village: int
    level: int  # the level as read at the desk (possibly misread)
    source: str  # "Kades" or "Babinsa"


@dataclass
class Exercise:
    """One trainee's run. `levels[d]` is the true (noise-free) alert level of each village on day d."""

    setup: ExerciseSetup
    trainee: str = ""
    code: str | None = None
    trainee_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])

    def __post_init__(self) -> None:
        self.model = self.setup.model("none")
        self.camat = self.model.take_command(0, self.setup.budget)
        self.levels: list[np.ndarray] = []
        self.lock = threading.Lock()
        self.message: str | None = None
        self.closed = False
        sessions.track_model(self.model, "workshop")
        self._run(self.setup.start_day)
        sessions.own(self)

    def close(self) -> None:
        """The trainee's browser session has ended: drop the model (a facilitator's registry keeps
        the trainee's summary: name, day reached, result if finished)."""
        with self.lock:
            if self.closed:
                return
            self.closed = True
            day = self.today
            self.model = None  # type: ignore[assignment]
            self.camat = None
            self.levels = []
        if self.code:
            registry.left(self.code, self.trainee_id, day)

    def _run(self, n: int) -> int:
        done = 0
        while done < n and not self.finished and not self.closed:
            self.model.step()
            self.levels.append(self.model.alert_level.copy())
            done += 1
        return done

    @property
    def finished(self) -> bool:
        return self.model is None or self.model.day >= self.model.calendar.n_days

    @property
    def today(self) -> int:
        """The last simulated day: the evening on which the trainee decides."""
        return self.model.day - 1

    @property
    def exercise_day(self) -> int:
        return self.model.day - self.setup.start_day

    @property
    def budget_left(self) -> float:
        return self.camat.budget - self.camat.spent

    def run_days(self, n: int = 1) -> int:
        with self.lock:
            return self._run(n)

    def reports_today(self) -> list[Report]:
        """Reports that reached the desk today (sent some days ago; possibly misread)."""
        return [r for r in self.received() if r.arrival == self.today]

    def received(self) -> list[Report]:
        """Every report that reached the desk so far, with named fields."""
        return [Report._make(r) for r in self.camat.received]

    def desk_levels(self) -> np.ndarray:
        """What the Camat believes: each village's last reported level, -1 if never reported."""
        out = np.full(self.model.region.n_villages, -1, dtype=np.int64)
        for v, (lvl, _day) in self.camat.known.items():
            out[v] = lvl
        return out

    def order(self, kind: str, village: int | None) -> dict:
        if kind not in ORDERS:
            raise OrderRefused(f"unknown order {kind!r}")
        if self.finished:
            raise OrderRefused("the exercise is over")
        with self.lock:
            return self.camat.order(kind, None if kind == "rakor" else village)

    def first_report_day(self, village: int, level: int = 1) -> int | None:
        days = [r.arrival for r in self.received() if r.village == village and r.level >= level and r.arrival <= self.today]
        return min(days) if days else None


class CounterfactualCache:
    """Counterfactual runs shared by every trainee of the same set-up (they are identical)."""

    def __init__(self, size: int = 8):
        self.size = size
        self._runs: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, setup: ExerciseSetup, policy: str) -> dict[str, Any]:
        key = (setup, policy)
        with self._lock:
            if key in self._runs:
                self._runs.move_to_end(key)
                return self._runs[key]
        run = counterfactual(setup, policy)
        with self._lock:
            self._runs[key] = run
            while len(self._runs) > self.size:
                self._runs.popitem(last=False)
        return run


def counterfactual(setup: ExerciseSetup, policy: str) -> dict[str, Any]:
    """The same scenario, seed and days under `policy` with nobody at the desk."""
    m = setup.model(policy)
    levels = []
    while m.running and m.day < m.calendar.n_days:
        m.step()
        levels.append(m.alert_level.copy())
    return summarise(m, levels)


def summarise(model, levels: list[np.ndarray]) -> dict[str, Any]:
    ts = model.datacollector.get_model_vars_dataframe()
    return {
        "outcomes": model.outcomes(),
        "village_incidents": model.village_incidents.copy(),
        "levels": np.array(levels) if levels else np.zeros((0, model.region.n_villages), dtype=np.int8),
        "incidents_per_day": ts["incidents"].to_numpy() if len(ts) else np.zeros(0),
    }


COUNTERFACTUALS = CounterfactualCache()
