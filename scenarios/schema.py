"""The validated shape of a scenario: every parameter, its default, its allowed range, its unit and
its source. This file is the one source: the parameter tables of docs/ODD.md are generated from it
(`python -m scenarios.parameters --write docs/ODD.md`) and a test fails when they disagree.

Validation happens here and only here, at the boundary where data enter. Kernels trust what
they receive. Every parameter is declared with `param`, which records its meaning (`doc`), its
`unit` ("1" for a dimensionless number, "—" for a switch, a name or a level) and its `source`: a
tag of docs/ODD.md §10 ([D6], [S1]), "derived: ..." for arithmetic on cited figures, "assumed" for
a documented modelling assumption with no published source, or "hand-tuned" (docs/ODD.md §8).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from common.levels import ALERT_LEVELS, AlertName  # noqa: F401  (ALERT_LEVELS is re-exported)
from scenarios.policies import PRESETS

POLICY_PRESETS: tuple[str, ...] = tuple(PRESETS)  # the names `policy.presets` accepts


def param(
    default: Any = ...,
    *,
    doc: str,
    unit: str = "1",
    source: str = "assumed",
    symbol: str | None = None,
    shown_default: str | None = None,
    shown_range: str | None = None,
    **constraints: Any,
) -> Any:
    """A scenario parameter: a pydantic `Field` (same default and constraints) that also carries
    its meaning, unit, source and ODD symbol. `shown_default` and `shown_range` are how the docs
    show a default or an allowed range that the field's constraints cannot say themselves (a
    generated value, a check done by a validator). `default=...` (the default) means required."""
    extra: dict[str, str] = {"unit": unit, "source": source}
    if symbol is not None:
        extra["symbol"] = symbol
    if shown_default is not None:
        extra["shown_default"] = shown_default
    if shown_range is not None:
        extra["shown_range"] = shown_range
    if "default_factory" in constraints:
        return Field(description=doc, json_schema_extra=extra, **constraints)
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


class Strict(BaseModel):
    """Base for every scenario table: unknown keys are errors, not silently ignored; so are the
    non-finite numbers TOML can write (`nan`, `inf`): no parameter has a use for them."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- region


class VillageSpec(Strict):
    """One desa or kelurahan (`[[region.kecamatan.villages]]`)."""

    code: str = param(
        doc="Kepmendagri village code (kode wilayah).", unit="—", source="input; Kepahiang: [D7]",
        min_length=1, max_length=32,
    )
    name: str = param(
        doc="Village name.", unit="—", source="input; Kepahiang: [D7]", min_length=1, max_length=120
    )
    kind: Literal["desa", "kelurahan"] = param(
        "desa", doc="Desa or kelurahan; kelurahan sit in the inner rings and one is the kecamatan seat.",
        unit="—", source="input; Kepahiang: [D7]",
    )
    population: int = param(
        doc="Residents, every one an agent.", unit="persons",
        source="input; Kepahiang: assumed split of a total derived from [D6]", ge=1, le=2_000_000,
    )
    x_km: float | None = param(
        None, doc="East position of the village; generated when left out (§7.17).", unit="km",
        source="input, else generated (assumed layout)", shown_default="generated", ge=-1000, le=1000,
    )
    y_km: float | None = param(
        None, doc="North position of the village; generated when left out (§7.17).", unit="km",
        source="input, else generated (assumed layout)", shown_default="generated", ge=-1000, le=1000,
    )
    hotspot: bool = param(
        False, doc="A known hotspot: doubled provocation rate (§7.3) and extra initial tension.", unit="—",
        source="input (the default scenario has none)",
    )
    partisan_split: list[float] | None = param(
        None, doc="Share of residents leaning to each candidate, in candidate order.",
        source="input, else generated (assumed)",
        shown_default="Dirichlet(partisan_concentration · expected_share)",
        shown_range="one share per candidate, summing to 1",
    )
    identity_split: list[float] | None = param(
        None, doc="Share of households in each identity group, in group order.",
        source="input, else generated (assumed)",
        shown_default="Dirichlet(20 · group shares)", shown_range="one share per group, summing to 1",
    )

    @field_validator("partisan_split", "identity_split")
    @classmethod
    def _is_distribution(cls, v: list[float] | None) -> list[float] | None:
        if v is None:
            return v
        if not v or any(x < 0 or x != x for x in v) or abs(sum(v) - 1.0) > 1e-6:
            raise ValueError("must be non-negative shares that sum to 1")
        return v


class KecamatanSpec(Strict):
    """One kecamatan and its villages (`[[region.kecamatan]]`)."""

    code: str = param(
        doc="Kepmendagri kecamatan code.", unit="—", source="input; Kepahiang: [D7]", min_length=1, max_length=32
    )
    name: str = param(
        doc="Kecamatan name.", unit="—", source="input; Kepahiang: [D7]", min_length=1, max_length=120
    )
    villages: list[VillageSpec] = param(
        doc="The kecamatan's desa and kelurahan.", unit="—", source="input; Kepahiang: [D7]", min_length=1
    )


