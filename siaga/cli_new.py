"""`siaga scenarios new CODE`: write a scenario of any region of Indonesia (scenarios/new.py).

Only the standard library is imported here; the geography and the scenario builder are imported
when the command runs, so that `siaga --help` stays fast."""

from __future__ import annotations

import argparse
import time

ELECTION_CHOICES = "pilkada2024, pilkada2020, pilkada2015, pemilu2024 or a voting day YYYY-MM-DD"


def cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from scenarios.new import build, check_target, default_out, write

    started = time.perf_counter()
    out = Path(args.out) if args.out else None
    if out is not None and not out.is_dir():
        check_target(out, args.force)  # before minutes of work, not after
    built = build(args.code, election=args.election, candidates=args.candidates, populations=args.populations,
                  risk=args.risk, name=args.name, seed=args.seed, command=_command(args))
    if out is None:
        check_target(default_out(built), args.force)
    path = write(built, out, force=args.force)
    extra = []
    if built.from_csv:
        extra.append(f"{built.from_csv:,} populations from {args.populations}")
    if args.risk:
        extra.append(f"{built.hotspots:,} hotspot villages from {args.risk}")
    villages = f"{built.villages:,} village{'s' if built.villages != 1 else ''}"
    print(f"Wrote {path}: {built.title!r}, {built.kecamatan:,} kecamatan, {villages}, {built.people:,} people"
          + (f"; {'; '.join(extra)}" if extra else "") + f" ({time.perf_counter() - started:.1f} s).")
    for note in built.notes:
        print(f"  {note}")
    print(f"Check it with `siaga scenarios validate {path}`, run it with `siaga run {path}`.")
    return 0


def _command(args: argparse.Namespace) -> str:
    """The command as typed, for the file's header (without --out and --force, which do not change the file)."""
    import shlex

    parts = ["siaga", "scenarios", "new", args.code]
    if args.election:
        parts += ["--election", args.election]
    if args.candidates != 2:
        parts += ["--candidates", str(args.candidates)]
    if args.populations:
        parts += ["--populations", args.populations]
    if args.risk:
        parts += ["--risk", args.risk]
    if args.name:
        parts += ["--name", args.name]
    if args.seed is not None:
        parts += ["--seed", str(args.seed)]
    return " ".join(shlex.quote(p) for p in parts)


def add_new_parser(ssub, seed_option) -> None:
    """`siaga scenarios new` under `siaga scenarios`."""
    raw = argparse.RawDescriptionHelpFormatter
    sn = ssub.add_parser(
        "new", help="write a scenario of any province, kab/kota, kecamatan or village, on its real map", formatter_class=raw,
        description=(
            "Write a scenario file of any region of Indonesia: every desa/kelurahan under CODE with its real\n"
            "name, code, position, area and neighbours, grouped into its kecamatan; the population of its\n"
            "kab/kota (Dukcapil 2024) spread over the villages (kelurahan count 1.5x, assumed) or taken from\n"
            "your CSV; a kecamatan seat and a Polres seat (assumed rules); the election calendar; N candidate\n"
            "pairs with even shares. Everything else is the default scenario's. The file says which values\n"
            "are sourced and which assumed. A region too large for this computer's memory is refused.\n"
            "docs/REGIONS.md explains every rule."
        ),
        epilog=(
            "Examples:\n"
            "  siaga scenarios find sampang                           find the code first\n"
            "  siaga scenarios new 35.27 --out sampang.toml           Kabupaten Sampang, Pilkada 2024\n"
            "  siaga scenarios new 35.27.03 --election pemilu2024     one kecamatan, Pemilu 2024\n"
            "  siaga scenarios new 17.08 --election 2029-11-28 --candidates 3\n"
            "  siaga scenarios new 35.27 --populations desa.csv       your own village populations (kode,penduduk)\n"
            "  siaga scenarios new 35.27 --risk ikp.csv --seed 7      hotspots from risk scores (kode,skor)\n"
            "  siaga run sampang.toml                                 then run it"
        ),
    )
    sn.add_argument("code", metavar="CODE", help="the code of a province (35), kab/kota (35.27), kecamatan (35.27.03) or village (35.27.03.2001)")
    sn.add_argument("--election", default=None, metavar="NAME|DATE", help=f"the election's calendar: {ELECTION_CHOICES} (default: pilkada2024); a date puts the Pilkada 2024 stages around that voting day (assumed)")
    sn.add_argument("--candidates", type=int, default=2, metavar="N", help="number of candidate pairs, 1 to 12, with even expected shares (assumed; default: 2)")
    sn.add_argument("--out", default=None, metavar="FILE", help="the scenario file to write (default: <region>_<election>.toml in this folder; a folder: that file in it)")
    sn.add_argument("--populations", default=None, metavar="CSV", help="village populations, a CSV with columns kode,penduduk; villages it does not list keep the rule's value")
    sn.add_argument("--risk", default=None, metavar="CSV", help="risk scores 0-100 per kab/kota or kecamatan (e.g. Bawaslu's IKP), columns kode,skor: they mark hotspot villages (docs/REGIONS.md)")
    sn.add_argument("--name", default=None, metavar="TEXT", help="the scenario's name (default: '<region>, <election>')")
    sn.add_argument("--seed", type=seed_option, default=None, metavar="N", help="the scenario's seed, which also chooses the --risk hotspots (default: the voting date, e.g. 20241127)")
    sn.add_argument("--force", action="store_true", help="overwrite the file if it exists")
    sn.set_defaults(target=None, new_func=cmd_new)
