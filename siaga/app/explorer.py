"""The explorer: pick a scenario, move the levers, step / play / reset, and watch.

Per-session state lives in `solara.reactive` values (one value per browser session, never a model
built at import). The pictures are SVG from `siaga.app.drawing`; the page shows how long the last
step and its drawing took. Play, +7 and "to the end" run in a background thread of the session
(`Sim.start_run`): the page stays responsive, redraws as the days pass, and Stop ends the run
between two days. A closed session stops its run and frees its model (`siaga.app.sessions`).
"""

from __future__ import annotations

from dataclasses import replace

import reacton.ipyvuetify as rv
import solara

from common.levels import ALERT_LEVELS
from siaga.app.compare_runs import comparison_chart, comparison_table, same_day_line
from siaga.app.components import ErrorBox, EventFeed, Heading, HelpPanel, Svg, VillageMap
from siaga.app.drawing import NETWORK_MAX_NODES
from siaga.app.inputs import InputError, parse_int
from siaga.app.readouts import FEED_GROUPS, village_labels
from siaga.app.scenario_picker import scenario_items
from siaga.app.state import Levers, RunSummary, Settings, Sim, lever_range, schema_range
from siaga.app.ui_state import lang
from siaga.i18n import preset_text, stages_text, t
from simulation.interventions import DESCRIPTIONS, PRESETS

PLAY_PAUSE_S = 0.15  # between two played days: time for the browser to draw
SLIDER_MAX_STEPS = 100  # a whole-number lever whose schema range is wider is typed, not slid

sim_state: solara.Reactive[Sim | None] = solara.reactive(None)
settings_state = solara.reactive(Settings())
tick = solara.reactive(0)
playing = solara.reactive(False)  # a background run (play, +7, to the end) is under way
error_state: solara.Reactive[str | None] = solara.reactive(None)
map_cumulative = solara.reactive(False)  # the map: today's levels, or the worst so far
feed_groups = solara.reactive(tuple(FEED_GROUPS))  # the feed's toggles that are on
previous_run: solara.Reactive[RunSummary | None] = solara.reactive(None)  # kept when a new run is built


def build(settings: Settings) -> None:
    """Build a new model from the settings, or show why not (the old model stays)."""
    old = sim_state.value
    if old is not None:
        old.stop_run()
    playing.set(False)
    try:
        sim = Sim(settings, lang.value)
    except InputError as exc:
        error_state.set(f"{t('invalid', lang.value)}: {exc}")
        return
    if old is not None and not old.closed and old.model is not None and old.model.day > 0:
        previous_run.set(old.summary())  # the run being replaced: the next one is compared with it
    settings_state.set(settings)
    error_state.set(None)
    sim_state.set(sim)
    tick.set(tick.value + 1)
    if old is not None:
        old.close()  # its model is freed now, not when the session ends


def start_run(sim: Sim, n: int, pause_s: float = 0.0) -> None:
    """Run `n` days in the background (play: one every `pause_s`); Stop ends it between two days."""

    def progress():
        tick.set(tick.value + 1)

    def done():
        if sim_state.value is sim and not sim.running:  # not when a newer run has taken over
            playing.set(False)
            tick.set(tick.value + 1)

    if sim.start_run(n, pause_s, on_progress=progress, on_done=done) is not None:
        playing.set(True)


def stop_run(sim: Sim) -> None:
    sim.stop_run()
    playing.set(False)
    tick.set(tick.value + 1)


@solara.component
def IntLever(lever: str, label: str, value: int, on_value, classes: list[str] | None = None):
    """A whole-number lever over the schema's range: a slider, or a checked text field when the
    range is too wide to pick one value with a slider (Polres teams: 0 to 10 000)."""
    lo, hi = lever_range(lever)
    with solara.Column(classes=classes or [], gap="0px"):
        if hi - lo <= SLIDER_MAX_STEPS:
            solara.SliderInt(f"{label}: {value:g}", value=value, min=lo, max=hi, on_value=on_value)
        else:
            IntField(label, value, lo, hi, on_value)


