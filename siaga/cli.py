"""`siaga`: the command line.

Bad input never ends in a traceback: scenario and parameter errors print one clear message
naming the file (or the option), the field and what is allowed, and exit with status 2.

Only the standard library and `scenarios.errors` are imported here, so that `siaga --help` (and
every `siaga COMMAND --help`) answers at once: the model, Mesa, pandas, matplotlib, rich, the
experiment engine, Solara, Dask and SALib are imported inside the command that needs them.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from scenarios import DEFAULT_SCENARIO
from scenarios.errors import ScenarioError
from siaga.cli_calibrate import add_calibrate_parser
from siaga.cli_exercise import add_exercise_parser
from siaga.cli_experiment import add_experiment_parser
from siaga.cli_new import add_new_parser

EXIT_BAD_INPUT = 2
MAX_SEED = 2**63 - 1  # scenarios/schema.py `Scenario.seed`
# `--set` keys that are SiagaModel keywords, not scenario fields: what to use instead
NOT_SCENARIO_FIELDS = {
    "scenario": "name the scenario as the first argument instead: siaga run {value}",
    "rng": "the random seed is the scenario field `seed`: use --seed {value} (or --set seed={value})",
}

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
    return {key: value for key, (value, _) in _parse_set_items(items).items()}


def _parse_set_items(items: list[str]) -> dict[str, tuple[Any, str]]:
    """{key: (value, the `--set` option as given)}; a later `--set` of the same key wins."""
    from scenarios.loader import check_nesting

    out: dict[str, tuple[Any, str]] = {}
    for item in items:
        if "=" not in item:
            raise ScenarioError(f"--set {item!r}: expected KEY=VALUE, e.g. dynamics.tension.decay=0.1")
        key, raw = item.split("=", 1)
        key = key.strip()
        if not key:
            raise ScenarioError(f"--set {item!r}: expected KEY=VALUE with a key before the '=', e.g. dynamics.tension.decay=0.1")
        check_nesting(f"v = {raw}", f"--set {item}")  # before tomllib, which would recurse through it
        try:
            value = tomllib.loads(f"v = {raw}")["v"]
        except tomllib.TOMLDecodeError:
            value = raw  # a bare word: treat as a string
        out[key] = (value, item)
    return out


def run_overrides(args: argparse.Namespace) -> tuple[dict[str, Any], dict[str, str]]:
    """The scenario overrides of `siaga run` and, for each, the option a message names.

    `--set seed=N` and `--set days=N` set the scenario's own `seed` and `days`; `--set policy=NAME`
    (or a list of names) is `policy.presets`. `--seed`, `--days` and `--policy` win over `--set`
    of the same value. `scenario` and `rng` are not scenario fields and are refused."""
    from scenarios.loader import keyword_override

    overrides: dict[str, Any] = {}
    labels: dict[str, str] = {}
    for key, (value, item) in _parse_set_items(args.set).items():
        if key in NOT_SCENARIO_FIELDS:
            shown = item.split("=", 1)[1]
            raise ScenarioError(f"--set {item}: field `{key}`: not a scenario field; {NOT_SCENARIO_FIELDS[key].format(value=shown)}")
        if key == "policy" and not isinstance(value, dict):  # --set policy=joint: the presets, as the keyword
            key, value = keyword_override(key, value)
        overrides[key] = value
        labels[key] = f"--set {item}"
    if args.seed is not None:
        overrides["seed"], labels["seed"] = args.seed, f"--seed {args.seed}"
    if args.days is not None:
        overrides["days"], labels["days"] = args.days, f"--days {args.days}"
    if args.policy:
        overrides["policy.presets"] = list(args.policy)
        labels["policy.presets"] = " ".join(f"--policy {p}" for p in args.policy)
    return overrides, labels


def seed_option(text: str) -> int:
    """`--seed`: a whole number from 0 to 2^63-1, as the scenario's `seed` allows."""
    try:
        seed = int(text.strip().replace("_", ""), 10)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number; allowed: 0 to {MAX_SEED:,} (2^63-1)") from None
    if not 0 <= seed <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"{text} is out of range; allowed: 0 to {MAX_SEED:,} (2^63-1)")
    return seed


