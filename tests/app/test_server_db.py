"""The workshop database by URL, shared by several servers, and one writer per trainee.

Two `Store` objects on one database stand for two `siaga ui` servers behind a load balancer: what
one writes (a session, a trainee's orders, a pause, a live inject) the other reads at once, and a
trainee whose reload lands on the other server is replayed from there. Run on a `sqlite:///` file
always, and on the server database named by `SIAGA_TEST_DB_URL` (e.g.
`postgresql+psycopg://postgres@127.0.0.1:5432/siaga_test`; its SIAGA tables are dropped first)
when it is set. Also: a stale save from a second tab of the same trainee is refused, an old
schema is upgraded, and a bad or unreachable URL is refused in one line naming it.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sqlite3

import pytest
import sqlalchemy as sa

from siaga.app import registry, resume
from siaga.app import store as store_mod
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import StaleRevision, Store, StoreError, use_store

from .test_cli_ui import _fake_assets, _siaga

SETUP = ExerciseSetup(start_day=20, length=6)
SERVER_URL = os.environ.get("SIAGA_TEST_DB_URL", "")


@functools.cache
def _server_url() -> str:
    """The server database this test process uses. With SIAGA_TEST_DB_PER_WORKER=1 (CI's throwaway
    PostgreSQL, .ci/run) each pytest-xdist worker gets a database of its own, created on first use,
    so that parallel workers do not drop each other's tables."""
    if os.environ.get("SIAGA_TEST_DB_PER_WORKER") != "1":
        return SERVER_URL
    name = "siaga_test_" + os.environ.get("PYTEST_XDIST_WORKER", "main")
    engine = sa.create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            if conn.execute(sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar() is None:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return sa.engine.make_url(SERVER_URL).set(database=name).render_as_string(hide_password=False)


def _urls():
    yield pytest.param("sqlite", id="sqlite-url")
    yield pytest.param("server", id="server-url", marks=pytest.mark.skipif(
        not SERVER_URL, reason="no server database: set SIAGA_TEST_DB_URL=postgresql+psycopg://USER@HOST/DB to run against one"))


@pytest.fixture(params=list(_urls()))
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'shared.sqlite'}"
        return
    url = _server_url()
    engine = sa.create_engine(url)
    try:
        store_mod._META.drop_all(engine)  # a clean database for each test
    finally:
        engine.dispose()
    yield url


@pytest.fixture
def servers(db_url):
    """Two servers on one database; the test says which one is answering with `use_store`."""
    a, b = Store(db_url), Store(db_url)
    old = use_store(a)
    yield a, b
    use_store(old)
    a.close()
    b.close()


def _on(server: Store) -> None:
    """The next registry call is answered by this server (which has no memory of the other's)."""
    registry._sessions.clear()
    use_store(server)


def test_two_servers_on_one_database_serve_the_same_session(servers):
    a, b = servers
    _on(a)
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee="Ani", code=session.code)
    ex.run_days(1)
    ex.order("mediation", 3)
    ex.run_days(1)
    registry.save(ex)

    _on(b)  # the trainee's reload lands on the other server: replayed from the shared database
    back, row, differ = resume.restore(ex.trainee_id)
    assert differ == 0 and back.today == ex.today and back.camat.orders == ex.camat.orders and row["name"] == "Ani"
    back.order("patrol", 5)
    registry.save(back)  # and plays on there
    ex.close()

    _on(a)  # the facilitator's console is served by the first server
    (tr,) = registry.snapshot(session.code)[1]
    assert [o["kind"] for o in tr.orders] == ["mediation", "patrol"] and tr.day == back.today
    registry.set_state(session.code, "paused")
    inject = registry.fire_inject(session.code, "message", 2, "Warga berkumpul di balai desa")

    _on(b)  # read from the database, not a cache: the pause and the inject reach the trainee's server at once
    assert registry.held(session.code) == "paused"
    registry.set_state(session.code, "open")
    assert [r["id"] for r in registry.pending_injects(session.code, back.trainee_id)] == [inject]
    back.run_days(1)  # takes it
    registry.save(back)

    _on(a)
    assert registry.held(session.code) is None
    assert [(r["id"], r["day"]) for r in registry.received_injects(back.trainee_id)] == [(inject, back.model.day - 1)]
    assert registry.pending_injects(session.code, back.trainee_id) == []
    back.close()


