"""Above the Polsek: each kabupaten's Polres and the province's Polda, whose backup is finite.

Under `officials.backup_mode = "pooled"` (docs/ODD.md §7.13a) backup is not weather. A Polsek that
cannot cover an incident (or a Camat after a rakor) asks its kabupaten's Polres. The Polres sends
one of its own teams when one is free; when none is, the Polda sends a Brimob platoon when one is
free, and the Polda's platoons are one pool for every kabupaten of the region. When nothing is
free the request waits, oldest first across the whole region, until a team comes back or
`backup_expiry_days` have passed. So scarcity is made by the other areas' demand on the same days,
which is what the Camat of Kepahiang said of a simultaneous Pilkada ("every area is securing its
own villages") and what Tito Karnavian said of back-up personnel [D25].

Where the platoons wait is a policy (`policy.police.brimob_posture`): at the Polda (`reactive`), or
put under the kabupaten Polres (BKO) `brimob_days_before_voting` before voting day, in turn over
the kabupaten (`even`) or all in the one rated most at risk (`risk`: the largest share of hotspot
villages, then the most people). A platoon under a Polres is one of its teams: it starts from the
Polres seat without the Polda's delay and serves that kabupaten alone.

The Polda's platoons start from `region.polres_seat` (the province capital's Polres in a province
scenario; inside a smaller region a stand-in for a capital outside it, so they travel less than
they would) after `brimob_delay_days` more than a Polres team.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from agents.security import PoliceUnit


class Polres(mesa.Agent):
    """A kabupaten's police command: its backup teams and the requests waiting for them."""

    def __init__(self, model: mesa.Model, kabupaten: int, seat: int, units: list[PoliceUnit]):
        super().__init__(model)
        self.kabupaten = kabupaten
        self.seat = seat
        self.units = units
        self.waiting: dict[int, int] = {}  # village -> the day backup was first asked for it

    def free_unit(self) -> PoliceUnit | None:
        return next((u for u in self.units if u.free), None)


