"""The workshop's memory on disk: sessions, trainees, their orders and results, in one SQLite file.

Why a file: a reload, the debrief's "Ulang" or a restart of `siaga ui` must not lose a morning's
course. What is kept is small (a few kB per trainee): a session's set-up, and for each trainee
the set-up, the orders with the day each was given, the day reached and, once finished, the
result row. The model itself is never stored: it is deterministic for (scenario, seed), so a
trainee's exercise is rebuilt by re-running the set-up and giving the same orders on the same
days (`siaga.app.exercise.Exercise.replay`).

Where: `SIAGA_DB` (a file path; `siaga ui --db PATH` sets it; `siaga ui` defaults to
`$XDG_DATA_HOME/siaga/workshop.sqlite`, i.e. `~/.local/share/siaga/workshop.sqlite`). Without
`SIAGA_DB` (tests, `solara run siaga.app.page` by hand) the store lives in memory and a restart
forgets it, as before. `SIAGA_DB=:memory:` asks for that explicitly.

One process writes the file (SQLite in WAL mode, one connection guarded by a lock). A server
database by URL for several servers behind a load balancer is not supported (docs/APP.md).
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

ENV = "SIAGA_DB"
MEMORY = ":memory:"
SCHEMA_VERSION = 1
SOLO_KEEP_DAYS = 30

_SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    code     TEXT PRIMARY KEY,
    setup    TEXT NOT NULL,               -- ExerciseSetup as JSON
    created  REAL NOT NULL,
    state    TEXT NOT NULL DEFAULT 'open', -- open / paused / ended
    notes    TEXT NOT NULL DEFAULT ''      -- the facilitator's private notes
);
CREATE TABLE IF NOT EXISTS trainees (
    token     TEXT PRIMARY KEY,            -- in the trainee's URL (?peserta=...): who comes back
    code      TEXT,                        -- the session joined; NULL for an exercise of one's own
    name      TEXT NOT NULL,
    setup     TEXT NOT NULL,
    day       INTEGER NOT NULL,            -- the day shown on the desk (Exercise.today)
    model_day INTEGER NOT NULL,            -- model.day: where a replay stops
    seen_from INTEGER,                     -- the first day whose reports are new on the desk
    orders    TEXT NOT NULL DEFAULT '[]',  -- the Camat's order records, in order, with their days
    finished  INTEGER NOT NULL DEFAULT 0,
    result    TEXT NOT NULL DEFAULT '{}',
    left_page INTEGER NOT NULL DEFAULT 0,  -- the page closed before the end
    removed   INTEGER NOT NULL DEFAULT 0,  -- taken off the facilitator's table
    created   REAL NOT NULL,
    updated   REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS trainees_by_code ON trainees (code);
CREATE TABLE IF NOT EXISTS live_injects (     -- fired by the facilitator during a session
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    code     TEXT NOT NULL,
    kind     TEXT NOT NULL,                   -- simulation/injects.py KINDS
    village  INTEGER NOT NULL,
    params   TEXT NOT NULL DEFAULT '{}',
    text_id  TEXT NOT NULL,
    text_en  TEXT NOT NULL,
    created  REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS injects_received ( -- the model day on which each trainee's run took it
    token    TEXT NOT NULL,
    inject   INTEGER NOT NULL,
    day      INTEGER NOT NULL,
    PRIMARY KEY (token, inject)
);
"""


class StoreError(OSError):
    """The database file cannot be opened or is not ours; the message names the file."""


