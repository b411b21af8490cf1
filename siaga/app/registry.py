"""Workshop sessions on the server: a facilitator creates one, trainees join with its code.

Shared by every browser session of this server process (that is its job: the facilitator sees
each trainee's progress and result). Kept in the workshop database (`siaga.app.store`: a SQLite
file under `siaga ui`, or a server database by URL shared by several servers), so a reload, a
closed tab or a restart of the server loses nothing: a trainee comes back with the token in their
page's address and their exercise is replayed (`siaga.app.exercise.Exercise.replay`); a
facilitator reopens an old code. Only summaries and orders live here, never a model: a trainee
whose page closes is marked `left` and keeps their row.

Every question (a session's state, its live injects, a trainee's row) is asked of the database,
never of this process's memory, so two servers on one database serve the same session. One
trainee, one writer: each save names the row's revision its exercise last saw, and a tab (or
server) that another has overtaken is refused (`StaleRevision`, siaga/app/one_tab.py) instead of
overwriting the newer orders.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import StaleRevision as StaleRevision  # raised by save(): another tab saved this trainee since
from siaga.app.store import get_store

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a hall
CODE_LENGTH = 6
STATES = ("open", "paused", "ended")


@dataclass
class Trainee:
    name: str
    day: int = 0
    finished: bool = False
    result: dict[str, Any] = field(default_factory=dict)
    updated: float = field(default_factory=time.time)
    left: bool = False  # the trainee's page closed before the end: their model is gone, this summary stays
    token: str = ""
    orders: list[dict] = field(default_factory=list)
    budget: float = 0.0

    @property
    def budget_left(self) -> float:
        return self.budget - sum(float(o.get("cost", 0)) for o in self.orders)


@dataclass
class WorkshopSession:
    code: str
    setup: ExerciseSetup
    created: float = field(default_factory=time.time)
    trainees: dict[str, Trainee] = field(default_factory=dict)
    state: str = "open"
    notes: str = ""


# sessions created or opened by this process: written, never read for a session's state (the store
# is the truth: after a restart, and for another server on the same database)
_sessions: dict[str, WorkshopSession] = {}
MAX_SESSIONS = 500  # the oldest session is forgotten beyond this (a few kB each, with their trainees)


def setup_from(data: dict[str, Any]) -> ExerciseSetup:
    """An ExerciseSetup back from its stored JSON; fields unknown to this version are ignored and
    missing ones take their defaults (a database written by an older or newer SIAGA)."""
    names = {f.name for f in dataclasses.fields(ExerciseSetup)}
    kept = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in names}
    return ExerciseSetup(**kept)


def _session(row: dict[str, Any]) -> WorkshopSession:
    return WorkshopSession(row["code"], setup_from(row["setup"]), row["created"], state=row["state"], notes=row["notes"])


def create(setup: ExerciseSetup) -> WorkshopSession:
    store = get_store()
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        created = time.time()
        if store.add_session(code, setup, created):
            break
    session = _sessions[code] = WorkshopSession(code, setup, created)
    store.forget_oldest_sessions(MAX_SESSIONS)
    for gone in set(_sessions) - {s["code"] for s in store.sessions()}:
        del _sessions[gone]
    return session


def get(code: str | None) -> WorkshopSession | None:
    if not code:
        return None
    row = get_store().session(code.strip().upper())
    if row is None:
        return None
    session = _sessions[row["code"]] = _session(row)
    return session


def save(ex: Any, finished: bool = False, result: dict[str, Any] | None = None) -> None:
    """Keep a trainee's progress (an `Exercise`): everything a replay needs, and the summary the
    facilitator sees. Called after every order and every run of days. StaleRevision when another
    tab or server saved this trainee after this exercise last did (nothing is written then)."""
    if ex.model is None:  # closed
        return
    ex.store_revision = get_store().save_trainee(
        ex.trainee_id, code=ex.code, name=ex.trainee or "?", setup=ex.setup, day=ex.today, model_day=ex.model.day,
        orders=list(ex.camat.orders), finished=finished, result=result, seen_from=getattr(ex, "seen_from", None),
        revision=revision_of(ex),
    )


def revision_of(ex: Any) -> int | None:
    """The trainee row's revision this exercise last saved or was restored from (None: never saved)."""
    return getattr(ex, "store_revision", None)


