"""Security officers: Bhabinkamtibmas and Babinsa in the villages, Polsek teams and Polres backup.

* Bhabinkamtibmas (Polri) and Babinsa (TNI AD) each cover one or more villages (docs/ODD.md
  §7.12: about 0.48 and 0.85 per village), visit one a day ("sambang"), are present there, and detect trouble
  with a sharper eye than the Kades. Bhabinkamtibmas report to the Polsek (which sends a patrol
  under an early-patrol policy); Babinsa report to the Camat through the Danramil. Babinsa count
  half toward perceived arrest risk (they deter) but make no arrests: stopping violence is Polri's.
* The Polsek keeps a response queue. Its teams are few; each travels from the kecamatan seat,
  stays `unit_stay_days` and returns. Incidents are always answered (reactive baseline); early
  patrols only under a policy. When every team is busy the Polsek asks the Polres for backup,
  which comes with probability `backup_availability`: low during simultaneous Pilkada, when
  every area secures its own villages (the Camat of Kepahiang, docs/ODD.md §7.13). Backup teams
  travel from the Polres seat (`region.polres_seat`), so a far village waits longer for them.
  Under `backup_mode = "pooled"` backup comes instead when a team of the kabupaten's Polres or a
  Polda Brimob platoon is free (agents/command.py, §7.13a).
Travel: `road_hours_per_day` a day at `travel_kmh` over the road distance from the seat to the
village, taken as `road_detour` times the straight-line one (real when villages have lat/lng),
counted in whole days; patrol requests not served within
`request_expiry_days` are dropped; Babinsa pass on readings from `babinsa_report_level` up.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from common.levels import AWAS, level_of


class VillageOfficer(mesa.Agent):
    """Shared rules of Bhabinkamtibmas and Babinsa: rotate through villages, be present, detect."""

    role = "officer"
    can_arrest = True
    noise_field = "bhabin_noise"

    def __init__(self, model: mesa.Model, villages: np.ndarray):
        super().__init__(model)
        self.villages = np.asarray(villages, dtype=np.int64)
        self.turn = 0
        self.current = int(self.villages[0])
        self.last_level = np.zeros(len(self.villages), dtype=np.int8)

    def choose_village(self) -> int:
        """Rotate through the patch; under an early-patrol policy, go back to a village last seen
        at or above the patrol level until it has cooled down."""
        pol = self.model.policy.police
        if pol.early_patrol:
            hot = self.last_level >= level_of(pol.patrol_level)
            if hot.any():
                return int(self.villages[int(np.argmax(np.where(hot, self.last_level, -1)))])
        v = int(self.villages[self.turn % len(self.villages)])
        self.turn += 1
        return v

    @property
    def presence_weight(self) -> float:
        return 1.0

    def deploy(self, day: int) -> None:
        self.current = self.choose_village()
        self.model.add_presence(self.current, self.presence_weight, 1.0 if self.can_arrest else 0.0)
        self.model.spend(self.role, 1.0)

    def observe(self) -> int:
        m = self.model
        v = self.current
        lvl = m.observe(v, getattr(m.spec.officials, self.noise_field))
        self.last_level[self.villages == v] = lvl
        return lvl

    def step(self, day: int) -> None:
        raise NotImplementedError


class Bhabinkamtibmas(VillageOfficer):
    role = "bhabinkamtibmas"
    noise_field = "bhabin_noise"

    def step(self, day: int) -> None:
        m = self.model
        lvl = self.observe()
        pol = m.policy.police
        if pol.early_patrol and lvl >= level_of(pol.patrol_level):
            m.polsek_of(self.current).request(self.current, lvl, day, "Bhabinkamtibmas")
            m.log(day, self.current, "report", "Bhabinkamtibmas -> Polsek", detail=f"level {lvl}")


class Babinsa(VillageOfficer):
    role = "babinsa"
    can_arrest = False  # the army deters; arrests are Polri's (UU 7/2012: Polri stops violence)
    noise_field = "bhabin_noise"

    @property
    def presence_weight(self) -> float:
        return self.model.spec.officials.babinsa_presence_weight

    def step(self, day: int) -> None:
        m = self.model
        lvl = self.observe()
        if lvl >= level_of(m.spec.officials.babinsa_report_level):
            m.camat_of(self.current).receive(day, self.current, lvl, "Babinsa")


class PoliceUnit(mesa.Agent):
    """A team of officers from the Polsek (or the Polres, as backup)."""

    def __init__(self, model: mesa.Model, kecamatan: int | None, team_size: int, polres: bool = False, force: str = ""):
        super().__init__(model)
        self.kecamatan = kecamatan
        self.team_size = team_size
        self.polres = polres
        self.force = force or ("Polres" if polres else "Polsek")  # Polsek | Polres | Brimob
        self.status = "free"  # free | en_route | on_site
        self.village: int | None = None
        self.arrive_day = 0
        self.leave_day = 0
        self.purpose = "patrol"  # patrol (proactive) | response (to an incident) | backup
        # a partitioned province's platoons (simulation/federation.py): lent for one ask (`lent`), or
        # put under this kabupaten's Polres (`bko`) until given back (`recalled`: as soon as free)
        self.lent = self.bko = self.recalled = False

    @property
    def free(self) -> bool:
        return self.status == "free"

    def assign(self, village: int, arrive_day: int, stay: int, purpose: str) -> None:
        self.status, self.village, self.purpose = "en_route", village, purpose
        self.arrive_day, self.leave_day = arrive_day, arrive_day + stay - 1

    def deploy(self, day: int) -> None:
        if self.status == "en_route" and day >= self.arrive_day:
            self.status = "on_site"
        if self.status == "on_site":
            self.be_present()

    def be_present(self) -> None:
        """A day on site: deterrence and arrests of the whole team, its person-days under its purpose."""
        self.model.add_presence(self.village, float(self.team_size), float(self.team_size))
        self.model.spend(self.purpose, float(self.team_size))

    def end_of_day(self, day: int) -> None:
        if self.status == "on_site" and day >= self.leave_day:
            self.status, self.village = "free", None


class TniUnit(PoliceUnit):
    """A TNI platoon sent by the kabupaten's Tim Terpadu under a Status Keadaan Konflik: it deters
    like a Babinsa (`babinsa_presence_weight` a soldier) and makes no arrests, stopping violence
    being Polri's (UU 7/2012)."""

    def __init__(self, model: mesa.Model, team_size: int):
        super().__init__(model, None, team_size, polres=True, force="TNI")

    def be_present(self) -> None:
        self.model.add_presence(self.village, self.team_size * self.model.spec.officials.babinsa_presence_weight, 0.0)
        self.model.spend("tni", float(self.team_size))


