"""The model's own texts as sentences of the page: event-log rows for the feed ("Hari 43, Desa
Kelilik: hoaks dari tim Paslon 01 menyebar (5 penerima pertama)"), the Camat's order outcomes
and refusals, who sent a report, a village's name with its kind. The words live in
siaga/i18n.py; this module only reads the model's texts and fills them in.
"""

from __future__ import annotations

import re
from typing import Any

from common.levels import ALERT_LEVELS
from siaga.i18n import DEFAULT_LANG, t

# the model's order outcomes and refusals (agents/camat.py, in English) as the desk shows them
_ORDER_TEXT: tuple[tuple[str, dict[str, str]], ...] = (
    (r"^done$", {"id": "dilaksanakan", "en": "done"}),
    (r"^dispatched$", {"id": "tim Polsek berangkat", "en": "a Polsek team leaves"}),
    (r"^queued: no free team$", {"id": "masuk antrean: semua tim Polsek sedang bertugas", "en": "queued: every Polsek team is busy"}),
    (r"^arrives day (\d+)$", {"id": "tiba hari {0}", "en": "arrives day {0}"}),
    (r"^(\d+) villages$", {"id": "{0} desa ditangani", "en": "{0} villages covered"}),
    (r"^granted$", {"id": "dikabulkan: tim bantuan dikirim", "en": "granted: a backup team is sent"}),
    (r"^waiting: no free Polres team or Brimob platoon$",
     {"id": "menunggu: belum ada tim Polres atau peleton Brimob yang bebas", "en": "waiting: no free Polres team or Brimob platoon yet"}),
    (r"^refused: no Polres unit available$", {"id": "tidak datang: tidak ada tim Polres yang bisa dikirim", "en": "not coming: no Polres team can be sent"}),
    (r"^not enough budget: \w+ costs ([\d.]+) person-days, ([\d.]+) left$",
     {"id": "anggaran tidak cukup: biaya {0} orang-hari, sisa {1}", "en": "not enough budget: costs {0} person-days, {1} left"}),
    (r"^a police team is already posted to (.+)$", {"id": "sudah ada tim polisi di {0}", "en": "a police team is already posted to {0}"}),
    (r"^a mediation is already planned in (.+) tomorrow$", {"id": "mediasi di {0} sudah dijadwalkan besok", "en": "a mediation is already planned in {0} tomorrow"}),
    (r"^counter-hoax messaging already runs in (.+) for the coming week$", {"id": "kontra-hoaks di {0} sudah berjalan untuk seminggu ke depan", "en": "counter-hoax already runs in {0} for the coming week"}),
    (r"^no free Polsek team for a rapid response today$", {"id": "tidak ada tim Polsek yang bebas hari ini", "en": "no free Polsek team today"}),
    (r"^the exercise is over$", {"id": "latihan sudah selesai", "en": "the exercise is over"}),
)


def order_text(text: str, lang: str = DEFAULT_LANG) -> str:
    """An order's outcome or refusal from the model, in the page's language."""
    for pattern, words in _ORDER_TEXT:
        m = re.match(pattern, text)
        if m:
            return words.get(lang, words[DEFAULT_LANG]).format(*m.groups())
    return text


def reporter(source: str, kelurahan: bool, lang: str) -> str:
    """Who sent a report: a kelurahan is led by a Lurah, not a Kades ("Kades Kelurahan X" is wrong)."""
    return t("src_Lurah" if source == "Kades" and kelurahan else "src_" + source, lang)


def place(name: str, kelurahan: bool, lang: str) -> str:
    if lang == "en":
        return f"{name} ({'kelurahan' if kelurahan else 'desa'})"
    return f"{'Kelurahan' if kelurahan else 'Desa'} {name}"


_LEVEL = re.compile(r"level (\d)")
_ARRIVES = re.compile(r"arrives day (\d+)")


def _level(detail: str) -> str:
    m = _LEVEL.search(detail or "")
    return ALERT_LEVELS[int(m.group(1))] if m else "?"


