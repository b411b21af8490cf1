"""The workshop debrief: the trainee's run against fair comparisons on the same seed and days.

Five runs of the same scenario and seed, all seen over the exercise (from the first evening at
the desk to the day the last evening's orders act on; siaga/app/exercise_setup.py): the trainee's,
nobody acting ("no intervention"), the best and the typical automatic policy held to the
trainee's own budget and acting only from the first exercise day, and the early joint policy
acting from day 0 with no budget limit, as an upper bound (siaga/app/fair_evaluation.py). The
debrief gives their results and spending (each explained in a sentence), incidents averted per
person-day, the exercise file's objectives met or not, a chart of the exercise days, when each
escalation could first have been seen (true level, first report on the desk, first order), what
the orders changed village by village, and what went well and what to improve. It is shown in the
app, downloaded as one self-contained HTML file, and printed as an after-action report (PDF,
siaga/app/after_action.py). `session_after_action_pdf(code, lang)` prints a whole session's.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

import numpy as np

from common.levels import ALERT_LEVELS
from siaga.app import after_action as aar
from siaga.app.drawing import lines_svg
from siaga.app.exercise import Exercise, Report
from siaga.app.fair_evaluation import FAIR, FairEvaluation, WindowRun
from siaga.app.readouts import village_labels
from siaga.i18n import t
from simulation.warning_quality import FALSE_ALARM, FOLLOW_UP, MISSED, QUIET, WARNING, classify_reports

VERDICTS = (WARNING, FALSE_ALARM, FOLLOW_UP, MISSED, QUIET)

# Whole-run outcomes the facilitator's table shows per trainee (`result_row`), with their labels.
MEASURES = (
    ("incidents", "db_incidents", "{:.0f}"),
    ("incident_participants", "db_participants", "{:.0f}"),
    ("villages_with_violence", "db_villages_violence", "{:.0f}"),
    ("deaths", "db_deaths", "{:.0f}"),  # severity (docs/ODD.md §7.21)
    ("injured", "db_injured", "{:.0f}"),
    ("buildings_damaged", "db_damaged", "{:.0f}"),
    ("peak_mobilised_share", "db_peak_mob", "{:.2f}"),
    ("arrests", "db_arrests", "{:.0f}"),
    ("intervention_cost", "db_cost", "{:.0f}"),
    ("first_incident_day", "db_first_incident", "{:.0f}"),
)
ORDER_SHORT = {
    "mediation": {"id": "mediasi", "en": "mediation"},
    "patrol": {"id": "patroli", "en": "patrol"},
    "rapid_response": {"id": "respons cepat", "en": "rapid response"},
    "rakor": {"id": "rakor", "en": "rakor"},
    "counter_hoax": {"id": "kontra-hoaks", "en": "counter-hoax"},
    "backup": {"id": "bantuan Polres", "en": "Polres backup"},
}
CHART_COLOURS = aar.CHART_COLOURS
SIAGA = 2  # alert level index (common.levels)


def _e(x: Any) -> str:
    return html.escape(str(x))


def _first_at(levels: np.ndarray, village: int, level: int, first: int) -> int | None:
    """The first day from `first` on whose true level in `village` is at least `level`."""
    if len(levels) <= first:
        return None
    hit = np.flatnonzero(levels[first:, village] >= level)
    return first + int(hit[0]) if len(hit) else None


def _run_dict(run: WindowRun, none: WindowRun, preset: str | None = None) -> dict[str, Any]:
    d = run.as_dict()
    d["averted_per_person_day"] = run.averted_per_person_day(none)
    d["cumulative"] = list(run.cumulative)
    if preset:
        d["preset"] = preset
    return d


def objective_results(ex: Exercise) -> tuple[list[dict[str, Any]], bool]:
    """HOOK for the exercise file's objectives: `Exercise.objectives()` (siaga/app/exercise.py,
    `check_objectives`) as plain dicts with village names, and whether the file sets any. An
    exercise without that method or without a file gives ([], False)."""
    check = getattr(ex, "objectives", None)
    file = getattr(ex, "file", None)
    if not callable(check) or file is None:
        return [], False
    names = village_labels(ex.model.region)
    out = []
    for r in check():
        village = getattr(r, "village", None)
        out.append({
            "kind": r.kind, "met": bool(r.met), "village": names[village] if village is not None else None,
            "target": getattr(r, "target", ""), "value": getattr(r, "value", ""), "level": getattr(r, "level", ""),
        })
    return out, bool(getattr(file.spec, "objectives", ()))


@dataclass
class Debrief:
    exercise: Exercise
    fair: FairEvaluation
    you: WindowRun

    @classmethod
    def build(cls, ex: Exercise) -> Debrief:
        fair = FAIR.get(ex.setup)
        return cls(ex, fair, fair.you(ex.model))

    # ------------------------------------------------------------------ data

    @property
    def first_day(self) -> int:
        return self.exercise.setup.start_day

    @property
    def end_day(self) -> int:
        """The last day counted: the day the last evening's orders act on."""
        return self.exercise.setup.days - 1

    @property
    def last_evening(self) -> int:
        return self.exercise.setup.last_day

    def runs(self) -> dict[str, dict[str, Any]]:
        f = self.fair
        return {
            "you": _run_dict(self.you, f.none),
            "none": _run_dict(f.none, f.none),
            "best": _run_dict(f.best, f.none, f.best.key),
            "typical": _run_dict(f.typical, f.none, f.typical.key),
            "joint_unlimited": _run_dict(f.joint_unlimited, f.none),
        }

    def first_orders(self) -> dict[int, int]:
        """Village -> evening of the trainee's first order there. A rakor counts for every village
        reported at WASPADA or above within the Camat's report memory before it."""
        ex = self.exercise
        memory = ex.model.spec.officials.report_memory_days
        reports = ex.received()
        first: dict[int, int] = {}
        for o in ex.camat.orders:
            if o["village"] is not None:
                first[o["village"]] = min(first.get(o["village"], o["day"]), o["day"])
            elif o["kind"] == "rakor":
                for r in reports:
                    if r.level >= 1 and o["day"] - memory <= r.arrival <= o["day"]:
                        first[r.village] = min(first.get(r.village, o["day"]), o["day"])
        return first

    def villages(self) -> tuple[list[str], list[str], list[str]]:
        """(early, late, unordered_hit): villages ordered before their true level reached SIAGA;
        villages whose first order came after their first incident; villages with incidents in
        the exercise and no order."""
        ex = self.exercise
        names = village_labels(ex.model.region)
        lv = np.array(ex.levels) if ex.levels else np.zeros((0, len(names)), dtype=np.int8)
        orders = self.first_orders()
        first_inc: dict[int, int] = {}
        for inc in ex.model.tally.incidents:
            if self.first_day <= inc["day"] <= self.end_day:
                first_inc.setdefault(inc["village"], inc["day"])
        early, late, unordered = [], [], []
        for v, name in enumerate(names):
            siaga = _first_at(lv, v, SIAGA, self.first_day)
            if v in orders and siaga is not None and orders[v] < siaga:
                early.append(name)
            if v in first_inc and v in orders and orders[v] >= first_inc[v]:
                late.append(name)
            if v in first_inc and v not in orders:
                unordered.append(name)
        return early, late, unordered

    def report(self) -> aar.TraineeReport:
        ex = self.exercise
        s = ex.setup
        cal = ex.model.calendar
        early, late, unordered = self.villages()
        objectives, has = objective_results(ex)
        return aar.TraineeReport(
            trainee=ex.trainee or "—", scenario=ex.model.spec.name, seed=s.seed,
            first_day=self.first_day, last_day=self.last_evening, end_day=self.end_day,
            dates=(str(cal.date(self.first_day)), str(cal.date(self.end_day))),
            budget=s.budget, charged=ex.camat.spent, orders=len(ex.camat.orders), runs=self.runs(),
            early=tuple(early), late=tuple(late), unordered_hit=tuple(unordered),
            objectives=tuple(objectives), has_objectives=has,
        )

    # ------------------------------------------------------------------ content

    def summary(self, lang: str) -> str:
        return " ".join(aar.summary_lines(self.report(), lang))

    def seen_rows(self, lang: str = "id") -> list[list[str]]:
        """Villages that were at WASPADA or above (true level) during the exercise, had an incident
        in it in either run, or got an order; earliest true SIAGA first. Every day shown is an
        exercise day; what came earlier is "before the exercise"."""
        ex = self.exercise
        names = village_labels(ex.model.region)
        lv = np.array(ex.levels) if ex.levels else np.zeros((0, len(names)), dtype=np.int8)
        a, b = self.first_day, self.end_day
        before = t("db_before", lang)
        inc_you, inc_none = self.you.village_incidents, self.fair.none.village_incidents
        orders = self.first_orders()
        reports = ex.received()

        def first_report(v: int, level: int) -> str:
            days = [r.arrival for r in reports if r.village == v and r.level >= level and r.arrival <= b]
            if not days:
                return "–"
            return before if min(days) < a else str(min(days))

        rows = []
        for v, name in enumerate(names):
            waspada = _first_at(lv, v, 1, a)
            siaga = _first_at(lv, v, SIAGA, a)
            if waspada is None and not inc_you[v] and not inc_none[v] and v not in orders:
                continue
            level_then = int(lv[a, v]) if len(lv) > a else None
            key = (siaga if siaga is not None else 10**6, waspada if waspada is not None else 10**6, v)
            rows.append((key, [
                name,
                "–" if level_then is None else ALERT_LEVELS[level_then],
                "–" if siaga is None else str(siaga),
                first_report(v, 1),
                first_report(v, SIAGA),
                "–" if v not in orders else str(orders[v]),
                f"{inc_you[v]} / {inc_none[v]}",
            ]))
        return [r for _, r in sorted(rows, key=lambda x: x[0])]

    def changes(self, lang: str) -> list[str]:
        ex = self.exercise
        names = village_labels(ex.model.region)
        word = "hari" if lang == "id" else "day"
        by_village: dict[int | None, list[str]] = {}
        for o in ex.camat.orders:
            by_village.setdefault(o["village"], []).append(f"{ORDER_SHORT[o['kind']][lang]} ({word} {o['day']})")
        lines = []
        for v, orders in by_village.items():
            if v is None:
                name, you, none = "Tim Terpadu", self.you.incidents, self.fair.none.incidents
            else:
                name, you, none = names[v], self.you.village_incidents[v], self.fair.none.village_incidents[v]
            lines.append(t("db_changed_line", lang, village=name, orders=", ".join(orders), you=you, none=none))
        return lines or [t("db_no_orders", lang)]

    def chart(self, lang: str) -> str:
        """Cumulative incidents of the five runs over the exercise days only."""
        cal = self.exercise.model.calendar
        a, b = self.first_day, self.end_day
        n = b - a + 1
        runs = self.runs()
        series = {}
        for key, run in runs.items():
            values = np.zeros(n)
            cum = run["cumulative"][:n]
            values[: len(cum)] = cum
            if len(cum) < n and cum:
                values[len(cum):] = cum[-1]
            series[t(f"ev_short_{key}", lang)] = (values, CHART_COLOURS[key])
        spans = [(name, label, max(x, a) - a, min(y, b) - a) for name, label, x, y in cal.spans() if y >= a and x <= b]
        voting = cal.voting_day - a if a <= cal.voting_day <= b else n
        return lines_svg(np.arange(n), series, n, spans, voting, t("db_chart_title", lang, a=a, b=b), lang, width=640,
                         start=cal.date(a))

    # ------------------------------------------------------------------ HTML

    def body_html(self, lang: str) -> str:
        ex = self.exercise
        s = ex.setup
        r = self.report()
        head = (
            f"<h2>{_e(t('db_title', lang))}: {_e(ex.trainee or '—')}</h2>"
            f"<p>{_e(ex.model.spec.name)} · seed {s.seed} · {_e(t('db_window', lang, a=r.first_day, b=r.last_day, c=r.end_day))} · "
            f"{_e(t('ws_budget_left', lang, left=ex.budget_left, budget=s.budget))}</p>"
            + "".join(f"<p class='db-summary'><b>{_e(line)}</b></p>" for line in aar.summary_lines(r, lang))
        )
        objectives = aar.objective_lines(r, lang)
        obj = ""
        if r.has_objectives or objectives:
            items = "".join(
                f"<li class='{'db-met' if met else 'db-not-met'}'>{_e(text)} — <b>{_e(t('aar_met' if met else 'aar_not_met', lang))}</b></li>"
                for text, met in objectives)
            obj = f"<h3>{_e(t('aar_objectives', lang))}</h3><ul class='db-objectives'>{items}</ul>"
        header, rows = aar.comparison_table(r.runs, lang)
        cmp = (
            f"<h3>{_e(t('db_compare', lang))}</h3><div class='db-scroll'><table class='siaga-table db-compare'><tr>"
            + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"
            + "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in rows) + "</table></div>"
        )
        spend = "<ul class='db-spending'>" + "".join(
            f"<li>{_e(aar.spending_line(k, r.runs[k], r.budget, r.first_day, r.charged, lang))}</li>" for k in aar.RUN_KEYS) + "</ul>"
        cols = t("db_seen_cols", lang).split("|")
        seen_rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in self.seen_rows(lang))
        seen = (
            f"<h3>{_e(t('db_seen', lang))}</h3><div class='db-scroll'><table class='siaga-table db-seen'><tr>"
            + "".join(f"<th>{_e(c)}</th>" for c in cols) + f"</tr>{seen_rows}</table></div>"
        )
        changes = f"<h3>{_e(t('db_changed', lang))}</h3><ul class='db-changes'>" + "".join(f"<li>{_e(line)}</li>" for line in self.changes(lang)) + "</ul>"
        went_well = f"<h3>{_e(t('aar_strengths', lang))}</h3><ul class='db-strengths'>" + "".join(
            f"<li>{_e(x)}</li>" for x in aar.strengths(r, lang) or [t("aar_nothing", lang)]) + "</ul>"
        improve = f"<h3>{_e(t('aar_improve', lang))}</h3><ul class='db-improve'>" + "".join(
            f"<li>{_e(x)}</li>" for x in aar.improvements(r, lang) or [t("aar_nothing", lang)]) + "</ul>"
        note = (f"<p style='color:#546e7a;font-size:12px'>{_e(t('db_day_note', lang))} {_e(t('db_note', lang))} "
                f"{_e(t('db_eval_time', lang, s=self.fair.seconds, n=self.fair.runs))}</p>")
        # wide tables scroll inside their box and the chart scales down: a phone's page never widens
        scroll = "<style>.siaga-debrief .db-scroll{overflow-x:auto;max-width:100%}.siaga-debrief .db-chart svg{max-width:100%;height:auto}</style>"
        return (f"<div class='siaga-debrief'>{scroll}{head}{obj}{cmp}{spend}<div class='db-chart'>{self.chart(lang)}</div>"
                f"{went_well}{improve}{seen}{self.verdicts_html(lang)}{changes}{note}</div>")

    def report_verdicts(self) -> list[tuple[Report, str]]:
        """Each report that reached the desk in the exercise window with its verdict
        (simulation/warning_quality.py): a SIAGA/AWAS report followed by an incident within 7
        days is a warning, one with no incident before or after a false alarm; a lower report
        followed by an incident missed it. Judged against what happened in the trainee's run."""
        ex = self.exercise
        shown = [r for r in ex.received() if ex.setup.first_day <= r.arrival <= ex.today]
        return list(zip(shown, classify_reports(shown, ex.model.incidents)))

    def verdicts_html(self, lang: str) -> str:
        """The reports' verdicts: counts, then the SIAGA/AWAS reports one by one (false alarms marked)."""
        pairs = self.report_verdicts()
        counts = {v: sum(1 for _, x in pairs if x == v) for v in VERDICTS}
        summary = t("db_verdicts_summary", lang, n=len(pairs), **counts)
        names = village_labels(self.exercise.model.region)
        alarms = [(r, v) for r, v in pairs if v in (WARNING, FALSE_ALARM, FOLLOW_UP)][-40:]
        rows = "".join(
            f"<tr class='db-verdict-{v}'><td>{r.sent}</td><td>{r.arrival}</td><td>{_e(names[r.village])}</td>"
            f"<td>{ALERT_LEVELS[r.level]}</td><td>{_e(r.source)}</td><td><b>{_e(t('db_verdict_' + v, lang))}</b></td></tr>"
            for r, v in alarms)
        cols = t("db_verdict_cols", lang).split("|")
        table = ("<div class='db-scroll'><table class='siaga-table db-verdicts'><tr>" + "".join(f"<th>{_e(c)}</th>" for c in cols)
                 + f"</tr>{rows}</table></div>") if alarms else ""
        return (f"<h3>{_e(t('db_verdicts', lang))}</h3><p class='db-verdicts-summary'>{_e(summary)}</p>{table}"
                f"<p style='color:#546e7a;font-size:12px'>{_e(t('db_verdicts_note', lang))}</p>")

    def document(self, lang: str) -> str:
        """A self-contained HTML file (no scripts, no external files) for the facilitator."""
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H:%M")
        style = (
            "body{font-family:sans-serif;margin:24px;color:#263238} table{border-collapse:collapse;font-size:13px}"
            "td,th{border:1px solid #cfd8dc;padding:3px 8px;text-align:left} h2{margin-bottom:4px}"
        )
        return (
            f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>SIAGA debrief {_e(self.exercise.trainee)}</title>"
            f"<style>{style}</style></head><body>{self.body_html(lang)}<p style='font-size:11px;color:#90a4ae'>SIAGA · {stamp}</p></body></html>"
        )

    def pdf(self, lang: str) -> bytes:
        """The trainee's after-action report (PDF)."""
        return aar.trainee_pdf(self.report(), lang)

    def pdf_filename(self) -> str:
        ex = self.exercise
        name = "".join(ch if ch.isalnum() else "_" for ch in (ex.trainee or "peserta"))[:40]
        return f"siaga_laporan_{name}_seed{ex.setup.seed}.pdf"

    def result_row(self) -> dict[str, Any]:
        """What the facilitator's table and the session's after-action report show for this
        trainee: whole-run outcomes (MEASURES) and the exercise window's figures (JSON-friendly)."""
        o = self.exercise.model.outcomes()
        early, late, unordered = self.villages()
        return {
            "incidents": o["incidents"],
            "incident_participants": o["incident_participants"],
            "villages_with_violence": o["villages_with_violence"],
            "peak_mobilised_share": o["peak_mobilised_share"],
            "arrests": o["arrests"],
            "intervention_cost": o["intervention_cost"],
            "first_incident_day": o["first_incident_day"],
            "orders": len(self.exercise.camat.orders),
            "spent": self.exercise.camat.spent,
            "window": {**self.you.as_dict(), "averted_per_person_day": self.you.averted_per_person_day(self.fair.none)},
            "early": early, "late": late, "unordered_hit": unordered,
            "objectives": objective_results(self.exercise)[0],
        }


