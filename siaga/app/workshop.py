"""Workshop mode: the trainee is the Camat. Set up (or join a facilitator's session by code), read
the day's reports, give orders within the budget, run the day; at the end, the debrief.

State is per browser session (`solara.reactive`); the facilitator's registry is the only thing
shared between sessions (`siaga.app.registry`). The days before the desk opens (a new start) and
the replay of a stored exercise (a reload) run in a background thread with a progress bar and a
cancel button (`siaga.app.run_up`); the exercise reaches the page, and the database, only when
that is done.
"""

from __future__ import annotations

import logging
from typing import Any

import solara

from agents.camat import ORDERS, OrderRefused
from common.levels import ALERT_LEVELS
from scenarios import DEFAULT_SCENARIO
from siaga.app import one_tab, registry, resume
from siaga.app.components import ErrorBox, EventFeed, Heading, HelpPanel, Paragraph, VillageMap
from siaga.app.confirm import ConfirmButton
from siaga.app.debrief import Debrief
from siaga.app.drawing import map_svg
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.exercise_view import Briefing, Inbox, Objectives, exercise_choices, exercise_info
from siaga.app.fair_evaluation import prefetch
from siaga.app.inputs import InputError, parse_name, shown
from siaga.app.readouts import kelurahan_by_code, race_stages, recent_events, village_labels
from siaga.app.run_up import RunUp
from siaga.app.scenario_picker import scenario_choices
from siaga.app.ui_state import lang
from siaga.event_text import order_text, place, reporter
from siaga.i18n import stages_text, t

exercise_state: solara.Reactive[Exercise | None] = solara.reactive(None)
debrief_state: solara.Reactive[Debrief | None] = solara.reactive(None)
FOLLOW_UP = ("mediation", "patrol", "response", "backup", "backup_request", "rakor", "incident", "arrest")  # what reaches the Camat at once
ws_tick = solara.reactive(0)
ws_message: solara.Reactive[tuple[str, str] | None] = solara.reactive(None)  # (kind, text)
unknown_token = solara.reactive(False)  # the address named an exercise that is not (or no longer) stored
runup_state: solara.Reactive[RunUp | None] = solara.reactive(None)  # a start or a replay under way in the background
runup_day = solara.reactive(-1)  # the last day it has run (redraws the progress bar)
start_error: solara.Reactive[str | None] = solara.reactive(None)  # why a start failed in the background
logger = logging.getLogger("siaga.app")


def _publish(ex: Exercise, finished: bool = False, result: dict | None = None) -> None:
    one_tab.publish(ex, finished, result)  # the workshop database: a reload or a restart replays it; refused if another tab saved since


