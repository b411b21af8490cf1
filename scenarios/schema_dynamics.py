"""How the mechanisms behave: the dynamics tables, the switches that turn mechanisms off, and the
alert index (docs/ODD.md §7.2-§7.8, §7.20)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from scenarios.fields import Strict, param


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
        0.11, doc="Legitimacy lost by the losers' leaners once a disputed result is announced.", symbol="p_D",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.012, 0.28]; hand-tuned 0.1 before)", ge=0.0, le=1.0,
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
        0.27, doc="Net drive above which a supporter is willing (Epstein uses 0.1).", symbol="T",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.21, 0.37]; hand-tuned 0.3 before)", ge=-1.0, le=5.0,
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
        0.0093, doc="Clash hazard per unit of rival encounter.", symbol="β", unit="1/day",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.0036, 0.018]; hand-tuned 0.004 before)", ge=0.0, le=10.0,
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
        0.0019, doc="Protest hazard per losing-camp supporter out.", symbol="β_o", unit="1/day",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.0006, 0.0060]; hand-tuned 0.002 before)", ge=0.0, le=10.0,
    )
    min_participants: int = param(
        2, doc="Fewest participants in an incident (fewer only if fewer are present).", unit="persons",
        ge=1, le=1000,
    )


class SeverityParams(Strict):
    """Deaths, injuries and buildings damaged per incident: negative binomial counts whose mean grows
    with the incident's size (simulation/dynamics/severity.py, docs/ODD.md §7.21)."""

    deaths_mean: float = param(
        0.080, doc="Mean deaths per incident of the reference size.", symbol="m_d", unit="deaths/incident",
        source="47 deaths in 585 Pilkada incidents, nine areas 2005–2013 (Habibie Center) [D18]", ge=0.0, le=100.0,
    )
    injured_mean: float = param(
        0.872, doc="Mean injured per incident of the reference size.", symbol="m_i", unit="people/incident",
        source="510 injured in 585 incidents [D18]", ge=0.0, le=1000.0,
    )
    damaged_mean: float = param(
        0.711, doc="Mean buildings damaged per incident of the reference size.", symbol="m_b", unit="buildings/incident",
        source="416 buildings in 585 incidents [D18]", ge=0.0, le=1000.0,
    )
    deaths_dispersion: float = param(
        0.0034, doc="Negative binomial dispersion k of deaths (smaller: rarer but deadlier incidents).", symbol="k_d",
        source="derived: deaths in 6% of 104 locations with 585 incidents, as 1.1% of incidents if spread evenly [D18]",
        gt=0.0, le=1000.0,
    )
    injured_dispersion: float = param(
        0.054, doc="Negative binomial dispersion k of the injured.", symbol="k_i",
        source="derived: injuries in 58% of locations, as 14% of incidents if spread evenly [D18]", gt=0.0, le=1000.0,
    )
    damaged_dispersion: float = param(
        0.082, doc="Negative binomial dispersion k of buildings damaged.", symbol="k_b",
        source="derived: damage in 65% of locations, as 17% of incidents if spread evenly [D18]", gt=0.0, le=1000.0,
    )
    reference_size: float = param(
        3.6, doc="Participants of an incident that carries the means above.", symbol="s_ref", unit="persons",
        source="the hand-tuned default scenario's mean incident size (30 seeds, 197 incidents: 3.57), so that its "
        "incidents carry the study's means; 2.93 on the calibrated defaults, left as it was (docs/CALIBRATION.md §12)",
        gt=0.0, le=100_000.0,
    )
    size_elasticity: float = param(
        1.0, doc="How the means grow with the incident's size: (size / s_ref)^e.", symbol="e",
        source="assumed (in proportion to the crowd)", ge=0.0, le=3.0,
    )
    lethality: float = param(
        1.0, doc="The setting's lethality: deaths and injuries times this.", symbol="f",
        source="assumed 1; the study found deadly incidents concentrated in Papua and Aceh [D18]", ge=0.0, le=100.0,
    )


