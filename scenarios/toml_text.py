"""Writing scenario values as TOML text, for the generators (`scenarios.new`, `scenarios.build_library`).

Scenario files are written as text, not dumped from a dict, so that each value can carry a comment
saying where it comes from. This module only turns single values into TOML; the files' layout is
the generators'.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any


def toml_str(s: str) -> str:
    """A basic TOML string: quotes, backslashes and control characters escaped."""
    out = []
    for ch in s:
        if ch in ('"', "\\"):
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def fmt(value: Any) -> str:
    """One value as TOML: booleans, strings, dates, numbers and lists of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return toml_str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} cannot be written to a scenario file")
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(fmt(v) for v in value) + "]"
    return repr(value)


def fmt_area(km2: float) -> str:
    """An area in km² to 0.001 km² (1,000 m²), or two significant digits for a smaller one, so
    that a tiny village never rounds to 0 (the schema wants an area above 0)."""
    rounded = round(float(km2), 3)
    if rounded == 0.0:
        rounded = float(f"{float(km2):.2g}")
    return repr(rounded)
