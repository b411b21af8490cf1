"""One trainee, one writer: the same exercise open in two tabs (or two browsers, or on two servers)
with the same `?peserta=` token.

Each tab replays the stored exercise and then plays on its own copy of the model. Without a check
the last save would win silently, so one tab's orders could overwrite the other's. The trainee row
carries a revision (siaga/app/store.py); a tab writes only on top of the revision it last saw. The
tab that saved last (or was opened last: a restore saves at once) goes on; the other is refused,
told that the exercise continues elsewhere, and offered to reload, which replays the newer state
from the database (and makes this tab the one that goes on).

The workshop page (siaga/app/workshop.py) calls `publish` instead of `registry.save`, asks
`moved_on` before running days (so that a tab left behind neither runs days that would be lost nor
takes the facilitator's live injects on days the other tab never saw), and shows `AnotherTab`
while its exercise is stale.
"""

from __future__ import annotations

from typing import Any

import solara

from siaga.app import registry
from siaga.app.ui_state import lang
from siaga.i18n import t

# the exercise (by identity: two tabs' copies compare equal) this browser session may no longer save
stale_exercise: solara.Reactive[int | None] = solara.reactive(None)


def publish(ex: Any, finished: bool = False, result: dict | None = None) -> bool:
    """Save the exercise's progress (registry.save); False, and this page says so, when another tab
    or server has saved the same trainee since: nothing is written then."""
    try:
        registry.save(ex, finished, result)
    except registry.StaleRevision:
        stale_exercise.set(id(ex))
        return False
    return True


def moved_on(ex: Any) -> bool:
    """True (and this page says so) when another tab or server has saved this trainee since this
    page did: asked before acting, so that nothing is done that could not be kept."""
    if ex is None or registry.is_current(ex):
        return False
    stale_exercise.set(id(ex))
    return True


def is_stale(ex: Any) -> bool:
    """This page's exercise was overtaken by another tab (known from a refused save or `moved_on`)."""
    return ex is not None and stale_exercise.value == id(ex)


@solara.component
def AnotherTab(ex: Any, exercise_state: solara.Reactive, debrief_state: solara.Reactive):
    """The notice a tab left behind shows instead of its desk, with a button that reloads the
    exercise: the page forgets its copy and the token in its address is restored from the database
    (siaga/app/resume.py), as after a reload of the page."""
    lg = lang.value

    def reload() -> None:
        # the page forgets its copy first: clearing the stale mark first would show the old desk
        # again for a moment (with its day and buttons) before the restore replaces it
        exercise_state.set(None)  # the address still names the token: the page restores it
        debrief_state.set(None)
        stale_exercise.set(None)
        ex.close()

    with solara.Column(gap="8px", style={"max-width": "620px"}, classes=["siaga-ws-other-tab"]):
        solara.Warning(t("ws_other_tab", lg), classes=["siaga-ws-other-tab-text"])
        solara.Button(t("ws_other_tab_reload", lg), on_click=reload, color="primary", classes=["siaga-ws-other-tab-reload"])
