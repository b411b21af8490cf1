"""The validated shape of a scenario: every parameter, its default, its allowed range.

Validation happens here and only here (see STYLE: validate at the boundary). Kernels trust what
they receive. Defaults cite docs/ODD.md, which gives the source of each number; values marked
"assumed" there have no published source and are documented assumptions.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

AlertName = Literal["AMAN", "WASPADA", "SIAGA", "AWAS"]
ALERT_LEVELS: tuple[str, ...] = ("AMAN", "WASPADA", "SIAGA", "AWAS")
POLICY_PRESETS: tuple[str, ...] = (
    "none",
    "kades_early",
    "kades_late",
    "police_early",
    "police_late",
    "camat_coordination",
    "counter_hoax",
    "neutrality",
    "joint",
    "late",
)


class Strict(BaseModel):
    """Base for every scenario table: unknown keys are errors, not silently ignored; so are the
    non-finite numbers TOML can write (`nan`, `inf`): no parameter has a use for them."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- region


class VillageSpec(Strict):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=120)
    kind: Literal["desa", "kelurahan"] = "desa"
    population: int = Field(ge=1, le=2_000_000)
    x_km: float | None = Field(default=None, ge=-1000, le=1000)
    y_km: float | None = Field(default=None, ge=-1000, le=1000)
    hotspot: bool = False
    partisan_split: list[float] | None = None
    identity_split: list[float] | None = None

    @field_validator("partisan_split", "identity_split")
    @classmethod
    def _is_distribution(cls, v: list[float] | None) -> list[float] | None:
        if v is None:
            return v
        if not v or any(x < 0 or x != x for x in v) or abs(sum(v) - 1.0) > 1e-6:
            raise ValueError("must be non-negative shares that sum to 1")
        return v


class KecamatanSpec(Strict):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=120)
    villages: list[VillageSpec] = Field(min_length=1)


class SyntheticRegion(Strict):
    """A generated region for scale tests: n kecamatan x m villages of a given size."""

    kecamatan: int = Field(ge=1, le=1000)
    villages_per_kecamatan: int = Field(ge=1, le=200)
    people_per_village: int = Field(ge=10, le=100_000)
    hotspot_share: float = Field(default=0.1, ge=0, le=1)


class RegionSpec(Strict):
    name: str = Field(min_length=1)
    province: str = ""
    kabupaten: str = ""
    kabupaten_code: str = ""
    area_km2: float = Field(default=92.0, gt=0, le=1_000_000)
    kecamatan: list[KecamatanSpec] = Field(default_factory=list)
    synthetic: SyntheticRegion | None = None
    village_neighbours: int = Field(default=4, ge=1, le=12)

    @model_validator(mode="after")
    def _has_villages(self) -> RegionSpec:
        if not self.kecamatan and self.synthetic is None:
            raise ValueError("give either [[region.kecamatan]] with villages or [region.synthetic]")
        if self.kecamatan and self.synthetic is not None:
            raise ValueError("give [[region.kecamatan]] or [region.synthetic], not both")
        return self


# --------------------------------------------------------------------------- population


class IdentityGroup(Strict):
    name: str = Field(min_length=1)
    share: float = Field(ge=0, le=1)


class PopulationSpec(Strict):
    voter_share: float = Field(default=0.73, ge=0.1, le=1.0)
    household_size: float = Field(default=3.14, ge=1.0, le=20.0)
    active_supporter_share: float = Field(default=0.15, ge=0.0, le=1.0)
    identity_groups: list[IdentityGroup] = Field(
        default_factory=lambda: [IdentityGroup(name="mayoritas", share=1.0)], min_length=1
    )
    partisan_concentration: float = Field(default=20.0, gt=0.0, le=1e6)
    hardship_mean: float = Field(default=0.5, ge=0.0, le=1.0)
    threshold_mean: float = Field(default=0.25, ge=0.0, le=1.0)
    threshold_sd: float = Field(default=0.12, ge=0.0, le=1.0)
    initial_tension_mean: float = Field(default=0.1, ge=0.0, le=1.0)
    hotspot_tension_bonus: float = Field(default=0.1, ge=0.0, le=1.0)

    @field_validator("identity_groups")
    @classmethod
    def _shares_sum_to_one(cls, v: list[IdentityGroup]) -> list[IdentityGroup]:
        if abs(sum(g.share for g in v) - 1.0) > 1e-6:
            raise ValueError("identity group shares must sum to 1")
        return v


