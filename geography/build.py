"""Rebuild `geography/data/` from the shared national dataset (run by hand; never at run time).

    python -m geography.build --source ../shared/data/indonesia

This is the only code that reads the shared dataset. It writes, into `geography/data/`:

- `units.parquet`: the 91,599 units of the 2025 code list with parent, population, official area,
  centroid and area (provinces: derived from their kab/kota), and whether a polygon is packaged;
- `desa_shapes.parquet`, `kec_shapes.parquet`, `kab_shapes.parquet`: the polygons, snapped to a
  1e-5° grid and stored as ring-delta int32 lists (`geography.codec`); `--simplify-deg` simplifies
  them further first (default 0: keep the shared dataset's own 0.0008° simplification);
- `adjacency.parquet`: the village neighbour pairs, with lengths rounded to a metre or better;
- `manifest.json`: source commits, parameters, counts, the largest displacement the storage causes
  (Hausdorff distance to the shared polygons), each file's size and SHA-256, and the shared
  dataset's own report of data problems.

`README.md` and `LICENSE` in that folder are written by hand and left alone. Two builds from the same
source give byte-identical files (no timestamps; fixed row order; one row group per file).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from geography.codec import GRID_DEG, SHAPE_COLUMNS, decode, encode
from geography.store import ADJACENCY_FILE, DATA_DIR, MANIFEST_FILE, SHAPE_FILES, UNITS_FILE

M_PER_DEG = 111_320.0  # metres per degree of latitude (and of longitude at the equator)
LEVEL_SOURCE = {"desa": "desa_geo.parquet", "kecamatan": "kec_geo.parquet", "kabupaten": "kab_geo.parquet"}
EXTRA_COLUMNS = {"desa": ("match",), "kecamatan": ("geom_source", "n_desa", "n_desa_geom"), "kabupaten": ("geom_source", "n_desa", "n_desa_geom")}
WRITE = {"compression": "zstd", "compression_level": 19, "write_statistics": False, "row_group_size": 1 << 30}


def _write(table: Any, out: Path) -> None:
    import pyarrow.parquet as pq

    strings = [f.name for f in table.schema if str(f.type) in ("string", "large_string")]
    pq.write_table(table, out, use_dictionary=strings, **WRITE)


def _read_source(source: Path, name: str) -> Any:
    import pyarrow.parquet as pq

    t = pq.read_table(source / name)
    t = t.replace_schema_metadata(None)
    kode = t.column("kode").to_pylist()
    if kode != sorted(kode) or len(set(kode)) != len(kode):
        raise SystemExit(f"{name}: codes are not unique and sorted")
    return t


def build_units(source: Path, geo: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
    """The unit table: wilayah.csv plus centroid, area and has_geom from each level's geometry file."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    wil = pd.read_csv(source / "wilayah.csv", dtype=str, keep_default_na=False)
    if list(wil.kode) != sorted(wil.kode) or wil.kode.duplicated().any():
        raise SystemExit("wilayah.csv: codes are not unique and sorted")
    out = pd.DataFrame({"kode": wil.kode, "nama": wil.nama, "tingkat": wil.tingkat})
    out["kode_induk"] = wil.kode_induk.replace("", None)
    out["penduduk_2024"] = pd.to_numeric(wil.penduduk_2024.replace("", None)).astype("Int64")
    out["luas_km2"] = pd.to_numeric(wil.luas_km2.replace("", None)).astype("float64")
    for col in ("lat", "lng", "area_km2"):
        out[col] = np.nan
    out["has_geom"] = False
    pos = pd.Series(np.arange(len(out)), index=out.kode)
    for t in geo.values():
        idx = pos.loc[t.column("kode").to_pylist()].to_numpy()
        for col in ("lat", "lng", "area_km2"):
            out.loc[idx, col] = t.column(col).to_numpy()
        out.loc[idx, "has_geom"] = True
    # provinces: no outline file; centroid = area-weighted mean of their kab/kota centroids, area = sum
    kab = out[out.tingkat.isin(["kabupaten", "kota"])]
    w = kab.area_km2.to_numpy()
    grp = kab.kode.str[:2].to_numpy()
    prov = pd.DataFrame({"a": w, "la": kab.lat.to_numpy() * w, "ln": kab.lng.to_numpy() * w, "p": grp}).groupby("p").sum()
    pidx = pos.loc[prov.index].to_numpy()
    out.loc[pidx, "area_km2"] = prov.a.to_numpy()
    out.loc[pidx, "lat"] = (prov.la / prov.a).to_numpy()
    out.loc[pidx, "lng"] = (prov.ln / prov.a).to_numpy()
    out["lat"] = out.lat.round(6)
    out["lng"] = out.lng.round(6)
    out["area_km2"] = out.area_km2.round(6)
    mismatch = (wil.has_geom.replace("", "0") == "1") != out.has_geom
    mismatch &= out.tingkat != "provinsi"
    if mismatch.any():
        raise SystemExit(f"has_geom disagrees with the geometry files for {list(out.kode[mismatch][:5])}")
    table = pa.Table.from_pandas(out, preserve_index=False).replace_schema_metadata(None)
    counts = {k: int(v) for k, v in out.tingkat.value_counts().sort_index().items()}
    return table, {"units": len(out), "by_tingkat": counts, "villages_with_polygon": int(out.has_geom[out.tingkat.isin(["desa", "kelurahan"])].sum())}


