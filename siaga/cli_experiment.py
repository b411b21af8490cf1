"""`siaga experiment run|report|sensitivity`: what a policy researcher runs."""

from __future__ import annotations

import argparse
import errno
import sys
from pathlib import Path


def _progress_bar(quiet: bool, label: str):
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    return Progress(
        TextColumn(f"[bold]{label}[/bold]"), BarColumn(), MofNCompleteColumn(), TextColumn("runs"),
        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), disable=quiet,
    )


def default_out(spec_path: str, kind: str = "") -> Path:
    return Path("siaga-experiments") / (Path(spec_path).stem + kind)


def cmd_experiment(args: argparse.Namespace) -> int:
    if args.action is None:
        args.experiment_parser.print_help()
        return 0
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1 (got {args.workers})")
    if args.action == "run":
        return _run(args)
    if args.action == "report":
        return _report(args)
    return _sensitivity(args)


def _with_progress(args: argparse.Namespace, out: Path, label: str, runner):
    """Run `runner(file, out, ...)` under a progress bar; None if interrupted (finished runs kept)."""
    from siaga.output import OutputError

    with _progress_bar(args.quiet, label) as bar:
        task = bar.add_task("runs", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        action = "run" if label == "experiment" else "sensitivity"
        try:
            return runner(args.file, out, workers=args.workers, scheduler=args.scheduler, resume=args.resume, progress=progress)
        except OutputError as exc:  # disk full, read-only, ...: one line; finished runs are kept
            if exc.errno not in _WRITE_ERRNOS:
                raise  # a refusal (folder in use, another experiment): the message says what to do
            raise OutputError(f"{exc}; {_fix_hint(exc.errno)}, then continue with: siaga experiment {action} {args.file} --out {out} --resume",
                              exc.errno, out) from None
        except KeyboardInterrupt:
            print(f"siaga: interrupted; finished runs are kept in {out}. Continue with: siaga experiment {action} {args.file} --out {out} --resume", file=sys.stderr)
            return None


_WRITE_ERRNOS = (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM, errno.EIO)


def _fix_hint(code: int | None) -> str:
    if code in (errno.ENOSPC, errno.EDQUOT):
        return "free some space"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM):
        return "make the folder writable"
    return "fix that"


def _run(args: argparse.Namespace) -> int:
    from experiments.engine import run_experiment

    out = Path(args.out) if args.out else default_out(args.file)
    runner = run_experiment
    if args.posterior:
        runner = _with_posterior(args.file, args.posterior, run_experiment)
    manifest = _with_progress(args, out, "experiment", runner)
    if manifest is None:
        return 130
    ex = manifest["execution"]
    print(
        f"{manifest['experiment']}: {manifest['runs']} runs in {out} "
        f"({ex['computed']} computed, {ex['skipped_finished']} already finished; {ex['backend']}, {ex['wall_seconds']:.0f} s)"
    )
    if ex.get("memory_note"):
        print(f"Note: {ex['memory_note']}")
    if not args.no_report:
        from experiments.report import write_report

        html = write_report(out)
        print(f"Report: {html}")
    return 0


def _with_posterior(file: str, posterior: str, run_experiment):
    """The experiment file's spec with `posterior` set to the --posterior folder: each replicate
    draws its parameters from that calibration (experiments/calibration/posterior.py). The spec
    is passed as an object, so its scenario is resolved here, against the file's folder."""
    from experiments.design import resolve_scenario_file
    from experiments.spec import load_experiment

    spec, path = load_experiment(file)
    scenario = resolve_scenario_file(spec.scenario, path)
    library = scenario.stem == spec.scenario  # a library name stays a name (the manifest shows it)
    spec = spec.model_copy(update={"posterior": str(Path(posterior).resolve()), "scenario": spec.scenario if library else str(scenario)})
    return lambda _file, out, **kw: run_experiment(spec, out, **kw)


def _report(args: argparse.Namespace) -> int:
    from experiments.report import write_report

    html = write_report(Path(args.file), Path(args.out) if args.out else None)
    print(f"Report: {html}")
    return 0


def _sensitivity(args: argparse.Namespace) -> int:
    from experiments.sensitivity import run_sensitivity

    out = Path(args.out) if args.out else default_out(args.file, "-sensitivity")
    result = _with_progress(args, out, "sensitivity", run_sensitivity)
    if result is None:
        return 130
    print(result["summary"])
    print(f"Indices: {result['table']}\nChart: {result['chart']}\nReport: {result['html']}")
    return 0


