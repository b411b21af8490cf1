"""The workshop's memory: sessions, trainees, their orders and results, in one database.

Why a database: a reload, the debrief's "Ulang" or a restart of `siaga ui` must not lose a
morning's course. What is kept is small (a few kB per trainee): a session's set-up, and for each
trainee the set-up, the orders with the day each was given, the day reached and, once finished,
the result row. The model itself is never stored: it is deterministic for (scenario, seed), so a
trainee's exercise is rebuilt by re-running the set-up and giving the same orders on the same
days (`siaga.app.exercise.Exercise.replay`).

Where: `SIAGA_DB` (`siaga ui --db` sets it; `siaga ui` defaults to
`$XDG_DATA_HOME/siaga/workshop.sqlite`, i.e. `~/.local/share/siaga/workshop.sqlite`). It is either
a file path (SQLite, WAL mode) or a database URL (`sqlite:///FILE`, `postgresql+psycopg://...`,
`mysql+pymysql://...`) for several `siaga ui` servers behind a load balancer sharing one database.
Without `SIAGA_DB` (tests, `solara run siaga.app.page` by hand) the store lives in memory and a
restart forgets it, as before. `SIAGA_DB=:memory:` asks for that explicitly.

Several servers: every read goes to the database (no per-process cache of a session's state, its
live injects or a trainee's orders), so a trainee whose reload lands on another server is replayed
from there, and a pause or an inject fired on one server holds or reaches trainees on all of them.
Each trainee row carries a revision: a save names the revision it last saw and is refused
(`StaleRevision`) when another tab or server saved the same trainee since, instead of silently
overwriting its orders.

SQLAlchemy Core (not its ORM) speaks each database's SQL; the tables are the same everywhere.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import threading
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects import mysql
from sqlalchemy.pool import StaticPool

ENV = "SIAGA_DB"
MEMORY = ":memory:"
SCHEMA_VERSION = 2  # 2: trainees.revision (one writer per trainee at a time)
SOLO_KEEP_DAYS = 30

_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), "mysql")  # JSON documents: MySQL's TEXT stops at 64 kB
_META = sa.MetaData()

sessions_t = sa.Table(
    "sessions", _META,
    sa.Column("code", sa.String(16), primary_key=True),
    sa.Column("setup", _TEXT, nullable=False),                          # ExerciseSetup as JSON
    sa.Column("created", sa.Double, nullable=False),
    sa.Column("state", sa.String(16), nullable=False, server_default="open"),  # open / paused / ended
    sa.Column("notes", _TEXT, nullable=False, default=""),              # the facilitator's private notes
)
trainees_t = sa.Table(
    "trainees", _META,
    sa.Column("token", sa.String(64), primary_key=True),                # in the trainee's URL (?peserta=...)
    sa.Column("code", sa.String(16)),                                   # the session; NULL for one's own exercise
    sa.Column("name", _TEXT, nullable=False),
    sa.Column("setup", _TEXT, nullable=False),
    sa.Column("day", sa.Integer, nullable=False),                       # the day shown on the desk (Exercise.today)
    sa.Column("model_day", sa.Integer, nullable=False),                 # model.day: where a replay stops
    sa.Column("seen_from", sa.Integer),                                 # the first day whose reports are new on the desk
    sa.Column("orders", _TEXT, nullable=False, default="[]"),           # the Camat's order records, with their days
    sa.Column("finished", sa.Integer, nullable=False, server_default="0"),
    sa.Column("result", _TEXT, nullable=False, default="{}"),
    sa.Column("left_page", sa.Integer, nullable=False, server_default="0"),  # the page closed before the end
    sa.Column("removed", sa.Integer, nullable=False, server_default="0"),    # taken off the facilitator's table
    sa.Column("created", sa.Double, nullable=False),
    sa.Column("updated", sa.Double, nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="0"),   # +1 at every save of progress
)
sa.Index("trainees_by_code", trainees_t.c.code)
live_injects_t = sa.Table(
    "live_injects", _META,                                              # fired by the facilitator during a session
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),                   # simulation/injects.py KINDS
    sa.Column("village", sa.Integer, nullable=False),
    sa.Column("params", _TEXT, nullable=False, default="{}"),
    sa.Column("text_id", _TEXT, nullable=False),
    sa.Column("text_en", _TEXT, nullable=False),
    sa.Column("created", sa.Double, nullable=False),
    sqlite_autoincrement=True,
)
received_t = sa.Table(
    "injects_received", _META,                                          # the model day each trainee's run took it
    sa.Column("token", sa.String(64), primary_key=True),
    sa.Column("inject", sa.Integer, primary_key=True),
    sa.Column("day", sa.Integer, nullable=False),
)
# the schema version of a server database (a SQLite file keeps it in PRAGMA user_version, as before)
version_t = sa.Table("siaga_schema", _META, sa.Column("version", sa.Integer, nullable=False))
_OURS = ("sessions", "trainees", "live_injects", "injects_received")


class StoreError(OSError):
    """The database cannot be opened, reached or is not ours; the message names it (password masked)."""


class StaleRevision(RuntimeError):
    """Another tab or server saved this trainee since this writer last did: its save is refused."""


def default_path() -> Path:
    """Where `siaga ui` keeps the workshop database unless told otherwise."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "siaga" / "workshop.sqlite"


