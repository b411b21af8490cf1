"""What one browser session explores: the settings typed into the controls, checked, and the model
built from them. Plain Python (no Solara), so it is unit-tested without a browser.

A `Sim` is built per browser session (by the explorer component, never at import): each session
has its own model. Settings come from text fields and sliders; text is parsed here and a bad
value raises `InputError` with a message for the page instead of reaching the model.
"""

from __future__ import annotations

import functools
import logging
import os
import re
import threading
import time
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from common.levels import ALERT_LEVELS
from scenarios import DEFAULT_SCENARIO, ScenarioError, library_names
from scenarios.files import library_dir
from scenarios.schema import PolicySpec, Scenario
from siaga.app import sessions
from siaga.app.drawing import NetworkLayout, charts_svg, map_svg, network_layout, network_svg, rows_of
from siaga.i18n import t
from simulation.interventions import PRESETS, PolicyError, resolve_policy
from simulation.metrics import PROACTIVE_ROLES
from simulation.model import SiagaModel

SYNTHETIC = {"sintetis_100rb": 100_000}  # generated regions offered in the picker (name -> villagers)
EXTRA_SCENARIOS_ENV = "SIAGA_APP_SCENARIOS"  # scenario files added by `siaga ui --scenario FILE` (os.pathsep-separated)
BIG_REGION_VILLAGERS = 200_000  # above this the app warns that it draws aggregates only
logger = logging.getLogger("siaga.app")


class InputError(ValueError):
    """A value typed into a control that cannot be used; the message is shown on the page."""


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


def extra_scenarios() -> dict[str, str]:
    """Scenario files given to `siaga ui --scenario`: picker name (file stem) -> path."""
    paths = [p for p in os.environ.get(EXTRA_SCENARIOS_ENV, "").split(os.pathsep) if p]
    return {Path(p).stem: p for p in paths}


def scenario_choices() -> list[str]:
    return [*library_names(), *extra_scenarios(), *SYNTHETIC]


@functools.lru_cache(maxsize=128)
def _scenario_head(path: str) -> tuple[str, str]:
    """(name, policy presets) written at the top of a scenario file, without building it; a file
    that `extends` another and sets no name or policy takes its parent's."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return "", ""
    name = str(data.get("name", "") or "")
    presets = data.get("policy", {}).get("presets") if isinstance(data.get("policy"), dict) else None
    policy = "+".join(str(p) for p in presets) if isinstance(presets, list) else ""
    parent = data.get("extends")
    if parent and (not name or not policy):
        parent_path = library_dir() / f"{parent}.toml"
        pname, ppolicy = _scenario_head(str(parent_path)) if parent_path.is_file() else ("", "")
        name, policy = name or pname, policy or ppolicy
    return name, policy


def scenario_info(name: str) -> tuple[str, str, str]:
    """(region, election, policy preset) of a picker entry, read from the scenario file's `name`
    ("Kecamatan Kepahiang, Pilkada 2024 — joint") and `[policy] presets`; the raw name when the
    file gives none."""
    if name in SYNTHETIC:
        return "", f"{SYNTHETIC[name]:,} warga", "none"
    path = extra_scenarios().get(name) or str(library_dir() / f"{name}.toml")
    title, policy = _scenario_head(path)
    title = title.split(" — ")[0].strip() if title else name
    region, _, election = title.partition(", ")
    return region.strip(), election.strip(), policy


def scenario_label(name: str, lang: str = "id") -> str:
    """A picker entry as people read it: "Kecamatan Kepahiang — Pilkada 2024 — kebijakan: joint"."""
    if name in SYNTHETIC:
        return f"{t('picker_generated', lang)} — {t('picker_villagers', lang, n=SYNTHETIC[name])}"
    region, election, policy = scenario_info(name)
    parts = [p for p in (region, election) if p]
    policy_text = f"{t('policy_word', lang)}: {policy or t('policy_default', lang)}"
    title = _scenario_head(extra_scenarios().get(name) or str(library_dir() / f"{name}.toml"))[0]
    if title and " — " not in title:  # the region's own scenario, not a policy variant of it
        policy_text += f" ({t('picker_base', lang)})"
    return " — ".join([*parts, policy_text]) if parts else name


def scenario_items(lang: str = "id") -> list[dict[str, Any]]:
    """The picker's items, grouped under a header per region (library regions in the order of
    their names, then added files, then generated regions); each item is {"text", "value"}."""
    extra = extra_scenarios()
    groups: dict[str, list[str]] = {}
    for name in library_names():
        region = scenario_info(name)[0] or name
        groups.setdefault(region, []).append(name)
    items: list[dict[str, Any]] = []
    for region in sorted(groups):
        items.append({"header": region})
        # the scenario's own policy first, then the variants in file order
        for name in sorted(groups[region], key=lambda n: (n.count("_") > min(m.count("_") for m in groups[region]), n)):
            items.append({"text": scenario_label(name, lang), "value": name})
    if extra:
        items.append({"header": t("picker_extra", lang)})
        items += [{"text": f"{scenario_label(name, lang)} ({name})", "value": name} for name in extra]
    items.append({"header": t("picker_generated", lang)})
    items += [{"text": scenario_label(name, lang), "value": name} for name in SYNTHETIC]
    return items


def scenario_source(name: str) -> Any:
    if name in SYNTHETIC:
        from scenarios.synthetic import synthetic_scenario

        return synthetic_scenario(SYNTHETIC[name])
    extra = extra_scenarios()
    if name in extra:
        return extra[name]
    if name not in library_names():
        raise InputError(f"unknown scenario {name!r}; choose one of {', '.join(scenario_choices())}")
    return name


_WHOLE = re.compile(r"[+-]?[0-9]+")
SHOWN_CHARS = 40  # a refused value is quoted up to this many characters


def shown(text: str) -> str:
    """A typed value as quoted in a message: one line, at most SHOWN_CHARS characters."""
    one_line = "".join(ch if ch.isprintable() else "\ufffd" for ch in " ".join(str(text).split()))
    return one_line if len(one_line) <= SHOWN_CHARS else one_line[: SHOWN_CHARS - 1] + "…"


def parse_int(text: str | int | None, field_label: str, lo: int, hi: int, lang: str = "id", allow_empty: bool = False) -> int | None:
    """A whole number typed into a text field, within [lo, hi]; otherwise InputError.

    Only the ASCII digits 0-9 (with an optional sign and `_` between digit groups) are a number:
    "1e3", "12.0", "NaN", "inf", fullwidth or Arabic-Indic digits are refused, as are values
    outside [lo, hi]. Control characters in a refused value are shown as U+FFFD."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if allow_empty:
            return None
        raise InputError(t("not_whole", lang, field=field_label, value=""))
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise InputError(t("not_whole", lang, field=field_label, value=shown(text)))
    if isinstance(text, int):
        value = text
    else:
        raw = text.strip()
        digits = raw.replace("_", "") if "__" not in raw and not raw.startswith("_") and not raw.endswith("_") else raw
        if not _WHOLE.fullmatch(digits):
            raise InputError(t("not_whole", lang, field=field_label, value=shown(text)))
        if len(digits) > 30:  # a whole number, far out of any range (and int() of it is slow)
            raise InputError(t("out_of_range", lang, field=field_label, value=shown(digits), lo=lo, hi=hi))
        value = int(digits)
    if not lo <= value <= hi:
        raise InputError(t("out_of_range", lang, field=field_label, value=shown(str(value)), lo=lo, hi=hi))
    return value


