"""How a scenario parameter is declared: `param` (a pydantic Field that also carries its meaning,
unit, source and ODD symbol) and `Strict`, the base of every scenario table. The tables themselves
are in the scenarios/schema_*.py modules; scenarios/schema.py assembles them into `Scenario`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


def param(
    default: Any = ...,
    *,
    doc: str,
    unit: str = "1",
    source: str = "assumed",
    symbol: str | None = None,
    shown_default: str | None = None,
    shown_range: str | None = None,
    **constraints: Any,
) -> Any:
    """A scenario parameter: a pydantic `Field` (same default and constraints) that also carries
    its meaning, unit, source and ODD symbol. `shown_default` and `shown_range` are how the docs
    show a default or an allowed range that the field's constraints cannot say themselves (a
    generated value, a check done by a validator). `default=...` (the default) means required."""
    extra: dict[str, str] = {"unit": unit, "source": source}
    if symbol is not None:
        extra["symbol"] = symbol
    if shown_default is not None:
        extra["shown_default"] = shown_default
    if shown_range is not None:
        extra["shown_range"] = shown_range
    if "default_factory" in constraints:
        return Field(description=doc, json_schema_extra=extra, **constraints)
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


class Strict(BaseModel):
    """Base for every scenario table: unknown keys are errors, not silently ignored; so are the
    non-finite numbers TOML can write (`nan`, `inf`): no parameter has a use for them."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)