def add_experiment_parser(sub) -> None:
    """`siaga experiment run|report|sensitivity`, each with its own help and only its own options."""
    raw = argparse.RawDescriptionHelpFormatter
    e = sub.add_parser(
        "experiment", help="compare policies fairly over many runs, and write a report", formatter_class=raw,
        description=(
            "An experiment runs the same scenario many times, once per policy and seed, and compares the\n"
            "policies on the same seeds: each policy meets the same villages, hoaxes and chance events, so\n"
            "the differences are paired and come with a confidence interval. An experiment is described in\n"
            "a TOML file; copy one from experiments/examples/; docs/EXPERIMENTS.md explains the format."
        ),
        epilog=(
            "Examples:\n"
            "  siaga experiment run experiments/examples/first_comparison.toml --out perbandingan\n"
            "  siaga experiment report perbandingan\n"
            "  siaga experiment sensitivity experiments/examples/sensitivity_kepahiang.toml"
        ),
    )
    e.set_defaults(func=cmd_experiment, action=None, experiment_parser=e, workers=None, scheduler=None, resume=False, no_report=False, quiet=False,
                   posterior=None)
    actions = e.add_subparsers(dest="action", metavar="ACTION")

    def running_options(parser: argparse.ArgumentParser, what: str) -> None:
        parser.add_argument("--out", default=None, help=f"folder for the results (default: siaga-experiments/<file name>{'-sensitivity' if what == 'sensitivity' else ''})")
        parser.add_argument("--workers", type=int, default=None, help="how many runs to compute at the same time on this computer (default: one per processor core)")
        parser.add_argument("--scheduler", default=None, metavar="ADDRESS", help="compute the runs on a Dask cluster instead, e.g. tcp://10.0.0.5:8786; the results are the same")
        parser.add_argument("--resume", action="store_true", help="continue an interrupted experiment in the same folder; finished runs are kept, not redone")
        parser.add_argument("--quiet", action="store_true", help="no progress bar")

    run = actions.add_parser(
        "run", help="run every policy on every seed and write the tables and a report", formatter_class=raw,
        description=(
            "Run every combination the experiment file asks for (policies, seeds, and values of any factors),\n"
            "with a progress bar and the time left, and write one table row per run (runs.parquet), the\n"
            "day-by-day series, the event logs and report/report.html. If it is interrupted (Ctrl+C, a\n"
            "sleeping laptop, a full disk), run the same command with --resume: finished runs are kept."
        ),
        epilog=(
            "Examples:\n"
            "  siaga experiment run experiments/examples/first_comparison.toml --out perbandingan\n"
            "  siaga experiment run experiments/examples/first_comparison.toml --out perbandingan --resume\n"
            "  siaga experiment run my_study.toml --workers 8     eight runs at a time"
        ),
    )
    run.add_argument("file", metavar="FILE", help="the experiment file (.toml)")
    running_options(run, "run")
    run.add_argument("--no-report", action="store_true", help="do not write the HTML report at the end (write it later with `siaga experiment report`)")
    run.add_argument("--posterior", metavar="DIR", default=None,
                     help="the --out folder of a `siaga calibrate`: each replicate runs with parameters drawn from its posterior, so the effects include parameter uncertainty")

    report = actions.add_parser(
        "report", help="write the HTML report of a finished experiment", formatter_class=raw,
        description=(
            "Write, or write again, the report of an experiment's results folder: a comparison table (means,\n"
            "paired differences with 95% intervals, share of seeds where a policy did better or worse),\n"
            "charts of the differences, of the effect of each factor and of the days of the calendar.\n"
            "The report is one HTML file that opens without internet; the tables are also written as CSV."
        ),
        epilog="Examples:\n  siaga experiment report perbandingan\n  siaga experiment report perbandingan --out laporan   put the report in ./laporan",
    )
    report.add_argument("file", metavar="FOLDER", help="the results folder of `siaga experiment run`")
    report.add_argument("--out", default=None, help="folder for the report (default: FOLDER/report)")

    sens = actions.add_parser(
        "sensitivity", help="find which scenario values change the results most", formatter_class=raw,
        description=(
            "Vary several scenario values at once, as the sensitivity file says, and measure how much each one\n"
            "moves an outcome. Two methods: Morris screening (cheap: which values matter at all) and Sobol\n"
            "indices (costly: what share of the variation each value explains, alone and with the others).\n"
            "Writes the indices as a table, a bar chart and a short HTML page."
        ),
        epilog="Example:\n  siaga experiment sensitivity experiments/examples/sensitivity_kepahiang.toml",
    )
    sens.add_argument("file", metavar="FILE", help="the sensitivity file (.toml)")
    running_options(sens, "sensitivity")