class CampaignViolenceParams(Strict):
    """The campaign's own occasions for supporter-versus-supporter violence: convoys through rival
    villages and acts against a rival's campaign material or tim sukses (simulation/dynamics/
    campaign.py, docs/ODD.md §7.22). Used only with `mechanisms.campaign_violence`."""

    convoy_share: float = param(
        0.5, doc="Probability that a rally travels as a convoy (konvoi) through neighbouring villages.", symbol="p_k",
        source="assumed (convoys are a usual part of a rally day)", ge=0.0, le=1.0,
    )
    convoy_villages: int = param(
        2, doc="Most neighbouring villages a convoy passes through.", unit="villages", symbol="n_k",
        source="assumed", ge=0, le=50,
    )
    convoy_hazard: float = param(
        0.0057, doc="Clash hazard per unit of convoy-meets-rivals encounter sqrt(S H).", symbol="b_k", unit="1/day",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.0012, 0.094]; assumed 0.01 before)", ge=0.0, le=10.0,
    )
    act_rate: float = param(
        0.0026, doc="Hazard of an act against a rival's campaign, per wound-up supporter, at an all-rival village.",
        symbol="a", unit="1/person/day", source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.0004, 0.013]; assumed 0.002 before)", ge=0.0, le=10.0,
    )
    apk_share: float = param(
        0.6, doc="Share of those acts that destroy campaign material (APK); the rest persecute a rival supporter.",
        symbol="p_apk", source="assumed; SNPK ranks APK destruction the most common low-scale act, before "
        "persecution/assault [D18]", ge=0.0, le=1.0,
    )
    act_max_participants: int = param(
        5, doc="Most participants in one act.", unit="persons", source="assumed (SNPK: mostly low-scale [D18])",
        ge=1, le=1000,
    )
    outrage_gain: float = param(
        0.05, doc="Next-day tension input, times stakes, to the attacked camp's supporters in the village.",
        symbol="g_o", source="assumed", ge=0.0, le=1.0,
    )


class ReportingParams(Strict):
    """What a newspaper-coded data set (ACLED, SNPK) would record of the model's incidents
    (simulation/dynamics/reporting.py, docs/ODD.md §7.23). Nothing in the model reads it."""

    base: float = param(
        0.3, doc="Probability that the smallest harmless incident (two participants) is reported.", symbol="p_0",
        source="assumed; to be fitted (docs/CALIBRATION.md)", ge=0.0, le=1.0,
    )
    size_gain: float = param(
        0.091, doc="What each participant beyond two adds to the reporting exponent.", symbol="k_s", unit="1/person",
        source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.014, 0.68]; assumed 0.1 before)", ge=0.0, le=10.0,
    )
    harm_gain: float = param(
        0.5, doc="What each injured person or damaged building adds to the reporting exponent.", symbol="k_h",
        unit="1/person", source="assumed; to be fitted", ge=0.0, le=10.0,
    )
    death_weight: float = param(
        10.0, doc="A death counts this many times an injury in the reporting exponent.", symbol="w_d",
        source="assumed (a death all but always makes the news)", ge=0.0, le=1000.0,
    )


class IdentityParams(Strict):
    """Identity (SARA) in hoaxes and whose leaders speak (simulation/dynamics/identity.py,
    docs/ODD.md §7.25). Used only with `mechanisms.identity`."""

    own_group_belief: float = param(
        0.1, doc="Probability that a person believes a story against their own identity group.", symbol="b_own",
        source="assumed", ge=0.0, le=1.0,
    )
    tokoh_talk_rate: float = param(
        0.3, doc="Daily probability that a tokoh talks with their followers.", symbol="r_T", unit="1/day",
        source="assumed; Bhavnani et al. 2009: how often leaders talk with followers matters [D39]", ge=0.0, le=1.0,
    )
    moderation_effect: float = param(
        0.3, doc="A moderate tokoh's talk: probability that a follower spreading a story against another group stops.",
        symbol="m_T", source="assumed", ge=0.0, le=1.0,
    )
    extremism_effect: float = param(
        0.3, doc="An extreme tokoh's talk: probability that a follower who dropped a story against another group "
        "takes it up again.", symbol="x_T", source="assumed", ge=0.0, le=1.0,
    )
    moderate_groups: list[str] = param(
        doc="Identity groups whose tokoh all persist in moderation (whatever `officials.tokoh_inflaming_share`).",
        unit="—", source="experiment dial (Bhavnani et al. 2009 [D39])", default_factory=list,
    )
    extreme_groups: list[str] = param(
        doc="Identity groups whose tokoh all hold extreme views (inflame).", unit="—",
        source="experiment dial (Bhavnani et al. 2009 [D39])", default_factory=list,
    )


