"""Writing files atomically, and saying in one plain sentence why a write failed.

Each file is written to a temporary name in the same folder and moved into place with
`os.replace`, so an interrupted write never leaves a half-written file that looks finished.
A write that fails (disk full, read-only folder, no permission, quota) raises `OutputError`:
one plain sentence naming the folder, which the command line prints without a traceback.
Runs (`siaga.output`) and experiments (`experiments.store`, `experiments.engine`) both write
through `atomic_write`.

Fault injection (tests only): with SIAGA_FAULT="ACTION:N" in the environment, the N-th
`atomic_write` of the process misbehaves after writing its temporary file and before moving it
into place. ACTION "kill" truncates the temporary file to half and ends the process at once
(exit status 137, like `kill -9` in the middle of a write); ACTION "ENOSPC", "EROFS", "EACCES" or
"EDQUOT" raises that OSError from this write and every later one (the disk stays full).
Unset (always, outside tests), the hook does nothing. `_writes` counts the hooked writes.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

FAULT_ENV = "SIAGA_FAULT"
_writes = 0  # atomic writes so far in this process (for SIAGA_FAULT)
_umask: int | None = None

_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk is full for this user (quota used up)",
    errno.EROFS: "the folder is on a read-only file system",
    errno.EACCES: "permission denied (the folder is read-only for this user)",
    errno.EPERM: "permission denied (the folder is read-only for this user)",
}


class OutputError(OSError):
    """Results could not be written; str() is one plain sentence (no "[Errno N]")."""

    def __init__(self, message: str, code: int | None = None, folder: Path | None = None):
        super().__init__(message)
        self.errno = code
        self.folder = folder

    def __str__(self) -> str:
        return str(self.args[0])


def os_error_errno(exc: BaseException) -> int | None:
    """The errno of an OSError, also when a library (pyarrow) only put it in the message."""
    code = getattr(exc, "errno", None)
    if isinstance(code, int):
        return code
    text = str(exc)
    for num in _REASONS:
        if f"rrno {num}]" in text or os.strerror(num) in text:
            return num
    return None


def describe_os_error(exc: BaseException, folder: Path, what: str = "write to") -> OutputError:
    """Say where and why, e.g. "cannot write to FOLDER: the disk is full (No space left on device)"."""
    if isinstance(exc, OutputError) and (exc.folder == folder or exc.errno not in _REASONS):
        return exc
    code = os_error_errno(exc)
    detail = os.strerror(code) if code else (getattr(exc, "strerror", None) or str(exc))
    reason = _REASONS.get(code) if code else None
    message = f"cannot {what} {folder}: {reason} ({detail})" if reason else f"cannot {what} {folder}: {detail}"
    return OutputError(message, code, folder)


def _inject_fault(tmp: str) -> None:
    global _writes
    _writes += 1
    action, _, count = os.environ[FAULT_ENV].partition(":")
    if _writes < int(count or 1):
        return
    if action == "kill":
        if _writes == int(count or 1):
            size = os.path.getsize(tmp)
            os.truncate(tmp, size // 2)  # a torn write
            os._exit(137)
        return
    raise OSError(getattr(errno, action), os.strerror(getattr(errno, action)), tmp)


def _file_mode() -> int:
    """0o666 less the umask: what a plain open() would give (mkstemp gives 0o600)."""
    global _umask
    if _umask is None:
        try:
            with open("/proc/self/status", encoding="ascii") as fh:
                _umask = next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
        except (OSError, StopIteration, ValueError):
            _umask = os.umask(0o022)
            os.umask(_umask)
    return 0o666 & ~_umask


def atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    """Call `write(tmp_path)` then move the finished file onto `path`.

    Either `path` gets the whole new file or stays as it was; the temporary file is removed on any
    failure. An OSError becomes an `OutputError` naming the folder and the reason.
    """
    path = Path(path)
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        write(Path(tmp))
        os.chmod(tmp, _file_mode())
        if FAULT_ENV in os.environ:
            _inject_fault(tmp)
        os.replace(tmp, path)
    except BaseException as exc:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise describe_os_error(exc, path.parent) from exc
        raise


def write_table(df: Any, path: Path, fmt: str) -> Path:
    """A data frame (anything with `to_parquet`/`to_csv`, e.g. pandas) as PATH.parquet or PATH.csv."""
    target = Path(path).with_suffix(f".{fmt}")
    if fmt == "parquet":
        atomic_write(target, lambda p: df.to_parquet(p, index=False))
    else:
        atomic_write(target, lambda p: df.to_csv(p, index=False))
    return target


def write_json(obj: Any, path: Path) -> Path:
    """`obj` as indented UTF-8 JSON (dates and other objects as their str()), atomically."""
    text = json.dumps(obj, indent=2, ensure_ascii=False, default=str)
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    return path


def check_writable(folder: Path) -> None:
    """Fail early, with a plain message, if results could not be written to `folder`."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".siaga-write-test-"):
            pass
    except OSError as exc:  # the same plain words as a failed write later: "the disk is full", "read-only"
        raise describe_os_error(exc, folder, what="write results to") from None

