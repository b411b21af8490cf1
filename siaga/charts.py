"""The run's two pictures: escalation over the calendar, and the villages by worst alert level.

Matplotlib with the Agg backend (no screen needed); readable in print: labelled axes, a legend,
stage names on the shading, colour plus text for alert levels.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from common.levels import ALERT_LEVELS  # noqa: E402

if TYPE_CHECKING:
    from simulation.model import SiagaModel

ALERT_COLOURS = {"AMAN": "#2e7d32", "WASPADA": "#f9a825", "SIAGA": "#ef6c00", "AWAS": "#c62828"}
STAGE_SHADES = ("#eceff1", "#ffffff")


def escalation_chart(model: SiagaModel, path: Path) -> Path:
    ts = model.timeseries()
    fig, (ax, ax2) = plt.subplots(2, 1, figsize=(12, 6.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.3]})
    days = ts["day"].to_numpy()
    for i, (_name, label, a, b) in enumerate(model.calendar.spans()):
        for axis in (ax, ax2):
            axis.axvspan(a - 0.5, b + 0.5, color=STAGE_SHADES[i % 2], zorder=0)
        if b - a >= 4:  # short stages (masa tenang, voting day) are marked by the voting-day line
            ax.text((a + b) / 2, 0.98, label, rotation=90, va="top", ha="center", fontsize=7, transform=ax.get_xaxis_transform(), color="#455a64")
    ax.plot(days, 100 * ts["tense"], color="#f9a825", label="tense")
    ax.plot(days, 100 * ts["mobilised"], color="#ef6c00", label="mobilised")
    ax.plot(days, 100 * (ts["violent"] + ts["detained"]), color="#c62828", label="violent or detained")
    ax.plot(days, 100 * ts["spreaders"], color="#6a1b9a", ls="--", lw=1, label="spreading a hoax")
    ax.set_ylabel("share of villagers (%)")
    voting_days = sorted(set(model.calendar.voting_days.tolist()))  # one per wave when voting is staggered (§7.1a)
    for vd in voting_days:
        ax.axvline(vd, color="black", lw=1)
    ax.annotate("voting day" if len(voting_days) == 1 else "voting days", (voting_days[0], 0.5), xycoords=("data", "axes fraction"),
                xytext=(4, 0), textcoords="offset points", fontsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"{model.spec.name}: escalation over the election calendar (seed {model.seed}, policy {'+'.join(model.policy.presets)})", fontsize=10)
    ax2.bar(days, ts["incidents"], color="#c62828", width=0.9, label="incidents")
    ax2.set_ylabel("incidents / day")
    ax2.set_xlabel(f"day since {model.calendar.start:%d %b %Y}")
    for vd in voting_days:
        ax2.axvline(vd, color="black", lw=1)
    ax2.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def village_map(model: SiagaModel, path: Path) -> Path:
    """The villages coloured by their worst alert level. A region whose codes are in the national
    list is drawn on its real map (`siaga.mapgeometry`): village polygons, kecamatan outlines,
    the names of the largest villages (of the kecamatan, above 300 villages) where they do not
    collide, with their incident counts, kecamatan seats, a scale bar and a north arrow. Other
    regions (synthetic, unknown codes): circles at the scenario's assumed positions."""
    from siaga.mapgeometry import region_shapes

    rs = region_shapes(model.region)
    if rs is None:
        return _circle_village_map(model, path)
    return _real_village_map(model, rs, path)


LABEL_CAP_PNG = 45
KECAMATAN_LABELS_FROM = 300


