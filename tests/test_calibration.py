"""Calibration (docs/CALIBRATION.md): targets with their sources, summaries, the deviance distance,
calibration files, seeds, and `siaga calibrate` end to end on a tiny budget (with a resume)."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from experiments.calibration.distance import (
    DevianceDistance,
    dirichlet_multinomial_deviance,
    multinomial_deviance,
    poisson_deviance,
    target_deviance,
)
from experiments.calibration.spec import CalibrationError, load_calibration
from experiments.calibration.summaries import observed, pool, run_summary, statistic
from experiments.calibration.targets import (
    CategoryTarget,
    MajorityTarget,
    RateTarget,
    TimingTarget,
    covered_windows,
    load_targets,
)
from siaga.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "experiments" / "calibration" / "examples"
TINY = EXAMPLES / "tiny.toml"


# ------------------------------------------------------------------------------------- targets
def test_targets_hold_the_published_numbers_with_their_sources():
    t = load_targets()
    acled = t["acled_timing"]
    assert isinstance(acled, TimingTarget) and sum(acled.counts) == 51
    published = [5.9, 5.9, 5.9, 5.9, 19.6, 17.6, 23.5, 11.8, 3.9]  # DOMAIN.md §6.3, % of 51
    assert [round(100 * c / 51, 1) for c in acled.counts] == published
    snpk = t["snpk_actors"]
    assert isinstance(snpk, CategoryTarget)
    assert snpk.categories["supporter_vs_supporter"].count == 769 and snpk.categories["supporters_vs_organisers"].count == 193
    # "other" (supporters vs government) only with its mechanism on (ODD §7.27): defined, marked, not dropped
    off = {"government_protests": False}
    assert snpk.producible(off) == ["supporter_vs_supporter", "supporters_vs_organisers"]
    assert snpk.producible({"government_protests": True}) == list(snpk.categories)
    assert snpk.categories["other"].mechanism == "government_protests"
    sev = t["habibie_severity"]
    assert isinstance(sev, RateTarget) and sev.exposure == 585
    assert [c.count for c in sev.components.values()] == [47, 510, 416]
    assert isinstance(t["snpk_clashes_in_campaign"], MajorityTarget)
    for target in t.values():
        assert "http" in target.source or "zatailm/myeda" in target.source


def test_windows_outside_the_calendar_are_not_compared():
    acled = load_targets()["acled_timing"]
    # the default scenario: 2024-09-01 .. +180 days, voting on day 87 -> days -87..+93
    cov = covered_windows(acled, -87, 93)
    assert [acled.labels()[i] for i in cov] == ["-60..-31", "-30..-8", "-7..-1", "voting day", "+1..+7", "+8..+30", "+31..+60"]
    assert covered_windows(acled, -150, 120) == list(range(9))


# ----------------------------------------------------------------------------------- summaries
def _inc(day, kind="clash", stage="campaign", deaths=0, injured=0, damaged=0):
    return {"day": day, "kind": kind, "stage": stage, "size": 2, "deaths": deaths, "injured": injured, "damaged": damaged}


def test_run_summary_counts_windows_kinds_stages_and_harm():
    t = load_targets()
    incidents = [_inc(10), _inc(87, stage="voting"), _inc(88, "protest", "counting", injured=3), _inc(100, "apk", damaged=1),
                 _inc(95, "newkind", "counting"), _inc(300)]  # day 300 = +213: no window
    s = run_summary(incidents, 87, t)
    assert s["acled_timing"].tolist() == [1, 0, 0, 0, 1, 1, 2, 0, 0]  # -77; 0; +1; +8 and +13
    assert s["snpk_actors"].tolist() == [4, 1, 0, 1]  # last: a kind no category claims
    assert s["habibie_severity"].tolist() == [6, 0, 3, 1]
    assert s["snpk_clashes_in_campaign"].tolist() == [3, 4]  # clash, clash(voting), apk, clash(day 300) -> 3 in campaign
    both = pool([s, s])
    assert both["acled_timing"].tolist() == [2, 0, 0, 0, 2, 2, 4, 0, 0]
    assert statistic(t["habibie_severity"], both["habibie_severity"]).tolist() == [0, 0.5, 1 / 6]
    assert np.isnan(statistic(t["acled_timing"], np.zeros(9))).all()  # no incident: no shares


# ------------------------------------------------------------------------------------ distance
ACLED_FITTED = np.array([3, 3, 3, 10, 9, 12, 6])  # the seven windows of the default calendar


def test_runs_without_incidents_never_fit_better_than_a_realistic_profile():
    """The defect of the first 2-core calibration (docs/CALIBRATION.md §6): under the G statistic
    with smoothed shares, runs with no incident (uniform shares) fit ACLED's timing better than a
    realistic profile from twenty incidents, so ABC drifted to parameters making almost no
    violence. The distance used must charge for how little a few runs say."""
    realistic = np.array([1, 2, 0, 4, 6, 20, 3])
    assert multinomial_deviance(ACLED_FITTED, np.zeros(7), 0.5) < multinomial_deviance(ACLED_FITTED, realistic, 0.5)  # the old rule's flaw
    d = dirichlet_multinomial_deviance
    assert d(ACLED_FITTED, np.zeros(7), 0.5) > d(ACLED_FITTED, realistic, 0.5)
    # the data's own profile fits better the more runs show it
    fits = [d(ACLED_FITTED, ACLED_FITTED * k, 0.5) for k in (0.1, 1, 10, 100)]
    assert fits == sorted(fits, reverse=True)
    # and the distance the calibration uses is this one
    t = load_targets()
    dist = DevianceDistance({"acled_timing": t["acled_timing"]}, {"acled_timing": list(range(1, 8))}, {}, 0.5)
    padded = lambda m: np.concatenate([[0], m, [0]])  # noqa: E731
    assert dist({"acled_timing": padded(np.zeros(7))}, {"acled_timing": padded(ACLED_FITTED)}) > dist(
        {"acled_timing": padded(realistic)}, {"acled_timing": padded(ACLED_FITTED)})


def test_dirichlet_multinomial_deviance_is_a_deviance_with_the_g_statistic_as_its_limit():
    rng = np.random.default_rng(5)
    for _ in range(200):
        o = rng.integers(0, 40, size=rng.integers(2, 9))
        if o.sum() == 0:
            continue
        m = rng.integers(0, 30, size=len(o))
        assert dirichlet_multinomial_deviance(o, m, 0.5) >= 0.0
    obs = np.array([3, 3, 10, 35])
    shares = np.array([10, 10, 10, 20])
    g = multinomial_deviance(obs, shares * 10**6, 0.5)
    assert dirichlet_multinomial_deviance(obs, shares * 10**6, 0.5) == pytest.approx(g, rel=1e-4)
    assert dirichlet_multinomial_deviance(obs, obs * 10**7, 0.5) == pytest.approx(0.0, abs=1e-4)
    assert math.isfinite(dirichlet_multinomial_deviance(obs, np.zeros(4), 0.5))


def test_multinomial_deviance_is_zero_at_the_data_and_respects_small_counts():
    obs = np.array([3, 3, 10, 35])
    assert multinomial_deviance(obs, obs * 1000, 1e-9) == pytest.approx(0, abs=1e-6)
    worse = np.array([10, 10, 10, 20]) * 100
    assert multinomial_deviance(obs, worse, 0.5) > multinomial_deviance(obs, obs * 100, 0.5) + 1
    # the same share difference weighs ten times more when the data have ten times the events
    small = multinomial_deviance(obs, worse, 1e-9)
    assert multinomial_deviance(obs * 10, worse, 1e-9) == pytest.approx(10 * small)
    # an empty model bin is improbable, not impossible
    assert math.isfinite(multinomial_deviance(obs, np.array([0, 0, 0, 5]), 0.5))
    assert math.isfinite(multinomial_deviance(obs, np.zeros(4), 0.5))


def test_rate_deviance_and_the_weighted_sum():
    assert poisson_deviance(47, 47) == 0
    assert poisson_deviance(47, 94) > poisson_deviance(47, 60) > 0
    assert poisson_deviance(47, 94, dispersion=4) == pytest.approx(poisson_deviance(47, 94) / 4)
    t = load_targets()
    sev = t["habibie_severity"]
    exact = np.array([585, 47, 510, 416]) * 2.0  # the model's rates equal the study's
    assert target_deviance(sev, observed(sev), exact, None, 1e-9) == pytest.approx(0, abs=1e-6)
    fit = {k: t[k] for k in ("acled_timing", "habibie_severity")}
    d = DevianceDistance(fit, {"acled_timing": [1, 2, 3, 4, 5, 6, 7], "habibie_severity": None}, {"habibie_severity": 2.0}, 0.5)
    sim = {"acled_timing": np.array([0, 1, 0, 0, 3, 4, 9, 1, 0.0]), "habibie_severity": np.array([18, 0, 20, 3.0])}
    obs = {k: observed(v) for k, v in fit.items()}
    parts = d.parts(sim, obs)
    assert d(sim, obs) == pytest.approx(parts["acled_timing"] + 2 * parts["habibie_severity"])


# ---------------------------------------------------------------------------- calibration files
def _write(tmp_path: Path, text: str, name: str = "cal.toml") -> Path:
    shutil.copyfile(EXAMPLES / "mini_region.toml", tmp_path / "mini_region.toml")
    path = tmp_path / name
    path.write_text(text)
    return path


BASE = ('name = "t"\nscenario = "mini_region.toml"\nseed = 1\ndays = 120\n[parameters]\n{params}\n'
        '[targets]\nfit = {fit}\nheld_out = {held}\n[budget]\npopulation_size = 3\nmax_generations = 1\n')


@pytest.mark.parametrize("params, fit, held, expected", [
    ('"population.threshold_mean" = [0.1, 0.3]', '["acled_timng"]', "[]", "did you mean 'acled_timing'"),
    ('"population.threshold_mean" = [0.1, 0.3]', '["snpk_clashes_in_campaign"]', "[]", "can only be held out"),
    ('"population.threshold_mean" = [0.3, 0.1]', '["acled_timing"]', "[]", "must be below high"),
    ('"population.threshold_mean" = { prior = "normal", low = 0.1, high = 0.3 }', '["acled_timing"]', "[]", "needs `mean` and `sd`"),
    ('"population.threshold_mean" = { prior = "loguniform", low = 0, high = 0.3 }', '["acled_timing"]', "[]", "needs low > 0"),
    ('"population.threshold_mean" = { prior = "gamma", low = 0.1, high = 0.3 }', '["acled_timing"]', "[]", "'uniform', 'loguniform' or 'normal'"),
    ('"seed" = [1, 2]', '["acled_timing"]', "[]", "`seed` cannot be set"),
    ('"population.threshold_mean" = [0.1, 0.3]', '["acled_timing"]', '["acled_timing"]', "listed twice"),
])
def test_bad_calibration_files_are_one_clear_message(tmp_path, params, fit, held, expected):
    path = _write(tmp_path, BASE.format(params=params, fit=fit, held=held))
    with pytest.raises(CalibrationError) as err:
        load_calibration(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_the_wide_proposal_keeps_the_population_s_covariance_and_silverman_shrinks_it(tmp_path):
    from experiments.calibration.engine import _transition

    rng = np.random.default_rng(3)
    X = pd.DataFrame(rng.normal(size=(120, 10)), columns=[f"p{i}" for i in range(10)])
    w = np.full(120, 1 / 120)
    wide, silverman = _transition("wide"), _transition("silverman")
    wide.fit(X, w)
    silverman.fit(X, w)
    sample = np.cov(X.values.T, aweights=w)
    assert np.allclose(wide.cov, sample, rtol=0.02)
    shrink = (4 / (120 * 12)) ** (2 / 14)  # Silverman's factor squared for 120 particles in 10 dimensions
    assert np.allclose(silverman.cov, sample * shrink, rtol=0.02) and shrink < 0.5
    path = _write(tmp_path, BASE.format(params='"population.threshold_mean" = [0.1, 0.3]', fit='["acled_timing"]', held="[]")
                  + 'proposal = "narrow"\n')
    with pytest.raises(CalibrationError) as err:
        load_calibration(path)
    assert "proposal" in str(err.value) and "'silverman' or 'wide'" in str(err.value)


def test_a_misspelt_parameter_or_a_value_the_scenario_refuses_is_named_before_any_run(tmp_path, capsys):
    path = _write(tmp_path, BASE.format(params='"population.threshold_maen" = [0.1, 0.3]', fit='["acled_timing"]', held="[]"))
    assert main(["calibrate", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "population.threshold_maen" in err and "did you mean `threshold_mean`" in err and "Traceback" not in err
    path = _write(tmp_path, BASE.format(params='"dynamics.tension.decay" = [0.5, 3.0]', fit='["acled_timing"]', held="[]"))
    assert main(["calibrate", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "prior's high end" in err and "dynamics.tension.decay" in err and not (tmp_path / "o" / "abc.db").exists()
    path = _write(tmp_path, BASE.format(params='"population.threshold_mean" = [0.1, 0.3]', fit='["acled_timing"]', held="[]").replace("days = 120", "days = 70"))  # days -87..-18: one whole window
    assert main(["calibrate", str(path), "--out", str(tmp_path / "o"), "--quiet"]) == 2
    assert "covers 1 of its windows" in capsys.readouterr().err


def test_shipped_calibration_presets_are_valid():
    from experiments.calibration.engine import prepare

    for path in sorted(EXAMPLES.glob("*.toml")):
        if path.name == "mini_region.toml":
            continue
        problem = prepare(path)
        assert problem.spec.targets.held_out, f"{path.name}: at least one target is held out"


# --------------------------------------------------------------------------------------- seeds
def test_runs_are_seeded_from_the_calibration_seed_and_the_particle():
    from experiments.calibration.engine import prepare
    from experiments.calibration.simulator import TAG_FIT, run_seed

    assert run_seed(1, TAG_FIT, [0.2, 0.004], 0) == run_seed(1, TAG_FIT, [0.2, 0.004], 0)
    seeds = {run_seed(1, TAG_FIT, [0.2, 0.004], 0), run_seed(1, TAG_FIT, [0.2, 0.004], 1), run_seed(2, TAG_FIT, [0.2, 0.004], 0),
             run_seed(1, TAG_FIT, [0.2, 0.0040001], 0)}
    assert len(seeds) == 4 and all(0 <= s < 2**63 for s in seeds)
    sim = prepare(TINY).simulator(TAG_FIT)
    particle = {"population.threshold_mean": 0.2, "dynamics.clashes.base_hazard": -2.0}  # pyABC's units: log10 for loguniform
    params = sim.natural(particle)
    assert params == {"population.threshold_mean": 0.2, "dynamics.clashes.base_hazard": pytest.approx(0.01)}
    a, b = sim(particle), sim(dict(particle))
    assert all(np.array_equal(a[k], b[k]) for k in a)
    assert sim.seeds(params) != sim.seeds({**params, "dynamics.clashes.base_hazard": 0.011})
    assert sim.scenario(params)["dynamics"]["clashes"]["base_hazard"] == pytest.approx(0.01)


# ---------------------------------------------------------------------------------- end to end
def test_tiny_calibration_end_to_end_then_resumed(tmp_path, capsys):
    """`siaga calibrate` on the tiny preset with one generation, refused again without --resume,
    then resumed with a budget of two: pyABC continues its history (generation 0 kept as it was)."""
    shutil.copyfile(EXAMPLES / "mini_region.toml", tmp_path / "mini_region.toml")
    spec = tmp_path / "tiny.toml"
    spec.write_text(TINY.read_text().replace("max_generations = 2", "max_generations = 1"))
    out = tmp_path / "out"
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet"]) == 0
    first = pd.read_parquet(out / "populations.parquet")
    assert set(first["generation"]) == {0} and len(first) == 6
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet"]) == 2
    assert "already holds a calibration" in capsys.readouterr().err

    spec.write_text(TINY.read_text())  # max_generations = 2
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet", "--resume"]) == 0
    printed = capsys.readouterr().out
    assert "2 generation(s)" in printed and "habibie_severity (held out)" in printed
    pops = pd.read_parquet(out / "populations.parquet")
    assert set(pops["generation"]) == {0, 1}
    pd.testing.assert_frame_equal(pops[pops["generation"] == 0].reset_index(drop=True), first)
    post = pd.read_parquet(out / "posterior.parquet")
    names = ["population.threshold_mean", "dynamics.clashes.base_hazard"]
    assert list(post.columns) == [*names, "weight", "generation"] and len(post) == 6 and (post["generation"] == 1).all()
    assert post["weight"].sum() == pytest.approx(1.0)
    assert post[names[0]].between(0.15, 0.35).all() and post[names[1]].between(0.001, 0.02).all()
    for name in ("abc.db", "marginals.png", "pairwise.png", "ess.png", "acceptance.png", "epsilons.png", "ppc.png", "ppc.csv",
                 "ppc_targets.csv", "scores.csv", "manifest.json", "calibration.toml"):
        assert (out / name).stat().st_size > 0, name
    ppc = pd.read_csv(out / "ppc.csv")
    assert set(ppc["target"]) == {"acled_timing", "snpk_actors", "habibie_severity", "snpk_clashes_in_campaign"}
    assert len(ppc[ppc["target"] == "acled_timing"]) == 6  # the windows days -87..+32 cover whole
    lo, hi = ppc["q05"], ppc["q95"]
    assert (lo[lo.notna()] <= hi[lo.notna()]).all()
    scores = pd.read_csv(out / "scores.csv").set_index("target")
    assert list(scores.loc[["habibie_severity", "snpk_clashes_in_campaign"], "role"]) == ["held out", "held out"]
    assert np.isfinite(scores.loc["habibie_severity", "posterior"]) and scores.loc["snpk_clashes_in_campaign", "naive"] == 0.25
    assert np.isfinite(scores.loc["acled_timing", ["posterior", "naive"]].astype(float)).all()
    # a resume with another file is refused: it would mix two calibrations in one database
    spec.write_text(TINY.read_text().replace("seed = 20241127", "seed = 5"))
    assert main(["calibrate", str(spec), "--out", str(out), "--quiet", "--resume"]) == 2
    assert "holds a different calibration" in capsys.readouterr().err


@pytest.mark.slow  # about 15 s of CPU (a cluster's start-up and a second tiny fit); the Dask wiring is not essential in CI
def test_calibration_runs_on_a_dask_cluster(tmp_path):
    """`--scheduler`: pyABC's Dask sampler and the check's runs go to the cluster (here an
    in-process LocalCluster with one worker thread)."""
    from distributed import Client, LocalCluster

    from experiments.calibration.engine import run_calibration

    spec = _write(tmp_path, TINY.read_text().replace("population_size = 6", "population_size = 3")
                  .replace("max_generations = 2", "max_generations = 1").replace("draws = 4", "draws = 2\nbaseline = false"), "tiny.toml")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        manifest = run_calibration(spec, tmp_path / "out", scheduler=client)
    assert manifest["backend"] == "dask (client)" and manifest["generations"] == 1 and manifest["check_runs"] == 2
    assert len(pd.read_parquet(tmp_path / "out" / "posterior.parquet")) == 3


# -------------------------------------------------------- experiments over the posterior (part 7)
def _fake_posterior(folder: Path) -> Path:
    """A calibration's output as `siaga experiment run --posterior` reads it: posterior.parquet."""
    folder.mkdir()
    pd.DataFrame({"population.threshold_mean": [0.18, 0.3, 0.24], "dynamics.clashes.base_hazard": [0.012, 0.003, 0.006],
                  "weight": [0.5, 0.3, 0.2], "generation": 1}).to_parquet(folder / "posterior.parquet")
    return folder


