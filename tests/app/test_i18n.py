"""Every label the app asks for exists in Bahasa Indonesia and English; the feed reads well."""

import re
from pathlib import Path

from siaga.app.readouts import EventRow
from siaga.event_text import describe_event, order_text
from siaga.i18n import STRINGS, t

APP = Path(__file__).resolve().parents[2] / "siaga" / "app"


def test_every_label_used_by_the_app_is_translated():
    used = set()
    for f in APP.glob("*.py"):
        used |= set(re.findall(r'\bt\(\s*"(\w+)",', f.read_text(encoding="utf-8")))
    assert used, "no labels found: the pattern is stale"
    # labels built from a prefix: every order and report source the app can show
    from agents.camat import ORDERS

    used |= {f"order_{k}" for k in ORDERS} | {"src_Kades", "src_Babinsa"}
    missing = sorted(k for k in used if k not in STRINGS)
    assert not missing
    for key, entry in STRINGS.items():
        assert entry.get("id") and entry.get("en"), key


def test_event_feed_sentences():
    row = EventRow(43, None, "campaign", "Kelilik", "17.08.04.2001", "hoax", "Paslon 02", 5, "hoaks/kampanye hitam")
    assert describe_event(row) == "Hari 43, Desa Kelilik: hoaks/kampanye hitam dari tim Paslon 02 menyebar (5 penerima pertama)…"
    inc = EventRow(87, None, "voting", "Pasar Ujung", "x", "incident", "Paslon 01 vs Paslon 02", 12, "bentrok pendukung")
    assert describe_event(inc, "id", {"x": True}).startswith("Hari 87, Kelurahan Pasar Ujung: INSIDEN: bentrok")  # by code
    assert describe_event(inc, "id", {"Pasar Ujung": True}).startswith("Hari 87, Desa Pasar Ujung")  # a name is no key
    assert describe_event(inc, "en").startswith("Day 87, Pasar Ujung (desa): INCIDENT")
    assert "level" not in describe_event(EventRow(3, None, "s", "X", "c", "report", "Kades -> Camat", 0, "level 2"))
    assert t("day_of", "en", day=3, total=9) == "Day 3 of 9"


def test_order_outcomes_are_translated():
    assert order_text("arrives day 81") == "tiba hari 81"
    assert order_text("not enough budget: patrol costs 10 person-days, 4 left", "en") == "not enough budget: costs 10 person-days, 4 left"
    assert order_text("something new") == "something new"


def test_a_kelurahan_report_comes_from_its_lurah_not_a_kades():
    from siaga.event_text import place, reporter

    for lang in ("id", "en"):
        assert reporter("Kades", True, lang) == "Lurah"
        assert reporter("Kades", False, lang) == "Kades"
        assert reporter("Babinsa", True, lang) == "Babinsa"
    assert f"{reporter('Kades', True, 'id')} {place('Pensiunan', True, 'id')}" == "Lurah Kelurahan Pensiunan"


def test_every_policy_preset_is_described_in_both_languages():
    """The explorer shows the chosen preset in plain words in the page's language, not the
    technical English line of scenarios/policies.py."""
    from scenarios.policies import DESCRIPTIONS, PRESETS
    from siaga.i18n import PRESET_TEXT, preset_text

    assert set(PRESETS) == set(PRESET_TEXT) == set(DESCRIPTIONS)
    for name in PRESETS:
        id_text, en_text = preset_text(name, "id"), preset_text(name, "en")
        assert id_text and en_text and id_text != en_text and id_text != DESCRIPTIONS[name]
    assert preset_text("no_such_preset", "id", "fallback") == "fallback"


def test_staggered_races_show_each_stage_with_its_number_of_races():
    """With kab/kota voting on different days the app names every race's stage, not the first's."""
    import datetime as dt

    from scenarios.synthetic import synthetic_scenario
    from siaga import SiagaModel
    from siaga.app.readouts import race_stages
    from siaga.i18n import stages_text

    data = synthetic_scenario(600, days=None)
    data.pop("days", None)
    data["region"]["synthetic"] = {"kecamatan": 3, "villages_per_kecamatan": 2, "people_per_village": 100, "kabupaten": 3}
    data["calendar"].update(races="kabupaten", stagger_days=7)
    data["calendar"]["end"] = dt.date.fromisoformat(str(data["calendar"]["end"])) + dt.timedelta(days=14)
    m = SiagaModel(data, seed=1)
    voting = int(m.calendar.voting_day)
    # the first race votes today, the second and third a week and two weeks later
    today = race_stages(m, voting)
    assert sum(n for *_, n in today) == 3 and len(today) >= 2
    assert today[-1][0] == m.calendar.stage_spec(voting, 0).name  # calendar order: the first race is furthest on
    text = stages_text(today, "id")
    assert text.endswith("(jumlah pemilihan)") and all(f"{label} {n}" in text for _, label, n in today)
    assert "(number of elections)" in stages_text(today, "en")
    # before anyone's campaign ends, all three stand at one stage: that stage alone, as before
    one = race_stages(m, 0)
    assert one == [(m.calendar.stage_spec(0).name, m.calendar.stage_spec(0).label or m.calendar.stage_spec(0).name, 3)]
    assert stages_text(one, "id") == stage_label_of(m, 0)
    # the charts mark every wave's voting day: the first labelled, the two later ones lighter
    from siaga.app.draw_charts import charts_svg
    from siaga.app.drawing import rows_of

    m.step()
    shares, incidents, _ = charts_svg(m, rows_of(m), "id")
    for svg in (shares, incidents):
        assert svg.count('class="voting-day"') == 1 and svg.count('class="voting-day-wave"') == 2
    assert "Hari pemungutan suara, gelombang 3" in shares


def stage_label_of(m, day: int) -> str:
    from siaga.i18n import stage_label

    s = m.calendar.stage_spec(day)
    return stage_label(s.name, s.label or s.name, "id")
