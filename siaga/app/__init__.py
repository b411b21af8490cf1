"""The SIAGA web app (Solara): an explorer for anyone, and a tabletop workshop for Camat.

Start it with `siaga ui`; the entry module is `siaga.app.page`. Nothing here builds a model at
import: every browser session builds its own (see `siaga.app.state`).
"""
