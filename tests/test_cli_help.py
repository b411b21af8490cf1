"""`siaga --help` and every command's help: plain words, an example for each, and examples that work.

A help text is for an analyst or a facilitator, not for the programmer: each command says what it
does in sentences, every option has a description, each command shows at least one example, and
every example parses as a real command line (so examples cannot rot when options change).
"""

from __future__ import annotations

import argparse
import re
import shlex

import pytest

from siaga.cli import build_parser

# words a help text must not lean on: programmer's vocabulary or unexplained abbreviations
JARGON = re.compile(r"\b(kwargs?|argv|stdout|stderr|stdin|CRN|LHS|dict|bool|NoneType|None|True|False|repr|traceback|subprocess|pickle)\b")


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            yield from action.choices.items()


def all_commands() -> list[tuple[str, argparse.ArgumentParser]]:
    root = build_parser()
    out = [("siaga", root)]
    for name, sub in _subparsers(root):
        out.append((f"siaga {name}", sub))
        for name2, sub2 in _subparsers(sub):
            out.append((f"siaga {name} {name2}", sub2))
    return out


COMMANDS = all_commands()


def test_every_command_is_covered():
    names = {n for n, _ in COMMANDS}
    for expected in ("siaga run", "siaga scenarios list", "siaga scenarios show", "siaga scenarios validate", "siaga policies",
                     "siaga experiment run", "siaga experiment report", "siaga experiment sensitivity", "siaga ui", "siaga assets"):
        assert expected in names, f"{expected} has no parser of its own, so it has no help of its own"


@pytest.mark.parametrize("name,parser", COMMANDS, ids=[n for n, _ in COMMANDS])
def test_help_is_in_plain_words(name, parser, capsys):
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(["--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    description = parser.description or ""
    sentences = [s for s in re.split(r"(?<=[.!?])\s", description) if len(s.split()) >= 5]
    assert sentences, f"`{name} --help` does not say in a sentence what it does: {description!r}"
    assert not JARGON.search(text), f"`{name} --help` uses jargon: {JARGON.search(text).group(0)!r}"
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                assert choice.help and len(choice.help.split()) >= 3, f"`{name}`: {choice.dest} has no plain description"
            continue
        if action.dest == "help":
            continue
        assert action.help and len(action.help.split()) >= 3, f"`{name}`: option {action.option_strings or action.dest} has no description"
    assert max(len(line) for line in text.splitlines()) <= 110, f"`{name} --help` has lines too wide for a terminal"


def _examples(parser: argparse.ArgumentParser) -> list[str]:
    lines = []
    for line in (parser.epilog or "").splitlines():
        # an example line: indented `siaga ...`, then optionally two spaces and a comment, or a redirection
        m = re.match(r"\s+(siaga\b[^>#]*?)(?:\s{2,}.*|\s*[>#].*)?$", line)
        if m:
            lines.append(m.group(1).strip())
    return lines


@pytest.mark.parametrize("name,parser", [(n, p) for n, p in COMMANDS if n != "siaga scenarios"], ids=[n for n, _ in COMMANDS if n != "siaga scenarios"])
def test_every_command_shows_an_example_that_parses(name, parser):
    examples = _examples(parser)
    if name == "siaga":
        assert len(examples) >= 3
    else:
        assert any(e.startswith(name) for e in examples), f"`{name} --help` shows no example of itself: {examples}"
    root = build_parser()
    for example in examples:
        args = shlex.split(example)[1:]
        try:
            ns = root.parse_args(args)
        except SystemExit as exc:  # argparse rejected it
            pytest.fail(f"the example `{example}` in `{name} --help` is not a valid command ({exc})")
        assert ns.command == args[0]


def test_scenarios_without_an_action_prints_its_help(capsys):
    from siaga.cli import main

    assert main(["scenarios"]) == 0
    assert "validate" in capsys.readouterr().out
