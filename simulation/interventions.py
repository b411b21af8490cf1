"""Intervention policies: named, combinable presets over one set of dials.

"Early" and "late" are not two code paths: they are the same officials acting at a different
alert level and after a different delay. A policy is the reactive baseline (police answer
incidents) plus any of: Kades detection and mediation, police early patrol and rapid response,
Camat coordination (rakor / Tim Terpadu), counter-hoax messaging by tokoh, neutrality enforcement.
Presets are applied in the order given, then the scenario's explicit [policy.*] values win.
"""

from __future__ import annotations

from typing import Any

from scenarios.loader import deep_merge
from scenarios.schema import POLICY_PRESETS, PolicySpec

PRESETS: dict[str, dict[str, Any]] = {
    "none": {},
    "kades_early": {"kades": {"mediation": True, "act_level": "WASPADA", "delay_days": 1, "report_level": "WASPADA"}},
    "kades_late": {"kades": {"mediation": True, "act_level": "AWAS", "delay_days": 5, "report_level": "AWAS"}},
    "police_early": {"police": {"early_patrol": True, "patrol_level": "WASPADA", "response_delay_days": 0}},
    "police_late": {"police": {"early_patrol": True, "patrol_level": "AWAS", "response_delay_days": 3}},
    "camat_coordination": {"camat": {"coordination": True, "convene_level": "SIAGA", "convene_villages": 1}},
    "counter_hoax": {"counter_hoax": {"enabled": True, "level": "WASPADA"}},
    "neutrality": {"neutrality": {"enforcement": 0.8}},
}
PRESETS["joint"] = deep_merge(
    deep_merge(deep_merge(PRESETS["kades_early"], PRESETS["police_early"]), PRESETS["camat_coordination"]),
    PRESETS["counter_hoax"],
)
PRESETS["late"] = deep_merge(
    deep_merge(PRESETS["kades_late"], PRESETS["police_late"]),
    {"camat": {"coordination": True, "convene_level": "AWAS", "convene_villages": 3}},
)

assert set(PRESETS) == set(POLICY_PRESETS), "schema and presets disagree"

DESCRIPTIONS = {
    "none": "reactive policing only: police answer incidents after they happen",
    "kades_early": "Kades mediate with tokoh once their village reaches WASPADA, after 1 day",
    "kades_late": "Kades mediate only at AWAS, after 5 days",
    "police_early": "Bhabinkamtibmas reports trigger Polsek patrols at WASPADA; teams there the next morning",
    "police_late": "patrols only at AWAS; teams arrive 3 days after the next morning",
    "camat_coordination": "Camat convenes a rakor (Forkopimcam / Tim Terpadu) when a village reaches SIAGA",
    "counter_hoax": "tokoh and Kades counter hoaxes in villages at WASPADA or above",
    "neutrality": "neutrality enforcement for Kades and ASN (80% of partisanship suppressed)",
    "joint": "kades_early + police_early + camat_coordination + counter_hoax",
    "late": "kades_late + police_late + Camat rakor only when 3 villages are at AWAS",
}


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
    for name in spec.presets:
        if name not in PRESETS:
            raise PolicyError(f"unknown policy preset {name!r}; known: {', '.join(PRESETS)}")
        merged = deep_merge(merged, PRESETS[name])
    explicit = _explicit(spec)
    explicit.pop("presets", None)
    merged = deep_merge(merged, explicit)
    merged["presets"] = list(spec.presets)
    return PolicySpec.model_validate(merged)
