"""CSV cells a spreadsheet will not run: a cell that starts with `=`, `+`, `-`, `@`, tab
or carriage return is read as a formula by Excel, LibreOffice and Google Sheets (OWASP
"CSV injection"), so such a cell gets a leading single quote, which shows the text as
typed. Every CSV the app writes goes through `writer`."""

import csv
import re
from collections.abc import Iterable
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a negative amount ("-10.00") is a number, not a formula


def cell(value: object) -> object:
    """The value as a spreadsheet should show it; text that could start a formula is quoted."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def row(values: Iterable[object]) -> list[object]:
    return [cell(value) for value in values]


class SafeWriter:
    """csv.writer, with every cell passed through `cell`."""

    def __init__(self, out: Any, **options: Any):
        self._writer = csv.writer(out, **options)

    def writerow(self, values: Iterable[object]) -> Any:
        return self._writer.writerow(row(values))

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for values in rows:
            self.writerow(values)


def writer(out: Any, **options: Any) -> SafeWriter:
    return SafeWriter(out, **options)


def reversible(value: object) -> object:
    """`cell`, made so `unquote` gives the value back: text that starts with a quote gets one
    more. For files meant to be imported again (the catalog export)."""
    if isinstance(value, str) and value.startswith("'"):
        return "'" + value
    return cell(value)


def unquote(text: str) -> str:
    """A cell as read back: the quote `reversible` (or a spreadsheet user) put before a
    formula character or another quote is dropped."""
    if text.startswith("'") and text[1:].startswith((*FORMULA_START, "'")):
        return text[1:]
    return text
