"""The app offers what the scenario schema allows: every lever's range and default, the seed and
day limits and the alert levels are read from `scenarios.schema`, never written again in the app."""

from __future__ import annotations

import typing
from dataclasses import fields

import ipyvuetify as v
import pytest
import solara

from scenarios.schema import KadesPolicy, OfficialsSpec, PolicySpec, PopulationSpec, Scenario
from siaga.app import explorer
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.inputs import InputError
from siaga.app.state import LEVER_PATHS, Levers, Settings, Sim, lever_range
from siaga.i18n import t

SECTIONS = {"policy": PolicySpec, "officials": OfficialsSpec, "population": PopulationSpec}
LABELS = {  # lever -> its label key in siaga/strings.toml
    "kades_delay": "response_delay", "mediation_strength": "mediation_strength", "police_delay": "police_delay",
    "polres_units": "polres_units", "backup_availability": "backup_availability", "counter_hoax_effect": "counter_hoax_effect",
    "neutrality": "neutrality", "supporter_share": "supporter_share", "hardship": "hardship", "threshold": "threshold",
    "initial_tension": "initial_tension",
}


def _field(path: str):
    """The pydantic field at `path`, found through the section classes (not the app's walker)."""
    section, *middle, name = path.split(".")
    model = SECTIONS[section]
    for part in middle:
        model = type(getattr(model(), part))
    return model.model_fields[name]


def _bounds(path: str) -> tuple:
    meta = {type(m).__name__: m for m in _field(path).metadata}
    return meta["Ge"].ge, meta["Le"].le


def _schema_default(path: str):
    section, *rest = path.split(".")
    value = SECTIONS[section]()
    for part in rest:
        value = getattr(value, part)
    return value


def test_every_lever_sets_a_schema_parameter_and_defaults_to_its_default():
    assert {f.name for f in fields(Levers)} == set(LEVER_PATHS)
    levers = Levers()
    for lever, path in LEVER_PATHS.items():
        assert getattr(levers, lever) == _schema_default(path), lever
        assert levers.overrides()[path.replace(".", "__")] == getattr(levers, lever)


def test_lever_ranges_are_the_schema_ranges():
    for lever in LABELS:
        assert lever_range(lever) == _bounds(LEVER_PATHS[lever]), lever
    delay = {type(m).__name__: m for m in KadesPolicy.model_fields["delay_days"].metadata}
    assert lever_range("kades_delay") == (delay["Ge"].ge, delay["Le"].le)


def test_the_settings_panel_offers_the_schema_ranges():
    explorer.settings_state.set(Settings())
    _box, rc = solara.render(explorer.SettingsPanel(), handle_error=False)
    sliders = {w.label.rsplit(":", 1)[0]: w for w in rc.find(v.Slider).widgets}
    texts = {w.label: w for w in rc.find(v.TextField).widgets}
    for lever, key in LABELS.items():
        lo, hi = _bounds(LEVER_PATHS[lever])
        label = t(key, "id")
        if label in sliders:
            assert (sliders[label].min, sliders[label].max) == (lo, hi), lever
            assert sliders[label].v_model == _schema_default(LEVER_PATHS[lever]), lever
        else:  # too wide to slide: typed, and checked against the same range
            assert hi - lo > explorer.SLIDER_MAX_STEPS, lever
            assert f"{label} ({lo}–{hi})" in texts, lever
    selects = [w for w in rc.find(v.Select).widgets if w.label == t("detection_level", "id")]
    assert [i if isinstance(i, str) else i["value"] for i in selects[0].items] == list(typing.get_args(KadesPolicy.model_fields["act_level"].annotation))
    rc.close()


def test_a_wide_lever_is_typed_and_checked_against_the_schema():
    explorer.settings_state.set(Settings())
    _box, rc = solara.render(explorer.SettingsPanel(), handle_error=False)
    lo, hi = _bounds("officials.polres_backup_units")
    field = rc.find(v.TextField, label=f"{t('polres_units', 'id')} ({lo}–{hi})").widget
    field.v_model = str(hi + 1)
    field.fire_event("focusout", None)
    assert explorer.settings_state.value.levers.polres_units == _schema_default("officials.polres_backup_units")
    assert any(str(hi) in e.children[0] for e in rc.find(v.Alert).widgets if e.children)
    field.v_model = "9"
    field.fire_event("focusout", None)
    assert explorer.settings_state.value.levers.polres_units == 9
    rc.close()
    explorer.settings_state.set(Settings())


@pytest.mark.parametrize("what", ["seed", "days"])
def test_seed_and_days_limits_are_the_schemas(what):
    meta = {type(m).__name__: m for m in Scenario.model_fields[what].metadata}
    lo, hi = meta["Ge"].ge, meta["Le"].le
    with pytest.raises(InputError, match=str(hi)):  # refused before any model is built
        Sim(Settings(**{f"{what}_text": str(hi + 1)}))
    with pytest.raises(InputError):
        Sim(Settings(**{f"{what}_text": str(lo - 1)}))


def test_the_workshop_seed_is_the_schemas_default():
    assert ExerciseSetup().seed == Scenario.model_fields["seed"].default
