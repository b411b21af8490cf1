"""Where the packaged geography files are and how they are read (each once per process).

The files in `geography/data/` are made by `python -m geography.build` (see data/README.md); the
package never reads anything outside that folder. Every reader is cached, so the first call of a
function pays for reading a file and later calls are free; nothing is read at import time.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

DATA_DIR = Path(__file__).resolve().parent / "data"

UNITS_FILE = "units.parquet"
ADJACENCY_FILE = "adjacency.parquet"
SHAPE_FILES = {"desa": "desa_shapes.parquet", "kecamatan": "kec_shapes.parquet", "kabupaten": "kab_shapes.parquet"}
"""Shape file per level of geometry: villages (desa and kelurahan), kecamatan, kab/kota."""
MANIFEST_FILE = "manifest.json"
DATA_FILES = (UNITS_FILE, *SHAPE_FILES.values(), ADJACENCY_FILE, MANIFEST_FILE)


def path(name: str) -> Path:
    """The packaged file `name`, with a message that says how to rebuild it when it is missing."""
    p = DATA_DIR / name
    if not p.exists():
        raise FileNotFoundError(
            f"{p} is missing: the geography data did not come with this installation; rebuild it with "
            "`python -m geography.build --source FOLDER`, FOLDER being the national dataset data/indonesia (geography/data/README.md)"
        )
    return p


@functools.cache
def table(name: str) -> pa.Table:
    """The whole packaged parquet file `name`, read once per process."""
    import pyarrow.parquet as pq

    return pq.read_table(path(name))
