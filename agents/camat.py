"""The Camat: reads late, noisy reports and convenes Forkopimcam / the Tim Terpadu (a rakor).

Reports from Kades and Babinsa arrive `report_delay_days` late, and each is misread by one level
with probability `camat_noise`. Under a coordination policy, when
enough villages are reported at or above the convening level, the Camat calls a rakor with the
Kapolsek and Danramil (DOMAIN §1.1): mediation teams go to every reported village, the Polsek is
asked for patrols there, counter-hoax messaging starts, and Polres backup is requested when the
Polsek cannot cover every village. A rakor is repeated at most once per cooldown.
"""

from __future__ import annotations

import mesa

from simulation.alerts import WASPADA, level_of

RAKOR_PERSON_DAYS = 8.0  # assumed: Camat, Kapolsek, Danramil, KUA, tokoh and staff for one day
REPORT_MEMORY_DAYS = 7
COUNTER_HOAX_DAYS = 7


class Camat(mesa.Agent):
    def __init__(self, model: mesa.Model, kecamatan: int):
        super().__init__(model)
        self.kecamatan = kecamatan
        self.inbox: list[tuple[int, int, int, str]] = []  # (arrival day, village, level, source)
        self.known: dict[int, tuple[int, int]] = {}  # village -> (level, day heard)
        self.last_rakor = -10_000
        self.rakor_count = 0

    def receive(self, day: int, village: int, level: int, source: str) -> None:
        # a relayed report is misread by one level (up or down) with probability camat_noise
        rng = self.model.streams.reports
        shift = (1 if rng.random() < 0.5 else -1) if rng.random() < self.model.spec.officials.camat_noise else 0
        heard = int(min(max(level + shift, 0), 3))
        self.inbox.append((day + self.model.spec.officials.report_delay_days, village, heard, source))

    def step(self, day: int) -> None:
        m = self.model
        arrived = [r for r in self.inbox if r[0] <= day]
        self.inbox = [r for r in self.inbox if r[0] > day]
        for _, v, lvl, _src in arrived:
            self.known[v] = (lvl, day)
        pol = m.policy.camat
        if not pol.coordination or day - self.last_rakor < pol.cooldown_days:
            return
        recent = {v: lvl for v, (lvl, d) in self.known.items() if day - d <= REPORT_MEMORY_DAYS}
        hot = [v for v, lvl in recent.items() if lvl >= level_of(pol.convene_level)]
        if len(hot) < pol.convene_villages:
            return
        self.last_rakor = day
        self.rakor_count += 1
        m.spend("rakor", RAKOR_PERSON_DAYS)
        seat = int(m.region.seat[self.kecamatan])
        m.log(day, seat, "rakor", "Camat, Kapolsek, Danramil", size=len(hot), detail=f"{len(hot)} villages")
        targets = sorted(v for v, lvl in recent.items() if lvl >= WASPADA)
        polsek = m.polsek[self.kecamatan]
        for v in targets:
            m.request_mediation(v, m.policy.kades.mediation_strength, "Tim Terpadu")
            m.spend("mediation_team", 2.0)
            m.counter_hoax_until[v] = max(m.counter_hoax_until[v], day + COUNTER_HOAX_DAYS)
            polsek.request(v, recent[v], day, "rakor")
        if pol.request_backup and len(targets) > polsek.free_units():
            polsek.request_backup(day, targets[0])
