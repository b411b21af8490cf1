"""The app's words in Bahasa Indonesia (default) and English: one table, `t(key, lang)`.

The words themselves live in siaga/strings.toml (a translator edits that file, not code).

A missing key falls back to Indonesian, then to the key itself, so a forgotten translation shows
up as a visible key rather than an error. Turning the model's own texts (event-log rows, order
outcomes) into sentences is siaga/event_text.py.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

LANGS = ("id", "en")
DEFAULT_LANG = "id"

_TABLES = tomllib.loads((Path(__file__).with_name("strings.toml")).read_text(encoding="utf-8"))
STRINGS: dict[str, dict[str, str]] = _TABLES["strings"]
STAGE_EN: dict[str, str] = _TABLES["stage_en"]
# short stage names for a narrow band of a chart (the full name stays in the band's tooltip)
STAGE_SHORT: dict[str, dict[str, str]] = _TABLES["stage_short"]
# the policy presets in plain words (scenarios/policies.py DESCRIPTIONS is the English, technical list)
PRESET_TEXT: dict[str, dict[str, str]] = _TABLES["preset_text"]


def stage_short(name: str, full: str, lang: str = DEFAULT_LANG) -> str:
    """A stage's short name; a stage without one: its first word."""
    entry = STAGE_SHORT.get(name)
    if entry:
        return entry.get(lang, entry[DEFAULT_LANG])
    return full.split()[0] if full.split() else full


def preset_text(name: str, lang: str, fallback: str = "") -> str:
    """A policy preset in plain words, in the page's language (the technical line if unknown)."""
    entry = PRESET_TEXT.get(name)
    return fallback if entry is None else entry.get(lang) or entry[DEFAULT_LANG]


def t(key: str, lang: str = DEFAULT_LANG, **fmt: Any) -> str:
    entry = STRINGS.get(key)
    text = key if entry is None else entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def stage_label(name: str, label: str, lang: str) -> str:
    return STAGE_EN.get(name, label) if lang == "en" else label


def stages_text(stages: list[tuple[str, str, int]], lang: str) -> str:
    """Today's stage; where staggered races stand at different stages, each with its number of
    races ("Kampanye 3, Masa tenang 2 (jumlah pemilihan)")."""
    if len(stages) == 1:
        return stage_label(stages[0][0], stages[0][1], lang)
    listed = ", ".join(f"{stage_label(name, label, lang)} {n}" for name, label, n in stages)
    return t("stages_by_race", lang, stages=listed)
