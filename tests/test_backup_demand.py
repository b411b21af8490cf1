"""The backup-demand report (experiments/backup_demand.py): bunching of asks, Brimob served, and
paired contrasts between two levels of a grid factor, read from an experiment's results folder."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from experiments import backup_demand as bd
from tests.test_backup_pools import _evenings, _model, _villages_in


def test_the_peak_counts_the_most_asks_in_any_window_of_days():
    assert bd.peak(np.array([], dtype=np.int64), 3) == 0
    assert bd.peak(np.array([5]), 3) == 1
    # days 0, 1, 2 hold 3 asks; days 10, 10, 11, 12 hold 4 in three days; 10..13 in a window of 2: 3
    days = np.array([0, 1, 2, 10, 10, 11, 12, 40])
    assert bd.peak(days, 3) == 4
    assert bd.peak(days, 2) == 3
    assert bd.peak(days, 1) == 2
    assert bd.peak(days, 100) == len(days)


def test_brimob_sent_and_the_peak_are_read_from_the_models_own_event_log():
    """The Polres team goes to the first ask, a Brimob platoon to the second (as in
    test_backup_pools): one platoon sent, two asks within three days."""
    m = _model()
    a, b = _villages_in(m, 0)[:2]
    _evenings(m, {0: [a], 1: [b]})
    events = m.event_frame().assign(run_id="r0")
    got = bd.per_run(events, ["r0", "quiet"])
    assert got.loc["r0"].tolist() == [2, 1]
    assert got.loc["quiet"].tolist() == [0, 0]  # a run that never asked


def _runs() -> pd.DataFrame:
    """Two timings x two policies x 3 replicates; incidents built so that every contrast is known:
    staggered adds 2 under late and 0 under joint; joint saves 10 (serentak) or 12 (staggered)."""
    rows = []
    for stagger in (0, 14):
        for policy in ("late", "joint"):
            for k in range(3):
                base = 20.0 + k
                if policy == "late":
                    y = base + (2 if stagger else 0)
                else:
                    y = base - 10
                rows.append({"run_id": f"{stagger}-{policy}-{k}", "point": int(stagger > 0), "policy": policy,
                             "replicate": k, "seed": k, "calendar.stagger_days": stagger, "incidents": y})
    return pd.DataFrame(rows)


def test_a_contrast_pairs_replicates_within_each_policy():
    runs = _runs()
    c = bd.contrast(runs, "incidents", "calendar.stagger_days", 14, 0, ["calendar.stagger_days"]).set_index("policy")
    assert c.loc["late", "diff"] == pytest.approx(2.0) and c.loc["joint", "diff"] == pytest.approx(0.0)
    assert c.loc["late", "n"] == 3
    # constant paired differences: a zero-width interval (the replicate's own level cancels)
    assert c.loc["late", "ci_low"] == pytest.approx(2.0) and c.loc["late", "ci_high"] == pytest.approx(2.0)


def test_the_value_of_a_policy_is_compared_across_the_two_levels():
    v = bd.policy_value(_runs(), "incidents", "calendar.stagger_days", 14, 0, "late", ["calendar.stagger_days"])
    row = v.set_index("policy").loc["joint"]
    assert row["at_a"] == pytest.approx(-12.0) and row["at_b"] == pytest.approx(-10.0)
    assert row["diff"] == pytest.approx(-2.0) and row["n"] == 3


def test_the_t_interval_widens_with_spread_and_needs_two_values():
    m, lo, hi = bd.t_interval(np.array([1.0, 3.0]))
    assert m == 2.0 and lo < 1.0 and hi > 3.0  # t(1) is wide
    m1, lo1, hi1 = bd.t_interval(np.array([1.0, 3.0, 1.0, 3.0, 1.0, 3.0]))
    assert m1 == 2.0 and hi1 - lo1 < hi - lo
    assert np.isnan(bd.t_interval(np.array([4.0]))[1])


def test_the_command_reads_a_results_folder_and_says_what_is_missing(tmp_path, capsys):
    runs = _runs()
    runs.to_parquet(tmp_path / "runs.parquet")
    ev = pd.DataFrame({"run_id": ["0-late-0", "0-late-0", "14-late-0"], "day": [3, 4, 9], "kind": ["backup_request", "backup_request", "backup"],
                       "actors": ["Polsek -> Polres", "Polsek -> Polres", "Polda Brimob"]})
    assert bd.main([str(tmp_path)]) == 2  # no events.parquet yet
    assert "no event logs" in capsys.readouterr().err
    ev.to_parquet(tmp_path / "events.parquet")
    assert bd.main([str(tmp_path), "--reference", "late"]) == 0
    out = capsys.readouterr().out
    assert "| calendar.stagger_days | policy | incidents |" in out and "peak_asks" in out
    assert "+2.00 [+2.00, +2.00]" in out  # late: staggered minus serentak
    with pytest.raises(SystemExit, match="no level '7'"):
        bd.main([str(tmp_path), "--levels", "7", "0"])
    with pytest.raises(SystemExit):
        bd.main([str(tmp_path / "nowhere")])
