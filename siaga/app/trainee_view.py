"""The facilitator's view of one trainee's desk: the day, the budget left, every order given (day,
village, cost, outcome) and the desk map as the trainee sees it (each village's level from the
last report that reached the desk, grey where nothing was reported; drawn by `map_svg`, as on the
desk in siaga/app/workshop.py).

Read, never step: the trainee's own `Exercise` is found among the objects the open browser
sessions of this server process hold (`siaga.app.sessions.owned_objects`), read under its lock
taken without waiting (a day being run is never held up; the last view is shown meanwhile), and
the map is drawn again only when the trainee's day or orders have changed. A trainee whose page
is not open in this process (closed, culled, or the server restarted) is shown from the workshop
database (day and orders, no map): replaying their run here would cost a model run per trainee.
"""

from __future__ import annotations

import html
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace
from typing import Any

import solara

from siaga.app import registry, sessions
from siaga.app.components import Heading, Svg
from siaga.app.drawing import map_svg
from siaga.app.readouts import village_labels
from siaga.app.ui_state import lang
from siaga.event_text import order_text
from siaga.i18n import t

MAP_WIDTH, MAP_HEIGHT = 520, 420  # the desk's own map (siaga/app/workshop.py `Desk`)
CACHE_SIZE = 64  # trainees whose last view and map are kept (one map each: ~8 KB for 23 villages, ~310 KB for 2,016)


@dataclass(frozen=True)
class OrderLine:
    """One order as the trainee gave it."""

    day: int
    kind: str
    village: int | None  # None: an order without a village (rakor)
    place: str  # the village's label ("" without one)
    cost: float
    outcome: str  # the Camat's outcome code (siaga.event_text.order_text says it in words)


@dataclass(frozen=True)
class DeskView:
    """What the facilitator sees of one trainee."""

    token: str
    name: str
    day: int  # the desk's day (the last day run: the evening the trainee decides on)
    date: str  # its calendar date ("" when read from the database)
    budget: float
    budget_left: float
    orders: tuple[OrderLine, ...]
    finished: bool
    live: bool  # read from the trainee's open exercise in this server process
    busy: bool = False  # the trainee's day was running: day, orders and map are from the last look
    map_svg: str | None = None  # the desk map; None when not live
    levels: tuple[int, ...] = ()  # per village, the level the desk map shows (-1: nothing reported)

    @property
    def spent(self) -> float:
        return sum(o.cost for o in self.orders)


_lock = threading.Lock()
_maps: OrderedDict[str, tuple[tuple, str]] = OrderedDict()  # token -> ((exercise, model day, orders, language), its SVG): one map each
_last: OrderedDict[str, DeskView] = OrderedDict()  # token -> the last live view (shown while a day runs)


def _keep(cache: OrderedDict, key: Any, value: Any) -> None:
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)


def live_exercise(token: str) -> Any | None:
    """The trainee's exercise if a page of this server process holds it open, else None. Two tabs
    on the same token: the one further on (day, then orders)."""
    found = []
    for obj in sessions.owned_objects():
        if getattr(obj, "trainee_id", None) != token or getattr(obj, "closed", True):
            continue
        model, camat = getattr(obj, "model", None), getattr(obj, "camat", None)
        # `ready`: the run-up to the first evening is over (a page starting its exercise is not yet a desk)
        if model is not None and camat is not None and getattr(obj, "ready", True):
            found.append((model.day, len(camat.orders), id(obj), obj))
    return max(found)[-1] if found else None


def _lines(orders: list[dict], names: list[str] | tuple[str, ...]) -> tuple[OrderLine, ...]:
    out = []
    for o in orders:
        v = o.get("village")
        place = "" if v is None else names[v] if 0 <= v < len(names) else f"#{v}"
        out.append(OrderLine(int(o["day"]), str(o["kind"]), v, place, float(o.get("cost", 0)), str(o.get("outcome", ""))))
    return tuple(out)


def from_exercise(ex: Any, name: str, lg: str, wait: bool = False) -> DeskView | None:
    """The trainee's desk read from their open exercise, or None when it is busy (a day or an
    order under way: `wait=False` never holds the trainee up) or closed. Never runs a day; the map
    is drawn again only when the day or the orders changed since the last look."""
    if not ex.lock.acquire(blocking=wait):
        return None
    try:
        if ex.closed or ex.model is None or getattr(ex, "_replaying", False):  # a replay passes through old days
            return None
        m, camat = ex.model, ex.camat
        orders = list(camat.orders)
        levels = ex.desk_levels()
        stamp = (id(ex), m.day, len(orders), lg)
        with _lock:
            drawn = _maps.get(ex.trainee_id)
        if drawn is not None and drawn[0] == stamp:
            svg = drawn[1]
        else:
            svg = map_svg(m, None, lg, width=MAP_WIDTH, height=MAP_HEIGHT, levels=levels, show_incidents=False)
            _keep(_maps, ex.trainee_id, (stamp, svg))
        view = DeskView(
            token=ex.trainee_id, name=name or ex.trainee, day=ex.today, date=str(m.calendar.date(ex.today)), budget=float(ex.setup.budget),
            budget_left=float(ex.budget_left), orders=_lines(orders, village_labels(m.region)), finished=bool(ex.finished), live=True,
            map_svg=svg, levels=tuple(int(x) for x in levels),
        )
    finally:
        ex.lock.release()
    _keep(_last, view.token, view)
    return view