@solara.component
def IntField(label: str, value: int, lo: int, hi: int, on_value):
    lg = lang.value
    typed, set_typed = solara.use_state(str(value))
    error, set_error = solara.use_state(None)

    def on_text(text: str):
        set_typed(text)
        try:
            on_value(parse_int(text, label, lo, hi, lg))
            set_error(None)
        except InputError as exc:
            set_error(str(exc))

    solara.InputText(f"{label} ({lo}–{hi})", value=typed if error else str(value), on_value=on_text, continuous_update=False)
    ErrorBox(error)


@solara.component
def FloatLever(lever: str, label: str, value: float, on_value, step: float = 0.05, classes: list[str] | None = None):
    """A fractional lever over the schema's range."""
    lo, hi = lever_range(lever)
    with solara.Column(classes=classes or [], gap="0px"):
        solara.SliderFloat(f"{label}: {value:g}", value=value, min=lo, max=hi, step=step, on_value=on_value)


@solara.component
def ScenarioPicker(value: str, on_value):
    """The scenarios by readable name, under a header per region (`state.scenario_items`)."""
    lg = lang.value
    items = solara.use_memo(lambda: scenario_items(lg), [lg])
    rv.Select(label=t("scenario", lg), items=items, v_model=value, on_v_model=lambda v: v and on_value(v), class_="siaga-scenario")


@solara.component
def MapViewToggle():
    lg = lang.value
    rv.Switch(label=f"{t('map_view', lg)}: {t('map_worst', lg)}", v_model=map_cumulative.value, on_v_model=lambda v: map_cumulative.set(bool(v)),
              class_="siaga-map-worst", dense=True, hide_details=True)


@solara.component
def FeedFilter():
    lg = lang.value
    with solara.Row(gap="4px", style={"align-items": "center", "flex-wrap": "wrap"}, classes=["siaga-feed-filter"]):
        for group in FEED_GROUPS:
            on = group in feed_groups.value

            def toggle(v: bool, group=group):
                groups = set(feed_groups.value) | {group} if v else set(feed_groups.value) - {group}
                feed_groups.set(tuple(g for g in FEED_GROUPS if g in groups))

            rv.Checkbox(label=t(f"feed_{group}", lg), v_model=on, on_v_model=toggle, class_=f"siaga-feed-{group}", dense=True, hide_details=True)