def _posterior_experiment(tmp_path: Path, extra: str = "") -> Path:
    shutil.copyfile(EXAMPLES / "mini_region.toml", tmp_path / "mini_region.toml")
    path = tmp_path / "exp.toml"
    path.write_text('name = "p"\nscenario = "mini_region.toml"\npolicies = ["none", "kades_early"]\nreplicates = 8\n'
                    f'master_seed = 11\ndays = 40\noutcomes = ["incidents", "peak_mobilised_share"]\nposterior = "cal"\n{extra}')
    return path


def test_each_replicate_draws_its_parameters_from_the_posterior_the_same_for_every_policy(tmp_path):
    from experiments.design import build_tasks
    from experiments.spec import ExperimentError, load_experiment

    _fake_posterior(tmp_path / "cal")
    spec, path = load_experiment(_posterior_experiment(tmp_path))
    tasks, _ = build_tasks(spec, path)
    again, _ = build_tasks(spec, path)
    names = ["population.threshold_mean", "dynamics.clashes.base_hazard"]
    by_rep: dict[int, set] = {}
    for t in tasks:
        values = tuple(t.overrides[n] for n in names)
        assert values == tuple(t.factors[n] for n in names)  # recorded in runs.parquet
        by_rep.setdefault(t.replicate, set()).add((values, t.seed))
    assert all(len(v) == 1 for v in by_rep.values())  # both policies: the same draw and seed
    drawn = [next(iter(v))[0] for _, v in sorted(by_rep.items())]
    assert len(set(drawn)) >= 2 and set(drawn) <= {(0.18, 0.012), (0.3, 0.003), (0.24, 0.006)}
    assert [t.overrides for t in tasks] == [t.overrides for t in again]  # reproducible
    # more replicates keep the earlier replicates' draws
    more, _ = build_tasks(spec.model_copy(update={"replicates": 12}), path)
    assert [t.overrides for t in more if t.replicate < 8 and t.policy == "none"] == [t.overrides for t in tasks if t.policy == "none"]
    with pytest.raises(ExperimentError, match=r"drawn from the posterior and also set"):
        spec2, p2 = load_experiment(_posterior_experiment(tmp_path, '[set]\n"population.threshold_mean" = 0.2\n'))
        build_tasks(spec2, p2)
    # the calibration's own [set] comes with every draw (its rates hold only with it)
    (tmp_path / "cal" / "manifest.json").write_text('{"spec": {"set": {"dynamics.tension.decay": 0.07}}}')
    with_set, _ = build_tasks(spec, path)
    assert all(t.overrides["dynamics.tension.decay"] == 0.07 for t in with_set)
    assert [{k: v for k, v in t.overrides.items() if k != "dynamics.tension.decay"} for t in with_set] == [t.overrides for t in tasks]
    with pytest.raises(ExperimentError, match=r"the calibration fixed \['dynamics.tension.decay'\]"):
        spec3, p3 = load_experiment(_posterior_experiment(tmp_path, '[set]\n"dynamics.tension.decay" = 0.09\n'))
        build_tasks(spec3, p3)
    with pytest.raises(ExperimentError, match=r"holds no posterior.parquet"):
        (tmp_path / "empty").mkdir()
        build_tasks(spec.model_copy(update={"posterior": "empty"}), path)


