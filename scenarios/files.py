"""Reading scenario files safely: which files a scenario may name, and their text parsed as TOML.

A scenario is data, never code: TOML is parsed with the standard library and checked by the
pydantic schema. `extends = "name-or-path"` lets a variant name a base and change a few keys.

What a scenario file may read (checked before any file is opened):

* the file the user gave (on the command line, to `load_scenario`, `SiagaModel`, an experiment);
* through `extends` (and an experiment file's `scenario`): a library scenario by name, or a `.toml`
  file inside the *user's folder*: the folder of the file the user gave, its subfolders, and the
  folder directly above it (so that `variants/x.toml` may extend `../base.toml`), except when that
  folder is the filesystem root, a folder directly under it (`/home`, `/tmp`) or the home folder,
  in which case only the file's own folder counts. Symbolic links are resolved before the check.
  A file reached from the library may only extend library files.
* only regular files of at most `MAX_FILE_BYTES` (4 MiB) of UTF-8 (a leading byte-order mark, as
  Windows Notepad writes, is skipped): not devices (`/dev/zero`), FIFOs, directories or huge
  files; tables nested at most `MAX_NESTING` deep (checked on the text before parsing, so that no
  file drives the parser into deep recursion); chains of at most `MAX_EXTENDS_DEPTH` files,
  without cycles.

Every refusal is a `ScenarioError` (scenarios/errors.py) naming the file.
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import stat
import tomllib
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from scenarios.errors import ScenarioError

MAX_EXTENDS_DEPTH = 8
MAX_FILE_BYTES = 4 << 20  # a scenario, experiment or sensitivity file; `scenarios new` of Aceh (6,500 villages) is ~1.6 MiB
MAX_NESTING = 32  # tables and arrays inside each other, the document itself counted; the schema needs 7
SHOWN_CHARS = 80  # a refused value is shown up to this many characters
BOM = "\ufeff"  # the byte-order mark Windows Notepad writes at the start of a UTF-8 file

def library_dir() -> Path:
    return Path(str(resources.files("scenarios") / "library"))


def library_names() -> list[str]:
    return sorted(p.stem for p in library_dir().glob("*.toml"))


# --------------------------------------------------------------------------- what may be read


def is_inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def real_path(path: Path) -> Path | None:
    """The path with symbolic links resolved, or None when it cannot be (a loop, a NUL byte)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError, RuntimeError):
        return None


def _is_file(path: Path) -> bool:
    """`path.is_file()` that says False, not OSError, for a name too long or otherwise unusable."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def user_folder(path: str | Path) -> Path:
    """The folder a file the user gave may draw `extends` targets from (module docstring)."""
    folder = (real_path(Path(path)) or Path(path).absolute()).parent
    up = folder.parent
    home = _home_real()
    if up == folder or len(up.parts) <= 2 or up == home:
        return folder
    return up


@functools.lru_cache(maxsize=1)
def library_real() -> Path:
    return real_path(library_dir()) or library_dir()


@functools.lru_cache(maxsize=1)
def _home_real() -> Path | None:
    try:
        return real_path(Path.home())
    except (RuntimeError, KeyError, OSError):
        return None


def scenario_roots(path: str | Path) -> tuple[Path, ...]:
    """The folders that the files a user-given file extends (directly or not) must lie in."""
    lib = library_real()
    real = real_path(Path(path)) or Path(path).absolute()
    if is_inside(real, lib):
        return (lib,)
    return (lib, user_folder(real))


def shorten(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def printable(text: str) -> str:
    """A key as a message shows it: control, line-break and direction characters escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _describe_roots(roots: tuple[Path, ...]) -> str:
    lib = library_real()
    others = [str(r) for r in roots if r != lib]
    where = f" or a .toml file inside {' or '.join(others)}" if others else ""
    return f"allowed: a library scenario by name (see `siaga scenarios list`){where}"


def check_regular(path: Path) -> None:
    """Refuse, without opening it, anything but a regular file of at most MAX_FILE_BYTES."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise ScenarioError(f"{path}: no such file") from None
    except (OSError, ValueError) as exc:
        raise ScenarioError(f"{path}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = "a folder" if stat.S_ISDIR(st.st_mode) else "a device, pipe or socket"
        raise ScenarioError(f"{path}: cannot be read: it is {kind}, not a regular .toml file")
    if st.st_size > MAX_FILE_BYTES:
        raise ScenarioError(
            f"{path}: cannot be read: the file is {st.st_size:,} bytes; scenario and experiment files "
            f"are at most {MAX_FILE_BYTES:,} bytes (4 MiB)"
        )


def read_text_checked(path: Path) -> str:
    """The text of a regular file of at most MAX_FILE_BYTES; ScenarioError naming it otherwise."""
    check_regular(path)
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(f"{path}: cannot be read: the file is larger than {MAX_FILE_BYTES:,} bytes (4 MiB)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: cannot be read: not UTF-8 text (byte {exc.start})") from None
    return text.removeprefix(BOM)  # UTF-8 with a byte-order mark, as Notepad saves it, is still UTF-8


def _nesting(value: Any) -> int:
    """How deep tables and arrays are nested inside each other (iterative: no recursion limit)."""
    deepest, stack = 0, [(value, 0)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, Mapping):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth + 1)
        if deepest > MAX_NESTING:
            return deepest
        stack.extend((c, depth + 1) for c in children)
    return deepest


# what the nesting scan stops at outside strings: brackets, the start of a string or of a comment
_SCAN_NORMAL = re.compile(r"""[\[\]{}"'#]""")
_SCAN_STRING = {'"': re.compile(r'["\\\n]'), "'": re.compile(r"['\n]")}
_SCAN_MULTILINE = {'"': re.compile(r'\\|"""'), "'": re.compile(r"'''")}


