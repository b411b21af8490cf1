"""Exercise files: a Camat workshop written down as data (TOML), validated like a scenario.

An exercise names a scenario, a seed, a window (the first day at the desk and how many days), a
budget, objectives the run can be checked against, a briefing, and injects: on a given day, in a
given village, something happens in the model (a hoax starts spreading, a provocation, a rival
convoy or rally passes through, a misleading report reaches the desk, or only a message) and the
trainee receives a message, in Bahasa Indonesia and English. docs/EXERCISES.md describes the format;
the ready exercises are in scenarios/exercises/.

A file is data, never code: it is read with the scenario machinery (scenarios/files.py: a regular
UTF-8 file of at most 4 MiB, nesting checked before parsing), validated by the pydantic models
below, and a refusal is one `ExerciseError` naming the file, the line, the field and what is
allowed (scenarios/messages.py), never a traceback. The `scenario` may be a library name or a
`.toml` file next to the exercise (the same folders `extends` may read). Villages are named by
name (when unique in the scenario) or by Kemendagri code, and checked against the scenario.

Day numbers are the model's (day 0 is the calendar's first day). The trainee sits at the desk on
the evenings of days `window.start_day` ... `window.start_day + window.days - 1`; an inject on day
d acts in the model that day (after the supporter groups, before the villagers' kernels) and its
message is on the desk that evening.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError, model_validator

from common.levels import AlertName
from scenarios.errors import ScenarioError
from scenarios.fields import Strict, param
from scenarios.files import parse_toml, read_text_checked, resolve, shorten
from scenarios.messages import format_problems, format_validation_error, number_problems
from scenarios.schema import Scenario

MAX_EXERCISE_DAYS = 120  # the longest window a workshop offers (siaga/app/exercise_setup.py uses the same)
MAX_BUDGET = 10_000  # person-days
INJECT_KINDS = ("hoax", "provocation", "rally", "report", "message")
OBJECTIVE_KINDS = ("no_incident", "incidents_at_most", "respond_within")

# which optional fields each inject kind / objective kind takes (a field given for another kind is refused)
INJECT_FIELDS: dict[str, tuple[str, ...]] = {
    "hoax": ("spreaders", "actors"),
    "provocation": ("reach", "actors"),
    "rally": ("camp", "attendance", "mass_action", "actors"),
    "report": ("level", "source"),
    "message": (),
}
OBJECTIVE_FIELDS: dict[str, tuple[str, ...]] = {
    "no_incident": ("village",),
    "incidents_at_most": ("n",),
    "respond_within": ("days", "level"),
}
REQUIRED: dict[str, tuple[str, ...]] = {"rally": ("camp",), "no_incident": ("village",), "incidents_at_most": ("n",)}


class ExerciseError(ScenarioError):
    """An exercise file could not be used; the message names the file, the field and what is allowed."""


class Text(Strict):
    """A text the trainee reads, in both languages of the app."""

    id: str = param(doc="Bahasa Indonesia.", unit="—", source="input", min_length=1, max_length=4000)
    en: str = param(doc="English.", unit="—", source="input", min_length=1, max_length=4000)

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.id


class Window(Strict):
    start_day: int = param(doc="The first evening at the desk (model day; day 0 is the calendar's first).", unit="day",
                           source="input", ge=0, le=3650)
    days: int = param(doc="How many evenings the trainee decides.", unit="days", source="input", ge=1, le=MAX_EXERCISE_DAYS)


def _only_fields_of(obj: Strict, kind: str, table: Mapping[str, tuple[str, ...]], what: str) -> None:
    """A field meant for another kind is a mistake worth naming (`spreaders` on a rally)."""
    allowed = set(table[kind])
    common = {"kind", "day", "village", "message", "text"}
    stray = sorted(f for f in obj.model_fields_set if f not in allowed | common and f in {x for v in table.values() for x in v})
    if stray:
        raise ValueError(f"`{stray[0]}` is not used by {what} kind {kind!r} (it takes: {', '.join(table[kind]) or 'nothing more'})")
    missing = [f for f in REQUIRED.get(kind, ()) if f not in obj.model_fields_set]
    if missing:
        raise ValueError(f"{what} kind {kind!r} needs `{missing[0]}`")


class Inject(Strict):
    """Something that happens in the model on `day` in `village`, and what the trainee is told."""

    day: int = param(doc="Model day on which it happens (inside the window).", unit="day", source="input", ge=0, le=3650)
    village: str = param(doc="Village name (if unique in the scenario) or Kemendagri code.", unit="—", source="input",
                         min_length=1, max_length=200)
    kind: Literal["hoax", "provocation", "rally", "report", "message"] = param(
        doc="What happens: a hoax starts spreading, a provocation, a (rival) convoy or rally, a misleading report "
        "reaches the desk, or only a message.", unit="—", source="input")
    message: Text = param(doc="What the trainee receives that evening.", unit="—", source="input")
    spreaders: int = param(20, doc="hoax: residents who start spreading it.", unit="persons", source="input", ge=1, le=100_000)
    reach: float = param(0.3, doc="provocation: share of the village's residents it reaches.", source="input", ge=0.0, le=1.0)
    camp: int = param(1, doc="rally: the candidate pair's number (1 = the first pair of the scenario).", unit="—",
                      source="input", ge=1, le=12)
    attendance: float = param(0.5, doc="rally: share of the camp's residents of the village who join it.", source="input",
                              ge=0.0, le=1.0)
    mass_action: bool = param(True, doc="rally: a pengerahan massa / convoy rather than an ordinary campaign event.", unit="—",
                              source="input")
    level: AlertName = param("AWAS", doc="report: the level the report gives.", unit="—", source="input")
    source: Literal["Kades", "Babinsa"] = param("Kades", doc="report: who sends it.", unit="—", source="input")
    actors: str = param("", doc="Who acts, as the event log names them (default: by kind).", unit="—", source="input",
                        max_length=120)

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Inject:
        _only_fields_of(self, self.kind, INJECT_FIELDS, "inject")
        return self

    def params(self) -> dict[str, Any]:
        """The model-side parameters of this kind (simulation/injects.py `apply`)."""
        out = {k: getattr(self, k) for k in INJECT_FIELDS[self.kind]}
        if "camp" in out:
            out["camp"] = out["camp"] - 1  # the model counts camps from 0
        return out


class Objective(Strict):
    """A goal checkable from the run (siaga/app/exercise.py `check_objectives`)."""

    kind: Literal["no_incident", "incidents_at_most", "respond_within"] = param(
        doc="no_incident: no incident in `village`; incidents_at_most: at most `n` incidents in the kecamatan; "
        "respond_within: an order for every village reported at `level` or above within `days` days of the report.",
        unit="—", source="input")
    village: str = param("", doc="no_incident: the village (name or code).", unit="—", source="input", max_length=200)
    n: int = param(0, doc="incidents_at_most: the most incidents allowed.", unit="incidents", source="input", ge=0, le=100_000)
    days: int = param(2, doc="respond_within: days allowed from the report's arrival to an order.", unit="days",
                      source="input", ge=0, le=30)
    level: AlertName = param("AWAS", doc="respond_within: the reported level that needs an answer.", unit="—", source="input")

    @model_validator(mode="after")
    def _fields_of_kind(self) -> Objective:
        _only_fields_of(self, self.kind, OBJECTIVE_FIELDS, "objective")
        return self


class ExerciseSpec(Strict):
    """One exercise file."""

    title: Text = param(doc="The exercise's title (the start form lists exercises by it).", unit="—", source="input")
    scenario: str = param(doc="Library scenario name or a .toml file next to the exercise.", unit="—", source="input",
                          min_length=1, max_length=400)
    seed: int = param(doc="The run's seed: same file + seed = same run.", unit="—", source="input", ge=0, le=2**63 - 1)
    budget: float = param(doc="The trainee's budget.", unit="person-days", source="input", ge=0, le=MAX_BUDGET)
    window: Window
    briefing: Text = param(doc="What the trainee reads before the first day.", unit="—", source="input")
    based_on: str = param("", doc="The documented case the exercise is built on (shown with the briefing).", unit="—",
                          source="input", max_length=1000)
    objectives: list[Objective] = param(default_factory=list, doc="Goals checked against the run.", unit="—", source="input",
                                        max_length=20)
    injects: list[Inject] = param(default_factory=list, doc="What happens, day by day.", unit="—", source="input",
                                  max_length=500)

    @property
    def last_day(self) -> int:
        return self.window.start_day + self.window.days - 1


class Exercise:
    """A validated exercise with what its file refers to resolved: `scenario_source` (a library
    name or a file path), the `scenario` itself, and every village as its index in the region."""

    def __init__(self, spec: ExerciseSpec, path: Path, scenario_source: str, scenario: Scenario, villages: dict[str, int]):
        self.spec, self.path, self.scenario_source, self.scenario = spec, path, scenario_source, scenario
        self._villages = villages  # a name or code as written -> village index

    @property
    def name(self) -> str:
        return self.path.stem

    def village(self, written: str) -> int:
        return self._villages[written]

    def injects_model(self) -> list[tuple[int, str, int, dict[str, Any]]]:
        """(day, kind, village index, parameters) of every inject, in file order."""
        return [(i.day, i.kind, self.village(i.village), i.params()) for i in self.spec.injects]


def _villages(scenario: Scenario) -> tuple[list[str], list[str], list[bool]]:
    """Names, codes and whether each is a kelurahan, in the model's village order."""
    vs = [v for k in scenario.region.kecamatan for v in k.villages]
    return [v.name for v in vs], [v.code for v in vs], [v.kind == "kelurahan" for v in vs]


