"""Grievance from hardship and perceived legitimacy (Epstein 2002, PNAS 99 suppl. 3: G = H (1 - L)).

Perceived legitimacy is the base legitimacy of the election minus penalties a person sees
(docs/ODD.md §7.4), built per (village, camp leaned to) and gathered once for everyone:

    pen_vc = p_money * min(money_seen_v, 1) + p_violence * min(incidents_v, cap) / cap
             + p_asn * asn_visible_v * offended_c + p_kades * partisan_kades_offends_vc
             + p_dispute * [result disputed and c is not the winner]
    L_i = clip(L_0 - pen_{v(i) c(i)}, 0, 1)

`grievance` is the one place G = H (1 - L) is computed: the model, the Villager agent, the metrics,
the classic Epstein model and the benchmarks all call it.
"""

from __future__ import annotations

import numpy as np


def grievance(hardship: np.ndarray, legitimacy: np.ndarray) -> np.ndarray:
    """Epstein's G = H (1 - L), elementwise (scalars too)."""
    return hardship * (1.0 - legitimacy)


def perceived_legitimacy(base: float, penalties: np.ndarray) -> np.ndarray:
    return np.clip(base - penalties, 0.0, 1.0).astype(np.float32, copy=False)


def penalty_table(
    money_seen: np.ndarray,
    incidents: np.ndarray,
    asn_visible: np.ndarray,
    asn_offended: np.ndarray,
    partisan_kades_offends: np.ndarray,
    disputed_winner: int | np.ndarray | None,
    *,
    money_penalty: float,
    violence_penalty: float,
    violence_cap: int,
    asn_penalty: float,
    partisan_kades_penalty: float,
    dispute_penalty: float,
    organiser_offends: np.ndarray | None = None,
    organiser_penalty: float = 0.0,
) -> np.ndarray:
    """pen[v, c]: the legitimacy penalty seen by a person of village v leaning to camp c (with
    `organiser_offends`, also + p_org where the organisers favour another camp, §7.26)."""
    n_camps = partisan_kades_offends.shape[1]
    village_pen = money_penalty * np.minimum(money_seen, 1.0) + violence_penalty * np.minimum(incidents, violence_cap) / float(violence_cap)
    table = np.repeat(village_pen[:, None], n_camps, axis=1)
    # visible non-neutral ASN work for the incumbent (Bawaslu: abuse of office by incumbents),
    # so it costs legitimacy among the other camps; with no incumbent, among everyone
    table += asn_penalty * asn_visible[:, None] * asn_offended[None, :]
    table += partisan_kades_penalty * partisan_kades_offends
    if organiser_offends is not None and organiser_penalty > 0:
        table += organiser_penalty * organiser_offends
    if isinstance(disputed_winner, np.ndarray):  # a race per kabupaten: per village, -1 where none
        rows = np.flatnonzero(disputed_winner >= 0)
        table[rows] += dispute_penalty
        table[rows, disputed_winner[rows]] -= dispute_penalty
    elif disputed_winner is not None:
        table += dispute_penalty
        table[:, disputed_winner] -= dispute_penalty
    return table
