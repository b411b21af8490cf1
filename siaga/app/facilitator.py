"""The facilitator's console: create a workshop session (from an exercise file, or scenario, seed,
window and budget), watch every trainee (day, orders, budget left, result; one trainee's desk
with its map, siaga/app/trainee_view.py), rename or remove
trainees, pause, resume or end the session, keep private notes, and download the comparison (CSV)
and every trainee's evaluation (ZIP of HTML files).

Behind a PIN when one is set (`SIAGA_FACILITATOR_PIN`; `siaga ui --facilitator-pin`, and
`siaga ui --host 0.0.0.0` makes one up and prints it). Everything shown comes from the workshop
database (`siaga.app.registry` over `siaga.app.store`), so a reload or a restart of the server
loses nothing: the page's address keeps the code (`/fasilitator?sesi=CODE`).
"""

from __future__ import annotations

import csv
import functools
import html
import io
import math
import os
import secrets
import threading
import time
import zipfile
from urllib.parse import parse_qs, urlencode

import solara

from scenarios import DEFAULT_SCENARIO, ScenarioError, load_scenario
from siaga.app import registry, resume
from siaga.app.components import ErrorBox, Heading, Paragraph
from siaga.app.confirm import ConfirmButton
from siaga.app.debrief import MEASURES
from siaga.app.exercise import COUNTERFACTUALS
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.inputs import InputError, parse_name, shown
from siaga.app.readouts import village_labels
from siaga.app.scenario_picker import scenario_choices, scenario_source
from siaga.app.trainee_view import TraineeDesk
from siaga.app.ui_state import lang
from siaga.event_text import order_text
from siaga.i18n import t

PIN_ENV = "SIAGA_FACILITATOR_PIN"
CODE_PARAM = "sesi"
NO_FILE = "—"
LIVE_EVERY_S = 5  # the console reads the trainees' rows again this often (a few ms: one SQLite query)

fac_code: solara.Reactive[str | None] = solara.reactive(None)
fac_unlocked = solara.reactive(False)  # per browser session: the PIN was given


def facilitator_pin() -> str:
    """The PIN that opens the console; empty: no PIN (the app listens on this computer only)."""
    return os.environ.get(PIN_ENV, "").strip()


def _status(tr: registry.Trainee, lg: str) -> str:
    if tr.finished:
        return t("fac_status_done", lg)
    return t("fac_status_left", lg, day=tr.day) if tr.left else t("fac_status_playing", lg, day=tr.day)


def _cell(v) -> str:
    return "–" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


@functools.lru_cache(maxsize=16)
def village_names(setup: ExerciseSetup) -> tuple[str, ...]:
    """The set-up's village labels, for the orders column (the region only, not a model: ~1 s
    for Kalimantan Selatan's 2,016 villages, once per set-up); empty if it cannot be built."""
    from simulation.region import build_region
    from simulation.rng import Streams

    try:
        ex = setup.exercise_file() if getattr(setup, "exercise", None) else None
        spec = load_scenario(ex.scenario_source if ex is not None else scenario_source(setup.scenario))
        return tuple(village_labels(build_region(spec, Streams(setup.seed).layout)))
    except (ScenarioError, ValueError, OSError):
        return ()


def trainees_table(code: str, lg: str) -> str:
    """Every trainee of the session, one row each: status, day, orders, budget left, incidents."""
    snap = registry.snapshot(code)
    if snap is None:
        return ""
    setup, trainees = snap
    names = village_names(setup)

    def where(v) -> str:
        return "" if v is None else f", {names[v]}" if 0 <= v < len(names) else f" #{v}"

    head = "".join(f"<th>{html.escape(t(k, lg))}</th>" for k in ("fac_col_name", "fac_col_status", "fac_col_day", "fac_col_budget",
                                                                  "fac_col_incidents", "fac_col_orders"))
    rows = []
    for tr in trainees:
        orders = "; ".join(
            f"{o['day']}: {t('order_' + o['kind'], lg)}{where(o.get('village'))} ({order_text(o['outcome'], lg)})"
            for o in tr.orders[-6:]
        )
        more = f"… (+{len(tr.orders) - 6}) " if len(tr.orders) > 6 else ""
        idle = "" if tr.finished else f" · {t('fac_ago', lg, m=max(0, int((time.time() - tr.updated) // 60)))}"  # a crashed browser shows as idle
        cells = [html.escape(tr.name), html.escape(_status(tr, lg) + idle), str(tr.day), f"{tr.budget_left:g}",
                 _cell(tr.result.get("incidents")) if tr.finished else "–", f"{len(tr.orders)}: {more}{html.escape(orders)}"]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    return (f"<p><b>{html.escape(t('fac_trainees', lg, n=len(trainees)))}</b></p>"
            f"<table class='siaga-table fac-status'><tr>{head}</tr>{''.join(rows)}</table>")


