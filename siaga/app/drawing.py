"""The app's pictures as SVG text: the village map, the charts and a village's social network.

Plain SVG built from the model's arrays: cheap (a few milliseconds a step for the default
scenario), identical in the browser and in the downloadable debrief, and testable as text. The
network uses its own fixed layout (people in camp sectors of a sunflower spiral, households side by
side), computed once per village, never a spring layout; above `NETWORK_MAX_NODES` people a
village is drawn from a fixed sample.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
from dataclasses import dataclass

import numpy as np

from common.levels import ALERT_LEVELS
from siaga.i18n import stage_label, t

ALERT_COLOURS = {"AMAN": "#2e7d32", "WASPADA": "#f9a825", "SIAGA": "#ef6c00", "AWAS": "#c62828"}
STATE_COLOURS = ("#90a4ae", "#f9a825", "#ef6c00", "#c62828", "#4a148c")  # calm tense mobilised violent detained
SERIES_COLOURS = {"tense": "#f9a825", "mobilised": "#ef6c00", "violent": "#c62828"}
STAGE_SHADES = ("#eceff1", "#ffffff")
LABEL_MAX_VILLAGES = 60
NETWORK_MAX_NODES = 2500
NETWORK_MAX_EDGES = 2500


def _esc(s: object) -> str:
    return html.escape(str(s), quote=True)


# --------------------------------------------------------------------------- map


def map_svg(
    model, selected: int | None = None, lang: str = "id", width: int = 560, height: int = 460,
    levels: np.ndarray | None = None, show_incidents: bool = True, cumulative: bool = False,
) -> str:
    """The villages filled by today's alert level; a red ring (and, on small maps, a count) for
    incidents in the past 7 days, a blue square where police are present, a green diamond where a
    mediation is held today; a scale bar, and a north arrow on real maps.

    A region whose village codes are in the national list is drawn on its real map
    (`siaga.mapgeometry`): each village is its polygon, a `<path data-village="i">` (the click
    target; a small circle for the ~1% without a polygon), kecamatan outlines on top, the names of
    the largest villages (of the kecamatan above `KECAMATAN_LABELS_FROM` villages) where they do not
    collide, and the selected village outlined in blue. The geometry, outlines and labels are
    computed once per region and size; a day redraws only fills, titles and markers. Other regions
    (synthetic, unknown codes) are circles at the scenario's `x_km`/`y_km`, each a
    `<g data-village="i">`.

    `levels` replaces the true levels (the workshop's desk shows what was reported; -1 = nothing
    reported, grey), and `show_incidents=False` hides what the desk cannot see. `cumulative=True`
    is the "worst so far" view: each village filled by its worst alert level so far
    (`model.villages.worst_alert`) and ringed, with its count, where it had any incident so far."""
    if cumulative and levels is None:
        levels = np.asarray(model.villages.worst_alert)
    from siaga.mapgeometry import screen_map

    sm = screen_map(model.region, width, height)
    if sm is None:
        return _circle_map_svg(model, selected, lang, width, height, levels, show_incidents, cumulative)
    return _real_map_svg(model, sm, selected, lang, levels, show_incidents, cumulative)


LEVEL_CLASSES = (*ALERT_LEVELS, "none")  # class level-X of a village; "none": nothing reported (index -1)
MAP_STYLE = (
    "<style>" + "".join(f".siaga-map .level-{lvl}{{fill:{c}}}" for lvl, c in ALERT_COLOURS.items())
    + "".join(f".siaga-map .dense .level-{lvl}{{stroke:{c}}}" for lvl, c in ALERT_COLOURS.items())
    + ".siaga-map .level-none{fill:#cfd8dc}.siaga-map .village:hover{stroke:#1565c0;stroke-width:12}</style>"
)


@dataclass(frozen=True)
class _StaticMap:
    """What does not change from day to day: per village the text before and after its level
    class, the outlines, labels, scale bar and north arrow."""

    heads: list[str]
    mids: list[str]
    tails: list[str]
    under: str  # after the villages: outlines
    over: str  # after the markers: labels, scale bar, north arrow
    labelled: frozenset[int]  # villages whose name is on the map


@functools.lru_cache(maxsize=16)
def _static_map(sm, lang: str) -> _StaticMap:
    n = len(sm.paths)
    u = SVG_UNITS
    heads, mids, tails = [], [], []
    for v in range(n):
        if sm.paths[v]:
            heads.append(f'<path data-village="{v}" class="village level-')
            mids.append(f'" d="{sm.paths[v]}"><title>{_esc(sm.names[v])}: ')
            tails.append("</title></path>")
        else:  # no polygon: a small circle at its position (drawn in the same scaled group)
            x, y = sm.anchor[v]
            heads.append(f'<circle data-village="{v}" class="village level-')
            mids.append(f'" cx="{x * u:.0f}" cy="{y * u:.0f}" r="{3.5 * u:.0f}" stroke="#263238"><title>{_esc(sm.names[v])}: ')
            tails.append("</title></circle>")
    under = ""
    if sm.outline_path:
        thin = len(sm.paths) > DENSE_VILLAGES
        under = (f'<path class="kecamatan-outline" d="{sm.outline_path}" transform="scale({1 / u:g})" fill="none" stroke="#37474f" '
                 f'stroke-width="{(0.7 if thin else 1.3) * u:g}" stroke-opacity="{0.8 if thin else 1}" stroke-linejoin="round" pointer-events="none"/>')
    over = ['<g class="map-labels" pointer-events="none" fill="#263238" text-anchor="middle" stroke="#ffffff" stroke-width="2.5" '
            'stroke-linejoin="round" paint-order="stroke">']
    for lab in sm.labels:
        weight = ' font-weight="bold"' if lab.bold else ""
        over.append(f'<text x="{lab.x:.1f}" y="{lab.y:.1f}" font-size="{lab.size:g}"{weight}>{_esc(lab.text)}</text>')
    over.append("</g>")
    # scale bar: a round number of km
    x, y = sm.scale_at
    w = sm.scale_px
    km = f"{sm.scale_km:g} km"
    over.append(f'<g class="scale-bar" pointer-events="none" data-km="{sm.scale_km:g}" data-px="{w:.2f}">'
                f'<rect x="{x:.1f}" y="{y - 4:.1f}" width="{w:.1f}" height="4" fill="#ffffff" stroke="#263238" stroke-width="1"/>'
                f'<rect x="{x:.1f}" y="{y - 4:.1f}" width="{w / 2:.1f}" height="4" fill="#263238"/>'
                f'<text x="{x + w + 4:.1f}" y="{y:.1f}" font-size="10" fill="#263238">{km}</text></g>')
    # north arrow
    x, y = sm.north_at
    letter = "U" if lang == "id" else "N"
    over.append(f'<g class="north-arrow" pointer-events="none"><title>{"utara" if lang == "id" else "north"}</title>'
                f'<path d="M{x:.1f} {y:.1f}l7 18-7-5-7 5z" fill="#263238"/>'
                f'<text x="{x:.1f}" y="{y + 30:.1f}" font-size="11" font-weight="bold" text-anchor="middle" fill="#263238">{letter}</text></g>')
    return _StaticMap(heads, mids, tails, under, "".join(over), frozenset(lab.village for lab in sm.labels if lab.village >= 0))


DENSE_VILLAGES = 300  # above this many villages, no white borders between them (kecamatan outlines only)
SVG_UNITS = 10  # path coordinates are tenths of a pixel (siaga.mapgeometry.SVG_UNITS_PER_PX)


def _real_map_svg(model, sm, selected: int | None, lang: str, levels: np.ndarray | None, show_incidents: bool, cumulative: bool = False) -> str:
    r = model.region
    n = r.n_villages
    width, height = sm.width, sm.height
    st = _static_map(sm, lang)
    u = SVG_UNITS
    dense = n > DENSE_VILLAGES
    shown = np.asarray(model.alert_level if levels is None else levels)
    cls = [LEVEL_CLASSES[i] for i in np.where(shown >= 0, shown, len(ALERT_LEVELS)).tolist()]
    if show_incidents:
        word = t("map_legend_incident", lang)
        inc = np.asarray(model.village_incidents).tolist()
        titles = [f"{c}; {k} {word}" if c != "none" else f"?; {k} {word}" for c, k in zip(cls, inc)]
    else:
        titles = [c if c != "none" else "?" for c in cls]
    view = " cumulative" if cumulative else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="siaga-map real-map{view}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" style="max-width:100%;height:auto">', MAP_STYLE,
           f'<rect width="{width}" height="{height}" fill="#f4f6f7"/>',
           # many small villages: each outlined in its own colour (no white seams between them)
           f'<g class="villages{" dense" if dense else ""}" transform="scale({1 / u:g})" stroke="#ffffff" stroke-width="{(0.4 if dense else 0.6) * u:g}" '
           'stroke-linejoin="round" fill-rule="evenodd" style="cursor:pointer">']
    heads, mids, tails = st.heads, st.mids, st.tails
    out += [heads[v] + cls[v] + mids[v] + titles[v] + tails[v] for v in range(n)]
    out.append("</g>")
    out.append(st.under)
    # selected village, outlined on top
    if selected is not None and 0 <= selected < n:
        if sm.paths[selected]:
            out.append(f'<path class="selected-village" d="{sm.paths[selected]}" transform="scale({1 / u:g})" fill="none" stroke="#1565c0" '
                       f'stroke-width="{3 * u}" stroke-linejoin="round" pointer-events="none"/>')
        else:
            x, y = sm.anchor[selected]
            out.append(f'<circle class="selected-village" cx="{x:.1f}" cy="{y:.1f}" r="6" fill="none" stroke="#1565c0" stroke-width="3" pointer-events="none"/>')
    # markers at each village's inner point
    big = n > LABEL_MAX_VILLAGES
    vs = model.villages
    ax, ay = sm.anchor[:, 0], sm.anchor[:, 1]
    out.append('<g class="markers" pointer-events="none">')
    if show_incidents:
        ring = 4.5 if big else 8.0
        ringed, inc_count = _incident_rings(model, cumulative)
        for v in np.flatnonzero(ringed).tolist():
            out.append(f'<circle cx="{ax[v]:.1f}" cy="{ay[v]:.1f}" r="{ring}" fill="none" stroke="#b71c1c" stroke-width="2" class="incident-ring"/>')
            if not big and inc_count[v]:
                out.append(f'<text x="{ax[v] + ring + 1:.1f}" y="{ay[v] - ring:.1f}" font-size="10" fill="#b71c1c" font-weight="bold" '
                           f'stroke="#ffffff" stroke-width="2" paint-order="stroke" class="incident-count">{int(inc_count[v])}!</text>')
    sq = 4 if big else 6
    police = np.flatnonzero((vs.presence > 0) & (vs.arresting >= model.spec.officials.team_size)).tolist()
    for v in police:
        out.append(f'<rect x="{ax[v] + 2:.1f}" y="{ay[v] - sq - 2:.1f}" width="{sq}" height="{sq}" fill="#1565c0" stroke="#ffffff" stroke-width="0.8" class="police-mark"/>')
    for v in np.flatnonzero(vs.mediation > 0).tolist():  # today's mediation
        cx, cy = ax[v] - sq - 2, ay[v] + sq
        out.append(f'<polygon points="{cx:.1f},{cy - sq:.1f} {cx + sq:.1f},{cy:.1f} {cx:.1f},{cy + sq:.1f} {cx - sq:.1f},{cy:.1f}" '
                   f'fill="#00897b" stroke="#ffffff" stroke-width="0.8" class="mediation-mark"/>')
    out.append("</g>")
    out.append(st.over)
    if selected is not None and 0 <= selected < n and selected not in st.labelled:
        out.append(f'<text class="selected-label" x="{ax[selected]:.1f}" y="{ay[selected] - 9:.1f}" font-size="12" font-weight="bold" '
                   f'text-anchor="middle" fill="#0d47a1" stroke="#ffffff" stroke-width="3" paint-order="stroke" pointer-events="none">'
                   f'{_esc(r.names[selected])}</text>')
    out += _legend(shown, lang, width, height, cumulative=cumulative)
    out.append("</svg>")
    return "".join(out)


def _legend(shown: np.ndarray, lang: str, width: int, height: int, pad: int = 24, cumulative: bool = False) -> list[str]:
    """Alert levels with their counts, police and incident marks, in one row that fits `width`
    (the font shrinks from 11 to 9 px on narrow maps and with long counts)."""
    counts = np.bincount(shown[shown >= 0].astype(np.int64), minlength=4)
    texts = [f"{lvl} ({counts[i]})" for i, lvl in enumerate(ALERT_LEVELS)] + [t("map_legend_police", lang), t("map_incidents_total" if cumulative else "map_legend_incident", lang)]
    lx, ly = (pad if width >= 560 else 8), height - 22
    for size in (11, 10, 9):
        widths = [14 + CHAR_EM * size * len(text) + 10 for text in texts]
        if sum(widths) <= width - 2 * lx:
            break
    out = []
    x = float(lx)
    for i, (text, w) in enumerate(zip(texts, widths)):
        if i < 4:
            out.append(f'<circle cx="{x + 6:.1f}" cy="{ly}" r="6" fill="{ALERT_COLOURS[ALERT_LEVELS[i]]}"/>'
                       f'<text x="{x + 15:.1f}" y="{ly + 4}" font-size="{size}" class="legend-level">{text}</text>')
        elif i == 4:
            out.append(f'<rect x="{x:.1f}" y="{ly - 4}" width="7" height="7" fill="#1565c0"/><text x="{x + 10:.1f}" y="{ly + 4}" font-size="{size}">{_esc(text)}</text>')
        else:
            out.append(f'<circle cx="{x + 5:.1f}" cy="{ly}" r="5" fill="none" stroke="#b71c1c" stroke-width="2"/><text x="{x + 13:.1f}" y="{ly + 4}" font-size="{size}">{_esc(text)}</text>')
        x += w
    return out


CHAR_EM = 0.58  # average width of a legend character, in em


def _circle_map_svg(model, selected: int | None, lang: str, width: int, height: int, levels: np.ndarray | None, show_incidents: bool,
                    cumulative: bool = False) -> str:
    """The map of a region without real geometry: circles at the scenario's positions."""
    r = model.region
    n = r.n_villages
    pad = 24
    x, y = r.x_km, r.y_km
    span = max(float(np.ptp(x)), float(np.ptp(y)), 1e-6)
    scale = min(width - 2 * pad, height - 2 * pad - 30) / span
    px = pad + (x - x.min()) * scale
    py = height - pad - 30 - (y - y.min()) * scale
    big = n > LABEL_MAX_VILLAGES
    rad = (2.5 if big else 6) + (2 if big else 8) * np.sqrt(r.population / r.population.max())
    view = " cumulative" if cumulative else ""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="siaga-map{view}" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
           f'font-family="sans-serif" style="max-width:100%;height:auto">']
    out.append(f'<rect width="{width}" height="{height}" fill="#fafafa"/>')
    if not big:
        a = r.adjacency.tocoo()
        for i, j in zip(a.row, a.col):
            if i < j:
                out.append(f'<line x1="{px[i]:.1f}" y1="{py[i]:.1f}" x2="{px[j]:.1f}" y2="{py[j]:.1f}" stroke="#cfd8dc" stroke-width="1"/>')
    shown = model.alert_level if levels is None else levels
    vs = model.villages  # per-village state (simulation/state.py `Villages`)
    ringed, inc_week = _incident_rings(model, cumulative)
    recent = ringed & show_incidents
    for v in range(n):
        lvl = ALERT_LEVELS[int(shown[v])] if shown[v] >= 0 else "?"
        sel = v == selected
        title = f"{r.names[v]}: {lvl}" + (f"; {int(model.village_incidents[v])} {t('map_legend_incident', lang)}" if show_incidents else "")
        out.append(f'<g data-village="{v}" class="village level-{lvl}" style="cursor:pointer"><title>{_esc(title)}</title>')
        out.append(
            f'<circle cx="{px[v]:.1f}" cy="{py[v]:.1f}" r="{rad[v]:.1f}" fill="{ALERT_COLOURS.get(lvl, "#cfd8dc")}" '
            f'stroke="{"#1565c0" if sel else "#263238"}" stroke-width="{3 if sel else 0.8}"/>'
        )
        if recent[v]:
            out.append(f'<circle cx="{px[v]:.1f}" cy="{py[v]:.1f}" r="{rad[v] + 4:.1f}" fill="none" stroke="#b71c1c" stroke-width="2" class="incident-ring"/>')
            if not big and inc_week[v]:
                out.append(f'<text x="{px[v] - rad[v] - 6:.1f}" y="{py[v] - rad[v] - 2:.1f}" font-size="10" fill="#b71c1c" font-weight="bold" class="incident-count">{int(inc_week[v])}!</text>')
        if vs.presence[v] > 0 and vs.arresting[v] >= model.spec.officials.team_size:
            s = 4 if big else 6
            out.append(f'<rect x="{px[v] + rad[v] - 1:.1f}" y="{py[v] - rad[v] - s:.1f}" width="{s}" height="{s}" fill="#1565c0" class="police-mark"/>')
        if vs.mediation[v] > 0:  # today's mediation
            s = 4 if big else 6
            cx, cy = px[v] + rad[v] + s, py[v] + rad[v]
            out.append(f'<polygon points="{cx:.1f},{cy - s:.1f} {cx + s:.1f},{cy:.1f} {cx:.1f},{cy + s:.1f} {cx - s:.1f},{cy:.1f}" fill="#00897b" class="mediation-mark"/>')
        if not big or sel:
            out.append(f'<text x="{px[v] + rad[v] + 3:.1f}" y="{py[v] + 3:.1f}" font-size="10" fill="#263238">{_esc(r.names[v])}</text>')
        out.append("</g>")
    # scale bar (km of the scenario's layout; no north arrow: the layout is assumed)
    from siaga.mapgeometry import nice_length

    km = nice_length(0.22 * (width - 2 * pad) / scale)
    w = km * scale
    sx, sy = pad + 4, height - pad - 30 - 4
    out.append(f'<g class="scale-bar" pointer-events="none" data-km="{km:g}" data-px="{w:.2f}">'
               f'<rect x="{sx}" y="{sy - 4}" width="{w:.1f}" height="4" fill="#ffffff" stroke="#263238" stroke-width="1"/>'
               f'<rect x="{sx}" y="{sy - 4}" width="{w / 2:.1f}" height="4" fill="#263238"/>'
               f'<text x="{sx + w + 4:.1f}" y="{sy}" font-size="10" fill="#263238">{km:g} km</text></g>')
    out += _legend(np.asarray(shown), lang, width, height, pad, cumulative=cumulative)
    out.append("</svg>")
    return "".join(out)


