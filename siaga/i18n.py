"""The app's words in Bahasa Indonesia (default) and English, and the event log as readable text.

`t(key, lang)` looks a label up; a missing key falls back to Indonesian, then to the key itself,
so a forgotten translation shows up as a visible key rather than an error. `describe_event` turns
one row of the model's event log into a sentence of the feed ("Hari 43, Desa Kelilik: hoaks dari
tim Paslon 01 menyebar (5 penerima pertama)").
"""

from __future__ import annotations

import re
from typing import Any

from common.levels import ALERT_LEVELS

LANGS = ("id", "en")
DEFAULT_LANG = "id"

STRINGS: dict[str, dict[str, str]] = {
    # shell
    "app_title": {"id": "SIAGA — simulasi konflik pemilu", "en": "SIAGA — election conflict simulation"},
    "nav_explorer": {"id": "Penjelajah", "en": "Explorer"},
    "nav_workshop": {"id": "Lokakarya Camat", "en": "Camat workshop"},
    "nav_facilitator": {"id": "Fasilitator", "en": "Facilitator"},
    "language": {"id": "Bahasa", "en": "Language"},
    # explorer controls
    "scenario": {"id": "Skenario", "en": "Scenario"},
    "seed": {"id": "Seed (bilangan bulat ≥ 0)", "en": "Seed (whole number ≥ 0)"},
    "days": {"id": "Jumlah hari (kosong = seluruh kalender)", "en": "Days (empty = whole calendar)"},
    "policy": {"id": "Kebijakan awal (preset)", "en": "Policy preset"},
    "levers": {"id": "Tuas intervensi", "en": "Intervention levers"},
    "population_knobs": {"id": "Penduduk", "en": "Population"},
    "kades_mediation": {"id": "Kades memediasi", "en": "Kades mediate"},
    "detection_level": {"id": "Tingkat siaga untuk bertindak", "en": "Alert level to act at"},
    "response_delay": {"id": "Jeda respons Kades (hari)", "en": "Kades response delay (days)"},
    "police_delay": {"id": "Jeda respons polisi (hari)", "en": "Police response delay (days)"},
    "early_patrol": {"id": "Patroli dini polisi", "en": "Early police patrols"},
    "polres_units": {"id": "Tim cadangan Polres", "en": "Polres backup teams"},
    "backup_availability": {"id": "Peluang bantuan Polres datang", "en": "Chance Polres backup comes"},
    "mediation_strength": {"id": "Kekuatan mediasi", "en": "Mediation strength"},
    "counter_hoax": {"id": "Kontra-hoaks oleh tokoh", "en": "Counter-hoax by tokoh"},
    "counter_hoax_effect": {"id": "Efek kontra-hoaks", "en": "Counter-hoax effect"},
    "neutrality": {"id": "Penegakan netralitas Kades/ASN", "en": "Kades/ASN neutrality enforcement"},
    "camat_coordination": {"id": "Camat mengadakan rakor", "en": "Camat convenes a rakor"},
    "supporter_share": {"id": "Porsi pendukung aktif", "en": "Active supporter share"},
    "hardship": {"id": "Kesulitan ekonomi rata-rata", "en": "Mean hardship"},
    "threshold": {"id": "Ambang ikut massa rata-rata", "en": "Mean threshold to join a crowd"},
    "initial_tension": {"id": "Ketegangan awal rata-rata", "en": "Mean initial tension"},
    "apply": {"id": "Terapkan & mulai ulang", "en": "Apply & restart"},
    "step": {"id": "Langkah 1 hari", "en": "Step 1 day"},
    "step7": {"id": "+7 hari", "en": "+7 days"},
    "play": {"id": "Putar", "en": "Play"},
    "pause": {"id": "Jeda", "en": "Pause"},
    "to_end": {"id": "Sampai akhir", "en": "Run to the end"},
    "stop": {"id": "Hentikan", "en": "Stop"},
    "running": {"id": "sedang berjalan…", "en": "running…"},
    "incidents_so_far": {"id": "Insiden sejauh ini: {n}", "en": "Incidents so far: {n}"},
    "too_long": {"id": "{field}: terlalu panjang ({n} karakter, paling banyak {max})", "en": "{field}: too long ({n} characters, at most {max})"},
    "bad_chars": {"id": "{field}: mengandung karakter kendali yang tidak sah", "en": "{field}: contains control characters"},
    "code_format": {
        "id": "{field}: '{value}' bukan kode sesi (6 huruf/angka, tanpa 0, O, 1, I)",
        "en": "{field}: '{value}' is not a session code (6 letters/digits, no 0, O, 1, I)",
    },
    "reset": {"id": "Ulang", "en": "Reset"},
    "day_of": {"id": "Hari {day} dari {total}", "en": "Day {day} of {total}"},
    "stage_now": {"id": "Tahapan", "en": "Stage"},
    "building": {"id": "Menyiapkan model…", "en": "Building the model…"},
    "invalid": {"id": "Nilai ditolak", "en": "Value refused"},
    "not_whole": {"id": "{field}: '{value}' bukan bilangan bulat", "en": "{field}: '{value}' is not a whole number"},
    "out_of_range": {"id": "{field}: {value} di luar rentang {lo}–{hi}", "en": "{field}: {value} is outside {lo}–{hi}"},
    "big_region": {
        "id": "Wilayah besar ({n:,} warga): peta tanpa label dan jaringan dibatasi {cap:,} simpul.",
        "en": "Big region ({n:,} villagers): map without labels, network limited to {cap:,} nodes.",
    },
    # map / network / charts
    "map_title": {"id": "Peta desa menurut tingkat siaga (klik desa)", "en": "Villages by alert level (click a village)"},
    "map_legend_police": {"id": "polisi hadir", "en": "police present"},
    "map_legend_mediation": {"id": "mediasi", "en": "mediation"},
    "map_legend_incident": {"id": "insiden", "en": "incidents"},
    "network_title": {"id": "Jaringan sosial {village}", "en": "Social network of {village}"},
    "network_hint": {"id": "Klik sebuah desa pada peta untuk melihat jaringannya.", "en": "Click a village on the map to see its network."},
    "network_sampled": {"id": "menampilkan {shown:,} dari {n:,} warga; {edges:,} ikatan", "en": "showing {shown:,} of {n:,} villagers; {edges:,} ties"},
    "recent_events": {"id": "Kejadian terakhir di desa ini", "en": "Recent events in this village"},
    "chart_shares": {"id": "Porsi warga: tenang / tegang / bergerak / kekerasan", "en": "Share of villagers: calm / tense / mobilised / violent"},
    "chart_incidents": {"id": "Insiden per hari", "en": "Incidents per day"},
    "chart_resources": {"id": "Sumber daya terpakai (orang-hari per hari)", "en": "Resources in use (person-days per day)"},
    "calm": {"id": "tenang", "en": "calm"},
    "tense": {"id": "tegang", "en": "tense"},
    "mobilised": {"id": "bergerak (massa)", "en": "mobilised"},
    "violent": {"id": "kekerasan/ditahan", "en": "violent/detained"},
    "police_present": {"id": "polisi hadir", "en": "police present"},
    "officer_days": {"id": "orang-hari petugas", "en": "officer person-days"},
    "mediations": {"id": "desa dimediasi", "en": "villages mediated"},
    "event_feed": {"id": "Kabar kejadian", "en": "Event feed"},
    "voting_day_line": {"id": "Hari pemungutan suara", "en": "Voting day"},
    "map_view": {"id": "Tampilan peta", "en": "Map view"},
    "map_today": {"id": "hari ini", "en": "today"},
    "map_worst": {"id": "terburuk sejauh ini", "en": "worst so far"},
    "map_title_worst": {"id": "Peta desa menurut tingkat siaga terburuk sejauh ini (klik desa)", "en": "Villages by their worst alert level so far (click a village)"},
    "map_incidents_total": {"id": "insiden sejauh ini", "en": "incidents so far"},
    "cost_so_far": {"id": "Biaya kebijakan sejauh ini: {cost:,.0f} orang-hari (kerja proaktif)", "en": "Policy cost so far: {cost:,.0f} person-days (proactive work)"},
    "feed_incidents": {"id": "insiden", "en": "incidents"},
    "feed_actions": {"id": "perintah & tindakan", "en": "orders & actions"},
    "feed_reports": {"id": "laporan", "en": "reports"},
    "feed_other": {"id": "lainnya (kampanye, hoaks…)", "en": "other (rallies, hoaxes…)"},
    "feed_none_shown": {"id": "Tidak ada kejadian untuk pilihan ini.", "en": "No events for this choice."},
    "policy_word": {"id": "kebijakan", "en": "policy"},
    "policy_default": {"id": "bawaan", "en": "default"},
    "picker_generated": {"id": "Wilayah sintetis", "en": "Generated regions"},
    "picker_extra": {"id": "Berkas tambahan", "en": "Added files"},
    "picker_base": {"id": "skenario dasar", "en": "base scenario"},
    "picker_villagers": {"id": "{n:,} warga", "en": "{n:,} villagers"},
    "no_events": {"id": "Belum ada kejadian.", "en": "No events yet."},
    "step_time": {"id": "waktu langkah+gambar: {ms:.0f} ms", "en": "step+render time: {ms:.0f} ms"},
    # workshop
    "ws_intro": {
        "id": "Anda adalah Camat. Setiap hari Anda membaca laporan yang sampai (terlambat dan bisa keliru), "
        "memutuskan tindakan dengan anggaran terbatas, lalu hari berjalan.",
        "en": "You are the Camat. Each day you read the reports that reach you (late, possibly wrong), "
        "decide with a limited budget, then the day runs.",
    },
    "ws_code": {"id": "Kode sesi (dari fasilitator, boleh kosong)", "en": "Session code (from the facilitator, may be empty)"},
    "ws_own": {"id": "Atau latihan sendiri (tanpa kode):", "en": "Or an exercise of your own (no code):"},
    "ws_name": {"id": "Nama peserta", "en": "Trainee name"},
    "ws_start_day": {"id": "Mulai pada hari", "en": "Start on day"},
    "ws_length": {"id": "Lama latihan (hari)", "en": "Exercise length (days)"},
    "ws_budget": {"id": "Anggaran (orang-hari)", "en": "Budget (person-days)"},
    "ws_start": {"id": "Mulai latihan", "en": "Start the exercise"},
    "ws_unknown_code": {"id": "Kode sesi '{code}' tidak dikenal", "en": "Unknown session code '{code}'"},
    "ws_desk_map": {"id": "Peta menurut laporan terakhir (abu-abu: belum ada laporan)", "en": "Map of the last reports (grey: nothing reported)"},
    "ws_reports": {"id": "Laporan yang sampai ke meja Camat", "en": "Reports on the Camat's desk"},
    "ws_no_reports": {"id": "Belum ada laporan baru.", "en": "No new reports."},
    "ws_report_line": {
        "id": "{source} {village}: {level} (dikirim hari {sent}, diterima hari {arrival})",
        "en": "{source} {village}: {level} (sent day {sent}, received day {arrival})",
    },
    "ws_orders": {"id": "Perintah Camat", "en": "The Camat's orders"},
    "ws_village": {"id": "Desa", "en": "Village"},
    "ws_action": {"id": "Tindakan", "en": "Action"},
    "ws_give_order": {"id": "Beri perintah", "en": "Give the order"},
    "ws_run_day": {"id": "Jalankan hari berikutnya", "en": "Run the next day"},
    "ws_run_week": {"id": "Jalankan 7 hari", "en": "Run 7 days"},
    "ws_budget_left": {"id": "Sisa anggaran: {left:g} dari {budget:g} orang-hari", "en": "Budget left: {left:g} of {budget:g} person-days"},
    "ws_day": {"id": "Hari {day} ({date}), tahapan: {stage}. Hari latihan {i} dari {n}.", "en": "Day {day} ({date}), stage: {stage}. Exercise day {i} of {n}."},
    "ws_refused": {"id": "Perintah ditolak: {why}", "en": "Order refused: {why}"},
    "ws_done_order": {"id": "Perintah dijalankan: {what} — {outcome}", "en": "Order carried out: {what} — {outcome}"},
    "ws_finish": {"id": "Selesai — lihat evaluasi", "en": "Finish — see the debrief"},
    "ws_my_orders": {"id": "Perintah yang sudah diberikan", "en": "Orders given so far"},
    "order_mediation": {"id": "Kirim tim mediasi (Kades + tokoh)", "en": "Send a mediation team (Kades + tokoh)"},
    "order_patrol": {"id": "Minta patroli Polsek", "en": "Ask the Polsek for a patrol"},
    "order_rapid_response": {"id": "Minta respons cepat Polsek", "en": "Ask the Polsek for a rapid response"},
    "order_rakor": {"id": "Adakan rakor Tim Terpadu (semua desa yang dilaporkan)", "en": "Convene the Tim Terpadu (all reported villages)"},
    "order_counter_hoax": {"id": "Kontra-narasi hoaks 7 hari", "en": "Counter-hoax messages for 7 days"},
    "order_backup": {"id": "Minta bantuan Polres (belum tentu datang)", "en": "Request Polres backup (may not come)"},
    "cost": {"id": "biaya", "en": "cost"},
    "src_Kades": {"id": "Kades", "en": "Kades"},
    "src_Babinsa": {"id": "Babinsa", "en": "Babinsa"},
    "src_Lurah": {"id": "Lurah", "en": "Lurah"},
    # debrief
    "db_title": {"id": "Evaluasi (debrief)", "en": "Debrief"},
    "db_running": {"id": "Menghitung pembanding pada seed yang sama…", "en": "Running the counterfactuals on the same seed…"},
    "db_compare": {"id": "Hasil Anda dibanding skenario pembanding (seed sama)", "en": "Your result against counterfactuals (same seed)"},
    "db_you": {"id": "Anda", "en": "You"},
    "db_none": {"id": "Tanpa intervensi", "en": "No intervention"},
    "db_joint": {"id": "Gabungan dini (joint)", "en": "Early joint policy"},
    "db_measure": {"id": "Ukuran", "en": "Measure"},
    "db_incidents": {"id": "Insiden", "en": "Incidents"},
    "db_participants": {"id": "Orang terlibat insiden", "en": "People in incidents"},
    "db_villages_violence": {"id": "Desa dengan kekerasan", "en": "Villages with violence"},
    "db_peak_mob": {"id": "Puncak warga bergerak (%)", "en": "Peak mobilised (%)"},
    "db_arrests": {"id": "Penahanan", "en": "Arrests"},
    "db_cost": {"id": "Biaya proaktif (orang-hari)", "en": "Proactive cost (person-days)"},
    "db_first_incident": {"id": "Insiden pertama (hari)", "en": "First incident (day)"},
    "db_seen": {"id": "Kapan eskalasi sebenarnya bisa terlihat", "en": "When each escalation could first have been seen"},
    "db_seen_cols": {
        "id": "Desa|WASPADA pertama (nyata)|SIAGA pertama (nyata)|Laporan pertama sampai (≥WASPADA / ≥SIAGA)|Tindakan Anda pertama|Insiden (Anda / tanpa intervensi)",
        "en": "Village|First WASPADA (true)|First SIAGA (true)|First report reached you (≥WASPADA / ≥SIAGA)|Your first action|Incidents (you / no intervention)",
    },
    "db_changed": {"id": "Apa yang diubah keputusan Anda", "en": "What your decisions changed"},
    "db_changed_line": {
        "id": "{village}: {orders} → insiden {you} (tanpa intervensi: {none})",
        "en": "{village}: {orders} → incidents {you} (no intervention: {none})",
    },
    "db_summary_better": {"id": "Dibanding tanpa intervensi, insiden berkurang {d} ({pct:.0f}%).", "en": "Against no intervention, {d} fewer incidents ({pct:.0f}%)."},
    "db_summary_worse": {"id": "Dibanding tanpa intervensi, insiden bertambah {d}.", "en": "Against no intervention, {d} more incidents."},
    "db_summary_same": {"id": "Jumlah insiden sama dengan tanpa intervensi.", "en": "As many incidents as with no intervention."},
    "db_note": {
        "id": "Semua jalur memakai skenario dan seed yang sama; selisih berasal dari keputusan, bukan keberuntungan. "
        "Model tidak dikalibrasi pada data: bandingkan, jangan meramal.",
        "en": "All runs use the same scenario and seed; differences come from decisions, not luck. "
        "The model is not fitted to data: compare, do not forecast.",
    },
    "db_download": {"id": "Unduh evaluasi (HTML)", "en": "Download the debrief (HTML)"},
    "db_no_orders": {"id": "(tidak ada perintah)", "en": "(no orders)"},
    "db_window": {"id": "Jendela latihan: hari {a}–{b}", "en": "Exercise window: days {a}–{b}"},
    # facilitator
    "fac_intro": {
        "id": "Buat sesi untuk beberapa peserta: skenario dan seed sama, masing-masing di peramban sendiri. "
        "Bagikan kodenya; hasil peserta muncul di sini berdampingan.",
        "en": "Create a session for several trainees: same scenario and seed, each in their own browser. "
        "Share the code; the trainees' results appear here side by side.",
    },
    "fac_create": {"id": "Buat sesi", "en": "Create session"},
    "fac_code": {"id": "Kode sesi: {code}", "en": "Session code: {code}"},
    "fac_open": {"id": "Buka sesi (kode)", "en": "Open session (code)"},
    "fac_refresh": {"id": "Muat ulang hasil", "en": "Refresh results"},
    "fac_none_yet": {"id": "Belum ada peserta yang selesai.", "en": "No trainee has finished yet."},
    "fac_trainees": {"id": "Peserta ({n})", "en": "Trainees ({n})"},
    "fac_status_done": {"id": "selesai", "en": "finished"},
    "fac_status_playing": {"id": "sedang bermain (hari {day})", "en": "playing (day {day})"},
    "fac_status_left": {"id": "keluar pada hari {day} (halaman ditutup)", "en": "left on day {day} (page closed)"},
}

