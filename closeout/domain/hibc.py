"""HIBC (Health Industry Bar Code, ANSI/HIBC 2.6) labels: no maintained Python library
parses them, so this small parser does, for the data a rep needs.

    primary    +LLLL PPP…P U C        labeler (4, first a letter), product (1-18), unit of measure (digit), check
    secondary  +SSS…S L C             secondary data, link character (the primary's check), check
    both       +LLLL PPP…P U / SSS…S C

Secondary data: `$$` dates (MMYY, or a format digit 2-6 then the date) then lot, `$$7` lot only,
`$$8QQ` / `$$9QQQQQ` quantity then a `$$` date form, `$$+…` the same with a serial, `$lot`,
`$+serial`, or a Julian date YYJJJ then the lot. The check character is mod 43 over every
character before it, `+` included.
"""

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import InvalidInput

CHARSET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ-. $/+%"
_PRIMARY = re.compile(r"^([A-Z][A-Z0-9]{3})([A-Z0-9]{1,18})([0-9])$")
FIELD = "scan"
LEADING = " \t\r\n\f\v"  # whitespace a wedge may send before a label (not GS, which str.isspace counts)
ENTER = "\r\n\t"  # what a wedge sends after a label


@dataclass(frozen=True)
class Secondary:
    lot: str = ""
    serial: str = ""
    expiry: date | None = None
    quantity: int | None = None


@dataclass(frozen=True)
class HibcLabel:
    labeler: str = ""  # empty on a secondary-only label
    product: str = ""
    unit_of_measure: int | None = None
    secondary: Secondary | None = None
    link: str = ""  # on a secondary-only label: the check character of its primary
    check: str = ""


def check_character(data: str) -> str:
    """The mod-43 check character of `data` (which starts with '+')."""
    return CHARSET[sum(CHARSET.index(ch) for ch in data) % 43]


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(FIELD, message)


def _date(fmt: str, text: str) -> tuple[date, str]:
    """Read a date of the given $$ format from the start of text; return it and the rest."""
    try:
        if fmt == "MMYY":
            month, year = int(text[0:2]), 2000 + int(text[2:4])
            return date(year, month, calendar.monthrange(year, month)[1]), text[4:]
        if fmt == "2":  # MMDDYY
            return date(2000 + int(text[4:6]), int(text[0:2]), int(text[2:4])), text[6:]
        if fmt == "3":  # YYMMDD
            return date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6])), text[6:]
        if fmt == "4":  # YYMMDDHH
            return date(2000 + int(text[0:2]), int(text[2:4]), int(text[4:6])), text[8:]
        if fmt in ("5", "J"):  # YYJJJ (Julian)
            return _julian(text[0:5]), text[5:]
        if fmt == "6":  # YYJJJHH
            return _julian(text[0:5]), text[7:]
    except (ValueError, IndexError):
        pass
    raise _refuse("The expiry date on this HIBC label cannot be read.")


def _julian(text: str) -> date:
    if not text.isdigit() or len(text) != 5 or not 1 <= int(text[2:]) <= 366:
        raise ValueError(text)
    return date(2000 + int(text[:2]), 1, 1) + timedelta(days=int(text[2:]) - 1)


def _dated(rest: str) -> tuple[date | None, str]:
    """A `$$` date form: a format digit 2-7, else MMYY."""
    if not rest:
        raise _refuse("The HIBC secondary data is incomplete.")
    if rest[0] == "7":
        return None, rest[1:]
    if rest[0] in "23456":
        return _date(rest[0], rest[1:])
    return _date("MMYY", rest)


def parse_secondary(data: str) -> Secondary:
    """The secondary data (without '+', link or check characters)."""
    if data.startswith("$$"):
        rest, serial = data[2:], False
        if rest.startswith("+"):
            rest, serial = rest[1:], True
        quantity = None
        if rest[:1] in ("8", "9"):
            digits = 2 if rest[0] == "8" else 5
            if not rest[1 : 1 + digits].isdigit():
                raise _refuse("The quantity on this HIBC label cannot be read.")
            quantity, rest = int(rest[1 : 1 + digits]), rest[1 + digits :]
        expiry, lot = _dated(rest)
        return (
            Secondary(serial=lot, expiry=expiry, quantity=quantity)
            if serial
            else Secondary(lot=lot, expiry=expiry, quantity=quantity)
        )
    if data.startswith("$+"):
        return Secondary(serial=data[2:])
    if data.startswith("$"):
        return Secondary(lot=data[1:])
    expiry, lot = _date("J", data)
    return Secondary(lot=lot, expiry=expiry)


def unwrap(raw: str) -> str:
    """What a wedge typed, ready for the check: whitespace before the label and the
    wedge's Enter (CR, LF, tab) after it go; a trailing space stays, as it may be the
    check character (value 38). A Code 39 start/stop `*` (never an HIBC character) goes,
    one at each end, and nothing else."""
    text = raw.lstrip(LEADING).rstrip(ENTER)
    return text.removeprefix("*").removesuffix("*")


def looks_like_hibc(text: str) -> bool:
    return text.startswith("+") and len(text) >= 3


def parse_hibc(raw: str) -> HibcLabel:
    """A primary, secondary or concatenated HIBC label; InvalidInput when it is not one.

    The check character is read before anything else, and the label's kind comes from
    its first data character (a letter: primary, optionally `/` and secondary data; `$`
    or a digit: secondary only), so a `/` as check or link character is never taken for
    the primary/secondary separator."""
    text = unwrap(raw).upper()
    if not looks_like_hibc(text) or any(ch not in CHARSET for ch in text):
        raise _refuse("This is not an HIBC label.")
    body, check = text[:-1], text[-1]
    if check_character(body) != check:
        raise _refuse("The HIBC check character is wrong: scan the label again.")
    data = body[1:]
    if data[0].isalpha():
        primary, slash, secondary = data.partition("/")
        match = _PRIMARY.match(primary)
        if match is None:
            raise _refuse("The HIBC primary data cannot be read.")
        if slash and not secondary:
            raise _refuse("The HIBC secondary data is incomplete.")
        labeler, product, unit = match.groups()
        second = parse_secondary(secondary) if secondary else None
        return HibcLabel(labeler, product, int(unit), second, check=check)
    if data[0] != "$" and not data[0].isdigit():
        raise _refuse("This is not an HIBC label.")
    if len(data) < 2:
        raise _refuse("The HIBC secondary data is incomplete.")
    return HibcLabel(secondary=parse_secondary(data[:-1]), link=data[-1], check=check)
