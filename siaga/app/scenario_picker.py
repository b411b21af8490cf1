"""The scenarios the app offers: the library's, files given to `siaga ui --scenario`, and generated
regions; each shown by region, election and policy read from the file's head without building it,
and turned into what the model is built from (`scenario_source`)."""

from __future__ import annotations

import functools
import os
import tomllib
from pathlib import Path
from typing import Any

from scenarios import library_names
from scenarios.files import library_dir
from siaga.app.inputs import InputError
from siaga.i18n import t

SYNTHETIC = {"sintetis_100rb": 100_000}  # generated regions offered in the picker (name -> villagers)


EXTRA_SCENARIOS_ENV = "SIAGA_APP_SCENARIOS"  # scenario files added by `siaga ui --scenario FILE` (os.pathsep-separated)


def extra_scenarios() -> dict[str, str]:
    """Scenario files given to `siaga ui --scenario`: picker name (file stem) -> path."""
    paths = [p for p in os.environ.get(EXTRA_SCENARIOS_ENV, "").split(os.pathsep) if p]
    return {Path(p).stem: p for p in paths}


def scenario_choices() -> list[str]:
    return [*library_names(), *extra_scenarios(), *SYNTHETIC]


@functools.lru_cache(maxsize=128)
def _scenario_head(path: str) -> tuple[str, str]:
    """(name, policy presets) written at the top of a scenario file, without building it; a file
    that `extends` another and sets no name or policy takes its parent's."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError):
        return "", ""
    name = str(data.get("name", "") or "")
    presets = data.get("policy", {}).get("presets") if isinstance(data.get("policy"), dict) else None
    policy = "+".join(str(p) for p in presets) if isinstance(presets, list) else ""
    parent = data.get("extends")
    if parent and (not name or not policy):
        parent_path = library_dir() / f"{parent}.toml"
        pname, ppolicy = _scenario_head(str(parent_path)) if parent_path.is_file() else ("", "")
        name, policy = name or pname, policy or ppolicy
    return name, policy


def scenario_info(name: str) -> tuple[str, str, str]:
    """(region, election, policy preset) of a picker entry, read from the scenario file's `name`
    ("Kecamatan Kepahiang, Pilkada 2024 — joint") and `[policy] presets`; the raw name when the
    file gives none."""
    if name in SYNTHETIC:
        return "", f"{SYNTHETIC[name]:,} warga", "none"
    path = extra_scenarios().get(name) or str(library_dir() / f"{name}.toml")
    title, policy = _scenario_head(path)
    title = title.split(" — ")[0].strip() if title else name
    region, _, election = title.partition(", ")
    return region.strip(), election.strip(), policy


def scenario_label(name: str, lang: str = "id") -> str:
    """A picker entry as people read it: "Kecamatan Kepahiang — Pilkada 2024 — kebijakan: joint"."""
    if name in SYNTHETIC:
        return f"{t('picker_generated', lang)} — {t('picker_villagers', lang, n=SYNTHETIC[name])}"
    region, election, policy = scenario_info(name)
    parts = [p for p in (region, election) if p]
    policy_text = f"{t('policy_word', lang)}: {policy or t('policy_default', lang)}"
    title = _scenario_head(extra_scenarios().get(name) or str(library_dir() / f"{name}.toml"))[0]
    if title and " — " not in title:  # the region's own scenario, not a policy variant of it
        policy_text += f" ({t('picker_base', lang)})"
    return " — ".join([*parts, policy_text]) if parts else name


def scenario_items(lang: str = "id") -> list[dict[str, Any]]:
    """The picker's items, grouped under a header per region (library regions in the order of
    their names, then added files, then generated regions); each item is {"text", "value"}."""
    extra = extra_scenarios()
    groups: dict[str, list[str]] = {}
    for name in library_names():
        region = scenario_info(name)[0] or name
        groups.setdefault(region, []).append(name)
    items: list[dict[str, Any]] = []
    for region in sorted(groups):
        items.append({"header": region})
        # the scenario's own policy first, then the variants in file order
        for name in sorted(groups[region], key=lambda n: (n.count("_") > min(m.count("_") for m in groups[region]), n)):
            items.append({"text": scenario_label(name, lang), "value": name})
    if extra:
        items.append({"header": t("picker_extra", lang)})
        items += [{"text": f"{scenario_label(name, lang)} ({name})", "value": name} for name in extra]
    items.append({"header": t("picker_generated", lang)})
    items += [{"text": scenario_label(name, lang), "value": name} for name in SYNTHETIC]
    return items


def scenario_source(name: str) -> Any:
    if name in SYNTHETIC:
        from scenarios.synthetic import synthetic_scenario

        return synthetic_scenario(SYNTHETIC[name])
    extra = extra_scenarios()
    if name in extra:
        return extra[name]
    if name not in library_names():
        raise InputError(f"unknown scenario {name!r}; choose one of {', '.join(scenario_choices())}")
    return name
