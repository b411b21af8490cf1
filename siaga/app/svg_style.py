"""What the app's SVG pictures share: the colours of alert levels, escalation states and series,
the drawing limits, and text escaping."""

from __future__ import annotations

import html

ALERT_COLOURS = {"AMAN": "#2e7d32", "WASPADA": "#f9a825", "SIAGA": "#ef6c00", "AWAS": "#c62828"}
STATE_COLOURS = ("#90a4ae", "#f9a825", "#ef6c00", "#c62828", "#4a148c")  # calm tense mobilised violent detained
SERIES_COLOURS = {"tense": "#f9a825", "mobilised": "#ef6c00", "violent": "#c62828"}
STAGE_SHADES = ("#eceff1", "#ffffff")
LABEL_MAX_VILLAGES = 60
NETWORK_MAX_NODES = 2500
NETWORK_MAX_EDGES = 2500


def _esc(s: object) -> str:
    return html.escape(str(s), quote=True)
