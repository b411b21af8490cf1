"""Exercise files (scenarios/exercise_schema.py) and their injects (simulation/injects.py): the shipped
exercises validate and cite their sources, a wrong file is refused with the file, the line, the
field and what is allowed, injects act in the model on their day and the same file gives the same
run, and the trainee's desk counts days one way (siaga/app/exercise_setup.py)."""

from __future__ import annotations

import numpy as np
import pytest

from scenarios.exercise_schema import ExerciseError, exercise_names, exercises_dir, get_exercise, load_exercise
from siaga.app.exercise import Exercise, check_objectives
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.readouts import EventRow
from siaga.cli import main
from siaga.event_text import describe_event
from simulation.injects import InjectError

GOOD = """\
title = { id = "Uji", en = "Test" }
scenario = "kepahiang_pilkada2024"
seed = 7
budget = 50

[window]
start_day = 30
days = 4

[briefing]
id = "Pengarahan."
en = "Briefing."

[[objectives]]
kind = "no_incident"
village = "Kelilik"

[[objectives]]
kind = "respond_within"
level = "SIAGA"
days = 1

[[injects]]
day = 31
village = "Kelilik"
kind = "hoax"
spreaders = 200
message = { id = "Hoaks di Kelilik.", en = "A hoax in Kelilik." }

[[injects]]
day = 32
village = "17.08.04.1003"
kind = "provocation"
reach = 0.9
message = { id = "Provokasi.", en = "A provocation." }

[[injects]]
day = 32
village = "Tebat Monok"
kind = "rally"
camp = 2
message = { id = "Konvoi.", en = "A convoy." }

[[injects]]
day = 33
village = "Permu"
kind = "report"
level = "AWAS"
message = { id = "Laporan AWAS.", en = "An AWAS report." }
"""


