"""Matching place names the way people type them.

A name and a query are compared after folding both to lower-case ASCII letters and digits only, so
case, spaces and punctuation do not matter: "kota baru" finds Kabupaten Kotabaru, "raas" finds
Ra'as, "bau-bau" finds Kota Baubau. Kab/kota are also matched without their "Kabupaten"/"Kota"
prefix, so "sampang" is an exact match for Kabupaten Sampang. A match is ranked exact (0), prefix
(1) or substring (2); NO_MATCH (3) otherwise.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

EXACT, PREFIX, SUBSTRING, NO_MATCH = 0, 1, 2, 3
RANK_NAMES = {EXACT: "exact", PREFIX: "prefix", SUBSTRING: "contains"}
_NOT_ALNUM = re.compile(r"[^a-z0-9]")
LEVEL_WORDS = {
    "provinsi": ("provinsi",), "prov": ("provinsi",), "propinsi": ("provinsi",),
    "kabupaten": ("kabupaten",), "kab": ("kabupaten",),
    "kota": ("kota",),
    "kecamatan": ("kecamatan",), "kec": ("kecamatan",),
    "desa": ("desa",), "kelurahan": ("kelurahan",), "kel": ("kelurahan",),
}
"""A first word of a query that names a level ("kab sampang", "kec. sampang"): (levels it selects)."""


def fold(text: str) -> str:
    """Lower-case ASCII letters and digits only: the form in which names and queries are compared."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_ALNUM.sub("", ascii_text.lower())


def fold_many(names: pa.Array) -> pa.Array:
    """`fold` over a whole column at once (pyarrow compute; about 50 ms for 91,599 names)."""
    import pyarrow.compute as pc

    folded = pc.utf8_normalize(names, form="NFKD")
    folded = pc.utf8_lower(folded)
    return pc.replace_substring_regex(folded, pattern="[^a-z0-9]", replacement="")


def short_names(names: pa.Array, tingkat: pa.Array) -> pa.Array:
    """Folded names with the "kabupaten"/"kota" prefix removed from kab/kota (others unchanged)."""
    import pyarrow.compute as pc

    folded = fold_many(names)
    is_kab = pc.equal(tingkat, "kabupaten")
    is_kota = pc.equal(tingkat, "kota")
    no_kab = pc.replace_substring_regex(folded, pattern="^kabupaten(administrasi)?", replacement="")
    no_kota = pc.replace_substring_regex(folded, pattern="^kota(administrasi)?", replacement="")
    return pc.if_else(is_kab, no_kab, pc.if_else(is_kota, no_kota, folded))


def rank(query: str, full: pa.Array, short: pa.Array) -> np.ndarray:
    """For each name, EXACT, PREFIX, SUBSTRING or NO_MATCH for an already folded `query`, taking the
    better of the full name and the short name (without "Kabupaten"/"Kota")."""
    import numpy as np
    import pyarrow.compute as pc

    out = np.full(len(full), NO_MATCH, dtype=np.int8)
    if not query:
        return out
    contains = pc.match_substring(full, query).to_numpy(zero_copy_only=False)
    out[contains] = SUBSTRING
    prefix = pc.or_(pc.starts_with(full, query), pc.starts_with(short, query)).to_numpy(zero_copy_only=False)
    out[prefix] = PREFIX
    exact = pc.or_(pc.equal(full, query), pc.equal(short, query)).to_numpy(zero_copy_only=False)
    out[exact] = EXACT
    return out


def level_hint(query: str) -> tuple[tuple[str, ...], str] | None:
    """("kab sampang" -> (("kabupaten",), "sampang")): a leading level word and the rest, or None."""
    words = query.strip().split(None, 1)
    if len(words) == 2:
        levels = LEVEL_WORDS.get(words[0].lower().rstrip("."))
        if levels:
            return levels, words[1]
    return None
