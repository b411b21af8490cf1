"""`siaga calibrate FILE`: fit free parameters to the data with pyABC (docs/CALIBRATION.md)."""

from __future__ import annotations

import argparse
import logging
import sys
from multiprocessing import ProcessError
from pathlib import Path


def default_out(spec_path: str) -> Path:
    return Path("siaga-calibrations") / Path(spec_path).stem


def cmd_calibrate(args: argparse.Namespace) -> int:
    from experiments.calibration.engine import run_calibration

    if args.processes is not None and args.processes < 1:
        raise ValueError(f"--processes must be at least 1 (got {args.processes})")
    out = Path(args.out) if args.out else default_out(args.file)
    import pyabc  # noqa: F401  (creates pyABC's loggers, "ABC" and "ABC.*", so their levels can be set)

    for name in [n for n in logging.root.manager.loggerDict if n == "ABC" or n.startswith("ABC.")]:
        logging.getLogger(name).setLevel(logging.WARNING if args.quiet else logging.INFO)
    say = (lambda _m: None) if args.quiet else (lambda m: print(m, file=sys.stderr))
    try:
        manifest = run_calibration(args.file, out, scheduler=args.scheduler, resume=args.resume, processes=args.processes, log=say)
    except KeyboardInterrupt:
        print(f"siaga: interrupted; the finished generations are kept in {out}. Continue with: "
              f"siaga calibrate {args.file} --out {out} --resume", file=sys.stderr)
        return 130
    except ProcessError as exc:  # a simulation worker died (its own error, if any, is printed above)
        print(f"siaga: a simulation worker stopped ({exc}); the finished generations are kept in {out}. "
              f"Remove the cause, then continue with: siaga calibrate {args.file} --out {out} --resume", file=sys.stderr)
        return 1
    print(f"{manifest['calibration']}: {manifest['generations']} generation(s), {manifest['particles_simulated']} particles simulated "
          f"({manifest['model_runs_in_fit']} model runs; {manifest['backend']}) in {out}")
    for name, s in manifest["posterior_summary"].items():
        print(f"  {name}: posterior mean {s['mean']:.4g}, 90% interval [{s['q05']:.4g}, {s['q95']:.4g}]")
    for row in manifest["scores"]:
        print(f"  {row['target']} ({row['role']}): {row['rule']}: posterior {row['posterior']:.3f}, "
              f"uncalibrated {row['uncalibrated']:.3f}, naive {row['naive']:.3f}")
    print(f"Posterior: {out / 'posterior.parquet'}; checks: {out / 'ppc.csv'}, {out / 'ppc.png'}; scores: {out / 'scores.csv'}")
    return 0


def add_calibrate_parser(sub) -> None:
    raw = argparse.RawDescriptionHelpFormatter
    c = sub.add_parser(
        "calibrate", help="fit the model's free parameters to data on election violence (pyABC)", formatter_class=raw,
        description=(
            "Fit free scenario parameters to patterns of Indonesian election violence (ACLED timing,\n"
            "SNPK actors, Habibie Center severity) with approximate Bayesian computation (pyABC, ABC-SMC).\n"
            "The calibration file names the scenario, the parameters and their priors, the targets to fit\n"
            "and to hold out, and the budget. Writes the posterior (posterior.parquet), pyABC's database\n"
            "(abc.db), diagnostic charts, posterior predictive checks and held-out scores. docs/CALIBRATION.md."
        ),
        epilog=(
            "Examples:\n"
            "  siaga calibrate experiments/calibration/examples/tiny.toml --out kalibrasi\n"
            "  siaga calibrate experiments/calibration/examples/here.toml --resume --out kalibrasi-here\n"
            "  siaga calibrate experiments/calibration/examples/cluster.toml --scheduler tcp://10.0.0.5:8786"
        ),
    )
    c.add_argument("file", metavar="FILE", help="the calibration file (.toml)")
    c.add_argument("--out", default=None, help="folder for the results (default: siaga-calibrations/<file name>)")
    c.add_argument("--processes", type=int, default=None, help="local processes (default: the file's budget.processes, 2 if not given)")
    c.add_argument("--scheduler", default=None, metavar="ADDRESS", help="simulate on a Dask cluster instead, e.g. tcp://10.0.0.5:8786")
    c.add_argument("--resume", action="store_true", help="continue a stopped calibration in the same folder (pyABC loads its database)")
    c.add_argument("--quiet", action="store_true", help="no progress messages")
    c.set_defaults(func=cmd_calibrate)