def _incident_rings(model, cumulative: bool) -> tuple[np.ndarray, np.ndarray]:
    """(ringed villages, count beside each ring): incidents in the past 7 days, or, in the
    cumulative view, every village with an incident so far and its count so far."""
    if cumulative:
        counts = np.asarray(model.villages.incidents, dtype=np.int64)
        return counts > 0, counts
    return np.asarray(model.villages.days_since_incident) < 7, _recent_incidents(model, 7)


def _recent_incidents(model, days: int) -> np.ndarray:
    counts = np.zeros(model.region.n_villages, dtype=np.int64)
    for inc in reversed(model.incidents):
        if inc["day"] < model.day - days:
            break
        counts[inc["village"]] += 1
    return counts


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


def _stages(f: Frame, spans, voting_day: int, lang: str, labels: bool) -> list[str]:
    from siaga.i18n import t as _t

    out = []
    for i, (name, label, a, b) in enumerate(spans):
        x0, x1 = f.x(a - 0.5), f.x(b + 0.5)
        out.append(f'<rect x="{x0:.1f}" y="{f.top}" width="{max(x1 - x0, 0.5):.1f}" height="{f.height - f.top - f.bottom}" fill="{STAGE_SHADES[i % 2]}" class="stage"><title>{_esc(stage_label(name, label, lang))}</title></rect>')
        if labels and b - a >= 12:
            out += _stage_text(f, name, label, lang, x0, x1)
    if voting_day >= f.n_days:
        return out
    xv = f.x(voting_day)
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
    spans, vd, n = cal.spans(), cal.voting_day, cal.n_days
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


