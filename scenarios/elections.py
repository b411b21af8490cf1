"""Election calendars (tahapan): the named elections `siaga scenarios new --election` knows, and any
voting day on the Pilkada 2024 pattern.

A calendar here is the dates of the default scenario's nine stages (voter data, candidacy,
campaign, quiet period, voting, counting, determination, disputes, aftermath) around one voting
day, with the comment that says where the dates come from. The stages' multipliers (contact,
trigger rate, stakes, hoax, money politics, ...) are always the default scenario's (assumed, see
its file); `stages_toml` writes them with a calendar's dates. The library's seed regions
(`scenarios/build_library.py`) take their calendars from here too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from scenarios.errors import ScenarioError
from scenarios.toml_text import fmt, toml_str

DAY = dt.timedelta(days=1)
STAGES = ("voter_data", "candidacy", "campaign", "quiet_period", "voting", "counting", "determination", "disputes", "aftermath")


def pilkada_calendar(voting: dt.date, campaign: tuple[dt.date, dt.date], candidacy: dt.date, result: dt.date,
                     start: dt.date, end: dt.date, disputes_end: dt.date, labels: dict[str, str]) -> dict[str, Any]:
    """Stage dates around one voting day (the stage multipliers are the default scenario's)."""
    spans = {
        "voter_data": (start, candidacy - DAY),
        "candidacy": (candidacy, campaign[0] - DAY),
        "campaign": campaign,
        "quiet_period": (campaign[1] + DAY, voting - DAY),
        "voting": (voting, voting),
        "counting": (voting + DAY, result - DAY),
        "determination": (result, result + 13 * DAY),
        "disputes": (result + 14 * DAY, disputes_end),
        "aftermath": (disputes_end + DAY, end),
    }
    return {"start": start, "end": end, "voting_day": voting, "result_day": result, "spans": spans, "labels": labels}


@dataclass(frozen=True)
class Election:
    """One election: its calendar, its label (`calendar.election`), a title and the comment on the dates."""

    key: str
    title: str
    election: str
    calendar: dict[str, Any] = field(repr=False)
    note: str = field(repr=False)

    @property
    def voting_day(self) -> dt.date:
        return self.calendar["voting_day"]

    @property
    def seed(self) -> int:
        """The library's convention: the voting date as a number (20241127)."""
        return int(self.voting_day.strftime("%Y%m%d"))


PILKADA2024 = pilkada_calendar(
    voting=dt.date(2024, 11, 27), campaign=(dt.date(2024, 9, 25), dt.date(2024, 11, 23)), candidacy=dt.date(2024, 9, 22),
    result=dt.date(2024, 12, 5), start=dt.date(2024, 9, 1), end=dt.date(2025, 2, 28), disputes_end=dt.date(2025, 2, 24),
    labels={},
)

ELECTIONS: dict[str, Election] = {
    "pilkada2024": Election(
        "pilkada2024", "Pilkada 2024", "Pilkada", PILKADA2024,
        "# Pilkada 2024 tahapan (PKPU 2/2024 [D10]), the default scenario's dates: campaign 25 Sep - 23 Nov 2024, masa tenang\n"
        "# 24-26 Nov, voting 27 Nov; result_day 5 Dec assumed (kabupaten plenaries 4-6 Dec [D11]); MK rulings by 24 Feb 2025 [D12].",
    ),
    "pilkada2020": Election(
        "pilkada2020", "Pilkada 2020", "Pilkada",
        pilkada_calendar(
            voting=dt.date(2020, 12, 9), campaign=(dt.date(2020, 9, 26), dt.date(2020, 12, 5)), candidacy=dt.date(2020, 9, 23),
            result=dt.date(2020, 12, 18), start=dt.date(2020, 9, 1), end=dt.date(2021, 3, 31), disputes_end=dt.date(2021, 3, 24),
            labels={},
        ),
        "# Voting day 9 Dec 2020 ([D19]). Other dates RECALLED from PKPU 5/2020 as amended (campaign 26 Sep - 5 Dec,\n"
        "# masa tenang 6-8 Dec; recap and MK window approximate), not in the sources of docs/ODD.md §10.2.",
    ),
    "pilkada2015": Election(
        "pilkada2015", "Pilkada 2015", "Pilkada",
        pilkada_calendar(
            voting=dt.date(2015, 12, 9), campaign=(dt.date(2015, 8, 27), dt.date(2015, 12, 5)), candidacy=dt.date(2015, 8, 24),
            result=dt.date(2015, 12, 18), start=dt.date(2015, 8, 1), end=dt.date(2016, 2, 29), disputes_end=dt.date(2016, 2, 24),
            labels={},
        ),
        "# Voting day 9 Dec 2015 ([D19]). Other dates RECALLED from PKPU 2/2015 as amended (campaign 27 Aug - 5 Dec,\n"
        "# masa tenang 6-8 Dec; recap and MK window approximate), not in the sources of docs/ODD.md §10.2.",
    ),
    "pemilu2024": Election(
        "pemilu2024", "Pemilu 2024", "Pemilu",
        pilkada_calendar(
            voting=dt.date(2024, 2, 14), campaign=(dt.date(2023, 11, 28), dt.date(2024, 2, 10)), candidacy=dt.date(2023, 11, 13),
            result=dt.date(2024, 2, 22), start=dt.date(2023, 11, 1), end=dt.date(2024, 4, 30), disputes_end=dt.date(2024, 4, 22),
            labels={"candidacy": "Penetapan paslon / DCT", "determination": "Penetapan hasil nasional", "disputes": "Sengketa PHPU di MK"},
        ),
        "# Pemilu 2024 (PKPU 3/2022 [D33]): campaign 28 Nov 2023 - 10 Feb 2024, masa tenang 11-13 Feb, voting 14 Feb,\n"
        "# recap 15 Feb - 20 Mar 2024. result_day 22 Feb is assumed: the kabupaten-level result known 8 days after voting,\n"
        "# as in the default scenario (the national determination was 20 Mar). Penetapan paslon 13 Nov 2023 and the MK\n"
        "# ruling 22 Apr 2024 are RECALLED, not in the sources of docs/ODD.md §10.2.",
    ),
}
DEFAULT_ELECTION = "pilkada2024"
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def shifted(voting: dt.date) -> Election:
    """An election on `voting`: the Pilkada 2024 stages moved as a block so that voting day falls on
    it (every other date assumed)."""
    shift = voting - PILKADA2024["voting_day"]
    cal = {
        "start": PILKADA2024["start"] + shift, "end": PILKADA2024["end"] + shift, "voting_day": voting,
        "result_day": PILKADA2024["result_day"] + shift, "labels": {},
        "spans": {name: (a + shift, b + shift) for name, (a, b) in PILKADA2024["spans"].items()},
    }
    note = (
        f"# Voting day {voting.isoformat()} (given with --election). Every other date is ASSUMED: the Pilkada 2024\n"
        f"# tahapan (PKPU 2/2024 [D10]) moved by {shift.days:+,} days (start 87 days before voting, a 60-day campaign ending\n"
        "# 4 days before voting, a 3-day masa tenang, result 8 days after voting, the MK window to 89 days after voting).\n"
        "# Put in the real dates of this election's PKPU where you know them."
    )
    return Election(voting.isoformat(), f"Pemilihan {voting.isoformat()}", "Pilkada", cal, note)


def election(option: str | None) -> Election:
    """The election `--election` names: a key of ELECTIONS, or a voting day YYYY-MM-DD."""
    text = (option or DEFAULT_ELECTION).strip().lower().replace(" ", "")
    if text in ELECTIONS:
        return ELECTIONS[text]
    if DATE_RE.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError as exc:
            raise ScenarioError(f"--election {option}: not a date ({exc}); give a voting day as YYYY-MM-DD") from None
        if not dt.date(1955, 1, 1) <= day <= dt.date(2100, 12, 31):
            raise ScenarioError(f"--election {option}: give a voting day between 1955 and 2100")
        return shifted(day)
    raise ScenarioError(
        f"--election {option}: unknown election; choose {', '.join(ELECTIONS)} or a voting day as YYYY-MM-DD (e.g. 2029-11-28)"
    )


def calendar_toml(e: Election, base: dict[str, Any], overrides: dict[str, Any] | None = None) -> list[str]:
    """The `[calendar]` table and its `[[calendar.stages]]` for `e`, the stages' multipliers from
    `base` (the default scenario's dict), `overrides` {stage: {key: (value, why)}} changing some."""
    cal = e.calendar
    lines = [e.note, "[calendar]", f"election = {toml_str(e.election)}", f"start = {cal['start']}", f"end = {cal['end']}",
             f"voting_day = {cal['voting_day']}", f"result_day = {cal['result_day']}", ""]
    return lines + stages_toml(cal, base, overrides or {})


def stages_toml(cal: dict[str, Any], base: dict[str, Any], overrides: dict[str, Any]) -> list[str]:
    """The base scenario's stages with `cal`'s dates and labels."""
    lines = []
    for stage in base["calendar"]["stages"]:
        start, end = cal["spans"][stage["name"]]
        lines.append("[[calendar.stages]]")
        changed = overrides.get(stage["name"], {})
        for key, value in stage.items():
            if key in changed:
                lines.append(f"{key} = {fmt(changed[key][0])}  # {changed[key][1]}")
                continue
            if key == "start":
                value = start
            elif key == "end":
                value = end
            elif key == "label":
                value = cal["labels"].get(stage["name"], value)
            lines.append(f"{key} = {fmt(value)}")
        lines.append("")
    return lines
