"""What a run reports, declared once: daily reporters (the DataCollector's), per-village results
and the per-run outcomes. The CLI, experiments and the app all read these and nothing else."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from common.levels import ALERT_LEVELS, Escalation, Rumour

if TYPE_CHECKING:
    from simulation.model import SiagaModel

DAILY = (
    "day",
    "calm",
    "tense",
    "mobilised",
    "violent",
    "detained",
    "spreaders",
    "mean_tension",
    "mean_grievance",
    "mean_legitimacy",
    "incidents",
    "participants",
    "arrests",
    "police_present",
    "officer_days",
    "mediations",
    "villages_aman",
    "villages_waspada",
    "villages_siaga",
    "villages_awas",
)

# outcome name -> short description (shown in the CLI summary and docs/ODD.md §4.11)
OUTCOMES: dict[str, str] = {
    "incidents": "violent incidents (clashes, protests turned violent and, when switched on, campaign violence §7.22)",
    "incident_participants": "people taking part in incidents, summed",
    "largest_incident": "participants in the largest incident",
    "incidents_reported": "incidents a newspaper-coded data set (ACLED, SNPK) would record (§7.23)",
    "deaths": "people killed in incidents (§7.21)",
    "injured": "people injured in incidents (§7.21)",
    "buildings_damaged": "buildings damaged in incidents (§7.21)",
    "villages_with_violence": "villages with at least one incident",
    "peak_mobilised_share": "highest share of the population mobilised on one day",
    "first_incident_day": "day of the first incident (NaN if none)",
    "first_incident_date": "date of the first incident ('' if none)",
    "unrest_days": "days with an incident or more than 1% mobilised",
    "arrests": "people detained",
    "voting_disrupted_villages": "villages with an incident on voting or counting days",
    "officer_days": "person-days of officials' deployment (all roles)",
    "intervention_cost": "person-days of proactive work beyond the reactive baseline: Kades mediation, mediation teams, rakor, counter-hoax, patrols, reconciliation",
    "final_mean_legitimacy": "mean perceived legitimacy on the last day",
    "margin": "winner's margin over the runner-up (vote share; with a race per kabupaten, the mean over them)",
    "disputed": "1 if the losing side took the result to the MK (with a race per kabupaten: how many did)",
    "hoax_injections": "hoaxes seeded by supporter groups",
    "backup_requests": "asks for backup from above the Polsek (§7.13a)",
    "backup_granted": "asks for backup granted",
    "backup_wait_days": "mean days from an ask to its grant (NaN if none granted)",
    "backup_unmet": "asks for backup given up or still waiting at the end",
    "conflict_status_days": "kabupaten-days under a Status Keadaan Konflik (§7.13c)",
}

PROACTIVE_ROLES = ("kades", "mediation_team", "rakor", "counter_hoax", "patrol", "recovery", "tim_terpadu")


def today_value(model: SiagaModel, key: str) -> Any:
    """One value of the model's daily row (used through a picklable `partial`)."""
    return model.daily[key]


def model_reporters() -> dict[str, partial]:
    return {k: partial(today_value, key=k) for k in DAILY}


def daily_row(model: SiagaModel, incidents: int, participants: int, arrests: int,
              spreaders: np.ndarray | None = None) -> dict[str, Any]:
    """The day's row of the time series. `spreaders`: today's spreaders as the hoax phase left
    them (the same count as scanning everyone's rumour state, which nothing changes after it)."""
    p, v = model.people, model.villages
    n = p.n
    n_spreaders = np.count_nonzero(p.rumour == int(Rumour.SPREADER)) if spreaders is None else len(spreaders)
    # one count per state: several times faster than np.bincount on an int8 array of millions
    counts = np.array([np.count_nonzero(p.state == e) for e in range(len(Escalation))]) / n
    lv = np.bincount(v.alert_level, minlength=4)
    return {
        "day": model.day,
        "calm": float(counts[Escalation.CALM]),
        "tense": float(counts[Escalation.TENSE]),
        "mobilised": float(counts[Escalation.MOBILISED]),
        "violent": float(counts[Escalation.VIOLENT]),
        "detained": float(counts[Escalation.DETAINED]),
        "spreaders": float(n_spreaders / n),
        "mean_tension": float(p.tension.mean()),
        "mean_grievance": float(p.grievance.mean()),
        "mean_legitimacy": float(p.legitimacy.mean()),
        "incidents": int(incidents),
        "participants": int(participants),
        "arrests": int(arrests),
        "police_present": float(v.presence.sum()),
        "officer_days": float(model.today.officer_days),
        "mediations": int(np.count_nonzero(v.mediation)),
        "villages_aman": int(lv[0]),
        "villages_waspada": int(lv[1]),
        "villages_siaga": int(lv[2]),
        "villages_awas": int(lv[3]),
    }