def session_report(code: str) -> aar.SessionReport | None:
    """A session's after-action data from the registry's summaries (finished trainees side by
    side) and the set-up's fair evaluation; None for an unknown code."""
    from siaga.app import registry

    snap = registry.snapshot(code)
    if snap is None:
        return None
    setup, trainees = snap
    done = tuple((tr.name, tr.result) for tr in trainees if tr.finished and tr.result)
    refs: dict[str, dict[str, Any]] = {}
    if done:
        f = FAIR.get(setup)
        refs = {"none": _run_dict(f.none, f.none), "best": _run_dict(f.best, f.none, f.best.key),
                "typical": _run_dict(f.typical, f.none, f.typical.key), "joint_unlimited": _run_dict(f.joint_unlimited, f.none)}
    from siaga.app.scenario_picker import scenario_source

    try:
        from scenarios import load_scenario

        scenario = load_scenario(scenario_source(setup.scenario)).name
    except Exception:  # noqa: BLE001 - a name for the title only: the file's own name will do
        scenario = str(setup.scenario)
    return aar.SessionReport(
        code=code.strip().upper(), scenario=scenario, seed=setup.seed, first_day=setup.start_day,
        last_day=setup.last_day, budget=setup.budget, trainees=done, references=refs,
        not_finished=tuple(tr.name for tr in trainees if not tr.finished),
    )


def session_after_action_pdf(code: str, lang: str = "id") -> bytes | None:
    """The session's after-action report (PDF) for the facilitator's view; None for an unknown code."""
    rep = session_report(code)
    return None if rep is None else aar.session_pdf(rep, lang)