def test_experiment_run_with_posterior_applies_each_draw_reproducibly(tmp_path, capsys):
    from experiments import run

    cal = _fake_posterior(tmp_path / "cal")
    exp = _posterior_experiment(tmp_path).read_text().replace("replicates = 8", "replicates = 3").replace('posterior = "cal"\n', "")
    (tmp_path / "exp.toml").write_text(exp)
    out = tmp_path / "out"
    assert main(["experiment", "run", str(tmp_path / "exp.toml"), "--posterior", str(cal), "--out", str(out), "--workers", "1",
                 "--quiet", "--no-report"]) == 0
    runs = pd.read_parquet(out / "runs.parquet")
    names = ["population.threshold_mean", "dynamics.clashes.base_hazard"]
    assert set(names) <= set(runs.columns) and runs.groupby("replicate")[names].nunique().eq(1).all().all()
    assert len(runs[names].drop_duplicates()) >= 2
    for row in runs.to_dict("records"):  # each run is the model with its draw, and reproducible
        params = {n.replace(".", "__"): row[n] for n in names}
        again = run(str(tmp_path / "mini_region.toml"), seed=row["seed"], policy=row["policy"], days=40, **params)
        assert (again["incidents"], again["peak_mobilised_share"]) == (row["incidents"], row["peak_mobilised_share"])
    assert main(["experiment", "run", str(tmp_path / "exp.toml"), "--posterior", str(tmp_path / "nope"), "--out", str(tmp_path / "o2"),
                 "--workers", "1", "--quiet"]) == 2
    assert "--posterior" in capsys.readouterr().err


