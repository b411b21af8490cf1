"""Results an analyst can read in the explorer (issue 14): dates on the time axis, a labelled voting
day, whole numbers of officers, a "worst so far" map, a filterable feed, readable scenario names.
Rendered as text or with solara.render: no browser."""

import re

import ipyvuetify as v
import numpy as np
import pytest
import solara
import solara.widgets

from siaga.app import explorer
from siaga.app.drawing import charts_svg, lines_svg, map_svg, rows_of, wrap_label
from siaga.app.readouts import FEED_GROUPS, recent_events
from siaga.app.scenario_picker import scenario_items, scenario_label
from siaga.app.state import Settings, Sim
from siaga.i18n import t


@pytest.fixture(scope="module")
def sim():
    s = Sim(Settings(days_text="60"))
    s.step(60)
    yield s
    s.close()


def test_the_time_axis_shows_dates_not_day_numbers(sim):
    shares, incidents, resources = charts_svg(sim.model, rows_of(sim.model), "id")
    for svg in (shares, incidents, resources):
        ticks = re.findall(r'class="axis-date" data-day="(\d+)">([^<]*)<', svg)
        assert ticks, "no dates on the axis"
        for day, text in ticks:
            d = sim.model.calendar.date(int(day))
            assert text.startswith(f"{d.day} ") and re.search(r"[A-Za-z]{3}", text), text
    assert "1 Sep 2024" in shares and "1 Okt" in shares  # the year on the first tick, Indonesian months
    assert "1 Oct" in charts_svg(sim.model, rows_of(sim.model), "en")[0]


def test_stage_labels_are_whole_words_and_the_voting_day_is_labelled():
    s = Sim(Settings())  # the whole calendar: the voting day falls inside it
    for lg, vote in (("id", "Hari pemungutan suara"), ("en", "Voting day")):
        shares = charts_svg(s.model, rows_of(s.model), lg)[0]
        assert f'class="voting-day-label">{vote}</text>' in shares
        words = {w for name, label, _a, _b in s.model.calendar.spans() for w in label.split()}
        for text in re.findall(r"<tspan[^>]*>([^<]*)</tspan>", shares):
            if lg == "id":
                assert all(w in words or w in {"Data", "pemilih", "Pencalonan", "Kampanye", "Tenang", "Rekapitulasi", "Hasil", "Sengketa", "MK"}
                           for w in text.split()), text
        assert "Pemutakhiran dat<" not in shares
    s.close()
    assert wrap_label("Pemutakhiran data pemilih", 14) == ["Pemutakhiran", "data pemilih"]
    assert wrap_label("Pemutakhiran data pemilih", 5) is None  # never cut inside a word


def test_officers_are_whole_numbers_in_the_legend():
    days = np.arange(3)
    svg = lines_svg(days, {"polisi hadir": (np.array([1.0, 2.5, 239.5]), "#1565c0")}, 10, [], 99, "x")
    assert "polisi hadir 240" in svg and "239.5" not in svg


def test_the_worst_so_far_map_shows_villages_that_had_incidents():
    s = Sim(Settings(days_text="200"))
    s.step(200)
    m = s.model
    assert len(m.incidents) > 0
    today = map_svg(m, lang="id")
    worst = map_svg(m, lang="id", cumulative=True)
    hit = np.flatnonzero(m.villages.incidents > 0)
    assert np.all(m.villages.worst_alert[hit] > 0)  # a village with an incident was above AMAN at some point
    for vil in hit.tolist():
        tag = re.search(rf'data-village="{vil}" class="village level-(\w+)', worst)
        assert tag and tag.group(1) != "AMAN", vil
    assert worst.count('class="incident-ring"') == len(hit) >= today.count('class="incident-ring"')
    assert t("map_incidents_total", "id") in worst and "cumulative" in worst
    non_aman = len(re.findall(r'class="village level-(?!AMAN)', worst))
    assert non_aman >= len(hit)
    s.close()


def test_the_feed_filters_by_kind():
    # through voting day: a calm campaign brings no Kades report now that readings are calibrated (docs/WARNINGS.md)
    sim = Sim(Settings(days_text="100"))
    sim.step(100)
    m = sim.model
    reports = sim.recent_events(None, 10_000, groups=("reports",))
    assert reports and {r.kind for r in reports} <= set(FEED_GROUPS["reports"])
    actions = sim.recent_events(None, 10_000, groups=("actions", "incidents"))
    assert {r.kind for r in actions} <= set(FEED_GROUPS["actions"]) | {"incident"}
    assert sim.recent_events(None, 10_000, groups=()) == []
    every = recent_events(m, None, 10_000)
    assert len(every) == sum(len(sim.recent_events(None, 10_000, groups=(g,))) for g in FEED_GROUPS)
    sim.close()


def test_the_picker_shows_readable_names_grouped_by_region():
    items = scenario_items("id")
    headers = [i["header"] for i in items if "header" in i]
    assert "Kecamatan Kepahiang" in headers and len(headers) == len(set(headers))
    texts = {i["value"]: i["text"] for i in items if "value" in i}
    assert texts["kepahiang_pilkada2024_joint"] == "Kecamatan Kepahiang — Pilkada 2024 — kebijakan: joint"
    assert scenario_label("kepahiang_pilkada2024_joint", "en") == "Kecamatan Kepahiang — Pilkada 2024 — policy: joint"
    assert len(set(texts.values())) == len(texts)  # no two entries read the same
    # each entry sits under its region's header
    region = None
    for i in items:
        if "header" in i:
            region = i["header"]
        elif i["value"] in texts and not i["value"].startswith("sintetis"):
            assert i["text"].startswith(region), (region, i)


def test_the_explorer_shows_cost_map_toggle_and_feed_filter():
    explorer.sim_state.set(None)
    explorer.settings_state.set(Settings(days_text="40"))
    explorer.map_cumulative.set(False)
    explorer.feed_groups.set(tuple(FEED_GROUPS))
    _box, rc = solara.render(explorer.Explorer(), handle_error=False)
    sim = explorer.sim_state.value
    sim.step(40)
    explorer.tick.set(explorer.tick.value + 1)
    texts = " ".join(str(getattr(w, "children", "")) for w in rc.find(v.Html).widgets)
    assert "Biaya kebijakan sejauh ini" in texts and "orang-hari" in texts
    picker = rc.find(v.Select, class_="siaga-scenario").widget
    assert any(isinstance(i, dict) and i.get("text", "").startswith("Kecamatan Kepahiang — Pilkada 2024") for i in picker.items)
    rc.find(v.Switch, class_="siaga-map-worst").widget.v_model = True
    assert explorer.map_cumulative.value is True
    assert "cumulative" in " ".join(w.svg for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "svg"))
    box = rc.find(v.Checkbox, class_="siaga-feed-reports").widget
    box.v_model = False
    assert "reports" not in explorer.feed_groups.value
    sim.close()
    explorer.sim_state.set(None)
    rc.close()
