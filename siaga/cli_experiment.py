"""`siaga experiment run|report|sensitivity`: what a policy researcher runs."""

from __future__ import annotations

import argparse
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
    if args.workers is not None and args.workers < 1:
        raise ValueError(f"--workers must be at least 1 (got {args.workers})")
    if args.action == "run":
        return _run(args)
    if args.action == "report":
        return _report(args)
    return _sensitivity(args)


def _with_progress(args: argparse.Namespace, out: Path, label: str, runner):
    """Run `runner(file, out, ...)` under a progress bar; None if interrupted (finished runs kept)."""
    with _progress_bar(args.quiet, label) as bar:
        task = bar.add_task("runs", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        try:
            return runner(args.file, out, workers=args.workers, scheduler=args.scheduler, resume=args.resume, progress=progress)
        except KeyboardInterrupt:
            action = "run" if label == "experiment" else "sensitivity"
            print(f"siaga: interrupted; finished runs are kept in {out}. Continue with: siaga experiment {action} {args.file} --out {out} --resume", file=sys.stderr)
            return None


def _run(args: argparse.Namespace) -> int:
    from experiments.engine import run_experiment

    out = Path(args.out) if args.out else default_out(args.file)
    manifest = _with_progress(args, out, "experiment", run_experiment)
    if manifest is None:
        return 130
    ex = manifest["execution"]
    print(
        f"{manifest['experiment']}: {manifest['runs']} runs in {out} "
        f"({ex['computed']} computed, {ex['skipped_finished']} already finished; {ex['backend']}, {ex['wall_seconds']:.0f} s)"
    )
    if not args.no_report:
        from experiments.report import write_report

        html = write_report(out)
        print(f"Report: {html}")
    return 0


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
    e = sub.add_parser(
        "experiment",
        help="run, report or analyse a replicated experiment",
        description=(
            "Replicated, paired experiments. `run FILE` runs every design point x policy x replicate "
            "(replicate k of every policy uses the same seed) into a results folder; `report DIR` writes "
            "the HTML report; `sensitivity FILE` computes Morris or Sobol indices with SALib. "
            "See experiments/examples/ and docs/EXPERIMENTS.md."
        ),
    )
    e.add_argument("action", choices=("run", "report", "sensitivity"), help="what to do")
    e.add_argument("file", metavar="FILE_OR_DIR", help="experiment/sensitivity TOML file (run, sensitivity) or results folder (report)")
    e.add_argument("--out", default=None, help="results folder (default: siaga-experiments/<file name>); for report: where to write it (default: DIR/report)")
    e.add_argument("--workers", type=int, default=None, help="local worker processes (default: all cores)")
    e.add_argument("--scheduler", default=None, metavar="ADDRESS", help="run on a Dask cluster instead, e.g. tcp://10.0.0.5:8786")
    e.add_argument("--resume", action="store_true", help="finish an interrupted experiment in the same folder; finished runs are not recomputed")
    e.add_argument("--no-report", action="store_true", help="run: skip writing the HTML report at the end")
    e.add_argument("--quiet", action="store_true", help="no progress bar")
    e.set_defaults(func=cmd_experiment)
