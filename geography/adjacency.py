"""Which villages are neighbours: the national table of 241,979 pairs.

Two villages are neighbours when their original (unsimplified) polygons are at most 30 m apart,
inside a kecamatan or across kecamatan, kab/kota and province borders alike. Sea crossings are not
adjacency: 348 island villages have no neighbour at all, and the model must handle them.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

from geography import store, wilayah

if TYPE_CHECKING:
    import pandas as pd


@functools.cache
def _pairs() -> pd.DataFrame:
    return store.table(store.ADJACENCY_FILE).to_pandas()


def neighbours(codes: str | Iterable[str], pairs: Literal["inside", "crossing", "all"] = "inside") -> pd.DataFrame:
    """Neighbouring village pairs for the villages under `codes` (units of any level).

    Columns: `kode_a`, `kode_b`, `shared_border_km` (length of the common border; under 0.05 km is a
    corner contact, 917 pairs nationally), `gap_m` (distance between the polygons, 0 when they touch;
    up to 30 m), `overlap_km2` (area the source polygons share by mistake, small).

    pairs="inside" (default): both villages in the set, each pair once with kode_a < kode_b: the
    village graph of a region. "crossing": one village in the set and one outside, with kode_a the
    one inside: the region's border with its surroundings. "all": both kinds (kode_a < kode_b)."""
    import numpy as np

    if pairs not in ("inside", "crossing", "all"):
        raise ValueError(f"pairs={pairs!r}: choose inside, crossing or all")
    members = wilayah.village_codes(codes)
    p = _pairs()
    in_a = p["kode_a"].isin(members).to_numpy()
    in_b = p["kode_b"].isin(members).to_numpy()
    if pairs == "inside":
        return p[in_a & in_b].reset_index(drop=True)
    if pairs == "all":
        return p[in_a | in_b].reset_index(drop=True)
    out = p[in_a ^ in_b].reset_index(drop=True)
    swap = ~out["kode_a"].isin(members).to_numpy()
    a, b = out["kode_a"].to_numpy(dtype=object), out["kode_b"].to_numpy(dtype=object)
    out["kode_a"], out["kode_b"] = np.where(swap, b, a), np.where(swap, a, b)
    return out.astype({"kode_a": "str", "kode_b": "str"})
