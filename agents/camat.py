"""The Camat: reads late, noisy reports and convenes Forkopimcam / the Tim Terpadu (a rakor).

Reports from Kades and Babinsa arrive `report_delay_days` late, and each is misread by
`camat_misread_levels` level(s) up or down with probability `camat_noise`; he remembers a report
for `report_memory_days`. A Kades' calm-down report (agents/kades.py) replaces a village's earlier,
higher level, so a village that has cooled drops out of the next rakor (docs/WARNINGS.md). Under a coordination policy, when enough villages are reported at or
above the convening level, the Camat calls a rakor with the Kapolsek and Danramil (docs/ODD.md
§7.14): mediation teams go to every reported village, the Polsek is asked for patrols there,
counter-hoax messaging starts for `counter_hoax_days`, and Polres backup is requested when the
Polsek cannot cover every village. A rakor is repeated at most once per cooldown. Person-days:
`rakor_person_days` a rakor, `mediation_team_person_days` a team and village.

A person can take the Camat's place (the workshop): `model.take_command()` sets `manual`, which
switches off his automatic rakor, and the person's orders, `camat.order(kind, village)` for a kind
in ORDERS (mediation, patrol, rapid response, rakor, counter-hoax, Polres backup), act through the
same channels the automatic Camat uses, charged against a budget in person-days (docs/ODD.md §7.14,
"A human Camat").
"""

from __future__ import annotations

import mesa

from common.levels import AMAN, AWAS, WASPADA, level_of

# A human Camat's orders and what each is charged against his budget, in person-days (assumed:
# mediation `mediation_team_person_days`; a Polsek team of `team_size` for the `unit_stay_days`
# stay; a counter-hoax campaign of `counter_hoax_days` days at 1 person-day a day; a rakor as the
# automatic one; a backup request costs the kecamatan nothing, the Polres pays).
ORDERS = ("mediation", "patrol", "rapid_response", "rakor", "counter_hoax", "backup")


class OrderRefused(ValueError):
    """A human Camat's order that cannot be carried out (unknown village, no budget left)."""


