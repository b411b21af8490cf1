"""Record the regression baseline: `.venv/bin/python tests/regression/record.py` (a few minutes).

Writes tests/regression/baseline.json. Only re-record on purpose (see cases.py)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from cases import CASES, case_id, fingerprint  # noqa: E402

from siaga import SiagaModel  # noqa: E402


def main() -> None:
    out = {}
    for scenario, seed, days, _slow in CASES:
        model = SiagaModel(scenario, seed=seed, days=days)
        model.run()
        out[case_id(scenario, seed, days)] = fingerprint(model)
        print(case_id(scenario, seed, days), out[case_id(scenario, seed, days)]["outcomes"].get("incidents"), flush=True)
    path = Path(__file__).with_name("baseline.json")
    path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
