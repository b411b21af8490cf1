"""The kabupaten's Tim Terpadu: the Bupati with Kesbangpol, the Kapolres, the Dandim and the Kajari,
who see the villages only through the Camats' reports, late and incomplete, and send the Polres's
own teams ahead of trouble (docs/ODD.md §7.13b).

Reports go up: every evening each Camat's picture of villages at the convene level or above (his
recent reports, agents/camat.py) goes to the kabupaten, unless his kecamatan is one of the
`kecamatan_silent_share` that never report (drawn once a run) or the evening's report is lost
(`kabupaten_report_loss`); it arrives `kabupaten_report_delay_days` later, each village's level
misread by one level with probability `kabupaten_noise`. The Kalimantan Selatan Tim Terpadu's
complaint, that some kabupaten lag because reports from vertical agencies are hard to get [D30],
is these dials.

It meets on a schedule (`early`: from `days_before_voting` before voting day, as Kesbangpol
Wonosobo did a month before voting [D30]) or when enough villages are reported (`reactive`), at most
once per `cooldown_days`. A meeting sends free Polres teams as patrols to the hottest reported
villages (highest level, then latest heard, then village), keeping `reserve_teams` for incident
backup, and asks the Polda for a Brimob platoon for the hottest village left uncovered (sent if
one is free there; the Polres's reserve is not touched).

When Polri cannot cope (at a meeting, `status_awas_villages` villages heard of at AWAS and no Polres
team free) the Bupati moves to declare a Status Keadaan Konflik; after `status_delay_days` (he
consults the DPRD leadership) it holds for `status_days` (at most 90, UU 7/2012 [D23]). Under it
the Tim Terpadu sits every day and sends the Kodim's TNI platoons (`tni_units`) to the hottest
villages its Polres teams could not cover: TNI help comes only then (PP 2/2015). A TNI platoon
deters like Babinsa and makes no arrests (agents/security.py `TniUnit`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

from common.levels import AMAN, AWAS, level_of

if TYPE_CHECKING:
    from agents.camat import Camat
    from agents.command import Polres
    from agents.security import TniUnit


class TimTerpadu(mesa.Agent):
    def __init__(self, model: mesa.Model, polres: Polres, camats: list[Camat], silent: set[int], tni: list[TniUnit]):
        super().__init__(model)
        self.polres = polres
        self.tni = tni  # Kodim platoons, sent only under a Status Keadaan Konflik (§7.13c)
        self.status_moved: int | None = None  # the day the Bupati moved to declare it
        self.status_from: int | None = None
        self.status_until = -1
        self.kabupaten = polres.kabupaten
        self.camats = camats
        self.silent = silent  # kecamatan that never report up
        self.inbox: list[tuple[int, int, int]] = []  # (arrival day, village, level heard)
        self.known: dict[int, tuple[int, int]] = {}  # village -> (level, day heard)
        self.last_meeting = -10_000
        self.meetings = 0

    def gather(self, day: int) -> None:
        """The evening's reports from the Camats of the kabupaten, on their way up."""
        m = self.model
        o, pol = m.spec.officials, m.policy.tim_terpadu
        rng = m.streams.kabupaten
        floor = level_of(pol.convene_level)
        for camat in self.camats:
            if camat.kecamatan in self.silent or rng.random() < o.kabupaten_report_loss:
                continue
            for v, lvl in sorted(camat.recent_reports(day).items()):
                if lvl < floor:
                    continue
                if rng.random() < o.kabupaten_noise:
                    lvl = int(min(max(lvl + (1 if rng.random() < 0.5 else -1), AMAN), AWAS))
                self.inbox.append((day + o.kabupaten_report_delay_days, v, lvl))

    def step(self, day: int) -> None:
        m = self.model
        pol = m.policy.tim_terpadu
        self.gather(day)
        arrived = [r for r in self.inbox if r[0] <= day]
        self.inbox = [r for r in self.inbox if r[0] > day]
        for _, v, lvl in arrived:
            self.known[v] = (lvl, day)
        self._status(day)
        # under a Status Keadaan Konflik it sits every day
        if day - self.last_meeting < (1 if self.under_status(day) else pol.cooldown_days):
            return
        memory = m.spec.officials.report_memory_days
        floor = level_of(pol.convene_level)
        hot = {v: (lvl, d) for v, (lvl, d) in self.known.items() if day - d <= memory and lvl >= floor}
        if pol.convene == "early":
            if day < m.calendar.voting_days[m.races.of_kabupaten(self.kabupaten)] - pol.days_before_voting:
                return
        elif len(hot) < pol.convene_villages:
            return
        self.meet(day, hot)

    def under_status(self, day: int) -> bool:
        return self.status_from is not None and self.status_from <= day <= self.status_until

    def _status(self, day: int) -> None:
        """The Status Keadaan Konflik's course: declared `status_delay_days` after the Bupati moved
        (he consults the DPRD leadership), over after `status_days` (UU 7/2012: at most 90)."""
        m = self.model
        o = m.spec.officials
        if self.status_moved is not None and day >= self.status_moved + o.status_delay_days:
            self.status_moved = None
            self.status_from, self.status_until = day, day + o.status_days - 1
            m.log(day, self.polres.seat, "status_declared", "Bupati", detail=f"until day {self.status_until}")
        if self.under_status(day):
            m.tally.conflict_status_days += 1
        elif self.status_from is not None and day == self.status_until + 1:
            m.log(day, self.polres.seat, "status_ended", "Bupati")

    def meet(self, day: int, hot: dict[int, tuple[int, int]]) -> list[int]:
        """The meeting: patrols from the Polres to the hottest reported villages, Brimob asked for
        the hottest left uncovered. Returns the villages sent a patrol."""
        m = self.model
        o, pol = m.spec.officials, m.policy.tim_terpadu
        self.last_meeting, self.meetings = day, self.meetings + 1
        m.spend("tim_terpadu", o.tim_terpadu_person_days)
        seat = self.polres.seat
        m.log(day, seat, "tim_terpadu", "Bupati, Kesbangpol, Kapolres, Dandim", size=len(hot), detail=f"{len(hot)} villages")
        order = sorted(hot, key=lambda v: (-hot[v][0], -hot[v][1], v))
        polsek = m.polsek_of(seat)
        free = [u for u in self.polres.units if u.free]
        sendable = max(0, len(free) - pol.reserve_teams)
        sent, left = [], []
        for v in order:
            if m.polsek_of(v).covered(v):
                continue
            if len(sent) < sendable:
                unit = free[len(sent)]
                arrive = day + 1 + o.backup_delay_days + polsek.travel_days(v, seat)
                unit.assign(v, arrive, o.unit_stay_days, "patrol")
                m.log(day, v, "patrol", "Polres (Tim Terpadu)", size=unit.team_size, detail=f"arrives day {arrive}")
                sent.append(v)
            else:
                left.append(v)
        if self.under_status(day):  # TNI platoons for the hottest left (PP 2/2015: only now)
            for unit in [u for u in self.tni if u.free][: len(left)]:
                v = left.pop(0)
                arrive = day + 1 + o.backup_delay_days + polsek.travel_days(v, seat)
                unit.assign(v, arrive, o.unit_stay_days, "tni")
                m.log(day, v, "patrol", "TNI (Status Keadaan Konflik)", size=unit.team_size, detail=f"arrives day {arrive}")
                sent.append(v)
            kodam = m.forces.kodam
            while left and kodam is not None and kodam.send(day, left[0]):  # then the province's Kodam
                sent.append(left.pop(0))
        if left:  # a platoon for the hottest left, straight from the Polda (the reserve stays)
            m.forces.polda.send_platoon(day, left[0])
        # Polri cannot cope: villages at AWAS and no Polres team left free. The Bupati moves to
        # declare a Status Keadaan Konflik (once at a time)
        awas = sum(1 for lvl, _ in hot.values() if lvl >= AWAS)
        if (
            awas >= o.status_awas_villages and not any(u.free for u in self.polres.units)
            and self.status_moved is None and not self.under_status(day)
        ):
            self.status_moved = day
            m.log(day, seat, "status_move", "Bupati, DPRD", size=awas, detail=f"{awas} villages at AWAS")
        return sent
