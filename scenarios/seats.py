"""Where the Camat's office and Polsek sit in each kecamatan (`seat`), and where the Polres sits
(`region.polres_seat`): police travel from there. None of this is in the sources; every rule here
is assumed and the scenario file says which rule gave which seat.

Kecamatan seat: the kelurahan nearest the kecamatan's centroid, or the village nearest it when the
kecamatan has no kelurahan (kelurahan are the urban villages, where offices are). Villages without
a polygon, placed at the centroid, are not chosen while any other village is there.

The kab/kota capital's kecamatan (the Polres is in the kab/kota capital), first rule that applies:
1. a province capital in a kabupaten, from PROVINCE_CAPITALS (RECALLED);
2. a kota: its most central kecamatan (centroid nearest the kota's centroid);
3. a kabupaten with a kecamatan of the same name (Kecamatan Sampang in Kabupaten Sampang);
4. the kecamatan with the most kelurahan (the town), the one nearest the kab centroid on a tie;
5. the kecamatan nearest the kabupaten's centroid.
Checked by hand on the seed regions (Kepahiang, Wonosobo, Tenggarong for Kutai Kartanegara, Muara
Sabak Barat for Tanjung Jabung Timur) and Sampang; rule 3 or 4 picks the wrong kecamatan for some
kabupaten whose capital has another name (e.g. Banyumas: Purwokerto), so edit `polres_seat` where
you know better.

polres_seat: for a kab/kota, the seat of its capital's kecamatan. For a province, that of the
province capital's kab/kota (PROVINCE_CAPITALS). For a region inside a kab/kota (a kecamatan or a
village) whose capital lies outside it, the region's kecamatan seat nearest the capital's seat (the
scenario can only name one of its own villages; the file notes the distance to the real Polres).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from scenarios.place import centroid, village_table

if TYPE_CHECKING:
    import pandas as pd

# province -> (kab/kota of the capital, the capital's kecamatan where rule 2-5 would miss it, town).
# RECALLED from the laws that set the provinces up (e.g. UU 8/2022: Kalimantan Selatan's capital
# moved to Banjarbaru), not in the sources of docs/ODD.md §10.2.
PROVINCE_CAPITALS: dict[str, tuple[str, str | None, str]] = {
    "11": ("11.71", None, "Banda Aceh"), "12": ("12.71", None, "Medan"), "13": ("13.71", None, "Padang"),
    "14": ("14.71", None, "Pekanbaru"), "15": ("15.71", None, "Jambi"), "16": ("16.71", None, "Palembang"),
    "17": ("17.71", None, "Bengkulu"), "18": ("18.71", None, "Bandar Lampung"), "19": ("19.71", None, "Pangkal Pinang"),
    "21": ("21.72", None, "Tanjung Pinang"), "31": ("31.71", None, "Jakarta Pusat"), "32": ("32.73", None, "Bandung"),
    "33": ("33.74", None, "Semarang"), "34": ("34.71", None, "Yogyakarta"), "35": ("35.78", None, "Surabaya"),
    "36": ("36.73", None, "Serang"), "51": ("51.71", None, "Denpasar"), "52": ("52.71", None, "Mataram"),
    "53": ("53.71", None, "Kupang"), "61": ("61.71", None, "Pontianak"), "62": ("62.71", None, "Palangka Raya"),
    "63": ("63.72", None, "Banjarbaru"), "64": ("64.72", None, "Samarinda"), "65": ("65.01", "65.01.05", "Tanjung Selor"),
    "71": ("71.71", None, "Manado"), "72": ("72.71", None, "Palu"), "73": ("73.71", None, "Makassar"),
    "74": ("74.71", None, "Kendari"), "75": ("75.71", None, "Gorontalo"), "76": ("76.02", None, "Mamuju"),
    "81": ("81.71", None, "Ambon"), "82": ("82.72", "82.72.02", "Sofifi"), "91": ("91.71", None, "Jayapura"),
    "92": ("92.02", None, "Manokwari"), "93": ("93.01", None, "Merauke"), "94": ("94.01", None, "Nabire"),
    "95": ("95.01", "95.01.01", "Wamena"), "96": ("96.71", None, "Sorong"),
}
_PREFIX = re.compile(r"^(kabupaten|kota)(administrasi)?")


def _nearest(lat, lng, lat0: float, lng0: float) -> int:
    import numpy as np

    from geography import distance_km

    d = np.atleast_1d(distance_km(np.asarray(lat, float), np.asarray(lng, float), lat0, lng0))
    return int(np.argmin(d))  # first in code order on a tie


def seat_of(villages: pd.DataFrame, kec_centroid: tuple[float, float] | None) -> tuple[str, str]:
    """(code, the rule) of the seat of one kecamatan, from its rows of `village_table`."""
    pool = villages[~villages["from_kecamatan"].to_numpy()] if (~villages["from_kecamatan"]).any() else villages
    kel = pool[pool["tingkat"] == "kelurahan"]
    what = "the kelurahan" if len(kel) else "the village (no kelurahan)"
    pool = kel if len(kel) else pool
    if len(pool) == 1 or kec_centroid is None:
        return str(pool["kode"].iat[0]), f"{what} nearest the kecamatan's centroid"
    i = _nearest(pool["lat"], pool["lng"], *kec_centroid)
    return str(pool["kode"].iat[i]), f"{what} nearest the kecamatan's centroid"


def kecamatan_seats(villages: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """{kecamatan code: (seat village code, the rule)} for every kecamatan of `villages`."""
    return {kec: seat_of(group, centroid(kec)) for kec, group in villages.groupby("kecamatan", sort=True)}


def capital_kecamatan(kab: str) -> tuple[str, str]:
    """(kecamatan code, the rule that chose it) of the kab/kota's capital (module docstring)."""
    import geography
    from geography.names import fold

    prov = PROVINCE_CAPITALS.get(kab[:2])
    if prov and prov[0] == kab and prov[1]:
        return prov[1], f"the province capital {prov[2]} (RECALLED)"
    u = geography.unit(kab)
    t = geography.units()
    kecs = t[(t["tingkat"] == "kecamatan") & (t["kode_induk"] == kab)].reset_index(drop=True)
    where = centroid(kab)
    has_pos = kecs["lat"].notna() & kecs["lng"].notna()
    if u["tingkat"] == "kota" and where is not None and has_pos.any():
        k = kecs[has_pos]
        return str(k["kode"].iat[_nearest(k["lat"], k["lng"], *where)]), "the kota's most central kecamatan"
    short = _PREFIX.sub("", fold(str(u["nama"])))
    same = kecs[[fold(str(n)) == short for n in kecs["nama"]]]
    if len(same):
        return str(same["kode"].iat[0]), f"the kecamatan named like the kabupaten ({same['nama'].iat[0]})"
    vills = geography.villages_in(kab)
    kel = vills[vills["tingkat"] == "kelurahan"]["kode"].str[:8].value_counts()
    if len(kel):
        top = kel[kel == kel.max()].index
        tied = kecs[kecs["kode"].isin(top) & has_pos]
        if len(tied) == 1 or (len(tied) and where is None):
            return str(tied["kode"].iat[0]), f"the kecamatan with the most kelurahan ({tied['nama'].iat[0]}, {kel.max()})"
        if len(tied):
            i = _nearest(tied["lat"], tied["lng"], *where)
            return str(tied["kode"].iat[i]), (f"of the kecamatan with the most kelurahan ({kel.max()}), the one nearest the "
                                               "kabupaten's centroid")
    k = kecs[has_pos]
    if where is not None and len(k):
        return str(k["kode"].iat[_nearest(k["lat"], k["lng"], *where)]), "the kecamatan nearest the kabupaten's centroid"
    return str(kecs["kode"].iat[0]), "the first kecamatan in code order (no positions)"


