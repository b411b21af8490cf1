"""The village map as SVG: real village polygons (siaga/mapgeometry.py) or circles at the scenario's
positions, filled by alert level, with incident rings, police and mediation marks; each village is
a `data-village` click target."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from common.levels import ALERT_LEVELS
from siaga.app.svg_style import (
    ALERT_COLOURS,
    LABEL_MAX_VILLAGES,
    _esc,
)
from siaga.i18n import t

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