@solara.component
def SetupForm():
    lg = lang.value
    defaults = ExerciseSetup()
    code, set_code = solara.use_state("")
    name, set_name = solara.use_state("")
    scenario, set_scenario = solara.use_state(DEFAULT_SCENARIO)
    seed, set_seed = solara.use_state(str(defaults.seed))
    start, set_start = solara.use_state(str(defaults.start_day))
    length, set_length = solara.use_state(str(defaults.length))
    budget, set_budget = solara.use_state(f"{defaults.budget:g}")
    error, set_error = solara.use_state(None)
    exercise, set_exercise = solara.use_state("")  # a shipped exercise's name; "" = set up your own
    choices = exercise_choices(lg)
    none_label = t("ws_exercise_none", lg)
    titles = {name: title for title, name in choices.items()}

    running = _running() is not None

    def start_exercise():
        if _running() is not None:  # a second click while the first start is being prepared
            return
        try:
            trainee = parse_name(name, t("ws_name", lg), lg)
            typed = code.strip().upper()
            if typed:
                if len(typed) != registry.CODE_LENGTH or any(ch not in registry.CODE_ALPHABET for ch in typed):
                    raise InputError(t("code_format", lg, field=t("ws_code", lg), value=shown(code.strip())))
                session = registry.get(typed)
                if session is None:
                    raise InputError(t("ws_unknown_code", lg, code=typed))
                setup, session_code = session.setup, session.code
            elif exercise:
                setup, session_code = ExerciseSetup.from_exercise(exercise), None
            else:
                setup, session_code = ExerciseSetup.parse(scenario, seed, start, length, budget, lg), None
        except InputError as exc:
            set_error(f"{t('invalid', lg)}: {exc}")
            return
        set_error(None)
        start_error.set(None)
        unknown_token.set(False)
        ws_message.set(None)
        _start_in_background(setup, trainee, session_code)

    with solara.Column(gap="6px", style={"max-width": "620px"}, classes=["siaga-ws-setup"]):
        Paragraph(t("ws_intro", lg))
        solara.InputText(t("ws_name", lg), value=name, on_value=set_name, classes=["siaga-ws-name"])
        solara.InputText(t("ws_code", lg), value=code, on_value=set_code, classes=["siaga-ws-code"])
        if unknown_token.value:  # a link to an exercise the facilitator removed, or from another server
            solara.Warning(t("ws_unknown_token", lg), classes=["siaga-ws-unknown-token"])
        ErrorBox(error or start_error.value)
        solara.Button(t("ws_start", lg), on_click=start_exercise, color="primary", disabled=running, classes=["siaga-ws-start-button"])
        if running:  # below the button: the form keeps what was typed, for a start again after a cancel
            RunUpProgress()
        # below the button, so that typing a code (which hides them) never moves the button
        if not code.strip():
            solara.Select(t("ws_exercise", lg), values=[none_label, *choices], value=titles.get(exercise, none_label),
                          on_value=lambda title: set_exercise(choices.get(title, "")), classes=["siaga-ws-exercise"])
        if not code.strip() and exercise:
            solara.Text(exercise_info(exercise, lg), classes=["siaga-ws-exercise-info"], style={"font-size": "13px"})
        elif not code.strip():
            Heading(t("ws_own", lg))
            solara.Select(t("scenario", lg), values=scenario_choices(), value=scenario, on_value=set_scenario)
            solara.InputText(t("seed", lg), value=seed, on_value=set_seed, classes=["siaga-ws-seed"])
            solara.InputText(t("ws_start_day", lg), value=start, on_value=set_start, classes=["siaga-ws-start"])
            solara.InputText(t("ws_length", lg), value=length, on_value=set_length, classes=["siaga-ws-length"])
            solara.InputText(t("ws_budget", lg), value=budget, on_value=set_budget, classes=["siaga-ws-budget"])


def _running() -> RunUp | None:
    ru = runup_state.value
    return ru if ru is not None and not ru.closed else None


def _opened(ex: Exercise) -> None:
    """A new exercise is ready (its run-up done): it replaces any earlier one of this page and is stored."""
    prefetch(ex.setup)  # the debrief's fair comparisons, computed while the trainee plays
    _publish(ex)  # before the page has it: from then on only the page's clicks touch it
    old_ex, old_deb = exercise_state.value, debrief_state.value
    debrief_state.set(None)
    exercise_state.set(ex)
    for gone in {id(x): x for x in (old_ex, old_deb and old_deb.exercise) if x is not None and x is not ex}.values():
        gone.close()  # a second exercise in the same session: the first one's model goes


def _progress(ru: RunUp) -> None:
    if runup_state.value is ru:
        runup_day.set(ru.day)


def _finish_runup(ru: RunUp) -> None:
    if runup_state.value is ru:
        runup_state.set(None)


def _start_in_background(setup: ExerciseSetup, trainee: str, code: str | None) -> RunUp:
    """Build the trainee's model and run its days before the desk opens in a thread; the desk
    opens (and the trainee is stored) when it is done. A cancel leaves nothing behind."""

    def work(ru: RunUp) -> Exercise:
        ex = Exercise(setup, trainee=trainee, code=code, run_up_now=False)
        ru.attach(ex)
        ex.run_up()
        return ex

    def done(ex: Exercise) -> None:
        _opened(ex)
        _finish_runup(ru)

    def failed(exc: Exception) -> None:  # e.g. a scenario file changed since the session was made
        start_error.set(f"{t('invalid', lang.value)}: {exc}")
        _finish_runup(ru)

    ru = RunUp(setup.start_day, work, done, failed, on_progress=_progress, purpose="start")
    runup_day.set(-1)
    runup_state.set(ru)
    return ru.start()


