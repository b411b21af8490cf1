"""What one browser session explores: the settings typed into the controls, checked, and the model
built from them. Plain Python (no Solara), so it is unit-tested without a browser.

A `Sim` is built per browser session (by the explorer component, never at import): each session
has its own model. Settings come from text fields and sliders; text is parsed and a bad
value raises `InputError` (siaga/app/inputs.py) with a message for the page instead of reaching
the model. The scenarios offered are siaga/app/scenario_picker.py's; what the pages read off the
model, siaga/app/readouts.py's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from common.levels import ALERT_LEVELS
from scenarios import DEFAULT_SCENARIO, ScenarioError
from scenarios.schema import PolicySpec, Scenario
from siaga.app import sessions
from siaga.app.drawing import NetworkLayout, charts_svg, map_svg, network_layout, network_svg, rows_of
from siaga.app.inputs import InputError, parse_int
from siaga.app.readouts import EventRow, feed_kinds, kelurahan_by_code, proactive_cost, race_stages, recent_events
from siaga.app.scenario_picker import scenario_label, scenario_source
from siaga.i18n import t
from simulation.interventions import PRESETS, PolicyError, resolve_policy
from simulation.model import SiagaModel

BIG_REGION_VILLAGERS = 200_000  # above this the app warns that it draws aggregates only
logger = logging.getLogger("siaga.app")


# -- the scenario schema is the one source of every range and default the app offers ------------

def schema_field(path: str) -> FieldInfo:
    """The scenario schema's field at a dotted path ("policy.kades.delay_days", "seed")."""
    model: type[BaseModel] = Scenario
    *parents, name = path.split(".")
    for part in parents:
        model = model.model_fields[part].annotation  # a nested section: PolicySpec, KadesPolicy, ...
    return model.model_fields[name]


def schema_range(path: str) -> tuple[Any, Any]:
    """The (lowest, highest) value the schema accepts at `path`, from its Field(ge=..., le=...)."""
    lo = hi = None
    for rule in schema_field(path).metadata:
        lo = getattr(rule, "ge", lo)
        hi = getattr(rule, "le", hi)
    if lo is None or hi is None:
        raise KeyError(f"{path}: the schema gives no closed range (ge and le)")
    return lo, hi


def schema_default(path: str) -> Any:
    """The schema's default at `path` (what a scenario that does not set it gets)."""
    return schema_field(path).get_default(call_default_factory=True)


# The levers shown as controls -> the scenario parameter each one sets (its range and default).
# The one "act level" dial also sets every other official's level (`Levers.overrides`).
LEVER_PATHS: dict[str, str] = {
    "kades_mediation": "policy.kades.mediation",
    "act_level": "policy.kades.act_level",
    "kades_delay": "policy.kades.delay_days",
    "mediation_strength": "policy.kades.mediation_strength",
    "early_patrol": "policy.police.early_patrol",
    "police_delay": "policy.police.response_delay_days",
    "camat_coordination": "policy.camat.coordination",
    "counter_hoax": "policy.counter_hoax.enabled",
    "counter_hoax_effect": "policy.counter_hoax.effect",
    "neutrality": "policy.neutrality.enforcement",
    "polres_units": "officials.polres_backup_units",
    "backup_availability": "officials.backup_availability",
    "supporter_share": "population.active_supporter_share",
    "hardship": "population.hardship_mean",
    "threshold": "population.threshold_mean",
    "initial_tension": "population.initial_tension_mean",
}
ACT_LEVEL_PATHS = ("policy.kades.report_level", "policy.police.patrol_level", "policy.counter_hoax.level")


def lever_range(lever: str) -> tuple[Any, Any]:
    """The range a lever's control offers: the schema's range of the parameter it sets."""
    return schema_range(LEVER_PATHS[lever])


def _lever_default(lever: str) -> Any:
    return schema_default(LEVER_PATHS[lever])


@dataclass(frozen=True)
class Levers:
    """The intervention levers and population knobs shown as controls (one resolved value each)."""

    kades_mediation: bool = _lever_default("kades_mediation")
    act_level: str = _lever_default("act_level")
    kades_delay: int = _lever_default("kades_delay")
    mediation_strength: float = _lever_default("mediation_strength")
    early_patrol: bool = _lever_default("early_patrol")
    police_delay: int = _lever_default("police_delay")
    camat_coordination: bool = _lever_default("camat_coordination")
    counter_hoax: bool = _lever_default("counter_hoax")
    counter_hoax_effect: float = _lever_default("counter_hoax_effect")
    neutrality: float = _lever_default("neutrality")
    polres_units: int = _lever_default("polres_units")
    backup_availability: float = _lever_default("backup_availability")
    supporter_share: float = _lever_default("supporter_share")
    hardship: float = _lever_default("hardship")
    threshold: float = _lever_default("threshold")
    initial_tension: float = _lever_default("initial_tension")

    @classmethod
    def from_preset(cls, preset: str, base: Levers | None = None) -> Levers:
        """The levers as a preset sets them (population knobs kept from `base`)."""
        if preset not in PRESETS:
            raise InputError(f"unknown policy preset {preset!r}")
        pol = resolve_policy(PolicySpec(presets=[preset]))
        base = base or cls()
        return replace(
            base,
            kades_mediation=pol.kades.mediation,
            act_level=pol.kades.act_level,
            kades_delay=pol.kades.delay_days,
            mediation_strength=pol.kades.mediation_strength,
            early_patrol=pol.police.early_patrol,
            police_delay=pol.police.response_delay_days,
            camat_coordination=pol.camat.coordination,
            counter_hoax=pol.counter_hoax.enabled,
            counter_hoax_effect=pol.counter_hoax.effect,
            neutrality=pol.neutrality.enforcement,
        )

    def overrides(self) -> dict[str, Any]:
        """SiagaModel keyword arguments. One "act level" dial moves every official's level
        together, so early versus late is one control."""
        lvl = self.act_level
        out = {path.replace(".", "__"): getattr(self, lever) for lever, path in LEVER_PATHS.items()}
        out.update({path.replace(".", "__"): lvl for path in ACT_LEVEL_PATHS})
        out["policy__camat__convene_level"] = "AWAS" if lvl == "AWAS" else "SIAGA"
        return out


