"""`siaga`: the command line.

Bad input never ends in a traceback: scenario and parameter errors print one clear message
naming the file, the field and what is allowed, and exit with status 2.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from scenarios import DEFAULT_SCENARIO, ScenarioError, library_names, load_dict, load_scenario
from simulation.interventions import DESCRIPTIONS, PRESETS

EXIT_BAD_INPUT = 2

SUMMARY_ROWS = (
    ("incidents", "Incidents"),
    ("villages_with_violence", "Villages that reached violence"),
    ("peak_mobilised_share", "Peak mobilised share"),
    ("first_incident_date", "First incident"),
    ("arrests", "Arrests"),
    ("officer_days", "Officer-days spent"),
    ("intervention_cost", "  of which proactive (intervention cost)"),
    ("voting_disrupted_villages", "Villages with voting/counting disrupted"),
    ("margin", "Winning margin"),
    ("disputed", "Result disputed at the MK"),
)


def parse_set(items: list[str]) -> dict[str, Any]:
    """`--set dynamics.tension.decay=0.1` -> {"dynamics.tension.decay": 0.1}; values read as TOML."""
    out: dict[str, Any] = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError(f"--set {item!r}: expected KEY=VALUE, e.g. dynamics.tension.decay=0.1")
        key, raw = item.split("=", 1)
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word: treat as a string
        out[key.strip()] = value
    return out


def default_out(scenario: str, model) -> Path:
    """siaga-output/<scenario>_seed<seed>_<policy>: one folder per run, never overwriting another's."""
    stem = Path(str(scenario)).stem
    return Path("siaga-output") / f"{stem}_seed{model.seed}_{'+'.join(model.policy.presets)}"


def check_writable(folder: Path) -> None:
    """Fail early, with a plain message, if results could not be written to `folder`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".siaga-write-test-"):
            pass
    except OSError as exc:
        raise OSError(f"cannot write results to {folder}: {exc.strerror or exc}") from None


def _fmt(key: str, value: Any, model=None) -> str:
    if key == "peak_mobilised_share":
        return f"{100 * value:.2f} %"
    if key == "margin":
        return "n/a" if isinstance(value, float) and math.isnan(value) else f"{100 * value:.1f} points"
    if key == "disputed":
        return "yes" if value else "no"
    if key == "first_incident_date":
        return value or "none"
    if isinstance(value, float):
        return f"{value:,.0f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def cmd_run(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
    from rich.table import Table

    from simulation.model import SiagaModel

    console = Console(stderr=False)
    overrides = parse_set(args.set)
    model = SiagaModel(args.scenario, seed=args.seed, policy=args.policy or None, days=args.days, **{k.replace(".", "__"): v for k, v in overrides.items()})
    out = None
    if not args.no_write:
        out = Path(args.out) if args.out else default_out(args.scenario, model)
        check_writable(out)  # before the run, not after it
    console.print(
        f"[bold]{model.spec.name}[/bold]: {model.people.n:,} villagers in {model.region.n_villages} villages, "
        f"{model.calendar.n_days} days from {model.calendar.start}, seed {model.seed}, policy {'+'.join(model.policy.presets)}"
    )
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(), TextColumn("day {task.completed:.0f}/{task.total:.0f}"),
        TimeElapsedColumn(), TimeRemainingColumn(), console=console, disable=args.quiet,
    ) as bar:
        task = bar.add_task("simulating", total=model.calendar.n_days)

        def progress(day: int, total: int) -> None:
            bar.update(task, completed=day, description=f"{model.stage_today.label[:28]:<28}")

        outcomes = model.run(progress=progress)
    table = Table(title="Summary", show_header=True)
    table.add_column("measure")
    table.add_column("value", justify="right")
    for key, label in SUMMARY_ROWS:
        table.add_row(label, _fmt(key, outcomes[key]))
    console.print(table)
    if out is not None:
        from siaga.output import write_run

        written = write_run(model, out, fmt=args.format, charts=not args.no_charts)
        console.print(f"Wrote {len(written)} files to [bold]{out}[/bold]: " + ", ".join(p.name for p in written))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from scenarios.loader import library_dir, resolve

    if args.action == "list":
        bases, variants = [], {}
        for name in library_names():
            raw = tomllib.loads((library_dir() / f"{name}.toml").read_text(encoding="utf-8"))
            parent = raw.get("extends")
            presets = raw.get("policy", {}).get("presets")
            if parent and presets and set(raw) <= {"extends", "name", "policy", "description"}:
                variants.setdefault(parent, []).append(name[len(parent) + 1 :] if name.startswith(parent) else name)
            else:
                bases.append((name, load_dict(name).get("name", "")))
        print("Scenarios in the library (run one with `siaga run NAME`; the default is marked *):")
        for name, title in bases:
            print(f"{'*' if name == DEFAULT_SCENARIO else ' '} {name:24s} {title}")
            if name in variants:
                print(f"  {'':24s} variants: " + ", ".join(variants[name]) + f"  (e.g. {name}_{variants[name][0]})")
        return 0
    if args.target is None:
        raise ScenarioError(f"`siaga scenarios {args.action}` needs a scenario name or file")
    if args.action == "show":
        path = resolve(args.target)
        print(f"# {path}")
        print(path.read_text(encoding="utf-8"))
        return 0
    scn = load_scenario(args.target)
    n = sum(v.population for k in scn.region.kecamatan for v in k.villages) if scn.region.kecamatan else "synthetic"
    n_txt = f"{n:,}" if isinstance(n, int) else n
    print(f"OK: {args.target}: {scn.name!r}, {n_txt} villagers, {scn.total_days} days, policy {'+'.join(scn.policy.presets)}")
    return 0


def cmd_policies(_args: argparse.Namespace) -> int:
    for name in PRESETS:
        print(f"{name:20s} {DESCRIPTIONS[name]}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Serve the app on this machine; refuse (with the command to run) when the offline assets are
    missing, since the page would otherwise stay blank."""
    import os
    import socket

    from siaga.assets import cache_dir, missing_assets

    if missing_assets():
        raise ValueError(
            f"the app's offline front-end files are missing from {cache_dir()}, so the page would stay blank; "
            "prepare them once with `siaga assets` (needs the npm registry), then run `siaga ui` again"
        )
    if not 1 <= args.port <= 65535:
        raise ValueError(f"--port {args.port}: choose a port between 1 and 65535")
    with socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET) as probe:
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            raise OSError(f"cannot serve on {args.host}:{args.port} ({exc.strerror or exc}); is another app using it? try --port {args.port + 1}") from None
    extra = []
    for path in args.scenario:
        load_scenario(path)  # a bad file is refused now (ScenarioError: file, field, what is allowed)
        extra.append(str(Path(path).resolve()))
    url = f"http://{args.host}:{args.port}/"
    print(f"SIAGA app: {url}  (explorer)")
    print(f"           {url}lokakarya  (Camat workshop)   {url}fasilitator  (facilitator)")
    print("Works offline. Stop with Ctrl+C.", flush=True)
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
    # a closed tab's session (and its ~35 MB model) is freed after 2 hours, not Solara's 24
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "2h")
    if extra:
        env["SIAGA_APP_SCENARIOS"] = os.pathsep.join(extra)
    cmd = [sys.executable, "-m", "solara", "run", "siaga.app.page", "--host", args.host, "--port", str(args.port), "--production", "--no-open"]
    sys.stdout.flush()
    # become the server (no child left behind when this process is stopped); Ctrl+C stops it
    os.execve(sys.executable, cmd, env)
    return 0  # not reached


