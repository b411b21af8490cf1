"""Whether the losing side takes the result to the MK, from causes rather than a coin.

The Habibie Center's ten years of Pilkada name the causes of supporters' conflict with the
government in the dispute stage: close races, alleged cheating, ethnic identity and partisan
organisers [D17]. With `dynamics.election.dispute_rule = "causes"` the dispute's probability is

    logit P = logit(p_0) + w_c * close + w_h * cheating + w_v * violence

    close    = max(0, 1 - margin / m_c)           (1 at a tie, 0 from a margin of m_c on)
    cheating = share of the losing camps' active supporters who saw cheating by others at home:
               the winner's money politics remembered (money_seen_by_camp > 0), a Kades partisan
               for another camp, or visible non-neutral civil servants offending their camp
    violence = min(1, incidents so far / n_v)

p_0 is the probability with no cause at all. The default rule ("fixed") keeps the earlier coin:
P = dispute_probability for any margin up to dispute_margin_max. Parameters and sources:
docs/ODD.md §7.10.
"""

from __future__ import annotations

import math

import numpy as np


def closeness(margin: float, close_margin: float) -> float:
    """1 at a tie, falling linearly to 0 at a margin of `close_margin`."""
    if close_margin <= 0:
        return 0.0
    return max(0.0, 1.0 - margin / close_margin)


def cheating_seen(
    camp: np.ndarray, village: np.ndarray, winner: int, money_seen_by_camp: np.ndarray,
    partisan_kades_offends: np.ndarray, asn_visible: np.ndarray, asn_offended: np.ndarray,
    organiser_offends: np.ndarray | None = None,
) -> float:
    """Share of the losing camps' active supporters (camp >= 0 and != winner) who saw cheating at
    home (with `organiser_offends`, also organisers favouring another camp, §7.26)."""
    losers = np.flatnonzero((camp >= 0) & (camp != winner))
    if len(losers) == 0:
        return 0.0
    v, c = village[losers], camp[losers].astype(np.int64)
    seen = (money_seen_by_camp[v, winner] > 0) | (partisan_kades_offends[v, c] > 0) | (asn_visible[v] & (asn_offended[c] > 0))
    if organiser_offends is not None:
        seen |= organiser_offends[v, c] > 0
    return float(seen.mean())


def probability(close: float, cheating: float, violence: float, *, base: float, close_weight: float,
                cheating_weight: float, violence_weight: float) -> float:
    """P(dispute) = logistic(logit(p_0) + w_c close + w_h cheating + w_v violence)."""
    if base <= 0.0:
        return 0.0
    if base >= 1.0:
        return 1.0
    z = math.log(base / (1.0 - base)) + close_weight * close + cheating_weight * cheating + violence_weight * violence
    return 1.0 / (1.0 + math.exp(-z))