def polres_seat(region: str, villages: pd.DataFrame, seats: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(village code, comment) of the Polres for a region of `villages` with kecamatan `seats`."""
    import geography

    level = geography.unit(region)["tingkat"]
    if level == "provinsi":
        kab, _, town = PROVINCE_CAPITALS[region]
        kec, why = capital_kecamatan(kab)
        prefix = f"the province capital {town} ({kab}, RECALLED); its capital kecamatan {kec}: {why}"
    else:
        kab = region[:5]
        kec, why = capital_kecamatan(kab)
        prefix = f"the kab/kota capital's kecamatan {kec}: {why}"
    if kec in seats:
        return seats[kec][0], f"{prefix}; its seat"
    # the capital lies outside the region: the region's kecamatan seat nearest the capital's seat
    outside = village_table(kec)
    code, _ = seat_of(outside, centroid(kec))
    row = outside[outside["kode"] == code].iloc[0]
    own = villages.set_index("kode").loc[[s for s, _ in seats.values()]]
    i = _nearest(own["lat"], own["lng"], float(row["lat"]), float(row["lng"]))
    from geography import distance_km

    dist = float(distance_km(float(own["lat"].iat[i]), float(own["lng"].iat[i]), float(row["lat"]), float(row["lng"])))
    return str(own.index[i]), (f"{prefix}, outside this region (seat {code} {row['nama']}); the region's kecamatan seat nearest it, "
                               f"{dist:.1f} km away in a straight line: backup from the real Polres travels that much further")
