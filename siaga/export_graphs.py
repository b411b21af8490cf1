"""A run's networks as GraphML and GEXF (Gephi, Cytoscape, yEd, networkx, igraph): plain strings,
numbers and booleans only (what GraphML allows), unique edge ids (`e0`, `e1`, ...), a `label` and a
`role` on every node, candidate names instead of camp numbers, the social layer as the edge
attribute `layer`, codes as strings. A social network is refused above `MAX_NETWORK_NODES` nodes
(a kecamatan of 51,000 people is 840,000 edges: 2.3 GB of memory and 30 s per file in networkx,
and too large for Gephi on a laptop). docs/EXPORTS.md.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.atomic import atomic_write

if TYPE_CHECKING:
    import networkx as nx

    from simulation.model import SiagaModel

from siaga.export_map import NO_CANDIDATE, VillageLayers, _camp_name, _candidate_names, village_layers

GRAPH_FORMATS = ("graphml", "gexf")
MAX_NETWORK_NODES = 20_000
"""Largest social network exported (people plus officials and tokoh): about 330,000 edges, 35 MB of
GraphML, 10 s and 1 GB of memory per file. A village (hundreds to a few thousand people) always fits,
so does a small kecamatan; a larger one is refused with a suggestion."""
ROLES = {"villager": "villager", "Kades": "Kades", "bhabinkamtibmas": "Bhabinkamtibmas", "babinsa": "Babinsa"}


# --------------------------------------------------------------------------- networks


def _plain(value: Any) -> Any:
    """A value GraphML and GEXF accept (str, int, float, bool), or None to drop it."""
    import numpy as np

    if isinstance(value, np.generic):
        value = value.item()
    if value is None:
        return None
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list | set | np.ndarray):
        return "; ".join(str(_plain(x)) for x in value)
    return str(value)


def _plain_attrs(data: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in data.items():
        if key == "pos" and isinstance(value, tuple | list) and len(value) == 2:
            out["x"], out["y"] = float(value[0]), float(value[1])
            continue
        value = _plain(value)
        if value is not None and not (isinstance(value, float) and value != value):  # drop None and NaN
            out[str(key)] = value
    return out


def _graph_attrs(model: SiagaModel, what: str) -> dict[str, Any]:
    from common.version import __version__

    return {
        "name": what,
        "scenario": str(model.spec.name),
        "seed": int(model.seed),
        "policy": "+".join(model.policy.presets),
        "day": int(model.day),
        "candidates": "; ".join(_candidate_names(model)),
        "siaga_version": __version__,
    }


def village_graph(model: SiagaModel, layers: VillageLayers | None = None) -> nx.Graph:
    """The graph of villages (`model.region.graph()`) ready to write: node ids are village codes,
    `label` the village's name, `x`/`y` its position in km (and `lat`/`lng` where known), the
    per-village outcomes of `village_frame` and `leading_candidate`/`kades_camp` as candidate
    names; every edge (neighbouring villages) has a unique `id`."""
    import networkx as nx

    r = model.region
    src = r.graph()
    per_village = _village_attributes(layers or village_layers(model))
    g = nx.Graph(**_graph_attrs(model, f"villages of {r.name}"))
    for v, data in src.nodes(data=True):
        attrs = _plain_attrs(data)
        code = str(r.codes[v])
        attrs.update(per_village[code])
        attrs.setdefault("x", float(r.x_km[v]))
        attrs.setdefault("y", float(r.y_km[v]))
        attrs["code"] = code
        attrs["label"] = str(r.names[v])
        g.add_node(code, **attrs)
    for n, (a, b, data) in enumerate(sorted(src.edges(data=True), key=lambda e: (min(e[:2]), max(e[:2])))):
        attrs = _plain_attrs(data)
        attrs.pop("weight", None)  # always 1: neighbours or not
        g.add_edge(str(r.codes[a]), str(r.codes[b]), id=f"e{n}", **attrs)
    return g


def _village_attributes(layers: VillageLayers) -> dict[str, dict[str, Any]]:
    """Per village code: the outcomes and places of `village_layers` as plain node attributes."""
    skip = {"name", "x_km", "y_km"}  # already on the region graph's nodes (or its `pos`)
    out = {}
    for row in layers.frame.to_dict(orient="records"):
        out[str(row["code"])] = _plain_attrs({k: v for k, v in row.items() if k not in skip})
    return out


def _hottest_village(model: SiagaModel) -> str | None:
    """The code of the village with the most incidents (then participants) whose network is within
    the size limit; with no incident, the first kecamatan's seat (Camat office and Polsek) if it fits.
    None if no village fits (a town of more than MAX_NETWORK_NODES people)."""
    import numpy as np

    inc, part = model.villages.incidents, model.villages.participants
    order = np.lexsort((np.arange(len(inc)), -np.asarray(part), -np.asarray(inc)))
    if not np.any(inc):
        seat = int(model.region.seat[0])
        order = np.r_[seat, order[order != seat]]
    for v in order:
        if _network_size(model, [int(v)]) <= MAX_NETWORK_NODES:
            return str(model.region.codes[int(v)])
    return None


def _network_villages(model: SiagaModel, place: int | str) -> tuple[list[int], str]:
    """The villages (indices) of a village or kecamatan and how to name them; refused above the size limit."""
    import numpy as np

    r = model.region
    if isinstance(place, bool | float):
        raise ValueError(f"network {place!r}: give a village or kecamatan code as text, e.g. {r.codes[0]}")
    if isinstance(place, int | np.integer):
        if not 0 <= int(place) < r.n_villages:
            raise ValueError(f"village {place} out of range 0..{r.n_villages - 1}")
        villages = [int(place)]
    else:
        code = str(place).strip()
        if code in r.codes:
            villages = [r.codes.index(code)]
        elif code in r.kecamatan_codes:
            villages = np.flatnonzero(r.kecamatan == r.kecamatan_codes.index(code)).tolist()
        else:
            raise ValueError(
                f"network {code!r}: not a village or kecamatan of {model.spec.name!r}; "
                f"e.g. village {r.codes[0]} ({r.names[0]}) or kecamatan {r.kecamatan_codes[0]} ({r.kecamatan_names[0]})"
            )
    if len(villages) == 1:
        v = villages[0]
        what = f"{_place_name(model, v)} ({r.codes[v]})"
    else:
        k = int(r.kecamatan[villages[0]])
        what = f"Kecamatan {r.kecamatan_names[k]} ({r.kecamatan_codes[k]})"
    nodes = _network_size(model, villages)
    if nodes > MAX_NETWORK_NODES:
        biggest = max(villages, key=lambda v: int(r.population[v]))
        raise ValueError(
            f"the social network of {what} has {nodes:,} nodes (people, officials and tokoh), above the export limit "
            f"of {MAX_NETWORK_NODES:,} (about {round(16 * nodes, -4):,} edges: too large for networkx and for Gephi on a laptop); "
            f"export one of its villages instead, e.g. network={r.codes[biggest]}"
        )
    return villages, what


def _network_size(model: SiagaModel, villages: list[int]) -> int:
    chosen = set(villages)
    people = int(sum(int(model.people.village_size[v]) for v in villages))
    tokoh = sum(1 for t in model.forces.tokoh if t.village in chosen)
    officers = sum(1 for o in model.forces.village_officers() if chosen.intersection(int(x) for x in o.villages))
    return people + len(villages) + tokoh + officers


def _place_name(model: SiagaModel, v: int) -> str:
    r = model.region
    return f"{'Kelurahan' if r.kelurahan[v] else 'Desa'} {r.names[v]}"


def social_network(model: SiagaModel, place: int | str) -> nx.MultiGraph:
    """The social network of a village (code, or index) or of a kecamatan (code), ready to write.

    Nodes: villagers (`warga:ROW`), the Kades (`kades:CODE`), tokoh (`tokoh:ID`), Bhabinkamtibmas
    and Babinsa (`bhabinkamtibmas:ID`, `babinsa:ID`), each with `label`, `role`, `village_code`
    and `village`; villagers add `state`, `tension`, `rumour`, `camp` and `lean` (candidate names,
    "none" for no camp), `household`, `voter`; the Kades `partisan` and `camp`; tokoh
    `tokoh_kind` and `inflaming`; officers `villages` (the codes of their patch). Edges: one per
    tie and layer (household, kin, intervillage, campaign_team, online, knows), attribute `layer`,
    unique id `e0`, `e1`, ... (also the edge key). ValueError above `MAX_NETWORK_NODES` nodes."""
    import networkx as nx
    import numpy as np

    from common.levels import Escalation, Rumour

    villages, what = _network_villages(model, place)
    r, p = model.region, model.people
    if len(villages) == 1:
        src = model.village_graph(villages[0])
    else:  # the kecamatan's people with every tie between them, plus each village's officials
        people = np.concatenate([p.rows_of(v) for v in villages])
        src = model.network.to_networkx(people)
        for v in villages:
            h = model.village_graph(v)
            src.add_nodes_from(h.nodes(data=True))
            src.add_edges_from(h.edges(keys=True, data=True))
    names = _candidate_names(model)
    kades_code = {f"kades:{v}": v for v in villages}
    tokoh = {f"tokoh:{t.unique_id}": t for t in model.forces.tokoh if t.village in set(villages)}
    officers = {f"{o.role}:{o.unique_id}": o for o in model.forces.village_officers()}
    relabel: dict[Any, str] = {}
    g = nx.MultiGraph(**_graph_attrs(model, f"social network of {what}"))
    for node, data in src.nodes(data=True):
        if isinstance(node, int | np.integer):
            i = int(node)
            v = int(p.village[i])
            nid = f"warga:{i}"
            camp = int(p.camp[i])
            attrs = {
                "label": f"Warga {i} ({_place_name(model, v)})",
                "role": "villager",
                "state": data.get("state", Escalation(int(p.state[i])).name),
                "tension": float(data.get("tension", p.tension[i])),
                "rumour": data.get("rumour", Rumour(int(p.rumour[i])).name),
                "camp": names[camp] if 0 <= camp < len(names) else NO_CANDIDATE,
                "lean": names[int(p.lean[i])],
                "household": int(p.household[i]),
                "voter": bool(p.voter[i]),
            }
        elif node in kades_code:
            v = kades_code[node]
            nid = f"kades:{r.codes[v]}"
            k = model.forces.kades[v]
            head = "Lurah" if r.kelurahan[v] else "Kades"
            attrs = {"label": f"{head} {_place_name(model, v)}", "role": "Kades", "partisan": bool(k.partisan), "camp": _camp_name(model, k.partisan_camp)}
        elif node in tokoh:
            t = tokoh[node]
            v = int(t.village)
            nid = str(node)
            attrs = {"label": f"Tokoh {t.kind} {t.unique_id} ({_place_name(model, v)})", "role": f"tokoh {t.kind}", "tokoh_kind": str(t.kind), "inflaming": bool(t.inflaming)}
        elif node in officers:
            o = officers[node]
            patch = [int(x) for x in o.villages]
            v = next((x for x in patch if x in villages), patch[0])
            nid = str(node)
            role = ROLES.get(o.role, str(o.role))
            attrs = {"label": f"{role} {o.unique_id} ({', '.join(_place_name(model, x) for x in patch)})", "role": role, "villages": "; ".join(r.codes[x] for x in patch)}
        else:  # a node kind this exporter does not know yet: keep it, as plain values
            nid = str(node)
            v = villages[0]
            attrs = _plain_attrs(data)
            attrs.setdefault("label", nid)
            attrs.setdefault("role", str(data.get("kind", "other")))
        attrs.update(village_code=str(r.codes[v]), village=str(r.names[v]))
        relabel[node] = nid
        g.add_node(nid, **_plain_attrs(attrs))
    edges = sorted(((relabel[a], relabel[b], str(k)) for a, b, k in src.edges(keys=True)), key=lambda e: (e[2], *sorted(e[:2])))
    for n, (a, b, layer) in enumerate(edges):
        eid = f"e{n}"
        g.add_edge(a, b, key=eid, id=eid, layer=layer)
    return g


def write_graph(graph: nx.Graph, path: str | Path, fmt: str | None = None) -> Path:
    """Write a graph from `village_graph` or `social_network` as GraphML or GEXF (by `fmt`, or the
    file's suffix), atomically. The village graph's GEXF carries Gephi's `viz` position (x, y in
    km), colour (worst alert level) and size (population)."""
    import networkx as nx

    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in GRAPH_FORMATS:
        raise ValueError(f"{path.name}: write graphs as {' or '.join(GRAPH_FORMATS)} (a .graphml or .gexf file, or fmt=)")
    _check_plain(graph)
    if fmt == "graphml":
        atomic_write(path, lambda p: nx.write_graphml(graph, p, edge_id_from_attribute="id"))
    else:
        atomic_write(path, lambda p: nx.write_gexf(_with_viz(graph), p))
    return path


def _check_plain(graph: nx.Graph) -> None:
    """Refuse, with the attribute named, what GraphML cannot hold (tuples, None, objects)."""
    def bad(data: dict) -> str | None:
        return next((k for k, v in data.items() if not isinstance(v, bool | int | float | str)), None)

    for node, data in graph.nodes(data=True):
        if (key := bad(data)) is not None:
            raise ValueError(f"node {node!r}: attribute {key!r} is {type(data[key]).__name__}; GraphML holds only text, numbers and booleans")
    for a, b, data in graph.edges(data=True):
        if (key := bad(data)) is not None:
            raise ValueError(f"edge {a!r}-{b!r}: attribute {key!r} is {type(data[key]).__name__}; GraphML holds only text, numbers and booleans")


def _with_viz(graph: nx.Graph) -> nx.Graph:
    """For the village graph: Gephi's viz position, colour by worst alert level and size by population."""
    if not all("worst_alert" in d and "x" in d and "y" in d for _, d in graph.nodes(data=True)):
        return graph
    from siaga.charts import ALERT_COLOURS

    g = graph.copy()
    top = max((int(d.get("population", 0)) for _, d in g.nodes(data=True)), default=1) or 1
    for _, d in g.nodes(data=True):
        colour = ALERT_COLOURS.get(str(d["worst_alert"]), "#9e9e9e").lstrip("#")
        d["viz"] = {
            "position": {"x": float(d["x"]), "y": float(d["y"]), "z": 0.0},
            "color": {"r": int(colour[0:2], 16), "g": int(colour[2:4], 16), "b": int(colour[4:6], 16), "a": 1.0},
            "size": 1.0 + 4.0 * int(d.get("population", 0)) / top,
        }
    return g
