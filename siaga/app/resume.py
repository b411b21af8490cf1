"""A trainee comes back: after a reload, a closed tab reopened, or a restart of the server.

The page's address carries the trainee's token (`/lokakarya?peserta=<token>`), put there as soon
as the exercise starts. A page that opens with a token and no exercise rebuilds it from the
workshop database (`siaga.app.store`): same set-up, the stored orders given again on their days,
the stored days run (`Exercise.replay`); a finished trainee sees their debrief again. Solara keeps
nothing across a reload (each page load is a new kernel), so this is the only memory that counts.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlencode

import solara

from agents.camat import OrderRefused
from siaga.app import registry
from siaga.app.exercise import Exercise

logger = logging.getLogger("siaga.app")

TOKEN_PARAM = "peserta"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{6,64}")

# the token a trainee chose to leave ("Ulang"): not restored again in this browser session
dismissed: solara.Reactive[str | None] = solara.reactive(None)


def token_of(search: str | None) -> str | None:
    """The trainee token in a query string (`peserta=...`), or None when absent or malformed."""
    values = parse_qs(search or "").get(TOKEN_PARAM)
    token = values[0].strip() if values else ""
    return token if _TOKEN.fullmatch(token) else None


def url_with_token(path: str, token: str | None) -> str:
    return path if not token else f"{path}?{urlencode({TOKEN_PARAM: token})}"


def restore(token: str, attach: Callable[[Exercise], None] | None = None) -> tuple[Exercise, dict[str, Any], int] | None:
    """Rebuild the stored exercise of `token`: (exercise, stored row, orders that came out
    differently). None for an unknown token. ValueError when the set-up cannot be built any more
    (e.g. its scenario file is gone). `attach` (siaga.app.run_up) gets the exercise before any
    day runs: its days then show as progress and a cancel halts them."""
    row = registry.trainee(token)
    if row is None:
        return None
    ex = Exercise(row["setup"], trainee=row["name"], code=row["code"], trainee_id=token, run_up_now=attach is None)
    registry.adopt(ex, row)  # it writes on from this row: a tab that saved meanwhile makes its next save stale
    if attach is not None:
        attach(ex)
        ex.run_up()
    try:
        ex.restore_live_injects(registry.received_injects(token))
        differ = ex.replay(row["orders"], row["model_day"])
    except (OrderRefused, KeyError, TypeError, ValueError):
        logger.exception("replay of trainee %s failed", token)
        differ = len(row["orders"])
    if row.get("seen_from") is not None and hasattr(ex, "seen_from"):
        ex.seen_from = row["seen_from"]  # the desk lists the same "new" reports as before the reload
    return ex, row, differ


def use_resume(exercise_state: solara.Reactive, on_restored: Callable[[Exercise, dict[str, Any], int], None],
               on_unknown: Callable[[], None], in_background: Callable[[str, dict[str, Any]], None] | None = None) -> bool:
    """Keep the trainee's token in the address while an exercise runs, and restore the exercise of
    the token in the address when the page opens without one. Returns True while a restore is due
    (the page shows "restoring" instead of the empty set-up form). With `in_background(token, row)`
    a stored exercise is replayed by it (the workshop's thread with a progress bar, siaga.app.run_up),
    which then calls `on_restored` itself."""
    router = solara.use_router()
    token = token_of(router.search)
    ex = exercise_state.value
    gone = dismissed.value

    def push(path: str) -> None:
        if router.set_path is not None:  # None: rendered without a page (tests), no address to keep
            router.push(path)

    def sync():
        if ex is not None:
            if token != ex.trainee_id and ex.trainee_id != gone and not ex.closed:
                push(url_with_token(router.path, ex.trainee_id))
            return
        if token and token == gone:  # "Ulang": a reload must not bring the old exercise back
            push(router.path)
        if not token or token == gone:
            return
        row = registry.trainee(token) if in_background is not None else None
        if row is not None:
            in_background(token, row)
            return
        try:
            found = restore(token)
        except (ValueError, OSError) as exc:  # e.g. its scenario or exercise file is gone (ScenarioError is a ValueError)
            logger.warning("cannot restore trainee %s: %s", token, exc)
            found = None
        if found is None:
            dismissed.set(token)
            push(router.path)
            on_unknown()
            return
        on_restored(*found)

    solara.use_effect(sync, [token, None if ex is None else id(ex), gone])  # by identity: an Exercise compares by its fields
    return ex is None and token is not None and token != gone