class NetworkSpec(Strict):
    kin_degree: int = Field(default=6, ge=0, le=100)
    kin_rewire: float = Field(default=0.1, ge=0.0, le=1.0)
    inter_village_ties: float = Field(default=0.3, ge=0.0, le=10.0)
    online_share: float = Field(default=0.6, ge=0.0, le=1.0)
    online_group_size: int = Field(default=40, ge=2, le=1024)
    online_same_camp: float = Field(default=0.8, ge=0.0, le=1.0)
    tokoh_followers_share: float = Field(default=0.1, ge=0.0, le=1.0)
    team_ties: int = Field(default=3, ge=0, le=100)


# --------------------------------------------------------------------------- calendar


class StageSpec(Strict):
    name: str = Field(min_length=1)
    label: str = ""
    start: dt.date
    end: dt.date
    contact: float = Field(default=0.2, ge=0.0, le=10.0)
    trigger_rate: float = Field(default=0.005, ge=0.0, le=1.0)
    stakes: float = Field(default=0.5, ge=0.0, le=5.0)
    hoax: float = Field(default=0.0, ge=0.0, le=10.0)
    rallies: bool = False
    money_politics: float = Field(default=0.0, ge=0.0, le=1.0)
    organisers_contact: float = Field(default=0.0, ge=0.0, le=10.0)
    requires_dispute: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> StageSpec:
        if self.end < self.start:
            raise ValueError(f"stage {self.name!r} ends ({self.end}) before it starts ({self.start})")
        return self


class CalendarSpec(Strict):
    election: str = "Pilkada"
    start: dt.date
    end: dt.date
    voting_day: dt.date
    result_day: dt.date
    stages: list[StageSpec] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> CalendarSpec:
        if self.end < self.start:
            raise ValueError("calendar end is before its start")
        if not (self.start <= self.voting_day <= self.end):
            raise ValueError("voting_day must fall between start and end")
        if not (self.voting_day <= self.result_day <= self.end):
            raise ValueError("result_day must fall between voting_day and end")
        for a, b in zip(self.stages, self.stages[1:]):
            if b.start <= a.end:
                raise ValueError(f"stages {a.name!r} and {b.name!r} overlap")
        return self


# --------------------------------------------------------------------------- actors


class CandidateSpec(Strict):
    name: str = Field(min_length=1, max_length=80)
    incumbent: bool = False
    expected_share: float = Field(default=0.5, ge=0.0, le=1.0)
    resources: float = Field(default=100.0, ge=0.0, le=1e6)
    rallies_per_week: float = Field(default=1.0, ge=0.0, le=50.0)
    rally_attendance: float = Field(default=0.5, ge=0.0, le=1.0)
    hoaxes_per_week: float = Field(default=1.0, ge=0.0, le=100.0)
    hoax_seeds: int = Field(default=5, ge=1, le=10_000)
    money_politics: float = Field(default=0.3, ge=0.0, le=1.0)
    mobilise_after_loss: float = Field(default=0.5, ge=0.0, le=1.0)


class OfficialsSpec(Strict):
    bhabinkamtibmas_per_village: float = Field(default=0.48, ge=0.0, le=5.0)
    babinsa_per_village: float = Field(default=0.85, ge=0.0, le=5.0)
    people_per_police: float = Field(default=606.0, ge=50.0, le=100_000.0)
    polsek_share: float = Field(default=0.4, ge=0.0, le=1.0)
    duty_share: float = Field(default=0.5, ge=0.0, le=1.0)
    team_size: int = Field(default=5, ge=1, le=200)
    polres_backup_units: int = Field(default=4, ge=0, le=10_000)
    backup_availability: float = Field(default=0.3, ge=0.0, le=1.0)
    backup_delay_days: int = Field(default=1, ge=0, le=30)
    travel_kmh: float = Field(default=30.0, gt=0.0, le=200.0)
    unit_stay_days: int = Field(default=2, ge=1, le=60)
    kades_partisan_share: float = Field(default=0.05, ge=0.0, le=1.0)
    asn_nonneutral: float = Field(default=0.05, ge=0.0, le=1.0)
    kades_noise: float = Field(default=0.15, ge=0.0, le=5.0)
    bhabin_noise: float = Field(default=0.08, ge=0.0, le=5.0)
    camat_noise: float = Field(default=0.1, ge=0.0, le=5.0)
    report_delay_days: int = Field(default=2, ge=0, le=60)
    tokoh_per_village: int = Field(default=3, ge=0, le=50)
    tokoh_inflaming_share: float = Field(default=0.1, ge=0.0, le=1.0)