def _mpl_path(geom):
    """A matplotlib Path of a (multi)polygon, holes included (even-odd)."""
    import numpy as np
    import shapely
    from matplotlib.path import Path as MPath

    verts, codes = [], []
    for part in shapely.get_parts(geom):
        for ring in (part.exterior, *part.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            c = np.full(len(xy), MPath.LINETO, dtype=np.uint8)
            c[0], c[-1] = MPath.MOVETO, MPath.CLOSEPOLY
            codes.append(c)
    if not verts:
        return None
    return MPath(np.concatenate(verts), np.concatenate(codes))


def _real_village_map(model: SiagaModel, rs, path: Path) -> Path:
    import numpy as np
    import shapely
    from matplotlib import patheffects
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    from siaga.mapgeometry import nice_length

    r = model.region
    n = r.n_villages
    worst = np.asarray(model.worst_alert)
    colours = np.array([ALERT_COLOURS[lvl] for lvl in ALERT_LEVELS])[worst]
    xmin, ymin, xmax, ymax = rs.bounds
    tol = max(xmax - xmin, ymax - ymin) / 2000  # about a pixel of the saved figure
    fig, ax = plt.subplots(figsize=(8, 7.5))
    has = np.flatnonzero([g is not None for g in rs.shapes])
    dense = n > KECAMATAN_LABELS_FROM
    if len(has):
        geoms = shapely.simplify(rs.shapes[has].astype(object), tol, preserve_topology=True)
        paths = [_mpl_path(g) for g in geoms]
        keep = [i for i, p in enumerate(paths) if p is not None]
        pc = PathCollection([paths[i] for i in keep], facecolors=colours[has[keep]],
                            edgecolors=colours[has[keep]] if dense else "white", linewidths=0.3 if dense else 0.6, zorder=1)
        ax.add_collection(pc)
    without = np.setdiff1d(np.arange(n), has)
    if len(without):
        ax.scatter(rs.anchor[without, 0], rs.anchor[without, 1], s=14, c=colours[without], edgecolors="black", linewidths=0.5, zorder=2)
    segments = []
    for g in shapely.simplify(rs.outlines, tol) if len(rs.outlines) else []:
        for part in shapely.get_parts(g):
            for sub in shapely.get_parts(part):
                if sub.geom_type in ("LineString", "LinearRing") and not sub.is_empty:
                    segments.append(np.asarray(sub.coords))
    ax.add_collection(LineCollection(segments, colors="#37474f", linewidths=0.5 if dense else 1.0, zorder=3))
    seats = rs.anchor[np.asarray(r.seat)]
    ax.scatter(seats[:, 0], seats[:, 1], marker="*", s=16 if dense else 120, c="black", zorder=4)
    pad_x, pad_y = 0.03 * (xmax - xmin), 0.03 * (ymax - ymin)
    ax.set_xlim(xmin - pad_x, xmax + pad_x)
    ax.set_ylim(ymin - pad_y, ymax + pad_y)
    ax.set_aspect("equal")
    ax.set_axis_off()
    # scale bar (a round number of km, about a fifth of the width) and north arrow
    km = nice_length(0.2 * (xmax - xmin))
    bar = AnchoredSizeBar(ax.transData, km, f"{km:g} km", "lower left", pad=0.4, frameon=False, size_vertical=(ymax - ymin) / 250,
                          fontproperties={"size": 8})
    ax.add_artist(bar)
    arrow = ax.annotate("N", xy=(0.96, 0.97), xytext=(0.96, 0.88), xycoords="axes fraction", ha="center", va="center", fontsize=11,
                        fontweight="bold", arrowprops=dict(facecolor="black", width=3, headwidth=9, headlength=9))
    worst_names = [ALERT_LEVELS[i] for i in worst]
    handles = [Patch(facecolor=ALERT_COLOURS[lvl], edgecolor="black", linewidth=0.5, label=f"{lvl} ({worst_names.count(lvl)})") for lvl in ALERT_LEVELS]
    handles += [Line2D([], [], marker="*", ls="", color="black", markersize=9, label="kecamatan seat"),
                Line2D([], [], color="#37474f", lw=1, label="kecamatan border")]
    legend = ax.legend(handles=handles, title="worst alert level", loc="lower left", bbox_to_anchor=(1.0, 0.0),
                       fontsize=8, title_fontsize=8, frameon=False)  # beside the map, never over it
    ax.set_title(f"{r.name}: worst alert level per village" + ("; (n) = incidents" if not dense else ""), fontsize=10)
    fig.tight_layout()
    fig.canvas.draw()  # fixes the axes' final place (equal aspect), which the label boxes depend on
    # names: the largest places first, each kept only where it collides with nothing drawn so far
    renderer = fig.canvas.get_renderer()
    taken = [bar.get_window_extent(renderer), arrow.get_window_extent(renderer), legend.get_window_extent(renderer)]
    frame = ax.get_window_extent(renderer)
    inc = model.village_incidents
    if dense and len(rs.outline_names) > 1:
        cands = [(a, p, name, True) for a, p, name in zip(rs.outline_area_km2, rs.outline_anchor, rs.outline_names)]
    else:
        cands = [(rs.area_km2[v], rs.anchor[v], r.names[v] + (f" ({inc[v]})" if inc[v] else ""), False) for v in range(n)]
    halo = [patheffects.withStroke(linewidth=2.2, foreground="white")]
    kept = 0
    for _, (x, y), text, bold in sorted(cands, key=lambda c: -c[0]):
        if kept >= LABEL_CAP_PNG:
            break
        label = ax.text(x, y, text, fontsize=7.5 if bold else 6.5, fontweight="bold" if bold else "normal", ha="center", va="center",
                        zorder=5, path_effects=halo)
        box = label.get_window_extent(renderer).padded(2)  # the white halo, and a little air
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        if not inside or any(box.overlaps(other) for other in taken):
            label.remove()
            continue
        taken.append(box)
        kept += 1
    fig.savefig(path, dpi=130, bbox_inches="tight")  # the legend beside the map is kept, blank margins go
    plt.close(fig)
    return path


def _circle_village_map(model: SiagaModel, path: Path) -> Path:
    """A region without real geometry: villages as circles at the scenario's (assumed) positions."""
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    from siaga.mapgeometry import nice_length

    r = model.region
    worst = [ALERT_LEVELS[i] for i in model.worst_alert]
    fig, ax = plt.subplots(figsize=(8, 7.5))
    a = r.adjacency.tocoo()
    for i, j in zip(a.row, a.col):
        if i < j:
            ax.plot([r.x_km[i], r.x_km[j]], [r.y_km[i], r.y_km[j]], color="#b0bec5", lw=0.7, zorder=1)
    size = 40 + 160 * r.population / r.population.max()
    ax.scatter(r.x_km, r.y_km, s=size, c=[ALERT_COLOURS[w] for w in worst], edgecolors="black", linewidths=0.6, zorder=2)
    inc = model.village_incidents
    if r.n_villages <= 60:
        for v in range(r.n_villages):
            label = r.names[v] + (f" ({inc[v]})" if inc[v] else "")
            ax.annotate(label, (r.x_km[v], r.y_km[v]), xytext=(5, 4), textcoords="offset points", fontsize=7)
    for lvl in ALERT_LEVELS:
        ax.scatter([], [], c=ALERT_COLOURS[lvl], edgecolors="black", s=60, label=f"{lvl} ({worst.count(lvl)})")
    ax.scatter(r.x_km[r.seat], r.y_km[r.seat], marker="*", s=160, c="black", zorder=3, label="kecamatan seat")
    ax.legend(title="worst alert level", loc="best", fontsize=8)
    span = max(float(r.x_km.max() - r.x_km.min()), 1e-6)
    km = nice_length(0.2 * span)
    ax.add_artist(AnchoredSizeBar(ax.transData, km, f"{km:g} km", "lower left", frameon=False, fontproperties={"size": 8}))
    ax.set_xlabel("km (assumed layout)")
    ax.set_ylabel("km")
    ax.set_aspect("equal")
    ax.set_title(f"{r.name}: worst alert level per village; (n) = incidents", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
