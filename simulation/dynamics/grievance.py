"""Grievance from hardship and perceived legitimacy (Epstein 2002, PNAS 99 suppl. 3: G = H (1 - L)).

Perceived legitimacy is the base legitimacy of the election minus penalties a person sees: a
partisan Kades favouring another camp, non-neutral ASN, money politics in their village, a
disputed count against their camp, violence in their village (docs/ODD.md §7.4).
"""

from __future__ import annotations

import numpy as np


def perceived_legitimacy(base: float, penalties: np.ndarray) -> np.ndarray:
    return np.clip(base - penalties, 0.0, 1.0).astype(np.float32, copy=False)


def grievance(hardship: np.ndarray, legitimacy: np.ndarray) -> np.ndarray:
    return (hardship * (1.0 - legitimacy)).astype(np.float32, copy=False)
