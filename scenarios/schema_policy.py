"""Interventions: the policy dials and the named presets (docs/ODD.md §7.16; the presets are
scenarios/policies.py)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from common.levels import AlertName
from scenarios.fields import Strict, param
from scenarios.policies import PRESETS

POLICY_PRESETS: tuple[str, ...] = tuple(PRESETS)  # the names `policy.presets` accepts


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
    brimob_posture: Literal["reactive", "even", "risk"] = param(
        "reactive", doc="Where the Polda's Brimob platoons wait under pooled backup (§7.13a): `reactive`, at the "
        "Polda, sent wherever asked; `even`, put under the kabupaten Polres (BKO) in turn, kabupaten by kabupaten; "
        "`risk`, all under the Polres of the kabupaten rated most at risk (largest share of hotspot villages).",
        unit="—", source="policy",
    )
    brimob_days_before_voting: int = param(
        7, doc="Days before voting day that pre-positioned platoons (`even`, `risk`) come under their Polres; "
        "they stay to the end of the run.", unit="days", source="policy; assumed", ge=0, le=365,
    )


class TimTerpaduPolicy(Strict):
    """The kabupaten's Tim Terpadu sending its Polres teams ahead of trouble (§7.13b). Needs
    `officials.backup_mode = "pooled"`: the kabupaten's own Polres teams exist only there."""

    enabled: bool = param(False, doc="The kabupaten's Tim Terpadu meets and sends Polres patrols.", unit="—", source="policy")
    convene: Literal["early", "reactive"] = param(
        "reactive", doc="`early`: it meets on a schedule from `days_before_voting` before voting day; `reactive`: "
        "when `convene_villages` villages are reported at `convene_level` or above.", unit="—",
        source="policy; early: Kesbangpol Wonosobo convened it a month before voting in 2015 [D30]",
    )
    days_before_voting: int = param(
        30, doc="First scheduled meeting, days before voting day (`early`).", unit="days",
        source="policy; a month before voting (Wonosobo 2015) [D30]", ge=0, le=365,
    )
    convene_level: AlertName = param("WASPADA", doc="Reported level that counts toward a meeting and gets a patrol.", unit="—", source="policy")
    convene_villages: int = param(
        3, doc="Villages reported at the convene level needed for a meeting (`reactive`).", unit="villages",
        source="policy", ge=1, le=100_000,
    )
    cooldown_days: int = param(7, doc="Fewest days between two meetings.", unit="days", source="policy", ge=1, le=365)
    reserve_teams: int = param(
        1, doc="Polres teams held back for incident backup when patrols are sent.", unit="teams", source="policy",
        ge=0, le=10_000,
    )


class ProvincePolicy(Strict):
    """The provincial Tim Terpadu (§7.13d): the Gubernur with Kesbangpol, the Kapolda and the
    Pangdam, who hear the kabupaten Tim Terpadu and decide where the Polda's platoons go first.
    Needs `policy.tim_terpadu.enabled`."""

    enabled: bool = param(
        False, doc="The provincial Tim Terpadu sets the order in which the Polda's Brimob platoons serve the "
        "kabupaten: the worst reported first, instead of the oldest request first.", unit="—",
        source="policy; the Kalsel provincial Tim Terpadu: prevention first, some kabupaten lag [D30]",
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


class RecoveryPolicy(Strict):
    """Recovery (pemulihan) after violence: reconciliation meetings of Kades, tokoh and the Tim
    Terpadu in a village that had an incident (§7.24)."""

    enabled: bool = param(False, doc="Reconciliation after each incident.", unit="—", source="policy (§7.16)")
    delay_days: int = param(
        3, doc="Days from an incident to the first reconciliation meeting.", unit="days", source="policy",
        ge=0, le=365,
    )
    sessions: int = param(
        3, doc="Reconciliation meetings after an incident (a new incident starts the series again).", unit="meetings",
        source="policy", ge=1, le=100,
    )
    interval_days: int = param(7, doc="Days between two meetings.", unit="days", source="policy", ge=1, le=365)
    strength: float = param(
        0.5, doc="Mediation strength M_v of a meeting (its tension relief, counter-messaging and dispersal, §7.11).",
        ge=0.0, le=1.0, source="assumed (as a Kades mediation)",
    )
    heal: float = param(
        0.5, doc="Incidents' worth of the violence penalty on legitimacy that one meeting lifts (§7.4).",
        unit="incidents/meeting", ge=0.0, le=100.0, source="assumed; UU 7/2012 names recovery a stage of handling conflict [D23], the Kalsel Tim Terpadu says it matters [D30]",
    )
    person_days: float = param(
        6.0, doc="Person-days one meeting costs (Kades, two tokoh, three of the Tim Terpadu).", unit="person-days",
        ge=0.0, le=1000.0, source="assumed",
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
    recovery: RecoveryPolicy = Field(default_factory=RecoveryPolicy)
    tim_terpadu: TimTerpaduPolicy = Field(default_factory=TimTerpaduPolicy)
    province: ProvincePolicy = Field(default_factory=ProvincePolicy)