class SyntheticRegion(Strict):
    """A generated region for scale tests: n kecamatan x m villages of a given size."""

    kecamatan: int = param(doc="Number of kecamatan.", unit="kecamatan", source="input", ge=1, le=1000)
    villages_per_kecamatan: int = param(
        doc="Villages in each kecamatan.", unit="villages", source="input (national mean 12 [D27])", ge=1, le=200
    )
    people_per_village: int = param(
        doc="Residents of each village.", unit="persons", source="input (national mean 3,400 [D27])",
        ge=10, le=100_000,
    )
    hotspot_share: float = param(
        0.1, doc="Share of villages drawn as hotspots.", source="assumed (synthetic regions only)", ge=0, le=1
    )


class RegionSpec(Strict):
    """The area simulated: named kecamatan with their villages, or a synthetic region."""

    name: str = param(doc="Name of the region.", unit="—", source="input", min_length=1)
    province: str = param("", doc="Province (label only).", unit="—", source="input")
    kabupaten: str = param("", doc="Kabupaten or kota (label only).", unit="—", source="input")
    kabupaten_code: str = param("", doc="Kepmendagri kabupaten code (label only).", unit="—", source="input")
    area_km2: float = param(
        92.0, doc="Area of the region; sets the spacing of generated village positions.", unit="km²",
        source="derived: 738.965 km² / 8 kecamatan [D8]", gt=0, le=1_000_000,
    )
    kecamatan: list[KecamatanSpec] = param(
        doc="The kecamatan and their villages.", unit="—", source="input; Kepahiang: [D7]",
        shown_range="give these or `region.synthetic`, not both", default_factory=list,
    )
    synthetic: SyntheticRegion | None = None
    village_neighbours: int = param(
        4, doc="Each village borders its k nearest villages (symmetrised).", unit="villages", ge=1, le=12
    )

    @model_validator(mode="after")
    def _has_villages(self) -> RegionSpec:
        if not self.kecamatan and self.synthetic is None:
            raise ValueError("give either [[region.kecamatan]] with villages or [region.synthetic]")
        if self.kecamatan and self.synthetic is not None:
            raise ValueError("give [[region.kecamatan]] or [region.synthetic], not both")
        return self


# --------------------------------------------------------------------------- population


class IdentityGroup(Strict):
    """One ethnic group (suku) and its share of households."""

    name: str = param(doc="Name of the group.", unit="—", source="input; Kepahiang: [D9]", min_length=1)
    share: float = param(
        doc="Share of households in the group.", source="input; Kepahiang: assumed", ge=0, le=1,
        shown_range="[0, 1], shares sum to 1",
    )


class PopulationSpec(Strict):
    """How villagers are generated (§5, §7.17)."""

    voter_share: float = param(
        0.73, doc="Share of residents who are eligible voters.",
        source="derived: 111,615 voters / 151,910 people, Kab. Kepahiang [D6]", ge=0.1, le=1.0,
    )
    household_size: float = param(
        3.14, doc="Mean household size; households are 1 + Poisson(size − 1).", unit="persons",
        source="Dukcapil: 3.14 persons per family card (KK), reported by Tempo (Dukcapil 2020) [D5]",
        ge=1.0, le=20.0,
    )
    active_supporter_share: float = param(
        0.15, doc="Share of voters who actively support their candidate (the only ones who can mobilise).",
        source="Muhtadi: partisans are about 15% of voters [D4]", ge=0.0, le=1.0,
    )
    identity_groups: list[IdentityGroup] = param(
        doc="Ethnic groups (suku) and their shares; assigned but not yet used by any mechanism.",
        unit="—", source="groups [D9]; shares assumed", shown_default="mayoritas 1.0",
        shown_range="≥ 1 groups, shares sum to 1",
        default_factory=lambda: [IdentityGroup(name="mayoritas", share=1.0)], min_length=1,
    )
    partisan_concentration: float = param(
        20.0, doc="Dirichlet concentration of generated partisan splits: higher, villages more alike.",
        gt=0.0, le=1e6,
    )
    hardship_mean: float = param(
        0.5, doc="Mean of hardship H ~ Beta(2m, 2(1 − m)).", symbol="m",
        source="Epstein 2002: H ~ U(0,1) [S1]", ge=0.0, le=1.0,
    )
    threshold_mean: float = param(
        0.25, doc="Mean of the cascade threshold θ: share of same-camp contacts out before one joins.",
        ge=0.0, le=1.0,
    )
    threshold_sd: float = param(0.12, doc="Standard deviation of θ (clipped to [0, 1]).", ge=0.0, le=1.0)
    initial_tension_mean: float = param(
        0.1, doc="Mean of the exponential initial tension.", ge=0.0, le=1.0
    )
    hotspot_tension_bonus: float = param(
        0.1, doc="Initial tension added in hotspot villages.",
        source="assumed (the default scenario has no hotspots)", ge=0.0, le=1.0,
    )

    @field_validator("identity_groups")
    @classmethod
    def _shares_sum_to_one(cls, v: list[IdentityGroup]) -> list[IdentityGroup]:
        if abs(sum(g.share for g in v) - 1.0) > 1e-6:
            raise ValueError("identity group shares must sum to 1")
        return v


