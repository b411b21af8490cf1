"""The calibration targets (experiments/calibration/targets.toml): data with their sources.

Four kinds, because the data come in four shapes:

- `timing`: event counts in windows of days relative to voting day (ACLED);
- `categories`: counts of incidents by who fought whom (SNPK); a category the model cannot yet
  produce names the mechanism it needs (`needs_mechanism`) and is left out of the fit, not dropped;
- `rates`: totals over a known number of incidents (deaths, injured, buildings damaged; Habibie);
- `majority`: a qualitative statement ("mostly in the campaign"), usable only as a held-out check.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from experiments.spec import ExperimentError
from scenarios.loader import format_validation_error, parse_toml, read_text_checked

TARGETS_FILE = Path(__file__).with_name("targets.toml")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class _Documented(_Strict):
    title: str = Field(min_length=1)
    source: str = Field(min_length=1)
    strength: str = ""


class TimingTarget(_Documented):
    kind: Literal["timing"]
    windows: list[tuple[int, int]] = Field(min_length=2)
    counts: list[int] = Field(min_length=2)

    @model_validator(mode="after")
    def _shape(self) -> TimingTarget:
        if len(self.windows) != len(self.counts):
            raise ValueError(f"{len(self.windows)} windows but {len(self.counts)} counts")
        if any(c < 0 for c in self.counts):
            raise ValueError("counts must be ≥ 0")
        for (a, b), (c, _) in zip(self.windows, self.windows[1:]):
            if not a <= b < c:
                raise ValueError(f"windows must be ordered and apart: [{a}, {b}] then [{c}, ...]")
        return self

    def labels(self) -> list[str]:
        return [_window_label(a, b) for a, b in self.windows]


def _window_label(a: int, b: int) -> str:
    if a == b:
        return "voting day" if a == 0 else f"{a:+d}"
    return f"{a:+d}..{b:+d}"


class Category(_Strict):
    count: int = Field(ge=0)
    incident_kinds: list[str] = Field(default_factory=list)
    needs_mechanism: str | None = None
    mechanism: str | None = None  # the `mechanisms.*` switch that must be on for the model to produce it

    @model_validator(mode="after")
    def _producible_or_named(self) -> Category:
        if not self.incident_kinds and not self.needs_mechanism:
            raise ValueError("a category with no `incident_kinds` must say which mechanism it needs (`needs_mechanism`)")
        return self


class CategoryTarget(_Documented):
    kind: Literal["categories"]
    categories: dict[str, Category] = Field(min_length=2)

    def producible(self, switches: Mapping[str, bool] | None = None) -> list[str]:
        """The categories the model can produce: those with incident kinds whose mechanism, if they
        name one, is switched on in `switches` (the scenario's `mechanisms`; None: all on)."""
        return [name for name, c in self.categories.items()
                if c.incident_kinds and (c.mechanism is None or switches is None or switches.get(c.mechanism, False))]


class RateComponent(_Strict):
    count: int = Field(ge=0)
    outcome: Literal["deaths", "injured", "damaged"]
    dispersion: float = Field(default=1.0, ge=1.0)


class RateTarget(_Documented):
    kind: Literal["rates"]
    exposure: int = Field(ge=1)
    components: dict[str, RateComponent] = Field(min_length=1)


class MajorityTarget(_Documented):
    kind: Literal["majority"]
    incident_kinds: list[str] = Field(min_length=1)
    stages: list[str] = Field(min_length=1)
    threshold: float = Field(gt=0.0, lt=1.0)


Target = Annotated[TimingTarget | CategoryTarget | RateTarget | MajorityTarget, Field(discriminator="kind")]


class TargetFile(_Strict):
    targets: dict[str, Target]


@cache
def _load(path: Path) -> dict[str, Target]:
    try:
        text = read_text_checked(path)
        data = parse_toml(text, path)
        return dict(TargetFile.model_validate({"targets": data}).targets)
    except ValidationError as exc:
        raise ExperimentError(format_validation_error(str(path), exc)) from None


def load_targets(path: str | Path | None = None) -> dict[str, Target]:
    """All targets of the project's targets file (or another file of the same format)."""
    return _load(Path(path) if path else TARGETS_FILE)


def covered_windows(target: TimingTarget, first_day: int, last_day: int) -> list[int]:
    """Indices of the windows a scenario's calendar covers whole (days relative to voting day).

    A window the calendar cuts (the default scenario runs from day -87 to +93, ACLED's first
    window starts at -150) cannot be compared: the model would have too few days in it. Those
    windows are left out of the fit and named in the outputs."""
    return [i for i, (a, b) in enumerate(target.windows) if a >= first_day and b <= last_day]


__all__ = [
    "TARGETS_FILE",
    "CategoryTarget",
    "MajorityTarget",
    "RateTarget",
    "Target",
    "TimingTarget",
    "covered_windows",
    "load_targets",
]
