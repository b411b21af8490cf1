"""The place and its election calendar: region (kecamatan, villages), population, social network,
stages (docs/ODD.md §2, §7.1)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal

from pydantic import field_validator, model_validator

from scenarios.fields import Strict, param


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
    lat: float | None = param(
        None, doc="Latitude of the village's centroid; with `lng`, places the village on the real map (§7.17).",
        unit="degrees (WGS 84)", source="input; `siaga scenarios new`: polygon centroid [D37]",
        shown_default="none: x_km/y_km or the generated layout", ge=-15, le=10,
    )
    lng: float | None = param(
        None, doc="Longitude of the village's centroid.", unit="degrees (WGS 84)",
        source="input; `siaga scenarios new`: polygon centroid [D37]", shown_default="none", ge=90, le=145,
    )
    area_km2: float | None = param(
        None, doc="Area of the village (a label: written by `scenarios new` from the polygon; not used by the model).", unit="km²",
        source="input; `siaga scenarios new`: polygon area [D37]", shown_default="none", gt=0, le=100_000,
    )
    neighbours: list[str] | None = param(
        None, doc="Codes of the villages sharing a border with this one (§7.17); codes outside the scenario "
        "are ignored, an empty list is a village with no land neighbour (an island).", unit="—",
        source="input; `siaga scenarios new`: shared border within 30 m [D37]",
        shown_default="none: the k nearest villages (`region.village_neighbours`)",
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

    @model_validator(mode="after")
    def _map_fields_consistent(self) -> VillageSpec:
        if (self.lat is None) != (self.lng is None):
            raise ValueError(f"village {self.code!r}: give both lat and lng, or neither")
        if self.neighbours is not None and self.code in self.neighbours:
            raise ValueError(f"village {self.code!r} lists itself among its neighbours")
        return self


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
    seat: str | None = param(
        None, doc="Code of the village that hosts the Camat's office and the Polsek.", unit="—", source="input",
        shown_default="the most central kelurahan (or village)",
    )

    @model_validator(mode="after")
    def _seat_is_a_village(self) -> KecamatanSpec:
        if self.seat is not None and self.seat not in {v.code for v in self.villages}:
            raise ValueError(f"seat {self.seat!r} is not the code of one of the kecamatan's villages")
        return self


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
    kabupaten: int = param(
        1, doc="Kabupaten the kecamatan are grouped into (in order, as evenly as possible): each has its own "
        "Polres under `officials.backup_mode = \"pooled\"`.", unit="kabupaten", source="input", ge=1, le=1000,
    )

    @model_validator(mode="after")
    def _kabupaten_fit(self) -> SyntheticRegion:
        if self.kabupaten > self.kecamatan:
            raise ValueError(f"kabupaten ({self.kabupaten}) cannot exceed kecamatan ({self.kecamatan})")
        return self


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
        4, doc="Each village without a `neighbours` list borders its k nearest villages (symmetrised).",
        unit="villages", ge=1, le=12,
    )
    polres_seat: str | None = param(
        None, doc="Code of the village that hosts the Polres (its backup teams travel from there).", unit="—",
        source="input; `siaga scenarios new`: the kab/kota capital's kecamatan seat (assumed)",
        shown_default="the kecamatan seat nearest the centre of the region",
    )
    place: list[str] = param(
        doc="Kepmendagri codes of provinces, kab/kota or kecamatan (\"ID\": all of Indonesia) whose villages the loader "
        "puts in `kecamatan`, with the rules of `siaga scenarios new` (docs/REGIONS.md): for regions too large for a "
        "scenario file.", unit="—", source="input; the national geography [D37]", shown_default="none",
        default_factory=list, max_length=600,
    )
    sampling: int = param(
        1, doc="People per villager agent: each village has max(1, round(population / sampling)) agents, and everything "
        "sized from people (police, crowds, incident sizes) counts agents (§2.7, docs/REGIONS.md).", unit="people per agent",
        source="input (1: one agent per person)", ge=1, le=100_000,
    )

    @model_validator(mode="after")
    def _has_villages(self) -> RegionSpec:
        if self.place and not self.kecamatan:
            raise ValueError("region.place is filled in by the scenario loader (scenarios.loader.load_scenario); "
                             "load the scenario with it, or list [[region.kecamatan]] yourself")
        if not self.kecamatan and self.synthetic is None:
            raise ValueError("give either [[region.kecamatan]] with villages or [region.synthetic]")
        if self.kecamatan and self.synthetic is not None:
            raise ValueError("give [[region.kecamatan]] or [region.synthetic], not both")
        codes = [v.code for k in self.kecamatan for v in k.villages]
        if len(set(codes)) < len(codes):
            twice = sorted(c for c, n in Counter(codes).items() if n > 1)
            raise ValueError(f"village codes must be unique; given more than once: {', '.join(twice[:5])}")
        if self.polres_seat is not None:
            if self.synthetic is not None:
                raise ValueError("polres_seat names a village: it cannot be used with [region.synthetic]")
            if self.polres_seat not in set(codes):
                raise ValueError(f"polres_seat {self.polres_seat!r} is not the code of one of the region's villages")
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
        doc="Ethnic groups (suku) and their shares; used by the identity mechanism (docs/ODD.md §7.25, off by default).",
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
        0.27, doc="Mean of the cascade threshold θ: share of same-camp contacts out before one joins.",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.22, 0.31]; assumed 0.25 before)", ge=0.0, le=1.0,
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
        0.26, doc="Intensity of a `requires_dispute` stage when the result is undisputed or not yet known.",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.063, 0.55]; assumed 0.25 before)", ge=0.0, le=1.0,
    )
    races: Literal["region", "kabupaten"] = param(
        "region", doc="Who elects: one race over the whole region (a Pilgub, or one kabupaten's Pilkada), or each "
        "kabupaten/kota its own head (Pilkada bupati/wali kota: votes, result and dispute per kabupaten, each camp's "
        "tim sukses per kabupaten), §7.1a.", unit="—", source="input",
    )
    stagger_days: int = param(
        0, doc="Days between the voting days of successive waves of kabupaten (`races = \"kabupaten\"`): 0 = serentak, "
        "all on one day; otherwise wave w holds the whole calendar w x stagger_days later (§7.1a).", unit="days",
        source="input (Pilkada before 2015 were staggered; serentak since UU 8/2015)", ge=0, le=365,
    )
    stagger_waves: int | None = param(
        None, doc="Number of voting days the kabupaten are spread over when staggered (kabupaten k, in code order, in "
        "wave k mod waves); unset: each kabupaten its own day.", unit="waves", source="input",
        shown_default="one per kabupaten", ge=1, le=1000,
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
        if self.stagger_days and self.races != "kabupaten":
            raise ValueError("calendar.stagger_days needs calendar.races = \"kabupaten\": only separate races can vote on separate days")
        return self
