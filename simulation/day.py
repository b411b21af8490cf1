"""The villager-level phases of a day: each one calls a kernel from `simulation/dynamics/` with
the model's arrays and this day's stage, and records what happened.

`SiagaModel` (simulation/model.py) wires the region, people, network and agents and orders the
day; this mixin holds the mechanism steps, so each file keeps one job.
"""

from __future__ import annotations

import numpy as np

from agents import tokoh
from simulation.alerts import alert_index, level_of, levels
from simulation.dynamics import arrests, clashes, grievance, hoax, mobilisation, polling, tension
from simulation.population import Escalation, Rumour


class DayPhases:
    """Mechanism steps of `SiagaModel.step()` (a mixin: `self` is the model)."""

    def _polling(self, d: int) -> None:
        """Voting day: voters at the TPS feel their camp around them; Polri guard the TPS."""
        if d != self.calendar.voting_day or self.voted is None:
            return
        pp, p = self.spec.dynamics.polling, self.people
        self.tps_support[:] = polling.gathering_support(self.voted, pp.tps_support)
        voters = np.bincount(p.village[p.voter], minlength=self.region.n_villages)
        # a crowd at one TPS sees that TPS's guard (deterrence is local, as Epstein's vision);
        # all the village's TPS guards can arrest
        self.presence += pp.police_per_tps
        self.arresting += polling.tps_police(voters, pp.voters_per_tps, pp.police_per_tps)

    def _hoax(self, d: int, stage) -> None:
        p, hp, rng = self.people, self.spec.dynamics.hoax, self.streams.hoax
        detained = p.state == Escalation.DETAINED

        def contacts(who: np.ndarray, g: np.random.Generator) -> np.ndarray:
            partner = self.network.random_neighbour(who, g, hp.online_weight)
            partner[detained[who]] = -1  # no phone in a cell: detained spreaders reach nobody
            return partner

        hoax.spread_day(p.rumour, hp.contacts_per_day, hp.substeps, contacts, rng)
        ch = self.policy.counter_hoax
        # a counter-hoax campaign (policy, or ordered by a rakor) and, inside it or not, the
        # clarifying that comes with a mediation (paid for as mediation, not as counter-hoax work)
        campaign = self.counter_hoax_until >= d
        if ch.enabled:
            seen = np.array([k.level for k in self.kades])  # yesterday's Kades readings
            campaign |= seen >= level_of(ch.level)
        for v in np.flatnonzero(campaign | (self.mediation_today > 0)):
            effect = max(ch.effect if campaign[v] else 0.0, 0.5 * self.mediation_today[v])
            n = hoax.counter_message(p.rumour, self.people_in(int(v)), effect, self.streams.interventions)
            if campaign[v]:
                self.spend("counter_hoax", 1.0)
            if n:
                self.log(d, int(v), "counter_hoax", "tokoh+Kades", size=n)
        hoax.forget(p.rumour, hp.forget_rate, rng)

    def _legitimacy(self, d: int) -> None:
        p, g = self.people, self.spec.dynamics.grievance
        if not self.on.grievance:
            p.legitimacy[:] = g.legitimacy
            return
        # penalties per (village, camp a person leans to), then one gather for everyone
        village_pen = (
            g.money_politics_penalty * np.minimum(self.money_seen, 1.0)
            + g.violence_penalty * np.minimum(self.village_incidents, 3) / 3.0
        )
        table = np.repeat(village_pen[:, None], self.n_camps, axis=1)
        # visible non-neutral ASN work for the incumbent (Bawaslu: abuse of office by incumbents),
        # so it costs legitimacy among the other camps; with no incumbent, among everyone
        asn = g.asn_penalty * self.asn_visible[:, None] * self.asn_offended[None, :]
        table += asn
        table += g.partisan_kades_penalty * self.partisan_kades_offends
        if self.result is not None and self.result.disputed:
            table += g.dispute_penalty
            table[:, self.result.winner] -= g.dispute_penalty
        pen = table.ravel()[self.village_lean]
        p.legitimacy[:] = grievance.perceived_legitimacy(g.legitimacy, pen)

    def _tension(self, d: int, stage) -> None:
        p, tp, rng = self.people, self.spec.dynamics.tension, self.streams.tension
        s = stage.stakes
        # village-level inputs (money politics seen, violence nearby, mediation) and rival rallies
        # per (village, camp leaned to): built small, gathered once for everyone
        exposure = self.violence_exposure + tp.violence_spillover * (self.region.adjacency @ self.violence_exposure)
        village_in = (
            tp.money_gain * s * np.minimum(self.money_today.sum(axis=1), 1.0)
            + tp.violence_gain * np.minimum(exposure, 1.0)
            - tp.mediation_relief * self.mediation_today
        )
        rallies = self.rally_today.astype(np.float64)
        rival = rallies.sum(axis=1, keepdims=True) - rallies
        table = village_in[:, None] + tp.rally_rival_gain * s * rival
        inputs = table.ravel()[self.village_lean].astype(np.float32)
        if self.on.hoax:
            spreading = np.flatnonzero(p.rumour == Rumour.SPREADER)
            inputs[spreading] += self.spec.dynamics.hoax.tension_gain * s * (0.5 + p.partisanship[spreading])
        # provocations: Poisson events per village, each reaching a share of the village
        n_prov = rng.poisson(stage.trigger_rate * (1 + self.region.hotspot), self.region.n_villages)
        for vil in np.flatnonzero(n_prov):
            idx = self.people_in(int(vil))
            hit = idx[rng.random(len(idx)) < 1 - (1 - tp.provocation_reach) ** n_prov[vil]]
            inputs[hit] += tp.provocation_gain * s
            self.log(d, int(vil), "provocation", "provokator", size=len(hit))
        if tp.mobilised_arousal > 0:
            inputs[p.state == Escalation.MOBILISED] += tp.mobilised_arousal
        if len(self.tokoh):
            at_home = self.mediation_today[self.tokoh_village]
            effect = tokoh.daily_effect(self.tokoh_inflaming, at_home, s, tp.mediation_relief)
            # only the few tokoh active today touch their followers' rows (an inflaming tokoh
            # every day, a calming one on mediation days): cheaper than a people x tokoh product
            for t in np.flatnonzero(effect):
                inputs[self.tokoh[t].followers] += effect[t]
            self.tokoh_engaged_days += ~self.tokoh_inflaming & (at_home > 0)
        m = tension.neighbour_mean(p.tension, self.network.influence, self.network.group_mean(p.tension), self.online_weight)
        baseline = tp.stake_level * s * p.partisanship
        new = tension.update(p.tension, m, tp.decay, tp.influence, inputs, baseline)
        np.copyto(p.tension, new, where=p.state != Escalation.DETAINED)

    def _escalation(self, d: int, stage) -> None:
        p = self.people
        state = np.where(p.tension >= self.spec.dynamics.tension.tense_threshold, Escalation.TENSE, Escalation.CALM).astype(np.int8)
        np.copyto(state, p.state, where=p.state == Escalation.DETAINED)
        if self.on.mobilisation and len(self.partisans):
            mob = self._mobilise()
            state[self.partisans[mob]] = Escalation.MOBILISED
        p.state[:] = state

    def _mobilise(self) -> np.ndarray:
        """Who of the active supporters is out today (a mask over `self.partisans`)."""
        p, mp, pi = self.people, self.spec.dynamics.mobilisation, self.partisans
        st = p.state[pi]
        was = st == Escalation.MOBILISED
        v = p.village[pi]
        drive = mp.grievance_weight * p.hardship[pi] * (1 - p.legitimacy[pi]) + mp.tension_weight * p.tension[pi]
        crowd = np.bincount(v[was], minlength=self.region.n_villages)
        prob = mobilisation.arrest_probability(self.presence * mp.crowd_per_officer, 1 + crowd, mp.arrest_k, mp.ratio_rounding)
        willing = (st != Escalation.DETAINED) & mobilisation.activation(drive, p.risk_aversion[pi], prob[v], mp.activation_threshold)
        rally = np.maximum(mp.rally_support * self.rally_attendee[pi], self.tps_support[pi])
        contacts = self.same_camp_degree + self.camp_group_mates
        mob = was & willing
        for _ in range(mp.cascade_rounds):
            # share of same-camp contacts (offline and in one's WhatsApp group) already out
            out = (mob | was).astype(np.float32)
            hits = self.same_camp @ out + self.camp_groups @ (self.camp_groups_t @ out) - out * self.camp_group_member
            sup = np.maximum(mobilisation.support_share(hits, contacts), rally)
            mob = willing & (sup >= p.threshold[pi])
        # crowds disperse (people go home, tire) and mediation talks them down
        # one draw per supporter (not per crowd member) keeps each person's draw independent of
        # how many others are out, so a change elsewhere never reshuffles who goes home
        go_home = mp.dispersal + (1 - mp.dispersal) * 0.5 * self.mediation_today[v]
        mob &= self.streams.mobilisation.random(len(pi)) >= go_home
        return mob

    def _clashes(self, d: int, stage) -> tuple[int, int]:
        p, cp, rng = self.people, self.spec.dynamics.clashes, self.streams.clashes
        nv = self.region.n_villages
        self.violence_exposure = np.zeros(nv)
        self.days_since_incident += 1
        mob = p.state == Escalation.MOBILISED
        if not mob.any():
            return 0, 0
        crowds = clashes.crowd_sizes(p.village, p.camp, mob, nv, self.n_camps)
        h = clashes.clash_hazard(crowds, self.region.adjacency, cp.base_hazard, stage.contact, cp.neighbour_contact, self.presence, cp.police_damping)
        loser = np.ones(self.n_camps, dtype=bool)
        if self.result is not None:
            loser[self.result.winner] = False
        h_org = clashes.organisers_hazard(crowds[:, loser].sum(axis=1), cp.organisers_hazard, stage.organisers_contact, self.presence, cp.police_damping)
        fight = rng.random(nv) < h
        protest = ~fight & (rng.random(nv) < h_org)
        n_inc = n_part = 0
        for v in np.flatnonzero(fight | protest):
            idx = self.people_in(int(v))
            present = idx[mob[idx] & (loser[p.camp[idx]] | bool(fight[v]))]
            who = clashes.draw_participants(present, p.tension, cp.participation, rng)
            if len(who) == 0:
                continue
            p.state[who] = Escalation.VIOLENT
            kind = "clash" if fight[v] else "protest"
            camps = tuple(int(c) for c in np.unique(p.camp[who]))
            self._record_incident(d, int(v), kind, who, camps, stage)
            n_inc += 1
            n_part += len(who)
        return n_inc, n_part

    def _record_incident(self, d: int, v: int, kind: str, who: np.ndarray, camps: tuple[int, ...], stage) -> None:
        size = len(who)
        self.incidents.append({"day": d, "village": v, "kind": kind, "size": size, "camps": camps, "stage": stage.name})
        self.village_incidents[v] += 1
        self.village_participants[v] += size
        if self.village_first_incident[v] < 0:
            self.village_first_incident[v] = d
        self.days_since_incident[v] = 0
        self.violence_exposure[v] = max(self.violence_exposure[v], min(1.0, size / 20.0))
        if stage.name in ("voting", "counting"):
            self.voting_disrupted[v] = True
        names = " vs ".join(self.spec.candidates[c].name for c in camps) or "massa"
        self.log(d, v, "incident", names, size=size, detail="bentrok pendukung" if kind == "clash" else "massa vs penyelenggara")
        if self.on.officials:
            self.polsek[int(self.region.kecamatan[v])].request(v, 4, d, "incident")

    def _arrests(self, d: int) -> int:
        p, ap = self.people, self.spec.dynamics.arrests
        target_state = Escalation.VIOLENT if ap.target == "violent" else Escalation.MOBILISED
        targets = np.flatnonzero(p.state == target_state)
        if ap.target == "mobilised":
            targets = np.flatnonzero((p.state == Escalation.MOBILISED) | (p.state == Escalation.VIOLENT))
        taken = arrests.arrest_in_villages(targets, p.village, self.arresting, ap.arrests_per_officer, self.streams.arrests)
        if len(taken):
            arrests.detain(p.state, p.jail, taken, ap.max_jail_days, self.streams.arrests)
            self.total_arrests += len(taken)
            for v, c in zip(*np.unique(p.village[taken], return_counts=True)):
                self.village_arrests[v] += c
                self.log(d, int(v), "arrest", "Polsek", size=int(c))
        return len(taken)

    def _alerts(self) -> None:
        p = self.people
        start, pop = p.village_start, self.region.population
        # villagers are stored village by village, so per-village sums are segment sums
        mean_t = np.add.reduceat(p.tension, start, dtype=np.float64) / pop
        out = (p.state == Escalation.MOBILISED) | (p.state == Escalation.VIOLENT)
        mob = np.add.reduceat(out, start, dtype=np.int64) / pop
        spr = np.add.reduceat(p.rumour == Rumour.SPREADER, start, dtype=np.int64) / pop
        self.alert_index = alert_index(mean_t, mob, spr)
        self.alert_level = levels(self.alert_index, self.days_since_incident)
        self.worst_alert = np.maximum(self.worst_alert, self.alert_level)
