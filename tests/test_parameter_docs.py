"""The schema is the one source of every scenario parameter (issue 11): each parameter in
scenarios/schema.py has a meaning, a unit and a source, and the parameter tables of docs/ODD.md
are exactly what `python -m scenarios.parameters` generates from it. When this fails, run
`.venv/bin/python -m scenarios.parameters --write docs/ODD.md` (and review the diff)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios import parameters as gen
from scenarios.schema import OfficialsSpec, TensionParams

ODD = Path(__file__).resolve().parents[1] / "docs" / "ODD.md"


@pytest.fixture(scope="module")
def odd() -> str:
    return ODD.read_text(encoding="utf-8")


def test_every_parameter_has_a_meaning_a_unit_and_a_source():
    params = gen.parameters()
    assert len(params) > 180  # the walk reached every table, lists of tables included
    assert gen.undocumented() == []
    for p in params:
        assert p.field.description and p.extra["unit"] and p.extra["source"], p.path


def test_the_walk_names_parameters_by_their_scenario_keys():
    paths = {p.path for p in gen.parameters()}
    for key in (
        "dynamics.tension.decay",
        "calendar.stages[].contact",
        "candidates[].resources",
        "region.kecamatan[].villages[].population",
        "region.synthetic.hotspot_share",
        "alerts.cutoffs",
        "dynamics.campaign_costs.rally",
        "officials.babinsa_report_level",
        "policy.presets",
        "mechanisms.polling",
    ):
        assert key in paths, key
    assert "dynamics" not in paths and "dynamics.tension" not in paths  # tables are not parameters


def test_odd_parameter_tables_equal_the_generated_ones(odd):
    blocks = list(gen.BLOCK.finditer(odd))
    assert len(blocks) >= 15
    for m in blocks:
        assert m["body"] == gen.render(m["selectors"]), f"stale table for `{m['selectors'].strip()}`"
    assert gen.rewrite(odd) == odd  # rewriting changes nothing, prose included


def test_every_parameter_appears_in_some_odd_table(odd):
    shown = {p.path for m in gen.BLOCK.finditer(odd) for p in gen.select(m["selectors"])}
    assert [p.path for p in gen.parameters() if p.path not in shown] == []
    assert gen.problems(odd) == []


def test_a_changed_default_makes_the_docs_disagree(odd, monkeypatch):
    field = TensionParams.model_fields["decay"]
    monkeypatch.setattr(field, "default", 0.09)
    found = gen.problems(odd)
    assert len(found) == 1 and "dynamics.tension" in found[0] and "differs" in found[0], found
    assert "| `dynamics.tension.decay` | δ | 0.09 |" in gen.rewrite(odd)


def test_a_changed_source_or_range_makes_the_docs_disagree(odd, monkeypatch):
    field = OfficialsSpec.model_fields["people_per_police"]
    monkeypatch.setattr(field, "json_schema_extra", {**field.json_schema_extra, "source": "a new survey"})
    assert any("officials.people_per_police" in line for line in gen.problems(odd))


def test_check_and_write_on_a_stale_copy(odd, tmp_path, capsys):
    stale = odd.replace("| `dynamics.tension.decay` | δ | 0.08 |", "| `dynamics.tension.decay` | δ | 0.5 |", 1)
    assert stale != odd
    path = tmp_path / "ODD.md"
    path.write_text(stale, encoding="utf-8")
    assert gen.main(["--check", str(path)]) == 1
    assert "differs from scenarios/schema.py" in capsys.readouterr().err
    assert gen.main(["--write", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == odd
    assert gen.main(["--check", str(path)]) == 0


def test_unknown_selectors_and_missing_parameters_are_reported():
    text = "<!-- parameters: dynamics.tension.no_such_key -->\n<!-- /parameters -->\n"
    found = gen.problems(text)
    assert any("unknown parameter or table 'dynamics.tension.no_such_key'" in line for line in found)
    assert any(line.startswith("dynamics.tension.decay: in no parameter block") for line in found)