@dataclass(frozen=True)
class Settings:
    scenario: str = DEFAULT_SCENARIO
    seed_text: str = ""
    days_text: str = ""
    preset: str = "none"
    levers: Levers = field(default_factory=Levers)


class Run:
    """One background run of a `Sim`: a thread that steps day by day until `n` days, the end of
    the calendar, or `stop` is set (checked between two days)."""

    def __init__(self, sim: Sim, n: int, pause_s: float, on_progress, on_done, update_every_s: float):
        self.sim, self.n, self.pause_s = sim, n, pause_s
        self.on_progress, self.on_done, self.update_every_s = on_progress, on_done, update_every_s
        self.stop = threading.Event()
        self.done = 0
        self.thread = threading.Thread(target=self._loop, name=sessions.RUN_THREAD_NAME, daemon=True)

    @property
    def alive(self) -> bool:
        return self.thread.is_alive() and not self.stop.is_set()

    def start(self) -> None:
        self.thread.start()

    def _call(self, fn) -> bool:
        if fn is None:
            return True
        try:
            fn()
            return True
        except Exception:  # the page is gone or failed to draw: stop running for it
            logger.exception("a background run stopped: the page could not be updated")
            return False

    def _loop(self) -> None:
        sim = self.sim
        last = time.perf_counter()
        try:
            while self.done < self.n and not self.stop.is_set():
                if not sim.step_one():
                    break
                self.done += 1
                if self.stop.is_set():
                    break
                if self.pause_s > 0 or time.perf_counter() - last >= self.update_every_s:
                    if not self._call(self.on_progress):
                        self.stop.set()
                        break
                    last = time.perf_counter()
                if self.pause_s > 0:
                    self.stop.wait(self.pause_s)
        finally:
            self.stop.set()
            if not sim.closed:
                self._call(self.on_done)
            self.sim = None  # type: ignore[assignment]


@dataclass(frozen=True)
class RunSummary:
    """What the explorer keeps of a run when the next one is built: enough to set the two side
    by side (its settings, its totals up to the day it reached, its incidents day by day)."""

    scenario: str
    preset: str
    seed: int
    day: int  # days run
    incidents: int
    participants: int
    arrests: int
    villages_with_violence: int
    cost: float  # person-days of proactive work (`proactive_cost`)
    peak_mobilised: float  # the highest daily share of people mobilised
    days: np.ndarray
    cumulative_incidents: np.ndarray

    def label(self, lang: str = "id") -> str:
        return f"{scenario_label(self.scenario, lang).split(' — ')[0]} · {t('policy_word', lang)}: {self.preset} · {t('cmp_seed', lang)} {self.seed}"