def test_a_one_process_calibration_is_repeatable(tmp_path):
    """pyABC's own draws are seeded from the calibration's seed: one process gives the same particles."""
    from experiments.calibration.engine import run_calibration

    spec = _write(tmp_path, TINY.read_text().replace("population_size = 6", "population_size = 3")
                  .replace("draws = 4", "draws = 2\nbaseline = false"), "tiny.toml")
    run_calibration(spec, tmp_path / "a", processes=1)
    run_calibration(spec, tmp_path / "b", processes=1)
    for name in ("populations.parquet", "ppc.csv"):
        read = pd.read_parquet if name.endswith("parquet") else pd.read_csv
        pd.testing.assert_frame_equal(read(tmp_path / "a" / name), read(tmp_path / "b" / name))
    other = _write(tmp_path, spec.read_text().replace("seed = 20241127", "seed = 7"), "other.toml")
    run_calibration(other, tmp_path / "c", processes=1)
    assert not pd.read_parquet(tmp_path / "c" / "populations.parquet").equals(pd.read_parquet(tmp_path / "a" / "populations.parquet"))


def test_the_file_format_in_the_docs_is_a_valid_calibration(tmp_path):
    import re

    from experiments.calibration.engine import prepare

    block = re.findall(r"```toml\n(.*?)```", (ROOT / "docs" / "CALIBRATION.md").read_text(encoding="utf-8"), re.S)[0]
    (tmp_path / "c.toml").write_text(block)
    problem = prepare(tmp_path / "c.toml")
    assert problem.log_names == ["dynamics.clashes.base_hazard"] and problem.spec.parameters["dynamics.tension.decay"].prior == "normal"


