"""Small Solara components shared by the explorer and the workshop."""

from __future__ import annotations

from collections.abc import Callable

import solara

from siaga.app.help_text import help_html
from siaga.app.readouts import EventRow
from siaga.event_text import describe_event
from siaga.i18n import t


@solara.component_vue("village_map.vue")
def VillageMap(svg: str, event_select: Callable[[int], None]):
    """The map's SVG; a click on a village calls `event_select(village number)`."""


@solara.component
def Heading(text: str, size: str = "14px", classes: list[str] | None = None):
    """Bold text (solara.Markdown would load KaTeX and Mermaid into the page for nothing)."""
    solara.Text(text, classes=classes or [], style={"font-weight": "bold", "font-size": size, "margin": "4px 0"})


@solara.component
def Paragraph(text: str):
    solara.Text(text, style={"display": "block", "margin": "4px 0 8px 0"})


@solara.component
def Svg(svg: str, classes: list[str] | None = None):
    solara.HTML(tag="div", unsafe_innerHTML=svg, classes=classes or [])


@solara.component
def EventFeed(rows: list[EventRow], lang: str, kelurahan: dict[str, bool], title: str | None = None, max_height: int = 260,
              empty_text: str | None = None):
    """Event-log rows as sentences, incidents in bold red; `kelurahan`: village code -> kelurahan?"""
    with solara.Column(classes=["siaga-feed"], gap="2px"):
        Heading(title or t("event_feed", lang))
        if not rows:
            solara.Text(empty_text or t("no_events", lang))
            return
        with solara.Column(style={"max-height": f"{max_height}px", "overflow-y": "auto", "font-size": "13px"}, gap="1px"):
            for row in rows:
                incident = row.kind == "incident"
                solara.Text(
                    describe_event(row, lang, kelurahan),
                    classes=["feed-line"] + (["feed-incident"] if incident else []),
                    style={"color": "#b71c1c", "font-weight": "bold"} if incident else {},
                )


@solara.component
def HelpPanel(spec, lang: str, desk: bool = False):
    """What the alert levels mean and what each order does (siaga/app/help_text.py), closed until asked."""
    solara.HTML(tag="div", unsafe_innerHTML=help_html(spec, lang, desk), classes=["siaga-help"])


@solara.component
def ErrorBox(message: str | None):
    if message:
        solara.Error(message, classes=["siaga-error"])
