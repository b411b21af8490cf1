"""Who elects whom, and on which day (docs/ODD.md §7.1a).

A Pilgub or one kabupaten's Pilkada is one race over the whole region (`calendar.races =
"region"`, the default). In a province's Pilkada bupati/wali kota each kabupaten/kota elects its
own head (`"kabupaten"`): votes are counted, the result announced and disputed per kabupaten, and
each camp has a tim sukses per kabupaten. Serentak means they all vote on one day, as Indonesia has
since UU 8/2015; before it, each kabupaten voted when its head's term ended. `calendar.stagger_days`
is that dial: kabupaten k (in code order) votes in wave k mod `stagger_waves` (each its own wave when
unset), and wave w holds the whole calendar, every stage, w x stagger_days later. Round robin
rather than blocks, so neighbouring codes (often neighbouring kabupaten) vote on different days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from scenarios.schema import CalendarSpec
from simulation.region import Region

if TYPE_CHECKING:
    from simulation.calendar import Calendar


@dataclass(frozen=True)
class Races:
    of_village: np.ndarray  # the race each village votes in
    offsets: np.ndarray  # per race: days its whole calendar is shifted
    kabupaten: np.ndarray | None  # per race: its kabupaten (None: one race over the region)

    @property
    def n(self) -> int:
        return len(self.offsets)

    @property
    def staggered(self) -> bool:
        return bool(np.any(self.offsets != self.offsets[0]))

    def seat(self, race: int, region: Region) -> int:
        """Where the race's result is announced and its losers march: its kab/kota's Polres seat
        (the region's with one race)."""
        return int(region.polres_seat) if self.kabupaten is None else region.polres_seat_of(int(self.kabupaten[race]))

    def of_kabupaten(self, kabupaten: int) -> int:
        return 0 if self.kabupaten is None else int(kabupaten)

    def check_fits(self, spec: CalendarSpec, calendar: Calendar) -> None:
        """Every race's result must be announced inside the calendar: a clear error instead of a
        staggered race silently never counted."""
        last = int(calendar.result_days.max())
        span = (spec.end - spec.start).days
        if last > span:
            raise ValueError(
                f"calendar: with stagger_days = {spec.stagger_days} the last of the {self.n} kabupaten races announces "
                f"its result on day {last}, after calendar.end ({spec.end}, day {span}); set calendar.end to "
                f"{spec.start + dt.timedelta(days=last)} or later, or stagger less"
            )

    def villages(self, race: int) -> np.ndarray:
        return np.flatnonzero(self.of_village == race)

    @classmethod
    def build(cls, spec: CalendarSpec, region: Region) -> Races:
        if spec.races == "region":
            return cls(np.zeros(region.n_villages, dtype=np.int64), np.zeros(1, dtype=np.int64), None)
        k = region.n_kabupaten
        waves = k if spec.stagger_waves is None else min(spec.stagger_waves, k)
        offsets = (np.arange(k) % waves) * spec.stagger_days
        return cls(np.asarray(region.village_kabupaten, dtype=np.int64), offsets.astype(np.int64), np.arange(k))


__all__ = ["Races"]