def adopt(ex: Any, row: dict[str, Any]) -> None:
    """An exercise rebuilt from its stored `row` (a reload, another server) writes on from that row's revision."""
    ex.store_revision = row.get("revision")


def is_current(ex: Any) -> bool:
    """False when another tab or server has saved this trainee since this exercise did: its next
    save would be refused, and acting on it (running days, taking live injects) would be lost."""
    seen = revision_of(ex)
    if seen is None:
        return True
    stored = get_store().revision(ex.trainee_id)
    return stored is None or stored == seen


def update(code: str, trainee_id: str, name: str, day: int, finished: bool = False, result: dict[str, Any] | None = None) -> None:
    """A trainee's summary without an Exercise at hand (kept for callers that have none)."""
    store = get_store()
    session = get(code)
    if session is None:
        return
    old = store.trainee(trainee_id)
    store.save_trainee(trainee_id, code=session.code, name=name, setup=session.setup, day=day,
                       model_day=old["model_day"] if old else day + 1, orders=old["orders"] if old else [], finished=finished, result=result)
    store.set_trainee(trainee_id, name=name)  # this caller names the trainee (a save keeps the first name, or the facilitator's)


def left(code: str, trainee_id: str, day: int, revision: int | None = None) -> None:
    """The trainee's page is gone (closed, or its connection lost for good). With `revision`
    (`revision_of(ex)`), a tab that another tab has overtaken leaves the row alone."""
    get_store().mark_left(trainee_id, day, revision)


def trainee(token: str | None) -> dict[str, Any] | None:
    """A trainee's stored progress (for a replay), or None for an unknown token."""
    if not token:
        return None
    row = get_store().trainee(token)
    if row is not None:
        row["setup"] = setup_from(row["setup"])
    return row


def _trainee(row: dict[str, Any], setup: ExerciseSetup) -> Trainee:
    return Trainee(row["name"], row["day"], row["finished"], row["result"], row["updated"], row["left"], row["token"], row["orders"], setup.budget)


def snapshot(code: str) -> tuple[ExerciseSetup, list[Trainee]] | None:
    session = get(code)
    if session is None:
        return None
    return session.setup, [_trainee(r, session.setup) for r in get_store().trainees(session.code)]


def set_state(code: str, state: str) -> None:
    """Pause, resume or end a session (trainees of a paused or ended session cannot run days)."""
    if state not in STATES:
        raise ValueError(f"session state must be one of {STATES}, got {state!r}")
    get_store().set_session(code, state=state)


def held(code: str | None) -> str | None:
    """"paused" or "ended" when the facilitator holds the session's trainees; None to go on
    (also for an exercise of one's own, or a session this server no longer knows)."""
    session = get(code)
    return None if session is None or session.state == "open" else session.state


def set_notes(code: str, notes: str) -> None:
    get_store().set_session(code, notes=notes)


def rename(token: str, name: str) -> None:
    get_store().set_trainee(token, name=name)


def remove(token: str) -> None:
    """Take a trainee off the facilitator's table (their row stays in the database)."""
    get_store().set_trainee(token, removed=True)


# ---------------------------------------------------------------- live injects (facilitator -> trainees)

LIVE_KINDS = ("message", "hoax", "provocation", "report")  # what the console offers (simulation/injects.py)


def fire_inject(code: str, kind: str, village: int, text_id: str, text_en: str = "", **params: Any) -> int:
    """The facilitator's unscheduled inject: every trainee of session `code` takes it on the next
    day their run goes through (each run stays deterministic: the day it took it is stored and a
    replay applies it on that day again). Returns its id; ValueError for an unknown session or kind."""
    if get(code) is None:
        raise ValueError(f"unknown session {code!r}")
    if kind not in LIVE_KINDS:
        raise ValueError(f"inject kind must be one of {', '.join(LIVE_KINDS)}, got {kind!r}")
    return get_store().add_live_inject(code, kind, int(village), params, text_id, text_en or text_id)


def pending_injects(code: str | None, token: str) -> list[dict[str, Any]]:
    """The session's live injects this trainee's run has not taken yet, oldest first."""
    if not code:
        return []
    store = get_store()
    taken = {r["id"] for r in store.received_injects(token)}
    return [r for r in store.live_injects(code) if r["id"] not in taken]


def received_injects(token: str) -> list[dict[str, Any]]:
    return get_store().received_injects(token)


def mark_received(token: str, inject: int, day: int) -> None:
    get_store().mark_received(token, inject, day)