@solara.component
def SettingsPanel():
    lg = lang.value
    s = settings_state.value
    lv = s.levers
    seed_error, set_seed_error = solara.use_state(None)
    days_error, set_days_error = solara.use_state(None)

    def set_levers(**kw):
        settings_state.set(replace(s, levers=replace(lv, **kw)))

    def on_seed(text: str):
        settings_state.set(replace(s, seed_text=text))
        try:
            parse_int(text, t("seed", lg), *schema_range("seed"), lg, allow_empty=True)
            set_seed_error(None)
        except InputError as exc:
            set_seed_error(str(exc))

    def on_days(text: str):
        settings_state.set(replace(s, days_text=text))
        try:
            parse_int(text, t("days", lg), *schema_range("days"), lg, allow_empty=True)
            set_days_error(None)
        except InputError as exc:
            set_days_error(str(exc))

    def on_preset(name: str):
        settings_state.set(replace(s, preset=name, levers=Levers.from_preset(name, lv)))

    with solara.Column(gap="4px", classes=["siaga-settings"], style={"min-width": "min(280px, 100%)", "max-width": "320px"}):
        ScenarioPicker(s.scenario, lambda v: settings_state.set(replace(s, scenario=v)))
        solara.InputText(t("seed", lg), value=s.seed_text, on_value=on_seed, continuous_update=False, classes=["siaga-seed"])
        ErrorBox(seed_error)
        solara.InputText(t("days", lg), value=s.days_text, on_value=on_days, continuous_update=False, classes=["siaga-days"])
        ErrorBox(days_error)
        solara.Select(t("policy", lg), values=list(PRESETS), value=s.preset, on_value=on_preset)
        solara.Text(preset_text(s.preset, lg, DESCRIPTIONS[s.preset]), style={"font-size": "12px", "color": "#546e7a"})
        Heading(t('levers', lg))
        solara.Select(t("detection_level", lg), values=list(ALERT_LEVELS), value=lv.act_level, on_value=lambda v: set_levers(act_level=v))
        solara.Checkbox(label=t("kades_mediation", lg), value=lv.kades_mediation, on_value=lambda v: set_levers(kades_mediation=v))
        IntLever("kades_delay", t("response_delay", lg), lv.kades_delay, lambda v: set_levers(kades_delay=v), classes=["siaga-lever-delay"])
        FloatLever("mediation_strength", t("mediation_strength", lg), lv.mediation_strength, lambda v: set_levers(mediation_strength=v))
        solara.Checkbox(label=t("early_patrol", lg), value=lv.early_patrol, on_value=lambda v: set_levers(early_patrol=v))
        IntLever("police_delay", t("police_delay", lg), lv.police_delay, lambda v: set_levers(police_delay=v))
        IntLever("polres_units", t("polres_units", lg), lv.polres_units, lambda v: set_levers(polres_units=v), classes=["siaga-lever-polres"])
        FloatLever("backup_availability", t("backup_availability", lg), lv.backup_availability, lambda v: set_levers(backup_availability=v))
        solara.Checkbox(label=t("camat_coordination", lg), value=lv.camat_coordination, on_value=lambda v: set_levers(camat_coordination=v))
        solara.Checkbox(label=t("counter_hoax", lg), value=lv.counter_hoax, on_value=lambda v: set_levers(counter_hoax=v))
        FloatLever("counter_hoax_effect", t("counter_hoax_effect", lg), lv.counter_hoax_effect, lambda v: set_levers(counter_hoax_effect=v))
        FloatLever("neutrality", t("neutrality", lg), lv.neutrality, lambda v: set_levers(neutrality=v))
        Heading(t('population_knobs', lg))
        FloatLever("supporter_share", t("supporter_share", lg), lv.supporter_share, lambda v: set_levers(supporter_share=v), step=0.01,
                   classes=["siaga-slider-supporters"])
        FloatLever("hardship", t("hardship", lg), lv.hardship, lambda v: set_levers(hardship=v))
        FloatLever("threshold", t("threshold", lg), lv.threshold, lambda v: set_levers(threshold=v), step=0.01)
        FloatLever("initial_tension", t("initial_tension", lg), lv.initial_tension, lambda v: set_levers(initial_tension=v), step=0.01)
        solara.Button(t("apply", lg), on_click=lambda: build(settings_state.value), color="primary", classes=["siaga-apply"])


@solara.component
def Controls(sim: Sim):
    lg = lang.value
    _ = tick.value  # re-render after every step (the props stay the same object)
    busy = playing.value and sim.running

    def step(n: int):
        if n == 1:  # one day: at once (about 10 ms)
            sim.stop_run()
            playing.set(False)
            sim.step(1)
            tick.set(tick.value + 1)
        else:
            start_run(sim, n)

    st = sim.status()
    remaining = st["total"] - st["day"]
    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}):
        solara.Button(t("step", lg), on_click=lambda: step(1), disabled=sim.finished or busy, classes=["siaga-step"])
        solara.Button(t("step7", lg), on_click=lambda: step(7), disabled=sim.finished or busy, classes=["siaga-step7"])
        with solara.Row(gap="8px", style={"align-items": "center"}):  # its own box: the widgets after it keep their places
            if busy:
                solara.Button(t("stop", lg), on_click=lambda: stop_run(sim), color="error", classes=["siaga-stop", "siaga-pause"])
                solara.Text(t("running", lg), classes=["siaga-running"], style={"color": "#1565c0"})
            else:
                solara.Button(t("play", lg), on_click=lambda: start_run(sim, remaining, PLAY_PAUSE_S), disabled=sim.finished, classes=["siaga-play"])
                solara.Button(t("to_end", lg), on_click=lambda: start_run(sim, remaining), disabled=sim.finished, classes=["siaga-to-end"])
        solara.Button(t("reset", lg), on_click=lambda: build(sim.settings), classes=["siaga-reset"])
        solara.Text(t("day_of", lg, day=st["day"], total=st["total"]), classes=["siaga-day"], style={"font-weight": "bold"})
        solara.Text(f"{st['date']} · {t('stage_now', lg)}: {stages_text(st['stages'], lg)}", classes=["siaga-stage"])
        solara.Text(t("incidents_so_far", lg, n=st["incidents"]), classes=["siaga-incidents"])
        solara.Text(t("cost_so_far", lg, cost=sim.cost_so_far()), classes=["siaga-cost"])
        timing = (sim.step_ms or 0.0) + (sim.render_ms or 0.0)
        solara.Text(t("step_time", lg, ms=timing), classes=["siaga-timing"], style={"color": "#78909c", "font-size": "12px"})