def _problem(loc: tuple[Any, ...], value: Any, msg: str) -> dict[str, Any]:
    return {"type": "value_error", "loc": loc, "input": value, "msg": msg}


def _check_against(spec: ExerciseSpec, scenario: Scenario) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """What the file asks that its scenario cannot give: days outside the calendar or the window,
    unknown or ambiguous villages, a candidate pair the scenario does not have."""
    problems: list[dict[str, Any]] = []
    names, codes, _ = _villages(scenario)
    index: dict[str, int] = {}

    def village(loc: tuple[Any, ...], written: str) -> None:
        if written in codes:
            index[written] = codes.index(written)
            return
        hits = [i for i, n in enumerate(names) if n == written]
        if len(hits) == 1:
            index[written] = hits[0]
            return
        if len(hits) > 1:
            problems.append(_problem(loc, written, f"allowed: one of the codes {', '.join(codes[i] for i in hits)} "
                                                   f"(several villages are named {written!r})"))
            return
        hint = difflib.get_close_matches(written, names, n=1)
        extra = f"; did you mean {hint[0]!r}?" if hint else ""
        problems.append(_problem(loc, written, f"allowed: a village of the scenario by name or code{extra}"))

    n_days = scenario.total_days
    w = spec.window
    if w.start_day > n_days - 2:
        problems.append(_problem(("window", "start_day"), w.start_day, f"allowed: a day 0–{n_days - 2} (the scenario has {n_days} days)"))
    elif w.start_day + w.days + 1 > n_days:
        problems.append(_problem(("window", "days"), w.days, f"allowed: at most {n_days - 1 - w.start_day} days from day "
                                                             f"{w.start_day} (the scenario has {n_days} days)"))
    first, last = w.start_day, spec.last_day
    for i, inj in enumerate(spec.injects):
        if not first <= inj.day <= last:
            problems.append(_problem(("injects", i, "day"), inj.day, f"allowed: a day inside the window, {first}–{last}"))
        village(("injects", i, "village"), inj.village)
        if inj.kind == "rally" and inj.camp > len(scenario.candidates):
            problems.append(_problem(("injects", i, "camp"), inj.camp, f"allowed: 1–{len(scenario.candidates)} (the scenario's candidate pairs)"))
    for i, obj in enumerate(spec.objectives):
        if obj.kind == "no_incident":
            village(("objectives", i, "village"), obj.village)
    return problems, index


