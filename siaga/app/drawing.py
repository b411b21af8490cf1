"""The app's pictures as SVG text: the village map, the charts and a village's social network.

Plain SVG built from the model's arrays: cheap (a few milliseconds a step for the default
scenario), identical in the browser and in the downloadable debrief, and testable as text. The
network uses its own fixed layout (people in camp sectors of a sunflower spiral, households side by
side), computed once per village, never a spring layout; above `NETWORK_MAX_NODES` people a
village is drawn from a fixed sample.

One module per picture: draw_map.py, draw_charts.py, draw_network.py (shared colours and limits in
svg_style.py). This module is what the app imports them from.
"""

from siaga.app.draw_charts import (  # noqa: F401
    Frame,
    bars_svg,
    charts_svg,
    lines_svg,
    rows_of,
    shares_svg,
    short_date,
    wrap_label,
)
from siaga.app.draw_map import map_svg  # noqa: F401
from siaga.app.draw_network import NetworkLayout, network_layout, network_svg  # noqa: F401
from siaga.app.svg_style import (  # noqa: F401
    ALERT_COLOURS,
    LABEL_MAX_VILLAGES,
    NETWORK_MAX_EDGES,
    NETWORK_MAX_NODES,
    SERIES_COLOURS,
    STAGE_SHADES,
    STATE_COLOURS,
)
