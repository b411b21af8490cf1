"""The workshop debrief: the trainee's run against counterfactuals on the same seed.

Three runs of the same scenario, seed and days: the trainee's, nobody acting (policy "none"), and
the early joint policy. The debrief says what happened in each, when each escalation could first
have been seen (the true alert level, against the day the first report reached the desk and the
trainee's first order there), and what the orders changed village by village. It is one HTML
document: shown in the app and downloaded as a self-contained file for the facilitator.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from siaga.app.drawing import lines_svg
from siaga.app.exercise import COUNTERFACTUALS, Exercise, summarise
from siaga.app.state import village_labels
from siaga.i18n import t

MEASURES = (
    ("incidents", "db_incidents", "{:.0f}"),
    ("incident_participants", "db_participants", "{:.0f}"),
    ("villages_with_violence", "db_villages_violence", "{:.0f}"),
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


def _e(x: Any) -> str:
    return html.escape(str(x))


def _first(levels: np.ndarray, village: int, level: int) -> int | None:
    if not len(levels):
        return None
    hit = np.flatnonzero(levels[:, village] >= level)
    return int(hit[0]) if len(hit) else None


@dataclass
class Debrief:
    exercise: Exercise
    you: dict[str, Any]
    none: dict[str, Any]
    joint: dict[str, Any]

    @classmethod
    def build(cls, ex: Exercise) -> Debrief:
        return cls(ex, summarise(ex.model, ex.levels), COUNTERFACTUALS.get(ex.setup, "none"), COUNTERFACTUALS.get(ex.setup, "joint"))

    # ------------------------------------------------------------------ content

    def summary(self, lang: str) -> str:
        a, b = self.you["outcomes"]["incidents"], self.none["outcomes"]["incidents"]
        if a < b:
            return t("db_summary_better", lang, d=b - a, pct=100 * (b - a) / b)
        if a > b:
            return t("db_summary_worse", lang, d=a - b)
        return t("db_summary_same", lang)

    def comparison(self) -> list[tuple[str, list[str]]]:
        rows = []
        for key, label, fmt in MEASURES:
            vals = []
            for run in (self.you, self.none, self.joint):
                v = run["outcomes"][key]
                if key == "peak_mobilised_share":
                    v = 100 * v
                vals.append("–" if isinstance(v, float) and math.isnan(v) else fmt.format(v))
            rows.append((label, vals))
        return rows

    def seen_rows(self) -> list[list[str]]:
        """Villages that reached WASPADA (true level), had an incident in either run, or got an
        order; earliest true escalation first."""
        ex = self.exercise
        lv = self.you["levels"]
        inc_you, inc_none = self.you["village_incidents"], self.none["village_incidents"]
        first_order: dict[int, int] = {}
        for o in ex.camat.orders:
            if o["village"] is not None:
                first_order.setdefault(o["village"], o["day"])
        rows = []
        labels = village_labels(ex.model.region)
        for v in range(ex.model.region.n_villages):
            waspada, siaga = _first(lv, v, 1), _first(lv, v, 2)
            if waspada is None and not inc_you[v] and not inc_none[v] and v not in first_order:
                continue
            key = (siaga if siaga is not None else 10**6, waspada if waspada is not None else 10**6, v)
            rows.append((key, [
                labels[v],
                _opt(waspada),
                _opt(siaga),
                f"{_opt(ex.first_report_day(v, 1))} / {_opt(ex.first_report_day(v, 2))}",
                _opt(first_order.get(v)),
                f"{int(inc_you[v])} / {int(inc_none[v])}",
            ]))
        return [r for _, r in sorted(rows, key=lambda x: x[0])]

    def changes(self, lang: str) -> list[str]:
        ex = self.exercise
        by_village: dict[int | None, list[str]] = {}
        for o in ex.camat.orders:
            by_village.setdefault(o["village"], []).append(f"{ORDER_SHORT[o['kind']][lang]} ({'hari' if lang == 'id' else 'day'} {o['day']})")
        lines = []
        for v, orders in by_village.items():
            if v is None:
                name = "Tim Terpadu"
                you, none = self.you["outcomes"]["incidents"], self.none["outcomes"]["incidents"]
            else:
                name = village_labels(ex.model.region)[v]
                you, none = int(self.you["village_incidents"][v]), int(self.none["village_incidents"][v])
            lines.append(t("db_changed_line", lang, village=name, orders=", ".join(orders), you=you, none=none))
        return lines or [t("db_no_orders", lang)]

    def chart(self, lang: str) -> str:
        ex = self.exercise
        cal = ex.model.calendar
        n = cal.n_days
        days = np.arange(n)
        series = {}
        for key, run, colour in (("db_you", self.you, "#1565c0"), ("db_none", self.none, "#c62828"), ("db_joint", self.joint, "#2e7d32")):
            per_day = np.zeros(n)
            k = min(len(run["incidents_per_day"]), n)
            per_day[:k] = run["incidents_per_day"][:k]
            series[t(key, lang)] = (np.cumsum(per_day), colour)
        title = "Insiden kumulatif" if lang == "id" else "Cumulative incidents"
        return lines_svg(days, series, n, cal.spans(), cal.voting_day, title, lang, width=640)

    # ------------------------------------------------------------------ HTML

    def body_html(self, lang: str) -> str:
        ex = self.exercise
        s = ex.setup
        head = (
            f"<h2>{_e(t('db_title', lang))}: {_e(ex.trainee or '—')}</h2>"
            f"<p>{_e(ex.model.spec.name)} · seed {s.seed} · {_e(t('db_window', lang, a=s.start_day, b=s.days - 1))} · "
            f"{_e(t('ws_budget_left', lang, left=ex.budget_left, budget=s.budget))}</p>"
            f"<p class='db-summary'><b>{_e(self.summary(lang))}</b></p>"
        )
        cmp_rows = "".join(f"<tr><td>{_e(t(label, lang))}</td>" + "".join(f"<td>{_e(v)}</td>" for v in vals) + "</tr>" for label, vals in self.comparison())
        cmp = (
            f"<h3>{_e(t('db_compare', lang))}</h3><table class='siaga-table db-compare'><tr><th>{_e(t('db_measure', lang))}</th>"
            f"<th>{_e(t('db_you', lang))}</th><th>{_e(t('db_none', lang))}</th><th>{_e(t('db_joint', lang))}</th></tr>{cmp_rows}</table>"
        )
        cols = t("db_seen_cols", lang).split("|")
        seen_rows = "".join("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>" for row in self.seen_rows())
        seen = (
            f"<h3>{_e(t('db_seen', lang))}</h3><table class='siaga-table db-seen'><tr>"
            + "".join(f"<th>{_e(c)}</th>" for c in cols) + f"</tr>{seen_rows}</table>"
        )
        changes = f"<h3>{_e(t('db_changed', lang))}</h3><ul class='db-changes'>" + "".join(f"<li>{_e(line)}</li>" for line in self.changes(lang)) + "</ul>"
        note = f"<p style='color:#546e7a;font-size:12px'>{_e(t('db_note', lang))}</p>"
        return f"<div class='siaga-debrief'>{head}{cmp}<div>{self.chart(lang)}</div>{seen}{changes}{note}</div>"

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

    def result_row(self) -> dict[str, Any]:
        """What the facilitator's table shows for this trainee."""
        o = self.you["outcomes"]
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
        }


def _opt(v: int | None) -> str:
    return "–" if v is None else str(v)

