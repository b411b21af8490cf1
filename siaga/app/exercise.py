"""The workshop's exercise, without any Solara: a trainee takes the Camat's place in one model.

The trainee's model runs the scenario with no automatic intervention (policy "none") except that
Kades report to the Camat from WASPADA on, so reports reach the desk; these reports arrive
`report_delay_days` late and are sometimes misread by a level (agents/camat.py). The model is run
unattended up to and including `start_day`; then on each exercise evening (`today`, the last day
run: siaga/app/exercise_setup.py says the day convention) the trainee reads the reports and
messages that arrived since the last evening seen, gives orders (`model.take_command`), and the
next day runs. An exercise file's injects (scenarios/exercise_schema.py) are scheduled in the
model; their messages reach the trainee on their day. The counterfactuals are the same scenario,
seed and injects with no orders at all, and with the early joint policy, over the same days
(`siaga.app.debrief`). `check_objectives` says which of the file's objectives a run met.
"""

from __future__ import annotations

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import InitVar, dataclass, field
from typing import Any, NamedTuple

import numpy as np

from agents.camat import ORDERS, OrderRefused
from common.levels import level_of
from scenarios.exercise_schema import Exercise as ExerciseFile
from siaga.app import registry, sessions
from siaga.app.exercise_setup import ExerciseSetup


class Message(NamedTuple):
    """An inject's message, as the trainee receives it on its day."""

    day: int
    village: int
    kind: str  # the inject's kind (simulation/injects.py)
    text_id: str
    text_en: str

    def text(self, lang: str) -> str:
        return self.text_en if lang == "en" else self.text_id


class ObjectiveResult(NamedTuple):
    """One objective of an exercise file against a run: met or not, and the figure behind it."""

    kind: str
    met: bool
    village: int | None  # no_incident
    target: int  # no_incident: 0; incidents_at_most: n; respond_within: days
    value: int  # incidents counted, or reports not answered in time
    level: str = ""  # respond_within


class Report(NamedTuple):
    """A report on the Camat's desk, as the Camat keeps it (agents/camat.py `received`)."""

    arrival: int  # the day it reached the desk
    sent: int  # the day the Kades or Babinsa sent it
    village: int
    level: int  # the level as read at the desk (possibly misread)
    source: str  # "Kades" or "Babinsa"