def _write(tmp_path, text: str, name: str = "ex.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- the shipped exercises ------------------------------------------------------------------------

def test_three_ready_exercises_ship_and_validate():
    names = exercise_names()
    assert {"hoaks_ulama_ditangkap", "konvoi_dihadang", "quick_count_membingungkan"} <= set(names)
    for name in names:
        ex = get_exercise(name)
        s = ex.spec
        assert s.title.id and s.title.en and s.briefing.id and s.briefing.en and s.objectives and s.injects
        assert all(i.message.id and i.message.en for i in s.injects)


@pytest.mark.parametrize("name", exercise_names())
def test_each_ready_exercise_cites_its_documented_source(name):
    text = (exercises_dir() / f"{name}.toml").read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    assert "DOMAIN.md §6.4" in comments and "https://" in comments, f"{name}: no source cited in a comment"
    assert get_exercise(name).spec.based_on


def test_exercise_files_are_shipped_with_the_package():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "scenarios.exercises" in setuptools["packages"]
    assert "*.toml" in setuptools["package-data"]["scenarios.exercises"]


def test_villages_of_an_exercise_are_the_models_villages():
    ex = get_exercise("konvoi_dihadang")
    m = ExerciseSetup.from_exercise("konvoi_dihadang").model()
    for inj in ex.spec.injects:
        assert m.region.names[ex.village(inj.village)] == inj.village or m.region.codes[ex.village(inj.village)] == inj.village
    assert len(m.injects) == len(ex.spec.injects)


# -- refusals name the file, the line, the field and what is allowed ---------------------------------

@pytest.mark.parametrize("old,new,expected", [
    ("budget = 50", "budgett = 50", ["field `budgett` (line 4)", "did you mean `budget`?"]),
    ("budget = 50", "budget = -1", ["field `budget` (line 4)", "got -1", "≥ 0"]),
    ("seed = 7", "seed = true", ["field `seed`", "not true or false"]),
    ("seed = 7", 'seed = "tujuh"', ["field `seed` (line 3)", "whole number"]),
    ("days = 4", "days = 400", ["field `window.days`", "≤ 120"]),
    ('village = "Kelilik"\nkind = "hoax"', 'village = "Kelilk"\nkind = "hoax"', ["injects.0.village", "did you mean 'Kelilik'?"]),
    ("day = 31", "day = 60", ["field `injects.0.day`", "inside the window, 30–33"]),
    ("camp = 2", "camp = 5", ["injects.2.camp", "1–2 (the scenario's candidate pairs)"]),
    ("spreaders = 200", "spreaders = 200\ncamp = 1", ["`camp` is not used by inject kind 'hoax'"]),
    ('kind = "hoax"', 'kind = "rumour"', ["injects.0.kind", "'hoax'"]),
    ('scenario = "kepahiang_pilkada2024"', 'scenario = "kepahiang_2024"', ["field `scenario`", "not found"]),
    ('scenario = "kepahiang_pilkada2024"', 'scenario = "/etc/passwd.toml"', ["field `scenario`"]),
    ("start_day = 30", "start_day = 179", ["field `window.days`", "at most 1 days"]),
])
def test_a_wrong_file_is_refused_with_file_line_field_and_what_is_allowed(tmp_path, old, new, expected):
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(ExerciseError) as exc:
        load_exercise(path)
    msg = str(exc.value)
    assert str(path) in msg.splitlines()[0]
    assert "Traceback" not in msg
    for part in expected:
        assert part in msg, f"{part!r} not in {msg!r}"


def test_not_toml_and_not_a_file_are_refused(tmp_path):
    with pytest.raises(ExerciseError, match="not valid TOML"):
        load_exercise(_write(tmp_path, "title = ["))
    with pytest.raises(ExerciseError, match="no such file"):
        load_exercise(tmp_path / "missing.toml")
    with pytest.raises(ExerciseError, match="not found"):
        get_exercise("no_such_exercise")


def test_cli_checks_a_file(tmp_path, capsys):
    assert main(["exercise", "check", str(_write(tmp_path, GOOD))]) == 0
    assert "valid" in capsys.readouterr().out
    assert main(["exercise", "check", str(_write(tmp_path, GOOD.replace("budget = 50", "budget = -1"), "bad.toml"))]) == 2
    err = capsys.readouterr().err
    assert "bad.toml: field `budget` (line 4)" in err and "Traceback" not in err
    assert main(["exercise", "list"]) == 0
    assert "konvoi_dihadang" in capsys.readouterr().out


# -- injects act in the model, on their day, the same way every time ---------------------------------

def _run(setup: ExerciseSetup, days: int | None = None):
    m = setup.model()
    m.run(days)
    return m


def test_injects_act_in_the_model_on_their_day(tmp_path):
    setup = ExerciseSetup.from_exercise(str(_write(tmp_path, GOOD)))
    m = _run(setup)
    ev = m.event_frame()
    kelilik, pensiunan, tebat, permu = (m.region.names.index(n) for n in ("Kelilik", "Pensiunan", "Tebat Monok", "Permu"))
    hoax = ev[(ev.day == 31) & (ev.kind == "hoax") & (ev.village == "Kelilik")]
    assert len(hoax) == 1 and 0 < hoax["size"].iloc[0] <= 200  # those who had not heard one yet start spreading
    prov = ev[(ev.day == 32) & (ev.kind == "provocation") & (ev.village == "Pensiunan")]
    assert len(prov) >= 1 and prov["size"].max() > 0.8 * m.region.population[pensiunan]
    assert ((ev.day == 32) & (ev.kind == "rally") & (ev.village == "Tebat Monok")).any()
    camat = m.camat_of(permu)
    assert any(arrival == 33 and v == permu for arrival, _sent, v, _lvl, _src in camat.received)
    # and they changed the villages they hit: without them the same seed is calmer there
    plain = _run(ExerciseSetup(setup.scenario, setup.seed, setup.start_day, setup.length, setup.budget))
    assert m.tally.hoax_injections > plain.tally.hoax_injections
    assert m.people.tension[m.people_in(pensiunan)].mean() != pytest.approx(plain.people.tension[plain.people_in(pensiunan)].mean())
    assert kelilik != tebat


def test_same_file_and_seed_give_the_same_run(tmp_path):
    setup = ExerciseSetup.from_exercise(str(_write(tmp_path, GOOD)))
    a, b = _run(setup), _run(setup)
    assert a.events.rows == b.events.rows
    assert np.array_equal(a.people.tension, b.people.tension)
    assert a.outcomes() == b.outcomes() or a.outcomes().keys() == b.outcomes().keys() and all(
        (x == y) or (x != x and y != y) for x, y in zip(a.outcomes().values(), b.outcomes().values()))


def test_an_unknown_inject_is_refused():
    m = ExerciseSetup(start_day=1, length=1).model()
    with pytest.raises(InjectError):
        m.inject("earthquake", 0)
    m.inject("hoax", 999)  # scheduled for the next day; refused when it would act
    with pytest.raises(InjectError, match="village 999 out of range"):
        m.step()
    ok = ExerciseSetup(start_day=1, length=1).model()
    ok.step()
    with pytest.raises(ValueError, match="already run"):
        ok.inject("hoax", 0, day=0)


# -- the trainee's desk: one day convention, every report, messages on their day ----------------------

def test_the_desk_opens_on_the_start_day_and_counts_each_evening_once():
    ex = Exercise(ExerciseSetup(start_day=20, length=3))
    seen = []
    while not ex.finished:
        seen.append((ex.today, ex.exercise_day))
        ex.run_days(1)
    assert seen == [(20, 1), (21, 2), (22, 3)]
    assert ex.today == ex.setup.last_day + 1 == ex.setup.days - 1
    ex.close()


def test_start_day_zero_is_day_zero_on_the_calendars_first_date():
    ex = Exercise(ExerciseSetup(start_day=0, length=1))
    assert ex.today == 0 and ex.exercise_day == 1
    assert ex.model.calendar.date(ex.today) == ex.model.spec.calendar.start
    ex.close()


def test_running_seven_days_shows_every_report_of_the_seven_days():
    one, seven = Exercise(ExerciseSetup(start_day=60, length=10)), Exercise(ExerciseSetup(start_day=60, length=10))
    per_day = []
    for _ in range(7):
        one.run_days(1)
        per_day += one.new_reports()
    seven.run_days(7)
    assert seven.today == one.today == 67
    assert sorted(seven.new_reports()) == sorted(per_day)
    assert len({r.arrival for r in per_day}) > 1, "the check needs reports on several days"
    one.close()
    seven.close()


def test_inject_messages_reach_the_desk_on_their_day(tmp_path):
    ex = Exercise(ExerciseSetup.from_exercise(str(_write(tmp_path, GOOD))))
    assert not ex.briefed and ex.today == 30 and ex.messages() == []
    ex.run_days(1)
    assert [m.text("id") for m in ex.new_messages()] == ["Hoaks di Kelilik."]
    ex.run_days(2)  # two days at once: both days' messages are new
    assert [m.day for m in ex.new_messages()] == [32, 32, 33]
    assert len(ex.messages()) == 4 and ex.messages()[0].text("en") == "A hoax in Kelilik."
    ex.close()


def test_objectives_are_checked_from_the_run(tmp_path):
    setup = ExerciseSetup.from_exercise(str(_write(tmp_path, GOOD)))
    ex = Exercise(setup)
    ex.camat.budget = 1000
    ex.run_days(setup.length + 1)
    res = {r.kind: r for r in ex.objectives()}
    permu = ex.model.region.names.index("Permu")
    due = [r for r in ex.received() if r.level >= 2 and setup.first_day <= r.arrival <= setup.last_day]
    assert any(r.village == permu and r.arrival == 33 for r in due)  # the inject's report is one of them
    assert not res["respond_within"].met and res["respond_within"].value == len(due)
    # answering every report in time meets it
    orders = [{"day": r.arrival, "kind": "mediation", "village": r.village} for r in due]
    again = check_objectives(ex.file, ex.model, setup, orders, ex.received(), ex.today)
    assert {r.kind: r for r in again}["respond_within"].met
    kelilik = ex.model.region.names.index("Kelilik")
    n = sum(1 for i in ex.model.incidents if i["village"] == kelilik and i["day"] >= setup.first_day)
    assert res["no_incident"].met == (n == 0) and res["no_incident"].value == n
    ex.close()


def test_a_mediation_order_in_a_kelurahan_comes_back_as_the_same_team_and_a_lurah():
    ex = Exercise(ExerciseSetup(start_day=20, length=2))
    kel = int(np.flatnonzero(ex.model.region.kelurahan)[0])
    ex.order("mediation", kel)
    ex.run_days(1)
    row = next(EventRow._make(r) for r in ex.model.events.rows if r[5] == "mediation" and r[0] == ex.today)
    text = describe_event(row, "id", {ex.model.region.codes[kel]: True})
    assert "tim mediasi Camat" in text and "Lurah" in text and "Kades" not in text and "Tim Terpadu" not in text
    ex.close()


# -- the workshop's pages, rendered without a browser ------------------------------------------------

def test_a_trainee_picks_an_exercise_by_title_reads_the_briefing_and_gets_its_messages():
    import ipyvuetify as v
    import solara

    from siaga.app import workshop

    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    title = get_exercise("konvoi_dihadang").spec.title.id
    picker = rc.find(v.Select, label="Latihan siap pakai").widget
    assert title in picker.items
    picker.v_model = title
    rc.find(v.Html, class_="siaga-ws-exercise-info").assert_not_empty()
    rc.find(v.Btn, class_="siaga-ws-start-button").widget.click()
    assert workshop.wait_until_ready()  # the days before the desk opens run in the background
    ex = workshop.exercise_state.value
    assert ex is not None and ex.setup.exercise and ex.today == 74
    text = str([w.children for w in rc.find(v.Html).widgets])
    assert "Pengarahan" in text and "Tebat Monok" in text  # the briefing, before the first evening
    rc.find(v.Btn, class_="siaga-ws-begin").widget.click()
    day = str(rc.find(v.Html, class_="siaga-ws-day").widget.children)
    assert "Hari 74" in day and "Hari latihan 1 dari 12" in day
    for _ in range(2):
        rc.find(v.Btn, class_="siaga-ws-run").widget.click()
    inbox = str([w.children for w in rc.find(v.Html).widgets if w.class_ == "siaga-ws-inbox-new"])
    assert ex.today == 76 and "konvoi Paslon 02 akan melewati" in inbox
    rc.close()
    ex.close()
    workshop.exercise_state.set(None)


def test_siaga_ui_refuses_a_bad_exercise_file_before_serving(tmp_path, capsys):
    from siaga.assets import missing_assets

    if missing_assets():
        pytest.skip("`siaga ui` first asks for the offline assets")
    bad = _write(tmp_path, GOOD.replace("budget = 50", "budget = -1"), "bad.toml")
    assert main(["ui", "--db", ":memory:", "--exercise", str(bad), "--port", "65500"]) == 2
    assert "bad.toml: field `budget` (line 4)" in capsys.readouterr().err
