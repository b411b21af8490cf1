"""State codes shared by the engine, the agents, the experiments and the faces.

A villager's escalation state (calm -> tense -> mobilised -> violent, plus detained), the
Maki-Thompson rumour states, and a village's alert level AMAN -> WASPADA -> SIAGA -> AWAS
(docs/ODD.md §2 and §7.8). Codes are small integers so that they live in numpy arrays.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Literal


class Escalation(IntEnum):
    """Escalation state of a villager (docs/ODD.md §2)."""

    CALM = 0
    TENSE = 1
    MOBILISED = 2
    VIOLENT = 3
    DETAINED = 4


class Rumour(IntEnum):
    """Maki-Thompson rumour states (docs/ODD.md §7.2)."""

    IGNORANT = 0
    SPREADER = 1
    STIFLER = 2


NO_CAMP = -1  # a villager who supports no candidate actively

AlertName = Literal["AMAN", "WASPADA", "SIAGA", "AWAS"]
ALERT_LEVELS: tuple[str, ...] = ("AMAN", "WASPADA", "SIAGA", "AWAS")
AMAN, WASPADA, SIAGA, AWAS = range(4)


def level_of(name: str) -> int:
    """The level number of an alert name ("WASPADA" -> 1)."""
    return ALERT_LEVELS.index(name)
