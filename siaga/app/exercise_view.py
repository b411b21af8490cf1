"""What an exercise file adds to the workshop's pages: the picker's entries, the briefing before the
first evening, the message box where inject messages arrive on their day, and the objectives with
how the run stands against them. The desk itself is siaga/app/workshop.py.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import solara

from scenarios.exercise_schema import ExerciseError, exercise_names, get_exercise
from siaga.app.components import Heading, Paragraph
from siaga.app.exercise import Exercise, ObjectiveResult
from siaga.app.readouts import village_labels
from siaga.event_text import place
from siaga.i18n import t

EXTRA_EXERCISES_ENV = "SIAGA_APP_EXERCISES"  # exercise files added by `siaga ui --exercise FILE` (os.pathsep-separated)


def exercise_entries() -> list[str]:
    """What the start form offers: the shipped exercises by name, then files given to `siaga ui --exercise`."""
    extra = [p for p in os.environ.get(EXTRA_EXERCISES_ENV, "").split(os.pathsep) if p]
    return [*exercise_names(), *extra]


def exercise_choices(lang: str) -> dict[str, str]:
    """The exercises as the start form lists them: title (in the page's language) -> name or path.
    A file that no longer validates is left out rather than breaking the form."""
    out: dict[str, str] = {}
    for name in exercise_entries():
        try:
            title = get_exercise(name).spec.title.get(lang)
        except ExerciseError:
            continue
        out[title if title not in out else f"{title} ({Path(name).stem})"] = name
    return out


def exercise_info(name: str, lang: str) -> str:
    """One line under the picker: region and election, window, budget, how many injects."""
    ex = get_exercise(name)
    s = ex.spec
    return t("ws_exercise_info", lang, scenario=ex.scenario.name, a=s.window.start_day, b=s.last_day, budget=s.budget, n=len(s.injects))


def _where(ex: Exercise, village: int, lang: str) -> str:
    region = ex.model.region
    return place(village_labels(region)[village], bool(region.kelurahan[village]), lang)


def objective_text(ex: Exercise, res: ObjectiveResult, lang: str, status: bool = True) -> str:
    """An objective in words, with how the run stands against it (unless `status` is False)."""
    if res.kind == "no_incident":
        what = t("obj_no_incident", lang, village=_where(ex, res.village, lang))
    elif res.kind == "incidents_at_most":
        what = t("obj_incidents_at_most", lang, n=res.target)
    else:
        what = t("obj_respond_within", lang, level=res.level, days=res.target)
    if not status:
        return what
    if res.met:
        return f"{what}: {t('obj_met', lang)}"
    value = t("obj_value_late", lang, n=res.value) if res.kind == "respond_within" else t("obj_value_incidents", lang, n=res.value)
    return f"{what}: {t('obj_not_met', lang, value=value)}"


@solara.component
def Objectives(ex: Exercise, lang: str, stamp: tuple = ()):
    """`stamp` (the day, the orders given) changes when the run does, so that this redraws."""
    results = ex.objectives()
    if not results:
        return
    Heading(t("ws_objectives", lang))
    with solara.Column(gap="1px", classes=["siaga-ws-objectives"], style={"font-size": "13px"}):
        for res in results:
            solara.Text(("✓ " if res.met else "✗ ") + objective_text(ex, res, lang), style={"color": "#2e7d32" if res.met else "#c62828"})


@solara.component
def Briefing(ex: Exercise, lang: str, on_begin: Callable[[], None]):
    """The exercise's briefing, read before the first evening at the desk."""
    spec = ex.file.spec
    with solara.Column(gap="8px", style={"max-width": "720px"}, classes=["siaga-ws-briefing"]):
        Heading(f"{t('ws_briefing', lang)}: {spec.title.get(lang)}", size="20px")
        for para in spec.briefing.get(lang).split("\n\n"):
            Paragraph(" ".join(para.split()))
        if spec.based_on:
            solara.Text(t("ws_based_on", lang, src=spec.based_on), style={"font-size": "12px", "color": "#546e7a"})
        if spec.objectives:
            Heading(t("ws_objectives", lang))
            with solara.Column(gap="1px", style={"font-size": "14px"}):
                for res in ex.objectives():
                    solara.Text("• " + objective_text(ex, res, lang, status=False))
        solara.Button(t("ws_begin", lang), on_click=on_begin, color="primary", classes=["siaga-ws-begin"])


@solara.component
def Inbox(ex: Exercise, lang: str, stamp: tuple = ()):
    """The inject messages received so far, newest first; those since the last evening marked new.
    `stamp` (the day) changes when the run does, so that this redraws."""
    if ex.file is None:
        return
    messages = ex.messages()
    fresh = ex.new_messages()
    Heading(f"{t('ws_inbox', lang)} ({len(fresh)} {t('ws_new', lang)})" if fresh else t("ws_inbox", lang))
    with solara.Column(gap="2px", classes=["siaga-ws-inbox"], style={"font-size": "13px", "max-height": "200px", "overflow-y": "auto"}):
        if not messages:
            solara.Text(t("ws_inbox_none", lang))
        for m in reversed(messages):
            is_new = m.day >= ex.seen_from
            solara.Text(
                ("● " if is_new else "") + t("ws_message_line", lang, day=m.day, village=_where(ex, m.village, lang), text=m.text(lang)),
                classes=["siaga-ws-inbox-new" if is_new else "siaga-ws-inbox-old"],
                style={"font-weight": "600" if is_new else "400", "color": "#0d47a1" if is_new else "#455a64"},
            )