def test_only_reported_incidents_count_toward_the_newspaper_coded_targets():
    """Every target's data set was coded from newspapers (docs/ODD.md §7.23): an incident the model
    marks as unreported is not counted; one without the mark (reporting off) is."""
    from experiments.calibration.summaries import run_summary
    from experiments.calibration.targets import load_targets

    targets = load_targets()
    base = {"day": 90, "kind": "clash", "stage": "counting", "deaths": 0, "injured": 1, "damaged": 0}
    both = run_summary([{**base, "reported": True}, {**base, "reported": False}], 87, targets)
    one = run_summary([{**base, "reported": True}], 87, targets)
    unmarked = run_summary([base], 87, targets)
    for name in targets:
        assert np.array_equal(both[name], one[name]) and np.array_equal(one[name], unmarked[name])
    assert one["habibie_severity"][0] == 1


def test_the_shipped_posterior_is_the_preset_s_and_the_posterior_examples_can_use_it():
    """experiments/calibration/results/kepahiang_here is what docs/CALIBRATION.md §11 reports and
    what the *_posterior.toml examples draw from: it must be a posterior of here.toml as shipped
    (same free parameters, every particle inside its prior, and the same calibration digest: file,
    scenario, targets and distance rule), so a change to any of them without a new run fails here
    rather than silently. The fix is to re-run the preset (about 90 minutes) and copy its results
    into the folder (docs/CALIBRATION.md §11)."""
    import json

    from experiments.calibration.engine import prepare
    from experiments.calibration.posterior import load_posterior, parameter_names

    folder = ROOT / "experiments" / "calibration" / "results" / "kepahiang_here"
    spec, _ = load_calibration(ROOT / "experiments" / "calibration" / "examples" / "here.toml")
    table = load_posterior(folder)
    assert sorted(parameter_names(table)) == sorted(spec.parameters)
    for name, prior in spec.parameters.items():
        assert table[name].between(prior.low, prior.high).all(), name
    assert table["weight"].sum() == pytest.approx(1.0)
    manifest = json.loads((folder / "manifest.json").read_text())
    here = ROOT / "experiments" / "calibration" / "examples" / "here.toml"
    assert manifest["digest"] == prepare(here).digest(), "the shipped posterior is stale: re-run here.toml"
    for example in ("mission_posterior", "police_capacity_posterior", "timing_posterior", "timing_level_posterior"):
        text = (ROOT / "experiments" / "examples" / f"{example}.toml").read_text()
        assert 'posterior = "../calibration/results/kepahiang_here"' in text