NAME_MAX = 60


def parse_name(text: str | None, field_label: str, lang: str = "id", max_len: int = NAME_MAX) -> str:
    """A person's name as typed: any script, trimmed; no control characters, at most `max_len`."""
    name = " ".join((text or "").split())
    if any(not ch.isprintable() for ch in name):
        raise InputError(t("bad_chars", lang, field=field_label))
    if len(name) > max_len:
        raise InputError(t("too_long", lang, field=field_label, n=len(name), max=max_len))
    return name


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


def race_stages(model: SiagaModel, day: int) -> list[tuple[str, str, int]]:
    """(name, label, how many races) of each stage the scenario's races are in on `day`, in
    calendar order: one entry when every race votes on the same day; several when they are
    staggered (calendar.stagger_days, docs/ODD.md §7.1a), where the first race's stage alone
    would tell a user that a kab/kota still campaigning is already counting votes."""
    count: Counter[int] = Counter()
    cal = model.calendar
    for race in range(model.races.n):
        count[int(cal.stage_index[min(max(day - int(cal.offsets[race]), 0), cal.n_days - 1)])] += 1
    return [(cal.stages[i].name, cal.stages[i].label or cal.stages[i].name, n) for i, n in sorted(count.items())]


def proactive_cost(model: SiagaModel) -> float:
    """Person-days of proactive work so far: `outcomes()["intervention_cost"]` at any day."""
    od = model.tally.officer_days
    return float(sum(v for k, v in od.items() if k in PROACTIVE_ROLES))


# the feed's toggles: group -> the event-log kinds it shows (simulation/events.py KINDS)
FEED_GROUPS: dict[str, tuple[str, ...]] = {
    "incidents": ("incident",),
    "actions": ("mediation", "recovery", "counter_hoax", "patrol", "response", "backup_request", "backup", "rakor", "arrest", "release"),
    "reports": ("detection", "report"),
    "other": ("hoax", "rally", "money_politics", "provocation", "result", "dispute"),
}


def feed_kinds(groups: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """The event kinds of the chosen feed groups (an unknown group is ignored)."""
    return tuple(k for g in groups for k in FEED_GROUPS.get(g, ()))


class EventRow(NamedTuple):
    """One row of the model's event log, read by field name (the fields of simulation/events.py COLUMNS)."""

    day: int
    date: Any
    stage: str
    village: str  # the village's name: not unique (Kalimantan Selatan has three Simpang Empat)
    village_code: str  # its Kemendagri code: unique
    kind: str
    actors: str
    size: int
    detail: str


def recent_events(model: SiagaModel, village: int | None = None, limit: int = 30, kinds: tuple[str, ...] | None = None,
                  window: int = 5000) -> list[EventRow]:
    """The last `limit` events of `model`, newest first, among the last `window` rows; only those of
    village number `village` (matched by code, never by name) and of `kinds`, if given."""
    rows = [EventRow._make(r) for r in model.events.rows[-window:]]
    if village is not None:
        code = model.region.codes[village]
        rows = [r for r in rows if r.village_code == code]
    if kinds is not None:
        rows = [r for r in rows if r.kind in kinds]
    return rows[::-1][:limit]


def kelurahan_by_code(region) -> dict[str, bool]:
    """Village code -> is it a kelurahan (for "Desa X" / "Kelurahan X")."""
    return {code: bool(k) for code, k in zip(region.codes, region.kelurahan)}


def village_labels(region) -> list[str]:
    """One label per village for pickers: its name, with its code where another village shares it."""
    count = Counter(region.names)
    return [name if count[name] == 1 else f"{name} ({code})" for name, code in zip(region.names, region.codes)]
