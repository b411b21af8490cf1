"""The official code list (wilayah): every unit, one look-up, the villages under a unit, positions.

All 91,599 units of the 2025 list (Kepmendagri 300.2.2-2138/2025) come from `data/units.parquet`,
read once per process on first use (about 0.1 s), never at import. Codes are always strings.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TYPE_CHECKING

from geography import codes as C
from geography import names, store
from geography.errors import UnknownCode

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd
    import pyarrow as pa

VILLAGE_LEVELS = ("desa", "kelurahan")


@functools.cache
def _table() -> pd.DataFrame:
    import pandas as pd
    import pyarrow as pa

    df = store.table(store.UNITS_FILE).to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    df.attrs["source"] = str(store.path(store.UNITS_FILE))
    return df


def units() -> pd.DataFrame:
    """Every unit of the 2025 code list, in code order (string order of `kode` is code order).

    Columns: `kode`, `nama`, `tingkat` (provinsi, kabupaten, kota, kecamatan, desa, kelurahan),
    `kode_induk` (parent code; missing for provinces), `penduduk_2024` (Dukcapil, Dec 2024: kab/kota
    and provinces only, else missing: village populations are not in the sources), `luas_km2`
    (official BIG area: kab/kota and provinces only), `lat`, `lng` (centroid of the unit's original
    polygon; for provinces the area-weighted mean of their kab/kota centroids; missing for the 829
    villages without a polygon, see `village_positions`), `area_km2` (area of the original polygon,
    EPSG:6933; provinces: sum of their kab/kota), `has_geom` (a polygon is packaged for the unit;
    False for provinces, which have no outline of their own).

    The table is read once per process and shared; the frame returned is a shallow copy, so adding
    or changing columns on it does not alter what later calls get."""
    return _table().copy(deep=False)


@functools.cache
def _codes() -> np.ndarray:
    """The `kode` column as a numpy array of str (sorted), for binary search."""
    return _table()["kode"].to_numpy(dtype=object)


@functools.cache
def search_keys() -> tuple[pa.Array, pa.Array]:
    """Folded full names and folded short names (without "Kabupaten"/"Kota") of every unit, for
    `geography.names.rank`; computed once per process."""
    import pyarrow as pa

    t = _table()
    nama = pa.array(t["nama"].to_numpy(dtype=object), type=pa.string())
    tingkat = pa.array(t["tingkat"].to_numpy(dtype=object), type=pa.string())
    return names.fold_many(nama), names.short_names(nama, tingkat)


def span(code: str) -> tuple[int, int]:
    """Row positions [lo, hi) in `units()` of `code` and all units under it (they are contiguous
    because string order is code order). (lo, lo) when the code is not in the list."""
    import numpy as np

    kode = _codes()
    lo = int(np.searchsorted(kode, code))
    if lo >= len(kode) or kode[lo] != code:
        return lo, lo
    return lo, int(np.searchsorted(kode, code + "/"))  # "/" sorts right after "."


def check(code: object) -> str:
    """`code` as a known code string, or UnknownCode with a message that says what was closest."""
    text = code.strip() if isinstance(code, str) else str(code)
    lo, hi = span(text)
    if hi > lo and isinstance(code, str):
        return text
    raise unknown(code)


def unit(code: str) -> pd.Series:
    """One unit by its code (a row of `units()`), or `UnknownCode` naming the closest codes or
    names, so a typo or a code mangled by a spreadsheet (`11.1`) gets an answer instead of a KeyError."""
    lo, _ = span(check(code))
    return _table().iloc[lo].copy()


def villages_in(code: str) -> pd.DataFrame:
    """The desa and kelurahan under any unit (province, kab/kota, kecamatan, or a village itself),
    rows of `units()` in code order: the villages a scenario of that place is made of."""
    lo, hi = span(check(code))
    sub = _table().iloc[lo:hi]
    return sub[sub["tingkat"].isin(VILLAGE_LEVELS)].copy(deep=False)


def village_codes(codes: str | Iterable[str]) -> list[str]:
    """The village codes under each of `codes` (units of any level; a village stands for itself),
    unique and in code order."""
    wanted = [codes] if isinstance(codes, str) else list(codes)
    t = _table()
    village = t["tingkat"].isin(VILLAGE_LEVELS).to_numpy()
    kode = _codes()
    out: set[str] = set()
    for code in wanted:
        lo, hi = span(check(code))
        out.update(kode[lo:hi][village[lo:hi]])
    return sorted(out)


def village_positions(codes: str | Iterable[str]) -> pd.DataFrame:
    """Where each village under `codes` is, for distances and maps: `kode`, `nama`, `lat`, `lng`,
    `from_kecamatan`.

    For the 99% of villages with a polygon, `lat`/`lng` is its centroid and `from_kecamatan` is
    False. The 829 without a polygon (most in Papua Barat, Pasaman Barat, Ngada; see
    data/README.md) get their kecamatan's centroid and `from_kecamatan` True, so every village has a
    position; several such villages of one kecamatan then share a point (distance 0 between them)."""
    import pandas as pd

    wanted = village_codes(codes)
    t = _table()
    rows = t.iloc[[span(c)[0] for c in wanted]]
    out = pd.DataFrame({"kode": rows["kode"].to_numpy(), "nama": rows["nama"].to_numpy(),
                        "lat": rows["lat"].to_numpy(), "lng": rows["lng"].to_numpy()})
    missing = out["lat"].isna().to_numpy()
    out["from_kecamatan"] = missing
    if missing.any():
        kec = t.iloc[[span(c[:8])[0] for c in out.loc[missing, "kode"]]]
        out.loc[missing, "lat"] = kec["lat"].to_numpy()
        out.loc[missing, "lng"] = kec["lng"].to_numpy()
    return out


def unknown(code: object) -> UnknownCode:
    """The UnknownCode for `code`, its message built from what is closest in the code list."""
    t = _table()
    text = code.strip() if isinstance(code, str) else str(code)
    label = repr(code) if isinstance(code, str) else f"{code!r} (a number: codes are text)"

    def named(c: str) -> str:
        row = t.iloc[span(c)[0]]
        return f"{c} {row['nama']} ({row['tingkat']})"

    def known(c: str) -> bool:
        lo, hi = span(c)
        return hi > lo

    repaired = [c for c in C.number_repairs(text) if known(c)]
    if not isinstance(code, str) and not repaired and known(text):
        repaired = [text]
    if repaired:
        return UnknownCode(code, f"unknown code {label}: did you mean {', '.join(map(named, repaired))}? "
                                 "A code read as a number loses its trailing zero (11.10 becomes 11.1): read codes as text")
    digits = C.dotted(text)
    if digits and known(digits):
        return UnknownCode(code, f"unknown code {label}: codes are written with dots; did you mean {named(digits)}?")
    if C.is_code(text):
        parents = [a for a in C.ancestors(text) if known(a)]
        if not parents:
            provinces = t["kode"][t["tingkat"] == "provinsi"]
            return UnknownCode(code, f"unknown code {label}: there is no province {text[:2]}; provinces are "
                                     f"{provinces.iloc[0]} to {provinces.iloc[-1]} (find one by name with `siaga scenarios find NAME`)")
        parent = parents[-1]
        lo, hi = span(parent)
        kids = t["kode"].iloc[lo + 1 : hi]
        kids = kids[kids.str.count(r"\.") == parent.count(".") + 1].tolist()
        if not kids:
            return UnknownCode(code, f"unknown code {label}: {named(parent)} has no units under it")
        wanted = int(text.split(".")[parent.count(".") + 1])
        near = sorted(kids, key=lambda k: abs(int(k.rsplit(".", 1)[1]) - wanted))[:3]
        return UnknownCode(code, f"unknown code {label}: {named(parent)} has {len(kids)} units directly under it, "
                                 f"{kids[0]} to {kids[-1]}; closest: {', '.join(map(named, near))}")
    query = names.fold(text)
    r = names.rank(query, *search_keys()) if query else None
    hint = ""
    if r is not None and (r < names.NO_MATCH).any():
        import numpy as np

        idx = np.lexsort((np.arange(len(r)), t["kode"].str.count(r"\.").to_numpy(), r))[: min(3, int((r < names.NO_MATCH).sum()))]
        hint = "; units named like it: " + ", ".join(named(t["kode"].iloc[i]) for i in idx)
    return UnknownCode(code, f"{label} is not a code in the 2025 list ({C.EXAMPLE}){hint}; "
                             "find a code by name with `siaga scenarios find NAME`")
