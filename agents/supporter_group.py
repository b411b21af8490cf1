"""A candidate pair's tim sukses: rallies, black campaign (hoaxes), money politics, mass mobilisation.

Each action costs resources (`dynamics.campaign_costs`, assumed units); a group that runs out
stops acting. Targets: rallies where the group's own supporters are, hoaxes where the rival's
are, money politics in villages drawn at random (each with probability = intensity), mass
mobilisation after a lost and disputed count (docs/ODD.md §7.9). Where each kabupaten elects its
own head (`calendar.races = "kabupaten"`, §7.1a) a camp has a group per kabupaten, acting there
alone, at its own race's stage, on its own resources.
"""

from __future__ import annotations

import mesa
import numpy as np

from scenarios.schema import CandidateSpec


class SupporterGroup(mesa.Agent):
    def __init__(self, model: mesa.Model, camp: int, spec: CandidateSpec, race: int = 0, villages: np.ndarray | None = None):
        super().__init__(model)
        self.camp = camp
        self.spec = spec
        self.name = spec.name
        self.race = race
        self.resources = float(spec.resources)
        n = len(model.supporters_per_village())
        self.villages = np.arange(n) if villages is None else np.asarray(villages)  # where this group campaigns
        self.here = np.zeros(n, dtype=bool)
        self.here[self.villages] = True
        self.members_per_village = np.where(self.here, model.supporters_per_village()[:, camp], 0)

    def _spend(self, cost: float) -> bool:
        if self.resources < cost:
            return False
        self.resources -= cost
        return True

    def _pick_village(self, weights: np.ndarray) -> int:
        rng = self.model.streams.supporters
        w = weights.astype(float)
        if w.sum() <= 0:
            return int(self.villages[rng.integers(0, len(self.villages))])
        return int(rng.choice(len(w), p=w / w.sum()))

    def act(self, day: int, stage) -> None:
        m = self.model
        rng = m.streams.supporters
        cost = m.spec.dynamics.campaign_costs
        if stage.rallies:
            for _ in range(rng.poisson(self.spec.rallies_per_week / 7.0)):
                if not self._spend(cost.rally):
                    break
                v = self._pick_village(self.members_per_village)
                m.hold_rally(v, self.camp, self.spec.rally_attendance, self.name)
        for _ in range(rng.poisson(self.spec.hoaxes_per_week / 7.0 * stage.hoax)):
            if not self._spend(cost.hoax):
                break
            rivals = np.where(self.here, m.supporters_per_village().sum(axis=1), 0) - self.members_per_village
            v = self._pick_village(rivals)
            m.seed_hoax(v, self.spec.hoax_seeds, self.name, self.camp)
        intensity = self.spec.money_politics * stage.money_politics
        if intensity > 0:
            targets = self.villages[rng.random(len(self.villages)) < intensity]
            for v in targets:
                if not self._spend(cost.money_per_village):
                    break
                m.money_politics(int(v), self.camp, intensity, self.name)
        result = m.tally.result_by_race[self.race]
        if result is not None and result.disputed and result.winner != self.camp and day >= m.calendar.result_days[self.race]:
            if rng.random() < self.spec.mobilise_after_loss * stage.contact and self._spend(cost.mass_action):
                v = int(np.argmax(self.members_per_village))
                m.hold_rally(v, self.camp, self.spec.rally_attendance, self.name, mass_action=True)
