"""Workshop sessions on the server: a facilitator creates one, trainees join with its code.

Server-side and shared by every browser session of this server process (that is its job: the
facilitator sees each trainee's result), guarded by a lock. Only summaries live here (name, day,
result), never a model: a trainee whose page closes is marked `left` and keeps their row.
Nothing is written to disk; a server restart ends the sessions.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from siaga.app.exercise_setup import ExerciseSetup

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud in a hall
CODE_LENGTH = 6


@dataclass
class Trainee:
    name: str
    day: int = 0
    finished: bool = False
    result: dict[str, Any] = field(default_factory=dict)
    updated: float = field(default_factory=time.time)
    left: bool = False  # the trainee's page closed before the end: their model is gone, this summary stays


@dataclass
class WorkshopSession:
    code: str
    setup: ExerciseSetup
    created: float = field(default_factory=time.time)
    trainees: dict[str, Trainee] = field(default_factory=dict)


_lock = threading.Lock()
_sessions: dict[str, WorkshopSession] = {}
MAX_SESSIONS = 500  # the oldest session is forgotten beyond this (a few kB each; no models here)


def create(setup: ExerciseSetup) -> WorkshopSession:
    with _lock:
        while True:
            code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
            if code not in _sessions:
                break
        session = _sessions[code] = WorkshopSession(code, setup)
        while len(_sessions) > MAX_SESSIONS:
            del _sessions[min(_sessions, key=lambda c: _sessions[c].created)]
        return session


def get(code: str | None) -> WorkshopSession | None:
    if not code:
        return None
    with _lock:
        return _sessions.get(code.strip().upper())


def update(code: str, trainee_id: str, name: str, day: int, finished: bool = False, result: dict[str, Any] | None = None) -> None:
    with _lock:
        session = _sessions.get(code)
        if session is None:
            return
        tr = session.trainees.setdefault(trainee_id, Trainee(name))
        tr.name, tr.day, tr.finished, tr.updated = name, day, finished or tr.finished, time.time()
        if result is not None:
            tr.result = dict(result)


def left(code: str, trainee_id: str, day: int) -> None:
    """The trainee's page is gone (closed, or its connection lost for good)."""
    with _lock:
        session = _sessions.get(code)
        tr = None if session is None else session.trainees.get(trainee_id)
        if tr is None:
            return
        if not tr.finished:
            tr.left, tr.day, tr.updated = True, day, time.time()


def snapshot(code: str) -> tuple[ExerciseSetup, list[Trainee]] | None:
    with _lock:
        session = _sessions.get(code.strip().upper())
        if session is None:
            return None
        return session.setup, [Trainee(tr.name, tr.day, tr.finished, dict(tr.result), tr.updated, tr.left) for tr in session.trainees.values()]
