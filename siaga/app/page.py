"""The app's entry module for `solara run siaga.app.page` (what `siaga ui` starts).

Three pages: the explorer (/), the Camat workshop (/lokakarya) and the facilitator's view
(/fasilitator); a language switch (Bahasa Indonesia / English) in the bar.
"""

from __future__ import annotations

import solara

from siaga.app import sessions
from siaga.app.explorer import Explorer
from siaga.app.facilitator import Facilitator
from siaga.app.ui_state import lang
from siaga.app.workshop import Workshop
from siaga.i18n import LANGS, t

CSS = """
.siaga-map-host svg, .siaga-network svg { display: block; }
.siaga-feed .feed-line { line-height: 1.25; }
.siaga-bar { background: #263238; color: white; padding: 6px 14px; }
.siaga-bar a { color: white !important; margin-right: 18px; text-decoration: none; }
.siaga-bar a.active { text-decoration: underline; font-weight: bold; }
table.siaga-table { border-collapse: collapse; font-size: 13px; }
table.siaga-table td, table.siaga-table th { border: 1px solid #cfd8dc; padding: 3px 8px; text-align: left; }
/* a phone (390 px): the charts scale with their column, the bar wraps instead of widening the page */
svg.siaga-chart { max-width: 100%; height: auto; }
.siaga-bar { flex-wrap: wrap; row-gap: 4px; }
/* a projector (1920 px): the maps grow with the screen instead of staying a 520-560 px box in a
   corner; a picker's long choice wraps instead of ending in "…" (tests/app/test_projector_browser.py) */
@media (min-width: 1600px) { .siaga-map-host svg.siaga-map { width: min(800px, 42vw); } }
.siaga-fac-trainee-map svg { display: block; width: 100%; height: auto; }
.v-select__selection--comma { white-space: normal; }
"""


@solara.component
def Layout(children: list | None = None):
    lg = lang.value
    route, routes = solara.use_route()
    solara.Title(t("app_title", lg))
    solara.Style(CSS)
    # Solara's own connection messages (siaga/templates/index.html.j2) in English too. Always one
    # Style element, empty in Bahasa: a child that comes and goes would shift the page's children
    # and remount them, losing what was typed into a form when the language is switched.
    solara.Style(".siaga-sys-id { display: none !important; } .siaga-sys-en { display: inline !important; }" if lg == "en" else "")
    with solara.Column(gap="0px", style={"width": "100%"}):
        with solara.Row(classes=["siaga-bar"], style={"align-items": "center", "background-color": "#263238", "padding": "6px 14px"}):
            solara.Text("SIAGA", style={"font-weight": "bold", "margin-right": "24px", "font-size": "18px", "color": "white"})
            for r in routes:
                path = "/" if r.path == "/" else f"/{r.path}"
                with solara.Link(path):
                    solara.Text(t(r.label, lg), classes=["siaga-nav", "active" if r is route else "inactive"], style={"color": "white", "margin-right": "18px", "text-decoration": "underline" if r is route else "none"})
            solara.v.Spacer()
            solara.ToggleButtonsSingle(value=lg, values=list(LANGS), on_value=lang.set, classes=["siaga-lang"])
        with solara.Column(style={"padding": "12px"}):
            solara.Column(children=children or [])


sessions.add_status_route()  # GET /_siaga/status: live models, sessions, memory (counts only)

routes = [
    solara.Route(path="/", component=Explorer, label="nav_explorer", layout=Layout),
    solara.Route(path="lokakarya", component=Workshop, label="nav_workshop"),
    solara.Route(path="fasilitator", component=Facilitator, label="nav_facilitator"),
]
