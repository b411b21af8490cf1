"""SiagaModel's own villager phases, run alone on the rule set of `idiomatic_mesa.py`.

This is the vectorised half of the apples-to-apples comparison. One `step()` is one simulated
day, and it is computed by the very functions `SiagaModel.step()` calls (simulation/day.py), in
the same order, on the model's state objects (simulation/state.py) built from the snapshot:

1. `day.hoax_phase`: Maki-Thompson spreading (`substeps` substeps a day; detained spreaders reach
   nobody), counter-messaging (none here: no campaign, no mediation), forgetting;
2. `day.tension_phase`: the (village, camp) input table (all zero here: no money politics, rallies,
   violence or mediation) gathered per person, the hoax input of spreaders, provocations (none:
   the stage's trigger_rate is set to 0), mobilised arousal, tokoh (none), social influence over
   the row-normalised offline adjacency blended with the WhatsApp group mean, decay toward the
   stake baseline; detained people keep their tension;
3. `day.escalation_phase`: calm / tense from tension; for the active supporters
   (`model.partisans`), Epstein's activation `drive - R*P > T` with P from police presence and
   yesterday's crowd per village, AND the same-camp support share (offline same-camp contacts +
   same-camp group-mates, `Partisans.support`) >= one's threshold over `cascade_rounds`
   synchronous rounds (no rally or TPS support today); dispersal (no mediation).

With the village-level inputs at zero these functions compute exactly the rules the idiomatic
version implements per agent, so the speed ratio is a ratio of the model's own code. What is left
out of both (it belongs to the actors or other phases, which neither benchmark version runs):
officials, supporter groups, tokoh, provocations, the election, perceived-legitimacy updates (held
at the snapshot), clashes, arrests and release, alerts and the event log; `bench_scale.py` times
the full `SiagaModel.step()` separately and reports its ratio next to this one.

Random numbers come from a `Streams(seed)` switched to benchmark day k each day, as the model
switches its streams to the simulated day.
"""

from __future__ import annotations

import numpy as np

from benchmarks.snapshot import VillagerSnapshot, copy_people, quiet_stage
from simulation import day as phases
from simulation.dynamics import tension
from simulation.rng import Streams
from simulation.state import Forces, Today, Villages


def _no_log(*args, **kwargs) -> None:
    pass


def _no_spend(role: str, person_days: float) -> None:
    pass


def no_forces() -> Forces:
    """Nobody acts: no officials, supporter groups or tokoh."""
    return Forces(
        kades=[],
        camats=[],
        bhabin=[],
        babinsa=[],
        polsek=[],
        polres=[],
        supporter_groups=[],
        tokoh=[],
        tokoh_village=np.zeros(0, dtype=np.int64),
        tokoh_inflaming=np.zeros(0, dtype=bool),
        tokoh_engaged_days=np.zeros(0, dtype=np.int64),
    )


class VectorisedVillagerKernels:
    """The villager rules by SiagaModel's phase functions. `step()` runs one day; `.people` holds the state."""

    def __init__(self, snap: VillagerSnapshot, seed: int = 1):
        self.snap = snap
        self.k = 0  # benchmark day
        # the scenario with the snapshot's dynamics (tests may have replaced them after the snapshot)
        self.spec = snap.spec.model_copy(update={"dynamics": snap.dynamics})
        self.people = copy_people(snap.people)
        self.villages = Villages.empty(snap.n_villages, snap.n_camps, self.people)
        self.villages.presence[:] = snap.presence
        self.today = Today(
            0, quiet_stage(snap.stage_on(0)), np.zeros(snap.n, dtype=bool), np.zeros(snap.n, dtype=np.float32)
        )
        self.forces = no_forces()
        self.campaign = np.zeros(snap.n_villages, dtype=bool)
        self.streams = Streams(seed)
        online_weight = np.where(snap.network.group >= 0, snap.dynamics.hoax.online_weight, 0.0).astype(np.float32)
        net, tp = snap.network, snap.dynamics.tension
        self.tension_operator = tension.Operator.build(
            net.influence, net.group, net.membership_t if net.n_groups else None, net.inv_others, online_weight,
            tp.influence, tp.decay,
        )

    def step(self) -> None:
        s, p, v, spec, streams = self.snap, self.people, self.villages, self.spec, self.streams
        k = self.k
        streams.start_day(k)
        self.today.day = k
        self.today.stage = quiet_stage(s.stage_on(k))
        spreaders = phases.hoax_phase(p, s.network, v, spec, self.campaign, 0.0, streams, _no_spend, k, _no_log)
        detained = phases.tension_phase(
            p,
            v,
            s.region,
            self.forces,
            self.today,
            spec,
            s.cell,
            self.tension_operator,
            spreaders,
            streams.tension,
            _no_log,
        )
        phases.escalation_phase(p, s.partisans, v, self.today, spec, True, streams.mobilisation, detained)
        self.k += 1

    def arrays(self) -> dict[str, np.ndarray]:
        p = self.people
        return {"tension": p.tension, "state": p.state, "rumour": p.rumour}