def build_shapes(level: str, t: Any, simplify_deg: float, grid: float) -> tuple[Any, dict[str, Any]]:
    """One shape file: code, provenance columns, and the encoded polygons; plus what the storage costs."""
    import numpy as np
    import pyarrow as pa
    import shapely

    src = shapely.from_wkb(t.column("geometry").to_numpy(zero_copy_only=False))
    geoms = shapely.simplify(src, simplify_deg, preserve_topology=True) if simplify_deg > 0 else src
    snapped = shapely.set_precision(geoms, grid)
    bad = ~shapely.is_valid(snapped) | shapely.is_empty(snapped)
    if bad.any():
        raise SystemExit(f"{level}: {int(bad.sum())} polygons are invalid or empty after snapping to {grid}°")
    cols: dict[str, Any] = {"kode": t.column("kode")}
    for c in EXTRA_COLUMNS[level]:
        cols[c] = t.column(c)
    cols.update(encode(snapped, grid))
    table = pa.table(cols)
    back = decode(table.select(list(SHAPE_COLUMNS)), grid)
    # parts that vanish on the grid: slivers and needle triangles left by the source's simplification
    parts, owner = shapely.get_parts(geoms, return_index=True)
    lost = shapely.is_empty(shapely.set_precision(parts, grid))
    kept = shapely.multipolygons(parts[~lost], indices=owner[~lost])
    shift = _farthest(back, kept)  # how far a stored vertex lies from the source outline
    spike = _farthest(kept, back)  # how far a source vertex lies from the stored outline
    stats = {
        "rows": table.num_rows,
        "vertices_source": int(shapely.get_num_coordinates(src).sum()),
        "vertices_stored": int(shapely.get_num_coordinates(back).sum()),
        "multipolygons": int((shapely.get_num_geometries(back) > 1).sum()),
        "max_vertex_shift_m": round(float(shift.max()) * M_PER_DEG, 3),
        "parts_dropped_on_grid": int(lost.sum()),
        "parts_dropped_max_area_m2": round(float(shapely.area(parts[lost]).max(initial=0)) * M_PER_DEG**2, 1),
        "units_with_parts_dropped": int(len(set(owner[lost].tolist()))),
        "units_with_spikes_removed": int((spike * M_PER_DEG > 5).sum()),
        "spike_removed_max_m": round(float(spike.max()) * M_PER_DEG, 1),
        "spike_removed_max_kode": t.column("kode")[int(np.argmax(spike))].as_py(),
        "area_change_max_rel": round(float(np.max(np.abs(shapely.area(back) / shapely.area(src) - 1))), 6),
    }
    return table, stats


def _farthest(a: Any, b: Any) -> Any:
    """For each i, the largest distance (degrees) from a vertex of a[i] to the boundary of b[i]."""
    import numpy as np
    import shapely

    out = np.zeros(len(a))
    pts, owner = shapely.get_coordinates(a, return_index=True)
    np.maximum.at(out, owner, shapely.distance(shapely.points(pts), shapely.boundary(b)[owner]))
    return out