class Polsek(mesa.Agent):
    """The kecamatan police post: a response queue served by its teams."""

    def __init__(self, model: mesa.Model, kecamatan: int, units: list[PoliceUnit]):
        super().__init__(model)
        self.kecamatan = kecamatan
        self.units = units
        self.queue: dict[int, tuple[int, int, str]] = {}  # village -> (priority, day, reason)
        self.backup_granted = 0

    def free_units(self) -> int:
        return sum(u.free for u in self.units)

    def covered(self, village: int) -> bool:
        return any(u.village == village for u in self.units) or any(
            u.village == village for u in self.model.polres_units()
        )

    def request(self, village: int, priority: int, day: int, reason: str) -> None:
        if self.covered(village):
            return
        old = self.queue.get(village)
        if old is None or priority > old[0]:
            self.queue[village] = (priority, day if old is None else old[1], reason)

    def travel_days(self, village: int, from_village: int) -> int:
        """Whole days on the road from `from_village` (a Polsek or Polres seat) to `village`: the
        straight-line distance times `road_detour`, at `travel_kmh` for `road_hours_per_day` a day."""
        m = self.model
        o = m.spec.officials
        km = float(m.region.distance_km(from_village, village)) * o.road_detour
        return int(math.floor(km / (o.travel_kmh * o.road_hours_per_day)))

    def dispatch(self, day: int) -> None:
        m = self.model
        delay = m.policy.police.response_delay_days
        order = sorted(self.queue.items(), key=lambda kv: (-kv[1][0], kv[1][1], kv[0]))
        seat = int(m.region.seat[self.kecamatan])
        for village, (priority, asked, reason) in order:
            if reason != "incident" and day - asked > m.spec.officials.request_expiry_days:
                del self.queue[village]
                continue
            unit = next((u for u in self.units if u.free), None)
            if unit is None:
                if reason == "incident" and priority > AWAS:
                    self.request_backup(day, village)
                break
            # decided in the evening: the earliest a team can be there is the next morning
            arrive = max(day, asked) + 1 + delay + self.travel_days(village, seat)
            kind = "response" if reason == "incident" else "patrol"
            unit.assign(village, arrive, m.spec.officials.unit_stay_days, kind)
            del self.queue[village]
            m.log(day, village, kind, "Polsek", size=unit.team_size, detail=f"{reason}; arrives day {arrive}")

    def backup_arrival(self, day: int, village: int) -> int:
        """The morning a Polres team granted on the evening of `day` is on site: the next morning,
        plus `backup_delay_days`, plus its travel from the Polres seat to the village."""
        m = self.model
        return day + 1 + m.spec.officials.backup_delay_days + self.travel_days(village, int(m.region.polres_seat))

    def request_backup(self, day: int, village: int) -> None:
        """Ask the level above for a team in `village`: granted now with probability
        `backup_availability` when a team of the region's one pool is free (exogenous), or
        passed to the kabupaten's Polres to wait for a free Polres team or Brimob platoon
        (pooled, agents/command.py)."""
        m = self.model
        o = m.spec.officials
        if o.backup_mode == "pooled":
            if m.tally.backup_ask(village, day, o.backup_expiry_days):
                m.log(day, village, "backup_request", "Polsek -> Polres")
            m.forces.polda.ask(day, village, m.tally.backup_open[village])
            return
        m.log(day, village, "backup_request", "Polsek -> Polres")
        m.tally.backup_ask(village, day, o.backup_expiry_days)
        free = [u for u in m.polres_units() if u.free]
        if free and m.streams.interventions.random() < o.backup_availability:
            unit = free[0]
            unit.assign(village, self.backup_arrival(day, village), o.unit_stay_days, "backup")
            self.grant_backup(day, village, unit, "Polres")

    def grant_backup(self, day: int, village: int, unit: PoliceUnit, who: str, detail: str = "") -> None:
        """A backup team is on its way to `village`: the village leaves the queue."""
        m = self.model
        self.backup_granted += 1
        self.queue.pop(village, None)
        m.tally.backup_grant(village, day)
        m.log(day, village, "backup", who, size=unit.team_size, detail=detail)
