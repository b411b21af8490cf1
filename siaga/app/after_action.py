"""The after-action report: what went well, what to improve and an improvement plan, as a PDF.

Shaped like the after-action report of FEMA's Homeland Security Exercise and Evaluation Program
(HSEEP): an overview of the exercise, a summary, strengths, areas for improvement and an
improvement-plan table whose action, owner and date columns are left blank for the unit to fill
in. One report per trainee (`trainee_pdf`) and one per workshop session with every finished
trainee side by side (`session_pdf`), in Bahasa Indonesia or English.

Pure: plain data in (`TraineeReport`, `SessionReport`; the runs as JSON-friendly dicts, as the
facilitator's registry keeps them), PDF bytes out. The same sentences feed the debrief page
(`siaga.app.debrief`), so the page and the paper never disagree.

Why ReportLab and not WeasyPrint. ReportLab (BSD) is a pure-Python wheel (`py3-none-any`; it
needs only Pillow, already here through matplotlib, and charset-normalizer) that draws PDF
directly, so `pip install` is enough on a Linux server, in CI and on the Windows laptop of a
Kesbangpol training unit, offline. WeasyPrint lays out HTML and CSS and would reuse the debrief's
HTML, but it needs Pango (and its cairo, HarfBuzz and fontconfig libraries) from the system: a
Debian package in CI and a separate GTK installer on Windows, one more thing to fail in a village
hall. A report of headings, paragraphs and tables needs no CSS engine. Text is set in DejaVu Sans
(shipped inside matplotlib) so names in any Latin, Greek or Cyrillic script print; the PDF is
written with ReportLab's `invariant` mode, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape

from siaga.i18n import t

RUN_KEYS = ("you", "none", "best", "typical", "joint_unlimited")
CHART_COLOURS = {"you": "#1565c0", "none": "#c62828", "best": "#2e7d32", "typical": "#ef6c00", "joint_unlimited": "#6a1b9a"}
PLAN_BLANK_ROWS = 3  # empty rows under the found areas, for what the group adds


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class TraineeReport:
    """One trainee's exercise. `runs[key]` for each of RUN_KEYS: a run over the exercise window as
    `WindowRun.as_dict()` plus `averted_per_person_day` and, for best and typical, `preset`."""

    trainee: str
    scenario: str
    seed: int
    first_day: int  # first evening at the desk
    last_day: int  # last evening at the desk
    end_day: int  # last day counted (the last evening's orders act on it)
    dates: tuple[str, str]  # of first_day and end_day
    budget: float
    charged: float  # what the trainee's orders were charged against the budget
    orders: int
    runs: Mapping[str, Mapping[str, Any]]
    early: tuple[str, ...] = ()  # villages with an order before their true level reached SIAGA
    late: tuple[str, ...] = ()  # villages whose first order came after their first incident
    unordered_hit: tuple[str, ...] = ()  # villages with incidents and no order
    objectives: tuple[Mapping[str, Any], ...] = ()  # kind, met, village (name), target, value, level
    has_objectives: bool = False  # the exercise file sets objectives (even if none could be checked)


@dataclass(frozen=True)
class SessionReport:
    """A workshop session: every finished trainee's registry result (`Debrief.result_row`)."""

    code: str
    scenario: str
    seed: int
    first_day: int
    last_day: int
    budget: float
    trainees: tuple[tuple[str, Mapping[str, Any]], ...]  # (name, result) of finished trainees
    references: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)  # none, best, typical, joint_unlimited
    not_finished: tuple[str, ...] = ()


# --------------------------------------------------------------------------- sentences


def preset_name(preset: str | None, lang: str) -> str:
    return t(f"ev_preset_{preset}", lang) if preset else "–"


def run_label(key: str, run: Mapping[str, Any], lang: str) -> str:
    if key in ("best", "typical"):
        return t(f"ev_{key}", lang, preset=preset_name(run.get("preset"), lang))
    return t(f"ev_{key}", lang)


def _num(v: Any, fmt: str) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return "–"
    return fmt.format(v)


MEASURE_ROWS = (
    ("ev_m_incidents", "incidents", "{:.0f}"),
    ("ev_m_participants", "participants", "{:.0f}"),
    ("ev_m_villages", "villages_with_violence", "{:.0f}"),
    ("ev_m_peak", "peak_mobilised_share", "{:.2f}"),
    ("ev_m_arrests", "arrests", "{:.0f}"),
    ("ev_m_first", "first_incident_day", "{:.0f}"),
    ("ev_m_spent", "spent", "{:,.0f}"),
    ("ev_m_per_pd", "averted_per_person_day", "{:.3f}"),
)