_EVENTS: dict[str, dict[str, str]] = {
    "hoax": {"id": "hoaks/kampanye hitam dari tim {actors} menyebar ({size} penerima pertama)…",
             "en": "a hoax / black campaign from the {actors} team spreads ({size} first recipients)…"},
    "rally": {"id": "kampanye {actors}, {size} orang hadir", "en": "{actors} rally, {size} attend"},
    "rally_mass": {"id": "pengerahan massa {actors}, {size} orang", "en": "{actors} mass mobilisation, {size} people"},
    "money_politics": {"id": "politik uang (\"serangan fajar\") oleh tim {actors}", "en": "money politics (\"serangan fajar\") by the {actors} team"},
    "provocation": {"id": "provokasi memanaskan suasana ({size} warga terpapar)", "en": "a provocation stirs people up ({size} exposed)"},
    "clash": {"id": "INSIDEN: bentrok pendukung {actors}, {size} orang terlibat", "en": "INCIDENT: supporters clash ({actors}), {size} involved"},
    "protest": {"id": "INSIDEN: massa melawan penyelenggara, {size} orang terlibat", "en": "INCIDENT: crowd against election organisers, {size} involved"},
    "convoy": {"id": "INSIDEN: konvoi kampanye dihadang ({actors}), {size} orang terlibat", "en": "INCIDENT: a campaign convoy is blocked ({actors}), {size} involved"},
    "apk": {"id": "INSIDEN: pendukung {actors} merusak APK{target}, {size} orang", "en": "INCIDENT: {actors} supporters destroy campaign material{target}, {size} people"},
    "government": {"id": "INSIDEN: unjuk rasa di kantor KPU/Bawaslu/Bupati berujung ricuh, {size} orang terlibat", "en": "INCIDENT: a demonstration at the KPU, Bawaslu or Bupati's office turns violent, {size} involved"},
    "demonstration": {"id": "unjuk rasa {size} pendukung di kantor KPU/Bawaslu/Bupati", "en": "{size} supporters demonstrate at the KPU, Bawaslu or Bupati's office"},
    "logistics": {"id": "INSIDEN: massa merebut logistik pemilu (surat suara, kotak suara), {size} orang", "en": "INCIDENT: a crowd seizes election logistics (ballots, boxes), {size} involved"},
    "assault": {"id": "INSIDEN: persekusi oleh pendukung {actors}{target}, {size} orang", "en": "INCIDENT: {actors} supporters assault a rival supporter{target}, {size} people"},
    "detection": {"id": "Kades melihat tanda bahaya ({level})", "en": "the Kades sees warning signs ({level})"},
    "report": {"id": "laporan {actors}: {level}", "en": "report {actors}: {level}"},
    "mediation": {"id": "mediasi oleh {actors}", "en": "mediation by {actors}"},
    "counter_hoax": {"id": "tokoh dan Kades meluruskan hoaks ({size} warga)", "en": "tokoh and Kades correct the hoax ({size} people)"},
    "recovery": {"id": "pertemuan pemulihan pascainsiden oleh Kades, tokoh dan Tim Terpadu", "en": "a reconciliation meeting after the incident (Kades, tokoh, Tim Terpadu)"},
    "patrol": {"id": "Polsek memberangkatkan patroli ({size} personel, tiba hari {arrives})", "en": "the Polsek sends a patrol ({size} officers, arrives day {arrives})"},
    "response": {"id": "tim respons Polsek berangkat ({size} personel, tiba hari {arrives})", "en": "a Polsek response team leaves ({size} officers, arrives day {arrives})"},
    "backup_request": {"id": "Polsek meminta bantuan Polres", "en": "the Polsek asks the Polres for backup"},
    "backup": {"id": "bantuan {actors} dikirim ({size} personel)", "en": "{actors} backup sent ({size} officers)"},
    "backup_expired": {
        "id": "permintaan bantuan tidak terpenuhi: tidak ada tim Polres atau Brimob yang bebas",
        "en": "backup request given up: no free Polres team or Brimob platoon",
    },
    "brimob_bko": {
        "id": "satu peleton Brimob Polda di-BKO-kan ke Polres ({size} personel)",
        "en": "a Polda Brimob platoon is put under the Polres (BKO, {size} officers)",
    },
    "tim_terpadu": {
        "id": "rapat Tim Terpadu kabupaten ({size} desa dilaporkan rawan)",
        "en": "the kabupaten's Tim Terpadu meets ({size} villages reported at risk)",
    },
    "status_move": {
        "id": "Bupati berkonsultasi dengan pimpinan DPRD untuk menetapkan Status Keadaan Konflik ({size} desa AWAS)",
        "en": "the Bupati consults the DPRD leadership on a Status Keadaan Konflik ({size} villages at AWAS)",
    },
    "status_declared": {
        "id": "Status Keadaan Konflik ditetapkan: TNI dapat diperbantukan",
        "en": "a Status Keadaan Konflik is declared: the TNI may assist",
    },
    "status_ended": {"id": "Status Keadaan Konflik berakhir", "en": "the Status Keadaan Konflik ends"},
    "rakor": {"id": "rakor Forkopimcam/Tim Terpadu ({size} desa disorot)", "en": "Forkopimcam / Tim Terpadu rakor ({size} villages flagged)"},
    "arrest": {"id": "{size} orang ditahan polisi", "en": "{size} people detained"},
    "release": {"id": "{size} orang dibebaskan", "en": "{size} people released"},
    "result": {"id": "KPU mengumumkan hasil: {detail}", "en": "the KPU announces the result: {detail}"},
    "dispute": {"id": "pihak yang kalah menggugat hasil ke MK", "en": "the losing pair takes the result to the MK"},
}


