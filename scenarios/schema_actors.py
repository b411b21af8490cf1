"""Who acts: the candidates' tim sukses and the officials (docs/ODD.md §7.9-§7.15)."""

from __future__ import annotations

from typing import Literal

from common.levels import AlertName
from scenarios.fields import Strict, param


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
    polres_backup_units: int = param(
        4, doc="Polres backup teams: for the whole region (`backup_mode = \"exogenous\"`), or each kabupaten's "
        "Polres (`\"pooled\"`).", unit="teams", ge=0, le=10_000,
    )
    backup_mode: Literal["exogenous", "pooled"] = param(
        "exogenous", doc="How backup comes (§7.13a). `exogenous`: a free Polres team with probability "
        "`backup_availability`, one pool for the region. `pooled`: the kabupaten's own Polres team when one is free, "
        "else a Polda Brimob platoon when one is free (one pool shared by every kabupaten), else the request waits.",
        unit="—", source="modelling choice; scarcity under simultaneous Pilkada [D25]",
    )
    brimob_backup_units: int = param(
        4, doc="Polda Brimob platoons the region's Polres can call on (`backup_mode = \"pooled\"`).",
        unit="platoons", source="assumed; the Polda sends platoons where a kabupaten cannot cope (a Brimob platoon "
        "to Puncak Jaya after voting day 2024 [D34])", ge=0, le=10_000,
    )
    brimob_team_size: int = param(
        30, doc="Officers in a Brimob platoon sent as backup.", unit="officers",
        source="assumed (a platoon, *peleton*, of about 30) [D34]", ge=1, le=1_000,
    )
    brimob_delay_days: int = param(
        1, doc="Extra days for Polda to order and move a Brimob platoon, on top of `backup_delay_days`.",
        unit="days", source="assumed", ge=0, le=30,
    )
    backup_expiry_days: int = param(
        3, doc="Days an ask for backup may wait (`d − asked` at most this) before it is given up, counted unmet (both modes).",
        unit="days", source="assumed", ge=0, le=365,
    )
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
    road_detour: float = param(
        1.3, doc="Road kilometres per straight-line kilometre from a police seat to a village (circuity).",
        unit="km/km", source="assumed; measured road/straight-line ratios: 1.26 across South Korea, "
        "1.44 in its mountainous Gangwon province (Kim et al. 2015)", ge=1.0, le=5.0,
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
        0.15, doc="Spread σ of the Kades' error reading the alert index (`alerts.reading_error`: relative, "
        "the SD of log(reading / index); absolute, the SD of reading − index).", unit="1 or index",
        source="assumed (about 15% off on a typical day)", ge=0.0, le=5.0,
    )
    bhabin_noise: float = param(
        0.08, doc="Spread σ of the village officers' reading error (Bhabinkamtibmas and Babinsa), as `kades_noise`.",
        unit="1 or index", source="assumed (a sharper eye than the Kades); used by Bhabinkamtibmas and Babinsa",
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
    confirm_days: int = param(
        2, doc="A Kades takes his village to be at a level once he has read it this many evenings running (his level is "
        "the lowest of his last readings); an incident he knows at once (1: his reading is his level).", unit="days",
        source="assumed; one stray impression is not a crisis (docs/WARNINGS.md)", ge=1, le=30,
    )
    calm_report_days: int = param(
        3, doc="A Kades reports that his village has calmed down once his reading has stayed below his last report "
        "for this many evenings (0: he never does).", unit="days",
        source="assumed; a Kades tells the Camat when things are back to normal, not after a single quiet evening",
        ge=0, le=365,
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
    kabupaten_report_delay_days: int = param(
        1, doc="Days before a Camat's report reaches the kabupaten's Tim Terpadu (§7.13b).", unit="days",
        source="assumed", ge=0, le=60,
    )
    kabupaten_report_loss: float = param(
        0.1, doc="Probability that a Camat's evening report to the kabupaten is lost.", source="assumed", ge=0.0, le=1.0,
    )
    kecamatan_silent_share: float = param(
        0.1, doc="Share of kecamatan (drawn once a run) that never report to the kabupaten.",
        source="assumed; the Kalsel Tim Terpadu says some kabupaten lag because reports from vertical agencies "
        "are hard to get [D30]", ge=0.0, le=1.0,
    )
    kabupaten_noise: float = param(
        0.1, doc="Probability that a village's level in a report to the kabupaten is misread by one level.",
        source="assumed (as `camat_noise`)", ge=0.0, le=1.0,
    )
    province_report_delay_days: int = param(
        1, doc="Days before a kabupaten Tim Terpadu's picture reaches the provincial Tim Terpadu (§7.13d).",
        unit="days", source="assumed", ge=0, le=60,
    )
    province_report_loss: float = param(
        0.1, doc="Probability that a kabupaten's evening report to the province is lost.",
        source="assumed; some kabupaten lag in reporting (Kalsel Tim Terpadu) [D30]", ge=0.0, le=1.0,
    )
    status_awas_villages: int = param(
        5, doc="Villages the kabupaten's Tim Terpadu must hear of at AWAS, with no Polres team free, before the Bupati "
        "moves to declare a Status Keadaan Konflik (§7.13c).", unit="villages",
        source="assumed; the status is for when Polri cannot control a conflict (UU 7/2012) [D23]", ge=1, le=100_000,
    )
    status_delay_days: int = param(
        3, doc="Days from the Bupati's move to the declaration (he consults the DPRD leadership first).", unit="days",
        source="assumed; UU 7/2012 [D23]", ge=0, le=90,
    )
    status_days: int = param(
        90, doc="How long a Status Keadaan Konflik lasts.", unit="days", source="UU 7/2012: at most 90 days [D23]",
        ge=1, le=90,
    )
    tni_units: int = param(
        2, doc="Kodim platoons the Tim Terpadu can send under a Status Keadaan Konflik.", unit="platoons",
        source="assumed; TNI help only after the status is declared (PP 2/2015) [D23]", ge=0, le=10_000,
    )
    tni_team_size: int = param(30, doc="Soldiers in a TNI platoon.", unit="soldiers", source="assumed (a platoon)", ge=1, le=1_000)
    kodam_units: int = param(
        0, doc="Kodam platoons of the province, shared by every kabupaten under a Status Keadaan Konflik whose own Kodim "
        "platoons are all out (§7.13c).", unit="platoons",
        source="assumed; 0 = no provincial TNI reserve (TNI help only under the status, PP 2/2015) [D23]", ge=0, le=10_000,
    )
    kodam_delay_days: int = param(
        2, doc="Extra days a Kodam platoon needs over a Kodim one (it comes from the province).", unit="days",
        source="assumed", ge=0, le=30,
    )
    tim_terpadu_person_days: float = param(
        10.0, doc="Cost of one meeting of the kabupaten's Tim Terpadu (Bupati, Kesbangpol, Kapolres, Dandim, Kajari "
        "and staff).", unit="person-days", source="assumed", ge=0.0, le=1000.0,
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