def test_a_tab_overtaken_by_another_tab_of_the_same_trainee_cannot_overwrite_it(servers):
    """Tab A plays; tab B opens the same ?peserta= address (a restore, which saves at once) and
    gives an order; A's next save is refused and the database keeps B's orders (before revisions,
    A's save silently replaced them)."""
    a, b = servers
    _on(a)
    tab_a = Exercise(SETUP, trainee="Budi")
    tab_a.run_days(1)
    tab_a.order("mediation", 3)
    registry.save(tab_a)
    _on(b)  # on another server, even
    tab_b = resume.restore(tab_a.trainee_id)[0]
    registry.save(tab_b)
    tab_b.order("patrol", 7)
    registry.save(tab_b)
    assert registry.is_current(tab_b) and not registry.is_current(tab_a)

    _on(a)
    tab_a.order("rakor", None)
    with pytest.raises(StaleRevision):
        registry.save(tab_a)
    stored = registry.trainee(tab_a.trainee_id)
    assert [o["kind"] for o in stored["orders"]] == ["mediation", "patrol"]
    # tab A reloads: it replays B's state and is now the one that goes on
    again = resume.restore(tab_a.trainee_id)[0]
    registry.save(again)
    assert [o["kind"] for o in again.camat.orders] == ["mediation", "patrol"]
    assert registry.is_current(again) and not registry.is_current(tab_b)
    with pytest.raises(StaleRevision):
        registry.save(tab_b)
    for x in (tab_a, tab_b, again):
        x.close()


def test_the_store_counts_revisions_and_refuses_a_stale_one(servers):
    a, b = servers
    kw = {"code": None, "name": "Citra", "setup": SETUP, "day": 20, "model_day": 21}
    assert a.save_trainee("tok-citra", orders=[], **kw) == 1
    assert b.save_trainee("tok-citra", orders=[{"kind": "mediation"}], revision=1, **kw) == 2
    with pytest.raises(StaleRevision):
        a.save_trainee("tok-citra", orders=[{"kind": "patrol"}], revision=1, **kw)
    assert a.trainee("tok-citra")["orders"] == [{"kind": "mediation"}] and a.revision("tok-citra") == 2
    assert a.save_trainee("tok-citra", orders=[], **kw) == 3  # no revision named: written (old callers)
    assert a.revision("no-such-token") is None


def test_a_facilitators_rename_survives_the_trainees_next_save(servers):
    a, _ = servers
    _on(a)
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee="Dewi", code=session.code)
    registry.save(ex)
    registry.rename(ex.trainee_id, "Dewi (meja 2)")
    ex.run_days(1)
    registry.save(ex)
    assert [tr.name for tr in registry.snapshot(session.code)[1]] == ["Dewi (meja 2)"]
    ex.close()


OLD_SCHEMA_1 = """
CREATE TABLE sessions (code TEXT PRIMARY KEY, setup TEXT NOT NULL, created REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'open', notes TEXT NOT NULL DEFAULT '');
CREATE TABLE trainees (token TEXT PRIMARY KEY, code TEXT, name TEXT NOT NULL, setup TEXT NOT NULL, day INTEGER NOT NULL,
    model_day INTEGER NOT NULL, seen_from INTEGER, orders TEXT NOT NULL DEFAULT '[]', finished INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL DEFAULT '{}', left_page INTEGER NOT NULL DEFAULT 0, removed INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL, updated REAL NOT NULL);
CREATE INDEX trainees_by_code ON trainees (code);
CREATE TABLE live_injects (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL, kind TEXT NOT NULL, village INTEGER NOT NULL,
    params TEXT NOT NULL DEFAULT '{}', text_id TEXT NOT NULL, text_en TEXT NOT NULL, created REAL NOT NULL);
CREATE TABLE injects_received (token TEXT NOT NULL, inject INTEGER NOT NULL, day INTEGER NOT NULL, PRIMARY KEY (token, inject));
INSERT INTO trainees (token, code, name, setup, day, model_day, created, updated) VALUES ('old-token', NULL, 'Eko', '{}', 20, 21, 0, 0);
PRAGMA user_version = 1;
"""