# --------------------------------------------------------------------------- dynamics


class HoaxParams(Strict):
    contacts_per_day: float = Field(default=1.0, ge=0.0, le=100.0)
    substeps: int = Field(default=4, ge=1, le=100)
    online_weight: float = Field(default=0.5, ge=0.0, le=1.0)
    forget_rate: float = Field(default=0.05, ge=0.0, le=1.0)
    tension_gain: float = Field(default=0.04, ge=0.0, le=1.0)


class TensionParams(Strict):
    decay: float = Field(default=0.08, ge=0.0, le=1.0)
    stake_level: float = Field(default=0.65, ge=0.0, le=1.0)
    influence: float = Field(default=0.15, ge=0.0, le=1.0)
    tense_threshold: float = Field(default=0.35, ge=0.0, le=1.0)
    provocation_gain: float = Field(default=0.25, ge=0.0, le=1.0)
    provocation_reach: float = Field(default=0.1, ge=0.0, le=1.0)
    rally_rival_gain: float = Field(default=0.08, ge=0.0, le=1.0)
    money_gain: float = Field(default=0.05, ge=0.0, le=1.0)
    violence_gain: float = Field(default=0.1, ge=0.0, le=1.0)
    violence_spillover: float = Field(default=0.3, ge=0.0, le=1.0)
    mobilised_arousal: float = Field(default=0.0, ge=0.0, le=1.0)
    mediation_relief: float = Field(default=0.25, ge=0.0, le=1.0)


class GrievanceParams(Strict):
    legitimacy: float = Field(default=0.8, ge=0.0, le=1.0)
    partisan_kades_penalty: float = Field(default=0.2, ge=0.0, le=1.0)
    asn_penalty: float = Field(default=0.2, ge=0.0, le=1.0)
    money_politics_penalty: float = Field(default=0.15, ge=0.0, le=1.0)
    dispute_penalty: float = Field(default=0.1, ge=0.0, le=1.0)
    violence_penalty: float = Field(default=0.05, ge=0.0, le=1.0)


class MobilisationParams(Strict):
    arrest_k: float = Field(default=2.3, ge=0.0, le=100.0)
    activation_threshold: float = Field(default=0.3, ge=-1.0, le=5.0)
    grievance_weight: float = Field(default=1.0, ge=0.0, le=10.0)
    tension_weight: float = Field(default=1.0, ge=0.0, le=10.0)
    crowd_per_officer: float = Field(default=1.0, ge=0.0, le=10_000.0)
    ratio_rounding: Literal["none", "floor", "round"] = "none"
    rally_support: float = Field(default=1.0, ge=0.0, le=1.0)
    cascade_rounds: int = Field(default=1, ge=1, le=1000)
    dispersal: float = Field(default=0.3, ge=0.0, le=1.0)


class ClashParams(Strict):
    base_hazard: float = Field(default=0.004, ge=0.0, le=10.0)
    neighbour_contact: float = Field(default=0.25, ge=0.0, le=1.0)
    police_damping: float = Field(default=0.15, ge=0.0, le=10.0)
    participation: float = Field(default=0.35, ge=0.0, le=1.0)
    organisers_hazard: float = Field(default=0.002, ge=0.0, le=10.0)


class ArrestParams(Strict):
    arrests_per_officer: float = Field(default=0.5, ge=0.0, le=100.0)
    max_jail_days: int = Field(default=20, ge=1, le=10_000)
    target: Literal["violent", "mobilised"] = "violent"


class ElectionParams(Strict):
    turnout: float = Field(default=0.71, ge=0.0, le=1.0)
    money_sway: float = Field(default=0.10, ge=0.0, le=1.0)
    dispute_probability: float = Field(default=0.57, ge=0.0, le=1.0)
    dispute_margin_max: float = Field(default=1.0, ge=0.0, le=1.0)


class PollingParams(Strict):
    """Voting day at the TPS (simulation/dynamics/polling.py, docs/ODD.md §7.20)."""

    tps_support: float = Field(default=0.3, ge=0.0, le=1.0)  # hand-tuned (ODD §8.4)
    voters_per_tps: float = Field(default=406.0, ge=1.0, le=10_000.0)  # derived: Kec. Kepahiang 37,370 / 92 TPS
    police_per_tps: float = Field(default=0.66, ge=0.0, le=100.0)  # derived: ~0.66 Polri per TPS (DOMAIN §4)


