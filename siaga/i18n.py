"""The app's words in Bahasa Indonesia (default) and English: one table, `t(key, lang)`.

A missing key falls back to Indonesian, then to the key itself, so a forgotten translation shows
up as a visible key rather than an error. Turning the model's own texts (event-log rows, order
outcomes) into sentences is siaga/event_text.py.
"""

from __future__ import annotations

from typing import Any

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
    "stages_by_race": {"id": "{stages} (jumlah pemilihan)", "en": "{stages} (number of elections)"},
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
    # the short help on alert levels and orders (siaga/app/help_text.py)
    "help_levels_title": {"id": "Apa arti AMAN, WASPADA, SIAGA, AWAS?", "en": "What do AMAN, WASPADA, SIAGA, AWAS mean?"},
    "help_level_aman": {"id": "tenang: sedikit warga yang tegang, tidak ada kerumunan, hoaks tidak beredar.",
                        "en": "calm: few people tense, no crowds, no hoax going round."},
    "help_level_waspada": {"id": "ketegangan naik: banyak warga tegang atau hoaks mulai beredar. Saat yang baik untuk Kades dan tokoh berbicara dengan warga.",
                           "en": "tension rising: many people tense or a hoax starting to spread. A good moment for the Kades and community leaders to talk to people."},
    "help_level_siaga": {"id": "pendukung mulai turun berkumpul atau hoaks menyebar luas. Mediasi atau patroli sekarang, sebelum kerumunan bertemu lawannya.",
                         "en": "supporters starting to gather, or a hoax spreading widely. Mediate or patrol now, before crowds meet their rivals."},
    "help_level_awas": {"id": "insiden dalam beberapa hari terakhir atau kerumunan besar: risiko bentrok tinggi.",
                        "en": "an incident in the last few days, or large crowds: a high risk of clashes."},
    "help_levels_reports": {"id": "Peta Anda menunjukkan laporan Kades dan Babinsa, bukan keadaan sebenarnya: laporan datang terlambat dan kadang salah satu tingkat.",
                            "en": "Your map shows the reports of the Kades and Babinsa, not the true state: reports arrive late and are sometimes one level off."},
    "help_orders_title": {"id": "Apa yang dilakukan setiap perintah, dan biayanya?", "en": "What does each order do, and what does it cost?"},
    "help_order_mediation": {"id": "Kades dan tokoh menggelar rembug di desa itu besok pagi: ketegangan turun, sebagian penyebar hoaks berhenti, kerumunan lebih cepat bubar. {cost:g} orang-hari.",
                             "en": "The Kades and community leaders hold a meeting in the village tomorrow morning: tension falls, some hoax spreaders stop, crowds break up sooner. {cost:g} person-days."},
    "help_order_patrol": {"id": "Polsek mengirim tim bila ada yang bebas (kalau tidak, antre). Polisi yang hadir membuat warga berpikir dua kali untuk turun. Tim tinggal {stay} hari. {cost:g} orang-hari.",
                          "en": "The Polsek sends a team if one is free (otherwise it queues). Police on the spot make people think twice before coming out. The team stays {stay} days. {cost:g} person-days."},
    "help_order_rapid_response": {"id": "Tim Polsek berangkat malam ini tanpa antre dan tiba besok (ditambah waktu perjalanan). {cost:g} orang-hari.",
                                  "en": "A Polsek team leaves tonight without queueing and arrives tomorrow (plus travel time). {cost:g} person-days."},
    "help_order_rakor": {"id": "Rapat Tim Terpadu: tim mediasi ke semua desa yang dilaporkan WASPADA atau lebih. {cost:g} orang-hari untuk rapat, ditambah {team:g} per desa.",
                         "en": "A Tim Terpadu meeting: mediation teams to every village reported at WASPADA or above. {cost:g} person-days for the meeting, plus {team:g} per village."},
    "help_order_counter_hoax": {"id": "Tokoh dan Kades membantah hoaks di desa itu selama {days} hari: penyebar berhenti, warga lain kebal. {cost:g} orang-hari.",
                                "en": "Community leaders and the Kades rebut the hoax in the village for {days} days: spreaders stop, others become immune. {cost:g} person-days."},
    "help_order_backup": {"id": "Permintaan tim Polres: datang hanya bila ada tim bebas dan permintaan disetujui, dari markas Polres. Tidak dibebankan ke anggaran kecamatan.",
                          "en": "A request for a Polres team: it comes only if a team is free and the request is granted, from the Polres headquarters. Not charged to the kecamatan's budget."},
    # the explorer's comparison with the previous run (siaga/app/explorer.py `Comparison`)
    "ws_unknown_token": {"id": "Latihan dari alamat ini tidak ditemukan: mungkin sudah dihapus oleh fasilitator, atau berasal dari server lain. Mulai latihan baru di bawah.",
                         "en": "The exercise of this address was not found: the facilitator may have removed it, or it comes from another server. Start a new exercise below."},
    "cmp_title": {"id": "Dibandingkan dengan run sebelumnya", "en": "Compared with the previous run"},
    "cmp_this": {"id": "Run ini", "en": "This run"},
    "cmp_prev": {"id": "Run sebelumnya", "en": "Previous run"},
    "cmp_seed": {"id": "nomor acak", "en": "seed"},
    "cmp_days": {"id": "Hari dijalankan", "en": "Days run"},
    "cmp_incidents": {"id": "Insiden", "en": "Incidents"},
    "cmp_participants": {"id": "Peserta insiden", "en": "People in incidents"},
    "cmp_arrests": {"id": "Penangkapan", "en": "Arrests"},
    "cmp_villages": {"id": "Desa dengan kekerasan", "en": "Villages with violence"},
    "cmp_peak": {"id": "Puncak warga termobilisasi", "en": "Peak share mobilised"},
    "cmp_cost": {"id": "Biaya kebijakan (orang-hari)", "en": "Policy cost (person-days)"},
    "cmp_chart": {"id": "Insiden kumulatif: run ini dan sebelumnya", "en": "Cumulative incidents: this run and the previous one"},
    "cmp_same_day": {"id": "Pada hari {day}: run ini {a}, run sebelumnya {b} insiden.", "en": "At day {day}: this run {a}, the previous run {b} incidents."},
    "cmp_forget": {"id": "Lupakan run sebelumnya", "en": "Forget the previous run"},
    "cmp_hint": {"id": "Ubah pengaturan atau tekan Ulang: run yang sekarang akan disimpan di sini untuk dibandingkan.", "en": "Change a setting or press Reset: the current run is kept here to compare with."},
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
    "ws_day": {"id": "Hari {day} ({date}), malam; tahapan: {stage}. Hari latihan {i} dari {n}.", "en": "Day {day} ({date}), evening; stage: {stage}. Exercise day {i} of {n}."},
    "ws_refused": {"id": "Perintah ditolak: {why}", "en": "Order refused: {why}"},
    "ws_done_order": {"id": "Perintah dijalankan: {what} — {outcome}", "en": "Order carried out: {what} — {outcome}"},
    "ws_finish": {"id": "Selesai — lihat evaluasi", "en": "Finish — see the debrief"},
    "ws_my_orders": {"id": "Perintah yang sudah diberikan", "en": "Orders given so far"},
    "order_mediation": {"id": "Kirim tim mediasi Camat", "en": "Send the Camat's mediation team"},
    "order_patrol": {"id": "Minta patroli Polsek", "en": "Ask the Polsek for a patrol"},
    "order_rapid_response": {"id": "Minta respons cepat Polsek", "en": "Ask the Polsek for a rapid response"},
    "order_rakor": {"id": "Adakan rakor Tim Terpadu (semua desa yang dilaporkan)", "en": "Convene the Tim Terpadu (all reported villages)"},
    "order_counter_hoax": {"id": "Kontra-narasi hoaks 7 hari", "en": "Counter-hoax messages for 7 days"},
    "order_backup": {"id": "Minta bantuan Polres (belum tentu datang)", "en": "Request Polres backup (may not come)"},
    "cost": {"id": "biaya", "en": "cost"},
    "src_Kades": {"id": "Kades", "en": "Kades"},
    "src_Babinsa": {"id": "Babinsa", "en": "Babinsa"},
    "src_Lurah": {"id": "Lurah", "en": "Lurah"},
    # exercise files and injects (scenarios/exercise_schema.py, siaga/app/workshop.py)
    "ws_exercise": {"id": "Latihan siap pakai", "en": "Ready exercise"},
    "ws_exercise_none": {"id": "— tanpa berkas latihan: atur sendiri —", "en": "— no exercise file: set up your own —"},
    "ws_exercise_info": {
        "id": "{scenario} · malam hari {a}–{b} di meja Camat · anggaran {budget:g} orang-hari · {n} kejadian terjadwal",
        "en": "{scenario} · evenings of days {a}–{b} at the Camat's desk · budget {budget:g} person-days · {n} scheduled events",
    },
    "ws_briefing": {"id": "Pengarahan", "en": "Briefing"},
    "ws_based_on": {"id": "Berdasarkan pola nyata: {src}", "en": "Built on a real pattern: {src}"},
    "ws_objectives": {"id": "Sasaran", "en": "Objectives"},
    "ws_begin": {"id": "Mulai malam pertama", "en": "Begin the first evening"},
    "obj_no_incident": {"id": "Tidak ada insiden di {village}", "en": "No incident in {village}"},
    "obj_incidents_at_most": {"id": "Paling banyak {n} insiden di kecamatan", "en": "At most {n} incidents in the kecamatan"},
    "obj_respond_within": {
        "id": "Setiap laporan {level} dijawab dalam {days} hari (perintah ke desa itu, atau rakor)",
        "en": "Every {level} report answered within {days} days (an order for that village, or a rakor)",
    },
    "obj_met": {"id": "tercapai sejauh ini", "en": "met so far"},
    "obj_not_met": {"id": "tidak tercapai ({value})", "en": "not met ({value})"},
    "obj_value_incidents": {"id": "{n} insiden", "en": "{n} incidents"},
    "obj_value_late": {"id": "{n} laporan tidak dijawab tepat waktu", "en": "{n} reports not answered in time"},
    "ws_inbox": {"id": "Pesan masuk", "en": "Messages"},
    "ws_inbox_none": {"id": "Belum ada pesan.", "en": "No messages yet."},
    "ws_message_line": {"id": "Hari {day}, {village}: {text}", "en": "Day {day}, {village}: {text}"},
    "ws_new": {"id": "BARU", "en": "NEW"},
    "ws_reports_since": {"id": "Laporan yang sampai ke meja Camat, hari {a}–{b}", "en": "Reports on the Camat's desk, days {a}–{b}"},
    "ws_day_over": {
        "id": "Latihan selesai: malam hari {a}–{b} di meja Camat, hasil sampai hari {c} ({date}).",
        "en": "The exercise is over: evenings of days {a}–{b} at the Camat's desk, results to day {c} ({date}).",
    },
    "ws_run_last": {"id": "Jalankan hari terakhir", "en": "Run the last day"},
    "ws_evening": {"id": "malam", "en": "evening"},
    # debrief
    "db_title": {"id": "Evaluasi (debrief)", "en": "Debrief"},
    "db_running": {"id": "Menghitung pembanding pada seed yang sama…", "en": "Running the counterfactuals on the same seed…"},
    "db_compare": {"id": "Hasil Anda dibanding pembanding (seed dan hari yang sama)", "en": "Your result against comparisons (same seed and days)"},
    "db_you": {"id": "Anda", "en": "You"},
    "db_none": {"id": "Tanpa intervensi", "en": "No intervention"},
    "db_joint": {"id": "Gabungan dini, tanpa batas anggaran", "en": "Early joint policy, no budget limit"},
    "db_measure": {"id": "Ukuran", "en": "Measure"},
    "db_incidents": {"id": "Insiden", "en": "Incidents"},
    "db_participants": {"id": "Orang terlibat insiden", "en": "People in incidents"},
    "db_villages_violence": {"id": "Desa dengan kekerasan", "en": "Villages with violence"},
    "db_peak_mob": {"id": "Puncak warga bergerak (%)", "en": "Peak mobilised (%)"},
    "db_arrests": {"id": "Penahanan", "en": "Arrests"},
    "db_deaths": {"id": "Korban tewas", "en": "Deaths"},
    # which reports on the desk were right (siaga/app/debrief.py `verdicts_html`, simulation/warning_quality.py)
    "db_verdicts": {"id": "Laporan yang Anda terima: tepat atau alarm palsu?", "en": "The reports you received: right, or false alarms?"},
    "db_verdicts_summary": {
        "id": "{n} laporan sampai di meja Anda selama latihan: {warning} peringatan tepat (SIAGA/AWAS, insiden menyusul dalam 7 hari), "
              "{false_alarm} alarm palsu (SIAGA/AWAS tanpa insiden sebelum atau sesudahnya), {follow_up} laporan setelah insiden, "
              "{missed} terlewat (di bawah SIAGA, padahal insiden menyusul), {quiet} laporan tenang yang benar.",
        "en": "{n} reports reached your desk during the exercise: {warning} right warnings (SIAGA/AWAS, an incident followed within 7 days), "
              "{false_alarm} false alarms (SIAGA/AWAS with no incident before or after), {follow_up} reports after an incident, "
              "{missed} missed (below SIAGA, yet an incident followed), {quiet} correct all-clears."},
    "db_verdict_cols": {"id": "Dikirim hari|Sampai hari|Desa|Tingkat|Dari|Penilaian", "en": "Sent day|Arrived day|Village|Level|From|Verdict"},
    "db_verdict_warning": {"id": "peringatan tepat", "en": "right warning"},
    "db_verdict_false_alarm": {"id": "alarm palsu", "en": "false alarm"},
    "db_verdict_follow_up": {"id": "setelah insiden", "en": "after an incident"},
    "db_verdict_missed": {"id": "terlewat", "en": "missed"},
    "db_verdict_quiet": {"id": "tenang, benar", "en": "correct all-clear"},
    "db_verdicts_note": {"id": "Dinilai terhadap apa yang terjadi dalam run Anda: alarm yang Anda tindak lanjuti bisa tampak palsu karena perintah Anda mencegah insidennya.",
                         "en": "Judged against what happened in your run: an alarm you acted on may look false because your order prevented its incident."},
    "db_injured": {"id": "Korban luka", "en": "Injured"},
    "db_damaged": {"id": "Bangunan rusak", "en": "Buildings damaged"},
    "db_cost": {"id": "Biaya proaktif (orang-hari)", "en": "Proactive cost (person-days)"},
    "db_first_incident": {"id": "Insiden pertama (hari)", "en": "First incident (day)"},
    "db_seen": {"id": "Kapan eskalasi sebenarnya bisa terlihat", "en": "When each escalation could first have been seen"},
    "db_seen_cols": {
        "id": "Desa|Tingkat nyata malam pertama|SIAGA nyata pertama|Laporan ≥WASPADA pertama|Laporan ≥SIAGA pertama|Perintah Anda pertama|Insiden (Anda / tanpa intervensi)",
        "en": "Village|True level, first evening|First true SIAGA|First report ≥WASPADA|First report ≥SIAGA|Your first order|Incidents (you / no intervention)",
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
        "Perilaku model dikalibrasi pada pola nasional, bukan pada kecamatan ini: bandingkan, jangan meramal.",
        "en": "All runs use the same scenario and seed; differences come from decisions, not luck. "
        "The model's behaviour is fitted to national patterns, not to this kecamatan: compare, do not forecast.",
    },
    "db_download": {"id": "Unduh evaluasi (HTML)", "en": "Download the debrief (HTML)"},
    "db_no_orders": {"id": "(tidak ada perintah)", "en": "(no orders)"},
    "db_window": {"id": "Latihan: malam hari {a}–{b} di meja Camat; hasil dihitung hari {a}–{c} (perintah malam terakhir berlaku hari {c})",
                  "en": "Exercise: evenings of days {a}–{b} at the Camat's desk; results counted over days {a}–{c} (the last evening's orders act on day {c})"},
    # fair evaluation and the after-action report (siaga/app/fair_evaluation.py, siaga/app/after_action.py)
    "db_before": {"id": "sebelum latihan", "en": "before the exercise"},
    "db_chart_title": {"id": "Insiden kumulatif selama latihan (hari {a}–{b})", "en": "Cumulative incidents during the exercise (days {a}–{b})"},
    "db_day_note": {
        "id": "Hari perintah = malam ketika perintah diberikan; perintah berlaku mulai keesokan harinya.",
        "en": "An order's day is the evening it was given; it acts from the next day.",
    },
    "db_pdf": {"id": "Unduh laporan pasca-latihan (PDF)", "en": "Download the after-action report (PDF)"},
    "db_eval_time": {"id": "Pembanding dihitung dalam {s:.1f} detik ({n} simulasi jendela latihan).",
                     "en": "Comparisons computed in {s:.1f} s ({n} simulated exercise windows)."},
    "ev_you": {"id": "Anda", "en": "You"},
    "ev_none": {"id": "Tanpa intervensi", "en": "No intervention"},
    "ev_best": {"id": "Otomatis terbaik, anggaran Anda: {preset}", "en": "Best automatic, your budget: {preset}"},
    "ev_typical": {"id": "Otomatis tipikal, anggaran Anda: {preset}", "en": "Typical automatic, your budget: {preset}"},
    "ev_joint_unlimited": {"id": "Gabungan dini, tanpa batas anggaran", "en": "Early joint policy, no budget limit"},
    "ev_short_you": {"id": "Anda", "en": "You"},
    "ev_short_none": {"id": "Tanpa intervensi", "en": "No intervention"},
    "ev_short_best": {"id": "Otomatis terbaik", "en": "Best automatic"},
    "ev_short_typical": {"id": "Otomatis tipikal", "en": "Typical automatic"},
    "ev_short_joint_unlimited": {"id": "Gabungan tanpa batas", "en": "Joint, no limit"},
    "ev_preset_kades_early": {"id": "Kades memediasi dini", "en": "Kades mediate early"},
    "ev_preset_police_early": {"id": "patroli polisi dini", "en": "early police patrols"},
    "ev_preset_counter_hoax": {"id": "kontra-hoaks", "en": "counter-hoax"},
    "ev_preset_camat_coordination": {"id": "rakor Camat otomatis", "en": "the Camat's automatic rakor"},
    "ev_preset_joint": {"id": "gabungan dini", "en": "early joint policy"},
    "ev_m_incidents": {"id": "Insiden", "en": "Incidents"},
    "ev_m_participants": {"id": "Orang terlibat insiden", "en": "People in incidents"},
    "ev_m_villages": {"id": "Desa dengan kekerasan", "en": "Villages with violence"},
    "ev_m_peak": {"id": "Puncak warga bergerak (%)", "en": "Peak mobilised (%)"},
    "ev_m_arrests": {"id": "Penahanan", "en": "Arrests"},
    "ev_m_first": {"id": "Insiden pertama (hari)", "en": "First incident (day)"},
    "ev_m_spent": {"id": "Orang-hari kerja proaktif", "en": "Proactive person-days"},
    "ev_m_per_pd": {"id": "Insiden dicegah per orang-hari", "en": "Incidents averted per person-day"},
    "ev_spend_you": {
        "id": "Anda: {spent:g} orang-hari kerja proaktif tercatat dalam latihan (anggaran {budget:g}; biaya perintah yang ditagihkan {charged:g}).",
        "en": "You: {spent:g} person-days of proactive work counted in the exercise (budget {budget:g}; orders charged {charged:g}).",
    },
    "ev_spend_none": {
        "id": "Tanpa intervensi: 0 orang-hari; polisi hanya datang setelah insiden.",
        "en": "No intervention: 0 person-days; the police come only after an incident.",
    },
    "ev_spend_full": {
        "id": "{label}: bertindak otomatis sejak hari {a} sampai akhir, memakai {spent:g} dari {budget:g} orang-hari anggaran Anda.",
        "en": "{label}: acted automatically from day {a} to the end, using {spent:g} of your {budget:g} person-days.",
    },
    "ev_spend_stopped": {
        "id": "{label}: bertindak otomatis hari {a}–{d}, lalu dihentikan agar tidak melampaui {budget:g} orang-hari (terpakai {spent:g}, termasuk kerja yang sudah berjalan).",
        "en": "{label}: acted automatically on days {a}–{d}, then was stopped to stay within {budget:g} person-days ({spent:g} used, work already under way included).",
    },
    "ev_spend_never": {
        "id": "{label}: tidak bertindak sama sekali, karena satu hari kebijakan ini saja sudah melampaui {budget:g} orang-hari.",
        "en": "{label}: did not act at all: a single day of this policy already costs more than {budget:g} person-days.",
    },
    "ev_spend_joint": {
        "id": "{label}: semua pihak bertindak otomatis sejak hari 0 tanpa batas anggaran, menghabiskan {total:,.0f} orang-hari ({spent:,.0f} dalam latihan); batas atas, bukan pembanding setara.",
        "en": "{label}: everyone acted automatically from day 0 with no budget limit, spending {total:,.0f} person-days ({spent:,.0f} in the exercise); an upper bound, not a like-for-like comparison.",
    },
    "ev_summary_best": {
        "id": "Kebijakan otomatis terbaik dengan anggaran yang sama ({preset}): {n} insiden; Anda: {you}.",
        "en": "The best automatic policy on the same budget ({preset}): {n} incidents; you: {you}.",
    },
    "aar_title": {"id": "Laporan Pasca-Latihan", "en": "After-Action Report"},
    "aar_session_title": {"id": "Laporan Pasca-Latihan Sesi {code}", "en": "Session After-Action Report {code}"},
    "aar_overview": {"id": "Gambaran latihan", "en": "Exercise overview"},
    "aar_overview_line": {
        "id": "Peserta: {name}. Skenario: {scenario}, seed {seed}. Malam di meja Camat: hari {a}–{b} ({da} – {db}). Anggaran {budget:g} orang-hari; {orders} perintah.",
        "en": "Trainee: {name}. Scenario: {scenario}, seed {seed}. Evenings at the Camat's desk: days {a}–{b} ({da} – {db}). Budget {budget:g} person-days; {orders} orders.",
    },
    "aar_session_line": {
        "id": "Skenario: {scenario}, seed {seed}. Malam di meja Camat: hari {a}–{b}. Anggaran {budget:g} orang-hari per peserta. Peserta selesai: {done} dari {n}.",
        "en": "Scenario: {scenario}, seed {seed}. Evenings at the Camat's desk: days {a}–{b}. Budget {budget:g} person-days per trainee. Trainees finished: {done} of {n}.",
    },
    "aar_summary": {"id": "Ringkasan", "en": "Summary"},
    "aar_comparison": {"id": "Perbandingan pada seed dan hari yang sama", "en": "Comparison on the same seed and days"},
    "aar_spending": {"id": "Apa yang dibelanjakan setiap pembanding", "en": "What each comparison spent"},
    "aar_strengths": {"id": "Yang berjalan baik (kekuatan)", "en": "What went well (strengths)"},
    "aar_improve": {"id": "Area yang perlu diperbaiki", "en": "Areas for improvement"},
    "aar_plan": {"id": "Rencana perbaikan", "en": "Improvement plan"},
    "aar_plan_cols": {"id": "Area perbaikan|Tindakan|Penanggung jawab|Tanggal", "en": "Area for improvement|Action|Owner|Date"},
    "aar_objectives": {"id": "Sasaran latihan", "en": "Exercise objectives"},
    "aar_no_objectives": {"id": "Latihan ini tidak menetapkan sasaran.", "en": "This exercise sets no objectives."},
    "aar_met": {"id": "tercapai", "en": "met"},
    "aar_not_met": {"id": "tidak tercapai", "en": "not met"},
    "aar_nothing": {"id": "(tidak ada temuan otomatis; bahas bersama fasilitator)", "en": "(no automatic finding; discuss with the facilitator)"},
    "aar_trainees": {"id": "Peserta", "en": "Trainees"},
    "aar_not_finished": {"id": "Belum selesai: {names}.", "en": "Not finished: {names}."},
    "aar_page": {"id": "halaman {n}", "en": "page {n}"},
    "aar_col_name": {"id": "Peserta / pembanding", "en": "Trainee / comparison"},
    "aar_col_orders": {"id": "Perintah", "en": "Orders"},
    "aar_obj_no_incident": {"id": "Tidak ada insiden di {village} (terjadi {value}).", "en": "No incident in {village} ({value} happened)."},
    "aar_obj_incidents_at_most": {"id": "Paling banyak {target} insiden di kecamatan (terjadi {value}).", "en": "At most {target} incidents in the kecamatan ({value} happened)."},
    "aar_obj_respond_within": {
        "id": "Setiap desa yang dilaporkan {level} atau lebih mendapat perintah dalam {target} hari ({value} laporan tidak ditanggapi tepat waktu).",
        "en": "Every village reported at {level} or above gets an order within {target} days ({value} reports not answered in time).",
    },
    "aar_s_averted": {"id": "Insiden berkurang {d} dibanding tanpa intervensi ({you} lawan {none}).", "en": "{d} fewer incidents than with no intervention ({you} against {none})."},
    "aar_s_zero": {"id": "Tidak ada insiden selama latihan.", "en": "No incident during the exercise."},
    "aar_s_best": {
        "id": "Setara atau lebih baik dari kebijakan otomatis terbaik dengan anggaran yang sama ({preset}: {n} insiden).",
        "en": "As good as or better than the best automatic policy on the same budget ({preset}: {n} incidents).",
    },
    "aar_s_efficient": {
        "id": "Setiap orang-hari Anda mencegah {x:.3f} insiden, lebih banyak dari kebijakan otomatis tipikal ({y}).",
        "en": "Each of your person-days averted {x:.3f} incidents, more than the typical automatic policy ({y}).",
    },
    "aar_s_early": {"id": "Bertindak sebelum desa mencapai SIAGA: {villages}.", "en": "Acted before the village reached SIAGA: {villages}."},
    "aar_i_worse_none": {"id": "Insiden lebih banyak daripada tanpa intervensi ({you} lawan {none}).", "en": "More incidents than with no intervention ({you} against {none})."},
    "aar_i_worse_best": {
        "id": "Kebijakan otomatis {preset} dengan anggaran yang sama: {n} insiden; Anda: {you} ({d} lebih banyak).",
        "en": "The automatic policy {preset} on the same budget: {n} incidents; you: {you} ({d} more).",
    },
    "aar_i_unordered": {"id": "Desa dengan insiden tanpa perintah Anda: {villages}.", "en": "Villages with incidents that got no order from you: {villages}."},
    "aar_i_late": {"id": "Perintah pertama baru diberikan setelah insiden pertama di: {villages}.", "en": "The first order came only after the first incident in: {villages}."},
    "aar_i_no_orders": {"id": "Tidak ada perintah yang diberikan.", "en": "No order was given."},
    "aar_i_unused": {
        "id": "Hanya {charged:g} dari {budget:g} orang-hari anggaran terpakai, padahal terjadi {n} insiden.",
        "en": "Only {charged:g} of the {budget:g} person-days were used, while {n} incidents happened.",
    },
    "aar_ss_averted": {"id": "{k} dari {n} peserta mengurangi insiden dibanding tanpa intervensi.", "en": "{k} of {n} trainees had fewer incidents than with no intervention."},
    "aar_ss_top": {"id": "Hasil terbaik: {name} ({n} insiden).", "en": "Best result: {name} ({n} incidents)."},
    "aar_ss_best": {"id": "Setara atau lebih baik dari otomatis terbaik dengan anggaran yang sama: {names}.", "en": "As good as or better than the best automatic policy on the same budget: {names}."},
    "aar_si_typical": {"id": "Lebih banyak insiden daripada kebijakan otomatis tipikal ({n}): {names}.", "en": "More incidents than the typical automatic policy ({n}): {names}."},
    "aar_si_village": {"id": "Desa yang paling sering kena insiden tanpa perintah: {village} ({k} peserta).", "en": "The village most often hit without an order: {village} ({k} trainees)."},
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
    # nothing lost (workshop database, siaga/app/store.py) and the facilitator's console
    "confirm_yes": {"id": "Ya", "en": "Yes"},
    "confirm_cancel": {"id": "Batal", "en": "Cancel"},
    "ws_restoring": {"id": "Memulihkan latihan Anda…", "en": "Restoring your exercise…"},
    # the run-up before the desk opens, in the background (siaga/app/run_up.py)
    "ws_runup_build": {"id": "Menyiapkan latihan: membangun model…", "en": "Preparing the exercise: building the model…"},
    "ws_runup_day": {"id": "Menyiapkan latihan: model sudah berjalan sampai hari {day} dari {n}…",
                     "en": "Preparing the exercise: the model has run to day {day} of {n}…"},
    "ws_runup_restore": {"id": "Memulihkan latihan Anda: hari {day} dari {n}…", "en": "Restoring your exercise: day {day} of {n}…"},
    "ws_runup_cancel": {"id": "Batalkan", "en": "Cancel"},
    "ws_runup_failed": {"id": "Latihan tidak dapat disiapkan: {why}", "en": "The exercise could not be prepared: {why}"},
    "ws_restored": {"id": "Latihan dipulihkan: hari {day}, {n} perintah.", "en": "Exercise restored: day {day}, {n} orders."},
    "ws_restore_differs": {
        "id": "Perhatian: {n} perintah memberi hasil lain saat dipulihkan (model sudah berubah sejak itu).",
        "en": "Note: {n} orders came out differently when restored (the model has changed since).",
    },
    "ws_again_confirm": {
        "id": "Mulai latihan baru? Evaluasi ini tetap tersimpan untuk fasilitator; unduh dulu bila perlu.",
        "en": "Start a new exercise? This evaluation stays stored for the facilitator; download it first if needed.",
    },
    "ws_again_yes": {"id": "Ya, mulai baru", "en": "Yes, start again"},
    "ws_session_paused": {"id": "Fasilitator menjeda sesi ini. Tunggu sebentar.", "en": "The facilitator has paused this session. Please wait."},
    "ws_session_ended": {"id": "Fasilitator telah mengakhiri sesi ini.", "en": "The facilitator has ended this session."},
    # the same trainee open in two tabs or browsers (siaga/app/one_tab.py)
    "ws_other_tab": {"id": "Latihan ini dilanjutkan di tab atau perangkat lain. Perintah dan hari dari tab ini tidak disimpan lagi, "
                           "agar tidak menimpa yang lebih baru. Muat ulang untuk melanjutkan dari keadaan terakhir.",
                     "en": "This exercise continues in another tab or device. Orders and days from this tab are no longer saved, "
                           "so as not to overwrite the newer ones. Reload to continue from the latest state."},
    "ws_other_tab_reload": {"id": "Muat ulang latihan", "en": "Reload the exercise"},
    "fac_pin": {"id": "PIN fasilitator", "en": "Facilitator PIN"},
    "fac_ago": {"id": "aktif {m} menit lalu", "en": "active {m} min ago"},
    "fac_auto": {"id": "Segarkan otomatis (setiap {s} detik)", "en": "Refresh automatically (every {s} seconds)"},
    "fac_exercise_file": {"id": "Berkas latihan (— : atur sendiri)", "en": "Exercise file (— : set it yourself)"},
    "fac_pin_enter": {"id": "Masuk", "en": "Enter"},
    "fac_pin_wrong": {"id": "PIN salah.", "en": "Wrong PIN."},
    "fac_pin_needed": {
        "id": "Halaman fasilitator dilindungi PIN (lihat layar tempat `siaga ui` dijalankan).",
        "en": "The facilitator's page is protected by a PIN (see the screen where `siaga ui` runs).",
    },
    "fac_replace_confirm": {
        "id": "Buat sesi baru? Kode {code} tetap bisa dibuka lagi dengan 'Buka sesi'.",
        "en": "Create a new session? Code {code} can still be reopened with 'Open session'.",
    },
    "fac_state_open": {"id": "berjalan", "en": "running"},
    "fac_state_paused": {"id": "dijeda", "en": "paused"},
    "fac_state_ended": {"id": "selesai", "en": "ended"},
    "fac_session_state": {"id": "Status sesi: {state}", "en": "Session status: {state}"},
    "fac_pause": {"id": "Jeda", "en": "Pause"},
    "fac_resume": {"id": "Lanjutkan", "en": "Resume"},
    "fac_end": {"id": "Akhiri sesi", "en": "End the session"},
    "fac_end_confirm": {"id": "Akhiri sesi? Peserta tidak bisa menjalankan hari lagi.", "en": "End the session? Trainees can no longer run days."},
    "fac_col_name": {"id": "Nama", "en": "Name"},
    "fac_col_status": {"id": "Status", "en": "Status"},
    "fac_col_day": {"id": "Hari", "en": "Day"},
    "fac_col_orders": {"id": "Perintah", "en": "Orders"},
    "fac_col_budget": {"id": "Sisa anggaran", "en": "Budget left"},
    "fac_col_incidents": {"id": "Insiden", "en": "Incidents"},
    "fac_rename": {"id": "Ganti nama", "en": "Rename"},
    "fac_remove": {"id": "Hapus", "en": "Remove"},
    "fac_remove_confirm": {"id": "Hapus {name} dari tabel?", "en": "Remove {name} from the table?"},
    "fac_new_name": {"id": "Nama baru", "en": "New name"},
    "fac_notes": {"id": "Catatan pribadi fasilitator (hanya terlihat di sini)", "en": "Facilitator's private notes (shown only here)"},
    "fac_notes_save": {"id": "Simpan catatan", "en": "Save notes"},
    "fac_notes_saved": {"id": "Catatan disimpan.", "en": "Notes saved."},
    "fac_csv": {"id": "Unduh perbandingan (CSV)", "en": "Download the comparison (CSV)"},
    "fac_zip": {"id": "Unduh semua evaluasi (ZIP)", "en": "Download every evaluation (ZIP)"},
    "fac_inject_title": {"id": "Kirim inject sekarang (ke semua peserta sesi ini)", "en": "Fire an inject now (at every trainee of this session)"},
    "fac_inject_kind": {"id": "Jenis", "en": "Kind"},
    "fac_inject_message": {"id": "hanya pesan", "en": "message only"},
    "fac_inject_hoax": {"id": "hoaks mulai beredar", "en": "a hoax starts spreading"},
    "fac_inject_provocation": {"id": "provokasi", "en": "a provocation"},
    "fac_inject_report": {"id": "laporan AWAS ke meja Camat", "en": "an AWAS report to the Camat's desk"},
    "fac_inject_text": {"id": "Pesan untuk peserta (Bahasa Indonesia)", "en": "Message to the trainees (Bahasa Indonesia)"},
    "fac_inject_text_en": {"id": "Pesan dalam bahasa Inggris (boleh kosong)", "en": "Message in English (may be empty)"},
    "fac_inject_fire": {"id": "Kirim inject", "en": "Fire the inject"},
    "fac_inject_no_text": {"id": "Tulis pesan untuk peserta dulu.", "en": "Write the trainees' message first."},
    "fac_inject_sent": {"id": "Inject terkirim: setiap peserta menerimanya pada hari berikutnya yang ia jalankan.",
                        "en": "Inject fired: each trainee receives it on the next day they run."},
    "fac_session_pdf": {"id": "Unduh laporan tindak lanjut sesi (PDF)", "en": "Download the session's after-action report (PDF)"},
    # the facilitator's view of one trainee's desk (siaga/app/trainee_view.py)
    "fac_view_title": {"id": "Meja peserta: {name}", "en": "Trainee's desk: {name}"},
    "fac_view_hint": {"id": "Pilih peserta di kotak Nama untuk melihat mejanya.", "en": "Pick a trainee in the Name box to see their desk."},
    "fac_view_day": {"id": "Hari {day}{date}", "en": "Day {day}{date}"},
    "fac_view_orders": {"id": "Perintah yang diberikan ({n}; biaya {cost:g} orang-hari)", "en": "Orders given ({n}; cost {cost:g} person-days)"},
    "fac_view_no_orders": {"id": "Belum ada perintah.", "en": "No orders yet."},
    "fac_view_cost": {"id": "Biaya", "en": "Cost"},
    "fac_view_outcome": {"id": "Hasil", "en": "Outcome"},
    "fac_view_not_live": {
        "id": "Halaman peserta ini tidak terbuka di server ini (ditutup, atau server dimulai ulang): yang tampil adalah isi basis data "
              "(hari dan perintah). Peta meja muncul lagi saat peserta kembali ke halamannya.",
        "en": "This trainee's page is not open on this server (closed, or the server was restarted): shown is what the database "
              "holds (day and orders). The desk map appears again when the trainee comes back to their page.",
    },
    "fac_view_busy": {"id": "Hari peserta sedang berjalan; meja diperbarui pada penyegaran berikutnya.",
                      "en": "The trainee's day is running; the desk updates at the next refresh."},
    "sys_disconnected": {"id": "Koneksi ke server terputus.", "en": "Server disconnected."},
    "sys_restoring": {"id": "Memulihkan sesi…", "en": "Restoring session…"},
    "sys_refresh_title": {"id": "Muat ulang halaman", "en": "Please refresh the page"},
    "sys_not_restored": {
        "id": "Sesi tidak dapat dipulihkan. Muat ulang halaman: latihan Anda tersimpan dan akan dilanjutkan.",
        "en": "Could not restore session. Refresh the page: your exercise is stored and will continue.",
    },
    "sys_app_disconnected": {
        "id": "Aplikasi terputus dan mungkin tidak berfungsi. Muat ulang halaman.",
        "en": "App is disconnected, and may not function properly. Please refresh the page.",
    },
    "sys_refresh_now": {"id": "Muat ulang sekarang", "en": "Refresh now"},
    "sys_runs_on": {"id": "Situs ini berjalan dengan", "en": "This website runs on"},
    "sys_made_with": {"id": "Dibuat dengan", "en": "Made with"},
}

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
    "recovery": {"id": "Setelah setiap insiden, tiga pertemuan pemulihan (Kades, tokoh, Tim Terpadu) berselang seminggu.",
                 "en": "After each incident, three reconciliation meetings (Kades, tokoh, Tim Terpadu) a week apart."},
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


def stages_text(stages: list[tuple[str, str, int]], lang: str) -> str:
    """Today's stage; where staggered races stand at different stages, each with its number of
    races ("Kampanye 3, Masa tenang 2 (jumlah pemilihan)")."""
    if len(stages) == 1:
        return stage_label(stages[0][0], stages[0][1], lang)
    listed = ", ".join(f"{stage_label(name, label, lang)} {n}" for name, label, n in stages)
    return t("stages_by_race", lang, stages=listed)