def _columns(code: str, lg: str) -> list[tuple[str, dict]]:
    snap = registry.snapshot(code)
    if snap is None:
        return []
    setup, trainees = snap
    cols = [(tr.name, tr.result) for tr in trainees if tr.finished]
    if cols:
        for key, policy in (("db_none", "none"), ("db_joint", "joint")):
            cols.append((t(key, lg), COUNTERFACTUALS.get(setup, policy)["outcomes"]))
    return cols


def _value(res: dict, key: str) -> float:
    v = res.get(key, float("nan"))
    return 100 * v if key == "peak_mobilised_share" and isinstance(v, (int, float)) else v


def results_table(code: str, lg: str) -> str:
    """The finished trainees' results side by side with the counterfactuals of the same seed."""
    if registry.snapshot(code) is None:
        return ""
    cols = _columns(code, lg)
    if not cols:
        return trainees_table(code, lg) + f"<p>{html.escape(t('fac_none_yet', lg))}</p>"
    head = "".join(f"<th>{html.escape(name)}</th>" for name, _ in cols)
    rows = []
    for key, label, fmt in MEASURES:
        cells = []
        for _, res in cols:
            v = _value(res, key)
            cells.append("–" if isinstance(v, float) and math.isnan(v) else fmt.format(v))
        rows.append(f"<tr><td>{html.escape(t(label, lg))}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    orders = "".join(f"<td>{res.get('orders', '–')}</td>" for _, res in cols)
    table = (f"<table class='siaga-table fac-results'><tr><th>{html.escape(t('db_measure', lg))}</th>{head}</tr>{''.join(rows)}"
             f"<tr><td>{html.escape(t('fac_col_orders', lg))}</td>{orders}</tr></table>")
    return trainees_table(code, lg) + table


def comparison_csv(code: str, lg: str) -> bytes:
    """The comparison as CSV (UTF-8 with a byte-order mark, so that a spreadsheet reads the names):
    one row per trainee (finished or not) and per counterfactual, one column per measure."""
    snap = registry.snapshot(code)
    if snap is None:
        return b""
    setup, trainees = snap
    out = io.StringIO()
    w = csv.writer(out)
    w.writerow(["session", "trainee", "status", "day", "orders", "budget_left", *[key for key, _, _ in MEASURES]])
    finished = False
    for tr in trainees:
        finished |= tr.finished
        vals = [_cell(_value(tr.result, key)) if tr.finished else "" for key, _, _ in MEASURES]
        w.writerow([code, tr.name, _status(tr, lg), tr.day, len(tr.orders), f"{tr.budget_left:g}", *vals])
    if finished:
        for key, policy in (("db_none", "none"), ("db_joint", "joint")):
            res = COUNTERFACTUALS.get(setup, policy)["outcomes"]
            w.writerow([code, t(key, lg), "", "", "", "", *[_cell(_value(res, k)) for k, _, _ in MEASURES]])
    return out.getvalue().encode("utf-8-sig")


def evaluations_zip(code: str, lg: str) -> bytes:
    """Every finished trainee's evaluation (the HTML the trainee downloads), rebuilt by replaying
    each stored exercise, in one ZIP."""
    from siaga.app.debrief import Debrief

    snap = registry.snapshot(code)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, tr in enumerate(snap[1] if snap else []):
            if not tr.finished:
                continue
            found = resume.restore(tr.token)
            if found is None:
                continue
            ex = found[0]
            try:
                deb = Debrief.build(ex)
                doc, pdf = deb.document(lg), deb.pdf(lg)
            finally:
                ex.close()
            safe = "".join(ch if ch.isalnum() else "_" for ch in tr.name)[:40] or "peserta"
            zf.writestr(f"{i + 1:02d}_{safe}.html", doc)
            zf.writestr(f"{i + 1:02d}_{safe}.pdf", pdf)  # the printable after-action report
    return buf.getvalue()


def session_pdf(code: str, lg: str) -> bytes:
    """The session's after-action report (siaga/app/after_action.py): every finished trainee side by side."""
    from siaga.app.debrief import session_after_action_pdf

    return session_after_action_pdf(code, lg) or b""


def code_of(search: str | None) -> str | None:
    values = parse_qs(search or "").get(CODE_PARAM)
    code = values[0].strip().upper() if values else ""
    return code if len(code) == registry.CODE_LENGTH and all(ch in registry.CODE_ALPHABET for ch in code) else None


@solara.component
def PinGate():
    lg = lang.value
    pin, set_pin = solara.use_state("")
    error, set_error = solara.use_state(None)

    def enter():
        if secrets.compare_digest(pin.strip().encode(), facilitator_pin().encode()):
            set_error(None)
            fac_unlocked.set(True)
        else:
            set_error(t("fac_pin_wrong", lg))

    with solara.Column(gap="6px", style={"max-width": "420px"}, classes=["siaga-fac-pin-gate"]):
        Paragraph(t("fac_pin_needed", lg))
        solara.InputText(t("fac_pin", lg), value=pin, on_value=set_pin, password=True, classes=["siaga-fac-pin"])
        ErrorBox(error)
        solara.Button(t("fac_pin_enter", lg), on_click=enter, color="primary", classes=["siaga-fac-pin-enter"])


@solara.component
def InjectForm(code: str, setup: ExerciseSetup):
    """Fire an unscheduled inject at every trainee of the session (registry.fire_inject): each run
    takes it on the next day it goes through, and its message reaches the trainee's inbox."""
    lg = lang.value
    names = village_names(setup)
    kind, set_kind = solara.use_state("message")
    village, set_village = solara.use_state(0)
    text, set_text = solara.use_state("")
    text_en, set_text_en = solara.use_state("")
    status, set_status = solara.use_state(None)
    labels = {t(f"fac_inject_{k}", lg): k for k in registry.LIVE_KINDS}

    def fire():
        words = text.strip()
        if not words:
            set_status(("error", t("fac_inject_no_text", lg)))
            return
        try:
            registry.fire_inject(code, kind, village, words[:500], text_en.strip()[:500])
        except ValueError as exc:
            set_status(("error", f"{t('invalid', lg)}: {exc}"))
            return
        set_text("")
        set_text_en("")
        set_status(("ok", t("fac_inject_sent", lg)))

    with solara.Column(gap="4px", classes=["siaga-fac-inject"], style={"max-width": "720px"}):
        Heading(t("fac_inject_title", lg))
        with solara.Row(gap="8px", style={"flex-wrap": "wrap", "align-items": "center"}):
            solara.Select(t("fac_inject_kind", lg), values=list(labels), value=t(f"fac_inject_{kind}", lg),
                          on_value=lambda lab: set_kind(labels.get(lab, "message")), classes=["siaga-fac-inject-kind"])
            solara.Select(t("ws_village", lg), values=list(names), value=names[village] if names else None,
                          on_value=lambda lab: set_village(names.index(lab) if lab in names else 0), classes=["siaga-fac-inject-village"])
        solara.InputText(t("fac_inject_text", lg), value=text, on_value=set_text, classes=["siaga-fac-inject-text"])
        solara.InputText(t("fac_inject_text_en", lg), value=text_en, on_value=set_text_en, classes=["siaga-fac-inject-text-en"])
        solara.Button(t("fac_inject_fire", lg), on_click=fire, color="warning", classes=["siaga-fac-inject-fire"])
        if status:
            (solara.Error if status[0] == "error" else solara.Success)(status[1], classes=["siaga-fac-inject-status"])


@solara.component
def SessionConsole(code: str, refresh: int):
    """Controls of one open session: state, trainees, notes, downloads."""
    lg = lang.value
    session = registry.get(code)
    notes, set_notes = solara.use_state(session.notes if session else "")
    saved, set_saved = solara.use_state(False)
    who, set_who = solara.use_state(None)
    new_name, set_new_name = solara.use_state("")
    error, set_error = solara.use_state(None)
    tick, set_tick = solara.use_state(0)
    auto, set_auto = solara.use_state(True)
    live_tick, set_live = solara.use_state(0)

    def live(cancel: threading.Event) -> None:  # the tables follow the trainees without a click
        n = 0
        while auto and not cancel.wait(LIVE_EVERY_S):
            n += 1
            set_live(n)

    solara.use_thread(live, dependencies=[auto, code], intrusive_cancel=False)
    if session is None:
        return
    _, trainees = registry.snapshot(code)
    tokens = {f"{tr.name} ({i + 1})": tr.token for i, tr in enumerate(trainees)}
    chosen = who if who in tokens else next(iter(tokens), None)

    def set_state(state: str):
        registry.set_state(code, state)
        set_tick(tick + 1)

    def rename():
        try:
            name = parse_name(new_name, t("fac_new_name", lg), lg)
        except InputError as exc:
            set_error(f"{t('invalid', lg)}: {exc}")
            return
        set_error(None)
        registry.rename(tokens[chosen], name)
        set_new_name("")
        set_who(None)
        set_tick(tick + 1)

    def remove():
        registry.remove(tokens[chosen])
        set_who(None)
        set_tick(tick + 1)

    def save_notes(text: str):  # on leaving the box (or the button, which leaves it): nothing typed is lost
        set_notes(text)
        registry.set_notes(code, text)
        set_saved(True)

    with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}, classes=["siaga-fac-state-row"]):
        solara.Text(t("fac_session_state", lg, state=t("fac_state_" + session.state, lg)), classes=["siaga-fac-state"])
        if session.state == "open":
            solara.Button(t("fac_pause", lg), on_click=lambda: set_state("paused"), classes=["siaga-fac-pause"])
        elif session.state == "paused":
            solara.Button(t("fac_resume", lg), on_click=lambda: set_state("open"), classes=["siaga-fac-resume"])
        if session.state != "ended":
            ConfirmButton(t("fac_end", lg), t("fac_end_confirm", lg), lambda: set_state("ended"), classes=["siaga-fac-end"])
        else:
            solara.Button(t("fac_resume", lg), on_click=lambda: set_state("open"), classes=["siaga-fac-resume"])
    with solara.Row(classes=["siaga-fac-auto"]):
        solara.Checkbox(label=t("fac_auto", lg, s=LIVE_EVERY_S), value=auto, on_value=set_auto)
    # its own sideways scroll on a phone: a wide table must not widen the page
    solara.HTML(tag="div", unsafe_innerHTML=results_table(code, lg), classes=["siaga-fac-table"], style="overflow-x: auto; max-width: 100%")
    if tokens:
        with solara.Row(gap="8px", style={"align-items": "center", "flex-wrap": "wrap"}, classes=["siaga-fac-manage"]):
            solara.Select(t("fac_col_name", lg), values=list(tokens), value=chosen, on_value=set_who, classes=["siaga-fac-who"])
            solara.InputText(t("fac_new_name", lg), value=new_name, on_value=set_new_name, classes=["siaga-fac-new-name"])
            solara.Button(t("fac_rename", lg), on_click=rename, classes=["siaga-fac-rename"])
            ConfirmButton(t("fac_remove", lg), t("fac_remove_confirm", lg, name=chosen), remove, classes=["siaga-fac-remove"])
        ErrorBox(error)
        if len(tokens) > 1:
            solara.Text(t("fac_view_hint", lg), style={"font-size": "12px", "color": "#546e7a"})
        TraineeDesk(tokens[chosen], village_names(session.setup), live_tick).key(f"desk-{tokens[chosen]}")
    with solara.Row(gap="8px", style={"flex-wrap": "wrap"}):
        solara.FileDownload(lambda: comparison_csv(code, lg), filename=f"siaga_sesi_{code}.csv", label=t("fac_csv", lg),
                            mime_type="text/csv", icon_name=None)
        solara.FileDownload(lambda: evaluations_zip(code, lg), filename=f"siaga_evaluasi_{code}.zip", label=t("fac_zip", lg),
                            mime_type="application/zip", icon_name=None)
        solara.FileDownload(lambda: session_pdf(code, lg), filename=f"siaga_laporan_sesi_{code}.pdf", label=t("fac_session_pdf", lg),
                            mime_type="application/pdf", icon_name=None)
    InjectForm(code, session.setup)
    with solara.Column(classes=["siaga-fac-notes"], style={"max-width": "720px"}):
        Heading(t("fac_notes", lg))  # above the box, not its label: a label is cut to one line ("…") on a phone
        solara.InputTextArea("", value=notes, on_value=save_notes, rows=4, continuous_update=False)
    with solara.Row(gap="8px", style={"align-items": "center"}):
        solara.Button(t("fac_notes_save", lg), on_click=lambda: save_notes(notes), classes=["siaga-fac-notes-save"])
        if saved:
            solara.Text(t("fac_notes_saved", lg), classes=["siaga-fac-notes-saved"])


