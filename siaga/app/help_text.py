"""The short help a trainee or analyst can open: what each alert level means and what each of
the Camat's orders does and costs (issue 14: "a short help for alert levels and orders").

Plain HTML `<details>` (opened and closed by the browser, no round trip to the server), built
from the page's language and, for the costs, from the scenario's own parameters, so that the help
never quotes a number the model does not use. The wording follows docs/ODD.md §7.8 (alert
levels) and agents/camat.py (orders).
"""

from __future__ import annotations

import html

from common.levels import ALERT_LEVELS
from scenarios.schema import Scenario
from siaga.app.svg_style import ALERT_COLOURS
from siaga.i18n import t

ORDER_KEYS = ("mediation", "patrol", "rapid_response", "rakor", "counter_hoax", "backup")


def order_costs(spec: Scenario) -> dict[str, float]:
    """Person-days each order costs under this scenario (agents/camat.py `order_cost`; a rakor's
    cost is its meeting plus one mediation team per reported village, shown as the two parts)."""
    o = spec.officials
    team = float(o.team_size * o.unit_stay_days)
    return {"mediation": o.mediation_team_person_days, "patrol": team, "rapid_response": team,
            "rakor": o.rakor_person_days, "counter_hoax": float(o.counter_hoax_days), "backup": 0.0}


def help_html(spec: Scenario, lang: str = "id", desk: bool = False) -> str:
    """Two closed `<details>` boxes: the alert levels, and the orders with their costs. `desk`:
    the workshop's desk, whose map shows officials' late and noisy reports (the explorer's map
    shows the true levels), which the help then says."""
    e = html.escape
    levels = "".join(
        f"<li><b style='color:{ALERT_COLOURS[name]}'>{name}</b>: {e(t(f'help_level_{name.lower()}', lang))}</li>"
        for name in ALERT_LEVELS
    )
    costs, o = order_costs(spec), spec.officials
    orders = "".join(
        f"<li><b>{e(t(f'order_{k}', lang))}</b>: "
        f"{e(t(f'help_order_{k}', lang, cost=costs[k], team=o.mediation_team_person_days, days=o.counter_hoax_days, stay=o.unit_stay_days))}</li>"
        for k in ORDER_KEYS
    )
    box = "margin:4px 0;font-size:13px;max-width:100%"
    reports = f"<p style='margin:2px 0'>{e(t('help_levels_reports', lang))}</p>" if desk else ""
    return (
        f"<details class='siaga-help-levels' style='{box}'><summary>{e(t('help_levels_title', lang))}</summary>"
        f"<ul style='margin:4px 0;padding-left:18px'>{levels}</ul>{reports}</details>"
        f"<details class='siaga-help-orders' style='{box}'><summary>{e(t('help_orders_title', lang))}</summary>"
        f"<ul style='margin:4px 0;padding-left:18px'>{orders}</ul></details>"
    )