def test_a_file_of_the_first_schema_is_upgraded_and_a_newer_one_refused(tmp_path):
    path = tmp_path / "kursus_lama.sqlite"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA_1)
    for seen, target in enumerate((str(path), f"sqlite:///{path}")):  # as a path and as a URL: the same file, the same check
        s = Store(target)
        row = s.trainee("old-token")
        assert row["name"] == "Eko" and row["revision"] == seen  # an old row starts at revision 0
        assert s.save_trainee("old-token", code=None, name="Eko", setup={}, day=21, model_day=22, orders=[], revision=seen) == seen + 1
        s.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store_mod.SCHEMA_VERSION
        conn.execute(f"PRAGMA user_version = {store_mod.SCHEMA_VERSION + 1}")
    with pytest.raises(StoreError, match=r"kursus_lama.sqlite was written by a newer SIAGA"):
        Store(f"sqlite:///{path}")


@pytest.mark.skipif(not SERVER_URL, reason="no server database: set SIAGA_TEST_DB_URL to run against one")
def test_a_server_database_of_a_newer_schema_is_refused(db_url):
    url = _server_url()
    engine = sa.create_engine(url)
    try:
        store_mod._META.drop_all(engine)  # the other tests' tables of this worker's database
    finally:
        engine.dispose()
    s = Store(url)
    with s._engine.begin() as conn:
        conn.execute(store_mod.version_t.update().values(version=store_mod.SCHEMA_VERSION + 1))
    s.close()
    with pytest.raises(StoreError, match="written by a newer SIAGA"):
        Store(url)


@pytest.mark.parametrize(("url", "says"), [
    ("bad://x", "unknown database kind 'bad' in bad://x"),
    ("postgresql+psycopg://siaga:rahasia@127.0.0.1:1/kursus", "cannot reach the workshop database postgresql+psycopg://siaga:***@127.0.0.1:1/kursus"),
    ("mysql+pymysql://siaga:rahasia@127.0.0.1:1/kursus", "needs the Python package 'pymysql'" if importlib.util.find_spec("pymysql") is None
     else "cannot reach the workshop database mysql+pymysql://siaga:***@127.0.0.1:1/kursus"),
    ("sqlite:////proc/no/such/folder/w.sqlite", "cannot create the folder of the workshop database sqlite:////proc/no/such"),
    ("postgresql+psycopg://siaga:rahasia@host:port/kursus", "cannot read the workshop database URL postgresql+psycopg://siaga:***@host:port/kursus"),
])
def test_a_bad_or_unreachable_url_is_refused_in_one_line_with_the_password_masked(url, says):
    with pytest.raises(StoreError) as info:
        Store(url)
    text = str(info.value)
    assert says in text and "rahasia" not in text and "\n" not in text, text


def test_siaga_ui_refuses_a_bad_database_url_without_a_traceback(tmp_path):
    _fake_assets(tmp_path)
    r = _siaga("ui", "--db", "bad://x", env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2 and "Traceback" not in r.stderr, r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "bad://x" in r.stderr, r.stderr
    r = _siaga("ui", "--db", "postgresql+psycopg://siaga:rahasia@127.0.0.1:1/kursus", env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2 and "Traceback" not in r.stderr and "rahasia" not in r.stderr + r.stdout, r.stderr
    assert "siaga:***@127.0.0.1:1/kursus" in r.stderr, r.stderr


def test_a_closing_tab_left_behind_does_not_mark_the_playing_one_as_gone(servers):
    a, _ = servers
    _on(a)
    session = registry.create(SETUP)
    tab_a = Exercise(SETUP, trainee="Intan", code=session.code)
    registry.save(tab_a)
    tab_b = resume.restore(tab_a.trainee_id)[0]
    registry.save(tab_b)  # tab B plays on
    registry.left(session.code, tab_a.trainee_id, tab_a.today, registry.revision_of(tab_a))  # tab A's page closes
    assert not registry.snapshot(session.code)[1][0].left
    registry.left(session.code, tab_b.trainee_id, tab_b.today, registry.revision_of(tab_b))  # then tab B's
    assert registry.snapshot(session.code)[1][0].left
    for x in (tab_a, tab_b):
        x.close()
