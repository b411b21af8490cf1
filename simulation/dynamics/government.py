"""Supporters against the government: demonstrations at the KPU, Bawaslu or the Bupati's office.

SNPK's ten years of Pilkada put about a quarter of incidents outside supporter-versus-supporter
(58%) and supporters-versus-organisers (15%) violence: supporters against the government, in
disputes and demonstrations [D17]; the Sampang crowd that besieged the KPU office in May 2019 and
the riot at Bawaslu in Jakarta on 21-22 May 2019 are cases [D35, DOMAIN §6.4]. With
`mechanisms.government_protests`, on every day of a stage with contact with the organisers
(counting, determination, disputes; `organisers_contact` > 0) after voting, a share `march_share`
of the mobilised supporters of the camps behind in the count travel to the offices at the region's
seat (the Polres village, standing in for the kabupaten capital). If at least `min_marchers` come,
there is a demonstration, and it turns violent with

    h = 1 - exp( -b_g * s_org * sqrt(D) * exp(-eta * (police_seat + g)) )

D the marchers, s_org the stage's `organisers_contact`, g the officers guarding the offices
(`office_guard`) and eta the police damping of §7.6. Parameters: docs/ODD.md §7.27.
"""

from __future__ import annotations

import numpy as np


def riot_hazard(marchers: int, contact: float, hazard: float, police: float, guard: float, damping: float) -> float:
    """h (module docstring)."""
    return float(1.0 - np.exp(-hazard * contact * np.sqrt(max(marchers, 0)) * np.exp(-damping * (police + guard))))