class NetworkSpec(Strict):
    """The social network's layers (§2.4, §7.17)."""

    kin_degree: int = param(
        6, doc="Kin and neighbour ties per person inside the village (Watts–Strogatz ring degree).",
        unit="ties/person", ge=0, le=100,
    )
    kin_rewire: float = param(0.1, doc="Probability that a kin tie is rewired within the village.", ge=0.0, le=1.0)
    inter_village_ties: float = param(
        0.3, doc="Ties per person to people in adjacent villages.", unit="ties/person", ge=0.0, le=10.0
    )
    online_share: float = param(0.6, doc="Share of people in a WhatsApp group.", ge=0.0, le=1.0)
    online_group_size: int = param(40, doc="Members per WhatsApp group.", unit="persons", ge=2, le=1024)
    online_same_camp: float = param(
        0.8, doc="Probability that a member is grouped by their own lean rather than a random camp.",
        source="assumed. The KPU journal describes split online communities leading to polarisation [D26].",
        ge=0.0, le=1.0,
    )
    tokoh_followers_share: float = param(
        0.1, doc="Each tokoh's followers, as a share of the village population.", ge=0.0, le=1.0
    )
    team_ties: int = param(
        3, doc="Ties from each active supporter to same-camp supporters in the village (campaign team).",
        unit="ties/person", ge=0, le=100,
    )


# --------------------------------------------------------------------------- calendar


class StageSpec(Strict):
    """One stage of the tahapan (`[[calendar.stages]]`) and its multipliers (§7.1)."""

    name: str = param(
        doc="Stage name; `voting` and `counting` mark voting disruption.", unit="—",
        source="input; Kepahiang: [D10]", min_length=1,
    )
    label: str = param("", doc="Indonesian label shown in the app.", unit="—", source="input")
    start: dt.date = param(doc="First day of the stage.", unit="date", source="input; Kepahiang: [D10]")
    end: dt.date = param(
        doc="Last day of the stage.", unit="date", source="input; Kepahiang: [D10]", shown_range="date ≥ start"
    )
    contact: float = param(
        0.2, doc="How often rival crowds meet (clash hazard, §7.6).", symbol="κ", ge=0.0, le=10.0
    )
    trigger_rate: float = param(
        0.005, doc="Provocations per village per day (§7.3).", symbol="r", unit="1/day", ge=0.0, le=1.0
    )
    stakes: float = param(
        0.5, doc="What is at stake: scales the tension baseline and inputs (§7.3).", symbol="s",
        source="assumed; hand-tuned for the disputes stage", ge=0.0, le=5.0,
    )
    hoax: float = param(0.0, doc="Multiplier on the candidates' hoax seeding (§7.9).", ge=0.0, le=10.0)
    rallies: bool = param(
        False, doc="Whether rallies are held (§7.9).", unit="—", source="campaign stage per PKPU 2/2024 [D10]"
    )
    money_politics: float = param(
        0.0, doc="Multiplier on the candidates' money politics (§7.9).",
        source="assumed (motivated by [D14])", ge=0.0, le=1.0,
    )
    organisers_contact: float = param(
        0.0, doc="How often losing crowds meet the election organisers (protest hazard, §7.6).", symbol="κ′",
        source="assumed (counting-stage risk [D16, D17])", ge=0.0, le=10.0,
    )
    requires_dispute: bool = param(
        False, doc="The MK stage: runs at `calendar.undisputed_factor` unless the result is disputed.",
        unit="—", source="modelling choice",
    )

    @model_validator(mode="after")
    def _ordered(self) -> StageSpec:
        if self.end < self.start:
            raise ValueError(f"stage {self.name!r} ends ({self.end}) before it starts ({self.start})")
        return self


class CalendarSpec(Strict):
    """The election calendar (tahapan), §7.1."""

    election: str = param("Pilkada", doc="Name of the election (label only).", unit="—", source="input")
    start: dt.date = param(doc="First simulated day.", unit="date", source="input")
    end: dt.date = param(doc="Last simulated day.", unit="date", source="input", shown_range="date ≥ start")
    voting_day: dt.date = param(
        doc="Voting day: votes are counted and the TPS mechanism acts (§7.10, §7.20).", unit="date",
        source="input; Kepahiang: [D10]", shown_range="start … end",
    )
    result_day: dt.date = param(
        doc="The result is announced and becomes visible (§7.10).", unit="date", source="assumed [D11]",
        shown_range="voting day … end",
    )
    stages: list[StageSpec] = param(
        doc="The stages, in order.", unit="—", source="input; Kepahiang: [D10]",
        shown_range="≥ 1, not overlapping", min_length=1,
    )
    undisputed_factor: float = param(
        0.25, doc="Intensity of a `requires_dispute` stage when the result is undisputed or not yet known.",
        ge=0.0, le=1.0,
    )

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
    """One candidate pair and its tim sukses (`[[candidates]]`, §7.9)."""

    name: str = param(doc="Name of the pair.", unit="—", source="input", min_length=1, max_length=80)
    incumbent: bool = param(
        False, doc="Incumbent pair: visible non-neutral ASN offend only the other pairs' leaners (§7.4).",
        unit="—", source="assumed; incumbents' abuse of office is a top Bawaslu risk [D16]",
    )
    expected_share: float = param(
        0.5, doc="Expected vote share; sets generated partisan splits.", source="assumed (anonymous pairs)",
        shown_range="[0, 1], sum = 1", ge=0.0, le=1.0,
    )
    resources: float = param(
        100.0, doc="Campaign budget, never replenished (costs: `dynamics.campaign_costs`).",
        unit="resource units", ge=0.0, le=1e6,
    )
    rallies_per_week: float = param(
        1.0, doc="Mean rallies a week in stages with rallies.", unit="1/week",
        source="assumed. In Kepahiang each pair had one open-air rally (*rapat umum*) [D20], plus meetings.",
        ge=0.0, le=50.0,
    )
    rally_attendance: float = param(
        0.5, doc="Probability that a supporter in the rally village attends.", ge=0.0, le=1.0
    )
    hoaxes_per_week: float = param(
        1.0, doc="Mean hoaxes seeded a week, times the stage's `hoax`.", unit="1/week", ge=0.0, le=100.0
    )
    hoax_seeds: int = param(5, doc="Residents who start each hoax as spreaders.", unit="persons", ge=1, le=10_000)
    money_politics: float = param(
        0.3, doc="Money-politics intensity; times the stage's `money_politics`, the chance a village is targeted.",
        source="assumed. About 33% of voters were offered money in 2014 and 2019 (Muhtadi [D4]).",
        ge=0.0, le=1.0,
    )
    mobilise_after_loss: float = param(
        0.5, doc="Daily chance (times the stage's contact) of a mass action after a lost, disputed result.",
        ge=0.0, le=1.0,
    )


