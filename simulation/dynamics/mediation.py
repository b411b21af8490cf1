"""Mediation: everything one rembug (a Kades with the tokoh, or a Tim Terpadu team) does, in one place.

A mediation requested in the evening takes place the next morning in village v with strength
M_v in [0, 1] (the policy's `mediation_strength`; a partisan Kades mediates at
`partisan_kades_factor` of it; several requests keep the strongest). On that day it acts through
four channels (docs/ODD.md §7.11):

    tension input of everyone in v       -= mu * M_v                               (§7.3)
    counter-messaging in v               effect = max(e_campaign, c * M_v)         (§7.2)
    crowd dispersal of v's supporters    q = q_0 + (1 - q_0) * d * M_v             (§7.5)
    followers of v's calming tokoh       -= r * mu * M_v   (on top of the first)   (§7.15)

mu = `dynamics.tension.mediation_relief`; c, d, r = `dynamics.mediation.counter_message`,
`.dispersal`, `.tokoh_relay` (all 0.5, assumed); e_campaign the counter-hoax campaign's effect
where one runs. An inflaming tokoh instead adds `tokoh_inflame_gain` x stakes to his followers'
tension every day. These functions are pure: arrays and parameters in, arrays out.
"""

from __future__ import annotations

import numpy as np


def kades_strength(strength: float, partisan: bool, partisan_factor: float) -> float:
    """The strength of a Kades's own mediation: weaker when he is seen to favour a camp."""
    return strength * (partisan_factor if partisan else 1.0)


def tension_relief(mediation: np.ndarray, relief: float) -> np.ndarray:
    """Per village: what a mediation takes off everyone's tension input today."""
    return relief * mediation


def counter_message_effect(mediation: np.ndarray, campaign: np.ndarray, campaign_effect: float, factor: float) -> np.ndarray:
    """Per village: probability that a reached spreader stops (ignorant people: half of it),
    from a counter-hoax campaign and from the clarifying that comes with a mediation."""
    return np.maximum(np.where(campaign, campaign_effect, 0.0), factor * mediation)


def dispersal(base: float, mediation: np.ndarray, factor: float) -> np.ndarray:
    """Probability that a person in a crowd goes home today: crowds tire, mediation talks them down."""
    return base + (1 - base) * factor * mediation


def tokoh_effect(
    inflaming: np.ndarray, mediation_at_home: np.ndarray, stakes: float, relief: float, relay: float, inflame_gain: float
) -> np.ndarray:
    """Per tokoh: the tension each of their followers gets today. An inflaming tokoh adds
    `inflame_gain` x stakes; a calming one, when their village is being mediated, takes off
    `relay` x the mediation relief again (their followers hear it from someone they trust)."""
    calming = np.where(mediation_at_home > 0, -relay * relief * mediation_at_home, 0.0)
    return np.where(inflaming, inflame_gain * stakes, calming)
