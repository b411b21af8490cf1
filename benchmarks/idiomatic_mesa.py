"""The villager rules of SiagaModel written the idiomatic Mesa 3 way: one agent per villager.

This is the baseline the vectorised model is compared with in `bench_scale.py`. Every villager is
a `VillagerAgent(mesa.Agent)` holding its own state in Python attributes and a list of its
neighbouring agents, and the day is `model.agents.shuffle_do("step")` followed by
`model.agents.do("advance")` (Mesa 3's replacement for SimultaneousActivation). Population,
network and starting state are taken from a real `SiagaModel` built with the same scenario and
seed (`benchmarks.snapshot.take_snapshot`), so both versions run on the identical people and graph:
each agent's neighbour list is its row of `model.network.adjacency`, its same-camp list its row of
`model.network.same_camp(model.people.camp)`, its WhatsApp group `model.network.group`. Parameters
are read from the SiagaModel's `spec.dynamics`.

Rules included (per agent per day; the same rules as `vectorised_kernels.py`, which runs them by
calling SiagaModel's own phase functions, simulation/day.py):

1. Hoax, Maki-Thompson with substeps: a spreader makes, in each of `substeps` substeps,
   int(c/substeps) contacts plus one more with probability frac(c/substeps), c =
   `contacts_per_day`. A contact is a random WhatsApp group-mate with probability `online_weight`
   (if in a group) or else a random offline neighbour; a detained spreader reaches nobody. An
   ignorant partner becomes a spreader; a spreader or stifler partner stifles the initiator.
   Stiflers forget at `forget_rate` a day.
2. Tension: tau' = clip(tau + a (m - tau) - d (tau - b) + I, 0, 1) with m the mean tension of
   the offline neighbours, blended (weight `online_weight`) with the mean of the other group-mates
   for people in a group; b = stake_level x stakes x partisanship; I = hoax tension_gain x stakes x
   (0.5 + partisanship) for a spreader (+ mobilised_arousal if mobilised). Detained keep tau.
3. Mobilisation: an active supporter (camp >= 0, not detained) is willing when Epstein's rule
   `drive - R*P > T` holds, drive = w_g G + w_t tau', G = hardship (1 - legitimacy), P = 1 -
   exp(-k C/A) with C = police presence x crowd_per_officer in the village and A = 1 + yesterday's
   mobilised there. A willing person mobilises when the share of same-camp contacts (offline
   same-camp neighbours and same-camp group-mates) mobilised is >= its threshold
   (`cascade_rounds` synchronous rounds). Mobilised people go home with probability `dispersal`.
   New state: mobilised, else tense if tau' >= tense_threshold, else calm; detained stay detained.

Left out of BOTH timed versions (they are not villager kernels): officials and police units
(presence per village is held at its snapshot value), supporter groups (rallies, hoax seeding,
money politics), tokoh, provocations, violence exposure, mediation and counter-hoax messaging,
the election, perceived-legitimacy updates (held at the snapshot), clashes, arrests and release,
alerts, event logging and the DataCollector (the vectorised side runs the model's phase functions
with those village-level inputs at zero). `bench_scale.py` times the full SiagaModel day, which
does all of that, separately, and prints both ratios.

Differences that are not extra work: the Maki-Thompson contacts are asynchronous here (an agent
told earlier in today's random order may spread today; the vectorised substep is synchronous);
tension and state are synchronous in both (agents write `next_*`, committed in `advance()`). Per
WhatsApp group the model sums members' tension and counts mobilised members per camp once a day in
one Python pass over the agents (the Mesa way of a model-level aggregate), rather than each agent
summing its ~40 group-mates, which would make this baseline slower. Random draws come from
`model.random` (Python's `random.Random`), so runs do not match the vectorised ones draw for draw.
"""

from __future__ import annotations

import math

import mesa

from benchmarks.snapshot import VillagerSnapshot

CALM, TENSE, MOBILISED, VIOLENT, DETAINED = 0, 1, 2, 3, 4
IGNORANT, SPREADER, STIFLER = 0, 1, 2


class ChatGroup:
    """A WhatsApp group: its members and the day's aggregates the model gathers for them."""

    __slots__ = ("members", "camp_size", "tension_sum", "mobilised")

    def __init__(self, n_camps: int):
        self.members: list[VillagerAgent] = []
        self.camp_size = [0] * n_camps  # members actively supporting each camp
        self.tension_sum = 0.0
        self.mobilised = [0] * n_camps  # members of each camp counted as "out" this round


