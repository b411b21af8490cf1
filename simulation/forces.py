"""Building the officials, supporter groups and tokoh of a region (docs/ODD.md §2, §7.7, §7.13).

Split from the model so that `SiagaModel.__init__` wires parts together and this module alone says
who stands where: Kades (some partisan), Camat, Bhabinkamtibmas and Babinsa over contiguous patches,
Polsek teams sized from the population, the Polres/Polda/Kodam pools of the chosen backup mode and
the Tim Terpadu above them, each race's supporter groups, and each village's tokoh.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from agents import (
    Babinsa,
    Bhabinkamtibmas,
    Camat,
    Kades,
    Kodam,
    Polda,
    PoliceUnit,
    Polres,
    Polsek,
    ProvincialTimTerpadu,
    SupporterGroup,
    TimTerpadu,
    TniUnit,
    Tokoh,
)
from agents.tokoh import KINDS as TOKOH_KINDS
from simulation.dynamics import identity
from simulation.state import Forces

if TYPE_CHECKING:
    from simulation.model import SiagaModel

__all__ = ["build_forces"]


def build_forces(model: SiagaModel) -> Forces:
    """Every official, supporter group and tokoh of the region, in a fixed order: agents' ids and the
    officials' stream draws follow it, so moving a line here changes every run."""
    spec, region, rng = model.spec, model.region, model.streams.officials
    nv, o = region.n_villages, spec.officials
    enforcement = model.policy.neutrality.enforcement
    partisan = rng.random(nv) < o.kades_partisan_share * (1 - enforcement)
    camp_of_kades = rng.integers(0, model.n_camps, nv)
    kades = [Kades(model, v, int(camp_of_kades[v]) if partisan[v] else None) for v in range(nv)]
    # (village, camp): 1 where the village's Kades is partisan for another camp (fixed all run)
    offends = model.villages.partisan_kades_offends
    offends[partisan] = 1.0
    offends[np.flatnonzero(partisan), camp_of_kades[partisan]] = 0.0
    camats = [Camat(model, k) for k in range(region.n_kecamatan)]
    bhabin = _village_officers(model, Bhabinkamtibmas, o.bhabinkamtibmas_per_village)
    babinsa = _village_officers(model, Babinsa, o.babinsa_per_village)
    polsek = []
    for k in range(region.n_kecamatan):
        pop = region.population[region.kecamatan == k].sum()
        n_units = max(1, int(pop / o.people_per_police * o.polsek_share * o.duty_share // o.team_size))
        polsek.append(Polsek(model, k, [PoliceUnit(model, k, o.team_size) for _ in range(n_units)]))
    polda, tim, province, kodam = None, [], None, None
    if o.backup_mode == "pooled":  # a Polres per kabupaten, Brimob shared by all (§7.13a)
        commands = [
            Polres(model, j, region.polres_seat_of(j), [PoliceUnit(model, None, o.team_size, polres=True) for _ in range(o.polres_backup_units)])
            for j in range(region.n_kabupaten)
        ]
        brimob = [PoliceUnit(model, None, o.brimob_team_size, polres=True, force="Brimob") for _ in range(o.brimob_backup_units)]
        polda = Polda(model, int(region.polres_seat), brimob, commands)
        polres = [u for c in commands for u in c.units] + brimob
        if model.policy.tim_terpadu.enabled:  # the kabupaten's Tim Terpadu (§7.13b)
            silent_draw = model.streams.kabupaten.random(region.n_kecamatan)
            silent = {k for k in range(region.n_kecamatan) if silent_draw[k] < o.kecamatan_silent_share}
            of_kec = region.kabupaten_of_kecamatan
            tim = [
                TimTerpadu(
                    model, c, [camats[k] for k in range(region.n_kecamatan) if of_kec is None or of_kec[k] == c.kabupaten],
                    silent, [TniUnit(model, o.tni_team_size) for _ in range(o.tni_units)],
                )
                for c in commands
            ]
            polres += [u for t in tim for u in t.tni]
            if o.kodam_units:  # the province's TNI platoons, for any kabupaten under a status (§7.13c)
                kodam = Kodam(model, int(region.polres_seat), [TniUnit(model, o.tni_team_size) for _ in range(o.kodam_units)])
                polres += kodam.units
            if model.policy.province.enabled:  # the provincial Tim Terpadu (§7.13d)
                province = ProvincialTimTerpadu(model, tim)
    else:
        polres = [PoliceUnit(model, None, o.team_size, polres=True) for _ in range(o.polres_backup_units)]
    if model.races.n == 1:
        groups = [SupporterGroup(model, c, cand) for c, cand in enumerate(spec.candidates)]
    else:  # each kabupaten's pairs campaign there (§7.1a)
        groups = [SupporterGroup(model, c, cand, r, model.races.villages(r))
                  for r in range(model.races.n) for c, cand in enumerate(spec.candidates)]
    tokoh = _make_tokoh(model)
    return Forces(
        kades=kades, camats=camats, bhabin=bhabin, babinsa=babinsa, polsek=polsek, polres=polres,
        supporter_groups=groups, tokoh=tokoh,
        tokoh_village=np.array([t.village for t in tokoh], dtype=np.int64),
        tokoh_inflaming=np.array([t.inflaming for t in tokoh], dtype=bool),
        tokoh_engaged_days=np.zeros(len(tokoh), dtype=np.int64),
        polda=polda,
        tim_terpadu=tim,
        province=province,
        kodam=kodam,
    )

def _village_officers(model: SiagaModel, cls: type, per_village: float) -> list:
    """Spread round(per_village x villages) officers over the villages, nearby villages together."""
    region = model.region
    n = int(round(per_village * region.n_villages))
    if n == 0:
        return []
    # villages ordered by kecamatan then angle around the seat keep each patch contiguous
    seat = region.seat[region.kecamatan]
    angle = np.arctan2(region.y_km - region.y_km[seat], region.x_km - region.x_km[seat])
    order = np.lexsort((angle, region.kecamatan))
    patches = np.array_split(order, min(n, region.n_villages))
    officers = [cls(model, patch) for patch in patches]
    # more officers than villages: the extras double up on the villages they are sent to
    for i in range(n - len(officers)):
        officers.append(cls(model, patches[i % len(patches)]))
    return officers

def _make_tokoh(model: SiagaModel) -> list[Tokoh]:
    """Each village's tokoh with their followers and stance (§7.7, §7.25)."""
    spec, rng, people = model.spec, model.streams.tokoh, model.people
    out = []
    share = spec.network.tokoh_followers_share
    for v in range(model.region.n_villages):
        start, size = int(people.village_start[v]), int(model.region.population[v])
        for j in range(spec.officials.tokoh_per_village):
            n_f = max(1, int(round(share * size)))
            followers = start + rng.choice(size, size=min(n_f, size), replace=False)
            inflaming = bool(rng.random() < spec.officials.tokoh_inflaming_share)
            group = identity.leader_group(people.identity, followers, model.n_identity)
            if model.on.identity:  # an experiment's dial: all of one community's leaders one way (§7.25)
                name = spec.population.identity_groups[group].name
                if name in spec.dynamics.identity.moderate_groups:
                    inflaming = False
                elif name in spec.dynamics.identity.extreme_groups:
                    inflaming = True
            out.append(Tokoh(model, len(out), v, TOKOH_KINDS[j % len(TOKOH_KINDS)], inflaming, np.sort(followers), group))
    return out