class Camat(mesa.Agent):
    def __init__(self, model: mesa.Model, kecamatan: int):
        super().__init__(model)
        self.kecamatan = kecamatan
        self.inbox: list[tuple[int, int, int, str]] = []  # (arrival day, village, level, source)
        self.known: dict[int, tuple[int, int]] = {}  # village -> (level, day heard)
        self.last_rakor = -10_000
        self.received: list[tuple[int, int, int, int, str]] = []  # (arrival, sent, village, level heard, source)
        self.manual = False  # a person gives the orders (workshop); no automatic rakor
        self.budget = 0.0
        self.spent = 0.0
        self.orders: list[dict] = []  # what the person ordered, in order

    def receive(self, day: int, village: int, level: int, source: str) -> None:
        # a relayed report is misread by one level (up or down) with probability camat_noise
        o = self.model.spec.officials
        rng = self.model.streams.reports
        step = o.camat_misread_levels
        shift = (step if rng.random() < 0.5 else -step) if rng.random() < o.camat_noise else 0
        heard = int(min(max(level + shift, AMAN), AWAS))
        arrival = day + o.report_delay_days
        self.inbox.append((arrival, village, heard, source))
        self.received.append((arrival, day, village, heard, source))

    def step(self, day: int) -> None:
        m = self.model
        arrived = [r for r in self.inbox if r[0] <= day]
        self.inbox = [r for r in self.inbox if r[0] > day]
        for _, v, lvl, _src in arrived:
            self.known[v] = (lvl, day)
        pol = m.policy.camat
        if self.manual or not pol.coordination or day - self.last_rakor < pol.cooldown_days:
            return
        recent = self.recent_reports(day)
        hot = [v for v, lvl in recent.items() if lvl >= level_of(pol.convene_level)]
        if len(hot) < pol.convene_villages:
            return
        self._rakor(day, recent, len(hot), pol.request_backup)

    def recent_reports(self, day: int) -> dict[int, int]:
        """Village -> level as last reported, for reports heard in the past week."""
        memory = self.model.spec.officials.report_memory_days
        return {v: lvl for v, (lvl, d) in self.known.items() if day - d <= memory}

    def _rakor(self, day: int, recent: dict[int, int], n_hot: int, request_backup: bool) -> list[int]:
        """Forkopimcam / Tim Terpadu: mediation, counter-hoax and Polsek patrols for every village
        reported at WASPADA or above; Polres backup when the Polsek cannot cover them all."""
        m, o = self.model, self.model.spec.officials
        self.last_rakor = day
        m.spend("rakor", o.rakor_person_days)
        seat = int(m.region.seat[self.kecamatan])
        m.log(day, seat, "rakor", "Camat, Kapolsek, Danramil", size=n_hot, detail=f"{n_hot} villages")
        targets = sorted(v for v, lvl in recent.items() if lvl >= WASPADA)
        polsek = m.polsek_of(seat)
        for v in targets:
            m.request_mediation(v, m.policy.kades.mediation_strength, "Tim Terpadu")
            m.spend("mediation_team", o.mediation_team_person_days)
            m.start_counter_hoax(v, day + o.counter_hoax_days)
            polsek.request(v, recent[v], day, "rakor")
        if request_backup and len(targets) > polsek.free_units():
            polsek.request_backup(day, targets[0])
        return targets

    # ------------------------------------------------------------------ a human Camat's orders
    # Given between steps, i.e. in the evening of the last simulated day (the hour at which the
    # automatic Camat decides): a mediation takes place the next morning, a Polsek team is
    # dispatched at once and arrives as the Polsek's own teams do.

    def order_cost(self, kind: str, village: int | None = None) -> float:
        m = self.model
        o = m.spec.officials
        if kind == "mediation":
            return o.mediation_team_person_days
        if kind in ("patrol", "rapid_response"):
            return float(o.team_size * o.unit_stay_days)
        if kind == "counter_hoax":
            return float(o.counter_hoax_days)
        if kind == "rakor":
            day = max(m.day - 1, 0)
            n = sum(1 for lvl in self.recent_reports(day).values() if lvl >= WASPADA)
            return o.rakor_person_days + o.mediation_team_person_days * n
        if kind == "backup":
            return 0.0
        raise OrderRefused(f"unknown order {kind!r}; orders: {', '.join(ORDERS)}")

    def order(self, kind: str, village: int | None = None) -> dict:
        """Carry out one order now; returns what was done. Raises OrderRefused (budget, village)."""
        m = self.model
        if not self.manual:
            raise OrderRefused("the Camat is automatic; call model.take_command() first")
        cost = self.order_cost(kind, village)
        if kind != "rakor":
            if village is None or not 0 <= int(village) < m.region.n_villages:
                raise OrderRefused(f"order {kind!r} needs a village number 0..{m.region.n_villages - 1}, got {village!r}")
            village = int(village)
            if int(m.region.kecamatan[village]) != self.kecamatan:
                raise OrderRefused(f"village {m.region.names[village]} is outside this Camat's kecamatan")
            if kind in ("patrol", "rapid_response") and m.polsek_of(village).covered(village):
                raise OrderRefused(f"a police team is already posted to {m.region.names[village]}")
            if kind == "mediation" and m.mediation_planned(village):
                raise OrderRefused(f"a mediation is already planned in {m.region.names[village]} tomorrow")
            if kind == "counter_hoax" and m.counter_hoax_until(village) >= max(m.day - 1, 0) + m.spec.officials.counter_hoax_days:
                raise OrderRefused(f"counter-hoax messaging already runs in {m.region.names[village]} for the coming week")
        if cost > self.budget - self.spent + 1e-9:
            raise OrderRefused(f"not enough budget: {kind} costs {cost:g} person-days, {self.budget - self.spent:g} left")
        day = max(m.day - 1, 0)
        polsek = m.polsek_of(int(m.region.seat[self.kecamatan]))
        outcome = "done"
        if kind == "mediation":
            m.request_mediation(village, m.policy.kades.mediation_strength, "Tim Terpadu (Camat)")
            m.spend("mediation_team", m.spec.officials.mediation_team_person_days)
        elif kind == "patrol":
            polsek.request(village, 2, day, "Camat")
            polsek.dispatch(day)  # the Polsek's own queue, response delay and travel time
            outcome = "dispatched" if village not in polsek.queue else "queued: no free team"
        elif kind == "rapid_response":
            unit = next((u for u in polsek.units if u.free), None)
            if unit is None:
                raise OrderRefused("no free Polsek team for a rapid response today")
            # no response delay: the team leaves tonight and is there tomorrow (plus travel)
            arrive = day + 1 + polsek.travel_days(village, int(m.region.seat[self.kecamatan]))
            unit.assign(village, arrive, m.spec.officials.unit_stay_days, "response")
            polsek.queue.pop(village, None)
            m.log(day, village, "response", "Polsek (Camat)", size=unit.team_size, detail=f"Camat; arrives day {arrive}")
            outcome = f"arrives day {arrive}"
        elif kind == "counter_hoax":
            m.start_counter_hoax(village, day + m.spec.officials.counter_hoax_days)
        elif kind == "rakor":
            targets = self._rakor(day, self.recent_reports(day), 0, request_backup=False)
            outcome = f"{len(targets)} villages"
        elif kind == "backup":
            granted = polsek.backup_granted
            polsek.request_backup(day, village)
            if polsek.backup_granted > granted:
                outcome = "granted"
            elif village in m.tally.backup_open and m.spec.officials.backup_mode == "pooled":
                outcome = "waiting: no free Polres team or Brimob platoon"  # served when one comes back
            else:
                outcome = "refused: no Polres unit available"
        self.spent += cost
        record = {"day": day, "kind": kind, "village": village, "cost": cost, "outcome": outcome}
        self.orders.append(record)
        return record