def default_out(scenario: str, model) -> Path:
    """siaga-output/<scenario>_seed<seed>_<policy>: one folder per run, never overwriting another's."""
    stem = Path(str(scenario)).stem
    return Path("siaga-output") / f"{stem}_seed{model.seed}_{'+'.join(model.policy.presets)}"


def _fmt(key: str, value: Any, model=None) -> str:
    if key == "peak_mobilised_share":
        return f"{100 * value:.2f} %"
    if key == "margin":
        return "n/a" if isinstance(value, float) and math.isnan(value) else f"{100 * value:.1f} points"
    if key == "disputed":
        if model is not None and model.races.n > 1:
            return f"{value} of {model.races.n} races"
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

    from scenarios.loader import expand_dotted, load_scenario
    from simulation.model import SiagaModel

    console = Console(stderr=False)
    overrides, labels = run_overrides(args)
    expand_dotted(overrides, "--set")  # `--set a=1 --set a.b=2`: named as the options, not a file
    # validated here, so that a refused value is blamed on the option that gave it
    spec = load_scenario(args.scenario, overrides, labels=labels)
    if (args.scheduler or args.local_cluster) and not args.partition:
        raise ValueError("--scheduler and --local-cluster run the kab/kota models of --partition kabupaten; add it")
    if args.local_cluster is not None and args.local_cluster < 1:
        raise ValueError(f"--local-cluster {args.local_cluster}: give at least 1 worker")
    if args.partition:
        if args.export:
            raise ValueError("--export is not available with --partition yet")
        from siaga.cli_partition import run_partitioned

        return run_partitioned(args, spec, console)
    exports = None
    if args.export:
        from siaga.exports import parse_exports

        exports = parse_exports(args.export)  # a wrong format is refused before the model is built
    model = SiagaModel(spec)  # its seed, days and policy are the scenario's, overrides included
    out = None
    if not args.no_write:
        out = Path(args.out) if args.out else default_out(args.scenario, model)
        from common.atomic import check_writable

        check_writable(out)  # before the run, not after it
        if exports:
            from siaga.exports import check_exports

            check_exports(model, exports)  # a region with no map, a network too large: refused now
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
        table.add_row(label, _fmt(key, outcomes[key], model))
    console.print(table)
    if out is not None:
        from siaga.output import write_run

        written = write_run(model, out, fmt=args.format, charts=not args.no_charts, exports=exports)
        console.print(f"Wrote {len(written)} files to [bold]{out}[/bold]: " + ", ".join(p.name for p in written))
    return 0


def cmd_scenarios(args: argparse.Namespace) -> int:
    from scenarios.loader import library_dir, library_names, load_dict, load_scenario, resolve

    if args.action is None:
        args.scenarios_parser.print_help()
        return 0
    if args.action == "find":
        return _scenarios_find(args)
    if args.action == "new":
        return args.new_func(args)
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
    n_txt = f"{n:,} villagers" if isinstance(n, int) else f"{n} villagers"
    if isinstance(n, int) and scn.region.sampling > 1:
        from scenarios.sampling import agents_for

        agents = sum(agents_for(v.population, scn.region.sampling) for k in scn.region.kecamatan for v in k.villages)
        n_txt = f"{n:,} people as {agents:,} villager agents (one per {scn.region.sampling})"
    print(f"OK: {args.target}: {scn.name!r}, {n_txt}, {scn.total_days} days, policy {'+'.join(scn.policy.presets)}")
    return 0