def load_exercise(path: str | Path) -> Exercise:
    """Read, validate and resolve an exercise file; ExerciseError names the file, line and field."""
    path = Path(path)
    try:
        text = read_text_checked(path)
        data = parse_toml(text, path)
    except ScenarioError as exc:
        raise ExerciseError(str(exc)) from None
    try:
        spec = ExerciseSpec.model_validate(data)
    except ValidationError as exc:
        raise ExerciseError(format_validation_error(str(path), exc, model=ExerciseSpec, text=text)) from None
    problems = number_problems(data, spec)  # `seed = true` is not seed 1
    if problems:
        raise ExerciseError(format_problems(str(path), problems, model=ExerciseSpec, text=text))
    try:
        target = resolve(spec.scenario, relative_to=path.absolute())
        source = target.stem if target.parent == _library_dir() else str(target)
        from scenarios.loader import load_scenario  # the loader pulls in the memory budget: only when needed

        scenario = load_scenario(source)
    except ScenarioError as exc:
        raise ExerciseError(format_problems(str(path), [_problem(("scenario",), spec.scenario, shorten(str(exc)))],
                                           model=ExerciseSpec, text=text)) from None
    if scenario.region.synthetic is not None:
        raise ExerciseError(format_problems(str(path), [_problem(("scenario",), spec.scenario,
                                           "allowed: a scenario with named villages (not a [region.synthetic] one)")],
                                           model=ExerciseSpec, text=text))
    problems, villages = _check_against(spec, scenario)
    if problems:
        raise ExerciseError(format_problems(str(path), problems, model=ExerciseSpec, text=text))
    return Exercise(spec, path.absolute(), source, scenario, villages)