def from_row(row: dict[str, Any], names: list[str] | tuple[str, ...]) -> DeskView:
    """The trainee as the workshop database holds them (no model: no map)."""
    budget = float(row["setup"].budget)
    lines = _lines(row["orders"], names)
    return DeskView(token=row["token"], name=row["name"], day=int(row["day"]), date="", budget=budget,
                    budget_left=budget - sum(o.cost for o in lines), orders=lines, finished=bool(row["finished"]), live=False)


def desk_view(token: str | None, lg: str, names: list[str] | tuple[str, ...] = ()) -> DeskView | None:
    """The facilitator's view of trainee `token` (None for an unknown token): live from their open
    exercise when this process holds one, else the last live view while a day runs, else the
    database. `names`: the set-up's village labels, for orders read from the database."""
    row = registry.trainee(token)
    if row is None:
        return None
    ex = live_exercise(token)
    if ex is not None:
        try:
            view = from_exercise(ex, row["name"], lg)
        except AttributeError:  # closed between the look-up and the lock
            view = None
        if view is not None:
            return view
        with _lock:
            last = _last.get(token)
        if last is not None and not getattr(ex, "closed", True):
            return replace(last, name=row["name"], busy=True)
        if not getattr(ex, "closed", True):  # busy before the first look: the database's day and orders, the map next time
            return replace(from_row(row, names), live=True, busy=True)
    return from_row(row, names)


def orders_table(view: DeskView, lg: str) -> str:
    """The trainee's orders, newest first, as an HTML table (day, order, village, cost, outcome)."""
    head = "".join(f"<th>{html.escape(t(k, lg))}</th>" for k in ("fac_col_day", "ws_action", "ws_village", "fac_view_cost", "fac_view_outcome"))
    rows = "".join(  # rows with a class: the console's own tables are counted by their bare <tr>
        f"<tr class='fac-trainee-order'><td>{o.day}</td><td>{html.escape(t('order_' + o.kind, lg))}</td><td>{html.escape(o.place or '–')}</td>"
        f"<td>{o.cost:g}</td><td>{html.escape(order_text(o.outcome, lg))}</td></tr>"
        for o in reversed(view.orders)
    )
    return f"<table class='siaga-table fac-trainee-orders'><tr class='fac-trainee-head'>{head}</tr>{rows}</table>"


@solara.component
def TraineeDesk(token: str, names: tuple[str, ...] = (), tick: int = 0):
    """One trainee's desk in the console; `tick` (the console's live refresh) redraws it."""
    lg = lang.value
    view = desk_view(token, lg, names)
    if view is None:
        return
    date = f" ({view.date})" if view.date else ""
    status = t("fac_view_day", lg, day=view.day, date=date) + " · " + t("ws_budget_left", lg, left=view.budget_left, budget=view.budget)
    if view.finished:
        status += " · " + t("fac_status_done", lg)
    with solara.Column(gap="4px", classes=["siaga-fac-trainee"]):
        Heading(t("fac_view_title", lg, name=view.name), size="16px", classes=["siaga-fac-trainee-title"])
        solara.Text(status, classes=["siaga-fac-trainee-day"])
        if not view.live:
            solara.Info(t("fac_view_not_live", lg), classes=["siaga-fac-trainee-not-live"])
        elif view.busy:
            solara.Text(t("fac_view_busy", lg), classes=["siaga-fac-trainee-busy"], style={"font-size": "12px", "color": "#546e7a"})
        with solara.Row(gap="16px", style={"flex-wrap": "wrap", "align-items": "flex-start"}):
            if view.map_svg:
                with solara.Column(gap="4px", style={"flex": f"1 1 {MAP_WIDTH}px", "max-width": "760px", "min-width": "0"}):
                    Heading(t("ws_desk_map", lg))
                    Svg(view.map_svg, classes=["siaga-fac-trainee-map"])
            with solara.Column(gap="4px", style={"flex": "1 1 320px", "min-width": "0"}):
                Heading(t("fac_view_orders", lg, n=len(view.orders), cost=view.spent))
                if not view.orders:
                    solara.Text(t("fac_view_no_orders", lg), classes=["siaga-fac-trainee-no-orders"])
                else:
                    solara.HTML(tag="div", unsafe_innerHTML=orders_table(view, lg), classes=["siaga-fac-trainee-orders"],
                                style="max-height: 420px; overflow: auto")
