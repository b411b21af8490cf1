"""The provincial Tim Terpadu: the Gubernur with Kesbangpol, the Kapolda and the Pangdam. It hears
the kabupaten Tim Terpadu (their pictures, late and not always) and decides which kabupaten the
Polda's Brimob platoons serve first (docs/ODD.md §7.13d).

Every evening each kabupaten Tim Terpadu's picture, how many villages it remembers at AWAS and at
its convene level or above, goes up unless lost (`province_report_loss`), arriving
`province_report_delay_days` later. The Polda then serves waiting asks for its platoons from the
kabupaten reported worst (most villages at AWAS, then most at the convene level) instead of the
oldest ask first; a kabupaten the province has not heard from counts as quiet, which is what a
kabupaten that lags in reporting [D30] costs itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from common.levels import AWAS, level_of

if TYPE_CHECKING:
    from agents.tim_terpadu import TimTerpadu


class ProvincialTimTerpadu(mesa.Agent):
    def __init__(self, model: mesa.Model, kabupaten: list[TimTerpadu]):
        super().__init__(model)
        self.kabupaten = kabupaten
        self.inbox: list[tuple[int, int, int, int]] = []  # (arrival day, kabupaten, at AWAS, at the convene level+)
        self.picture: dict[int, tuple[int, int, int]] = {}  # kabupaten -> (at AWAS, hot, day heard)

    def step(self, day: int) -> None:
        m = self.model
        o = m.spec.officials
        rng = m.streams.kabupaten  # drawn after every kabupaten's own draws of the day
        for t in self.kabupaten:
            if rng.random() < o.province_report_loss:
                continue
            awas, hot = picture_of(t, day)
            self.inbox.append((day + o.province_report_delay_days, t.kabupaten, awas, hot))
        arrived = [r for r in self.inbox if r[0] <= day]
        self.inbox = [r for r in self.inbox if r[0] > day]
        for _, kab, awas, hot in arrived:
            self.picture[kab] = (awas, hot, day)

    def priority(self, kabupaten: int) -> tuple[int, int]:
        """Sort key of a kabupaten's asks for the platoons: the worst reported first."""
        awas, hot, _ = self.picture.get(kabupaten, (0, 0, 0))
        return (-awas, -hot)


def picture_of(tim: TimTerpadu, day: int) -> tuple[int, int]:
    """What a kabupaten Tim Terpadu reports up on `day`: the villages it remembers (within
    `report_memory_days`) at AWAS, and at its convene level or above."""
    m = tim.model
    floor = level_of(m.policy.tim_terpadu.convene_level)
    recent = [lvl for lvl, d in tim.known.values() if day - d <= m.spec.officials.report_memory_days]
    return sum(1 for lvl in recent if lvl >= AWAS), sum(1 for lvl in recent if lvl >= floor)

