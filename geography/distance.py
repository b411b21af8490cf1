"""Great-circle distances, vectorised: how far a police post is from each village."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import ArrayLike

EARTH_RADIUS_KM = 6371.0088
"""Mean Earth radius (IUGG, (2a + b) / 3 of WGS 84)."""


def distance_km(lat1: ArrayLike, lng1: ArrayLike, lat2: ArrayLike, lng2: ArrayLike) -> np.ndarray | float:
    """Great-circle (haversine) distance in km between points given in degrees; numpy arrays
    broadcast, so `distance_km(lat[:, None], lng[:, None], lat[None, :], lng[None, :])` is the full
    matrix. A sphere of the mean radius is within 0.5% of the WGS 84 ellipsoid everywhere, well
    inside what a travel-time model needs (roads are longer than straight lines anyway)."""
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp = p2 - p1
    dl = np.radians(np.asarray(lng2, dtype=float) - np.asarray(lng1, dtype=float))
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    d = 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))
    return float(d) if np.ndim(d) == 0 else d
