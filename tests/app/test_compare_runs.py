"""The explorer compares this run with the previous one (issue 14). Rendered as text or with
solara.render: no browser."""

import re

import ipyvuetify as v
import pytest
import solara

from siaga.app import explorer
from siaga.app.compare_runs import comparison_chart, comparison_table, same_day_line
from siaga.app.state import Settings, Sim


@pytest.fixture(scope="module")
def two_runs():
    a = Sim(Settings(days_text="60", preset="none", seed_text="3"))
    a.step(60)
    b = Sim(Settings(days_text="60", preset="joint", seed_text="3"))
    b.step(45)
    yield a, b
    a.close()
    b.close()


def test_a_summary_holds_the_runs_totals(two_runs):
    a, b = two_runs
    s = a.summary()
    m = a.model
    assert s.day == 60 and len(s.cumulative_incidents) == 60
    assert s.incidents == len(m.tally.incidents) == int(s.cumulative_incidents[-1])
    assert s.participants == sum(i["size"] for i in m.tally.incidents)
    assert s.cost == pytest.approx(a.cost_so_far())
    assert b.summary().preset == "joint" and b.summary().day == 45
    assert s.cost == 0  # "none" does no proactive work


def test_the_table_sets_both_runs_side_by_side_with_the_difference(two_runs):
    a, b = two_runs
    now, prev = b.summary(), a.summary()
    html = comparison_table(now, prev, "id")
    assert "Run ini" in html and "Run sebelumnya" in html
    assert "kebijakan: joint" in html and "kebijakan: none" in html and "nomor acak 3" in html
    days_row = re.search(r"<tr class='cmp-day'><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", html)
    assert days_row.groups() == ("45", "60", "-15")
    inc_row = re.search(r"<tr class='cmp-incidents'><td>[^<]*</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td>", html)
    diff = now.incidents - prev.incidents
    assert inc_row.groups() == (str(now.incidents), str(prev.incidents), f"{'+' if diff > 0 else ''}{diff}")
    assert re.search(r"<tr class='cmp-cost'><td>[^<]*</td><td>[^<]*</td><td>0</td>", html)
    assert "Policy cost" in comparison_table(now, prev, "en")


def test_the_chart_draws_each_run_up_to_the_day_it_reached(two_runs):
    a, b = two_runs
    now, prev = b.summary(), a.summary()
    svg = comparison_chart(now, prev, b.model, "id")
    lines = re.findall(r'<polyline points="([^"]*)"', svg)
    assert [len(p.split()) for p in lines] == [45, 60]
    assert "Insiden kumulatif" in svg
    line = same_day_line(now, prev, "id")
    assert line.startswith("Pada hari 45:")
    assert f"run sebelumnya {int(prev.cumulative_incidents[44])} insiden" in line


def test_rebuilding_keeps_the_old_run_to_compare_with():
    explorer.sim_state.set(None)
    explorer.previous_run.set(None)
    explorer.settings_state.set(Settings(days_text="30"))
    _box, rc = solara.render(explorer.Explorer(), handle_error=False)
    texts = lambda: " ".join(str(getattr(w, "children", "")) for w in rc.find(v.Html).widgets)  # noqa: E731
    assert "Ubah pengaturan atau tekan Ulang" in texts()  # nothing to compare with yet
    first = explorer.sim_state.value
    first.step(30)
    explorer.build(Settings(days_text="30", preset="joint"))
    assert first.closed and explorer.previous_run.value.day == 30
    explorer.sim_state.value.step(10)
    explorer.tick.set(explorer.tick.value + 1)
    assert "Dibandingkan dengan run sebelumnya" in texts() and "Pada hari 10:" in texts()
    rc.find(v.Btn, class_="siaga-compare-forget").widget.click()
    assert explorer.previous_run.value is None
    # a run that never stepped is not worth keeping: the last run that did stays the one compared with
    explorer.build(Settings(days_text="30"))
    assert explorer.previous_run.value.preset == "joint"
    explorer.build(Settings(days_text="30", seed_text="5"))
    assert explorer.previous_run.value.preset == "joint" and explorer.previous_run.value.day == 10
    explorer.sim_state.value.close()
    explorer.sim_state.set(None)
    rc.close()