def timeseries(model: SiagaModel) -> pd.DataFrame:
    df = model.datacollector.get_model_vars_dataframe().reset_index(drop=True)
    df.insert(1, "date", [model.calendar.date(int(d)) for d in df["day"]])
    races = range(len(model.calendar.offsets))  # staggered races (§7.1a): each stage of the day, once
    df.insert(2, "stage", ["/".join(dict.fromkeys(model.calendar.stage_spec(int(d), r).name for r in races)) for d in df["day"]])
    df["date"] = pd.to_datetime(df["date"])
    return df


def village_frame(model: SiagaModel) -> pd.DataFrame:
    r, v = model.region, model.villages
    first = v.first_incident
    return pd.DataFrame(
        {
            "code": r.codes,
            "name": r.names,
            "kecamatan": [r.kecamatan_names[k] for k in r.kecamatan],
            "kind": np.where(r.kelurahan, "kelurahan", "desa"),
            "population": r.population,
            "x_km": r.x_km,
            "y_km": r.y_km,
            "hotspot": r.hotspot,
            "incidents": v.incidents,
            "participants": v.participants,
            **_harm_by_village(model),
            "arrests": v.arrests,
            "first_incident_day": np.where(first >= 0, first, np.nan),
            "worst_alert": [ALERT_LEVELS[i] for i in v.worst_alert],
            "alert_now": [ALERT_LEVELS[i] for i in v.alert_level],
            "mediation_days": v.mediation_days,
            "police_days": v.police_days,
            "voting_disrupted": v.voting_disrupted,
        }
    )


def _harm_by_village(model: SiagaModel) -> dict[str, np.ndarray]:
    """Deaths, injured and buildings damaged per village, summed over its incidents."""
    n, inc = model.region.n_villages, model.tally.incidents
    where = np.array([i["village"] for i in inc], dtype=np.int64)
    return {
        out: np.bincount(where, weights=[i.get(key, 0) for i in inc], minlength=n).astype(np.int64)
        for out, key in (("deaths", "deaths"), ("injured", "injured"), ("buildings_damaged", "damaged"))
    }


def outcomes(model: SiagaModel) -> dict[str, Any]:
    ts = model.datacollector.get_model_vars_dataframe()
    tally, v = model.tally, model.villages
    inc = tally.incidents
    first = min((i["day"] for i in inc), default=None)
    od = tally.officer_days
    announced = [r for r in tally.result_by_race if r is not None]  # one per race (§7.1a)
    return {
        "incidents": len(inc),
        "incident_participants": int(sum(i["size"] for i in inc)),
        "largest_incident": int(max((i["size"] for i in inc), default=0)),
        "incidents_reported": int(sum(bool(i.get("reported", True)) for i in inc)),
        "deaths": int(sum(i.get("deaths", 0) for i in inc)),
        "injured": int(sum(i.get("injured", 0) for i in inc)),
        "buildings_damaged": int(sum(i.get("damaged", 0) for i in inc)),
        "villages_with_violence": int(np.count_nonzero(v.incidents)),
        "peak_mobilised_share": float(ts["mobilised"].max()) if len(ts) else 0.0,
        "first_incident_day": float(first) if first is not None else float("nan"),
        "first_incident_date": str(model.calendar.date(first)) if first is not None else "",
        "unrest_days": int(((ts["incidents"] > 0) | (ts["mobilised"] > 0.01)).sum()) if len(ts) else 0,
        "arrests": int(tally.arrests),
        "voting_disrupted_villages": int(np.count_nonzero(v.voting_disrupted)),
        "officer_days": float(sum(od.values())),
        "intervention_cost": float(sum(v for k, v in od.items() if k in PROACTIVE_ROLES)),
        "final_mean_legitimacy": float(model.people.legitimacy.mean()),
        # with a race per kabupaten: the mean margin and the number of disputed results
        "margin": float(np.mean([r.margin for r in announced])) if announced else float("nan"),
        "disputed": int(sum(bool(r.disputed) for r in announced)),
        "hoax_injections": int(tally.hoax_injections),
        # backup from above the Polsek (§7.13a): asks, granted, mean days from ask to grant, not met
        "backup_requests": int(tally.backup_requests),
        "backup_granted": int(tally.backup_granted),
        "backup_wait_days": tally.backup_wait_days / tally.backup_granted if tally.backup_granted else float("nan"),
        "backup_unmet": int(tally.backup_unmet + len(tally.backup_open)),
        "conflict_status_days": int(tally.conflict_status_days),
        **{f"officer_days_{k}": float(v) for k, v in sorted(od.items())},
    }
