"""Intervention presets: named, combinable settings of one set of dials (the `[policy]` table).

"Early" and "late" are not two code paths: they are the same officials acting at a different
alert level and after a different delay. A policy is the reactive baseline (police answer
incidents) plus any of: Kades detection and mediation, police early patrol and rapid response,
Camat coordination (rakor / Tim Terpadu), counter-hoax messaging by tokoh, neutrality enforcement.
This is the one list of presets: the schema accepts exactly these names, and
simulation/interventions.py applies them (docs/ODD.md §7.16).
"""

from __future__ import annotations

from typing import Any

from scenarios.merge import deep_merge

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
PRESETS["recovery"] = {"recovery": {"enabled": True}}  # after violence (§7.24); not part of "joint"

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
    "recovery": "after each incident, three reconciliation meetings (Kades, tokoh, Tim Terpadu) a week apart",
}
