"""The app's components rendered without a browser (solara.render): fast checks of what they show."""

import ipyvuetify as v
import pytest
import solara
import solara.widgets

from siaga.app import explorer, facilitator, registry, workshop
from siaga.app.exercise import ExerciseSetup
from siaga.app.state import Settings


def _html(rc) -> str:
    return "".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets)


def _button(rc, cls: str):
    return rc.find(v.Btn, class_=cls).widget


def _type(rc, label: str, text: str) -> None:
    """What a person does: type into a text field, then leave it (Solara commits on focus-out)."""
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("focusout", None)


def _wait_run(sim, timeout_s: float = 30) -> None:
    run = sim._run
    if run is not None:
        run.thread.join(timeout_s)
        assert not run.thread.is_alive(), "the background run did not end"


def _vue_svg(rc) -> str:
    return " ".join(w.svg for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "svg"))


@pytest.fixture
def fresh_explorer():
    explorer.sim_state.set(None)
    explorer.settings_state.set(Settings(days_text="40"))
    explorer.error_state.set(None)
    explorer.playing.set(False)
    yield
    explorer.sim_state.set(None)


def test_explorer_renders_map_and_charts_and_a_step_moves_them(fresh_explorer):
    box, rc = solara.render(explorer.Explorer(), handle_error=False)
    sim = explorer.sim_state.value
    assert sim is not None and sim.model.day == 0
    before_map, before_charts = _vue_svg(rc), _html(rc)
    assert 'data-village="0"' in before_map
    _button(rc, "siaga-step7").click()  # +7 runs in a background thread of the session
    _wait_run(sim)
    assert sim.model.day == 7
    assert _html(rc) != before_charts
    assert "Hari 7 dari 40" in str([w.children for w in rc.find(v.Html).widgets])
    rc.close()


def test_a_bad_seed_is_refused_with_a_message_and_the_model_kept(fresh_explorer):
    box, rc = solara.render(explorer.Explorer(), handle_error=False)
    old = explorer.sim_state.value
    _type(rc, "Seed (bilangan bulat ≥ 0)", "abc")
    rc.find(v.Alert).assert_not_empty()
    assert "bukan bilangan bulat" in str([w.children for w in rc.find(v.Alert).widgets])
    _button(rc, "siaga-apply").click()
    assert explorer.sim_state.value is old
    assert "Nilai ditolak" in (explorer.error_state.value or "")
    rc.close()


def test_clicking_a_village_shows_its_network(fresh_explorer):
    box, rc = solara.render(explorer.Explorer(), handle_error=False)
    sim = explorer.sim_state.value
    maps = [w for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "svg")]
    maps[0].vue_event_select(3)
    assert sim.selected == 3
    assert "siaga-network" in _html(rc)
    rc.close()


def test_workshop_from_setup_to_debrief():
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    _type(rc, "Lama latihan (hari)", "3")
    _type(rc, "Mulai pada hari", "20")
    _button(rc, "siaga-ws-start-button").click()
    assert workshop.wait_until_ready()  # the days before the desk opens run in the background
    ex = workshop.exercise_state.value
    assert ex is not None and ex.today == 20  # the desk opens on the evening of the start day
    _button(rc, "siaga-ws-give").click()  # default: mediation in the first village
    assert len(ex.camat.orders) == 1
    for _ in range(3):
        _button(rc, "siaga-ws-run").click()
    assert ex.finished
    _button(rc, "siaga-ws-finish").click()
    assert workshop.debrief_state.value is not None
    html = _html(rc)
    assert "Tanpa intervensi" in html and "db-seen" in html
    rc.close()
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)


def test_facilitator_sees_a_finished_trainee_side_by_side():
    session = registry.create(ExerciseSetup(start_day=10, length=2))
    registry.update(session.code, "t1", "Budi", 11, finished=True, result={"incidents": 4, "orders": 2})
    facilitator.fac_code.set(session.code)
    box, rc = solara.render(facilitator.Facilitator(), handle_error=False)
    html = _html(rc)
    assert "Budi" in html and "Tanpa intervensi" in html
    rc.close()
    facilitator.fac_code.set(None)


def test_big_regions_draw_without_labels_and_a_capped_network():
    from scenarios.synthetic import synthetic_scenario
    from siaga.app.drawing import LABEL_MAX_VILLAGES, NETWORK_MAX_NODES, map_svg, network_layout, network_svg
    from simulation.model import SiagaModel

    many = synthetic_scenario(10_000, days=5)
    many["region"]["synthetic"] = {"kecamatan": 8, "villages_per_kecamatan": 10, "people_per_village": 40}
    m = SiagaModel(many, seed=1)
    m.step()
    svg = map_svg(m)
    assert m.region.n_villages > LABEL_MAX_VILLAGES
    assert svg.count("data-village=") == m.region.n_villages and "<text" not in svg.split("legend")[0].split("</g>")[0]
    big = synthetic_scenario(6_000, days=5)
    big["region"]["synthetic"] = {"kecamatan": 1, "villages_per_kecamatan": 2, "people_per_village": 3_000}
    m = SiagaModel(big, seed=1)
    m.step()
    layout = network_layout(m, 0)
    assert layout.n_people == 3_000 and len(layout.people) == NETWORK_MAX_NODES
    assert "menampilkan 2,500 dari 3,000" in network_svg(m, layout)


def test_a_bad_workshop_setting_is_refused_with_a_message():
    workshop.exercise_state.set(None)
    workshop.debrief_state.set(None)
    box, rc = solara.render(workshop.Workshop(), handle_error=False)
    _type(rc, "Lama latihan (hari)", "0")
    _button(rc, "siaga-ws-start-button").click()
    assert workshop.exercise_state.value is None
    assert "Lama latihan" in str([w.children for w in rc.find(v.Alert).widgets])
    _type(rc, "Lama latihan (hari)", "3")
    _type(rc, "Kode sesi (dari fasilitator, boleh kosong)", "NOPE42")
    _button(rc, "siaga-ws-start-button").click()
    assert workshop.exercise_state.value is None
    assert "NOPE42" in str([w.children for w in rc.find(v.Alert).widgets])
    rc.close()
