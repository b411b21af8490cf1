"""Applying an intervention policy: presets in order, then the scenario's explicit [policy.*]
values (the presets themselves are data: scenarios/policies.py).
"""

from __future__ import annotations

from typing import Any

from scenarios.merge import deep_merge
from scenarios.policies import DESCRIPTIONS, PRESETS
from scenarios.schema import PolicySpec

__all__ = ["DESCRIPTIONS", "PRESETS", "PolicyError", "resolve_policy"]


class PolicyError(ValueError):
    pass


def _explicit(model: Any) -> dict[str, Any]:
    """The values a scenario file set explicitly (not pydantic defaults), recursively."""
    out: dict[str, Any] = {}
    for name in model.model_fields_set:
        value = getattr(model, name)
        out[name] = _explicit(value) if hasattr(value, "model_fields_set") else value
    return out


def resolve_policy(spec: PolicySpec) -> PolicySpec:
    """Defaults, then presets in order, then the scenario's explicit values."""
    merged: dict[str, Any] = {}
    for name in spec.presets:  # the schema admits only known presets
        merged = deep_merge(merged, PRESETS[name])
    explicit = _explicit(spec)
    explicit.pop("presets", None)
    merged = deep_merge(merged, explicit)
    merged["presets"] = list(spec.presets)
    return PolicySpec.model_validate(merged)
