"""Reading scenario files: TOML in, a validated `Scenario` out, or a message a person can act on.

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
* only regular files of at most `MAX_FILE_BYTES` (1 MiB) of UTF-8 (a leading byte-order mark, as
  Windows Notepad writes, is skipped): not devices (`/dev/zero`), FIFOs, directories or huge
  files; tables nested at most `MAX_NESTING` deep (checked on the text before parsing, so that no
  file drives the parser into deep recursion); chains of at most `MAX_EXTENDS_DEPTH` files,
  without cycles.

Every refusal is a `ScenarioError` (scenarios/errors.py) whose first line names the file and, where
there is one, the field (`x.toml: field `population.threshold_mean` (line 12): got nan; allowed: a
finite number`); a value an override set is blamed on it (`--set KEY=VALUE: field ...`). `true` and
`false` are refused where a number is expected (pydantic alone would read `true` as 1).
"""

from __future__ import annotations

import difflib
import functools
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from scenarios import DEFAULT_SCENARIO
from scenarios.budget import check_memory as check_scenario_memory
from scenarios.errors import ScenarioError
from scenarios.merge import deep_merge
from scenarios.schema import Scenario

MAX_EXTENDS_DEPTH = 8
MAX_FILE_BYTES = 1 << 20  # a scenario, experiment or sensitivity file; the largest shipped is ~30 KiB
MAX_NESTING = 32  # tables and arrays inside each other, the document itself counted; the schema needs 7
SHOWN_CHARS = 80  # a refused value is shown up to this many characters
BOM = "\ufeff"  # the byte-order mark Windows Notepad writes at the start of a UTF-8 file

__all__ = [
    "DEFAULT_SCENARIO", "MAX_EXTENDS_DEPTH", "MAX_FILE_BYTES", "MAX_NESTING", "ScenarioError", "check_nesting",
    "deep_merge", "expand_dotted", "format_problems", "format_validation_error", "library_dir", "library_names",
    "load_dict", "load_scenario", "number_problems", "parse_toml", "read_text_checked", "read_toml", "resolve",
    "scenario_roots", "validate",
]


def library_dir() -> Path:
    return Path(str(resources.files("scenarios") / "library"))


def library_names() -> list[str]:
    return sorted(p.stem for p in library_dir().glob("*.toml"))


# --------------------------------------------------------------------------- what may be read


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _real(path: Path) -> Path | None:
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
    folder = (_real(Path(path)) or Path(path).absolute()).parent
    up = folder.parent
    home = _home_real()
    if up == folder or len(up.parts) <= 2 or up == home:
        return folder
    return up


@functools.lru_cache(maxsize=1)
def _library_real() -> Path:
    return _real(library_dir()) or library_dir()


@functools.lru_cache(maxsize=1)
def _home_real() -> Path | None:
    try:
        return _real(Path.home())
    except (RuntimeError, KeyError, OSError):
        return None


def scenario_roots(path: str | Path) -> tuple[Path, ...]:
    """The folders that the files a user-given file extends (directly or not) must lie in."""
    lib = _library_real()
    real = _real(Path(path)) or Path(path).absolute()
    if _inside(real, lib):
        return (lib,)
    return (lib, user_folder(real))


def _short(text: str) -> str:
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "..."


