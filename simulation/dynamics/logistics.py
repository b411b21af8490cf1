"""Election logistics and partisan organisers.

The Kutai Kartanegara Sekda lists the distribution of election logistics among the vulnerable
stages of Pilkada 2024 [D30], and ACLED records a ballot box seized and police attacked (Mamberamo
Raya, 9 December 2020) [D19]. The seeds ask the organisers (KPU, Bawaslu and their PPK, PPS and
KPPS) to be neutral [D30]. With `mechanisms.logistics`:

**Logistics days.** Ballots and boxes travel to the villages on the `distribution_days` days before
voting day and back to the PPK for recapitulation on the `return_days` days after it. On such a day
the village's consignment can be seized by a wound-up crowd, with the hazard

    h_v = 1 - exp( -b_l * W_v * (1 + [organisers partisan in v]) * exp(-eta * (police_v + e)) )

W_v the wound-up (TENSE or MOBILISED) active supporters in v (after voting, of the camps behind in
the count), e the Polri escort of the consignment (`escort_officers`) and eta the police damping of
§7.6. A seizure is an incident (supporters against the organisers) and disrupts the village's vote.

**Partisan organisers.** With probability `partisan_organiser_share` a village's PPS/KPPS favour a
camp (drawn once per run). The other camps' supporters there see it: a legitimacy penalty
`organiser_penalty` (§7.4), cheating seen for the dispute (§7.10), and distrust that doubles the
seizure hazard. Parameters: docs/ODD.md §7.26.
"""

from __future__ import annotations

import numpy as np


def logistics_day(day: int, voting_day: int, distribution_days: int, return_days: int) -> str | None:
    """'distribution' before voting, 'return' after it, or None."""
    if voting_day - distribution_days <= day < voting_day:
        return "distribution"
    if voting_day < day <= voting_day + return_days:
        return "return"
    return None


def seizure_hazard(wound_up: np.ndarray, partisan: np.ndarray, hazard: float, police: np.ndarray, escort: float,
                   damping: float) -> np.ndarray:
    """h_v per village (module docstring)."""
    return 1.0 - np.exp(-hazard * wound_up * (1.0 + partisan) * np.exp(-damping * (police + escort)))


def partisan_organisers(n_villages: int, n_camps: int, share: float, rng: np.random.Generator) -> np.ndarray:
    """(villages, camps): 1 where the village's organisers favour another camp than this one (0 where
    they are neutral or favour this camp). Draws two numbers per village."""
    partisan = rng.random(n_villages) < share
    favoured = rng.integers(0, n_camps, n_villages)
    offends = np.zeros((n_villages, n_camps))
    offends[partisan] = 1.0
    offends[np.flatnonzero(partisan), favoured[partisan]] = 0.0
    return offends
