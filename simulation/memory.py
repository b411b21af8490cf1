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
import threading
from collections.abc import Iterator
from contextlib import contextmanager

M_TRIM_THRESHOLD = -1  # glibc <malloc.h>
M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 2**20  # DEFAULT_MMAP_THRESHOLD_MAX on 64-bit: the largest glibc accepts
TRIM_THRESHOLD = 64 * 2**20

_applied: bool | None = None
_lock = threading.Lock()
_depth = 0
_previous = True


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


@contextmanager
def without_huge_pages() -> Iterator[None]:
    """While building a model: numpy does not ask the kernel for transparent huge pages for its
    large arrays (it does by default, with madvise), and asks again as before afterwards.

    Where huge pages are given on request only (THP "madvise", with "madvise" defrag, as on the
    benchmark machine), each 2 MiB page of a fresh array is zeroed, and memory compacted if need
    be, when it is first touched. A set-up allocates and frees hundreds of such arrays once each
    (the network's layers at a million people), so that cost is paid for memory touched once: at a
    million people the set-up took 0.9-1.0 s with 4 KiB pages against 1.15-1.6 s, and the days
    after it were no slower (the day's own arrays still get huge pages). Only page advice
    changes, never a value; numpy's private switch is used where it exists, else nothing is done."""
    switch = _hugepage_switch()
    if switch is None:
        yield
        return
    global _depth, _previous
    with _lock:  # models built at once in several threads (the app): the first in sets, the last out restores
        if _depth == 0:
            _previous = switch(False)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                switch(_previous)


def _hugepage_switch():
    """numpy's `_set_madvise_hugepage(enabled) -> previous` (numpy 2: numpy._core; 1.x: numpy.core)."""
    try:
        from numpy._core.multiarray import _set_madvise_hugepage
    except ImportError:  # pragma: no cover - numpy 1.x or a numpy without the switch
        try:
            from numpy.core.multiarray import _set_madvise_hugepage
        except ImportError:
            return None
    return _set_madvise_hugepage
