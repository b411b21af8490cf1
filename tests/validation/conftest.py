"""The validation suite (docs/VALIDATION.md). Every test here carries the `validation` marker.

Tests also marked `slow` are the full-size versions (more seeds, fresh Mesa reference runs); they
take tens of minutes on two cores, so they run only when SIAGA_FULL_VALIDATION=1 is set. Each has
a reduced version that runs in CI.
"""

from __future__ import annotations

import os

import pytest

FULL = os.environ.get("SIAGA_FULL_VALIDATION") == "1"


def pytest_collection_modifyitems(config, items):
    here = os.path.dirname(__file__)
    skip = pytest.mark.skip(reason="full-size validation: set SIAGA_FULL_VALIDATION=1 (docs/VALIDATION.md)")
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.validation)
            if "slow" in item.keywords and not FULL:
                item.add_marker(skip)