class VillagerAgent(mesa.Agent):
    """One villager with a Python `step()` that loops over its own contacts."""

    def __init__(
        self,
        model: IdiomaticVillageModel,
        index: int,
        village: int,
        camp: int,
        partisanship: float,
        hardship: float,
        risk_aversion: float,
        threshold: float,
        legitimacy: float,
        tension: float,
        state: int,
        rumour: int,
    ):
        super().__init__(model)
        self.index = index
        self.village = village
        self.camp = camp
        self.partisanship = partisanship
        self.hardship = hardship
        self.risk_aversion = risk_aversion
        self.threshold = threshold
        self.legitimacy = legitimacy
        self.tension = tension
        self.state = state
        self.rumour = rumour
        self.neighbours: list[VillagerAgent] = []
        self.same_camp: list[VillagerAgent] = []
        self.group: ChatGroup | None = None
        self.next_tension = tension
        self.willing = False
        self.mobilised = False  # this round's decision (the cascade's "mob")
        self.next_mobilised = False

    # ---------------------------------------------------------------- rule 1: hoax
    def contact(self) -> None:
        """One Maki-Thompson contact initiated by this spreader."""
        m = self.model
        g = self.group
        if self.state == DETAINED:  # no phone in a cell (as simulation/day.py's hoax_phase)
            return
        if g is not None and self.random.random() < m.online_weight:
            members = g.members
            size = len(members)
            if size < 2:
                return
            partner = members[int(self.random.random() * (size - 1))]
            if partner is self:
                partner = members[-1]
        else:
            if not self.neighbours:
                return
            partner = self.random.choice(self.neighbours)
        if partner.rumour == IGNORANT:
            partner.rumour = SPREADER
        else:
            self.rumour = STIFLER

    def spread(self) -> None:
        m = self.model
        for _ in range(m.substeps):
            for _ in range(m.whole_contacts):
                if self.rumour == SPREADER:
                    self.contact()
            if m.frac_contacts > 0 and self.rumour == SPREADER and self.random.random() < m.frac_contacts:
                self.contact()

    # ---------------------------------------------------------------- rule 3: support share
    def support_share(self) -> float:
        """Share of same-camp contacts (offline and in the group) counted as out this round."""
        hits = 0
        for nb in self.same_camp:
            if nb.is_out():
                hits += 1
        total = len(self.same_camp)
        g = self.group
        if g is not None:
            hits += g.mobilised[self.camp] - (1 if self.is_out() else 0)
            total += g.camp_size[self.camp] - 1
        return hits / total if total > 0 else 0.0

    def is_out(self) -> bool:
        """In the cascade, out = decided to mobilise this round or mobilised yesterday."""
        return self.mobilised or self.state == MOBILISED

    # ---------------------------------------------------------------- the day
    def step(self) -> None:
        m = self.model
        # 1. hoax: spread, then forget
        if self.rumour == SPREADER:
            self.spread()
        if self.rumour == STIFLER and self.random.random() < m.forget_rate:
            self.rumour = IGNORANT

        # 2. tension (synchronous: neighbours' `tension` is still yesterday's)
        detained = self.state == DETAINED
        if detained:
            self.next_tension = self.tension
        else:
            t = self.tension
            inputs = 0.0
            if self.rumour == SPREADER:
                inputs += m.hoax_gain * m.stakes * (0.5 + self.partisanship)
            if self.state == MOBILISED:
                inputs += m.mobilised_arousal
            if self.neighbours:
                mean = sum(nb.tension for nb in self.neighbours) / len(self.neighbours)
            else:
                mean = 0.0
            g = self.group
            if g is not None:
                others = len(g.members) - 1
                g_mean = (g.tension_sum - t) / others if others > 0 else 0.0
                mean = (1.0 - m.online_weight) * mean + m.online_weight * g_mean
            baseline = m.stake_level * m.stakes * self.partisanship
            new = t + m.influence * (mean - t) - m.decay * (t - baseline) + inputs
            self.next_tension = 0.0 if new < 0.0 else (1.0 if new > 1.0 else new)

        # 3. mobilisation, first cascade round (out = mobilised yesterday)
        self.willing = False
        self.next_mobilised = False
        if self.camp >= 0 and not detained:
            drive = m.grievance_weight * self.hardship * (1.0 - self.legitimacy) + m.tension_weight * self.next_tension
            self.willing = drive - self.risk_aversion * m.arrest_prob[self.village] > m.activation_threshold
            if self.willing:
                self.next_mobilised = self.support_share() >= self.threshold

    def cascade(self) -> None:
        """A further synchronous cascade round (only when cascade_rounds > 1)."""
        self.next_mobilised = self.willing and self.support_share() >= self.threshold

    def commit_round(self) -> None:
        self.mobilised = self.next_mobilised

    def advance(self) -> None:
        m = self.model
        mob = self.mobilised
        if mob and self.random.random() < m.dispersal:
            mob = False
        self.tension = self.next_tension
        if self.state != DETAINED:
            self.state = MOBILISED if mob else (TENSE if self.tension >= m.tense_threshold else CALM)
        self.mobilised = False


