"""Reading a catalog or price list CSV as a spreadsheet saves it: UTF-8 (with or without the
BOM Excel writes), comma- or semicolon-separated, a header row naming the columns in any
order and letter case. Rows are numbered as the spreadsheet shows them (the header is row 1),
so an error message points at the row to fix. Whole-file problems are FileRefused; a row's
problems are collected (Problems) so the preview can list them all at once."""

import csv
import io
import re
from dataclasses import dataclass, field

from .csv_safe import unquote
from .errors import DomainError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 200_000
MAX_SHOWN = 100  # row errors kept to show; all are counted
MAX_COLUMNS = 200  # header cells: the files have 7 columns; a spreadsheet may add a few of its own
MAX_NAMES_SHOWN = 10  # unknown columns or new price lists named in a summary; all are counted
MAX_NAME_SHOWN = 40  # characters of each
MAX_MESSAGE = 300  # characters of one row error as stored and shown
PROGRESS_EVERY = 2_000  # rows between progress reports


class FileRefused(DomainError):
    """The file as a whole cannot be imported; nothing in it was checked further."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # as the export writes it
    required: bool = True  # the header must be there (a cell may still be blank where allowed)
    aliases: tuple[str, ...] = ()


@dataclass
class Table:
    """The rows of a file, each with its row number, as {column key: cell text}."""

    rows: list[tuple[int, dict[str, str]]]
    ignored: list[str]  # the first MAX_NAMES_SHOWN headers that are not read
    ignored_count: int = 0  # all of them


@dataclass
class Problems:
    """Row errors: the first MAX_SHOWN kept (in row order), every one counted."""

    shown: list[tuple[int, str]] = field(default_factory=list)
    count: int = 0
    rows: set[int] = field(default_factory=set)

    def add(self, row: int, message: str) -> None:
        self.count += 1
        self.rows.add(row)
        if len(self.shown) < MAX_SHOWN:
            self.shown.append((row, message[:MAX_MESSAGE]))

    def sorted(self) -> list[tuple[int, str]]:
        return sorted(self.shown)


def decode(data: bytes) -> str:
    """The file's text; refused when too big, empty, or not UTF-8."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(f"The file is {len(data) / 1048576:.1f} MB; at most {MAX_FILE_BYTES // 1048576} MB "
                          "can be imported at once. Split it into smaller files.")  # fmt: skip
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FileRefused("The file is not UTF-8 text. Save it from the spreadsheet as “CSV UTF-8”.") from None
    if not text.strip():
        raise FileRefused("The file is empty.")
    return text


def _normal(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


def _delimiter(text: str) -> str:
    """Semicolon when the header line has more of them than commas (European spreadsheets)."""
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") > first.count(",") else ","


def first_names(names: list[str]) -> list[str]:
    """What a summary keeps of a list of names from a file: the first few, each cut short (the
    count is kept beside it). A stored summary is sent to every manager who opens the page."""
    return [str(name)[:MAX_NAME_SHOWN] for name in names[:MAX_NAMES_SHOWN]]


def _positions(header: list[str], columns: tuple[Column, ...]) -> tuple[dict[str, int], list[str]]:
    if len(header) > MAX_COLUMNS:
        expected = ", ".join(c.header for c in columns)
        raise FileRefused(f"The header row (row 1) has {len(header):,} columns; a file here has at most {MAX_COLUMNS}. "
                          f"Keep the columns {expected} (and few others), then save and upload it again.")  # fmt: skip
    names = {_normal(name): c.key for c in columns for name in (c.header, *c.aliases)}
    found: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(header):
        key = names.get(_normal(cell))
        if key is None:
            if cell.strip():
                ignored.append(cell.strip()[:40])
        elif key in found:
            raise FileRefused(f"The column “{cell.strip()[:40]}” appears twice in the header row.")
        else:
            found[key] = index
    missing = [c.header for c in columns if c.required and c.key not in found]
    if missing:
        expected = ", ".join(c.header for c in columns)
        raise FileRefused(f"The header row (row 1) lacks the column{'s' if len(missing) > 1 else ''} "
                          f"{', '.join(missing)}. Expected columns: {expected}.")  # fmt: skip
    return found, ignored


def read_table(text: str, columns: tuple[Column, ...]) -> Table:
    """Every non-blank row after the header, as {key: stripped cell}; missing cells are ""."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    number = 0
    try:
        header = next(reader, None) or []
        number = 1
        positions, ignored = _positions(header, columns)
        rows = []
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise FileRefused(f"The file has more than {MAX_ROWS:,} rows. Split it into smaller files.")
            rows.append((number, {key: unquote(cells[i].strip()) if i < len(cells) else "" for key, i in positions.items()}))
    except csv.Error as error:
        raise FileRefused(f"Row {number + 1}: the file cannot be read as CSV ({error}).") from None
    if not rows:
        raise FileRefused("The file has a header row but no rows to import.")
    return Table(rows, first_names(ignored), len(ignored))


def bounded_summary(summary: dict) -> dict:
    """A summary as stored: counts as they are, names (lists) cut to the first few, any other
    text cut short. The last guard before the database, whatever a plan put in it."""
    kept = {}
    for key, value in list(summary.items())[:40]:
        if isinstance(value, list):
            kept[str(key)[:40]] = first_names(value)
        elif isinstance(value, str):
            kept[str(key)[:40]] = value[:200]
        elif isinstance(value, bool | int | float) or value is None:
            kept[str(key)[:40]] = value
    return kept


def more_line(shown: list[str], count: int) -> str:
    """ "A, B, C and 12 more": the names a summary kept and how many it did not."""
    more = count - len(shown)
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def summary_line(summary: dict) -> str:
    """ "12 new, 3 updated, 40 unchanged, 5 not in file (kept)"."""
    return (f"{summary.get('new', 0):,} new, {summary.get('updated', 0):,} updated, {summary.get('unchanged', 0):,} "
            f"unchanged, {summary.get('kept', 0):,} not in file (kept)")  # fmt: skip
