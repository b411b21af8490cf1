"""The event log: every hoax injection, incident, detection, report, mediation, patrol, arrest.

Events are the one record that the workshop debrief, the app's feed and researchers all read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

KINDS = (
    "hoax",
    "rally",
    "money_politics",
    "provocation",
    "incident",
    "detection",
    "report",
    "mediation",
    "counter_hoax",
    "patrol",
    "response",
    "backup_request",
    "backup",
    "backup_expired",
    "brimob_bko",
    "tim_terpadu",
    "status_move",
    "status_declared",
    "status_ended",
    "rakor",
    "arrest",
    "release",
    "result",
    "dispute",
)

COLUMNS = ["day", "date", "stage", "village", "village_code", "kind", "actors", "size", "detail"]


@dataclass
class EventLog:
    rows: list[tuple] = field(default_factory=list)

    def add(self, day: int, date, stage: str, village: str, code: str, kind: str, actors: str, size: int = 0, detail: str = "") -> None:
        self.rows.append((day, date, stage, village, code, kind, actors, int(size), detail))

    def __len__(self) -> int:
        return len(self.rows)

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=COLUMNS)
        df["date"] = pd.to_datetime(df["date"])
        return df