def measure(run: Mapping[str, Any], key: str, fmt: str) -> str:
    v = run.get(key)
    if key == "peak_mobilised_share" and v is not None:
        v = 100 * v
    return _num(v, fmt)


def comparison_table(runs: Mapping[str, Mapping[str, Any]], lang: str) -> tuple[list[str], list[list[str]]]:
    """(header, rows): one column per run in RUN_KEYS order, one row per measure."""
    keys = [k for k in RUN_KEYS if k in runs]
    header = [t("db_measure", lang)] + [run_label(k, runs[k], lang) for k in keys]
    rows = [[t(label, lang)] + [measure(runs[k], key, fmt) for k in keys] for label, key, fmt in MEASURE_ROWS]
    return header, rows


def spending_line(key: str, run: Mapping[str, Any], budget: float, first_day: int, charged: float, lang: str) -> str:
    """What a run spent, and why, in one plain sentence."""
    label = run_label(key, run, lang)
    if key == "you":
        return t("ev_spend_you", lang, spent=run["spent"], budget=budget, charged=charged)
    if key == "none":
        return t("ev_spend_none", lang)
    if key == "joint_unlimited":
        return t("ev_spend_joint", lang, label=label, total=run["spent_total"], spent=run["spent"])
    until = run.get("acted_until")
    if until is None:
        return t("ev_spend_full", lang, label=label, a=first_day, spent=run["spent"], budget=budget)
    if until < first_day or run["spent"] <= 0:
        return t("ev_spend_never", lang, label=label, budget=budget)
    return t("ev_spend_stopped", lang, label=label, a=first_day, d=until, spent=run["spent"], budget=budget)


def summary_lines(r: TraineeReport, lang: str) -> list[str]:
    you, none, best = r.runs["you"], r.runs["none"], r.runs["best"]
    a, b = you["incidents"], none["incidents"]
    if a < b:
        first = t("db_summary_better", lang, d=b - a, pct=100 * (b - a) / b)
    elif a > b:
        first = t("db_summary_worse", lang, d=a - b)
    else:
        first = t("db_summary_same", lang)
    return [first, t("ev_summary_best", lang, preset=preset_name(best.get("preset"), lang), n=best["incidents"], you=a)]


def objective_lines(r: TraineeReport, lang: str) -> list[tuple[str, bool]]:
    out = []
    for o in r.objectives:
        text = t(f"aar_obj_{o['kind']}", lang, village=o.get("village") or "–", target=o.get("target", ""),
                 value=o.get("value", ""), level=o.get("level", ""))
        out.append((text, bool(o["met"])))
    return out


def _names(xs: Sequence[str], most: int = 6) -> str:
    xs = list(xs)
    return ", ".join(xs[:most]) + (f" (+{len(xs) - most})" if len(xs) > most else "")


def strengths(r: TraineeReport, lang: str) -> list[str]:
    """What went well, from the figures (HSEEP "strengths")."""
    you, none, best, typical = (r.runs[k] for k in ("you", "none", "best", "typical"))
    out = []
    if you["incidents"] == 0:
        out.append(t("aar_s_zero", lang))
    elif you["incidents"] < none["incidents"]:
        out.append(t("aar_s_averted", lang, d=none["incidents"] - you["incidents"], you=you["incidents"], none=none["incidents"]))
    if you["incidents"] <= best["incidents"] and r.orders:
        out.append(t("aar_s_best", lang, preset=preset_name(best.get("preset"), lang), n=best["incidents"]))
    x, y = you.get("averted_per_person_day"), typical.get("averted_per_person_day")
    if x is not None and x > 0 and (y is None or x > y):
        out.append(t("aar_s_efficient", lang, x=x, y=_num(y, "{:.3f}")))
    if r.early:
        out.append(t("aar_s_early", lang, villages=_names(r.early)))
    out += [text for text, met in objective_lines(r, lang) if met]
    return out


def improvements(r: TraineeReport, lang: str) -> list[str]:
    """Areas for improvement, from the figures; each becomes a row of the improvement plan."""
    you, none, best = r.runs["you"], r.runs["none"], r.runs["best"]
    out = []
    if r.orders == 0:
        out.append(t("aar_i_no_orders", lang))
    if you["incidents"] > none["incidents"]:
        out.append(t("aar_i_worse_none", lang, you=you["incidents"], none=none["incidents"]))
    if you["incidents"] > best["incidents"]:
        out.append(t("aar_i_worse_best", lang, preset=preset_name(best.get("preset"), lang), n=best["incidents"],
                     you=you["incidents"], d=you["incidents"] - best["incidents"]))
    if r.unordered_hit:
        out.append(t("aar_i_unordered", lang, villages=_names(r.unordered_hit)))
    if r.late:
        out.append(t("aar_i_late", lang, villages=_names(r.late)))
    if you["incidents"] > 0 and r.charged < 0.5 * r.budget:
        out.append(t("aar_i_unused", lang, charged=r.charged, budget=r.budget, n=you["incidents"]))
    out += [text for text, met in objective_lines(r, lang) if not met]
    return out


