"""`siaga exercise list|check`: what a facilitator runs to see the ready exercises and check a file."""

from __future__ import annotations

import argparse

RAW = argparse.RawDescriptionHelpFormatter


def cmd_exercise(args: argparse.Namespace) -> int:
    from scenarios.exercise_schema import exercise_names, get_exercise, load_exercise

    if args.action is None:
        args.exercise_parser.print_help()
        return 0
    if args.action == "list":
        for name in exercise_names():
            s = get_exercise(name).spec
            print(f"{name:28s} {s.title.id} / {s.title.en}  (days {s.window.start_day}-{s.last_day}, {len(s.injects)} injects)")
        return 0
    ex = load_exercise(args.file)  # ExerciseError (file, line, field, what is allowed): exit status 2
    s = ex.spec
    kinds = ", ".join(f"{k} {n}" for k, n in sorted({i.kind: sum(1 for j in s.injects if j.kind == i.kind) for i in s.injects}.items()))
    print(f"{args.file}: valid. {s.title.en}: {ex.scenario.name}, seed {s.seed}, evenings of days {s.window.start_day}-{s.last_day}, "
          f"budget {s.budget:g} person-days, {len(s.objectives)} objectives, {len(s.injects)} injects ({kinds or 'none'})")
    return 0


def add_exercise_parser(sub) -> None:
    e = sub.add_parser(
        "exercise", help="the Camat workshop's exercise files: list them, check one", formatter_class=RAW,
        description=(
            "An exercise file sets up a Camat workshop: scenario, seed, the days at the desk, the budget, the\n"
            "objectives, a briefing and the events that happen on given days (docs/EXERCISES.md). Pick one in\n"
            "the workshop's start form by its title."
        ),
        epilog="Examples:\n  siaga exercise list\n  siaga exercise check my_exercise.toml",
    )
    e.set_defaults(func=cmd_exercise, action=None, exercise_parser=e)
    esub = e.add_subparsers(dest="action", metavar="ACTION")
    esub.add_parser(
        "list", help="list the exercises that come with SIAGA", formatter_class=RAW,
        description="List the ready exercises that come with SIAGA, with their titles and days.",
        epilog="Example:\n  siaga exercise list",
    )
    ec = esub.add_parser(
        "check", help="check an exercise file without running it", formatter_class=RAW,
        description=(
            "Check an exercise file without running it. If something is wrong, the message names the file,\n"
            "the line, the field and what is allowed; if all is well it says what the exercise holds."
        ),
        epilog="Example:\n  siaga exercise check my_exercise.toml",
    )
    ec.add_argument("file", help="the exercise file (.toml) to check")
