"""Nothing lost: the workshop database keeps sessions, trainees, orders and results, a second
store on the same file (a restarted server) sees them, a trainee's exercise is replayed to the
same state, and `siaga ui` restarts at once on a port whose last server just stopped. No browser
(tests/app/test_persistence_browser.py does reload and restart in Chromium)."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import numpy as np
import pytest

from siaga.app import registry, resume
from siaga.app.exercise import Exercise
from siaga.app.exercise_setup import ExerciseSetup
from siaga.app.store import Store, StoreError, use_store
from siaga.i18n import STRINGS

from .test_cli_ui import _fake_assets, _siaga

SETUP = ExerciseSetup(start_day=20, length=6)


@pytest.fixture
def db(tmp_path):
    """A fresh database file as the process's store; the previous store comes back afterwards."""
    path = tmp_path / "workshop.sqlite"
    store = Store(path)
    old = use_store(store)
    yield path
    use_store(old)
    store.close()


def _restart(path: Path) -> Store:
    """What a restarted server sees: a new connection to the same file, no cache."""
    registry._sessions.clear()
    store = Store(path)
    use_store(store)
    return store


def test_a_session_and_its_trainees_survive_a_restart(db):
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee="Ani", code=session.code)
    ex.run_days(1)
    ex.order("mediation", 3)
    ex.run_days(2)
    registry.save(ex)
    registry.set_notes(session.code, "Ani ragu di hari kedua")
    ex.close()  # the page went: marked left, progress kept
    restarted = _restart(db)
    try:
        again = registry.get(session.code.lower())  # typed in lower case
        assert again is not None and again.setup == SETUP and again.notes == "Ani ragu di hari kedua"
        setup, trainees = registry.snapshot(session.code)
        assert setup == SETUP and [tr.name for tr in trainees] == ["Ani"]
        tr = trainees[0]
        assert tr.left and not tr.finished and tr.day == ex_day(SETUP, 1 + 2)
        assert [o["kind"] for o in tr.orders] == ["mediation"] and tr.budget_left == SETUP.budget - 2
    finally:
        restarted.close()


def ex_day(setup: ExerciseSetup, days_run: int) -> int:
    """The desk's day after `days_run` days past the start (whatever the start convention is)."""
    probe = Exercise(setup)
    probe.run_days(days_run)
    day = probe.today
    probe.close()
    return day


def test_a_replayed_exercise_is_the_same_run(db):
    ex = Exercise(SETUP, trainee="Budi")
    ex.run_days(1)
    ex.order("mediation", 3)
    ex.run_days(2)
    ex.order("patrol", 5)
    ex.order("rakor", None)
    ex.run_days(1)
    ex.run_days(1)  # two runs where the replay makes one: the desk's "new since" must still agree
    registry.save(ex)
    _restart(db)
    back, row, differ = resume.restore(ex.trainee_id)
    assert differ == 0 and row["name"] == "Budi" and back.trainee_id == ex.trainee_id and back.code is None
    assert back.today == ex.today and back.camat.orders == ex.camat.orders and back.budget_left == ex.budget_left
    assert back.camat.received == ex.camat.received and np.array_equal(np.array(back.levels), np.array(ex.levels))
    assert back.desk_levels().tolist() == ex.desk_levels().tolist() and back.new_reports() == ex.new_reports()
    assert back.seen_from == ex.seen_from
    assert repr(back.model.outcomes()) == repr(ex.model.outcomes())
    assert resume.restore("no-such-token") is None


def test_a_finished_trainee_stays_finished_with_the_result(db):
    session = registry.create(SETUP)
    ex = Exercise(SETUP, trainee="Citra", code=session.code)
    registry.save(ex, finished=True, result={"incidents": np.int64(4), "orders": 0, "first": float("nan")})
    registry.save(ex)  # a later save without a result (e.g. a restore) keeps both
    ex.close()  # closing after the end does not mark a finished trainee as left
    (tr,) = registry.snapshot(session.code)[1]
    assert tr.finished and not tr.left and tr.result["incidents"] == 4 and np.isnan(tr.result["first"])


def test_the_facilitator_renames_removes_pauses_and_keeps_notes(db):
    session = registry.create(SETUP)
    for name in ("Dewi", "Dewi"):  # two trainees of the same name: told apart by token
        registry.save(Exercise(SETUP, trainee=name, code=session.code))
    a, b = registry.snapshot(session.code)[1]
    assert a.token != b.token
    registry.rename(b.token, "Dewi (meja 2)")
    registry.remove(a.token)
    assert [tr.name for tr in registry.snapshot(session.code)[1]] == ["Dewi (meja 2)"]
    registry.set_state(session.code, "paused")
    assert registry.get(session.code).state == "paused"
    with pytest.raises(ValueError, match="open"):
        registry.set_state(session.code, "sleeping")


def test_old_sessions_are_forgotten_beyond_the_limit(db, monkeypatch):
    monkeypatch.setattr(registry, "MAX_SESSIONS", 3)
    store = registry.get_store()
    for token, age_days in (("solo-old", 31), ("solo-new", 1)):  # exercises of one's own
        store.save_trainee(token, code=None, name="X", setup=SETUP, day=20, model_day=21, orders=[])
        store._exec("UPDATE trainees SET updated = updated - ? WHERE token = ?", (age_days * 86400, token))
    codes = [registry.create(SETUP).code for _ in range(5)]
    assert store.trainee("solo-old") is None and store.trainee("solo-new") is not None
    assert registry.get(codes[0]) is None and registry.get(codes[1]) is None
    assert all(registry.get(c) is not None for c in codes[2:])
    assert set(registry._sessions) <= set(codes[2:])


