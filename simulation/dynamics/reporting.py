"""What gets reported: the chance that an incident reaches the data sets the model is compared with.

ACLED and SNPK code events from newspapers (SNPK from 34, later 49, local papers; ACLED from
national and local media): a scuffle between three supporters rarely makes the news, a clash with
deaths always does. The model keeps every incident it simulates and marks each as reported or not:

    P(reported) = 1 - (1 - p_0) * exp( -k_s * (size - 2)^+  -  k_h * (w_d * deaths + injured + damaged) )

p_0 is the chance for the smallest harmless incident (two participants), k_s what each further
participant adds, k_h what each casualty or damaged building adds (a death counting w_d times).
Nothing in the model reads the flag: it maps model incidents onto what a data set would count, for
calibration (docs/CALIBRATION.md) and for comparing the model with ACLED or SNPK. Defaults are
assumed, to be fitted with the rest (docs/ODD.md §7.23).
"""

from __future__ import annotations

import math


def probability(size: int, deaths: int, injured: int, damaged: int, *, base: float, size_gain: float,
                harm_gain: float, death_weight: float) -> float:
    """P(reported) of one incident (module docstring)."""
    exponent = size_gain * max(size - 2, 0) + harm_gain * (death_weight * deaths + injured + damaged)
    return 1.0 - (1.0 - base) * math.exp(-exponent)