def _scenarios_find(args: argparse.Namespace) -> int:
    """`siaga scenarios find QUERY`: units of the national code list by name or code, best first."""
    import geography

    if args.limit < 0:
        raise ValueError(f"--limit {args.limit}: give a number of rows, or 0 for all")
    found = geography.find(args.query, level=args.level, within=args.within, limit=args.limit or None)
    total = found.attrs["total"]
    where = f" in {args.within}" if args.within else ""
    if total == 0:
        print(f"siaga: no unit{where} matches {args.query!r}; try part of the name (e.g. `sampang`) or a code (e.g. `35.27`)", file=sys.stderr)
        return 1
    counted = f"{total} unit{where} matches" if total == 1 else f"{total} units{where} match"
    shown = "" if len(found) == total else f"; the first {len(found)} (--limit 0 shows all)"
    print(f"{counted} {args.query!r}, best first{shown}:")
    width = max(len(n) for n in found["nama"])
    for row in found.itertuples(index=False):
        print(f"  {row.kode:14s} {row.tingkat:10s} {row.nama:{width}s}  {row.induk}")
    return 0


def cmd_policies(_args: argparse.Namespace) -> int:
    from scenarios.policies import DESCRIPTIONS, PRESETS

    for name in PRESETS:
        print(f"{name:20s} {DESCRIPTIONS[name]}")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Serve the app on this machine; refuse (with the command to run) when the offline assets are
    missing, since the page would otherwise stay blank."""
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
        # as the server's own socket does (asyncio sets SO_REUSEADDR): a port whose last server
        # stopped a moment ago (connections in TIME-WAIT) is free; one that a server listens on is not
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((args.host, args.port))
        except OSError as exc:
            raise OSError(f"cannot serve on {args.host}:{args.port} ({exc.strerror or exc}); is another app using it? try --port {args.port + 1}") from None
    from scenarios.loader import load_scenario
    from siaga.app.store import ENV as DB_ENV
    from siaga.app.store import Store, default_path, masked

    db = args.db or os.environ.get(DB_ENV) or str(default_path())
    if db != ":memory:":
        Store(db).close()  # an unwritable folder, a file that is not a database, a bad or unreachable URL: refused now (StoreError)
    extra = []
    for path in args.scenario:
        load_scenario(path)  # a bad file is refused now (ScenarioError: file, field, what is allowed)
        extra.append(str(Path(path).resolve()))
    from scenarios.exercise_schema import load_exercise

    exercises = []
    for path in args.exercise:
        load_exercise(path)  # a bad exercise file is refused now, as a scenario is
        exercises.append(str(Path(path).resolve()))
    url = f"http://{args.host}:{args.port}/"
    print(f"SIAGA app: {url}  (explorer)")
    print(f"           {url}lokakarya  (Camat workshop)   {url}fasilitator  (facilitator)")
    print(f"Workshop database: {masked(db)}" + ("  (in memory: a restart forgets the sessions)" if db == ":memory:" else ""))
    pin = (args.facilitator_pin or os.environ.get("SIAGA_FACILITATOR_PIN", "")).strip()
    if not pin and args.host not in ("127.0.0.1", "localhost", "::1"):
        import secrets

        pin = f"{secrets.randbelow(10**6):06d}"  # other computers can open the page: the console needs a PIN
    if pin:
        print(f"Facilitator PIN: {pin}  (asked on {url}fasilitator)")
    print("Works offline. Stop with Ctrl+C.", flush=True)
    env = {**os.environ, "SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", DB_ENV: db, "SIAGA_FACILITATOR_PIN": pin}
    # a closed tab's session (and its ~35 MB model) is freed after 2 hours, not Solara's 24
    env.setdefault("SOLARA_KERNEL_CULL_TIMEOUT", "2h")
    if extra:
        env["SIAGA_APP_SCENARIOS"] = os.pathsep.join(extra)
    if exercises:
        env["SIAGA_APP_EXERCISES"] = os.pathsep.join(exercises)  # siaga/app/exercise_view.py
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


RAW = argparse.RawDescriptionHelpFormatter


def build_parser() -> argparse.ArgumentParser:
    """Every command's help says, in plain words, what it does, what it writes and one example."""
    p = argparse.ArgumentParser(
        prog="siaga",
        formatter_class=RAW,
        description=(
            "SIAGA simulates social conflict around an Indonesian election (Pilkada, Pemilu): how tension\n"
            "spreads between villagers, when it turns into crowds and clashes, and how much early action\n"
            "by village heads (Kades), police and the Camat calms it."
        ),
        epilog=(
            "First steps:\n"
            "  siaga run                        run the default scenario (Kecamatan Kepahiang, Pilkada 2024)\n"
            "  siaga run --policy kades_early   the same, with Kades mediating early\n"
            "  siaga ui                         open the web app and the Camat workshop\n"
            "Type `siaga COMMAND --help` for any command. docs/FIRST_HOUR.md walks through a first hour."
        ),
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser(
        "run", help="run one scenario and write its results", formatter_class=RAW,
        description=(
            "Run one scenario once (one seed): show a progress bar, print a summary of what happened\n"
            "(incidents, villages with violence, arrests, cost), and write the day-by-day tables, the event\n"
            "log, two charts and a record of what produced them to a results folder."
        ),
        epilog=(
            "Examples:\n"
            "  siaga run                                   the default scenario, results in siaga-output/\n"
            "  siaga run --policy kades_early --out hasil  Kades mediate early; results in ./hasil\n"
            "  siaga run --set policy.kades.delay_days=5 --policy kades_early   the same, 5 days later\n"
            "  siaga run my_kecamatan.toml --seed 3        your own scenario file, seed 3\n"
            "  siaga run --export gpkg,gexf                also the villages for QGIS and the networks for Gephi\n"
            "  siaga run kalsel_pilkada2020 --set officials.backup_mode=pooled --set policy.tim_terpadu.enabled=true\n"
            "                                              backup from finite Polres/Brimob pools shared by the\n"
            "                                              kabupaten, with each kabupaten's Tim Terpadu (ODD 7.13a-c)\n"
            "  siaga run kalsel_pilkada2020 --set calendar.races=kabupaten --set calendar.stagger_days=7\n"
            "                                              each kabupaten its own race, one voting a week after the\n"
            "                                              other instead of all on one day (ODD 7.1a)\n"
            "  siaga run kalsel_pilkada2020 --partition kabupaten --set officials.backup_mode=pooled --local-cluster 2\n"
            "                                              a model per kab/kota on two Dask workers (docs/CLUSTER.md)\n"
            "The same scenario and seed always give the same results."
        ),
    )
    r.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO, help=f"a scenario name from `siaga scenarios list`, or a .toml file (default: {DEFAULT_SCENARIO})")
    r.add_argument("--seed", type=seed_option, default=None, help=f"random seed, 0 to {MAX_SEED} (default: the scenario's `seed`); the same seed gives the same results; wins over --set seed=N")
    r.add_argument("--policy", action="append", metavar="NAME", help="who acts early, and when: a name from `siaga policies`; give it twice to combine two")
    r.add_argument("--days", type=int, default=None, help="simulate only the first N days of the election calendar; wins over --set days=N")
    r.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE",
        help="change one value of the scenario for this run, e.g. --set dynamics.tension.decay=0.1; any scenario field, "
        "`seed` and `days` included; --set policy=NAME means policy.presets. --seed, --days and --policy win over --set",
    )
    r.add_argument("--out", default=None, help="folder for the results (default: siaga-output/<scenario>_seed<seed>_<policy>)")
    r.add_argument("--no-write", action="store_true", help="only print the summary; write no files")
    r.add_argument("--format", choices=("parquet", "csv"), default="parquet", help="file type of the tables: parquet (default; for pandas, R, Excel Power Query) or csv")
    r.add_argument("--no-charts", action="store_true", help="do not draw the two PNG charts")
    r.add_argument(
        "--export", action="append", default=[], metavar="FORMATS",
        help="also write the villages with their results for QGIS (gpkg, geojson) and the networks for Gephi (graphml, gexf): "
        "a comma-separated list, or all; graphml and gexf write the graph of villages and the social network of the village "
        "with the most incidents, or of network=CODE (a village, or a kecamatan of up to 20,000 people); see docs/EXPORTS.md",
    )
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    r.add_argument(
        "--partition", choices=("kabupaten",), default=None,
        help="run a province as one model per kab/kota, coupled once a day through the Polda's Brimob platoons, violence "
        "next door and the tension of ties across kab/kota borders (needs officials.backup_mode=pooled; docs/CLUSTER.md); "
        "writes totals, each kab/kota's outcomes and the event log",
    )
    r.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="with --partition: run the kab/kota models on this Dask cluster, e.g. tcp://10.0.0.5:8786; the results are the same")
    r.add_argument("--local-cluster", type=int, default=None, metavar="N",
                   help="with --partition: start a local Dask cluster of N worker processes for the kab/kota models")
    r.set_defaults(func=cmd_run)

    s = sub.add_parser(
        "scenarios", help="list, show or check scenario files; find a region and make its scenario", formatter_class=RAW,
        description="A scenario is a TOML file: the region and its villages, the election calendar, the candidates,\nthe people and the policy. These commands list the ones that come with SIAGA, show one, or check yours;\n`find` gives the code of any province, kab/kota, kecamatan or village of Indonesia, and `new` writes\na scenario of it on its real map.",
        epilog="Examples:\n  siaga scenarios list\n  siaga scenarios show kepahiang_pilkada2024 > my_kecamatan.toml   start your own from the default\n  siaga scenarios validate my_kecamatan.toml\n  siaga scenarios find sampang                 the code of any province, kab/kota, kecamatan or village\n  siaga scenarios new 35.27 --out sampang.toml a scenario of Kabupaten Sampang on its real map",
    )
    s.set_defaults(func=cmd_scenarios, action=None, scenarios_parser=s)
    ssub = s.add_subparsers(dest="action", metavar="ACTION")
    sl = ssub.add_parser("list", help="list the scenarios that come with SIAGA", description="List the scenarios that come with SIAGA, grouped by region; the default is marked *.\nEach region also has variants that differ only in the policy (e.g. kepahiang_pilkada2024_joint).", formatter_class=RAW, epilog="Example:\n  siaga scenarios list\n  siaga run kepahiang_pilkada2024_joint   run one of the variants")
    sl.set_defaults(target=None)
    ss = ssub.add_parser("show", help="print a scenario file", description="Print a scenario file as it is written, with the source of every number in its comments.\nRedirect it to a file to start your own scenario from it.", formatter_class=RAW, epilog="Example:\n  siaga scenarios show kepahiang_pilkada2024 > my_kecamatan.toml")
    ss.add_argument("target", metavar="SCENARIO", help="a scenario name from `siaga scenarios list`, or a .toml file")
    sv = ssub.add_parser("validate", help="check a scenario file without running it", description="Check a scenario file without running it. If something is wrong, the message names the file,\nthe line, the field and what is allowed; if all is well it says how big the scenario is.", formatter_class=RAW, epilog="Example:\n  siaga scenarios validate my_kecamatan.toml")
    sv.add_argument("target", metavar="SCENARIO", help="a scenario name or a .toml file")
    sf = ssub.add_parser(
        "find", help="find the code of any region of Indonesia by name", formatter_class=RAW,
        description=(
            "Find provinces, kab/kota, kecamatan and desa/kelurahan of the 2025 official code list (91,599 units)\n"
            "by name or code. Case, spaces and punctuation do not matter; exact names come first, then names\n"
            "that start with the words, then names that contain them; higher levels first. Each line gives\n"
            "the code, the level, the name and the units above it."
        ),
        epilog=(
            "Examples:\n"
            "  siaga scenarios find sampang                      Kabupaten Sampang (35.27), kecamatan and desa Sampang\n"
            "  siaga scenarios find sampang --level kecamatan    only kecamatan\n"
            "  siaga scenarios find pasar --in 35.27             only inside Kabupaten Sampang\n"
            "  siaga scenarios find 17.08.04                     a code and the units under it"
        ),
    )
    sf.add_argument("query", metavar="QUERY", help="a name or part of one (\"kota baru\", \"kab sampang\"), or a code or its beginning (35.27)")
    sf.add_argument("--level", choices=("provinsi", "kabupaten", "kota", "kecamatan", "desa", "kelurahan"), default=None, help="only units of this level")
    sf.add_argument("--in", dest="within", metavar="CODE", default=None, help="only units under this code, e.g. --in 35 for Jawa Timur")
    sf.add_argument("--limit", type=int, default=20, metavar="N", help="show at most N units (default: 20; 0: all)")
    sf.set_defaults(target=None)
    add_new_parser(ssub, seed_option)

    pol = sub.add_parser(
        "policies", help="list the intervention policies (who acts early, and when)", formatter_class=RAW,
        description="List the named policies that `siaga run --policy NAME` accepts: who intervenes (Kades, police,\nCamat, counter-hoax), at which alert level and after how many days.",
        epilog="Examples:\n  siaga policies\n  siaga run --policy kades_early --policy counter_hoax   two policies combined",
    )
    pol.set_defaults(func=cmd_policies)

    add_experiment_parser(sub)
    add_calibrate_parser(sub)
    add_exercise_parser(sub)

    ui = sub.add_parser(
        "ui", help="open the web app: explorer and Camat workshop", formatter_class=RAW,
        description=(
            "Start the SIAGA web app on this machine and print its addresses: the explorer at /, the Camat\n"
            "workshop at /lokakarya and the facilitator's view at /fasilitator. Open the address in a browser.\n"
            "It needs no internet once `siaga assets` has been run. Stop it with Ctrl+C."
        ),
        epilog="Examples:\n  siaga ui                       only this computer can open it\n  siaga ui --host 0.0.0.0        participants' laptops on the hall's network can open it too\n  siaga ui --db kursus.sqlite    keep this course's sessions in its own file",
    )
    ui.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1, this computer only; 0.0.0.0 for the hall's network)")
    ui.add_argument("--port", type=int, default=8765, help="port (default: 8765)")
    ui.add_argument("--scenario", action="append", default=[], metavar="FILE", help="add your own scenario file to the app's list (may be given several times)")
    ui.add_argument("--exercise", action="append", default=[], metavar="FILE", help="add your own exercise file to the workshop's list (may be given several times)")
    ui.add_argument("--facilitator-pin", metavar="PIN", help="PIN or password that opens /fasilitator (default: $SIAGA_FACILITATOR_PIN; none on 127.0.0.1, a random one printed at start with another --host)")
    ui.add_argument("--db", metavar="FILE|URL", help="the workshop database: sessions, trainees, orders, results. A file (SQLite) or a database URL shared by several servers: sqlite:///FILE, postgresql+psycopg://USER:PASSWORD@HOST/DB (pip install 'siaga[postgres]'), mysql+pymysql://... (default: $SIAGA_DB, else ~/.local/share/siaga/workshop.sqlite; :memory: keeps nothing)")
    ui.set_defaults(func=cmd_ui)

    a = sub.add_parser(
        "assets", help="prepare the web app to work offline (run once)", formatter_class=RAW,
        description="Download, once, the JavaScript and CSS files the web app's page needs (from the npm registry)\nand keep them on this machine, so that `siaga ui` works without internet, e.g. in a workshop hall.",
        epilog="Example:\n  siaga assets --check   say whether the files are already there",
    )
    a.add_argument("--check", action="store_true", help="only say whether the files are there (exit status 1 if not)")
    a.add_argument("--force", action="store_true", help="download again even the files already there")
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
    except BrokenPipeError:  # output piped into `head` or a closed pager: not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, OSError) as exc:
        print(f"siaga: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("siaga: interrupted; nothing was written for the unfinished run", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