@solara.component
def Comparison(sim: Sim):
    """This run beside the previous one (siaga/app/compare_runs.py), or how to get one."""
    lg = lang.value
    _ = tick.value
    prev = previous_run.value
    with solara.Column(gap="4px", classes=["siaga-compare-panel"]):
        Heading(t("cmp_title", lg))
        if prev is None:
            solara.Text(t("cmp_hint", lg), style={"color": "#546e7a", "font-size": "12px"})
            return
        now = sim.summary()
        solara.HTML(tag="div", unsafe_innerHTML=comparison_table(now, prev, lg), style={"overflow-x": "auto", "max-width": "100%"})
        line = same_day_line(now, prev, lg)
        if line:
            solara.Text(line, classes=["siaga-compare-same-day"])
        Svg(comparison_chart(now, prev, sim.model, lg), classes=["siaga-compare-chart"])
        solara.Button(t("cmp_forget", lg), on_click=lambda: previous_run.set(None), text=True, classes=["siaga-compare-forget"])


@solara.component
def Explorer():
    lg = lang.value
    sim = sim_state.value
    _ = tick.value  # re-render after every step

    def first_build():
        if sim_state.value is None:
            build(settings_state.value)

    solara.use_effect(first_build, [])
    with solara.Row(gap="16px", style={"align-items": "flex-start", "flex-wrap": "wrap"}):
        SettingsPanel()
        with solara.Column(gap="8px", style={"flex": "1", "min-width": "min(600px, 100%)"}):
            ErrorBox(error_state.value)
            if sim is None:
                solara.Text(t("building", lg), classes=["siaga-building"])
                return
            Controls(sim)
            HelpPanel(sim.model.spec, lg)
            if sim.big:
                solara.Info(t("big_region", lg, n=sim.model.people.n, cap=NETWORK_MAX_NODES))
            cumulative = map_cumulative.value
            pics = sim.pictures(lg, cumulative=cumulative)

            def on_select(v: int):
                try:
                    sim.select(int(v))
                except (InputError, ValueError):
                    return
                tick.set(tick.value + 1)

            with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
                with solara.Column(gap="2px"):
                    Heading(t('map_title_worst' if cumulative else 'map_title', lg))
                    MapViewToggle()
                    VillageMap(svg=pics["map"], event_select=on_select)
                with solara.Column(gap="2px", classes=["siaga-network-panel"]):
                    if sim.selected is None:
                        solara.Text(t("network_hint", lg))
                    else:
                        name = village_labels(sim.model.region)[sim.selected]
                        Heading(t('network_title', lg, village=name))
                        Svg(pics["network"], classes=["siaga-network"])
                        EventFeed(sim.recent_events(sim.selected, 12), lg, sim.kelurahan(), title=t("recent_events", lg), max_height=160)
            with solara.Row(gap="12px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
                with solara.Column(gap="4px", classes=["siaga-charts"]):
                    Svg(pics["shares"])
                    Svg(pics["incidents"])
                    Svg(pics["resources"])
                with solara.Column(style={"flex": "1", "min-width": "min(320px, 100%)"}):
                    FeedFilter()
                    rows = sim.recent_events(None, 40, groups=feed_groups.value)
                    EventFeed(rows, lg, sim.kelurahan(), max_height=460,
                              empty_text=t("feed_none_shown", lg) if len(feed_groups.value) < len(FEED_GROUPS) else None)
            Comparison(sim)
