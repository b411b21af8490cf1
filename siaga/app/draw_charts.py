"""The app's charts as SVG: escalation shares, incidents per day and resources in use over the
calendar, with dates on the time axis, the election stages (tahapan) shaded and voting day marked."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from siaga.app.svg_style import (
    SERIES_COLOURS,
    STAGE_SHADES,
    _esc,
)
from siaga.i18n import stage_label, t

# --------------------------------------------------------------------------- charts


@dataclass
class Frame:
    """Plot geometry shared by the charts: x is the day over the whole calendar."""

    n_days: int
    width: int = 560
    height: int = 170
    left: int = 44
    right: int = 10
    top: int = 22
    bottom: int = 22
    start: dt.date | None = None  # the calendar's first day: dates on the time axis (None: day numbers)

    def x(self, day: float) -> float:
        return self.left + (self.width - self.left - self.right) * day / max(self.n_days - 1, 1)

    def y(self, value: float, vmax: float) -> float:
        h = self.height - self.top - self.bottom
        return self.top + h * (1 - value / vmax if vmax > 0 else 1)


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def _chart_open(f: Frame, title: str, cls: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="siaga-chart {cls}" width="{f.width}" height="{f.height}" viewBox="0 0 {f.width} {f.height}" font-family="sans-serif">',
        f'<rect width="{f.width}" height="{f.height}" fill="#ffffff"/>',
        f'<text x="{f.left}" y="14" font-size="12" font-weight="bold" fill="#263238">{_esc(title)}</text>',
    ]


MONTHS = {
    "id": ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}
STAGE_LABEL_CHAR_PX = 4.6  # about one character's width at font-size 8
STAGE_LABEL_LINES = 2


def short_date(d: dt.date, lang: str, year: bool = False) -> str:
    """"1 Sep" / "1 Sep 2024" with the page's month names."""
    m = MONTHS.get(lang, MONTHS["id"])[d.month - 1]
    return f"{d.day} {m} {d.year}" if year else f"{d.day} {m}"


def wrap_label(text: str, max_chars: int, max_lines: int = STAGE_LABEL_LINES) -> list[str] | None:
    """`text` broken at spaces into at most `max_lines` lines of `max_chars`; None if it does not fit
    (a word is never cut)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= max_chars:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines or any(len(line) > max_chars for line in lines):
        return None
    return lines


def _stage_text(f: Frame, name: str, label: str, lang: str, x0: float, x1: float) -> list[str]:
    """A stage's label across its band: whole, wrapped over two lines, or shortened (never cut)."""
    from siaga.i18n import stage_short

    max_chars = max(int((x1 - x0 - 2) / STAGE_LABEL_CHAR_PX), 1)
    full = stage_label(name, label, lang)
    lines = wrap_label(full, max_chars) or wrap_label(stage_short(name, full, lang), max_chars)
    if not lines:
        return []
    cx = (x0 + x1) / 2
    spans = "".join(f'<tspan x="{cx:.1f}" dy="{0 if i == 0 else 9}">{_esc(line)}</tspan>' for i, line in enumerate(lines))
    return [f'<text x="{cx:.1f}" y="{f.top + 10}" font-size="8" fill="#78909c" text-anchor="middle" class="stage-label">{spans}</text>']


def _stages(f: Frame, spans, voting_day: int | list[int], lang: str, labels: bool) -> list[str]:
    """The stage bands (the first race's calendar) and the voting day line; with staggered races
    (`voting_day` a list, first the earliest) a lighter line for each later wave's voting day."""
    from siaga.i18n import t as _t

    out = []
    for i, (name, label, a, b) in enumerate(spans):
        x0, x1 = f.x(a - 0.5), f.x(b + 0.5)
        out.append(f'<rect x="{x0:.1f}" y="{f.top}" width="{max(x1 - x0, 0.5):.1f}" height="{f.height - f.top - f.bottom}" fill="{STAGE_SHADES[i % 2]}" class="stage"><title>{_esc(stage_label(name, label, lang))}</title></rect>')
        if labels and b - a >= 12:
            out += _stage_text(f, name, label, lang, x0, x1)
    votes = [int(v) for v in np.atleast_1d(voting_day)]  # staggered races: every wave's voting day, the first labelled
    for k, later in enumerate(votes[1:], start=2):
        if later < f.n_days:
            xl = f.x(later)
            out.append(f'<line x1="{xl:.1f}" y1="{f.top}" x2="{xl:.1f}" y2="{f.height - f.bottom}" stroke="#000" stroke-opacity="0.45" '
                       f'stroke-width="1" stroke-dasharray="3,2" class="voting-day-wave"><title>{_esc(_t("voting_day_wave", lang, k=k))}</title></line>')
    if votes[0] >= f.n_days:
        return out
    xv = f.x(votes[0])
    vote = _t("voting_day_line", lang)
    out.append(f'<line x1="{xv:.1f}" y1="{f.top}" x2="{xv:.1f}" y2="{f.height - f.bottom}" stroke="#000" stroke-width="1" stroke-dasharray="3,2" class="voting-day"><title>{_esc(vote)}</title></line>')
    # the label beside the line, near the top of the plot, under the stage labels: the charts' nice
    # maximum leaves the top mostly free of data, while the foot is where every series starts
    anchor, dx = ("end", -3) if xv > f.width - f.right - 90 else ("start", 3)
    y = f.top + (32 if labels else 10)
    out.append(f'<text x="{xv + dx:.1f}" y="{y}" font-size="9" fill="#000" text-anchor="{anchor}" '
               f'stroke="#ffffff" stroke-width="2.5" paint-order="stroke" class="voting-day-label">{_esc(vote)}</text>')
    return out