def test_size_per_session_is_small(db):
    """A session of five trainees with twenty orders each: well under 100 kB on disk."""
    store = registry.get_store()
    store._exec("PRAGMA wal_checkpoint(TRUNCATE)")
    before = store.size_bytes()
    session = registry.create(SETUP)
    for i in range(5):
        orders = [{"day": 20 + k % 6, "kind": "mediation", "village": k % 23, "cost": 2.0, "outcome": "done"} for k in range(20)]
        store.save_trainee(f"token{i:04d}", code=session.code, name=f"Peserta {i}", setup=SETUP, day=25, model_day=26,
                           orders=orders, finished=True, result={"incidents": 3, "orders": 20})
    store._exec("PRAGMA wal_checkpoint(TRUNCATE)")
    grown = store.size_bytes() - before
    assert 0 < grown < 100_000, grown


def test_a_file_that_is_not_a_database_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "catatan.sqlite"
    bad.write_text("bukan database")
    with pytest.raises(StoreError, match="catatan.sqlite"):
        Store(bad)


def test_the_trainee_token_is_read_only_from_a_well_formed_address():
    assert resume.token_of("peserta=ab12cd34ef") == "ab12cd34ef"
    assert resume.token_of("x=1&peserta=ab12cd34ef") == "ab12cd34ef"
    for bad in (None, "", "peserta=", "peserta=<script>", "peserta=ab", "peserta=" + "a" * 65):
        assert resume.token_of(bad) is None, bad
    assert resume.url_with_token("/lokakarya", "ab12cd34ef") == "/lokakarya?peserta=ab12cd34ef"


def test_solaras_connection_messages_are_translated_as_i18n_says():
    template = (Path(__file__).resolve().parents[2] / "siaga" / "templates" / "index.html.j2").read_text(encoding="utf-8")
    for key in ("sys_disconnected", "sys_restoring", "sys_not_restored", "sys_app_disconnected", "sys_refresh_now", "sys_runs_on", "sys_made_with"):
        for lang in ("id", "en"):
            assert f'"{STRINGS[key][lang]}"'.replace("…", "\\u2026") in template, (key, lang)
    # every English message of Solara's page template is one the page knows how to replace
    folder = Path(__import__("solara").__file__).parent / "server" / "templates"
    english = "".join((folder / name).read_text(encoding="utf-8") for name in ("solara.html.j2", "loader-solara.html"))
    for pattern in re.findall(r'\["((?:[^"\\]|\\.)+)", "', template):
        assert re.search(pattern.replace("\\\\", "\\").replace("\\u2026", "…"), english), pattern


def test_ui_restarts_at_once_on_a_port_whose_last_server_just_stopped(tmp_path):
    """A server that stopped a moment ago leaves its connections in TIME-WAIT; a bind without
    SO_REUSEADDR is refused for about a minute. `siaga ui` must get past the port check (it then
    stops at the unusable database given here, before serving)."""
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn's (asyncio's) listening socket
    server.bind(("127.0.0.1", 0))
    server.listen()
    port = server.getsockname()[1]
    client = socket.create_connection(("127.0.0.1", port))
    conn, _ = server.accept()
    conn.close()  # the server side closes first: its end of the connection goes to TIME-WAIT
    client.close()
    server.close()
    with socket.socket() as plain:
        try:
            plain.bind(("127.0.0.1", port))
            pytest.skip("this system let a plain bind through: no TIME-WAIT to test against")
        except OSError:
            pass
    _fake_assets(tmp_path)
    r = _siaga("ui", "--port", str(port), "--db", "/proc/no/such/folder/w.sqlite", env={"SOLARA_ASSETS_PROXY_CACHE_DIR": str(tmp_path)})
    assert r.returncode == 2 and "workshop database" in r.stderr and "--port" not in r.stderr, r.stderr


def test_a_session_with_a_large_model_is_culled_sooner(monkeypatch):
    """A kabupaten-sized model (above LARGE_MODEL_PEOPLE) shortens its own session's cull timeout
    to SIAGA_LARGE_CULL_TIMEOUT; a small one keeps Solara's; other sessions are not touched."""
    from types import SimpleNamespace

    from solara.server import kernel_context

    from siaga.app import sessions

    monkeypatch.setenv("SOLARA_KERNEL_CULL_TIMEOUT", "2h")
    monkeypatch.setattr(kernel_context.solara.server.settings.kernel, "cull_timeout", "2h")
    monkeypatch.setenv(sessions.LARGE_CULL_ENV, "90s")

    class Model:  # what track_model reads of a SiagaModel (and weakly referable, as one is)
        def __init__(self, people: int):
            self.region = SimpleNamespace(population=np.array([people // 2, people - people // 2]))

    small_ctx, large_ctx = kernel_context.create_dummy_context(), kernel_context.create_dummy_context()
    keep = []  # track_model counts weakly: keep the models alive for the test
    for ctx, people in ((small_ctx, 40_000), (large_ctx, 4_300_000)):
        with ctx:
            keep.append(Model(people))
            sessions.track_model(keep[-1], "explorer")
    assert small_ctx._cull_timeout_seconds() == 7200
    assert large_ctx._cull_timeout_seconds() == 90
    monkeypatch.setenv(sessions.LARGE_CULL_ENV, "soon")  # not a duration: the default, with a warning
    assert sessions.large_cull_seconds() == 300
