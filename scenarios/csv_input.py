"""Reading a user's CSV file (`--populations`, `--risk`) with messages that name the file, the line
and the problem, never a traceback.

What is accepted: UTF-8 text (a leading byte-order mark, as Excel's "CSV UTF-8" writes, is
skipped), columns separated by commas, or by semicolons or tabs when the header uses them (Excel
in an Indonesian locale writes semicolons), a header line naming the columns (any case, any order,
extra columns ignored), blank lines and lines starting with `#` skipped. Codes are read as text,
always: a code a spreadsheet turned into a number (`11.1` for 11.10, `3527032001`, `3.52703E+12`)
gets a message saying so.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from scenarios.errors import ScenarioError

MAX_CSV_BYTES = 64 << 20  # the national code list as kode,penduduk is about 2 MB
MAX_SHOWN = 12  # problems listed in one message
SCIENTIFIC_RE = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


class Problems:
    """Collects `line N: problem` for one file and raises them together, so that a user fixes all
    at once."""

    def __init__(self, path: Path, what: str) -> None:
        self.path, self.what, self.items = path, what, []

    def add(self, line: int | None, text: str) -> None:
        self.items.append((line, text))

    def raise_if_any(self) -> None:
        if not self.items:
            return
        shown = [f"line {n}: {t}" if n else t for n, t in self.items[:MAX_SHOWN]]
        more = len(self.items) - len(shown)
        if more:
            shown.append(f"... and {more:,} more")
        if len(shown) == 1:
            raise ScenarioError(f"{self.what} {self.path}, {shown[0]}")
        raise ScenarioError(f"{self.what} {self.path}: {len(self.items):,} problems:\n  " + "\n  ".join(shown))


def read_rows(path: Path, what: str, required: Sequence[str], optional: Sequence[str] = (),
              aliases: dict[str, str] | None = None, example: str = "") -> list[Row]:
    """The data rows of `path` as {column: text}, columns named by `required` and `optional`
    (`aliases` maps other accepted header names to them). ScenarioError naming the file and the
    line for a file that is not CSV text with that header."""
    path = Path(path)
    label = f"{what} {path}"
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise ScenarioError(f"{label}: not a file")
        if size > MAX_CSV_BYTES:
            raise ScenarioError(f"{label}: {size:,} bytes; a CSV of at most {MAX_CSV_BYTES >> 20} MiB is read")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ScenarioError(f"{label}: no such file") from None
    except OSError as exc:
        raise ScenarioError(f"{label}: cannot be read ({exc.strerror or exc})") from None
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ScenarioError(f"{label}: saved as UTF-16 (\"Unicode text\"); save it as \"CSV UTF-8\" instead")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]  # Excel's "CSV UTF-8": the byte-order mark is not part of the header
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(f"{label}, line {line}: not UTF-8 text (byte {raw[exc.start]:#04x}); save the file as \"CSV UTF-8\"") from None
    if "\x00" in text:
        raise ScenarioError(f"{label}: contains NUL characters; not a CSV text file")

    lines = text.splitlines()
    header_at = next((i for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")), None)
    wanted = ",".join(required)
    if header_at is None:
        raise ScenarioError(f"{label}: empty; the first line must name the columns, e.g. {wanted}" + (f", then rows like {example}" if example else ""))
    header_line = lines[header_at]
    delimiter = "," if "," in header_line else ";" if ";" in header_line else "\t" if "\t" in header_line else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    names = {c: c for c in (*required, *optional)}
    names.update(aliases or {})
    header: list[str | None] | None = None
    rows: list[Row] = []
    problems = Problems(path, what)
    try:
        for cells in reader:
            n = reader.line_num
            if not cells or not any(c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
                continue
            if header is None:
                header = [names.get(_column(c)) for c in cells]
                missing = [c for c in required if c not in header]
                if missing:
                    first = cells[0].strip()
                    looks_like_data = bool(re.fullmatch(r"[\d.\s]+", first))
                    hint = " (it looks like data: add the header line first)" if looks_like_data else ""
                    raise ScenarioError(
                        f"{label}, line {n}: missing header column {', '.join(missing)}: the first line must name the columns, "
                        f"e.g. {wanted}; found {delimiter.join(c.strip() for c in cells)[:80]!r}{hint}"
                    )
                dup = sorted({h for h in header if h is not None and header.count(h) > 1})
                if dup:
                    raise ScenarioError(f"{label}, line {n}: column {dup[0]} is named twice in the header")
                continue
            if len(cells) > len(header):
                problems.add(n, f"{len(cells)} columns, but the header has {len(header)} (a {'comma' if delimiter == ',' else 'separator'} "
                             "inside a value? write numbers without thousands separators)")
                continue
            cells = cells + [""] * (len(header) - len(cells))  # empty trailing columns may be left out
            rows.append(Row(n, {h: c.strip() for h, c in zip(header, cells) if h is not None}))
    except csv.Error as exc:
        raise ScenarioError(f"{label}, line {reader.line_num}: not valid CSV ({exc})") from None
    problems.raise_if_any()
    if not rows:
        raise ScenarioError(f"{label}: no data rows after the header" + (f"; add rows like {example}" if example else ""))
    return rows


def _column(cell: str) -> str:
    return cell.strip().strip('"').strip().lower().replace(" ", "_")


def code_problem(text: str) -> str | None:
    """Why `text` cannot be a code as typed, when it is plainly a number a spreadsheet made of it
    (None when it may be a code; the code list then says whether it is one)."""
    if not text:
        return "the code is empty"
    if SCIENTIFIC_RE.fullmatch(text):
        return (f"{text!r} is a number in scientific notation: the spreadsheet turned the codes into numbers, which loses "
                "digits; format the column as Text, type the codes with their dots (35.27.03.2001) and save again")
    if text.isdigit() and len(text) == 10:
        dotted = f"{text[:2]}.{text[2:4]}.{text[4:6]}.{text[6:]}"
        return f"{text!r}: codes are written with dots; did you mean {dotted}?"
    if re.fullmatch(r"\d+[.,]0+", text) and text.count(".") + text.count(",") == 1 and len(text.split(".")[0].split(",")[0]) > 2:
        return f"{text!r} is a code saved as a decimal number; format the column as Text and type the codes with their dots"
    return None


def known_unit(code: str, line: int, problems: Problems) -> dict | None:
    """The national code list's row of `code`, or None after noting on `line` why not (a code
    written as a number, an unknown code with the closest ones)."""
    from geography import UnknownCode, unit

    hint = code_problem(code)
    if hint:
        problems.add(line, hint)
        return None
    try:
        return unit(code)
    except UnknownCode as exc:
        problems.add(line, str(exc))
        return None


def whole_number(text: str, low: int, high: int, what: str) -> tuple[int | None, str | None]:
    """(value, None) for a whole number in [low, high], else (None, the problem)."""
    t = text.strip()
    if not t:
        return None, f"{what} is empty"
    if re.fullmatch(r"[+-]?\d+", t):
        v = int(t)
        if v < 0:
            return None, f"{what} {t} is negative"
        if not low <= v <= high:
            return None, f"{what} {t} is out of range: allowed {low:,} to {high:,}"
        return v, None
    if re.fullmatch(r"\d{1,3}([.,]\d{3})+", t):
        return None, f"{what} {t!r}: write whole numbers without thousands separators ({t.replace('.', '').replace(',', '')})"
    if re.fullmatch(r"[+-]?\d+[.,]0+", t):
        return None, f"{what} {t!r} is written as a decimal; write a whole number ({t.split('.')[0].split(',')[0]})"
    return None, f"{what} {t!r} is not a whole number"


def score(text: str, low: float, high: float, what: str) -> tuple[float | None, str | None]:
    """(value, None) for a number in [low, high] (a decimal comma accepted), else (None, the problem)."""
    t = text.strip().replace(",", ".") if text.count(",") == 1 and "." not in text else text.strip()
    if not t:
        return None, f"{what} is empty"
    try:
        v = float(t)
    except ValueError:
        return None, f"{what} {text.strip()!r} is not a number"
    if v != v or not low <= v <= high:
        return None, f"{what} {text.strip()} is out of range: allowed {low:g} to {high:g}"
    return v, None


def duplicates(rows: Iterable[tuple[str, int]]) -> dict[str, list[int]]:
    """{code: [lines]} for codes given on more than one line."""
    seen: dict[str, list[int]] = {}
    for code, line in rows:
        seen.setdefault(code, []).append(line)
    return {c: ls for c, ls in seen.items() if len(ls) > 1}
