"""SiagaModel's villager kernels alone, on the same rule set as `idiomatic_mesa.py`.

This is the vectorised half of the apples-to-apples comparison. One `step()` is one simulated
day of exactly the villager rules that the idiomatic Mesa model implements per agent, computed
with the kernels SiagaModel itself calls (`simulation.dynamics.hoax / tension / mobilisation` and
`SocialNetwork.random_neighbour / group_mean` and the model's partisan-only support matrices), in the order of
`SiagaModel.step()`:

1. hoax: `hoax.spread_day` (Maki-Thompson, `substeps` substeps a day) then `hoax.forget`;
2. tension: inputs = believed hoax x stakes x (0.5 + partisanship) (+ mobilised arousal), social
   influence over the row-normalised offline adjacency blended with the WhatsApp group mean,
   decay toward the stake baseline, `tension.update`; detained people keep their tension;
3. mobilisation: Epstein activation `drive - R*P > T` with P from police presence and yesterday's
   crowd per village, AND the same-camp support share (offline same-camp contacts + same-camp
   group-mates) >= one's threshold, over `cascade_rounds` synchronous rounds; dispersal; the new
   escalation state (calm / tense / mobilised, detained kept).

The lines of steps 2 and 3 mirror `SiagaModel._tension` and `SiagaModel._escalation` with the
village-level inputs left out (provocations, rallies, money politics, violence nearby, tokoh,
mediation, counter-hoax messaging): those belong to the actors, which neither benchmark version
runs. Officials, supporter groups, the election, clashes, arrests, alerts and logging are left out
as well; `bench_scale.py` times the full `SiagaModel.step()` separately.
"""

from __future__ import annotations

import numpy as np

from benchmarks.common import VillagerSnapshot
from simulation.dynamics import hoax, mobilisation, tension
from simulation.population import Escalation, Rumour


class VectorisedVillagerKernels:
    """The villager rules on numpy arrays. `step()` runs one day; arrays are in `.tension` etc."""

    def __init__(self, snap: VillagerSnapshot, seed: int = 1):
        self.snap = snap
        self.rng = np.random.default_rng(seed)
        self.k = 0  # benchmark day
        self.tension = snap.tension.copy()
        self.state = snap.state.copy()
        self.rumour = snap.rumour.copy()
        self.online_weight = np.where(snap.network.group >= 0, snap.dynamics.hoax.online_weight, 0.0).astype(np.float32)

    def step(self) -> None:
        s, dyn, net = self.snap, self.snap.dynamics, self.snap.network
        hp, tp, mp = dyn.hoax, dyn.tension, dyn.mobilisation
        stakes = s.stakes_on(self.k)
        rng = self.rng

        # 1. hoax (SiagaModel._hoax without counter-messaging)
        contacts = lambda who, g: net.random_neighbour(who, g, hp.online_weight)  # noqa: E731
        hoax.spread_day(self.rumour, hp.contacts_per_day, hp.substeps, contacts, rng)
        hoax.forget(self.rumour, hp.forget_rate, rng)

        # 2. tension (SiagaModel._tension without the village-level inputs)
        inputs = np.zeros(s.n, dtype=np.float32)
        spreading = np.flatnonzero(self.rumour == Rumour.SPREADER)
        inputs[spreading] += hp.tension_gain * stakes * (0.5 + s.partisanship[spreading])
        if tp.mobilised_arousal > 0:
            inputs[self.state == Escalation.MOBILISED] += tp.mobilised_arousal
        m = tension.neighbour_mean(self.tension, net.influence, net.group_mean(self.tension), self.online_weight)
        baseline = tp.stake_level * stakes * s.partisanship
        new = tension.update(self.tension, m, tp.decay, tp.influence, inputs, baseline)
        np.copyto(self.tension, new, where=self.state != Escalation.DETAINED)

        # 3. mobilisation (SiagaModel._mobilise without rally support and mediation): on the
        #    active supporters' rows only, as the model does
        pi = s.partisans
        st_p = self.state[pi]
        was = st_p == Escalation.MOBILISED
        v = s.village[pi]
        drive = mp.grievance_weight * s.hardship[pi] * (1.0 - s.legitimacy[pi]) + mp.tension_weight * self.tension[pi]
        crowd = np.bincount(v[was], minlength=s.n_villages)
        prob = mobilisation.arrest_probability(
            s.presence * mp.crowd_per_officer, 1 + crowd, mp.arrest_k, mp.ratio_rounding
        )
        willing = (st_p != Escalation.DETAINED) & mobilisation.activation(
            drive, s.risk_aversion[pi], prob[v], mp.activation_threshold
        )
        contacts = s.partisan_degree + s.camp_group_mates
        mob = was & willing
        for _ in range(mp.cascade_rounds):
            out = (mob | was).astype(np.float32)
            hits = s.partisan_same_camp @ out + s.camp_groups @ (s.camp_groups_t @ out) - out * s.camp_group_member
            mob = willing & (mobilisation.support_share(hits, contacts) >= s.threshold[pi])
        mob &= rng.random(len(pi)) >= mp.dispersal
        st = np.where(self.tension >= tp.tense_threshold, Escalation.TENSE, Escalation.CALM).astype(np.int8)
        np.copyto(st, self.state, where=self.state == Escalation.DETAINED)
        st[pi[mob]] = Escalation.MOBILISED
        self.state[:] = st
        self.k += 1

    def arrays(self) -> dict[str, np.ndarray]:
        return {"tension": self.tension, "state": self.state, "rumour": self.rumour}