def _library_dir() -> Path:
    from scenarios.files import library_real

    return library_real()


def exercises_dir() -> Path:
    """The ready exercises shipped with the package."""
    return Path(__file__).resolve().parent / "exercises"


def exercise_names() -> list[str]:
    return sorted(p.stem for p in exercises_dir().glob("*.toml"))


def exercise_path(name_or_path: str | Path) -> Path:
    """A shipped exercise by name, or a file path as given."""
    raw = str(name_or_path)
    shipped = exercises_dir() / f"{raw.removesuffix('.toml')}.toml"
    if "/" not in raw and "\\" not in raw and shipped.is_file():
        return shipped
    return Path(raw)


@functools.lru_cache(maxsize=32)
def _cached(path: str, mtime_ns: int, size: int) -> Exercise:
    return load_exercise(path)


def get_exercise(name_or_path: str | Path) -> Exercise:
    """`load_exercise`, read again only when the file changed (the app asks for it often)."""
    path = exercise_path(name_or_path)
    try:
        st = path.stat()
    except OSError:
        names = ", ".join(exercise_names())
        raise ExerciseError(f"exercise {shorten(str(name_or_path))!r} not found: not a file and not a shipped exercise ({names})") from None
    return _cached(str(path.absolute()), st.st_mtime_ns, st.st_size)


__all__ = [
    "Exercise", "ExerciseError", "ExerciseSpec", "INJECT_KINDS", "Inject", "MAX_BUDGET", "MAX_EXERCISE_DAYS",
    "OBJECTIVE_KINDS", "Objective", "Text", "Window", "exercise_names", "exercise_path", "exercises_dir",
    "get_exercise", "load_exercise",
]