class OfficialsSpec(Strict):
    """Officials: village officers, police, Kades, Camat and tokoh (§7.11–§7.15)."""

    bhabinkamtibmas_per_village: float = param(
        0.48, doc="Bhabinkamtibmas (Polri village officers) per village.", unit="officers/village",
        source="39,192 Bhabinkamtibmas covered 46.8% of about 83,589 villages (Jun 2023); target one per village [D2]",
        ge=0.0, le=5.0,
    )
    babinsa_per_village: float = param(
        0.85, doc="Babinsa (TNI AD village officers) per village.", unit="officers/village",
        source="Kodam VI, Mar 2023: 78–91% coverage (Kaltim 933 for 1,038 villages; Kalsel 1,561 for 2,008; "
        "Kaltara 438 for 482) [D3]",
        ge=0.0, le=5.0,
    )
    people_per_police: float = param(
        606.0, doc="Residents per police officer in the area.", unit="persons/officer",
        source="Polri 1:606, end of 2025 (ideal 1:300–1:400) [D1]", ge=50.0, le=100_000.0,
    )
    polsek_share: float = param(0.4, doc="Share of the area's police stationed at the Polsek.", ge=0.0, le=1.0)
    duty_share: float = param(0.5, doc="Share of the Polsek's police on duty on a given day.", ge=0.0, le=1.0)
    team_size: int = param(5, doc="Officers in a police team.", unit="officers", ge=1, le=200)
    polres_backup_units: int = param(4, doc="Polres backup teams for the region.", unit="teams", ge=0, le=10_000)
    backup_availability: float = param(
        0.3, doc="Probability that a backup request is granted (if a Polres team is free).",
        source="assumed (low, [D25])", ge=0.0, le=1.0,
    )
    backup_delay_days: int = param(
        1, doc="Delay of granted backup, counted from the next morning.", unit="days",
        source="assumed; days after the next morning (0 = the next morning)", ge=0, le=30,
    )
    travel_kmh: float = param(
        30.0, doc="Police travel speed.", unit="km/h", source="assumed rural road speed", gt=0.0, le=200.0
    )
    unit_stay_days: int = param(2, doc="Days a police team stays on site.", unit="days", ge=1, le=60)
    kades_partisan_share: float = param(
        0.05, doc="Probability that a Kades is partisan (times 1 − neutrality enforcement).",
        source="assumed. Registered Kades neutrality cases in Pilkada 2024 were about 150–200 nationally "
        "(≈ 0.2% of villages), probably underreported, and Kades were the most frequent proven neutrality "
        "violators [D15].",
        ge=0.0, le=1.0,
    )
    asn_nonneutral: float = param(
        0.05, doc="Probability that non-neutral ASN are visible in a village (times 1 − neutrality enforcement).",
        source="assumed. ASN neutrality was the largest violation class in 2019 (1,475 cases) [D15].",
        ge=0.0, le=1.0,
    )
    kades_noise: float = param(
        0.15, doc="Standard deviation of the Kades' error reading the alert index.", unit="index", ge=0.0, le=5.0
    )
    bhabin_noise: float = param(
        0.08, doc="Standard deviation of the village officers' reading error (Bhabinkamtibmas and Babinsa).",
        unit="index", source="assumed (a sharper eye than the Kades); used by Bhabinkamtibmas and Babinsa",
        ge=0.0, le=5.0,
    )
    camat_noise: float = param(
        0.1, doc="Probability that a report relayed to the Camat is misread (values above 1 act as 1).",
        source="assumed; the probability that a relayed report is misread by one level", ge=0.0, le=5.0,
    )
    report_delay_days: int = param(
        2, doc="Days before a report reaches the Camat.", unit="days", ge=0, le=60
    )
    tokoh_per_village: int = param(
        3, doc="Tokoh per village; kinds cycle through agama, adat and pemuda.", unit="tokoh/village",
        source="one each of religious, adat and youth leaders [D23, D24]", ge=0, le=50,
    )
    tokoh_inflaming_share: float = param(0.1, doc="Probability that a tokoh inflames.", ge=0.0, le=1.0)
    # formerly constants in code (docs/ODD.md §7.18)
    babinsa_presence_weight: float = param(
        0.5, doc="A Babinsa's weight in deterrent presence (he makes no arrests).", unit="officers",
        ge=0.0, le=10.0,
    )
    babinsa_report_level: AlertName = param(
        "SIAGA", doc="A Babinsa reports to the Camat every evening his reading is at or above this level.",
        unit="—", source="assumed; the duty to report is sourced [D28]",
    )
    report_repeat_days: int = param(
        7, doc="A Kades repeats an unchanged report after this many days.", unit="days", ge=1, le=365
    )
    report_memory_days: int = param(
        7, doc="The Camat weighs villages heard from within this many days.", unit="days", ge=0, le=365
    )
    camat_misread_levels: int = param(
        1, doc="A misread report is heard this many levels up or down (equal chance, within AMAN…AWAS).",
        unit="levels", ge=0, le=3,
    )
    rakor_person_days: float = param(
        8.0, doc="Cost of one rakor (Forkopimcam / Tim Terpadu).", unit="person-days", ge=0.0, le=1000.0
    )
    mediation_team_person_days: float = param(
        2.0, doc="Cost of a Tim Terpadu mediation in one village.", unit="person-days", ge=0.0, le=1000.0
    )
    counter_hoax_days: int = param(
        7, doc="Days of counter-hoax messaging a rakor orders.", unit="days", ge=1, le=365
    )
    incident_priority: int = param(
        4, doc="Priority of an incident's request in the Polsek queue (alert levels are 0–3).",
        unit="priority", ge=0, le=10,
    )
    request_expiry_days: int = param(
        7, doc="A patrol request still waiting after this many days is dropped (incident requests never are).",
        unit="days", ge=0, le=365,
    )
    road_hours_per_day: float = param(
        8.0, doc="Hours a police team travels in a day.", unit="h/day", gt=0.0, le=24.0
    )


