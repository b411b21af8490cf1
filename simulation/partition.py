"""Cutting a region's state into parts by kabupaten, and putting it back.

A province-wide Pilkada serentak is one simulation, but its state can be split along kabupaten
borders: each part holds the villagers of its villages (`VillagerState.take`) and those villages'
rows (`Villages.take`), with villages renumbered inside the part. `join` puts parts back in the
region's order, exactly. What crosses a border (inter-village ties, spillover between
neighbouring villages of two kabupaten) is not part of a `Part`: whoever runs parts apart (one
simulation over a cluster) must exchange it (simulation/federation.py and border_ties.py do).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulation.population import VillagerState
from simulation.region import Region
from simulation.state import Villages


@dataclass
class Part:
    code: str  # the kabupaten's code ("63.01"), or the label given
    villages: np.ndarray  # the region's village numbers in this part, in the part's order
    people: VillagerState
    state: Villages


def kabupaten_codes(region: Region) -> list[str]:
    """Per village: its kabupaten/kota code (`region.kabupaten_codes`, from the Kepmendagri
    kecamatan codes: "63.01.02" is kecamatan 02 of kabupaten 63.01)."""
    return [region.kabupaten_codes[k] for k in region.village_kabupaten.tolist()]


def split(people: VillagerState, villages: Villages, labels: list[str]) -> list[Part]:
    """One part per distinct label (in order of first appearance), each village to its label's part."""
    labels_arr = np.asarray(labels)
    order = list(dict.fromkeys(labels))
    parts = []
    for code in order:
        rows = np.flatnonzero(labels_arr == code)
        parts.append(Part(code, rows, people.take(rows), villages.take(rows)))
    return parts


def join(parts: list[Part]) -> tuple[VillagerState, Villages]:
    """The whole region's state from its parts (the inverse of `split`)."""
    rows = [p.villages for p in parts]
    return VillagerState.concat([p.people for p in parts], rows), Villages.concat([p.state for p in parts], rows)