def session_strengths(s: SessionReport, lang: str) -> list[str]:
    done = [(n, res) for n, res in s.trainees if res.get("window")]
    if not done:
        return []
    none, best = s.references.get("none", {}), s.references.get("best", {})
    out = []
    if none:
        k = sum(1 for _, res in done if res["window"]["incidents"] < none["incidents"])
        out.append(t("aar_ss_averted", lang, k=k, n=len(done)))
    top = min(done, key=lambda x: x[1]["window"]["incidents"])
    out.append(t("aar_ss_top", lang, name=top[0], n=top[1]["window"]["incidents"]))
    if best:
        good = [n for n, res in done if res["window"]["incidents"] <= best["incidents"] and res.get("orders")]
        if good:
            out.append(t("aar_ss_best", lang, names=_names(good)))
    return out


def session_improvements(s: SessionReport, lang: str) -> list[str]:
    done = [(n, res) for n, res in s.trainees if res.get("window")]
    typical = s.references.get("typical", {})
    out = []
    if typical:
        worse = [n for n, res in done if res["window"]["incidents"] > typical["incidents"]]
        if worse:
            out.append(t("aar_si_typical", lang, n=typical["incidents"], names=_names(worse)))
    hit = Counter(v for _, res in done for v in res.get("unordered_hit", ()))
    if hit:
        village, k = hit.most_common(1)[0]
        out.append(t("aar_si_village", lang, village=village, k=k))
    return out


# --------------------------------------------------------------------------- PDF