class IdiomaticVillageModel(mesa.Model):
    """One Mesa agent per villager, built on the population and graph of a SiagaModel snapshot."""

    def __init__(self, snap: VillagerSnapshot, seed: int = 1):
        super().__init__(rng=seed)
        self.snap = snap
        dyn = snap.dynamics
        hp, tp, mp = dyn.hoax, dyn.tension, dyn.mobilisation
        self.k = 0
        self.stakes = snap.stakes_on(0)
        self.n_camps = snap.n_camps
        # parameters, read once from spec.dynamics
        self.substeps = hp.substeps
        per_sub = hp.contacts_per_day / hp.substeps
        self.whole_contacts, self.frac_contacts = int(per_sub), per_sub - int(per_sub)
        self.online_weight = hp.online_weight
        self.forget_rate = hp.forget_rate
        self.hoax_gain = hp.tension_gain
        self.decay, self.influence, self.stake_level = tp.decay, tp.influence, tp.stake_level
        self.tense_threshold, self.mobilised_arousal = tp.tense_threshold, tp.mobilised_arousal
        self.grievance_weight, self.tension_weight = mp.grievance_weight, mp.tension_weight
        self.activation_threshold, self.arrest_k = mp.activation_threshold, mp.arrest_k
        self.crowd_per_officer, self.rounding = mp.crowd_per_officer, mp.ratio_rounding
        self.cascade_rounds, self.dispersal = mp.cascade_rounds, mp.dispersal
        self.presence = snap.presence.tolist()
        self.arrest_prob = [0.0] * snap.n_villages

        # agents, one per villager, with plain Python attribute values
        cols = (
            snap.village,
            snap.camp,
            snap.partisanship,
            snap.hardship,
            snap.risk_aversion,
            snap.threshold,
            snap.legitimacy,
            snap.tension,
            snap.state,
            snap.rumour,
        )
        self.villagers: list[VillagerAgent] = [
            VillagerAgent(self, i, *row) for i, row in enumerate(zip(*(c.tolist() for c in cols), strict=True))
        ]
        vs = self.villagers
        for csr, attr in ((snap.network.adjacency, "neighbours"), (snap.same_camp, "same_camp")):
            indptr, indices = csr.indptr.tolist(), csr.indices.tolist()
            for i, a in enumerate(vs):
                setattr(a, attr, [vs[j] for j in indices[indptr[i] : indptr[i + 1]]])
        net = snap.network
        self.groups = [ChatGroup(self.n_camps) for _ in range(net.n_groups)]
        for i, gid in enumerate(net.group.tolist()):
            if gid >= 0:
                g = self.groups[gid]
                a = vs[i]
                a.group = g
                g.members.append(a)
                if a.camp >= 0:
                    g.camp_size[a.camp] += 1

    # ---------------------------------------------------------------- model-level aggregates
    def gather(self) -> None:
        """Per group: members' tension sum and mobilised members per camp; per village: crowd
        (yesterday's mobilised) and from it the arrest probability P."""
        for g in self.groups:
            g.tension_sum = 0.0
            g.mobilised = [0] * self.n_camps
        crowd = [0] * len(self.presence)
        for a in self.villagers:
            g = a.group
            out = a.state == MOBILISED
            if out:
                crowd[a.village] += 1
            if g is not None:
                g.tension_sum += a.tension
                if out and a.camp >= 0:
                    g.mobilised[a.camp] += 1
        k, cpo = self.arrest_k, self.crowd_per_officer
        for v, (police, c) in enumerate(zip(self.presence, crowd, strict=True)):
            ratio = police * cpo / max(1.0 + c, 1.0)
            if self.rounding == "floor":
                ratio = math.floor(ratio)
            elif self.rounding == "round":
                ratio = round(ratio)
            self.arrest_prob[v] = 1.0 - math.exp(-k * ratio)

    def count_out(self) -> None:
        """Mobilised-per-camp counts of each group for a further cascade round."""
        for g in self.groups:
            g.mobilised = [0] * self.n_camps
        for a in self.villagers:
            if a.group is not None and a.camp >= 0 and a.is_out():
                a.group.mobilised[a.camp] += 1

    def step(self) -> None:
        self.stakes = self.snap.stakes_on(self.k)
        self.gather()
        self.agents.shuffle_do("step")
        self.agents.do("commit_round")
        for _ in range(self.cascade_rounds - 1):
            self.count_out()
            self.agents.do("cascade")
            self.agents.do("commit_round")
        self.agents.do("advance")
        self.k += 1

    # ---------------------------------------------------------------- read-out
    def arrays(self):
        """State as numpy arrays in villager order (for tests and comparisons)."""
        import numpy as np

        vs = self.villagers
        return {
            "tension": np.array([a.tension for a in vs], dtype=np.float64),
            "state": np.array([a.state for a in vs], dtype=np.int8),
            "rumour": np.array([a.rumour for a in vs], dtype=np.int8),
        }