# --------------------------------------------------------------------------- dynamics


class HoaxParams(Strict):
    """Maki–Thompson hoax spreading (§7.2)."""

    contacts_per_day: float = param(
        1.0, doc="Contacts a spreader makes a day.", unit="1/day", ge=0.0, le=100.0
    )
    substeps: int = param(
        4, doc="Substeps a day.", unit="—", source="assumed (numerical; approximates continuous time)", ge=1, le=100
    )
    online_weight: float = param(
        0.5, doc="Probability that a contact is in the WhatsApp group; weight of the group in tension influence.",
        symbol="ω", source="assumed; also weights the online group in tension influence (§7.3)", ge=0.0, le=1.0,
    )
    forget_rate: float = param(
        0.05, doc="Daily probability that a stifler forgets the rumour.", unit="1/day", ge=0.0, le=1.0
    )
    tension_gain: float = param(
        0.04, doc="Daily tension a spreader gains (times stakes and 0.5 + partisanship).", symbol="g_h",
        ge=0.0, le=1.0,
    )


class TensionParams(Strict):
    """Tension: DeGroot influence with relaxation toward the stakes (§7.3)."""

    decay: float = param(0.08, doc="Daily relaxation toward the baseline.", symbol="δ", unit="1/day", ge=0.0, le=1.0)
    stake_level: float = param(
        0.65, doc="Baseline tension at full stakes and partisanship.", symbol="λ", source="hand-tuned",
        ge=0.0, le=1.0,
    )
    influence: float = param(0.15, doc="Daily pull toward the contacts' mean tension.", symbol="a", ge=0.0, le=1.0)
    tense_threshold: float = param(0.35, doc="Tension at which a person counts as TENSE.", ge=0.0, le=1.0)
    provocation_gain: float = param(
        0.25, doc="Tension from being reached by a provocation.", symbol="g_p", ge=0.0, le=1.0
    )
    provocation_reach: float = param(
        0.1, doc="Probability that a provocation reaches a resident.", symbol="ρ", ge=0.0, le=1.0
    )
    rally_rival_gain: float = param(
        0.08, doc="Tension from each rival camp's rally in one's village.", symbol="g_r", ge=0.0, le=1.0
    )
    money_gain: float = param(0.05, doc="Tension from money politics in one's village.", symbol="g_m", ge=0.0, le=1.0)
    violence_gain: float = param(
        0.1, doc="Tension from yesterday's violence here and next door.", symbol="g_v", ge=0.0, le=1.0
    )
    violence_spillover: float = param(
        0.3, doc="Weight of violence in adjacent villages.", symbol="σ", ge=0.0, le=1.0
    )
    mobilised_arousal: float = param(
        0.0, doc="Tension from having been mobilised yesterday.", symbol="α", source="assumed (off)",
        ge=0.0, le=1.0,
    )
    mediation_relief: float = param(
        0.25, doc="Tension removed per unit of mediation strength.", symbol="μ", ge=0.0, le=1.0
    )
    violence_exposure_size: float = param(
        20.0, doc="Incident size at which violence exposure is full: exposure = min(1, size / this).",
        unit="persons", gt=0.0, le=100_000.0,
    )
    tokoh_inflame_gain: float = param(
        0.03, doc="Daily tension an inflaming tokoh adds to each follower (times stakes).", ge=0.0, le=1.0
    )