def _printable(text: str) -> str:
    """A key as a message shows it: control, line-break and direction characters escaped."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def _describe_roots(roots: tuple[Path, ...]) -> str:
    lib = _library_real()
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
            f"are at most {MAX_FILE_BYTES:,} bytes (1 MiB)"
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
        raise ScenarioError(f"{path}: cannot be read: the file is larger than {MAX_FILE_BYTES:,} bytes (1 MiB)")
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
    lib_file = _library_real() / f"{stem}.toml" if simple else None
    if relative_to is not None:
        if roots is None:
            roots = scenario_roots(relative_to)
        target = _real(relative_to.parent / raw)
        if target is None or not any(_inside(target, r) for r in roots):
            where = f" (resolves to {target})" if target is not None and str(target) != raw else ""
            raise ScenarioError(f"{_short(raw)!r}{where} is outside the folders a scenario may read; {_describe_roots(roots)}")
        if os.path.lexists(target) and not (lib_file is not None and _is_file(lib_file) and not _is_file(target)):
            if target.suffix != ".toml":
                raise ScenarioError(f"{_short(raw)!r} is not a .toml file; {_describe_roots(roots)}")
            check_regular(target)  # a folder, device or oversized file is refused here, unopened
            return target
    else:
        given = _real(Path(raw))
        if given is not None and os.path.lexists(given) and not (lib_file is not None and _is_file(lib_file) and not _is_file(given)):
            check_regular(given)
            return given
    if lib_file is not None and _is_file(lib_file):
        return lib_file
    hint = difflib.get_close_matches(stem, library_names(), n=1)
    extra = f" Did you mean {hint[0]!r}?" if hint else ""
    raise ScenarioError(
        f"scenario {_short(raw)!r} not found: not a file and not in the library "
        f"({', '.join(library_names())}).{extra}"
    )


def read_toml(path: Path, _chain: tuple[Path, ...] = (), roots: tuple[Path, ...] | None = None) -> dict[str, Any]:
    """Parse one file and everything it extends into a single plain dict.

    `roots`: the folders `extends` targets must lie in (default: `scenario_roots(path)`, for a file
    the user gave); an experiment passes its own file's, so the whole chain stays in them.
    """
    path = _real(Path(path)) or Path(path).absolute()
    if roots is None or _inside(path, _library_real()):
        roots = scenario_roots(path)  # a library file extends only library files
    if path in _chain:
        cycle = " -> ".join(p.name for p in (*_chain, path))
        raise ScenarioError(f"{_chain[-1]}: field `extends` forms a cycle: {cycle}")
    if len(_chain) >= MAX_EXTENDS_DEPTH:
        raise ScenarioError(
            f"{_chain[-1]}: field `extends` chains more than {MAX_EXTENDS_DEPTH} files "
            f"({' -> '.join(p.name for p in _chain[:3])} -> ...); allowed: at most {MAX_EXTENDS_DEPTH}"
        )
    data = parse_toml(read_text_checked(path), path)
    parent = data.pop("extends", None)
    if parent is None:
        return data
    if not isinstance(parent, str):
        raise ScenarioError(f"{path}: field `extends` must be a scenario name or path, got {_short(repr(parent))}")
    try:
        base_path = resolve(parent, relative_to=path, roots=roots)
    except ScenarioError as exc:
        raise ScenarioError(f"{path}: field `extends`: {exc}") from None
    base = read_toml(base_path, (*_chain, path), roots)
    return deep_merge(base, data)


INTEGER_ERRORS = ("int_from_float", "int_parsing", "int_type")


def _allowed(err: dict[str, Any]) -> str:
    ctx = err.get("ctx") or {}
    bounds = []
    for key, sym in (("ge", "≥"), ("gt", ">"), ("le", "≤"), ("lt", "<")):
        if key in ctx:
            bounds.append(f"{sym} {ctx[key]}")
    if err["type"] == BOOL_AS_NUMBER:
        kind = "a whole number" if ctx.get("integer") else "a number"
        return f"allowed: {kind}{' ' if bounds else ''}{' and '.join(bounds)}, not true or false"
    if bounds:
        return "allowed: a number " + " and ".join(bounds)
    if "expected" in ctx:
        return f"allowed: {ctx['expected']}"
    if err["type"] == "finite_number":
        return "allowed: a finite number (not nan or inf)"
    if err["type"] in INTEGER_ERRORS:
        return "allowed: a whole number"
    if err["type"] == "extra_forbidden":
        return "this key is not part of the scenario format"
    if err["type"] == "missing":
        return "this field is required"
    return err["msg"]


# pydantic's own steps in an error's location ("function-after[_ordered(), StageSpec]"), which are
# not keys; a user's key may start with "function-" too, and is kept
_VALIDATOR_STEP = re.compile(r"function-(after|before|wrap|plain)\[")


def _did_you_mean(loc: tuple[Any, ...], root: Any = Scenario) -> str:
    """Suggest the nearest valid key for a misspelt one."""
    if not loc:
        return ""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return ""
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        model = next((a for a in (ann, *args) if hasattr(a, "model_fields")), None)
        if model is None:
            return ""
    names = list(getattr(model, "model_fields", {}))
    hint = difflib.get_close_matches(str(loc[-1]), names, n=1)
    return f"; did you mean `{hint[0]}`?" if hint else ""


def _key_parts(raw: str) -> tuple[str, ...]:
    """`a.b`, `"a.b"` and `a."b.c"` as TOML reads them: quoted parts stay whole."""
    parts, buf, quote = [], "", ""
    for ch in raw.strip():
        if quote:
            if ch == quote:
                quote = ""
            else:
                buf += ch
        elif ch in "\"'":
            quote = ch
        elif ch == ".":
            parts.append(buf.strip())
            buf = ""
        else:
            buf += ch
    parts.append(buf.strip())
    return tuple(p for p in parts if p)


def key_lines(text: str) -> dict[tuple[Any, ...], int]:
    """Map each table and key of a TOML text to its line number, arrays of tables indexed.

    A light reader for error messages only (tomllib gives no positions): it follows headers and
    `key =` lines and ignores what is inside multi-line strings and arrays.
    """
    found: dict[tuple[Any, ...], int] = {}
    current: tuple[Any, ...] = ()
    aot: dict[tuple[Any, ...], int] = {}
    in_string = False

    def concrete(parts: tuple[str, ...]) -> tuple[Any, ...]:
        path: tuple[Any, ...] = ()
        for part in parts:
            path += (part,)
            if path in aot:
                path += (aot[path],)
        return path

    for lineno, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if in_string:
            in_string = s.count('"""') % 2 == 0
            continue
        if not s or s.startswith("#"):
            continue
        if s.startswith("[["):
            parts = _key_parts(s[2 : s.index("]]")] if "]]" in s else s[2:])
            array = concrete(parts[:-1]) + parts[-1:]
            aot[array] = aot.get(array, -1) + 1
            current = array + (aot[array],)
            found.setdefault(current, lineno)
        elif s.startswith("[") and "]" in s:
            current = concrete(_key_parts(s[1 : s.index("]")]))
            found.setdefault(current, lineno)
        elif "=" in s and not s.startswith(("]", "}", '"""')):
            found.setdefault(current + _key_parts(s.split("=", 1)[0]), lineno)
            if s.count('"""') % 2 == 1:
                in_string = True
    return found