def build_adjacency(source: Path) -> tuple[Any, dict[str, Any]]:
    """Neighbour pairs, each once with kode_a < kode_b; lengths rounded (border to 0.1 m, gap to 0.1 m,
    overlap to 1 m²), which is far below the ±50 m the source borders are good for."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = _read_adjacency(source)
    a, b = t.column("kode_a").to_pylist(), t.column("kode_b").to_pylist()
    if any(x >= y for x, y in zip(a, b)) or len(set(zip(a, b))) != len(a):
        raise SystemExit("desa_adjacency.parquet: pairs are not unique with kode_a < kode_b")
    order = sorted(range(len(a)), key=lambda i: (a[i], b[i]))
    t = t.take(pa.array(order))
    table = pa.table({
        "kode_a": t.column("kode_a"),
        "kode_b": t.column("kode_b"),
        "shared_border_km": pc.round(t.column("shared_border_km"), 4),
        "gap_m": pc.round(t.column("gap_m"), 1),
        "overlap_km2": pc.round(t.column("overlap_km2"), 6),
    })
    return table, {"pairs": table.num_rows}


def _read_adjacency(source: Path) -> Any:
    import pyarrow.parquet as pq

    return pq.read_table(source / "desa_adjacency.parquet").replace_schema_metadata(None)


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m geography.build", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--source", type=Path, required=True, help="the shared dataset folder (with wilayah.csv, desa_geo.parquet, ...)")
    ap.add_argument("--out", type=Path, default=DATA_DIR, help=f"output folder (default: {DATA_DIR})")
    ap.add_argument("--simplify-deg", type=float, default=0.0, help="extra Douglas-Peucker simplification, degrees (default 0: none)")
    ap.add_argument("--grid-deg", type=float, default=GRID_DEG, help=f"grid the vertices are snapped to, degrees (default {GRID_DEG}); "
                    "the readers assume the default, so change codec.GRID_DEG with it")
    args = ap.parse_args(argv)
    source: Path = args.source
    if not (source / "wilayah.csv").exists():
        ap.error(f"{source} has no wilayah.csv: point --source at the shared data/indonesia folder")
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    src_manifest = json.loads((source / "manifest.json").read_text(encoding="utf-8"))

    geo = {level: _read_source(source, name) for level, name in LEVEL_SOURCE.items()}
    report: dict[str, Any] = {}
    units, report["units"] = build_units(source, geo)
    _write(units, args.out / UNITS_FILE)
    for level, t in geo.items():
        table, report[level] = build_shapes(level, t, args.simplify_deg, args.grid_deg)
        _write(table, args.out / SHAPE_FILES[level])
        print(f"{SHAPE_FILES[level]}: {report[level]}", file=sys.stderr)
    adj, report["adjacency"] = build_adjacency(source)
    _write(adj, args.out / ADJACENCY_FILE)

    files = [UNITS_FILE, *SHAPE_FILES.values(), ADJACENCY_FILE]
    manifest = {
        "built_by": "python -m geography.build (geography/build.py)",
        "sources": src_manifest["sources"],
        "source_dataset": {
            "parameters": src_manifest["parameters"],
            "versions": src_manifest["versions"],
            "files": src_manifest.get("files"),
        },
        "parameters": {"grid_deg": args.grid_deg, "extra_simplify_deg": args.simplify_deg, "source_simplify_deg": src_manifest["parameters"]["simplify_deg"]},
        "versions": _versions(),
        "report": report,
        "files": {name: {"bytes": (args.out / name).stat().st_size, "sha256": _sha256(args.out / name)} for name in files},
        "source_report": src_manifest["report"],
    }
    (args.out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    total = sum((args.out / n).stat().st_size for n in [*files, MANIFEST_FILE])
    for name in [*files, MANIFEST_FILE]:
        print(f"{name:24s} {(args.out / name).stat().st_size / 1e6:7.2f} MB", file=sys.stderr)
    print(f"{'total':24s} {total / 1e6:7.2f} MB, built in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    for extra in ("README.md", "LICENSE"):
        if not (args.out / extra).exists():
            print(f"warning: {args.out / extra} is missing (written by hand; see git)", file=sys.stderr)
    return 0


def _versions() -> dict[str, str]:
    import platform

    import numpy
    import pandas
    import pyarrow
    import shapely

    return {"python": platform.python_version(), "shapely": shapely.__version__, "geos": shapely.geos_version_string,
            "pyarrow": pyarrow.__version__, "pandas": pandas.__version__, "numpy": numpy.__version__}


if __name__ == "__main__":
    sys.exit(main())