_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*://")


def is_url(target: str | os.PathLike) -> bool:
    """A database URL (`scheme://...`) rather than a file path."""
    return bool(_URL.match(str(target)))


def masked(target: str | os.PathLike) -> str:
    """The database as it may be printed: a URL's password replaced by ***."""
    text = str(target)
    if not is_url(text):
        return text
    try:
        return sa.make_url(text).render_as_string(hide_password=True)
    except (sa_exc.ArgumentError, ValueError):
        return re.sub(r"(://[^/@:]*:)[^@/]*@", r"\1***@", text)


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


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return (str(orig).strip().splitlines() or [type(orig).__name__])[0]


def _engine(target: str) -> tuple[sa.Engine, str | None]:
    """The engine for a file path or URL, and the SQLite file behind it (None in memory or on a
    server). StoreError for a URL that names no database SIAGA can use."""
    shown = masked(target)
    if is_url(target):
        try:
            url = sa.make_url(target)
        except (sa_exc.ArgumentError, ValueError):
            raise StoreError(f"cannot read the workshop database URL {shown}: give a file path or a URL such as "
                             "sqlite:///FILE or postgresql+psycopg://USER:PASSWORD@HOST/DATABASE") from None
    else:
        url = None
    if url is None or url.get_backend_name() == "sqlite":
        path = target if url is None else (url.database or MEMORY)
        file = None if path in (MEMORY, "") else path
        if file is not None:
            try:
                Path(file).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the workshop database {shown}: {exc.strerror or exc}") from None
        sqlite_url = sa.URL.create("sqlite+pysqlite", database=file or MEMORY)
        args = {"check_same_thread": False, "timeout": 10}
        if file is None:  # one connection, so that every thread sees the same database in memory
            return sa.create_engine(sqlite_url, connect_args=args, poolclass=StaticPool), None
        engine = sa.create_engine(sqlite_url, connect_args=args)

        @sa.event.listens_for(engine, "connect")
        def _wal(dbapi_conn, _record):  # a crash mid-write never leaves half a row; other servers read while one writes
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine, file
    try:
        return sa.create_engine(url, pool_pre_ping=True), None
    except sa_exc.NoSuchModuleError:
        raise StoreError(f"unknown database kind {url.drivername!r} in {shown}: give a file path or a URL such as "
                         "sqlite:///FILE, postgresql+psycopg://USER:PASSWORD@HOST/DATABASE or mysql+pymysql://...") from None
    except ImportError as exc:
        name = getattr(exc, "name", None) or str(exc)
        hint = ("use postgresql+psycopg://... and install siaga[postgres]" if name == "psycopg2"
                else "install siaga[postgres]" if name.startswith("psycopg") else f"pip install {name}")
        raise StoreError(f"the workshop database {shown} needs the Python package {name!r}, not installed: {hint}") from None


