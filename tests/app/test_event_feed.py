"""The event feed follows a village by its code, never by its name: Kalimantan Selatan has three
villages called Simpang Empat, and clicking one must not show the others' events."""

from __future__ import annotations

import tomllib
from pathlib import Path
from types import SimpleNamespace

import numpy as np

from siaga.app.readouts import EventRow, kelurahan_by_code, recent_events, village_labels
from siaga.app.state import Sim
from siaga.event_text import describe_event
from simulation.events import COLUMNS
from simulation.model import SiagaModel

MINI = Path(__file__).resolve().parents[1] / "data" / "mini_region.toml"
CODES = ["63.10.05.2001", "63.10.07.2004", "63.10.07.1002"]


def _stub_model() -> SimpleNamespace:
    """Three villages, two named Simpang Empat (a desa and a kelurahan), each with its own events."""
    rows = [
        (1, None, "campaign", "Simpang Empat", CODES[0], "rally", "Paslon 01", 40, ""),
        (2, None, "campaign", "Simpang Empat", CODES[1], "incident", "Paslon 01 vs Paslon 02", 12, "bentrok pendukung"),
        (3, None, "campaign", "Batulicin", CODES[2], "hoax", "Paslon 02", 5, ""),
        (4, None, "campaign", "Simpang Empat", CODES[0], "mediation", "Kades+tokoh", 0, ""),
    ]
    region = SimpleNamespace(names=["Simpang Empat", "Simpang Empat", "Batulicin"], codes=CODES,
                             kelurahan=np.array([False, True, False]))
    return SimpleNamespace(events=SimpleNamespace(rows=rows), region=region)


def _sim(model) -> Sim:
    sim = Sim.__new__(Sim)  # the feed's filtering only: no scenario to build
    sim.model = model
    return sim


def test_a_village_feed_shows_only_that_village_among_namesakes():
    sim = _sim(_stub_model())
    first, second = sim.recent_events(0), sim.recent_events(1)
    assert [r.day for r in first] == [4, 1]  # newest first; not day 2, the other Simpang Empat's clash
    assert [r.day for r in second] == [2]
    assert {r.village_code for r in first} == {CODES[0]}
    assert [r.day for r in sim.recent_events(None)] == [4, 3, 2, 1]


def test_feed_rows_are_read_by_name_and_kelurahan_by_code():
    model = _stub_model()
    (clash,) = recent_events(model, 1)
    assert isinstance(clash, EventRow) and clash.kind == "incident" and clash.village_code == CODES[1]
    kel = kelurahan_by_code(model.region)
    assert describe_event(clash, "id", kel).startswith("Hari 2, Kelurahan Simpang Empat: INSIDEN")
    (rally,) = recent_events(model, 0, kinds=("rally",))
    assert describe_event(rally, "id", kel).startswith("Hari 1, Desa Simpang Empat")  # same name, a desa
    assert recent_events(model, None, 2) == [EventRow._make(r) for r in model.events.rows[:-3:-1]]


def test_event_row_follows_the_event_log_columns():
    assert list(EventRow._fields) == COLUMNS


def test_pickers_tell_namesakes_apart():
    assert village_labels(_stub_model().region) == [f"Simpang Empat ({CODES[0]})", f"Simpang Empat ({CODES[1]})", "Batulicin"]


def test_a_real_run_with_two_villages_of_one_name():
    spec = tomllib.loads(MINI.read_text(encoding="utf-8"))
    villages = spec["region"]["kecamatan"][0]["villages"]
    villages[1]["name"] = villages[0]["name"]  # "Dua" becomes a second "Satu"
    model = SiagaModel(spec, seed=3, days=120)
    model.run()
    codes = model.region.codes
    by_code = {c: sum(r[COLUMNS.index("village_code")] == c for r in model.events.rows) for c in codes[:2]}
    assert all(by_code.values()), f"both namesakes need events for this test: {by_code}"
    sim = _sim(model)
    for v in (0, 1):
        feed = sim.recent_events(v, limit=10_000)
        assert len(feed) == by_code[codes[v]] and {r.village_code for r in feed} == {codes[v]}
