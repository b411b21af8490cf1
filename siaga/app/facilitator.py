"""The facilitator's view: create a workshop session (scenario, seed, window, budget) and see every
trainee's result side by side with the counterfactuals of the same seed."""

from __future__ import annotations

import html
import math

import solara

from scenarios import DEFAULT_SCENARIO
from siaga.app import registry
from siaga.app.components import ErrorBox, Heading, Paragraph
from siaga.app.debrief import MEASURES
from siaga.app.exercise import COUNTERFACTUALS
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.state import InputError, scenario_choices, shown
from siaga.app.ui_state import lang
from siaga.i18n import t

fac_code: solara.Reactive[str | None] = solara.reactive(None)


def results_table(code: str, lg: str) -> str:
    snap = registry.snapshot(code)
    if snap is None:
        return ""
    setup, trainees = snap
    done = [tr for tr in trainees if tr.finished]
    cols = [(tr.name, tr.result) for tr in done]
    if done:
        for key, policy in (("db_none", "none"), ("db_joint", "joint")):
            cols.append((t(key, lg), COUNTERFACTUALS.get(setup, policy)["outcomes"]))
    head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in cols)
    rows = []
    for key, label, fmt in MEASURES:
        cells = []
        for _, res in cols:
            v = res.get(key, float("nan"))
            if key == "peak_mobilised_share":
                v = 100 * v
            cells.append("–" if isinstance(v, float) and math.isnan(v) else fmt.format(v))
        rows.append(f"<tr><td>{html.escape(t(label, lg))}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    orders = "".join(f"<td>{res.get('orders', '–')}</td>" for _, res in cols)
    status = ", ".join(
        f"{html.escape(tr.name)}: "
        + (t("fac_status_done", lg) if tr.finished else t("fac_status_left", lg, day=tr.day) if tr.left else t("fac_status_playing", lg, day=tr.day))
        for tr in trainees
    )
    table = (
        f"<table class='siaga-table fac-results'><tr><th>{html.escape(t('db_measure', lg))}</th>{head}</tr>{''.join(rows)}"
        f"<tr><td>{'Perintah' if lg == 'id' else 'Orders'}</td>{orders}</tr></table>"
        if done else f"<p>{html.escape(t('fac_none_yet', lg))}</p>"
    )
    return f"<p class='fac-status'><b>{html.escape(t('fac_trainees', lg, n=len(trainees)))}</b> {status}</p>{table}"


@solara.component
def Facilitator():
    lg = lang.value
    d = ExerciseSetup()
    scenario, set_scenario = solara.use_state(DEFAULT_SCENARIO)
    seed, set_seed = solara.use_state(str(d.seed))
    start, set_start = solara.use_state(str(d.start_day))
    length, set_length = solara.use_state(str(d.length))
    budget, set_budget = solara.use_state(f"{d.budget:g}")
    open_code, set_open_code = solara.use_state("")
    error, set_error = solara.use_state(None)
    refresh, set_refresh = solara.use_state(0)

    def create():
        try:
            setup = ExerciseSetup.parse(scenario, seed, start, length, budget, lg)
        except InputError as exc:
            set_error(f"{t('invalid', lg)}: {exc}")
            return
        set_error(None)
        fac_code.set(registry.create(setup).code)

    def open_session():
        if registry.get(open_code) is None:
            set_error(f"{t('invalid', lg)}: {t('ws_unknown_code', lg, code=shown(open_code.strip()))}")
            return
        set_error(None)
        fac_code.set(open_code.strip().upper())

    with solara.Column(gap="6px", classes=["siaga-facilitator"]):
        Paragraph(t("fac_intro", lg))
        with solara.Row(gap="8px", style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.Select(t("scenario", lg), values=scenario_choices(), value=scenario, on_value=set_scenario)
            solara.InputText(t("seed", lg), value=seed, on_value=set_seed, classes=["siaga-fac-seed"])
            solara.InputText(t("ws_start_day", lg), value=start, on_value=set_start, classes=["siaga-fac-start"])
            solara.InputText(t("ws_length", lg), value=length, on_value=set_length, classes=["siaga-fac-length"])
            solara.InputText(t("ws_budget", lg), value=budget, on_value=set_budget, classes=["siaga-fac-budget"])
            solara.Button(t("fac_create", lg), on_click=create, color="primary", classes=["siaga-fac-create"])
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.InputText(t("fac_open", lg), value=open_code, on_value=set_open_code, classes=["siaga-fac-open-code"])
            solara.Button(t("fac_open", lg), on_click=open_session, classes=["siaga-fac-open"])
        ErrorBox(error)
        code = fac_code.value
        if code:
            Heading(t("fac_code", lg, code=code), size="22px", classes=["siaga-fac-code"])
            solara.Button(t("fac_refresh", lg), on_click=lambda: set_refresh(refresh + 1), classes=["siaga-fac-refresh"])
            solara.HTML(tag="div", unsafe_innerHTML=results_table(code, lg), classes=["siaga-fac-table"])
