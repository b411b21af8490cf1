"""Every typed field of the explorer, the workshop set-up and the facilitator refuses bad values with
a message (Bahasa Indonesia, or English after the switch) and leaves the model as it was.
Rendered with `solara.render` (no browser); tests/app/test_browser.py types some of them in Chromium.
"""

import ipyvuetify as v
import pytest
import solara

from siaga.app import explorer, facilitator, registry, workshop
from siaga.app.exercise import ExerciseSetup
from siaga.app.inputs import InputError, parse_int, parse_name
from siaga.app.state import Settings
from siaga.app.ui_state import lang
from siaga.i18n import t

# what people type by mistake (or on purpose): each must be refused by a whole-number field
NOT_WHOLE = ["NaN", "abc", "1e308", "12.5", "inf", "١٢٣", "１２", "0x10", "1 2", "--3", "\u202e7", "_1"]
OUT_OF_RANGE = ["-5", "9" * 40, "1" * 5000]


def _alerts(rc) -> str:
    return " | ".join(str(w.children) for w in rc.find(v.Alert).widgets)


def _type(rc, label: str, text: str) -> None:
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("focusout", None)


def _click(rc, cls: str) -> None:
    rc.find(v.Btn, class_=cls).widget.click()


@pytest.fixture(params=["id", "en"])
def lg(request):
    lang.set(request.param)
    yield request.param
    lang.set("id")


def _refused_word(lg: str) -> str:
    return t("invalid", lg)


@pytest.mark.parametrize("text", NOT_WHOLE + OUT_OF_RANGE)
def test_parse_int_refuses(text):
    with pytest.raises(InputError) as exc:
        parse_int(text, "Seed", 0, 2**63 - 1)
    msg = str(exc.value)
    assert msg.startswith("Seed: ") and len(msg) < 120 and "\u202e" not in msg


@pytest.mark.parametrize("text,value", [("42", 42), (" 7 ", 7), ("+3", 3), ("1_000", 1000), ("", None)])
def test_parse_int_accepts(text, value):
    assert parse_int(text, "Seed", 0, 2**63 - 1, allow_empty=True) == value


def test_parse_name():
    assert parse_name("  Siti   Nurhaliza ", "Nama") == "Siti Nurhaliza"
    assert parse_name("Wayan Gede Ṣ 王", "Nama") == "Wayan Gede Ṣ 王"  # any script is a name
    for bad in ("x" * 61, "Budi\x07", "Ani\u202e"):
        with pytest.raises(InputError):
            parse_name(bad, "Nama")


@pytest.fixture
def fresh_explorer():
    explorer.sim_state.set(None)
    explorer.settings_state.set(Settings(days_text="30"))
    explorer.error_state.set(None)
    explorer.playing.set(False)
    yield
    explorer.sim_state.set(None)


def test_explorer_fields_refuse_bad_values_and_keep_the_model(fresh_explorer, lg):
    box, rc = solara.render(explorer.Explorer(), handle_error=False)
    sim = explorer.sim_state.value
    _click(rc, "siaga-step")
    assert sim.model.day == 1
    some = NOT_WHOLE if lg == "id" else NOT_WHOLE[:3]  # every kind once in Bahasa Indonesia; the English messages on a few
    for label, bad_values in ((t("seed", lg), some + ["-1", "9" * 40]), (t("days", lg), some + ["0", "-5", "3651", "1" * 5000])):
        for text in bad_values:
            _type(rc, label, text)
            alerts = _alerts(rc)
            assert label in alerts, (label, text, alerts)
            _click(rc, "siaga-apply")
            assert explorer.sim_state.value is sim and sim.model.day == 1, (label, text)
            assert (explorer.error_state.value or "").startswith(_refused_word(lg) + ": " + label), explorer.error_state.value
            explorer.error_state.set(None)
        _type(rc, label, "")  # empty: the scenario's own seed / calendar (allowed)
    _click(rc, "siaga-apply")
    assert explorer.sim_state.value is not sim and explorer.error_state.value is None
    assert sim.closed and sim.model is None  # the replaced model was let go at once
    rc.close()


def _ws_fields(lg):
    return {
        t("seed", lg): NOT_WHOLE + ["-1", "", "9" * 40],
        t("ws_start_day", lg): ["abc", "NaN", "-1", "", "1e308", "100000"],
        t("ws_length", lg): ["abc", "0", "-3", "", "121", "2.5"],
        t("ws_budget", lg): ["abc", "NaN", "-10", "", "1e308", "10001", "12,5"],
    }


def test_workshop_setup_refuses_bad_values(lg):
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    good = {t("seed", lg): "1", t("ws_start_day", lg): "20", t("ws_length", lg): "3", t("ws_budget", lg): "50"}
    for label, bad_values in _ws_fields(lg).items():
        for text in bad_values:
            _type(rc, label, text)
            _click(rc, "siaga-ws-start-button")
            assert workshop.exercise_state.value is None, (label, text)
            alerts = _alerts(rc)
            assert _refused_word(lg) in alerts and label in alerts, (label, text, alerts)
        _type(rc, label, good[label])
    for name in ("x" * 61, "Budi\x07"):
        _type(rc, t("ws_name", lg), name)
        _click(rc, "siaga-ws-start-button")
        assert workshop.exercise_state.value is None and t("ws_name", lg) in _alerts(rc)
    _type(rc, t("ws_name", lg), "Dewi")
    for code in ("abc", "ÄÖÜ123", "AAAAAAA", "O0I1LL", "NaN", "ABCDEF"):  # bad form, or well formed and unknown
        _type(rc, t("ws_code", lg), code)
        _click(rc, "siaga-ws-start-button")
        assert workshop.exercise_state.value is None, code
        assert _refused_word(lg) in _alerts(rc) and code in _alerts(rc), (code, _alerts(rc))
    rc.close()


def test_facilitator_refuses_bad_values(lg):
    facilitator.fac_code.set(None)
    n_sessions = len(registry._sessions)
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    for label, bad_values in _ws_fields(lg).items():
        for text in bad_values:
            _type(rc, label, text)
            _click(rc, "siaga-fac-create")
            assert facilitator.fac_code.value is None and len(registry._sessions) == n_sessions, (label, text)
            assert label in _alerts(rc), (label, text, _alerts(rc))
        _type(rc, label, {t("seed", lg): "1", t("ws_start_day", lg): "20", t("ws_length", lg): "3", t("ws_budget", lg): "50"}[label])
    for code in ("", "abc", "ZZZZZZ", "\u202eABC"):
        _type(rc, t("fac_open", lg), code)
        _click(rc, "siaga-fac-open")
        assert facilitator.fac_code.value is None and _refused_word(lg) in _alerts(rc)
    _click(rc, "siaga-fac-create")  # the good values are taken
    assert facilitator.fac_code.value is not None and registry.get(facilitator.fac_code.value).setup == ExerciseSetup(
        seed=1, start_day=20, length=3, budget=50.0)
    rc.close()
    facilitator.fac_code.set(None)
