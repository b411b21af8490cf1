"""Region codes as text: their shape, level and parents, with no data needed.

Codes are strings with fixed-width groups (`35`, `35.27`, `35.27.03`, `35.27.03.2001`), so string
order is code order and a unit's descendants are the codes that start with its code and a dot.
They must never pass through a number: `11.10` (Kabupaten Aceh Singkil) read as a float is 11.1.
"""

from __future__ import annotations

import re

LEVELS = ("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan")
"""The six values of `tingkat`, from the top."""
DEPTH = {"provinsi": 1, "kabupaten": 2, "kota": 2, "kecamatan": 3, "desa": 4, "kelurahan": 4}
"""Number of code groups of each level."""
CODE_RE = re.compile(r"\d{2}(?:\.\d{2}(?:\.\d{2}(?:\.\d{4})?)?)?")
CODE_PREFIX_RE = re.compile(r"\d{1,2}(?:\.\d{0,2}(?:\.\d{0,2}(?:\.\d{0,4})?)?)?")
EXAMPLE = "codes look like 35 (provinsi), 35.27 (kab/kota), 35.27.03 (kecamatan), 35.27.03.2001 (desa/kelurahan)"


def is_code(text: str) -> bool:
    """True if `text` has the shape of a code of some level (whether or not it exists)."""
    return CODE_RE.fullmatch(text) is not None


def is_code_prefix(text: str) -> bool:
    """True if `text` is the beginning of a code (`35.2`, `35.27.`), so it can select codes by prefix."""
    return CODE_PREFIX_RE.fullmatch(text) is not None


def depth(code: str) -> int:
    """1 for a province, 2 kab/kota, 3 kecamatan, 4 desa/kelurahan."""
    return code.count(".") + 1


def ancestors(code: str) -> list[str]:
    """The codes above `code`, from the province down (`35.27.03` -> ['35', '35.27'])."""
    parts = code.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def dotted(digits: str) -> str | None:
    """`3527` -> `35.27`: the dotted code for a string of 2, 4, 6 or 10 digits, else None."""
    if not digits.isdigit() or len(digits) not in (2, 4, 6, 10):
        return None
    groups = [digits[0:2], digits[2:4], digits[4:6], digits[6:10]]
    return ".".join(g for g in groups if g)


def number_repairs(text: str) -> list[str]:
    """Codes that `text` may have been before a spreadsheet or pandas read it as a number:
    `11.1` -> ['11.10'] (the trailing zero of a kab/kota code is lost), `31.0` -> ['31'] (a province
    code written as a float). The upstream area table had both (geography/data/README.md)."""
    out = []
    if re.fullmatch(r"\d{2}\.\d", text):
        out.append(text + "0")
    if re.fullmatch(r"\d{2}\.0+", text):
        out.append(text[:2])
    return out