class Polda(mesa.Agent):
    """The province's police: Brimob platoons shared by every Polres, and the one place where all
    the waiting requests are seen, so that the oldest is served first wherever it is."""

    def __init__(self, model: mesa.Model, seat: int, units: list[PoliceUnit], commands: list[Polres]):
        super().__init__(model)
        self.seat = seat
        self.units = units
        self.commands = commands

    def ask(self, day: int, village: int, asked: int) -> None:
        """A request for backup in `village`, first asked on day `asked`, reaches its Polres: it
        waits there, then every waiting request is tried."""
        polres = self.commands[self.model.region.kabupaten_of(village)]
        polres.waiting[village] = asked
        self.serve(day)

    def serve(self, day: int) -> None:
        """Serve the waiting requests, oldest first (then kabupaten, then village; with a provincial
        Tim Terpadu, the kabupaten it hears is worst first): a free team of
        the request's own Polres, else a free Brimob platoon, else it keeps waiting; requests
        older than `backup_expiry_days` are given up, those whose village already has a team are
        withdrawn."""
        m = self.model
        o = m.spec.officials
        queue = sorted((asked, p.kabupaten, v) for p in self.commands for v, asked in p.waiting.items())
        province = m.forces.province
        if province is not None:  # the provincial Tim Terpadu: the worst reported kabupaten first (§7.13d)
            queue.sort(key=lambda q: province.priority(q[1]))  # stable: oldest first within a kabupaten
        for asked, kab, village in queue:
            polres = self.commands[kab]
            polsek = m.polsek_of(village)
            if polsek.covered(village):
                del polres.waiting[village]
                m.tally.backup_close(village, unmet=False)
                continue
            if day - asked > o.backup_expiry_days:
                del polres.waiting[village]
                m.tally.backup_close(village, unmet=True)
                m.log(day, village, "backup_expired", "Polres", detail=f"asked day {asked}")
                continue
            unit = polres.free_unit()
            if unit is not None:
                arrive = day + 1 + o.backup_delay_days + polsek.travel_days(village, polres.seat)
                who = "Polres" if unit.force == "Polres" else "Brimob (BKO Polres)"
            else:
                unit = next((u for u in self.units if u.free), None)
                if unit is None:
                    continue
                arrive = day + 1 + o.backup_delay_days + o.brimob_delay_days + polsek.travel_days(village, self.seat)
                who = "Polda Brimob"
            del polres.waiting[village]
            unit.assign(village, arrive, o.unit_stay_days, "backup")
            polsek.grant_backup(day, village, unit, who, f"waited {day - asked} d; arrives day {arrive}")

    # ---------------------------------------------------------------- a partitioned province
    # (simulation/federation.py): the platoons are the province's and come once a day

    def waiting_asks(self) -> list[tuple[int, int]]:
        """(day first asked, village) of every ask still waiting tonight, oldest first."""
        return sorted((asked, v) for p in self.commands for v, asked in p.waiting.items())

    def lend(self, day: int, village: int, arrive: int, stay: int) -> None:
        """A platoon the province lends for `village`'s ask, granted on the evening of `day`."""
        from agents.security import PoliceUnit

        m = self.model
        unit = PoliceUnit(m, None, m.spec.officials.brimob_team_size, polres=True, force="Brimob")
        unit.lent = True
        m.forces.polres.append(unit)
        self.commands[m.region.kabupaten_of(village)].waiting.pop(village, None)
        unit.assign(village, arrive, stay, "backup")
        m.polsek_of(village).grant_backup(day, village, unit, "Polda Brimob", f"lent by the province; arrives day {arrive}")

    def take_bko(self, day: int, n: int) -> None:
        """`n` of the province's platoons put under this kabupaten's Polres this morning (the
        Brimob posture of a partitioned run): Polres teams until they are given back."""
        from agents.security import PoliceUnit

        m = self.model
        polres = self.commands[0]
        for _ in range(n):
            unit = PoliceUnit(m, None, m.spec.officials.brimob_team_size, polres=True, force="Brimob")
            unit.bko = True
            polres.units.append(unit)
            m.forces.polres.append(unit)
        m.log(day, polres.seat, "brimob_bko", "Polda -> Polres", size=n * m.spec.officials.brimob_team_size)

    def recall_bko(self) -> None:
        """The province wants its stationed platoons back: each goes when it is free."""
        for u in self._bko():
            u.recalled = True

    def idle_bko(self) -> int:
        """Stationed platoons free tonight."""
        return sum(1 for u in self._bko() if u.free)

    def give_back_bko(self, count: int | None = None) -> int:
        """Hand stationed platoons back to the province: `count` free ones now (a new wave's station
        day), or (None) the recalled ones free tonight. Returns how many left."""
        m = self.model
        free = [u for u in self._bko() if u.free and (count is not None or u.recalled)]
        back = free if count is None else free[:count]
        if back:
            for c in self.commands:
                c.units = [u for u in c.units if u not in back]
            m.forces.polres[:] = [u for u in m.forces.polres if u not in back]
        return len(back)

    def _bko(self) -> list:
        return [u for c in self.commands for u in c.units if u.bko]

    def return_lent(self) -> None:
        """Lent platoons that have left their village go back to the province."""
        m = self.model
        m.forces.polres[:] = [u for u in m.forces.polres if not (u.lent and u.free)]

    def send_platoon(self, day: int, village: int) -> bool:
        """A platoon asked for directly (the kabupaten's Tim Terpadu, agents/tim_terpadu.py),
        leaving the Polres's own teams alone: sent if one is free at the Polda, else refused."""
        m = self.model
        o = m.spec.officials
        polsek = m.polsek_of(village)
        opened = m.tally.backup_ask(village, day, o.backup_expiry_days)
        if opened:
            m.log(day, village, "backup_request", "Tim Terpadu -> Polda")
        unit = next((u for u in self.units if u.free), None)
        if unit is None:
            if opened:  # refused: this ask ends unmet (an older Polsek ask keeps waiting at its Polres)
                m.tally.backup_close(village, unmet=True)
            return False
        self.commands[m.region.kabupaten_of(village)].waiting.pop(village, None)
        arrive = day + 1 + o.backup_delay_days + o.brimob_delay_days + polsek.travel_days(village, self.seat)
        unit.assign(village, arrive, o.unit_stay_days, "backup")
        polsek.grant_backup(day, village, unit, "Polda Brimob", f"Tim Terpadu; arrives day {arrive}")
        return True

    def station(self, kabupaten: list[int] | None = None) -> list[int]:
        """Put the platoons under kabupaten Polres as the posture says (none when `reactive`), over
        `kabupaten` (those voting next when voting is staggered, §7.1a; all when None), calling back
        first those stationed for an earlier wave; returns the kabupaten each platoon went to. A
        platoon out on a request finishes it first."""
        m = self.model
        posture = m.policy.police.brimob_posture
        if posture == "reactive" or not self.commands:
            return []
        for c in self.commands:  # back from an earlier wave's BKO
            self.units += [u for u in c.units if u.force == "Brimob"]
            c.units = [u for u in c.units if u.force != "Brimob"]
        if not self.units:
            return []
        region = m.region
        among = list(range(len(self.commands))) if kabupaten is None else list(kabupaten)
        if posture == "even":
            hosts = [among[i % len(among)] for i in range(len(self.units))]
        else:
            kab = region.village_kabupaten
            share = np.bincount(kab, weights=region.hotspot.astype(float), minlength=len(self.commands))
            share /= np.maximum(np.bincount(kab, minlength=len(self.commands)), 1)
            people = np.bincount(kab, weights=region.population.astype(float), minlength=len(self.commands))
            top = among[int(np.lexsort((-people[among], -share[among]))[0])]  # most hotspots, then most people, then first
            hosts = [top] * len(self.units)
        for unit, j in zip(self.units, hosts, strict=True):
            self.commands[j].units.append(unit)
        self.units = []
        return hosts


