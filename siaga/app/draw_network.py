"""A village's social network as SVG, with its own fixed layout (people in camp sectors of a
sunflower spiral, households side by side), computed once per village, never a spring layout;
above `NETWORK_MAX_NODES` people a village is drawn from a fixed sample."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from siaga.app.svg_style import (
    NETWORK_MAX_EDGES,
    NETWORK_MAX_NODES,
    STATE_COLOURS,
    _esc,
)
from siaga.i18n import t

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