@functools.lru_cache(maxsize=8)
def _lines(text: str) -> dict[tuple[Any, ...], int]:
    """`key_lines`, computed once for the several problems of one message (read only)."""
    return key_lines(text)


def line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line where `loc` (a pydantic error location) is written, or its nearest written parent."""
    lines = _lines(text)
    for n in range(len(loc), 0, -1):
        if tuple(loc[:n]) in lines:
            return lines[tuple(loc[:n])]
    return None


def exact_line(text: str, loc: tuple[Any, ...]) -> int | None:
    """The line of the deepest key of `loc` written in `text` (list positions ignored)."""
    lines = _lines(text)
    keyed = tuple(loc)
    while keyed and isinstance(keyed[-1], int):
        keyed = keyed[:-1]
    return lines.get(keyed) if keyed else None


def _written_here(data: Any, loc: tuple[Any, ...]) -> bool:
    """Whether the value at `loc` (or the list or value it lies in) comes from this file's own
    `data`: tables merge key by key across `extends`, so a key missing here came from a base;
    anything else (a list, a value) replaces the base's whole."""
    node = data
    for part in loc:
        if isinstance(node, Mapping):
            if part not in node:
                return False
            node = node[part]
        else:
            return True  # inside a list or a value this file wrote
    return True


def locate_in_chain(
    path: Path,
    loc: tuple[Any, ...],
    _depth: int = 0,
    roots: tuple[Path, ...] | None = None,
    _files: dict[Path, tuple[str, Any]] | None = None,
) -> str:
    """" (line N)" in `path`, or " (line N of base.toml)" when an extended file set the value.

    The file that set the value is the first in the chain whose own table holds it (an inline
    table or an array written there counts: the line is then that of the nearest key written).
    `_files` caches each file's text and parsed table across the problems of one message."""
    files = {} if _files is None else _files
    try:
        if roots is None:
            roots = scenario_roots(path)
        if path not in files:
            text = read_text_checked(path)
            files[path] = (text, parse_toml(text, path))
        text, data = files[path]
        line = exact_line(text, loc)
        if not line and _written_here(data, loc):
            line = line_of(text, loc)
        if line:
            return f" (line {line})" if _depth == 0 else f" (line {line} of {path.name})"
        parent = data.get("extends")
        if isinstance(parent, str) and _depth < MAX_EXTENDS_DEPTH:
            return locate_in_chain(resolve(parent, relative_to=path, roots=roots), loc, _depth + 1, roots, files)
    except ScenarioError:
        pass
    return ""


def _plain(value: Any) -> Any:
    """A NumPy scalar (what samplers hand over) as the Python number it holds."""
    if type(value).__module__ == "numpy" and hasattr(value, "item"):
        try:
            return value.item()
        except (TypeError, ValueError):  # pragma: no cover - an array, not a scalar
            return value
    return value