def cmd_assets(args: argparse.Namespace) -> int:
    from siaga.assets import AssetError, cache_dir, missing_assets, prepare

    if args.check:
        missing = missing_assets()
        print(f"{cache_dir()}: " + ("ready for offline use" if not missing else f"missing {', '.join(missing)}; run `siaga assets`"))
        return 0 if not missing else 1
    print(f"Preparing the app's offline front-end files in {cache_dir()} (from the npm registry, once):")
    try:
        folder = prepare(force=args.force)
    except AssetError as exc:
        print(f"siaga: error: {exc}", file=sys.stderr)
        return 1
    print(f"Done: {folder} holds everything the app needs; `siaga ui` now works offline.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="siaga",
        description="SIAGA: simulate social conflict around an Indonesian election, and how early action by Kades, police and the Camat dampens it.",
        epilog="Start with `siaga run` to run the default scenario (Kecamatan Kepahiang, Pilkada 2024); results go to siaga-output/.",
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("run", help="run one scenario and write its results", description="Run one scenario with one seed: print a progress bar and a summary, and write tables, charts and a manifest to a results folder.")
    r.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help=f"library name or TOML file (default: {DEFAULT_SCENARIO})")
    r.add_argument("--seed", type=int, default=None, help="random seed (default: the scenario's); same seed, same results")
    r.add_argument("--policy", action="append", metavar="PRESET", help="intervention preset; repeat to combine (see `siaga policies`)")
    r.add_argument("--days", type=int, default=None, help="simulate only the first N days of the calendar")
    r.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="change one scenario value, e.g. --set dynamics.tension.decay=0.1")
    r.add_argument("--out", default=None, help="folder for results (default: siaga-output/<scenario>_seed<seed>_<policy>)")
    r.add_argument("--no-write", action="store_true", help="only print the summary; write no files")
    r.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="table format (default: parquet)")
    r.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser("scenarios", help="list, show or validate scenarios", description="Work with scenario files: list the library, show one, or validate a file.")
    s.add_argument("action", choices=("list", "show", "validate"))
    s.add_argument("target", nargs="?", help="scenario name or TOML file (for show and validate)")
    s.set_defaults(func=cmd_scenarios)

    pol = sub.add_parser("policies", help="list the intervention presets", description="List the named intervention presets that --policy accepts.")
    pol.set_defaults(func=cmd_policies)

    from siaga.cli_experiment import add_experiment_parser

    add_experiment_parser(sub)

    ui = sub.add_parser("ui", help="start the web app (explorer and Camat workshop)", description="Serve the SIAGA web app on this machine: the explorer at /, the Camat workshop at /lokakarya, the facilitator's view at /fasilitator. Runs offline once `siaga assets` has been run.")
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this machine only; 0.0.0.0 serves the hall's network)")
    ui.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    ui.add_argument("--scenario", action="append", default=[], metavar="FILE", help="add a scenario file to the app's picker (repeatable), e.g. your own kecamatan")
    ui.set_defaults(func=cmd_ui)

    a = sub.add_parser("assets", help="prepare the web app's offline front-end files (once)", description="Fetch the JavaScript/CSS the web app's page needs from the npm registry into Solara's asset cache, so `siaga ui` works with no internet.")
    a.add_argument("--check", action="store_true", help="only say whether the files are there (exit 1 if not)")
    a.add_argument("--force", action="store_true", help="fetch again even what is already there")
    a.set_defaults(func=cmd_assets)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"siaga: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (ValueError, OSError) as exc:
        print(f"siaga: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("siaga: interrupted; nothing was written for the unfinished run", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
