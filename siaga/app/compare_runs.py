"""The explorer's comparison of this run with the previous one (issue 14: "a way to compare this
run with the previous one").

An analyst changes one lever and runs again; what they want to know is whether it made a
difference. When the explorer builds a new run it keeps a `RunSummary` of the old one; this module
sets the two side by side: a table of totals (each at the day its run reached, with those days
shown, since the runs may have stopped at different days) and both runs' cumulative incidents on
one chart, so that the difference at equal days can be read off. Pure: summaries in, HTML/SVG out.
"""

from __future__ import annotations

import html

import numpy as np

from siaga.app.draw_charts import lines_svg
from siaga.app.state import RunSummary
from siaga.i18n import t

THIS_COLOUR, PREVIOUS_COLOUR = "#c62828", "#78909c"

ROWS = (  # (RunSummary field, text key, format)
    ("day", "cmp_days", "{:,.0f}"),
    ("incidents", "cmp_incidents", "{:,.0f}"),
    ("participants", "cmp_participants", "{:,.0f}"),
    ("villages_with_violence", "cmp_villages", "{:,.0f}"),
    ("arrests", "cmp_arrests", "{:,.0f}"),
    ("peak_mobilised", "cmp_peak", "{:.1%}"),
    ("cost", "cmp_cost", "{:,.0f}"),
)


def comparison_table(now: RunSummary, previous: RunSummary, lang: str = "id") -> str:
    """The totals of both runs, row by row, with the difference (this run minus the previous)."""
    e = html.escape
    head = (f"<tr><th></th><th class='cmp-this'>{e(t('cmp_this', lang))}</th>"
            f"<th class='cmp-prev'>{e(t('cmp_prev', lang))}</th><th>Δ</th></tr>")
    rows = [head, f"<tr class='cmp-labels'><td></td><td>{e(now.label(lang))}</td><td>{e(previous.label(lang))}</td><td></td></tr>"]
    for field, key, fmt in ROWS:
        a, b = float(getattr(now, field)), float(getattr(previous, field))
        delta = a - b
        sign = "+" if delta > 0 else ""
        rows.append(f"<tr class='cmp-{field}'><td>{e(t(key, lang))}</td><td>{fmt.format(a)}</td>"
                    f"<td>{fmt.format(b)}</td><td>{sign}{fmt.format(delta) if delta else '0'}</td></tr>")
    return "<table class='siaga-compare' style='border-collapse:collapse;font-size:13px'>" + "".join(rows) + "</table>"


def same_day_line(now: RunSummary, previous: RunSummary, lang: str = "id") -> str | None:
    """Incidents of both runs at the last day both reached (None before either has run a day)."""
    day = min(len(now.cumulative_incidents), len(previous.cumulative_incidents))
    if day == 0:
        return None
    return t("cmp_same_day", lang, day=day, a=int(now.cumulative_incidents[day - 1]), b=int(previous.cumulative_incidents[day - 1]))


def comparison_chart(now: RunSummary, previous: RunSummary, model, lang: str = "id", width: int = 560) -> str:
    """Both runs' cumulative incidents over this run's calendar (the stages and dates are this
    run's; a previous run of another scenario is drawn by day number)."""
    cal = model.calendar
    n = max(cal.n_days, len(previous.days))
    days = np.arange(n)
    series = {
        t("cmp_this", lang): (np.asarray(now.cumulative_incidents, dtype=float)[:n], THIS_COLOUR),
        t("cmp_prev", lang): (np.asarray(previous.cumulative_incidents, dtype=float)[:n], PREVIOUS_COLOUR),
    }  # each line stops at the day its run reached (lines_svg draws as many points as it has)
    return lines_svg(days, series, n, cal.spans(), cal.voting_day, t("cmp_chart", lang), lang, width, start=cal.date(0))