def _restore_in_background(token: str, row: dict[str, Any]) -> None:
    """A reload: replay the stored exercise of `token` in a thread (siaga.app.resume.restore)."""
    if _running() is not None:  # the page was drawn again while a replay runs: it goes on
        return

    def work(ru: RunUp) -> Any:
        return resume.restore(token, attach=ru.attach)

    def done(found: Any) -> None:
        if found is None:  # removed from the database meanwhile
            failed(LookupError(token))
            return
        _restored(*found)
        _finish_runup(ru)

    def failed(exc: Exception) -> None:  # e.g. its scenario or exercise file is gone
        logger.warning("cannot restore trainee %s: %s", token, exc)
        resume.dismissed.set(token)  # the address drops the token (siaga.app.resume)
        _unknown()
        _finish_runup(ru)

    ru = RunUp(max(int(row["model_day"]) - 1, 0), work, done, failed, on_progress=_progress, purpose="restore", token=token)
    runup_day.set(-1)
    runup_state.set(ru)
    ru.start()


def _cancel_runup() -> None:
    """Stop the start or replay under way; the page is back at the start form at once (the thread
    finishes the day it is computing, then drops its model)."""
    ru = runup_state.value
    if ru is None or not ru.cancel():
        return  # nothing running, or too late: the desk is opening
    if ru.purpose == "restore":
        resume.dismissed.set(ru.token)  # not replayed again on this page; the stored run stays for the facilitator
    runup_state.set(None)


def wait_until_ready(timeout_s: float = 120.0) -> bool:
    """Wait for the start or replay under way on this page, if any, to end (tests, scripts);
    True when none is left running."""
    ru = runup_state.value
    return ru is None or ru.wait(timeout_s)


@solara.component
def RunUpProgress():
    """How far the start (or the replay) has got: the day reached of the days to run, and Cancel."""
    lg = lang.value
    ru = runup_state.value
    if ru is None:  # drawn once more just as it ended
        return
    day = max(runup_day.value, ru.day)
    if day < 0:
        text = t("ws_runup_build", lg)
    else:
        text = t("ws_runup_restore" if ru.purpose == "restore" else "ws_runup_day", lg, day=day, n=ru.target_day)
    with solara.Column(gap="6px", classes=["siaga-ws-runup"], style={"max-width": "620px"}):
        solara.Text(text, classes=["siaga-ws-runup-text"])
        solara.ProgressLinear(value=100 * ru.fraction if day >= 0 else True, classes=["siaga-ws-runup-bar"])
        solara.Button(t("ws_runup_cancel", lg), on_click=_cancel_runup, color="error", outlined=True, classes=["siaga-ws-runup-cancel"])


def order_label(ex: Exercise, kind: str, lg: str) -> str:
    try:
        cost = ex.camat.order_cost(kind)
    except OrderRefused:
        cost = float("nan")
    return f"{t('order_' + kind, lg)} — {t('cost', lg)} {cost:g}"