# --------------------------------------------------------------------------- network


@dataclass
class NetworkLayout:
    village: int
    people: np.ndarray  # villager indices drawn
    n_people: int  # villagers in the village
    xy: np.ndarray  # (len(people), 2) in 0..1
    edges: np.ndarray  # (m, 2) positions into `people`
    officials: list[tuple[str, float, float]]  # (kind, x, y): Kades, tokoh, officers


def network_layout(model, village: int, seed: int = 0) -> NetworkLayout:
    """Fixed positions: villagers in one sector per camp (non-partisans in the largest), each
    sector filled along a sunflower spiral in household order, so households sit together and
    camps are visible; the Kades at the centre, tokoh and officers on an inner ring. Edges are the
    village's networkx graph (`model.village_graph`), a fixed sample when there are many."""
    g = model.village_graph(village)
    people = np.array(sorted(n for n, d in g.nodes(data=True) if d.get("kind") == "villager"), dtype=np.int64)
    n_people = len(people)
    rng = np.random.default_rng(seed + village)
    if n_people > NETWORK_MAX_NODES:
        people = np.sort(rng.choice(people, NETWORK_MAX_NODES, replace=False))
    camp = model.people.camp[people].astype(np.int64)
    lean = model.people.lean[people].astype(np.int64)
    k = model.n_camps
    group = np.where(camp >= 0, camp, lean)  # sector by camp; non-partisans by the camp they lean to
    order = np.lexsort((model.people.household[people], camp < 0, group))
    xy = np.zeros((len(people), 2))
    for c in range(k):
        members = order[group[order] == c]
        if not len(members):
            continue
        a0 = 2 * math.pi * c / k
        width = 2 * math.pi / k * 0.92
        i = np.arange(len(members))
        radius = 0.12 + 0.36 * np.sqrt((i + 0.5) / len(members))
        angle = a0 + width * ((i * 0.6180339887) % 1.0)
        # sunflower points in the sector, then visited ring by ring, so people next to each other
        # in household order (and so households) land next to each other
        rings = max(int(math.sqrt(len(members)) / 2), 1)
        ring = np.minimum(((radius - 0.12) / 0.36 * rings).astype(np.int64), rings - 1)
        visit = np.lexsort((np.where(ring % 2 == 0, angle, -angle), ring))
        xy[members, 0] = 0.5 + radius[visit] * np.cos(angle[visit])
        xy[members, 1] = 0.5 + radius[visit] * np.sin(angle[visit])
    pos = {int(p): j for j, p in enumerate(people)}
    edges = [(pos[a], pos[b]) for a, b, key in g.edges(keys=True) if key != "knows" and a in pos and b in pos]
    edges_arr = np.array(edges, dtype=np.int64).reshape(-1, 2)
    if len(edges_arr) > NETWORK_MAX_EDGES:
        edges_arr = edges_arr[np.sort(rng.choice(len(edges_arr), NETWORK_MAX_EDGES, replace=False))]
    officials = [("Kades", 0.5, 0.5)]
    others = [d.get("kind", "") for n, d in g.nodes(data=True) if d.get("kind") not in ("villager", "Kades")]
    for j, kind in enumerate(others):
        a = 2 * math.pi * j / max(len(others), 1)
        officials.append((kind, 0.5 + 0.07 * math.cos(a), 0.5 + 0.07 * math.sin(a)))
    return NetworkLayout(village, people, n_people, xy, edges_arr, officials)