def _date_ticks(f: Frame) -> list[int]:
    """Days to mark on the time axis: the first of each month, or each week on a short calendar."""
    if f.start is None:
        return list(range(0, f.n_days, 30))
    if f.n_days < 60:
        return list(range(0, f.n_days, 7))
    firsts = [d for d in range(f.n_days) if (f.start + dt.timedelta(days=d)).day == 1]
    if len(firsts) > 8:  # a long calendar: every other month
        firsts = firsts[::2]
    return firsts


def _axes(f: Frame, vmax: float, fmt: str, start_label: str, lang: str = "id") -> list[str]:
    out = [f'<line x1="{f.left}" y1="{f.height - f.bottom}" x2="{f.width - f.right}" y2="{f.height - f.bottom}" stroke="#90a4ae"/>']
    for frac in (0, 0.5, 1):
        yv = f.y(vmax * frac, vmax)
        out.append(f'<text x="{f.left - 4}" y="{yv + 3:.1f}" font-size="9" text-anchor="end" fill="#546e7a">{fmt.format(vmax * frac)}</text>')
    seen_year = None
    for d in _date_ticks(f):
        if f.start is None:
            text = str(d)
        else:
            date = f.start + dt.timedelta(days=d)
            text = short_date(date, lang, year=date.year != seen_year)
            seen_year = date.year
        out.append(f'<line x1="{f.x(d):.1f}" y1="{f.height - f.bottom}" x2="{f.x(d):.1f}" y2="{f.height - f.bottom + 3}" stroke="#90a4ae"/>')
        out.append(f'<text x="{f.x(d):.1f}" y="{f.height - 8}" font-size="9" text-anchor="middle" fill="#546e7a" class="axis-date" data-day="{d}">{_esc(text)}</text>')
    if start_label:
        out.append(f'<text x="{f.width - f.right}" y="{f.height - 8}" font-size="9" text-anchor="end" fill="#546e7a">{_esc(start_label)}</text>')
    return out


def shares_svg(rows: dict[str, np.ndarray], n_days: int, spans, voting_day: int, lang: str = "id", width: int = 560,
               start: dt.date | None = None) -> str:
    """Stacked areas of tense, mobilised and violent-or-detained shares (in %); calm is the rest and
    is given, with today's values, in the legend. The y axis scales to the highest non-calm share."""
    f = Frame(n_days, width=width, height=200, top=36, start=start)
    days = rows["day"]
    tense, mob = 100 * rows["tense"], 100 * rows["mobilised"]
    viol = 100 * (rows["violent"] + rows["detained"])
    total = tense + mob + viol
    vmax = _nice_max(float(total.max()) if len(total) else 0.0)
    out = _chart_open(f, t("chart_shares", lang), "shares")
    out += _stages(f, spans, voting_day, lang, labels=True)
    base = np.zeros(len(days))
    for key, series in (("violent", viol), ("mobilised", mob), ("tense", tense)):
        if len(days):
            top = base + series
            pts = [f"{f.x(d):.1f},{f.y(v, vmax):.1f}" for d, v in zip(days, top)]
            pts += [f"{f.x(d):.1f},{f.y(v, vmax):.1f}" for d, v in zip(days[::-1], base[::-1])]
            out.append(f'<polygon points="{" ".join(pts)}" fill="{SERIES_COLOURS[key]}" fill-opacity="0.85" class="series-{key}"/>')
            base = top
    out += _axes(f, vmax, "{:.1f}%", "", lang)
    last = {k: (100 * float(rows[k][-1]) if len(days) else 0.0) for k in ("calm", "tense", "mobilised")}
    last["violent"] = float(viol[-1]) if len(days) else 0.0
    lx = f.left + 4
    for key, colour in (("calm", "#90a4ae"), ("tense", SERIES_COLOURS["tense"]), ("mobilised", SERIES_COLOURS["mobilised"]), ("violent", SERIES_COLOURS["violent"])):
        text = f"{t(key, lang)} {last[key]:.1f}%"
        out.append(f'<rect x="{lx}" y="21" width="8" height="8" fill="{colour}"/><text x="{lx + 11}" y="28" font-size="9" class="legend-{key}">{_esc(text)}</text>')
        lx += 12 + 6 * len(text)
    out.append("</svg>")
    return "".join(out)