@dataclass
class Exercise:
    """One trainee's run. `levels[d]` is the true (noise-free) alert level of each village on day d.

    `Exercise(setup)` runs the days before the desk opens at once (tests, scripts); the workshop
    page passes `run_up_now=False` and calls `run_up()` in a background thread
    (siaga/app/run_up.py), so that a long run-up does not block the page and can be cancelled.
    Either way the same days run in the same order on one thread: the result is the same."""

    setup: ExerciseSetup
    trainee: str = ""
    code: str | None = None
    trainee_id: str = field(default_factory=lambda: uuid.uuid4().hex[:10])
    run_up_now: InitVar[bool] = True

    def __post_init__(self, run_up_now: bool = True) -> None:
        self.model = self.setup.model("none")
        self.camat = self.model.take_command(0, self.setup.budget)
        self.levels: list[np.ndarray] = []
        self.lock = threading.Lock()
        self.message: str | None = None
        self.closed = False
        self.file = self.setup.exercise_file()  # the exercise file, if the set-up comes from one
        self.briefed = self.file is None  # an exercise's briefing is read before the first evening
        self.live: list[Message] = []  # the facilitator's live injects this run has taken
        self._replaying = False
        # set by halt() (a cancel) or close(), read between two days: a run in another thread stops
        # after the day it is computing without waiting for `lock`
        self._halt = threading.Event()
        self.on_day: Callable[[int], None] | None = None  # told each day run (the run-up's progress bar)
        self.seen_from = 0  # the first day whose reports and messages are new on the desk (set by run_up)
        sessions.track_model(self.model, "workshop")
        sessions.own(self)  # before the run-up: a page closed during it stops it (close() halts)
        if run_up_now:
            self.run_up()

    def run_up(self) -> bool:
        """Run days 0..start_day unattended (the desk opens on the evening of start_day). Returns
        False when halted or closed first; the run is then half-made and only fit to be closed."""
        with self.lock:
            if self.closed:
                return False
            self._run(self.setup.start_day + 1 - self.model.day)
            if self.model.day <= self.setup.start_day:
                return False
            self.seen_from = self.today
            return True

    @property
    def ready(self) -> bool:
        """The run-up is complete: the desk can open (False while it runs, or once halted/closed)."""
        return not self.closed and self.model.day > self.setup.start_day

    def halt(self) -> None:
        """Stop a run going on in another thread after the day it is computing (does not wait)."""
        self._halt.set()

    def close(self) -> None:
        """The trainee's browser session has ended: drop the model (a facilitator's registry keeps
        the trainee's summary: name, day reached, result if finished). A run halted before
        (a cancelled start or replay, siaga/app/run_up.py) is half-made: the stored row, if any,
        stays as it was."""
        half_made = self._halt.is_set()
        self._halt.set()  # a run under way stops after its day and lets go of the lock
        with self.lock:
            if self.closed:
                return
            # the row says "left" before the model goes, so that whoever sees the model gone also
            # sees the row marked; a tab another tab has overtaken leaves the row alone (revision)
            if self.code and not half_made:
                registry.left(self.code, self.trainee_id, self.today, registry.revision_of(self))
            self.closed = True
            self.model = None  # type: ignore[assignment]
            self.camat = None
            self.levels = []

    def _run(self, n: int) -> int:
        done = 0
        while done < n and not self.finished and not self.closed and not self._halt.is_set():
            self.model.step()
            self.levels.append(self.model.alert_level.copy())
            done += 1
            if self.on_day is not None:
                self.on_day(self.today)
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
        """Which evening at the desk this is: 1 .. setup.length (length + 1 once the run is over)."""
        return self.today - self.setup.start_day + 1

    @property
    def last_evening(self) -> bool:
        return self.today >= self.setup.last_day

    @property
    def budget_left(self) -> float:
        return self.camat.budget - self.camat.spent

    def run_days(self, n: int = 1) -> int:
        """Run up to `n` days (never past the end); what arrives in them is new on the desk. The
        facilitator's live injects not taken yet act on the first of those days."""
        with self.lock:
            if self.finished or n <= 0:
                return 0
            self.seen_from = self.today + 1
            if not self._replaying:
                self._take_live_injects()
            return self._run(n)

    def _take_live_injects(self) -> None:
        for row in registry.pending_injects(self.code, self.trainee_id):
            self._schedule_live(row, self.model.day)
            registry.mark_received(self.trainee_id, row["id"], self.model.day)

    def _schedule_live(self, row: dict, day: int) -> None:
        """A live inject (siaga/app/registry.py `fire_inject`) into this run on model day `day`."""
        if row["kind"] != "message":
            self.model.inject(row["kind"], int(row["village"]), day=day, **row["params"])
        self.live.append(Message(day, int(row["village"]), row["kind"], row["text_id"], row["text_en"]))

    def restore_live_injects(self, rows: list[dict]) -> None:
        """Before a replay: the live injects the stored run took, each on its own day again."""
        for row in rows:
            self._schedule_live(row, int(row["day"]))

    def reports_today(self) -> list[Report]:
        """Reports that reached the desk today (sent some days ago; possibly misread)."""
        return [r for r in self.received() if r.arrival == self.today]

    def new_reports(self) -> list[Report]:
        """Reports that reached the desk since the last evening the trainee saw: after "run 7
        days", all seven days' reports, not only the last day's."""
        return [r for r in self.received() if self.seen_from <= r.arrival <= self.today]

    def messages(self) -> list[Message]:
        """The exercise's inject messages received so far (on or before today), in day order: the
        exercise file's and the facilitator's live ones."""
        out = list(self.live)
        if self.file is not None:
            out += [Message(i.day, self.file.village(i.village), i.kind, i.message.id, i.message.en) for i in self.file.spec.injects]
        return sorted((m for m in out if m.day <= self.today), key=lambda m: m.day)

    def new_messages(self) -> list[Message]:
        return [m for m in self.messages() if m.day >= self.seen_from]

    def objectives(self) -> list[ObjectiveResult]:
        """The exercise file's objectives against this run so far (empty without a file)."""
        if self.file is None:
            return []
        return check_objectives(self.file, self.model, self.setup, self.camat.orders, self.received(), self.today)

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

    def replay(self, orders: list[dict], model_day: int) -> int:
        """Rebuild a stored run (after a reload or a server restart, `siaga.app.store`): the model
        is deterministic for (scenario, seed), so the same orders given on the same days, then the
        same days run, give the same state. Returns how many orders came out differently from the
        stored records (0 unless the model changed since; the caller says so)."""
        differ = 0
        self._replaying = True  # the stored run's live injects are scheduled already (restore_live_injects)
        try:
            differ = self._replay(orders, model_day)
        finally:
            self._replaying = False
        return differ

    def _replay(self, orders: list[dict], model_day: int) -> int:
        differ = 0
        for rec in orders:
            self.run_days(int(rec["day"]) + 1 - self.model.day)  # orders are given in the evening of rec["day"]
            if self._halt.is_set():  # cancelled (siaga/app/run_up.py): the caller throws this run away
                return differ
            try:
                got = self.order(rec["kind"], rec["village"])
            except OrderRefused:
                differ += 1
                continue
            differ += got["day"] != rec["day"] or got["outcome"] != rec["outcome"]
        self.run_days(int(model_day) - self.model.day)
        return differ

    def first_report_day(self, village: int, level: int = 1) -> int | None:
        days = [r.arrival for r in self.received() if r.village == village and r.level >= level and r.arrival <= self.today]
        return min(days) if days else None


def check_objectives(file: ExerciseFile, model: Any, setup: ExerciseSetup, orders: list[dict], received: list[Report],
                     today: int) -> list[ObjectiveResult]:
    """Each objective of exercise `file` against a run (`model`, its Camat's `orders` and
    `received` reports) up to `today`. Incidents count from the first evening at the desk on
    (`setup.first_day`); a report of the window counts as answered when an order for its village
    (or a rakor) came on an evening from its arrival to `days` later (or to the last evening); a
    report whose time is not up yet is not counted against the trainee. A counterfactual run is
    checked with no orders."""

    incidents = [i for i in model.incidents if i["day"] >= setup.first_day]
    out = []
    for obj in file.spec.objectives:
        if obj.kind == "no_incident":
            v = file.village(obj.village)
            n = sum(1 for i in incidents if i["village"] == v)
            out.append(ObjectiveResult(obj.kind, n == 0, v, 0, n))
        elif obj.kind == "incidents_at_most":
            out.append(ObjectiveResult(obj.kind, len(incidents) <= obj.n, None, obj.n, len(incidents)))
        else:
            lvl = level_of(obj.level)
            # reports of the window whose last evening to answer (never after the last one) has passed
            due = [r for r in received if r.level >= lvl and setup.first_day <= r.arrival <= setup.last_day
                   and min(r.arrival + obj.days, setup.last_day) < today]
            late = 0
            for r in due:
                if not any(r.arrival <= o["day"] <= r.arrival + obj.days and (o["village"] == r.village or o["kind"] == "rakor") for o in orders):
                    late += 1
            out.append(ObjectiveResult(obj.kind, late == 0, None, obj.days, late, obj.level))
    return out


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