class DynamicsSpec(Strict):
    hoax: HoaxParams = Field(default_factory=HoaxParams)
    tension: TensionParams = Field(default_factory=TensionParams)
    grievance: GrievanceParams = Field(default_factory=GrievanceParams)
    mobilisation: MobilisationParams = Field(default_factory=MobilisationParams)
    clashes: ClashParams = Field(default_factory=ClashParams)
    arrests: ArrestParams = Field(default_factory=ArrestParams)
    election: ElectionParams = Field(default_factory=ElectionParams)
    polling: PollingParams = Field(default_factory=PollingParams)


class MechanismSwitches(Strict):
    """Each mechanism can be switched off; a switched-off mechanism leaves the others' streams intact."""

    hoax: bool = True
    tension: bool = True
    grievance: bool = True
    mobilisation: bool = True
    clashes: bool = True
    arrests: bool = True
    officials: bool = True
    supporters: bool = True
    election: bool = True
    polling: bool = True  # voting day at the TPS (needs `election` for turnout)


# --------------------------------------------------------------------------- interventions


class KadesPolicy(Strict):
    mediation: bool = False
    act_level: AlertName = "AWAS"
    delay_days: int = Field(default=3, ge=0, le=365)
    mediation_strength: float = Field(default=0.5, ge=0.0, le=1.0)
    report_level: AlertName = "AWAS"


class PolicePolicy(Strict):
    early_patrol: bool = False
    patrol_level: AlertName = "AWAS"
    response_delay_days: int = Field(default=1, ge=0, le=60)


class CamatPolicy(Strict):
    coordination: bool = False
    convene_level: AlertName = "AWAS"
    convene_villages: int = Field(default=2, ge=1, le=10_000)
    cooldown_days: int = Field(default=7, ge=1, le=365)
    request_backup: bool = True


class CounterHoaxPolicy(Strict):
    enabled: bool = False
    level: AlertName = "WASPADA"
    effect: float = Field(default=0.3, ge=0.0, le=1.0)


class NeutralityPolicy(Strict):
    enforcement: float = Field(default=0.0, ge=0.0, le=1.0)


class PolicySpec(Strict):
    """Named presets plus explicit overrides; see simulation/interventions.py for the presets."""

    presets: list[str] = Field(default_factory=lambda: ["none"])

    @field_validator("presets")
    @classmethod
    def _known_presets(cls, v: list[str]) -> list[str]:
        unknown = [p for p in v if p not in POLICY_PRESETS]
        if unknown:
            raise ValueError(f"unknown preset(s) {unknown}; allowed: {', '.join(POLICY_PRESETS)}")
        return v
    kades: KadesPolicy = Field(default_factory=KadesPolicy)
    police: PolicePolicy = Field(default_factory=PolicePolicy)
    camat: CamatPolicy = Field(default_factory=CamatPolicy)
    counter_hoax: CounterHoaxPolicy = Field(default_factory=CounterHoaxPolicy)
    neutrality: NeutralityPolicy = Field(default_factory=NeutralityPolicy)


# --------------------------------------------------------------------------- scenario


class Scenario(Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    seed: int = Field(default=20241127, ge=0, le=2**63 - 1)
    days: int | None = Field(default=None, ge=1, le=3650)
    region: RegionSpec
    population: PopulationSpec = Field(default_factory=PopulationSpec)
    network: NetworkSpec = Field(default_factory=NetworkSpec)
    calendar: CalendarSpec
    candidates: list[CandidateSpec] = Field(min_length=1, max_length=12)
    officials: OfficialsSpec = Field(default_factory=OfficialsSpec)
    dynamics: DynamicsSpec = Field(default_factory=DynamicsSpec)
    mechanisms: MechanismSwitches = Field(default_factory=MechanismSwitches)
    policy: PolicySpec = Field(default_factory=PolicySpec)
    villager_agents: Literal["auto", "all", "none"] = "auto"

    @model_validator(mode="after")
    def _splits_match_candidates(self) -> Scenario:
        k = len(self.candidates)
        if abs(sum(c.expected_share for c in self.candidates) - 1.0) > 1e-6:
            raise ValueError("candidates' expected_share values must sum to 1")
        n_id = len(self.population.identity_groups)
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