def network_svg(model, layout: NetworkLayout, lang: str = "id", size: int = 420) -> str:
    """The layout coloured by each villager's state today."""
    state = model.people.state[layout.people]
    xy = layout.xy * (size - 20) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="siaga-network" width="{size}" height="{size + 34}" viewBox="0 0 {size} {size + 34}" font-family="sans-serif">']
    out.append(f'<rect width="{size}" height="{size + 34}" fill="#ffffff"/>')
    if len(layout.edges):
        path = " ".join(f"M{xy[a, 0]:.1f} {xy[a, 1]:.1f}L{xy[b, 0]:.1f} {xy[b, 1]:.1f}" for a, b in layout.edges)
        out.append(f'<path d="{path}" stroke="#b0bec5" stroke-width="0.3" stroke-opacity="0.6" fill="none"/>')
    r = 1.6 if len(layout.people) > 1000 else 2.5
    for s, colour in enumerate(STATE_COLOURS):
        idx = np.flatnonzero(state == s)
        if not len(idx):
            continue
        # one path of tiny circles per state keeps the SVG small (thousands of nodes)
        d = "".join(f"M{xy[i, 0] - r:.1f} {xy[i, 1]:.1f}a{r} {r} 0 1 0 {2 * r} 0a{r} {r} 0 1 0 {-2 * r} 0" for i in idx)
        out.append(f'<path d="{d}" fill="{colour}" class="nodes-state-{s}" data-count="{len(idx)}"/>')
    for kind, x0, y0 in layout.officials:
        cx, cy = x0 * (size - 20) + 10, y0 * (size - 20) + 10
        colour = "#1565c0" if kind in ("bhabinkamtibmas", "babinsa") else "#000000" if kind == "Kades" else "#00897b"
        out.append(f'<rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{colour}"><title>{_esc(kind)}</title></rect>')
    labels = (t("calm", lang), t("tense", lang), t("mobilised", lang), "kekerasan" if lang == "id" else "violent", "ditahan" if lang == "id" else "detained")
    lx = 6
    for s, colour in enumerate(STATE_COLOURS):
        n = int(np.count_nonzero(state == s))
        text = f"{labels[s]} {n}"
        out.append(f'<circle cx="{lx + 4}" cy="{size + 14}" r="4" fill="{colour}"/><text x="{lx + 11}" y="{size + 18}" font-size="10">{_esc(text)}</text>')
        lx += 20 + 6 * len(text)
    out.append(f'<text x="6" y="{size + 31}" font-size="9" fill="#546e7a">{_esc(t("network_sampled", lang, shown=len(layout.people), n=layout.n_people, edges=len(layout.edges)))}; ■ Kades / tokoh / Bhabinkamtibmas-Babinsa</text>')
    out.append("</svg>")
    return "".join(out)