class LogisticsParams(Strict):
    """Election logistics and partisan organisers (simulation/dynamics/logistics.py, docs/ODD.md
    §7.26). Used only with `mechanisms.logistics`."""

    distribution_days: int = param(
        2, doc="Days before voting day on which ballots and boxes travel to the villages.", unit="days",
        source="assumed (logistics reach the TPS on the last days before voting)", ge=0, le=60,
    )
    return_days: int = param(
        2, doc="Days after voting day on which the boxes travel to the PPK for recapitulation.", unit="days",
        source="assumed", ge=0, le=60,
    )
    seizure_hazard: float = param(
        0.002, doc="Seizure hazard per wound-up supporter in the village on a logistics day.", symbol="b_l",
        unit="1/person/day", source="assumed; to be fitted", ge=0.0, le=10.0,
    )
    escort_officers: float = param(
        1.0, doc="Polri officers escorting a village's consignment (deterrence against seizure only).",
        symbol="e", unit="officers", source="assumed", ge=0.0, le=1000.0,
    )
    partisan_organiser_share: float = param(
        0.0, doc="Probability that a village's PPS/KPPS favour a camp.", source="dial; 0 = neutral organisers "
        "as the seeds ask [D30]", ge=0.0, le=1.0,
    )
    organiser_penalty: float = param(
        0.1, doc="Legitimacy penalty seen by the other camps' people where the organisers are partisan.",
        source="assumed (as a partisan Kades, §7.4)", ge=0.0, le=1.0,
    )


