"""The human Camat API (`model.take_command`): the workshop's way into the model."""

import numpy as np
import pytest

from agents.camat import OrderRefused
from simulation.model import SiagaModel

REPORTING = {"policy__kades__report_level": "WASPADA"}


def _digest(m: SiagaModel) -> tuple:
    return (m.people.state.tobytes(), m.people.tension.tobytes(), len(m.events), m.total_arrests)


def test_a_human_camat_who_orders_nothing_changes_nothing():
    auto = SiagaModel(seed=5, days=40, **REPORTING)
    manual = SiagaModel(seed=5, days=40, **REPORTING)
    manual.take_command(budget=50)
    auto.run()
    manual.run()
    assert _digest(auto) == _digest(manual)


def test_automatic_rakor_stops_when_a_person_takes_command():
    # through voting day: calibrated readings (docs/WARNINGS.md) bring no SIAGA, so no rakor, in a calm campaign
    kw = dict(seed=5, days=100, policy="joint")
    auto, manual = SiagaModel(**kw), SiagaModel(**kw)
    manual.take_command()
    auto.run()
    manual.run()
    rakor = [(m.event_frame()["kind"] == "rakor").sum() for m in (auto, manual)]
    assert rakor[0] > 0
    assert rakor[1] == 0


def test_a_mediation_order_is_held_the_next_morning_and_charged():
    m = SiagaModel(seed=5, days=20, **REPORTING)
    camat = m.take_command(budget=10)
    for _ in range(5):
        m.step()
    rec = camat.order("mediation", 3)
    assert rec["cost"] == 2.0 and camat.spent == 2.0
    with pytest.raises(OrderRefused, match="already planned"):
        camat.order("mediation", 3)  # twice the same evening: refused, not charged twice
    assert camat.spent == 2.0
    m.step()
    ev = m.event_frame()
    today = ev[(ev.day == 5) & (ev.kind == "mediation")]
    assert list(today.village) == [m.region.names[3]]
    assert m.villages.mediation_days[3] == 1


def test_orders_beyond_the_budget_or_outside_the_region_are_refused():
    m = SiagaModel(seed=5, days=20)
    camat = m.take_command(budget=12)
    m.step()
    camat.order("patrol", 2)  # 5 officers x 2 days = 10 person-days
    with pytest.raises(OrderRefused, match="budget"):
        camat.order("counter_hoax", 4)
    with pytest.raises(OrderRefused, match="village"):
        camat.order("mediation", 999)
    with pytest.raises(OrderRefused, match="already"):
        camat.order("rapid_response", 2)
    assert camat.spent == 10.0 and len(camat.orders) == 1


def test_a_patrol_order_puts_police_in_the_village():
    m = SiagaModel(seed=5, days=20)
    camat = m.take_command(budget=100)
    m.step()
    camat.order("rapid_response", 7)
    m.step()
    seat = int(m.region.seat[0])
    arrives = 1 + m.polsek[0].travel_days(7, seat)
    for _ in range(arrives):
        m.step()
    assert m.presence[7] >= m.spec.officials.team_size


def test_orders_need_command_taken_first():
    m = SiagaModel(seed=5, days=5)
    m.step()
    with pytest.raises(OrderRefused, match="take_command"):
        m.camats[0].order("mediation", 1)
    assert np.all(m.villages.mediation_next == 0)
