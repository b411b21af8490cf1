"""The Kades (village head): first to see trouble, first able to talk it down.

Each day he reads a noisy signal of his village's state (the alert index, misread as
`alerts.reading_error` says, with spread `officials.kades_noise`) and turns it into an alert level.
Under a mediation policy he convenes a rembug with the tokoh once his reading has stayed at or
above the policy's level for longer than its delay. He reports to the Camat when his reading
reaches the report level (and always at AWAS), and repeats an unchanged report every
`report_repeat_days`. When his reading has stayed below his last report for `calm_report_days`
evenings he reports that the village has calmed down, at the highest level he read in those
evenings (often AMAN), so that the Camat's picture cools as the village does (docs/WARNINGS.md).
A partisan Kades (he favours one camp) lowers legitimacy for the other camps and mediates at
`partisan_kades_factor` of the strength (docs/ODD.md §7.11; what a mediation does:
simulation/dynamics/mediation.py).
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
        self.calm_days = 0  # evenings in a row his reading stayed below his last report
        self.calm_peak = 0  # the highest reading in those evenings
        self.readings: list[int] = []  # his last `confirm_days` evening readings, oldest first

    @property
    def partisan(self) -> bool:
        return self.partisan_camp is not None

    def observe(self) -> int:
        return self.model.observe(self.village, self.model.spec.officials.kades_noise)

    def assess(self, reading: int) -> int:
        """His level tonight: the lowest of his last `confirm_days` readings, i.e. a level he has
        seen that many evenings running (one stray impression is not a crisis); an incident in the
        village (AWAS by the incident rule, §7.8) he knows at once."""
        if self.model.villages.days_since_incident[self.village] < self.model.alerts.recent_days:
            self.readings = [reading]
            return reading
        self.readings = (self.readings + [reading])[-self.model.spec.officials.confirm_days:]
        return min(self.readings)

    def step(self, day: int) -> None:
        m = self.model
        pol = m.policy.kades
        self.level = self.assess(self.observe())
        act = level_of(pol.act_level)
        self.days_at_level = self.days_at_level + 1 if self.level >= act else 0
        if self.level >= act and not self.detected:
            self.detected = True
            m.log(day, self.village, "detection", "Kades", detail=f"level {self.level}")
        if pol.mediation and self.level >= act and self.days_at_level > pol.delay_days:
            m.request_mediation(self.village, m.mediation_strength(self.partisan), "Kades+tokoh")
            m.spend("kades", 1.0)
        if self.calmed_down():
            self.report(day, self.calm_peak)
        elif self.level >= level_of(pol.report_level) or self.level == AWAS:
            last = self.last_report
            if last is None or self.level > last[1] or day - last[0] >= m.spec.officials.report_repeat_days:
                self.report(day, self.level)

    def calmed_down(self) -> bool:
        """Whether tonight his reading has stayed below his last report for `calm_report_days`
        evenings (counting tonight); a reading at or above the last report starts the count anew."""
        last, wait = self.last_report, self.model.spec.officials.calm_report_days
        if last is None or wait == 0 or self.level >= last[1]:
            self.calm_days = self.calm_peak = 0
            return False
        self.calm_peak = self.level if self.calm_days == 0 else max(self.calm_peak, self.level)
        self.calm_days += 1
        return self.calm_days >= wait

    def report(self, day: int, level: int) -> None:
        m = self.model
        m.camat_of(self.village).receive(day, self.village, level, "Kades")
        self.last_report = (day, level)
        self.calm_days = self.calm_peak = 0
        m.log(day, self.village, "report", "Kades -> Camat", detail=f"level {level}")