@solara.component
def Facilitator():
    if facilitator_pin() and not fac_unlocked.value:
        PinGate()
    else:
        Console()


@solara.component
def Console():
    lg = lang.value
    d = ExerciseSetup()
    router = solara.use_router()
    exercise_file, set_exercise_file = solara.use_state(NO_FILE)
    scenario, set_scenario = solara.use_state(DEFAULT_SCENARIO)
    seed, set_seed = solara.use_state(str(d.seed))
    start, set_start = solara.use_state(str(d.start_day))
    length, set_length = solara.use_state(str(d.length))
    budget, set_budget = solara.use_state(f"{d.budget:g}")
    open_code, set_open_code = solara.use_state("")
    error, set_error = solara.use_state(None)
    refresh, set_refresh = solara.use_state(0)
    code = fac_code.value
    in_address = code_of(router.search)

    def sync_address():
        if router.set_path is None:  # rendered without a page (tests)
            return
        if code is None and in_address and registry.get(in_address) is not None:
            fac_code.set(in_address)  # a reload or a restart: reopen the session of the address
        elif code is not None and in_address != code:
            router.push(f"{router.path}?{urlencode({CODE_PARAM: code})}")

    solara.use_effect(sync_address, [code, in_address])

    def create():
        try:
            if exercise_file != NO_FILE:
                setup = ExerciseSetup.from_exercise(exercise_file)
            else:
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

    files = _exercise_files()
    with solara.Column(gap="6px", classes=["siaga-facilitator"]):
        Paragraph(t("fac_intro", lg))
        with solara.Row(gap="8px", style={"flex-wrap": "wrap", "align-items": "center"}):
            if files:
                solara.Select(t("fac_exercise_file", lg), values=[NO_FILE, *files], value=exercise_file, on_value=set_exercise_file,
                              classes=["siaga-fac-exercise"])
            if exercise_file == NO_FILE:
                solara.Select(t("scenario", lg), values=scenario_choices(), value=scenario, on_value=set_scenario)
                solara.InputText(t("seed", lg), value=seed, on_value=set_seed, classes=["siaga-fac-seed"])
                solara.InputText(t("ws_start_day", lg), value=start, on_value=set_start, classes=["siaga-fac-start"])
                solara.InputText(t("ws_length", lg), value=length, on_value=set_length, classes=["siaga-fac-length"])
                solara.InputText(t("ws_budget", lg), value=budget, on_value=set_budget, classes=["siaga-fac-budget"])
            if code:  # a session is shown: a new one replaces it on this page, so ask first
                ConfirmButton(t("fac_create", lg), t("fac_replace_confirm", lg, code=code), create, color="primary", classes=["siaga-fac-create"])
            else:
                solara.Button(t("fac_create", lg), on_click=create, color="primary", classes=["siaga-fac-create"])
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.InputText(t("fac_open", lg), value=open_code, on_value=set_open_code, classes=["siaga-fac-open-code"])
            solara.Button(t("fac_open", lg), on_click=open_session, classes=["siaga-fac-open"])
        ErrorBox(error)
        if code:
            Heading(t("fac_code", lg, code=code), size="22px", classes=["siaga-fac-code"])
            solara.Button(t("fac_refresh", lg), on_click=lambda: set_refresh(refresh + 1), classes=["siaga-fac-refresh"])
            SessionConsole(code, refresh).key(f"{code}-{refresh}")


def _exercise_files() -> list[str]:
    try:
        from scenarios.exercise_schema import exercise_names
    except ImportError:  # pragma: no cover (exercise files not in this version)
        return []
    try:
        return list(exercise_names())
    except OSError:
        return []