class GrievanceParams(Strict):
    """Grievance G = H(1 − L) and perceived legitimacy L (§7.4)."""

    legitimacy: float = param(
        0.8, doc="Base perceived legitimacy of the election.", symbol="L0",
        source="Mesa's Epstein example default 0.8 [S3] (NetLogo uses 0.82 [S2]). Not a measured Indonesian value.",
        ge=0.0, le=1.0,
    )
    partisan_kades_penalty: float = param(
        0.2, doc="Legitimacy lost where the Kades is partisan for another camp.", symbol="p_K", ge=0.0, le=1.0
    )
    asn_penalty: float = param(
        0.2, doc="Legitimacy lost where visible non-neutral ASN offend one.", symbol="p_A", ge=0.0, le=1.0
    )
    money_politics_penalty: float = param(
        0.15, doc="Legitimacy lost at full money-politics memory.", symbol="p_M", ge=0.0, le=1.0
    )
    dispute_penalty: float = param(
        0.1, doc="Legitimacy lost by the losers' leaners once a disputed result is announced.", symbol="p_D",
        source="hand-tuned", ge=0.0, le=1.0,
    )
    violence_penalty: float = param(
        0.05, doc="Legitimacy lost at the capped count of the village's incidents.", symbol="p_V", ge=0.0, le=1.0
    )
    violence_penalty_cap: int = param(
        3, doc="Incidents at which the violence penalty is full.", symbol="V", unit="incidents", ge=1, le=1000
    )
    money_memory: float = param(
        0.98, doc="Daily retention of the money politics seen (memory fades by 1 − this a day).", symbol="ψ", unit="1/day",
        ge=0.0, le=1.0,
    )


class MobilisationParams(Strict):
    """Epstein's rule A and the Granovetter/Watts cascade (§7.5)."""

    arrest_k: float = param(
        2.3, doc="Constant of the perceived arrest probability P = 1 − exp(−k·C/A).", symbol="k",
        source="Epstein 2002 [S1], NetLogo and Mesa (gives P = 0.9 at C = A)", ge=0.0, le=100.0,
    )
    activation_threshold: float = param(
        0.3, doc="Net drive above which a supporter is willing (Epstein uses 0.1).", symbol="T",
        source="hand-tuned", ge=-1.0, le=5.0,
    )
    grievance_weight: float = param(1.0, doc="Weight of grievance in drive.", symbol="w_g", ge=0.0, le=10.0)
    tension_weight: float = param(1.0, doc="Weight of tension in drive.", symbol="w_t", ge=0.0, le=10.0)
    crowd_per_officer: float = param(
        1.0, doc="Cops C counted per unit of presence.", unit="1",
        source='assumed (one officer counts as one "cop" in C)', ge=0.0, le=10_000.0,
    )
    ratio_rounding: Literal["none", "floor", "round"] = param(
        "none", doc="Rounding of C/A.", symbol="rnd", unit="—",
        source="Epstein's continuous C/A; floor in NetLogo, round in Mesa [S2, S3]",
    )
    rally_support: float = param(
        1.0, doc="Cascade support of a rally attendee.", ge=0.0, le=1.0
    )
    cascade_rounds: int = param(1, doc="Cascade rounds a day.", unit="—", ge=1, le=1000)
    dispersal: float = param(
        0.3, doc="Daily probability that a mobilised person goes home.", symbol="φ", source="hand-tuned",
        ge=0.0, le=1.0,
    )


class ClashParams(Strict):
    """Clash and protest hazards (§7.6)."""

    base_hazard: float = param(
        0.004, doc="Clash hazard per unit of rival encounter.", symbol="β", unit="1/day", ge=0.0, le=10.0
    )
    neighbour_contact: float = param(
        0.25, doc="Share of an adjacent village's crowd that counts as present.", symbol="ν", ge=0.0, le=1.0
    )
    police_damping: float = param(
        0.15, doc="Exponential damping of the hazards per unit of presence.", symbol="η", unit="1/officer",
        ge=0.0, le=10.0,
    )
    participation: float = param(
        0.35, doc="Probability, times own tension, that a crowd member joins the violence.", ge=0.0, le=1.0
    )
    organisers_hazard: float = param(
        0.002, doc="Protest hazard per losing-camp supporter out.", symbol="β_o", unit="1/day", ge=0.0, le=10.0
    )
    min_participants: int = param(
        2, doc="Fewest participants in an incident (fewer only if fewer are present).", unit="persons",
        ge=1, le=1000,
    )


class ArrestParams(Strict):
    """Arrests and detention (§7.7)."""

    arrests_per_officer: float = param(
        0.5, doc="Mean arrests a day per officer who can arrest.", unit="arrests/officer/day", ge=0.0, le=100.0
    )
    max_jail_days: int = param(
        20, doc="Longest detention; terms are uniform on 1 … this.", unit="days",
        source="assumed (NetLogo uses 30 [S2]; Mesa 1000 [S3])", ge=1, le=10_000,
    )
    target: Literal["violent", "mobilised"] = param(
        "violent", doc="Who can be arrested: today's violent, or (Epstein) everyone out.", unit="—",
        source="modelling choice",
    )