def bars_svg(days: np.ndarray, values: np.ndarray, n_days: int, spans, voting_day: int, title: str, lang: str = "id", width: int = 560,
             colour: str = "#c62828", start: dt.date | None = None) -> str:
    f = Frame(n_days, width=width, height=120, start=start)
    vmax = _nice_max(float(values.max()) if len(values) else 0.0)
    out = _chart_open(f, title, "incidents")
    out += _stages(f, spans, voting_day, lang, labels=False)
    w = max((f.width - f.left - f.right) / max(n_days, 1) * 0.9, 1.0)
    for d, v in zip(days, values):
        if v > 0:
            y0 = f.y(v, vmax)
            out.append(f'<rect x="{f.x(d) - w / 2:.1f}" y="{y0:.1f}" width="{w:.1f}" height="{f.height - f.bottom - y0:.1f}" fill="{colour}" class="bar"><title>{_esc(short_date(start + dt.timedelta(days=int(d)), lang, year=True) if start else int(d))}: {v:g}</title></rect>')
    out += _axes(f, vmax, "{:g}", "", lang)
    out.append(f'<text x="{f.width - f.right}" y="14" font-size="10" text-anchor="end" class="total">Σ {float(values.sum()):g}</text>')
    out.append("</svg>")
    return "".join(out)


def lines_svg(days: np.ndarray, series: dict[str, tuple[np.ndarray, str]], n_days: int, spans, voting_day: int, title: str, lang: str = "id", width: int = 560,
              start: dt.date | None = None) -> str:
    """Lines of whole-number series (people, person-days): today's value in the legend, rounded."""
    f = Frame(n_days, width=width, height=150, top=34, start=start)
    vmax = _nice_max(max((float(v.max()) for v, _ in series.values() if len(v)), default=0.0))
    out = _chart_open(f, title, "resources")
    out += _stages(f, spans, voting_day, lang, labels=False)
    lx = f.left
    for label, (values, colour) in series.items():
        if len(days):
            pts = " ".join(f"{f.x(d):.1f},{f.y(v, vmax):.1f}" for d, v in zip(days, values))
            out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1.5" class="line"/>')
        last = f" {round(float(values[-1])):,d}" if len(values) else ""  # officers and person-days are whole
        out.append(f'<rect x="{lx}" y="19" width="8" height="8" fill="{colour}"/><text x="{lx + 11}" y="26" font-size="9">{_esc(label + last)}</text>')
        lx += 22 + 6 * len(label + last)
    out += _axes(f, vmax, "{:g}", "", lang)
    out.append("</svg>")
    return "".join(out)


def charts_svg(model, rows: dict[str, np.ndarray], lang: str = "id", width: int = 560) -> tuple[str, str, str]:
    """The explorer's three charts from the daily rows collected so far."""
    cal = model.calendar
    spans, n = cal.spans(), cal.n_days
    waves = sorted({int(v) for v in cal.voting_days})
    vd = waves if len(waves) > 1 else cal.voting_day
    days = rows["day"]
    start = cal.date(0)
    shares = shares_svg(rows, n, spans, vd, lang, width, start=start)
    incidents = bars_svg(days, rows["incidents"], n, spans, vd, t("chart_incidents", lang), lang, width, start=start)
    resources = lines_svg(
        days,
        {
            t("police_present", lang): (rows["police_present"], "#1565c0"),
            t("officer_days", lang): (rows["officer_days"], "#6d4c41"),
            t("mediations", lang): (rows["mediations"], "#00897b"),
        },
        n, spans, vd, t("chart_resources", lang), lang, width, start=start,
    )
    return shares, incidents, resources


def rows_of(model) -> dict[str, np.ndarray]:
    """The DataCollector's daily rows as arrays (one per reporter)."""
    data = model.datacollector.model_vars
    keys = ("day", "calm", "tense", "mobilised", "violent", "detained", "incidents", "police_present", "officer_days", "mediations")
    return {k: np.asarray(data.get(k, []), dtype=float) for k in keys}
