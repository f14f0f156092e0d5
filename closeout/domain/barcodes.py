"""What a scanned label says: GS1 (via biip) or HIBC (hibc.py), as one ScanData.

GS1 comes as element strings with GS separators, the parenthesised human-readable form,
with a `]d2`/`]C1`/`]Q3` symbology prefix, or as a GS1 Digital Link URL. Scanners that drop
the GS separator make variable-length fields swallow what follows; the parser then tries
the likely split and says it guessed, so the rep checks the line.
"""

import re
from dataclasses import dataclass
from datetime import date

from biip import ParseConfig, ParseError, parse
from biip.gs1_messages import GS1Message

from .errors import InvalidInput
from .hibc import ENTER, LEADING, looks_like_hibc, parse_hibc, unwrap

FIELD = "scan"
GS = "\x1d"
MAX_SCAN = 200
_VARIABLE = {"10", "21"}
_NEXT_AI = re.compile(r"(?=(10|11|17|21)(.+))")


@dataclass(frozen=True)
class ScanData:
    kind: str  # gs1 | hibc
    gtin: str = ""  # GTIN-14
    labeler: str = ""  # HIBC labeler code
    product: str = ""  # HIBC product/catalog number
    lot: str = ""
    serial: str = ""
    expiry: date | None = None
    production_date: date | None = None
    quantity: int | None = None
    secondary_only: bool = False  # an HIBC secondary label: completes a line, adds none
    link: str = ""  # HIBC: the primary's check character a secondary refers to
    check: str = ""  # HIBC: this label's check character
    guessed: bool = False  # GS separators were missing and the split was inferred


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(FIELD, message)


def _from_elements(elements, guessed: bool = False) -> ScanData:
    values: dict[str, object] = {}
    for element in elements:
        ai = element.ai.ai
        if ai == "01":
            if element.gtin is None:
                raise _refuse(f"The GTIN {element.value} has a wrong check digit: scan the label again.")
            values["gtin"] = element.gtin.as_gtin_14()
        elif ai in ("17", "11"):
            if element.date is None:
                raise _refuse(f"The date {element.value} on this label is not a real date.")
            values["expiry" if ai == "17" else "production_date"] = element.date
        elif ai == "10":
            values["lot"] = element.value
        elif ai == "21":
            values["serial"] = element.value
        elif ai == "30" and element.value.isdigit():
            values["quantity"] = int(element.value)
    if "gtin" not in values:
        raise _refuse("This GS1 label has no GTIN (01): scan the product's label.")
    return ScanData("gs1", guessed=guessed, **values)


def _split_guess(message: GS1Message, text: str) -> ScanData | None:
    """No GS separators: a lot or serial that holds what looks like another AI is split
    there. Of the splits that parse, the one that reads more real dates wins (dates are
    fixed-length, so they are the strongest sign), then the later split."""
    best: tuple[tuple[int, int], ScanData] | None = None
    for element in message.element_strings:
        if element.ai.ai not in _VARIABLE:
            continue
        head = text.rsplit(element.value, 1)[0]
        for match in _NEXT_AI.finditer(element.value):
            if match.start() == 0:
                continue
            candidate = head + element.value[: match.start()] + GS + element.value[match.start() :]
            try:
                found = _from_elements(GS1Message.parse(candidate).element_strings, guessed=True)
            except (ParseError, InvalidInput):
                continue
            score = (sum(d is not None for d in (found.expiry, found.production_date)), match.start())
            if best is None or score > best[0]:
                best = (score, found)
    return best[1] if best else None


def _parse_gs1(text: str) -> ScanData:
    if text.startswith("("):
        try:
            return _from_elements(GS1Message.parse_hri(text).element_strings)
        except ParseError as error:
            raise _refuse(f"This GS1 label cannot be read: {error}") from None
    result = parse(text, config=ParseConfig(separator_chars=[GS, "|", "^"]))
    if result.gs1_digital_link_uri is not None:
        return _from_elements(result.gs1_digital_link_uri.element_strings)
    if result.gs1_message is None:
        if result.gtin is not None:  # a bare GTIN (a linear barcode)
            return ScanData("gs1", gtin=result.gtin.as_gtin_14())
        if result.gtin_error and "check digit" in result.gtin_error:
            raise _refuse("The GTIN on this label has a wrong check digit: scan the label again.")
        if result.symbology_identifier is not None or text[:2] in ("01", "02"):
            raise _refuse(f"This GS1 label cannot be read: {result.gs1_message_error}")
        raise _refuse("This label is neither GS1 nor HIBC.")
    body = text.split("]", 1)[-1][2:] if text.startswith("]") else text
    if GS not in body and any(e.ai.ai in _VARIABLE for e in result.gs1_message.element_strings):
        guessed = _split_guess(result.gs1_message, body)
        if guessed is not None:
            return guessed
    return _from_elements(result.gs1_message.element_strings)


def parse_scan(raw: object) -> ScanData:
    """What a keyboard-wedge scanner typed, as ScanData; InvalidInput (field 'scan') otherwise."""
    # Whitespace before the label and the wedge's Enter after it go; a trailing space
    # stays until we know the label is not HIBC (a space is a legal HIBC check character).
    text = str(raw or "").lstrip(LEADING).rstrip(ENTER)
    if not looks_like_hibc(unwrap(text)):
        text = text.rstrip(ENTER + " ")  # GS1 has no space in its character set
    if not text:
        raise _refuse("Nothing was scanned.")
    if len(text) > MAX_SCAN:
        raise _refuse("That is too long for a label: scan it again.")
    if any(ord(ch) < 32 and ch != GS for ch in text):
        raise _refuse("This label cannot be read: scan it again.")
    if looks_like_hibc(unwrap(text)):
        label = parse_hibc(text)
        second = label.secondary
        return ScanData(
            "hibc", labeler=label.labeler, product=label.product, lot=second.lot if second else "",
            serial=second.serial if second else "", expiry=second.expiry if second else None,
            quantity=second.quantity if second else None, secondary_only=not label.labeler, link=label.link,
            check=label.check,
        )  # fmt: skip
    if text.lower().startswith(("http://", "https://")) or text[0].isdigit() or text[0] in "(]":
        try:
            return _parse_gs1(text)
        except ParseError as error:
            raise _refuse(f"This label cannot be read: {error}") from None
        except (ValueError, IndexError, KeyError):  # biip trips on some malformed input (e.g. a lone "]")
            raise _refuse("This label cannot be read: scan it again.") from None
    raise _refuse("This label is neither GS1 nor HIBC.")