def test_the_digest_sees_the_runs_scenario_with_its_defaults_but_not_the_free_parameters():
    """A calibration may be resumed, and its posterior used, only for the runs it was fitted on.
    The digest reads the scenario as the runs see it: writing a library default out explicitly
    changes nothing, changing a value that is not free changes it, and a free parameter's value
    in the scenario file never reaches a run, so it does not count."""
    import dataclasses

    from experiments.calibration.engine import prepare
    from scenarios.loader import deep_merge, expand_dotted

    problem = prepare(TINY)
    before = problem.digest()

    def with_base(values: dict) -> str:
        return dataclasses.replace(problem, base=deep_merge(problem.base, expand_dotted(values))).digest()

    assert with_base({"dynamics.clashes.neighbour_contact": 0.25}) == before  # the library default, written out
    assert with_base({"dynamics.clashes.neighbour_contact": 0.3}) != before
    free = problem.names[0]
    low = problem.spec.parameters[free].low
    assert with_base({free: low}) == before


def test_the_weighted_median_and_the_library_defaults_are_the_shipped_posteriors_point():
    """docs/CALIBRATION.md §12: the library's defaults are the shipped posterior's weighted medians
    to two significant figures; a re-run calibration, or a default changed by hand, fails here."""
    from experiments.calibration.checks import weighted_quantile
    from experiments.calibration.point import point_estimate, round_sig
    from experiments.calibration.posterior import load_posterior
    from scenarios import load_scenario

    assert weighted_quantile(np.array([3.0, 1.0, 2.0]), np.array([1.0, 1.0, 1.0]), 0.5) == 2.0
    assert weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([0.1, 0.1, 0.8]), 0.5) == 3.0
    assert weighted_quantile(np.array([1.0, 2.0]), np.array([0.5, 0.5]), 0.5) == 1.0  # the smallest that reaches half
    assert (round_sig(0.009349), round_sig(0.4459), round_sig(0.0)) == (0.0093, 0.45, 0.0)
    point = point_estimate(load_posterior(ROOT / "experiments" / "calibration" / "results" / "kepahiang_here"))
    scenario = load_scenario("kepahiang_pilkada2024").model_dump()
    for name, value in point.items():
        node = scenario
        for part in name.split("."):
            node = node[part]
        assert node == value, name
    assert scenario["mechanisms"]["campaign_violence"] is True