class Kodam(mesa.Agent):
    """The province's army command: TNI platoons shared by every kabupaten whose Tim Terpadu runs
    a Status Keadaan Konflik and has no Kodim platoon of its own left (§7.13c). Like the Polda's
    Brimob, one pool for all: two kabupaten under a status at once compete for it."""

    def __init__(self, model: mesa.Model, seat: int, units: list):
        super().__init__(model)
        self.seat = seat
        self.units = units

    def send(self, day: int, village: int) -> bool:
        """A platoon to `village` if one is free (it deters, it does not arrest); False if none is."""
        m = self.model
        o = m.spec.officials
        unit = next((u for u in self.units if u.free), None)
        if unit is None:
            return False
        arrive = day + 1 + o.backup_delay_days + o.kodam_delay_days + m.polsek_of(village).travel_days(village, self.seat)
        unit.assign(village, arrive, o.unit_stay_days, "tni")
        m.log(day, village, "patrol", "TNI Kodam (Status Keadaan Konflik)", size=unit.team_size, detail=f"arrives day {arrive}")
        return True


class KodamDesk(mesa.Agent):
    """A kabupaten's line to the Kodam in a partitioned province (simulation/federation.py): the
    Tim Terpadu's asks for a Kodam platoon are written down here and sent up in the evening; the
    province lends a platoon to each ask while one is free, and it comes the next morning."""

    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.asks: list[int] = []  # villages asked for tonight, hottest first
        self.units: list = []

    def send(self, day: int, village: int) -> bool:
        """Write the ask down; nothing is sent tonight (the Tim Terpadu goes on to the Polda)."""
        if village not in self.asks:
            self.asks.append(village)
        return False

    def take_asks(self) -> list[int]:
        asks, self.asks = self.asks, []
        return asks

    def lend(self, day: int, village: int, arrive: int, stay: int) -> None:
        """A Kodam platoon the province lends for `village`, granted on the evening of `day`."""
        from agents.security import TniUnit

        m = self.model
        unit = TniUnit(m, m.spec.officials.tni_team_size)
        unit.lent = True
        self.units.append(unit)
        m.forces.polres.append(unit)
        unit.assign(village, arrive, stay, "tni")
        m.log(day, village, "patrol", "TNI Kodam (Status Keadaan Konflik)", size=unit.team_size,
              detail=f"lent by the province; arrives day {arrive}")

    def return_lent(self) -> None:
        self.units = [u for u in self.units if not u.free]

