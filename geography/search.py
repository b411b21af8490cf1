"""Finding a unit by name or code, as a user types it (`siaga scenarios find sampang`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from geography import codes as C
from geography import names, wilayah

if TYPE_CHECKING:
    import pandas as pd


def find(query: str, level: str | Iterable[str] | None = None, within: str | None = None, limit: int | None = 20) -> pd.DataFrame:
    """Units whose name or code matches `query`, best first.

    Names match ignoring case, spaces and punctuation ("kota baru" finds Kabupaten Kotabaru), and
    kab/kota also without their "Kabupaten"/"Kota" prefix; a leading level word narrows the level
    ("kab sampang", "kec sampang"). Order: exact names first, then names that start with the query,
    then names that contain it; within each, higher levels first (province, kab/kota, kecamatan,
    village), then code order. A code or the beginning of one ("35.27", "35.2", "3527") matches that
    unit and the units under it. So `find("sampang")` gives Kabupaten Sampang (35.27) first, then
    the kecamatan called Sampang (in Cilacap and in Sampang), then villages.

    level: one of `codes.LEVELS` or several; within: only units under this code; limit: at most this
    many rows (None or 0: all).

    Returns a DataFrame with `kode`, `nama`, `tingkat`, `match` (exact, prefix, contains, code),
    `provinsi`, `kabupaten`, `kecamatan` (the names of the units above it; empty where not
    applicable) and `induk` (those names joined with " / "), in that order; `.attrs["total"]` is the
    number of matches before `limit`."""
    import numpy as np
    import pandas as pd

    levels = _levels(level)
    t = wilayah._table()
    text = query.strip()
    allowed = np.ones(len(t), dtype=bool)
    if levels is not None:
        allowed &= t["tingkat"].isin(levels).to_numpy()
    if within is not None:
        lo, hi = wilayah.span(wilayah.check(within))
        inside = np.zeros(len(t), dtype=bool)
        inside[lo + 1 : hi] = True
        allowed &= inside

    compact = text.replace(" ", "")
    code_query = C.dotted(compact) or compact
    if compact and C.is_code_prefix(code_query):
        kode = t["kode"]
        rank = np.where(kode.to_numpy() == code_query, names.EXACT, np.where(kode.str.startswith(code_query).to_numpy(), names.PREFIX, names.NO_MATCH))
        kinds = {names.EXACT: "code", names.PREFIX: "code"}
    else:
        rank = np.where(allowed, names.rank(names.fold(text), *wilayah.search_keys()), names.NO_MATCH)
        hint = names.level_hint(text)
        if hint is not None and levels is None:
            # "kab sampang": the level word narrows the search, unless the words match better as a
            # name ("kota baru" is Kabupaten Kotabaru and many a desa Kota Baru, not a kota *baru)
            hint_levels, rest = hint
            r = names.rank(names.fold(rest), *wilayah.search_keys())
            r[~(allowed & t["tingkat"].isin(hint_levels).to_numpy())] = names.NO_MATCH
            if r.min() < names.NO_MATCH and r.min() <= rank.min():
                rank = r
        kinds = names.RANK_NAMES
    rank = np.where(allowed, rank, names.NO_MATCH)
    hit = np.flatnonzero(rank < names.NO_MATCH)
    depth = t["kode"].str.count(r"\.").to_numpy()
    hit = hit[np.lexsort((hit, depth[hit], rank[hit]))]
    total = len(hit)
    if limit:
        hit = hit[:limit]
    rows = t.iloc[hit]
    out = pd.DataFrame({"kode": rows["kode"].to_numpy(dtype=object), "nama": rows["nama"].to_numpy(dtype=object),
                        "tingkat": rows["tingkat"].to_numpy(dtype=object)})
    out["match"] = [kinds[int(r)] for r in rank[hit]]
    name_of = _names_of({a for k in out["kode"] for a in C.ancestors(k)})
    for col, n in (("provinsi", 1), ("kabupaten", 2), ("kecamatan", 3)):
        out[col] = [name_of[k[: {1: 2, 2: 5, 3: 8}[n]]] if C.depth(k) > n else "" for k in out["kode"]]
    out["induk"] = [" / ".join(name_of[a] for a in C.ancestors(k)) for k in out["kode"]]
    out = out.astype({c: "str" for c in out.columns})
    out.attrs["total"] = total
    return out


def _levels(level: str | Iterable[str] | None) -> list[str] | None:
    if level is None:
        return None
    wanted = [level] if isinstance(level, str) else list(level)
    bad = [lv for lv in wanted if lv not in C.LEVELS]
    if bad:
        raise ValueError(f"level {bad[0]!r}: choose from {', '.join(C.LEVELS)}")
    return wanted


def _names_of(codes: set[str]) -> dict[str, str]:
    t = wilayah._table()
    return {c: t["nama"].iat[wilayah.span(c)[0]] for c in codes}
