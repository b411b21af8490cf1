"""Let the C allocator keep freed memory for reuse, instead of handing every large block back to
the operating system and faulting it in again.

Building a large model (the network's layers, at a million people) allocates and frees many
arrays of tens of megabytes. glibc's malloc serves a block above its mmap threshold with a fresh
mmap and unmaps it on free; it raises that threshold as such blocks are freed, but during the
set-up the early blocks still go to mmap, and each page of a fresh mapping is faulted in and
zeroed (as transparent huge pages, with compaction stalls when memory is fragmented). At a
million people that was 0.3-0.9 s of the ~1.9 s set-up, and most of its variance from run to run.
With a fixed threshold of 32 MiB (glibc's own ceiling for it) and freed memory kept up to 64 MiB
at the top of the heap, the blocks are reused: the same numbers, the set-up in about 1.05 s.

Only the allocator's bookkeeping changes, never a value; the setting is per process and made
once. Elsewhere than glibc (or where ctypes cannot reach it) nothing is done.
"""

from __future__ import annotations

import ctypes
import sys

M_TRIM_THRESHOLD = -1  # glibc <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: the largest glibc accepts
TRIM_THRESHOLD = 64 * 2**20

_applied: bool | None = None


def reuse_freed_memory() -> bool:
    """Once per process: ask glibc to keep freed blocks for reuse (module docstring). Returns
    whether the setting is in force."""
    global _applied
    if _applied is None:
        _applied = _mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) and _mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    return _applied


def _mallopt(param: int, value: int) -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):  # not glibc (e.g. musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(param, value) == 1