@solara.component
def Desk(ex: Exercise):
    lg = lang.value
    _ = ws_tick.value
    m = ex.model
    names = village_labels(m.region)  # unique: a shared name comes with its code
    village, set_village = solara.use_state(0)  # the village's number, never its name
    kind, set_kind = solara.use_state(ORDERS[0])
    labels = {order_label(ex, k, lg): k for k in ORDERS}
    kel = kelurahan_by_code(m.region)

    def give():
        try:
            rec = ex.order(kind, village)
        except OrderRefused as exc:
            ws_message.set(("error", t("ws_refused", lg, why=order_text(str(exc), lg))))
        else:
            what = t("order_" + kind, lg) + ("" if rec["village"] is None else f", {names[rec['village']]}")
            ws_message.set(("ok", t("ws_done_order", lg, what=what, outcome=order_text(rec["outcome"], lg))))
            _publish(ex)
        ws_tick.set(ws_tick.value + 1)

    def run(n: int):
        if one_tab.moved_on(ex):  # the same trainee plays on in another tab: days run here would be lost
            return
        held = registry.held(ex.code)  # the facilitator paused or ended the session
        if held:
            ws_message.set(("error", t(f"ws_session_{held}", lg)))
            return
        ex.run_days(n)
        _publish(ex)  # saved before the page shows the new day: another tab that sees it can replay it
        ws_message.set(None)
        ws_tick.set(ws_tick.value + 1)

    def finish():
        deb = Debrief.build(ex)
        _publish(ex, finished=True, result=deb.result_row())
        debrief_state.set(deb)

    def on_map(v: int):
        if 0 <= int(v) < len(names):
            set_village(int(v))

    stages = race_stages(m, ex.today)
    if ex.finished:  # the day after the last evening has run: no evening to decide any more
        Heading(t("ws_day_over", lg, a=ex.setup.first_day, b=ex.setup.last_day, c=ex.today, date=m.calendar.date(ex.today)),
                classes=["siaga-ws-day"])
    else:
        Heading(
            t("ws_day", lg, day=ex.today, date=m.calendar.date(ex.today), stage=stages_text(stages, lg),
              i=ex.exercise_day, n=ex.setup.length),
            classes=["siaga-ws-day"],
        )
    solara.Text(t("ws_budget_left", lg, left=ex.budget_left, budget=ex.setup.budget), classes=["siaga-ws-budget-left"])
    with solara.Row(gap="16px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
        with solara.Column(gap="4px"):
            Heading(t("ws_desk_map", lg))
            VillageMap(svg=map_svg(m, village, lg, width=520, height=420, levels=ex.desk_levels(), show_incidents=False), event_select=on_map)
            Inbox(ex, lg, stamp=(ex.today, ex.seen_from))
            a = min(ex.seen_from, ex.today)
            Heading(t("ws_reports", lg) if a == ex.today else t("ws_reports_since", lg, a=a, b=ex.today))
            reports = ex.new_reports()  # every day's since the last evening seen ("run 7 days" skips none)
            with solara.Column(gap="1px", classes=["siaga-ws-reports"], style={"font-size": "13px", "max-height": "220px", "overflow-y": "auto"}):
                if not reports:
                    solara.Text(t("ws_no_reports", lg))
                for r in sorted(reports, key=lambda r: (-r.arrival, -r.level)):
                    solara.Text(
                        t("ws_report_line", lg, source=reporter(r.source, bool(m.region.kelurahan[r.village]), lg), village=place(names[r.village], bool(m.region.kelurahan[r.village]), lg),
                          level=ALERT_LEVELS[r.level], sent=r.sent, arrival=r.arrival),
                        style={"color": "#c62828" if r.level >= 3 else "#263238"},
                    )
        with solara.Column(gap="6px", style={"min-width": "360px", "max-width": "480px"}):
            Heading(t('ws_orders', lg))
            solara.Select(t("ws_village", lg), values=names, value=names[village], on_value=lambda lab: set_village(names.index(lab)),
                          classes=["siaga-ws-village"])
            solara.Select(t("ws_action", lg), values=list(labels), value=order_label(ex, kind, lg), on_value=lambda lab: set_kind(labels.get(lab, kind)), classes=["siaga-ws-action"])
            solara.Button(t("ws_give_order", lg), on_click=give, disabled=ex.finished, color="primary", classes=["siaga-ws-give"])
            # the buttons first, the order's outcome below them: a message that comes and goes above
            # them made them jump while a day redrew, and a click in flight landed on nothing
            with solara.Row(gap="8px"):
                solara.Button(t("ws_run_last" if ex.last_evening else "ws_run_day", lg), on_click=lambda: run(1), disabled=ex.finished,
                              classes=["siaga-ws-run"])
                solara.Button(t("ws_run_week", lg), on_click=lambda: run(7), disabled=ex.finished or ex.last_evening, classes=["siaga-ws-run7"])
            if ex.finished:
                solara.Button(t("ws_finish", lg), on_click=finish, color="success", classes=["siaga-ws-finish"])
            msg = ws_message.value
            if msg:
                (solara.Error if msg[0] == "error" else solara.Success)(msg[1], classes=["siaga-ws-message"])
            HelpPanel(ex.model.spec, lg, desk=True)
            Objectives(ex, lg, stamp=(ex.today, len(ex.camat.orders)))
            Heading(f"{t('ws_my_orders', lg)} ({len(ex.camat.orders)})")
            with solara.Column(gap="1px", style={"font-size": "13px"}, classes=["siaga-ws-orders"]):
                for o in reversed(ex.camat.orders[-15:]):
                    where = "" if o["village"] is None else f" — {names[o['village']]}"
                    solara.Text(f"{'Hari' if lg == 'id' else 'Day'} {o['day']}: {t('order_' + o['kind'], lg)}{where} ({order_text(o['outcome'], lg)}; {o['cost']:g})")
            EventFeed(recent_events(m, None, 12, kinds=FOLLOW_UP, window=200), lg, kel, title="Tindak lanjut" if lg == "id" else "Follow-up", max_height=200)


@solara.component
def DebriefView(deb: Debrief):
    lg = lang.value
    ex = deb.exercise
    filename = f"siaga_debrief_{(ex.trainee or 'peserta').replace(' ', '_')}_seed{ex.setup.seed}.html"

    def start_over():  # the stored exercise stays in the database; this page forgets it
        resume.dismissed.set(ex.trainee_id)
        debrief_state.set(None)
        exercise_state.set(None)

    with solara.Column(gap="8px", classes=["siaga-debrief-view"]):
        with solara.Row(gap="8px"):
            solara.FileDownload(lambda: deb.document(lg).encode("utf-8"), filename=filename, label=t("db_download", lg),
                                mime_type="text/html", icon_name=None)
            solara.FileDownload(lambda: deb.pdf(lg), filename=deb.pdf_filename(), label=t("db_pdf", lg), mime_type="application/pdf", icon_name=None)
            ConfirmButton(t("reset", lg), t("ws_again_confirm", lg), start_over, yes=t("ws_again_yes", lg), classes=["siaga-ws-again"])
        solara.HTML(tag="div", unsafe_innerHTML=deb.body_html(lg))


def _restored(ex: Exercise, row: dict, differ: int) -> None:
    """A reload or a restart: the stored exercise is back (siaga.app.resume); a finished one with its debrief."""
    lg = lang.value
    deb = Debrief.build(ex) if row["finished"] else None
    text = t("ws_restored", lg, day=ex.today, n=len(row["orders"]))
    ws_message.set(("error", text + " " + t("ws_restore_differs", lg, n=differ)) if differ else ("ok", text))
    _publish(ex, finished=row["finished"])  # before the page has it: its clicks may run days from then on
    debrief_state.set(deb)
    exercise_state.set(ex)


def _unknown() -> None:
    ws_message.set(None)
    exercise_state.set(None)
    unknown_token.set(True)


@solara.component
def Workshop():
    deb = debrief_state.value
    ex = exercise_state.value
    restoring = resume.use_resume(exercise_state, _restored, _unknown, in_background=_restore_in_background)
    running = _running()
    if one_tab.is_stale(ex):  # another tab of the same trainee saved since this one did
        one_tab.AnotherTab(ex, exercise_state, debrief_state)
    elif deb is not None:
        DebriefView(deb)
    elif ex is None and running is not None and running.purpose == "restore":
        RunUpProgress()
    elif restoring:
        solara.Info(t("ws_restoring", lang.value), classes=["siaga-ws-restoring"])
    elif ex is None:
        SetupForm()
    elif not ex.briefed and ex.exercise_day == 1 and not ex.camat.orders and ws_tick.value >= 0:
        # an exercise file's briefing comes before the first evening (not again for a run restored later on)
        Briefing(ex, lang.value, on_begin=lambda: _begin(ex))
    else:
        Desk(ex)


def _begin(ex: Exercise) -> None:
    ex.briefed = True
    ws_tick.set(ws_tick.value + 1)