class Sim:
    """One session's model, the daily rows so far, cached network layouts and timings."""

    def __init__(self, settings: Settings, lang: str = "id"):
        src = scenario_source(settings.scenario)
        seed = parse_int(settings.seed_text, t("seed", lang), *schema_range("seed"), lang, allow_empty=True)
        days = parse_int(settings.days_text, t("days", lang), *schema_range("days"), lang, allow_empty=True)

        try:
            self.model = SiagaModel(src, seed=seed, policy=settings.preset, days=days, **settings.levers.overrides())
        except (ScenarioError, PolicyError, ValueError) as exc:  # any value the model refuses
            raise InputError(str(exc)) from None
        self.settings = settings
        self.lock = threading.Lock()
        self.layouts: dict[int, NetworkLayout] = {}
        self.selected: int | None = None
        self.step_ms: float | None = None
        self.render_ms: float | None = None
        self.closed = False
        self._run: Run | None = None
        sessions.track_model(self.model, "explorer")
        sessions.own(self)

    # -- runs in a background thread, stoppable between two days ---------------------------------

    @property
    def running(self) -> bool:
        run = self._run
        return run is not None and run.alive

    def start_run(self, n: int, pause_s: float = 0.0, on_progress: Callable[[], None] | None = None,
                  on_done: Callable[[], None] | None = None, update_every_s: float = 0.25) -> Run | None:
        """Run up to `n` days in a thread (the page stays responsive); `stop_run()` stops it
        between two days. `on_progress` is called after a day at most every `update_every_s`
        (after every day when `pause_s` > 0), `on_done` once at the end, stopped or not."""
        if self.closed or self.finished or n <= 0:
            return None
        self.stop_run()
        run = self._run = Run(self, n, pause_s, on_progress, on_done, update_every_s)
        run.start()
        return run

    def stop_run(self) -> None:
        """Ask the current run to stop after the day it is computing (does not wait)."""
        run = self._run
        if run is not None:
            run.stop.set()

    def close(self) -> None:
        """The session has ended (or this model was replaced): stop any run and let the model go."""
        if self.closed:
            return
        self.stop_run()  # no join: Solara may call this holding the session's lock, which a run drawing a day needs;
        with self.lock:  # a run checks `closed` under this lock before each day, so it steps no more
            self.closed = True
            self.model = None  # type: ignore[assignment]
            self.layouts.clear()
            self._run = None

    @property
    def finished(self) -> bool:
        m = self.model
        return m is None or m.day >= m.calendar.n_days

    @property
    def big(self) -> bool:
        return self.model.people.n > BIG_REGION_VILLAGERS

    def step(self, n: int = 1) -> int:
        """Run up to `n` days now (in the caller's thread); returns how many ran."""
        done = 0
        while done < n and self.step_one():
            done += 1
        return done

    def step_one(self) -> bool:
        """One day, if the calendar has one left and the session is open."""
        with self.lock:
            if self.closed or self.finished:
                return False
            t0 = time.perf_counter()
            self.model.step()
            self.step_ms = 1000 * (time.perf_counter() - t0)
            return True

    def select(self, village: int | None) -> None:
        if village is not None and not 0 <= village < self.model.region.n_villages:
            raise InputError(f"village {village} out of range")
        self.selected = village

    def layout(self, village: int) -> NetworkLayout:
        if village not in self.layouts:
            self.layouts[village] = network_layout(self.model, village, seed=self.model.seed)
        return self.layouts[village]

    def pictures(self, lang: str = "id", cumulative: bool = False) -> dict[str, str]:
        """Everything the explorer draws for today, as SVG text; times itself. `cumulative`: the
        map shows each village's worst alert level and incidents so far instead of today's."""
        with self.lock:
            t0 = time.perf_counter()
            m = self.model
            shares, incidents, resources = charts_svg(m, rows_of(m), lang)
            out = {"map": map_svg(m, self.selected, lang, cumulative=cumulative), "shares": shares, "incidents": incidents, "resources": resources}
            if self.selected is not None:
                out["network"] = network_svg(m, self.layout(self.selected), lang)
            self.render_ms = 1000 * (time.perf_counter() - t0)
            return out

    def recent_events(self, village: int | None = None, limit: int = 30, groups: tuple[str, ...] | None = None) -> list[EventRow]:
        """The last `limit` events, newest first; of one village (by its code) if `village` is
        given; of the feed groups `groups` (`FEED_GROUPS`) if given."""
        return recent_events(self.model, village, limit, kinds=None if groups is None else feed_kinds(groups))

    def cost_so_far(self) -> float:
        """The policy's cost so far, in person-days: proactive work beyond the reactive baseline
        (the model's tally of officer-days of `simulation.metrics.PROACTIVE_ROLES`, the same sum as
        the `intervention_cost` outcome)."""
        return proactive_cost(self.model)

    def kelurahan(self) -> dict[str, bool]:
        return kelurahan_by_code(self.model.region)

    def summary(self) -> RunSummary:
        """This run so far, to compare the next run with (`RunSummary`)."""
        with self.lock:
            m = self.model
            data = m.datacollector.model_vars
            days = np.asarray(data.get("day", []), dtype=float)
            return RunSummary(
                scenario=self.settings.scenario, preset=self.settings.preset, seed=int(m.seed), day=int(m.day),
                incidents=len(m.tally.incidents), participants=int(sum(i["size"] for i in m.tally.incidents)),
                arrests=int(np.sum(data.get("arrests", [0]))),
                villages_with_violence=int(np.count_nonzero(m.villages.incidents)),
                cost=proactive_cost(m), peak_mobilised=float(np.max(data.get("mobilised", [0.0]), initial=0.0)),
                days=days, cumulative_incidents=np.cumsum(np.asarray(data.get("incidents", []), dtype=float)),
            )

    def status(self) -> dict[str, Any]:
        """The last simulated day (day 0 before any step), its date and stage."""
        m = self.model
        last = max(m.day - 1, 0)
        stage = m.calendar.stage_spec(last)
        return {
            "day": m.day,
            "total": m.calendar.n_days,
            "date": m.calendar.date(last),
            "stage_name": stage.name,
            "stage_label": stage.label or stage.name,
            "stages": race_stages(m, last),
            "levels": np.bincount(m.alert_level, minlength=len(ALERT_LEVELS)).tolist(),
            "incidents": len(m.incidents),
        }


