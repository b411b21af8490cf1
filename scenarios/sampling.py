"""One villager agent per N people (`region.sampling`, docs/REGIONS.md): how many agents a village gets."""

from __future__ import annotations


def agents_for(population: int, sampling: int) -> int:
    """Villager agents of a village of `population` people at one agent per `sampling` people."""
    return population if sampling == 1 else max(1, round(population / sampling))