# the model's order outcomes and refusals (agents/camat.py, in English) as the desk shows them
_ORDER_TEXT: tuple[tuple[str, dict[str, str]], ...] = (
    (r"^done$", {"id": "dilaksanakan", "en": "done"}),
    (r"^dispatched$", {"id": "tim Polsek berangkat", "en": "a Polsek team leaves"}),
    (r"^queued: no free team$", {"id": "masuk antrean: semua tim Polsek sedang bertugas", "en": "queued: every Polsek team is busy"}),
    (r"^arrives day (\d+)$", {"id": "tiba hari {0}", "en": "arrives day {0}"}),
    (r"^(\d+) villages$", {"id": "{0} desa ditangani", "en": "{0} villages covered"}),
    (r"^granted$", {"id": "dikabulkan: tim Polres dikirim", "en": "granted: a Polres team is sent"}),
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


STAGE_EN = {
    "voter_data": "Voter data update",
    "candidacy": "Candidate determination",
    "campaign": "Campaign",
    "quiet_period": "Quiet period",
    "voting": "Voting day",
    "counting": "Counting and recapitulation",
    "determination": "Determination of results",
    "disputes": "Constitutional Court disputes",
    "aftermath": "Aftermath",
}


# short stage names for a narrow band of a chart (the full name stays in the band's tooltip)
STAGE_SHORT = {
    "voter_data": {"id": "Data pemilih", "en": "Voter data"},
    "candidacy": {"id": "Pencalonan", "en": "Candidacy"},
    "campaign": {"id": "Kampanye", "en": "Campaign"},
    "quiet_period": {"id": "Tenang", "en": "Quiet"},
    "voting": {"id": "Pemungutan", "en": "Voting"},
    "counting": {"id": "Rekapitulasi", "en": "Counting"},
    "determination": {"id": "Hasil", "en": "Results"},
    "disputes": {"id": "Sengketa MK", "en": "MK disputes"},
    "aftermath": {"id": "Pasca", "en": "Aftermath"},
}


def stage_short(name: str, full: str, lang: str = DEFAULT_LANG) -> str:
    """A stage's short name; a stage without one: its first word."""
    entry = STAGE_SHORT.get(name)
    if entry:
        return entry.get(lang, entry[DEFAULT_LANG])
    return full.split()[0] if full.split() else full


# The policy presets in plain words (scenarios/policies.py DESCRIPTIONS is the English, technical list).
PRESET_TEXT: dict[str, dict[str, str]] = {
    "none": {"id": "Hanya reaktif: polisi datang setelah ada insiden.",
             "en": "Reactive only: the police come after an incident."},
    "kades_early": {"id": "Kades bersama tokoh memediasi begitu desanya WASPADA, sehari kemudian.",
                    "en": "The Kades mediates with community leaders once the village is at WASPADA, a day later."},
    "kades_late": {"id": "Kades baru memediasi saat AWAS, lima hari kemudian.",
                   "en": "The Kades mediates only at AWAS, five days later."},
    "police_early": {"id": "Laporan Bhabinkamtibmas memicu patroli Polsek saat WASPADA; tim tiba esok paginya.",
                     "en": "Bhabinkamtibmas reports bring Polsek patrols at WASPADA; the team arrives next morning."},
    "police_late": {"id": "Patroli baru saat AWAS; tim tiba tiga hari kemudian.",
                    "en": "Patrols only at AWAS; the team arrives three days later."},
    "camat_coordination": {"id": "Camat menggelar rakor (Forkopimcam / Tim Terpadu) saat sebuah desa SIAGA.",
                           "en": "The Camat calls a coordination meeting (Forkopimcam / Tim Terpadu) when a village is at SIAGA."},
    "counter_hoax": {"id": "Tokoh dan Kades melawan hoaks di desa yang WASPADA atau lebih.",
                     "en": "Community leaders and the Kades counter hoaxes in villages at WASPADA or above."},
    "neutrality": {"id": "Penegakan netralitas Kades dan ASN (80% keberpihakan ditekan).",
                   "en": "Neutrality of Kades and civil servants enforced (80% of partisanship suppressed)."},
    "joint": {"id": "Semua bertindak dini: Kades, polisi, rakor Camat, dan kontra-hoaks.",
              "en": "Everyone acts early: Kades, police, the Camat's meeting and counter-hoax."},
    "late": {"id": "Semua bertindak terlambat: Kades dan polisi baru saat AWAS; rakor Camat baru saat tiga desa AWAS.",
             "en": "Everyone acts late: Kades and police only at AWAS; the Camat meets only when three villages are at AWAS."},
}


def preset_text(name: str, lang: str, fallback: str = "") -> str:
    """A policy preset in plain words, in the page's language (the technical line if unknown)."""
    entry = PRESET_TEXT.get(name)
    return fallback if entry is None else entry.get(lang) or entry[DEFAULT_LANG]


def t(key: str, lang: str = DEFAULT_LANG, **fmt: Any) -> str:
    entry = STRINGS.get(key)
    text = key if entry is None else entry.get(lang) or entry[DEFAULT_LANG]
    return text.format(**fmt) if fmt else text


def stage_label(name: str, label: str, lang: str) -> str:
    return STAGE_EN.get(name, label) if lang == "en" else label


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
    "detection": {"id": "Kades melihat tanda bahaya ({level})", "en": "the Kades sees warning signs ({level})"},
    "report": {"id": "laporan {actors}: {level}", "en": "report {actors}: {level}"},
    "mediation": {"id": "mediasi oleh {actors}", "en": "mediation by {actors}"},
    "counter_hoax": {"id": "tokoh dan Kades meluruskan hoaks ({size} warga)", "en": "tokoh and Kades correct the hoax ({size} people)"},
    "patrol": {"id": "Polsek memberangkatkan patroli ({size} personel, tiba hari {arrives})", "en": "the Polsek sends a patrol ({size} officers, arrives day {arrives})"},
    "response": {"id": "tim respons Polsek berangkat ({size} personel, tiba hari {arrives})", "en": "a Polsek response team leaves ({size} officers, arrives day {arrives})"},
    "backup_request": {"id": "Polsek meminta bantuan Polres", "en": "the Polsek asks the Polres for backup"},
    "backup": {"id": "bantuan Polres dikirim ({size} personel)", "en": "Polres backup sent ({size} officers)"},
    "rakor": {"id": "rakor Forkopimcam/Tim Terpadu ({size} desa disorot)", "en": "Forkopimcam / Tim Terpadu rakor ({size} villages flagged)"},
    "arrest": {"id": "{size} orang ditahan polisi", "en": "{size} people detained"},
    "release": {"id": "{size} orang dibebaskan", "en": "{size} people released"},
    "result": {"id": "KPU mengumumkan hasil: {detail}", "en": "the KPU announces the result: {detail}"},
    "dispute": {"id": "pihak yang kalah menggugat hasil ke MK", "en": "the losing pair takes the result to the MK"},
}


def describe_event(row: Any, lang: str = DEFAULT_LANG, kelurahan: dict[str, bool] | None = None) -> str:
    """One event-log row as a sentence. `row` has the fields of the event log (day, village,
    village_code, kind, actors, size, detail: `siaga.app.state.EventRow`); `kelurahan` maps a
    village code to whether it is a kelurahan (village names are not unique, codes are)."""
    kind, detail = row.kind, row.detail
    key = kind
    if kind == "rally" and detail == "pengerahan massa":
        key = "rally_mass"
    elif kind == "incident":
        key = "protest" if "penyelenggara" in (detail or "") else "clash"
    template = _EVENTS.get(key)
    m = _ARRIVES.search(detail or "")
    fields = dict(actors=row.actors, size=row.size, detail=detail, level=_level(detail), arrives=m.group(1) if m else "?")
    text = template.get(lang, template["id"]).format(**fields) if template else f"{kind}: {row.actors} {detail}".strip()
    where = place(row.village, bool((kelurahan or {}).get(row.village_code, False)), lang)
    return f"{'Hari' if lang == 'id' else 'Day'} {row.day}, {where}: {text}"