def _shown(value: Any) -> str:
    """A refused value as the message shows it: its repr (true/false for booleans, as TOML writes
    them; a NumPy number as the plain number), cut short, on one line."""
    value = _plain(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    try:
        text = repr(value)
    except RecursionError:  # pragma: no cover - nesting is capped when files are read
        text = f"<{type(value).__name__}>"
    return _short(text)


SetBy = Iterable[tuple[tuple[str, ...], str]]  # (dotted key as parts, how a message names who set it)


def _set_by(loc: tuple[Any, ...], set_by: SetBy) -> str | None:
    """The label of the override that set the value at `loc` (the longest key that covers it)."""
    best: tuple[int, str] | None = None
    for key, label in set_by:
        n = min(len(key), len(loc))
        if loc and tuple(loc[:n]) == tuple(key[:n]) and (best is None or len(key) > best[0]):
            best = (len(key), label)
    return best[1] if best else None


def format_problems(
    source: str,
    errors: Iterable[Mapping[str, Any]],
    model: Any = Scenario,
    text: str | None = None,
    path: Path | None = None,
    set_by: SetBy = (),
) -> str:
    """One line naming the field when there is one problem; a count and one line per field otherwise.

    `errors` are pydantic's (`ValidationError.errors()`) or `number_problems`'. A value that an
    override set (`set_by`: `--set KEY=VALUE`, a keyword) is blamed on the override, not a file line;
    one such problem is the whole message, led by the override's label."""
    set_by = tuple(set_by)
    problems: list[tuple[str | None, str, str, str]] = []  # (override label, field, where, what is wrong)
    files: dict[Path, tuple[str, Any]] = {}
    for err in errors:
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and _VALIDATOR_STEP.match(p)))
        field = _printable(".".join(str(p) for p in loc)) or "(top level)"
        value = err.get("input")
        shown = "" if err["type"] in ("missing",) or isinstance(value, dict) else f" got {_shown(value)};"
        hint = _did_you_mean(loc, model) if err["type"] == "extra_forbidden" else ""
        label = _set_by(loc, set_by) if set_by else None
        where = ""
        if label is not None:
            where = f" (set by {label})"
        elif path is not None and loc:
            where = locate_in_chain(path, loc, _files=files)
        elif text is not None and loc:
            line = line_of(text, loc)
            where = f" (line {line})" if line else ""
        allowed = " ".join(_allowed(dict(err)).split())  # pydantic's own messages may span lines
        problems.append((label, f"field `{_short(field)}`", where, f":{shown} {allowed}{hint}"))
    if len(problems) == 1:
        label, field, where, wrong = problems[0]
        return f"{label}: {field}{wrong}" if label is not None else f"{source}: {field}{where}{wrong}"
    return "\n".join([f"{source}: {len(problems)} problem(s):", *(f"  - {f}{w}{x}" for _, f, w, x in problems)])


def format_validation_error(
    source: str, exc: ValidationError, model: Any = Scenario, text: str | None = None, path: Path | None = None, set_by: SetBy = ()
) -> str:
    """`format_problems` for a pydantic ValidationError."""
    return format_problems(source, exc.errors(), model=model, text=text, path=path, set_by=set_by)


BOOL_AS_NUMBER = "bool_as_number"


def number_problems(data: Any, validated: Any) -> list[dict[str, Any]]:
    """Where `data` gave true or false and the validated model holds a number (pydantic reads
    `population = true` as 1 villager): one error per such value, in the shape pydantic's have.

    Walks the raw data and the validated model side by side; a part whose shape changed in
    validation (a shorthand expanded) is skipped."""
    found: list[dict[str, Any]] = []
    stack: list[tuple[Any, Any, tuple[Any, ...], Any]] = [(data, validated, (), None)]
    while stack:
        raw, value, loc, field = stack.pop()
        if isinstance(raw, bool):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                ctx: dict[str, Any] = {"integer": isinstance(value, int)}
                for meta in getattr(field, "metadata", ()):
                    for key in ("ge", "gt", "le", "lt"):
                        if getattr(meta, key, None) is not None:
                            ctx[key] = getattr(meta, key)
                found.append({"type": BOOL_AS_NUMBER, "loc": loc, "input": raw, "msg": "a number, not true or false", "ctx": ctx})
            continue
        if isinstance(raw, Mapping):
            for key, child in raw.items():
                if isinstance(value, BaseModel):
                    info = type(value).model_fields.get(key) if isinstance(key, str) else None
                    if info is not None:
                        stack.append((child, getattr(value, key), (*loc, key), info))
                elif isinstance(value, Mapping) and key in value:
                    stack.append((child, value[key], (*loc, key), None))
        elif isinstance(raw, list) and isinstance(value, (list, tuple)) and len(raw) == len(value):
            stack.extend((r, v, (*loc, i), None) for i, (r, v) in enumerate(zip(raw, value)))
    return sorted(found, key=lambda e: [str(p) for p in e["loc"]])