class ElectionParams(Strict):
    """The vote, the result and the dispute (§7.10)."""

    turnout: float = param(
        0.71, doc="Probability that a voter votes.", source="Pilkada 2024 national turnout ≈ 71% [D13]",
        ge=0.0, le=1.0,
    )
    money_sway: float = param(
        0.10, doc="Probability that a swing voter switches at full money pressure.",
        source="Muhtadi: vote buying sways about 10% of voters [D4]. In the model it is the switching "
        "probability at full money pressure; the effective share is smaller.",
        ge=0.0, le=1.0,
    )
    dispute_probability: float = param(
        0.57, doc="Probability that the result is taken to the MK.",
        source="About 57% of Pilkada 2024 contests were taken to the MK (310 registered cases) [D12]",
        ge=0.0, le=1.0,
    )
    dispute_margin_max: float = param(
        1.0, doc="Largest margin that can be disputed.",
        source="assumed (1.0 means any margin can be disputed)", ge=0.0, le=1.0,
    )


class PollingParams(Strict):
    """Voting day at the TPS (simulation/dynamics/polling.py, docs/ODD.md §7.20)."""

    tps_support: float = param(
        0.3, doc="Cascade support of a supporter who voted, among their camp at the TPS (tuned in §8.4).",
        symbol="σ_tps", source="hand-tuned", ge=0.0, le=1.0,
    )
    voters_per_tps: float = param(
        406.0, doc="Voters per polling station.", unit="voters/TPS",
        source="derived: Kecamatan Kepahiang 37,370 voters in 92 TPS [D6]", ge=1.0, le=10_000.0,
    )
    police_per_tps: float = param(
        0.66, doc="Polri officers guarding each TPS.", unit="officers/TPS",
        source="derived: about 3.3 security personnel per TPS, of whom about 0.66 Polri [D29]",
        ge=0.0, le=100.0,
    )


class MediationParams(Strict):
    """How one mediation (Kades + tokoh, or a Tim Terpadu team) of strength M_v acts
    (simulation/dynamics/mediation.py, docs/ODD.md §7.11); the relief on tension is
    `tension.mediation_relief`. All assumed."""

    counter_message: float = param(
        0.5, doc="Share of mediation strength acting as counter-messaging (§7.2).", symbol="c_M", ge=0.0, le=1.0
    )
    dispersal: float = param(
        0.5, doc="Share of mediation strength added to crowd dispersal (§7.5).", symbol="d_M", ge=0.0, le=1.0
    )
    tokoh_relay: float = param(
        0.5, doc="A calming tokoh's followers get this share of the mediation relief again (§7.15).", symbol="r_T",
        ge=0.0, le=1.0,
    )
    partisan_kades_factor: float = param(
        0.5, doc="A partisan Kades mediates at this share of the strength (§7.11).", ge=0.0, le=1.0
    )


class CampaignCosts(Strict):
    """What each tim sukses action costs from a candidate's `resources` (assumed units)."""

    rally: float = param(5.0, doc="Cost of a rally.", unit="resource units", ge=0.0, le=1e6)
    hoax: float = param(0.5, doc="Cost of seeding a hoax.", unit="resource units", ge=0.0, le=1e6)
    money_per_village: float = param(
        2.0, doc="Cost of money politics in one village for a day.", unit="resource units", ge=0.0, le=1e6
    )
    mass_action: float = param(5.0, doc="Cost of a mass action.", unit="resource units", ge=0.0, le=1e6)


class DynamicsSpec(Strict):
    hoax: HoaxParams = Field(default_factory=HoaxParams)
    tension: TensionParams = Field(default_factory=TensionParams)
    grievance: GrievanceParams = Field(default_factory=GrievanceParams)
    mobilisation: MobilisationParams = Field(default_factory=MobilisationParams)
    clashes: ClashParams = Field(default_factory=ClashParams)
    arrests: ArrestParams = Field(default_factory=ArrestParams)
    election: ElectionParams = Field(default_factory=ElectionParams)
    polling: PollingParams = Field(default_factory=PollingParams)
    mediation: MediationParams = Field(default_factory=MediationParams)
    campaign_costs: CampaignCosts = Field(default_factory=CampaignCosts)


def _switch(doc: str) -> Any:
    return param(True, doc=doc, unit="—", source="switch")


class MechanismSwitches(Strict):
    """Each mechanism can be switched off; a switched-off mechanism leaves the others' streams intact."""

    hoax: bool = _switch("Hoax spreading and its tension (§7.2).")
    tension: bool = _switch("The daily tension update (§7.3).")
    grievance: bool = _switch("Perceived legitimacy penalties; off keeps L at its base (§7.4).")
    mobilisation: bool = _switch("Willingness and the cascade (§7.5).")
    clashes: bool = _switch("Clash and protest hazards (§7.6).")
    arrests: bool = _switch("Arrests and detention (§7.7).")
    officials: bool = _switch("Kades, village officers, Camat and police (§7.11–§7.14).")
    supporters: bool = _switch("The tim sukses' rallies, hoaxes, money and mass actions (§7.9).")
    election: bool = _switch("The vote and the result (§7.10).")
    polling: bool = _switch("Voting day at the TPS; needs `election` for turnout (§7.20).")


