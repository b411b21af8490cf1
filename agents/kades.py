"""The Kades (village head): first to see trouble, first able to talk it down.

Each day he reads a noisy signal of his village's state (alert index + Gaussian noise) and turns
it into an alert level. Under a mediation policy he convenes a rembug with the tokoh once his
reading has stayed at or above the policy's level for longer than its delay; he reports to the
Camat when his reading reaches the report level, and repeats an unchanged report every
`report_repeat_days`. A partisan Kades (he favours one camp) lowers legitimacy for the other camps
and mediates at `partisan_kades_factor` of the strength (docs/ODD.md §7.11; what a mediation
does: simulation/dynamics/mediation.py).
"""

from __future__ import annotations

import mesa

from common.levels import AWAS, level_of


class Kades(mesa.Agent):
    def __init__(self, model: mesa.Model, village: int, partisan_camp: int | None):
        super().__init__(model)
        self.village = village
        self.partisan_camp = partisan_camp
        self.level = 0
        self.days_at_level = 0
        self.detected = False
        self.last_report: tuple[int, int] | None = None  # (day, level)

    @property
    def partisan(self) -> bool:
        return self.partisan_camp is not None

    def observe(self) -> int:
        return self.model.observe(self.village, self.model.spec.officials.kades_noise)

    def step(self, day: int) -> None:
        m = self.model
        pol = m.policy.kades
        self.level = self.observe()
        act = level_of(pol.act_level)
        self.days_at_level = self.days_at_level + 1 if self.level >= act else 0
        if self.level >= act and not self.detected:
            self.detected = True
            m.log(day, self.village, "detection", "Kades", detail=f"level {self.level}")
        if pol.mediation and self.level >= act and self.days_at_level > pol.delay_days:
            m.request_mediation(self.village, m.mediation_strength(self.partisan), "Kades+tokoh")
            m.spend("kades", 1.0)
        if self.level >= level_of(pol.report_level) or self.level == AWAS:
            last = self.last_report
            if last is None or self.level > last[1] or day - last[0] >= m.spec.officials.report_repeat_days:
                m.camat_of(self.village).receive(day, self.village, self.level, "Kades")
                self.last_report = (day, self.level)
                m.log(day, self.village, "report", "Kades -> Camat", detail=f"level {self.level}")
