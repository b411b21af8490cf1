"""The validated shape of a scenario: every parameter, its default, its allowed range, its unit and
its source. This file is the one source: the parameter tables of docs/ODD.md are generated from it
(`python -m scenarios.parameters --write docs/ODD.md`) and a test fails when they disagree.

The tables are declared in scenarios/schema_region.py, schema_actors.py, schema_dynamics.py and
schema_policy.py (with `param` from scenarios/fields.py); this module assembles them into
`Scenario` and re-exports them, so `from scenarios.schema import ...` names every table.

Validation happens here and only here, at the boundary where data enter. Kernels trust what
they receive. Every parameter is declared with `param`, which records its meaning (`doc`), its
`unit` ("1" for a dimensionless number, "—" for a switch, a name or a level) and its `source`: a
tag of docs/ODD.md §10 ([D6], [S1]), "derived: ..." for arithmetic on cited figures, "assumed" for
a documented modelling assumption with no published source, or "hand-tuned" (docs/ODD.md §8).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from common.levels import ALERT_LEVELS, AlertName
from scenarios.fields import Strict, param
from scenarios.schema_actors import CandidateSpec, OfficialsSpec
from scenarios.schema_dynamics import (
    AlertParams,
    ArrestParams,
    CampaignCosts,
    ClashParams,
    DynamicsSpec,
    ElectionParams,
    GrievanceParams,
    HoaxParams,
    MechanismSwitches,
    MediationParams,
    MobilisationParams,
    PollingParams,
    SeverityParams,
    TensionParams,
)
from scenarios.schema_policy import (
    POLICY_PRESETS,
    CamatPolicy,
    CounterHoaxPolicy,
    KadesPolicy,
    NeutralityPolicy,
    PolicePolicy,
    PolicySpec,
)
from scenarios.schema_region import (
    CalendarSpec,
    IdentityGroup,
    KecamatanSpec,
    NetworkSpec,
    PopulationSpec,
    RegionSpec,
    StageSpec,
    SyntheticRegion,
    VillageSpec,
)

__all__ = [
    "ALERT_LEVELS", "POLICY_PRESETS", "AlertName", "AlertParams", "ArrestParams", "CalendarSpec", "CamatPolicy",
    "CampaignCosts", "CandidateSpec", "ClashParams", "CounterHoaxPolicy", "DynamicsSpec", "ElectionParams",
    "GrievanceParams", "HoaxParams", "IdentityGroup", "KadesPolicy", "KecamatanSpec", "MechanismSwitches",
    "MediationParams", "MobilisationParams", "NetworkSpec", "NeutralityPolicy", "OfficialsSpec", "PolicePolicy",
    "PolicySpec", "PollingParams", "PopulationSpec", "RegionSpec", "Scenario", "SeverityParams", "StageSpec", "Strict",
    "SyntheticRegion", "TensionParams", "VillageSpec", "param",
]


# --------------------------------------------------------------------------- scenario


class Scenario(Strict):
    name: str = param(doc="Name of the scenario.", unit="—", source="input", min_length=1, max_length=200)
    description: str = param("", doc="What the scenario is about (shown in the app and reports).", unit="—",
                             source="input")
    seed: int = param(
        20241127, doc="Seed of every random stream (§4.9).", unit="—", source="convention (the voting date)",
        shown_range="[0, 2⁶³−1]", ge=0, le=2**63 - 1,
    )
    days: int | None = param(
        None, doc="Days to simulate, if fewer than the calendar's.", unit="days", source="input",
        shown_default="the whole calendar", ge=1, le=3650,
    )
    region: RegionSpec
    population: PopulationSpec = Field(default_factory=PopulationSpec)
    network: NetworkSpec = Field(default_factory=NetworkSpec)
    calendar: CalendarSpec
    candidates: list[CandidateSpec] = param(
        doc="The candidate pairs.", unit="—", source="input; Kepahiang: two anonymous pairs [D21]",
        shown_range="1–12 pairs, expected shares sum to 1", min_length=1, max_length=12,
    )
    officials: OfficialsSpec = Field(default_factory=OfficialsSpec)
    dynamics: DynamicsSpec = Field(default_factory=DynamicsSpec)
    alerts: AlertParams = Field(default_factory=AlertParams)
    mechanisms: MechanismSwitches = Field(default_factory=MechanismSwitches)
    policy: PolicySpec = Field(default_factory=PolicySpec)
    villager_agents: Literal["auto", "all", "none"] = param(
        "auto", doc="Which villagers get a Mesa agent up front: all, none, or all when at most 10,000 (§2.1); the others are made on request (model.villagers, model.villager(i)).",
        unit="—", source="implementation (results do not depend on it)",
    )

    @model_validator(mode="after")
    def _splits_match_candidates(self) -> Scenario:
        if self.policy.tim_terpadu.enabled and self.officials.backup_mode != "pooled":
            raise ValueError(
                "policy.tim_terpadu.enabled needs officials.backup_mode = \"pooled\": the Tim Terpadu sends its "
                "kabupaten's own Polres teams, which exist only in that mode"
            )
        if self.policy.province.enabled and not self.policy.tim_terpadu.enabled:
            raise ValueError(
                "policy.province.enabled needs policy.tim_terpadu.enabled: the province hears the kabupaten's Tim Terpadu"
            )
        k = len(self.candidates)
        if abs(sum(c.expected_share for c in self.candidates) - 1.0) > 1e-6:
            raise ValueError("candidates' expected_share values must sum to 1")
        n_id = len(self.population.identity_groups)
        groups = [g.name for g in self.population.identity_groups]
        idp = self.dynamics.identity
        for field in ("moderate_groups", "extreme_groups"):
            unknown = [g for g in getattr(idp, field) if g not in groups]
            if unknown:
                raise ValueError(f"dynamics.identity.{field}: unknown identity group(s) {unknown}; the scenario's groups: {', '.join(groups)}")
        both = set(idp.moderate_groups) & set(idp.extreme_groups)
        if both:
            raise ValueError(f"dynamics.identity: {sorted(both)} cannot be both moderate_groups and extreme_groups")
        for kec in self.region.kecamatan:
            for v in kec.villages:
                if v.partisan_split is not None and len(v.partisan_split) != k:
                    raise ValueError(
                        f"village {v.name!r}: partisan_split has {len(v.partisan_split)} shares "
                        f"but the scenario has {k} candidates"
                    )
                if v.identity_split is not None and len(v.identity_split) != n_id:
                    raise ValueError(
                        f"village {v.name!r}: identity_split has {len(v.identity_split)} shares "
                        f"but the scenario has {n_id} identity groups"
                    )
        return self

    @property
    def total_days(self) -> int:
        span = (self.calendar.end - self.calendar.start).days + 1
        return min(span, self.days) if self.days else span