def validate(data: Mapping[str, Any], source: str = "<scenario>", path: Path | None = None, set_by: SetBy = ()) -> Scenario:
    """A validated Scenario, or a ScenarioError naming `source` (or the override that `set_by`
    says set the refused value), the field and what is allowed."""
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ScenarioError(format_validation_error(source, exc, path=path, set_by=set_by)) from None
    except RecursionError:
        raise ScenarioError(f"{source}: values are nested too deeply") from None
    problems = number_problems(data, scenario)
    if problems:
        raise ScenarioError(format_problems(source, problems, path=path, set_by=set_by))
    return scenario


def load_dict(name_or_path: str | Path = DEFAULT_SCENARIO) -> dict[str, Any]:
    return read_toml(resolve(name_or_path))


def load_scenario(
    name_or_path: str | Path | Mapping[str, Any] | Scenario = DEFAULT_SCENARIO,
    overrides: Mapping[str, Any] | None = None,
    check_memory: bool = True,
    labels: Mapping[str, str] | None = None,
) -> Scenario:
    """Load a scenario by library name, path, plain dict or `Scenario`, then apply overrides.

    Overrides use dotted keys (``{"policy.presets": ["kades_early"]}``) or nested dicts, so
    `mesa.batch_run` and SALib can vary any parameter by name. A value an override set that is
    refused is blamed on the override: `labels` names each override key as the caller knows it
    (`{"seed": "--seed 5"}`); by default "override KEY=VALUE". A scenario too large for this
    machine's memory is refused (`scenarios.budget`) unless `check_memory` is False.
    """
    path: Path | None = None
    if isinstance(name_or_path, Scenario):
        # only what was set explicitly, so that policy presets are not overridden by defaults
        data, source = name_or_path.model_dump(exclude_unset=True), f"scenario {name_or_path.name!r}"
    elif isinstance(name_or_path, Mapping):
        data, source = dict(name_or_path), "<scenario dict>"
        if "extends" in data:
            parent = data.pop("extends")
            if not isinstance(parent, (str, Path)):
                raise ScenarioError(f"{source}: field `extends` must be a scenario name or path, got {_shown(parent)}")
            try:
                base_path = resolve(parent)
            except ScenarioError as exc:
                raise ScenarioError(f"{source}: field `extends`: {exc}") from None
            data = deep_merge(read_toml(base_path), data)
    else:
        path = resolve(name_or_path)
        data, source = read_toml(path), str(path)
    set_by: list[tuple[tuple[str, ...], str]] = []
    if overrides:
        data = deep_merge(data, expand_dotted(overrides, source))
        for key, value in overrides.items():
            label = (labels or {}).get(key) or f"override {_short(_printable(str(key)))}={_shown(value)}"
            set_by.append((tuple(str(key).split(".")), label))
    scenario = validate(data, source, path=path, set_by=set_by)
    if check_memory:
        check_scenario_memory(scenario, source)
    return scenario


def expand_dotted(flat: Mapping[str, Any], source: str = "<overrides>") -> dict[str, Any]:
    """{"a.b": 1} -> {"a": {"b": 1}}; nested dicts pass through."""
    out: dict[str, Any] = {}
    for key, value in flat.items():
        parts = str(key).split(".")
        node = out
        for i, part in enumerate(parts[:-1]):
            child = node.get(part)
            if child is None:
                child = node[part] = {}
            elif isinstance(child, Mapping):
                child = node[part] = dict(child)  # a copy: the caller's dict is not changed
            else:
                prefix = ".".join(parts[: i + 1])
                raise ScenarioError(
                    f"{source}: field `{_short(_printable(str(key)))}`: `{_short(_printable(prefix))}` is already set to a single value, "
                    "so it cannot also have sub-keys; set one or the other"
                )
            node = child
        if isinstance(value, Mapping) and isinstance(node.get(parts[-1]), Mapping):
            node[parts[-1]] = deep_merge(node[parts[-1]], value)
        else:
            node[parts[-1]] = value
    return out
