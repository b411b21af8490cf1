"""Session-wide UI state: one value per browser session (Solara reactive variables)."""

import solara

from siaga.i18n import DEFAULT_LANG

lang = solara.reactive(DEFAULT_LANG)
