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
    ax.axvline(model.calendar.voting_day, color="black", lw=1)
    ax.annotate("voting day", (model.calendar.voting_day, 0.5), xycoords=("data", "axes fraction"), xytext=(4, 0), textcoords="offset points", fontsize=8)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)
    ax.set_title(f"{model.spec.name}: escalation over the election calendar (seed {model.seed}, policy {'+'.join(model.policy.presets)})", fontsize=10)
    ax2.bar(days, ts["incidents"], color="#c62828", width=0.9, label="incidents")
    ax2.set_ylabel("incidents / day")
    ax2.set_xlabel(f"day since {model.calendar.start:%d %b %Y}")
    ax2.axvline(model.calendar.voting_day, color="black", lw=1)
    ax2.yaxis.get_major_locator().set_params(integer=True)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path


def village_map(model: SiagaModel, path: Path) -> Path:
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
    ax.set_xlabel("km (assumed layout)")
    ax.set_ylabel("km")
    ax.set_aspect("equal")
    ax.set_title(f"{r.name}: worst alert level per village; (n) = incidents", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path

