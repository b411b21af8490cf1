"""Campaign-stage violence: the occasions the campaign itself makes for supporters of rival camps
to clash, besides the crowds that meet in `clashes.py`.

The Habibie Center's count of Pilkada violence (SNPK, ten years) finds supporter-versus-supporter
incidents 58% of the total and mostly in the campaign, and lists the common low-scale acts in this
order: destroying campaign material (APK), persecution/assault, destructive demonstrations, clashes
between rival supporters. ACLED's Indonesian election violence has 23.5% of its events before
voting day (docs/VALIDATION.md §4.3). Two occasions, both only on campaign days (stages with
rallies):

**Convoys (konvoi).** A rally of camp c in village v travels, with probability `convoy_share`, as a
convoy through up to `convoy_villages` neighbouring villages (drawn at random from v's
neighbours). In each village u it passes, the convoy of S attendees meets the H_uc' rival
supporters there who are wound up (TENSE or MOBILISED) for each rival camp c':

    h_u = 1 - exp( -b_k * sqrt(S * sum_c' H_uc') * exp(-eta * police_u) )

(b_k = `convoy_hazard`; the square root as in the crowd clash hazard of §7.6). A convoy ends at
its first clash (the Sampang case of 2024: a candidate's convoy blocked by an armed crowd in a
village that backed the rival pair).

**Acts against the rival's campaign.** In village v the H_vc wound-up supporters of camp c act
against what a rival camp has there (its APK, its tim sukses) with a daily hazard

    h_vc = 1 - exp( -a * H_vc * r_vc * exp(-eta * police_v) ),   r_vc = R_vc / (R_vc + N_vc)

where R_vc are the rival camps' supporters in v and N_vc camp c's own (no rivals, nothing to
attack; a = `act_rate`). An act is APK destruction with probability `apk_share`, otherwise
persecution/intimidation of a rival supporter. 1 to `act_max_participants` of the wound-up take
part (each with probability `participation` x own tension, at least one).

Each incident also outrages the camp attacked in that village: the next day its supporters there
get the tension input `outrage_gain` x stakes (retaliation, the escalation the Kapolres feared in
Sampang). Defaults and sources: docs/ODD.md §7.22. The functional forms are assumed; the rates are
to be fitted (docs/CALIBRATION.md).
"""

from __future__ import annotations

import numpy as np

CONVOY, APK, ASSAULT = "convoy", "apk", "assault"


def convoy_hazard(convoy_size: int, rivals_wound_up: float, hazard: float, police: float, damping: float) -> float:
    """h = 1 - exp(-b_k sqrt(S H) exp(-eta police)): a convoy of S meets H wound-up rivals."""
    return float(1.0 - np.exp(-hazard * np.sqrt(max(convoy_size, 0) * max(rivals_wound_up, 0.0)) * np.exp(-damping * police)))


def convoy_route(neighbours: np.ndarray, n_villages: int, rng: np.random.Generator) -> np.ndarray:
    """The villages a convoy passes: up to `n_villages` of the rally village's neighbours, in a random order."""
    if len(neighbours) == 0 or n_villages <= 0:
        return neighbours[:0]
    return rng.permutation(neighbours)[:n_villages]


def act_hazard(wound_up: np.ndarray, supporters: np.ndarray, rate: float, police: np.ndarray, damping: float) -> np.ndarray:
    """h[v, c] = 1 - exp(-a H_vc r_vc exp(-eta police_v)), r_vc the rival camps' share of the
    village's supporters as seen from camp c (0 where camp c is alone)."""
    own = supporters.astype(np.float64)
    rivals = own.sum(axis=1, keepdims=True) - own
    total = rivals + own
    share = np.divide(rivals, total, out=np.zeros_like(rivals), where=total > 0)
    return 1.0 - np.exp(-rate * wound_up * share * np.exp(-damping * police)[:, None])


def victim_camp(supporters_here: np.ndarray, attacker: int, rng: np.random.Generator) -> int:
    """Whose APK or tim sukses is attacked: a rival camp drawn in proportion to its supporters here."""
    w = supporters_here.astype(np.float64).copy()
    w[attacker] = 0.0
    if w.sum() <= 0:
        return -1
    return int(rng.choice(len(w), p=w / w.sum()))


def draw_actors(candidates: np.ndarray, tension: np.ndarray, participation: float, most: int, rng: np.random.Generator) -> np.ndarray:
    """1 to `most` of the wound-up supporters: each joins with probability participation x tension
    (at least one; at most `most`, the first ones drawn)."""
    if len(candidates) == 0:
        return candidates
    joined = candidates[rng.random(len(candidates)) < participation * tension[candidates]]
    if len(joined) == 0:
        joined = candidates[[int(rng.integers(len(candidates)))]]
    if len(joined) > most:
        joined = rng.choice(joined, size=most, replace=False)
    return np.sort(joined)