def _fonts() -> tuple[str, str]:
    """DejaVu Sans (regular, bold) from matplotlib's data, registered once; Helvetica otherwise."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "SiagaSans" in pdfmetrics.getRegisteredFontNames():
        return "SiagaSans", "SiagaSans-Bold"
    try:
        import matplotlib

        ttf = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        pdfmetrics.registerFont(TTFont("SiagaSans", os.path.join(ttf, "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("SiagaSans-Bold", os.path.join(ttf, "DejaVuSans-Bold.ttf")))
    except Exception:  # noqa: BLE001 - any font problem: the built-in Latin-1 fonts still print
        return "Helvetica", "Helvetica-Bold"
    return "SiagaSans", "SiagaSans-Bold"


class _Doc:
    """A small builder over ReportLab's platypus: headings, paragraphs, bullets and tables."""

    def __init__(self, title: str, lang: str):
        from reportlab.lib.styles import ParagraphStyle

        self.lang, self.title = lang, title
        regular, bold = _fonts()
        self.regular, self.bold = regular, bold
        self.h1 = ParagraphStyle("h1", fontName=bold, fontSize=16, leading=20, spaceAfter=6)
        self.h2 = ParagraphStyle("h2", fontName=bold, fontSize=12, leading=15, spaceBefore=10, spaceAfter=4)
        self.body = ParagraphStyle("body", fontName=regular, fontSize=9.5, leading=12.5, spaceAfter=3, bulletFontName=regular)
        self.cell = ParagraphStyle("cell", fontName=regular, fontSize=8, leading=10)
        self.cell_bold = ParagraphStyle("cellb", parent=self.cell, fontName=bold)
        self.story: list[Any] = []

    def heading(self, text: str, level: int = 2) -> None:
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(escape(text), self.h1 if level == 1 else self.h2))

    def para(self, text: str) -> None:
        from reportlab.platypus import Paragraph

        self.story.append(Paragraph(escape(text), self.body))

    def bullets(self, items: Sequence[str], empty: str) -> None:
        from reportlab.platypus import Paragraph

        for item in items or [empty]:
            self.story.append(Paragraph(escape(item), self.body, bulletText="•"))

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float] | None = None,
              min_height: float = 0) -> None:
        from reportlab.lib import colors
        from reportlab.platypus import Paragraph, Table, TableStyle

        data = [[Paragraph(escape(str(h)), self.cell_bold) for h in header]]
        data += [[Paragraph(escape(str(c)), self.cell) for c in row] for row in rows]
        # a row with text grows with it; an empty row (to fill in by hand) gets `min_height`
        heights = [None] + [None if any(str(c).strip() for c in row) or not min_height else min_height for row in rows]
        tbl = Table(data, colWidths=widths, rowHeights=heights, repeatRows=1)
        tbl.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#90a4ae")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eceff1")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ] + ([("BOTTOMPADDING", (0, 1), (-1, -1), 14)] if min_height else [])))  # room to write by hand
        self.story.append(tbl)

    def chart(self, title: str, series: Sequence[tuple[str, Sequence[float], str]], x0: int) -> None:
        """Lines over the exercise days (x from `x0`), with a legend: the debrief's cumulative chart."""
        from reportlab.graphics.charts.legends import Legend
        from reportlab.graphics.charts.lineplots import LinePlot
        from reportlab.graphics.shapes import Drawing, String
        from reportlab.lib import colors

        series = [(label, list(values), colour) for label, values, colour in series if len(values)]
        if not series:
            return
        width, height = self.width, 170
        d = Drawing(width, height)
        d.add(String(0, height - 12, title, fontName=self.bold, fontSize=9))
        plot = LinePlot()
        plot.x, plot.y, plot.width, plot.height = 30, 45, width - 40, height - 75
        plot.data = [[(x0 + i, float(v)) for i, v in enumerate(values)] for _, values, _ in series]
        for i, (_, _, colour) in enumerate(series):
            plot.lines[i].strokeColor = colors.HexColor(colour)
            plot.lines[i].strokeWidth = 1.5
        top = max(max(values) for _, values, _ in series)
        plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, max(top, 1)
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = x0, x0 + max(len(v) for _, v, _ in series) - 1
        for axis in (plot.xValueAxis, plot.yValueAxis):
            axis.labels.fontName, axis.labels.fontSize = self.regular, 7
        d.add(plot)
        legend = Legend()
        legend.x, legend.y, legend.fontName, legend.fontSize = 30, 22, self.regular, 7
        legend.alignment, legend.columnMaximum, legend.dx, legend.dy, legend.deltay = "right", 2, 8, 6, 10
        legend.colorNamePairs = [(colors.HexColor(colour), label) for label, _, colour in series]
        d.add(legend)
        self.story.append(d)

    def build(self, footer: str) -> bytes:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm
        from reportlab.platypus import SimpleDocTemplate

        buf = io.BytesIO()
        regular = self.regular

        def on_page(canvas, doc) -> None:
            canvas.saveState()
            canvas.setFont(regular, 7.5)
            canvas.drawString(18 * mm, 10 * mm, f"{footer} · {t('aar_page', self.lang, n=doc.page)}")
            canvas.restoreState()

        doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=16 * mm,
                                bottomMargin=18 * mm, title=self.title, author="SIAGA", lang=self.lang, invariant=1)
        doc.build(self.story, onFirstPage=on_page, onLaterPages=on_page)
        return buf.getvalue()

    @property
    def width(self) -> float:
        from reportlab.lib.pagesizes import A4
        from reportlab.lib.units import mm

        return A4[0] - 36 * mm


def _plan(doc: _Doc, areas: Sequence[str], lang: str) -> None:
    cols = t("aar_plan_cols", lang).split("|")
    rows = [[a, "", "", ""] for a in areas] + [["", "", "", ""] for _ in range(PLAN_BLANK_ROWS)]
    w = doc.width
    doc.table(cols, rows, widths=[0.4 * w, 0.3 * w, 0.17 * w, 0.13 * w], min_height=28)


def _footer(stamp: str | None) -> str:
    return f"SIAGA · {stamp or dt.date.today().isoformat()}"


