"""Sharing the sales order: who may receive it and what the message says."""

import re
from enum import StrEnum

from email_validator import EmailNotValidError, validate_email

from .errors import InvalidInput
from .text import lookup_text

MAX_RECIPIENTS = 10
MAX_SUBJECT = 200
MAX_MESSAGE = 5000


class ShareKind(StrEnum):
    EMAIL = "email"
    DOWNLOAD = "download"
    PRINT = "print"


def sales_order_number(case_number: str, revision: int = 0) -> str:
    """SO-2026-000123 for case CS-2026-000123: one sales order per case; each correction
    (credit and rebill) makes a revision: SO-2026-000123-R1, -R2 …"""
    number = "SO-" + case_number.removeprefix("CS-")
    return f"{number}-R{revision}" if revision else number


def parse_recipients(raw: object) -> list[str]:
    """One or more addresses separated by commas, semicolons or spaces; syntax checked,
    normalised, duplicates dropped. No DNS look-up: nothing leaves the machine."""
    parts = [p for p in re.split(r"[,;\s]+", str(raw or "")) if p]
    if not parts:
        raise InvalidInput("recipients", "Enter at least one recipient email address.")
    if len(parts) > MAX_RECIPIENTS:
        raise InvalidInput("recipients", f"Send to at most {MAX_RECIPIENTS} recipients at once.")
    found: list[str] = []
    for part in parts:
        try:
            address = validate_email(part, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise InvalidInput("recipients", f"“{part[:60]}” is not a valid email address: {error}") from None
        if address.casefold() not in {f.casefold() for f in found}:
            found.append(address)
    return found


def parse_subject(raw: object) -> str:
    """One line: a CR or LF in a mail header could add headers of its own, so it is refused."""
    if any(ch in str(raw or "") for ch in "\r\n\u2028\u2029\x85"):
        raise InvalidInput("subject", "The subject must be a single line.")
    text = " ".join(lookup_text(raw, 1000).split())
    if not text:
        raise InvalidInput("subject", "Enter a subject.")
    if len(text) > MAX_SUBJECT:
        raise InvalidInput("subject", f"The subject is at most {MAX_SUBJECT} characters.")
    return text


def parse_message(raw: object) -> str:
    text = str(raw or "").strip()
    if len(text) > MAX_MESSAGE:
        raise InvalidInput("message", f"The message is at most {MAX_MESSAGE:,} characters.")
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text):
        raise InvalidInput("message", "The message contains characters that cannot be sent.")
    return text
