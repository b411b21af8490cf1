"""The short help on alert levels and orders (issue 14): every level and order explained in the
page's language, with the costs the model charges."""

import re

import pytest

from agents.camat import ORDERS
from common.levels import ALERT_LEVELS
from scenarios import DEFAULT_SCENARIO, load_scenario
from siaga.app.help_text import ORDER_KEYS, help_html, order_costs
from simulation.model import SiagaModel


@pytest.fixture(scope="module")
def spec():
    return load_scenario(DEFAULT_SCENARIO)


def test_every_level_and_every_order_is_explained_in_both_languages(spec):
    assert set(ORDER_KEYS) == set(ORDERS)
    for lang, summary in (("id", "Apa arti AMAN"), ("en", "What do AMAN")):
        text = help_html(spec, lang)
        assert summary in text and text.count("<details") == 2
        for level in ALERT_LEVELS:
            assert re.search(rf"<b[^>]*>{level}</b>: \w", text)
        items = re.findall(r"<li><b>([^<]+)</b>: ([^<]+)</li>", text)
        assert len(items) == len(ORDERS) and all(len(body) > 40 for _, body in items)
        assert "help_" not in text  # no missing translation keys


def test_the_costs_are_the_ones_the_model_charges(spec):
    model = SiagaModel(spec, seed=1, days=5)
    model.run()
    camat = model.forces.camats[0]
    costs = order_costs(spec)
    for kind in ("mediation", "patrol", "rapid_response", "counter_hoax", "backup"):
        assert costs[kind] == camat.order_cost(kind, 0)
    text = help_html(spec, "id")
    assert f"{costs['patrol']:g} orang-hari" in text and f"{spec.officials.counter_hoax_days} hari" in text


def test_only_the_desk_says_its_map_shows_reports(spec):
    assert "bukan keadaan sebenarnya" in help_html(spec, "id", desk=True)
    assert "bukan keadaan sebenarnya" not in help_html(spec, "id")