class Store:
    """One database; every method is one short transaction (thread-safe; several processes may
    share a SQLite file or a server database)."""

    def __init__(self, path: str | os.PathLike = MEMORY):
        self.path = str(path) or MEMORY
        self.shown = masked(self.path)  # what messages and `siaga ui` print
        self._engine, self._file = _engine(self.path)
        self.dialect = self._engine.dialect.name
        # SQLite in one process: one writer at a time, as before (a busy file waits up to 10 s)
        self._lock = threading.Lock() if self.dialect == "sqlite" else None
        try:
            self._open()
        except StoreError:
            self._engine.dispose()
            raise
        except sa_exc.OperationalError as exc:
            self._engine.dispose()
            if self.dialect == "sqlite":
                raise StoreError(f"cannot use {self.shown} as the workshop database: {_first_line(exc)}") from None
            raise StoreError(f"cannot reach the workshop database {self.shown}: {_first_line(exc)}") from None
        except sa_exc.DBAPIError as exc:
            self._engine.dispose()
            raise StoreError(f"cannot use {self.shown} as the workshop database: {_first_line(exc)}") from None

    def _open(self) -> None:
        """Create the tables if missing, bring an older schema up to date, refuse a newer one."""
        with self._begin() as conn:
            version = self._version(conn)
            if version > SCHEMA_VERSION:
                raise StoreError(f"the workshop database {self.shown} was written by a newer SIAGA (schema {version} > {SCHEMA_VERSION})")
            if version == SCHEMA_VERSION:
                return
            _META.create_all(conn, tables=[t for t in _META.sorted_tables if t is not version_t or self.dialect != "sqlite"])
            columns = {c["name"] for c in sa.inspect(conn).get_columns("trainees")}
            if "revision" not in columns:  # schema 1 (before revisions): every row starts at 0
                conn.execute(sa.text("ALTER TABLE trainees ADD COLUMN revision INTEGER NOT NULL DEFAULT 0"))
            if self.dialect == "sqlite":
                conn.exec_driver_sql(f"PRAGMA user_version={SCHEMA_VERSION}")
            else:
                conn.execute(version_t.delete())
                conn.execute(version_t.insert().values(version=SCHEMA_VERSION))

    def _version(self, conn: sa.Connection) -> int:
        if self.dialect == "sqlite":
            return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
        if not sa.inspect(conn).has_table(version_t.name):
            return 0
        return int(conn.execute(sa.select(sa.func.max(version_t.c.version))).scalar() or 0)

    def _begin(self):
        """A transaction (committed at the end of the `with`), under the SQLite lock."""
        return _Tx(self)

    def close(self) -> None:
        self._engine.dispose()

    def _exec(self, sql: str, args: tuple = ()) -> list[Any]:
        """Raw SQL in the driver's own parameter style (tests, maintenance)."""
        with self._begin() as conn:
            res = conn.exec_driver_sql(sql, args)
            return list(res.mappings()) if res.returns_rows else []

    def _rows(self, stmt: Any) -> list[dict[str, Any]]:
        with self._begin() as conn:
            return [dict(r) for r in conn.execute(stmt).mappings()]

    # ------------------------------------------------------------------ sessions

    def add_session(self, code: str, setup: Any, created: float | None = None) -> bool:
        """False when the code is taken (the caller draws another)."""
        try:
            with self._begin() as conn:
                conn.execute(sessions_t.insert().values(code=code, setup=_json(setup), created=created or time.time(), notes=""))
        except sa_exc.IntegrityError:
            return False
        return True

    def session(self, code: str) -> dict[str, Any] | None:
        rows = self._rows(sa.select(sessions_t).where(sessions_t.c.code == code))
        return self._session_row(rows[0]) if rows else None

    def sessions(self) -> list[dict[str, Any]]:
        return [self._session_row(r) for r in self._rows(sa.select(sessions_t).order_by(sessions_t.c.created))]

    @staticmethod
    def _session_row(r: dict[str, Any]) -> dict[str, Any]:
        return {"code": r["code"], "setup": json.loads(r["setup"]), "created": r["created"], "state": r["state"], "notes": r["notes"]}

    def set_session(self, code: str, **fields: Any) -> None:
        """Change `state` and/or `notes` of a session."""
        allowed = {"state", "notes"}
        if not fields or set(fields) - allowed:
            raise ValueError(f"set_session changes {sorted(allowed)}, got {sorted(fields)}")
        with self._begin() as conn:
            conn.execute(sessions_t.update().where(sessions_t.c.code == code).values(**fields))

    def forget_oldest_sessions(self, keep: int) -> None:
        """Beyond `keep` sessions the oldest go, with their trainees and live injects, and so do
        exercises of one's own not touched for SOLO_KEEP_DAYS (a database that grows for ever
        would be the memory leak of the next year's course)."""
        with self._begin() as conn:
            old = list(conn.execute(sa.select(sessions_t.c.code).order_by(sessions_t.c.created.desc()).offset(keep)).scalars())
            solo = sa.and_(trainees_t.c.code.is_(None), trainees_t.c.updated < time.time() - SOLO_KEEP_DAYS * 86400)
            gone = trainees_t.c.code.in_(old) | solo if old else solo
            tokens = list(conn.execute(sa.select(trainees_t.c.token).where(gone)).scalars())
            for i in range(0, len(tokens), 500):  # bounded IN lists
                conn.execute(received_t.delete().where(received_t.c.token.in_(tokens[i:i + 500])))
            conn.execute(trainees_t.delete().where(gone))
            if old:
                conn.execute(live_injects_t.delete().where(live_injects_t.c.code.in_(old)))
                conn.execute(sessions_t.delete().where(sessions_t.c.code.in_(old)))

    # ------------------------------------------------------------------ trainees

    def save_trainee(self, token: str, *, code: str | None, name: str, setup: Any, day: int, model_day: int,
                     orders: list[dict], finished: bool = False, result: dict | None = None, seen_from: int | None = None,
                     revision: int | None = None) -> int:
        """Insert or update a trainee's progress (everything a replay needs) and return the row's new
        revision. With `revision` (the one this writer last saw), a row saved since by another tab or
        server is left alone and StaleRevision is raised: one writer per trainee, never the last save
        silently winning. A finished trainee stays finished; a result, once given, is kept unless a
        new one comes; the name is the one given first (a facilitator's rename stays)."""
        now = time.time()
        values: dict[str, Any] = {
            "code": code, "setup": _json(setup), "day": int(day), "model_day": int(model_day),
            "seen_from": None if seen_from is None else int(seen_from), "orders": _json(orders), "left_page": 0, "updated": now,
        }
        if finished:
            values["finished"] = 1
        if result:
            values["result"] = _json(result)
        tr = trainees_t.c
        with self._begin() as conn:
            stmt = trainees_t.update().where(tr.token == token)
            if revision is not None:
                stmt = stmt.where(tr.revision == int(revision))
            if conn.execute(stmt.values(**values, revision=tr.revision + 1)).rowcount == 1:
                return int(conn.execute(sa.select(tr.revision).where(tr.token == token)).scalar_one())
            stored = conn.execute(sa.select(tr.revision).where(tr.token == token)).scalar()
            if stored is not None:
                raise StaleRevision(f"trainee {token}: revision {revision} is stale, the stored one is {stored}")
        try:
            with self._begin() as conn:
                conn.execute(trainees_t.insert().values(
                    token=token, name=name, created=now, revision=1, **{"finished": 0, "result": "{}", **values}))
        except sa_exc.IntegrityError:  # another writer inserted it a moment ago
            raise StaleRevision(f"trainee {token}: saved by another writer at the same time") from None
        return 1

    def trainee(self, token: str) -> dict[str, Any] | None:
        rows = self._rows(sa.select(trainees_t).where(trainees_t.c.token == token))
        return self._trainee_row(rows[0]) if rows else None

    def revision(self, token: str) -> int | None:
        """The trainee row's revision (None: no such row): a cheap question before acting."""
        with self._begin() as conn:
            found = conn.execute(sa.select(trainees_t.c.revision).where(trainees_t.c.token == token)).scalar()
        return None if found is None else int(found)

    def trainees(self, code: str, include_removed: bool = False) -> list[dict[str, Any]]:
        stmt = sa.select(trainees_t).where(trainees_t.c.code == code)
        if not include_removed:
            stmt = stmt.where(trainees_t.c.removed == 0)
        return [self._trainee_row(r) for r in self._rows(stmt.order_by(trainees_t.c.created))]

    @staticmethod
    def _trainee_row(r: dict[str, Any]) -> dict[str, Any]:
        return {
            "token": r["token"], "code": r["code"], "name": r["name"], "setup": json.loads(r["setup"]), "day": r["day"],
            "model_day": r["model_day"], "seen_from": r["seen_from"], "orders": json.loads(r["orders"]), "finished": bool(r["finished"]),
            "result": json.loads(r["result"]), "left": bool(r["left_page"]), "removed": bool(r["removed"]),
            "created": r["created"], "updated": r["updated"], "revision": int(r["revision"]),
        }

    def mark_left(self, token: str, day: int, revision: int | None = None) -> None:
        """The trainee's page closed before the end. With `revision`, only if no other tab has saved
        since that page did (a tab left behind that closes does not mark the one playing on)."""
        tr = trainees_t.c
        stmt = trainees_t.update().where(tr.token == token, tr.finished == 0)
        if revision is not None:
            stmt = stmt.where(tr.revision == int(revision))
        with self._begin() as conn:
            conn.execute(stmt.values(left_page=1, day=int(day), updated=time.time()))

    def set_trainee(self, token: str, *, name: str | None = None, removed: bool | None = None) -> None:
        """Rename a trainee, or take them off (or back onto) the facilitator's table."""
        values: dict[str, Any] = {}
        if name is not None:
            values["name"] = name
        if removed is not None:
            values["removed"] = int(removed)
        if values:
            with self._begin() as conn:
                conn.execute(trainees_t.update().where(trainees_t.c.token == token).values(**values))

    # ------------------------------------------------------------------ live injects

    def add_live_inject(self, code: str, kind: str, village: int, params: dict, text_id: str, text_en: str) -> int:
        """An inject the facilitator fires for every trainee of session `code`; returns its id."""
        with self._begin() as conn:
            res = conn.execute(live_injects_t.insert().values(code=code, kind=kind, village=int(village), params=_json(params),
                                                              text_id=text_id, text_en=text_en, created=time.time()))
            return int(res.inserted_primary_key[0])

    def live_injects(self, code: str) -> list[dict[str, Any]]:
        rows = self._rows(sa.select(live_injects_t).where(live_injects_t.c.code == code).order_by(live_injects_t.c.id))
        return [self._inject_row(r) for r in rows]

    def received_injects(self, token: str) -> list[dict[str, Any]]:
        """The live injects a trainee's run has taken, each with the model day it acted on."""
        i, r = live_injects_t.c, received_t.c
        stmt = (sa.select(live_injects_t, r.day.label("taken_day")).join(received_t, r.inject == i.id)
                .where(r.token == token).order_by(i.id))
        return [{**self._inject_row(row), "day": row["taken_day"]} for row in self._rows(stmt)]

    def mark_received(self, token: str, inject: int, day: int) -> None:
        """The first day a run took the inject is kept (a second mark changes nothing)."""
        try:
            with self._begin() as conn:
                conn.execute(received_t.insert().values(token=token, inject=int(inject), day=int(day)))
        except sa_exc.IntegrityError:
            pass

    @staticmethod
    def _inject_row(r: dict[str, Any]) -> dict[str, Any]:
        return {"id": r["id"], "code": r["code"], "kind": r["kind"], "village": r["village"], "params": json.loads(r["params"]),
                "text_id": r["text_id"], "text_en": r["text_en"], "created": r["created"]}

    def size_bytes(self) -> int:
        """The database's size: a SQLite file with its write-ahead log, a PostgreSQL or MySQL
        database's tables with their indexes; 0 in memory."""
        if self._file is not None:
            return sum(os.path.getsize(p) for p in (self._file, self._file + "-wal") if os.path.exists(p))
        with self._begin() as conn:
            if self.dialect == "postgresql":
                return int(sum(conn.execute(sa.text("SELECT pg_total_relation_size(:t)"), {"t": t}).scalar() or 0 for t in _OURS))
            if self.dialect in ("mysql", "mariadb"):
                q = sa.text("SELECT COALESCE(SUM(data_length + index_length), 0) FROM information_schema.tables "
                            "WHERE table_schema = DATABASE() AND table_name IN :names").bindparams(sa.bindparam("names", expanding=True))
                return int(conn.execute(q, {"names": list(_OURS)}).scalar() or 0)
        return 0


class _Tx:
    """`with store._begin() as conn`: the SQLite lock (if any), then one committed transaction."""

    def __init__(self, store: Store):
        self.store = store
        self._cm: Any = None

    def __enter__(self) -> sa.Connection:
        if self.store._lock is not None:
            self.store._lock.acquire()
        try:
            self._cm = self.store._engine.begin()
            return self._cm.__enter__()
        except BaseException:
            if self.store._lock is not None:
                self.store._lock.release()
            raise

    def __exit__(self, *exc: Any) -> bool | None:
        try:
            return self._cm.__exit__(*exc)
        finally:
            if self.store._lock is not None:
                self.store._lock.release()


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
    file, a second server with a second Store on the same URL). Returns the previous one."""
    global _store
    with _store_lock:
        old, _store = _store, store
        return old
