"""A button that asks before it does something that cannot be undone (start over, replace a
session, remove a trainee): the first click shows the question with "yes" and "cancel" in the
button's place, so a stray click next to the download button loses nothing."""

from __future__ import annotations

from collections.abc import Callable

import solara

from siaga.app.ui_state import lang
from siaga.i18n import t


@solara.component
def ConfirmButton(label: str, question: str, on_confirm: Callable[[], None], yes: str | None = None,
                  classes: list[str] | None = None, disabled: bool = False, color: str | None = None):
    lg = lang.value
    asking, set_asking = solara.use_state(False)
    cls = classes or []

    def confirm():
        set_asking(False)
        on_confirm()

    if not asking:
        solara.Button(label, on_click=lambda: set_asking(True), disabled=disabled, color=color, classes=cls)
        return
    with solara.Row(gap="6px", style={"align-items": "center", "flex-wrap": "wrap"}, classes=[c + "-confirm" for c in cls]):
        solara.Text(question, style={"font-weight": "bold"})
        solara.Button(yes or t("confirm_yes", lg), on_click=confirm, color="error", classes=[c + "-yes" for c in cls])
        solara.Button(t("confirm_cancel", lg), on_click=lambda: set_asking(False), classes=[c + "-cancel" for c in cls])