def bracket_depth(text: str, limit: int = MAX_NESTING) -> int:
    """How deep arrays and inline tables are nested in TOML `text`, read lexically (strings and
    comments skipped as TOML reads them), without parsing: stops counting once past `limit`.

    `tomllib` parses nested values recursively, so a file nested thousands deep would run it to
    Python's recursion limit; this scan lets such a file be refused before `tomllib` sees it. A
    table header counts as one level (`[[x]]` as two); a valid file's depth is never more than the
    parsed `_nesting`, so the scan refuses nothing the check after parsing would let through.
    """
    depth = deepest = i = 0
    n = len(text)
    while i < n:
        m = _SCAN_NORMAL.search(text, i)
        if m is None:
            break
        ch, i = m.group(), m.end()
        if ch in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        elif ch in "]}":
            depth = max(depth - 1, 0)
        elif ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif text.startswith(ch * 2, i):  # three quotes: a multi-line string
            i = _multiline_end(text, i + 2, ch)
        else:
            i = _string_end(text, i, ch)
    return deepest


def _string_end(text: str, i: int, quote: str) -> int:
    """Where a one-line string that starts at `i` (after its quote) ends: after its closing quote,
    or at the end of the line (where an unclosed string is a TOML error anyway)."""
    pattern = _SCAN_STRING[quote]
    while True:
        m = pattern.search(text, i)
        if m is None:
            return len(text)
        if m.group() == "\\":  # an escape in a basic string: skip the escaped character
            i = m.end() + (1 if text[m.end() : m.end() + 1] not in ("", "\n") else 0)
            continue
        return m.end()


def _multiline_end(text: str, i: int, quote: str) -> int:
    """Where a multi-line string whose body starts at `i` ends: its closing three quotes and up
    to two more quotes that belong to its body (TOML allows four or five quotes at the end)."""
    pattern = _SCAN_MULTILINE[quote]
    while True:
        m = pattern.search(text, i)
        if m is None:
            return len(text)
        if m.group() == "\\":
            i = m.end() + 1
            continue
        end = m.end()
        extra = 0
        while extra < 2 and text.startswith(quote, end + extra):
            extra += 1
        return end + extra


def check_nesting(text: str, source: str | Path) -> None:
    """Refuse TOML text nested more than MAX_NESTING deep before it is parsed (see `bracket_depth`)."""
    if bracket_depth(text, MAX_NESTING) > MAX_NESTING:
        raise ScenarioError(f"{source}: tables or arrays are nested more than {MAX_NESTING} deep; scenario and experiment files need at most 7")


def parse_toml(text: str, source: str | Path) -> dict[str, Any]:
    """`tomllib.loads`, with every failure (syntax, nesting too deep) a one-line ScenarioError."""
    check_nesting(text, source)  # before tomllib: deep nesting would recurse to Python's limit
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ScenarioError(f"{source}: not valid TOML: arrays or tables nested too deeply") from None
    if _nesting(data) > MAX_NESTING:
        raise ScenarioError(f"{source}: tables or arrays are nested more than {MAX_NESTING} deep; scenario and experiment files need at most 7")
    return data


def resolve(
    name_or_path: str | Path, relative_to: Path | None = None, roots: tuple[Path, ...] | None = None
) -> Path:
    """Find a scenario file: a path relative to the extending file, a path as given, or a library name.

    With `relative_to` (a name written inside a file) the target must be a `.toml` file inside
    `roots` (default: `scenario_roots(relative_to)`) or a library name; this is checked before the
    target is opened. Without it, the name was given by the user and any regular file is allowed.
    """
    raw = str(name_or_path)
    if "\x00" in raw or not raw.strip():
        raise ScenarioError(f"scenario {raw!r} not found: not a file name and not in the library")
    stem = raw[:-5] if raw.endswith(".toml") else raw
    simple = not any(sep in raw for sep in ("/", "\\")) and not raw.startswith((".", "~"))
    lib_file = library_real() / f"{stem}.toml" if simple else None
    if relative_to is not None:
        if roots is None:
            roots = scenario_roots(relative_to)
        target = real_path(relative_to.parent / raw)
        if target is None or not any(is_inside(target, r) for r in roots):
            where = f" (resolves to {target})" if target is not None and str(target) != raw else ""
            raise ScenarioError(f"{shorten(raw)!r}{where} is outside the folders a scenario may read; {_describe_roots(roots)}")
        if os.path.lexists(target) and not (lib_file is not None and _is_file(lib_file) and not _is_file(target)):
            if target.suffix != ".toml":
                raise ScenarioError(f"{shorten(raw)!r} is not a .toml file; {_describe_roots(roots)}")
            check_regular(target)  # a folder, device or oversized file is refused here, unopened
            return target
    else:
        given = real_path(Path(raw))
        if given is not None and os.path.lexists(given) and not (lib_file is not None and _is_file(lib_file) and not _is_file(given)):
            check_regular(given)
            return given
    if lib_file is not None and _is_file(lib_file):
        return lib_file
    hint = difflib.get_close_matches(stem, library_names(), n=1)
    extra = f" Did you mean {hint[0]!r}?" if hint else ""
    raise ScenarioError(
        f"scenario {shorten(raw)!r} not found: not a file and not in the library "
        f"({', '.join(library_names())}).{extra}"
    )


