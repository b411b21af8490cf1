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
        supporters = model.supporters_per_village()
        # where this group campaigns, and its camp's and everyone's supporters there (kept for its
        # own villages only: a province has a group per camp per kabupaten)
        self.villages = np.arange(len(supporters)) if villages is None else np.asarray(villages)
        self.members = supporters[self.villages, camp]
        self.rivals = supporters[self.villages].sum(axis=1) - self.members

    @property
    def members_per_village(self) -> np.ndarray:
        """The camp's supporters in every village of the region, 0 outside this group's."""
        out = np.zeros(len(self.model.supporters_per_village()), dtype=self.members.dtype)
        out[self.villages] = self.members
        return out

    def _spend(self, cost: float) -> bool:
        if self.resources < cost:
            return False
        self.resources -= cost
        return True

    def _pick_village(self, weights: np.ndarray) -> int:
        """One of the group's villages, drawn in proportion to `weights` (over its villages)."""
        rng = self.model.streams.supporters
        w = weights.astype(float)
        if w.sum() <= 0:
            return int(self.villages[rng.integers(0, len(self.villages))])
        return int(self.villages[rng.choice(len(w), p=w / w.sum())])

    def act(self, day: int, stage) -> None:
        m = self.model
        rng = m.streams.supporters
        cost = m.spec.dynamics.campaign_costs
        if stage.rallies:
            for _ in range(rng.poisson(self.spec.rallies_per_week / 7.0)):
                if not self._spend(cost.rally):
                    break
                v = self._pick_village(self.members)
                m.hold_rally(v, self.camp, self.spec.rally_attendance, self.name)
        for _ in range(rng.poisson(self.spec.hoaxes_per_week / 7.0 * stage.hoax)):
            if not self._spend(cost.hoax):
                break
            v = self._pick_village(self.rivals)
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
                v = int(self.villages[np.argmax(self.members)])
                m.hold_rally(v, self.camp, self.spec.rally_attendance, self.name, mass_action=True)