def default_path() -> Path:
    """Where `siaga ui` keeps the workshop database unless told otherwise."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "siaga" / "workshop.sqlite"


def _json(obj: Any) -> str:
    def plain(o: Any) -> Any:
        if hasattr(o, "item"):  # numpy scalars in result rows
            return o.item()
        if dataclasses.is_dataclass(o) and not isinstance(o, type):
            return dataclasses.asdict(o)
        if isinstance(o, (set, frozenset)):
            return sorted(o)
        return str(o)

    return json.dumps(obj, default=plain, ensure_ascii=False, allow_nan=True)


class Store:
    """One SQLite database; every method is one short transaction (thread-safe)."""

    def __init__(self, path: str | os.PathLike = MEMORY):
        self.path = str(path)
        if self.path != MEMORY:
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the workshop database {self.path}: {exc.strerror or exc}") from None
        self._lock = threading.Lock()
        try:
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=10)
            self._db.row_factory = sqlite3.Row
            if self.path != MEMORY:
                self._db.execute("PRAGMA journal_mode=WAL")  # a crash mid-write never leaves half a row
                self._db.execute("PRAGMA synchronous=NORMAL")
            version = self._db.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise StoreError(f"the workshop database {self.path} was written by a newer SIAGA (schema {version} > {SCHEMA_VERSION})")
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use {self.path} as the workshop database: {exc}") from None

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def _exec(self, sql: str, args: tuple = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # ------------------------------------------------------------------ sessions

    def add_session(self, code: str, setup: Any, created: float | None = None) -> bool:
        """False when the code is taken (the caller draws another)."""
        try:
            self._exec("INSERT INTO sessions (code, setup, created) VALUES (?, ?, ?)", (code, _json(setup), created or time.time()))
        except sqlite3.IntegrityError:
            return False
        return True

    def session(self, code: str) -> dict[str, Any] | None:
        rows = self._exec("SELECT * FROM sessions WHERE code = ?", (code,))
        return self._session_row(rows[0]) if rows else None

    def sessions(self) -> list[dict[str, Any]]:
        return [self._session_row(r) for r in self._exec("SELECT * FROM sessions ORDER BY created")]

    @staticmethod
    def _session_row(r: sqlite3.Row) -> dict[str, Any]:
        return {"code": r["code"], "setup": json.loads(r["setup"]), "created": r["created"], "state": r["state"], "notes": r["notes"]}

    def set_session(self, code: str, **fields: Any) -> None:
        """Change `state` and/or `notes` of a session."""
        allowed = {"state", "notes"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"set_session changes {sorted(allowed)}, got {sorted(fields)}")
        cols = ", ".join(f"{k} = ?" for k in fields)
        self._exec(f"UPDATE sessions SET {cols} WHERE code = ?", (*fields.values(), code))

    def forget_oldest_sessions(self, keep: int) -> None:
        """Beyond `keep` sessions the oldest go, with their trainees, and so do exercises of one's own
        not touched for SOLO_KEEP_DAYS (a database that grows for ever would be the memory leak of
        the next year's course)."""
        with self._lock:
            old = [r[0] for r in self._db.execute("SELECT code FROM sessions ORDER BY created DESC LIMIT -1 OFFSET ?", (keep,))]
            for code in old:
                self._db.execute("DELETE FROM trainees WHERE code = ?", (code,))
                self._db.execute("DELETE FROM sessions WHERE code = ?", (code,))
            # exercises of one's own (no session) are kept SOLO_KEEP_DAYS after their last step
            self._db.execute("DELETE FROM trainees WHERE code IS NULL AND updated < ?", (time.time() - SOLO_KEEP_DAYS * 86400,))

    # ------------------------------------------------------------------ trainees

    def save_trainee(self, token: str, *, code: str | None, name: str, setup: Any, day: int, model_day: int,
                     orders: list[dict], finished: bool = False, result: dict | None = None, seen_from: int | None = None) -> None:
        """Insert or update a trainee's progress (everything a replay needs). A finished trainee stays
        finished; a result, once given, is kept unless a new one comes."""
        now = time.time()
        self._exec(
            """INSERT INTO trainees (token, code, name, setup, day, model_day, seen_from, orders, finished, result, left_page, created, updated)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
               ON CONFLICT(token) DO UPDATE SET
                 code = excluded.code, setup = excluded.setup, name = excluded.name, day = excluded.day, model_day = excluded.model_day,
                 seen_from = excluded.seen_from, orders = excluded.orders,
                 finished = MAX(trainees.finished, excluded.finished),
                 result = CASE WHEN excluded.result = '{}' THEN trainees.result ELSE excluded.result END,
                 left_page = 0, updated = excluded.updated""",
            (token, code, name, _json(setup), int(day), int(model_day), None if seen_from is None else int(seen_from), _json(orders), int(bool(finished)), _json(result or {}), now, now),
        )

    def trainee(self, token: str) -> dict[str, Any] | None:
        rows = self._exec("SELECT * FROM trainees WHERE token = ?", (token,))
        return self._trainee_row(rows[0]) if rows else None

    def trainees(self, code: str, include_removed: bool = False) -> list[dict[str, Any]]:
        rows = self._exec("SELECT * FROM trainees WHERE code = ? " + ("" if include_removed else "AND removed = 0 ") + "ORDER BY created", (code,))
        return [self._trainee_row(r) for r in rows]

    @staticmethod
    def _trainee_row(r: sqlite3.Row) -> dict[str, Any]:
        return {
            "token": r["token"], "code": r["code"], "name": r["name"], "setup": json.loads(r["setup"]), "day": r["day"],
            "model_day": r["model_day"], "seen_from": r["seen_from"], "orders": json.loads(r["orders"]), "finished": bool(r["finished"]),
            "result": json.loads(r["result"]), "left": bool(r["left_page"]), "removed": bool(r["removed"]),
            "created": r["created"], "updated": r["updated"],
        }

    def mark_left(self, token: str, day: int) -> None:
        self._exec("UPDATE trainees SET left_page = 1, day = ?, updated = ? WHERE token = ? AND finished = 0", (int(day), time.time(), token))

    def set_trainee(self, token: str, *, name: str | None = None, removed: bool | None = None) -> None:
        """Rename a trainee, or take them off (or back onto) the facilitator's table."""
        if name is not None:
            self._exec("UPDATE trainees SET name = ? WHERE token = ?", (name, token))
        if removed is not None:
            self._exec("UPDATE trainees SET removed = ? WHERE token = ?", (int(removed), token))

    # ------------------------------------------------------------------ live injects

    def add_live_inject(self, code: str, kind: str, village: int, params: dict, text_id: str, text_en: str) -> int:
        """An inject the facilitator fires for every trainee of session `code`; returns its id."""
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO live_injects (code, kind, village, params, text_id, text_en, created) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (code, kind, int(village), _json(params), text_id, text_en, time.time()))
            return int(cur.lastrowid)

    def live_injects(self, code: str) -> list[dict[str, Any]]:
        rows = self._exec("SELECT * FROM live_injects WHERE code = ? ORDER BY id", (code,))
        return [self._inject_row(r) for r in rows]

    def received_injects(self, token: str) -> list[dict[str, Any]]:
        """The live injects a trainee's run has taken, each with the model day it acted on."""
        rows = self._exec("SELECT i.*, r.day AS day FROM injects_received r JOIN live_injects i ON i.id = r.inject "
                          "WHERE r.token = ? ORDER BY i.id", (token,))
        return [{**self._inject_row(r), "day": r["day"]} for r in rows]

    def mark_received(self, token: str, inject: int, day: int) -> None:
        self._exec("INSERT OR IGNORE INTO injects_received (token, inject, day) VALUES (?, ?, ?)", (token, int(inject), int(day)))

    @staticmethod
    def _inject_row(r: sqlite3.Row) -> dict[str, Any]:
        return {"id": r["id"], "code": r["code"], "kind": r["kind"], "village": r["village"], "params": json.loads(r["params"]),
                "text_id": r["text_id"], "text_en": r["text_en"], "created": r["created"]}

    def size_bytes(self) -> int:
        """The database's size on disk (file + write-ahead log), 0 in memory."""
        if self.path == MEMORY:
            return 0
        return sum(os.path.getsize(p) for p in (self.path, self.path + "-wal") if os.path.exists(p))


_store: Store | None = None
_store_lock = threading.Lock()


def get_store() -> Store:
    """The process's store, opened on first use at `SIAGA_DB` (in memory without it)."""
    global _store
    with _store_lock:
        if _store is None:
            _store = Store(os.environ.get(ENV) or MEMORY)
        return _store


def use_store(store: Store) -> Store | None:
    """Swap the process's store (tests; a restart is simulated with a second Store on the same
    file). Returns the previous one."""
    global _store
    with _store_lock:
        old, _store = _store, store
        return old
