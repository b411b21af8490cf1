"""What a person types into the app, checked: whole numbers within their range and names. A value
that cannot be used raises `InputError` with a message for the page (in its language) instead of
reaching the model; the value is quoted safely (one line, printable, shortened)."""

from __future__ import annotations

import re

from siaga.i18n import t


class InputError(ValueError):
    """A value typed into a control that cannot be used; the message is shown on the page."""


_WHOLE = re.compile(r"[+-]?[0-9]+")


SHOWN_CHARS = 40  # a refused value is quoted up to this many characters


def shown(text: str) -> str:
    """A typed value as quoted in a message: one line, at most SHOWN_CHARS characters."""
    one_line = "".join(ch if ch.isprintable() else "\ufffd" for ch in " ".join(str(text).split()))
    return one_line if len(one_line) <= SHOWN_CHARS else one_line[: SHOWN_CHARS - 1] + "…"


def parse_int(text: str | int | None, field_label: str, lo: int, hi: int, lang: str = "id", allow_empty: bool = False) -> int | None:
    """A whole number typed into a text field, within [lo, hi]; otherwise InputError.

    Only the ASCII digits 0-9 (with an optional sign and `_` between digit groups) are a number:
    "1e3", "12.0", "NaN", "inf", fullwidth or Arabic-Indic digits are refused, as are values
    outside [lo, hi]. Control characters in a refused value are shown as U+FFFD."""
    if text is None or (isinstance(text, str) and not text.strip()):
        if allow_empty:
            return None
        raise InputError(t("not_whole", lang, field=field_label, value=""))
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise InputError(t("not_whole", lang, field=field_label, value=shown(text)))
    if isinstance(text, int):
        value = text
    else:
        raw = text.strip()
        digits = raw.replace("_", "") if "__" not in raw and not raw.startswith("_") and not raw.endswith("_") else raw
        if not _WHOLE.fullmatch(digits):
            raise InputError(t("not_whole", lang, field=field_label, value=shown(text)))
        if len(digits) > 30:  # a whole number, far out of any range (and int() of it is slow)
            raise InputError(t("out_of_range", lang, field=field_label, value=shown(digits), lo=lo, hi=hi))
        value = int(digits)
    if not lo <= value <= hi:
        raise InputError(t("out_of_range", lang, field=field_label, value=shown(str(value)), lo=lo, hi=hi))
    return value


NAME_MAX = 60


def parse_name(text: str | None, field_label: str, lang: str = "id", max_len: int = NAME_MAX) -> str:
    """A person's name as typed: any script, trimmed; no control characters, at most `max_len`."""
    name = " ".join((text or "").split())
    if any(not ch.isprintable() for ch in name):
        raise InputError(t("bad_chars", lang, field=field_label))
    if len(name) > max_len:
        raise InputError(t("too_long", lang, field=field_label, n=len(name), max=max_len))
    return name
