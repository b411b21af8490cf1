"""How much the workshop database grows per session: docs/APP.md quotes this command's figure.

A session of `--trainees` trainees (default 3), each playing the full default exercise (25
evenings) with about `--orders` orders (default 10) and finishing with the debrief's result row,
saved as the page saves it (siaga.app.registry: after every order and every run of days). The
trainees are played once for real (the orders, days and result are those of real exercises) and
saved again under new tokens in `--sessions` sessions (default 10), so the figure per session is an
average over whole database pages, not one page's rounding.

    .venv/bin/python benchmarks/db_size.py                                   # a SQLite file in a temporary folder
    .venv/bin/python benchmarks/db_size.py --db postgresql+psycopg://USER@HOST/DB   # an (empty) server database

Prints one JSON object: bytes per session and per trainee, before and after.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from agents.camat import OrderRefused  # noqa: E402
from siaga.app import registry  # noqa: E402
from siaga.app.debrief import Debrief  # noqa: E402
from siaga.app.exercise import Exercise  # noqa: E402
from siaga.app.exercise_setup import ExerciseSetup  # noqa: E402
from siaga.app.store import Store, use_store  # noqa: E402

PLAN = ("mediation", "patrol", "rakor", "counter_hoax", "rapid_response")  # cycled through


def play(setup: ExerciseSetup, name: str, n_orders: int, code: str) -> tuple[Exercise, dict]:
    """One trainee's whole exercise: an order on every other evening until `n_orders`, each saved."""
    ex = Exercise(setup, trainee=name, code=code)
    registry.save(ex)
    evening = 0
    while not ex.finished:
        if len(ex.camat.orders) < n_orders and evening % 2 == 0:
            kind = PLAN[len(ex.camat.orders) % len(PLAN)]
            try:
                ex.order(kind, None if kind == "rakor" else (evening * 7) % ex.model.region.n_villages)
            except OrderRefused:
                pass
            registry.save(ex)
        ex.run_days(1)
        registry.save(ex)
        evening += 1
    deb = Debrief.build(ex)
    result = deb.result_row()
    registry.save(ex, finished=True, result=result)
    return ex, result


def checkpointed_size(store: Store) -> int:
    if store.dialect == "sqlite":
        store._exec("PRAGMA wal_checkpoint(TRUNCATE)")  # what the file holds once the log is folded in
    elif store.dialect == "postgresql":
        store._exec("VACUUM")  # dead row versions of the many saves are reclaimed, as autovacuum would
    return store.size_bytes()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", help="a database file or URL (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--trainees", type=int, default=3)
    ap.add_argument("--orders", type=int, default=10)
    ap.add_argument("--sessions", type=int, default=10)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(args.db or str(Path(tmp) / "workshop.sqlite"))
        if store.dialect == "postgresql":
            store._engine.dispose()
            store._engine = store._engine.execution_options(isolation_level="AUTOCOMMIT")  # VACUUM runs outside a transaction
        use_store(store)
        setup = ExerciseSetup()
        t0 = time.perf_counter()
        first = registry.create(setup)
        played = [play(setup, f"Peserta {i + 1}", args.orders, first.code) for i in range(args.trainees)]
        play_s = time.perf_counter() - t0
        before = checkpointed_size(store)
        for _ in range(args.sessions):
            session = registry.create(setup)
            for ex, result in played:
                store.save_trainee(uuid.uuid4().hex[:10], code=session.code, name=ex.trainee, setup=ex.setup, day=ex.today,
                                   model_day=ex.model.day, orders=list(ex.camat.orders), finished=True, result=result,
                                   seen_from=ex.seen_from)
        after = checkpointed_size(store)
        per_session = (after - before) / args.sessions
        report = {
            "database": store.dialect, "trainees_per_session": args.trainees, "exercise_days": setup.length,
            "orders_per_trainee": [len(ex.camat.orders) for ex, _ in played],
            "orders_json_bytes": [len(json.dumps(ex.camat.orders)) for ex, _ in played],
            "bytes_per_session": round(per_session), "bytes_per_trainee": round(per_session / args.trainees),
            "bytes_first_session_whole_file": before, "sessions_measured": args.sessions,
            "played_in_s": round(play_s, 1),
        }
        for ex, _ in played:
            ex.close()
        store.close()
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