class AlertParams(Strict):
    """The village alert index and its levels (simulation/alerts.py, docs/ODD.md §7.8):
    x = tension_weight * mean tension + mobilised_weight * mobilised share
        + spreader_weight * spreader share; AWAS for `recent_incident_days` after an incident."""

    tension_weight: float = param(1.0, doc="Weight of mean tension in the alert index.", symbol="w_τ", ge=0.0, le=100.0)
    mobilised_weight: float = param(
        2.0, doc="Weight of the share MOBILISED or VIOLENT in the alert index.", symbol="w_M", ge=0.0, le=100.0
    )
    spreader_weight: float = param(
        0.5, doc="Weight of the share of hoax spreaders in the alert index.", symbol="w_S", ge=0.0, le=100.0
    )
    cutoffs: list[float] = param(
        doc="Index at which WASPADA, SIAGA and AWAS begin.", unit="index", symbol="c1, c2, c3",
        shown_range="3 increasing numbers in [0, 100]",
        default_factory=lambda: [0.2, 0.3, 0.45], min_length=3, max_length=3,
    )
    recent_incident_days: int = param(
        3, doc="A village is AWAS for this many days from an incident (that day included).", unit="days",
        ge=0, le=365,
    )

    @field_validator("cutoffs")
    @classmethod
    def _ascending(cls, v: list[float]) -> list[float]:
        if any(not 0.0 <= x <= 100.0 for x in v) or any(b <= a for a, b in zip(v, v[1:])):
            raise ValueError("must be three increasing numbers between 0 and 100 (WASPADA, SIAGA, AWAS)")
        return v


# --------------------------------------------------------------------------- interventions


class KadesPolicy(Strict):
    """Kades mediation and reporting (§7.11)."""

    mediation: bool = param(False, doc="Kades mediate (with the tokoh).", unit="—", source="policy (§7.16)")
    act_level: AlertName = param("AWAS", doc="Reading at which a Kades counts days toward mediating.", unit="—",
                                 source="policy")
    delay_days: int = param(
        3, doc="Days the reading must stay at the act level before he mediates.", unit="days", source="policy",
        ge=0, le=365,
    )
    mediation_strength: float = param(0.5, doc="Strength M_v of a mediation.", ge=0.0, le=1.0)
    report_level: AlertName = param(
        "AWAS", doc="Reading at which a Kades reports to the Camat.", unit="—",
        source="policy (Kades only; Babinsa report at `officials.babinsa_report_level`, §7.12)",
    )


class PolicePolicy(Strict):
    """Bhabinkamtibmas-triggered patrols and police response (§7.12, §7.13)."""

    early_patrol: bool = param(
        False, doc="Village officers return to hot villages and Bhabinkamtibmas ask for patrols.", unit="—",
        source="policy",
    )
    patrol_level: AlertName = param("AWAS", doc="Reading at which patrols are asked for.", unit="—", source="policy")
    response_delay_days: int = param(
        1, doc="Delay of a dispatched team, counted from the next morning.", unit="days",
        source="policy; days after the next morning (0 = the next morning)", ge=0, le=60,
    )


class CamatPolicy(Strict):
    """Camat coordination: the rakor (§7.14)."""

    coordination: bool = param(False, doc="The Camat convenes rakor.", unit="—", source="policy")
    convene_level: AlertName = param("AWAS", doc="Reported level that counts toward a rakor.", unit="—",
                                     source="policy")
    convene_villages: int = param(
        2, doc="Villages at the convene level needed for a rakor.", unit="villages", source="policy",
        ge=1, le=10_000,
    )
    cooldown_days: int = param(7, doc="Fewest days between two rakor.", unit="days", ge=1, le=365)
    request_backup: bool = param(
        True, doc="After a rakor, ask the Polres for backup when villages outnumber free teams.", unit="—",
        source="policy",
    )


class CounterHoaxPolicy(Strict):
    """Counter-hoax messaging by tokoh and Kades (§7.2)."""

    enabled: bool = param(False, doc="Counter-messaging where the Kades' reading is high.", unit="—",
                          source="policy (§7.16)")
    level: AlertName = param("WASPADA", doc="Kades' reading that starts counter-messaging.", unit="—",
                             source="policy")
    effect: float = param(
        0.3, doc="Daily probability that a spreader reached is stifled (half that for the ignorant).",
        ge=0.0, le=1.0,
    )


class NeutralityPolicy(Strict):
    """Neutrality enforcement for Kades and ASN (§7.4, §7.16)."""

    enforcement: float = param(
        0.0, doc="Cuts the chances of a partisan Kades and of visible ASN by this share.", source="policy",
        ge=0.0, le=1.0,
    )


class PolicySpec(Strict):
    """Named presets plus explicit overrides; see simulation/interventions.py for the presets."""

    presets: list[str] = param(
        doc="Named policy presets, merged in order (§7.16).", unit="—", source="policy",
        shown_range=", ".join(POLICY_PRESETS), default_factory=lambda: ["none"],
    )

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
        "auto", doc="Which villagers get a Mesa agent up front: all, none, or all when at most 100,000 (§2.1).",
        unit="—", source="implementation (results do not depend on it)",
    )

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