def trainee_pdf(r: TraineeReport, lang: str = "id", stamp: str | None = None) -> bytes:
    """The trainee's after-action report as PDF bytes (`stamp`: the date printed in the footer)."""
    doc = _Doc(f"{t('aar_title', lang)}: {r.trainee}", lang)
    doc.heading(f"{t('aar_title', lang)}: {r.trainee}", 1)
    doc.heading(t("aar_overview", lang))
    doc.para(t("aar_overview_line", lang, name=r.trainee, scenario=r.scenario, seed=r.seed, a=r.first_day, b=r.last_day,
               da=r.dates[0], db=r.dates[1], budget=r.budget, orders=r.orders))
    doc.para(t("db_window", lang, a=r.first_day, b=r.last_day, c=r.end_day))
    doc.heading(t("aar_summary", lang))
    for line in summary_lines(r, lang):
        doc.para(line)
    doc.heading(t("aar_objectives", lang))
    objectives = objective_lines(r, lang)
    if objectives:
        doc.bullets([f"{text} — {t('aar_met' if met else 'aar_not_met', lang)}" for text, met in objectives], "")
    else:
        doc.para(t("aar_no_objectives", lang))
    doc.heading(t("aar_comparison", lang))
    header, rows = comparison_table(r.runs, lang)
    w = doc.width
    doc.table(header, rows, widths=[0.25 * w] + [0.75 * w / (len(header) - 1)] * (len(header) - 1))
    doc.heading(t("aar_spending", lang))
    doc.bullets([spending_line(k, r.runs[k], r.budget, r.first_day, r.charged, lang) for k in RUN_KEYS if k in r.runs], "")
    doc.chart(t("db_chart_title", lang, a=r.first_day, b=r.end_day),
              [(t(f"ev_short_{k}", lang), r.runs[k].get("cumulative", ()), CHART_COLOURS[k]) for k in RUN_KEYS if k in r.runs],
              r.first_day)
    return _closing(doc, strengths(r, lang), improvements(r, lang), lang, stamp)


def _closing(doc, went_well: list[str], areas: list[str], lang: str, stamp: str) -> bytes:
    """The HSEEP tail both reports share: strengths, areas for improvement, the improvement plan
    to fill in, the note on what the comparison means; then the PDF's bytes."""
    doc.heading(t("aar_strengths", lang))
    doc.bullets(went_well, t("aar_nothing", lang))
    doc.heading(t("aar_improve", lang))
    doc.bullets(areas, t("aar_nothing", lang))
    doc.heading(t("aar_plan", lang))
    _plan(doc, areas, lang)
    doc.para("")
    doc.para(t("db_note", lang))
    return doc.build(_footer(stamp))


SESSION_COLS = (
    ("ev_m_incidents", "incidents", "{:.0f}"),
    ("ev_m_participants", "participants", "{:.0f}"),
    ("ev_m_villages", "villages_with_violence", "{:.0f}"),
    ("ev_m_spent", "spent", "{:,.0f}"),
    ("ev_m_per_pd", "averted_per_person_day", "{:.3f}"),
)


def session_table(s: SessionReport, lang: str) -> tuple[list[str], list[list[str]]]:
    """One row per finished trainee, then the references; columns: the window's measures."""
    with_objectives = any(res.get("objectives") for _, res in s.trainees)
    header = [t("aar_col_name", lang)] + [t(label, lang) for label, _, _ in SESSION_COLS] + [t("aar_col_orders", lang)]
    header += [t("aar_objectives", lang)] if with_objectives else []
    rows = []
    for name, res in s.trainees:
        w = res.get("window") or {}
        row = [name] + [measure(w, key, fmt) for _, key, fmt in SESSION_COLS] + [str(res.get("orders", "–"))]
        if with_objectives:
            objs = res.get("objectives") or []
            row.append(f"{sum(1 for o in objs if o.get('met'))}/{len(objs)}" if objs else "–")
        rows.append(row)
    for key in ("none", "best", "typical", "joint_unlimited"):
        run = s.references.get(key)
        if run:
            rows.append([run_label(key, run, lang)] + [measure(run, k, fmt) for _, k, fmt in SESSION_COLS] + ["–"] * (len(header) - 1 - len(SESSION_COLS)))
    return header, rows


def session_pdf(s: SessionReport, lang: str = "id", stamp: str | None = None) -> bytes:
    """The session's after-action report: every finished trainee side by side, as PDF bytes."""
    title = t("aar_session_title", lang, code=s.code)
    doc = _Doc(title, lang)
    doc.heading(title, 1)
    doc.heading(t("aar_overview", lang))
    doc.para(t("aar_session_line", lang, scenario=s.scenario, seed=s.seed, a=s.first_day, b=s.last_day, budget=s.budget,
               done=len(s.trainees), n=len(s.trainees) + len(s.not_finished)))
    if s.not_finished:
        doc.para(t("aar_not_finished", lang, names=", ".join(s.not_finished)))
    doc.heading(t("aar_summary", lang))
    header, rows = session_table(s, lang)
    w = doc.width
    doc.table(header, rows, widths=[0.3 * w] + [0.7 * w / (len(header) - 1)] * (len(header) - 1))
    doc.bullets([spending_line(k, s.references[k], s.budget, s.first_day, 0.0, lang)
                 for k in ("none", "best", "typical", "joint_unlimited") if k in s.references], "")
    return _closing(doc, session_strengths(s, lang), session_improvements(s, lang), lang, stamp)