def describe_event(row: Any, lang: str = DEFAULT_LANG, kelurahan: dict[str, bool] | None = None) -> str:
    """One event-log row as a sentence. `row` has the fields of the event log (day, village,
    village_code, kind, actors, size, detail: `siaga.app.readouts.EventRow`); `kelurahan` maps a
    village code to whether it is a kelurahan (village names are not unique, codes are)."""
    kind, detail = row.kind, row.detail
    key = kind
    if kind == "rally" and detail == "pengerahan massa":
        key = "rally_mass"
    elif kind == "incident":
        key = next((k for k, words in _INCIDENT_WORDS if words in (detail or "")), "clash")
    template = _EVENTS.get(key)
    m = _ARRIVES.search(detail or "")
    actors = _ACTORS.get(row.actors, {}).get(lang, row.actors)  # the order's own words ("tim mediasi Camat")
    target = _TARGET.search(detail or "") if kind == "incident" else None
    fields = dict(actors=actors, size=row.size, detail=detail, level=_level(detail), arrives=m.group(1) if m else "?",
                  target=f" ({target.group(1)})" if target else "")
    text = template.get(lang, template["id"]).format(**fields) if template else f"{kind}: {actors} {detail}".strip()
    harm = _HARM.search(detail or "") if kind == "incident" else None
    if harm:  # severity (docs/ODD.md §7.21), as simulation/day.py `record_incident` writes it
        text += _harm_text(*(int(x) for x in harm.groups()), lang)
    is_kelurahan = bool((kelurahan or {}).get(row.village_code, False))
    if is_kelurahan:  # a kelurahan is led by a Lurah, not a Kades
        text = _KADES.sub("Lurah", text)
    where = place(row.village, is_kelurahan, lang)
    return f"{'Hari' if lang == 'id' else 'Day'} {row.day}, {where}: {text}"


# actors as the model logs them (agents/) -> as the desk names them, so that an order for "tim mediasi
# Camat" comes back as that team, not as "Tim Terpadu (Camat)"
_ACTORS: dict[str, dict[str, str]] = {
    "Tim Terpadu (Camat)": {"id": "tim mediasi Camat (bersama Kades + tokoh)", "en": "the Camat's mediation team (with the Kades + tokoh)"},
    "Kades+tokoh": {"id": "Kades bersama tokoh", "en": "the Kades with tokoh"},
    "Kades -> Camat": {"id": "Kades kepada Camat", "en": "Kades to the Camat"},
    "Babinsa -> Camat": {"id": "Babinsa kepada Camat", "en": "Babinsa to the Camat"},
}
_KADES = re.compile(r"\bKades\b")
# the incident kinds by the words simulation/day.py INCIDENT_DETAIL writes (clash: the rest)
_INCIDENT_WORDS = (("protest", "penyelenggara"), ("convoy", "konvoi"), ("apk", "perusakan APK"), ("assault", "persekusi"),
                   ("logistics", "logistik pemilu"), ("government", "unjuk rasa ricuh"))
_TARGET = re.compile(r"^(?:perusakan APK|persekusi pendukung) \(([^)]*)\)")
_HARM = re.compile(r"(\d+) tewas, (\d+) luka, (\d+) bangunan rusak")


def _harm_text(deaths: int, injured: int, damaged: int, lang: str) -> str:
    """", 1 tewas, 3 luka" / ", 1 killed, 3 injured": only the counts that are not zero."""
    words = {"id": ("tewas", "luka", "bangunan rusak"), "en": ("killed", "injured", "buildings damaged")}[lang if lang == "en" else "id"]
    return "".join(f", {n} {w}" for n, w in zip((deaths, injured, damaged), words) if n)