class GovernmentProtestParams(Strict):
    """Demonstrations at the KPU, Bawaslu or the Bupati's office after voting
    (simulation/dynamics/government.py, docs/ODD.md §7.27). Used only with
    `mechanisms.government_protests`."""

    march_share: float = param(
        0.3, doc="Share of the trailing camps' mobilised supporters who march to the offices on a day.", symbol="q_m",
        source="assumed", ge=0.0, le=1.0,
    )
    min_marchers: int = param(
        10, doc="Fewest marchers that make a demonstration.", unit="persons", source="assumed", ge=1, le=1_000_000,
    )
    riot_hazard: float = param(
        0.05, doc="Hazard that a demonstration turns violent, per square root of marchers.", symbol="b_g",
        unit="1/day", source="assumed; to be fitted (SNPK's 'other' actors, docs/CALIBRATION.md)", ge=0.0, le=10.0,
    )
    office_guard: float = param(
        10.0, doc="Officers guarding the offices on a demonstration day (deterrence).", symbol="g", unit="officers",
        source="assumed", ge=0.0, le=10_000.0,
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
    dispute_rule: Literal["fixed", "causes"] = param(
        "fixed", doc="How the dispute is decided: a fixed probability, or from its causes (closeness, "
        "cheating seen, violence; simulation/dynamics/dispute.py).", unit="—", source="modelling choice",
    )
    dispute_base: float = param(
        0.14, doc="Rule \"causes\": probability of a dispute with no cause at all.", symbol="p_0",
        source="set so that the default scenario's mean dispute probability is the MK's 57% [D12] (30 seeds); "
        "to be fitted (docs/CALIBRATION.md)", ge=0.0, le=1.0,
    )
    close_margin: float = param(
        0.10, doc="Rule \"causes\": margin from which a race no longer counts as close.", symbol="m_c",
        source="assumed", gt=0.0, le=1.0,
    )
    close_weight: float = param(
        2.0, doc="Rule \"causes\": log-odds added by a tie (closeness 1).", symbol="w_c",
        source="assumed; SNPK names close races a cause [D17]", ge=-20.0, le=20.0,
    )
    cheating_weight: float = param(
        1.5, doc="Rule \"causes\": log-odds added when every losing supporter saw cheating at home.", symbol="w_h",
        source="assumed; SNPK names alleged cheating and partisan organisers causes [D17]", ge=-20.0, le=20.0,
    )
    violence_weight: float = param(
        1.0, doc="Rule \"causes\": log-odds added by violence (incidents so far over n_v, at most 1).", symbol="w_v",
        source="assumed", ge=-20.0, le=20.0,
    )
    violence_reference: float = param(
        5.0, doc="Rule \"causes\": incidents before the count at which violence counts in full.", symbol="n_v",
        unit="incidents", source="assumed", gt=0.0, le=1e6,
    )


class PollingParams(Strict):
    """Voting day at the TPS (simulation/dynamics/polling.py, docs/ODD.md §7.20)."""

    tps_support: float = param(
        0.45, doc="Cascade support of a supporter who voted, among their camp at the TPS (§8.4).",
        symbol="σ_tps", source="calibrated: posterior median, docs/CALIBRATION.md §12 (90% interval [0.21, 0.59]; hand-tuned 0.3 before, §8.4)", ge=0.0, le=1.0,
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
    severity: SeverityParams = Field(default_factory=SeverityParams)
    campaign_violence: CampaignViolenceParams = Field(default_factory=CampaignViolenceParams)
    reporting: ReportingParams = Field(default_factory=ReportingParams)
    identity: IdentityParams = Field(default_factory=IdentityParams)
    logistics: LogisticsParams = Field(default_factory=LogisticsParams)
    government_protests: GovernmentProtestParams = Field(default_factory=GovernmentProtestParams)
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
    severity: bool = _switch("Deaths, injuries and damage of each incident; off: all zero (§7.21).")
    campaign_violence: bool = param(
        True, doc="Convoys through rival villages and acts against a rival's campaign (§7.22); on since its "
        "rates were calibrated (docs/CALIBRATION.md §12).", unit="—", source="switch",
    )
    reporting: bool = _switch("Whether each incident would be reported (§7.23); off: every incident counts as reported.")
    identity: bool = param(
        False, doc="Hoaxes target identity groups and tokoh of each community moderate or fan them (§7.25).",
        unit="—", source="switch",
    )
    logistics: bool = param(
        False, doc="Logistics days with seizure risk, and partisan organisers (§7.26).", unit="—", source="switch",
    )
    government_protests: bool = param(
        False, doc="Demonstrations at the KPU, Bawaslu or Bupati's office after voting (§7.27).", unit="—",
        source="switch",
    )
    arrests: bool = _switch("Arrests and detention (§7.7).")
    officials: bool = _switch("Kades, village officers, Camat and police (§7.11–§7.14).")
    supporters: bool = _switch("The tim sukses' rallies, hoaxes, money and mass actions (§7.9).")
    election: bool = _switch("The vote and the result (§7.10).")
    polling: bool = _switch("Voting day at the TPS; needs `election` for turnout (§7.20).")


class AlertParams(Strict):
    """The village alert index and its levels (simulation/alerts.py, docs/ODD.md §7.8):
    x = tension_weight * mean tension + mobilised_weight * mobilised share
        + spreader_weight * spreader share; AWAS for `recent_incident_days` after an incident.
    Officials read x with an error (`reading_error`); the defaults are calibrated as an early-warning
    system (docs/WARNINGS.md, `python -m experiments.early_warning`)."""

    tension_weight: float = param(1.0, doc="Weight of mean tension in the alert index.", symbol="w_τ", ge=0.0, le=100.0)
    mobilised_weight: float = param(
        20.0, doc="Weight of the share MOBILISED or VIOLENT in the alert index.", symbol="w_M",
        source="assumed; calibrated so that crowds, the precursor of clashes, raise SIAGA before most incidents "
        "(docs/WARNINGS.md; 2 before)", ge=0.0, le=100.0,
    )
    spreader_weight: float = param(
        0.25, doc="Weight of the share of hoax spreaders in the alert index.", symbol="w_S",
        source="assumed; lowered from 0.5 so that a hoax wave through the whole kecamatan alone does not make every "
        "village WASPADA (it barely foretells incidents: docs/WARNINGS.md)", ge=0.0, le=100.0,
    )
    cutoffs: list[float] = param(
        doc="Index at which WASPADA, SIAGA and AWAS begin.", unit="index", symbol="c1, c2, c3",
        source="assumed; SIAGA lowered from 0.3 to 0.28 to warn of more incidents (docs/WARNINGS.md)",
        shown_range="3 increasing numbers in [0, 100]",
        default_factory=lambda: [0.2, 0.28, 0.45], min_length=3, max_length=3,
    )
    recent_incident_days: int = param(
        3, doc="A village is AWAS for this many days from an incident (that day included).", unit="days",
        ge=0, le=365,
    )
    reading_error: Literal["relative", "absolute"] = param(
        "relative", doc="How officials misread the index: relative, x·exp(σ·z) (a calm village reads calm), or "
        "absolute, x + σ·z; σ is the reader's noise (`officials.kades_noise`, `officials.bhabin_noise`), z ~ N(0, 1).",
        unit="—", source="assumed: perceived magnitudes err in proportion to their size (Weber's law); "
        "absolute was the rule before (docs/WARNINGS.md)",
    )

    @field_validator("cutoffs")
    @classmethod
    def _ascending(cls, v: list[float]) -> list[float]:
        if any(not 0.0 <= x <= 100.0 for x in v) or any(b <= a for a, b in zip(v, v[1:])):
            raise ValueError("must be three increasing numbers between 0 and 100 (WASPADA, SIAGA, AWAS)")
        return v
